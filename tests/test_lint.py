"""Lint of an existing 情况说明: the real errors of the published seeds — in every form the text reaches
us (as published, copied out of a PDF, pasted from a web page, typed into Word) — each diagnosis on a
purpose-made slip, and the two properties (generated text lints clean; one changed claim is always caught)."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure import workbook
from disclosure.lint import lint
from disclosure.narrative.render import render
from lintvariants import pdf_copied, web_pasted, write_docx
from seedfixtures import SEED_001, SEED_004
from test_narrative_property import reports_with_inputs

# (rule, severity, section, words in what it says) — every error seeds/README.md names for 001 and 004,
# and the other slips found in their published 第二部分
EXPECTED = {
    "001": [
        ("L16", "警告", "第一部分", "医疗医疗"),  # 内设机构: "咸阳市医疗医疗保障经办中心"
        ("L16", "警告", "第一部分", "医疗医疗"),  # and again in the list of 单位构成
        # the heading of 五 is lost from the published text: its items read as part of 四
        ("L10", "错误", "四", "科目 2100101 行政运行"),  # 五 item 7: 17.94 is 2101101 行政单位医疗 in the tables
        ("L10", "错误", "四", "2101550 写作“卫生健康支出/医疗保障管理事务/医疗保障经办事务”"),  # README: item 12
        ("L10", "警告", "四", "2080501 写作“社会保障和就业支出/行政事业单位离退休"),  # 款 20805's old name
        ("L10", "警告", "四", "2080502 写作"),
        ("L10", "警告", "四", "2080505 写作"),
        ("L10", "警告", "四", "2080506 写作"),
        ("L09", "提示", "四", "100.92%"),  # 完成年初预算的 100.92%: the 年初预算 itself is lost from the text
        ("L11", "警告", "五", "2101101 行政单位医疗"),
        ("L11", "警告", "五", "2101550 事业运行"),
        ("L24", "警告", "五", "找不到“五、一般公共预算财政拨款支出决算情况说明”这一节"),  # that lost heading
        ("L05", "错误", "十一", "百分比缺少数字"),  # README: 占政府采购服务支出合同的%
        ("L14", "警告", "十三", "省略号“……” 1 处"),  # the template's "……" row left in 整体支出绩效自评表
        ("L15", "警告", "十三", "单位名称写作“咸阳市医保局”"),  # 主管部门 in three 项目绩效自评表
        ("L20", "警告", "十三", "“等情况，截止目前第一”"),  # “截止” for 截至, twice in the 项目 narratives
        ("L20", "警告", "十三", "“截止2023”"),
        ("L17", "提示", "十三", "英文逗号“,” 37 处"),  # "万元, 执行数 …" in the 项目 narratives
    ],
    "004": [
        ("L07", "错误", "五", "“2022年上半年”"),  # README: item 4 talks about 2022年上半年
        ("L08", "警告", "五", "决算“小于”，原因却是“城乡居民医疗救助"),  # README: item 8 小于, reason 追加
        # "完成年初预算的82.05%。占本年支出合计的100%。": the second is a clause without a subject, which the
        # generator no longer writes (issue 17: 占比 joins the 完成率 sentence), so it pairs with none of ours
        ("L09", "提示", "五", "100%"),
        ("L17", "提示", "十三", "英文逗号“,” 14 处"),  # "的通知》,城乡居民" …
    ],
}
SEEDS = {"001": SEED_001, "004": SEED_004}


@pytest.fixture(scope="module")
def books(seed_books):
    return seed_books


def _forms(seed: str, tmp_path) -> dict[str, str]:
    """The seed's published text and the forms people really get it in."""
    from disclosure.lint.text import read_text

    text = SEEDS[seed].read_text(encoding="utf-8")
    forms = {"published": text, "web-pasted": web_pasted(text),
             "docx": read_text(write_docx(text, tmp_path / f"{seed}.docx"))}
    forms.update({f"pdf-copied-{k}": pdf_copied(text, seed=k) for k in range(4)})
    return forms


@pytest.mark.parametrize("seed", ["001", "004"])
def test_every_form_of_the_published_text_gives_exactly_the_real_findings(seed, books, tmp_path):
    report = workbook.read(books[seed])
    for form, text in _forms(seed, tmp_path).items():
        findings = lint(text, report)
        got = [(f.rule, f.severity, f.section, f.says) for f in findings]
        assert len(got) == len(EXPECTED[seed]), (form, got)
        for (rule, severity, section, words), f in zip(EXPECTED[seed], findings):
            assert (f.rule, f.severity, f.section) == (rule, severity, section) and words in f.says + f.should, \
                (form, got)


