"""The desktop window keeps the officer's work and speaks to a window user (pytest-qt, offscreen): unsaved
edits are asked about on close / open / F5 / export, marked in the title, saved with Ctrl+S, undone with
Ctrl+Z; a save that cannot happen says why and offers 另存为; Qt's own dialogs speak Chinese; no internal
key or 说明数据 cell address is shown; 打开文件夹, the progress bar, the window size, the menus and 帮助."""

from __future__ import annotations

import errno
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import QSettings, QSize, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QApplication, QComboBox, QFileDialog, QLabel,
                               QLineEdit, QMessageBox, QTabWidget, QTextEdit)

from conftest import SAMPLE
from disclosure import workbook
from disclosure.files import backup_path
from gui import translations
from gui.window import MainWindow
from test_gui import _clean, broken, clean  # noqa: F401  (fixtures: the sample book, and with an error)

WAIT = 30_000
REASON_KEY, REASON = "原因.收支总计", "人员减少，项目经费压减"


@pytest.fixture
def other(_clean, tmp_path) -> Path:
    return Path(shutil.copy(_clean, tmp_path / "另一个.xlsx"))


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "gui.ini"), QSettings.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    w = MainWindow(settings)
    qtbot.addWidget(w)
    w.show()
    return w


def _shown(window, path: Path) -> bool:
    """That workbook is open and checked (while it is being checked, window.session is None)."""
    return window.session is not None and window.session.path == path and not window.busy


def _open(qtbot, window, path: Path) -> None:
    window.open_path(path)
    qtbot.waitUntil(lambda: _shown(window, path), timeout=WAIT)


def _row(model, key: str) -> int:
    return next(i for i, r in enumerate(model.rows) if r.key == key)


def _type_reason(window, text: str = REASON) -> None:
    """What the editor commits when the officer types a reason (QtTest cannot type Chinese)."""
    model = window.inputs.reasons
    model.setData(model.index(_row(model, REASON_KEY), 1), text)


def _click(box: QMessageBox, text: str) -> None:
    assert box is not None and box.isVisible(), "no box is shown"
    buttons = {b.text(): b for b in box.buttons()}
    assert text in buttons, list(buttons)
    buttons[text].click()


def _start_export(window, folder: Path) -> None:
    window.exporter.pdf.setChecked(False)
    window.exporter.folder.setText(str(folder))
    window.exporter.start_button.click()


def _saved_reason(path: Path):
    return workbook.read(path).inputs.get(REASON_KEY)


# ---------------------------------------------------------------- unsaved edits

def test_an_edit_marks_the_title_and_ctrl_s_saves_it(qtbot, window, clean):
    _open(qtbot, window, clean)
    assert not window.isWindowModified() and "*" not in window.windowHandle().title()
    _type_reason(window)
    assert window.isWindowModified()
    assert window.windowHandle().title().startswith("子洲县医疗保障局 2024 年度部门决算 — 样例.xlsx*")  # what the title bar shows
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key_S, Qt.ControlModifier)
    qtbot.waitUntil(lambda: "已保存 1 项" in window.statusBar().currentMessage(), timeout=WAIT)
    assert _saved_reason(clean) == REASON and backup_path(clean).exists()
    assert not window.isWindowModified() and "*" not in window.windowHandle().title()


def test_undo_and_redo_a_typed_value(qtbot, window, clean):
    _open(qtbot, window, clean)
    model = window.inputs.reasons
    row = _row(model, REASON_KEY)
    before = model.rows[row].text
    _type_reason(window, "第一次")
    qtbot.wait(10)  # one turn of the event loop: one step of the history
    _type_reason(window, "第二次")
    window.undo()
    assert model.rows[row].text == "第一次" and window.isWindowModified()
    window.undo()
    assert model.rows[row].text == before and not window.isWindowModified()
    assert window.statusBar().currentMessage().startswith("已撤销：")
    window.redo()
    assert model.rows[row].text == "第一次"
    keys = {a.text(): a.shortcut() for a in window.actions()}
    assert keys["撤销"].toString() == "Ctrl+Z" and not keys["重做"].isEmpty()


