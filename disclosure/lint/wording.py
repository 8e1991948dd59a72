"""Text-side rules any published document should pass, whatever its tables say (L13–L19): shares within
0–100%, no placeholders left, one spelling of the unit's name, no doubled words or broken punctuation,
部门/单位 wording that fits the document, and the "本表无数据" note of an empty table.

Each rule is a function of the read Document (text.py) and the Report, registered with its id and
title; its docstring says what it checks and why (docs/lint.md lists them).
"""

from __future__ import annotations

import re
from decimal import Decimal
from difflib import SequenceMatcher
from functools import cached_property
from typing import Callable, Iterable, Iterator

import msgspec

from ..checks.engine import ERROR, INFO, WARNING
from ..model import Report
from ..narrative.facts import Missing
from .findings import PART_ONE, PART_THREE, TITLE_PAGE, LintFinding, rule
from .normalize import squeeze
from .text import Document, Sentence

CJK = r"\u4e00-\u9fff"


class Context(msgspec.Struct, dict=True):
    doc: Document
    report: Report
    missing: list[Missing]  # the 说明数据 the generator asks for with 【待填写：…】 (this workbook leaves them empty)
    draft_ok: bool = False  # the caller marks a draft itself (export: 草稿 and a warning): those are no findings

    @cached_property
    def prose(self) -> list[Sentence]:
        """Sentences of the title page, 第一部分 and the 情况说明 — not the tables of 第三部分."""
        out = []
        for section, text in ((TITLE_PAGE, self.doc.title_page), (PART_ONE, self.doc.parts.get("一", ""))):
            out += [Sentence(section, p.strip()) for line in text.splitlines()
                    for p in re.split(r"(?<=。)", line) if p.strip()]
        return out + self.doc.sentences

    def blocks(self) -> list[tuple[str, str]]:
        """(section, text) of the title page, 第一部分 and each section of the 情况说明, sentences unsplit."""
        return ([(TITLE_PAGE, self.doc.title_page), (PART_ONE, self.doc.parts.get("一", ""))]
                + [(s.id, s.body) for s in self.doc.sections])


TEXT_RULES: list[Callable[[Context], Iterable[LintFinding]]] = []


def _text_rule(id: str, title: str, severity: str):
    def wrap(func):
        TEXT_RULES.append(rule(id, title, severity)(func))
        return func
    return wrap


def run(doc: Document, report: Report, missing: list[Missing], draft_ok: bool = False) -> list[LintFinding]:
    ctx = Context(doc, report, missing, draft_ok)
    return [f for func in TEXT_RULES for f in func(ctx)] + list(title_years(ctx))


_TITLE_YEAR = re.compile(r"(20\d\d)\s*年度?\s*(?:部门|单位)?\s*(?:决算|预算)")


def title_years(ctx: Context) -> Iterator[LintFinding]:
    """L07 (findings.py) on the titles: the title page or a part's title naming another year than the report's
    (“2023年度部门决算情况说明” over a 2024 report's text, last year's title left as it was)."""
    kind = "预算" if "预算" in ctx.report.kind else "决算"
    titles = [(TITLE_PAGE, ctx.doc.head)] + [(PART_ONE if k == "一" else f"第{k}部分", text.split("\n", 1)[0])
                                             for k, text in ctx.doc.parts.items()]
    for section, text in titles:
        for m in _TITLE_YEAR.finditer(text):
            if m.group(0).endswith(kind) and int(m.group(1)) != ctx.report.year:
                yield LintFinding("L07", ERROR, section, _snippet(text, m.start(), m.end(), 20), f"“{m.group(0)}”",
                                  f"本报告是{ctx.report.year}年度：标题应为“{ctx.report.year}年度…{kind}”")
                break


def _snippet(text: str, start: int, end: int, around: int = 6) -> str:
    return text[max(0, start - around):end + around]


# ---------------------------------------------------------------- L13 shares

