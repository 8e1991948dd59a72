"""部门预算 rules, part 3: 表间 relations of the totals — 表1 ↔ 表2 (收入 by source) and 表3 (支出), 表2 ↔ 表3,
表1 ↔ 表4 (the 财政拨款 part of the 收支总表), 表4 ↔ 表5/表9 (by fund and 功能分类), 表5 ↔ 表7 and 表6 ↔ 表8
(the 基本支出 part), 表10 (专项业务经费), 表11 (政府采购) and whether 表9 is empty.

A summary (表1, 表4) holds only 财政拨款 money when the detail tables do: where a department has other money
(事业收入, 上级补助 …) or 国有资本经营预算 money (no table of its own), "=" becomes "≤" (equal_or_within)."""

from __future__ import annotations

from ...amounts import ZERO
from ...model import Report, Row, Table, Value
from ..engine import Finding, Rule, Term, keep, term
from .budget import (DEPT, FUNC, GOV, INCOME, Sum, budget_rule, combined, department_term, equal, equal_or_within,
                     side_row, side_rows, side_term, within, zero_term)

# 表1 收入 rows and the 表2 column that holds the same money, by source
INCOME_COLUMNS = [
    ("一般公共预算拨款", "一般公共预算拨款小计"), ("专项资金列入部门预算的项目", "其中专项资金列入部门预算项目"),
    ("政府性基金拨款", "政府性基金拨款"), ("上级补助收入", "上级补助收入"), ("事业收入", "事业收入"),
    ("事业单位经营收入", "事业单位经营收入"), ("附属单位上缴收入", "对附属单位上缴收入"), ("其他收入", "其他收入"),
    ("用事业基金弥补收支差额", "用事业基金弥补收支差额"), ("上年实户资金余额", "上年实户资金余额"),
    ("上年结转", "上年结转"), ("收入总计", "合计"),
]
# 表1 收入 rows of money that is not 财政拨款
OTHER_MONEY = ["上级补助收入", "事业收入", "事业单位经营收入", "附属单位上缴收入", "其他收入", "用事业基金弥补收支差额",
               "上年实户资金余额"]
FISCAL_INCOME = ["财政拨款", "一般公共预算拨款", "专项资金列入部门预算的项目", "政府性基金拨款", "国有资本经营预算收入"]
TOP = {"表1": "部门预算", "表4": "财政拨款"}  # the first row of each block


def amount(report: Report, tid: str, side: str, key: str):
    row = side_row(report.table(tid), side, key)
    return row.amount("预算数") if row else ZERO


def fiscal_only(report: Report) -> bool:
    """表1 holds nothing but 财政拨款: no other income and the same 上年结转 as 表4."""
    return (all(amount(report, "表1", INCOME, k) == 0 for k in OTHER_MONEY)
            and amount(report, "表1", INCOME, "上年结转") == amount(report, "表4", INCOME, "上年结转"))


def no_state_capital(report: Report) -> bool:
    """表4 has no 国有资本经营预算 money, which no detail table of the 预算 shows."""
    return amount(report, "表4", INCOME, "国有资本经营预算收入") == 0


def no_carry_over(report: Report) -> bool:
    """Nothing carried in or out: each year's money is this year's spending, source by source."""
    return all(amount(report, tid, side, key) == 0 for tid, side, key in (
        ("表1", INCOME, "上年结转"), ("表1", FUNC, "结转下年"), ("表1", FUNC, "未安排支出的实户资金"),
        ("表4", INCOME, "上年结转"), ("表4", FUNC, "结转下年")))


def total_row(table: Table) -> Row:
    return table.row("合计") or Row(name="合计", key="合计", values={})


def code_row(table: Table, code: str) -> Row:
    """The row of a code, or an empty stand-in (the code is not printed there)."""
    return table.row(code) or Row(name="（表中未列此科目）", code=code, values={})


