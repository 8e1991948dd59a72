"""The tabs of the main window, each a view of the loaded Session:
表格 (the nine tables), 校验 (findings), 说明数据/原因 (inputs, editable), 情况说明 (text with the source
of every number), 导出 (the package)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QHeaderView,
                               QInputDialog, QLabel, QLineEdit, QMenu, QMessageBox, QProgressBar, QPushButton,
                               QSplitter, QTableView, QTabWidget, QTextBrowser, QVBoxLayout, QWidget)

from disclosure import acks, tablegrid
from disclosure.checks.report import ACK_FILL, SEVERITY_FILL
from disclosure.checks.rules.prior import balances
from disclosure.inputs import INPUT_SHEET, REASON_SHEET, field_for
from disclosure.specs import YUSUAN, layout_words, other_year_note, read_with_other_year
from disclosure.model import CellRef

from . import workers
from .entry import EntryView
from .frozen import FrozenRowsView
from .models import HIGHLIGHT, FindingsFilter, FindingsModel, InputsModel, SheetModel, input_rows
from .session import Session
from .wording import place


_SWATCH = "<span style='background:#{0}'>&nbsp;&nbsp;&nbsp;&nbsp;</span>"


def legend(items: list[tuple[str, str]]) -> QLabel:
    """A line of colour swatches with what each colour means."""
    label = QLabel("&nbsp;&nbsp;".join(_SWATCH.format(colour) + "&nbsp;" + html.escape(text) for colour, text in items))
    label.setToolTip("单元格颜色的含义")
    return label


class Legend(QLabel):
    """The colour legend beside the table tabs, in as many words as the width leaves them: every meaning in full,
    in a word, or the swatches alone (the tooltip always says them all) — a narrow window (or a 预算's fifteen
    tables) no longer hides tabs behind the legend."""

    def __init__(self, items: list[tuple[str, str, str]]):
        """items: (colour, meaning, a word for it)."""
        super().__init__()
        join = "&nbsp;&nbsp;".join
        self.forms = [join(_SWATCH.format(c) + "&nbsp;" + html.escape(full) for c, full, _ in items),
                      join(_SWATCH.format(c) + "&nbsp;" + html.escape(word) for c, _, word in items),
                      "&nbsp;".join(_SWATCH.format(c) for c, _, _ in items)]
        self.setText(self.forms[0])
        self.setToolTip(f"单元格颜色的含义：<br>{self.forms[0]}")  # the swatches with their full meanings

    def fit(self, room: int) -> None:
        """The longest form within room pixels (the swatches alone when none is)."""
        for text in self.forms:
            if text != self.text():
                self.setText(text)
            if self.sizeHint().width() <= room:
                return


class TablesTab(QTabWidget):
    """The nine tables, read-only, in the layout of the workbook's own sheets (merged header cells); the title
    and column headers stay on screen while the body scrolls; a legend in the corner says what colours mean.

    Opening a workbook makes only the sheet on screen: the others get their view (frozen rows, spans,
    widths) when first shown. The findings' colours and counts come later, with show_checks()."""

    LEGEND = [(SEVERITY_FILL["错误"], "错误", "错"), (SEVERITY_FILL["警告"], "警告", "警"), (SEVERITY_FILL["提示"], "提示", "提"),
              (ACK_FILL, "已确认", "确认"), (HIGHLIGHT.color().name()[1:].upper(), "情况说明中所点数字的来源", "来源")]

    def __init__(self):
        super().__init__()
        self.models: dict[str, SheetModel] = {}
        self.views: dict[str, FrozenRowsView] = {}  # the sheets shown so far
        self.pages: dict[str, SheetPage] = {}
        self.legend = Legend(self.LEGEND)
        self.setCornerWidget(self.legend, Qt.TopRightCorner)
        self.currentChanged.connect(lambda i: self.current_view())

    def fit_legend(self) -> None:
        """The legend in the room the tabs leave (their labels change with the findings' counts)."""
        self.legend.fit(self.width() - self.tabBar().sizeHint().width() - 8)

    def resizeEvent(self, event) -> None:
        self.fit_legend()
        super().resizeEvent(event)

    def show_session(self, session: Session) -> None:
        old = [self.widget(i) for i in range(self.count())]
        self.models, self.views, self.pages = {}, {}, {}  # before clear(): no old sheet gets its view made
        self.clear()
        for w in old:  # clear() only takes the pages off the tabs; hidden now, not repainted when deleted
            w.hide()
            w.deleteLater()
        amounts: dict[str, set[str]] = {}
        for name, where in session.amount_cells():
            amounts.setdefault(name, set()).add(where)
        for t in session.report.spec.tables.values():
            name = t.sheet_name
            sheet = session.sheets.get(name)
            if sheet is None:
                continue
            cells = amounts.get(name, set())
            self.models[name] = SheetModel(sheet, cells, {})
            self.pages[name] = SheetPage(t, sheet, cells)
            self.addTab(self.pages[name], t.number)  # the first one gets its view here (currentChanged)
        for pt in session.report.perf.tables if session.report.perf else []:  # 绩效-整体, 绩效-项目1 …
            sheet = session.sheets.get(pt.sheet)
            if sheet is None or pt.sheet in self.pages:
                continue
            cells = amounts.get(pt.sheet, set())
            self.models[pt.sheet] = SheetModel(sheet, cells, {})
            self.pages[pt.sheet] = SheetPage(None, sheet, cells)
            self.addTab(self.pages[pt.sheet], pt.sheet)
        self.fit_legend()

    def view(self, sheet: str) -> FrozenRowsView | None:
        """The sheet's view, made now if it was not shown yet."""
        page = self.pages.get(sheet)
        if page is None:
            return None
        if page.view is None:
            self.views[sheet] = page.make(self.models[sheet])
        return page.view

    def current_view(self) -> FrozenRowsView | None:
        page = self.currentWidget()
        return self.view(page.sheet.name) if page is not None else None

    def show_checks(self, session: Session) -> None:
        """The findings of a checked session: cell colours and tooltips, and the open 错误 per tab."""
        marks: dict[str, dict[str, list]] = {}
        for (sheet, where), found in session.by_cell.items():
            marks.setdefault(sheet, {})[where] = found
        errors = acks.open_findings(session.findings, "错误")
        for sheet, page in self.pages.items():
            self.models[sheet].mark(marks.get(sheet, {}))
            if page.table is None:  # a 绩效 sheet: its 错误 are the ones at its cells
                n = sum(1 for f in errors if any(c.sheet == sheet for c in f.cells or [f.cell] if c))
                label = sheet
            else:
                n = sum(1 for f in errors if page.table.id in f.table.split("/"))
                label = page.table.number
            self.setTabText(self.indexOf(page), label + (f"（{n} 错）" if n else ""))
        self.fit_legend()

    def jump_to(self, ref: CellRef) -> bool:
        view = self.view(ref.sheet)
        if view is None:
            return False
        self.setCurrentWidget(self.pages[ref.sheet])
        row, col = _position(ref.coord)
        index = view.model().index(row, col)
        view.setCurrentIndex(index)
        view.scrollTo(index, QAbstractItemView.PositionAtCenter)
        return True

    def highlight(self, cells: list[CellRef]) -> None:
        for sheet, model in self.models.items():
            model.highlight({c.coord for c in cells if c.sheet == sheet})


