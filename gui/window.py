"""The main window: a start page (open a workbook, import an export, recent files) and, once a workbook
is loaded, the tabs 表格 / 校验 / 说明数据·原因 / 情况说明 / 导出. Every long step (load, save, import,
export) runs on the thread pool; slots only hand results to the views.

What the officer typed is never dropped without asking: values edited in 说明数据/原因 and not saved yet
mark the title (*), can be undone (Ctrl+Z), saved (Ctrl+S) or saved elsewhere (另存为); closing, opening
another workbook, F5 and export ask first. Closing while work runs waits for it (an export is stopped at
its next step when the officer says so)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QApplication, QComboBox, QFileDialog, QHBoxLayout, QInputDialog, QLabel, QListWidget,
                               QMainWindow, QMessageBox, QPushButton, QStackedWidget, QTabWidget, QVBoxLayout, QWidget)

from disclosure import __version__, specs, workbook
from disclosure.checks.report import counts
from disclosure.model import CellRef
from disclosure.outputs import check_output

from . import guide, translations, wording, workers
from .history import InputsHistory
from .lintpage import LintPage
from .session import Session, save_copy
from .review import ReviewPage
from .tabs import ExportTab, FindingsTab, InputsTab, NarrativeTab, TablesTab

TITLE = "部门决算公开助手"
RECENT_KEY, RECENT_MAX, GEOMETRY_KEY = "recent", 8, "geometry"
FILTER = "工作簿 (*.xlsx *.xlsm)"
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
EXPORT = "导出公开包"


class StartPage(QWidget):
    def __init__(self, window: "MainWindow"):
        super().__init__()
        layout = QVBoxLayout(self)
        title = QLabel(f"<h2>{TITLE}</h2><p>打开已填好的工作簿，或导入部门决算、部门预算软件导出的报表；审核已公开的 PDF（只读）。</p>")
        layout.addWidget(title)
        row = QHBoxLayout()
        self.open_button = QPushButton("打开工作簿…（Ctrl+O）")
        self.import_button = QPushButton("导入报表…（Ctrl+I）")
        self.review_button = QPushButton("审核公开 PDF…（Ctrl+U）")
        # back to the workbook still open (after 返回首页): shown with its name only while there is one
        self.back_button = QPushButton()
        self.back_button.setVisible(False)
        self.year = QComboBox()
        self.year.addItem("自动识别表样", None)
        for name in specs.available_layouts(region=specs.ALL_REGIONS):  # 2023 年表样, 上海2024 表样 …
            self.year.addItem(specs.layout_words(name), name)
        for w in (self.open_button, self.import_button, self.review_button, QLabel("表样："), self.year):
            row.addWidget(w)
        row.addStretch(1)
        layout.addLayout(row)
        back = QHBoxLayout()  # a row of its own: a long file name must not widen the window
        back.addWidget(self.back_button)
        back.addStretch(1)
        layout.addLayout(back)
        layout.addWidget(QLabel("最近打开（单击打开）："))
        self.recent = QListWidget()
        layout.addWidget(self.recent)
        self.open_button.clicked.connect(window.choose_and_open)
        self.import_button.clicked.connect(window.choose_and_import)
        self.review_button.clicked.connect(window.choose_and_review)
        self.back_button.clicked.connect(window.back_to_workbook)
        # one click opens; Enter too (a double click also activates: open_path ignores the second request)
        self.recent.itemClicked.connect(lambda item: window.open_recent(Path(item.text())))
        self.recent.itemActivated.connect(lambda item: window.open_recent(Path(item.text())))


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None):
        super().__init__()
        translations.install()  # Qt's own buttons and dialogs in Chinese (确定、取消、文件名称…)
        self.settings = settings or QSettings("disclosure", "gui")
        self.session: Session | None = None
        self.job: workers.Job | None = None
        self.busy = False  # a job of the window runs (set and cleared on the UI thread, unlike job.finished)
        self.busy_with = ""
        self.loading: Path | None = None
        self.closing = False  # close as soon as the running job has ended
        self.closing_anyway = False  # the officer chose 不保存 when closing
        self.export_options: dict = {}
        self.setWindowTitle(TITLE)
        if not self.restoreGeometry(self.settings.value(GEOMETRY_KEY, QByteArray())):
            self.resize(1200, 780)
        self.stack = QStackedWidget()
        self.start = StartPage(self)
        self.tabs = QTabWidget()
        self.tables, self.findings, self.inputs = TablesTab(), FindingsTab(), InputsTab()
        self.narrative, self.exporter = NarrativeTab(), ExportTab()
        for widget, name in ((self.tables, "表格"), (self.findings, "校验"), (self.inputs, "说明数据/原因"),
                             (self.narrative, "情况说明"), (self.exporter, "导出")):
            self.tabs.addTab(widget, name)
        self.review = ReviewPage()  # a published PDF under review, read-only
        self.lint_page = LintPage()  # an existing 情况说明 checked against the open workbook
        self.stack.addWidget(self.start)
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.review)
        self.stack.addWidget(self.lint_page)
        self.stack.currentChanged.connect(lambda _: self._start_page_shown())
        self.review.annotate.connect(self.choose_and_annotate)
        self.review.prior.connect(self.choose_prior_for_review)
        self.review.to_workbook.connect(self.review_to_workbook)
        self.review.back.connect(self.show_start)
        self.lint_page.again.connect(self.choose_and_lint)
        self.lint_page.back.connect(self.back_to_workbook)
        self.lint_page.jump.connect(self._lint_jump)
        self.narrative.lint.connect(self.choose_and_lint)
        self.setCentralWidget(self.stack)
        self.findings.jump.connect(self.jump_to)
        self.findings.recheck.connect(self.recheck)
        self.inputs.save.connect(self.save_inputs)
        self.narrative.highlight.connect(self.tables.highlight)
        self.narrative.jump.connect(self.jump_to)
        self.exporter.export.connect(self.export)
        self.exporter.cancel.connect(self.cancel)
        try:
            self.exporter.open_button.clicked.disconnect()  # the tab opens it blindly; here a failure shows the path
        except (RuntimeError, TypeError):
            pass
        self.exporter.open_button.clicked.connect(self.open_folder)
        self.models = [self.inputs.inputs, self.inputs.reasons]
        self.history = InputsHistory(self.models, self)
        for model in self.models:
            model.dataChanged.connect(self._mark_unsaved)
            model.modelReset.connect(self._mark_unsaved)
        self._actions()
        self._refresh_recent()
        self._mark_unsaved()
        self._set_ready(False)
        self.statusBar().showMessage("就绪")

    # ------------------------------------------------------------ menus and shortcuts

    def _action(self, menu, text: str, keys, slot) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda checked=False: slot())  # slot(): never handed the `checked` flag
        menu.addAction(action)
        self.addAction(action)
        return action

    def _actions(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("文件")
        self._action(file, "打开工作簿…", QKeySequence.Open, self.choose_and_open)
        self._action(file, "导入报表…", "Ctrl+I", self.choose_and_import)
        self._action(file, "审核公开 PDF…", "Ctrl+U", self.choose_and_review)
        self.recent_menu = file.addMenu("最近打开")
        file.addSeparator()
        self.save_action = self._action(file, "保存", QKeySequence.Save, self.save)
        self.save_as_action = self._action(file, "另存为…", "Ctrl+Shift+S", self.choose_and_save_as)
        file.addSeparator()
        self.recheck_action = self._action(file, "重新校验", "F5", self.recheck)
        self.export_action = self._action(file, EXPORT, "Ctrl+E", self.show_export)
        self.lint_action = self._action(file, "核对情况说明…", "Ctrl+L", self.choose_and_lint)
        self._action(file, "批量校验…", "Ctrl+B", self.open_batch)
        self._action(file, "返回首页", "Ctrl+H", lambda: self.stack.setCurrentWidget(self.start))
        self.back_action = self._action(file, "回到当前工作簿", "Ctrl+Shift+H", self.back_to_workbook)
        self.back_action.setEnabled(False)  # a checked workbook first
        file.addSeparator()
        self._action(file, "退出", "Ctrl+Q", self.close)
        perf = bar.addMenu("绩效")
        self.perf_actions = [self._action(perf, "添加项目支出绩效自评表…", None, self.ask_and_add_project),
                             self._action(perf, "添加整体支出绩效自评表", None, lambda: self.add_perf_table(None))]
        for a in self.perf_actions:
            a.setEnabled(False)  # a checked 决算 workbook first
        edit = bar.addMenu("编辑")
        self.undo_action = self._action(edit, "撤销", QKeySequence.Undo, self.undo)
        self.redo_action = self._action(edit, "重做", QKeySequence.Redo, self.redo)
        helps = bar.addMenu("帮助")
        self._action(helps, "使用说明", QKeySequence.HelpContents, self.show_guide)
        self._action(helps, "快捷键", None, self.show_shortcuts)
        self._action(helps, "关于", None, self.about)

    def about_text(self) -> str:
        path = guide.guide_path()
        link = (f'<a href="{QUrl.fromLocalFile(str(path)).toString()}">《{path.stem}》</a>（F1）' if path
                else "随附的《安装与使用》")
        return (f"<h3>{TITLE}</h3><p>版本 {__version__}</p><p>导入、校验部门决算公开表，生成情况说明，"
                f"一键导出公开包（Word、PDF、公开表、校验报告）。</p><p>使用说明见{link}。</p>")

    def about(self) -> None:
        QMessageBox.about(self, f"关于{TITLE}", self.about_text())

    def show_guide(self) -> None:
        path = guide.guide_path()
        if path is None:
            self.statusBar().showMessage("没有找到使用说明文件（桌面程序.md）")
            return
        self.guide = guide.GuideDialog(path, self)
        self.guide.show()

    def show_shortcuts(self) -> None:
        self.shortcut_box = QMessageBox(QMessageBox.Information, "快捷键", guide.shortcuts_html(self.actions()),
                                        QMessageBox.Ok, self)
        self.shortcut_box.open()

    # ------------------------------------------------------------ background work

    def _run(self, what: str, work, on_done, on_progress=None, on_failed=None) -> workers.Job | None:
        if self.busy:
            self.statusBar().showMessage("上一项工作还在进行，请稍候。")
            return None
        self.busy, self.busy_with = True, what
        self.statusBar().showMessage(f"{what}…")
        failed = on_failed or (lambda message, detail: self._failed(what, message, detail))
        self.job = workers.start(work, lambda result: self._ended(on_done, result),
                                 lambda message, detail: self._ended(lambda _: failed(message, detail)), on_progress)
        return self.job

    def _ended(self, handler, result=None) -> None:
        self.busy, self.loading = False, None
        try:
            handler(result)
        finally:
            if self.closing:  # the officer closed the window while this ran
                self.closing = False
                QTimer.singleShot(0, self.close)

    def _failed(self, what: str, message: str, detail: str) -> None:
        message = wording.options(message)
        self.exporter.running(False)
        self.last_error = f"{what}未完成：{message}"
        if what == EXPORT:
            self.exporter.progress.setValue(0)  # not left at "（3/10）" as if it were still going
        if message == workers.CANCELLED:  # asked for: no error box
            self.statusBar().showMessage(f"{what}已取消")
            self.exporter.stage.setText("已取消，输出文件夹保持原样。")
            return
        self.statusBar().showMessage(f"{what}未完成")
        if what == EXPORT and self._refused():
            return
        box = QMessageBox(QMessageBox.Critical, TITLE, f"{what}未完成：{message}", parent=self)
        if detail:
            box.setDetailedText(detail)
        box.open()  # not exec(): a test or a second message never waits on it
        if what == EXPORT:
            self.exporter.stage.setText(f"未导出：{message}")

    # ------------------------------------------------------------ unsaved edits

    def changed_rows(self) -> list:
        return [r for model in self.models for r in model.rows if r.changed]

    def unsaved(self) -> bool:
        return self.session is not None and bool(self.changed_rows())

    def _mark_unsaved(self, *args) -> None:
        dirty = self.unsaved()
        self.setWindowModified(dirty)  # the "[*]" of the title shows as "*"
        self.save_action.setEnabled(self.session is not None)
        self.save_as_action.setEnabled(self.session is not None)

    def ask_unsaved(self, question: str, answer, save_text: str = "保存", discard_text: str = "不保存") -> None:
        """Ask SAVE, DISCARD or CANCEL in a box over the window listing what was changed; answer(choice).
        The box does not block (open(), not exec()): no nested event loop, and nothing waits on it."""
        rows = self.changed_rows()
        box = QMessageBox(QMessageBox.Warning, TITLE,
                          f"“说明数据/原因”中有 {len(rows)} 项修改还没有保存到工作簿。{question}", parent=self)
        box.setInformativeText("已修改：\n" + "\n".join(r.label for r in rows[:5]) + ("\n……" if len(rows) > 5 else ""))
        box.setStandardButtons(QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel)
        box.button(QMessageBox.Save).setText(save_text)
        box.button(QMessageBox.Discard).setText(discard_text)
        box.button(QMessageBox.Cancel).setText("取消")
        box.setDefaultButton(QMessageBox.Save)
        box.setEscapeButton(QMessageBox.Cancel)
        box.finished.connect(lambda _: answer({QMessageBox.Save: SAVE, QMessageBox.Discard: DISCARD}.get(
            box.standardButton(box.clickedButton()), CANCEL)))
        self.unsaved_box = box
        box.open()

    def settle_unsaved(self, doing: str, then) -> None:
        """Run `then` once the edits on screen are saved (Save) or given up (Discard); not at all on Cancel."""
        if not self.unsaved():
            then()
            return

        def answer(choice: str) -> None:
            if choice == SAVE:
                self.save(then=then)
            elif choice == DISCARD:
                then()

        self.ask_unsaved(f"{doing}前要保存吗？不保存，这些修改就会丢失。", answer)

    def undo(self) -> None:
        what = self.history.undo()
        self.statusBar().showMessage(f"已撤销：{what}" if what else "没有可以撤销的输入。")

    def redo(self) -> None:
        what = self.history.redo()
        self.statusBar().showMessage(f"已重做：{what}" if what else "没有可以重做的输入。")

    # ------------------------------------------------------------ open, import, check

    def _folder(self) -> str:
        """Where a file dialog starts: beside the open workbook, else the last one opened."""
        recent = self._recent()
        return str(self.session.path.parent if self.session else Path(recent[0]).parent if recent else "")

    def choose_and_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "打开工作簿", self._folder(), FILTER)
        if path:
            self.open_path(Path(path))  # asks about unsaved edits

    def open_path(self, path: Path) -> None:
        path = Path(path)
        if path.suffix.lower() == ".pdf":  # a published PDF opens for review, read-only
            self.review_pdf(path)
            return
        if self.busy and self.loading == path:  # the second half of a double click on a recent file
            return
        self.settle_unsaved(f"打开“{path.name}”", lambda: self._load(path))

    def _load(self, path: Path) -> None:
        if self._run(f"打开“{path.name}”", lambda progress: Session.read(path), self.show_session):
            self.loading = path

    def recheck(self) -> None:
        if self.session is not None:
            path = self.session.path
            self.settle_unsaved("重新校验（会重新读取工作簿）", lambda: self._load(path))

    def show_session(self, session: Session) -> None:
        """A workbook read: the 表格 tab first, painted at once. A session not checked yet is checked off the
        UI thread meanwhile (show_checks fills 校验 and 情况说明 when it is done); until then there is nothing
        to save, re-check or export, and those buttons wait."""
        self.tables.show_session(session)
        self.exporter.show_session(session)
        r = session.report
        region = "" if r.spec.region == specs.DEFAULT_REGION else f"（{r.spec.region}表样）"
        self.setWindowTitle(f"{r.unit_name} {r.year} 年度{r.kind}{region} — {session.path.name}[*] — {TITLE}")
        if session.ready:
            self.show_checks(session)
            self.stack.setCurrentWidget(self.tabs)
            return
        self.session = None
        self.findings.waiting(session)
        self.inputs.waiting()
        self.narrative.waiting()
        self._set_ready(False)
        self.stack.setCurrentWidget(self.tabs)
        what = f"校验“{session.path.name}”"
        self.statusBar().showMessage(f"{what}…")
        self._settle()
        if self.closing:  # the officer closed the window while it was read: it closes now, unchecked
            return
        if self._run(what, lambda progress: session.checked(), self.show_checks,
                     on_failed=lambda message, detail: self._check_failed(what, message, detail)):
            self.loading = session.path

    def _settle(self) -> None:
        """Lay out and paint what changed now, not in a later turn of the event loop: a check about to run on
        the thread pool would share the interpreter with the painting, and the window would wait for the
        check on every cell it paints."""
        # the previous workbook's pages (deleteLater in tables.show_session) go now too: deleted in the next
        # turn they would wait on the check for the interpreter at every object (a re-open stalled 45–90 ms)
        QApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        for _ in range(2):  # painting may ask for one more layout (the tab bar, the frozen rows' height)
            QApplication.sendPostedEvents(None, QEvent.LayoutRequest)
            QApplication.sendPostedEvents(self, QEvent.UpdateRequest)

    def show_checks(self, session: Session) -> None:
        """A checked session: the findings (in 校验 and as the tables' colours), 说明数据/原因 and the 情况说明;
        ready."""
        self.session = session
        self.tables.show_checks(session)
        self.inputs.show_session(session)  # together with self.session: unsaved() reads both
        self.findings.show_session(session)
        self.narrative.show_session(session)
        self._set_ready(True)
        for a in self.perf_actions:  # 绩效自评表 belong to a 决算 (a 预算's 绩效目标 are its 表13–表15)
            a.setEnabled(session.report.kind == specs.JUESUAN)
        self._mark_unsaved()
        self.statusBar().showMessage(f"已打开 {session.path.name}：{self.findings.summary.text()}")
        self._remember(session.path)

    def _check_failed(self, what: str, message: str, detail: str) -> None:
        """The file was read but not checked: back to the start page, never tables shown as if nothing were
        wrong with them."""
        self.stack.setCurrentWidget(self.start)
        self.setWindowTitle(TITLE)
        self._failed(what, message, detail)
        self._set_ready(False)

    def _set_ready(self, ready: bool) -> None:
        """The buttons that act on a checked workbook: enabled only when there is one."""
        for widget in (self.findings.recheck_button, self.inputs.save_button, self.exporter.start_button,
                       self.recheck_action, self.export_action, self.back_action, self.lint_action,
                       self.narrative.lint_button):
            widget.setEnabled(ready)

    def ask_and_add_project(self) -> None:
        name, ok = QInputDialog.getText(self, "添加项目支出绩效自评表", "项目名称：")
        if ok and name.strip():
            self.add_perf_table(name.strip())

    def add_perf_table(self, project: str | None) -> None:
        """A blank 项目 (or, project None, the 整体) 绩效自评表 added to the open workbook (backup, atomic
        replace), which is then read and checked again with the new sheet among its tabs."""
        if self.session is None:
            return
        path = self.session.path
        what = f"添加{'项目“' + project + '”' if project else '整体支出'}绩效自评表"

        def work(progress):
            from disclosure.perf.model import OVERALL, PROJECT
            from disclosure.perf.sheets import add_to_file

            name = project or self.session.report.unit_name
            return add_to_file(path, [None], [PROJECT if project else OVERALL], [name])[0]

        def added(sheet: str) -> None:
            self._load(path)
            self.statusBar().showMessage(f"已{what}：工作表“{sheet}”（原工作簿已备份）")

        self.settle_unsaved(what, lambda: self._run(what, work, added))

    # ------------------------------------------------------------ a published PDF under review

    def choose_and_review(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择要审核的公开 PDF", self._folder(), "PDF 文件 (*.pdf)")
        if path:
            self.review_pdf(Path(path))

    def review_pdf(self, path: Path, prior: Path | None = None) -> None:
        """Read a published PDF, check its tables and its text (disclosure/audit.py, off the UI thread), and show
        the result read-only; an open workbook with unsaved edits is asked about first. prior: last year's PDF or
        workbook, whose figures check the text's comparisons with 上年 (audit --prior)."""
        def work(progress):
            from disclosure.audit import audit

            return audit(path, prior=prior)

        def shown(result) -> None:
            self.review.show_audit(result)
            self.stack.setCurrentWidget(self.review)
            self.setWindowTitle(f"审核：{path.name}（只读） — {TITLE}")
            unread = "" if result.text_checked else "（情况说明未核对）"
            self.statusBar().showMessage(f"已审核 {path.name}：{counts(result.findings)}{unread}")

        self.settle_unsaved(f"审核“{path.name}”", lambda: self._run(f"审核 {path.name}", work, shown))

    def choose_prior_for_review(self) -> None:
        """The PDF under review audited again with last year's document (its 上年 figures)."""
        audit = self.review.audit
        if audit is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "选择上年公开的 PDF 或上年的工作簿", str(audit.path.parent),
                                              "上年的文件 (*.pdf *.xlsx *.xlsm);;所有文件 (*)")
        if path:
            self.review_pdf(audit.path, prior=Path(path))

    def choose_and_annotate(self) -> None:
        audit = self.review.audit
        if audit is None:
            return
        suggested = audit.path.with_name(audit.path.stem + "-标注.pdf")
        target, _ = QFileDialog.getSaveFileName(self, "另存标注 PDF", str(suggested), "PDF 文件 (*.pdf)")
        if not target:
            return

        def work(progress):
            from disclosure.outputs import check_output
            from disclosure.pdfin.annotate import annotate

            check_output(Path(target), {audit.path: "审核的 PDF"})  # never over the PDF under review
            return annotate(audit, target)

        self._run("另存标注 PDF", work, lambda out: self.statusBar().showMessage(
            f"已写出标注 PDF（{len(audit.findings)} 处标注）：{out}"))

    def review_to_workbook(self) -> None:
        """The PDF under review as a workbook to work on (last year's document, a 财政局 correcting it)."""
        audit = self.review.audit
        if audit is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, "保存为工作簿", str(audit.path.with_suffix("")) + "-公开.xlsx", FILTER)
        if target:
            self.import_export(audit.path, Path(target))

    def choose_and_lint(self) -> None:
        if self.session is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "选择要核对的情况说明", str(self.session.path.parent),
                                              "情况说明 (*.docx *.txt *.md);;所有文件 (*)")
        if path:
            self.lint_text(Path(path))

    def lint_text(self, path: Path) -> None:
        """An existing 情况说明 (.docx/.txt/.md) checked against the open workbook as `disclosure lint` does (off the
        UI thread), shown on its own page. Against the workbook as last saved: edits not saved yet are not in it,
        and the page says so."""
        session = self.session
        if session is None:
            return

        def work(progress):
            from disclosure.kinds import LINT, require
            from disclosure.lint import lint
            from disclosure.lint.text import read_text

            require(session.report, LINT)
            text = read_text(path)
            return text, lint(text, session.report)

        def shown(result) -> None:
            text, findings = result
            note = "“说明数据/原因”页有未保存的修改：以上按工作簿中已保存的内容核对" if self.unsaved() else ""
            self.lint_page.show_lint(path, text, findings, session.path.name, note)
            self.stack.setCurrentWidget(self.lint_page)
            self.statusBar().showMessage(f"已核对 {path.name}：{counts(findings)}")

        self._run(f"核对 {path.name}", work, shown)

    def _lint_jump(self, ref: CellRef) -> None:
        """A finding of the checked text double-clicked: its cell in the workbook's tabs."""
        self.stack.setCurrentWidget(self.tabs)
        self.jump_to(ref)

    def open_recent(self, path: Path) -> None:
        """A workbook chosen in 最近打开: the one open is shown again as it is (its edits kept; 重新校验 F5 reads
        the file again, as 打开工作簿… does), another one is opened."""
        if self.session is not None and not self.busy and _same_file(path, self.session.path):
            self.back_to_workbook()
        else:
            self.open_path(path)

    def back_to_workbook(self) -> None:
        """From the start page to the checked workbook still open (nothing read again, no edit lost)."""
        if self.session is not None:
            self.stack.setCurrentWidget(self.tabs)

    def _start_page_shown(self) -> None:
        """The start page offers the way back to a checked workbook still open, by its name."""
        there = self.session is not None and self.stack.currentWidget() is self.start
        if there:
            self.start.back_button.setText(f"回到“{self.session.path.name}”（Ctrl+Shift+H）")
        self.start.back_button.setVisible(there)

    def show_start(self) -> None:
        self.stack.setCurrentWidget(self.start if self.session is None else self.tabs)
        self.setWindowTitle(TITLE)
        if self.session is not None:
            self.show_session(self.session)

    def choose_and_import(self) -> None:
        source, _ = QFileDialog.getOpenFileName(self, "选择部门决算或部门预算软件导出的报表（或公开的 PDF）", self._folder(),
                                                "报表 (*.xlsx *.xls *.pdf)")
        if not source:
            return
        target, _ = QFileDialog.getSaveFileName(self, "保存为工作簿", str(Path(source).with_suffix("")) + "-公开.xlsx",
                                                FILTER)
        if target:
            self.import_export(Path(source), Path(target), self.start.year.currentData())  # asks about unsaved edits

    def import_export(self, source: Path, target: Path, layout: str | None = None) -> None:
        def work(progress):
            from disclosure.importers.export import import_export

            check_output(target, {source: "导入的报表"})  # not the export itself, a folder we may write in
            if source.suffix.lower() == ".pdf":  # a published PDF (disclosure/pdfin)
                from disclosure.pdfin import import_pdf

                report = import_pdf(source, layout=layout)
            else:
                report = import_export(source, layout=layout)
            workbook.save_atomic(workbook.build(report.spec, report), target)
            return Session.read(target), report.notices  # checked once its tables are on screen

        def imported(result) -> None:
            session, notices = result
            self.show_session(session)
            if notices:  # labels read by 行次 though printed otherwise, amounts converted from 元
                box = QMessageBox(QMessageBox.Information, TITLE,
                                  f"已导入。导入时有 {len(notices)} 条提示，请核对所列单元格：", parent=self)
                box.setDetailedText("\n".join(str(n) for n in notices))
                box.setInformativeText("\n".join(str(n) for n in notices[:5]) + ("\n……" if len(notices) > 5 else ""))
                box.open()

        self.settle_unsaved("导入报表", lambda: self._run(f"导入“{source.name}”", work, imported))

    # ------------------------------------------------------------ tabs' requests

    def jump_to(self, ref: CellRef) -> None:
        if self.tables.jump_to(ref):
            self.tabs.setCurrentWidget(self.tables)
            self.statusBar().showMessage(f"定位到 {ref}")
        elif ref.sheet in wording.INPUT_SHEETS:
            self.tabs.setCurrentWidget(self.inputs)
            self.inputs.select(ref)  # and the item's row selected, ready to type
            self.statusBar().showMessage(f"已转到“说明数据/原因”页（{ref.sheet}）中的这一项")
        else:
            self.statusBar().showMessage(f"{ref} 不在九张表中")

    # ------------------------------------------------------------ saving

    def save(self, then=None) -> None:
        """保存 (Ctrl+S): the edits of 说明数据/原因 into the workbook; then `then`."""
        if self.session is None or not self._valid():
            return
        changes = {**self.inputs.inputs.changes(), **self.inputs.reasons.changes()}
        if not changes:
            self.statusBar().showMessage("没有需要保存的修改。")
            if then:
                then()
            return
        self.save_inputs(changes, then)

    def _valid(self) -> bool:
        bad = [r for model in self.models for r in model.errors()]
        if bad:
            self.stack.setCurrentWidget(self.tabs)
            self.tabs.setCurrentWidget(self.inputs)
            message = f"有 {len(bad)} 项填写有误（红色），改正后才能保存：{bad[0].label}：{bad[0].error}"
            self.statusBar().showMessage(message)
            QMessageBox(QMessageBox.Warning, TITLE, message, parent=self).open()
        return not bad

    def save_inputs(self, changes: dict, then=None) -> None:
        path = self.session.path

        def work(progress):
            workbook.update_inputs(path, changes)
            return Session.load(path)

        def saved(session: Session) -> None:
            self.show_session(session)
            if then is None:
                self.tabs.setCurrentWidget(self.inputs)
            self.statusBar().showMessage(f"已保存 {len(changes)} 项到 {path.name}（原文件备份为 {path.stem}.备份{path.suffix}）")
            if then:
                then()

        self._run("保存说明数据", work, saved,
                  on_failed=lambda message, detail: self._save_failed(path, message, detail, then))

    def _save_failed(self, path: Path, message: str, detail: str, then) -> None:
        """A save that did not happen (a read-only folder, the file open in Excel/WPS): say so plainly, keep
        the edits on screen, offer 重试 and 另存为."""
        self.last_error = f"保存未完成：{message}"
        self.statusBar().showMessage(f"未能保存到 {path.name}，修改仍在屏幕上")
        box = QMessageBox(QMessageBox.Warning, TITLE, wording.save_failure(path.name, message), parent=self)
        if detail:
            box.setDetailedText(detail)
        save_as = box.addButton("另存为…", QMessageBox.AcceptRole)
        retry = box.addButton("重试", QMessageBox.ActionRole)
        box.addButton("取消", QMessageBox.RejectRole)

        def chosen(button) -> None:
            if button is save_as:
                self.choose_and_save_as(then)
            elif button is retry:
                self.save(then)

        box.buttonClicked.connect(chosen)
        self.save_box = box
        box.open()

    def choose_and_save_as(self, then=None) -> None:
        if self.session is None:
            return
        source = self.session.path
        target, _ = QFileDialog.getSaveFileName(self, "另存为", str(source.with_name(f"{source.stem}-副本{source.suffix}")),
                                                FILTER)
        if target:
            self.save_as(Path(target), then)

    def save_as(self, target: Path, then=None) -> None:
        """另存为: the workbook with the edits on screen written to `target`, which becomes the open workbook;
        the file opened before stays as it was."""
        if self.session is None or not self._valid():
            return
        source = self.session.path
        if target.suffix.lower() != source.suffix.lower():  # an .xlsm keeps its macros only as .xlsm
            target = target.with_name(target.name + source.suffix)
        changes = {**self.inputs.inputs.changes(), **self.inputs.reasons.changes()}

        def work(progress):
            save_copy(source, target, changes)
            return Session.load(target)

        def saved(session: Session) -> None:
            self.show_session(session)
            self.statusBar().showMessage(f"已另存为 {target}（{source.name} 未改动）")
            if then:
                then()

        self._run("另存为", work, saved,
                  on_failed=lambda message, detail: self._save_failed(target, message, detail, then))

    # ------------------------------------------------------------ export

    def show_export(self) -> None:
        if self.session is not None:
            self.stack.setCurrentWidget(self.tabs)
            self.tabs.setCurrentWidget(self.exporter)

    def export(self, options: dict, saved_or_not: bool = False) -> None:
        from disclosure.export import export_package

        if self.session is None:
            return
        if self.unsaved() and not saved_or_not:  # the export reads the file: edits only on screen would be missing
            def answer(choice: str) -> None:
                if choice == SAVE:
                    self.save(then=lambda: self.export(options))
                elif choice == DISCARD:
                    self.export(options, saved_or_not=True)

            self.ask_unsaved("导出用的是工作簿中已保存的内容，这些修改不会出现在公开包中。先保存再导出吗？", answer,
                             save_text="保存并导出", discard_text="按已保存的内容导出")
            return
        path = self.session.path
        self.export_options = options

        def work(progress):
            return export_package(path, progress=progress, **options)

        def done(result) -> None:
            self.exporter.running(False)
            self.exporter.progress.setValue(self.exporter.progress.maximum())
            self.exporter.open_button.setEnabled(True)
            notes = "".join(w if w.endswith("。") else w + "。" for w in result.warnings)  # each a sentence of its own
            self.exporter.stage.setText(f"已导出 {len(result.files)} 个文件到 {result.outdir}。{notes}")
            self.statusBar().showMessage(f"已导出到 {result.outdir}")
            self.last_export = result

        if self._run(EXPORT, work, done, self.exporter.on_progress):
            self.exporter.running(True)

    def _refused(self) -> bool:
        """The check found 错误: the window's own words and buttons (查看校验、仍然导出) instead of the command
        line's advice. False when the failure was something else."""
        from disclosure.export import ExportRefused

        error = self.job.error if self.job is not None else None
        if not isinstance(error, ExportRefused):
            return False
        self.exporter.stage.setText("未导出：校验有错误，见“校验”页。" if error.table_errors
                                    else "未导出：情况说明有错误，改正说明数据或原因后重新导出。")
        box = QMessageBox(QMessageBox.Warning, TITLE, wording.refusal(error), parent=self)
        box.setDetailedText("\n".join(wording.plain(p) for p in error.problems))
        # where the 错误 are mended: the 校验 page lists the tables'; the 情况说明's come from 说明数据/原因
        page = self.findings if error.table_errors else self.inputs
        look = box.addButton("查看校验" if error.table_errors else "查看说明数据", QMessageBox.AcceptRole)
        anyway = box.addButton("仍然导出", QMessageBox.DestructiveRole)
        box.addButton("取消", QMessageBox.RejectRole)
        options = dict(self.export_options)

        def chosen(button) -> None:
            if button is look:
                self.tabs.setCurrentWidget(page)
                if page is self.findings:
                    self.findings.severity.setCurrentText("错误")
            elif button is anyway:
                self.export({**options, "force": True})

        box.buttonClicked.connect(chosen)
        self.refusal_box = box
        box.open()
        return True

    def cancel(self) -> None:
        if self.job is not None and self.busy:
            self.job.cancel()
            self.exporter.stage.setText("正在取消（当前步骤结束后停止，输出文件夹保持原样）…")

    def open_folder(self) -> None:
        """打开文件夹; where no program opens folders (no file manager on the machine), the path to go to."""
        folder = str(self.last_export.outdir) if getattr(self, "last_export", None) else self.exporter.folder.text()
        if QDesktopServices.openUrl(QUrl.fromLocalFile(folder)):
            return
        box = QMessageBox(QMessageBox.Information, TITLE, f"这台电脑上没有可以打开文件夹的程序。公开包在：\n\n{folder}",
                          parent=self)
        box.setTextInteractionFlags(Qt.TextSelectableByMouse)
        copy = box.addButton("复制路径", QMessageBox.ActionRole)
        box.addButton(QMessageBox.Ok)
        box.buttonClicked.connect(lambda b: b is copy and QGuiApplication.clipboard().setText(folder))
        self.folder_box = box
        box.open()

    def open_batch(self) -> None:
        from .batch import BatchWindow

        self.batch = BatchWindow(self)
        self.batch.open_workbook.connect(self.open_path)  # double-click on a row
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
        existing = [p for p in self._recent() if Path(p).exists()]
        self.start.recent.clear()
        self.start.recent.addItems(existing)
        self.recent_menu.clear()
        for p in existing:
            self.recent_menu.addAction(p, lambda p=p: self.open_recent(Path(p)))
        self.recent_menu.setEnabled(bool(existing))

    # ------------------------------------------------------------ closing

    def closeEvent(self, event) -> None:
        if self.busy:  # never let the work outlive the window (its signals would find nobody)
            event.ignore()
            self._close_after_job()
            return
        if self.unsaved() and not self.closing_anyway:
            event.ignore()
            self.ask_unsaved("关闭前要保存吗？不保存，这些修改就会丢失。", self._close_answered)
            return
        self.closing_anyway = False
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        batch = getattr(self, "batch", None)
        if batch is not None:
            batch.close()
        super().closeEvent(event)

    def _close_answered(self, choice: str) -> None:
        if choice == SAVE:
            self.save(then=self.close)
        elif choice == DISCARD:
            self.closing_anyway = True
            self.close()

    def _close_after_job(self) -> None:
        if self.closing:
            return
        if self.busy_with != EXPORT:  # a load, save or import: short, and not to be cut off
            self._close_when_done()
            return
        box = QMessageBox(QMessageBox.Question, TITLE, "正在导出公开包。要停止导出并关闭窗口吗？\n"
                          "（当前步骤结束后停止，输出文件夹保持原样）", parent=self)
        stop = box.addButton("停止并关闭", QMessageBox.AcceptRole)
        box.addButton("继续导出", QMessageBox.RejectRole)

        def chosen(button) -> None:
            if button is stop and self.busy:
                self.cancel()
                self._close_when_done()
            elif button is stop:  # the export ended while the box was up
                self.close()

        box.buttonClicked.connect(chosen)
        self.stop_box = box
        box.open()

    def _close_when_done(self) -> None:
        self.closing = True
        self.statusBar().showMessage("正在停止导出，当前步骤结束后关闭窗口…" if self.busy_with == EXPORT
                                     else f"{self.busy_with}完成后关闭窗口…")


def _same_file(a: Path, b: Path) -> bool:
    """The same file, however the path is written (relative, another case on Windows, a link)."""
    try:
        return a.samefile(b)
    except OSError:  # one of them is gone
        return False
