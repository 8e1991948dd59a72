"""Undo and redo of the values typed in 说明数据/原因说明, before they are saved.

The models are watched, not changed: every dataChanged whose values differ from the last ones seen is
one edit. Edits made by one action of the officer (a typed value, a pasted column, Delete over a
selection) arrive within one turn of the event loop and are kept as one step. Loading a workbook (a
reset of the models) starts a new history."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack

VALUE = 1  # the column of the value in InputsModel


def _texts(model) -> list[str]:
    return [row.text for row in model.rows]


class _Edit(QUndoCommand):
    def __init__(self, history: "InputsHistory", changes: list[tuple[object, int, str, str]]):
        labels = [model.rows[row].label for model, row, _, _ in changes]
        super().__init__(labels[0] if len(labels) == 1 else f"{len(labels)} 项")
        self.history, self.changes = history, changes
        self.done = True  # pushed after the edit happened: the first redo() has nothing to do

    def redo(self) -> None:
        if self.done:
            self.done = False
            return
        self.history.apply([(model, row, after) for model, row, _, after in self.changes])

    def undo(self) -> None:
        self.history.apply([(model, row, before) for model, row, before, _ in self.changes])


class InputsHistory(QObject):
    def __init__(self, models: list, parent=None):
        super().__init__(parent)
        self.stack = QUndoStack(self)
        self.models = models
        self.seen: dict[int, list[str]] = {id(m): _texts(m) for m in models}
        self.pending: dict[tuple[int, int], tuple[object, int, str]] = {}  # (model, row) → model, row, before
        self.applying = False
        self.last = ""  # the items the last undo/redo changed, for the status bar
        for model in models:
            model.dataChanged.connect(lambda top, bottom, roles=(), m=model: self._changed(m, top.row(), bottom.row()))
            model.modelReset.connect(lambda m=model: self._reset(m))

    # ------------------------------------------------------------ watching

    def _changed(self, model, first: int, last: int) -> None:
        seen = self.seen[id(model)]
        for row in range(first, min(last, len(model.rows) - 1) + 1):
            text = model.rows[row].text
            if row < len(seen) and text != seen[row]:
                if not self.applying:
                    self.pending.setdefault((id(model), row), (model, row, seen[row]))
                seen[row] = text
        if self.pending and not self.applying:
            QTimer.singleShot(0, self.flush)

    def flush(self) -> None:
        """Make the edits seen so far one step (called by the event loop, and before undo)."""
        changes = [(model, row, before, model.rows[row].text) for model, row, before in self.pending.values()
                   if row < len(model.rows) and model.rows[row].text != before]
        self.pending.clear()
        if changes:
            self.stack.push(_Edit(self, changes))

    def _reset(self, model) -> None:
        self.seen[id(model)] = _texts(model)
        self.pending = {k: v for k, v in self.pending.items() if v[0] is not model}
        self.stack.clear()

    # ------------------------------------------------------------ undo, redo

    def apply(self, values: list[tuple[object, int, str]]) -> None:
        self.applying = True
        try:
            for model, row, text in values:
                model.setData(model.index(row, VALUE), text)
        finally:
            self.applying = False
        self.last = "、".join(model.rows[row].label for model, row, _ in values)

    def undo(self) -> str:
        """Undo the last step; the items it changed back ('' when there was none)."""
        self.flush()
        if not self.stack.canUndo():
            return ""
        self.stack.undo()
        return self.last

    def redo(self) -> str:
        self.flush()
        if not self.stack.canRedo():
            return ""
        self.stack.redo()
        return self.last
