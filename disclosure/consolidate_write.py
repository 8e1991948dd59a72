"""The 汇总 workbook: the template workbook of the consolidated report, plus
- a hidden sheet “_汇总来源”: for every 汇总 cell, how it was obtained and each unit's figure and cell;
- a sheet “支出分单位明细”: each unit's 基本支出, 项目支出 and 本年支出合计 (公开03表 合计 row), and the 汇总.
Reading the workbook back (workbook.read) ignores both. `explain` prints a cell's provenance from the file."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from .consolidate import Consolidation
from .consolidate_derive import TOTAL, Key, cells_of
from .errors import DisclosureError
from .model import CellRef

SOURCE_SHEET = "_汇总来源"
DETAIL_SHEET = "支出分单位明细"
SOURCE_HEADERS = ["汇总单元格", "表", "行", "栏", "汇总数", "计算", "单位", "单位单元格", "单位数"]
DETAIL_COLUMNS = ["基本支出", "项目支出", "本年支出合计"]


def write(c: Consolidation, out: Path, detail: bool = True) -> Path:
    from . import workbook
    from .outputs import check_output

    check_output(out, {u.path: "单位工作簿" for u in c.units})
    wb = workbook.build(c.report.spec, c.report)
    with tempfile.TemporaryDirectory(prefix="consolidate-") as tmp:  # where each figure landed
        probe = workbook.save_atomic(wb, Path(tmp) / "probe.xlsx")
        placed = {k: v.cell for k, v in cells_of(workbook.read(probe)).items()}
    _source_sheet(wb, c, placed)
    if detail:
        _detail_sheet(wb, c)
    return workbook.save_atomic(wb, out, inputs=[u.path for u in c.units])


def rows_of(c: Consolidation, placed: dict[Key, CellRef | None]) -> list[list]:
    """The provenance rows: one per unit figure of each 汇总 cell (one with no unit when none prints it)."""
    out = []
    for key, cell in placed.items():
        fig = c.derived.cells.get(key)
        sources = c.sources.get(key, [])
        if fig is None and not sources:
            continue
        amount = fig.amount if fig else Decimal(0)
        if amount == 0 and not any(s.amount for s in sources):
            continue
        tid, side, row, column = key
        head = [str(cell) if cell else "", f"公开{tid}表", f"{side}·{row}" if side else row, column, amount, c.how(key)]
        out += [head + [s.unit, str(s.cell) if s.cell else "", s.amount] for s in sources] or [head + ["", "", None]]
    return out


def _source_sheet(wb, c: Consolidation, placed: dict[Key, CellRef | None]) -> None:
    from .cells import put

    ws = wb.create_sheet(SOURCE_SHEET)
    for col, text in enumerate(SOURCE_HEADERS, start=1):
        ws.cell(1, col, text)
    for r, values in enumerate(rows_of(c, placed), start=2):
        for col, v in enumerate(values, start=1):
            put(ws, r, col, v)
    ws.sheet_state = "hidden"


def _detail_sheet(wb, c: Consolidation) -> None:
    from openpyxl.styles import Font

    from .cells import put
    from .workbook import AMOUNT_FORMAT

    ws = wb.create_sheet(DETAIL_SHEET)
    ws["A1"] = f"{c.report.unit_name} {c.report.year} 年度 支出分单位明细"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"单位：{c.report.spec.unit}（公开03表 合计行，各单位工作簿与汇总）"
    headers = ["单位", *DETAIL_COLUMNS]
    for col, text in enumerate(headers, start=1):
        ws.cell(3, col, text).font = Font(bold=True)
    lines = [(u.name, u.report.table("03").row(TOTAL)) for u in c.units]
    lines.append(("汇总", c.report.table("03").row(TOTAL)))
    for r, (name, row) in enumerate(lines, start=4):
        put(ws, r, 1, name)
        for col, column in enumerate(DETAIL_COLUMNS, start=2):
            cell = ws.cell(r, col, row.amount(column) if row else Decimal(0))
            cell.number_format = AMOUNT_FORMAT
    ws.column_dimensions["A"].width = 36
    for letter in "BCD":
        ws.column_dimensions[letter].width = 16


# ---------------------------------------------------------------- reading it back

def provenance(path: Path) -> list[dict]:
    """The rows of a 汇总 workbook's hidden provenance sheet."""
    from .amounts import parse_amount
    from .grid import read_sheets

    sheet = next((s for s in read_sheets(path) if s.name == SOURCE_SHEET), None)
    if sheet is None:
        raise DisclosureError(f"“{path.name}”没有汇总来源（工作表“{SOURCE_SHEET}”）：不是由 disclosure consolidate 生成的汇总工作簿")
    rows = []
    for r in range(1, sheet.height):
        values = [sheet.value(r, c) for c in range(len(SOURCE_HEADERS))]
        if values[0] or values[1]:
            row = dict(zip(SOURCE_HEADERS, values))
            for key in ("汇总数", "单位数"):  # amounts as Decimal (the sheet stores Excel numbers)
                row[key] = parse_amount(row[key]) if row[key] not in (None, "") else None
            rows.append(row)
    return rows


def explain(path: Path, cell: str) -> list[dict]:
    """Provenance of one cell (“公开05表!C8”; “公开05表 C8” and lower case also do)."""
    wanted = _normal_cell(cell)
    hits = [r for r in provenance(path) if _normal_cell(str(r["汇总单元格"] or "")) == wanted]
    if not hits:
        raise DisclosureError(f"汇总来源中没有单元格“{cell}”（应写作 公开05表!C8，且该格有数）")
    return hits


def _normal_cell(text: str) -> str:
    text = text.replace("！", "!").strip()
    if "!" not in text and " " in text:
        text = text.replace(" ", "!", 1)
    sheet, _, coord = text.rpartition("!")
    return f"{sheet.strip()}!{coord.strip().upper().replace('$', '')}"
