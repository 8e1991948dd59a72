"""The 预算 template workbook: generated from the spec, read back to the same Report — seed 002 and generated
variants (random amounts, 单位/科目/项目 rows added and removed, indicators, a second project's form)."""

from __future__ import annotations

import copy
import random
from decimal import Decimal

import pytest
from openpyxl import load_workbook

import budgetexport as bx
from disclosure import specs, workbook
from disclosure.model import Row, Value

SPEC = specs.load(bx.LAYOUT)


def canonical(report) -> dict:
    """Everything a 预算 Report holds, cells aside: per table, its rows in order."""
    out = {}
    for tid, table in report.tables.items():
        rows = []
        for r in table.rows:
            rows.append((r.side, r.key, r.code, r.gov_code, r.gov_name, r.unit_code, r.group, r.name.strip("　 "),
                         tuple(sorted((k, v.amount) for k, v in r.values.items())),
                         tuple(sorted((k, v) for k, v in r.texts.items()))))
        if table.spec.kind == "coded":
            rows = rows[:1] + sorted(rows[1:], key=lambda x: x[2])
        out[tid] = rows
    return out


def _roundtrip(report, tmp_path, name="预算.xlsx"):
    path = workbook.save_atomic(workbook.build(report.spec, report), tmp_path / name)
    return workbook.read(path), path


def test_blank_template_reads_as_an_empty_budget_report(tmp_path, cli):
    path = tmp_path / "预算.xlsx"
    result = cli("template", "--kind", "预算", "-o", path, "--unit", "测试局")
    assert result.code == 0, result.err
    assert "部门预算模板" in result.out
    report = workbook.read(path)
    assert (report.kind, report.layout, report.year, report.unit_name) == ("部门预算", "预算2023", 2023, "测试局")
    assert list(report.tables) == [f"表{n}" for n in range(1, 16)]
    assert all(t.is_empty for t in report.tables.values())
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["封面", "说明数据", "原因说明"]
    assert wb.sheetnames[3:] == [f"表{n}" for n in range(1, 16)]
    ws = wb["表1"]
    assert (ws["A1"].value, ws["A4"].value, ws["C4"].value) == ("部门综合预算收支总表", "收入", "支出")
    assert [ws.cell(5, c).value for c in range(1, 9)] == [
        "项目", "预算数", "支出功能分类科目（按大类）", "预算数", "部门预算支出经济分类科目（按大类）", "预算数",
        "政府预算支出经济分类科目（按大类）", "预算数"]
    inputs = [wb["说明数据"].cell(r, 1).value for r in range(4, 8)]
    assert inputs == ["上年.收入总计", "上年.支出总计", "上年.财政拨款收入", "上年.财政拨款支出"]  # the 预算 schema


def test_decision_template_is_unchanged_and_needs_its_year(tmp_path, cli):
    assert cli("template", "--year", "2024", "-o", tmp_path / "j.xlsx").code == 0
    assert workbook.read(tmp_path / "j.xlsx").kind == "部门决算"
    result = cli("template", "-o", tmp_path / "x.xlsx")
    assert result.code == 1 and "请用 --year 指定决算表样年度" in result.err
    result = cli("template", "--year", "预算2023", "-o", tmp_path / "x.xlsx")
    assert result.code == 1 and "--kind 预算" in result.err
    result = cli("template", "--kind", "预算", "--year", "2031", "-o", tmp_path / "x.xlsx")
    assert result.code == 1 and "没有 2031 年的部门预算表样" in result.err
    assert not (tmp_path / "x.xlsx").exists()


def test_seed_002_round_trips_through_the_template(tmp_path):
    report = bx.seed_report()
    back, path = _roundtrip(report, tmp_path)
    assert (back.kind, back.unit_name, back.year) == ("部门预算", "绥德县医疗保障局", 2023)
    assert canonical(back) == canonical(report)
    # every amount knows its cell, and the cell holds it
    wb = load_workbook(path)
    checked = 0
    for table in back.tables.values():
        for row in table.rows:
            for value in row.values.values():
                if value.amount:
                    sheet, coord = str(value.cell).split("!")
                    assert Decimal(str(wb[sheet][coord].value)) == value.amount, value.cell
                    checked += 1
    assert checked > 250


def _money(rng: random.Random) -> Decimal:
    return Decimal(rng.randrange(0, 10 ** 7)) / 100 if rng.random() < 0.8 else Decimal("0")


