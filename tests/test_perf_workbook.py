"""绩效自评表 in the workbook: template sheets (perf add / list), reading them back, import from an export laid out
as seed 001 prints its ten tables (tests/perfexport.py, with variants) — alone (--into) or beside the 决算
tables (import -o) — and `show --json`. Every value of 001_perf.yaml is checked with the cell it was read from."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from msgspec.structs import replace
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

import perfexport as px
import seed001perf
from disclosure import workbook
from disclosure.errors import DisclosureError
from disclosure.grid import read_sheets
from disclosure.perf.model import OVERALL, PROJECT, FundRow, Indicator, Performance, PerfTable
from disclosure.perf.read import find_in_export
from disclosure.perf.sheets import PROJECT_FUNDS, add_table, add_to_file

SAMPLE_EXPORT = Path(__file__).parent.parent / "templates" / "samples" / "子洲县医疗保障局-2024-部门决算公开表-导出.xlsx"
DASH = seed001perf.DASH


def _score(raw):
    return None if raw in (None, DASH) else raw


def _amount(v):
    return v.amount if v is not None else None


def expected(t: dict) -> dict:
    """A YAML table as the model must read it: amounts Decimal, “—” and blanks None, texts "" for null."""
    if t["kind"] == "整体":
        funds = [{"项目": f["任务名称"], "主要内容": f["主要内容"] or "", "完成情况": f["完成情况"] or "",
                  "全年预算数": f["全年预算数"]["总额"], "全年执行数": f["全年执行数"]["总额"], "年初预算数": None,
                  "全年预算数.财政拨款": f["全年预算数"]["财政拨款"], "全年预算数.其他资金": f["全年预算数"]["其他资金"],
                  "全年执行数.财政拨款": f["全年执行数"]["财政拨款"], "全年执行数.其他资金": f["全年执行数"]["其他资金"],
                  "分值": _score(f["分值"]), "执行率": seed001perf.rate(f["执行率"]), "得分": _score(f["得分"])}
                 for f in t["任务"]]
    else:
        funds = [{"项目": f["项目"], "年初预算数": f["年初预算数"], "全年预算数": f["全年预算数"], "全年执行数": f["全年执行数"],
                  "分值": _score(f["分值"]), "执行率": seed001perf.rate(f["执行率"]), "得分": _score(f["得分"])}
                 for f in t["资金"]]
    return {
        "kind": t["kind"], "名称": t["名称"] or "", "主管部门": t.get("主管部门") or "", "实施单位": t.get("实施单位") or "",
        "title": t["title"], "资金": funds,
        "目标": (t["年度总体目标"]["预期目标"], t["年度总体目标"]["实际完成情况"]),
        "指标": [{k: (ind[k] or "") for k in px.INDICATOR_TEXTS} | {"分值": _score(ind["分值"]), "得分": _score(ind["得分"])}
                 for ind in t["指标"]],
        "总分": (t["总分"]["分值"], t["总分"]["得分"]),
    }


def actual(table: PerfTable) -> dict:
    funds = []
    for f in table.funds:
        row = {"项目": f.label, "年初预算数": _amount(f.initial), "全年预算数": _amount(f.budget),
               "全年执行数": _amount(f.spent), "分值": _amount(f.weight), "执行率": _amount(f.rate), "得分": _amount(f.score)}
        if table.kind == OVERALL:
            row |= {"主要内容": f.content, "完成情况": f.done}
            row |= {k: _amount(f.parts.get(k)) for k in ("全年预算数.财政拨款", "全年预算数.其他资金", "全年执行数.财政拨款",
                                                          "全年执行数.其他资金")}
        funds.append(row)
    return {
        "kind": table.kind, "名称": table.name, "主管部门": table.department, "实施单位": table.implementer,
        "title": table.title, "资金": funds, "目标": (table.goal, table.goal_done),
        "指标": [{"一级指标": i.level1, "二级指标": i.level2, "三级指标": i.level3, "年度指标值": i.target,
                  "实际完成值": i.actual, "偏差原因分析及改进措施": i.deviation, "分值": _amount(i.weight),
                  "得分": _amount(i.score)} for i in table.indicators],
        "总分": (_amount(table.total_weight), _amount(table.total_score)),
    }


def cells_read(table: PerfTable) -> dict:
    """{(path): "Sheet!C7"} for every value the table read, keyed like perfexport's `where`."""
    out = {("名称",): str(table.name_cell)}
    for i, f in enumerate(table.funds):
        out[("资金", i, "项目")] = str(f.cell)
        for col, v in (("年初预算数", f.initial), ("全年预算数", f.budget), ("全年执行数", f.spent), ("分值", f.weight),
                       ("执行率", f.rate), ("得分", f.score), *f.parts.items()):
            if v is not None:
                out[("资金", i, col)] = str(v.cell)
    for i, ind in enumerate(table.indicators):
        out[("指标", i, "三级指标")] = str(ind.cell)
        for col, ref in ind.text_cells.items():
            out[("指标", i, col)] = str(ref)
        for col, v in (("分值", ind.weight), ("得分", ind.score)):
            if v is not None:
                out[("指标", i, col)] = str(v.cell)
    for col, v in (("分值", table.total_weight), ("得分", table.total_score)):
        if v is not None:
            out[("总分", col)] = str(v.cell)
    return out


