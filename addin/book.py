"""The workbook protocol the add-in's macros are written against, and its two implementations:

- FileBook: a workbook file through openpyxl (the command line, and every test here);
- ExcelBook: a workbook open in Excel through xlwings (Windows/macOS only; untested on Linux).

The protocol is the handful of operations the macros need. Cells are addressed as (sheet name, "C7").
A cell's fill and comment are read as opaque tokens, so a mark can be undone exactly: the FileBook token
is the fill's own XML, the ExcelBook token the colour Excel reports.
"""

from __future__ import annotations

import json
from copy import copy
from pathlib import Path
from typing import Protocol

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.fills import Fill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.xml.functions import fromstring, tostring

from disclosure.cells import excel_literal, put, put_text
from disclosure.errors import InputError
from disclosure.files import atomic_write
from disclosure.grid import Sheet, read_sheets
from disclosure.guard import check_workbook_file

AUTHOR = "决算公开助手"


class Book(Protocol):
    path: Path

    def sheet_names(self) -> list[str]: ...
    def sheets(self) -> list[Sheet]: ...  # every sheet's values from A1, for the core's parser
    def write(self, sheet: str, cell: str, rows: list[list]) -> None: ...
    def fill(self, sheet: str, cell: str) -> str: ...  # an opaque token of the current fill
    def set_fill(self, sheet: str, cell: str, rgb: str) -> None: ...  # "FFC7CE"
    def restore_fill(self, sheet: str, cell: str, token: str) -> None: ...
    def comment(self, sheet: str, cell: str) -> str: ...  # an opaque token; "" when there is none
    def set_comment(self, sheet: str, cell: str, text: str) -> None: ...
    def restore_comment(self, sheet: str, cell: str, token: str) -> None: ...  # "" removes it
    def set_bold(self, sheet: str, cell: str) -> None: ...
    def set_width(self, sheet: str, column: int, width: float) -> None: ...
    def link(self, sheet: str, cell: str, target_sheet: str, target_cell: str, text: str) -> None: ...
    def add_sheet(self, name: str, hidden: bool = False) -> None: ...  # replaces a sheet of that name
    def delete_sheet(self, name: str) -> None: ...
    def replace_sheets_from(self, source: Path, names: list[str]) -> None: ...  # copy sheets of another file
    def finish(self) -> None: ...  # after a macro's changes: a file is saved; in Excel they are already live
    def on_disk(self) -> Path: ...  # the file, saved with everything the officer typed (for the export)
    def active_cell(self) -> tuple[str, str] | None: ...  # (sheet, "C7") the officer is on; None if unknown


def _rgb(color: str) -> str:
    return color if len(color) == 8 else "FF" + color


