"""Entry that works as in Excel (multi-line texts, Delete, Ctrl+V of a column from Excel, Enter moves down),
links that land on the 说明数据 row, the 上年 totals checked while typing (rule S07), the frozen table headers
and colour legend, and the 批量 window's rows — driven with pytest-qt (offscreen) on the bundled sample."""

from __future__ import annotations

import msgspec
import html
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, QSettings, Qt, QUrl
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QPlainTextEdit

from conftest import SAMPLE, build_sample_book
from disclosure import workbook
from disclosure.batch import default_summary_path, workbooks_in
from disclosure.checks import run
from disclosure.checks.report import ACK_FILL, SEVERITY_FILL
from disclosure.importers.export import import_export
from disclosure.model import CellRef
from gui.entry import cells_from_clipboard, clipboard_from_cells
from gui.tabs import InputsTab
from gui.window import MainWindow

WAIT = 30_000


@pytest.fixture(scope="module")
def _sample(tmp_path_factory) -> Path:
    return build_sample_book(tmp_path_factory.mktemp("entry") / "样例.xlsx")


@pytest.fixture
def sample(_sample, tmp_path) -> Path:
    return Path(shutil.copy(_sample, tmp_path / "样例.xlsx"))


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "gui.ini"), QSettings.IniFormat))
    qtbot.addWidget(w)
    w.resize(1000, 700)
    w.show()
    return w


def _open(qtbot, window, path: Path) -> None:
    before = window.session
    window.open_path(path)
    qtbot.waitUntil(lambda: window.session is not before and window.session.path == path, timeout=WAIT)


def _row(model, key: str) -> int:
    return next(i for i, r in enumerate(model.rows) if r.key == key)


def _save(qtbot, window) -> None:
    window.inputs.save_button.click()
    qtbot.waitUntil(lambda: "已保存" in window.statusBar().currentMessage(), timeout=WAIT)


# ---------------------------------------------------------------- editing


def test_long_texts_get_a_multi_line_editor_where_enter_starts_a_new_line(qtbot, window, sample):
    _open(qtbot, window, sample)
    window.tabs.setCurrentWidget(window.inputs)
    view, model = window.inputs.views[0], window.inputs.inputs
    row = _row(model, "单位构成")
    view.edit(model.index(row, 1))
    editor = view.findChild(QPlainTextEdit)
    assert editor is not None and editor.toPlainText() == model.rows[row].text
    assert editor.height() >= 150  # opens taller than the row, as Excel's cell does
    editor.setPlainText("Unit A")
    editor.moveCursor(QTextCursor.End)
    qtbot.keyClick(editor, Qt.Key_Return)  # a new line, not the end of the edit
    qtbot.keyClicks(editor, "Unit B")
    assert view.state() == QAbstractItemView.EditingState
    qtbot.keyClick(editor, Qt.Key_Tab)  # Tab confirms
    assert model.rows[row].text == "Unit A\nUnit B" and not model.rows[row].error
    assert view.rowHeight(row) > view.rowHeight(_row(model, "人员.编制"))  # the row shows both lines
    _save(qtbot, window)
    assert workbook.read(sample).inputs.get("单位构成") == ["Unit A", "Unit B"]


def test_ctrl_enter_confirms_a_long_text(qtbot, window, sample):
    _open(qtbot, window, sample)
    view, model = window.inputs.views[0], window.inputs.inputs
    row = _row(model, "主要职责")
    view.edit(model.index(row, 1))
    editor = view.findChild(QPlainTextEdit)
    editor.setPlainText("Line 1\nLine 2")
    qtbot.keyClick(editor, Qt.Key_Return, Qt.ControlModifier)
    assert model.rows[row].text == "Line 1\nLine 2" and view.state() != QAbstractItemView.EditingState


def test_delete_clears_the_selected_values(qtbot, window, sample):
    _open(qtbot, window, sample)
    view, model = window.inputs.views[0], window.inputs.inputs
    first, second = _row(model, "人员.编制"), _row(model, "人员.行政编制")
    assert model.rows[first].text == "38" and model.rows[second].text == "7"
    view.setCurrentIndex(model.index(first, 1))
    view.selectionModel().select(model.index(second, 1), view.selectionModel().SelectionFlag.Select)
    qtbot.keyClick(view, Qt.Key_Delete)
    assert model.rows[first].text == "" and model.rows[second].text == ""
    assert window.inputs.changes() == {"人员.编制": None, "人员.行政编制": None}
    assert window.inputs.status.text().startswith("已清空 2 项")
    _save(qtbot, window)
    inputs = workbook.read(sample).inputs
    assert inputs.get("人员.编制") is None and inputs.get("人员.事业编制") == 31


