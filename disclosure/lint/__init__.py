"""Lint an existing 情况说明 against the tables: every claim is checked against the Facts the generator
would print for the same workbook.

The text, however it came (PDF copy, web page, Word), is first cleaned and split into the style's
sections (text.py, normalize.py); a text whose section titles are mostly not found is refused with an
InputError, never passed as "0 条". Each published sentence of 第一至十二部分 is paired with the most alike
sentence the generator writes (numbers masked; pairing.py); its amounts, percentages and direction words must agree
with that sentence's Facts. Free text (十三 绩效, 十四 其他) is checked only where it names a quantity the
tables hold (freetext.py). Checks that need no pairing run on every sentence: blank numbers ("占…的%"),
years and reasons (reasons.py), 科目 names vs codes, 项 of 05 left out of section 五, empty-table
statements in 七–九, and the text-side rules L13–L19 (wording.py). Rule ids and titles: findings.py.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from ..checks.engine import ERROR, INFO, WARNING
from ..model import Report
from ..narrative.facts import Fact
from ..narrative.render import render, style_for
from ..specs import YUSUAN
from . import wording
from .coded import blank_spans, budget_items, check_items, last_years
from .findings import PART_THREE, RULES, LintFinding, order_key, place_of
from .freetext import check_free_text, table_figures, wrong_unit
from .pairing import Pairer, Percent, Reference, references
from .pairing import same as _same
from .perf import check_perf
from .reasons import check_reason, check_years, in_quotes
from .text import NUMERALS, Sentence, data_ids, read_document, section_parts, without_placeholders
from .tolerance import amount_within, percent_within, rounded_figures

__all__ = ["RULES", "LintFinding", "lint"]

# 万 alone (“基本支出458.52万，”) only before punctuation: “3万人次” is a count
AMOUNT = re.compile(r"(?<!单价)(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元|万(?=[，。；、,;）)]|$))(?!及?以[上下])")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
BLANK_PERCENT = re.compile(r"(的|占|为)\s*[%％]")
CLASS_FORM = re.compile(r"([^\d（）()。，；、\s.]+)（类）([^（）()。，；]+?)（款）([^（）()。，；]+?)（项）")
CODE_FORM = re.compile(r"([^\d（）()。，；、\s.]+)\s*[（(](\d{3})[）)]\s*([^（）()\d。，；]+?)\s*[（(](\d{2})[）)]"
                       r"\s*([^（）()\d。，；]+?)\s*[（(](\d{2})[）)]")
_CODE_PART = re.compile(r"[（(]\d{3}[）)]")  # what every CODE_FORM holds
SKIP_YEARS = {"十三"}  # 绩效 narratives quote earlier years on purpose
FREE_TEXT = {"十三", "十四"}  # printed from 说明数据 as written: their numbers are not table figures
CENT = Decimal("0.01")


def _claims(text: str) -> list[Decimal]:
    return ([_dec(m.group(1)) * (10000 if m.group(2) == "亿元" else 1) for m in AMOUNT.finditer(text)]
            + [Percent(m.group(1)) for m in PERCENT.finditer(text)])


def _in_wan(value: Decimal, unit: str) -> Decimal:
    """An amount as the tables hold it, in 万元."""
    return value * 10000 if unit == "亿元" else value / 10000 if unit == "元" else value


_LABEL = re.compile(r"([\u4e00-\u9fff]{1,10}?)(?:为|是|共|均为|达|约|的)?\s*$")


def _names_quantities(s: Sentence, ref: Reference) -> bool:
    """Whether the sentence speaks of the quantities its paired sentence prints: one of its figures agrees
    with one of the reference's, or a figure's own label ("支出决算", "完成年初预算的") stands in the
    reference. "参保率98.19%" or "医保基金支出4688.99万元" beside a table sentence do neither. Figures of
    0 and 100 tell nothing either way."""
    told = False
    for m in list(AMOUNT.finditer(s.text)) + list(PERCENT.finditer(s.text)):
        value = _dec(m.group(1))
        if m.re is AMOUNT and m.group(2) == "元":
            value = value / 10000
        if value in (0, 100):
            continue
        told = True
        if any(_same(value, f.value) for _, f in ref.facts if (f.kind == "percent") == (m.re is PERCENT)):
            return True
        label = _LABEL.search(re.split(r"[，。；：、\d%％]", s.text[:m.start()])[-1])
        if label and label.group(1)[-4:] in ref.text:
            return True
    return not told


# our sentence for a change of nothing ("与上年决算相比持平。"): it prints no number to pair by
_SAYS_UNCHANGED = re.compile(r"持平|无变化|没有变化|一致")


def _unchanged(s: Sentence, pairer: Pairer, last: int) -> Reference | None:
    """A sentence whose only figures are changes ("与上年决算相比，增加0.00万元，增长0%") speaks of what our next
    sentence, "与上年决算相比持平。", speaks of: paired with it — by its words it would pair with a like sentence of
    a real change ("减少3.41万元，下降100.00%"), and its zeros be read as wrong. A change it states that is not 0
    is then found wrong against 持平 (_check_numbers)."""
    changes = list(_WORD_AMOUNT.finditer(s.text))
    if last < 0 or not changes or len(changes) != len(_claims(s.text)):
        return None
    # the next of ours, or the one after it (a sentence of ours without figures, "购置公务用车0辆。", moves no `last`)
    return next((r for order in (last + 1, last + 2) for r in pairer.refs_at(order) if r.size == 1
                 and r.section == s.section and not r.facts and _same_comparison(s.text, r.text)), None)


def _same_comparison(text: str, ours: str) -> bool:
    """Our sentence says 持平 of the comparison the text's sentence makes: its words before 持平 ("与上年决算相比")
    stand in the text ("与上年决算相比，增加0.00万元")."""
    m = _SAYS_UNCHANGED.search(ours)
    lead = re.sub(r"[，。；：\s]", "", ours[:m.start()]) if m else ""
    return bool(lead) and lead in re.sub(r"[，。；：\s]", "", text)


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def lint(text: str, report: Report, style: str | None = None, draft_ok: bool = False) -> list[LintFinding]:
    """Every finding on the text, in document order. Raises InputError when the text is not understood
    (fewer than half of the style's section titles found). style: the kind's own unless told. draft_ok: the
    【待填写：…】 the generator prints for this workbook's empty 说明数据 are no findings (the export marks such a
    text 草稿 itself); else each is an L14 错误 naming the cell to fill."""
    style = style_for(report, style)
    budget = report.kind == YUSUAN  # the checks of 决算 tables by their ids (05, 07–09) do not apply
    read = read_document(text, style)
    doc = render(report, style=style)
    pairer = Pairer(references(doc))
    # sections of ours that still ask for 说明数据: a sentence there that pairs best with another section's sentence
    # is not checked against it (十's 机关运行经费 change, unknown, taken for 一's 收入总计 change: a false 错误)
    asking = {sec.id for part in doc.parts for sec in part.sections if "【待填写" in "".join(sec.paragraphs)}
    # what a number that pairs with nothing is said to lack: the figures our section still waits for, by name
    unknown = {sec.id: _lacking(_ASKS.findall("".join(sec.paragraphs))) for part in doc.parts for sec in part.sections}
    figures = table_figures(report)
    items = budget_items(report) if budget else {}
    last_year = last_years(report, items) if items else {}
    findings: list[LintFinding] = []
    last = -1
    # the checks below know a section by what it says (陕西 numbering); a region numbers them otherwise
    meaning = data_ids(style)
    region_id = {v: k for k, v in meaning.items()}
    canon = [Sentence(meaning.get(s.section, s.section), s.text) for s in read.sentences]
    for s in read.sentences:
        if meaning.get(s.section, s.section) in FREE_TEXT and not budget:
            found = check_free_text(s, report)
        else:
            claims = [c for c in _claims(s.text) if c not in (0, 100)]  # 0 and 100 agree with too much to tell
            unchanged = _unchanged(s, pairer, last)
            ref = unchanged or pairer.pair(s.text, s.section, claims, last)
            if ref is not None and ref is not unchanged and not _names_quantities(s, ref):
                ref = None  # statistics of a work report, not the table figures of the sentence it resembles
            if ref is not None and ref.section != s.section and s.section in asking:
                ref = None  # its own figures unknown: 未能核对 (L09), never another section's
            if ref is not None:
                last = ref.order + ref.text.count("。") - 1
            coded, cells, spans = check_items(s, items, last_year) if items else ([], set(), [])
            found = coded + _check_numbers(s, ref, blank_spans(s.text, spans), cells, unknown.get(s.section, NOT_FOUND))
            found += _check_directions(s, ref) or _contradictions(s)  # the tables' word first, else the sentence's own
            found += _last_years_label(s, ref, report.year)
        said = {_dec(f.says[:-1]) for f in found if f.rule == "L03"}
        findings += found + wrong_unit(s, figures, said) + _check_sentence(s, report, budget,
                                                                          meaning.get(s.section, s.section))
    by_meaning: list[LintFinding] = []
    if not budget and report.perf:  # 十三 against the 绩效自评表; free text's 完成率 check not said twice
        perf = check_perf(canon, report)
        findings = [f for f in findings if not (f.rule == "L01" and any(
            p.says == f.says and p.sentence in f.sentence for p in perf))]
        by_meaning += perf
    if not budget:
        by_meaning += _check_items(canon, report) + _check_item_figures(canon, report) + _check_empty_tables(canon, report)
        # an item's figure the sentence matching has already found wrong is not said twice; one it could not
        # check (L09) is checked now
        by_meaning = [f for f in by_meaning if not (f.rule == "L01" and any(
            g.rule == "L01" and g.says == f.says and g.sentence == f.sentence for g in findings))]
        checked = {(f.says, f.sentence) for f in by_meaning if f.rule == "L01"}
        findings = [g for g in findings if not (g.rule == "L09" and (g.says, g.sentence) in checked)]
    for f in by_meaning:  # back to the section as this text numbers it
        f.section = region_id.get(f.section, f.section)
    findings += by_meaning
    findings += wording.run(read, report, doc.missing, draft_ok)
    titles = dict(read.expected)
    parts = section_parts(style)
    tables = f"第{read.tables_part}部分"
    for f in findings:
        f.place = tables if f.section == PART_THREE else place_of(f.section, titles, parts)
    return sorted(findings, key=lambda f: order_key(f, NUMERALS))


def _match(claims: list[Decimal], facts: list[Fact]) -> tuple[list[int], list[Fact]]:
    """One printed figure per fact: the claims (by index) that match nothing, and the facts left over.
    A figure printed twice may repeat a fact already used — unless a fact is then left unsaid while the text
    prints no more figures than ours: that is one figure put in another's place (合计0.02万元，其中：财政拨款
    收入0.02万元 for 0.01), not a repeat."""
    left = list(facts)
    pending, repeats = [], []
    for i, c in enumerate(claims):
        hit = next((k for k, f in enumerate(left) if _same(c, f.value)), None)
        if hit is not None:
            left.pop(hit)
        elif not any(_same(c, f.value) for f in facts) or (c == 0 and any(f.value for f in left)):
            # a 0 printed once more than the sentence's zeros while a figure is still unsaid ("其中一般公共预算
            # 拨款支出 0 万元" for 1,982.47) is not a repeat; a 0 the generator leaves out is let pass below
            pending.append(i)
        else:
            repeats.append(i)
    if repeats and left and len(claims) <= len(facts):
        pending = sorted(pending + repeats)
    return pending, left


# a placeholder for the figure to compare with (上年预算数, 上年决算数), not for a reason
_ASKS_FOR_BASE = re.compile(r"【待填写：(?![^】]*原因)[^】]*(?:上年|预算数)[^】]*】")


def _unfilled_changes(s: Sentence, ref: Reference | None) -> list[LintFinding]:
    """Where our sentence still waits for last year's figure (较上年【待填写：…】), the text's change after
    增加/减少/增长/下降 cannot be checked: said so (L09), and kept out of the matching, where it would take
    the place of a wrong figure elsewhere in the sentence."""
    if ref is None or not _ASKS_FOR_BASE.search(ref.text):
        return []
    ours = {f.value for _, f in ref.facts}
    return [LintFinding("L09", INFO, s.section, s.text, f"{m.group(2)}{m.group(3)}",
                        "未能核对：计算增减所需的上年数（说明数据）还没有填写")
            for m in _WORD_AMOUNT.finditer(s.text) if _dec(m.group(2)) not in ours and not _on_budget(s.text, m)]


def _on_budget(text: str, m: re.Match) -> bool:
    """The change is in a clause that compares with the 预算 (决算数较预算数减少1万元), not with 上年: its
    figures are in the tables and the 说明数据 already, and it is checked though last year's is not filled."""
    start = max(text.rfind(p, 0, m.start()) for p in "，；。,;") + 1
    ends = [i for i in (text.find(p, m.end()) for p in "，；。,;") if i >= 0]
    clause = text[start:min(ends) if ends else len(text)]
    return "预算" in clause and "上年" not in clause


