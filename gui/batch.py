"""批量: check (and optionally export) every workbook of a folder in the background, with progress and a
summary table that can be saved as .xlsx (disclosure.batch does the work). Double-click a row to open that
workbook in the main window."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QMessageBox, QProgressBar, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from disclosure.batch import (FAILED, HAS_ERRORS, REFUSED, BatchRow, check_folder, default_summary_path,
                              workbooks_in, write_summary)
from disclosure.errors import DisclosureError

from . import workers
from .models import SEVERITY_BRUSH

COLUMNS = ["文件", "单位", "错误", "警告", "状态", "说明"]
UNREADABLE = "读不了"  # in the 错误/警告 columns of a file that could not be read: not "0"
BAD = {FAILED, HAS_ERRORS, REFUSED}


class BatchWindow(QWidget):
    open_workbook = Signal(Path)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowFlag(Qt.Window, True)  # its own window, owned by the main one
        self.setWindowTitle("批量校验")
        self.resize(900, 520)
        self.rows: list[BatchRow] = []
        self.job: workers.Job | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.folder_label = QLabel("未选择文件夹")
        choose = QPushButton("选择文件夹…")
        self.export_box = QCheckBox("同时导出公开包（每个工作簿一个文件夹）")
        self.start_button = QPushButton("开始")
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setEnabled(False)
        for w in (choose, self.folder_label, self.export_box, self.start_button, self.cancel_button):
            top.addWidget(w)
        top.setStretch(1, 1)
        layout.addLayout(top)
        self.progress = QProgressBar()
        layout.addWidget(self.progress)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)  # a result, not a form
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTextElideMode(Qt.ElideRight)
        self.table.setWordWrap(False)
        self.table.cellDoubleClicked.connect(lambda r, _c: self.open_row(r))
        layout.addWidget(self.table)
        bottom = QHBoxLayout()
        self.summary = QLabel("双击一行，在主窗口中打开该工作簿。")
        self.save_button = QPushButton("导出汇总表…")
        self.save_button.setEnabled(False)
        bottom.addWidget(self.summary)
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        layout.addLayout(bottom)
        self.folder: Path | None = None
        choose.clicked.connect(self.choose)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(lambda: self.job and self.job.cancel())
        self.save_button.clicked.connect(self.choose_and_save)

    def choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择放工作簿的文件夹")
        if chosen:
            self.set_folder(Path(chosen))

    def set_folder(self, folder: Path) -> None:
        self.folder = folder
        self._count(len(workbooks_in(folder)))

    def _count(self, n: int) -> None:
        self.folder_label.setText(f"{self.folder}（{n} 个工作簿）")

    def start(self) -> None:
        if self.folder is None:
            return
        folder, export = self.folder, self.export_box.isChecked()
        target = folder / "公开包" if export else None
        total = len(workbooks_in(folder))
        self._count(total)  # the folder may have changed since it was chosen: the label counts what is checked

        def work(progress):
            return check_folder(folder, export_to=target, progress=progress)

        self.rows = []
        self.table.setRowCount(0)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(0)
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.save_button.setEnabled(False)
        self.job = workers.start(work, self.show_rows, self.failed, self.on_progress)

    def on_progress(self, n: int, total: int, name: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(n - 1)
        self.summary.setText(f"正在处理 {name}（{n}/{total}）…")

    def show_rows(self, rows: list[BatchRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self._show(r, row)
        self.table.resizeColumnsToContents()
        self.progress.setRange(0, max(len(rows), 1))
        self.progress.setValue(self.progress.maximum())
        self._count(len(rows))
        bad = sum(1 for row in rows if row.errors or row.status == FAILED)
        self.summary.setText(f"共 {len(rows)} 个工作簿，{bad} 个有错误或读不了。双击一行，在主窗口中打开该工作簿。")
        self._idle()

    def _show(self, r: int, row: BatchRow) -> None:
        failed = row.status == FAILED
        counts = [UNREADABLE] * 2 if failed else [str(row.errors), str(row.warnings)]
        values = [row.file.name, row.unit, *counts, row.status, row.detail]
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c == 0:
                item.setToolTip(f"{row.file}\n双击在主窗口中打开")
            elif c in (2, 3) and not failed:
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            elif c == 5 and value:
                item.setToolTip(f"<p>{html.escape(value)}</p>")  # rich text: the tooltip wraps the whole text
            if (c == 2 and (failed or row.errors)) or (c == 4 and row.status in BAD) or (c == 3 and failed):
                item.setBackground(SEVERITY_BRUSH["错误"])
            elif c == 3 and row.warnings:
                item.setBackground(SEVERITY_BRUSH["警告"])
            self.table.setItem(r, c, item)

    def open_row(self, r: int) -> None:
        if 0 <= r < len(self.rows):
            self.open_workbook.emit(self.rows[r].file)
            if self.parentWidget() is not None:
                self.parentWidget().activateWindow()
                self.parentWidget().raise_()

    def failed(self, message: str, detail: str) -> None:
        self._idle()
        self.progress.setValue(0)
        if message == workers.CANCELLED:  # asked for: no error box
            self.summary.setText("已取消。")
            return
        self.summary.setText(f"未完成：{message}")
        QMessageBox(QMessageBox.Critical, "批量校验", f"批量校验未完成：{message}", parent=self).open()

    def _idle(self) -> None:
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.save_button.setEnabled(bool(self.rows))

    def summary_path(self) -> Path:
        """The file the save dialog offers: beside the folder, so a later run does not meet it there."""
        return default_summary_path(self.folder) if self.folder else Path.home() / "批量校验汇总.xlsx"

    def choose_and_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存汇总表", str(self.summary_path()), "Excel 工作簿 (*.xlsx)")
        if path:
            try:
                saved = self.save(Path(path))
            except DisclosureError as exc:
                self.summary.setText(f"汇总表未保存：{exc}")
                QMessageBox(QMessageBox.Warning, "保存汇总表", f"汇总表未保存：{exc}", parent=self).open()
                return
            self.summary.setText(f"汇总表已保存：{saved}")
            if self.folder is not None:
                self._count(len(workbooks_in(self.folder)))

    def save(self, path: Path) -> Path:
        return write_summary(self.rows, path)
