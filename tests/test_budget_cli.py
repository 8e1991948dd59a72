"""A 预算 workbook on the command line: import detects the kind, show (text and JSON) says 部门预算 with the
tables keyed 表1…表15; a capability whose 预算 part has not landed yet (kinds.SUPPORTED) refuses it in one
Chinese line, so the 决算 rules and text never run on it; and no command crashes on a 预算 workbook or says
"0 findings" for it, whatever has landed."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

import budgetexport as bx
from disclosure import kinds, workbook
from disclosure.checks import run
from disclosure.cli import main
from disclosure.kinds import KindNotSupported
from disclosure.specs import JUESUAN

TESTS = Path(__file__).parent


@pytest.fixture(scope="module")
def book(tmp_path_factory, cli_module):
    folder = tmp_path_factory.mktemp("budget")
    export = folder / "导出.xlsx"
    bx.write_export(export)
    path = folder / "预算.xlsx"
    result = cli_module("import", export, "-o", path)
    assert result.code == 0, result.err
    assert "已导入部门预算 绥德县医疗保障局 2023 年度（预算2023 表样）" in result.out
    return path


def test_show_json_keys_tables_and_rows_like_the_decision_ones(book, cli):
    result = cli("show", book, "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["kind"], data["unit"], data["year"], data["layout"]) == ("部门预算", "绥德县医疗保障局", 2023, "预算2023")
    assert list(data["tables"]) == [f"表{n}" for n in range(1, 16)]
    t1 = data["tables"]["表1"]
    assert (t1["title"], t1["number"], t1["kind"]) == ("部门综合预算收支总表", "表1", "fixed")
    row = next(r for r in t1["rows"] if r["side"] == "政府预算支出经济分类" and r.get("code") == "505")
    assert {k: row[k] for k in ("label", "name", "行次", "values")} == {
        "label": "对事业单位经常性补助", "name": "5、对事业单位经常性补助", "行次": None, "values": {"预算数": "743.08"}}
    row = next(r for r in data["tables"]["表6"]["rows"] if r.get("code") == "30103")
    assert (row["name"], row["gov_code"], row["gov_name"], row["values"]["人员经费支出"]) == ("奖金", "50101", "工资奖金津补贴", "50.38")
    assert row["texts"] == {"备注": ""}
    row = next(r for r in data["tables"]["表6"]["rows"] if r.get("code") == "301")
    assert (row["gov_code"], row["gov_name"]) == (None, None)
    project = next(r for r in data["tables"]["表10"]["rows"] if r["name"] == "城乡居民参保资金")
    assert (project["unit_code"], project["values"], project["texts"]) == ("324002", {"项目金额": "400.00"}, {"项目简介": "县级配套资金"})
    indicator = next(r for r in data["tables"]["表15"]["rows"] if r.get("side") == "指标")
    assert indicator["texts"]["一级指标"] == "产出指标" and indicator["texts"]["指标值"] == "100%"
    # every reported cell holds the reported amount or text
    wb = load_workbook(book)
    for table in data["tables"].values():
        for r in table["rows"]:
            for column, ref in r["cells"].items():
                if ref:
                    sheet, coord = ref.split("!")
                    assert Decimal(str(wb[sheet][coord].value or 0)) == Decimal(r["values"][column]), ref
            for column, ref in r.get("text_cells", {}).items():
                sheet, coord = ref.split("!")
                assert str(wb[sheet][coord].value or "").strip() == r["texts"][column].strip(), ref


def test_show_text_names_the_kind(book, cli):
    result = cli("show", book)
    assert result.code == 0, result.err
    assert result.out.startswith("类型：部门预算　单位：绥德县医疗保障局　年度：2023　地区：陕西　表样：预算2023")
    assert "表4 部门综合预算财政拨款收支总表" in result.out
    assert "政府预算支出经济分类·支出总计：预算数 1,982.47" in result.out
    assert "表9 部门综合预算政府性基金收支表：空表" in result.out
    assert result.out.index("表2 ") < result.out.index("表10 ")


def _decision_only(monkeypatch, capability: str) -> None:
    """As before the capability's 预算 part landed (kinds.SUPPORTED lists 部门预算 once it has)."""
    monkeypatch.setitem(kinds.SUPPORTED, capability, frozenset({JUESUAN}))