NOT_FOUND = "未能核对：找不到对应的表格数"
_ASKS = re.compile(r"【待填写：([^】]*)】")


def _lacking(asks: list[str]) -> str:
    """L09's words for a number whose sentence (or section) of ours waits for figures (说明数据 not filled, or a
    published PDF that prints no 上年/年初预算 figures): which ones, the first two by name. Reasons are words,
    not figures: left out."""
    figures = list(dict.fromkeys(a for a in asks if "原因" not in a))
    if not figures:
        return NOT_FOUND
    more = f"等 {len(figures)} 项" if len(figures) > 2 else ""
    return f"{NOT_FOUND}（缺计算所需的数据：{'、'.join(figures[:2])}{more}）"


def _check_numbers(s: Sentence, ref: Reference | None, text: str | None = None,
                   checked_cells: set | frozenset = frozenset(), unknown: str = NOT_FOUND) -> list[LintFinding]:
    """text: the sentence with the amounts already checked elsewhere blanked out (lint/coded.py), and
    checked_cells the cells those came from: our figures of those cells alone are left out of the matching
    (not a change on last year, which is checked here). unknown: what a number paired with no sentence of
    ours is said to lack (_lacking)."""
    out = _unfilled_changes(s, ref)
    text = text if text is not None else s.text
    if out:  # those changes are out of the matching
        unchecked = {f.says for f in out}
        text = _WORD_AMOUNT.sub(lambda m: "" if f"{m.group(2)}{m.group(3)}" in unchecked else m.group(0), text)
    amounts = [(_dec(m.group(1)), m.group(2)) for m in AMOUNT.finditer(text)]
    percents = [_dec(m.group(1)) for m in PERCENT.finditer(text)]
    facts = [f for _, f in (ref.facts if ref else []) if not (f.cells and checked_cells.issuperset(f.cells))]
    ref_amounts = [f for f in facts if f.kind == "amount"]
    ref_percents = [f for f in facts if f.kind == "percent"]
    pending, unmatched_amounts = _match([_in_wan(a, u) for a, u in amounts], ref_amounts)
    zero_ok = ref is not None and not unmatched_amounts  # a 0.00 line the generator leaves out, once all else agrees
    for i in pending:
        value, unit = amounts[i]
        if value == 0 and zero_ok:
            continue
        if ref is None:
            out.append(LintFinding("L09", INFO, s.section, s.text, f"{value}{unit}", unknown))
            continue
        if (wrong := _not_unchanged(s, ref, f"{value}{unit}")) is not None:
            out.append(wrong)
            continue
        alt = next((f for f in ref_amounts if _same(value, f.value)), None) if unit == "元" else None
        if alt is not None:
            out.append(LintFinding("L03", ERROR, s.section, s.text, f"{value}元",
                                   f"单位应为万元：{alt.value:,.2f}万元", list(alt.cells)))
        elif unmatched_amounts:
            f = unmatched_amounts.pop(0)
            slack = amount_within(_in_wan(value, unit), f)
            if slack is not None:  # a 尾差: the same figure, rounded otherwise
                out.append(LintFinding("L01", WARNING, s.section, s.text, f"{value}{unit}",
                                       f"尾差：应为 {f.value:,.2f}万元（{f.formula}），在 {rounded_figures(f)} 项"
                                       f"四舍五入的尾差范围（±{slack}）内", list(f.cells)))
                continue
            out.append(LintFinding("L01", ERROR, s.section, s.text, f"{value}{unit}",
                                   f"应为 {f.value:,.2f}万元（{f.formula}）", list(f.cells)))
        else:
            out.append(LintFinding("L09", INFO, s.section, s.text, f"{value}{unit}", _lacking(_ASKS.findall(ref.text))))
    pending, unmatched_percents = _match(percents, ref_percents)
    for i in pending:
        p = percents[i]
        if p == 0 and zero_ok and not unmatched_percents:
            continue
        if ref is None:
            out.append(LintFinding("L09", INFO, s.section, s.text, f"{p}%", unknown))
            continue
        wrong = _not_unchanged(s, ref, f"{p}%") if not unmatched_percents else None
        out.append(wrong or _diagnose_percent(s, p, unmatched_percents, ref))
    out += _check_counts(s, text, [f for f in facts if f.kind == "count"])
    if BLANK_PERCENT.search(s.text):
        out.append(LintFinding("L05", ERROR, s.section, s.text, "百分比缺少数字（“…的%”）", "补上百分比数字"))
    return out


