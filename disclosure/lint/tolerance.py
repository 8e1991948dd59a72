"""How far a printed figure may stand from our Fact and still be the same figure: a 尾差 (DESIGN.md).

Every table cell and 说明数据 amount is rounded from 元 to 0.01 万元, so a figure computed from n of them (a
difference, a sum) may differ by up to n × 0.005 from the same computation on 元 — the checks' rule for sums
(checks/engine.compare_sum) — and a percentage may be anything its operands' ranges allow: 0.78 ÷ 1.00 万元
is 78.00%, yet 7,836 元 ÷ 10,000 元 (printed 0.78 and 1.00) is 78.36%. A figure within that range is a 警告
(尾差), not an 错误; anything beyond it keeps its 错误.
"""

from __future__ import annotations

from decimal import Decimal

from ..checks.engine import HALF_CENT  # the rounding of one figure, as the checks count it
from ..narrative.facts import HUNDRED, Fact

RATIOS = ("share", "completion", "growth")


def rounded_figures(f: Fact) -> int:
    """How many rounded amounts (non-zero table cells or inputs) a Fact is computed from."""
    if not f.op:
        return int(f.kind == "amount" and bool(f.value))
    return sum(rounded_figures(o) for o in f.operands)


def amount_slack(f: Fact) -> Decimal:
    """Half-width of the range an amount Fact's value stands for (0 for a figure read as it is)."""
    return rounded_figures(f) * HALF_CENT if f.op else Decimal(0)


def percent_range(f: Fact) -> tuple[Decimal, Decimal] | None:
    """(lowest, highest) percentage the operands' roundings allow; None when not a quotient of amounts or the
    divisor's range reaches 0."""
    if f.op == "abs" and f.operands:  # a change printed as its magnitude (narrative/render.py)
        f = f.operands[0]
    if f.op not in RATIOS or len(f.operands) != 2 or not f.known:
        return None
    a, b = f.operands
    if not (a.known and b.known):
        return None
    ta, tb = rounded_figures(a) * HALF_CENT, rounded_figures(b) * HALF_CENT
    lo_b, hi_b = b.value - tb, b.value + tb  # type: ignore[operator]
    if lo_b <= 0 <= hi_b or not (ta or tb):
        return None
    ends = [n / d * HUNDRED for n in (a.value - ta, a.value + ta) for d in (lo_b, hi_b)]  # type: ignore[operator]
    return min(ends), max(ends)


def half_unit(printed: Decimal) -> Decimal:
    """Half a unit of the printed number's last place: 78.36 stands for 78.355 … 78.365."""
    return Decimal(5).scaleb(min(0, printed.as_tuple().exponent) - 1)  # type: ignore[arg-type]


def amount_within(printed: Decimal, f: Fact) -> Decimal | None:
    """The slack when a printed amount differs from the Fact by no more than its rounding, else None."""
    slack = amount_slack(f)
    return slack if f.known and printed != f.value and abs(abs(printed) - abs(f.value)) <= slack else None  # type: ignore[arg-type]


def percent_within(printed: Decimal, f: Fact) -> tuple[Decimal, Decimal] | None:
    """The operands' range when a printed percentage lies within it (magnitudes: a fall is printed without its
    sign), else None."""
    span = percent_range(f)
    if span is None:
        return None
    low, high = sorted((abs(span[0]), abs(span[1]))) if span[0] * span[1] > 0 else (Decimal(0), max(map(abs, span)))
    h = half_unit(printed)
    return (low, high) if low - h <= printed <= high + h else None
