"""公开表.xlsx is written as XML strings (export/sheetxml.py, a tenth of openpyxl's time): read back with
openpyxl it must be the sheet workbook.TableSheet draws — every cell's value, type, font, fill, borders,
alignment and number format, the merged ranges, widths, heights, frozen rows, print titles, page setup,
header and footer — on both years' layouts, the seeds, random consistent reports, empty tables with their
note, zeros printed as 0.00, and text that looks like a formula or carries spaces, line breaks and XML
characters."""

from __future__ import annotations

import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import Workbook, load_workbook

from consistent import consistent_reports
from disclosure import workbook
from disclosure.errors import InputError
from disclosure.export.sheets import write_tables_xlsx
from disclosure.export.word import empty_note
from disclosure.importers.export import import_export
from disclosure.narrative.render import style_config
from disclosure.workbook import AMOUNT_FORMAT, TableSheet

CONFIG = style_config("shaanxi")


def with_openpyxl(report, path: Path, accounts: str = "部门决算", zero: str = "") -> Path:
    """The 公开表 as it was written before sheetxml: TableSheet on an openpyxl workbook."""
    wb = Workbook()
    wb.remove(wb.active)
    for _, table in sorted(report.tables.items()):
        t = table.spec
        ws = wb.create_sheet(t.sheet_name)
        note = "\n".join(x for x in ([empty_note(report, table, CONFIG)] if table.is_empty else []) + [t.note] if x)
        TableSheet(ws, t, report.spec.unit, report.unit_name).write(table.rows, spare_rows=0, protect=False, note=note)
        ws.oddHeader.center.text = f"{report.unit_name}{report.year}年度{accounts}"
        ws.oddHeader.center.size = 9
        if zero:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is None and cell.number_format == AMOUNT_FORMAT:
                        cell.value = 0
    wb.save(path)
    return path


def _cell(c) -> tuple:
    border = tuple((s, getattr(c.border, s).style) for s in ("left", "right", "top", "bottom"))
    value = None if c.value == "" else c.value
    return (value, c.data_type if value is not None else None, c.font.name, c.font.sz, bool(c.font.b),
            c.fill.fill_type, c.fill.fgColor.rgb if c.fill.fill_type else None, border,
            c.alignment.horizontal, c.alignment.vertical, bool(c.alignment.wrap_text), c.number_format)


def sheet_facts(ws) -> dict:
    """What a reader sees of a sheet, as openpyxl reads it back."""
    cells = {c.coordinate: _cell(c) for row in ws.iter_rows() for c in row}
    plain = _cell(ws.parent.worksheets[0].cell(1000, 50))  # a cell nobody wrote
    return {
        "cells": {k: v for k, v in cells.items() if v != plain},
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth},
        "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height is not None},
        "freeze": ws.freeze_panes, "titles": ws.print_title_rows,
        "page": (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth,
                 ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage,
                 ws.print_options.horizontalCentered, ws.page_margins.left, ws.page_margins.right,
                 ws.page_margins.top, ws.page_margins.bottom),
        # an & of the text is written && (a lone & starts a header code: openpyxl's "A&B" prints "A" and a bold "B")
        "header": (ws.oddHeader.center.text.replace("&&", "&"), ws.oddHeader.center.size),
        "footer": ws.oddFooter.center.text,
    }


def assert_same(report, folder: Path, accounts: str = "部门决算", zero: str = "") -> list[str]:
    ours = load_workbook(write_tables_xlsx(report, CONFIG, folder / "ours.xlsx", accounts, zero))
    theirs = load_workbook(with_openpyxl(report, folder / "openpyxl.xlsx", accounts, zero))
    assert ours.sheetnames == theirs.sheetnames
    for name in theirs.sheetnames:
        mine, reference = sheet_facts(ours[name]), sheet_facts(theirs[name])
        for key in reference:
            assert mine[key] == reference[key], f"{name} {key}"
    return ours.sheetnames


def test_sample_as_tablesheet_draws_it(tmp_path):
    report = import_export(Path(__file__).parent.parent / "templates" / "samples"
                           / "子洲县医疗保障局-2024-部门决算公开表-导出.xlsx")
    names = assert_same(report, tmp_path)
    assert names == [f"公开0{i}表" for i in range(1, 10)]
    ws = load_workbook(tmp_path / "ours.xlsx")["公开01表"]
    assert ws["A1"].value == "收入支出决算总表" and ws["A3"].value == "编制单位：子洲县医疗保障局"
    assert ws["C7"].value == pytest.approx(2444.56) and ws["C7"].number_format == "#,##0.00"
    assert ws.print_title_rows == "$4:$6" and ws.freeze_panes == "A7"
    assert ws.parent.properties.creator == "子洲县医疗保障局"  # as the docx's author, not "openpyxl"


