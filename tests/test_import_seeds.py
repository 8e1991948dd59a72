"""Importing the seeds' tables reproduces every printed amount of all nine tables, whatever the export
looks like: numbers or text, shuffled rows, offsets, other sheet names, wrapped names."""

from __future__ import annotations

from decimal import Decimal

import pytest

from disclosure import workbook
from disclosure.errors import InputError
from disclosure.importers.export import import_export
from seedfixtures import Variant, canonical, expected, write_export

SPREAD = [("Sheet1", ["03", "01"]), ("数据", ["02", "04", "05", "06"]), ("其他表", ["09", "08", "07"])]
VARIANTS = {
    "numbers": Variant(),
    "text amounts, wrapped names": Variant(text_amounts=True, wrap_names=True),
    "shuffled, offset, spread over sheets": Variant(shuffle=True, offset_rows=2, offset_cols=1, sheets=SPREAD),
    "all on one sheet, text, shuffled": Variant(text_amounts=True, shuffle=True, seed=11,
                                                sheets=[("导出数据", [f"0{i}" for i in range(1, 10)])]),
}


def _names(report, tid):
    return {r.code: r.name for r in report.table(tid).code_rows()}


@pytest.mark.parametrize("seed_name", ["seed001", "seed004"])
@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_import_reproduces_every_amount(seed_name, variant, request, tmp_path):
    seed = request.getfixturevalue(seed_name)
    path = write_export(seed, tmp_path / "export.xlsx", variant)
    report = import_export(path)
    assert report.layout == str(seed.year)
    assert report.year == seed.year
    assert report.unit_name == seed.unit_name
    assert canonical(report) == expected(seed)
    for tid, names in seed.names.items():
        assert _names(report, tid) == names


def test_expected_values_are_the_printed_ones(seed001, seed004):
    """Spot checks against the seed text itself, so a parser slip cannot hide in both sides."""
    e1, e4 = expected(seed001), expected(seed004)
    assert e1["01"]["收入·收入总计"] == {"决算数": Decimal("2364.32")}
    assert e1["03"]["208"] == {"本年支出合计": Decimal("198.45"), "基本支出": Decimal("197.78"),
                               "项目支出": Decimal("0.68")}
    assert e1["06"]["人员经费合计"] == {"决算数": Decimal("1463.22")}
    assert e1["09"]["预算数"]["会议费"] == Decimal("25.00")
    assert e4["01"]["支出·支出总计"] == {"决算数": Decimal("2444.56")}
    assert e4["05"]["2101550"] == {"小计": Decimal("333.31"), "基本支出": Decimal("298.31"),
                                   "项目支出": Decimal("35.00")}
    assert e4["06"]["30228"] == {"决算数": Decimal("2.55")}
    assert len(e1["02"]) == 23 and len(e4["03"]) == 23


def test_layout_year_detected_from_labels(export001, export004):
    assert import_export(export001).layout == "2023"
    assert import_export(export004).layout == "2024"


def test_wrong_year_forced_is_refused_with_the_row(export001):
    with pytest.raises(InputError) as exc:
        import_export(export001, layout="2024")
    assert "公开01表" in str(exc.value) and "行" in str(exc.value)


def test_amounts_in_yuan_are_converted_to_wanyuan(seed004, tmp_path):
    path = write_export(seed004, tmp_path / "yuan.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value == "金额单位：万元":
                    cell.value = "金额单位：元"
                elif isinstance(cell.value, float):  # amounts; 行次 and codes load as int
                    cell.value = Decimal(str(cell.value)) * 10000
    wb.save(path)
    report = import_export(path)
    assert report.table("01").row("收入总计").amount("决算数") == Decimal("2444.56")
    assert report.table("06").row("30101").amount("决算数") == Decimal("179.41")


@pytest.mark.parametrize("seed_name", ["seed001", "seed004"])
def test_cli_import_writes_a_template_that_reads_back_identically(seed_name, request, tmp_path, cli):
    seed = request.getfixturevalue(seed_name)
    export = write_export(seed, tmp_path / "export.xlsx", Variant(text_amounts=True))
    out = tmp_path / "filled.xlsx"
    result = cli("import", export, "-o", out)
    assert result.code == 0, result.err
    assert "已导入" in result.out and seed.unit_name in result.out
    report = workbook.read(out)
    assert report.unit_name == seed.unit_name and report.year == seed.year
    assert canonical(report) == expected(seed)
    # every value's cell reference points at the cell holding it in the written workbook
    from openpyxl import load_workbook

    wb = load_workbook(out)
    for table in report.tables.values():
        for row in table.rows:
            for value in row.values.values():
                cell = wb[value.cell.sheet][value.cell.coord]
                assert Decimal(str(cell.value or 0)) == value.amount, value.cell
