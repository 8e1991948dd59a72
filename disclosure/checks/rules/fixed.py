"""表内 rules of the fixed-row tables: 公开01表, 公开04表, 公开09表."""

from __future__ import annotations

from ...model import Report, Row, Table
from ..engine import Rule, compare_equal, compare_sum, keep, rule, term

REF_01 = "部门决算公开01表（收入支出决算总表）填报口径"
REF_04 = "部门决算公开04表（财政拨款收入支出决算总表）填报口径"
REF_09 = "部门决算公开09表（“三公”经费及会议费、培训费支出决算表）填报口径"
# (04 income row, 04 年初 sub row, 04 expenditure column) of each of the three funds
FUNDS = [
    ("一般公共预算财政拨款收入", "年初一般公共预算财政拨款结转和结余", "一般公共预算财政拨款"),
    ("政府性基金预算财政拨款收入", "年初政府性基金预算财政拨款结转和结余", "政府性基金预算财政拨款"),
    ("国有资本经营预算财政拨款收入", "年初国有资本经营预算财政拨款结转和结余", "国有资本经营预算财政拨款"),
]
FUND_COLUMNS = [f[2] for f in FUNDS]


def side_rows(table: Table, side: str) -> list[Row]:
    return [r for r in table.rows if r.side == side]


def income_lines(table: Table) -> list[Row]:
    """The income items printed above 本年收入合计 (行次 1–8 in 01, 1–3 in 04), as the spec orders them."""
    rows = side_rows(table, "收入")
    stop = next(i for i, r in enumerate(rows) if r.key == "本年收入合计")
    return rows[:stop]


def class_rows(table: Table) -> list[Row]:
    """The 功能分类 类 rows of the expenditure side (the spec gives each its code)."""
    return [r for r in side_rows(table, "支出") if r.code]


def fixed_sum(r: Rule, report: Report, tid: str, side: str, total_key: str, parts: list, column: str):
    """One row of a fixed table = the sum of others (rows given by key or as Row objects)."""
    t = report.table(tid)
    total = t.row(total_key, side)
    rows = [p if isinstance(p, Row) else t.row(p, side) for p in parts]
    if total is None or any(p is None for p in rows):
        return None  # a layout without these rows
    return compare_sum(r, tid, term(report, tid, total, column), [term(report, tid, p, column) for p in rows])


@rule("T01.1", "01表 本年收入合计 = 各项收入之和", "本年收入合计 = 行次 1～8 各项收入之和", REF_01)
def t01_income(r: Rule, report: Report):
    t = report.table("01")
    yield from keep([fixed_sum(r, report, "01", "收入", "本年收入合计", income_lines(t), "决算数")])


@rule("T01.2", "01表 本年支出合计 = 各类支出之和", "本年支出合计 = 各功能分类（类）支出之和", REF_01)
def t01_expense(r: Rule, report: Report):
    t = report.table("01")
    yield from keep([fixed_sum(r, report, "01", "支出", "本年支出合计", class_rows(t), "决算数")])


@rule("T01.3", "01表 收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
      "收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余", REF_01)
def t01_income_total(r: Rule, report: Report):
    yield from keep([fixed_sum(r, report, "01", "收入", "收入总计",
                               ["本年收入合计", "使用非财政拨款结余", "年初结转和结余"], "决算数")])


@rule("T01.4", "01表 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
      "支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余", REF_01)
def t01_expense_total(r: Rule, report: Report):
    yield from keep([fixed_sum(r, report, "01", "支出", "支出总计",
                               ["本年支出合计", "结余分配", "年末结转和结余"], "决算数")])


@rule("T01.5", "01表 收入总计 = 支出总计", "收入方总计 = 支出方总计", REF_01,
      hint="收支总计不平：先看 T01.3、T01.4 是否报错，再核对年初、年末结转和结余。")
def t01_balance(r: Rule, report: Report):
    t = report.table("01")
    income, expense = t.row("收入总计", "收入"), t.row("支出总计", "支出")
    yield from keep([compare_equal(r, "01", term(report, "01", income, "决算数"),
                                   term(report, "01", expense, "决算数"))])


@rule("T04.1", "04表 本年收入合计 = 三项财政拨款收入之和",
      "本年收入合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算财政拨款收入", REF_04)