@budget_rule("B16", "表1、表4 各项收入 = 表2 部门行 同一来源",
             "表1 一般公共预算拨款、其中专项资金、政府性基金拨款、上级补助收入、事业收入 … 上年结转 = 表2 部门行同名栏，"
             "表1 收入总计 = 表2 部门行 合计；表4 一般公共预算拨款、其中专项资金、政府性基金拨款 = 表2 部门行同名栏")
def b16(r: Rule, report: Report):
    for tid, lines in (("表1", INCOME_COLUMNS), ("表4", INCOME_COLUMNS[:3])):
        pair = "表1/表2" if tid == "表1" else "表2/表4"
        for key, column in lines:
            yield from keep([equal(r, pair, department_term(report, "表2", column),
                                           side_term(report, tid, INCOME, key))])


@budget_rule("B17", "表3 部门行 = 表1 本年支出合计、表5 合计、表9 本年支出合计",
             "表1 本年支出合计 = 表3 部门行 合计；表3 一般公共预算拨款小计 = 表5 合计，政府性基金拨款 = 表9 本年支出合计"
             "（有上年结转时为 ≤）")
def b17(r: Rule, report: Report):
    yield from keep([equal(r, "表1/表3", department_term(report, "表3", "合计"),
                                   side_term(report, "表1", FUNC, "本年支出合计"))])
    exact = department_term(report, "表3", "上年结转").amount == 0
    for column, detail in (("一般公共预算拨款小计", term(report, "表5", total_row(report.table("表5")), "合计")),
                           ("政府性基金拨款", side_term(report, "表9", FUNC, "本年支出合计"))):
        part = department_term(report, "表3", column)
        pair = f"表3/{detail.table}"
        yield from keep([equal(r, pair, detail, part) if exact else within(r, pair, part, detail)])


@budget_rule("B18", "表2 各单位各来源 = 表3 同单位同来源（无结转时）",
             "表1 无上年结转、结转下年和未安排支出的实户资金时：表3 每一单位行的每一来源栏 = 表2 同一单位同名栏")
def b18(r: Rule, report: Report):
    if not no_carry_over(report):
        return
    t2, t3 = report.table("表2"), report.table("表3")
    shared = [c.name for c in t3.spec.columns if c.amount and c.name in {x.name for x in t2.spec.columns}]
    codes = list(dict.fromkeys(row.code for t in (t2, t3) for row in t.rows if row.code))
    for code in codes:
        for column in shared:
            yield from keep([equal(r, "表2/表3", term(report, "表2", code_row(t2, code), column),
                                           term(report, "表3", code_row(t3, code), column))])


@budget_rule("B19", "表1 与 表4 同一财政拨款数相等",
             "收入：表1 财政拨款、一般公共预算拨款、其中专项资金、政府性基金拨款、国有资本经营预算收入 = 表4 同项；"
             "支出（三种分类的每一行）：表4 = 表1 同项，部门另有非财政拨款资金时 表4 ≤ 表1",
             hint="表1 与 表4 同一行不同：只有财政拨款的部门两表应逐行相同；核对哪一表录错（另见 B24、B25 与明细表的核对）。")
def b19(r: Rule, report: Report):
    for key in FISCAL_INCOME:
        yield from keep([equal(r, "表1/表4", side_term(report, "表1", INCOME, key),
                                       side_term(report, "表4", INCOME, key))])
    yield from keep([within(r, "表1/表4", side_term(report, "表4", INCOME, "上年结转"),
                             side_term(report, "表1", INCOME, "上年结转"))])
    exact = fiscal_only(report)
    t4 = report.table("表4")
    for side in (FUNC, DEPT, GOV):
        for row in side_rows(t4, side):
            key = TOP["表1"] if row.key == TOP["表4"] else row.key
            left, right = side_term(report, "表1", side, key), side_term(report, "表4", side, row.key)
            if exact and side == FUNC and right.amount == _detail(report, row.code).amount:
                left, right = right, left  # 表4 agrees with 表5 and 表9: the finding points at 表1, the odd one
            yield from keep([equal(r, "表1/表4", left, right) if exact else within(r, "表1/表4", right, left)])


