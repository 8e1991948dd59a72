"""`disclosure check`: exit codes 0/1/2, grouped text, the JSON list, the Excel 校验报告."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook


@pytest.fixture
def book(book004):
    return book004


def test_sample_has_only_tails_so_exit_0(book, cli, tmp_path):
    report = tmp_path / "校验报告.xlsx"
    result = cli("check", book, "--xlsx", report)
    assert result.code == 0, result.err
    assert "校验结果：错误 0 条，警告 12 条，提示" in result.out  # 提示: the empty 说明数据
    assert "【公开03表 支出决算表】" in result.out and "尾差" in result.out
    ws = load_workbook(report)["校验结果"]
    assert [c.value for c in ws[4]][:7] == ["序号", "级别", "规则", "规则名称", "表", "单元格", "说明"]
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]]
    assert [r[1] for r in rows].count("警告") == 12 and rows[0][1] == "警告" and rows[0][5] == "公开02表!C20"
    assert {r[1] for r in rows} == {"警告", "提示"}
    assert ws.cell(5, 2).fill.fgColor.rgb.endswith("FFEB9C")
    assert ws.freeze_panes == "A5" and ws.auto_filter.ref.startswith("A4")


def test_an_error_gives_exit_1_and_json_names_the_cell(book, cli):
    wb = load_workbook(book)
    wb["公开05表"]["C8"] = 60  # 208 社会保障和就业支出 小计 (printed 64.99)
    wb.save(book)
    result = cli("check", book, "--json")
    assert result.code == 1, result.err
    findings = json.loads(result.out)
    keys = {"rule", "severity", "table", "cell", "message", "expected", "actual", "difference"}
    assert all(keys <= set(f) for f in findings)
    row_sum = next(f for f in findings if f["rule"] == "T05.1" and f["cell"] == "公开05表!C8")
    assert (row_sum["severity"], row_sum["actual"], row_sum["expected"], row_sum["difference"]) == (
        "错误", "60.00", "64.99", "-4.99")
    assert findings[0]["severity"] == "错误"  # most severe first


def test_unreadable_workbook_gives_exit_2(tmp_path, cli):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    result = cli("check", bad)
    assert result.code == 2
    assert result.err.startswith("错误：") and "bad.xlsx" in result.err and result.out == ""
