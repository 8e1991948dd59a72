"""Worksheet formulas (xlwings UDFs), worded exactly as the 情况说明: they call the narrative's own
Jinja2 filters (disclosure/narrative/render.py), so a sheet and the generated text can never disagree.

    =JSGK_CHANGE(本年, 上年)       增加162.35万元，增长17.31%   (持平; 上年为0 → no percent)
    =JSGK_DELTA(本年, 上年)        增加162.35万元
    =JSGK_GROWTH(本年, 上年)       17.31%     ("" when 上年 is 0: no comparable rate)
    =JSGK_COMPLETION(决算, 预算)   82.05%     ("" when 预算 is 0)

Amounts in 万元. Excel hands numbers over as floats; they become Decimal through their shortest repr
(disclosure.amounts.parse_amount), so 162.35 stays 162.35. Import them in Excel with the xlwings add-in
("UDF Modules: addin.udfs", then 导入函数). On Linux the decorators do nothing and these are plain
functions.
"""

from __future__ import annotations

import xlwings as xw

from disclosure.amounts import AmountError, parse_amount
from disclosure.narrative.facts import Collector, completion, diff, growth, source
from disclosure.narrative.model import Comparison
from disclosure.narrative.render import change, delta, pct


def _fact(value, name: str):
    if value is None or (isinstance(value, str) and not value.strip()):
        raise AmountError(f"请填写{name}")
    return source(parse_amount(value), name, None)


def _comparison(current, previous) -> Comparison:
    cur, base = _fact(current, "本年数"), _fact(previous, "上年数")
    return Comparison(cur, base, diff(cur, base), growth(cur, base), None, "增加", "减少")


def _context() -> dict:
    return {"_c": Collector()}


def _safe(compute):
    try:
        return compute()
    except AmountError as exc:
        return f"#{exc}"


@xw.func
@xw.arg("current", doc="本年数（万元）")
@xw.arg("previous", doc="上年数（万元）")
def JSGK_CHANGE(current, previous) -> str:
    """增减额与增长率，措辞与情况说明相同：增加162.35万元，增长17.31%。"""
    return _safe(lambda: change(_context(), _comparison(current, previous)))


@xw.func
def JSGK_DELTA(current, previous) -> str:
    """增减额：增加162.35万元 / 减少… / 持平。"""
    return _safe(lambda: delta(_context(), _comparison(current, previous)))


@xw.func
def JSGK_GROWTH(current, previous) -> str:
    """增长率（上年为 0 时为空）：17.31%。"""
    return _safe(lambda: pct(_context(), _comparison(current, previous).percent))


@xw.func
def JSGK_COMPLETION(actual, budget) -> str:
    """完成预算率（预算为 0 时为空）：82.05%。"""
    return _safe(lambda: pct(_context(), completion(_fact(actual, "决算数"), _fact(budget, "预算数"))))


__all__ = ["JSGK_CHANGE", "JSGK_DELTA", "JSGK_GROWTH", "JSGK_COMPLETION"]
