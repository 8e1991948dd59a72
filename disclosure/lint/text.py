"""Reading a 情况说明 to lint: the text of a .txt/.md/.docx, cleaned (normalize.py), its parts found, and
its 第二部分 split into the style's sections and into sentences.

Sections are found by the style's own section titles (style.yaml) anywhere in the text — a heading run
into its body ("一、收入支出决算总体情况说明2024年度收入总计…"), a title broken over two PDF lines or
worded a little differently ("…收入支出情况说明" for "…收入支出决算情况说明") is still found. Text in
which fewer than half of the titles are found is not understood: `read_document` says so rather than
letting lint report "0 条".
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

import msgspec
from msgspec import field

from ..errors import InputError
from .normalize import is_row, normalize

NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四"]
# a section number where a title may start: "一、" "十二、" "三." (not the 一 of 统一、 or 十一)
_CANDIDATE = re.compile(r"(?<![一二三四五六七八九十百零〇第])(十[一二三四五六七八九]?|[一二三四五六七八九])\s*[、．.](?!\d)"
                        # a text that numbers its sections otherwise: “（一）收入支出…”, or “1.”/“1、” opening a line
                        r"|[（(]\s*(?:十[一二三四五六七八九]?|[一二三四五六七八九])\s*[）)]"
                        r"|(?:^|(?<=\n))[ \t\u3000]*(?:1[0-4]|[1-9])\s*[、．.](?!\d)")
# a part heading opens a paragraph or follows a sentence; "详见第三部分" in a sentence is not one
_PART = re.compile(r"(?:^|(?<=[\n。！？]))\s*第([一二三四五六])部分")
TITLE_MATCH = 0.6  # share of a title's characters found in order right after its number
RENUMBERED_MATCH = 0.9  # the same, when the number printed is not the style's


class Sentence(msgspec.Struct):
    section: str
    text: str


class Section(msgspec.Struct):
    id: str  # the style's section id: "一" … "十四"
    title: str  # the style's title, e.g. "一、收入支出决算总体情况说明"
    printed: str  # the heading as the text has it
    body: str  # the section's text, its lines joined


class Document(msgspec.Struct):
    """A text to lint, understood: its parts and the sections of its 情况说明."""

    text: str  # the normalized text, one paragraph a line
    head: str  # what comes before 第一部分 / the 情况说明: the title page
    parts: dict[str, str]  # "一" … "五": the text of each 第N部分 found
    narrative: str  # the 情况说明 (第二部分, or the whole text when it has no parts)
    sections: list[Section]
    expected: list[tuple[str, str]]  # (id, title) of every section the style has
    sentences: list[Sentence] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)  # the style's fixed titles (style_headings)
    tables_part: str = "三"  # the part that holds the tables (上海: 第二部分)

    @property
    def tables(self) -> str:
        """The text of the part with the tables ("" when the text has none)."""
        return self.parts.get(self.tables_part, "")

    @property
    def title_page(self) -> str:
        """The head without its 目录: the 目录 repeats headings checked where they stand, set with dot leaders and
        wrapped over page breaks (a PDF's: “（按支出功能” on one page, “分类科目）” on the next) that are no slip of
        the writer's."""
        contents = _CONTENTS.search(self.head)
        return self.head[:contents.start()] if contents else self.head

    @property
    def found(self) -> list[str]:
        return [s.id for s in self.sections]


def read_text(path: str | Path) -> str:
    path = Path(path)
    if not path.exists():
        raise InputError("找不到该文件", file=path)
    from ..guard import check_document_file

    check_document_file(path)  # size; a .docx is a zip: bombs refused before python-docx inflates it
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx_text(path)
    if suffix not in (".txt", ".md"):
        audit = "；已公开的 PDF 请用 disclosure audit 公开.pdf（读出表格与文字，一并核对）" if suffix == ".pdf" else ""
        raise InputError(f"不支持的文件类型“{path.suffix}”：请用 .docx、.txt 或 .md{audit}", file=path)
    from ..datafile import decode_text

    return decode_text(path.read_bytes(), path)


def _docx_text(path: Path) -> str:
    """Paragraphs (with the numbers Word prints before numbered ones) and tables in document order; a table row
    as its cells joined by tabs."""
    from docx import Document as Docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from .docxnumbers import Numbering

    try:
        doc = Docx(str(path))
        numbering = Numbering(doc)  # “一、” that Word numbers itself is no part of a paragraph's text
        lines = []
        for block in doc.element.body.iterchildren():
            tag = block.tag.rsplit("}", 1)[-1]
            if tag == "p":
                paragraph = Paragraph(block, doc)
                lines.append(numbering.label(paragraph) + paragraph.text)
            elif tag == "tbl":
                for row in Table(block, doc).rows:
                    seen, cells = set(), []
                    for cell in row.cells:  # a merged cell repeats: keep it once
                        if id(cell._tc) not in seen:
                            seen.add(id(cell._tc))
                            cells.append(cell.text.replace("\n", ""))
                    lines.append("\t".join(cells))
        return "\n".join(lines)
    except Exception as exc:  # python-docx raises several kinds for a broken file
        raise InputError("不是有效的 Word 文档（.docx），无法读取", file=path) from exc


def style_headings(style: str) -> list[str]:
    """Every part and section title of the style, without its number: the document's fixed wording."""
    from ..narrative.render import style_config

    out = []
    for part in style_config(style)["parts"]:
        out.append(re.sub(r"^第\S+部分\s*|\{year\}", "", part["title"]))
        out += [_core(s["title"]) for s in part["sections"]]
    return [h for h in out if h]


def narrative_parts(style: str) -> list[str]:
    """The parts (第N部分 numerals) the style's 情况说明 stands in: style.yaml `narrative_parts` (the 预算's
    第二、第三部分), by default 第二部分."""
    from ..narrative.render import style_config

    return [str(p) for p in style_config(style).get("narrative_parts") or ["二"]]


# the tables begin: a paragraph opening with 表1, or “…公开表” and 表1 run together into one paragraph (a PDF's
# text: the page's heading “2023年部门综合预算公开表” over 表1, a draft's running header before it)
_CONTENTS = re.compile(r"(?m)^\s*目\s*录\s*$")
_ASKING = re.compile(r"【待填写[:：][^】]*】")


def without_placeholders(text: str) -> str:
    """The text with each 【待填写：…】 blanked out (same length): the generator's words in it (“…决算数小于年初
    预算数的原因”) say what it asks for, not what the writer claims — no direction or reason to check."""
    return _ASKING.sub(lambda m: " " * len(m.group(0)), text) if "【待填写" in text else text
_TABLE_NUMBER = re.compile(r"(?m)^\s*表\s*1(?!\d)|公开表\s*表\s*1(?!\d)")


def _spans_parts(style: str) -> bool:
    from ..narrative.render import style_config

    return bool(style_config(style).get("narrative_parts"))


def tables_part(style: str) -> str:
    """The part (第N部分 numeral) the style prints its tables in: style.yaml `tables_part`, by default 第三部分."""
    from ..narrative.render import style_config

    return str(style_config(style).get("tables_part") or "三")


# a region's own figures (narrative/more_tables.py keys, style.yaml `data`) -> the 陕西 section they say the same
# thing as: 内蒙古 "三公明细" is the 陕西 九 told in more detail, "绩效自评" its 十三
REGION_DATA = {"收支总计": "一", "收入项目": "二", "支出项目": "三", "财政拨款收支": "四", "一般公共预算支出": "五",
               "基本支出明细": "六", "基金支出": "七", "国资支出": "八", "三公明细": "九", "机构运行经费": "十",
               "政府采购": "十一", "国有资产": "十二", "绩效自评": "十三"}


def data_ids(style: str) -> dict[str, str]:
    """section id -> the 陕西 section whose figures it prints (style.yaml `data`, through REGION_DATA for a region's
    own figures; itself by default): checks that know a section by what it says (the empty tables, 绩效 free text,
    五's 项) find it in any region's order."""
    from ..narrative.render import style_config

    out = {}
    for p in style_config(style)["parts"]:
        for s in p["sections"]:
            data = str(s.get("data", s["id"]))
            out[s["id"]] = REGION_DATA.get(data, data)
    return out


def section_parts(style: str) -> dict[str, str]:
    """section id -> "第三部分": the part of the style's 情况说明 each section stands in."""
    from ..narrative.render import style_config

    return {s["id"]: p["title"].split()[0] for p in style_config(style)["parts"] for s in p["sections"]
            if p["title"].startswith("第")}


def expected_sections(style: str) -> list[tuple[str, str]]:
    """(id, title) of the style's 情况说明 sections, from its style.yaml."""
    from ..narrative.render import style_config

    parts = style_config(style)["parts"]
    wanted = style_config(style).get("narrative_parts")
    if wanted:
        chosen = [p for p in parts if any(p["title"].startswith(f"第{n}部分") for n in wanted)]
        return [(s["id"], s["title"]) for p in chosen for s in p["sections"]]
    part = next((p for p in parts if "情况说明" in p["title"]), parts[-1])
    return [(s["id"], s["title"]) for s in part["sections"]]


def split_parts(text: str) -> tuple[str, dict[str, str]]:
    """The title page and each 第N部分 of a whole document: the text from its heading to the next part's.
    The 目录 names every part too: of two headings of one part, the one with more under it wins."""
    marks = [(m.start(), m.end(), m.group(1)) for m in _PART.finditer(text)]
    parts: dict[str, str] = {}
    for i, (_, end, n) in enumerate(marks):
        body = text[end:marks[i + 1][0] if i + 1 < len(marks) else len(text)]
        if len(body) > len(parts.get(n, "")):  # a 目录 entry has (almost) nothing under it
            parts[n] = body
    return text[:marks[0][0] if marks else 0], parts


def read_document(text: str, style: str = "shaanxi") -> Document:
    """Normalize a text and find its parts, sections and sentences. Raises InputError when fewer than half
    of the style's section titles are found."""
    clean = normalize(text)
    head, parts = split_parts(clean)
    narrative = "\n".join(parts[n] for n in narrative_parts(style) if n in parts) or clean
    table = _TABLE_NUMBER.search(narrative) if _spans_parts(style) else None
    if table:  # a 预算 text runs from its 第三部分 straight into 表1 … 表15: they are not 情况说明
        narrative = narrative[:narrative.rfind("\n", 0, table.start()) + 1]  # from the paragraph it opens
    expected = expected_sections(style)
    sections = find_sections(narrative, expected)
    if len(sections) * 2 < len(expected) and narrative is not clean:  # no 第二部分 heading over the sections
        anywhere = find_sections(clean, expected)
        if len(anywhere) > len(sections):
            narrative, sections = clean, anywhere
    if len(sections) * 2 < len(expected):
        found = "、".join(s.printed for s in sections) or "无"
        raise InputError(f"找到 {len(sections)} 个小节标题（{found}），应有 {len(expected)} 个"
                         f"（{expected[0][1]} … {expected[-1][1]}）：读不懂这份情况说明，没有核对。"
                         "请确认文件是本年度决算公开的情况说明（第二部分），且各小节标题完整")
    doc = Document(clean, head, parts, narrative, sections, expected, headings=style_headings(style),
                   tables_part=tables_part(style))
    doc.sentences = [Sentence(s.id, piece.strip()) for s in sections
                     for piece in re.split(r"(?<=。)", s.body) if piece.strip()]
    return doc


def find_sections(text: str, expected: list[tuple[str, str]]) -> list[Section]:
    """The expected sections found in text, in order: each title matched after a section number anywhere,
    and the best increasing choice kept (a 目录 entry — a title with no body — is skipped)."""
    titles = [_core(title) for _, title in expected]
    numbers = [re.match(r"^(\S+?)、", title).group(1) if "、" in title else "" for _, title in expected]
    counts = [Counter(core) for core in titles]
    reach = max(map(len, titles), default=0) + 8  # the widest window _title_at looks at
    candidates = []  # (start, body start, title index, score)
    for m in _CANDIDATE.finditer(text):
        ahead = Counter(text[m.end():m.end() + reach])
        for k, core in enumerate(titles):
            same_number = m.group(1) == numbers[k]  # None for the other forms: their titles must match closely
            need = TITLE_MATCH if same_number else RENUMBERED_MATCH
            # characters in common, in any order, bound the share found in order: most numbers ("1、", "一、"
            # in a list) are followed by no title, and difflib need not look
            if not core or sum((counts[k] & ahead).values()) / len(core) < need:
                continue
            end, score = _title_at(text, m.end(), core)
            if score >= need:
                candidates.append((m.start(), end, k, score + (0.1 if same_number else 0)))
    candidates = [c for c in candidates if not _toc_entry(text, c, candidates)]
    chosen = _best_increasing(candidates)
    chosen = sorted(chosen + _out_of_order(text, candidates, chosen, numbers))
    out = []
    for i, (start, end, k, _) in enumerate(chosen):
        stop = chosen[i + 1][0] if i + 1 < len(chosen) else len(text)
        body = join_lines(text[end:stop])
        out.append(Section(expected[k][0], expected[k][1], text[start:end].strip(), body))
    return out


def _out_of_order(text: str, candidates: list[tuple], chosen: list[tuple], numbers: list[str]) -> list[tuple]:
    """Sections the increasing choice left out that still stand as headings of their own: their own number and
    title at the start of a line, clear of the sections chosen (“二、收入决算情况说明” printed after 三). Left
    out, each would be read as part of the section before it, and its figures checked against that one's."""
    have = {c[2] for c in chosen}
    starts = {c[0] for c in chosen}
    extra: dict[int, tuple] = {}
    for c in candidates:
        start, end, k, score = c
        if k in have or score < TITLE_MATCH + 0.1 or (start and text[start - 1] != "\n"):
            continue  # renumbered, weakly alike, or inside a sentence (“详见三、…”)
        if not text[start:].startswith(numbers[k]) or start in starts:
            continue
        if k not in extra or score > extra[k][3]:
            extra[k] = c
    return list(extra.values())


def join_lines(text: str) -> str:
    """Paragraphs as one run of text; a table row (cells split by tabs) keeps a tab on each side."""
    out, row = "", False
    for line in (l.strip() for l in text.splitlines()):
        if not line:
            continue
        if out and (row or is_row(line)):
            out += "\t"
        out += line
        row = is_row(line)
    return out


def _core(title: str) -> str:
    return title.split("、", 1)[1] if "、" in title else title


def _title_at(text: str, at: int, core: str) -> tuple[int, float]:
    """How much of a title stands right after position at (characters found in order, as a share of the
    title), and where the printed title ends."""
    window = text[at:at + len(core) + 8]
    blocks = [b for b in SequenceMatcher(None, core, window, autojunk=False).get_matching_blocks() if b.size]
    if not blocks or blocks[0].b > 3:
        return at, 0.0
    kept = [b for b in blocks if b.size >= 2 or b is blocks[0]]
    matched = sum(b.size for b in kept)
    return at + kept[-1].b + kept[-1].size, matched / len(core)


def _toc_entry(text: str, cand: tuple, candidates: list[tuple]) -> bool:
    """A title followed straight away by another title (only page numbers and dots between): a 目录 line."""
    gap = re.match(r"[\s.·…\d—-]*", text[cand[1]:])
    after = cand[1] + (gap.end() if gap else 0)
    return any(c[0] == after for c in candidates if c is not cand)


def _best_increasing(candidates: list[tuple]) -> list[tuple]:
    """The candidates, increasing in both position and title order, with the greatest total score."""
    candidates = sorted(candidates)
    best: list[tuple[float, list[int]]] = []  # for each candidate, the best chain ending with it
    for j, (start, _, k, score) in enumerate(candidates):
        top: tuple[float, list[int]] = (0.0, [])
        for i, prev in enumerate(candidates[:j]):
            if prev[2] < k and prev[1] <= start and best[i][0] > top[0]:
                top = best[i]
        best.append((top[0] + score, top[1] + [j]))
    if not best:
        return []
    return [candidates[j] for j in max(best, key=lambda b: b[0])[1]]


def sentences(text: str, style: str = "shaanxi") -> list[Sentence]:
    """The 情况说明's sentences, each with its section id."""
    return read_document(text, style).sentences


def sections(text: str, style: str = "shaanxi") -> list[tuple[str, str]]:
    """[(section id, its text joined into one line)] of the 情况说明, in document order."""
    return [(s.id, s.body) for s in read_document(text, style).sections]
