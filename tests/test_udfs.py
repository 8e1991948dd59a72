"""Worksheet formulas: the narrative's wording, from the numbers Excel hands over (floats)."""

from __future__ import annotations

import pytest

from addin.udfs import JSGK_CHANGE, JSGK_COMPLETION, JSGK_DELTA, JSGK_GROWTH
from disclosure import workbook
from disclosure.narrative.render import render


@pytest.mark.parametrize("current, previous, text", [
    (1100.0, 937.65, "增加162.35万元，增长17.31%"),
    (2444.56, 3427.44, "减少982.88万元，下降28.68%"),
    (3.5, 3.5, "持平"),
    (5, 0, "增加5.00万元（上年为0，增长率无可比性）"),
    ("1,100.00", "937.65", "增加162.35万元，增长17.31%"),  # text amounts as the tables print them
])
def test_change_phrase(current, previous, text):
    assert JSGK_CHANGE(current, previous) == text


def test_delta_growth_and_completion():
    assert JSGK_DELTA(800, 900.5) == "减少100.50万元" and JSGK_DELTA(1, 1) == "持平"
    assert JSGK_GROWTH(1100.0, 937.65) == "17.31%" and JSGK_GROWTH(5, 0) == ""
    assert JSGK_COMPLETION(2444.56, 2979.42) == "82.05%" and JSGK_COMPLETION(1, 0) == ""


def test_blank_and_text_cells_give_a_hint_not_an_error():
    assert JSGK_CHANGE(None, 3) == "#请填写本年数"
    assert JSGK_COMPLETION(3, "") == "#请填写预算数"
    assert JSGK_CHANGE("abc", 3).startswith("#“abc”不是金额")


def test_the_formula_says_what_the_narrative_says(seed_books):
    """Section 一 of seed 004: 收入总计 2,444.56 vs 上年 3,427.44."""
    text = render(workbook.read(seed_books["004"])).text()
    assert f"收入总计、支出总计{JSGK_CHANGE(2444.56, 3427.44)}" in text
    assert f"完成年初预算的{JSGK_COMPLETION(2444.56, 2979.42)}" in text
