"""Issue 22: a published 公开 PDF read back into a Report (disclosure/pdfin, importers/pdf.py). PDFs made as real
ones are (tests/pdffixtures.py): our own packages of the bundled sample and seed 001, the Shanghai reference tables
and seed 003's (内蒙古) printed by LibreOffice Calc on A4 portrait and landscape, random consistent reports'
workbooks printed. Import gives back every number of every table, each amount keeps the page and box it is
printed at, the 情况说明 is kept as text (and in the workbook `import X.pdf` writes); scans, encrypted, damaged
and non-PDF files are refused in one Chinese line, exit 2."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings

from conftest import build_sample_book, run_cli
from consistent import consistent_reports
from disclosure import workbook
from disclosure.errors import InputError
from disclosure.importers.export import import_export
from disclosure.narrative.render import render
from disclosure.pdfin import import_pdf
from pdffixtures import (assert_places, damaged, encrypted, package_pdf, perf_package, printed, region_prints, scanned,
                         values_of)


_values, _assert_places = values_of, assert_places


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _words(text: str) -> str:
    """Letters and digits only: LibreOffice drops a comma hung past a line's end from the PDF it prints."""
    return "".join(ch for ch in text if not ch.isspace() and not unicodedata.category(ch).startswith("P"))


# ---------------------------------------------------------------- our own packages

@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample_pdf")
    book = build_sample_book(folder / "子洲县医疗保障局.xlsx")
    return book, package_pdf(book, folder / "package")


@pytest.fixture(scope="module")
def seed001(seed_books, tmp_path_factory):
    return seed_books["001"], package_pdf(seed_books["001"], tmp_path_factory.mktemp("seed001_pdf"))


@pytest.fixture(scope="module")
def with_perf(tmp_path_factory):
    return perf_package(tmp_path_factory.mktemp("perf_pdf"))


def test_the_year_is_the_one_the_document_names_itself_by(with_perf):
    """A PDF's tables seldom print their year; the 绩效自评表 printed in its text name other years (“2022年度城乡居民
    大病保险经办服务费”, “2023 年度”). The year is the document's own (cover, 目录, part titles): 2024 for the sample
    with seed 001's ten 绩效自评表 — never 2022, which made lint call every “2024年度” of the text an error."""
    from disclosure.audit import audit
    from disclosure.importers.pdf import title_year
    from disclosure.pdfin import TextLine

    _, pdf = with_perf
    assert import_pdf(pdf).year == 2024
    result = audit(pdf)
    assert result.document["year"] == 2024 and not [f for f in result.findings if f.rule == "L07"]

    def lines(*texts):
        return [TextLine(1, t, (0, 0, 1, 1)) for t in texts]

    assert title_year(lines("咸阳市医疗保障局（汇总）", "2023 年度部门决算", "2022年度城乡居民大病保险经办服务费",
                            "第二部分 2023年度部门决算情况说明", "2024年部门预算"), "部门决算") == 2023
    assert title_year(lines("某局2025年部门预算", "2024年度决算数"), "部门预算") == 2025
    assert title_year(lines("2022 年度城乡居民大病保险"), "部门决算") is None


def _perf_figures(perf):
    """Every table's name, funds, indicators and totals as printed (spaces aside: a PDF adds some; a 绩效 system's
    rich text as its words)."""
    from disclosure.narrative.perf import is_rich, plain_text

    def sq(text):
        return "".join((plain_text(text) if text and is_rich(text) else text or "").split())

    def amount(v):
        return None if v is None else v.amount

    return [(t.kind, sq(t.name), sq(t.goal), sq(t.goal_done), amount(t.total_weight), amount(t.total_score),
             [(sq(f.label), *(amount(getattr(f, k)) for k in ("initial", "budget", "spent", "weight", "rate", "score")))
              for f in t.funds],
             [(sq(i.level1), sq(i.level2), sq(i.level3), sq(i.target), sq(i.actual), amount(i.weight), amount(i.score))
              for i in t.indicators]) for t in perf.tables]


