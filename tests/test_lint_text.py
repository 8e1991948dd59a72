"""Reading a 情况说明 as people really get it: each normalisation step on variants generated from the seed
texts, the sections found by their titles anywhere, and real PDF text (the bundled sample exported and
read back with pdftotext, tests/fixtures/lint/) read into exactly the sentences it was printed from."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from conftest import build_sample_book
from disclosure import workbook
from disclosure.errors import InputError
from disclosure.lint import lint
from disclosure.lint.normalize import normalize, paragraphs, squeeze
from disclosure.lint.text import read_document, read_text
from disclosure.narrative.render import render
from lintvariants import FULL, pdf_copied, web_pasted, write_docx
from seedfixtures import SEED_001, SEED_004

PDF_TEXT = Path(__file__).parent / "fixtures" / "lint" / "子洲县-2024-样例-pdftotext.txt"
SEEDS = {"001": SEED_001, "004": SEED_004}


def _sentences(text: str) -> list[tuple[str, str]]:
    """(section, sentence); where a table row's cells meet prose a form may or may not keep a tab: not compared."""
    return [(s.section, s.text.replace("\t", "")) for s in read_document(text).sentences]


def _clean_lines(seed: str) -> list[str]:
    return normalize(SEEDS[seed].read_text(encoding="utf-8")).splitlines()


# ---------------------------------------------------------------- one transform at a time

def _wrapped(lines: list[str], rng: random.Random) -> str:
    """Lines broken at a page width — mid-sentence, mid-number — with blank lines between some."""
    out = []
    width = rng.randint(15, 40)
    for line in lines:
        pieces = [line] if "\t" in line else [line[i:i + width] for i in range(0, len(line), width)]
        for piece in pieces:
            out.append(piece)
            if rng.random() < 0.4:
                out.append("")
    return "\n".join(out)


def _spaced(lines: list[str], rng: random.Random) -> str:
    """Spaces inside numbers and words, as PDF viewers copy them ("4 85.52", "（项 ）", "社 会 保 障")."""
    out = []
    for line in lines:
        if "\t" in line or rng.random() < 0.5:
            out.append(line)
            continue
        chars = list(line)
        for i in sorted(rng.sample(range(1, len(line)), min(len(line) - 1, 6)), reverse=True):
            left, right = line[:i], line[i:]
            # a word on both sides of a space is two table cells ("提高 提高"), English words keep theirs
            if any(left[-k:] == right[:k] for k in range(2, 9)) or (left[-1:] + right[:1]).isascii():
                continue
            chars.insert(i, " ")
        out.append("".join(chars))
    return "\n".join(out)


def _full_width(lines: list[str], rng: random.Random) -> str:
    return "\n".join(line.translate(FULL) if rng.random() < 0.5 else line for line in lines)