_SHARE = re.compile(rf"占(?!用|有|地)([^，。；：%\d]{{0,30}}?)(-?\d+(?:\.\d+)?)\s*%|(?:比重|占比)(?:为|是|达)?\s*(-?\d+(?:\.\d+)?)\s*%")
_NOT_SHARE = re.compile(r"预算|完成|执行|增长|下降|上年|同期")  # 完成年初预算的 110% is a completion rate


@_text_rule("L13", "占比超出 0–100%", ERROR)
def shares(ctx: Context) -> Iterator:
    """A share ("占…的 X%", "比重 X%") below 0 or above 100%: a part cannot exceed its whole. A completion
    rate ("完成年初预算的 110%") or a growth rate is not a share and may exceed 100%."""
    for s in ctx.prose:
        for m in _SHARE.finditer(s.text):
            if m.group(1) is not None and _NOT_SHARE.search(m.group(1)):
                continue
            value = Decimal(m.group(2) or m.group(3))
            if value < 0 or value > 100:
                yield LintFinding("L13", ERROR, s.section, s.text, f"“{m.group(0)}”",
                                  "占比应在 0–100% 之间：核对分子、分母是否写反或取错")


# ---------------------------------------------------------------- L14 placeholders

_PLACEHOLDER = re.compile(r"[XＸ]{2,}|[×╳]{2,}|某某|待填写|待补充|＊{2,}")
_ELLIPSIS = re.compile(r"…+|\.{3,}")


@_text_rule("L14", "占位符未替换", f"{ERROR}/{WARNING}")
def placeholders(ctx: Context) -> Iterator:
    """Placeholders of a template left in a text or title: "XX", "××", "某某", "待填写" (错误), and "…"
    (警告: a template's blank row or a cut sentence, though rarely a real ellipsis). The generator's own
    【待填写：…】 for an input this workbook lacks is an 错误 too, naming the 说明数据 cell to fill — a text that
    still asks for its figures is not ready to publish, whoever wrote it — unless the caller marks drafts
    itself (draft_ok: the export prints 草稿 on every page and lists the inputs)."""
    # as normalize() left them in the text
    ours = [(squeeze(m.placeholder).replace("\t", ""), m) for m in ctx.missing]

    def clean(text: str) -> str:
        for p, _ in ours:
            text = text.replace(p, "")
        return text

    for s in ctx.prose:
        for p, m in [] if ctx.draft_ok else ours:
            for _ in range(s.text.count(p)):
                what = "原因说明" if m.key.startswith("原因.") else m.label  # a reason's key is no word of the officer's
                where = f"（{m.cell}）" if m.cell else ""
                yield LintFinding("L14", ERROR, s.section, s.text, f"“{p}”",
                                  f"{what}{where}尚未填写：填写后重新生成情况说明，或在文中写上实际内容")
        text = clean(s.text)
        for m in _PLACEHOLDER.finditer(text):
            yield LintFinding("L14", ERROR, s.section, s.text, f"“{_snippet(text, m.start(), m.end())}”",
                              f"“{m.group(0)}”是模板占位符，应替换为实际内容")
    tables = clean(ctx.doc.tables)
    for m in _PLACEHOLDER.finditer(tables):
        yield LintFinding("L14", ERROR, PART_THREE, _snippet(tables, m.start(), m.end(), 20),
                          f"“{_snippet(tables, m.start(), m.end())}”", f"“{m.group(0)}”是模板占位符，应替换为实际内容")
    by_section: dict[str, list[tuple[Sentence, re.Match]]] = {}
    for s in ctx.prose:
        for m in _ELLIPSIS.finditer(clean(s.text)):
            by_section.setdefault(s.section, []).append((s, m))
    for section, hits in by_section.items():
        s, m = hits[0]
        yield LintFinding("L14", WARNING, section, s.text, f"省略号“{m.group(0)}” {len(hits)} 处",
                          "核对是否模板留下的空行或未写完的句子")


# ---------------------------------------------------------------- L15 unit name

