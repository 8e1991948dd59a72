"""The generated 情况说明: the published numbers of seeds 001 and 004, correct where they were wrong,
placeholders and 提示 for what is missing, provenance, and the written files."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn

from disclosure import workbook
from disclosure.checks import INFO, run
from disclosure.narrative.render import render

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")

# Every number of the published 第二部分 (and 概况三) that follows from the tables and 说明数据, by section.
PUBLISHED = {
    "004": {
        "概况三": "38 7 31 38 7 31 4",
        "一": "2444.56 982.88 28.68",
        "二": "2444.56 2444.56 100",
        "三": "2444.56 485.52 19.86 1959.04 80.14",
        "四": "2444.56 982.88 28.68",
        "五": "2979.42 2444.56 82.05 100 982.88 28.68 "
              "47.77 43.08 90.18 23.89 21.33 89.28 0.59 0.58 98.31 0 3.82 1.58 1.58 100 8.48 8.48 "
              "68.33 74.75 109.40 2433 1890.62 77.71 5 5 12 12 337.22 333.31 98.84 2.61 12.61 483.14 "
              "38.96 37.41 96.02",
        "六": "485.52 464.28 21.24",
        "十": "10.80 10.80 100 4.46",
        "十一": "21.00 21.00 0 0 21.00 100 21.00 100",
        "十二": "0 0 0 0",
    },
    "001": {
        "概况三": "100 21 63 16 96 25 58 13 0",
        "一": "2364.32 54.34 2.25",
        "二": "2358.27 2358.27 100.00",
        "三": "2363.01 1570.32 66.45 792.69 33.55",
        "四": "2364.32 54.34 2.25",
        "五": "2363.01 100.00 49.60 2.06 1.01 0.73 72.28 0.4 0.4 100 138.84 130.01 93.64 69.42 65.01 93.65 "
              "0 0.68 2.75 1.63 59.27 18.47 17.94 97.13 349.42 351.78 100.68 140 66.72 47.66 0 170 "
              "1377.25 1310 95.12 142.38 142.20 99.87 95.47 105.92 110.95",
        "六": "1570.32 1463.22 107.10",
        "九": "3.30 0.00 0.00 1.00 0.00 0.00 1.00 12 0.58 4.83 11.42 25 21.72 86.88 3.28",
        "十": "44.99 102.75 228.38 23.68",
        "十一": "70.11 21.11 0 49.00 21.11 30.11 0 0.00",
    },
}


def _numbers(paragraphs: list[str]) -> list[Decimal]:
    return [Decimal(x.replace(",", "")) for p in paragraphs for x in NUMBER.findall(p)]


@pytest.mark.parametrize("seed", ["001", "004"])
def test_published_numbers_are_generated(seed, seed_books):
    doc = render(workbook.read(seed_books[seed]))
    sections = {s.id: s for part in doc.parts for s in part.sections}
    for sid, expected in PUBLISHED[seed].items():
        got = _numbers(sections[sid].paragraphs)
        for number in expected.split():
            assert Decimal(number) in got, f"{seed} 第{sid}节缺少 {number}：{sections[sid].paragraphs}"


def test_generated_text_is_right_where_the_published_text_was_wrong(seed_books):
    text = render(workbook.read(seed_books["001"])).text()
    # 001 五 item 12 named 2101550 "医疗保障经办事务（50）"; item 7 named 2101101 "卫生健康管理事务 行政运行"
    assert "医疗保障管理事务（款）事业运行（项）。年初预算142.38万元，支出决算142.20万元，完成年初预算的99.87%" in text
    assert "卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）。年初预算18.47万元" in text
    assert "占政府采购服务支出合同的%" not in text  # 001 十一 left the number out
    doc4 = render(workbook.read(seed_books["004"])).text()
    # a growth rate is computed on last year's figure: 982.88 ÷ 3,427.44
    assert "减少982.88万元，下降28.68%" in doc4 and "40.21%" not in doc4


def test_reasons_are_the_officers_words_with_the_direction_stated(seed_books):
    text = render(workbook.read(seed_books["004"])).text()
    assert ("年初预算68.33万元，支出决算74.75万元，完成年初预算的109.40%，决算数大于年初预算数的主要原因是："
            "年初预算不足，年中追加了预算。") in text
    assert "年初预算0万元，支出决算3.82万元，新增支出的主要原因是：2022年上半年" in text  # Shaanxi: 0万元
    # no reason was published for the total vs 年初预算: a placeholder in plain words, never an invented one
    assert "【待填写：一般公共预算财政拨款支出决算数小于年初预算数的原因】" in text


def test_empty_inputs_give_a_complete_document_and_each_missing_input_once(export004, tmp_path, cli):
    book = tmp_path / "b.xlsx"
    assert cli("import", export004, "-o", book).code == 0
    report = workbook.read(book)
    doc = render(report)
    titles = [s.title for part in doc.parts for s in part.sections]
    assert len(titles) == 17 and titles[-1] == "十四、其他需要说明的情况"
    assert all(s.paragraphs for part in doc.parts for s in part.sections)
    text = doc.text()
    assert "【待填写：上年决算 收入总计（公开01表）】" in text  # the cell is the check report's (N01)
    hints = [f for f in run(report) if f.rule == "N01"]
    keys = [f.cells[0] for f in hints]
    assert len(keys) == len(set(keys)) == len([m for m in doc.missing if not m.key.startswith("原因.")])
    assert all(f.severity == INFO and f.cell.sheet == "说明数据" for f in hints)
    assert any("年初预算（项） 2101501" in f.message for f in hints)


def test_cli_writes_docx_txt_md_and_facts(seed_books, tmp_path, cli):
    book = seed_books["004"]
    for suffix in (".docx", ".txt", ".md"):
        out = tmp_path / f"说明{suffix}"
        result = cli("narrative", book, "-o", out, "--facts", tmp_path / "facts.json")
        assert result.code == 0, result.err
        assert out.exists()
    word = WordDocument(str(tmp_path / "说明.docx"))
    texts = [p.text for p in word.paragraphs]
    assert "五、一般公共预算财政拨款支出决算情况说明" in texts
    assert any("完成年初预算的82.05%" in t for t in texts)
    body = word.paragraphs[-1].style  # the export's styles (export/word.py): 仿宋_GB2312 body text
    assert body.name == "Normal" and body.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert (tmp_path / "说明.md").read_text(encoding="utf-8").startswith("# 子洲县医疗保障局2024年度部门决算")
    facts = json.loads((tmp_path / "facts.json").read_text(encoding="utf-8"))
    growth = next(f for f in facts if f["text"] == "28.68")
    assert growth["section"] == "一" and growth["kind"] == "percent"
    assert "÷ 说明数据 上年.收入总计" in growth["formula"] and "公开01表!C36" in growth["cells"]
    assert "说明数据!C4" in growth["cells"]


def test_unknown_style_and_output_type_are_clear_errors(seed_books, tmp_path, cli):
    result = cli("narrative", seed_books["004"], "-o", tmp_path / "x.pdf")
    assert result.code == 1 and "不支持的输出格式“.pdf”" in result.err
    result = cli("narrative", seed_books["004"], "-o", tmp_path / "x.txt", "--style", "beijing")
    assert result.code == 1 and "没有“beijing”这种说明文风" in result.err
