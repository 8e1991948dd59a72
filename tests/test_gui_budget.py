"""A 部门预算 workbook in the desktop window, with no mode switch: its 15 tables, the B rules' findings, its
own 说明数据 and 原因说明, the 预算 情况说明, and the kind in the title (pytest-qt, offscreen)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import budgetexport as bx
from disclosure import workbook
from disclosure.importers.export import import_export
from test_gui import _open, window  # noqa: F401  (fixture: the window)


@pytest.fixture(scope="module")
def _budget(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gui-budget")
    bx.write_export(folder / "导出.xlsx")
    report = import_export(folder / "导出.xlsx")
    return workbook.save_atomic(workbook.build(report.spec, report), folder / "预算.xlsx")


@pytest.fixture
def budget(_budget, tmp_path) -> Path:
    path = tmp_path / "绥德预算.xlsx"
    path.write_bytes(_budget.read_bytes())
    return path


def test_a_budget_workbook_opens_checks_and_shows_its_own_text(qtbot, window, budget):
    _open(qtbot, window, budget)
    assert window.windowTitle().startswith("绥德县医疗保障局 2023 年度部门预算 — 绥德预算.xlsx")
    assert window.tables.count() == 15 and window.tables.tabText(0).startswith("表1")
    asked = len(window.session.narrative.missing)  # N01/N02: what the 预算 text still needs
    assert asked and window.findings.summary.text() == f"错误 14 条，警告 20 条，提示 {asked} 条"
    text = window.narrative.text.toPlainText()
    assert "绥德县医疗保障局2023年部门综合预算" in text and "对事业单位经常性补助（505）743.08万元" in text
    keys = [r.key for r in window.inputs.inputs.rows]
    assert "上年.一般公共预算拨款支出" in keys or any(k.startswith("上年.") for k in keys)
    assert not any(k.startswith("年初预算.") for k in keys)  # the 决算's items are not offered
    assert "上年预算" in window.inputs.reasons_empty.text()
    assert window.exporter.start_button.isEnabled()


def test_last_years_budget_typed_in_the_window_is_saved_and_asks_for_reasons(qtbot, window, budget):
    _open(qtbot, window, budget)
    model = window.inputs.inputs
    row = next(i for i, r in enumerate(model.rows) if r.key == "上年.功能.2080505")
    model.setData(model.index(row, 1), "84.28")  # seed 002: 67.80 this year, 16.48 less than last year
    window.inputs.save_button.click()
    qtbot.waitUntil(lambda: "已保存 1 项" in window.statusBar().currentMessage(), timeout=30_000)
    assert workbook.read(budget).inputs.get("上年.功能.2080505") == Decimal("84.28")
    assert "较上年减少16.48万元" in window.narrative.text.toPlainText()
    # a change of 19.6 % (≥ the style's 10 %) wants its reason: offered in 原因说明, asked for in the text
    assert [r.key for r in window.inputs.reasons.rows if "2080505" in r.key]
    assert window.inputs.views[1].isVisible()
