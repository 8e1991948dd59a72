"""Lint of an existing 情况说明: the real errors of the published seeds, each diagnosis on a purpose-made
slip, and the two properties (generated text lints clean; one changed claim is always caught)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure import workbook
from disclosure.lint import lint
from disclosure.narrative.render import render
from seedfixtures import SEED_001, SEED_004
from test_narrative_property import reports_with_inputs

# (rule, severity, section, words in what it says) — every error seeds/README.md names for 001 and 004,
# and the other slips found in their published 第二部分
EXPECTED = {
    "001": [
        ("L10", "错误", "四", "科目 2100101 行政运行"),  # 五 item 7: 17.94 is 2101101 行政单位医疗 in the tables
        ("L10", "错误", "四", "2101550 写作“卫生健康支出/医疗保障管理事务/医疗保障经办事务”"),  # README: item 12
        ("L10", "警告", "四", "2080501 写作“社会保障和就业支出/行政事业单位离退休"),  # 款 20805's old name
        ("L10", "警告", "四", "2080502 写作"),
        ("L10", "警告", "四", "2080505 写作"),
        ("L10", "警告", "四", "2080506 写作"),
        ("L09", "提示", "四", "100.92%"),  # 完成年初预算的 100.92%: the 年初预算 itself is lost from the text
        ("L11", "警告", "五", "2101101 行政单位医疗"),
        ("L11", "警告", "五", "2101550 事业运行"),
        ("L05", "错误", "十一", "百分比缺少数字"),  # README: 占政府采购服务支出合同的%
    ],
    "004": [
        ("L07", "错误", "五", "“2022年”"),  # README: item 4 talks about 2022年上半年
        ("L08", "警告", "五", "决算“小于”，原因却是“城乡居民医疗救助"),  # README: item 8 小于, reason 追加
    ],
}


@pytest.fixture(scope="module")
def books(seed_books):
    return seed_books


@pytest.mark.parametrize("seed,path", [("001", SEED_001), ("004", SEED_004)])
def test_published_text_gives_exactly_the_real_findings(seed, path, books):
    findings = lint(path.read_text(encoding="utf-8"), workbook.read(books[seed]))
    got = [(f.rule, f.severity, f.section, f.says) for f in findings]
    assert len(got) == len(EXPECTED[seed]), got
    for (rule, severity, section, words), f in zip(EXPECTED[seed], findings):
        assert (f.rule, f.severity, f.section) == (rule, severity, section) and words in f.says + f.should, got


@pytest.fixture(scope="module")
def sample(books):
    report = workbook.read(books["004"])
    return report, render(report).text()


@pytest.mark.parametrize("old,new,rule,severity,words", [
    ("下降28.68%", "下降28.67%", "L04", "警告", "应四舍五入为 28.68%"),
    ("下降28.68%", "下降40.21%", "L02", "错误", "982.88 ÷ 本年 2,444.56 = 40.21%"),
    ("支出总计均为2,444.56万元", "支出总计均为2,444.56元", "L03", "错误", "单位应为万元：2,444.56万元"),
    ("收入总计、支出总计减少982.88万元", "收入总计、支出总计增加982.88万元", "L06", "错误", "应为“减少”"),
    ("基本支出485.52万元，占19.86%", "基本支出485.52万元，占19.68%", "L01", "错误", "应为 19.86%"),
    ("占政府采购支出合同总额的100.00%", "占政府采购支出合同总额的%", "L05", "错误", "百分比缺少数字"),
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
    assert [(f.rule, f.section) for f in lint(text, report)] == [("L07", "五"), ("L08", "五")]


@settings(max_examples=25, deadline=None)
@given(reports_with_inputs())
def test_generated_text_lints_clean(report):
    assert lint(render(report).text(), report) == []


NUMBER = re.compile(r"(?<![\d.])(\d[\d,]*\.\d\d)(?=万元|%)")
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
        value = int(old.replace(",", "").replace(".", "")) + delta
        new = f"{value // 100:,}.{value % 100:02d}"
        mutated = text[:m.start(1)] + new + text[m.end(1):]
    else:
        start = body_start + m.start()
        word = m.group(0)
        mutated = text[:start] + dict(FLIPS)[word] + text[start + len(word):]
    findings = [f for f in lint(mutated, report) if f.severity in ("错误", "警告")]
    assert findings, (kind, m.group(0))


def test_cli_lint_docx_json_and_exit_codes(books, tmp_path, cli):
    book = books["004"]
    docx = tmp_path / "说明.docx"
    assert cli("narrative", book, "-o", docx).code == 0
    result = cli("lint", docx, "--workbook", book)
    assert result.code == 1 and "错误 1 条，警告 1 条，提示 0 条" in result.out  # the officer's two slips
    published = tmp_path / "004.txt"
    published.write_text(SEED_004.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("lint", published, "--workbook", book, "--json")
    assert result.code == 1
    findings = json.loads(result.out)
    assert {"rule", "severity", "section", "sentence", "says", "should", "cells"} <= set(findings[0])
    assert findings[0]["rule"] == "L07" and "2022年上半年" in findings[0]["sentence"]
    result = cli("lint", tmp_path / "missing.docx", "--workbook", book)
    assert result.code == 2 and "找不到该文件" in result.err
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF")
    result = cli("lint", bad, "--workbook", book)
    assert result.code == 2 and "不支持的文件类型“.pdf”" in result.err