def assert_seed_tables(perf: Performance) -> None:
    assert perf.overall is not None and len(perf.projects) == 9
    for t, table in zip(px.TABLES, perf.tables, strict=True):
        assert actual(table) == expected(t), t["id"]


# ---------------------------------------------------------------- import from the seed's layout

@pytest.mark.parametrize("variant", [px.SHEETS, px.ONE_SHEET, px.SHIFTED, px.SHIFTED_ONE_SHEET],
                         ids=["sheets", "one-sheet", "shifted", "shifted-one-sheet"])
def test_seed_layout_export_reads_every_value_with_its_cell(tmp_path, variant):
    path = tmp_path / "绩效.xlsx"
    where = px.write_export(path, variant)
    perf = find_in_export(read_sheets(path), path)
    assert_seed_tables(perf)
    for t, table in zip(px.TABLES, perf.tables):
        read = cells_read(table)
        written = {key[1:]: cell for key, cell in where.items() if key[0] == t["id"] and key[1] != "目标"
                   and key[1:2] != ("指标",) or key[0] == t["id"] and key[1] == "指标"
                   and key[3] not in ("一级指标", "二级指标")}
        # every value written is read from its cell (empty ones: their cells are known where the model keeps one)
        for key, cell in written.items():
            if key in read:
                assert read[key] == cell, (t["id"], key)
        missing = [k for k in written if k not in read and k[0] in ("资金", "总分")
                   and k[-1] not in ("项目", "主要内容", "完成情况")]  # texts the model keeps without a cell
        for key in missing:  # not read: only cells printed empty or “—”
            raw = _yaml_value(t, key)
            assert raw in (None, DASH), (t["id"], key, raw)
        assert set(read) - set(written) <= {("资金", i, "项目") for i in range(9)} | {
            ("指标", i, "偏差原因分析及改进措施") for i in range(30)}, t["id"]


def _yaml_value(t: dict, key: tuple):
    if key[0] == "总分":
        return t["总分"][key[1]]
    row = (t.get("资金") or t["任务"])[key[1]]
    col = key[2]
    if "." in col:
        group, part = col.split(".")
        return row[group][part]
    if t["kind"] == "整体" and col in ("全年预算数", "全年执行数"):
        return row[col]["总额"]
    return row[col]


def test_seed_figures_the_checks_need_read_as_printed(tmp_path):
    path = tmp_path / "绩效.xlsx"
    px.write_export(path, px.SHIFTED)
    perf = find_in_export(read_sheets(path), path)
    whole = perf.overall.total_fund
    assert (whole.label, whole.budget.amount, whole.spent.amount, whole.rate.amount, whole.score.amount) == (
        "金额合计", Decimal("2747.12"), Decimal("2363.01"), Decimal("86.02"), Decimal("9"))
    first = perf.projects[0].total_fund
    assert (first.budget.amount, first.spent.amount, first.rate.amount, first.score.amount) == (
        Decimal("68.03"), Decimal("66.72"), Decimal("98.07"), Decimal("8"))
    assert perf.projects[3].total_fund.rate.amount == Decimal("90.38")  # printed without % (a number cell here)
    assert perf.projects[0].fund("当年财政拨款").weight is None  # “—”: not scored
    assert perf.projects[4].title == "履职专项业务费项目绩效自评表"
    assert perf.projects[4].name == "中央医疗服务与保障能力提升补助资金"


