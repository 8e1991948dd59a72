"""Bad input gets one Chinese line naming file/sheet/cell, exit code ≠ 0, and no output file."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

from disclosure import grid


def _edit(src: Path, dst: Path, change) -> Path:
    wb = load_workbook(src)
    change(wb)
    wb.save(dst)
    return dst


def _find(ws, predicate):
    for row in ws.iter_rows():
        for cell in row:
            if predicate(cell.value):
                return cell
    raise AssertionError("cell not found")


def _sheet(wb, number: str):
    return next(ws for ws in wb.worksheets if ws.title.startswith(number))


def missing_table(src, dst):
    return _edit(src, dst, lambda wb: wb.remove(_sheet(wb, "05")))


def unknown_label(src, dst):
    def change(wb):
        cell = _find(_sheet(wb, "01"), lambda v: v == "七、附属单位上缴收入")
        cell.value = "七、其他乱七八糟的收入"
    return _edit(src, dst, change)


def text_in_amount(src, dst):
    def change(wb):
        ws = _sheet(wb, "03")
        cell = _find(ws, lambda v: v in ("2101506", 2101506))
        ws.cell(cell.row, cell.column + 2, "约5万")
    return _edit(src, dst, change)


def blank_row_with_amount(src, dst):
    def change(wb):
        ws = _sheet(wb, "01")
        cell = _find(ws, lambda v: v == 9)  # 行次 9 is an empty row of the income side
        ws.cell(cell.row, cell.column + 1, 12.5)
    return _edit(src, dst, change)


def bad_code_length(src, dst):
    def change(wb):
        cell = _find(_sheet(wb, "02"), lambda v: v in ("2101501", 2101501))
        cell.value = "2101"
    return _edit(src, dst, change)


def duplicate_code(src, dst):
    def change(wb):
        cell = _find(_sheet(wb, "05"), lambda v: v in ("2101504", 2101504))
        cell.value = "2101501"
    return _edit(src, dst, change)


def no_lanci_row(src, dst):
    def change(wb):
        ws = _sheet(wb, "02")
        lanci = _find(ws, lambda v: v == "栏次")
        for r in range(lanci.row - 2, lanci.row + 1):  # no 栏次 row, and no header names to fall back on
            for c in range(1, ws.max_column + 1):
                if not isinstance(ws.cell(r, c), MergedCell):
                    ws.cell(r, c).value = None
    return _edit(src, dst, change)


def missing_lanci_column(src, dst):
    def change(wb):
        ws = _sheet(wb, "03")
        lanci = _find(ws, lambda v: v == "栏次")
        for c in range(lanci.column, lanci.column + 12):
            if ws.cell(lanci.row, c).value == 6:
                ws.cell(lanci.row, c).value = None
    return _edit(src, dst, change)


def amount_without_code(src, dst):
    def change(wb):
        ws = _sheet(wb, "02")
        cell = _find(ws, lambda v: v in ("2101501", 2101501))
        ws.insert_rows(cell.row + 1)
        ws.cell(cell.row + 1, cell.column + 2, 7.0)  # an amount on a row with no code
        ws.cell(cell.row + 1, cell.column + 1, "无代码的一行")
    return _edit(src, dst, change)


def unknown_economic_code(src, dst):
    def change(wb):
        cell = _find(_sheet(wb, "06"), lambda v: isinstance(v, str) and v.strip() == "30199")
        cell.value = "30198"
    return _edit(src, dst, change)


def corrupt_zip(src, dst):
    data = src.read_bytes()
    dst.write_bytes(data[: len(data) // 2])
    return dst


def html_as_xls(src, dst):
    dst = dst.with_suffix(".xls")
    dst.write_text("<html><head><meta charset='utf-8'></head><body><table><tr><td>收入支出决算总表</td></tr>"
                   "</table></body></html>", encoding="utf-8")
    return dst


def empty_file(src, dst):
    dst.write_bytes(b"")
    return dst


def password_protected(src, dst):
    from msoffcrypto.format.ooxml import OOXMLFile

    with src.open("rb") as plain, dst.open("wb") as out:
        OOXMLFile(plain).encrypt("mima123", out)
    return dst


def huge_file(src, dst):
    with dst.open("wb") as fh:  # sparse: 100 MB on paper, nothing on disk
        fh.write(b"PK\x03\x04")
        fh.truncate(100 * 1024 * 1024)
    return dst


def word_document_renamed(src, dst):
    with zipfile.ZipFile(dst, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return dst


def plain_text(src, dst):
    dst = dst.with_suffix(".csv")
    dst.write_text("项目,决算数\n总计,1\n", encoding="utf-8")
    return dst


def published_pdf(src, dst):
    """The published PDF chosen where the export was meant: said what it is and what reads it."""
    dst = dst.with_suffix(".pdf")
    dst.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    return dst


# (case, words the message must contain: what is wrong, and where)
CASES = [
    (missing_table, ["没有找到公开05表", "一般公共预算财政拨款支出决算表"]),
    (unknown_label, ["表样中没有的项目", "七、其他乱七八糟的收入", "工作表“01收入支出决算总表”", "行"]),
    (text_in_amount, ["约5万", "单元格", "工作表“03支出决算表”"]),
    (blank_row_with_amount, ["行次 9 是空行", "第"]),
    (bad_code_length, ["2101", "位数不对", "单元格 A"]),
    (duplicate_code, ["2101501", "出现了两次", "工作表“05"]),
    (no_lanci_row, ["公开02表", "栏次"]),
    (missing_lanci_column, ["缺少栏次 6"]),
    (amount_without_code, ["有金额，但没有科目代码", "工作表“02收入决算表”"]),
    (unknown_economic_code, ["30198", "不在"]),
    (corrupt_zip, ["损坏"]),
    (html_as_xls, ["网页（HTML）"]),
    (empty_file, ["空的"]),
    (password_protected, ["密码"]),
    (huge_file, ["过大", "100.0 MB"]),
    (word_document_renamed, ["这是 Word 文档，不是有效的 Excel 工作簿", "disclosure lint"]),
    (plain_text, ["不支持的文件类型“.csv”"]),
]


@pytest.mark.parametrize("make,words", CASES, ids=[c[0].__name__ for c in CASES])
def test_bad_input_gives_one_chinese_line(make, words, export004, tmp_path, cli):
    bad = make(export004, tmp_path / f"{make.__name__}.xlsx")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "result.xlsx"
    result = cli("import", bad, "-o", out)
    assert result.code == 1, (result.code, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("错误：") and "Traceback" not in result.err
    assert f"文件“{bad.name}”" in lines[0]
    for word in words:
        assert word in lines[0]
    assert list(out_dir.iterdir()) == []  # no output file, no temp file left behind


def test_a_published_pdf_given_to_check_is_named_with_what_reads_it(export004, tmp_path, cli):
    """`import` reads a published PDF; `check` wants the workbook — and says which commands take the PDF."""
    pdf = published_pdf(export004, tmp_path / "公开")
    result = cli("check", pdf)
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert result.err.startswith("错误：文件“公开.pdf”：这是 PDF 文件，不是 Excel 工作簿")
    assert "disclosure audit" in result.err and "disclosure import" in result.err


def test_size_limit_is_the_documented_one():
    assert grid.MAX_FILE_MB == 50


def test_missing_file_and_existing_output(export004, tmp_path, cli):
    result = cli("import", tmp_path / "nope.xlsx", "-o", tmp_path / "o.xlsx")
    assert result.code == 1 and "找不到该文件" in result.err and "nope.xlsx" in result.err
    out = tmp_path / "o.xlsx"
    out.write_bytes(b"keep me")
    result = cli("import", export004, "-o", out)
    assert result.code == 1 and "已存在" in result.err
    assert out.read_bytes() == b"keep me"  # the user's file is untouched


def test_import_never_changes_the_export(export004, tmp_path, cli):
    copy = tmp_path / "export.xlsx"
    shutil.copy(export004, copy)
    before = copy.read_bytes()
    assert cli("import", copy, "-o", tmp_path / "o.xlsx").code == 0
    assert copy.read_bytes() == before


def test_show_refuses_a_raw_export(export004, cli):
    result = cli("show", export004)
    assert result.code == 1
    assert "不是本工具的模板工作簿" in result.err and "导入" in result.err


def test_show_names_the_cell_of_a_bad_amount(tmp_path, cli):
    path = tmp_path / "t.xlsx"
    assert cli("template", "--year", "2024", "-o", path, "--unit", "测试局").code == 0
    wb = load_workbook(path)
    wb["公开05表"]["C8"] = "一千"
    wb.save(path)
    result = cli("show", path)
    assert result.code == 1
    assert "工作表“公开05表”" in result.err and "单元格 C8" in result.err and "一千" in result.err