# a count the generator prints (车辆 4 辆, 团组 2 个, 接待 12 批次): a whole number before its measure word
_COUNT = re.compile(r"(?<![\d.第])(\d+)\s*(人次|批次|个|辆|台|家|项|人|名)(?![\d次])")


def _check_counts(s: Sentence, text: str, ref_counts: list[Fact]) -> list[LintFinding]:
    """The counts of a sentence against the counts its paired sentence prints (说明数据: 车辆, 团组, 人次 …): one
    the generator prints otherwise is an 错误. Only where our sentence prints counts: other counts in a text
    (人员编制, 项目数) are its own business, not table figures."""
    if not ref_counts:
        return []
    counts = [(Decimal(m.group(1)), m.group(2)) for m in _COUNT.finditer(text)]
    pending, unmatched = _match([c for c, _ in counts], [f for f in ref_counts if f.value is not None])
    out = []
    for i in pending:
        if not unmatched:
            break
        value, unit = counts[i]
        f = unmatched.pop(0)
        out.append(LintFinding("L01", ERROR, s.section, s.text, f"{value}{unit}",
                               f"应为 {int(f.value)}{unit}（{f.formula}）", list(f.cells)))
    return out


def _not_unchanged(s: Sentence, ref: Reference, said: str) -> LintFinding | None:
    """A change the text states ("增加7.31万元") where our sentence says 持平 (a change of 0, which prints no
    number): wrong, with the cells of the figure compared."""
    if not _SAYS_UNCHANGED.search(ref.text):
        return None
    m = next((m for m in _WORD_AMOUNT.finditer(s.text) if f"{_dec(m.group(2))}{m.group(3)}".replace("％", "%") == said), None)
    if m is None:
        return None
    cells = [c for _, f in ref.facts for c in f.cells]
    return LintFinding("L01", ERROR, s.section, s.text, f"{m.group(1)}{said}",
                       f"应为 0（按表格数与比较的数持平：{ref.text.strip()}）", cells)