def test_checks_refuse_a_budget_report_while_they_have_no_budget_rules(book, monkeypatch):
    _decision_only(monkeypatch, kinds.CHECKS)
    with pytest.raises(KindNotSupported, match="“预算.xlsx”是部门预算工作簿：部门预算的校验尚未提供"):
        run(workbook.read(book))


@pytest.mark.parametrize("args,capability,code", [
    (["check", "{book}"], kinds.CHECKS, 2),
    (["check", "{book}", "--json"], kinds.CHECKS, 2),
    (["narrative", "{book}", "-o", "{tmp}/说明.txt"], kinds.NARRATIVE, 1),
    (["lint", "{tmp}/原文.txt", "--workbook", "{book}"], kinds.LINT, 2),
    (["export", "{book}", "-o", "{tmp}/包", "--no-pdf"], kinds.EXPORT, 1),
    (["inputs", "{book}", "--prior", "{book}"], kinds.PRIOR, 1),
])
def test_a_capability_without_its_budget_part_refuses_in_one_chinese_line(book, tmp_path, monkeypatch, capsys, args,
                                                                           capability, code):
    _decision_only(monkeypatch, capability)
    (tmp_path / "原文.txt").write_text("一、收入支出决算总体情况说明\n", encoding="utf-8")
    assert main([a.format(book=book, tmp=tmp_path) for a in args]) == code
    out, err = capsys.readouterr()
    assert f"部门预算工作簿：部门预算的{capability}尚未提供" in err
    assert "[]" not in out and "0 条" not in out  # never "no findings" for what was not checked
    assert not (tmp_path / "包").exists() and not (tmp_path / "说明.txt").exists()


@pytest.mark.parametrize("args", [
    ["check", "{book}"], ["check", "{book}", "--json"], ["narrative", "{book}", "-o", "{tmp}/说明.txt"],
    ["lint", "{tmp}/原文.txt", "--workbook", "{book}"], ["export", "{book}", "-o", "{tmp}/包", "--no-pdf"],
    ["inputs", "{book}", "--prior", "{book}"], ["inputs", "{book}", "--dump"], ["batch", "{tmp}/books", "--jobs", "1"],
], ids=lambda a: " ".join(a[:2]))
def test_every_command_works_on_a_budget_workbook_or_says_why_not(book, tmp_path, cli, args):
    """Whatever has landed of issue 19 by now: a command ends with its result or one Chinese line — never an
    internal error, and a check of seed 002 (which has real errors) never ends in "0 findings"."""
    (tmp_path / "原文.txt").write_text("一、收入支出决算总体情况说明\n", encoding="utf-8")
    (tmp_path / "books").mkdir()
    (tmp_path / "books" / "预算.xlsx").write_bytes(book.read_bytes())
    result = cli(*[a.format(book=book, tmp=tmp_path) for a in args])
    assert "内部错误" not in result.err + result.out and "Traceback" not in result.err, result.err
    refused = "部门预算工作簿：部门预算的" in result.err + result.out and "尚未提供" in result.err + result.out
    if args[0] in ("check", "batch"):
        assert refused or result.code == 1, (result.out, result.err)  # seed 002's real errors, or the refusal
        assert "错误 0 条，警告 0 条" not in result.out and result.out.strip() != "[]"
    elif result.code != 0:
        assert refused or result.err.startswith("错误："), result.err


def test_gui_open_shows_the_workbook_or_says_why_not(book, cli):
    result = cli(TESTS / "gui_open.py", book, python=True, cwd=TESTS)
    assert "内部错误" not in result.err and "Traceback" not in result.err, result.err
    assert result.code == 0 or "部门预算的" in result.err and "尚未提供" in result.err, result.err


def test_import_with_prior_of_another_kind_is_refused(book, tmp_path, cli):
    """A 预算's --prior is last year's 预算 (test_budget_narrative.py); a 决算 workbook is refused."""
    from conftest import build_sample_book

    export = tmp_path / "导出.xlsx"
    bx.write_export(export)
    result = cli("import", export, "-o", tmp_path / "新.xlsx", "--prior", build_sample_book(tmp_path / "决算.xlsx"))
    assert result.code == 1 and "--prior 的工作簿是部门决算，导入的报表是部门预算" in result.err
    assert not (tmp_path / "新.xlsx").exists()