def t04_income(r: Rule, report: Report):
    t = report.table("04")
    yield from keep([fixed_sum(r, report, "04", "收入", "本年收入合计", income_lines(t), "金额")])


@rule("T04.2", "04表 年初财政拨款结转和结余 = 三项资金之和", "年初财政拨款结转和结余 = 行次 29～31 之和", REF_04)
def t04_opening(r: Rule, report: Report):
    yield from keep([fixed_sum(r, report, "04", "收入", "年初结转和结余", [f[1] for f in FUNDS], "金额")])


@rule("T04.3", "04表 收入总计 = 本年收入合计 + 年初财政拨款结转和结余",
      "收入总计 = 本年收入合计 + 年初财政拨款结转和结余", REF_04)
def t04_income_total(r: Rule, report: Report):
    yield from keep([fixed_sum(r, report, "04", "收入", "收入总计", ["本年收入合计", "年初结转和结余"], "金额")])


@rule("T04.4", "04表 支出各行 合计 = 三项资金之和",
      "每一支出行：合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算财政拨款", REF_04)
def t04_row_funds(r: Rule, report: Report):
    for row in side_rows(report.table("04"), "支出"):
        yield from keep([compare_sum(r, "04", term(report, "04", row, "合计"),
                                     [term(report, "04", row, c) for c in FUND_COLUMNS])])


@rule("T04.5", "04表 本年支出合计 = 各类支出之和（每栏）", "每栏：本年支出合计 = 各功能分类（类）支出之和", REF_04)
def t04_expense(r: Rule, report: Report):
    t = report.table("04")
    for column in ["合计", *FUND_COLUMNS]:
        yield from keep([fixed_sum(r, report, "04", "支出", "本年支出合计", class_rows(t), column)])


@rule("T04.6", "04表 支出总计 = 本年支出合计 + 年末财政拨款结转和结余（每栏）",
      "每栏：支出总计 = 本年支出合计 + 年末财政拨款结转和结余", REF_04)
def t04_expense_total(r: Rule, report: Report):
    for column in ["合计", *FUND_COLUMNS]:
        yield from keep([fixed_sum(r, report, "04", "支出", "支出总计", ["本年支出合计", "年末结转和结余"], column)])


@rule("T04.7", "04表 收入总计 = 支出总计", "收入方总计 = 支出方总计（合计栏）", REF_04)
def t04_balance(r: Rule, report: Report):
    t = report.table("04")
    yield from keep([compare_equal(r, "04", term(report, "04", t.row("收入总计", "收入"), "金额"),
                                   term(report, "04", t.row("支出总计", "支出"), "合计"))])


@rule("T04.8", "04表 每项资金 年初 + 本年收入 = 本年支出 + 年末",
      "每项资金：年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余", REF_04,
      hint="某项资金收支不平：核对该项资金的年初、本年收入、本年支出和年末结转结余。")
def t04_fund_balance(r: Rule, report: Report):
    t = report.table("04")
    spent, closing = t.row("本年支出合计", "支出"), t.row("年末结转和结余", "支出")
    for income_key, opening_key, column in FUNDS:
        income, opening = t.row(income_key, "收入"), t.row(opening_key, "收入")
        # checked as 年末 = 年初 + 本年收入 − 本年支出, so the finding points at the 年末 cell
        yield from keep([compare_sum(r, "04", term(report, "04", closing, column),
                                     [term(report, "04", opening, "金额"), term(report, "04", income, "金额"),
                                      term(report, "04", spent, column).negated()],
                                     f"{column}：年初 + 本年收入 − 本年支出 应等于年末")])


@rule("T09.1", "09表 “三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费",
      "合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费（预算数、决算数各一行）", REF_09)
def t09_total(r: Rule, report: Report):
    for row in report.table("09").rows:
        yield from keep([compare_sum(r, "09", term(report, "09", row, "合计"),
                                     [term(report, "09", row, c) for c in
                                      ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")])])


@rule("T09.2", "09表 公务用车购置及运行维护费 = 购置费 + 运行维护费",
      "公务用车购置及运行维护费（小计）= 公务用车购置费 + 公务用车运行维护费", REF_09)
def t09_cars(r: Rule, report: Report):
    for row in report.table("09").rows:
        yield from keep([compare_sum(r, "09", term(report, "09", row, "公务用车购置及运行维护费"),
                                     [term(report, "09", row, c) for c in ("公务用车购置费", "公务用车运行维护费")])])