def _diagnose_percent(s: Sentence, claim: Decimal, facts: list[Fact], ref: Reference | None = None) -> LintFinding:
    places = max(0, -claim.as_tuple().exponent)  # type: ignore[operator]
    for f in facts:
        if f.value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN) == claim:
            return LintFinding("L04", WARNING, s.section, s.text, f"{claim}%",
                               f"应四舍五入为 {f.rounded()}%（原文是截断）", list(f.cells))
    for f in facts:
        base = _wrong_base(f)
        if base is not None and _same(claim, base[0]):
            return LintFinding("L02", ERROR, s.section, s.text, f"{claim}%（{base[1]}）",
                               f"应以上年数为分母：{f.formula} = {f.rounded()}%", list(f.cells))
    for f in facts:
        span = percent_within(claim, f)
        if span is not None:  # 0.78 ÷ 1.00 万元 printed from 元 (7,836 ÷ 10,000): a 尾差
            return LintFinding("L01", WARNING, s.section, s.text, f"{claim}%",
                               f"尾差：按表格数应为 {f.rounded()}%（{f.formula}）；{claim}% 在各数四舍五入的范围"
                               f"（{span[0]:.2f}%–{span[1]:.2f}%）内，核对是否按元计算", list(f.cells))
    f = facts[0] if facts else None
    if f is None:
        return LintFinding("L09", INFO, s.section, s.text, f"{claim}%",
                           _lacking(_ASKS.findall(ref.text)) if ref is not None else NOT_FOUND)
    return LintFinding("L01", ERROR, s.section, s.text, f"{claim}%", f"应为 {f.rounded()}%（{f.formula}）", list(f.cells))


