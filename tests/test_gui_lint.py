"""An existing 情况说明 checked against the open workbook in the desktop window (pytest-qt, offscreen), as
`disclosure lint` does: from the 情况说明 tab or 文件 → 核对情况说明…, off the UI thread, every finding with its
place and sentence, the sentence marked in 原文, a double click going to the finding's cell; a file it cannot
read or a text it does not understand is a Chinese message, never a page of "0 条"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from conftest import build_sample_book
from disclosure import workbook
from disclosure.narrative.render import render
from test_gui import _open, window  # noqa: F401  (fixture: the window)

WAIT = 60_000
SLIP = ("基本支出485.52万元，占19.86%", "基本支出485.52万元，占19.68%")


@pytest.fixture(scope="module")
def _book(tmp_path_factory) -> Path:
    return build_sample_book(tmp_path_factory.mktemp("lint") / "样例.xlsx")


@pytest.fixture
def book(_book, tmp_path) -> Path:
    return Path(shutil.copy(_book, tmp_path / "样例.xlsx"))


@pytest.fixture
def slipped(_book, tmp_path) -> Path:
    """The sample's own text with one share mistyped (19.86 % → 19.68 %)."""
    text = render(workbook.read(_book)).text()
    assert SLIP[0] in text
    path = tmp_path / "去年的说明.txt"
    path.write_text(text.replace(*SLIP), encoding="utf-8")
    return path


def test_a_text_is_checked_and_its_finding_leads_to_the_cell(qtbot, window, book, slipped):
    assert not window.lint_action.isEnabled() and not window.narrative.lint_button.isEnabled()  # no workbook yet
    _open(qtbot, window, book)
    qtbot.waitUntil(lambda: window.lint_action.isEnabled(), timeout=WAIT)
    assert window.narrative.lint_button.isEnabled()
    window.lint_text(slipped)
    page = window.lint_page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=WAIT)
    summary = page.summary.text()
    assert "去年的说明.txt" in summary and "对照工作簿“样例.xlsx”核对：错误" in summary
    rows = [[page.findings.item(r, c).text() for c in range(5)] for r in range(page.findings.rowCount())]
    slip = next(r for r in rows if r[2] == "L01")
    assert slip[1] == "错误" and "应为 19.86%" in slip[3] and SLIP[1] in slip[4]
    assert slip[0] == "第二部分 三、支出决算情况说明"
    assert page.tabs.tabText(0) == f"问题（{len(rows)}）"
    errors = sum(1 for r in rows if r[1] == "错误")
    assert f"错误 {errors} 条" in summary and f"错误 {errors} 条" in window.statusBar().currentMessage()
    # 原文: the line of the slip marked, the finding written under it
    assert f"错误 L01：" in page.text.toPlainText() and SLIP[1] in page.text.toPlainText()
    # Enter on the finding: the workbook's 表格 tab at the cell the share is computed from
    finding = page.lint_findings[rows.index(slip)]
    assert finding.cells
    page.findings.setCurrentCell(rows.index(slip), 0)
    page.findings.setFocus()
    qtbot.keyClick(page.findings, Qt.Key_Return)
    assert window.stack.currentWidget() is window.tabs and window.tabs.currentWidget() is window.tables
    assert window.statusBar().currentMessage() == f"定位到 {finding.cells[0]}"
    # the page's way back, and the file untouched
    window.stack.setCurrentWidget(page)
    page.back_button.click()
    assert window.stack.currentWidget() is window.tabs
    assert SLIP[1] in slipped.read_text(encoding="utf-8")


def test_the_check_says_when_the_edits_are_not_saved_yet(qtbot, window, book, slipped):
    _open(qtbot, window, book)
    qtbot.waitUntil(lambda: window.lint_action.isEnabled(), timeout=WAIT)
    model = window.inputs.reasons
    row = next(i for i, r in enumerate(model.rows) if r.key == "原因.收支总计")
    model.setData(model.index(row, 1), "尚未保存的原因")
    window.lint_text(slipped)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lint_page, timeout=WAIT)
    assert "有未保存的修改：以上按工作簿中已保存的内容核对" in window.lint_page.summary.text()


def test_the_button_and_the_menu_ask_for_the_file(qtbot, window, book, slipped, monkeypatch):
    _open(qtbot, window, book)
    qtbot.waitUntil(lambda: window.lint_action.isEnabled(), timeout=WAIT)
    asked = []

    def chosen(parent, caption, folder, filters):
        asked.append((caption, folder, filters))
        return str(slipped), ""

    monkeypatch.setattr("gui.window.QFileDialog.getOpenFileName", chosen)
    window.narrative.lint_button.click()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lint_page, timeout=WAIT)
    assert asked == [("选择要核对的情况说明", str(book.parent), "情况说明 (*.docx *.txt *.md);;所有文件 (*)")]
    window.lint_page.back_button.click()
    window.lint_action.trigger()
    qtbot.waitUntil(lambda: len(asked) == 2 and window.stack.currentWidget() is window.lint_page, timeout=WAIT)
    window.lint_page.again_button.click()  # 核对另一份…
    qtbot.waitUntil(lambda: len(asked) == 3 and not window.busy, timeout=WAIT)


def test_a_file_it_cannot_read_or_a_text_it_does_not_understand_is_a_message(qtbot, window, book, tmp_path):
    _open(qtbot, window, book)
    qtbot.waitUntil(lambda: window.lint_action.isEnabled(), timeout=WAIT)
    pdf = tmp_path / "公开.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    window.lint_text(pdf)
    qtbot.waitUntil(lambda: "核对 公开.pdf未完成" in getattr(window, "last_error", ""), timeout=WAIT)
    assert "不支持的文件类型“.pdf”" in window.last_error and window.stack.currentWidget() is not window.lint_page
    notes = tmp_path / "随手记.txt"
    notes.write_text("今年的工作很忙。\n收入比去年少一些。\n", encoding="utf-8")
    window.lint_text(notes)
    qtbot.waitUntil(lambda: "核对 随手记.txt未完成" in getattr(window, "last_error", ""), timeout=WAIT)
    assert "小节标题" in window.last_error and window.stack.currentWidget() is not window.lint_page
