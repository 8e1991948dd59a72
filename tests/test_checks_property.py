"""Property tests of the rule engine on random consistent reports (tests/consistent.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure.checks import run
from consistent import change_one_amount_and_expect_it_caught, consistent_reports

# 09 会议费/培训费 enter no sum: only the 06 ≤ 09 relation (a warning) touches them
UNCHECKED = {("09", "会议费"), ("09", "培训费")}


@settings(max_examples=60, deadline=None)
@given(consistent_reports())
def test_consistent_reports_have_no_findings(report):
    assert run(report) == []


@settings(max_examples=150, deadline=None)
@given(report=consistent_reports(), data=st.data())
def test_one_changed_amount_is_caught_at_its_cell(report, data):
    targets = [(tid, row, col) for tid, t in report.tables.items() for row in t.rows
               for col in row.values if (tid, col) not in UNCHECKED]
    change_one_amount_and_expect_it_caught(report, data, targets)
