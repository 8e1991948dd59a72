"""What the read-only pages of findings share (review.py: a published PDF; lintpage.py: an existing 情况说明): a
summary line over a row of buttons, a table of findings, and text lines marked in the worst severity's colour
with the findings written under them."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QVBoxLayout)

from disclosure.checks.report import SEVERITY_FILL

RANK = {"错误": 3, "警告": 2, "提示": 1}


def head(layout: QVBoxLayout, buttons: list[QPushButton]) -> QLabel:
    """The page's summary line (rich text, wrapped) and its buttons under it, added to layout; the summary."""
    summary = QLabel()
    summary.setWordWrap(True)
    summary.setTextFormat(Qt.RichText)
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    layout.addWidget(summary)
    layout.addLayout(row)
    return summary


def findings_table(headers: list[str], stretch: int) -> QTableWidget:
    """A read-only table of findings, a whole row selected at a time; column `stretch` takes the width left."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.Stretch)
    table.verticalHeader().setVisible(False)
    return table


def marked_line(text: str, found: list[tuple[int, object]], note) -> str:
    """One line of text with the findings about it (n, finding): an anchor f<n> for each, the line in the worst
    severity's colour, note(finding) under it in red."""
    worst = max((f for _, f in found), key=lambda f: RANK.get(f.severity, 0))
    colour = SEVERITY_FILL.get(worst.severity, "FFFF00")
    anchors = "".join(f"<a name='f{n}'></a>" for n, _ in found)
    notes = "".join(f"<div style='color:#C00000;margin-left:2em'>{html.escape(f.severity)} {html.escape(f.rule)}："
                    f"{html.escape(note(f))}</div>" for _, f in found)
    return f"{anchors}<div style='background:#{colour}'>{html.escape(text)}</div>{notes}"