def test_enter_confirms_and_moves_down(qtbot, window, sample):
    _open(qtbot, window, sample)
    view, model = window.inputs.views[0], window.inputs.inputs
    row = _row(model, "人员.编制")
    view.setCurrentIndex(model.index(row, 1))
    qtbot.keyClick(view, "4")  # typing on a selected cell replaces its value, as in Excel
    editor = view.findChild(QLineEdit)
    assert editor is not None and editor.text() == "4"
    qtbot.keyClicks(editor, "0")  # the editor has the keyboard now (offscreen, focus is not given: sent to it)
    qtbot.keyClick(editor, Qt.Key_Return)  # Qt confirms on the next turn of the event loop
    qtbot.waitUntil(lambda: model.rows[row].text == "40", timeout=WAIT)
    assert view.currentIndex().row() == row + 1 and view.state() != QAbstractItemView.EditingState


def test_excel_clipboard_text_is_read_as_cells():
    assert cells_from_clipboard("12\r\n3\r\n\r\n4\r\n") == [["12"], ["3"], [""], ["4"]]
    assert cells_from_clipboard('a\tb\r\n"x\ny"\t"say ""hi"""\r\n') == [["a", "b"], ["x\ny", 'say "hi"']]
    text = clipboard_from_cells([["x\ny"], ['a"b'], ["plain"]])
    assert cells_from_clipboard(text) == [["x\ny"], ['a"b'], ["plain"]]


def test_ctrl_v_of_a_column_copied_from_excel_fills_the_rows_down(qtbot, window, sample):
    _open(qtbot, window, sample)
    view, model = window.inputs.views[0], window.inputs.inputs
    keys = ["三公.因公出国团组", "三公.因公出国人次", "三公.购置车辆", "三公.公务用车保有量", "三公.公务接待批次"]
    start = _row(model, keys[0])
    assert [model.rows[start + i].key for i in range(5)] == keys
    view.setCurrentIndex(model.index(start, 1))
    QApplication.clipboard().setText("2\r\n15\r\n\r\n3\r\nx\r\n")  # as Excel puts a column of five cells
    qtbot.keyClick(view, Qt.Key_V, Qt.ControlModifier)
    assert [model.rows[start + i].text for i in range(5)] == ["2", "15", "", "3", "x"]
    assert model.rows[start + 4].error and not any(model.rows[start + i].error for i in range(4))
    status = window.inputs.status.text()
    assert status.startswith("已粘贴 5 项，其中 1 项有误（红色）：国内公务接待批次：") and "三公." not in status
    assert {i.row() for i in view.selectionModel().selectedIndexes()} == set(range(start, start + 5))

    # 项目 and 值 copied side by side and pasted onto 项目: the values land in 值
    people = _row(model, "人员.实有")
    view.setCurrentIndex(model.index(people, 0))
    QApplication.clipboard().setText("实有人员总数\t40\r\n实有行政人员\t8\r\n")
    qtbot.keyClick(view, Qt.Key_V, Qt.ControlModifier)
    assert (model.rows[people].text, model.rows[people + 1].text) == ("40", "8")

    # a cell Excel quoted because it holds line breaks
    names = _row(model, "单位构成")
    view.setCurrentIndex(model.index(names, 1))
    QApplication.clipboard().setText('"Unit A\nUnit B"\r\n')
    qtbot.keyClick(view, Qt.Key_V, Qt.ControlModifier)
    assert model.rows[names].text == "Unit A\nUnit B"

    # more rows than the list has left: the rest is not pasted, and the officer is told
    last = model.rowCount() - 1
    view.setCurrentIndex(model.index(last, 1))
    QApplication.clipboard().setText("1\n2\n3\n")
    qtbot.keyClick(view, Qt.Key_V, Qt.ControlModifier)
    assert model.rows[last].text == "1" and "多出的 2 行没有粘贴" in window.inputs.status.text()

    # Ctrl+C gives Excel the same text back
    view.selectionModel().clearSelection()
    view.setCurrentIndex(model.index(start, 1))
    qtbot.keyClick(view, Qt.Key_C, Qt.ControlModifier)
    assert QApplication.clipboard().text() == "2\n"


