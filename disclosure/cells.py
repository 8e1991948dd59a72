"""Text into spreadsheet cells, always as text — never as a formula.

openpyxl stores a string that starts with "=" as a live formula, and Excel evaluates what starts with "=",
"+", "-" or "@" (a leading tab or CR hides the sign from a naive check): a unit name, label, input or
reason typed or imported as `=HYPERLINK(…)` or `=cmd|' /C calc'!A0` would run when the workbook is opened
(OWASP "CSV/formula injection"). Every writer of ours puts text that came from outside through `put_text`:
the cell is a string cell (written as an inline string), never a formula or an error value, and the text is
unchanged — no apostrophe is prepended, so it reads back identical. Numbers and None pass through as they are.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

# openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE (what it refuses to save), copied: reading must not import openpyxl
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

EXCEL_CELL_LIMIT = 32767  # characters a cell can hold (Excel's specification; openpyxl silently cuts there)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheet programs may read as the start of a formula


def text_problem(text: str) -> str | None:
    """Why Excel cannot hold this text in a cell (too long, a control character), or None."""
    if len(text) > EXCEL_CELL_LIMIT:
        return f"有 {len(text):,} 个字符，超过 Excel 单元格上限 {EXCEL_CELL_LIMIT:,} 个字符"
    bad = ILLEGAL_CHARACTERS_RE.search(text)
    if bad:
        return f"第 {bad.start() + 1:,} 个字符是控制字符 U+{ord(bad.group()):04X}，Excel 单元格不能保存"
    return None


def put_text(cell: Cell, value: object) -> Cell:
    """Set the cell's value; a str is stored as text even when it looks like a formula or an error (#N/A).
    Text Excel cannot hold is refused, never cut (openpyxl would cut it at 32,767 characters)."""
    if not isinstance(value, str):
        cell.value = value
        return cell
    problem = text_problem(value)
    if problem:
        raise InputError(f"要写入的文字{problem}，未写入", sheet=cell.parent.title, cell=cell.coordinate)
    cell.value = value
    cell.data_type = "s"  # after the assignment, which made "=…" a formula and "#N/A" an error value
    return cell


def put(ws, row: int, column: int, value: object = None) -> Cell:
    """ws.cell(row, column, value) with the value set through put_text."""
    return put_text(ws.cell(row, column), value)


def excel_literal(value: object) -> object:
    """A value to hand to Excel itself (COM, xlwings) so that text stays text: Excel's own convention, a
    leading apostrophe, which Excel keeps as the cell's prefix and not in its value. Only for a live Excel;
    a file is written with put_text."""
    if isinstance(value, str) and value.startswith((*FORMULA_TRIGGERS, "'")):
        return "'" + value
    return value
