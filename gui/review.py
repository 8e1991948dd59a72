"""A published PDF under review, read-only (issue 22): what was read (unit, year, region, pages), every finding with
the page it is on, the tables as read with the cells a finding is about marked, and the text with the sentences a
finding is about marked. The audit itself (disclosure/audit.py) runs off the UI thread; this page only shows it."""

from __future__ import annotations

import html
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QPushButton, QTableWidget, QTableWidgetItem, QTabWidget, QTextBrowser,
                               QVBoxLayout, QWidget)

from disclosure import tablegrid
from disclosure.audit import unchecked_note
from disclosure.checks.report import SEVERITY_FILL, counts
from disclosure.perf.model import OVERALL

from . import findingspages
from .findingspages import RANK

HEADERS = ["页", "级别", "规则", "来源", "位置", "说明"]
PRIOR = "对照上年文件…"


class ReviewPage(QWidget):
    annotate = Signal()  # 标注 PDF…: the window asks where and writes it off the UI thread
    prior = Signal()  # 对照上年文件…: the window asks for last year's PDF or workbook and audits again with it
    to_workbook = Signal()  # 转为工作簿…: import the PDF as a workbook to work on
    back = Signal()

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        self.annotate_button = QPushButton("另存标注 PDF…")
        self.prior_button = QPushButton(PRIOR)
        self.prior_button.setToolTip("选择上年公开的 PDF 或上年的工作簿，核对情况说明中“与上年相比”的增减数和百分比")
        self.workbook_button = QPushButton("转为工作簿…")
        self.back_button = QPushButton("返回首页")
        self.summary = findingspages.head(layout, [self.annotate_button, self.prior_button, self.workbook_button,
                                                   self.back_button])
        self.tabs = QTabWidget()
        self.findings = findingspages.findings_table(HEADERS, len(HEADERS) - 1)
        self.text = QTextBrowser()
        self.tables = QTabWidget()
        for widget, name in ((self.findings, "问题"), (self.text, "原文"), (self.tables, "表格")):
            self.tabs.addTab(widget, name)
        layout.addWidget(self.tabs, 1)
        self.annotate_button.clicked.connect(self.annotate)
        self.prior_button.clicked.connect(self.prior)
        self.workbook_button.clicked.connect(self.to_workbook)
        self.back_button.clicked.connect(self.back)
        self.findings.cellDoubleClicked.connect(self._show_finding)
        self.audit = None

    def show_audit(self, audit) -> None:
        self.audit = audit
        d = audit.document
        note = "" if audit.text_checked else (f"<br><b style='color:#C00000'>情况说明未核对：{html.escape(audit.text_problem)}"
                                             "（以上只是表格的结果）</b>")
        note += "".join(f"<br><b style='color:#9C5700'>{html.escape(n)}</b>" for n in audit.notes)
        if audit.prior is not None:
            note += f"<br>已对照上年：{html.escape(audit.prior.name)}（“与上年相比”的数按它核对）"
        if unchecked := unchecked_note(audit, how=f"“{PRIOR}”"):
            note += f"<br><span style='color:#606060'>{html.escape(unchecked)}</span>"
        self.summary.setText(f"<b>{html.escape(d['file'])}</b>：{html.escape(d['unit'] or '（未识别单位名称）')} "
                             f"{d['year']} 年度{d['kind']}（{d['region']}，{d['layout']} 表样，{d['pages']} 页）"
                             f"　核对结果：{counts(audit.findings)}（只读，原文件不会改动）{note}")
        self._fill_findings(audit.findings)
        self.text.setHtml(_text_html(audit))
        self._fill_tables(audit)
        self.tabs.setTabText(0, f"问题（{len(audit.findings)}）")
        self.tabs.setCurrentIndex(0)

    def _fill_findings(self, findings) -> None:
        self.findings.setRowCount(len(findings))
        for r, f in enumerate(findings):
            place = f.detail.get("cell") if f.source == "表格" else (f.detail.get("sentence") or "")[:40]
            values = [str(f.page) if f.page else "—", f.severity, f.rule, f.source, place or "", f.message]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 1 and f.severity in SEVERITY_FILL:
                    item.setBackground(QBrush(QColor("#" + SEVERITY_FILL[f.severity])))
                if c == len(values) - 1:
                    item.setToolTip(value)
                self.findings.setItem(r, c, item)
        self.findings.resizeColumnsToContents()

    def _show_finding(self, row: int, _column: int) -> None:
        """Double-click: a text finding shows its sentence in 原文, a table finding its table."""
        f = self.audit.findings[row]
        if f.source == "表格":
            cell = f.detail.get("cell") or ""
            for i in range(self.tables.count()):
                if self.tables.widget(i).property("cells") and cell in self.tables.widget(i).property("cells"):
                    self.tables.setCurrentIndex(i)
                    self.tabs.setCurrentWidget(self.tables)
                    return
        else:
            self.tabs.setCurrentWidget(self.text)
            self.text.scrollToAnchor(f"f{row}")

    def _fill_tables(self, audit) -> None:
        self.tables.clear()
        marked: dict[str, str] = {}  # cell -> the worst severity of a finding about it
        for f in audit.findings:
            if f.source != "表格":
                continue
            for cell in [f.detail.get("cell"), *(f.detail.get("cells") or [])]:
                if cell and RANK.get(f.severity, 0) > RANK.get(marked.get(cell, ""), 0):
                    marked[cell] = f.severity
        report = audit.report
        places = report.pdf.places if report.pdf else {}
        for tid in [t for t in report.spec.tables if t in report.tables]:
            table = report.tables[tid]
            self.tables.addTab(_grid_view(tablegrid.layout(table.spec, table.rows), marked, places), table.spec.number)
        if report.perf:  # the 绩效自评表 read from the PDF, drawn as the package draws them
            from disclosure.export.perfgrid import perf_grid  # (with the export's libraries: not at start)
        for n, t in enumerate(report.perf.tables if report.perf else []):
            label = "绩效-整体" if t.kind == OVERALL else f"绩效-项目{n if report.perf.overall else n + 1}"
            self.tables.addTab(_grid_view(perf_grid(t), marked, places), label)