_LEVELS = "(?:省|自治区|市|自治州|州|盟|县|自治县|区|旗)"
_FORM_LABEL = re.compile(r"^(?:主管部门|实施单位|单位名称|部门（单位）名称|部门名称|预算单位|项目单位)")
_REGION = re.compile(rf"^(.+?{_LEVELS})")
_SUFFIX = "局|委员会|办公室|中心|医院|院|所|站|馆|厅|处|队"
# the unit named on the title page, however it is set: “咸阳市医疗保障局2023年度部门决算”, its year pushed after
# the words by a PDF's lines (“上海市普陀区财政局 / 年度部门决算 / 2024”), or before the name (内蒙古: “2023年度乌海市
# 医疗保障局（部门）决算公开”); a 预算 likewise (“绥德县医疗保障局2023年部门综合预算”)
_KIND = r"(?:部门|单位)?(?:综合)?(?:决算|预算)"
_TITLES = (re.compile(rf"^(.{{2,40}}?)\s*\d{{4}}\s*年度?\s*{_KIND}"), re.compile(rf"^(.{{2,40}}?)\s*年度\s*{_KIND}"),
           re.compile(rf"^\s*\d{{4}}\s*年度?\s*(.{{2,40}}?)\s*{_KIND}"))
_AS_WHAT = re.compile(r"（汇总）|\(汇总\)|[（(](?:部门|单位)[）)]")
SAME_NAME = 0.7  # how alike a name must be to be a spelling of the unit's (医保局 for 医疗保障局)
# how unlike a title's name must be to name another unit altogether: 上海市普陀区财政局 against 子洲县医疗保障局 is
# 0.12, 榆林市财政局 0.14; a unit of the same place or kind (子洲县卫生健康局 0.50, 米脂县医疗保障局 0.75) or a
# longer form of the name (中共榆林市委政法委员会 for 榆林市委政法委, 0.78) stays a 警告
OTHER_UNIT = 0.4


@_text_rule("L15", "单位名称前后不一致", f"{ERROR}/{WARNING}")
def unit_name(ctx: Context) -> Iterator:
    """The unit's name spelled the same on the title and throughout the text (and as in the workbook): a
    shortened or mistyped name ("咸阳市医保局" for 咸阳市医疗保障局) in a formal document is a slip (警告);
    a title naming another unit altogether (OTHER_UNIT) is a 错误 — another unit's text, or the wrong workbook
    chosen, and then every figure that differs follows from it, which the finding says first. Names of other units in
    the text (a 下属单位, the 财政局) are not compared: only a name alike the unit's is."""
    unit = re.sub(r"\s+", "", ctx.report.unit_name or "")
    core = re.sub(r"（汇总）|\(汇总\)|本级$", "", unit)
    if not core:
        return
    head = ctx.doc.title_page.replace("\n", "")
    titled = next((m.group(1) for pattern in _TITLES if (m := pattern.match(head))), None)
    named = re.sub(r"\s+", "", _AS_WHAT.sub("", titled)) if titled is not None else core
    if named != core and SequenceMatcher(None, named, core).ratio() < OTHER_UNIT:
        yield LintFinding("L15", ERROR, TITLE_PAGE, head[:60], f"标题中的单位名称“{titled.strip()}”",
                          f"不是工作簿的单位“{unit}”：这是另一个单位的情况说明，还是选错了工作簿？"
                          "下面与表格不符的数字多半由此而来")
    elif named != core:
        yield LintFinding("L15", WARNING, TITLE_PAGE, head[:60], f"标题中的单位名称“{titled.strip()}”",
                          f"与工作簿的单位名称“{unit}”不一致")
    region = _REGION.match(core)
    if not region:
        return
    subordinate = ctx.report.inputs.get("单位构成") if ctx.report.inputs else None
    known = {core} | {re.sub(r"\s+", "", n) for n in (subordinate or []) if isinstance(n, str)}
    names = re.compile(rf"{re.escape(region.group(1))}[{CJK}]{{1,12}}?(?:{_SUFFIX})")
    seen: dict[str, list[Sentence]] = {}
    texts = [s for s in ctx.prose if s.section != TITLE_PAGE] + [Sentence(PART_THREE, ctx.doc.tables)]
    for s in texts:
        for m in names.finditer(s.text):
            name = m.group(0)
            if name in known or name.startswith(core) or not name.endswith(core[-1]):
                continue
            if SequenceMatcher(None, name, core).ratio() >= SAME_NAME:
                seen.setdefault(name, []).append(s)
    for name, where in seen.items():
        s = where[0]
        yield LintFinding("L15", WARNING, s.section, s.text[:120], f"单位名称写作“{name}”（{len(where)} 处）",
                          f"应与标题一致：“{core}”")
    yield from _elsewhere(core, region.group(1), known, texts)


