"""Last year's published text read for this year's start (disclosure/priortext.py): the 概况 texts, 单位构成, 联系电话
and last year's reasons, from documents of the three regions as published (the seeds and the Putuo reference)."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosure.priortext import read_prior_text, suggestions

FIXTURES = Path(__file__).parent / "fixtures"
SEED_001 = FIXTURES / "seeds" / "001_b9c65a5f840ad048.txt"
SEED_003 = FIXTURES / "seeds" / "003_175bcaedfa81a07e.txt"
SEED_004 = FIXTURES / "seeds" / "004_9cf0ad25385f0ff2.txt"
PUTUO = FIXTURES / "reference" / "shanghai-putuo-caizhengju-2024-决算.txt"


@pytest.mark.parametrize("path, style, units, phone", [
    (SEED_004, "shaanxi", ["子洲县医疗保障局", "子洲县医疗保险经办中心", "子洲县医疗保障基金安全防控中心"], "18392222366"),
    (SEED_001, "shaanxi", ["咸阳市医疗保障局", "咸阳市医疗医疗保障经办中心", "咸阳市医疗保障基金监测中心"], "029-33561220"),
    (SEED_003, "neimenggu", ["乌海市医疗保障局"], "0473-3156058"),
    (PUTUO, "shanghai", ["上海市普陀区财政局", "上海市普陀区财政局财政所", "上海市普陀区国库收付中心"], ""),
], ids=["004", "001", "003", "putuo"])
def test_units_and_phone_of_each_region(path, style, units, phone):
    prior = read_prior_text(path.read_text(encoding="utf-8"), style)
    assert prior.units == units and prior.phone == phone
    assert prior.inputs().get("单位构成") == units


def test_duties_and_offices_as_the_officer_would_type_them():
    prior = read_prior_text(SEED_004.read_text(encoding="utf-8"), "shaanxi")
    lines = prior.duties.splitlines()
    assert lines[0].startswith("1.贯彻执行中省市医疗保障工作方面的法律法规") and lines[-1].startswith("13.有关职责分工")
    assert len(lines) == 13  # one line per numbered duty, the PDF's line breaks inside a duty joined
    assert prior.offices.startswith("医疗保障局属于县政府工作部门，为正科级单位。")
    assert "（二）内设机构" not in prior.duties


def test_last_years_reasons_are_offered_where_this_year_needs_one():
    prior = read_prior_text(SEED_004.read_text(encoding="utf-8"), "shaanxi")
    offered = suggestions(prior, [("收支总计", "一", "收入总计、支出总计比上年"), ("机关运行经费", "十", "机关运行经费比上年")])
    assert offered["收支总计"].startswith("2024年度收入总计、支出总计均为2,444.56万元")
    assert offered["机关运行经费"] == "支出决算比上年减少4.46万元，下降的主要原因是：严格支出管理，大力压减机关运行经费。"
    assert not suggestions(prior, [("会议费", "九", "会议费比上年")])  # its 九 gave no reason for 会议费


def test_an_inner_mongolia_text_is_read_in_its_own_sections():
    prior = read_prior_text(SEED_003.read_text(encoding="utf-8"), "neimenggu")
    assert prior.duties.startswith("乌海市医疗保障局于2019年1月份组建")
    sections = {sid for sid, _ in prior.reasons}
    assert {"一", "五", "九"} <= sections  # its 一、五 and 八 (三公, the 陕西 九) give reasons


def test_a_text_with_nothing_to_take_gives_nothing():
    prior = read_prior_text("这不是公开文本。", "shaanxi")
    assert prior.inputs() == {} and prior.reasons == []
