"""Inner Mongolia's 情况说明 (the neimenggu style, issue 21) on seed 003 (乌海市医疗保障局 2023): its eleven tables
(tests/seed003_workbook.py), the 说明数据 its text states (上年决算, 年初预算, 批次/人次 …, from 003_figures.yaml) and
its five 项目支出绩效自评表 give a text in which every number of the seed's 第二部分 that follows from tables and
inputs comes back, section by section — and where the seed was wrong (known_errors), ours differs."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

import seed003_book
from disclosure import workbook
from disclosure.narrative.render import render, style_config
from seed003_book import FIG, SEED

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@pytest.fixture(scope="module")
def seed003(tmp_path_factory):
    return seed003_book.report(tmp_path_factory.mktemp("seed003"))


@pytest.fixture(scope="module")
def doc(seed003):
    return render(seed003)


def _sections(doc) -> dict:
    return {s.id: s for part in doc.parts for s in part.sections}


def _numbers(paragraphs: list[str]) -> list[Decimal]:
    return [Decimal(x.replace(",", "")) for p in paragraphs for x in NUMBER.findall(p)]


# ---------------------------------------------------------------- what we do not print, and why

# The seed wrong (known_errors) where its text states the figure: the seed's figure id -> what ours prints.
WRONG_IN_SEED = {
    "s5.c210_vs_budget": "1284.18",  # r5.c210_budget: 2,097.68 − Σ 项 年初预算 813.50 (the seed: 1,239.51)
    "s5.c208_vs_budget": "16.16",  # r5.c208_budget: 85.88 − 102.04 (the seed: 16.15, a 尾差)
    "s5.c221_vs_budget": "13.04",  # r5.c221_budget: 59.84 − 46.8 (the seed: 13.05)
    "s5.i2101101_rate": "98.09",  # 28.69 ÷ 29.25 = 98.0855…% (the seed cut it to 98.08)
    "s8.rate": "78.00", "s8.recv_rate": "78.00",  # 0.78 ÷ 1.00 (the seed's 78.36% is from 元 figures)
    "s8.recv_vs_last_rate": "50.00",  # 0.26 ÷ 0.52 (the seed: 49.80)
}
# known_errors that are no figure of the text's: 尾差 in the tables (the checks' to report) or between inputs
NOT_IN_TEXT = {"r5.budget_vs_s1", "r5.budget_vs_s4", "r5.classes", "r5.c208", "r5.budget_classes", "r5.budget_items",
               "r6.split", "r7.c302"}
# the relation of each figure above, to prove the two lists cover known_errors exactly
RELATION = {"s5.c210_vs_budget": "r5.c210_budget", "s5.c208_vs_budget": "r5.c208_budget",
            "s5.c221_vs_budget": "r5.c221_budget", "s5.i2101101_rate": "r5.i2101101_rate", "s8.rate": "r8.rate",
            "s8.recv_rate": "r8.recv_rate", "s8.recv_vs_last_rate": "r8.recv_vs_last_rate"}
# a percentage of nothing (DESIGN.md: a base of 0 gives no percent): the seed prints “0%” or “100%”, we print none
ZERO_BASE = {"s12.sme_share", "s12.small_share", "s12.goods_sme_share", "s12.works_sme_share", "s12.services_sme_share",
             "s14.fund_share"}
# the 政府性基金 projects of 绩效自评 the seed says it reports (0): ours counts the 自评表 in the workbook
UNSTATED = {"s14.reported_fund"}


def _unchanged(fid: str) -> bool:
    """A change of 0 (the seed: 增加 0.00 万元，增长 0%), which ours states as 持平 (DESIGN.md)."""
    f = FIG[fid]
    return f.get("direction") in ("增加", "减少", "增长") and f["value"] == 0


def test_the_lists_of_differences_cover_the_known_errors_exactly():
    assert {e["relation"] for e in SEED["known_errors"]} == set(RELATION.values()) | NOT_IN_TEXT
    assert set(WRONG_IN_SEED) == set(RELATION)


def test_style_is_the_regions_and_orders_the_seeds_parts(seed003, doc):
    assert seed003.spec.style == "neimenggu" and doc.style == "neimenggu"
    assert [p.title for p in doc.parts] == ["第一部分 部门概况", "第二部分 部门决算情况说明", "第三部分 名词解释",
                                            "第四部分 决算公开联系方式及信息反馈渠道"]
    seed_titles = [f"{n}、{s['title']}" for n, s in SEED["sections"].items()]
    assert [s.title for s in doc.parts[1].sections] == seed_titles
    assert doc.title == "2023年度乌海市医疗保障局（部门）决算公开"
    package = style_config("neimenggu")["package"]
    assert package["tables_title"] == "第五部分 部门决算表" and "tables_after" not in package
    assert not package["glossary_title"]


@pytest.mark.parametrize("section", list(SEED["sections"]))
def test_every_figure_of_the_seed_text_is_regenerated(section, doc):
    ours = _sections(doc)[section]
    got = _numbers(ours.paragraphs)
    text = "".join(ours.paragraphs)
    checked, zeros = 0, 0
    for fid, f in FIG.items():
        if f["section"] != section or fid in ZERO_BASE | UNSTATED:
            continue
        if fid in WRONG_IN_SEED:
            assert Decimal(WRONG_IN_SEED[fid]) in got, f"第{section}节应印 {WRONG_IN_SEED[fid]}（{f['what']}）：{text}"
            assert f["value"] not in got, f"第{section}节不应照印样本的错数 {f['printed']}（{f['what']}）"
        elif _unchanged(fid) or (fid.endswith("_rate") and _unchanged(fid.removesuffix("_rate"))):
            assert "持平" in text, f"第{section}节：{f['what']} 未变，应写“持平”"
        else:
            assert f["value"] in got, f"第{section}节缺少 {f['printed']}（{f['what']}）：{text}"
            zeros += f["value"] == 0
        checked += 1
    assert checked >= 3
    # a 0 is in almost every section: each of the seed's must be one of ours
    assert sum(1 for x in got if x == 0) >= zeros, f"第{section}节的 0 少于样本的 {zeros} 个：{text}"


def test_the_self_evaluations_come_from_the_perf_tables(doc):
    text = "\n".join(_sections(doc)["十四"].paragraphs)
    for p in SEED["projects"]:
        said, table = p["text"], p["table"]
        # the 自评表's name (the seed's text called two projects otherwise: text_errors)
        assert f"{table['name']}项目自评综述：根据年初设定的绩效目标，项目自评得分{table['total_score'].normalize():f}分" in text
        got = _numbers([text.split(table["name"] + "项目自评综述", 1)[1].split("项目自评综述")[0]])
        for key in ("budget", "spent", "rate"):
            assert said[key] in got, f"{table['name']}：{key} {said[key]}"
    assert "反欺诈专项经费" not in text and "推行综合柜员制服务提升经费" not in text
    assert "此部分支出用于社会化聘用人员工资及社保缴费。" in "".join(_sections(doc)["七"].paragraphs)
    # its only 偏差原因 cell, in the officer's words
    assert "划转道管中心2名社会化聘用人员至我部门" in text
    assert "本部门2023年未开展重点项目绩效评价。" in text


def test_numbers_have_provenance(doc):
    uses = [u for u in doc.uses if u.section in SEED["sections"]]
    assert len(uses) >= 200  # the seed states some 250 figures; ours prints each once (持平 has none)
    assert all(u.fact.formula for u in uses)
    by_text = {(u.section, u.text): u.fact for u in uses}
    total_on_budget = by_text[("一", "1,236.40")]
    assert "说明数据 年初预算.收支总计" in total_on_budget.formula and total_on_budget.cells[0].sheet == "表一"
    c210 = by_text[("五", "1,284.18")]
    assert "年初预算.项.210" in c210.formula and {c.sheet for c in c210.cells} == {"表五", "说明数据"}
    project = by_text[("七", "980.00")]
    assert project.cells and project.cells[0].sheet == "表七"
    cars = by_text[("十三", "4")]
    assert cars.cells[0].sheet == "表十一"


def test_what_the_seed_left_out_is_asked_for(doc):
    """一 gives no reason for the totals' change on 上年, and the 自评表 hold no 实际完成情况 here."""
    placeholders = {m.placeholder for m in doc.missing}
    assert "【待填写：收入总计、支出总计增加的原因】" in placeholders
    assert "【待填写：收入总计、支出总计增加的原因】" in "".join(_sections(doc)["一"].paragraphs)
    asked = {m.key for m in doc.missing}
    assert asked <= {"原因.收支总计"} | {f"绩效.绩效-项目{i}.{w}" for i in range(1, 6)
                                     for w in ("实际完成情况", "问题及原因", "改进措施")}, asked