PERF_COLUMN = 12  # characters: a column of a 绩效 sheet in the 表格 tab


class SheetPage(QWidget):
    """One tab of 表格: empty until make() puts the sheet's view in it (a view costs a few milliseconds to
    make and lay out, nine of them more than opening may take)."""

    def __init__(self, table, sheet, amount_cells: set[str]):
        super().__init__()
        self.table, self.sheet, self.amount_cells = table, sheet, amount_cells
        self.view: FrozenRowsView | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def make(self, model: SheetModel) -> FrozenRowsView:
        view = FrozenRowsView()
        view.setModel(model)
        view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        view.verticalHeader().setDefaultSectionSize(22)
        t = self.table  # None: a 绩效 sheet, a form with several blocks (nothing frozen, even widths)
        with view.setting_up():
            view.freeze(_body_row(t, self.amount_cells) if t is not None else 0)
            for r1, c1, r2, c2 in self.sheet.merged:
                view.span(r1, c1, r2 - r1 + 1, c2 - c1 + 1)
            widths = tablegrid.columns(t)[1] if t is not None else [PERF_COLUMN] * model.columnCount()
            for c, width in enumerate(widths):  # the template's widths, in characters
                view.setColumnWidth(c, width * 8)
        self.layout().addWidget(view)
        view.show()  # now: a layout shows a widget added to a visible page only in a later turn of the event loop
        self.view = view
        return view