def _wrong_base(f: Fact) -> tuple[Decimal, str] | None:
    """A growth rate computed on this year's figure instead of last year's."""
    if f.op == "abs" and f.operands:
        f = f.operands[0]
    if f.op != "growth" or len(f.operands) != 2:
        return None
    change, previous = f.operands
    current = change.value + previous.value  # type: ignore[operator]
    if not current:
        return None
    value = abs(change.value) / current * 100  # type: ignore[arg-type]
    return value, f"{abs(change.value):,.2f} ÷ 本年 {current:,.2f} = {value.quantize(CENT, rounding=ROUND_HALF_UP)}%"


# a stray bracket between the word and its number ("增长（0%", seed 003) is a slip of typing, not another figure
_WORD_AMOUNT = re.compile(r"(增加|减少|增长|下降|上升|提高|降低)\s*(?:[（(]\s*(?=[\d.,]+\s*[%％万]))?(\d[\d,]*(?:\.\d+)?)\s*(万元|%|％)")
_VERSUS = re.compile(r"决算数?(大于|小于|等于|高于|低于|超过|少于)(?:年初)?预算数?")
_LEAD = re.compile(r"(增加|减少|增长|下降|上升|提高|降低|大于|小于|高于|低于)的(?:主要)?原因")
_UP = {"增加", "增长", "上升", "提高", "大于", "高于", "超过"}  # the words of a rise; the others say a fall


def _way(word: str) -> int:
    """1 for a rise (大于, 高于, 超过), 0 for 等于, −1 for a fall: synonyms say the same thing."""
    return 0 if word == "等于" else 1 if word in _UP else -1


