"""表间 rules (勾稽关系 between tables), each declared once with its id."""

from __future__ import annotations

from ...amounts import ZERO
from ...model import Report, Row, Value
from ..engine import WARNING, Finding, Rule, Term, at_most, compare_equal, compare_sum, keep, rule, term
from .coded import has_balances
from .fixed import FUNDS, class_rows, income_lines

REF = "部门决算公开表 表间勾稽关系"


def _code_row(report: Report, tid: str, code: str) -> Row:
    """The row of a code in a 科目 table, or an empty stand-in (the code is not printed there)."""
    row = report.table(tid).row(code)
    return row or Row(name="（表中未列此科目）", code=code, values={})


def _not_printed(number: str, code: str) -> Term:
    """A 类 the fixed table has no row for (a code outside the spec's class list)."""
    return Term(number, f"{code} 类（表中无此行）", "", Value(ZERO))


def _total(report: Report, tid: str) -> Row:
    return report.table(tid).row("合计") or Row(name="合计", key="合计", values={})


def _classes(report: Report, *tables: str) -> list[str]:
    codes = {r.code for t in tables for r in report.table(t).code_rows() if len(r.code or "") == 3}
    return sorted(codes | {r.code for r in class_rows(report.table("01")) if not r.is_empty})


@rule("X01", "01表 本年收入合计 = 02表 合计", "01表 本年收入合计 = 02表 合计行“本年收入合计”", REF)
def x01(r: Rule, report: Report):
    yield from keep([compare_equal(r, "01/02", term(report, "01", report.table("01").row("本年收入合计", "收入"), "决算数"),
                                   term(report, "02", _total(report, "02"), "本年收入合计"))])


@rule("X02", "01表 本年支出合计 = 03表 合计", "01表 本年支出合计 = 03表 合计行“本年支出合计”", REF)
def x02(r: Rule, report: Report):
    yield from keep([compare_equal(r, "01/03", term(report, "01", report.table("01").row("本年支出合计", "支出"), "决算数"),
                                   term(report, "03", _total(report, "03"), "本年支出合计"))])


@rule("X03", "01表 各类支出 = 03表 同类", "01表 每一类支出 = 03表 该类“本年支出合计”", REF)
def x03(r: Rule, report: Report):
    t01 = report.table("01")
    by_code = {row.code: row for row in class_rows(t01)}
    for code in _classes(report, "03"):
        row01 = by_code.get(code)
        left = term(report, "01", row01, "决算数") if row01 else _not_printed("公开01表", code)
        yield from keep([compare_equal(r, "01/03", left, term(report, "03", _code_row(report, "03", code), "本年支出合计"))])


@rule("X04", "01表 三项财政拨款收入 = 04表 同项", "01表 行次 1～3 = 04表 行次 1～3（一般公共预算、政府性基金、国有资本经营）", REF)
def x04(r: Rule, report: Report):
    lines01 = {row.key: row for row in income_lines(report.table("01"))}
    for key, _, _ in FUNDS:
        row04 = report.table("04").row(key, "收入")
        if key in lines01 and row04:
            yield from keep([compare_equal(r, "01/04", term(report, "01", lines01[key], "决算数"),
                                           term(report, "04", row04, "金额"))])


@rule("X05", "02表 财政拨款收入合计 = 04表 本年收入合计", "02表 合计行“财政拨款收入” = 04表 本年收入合计（三项资金合计）", REF)
def x05(r: Rule, report: Report):
    yield from keep([compare_equal(r, "02/04", term(report, "04", report.table("04").row("本年收入合计", "收入"), "金额"),
                                   term(report, "02", _total(report, "02"), "财政拨款收入"))])


def _fund_column(r: Rule, report: Report, fund_column: str, tid: str, total_column: str):
    """04's column of one fund equals the fund's own table: the 本年支出合计 and every 类."""
    t04 = report.table("04")
    pair = f"04/{tid}"
    spent = t04.row("本年支出合计", "支出")
    yield from keep([compare_equal(r, pair, term(report, "04", spent, fund_column),
                                   term(report, tid, _total(report, tid), total_column))])
    by_code = {row.code: row for row in class_rows(t04)}
    for code in _classes(report, tid):
        row04 = by_code.get(code)
        left = term(report, "04", row04, fund_column) if row04 else _not_printed("公开04表", code)
        yield from keep([compare_equal(r, pair, left, term(report, tid, _code_row(report, tid, code), total_column))])


@rule("X06", "04表 一般公共预算财政拨款栏 = 05表", "04表“一般公共预算财政拨款”栏：本年支出合计及每一类 = 05表 同项“小计”", REF)
def x06(r: Rule, report: Report):
    yield from _fund_column(r, report, "一般公共预算财政拨款", "05", "小计")


def _fund_balances(r: Rule, report: Report, tid: str, income_key: str, opening_key: str, column: str):
    """04's 本年收入, 年初 and 年末 of one fund = its table's 合计 row, where that table prints them (07; 08 only
    in a region that prints its income and 结转, as 上海 表九)."""
    if not has_balances(report.table(tid)):
        return
    t04, total = report.table("04"), _total(report, tid)
    for row04, column04, own in [(t04.row(income_key, "收入"), "金额", "本年收入"),
                                 (t04.row(opening_key, "收入"), "金额", "年初结转和结余"),
                                 (t04.row("年末结转和结余", "支出"), column, "年末结转和结余")]:
        if row04 is not None:
            yield from keep([compare_equal(r, f"04/{tid}", term(report, "04", row04, column04),
                                           term(report, tid, total, own))])


