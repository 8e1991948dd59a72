"""A PDF's pages as grid.Sheet objects for the spreadsheet parser: one sheet per page ("第11页"), a table that
runs on over the next pages joined into the sheet of its first page ("第15-16页", the header printed again on
each page dropped), the lines of text around the tables as rows of their own. Every position of every sheet
remembers the page and box it was printed at; the lines outside the tables are the document's text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..grid import Sheet
from . import PdfPlace, TextLine
from .document import damaged_page, open_pdf, scanned
from .pages import Block, is_footer, read_page

HEADER_ROWS = 8  # a continued table's repeated header is at most this many rows


@dataclass
class PdfSheets:
    sheets: list[Sheet]
    places: dict[tuple[str, int, int], PdfPlace]  # (sheet, row, col) -> where it is printed
    lines: list[TextLine]
    pages: int


@dataclass
class _Builder:
    first: int
    last: int
    rows: list[list[str]] = field(default_factory=list)
    places: dict[tuple[int, int], PdfPlace] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    table: Block | None = None  # the table the sheet ends with (and the row it starts at)
    table_row: int = 0
    before: list[str] = field(default_factory=list)  # the lines printed just above that table

    @property
    def name(self) -> str:
        return f"第{self.first}页" if self.first == self.last else f"第{self.first}-{self.last}页"

    def add(self, block: Block, columns: list[int] | None = None, skip: int = 0) -> None:
        top = len(self.rows)
        for r in range(skip, len(block.rows)):
            row: list[str] = []
            for c, text in enumerate(block.rows[r]):
                col = columns[c] if columns else c
                row += [""] * (col + 1 - len(row))
                row[col] = row[col] + text if row[col] else text
                self.places[(top + r - skip, col)] = PdfPlace(block.page, tuple(round(v, 2) for v in block.boxes[r][c]))
            self.rows.append(row)
        for r1, c1, r2, c2 in block.merged:
            if r1 >= skip:
                c1, c2 = (columns[c1], columns[c2]) if columns else (c1, c2)
                self.merged.append((top + r1 - skip, c1, top + r2 - skip, c2))
        if block.is_table:
            if columns is None:
                self.table, self.table_row = block, top
            self.before = []
        else:
            self.before = (self.before + [_norm(block.line.text)])[-4:]

    def sheet(self) -> Sheet:
        width = max((len(r) for r in self.rows), default=0)
        self._fill_places(width)
        return Sheet(self.name, [r + [""] * (width - len(r)) for r in self.rows], merged=self.merged)

    def _fill_places(self, width: int) -> None:
        """A place for every position, also where nothing is printed beyond a row's last cell (a blank amount
        the parser reads as 0): its row's height and page, the column's edges as the nearest row has them."""
        columns: dict[int, list[tuple[int, PdfPlace]]] = {}
        for (r, c), place in self.places.items():
            columns.setdefault(c, []).append((r, place))
        for r in range(len(self.rows)):
            row_place = next((self.places[(r, c)] for c in range(width) if (r, c) in self.places), None)
            if row_place is None:
                continue
            for c in range(width):
                if (r, c) in self.places or c not in columns:
                    continue
                _, near = min(columns[c], key=lambda rp: abs(rp[0] - r))
                box = (near.bbox[0], row_place.bbox[1], near.bbox[2], row_place.bbox[3])
                self.places[(r, c)] = PdfPlace(row_place.page, box)


def _norm(text: str) -> str:
    return "".join(text.split())


def _continues(table: Block, block: Block) -> list[int] | None:
    """Each column of `block` mapped to a column of `table` (same place across the page), or None when
    `block` is not the same table going on."""
    if not table.columns or not block.columns:
        return None
    mapping = []
    for x0, x1 in block.columns:
        overlaps = [min(x1, b1) - max(x0, b0) for b0, b1 in table.columns]
        best = max(range(len(overlaps)), key=overlaps.__getitem__)
        b0, b1 = table.columns[best]
        if overlaps[best] <= 0.5 * min(x1 - x0, b1 - b0):  # a column widened over its header on one page only
            return None
        mapping.append(best)
    if len(set(mapping)) < len(mapping) or mapping != sorted(mapping):
        return None
    return mapping


def _repeated_header(table: Block, block: Block, mapping: list[int]) -> int:
    """How many first rows of `block` repeat a row of `table`'s header."""
    header = {tuple(_norm(t) for t in row) for row in table.rows[:HEADER_ROWS]}
    skip = 0
    for row in block.rows[:HEADER_ROWS]:
        remapped = [""] * len(table.columns)
        for c, text in enumerate(row):
            remapped[mapping[c]] = _norm(text)
        if tuple(remapped) in header and any(remapped):
            skip += 1
        else:
            break
    return skip