def test_findings_name_the_part_and_section(books):
    findings = lint(SEED_004.read_text(encoding="utf-8"), workbook.read(books["004"]))
    assert findings[0].place == "第二部分 五、一般公共预算财政拨款支出决算情况说明"
    assert findings[0].line().startswith("错误 L07 第二部分 五、一般公共预算财政拨款支出决算情况说明：“2022年上半年”")
    assert "第五部分" not in findings[0].line()


@pytest.fixture(scope="module")
def sample(books):
    report = workbook.read(books["004"])
    return report, render(report).text()


@pytest.mark.parametrize("old,new,rule,severity,words", [
    ("下降28.68%", "下降28.67%", "L04", "警告", "应四舍五入为 28.68%"),
    ("下降28.68%", "下降40.21%", "L02", "错误", "982.88 ÷ 本年 2,444.56 = 40.21%"),
    ("支出总计均为2444.56万元", "支出总计均为2444.56元", "L03", "错误", "单位应为万元：2,444.56万元"),
    ("收入总计、支出总计减少982.88万元", "收入总计、支出总计增加982.88万元", "L06", "错误", "应为“减少”"),
    ("基本支出485.52万元，占19.86%", "基本支出485.52万元，占19.68%", "L01", "错误", "应为 19.86%"),
    ("占政府采购支出合同总额的100%", "占政府采购支出合同总额的%", "L05", "错误", "百分比缺少数字"),
    ("本部门2024年度无政府性基金预算财政拨款收支，已公开空表。", "政府性基金预算财政拨款支出12.00万元。",
     "L12", "错误", "空表"),
])
def test_each_kind_of_slip_is_named(sample, old, new, rule, severity, words):
    report, text = sample
    assert old in text
    hits = [f for f in lint(text.replace(old, new, 1), report) if f.rule == rule]
    assert hits and hits[0].severity == severity and words in hits[0].says + hits[0].should, hits


def test_generated_sample_text_keeps_only_the_officers_own_slips(sample):
    """Every number the generator wrote checks out; the two findings are in reasons typed by the officer
    (kept word for word): the 2022 year and the 追加 reason for a 小于 line."""
    report, text = sample
    found = lint(text, report)
    assert [(f.rule, f.section) for f in found if f.rule != "L14"] == [("L07", "五"), ("L08", "五")]
    # and what its 说明数据 leaves empty, each 【待填写：…】 once (a draft is never “错误 0 条”)
    assert len([f for f in found if f.rule == "L14"]) == text.count("【待填写：") > 0


@settings(max_examples=25, deadline=None)
@given(reports_with_inputs())
def test_generated_text_lints_clean(report):
    """Every figure the generator prints checks out; all that is left is what the 说明数据 leaves empty."""
    text = render(report).text()
    found = lint(text, report)
    assert [f for f in found if f.rule != "L14"] == [] and len(found) == text.count("【待填写：")


# a printed amount or percent: 1,083.42, or as Shaanxi prints a whole one, 1100 (not "单价100万元以上")
NUMBER = re.compile(r"(?<![\d.,])(?<!单价)(\d[\d,]*(?:\.\d\d)?)(?=万元(?!及?以[上下])|%)")
FLIPS = [("增加", "减少"), ("减少", "增加"), ("大于", "小于"), ("小于", "大于")]


@settings(max_examples=60, deadline=None)
@given(report=reports_with_inputs(), data=st.data())
def test_one_changed_claim_is_always_caught(report, data):
    text = render(report).text()
    body_start = text.index("第二部分")
    spots = [("num", m) for m in NUMBER.finditer(text, body_start)]
    spots += [("word", m) for a, _ in FLIPS for m in re.finditer(a, text[body_start:])]
    kind, m = data.draw(st.sampled_from(spots), label="spot")
    if kind == "num":
        old = m.group(1)
        delta = data.draw(st.integers(1, 5000), label="cents")
        value = int(Decimal(old.replace(",", "")) * 100) + delta
        new = f"{value // 100:,}.{value % 100:02d}"
        mutated = text[:m.start(1)] + new + text[m.end(1):]
    else:
        start = body_start + m.start()
        word = m.group(0)
        mutated = text[:start] + dict(FLIPS)[word] + text[start + len(word):]
    # draft_ok: the draft's own 【待填写：…】 are not what this test looks for (they would always be found)
    findings = [f for f in lint(mutated, report, draft_ok=True) if f.severity in ("错误", "警告")]
    assert findings, (kind, m.group(0))