@pytest.mark.parametrize("choice", ["保存", "不保存", "取消"])
def test_closing_with_unsaved_edits_asks(qtbot, window, clean, choice):
    _open(qtbot, window, clean)
    _type_reason(window)
    window.close()
    assert window.isVisible()  # not before the officer answered
    box = window.unsaved_box
    label = window.inputs.reasons.rows[_row(window.inputs.reasons, REASON_KEY)].label
    assert "1 项修改还没有保存" in box.text() and box.informativeText() == f"已修改：\n{label}"
    _click(box, choice)
    if choice == "保存":
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
        assert _saved_reason(clean) == REASON
    elif choice == "不保存":
        assert not window.isVisible() and _saved_reason(clean) != REASON
    else:
        assert window.isVisible() and window.isWindowModified()
        assert window.inputs.reasons.changes() == {REASON_KEY: REASON}  # still on screen


@pytest.mark.parametrize("choice", ["保存", "不保存", "取消"])
def test_opening_another_workbook_with_unsaved_edits_asks(qtbot, window, clean, other, choice):
    _open(qtbot, window, clean)
    _type_reason(window)
    window.open_path(other)
    _click(window.unsaved_box, choice)
    if choice == "取消":
        qtbot.wait(100)
        assert window.session.path == clean and window.inputs.reasons.changes() == {REASON_KEY: REASON}
        return
    qtbot.waitUntil(lambda: _shown(window, other), timeout=WAIT)
    assert (_saved_reason(clean) == REASON) == (choice == "保存")
    assert not window.isWindowModified()


@pytest.mark.parametrize("choice", ["保存", "不保存", "取消"])
def test_f5_with_unsaved_edits_asks(qtbot, window, clean, choice):
    _open(qtbot, window, clean)
    first = window.session
    _type_reason(window)
    window.recheck()
    assert "重新校验（会重新读取工作簿）前要保存吗？" in window.unsaved_box.text()
    _click(window.unsaved_box, choice)
    if choice == "取消":
        assert window.session is first and window.isWindowModified()
        return
    qtbot.waitUntil(lambda: window.session is not first and not window.busy, timeout=WAIT)
    shown = window.inputs.reasons.rows[_row(window.inputs.reasons, REASON_KEY)].text
    assert (shown == REASON) == (choice == "保存") and (_saved_reason(clean) == REASON) == (choice == "保存")


def test_export_of_unsaved_edits_saves_first_and_the_word_file_holds_the_reason(qtbot, window, clean, tmp_path):
    _open(qtbot, window, clean)
    _type_reason(window)
    _start_export(window, tmp_path / "包")
    box = window.unsaved_box
    assert "这些修改不会出现在公开包中" in box.text()
    _click(box, "保存并导出")
    qtbot.waitUntil(lambda: getattr(window, "last_export", None) is not None, timeout=WAIT)
    assert _saved_reason(clean) == REASON
    docx = next((tmp_path / "包").glob("*.docx"))
    assert any(REASON in p.text for p in Document(str(docx)).paragraphs)
    # what the export says: each note a sentence of its own (new-user test: “…】）。；封面日期…”)
    stage = window.exporter.stage.text()
    assert stage.startswith(f"已导出 {len(window.last_export.files)} 个文件到 ") and stage.endswith("。")
    assert "。；" not in stage and "。。" not in stage


def test_a_save_the_folder_refuses_says_why_and_offers_save_as(qtbot, window, clean, tmp_path, monkeypatch):
    _open(qtbot, window, clean)
    _type_reason(window)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file() and p.suffix == ".xlsx"}
    real = tempfile.mkstemp

    def read_only(*args, dir=None, **kwargs):  # the workbook's folder is on a read-only disk
        if dir is not None and Path(dir) == clean.parent:
            raise OSError(errno.EROFS, "Read-only file system", str(Path(dir) / ".~tmp.xlsx"))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    window.save()
    qtbot.waitUntil(lambda: getattr(window, "save_box", None) is not None and window.save_box.isVisible(),
                    timeout=WAIT)
    text = window.save_box.text()
    assert text.startswith("未能保存到“样例.xlsx”") and "只读" in text and "Excel 或 WPS" in text
    assert "Errno" not in text and "内部错误" not in text and ".~" not in text
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file() and p.suffix == ".xlsx"} == before
    assert window.isWindowModified()  # the edit is still on screen
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(elsewhere / "新.xlsx"), FILTER_ANY))
    _click(window.save_box, "另存为…")
    qtbot.waitUntil(lambda: _shown(window, elsewhere / "新.xlsx"), timeout=WAIT)
    assert _saved_reason(elsewhere / "新.xlsx") == REASON and _saved_reason(clean) != REASON
    assert sorted(p.name for p in elsewhere.iterdir()) == ["新.xlsx"]  # no 备份 of a file that never was there
    assert not window.isWindowModified()


