"""The checks on the seeds' own tables find exactly the real problems: every one listed here was re-added
by hand from the published numbers; all are rounding tails (尾差), none is a false 错误."""

from __future__ import annotations

from decimal import Decimal

import pytest

from disclosure import workbook
from disclosure.checks import run
from disclosure.importers.export import import_export

EXPECTED = {
    "seed001": [
        # 01表 总计 2,364.32 vs 本年支出合计 2,363.01 + 年末 1.30
        ("T01.4", "警告", "公开01表!F37", "2364.32", "2364.31"),
        # 02表 合计 2,358.27 vs 类 198.45 + 2,053.89 + 105.92 (both columns)
        ("T02.2", "警告", "公开02表!C7", "2358.27", "2358.26"),
        ("T02.2", "警告", "公开02表!D7", "2358.27", "2358.26"),
        # 02表 208 198.45 vs 款 196.15 + 0.68 + 1.63
        ("T02.2", "警告", "公开02表!C8", "198.45", "198.46"),
        ("T02.2", "警告", "公开02表!D8", "198.45", "198.46"),
        # 02表 210 2,053.89 vs 款 17.94 + 2,035.96
        ("T02.2", "警告", "公开02表!C18", "2053.89", "2053.90"),
        ("T02.2", "警告", "公开02表!D18", "2053.89", "2053.90"),
        # 03表 row 208: 197.78 + 0.68 ≠ 198.45 (seeds/README.md); row 210: 1,266.62 + 792.01 ≠ 2,058.64
        ("T03.1", "警告", "公开03表!C8", "198.45", "198.46"),
        ("T03.1", "警告", "公开03表!C18", "2058.64", "2058.63"),
        # 03表 208 vs its 款; 210 基本支出 1,266.62 vs 17.94 + 1,248.69
        ("T03.2", "警告", "公开03表!C8", "198.45", "198.46"),
        ("T03.2", "警告", "公开03表!D18", "1266.62", "1266.63"),
        # 04表 总计 2,364.32 vs 2,363.01 + 1.30 (合计 and 一般公共预算 columns)
        ("T04.6", "警告", "公开04表!F38", "2364.32", "2364.31"),
        ("T04.6", "警告", "公开04表!G38", "2364.32", "2364.31"),
        # 04表 一般公共预算: 年初 6.05 + 收入 2,358.27 − 支出 2,363.01 = 1.31 vs 年末 1.30
        ("T04.8", "警告", "公开04表!G34", "1.30", "1.31"),
        # 05表 repeats 03表's rows 208 and 210
        ("T05.1", "警告", "公开05表!C8", "198.45", "198.46"),
        ("T05.1", "警告", "公开05表!C18", "2058.64", "2058.63"),
        ("T05.2", "警告", "公开05表!C8", "198.45", "198.46"),
        ("T05.2", "警告", "公开05表!D18", "1266.62", "1266.63"),
        # 06表 301 1,462.54 vs its 9 items 1,462.55; 302 107.10 vs its 17 items 107.13 — 0.03 is within
        # 17 × 0.005 = 0.085, so a 尾差, and the report names the class cell and both sums
        ("T06.1", "警告", "公开06表!C5", "1462.54", "1462.55"),
        ("T06.1", "警告", "公开06表!F5", "107.10", "107.13"),
    ],
    "seed004": [
        # 21015 医疗保障管理事务 2,328.28 vs 74.75 + 1,890.62 + 5.00 + 12.00 + 333.31 + 12.61 = 2,328.29
        ("T02.2", "警告", "公开02表!C20", "2328.28", "2328.29"),
        ("T02.2", "警告", "公开02表!D20", "2328.28", "2328.29"),
        # 03表 row 210: 383.11 + 1,959.04 ≠ 2,342.16
        ("T03.1", "警告", "公开03表!C14", "2342.16", "2342.15"),
        # 03表 合计 基本支出 485.52 vs 64.99 + 383.11 + 37.41; 210 基本 383.11 vs 10.06 + 373.06
        ("T03.2", "警告", "公开03表!D7", "485.52", "485.51"),
        ("T03.2", "警告", "公开03表!D14", "383.11", "383.12"),
        ("T03.2", "警告", "公开03表!C20", "2328.28", "2328.29"),
        # 21015 项目支出 1,955.22 vs 1,890.62 + 5.00 + 12.00 + 35.00 + 12.61 = 1,955.23
        ("T03.2", "警告", "公开03表!E20", "1955.22", "1955.23"),
        ("T05.1", "警告", "公开05表!C14", "2342.16", "2342.15"),
        ("T05.2", "警告", "公开05表!D7", "485.52", "485.51"),
        ("T05.2", "警告", "公开05表!D14", "383.11", "383.12"),
        ("T05.2", "警告", "公开05表!C20", "2328.28", "2328.29"),
        ("T05.2", "警告", "公开05表!E20", "1955.22", "1955.23"),
    ],
}


@pytest.mark.parametrize("seed_name", ["seed001", "seed004"])
def test_seed_findings_are_exactly_the_real_ones(seed_name, request, tmp_path):
    export = request.getfixturevalue("export" + seed_name[-3:])
    report = import_export(export)
    book = workbook.save_atomic(workbook.build(report.spec, report), tmp_path / "book.xlsx")
    everything = run(workbook.read(book))
    # the 说明数据 is still empty here: its 提示 (N01/N02) are tested with the narrative
    assert all(f.severity == "提示" for f in everything if f.rule.startswith("N"))
    findings = [f for f in everything if not f.rule.startswith("N")]
    got = [(f.rule, f.severity, str(f.cell), f.actual, f.expected) for f in findings]
    want = [(r, s, c, Decimal(a), Decimal(e)) for r, s, c, a, e in EXPECTED[seed_name]]
    assert got == want
    assert all("尾差" in f.message and "相差" in f.message for f in findings)
