"""汇总 from the 批量 page, driven for real (pytest-qt, offscreen): check the three sample units, tick them,
consolidate (the name and file dialogs monkeypatched), open the 汇总 in the main window; the button disabled
until two 决算 rows are ticked; refusals shown as one Chinese sentence, nothing written."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from conftest import ROOT, run_cli
from disclosure import workbook
from disclosure.acks import checked, open_findings
from disclosure.checks.engine import ERROR
from disclosure.consolidate_check import read_units, unit_findings
from disclosure.consolidate_derive import TOTAL
from gui.batch import BatchWindow, department_guess
from test_gui import window  # noqa: F401  (the main window fixture, shown, its settings in tmp_path)

WAIT = 60_000  # ms: checking three workbooks and consolidating them take ~3 s here; CI machines are slower
UNITS = ROOT / "templates" / "samples" / "汇总示例"
DEPARTMENT = "子洲县医疗保障局"


@pytest.fixture
def units(tmp_path) -> Path:
    folder = tmp_path / "单位"
    shutil.copytree(UNITS, folder)
    return folder


def _checked_batch(qtbot, window, folder: Path, n: int) -> BatchWindow:
    window.open_batch()
    batch = window.batch
    batch.set_folder(folder)
    batch.start_button.click()
    qtbot.waitUntil(lambda: batch.table.rowCount() == n and batch.start_button.isEnabled(), timeout=WAIT)
    return batch


def _dialogs(monkeypatch, out: Path, name: str | None = None) -> dict:
    """Answer the name dialog (with its prefilled text unless `name`) and the save dialog with `out`."""
    seen = {}

    def get_text(_parent, _title, _label, text=""):
        seen["offered"] = text
        return (text if name is None else name), True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    return seen


def _tick(batch: BatchWindow, r: int) -> None:
    batch.table.item(r, 0).setCheckState(Qt.Checked)


def _run(qtbot, batch: BatchWindow) -> QMessageBox:
    batch.box = None
    batch.consolidate_button.click()
    qtbot.waitUntil(lambda: batch.box is not None and batch.box.isVisible(), timeout=WAIT)
    return batch.box


def test_consolidate_three_units_and_open_the_result(qtbot, window, units, tmp_path, monkeypatch):
    batch = _checked_batch(qtbot, window, units, 3)
    button = batch.consolidate_button
    assert not button.isEnabled() and "已勾选 0 个" in button.toolTip()
    _tick(batch, 0)
    assert not button.isEnabled() and "已勾选 1 个" in button.toolTip()  # one unit is no 汇总
    batch.all_box.click()
    assert [r.file.name for r in batch.chosen()] == sorted(p.name for p in UNITS.iterdir())
    assert button.isEnabled() and button.toolTip() == "把勾选的 3 个单位汇总为部门决算工作簿"

    out = tmp_path / "输出" / "部门汇总.xlsx"
    out.parent.mkdir()
    seen = _dialogs(monkeypatch, out)
    box = _run(qtbot, batch)
    assert seen["offered"] == DEPARTMENT  # “子洲县医疗保障局本级” names its 部门
    assert box.icon() == QMessageBox.Information
    assert box.text() == f"已汇总 3 个单位 → {DEPARTMENT} 2024 年度决算（2024 年表样）：{out}"
    assert "子洲县医疗保险经办中心（2-子洲县医疗保险经办中心-2024.xlsx）" in box.informativeText()
    assert "各单位都填了的 43 项已相加（" in box.informativeText()
    assert "留待填写 1 项（文字不合并；有单位未填的数不相加）（联系电话）" in box.informativeText()
    # as the 说明数据 sheet names them, never their keys (new-user test: “上年.一般公共预算财政拨款支出”, “人员.事业编制”)
    assert "实有人员总数" in box.detailedText() and box.detailedText().endswith("留待填写：联系电话")
    assert "人员." not in box.detailedText() and "上年." not in box.detailedText()
    assert batch.summary.text() == f"汇总工作簿已写出：{out}" and batch.progress.value() == 3

    summary = workbook.read(out)
    assert summary.unit_name == DEPARTMENT and summary.year == 2024
    assert summary.inputs.get("单位构成") == ["子洲县医疗保障局本级", "子洲县医疗保险经办中心", "子洲县医疗保障基金安全防控中心"]
    assert open_findings(checked(summary), ERROR) == []  # `check` on it: 0 错误
    parts = read_units(units, summary)
    found, compared = unit_findings(summary, parts)
    assert compared > 100 and [f for f in found if f.severity == ERROR] == []  # `check --units`: equals its units
    spent = [u.report.table("03").row(TOTAL).amount("本年支出合计") for u in parts]
    got = summary.table("03").row(TOTAL).amount("本年支出合计")
    assert abs(got - sum(spent, Decimal(0))) <= Decimal("0.015")  # three units each rounded to 0.01 万元

    opener = next(b for b in box.buttons() if b.text() == "在主窗口中打开")
    opener.click()
    qtbot.waitUntil(lambda: window.session is not None and window.session.path == out, timeout=WAIT)
    assert window.session.report.unit_name == DEPARTMENT


def test_a_unit_twice_is_refused_and_nothing_written(qtbot, window, units, tmp_path, monkeypatch):
    first = sorted(units.iterdir())[0]
    shutil.copy(first, units / "4-副本.xlsx")
    (units / "5-损坏.xlsx").write_bytes(b"PK\x03\x04 broken")
    assert run_cli("template", "--kind", "预算", "-o", units / "6-预算.xlsx", "--unit", "测试局").code == 0
    batch = _checked_batch(qtbot, window, units, 6)
    broken, budget = batch.table.item(4, 0), batch.table.item(5, 0)
    assert broken.text() == "5-损坏.xlsx" and not broken.flags() & Qt.ItemIsUserCheckable
    assert "读不了，不能汇总" in broken.toolTip()
    assert budget.text() == "6-预算.xlsx" and not budget.flags() & Qt.ItemIsUserCheckable
    assert "是部门预算工作簿，汇总只用于部门决算" in budget.toolTip()
    batch.all_box.click()
    assert len(batch.chosen()) == 4 and batch.consolidate_button.isEnabled()

    out = tmp_path / "输出" / "部门汇总.xlsx"
    out.parent.mkdir()
    _dialogs(monkeypatch, out)
    box = _run(qtbot, batch)
    assert box.icon() == QMessageBox.Critical and box.detailedText() == ""
    assert box.text() == f"汇总未完成：“{first.name}”与“4-副本.xlsx”是同一个文件（内容完全相同）：同一单位不能汇总两次"
    assert list(out.parent.iterdir()) == []
    assert batch.start_button.isEnabled() and batch.consolidate_button.isEnabled()  # ready for another try


def test_the_summary_is_not_written_among_the_units(qtbot, window, units, monkeypatch):
    batch = _checked_batch(qtbot, window, units, 3)
    batch.all_box.click()
    before = sorted(p.name for p in units.iterdir())
    _dialogs(monkeypatch, units / "汇总", name="  ")
    batch.consolidate_button.click()
    assert batch.box.text() == "汇总未开始：请填写部门名称（汇总工作簿封面上的单位名称）。"
    _dialogs(monkeypatch, units / "汇总", name="某局")
    batch.consolidate_button.click()
    assert batch.box.icon() == QMessageBox.Warning and "不要放在单位文件夹“单位”中" in batch.box.text()
    assert sorted(p.name for p in units.iterdir()) == before and batch.job is None


def test_department_guess():
    assert department_guess(["子洲县医疗保险经办中心", "子洲县医疗保障局本级"]) == DEPARTMENT
    assert department_guess(["某县教育局第一中学", "某县教育局第二中学"]) == "某县教育局"
    assert department_guess(["某县医疗保险经办中心", "某县医疗保障基金安全防控中心"]) == ""  # “某县医疗保” names nobody