def test_the_instruction_stays_while_typing_and_messages_name_no_key(qtbot, window, sample):
    _open(qtbot, window, sample)
    window.tabs.setCurrentWidget(window.inputs)
    tab = window.inputs
    assert tab.instruction.text() == InputsTab.INSTRUCTION and "Ctrl+V" in tab.instruction.text()
    view, model = tab.views[0], tab.inputs
    row = _row(model, "人员.编制")
    view.edit(model.index(row, 1))
    editor = view.findChild(QLineEdit)
    editor.clear()
    qtbot.keyClicks(editor, "3x8")
    assert tab.instruction.isVisible() and tab.instruction.text() == InputsTab.INSTRUCTION
    assert tab.status.text().startswith("人员编制总数：应为整数") and "人员.编制" not in tab.status.text()
    assert "人员.编制" not in editor.toolTip()
    headers = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    assert headers == ["项目", "值"]  # no 键 column: labels only


def test_an_empty_reason_list_says_why(qtbot, window, tmp_path):
    fresh = tmp_path / "新.xlsx"
    report = import_export(SAMPLE)
    workbook.save_atomic(workbook.build(report.spec, report), fresh)
    _open(qtbot, window, fresh)
    window.tabs.setCurrentWidget(window.inputs)
    tab = window.inputs
    assert tab.reasons.rowCount() == 0
    assert tab.reasons_empty.isVisible() and not tab.views[1].isVisible()
    assert tab.reasons_empty.text() == InputsTab.NO_REASONS
    assert "上年决算" in tab.reasons_empty.text() and "保存到工作簿" in tab.reasons_empty.text()


def test_a_filled_reason_list_has_no_empty_note(qtbot, window, sample):
    _open(qtbot, window, sample)
    window.tabs.setCurrentWidget(window.inputs)
    assert window.inputs.reasons.rowCount() > 0
    assert not window.inputs.reasons_empty.isVisible() and window.inputs.views[1].isVisible()


# ---------------------------------------------------------------- links to 说明数据


def test_a_finding_on_a_input_cell_selects_that_row(qtbot, window, sample):
    workbook.update_inputs(sample, {"联系电话": None})
    _open(qtbot, window, sample)
    tab = window.findings
    row = next(r for r in range(tab.proxy.rowCount()) if "联系电话" in tab.proxy.index(r, 4).data())
    finding = tab.proxy.index(row, 0).data(Qt.UserRole)
    assert finding.rule == "N01" and finding.cell.sheet == "说明数据"
    tab.view.activated.emit(tab.proxy.index(row, 0))  # a double click or Enter on the row
    assert window.tabs.currentWidget() is window.inputs
    view, model = window.inputs.views[0], window.inputs.inputs
    assert model.rows[view.currentIndex().row()].key == "联系电话" and view.currentIndex().column() == 1
    assert f"C{model.rows[view.currentIndex().row()].line}" == finding.cell.coord

    window.jump_to(CellRef("说明数据", "C8"))  # as a finding "说明数据!C8" names it
    current = model.rows[view.currentIndex().row()]
    assert current.cell == "C8" and workbook.read(sample).inputs.cells[current.key] == CellRef("说明数据", "C8")
    window.jump_to(CellRef("原因说明", "C5"))
    reasons = window.inputs.views[1]
    assert window.inputs.reasons.rows[reasons.currentIndex().row()].cell == "C5"


