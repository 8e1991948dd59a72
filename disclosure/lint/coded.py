"""A 预算 text's “名称（代码）金额万元” items, checked by their code against the tables.

A 预算 情况说明 lists the 一般公共预算 by 功能分类 (“行政运行（2101501）121.47万元”) and by both 经济分类
(“工资福利支出（301）786.73万元”, “机关工资福利支出（501）82.65万元”). The officer may group differently from
us — a 款 (“行政事业单位医疗（21011）22.58万元”) where we list its two 项 — so the amount is checked against the
code's own figure (a 款 or 类 not printed in 表5 is the sum of its 项), not against whatever our sentence has
at that place. A code the tables do not have, printed with an amount that belongs to another code of the same
scheme (“对事业单位资本性补助（506）743.08万元” where 743.08 is 505 对事业单位经常性补助), is named as such.

The sentence matching in lint/__init__.py then leaves these amounts (and our figures from the same cells)
out, so a differently grouped list never shifts every later number onto the wrong figure.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..budgetfigures import Figure, dept_classes, gov_classes
from ..checks.engine import ERROR
from ..model import CellRef, Report, Value
from .findings import LintFinding

ITEM = re.compile(r"([^\s，。；：:、（）()]{2,30}?)[（(](\d{3}|\d{5}|\d{7})[）)]\s*(\d[\d,]*(?:\.\d+)?)\s*万元")
# the item's change on last year's budget, said right after its amount: “，较上年增加2.18万元”
CHANGE = re.compile(r"[，,]?\s*(?:较|比)上年(增加|减少|增长|下降)\s*(\d[\d,]*(?:\.\d+)?)\s*万元")
FAMILIES = {"2": "功能", "3": "部门经济", "5": "政府经济"}  # 说明数据 上年.<family>.<code>
FUNCTION, DEPT, GOV = "功能分类", "部门经济分类", "政府经济分类"


def _cells(item: Figure) -> list[CellRef]:
    return [v.cell for v in item.values if v.cell]


def _one(code: str, name: str, value: Value, source: str) -> Figure:
    return Figure(code, name, value.amount, (value,), source)


def _scheme(code: str) -> str:
    return {"2": FUNCTION, "3": DEPT, "5": GOV}.get(code[0], "")


def budget_items(report: Report) -> dict[str, Figure]:
    """Every code the 预算 text may name: 表5's 功能分类 rows (合计 column; a 类/款 not printed is the sum of
    its 项), 表6's 部门经济分类 类, the 政府经济分类 类 (budgetfigures.gov_classes)."""
    items: dict[str, Figure] = {}
    t5 = report.table("表5")
    leaves = [r for r in t5.code_rows() if len(r.code or "") == 7 and "合计" in r.values]
    for r in t5.code_rows():
        if "合计" in r.values:
            items[r.code] = _one(r.code, r.name, r.values["合计"], f"表5 {r.code}·合计")
    for prefix in {r.code[:n] for r in leaves for n in (3, 5)} - set(items):
        under = tuple(r.values["合计"] for r in leaves if r.code.startswith(prefix))
        items[prefix] = Figure(prefix, "", sum((v.amount for v in under), Decimal(0)), under,
                               f"表5 {prefix} 下各项·合计之和")
    for r in dept_classes(report):
        if "合计" in r.values:
            items[r.code] = _one(r.code, r.name, r.values["合计"], f"表6 {r.code}·合计")
    _, figures = gov_classes(report)
    items.update((f.code, f) for f in figures)
    return items


def last_years(report: Report, items: dict[str, Figure]) -> dict[str, Decimal]:
    """code -> last year's budget of it, from the 说明数据 (上年.功能.2101101 …): given for the code, or — a 款 or 类
    the officer names where we list its 项 — the sum over its 项 when every 项 of this year has one."""
    if report.inputs is None:
        return {}
    out: dict[str, Decimal] = {}
    for family in set(FAMILIES.values()):
        for code, v in report.inputs.with_prefix(f"上年.{family}.").items():
            if isinstance(v.value, Decimal):
                out[code] = v.value
    for code in items:
        leaves = [c for c in items if len(c) == 7 and c != code and c.startswith(code)]
        if code not in out and leaves and all(c in out for c in leaves):
            out[code] = sum((out[c] for c in leaves), Decimal(0))
    return out


def check_items(sentence, items: dict[str, Figure], last: dict[str, Decimal] | None = None
                ) -> tuple[list[LintFinding], set[CellRef], list]:
    """(findings, the cells of the items the sentence names, the spans of their amounts in the text). An item's
    change on last year said right after it is checked here too, against `last` (last_years): the sentence we
    pair with lists other items, and would give it some other figure to be."""
    found: list[LintFinding] = []
    cells: set[CellRef] = set()
    spans = []
    for m in ITEM.finditer(sentence.text):
        name, code, printed = m.group(1), m.group(2), m.group(3)
        if not _scheme(code):
            continue
        amount = Decimal(printed.replace(",", ""))
        spans.append(m.span(3))
        item = items.get(code)
        says = f"{name}（{code}）{printed}万元"
        change = CHANGE.match(sentence.text, m.end())
        if change is not None:
            spans.append(change.span(2))
            if item is not None and code in (last or {}):
                found += _check_change(sentence, name, code, item, last[code], change)
        if item is not None:
            cells.update(_cells(item))
            if item.amount != amount:
                found.append(LintFinding("L01", ERROR, sentence.section, sentence.text, says,
                                         f"应为 {item.amount:,.2f}万元（{item.source}）", _cells(item)))
            continue
        other = next((i for i in items.values() if _scheme(i.code) == _scheme(code) and len(i.code) == len(code)
                      and i.amount == amount), None)
        if other is not None:
            cells.update(_cells(other))
            found.append(LintFinding("L10", ERROR, sentence.section, sentence.text, says,
                                     f"表中没有科目 {code}；{printed}万元是 {other.code} {other.name}（{other.source}）",
                                     _cells(other)))
        else:
            found.append(LintFinding("L10", ERROR, sentence.section, sentence.text, says,
                                     f"表中没有科目 {code}（{_scheme(code)}）"))
    return found, cells, spans


def _check_change(sentence, name: str, code: str, item: Figure, before: Decimal, change) -> list[LintFinding]:
    """“较上年增加2.18万元” after an item: this year's figure less last year's, in the right direction."""
    word, printed = change.group(1), change.group(2)
    said = Decimal(printed.replace(",", ""))
    diff = item.amount - before
    if diff == 0 or (said == abs(diff) and (word in ("增加", "增长")) == (diff > 0)):
        return []  # 持平 is not said with a number: left to the sentence's own words
    right = f"{'增加' if diff > 0 else '减少'}{abs(diff):,.2f}万元"
    return [LintFinding("L01" if said != abs(diff) else "L06", ERROR, sentence.section, sentence.text,
                        f"{name}（{code}）较上年{word}{printed}万元",
                        f"应为较上年{right}（{item.amount:,.2f} − 上年 {before:,.2f}）", _cells(item))]


def blank_spans(text: str, spans: list) -> str:
    """The text with the given amounts blanked out (same length, so other positions stay)."""
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)