def _check_directions(s: Sentence, ref: Reference | None) -> list[LintFinding]:
    """The word in front of each change ("减少982.88万元", "下降28.68%") and 决算数大于/小于预算数 must
    agree with the numbers."""
    if ref is None:
        return []
    out = []
    text, ref_text = without_placeholders(s.text), without_placeholders(ref.text)
    right = {(_dec(m.group(2)), m.group(3) == "万元"): m.group(1) for m in _WORD_AMOUNT.finditer(ref_text)}
    cells = [c for _, f in ref.facts for c in f.cells]
    for m in _WORD_AMOUNT.finditer(text):
        want = right.get((_dec(m.group(2)), m.group(3) == "万元"))
        if want and (want in _UP) != (m.group(1) in _UP):
            out.append(LintFinding("L06", ERROR, s.section, s.text, f"写作“{m.group(0)}”",
                                   f"按表格数应为“{want}”", cells))
    said, should = _VERSUS.search(text), _VERSUS.search(ref_text)
    if said and should and _way(said.group(1)) != _way(should.group(1)):
        out.append(LintFinding("L06", ERROR, s.section, s.text, f"写作“决算数{said.group(1)}预算数”",
                               f"按表格数应为“{should.group(1)}”", cells))
    # "减少的主要原因是…" introduces the reason with the direction again
    for a, b in zip(_LEAD.findall(text), _LEAD.findall(ref_text)):
        if (a in _UP) != (b in _UP):  # 下降 and 减少 say the same thing
            out.append(LintFinding("L06", ERROR, s.section, s.text, f"写作“{a}的主要原因”",
                                   f"按表格数应为“{b}的主要原因”", cells))
    return out


# a change said twice in one clause, as an amount and as a percent: “减少982.88万元，增长28.68%”
_TWICE = re.compile(r"(增加|减少|上升|降低)\s*[\d,，]+(?:\.\d+)?\s*万?元[，,]?\s*(增长|下降|上升|降低|增加|减少)\s*\d+(?:\.\d+)?\s*%")
# the two figures and the word comparing them: “年初预算68.33万元，支出决算74.75万元，…决算数小于年初预算数”
_BUDGET_ACTUAL = re.compile(r"预算数?(?:为)?\s*([\d,，]+(?:\.\d+)?)\s*万元[^。；;]*?决算数?(?:为)?\s*([\d,，]+(?:\.\d+)?)\s*万元"
                            r"[^。；;]*?决算数?(大于|小于|等于|高于|低于|超过)(?:年初)?预算数?")


def _contradictions(s: Sentence) -> list[LintFinding]:
    """A sentence that says the opposite of itself, whatever the tables hold (a published PDF audited without
    its 说明数据: last year's figures unknown, so the word cannot be checked against them): a change that is a
    减少 in 万元 and an 增长 in %, or 决算 above 预算 called 小于."""
    out = []
    text = without_placeholders(s.text)
    for m in _TWICE.finditer(text):
        if (m.group(1) in _UP) != (m.group(2) in _UP):
            out.append(LintFinding("L06", ERROR, s.section, s.text, f"写作“{m.group(0)}”",
                                   f"同一变动，金额说“{m.group(1)}”，百分比却说“{m.group(2)}”：核对哪一个写反了"))
    for m in _BUDGET_ACTUAL.finditer(text):
        budget, actual = _dec(m.group(1).replace("，", ",")), _dec(m.group(2).replace("，", ","))
        way = (actual > budget) - (actual < budget)
        if _way(m.group(3)) != way:
            right = "大于" if way > 0 else "小于" if way < 0 else "等于"
            out.append(LintFinding("L06", ERROR, s.section, s.text, f"写作“决算数{m.group(3)}预算数”",
                                   f"预算 {m.group(1)}万元、决算 {m.group(2)}万元：决算数{right}预算数"))
    return out


_YEAR_LABEL = re.compile(r"(20\d\d)\s*年度")  # not 年末: 2023年末结转 is this year's 年初结转
_COMPARED = re.compile(r"比|较|相比|同比|增加|减少|增长|下降")


def _last_years_label(s: Sentence, ref: Reference | None, year: int) -> list[LintFinding]:
    """“2023年度收入总计、支出总计均为2,444.56万元” in a 2024 report: last year's label on this year's figure — the
    year left as it was when last year's text was copied. Only where the figure is this year's (a table figure
    of the paired sentence) and not last year's (a 说明数据 上年 figure of the same value), before any comparison."""
    if ref is None:
        return []
    for m in _YEAR_LABEL.finditer(s.text):
        if int(m.group(1)) != year - 1 or in_quotes(s.text, m.start()):
            continue
        clause = re.split(r"[。；;]", s.text[m.end():], maxsplit=1)[0]
        figure = AMOUNT.search(clause)
        if figure is None or _COMPARED.search(clause[:figure.start()]):
            continue
        value = _in_wan(_dec(figure.group(1)), figure.group(2))
        facts = [f for _, f in ref.facts if f.kind == "amount" and f.value is not None and _same(value, f.value)]
        if facts and not any("上年" in f.formula for f in facts):
            return [LintFinding("L07", ERROR, s.section, s.text, f"“{m.group(0)}”",
                                f"本报告是{year}年度：{figure.group(0)}是{year}年度的数（{facts[0].formula}），"
                                f"应写“{year}年度”", list(facts[0].cells))]
    return []


