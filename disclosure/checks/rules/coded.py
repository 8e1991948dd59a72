"""表内 rules of the 科目 tables (02, 03, 05, 07, 08): each row adds up across its columns, and down the
code hierarchy 合计 = Σ类, 类 = Σ款, 款 = Σ项 — derived from the 3/5/7-digit codes, never listed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ...model import Report, Row, Table
from ..engine import Rule, compare_sum, keep, rule, term

# (table, total column, part columns): the column relations printed in each table's header
ROW_SUMS = [
    ("02", "本年收入合计", ["财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]),
    ("03", "本年支出合计", ["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]),
    ("05", "小计", ["基本支出", "项目支出"]),
    ("07", "小计", ["基本支出", "项目支出"]),
    ("08", "合计", ["基本支出", "项目支出"]),
]
TITLES = {"02": "收入决算表", "03": "支出决算表", "05": "一般公共预算财政拨款支出决算表",
          "07": "政府性基金预算财政拨款收入支出决算表", "08": "国有资本经营预算财政拨款支出决算表"}


def parent_code(code: str) -> str | None:
    return {7: code[:5], 5: code[:3]}.get(len(code))


def missing_parents(table: Table) -> Iterator[tuple[Row, str, str]]:
    """(row, parent code, 款/类) for each coded row whose parent 款 or 类 is not printed in the same table."""
    present = {row.code for row in table.code_rows()}
    for row in table.code_rows():
        parent = parent_code(row.code or "")
        if parent and parent not in present:
            yield row, parent, "款" if len(parent) == 5 else "类"


def code_tree(table: Table) -> tuple[list[Row], dict[str, list[Row]]]:
    """Top-level rows (类, or any row none of whose ancestors is printed) and the children of each code. A 项
    whose 款 is not printed is its 类's child (the 款's amount is in it): counted once, under the 类 — not again
    in the 合计 beside the 类 that holds it (a false 合计 错误; the missing 款 is B31/T-rule's own finding)."""
    rows = table.code_rows()
    present = {r.code for r in rows}
    children: dict[str, list[Row]] = defaultdict(list)
    top = []
    for row in rows:
        parent = parent_code(row.code or "")
        while parent is not None and parent not in present:
            parent = parent_code(parent)
        if parent is not None:
            children[parent].append(row)
        else:
            top.append(row)
    return top, children


def _row_sum_rule(tid: str, total: str, parts: list[str], index: int) -> None:
    @rule(f"T{tid}.{index}", f"{tid}表 每行 {total} = {' + '.join(parts)}",
          f"每一行：{total} = {' + '.join(parts)}", f"部门决算公开{tid}表（{TITLES[tid]}）栏目关系")
    def check(r: Rule, report: Report):
        for row in report.table(tid).rows:
            yield from keep([compare_sum(r, tid, term(report, tid, row, total),
                                         [term(report, tid, row, p) for p in parts])])


def _hierarchy_rule(tid: str, index: int) -> None:
    @rule(f"T{tid}.{index}", f"{tid}表 合计 = Σ类，类 = Σ款，款 = Σ项",
          "每一栏：合计 = 各类之和；类 = 其下各款之和；款 = 其下各项之和（按 3/5/7 位科目代码归属）",
          f"政府收支分类科目层级；部门决算公开{tid}表（{TITLES[tid]}）",
          hint="上级科目与下级科目之和不符：核对下级科目是否漏列、错列，或上级数录错。")
    def check(r: Rule, report: Report):
        yield from hierarchy_sums(r, report, tid)


def hierarchy_sums(r: Rule, report: Report, tid: str):
    """Every column of a 科目 table: 合计 = Σ top rows, and each code = Σ the codes printed under it
    (also the 预算 表5–表8, whose 经济分类 codes are 3/5 digits)."""
    t = report.table(tid)
    top, children = code_tree(t)
    total = t.row("合计")
    for column in (c.name for c in t.spec.columns):
        if total is not None:  # a 合计 with no 科目 printed under it sums nothing: its amount is the gap
            yield from keep([compare_sum(r, tid, term(report, tid, total, column),
                                         [term(report, tid, x, column) for x in top],
                                         "" if top else "表中没有列出任何科目")])
        for parent in t.code_rows():
            kids = children.get(parent.code or "")
            if kids:
                yield from keep([compare_sum(r, tid, term(report, tid, parent, column),
                                             [term(report, tid, k, column) for k in kids])])


for _tid, _total, _parts in ROW_SUMS:
    _row_sum_rule(_tid, _total, _parts, 1)
for _tid in ("02", "03", "05", "08"):
    _hierarchy_rule(_tid, 2)
_hierarchy_rule("07", 3)


# the columns of a fund table that also prints its income and 结转 (07; 上海 表九 is 08 so printed)
BALANCE_COLUMNS = ("年初结转和结余", "本年收入", "年末结转和结余")


def has_balances(table: Table) -> bool:
    return all(any(c.name == name for c in table.spec.columns) for name in BALANCE_COLUMNS)


def _balance_rule(tid: str, index: int, spent: str, ref: str) -> None:
    @rule(f"T{tid}.{index}", f"{tid}表 每行 年初 + 本年收入 = 本年支出 + 年末",
          f"每一行：年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出（{spent}）", ref)
    def check(r: Rule, report: Report):
        t = report.table(tid)
        if not has_balances(t):
            return  # the national 08 prints its 本年支出 only
        for row in t.rows:
            yield from keep([compare_sum(r, tid, term(report, tid, row, "年末结转和结余"),
                                         [term(report, tid, row, "年初结转和结余"), term(report, tid, row, "本年收入"),
                                          term(report, tid, row, spent).negated()])])


_balance_rule("07", 2, "小计", "部门决算公开07表（政府性基金预算财政拨款收入支出决算表）栏目关系")
_balance_rule("08", 3, "合计", "国有资本经营预算财政拨款收入支出决算表（印收入、结转栏的地区，如上海 表九）栏目关系")
