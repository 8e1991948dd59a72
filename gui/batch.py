"""批量: check (and optionally export) every workbook of a folder in the background, with progress and a
summary table that can be saved as .xlsx (disclosure.batch does the work). Double-click a row to open that
workbook in the main window.

汇总: each row that reads as a 决算 workbook has a check box in its 文件 cell (check boxes rather than a
multi-selection: a selection is lost on the next click, a check survives scrolling and double-clicks);
“汇总所选单位…” consolidates the checked units (disclosure.consolidate, as `disclosure consolidate`) in the
background and offers to open the 汇总 workbook in the main window."""

from __future__ import annotations

import html
import os
from pathlib import Path

import msgspec
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QFileDialog, QHBoxLayout, QInputDialog,
                               QLabel, QMessageBox, QProgressBar, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from disclosure.batch import (FAILED, HAS_ERRORS, REFUSED, BatchRow, check_folder, default_summary_path,
                              workbooks_in, write_summary)
from disclosure.errors import DisclosureError
from disclosure.specs import JUESUAN, layout_words

from . import workers
from .models import SEVERITY_BRUSH

COLUMNS = ["文件", "单位", "错误", "警告", "状态", "说明"]
UNREADABLE = "读不了"  # in the 错误/警告 columns of a file that could not be read: not "0"
BAD = {FAILED, HAS_ERRORS, REFUSED}
# the endings of a body's name: the common start of its units' names is cut back to one (“某局第一中学”,
# “某局第二中学” -> “某局”)
ORG_ENDINGS = ("中心", "局", "委", "厅", "部", "院", "办", "会", "处", "署", "所", "站", "馆", "队", "司", "室")


def department_guess(names: list[str]) -> str:
    """The 部门名称 the 汇总 dialog offers: a unit “某局本级” names its 部门 “某局”; otherwise the common start
    of the names up to a body's ending; otherwise empty (the officer types it)."""
    for name in names:
        if name.endswith("本级") and len(name) > 2:
            return name[:-2]
    prefix = os.path.commonprefix([n.strip() for n in names])
    for end in range(len(prefix), 0, -1):
        if prefix[:end].endswith(ORG_ENDINGS):
            return prefix[:end]
    return ""


def _some(keys: list[str], n: int) -> str:
    """“（甲、乙等）”: the first n keys; the full list is in the box's 详细信息."""
    return f"（{'、'.join(keys[:n])}{'等' if len(keys) > n else ''}）" if keys else ""


def why_not_unit(row: BatchRow) -> str:
    """Why a checked row cannot be a unit of a 汇总 (“” when it can)."""
    if row.status == FAILED:
        return "读不了，不能汇总"
    return "" if row.kind == JUESUAN else f"是{row.kind or '未知类型的'}工作簿，汇总只用于部门决算"


class Consolidated(msgspec.Struct):
    """What a 汇总 run hands back to the UI thread: the file and the lines `disclosure consolidate` prints."""
    path: Path
    text: str
    lines: list[str]
    detail: str


def consolidate_files(files: list[Path], name: str, out: Path, progress) -> Consolidated:
    """Read, consolidate and write (off the UI thread); refusals raise DisclosureError in one Chinese line."""
    from disclosure.consolidate import consolidate, read_units
    from disclosure.consolidate_write import write

    progress(1, 3, f"读取 {len(files)} 个单位工作簿")
    units = read_units(files)
    progress(2, 3, "按科目代码、行次相加")
    result = consolidate(units, name)
    progress(3, 3, f"写出 {out.name}")
    write(result, out)
    report = result.report
    lines = [f"{u.name}（{u.path.name}）" for u in units]
    if result.derived.adjusted:
        lines.append(f"尾差调整 {len(result.derived.adjusted)} 处（各单位分别四舍五入所致，来源表中注明）")
    if result.perf_note:
        lines.append(result.perf_note)
    summed, left = result.summed_labels, result.left_labels
    lines.append(f"说明数据：单位构成按单位填入；各单位都填了的 {len(summed)} 项已相加{_some(summed, 6)}")
    if left:
        lines.append(f"留待填写 {len(left)} 项（文字不合并；有单位未填的数不相加）{_some(left, 8)}")
    detail = "\n".join([f"已相加：{'、'.join(summed) or '无'}", f"留待填写：{'、'.join(left) or '无'}"])
    text = f"已汇总 {len(units)} 个单位 → {report.unit_name} {report.year} 年度决算（{layout_words(report.layout)}）：{out}"
    return Consolidated(out, text, lines, detail)