def test_cli_lint_docx_json_and_exit_codes(books, tmp_path, cli):
    book = books["004"]
    docx = tmp_path / "说明.docx"
    assert cli("narrative", book, "-o", docx).code == 0
    result = cli("lint", docx, "--workbook", book)
    # the officer's two slips, and the four 说明数据 seed 004's text gives none (联系电话 …), each with its cell
    assert result.code == 1 and "错误 5 条，警告 1 条，提示 0 条" in result.out
    assert result.out.count("错误 L14 ") == 4 and "说明数据“联系电话”（说明数据!C" in result.out
    published = tmp_path / "004.txt"
    published.write_text(SEED_004.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("lint", published, "--workbook", book, "--json")
    assert result.code == 1
    findings = json.loads(result.out)
    assert {"rule", "severity", "section", "sentence", "says", "should", "cells"} <= set(findings[0])
    assert findings[0]["rule"] == "L07" and "2022年上半年" in findings[0]["sentence"]
    assert findings[0]["place"] == "第二部分 五、一般公共预算财政拨款支出决算情况说明"
    result = cli("lint", tmp_path / "missing.docx", "--workbook", book)
    assert result.code == 2 and "找不到该文件" in result.err
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF")
    result = cli("lint", bad, "--workbook", book)
    assert result.code == 2 and "不支持的文件类型“.pdf”" in result.err
    assert "已公开的 PDF 请用 disclosure audit 公开.pdf" in result.err  # where a published PDF is read


def test_cli_refuses_a_text_it_does_not_understand(books, tmp_path, cli):
    """Never "0 条" for text that was not read: a text with too few section titles exits 2 and says which
    titles it found."""
    book = books["004"]
    text = SEED_004.read_text(encoding="utf-8")
    cut = tmp_path / "前五节.txt"  # only 一–五 of the fourteen sections: fewer than half
    cut.write_text(text[:text.index("六、一般公共预算财政拨款基本支出")], encoding="utf-8")
    result = cli("lint", cut, "--workbook", book)
    assert result.code == 2 and "0 条" not in result.out
    assert "前五节.txt" in result.err and "找到 5 个小节标题（一、收入支出决算总体情况说明、" in result.err
    assert "应有 14 个" in result.err
    tables_only = tmp_path / "只有表格.txt"  # 第一部分 and 第三部分, no 情况说明 at all
    tables_only.write_text(text[:text.index("第二部分")] + text[text.index(" 第三部分"):], encoding="utf-8")
    result = cli("lint", tables_only, "--workbook", book)
    assert result.code == 2 and "找到 0 个小节标题（无），应有 14 个" in result.err
    seven = tmp_path / "前七节.md"  # half of them is enough to read
    seven.write_text(text[:text.index("八、国有资本经营预算")], encoding="utf-8")
    result = cli("lint", seven, "--workbook", book)
    assert result.code == 1 and "错误 1 条，警告 8 条" in result.out  # the seven sections left out: L24 each
    assert result.out.count("警告 L24") == 7 and "找不到“八、国有资本经营预算财政拨款支出决算情况说明”这一节" in result.out


# ---------------------------------------------------------------- small figures (found by the property test above)

def _tiny(values: dict[tuple[str, str, str], str], inputs: dict | None = None):
    """The sample's tables with every amount 0 but the few given ((table, row key, column) -> amount)."""
    from conftest import SAMPLE
    from disclosure.importers.export import import_export
    from disclosure.inputs import InputValue, Inputs
    from disclosure.model import Value

    report = import_export(SAMPLE)
    for table in report.tables.values():
        for row in table.rows:
            for column, v in row.values.items():
                amount = values.get((table.id, row.key or row.code or "", column), "0")
                row.values[column] = Value(Decimal(amount), v.cell)
    report.inputs = Inputs({k: InputValue(Decimal(v)) for k, v in (inputs or {}).items()})
    return report


def _caught(report, old: str, new: str) -> list:
    text = render(report).text()
    assert old in text, old
    return [f for f in lint(text.replace(old, new, 1), report, draft_ok=True) if f.severity in ("错误", "警告")]


def test_a_changed_figure_of_an_all_zero_report_is_caught():
    """“均为0.01万元” for 0: a sentence of another section printing 0.01 is not its pair (figures in common
    count half from another section)."""
    report = _tiny({}, {"上年.收入总计": "0", "上年.支出总计": "0", "年初预算.一般公共预算财政拨款支出": "0.01"})
    found = _caught(report, "收入总计、支出总计均为0万元", "收入总计、支出总计均为0.01万元")
    assert [(f.rule, f.section, f.says) for f in found] == [("L01", "一", "0.01万元")]


def test_one_part_printed_as_another_is_caught_though_the_figure_exists():
    report = _tiny({("02", "合计", "本年收入合计"): "0.02", ("02", "合计", "财政拨款收入"): "0.01",
                    ("02", "合计", "事业收入"): "0.01"})
    found = _caught(report, "财政拨款收入0.01万元", "财政拨款收入0.02万元")
    assert [(f.rule, f.section, f.says) for f in found] == [("L01", "二", "0.02万元")]


def test_a_change_on_the_budget_is_checked_while_last_years_figure_is_not_filled():
    """Our sentence waits for 上年 (【待填写：…】): the change it states on the 预算 is checked all the same, and
    the “1” of the list number “1.因公出国（境）费…” is not the 1 万元 of the budget."""
    report = _tiny({("09", "预算数", "公务用车运行维护费"): "1"})
    found = _caught(report, "决算数较预算数减少1万元", "决算数较预算数减少1.01万元")
    assert [(f.rule, f.section, f.says) for f in found] == [("L01", "九", "1.01万元")]
    assert "应为 1.00万元" in found[0].should


def test_only_the_change_on_last_year_waits_for_last_years_figure():
    from disclosure.lint import _unfilled_changes
    from disclosure.lint.pairing import Reference
    from disclosure.lint.text import Sentence

    ours = Reference("九", "预算1万元，支出决算0万元，决算数较预算数减少1万元。与上年相比【待填写：上年决算 公务接待费】。", [])
    said = Sentence("九", "预算1万元，支出决算0万元，决算数较预算数减少1.01万元。与上年相比减少3.00万元。")
    assert [f.says for f in _unfilled_changes(said, ours)] == ["3.00万元"]  # 1.01 (on the 预算) is checked


@pytest.mark.parametrize("right, wrong, says", [
    ("减少982.88万元，下降28.68%", "减少982.88万元，增长28.68%", "百分比却说“增长”"),
    ("109.40%，决算数大于年初预算数", "109.40%，决算数小于年初预算数", "预算 68.33万元、决算 74.75万元：决算数大于预算数"),
])
def test_a_sentence_that_contradicts_itself_is_caught_without_last_years_figures(book004, right, wrong, says):
    """Seed 004's text against its workbook with no 说明数据 (as `audit` reads a published PDF): last year's
    figures and the 年初预算 are unknown, so no word can be checked against them — but a sentence whose amount
    says 减少 and whose percent says 增长, or that calls 74.75 above 68.33 小于, is wrong on its own face
    (new-user test: `audit` passed both)."""
    report = workbook.read(book004)
    text = SEED_004.read_text(encoding="utf-8")
    assert text.count(right) == 1

    def contradictions(t: str) -> list:
        return [f for f in lint(t, report, draft_ok=True) if f.rule == "L06" and says in f.should]

    assert contradictions(text) == []
    found = contradictions(text.replace(right, wrong))
    assert len(found) == 1 and found[0].severity == "错误" and found[0].section in ("一", "五"), found


@pytest.mark.parametrize("filled", [False, True])
def test_an_items_wrong_actual_is_found_with_or_without_its_budget(book004, books, filled):
    """五's item 8 (一般行政管理事务) printed with 1,980.62 for its 1,890.62: found at the 项's 05 figure whether or
    not the 年初预算 is known — `audit` reads a published PDF with no 说明数据, and the sentence then pairs with
    nothing (new-user test: only “未能核对”) — and said once when the sentence matching finds it too."""
    report = workbook.read(books["004"] if filled else book004)
    text = SEED_004.read_text(encoding="utf-8")
    assert text.count("支出决算1,890.62万元") == 1
    found = [f for f in lint(text.replace("支出决算1,890.62万元", "支出决算1,980.62万元"), report, draft_ok=True)
             if "1980.62" in f.says]
    assert [(f.rule, f.severity) for f in found] == [("L01", "错误")], [f.line() for f in found]
    assert found[0].should.startswith("应为 1,890.62万元（公开05表 2101502 一般行政管理事务")
