"""`disclosure perf from-targets 决算 --budget 预算`: the 预算's 绩效目标表 (表13–表15) become the 决算's 自评表.

The 预算 is seed 002 (绥德县医疗保障局 2023) as the budget system exports it (tests/budgetexport.py), imported into
a 预算 workbook; the 决算 is seed 001's 2023 tables given seed 002's unit (as tests/test_budget_link.py builds it).
What the 自评表 must hold is taken from the seed's own data (002_tables.yaml via budgetexport), and every carried
figure and 年度指标值 is read back from the cell of the new sheet that the workbook reader says holds it. Variants
put several project forms into 表13 (Row.group) with random amounts and indicators."""

from __future__ import annotations

import copy
import hashlib
import random
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

import budgetexport as bx
from disclosure import workbook
from disclosure.importers.export import import_export
from disclosure.model import Row
from disclosure.perf import targets as tg
from disclosure.perf.model import OVERALL, PROJECT
from disclosure.perf.sheets import PROJECT_FUNDS

D = Decimal
T13, T14, T15 = (bx.TABLES[t] for t in ("表13", "表14", "表15"))


def _save(report, path: Path) -> Path:
    return workbook.save_atomic(workbook.build(report.spec, report), path)


@pytest.fixture(scope="module")
def files(export001, tmp_path_factory):
    """The 预算 workbook (seed 002's export imported), the 决算 one, and 预算 variants for the refusals."""
    folder = tmp_path_factory.mktemp("targets")
    bx.write_export(folder / "预算导出.xlsx")
    budget_report = import_export(folder / "预算导出.xlsx")
    juesuan = import_export(export001)
    assert not juesuan.perf  # the 决算 starts without 自评表
    juesuan.unit_name = bx.DATA["unit"]
    out = {"决算": _save(juesuan, folder / "决算.xlsx"), "预算": _save(budget_report, folder / "预算.xlsx")}
    for name, change in (("外单位", lambda r: setattr(r, "unit_name", "米脂县医疗保障局")),
                         ("上年", lambda r: setattr(r, "year", 2022)),
                         ("无目标表", lambda r: [setattr(r.tables[t], "rows", []) for t in bx.FORM_TABLES])):
        variant = copy.deepcopy(budget_report)
        change(variant)
        out[name] = _save(variant, folder / f"预算-{name}.xlsx")
    return out