def test_perf_tables_printed_in_the_text_are_read_and_checked_as_in_the_workbook(with_perf):
    """The ten 绩效自评表 of the PDF read back with every figure and text of the workbook's (指标内容 printed across
    three merged columns; a 总分 row carried over to the next page), each P finding of `check` found by `audit` at
    its page — and no note that they were left unchecked."""
    from collections import Counter

    from disclosure.audit import TABLE, audit
    from disclosure.checks import run

    book, pdf = with_perf
    report = import_pdf(pdf)
    expected = workbook.read(book)
    assert len(report.perf.tables) == 10 and _perf_figures(report.perf) == _perf_figures(expected.perf)
    # names as typed: no gap the typesetting left (“2023 年中央…”) kept as a space
    assert [t.name for t in report.perf.tables] == [t.name for t in expected.perf.tables]
    assert report.pdf.perf_pages and report.pdf.perf_problem == ""
    result = audit(pdf)
    ours = Counter((f.rule, f.severity) for f in run(expected) if f.rule.startswith("P"))
    found = [f for f in result.findings if f.source == TABLE and f.rule.startswith("P")]
    assert ours and Counter((f.rule, f.severity) for f in found) == ours
    assert all(f.page in report.pdf.perf_pages for f in found)
    assert result.notes == [] and "总分" not in report.pdf.text.text().replace(" ", "")  # the carried row: a table's


def test_a_perf_table_running_on_to_the_next_page_prints_its_header_again(with_perf):
    """In the package PDF, a page that goes on with a 绩效自评表's indicators (no table title on it before them)
    starts with the 指标 header row (一级指标 二级指标 …), and the tables read back whole (the test above)."""
    _, pdf = with_perf
    carried = 0
    with pdfplumber.open(pdf) as doc:
        texts = [(page.extract_text() or "").replace(" ", "") for page in doc.pages]
    for before, text in zip(texts, texts[1:]):
        lines = [line for line in text.splitlines() if line.strip() and "草稿" not in line]
        # the previous page ends inside a 自评表 whose 总分 it has not reached yet
        if before.rfind("自评表") > before.rfind("总分") and lines and not lines[0].endswith("自评表"):
            carried += 1
            assert "一级指标二级指标" in "".join(lines[:3]), lines[:3]  # its wrapped titles print over lines
    assert carried >= 2


@pytest.mark.parametrize("landscape", [False, True])
def test_perf_tables_printed_from_the_spreadsheet_read_back(with_perf, landscape, tmp_path):
    """Another producer: the workbook itself printed by LibreOffice Calc (A4 portrait or landscape, its own borders,
    the ten 绩效 sheets after the 公开表): every 绩效自评表 read back with the workbook's figures, names and
    indicators (a long 目标 text may be cut by the print's row height: not compared)."""
    book, _ = with_perf
    report = import_pdf(printed(book, tmp_path, landscape, None))

    def without_goals(perf):
        return [tuple(x for i, x in enumerate(t) if i not in (2, 3)) for t in _perf_figures(perf)]

    assert report.perf is not None, report.pdf.perf_problem
    assert without_goals(report.perf) == without_goals(workbook.read(book).perf)


def test_perf_tables_not_all_read_are_said_unchecked(with_perf, monkeypatch):
    """Some tables read is none read (lint's 十三 would pair a project's text with another's table): the audit says
    which pages print 绩效自评表 and that their figures were not checked, in the text, JSON and summary."""
    from disclosure.audit import as_text, audit, page_ranges
    from disclosure.perf import read as perf_read

    _, pdf = with_perf
    whole = perf_read.find_in_export

    def one_lost(sheets, file=None):
        perf = whole(sheets, file)
        perf.projects = perf.projects[:-1]
        return perf

    monkeypatch.setattr(perf_read, "find_in_export", one_lost)
    report = import_pdf(pdf)
    assert report.perf is None and report.pdf.perf_problem == "印有 10 张，只读出 9 张"
    result = audit(pdf)
    assert len(result.notes) == 1 and not [f for f in result.findings if f.rule.startswith("P")]
    note = result.notes[0]
    assert f"第 {page_ranges(report.pdf.perf_pages)} 页印有绩效自评表" in note and "只读出 9 张" in note and "未核对" in note
    assert result.to_json()["not_checked"] == result.notes and f"注意：{note}" in as_text(result)
    assert page_ranges((15, 16, 17, 21, 23, 24)) == "15–17、21、23–24"