class BatchWindow(QWidget):
    open_workbook = Signal(Path)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowFlag(Qt.Window, True)  # its own window, owned by the main one
        self.setWindowTitle("批量校验")
        self.resize(900, 520)
        self.rows: list[BatchRow] = []
        # rows that can be ticked for 汇总, and those ticked: kept as the boxes change, never recounted
        # over the table (a slot stays well under 50 ms with thousands of rows)
        self.can: list[int] = []
        self.ticked: set[int] = set()
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
        # column widths from the first 200 rows: measuring thousands of rows alone would take > 50 ms
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self.table.setTextElideMode(Qt.ElideRight)
        self.table.setWordWrap(False)
        self.table.cellDoubleClicked.connect(lambda r, _c: self.open_row(r))
        layout.addWidget(self.table)
        bottom = QHBoxLayout()
        self.summary = QLabel("双击一行，在主窗口中打开该工作簿。")
        self.save_button = QPushButton("导出汇总表…")
        self.save_button.setEnabled(False)
        self.all_box = QCheckBox("全选")
        self.consolidate_button = QPushButton("汇总所选单位…")
        bottom.addWidget(self.summary)
        bottom.addStretch(1)
        for w in (self.all_box, self.consolidate_button, self.save_button):
            bottom.addWidget(w)
        layout.addLayout(bottom)
        self.folder: Path | None = None
        choose.clicked.connect(self.choose)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(lambda: self.job and self.job.cancel())
        self.save_button.clicked.connect(self.choose_and_save)
        self.table.itemChanged.connect(self._ticked_changed)
        self.all_box.clicked.connect(self.choose_all)
        self.consolidate_button.clicked.connect(self.ask_and_consolidate)
        self.box: QMessageBox | None = None  # the last message shown (tests read it)
        self._chosen_changed()

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
        self._busy()
        self.job = workers.start(work, self.show_rows, self.failed, self.on_progress)

    def on_progress(self, n: int, total: int, name: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(n - 1)
        self.summary.setText(f"正在处理 {name}（{n}/{total}）…")

    def show_rows(self, rows: list[BatchRow]) -> None:
        self.rows = rows
        self.can, self.ticked = [r for r, row in enumerate(rows) if not why_not_unit(row)], set()
        self.table.blockSignals(True)  # itemChanged per cell would recount the check boxes 6 × n times
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self._show(r, row)
        self.table.blockSignals(False)
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
                self._checkable(item, row)
            elif c in (2, 3) and not failed:
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            elif c == 5 and value:
                item.setToolTip(f"<p>{html.escape(value)}</p>")  # rich text: the tooltip wraps the whole text
            if (c == 2 and (failed or row.errors)) or (c == 4 and row.status in BAD) or (c == 3 and failed):
                item.setBackground(SEVERITY_BRUSH["错误"])
            elif c == 3 and row.warnings:
                item.setBackground(SEVERITY_BRUSH["警告"])
            self.table.setItem(r, c, item)

    @staticmethod
    def _checkable(item: QTableWidgetItem, row: BatchRow) -> None:
        why = why_not_unit(row)
        if why:
            item.setFlags(item.flags() & ~Qt.ItemIsUserCheckable)  # a table item is checkable by default
            item.setToolTip(f"{row.file}\n双击在主窗口中打开\n{why}")
        else:
            item.setCheckState(Qt.Unchecked)
            item.setToolTip(f"{row.file}\n双击在主窗口中打开；勾选后可“汇总所选单位…”")

    # ------------------------------------------------------------ 汇总

    def chosen(self) -> list[BatchRow]:
        """The checked rows, in the table's (natural name) order."""
        return [self.rows[r] for r in sorted(self.ticked)]

    def _ticked_changed(self, item: QTableWidgetItem) -> None:
        r = item.row()
        if item.column() != 0 or r not in self.can:
            return
        if item.checkState() == Qt.Checked:
            self.ticked.add(r)
        else:
            self.ticked.discard(r)
        self._chosen_changed()

    def choose_all(self, checked: bool) -> None:
        self.table.blockSignals(True)
        for r in self.can:
            self.table.item(r, 0).setCheckState(Qt.Checked if checked else Qt.Unchecked)
        self.table.blockSignals(False)
        self.ticked = set(self.can) if checked else set()
        self._chosen_changed()

    def _chosen_changed(self) -> None:
        """Enable 汇总 for two or more checked 决算 rows; otherwise say why it is disabled."""
        running = self.job is not None and not self.job.finished
        n, can = len(self.ticked), len(self.can)
        if running:
            why = "正在处理，完成后才能汇总"
        elif not self.rows:
            why = "先选择文件夹并点“开始”校验，再勾选要汇总的单位"
        elif can < 2:
            why = f"读成部门决算工作簿的只有 {can} 个：汇总至少需要两个单位"
        elif n < 2:
            why = f"在“文件”栏勾选至少两个单位（已勾选 {n} 个）"
        else:
            why = ""
        self.consolidate_button.setEnabled(not why)
        self.consolidate_button.setToolTip(why or f"把勾选的 {n} 个单位汇总为部门决算工作簿")
        self.all_box.setEnabled(can > 0 and not running)
        self.all_box.setToolTip("" if can else "没有可以汇总的部门决算工作簿")
        self.all_box.setChecked(bool(can) and n == can)  # two states: a click on it always checks all or none

    def ask_and_consolidate(self) -> None:
        rows = self.chosen()
        name, ok = QInputDialog.getText(self, "汇总所选单位", f"汇总 {len(rows)} 个单位，部门名称：",
                                        text=department_guess([r.unit for r in rows]))
        if not ok:
            return
        if not name.strip():
            self._show_box(QMessageBox.Warning, "汇总未开始：请填写部门名称（汇总工作簿封面上的单位名称）。")
            return
        default = (self.folder.parent if self.folder else Path.home()) / f"{name.strip()}-{rows[0].year}-汇总.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "保存汇总工作簿", str(default), "Excel 工作簿 (*.xlsx)")
        if path:
            self.consolidate([r.file for r in rows], name.strip(), Path(path))

    def consolidate(self, files: list[Path], name: str, out: Path) -> None:
        if out.suffix.lower() != ".xlsx":
            out = out.with_name(out.name + ".xlsx")
        if self.folder is not None and out.parent.resolve() == self.folder.resolve():
            # in the folder, the 汇总 would be listed (and could be checked) as one more unit next time
            self._show_box(QMessageBox.Warning, f"汇总未开始：汇总工作簿不要放在单位文件夹“{self.folder.name}”中，"
                                                "否则下次批量校验或汇总时会被当作一个单位；请另选位置。")
            return
        self.progress.setRange(0, 3)
        self.progress.setValue(0)
        self._busy()
        self.job = workers.start(lambda progress: consolidate_files(files, name, out, progress),
                                 self.consolidated, self.consolidate_failed, self.on_consolidate_progress)

    def on_consolidate_progress(self, n: int, total: int, text: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(n - 1)
        self.summary.setText(f"正在汇总：{text}（{n}/{total}）…")

    def consolidated(self, done: Consolidated) -> None:
        self._idle()
        self.progress.setValue(self.progress.maximum())
        self.summary.setText(f"汇总工作簿已写出：{done.path}")
        box = self._show_box(QMessageBox.Information, done.text, open_later=True)
        box.setInformativeText("\n".join(done.lines))
        box.setDetailedText(done.detail)
        opener = box.addButton("在主窗口中打开", QMessageBox.AcceptRole)
        box.addButton("关闭", QMessageBox.RejectRole)
        box.buttonClicked.connect(lambda b: b is opener and self._open_file(done.path))
        box.open()

    def consolidate_failed(self, message: str, detail: str) -> None:
        self._idle()
        self.progress.setValue(0)
        if message == workers.CANCELLED:
            self.summary.setText("汇总已取消，未写出文件。")
            return
        self.summary.setText(f"汇总未完成：{message}")
        box = self._show_box(QMessageBox.Critical, f"汇总未完成：{message}", open_later=True)
        if detail:
            box.setDetailedText(detail)  # hidden behind “详细信息”, for technical support
        box.open()

    def _show_box(self, icon, text: str, open_later: bool = False) -> QMessageBox:
        self.box = QMessageBox(icon, "汇总所选单位", text, parent=self)
        if not open_later:
            self.box.open()  # not exec(): a test or a second message never waits on it
        return self.box

    def _open_file(self, path: Path) -> None:
        self.open_workbook.emit(path)
        if self.parentWidget() is not None:
            self.parentWidget().activateWindow()
            self.parentWidget().raise_()

    def open_row(self, r: int) -> None:
        if 0 <= r < len(self.rows):
            self._open_file(self.rows[r].file)

    def failed(self, message: str, detail: str) -> None:
        self._idle()
        self.progress.setValue(0)
        if message == workers.CANCELLED:  # asked for: no error box
            self.summary.setText("已取消。")
            return
        self.summary.setText(f"未完成：{message}")
        QMessageBox(QMessageBox.Critical, "批量校验", f"批量校验未完成：{message}", parent=self).open()

    def _busy(self) -> None:
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.save_button.setEnabled(False)
        self.consolidate_button.setEnabled(False)
        self.consolidate_button.setToolTip("正在处理，完成后才能汇总")
        self.all_box.setEnabled(False)

    def _idle(self) -> None:
        self.job = None
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.save_button.setEnabled(bool(self.rows))
        self._chosen_changed()

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
