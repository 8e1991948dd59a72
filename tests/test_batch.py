"""Checking and exporting a folder of workbooks (disclosure.batch), as a finance bureau would."""

from __future__ import annotations

import shutil
from decimal import Decimal

from openpyxl import load_workbook

from conftest import build_sample_book
from disclosure.batch import EXPORTED, FAILED, REFUSED, check_folder, workbooks_in


def test_a_folder_is_checked_and_only_clean_workbooks_are_exported(tmp_path):
    folder = tmp_path / "报送"
    folder.mkdir()
    clean = build_sample_book(folder / "甲单位.xlsx")
    broken = folder / "乙单位.xlsx"
    shutil.copy(clean, broken)
    wb = load_workbook(broken)
    wb["公开05表"]["C7"] = Decimal("1")
    wb.save(broken)
    (folder / "丙单位.xlsm").write_bytes(b"")
    (folder / "~$甲单位.xlsx").write_bytes(b"Excel lock file")
    (folder / "说明.txt").write_text("not a workbook", encoding="utf-8")
    assert [p.name for p in workbooks_in(folder)] == ["丙单位.xlsm", "乙单位.xlsx", "甲单位.xlsx"]
    seen = []
    rows = check_folder(folder, export_to=tmp_path / "公开包", progress=lambda n, total, name: seen.append((n, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    by_name = {r.file.name: r for r in rows}
    assert by_name["甲单位.xlsx"].status == EXPORTED and (tmp_path / "公开包" / "甲单位" / "manifest.json").exists()
    assert by_name["乙单位.xlsx"].status == REFUSED and by_name["乙单位.xlsx"].errors == 3
    assert "公开05表!C7" in by_name["乙单位.xlsx"].detail and not (tmp_path / "公开包" / "乙单位").exists()
    assert by_name["丙单位.xlsm"].status == FAILED and "丙单位.xlsm" in by_name["丙单位.xlsm"].detail
    assert by_name["甲单位.xlsx"].unit == "子洲县医疗保障局" and by_name["甲单位.xlsx"].year == 2024


def test_a_cancelled_batch_stops_before_the_next_workbook(tmp_path):
    for name in ("a.xlsx", "b.xlsx"):
        (tmp_path / name).write_bytes(b"")
    asked = []
    rows = check_folder(tmp_path, cancelled=lambda: bool(asked.append(1)) or len(asked) > 1)
    assert [r.file.name for r in rows] == ["a.xlsx"]


def test_command_line_batch(tmp_path, cli):
    folder = tmp_path / "报送"
    folder.mkdir()
    build_sample_book(folder / "甲单位.xlsx")
    (folder / "乙单位.xlsx").write_bytes(b"not a workbook")
    result = cli("batch", folder, "-o", tmp_path / "汇总.xlsx")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("乙单位.xlsx\t\t错误 0\t警告 0\t读取失败\t文件“乙单位.xlsx”")
    assert lines[1] == "甲单位.xlsx\t子洲县医疗保障局\t错误 0\t警告 12\t通过"
    assert lines[-1] == "共 2 个工作簿，1 个有错误或读不了。" and (tmp_path / "汇总.xlsx").exists()
    assert "[2/2] 甲单位.xlsx" in result.err
    empty = tmp_path / "空"
    empty.mkdir()
    none = cli("batch", empty)
    assert none.code == 1 and none.err == f"错误：文件夹“{empty}”中没有 .xlsx/.xlsm 工作簿\n"