FILTER_ANY = "工作簿 (*.xlsx *.xlsm)"


def test_closing_during_an_export_asks_waits_and_prints_no_traceback(qtbot, window, clean, tmp_path, capfd):
    _open(qtbot, window, clean)
    _start_export(window, tmp_path / "包")
    job = window.job
    window.close()
    assert window.isVisible()
    _click(window.stop_box, "停止并关闭")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    assert job.finished and window.last_error.endswith("已取消。")
    assert not (tmp_path / "包").exists()
    qtbot.wait(200)
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Signal source has been deleted" not in err


# ---------------------------------------------------------------- words

def test_qt_s_own_buttons_and_file_dialog_speak_chinese(qtbot, window):
    assert any(f.endswith("qtbase_zh_CN.qm") for f in translations.install())
    box = QMessageBox(QMessageBox.Question, "t", "x", QMessageBox.Ok | QMessageBox.Cancel | QMessageBox.Save
                      | QMessageBox.Yes | QMessageBox.No)
    box.setDetailedText("d")
    words = {b.text() for b in box.buttons()}
    assert {"确定", "取消", "保存", "是(&Y)", "否(&N)", "显示详情..."} <= words
    dialog = QFileDialog(window, "打开工作簿", "", FILTER_ANY)
    dialog.setOption(QFileDialog.DontUseNativeDialog)
    labels = {w.text() for w in dialog.findChildren(QLabel)} | {w.text() for w in dialog.findChildren(QAbstractButton)}
    assert {"查找范围(&L)：", "文件名称(&N)：", "文件类型(&T)：", "打开(&O)", "取消"} <= labels
    assert not [t for t in labels if re.search(r"[A-Za-z]{3,}", t.replace("&", ""))]


INTERNAL = re.compile(r"[一-龥]+\.[一-龥]|(说明数据|原因说明)!\$?[A-Z]+\$?\d+|manifest|--force|disclosure ")


def _visible_texts(window) -> list[tuple[str, str]]:
    """Every text a person can see or hover in the window: titles, labels, buttons, menus, tabs, lists
    and tables (headers, cells, tooltips), text boxes, the status bar."""
    out = [("标题", window.windowTitle()), ("状态栏", window.statusBar().currentMessage())]
    out += [("菜单", a.text()) for a in window.findChildren(QAction)]
    for w in window.findChildren(QLabel):
        out.append(("标签", w.text()))
    for w in window.findChildren(QAbstractButton):
        out += [("按钮", w.text()), ("提示", w.toolTip())]
    for w in window.findChildren(QTabWidget):
        out += [("页签", w.tabText(i)) for i in range(w.count())]
    for w in window.findChildren(QComboBox):
        out += [("下拉", w.itemText(i)) for i in range(w.count())]
    for w in window.findChildren(QLineEdit):
        out += [("输入框", w.text()), ("输入框", w.placeholderText())]
    for w in window.findChildren(QTextEdit):
        out.append(("文本", w.toPlainText()))
    for view in window.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        try:
            columns = model.columnCount()
        except TypeError:  # a list model (combo boxes': read above)
            continue
        out += [("表头", str(model.headerData(c, Qt.Horizontal) or "")) for c in range(columns)]
        for r in range(model.rowCount()):
            for c in range(columns):
                index = model.index(r, c)
                out += [("单元格", str(index.data() or "")), ("单元格提示", str(index.data(Qt.ToolTipRole) or ""))]
    return out


