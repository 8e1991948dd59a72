"""汇总: random consistent reports split into units (amounts in 元, each unit rounded to 0.01 万元) consolidate
back to the original within 尾差 with no 错误; the CLI on the bundled 3-unit sample; refusals; provenance."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import ROOT, run_cli
from consistent import consistent_reports
from disclosure import workbook
from disclosure.checks import ERROR, run
from disclosure.checks.engine import HALF_CENT
from disclosure.consolidate import Unit, consolidate
from disclosure.consolidate_check import unit_findings
from disclosure.consolidate_derive import Fig, base_of, cells_of, derive
from unitsplit import split

UNITS_DIR = ROOT / "templates" / "samples" / "汇总示例"
UNIT_NAMES = ["测试局本级", "测试中心", "测试站", "测试所"]


def _units(reports) -> list[Unit]:
    return [Unit(Path(f"{i + 1}-{r.unit_name}.xlsx"), r, f"digest{i}") for i, r in enumerate(reports)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(original=consistent_reports(), data=st.data())
def test_split_units_consolidate_back_to_the_original(original, data):
    k = data.draw(st.integers(2, 4), label="units")
    weights = data.draw(st.lists(st.integers(1, 9), min_size=k, max_size=k), label="weights")
    reports = split(original, UNIT_NAMES[:k], lambda key: weights)
    # every unit rounded from exact figures: clean, except where several parts print 0.00 and their total 0.01
    # (the engine counts only non-blank parts in a 尾差 allowance) — such a unit is not a test of the 汇总
    assume(all(not [f for f in run(r) if f.severity == ERROR] for r in reports))

    c = consolidate(_units(reports))
    assert c.report.unit_name == "测试局"
    assert c.report.inputs.get("单位构成") == UNIT_NAMES[:k]
    assert not [f.message for f in run(c.report) if f.severity == ERROR]
    found, compared = unit_findings(c.report, _units(reports))
    assert compared > 0
    assert not [f.message for f in found if f.severity == ERROR]

    # each figure within the rounding of the unit figures under it (k per base figure) and any 尾差调整
    counts = derive(original.spec, {key: Fig(v.amount, 1) for key, v in base_of(original).items()})
    moved = sum((abs(d) for d in c.derived.adjusted.values()), Decimal(0))
    got = cells_of(c.report)
    for key, value in cells_of(original).items():
        allowance = k * max(1, counts.cells[key].n if key in counts.cells else 1) * HALF_CENT + moved
        have = got[key].amount if key in got else Decimal(0)
        assert abs(have - value.amount) <= allowance, (key, value.amount, have, allowance)


# ---------------------------------------------------------------- the bundled 3-unit sample, through the CLI

@pytest.fixture(scope="module")
def summary(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("huizong") / "汇总.xlsx"
    result = run_cli("consolidate", UNITS_DIR, "-o", out)
    assert result.code == 0, result.err
    assert "已汇总 3 个单位 → 子洲县医疗保障局 2024 年度决算" in result.out
    return out


def test_sample_units_add_up_to_the_sample_department(summary):
    from conftest import SAMPLE
    from disclosure.importers.export import import_export

    sample, got = import_export(SAMPLE), workbook.read(summary)
    assert got.unit_name == "子洲县医疗保障局"
    assert got.inputs.get("单位构成") == ["子洲县医疗保障局本级", "子洲县医疗保险经办中心", "子洲县医疗保障基金安全防控中心"]
    assert got.inputs.get("人员.编制") == 38 and got.inputs.get("人员.事业编制") == 31
    assert got.inputs.get("上年.收入总计") == Decimal("3427.44")
    # the sample prints its totals with 尾差 (its 项 add up to 2,444.57): the 汇总 is the sum of the 项
    total = got.table("01").row("收入总计", "收入").amount("决算数")
    assert total == Decimal("2444.57")
    assert abs(total - sample.table("01").row("收入总计", "收入").amount("决算数")) <= Decimal("0.01")
    sample_cells = cells_of(sample)
    for key, value in cells_of(got).items():
        if key[0] in ("02", "03", "05") and len(key[2]) == 7:  # every 项 exactly as the sample prints it
            assert value.amount == sample_cells[key].amount, key


def test_consolidated_sample_checks_clean_and_against_its_units(summary):
    plain = run_cli("check", summary)
    assert plain.code == 0 and "错误 0 条" in plain.out
    result = run_cli("check", summary, "--units", UNITS_DIR)
    assert result.code == 0, result.out
    assert "错误 0 条，警告 0 条" in result.out
    assert "已对照 3 个单位工作簿" in result.out and "个汇总数（H 规则）" in result.out


def test_narrative_says_three_units_from_the_units(summary, tmp_path):
    out = tmp_path / "说明.txt"
    assert run_cli("narrative", summary, "-o", out).code == 0
    text = out.read_text(encoding="utf-8")
    assert "纳入2024年度本部门决算编制范围的单位共3个" in text
    assert "子洲县医疗保险经办中心" in text
    assert "反映3个预算单位的数据汇总情况" in text


def test_explain_lists_each_units_cell(summary):
    got = workbook.read(summary)
    row = got.table("05").row("2101550")
    cell = row.values["小计"].cell
    result = run_cli("consolidate", summary, "--explain", str(cell))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith(f"{cell}（公开05表 2101550·小计）= {row.amount('小计'):,.2f}")
    units = {line.split("\t")[0].strip(): Decimal(line.split("\t")[2].replace(",", "")) for line in lines[1:]}
    assert set(units) == {"子洲县医疗保险经办中心", "子洲县医疗保障基金安全防控中心"}  # 事业运行: the two centres
    assert sum(units.values()) == row.amount("小计")
    total = run_cli("consolidate", summary, "--explain", str(got.table("01").row("收入总计", "收入").values["决算数"].cell))
    assert "本年收入合计 + 使用非财政拨款结余 + 年初结转和结余" in total.out
    assert run_cli("consolidate", summary, "--explain", "公开05表!Z999").code == 1


def test_detail_sheet_lists_units_and_the_total(summary):
    from openpyxl import load_workbook

    ws = load_workbook(summary)["支出分单位明细"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4, max_col=4)]
    assert [r[0] for r in rows] == ["子洲县医疗保障局本级", "子洲县医疗保险经办中心", "子洲县医疗保障基金安全防控中心", "汇总"]
    assert sum(Decimal(str(r[3])) for r in rows[:3]) == Decimal(str(rows[3][3]))
    assert load_workbook(summary)["_汇总来源"].sheet_state == "hidden"


# ---------------------------------------------------------------- refusals and H findings

def _folder(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "units"
    folder.mkdir()
    for p in sorted(UNITS_DIR.glob("*.xlsx")):
        if not names or any(n in p.name for n in names):
            shutil.copy(p, folder / p.name)
    return folder


def test_same_file_twice_is_refused(tmp_path):
    folder = _folder(tmp_path)
    first = sorted(folder.glob("*.xlsx"))[0]
    shutil.copy(first, folder / "9-副本.xlsx")
    result = run_cli("consolidate", folder, "-o", tmp_path / "h.xlsx")
    assert result.code == 1
    assert "是同一个文件" in result.err and "同一单位不能汇总两次" in result.err
    assert len(result.err.strip().splitlines()) == 1 and not (tmp_path / "h.xlsx").exists()


def test_same_unit_name_twice_is_refused(tmp_path):
    folder = _folder(tmp_path)
    second = sorted(folder.glob("*.xlsx"))[1]
    copy = folder / "9-改名.xlsx"
    shutil.copy(second, copy)
    workbook.update_inputs(copy, {"人员.离退休": 7})  # another file, same 单位名称
    result = run_cli("consolidate", second, copy, "-o", tmp_path / "h.xlsx")
    assert result.code == 1 and "单位名称都是“子洲县医疗保险经办中心”" in result.err


def test_other_layout_and_other_kind_are_refused(tmp_path):
    first = sorted(UNITS_DIR.glob("*.xlsx"))[0]
    old = workbook.write_template("2023", tmp_path / "旧表样.xlsx", unit_name="某单位", year=2024)
    result = run_cli("consolidate", first, old, "-o", tmp_path / "h.xlsx")
    assert result.code == 1 and "表样不同的工作簿不能汇总" in result.err
    other_year = workbook.write_template("2024", tmp_path / "上年.xlsx", unit_name="某单位", year=2023)
    result = run_cli("consolidate", first, other_year, "-o", tmp_path / "h.xlsx")
    assert result.code == 1 and "不同年度的工作簿不能汇总" in result.err
    budget = workbook.write_template("预算2023", tmp_path / "预算.xlsx", unit_name="某单位")
    result = run_cli("consolidate", first, budget, "-o", tmp_path / "h.xlsx")
    assert result.code == 1 and "汇总只用于部门决算" in result.err
    assert "Traceback" not in result.err
    # given first, the 预算 is refused in the same words (not compared with itself as a 决算)
    kind = workbook.read(budget).kind
    result = run_cli("consolidate", budget, first, "-o", tmp_path / "h.xlsx")
    assert result.code == 1 and result.err.strip() == f"错误：“预算.xlsx”是{kind}工作簿：汇总只用于部门决算"
    assert not (tmp_path / "h.xlsx").exists()


def test_check_units_finds_a_changed_figure_a_missing_unit_and_an_unclean_unit(summary, tmp_path):
    from openpyxl import load_workbook

    changed = tmp_path / "汇总.xlsx"
    shutil.copy(summary, changed)
    cell = workbook.read(changed).table("05").row("2101501").values["基本支出"].cell
    wb = load_workbook(changed)
    wb[cell.sheet][cell.coord] = wb[cell.sheet][cell.coord].value + 1
    wb.save(changed)
    result = run_cli("check", changed, "--units", UNITS_DIR, "--json")
    assert result.code == 1
    import json

    h01 = [f for f in json.loads(result.out) if f["rule"] == "H01" and f["severity"] == ERROR]
    assert [f["cell"] for f in h01] == [str(cell)]
    assert "各单位之和" in h01[0]["message"] and "子洲县医疗保障局本级" in h01[0]["message"]

    folder = _folder(tmp_path, "经办中心", "防控中心")  # 本级 left out
    result = run_cli("check", summary, "--units", folder)
    assert result.code == 1
    assert "H04" in result.out and "“子洲县医疗保障局本级”没有单位工作簿" in result.out
    assert "H01" in result.out

    unit = sorted(folder.glob("*.xlsx"))[0]
    cell = workbook.read(unit).table("05").row("合计").values["小计"].cell
    wb = load_workbook(unit)
    wb[cell.sheet][cell.coord] = wb[cell.sheet][cell.coord].value + 5
    wb.save(unit)
    result = run_cli("check", summary, "--units", folder)
    assert "H02" in result.out and f"单位工作簿“{unit.name}”" in result.out and "本身有" in result.out


def test_check_units_refuses_a_folder_of_another_layout(summary, tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    workbook.write_template("2023", folder / "a.xlsx", unit_name="某单位", year=2024)
    result = run_cli("check", summary, "--units", folder)
    assert result.code == 2 and "表样不同" in result.err


def test_the_summary_lying_among_its_units_is_not_a_unit(summary, tmp_path):
    """The 汇总 in the units' folder, and a copy of it under another name (the same file: left out by its hash)."""
    folder = _folder(tmp_path)
    inside = Path(shutil.copy(summary, folder / "汇总.xlsx"))
    shutil.copy(summary, folder / "9-汇总副本.xlsx")
    result = run_cli("check", inside, "--units", folder)
    assert result.code == 0, result.out
    assert "错误 0 条，警告 0 条" in result.out and "已对照 3 个单位工作簿" in result.out


