"""Inner Mongolia's eleven tables (内蒙古2023 表样, issue 21): seed 003's own figures laid out as an export
(tests/seed003_workbook.py) import, go into a template workbook, read back and check — with no 错误 where the tables
agree — and each error seeded into one cell is found at that cell by the rule that owns it (R rules of
disclosure/checks/rules/regional.py for the two tables only 内蒙古 prints)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from disclosure import specs, workbook, workbook_write
from disclosure.checks import rules as _rules  # noqa: F401  (registers every rule)
from disclosure.checks.engine import ERROR, RULES, WARNING, run
from disclosure.importers.export import import_export
from disclosure.model import Report
from seed003_workbook import LAYOUT, Seed003, write

# N01/N02 render the 情况说明 (the neimenggu style is IM-B's); these tests are about the tables
TABLE_RULES = [r for r in RULES.values() if not r.id.startswith("N")]
NOT_MINE = {"X12"}  # 06 培训费 against a 表十 without 培训费 column: SH-A makes the 09 rules region-aware


def _through_workbook(tmp_path: Path, seed: Seed003, inputs: dict | None = None, yuan: bool = False) -> Report:
    """export → import → template workbook → (说明数据) → read: what the officer checks."""
    export = write(tmp_path / "export.xlsx", seed, yuan=yuan)
    imported = import_export(export, layout=LAYOUT)
    book = tmp_path / "workbook.xlsx"
    workbook_write.save_atomic(workbook_write.build(imported.spec, imported), book)
    return workbook_write.update_inputs(book, inputs) if inputs else workbook.read(book)


def _cell(report: Report, tid: str, key: str):
    row = report.table(tid).row(key)
    column = report.table(tid).spec.value_columns[0].name
    return row.values[column].cell


def test_spec_lists_the_eleven_tables_in_the_seeds_order():
    spec = specs.load(LAYOUT)
    assert (spec.region, spec.style, spec.default_year) == ("内蒙古", "neimenggu", 2023)
    from seed003figures import load

    seed_tables = load()["tables"]
    assert [t.title for t in spec.tables.values()] == [t["title"] for t in seed_tables]
    assert [t.printed_heading for t in spec.tables.values()] == [f"{t['number']}、{t['title']}" for t in seed_tables]
    assert [rs.unit for rs in spec.table("运行资产采购").sides[0].rows if rs.unit] == ["辆"] * 9 + ["台（套）"]
    assert "会议费" not in {c.name for c in spec.table("09").value_columns}


def test_seed_003_tables_import_and_check_without_false_errors(tmp_path):
    seed = Seed003()
    report = _through_workbook(tmp_path, seed, {"机关运行经费": Decimal("54.75"), "国有资产.车辆": 4})
    assert list(report.tables) == list(specs.load(LAYOUT).tables)
    # the seed's own figures, read back where the spec puts them
    assert report.table("项目经济分类").row("合计").amount("决算数") == Decimal("1517.15")
    assert report.table("项目经济分类").row("30307").amount("决算数") == Decimal("980")
    assert report.table("运行资产采购").row("机构运行经费").amount("决算数") == Decimal("54.75")
    assert report.table("运行资产采购").row("其他用车").amount("决算数") == 4
    assert report.table("09").row("决算数").amount("公务接待费") == Decimal("0.78")
    findings = [f for f in run(report, TABLE_RULES) if f.rule not in NOT_MINE]
    assert [f.message for f in findings if f.severity == ERROR] == []
    # what is left are the seed's own 尾差 (its 208 类 85.88 over 项 85.89, 302 of 表七 224.50 over 224.49 …)
    assert all(f.message.startswith("尾差") for f in findings if f.severity == WARNING), \
        [f.message for f in findings if f.severity == WARNING and not f.message.startswith("尾差")]
    regional = [(f.rule, str(f.cell)) for f in findings if f.rule.startswith("R")]
    assert regional == [("R01", str(_cell(report, "项目经济分类", "302")))]


def test_counts_stay_counts_in_an_export_in_yuan(tmp_path):
    """金额单位：元 converts every amount to 万元, but 4 辆 are 4 辆 (RowSpec.unit), not 0.0004 万元."""
    report = import_export(write(tmp_path / "yuan.xlsx", Seed003(), yuan=True), layout=LAYOUT)
    t = report.table("运行资产采购")
    assert (t.row("车辆合计").amount("决算数"), t.row("其他用车").amount("决算数")) == (4, 4)
    assert t.row("机构运行经费").amount("决算数") == Decimal("54.75")
    assert report.table("项目经济分类").row("31007").amount("决算数") == Decimal("73.41")


# (name, table, row, column, new value, 说明数据, rules expected at the changed cell)
VARIANTS = [
    ("表七 一类不等于其款", "项目经济分类", "302", "决算数", Decimal("230.50"), None, {"R01"}),
    ("表七 合计不等于各类和05表项目支出", "项目经济分类", "合计", "决算数", Decimal("1520.15"), None, {"R02", "R03"}),
    ("政府采购总额不等于货物工程服务", "运行资产采购", "政府采购总额", "决算数", Decimal("12.00"), None, {"R05"}),
    ("授予中小企业大于采购总额", "运行资产采购", "授予中小企业", "决算数", Decimal("3.00"), None, {"R05", "R06"}),
    ("车辆合计不等于各类用车", "运行资产采购", "车辆合计", "决算数", Decimal(5), None, {"R07"}),
    ("车辆数不是整数", "运行资产采购", "其他用车", "决算数", Decimal("4.5"), None, {"R08"}),
    ("机构运行经费与说明数据不同", "运行资产采购", "机构运行经费", "决算数", Decimal("45.75"),
     {"机关运行经费": Decimal("54.75")}, {"R09"}),
    # table and 说明数据 agree on 3 (R09 quiet), the uses add up to 4
    ("车辆合计与说明数据一致而与各类用车不同", "运行资产采购", "车辆合计", "决算数", Decimal(3), {"国有资产.车辆": 3}, {"R07"}),
]


@pytest.mark.parametrize("name, tid, row, column, value, inputs, expected", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_each_seeded_error_is_found_at_its_cell(tmp_path, name, tid, row, column, value, inputs, expected):
    seed = Seed003()
    seed.change(tid, row, column, value)
    report = _through_workbook(tmp_path, seed, inputs)
    changed = _cell(report, tid, row)
    assert report.table(tid).row(row).amount(column) == value  # the change went through import and workbook
    errors = [f for f in run(report, TABLE_RULES) if f.severity == ERROR]
    at_cell = {f.rule for f in errors if f.cell == changed}
    assert expected <= at_cell, (name, [(f.rule, str(f.cell), f.message) for f in errors])
    # no other rule calls it an error elsewhere, but the relations the changed cell is part of
    strays = [f for f in errors if f.rule not in expected and changed not in f.cells]
    assert strays == [], [(f.rule, str(f.cell), f.message) for f in strays]


def test_count_messages_speak_of_vehicles_not_money(tmp_path):
    seed = Seed003()
    seed.change("运行资产采购", "车辆合计", "决算数", Decimal(5))
    report = _through_workbook(tmp_path, seed, {"国有资产.车辆": 4})
    messages = {f.rule: f.message for f in run(report, [RULES["R07"], RULES["R09"]])}
    assert messages["R07"] == "表十一 车辆合计 为 5 辆，而各类用车之和为 4 辆，相差 1 辆"
    assert messages["R09"] == "表十一 车辆合计 为 5 辆，而说明数据“国有资产.车辆”为 4 辆，相差 1 辆"


def test_regional_rules_pass_over_layouts_without_the_tables():
    """A 陕西 report (the bundled 2024 sample) has no 表七/表十一: the R rules say nothing about it, and do not fail."""
    sample = next((Path(__file__).parents[1] / "templates" / "samples").glob("*导出.xlsx"))
    report = import_export(sample, layout="2024")
    assert "项目经济分类" not in report.tables and "运行资产采购" not in report.tables
    regional = [r for r in RULES.values() if r.id.startswith("R")]
    assert len(regional) == 9
    assert run(report, regional) == []
