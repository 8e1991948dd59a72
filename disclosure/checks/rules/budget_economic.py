"""部门预算 rules, part 4: the 经济分类 across tables — the 政府经济科目 that 表6 and 表8 give one 部门经济科目,
the 经济分类 blocks printed in 表1/表4 against the detail of 表6/表8 (and 表9 for 政府性基金), and the
“三公”经费、会议费、培训费 of 表12 against their 经济分类 codes in 表6."""

from __future__ import annotations

from collections import defaultdict

from ...amounts import ZERO
from ...model import Report, Row, Table, Value
from ..engine import WARNING, Finding, Rule, Term, keep, term
from .budget import (BASIC, DEPT, GOV, SPECIAL, Sum, budget_rule, combined, department_term, equal, equal_or_within,
                     side_rows, side_term, zero_term)
from .budget_cross import code_row, fiscal_only, no_state_capital, total_row


def _gov(row: Row) -> str:
    return f"{row.gov_code} {row.gov_name or ''}".strip() if row.gov_code else "（未列）"


@budget_rule("B23", "表6、表8 同一部门经济科目的政府经济科目一致",
             "表8 每一部门经济分类科目的政府预算支出经济分类科目 = 表6 同一科目的政府经济科目",
             hint="同一支出在两表归入不同的政府经济分类：按单位性质（机关 501/502…，事业单位 505…）核对并统一。")
def b23(r: Rule, report: Report):
    t6 = report.table("表6")
    for row in report.table("表8").code_rows():
        same = [x for x in t6.code_rows() if x.code == row.code]
        if not same or any(x.gov_code == row.gov_code for x in same):
            continue  # a row missing from 表6 is B22's finding
        cells = [c for c in (row.cell, *(x.cell for x in same)) if c]
        yield Finding(rule=r.id, severity=r.severity, table="表6/表8", cell=row.cell, title=r.title, hint=r.hint,
                      cells=cells,
                      message=f"表8 部门经济科目 {row.code} {row.name} 的政府经济科目为 {_gov(row)}，而表6 同一科目为 "
                              f"{'、'.join(_gov(x) for x in same)}")


def _class_rows(table: Table, prefix: str) -> dict[str, str]:
    """部门经济分类 类 code -> key of the 表1/表4/表9 row under 人员经费和公用经费 (基本.) or 专项业务经费 (专项.)."""
    return {row.code: row.key for row in side_rows(table, DEPT) if row.code and row.key.startswith(prefix)}


def _dept_pairs(report: Report, tid: str):
    """(表1/表4 figure, 表8 or 表6 figure + 表9 figure) for each line of the 部门经济分类 block."""
    t6, t8 = report.table("表6"), report.table("表8")
    yield (side_term(report, tid, DEPT, "人员经费和公用经费支出"),
           combined([term(report, "表8", total_row(t8), "合计"), side_term(report, "表9", DEPT, "人员经费和公用经费支出")]))
    yield (side_term(report, tid, DEPT, "专项业务经费支出"),
           combined([term(report, "表6", total_row(t6), "专项业务经费支出"),
                     side_term(report, "表9", DEPT, "专项业务经费支出")]))
    for prefix, detail, column, part in ((BASIC, t8, "合计", "人员经费和公用经费"), (SPECIAL, t6, "专项业务经费支出", "专项业务经费")):
        keys = _class_rows(report.table(tid), prefix)
        printed = {row.code for row in detail.code_rows() if len(row.code or "") == 3 and row.amount(column) != 0}
        for code in sorted(set(keys) | printed):
            key = keys.get(code)
            summary = (side_term(report, tid, DEPT, key) if key
                       else zero_term(report.table(tid).spec.number, f"部门经济分类 {part}·{code} 类"))
            parts = [term(report, detail.spec.id, code_row(detail, code), column)]
            if key:  # 表9's line of the same name (a zero stand-in when 表9 has no such line)
                parts.append(side_term(report, "表9", DEPT, key))
            yield summary, combined(parts)


def _exact(report: Report, tid: str) -> bool:
    return no_state_capital(report) and (tid == "表4" or fiscal_only(report))


@budget_rule("B24", "表1、表4 部门经济分类各行 = 表6、表8（+ 表9）",
             "表1、表4 人员经费和公用经费支出及其各类 = 表8 合计及同类（+ 表9 同项）；专项业务经费支出及其各类 = 表6 "
             "“专项业务经费支出”栏合计及同类（+ 表9 同项）；部门另有非财政拨款资金时 表1 为 ≥",
             hint="表1/表4 的经济分类数应由表6、表8 明细汇总而来：核对表1/表4 该行。")
