"""Opening a workbook in the desktop window (pytest-qt, offscreen): the 表格 tab comes first, painted with the
file's numbers in their cells, while the checks and the 情况说明 are still being made off the UI thread; then
校验, the cell colours, 说明数据/原因 and 情况说明 fill in, and the buttons that act on a checked workbook, held
back meanwhile, work again. The file is read once per open. No timings here: bench/gui_open.py and
bench/gui_slots.py measure them."""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from disclosure import workbook
from disclosure.acks import checked
from gui import session as session_module
from gui.frozen import FrozenRowsView
from gui.session import Session
from gui.tabs import _position
from test_gui import _clean, broken, clean, window  # noqa: F401  (fixtures: the sample book, with an error, the window)

WAIT = 30_000


@pytest.fixture
def held(monkeypatch):
    """Session.checked waits until the test lets it go: the window is seen between reading and checking."""
    gate = threading.Event()
    original = Session.checked

    def checked_later(self):
        assert gate.wait(WAIT / 1000), "the test never let the check go on"
        return original(self)

    monkeypatch.setattr(Session, "checked", checked_later)
    yield gate
    gate.set()  # never leave a worker waiting


class Paints(QObject):
    """Which table views had their cells painted."""

    def __init__(self):
        super().__init__()
        self.views: list = []

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Paint and isinstance(obj.parent(), FrozenRowsView):
            self.views.append(obj.parent())
        return False


def _buttons(window) -> dict[str, bool]:
    return {"重新校验按钮": window.findings.recheck_button.isEnabled(), "保存到工作簿": window.inputs.save_button.isEnabled(),
            "导出": window.exporter.start_button.isEnabled(), "F5": window.recheck_action.isEnabled(),
            "Ctrl+E": window.export_action.isEnabled(), "Ctrl+S": window.save_action.isEnabled(),
            "另存为": window.save_as_action.isEnabled()}


def _amounts(path: Path, sheet: str) -> list[tuple[str, Decimal]]:
    """The amount cells of a table as the core places them, with their values read by openpyxl."""
    ws = load_workbook(path, data_only=True)[sheet]
    cells = {v.cell.coord for t in workbook.read(path).tables.values() for r in t.rows for v in r.values.values()
             if v.cell and v.cell.sheet == sheet}
    return [(c, Decimal(str(ws[c].value))) for c in sorted(cells) if isinstance(ws[c].value, (int, float))]


def test_the_tables_come_first_then_the_checks_fill_in(qtbot, window, broken, held):
    paints = Paints()
    QApplication.instance().installEventFilter(paints)
    try:
        window.open_path(broken)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.tabs and window.busy_with.startswith("校验"),
                        timeout=WAIT)
        # the tables, with the file's numbers, painted while the check has not even started
        assert window.tabs.currentWidget() is window.tables and window.tables.count() == 9
        first = window.tables.current_view()
        assert first is not None and first in paints.views
    finally:
        QApplication.instance().removeEventFilter(paints)
    model = window.tables.models["公开05表"]
    r, c = _position("C7")
    assert model.index(r, c).data() == "9,999.99" and model.index(r, c).data(Qt.BackgroundRole) is None
    checked_cells = 0
    for sheet, sheet_model in window.tables.models.items():  # every sheet, laid out on screen or not yet
        for where, value in _amounts(broken, sheet):
            assert sheet_model.index(*_position(where)).data() == f"{value:,.2f}", f"{sheet}!{where}"
            checked_cells += 1
    assert checked_cells > 50
    assert [window.tables.tabText(i) for i in range(9)] == [f"公开0{i}表" for i in range(1, 10)]  # no counts yet
    # nothing that needs the checked workbook can be pressed meanwhile, and 校验 does not say "no findings"
    assert not any(_buttons(window).values()), _buttons(window)
    assert window.session is None
    assert window.findings.summary.text() == "正在校验 有错.xlsx…" and window.findings.proxy.rowCount() == 0
    assert window.narrative.text.toPlainText() == "正在生成情况说明…"
    assert window.inputs.inputs.rows == [] and window.inputs.reasons.rows == []

    held.set()
    qtbot.waitUntil(lambda: window.session is not None and not window.busy, timeout=WAIT)
    expected = checked(workbook.read(broken))
    shown = [window.findings.model.findings[i] for i in range(len(window.findings.model.findings))]
    assert [(f.rule, str(f.cell)) for f in shown] == [(f.rule, str(f.cell)) for f in expected]
    errors = [f for f in expected if f.severity == "错误"]
    assert window.findings.summary.text().startswith(f"错误 {len(errors)} 条")
    assert any(f.cell is not None and str(f.cell) == "公开05表!C7" for f in errors)
    assert model.index(r, c).data(Qt.BackgroundRole).color().name() == "#ffc7ce"
    n05 = sum(1 for f in errors if "05" in f.table.split("/"))
    assert window.tables.tabText(4) == f"公开05表（{n05} 错）"
    assert all(_buttons(window).values()), _buttons(window)
    assert window.narrative.uses and window.narrative.uses[0].text in window.narrative.text.toPlainText()
    inputs = workbook.read(broken).inputs
    row = next(r for r in window.inputs.inputs.rows if r.key == "人员.编制")
    assert row.text == str(inputs.get("人员.编制"))
    assert window.statusBar().currentMessage() == f"已打开 有错.xlsx：{window.findings.summary.text()}"


