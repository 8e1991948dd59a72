"""Raw grids of every sheet of a spreadsheet file (python-calamine: fast, values only).

Bad files never reach calamine: guard.py looks at the file first (size, encryption, HTML saved as .xls,
corrupt or bombed zip, cells far outside any report) and refuses it with one Chinese line.
"""

from __future__ import annotations

import re

from functools import lru_cache
from pathlib import Path

import msgspec
from msgspec import field
import python_calamine

from .errors import InputError
from .guard import MAX_FILE_MB, SUFFIXES, check_workbook_file, column_letters  # noqa: F401 (limits read here too)


class Sheet(msgspec.Struct):
    """One worksheet as read: its cell values, merged ranges and the cells it could not read."""

    name: str
    rows: list[list]  # 0-based rows of cell values ('' for empty)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row1, col1, row2, col2), 0-based
    # cells read as empty though the file has something there: a formula never calculated, #DIV/0! … (guard.py)
    unread: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def height(self) -> int:
        return len(self.rows)

    def value(self, row: int, col: int) -> object:
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            v = self.rows[row][col]
            return None if v == "" else v
        return None

    def text(self, row: int, col: int) -> str:
        v = self.value(row, col)
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return str(v).replace("\u3000", " ").replace("\xa0", " ").strip()


@lru_cache(maxsize=1 << 16)  # the same few thousand cells in every report (issue 18)
def coord(row: int, col: int) -> str:
    """0-based (row, col) -> 'C7'."""
    return f"{column_letters(col + 1)}{row + 1}"


def cell_index(ref: str) -> tuple[int, int]:
    """'C7' -> 0-based (row, col), the inverse of coord()."""
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def read_sheets(path: str | Path) -> list[Sheet]:
    path = Path(path)
    unread = check_workbook_file(path)
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            merged = [(r1, c1, r2, c2) for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or []]
            sheets.append(Sheet(name=name, rows=sheet.to_python(skip_empty_area=False), merged=merged,
                                unread=unread.get(name, {})))
        return sheets
    except InputError:
        raise
    except BaseException as exc:  # calamine raises several types for broken files; all mean the same to the user
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise  # Ctrl-C, exit; a Rust panic (pyo3's PanicException) is a BaseException but the file's fault
        raise InputError("文件已损坏或不是有效的 Excel 文件，无法读取。请在 Excel/WPS 中打开后另存为 .xlsx 再试",
                         file=path) from exc
