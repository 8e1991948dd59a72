"""公开表.xlsx: the tables as published (a 决算's nine, a 预算's fifteen) — the template's layout (tablegrid)
without input rows, protection or validation; A4, portrait or landscape and one page where the table fits
(printfit.py: long text wrapped, its rows as tall as it needs), header rows repeated,
the unit and year in the page header and page numbers in the footer. Empty tables carry the style's note.
Zero amounts print as in the Word tables (word.zero_print: the style's package.zero, else the workbook's 零值显示).

The sheets look exactly as workbook.TableSheet draws a template's table sheet (title block, grid, note,
fonts, borders, page setup: tests/test_export_sheets.py compares the two cell by cell), written through
sheetxml rather than openpyxl: the same file for the reader at a tenth of the time.
"""

from __future__ import annotations

from pathlib import Path

from .. import __version__, printfit, tablegrid
from ..model import Report
from ..workbook import AMOUNT_FORMAT, COUNT_FORMAT
from .perfgrid import perf_grid, title as perf_title
from .sheetxml import ALL_SIDES, Sheet, Style, save
from .word import empty_note, in_order

FONT, FILL = "宋体", "D9D9D9"  # workbook_write.TableSheet's
TITLE = Style(font=(FONT, 16, True), horizontal="center", vertical="center", wrap=True)
RIGHT = Style(horizontal="right")
HEADER = Style(font=(FONT, 10, True), fill=FILL, border=ALL_SIDES, horizontal="center", vertical="center", wrap=True)
AMOUNT = Style(font=(FONT, 10, False), border=ALL_SIDES, number_format=AMOUNT_FORMAT, horizontal="right",
               vertical="center")
COUNT = Style(font=(FONT, 10, False), border=ALL_SIDES, number_format=COUNT_FORMAT, horizontal="right",
              vertical="center")  # a count line (辆, 台): whole numbers
NOTE = Style(font=(FONT, 9, False), vertical="top", wrap=True)
TOP = 4  # the first row of the grid: title, 编号 and 编制单位 lines above it


def _label(bold: bool, center: bool, as_text: bool) -> Style:
    return Style(font=(FONT, 10, bold), border=ALL_SIDES, number_format="@" if as_text else "General",
                 horizontal="center" if center else "left", vertical="center", wrap=True)


def table_sheet(report: Report, table, note: str, header: str, zero: bool) -> Sheet:
    """One table as TableSheet.write(rows, spare_rows=0, protect=False, note=note) draws it."""
    t = table.spec
    grid = tablegrid.layout(t, table.rows, 0)
    ncols = grid.ncols
    ws = Sheet(t.sheet_name)
    ws.put(1, 1, t.title, TITLE)
    ws.merge(1, 1, 1, ncols)
    fit = printfit.printing(grid, t.title, note)
    ws.heights[1] = fit.title
    ws.put(2, ncols, t.number, RIGHT)
    ws.put(3, 1, f"编制单位：{report.unit_name}")
    ws.put(3, ncols, f"单位：{report.spec.unit}", RIGHT)
    for g in grid.cells:
        r1, c1 = TOP + g.row, g.col + 1
        if g.kind == tablegrid.HEADER:
            ws.put(r1, c1, g.value if g.value != "" else None, HEADER)
        elif g.kind == tablegrid.AMOUNT:
            ws.put(r1, c1, 0 if g.value is None and zero else g.value, COUNT if g.count else AMOUNT)  # 0 → 0.00
        else:
            ws.put(r1, c1, g.value if g.value not in ("", None) else None, _label(g.bold, g.center, g.as_text))
        ws.merge(r1, c1, r1 + g.rows - 1, c1 + g.cols - 1)
    for r in range(TOP, TOP + grid.header_depth):
        ws.heights[r] = 30
    for r, h in fit.rows.items():
        ws.heights[TOP + r] = h
    body = TOP + grid.header_rows
    end = TOP + grid.nrows + 1  # one empty row before the note
    ws.put(end, 1, note, NOTE)
    ws.merge(end, 1, end, ncols)
    ws.heights[end] = fit.note
    ws.widths = {i: w for i, w in enumerate(grid.widths, start=1)}
    ws.frozen_rows = body - 1
    if grid.header_rows:  # a form (预算 绩效目标) has no header to repeat
        ws.print_rows = (TOP, body - 1)
    ws.landscape, ws.fit_height = fit.landscape, fit.one_page
    ws.fit_width = ws.centered = True
    ws.margins = (0.5, 0.5, 1.0, 1.0)
    ws.header, ws.header_size = header, 9
    ws.footer = "第 &P 页，共 &N 页"
    return ws


def perf_sheet(report: Report, t, header: str) -> Sheet:
    """A 绩效自评表 on a sheet of its own (named as in the workbook: 绩效-整体, 绩效-项目1 …), drawn from the
    same grid as its Word table (perfgrid.py)."""
    grid = perf_grid(t)
    ncols = grid.ncols
    ws = Sheet(t.sheet)
    ws.put(1, 1, perf_title(t), TITLE)
    ws.merge(1, 1, 1, ncols)
    ws.heights[1] = 28
    ws.put(2, 1, f"（{report.year}年度）", Style(horizontal="center"))
    ws.merge(2, 1, 2, ncols)
    top = 3
    for g in grid.cells:
        r1, c1 = top + g.row, g.col + 1
        if g.kind == tablegrid.HEADER:
            ws.put(r1, c1, g.value or None, HEADER)
        elif g.kind == tablegrid.AMOUNT and not isinstance(g.value, str):
            ws.put(r1, c1, g.value, AMOUNT)
        else:  # texts, and scores and rates as printed (“95”, “86.02%”)
            right = g.kind == tablegrid.AMOUNT
            ws.put(r1, c1, g.value if g.value not in ("", None) else None,
                   Style(font=(FONT, 10, False), border=ALL_SIDES, number_format="@",
                         horizontal="right" if right else "center" if g.center else "left", vertical="center",
                         wrap=not right))
        ws.merge(r1, c1, r1 + g.rows - 1, c1 + g.cols - 1)
    ws.widths = {i: w for i, w in enumerate(grid.widths, start=1)}
    ws.landscape = ws.fit_width = ws.centered = True
    ws.margins = (0.5, 0.5, 1.0, 1.0)
    ws.header, ws.header_size = header, 9
    ws.footer = "第 &P 页，共 &N 页"
    return ws


def write_tables_xlsx(report: Report, config: dict, path: str | Path, accounts: str = "部门决算",
                      zero: str = "", document: str | None = None) -> Path:
    """公开表.xlsx: the tables as printed, in the layout's order; the page header is the unit and `document`
    (word.document_name: '2023年部门综合预算'), else '<year>年度<accounts>' with `accounts` 部门决算 or 单位决算
    (narrative.wording); `zero` what a zero amount prints ("" or "0.00", word.zero_print)."""
    header = f"{report.unit_name}{document or f'{report.year}年度{accounts}'}"
    sheets = []
    for _, table in in_order(report):
        t = table.spec
        note = "\n".join(x for x in ([empty_note(report, table, config)] if table.is_empty else []) + [t.note] if x)
        sheets.append(table_sheet(report, table, note, header, bool(zero)))
    if report.perf:  # the 绩效自评表 after the statutory tables
        sheets += [perf_sheet(report, t, header) for t in report.perf.tables]
    return save(sheets, path, author=report.unit_name, application=f"决算公开助手 {__version__}")  # as the docx
