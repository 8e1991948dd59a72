"""Numbers in free text (十三 绩效, 十四 其他说明, work reports): checked only where the sentence names a
quantity the tables or 说明数据 hold.

A 绩效 narrative is full of statistics no table holds (参保人数 398万人, 参保率 98%, 缴费费率, 得分);
pairing them with table sentences only invents errors. What can be checked:
- 部门整体支出 执行数: the year's spending, 公开03表 本年支出合计 (or the 财政拨款 totals);
- a 完成率 printed with its 全年预算数 and 执行数: the quotient of the two, within their rounding;
- "涉及预算资金 X万元，占…项目支出总额的 P%": X ÷ 公开03表 项目支出;
- an amount in 元 that is a table figure in 万元 (L03) — this one anywhere in the text.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..checks.engine import ERROR, WARNING
from ..model import CellRef, Report
from .findings import LintFinding
from .text import Sentence

_NUM = r"(\d[\d,]*(?:\.\d+)?)"
_WHOLE = re.compile(r"(?:部门|单位)?整体支出")
_EXECUTED = re.compile(rf"(?<!预算)执行数[为是:：]?\s*{_NUM}\s*万元")
_COMPLETION = re.compile(rf"全年预算数?[为是:：]?\s*{_NUM}\s*万元[，,、]?\s*(?:全年)?执行数[为是:：]?\s*{_NUM}\s*万元[，,、]?\s*"
                         rf"(?:完成(?:全年)?预算的|(?:预算)?执行率为?|完成率为?)\s*{_NUM}\s*%")
_PROJECT_SHARE = re.compile(rf"{_NUM}\s*万元[，,]?\s*占[^，。；%]{{0,12}}项目支出(?:总额|合计)?的?\s*{_NUM}\s*%")
YUAN = re.compile(rf"(?<![\d.]){_NUM}\s*元")
HUNDRED = Decimal(100)


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _half(text: str) -> Decimal:
    """Half a unit of the last printed place: a printed 2,444.56 stands for 2,444.555 … 2,444.565."""
    places = len(text.split(".", 1)[1]) if "." in text else 0
    return Decimal(5).scaleb(-places - 1)


def _totals(report: Report) -> list[tuple[str, Decimal, CellRef | None]]:
    """What 部门整体支出 执行数 may be: all spending, or the 财政拨款 spending."""
    out = []
    for tid, key, column, side, label in (("03", "合计", "本年支出合计", None, "公开03表 本年支出合计"),
                                          ("04", "支出总计", "合计", "支出", "公开04表 财政拨款支出总计"),
                                          ("05", "合计", "小计", None, "公开05表 一般公共预算财政拨款支出合计")):
        row = report.table(tid).row(key, side)
        if row is not None and column in row.values:
            value = row.values[column]
            out.append((label, value.amount, value.cell))
    return out


def check_free_text(s: Sentence, report: Report) -> list[LintFinding]:
    return _whole_department(s, report) + _completion(s) + _project_share(s, report)


def _whole_department(s: Sentence, report: Report) -> list[LintFinding]:
    whole = _WHOLE.search(s.text)
    m = _EXECUTED.search(s.text, whole.end()) if whole else None
    if not m or m.start() - whole.end() > 40 or "项目" in s.text[whole.end():m.start()]:
        return []  # the 执行数 of a project, not of the whole department
    said, half = _dec(m.group(1)), _half(m.group(1))
    totals = _totals(report)
    if not totals or any(abs(value - said) <= half for _, value, _ in totals):
        return []
    label, value, cell = totals[0]
    return [LintFinding("L01", WARNING, s.section, s.text, f"部门整体支出执行数 {m.group(1)}万元",
                        f"与{label} {value:,.2f}万元 不符（核对执行数的口径）", [cell] if cell else [])]


def _completion(s: Sentence) -> list[LintFinding]:
    out = []
    for m in _COMPLETION.finditer(s.text):
        budget, executed, rate = (_dec(g) for g in m.groups())
        if budget == 0:
            continue
        hb, he, hr = (_half(g) for g in m.groups())
        low = (executed - he) / (budget + hb) * HUNDRED if budget > hb else Decimal(0)
        high = (executed + he) / (budget - hb) * HUNDRED if budget > hb else Decimal("Infinity")
        if rate + hr < low or rate - hr > high:
            right = (executed / budget * HUNDRED).quantize(Decimal("0.01"))
            out.append(LintFinding("L01", ERROR, s.section, s.text, f"{m.group(3)}%",
                                   f"按本句的全年预算数 {m.group(1)}万元、执行数 {m.group(2)}万元，应为 {right}%"))
    return out


def _project_share(s: Sentence, report: Report) -> list[LintFinding]:
    row = report.table("03").row("合计")
    if row is None or "项目支出" not in row.values:
        return []
    total = row.values["项目支出"]
    out = []
    for m in _PROJECT_SHARE.finditer(s.text):
        amount, rate = _dec(m.group(1)), _dec(m.group(2))
        if total.amount <= _half(m.group(1)):
            continue
        ha, hr = _half(m.group(1)), _half(m.group(2))
        low = (amount - ha) / (total.amount + Decimal("0.005")) * HUNDRED
        high = (amount + ha) / (total.amount - Decimal("0.005")) * HUNDRED
        if rate + hr < low or rate - hr > high:
            right = (amount / total.amount * HUNDRED).quantize(Decimal("0.01"))
            out.append(LintFinding("L01", WARNING, s.section, s.text, f"占项目支出 {m.group(2)}%",
                                   f"{m.group(1)}万元 ÷ 公开03表 项目支出 {total.amount:,.2f}万元 = {right}%",
                                   [total.cell] if total.cell else []))
    return out


def table_figures(report: Report) -> dict[Decimal, CellRef | None]:
    """Every non-zero amount of the tables and the 说明数据, with a cell it stands in."""
    out: dict[Decimal, CellRef | None] = {}
    for table in report.tables.values():
        for row in table.rows:
            for value in row.values.values():
                if value.amount:
                    out.setdefault(value.amount, value.cell)
    if report.inputs is not None:
        for v in report.inputs.values.values():
            if isinstance(v.value, Decimal) and v.value:
                out.setdefault(v.value, v.cell)
    return out


def wrong_unit(s: Sentence, figures: dict[Decimal, CellRef | None], skip: set[Decimal]) -> list[LintFinding]:
    """L03 anywhere: "2,444.56元" where a table has 2,444.56万元 (cents printed, so it is not a price)."""
    out = []
    for m in YUAN.finditer(s.text):
        if "." not in m.group(1) or len(m.group(1).split(".")[1]) != 2:
            continue
        value = _dec(m.group(1))
        if value in figures and value not in skip:
            cell = figures[value]
            out.append(LintFinding("L03", ERROR, s.section, s.text, f"{m.group(1)}元",
                                   f"单位应为万元：{value:,.2f}万元", [cell] if cell else []))
    return out
