"""Errors the user sees: one Chinese line naming the file, sheet and cell."""

from __future__ import annotations

from pathlib import Path


class DisclosureError(Exception):
    """An error with a message meant for the finance officer (Chinese, one line)."""


class InputError(DisclosureError):
    """Bad input: says where (file, sheet, cell or row) and what is wrong."""

    def __init__(self, message: str, *, file: str | Path | None = None,
                 sheet: str | None = None, cell: str | None = None, row: int | None = None):
        self.message = message
        self.file = Path(file).name if file else None
        self.sheet = sheet
        self.cell = cell
        self.row = row
        super().__init__(self._text())

    def located(self, *, file: str | Path | None = None) -> "InputError":
        """The same error with the file name filled in (raised deep down, the file is known higher up)."""
        if file and not self.file:
            self.file = Path(file).name
            self.args = (self._text(),)
        return self

    def _text(self) -> str:
        where = []
        if self.file:
            where.append(f"文件“{self.file}”")
        if self.sheet:
            where.append(f"工作表“{self.sheet}”")
        if self.cell:
            where.append(f"单元格 {self.cell}")
        elif self.row:
            where.append(f"第 {self.row} 行")
        return ("，".join(where) + "：" if where else "") + self.message