def test_a_provenance_link_to_a_input_cell_selects_that_row(qtbot, window, sample):
    _open(qtbot, window, sample)
    uses = window.narrative.uses
    n = next(i for i, u in enumerate(uses) if "上年.收入总计" in u.fact.formula and u.fact.cells)
    window.narrative.show_fact(n)
    source = window.narrative.source.toPlainText()
    assert "上年决算 收入总计（公开01表）" in source and "上年.收入总计" not in source  # labels, not keys
    ref = next(c for c in uses[n].fact.cells if c.sheet == "说明数据")
    assert f'href="cell:{ref}"' in window.narrative.source.toHtml()
    window.narrative.source.anchorClicked.emit(QUrl(f"cell:{ref}"))
    assert window.tabs.currentWidget() is window.inputs
    model, view = window.inputs.inputs, window.inputs.views[0]
    assert model.rows[view.currentIndex().row()].key == "上年.收入总计"


def _anchor_point(browser, href: str) -> QPoint:
    """Where the link `href` is drawn in the browser's viewport (scrolled into view first)."""
    block = browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(browser.document())
                cursor.setPosition(fragment.position() + 1)
                browser.setTextCursor(cursor)
                browser.ensureCursorVisible()
                rect = browser.cursorRect(cursor)
                return rect.center()
            it += 1
        block = block.next()
    raise AssertionError(f"no link {href}")


def test_a_to_fill_mark_in_the_text_is_a_link_to_the_item(qtbot, window, sample):
    workbook.update_inputs(sample, {"联系电话": None})
    _open(qtbot, window, sample)
    missing = window.narrative.missing
    n = next(i for i, m in enumerate(missing) if m.key == "联系电话")
    browser = window.narrative.text
    assert f'href="todo:{n}"' in browser.toHtml() or "todo:" in browser.toHtml()
    window.tabs.setCurrentWidget(window.narrative)
    with qtbot.waitSignal(browser.anchorClicked, timeout=WAIT):
        qtbot.mouseClick(browser.viewport(), Qt.LeftButton, pos=_anchor_point(browser, f"todo:{n}"))
    assert window.tabs.currentWidget() is window.inputs
    model, view = window.inputs.inputs, window.inputs.views[0]
    assert model.rows[view.currentIndex().row()].key == "联系电话"
    assert "【待填写：联系电话】" in window.narrative.source.toPlainText()


# ---------------------------------------------------------------- 上年 totals (rule S07)


def test_prior_income_and_spending_that_differ_are_flagged_while_typing(qtbot, window, sample):
    _open(qtbot, window, sample)
    window.tabs.setCurrentWidget(window.inputs)
    tab, view, model = window.inputs, window.inputs.views[0], window.inputs.inputs
    income, spending = _row(model, "上年.收入总计"), _row(model, "上年.支出总计")
    view.edit(model.index(spending, 1))
    editor = view.findChild(QLineEdit)
    editor.clear()
    qtbot.keyClicks(editor, "3400")  # not yet confirmed: the editor already says so
    assert "FFEB9C" in editor.styleSheet()
    assert "上年决算收入总计 3,427.44 万元与支出总计 3,400.00 万元不等（相差 27.44 万元）" in tab.status.text()
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: model.rows[spending].text == "3400", timeout=WAIT)
    for row in (income, spending):
        assert model.rows[row].note and not model.rows[row].error
        assert model.index(row, 1).data(Qt.BackgroundRole).color().name() == "#" + SEVERITY_FILL["警告"].lower()
        assert "不等" in model.index(row, 1).data(Qt.ToolTipRole)
    _save(qtbot, window)  # a 警告, not an error: it saves, and the check lists it with the cell
    finding = next(f for f in window.session.findings if f.rule == "S07")
    assert finding.severity == "警告" and str(finding.cell) == f"说明数据!{model.rows[spending].cell}"
    assert (finding.expected, finding.actual) == (Decimal("3427.44"), Decimal("3400"))
    assert window.inputs.inputs.rows[spending].note  # still shown after the reload
    model = window.inputs.inputs
    model.setData(model.index(spending, 1), "3,427.44")
    assert not model.rows[income].note and not model.rows[spending].note


