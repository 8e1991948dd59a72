"""Properties of the generated text on random consistent reports with random 说明数据: every printed
percentage recomputes from its Fact's operands and cells; every direction word matches the sign."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from consistent import consistent_reports
from disclosure.inputs import InputValue, Inputs
from disclosure.model import CellRef
from disclosure.narrative.facts import Fact
from disclosure.narrative.render import render

PREVIOUS = ["上年.收入总计", "上年.财政拨款收支总计", "上年.一般公共预算财政拨款支出", "年初预算.一般公共预算财政拨款支出"]


def _cell_values(report) -> dict[CellRef, Decimal]:
    out = {v.cell: v.amount for t in report.tables.values() for r in t.rows for v in r.values.values() if v.cell}
    out.update({iv.cell: iv.value for iv in report.inputs.values.values() if iv.cell and isinstance(iv.value, Decimal)})
    return out


def _leaf_values(fact: Fact) -> Decimal:
    """Recompute a fact from its operands, down to the figures read from cells."""
    ops = [_leaf_values(o) for o in fact.operands]
    if fact.op == "diff":
        return ops[0] - ops[1]
    if fact.op == "sum":
        return sum(ops, Decimal(0))
    if fact.op in ("share", "completion", "growth"):
        return ops[0] / ops[1] * 100
    if fact.op == "abs":
        return abs(ops[0])
    return fact.value  # a figure read from a cell


@st.composite
def reports_with_inputs(draw):
    report = draw(consistent_reports())
    inputs = Inputs()
    current = {"上年.收入总计": report.table("01").row("收入总计", "收入").amount("决算数"),
               "上年.财政拨款收支总计": report.table("04").row("收入总计", "收入").amount("金额"),
               "上年.一般公共预算财政拨款支出": report.table("05").row("合计").amount("小计"),
               "年初预算.一般公共预算财政拨款支出": report.table("05").row("合计").amount("小计")}
    for i, key in enumerate(PREVIOUS):
        choice = draw(st.sampled_from(["same", "zero", "random"]))
        value = {"same": current[key], "zero": Decimal(0),
                 "random": draw(st.integers(1, 10**8).map(lambda c: Decimal(c).scaleb(-2)))}[choice]
        inputs.values[key] = InputValue(value, CellRef("说明数据", f"C{4 + i}"))
    report.inputs = inputs
    return report


@settings(max_examples=40, deadline=None)
@given(reports_with_inputs())
def test_percentages_recompute_and_directions_match(report):
    doc = render(report)
    cells = _cell_values(report)
    text = doc.text()
    for use in doc.uses:
        fact = use.fact
        for cell in fact.cells:  # every source cell holds what the fact says it read
            assert cell in cells
        if fact.kind == "percent":
            recomputed = _leaf_values(fact).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            # printed as the style says (Shaanxi: 100 for 100.00), always the same value
            assert Decimal(use.text) == recomputed and use.text in (str(recomputed), f"{recomputed:.0f}"), \
                (use.section, fact.formula)
        if fact.op == "abs" and fact.kind == "amount":  # the size of a change: check the word before it
            signed = fact.operands[0].value
            word = "增加" if signed > 0 else "减少"
            assert f"{word}{use.text}万元" in text, (use.section, fact.formula, signed)
    assert not re.search(r"(增加|减少)0(\.00)?万元", text)
    for paragraph in text.splitlines():  # a direction against the budget follows its completion rate
        for m in re.finditer("决算数[大小]于年初预算数", paragraph):
            assert "完成年初预算的" in paragraph[:m.start()], paragraph