def _elsewhere(core: str, region: str, known: set[str], texts: list[Sentence]) -> Iterator:
    """The same kind of unit of another place at the same level (“乌鲁木齐市医疗保障局” as 主管部门 in 乌海市's
    自评表): a form copied from elsewhere and not changed. A superior (the 市 above a 县) is no finding; only a
    name standing at a cell's start or after a non-Chinese character is read (where a place name surely
    begins)."""
    rest = core[len(region):]
    if len(rest) < 2:
        return
    # from where a run of Chinese starts to a place's level followed by the unit's own name (医疗保障局); the run
    # may begin with a form's label (主管部门, 实施单位) or a heading's word run on (职责乌海市…)
    others = re.compile(rf"(?<![{CJK}])([{CJK}]*?{_LEVELS}){re.escape(rest)}")
    found: dict[str, list[Sentence]] = {}
    for s in texts:
        for cell in s.text.split("\t"):
            for m in others.finditer(cell):
                before = m.group(1)
                if before.endswith(region) or before[-1] != region[-1]:
                    continue  # our own place (whatever stands before it), or another level (the 市 above a 县)
                name = _FORM_LABEL.sub("", before) + rest
                if len(name) - len(rest) >= 3 and name not in known:
                    found.setdefault(name, []).append(s)
    for name, where in found.items():
        s = where[0]
        yield LintFinding("L15", WARNING, s.section, s.text[:120], f"另一地区的单位名称“{name}”（{len(where)} 处）",
                          f"本单位是“{core}”：是否从别处复制后未改？")


# ---------------------------------------------------------------- L16 doubled words

_DOUBLED = re.compile(rf"([{CJK}]{{2,4}})\1|(的|是|和|及|与|对|把|被|将|在)\2")


@_text_rule("L16", "字词重复", WARNING)
def doubled_words(ctx: Context) -> Iterator:
    """A word typed twice ("的的", "医疗医疗保障"): a slip of typing or of copy and paste. Each table cell is
    read on its own (two cells of one word, "提高 提高", are not a double); reduplicated words (实实在在,
    方方面面) are not doubles."""
    for s in ctx.prose:
        for cell in s.text.split("\t"):
            for m in _DOUBLED.finditer(cell):
                if m.group(2) and _reduplicated(cell, m.start(), m.end()):
                    continue
                yield LintFinding("L16", WARNING, s.section, s.text, f"“{_snippet(cell, m.start(), m.end(), 3)}”",
                                  f"“{m.group(1) or m.group(2)}”重复了")


def _reduplicated(text: str, start: int, end: int) -> bool:
    """"在在" inside 实实在在, "的的" inside 的的确确: one half of an AABB word."""
    before, after = text[max(0, start - 2):start], text[end:end + 2]
    return (len(before) == 2 and before[0] == before[1]) or (len(after) == 2 and after[0] == after[1])


# ---------------------------------------------------------------- L17 punctuation

_BROKEN = re.compile(r"[，、；：][，。、；：]|。[，、；：。]")
_ASCII_COMMA = re.compile(r",")