def _body_row(t, amount_cells: set[str]) -> int:
    """The first row (0-based) below the title and column headers: where the table's first amount is, or,
    for a table with no rows, below the template's title lines and the spec's header."""
    if amount_cells:
        return min(_position(c)[0] for c in amount_cells)
    return 3 + tablegrid.layout(t, None).header_rows


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
        # fitting the columns reads this many rows, not every finding (a hidden view would read them all)
        self.view.horizontalHeader().setResizeContentsPrecision(50)
        self.view.verticalHeader().setVisible(False)
        layout.addWidget(self.view)
        self.severity.currentTextChanged.connect(
            lambda s: self.proxy.set(severity="" if s == "全部级别" else s))
        self.table.currentIndexChanged.connect(lambda i: self.proxy.set(table=self.table.itemData(i) or ""))
        self.search.textChanged.connect(lambda text: self.proxy.set(words=text))
        self.view.activated.connect(self._open)  # a double click, or Enter on the chosen row
        self.view.setContextMenuPolicy(Qt.CustomContextMenu)
        self.view.customContextMenuRequested.connect(
            lambda pos: self._popup(self.view.indexAt(pos), self.view.viewport().mapToGlobal(pos)))
        self.recheck_button.clicked.connect(self.recheck)

    def waiting(self, session: Session) -> None:
        """The workbook is read and being checked: no list yet (not an empty one), nothing to re-check."""
        self.path = session.path
        self._fill([])
        self.summary.setText(f"正在校验 {session.path.name}…")
        self.recheck_button.setEnabled(False)

    def _fill(self, findings: list) -> None:
        self.model.beginResetModel()
        self.model.findings = findings
        self.model.endResetModel()

    def show_session(self, session: Session) -> None:
        self.path = session.path
        self._fill(session.findings)
        self.recheck_button.setEnabled(True)
        c = {s: session.count(s) for s in ("错误", "警告", "提示")}
        done = session.acknowledged()
        self.summary.setText(f"错误 {c['错误']} 条，警告 {c['警告']} 条，提示 {c['提示']} 条"
                             + (f"，已确认 {done} 条" if done else ""))
        r = session.report
        other_year = read_with_other_year(r.spec, r.year)  # a 2025 决算 checked by the 2024 表样's relations
        if other_year:
            self.summary.setText(self.summary.text() + f"（按 {layout_words(r.layout)}校验：还没有 {r.year} 年的表样）")
        self.summary.setToolTip(other_year_note(r.spec, r.year) if other_year else "")
        self.table.blockSignals(True)
        self.table.clear()
        self.table.addItem("全部表", "")
        for tid, t in sorted(session.report.tables.items()):
            self.table.addItem(t.spec.number, tid)
        for extra in sorted({f.table for f in session.findings if not f.table[:1].isdigit()}):
            self.table.addItem(extra, extra)
        kept = max(self.table.findData(self.proxy.table), 0)  # the table chosen before (F5), else 全部表
        self.table.setCurrentIndex(kept)
        self.table.blockSignals(False)
        self.proxy.set(table=self.table.itemData(kept) or "")
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


