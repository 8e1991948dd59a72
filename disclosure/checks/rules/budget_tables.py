"""部门预算 rules, part 2: the 表内 sums of the row tables — 单位 tables (表2, 表3, 表10, 表12: 部门 = Σ 单位,
合计 = Σ 来源 columns), the 科目 tables 表5–表8 (合计 = Σ类 …, 合计 = 人员 + 公用 (+ 专项)), the 三公 table's
columns (表12) and the money of the 绩效目标 forms (表13–表15)."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from ...model import Report, Row, Table
from ..engine import Rule, compare_sum, keep, term
from .budget import INCOME, budget_rule, side_term, unit_tree, within
from .coded import hierarchy_sums

UNIT_TABLES = ("表2", "表3", "表10", "表12")


def amount_columns(table: Table) -> list[str]:
    return [c.name for c in table.spec.columns if c.amount]


def source_columns(table: Table) -> list[str]:
    """表2/表3: the columns 合计 adds up — every source except 合计 itself and the 其中 columns."""
    return [c for c in amount_columns(table) if c != "合计" and not c.startswith("其中")]


def row_sum(r: Rule, report: Report, tid: str, row: Row, parts: list[str]):
    """The row's 合计 = the sum of its part columns."""
    return compare_sum(r, tid, term(report, tid, row, "合计"), [term(report, tid, row, c) for c in parts])


@budget_rule("B08", "“其中”数不大于所属项",
             "表1、表4：其中专项资金列入部门预算的项目 ≤ 一般公共预算拨款；表1：其中纳入财政专户管理的收费 ≤ 事业收入；"
             "表2、表3 每行：其中专项资金列入部门预算项目 ≤ 一般公共预算拨款小计",
             hint="“其中”数是所属项的一部分，不能更大：核对两数。")
def b08(r: Rule, report: Report):
    for tid, part, whole in (("表1", "专项资金列入部门预算的项目", "一般公共预算拨款"),
                             ("表1", "纳入财政专户管理的收费", "事业收入"),
                             ("表4", "专项资金列入部门预算的项目", "一般公共预算拨款")):
        yield from keep([within(r, tid, side_term(report, tid, INCOME, part), side_term(report, tid, INCOME, whole))])
    for tid in ("表2", "表3"):
        table = report.table(tid)
        part = next((c for c in amount_columns(table) if c.startswith("其中")), None)
        if part is None:
            continue
        for row in table.rows:
            yield from keep([within(r, tid, term(report, tid, row, part), term(report, tid, row, "一般公共预算拨款小计"))])


@budget_rule("B09", "表2、表3 每行 合计 = 各来源之和",
             "每一行：合计 = 一般公共预算拨款小计 + 政府性基金拨款 + 上级补助收入 + 事业收入 + … + 上年结转（“其中”栏不加）")
def b09(r: Rule, report: Report):
    for tid in ("表2", "表3"):
        table = report.table(tid)
        parts = source_columns(table)
        for row in table.rows:
            yield from keep([row_sum(r, report, tid, row, parts)])


def _unit_children(table: Table) -> tuple[list[Row], dict[int, list[Row]]]:
    """The top rows and the rows under each row (by object id): 单位 under their 部门 by 单位编码, and in
    表10 the projects under the 单位 printed above them."""
    top, by_code = unit_tree(table)
    children: dict[int, list[Row]] = {}
    projects: dict[str, list[Row]] = defaultdict(list)
    for row in table.rows:
        if not row.code and not row.key and row.unit_code:
            projects[row.unit_code].append(row)
    for row in table.rows:
        if row.code and not row.key:
            kids = by_code.get(row.code) or projects.get(row.code)
            if kids:
                children[id(row)] = kids
    return top, children


@budget_rule("B10", "表2、表3、表10、表12 部门 = 所属各单位之和",
             "每一栏：部门行 = 其下各单位行之和（按单位编码）；表10：单位 = 其下各项目之和，合计 = 部门行",
             hint="部门数与所属单位之和不符：核对是否漏列单位（项目），或部门行录错。")
def b10(r: Rule, report: Report):
    for tid in UNIT_TABLES:
        table = report.table(tid)
        top, children = _unit_children(table)
        total = table.row("合计")
        for column in amount_columns(table):
            if total is not None and top:
                yield from keep([compare_sum(r, tid, term(report, tid, total, column),
                                             [term(report, tid, x, column) for x in top])])
            for row in table.rows:
                kids = children.get(id(row))
                if kids:
                    yield from keep([compare_sum(r, tid, term(report, tid, row, column),
                                                 [term(report, tid, k, column) for k in kids])])


def _hierarchy_rule(id: str, tables: tuple[str, ...], title: str, formula: str, reference: str, hint: str) -> None:
    @budget_rule(id, title, formula, reference, hint=hint)
    def check(r: Rule, report: Report):
        for tid in tables:
            yield from hierarchy_sums(r, report, tid)


_hierarchy_rule("B11", ("表5", "表7"), "表5、表7 合计 = Σ类，类 = Σ款，款 = Σ项",
                "每一栏：合计 = 各类之和；类 = 其下各款之和；款 = 其下各项之和（按 3/5/7 位功能分类科目代码归属）",
                "政府收支分类科目层级；部门预算 表5、表7（一般公共预算支出明细表，按功能分类）",
                "上级科目与下级科目之和不符：核对下级科目是否漏列、错列，或上级数录错。")
