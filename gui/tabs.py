"""The tabs of the main window, each a view of the loaded Session:
表格 (the nine tables), 校验 (findings), 说明数据/原因 (inputs, editable), 情况说明 (text with the source
of every number), 导出 (the package)."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QHeaderView,
                               QInputDialog, QLabel, QLineEdit, QMenu, QMessageBox, QProgressBar, QPushButton,
                               QSplitter, QStyledItemDelegate, QTableView, QTabWidget, QTextBrowser, QVBoxLayout,
                               QWidget)

from disclosure import acks, tablegrid
from disclosure.model import CellRef

from . import workers
from .models import FindingsFilter, FindingsModel, InputsModel, SheetModel, input_rows, validate
from .session import Session


class TablesTab(QTabWidget):
    """The nine tables, read-only, in the layout of the workbook's own sheets (merged header cells)."""

    def __init__(self):
        super().__init__()
        self.models: dict[str, SheetModel] = {}
        self.views: dict[str, QTableView] = {}

    def show_session(self, session: Session) -> None:
        self.clear()
        self.models, self.views = {}, {}
        amounts = session.amount_cells()
        for t in session.report.spec.tables.values():
            sheet = session.sheets.get(t.sheet_name)
            if sheet is None:
                continue
            marks = {c: fs for (s, c), fs in session.by_cell.items() if s == t.sheet_name}
            model = SheetModel(sheet, {c for s, c in amounts if s == t.sheet_name}, marks)
            view = QTableView()
            view.setModel(model)
            view.setEditTriggers(QAbstractItemView.NoEditTriggers)
            for r1, c1, r2, c2 in sheet.merged:
                view.setSpan(r1, c1, r2 - r1 + 1, c2 - c1 + 1)
            view.verticalHeader().setDefaultSectionSize(22)
            for c, width in enumerate(tablegrid.columns(t)[1]):  # the template's widths, in characters
                view.setColumnWidth(c, width * 8)
            self.models[t.sheet_name], self.views[t.sheet_name] = model, view
            errors = sum(1 for f in acks.open_findings(session.findings, "错误") if t.id in f.table.split("/"))
            self.addTab(view, t.number + (f"（{errors} 错）" if errors else ""))

    def jump_to(self, ref: CellRef) -> bool:
        view = self.views.get(ref.sheet)
        if view is None:
            return False
        self.setCurrentWidget(view)
        row, col = _position(ref.coord)
        index = view.model().index(row, col)
        view.setCurrentIndex(index)
        view.scrollTo(index, QAbstractItemView.PositionAtCenter)
        return True

    def highlight(self, cells: list[CellRef]) -> None:
        for sheet, model in self.models.items():
            model.highlight({c.coord for c in cells if c.sheet == sheet})


def _position(a1: str) -> tuple[int, int]:
    """'C7' → (6, 2), 0-based."""
    letters = "".join(ch for ch in a1 if ch.isalpha())
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch.upper()) - 64
    return int(a1[len(letters):]) - 1, col - 1