@pytest.mark.parametrize("seed", ["001", "004"])
def test_seeds_as_tablesheet_draws_them(seed, seed_books, tmp_path):
    """001 is a 2023 layout (咸阳市), 004 a 2024 one; empty tables carry their note; zeros as 0.00 and as
    a 单位决算's header."""
    report = workbook.read(seed_books[seed])
    assert any(t.is_empty for t in report.tables.values())  # the 本表无数据 note is drawn
    assert_same(report, tmp_path)
    assert_same(report, tmp_path, accounts="单位决算", zero="0.00")
    zeros = [c.value for row in load_workbook(tmp_path / "ours.xlsx")["公开01表"].iter_rows() for c in row
             if c.number_format == AMOUNT_FORMAT]
    assert 0 in zeros and None not in zeros


def test_text_stays_text(tmp_path):
    """A unit name or 科目 that looks like a formula, with spaces at its ends, a CR, a tab, & and <:
    written as inline strings, read back unchanged; in the page header an & stays an &."""
    report = import_export(Path(__file__).parent.parent / "templates" / "samples"
                           / "子洲县医疗保障局-2024-部门决算公开表-导出.xlsx")
    odd = ["=cmd|' /C calc'!A0", " 前后有空格 ", "\r=1+2", "甲\t乙&丙<丁>", "@SUM(A1)"]
    report.unit_name = "A&B 局"
    rows = report.tables["05"].code_rows()
    for row, name in zip(rows, odd):
        row.name = name
    assert_same(report, tmp_path)
    wb = load_workbook(tmp_path / "ours.xlsx", rich_text=False)
    labels = {c.value for row in wb["公开05表"].iter_rows() for c in row if c.data_type == "s"}
    assert set(odd) <= labels
    assert not [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    with zipfile.ZipFile(tmp_path / "ours.xlsx") as zf:
        assert "<oddHeader>&amp;C&amp;9 A&amp;&amp;B 局2024年度部门决算</oddHeader>" in zf.read("xl/worksheets/sheet1.xml").decode()


def test_a_control_character_is_refused_with_its_cell(tmp_path):
    report = import_export(Path(__file__).parent.parent / "templates" / "samples"
                           / "子洲县医疗保障局-2024-部门决算公开表-导出.xlsx")
    report.unit_name = "子洲县\x07医保局"
    with pytest.raises(InputError) as caught:
        write_tables_xlsx(report, CONFIG, tmp_path / "t.xlsx")
    assert caught.value.sheet == "公开01表" and caught.value.cell == "A3" and "控制字符 U+0007" in str(caught.value)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports())
def test_random_reports_as_tablesheet_draws_them(report):
    with tempfile.TemporaryDirectory() as folder:
        assert_same(report, Path(folder), zero="0.00")
        amounts = [c.value for ws in load_workbook(Path(folder) / "ours.xlsx").worksheets for row in ws.iter_rows()
                   for c in row if c.number_format == AMOUNT_FORMAT and c.value]
        expected = [v.amount for t in report.tables.values() for r in t.rows for v in r.values.values() if v.amount]
        assert sorted(Decimal(str(a)) for a in amounts) == sorted(expected)


def test_sheetxml_custom_format_merge_edges_and_numbers(tmp_path):
    """What the 公开表 does not use yet: a number format Excel has no id for, a merged block's edges, and
    numbers written exactly (a Decimal is never passed through a float)."""
    from disclosure.export.sheetxml import ALL_SIDES, Sheet, Style, save

    ws = Sheet("表")
    boxed = Style(border=ALL_SIDES, number_format='#,##0.0000"万元"')
    ws.put(2, 2, Decimal("12345678901234.5678"), boxed)
    ws.merge(2, 2, 4, 3)
    ws.put(6, 1, 7)
    save([ws], tmp_path / "x.xlsx")
    read = load_workbook(tmp_path / "x.xlsx")["表"]
    assert read["B2"].number_format == '#,##0.0000"万元"' and [str(r) for r in read.merged_cells.ranges] == ["B2:C4"]
    sides = {c: tuple(s for s in ("left", "right", "top", "bottom") if getattr(read[c].border, s).style)
             for c in ("C2", "B3", "C3", "B4", "C4")}
    assert sides == {"C2": ("right", "top"), "B3": ("left",), "C3": ("right",), "B4": ("left", "bottom"),
                     "C4": ("right", "bottom")}
    with zipfile.ZipFile(tmp_path / "x.xlsx") as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>12345678901234.5678</v>" in xml and '<c r="A6"><v>7</v></c>' in xml