@pytest.mark.parametrize("which", ["sample", "seed001"])
def test_package_pdf_gives_back_every_number_and_its_page(which, request):
    book, pdf = request.getfixturevalue(which)
    expected = workbook.read(book)
    report = import_pdf(pdf)
    assert (report.layout, report.unit_name, report.year) == (expected.layout, expected.unit_name, expected.year)
    assert _values(report) == _values(expected)
    assert report.source == pdf and report.pdf.path == str(pdf)
    with pdfplumber.open(pdf) as doc:
        assert report.pdf.pages == len(doc.pages)
    assert _assert_places(report, pdf) > 20
    # each table's values are on the pages after its 编号 is printed, before the next table's
    starts = {tid: report.pdf.text.place_of(t.spec.number).page for tid, t in report.tables.items()
              if report.pdf.text.place_of(t.spec.number)}
    assert len(starts) == len(report.tables)
    order = sorted(starts.values())
    for tid, table in report.tables.items():
        later = [p for p in order if p > starts[tid]]
        for row in table.rows:
            for value in row.values.values():
                if value.cell is None:
                    continue
                page = report.pdf.places[value.cell].page
                assert starts[tid] <= page < (later[0] if later else report.pdf.pages + 1), (tid, row.name, page)


def test_package_pdf_keeps_the_narrative_text(sample):
    book, pdf = sample
    report = import_pdf(pdf)
    text = _words(report.pdf.text.text())
    paragraphs = [p for p in render(workbook.read(book)).text().splitlines() if p.strip()]
    assert len(paragraphs) > 30
    missing = [p for p in paragraphs if _words(p) not in text]
    assert not missing, missing[:5]
    # no table cell and no page number in the text: the tables' amounts are not sentences
    assert "2,444.56" not in report.pdf.text.text()
    assert not any(line.text.strip("— ").isdigit() for line in report.pdf.text.lines)
    place = report.pdf.text.place_of("收入总计、支出总计均为 2444.56 万元")
    assert place is not None and place.page == next(
        line.page for line in report.pdf.text.lines if "一、收入支出决算总体情况说明" == _squeezed(line.text))


def test_cli_import_pdf_writes_a_workbook_with_the_published_text(sample, tmp_path):
    book, pdf = sample
    out = tmp_path / "导入.xlsx"
    result = run_cli("import", pdf, "-o", out)
    assert result.code == 0, result.err
    assert "子洲县医疗保障局" in result.out
    back = workbook.read(out)
    assert _values(back) == _values(workbook.read(book))
    imported = import_pdf(pdf)
    assert back.pdf is not None and Path(back.pdf.path).name == pdf.name
    assert back.pdf.pages == imported.pdf.pages
    assert [(ln.page, ln.text) for ln in back.pdf.text.lines] == [(ln.page, ln.text) for ln in imported.pdf.text.lines]
    assert back.pdf.text.place_of("二、收入决算情况说明") == imported.pdf.text.place_of("二、收入决算情况说明")
    check = run_cli("check", out)
    assert check.code in (0, 1) and "Traceback" not in check.err


# ---------------------------------------------------------------- other regions, printed from spreadsheets

@pytest.fixture(scope="module")
def printed_regions(tmp_path_factory):
    return region_prints(tmp_path_factory.mktemp("regions_pdf"), ruled=True)


@pytest.mark.parametrize("region,orientation", [("上海", "portrait"), ("上海", "landscape"), ("内蒙古", "landscape")])
def test_region_tables_printed_from_a_spreadsheet(printed_regions, region, orientation):
    xlsx, pdf = printed_regions[(region, orientation)]
    expected = import_export(xlsx)
    report = import_pdf(pdf)  # no --region: found as for the spreadsheet
    assert report.spec.region == region == expected.spec.region
    assert report.layout == expected.layout
    assert _values(report) == _values(expected)
    assert _assert_places(report, pdf) > 20


