"""Single rules on purpose-made mistakes in seed 004's tables: the finding, its cell and its words."""

from __future__ import annotations

import copy
import re
from decimal import Decimal

import pytest

from disclosure import workbook
from disclosure.checks import ERROR, INFO, RULES, WARNING, run
from disclosure.checks.docs import render
from disclosure.importers.export import import_export
from disclosure.model import Value

D = Decimal


@pytest.fixture(scope="module")
def base(export004, tmp_path_factory):
    report = import_export(export004)
    book = workbook.save_atomic(workbook.build(report.spec, report), tmp_path_factory.mktemp("b") / "book.xlsx")
    return workbook.read(book)


@pytest.fixture
def report(base):
    return copy.deepcopy(base)


def setv(report, tid, key, column, amount, side=None):
    row = report.table(tid).row(key, side)
    old = row.values[column]
    row.values[column] = Value(D(amount), old.cell)
    return old.cell


def new_errors(report, base_findings):
    seen = {(f.rule, str(f.cell), f.message) for f in base_findings}
    return [f for f in run(report) if (f.rule, str(f.cell), f.message) not in seen]


def test_tolerance_is_n_times_half_a_cent(report, base):
    before = run(base)
    # 02 合计 = Σ 3 类 (64.99 + 2,342.16 + 37.41 = 2,444.56): 0.01 and 0.015 are tails, 0.03 is not
    cell = setv(report, "02", "合计", "本年收入合计", "2444.57")
    hier = [f for f in new_errors(report, before) if f.rule == "T02.2"]
    assert [(f.severity, f.cell, f.difference) for f in hier] == [(WARNING, cell, D("0.01"))]
    assert hier[0].message.startswith("尾差：")
    report = copy.deepcopy(base)
    setv(report, "02", "合计", "本年收入合计", "2444.59")
    hier = [f for f in new_errors(report, before) if f.rule == "T02.2"]
    assert [(f.severity, f.difference) for f in hier] == [(ERROR, D("0.03"))]
    assert "超出尾差范围（3 项最多 ±0.015）" in hier[0].message and "2,444.59" in hier[0].message


def test_a_total_with_no_codes_under_it_is_the_gap(report, base):
    """02 with its 合计 printed and every 科目 row gone (an export cut short): the 合计 sums nothing listed."""
    t = report.table("02")
    t.rows = [r for r in t.rows if not r.code or r.key]
    hier = [f for f in new_errors(report, run(base)) if f.rule == "T02.2"]
    total = t.row("合计")
    assert [(f.severity, f.cell) for f in hier] == [(ERROR, v.cell) for v in total.values.values() if v.amount]
    assert hier[0].message.startswith("表中没有列出任何科目：公开02表 合计·本年收入合计 为 2,444.56，而 所列科目之和 = 0.00")


def test_class_of_01_differs_from_03(report, base):
    cell01 = setv(report, "01", "210", "决算数", "2342.00", side="支出")
    found = {f.rule: f for f in new_errors(report, run(base))}
    x03 = found["X03"]
    assert x03.severity == ERROR and cell01 in x03.cells and str(x03.cell) == "公开03表!C14"
    assert "2,342.16" in x03.message and "2,342.00" in x03.message and "0.16" in x03.message
    assert found["T01.2"].cell.coord == "F33"  # 本年支出合计 no longer adds up either


def test_05_row_above_03_row(report, base):
    cell = setv(report, "05", "2101501", "小计", "80.00")
    f = next(f for f in new_errors(report, run(base)) if f.rule == "X09")
    assert (f.severity, f.cell, f.actual, f.expected) == (ERROR, cell, D("80.00"), D("74.75"))
    assert "大于" in f.message


def test_fund_in_04_but_07_empty(report, base):
    cell = setv(report, "04", "政府性基金预算财政拨款收入", "金额", "10.00", side="收入")
    f = next(f for f in new_errors(report, run(base)) if f.rule == "X10")
    assert f.severity == ERROR and f.cell == cell and "公开07表" in f.message and "空表" in f.message


