"""预算 ↔ 决算 of the same year: `inputs 决算 --from-budget 预算` fills the 年初预算 说明数据 from the 预算 workbook,
each value with the 预算 cell it came from; `check 决算 --budget 预算` adds the BJ findings where they differ.

The 预算 is seed 002 (绥德县医疗保障局 2023, tests/budgetexport.py) imported into a workbook; the 决算 is seed 001's
real 2023 tables (tests/seedfixtures.py) given seed 002's unit, so the two share some 项 and not others (2109999 is
the 预算's only, 2101506 the 决算's only). Every provenance is read back from the 预算 file itself: the cell holds
the amount, and its row's code cell the 项's code. The property tests draw random consistent 预算 and 决算
reports (budgetconsistent.py, consistent.py) and change one figure."""

from __future__ import annotations

import copy
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import budgetexport as bx
from budgetconsistent import consistent_budgets
from consistent import consistent_reports
from disclosure import budgetlink, workbook
from disclosure.checks import INFO, WARNING
from disclosure.errors import DisclosureError
from disclosure.importers.export import import_export
from disclosure.inputs import InputValue, Inputs
from disclosure.model import CellRef, Value

D = Decimal
UNIT = bx.DATA["unit"]  # 绥德县医疗保障局
LINE = re.compile(r"^  (\S+)　([\d,]+\.\d\d)　← 预算 (.+?)(（(?:已是此数|已填|原为).*）)?$")  # key, amount, where, what was done


def _save(report, path: Path) -> Path:
    return workbook.save_atomic(workbook.build(report.spec, report), path)


@pytest.fixture(scope="module")
def budget_report(tmp_path_factory):
    export = tmp_path_factory.mktemp("ys") / "预算导出.xlsx"
    bx.write_export(export)
    return import_export(export)


@pytest.fixture(scope="module")
def files(budget_report, export001, tmp_path_factory):
    """The 预算 workbook, a fresh 决算 workbook (empty 说明数据), and 预算 variants for the refusals."""
    folder = tmp_path_factory.mktemp("link")
    juesuan = import_export(export001)
    juesuan.unit_name = UNIT
    out = {"预算": _save(budget_report, folder / "预算.xlsx"), "决算": _save(juesuan, folder / "决算.xlsx")}
    for name, change in (("外单位", lambda r: setattr(r, "unit_name", "米脂县医疗保障局")),
                         ("上年", lambda r: setattr(r, "year", 2022))):
        variant = copy.deepcopy(budget_report)
        change(variant)
        out[name] = _save(variant, folder / f"预算-{name}.xlsx")
    (folder / "坏.xlsx").write_bytes(b"not a workbook")
    out["坏"] = folder / "坏.xlsx"
    return out


@pytest.fixture
def book(files, tmp_path):
    """A copy of the 决算 workbook for one test to change."""
    return Path(shutil.copy(files["决算"], tmp_path / "决算.xlsx"))