def _grid_view(grid, marked: dict[str, str], places) -> QTableWidget:
    """A table as read, read-only: every cell a finding is about in its severity's colour, its page in the tip."""
    view = QTableWidget(grid.nrows, grid.ncols)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    cells = []
    for g in grid.cells:
        item = QTableWidgetItem(tablegrid.cell_text(g))
        if g.kind == tablegrid.AMOUNT:
            item.setTextAlignment(int(Qt.AlignRight | Qt.AlignVCenter))
        if g.ref is not None:
            where = str(g.ref)
            cells.append(where)
            if where in marked:
                item.setBackground(QBrush(QColor("#" + SEVERITY_FILL[marked[where]])))
                place = places.get(g.ref)
                item.setToolTip(f"{where}" + (f"（第{place.page}页）" if place else ""))
        view.setItem(g.row, g.col, item)
        if g.rows > 1 or g.cols > 1:
            view.setSpan(g.row, g.col, g.rows, g.cols)
    view.setProperty("cells", cells)
    view.resizeColumnsToContents()
    return view


def _text_html(audit) -> str:
    """The published text page by page; a line where a text finding's sentence starts is marked in its
    severity's colour, the finding written under it."""
    report = audit.report
    if report.pdf is None or not report.pdf.text.lines:
        return "<p>（PDF 中表格以外没有读到文字）</p>"
    at: dict[tuple[int, tuple], list[tuple[int, object]]] = {}
    for n, f in enumerate(audit.findings):
        if f.source == "情况说明" and f.page and f.bbox:
            at.setdefault((f.page, tuple(f.bbox)), []).append((n, f))
    out, page = [], None
    for line in report.pdf.text.lines:
        if line.page != page:
            page = line.page
            out.append(f"<p style='color:#808080'>— 第{page}页 —</p>")
        found = at.get((line.page, tuple(line.bbox)), [])
        if not found:
            out.append(f"<div>{html.escape(line.text)}</div>")
            continue
        out.append(findingspages.marked_line(line.text, found, lambda f: f.message))
    return "".join(out)