class InputsTab(QWidget):
    """说明数据 and 原因说明 side by side, entered as in Excel (gui.entry). Saving writes them back to the
    workbook (backup first, the file replaced as a whole)."""

    save = Signal(dict)
    INSTRUCTION = ("在“值”列填写：选中后直接打字，或双击、F2 修改；回车确认并到下一项；Delete 清空；可从 Excel 复制一列后 "
                   "Ctrl+V 粘贴。名单、职责等多行内容中回车换行，Tab 或点别处结束。金额单位万元；留空表示未填写，确实为零请填 0。"
                   "“保存到工作簿”写回这两张表（先备份，整体替换），其他单元格不动。")
    NO_REASONS = ("还没有需要说明原因的事项。原因说明按本年数与“上年决算”数、“年初预算”数的比较列出：请先在左边“说明数据”中填写"
                  "上年决算各项和年初预算，保存到工作簿，这里就会列出需要说明原因的事项（增加/减少等方向已写明，只需填写原因）。")
    NO_CHANGES = "按已填写的上年决算数和年初预算数，本年没有需要说明原因的变动。"
    # a 部门预算 compares with last year's budget only
    NO_REASONS_BUDGET = ("还没有需要说明原因的事项。原因说明按本年预算数与“上年预算”数的比较列出：请先在左边“说明数据”中填写"
                         "上年预算各项，保存到工作簿，这里就会列出需要说明原因的事项（增加/减少等方向已写明，只需填写原因）。")
    NO_CHANGES_BUDGET = "按已填写的上年预算数，本年没有需要说明原因的变动。"

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        self.instruction = QLabel(self.INSTRUCTION)
        self.instruction.setWordWrap(True)
        layout.addWidget(self.instruction)
        self.legend = legend([(SEVERITY_FILL["错误"], "填写有误"), (SEVERITY_FILL["警告"], "请核对"),
                              ("E2EFDA", "已改动，尚未保存")])
        layout.addWidget(self.legend)
        split = QSplitter()
        self.inputs, self.reasons = InputsModel([]), InputsModel([], columns=["事项", "原因"])
        self.views: list[EntryView] = []
        self.reasons_empty = QLabel("")
        self.reasons_empty.setWordWrap(True)
        self.reasons_empty.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        for title, model in (("说明数据", self.inputs), ("原因说明", self.reasons)):
            box = QWidget()
            inner = QVBoxLayout(box)
            inner.addWidget(QLabel(title))
            view = EntryView(model, None if model is self.reasons else 260)
            view.said.connect(self.say)
            if model is self.reasons:
                inner.addWidget(self.reasons_empty, 1)  # in place of the list while it is empty
            inner.addWidget(view, 1)
            split.addWidget(box)
            self.views.append(view)
        split.setSizes([1, 1])  # half each, whatever the note's length
        layout.addWidget(split, 1)
        self.status = QLabel("")  # what the last edit, paste or save has to say; the instruction stays above
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.save_button = QPushButton("保存到工作簿")
        self.save_button.clicked.connect(self._save)
        layout.addWidget(self.save_button)

    def waiting(self) -> None:
        """The next workbook is being read and checked: nothing to type into meanwhile."""
        self.inputs.reset([])
        self.reasons.reset([])
        self.reasons_empty.setVisible(False)
        self.status.setText("正在读取、校验工作簿，完成后在这里填写。")

    def show_session(self, session: Session) -> None:
        inputs, reasons = input_rows(session.sheets)
        balanced = balances(session.report)
        self.inputs.reset(inputs, balanced)
        self.reasons.reset(reasons, balanced)
        self.status.setText("")
        filled = any(r.text for r in inputs if r.key.startswith(("上年.", "年初预算.")))
        budget = session.report.kind == YUSUAN
        no_changes, no_reasons = ((self.NO_CHANGES_BUDGET, self.NO_REASONS_BUDGET) if budget
                                  else (self.NO_CHANGES, self.NO_REASONS))
        self.reasons_empty.setText("" if reasons else no_changes if filled else no_reasons)
        self.reasons_empty.setVisible(not reasons)
        self.views[1].setVisible(bool(reasons))
        notes = self.inputs.notes()
        if notes:
            self.say(f"{notes[0].label}：{notes[0].note}")

    def say(self, text: str) -> None:
        self.status.setText(text)

    def select(self, ref: CellRef) -> bool:
        """Show the item typed at a 说明数据/原因说明 cell (a finding's or a link's): select its value."""
        sheet = {INPUT_SHEET: 0, REASON_SHEET: 1}.get(ref.sheet)
        if sheet is None:
            return False
        view, model = self.views[sheet], (self.inputs, self.reasons)[sheet]
        row = model.row_at(_position(ref.coord)[0] + 1)
        if row is None:
            return False
        index = model.index(row, 1)
        view.setCurrentIndex(index)
        view.scrollTo(index, QAbstractItemView.PositionAtCenter)
        view.setFocus()
        self.say(f"请填写：{model.rows[row].label}")
        return True

    def changes(self) -> dict[str, object]:
        return {**self.inputs.changes(), **self.reasons.changes()}

    def _save(self) -> None:
        bad = self.inputs.errors() + self.reasons.errors()
        if bad:
            self.say(f"有 {len(bad)} 项填写有误（红色），请改正后再保存：{bad[0].label}：{bad[0].error}")
            return
        changes = self.changes()
        if not changes:
            self.say("没有改动。")
            return
        self.save.emit(changes)