def _set(cli, book: Path, data: dict) -> None:
    path = book.with_name("数据.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("inputs", book, "--set-from", path)
    assert result.code == 0, result.err


def _bj(result) -> list[dict]:
    assert result.code in (0, 1), result.err
    return [f for f in json.loads(result.out) if f["rule"].startswith("BJ")]


# ---------------------------------------------------------------- inputs --from-budget

def test_from_budget_fills_each_value_with_the_cell_it_came_from(files, book, cli, budget_report):
    result = cli("inputs", book, "--from-budget", files["预算"])
    assert result.code == 0, result.err
    lines = [m.groups() for m in map(LINE.match, result.out.splitlines()) if m]
    got = {key: (D(amount.replace(",", "")), where, note) for key, amount, where, note in lines}
    t5 = budget_report.table("表5")
    budget_items = {r.code: r.amount("合计") for r in t5.code_rows() if len(r.code) == 7}
    decision_items = {r.code for r in workbook.read(book).table("05").code_rows() if len(r.code) == 7}
    assert set(got) == ({"年初预算.一般公共预算财政拨款支出"} | {f"年初预算.项.{c}" for c in set(budget_items) | decision_items})
    assert all(note is None for _, _, note in got.values())  # all written: the 决算 had none filled

    # every provenance is a cell of the 预算 workbook holding that amount, on the row of that code
    wb = load_workbook(files["预算"], read_only=True)
    for key, (amount, where, _) in got.items():
        code = key.rsplit(".", 1)[1]
        if code in decision_items - set(budget_items):
            assert (amount, where) == (0, f"表5 未列 {code}（年初未安排）")
            continue
        sheet, coord = where.split("!")
        assert D(str(wb[sheet][coord].value)) == amount, where
        label = wb[sheet][f"A{coord[1:]}"].value
        assert (label == "合计") if key == "年初预算.一般公共预算财政拨款支出" else (label == code), where
    assert got["年初预算.一般公共预算财政拨款支出"][:2] == (D("1982.47"), "表5!C5")
    assert got["年初预算.项.2109999"][0] == D("1090.00")  # the 预算's only, not a 项 of the 决算's 05

    # written into the 决算's 说明数据, with a backup; what the 预算 cannot give is said
    inputs = workbook.read(book).inputs
    assert {k: inputs.get(k) for k in got} == {k: v[0] for k, v in got.items()}
    assert book.with_name("决算.备份.xlsx").exists()
    assert "未从预算填入：机关运行经费预算：预算各表不列此数，预算工作簿的说明数据也未填“机关运行经费”，请手工填写" in result.out
    assert "“三公”经费、会议费、培训费预算：在决算公开09表“预算数”行" in result.out
    assert f"已写入 {len(got)} 项说明数据" in result.out

    # run again: the same list (the officer's way to see the provenance again), nothing rewritten
    before = book.read_bytes()
    again = cli("inputs", book, "--from-budget", files["预算"])
    assert again.code == 0, again.err
    same = {m.group(1): m.group(3) for m in map(LINE.match, again.out.splitlines()) if m}
    assert same == {k: v[1] for k, v in got.items()}
    assert again.out.count("（已是此数）") == len(got) and "说明数据中的年初预算数无需改动。" in again.out
    assert book.read_bytes() == before


def test_a_typed_value_is_kept_unless_force(files, book, cli):
    _set(cli, book, {"年初预算": {"项": {"2101501": 120}}})
    result = cli("inputs", book, "--from-budget", files["预算"])
    assert result.code == 0, result.err
    assert "  年初预算.项.2101501　121.47　← 预算 表5!C17（已填 120.00，未改；核对后要以预算为准可加 --force）" in result.out
    assert "1 项已填的值与预算不同，已保留" in result.out
    assert workbook.read(book).inputs.get("年初预算.项.2101501") == D("120")
    forced = cli("inputs", book, "--from-budget", files["预算"], "--force")
    assert forced.code == 0, forced.err
    assert "  年初预算.项.2101501　121.47　← 预算 表5!C17（原为 120.00，已覆盖）" in forced.out
    assert "已写入 1 项说明数据" in forced.out
    assert workbook.read(book).inputs.get("年初预算.项.2101501") == D("121.47")


# ---------------------------------------------------------------- check --budget

def test_check_budget_warns_where_the_decision_differs(files, book, cli):
    assert cli("inputs", book, "--from-budget", files["预算"]).code == 0
    result = cli("check", book, "--json", "--budget", files["预算"])
    found = _bj(result)
    # filled from the 预算: every 年初预算 agrees; what is left is 09表 预算数 against the empty 表12
    assert {f["rule"] for f in found} == {"BJ04"}
    t09 = workbook.read(book).table("09").row("预算数")
    printed = {c: v for c, v in t09.values.items() if v.amount}
    assert sorted(f["cell"] for f in found) == sorted(str(v.cell) for v in printed.values())
    meeting = next(f for f in found if f["cell"] == str(printed["会议费"].cell))
    assert meeting["message"] == (f"{printed['会议费'].cell} 预算数·会议费 25.00 ≠ 预算表12（空表） 0.00："
                                  "09表为调整后的全年预算，与年初预算不同的，情况说明中应写明调整")
    assert (meeting["severity"], meeting["expected"], meeting["actual"]) == (INFO, "0.00", "25.00")

    # one 年初预算 changed: one 警告 naming both values and both cells; nothing else moves
    _set(cli, book, {"年初预算": {"项": {"2101501": "118.50"}}})
    cell = workbook.read(book).inputs.cell("年初预算.项.2101501")
    result = cli("check", book, "--json", "--budget", files["预算"])
    bj01 = [f for f in _bj(result) if f["rule"] != "BJ04"]
    assert [(f["rule"], f["severity"], f["cell"], f["message"]) for f in bj01] == [
        ("BJ01", WARNING, str(cell),
         f"{cell} 年初预算（项 2101501 行政运行） 118.50 ≠ 预算 表5!C17 121.47：预算调整需在情况说明中说明")]
    plain = cli("check", book, "--json")
    assert result.code == plain.code  # BJ findings are 警告/提示: the exit code is the 决算's own
    assert [f for f in json.loads(result.out) if not f["rule"].startswith("BJ")] == json.loads(plain.out)

    text = cli("check", book, "--budget", files["预算"], "--xlsx", book.with_name("报告.xlsx"))
    assert "【预算↔决算】" in text.out and f"警告 BJ01 {cell}" in text.out
    assert re.search(r"已对照预算工作簿 预算\.xlsx：核对 \d+ 个数（BJ 规则）", text.out)
    rows = list(load_workbook(book.with_name("报告.xlsx"), read_only=True).worksheets[0].values)
    assert any("BJ01" in row and str(cell) in row for row in rows)


def test_check_budget_on_an_empty_decision_asks_for_each_budget_figure(files, book, cli, budget_report):
    result = cli("check", book, "--json", "--budget", files["预算"])
    bj02 = {f["message"].split(" ")[1]: f for f in _bj(result) if f["rule"] == "BJ02"}
    inputs = workbook.read(book).inputs
    items = {r.code: r for r in budget_report.table("表5").code_rows() if len(r.code) == 7 and r.amount("合计")}
    assert set(bj02) == {"表5!C5"} | {str(r.values["合计"].cell) for r in items.values()}
    for code, row in items.items():
        f = bj02[str(row.values["合计"].cell)]
        assert f["severity"] == INFO and f["expected"] == format(row.amount("合计").quantize(D("0.01")), "f")
        assert f["cell"] == (str(inputs.cell(f"年初预算.项.{code}")) if inputs.cell(f"年初预算.项.{code}") else None)
        assert f["message"].startswith(f"预算 {row.values['合计'].cell} 年初预算（项 {code} {row.name}）")
    assert bj02["表5!C15"]["cell"] is None  # 2101102 is not a 项 of the 决算's 05: no 说明数据 row yet


def test_a_decision_item_the_budget_lacks(files, book, cli):
    # 2101506 is in the 决算's 05 but not in 表5; 2130101 in neither
    _set(cli, book, {"年初预算": {"项": {"2101506": "1377.25", "2130101": 5, "2080501": 0}}})
    inputs = workbook.read(book).inputs
    found = [f for f in _bj(cli("check", book, "--json", "--budget", files["预算"])) if f["rule"] == "BJ03"]
    assert [(f["severity"], f["cell"], f["actual"]) for f in found] == [
        (WARNING, str(inputs.cell("年初预算.项.2101506")), "1377.25"),
        (WARNING, str(inputs.cell("年初预算.项.2130101")), "5.00")]  # 2080501 = 0: agrees with its absence
    assert found[0]["message"] == (f"{inputs.cell('年初预算.项.2101506')} 年初预算（项 2101506）1,377.25，"
                                   "预算表5 没有这一项：核对科目代码；年中追加的预算不是年初预算")


def test_a_budget_item_removed_is_a_zero_start_of_year_budget(budget_report, book, cli, tmp_path):
    variant = copy.deepcopy(budget_report)
    t5 = variant.table("表5")
    t5.rows = [r for r in t5.rows if r.code != "2101550"]
    path = _save(variant, tmp_path / "预算-少一项.xlsx")
    result = cli("inputs", book, "--from-budget", path)
    assert result.code == 0, result.err
    assert "  年初预算.项.2101550　0.00　← 预算 表5 未列 2101550（年初未安排）" in result.out
    assert workbook.read(book).inputs.get("年初预算.项.2101550") == 0


# ---------------------------------------------------------------- refusals

@pytest.mark.parametrize("name, message", [
    ("无此文件", "读不了预算工作簿：文件“无此文件.xlsx”：找不到该文件"),
    ("坏", "读不了预算工作簿：文件“坏.xlsx”：不是有效的 Excel 文件（文件内容既不是 .xlsx 也不是 .xls）"),
    ("决算", "“决算.xlsx”是部门决算工作簿，不是部门预算工作簿：请给出同年的预算工作簿"),
    ("外单位", "预算工作簿“预算-外单位.xlsx”是 米脂县医疗保障局 2023 年，决算工作簿“决算.xlsx”是 绥德县医疗保障局 2023 年："
              "单位不同，不能对照"),
    ("上年", "预算工作簿“预算-上年.xlsx”是 绥德县医疗保障局 2022 年，决算工作簿“决算.xlsx”是 绥德县医疗保障局 2023 年："
            "年度不同，不能对照"),
])
def test_a_wrong_budget_file_is_one_chinese_line(files, book, cli, name, message):
    budget = files.get(name, book.with_name(f"{name}.xlsx"))
    before = book.read_bytes()
    filled = cli("inputs", book, "--from-budget", budget)
    checked = cli("check", book, "--budget", budget)
    assert (filled.code, filled.err, filled.out) == (1, f"错误：{message}\n", "")
    assert (checked.code, checked.err, checked.out) == (2, f"错误：{message}\n", "")
    assert book.read_bytes() == before and not book.with_name("决算.备份.xlsx").exists()


def test_refusals_of_the_pair_itself(files, book, cli):
    result = cli("inputs", files["预算"], "--from-budget", files["预算"])
    assert (result.code, result.err) == (1, "错误：工作簿“预算.xlsx”是部门预算工作簿：对照预算只用于部门决算工作簿\n")
    result = cli("inputs", book, "--force")
    assert (result.code, result.err) == (1, "错误：--force 只能与 --from-budget 一起使用\n")


# ---------------------------------------------------------------- in memory: the rules on random reports

def _pair(budget, juesuan, data=None):
    """The 决算 given the 预算's unit and every 年初预算 the 预算 gives, each in a cell of its own."""
    juesuan.unit_name = budget.unit_name
    juesuan.year = budget.year
    inputs = Inputs()
    for n, (key, (amount, _)) in enumerate(budgetlink.budget_values(budget, juesuan).items(), start=4):
        ref = CellRef("说明数据", f"C{n}")
        inputs.values[key], inputs.cells[key] = InputValue(amount, ref), ref
    juesuan.inputs = inputs
    row = juesuan.table("09").row("预算数")
    for column, src in budgetlink.sangong(budget).items():
        row.values[column] = Value(src.amount, row.values[column].cell)
    return juesuan


@settings(max_examples=40, deadline=None)
@given(budget=consistent_budgets(), juesuan=consistent_reports(), data=st.data())
def test_one_changed_figure_gives_one_finding_at_its_cell(budget, juesuan, data):
    juesuan = _pair(budget, juesuan)
    assert budgetlink.cross_findings(budget, juesuan) == []
    given_ = budgetlink.sources(budget, juesuan)
    key = data.draw(st.sampled_from(sorted(given_)), label="key")
    iv = juesuan.inputs.values[key]
    delta = data.draw(st.integers(1, 100_000).map(lambda c: D(c).scaleb(-2)), label="delta")
    lower = data.draw(st.booleans(), label="lower") and delta <= iv.value  # a 年初预算 is never negative
    changed = iv.value - delta if lower else iv.value + delta
    juesuan.inputs.values[key] = InputValue(changed, iv.cell)
    found = budgetlink.cross_findings(budget, juesuan)
    rule = "BJ03" if given_[key].absent else "BJ01"
    assert [(f.rule, f.severity, f.cell, f.expected, f.actual) for f in found] == [
        (rule, WARNING, iv.cell, D(0) if rule == "BJ03" else given_[key].amount, changed)]
    if rule == "BJ01":
        assert str(given_[key]) in found[0].message and str(iv.cell) in found[0].message

    # the value not filled at all: a 提示 that names the 预算 cell, when the 预算 has money there
    del juesuan.inputs.values[key]
    found = budgetlink.cross_findings(budget, juesuan)
    if given_[key].amount:
        assert [(f.rule, f.severity, f.cell) for f in found] == [("BJ02", INFO, iv.cell)]
        assert found[0].message.startswith(str(given_[key]))
    else:
        assert found == []


@settings(max_examples=30, deadline=None)
@given(budget=consistent_budgets(), juesuan=consistent_reports(), data=st.data())
def test_a_changed_sangong_budget_is_named_with_both_cells(budget, juesuan, data):
    juesuan = _pair(budget, juesuan)
    row = juesuan.table("09").row("预算数")
    column = data.draw(st.sampled_from([c for c, _ in budgetlink.SANGONG_COLUMNS]), label="column")
    old = row.values[column]
    row.values[column] = Value(old.amount + D("0.01"), old.cell)
    found = budgetlink.cross_findings(budget, juesuan)
    src = budgetlink.sangong(budget)[column]
    assert [(f.rule, f.cell, f.expected) for f in found] == [("BJ04", old.cell, src.amount)]
    assert all(str(c) in found[0].message for c in src.cells)


@pytest.mark.parametrize("name, same", [("绥德县医疗保障局（汇总）", True), ("绥德县 医疗保障局", True),
                                        ("绥德县医疗保障局本级", False), ("", False)])
def test_unit_names_compared_without_width_spaces_or_huizong(budget_report, export001, name, same):
    juesuan = import_export(export001)
    juesuan.unit_name = name
    if same:
        budgetlink.require_pair(budget_report, juesuan)
    else:
        with pytest.raises(DisclosureError, match="单位不同，不能对照"):
            budgetlink.require_pair(budget_report, juesuan)


def test_running_costs_come_from_the_budget_workbooks_own_inputs(budget_report, export001):
    juesuan = import_export(export001)
    juesuan.unit_name = UNIT
    assert "机关运行经费预算" not in budgetlink.budget_values(budget_report, juesuan)
    assert any(line.startswith("机关运行经费预算：") for line in budgetlink.lacking(budget_report))
    budget = copy.deepcopy(budget_report)
    budget.inputs = Inputs(values={"机关运行经费": InputValue(D("17"), CellRef("说明数据", "C9"))})
    assert budgetlink.budget_values(budget, juesuan)["机关运行经费预算"] == (D("17"), "预算 说明数据!C9")
    assert not any(line.startswith("机关运行经费预算：") for line in budgetlink.lacking(budget))
    juesuan.inputs = Inputs(values={"机关运行经费预算": InputValue(D("16.5"), CellRef("说明数据", "C14"))})
    found = [f for f in budgetlink.cross_findings(budget, juesuan) if f.rule == "BJ01"]
    assert [f.message for f in found] == ["说明数据!C14 机关运行经费预算 16.50 ≠ 预算 说明数据!C9 17.00：预算调整需在情况说明中说明"]


@settings(max_examples=25, deadline=None)
@given(budget=consistent_budgets(), data=st.data())
def test_the_text_and_the_link_state_one_sangong_figure(budget, data):
    """表12 without its 合计 row, printing one or several 部门 rows: the 预算 text (六) and `check --budget` (BJ04)
    both take the 部门's figure as the sum of the 部门 rows (budgetfigures.sangong_rows)."""
    from disclosure.checks.rules.budget import unit_tree
    from disclosure.narrative.budget import build

    t12 = budget.table("表12")
    if data.draw(st.booleans(), label="drop 合计"):
        t12.rows = [r for r in t12.rows if r.key != "合计"]
    top, _ = unit_tree(t12)
    told = build(budget)["六"]["合计"]["本年"]
    linked = budgetlink.sangong(budget)["合计"]
    assert told.value == linked.amount
    assert set(told.cells) == set(linked.cells)
    if not any(r.key == "合计" for r in t12.rows):
        assert linked.amount == sum((r.amount("当年.三公小计") for r in top), D(0))