# ---------------------------------------------------------------- the workbook's own sheets

@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "决算.xlsx"
    shutil.copy(_sample_workbook(tmp_path.parent), path)
    return path


def _sample_workbook(folder: Path) -> Path:
    path = folder / "sample-决算.xlsx"
    if not path.exists():
        from disclosure.importers.export import import_export

        workbook.save_atomic(workbook.build(*(lambda r: (r.spec, r))(import_export(SAMPLE_EXPORT))), path)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_perf_add_and_list(sample, cli):
    before = workbook.read(sample)
    result = cli("perf", "add", sample, "--project", "医疗保障工作经费")
    assert result.code == 0, result.err
    assert "绩效-项目1" in result.out
    assert cli("perf", "add", sample, "--overall").code == 0
    assert cli("perf", "add", sample, "--project", "房屋租赁费").code == 0
    assert (sample.parent / "决算.备份.xlsx").exists()
    after = workbook.read(sample)
    assert after.to_json() == before.to_json()  # the 决算 tables read exactly as before
    assert after.inputs.values == before.inputs.values
    perf = after.perf
    assert [(t.kind, t.sheet, t.name) for t in perf.tables] == [
        (OVERALL, "绩效-整体", before.unit_name), (PROJECT, "绩效-项目1", "医疗保障工作经费"),
        (PROJECT, "绩效-项目2", "房屋租赁费")]
    project = perf.projects[0]
    assert [f.label for f in project.funds] == list(PROJECT_FUNDS)
    assert project.funds[0].scored is False and project.funds[0].cell.coord == "B6"
    assert str(project.name_cell) == "绩效-项目1!B3"
    assert [(i.level1, i.level2) for i in project.indicators][:2] == [("产出指标", "数量指标"), ("产出指标", "质量指标")]
    listing = cli("perf", "list", sample)
    assert listing.code == 0
    assert listing.out.splitlines()[1].startswith("绩效-项目1\t项目\t医疗保障工作经费")

    wb = load_workbook(sample)
    assert wb.sheetnames[-3:] == ["绩效-项目1", "绩效-整体", "绩效-项目2"]
    ws = wb["绩效-项目1"]
    assert (ws["A1"].value, ws["A3"].value, ws["B3"].value, ws["C5"].value, ws["D5"].value) == (
        "项目支出绩效自评表", "项目名称", "医疗保障工作经费", "年初预算数", "全年预算数（A）")
    assert ws.protection.sheet and ws["A3"].protection.locked and not ws["D6"].protection.locked
    assert ws["D6"].number_format == "#,##0.00" and ws["G6"].number_format == "0.00%"
    assert ws["F7"].value == "—"  # 其中：当年财政拨款 is not scored
    assert ws.page_setup.orientation == "landscape"
    overall = wb["绩效-整体"]
    assert [overall.cell(5, c).value for c in range(5, 11)] == ["总额", "财政拨款", "其他资金"] * 2


def test_perf_add_refuses_a_duplicate_in_one_chinese_line(sample, cli):
    assert cli("perf", "add", sample, "--project", "房屋租赁费").code == 0
    digest = _digest(sample)
    result = cli("perf", "add", sample, "--project", "房屋租赁费")
    assert result.code == 1
    assert result.err.strip() == "错误：工作簿中已有项目“房屋租赁费”的绩效自评表（工作表“绩效-项目1”），未添加"
    assert cli("perf", "add", sample, "--overall").code == 0
    second = cli("perf", "add", sample, "--overall")
    assert second.code == 1 and "已有整体支出绩效自评表" in second.err and len(second.err.strip().splitlines()) == 1
    assert _digest(sample) != digest  # the --overall went in; the duplicates did not
    assert [t.sheet for t in workbook.read(sample).perf.tables] == ["绩效-整体", "绩效-项目1"]


