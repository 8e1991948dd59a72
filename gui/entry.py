"""Entry in the 说明数据/原因说明 lists that works as in Excel: typing replaces the value, F2 or a double-click
edits it, Enter confirms and moves down, Delete clears the selected values, Ctrl+C/Ctrl+V carry Excel's
clipboard text (a column copied from Excel fills the rows downwards), and the long texts (名单, 职责, 绩效)
get a multi-line editor in which Enter starts a new line (Tab or a click elsewhere confirms)."""

from __future__ import annotations

import csv
import io
from typing import Callable

from PySide6.QtCore import QEvent, QRect, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QAbstractItemDelegate, QAbstractItemView, QApplication, QHeaderView, QLineEdit,
                               QPlainTextEdit, QStyledItemDelegate, QTableView)

from .models import InputsModel, multiline, validate

VALUE = 1  # the editable column
MAX_LINES = 6  # a multi-line value shows this many lines in its row; the tooltip has the rest
EDITOR_HEIGHT = 160  # px: the multi-line editor opens over the rows below, as Excel's cell does


def cells_from_clipboard(text: str) -> list[list[str]]:
    """Excel's clipboard text as rows of cells: tabs between cells, a newline after each row, and a cell
    that holds a newline, tab or quote written in quotes ("a""b")."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    return [row or [""] for row in csv.reader(io.StringIO(text), delimiter="\t")]  # a blank line: one empty cell


def clipboard_from_cells(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(rows)
    return out.getvalue()


class EntryDelegate(QStyledItemDelegate):
    """The value's editor: one line, or several for a long text; it turns red with the reason while the
    typed text is not a valid value, and yellow with a note while it disagrees with another item."""

    def __init__(self, model: InputsModel, say: Callable[[str], None]):
        super().__init__()
        self.model, self.say = model, say

    def createEditor(self, parent, option, index):
        row = self.model.rows[index.row()]
        if multiline(row.key):
            editor = QPlainTextEdit(parent)
            editor.setTabChangesFocus(True)
            editor.textChanged.connect(lambda: check(editor.toPlainText()))
        else:
            editor = QLineEdit(parent)
            editor.textEdited.connect(lambda text: check(text))

        def check(text: str) -> None:
            problem = validate(row.key, text)
            note = "" if problem else self.model.cross_note(row.key, text)
            editor.setStyleSheet("background:#FFC7CE" if problem else "background:#FFEB9C" if note else "")
            editor.setToolTip(problem or note)
            self.say(f"{row.label}：{problem or note}" if problem or note else "")

        return editor

    def setEditorData(self, editor, index) -> None:
        if isinstance(editor, QPlainTextEdit):
            editor.setPlainText(index.data(Qt.EditRole) or "")
            editor.moveCursor(editor.textCursor().MoveOperation.End)
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor, model, index) -> None:
        if isinstance(editor, QPlainTextEdit):
            model.setData(index, editor.toPlainText())
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(self, editor, option, index) -> None:
        super().updateEditorGeometry(editor, option, index)
        if isinstance(editor, QPlainTextEdit):
            rect = option.rect
            rect.setHeight(max(rect.height(), EDITOR_HEIGHT))
            room = editor.parentWidget().height()
            if rect.bottom() >= room:  # a row near the bottom: the editor opens upwards, whole
                rect.moveBottom(room - 1)
                rect.moveTop(max(rect.top(), 0))
            editor.setGeometry(rect)

    def eventFilter(self, editor, event) -> bool:
        # a multi-line text: Enter starts a new line there, Ctrl+Enter confirms (and moves down), Tab confirms
        # (and moves on) — said here, not left to the focus chain, which only works in an active window
        if isinstance(editor, QPlainTextEdit) and event.type() == QEvent.KeyPress:
            ctrl_enter = event.key() in (Qt.Key_Return, Qt.Key_Enter) and event.modifiers() & Qt.ControlModifier
            hint = {Qt.Key_Tab: QAbstractItemDelegate.EditNextItem, Qt.Key_Backtab: QAbstractItemDelegate.EditPreviousItem
                    }.get(event.key(), QAbstractItemDelegate.SubmitModelCache if ctrl_enter else None)
            if hint is not None:
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, hint)
                return True
        return super().eventFilter(editor, event)


class EntryView(QTableView):
    """One list (项目 | 值). `said` carries what a paste, a clear or the editor has to tell the officer."""

    said = Signal(str)

    def __init__(self, model: InputsModel, label_width: int | None = 260):
        """label_width: of the 项目 column in pixels; None shares the width evenly with 值 (the 原因说明 list,
        whose 事项 say what the reason is for)."""
        super().__init__()
        self.setModel(model)
        self.setItemDelegateForColumn(VALUE, EntryDelegate(model, self.said.emit))
        self.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                             | QAbstractItemView.AnyKeyPressed)
        self.setWordWrap(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(VALUE, QHeaderView.Stretch)
        if label_width is None:
            header.setSectionResizeMode(0, QHeaderView.Stretch)
        else:
            self.setColumnWidth(0, label_width)
        self.verticalHeader().setVisible(False)
        model.modelReset.connect(self.fit_rows)
        model.dataChanged.connect(lambda top, bottom, roles=(): self.fit_rows(top.row(), bottom.row() + 1))
        header.sectionResized.connect(lambda *_: self.fit_rows())

    def entries(self) -> InputsModel:
        return self.model()

    def fit_rows(self, first: int = 0, last: int | None = None) -> None:
        """Each row as tall as its label or value needs, wrapped to the column (a multi-line value line by
        line), up to MAX_LINES; the tooltip has the rest."""
        rows = self.entries().rows
        metrics = self.fontMetrics()
        default = self.verticalHeader().defaultSectionSize()
        widths = [max(self.columnWidth(c) - 12, 40) for c in (0, VALUE)]  # less the cell's margins

        def lines(text: str, width: int) -> int:
            box = metrics.boundingRect(QRect(0, 0, width, 100_000), Qt.TextWordWrap, text or " ")
            return max(1, round(box.height() / metrics.lineSpacing()))  # CJK glyphs run a pixel over a line

        for i in range(first, len(rows) if last is None else min(last, len(rows))):
            row = rows[i]
            n = min(MAX_LINES, max(lines(row.label, widths[0]), lines(row.text, widths[1])))
            self.setRowHeight(i, default + (n - 1) * metrics.lineSpacing())

    # ------------------------------------------------------------ keys

    def keyPressEvent(self, event) -> None:
        if self.state() != QAbstractItemView.EditingState:
            if event.matches(QKeySequence.Paste):
                self.paste(QApplication.clipboard().text())
                return
            if event.matches(QKeySequence.Copy):
                QApplication.clipboard().setText(self.copy_text())
                return
            if event.key() in (Qt.Key_Delete, Qt.Key_Backspace) and not event.modifiers():
                self.clear_selected()
                return
            if event.key() in (Qt.Key_Return, Qt.Key_Enter) and not event.modifiers():
                self._move_down()
                return
        super().keyPressEvent(event)

    def closeEditor(self, editor, hint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.SubmitModelCache:  # Enter: confirm and go to the next row
            self._move_down()

    def _move_down(self) -> None:
        current = self.currentIndex()
        if current.isValid() and current.row() + 1 < self.entries().rowCount():
            self.setCurrentIndex(current.sibling(current.row() + 1, VALUE))

    # ------------------------------------------------------------ clear, copy, paste

    def _selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.selectionModel().selectedIndexes()}
        if not rows and self.currentIndex().isValid():
            rows = {self.currentIndex().row()}
        return sorted(rows)

    def clear_selected(self) -> None:
        """Delete: the values of the selected rows become blank (a blank is "not filled", never zero)."""
        model = self.entries()
        rows = [r for r in self._selected_rows() if model.rows[r].text]
        for r in rows:
            model.setData(model.index(r, VALUE), "")
        if rows:
            self.said.emit(f"已清空 {len(rows)} 项（留空表示未填写；确实为零请填 0）。")

    def copy_text(self) -> str:
        model = self.entries()
        return clipboard_from_cells([[model.rows[r].text] for r in self._selected_rows()])

    def paste(self, text: str) -> None:
        """Paste Excel's clipboard text from the current row down. With several columns copied, the column
        that lands on 值 is taken (copied 项目 and 值 side by side, pasted onto 项目, fill the values); one
        value pasted onto several selected rows fills each of them."""
        model, start = self.entries(), self.currentIndex()
        grid = cells_from_clipboard(text)
        if not grid or not start.isValid():
            self.said.emit("剪贴板中没有可粘贴的内容，或没有选中要粘贴到的行。")
            return
        width = max(len(r) for r in grid)
        take = VALUE - start.column() if width > VALUE - start.column() else 0
        values = [row[take] if take < len(row) else "" for row in grid]
        selected = self._selected_rows()
        if len(values) == 1 and len(selected) > 1:
            targets = selected
            values = values * len(selected)
        else:
            targets = list(range(start.row(), min(start.row() + len(values), model.rowCount())))
        for r, value in zip(targets, values):
            model.setData(model.index(r, VALUE), value)
        self.selectionModel().clearSelection()
        for r in targets:
            self.selectionModel().select(model.index(r, VALUE), self.selectionModel().SelectionFlag.Select)
        bad = [model.rows[r] for r in targets if model.rows[r].error]
        said = f"已粘贴 {len(targets)} 项"
        if bad:
            said += f"，其中 {len(bad)} 项有误（红色）：{bad[0].label}：{bad[0].error}"
        if len(values) > len(targets):
            said += f"；已到最后一项，多出的 {len(values) - len(targets)} 行没有粘贴"
        self.said.emit(said + "。")
