"""Refuse an import where a tolerated label hides a shifted row.

A label that differs from the 表样 at the right 行次 is imported by its 行次 (with a 提示). But when the
table's own sums then fail, and they hold once that row's amounts are moved to the neighbouring line,
the likelier story is a row printed one line off: the import stops and names both rows instead of
importing numbers into the wrong line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InputError
from ..model import Report, Row, Table
from ..notices import LABEL, Notice

if TYPE_CHECKING:
    from ..checks.engine import Finding


def refuse_shifted_rows(report: Report) -> None:
    for notice in report.notices:
        if notice.kind != LABEL or not notice.key:
            continue
        table = report.table(notice.table)
        failing = _errors(report, table.id)
        if not failing:
            continue
        row = table.row(notice.key, notice.side if len(table.spec.sides) > 1 else None)
        for other in _neighbours(table, row):
            _swap(row, other)
            explained = not _errors(report, table.id)
            _swap(row, other)
            if explained:
                _refuse(report, table, notice, row, other, failing)


def _errors(report: Report, table_id: str) -> list["Finding"]:
    """Errors (not 尾差) of the table's own sums."""
    from ..checks import rules as _registered  # noqa: F401  (imported here: only a tolerated label needs them)
    from ..checks.engine import ERROR, RULES

    prefix = f"T{table_id}."
    return [f for rule in RULES.values() if rule.id.startswith(prefix)
            for f in rule.check(report) if f.severity == ERROR]


def _neighbours(table: Table, row: Row | None) -> list[Row]:
    if row is None:
        return []
    same_side = [r for r in table.rows if r.side == row.side]
    i = same_side.index(row)
    return [same_side[j] for j in (i - 1, i + 1) if 0 <= j < len(same_side)]


def _swap(a: Row, b: Row) -> None:
    a.values, b.values = b.values, a.values


def _refuse(report: Report, table: Table, notice: Notice, row: Row, other: Row, failing: list["Finding"]) -> None:
    at = f"行次 {other.line}“{other.name}”" if other.line else f"“{other.name}”"
    raise InputError(
        f"{table.spec.number}第 {notice.row} 行写作“{notice.printed}”，按表样{_line(row)}“{notice.expected}”导入后"
        f"{failing[0].title}不成立；这一行的金额若属于{at}，合计就相符：可能错行，请核对导出文件的这两行",
        file=report.source, sheet=notice.sheet, row=notice.row)


def _line(row: Row) -> str:
    return f"行次 {row.line} " if row.line else ""