def test_f5_holds_the_buttons_until_the_new_check_is_in(qtbot, window, clean, held):
    held.set()
    window.open_path(clean)
    qtbot.waitUntil(lambda: window.session is not None and not window.busy, timeout=WAIT)
    held.clear()
    window.recheck()
    qtbot.waitUntil(lambda: window.busy_with.startswith("校验"), timeout=WAIT)
    assert not any(_buttons(window).values()), _buttons(window)
    window.exporter.start_button.click()  # disabled: nothing happens, nothing is queued
    assert window.busy_with.startswith("校验")
    held.set()
    qtbot.waitUntil(lambda: window.session is not None and not window.busy, timeout=WAIT)
    assert all(_buttons(window).values()), _buttons(window)
    assert not hasattr(window, "last_export")


def test_a_sheet_never_shown_gets_its_view_when_a_finding_jumps_there(qtbot, window, broken):
    window.open_path(broken)
    qtbot.waitUntil(lambda: window.session is not None and not window.busy, timeout=WAIT)
    assert set(window.tables.views) == {"公开01表"}  # only the sheet on screen was laid out
    finding = next(f for f in window.session.findings if f.cell is not None and f.cell.sheet == "公开05表")
    window.jump_to(finding.cell)
    view = window.tables.current_view()
    assert window.tables.currentIndex() == 4 and view is window.tables.views["公开05表"]
    assert (view.currentIndex().row(), view.currentIndex().column()) == _position(finding.cell.coord)
    assert view.frozen == 6 and view.isRowHidden(0) and not view.head.isRowHidden(0)  # title and headers frozen
    assert view.model().index(*_position("C7")).data() == "9,999.99"


def test_a_check_that_fails_is_a_message_and_leaves_no_half_open_workbook(qtbot, window, clean, monkeypatch):
    def broken_check(self):
        raise RuntimeError("规则出错")

    monkeypatch.setattr(Session, "checked", broken_check)
    window.open_path(clean)
    qtbot.waitUntil(lambda: hasattr(window, "last_error"), timeout=WAIT)
    assert window.last_error == "校验“样例.xlsx”未完成：内部错误（RuntimeError）：规则出错"
    assert window.stack.currentWidget() is window.start and window.session is None
    assert not any(_buttons(window).values()), _buttons(window)
    boxes = [b for b in window.findChildren(QMessageBox) if "规则出错" in b.text()]
    assert boxes and boxes[0].isVisible()


def test_an_open_reads_the_file_once(qtbot, window, clean, monkeypatch):
    reads = []
    real = session_module.read_sheets
    monkeypatch.setattr(session_module, "read_sheets", lambda path: reads.append(path) or real(path))
    window.open_path(clean)
    qtbot.waitUntil(lambda: window.session is not None and not window.busy, timeout=WAIT)
    assert reads == [clean]


def test_checking_a_read_session_leaves_it_as_it_was(clean):
    read = Session.read(clean)
    assert not read.ready and read.findings is None and read.narrative is None and read.by_cell == {}
    done = read.checked()
    assert done is not read and done.ready and read.findings is None
    assert done.report is read.report and done.sheets is read.sheets  # not read again
    assert [(f.rule, str(f.cell)) for f in done.findings] == [(f.rule, str(f.cell)) for f in checked(read.report)]
    assert done.checked() is done


def test_the_table_filter_of_the_findings_still_says_what_it_shows_after_f5(qtbot, window, broken):
    window.open_path(broken)
    qtbot.waitUntil(lambda: window.session is not None and not window.busy, timeout=WAIT)
    tab = window.findings
    tab.table.setCurrentIndex(tab.table.findData("05"))
    only05 = tab.proxy.rowCount()
    assert 0 < only05 < len(tab.model.findings)
    first = window.session
    window.recheck()
    qtbot.waitUntil(lambda: window.session is not None and window.session is not first and not window.busy,
                    timeout=WAIT)
    assert tab.table.currentText() == "公开05表" and tab.proxy.table == "05" and tab.proxy.rowCount() == only05
    assert all("05" in tab.proxy.index(r, 2).data().split("/") for r in range(only05))