@rule("X07", "04表 政府性基金预算财政拨款栏 = 07表",
      "04表“政府性基金预算财政拨款”：本年支出合计及每一类 = 07表“小计”；本年收入、年初、年末 = 07表合计行", REF)
def x07(r: Rule, report: Report):
    if report.table("07").is_empty:
        return  # X10 says whether 04 agrees that there is nothing
    yield from _fund_column(r, report, "政府性基金预算财政拨款", "07", "小计")
    yield from _fund_balances(r, report, "07", *FUNDS[1])


@rule("X08", "04表 国有资本经营预算财政拨款栏 = 08表",
      "04表“国有资本经营预算财政拨款”栏：本年支出合计及每一类 = 08表“合计”；"
      "08表印收入、结转栏时（上海 表九）：本年收入、年初、年末 = 08表合计行", REF)
def x08(r: Rule, report: Report):
    if report.table("08").is_empty:
        return
    yield from _fund_column(r, report, "国有资本经营预算财政拨款", "08", "合计")
    yield from _fund_balances(r, report, "08", *FUNDS[2])


@rule("X09", "05表 每行 ≤ 03表 同科目", "同一科目：05表 小计/基本支出/项目支出 ≤ 03表 本年支出合计/基本支出/项目支出", REF,
      hint="一般公共预算财政拨款支出不能大于该科目的全部支出：核对05表与03表同一科目的数。")
def x09(r: Rule, report: Report):
    for row05 in report.table("05").code_rows():
        row03 = _code_row(report, "03", row05.code or "")
        for c05, c03 in (("小计", "本年支出合计"), ("基本支出", "基本支出"), ("项目支出", "项目支出")):
            yield from keep([at_most(r, "05/03", term(report, "05", row05, c05), term(report, "03", row03, c03))])


@rule("X10", "07表、08表 是否为空 与 04表 对应栏一致", "07表为空 ⇔ 04表政府性基金各数为 0；08表为空 ⇔ 04表国有资本经营各数为 0", REF,
      hint="04表有该项资金而对应表为空（或相反）：补填对应表，或改正04表。")
def x10(r: Rule, report: Report):
    t04 = report.table("04")
    for tid, (income_key, opening_key, column) in (("07", FUNDS[1]), ("08", FUNDS[2])):
        # every figure 04 prints for this fund: its income, its 年初, and its whole expenditure column
        figures = [t04.row(income_key, "收入").values["金额"], t04.row(opening_key, "收入").values["金额"]]
        figures += [row.values[column] for row in t04.rows if row.side == "支出"]
        nonzero = [v for v in figures if v.amount != 0]
        table = report.table(tid)
        if bool(nonzero) != table.is_empty:
            continue
        own = [v for row in table.rows for v in row.values.values() if v.amount != 0]
        number, title = table.spec.number, table.spec.title
        message = (f"公开04表“{column}”有数，但{number}（{title}）为空表" if nonzero else
                   f"{number}（{title}）有数，但公开04表“{column}”各数都是 0")
        cells = [v.cell for v in nonzero + own if v.cell]
        yield Finding(rule=r.id, severity=r.severity, table=f"04/{tid}", cell=cells[0] if cells else None,
                      message=message, title=r.title, hint=r.hint, cells=cells)


@rule("X11", "06表 人员经费 + 公用经费 = 05表 基本支出合计", "06表 人员经费合计 + 公用经费合计 = 05表 合计行“基本支出”", REF)
def x11(r: Rule, report: Report):
    t06 = report.table("06")
    parts = [term(report, "06", t06.row(x.label), t06.spec.value_name) for x in t06.spec.totals]
    yield from keep([compare_sum(r, "05/06", term(report, "05", _total(report, "05"), "基本支出"), parts)])


# 06 (基本支出 only) can never exceed 09 (基本 + 项目 money): ≤ relations, so a warning
SANGONG_PAIRS = [("30212", "因公出国（境）费"), ("30217", "公务接待费"), ("30231", "公务用车运行维护费"),
                 ("30215", "会议费"), ("30216", "培训费")]


@rule("X12", "06表 “三公”、会议费、培训费 ≤ 09表 决算数",
      "06表 30212 ≤ 09表因公出国（境）费；30217 ≤ 公务接待费；30231 ≤ 公务用车运行维护费；30215 ≤ 会议费；30216 ≤ 培训费（决算数）；"
      "09表不印会议费、培训费栏的地区（上海 表七、内蒙古 表十）只比“三公”",
      REF, severity=WARNING,
      hint="09表决算数含基本支出和项目支出，应不小于06表（只含基本支出）的同项：核对两表。")
def x12(r: Rule, report: Report):
    t06, t09 = report.table("06"), report.table("09")
    row09 = t09.row("决算数")
    if row09 is None:
        return
    printed = {c.name for c in t09.spec.value_columns}
    for code, column in SANGONG_PAIRS:
        row06 = t06.row(code)
        if row06 is not None and column in printed:
            yield from keep([at_most(r, "06/09", term(report, "06", row06, t06.spec.value_name),
                                     term(report, "09", row09, column))])