def _internal(window) -> list[tuple[str, str]]:
    return [(where, text) for where, text in _visible_texts(window) if INTERNAL.search(text)]


def test_no_internal_key_or_input_cell_address_is_shown(qtbot, window, clean, tmp_path):
    # the filled sample, a number of the text that comes from 说明数据 clicked, a wrong count typed
    _open(qtbot, window, clean)
    uses = window.narrative.uses
    n = next(i for i, u in enumerate(uses) if any(c.sheet == "说明数据" for c in u.fact.cells))
    window.narrative.text.anchorClicked.emit(QUrl(f"fact:{n}"))
    assert "说明数据" in window.narrative.source.toPlainText()
    model = window.inputs.inputs
    row = _row(model, "三公.因公出国团组")
    model.setData(model.index(row, 1), "两个")
    assert model.rows[row].error  # shown as the row's tooltip
    assert _internal(window) == []
    # a workbook just imported: nothing filled, every item asked for (findings on 说明数据 cells)
    from disclosure.importers.export import import_export

    report = import_export(SAMPLE)
    fresh = workbook.save_atomic(workbook.build(report.spec, report), tmp_path / "新.xlsx")
    workbook.update_inputs(fresh, {"上年.收入总计": "3000", "上年.支出总计": "3000"})
    model.setData(model.index(row, 1), model.rows[row].original)  # typed back: nothing unsaved, no question
    _open(qtbot, window, fresh)
    assert any(f.cell and f.cell.sheet == "说明数据" for f in window.session.findings)
    assert _internal(window) == []


# ---------------------------------------------------------------- export: refusal, cancel, folder

def test_a_refused_export_says_what_to_do_here_and_resets_the_progress(qtbot, window, broken, tmp_path):
    _open(qtbot, window, broken)
    _start_export(window, tmp_path / "包")
    qtbot.waitUntil(lambda: getattr(window, "refusal_box", None) is not None, timeout=WAIT)
    box = window.refusal_box
    assert box.text().startswith("校验发现 3 条表格错误") and "“校验”页" in box.text() and "仍然导出" in box.text()
    assert "--force" not in box.text() + box.detailedText() and "disclosure" not in box.text()
    assert "公开05表!C7" in box.detailedText()
    assert window.exporter.progress.value() == 0 and "（" not in window.exporter.stage.text()
    assert window.exporter.start_button.isEnabled() and not (tmp_path / "包").exists()
    _click(box, "仍然导出")
    qtbot.waitUntil(lambda: getattr(window, "last_export", None) is not None, timeout=WAIT)
    assert window.last_export.forced and (tmp_path / "包" / "公开表.xlsx").exists()


def test_a_refusal_leads_to_the_findings(qtbot, window, broken, tmp_path):
    _open(qtbot, window, broken)
    _start_export(window, tmp_path / "包")
    qtbot.waitUntil(lambda: getattr(window, "refusal_box", None) is not None, timeout=WAIT)
    _click(window.refusal_box, "查看校验")
    assert window.tabs.currentWidget() is window.findings and window.findings.proxy.rowCount() == 3


def test_a_refusal_for_the_text_names_its_errors_and_leads_to_the_reasons(qtbot, window, clean, tmp_path):
    """Tables all right, but a reason the officer typed says “2022年” in a 2024 report (L07 on the generated
    text, which no page lists): the refusal names it and leads to 说明数据/原因, not to an empty 校验 list."""
    workbook.update_inputs(clean, {REASON_KEY: "2022年人员减少，项目经费压减"})
    _open(qtbot, window, clean)
    _start_export(window, tmp_path / "包")
    qtbot.waitUntil(lambda: getattr(window, "refusal_box", None) is not None, timeout=WAIT)
    box = window.refusal_box
    assert box.text().startswith("校验发现 0 条表格错误、1 条情况说明错误")
    assert "“说明数据/原因”页" in box.text() and "L07" in box.text() and "2022年" in box.text()
    assert "“校验”页" not in box.text() and "--force" not in box.text()
    assert "情况说明有错误" in window.exporter.stage.text()
    _click(box, "查看说明数据")
    assert window.tabs.currentWidget() is window.inputs
    assert not (tmp_path / "包").exists()