def _detail(report: Report, code: str | None) -> Term:
    """What 表5 and 表9 give for a 功能分类 类 of 表4 (B20's detail), or with no code for its 本年支出合计."""
    t5 = report.table("表5")
    if code:
        return combined([term(report, "表5", code_row(t5, code), "合计"), _class_term(report, "表9", code)])
    return combined([term(report, "表5", total_row(t5), "合计"), side_term(report, "表9", FUNC, "本年支出合计")])


def _classes(report: Report) -> list[str]:
    """功能分类 类 printed in 表4, 表5 or 表9."""
    codes = {row.code for tid in ("表4", "表9") for row in side_rows(report.table(tid), FUNC) if row.code}
    codes |= {row.code for row in report.table("表5").code_rows() if len(row.code or "") == 3}
    return sorted(codes)


def _class_term(report: Report, tid: str, code: str) -> Term:
    row = next((x for x in side_rows(report.table(tid), FUNC) if x.code == code), None)
    if row is None:
        return zero_term(report.table(tid).spec.number, f"功能分类 {code} 类")
    return side_term(report, tid, FUNC, row.key)


@budget_rule("B20", "表4 支出（功能分类）= 表5 + 表9，表4 收入 = 表5、表9",
             "表4 每一功能分类类及本年支出合计 = 表5 同类合计 + 表9 同类（有国有资本经营预算时为 ≥）；"
             "表4 政府性基金拨款 = 表9 政府性基金拨款；无结转时 表4 一般公共预算拨款 = 表5 合计")
def b20(r: Rule, report: Report):
    exact = no_state_capital(report)
    t5 = report.table("表5")
    for code in _classes(report):
        yield from keep([equal_or_within(r, "表4/表5", _class_term(report, "表4", code), _detail(report, code), exact)])
    yield from keep([equal_or_within(r, "表4/表5", side_term(report, "表4", FUNC, "本年支出合计"), _detail(report, None),
                                     exact)])
    yield from keep([equal(r, "表4/表9", side_term(report, "表9", INCOME, "政府性基金拨款"),
                                   side_term(report, "表4", INCOME, "政府性基金拨款"))])
    if no_carry_over(report):
        yield from keep([equal(r, "表4/表5", term(report, "表5", total_row(t5), "合计"),
                                       side_term(report, "表4", INCOME, "一般公共预算拨款"))])


BASIC_COLUMNS = ("人员经费支出", "公用经费支出")


def basic_pairs(report: Report, whole: str, basic: str):
    """(row of the whole table, row of the 基本支出 table) for 合计 and for every code either prints (a 基本
    row is matched to the whole table's row of the same code and, for 经济分类, the same 政府经济科目)."""
    t_whole, t_basic = report.table(whole), report.table(basic)
    yield total_row(t_whole), total_row(t_basic)
    matched: set[int] = set()
    for row in t_basic.code_rows():
        same = [x for x in t_whole.code_rows() if x.code == row.code]
        match = next((x for x in same if x.gov_code == row.gov_code), same[0] if same else None)
        if match is not None:
            matched.add(id(match))
        yield match or Row(name="（表中未列此科目）", code=row.code, values={}), row
    for row in t_whole.code_rows():
        if id(row) not in matched and any(row.amount(c) != 0 for c in BASIC_COLUMNS):
            yield row, Row(name="（表中未列此科目）", code=row.code, values={})


def basic_part(r: Rule, report: Report, whole: str, basic: str):
    for row_whole, row_basic in basic_pairs(report, whole, basic):
        for column in BASIC_COLUMNS:
            yield from keep([equal(r, f"{whole}/{basic}", term(report, whole, row_whole, column),
                                           term(report, basic, row_basic, column))])


@budget_rule("B21", "表7 = 表5 的基本支出部分（按功能分类）",
             "合计行及每一科目：表7 人员经费支出、公用经费支出 = 表5 同一科目的同名栏；表5 有基本支出的科目表7 都须列出")
