"""Lint an existing 情况说明 against the tables: every claim is checked against the Facts the generator
would print for the same workbook.

Each published sentence is paired with the most alike sentence the generator writes (numbers masked);
its amounts, percentages and direction words must agree with that sentence's Facts. Checks that need no
pairing run on every sentence: blank numbers ("占…的%"), years, 科目 names vs codes, reasons that argue
the opposite direction, 项 of 05 left out of section 五, and empty-table statements in 七–九.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from difflib import SequenceMatcher

from ..checks.engine import ERROR, INFO, WARNING
from ..model import CellRef, Report
from ..narrative.facts import Fact
from ..narrative.render import Document, render
from .text import NUMERALS, Sentence, sentences

AMOUNT = re.compile(r"(?<!单价)(\d[\d,]*(?:\.\d+)?)\s*(万元|元)(?!及?以[上下])")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
BLANK_PERCENT = re.compile(r"(的|占|为)\s*[%％]")
YEAR = re.compile(r"(20\d\d)\s*年")
# words in a reason that argue for more spending, and for less
MORE = re.compile(r"追加|增加|新增|补助资金")
LESS = re.compile(r"压减|减少|节约|节省|未完成|结余|降低")
CLASS_FORM = re.compile(r"([^\d（）()。，；、\s.]+)（类）([^（）()。，；]+?)（款）([^（）()。，；]+?)（项）")
CODE_FORM = re.compile(r"([^\d（）()。，；、\s.]+)\s*[（(](\d{3})[）)]\s*([^（）()\d。，；]+?)\s*[（(](\d{2})[）)]"
                       r"\s*([^（）()\d。，；]+?)\s*[（(](\d{2})[）)]")
PAIRING_THRESHOLD = 0.45
SKIP_YEARS = {"十三"}  # 绩效 narratives quote earlier years on purpose
FREE_TEXT = {"十三", "十四"}  # printed from 说明数据 as written: their numbers are not table figures
CENT = Decimal("0.01")


@dataclass
class LintFinding:
    rule: str
    severity: str
    section: str
    sentence: str
    says: str
    should: str
    cells: list[CellRef] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "section": self.section, "sentence": self.sentence,
                "says": self.says, "should": self.should, "cells": [str(c) for c in self.cells]}

    def line(self) -> str:
        return f"{self.severity} {self.rule} 第{self.section}部分：{self.says}；{self.should}\n    原文：{self.sentence}"


@dataclass
class _Ref:
    """A sentence the generator writes, with the facts printed in it."""

    section: str
    text: str
    facts: list[tuple[str, Fact]]  # (printed text, fact)
    order: int = 0  # position of its (first) sentence in the generated text

    @property
    def masked(self) -> str:
        return _mask(re.sub(r"【待填写：[^】]*】", "", self.text))  # a placeholder is not wording


def _mask(text: str) -> str:
    return re.sub(r"\d[\d,.]*", "#", re.sub(r"\s+", "", text))


def _references(doc: Document) -> list[_Ref]:
    """The generated 第二部分 as sentences, each with the facts it prints (in order)."""
    refs: list[_Ref] = []
    count = 0  # singles so far, for each sentence's position in the generated text
    part = doc.parts[-1]
    for sec in part.sections:
        uses = [u for u in doc.uses if u.section == sec.id]
        body = "".join(sec.paragraphs)
        pieces = [p for p in re.split(r"(?<=。)", body) if p.strip()]
        pos, starts = 0, []
        for p in pieces:
            starts.append(pos)
            pos += len(p)
        cursor = 0
        assigned: list[list[tuple[str, Fact]]] = [[] for _ in pieces]
        for u in uses:
            at = body.find(u.text, cursor)
            if at < 0:
                continue
            cursor = at + len(u.text)
            idx = max(i for i, s in enumerate(starts) if s <= at)
            assigned[idx].append((u.text, u.fact))
        singles = [_Ref(sec.id, p.strip(), a, count + i) for i, (p, a) in enumerate(zip(pieces, assigned))]
        count += len(singles)
        # an officer often writes two of our sentences as one: offer each adjacent pair as well
        pairs = [_Ref(sec.id, a.text + b.text, a.facts + b.facts, a.order) for a, b in zip(singles, singles[1:])]
        refs += singles + pairs
    return refs


def _claims(text: str) -> list[Decimal]:
    return [_dec(m.group(1)) for m in AMOUNT.finditer(text)] + [_dec(m.group(1)) for m in PERCENT.finditer(text)]


def _pair(s: Sentence, refs: list[_Ref], after: int = -1) -> _Ref | None:
    """The generated sentence this one says the same thing as: alike in words (numbers masked) and,
    above all, in numbers — so each 项 pairs with its own 项 even when the wording differs."""
    masked = _mask(s.text)
    claims = [c for c in _claims(s.text) if c not in (0, 100)]  # 0 and 100 agree with too much to tell
    best, score = None, 0.0
    for ref in refs:
        words = SequenceMatcher(None, masked, ref.masked, autojunk=False).ratio()
        agree = sum(1 for c in claims if any(_same(c, f.value) for _, f in ref.facts)) / len(claims) if claims else 0
        # same section, then the sentence after the last one paired, break ties between look-alikes
        r = words + agree + (0.1 if ref.section == s.section else 0) + (0.05 if ref.order == after + 1 else 0)
        if r > score:
            best, score = ref, r
    return best if score >= PAIRING_THRESHOLD else None


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _same(claim: Decimal, value: Decimal) -> bool:
    """A printed number equals a fact when the fact, rounded to the printed decimals, gives it."""
    places = -claim.as_tuple().exponent if claim.as_tuple().exponent < 0 else 0  # type: ignore[operator]
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) == claim


def lint(text: str, report: Report, style: str = "shaanxi") -> list[LintFinding]:
    doc = render(report, style=style)
    refs = _references(doc)
    findings: list[LintFinding] = []
    sents = sentences(text)
    last = -1
    for s in sents:
        if s.section not in FREE_TEXT:
            ref = _pair(s, refs, last)
            if ref is not None:
                last = ref.order + ref.text.count("。") - 1
            findings += _check_numbers(s, ref)
            findings += _check_directions(s, ref)
        findings += _check_sentence(s, report)
    findings += _check_items(sents, report)
    findings += _check_empty_tables(sents, report)
    order = {ERROR: 0, WARNING: 1, INFO: 2}
    return sorted(findings, key=lambda f: (NUMERALS.index(f.section) if f.section in NUMERALS else 99,
                                           order[f.severity]))


def _match(claims: list[Decimal], facts: list[Fact]) -> tuple[list[int], list[Fact]]:
    """One printed figure per fact: the claims (by index) that match nothing, and the facts left over.
    A figure printed twice may repeat a fact already used."""
    left = list(facts)
    pending = []
    for i, c in enumerate(claims):
        hit = next((k for k, f in enumerate(left) if _same(c, f.value)), None)
        if hit is not None:
            left.pop(hit)
        elif not any(_same(c, f.value) for f in facts):
            pending.append(i)
    return pending, left


def _check_numbers(s: Sentence, ref: _Ref | None) -> list[LintFinding]:
    out = []
    amounts = [(_dec(m.group(1)), m.group(2)) for m in AMOUNT.finditer(s.text)]
    percents = [_dec(m.group(1)) for m in PERCENT.finditer(s.text)]
    ref_amounts = [f for _, f in (ref.facts if ref else []) if f.kind == "amount"]
    ref_percents = [f for _, f in (ref.facts if ref else []) if f.kind == "percent"]
    pending, unmatched_amounts = _match([a if u == "万元" else a / 10000 for a, u in amounts], ref_amounts)
    zero_ok = ref is not None and not unmatched_amounts  # a 0.00 line the generator leaves out, once all else agrees
    for i in pending:
        value, unit = amounts[i]
        if value == 0 and zero_ok:
            continue
        if ref is None:
            out.append(LintFinding("L09", INFO, s.section, s.text, f"{value}{unit}", "未能核对：找不到对应的表格数"))
            continue
        alt = next((f for f in ref_amounts if _same(value, f.value)), None) if unit == "元" else None
        if alt is not None:
            out.append(LintFinding("L03", ERROR, s.section, s.text, f"{value}元",
                                   f"单位应为万元：{alt.value:,.2f}万元", list(alt.cells)))
        elif unmatched_amounts:
            f = unmatched_amounts.pop(0)
            out.append(LintFinding("L01", ERROR, s.section, s.text, f"{value}{unit}",
                                   f"应为 {f.value:,.2f}万元（{f.formula}）", list(f.cells)))
        else:
            out.append(LintFinding("L09", INFO, s.section, s.text, f"{value}{unit}", "未能核对：找不到对应的表格数"))
    pending, unmatched_percents = _match(percents, ref_percents)
    for i in pending:
        p = percents[i]
        if p == 0 and zero_ok and not unmatched_percents:
            continue
        if ref is None:
            out.append(LintFinding("L09", INFO, s.section, s.text, f"{p}%", "未能核对：找不到对应的表格数"))
            continue
        out.append(_diagnose_percent(s, p, unmatched_percents))
    if BLANK_PERCENT.search(s.text):
        out.append(LintFinding("L05", ERROR, s.section, s.text, "百分比缺少数字（“…的%”）", "补上百分比数字"))
    return out


def _diagnose_percent(s: Sentence, claim: Decimal, facts: list[Fact]) -> LintFinding:
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
    f = facts[0] if facts else None
    if f is None:
        return LintFinding("L09", INFO, s.section, s.text, f"{claim}%", "未能核对：找不到对应的表格数")
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


_WORD_AMOUNT = re.compile(r"(增加|减少|增长|下降)\s*(\d[\d,]*(?:\.\d+)?)\s*(万元|%|％)")
_VERSUS = re.compile(r"决算数?(大于|小于|等于)(?:年初)?预算数?")
_LEAD = re.compile(r"(增加|减少|增长|下降|大于|小于)的(?:主要)?原因")
_UP = {"增加", "增长", "大于"}  # the words of a rise; the others say a fall


def _check_directions(s: Sentence, ref: _Ref | None) -> list[LintFinding]:
    """The word in front of each change ("减少982.88万元", "下降28.68%") and 决算数大于/小于预算数 must
    agree with the numbers."""
    if ref is None:
        return []
    out = []
    right = {(_dec(m.group(2)), m.group(3) == "万元"): m.group(1) for m in _WORD_AMOUNT.finditer(ref.text)}
    cells = [c for _, f in ref.facts for c in f.cells]
    for m in _WORD_AMOUNT.finditer(s.text):
        want = right.get((_dec(m.group(2)), m.group(3) == "万元"))
        if want and (want in _UP) != (m.group(1) in _UP):
            out.append(LintFinding("L06", ERROR, s.section, s.text, f"写作“{m.group(0)}”",
                                   f"按表格数应为“{want}”", cells))
    said, should = _VERSUS.search(s.text), _VERSUS.search(ref.text)
    if said and should and said.group(1) != should.group(1):
        out.append(LintFinding("L06", ERROR, s.section, s.text, f"写作“决算数{said.group(1)}预算数”",
                               f"按表格数应为“{should.group(1)}”", cells))
    # "减少的主要原因是…" introduces the reason with the direction again
    for a, b in zip(_LEAD.findall(s.text), _LEAD.findall(ref.text)):
        if (a in _UP) != (b in _UP):  # 下降 and 减少 say the same thing
            out.append(LintFinding("L06", ERROR, s.section, s.text, f"写作“{a}的主要原因”",
                                   f"按表格数应为“{b}的主要原因”", cells))
    return out


def _check_sentence(s: Sentence, report: Report) -> list[LintFinding]:
    out = []
    if s.section not in SKIP_YEARS:
        for m in YEAR.finditer(s.text):
            year = int(m.group(1))
            if year not in (report.year, report.year - 1):
                out.append(LintFinding("L07", ERROR, s.section, s.text, f"“{m.group(0)}”",
                                       f"本报告是{report.year}年度：只应出现{report.year}年或{report.year - 1}年"))
    m = re.search(r"(大于|小于|减少|下降|增加|增长|新增)[^。]*?原因(?:是|为|主要是)?[:：]?(.+)", s.text)
    if m:
        word, reason = m.group(1), m.group(2)
        down = word in ("小于", "减少", "下降")
        if (down and MORE.search(reason) and not LESS.search(reason)) or (not down and LESS.search(reason)
                                                                          and not MORE.search(reason)):
            out.append(LintFinding("L08", WARNING, s.section, s.text, f"决算“{word}”，原因却是“{reason.rstrip('。')}”",
                                   "原因与变动方向相反：核对原因是否写反或抄自其他科目"))
    out += _check_names(s, report)
    return out


def _check_names(s: Sentence, report: Report) -> list[LintFinding]:
    t05 = report.table("05")
    rows = {r.code: r for r in t05.code_rows()}
    out = []
    for m in CODE_FORM.finditer(s.text):
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
    for m in CLASS_FORM.finditer(s.text):
        cls, kuan, xiang = (x.strip() for x in m.groups())
        hit = [r for r in t05.code_rows() if len(r.code or "") == 7 and r.name == xiang
               and rows.get(r.code[:5]) and rows[r.code[:5]].name == kuan
               and rows.get(r.code[:3]) and rows[r.code[:3]].name == cls]
        if not hit:
            guess = _by_amount(s, t05)
            out.append(LintFinding("L10", ERROR, s.section, s.text, f"{cls}（类）{kuan}（款）{xiang}（项）",
                                   "公开05表没有这样的科目" + (f"；按金额应为 {guess}" if guess else "")))
    return out


def _by_amount(s: Sentence, t05) -> str | None:
    """The 项 of 05 whose 决算 is printed in the sentence."""
    amounts = {_dec(m.group(1)) for m in AMOUNT.finditer(s.text)}
    for r in t05.code_rows():
        if len(r.code or "") == 7 and r.amount("小计") in amounts:
            return f"{r.code} {r.name}"
    return None


def _check_items(sents: list[Sentence], report: Report) -> list[LintFinding]:
    """Every 项 of 05 with spending is explained in section 五."""
    if not any(s.section in ("四", "五") for s in sents):
        return []
    body = "".join(s.text for s in sents if s.section in ("四", "五"))
    out = []
    for r in report.table("05").code_rows():
        if len(r.code or "") == 7 and r.amount("小计") != 0:
            code_form = re.search(rf"[（(]{r.code[5:]}[）)]", body) and r.name in body
            if f"{r.name}（项）" not in body and not code_form:
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
