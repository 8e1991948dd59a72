"""Last year's published text as this year's start (issue 22: `--prior 上年公开.pdf`): the words an officer would
otherwise copy by hand — 主要职责, 内设机构, 单位构成, 联系电话 — and last year's reasons, offered beside this
year's reasons to explain (the 原因说明 sheet's reference column), never filled in silently.

The text is found by the structure of last year's region style (its 第一部分 sections by their titles, as lint
finds the 情况说明's), so a 陕西, 内蒙古 or 上海 document is read alike. Whatever is not found is left out: the
officer types it, as without a prior document.
"""

from __future__ import annotations

import re

import msgspec
from msgspec import field

from .lint.normalize import normalize
from .lint.text import data_ids, find_sections, read_document, split_parts
from .narrative.render import style_config

_DUTIES = re.compile(r"[（(][一1][）)]\s*(?:主要)?(?:职责|职能)[：:]?(.*?)(?=[（(][二2][）)]\s*内设机构|\Z)", re.S)
_OFFICES = re.compile(r"[（(][二2][）)]\s*内设机构[：:]?(.*)\Z", re.S)
_NUMBERED = re.compile(r"\d{1,2}[.、．]?")  # list numbers, and the 序号 of a table flattened into the text
_UNIT_END = ("局", "院", "中心", "所", "站", "办", "办公室", "委员会", "馆", "队", "处", "会", "校", "园", "部", "厅", "委")
_PHONE = re.compile(r"(?:联系|咨询)电话[:：]?\s*[（(]?(1\d{10}|[（(]0\d{2,3}[)）]\s*\d{7,8}|(?:0\d{2,3}[-－\s]?)?\d{7,8})")
_REASON = re.compile(r"(?:主要)?原因(?:是|为)?[:：]\s*(.+?)(?:。|$)")


class PriorText(msgspec.Struct):
    """What last year's document says that this year's text starts from."""

    duties: str = ""  # 主要职责
    offices: str = ""  # 内设机构
    units: list[str] = field(default_factory=list)  # 单位构成
    phone: str = ""  # 联系电话
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (section id in 陕西 numbering, sentence)

    def inputs(self) -> dict[str, object]:
        """The 说明数据 values found (主要职责, 内设机构, 单位构成, 联系电话)."""
        out: dict[str, object] = {"主要职责": self.duties, "内设机构": self.offices, "单位构成": self.units,
                                  "联系电话": self.phone}
        return {k: v for k, v in out.items() if v}


def read_prior_text(text: str, style: str) -> PriorText:
    """The 概况, 联系电话 and reasons of a published document's text, read in its region's style."""
    clean = normalize(text)
    found = PriorText(phone=_phone(clean))
    overview = _overview_sections(clean, style)
    first = next((body for sid, body in overview if sid.endswith("一")), "")
    duties = _DUTIES.search(first)
    found.duties = _tidy(duties.group(1) if duties else first)
    offices = _OFFICES.search(first)
    found.offices = _tidy(offices.group(1)) if offices else ""
    second = next((body for sid, body in overview if sid.endswith("二")), "")
    found.units = _units(second)
    try:
        doc = read_document(text, style)
    except Exception:  # no 情况说明 to read: the 概况 and 电话 still help
        return found
    meaning = data_ids(style)  # the region's section -> the 陕西 one whose figures it prints
    found.reasons = [(meaning.get(s.section, s.section), s.text) for s in doc.sentences if _REASON.search(s.text)]
    return found


def _overview_sections(clean: str, style: str) -> list[tuple[str, str]]:
    """第一部分's sections by the style's titles (its {year}/{unit} left out of the match)."""
    _, parts = split_parts(clean)
    first = parts.get("一", clean)
    layout = style_config(style)
    expected = [(str(sec["id"]), re.sub(r"\{[a-z_]+\}", "", str(sec["title"])))
                for sec in layout["parts"][0]["sections"] if sec.get("title")]
    return [(s.id, s.body) for s in find_sections(first, expected)]


def _units(body: str) -> list[str]:
    """The units a 单位构成 lists, numbered (“1.某某局（本级）；2.某某中心”) or as a table the PDF's text runs
    together (“序号单位名称1某某局本级2某某中心”)."""
    names = []
    body = re.sub(r"序号|单位名称|备注", " ", body)  # the column titles of a 单位构成 table
    for piece in _NUMBERED.split(body):
        for token in re.split(r"[；;。，,\s：:]", piece):
            name = re.sub(r"[（(]?本级[）)]?(?:[（(][^（）()]*[）)])?$", "", token.strip())  # 本级, 本级（机关）
            name = re.sub(r"^.*?(?:纳入|并入本级|包括)", "", name)  # the sentence's words run into the name
            if 4 <= len(name) <= 40 and name.endswith(_UNIT_END) and not name.startswith(("个", "等", "共")) \
                    and name not in names:
                names.append(name)
    return names


def _phone(clean: str) -> str:
    m = _PHONE.search(clean)
    return m.group(1).strip() if m else ""


def _tidy(text: str) -> str:
    """Paragraphs as the officer would type them: lines a PDF broke mid-sentence joined, each numbered item
    (“2.贯彻执行…”) on a line of its own."""
    text = re.sub(r"(?<=[。；;])\s*(?=(?:\d{1,2}[.、．](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[）)]))", "\n", text)
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    out: list[str] = []
    for line in lines:
        if out and not re.search(r"[。；;：:]$", out[-1]) and not re.match(r"^(\d+[.、．]|[（(][一二三四五六七八九十\d]+[）)])", line):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def suggestions(prior: PriorText, needed: list[tuple[str, str, str]]) -> dict[str, str]:
    """For each reason this year's text needs ((key, section id in 陕西 numbering or "" for any, what it is
    about)), last year's sentence that gave a reason in the same section about the same subject, if any."""
    out: dict[str, str] = {}
    for key, section, subject in needed:
        words = [w for w in re.split(r"[、，,：:（）()\s\d.]+|比上年|决算与|预算执行|年初预算|预算|决算|本年|上年|万元", subject)
                 if len(w) >= 2]
        if not words:
            continue
        same = [text for sid, text in prior.reasons if sid == section or not section]
        # the sentence must name every word of the subject (a 收支总计 reason is not one for 会议费)
        fits = [text for text in same if all(w in text for w in words)]
        if fits:
            out[key] = fits[0]
    return out