def b21(r: Rule, report: Report):
    yield from basic_part(r, report, "表5", "表7")


@budget_rule("B22", "表8 = 表6 的基本支出部分（按经济分类），表5、表6 合计相同",
             "合计行及每一经济分类科目：表8 人员经费支出、公用经费支出 = 表6 同一科目同名栏；"
             "表6 合计行每栏 = 表5 合计行同栏，表8 合计行每栏 = 表7 合计行同栏")
def b22(r: Rule, report: Report):
    yield from basic_part(r, report, "表6", "表8")
    for functional, economic in (("表5", "表6"), ("表7", "表8")):
        for column in (c.name for c in report.table(economic).spec.columns if c.amount):
            yield from keep([equal(r, f"{functional}/{economic}",
                                           term(report, functional, total_row(report.table(functional)), column),
                                           term(report, economic, total_row(report.table(economic)), column))])


@budget_rule("B27", "专项业务经费：表6 ≤ 表10 合计 ≤ 表1",
             "表6 合计行“专项业务经费支出”（一般公共预算）≤ 表10 合计 ≤ 表1 部门经济分类“专项业务经费支出”（全部资金）",
             hint="表10 列出全部专项业务经费项目：核对是否漏列项目，或与表1、表6 的专项业务经费不符。")
def b27(r: Rule, report: Report):
    t10 = report.table("表10")
    listed = (term(report, "表10", t10.row("合计"), "项目金额") if t10.row("合计")
              else department_term(report, "表10", "项目金额"))
    yield from keep([within(r, "表6/表10", term(report, "表6", total_row(report.table("表6")), "专项业务经费支出"), listed),
                     within(r, "表1/表10", listed, side_term(report, "表1", DEPT, "专项业务经费支出"))])


@budget_rule("B28", "表11 政府采购预算 ≤ 表1 本年支出合计",
             "表11 各行预算金额之和 ≤ 表1 本年支出合计", hint="政府采购预算是支出的一部分：核对表11 各行金额。")
def b28(r: Rule, report: Report):
    values = [row.values["预算金额"] for row in report.table("表11").rows if "预算金额" in row.values]
    nonzero = [v for v in values if v.amount != 0]
    if not nonzero:
        return
    purchases = Sum("表11", f"政府采购预算金额 {len(nonzero)} 行之和", "",
                    Value(sum((v.amount for v in nonzero), ZERO), nonzero[0].cell), parts=len(nonzero),
                    part_cells=tuple(v.cell for v in nonzero if v.cell))
    yield from keep([within(r, "表1/表11", purchases, side_term(report, "表1", FUNC, "本年支出合计"))])


@budget_rule("B29", "表9 是否为空 与 表1、表4 政府性基金拨款一致",
             "表9 为空 ⇔ 表1、表4 政府性基金拨款都为 0", hint="有政府性基金拨款而表9 为空（或相反）：补填表9，或改正表1、表4。")
def b29(r: Rule, report: Report):
    fund = [row.values["预算数"] for tid in ("表1", "表4")
            for row in [side_row(report.table(tid), INCOME, "政府性基金拨款")] if row and "预算数" in row.values]
    nonzero = [v for v in fund if v.amount != 0]
    t9 = report.table("表9")
    if bool(nonzero) != t9.is_empty:
        return
    own = [v for row in t9.rows for v in row.values.values() if v.amount != 0]
    message = ("表1/表4 有政府性基金拨款，但表9（部门综合预算政府性基金收支表）为空表" if nonzero else
               "表9（部门综合预算政府性基金收支表）有数，但表1、表4 政府性基金拨款都是 0")
    cells = [v.cell for v in nonzero + own if v.cell]
    yield Finding(rule=r.id, severity=r.severity, table="表4/表9", cell=cells[0] if cells else None, message=message,
                  title=r.title, hint=r.hint, cells=cells)

