"""The command line: show (text and the documented JSON shape), template, version."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from disclosure import __version__

ROOT = Path(__file__).resolve().parent.parent


def test_show_json_shape_and_cells(export004, tmp_path, cli):
    book = tmp_path / "filled.xlsx"
    assert cli("import", export004, "-o", book).code == 0
    result = cli("show", book, "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["unit"], data["year"], data["layout"]) == ("子洲县医疗保障局", 2024, "2024")
    assert list(data["tables"]) == [f"0{i}" for i in range(1, 10)]
    t01 = data["tables"]["01"]["rows"]
    total = next(r for r in t01 if r.get("label") == "支出总计")
    assert total == {"label": "支出总计", "name": "总计", "行次": 60, "values": {"决算数": "2444.56"},
                     "cell": "公开01表!D36", "cells": {"决算数": "公开01表!F36"}, "side": "支出"}
    row = next(r for r in data["tables"]["03"]["rows"] if r.get("code") == "2101550")
    assert row["name"] == "事业运行" and row["行次"] is None
    assert row["values"] == {"本年支出合计": "333.31", "基本支出": "298.31", "项目支出": "35.00",
                             "上缴上级支出": "0.00", "经营支出": "0.00", "对附属单位补助支出": "0.00"}
    # every reported cell holds exactly the reported amount
    wb = load_workbook(book)
    for table in data["tables"].values():
        for r in table["rows"]:
            for column, ref in r["cells"].items():
                sheet, coord = ref.split("!")
                assert Decimal(str(wb[sheet][coord].value or 0)) == Decimal(r["values"][column]), ref


def test_show_prints_the_totals(export004, tmp_path, cli):
    book = tmp_path / "filled.xlsx"
    cli("import", export004, "-o", book)
    result = cli("show", book)
    assert result.code == 0
    assert "单位：子洲县医疗保障局" in result.out
    assert "收入·总计：决算数 2,444.56" in result.out and "支出·总计：决算数 2,444.56" in result.out
    assert "人员经费合计：决算数 464.28" in result.out
    assert "公开07表 政府性基金预算财政拨款收入支出决算表：空表" in result.out


def test_template_command_and_version(tmp_path, cli):
    result = cli("template", "--year", "2023", "-o", tmp_path / "t.xlsx")
    assert result.code == 0 and (tmp_path / "t.xlsx").exists()
    assert cli("template", "--year", "1999", "-o", tmp_path / "x.xlsx").code == 1
    assert not (tmp_path / "x.xlsx").exists()
    assert cli("--version").out.strip() == f"disclosure {__version__}"


@pytest.mark.parametrize("kind", ["决算", "预算"])
def test_a_template_for_a_year_without_its_layout_uses_the_latest_earlier_one(tmp_path, cli, kind):
    """The 2025 决算 is the job of 2026, and a 2027 预算 is made in late 2026: a blank workbook of such a year is
    made with the latest earlier 表样 (as import reads such a report), says so, and checks with that note; a year
    no report is for (before every 表样, after next year) is still refused."""
    import datetime

    from disclosure import specs, workbook
    from disclosure.checks import run as run_checks
    from disclosure.checks.report import as_text

    kind_name = specs.JUESUAN if kind == "决算" else specs.YUSUAN
    latest = max(specs.available_layouts(kind_name, specs.DEFAULT_REGION), key=lambda x: specs.load(x).default_year)
    year = specs.load(latest).default_year + 1
    if year > datetime.date.today().year + 1:
        pytest.skip(f"{year} 年已有表样之后的年度尚未到来")  # only when a 表样 of next year exists
    out = tmp_path / "模板.xlsx"
    result = cli("template", "--kind", kind, "--year", str(year), "-o", out)
    assert result.code == 0 and f"{year} 年度" in result.out and specs.layout_words(latest) in result.out
    assert result.err.startswith(f"提示：本工具还没有陕西 {year} 年的部门{kind}表样，已按 {specs.layout_words(latest)}生成")
    report = workbook.read(out)
    assert report.year == year and report.spec.layout == latest
    assert f"注意：报表是 {year} 年度的" in as_text(report, run_checks(report))
    too_late = datetime.date.today().year + 2
    refused = cli("template", "--kind", kind, "--year", str(too_late), "-o", tmp_path / "x.xlsx")
    assert refused.code == 1 and f"没有 {too_late} 年的部门{kind}表样" in refused.err
    assert not (tmp_path / "x.xlsx").exists()


def test_every_command_has_its_help_and_the_list_names_them_all(capsys):
    """Only the command being run gets its arguments (issue 18: a faster start); each one's help and
    usage errors stay whole, and `disclosure -h` still lists every command."""
    from disclosure import cli as command_line

    commands = command_line._commands()
    with pytest.raises(SystemExit) as done:
        command_line.main(["-h"])
    listing = capsys.readouterr().out
    assert done.value.code == 0 and all(name in listing for name in commands)
    assert len(commands) >= 12 and {"check", "import", "export", "batch", "audit", "perf"} <= set(commands)
    helps = {}
    for name in commands:
        with pytest.raises(SystemExit) as done:
            command_line.main([name, "--help"])
        helps[name] = capsys.readouterr().out
        assert done.value.code == 0 and f"用法：disclosure {name}" in helps[name], name
        assert "显示本帮助并退出" in helps[name] and "show this help" not in helps[name]
    assert "--budget 预算.xlsx" in helps["check"] and "--annotate 标注.pdf" in helps["audit"]
    assert "2023" in helps["template"] and "上海" in helps["import"]  # the layouts and regions, listed
    assert "from-targets" in helps["perf"]
    with pytest.raises(SystemExit) as done:
        command_line.main(["check"])  # its workbook missing: the check command's own usage error
    err = capsys.readouterr().err
    assert done.value.code == 2 and "用法：disclosure check" in err
    assert err.splitlines()[-1] == "disclosure check：错误：缺少参数：workbook"
    with pytest.raises(SystemExit) as done:
        command_line.main(["template", "--year", "2023"])  # -o is required
    assert done.value.code == 2 and "缺少参数：-o/--output" in capsys.readouterr().err


@pytest.mark.parametrize("argv,said", [
    (["chek", "a.xlsx"], "disclosure：错误：参数 命令：没有 'chek' 这一项（可选：'template', "),
    (["check", "a.xlsx", "--bogus"], "disclosure：错误：无法识别的参数：--bogus（用 -h 查看可用的参数）"),
    (["batch", "文件夹", "--jobs", "两个"], "disclosure batch：错误：参数 --jobs：'两个' 不是有效的值"),
    (["check", "a.xlsx", "--xlsx"], "disclosure check：错误：参数 --xlsx：后面应跟一个值"),
    (["perf", "删除"], "disclosure perf：错误：参数 绩效命令：没有 '删除' 这一项（可选：'add', "),
    # no abbreviations: “--set” is no --set-from (its value would have been taken for a file's name)
    (["inputs", "a.xlsx", "--set", "人员.编制=38"], "disclosure：错误：无法识别的参数：--set 人员.编制=38"),
])
def test_a_mistyped_command_is_told_in_chinese(capsys, argv, said):
    """argparse's refusals in the tool's language too (argparse_zh): one Chinese line after the usage, exit 2."""
    from disclosure import cli as command_line

    with pytest.raises(SystemExit) as done:
        command_line.main(argv)
    err = capsys.readouterr().err
    assert done.value.code == 2 and err.startswith("用法：disclosure")
    assert err.splitlines()[-1].startswith(said), err
    assert not re.search(r"[A-Za-z]{3,} [a-z]{3,} [a-z]{3,}", err.splitlines()[-1]), err  # no English sentence