def test_a_cancelled_export_resets_the_progress_bar(qtbot, window, clean, tmp_path):
    _open(qtbot, window, clean)
    exporter = window.exporter
    seen = []
    exporter.progress.valueChanged.connect(seen.append)
    # 取消 once the bar has moved: the job stops at its next step
    exporter.progress.valueChanged.connect(lambda value: value > 0 and exporter.cancel_button.click())
    _start_export(window, tmp_path / "包")
    qtbot.waitUntil(lambda: not window.busy, timeout=WAIT)
    assert max(seen) > 0 and window.last_error.endswith("已取消。") and exporter.progress.value() == 0
    assert exporter.stage.text() == "已取消，输出文件夹保持原样。"


def test_open_folder_shows_the_path_where_nothing_can_open_it(qtbot, window, clean, tmp_path, monkeypatch):
    _open(qtbot, window, clean)
    _start_export(window, tmp_path / "包")
    qtbot.waitUntil(lambda: getattr(window, "last_export", None) is not None, timeout=WAIT)
    asked = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: asked.append(url.toLocalFile()) or False)
    window.exporter.open_button.click()
    assert asked == [str(tmp_path / "包")]
    box = window.folder_box
    assert box.isVisible() and str(tmp_path / "包") in box.text()
    _click(box, "复制路径")
    assert QGuiApplication.clipboard().text() == str(tmp_path / "包")


# ---------------------------------------------------------------- window, menus, help

def test_the_window_size_is_remembered(qtbot, settings):
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(720, 520)
    qtbot.waitUntil(lambda: first.size() == QSize(720, 520))
    first.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert again.size() == QSize(720, 520)


def test_the_file_menu_and_recent_files(qtbot, window, clean, other, monkeypatch):
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "文件")
    entries = [a.text() for a in file_menu.actions() if a.text()]
    assert entries == ["打开工作簿…", "导入报表…", "审核公开 PDF…", "最近打开", "保存", "另存为…", "重新校验", "导出公开包",
                       "核对情况说明…", "批量校验…", "返回首页", "回到当前工作簿", "退出"]
    keys = {a.text(): a.shortcut().toString() for a in window.actions()}
    assert keys["保存"] == "Ctrl+S" and keys["另存为…"] == "Ctrl+Shift+S" and keys["退出"] == "Ctrl+Q"
    assert not window.save_action.isEnabled()  # nothing open
    _open(qtbot, window, clean)
    _open(qtbot, window, other)
    recent = next(a.menu() for a in file_menu.actions() if a.text() == "最近打开")
    assert [a.text() for a in recent.actions()] == [str(other), str(clean)]
    next(a for a in recent.actions() if a.text() == str(clean)).trigger()
    qtbot.waitUntil(lambda: _shown(window, clean), timeout=WAIT)
    # one click on the start page opens a recent file
    window.stack.setCurrentWidget(window.start)
    item = window.start.recent.item(1)
    assert item.text() == str(other)
    rect = window.start.recent.visualItemRect(item)
    qtbot.mouseClick(window.start.recent.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: _shown(window, other), timeout=WAIT)
    assert window.stack.currentWidget() is window.tabs
    next(a for a in file_menu.actions() if a.text() == "退出").trigger()
    assert not window.isVisible()


def test_help_shows_the_guide_with_its_link_and_the_shortcuts(qtbot, window):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "帮助")
    assert [a.text() for a in help_menu.actions()] == ["使用说明", "快捷键", "关于"]
    next(a for a in help_menu.actions() if a.text() == "使用说明").trigger()
    guide = window.guide
    assert guide.isVisible() and "桌面程序" in guide.text.toPlainText() and "快捷键" in guide.text.toPlainText()
    link = re.search(r'href="([^"]+)"', guide.link.text()).group(1)
    assert Path(QUrl(link).toLocalFile()).is_file() and guide.link.openExternalLinks()
    assert 'href="file:' in window.about_text()
    next(a for a in help_menu.actions() if a.text() == "快捷键").trigger()
    text = window.shortcut_box.text()
    for action in window.actions():
        if not action.shortcut().isEmpty():
            assert action.shortcut().toString() in text and action.text().rstrip("…") in text
