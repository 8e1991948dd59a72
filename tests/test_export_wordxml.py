"""The Word tables are written as XML strings (wordxml.add_grid_rows, 5× faster than python-docx's
cell API): the XML must be exactly what python-docx writes with add_run, Cell.merge and the row flags —
on every table of both years' layouts, on labels with spaces, tabs, line breaks and XML characters, and
at a smaller font size."""

from __future__ import annotations

import pytest
from docx.oxml.ns import qn
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from disclosure import tablegrid, workbook
from disclosure.export import wordxml
from disclosure.export.word import _cell_text

ALIGN = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
STYLE = "表格文字"


def cells_of(grid: tablegrid.Grid) -> list[wordxml.GridCell]:
    return [wordxml.GridCell(g.row, g.col, g.rows, g.cols, _cell_text(g, "0.00"),
                             bold=g.kind == tablegrid.HEADER or g.bold,
                             align="right" if g.kind == tablegrid.AMOUNT else "center" if g.center else None)
            for g in grid.cells]


def with_python_docx(cells, widths, nrows, header_rows, size) -> bytes:
    """The table as the python-docx cell API writes it (the code add_grid_rows replaced)."""
    doc = Document()
    table = doc.add_table(rows=nrows, cols=len(widths))
    for col, w in zip(table.columns, widths):
        col.width = w
    tcs = [tr.tc_lst for tr in table._tbl.tr_lst]
    for row in tcs:
        for c, tc in enumerate(row):
            tc.width = widths[c]
            tc.p_lst[0].style = STYLE
    for i, row in enumerate(table.rows):
        wordxml.row_flags(row, header=i < header_rows)
    merges = []
    for g in cells:
        tc = tcs[g.row][g.col]
        cell = _Cell(tc, table)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if g.text:
            p = Paragraph(tc.p_lst[0], cell)
            run = p.add_run(g.text)
            if size is not None:
                run.font.size = Pt(size)
            if g.bold:
                run.bold = True
            if g.align:
                p.alignment = ALIGN[g.align]
        if g.rows > 1 or g.cols > 1:
            merges.append((cell, _Cell(tcs[g.row + g.rows - 1][g.col + g.cols - 1], table)))
    for first, last in merges:
        first.merge(last)
    return etree.tostring(table._tbl)


def with_strings(cells, widths, nrows, header_rows, size) -> bytes:
    doc = Document()
    table = doc.add_table(rows=0, cols=len(widths))
    for col, w in zip(table.columns, widths):
        col.width = w
    wordxml.add_grid_rows(table, widths, nrows, header_rows, cells, STYLE, size=size)
    return etree.tostring(table._tbl)


def grids(book):
    report = workbook.read(book)
    return [tablegrid.layout(t.spec, t.rows) for _, t in sorted(report.tables.items())]


@pytest.mark.parametrize("year", ["2024", "2023"])
def test_every_table_of_both_layouts_is_written_as_python_docx_writes_it(seed_books, year):
    book = seed_books["004" if year == "2024" else "001"]
    merged = 0
    for grid in grids(book):
        cells = cells_of(grid)
        merged += sum(g.rows > 1 or g.cols > 1 for g in cells)
        widths = [int(w * 12700 * 9.5) for w in grid.widths]  # EMU, not whole twips
        for size in (None, 7.5):
            expected = with_python_docx(cells, widths, grid.nrows, grid.header_rows, size)
            assert with_strings(cells, widths, grid.nrows, grid.header_rows, size) == expected, grid.spec.number
    assert merged > 20  # the merged headers (two-level, 类/款/项 code columns) are among them


def test_awkward_texts_are_written_as_python_docx_writes_them(seed_books):
    grid = grids(seed_books["004"])[0]
    cells = cells_of(grid)
    awkward = [" 前导空格", "尾随空格 ", "制\t表", "换\n行\r\n两次", 'A & B <c> "d"', "\u3000全角空格", "1,234.50"]
    labels = [i for i, g in enumerate(cells) if g.text and not g.bold]
    for i, text in zip(labels, awkward):
        cells[i] = cells[i]._replace(text=text, bold=i % 2 == 0)
    widths = [1000 * 635 + 317] * grid.ncols  # half a twip: rounded as python-docx rounds it
    expected = with_python_docx(cells, widths, grid.nrows, grid.header_rows, 8)
    assert with_strings(cells, widths, grid.nrows, grid.header_rows, 8) == expected
    assert b"<w:tab/>" in expected and b'xml:space="preserve"' in expected and b"&amp; B &lt;c&gt;" in expected


def test_overlapping_cells_are_refused():
    doc = Document()
    table = doc.add_table(rows=0, cols=3)
    cells = [wordxml.GridCell(0, 0, 2, 2, "甲"), wordxml.GridCell(1, 1, 1, 1, "乙")]
    with pytest.raises(ValueError, match="overlaps"):
        wordxml.add_grid_rows(table, [635_000] * 3, 2, 1, cells, STYLE)


def test_the_first_rows_keep_with_the_next():
    """keep_rows: a table's first rows (a 绩效自评表's 名称, 部门 and funds) never stand alone at the foot of a page —
    their paragraphs keep with the next, the rest do not; the cell margins of a dense table are its own."""
    doc = Document()
    table = doc.add_table(rows=0, cols=2)
    cells = [wordxml.GridCell(r, c, 1, 1, f"{r}{c}" if (r + c) % 2 else "") for r in range(4) for c in range(2)]
    wordxml.add_grid_rows(table, [635_000] * 2, 4, 0, cells, STYLE, keep_rows=2)
    rows = table._tbl.findall(qn("w:tr"))
    kept = [all(p.find(qn("w:pPr")).find(qn("w:keepNext")) is not None for p in tr.iter(qn("w:p"))) for tr in rows]
    assert kept == [True, True, False, False]
    assert not any(list(tr.iter(qn("w:keepNext"))) for tr in rows[2:])
    wordxml.cell_margins(table, 57)
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    assert [(m.tag.split("}")[1], m.get(qn("w:w"))) for m in margins] == [("left", "57"), ("right", "57")]