class FindingsTab(QWidget):
    """The findings, filtered; double-click jumps to the cell; right-click acknowledges a finding with a
    reason (written to the workbook's hidden _已确认 sheet off the UI thread, then re-checked)."""

    jump = Signal(object)  # CellRef
    recheck = Signal()
    ACK, UNACK = "确认此问题…", "取消确认"

    def __init__(self):
        super().__init__()
        self.path = None
        self.job = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.summary = QLabel("尚未打开工作簿")
        self.severity = QComboBox()
        self.severity.addItems(["全部级别", "错误", "警告", "提示", acks.ACKNOWLEDGED])
        self.table = QComboBox()
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索规则、单元格或说明")
        self.recheck_button = QPushButton("重新校验")
        for w in (self.summary, self.severity, self.table, self.search, self.recheck_button):
            bar.addWidget(w)
        bar.setStretch(3, 1)
        layout.addLayout(bar)
        self.model = FindingsModel([])
        self.proxy = FindingsFilter()
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.horizontalHeader().setSectionResizeMode(4, QHeaderView.Stretch)
        self.view.verticalHeader().setVisible(False)
        layout.addWidget(self.view)
        self.severity.currentTextChanged.connect(
            lambda s: self.proxy.set(severity="" if s == "全部级别" else s))
        self.table.currentIndexChanged.connect(lambda i: self.proxy.set(table=self.table.itemData(i) or ""))
        self.search.textChanged.connect(lambda text: self.proxy.set(words=text))
        self.view.doubleClicked.connect(self._open)
        self.view.setContextMenuPolicy(Qt.CustomContextMenu)
        self.view.customContextMenuRequested.connect(
            lambda pos: self._popup(self.view.indexAt(pos), self.view.viewport().mapToGlobal(pos)))
        self.recheck_button.clicked.connect(self.recheck)

    def show_session(self, session: Session) -> None:
        self.path = session.path
        self.model.beginResetModel()
        self.model.findings = session.findings
        self.model.endResetModel()
        c = {s: session.count(s) for s in ("错误", "警告", "提示")}
        done = session.acknowledged()
        self.summary.setText(f"错误 {c['错误']} 条，警告 {c['警告']} 条，提示 {c['提示']} 条"
                             + (f"，已确认 {done} 条" if done else ""))
        self.table.blockSignals(True)
        self.table.clear()
        self.table.addItem("全部表", "")
        for tid, t in sorted(session.report.tables.items()):
            self.table.addItem(t.spec.number, tid)
        for extra in sorted({f.table for f in session.findings if not f.table[:1].isdigit()}):
            self.table.addItem(extra, extra)
        self.table.blockSignals(False)
        self.view.resizeColumnsToContents()

    def _open(self, index) -> None:
        finding = self.proxy.data(index, Qt.UserRole)
        if finding is not None and finding.cell is not None:
            self.jump.emit(finding.cell)

    # ------------------------------------------------------------ acknowledging

    def menu_for(self, index) -> QMenu | None:
        """The right-click menu of a row: 确认此问题… (错误/警告 with a cell) and 取消确认 (when it has one)."""
        finding = self.proxy.data(index, Qt.UserRole) if index.isValid() else None
        if finding is None:
            return None
        menu = QMenu(self)
        ack = menu.addAction(self.ACK, lambda: self.acknowledge(finding))
        ack.setEnabled(finding.cell is not None and finding.severity in acks.ACKABLE)
        menu.addAction(self.UNACK, lambda: self.withdraw(finding)).setEnabled(finding.ack is not None)
        return menu

    def _popup(self, index, where) -> None:
        menu = self.menu_for(index)
        if menu is not None:
            menu.exec(where)

    def ask_reason(self, finding) -> str | None:
        text, ok = QInputDialog.getText(
            self, "确认此问题", f"{finding.rule} {finding.cell}：{finding.message}\n\n"
            "确认的原因（记入工作簿；所涉单元格的数一改，确认即失效）：",
            text=finding.ack.reason if finding.ack else "")
        return text.strip() if ok and text.strip() else None

    def acknowledge(self, finding) -> None:
        reason = self.ask_reason(finding)
        if reason is None:
            return
        target, path = f"{finding.rule}@{finding.cell}", self.path
        self._write(lambda progress: acks.acknowledge(path, target, reason), f"已确认 {target}")

    def withdraw(self, finding) -> None:
        target, path = f"{finding.rule}@{finding.cell}", self.path
        self._write(lambda progress: acks.withdraw(path, target), f"已取消对 {target} 的确认")

    def _write(self, work, done_text: str) -> None:
        if self.path is None or (self.job is not None and not self.job.finished):
            return

        def done(_result) -> None:
            self.summary.setText(f"{done_text}，重新校验…")
            self.recheck.emit()

        def failed(message: str, _detail: str) -> None:
            self.summary.setText(f"未能写入：{message}")
            QMessageBox(QMessageBox.Warning, "确认问题", message, parent=self).open()  # open(): never blocks

        self.job = workers.start(work, done, failed)


