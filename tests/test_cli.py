"""The command line: show (text and the documented JSON shape), template, version."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

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
