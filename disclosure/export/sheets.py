"""公开表.xlsx: the nine tables as published — the template's layout (tablegrid) without input rows,
protection or validation; landscape A4 fitted to the page width, header rows repeated, the unit and
year in the page header and page numbers in the footer. Empty tables carry the "本表无数据" note.
Zero amounts print as in the Word tables (word.zero_print: the style's package.zero, else the workbook's 零值显示)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from ..model import Report
from ..workbook import AMOUNT_FORMAT, TableSheet
from .word import empty_note


def write_tables_xlsx(report: Report, config: dict, path: str | Path, accounts: str = "部门决算",
                      zero: str = "") -> Path:
    """公开表.xlsx: the tables as printed; `accounts` is 部门决算 or 单位决算 (narrative.wording), for the header;
    `zero` what a zero amount prints ("" or "0.00", word.zero_print)."""
    wb = Workbook()
    wb.remove(wb.active)
    for _, table in sorted(report.tables.items()):
        t = table.spec
        ws = wb.create_sheet(t.sheet_name)
        note = "\n".join(x for x in ([empty_note(report, table, config)] if table.is_empty else []) + [t.note] if x)
        TableSheet(ws, t, report.spec.unit, report.unit_name).write(table.rows, spare_rows=0, protect=False, note=note)
        ws.oddHeader.center.text = f"{report.unit_name}{report.year}年度{accounts}"
        ws.oddHeader.center.size = 9
        if zero:
            for row in ws.iter_rows():
                for cell in row:  # the amount cells the grid left blank: zero, printed 0.00 by their format
                    if cell.value is None and cell.number_format == AMOUNT_FORMAT:
                        cell.value = 0
    wb.save(str(path))
    return Path(path)