def test_06_above_09_is_a_warning(report, base):
    cell = setv(report, "06", "30217", "决算数", "1.50")
    found = new_errors(report, run(base))
    x12 = next(f for f in found if f.rule == "X12")
    assert (x12.severity, x12.cell) == (WARNING, cell) and "公务接待费" in x12.message


def test_code_names_parents_and_catalog(report, base):
    before = run(base)
    report.table("05").row("2101501").name = "行政运行费"
    report.table("02").row("2101550").name = "事业单位运行"
    t03 = report.table("03")
    t03.rows = [r for r in t03.rows if r.code != "21011"]  # 款 gone, its 项 stay
    row = report.table("02").row("2101599")
    row.code = "2101598"
    found = new_errors(report, before)
    k01 = [f for f in found if f.rule == "K01"]
    assert any("行政运行费" in f.message and "行政运行" in f.message and f.table == "05" for f in k01)
    k02 = [f for f in found if f.rule == "K02"]
    assert {re.search(r"科目 (\d+)", f.message).group(1) for f in k02} == {"2101101", "2101102"}
    assert all(f.severity == ERROR and "上级款 21011 没有列出" in f.message for f in k02)
    # its 项 count under 210 (they hold the 款's amount): 合计 and 210 still add up — no second, false 错误
    wrong = [f.message for f in found if f.rule == "T03.2" and f.severity == ERROR]
    assert not wrong, wrong
    k03 = {f.severity: f for f in found if f.rule == "K03"}
    assert set(k03) == {INFO, WARNING} and len([f for f in found if f.rule == "K03"]) == 2
    assert "科目 2101550 名为“事业单位运行”" in k03[WARNING].message
    # every code the catalog lacks in one 提示, each named and its cell marked
    assert k03[INFO].message == "1 个科目不在本工具的分类科目目录中，未能核对名称：2101598 其他医疗保障管理事务支出"
    assert k03[INFO].cells == [row.cell] and k03[INFO].cell == row.cell


def test_codes_the_catalog_lacks_make_one_note_naming_each(report):
    """A department outside the seeds' sectors prints codes the catalog lacks: one 提示 names them all (each
    code once, whichever tables print it), every cell marked — not one line each burying the real findings."""
    renamed = {}
    for tid, code, new in (("02", "2101501", "2101591"), ("05", "2101550", "2101592")):
        for t in ("02", "03", "05"):
            row = report.table(t).row(code)
            if row is not None:
                row.code = new
                renamed.setdefault(new, []).append(row.cell)
    notes = [f for f in run(report) if f.rule == "K03" and f.severity == INFO]
    assert len(notes) == 1
    assert notes[0].message.startswith("2 个科目不在本工具的分类科目目录中，未能核对名称：2101591 行政运行、2101592 ")
    assert set(notes[0].cells) == {cells[0] for cells in renamed.values()}  # each code once: its first table


def test_registry_and_generated_doc():
    assert len(RULES) >= 40
    for r in RULES.values():
        assert r.title and r.formula and r.reference and r.hint and r.severity in (ERROR, WARNING, INFO)
    from pathlib import Path

    doc = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    assert doc.read_text(encoding="utf-8") == render(), "run ./dev docs"


def test_missing_03_class_row_points_at_the_01_figure(report, base):
    t03 = report.table("03")
    t03.rows = [r for r in t03.rows if not (r.code or "").startswith("221")]
    f = next(f for f in run(report) if f.rule == "X03")
    assert f.cell == report.table("01").row("221", "支出").values["决算数"].cell
    assert "表中未列此科目" in f.message


def test_a_missing_reason_is_asked_in_plain_words_with_its_cell(tmp_path):
    """N02 names the 项 and the direction as the officer reads them, never the key (项.2101501)."""
    from conftest import build_sample_book
    from disclosure import workbook
    from disclosure.checks import run

    book = build_sample_book(tmp_path / "s.xlsx")
    workbook.update_inputs(book, {"原因.项.2101501": None})
    report = workbook.read(book)
    n02 = [f for f in run(report) if f.rule == "N02"]
    assert len(n02) == 1 and n02[0].cell == report.inputs.cell("原因.项.2101501")
    assert "行政运行（项）决算数大于年初预算数的原因" in n02[0].message
    assert "项.2101501" not in n02[0].message and "原因." not in n02[0].message
