"""A PDF's pages as grid.Sheet objects for the spreadsheet parser: one sheet per page ("第11页"), a table that
runs on over the next pages joined into the sheet of its first page ("第15-16页", the header printed again on
each page dropped), the lines of text around the tables as rows of their own. Every position of every sheet
remembers the page and box it was printed at; the lines outside the tables are the document's text."""

from __future__ import annotations

import re
from pathlib import Path

import msgspec
from msgspec import field
from msgspec.structs import replace

from ..grid import Sheet
from . import PdfPlace, TextLine
from .document import damaged_page, open_pdf, scanned
from .pages import Block, is_footer, page_blocks, page_contents

HEADER_ROWS = 8  # a continued table's repeated header is at most this many rows
EDGE = 3.0  # points: a column edge this far inside another column splits it (nearer, it is the same edge)
_AMOUNT = re.compile(r"^-?[\d,]+(?:\.\d+)?%?$")


class PdfSheets(msgspec.Struct):
    sheets: list[Sheet]
    places: dict[tuple[str, int, int], PdfPlace]  # (sheet, row, col) -> where it is printed
    lines: list[TextLine]
    pages: int


class _Builder(msgspec.Struct):
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

    def split_column(self, k: int, x: float) -> None:
        """Column k of the table the sheet ends with split at x, as the next page prints it (one merged cell
        above, two cells below: 得分 and 偏差原因 of a 绩效自评表): its rows get an empty cell after k, the places
        and merges beyond k move right."""
        t, top = self.table, self.table_row
        x0, x1 = t.columns[k]
        self.table = replace(t, columns=t.columns[:k] + [(x0, x), (x, x1)] + t.columns[k + 1:],
                             rows=[row[:k + 1] + [""] + row[k + 1:] for row in t.rows],
                             boxes=[boxes[:k + 1] + boxes[k:k + 1] + boxes[k + 1:] for boxes in t.boxes])
        for row in self.rows[top:]:
            if len(row) > k + 1:
                row.insert(k + 1, "")

        def moved(r: int, c: int) -> int:
            return c + 1 if r >= top and c > k else c

        self.places = {(r, moved(r, c)): p for (r, c), p in self.places.items()}
        self.merged = [(r1, moved(r1, c1), r2, moved(r1, c2)) for r1, c1, r2, c2 in self.merged]

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


# “（续表）”, “续表”, “（续）”, “续上表”: a line saying the table above goes on (Word documents print one over a table
# split by hand), as much the table's as its repeated title
_CONTINUED = re.compile(r"[（(]?(续表|续上表|续)[）)]?[:：]?")


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


def _finer_columns(table: Block, block: Block) -> list[tuple[int, float]] | None:
    """Where `block` (the next page) splits `table`'s columns — (column, x) for every column edge of block well
    inside a column of table — when with those splits block goes on with table; None otherwise. Ruled tables
    only: a table printed without lines has columns as wide as their texts, different on every page."""
    if not (table.ruled and block.ruled):
        return None
    splits = sorted({(k, x0) for x0, _ in block.columns[1:] for k, (a, b) in enumerate(table.columns)
                     if a + EDGE < x0 < b - EDGE}, reverse=True)
    if not splits:
        return None
    columns = list(table.columns)
    for k, x in splits:  # right to left, so that k still names the column to split
        columns[k:k + 1] = [(columns[k][0], x), (x, columns[k][1])]
    return splits if _continues(replace(table, columns=columns), block) is not None else None


def _carried_row(table: Block, block: Block) -> tuple[Block, list[int]] | None:
    """A line first on its page that is the previous page's table going on by one row (too short for a table of
    its own: pdfplumber's tables have two rows at least): two or more cells, one of them a number, each under a
    column of that table. The row as a one-row table and its columns' mapping, or None."""
    if block.is_table or len(block.line.segments) < 2:
        return None
    segments = block.line.segments
    if not any(_AMOUNT.match(s.text.strip()) for s in segments):
        return None
    row = Block(block.page, block.top, [[s.text for s in segments]], [[s.box for s in segments]],
                columns=[(s.box[0], s.box[2]) for s in segments])
    mapping = _continues(table, row)
    return (row, mapping) if mapping is not None else None


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
                contents = page_contents(page)
            except Exception as exc:  # pdfplumber on a file that is not what it claims: any kind of exception
                raise damaged_page(path, number) from exc
            finally:
                page.close()  # pdfplumber caches every page's objects otherwise
            read.append(page_blocks(*contents, number))  # a failure here is a fault of this tool, not the file's
    if chars == 0:
        raise scanned(path)
    running = _running_lines(read)
    for number, blocks in enumerate(read, start=1):
        blocks = [b for b in blocks if b.is_table or not (is_footer(b.line.text) or id(b) in running)]
        carried = _place(builders, blocks, number)
        lines += [TextLine(number, b.line.text, tuple(round(v, 2) for v in b.line.box))
                  for b in blocks if not b.is_table and b is not carried]
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


def _place(builders: list[_Builder], blocks: list[Block], number: int) -> Block | None:
    """Put a page's blocks into the sheets: on the previous page's sheet when the page goes on with its last
    table (a title repeated above it dropped), on a new sheet otherwise. Returns the line that was the table's
    last row carried over (no part of the text then), if any."""
    prev = builders[-1] if builders else None
    carried_line = None
    if prev is not None and prev.table is not None and not prev.before and blocks:
        carried = _carried_row(prev.table, blocks[0])
        if carried is not None:  # the table's last row alone atop this page (“总分 100 95”): read as a line
            row, mapping = carried
            prev.last = number
            prev.add(row, mapping)
            carried_line, blocks = blocks[0], blocks[1:]
    first_table = next((i for i, b in enumerate(blocks) if b.is_table), None)
    if prev is not None and prev.table is not None and first_table is not None and not prev.before:
        leading = blocks[:first_table]
        table_block = blocks[first_table]
        titles = {_norm(t) for row in prev.rows[max(0, prev.table_row - 4):prev.table_row] for t in row if t}
        mapping = _continues(prev.table, table_block)
        splits = _finer_columns(prev.table, table_block) if mapping is None else None
        if (mapping is not None or splits is not None) and all(
                _norm(b.line.text) in titles or _CONTINUED.fullmatch(_norm(b.line.text))
                or all(_norm(t) in titles for t in b.rows[0] if t) for b in leading):
            for k, x in splits or ():
                prev.split_column(k, x)
            mapping = mapping or _continues(prev.table, table_block)
            prev.last = number
            prev.add(table_block, mapping, _repeated_header(prev.table, table_block, mapping))
            for b in blocks[first_table + 1:]:
                prev.add(b)
            return carried_line
    if blocks or carried_line is None:  # a page that was only the carried row opens no sheet of its own
        builder = _Builder(number, number)
        builders.append(builder)
        for b in blocks:
            builder.add(b)
    return carried_line
