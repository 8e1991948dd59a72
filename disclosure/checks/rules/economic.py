"""表内 rules of 公开06表 (一般公共预算财政拨款基本支出决算明细表): classes and the two 经费合计,
as the spec's classes and totals define them."""

from __future__ import annotations

from ...model import Report
from ..engine import Rule, compare_sum, find_row, keep, rule, term

REF_06 = "部门决算公开06表（一般公共预算财政拨款基本支出决算明细表）；部门预算支出经济分类科目"


@rule("T06.1", "06表 各类 = 其下各款之和", "301、302、303、307、310、312、399 各类 = 其下各款之和", REF_06)
def t06_classes(r: Rule, report: Report):
    t = report.table("06")
    column = t.spec.value_name
    for cls in t.spec.classes:
        total = find_row(t, cls.code)
        items = [find_row(t, code) for code, _ in cls.items]
        yield from keep([compare_sum(r, "06", term(report, "06", total, column),
                                     [term(report, "06", i, column) for i in items if i is not None])])


@rule("T06.2", "06表 人员经费合计、公用经费合计 = 所含各类之和",
      "人员经费合计 = 301 + 303；公用经费合计 = 302 + 307 + 310 + 312 + 399（按表样规格）", REF_06)
def t06_totals(r: Rule, report: Report):
    t = report.table("06")
    column = t.spec.value_name
    for total in t.spec.totals:
        yield from keep([compare_sum(r, "06", term(report, "06", find_row(t, total.label), column),
                                     [term(report, "06", find_row(t, c), column) for c in total.classes])])
