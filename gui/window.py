"""The main window: a start page (open a workbook, import an export, recent files) and, once a workbook
is loaded, the tabs 表格 / 校验 / 说明数据·原因 / 情况说明 / 导出. Every long step (load, save, import,
export) runs on the thread pool; slots only hand results to the views."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QLabel, QListWidget, QMainWindow, QMessageBox,
                               QPushButton, QStackedWidget, QTabWidget, QVBoxLayout, QWidget)

from disclosure import __version__, specs, workbook
from disclosure.errors import DisclosureError
from disclosure.model import CellRef

from . import workers
from .session import Session
from .tabs import ExportTab, FindingsTab, InputsTab, NarrativeTab, TablesTab

TITLE = "部门决算公开助手"
RECENT_KEY, RECENT_MAX = "recent", 8
FILTER = "工作簿 (*.xlsx *.xlsm)"


class StartPage(QWidget):
    def __init__(self, window: "MainWindow"):
        super().__init__()
        layout = QVBoxLayout(self)
        title = QLabel(f"<h2>{TITLE}</h2><p>打开已填好的工作簿，或导入部门决算软件导出的报表。</p>")
        layout.addWidget(title)
        row = QHBoxLayout()
        self.open_button = QPushButton("打开工作簿…（Ctrl+O）")
        self.import_button = QPushButton("导入报表…（Ctrl+I）")
        self.year = QComboBox()
        self.year.addItem("自动识别表样", None)
        for layout_year in specs.available_layouts():
            self.year.addItem(f"{layout_year} 年表样", layout_year)
        for w in (self.open_button, self.import_button, QLabel("表样："), self.year):
            row.addWidget(w)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(QLabel("最近打开："))
        self.recent = QListWidget()
        layout.addWidget(self.recent)
        self.open_button.clicked.connect(window.choose_and_open)
        self.import_button.clicked.connect(window.choose_and_import)
        self.recent.itemActivated.connect(lambda item: window.open_path(Path(item.text())))


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None):
        super().__init__()
        self.settings = settings or QSettings("disclosure", "gui")
        self.session: Session | None = None
        self.job: workers.Job | None = None
        self.setWindowTitle(TITLE)
        self.resize(1200, 780)
        self.stack = QStackedWidget()
        self.start = StartPage(self)
        self.tabs = QTabWidget()
        self.tables, self.findings, self.inputs = TablesTab(), FindingsTab(), InputsTab()
        self.narrative, self.exporter = NarrativeTab(), ExportTab()
        for widget, name in ((self.tables, "表格"), (self.findings, "校验"), (self.inputs, "说明数据/原因"),
                             (self.narrative, "情况说明"), (self.exporter, "导出")):
            self.tabs.addTab(widget, name)
        self.stack.addWidget(self.start)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)
        self.findings.jump.connect(self.jump_to)
        self.findings.recheck.connect(self.recheck)
        self.inputs.save.connect(self.save_inputs)
        self.narrative.highlight.connect(self.tables.highlight)
        self.narrative.jump.connect(self.jump_to)
        self.exporter.export.connect(self.export)
        self.exporter.cancel.connect(self.cancel)
        self._actions()
        self._refresh_recent()
        self.statusBar().showMessage("就绪")

    # ------------------------------------------------------------ menus and shortcuts

    def _actions(self) -> None:
        menu = self.menuBar().addMenu("文件")
        for text, keys, slot in (("打开工作簿…", QKeySequence.Open, self.choose_and_open),
                                 ("导入报表…", QKeySequence("Ctrl+I"), self.choose_and_import),
                                 ("重新校验", QKeySequence("F5"), self.recheck),
                                 ("导出公开包", QKeySequence("Ctrl+E"), self.show_export),
                                 ("批量校验…", QKeySequence("Ctrl+B"), self.open_batch),
                                 ("返回首页", QKeySequence("Ctrl+H"), lambda: self.stack.setCurrentWidget(self.start))):
            action = QAction(text, self)
            action.setShortcut(keys)
            action.triggered.connect(slot)
            menu.addAction(action)
            self.addAction(action)
        about = QAction("关于", self)
        about.triggered.connect(self.about)
        self.menuBar().addMenu("帮助").addAction(about)
        self.addAction(about)

    def about_text(self) -> str:
        return (f"<h3>{TITLE}</h3><p>版本 {__version__}</p><p>导入、校验部门决算公开表，生成情况说明，"
                "一键导出公开包（Word、PDF、公开表、校验报告）。</p><p>使用说明见随附的《安装与使用》。</p>")

    def about(self) -> None:
        QMessageBox.about(self, f"关于{TITLE}", self.about_text())

    # ------------------------------------------------------------ background work

    def _run(self, what: str, work, on_done, on_progress=None) -> workers.Job | None:
        if self.job is not None and not self.job.finished:
            self.statusBar().showMessage("上一项工作还在进行，请稍候。")
            return None
        self.statusBar().showMessage(f"{what}…")
        self.job = workers.start(work, on_done, lambda message, detail: self._failed(what, message, detail),
                                 on_progress)
        return self.job

    def _failed(self, what: str, message: str, detail: str) -> None:
        self.exporter.running(False)
        self.last_error = f"{what}未完成：{message}"
        if message == workers.CANCELLED:  # asked for: no error box
            self.statusBar().showMessage(f"{what}已取消")
            self.exporter.stage.setText("已取消，输出文件夹保持原样。")
            return
        self.statusBar().showMessage(f"{what}未完成")
        box = QMessageBox(QMessageBox.Critical, TITLE, f"{what}未完成：{message}", parent=self)
        if detail:
            box.setDetailedText(detail)
        box.open()  # not exec(): a test or a second message never waits on it

    # ------------------------------------------------------------ open, import, check

    def choose_and_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "打开工作簿", "", FILTER)
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> None:
        self._run(f"打开 {path.name}", lambda progress: Session.load(path), self.show_session)

    def recheck(self) -> None:
        if self.session is not None:
            self.open_path(self.session.path)

    def show_session(self, session: Session) -> None:
        self.session = session
        for tab in (self.tables, self.findings, self.inputs, self.narrative, self.exporter):
            tab.show_session(session)
        r = session.report
        self.setWindowTitle(f"{r.unit_name} {r.year} 年度 — {session.path.name} — {TITLE}")
        self.stack.setCurrentWidget(self.tabs)
        self.statusBar().showMessage(f"已打开 {session.path.name}：{self.findings.summary.text()}")
        self._remember(session.path)

    def choose_and_import(self) -> None:
        source, _ = QFileDialog.getOpenFileName(self, "选择部门决算软件导出的报表", "", "Excel 文件 (*.xlsx *.xls)")
        if not source:
            return
        target, _ = QFileDialog.getSaveFileName(self, "保存为工作簿", str(Path(source).with_suffix("")) + "-决算公开.xlsx",
                                                FILTER)
        if target:
            self.import_export(Path(source), Path(target), self.start.year.currentData())

    def import_export(self, source: Path, target: Path, layout: str | None = None) -> None:
        def work(progress):
            from disclosure.importers.export import import_export

            if target.resolve() == source.resolve():
                raise DisclosureError("保存的工作簿不能覆盖导入的报表")
            report = import_export(source, layout=layout)
            workbook.save_atomic(workbook.build(report.spec, report), target)
            return Session.load(target), report.notices

        def imported(result) -> None:
            session, notices = result
            self.show_session(session)
            if notices:  # labels read by 行次 though printed otherwise, amounts converted from 元
                box = QMessageBox(QMessageBox.Information, TITLE,
                                  f"已导入。导入时有 {len(notices)} 条提示，请核对所列单元格：", parent=self)
                box.setDetailedText("\n".join(str(n) for n in notices))
                box.setInformativeText("\n".join(str(n) for n in notices[:5]) + ("\n……" if len(notices) > 5 else ""))
                box.open()

        self._run(f"导入 {source.name}", work, imported)

    # ------------------------------------------------------------ tabs' requests

    def jump_to(self, ref: CellRef) -> None:
        if self.tables.jump_to(ref):
            self.tabs.setCurrentWidget(self.tables)
            self.statusBar().showMessage(f"定位到 {ref}")
        else:
            self.statusBar().showMessage(f"{ref} 不在九张表中（在“说明数据/原因”页填写）")
            if ref.sheet in ("说明数据", "原因说明"):
                self.tabs.setCurrentWidget(self.inputs)

    def save_inputs(self, changes: dict) -> None:
        path = self.session.path

        def work(progress):
            workbook.update_inputs(path, changes)
            return Session.load(path)

        def saved(session: Session) -> None:
            self.show_session(session)
            self.tabs.setCurrentWidget(self.inputs)
            self.statusBar().showMessage(f"已保存 {len(changes)} 项到 {path.name}（原文件备份为 {path.stem}.备份{path.suffix}）")

        self._run("保存说明数据", work, saved)

    def show_export(self) -> None:
        if self.session is not None:
            self.stack.setCurrentWidget(self.tabs)
            self.tabs.setCurrentWidget(self.exporter)

    def export(self, options: dict) -> None:
        from disclosure.export import export_package

        path = self.session.path

        def work(progress):
            return export_package(path, progress=progress, **options)

        def done(result) -> None:
            self.exporter.running(False)
            self.exporter.progress.setValue(self.exporter.progress.maximum())
            self.exporter.open_button.setEnabled(True)
            notes = "；".join(result.warnings)
            self.exporter.stage.setText(f"已导出 {len(result.files)} 个文件到 {result.outdir}" + (f"。{notes}" if notes else ""))
            self.statusBar().showMessage(f"已导出到 {result.outdir}")
            self.last_export = result

        if self._run("导出公开包", work, done, self.exporter.on_progress):
            self.exporter.running(True)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.exporter.stage.setText("正在取消（当前步骤结束后停止，输出文件夹保持原样）…")

    def open_batch(self) -> None:
        from .batch import BatchWindow

        self.batch = BatchWindow(self)
        self.batch.show()

    # ------------------------------------------------------------ recent files

    def _remember(self, path: Path) -> None:
        recent = [str(path)] + [p for p in self._recent() if p != str(path)]
        self.settings.setValue(RECENT_KEY, recent[:RECENT_MAX])
        self._refresh_recent()

    def _recent(self) -> list[str]:
        value = self.settings.value(RECENT_KEY) or []
        return [value] if isinstance(value, str) else list(value)

    def _refresh_recent(self) -> None:
        self.start.recent.clear()
        self.start.recent.addItems([p for p in self._recent() if Path(p).exists()])

    def closeEvent(self, event) -> None:
        if self.job is not None and not self.job.finished:
            self.job.cancel()
        super().closeEvent(event)