def test_a_summary_left_among_the_units_is_refused_not_added(summary, tmp_path):
    """`consolidate` over a folder still holding last run's 汇总: it would be a fourth “unit”, every figure twice
    (new-user test: exit 0, 本年收入合计 doubled)."""
    folder = _folder(tmp_path)
    shutil.copy(summary, folder / "汇总.xlsx")
    result = run_cli("consolidate", folder, "-o", tmp_path / "h.xlsx")
    assert result.code == 1 and not (tmp_path / "h.xlsx").exists()
    assert result.err.strip() == ("错误：“汇总.xlsx”是汇总结果（含“_汇总来源”工作表），不是单位工作簿：请把它移出单位文件夹后再汇总"
                                  "（否则各单位的数会算两遍）")


def test_units_whose_own_tables_do_not_add_up_are_refused_all_named(tmp_path):
    """A unit with an 错误 of its own is not summed: its 0.09 gap passed for the rounding of three units and was moved
    onto another unit's 科目 (尾差调整), the 汇总 adding up with the error hidden in it (new-user test). Every such
    unit is named in one message, each with its first 错误."""
    from openpyxl import load_workbook

    folder = _folder(tmp_path)
    broken = sorted(folder.glob("*.xlsx"))[1:]
    for unit in broken:
        cell = workbook.read(unit).table("05").row("2101550").values["基本支出"].cell
        wb = load_workbook(unit)
        printed = Decimal(str(wb[cell.sheet][cell.coord].value))  # openpyxl reads a float: the printed figure
        wb[cell.sheet][cell.coord] = float(printed - Decimal("0.09"))
        wb.save(unit)
    result = run_cli("consolidate", folder, "-o", tmp_path / "h.xlsx")
    assert result.code == 1 and not (tmp_path / "h.xlsx").exists()
    err = result.err.strip()
    assert err.startswith("错误：以下单位工作簿校验有错误，请先改正（disclosure check 该文件）后再汇总：")
    assert all(f"“{u.name}”" in err for u in broken) and err.count("条（如 T05") == len(broken)