def _check_sentence(s: Sentence, report: Report, budget: bool = False, meaning: str = "") -> list[LintFinding]:
    """meaning: the 陕西 section the sentence's section stands for (its own id by default)."""
    out = [] if (meaning or s.section) in SKIP_YEARS else check_years(s, report.year)
    return out + check_reason(s, "预算" if budget else "决算") + ([] if budget else _check_names(s, report))


def _check_names(s: Sentence, report: Report) -> list[LintFinding]:
    # the two forms backtrack at every character: look for them only where their fixed parts stand
    codes = list(CODE_FORM.finditer(s.text)) if _CODE_PART.search(s.text) else []
    classes = list(CLASS_FORM.finditer(s.text)) if "（类）" in s.text else []
    whole = list(_WHOLE_CODE.finditer(s.text))
    if not codes and not classes and not whole:
        return []  # most sentences name no 科目
    t05 = report.table("05")
    rows = {r.code: r for r in t05.code_rows()}
    out = [_named_by_whole_code(s, m, rows) for m in whole]
    out = [f for f in out if f is not None]
    for m in codes:
        code = m.group(2) + m.group(4) + m.group(6)
        names = [m.group(1), m.group(3), m.group(5)]
        want = [rows[c].name if c in rows else None for c in (code[:3], code[:5], code)]
        if want[2] is None:
            guess = _by_amount(s, t05)
            out.append(LintFinding("L10", ERROR, s.section, s.text, f"科目 {code} {names[2]}",
                                   f"公开05表没有科目 {code}" + (f"；按金额应为 {guess}" if guess else "")))
        elif any(a.strip() != b for a, b in zip(names, want) if b):
            # a wrong 项 name says another 科目; an old 类/款 name is a slip of wording
            severity = ERROR if names[2].strip() != want[2] else WARNING
            out.append(LintFinding("L10", severity, s.section, s.text, f"{code} 写作“{'/'.join(n.strip() for n in names)}”",
                                   f"科目 {code} 应为“{'/'.join(w for w in want if w)}”", [rows[code].cell] if rows[code].cell else []))
    for m in classes:
        cls, kuan, xiang = (x.strip() for x in m.groups())
        hit = [r for r in t05.code_rows() if len(r.code or "") == 7 and r.name == xiang
               and rows.get(r.code[:5]) and rows[r.code[:5]].name == kuan
               and rows.get(r.code[:3]) and rows[r.code[:3]].name == cls]
        if not hit:
            guess = _by_amount(s, t05)
            out.append(LintFinding("L10", ERROR, s.section, s.text, f"{cls}（类）{kuan}（款）{xiang}（项）",
                                   "公开05表没有这样的科目" + (f"；按金额应为 {guess}" if guess else "")))
    return out


def _check_item_figures(sents: list[Sentence], report: Report) -> list[LintFinding]:
    """Each item of 五 named “类（类）款（款）项（项）”, with the figures that follow it up to the next item: figures
    that are another 项's 决算 and not its own say the name is wrong (“医疗保障经办事务（项）” over 事业运行's figures —
    found otherwise only as 事业运行 not explained, L11)."""
    t05 = report.table("05")
    rows = [r for r in t05.code_rows() if len(r.code or "") == 7 and r.amount("小计") != 0]
    # (sentence naming the item, its match, the sentences of the item: it and those up to the next item)
    items: list[tuple[Sentence, re.Match, list[Sentence]]] = []
    for s in (x for x in sents if x.section == "五"):
        m = CLASS_FORM.search(s.text) if "（类）" in s.text else None
        if m:
            items.append((s, m, [s]))
        elif items:
            items[-1][2].append(s)
    out = []
    for s, m, said in items:
        cls, kuan, xiang = (x.strip() for x in m.groups())
        named = next((r for r in rows if r.name == xiang and t05.row(r.code[:5]) and t05.row(r.code[:5]).name == kuan),
                     None)
        amounts = {_dec(a.group(1)) for x in said for a in AMOUNT.finditer(x.text) if a.group(2) == "万元"}
        if named is None or not amounts or named.amount("小计") in amounts:
            continue
        other = _item_printed(t05, amounts, but=named)
        if other is not None:
            out.append(LintFinding("L10", ERROR, "五", s.text, f"{xiang}（项）",
                                   f"这一项的决算数 {other.amount('小计'):,.2f}万元 是 {other.code} {other.name} 的，"
                                   f"{named.code} {xiang} 为 {named.amount('小计'):,.2f}万元：核对科目名称",
                                   [c for c in (other.cell, named.cell) if c]))
            continue
        # its 决算 stated and no 项's at all: a wrong figure, whatever else the sentence says (a PDF audited without
        # its 说明数据, the 年初预算 unknown, pairs the sentence with nothing)
        for x in said:
            for a in _ITEM_ACTUAL.finditer(x.text):
                value = named.values.get("小计")
                out.append(LintFinding("L01", ERROR, "五", x.text, f"{_dec(a.group(1))}万元",  # as the matching says it
                                       f"应为 {named.amount('小计'):,.2f}万元（公开05表 {named.code} {named.name}·小计）",
                                       [value.cell] if value and value.cell else []))
    return out