def _vary(rng: random.Random):
    """Seed 002 with random amounts, some rows dropped and others added."""
    report = copy.deepcopy(bx.seed_report())
    for table in report.tables.values():
        for row in table.rows:
            for k in row.values:
                row.values[k] = Value(_money(rng))
    for tid in ("表5", "表6", "表7", "表8"):
        table = report.table(tid)
        total, *coded = table.rows
        coded = [r for r in coded if rng.random() < 0.7]
        width = (3, 5, 7) if tid in ("表5", "表7") else (3, 5)
        taken = {r.code for r in coded}
        for _ in range(rng.randrange(0, 4)):
            digits = rng.choice(width)
            code = str(rng.randrange(2 * 10 ** (digits - 1), 10 ** digits))
            if code not in taken:
                taken.add(code)
                row = Row(name=f"新增科目{code}", code=code, values={c.name: Value(_money(rng)) for c in table.spec.columns},
                          texts={"备注": rng.choice(["", "新增"])})
                if table.spec.has_gov_codes and len(code) == 5:
                    row.gov_code, row.gov_name = "50502", "商品和服务支出"
                coded.append(row)
        table.rows = [total] + sorted(coded, key=lambda r: r.code)
    for tid in ("表2", "表3", "表12"):
        table = report.table(tid)
        units = [r for r in table.rows if rng.random() < 0.8]
        for n in range(rng.randrange(0, 3)):
            units.append(Row(name=f"新单位{n}", code=f"9{tid[1:]}{n:03d}",
                             values={c.name: Value(_money(rng)) for c in table.spec.columns}))
        table.rows = units
    t10 = report.table("表10")
    keep = [r for r in t10.rows if r.key or r.code or rng.random() < 0.7]
    keep.append(Row(name="新项目", unit_code="324002", values={"项目金额": Value(_money(rng))}, texts={"项目简介": "说明"}))
    t10.rows = keep[:1] + _units_with_projects(keep[1:])
    t11 = report.table("表11")
    for n in range(rng.randrange(0, 3)):
        texts = {c.name: "" for c in SPEC.table("表11").lists[0].columns if not c.amount}
        texts.update({"采购项目": f"采购{n}", "科目编码.类": "210", "数量": str(n + 1)})
        t11.rows.append(Row(name=f"采购{n}", side="采购", values={"预算金额": Value(_money(rng))}, texts=texts))
    t13 = report.table("表13")
    extra = [r for r in t13.rows if r.side == "指标"][:1]
    extra = [Row(name="新指标", side="指标", values={}, texts={**extra[0].texts, "指标内容": "新指标", "指标值": "≥1"})]
    first = [r for r in t13.rows if r.side != "指标"] + [r for r in t13.rows if r.side == "指标"] + extra
    if rng.random() < 0.5:  # a second project's form
        second = copy.deepcopy(first)
        second[0].texts["内容"] = "第二个项目"
        for r in first:
            r.group = 1
        for r in second:
            r.group = 2
        first += second
    t13.rows = first
    return report


def _units_with_projects(rows: list[Row]) -> list[Row]:
    """Projects right under their unit, as printed."""
    units = [r for r in rows if r.code]
    out = []
    for unit in units:
        out.append(unit)
        out += [r for r in rows if r.unit_code == unit.code]
    return out


@pytest.mark.parametrize("seed", range(6))
def test_generated_variants_round_trip(tmp_path, seed):
    report = _vary(random.Random(seed))
    back, _ = _roundtrip(report, tmp_path)
    assert canonical(back) == canonical(report)


def test_a_filled_template_offers_spare_rows_that_read_back_when_typed_in(tmp_path):
    report = bx.seed_report()
    _, path = _roundtrip(report, tmp_path)
    wb = load_workbook(path)
    ws = wb["表5"]
    last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value)
    ws.cell(last + 1, 1, "2240106")
    ws.cell(last + 1, 2, "安全监管")
    ws.cell(last + 1, 3, 5.5)
    ws = wb["表10"]
    last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value)
    ws.cell(last + 1, 2, "追加项目")
    ws.cell(last + 1, 3, 7)
    wb.save(path)
    back = workbook.read(path)
    row = back.table("表5").row("2240106")
    assert row.amount("合计") == Decimal("5.5") and row.name == "安全监管"
    project = back.table("表10").rows[-1]
    assert (project.name, project.unit_code, project.amount("项目金额")) == ("追加项目", "324002", Decimal("7"))


def test_table_15_prints_the_period_and_the_year_side_by_side():
    """表15 as seed 002 prints it: 实施期资金总额 | 年度资金总额 on one line, each 其中：财政拨款 and 其他资金 under its own —
    not the same labels twice one under the other (spec `beside`); read back in the same order."""
    from disclosure import specs, tablegrid

    grid = tablegrid.layout(specs.load("预算2023").tables["表15"], None)
    at = {g.value: (g.row, g.col) for g in grid.cells if isinstance(g.value, str)}
    assert at["年度资金总额"][0] == at["实施期资金总额"][0] and at["年度资金总额"][1] > at["实施期资金总额"][1]
    assert at["实施期限"][0] == at["主管部门"][0]
    labels = [(g.row, g.col) for g in grid.cells if g.value == "其中：财政拨款"]
    assert len(labels) == 2 and labels[0][0] == labels[1][0]


def test_a_blank_text_beside_another_over_a_list_reads_blank(tmp_path):
    """表15 printed with its two 目标 side by side (as seed 002 does), both left blank: the reader looks below a row
    of names for the text, and must not take the 指标 list's header (“指标内容”) for it."""
    from msgspec.structs import replace

    from disclosure import specs
    from disclosure.workbook_write import build, save_atomic

    spec = specs.load("预算2023")
    t15 = spec.tables["表15"]
    parts = tuple(replace(p, beside=True) if p.name == "年度目标" else p for p in t15.parts)
    side_by_side = replace(spec, tables={**spec.tables, "表15": replace(t15, parts=parts)})
    path = save_atomic(build(side_by_side, unit_name="测试局"), tmp_path / "并排.xlsx")
    rows = {r.key: r for r in workbook.read(path).table("表15").rows if r.key}
    assert rows["实施期总目标"].texts["内容"] == "" and rows["年度目标"].texts["内容"] == ""