def read_sheets(path: Path) -> PdfSheets:
    """The sheets, places and text of a PDF; InputError for a file that is no readable text PDF."""
    builders: list[_Builder] = []
    lines: list[TextLine] = []
    chars = 0
    read: list[list[Block]] = []
    with open_pdf(path) as pdf:
        pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            try:
                chars += len(page.chars)
                read.append(read_page(page, number))
            except Exception as exc:
                raise damaged_page(path, number) from exc
            finally:
                page.close()  # pdfplumber caches every page's objects otherwise
    if chars == 0:
        raise scanned(path)
    running = _running_lines(read)
    for number, blocks in enumerate(read, start=1):
        blocks = [b for b in blocks if b.is_table or not (is_footer(b.line.text) or id(b) in running)]
        lines += [TextLine(number, b.line.text, tuple(round(v, 2) for v in b.line.box))
                  for b in blocks if not b.is_table]
        _place(builders, blocks, number)
    out = PdfSheets([], {}, lines, pages)
    for b in builders:
        sheet = b.sheet()
        out.sheets.append(sheet)
        out.places.update({(sheet.name, r, c): p for (r, c), p in b.places.items()})
    return out


def _running_lines(pages: list[list[Block]]) -> set[int]:
    """The blocks of the page headers and footers printed on most pages (a draft mark "草稿 未定稿…", the
    document's name): a line first or last on its page, the same on more than half the pages (two at least).
    They are no part of the document's text, and would split a table going on over the page."""
    edges: dict[str, list[Block]] = {}
    for blocks in pages:
        kept = [b for b in blocks if b.is_table or not is_footer(b.line.text)]  # page numbers aside
        for b in {id(b): b for b in kept[:1] + kept[-1:]}.values():
            if not b.is_table:
                edges.setdefault(_norm(b.line.text), []).append(b)
    return {id(b) for found in edges.values() if len({b.page for b in found}) >= max(2, len(pages) // 2 + 1)
            for b in found}


def _place(builders: list[_Builder], blocks: list[Block], number: int) -> None:
    """Put a page's blocks into the sheets: on the previous page's sheet when the page goes on with its last
    table (a title repeated above it dropped), on a new sheet otherwise."""
    prev = builders[-1] if builders else None
    first_table = next((i for i, b in enumerate(blocks) if b.is_table), None)
    if prev is not None and prev.table is not None and first_table is not None and not prev.before:
        leading = blocks[:first_table]
        table_block = blocks[first_table]
        titles = {_norm(t) for row in prev.rows[max(0, prev.table_row - 4):prev.table_row] for t in row if t}
        mapping = _continues(prev.table, table_block)
        if mapping is not None and all(_norm(b.line.text) in titles or
                                       all(_norm(t) in titles for t in b.rows[0] if t) for b in leading):
            prev.last = number
            prev.add(table_block, mapping, _repeated_header(prev.table, table_block, mapping))
            for b in blocks[first_table + 1:]:
                prev.add(b)
            return
    builder = _Builder(number, number)
    builders.append(builder)
    for b in blocks:
        builder.add(b)
