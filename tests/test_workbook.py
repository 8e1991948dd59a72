"""Template workbooks: generated from the specs, committed up to date, official layout, protection,
print setup; read back into a Report; saved without ever leaving a half-written file."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from disclosure import specs, workbook
from disclosure.model import Value

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from build_templates import template_path  # noqa: E402


def fingerprint(path: Path) -> dict:
    """Everything about a workbook a person would notice, minus timestamps (xlsx bytes never repeat)."""
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None or c.has_style:
                    cells[c.coordinate] = (c.value, c.number_format, c.protection.locked, bool(c.font.b),
                                           c.border.left.style, c.alignment.horizontal)
        out[ws.title] = {
            "cells": cells, "merged": sorted(map(str, ws.merged_cells.ranges)), "freeze": ws.freeze_panes,
            "print": (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth,
                      ws.page_setup.fitToHeight, ws.print_title_rows, ws.oddFooter.center.text),
            "protected": ws.protection.sheet,
            "validation": sorted(str(dv.sqref) for dv in ws.data_validations.dataValidation),
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        }
    return out


@pytest.mark.parametrize("layout", specs.available_layouts(None, specs.ALL_REGIONS))
def test_committed_templates_are_up_to_date(layout, tmp_path):
    fresh = workbook.write_template(layout, tmp_path / "fresh.xlsx")
    committed = template_path(layout)
    assert committed.exists(), f"run ./dev templates to create {committed.name}"
    assert fingerprint(committed) == fingerprint(fresh), f"run ./dev templates: {committed.name} is stale"


def test_template_sheets_follow_the_official_layout(tmp_path):
    path = workbook.write_template("2024", tmp_path / "t.xlsx", unit_name="子洲县医疗保障局")
    wb = load_workbook(path)
    assert wb.sheetnames == ["封面", "说明数据", "原因说明"] + [f"公开0{i}表" for i in range(1, 10)]
    ws = wb["公开01表"]
    assert ws["A1"].value == "收入支出决算总表" and "A1:F1" in map(str, ws.merged_cells.ranges)
    assert ws["F2"].value == "公开01表" and ws["A3"].value == "编制单位：子洲县医疗保障局"
    assert ws["A4"].value == "收入" and ws["D4"].value == "支出"
    assert ws["A5"].value == "项目" and ws["B5"].value == "行次" and ws["C5"].value == "决算数"
    assert ws["A6"].value == "栏次" and ws["C6"].value == 1 and ws["F6"].value == 2
    # 2024: 总计 at 行次 30 / 60, the last body row
    assert (ws["A36"].value, ws["B36"].value, ws["D36"].value, ws["E36"].value) == ("总计", 30, "总计", 60)
    assert ws["C36"].number_format == "#,##0.00"
    assert ws["C36"].protection.locked is False and ws["A36"].protection.locked is True
    assert ws.protection.sheet is True and not ws.protection.password
    assert ws.freeze_panes == "A7"
    # A4; 01's two sides print largest on one portrait page, 06's three blocks on one landscape page (printfit)
    assert ws.page_setup.orientation == "portrait" and int(ws.page_setup.paperSize) == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 1
    assert wb["公开06表"].page_setup.orientation == "landscape" and wb["公开06表"].page_setup.fitToHeight == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$4:$6"
    # three-level header of 09 and the coded layout of 05
    ws9 = wb["公开09表"]
    assert ws9["B4"].value == "财政拨款“三公”经费" and "B4:G4" in map(str, ws9.merged_cells.ranges)
    assert ws9["D5"].value == "公务用车购置及运行维护费" and ws9["D6"].value == "小计"
    assert [ws9.cell(8, c).value for c in (1, 2)] == ["预算数", None]
    ws5 = wb["公开05表"]
    assert (ws5["A4"].value, ws5["A5"].value, ws5["B5"].value, ws5["C4"].value, ws5["C5"].value) == (
        "项目", "科目代码", "科目名称", "本年支出", "小计")
    assert ws5["A7"].value == "合计" and ws5["A8"].protection.locked is False
    assert ws5.protection.insertRows is False  # officers may add 科目 rows


def test_2023_template_has_the_blank_row_30(tmp_path):
    ws = load_workbook(workbook.write_template("2023", tmp_path / "t.xlsx"))["公开01表"]
    assert (ws["A36"].value, ws["B36"].value) == (None, 30)
    assert (ws["A37"].value, ws["B37"].value, ws["E37"].value) == ("总计", 31, 62)


def test_blank_template_reads_as_an_all_zero_report(tmp_path):
    path = workbook.write_template("2023", tmp_path / "t.xlsx", unit_name="测试局", year=2023)
    report = workbook.read(path)
    assert report.unit_name == "测试局" and report.year == 2023 and report.layout == "2023"
    assert all(t.is_empty for t in report.tables.values())
    # 7 classes, 82 items (307 with 30701–30704, 312 without 31206: as printed in seed 001), 2 totals
    assert len(report.table("06").rows) == 7 + 82 + 2
    assert report.table("01").row("支出总计", side="支出").values["决算数"].cell.coord == "F37"


def test_economic_table_blocks_follow_the_spec(tmp_path):
    ws = load_workbook(workbook.write_template("2024", tmp_path / "t.xlsx"))["公开06表"]
    assert [ws.cell(5, c).value for c in (1, 4, 7)] == ["301", "302", "307"]
    assert ws.cell(4, 3).value == "决算数"
    last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "人员经费合计")
    assert ws.cell(last, 4).value == "公用经费合计"


def test_save_atomic_keeps_the_old_file_when_saving_fails(tmp_path, monkeypatch):
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"old content")
    wb = workbook.build(specs.load("2024"))

    def broken_save(path):
        Path(path).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(wb, "save", broken_save)
    with pytest.raises(workbook.DisclosureError, match="无法写出“.*book.xlsx”：写入失败（disk full）"):
        workbook.save_atomic(wb, target)
    assert target.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


amounts = st.decimals(min_value=Decimal("-99999.99"), max_value=Decimal("999999999.99"), places=2,
                      allow_nan=False, allow_infinity=False)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_filled_report_survives_write_and_read(data, tmp_path_factory):
    """Property: build(report) then read() gives back every amount, for random amounts and 科目."""
    spec = specs.load(data.draw(st.sampled_from(specs.available_layouts())))
    base = workbook.read(workbook.write_template(spec.layout, tmp_path_factory.mktemp("p") / "blank.xlsx"))
    codes = data.draw(st.lists(st.sampled_from(["208", "20805", "2080505", "210", "21015", "2101501",
                                                "2101550", "221", "22102", "2210201"]), unique=True))
    from disclosure.model import Row

    for table in base.tables.values():
        for row in table.rows:
            row.values = {k: Value(data.draw(amounts)) for k in row.values}
        if table.spec.kind == "coded":
            table.rows += [Row(name=f"科目{c}", code=c, values={col.name: Value(data.draw(amounts))
                                                                for col in table.spec.columns}) for c in codes]
    path = tmp_path_factory.mktemp("p") / "filled.xlsx"
    workbook.save_atomic(workbook.build(spec, base), path)
    back = workbook.read(path)
    for tid, table in base.tables.items():
        got = {(r.side, r.code or r.key): {k: v.amount for k, v in r.values.items()} for r in back.table(tid).rows}
        want = {(r.side, r.code or r.key): {k: v.amount for k, v in r.values.items()} for r in table.rows}
        assert got == want