_ITEM_ACTUAL = re.compile(r"支出决算(?:数)?(?:为)?\s*(\d[\d,]*(?:\.\d+)?)\s*万元")


# a 项 named with its whole code: “事业运行（2101550）”, “2101550事业运行”, “（2101550）事业运行”
_WHOLE_CODE = re.compile(r"(?<!\d)(2\d{6})(?![\d.])")
_NAME_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,20})\s*[（(]$")
_NAME_AFTER = re.compile(r"\s*[）)]?\s*([\u4e00-\u9fff]{2,20})")


def _named_by_whole_code(s: Sentence, m: re.Match, rows: dict) -> LintFinding | None:
    """The name printed beside a 7-digit code, against 05's name of that code: another 项's name is an 错误 (the
    sentence speaks of another 科目), other words a 警告; a code 05 does not have is left to L11 and L01."""
    row = rows.get(m.group(1))
    if row is None:
        return None
    before = _NAME_BEFORE.search(s.text[:m.start()])
    after = _NAME_AFTER.match(s.text[m.end():])
    said = [x.group(1) for x in (before, after) if x]
    if not said or any(row.name in x for x in said):
        return None
    other = next((r for r in rows.values() if len(r.code or "") == 7 and r.code != row.code
                  and any(x.endswith(r.name) or x.startswith(r.name) for x in said)), None)
    return LintFinding("L10", ERROR if other else WARNING, s.section, s.text, f"{row.code} 写作“{said[0]}”",
                       f"科目 {row.code} 应为“{row.name}”" + (f"（“{other.name}”是 {other.code}）" if other else ""),
                       [row.cell] if row.cell else [])


def _by_amount(s: Sentence, t05) -> str | None:
    """The 项 of 05 whose 决算 is printed in the sentence."""
    r = _item_printed(t05, {_dec(m.group(1)) for m in AMOUNT.finditer(s.text)})
    return f"{r.code} {r.name}" if r is not None else None


def _item_printed(t05, amounts: set[Decimal], but=None):
    """The first 项 of 05 (other than `but`) with spending whose 决算 is among the amounts, or None."""
    return next((r for r in t05.code_rows() if len(r.code or "") == 7 and r is not but
                 and r.amount("小计") != 0 and r.amount("小计") in amounts), None)


def _check_items(sents: list[Sentence], report: Report) -> list[LintFinding]:
    """Every 项 of 05 with spending is explained in section 五."""
    if not any(s.section in ("四", "五") for s in sents):
        return []
    body = "".join(s.text for s in sents if s.section in ("四", "五"))
    out = []
    for r in report.table("05").code_rows():
        if len(r.code or "") == 7 and r.amount("小计") != 0:
            # “事业运行（项）”, “…（50）事业运行” (seed 001), or its whole code: “事业运行（2101550）”, “2101550事业运行”
            code_form = re.search(rf"[（(]{r.code[5:]}[）)]", body) and r.name in body
            whole_code = re.search(rf"(?<!\d){r.code}(?!\d)", body)
            if not re.search(rf"{re.escape(r.name)}\s*[（(]项[）)]", body) and not code_form and not whole_code:
                out.append(LintFinding("L11", WARNING, "五", f"（第五部分中没有 {r.code} {r.name}）",
                                       f"公开05表的 {r.code} {r.name} 支出 {r.amount('小计'):,.2f}万元 未在第五部分说明",
                                       "逐项说明一般公共预算财政拨款支出", [r.cell] if r.cell else []))
    return out


def _check_empty_tables(sents: list[Sentence], report: Report) -> list[LintFinding]:
    out = []
    for sid, tid in (("七", "07"), ("八", "08"), ("九", "09")):
        text = "".join(s.text for s in sents if s.section == sid)
        if not text:
            continue
        says_empty = "空表" in text
        has_amounts = any(_dec(m.group(1)) != 0 for m in AMOUNT.finditer(text))
        empty = report.table(tid).is_empty
        number = report.table(tid).spec.number
        if says_empty and not empty:
            out.append(LintFinding("L12", ERROR, sid, text[:80], "说本表为空表", f"{number}有数，应说明其收支"))
        elif empty and has_amounts and sid != "九":
            out.append(LintFinding("L12", ERROR, sid, text[:80], "写了金额", f"{number}是空表，应写“无…，已公开空表”"))
    return out
