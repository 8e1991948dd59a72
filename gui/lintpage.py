"""An existing 情况说明 (a Word document or a text file: last year's, a colleague's, one edited by hand) checked
against the open workbook, as `disclosure lint` does: every finding with where it stands in the text, the text
with the sentences a finding is about marked, and a double click on a finding goes to the cell it is about.
The lint itself runs off the UI thread (window.lint_text); this page only shows it."""

from __future__ import annotations

import html
import re
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QPushButton, QTableWidgetItem, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

from disclosure.checks.report import SEVERITY_FILL, counts

from . import findingspages

HEADERS = ["位置", "级别", "规则", "说明", "原文"]
_SPACES = re.compile(r"\s+")


class LintPage(QWidget):
    again = Signal()  # 核对另一份…
    back = Signal()  # 返回工作簿
    jump = Signal(object)  # CellRef: the cell a finding is about, shown in the workbook's tabs

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        self.again_button = QPushButton("核对另一份…")
        self.back_button = QPushButton("返回工作簿")
        self.summary = findingspages.head(layout, [self.again_button, self.back_button])
        self.tabs = QTabWidget()
        self.findings = findingspages.findings_table(HEADERS, 3)
        self.text = QTextBrowser()
        self.tabs.addTab(self.findings, "问题")
        self.tabs.addTab(self.text, "原文")
        layout.addWidget(self.tabs, 1)
        self.hint = QLabel("双击一条问题：有对应单元格的转到工作簿中的该单元格，其余在“原文”中显示所在的句子。")
        self.hint.setStyleSheet("color: #606060")
        layout.addWidget(self.hint)
        self.again_button.clicked.connect(self.again)
        self.back_button.clicked.connect(self.back)
        # a double click or Enter (activated), as in the 校验 tab
        self.findings.itemActivated.connect(lambda item: self.show_finding(item.row()))
        self.path: Path | None = None
        self.lint_findings: list = []

    def show_lint(self, path: Path, text: str, findings: list, workbook: str, note: str = "") -> None:
        """findings: lint's LintFindings, in the text's order; workbook: the file the text was checked against."""
        self.path, self.lint_findings = Path(path), list(findings)
        extra = f"<br><b style='color:#9C5700'>{html.escape(note)}</b>" if note else ""
        self.summary.setText(f"<b>{html.escape(self.path.name)}</b> 对照工作簿“{html.escape(workbook)}”核对：{counts(findings)}"
                             f"（只读，原文件不会改动）{extra}")
        self.findings.setRowCount(len(findings))
        for r, f in enumerate(findings):
            values = [f.place or f.section, f.severity, f.rule, _says(f), f.sentence]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 1 and f.severity in SEVERITY_FILL:
                    item.setBackground(QBrush(QColor("#" + SEVERITY_FILL[f.severity])))
                if c >= 3:
                    item.setToolTip(value)
                self.findings.setItem(r, c, item)
        self.findings.resizeColumnsToContents()
        self.findings.setColumnWidth(4, min(self.findings.columnWidth(4), 360))
        self.text.setHtml(text_html(text, findings))
        self.tabs.setTabText(0, f"问题（{len(findings)}）")
        self.tabs.setCurrentIndex(0)

    def show_finding(self, row: int) -> None:
        f = self.lint_findings[row]
        if f.cells:
            self.jump.emit(f.cells[0])
            return
        self.tabs.setCurrentWidget(self.text)
        self.text.scrollToAnchor(f"f{row}")


def _says(f) -> str:
    return f"{f.says}；{f.should}" if f.should else f.says


def text_html(text: str, findings: list) -> str:
    """The text line by line; the line a finding's sentence is in marked in the worst severity's colour, the
    findings written under it. A sentence not found as written (a section left out has none) marks nothing."""
    lines = text.splitlines()
    flat = [_SPACES.sub("", line) for line in lines]
    at: dict[int, list[tuple[int, object]]] = {}
    for n, f in enumerate(findings):
        probe = _SPACES.sub("", f.sentence)[:30]
        if probe:
            line = next((i for i, line in enumerate(flat) if probe in line), None)
            if line is not None:
                at.setdefault(line, []).append((n, f))
    out = []
    for i, line in enumerate(lines):
        found = at.get(i)
        if not found:
            out.append(f"<div>{html.escape(line) or '&nbsp;'}</div>")
            continue
        out.append(findingspages.marked_line(line, found, _says))
    return "".join(out)