def test_a_project_is_the_same_whatever_its_spaces_and_widths_and_another_units_is_not(sample, tmp_path, cli):
    """perf add, import --into and from-targets share one rule (sheets.same_table): names (and 实施单位) folded as
    read.norm folds them; a table naming its 实施单位 repeats only one of the same unit — seed 001's two 房屋租赁费."""
    source = tmp_path / "绩效.xlsx"
    px.write_export(source)
    rent = [t for t in find_in_export(read_sheets(source), source).projects if t.name == "房屋租赁费"]
    assert len({t.implementer for t in rent}) == 2
    assert add_to_file(sample, rent[:1], [PROJECT], ["房屋租赁费"]) == ["绩效-项目1"]
    digest = _digest(sample)
    again = replace(rent[0], name="房屋 租赁费", implementer=f" {rent[0].implementer}")
    with pytest.raises(DisclosureError) as refused:
        add_to_file(sample, [again], [PROJECT], [again.name])
    assert str(refused.value) == "工作簿中已有项目“房屋租赁费”的绩效自评表（工作表“绩效-项目1”），未添加"
    blank = cli("perf", "add", sample, "--project", "房屋　租赁费")  # a full-width space; a blank table names no unit
    assert blank.code == 1 and "已有项目“房屋租赁费”" in blank.err
    assert _digest(sample) == digest
    assert add_to_file(sample, rent[1:], [PROJECT], ["房屋租赁费"]) == ["绩效-项目2"]
    assert [(t.name, t.implementer) for t in workbook.read(sample).perf.projects] == [
        (t.name, t.implementer) for t in rent]


def test_import_into_writes_every_seed_value_into_the_workbook(sample, tmp_path, cli):
    source = tmp_path / "绩效.xlsx"
    px.write_export(source, px.SHIFTED)
    result = cli("import", source, "--into", sample)
    assert result.code == 0, result.err
    assert "10 张绩效自评表" in result.out
    report = workbook.read(sample)
    assert_seed_tables(report.perf)
    assert report.perf.projects[8].sheet == "绩效-项目9"
    # each value's cell holds that value in the workbook
    wb = load_workbook(sample)
    for table in report.perf.tables:
        for f in table.funds:
            for v in (f.initial, f.budget, f.spent, f.weight, f.score, *f.parts.values()):
                if v is not None:
                    assert Decimal(str(wb[v.cell.sheet][v.cell.coord].value)) == v.amount
            if f.rate is not None:
                assert Decimal(str(wb[f.rate.cell.sheet][f.rate.cell.coord].value)) * 100 == f.rate.amount
        for i in table.indicators:
            assert (wb[i.cell.sheet][i.cell.coord].value or "") == i.level3
    # importing the same tables again is refused, the workbook untouched
    digest = _digest(sample)
    again = cli("import", source, "--into", sample)
    assert again.code == 1 and "已有" in again.err
    assert _digest(sample) == digest


