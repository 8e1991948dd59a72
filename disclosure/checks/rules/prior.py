"""S07: the 上年 figures typed in 说明数据 against each other. 收入支出决算总表 (01) balances every year —
收入总计 = 支出总计 — so last year's 收入总计 and 支出总计 typed in 说明数据 must be equal too; when they are
not, one of them is mistyped, and the 情况说明 compares both of this year's totals with 上年收入总计 only.

The same test runs in the desktop window while the officer types (gui.models), so it is a plain function."""

from __future__ import annotations

from decimal import Decimal

from ...model import Report
from ..engine import WARNING, Finding, Rule, money, rule

PRIOR_INCOME, PRIOR_SPENDING = "上年.收入总计", "上年.支出总计"


def balances(report: Report) -> bool:
    """This year's 01 prints 收入总计 = 支出总计 (when it does not, T01.5 says so and S07 stays quiet)."""
    try:
        t = report.table("01")
        income, spending = t.row("收入总计", "收入"), t.row("支出总计", "支出")
        return income is not None and spending is not None and income.amount("决算数") == spending.amount("决算数")
    except (KeyError, AttributeError):  # a layout without a 收支总表
        return False


def unequal_prior_totals(income: Decimal | None, spending: Decimal | None) -> str | None:
    """Why the two 上年 totals cannot both be right, in the officer's words; None when they agree or one is blank."""
    if income is None or spending is None or income == spending:
        return None
    return (f"上年决算收入总计 {money(income)} 万元与支出总计 {money(spending)} 万元不等（相差 "
            f"{money(abs(income - spending))} 万元）：收支总表的收入总计与支出总计应相等，请按上年公开01表核对；"
            "情况说明按收入总计与上年比较")


@rule("S07", "上年决算收入总计与支出总计不等", "说明数据 上年收入总计 = 上年支出总计（本年01表收入总计 = 支出总计时）",
      "部门决算公开01表（收入支出决算总表）：收入总计 = 支出总计", severity=WARNING,
      hint="按上年公开01表核对“说明数据”中上年决算收入总计、支出总计两项，改正录错的一项。")
def s07(r: Rule, report: Report):
    """Both 上年 totals filled, this year's 01 balanced, and the two differ: one was mistyped."""
    inputs = report.inputs
    if inputs is None or not balances(report):
        return
    message = unequal_prior_totals(inputs.get(PRIOR_INCOME), inputs.get(PRIOR_SPENDING))
    if message:
        cells = [c for c in (inputs.cell(PRIOR_INCOME), inputs.cell(PRIOR_SPENDING)) if c]
        yield Finding(rule=r.id, severity=r.severity, table="说明数据", cell=inputs.cell(PRIOR_SPENDING),
                      title=r.title, hint=r.hint, cells=cells, message=message,
                      expected=inputs.get(PRIOR_INCOME), actual=inputs.get(PRIOR_SPENDING))
