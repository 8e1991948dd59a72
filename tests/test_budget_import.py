"""Importing a 部门预算 system's export: seed 002 laid out as it prints its tables (tests/budgetexport.py) and
variants of that layout come back with every amount of 表1–表12 from the cell it was written to."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

import budgetexport as bx
from disclosure import specs
from disclosure.errors import InputError
from disclosure.importers.export import import_export

SPEC = specs.load(bx.LAYOUT)
ZERO = Decimal("0")


def _side_rows(report, tid: str, side: str):
    return [r for r in report.table(tid).rows if r.side == side]


def _row(report, tid: str, ident: str):
    table = report.table(tid)
    hits = [r for r in table.rows if (r.code or r.key or r.name) == ident]
    assert len(hits) == 1, (tid, ident, [r.code or r.key or r.name for r in table.rows])
    return hits[0]


def assert_seed_amounts(report, cells: dict) -> int:
    """Every amount of 表1–表12 of seed 002 is in the report, with the cell the export wrote it to; amounts
    printed empty are zero. Returns how many printed amounts were compared by cell."""
    compared = 0
    for tid in bx.SIDE_TABLES:
        for side, printed in bx.TABLES[tid]["sides"].items():
            rows = _side_rows(report, tid, side)
            assert [r.key for r in rows] == [rs.key for s in SPEC.table(tid).sides if s.name == side for rs in s.rows]
            for n, (p, row) in enumerate(zip(printed, rows)):
                value = row.values["预算数"]
                assert value.amount == (p["amount"] or ZERO), (tid, side, p["label"])
                if p["amount"] is not None:
                    assert str(value.cell) == cells[(tid, (side, n))], (tid, side, p["label"])
                    compared += 1
    for tid in ("表2", "表3", "表5", "表6", "表7", "表8", "表10"):
        names = bx.COLUMN_NAMES.get(tid, {})
        printed_rows = bx.TABLES[tid]["rows"]
        assert len(report.table(tid).rows) == len(printed_rows), tid
        for p in printed_rows:
            ident = p.get("code") or p["name"]
            row = _row(report, tid, ident)
            assert row.name.strip("　 ") == p["name"] or p["name"] == "合计", (tid, ident)
            assert (row.gov_code, row.gov_name) == (p.get("gov_code"), p.get("gov_name")), (tid, ident)
            assert row.unit_code == p.get("unit_code"), (tid, ident)
            for column in bx.TABLES[tid]["columns"]:
                amount = p["values"].get(column)
                value = row.values[names.get(column, column)]
                assert value.amount == (amount or ZERO), (tid, ident, column)
                if amount is not None:
                    assert str(value.cell) == cells[(tid, ident, column)], (tid, ident, column)
                    compared += 1
    for tid in ("表11", "表12"):
        assert report.table(tid).rows == [] and report.table(tid).is_empty
    return compared


PRINTED_AMOUNTS = 271  # amounts printed in 表1–表12 of seed 002 (every one compared by cell)


def test_seed_002_export_imports_every_amount_from_its_cell(tmp_path):
    path = tmp_path / "导出.xlsx"
    cells = bx.write_export(path)
    report = import_export(path)
    assert (report.kind, report.layout, report.unit_name, report.year) == ("部门预算", bx.LAYOUT, "绥德县医疗保障局", 2023)
    assert assert_seed_amounts(report, cells) == PRINTED_AMOUNTS
    assert report.notices == []
    # the seed's own disagreements come through as printed (the checks report them, the import never fixes)
    t1 = {(r.side, r.key): r.amount("预算数") for r in report.table("表1").rows}
    t4 = {(r.side, r.key): r.amount("预算数") for r in report.table("表4").rows}
    assert t1[("政府预算支出经济分类", "对事业单位经常性补助")] == Decimal("743.08")
    assert t4[("政府预算支出经济分类", "对事业单位经常性补助")] == Decimal("704.07")
    assert t1[("部门预算支出经济分类", "基本.工资福利支出")] == Decimal("786.73")
    assert t1[("部门预算支出经济分类", "专项.对个人和家庭的补助")] == Decimal("1090.00")


def test_printed_amount_count_is_the_fixtures():
    count = sum(1 for tid in bx.SIDE_TABLES for rows in bx.TABLES[tid]["sides"].values() for r in rows
                if r["amount"] is not None)
    count += sum(1 for tid in ("表2", "表3", "表5", "表6", "表7", "表8", "表10") for r in bx.TABLES[tid]["rows"]
                 for v in r["values"].values() if v is not None)
    assert count == PRINTED_AMOUNTS


VARIANTS = {
    "shuffled": bx.Variant(seed=3, shuffle=True),
    "one sheet": bx.Variant(one_sheet=True),
    "two by two": bx.Variant(two_by_two=True),
    "empty rows": bx.Variant(seed=5, empty_rows=True),
    "text amounts": bx.Variant(text_amounts=True),
    "numeric codes": bx.Variant(numeric_codes=True),
    "titled": bx.Variant(titled=True),
    "inline funds": bx.Variant(inline_funds=True),
    "short titles": bx.Variant(short_titles=True),
    "short titles after the unit": bx.Variant(short_titles=True, titled=True, one_sheet=True),
    "everything": bx.Variant(seed=11, shuffle=True, two_by_two=True, empty_rows=True, text_amounts=True,
                             numeric_codes=True, titled=True, inline_funds=True),
    "one sheet, two by two, titled": bx.Variant(seed=2, one_sheet=True, two_by_two=True, titled=True, empty_rows=True),
}


@pytest.mark.parametrize("name", VARIANTS)
def test_export_variants_import_the_same_amounts(tmp_path, name):
    path = tmp_path / "导出.xlsx"
    cells = bx.write_export(path, VARIANTS[name])
    report = import_export(path)
    assert report.kind == "部门预算"
    assert assert_seed_amounts(report, cells) == PRINTED_AMOUNTS


@pytest.mark.parametrize("seed", range(4))
def test_random_variants(tmp_path, seed):
    import random

    rng = random.Random(seed)
    flags = {k: rng.random() < 0.5 for k in ("shuffle", "one_sheet", "two_by_two", "empty_rows", "text_amounts",
                                               "numeric_codes", "titled", "inline_funds", "short_titles")}
    path = tmp_path / "导出.xlsx"
    cells = bx.write_export(path, bx.Variant(seed=seed, **flags))
    assert assert_seed_amounts(import_export(path), cells) == PRINTED_AMOUNTS, flags


def test_forms_come_back_as_text_with_their_amounts(tmp_path):
    path = tmp_path / "导出.xlsx"
    cells = bx.write_export(path, bx.Variant(inline_funds=True))
    report = import_export(path)
    t13 = {r.key: r for r in report.table("表13").rows if r.key}
    assert t13["项目名称"].texts["内容"] == "医疗保障事务专项业务经费"
    assert t13["实施期资金总额"].values["金额"].amount == Decimal("1132")
    assert str(t13["实施期资金总额"].values["金额"].cell) == cells[("表13", "实施期资金总额")]
    assert t13["其他资金"].values["金额"].amount == 0
    assert t13["总体目标"].texts["内容"] == bx.goals_text(bx.TABLES["表13"]["goals"])
    indicators = [r for r in report.table("表13").rows if r.side == "指标"]
    assert [(r.texts["一级指标"], r.texts["二级指标"], r.texts["指标内容"], r.texts["指标值"]) for r in indicators] == \
        [(i["level1"], i["level2"], i["name"], i["value"]) for i in bx.TABLES["表13"]["indicators"]]
    t14 = report.table("表14").rows
    tasks = [r for r in t14 if r.side == "任务"]
    assert [(r.name, r.amount("总额"), r.key) for r in tasks] == [
        ("任务1", Decimal("892.47"), None), ("任务2", Decimal("400"), None), ("任务3", Decimal("690"), None),
        ("金额合计", Decimal("1982.47"), "金额合计")]
    assert str(tasks[0].values["财政拨款"].cell) == cells[("表14", "任务1", "fiscal")]
    t15 = {r.key: r for r in report.table("表15").rows if r.key}
    assert (t15["实施期财政拨款"].amount("金额"), t15["年度财政拨款"].amount("金额")) == (Decimal("1090"), Decimal("1090"))
    assert str(t15["年度财政拨款"].values["金额"].cell) == cells[("表15", "年度财政拨款")]
    assert t15["实施期限"].texts["内容"] == "2023年"
    assert t15["年度目标"].texts["内容"] == bx.goals_text(bx.TABLES["表15"]["goals"]["年度"])
    assert t15["实施期总目标"].texts["内容"] == bx.goals_text(bx.TABLES["表15"]["goals"]["实施期"])


def test_purchase_and_sangong_rows_are_read_when_printed(tmp_path):
    purchase = ["210", "15", "01", "324001", "办公设备", "A02010104", "", "台式计算机", "4",
                "310", "02", "503", "02", "2023年3月", Decimal("2.40"), "更新"]
    sangong = {"code": "324", "name": "绥德县医疗保障局",
               "values": {"上年.合计": Decimal("6.5"), "上年.三公小计": Decimal("4.5"), "上年.公务接待费": Decimal("4.5"),
                          "上年.会议费": Decimal("1"), "上年.培训费": Decimal("1"),
                          "当年.合计": Decimal("6"), "当年.三公小计": Decimal("4"), "当年.公务接待费": Decimal("2"),
                          "当年.公务用车小计": Decimal("2"), "当年.公务用车运行维护费": Decimal("2"),
                          "当年.会议费": Decimal("1"), "当年.培训费": Decimal("1"),
                          "增减变化情况.合计": Decimal("-0.5"), "增减变化情况.三公小计": Decimal("-0.5")}}
    path = tmp_path / "导出.xlsx"
    cells = bx.write_export(path, bx.Variant(extra_rows={"表11": [purchase], "表12": [sangong]}))
    report = import_export(path)
    (row,) = report.table("表11").rows
    assert row.name == "办公设备" and row.side == "采购"
    assert row.values["预算金额"].amount == Decimal("2.40")
    assert str(row.values["预算金额"].cell) == cells[("表11", "办公设备", "预算金额")]
    assert (row.texts["科目编码.类"], row.texts["政府预算支出经济科目编码.款"], row.texts["实施采购时间"]) == \
        ("210", "02", "2023年3月")
    (unit,) = report.table("表12").rows
    assert unit.code == "324"
    for column, amount in sangong["values"].items():
        assert unit.values[column].amount == amount, column
        assert str(unit.values[column].cell) == cells[("表12", "324", column)], column
    assert unit.values["上年.因公出国（境）费用"].amount == 0


def test_a_file_that_is_neither_kind_says_what_is_missing(tmp_path):
    wb = Workbook()
    wb.active["A1"] = "某某统计表"
    wb.active["A2"] = 123
    path = tmp_path / "其他.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as exc:
        import_export(path)
    message = str(exc.value)
    assert "没有找到公开01表“收入支出决算总表”" in message and "表1 部门综合预算收支总表" in message
    assert "其他.xlsx" in message


def test_a_budget_export_missing_a_table_names_it(tmp_path):
    path = tmp_path / "导出.xlsx"
    bx.write_export(path)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    del wb["表6"]
    wb.save(path)
    with pytest.raises(InputError, match="没有找到表6“部门综合预算一般公共预算支出明细表（按支出经济分类科目）”"):
        import_export(path)


def test_an_unknown_label_in_a_side_is_refused_with_its_cell(tmp_path):
    path = tmp_path / "导出.xlsx"
    bx.write_export(path)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["表1"]
    hit = next(c for row in ws.iter_rows() for c in row if c.value and str(c.value).strip() == "5、教育支出")
    hit.value = "5、教育培训和体育支出"
    ws.cell(hit.row, hit.column + 1, 3.5)
    wb.save(path)
    with pytest.raises(InputError, match=rf"工作表“表1”，第 {hit.row} 行：表1“支出功能分类”一侧有表样中没有的项目“5、教育培训和体育支出”"):
        import_export(path)