def _paged(lines: list[str], rng: random.Random) -> str:
    """A page number and a running header every so many lines, with a form feed between pages."""
    out, every = [], rng.randint(8, 30)
    style = rng.choice(["— {} —", "- {} -", "第 {} 页", "第{}页 共40页"])
    for i, line in enumerate(lines, start=1):
        out.append(line)
        if i % every == 0:
            out += ["", style.format(i // every), "\f子洲县医疗保障局 2024 年度部门决算", ""]
    return "\n".join(out)


TRANSFORMS = {"wrapped": _wrapped, "spaced": _spaced, "full-width": _full_width, "paged": _paged}


@pytest.mark.parametrize("seed", ["001", "004"])
@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_each_transform_reads_back_the_same_sentences(seed, name):
    lines = _clean_lines(seed)
    want = _sentences("\n".join(lines))
    assert len({s for s, _ in want}) >= 13
    for k in range(6):
        variant = TRANSFORMS[name](lines, random.Random(k))
        assert variant != "\n".join(lines)
        assert _sentences(variant) == want, (name, k)


@pytest.mark.parametrize("seed", ["001", "004"])
def test_every_form_reads_back_the_published_sentences(seed, tmp_path):
    text = SEEDS[seed].read_text(encoding="utf-8")
    want = _sentences(text)
    assert _sentences(web_pasted(text)) == want
    assert _sentences(read_text(write_docx(text, tmp_path / "说明.docx"))) == want
    for k in range(8):
        assert _sentences(pdf_copied(text, seed=k)) == want, k


def test_squeeze_takes_the_spaces_out_of_numbers_and_words_only():
    assert squeeze("基本支出 4 85.52 万元") == "基本支出485.52万元"
    assert squeeze("住房公积金（项 ）") == "住房公积金（项）"
    assert squeeze("社 会 保 障 和 就 业 支 出 （ 类 ）") == "社会保障和就业支出（类）"
    assert squeeze("DRG 支付方式 and Flash 动画") == "DRG支付方式and Flash动画"  # English words keep theirs
    assert squeeze("年度资金总额 306.9 306.94 306.94") == "年度资金总额306.9\t306.94\t306.94"  # cells
    assert squeeze("看病难问题 减少 减少") == "看病难问题减少\t减少"  # the same word twice: two cells
    assert squeeze("项目\t\t金额") == "项目\t金额"


def test_page_furniture_is_dropped_and_broken_lines_joined():
    text = ("2024 年度收入总计、支出总计均为 2,444.\n\n— 4 —\n\f子洲县医疗保障局2024年度部门决算\n56 万元。\n"
            "图1\n收入决算图\n第二部分 ………………… 5\n"
            "与上年相比减少982.88万元。\n\n- 5 -\n\f子洲县医疗保障局2024年度部门决算\n下降２８．６８％。")
    assert paragraphs(text) == ["2024年度收入总计、支出总计均为2,444.56万元。", "与上年相比减少982.88万元。",
                                "下降28.68%。"]


def test_a_lone_number_is_text_unless_pages_count_up():
    assert paragraphs("支出决算12.6\n\n1\n\n万元。") == ["支出决算12.61万元。"]  # the tail of a broken number
    pages = "".join("".join(f"第{n}页第{k}行，\n" for k in range(12)) + f"\n{n}\n\n" for n in range(3, 7))
    joined = "".join(paragraphs(pages))
    assert joined.startswith("第3页第0行，第3页第1行，") and not re.search(r"，\d", joined)


# ---------------------------------------------------------------- sections

def test_sections_are_found_by_their_titles_anywhere():
    text = SEED_004.read_text(encoding="utf-8")
    doc = read_document(web_pasted(text))
    assert doc.found == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四"]
    first = doc.sections[0]
    assert first.printed == "一、收入支出决算总体情况说明" and first.body.startswith("2024年度收入总计")
    # 001 words 七 differently ("…收入支出情况说明"), and lost the heading of 五: thirteen found, 目录 skipped
    doc = read_document(SEED_001.read_text(encoding="utf-8"))
    assert "五" not in doc.found and len(doc.found) == 13
    seven = doc.sections[doc.found.index("七")]
    assert seven.printed == "七、政府性基金预算财政拨款收入支出情况说明"
    assert seven.body == "本部门2023年度无政府性基金预算财政拨款收支，已公开空表。"
    assert doc.head.startswith("咸阳市医疗保障局（汇总）2023年度部门决算")


def test_sections_are_found_when_the_part_heading_is_lost():
    """Only the 目录 names 第二部分: the sections are looked for in the whole text."""
    text = SEED_001.read_text(encoding="utf-8")
    heading = text.index("第二部分", text.index("第一部分 部门概况", 200))
    assert read_document(text[:heading] + text[heading + 4:]).found == read_document(text).found


def test_a_title_broken_over_two_lines_is_one_title():
    lines = _clean_lines("004")
    at = next(i for i, l in enumerate(lines) if l.startswith("九、财政拨款"))
    lines[at:at + 1] = [lines[at][:15], lines[at][15:]]
    doc = read_document("\n".join(lines))
    assert doc.sections[doc.found.index("九")].printed == "九、财政拨款“三公”经费及会议费、培训费支出决算情况说明"


def test_fewer_than_half_of_the_titles_is_refused_with_what_was_found():
    text = SEED_004.read_text(encoding="utf-8")
    with pytest.raises(InputError, match=r"找到 6 个小节标题（一、收入支出决算总体情况说明、.*六、一般公共预算财政拨款基本支出"
                                         r"决算情况说明），应有 14 个"):
        read_document(text[:text.index("七、政府性基金")])
    assert len(read_document(text[:text.index("八、国有资本")]).found) == 7  # half is enough


def test_a_docx_keeps_its_tables(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("第三部分 2024年度部门决算表")
    table = doc.add_table(rows=2, cols=3)
    for c, value in enumerate(["表7", "政府性基金预算财政拨款收入支出决算表", "本部门不涉及故公开空表"]):
        table.cell(1, c).text = value
    table.cell(0, 0).merge(table.cell(0, 2)).text = "目录"
    doc.save(str(tmp_path / "a.docx"))
    assert read_text(tmp_path / "a.docx").splitlines() == [
        "第三部分 2024年度部门决算表", "目录", "表7\t政府性基金预算财政拨款收入支出决算表\t本部门不涉及故公开空表"]


# ---------------------------------------------------------------- real PDF text

@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    report = workbook.read(build_sample_book(tmp_path_factory.mktemp("pdf") / "样例.xlsx"))
    return report, PDF_TEXT.read_text(encoding="utf-8")


def test_real_pdf_text_reads_back_the_sentences_it_was_printed_from(sample):
    report, pdf = sample
    # what the fixture is: page numbers, letters (and figures with their unit) spaced apart, lines broken anywhere
    assert "—4—" in pdf and "基本支出\n485.52 万 元 ， 占" in pdf and "社 会 保 障" in pdf and "年初预算\n23.89" in pdf
    clean = normalize(pdf)
    assert "—4—" not in clean and "收入决算图" not in clean and "......" not in clean
    assert "基本支出485.52万元" in clean and "年初预算23.89万元" in clean
    assert "1.社会保障和就业支出（类）行政事业单位养老支出（款）" in clean
    assert _sentences(pdf) == _sentences(render(report).text())
    assert lint(pdf, report) == []


@pytest.mark.parametrize("old,new,rule,severity,words", [
    ("485.52 万 元 ， 占 19.86%", "485.52 万 元 ， 占 19.68%", "L01", "错误", "应为 19.86%"),
    ("基本支出\n485.52 万 元", "基本支出\n495.52 万 元", "L01", "错误", "应为 485.52万元"),
    ("减少 982.88 万元，下降 28.68%", "减少 982.88 万元，下降 40.21%", "L02", "错误", "982.88 ÷ 本年 2,444.56"),
    ("均为 2444.56 万元。与上", "均为 2444.56 元。与上", "L03", "错误", "单位应为万元：2,444.56万元"),
    ("原因是：有退休人员", "原因是：2022 年上半年有退休人员", "L07", "错误", "原因说的是2022年的事"),
    ("年初预算\n23.89 万元", "年初预算\n23.89 万元，占 123.89%", "L13", "错误", "占比应在 0–100% 之间"),
])
def test_slips_in_real_pdf_text_are_found(sample, old, new, rule, severity, words):
    report, pdf = sample
    assert old in pdf
    hits = [f for f in lint(pdf.replace(old, new, 1), report) if f.severity in ("错误", "警告")]
    assert [f.rule for f in hits] == [rule] and hits[0].severity == severity, hits
    assert words in hits[0].says + hits[0].should, hits
    assert re.match(r"第二部分 [一二三四五六七八九十]+、", hits[0].place)