def test_rule_s07_on_reports(sample):
    report = workbook.read(sample)
    assert not [f for f in run(report) if f.rule == "S07"]  # the sample's two 上年 totals agree
    workbook.update_inputs(sample, {"上年.支出总计": "3500"})
    report = workbook.read(sample)
    found = [f for f in run(report) if f.rule == "S07"]
    assert len(found) == 1 and found[0].cells == [report.inputs.cell("上年.收入总计"), report.inputs.cell("上年.支出总计")]
    assert "相差 72.56 万元" in found[0].message
    spending = report.table("01").row("支出总计", "支出")  # this year's 01 out of balance: T01.5 says so, S07 not
    spending.values["决算数"] = msgspec.structs.replace(spending.values["决算数"], amount=Decimal("1"))
    assert not [f for f in run(report) if f.rule == "S07"]
    workbook.update_inputs(sample, {"上年.支出总计": None})  # one of the two blank: nothing to compare
    assert not [f for f in run(workbook.read(sample)) if f.rule == "S07"]


# ---------------------------------------------------------------- 表格: frozen headers, legend


def test_the_table_headers_stay_on_screen_while_the_body_scrolls(qtbot, window, sample):
    window.resize(600, 500)  # small enough for 05 to scroll both ways
    _open(qtbot, window, sample)
    window.tables.setCurrentIndex(4)
    view = window.tables.current_view()
    model = view.model()
    assert view.frozen == 6 and model.index(4, 0).data() == "科目代码" and model.index(6, 0).data() == "合计"
    head = view.head
    assert all(head.isRowHidden(r) != (r < 6) for r in range(model.rowCount()))
    assert all(view.isRowHidden(r) == (r < 6) for r in range(model.rowCount()))
    view.scrollToBottom()
    qtbot.wait(50)
    assert view.verticalScrollBar().value() > 0
    assert head.isVisible() and head.geometry().bottom() < view.viewport().geometry().top()
    assert head.rowViewportPosition(4) >= 0 and head.visualRect(model.index(4, 0)).isValid()
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    assert view.horizontalScrollBar().maximum() > 0
    assert head.horizontalScrollBar().value() == view.horizontalScrollBar().value()
    head.horizontalHeader().resizeSection(1, 300)  # widening a column in the frozen header widens the body's
    assert view.columnWidth(1) == 300


def test_the_colour_legend_matches_the_cell_colours(qtbot, window, sample):
    _open(qtbot, window, sample)
    legend = window.tables.cornerWidget()
    text = legend.text()
    for colour, word in [(SEVERITY_FILL["错误"], "错误"), (SEVERITY_FILL["警告"], "警告"), (SEVERITY_FILL["提示"], "提示"),
                         (ACK_FILL, "已确认"), ("9BC2E6", "情况说明中所点数字的来源")]:
        assert f"background:#{colour}" in text and word in legend.toolTip()  # the words as the width allows
    warned = next(f for f in window.session.findings if f.severity == "警告" and f.cell and not f.ack
                  and f.cell.sheet in window.tables.models)
    model = window.tables.models[warned.cell.sheet]
    from gui.tabs import _position

    r, c = _position(warned.cell.coord)
    colour = model.index(r, c).data(Qt.BackgroundRole).color().name()
    if not any(f.severity == "错误" for f in window.session.by_cell[(warned.cell.sheet, warned.cell.coord)]):
        assert colour == "#" + SEVERITY_FILL["警告"].lower()
    assert f"background:#{colour[1:].upper()}" in text


def test_a_narrow_window_keeps_every_table_tab_beside_a_shorter_legend(qtbot, window, sample):
    """The legend gives up words before the tabs give up room: in full when there is room, in a word each or as
    swatches alone when not — the meanings always in its tooltip."""
    _open(qtbot, window, sample)
    tables, legend = window.tables, window.tables.cornerWidget()
    window.resize(1400, 700)
    qtbot.waitUntil(lambda: tables.width() > 1300)
    assert "情况说明中所点数字的来源" in legend.text()
    window.resize(900, 700)
    qtbot.waitUntil(lambda: tables.width() < 910)
    assert "情况说明中所点数字的来源" not in legend.text()
    assert tables.tabBar().sizeHint().width() + legend.sizeHint().width() <= tables.width()
    for colour in (SEVERITY_FILL["错误"], SEVERITY_FILL["警告"], SEVERITY_FILL["提示"], ACK_FILL, "9BC2E6"):
        assert f"background:#{colour}" in legend.text()
    assert all(word in legend.toolTip() for word in ("错误", "警告", "提示", "已确认", "情况说明中所点数字的来源"))
    assert "background:#FFC7CE" in legend.toolTip()  # each meaning beside its colour
    window.resize(1400, 700)
    qtbot.waitUntil(lambda: "情况说明中所点数字的来源" in legend.text())


