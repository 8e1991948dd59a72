"""The 助手 panel, offscreen: its buttons run the macros on the workbook it is attached to."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook

from PySide6.QtWidgets import QApplication, QMessageBox

from addin.book import FileBook
from conftest import build_sample_book
from gui.panel import BUTTONS, Panel


@pytest.fixture(scope="module")
def app():
    return QApplication.instance() or QApplication([])


@pytest.fixture
def shown(monkeypatch):
    """Message boxes the panel shows, instead of blocking the test."""
    boxes = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: boxes.append(("info", text)))
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: boxes.append(("critical", text)))
    return boxes


def test_buttons_run_the_macros_on_the_attached_workbook(app, shown, tmp_path):
    book = build_sample_book(tmp_path / "样例.xlsx")
    panel = Panel(lambda: FileBook(book), book.name)
    assert [b.text() for b in panel.buttons.values()] == [label for label, _ in BUTTONS]
    panel.buttons["check"].click()
    assert panel.last.ok and shown[-1][0] == "info" and shown[-1][1].startswith("子洲县医疗保障局 2024 年度部门决算 校验结果：错误 0 条")
    assert "校验结果" in load_workbook(book).sheetnames
    panel.buttons["clear"].click()
    assert panel.last.ok and "已清除" in shown[-1][1]
    assert all(b.isEnabled() for b in panel.buttons.values())
    assert panel.status.text().startswith("已清除")
    path = tmp_path / "shot.png"
    assert panel.grab().save(str(path)) and path.stat().st_size > 1000


def test_a_workbook_that_cannot_be_reached_is_one_message(app, shown, tmp_path):
    gone = tmp_path / "没了.xlsm"
    panel = Panel(lambda: FileBook(gone), gone.name)
    assert panel.run("check") is None
    assert shown == [("critical", "连接不到工作簿：文件“没了.xlsm”：找不到这个工作簿")]
    assert all(b.isEnabled() for b in panel.buttons.values())


def test_a_failing_macro_shows_the_chinese_error(app, shown, tmp_path):
    book = tmp_path / "坏.xlsx"
    shutil.copy(build_sample_book(tmp_path / "样例.xlsx"), book)
    wb = load_workbook(book)
    wb.remove(wb["封面"])
    wb.save(book)
    panel = Panel(lambda: FileBook(book), book.name)
    panel.buttons["narrative"].click()
    assert not panel.last.ok and shown[-1][0] == "critical" and shown[-1][1].startswith("生成情况说明未完成：")


def test_the_ack_button_acknowledges_the_selected_warning(app, shown, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from disclosure import acks, workbook

    book = build_sample_book(tmp_path / "样例.xlsx")
    tail = next(f for f in acks.checked(workbook.read(book)) if f.severity == "警告")
    wb = load_workbook(book)
    wb.active = wb[tail.cell.sheet]
    wb.active.sheet_view.selection[0].activeCell = wb.active.sheet_view.selection[0].sqref = tail.cell.coord
    wb.save(book)
    monkeypatch.setattr(QInputDialog, "getText", lambda parent, title, prompt: ("尾差，按财政口径", True))
    panel = Panel(lambda: FileBook(book), book.name)
    assert panel.buttons["ack"].text() == "确认选中问题"
    panel.buttons["ack"].click()
    assert panel.last.ok and shown[-1][0] == "info" and shown[-1][1].startswith(f"已确认 {tail.cell} 的 ")
    assert tail.rule in shown[-1][1].split("：")[0]
    again = next(f for f in acks.checked(workbook.read(book)) if (f.rule, f.cell) == (tail.rule, tail.cell))
    assert again.ack.reason == "尾差，按财政口径" and not again.ack.lapsed