class _ValidatingDelegate(QStyledItemDelegate):
    """A line editor that turns red with the reason while the typed text is not a valid value."""

    def __init__(self, model_rows, status: QLabel):
        super().__init__()
        self.model_rows, self.status = model_rows, status

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        key = self.model_rows()[index.row()].key

        def check(text: str) -> None:
            problem = validate(key, text)
            editor.setStyleSheet("background:#FFC7CE" if problem else "")
            editor.setToolTip(problem)
            self.status.setText(problem)

        editor.textEdited.connect(check)
        return editor


class InputsTab(QWidget):
    save = Signal(dict)

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        self.status = QLabel("在“值”列填写；金额单位万元。保存时写回工作簿（先备份，整体替换），其他单元格不动。")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        split = QSplitter()
        self.inputs, self.reasons = InputsModel([]), InputsModel([])
        self.views = []
        for title, model in (("说明数据", self.inputs), ("原因说明", self.reasons)):
            box = QWidget()
            inner = QVBoxLayout(box)
            inner.addWidget(QLabel(title))
            view = QTableView()
            view.setModel(model)
            view.setItemDelegateForColumn(1, _ValidatingDelegate(lambda m=model: m.rows, self.status))
            view.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
            view.setColumnWidth(0, 260)
            view.verticalHeader().setVisible(False)
            inner.addWidget(view)
            split.addWidget(box)
            self.views.append(view)
        layout.addWidget(split, 1)
        self.save_button = QPushButton("保存到工作簿")
        self.save_button.clicked.connect(self._save)
        layout.addWidget(self.save_button)

    def show_session(self, session: Session) -> None:
        inputs, reasons = input_rows(session.sheets)
        for model, rows in ((self.inputs, inputs), (self.reasons, reasons)):
            model.beginResetModel()
            model.rows = rows
            model.endResetModel()

    def changes(self) -> dict[str, object]:
        return {**self.inputs.changes(), **self.reasons.changes()}

    def _save(self) -> None:
        bad = self.inputs.errors() + self.reasons.errors()
        if bad:
            self.status.setText(f"有 {len(bad)} 项填写有误（红色），请改正后再保存：{bad[0].label}：{bad[0].error}")
            return
        changes = self.changes()
        if not changes:
            self.status.setText("没有改动。")
            return
        self.save.emit(changes)


class NarrativeTab(QWidget):
    """The generated text; every number is a link, and clicking it shows the formula and cells it comes
    from and highlights those cells in the 表格 tab."""

    highlight = Signal(list)  # [CellRef]
    jump = Signal(object)

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        split = QSplitter(Qt.Vertical)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(self._clicked)
        self.source = QTextBrowser()
        self.source.setOpenLinks(False)
        self.source.anchorClicked.connect(lambda url: self.jump.emit(_cell_from_url(url)))
        self.source.setPlaceholderText("点击正文中的数字，查看它的公式和来源单元格。")
        split.addWidget(self.text)
        split.addWidget(self.source)
        split.setSizes([500, 150])
        layout.addWidget(split)
        self.uses = []
        self.titles: dict[str, str] = {}

    def show_session(self, session: Session) -> None:
        self.uses = session.narrative.uses
        self.titles = {s.id: s.title for p in session.narrative.parts for s in p.sections}
        self.text.setHtml(narrative_html(session))
        self.source.clear()

    def _clicked(self, url: QUrl) -> None:
        if url.scheme() != "fact":
            return
        self.show_fact(int(url.path()))

    def show_fact(self, n: int) -> None:
        use = self.uses[n]
        f = use.fact
        cells = "、".join(f'<a href="cell:{c}">{c}</a>' for c in f.cells) or "（说明数据，无表格单元格）"
        where = self.titles.get(use.section, use.section)
        self.source.setHtml(f"<p><b>{html.escape(use.text)}</b>　见“{html.escape(where)}”</p>"
                            f"<p>公式：{html.escape(f.formula)}</p><p>单元格：{cells}</p>")
        self.highlight.emit(list(f.cells))


