"""The desktop window, driven for real with pytest-qt (offscreen): open the sample, see the findings, jump
to a cell, edit a reason and save, follow a number of the 情况说明 to its cells, export, cancel, batch."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtWidgets import QLineEdit

from conftest import SAMPLE, build_sample_book
from disclosure import workbook
from gui.batch import BatchWindow
from gui.window import MainWindow

WAIT = 30_000  # ms: a load is ~0.1 s, an export without PDF ~1 s; CI machines are slower


@pytest.fixture(scope="module")
def _clean(tmp_path_factory) -> Path:
    return build_sample_book(tmp_path_factory.mktemp("gui") / "样例.xlsx")


@pytest.fixture
def clean(_clean, tmp_path) -> Path:
    return Path(shutil.copy(_clean, tmp_path / "样例.xlsx"))


@pytest.fixture
def broken(_clean, tmp_path) -> Path:
    path = Path(shutil.copy(_clean, tmp_path / "有错.xlsx"))
    wb = load_workbook(path)
    wb["公开05表"]["C7"] = Decimal("9999.99")
    wb.save(path)
    return path


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "gui.ini"), QSettings.IniFormat))
    qtbot.addWidget(w)
    w.show()
    return w


def _open(qtbot, window, path: Path) -> None:
    window.open_path(path)
    qtbot.waitUntil(lambda: window.session is not None and window.session.path == path, timeout=WAIT)


def test_open_see_the_findings_and_jump_to_the_cell(qtbot, window, broken):
    _open(qtbot, window, broken)
    assert window.findings.summary.text() == "错误 3 条，警告 12 条，提示 0 条"
    assert window.tabs.currentWidget() is window.tables and window.tables.count() == 9
    assert window.tables.tabText(4) == "公开05表（3 错）" and window.tables.tabText(3) == "公开04表（1 错）"
    window.findings.severity.setCurrentText("错误")
    proxy = window.findings.proxy
    assert proxy.rowCount() == 3
    window.findings.search.setText("C7")
    rows = [proxy.index(r, 3).data() for r in range(proxy.rowCount())]
    assert rows and all("公开05表!C7" in r or "C7" in r for r in rows)
    window.tabs.setCurrentWidget(window.findings)
    window.findings.view.setFocus()
    window.findings.view.setCurrentIndex(proxy.index(0, 0))
    qtbot.keyClick(window.findings.view, Qt.Key_Return)  # Enter on the chosen finding, as a double click
    assert window.tabs.currentWidget() is window.tables
    view = window.tables.current_view()
    assert window.tables.tabText(window.tables.currentIndex()).startswith("公开05表")
    assert (view.currentIndex().row(), view.currentIndex().column()) == (6, 2)  # C7
    model = view.model()
    assert model.index(6, 2).data() == "9,999.99"
    assert model.index(6, 2).data(Qt.BackgroundRole).color().name() == "#ffc7ce"
    assert "错误 T05" in model.index(6, 2).data(Qt.ToolTipRole)
    # a double click does the same
    window.tabs.setCurrentWidget(window.findings)
    window.tables.setCurrentIndex(0)
    target = window.findings.view.visualRect(proxy.index(0, 1)).center()
    qtbot.mouseClick(window.findings.view.viewport(), Qt.LeftButton, pos=target)  # a double click: press, then
    qtbot.mouseDClick(window.findings.view.viewport(), Qt.LeftButton, pos=target)  # the second press
    assert window.tabs.currentWidget() is window.tables and window.tables.tabText(window.tables.currentIndex()).startswith("公开05表")


def test_a_workbook_of_a_year_without_its_table_form_says_by_which_it_was_checked(qtbot, window, clean):
    """A 2025 workbook on the 2024 表样 (no 2025 one yet): the 校验 page says its checks are the 2024 表样's."""
    wb = load_workbook(clean)
    wb["封面"]["B4"] = 2025
    wb.save(clean)
    _open(qtbot, window, clean)
    summary = window.findings.summary
    assert summary.text().endswith("（按 2024 年表样校验：还没有 2025 年的表样）")
    assert "校验按 2024 年表样的勾稽关系进行" in summary.toolTip()


def test_edit_a_reason_and_save_writes_the_workbook_safely(qtbot, window, clean):
    _open(qtbot, window, clean)
    model = window.inputs.reasons
    row = next(i for i, r in enumerate(model.rows) if r.key == "原因.收支总计")
    model.setData(model.index(row, 1), "人员减少，项目经费压减")
    other_before = load_workbook(clean)["公开01表"]["C7"].value
    window.inputs.save_button.click()
    qtbot.waitUntil(lambda: "已保存 1 项" in window.statusBar().currentMessage(), timeout=WAIT)
    report = workbook.read(clean)
    assert report.inputs.get("原因.收支总计") == "人员减少，项目经费压减"
    assert clean.with_name("样例.备份.xlsx").exists()
    assert load_workbook(clean)["公开01表"]["C7"].value == other_before
    assert "人员减少，项目经费压减" in window.narrative.text.toPlainText()  # the text was regenerated


