"""Plausibility rules S01–S06 (disclosure/checks/rules/sanity.py): each fires on a purpose-made mistake in
seed 004's workbook or in a random consistent report, at the cell named, with both numbers or spellings —
and stays silent on the real seeds and on what is legitimate."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from consistent import consistent_reports
from disclosure import workbook
from disclosure.checks import ERROR, INFO, WARNING, run
from disclosure.model import CellRef, Value
from test_checks_rules import setv

D = Decimal
SANGONG = ["因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费", "会议费", "培训费"]
EXEMPT_01 = {"年初结转和结余", "年末结转和结余", "结余分配"}


def of(findings, rule_id):
    return [f for f in findings if f.rule == rule_id]


@pytest.fixture(scope="module")
def base(_book004):
    return workbook.read(_book004)


@pytest.fixture
def report(base):
    return copy.deepcopy(base)


def edit(path, cells: dict[tuple[str, str], str]):
    """Type texts into a workbook as an officer would (protection lifted)."""
    wb = load_workbook(path)
    for (sheet, coord), text in cells.items():
        wb[sheet][coord] = text
    wb.save(path)
    return path


def with_inputs(path, values: dict):
    workbook.update_inputs(path, values)
    return workbook.read(path)


# ---------------------------------------------------------------- on the seeds: nothing (all real, all clean)

@pytest.mark.parametrize("seed", ["001", "004"])
def test_seeds_with_their_published_inputs_give_no_s_findings(seed, seed_books):
    # 001 and 004 print 机关运行经费 102.75 / 10.80 against 06 公用经费 107.10 / 21.24: both departments have
    # 事业 staff (编制 16 / 31), whose 公用经费 are not 机关运行经费 — a legitimate difference, not reported
    report = workbook.read(seed_books[seed])
    assert [(f.rule, f.message) for f in run(report) if f.rule.startswith("S")] == []
    assert any(x.kind == "编制单位" for x in report.labels)  # the texts were read, not missing


# ---------------------------------------------------------------- S01 negative amounts

@pytest.mark.parametrize("tid", ["01", "02", "03", "04", "05", "06", "07", "08", "09"])
def test_a_negative_amount_in_any_table_is_a_warning_at_its_cell(report, tid):
    row = next(r for r in report.table(tid).rows if r.key not in EXEMPT_01)
    column = next(iter(row.values))
    cell = setv(report, tid, row.key or row.code, column, "-1.25", side=row.side)
    found = of(run(report), "S01")
    assert [(f.severity, f.cell, f.actual) for f in found] == [(WARNING, cell, D("-1.25"))]
    assert "-1.25" in found[0].message and "不应为负数" in found[0].message and found[0].table == tid


def test_negative_balances_of_01_are_legitimate_but_not_those_of_04(report):
    for key in EXEMPT_01:
        setv(report, "01", key, "决算数", "-3.00", side="收入" if key == "年初结转和结余" else "支出")
    assert of(run(report), "S01") == []
    cell = setv(report, "04", "年末结转和结余", "合计", "-3.00", side="支出")
    found = of(run(report), "S01")
    assert [f.cell for f in found] == [cell] and "公开04表 年末结转和结余·合计" in found[0].message


@settings(max_examples=30, deadline=None)
@given(report=consistent_reports(), data=st.data())
def test_negating_any_amount_of_a_random_report_is_found_there(report, data):
    targets = [(tid, row, col) for tid, t in report.tables.items() for row in t.rows for col, v in row.values.items()
               if v.amount > 0 and not (tid == "01" and row.key in EXEMPT_01)]
    assume(targets)  # a report of blank cells only has nothing to negate
    tid, row, col = data.draw(st.sampled_from(targets))
    old = row.values[col]
    row.values[col] = Value(-old.amount, old.cell)
    assert [f.cell for f in of(run(report), "S01")] == [old.cell]


# ---------------------------------------------------------------- S02 09 决算 above 预算

@pytest.mark.parametrize("column", SANGONG)
def test_09_actual_above_budget_names_both_cells(report, column):
    budget = setv(report, "09", "预算数", column, "1.00")
    actual = setv(report, "09", "决算数", column, "1.20")
    found = of(run(report), "S02")
    assert [(f.severity, f.cell, f.cells) for f in found] == [(WARNING, actual, [actual, budget])]
    assert (f"公开09表 {column}：决算数 1.20 大于预算数 1.00，多出 0.20，超预算 20.00%") == found[0].message


def test_09_within_budget_or_only_a_total_above_is_not_reported(report):
    setv(report, "09", "预算数", "公务接待费", "2.00")
    setv(report, "09", "决算数", "公务接待费", "2.00")  # equal: within budget
    setv(report, "09", "决算数", "合计", "5.00")  # a total is judged by its items, not twice
    assert of(run(report), "S02") == []
    cell = setv(report, "09", "决算数", "培训费", "0.30")  # no budget at all
    found = of(run(report), "S02")
    assert [f.cell for f in found] == [cell] and found[0].message.endswith("多出 0.30（预算数为 0）")


@settings(max_examples=30, deadline=None)
@given(report=consistent_reports(), data=st.data())
def test_any_09_item_raised_above_its_budget_is_found(report, data):
    column = data.draw(st.sampled_from(SANGONG))
    assert of(run(report), "S02") == []  # the generator keeps every 决算 within its 预算
    t09 = report.table("09")
    budget = t09.row("预算数").values[column]
    old = t09.row("决算数").values[column]
    t09.row("决算数").values[column] = Value(budget.amount + D("0.01"), old.cell)
    found = of(run(report), "S02")
    assert [(f.cell, f.cells, f.actual - f.expected) for f in found] == [(old.cell, [old.cell, budget.cell], D("0.01"))]


# ---------------------------------------------------------------- S03 placeholders

def test_placeholders_in_cover_titles_unit_lines_and_inputs_are_errors_at_their_cells(book004):
    workbook.update_inputs(book004, {"主要职责": "负责全县医疗保障工作……", "原因.收支总计": "【待填写：原因】",
                                     "内设机构": "设办公室、基金科...", "其他说明": "X光机 1 台，面积 3×2 米"})
    edit(book004, {("封面", "B6"): "0912-XXXXXXX", ("公开05表", "A1"): "××县一般公共预算财政拨款支出决算表",
                   ("公开02表", "A3"): "编制单位：某某局"})
    report = workbook.read(book004)
    found = {str(f.cell): f for f in of(run(report), "S03")}
    duty, reason, units = (str(report.inputs.cell(k)) for k in ("主要职责", "原因.收支总计", "内设机构"))
    assert set(found) == {"封面!B6", "公开05表!A1", "公开02表!A3", duty, reason, units}
    assert all(f.severity == ERROR for f in found.values())
    assert found["封面!B6"].message == "封面“联系电话”（封面!B6）“0912-XXXXXXX”中留有占位符“XXXXXXX”"
    assert "公开05表 标题" in found["公开05表!A1"].message and "“××”" in found["公开05表!A1"].message
    assert "公开02表 编制单位" in found["公开02表!A3"].message and "“某某”" in found["公开02表!A3"].message
    assert "部门主要职责" in found[duty].message and "“……”" in found[duty].message
    assert "原因说明“收支总计”" in found[reason].message and "“待填写”" in found[reason].message
    assert found[reason].table == "原因说明" and "“...”" in found[units].message


def test_a_placeholder_unit_name_is_found_on_a_report_built_in_memory(report):
    report.labels = []
    report.unit_name = "XX县医疗保障局"
    found = of(run(report), "S03")
    assert [(f.cell, f.table) for f in found] == [(None, "封面")] and "单位名称“XX县医疗保障局”" in found[0].message


def test_a_long_text_shows_the_placeholder_in_context(book004):
    text = "本部门" + "严格执行预算" * 10 + "，主要用于某某项目" + "并加强管理" * 10
    report = with_inputs(book004, {"绩效": text})
    f = of(run(report), "S03")[0]
    assert "，主要用于某某项目并加强" in f.message and text not in f.message


# ---------------------------------------------------------------- S04 unit name

def test_cover_renamed_after_the_tables_were_made(book004):
    edit(book004, {("封面", "B3"): "子洲县医保局"})
    found = of(run(workbook.read(book004)), "S04")
    assert len(found) == 1 and found[0].severity == WARNING
    f = found[0]
    assert f.cell == CellRef("公开01表", "A3") and len(f.cells) == 10 and f.cells[-1] == CellRef("封面", "B3")
    assert f.message == ("公开01表、公开02表、公开03表、公开04表、公开05表、公开06表、公开07表、公开08表、公开09表"
                         "的编制单位为“子洲县医疗保障局”（公开01表!A3 等），与封面单位名称“子洲县医保局”（封面!B3）不一致")


def test_one_table_naming_another_unit(book004):
    edit(book004, {("公开07表", "A3"): "编制单位：子洲县卫生健康局      单位：万元",
                   ("公开08表", "A3"): "编制单位：", ("公开09表", "A3"): "编制单位： 子洲县医疗保障局 "})
    found = of(run(workbook.read(book004)), "S04")  # a blank line or stray spaces are not another name
    assert [(f.cell, f.table) for f in found] == [(CellRef("公开07表", "A3"), "07")]
    assert "“子洲县卫生健康局”" in found[0].message and "“子洲县医疗保障局”" in found[0].message


@pytest.mark.parametrize("units, wrong", [
    (["子洲县医保局本级", "子洲县医疗保险经办中心"], "子洲县医保局本级"),
    (["子洲县医疗保障局机关", "子洲县医疗保障局本级（机关）", "子州县医疗保障局（本级）"], "子州县医疗保障局（本级）"),
    (["子洲县医疗保障局 本级", "子洲县医疗保障局(本级)", "子洲县医疗保险经办中心（参公）"], None),
])
def test_own_level_unit_in_the_unit_list_carries_the_department_name(book004, units, wrong):
    report = with_inputs(book004, {"单位构成": units})
    found = of(run(report), "S04")
    if wrong is None:
        assert found == []
        return
    assert [f.cell for f in found] == [report.inputs.cell("单位构成")]
    assert found[0].message == f"说明数据“单位构成”中的本级单位“{wrong}”与封面单位名称“子洲县医疗保障局”（封面!B3）不一致"


# ---------------------------------------------------------------- S05 机关运行经费 vs 06 公用经费

def test_running_costs_unlike_06_without_a_note(book004):
    report = with_inputs(book004, {"机关运行经费": "10.80", "人员.事业编制": 0, "人员.实有事业": 0})
    found = of(run(report), "S05")
    public = report.table("06").row("公用经费合计").values["决算数"].cell
    assert [(f.severity, f.cell, f.actual, f.expected) for f in found] == [
        (INFO, report.inputs.cell("机关运行经费"), D("10.80"), D("21.24"))]
    assert public in found[0].cells
    assert found[0].message == ("说明数据“机关运行经费”10.80 与公开06表 公用经费合计 21.24 不同，相差 -10.44，"
                                "其他说明和原因说明中都没有说明")


@pytest.mark.parametrize("inputs", [
    {"机关运行经费": "21.24"},  # equal
    {"机关运行经费": "21.25"},  # one cent: rounding (the engine's 尾差 allowance), not a difference
    {"机关运行经费": "10.80", "人员.事业编制": 31},  # 事业单位 公用经费 are not 机关运行经费
    {"机关运行经费": "10.80", "其他说明": "机关运行经费仅含行政单位，未含所属事业单位的公用经费。"},
    {"机关运行经费": "10.80", "原因.机关运行经费": "交通补贴列入日常公用经费"},
    {},  # not filled: N01 asks for it
])
def test_running_costs_equal_or_explained(book004, inputs):
    assert of(run(with_inputs(book004, inputs)), "S05") == []


def test_running_costs_above_06_are_reported_even_with_public_institutions(book004):
    report = with_inputs(book004, {"机关运行经费": "25.00", "人员.事业编制": 31})
    assert [f.message.split("，")[1] for f in of(run(report), "S05")] == ["相差 3.76"]


# ---------------------------------------------------------------- S06 change above 50 % without a reason

def test_a_large_change_without_reason_names_the_reason_cell(book004):
    report = with_inputs(book004, {"上年.收入总计": "1000", "上年.机关运行经费": "30.00", "机关运行经费": "10.80"})
    findings = run(report)
    found = {f.cell: f for f in of(findings, "S06")}
    total, running = report.inputs.cell("原因.收支总计"), report.inputs.cell("原因.机关运行经费")
    assert set(found) == {total, running} and all(f.severity == WARNING for f in found.values())
    assert found[total].message == ("收入总计、支出总计比上年增长 144.46%（本年 2,444.56，上年 1,000.00），"
                                    "变动超过 50% 而未说明原因，请在原因说明中填写原因")
    assert found[running].message.startswith("机关运行经费比上年下降 64.00%（本年 10.80，上年 30.00）")
    assert {f.cell for f in of(findings, "N02")} >= {total, running}  # N02's 提示 stays; S06 is the stronger case
    assert CellRef("公开01表", "C36") in found[total].cells and report.inputs.cell("上年.收入总计") in found[total].cells


@pytest.mark.parametrize("inputs", [
    {"上年.收入总计": "1000", "原因.收支总计": "新增医疗救助资金"},  # reason given
    {"上年.收入总计": "2000"},  # +22.23 %: N02 only
    {"机关运行经费": "15.00", "上年.机关运行经费": "10.00"},  # exactly 50 %
    {"机关运行经费": "15.00", "上年.机关运行经费": "0"},  # no percentage on a base of 0
])
def test_no_warning_for_a_reason_a_small_change_or_no_percentage(book004, inputs):
    assert of(run(with_inputs(book004, inputs)), "S06") == []


def test_just_above_50_percent_and_a_reason_row_not_yet_refreshed(book004, tmp_path):
    report = with_inputs(book004, {"机关运行经费": "15.00", "上年.机关运行经费": "9.99"})
    found = of(run(report), "S06")
    assert len(found) == 1 and found[0].message.startswith("机关运行经费比上年增长 50.15%（本年 15.00，上年 9.99）")
    # 上年 typed into the workbook's 说明数据 without regenerating 原因说明: no row to name yet
    shutil.copy(book004, tmp_path / "c.xlsx")
    report = workbook.read(tmp_path / "c.xlsx")
    from disclosure.inputs import InputValue

    report.inputs.values["上年.收入总计"] = InputValue(D("1000"), report.inputs.cell("上年.收入总计"))
    report.inputs.values.pop("原因.收支总计", None)
    report.inputs.cells.pop("原因.收支总计", None)
    f = next(f for f in run(report) if f.rule == "S06" and "收入总计" in f.message)
    assert f.cell == CellRef("公开01表", "C36") and "先运行 disclosure inputs 工作簿 --refresh" in f.message


# ---------------------------------------------------------------- S08 政府采购 in 说明数据

@pytest.mark.parametrize("types, severity", [
    ({"货物": "4.79", "工程": "0", "服务": "246.47"}, None),  # 251.26 = 总额 251.26
    ({"货物": "4.79", "工程": "0", "服务": "246.46"}, WARNING),  # 251.25: within two figures' rounding
    ({"货物": "4.79", "工程": "0", "服务": "236.47"}, ERROR),
    ({"货物": "4.79", "服务": "236.47"}, None),  # 工程 not filled yet: N01 asks for it, nothing compared
])
def test_purchases_add_up_to_their_total_in_the_inputs(book004, types, severity):
    """上海's 货物 4.79 + 服务 246.47 ≠ 总额 251.25 passed (new-user test): only 内蒙古's 表十一 was checked (R05)."""
    report = with_inputs(book004, {"政府采购.总额": "251.26", **{f"政府采购.{k}": v for k, v in types.items()}})
    found = of(run(report), "S08")
    assert [f.severity for f in found] == ([severity] if severity else [])
    if found:
        assert found[0].cell == report.inputs.cell("政府采购.总额") and len(found[0].cells) == 4


def test_small_enterprises_are_part_of_the_smes(book004):
    report = with_inputs(book004, {"政府采购.授予中小企业": "20", "政府采购.授予小微企业": "21"})
    found = of(run(report), "S08")
    assert len(found) == 1 and found[0].cell == report.inputs.cell("政府采购.授予小微企业")
    assert "小微企业是中小企业的一部分" in found[0].message


def test_a_change_the_regions_text_does_not_state_asks_no_reason(book004):
    """内蒙古's text states 公务用车购置及运行维护费 against last year; 陕西's does not (it states 购置 and 运行维护
    apart), so its 原因说明 has no row for it and `inputs --refresh` adds none. S06 sent the officer round in that
    circle (new-user test): it warns only of changes the text states, each with the row to fill."""
    report = with_inputs(book004, {"上年.三公经费.公务用车购置": "0", "上年.三公经费.公务用车运行维护": "2.00",
                                   "上年.三公经费.因公出国": "0", "上年.三公经费.公务接待": "0",
                                   "上年.三公经费.合计": "2.00"})
    for column, amount in (("合计", "5.00"), ("公务用车购置及运行维护费", "5.00"), ("公务用车运行维护费", "5.00")):
        setv(report, "09", "决算数", column, amount)
    found = of(run(report), "S06")
    # the changes 陕西's text states are warned of (their rows come with --refresh); the 内蒙古 figure is not
    assert {f.message.split("比上年")[0] for f in found} == {"“三公”经费", "公务用车运行维护费"}
    assert not [f.message for f in found if "公务用车购置及运行维护费" in f.message]


def test_amounts_in_yuan_read_as_wan_are_warned_of(report):
    """An export in 元 that does not say so is read as 万元 with one 提示 at import only; the check and the text
    then said nothing of a county bureau's “982393700万元” (new-user test)."""
    assert of(run(report), "S09") == []
    cell = setv(report, "01", "收入总计", "决算数", "982393700.00", "收入")
    found = of(run(report), "S09")
    assert [(f.severity, f.cell) for f in found] == [(WARNING, cell)]
    assert "（98,239 亿元）：像是以元填列的金额按万元读入了" in found[0].message


@pytest.mark.parametrize("template", ["决算公开模板-2024.xlsx", "预算公开模板-2023.xlsx"])
def test_a_workbook_with_no_unit_name_is_an_error_at_its_cell(tmp_path, template):
    """A blank template opened as it is checked clean and exported a package titled “2023年部门综合预算” (new-user
    test, desktop): no 单位名称 is an 错误 at the cover's cell."""
    from disclosure.resources import templates_dir

    book = Path(shutil.copy(templates_dir() / "workbooks" / template, tmp_path / template))
    found = of(run(workbook.read(book)), "S10")
    assert [(f.severity, str(f.cell)) for f in found] == [(ERROR, "封面!B3")]
    wb = load_workbook(book)
    assert wb["封面"]["A3"].value == "单位名称"
    wb["封面"]["B3"] = "某县医疗保障局"
    wb.save(book)
    assert of(run(workbook.read(book)), "S10") == []