class NarrativeTab(QWidget):
    """The generated text; every number is a link, and clicking it shows the formula and cells it comes
    from and highlights those cells in the 表格 tab. Each 【待填写】 mark is a link to the item to fill."""

    highlight = Signal(list)  # [CellRef]
    jump = Signal(object)
    lint = Signal()  # 核对已有的情况说明…: a Word or text file checked against this workbook

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.lint_button = QPushButton("核对已有的情况说明…")
        self.lint_button.setToolTip("选择一份已写好的情况说明（Word .docx 或文本 .txt），逐句对照本工作簿的数字核对")
        self.lint_button.clicked.connect(self.lint)
        row.addWidget(self.lint_button)
        row.addStretch(1)
        layout.addLayout(row)
        split = QSplitter(Qt.Vertical)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(self._clicked)
        self.source = QTextBrowser()
        self.source.setOpenLinks(False)
        self.source.anchorClicked.connect(lambda url: self.jump.emit(_cell_from_url(url)))
        self.source.setPlaceholderText("点击正文中的数字，查看它的公式和来源单元格；点击黄色的【待填写】，转到要填写的项目。")
        split.addWidget(self.text)
        split.addWidget(self.source)
        split.setSizes([500, 150])
        layout.addWidget(split)
        self.uses = []
        self.missing = []
        self.titles: dict[str, str] = {}

    def waiting(self) -> None:
        self.uses, self.missing, self.titles = [], [], {}
        self.text.setPlainText("正在生成情况说明…")
        self.source.clear()

    def show_session(self, session: Session) -> None:
        self.uses = session.narrative.uses
        self.missing = session.narrative.missing
        self.titles = {s.id: s.title for p in session.narrative.parts for s in p.sections}
        self.text.setHtml(narrative_html(session))
        self.source.clear()

    def _clicked(self, url: QUrl) -> None:
        if url.scheme() == "fact":
            self.show_fact(int(url.path()))
        elif url.scheme() == "todo":
            self.fill(int(url.path()))

    def show_fact(self, n: int) -> None:
        use = self.uses[n]
        f = use.fact
        cells = "、".join(f'<a href="cell:{c}">{html.escape(place(c))}</a>' for c in f.cells) or "（说明数据，无表格单元格）"
        where = self.titles.get(use.section, use.section)
        self.source.setHtml(f"<p><b>{html.escape(use.text)}</b>　见“{html.escape(where)}”</p>"
                            f"<p>公式：{html.escape(readable(f.formula))}</p><p>单元格：{cells}</p>")
        self.highlight.emit(list(f.cells))

    def fill(self, n: int) -> None:
        """A 【待填写】 mark clicked: go to the 说明数据/原因说明 item it asks for."""
        m = self.missing[n]
        if m.cell is None:  # a reason the 原因说明 sheet does not list yet
            self.source.setHtml(f"<p>{html.escape(m.placeholder)}</p><p>原因说明中还没有这一项：在“说明数据/原因”页保存一次，"
                                "原因说明会按当前数据重新列出需要说明的事项。</p>")
            return
        self.source.setHtml(f"<p>{html.escape(m.placeholder)}</p><p>在“说明数据/原因”页填写后保存，情况说明随之更新。</p>")
        self.jump.emit(m.cell)


def readable(formula: str) -> str:
    """A formula as people read it: an input named by its label, not by its key
    ("说明数据 上年.收入总计" → 说明数据“上年决算 收入总计（公开01表）”)."""
    def label(match: re.Match) -> str:
        f = field_for(match.group(1))
        return f"说明数据“{f.label}”" if f else match.group(0)

    return re.sub(r"说明数据 ([^\s()÷×−+]+)", label, formula)


def _cell_from_url(url: QUrl) -> CellRef:
    sheet, _, where = url.path().partition("!")
    return CellRef(sheet, where)


TODO_STYLE = "background:#FFEB9C;color:#7F6000;text-decoration:none"


def narrative_html(session: Session) -> str:
    """The text as HTML: each printed number becomes a fact:N link and each 【待填写：…】 mark a todo:N link
    (N: its place in the Document's missing list). Facts were recorded in printing order, so each one is
    found by a forward search within its section."""
    doc = session.narrative
    uses = list(enumerate(doc.uses))
    todo: dict[str, str] = {}
    for n, m in enumerate(doc.missing):
        mark = html.escape(m.placeholder)
        todo.setdefault(mark, f'<a href="todo:{n}" style="{TODO_STYLE}">{mark}</a>')
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
                out.append(f"<p style='text-indent:2em'>{_marks(''.join(pieces), todo)}</p>")
            while i < len(uses) and uses[i][1].section == s.id:  # not found verbatim: skip, never mislink
                i += 1
    return "\n".join(out)


def _marks(text: str, todo: dict[str, str]) -> str:
    """Each 【待填写：…】 of the text as its link; one the missing list does not know stays marked yellow."""
    if "【待填写" not in text:
        return text
    return re.sub(r"【待填写[^】]*】", lambda m: todo.get(m.group(0), f"<span style='{TODO_STYLE}'>{m.group(0)}</span>"),
                  text)


class ExportTab(QWidget):
    export = Signal(dict)
    cancel = Signal()

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("公开包总是包括：Word 文档、公开表（Excel）、校验报告和文件清单。"))
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