def _cell_from_url(url: QUrl) -> CellRef:
    sheet, _, where = url.path().partition("!")
    return CellRef(sheet, where)


def narrative_html(session: Session) -> str:
    """The text as HTML: each printed number becomes a fact:N link. Facts were recorded in printing
    order, so each one is found by a forward search within its section."""
    doc = session.narrative
    uses = list(enumerate(doc.uses))
    out = [f"<h2 style='text-align:center'>{html.escape(doc.title)}</h2>"]
    i = 0
    for part in doc.parts:
        out.append(f"<h3 style='text-align:center'>{html.escape(part.title)}</h3>")
        for s in part.sections:
            out.append(f"<h4>{html.escape(s.title)}</h4>")
            for para in s.paragraphs:
                pos, pieces = 0, []
                while i < len(uses) and uses[i][1].section == s.id:
                    n, use = uses[i]
                    at = para.find(use.text, pos)
                    if at < 0:
                        break  # the next number is in a later paragraph
                    pieces.append(html.escape(para[pos:at]))
                    pieces.append(f'<a href="fact:{n}" style="text-decoration:none">{html.escape(use.text)}</a>')
                    pos = at + len(use.text)
                    i += 1
                pieces.append(html.escape(para[pos:]))
                text = "".join(pieces).replace("【待填写", "<span style='background:#FFEB9C'>【待填写")
                out.append(f"<p style='text-indent:2em'>{text}</p>")
            while i < len(uses) and uses[i][1].section == s.id:  # not found verbatim: skip, never mislink
                i += 1
    return "\n".join(out)


class ExportTab(QWidget):
    export = Signal(dict)
    cancel = Signal()

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("公开包总是包括：Word 文档、公开表.xlsx、校验报告、manifest.json。"))
        self.pdf = QCheckBox("PDF（需要 LibreOffice 或 Word）")
        self.pdf.setChecked(True)
        self.zip = QCheckBox("另打包为 .zip")
        self.force = QCheckBox("校验有错误时仍然导出（校验报告首页会注明）")
        for w in (self.pdf, self.zip, self.force):
            layout.addWidget(w)
        row = QHBoxLayout()
        self.folder = QLineEdit()
        choose = QPushButton("选择文件夹…")
        choose.clicked.connect(self._choose)
        row.addWidget(QLabel("输出到："))
        row.addWidget(self.folder)
        row.addWidget(choose)
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setRange(0, 10)
        self.progress.setValue(0)
        layout.addWidget(self.progress)
        self.stage = QLabel("")
        layout.addWidget(self.stage)
        buttons = QHBoxLayout()
        self.start_button = QPushButton("导出")
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setEnabled(False)
        self.open_button = QPushButton("打开文件夹")
        self.open_button.setEnabled(False)
        for b in (self.start_button, self.cancel_button, self.open_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.start_button.clicked.connect(self._start)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder.text())))

    def show_session(self, session: Session) -> None:
        self.folder.setText(str(session.path.parent / f"{session.path.stem}-公开包"))
        self.progress.setValue(0)
        self.stage.setText("")
        self.open_button.setEnabled(False)

    def _choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择输出文件夹", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _start(self) -> None:
        self.export.emit({"outdir": Path(self.folder.text()), "make_pdf": self.pdf.isChecked(),
                          "make_zip": self.zip.isChecked(), "force": self.force.isChecked()})

    def running(self, on: bool) -> None:
        self.start_button.setEnabled(not on)
        self.cancel_button.setEnabled(on)

    def on_progress(self, n: int, total: int, stage: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(n - 1)
        self.stage.setText(f"{stage}…（{n}/{total}）")

