"""Notices of an import: what was read differently from the 表样 but still read (a 提示), with where.

A notice never changes a number; it tells the officer what to look at: a label printed otherwise than the
表样 (both spellings, and whether 行次 or the name placed the row), amounts converted from 元, and the
编制单位 or 年度 a sheet prints otherwise than the others (or a 年度 found nowhere).
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from .errors import InputError

INFO = "提示"
LABEL, UNIT, HEADING = "label", "unit", "heading"  # HEADING: 编制单位 and 年度 above the tables
LAYOUT = "layout"  # a report of a year the product has no 表样 for, read with another year's


class Notice(msgspec.Struct, frozen=True):
    """A 提示 from reading a workbook: what was noticed, of which kind, and where."""

    message: str
    kind: str = LABEL  # LABEL | UNIT
    severity: str = INFO
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None  # 1-based sheet row when there is no single cell
    table: str = ""  # "04"
    printed: str = ""  # a label notice: the export's spelling …
    expected: str = ""  # … and the 表样's
    side: str = ""  # … of the row with this key (to find it in the Report)
    key: str = ""

    def located(self, file: str | Path | None) -> "Notice":
        """The notice with the file's name filled in (read deep down, the file is known higher up)."""
        path = self.file or file
        return msgspec.structs.replace(self, file=Path(path).name if path else None)

    def __str__(self) -> str:
        # the same "文件…，工作表…，单元格…：" prefix as an error, so the two read alike
        where = InputError(self.message, file=self.file, sheet=self.sheet, cell=self.cell, row=self.row)
        return f"{self.severity}：{where}"
