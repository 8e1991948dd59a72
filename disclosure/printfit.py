"""How a table sheet prints (公开表.xlsx and the template's table sheets, the same for both): the height of a
row whose text needs more than one line in its column — Excel and LibreOffice size no merged cell to its
text, so a 绩效目标 of three lines printed one line high, over the rows below — and the page: portrait or
landscape, one page when the table fits at a readable scale, else one page wide with the header repeated.

Sizes are estimates in the units the writers use: column widths in characters (a Chinese character about two),
heights in points; A4 with the sheets' margins (0.5 in left and right, 1 in top and bottom).
"""

from __future__ import annotations

import math

import msgspec

from .tablegrid import HEADER, Grid, text_width

LINE_PT = 13.5  # one line of 10-pt 宋体
ROW_PT = 15  # a row of one line (the sheets' default height)
HEADER_PT = 30  # a header row (TableSheet and 公开表 give each 30)
TITLE_PT = 28 + 2 * ROW_PT  # the title, the 编号 line and the 编制单位 line above the grid
PAGE = {False: (523, 698), True: (770, 451)}  # landscape → printable (width, height) in points
SMALLEST_ONE_PAGE = 0.6  # below this scale a table is printed one page wide over several pages instead


class Printing(msgspec.Struct):
    """How one table sheet prints, for both writers: heights (pt) of the title row, of the grid rows that
    wrap (grid row → height) and of the note; the page."""

    title: float
    rows: dict[int, float]
    note: float
    landscape: bool
    one_page: bool


def printing(grid: Grid, title: str, note: str) -> Printing:
    rows = row_heights(grid)
    note_pt = note_height(note, grid)
    return Printing(title_height(title, grid), rows, note_pt, *page(grid, rows, note_pt))


def _lines(text: str, room: float) -> int:
    """Lines the text takes in a width of `room` characters (each line as typed at least one)."""
    return sum(max(1, math.ceil(text_width(line) / room)) for line in text.split("\n"))


def row_heights(grid: Grid) -> dict[int, float]:
    """Grid row → height (pt) for the rows whose text wraps in its (merged) width; other rows keep theirs."""
    need: dict[int, float] = {}
    for g in grid.cells:
        if g.kind == HEADER or not isinstance(g.value, str) or not g.value.strip():
            continue
        lines = _lines(g.value, max(sum(grid.widths[g.col:g.col + g.cols]) - 0.5, 2))
        if lines > 1:
            each = lines * LINE_PT / g.rows + 3
            for r in range(g.row, g.row + g.rows):
                need[r] = max(need.get(r, ROW_PT), each)
    return need


def page(grid: Grid, heights: dict[int, float], note_pt: float = 0) -> tuple[bool, bool]:
    """(landscape, one_page) for the table: the orientation that prints it largest on one page, when that
    scale is readable; else the one that fits its width best, one page wide and as many tall as it takes."""
    width = sum(5.25 * w + 3.75 for w in grid.widths)  # Excel: a width of w characters is about 7w + 5 px
    height = TITLE_PT + note_pt + sum(heights.get(r, HEADER_PT if r < grid.header_depth else ROW_PT)
                                      for r in range(grid.nrows))
    one_page = {landscape: min(1.0, w / width, h / height) for landscape, (w, h) in PAGE.items()}
    landscape = one_page[True] > one_page[False]
    if one_page[landscape] >= SMALLEST_ONE_PAGE:
        return landscape, True
    return width > PAGE[False][0] / 0.85, False  # portrait while it keeps 85 % of its size


def title_height(title: str, grid: Grid) -> float:
    """The title row: 28 pt, or a line more for each time the 16-pt title is wider than the table."""
    return 28.0 * _lines(title, max(sum(grid.widths), 1) / 1.6)


def note_height(note: str, grid: Grid) -> float:
    """The note under the table (9 pt): 30 pt a line as typed, more where a line wraps in the table's width."""
    wrapped = _lines(note, max(sum(grid.widths) * 1.1 - 1, 2))  # 9 pt: a tenth more characters to a width
    return max(30.0 * (note.count("\n") + 1), 12.5 * wrapped + 6)