@_text_rule("L17", "标点错误", f"{WARNING}/{INFO}")
def punctuation(ctx: Context) -> Iterator:
    """Broken punctuation: two marks in a row ("。。", "，。", "、、") and a left bracket never closed in its
    section ("增长（0%，") are 警告; an ASCII comma inside a Chinese
    sentence ("万元, 执行数") a 提示, one per section with the count (thousands separators "2,444.56" and
    commas between English words are fine)."""
    commas: dict[str, list[tuple[Sentence, int]]] = {}
    for section, text in ctx.blocks():  # whole blocks: "。。" ends one sentence and starts no other
        for m in _BROKEN.finditer(text):
            yield LintFinding("L17", WARNING, section, _snippet(text, m.start(), m.end(), 40),
                              f"“{_snippet(text, m.start(), m.end(), 4)}”", f"标点“{m.group(0)}”连用：删去多余的一个")
        for at in _unclosed(text):
            yield LintFinding("L17", WARNING, section, _snippet(text, at, at + 1, 30),
                              f"“{_snippet(text, at, at + 1, 6)}”", f"括号“{text[at]}”没有对应的右括号：补上或删去")
    for s in ctx.prose:
        for m in _ASCII_COMMA.finditer(s.text):
            before, after = s.text[m.start() - 1:m.start()], s.text[m.end():m.end() + 1]
            if before.isascii() and after.isascii():
                continue  # 2,444.56 or "a, b"
            commas.setdefault(s.section, []).append((s, m.start()))
    for section, hits in commas.items():
        s, at = hits[0]
        yield LintFinding("L17", INFO, section, s.text, f"英文逗号“,” {len(hits)} 处（如“{_snippet(s.text, at, at + 1, 4)}”）",
                          "中文句中应用全角逗号“，”")


def _unclosed(text: str) -> list[int]:
    """Where a left bracket （ ( is never closed in its section (“增长（0%，变动原因…”). A right bracket closes the
    nearest open one of either width; a stray right one (a list's “1）”) is let be — only what is surely
    unclosed is reported."""
    open_at: list[int] = []
    for i, ch in enumerate(text):
        if ch in "（(":
            open_at.append(i)
        elif ch in "）)" and open_at:
            open_at.pop()
    return open_at


# ---------------------------------------------------------------- L18 部门/单位

_KIND = re.compile(r"(部门|单位)决算")
_WORDS = {"部门": ("本单位", "单位决算"), "单位": ("本部门", "部门决算")}


@_text_rule("L18", "部门/单位用语与文档不符", WARNING)
def department_or_unit(ctx: Context) -> Iterator:
    """A 单位决算 says 本单位 and 单位决算 throughout; a 部门决算 says 本部门 and 部门决算. The document's kind
    is read from its title (or the 情况说明's heading), else from the wording most of the text uses; the
    other wording is reported once per word, with the count."""
    heading = ctx.doc.head + ctx.doc.narrative[:60]
    m = _KIND.search(heading)
    if m:
        kind = m.group(1)
    else:
        text = "".join(s.text for s in ctx.doc.sentences)
        counts = {k: text.count(f"本{k}") for k in ("部门", "单位")}
        if counts["部门"] == counts["单位"]:
            return
        kind = max(counts, key=counts.get)  # type: ignore[arg-type]

    def own(text: str) -> str:  # the style's own headings ("二、部门决算单位构成") are not the writer's words
        for heading in ctx.doc.headings:
            text = text.replace(heading, "")
        return text.replace("事业单位决算", "")  # "下属行政事业单位决算" (上海模板) names other units' accounts

    owned = [(s, own(s.text)) for s in ctx.prose]  # once per sentence, for both words
    for word in _WORDS[kind]:
        where = [s for s, text in owned if word in text]
        if where:
            yield LintFinding("L18", WARNING, where[0].section, where[0].text, f"“{word}” {len(where)} 句",
                              f"本文档是{kind}决算：应写“本{kind}”“{kind}决算”")


# ---------------------------------------------------------------- L19 empty tables

_EMPTY_NOTE = re.compile(r"本表无数据|无数据|空表|不涉及|本表为空")