def test_the_units_performance_tables_are_said_not_summed(tmp_path):
    """A unit's 绩效自评表 is no figure to add: the 汇总 has none, and the run says so, naming the units that had
    them (new-user test: they were silently dropped — `perf list` on the 汇总 said it has none)."""
    folder = _folder(tmp_path)
    first = sorted(folder.glob("*.xlsx"))[0]
    assert run_cli("perf", "add", first, "--project", "医疗保障工作经费").code == 0
    for backup in folder.glob("*.备份.xlsx"):
        backup.unlink()
    result = run_cli("consolidate", folder, "-o", tmp_path / "h.xlsx")
    assert result.code == 0, result.err
    name = workbook.read(first).unit_name
    assert f"{name}的绩效自评表没有并入汇总（自评表不能相加）" in result.out
    assert workbook.read(tmp_path / "h.xlsx").perf is None


def test_the_departments_own_workbook_among_its_units_is_refused(tmp_path):
    """The finished department workbook copied into the units' folder as “单位10”: its 单位名称 is the department's,
    and summed with its units it doubled every figure (new-user test, desktop 汇总)."""
    from conftest import build_sample_book

    folder = _folder(tmp_path)
    build_sample_book(folder / "单位10.xlsx")
    result = run_cli("consolidate", folder, "-o", tmp_path / "h.xlsx")
    assert result.code == 1 and not (tmp_path / "h.xlsx").exists()
    assert result.err.strip() == ("错误：“单位10.xlsx”的单位名称就是部门名称“子洲县医疗保障局”：它是部门自己的工作簿，不是单位工作簿，"
                                  "请把它移出单位文件夹后再汇总（否则各单位的数会算两遍）")