@pytest.fixture
def book(files, tmp_path):
    return Path(shutil.copy(files["决算"], tmp_path / "决算.xlsx"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _indicators(data: dict) -> list[tuple[str, str, str, str]]:
    return [(i["level1"], i["level2"], i["name"], i["value"]) for i in data["indicators"]]


def _assert_indicators_carried(table, wb, expected) -> None:
    """Each 指标 row as the 目标表 printed it, 年度指标值 standing in the cell the reader gives, the rest empty."""
    assert [(i.level1, i.level2, i.level3, i.target) for i in table.indicators] == expected
    for ind in table.indicators:
        cell = ind.text_cells["年度指标值"]
        assert cell.sheet == table.sheet and wb[cell.sheet][cell.coord].value == ind.target
        assert (ind.actual, ind.weight, ind.score, ind.deviation) == ("", None, None, "")
        assert wb[cell.sheet][ind.text_cells["实际完成值"].coord].value is None


def _initial(table, wb, label: str):
    """The 年初预算数 of a 资金 row, checked against the cell it was read from."""
    f = table.fund(label)
    if f.initial is None:
        return None
    assert f.initial.cell.sheet == table.sheet
    assert D(str(wb[table.sheet][f.initial.cell.coord].value)) == f.initial.amount
    return f.initial.amount


# ---------------------------------------------------------------- seed 002 → seed 001's workbook

def test_targets_become_self_evaluation_tables(files, book, cli):
    result = cli("perf", "from-targets", book, "--budget", files["预算"])
    assert result.code == 0, result.err
    assert book.with_name("决算.备份.xlsx").exists()

    perf = workbook.read(book).perf
    wb = load_workbook(book)
    assert [(t.kind, t.name, t.sheet) for t in perf.tables] == [
        (OVERALL, T14["department"], "绩效-整体"), (PROJECT, T13["project"], "绩效-项目1"),
        (PROJECT, T15["project"], "绩效-项目2")]

    overall = perf.overall
    assert [(f.label, f.content) for f in overall.funds] == [
        (x["name"], x["content"]) for x in T14["tasks"]] + [("金额合计", "")]
    assert overall.total_fund.weight.amount == tg.FUND_WEIGHT  # the scored row, 分值 as the 财政部 template
    assert all(f.budget is None and f.spent is None and f.score is None for f in overall.funds)
    assert overall.goal == bx.goals_text(T14["goals"]) and overall.goal_done == ""
    _assert_indicators_carried(overall, wb, _indicators(T14))

    p13, p15 = perf.projects
    assert (p13.department, p15.department) == (T13["department"], T15["department"])
    assert [f.label for f in p13.funds] == list(PROJECT_FUNDS)
    # 表13 prints 实施期 figures only; 表15 its 年度 ones; a blank 其他资金 and 上年结转资金 stay empty
    year15 = T15["funds"]["年度"]
    assert [_initial(p13, wb, x) for x in PROJECT_FUNDS] == [
        T13["funds"]["实施期资金总额"], T13["funds"]["财政拨款"], None, T13["funds"]["其他资金"] or None]
    assert [_initial(p15, wb, x) for x in PROJECT_FUNDS] == [
        year15["资金总额"], year15["财政拨款"], None, year15["其他资金"] or None]
    assert p13.funds[0].initial.amount == D("1132")  # seed 002 prints 实施期资金总额： 1132
    assert p13.fund("年度资金总额").initial.cell.coord == "C6"
    for p in (p13, p15):
        assert p.total_fund.scored and all(not f.scored for f in p.funds[1:])
        assert all(f.budget is None and f.spent is None for f in p.funds)
    assert p13.goal == bx.goals_text(T13["goals"]) and p15.goal == bx.goals_text(T15["goals"]["年度"])
    _assert_indicators_carried(p13, wb, _indicators(T13))
    _assert_indicators_carried(p15, wb, _indicators(T15))

    # what was carried is said, with the 预算 cells it came from
    budget = workbook.read(files["预算"])
    total13 = budget.table("表13").row("实施期资金总额").values["金额"]
    assert f"绩效-项目1　项目“{T13['project']}”　← 表13：年初预算数 年度资金总额 1,132.00（{total13.cell}）" in result.out
    assert f"指标 {len(T13['indicators'])} 行（年度指标值 {len(T13['indicators'])} 个）" in result.out
    sum14 = budget.table("表14").row("金额合计", "任务").values["总额"]
    assert (f"整体支出绩效自评表没有“年初预算数”栏：表14 的预算金额合计 1,982.47（{sum14.cell}）未写入"
            in result.out)

    listing = cli("perf", "list", book)
    assert listing.code == 0
    assert listing.out.splitlines() == [
        f"绩效-整体\t整体\t{T14['department']}\t全年预算数 —，全年执行数 —\t指标 {len(T14['indicators'])} 行\t总分得分 —",
        f"绩效-项目1\t项目\t{T13['project']}\t年初预算数 1132，全年预算数 —，全年执行数 —\t"
        f"指标 {len(T13['indicators'])} 行\t总分得分 —",
        f"绩效-项目2\t项目\t{T15['project']}\t年初预算数 {year15['资金总额']}，全年预算数 —，全年执行数 —\t"
        f"指标 {len(T15['indicators'])} 行\t总分得分 —"]

    # a rerun adds nothing and says why, the workbook not even rewritten
    before = _digest(book)
    again = cli("perf", "from-targets", book, "--budget", files["预算"])
    assert again.code == 0, again.err
    assert "绩效目标表都已在工作簿中，没有加入新的绩效自评表" in again.out
    assert again.out.count("  未加入：") == 3
    assert f"未加入：项目“{T13['project']}”（表13!B4）：工作簿中已有（工作表“绩效-项目1”），未覆盖" in again.out
    assert _digest(book) == before


def test_a_project_already_there_is_kept_and_the_others_added(files, book, cli):
    added = cli("perf", "add", book, "--project", T13["project"])
    assert added.code == 0, added.err
    result = cli("perf", "from-targets", book, "--budget", files["预算"])
    assert result.code == 0, result.err
    assert f"未加入：项目“{T13['project']}”（表13!B4）：工作簿中已有（工作表“绩效-项目1”），未覆盖" in result.out
    perf = workbook.read(book).perf
    assert [(t.sheet, t.name) for t in perf.tables] == [
        ("绩效-整体", T14["department"]), ("绩效-项目1", T13["project"]), ("绩效-项目2", T15["project"])]
    officer = perf.projects[0]  # the officer's own blank table, not overwritten
    assert officer.indicators[0].target == "" and all(f.initial is None for f in officer.funds)
    assert perf.projects[1].fund("年度资金总额").initial.amount == T15["funds"]["年度"]["资金总额"]


# ---------------------------------------------------------------- several project forms (Row.group), generated

def _project_form(rng: random.Random, n: int, name: str = "") -> tuple[str, list[Row], dict]:
    """A 表13 form with random amounts (财政拨款 + 其他资金 = 总额, cents) and a random subset of seed indicators."""
    name = name or f"专项业务经费{n}号"
    fiscal = D(rng.randint(1, 500000)) / 100
    other = D(rng.choice([0, rng.randint(1, 90000)])) / 100
    picked = [dict(i, value=f"≥{rng.randint(50, 99)}%") for i in T13["indicators"]
              if rng.random() < 0.6] or [dict(T13["indicators"][0])]
    data = dict(T13, project=name, funds={"实施期资金总额": fiscal + other, "财政拨款": fiscal, "其他资金": other},
                indicators=picked, goals=[f"目标{n}"])
    return name, _rows("表13", data), data


def _rows(tid: str, data: dict) -> list[Row]:
    """A form's rows, each field named as the form prints it (as budgetexport.seed_report does)."""
    rows = bx._form_rows(tid, data)
    labels = {p.name: p.label or p.name for p in bx.seed_report().spec.tables[tid].parts if p.kind == "field"}
    for row in rows:
        if row.side is None:
            row.name = labels[row.key]
    return rows


def _multi_year(rng: random.Random) -> dict:
    """表15 of a project running several years: 实施期 three times the 年度 figures (only 年度 is this year's)."""
    fiscal, other = D(rng.randint(1, 300000)) / 100, D(rng.randint(1, 30000)) / 100
    year = {"资金总额": fiscal + other, "财政拨款": fiscal, "其他资金": other}
    return dict(T15, funds={"实施期": {k: v * 3 for k, v in year.items()}, "年度": year})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_project_form_becomes_its_own_table(files, book, tmp_path, seed):
    rng = random.Random(seed)
    report = bx.seed_report()
    forms = [_project_form(rng, n) for n in range(1, rng.randint(2, 4) + 1)]
    report.tables["表13"].rows = _grouped(forms)
    t15 = _multi_year(rng)
    report.tables["表15"].rows = _rows("表15", t15)
    budget_path = _save(report, tmp_path / "预算.xlsx")

    plan, added = tg.add(book, budget_path)
    assert plan.skipped == [] and len(added) == 1 + len(forms) + 1  # 整体, 表13's forms, 表15
    perf = workbook.read(book).perf
    wb = load_workbook(book)
    got = {t.name: t for t in perf.projects}
    assert list(got) == [name for name, _, _ in forms] + [T15["project"]]
    for name, _, data in forms:
        table = got[name]
        assert [_initial(table, wb, x) for x in PROJECT_FUNDS] == [
            data["funds"]["实施期资金总额"], data["funds"]["财政拨款"], None, data["funds"]["其他资金"] or None]
        _assert_indicators_carried(table, wb, _indicators(data))
        assert table.goal == bx.goals_text(data["goals"])
    year15 = t15["funds"]["年度"]
    assert [_initial(got[T15["project"]], wb, x) for x in PROJECT_FUNDS] == [
        year15["资金总额"], year15["财政拨款"], None, year15["其他资金"]]


def _grouped(forms) -> list[Row]:
    rows = []
    for group, (_, form_rows, _) in enumerate(forms, start=1):
        for row in form_rows:
            row.group = group
        rows += form_rows
    return rows


def test_a_project_written_with_other_spaces_or_widths_is_not_added_again(book, tmp_path, cli):
    """One name rule (perf.read.norm, as perf add and import --into use it): full-width digits and brackets and
    spaces do not make another project — neither against the workbook's tables nor between two forms."""
    assert cli("perf", "add", book, "--project", "2024年医保专项（二期）").code == 0
    rng = random.Random(5)
    names = ["２０２４年医保专项（一期）", "2024年医保专项(一期)", "2024年 医保专项(二期)"]
    forms = [_project_form(rng, n, name) for n, name in enumerate(names, start=1)]
    report = bx.seed_report()
    report.tables["表13"].rows = _grouped(forms)
    budget_path = _save(report, tmp_path / "预算.xlsx")

    plan, added = tg.add(book, budget_path)
    assert [t.name for t in plan.tables] == [T14["department"], names[0], T15["project"]]
    assert added == ["绩效-整体", "绩效-项目2", "绩效-项目3"]
    assert len(plan.skipped) == 2
    assert plan.skipped[0].startswith(f"项目“{names[1]}”（表13!") and plan.skipped[0].endswith(
        "：预算中前面已有同名项目的目标表，只加入一张")
    assert plan.skipped[1].startswith(f"项目“{names[2]}”（表13!") and plan.skipped[1].endswith(
        "：工作簿中已有（工作表“绩效-项目1”），未覆盖")
    assert [t.name for t in workbook.read(book).perf.projects] == ["2024年医保专项（二期）", names[0], T15["project"]]


def test_targets_reads_the_forms_with_their_budget_cells(files):
    """The 目标 model: each figure and 年度指标值 with the 预算 cell it stands in."""
    budget = workbook.read(files["预算"])
    perf = tg.targets(budget)
    assert [t.kind for t in perf.tables] == ["目标"] * 3
    assert [t.sheet for t in perf.tables] == ["表14", "表13", "表15"]
    t13 = perf.projects[0]
    sheet = load_workbook(files["预算"])["表13"]
    assert sheet[t13.name_cell.coord].value == T13["project"]
    for ind in t13.indicators:
        assert sheet[ind.text_cells["年度指标值"].coord].value == ind.target
    funds = {f.label: f.initial for f in t13.funds}
    assert {k: (v.amount if v else None) for k, v in funds.items()} == {
        PROJECT_FUNDS[0]: D("1132"), PROJECT_FUNDS[1]: D("1132"), PROJECT_FUNDS[3]: None}
    assert D(str(sheet[funds[PROJECT_FUNDS[0]].cell.coord].value)) == D("1132")
    tasks = [f for f in perf.overall.funds if f.label != "金额合计"]
    assert [(f.label, f.initial.amount) for f in tasks] == [(x["name"], x["total"]) for x in T14["tasks"]]


# ---------------------------------------------------------------- refusals: one Chinese line, workbook unchanged

@pytest.mark.parametrize("budget, decision, message", [
    ("决算", "决算", "是部门决算工作簿，不是部门预算工作簿：请给出同年的预算工作簿"),
    ("外单位", "决算", "是 米脂县医疗保障局 2023 年，决算工作簿“决算.xlsx”是 绥德县医疗保障局 2023 年：单位不同"),
    ("上年", "决算", "是 绥德县医疗保障局 2022 年，决算工作簿“决算.xlsx”是 绥德县医疗保障局 2023 年：年度不同"),
    ("无目标表", "决算", "的绩效目标表（表13 专项业务经费、表14 部门整体、表15 专项资金）都没有填写：没有可转为绩效自评表的内容"),
    ("预算", "预算", "是部门预算工作簿：绩效自评表加在同年的部门决算工作簿中"),
])
def test_refusals(files, book, tmp_path, cli, budget, decision, message):
    target = book if decision == "决算" else Path(shutil.copy(files["预算"], tmp_path / "预算副本.xlsx"))
    before = _digest(target)
    result = cli("perf", "from-targets", target, "--budget", files[budget])
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("错误：") and message in result.err and result.err.count("\n") == 1, result.err
    assert _digest(target) == before and not target.with_name(f"{target.stem}.备份.xlsx").exists()


def test_a_budget_file_that_cannot_be_read(book, tmp_path, cli):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    result = cli("perf", "from-targets", book, "--budget", bad)
    assert result.code == 1 and result.err.startswith("错误：读不了预算工作簿") and result.err.count("\n") == 1