@_text_rule("L19", "空表缺少“本表无数据”说明", WARNING)
def empty_table_notes(ctx: Context) -> Iterator:
    """An empty table in 第三部分 carries a note saying so ("本表无数据", "本部门不涉及故公开空表"), under
    the table or in the 目录 of the tables. Only read when the text includes 第三部分 and its tables."""
    tables = ctx.doc.tables
    if not tables:
        return
    report = ctx.report
    titles = {tid: t.spec.title for tid, t in report.tables.items()}
    found = sorted((m.start(), -len(title), tid) for tid, title in titles.items()
                   for m in re.finditer(re.escape(title), tables))
    spots: list[tuple[int, str]] = []  # where each title stands; "支出决算表" inside a longer title is not one
    for at, _, tid in found:
        if not spots or at >= spots[-1][0] + len(titles[spots[-1][1]]):
            spots.append((at, tid))
    if not spots:
        return
    for tid, table in sorted(report.tables.items()):
        if not table.is_empty:
            continue
        title = titles[tid]
        lines = [line for line in tables.splitlines() if title in line]
        blocks = []
        for i, (at, t) in enumerate(spots):
            if t == tid:
                nxt = next((a for a, _ in spots[i + 1:] if a > at), len(tables))
                blocks.append(tables[at:min(nxt, at + 600)])
        if any(_EMPTY_NOTE.search(x) for x in lines + blocks):
            continue
        if blocks:
            yield LintFinding("L19", WARNING, PART_THREE, blocks[-1][:80], f"{table.spec.number}（{title}）是空表",
                              "表下或目录中应注明“本表无数据”（或“本部门不涉及，故公开空表”）")


# ---------------------------------------------------------------- L20 misspelt terms

# the fixed terms of a 决算/预算 公开 that a slip of typing (or of a PDF's text layer) shortens or scrambles
TERMS = ["一般公共预算", "政府性基金预算", "国有资本经营预算", "财政拨款", "基本支出", "项目支出", "人员经费", "公用经费",
         "机关运行经费", "公务接待费", "公务用车购置费", "公务用车运行维护费", "因公出国（境）费", "政府采购",
         "部门综合预算", "部门决算", "上年结转", "年初预算", "绩效目标", "经济分类", "功能分类"]


def _slips(term: str) -> dict[str, str]:
    """Misspellings of a term: one character inside it left out, or two neighbours swapped — none a real
    word of the list, none shorter than four characters (a three-character shortening is too often a real
    word). The first and last characters are kept: "公务用车购置" (…费 left out) is a real phrase."""
    out = {}
    for i in range(len(term)):
        if 0 < i < len(term) - 1:
            out[term[:i] + term[i + 1:]] = term
        if i + 1 < len(term) and term[i] != term[i + 1]:
            out[term[:i] + term[i + 1] + term[i] + term[i + 2:]] = term
    return {s: t for s, t in out.items() if len(s) >= 4 and not any(s in x for x in TERMS)}


_SLIPS = {s: t for term in TERMS for s, t in _slips(term).items()}
_SLIP = re.compile("|".join(sorted(map(re.escape, _SLIPS), key=len, reverse=True)))


# “截止” ends something (截止日期); up to a point in time is “截至”: “截止上年底” is the classic slip
_UP_TO = re.compile(r"截止(?=\s*(?:\d{4}\s*年|上年|本年|当年|去年|年底|年末|目前|当前|\d{1,2}\s*月))")


@_text_rule("L20", "术语写错", WARNING)
def misspelt_terms(ctx: Context) -> Iterator:
    """A fixed term of the disclosure with a character left out or two swapped ("一般共预算" for 一般公共预算,
    "政府性基预算"): a typing slip the reader notices at once; and “截止” before a point in time (“截止上年底”,
    “截止2024年12月31日”), which is “截至”. Only the listed terms are known; other words are not judged."""
    for s in ctx.prose:
        for m in _SLIP.finditer(s.text):
            yield LintFinding("L20", WARNING, s.section, s.text, f"“{m.group(0)}”",
                              f"应为“{_SLIPS[m.group(0)]}”")
        for m in _UP_TO.finditer(s.text):
            yield LintFinding("L20", WARNING, s.section, s.text, f"“{_snippet(s.text, m.start(), m.end(), 4)}”",
                              "到某一时间为止应写“截至”（“截止”是到期停止，如“截止日期”）")


# ---------------------------------------------------------------- L23 a figure left out