def test_reasons_listed_are_the_ones_the_text_states(seed003, doc):
    from disclosure.narrative.render import context

    keys = {r.key for r in context(seed003, seed003.inputs)["model"].reasons}
    assert "一般公共预算财政拨款支出" not in keys and "机关运行经费预算执行" not in keys  # 陕西 asks, 内蒙古 does not state
    assert {"收入总计、支出总计预算执行", "财政拨款收入总计、支出总计预算执行", "项.2101199", "公务接待费"} <= keys


def test_a_national_workbook_in_the_neimenggu_style_asks_for_its_missing_table(tmp_path):
    """Without 表七 or 表十一 (a 陕西 workbook rendered in the 内蒙古 style) 七 says what is missing, 十一–十三 read
    the 说明数据 — no reason is listed for a 陕西 report that its own text does not state."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from conftest import build_sample_book

    report = workbook.read(build_sample_book(tmp_path / "sample.xlsx"))
    ours = render(report, style="neimenggu")
    seven = "".join(_sections(ours)["七"].paragraphs)
    assert "【待填写：按经济分类的项目支出明细（一般公共预算财政拨款项目支出决算明细表）】" in seven
    assert "机构运行经费支出决算10.80万元" in "".join(_sections(ours)["十一"].paragraphs)
    from disclosure.narrative.render import context

    keys = {r.key for r in context(report, report.inputs)["model"].reasons}
    assert not any(k.endswith("总计预算执行") for k in keys)
