"""Amount cells whose value the file does not hold — a formula never calculated, an error value — stop the
import naming the cell; before, calamine read them as empty and they were imported as 0.00 without a word."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from disclosure.guard import NO_RESULT
from disclosure.guard import check_workbook_file as unread_cells  # the guard sees them in its pass


def _amount_cell(path, sheet_hint="05"):
    """A non-zero amount cell of 公开05表 in an export built from seed 004."""
    wb = load_workbook(path)
    ws = next(ws for ws in wb.worksheets if sheet_hint in ws.title)
    cell = next(c for row in ws.iter_rows() for c in row
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool) and c.value > 10)
    return wb, ws, cell


@pytest.mark.parametrize("content, why", [("=1+2", NO_RESULT), ("=SUM(C7:C9)", NO_RESULT),
                                           ("#DIV/0!", "错误值 #DIV/0!"), ("#REF!", "错误值 #REF!"),
                                           ("#N/A", "错误值 #N/A")])
def test_an_amount_the_file_does_not_hold_stops_the_import(export004, tmp_path, cli, content, why):
    path = tmp_path / "带公式.xlsx"
    wb, ws, cell = _amount_cell(export004)
    cell.value = content  # openpyxl keeps a formula without a result, and "#…!" as an error value
    wb.save(path)
    before = path.read_bytes()
    out = tmp_path / "out.xlsx"
    result = cli("import", path, "-o", out)
    assert result.code == 1 and not out.exists(), result.out + result.err
    line = result.err.strip()
    assert f"工作表“{ws.title}”" in line and f"单元格 {cell.coordinate}" in line and why in line
    assert "带公式.xlsx" in line and "当成 0" in line
    assert path.read_bytes() == before


def test_a_formula_outside_the_tables_does_not_matter(export004, tmp_path, cli):
    path = tmp_path / "表外公式.xlsx"
    wb = load_workbook(export004)
    ws = wb.worksheets[0]
    ws.cell(ws.max_row + 5, ws.max_column + 3).value = "=NOW()"  # a note cell nobody reads
    wb.save(path)
    assert unread_cells(path)  # it is seen …
    result = cli("import", path, "-o", tmp_path / "o.xlsx")
    assert result.code == 0, result.err  # … but no amount lands on it


def test_calculated_formulas_are_read_as_their_results(export004, tmp_path):
    """A formula with its cached result (saved by Excel) is an ordinary number: nothing to refuse."""
    import zipfile

    path = tmp_path / "已计算.xlsx"
    wb, ws, cell = _amount_cell(export004)
    value = cell.value
    cell.value = "=1+2"
    wb.save(path)
    # what Excel writes after calculating: the formula and its result <v>
    with zipfile.ZipFile(path) as zin:
        parts = {i.filename: zin.read(i) for i in zin.infolist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/") and b"<f>1+2</f><v></v>" in data:
            parts[name] = data.replace(b"<f>1+2</f><v></v>", f"<f>1+2</f><v>{value}</v>".encode())
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    assert unread_cells(path) == {}
    from disclosure.importers.export import import_export

    report = import_export(path)
    cells = {str(v.cell): v.amount for t in report.tables.values() for r in t.rows for v in r.values.values()}
    assert cells[f"{ws.title}!{cell.coordinate}"] == Decimal(str(value)).quantize(Decimal("0.01"))


def test_unread_cells_of_a_workbook_are_named_by_check(book004, tmp_path, cli):
    """Our own template workbook, edited by another program: check says which cell, exit 2."""
    wb = load_workbook(book004)
    ws = wb["公开05表"]
    cell = next(c for row in ws.iter_rows() for c in row
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool) and c.value > 10)
    cell.value = "=A1*2"
    wb.save(book004)
    result = cli("check", book004)
    assert result.code == 2 and f"单元格 {cell.coordinate}" in result.err and NO_RESULT in result.err