_NUMBER_WORDS = "0-9０-９零〇一二三四五六七八九十百千万亿两几数余多上"
# the unit where the figure should be (“均为万元”, “支出万元，占”); “百万元”, “单位：万元”, “每万元” are no gap, nor
# 陕西's own boilerplate “部分数据约值万元时显示为零” (every published text and the province's template say so)
# (each pattern opens with its unit, the characters before it looked at from there: re finds a literal fast)
_NO_AMOUNT = re.compile(rf"[亿万]元(?<=[{CJK}][亿万]元)(?<![{_NUMBER_WORDS}每位值][亿万]元)"
                        r"|元(?<=[为计达出入少加额费]元)(?![旦月素件宵宝首])")
_NAMES_THE_UNIT = ("换为", "算为", "合为", "换成", "算成", "以", "按", "用")  # “本表金额转换为万元时”: the unit itself
_PERCENT_SIGN = re.compile(r"[%％]")
_NOT_BEFORE_PERCENT = re.compile(rf"[{_NUMBER_WORDS}的占为]")  # a number; “的%”, “占%”, “为%” are L05's
# a count word straight after the verb that counts (“本年新增名退休人员2名”, “公务用车共有辆”); 名称, 个人, 台账,
# 项目 … are words, not counts
_NO_COUNT = re.compile(rf"(新增|增加|减少|共有|实有|现有|共计|合计|累计|购置|配备|保有|派出)(名|辆|台|个)"
                       rf"(?![称单录义额下字次目人体性别账式数湾])(?=[{CJK}，。；、,;])"
                       r"|(人员|人数)(人|名)(?=[，。；、,;）)])")


@_text_rule("L23", "金额或数量缺少数字", f"{ERROR}/{WARNING}")
def missing_figures(ctx: Context) -> Iterator:
    """A figure left out of its sentence: the unit printed with no number before it (“收入总计、支出总计均为万元”,
    “下降%”) is an 错误 — a template filled in part, or a number deleted with the one it replaced; a count word
    with no number (“本年新增名退休人员2名”, “公务用车共有辆”) a 警告. Without this the number is simply not
    there, and nothing else would notice: a sentence may leave a figure out."""
    for s in ctx.prose:
        for m in _NO_AMOUNT.finditer(s.text):
            if s.text[:m.start()].endswith(_NAMES_THE_UNIT):
                continue
            yield LintFinding("L23", ERROR, s.section, s.text, f"“{_snippet(s.text, m.start(), m.end(), 8)}”",
                              f"“{m.group(0)}”前缺少金额数字：补上数字")
        for m in _PERCENT_SIGN.finditer(s.text):
            before = s.text[:m.start()].rstrip()[-1:]
            if not before or not re.match(f"[{CJK}]", before) or _NOT_BEFORE_PERCENT.match(before):
                continue
            yield LintFinding("L23", ERROR, s.section, s.text, f"“{_snippet(s.text, m.start(), m.end(), 8)}”",
                              "百分号前缺少数字：补上百分比")
        for m in _NO_COUNT.finditer(s.text):
            unit = m.group(2) or m.group(4)
            yield LintFinding("L23", WARNING, s.section, s.text, f"“{_snippet(s.text, m.start(), m.end(), 6)}”",
                              f"“{unit}”前缺少数字：补上人数、车辆数等，或删去多余的“{unit}”")


# ---------------------------------------------------------------- L24 sections left out

@_text_rule("L24", "情况说明缺少小节", WARNING)
def missing_sections(ctx: Context) -> Iterator:
    """A section of the 情况说明 the style prints (the region's own list) that the text lacks, or whose
    heading stands with nothing under it: a disclosure must say something in every section — “无” and why,
    when there is nothing to report. (A text with fewer than half the sections is not linted at all.)"""
    found = {s.id: s for s in ctx.doc.sections}
    for sid, title in ctx.doc.expected:
        s = found.get(sid)
        if s is None:
            yield LintFinding("L24", WARNING, sid, "", f"找不到“{title}”这一节（或标题下没有内容）",
                              "补上这一节；没有相关内容时写明“无”或“不涉及”并说明原因")
        elif not s.body.strip():
            yield LintFinding("L24", WARNING, sid, s.printed, f"“{s.printed}”下没有内容", "补上这一节的说明")