_hierarchy_rule("B12", ("表6", "表8"), "表6、表8 合计 = Σ类，类 = Σ款",
                "每一栏：合计 = 各类之和；类 = 其下各款之和（按 3/5 位部门预算支出经济分类科目代码归属）",
                "部门预算支出经济分类科目层级；部门预算 表6、表8（一般公共预算支出明细表，按经济分类）",
                "类与其下各款之和不符：核对款是否漏列、错列，或类的数录错。")


@budget_rule("B13", "表5～表8 每行 合计 = 人员经费 + 公用经费（+ 专项业务经费）",
             "表5、表6 每一行：合计 = 人员经费支出 + 公用经费支出 + 专项业务经费支出；表7、表8：合计 = 人员经费支出 + 公用经费支出")
def b13(r: Rule, report: Report):
    for tid in ("表5", "表6", "表7", "表8"):
        table = report.table(tid)
        parts = [c for c in amount_columns(table) if c != "合计"]
        for row in table.rows:
            yield from keep([row_sum(r, report, tid, row, parts)])


SANGONG_GROUPS = ("上年", "当年")
CHANGE = "增减变化情况"
# (total, parts) within each group of 表12's columns
SANGONG_SUMS = [("合计", ["三公小计", "会议费", "培训费"]),
                ("三公小计", ["因公出国（境）费用", "公务接待费", "公务用车小计"]),
                ("公务用车小计", ["公务用车购置费", "公务用车运行维护费"])]
SANGONG_ITEMS = ["合计", "三公小计", "因公出国（境）费用", "公务接待费", "公务用车小计", "公务用车购置费",
                 "公务用车运行维护费", "会议费", "培训费"]


@budget_rule("B14", "表12 每行 合计 = “三公”小计 + 会议费 + 培训费，增减 = 当年 − 上年",
             "上年、当年、增减变化情况各自：合计 = “三公”小计 + 会议费 + 培训费；“三公”小计 = 因公出国（境）费用 + 公务接待费 + "
             "公务用车购置及运行维护费；公务用车购置及运行维护费 = 购置费 + 运行维护费。每一栏：增减变化情况 = 当年 − 上年",
             "部门预算 表12（一般公共预算拨款“三公”经费及会议费、培训费支出预算表）栏目关系")
def b14(r: Rule, report: Report):
    for row in report.table("表12").rows:
        figure = partial(term, report, "表12", row)  # a column the layout does not print reads as 0
        for group in (*SANGONG_GROUPS, CHANGE):
            for total, parts in SANGONG_SUMS:
                yield from keep([compare_sum(r, "表12", figure(f"{group}.{total}"),
                                             [figure(f"{group}.{p}") for p in parts])])
        for item in SANGONG_ITEMS:
            yield from keep([compare_sum(r, "表12", figure(f"{CHANGE}.{item}"),
                                         [figure(f"当年.{item}"), figure(f"上年.{item}").negated()], "增减 = 当年 − 上年")])


# (table, total field, part fields) of the 绩效目标 forms
FORM_SUMS = {
    "表13": [("实施期资金总额", ["财政拨款", "其他资金"])],
    "表15": [("实施期资金总额", ["实施期财政拨款", "实施期其他资金"]),
             ("年度资金总额", ["年度财政拨款", "年度其他资金"])],
}
TASK_COLUMNS = ("总额", "财政拨款", "其他资金")


def _forms(table: Table) -> dict[int | None, dict[str, Row]]:
    """The field rows of each form of a table (one form per `group` when the table is continued)."""
    forms: dict[int | None, dict[str, Row]] = defaultdict(dict)
    for row in table.rows:
        if row.side is None and row.key:
            forms[row.group].setdefault(row.key, row)
    return forms


@budget_rule("B15", "表13～表15 资金总额 = 财政拨款 + 其他资金，表14 金额合计 = 各任务之和",
             "表13、表15：资金总额 = 其中财政拨款 + 其他资金（实施期、年度各自）；表14：每一任务 总额 = 财政拨款 + 其他资金，"
             "金额合计 = 各任务之和（每栏）",
             "部门预算 表13～表15（绩效目标表）资金金额")
def b15(r: Rule, report: Report):
    for tid, sums in FORM_SUMS.items():
        for fields in _forms(report.table(tid)).values():
            for total, parts in sums:
                if total in fields and all(p in fields for p in parts):
                    yield from keep([compare_sum(r, tid, term(report, tid, fields[total], "金额"),
                                                 [term(report, tid, fields[p], "金额") for p in parts])])
    tasks = [row for row in report.table("表14").rows if row.side == "任务"]
    for row in tasks:
        yield from keep([compare_sum(r, "表14", term(report, "表14", row, "总额"),
                                     [term(report, "表14", row, c) for c in TASK_COLUMNS[1:]])])
    totals = [row for row in tasks if row.key]
    for total in totals:
        items = [row for row in tasks if not row.key and row.group == total.group]
        if not items:
            continue  # a 金额合计 with no task printed: nothing to add up
        for column in TASK_COLUMNS:
            yield from keep([compare_sum(r, "表14", term(report, "表14", total, column),
                                         [term(report, "表14", row, column) for row in items])])
