"""A 情况说明 in Word whose headings Word numbers itself (“一、”, “（一）” from a numbering list, not typed): the
numbers are read as Word prints them, so its sections are found and its figures checked."""

from __future__ import annotations

import re

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from conftest import build_sample_book
from disclosure import workbook
from disclosure.lint import lint
from disclosure.lint.docxnumbers import chinese
from disclosure.lint.text import read_text
from disclosure.narrative.render import render

LEVELS = (r"^[一二三四五六七八九十]+、", r"^（[一二三四五六七八九十]+）")


@pytest.mark.parametrize("n,text", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (14, "十四"), (20, "二十"),
                                    (35, "三十五"), (100, "一百"), (105, "一百零五"), (110, "一百一十")])
def test_chinese_counting(n, text):
    assert chinese(n) == text


def _auto_numbered(text: str, path):
    """The text as a Word document whose “一、” and “（一）” headings are a numbering list's two levels."""
    doc = Document()
    numbering = doc.part.numbering_part.element
    levels = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
                     f'<w:lvlText w:val="{fmt}"/></w:lvl>' for i, fmt in enumerate(("%1、", "（%2）")))
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbered = 0
    for line in text.splitlines():
        line = line.strip()
        level = next((i for i, rx in enumerate(LEVELS) if re.match(rx, line)), None)
        if level is None:
            doc.add_paragraph(line)
            continue
        p = doc.add_paragraph(re.sub(LEVELS[level], "", line))  # the number left to Word
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
        numbered += 1
    doc.save(str(path))
    return numbered


def test_headings_numbered_by_word_are_read(tmp_path):
    report = workbook.read(build_sample_book(tmp_path / "样例.xlsx"))
    text = render(report).text()
    # one list for the whole document, as an officer's template has it: the part titles typed, the rest numbered
    sections = text[text.index("第二部分"):text.index("第三部分")] if "第三部分" in text else text[text.index("第二部分"):]
    path = tmp_path / "自动编号.docx"
    assert _auto_numbered(sections, path) >= 14
    read = read_text(path)
    assert "一、收入支出决算总体情况说明" in read and "十四、其他需要说明的情况" in read
    assert lint(read, report) == []
    wrong = read.replace("其中：基本支出485.52万元", "其中：基本支出458.52万元", 1)
    assert [(f.rule, f.section) for f in lint(wrong, report)] == [("L01", "三")]