# ---------------------------------------------------------------- 批量


@pytest.fixture
def folder(_sample, tmp_path) -> Path:
    folder = tmp_path / "报送"
    folder.mkdir()
    shutil.copy(_sample, folder / "甲单位.xlsx")
    (folder / "损坏.xlsx").write_bytes(b"PK\x03\x04 broken")
    (folder / "~$甲单位.xlsx").write_bytes(b"Excel lock file")
    return folder


def _run(qtbot, batch, n: int) -> None:
    batch.start_button.click()
    qtbot.waitUntil(lambda: batch.table.rowCount() == n and batch.start_button.isEnabled(), timeout=WAIT)


def test_batch_rows_a_corrupted_file_and_the_long_detail(qtbot, window, folder):
    window.open_batch()
    batch = window.batch
    batch.set_folder(folder)
    _run(qtbot, batch, 2)
    by_file = {batch.table.item(r, 0).text(): r for r in range(2)}
    r = by_file["损坏.xlsx"]
    red = "#" + SEVERITY_FILL["错误"].lower()
    assert [batch.table.item(r, c).text() for c in (2, 3, 4)] == ["读不了", "读不了", "读取失败"]
    assert all(batch.table.item(r, c).background().color().name() == red for c in (2, 3, 4))
    detail = batch.rows[r].detail
    assert detail and "损坏.xlsx" in detail and html.unescape(batch.table.item(r, 5).toolTip()) == f"<p>{detail}</p>"
    ok = by_file["甲单位.xlsx"]
    assert batch.table.item(ok, 2).text() == "0" and batch.table.item(ok, 4).background().style() == Qt.NoBrush


def test_batch_double_click_opens_the_workbook_in_the_main_window(qtbot, window, folder):
    window.open_batch()
    batch = window.batch
    batch.set_folder(folder)
    _run(qtbot, batch, 2)
    r = next(r for r in range(2) if batch.table.item(r, 0).text() == "甲单位.xlsx")
    rect = batch.table.visualItemRect(batch.table.item(r, 0))
    qtbot.mouseClick(batch.table.viewport(), Qt.LeftButton, pos=rect.center())  # a double click: press, then
    qtbot.mouseDClick(batch.table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.session is not None and window.session.path == folder / "甲单位.xlsx",
                    timeout=WAIT)
    assert batch.table.state() != QAbstractItemView.EditingState and batch.table.item(r, 0).text() == "甲单位.xlsx"


def test_batch_summary_goes_beside_the_folder_and_is_never_counted(qtbot, window, folder, tmp_path):
    window.open_batch()
    batch = window.batch
    batch.set_folder(folder)
    assert batch.folder_label.text().endswith("（2 个工作簿）")
    _run(qtbot, batch, 2)
    assert batch.folder_label.text().endswith("（2 个工作簿）") and batch.summary.text().startswith("共 2 个工作簿")
    offered = batch.summary_path()
    assert offered == default_summary_path(folder) and offered.parent == folder.resolve().parent
    saved = batch.save(offered)
    ws = load_workbook(saved).active
    failed = next(r for r in range(2, 4) if ws.cell(r, 1).value == "损坏.xlsx")
    assert [ws.cell(failed, c).value for c in (4, 5, 6, 7)] == [None, None, None, "读取失败"]  # not read: no "0"
    # saved into the folder anyway, under its own name and renamed: still not a submission
    batch.save(folder / "批量校验汇总.xlsx")
    shutil.copy(folder / "批量校验汇总.xlsx", folder / "汇总（给局长）.xlsx")
    assert [p.name for p in workbooks_in(folder)] == ["损坏.xlsx", "甲单位.xlsx"]
    shutil.copy(folder / "甲单位.xlsx", folder / "乙单位.xlsx")  # a late submission after the folder was chosen
    _run(qtbot, batch, 3)
    assert batch.folder_label.text().endswith("（3 个工作簿）") and batch.summary.text().startswith("共 3 个工作簿")
    assert sorted(batch.table.item(r, 0).text() for r in range(3)) == ["乙单位.xlsx", "损坏.xlsx", "甲单位.xlsx"]