def b24(r: Rule, report: Report):
    for tid in ("表1", "表4"):
        exact = _exact(report, tid)
        for summary, detail in _dept_pairs(report, tid):
            yield from keep([equal_or_within(r, f"{tid}/{detail.table}", summary, detail, exact)])


def _gov_leaves(table: Table) -> dict[str, list[Row]]:
    """政府经济分类 类 -> the lowest rows of 表6 booked to it (by their 政府经济科目编码)."""
    codes = [row.code for row in table.code_rows() if row.code]
    by_class: dict[str, list[Row]] = defaultdict(list)
    for row in table.code_rows():
        lowest = not any(c != row.code and c.startswith(row.code) for c in codes)
        if row.gov_code and lowest:
            by_class[row.gov_code[:3]].append(row)
    return by_class


def _gov_sum(cls: str, rows: list[Row]) -> Term:
    nonzero = [row for row in rows if row.amount("合计") != 0]
    if not nonzero:
        return zero_term("表6", f"政府经济科目编码为 {cls}xx 的行", "（一行也没有）")
    values = [row.values["合计"] for row in nonzero]
    return Sum("表6", f"政府经济科目编码为 {cls}xx 的 {len(nonzero)} 行之和", "",
               Value(sum((v.amount for v in values), ZERO), values[0].cell), parts=len(nonzero),
               part_cells=tuple(v.cell for v in values if v.cell))


@budget_rule("B25", "表1、表4 政府经济分类各类 = 表6 按政府经济科目归集（+ 表9）",
             "表1、表4 政府预算支出经济分类每一类 = 表6 政府经济科目编码属该类的各行“合计”之和（+ 表9 同类）；"
             "部门另有非财政拨款资金时 表1 为 ≥",
             hint="表1/表4 政府经济分类数与表6 各行的政府经济科目归集不符：核对表6 各行的政府经济科目编码，或表1/表4 该类。")
def b25(r: Rule, report: Report):
    t6 = report.table("表6")
    by_class = _gov_leaves(t6)
    if not by_class:
        return  # 表6 gives no 政府经济科目 at all: B33 says so
    for tid in ("表1", "表4"):
        exact = _exact(report, tid)
        keys = {row.code: row.key for row in side_rows(report.table(tid), GOV) if row.code}
        nine = {row.code: row.key for row in side_rows(report.table("表9"), GOV) if row.code}
        for cls in sorted(set(keys) | set(by_class)):
            summary = (side_term(report, tid, GOV, keys[cls]) if cls in keys
                       else zero_term(report.table(tid).spec.number, f"政府经济分类 {cls} 类"))
            parts = [_gov_sum(cls, by_class.get(cls, []))]
            if cls in nine:
                parts.append(side_term(report, "表9", GOV, nine[cls]))
            yield from keep([equal_or_within(r, f"{tid}/表6", summary, combined(parts), exact)])


# 表12 columns (当年) and the 部门经济分类 codes of the same spending
SANGONG_CODES = [("因公出国（境）费用", ["30212"]), ("公务接待费", ["30217"]), ("公务用车运行维护费", ["30231"]),
                 ("公务用车购置费", ["31013", "30913"]), ("会议费", ["30215"]), ("培训费", ["30216"])]


@budget_rule("B26", "表12 当年“三公”经费、会议费、培训费 = 表6 对应经济分类科目",
             "表12 部门行 当年：因公出国（境）费用 = 表6 30212；公务接待费 = 30217；公务用车运行维护费 = 30231；"
             "公务用车购置费 = 31013 + 30913；会议费 = 30215；培训费 = 30216（“合计”栏）",
             severity=WARNING,
             hint="表12 与表6 都是一般公共预算拨款安排的支出：核对表12，或表6 中这些费用是否列在别的科目。")
def b26(r: Rule, report: Report):
    t6 = report.table("表6")
    for column, codes in SANGONG_CODES:
        rows = [row for row in t6.code_rows() if row.code in codes]
        detail = (combined([term(report, "表6", row, "合计") for row in rows]) if rows
                  else zero_term("表6", "、".join(codes) + " 科目"))
        yield from keep([equal(r, "表6/表12", detail, department_term(report, "表12", f"当年.{column}"))])
