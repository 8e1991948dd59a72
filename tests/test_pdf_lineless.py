"""Issue 22: published PDFs whose tables are printed WITHOUT ruling lines (a spreadsheet printed without borders)
read as well as ruled ones (disclosure/pdfin/lineless.py: columns from where the values of many rows stand,
header words over their columns). The Shanghai reference tables on A4 portrait and landscape (01 running on to a
second page), seed 003's 内蒙古 tables (codes printed right against their names) and our own sample workbook,
printed by LibreOffice Calc with no lines: every value comes back, with the page and box it is printed at, and
the region is found without being told. And a forced export's draft mark, printed at the top of every page, is
no part of the document's text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from conftest import build_sample_book
from disclosure import workbook
from disclosure.export.word import DRAFT_HEADER
from disclosure.importers.export import import_export
from disclosure.pdfin import import_pdf
from pdffixtures import assert_places, package_pdf, printed, region_prints, values_of

CASES = [("上海", "portrait"), ("上海", "landscape"), ("内蒙古", "landscape"), ("陕西", "landscape")]


@pytest.fixture(scope="module")
def lineless(tmp_path_factory):
    """(workbook, its line-less print) by (region, orientation); 陕西 is our own sample workbook."""
    folder = tmp_path_factory.mktemp("lineless_pdf")
    sample = build_sample_book(folder / "子洲县医疗保障局.xlsx")
    return {**region_prints(folder, ruled=False),
            ("陕西", "landscape"): (sample, printed(sample, folder / "sample-landscape", landscape=True, ruled=False))}


def _expected(region: str, xlsx: Path):
    """The report the printed spreadsheet holds, read from the spreadsheet itself: our own workbook, or a
    finance bureau's export laid out as printed."""
    return workbook.read(xlsx) if region == "陕西" else import_export(xlsx)


@pytest.mark.parametrize("region,orientation", CASES)
def test_lineless_print_gives_back_every_value_and_its_place(lineless, region, orientation):
    xlsx, pdf = lineless[(region, orientation)]
    with pdfplumber.open(pdf) as doc:  # truly printed without lines: nothing a ruled-table finder could use
        assert not any(page.find_tables() for page in doc.pages)
    expected = _expected(region, xlsx)
    report = import_pdf(pdf)  # no --region, no layout: found as for the spreadsheet
    assert report.spec.region == expected.spec.region
    assert report.layout == expected.layout
    assert (report.unit_name, report.year) == (expected.unit_name, expected.year)
    assert values_of(report) == values_of(expected)
    assert assert_places(report, pdf) > 20


def test_lineless_table_over_two_pages_is_one_table(lineless):
    """Landscape, 上海 01 runs on to a second page, its expenditure side going on alone at the foot of the first:
    one table, every row once, in its side."""
    xlsx, pdf = lineless[("上海", "landscape")]
    report = import_pdf(pdf)
    table = report.table("01")
    pages = {report.pdf.places[v.cell].page for r in table.rows for v in r.values.values() if v.cell}
    assert len(pages) == 2 and table.sheet == f"第{min(pages)}-{max(pages)}页"
    assert values_of(report)["01"] == values_of(import_export(xlsx))["01"]
    # the rows printed alone at the foot of page 1 are expenditure rows, not income ones
    expected = {r.key: r.side for r in import_export(xlsx).table("01").rows}
    assert {r.key: r.side for r in table.rows} == expected


def test_lineless_codes_printed_against_their_names(lineless):
    """Seed 003's 表二: codes right-aligned at the end of a wide column, names starting just after them —
    each row keeps its 科目代码 and its own amounts, 合计 (in the codes' column) included."""
    xlsx, pdf = lineless[("内蒙古", "landscape")]
    report = import_pdf(pdf)
    expected = import_export(xlsx)
    for tid in ("02", "03", "05"):
        if tid in expected.tables:
            got = {r.code: r.values for r in report.table(tid).rows if r.code}
            want = {r.code: r.values for r in expected.table(tid).rows if r.code}
            assert set(got) == set(want) and len(got) > 5
            assert {c: {k: v.amount for k, v in vs.items()} for c, vs in got.items()} == \
                   {c: {k: v.amount for k, v in vs.items()} for c, vs in want.items()}


# ---------------------------------------------------------------- a forced export's draft mark