class FileBook:
    """A workbook file (.xlsx/.xlsm) in memory through openpyxl. save() keeps the VBA project of an .xlsm,
    leaves a backup of the file as it was (<name>.备份.xlsm) and replaces the file in one rename."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._vba = self.path.suffix.lower() == ".xlsm"
        if not self.path.exists():
            raise InputError("找不到这个工作簿", file=self.path)
        check_workbook_file(self.path)  # size, zip bomb, far cells: before openpyxl builds anything
        try:
            self.wb = load_workbook(self.path, keep_vba=self._vba, rich_text=False)
        except FileNotFoundError:
            raise InputError("找不到这个工作簿", file=self.path) from None
        except Exception as exc:
            raise InputError(f"无法打开工作簿（{type(exc).__name__}：文件损坏、被加密或不是 Excel 文件）",
                             file=self.path) from None

        self._changed = False

    def sheet_names(self) -> list[str]:
        return self.wb.sheetnames

    def sheets(self) -> list[Sheet]:
        """As the file holds them (python-calamine: the values Excel last computed, as `disclosure check`
        reads them), or from memory once a macro has changed something and not yet saved."""
        if not self._changed:
            return read_sheets(self.path)
        out = []
        for ws in self.wb.worksheets:
            rows = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
            out.append(Sheet(ws.title, rows))
        return out

    def _cell(self, sheet: str, cell: str):
        self._changed = True  # every caller but fill() and comment() changes the cell
        return self.wb[sheet][cell]

    def write(self, sheet: str, cell: str, rows: list[list]) -> None:
        self._changed = True
        ws = self.wb[sheet]
        first = ws[cell]
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                put(ws, first.row + i, first.column + j, value)  # text stays text, never a formula

    def fill(self, sheet: str, cell: str) -> str:
        return tostring(self.wb[sheet][cell].fill.to_tree()).decode("utf-8")

    def set_fill(self, sheet: str, cell: str, rgb: str) -> None:
        self._cell(sheet, cell).fill = PatternFill("solid", fgColor=_rgb(rgb))

    def restore_fill(self, sheet: str, cell: str, token: str) -> None:
        self._cell(sheet, cell).fill = Fill.from_tree(fromstring(token))

    def comment(self, sheet: str, cell: str) -> str:
        c = self.wb[sheet][cell].comment
        return json.dumps([c.text, c.author]) if c else ""

    def set_comment(self, sheet: str, cell: str, text: str) -> None:
        self._cell(sheet, cell).comment = Comment(text, AUTHOR, width=300, height=120)

    def restore_comment(self, sheet: str, cell: str, token: str) -> None:
        if token:
            body, author = json.loads(token)
            self._cell(sheet, cell).comment = Comment(body, author)
        else:
            self._cell(sheet, cell).comment = None

    def set_bold(self, sheet: str, cell: str) -> None:
        c = self._cell(sheet, cell)
        font = copy(c.font)
        font.b = True
        c.font = font

    def set_width(self, sheet: str, column: int, width: float) -> None:
        self._changed = True
        self.wb[sheet].column_dimensions[get_column_letter(column)].width = width

    def link(self, sheet: str, cell: str, target_sheet: str, target_cell: str, text: str) -> None:
        c = put_text(self._cell(sheet, cell), text)
        c.hyperlink = Hyperlink(ref=c.coordinate, location=f"'{target_sheet}'!{target_cell}", display=text)
        c.font = Font(color="0563C1", underline="single")

    def add_sheet(self, name: str, hidden: bool = False) -> None:
        self._changed = True
        index = None
        if name in self.wb.sheetnames:
            index = self.wb.sheetnames.index(name)
            self.wb.remove(self.wb[name])
        ws = self.wb.create_sheet(name, index)
        if hidden:
            ws.sheet_state = "hidden"

    def delete_sheet(self, name: str) -> None:
        if name in self.wb.sheetnames:
            self._changed = True
            self.wb.remove(self.wb[name])

    def replace_sheets_from(self, source: Path, names: list[str]) -> None:
        src = load_workbook(source)
        for name in names:
            self.add_sheet(name)
            _copy_sheet(src[name], self.wb[name])

    def finish(self) -> None:
        for ws in self.wb.worksheets:
            # openpyxl names the comment drawings it writes commentsDrawing<n>.vml by write order; one it
            # read back keeps its old name, which another sheet's new comments may now take (a zip with
            # two parts of one name). Let openpyxl draw those afresh; Excel's own vmlDrawing<n> stay.
            if ws.legacy_drawing and "commentsDrawing" in ws.legacy_drawing:
                ws.legacy_drawing = None
        atomic_write(self.path, lambda tmp: self.wb.save(tmp), backup=True)  # backup writable, failure named
        self._changed = False

    def on_disk(self) -> Path:
        return self.path  # macros finish() their changes, so the file is current

    def active_cell(self) -> tuple[str, str] | None:
        """The sheet and cell that were active when the file was last saved in Excel."""
        ws = self.wb.active
        where = ws.active_cell if ws is not None else None
        return (ws.title, where) if where else None


def _copy_sheet(src, dst) -> None:
    """Values, styles, merges, sizes, print setup, validation and protection of a sheet from another
    workbook (openpyxl copies sheets only within one workbook)."""
    for row in src.iter_rows():
        for c in row:
            if c.value is None and not c.has_style:
                continue
            d = put(dst, c.row, c.column, c.value) if c.data_type == "s" else dst.cell(c.row, c.column, c.value)
            if c.has_style:
                d.font, d.fill, d.border = copy(c.font), copy(c.fill), copy(c.border)
                d.alignment, d.protection, d.number_format = copy(c.alignment), copy(c.protection), c.number_format
    for rng in src.merged_cells.ranges:
        dst.merge_cells(str(rng))
    for key, dim in src.column_dimensions.items():
        dst.column_dimensions[key].width = dim.width
    for key, dim in src.row_dimensions.items():
        dst.row_dimensions[key].height = dim.height
    dst.freeze_panes = src.freeze_panes
    dst.page_setup = copy(src.page_setup)
    dst.sheet_properties.pageSetUpPr = copy(src.sheet_properties.pageSetUpPr)
    dst.print_options = copy(src.print_options)
    dst.page_margins = copy(src.page_margins)
    dst.oddFooter.center.text = src.oddFooter.center.text
    if src.print_title_rows:
        dst.print_title_rows = src.print_title_rows
    for dv in src.data_validations.dataValidation:
        dst.add_data_validation(copy(dv))
    dst.protection = copy(src.protection)


class ExcelBook:
    # needs Excel (Windows/macOS): on Linux only its call shapes are tested, with a fake xlwings book
    """A workbook open in Excel, through xlwings. Protected sheets (our tables are protected without a
    password) are unprotected for a change and protected again with the template's options."""

    def __init__(self, book):
        self.book = book
        self.path = Path(book.fullname)

    @classmethod
    def caller(cls) -> "ExcelBook":
        import xlwings as xw

        return cls(xw.Book.caller())

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def sheets(self) -> list[Sheet]:
        out = []
        for s in self.book.sheets:
            last = s.used_range.last_cell
            values = s.range((1, 1), (last.row, last.column)).options(ndim=2).value
            out.append(Sheet(s.name, [["" if v is None else v for v in row] for row in values]))
        return out

    def _range(self, sheet: str, cell: str):
        return self.book.sheets[sheet].range(cell)

    def _unprotected(self, sheet: str):
        return _Unprotected(self.book.sheets[sheet])

    def write(self, sheet: str, cell: str, rows: list[list]) -> None:
        # Excel, like openpyxl, turns "=…" (and "+ - @") into a formula: text goes in with Excel's text
        # prefix, an apostrophe Excel keeps apart from the value (reads back identical)
        with self._unprotected(sheet):
            self._range(sheet, cell).value = [[excel_literal(v) for v in row] for row in rows]

    def fill(self, sheet: str, cell: str) -> str:
        return json.dumps(self._range(sheet, cell).color)

    def set_fill(self, sheet: str, cell: str, rgb: str) -> None:
        with self._unprotected(sheet):
            self._range(sheet, cell).color = "#" + rgb[-6:]

    def restore_fill(self, sheet: str, cell: str, token: str) -> None:
        color = json.loads(token)
        with self._unprotected(sheet):
            self._range(sheet, cell).color = tuple(color) if color else None

    def comment(self, sheet: str, cell: str) -> str:
        note = self._range(sheet, cell).note
        return json.dumps(note.text) if note is not None else ""

    def set_comment(self, sheet: str, cell: str, text: str) -> None:
        rng = self._range(sheet, cell)
        with self._unprotected(sheet):
            if rng.note is not None:
                rng.note.delete()
            rng.api.AddComment(text)

    def restore_comment(self, sheet: str, cell: str, token: str) -> None:
        rng = self._range(sheet, cell)
        with self._unprotected(sheet):
            if rng.note is not None:
                rng.note.delete()
            if token:
                rng.api.AddComment(json.loads(token))

    def set_bold(self, sheet: str, cell: str) -> None:
        self._range(sheet, cell).font.bold = True

    def set_width(self, sheet: str, column: int, width: float) -> None:
        self.book.sheets[sheet].range((1, column)).column_width = width

    def link(self, sheet: str, cell: str, target_sheet: str, target_cell: str, text: str) -> None:
        self._range(sheet, cell).add_hyperlink(f"#'{target_sheet}'!{target_cell}", text)

    def add_sheet(self, name: str, hidden: bool = False) -> None:
        names = self.sheet_names()
        following = None  # a replaced sheet keeps its place
        if name in names:
            index = names.index(name)
            following = self.book.sheets[index + 1] if index + 1 < len(names) else None
            self.book.sheets[name].delete()
        if following is not None:
            sheet = self.book.sheets.add(name, before=following)
        else:
            sheet = self.book.sheets.add(name, after=self.book.sheets[-1])
        if hidden:
            sheet.visible = False

    def delete_sheet(self, name: str) -> None:
        if name in self.sheet_names():
            self.book.sheets[name].delete()

    def replace_sheets_from(self, source: Path, names: list[str]) -> None:
        app = self.book.app
        src = app.books.open(str(source), read_only=True)
        try:
            for name in names:
                existing = self.sheet_names()
                anchor = None
                if name in existing:
                    index = existing.index(name)
                    anchor = self.book.sheets[index + 1] if index + 1 < len(existing) else None
                    self.book.sheets[name].delete()
                if anchor is not None:
                    src.sheets[name].copy(before=anchor)
                else:
                    src.sheets[name].copy(after=self.book.sheets[-1])
        finally:
            src.close()

    def finish(self) -> None:
        pass  # the officer sees the changes in Excel and saves when they choose

    def active_cell(self) -> tuple[str, str] | None:
        """The first cell of the selection, when the selection is in this workbook (Excel's selection
        belongs to whichever workbook is active)."""
        selection = self.book.selection
        if selection is None or selection.sheet.book.name != self.book.name:
            return None
        return selection.sheet.name, selection.address.split(":")[0].replace("$", "")

    def on_disk(self) -> Path:
        if not self.path.suffix:  # a new workbook Excel has never saved has no folder to export into
            raise InputError("请先保存工作簿（另存为 .xlsm），再导出公开包", file=self.path)
        self.book.save()
        return self.path


class _Unprotected:
    def __init__(self, sheet):
        self.sheet = sheet
        self.was = False

    def __enter__(self):
        self.was = bool(self.sheet.api.ProtectContents)
        if self.was:
            self.sheet.api.Unprotect()

    def __exit__(self, *exc):
        if self.was:  # as the template protects: formatting rows/columns stays allowed
            self.sheet.api.Protect(DrawingObjects=True, Contents=True, Scenarios=True,
                                   AllowFormattingColumns=True, AllowFormattingRows=True)
        return False
