"""说明数据 and 原因说明: set-from/dump round trip, errors that name the key, reasons kept by key, --prior."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from conftest import set_cover_year
from disclosure import workbook


@pytest.fixture
def book(book004):
    return book004


def test_set_from_then_dump_round_trips(book, tmp_path, cli):
    data = {"上年": {"收入总计": "3427.44", "三公经费": {"合计": 0}}, "机关运行经费预算": 10.8,
            "年初预算": {"项": {"2101501": "68.33"}}, "国有资产": {"车辆明细": {"执法执勤用车": 2}},
            "人员": {"编制": 38}, "单位构成": ["甲单位", "乙单位"], "联系电话": "0912-1234567",
            "原因": {"收支总计": "人员减少"}}
    src = tmp_path / "in.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = cli("inputs", book, "--set-from", src)
    assert result.code == 0, result.err
    assert (book.parent / "b.备份.xlsx").exists()
    dumped = yaml.safe_load(cli("inputs", book, "--dump").out)
    assert dumped["上年"] == {"收入总计": "3427.44", "三公经费": {"合计": "0"}}
    assert dumped["年初预算"] == {"项": {"2101501": "68.33"}}
    assert dumped["国有资产"]["车辆明细"] == {"执法执勤用车": 2}
    assert dumped["单位构成"] == ["甲单位", "乙单位"] and dumped["人员"] == {"编制": 38}
    assert dumped["原因"] == {"收支总计": "人员减少"}
    again = tmp_path / "again.yaml"
    again.write_text(yaml.safe_dump(dumped, allow_unicode=True), encoding="utf-8")
    assert cli("inputs", book, "--set-from", again).code == 0
    assert yaml.safe_load(cli("inputs", book, "--dump").out) == dumped
    # the values stand in the 说明数据 cells the dump came from
    report = workbook.read(book)
    cell = report.inputs.cell("上年.收入总计")
    assert load_workbook(book)[cell.sheet][cell.coord].value == pytest.approx(3427.44)
    assert report.inputs.get("上年.收入总计") == Decimal("3427.44")


@pytest.mark.parametrize("data,words", [
    ({"上年": {"收入总数": 1}}, ["未知的说明数据项“上年.收入总数”"]),
    ({"本年": 5}, ["未知的说明数据项“本年”"]),
    ({"上年": {"收入总计": "约三千万"}}, ["“上年.收入总计”应为金额", "约三千万"]),
    ({"人员": {"编制": "三十八"}}, ["“人员.编制”应为整数", "三十八"]),
    ({"年初预算": {"项": {"21015": 3}}}, ["未知的说明数据项“年初预算.项.21015”"]),
    ({"主要用于": {"差旅费": "调研"}}, ["未知的说明数据项“主要用于.差旅费”"]),  # only the four the text states
    ({"政府采购": {"货物授予中小企业": "全部"}}, ["“政府采购.货物授予中小企业”应为金额", "全部"]),
])
def test_bad_inputs_name_the_key_and_value(data, words, book, tmp_path, cli):
    before = book.read_bytes()
    src = tmp_path / "bad.yaml"
    src.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("inputs", book, "--set-from", src)
    assert result.code == 1 and result.err.startswith("错误：")
    for w in words:
        assert w in result.err
    assert book.read_bytes() == before  # nothing written


def test_reasons_survive_regeneration_by_key(book, tmp_path, cli):
    src = tmp_path / "a.yaml"
    src.write_text(yaml.safe_dump({"年初预算": {"项": {"2101501": 68.33, "2101502": 2433}},
                                   "原因": {"项.2101501": "年中追加", "项.2101502": "配套资金未到位"}},
                                  allow_unicode=True), encoding="utf-8")
    assert cli("inputs", book, "--set-from", src).code == 0
    ws = load_workbook(book)["原因说明"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]}
    assert rows["项.2101501"][1].startswith("2101501 行政运行：本年 74.75 万元大于年初预算 68.33 万元")
    assert rows["项.2101501"][2] == "年中追加"
    # a new budget makes 2101501 equal (no reason needed) and adds 2101550; written reasons stay
    src.write_text(yaml.safe_dump({"年初预算": {"项": {"2101501": 74.75, "2101550": 337.22}}}, allow_unicode=True),
                   encoding="utf-8")
    assert cli("inputs", book, "--set-from", src).code == 0
    ws = load_workbook(book)["原因说明"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]}
    assert rows["项.2101502"][2] == "配套资金未到位" and "小于年初预算" in rows["项.2101502"][1]
    assert rows["项.2101550"][2] is None and "小于年初预算 337.22 万元" in rows["项.2101550"][1]
    assert rows["项.2101501"][2] == "年中追加" and "保留备查" in rows["项.2101501"][1]


def test_prior_fills_last_years_figures(book, tmp_path, cli, export004):
    book = set_cover_year(Path(shutil.copy(book, tmp_path / "上年.xlsx")), 2023)  # last year's workbook
    src = tmp_path / "a.yaml"
    src.write_text(yaml.safe_dump({"机关运行经费": 10.8, "主要职责": "负责全县医疗保障工作"}, allow_unicode=True),
                   encoding="utf-8")
    assert cli("inputs", book, "--set-from", src).code == 0
    new = tmp_path / "new.xlsx"
    result = cli("import", export004, "-o", new, "--prior", book)
    assert result.code == 0, result.err
    inputs = workbook.read(new).inputs
    assert inputs.get("上年.收入总计") == Decimal("2444.56")
    assert inputs.get("上年.一般公共预算财政拨款支出") == Decimal("2444.56")
    assert inputs.get("上年.会议费") == Decimal("0")
    assert inputs.get("上年.机关运行经费") == Decimal("10.8")
    assert inputs.get("主要职责") == "负责全县医疗保障工作"
    fresh = tmp_path / "fresh.xlsx"
    assert cli("import", export004, "-o", fresh).code == 0
    assert cli("inputs", fresh, "--prior", book).code == 0
    assert workbook.read(fresh).inputs.get("上年.财政拨款收支总计") == Decimal("2444.56")


def test_the_words_inputs_of_issue_17_round_trip(book, tmp_path, cli):
    """主要用于, 中小企业 by category, 部门或单位, 机构改革, 公开日期: set from YAML, dumped back, in their own cells."""
    data = {"主要用于": {"公务用车运行维护费": "燃油费、维修费", "会议费": "召开全县医保工作会议"},
            "政府采购": {"货物授予中小企业": "21.11", "服务授予中小企业": 0}, "部门或单位": "单位",
            "机构改革": "无", "公开日期": "2025年8月", "联系电话": "（0912）1234567"}
    src = tmp_path / "words.yaml"
    src.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert cli("inputs", book, "--set-from", src).code == 0
    dumped = yaml.safe_load(cli("inputs", book, "--dump").out)
    assert dumped["主要用于"] == data["主要用于"]
    assert dumped["政府采购"] == {"货物授予中小企业": "21.11", "服务授予中小企业": "0"}
    assert {k: dumped[k] for k in ("部门或单位", "机构改革", "公开日期", "联系电话")} == \
        {k: data[k] for k in ("部门或单位", "机构改革", "公开日期", "联系电话")}
    report = workbook.read(book)
    cells = {report.inputs.cell(k) for k in ("主要用于.会议费", "部门或单位", "公开日期")}
    assert None not in cells and len(cells) == 3 and {c.sheet for c in cells} == {"说明数据"}