def test_show_json_carries_the_tables_with_their_cells(sample, tmp_path, cli):
    source = tmp_path / "绩效.xlsx"
    px.write_export(source, px.SHEETS)
    assert cli("import", source, "--into", sample).code == 0
    result = cli("show", sample, "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data["tables"]) == set(workbook.read(sample).tables)
    perf = data["绩效"]
    assert perf["整体"]["名称"] == "咸阳市医疗保障局"
    total = perf["整体"]["资金"][-1]
    assert total["项目"] == "金额合计"
    assert total["执行率"] == {"value": "86.02", "cell": "绩效-整体!L10"}
    assert total["分项"]["全年预算数.财政拨款"]["value"] == "2747.12"
    names = [p["名称"] for p in perf["项目"]]
    assert names[1] == "关于提前下达2023年中央财政医疗服务与保障能力提升补助资金" and len(names) == 9
    first = perf["项目"][0]
    assert first["资金"][0]["全年预算数"] == {"value": "68.03", "cell": "绩效-项目1!D6"}
    assert first["总分"] == {"分值": {"value": "100", "cell": first["总分"]["分值"]["cell"]},
                           "得分": {"value": "95", "cell": first["总分"]["得分"]["cell"]}}
    assert first["指标"][5]["偏差原因分析及改进措施"] == "年初现金有结余，下一步加强资金的管理规范"
    assert first["指标"][5]["text_cells"]["偏差原因分析及改进措施"].startswith("绩效-项目1!I")
    plain = cli("show", sample)
    assert "绩效自评表 10 张" in plain.out


def test_import_picks_up_perf_sheets_in_the_same_export(tmp_path, cli):
    export = tmp_path / "导出.xlsx"
    wb = load_workbook(SAMPLE_EXPORT)
    px.write_tables(wb, px.SHIFTED)
    wb.save(export)
    alone = tmp_path / "alone.xlsx"
    assert cli("import", SAMPLE_EXPORT, "-o", alone).code == 0
    out = tmp_path / "决算.xlsx"
    result = cli("import", export, "-o", out)
    assert result.code == 0, result.err
    assert "绩效自评表 10 张一并导入" in result.out
    report = workbook.read(out)
    assert report.to_json() == workbook.read(alone).to_json()  # the 决算 tables as without the 绩效 sheets
    assert_seed_tables(report.perf)
    assert [t.sheet for t in report.perf.tables][:2] == ["绩效-整体", "绩效-项目1"]


# ---------------------------------------------------------------- generated tables round trip

def _random_table(rng: random.Random, kind: str) -> PerfTable:
    def money():
        return None if rng.random() < 0.2 else Decimal(rng.randint(0, 10**7)) / 100

    def pct():
        return None if rng.random() < 0.2 else Decimal(rng.randint(0, 12000)) / 100

    labels = ["任务1", "任务2", "任务3", "金额合计"] if kind == OVERALL else list(PROJECT_FUNDS)
    funds = []
    for i, label in enumerate(labels):
        scored = i == len(labels) - 1 if kind == OVERALL else i == 0
        f = FundRow(label=label, initial=None if kind == OVERALL else _v(money()), budget=_v(money()),
                    spent=_v(money()), weight=_v(Decimal(rng.randint(5, 20))) if scored else None, rate=_v(pct()),
                    score=_v(Decimal(rng.randint(0, 50)) / 10) if scored else None)
        if kind == OVERALL and label != "金额合计":
            f.content, f.done = rng.choice(["人员经费", "公用经费", "=1+1", "项目支出"]), f"{rng.randint(0, 100)}%"
            f.parts = {"全年预算数.财政拨款": _v(money() or Decimal(1)), "全年执行数.其他资金": _v(money() or Decimal(2))}
        funds.append(f)
    indicators = []
    for n in range(rng.randint(1, 25)):
        indicators.append(Indicator(level1=rng.choice(["产出指标(50分)", "效益指标（30分）", "满意度指标"]),
                                    level2=rng.choice(["数量指标", "质量指标", "社会效益指标"]),
                                    level3=f"指标{n}" if rng.random() < 0.9 else "",
                                    target=rng.choice(["≥95%", "100", "-", "12月底前"]), actual=rng.choice(["≥95%", "1年", ""]),
                                    weight=_v(Decimal(rng.randint(0, 20))), score=_v(Decimal(rng.randint(0, 200)) / 10),
                                    deviation=rng.choice(["", "无", "年初现金有结余\n下一步加强管理"])))
    return PerfTable(kind=kind, name=f"项目{rng.randint(1, 99)}", sheet="", funds=funds, indicators=indicators,
                     goal="目标一\n目标二", goal_done="完成", total_weight=_v(Decimal(100)),
                     total_score=_v(Decimal(rng.randint(0, 1000)) / 10), department="某局", implementer="某中心",
                     title="" if rng.random() < 0.5 else f"某某{'整体支出' if kind == OVERALL else '项目'}绩效自评表")


def _v(amount):
    from disclosure.model import Value

    return Value(amount) if amount is not None else None


def _comparable(table: PerfTable) -> dict:
    out = actual(table)
    out["title"] = out["title"] if "某某" in out["title"] else ""
    if table.kind == OVERALL:
        out.pop("主管部门"), out.pop("实施单位")
    out["parts"] = [{k: v.amount for k, v in f.parts.items()} for f in table.funds]
    return out


@pytest.mark.parametrize("seed", range(6))
def test_generated_tables_round_trip_through_the_template(tmp_path, seed):
    from openpyxl import Workbook

    rng = random.Random(seed)
    tables = [_random_table(rng, OVERALL)] + [_random_table(rng, PROJECT) for _ in range(rng.randint(1, 4))]
    wb = Workbook()
    wb.remove(wb.active)
    for t in tables:
        add_table(wb, t, t.kind, 2024)
    path = tmp_path / "t.xlsx"
    wb.save(path)
    from disclosure.perf.read import read_workbook

    perf = read_workbook(read_sheets(path), path)
    # a row whose 二级 and 三级 are empty and which has no figure and no text is no indicator: the generator's
    # indicators always print their 二级
    assert [_comparable(t) for t in perf.tables] == [_comparable(t) for t in tables]


# ---------------------------------------------------------------- bad input

def test_text_in_an_amount_cell_is_refused_with_sheet_and_cell(sample, tmp_path, cli):
    source = tmp_path / "绩效.xlsx"
    where = px.write_export(source, px.SHEETS)
    cell = where[("项目3", "资金", 0, "全年执行数")]
    sheet, coord = cell.split("!")
    wb = load_workbook(source)
    wb[sheet][coord] = "三百八十五万"
    wb.save(source)
    digest = _digest(sample)
    result = cli("import", source, "--into", sample)
    assert result.code == 1
    assert f"工作表“{sheet}”" in result.err and f"单元格 {coord}" in result.err
    assert "全年执行数应为数字，实为“三百八十五万”" in result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1
    assert _digest(sample) == digest


def test_text_in_a_score_of_the_workbook_is_refused_on_read(sample, tmp_path, cli):
    assert cli("perf", "add", sample, "--project", "某项目").code == 0
    wb = load_workbook(sample)
    wb["绩效-项目1"]["G13"] = "十分"
    wb.save(sample)
    result = cli("check", sample)
    assert result.code == 2
    assert "工作表“绩效-项目1”" in result.err and "单元格 G13" in result.err and "分值应为数字" in result.err


def test_a_table_without_its_headers_is_not_read_as_empty(tmp_path, cli, sample):
    from openpyxl import Workbook

    source = tmp_path / "绩效.xlsx"
    wb = Workbook()
    wb.active["A1"] = "项目支出绩效自评表"
    wb.active["A3"] = "项目名称"
    wb.save(source)
    result = cli("import", source, "--into", sample)
    assert result.code == 1
    assert "没有找到资金表头" in result.err
    nothing = tmp_path / "空.xlsx"
    Workbook().save(nothing)
    result = cli("import", nothing, "--into", sample)
    assert result.code == 1 and "没有找到绩效自评表" in result.err


def test_refusals_of_the_commands(tmp_path, cli, sample):
    budget = tmp_path / "预算.xlsx"
    assert cli("template", "--kind", "预算", "-o", budget).code == 0
    digest = _digest(budget)
    result = cli("perf", "add", budget, "--project", "某项目")
    assert result.code == 1 and "部门预算工作簿的绩效目标表在表13–表15中" in result.err
    assert _digest(budget) == digest
    source = tmp_path / "绩效.xlsx"
    px.write_export(source)
    neither = cli("import", source)
    assert neither.code == 1 and "请用 -o 指定输出的模板工作簿，或用 --into" in neither.err
    both = cli("import", source, "--into", sample, "-o", tmp_path / "x.xlsx")
    assert both.code == 1 and "--into 只导入绩效自评表" in both.err
    absent = cli("import", source, "--into", tmp_path / "没有.xlsx")
    assert absent.code == 1 and "找不到工作簿" in absent.err
    empty_name = cli("perf", "add", sample, "--project", "  ")
    assert empty_name.code == 1 and "项目名称不能为空" in empty_name.err
    assert "工作簿中没有绩效自评表" in cli("perf", "list", sample).out
