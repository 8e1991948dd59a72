"""A table view whose first rows (a 公开表's title and column headers) stay on screen while the body scrolls,
as Excel's 冻结窗格 does. A second view over the same model shows those rows, laid over the main view's column
header, which is made just as tall; the main view hides them, so its body scrolls beneath."""

from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QTableView


class FrozenRowsView(QTableView):
    def __init__(self):
        super().__init__()
        self.frozen = 0
        self.batching = False  # inside setting_up()
        self.head = QTableView(self)
        head = self.head
        head.setFocusPolicy(Qt.NoFocus)
        head.setFrameShape(QFrame.NoFrame)
        head.setEditTriggers(QAbstractItemView.NoEditTriggers)
        head.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        head.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        head.hide()
        for view in (self, head):
            view.setHorizontalScrollMode(QAbstractItemView.ScrollPerPixel)  # both scroll by the same pixels
        self.horizontalScrollBar().valueChanged.connect(head.horizontalScrollBar().setValue)
        head.horizontalHeader().sectionResized.connect(lambda c, _old, new: self.setColumnWidth(c, new))
        self.horizontalHeader().sectionResized.connect(lambda c, _old, new: self._follow_width(c, new))
        head.verticalHeader().sectionResized.connect(lambda *_: self.updateGeometries())  # the frozen rows' height

    def setModel(self, model) -> None:
        super().setModel(model)
        self.head.setModel(model)
        self.head.setSelectionModel(self.selectionModel())  # a selection shows in both

    @contextmanager
    def setting_up(self):
        """Hide rows, set spans and column widths in one go: the two views are laid out once, at the end,
        not after each change (each costs a header size hint)."""
        headers = [h for v in (self, self.head) for h in (v.horizontalHeader(), v.verticalHeader())]
        for h in headers:
            h.blockSignals(True)
        self.batching = True
        try:
            yield self
        finally:
            self.batching = False
            for h in headers:
                h.blockSignals(False)
            for c in range(self.model().columnCount()):
                self.head.setColumnWidth(c, self.columnWidth(c))
            self.updateGeometries()
            self.viewport().update()

    def freeze(self, rows: int) -> None:
        """Keep the first `rows` rows on screen."""
        for r in range(self.model().rowCount()):
            self.setRowHidden(r, r < rows)
            self.head.setRowHidden(r, r >= rows)
        self.frozen = rows
        self.head.verticalHeader().setDefaultSectionSize(self.verticalHeader().defaultSectionSize())
        self.head.setVisible(rows > 0)
        if not self.batching:
            self.updateGeometries()

    def span(self, row: int, col: int, rows: int, cols: int) -> None:
        """A merged cell, drawn by whichever view shows its first row."""
        (self.head if row < self.frozen else self).setSpan(row, col, rows, cols)

    def _follow_width(self, col: int, width: int) -> None:
        if self.head.columnWidth(col) != width:
            self.head.setColumnWidth(col, width)

    def head_height(self) -> int:
        return (self.head.horizontalHeader().sizeHint().height()
                + sum(self.head.rowHeight(r) for r in range(min(self.frozen, self.model().rowCount()))))

    def updateGeometries(self) -> None:
        header = self.horizontalHeader()
        if self.model() is not None and self.frozen:
            height = self.head_height()
            if header.minimumHeight() != height:
                header.setMinimumHeight(height)  # QTableView leaves this much room above the body
        super().updateGeometries()
        if self.model() is None or not self.frozen:
            return
        left = self.verticalHeader().width()
        self.head.verticalHeader().setFixedWidth(left)
        port = self.viewport().geometry()
        self.head.setGeometry(port.left() - left, header.geometry().top(), port.width() + left, header.height())
        self.head.horizontalScrollBar().setValue(self.horizontalScrollBar().value())