def test_a_table_over_two_pages_is_one_table(printed_regions):
    """Landscape, 上海 01 runs on to a second page with its header printed again: one table, no row twice."""
    xlsx, pdf = printed_regions[("上海", "landscape")]
    report = import_pdf(pdf)
    pages = {report.pdf.places[v.cell].page for r in report.table("01").rows for v in r.values.values() if v.cell}
    assert len(pages) == 2
    assert report.table("01").sheet == f"第{min(pages)}-{max(pages)}页"
    assert _values(report)["01"] == _values(import_export(xlsx))["01"]


# ---------------------------------------------------------------- random reports

@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(consistent_reports())
def test_random_reports_printed_read_back_the_same(report):
    with tempfile.TemporaryDirectory() as folder:
        book = workbook.save_atomic(workbook.build(report.spec, report), Path(folder) / "random.xlsx")
        pdf = printed(book, Path(folder) / "printed", landscape=True, ruled=None)  # the workbook's own borders
        back = import_pdf(pdf, layout=report.layout)
    assert _values(back) == _values(report)


# ---------------------------------------------------------------- refusals

@pytest.fixture(scope="module")
def bad_pdfs(sample, tmp_path_factory):
    _, pdf = sample
    folder = tmp_path_factory.mktemp("bad_pdf")
    text = folder / "说明.pdf"
    text.write_text("这是一份文本文件，不是 PDF。", encoding="utf-8")
    xlsx = folder / "表格.pdf"
    xlsx.write_bytes(sample[0].read_bytes())
    return {
        "scanned": (scanned(pdf, folder / "扫描件.pdf"), "没有文字层"),
        "encrypted": (encrypted(pdf, folder / "加密.pdf"), "已加密"),
        "damaged": (damaged(pdf, folder / "损坏.pdf"), "已损坏"),
        "text": (text, "不是 PDF 文件"),
        "xlsx": (xlsx, "不是 PDF 文件"),
        "empty": (_empty(folder / "空.pdf"), "空的"),
    }


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


@pytest.mark.parametrize("kind", ["scanned", "encrypted", "damaged", "text", "xlsx", "empty"])
def test_unreadable_pdfs_are_refused_in_one_line(bad_pdfs, kind, tmp_path):
    path, says = bad_pdfs[kind]
    with pytest.raises(InputError) as caught:
        import_pdf(path)
    assert says in str(caught.value) and path.name in str(caught.value)
    result = run_cli("import", path, "-o", tmp_path / "out.xlsx")
    assert result.code == 2
    assert "Traceback" not in result.err
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1 and says in lines[0] and path.name in lines[0]
    assert not (tmp_path / "out.xlsx").exists()


def test_too_many_pages_is_refused(monkeypatch, sample):
    from disclosure.pdfin import document

    monkeypatch.setattr(document, "MAX_PAGES", 5)
    with pytest.raises(InputError, match="页数过多"):
        import_pdf(sample[1])


def test_a_parser_error_on_a_pdf_names_the_page_not_a_worksheet():
    from disclosure.errors import InputError
    from disclosure.importers.pdf import _on_pages

    raised = InputError("表十一（机构运行经费…信息表）没有“栏次”行，也找不到表头", file="公开.pdf", sheet="第29页", row=14)
    told = str(_on_pages(raised))
    assert told == "文件“公开.pdf”：第29页：表十一（机构运行经费…信息表）没有“栏次”行，也找不到表头"
    assert "工作表" not in told
    assert str(_on_pages(InputError("没有找到公开05表", file="公开.pdf"))) == "文件“公开.pdf”：没有找到公开05表"
    # a header printed again where amounts stand: not “请填写数字”, which only a workbook's typist can do
    raised = InputError("金额“本年支出”不是金额，请填写数字（如 1081.56），无金额请留空", file="公开.pdf", sheet="第16-17页")
    told = str(_on_pages(raised))
    assert told.startswith("文件“公开.pdf”：第16-17页：金额“本年支出”不是金额：那里印的不是数") and "请填写" not in told