def test_back_from_the_start_page_to_the_open_workbook_keeps_its_edits(qtbot, window, clean):
    """返回首页, then back — by the start page's button, or the workbook in 最近打开 — to the same workbook, not
    read again: an edit not saved yet is still there, and nothing asks about it."""
    assert not window.start.back_button.isVisibleTo(window.start)  # nothing open yet
    assert not window.back_action.isEnabled()
    _open(qtbot, window, clean)
    qtbot.waitUntil(lambda: window.back_action.isEnabled(), timeout=WAIT)
    session = window.session
    model = window.inputs.reasons
    row = next(i for i, r in enumerate(model.rows) if r.key == "原因.收支总计")
    model.setData(model.index(row, 1), "尚未保存的原因")
    home = next(a for a in window.actions() if a.text() == "返回首页")
    home.trigger()
    assert window.stack.currentWidget() is window.start
    assert window.start.back_button.isVisibleTo(window.start)
    assert window.start.back_button.text() == f"回到“{clean.name}”（Ctrl+Shift+H）"
    window.start.back_button.click()
    assert window.stack.currentWidget() is window.tabs and window.session is session
    home.trigger()
    recent = window.start.recent.findItems(str(clean), Qt.MatchExactly)
    assert recent
    window.start.recent.itemClicked.emit(recent[0])
    assert window.stack.currentWidget() is window.tabs and window.session is session and not window.busy
    assert model.rows[row].text == "尚未保存的原因" and model.rows[row].changed


def test_invalid_input_is_shown_as_you_type_and_never_saved(qtbot, window, clean):
    _open(qtbot, window, clean)
    view = window.inputs.views[0]
    model = window.inputs.inputs
    row = next(i for i, r in enumerate(model.rows) if r.key == "人员.编制")
    view.edit(model.index(row, 1))
    editor = view.findChild(QLineEdit)
    editor.clear()
    qtbot.keyClicks(editor, "3x8")  # typed key by key (QtTest types ASCII only)
    assert "FFC7CE" in editor.styleSheet() and editor.toolTip()
    model.setData(model.index(row, 1), "三十八")  # what the editor commits
    before = clean.read_bytes()
    window.inputs.save_button.click()
    assert "有 1 项填写有误" in window.inputs.status.text()
    assert clean.read_bytes() == before


def test_a_number_of_the_text_shows_its_formula_and_cells(qtbot, window, clean):
    _open(qtbot, window, clean)
    uses = window.narrative.uses
    n = next(i for i, u in enumerate(uses) if u.text == "2444.56" and u.fact.cells)  # Shaanxi: no separator
    assert f'href="fact:{n}"' in window.narrative.text.toHtml() or "fact:" in window.narrative.text.toHtml()
    window.narrative.text.anchorClicked.emit(QUrl(f"fact:{n}"))
    source = window.narrative.source.toPlainText()
    assert "公式：" in source and str(uses[n].fact.cells[0]) in source
    ref = uses[n].fact.cells[0]
    model = window.tables.models[ref.sheet]
    assert ref.coord in model.highlighted
    window.narrative.source.anchorClicked.emit(QUrl(f"cell:{ref}"))
    assert window.tabs.currentWidget() is window.tables


def test_export_with_progress_then_cancel_leaves_nothing(qtbot, window, clean, tmp_path):
    _open(qtbot, window, clean)
    exporter = window.exporter
    exporter.pdf.setChecked(False)
    exporter.folder.setText(str(tmp_path / "包"))
    exporter.start_button.click()
    qtbot.waitUntil(lambda: getattr(window, "last_export", None) is not None, timeout=WAIT)
    assert (tmp_path / "包" / "manifest.json").exists() and (tmp_path / "包" / "公开表.xlsx").exists()
    assert exporter.progress.value() == exporter.progress.maximum() and exporter.open_button.isEnabled()
    exporter.folder.setText(str(tmp_path / "取消"))
    exporter.start_button.click()
    exporter.cancel_button.click()
    qtbot.waitUntil(lambda: window.job.finished, timeout=WAIT)
    qtbot.waitUntil(lambda: getattr(window, "last_error", "").endswith("已取消。"), timeout=WAIT)
    assert not (tmp_path / "取消").exists() and exporter.start_button.isEnabled()


