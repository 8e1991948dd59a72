"""批量: check (and optionally export) every workbook of a folder in the background, with progress and a
summary table that can be saved as .xlsx (disclosure.batch does the work)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QProgressBar, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from disclosure.batch import BatchRow, check_folder, workbooks_in, write_summary

from . import workers
from .models import SEVERITY_BRUSH

COLUMNS = ["文件", "单位", "错误", "警告", "状态", "说明"]


class BatchWindow(QWidget):
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
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        bottom = QHBoxLayout()
        self.summary = QLabel("")
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
        n = len(workbooks_in(folder))
        self.folder_label.setText(f"{folder}（{n} 个工作簿）")

    def start(self) -> None:
        if self.folder is None:
            return
        folder, export = self.folder, self.export_box.isChecked()
        target = folder / "公开包" if export else None

        def work(progress):
            return check_folder(folder, export_to=target, progress=progress)

        self.table.setRowCount(0)
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.job = workers.start(work, self.show_rows, self.failed, self.on_progress)

    def on_progress(self, n: int, total: int, name: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(n - 1)
        self.summary.setText(f"正在处理 {name}（{n}/{total}）…")

    def show_rows(self, rows: list[BatchRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = [row.file.name, row.unit, str(row.errors), str(row.warnings), row.status, row.detail]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 4 and row.errors:
                    item.setBackground(SEVERITY_BRUSH["错误"])
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.progress.setValue(self.progress.maximum())
        bad = sum(1 for row in rows if row.errors or row.status == "读取失败")
        self.summary.setText(f"共 {len(rows)} 个工作簿，{bad} 个有错误或读不了。")
        self._idle()

    def failed(self, message: str, detail: str) -> None:
        self._idle()
        self.summary.setText(f"未完成：{message}")
        QMessageBox(QMessageBox.Critical, "批量校验", f"批量校验未完成：{message}", parent=self).open()

    def _idle(self) -> None:
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.save_button.setEnabled(bool(self.rows))

    def choose_and_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存汇总表", str((self.folder or Path.home()) / "批量校验汇总.xlsx"),
                                              "Excel 工作簿 (*.xlsx)")
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> Path:
        return write_summary(self.rows, path)