@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    """Our package of a workbook with an error in 05 (D18 changed), exported past it: 草稿 on every page."""
    folder = tmp_path_factory.mktemp("draft_pdf")
    book = build_sample_book(folder / "样例.xlsx")
    wrong = folder / "错.xlsx"
    shutil.copy(book, wrong)
    wb = load_workbook(wrong)
    wb["公开05表"]["D18"] = float(wb["公开05表"]["D18"].value) + 6
    wb.save(wrong)
    return wrong, package_pdf(wrong, folder / "package")


def test_draft_mark_on_every_page_is_not_the_documents_text(draft):
    book, pdf = draft
    mark = "".join(DRAFT_HEADER.split())
    with pdfplumber.open(pdf) as doc:  # measured independently: the mark is the first line of every page
        firsts = ["".join((page.extract_text() or "").split("\n")[0].split()) for page in doc.pages]
    assert len(firsts) > 10 and all(line == mark for line in firsts)
    report = import_pdf(pdf)
    assert not [ln for ln in report.pdf.text.lines if "未定稿" in ln.text]
    assert report.pdf.text.place_of(DRAFT_HEADER) is None
    # the rest of the text and the tables are read as without the mark
    assert report.pdf.text.place_of("一、收入支出决算总体情况说明") is not None
    assert values_of(report) == values_of(workbook.read(book))
    assert assert_places(report, pdf) > 20


def _word(text: str, x0: float, top: float, size: float = 10.5) -> dict:
    """A word as pdfplumber's extract_words gives it (a CJK character is about one size wide)."""
    return {"text": text, "x0": x0, "x1": x0 + size * len(text), "top": top, "bottom": top + size, "size": size}


def test_a_circled_list_number_is_a_line_of_text_not_a_damaged_page():
    """“①　参保人数（万人）　330.83”, a 绩效 list item printed with tabs: “①” is a digit to Python (isdigit) but no
    number int() takes, and no 栏次. The page reads (two rows, each word in its place); before, it was reported
    “已损坏” (new-user test: a good PDF refused, the officer sent to ask the publisher for another file)."""
    from disclosure.pdfin.pages import page_blocks

    words = [_word("①", 90, 100), _word("参保人数（万人）", 140, 100), _word("330.83", 340, 100),
             _word("②", 90, 120), _word("报销人次（万人次）", 140, 120), _word("1.2", 340, 120)]
    blocks = page_blocks([], words, 7)
    rows = [[c for c in row if c] for b in blocks for row in b.rows]
    assert rows == [["①", "参保人数（万人）", "330.83"], ["②", "报销人次（万人次）", "1.2"]]
    assert all(b.page == 7 for b in blocks)


@pytest.mark.parametrize("marker", [None, "（续表）", "续表", "(续)", "续上表："])
def test_a_table_split_by_hand_with_a_continued_line_is_one_table(marker):
    """公开03表 split over two pages in Word, “（续表）” printed over its second half (new-user test: the second
    half was a table of its own, its 科目 missing from 03表: 28 false 错误). The line is the table's, like a
    repeated title: one sheet, every row once."""
    from disclosure.pdfin.pages import Block, Line, Segment
    from disclosure.pdfin.sheets import _place

    columns = [(50.0, 120.0), (120.0, 300.0), (300.0, 380.0)]

    def table(page: int, rows: list[list[str]]) -> Block:
        boxes = [[(x0, 100.0 + 20 * r, x1, 118.0 + 20 * r) for x0, x1 in columns] for r in range(len(rows))]
        return Block(page, 100.0, rows, boxes, columns=columns, ruled=True)

    def line(page: int, text: str) -> Block:
        segment = Segment(text, (50.0, 80.0, 50.0 + 10.5 * len(text), 90.5))
        return Block(page, 80.0, [[text]], [[segment.box]], line=Line([segment], 10.5))

    first = table(1, [["科目编码", "科目名称", "本年支出合计"], ["210", "卫生健康支出", "2,342.16"],
                      ["21011", "行政事业单位医疗", "10.06"]])
    second = table(2, [["21015", "医疗保障管理事务", "2,328.28"], ["221", "住房保障支出", "37.41"]])
    builders: list = []
    _place(builders, [line(1, "公开03表"), first], 1)
    _place(builders, ([line(2, marker)] if marker else []) + [second], 2)
    assert len(builders) == 1 and builders[0].name == "第1-2页"
    assert [row[0] for row in builders[0].rows if row and row[0]] == ["公开03表", "科目编码", "210", "21011", "21015", "221"]