def test_a_bad_file_is_a_message_not_a_crash(qtbot, window, tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    window.open_path(bad)
    qtbot.waitUntil(lambda: hasattr(window, "last_error"), timeout=WAIT)
    assert window.last_error.startswith("打开“坏.xlsx”未完成：") and "坏.xlsx" in window.last_error
    assert window.session is None


def test_import_an_export_into_a_new_workbook(qtbot, window, tmp_path):
    target = tmp_path / "新.xlsx"
    window.import_export(SAMPLE, target)
    qtbot.waitUntil(lambda: window.session is not None, timeout=WAIT)
    assert window.session.report.unit_name == "子洲县医疗保障局" and target.exists()
    assert window.start.recent.count() == 1 and window.start.recent.item(0).text() == str(target)


def test_shortcuts(window):
    keys = {a.text(): a.shortcut().toString() for a in window.actions()}
    assert keys["打开工作簿…"] == "Ctrl+O" and keys["重新校验"] == "F5" and keys["导出公开包"] == "Ctrl+E"
    assert keys["批量校验…"] == "Ctrl+B" and keys["导入报表…"] == "Ctrl+I"


def test_batch_over_three_workbooks(qtbot, clean, broken, tmp_path):
    folder = tmp_path / "批量"
    folder.mkdir()
    for p in (clean, broken):
        shutil.copy(p, folder / p.name)
    (folder / "损坏.xlsx").write_bytes(b"PK\x03\x04 broken")
    (folder / "样例.备份.xlsx").write_bytes(b"a backup is not a submission")
    batch = BatchWindow()
    qtbot.addWidget(batch)
    batch.set_folder(folder)
    assert "3 个工作簿" in batch.folder_label.text()
    batch.start_button.click()
    qtbot.waitUntil(lambda: batch.table.rowCount() == 3, timeout=WAIT)
    rows = [[batch.table.item(r, c).text() for c in range(6)] for r in range(3)]
    by_file = {r[0]: r for r in rows}
    assert by_file["样例.xlsx"][1:5] == ["子洲县医疗保障局", "0", "12", "通过"]
    assert by_file["有错.xlsx"][2:5] == ["3", "12", "有错误"]
    assert by_file["损坏.xlsx"][4] == "读取失败" and "损坏.xlsx" in by_file["损坏.xlsx"][5]
    saved = batch.save(tmp_path / "汇总.xlsx")
    ws = load_workbook(saved).active
    assert [c.value for c in ws[1]][:7] == ["文件", "单位", "年度", "错误", "警告", "提示", "状态"]
    assert sorted(ws.cell(r, 1).value for r in range(2, 5)) == ["损坏.xlsx", "有错.xlsx", "样例.xlsx"]


def test_the_about_box_shows_the_version(window):
    from disclosure import __version__

    assert any(a.text() == "关于" for a in window.actions())
    assert f"版本 {__version__}" in window.about_text()


def test_right_click_acknowledges_a_finding_then_rechecks(qtbot, window, broken, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from disclosure import acks

    _open(qtbot, window, broken)
    tab = window.findings
    tab.severity.setCurrentText("错误")
    row = next(r for r in range(tab.proxy.rowCount()) if tab.proxy.index(r, 1).data() == "T05.1")
    finding = tab.proxy.index(row, 0).data(Qt.UserRole)
    menu = tab.menu_for(tab.proxy.index(row, 4))
    actions = {a.text(): a for a in menu.actions()}
    assert actions[tab.ACK].isEnabled() and not actions[tab.UNACK].isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("已核实，财政批复数如此", True))
    actions[tab.ACK].trigger()
    qtbot.waitUntil(lambda: "已确认 1 条" in tab.summary.text(), timeout=WAIT)
    assert tab.summary.text().startswith("错误 2 条")
    tab.severity.setCurrentText(acks.ACKNOWLEDGED)
    assert tab.proxy.rowCount() == 1 and tab.proxy.index(0, 5).data().startswith("已确认：已核实，财政批复数如此")
    again = tab.proxy.index(0, 0).data(Qt.UserRole)
    assert (again.rule, again.cell) == (finding.rule, finding.cell)
    assert [(a.rule, a.cell) for a in workbook.read(broken).acks] == [("T05.1", str(finding.cell))]
    assert window.tables.tabText(4) == "公开05表（2 错）"

    actions = {a.text(): a for a in tab.menu_for(tab.proxy.index(0, 0)).actions()}
    actions[tab.UNACK].trigger()
    qtbot.waitUntil(lambda: tab.summary.text().startswith("错误 3 条") and "已确认" not in tab.summary.text(),
                    timeout=WAIT)
    assert workbook.read(broken).acks == []


def test_import_shows_the_label_notices(qtbot, window, tmp_path, seed001):
    """A label printed otherwise than the 表样 at the right 行次: imported, and the window says so."""
    from PySide6.QtWidgets import QMessageBox

    from exportvariants import clean, fixed_labels

    export = clean(seed001)
    g = export.grids["04"]
    r, c, _, rs = next(x for x in fixed_labels(export, g) if x[3].line == 2)
    g.set(r, c, "政府性基金拨款")
    window.import_export(export.write(tmp_path / "咸阳.xlsx"), tmp_path / "新.xlsx")
    qtbot.waitUntil(lambda: window.session is not None, timeout=WAIT)
    boxes = [w for w in window.findChildren(QMessageBox) if "导入时有 1 条提示" in w.text()]
    assert boxes, [w.text() for w in window.findChildren(QMessageBox)]
    assert "政府性基金拨款" in boxes[0].detailedText() and rs.label in boxes[0].detailedText()
