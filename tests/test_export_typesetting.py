"""Typesetting of the export package, read back from the PDF LibreOffice makes (pdftotext, pdffonts) and
from the docx: no line breaks inside a number or between a number and its unit, Simplified-Chinese faces
only and a 楷体 （一） level, the TOC with its own styles and the tables' numbers, page numbers that start
at the body, table labels that never leave one character alone, zero amounts as the style says, charts,
package properties, the 草稿 mark of a draft, and `narrative -o x.docx` typeset as the package."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import zipfile
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import load_workbook

from conftest import SAMPLE, build_sample_book
from disclosure import tablegrid, workbook
from disclosure.export import charts, export_package
from disclosure.export.sheets import write_tables_xlsx
from disclosure.export.word import (DRAFT, DRAFT_HEADER, TABLE_SIZE, fit_columns, leaves_one_alone, text_em,
                                    write_docx, zero_print)
from disclosure.inputs import InputValue
from disclosure.narrative.style import NumberStyle
from disclosure.narrative.output import write as write_narrative
from disclosure.narrative.render import render, style_config
from wordfixtures import cell_texts

BASE = "子洲县医疗保障局2024年度部门决算"
FOOTER = re.compile(r"^—\s*([0-9]+|[IVX]+)\s*—$")


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]  # pdftotext ends every page with a form feed


def page_number(page: str) -> str | None:
    found = [m.group(1) for line in page.splitlines() if (m := FOOTER.match(line.strip()))]
    return found[-1] if found else None


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory) -> Path:
    return build_sample_book(tmp_path_factory.mktemp("sample") / "样例.xlsx")


@pytest.fixture(scope="module")
def package(sample_book, tmp_path_factory) -> Path:
    """The bundled sample's package with its PDF (clean: no placeholders, not forced)."""
    assert shutil.which("soffice") and shutil.which("pdffonts"), "LibreOffice and poppler: ./dev test installs them"
    out = tmp_path_factory.mktemp("pkg") / "公开包"
    result = export_package(sample_book, out)
    assert result.pdf and "目录" in result.pdf and not result.forced, result.warnings
    return out


@pytest.fixture(scope="module")
def pages(package) -> list[str]:
    return pdf_pages(package / f"{BASE}.pdf")


@pytest.fixture(scope="module")
def docx(package):
    return open_docx(str(package / f"{BASE}.docx"))


def _body_start(pages: list[str]) -> int:
    return next(i for i, p in enumerate(pages) if p.lstrip().startswith("第一部分"))


def _tables_start(pages: list[str]) -> int:
    return next(i for i, p in enumerate(pages) if p.lstrip().startswith("第三部分"))


# ------------------------------------------------------------ numbers stay whole

NUMBER_SPLIT = re.compile(r"[\d.,]\n[\d.%]|[\d.,]\n万元|[\d.,]\n万\n?元|万\n元")


def test_no_line_ends_inside_a_number_or_before_its_unit(pages, docx):
    narrative = "".join(pages[_body_start(pages):_tables_start(pages)])
    lines = "\n".join(line.strip() for line in narrative.splitlines() if line.strip())
    assert len(re.findall(r"\d+(\.\d\d)?\s*万元", lines)) > 40  # the check has numbers to look at
    assert len(re.findall(r"\d+(\.\d\d)?%", lines)) > 20
    assert not NUMBER_SPLIT.findall(lines), NUMBER_SPLIT.findall(lines)
    # the cause and the cure: Western text in en-US (digits break as English), East Asian in zh-CN …
    lang = docx.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert (lang.get(qn("w:val")), lang.get(qn("w:eastAsia"))) == ("en-US", "zh-CN")
    # … and Word's list of characters that may not begin a line holds the units
    before = docx.settings.element.find(qn("w:noLineBreaksBefore"))
    assert before.get(qn("w:lang")) == "zh-CN" and all(c in before.get(qn("w:val")) for c in "万元%")


# ------------------------------------------------------------ fonts

def test_the_pdf_embeds_simplified_chinese_faces_and_a_kai_level(package, docx):
    fonts = subprocess.run(["pdffonts", str(package / f"{BASE}.pdf")], capture_output=True, text=True,
                           check=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names and not [n for n in names if re.search(r"JP|jp|KR|kr|TC|tc|HK|hk", n.split("+")[-1])], names
    assert any("CJKsc" in n for n in names)  # 仿宋/宋体/黑体 → Noto … CJK SC, named so
    kai = [n for n in names if "Kai" in n]
    assert kai, names  # 楷体_GB2312 → AR PL UKai CN, a real 楷体 face
    # the （一） level is set in 楷体_GB2312, the 一、 level in 黑体: two different faces in the PDF
    headings = [p for p in docx.paragraphs if p.style.name.startswith("Heading")]
    sub = next(p for p in headings if p.text == "（一）主要职责")
    top = next(p for p in headings if p.text == "一、部门主要职责及内设机构")
    assert sub.style.name == "Heading 3" and top.style.name == "Heading 2"
    assert sub.style.element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    assert top.style.element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert not any("Kai" in n for n in names if "Sans" in n)
    conf = (Path(__file__).parents[1] / "disclosure" / "export" / "fontconfig-cn-gov.conf").read_text(encoding="utf-8")
    for name in ("楷体_GB2312", "仿宋_GB2312", "楷体", "仿宋"):
        assert f"<family>{name}</family>" in conf


def test_simplified_faces_are_made_once_and_a_broken_font_keeps_the_collections(tmp_path, monkeypatch):
    from disclosure.export import cjkfonts

    made = cjkfonts.simplified_faces(tmp_path / "cache")
    assert made is not None, "fonts-noto-cjk: ./dev test installs it"
    folder, replaced = made
    files = sorted(folder.glob("*.otf"))
    assert len(files) == len(replaced) >= 2 and all(p.suffix == ".ttc" for p in replaced)
    from fontTools.ttLib import TTFont

    for f in files:  # the names a PDF embeds: the CFF font and its sub-fonts, all "sc" now
        cff = TTFont(str(f), lazy=True)["CFF "].cff
        top = cff[cff.fontNames[0]]
        assert "CJKsc-" in cff.fontNames[0] and all("CJKsc-" in fd.FontName for fd in top.FDArray)
        assert TTFont(str(f), lazy=True)["name"].getDebugName(1).endswith(" SC")
    stamps = [f.stat().st_mtime_ns for f in files]
    assert cjkfonts.simplified_faces(tmp_path / "cache") == made  # the second time reads the cache
    assert [f.stat().st_mtime_ns for f in files] == stamps
    conf = cjkfonts.fontconfig(tmp_path / "a&b", replaced)
    assert "<dir>" + str(tmp_path / "a&amp;b") + "</dir>" in conf and conf.count("<glob>") == len(replaced)
    broken = tmp_path / "NotoSerifCJK-Regular.ttc"
    broken.write_bytes(b"not a font")
    monkeypatch.setattr(cjkfonts, "collections", lambda: [broken])
    assert cjkfonts.simplified_faces(tmp_path / "other") is None  # LibreOffice keeps the collections


# ------------------------------------------------------------ TOC and page numbers

def test_toc_styles_and_the_tables_numbers_in_the_updated_toc(docx, pages):
    styles = {s.name: s for s in docx.styles}
    for level, font in ((1, "黑体"), (2, "仿宋_GB2312")):
        style = styles[f"toc {level}"]
        assert style.style_id == f"TOC{level}" and style.font.size.pt == 16  # 三号, as the entries' text
        assert style.element.rPr.rFonts.get(qn("w:eastAsia")) == font
        tab = style.paragraph_format.tab_stops[0]  # dots to the page number at the right margin
        assert abs(tab.position - Mm(210 - 28 - 26)) < Mm(1) and style.element.get(qn("w:customStyle")) is None
    entries = [p for p in docx.paragraphs if p.style.name.startswith("toc ")]
    assert len(entries) > 30 and {p.style.name for p in entries} == {"toc 1", "toc 2"}
    # after LibreOffice filled the TOC: every table's entry keeps its number, with the page it is on
    toc = "".join(pages[1:_body_start(pages)])
    flat = re.sub(r"\s+", "", toc)
    printed = {page_number(p): p for p in pages}
    for grid_number, title in (("01", "收入支出决算总表"), ("05", "一般公共预算财政拨款支出决算表"),
                               ("09", "财政拨款“三公”经费及会议费、培训费支出决算表")):
        m = re.search(rf"公开{grid_number}表{re.escape(title)}\.+(\d+)", flat)
        assert m, f"公开{grid_number}表 not in the TOC"
        assert f"公开 {grid_number} 表" in printed[m.group(1)]  # the page the TOC names holds that table


def test_cover_unnumbered_toc_in_roman_and_the_body_starts_at_page_one(docx, pages):
    assert page_number(pages[0]) is None and "子洲县医疗保障局" in pages[0]
    start = _body_start(pages)
    assert [page_number(p) for p in pages[1:start]] == ["I", "II"][:start - 1]
    assert [page_number(p) for p in pages[start:start + 3]] == ["1", "2", "3"]
    numbers = [int(page_number(p)) for p in pages[start:]]
    assert numbers == list(range(1, len(numbers) + 1))  # landscape table sections continue the count
    sections = docx.sections
    def pg(section):
        return section._sectPr.find(qn("w:pgNumType"))
    assert not sections[0]._sectPr.findall(qn("w:footerReference"))
    assert (pg(sections[1]).get(qn("w:fmt")), pg(sections[1]).get(qn("w:start"))) == ("upperRoman", "1")
    assert (pg(sections[2]).get(qn("w:fmt")), pg(sections[2]).get(qn("w:start"))) == ("decimal", "1")
    assert all(pg(s) is None or pg(s).get(qn("w:start")) is None for s in sections[3:])


# ------------------------------------------------------------ tables

def test_no_table_label_leaves_one_character_alone(docx, pages):
    singles = {t for table in docx.tables for row in cell_texts(table) for t in row if len(t) == 1}
    lonely = []
    for i, page in enumerate(pages[_tables_start(pages):]):
        for line in page.splitlines():
            line = line.strip()
            if len(line) == 1 and unicodedata.east_asian_width(line) == "W" and line not in singles:
                lonely.append((i, line))
    assert not lonely


def _label_grid(text: str, widths: list[float]) -> tablegrid.Grid:
    cells = [tablegrid.GridCell(0, 0, "项目", tablegrid.HEADER), tablegrid.GridCell(0, 1, "决算数", tablegrid.HEADER),
             tablegrid.GridCell(1, 0, text, tablegrid.LABEL),
             tablegrid.GridCell(1, 1, Decimal("12345.67"), tablegrid.AMOUNT)]
    return tablegrid.Grid(spec=None, widths=[1, 1], header_rows=1, header_depth=1, nrows=2, cells=cells)


@pytest.mark.parametrize("length", range(6, 40, 3))
def test_label_columns_are_widened_until_no_character_is_alone(length):
    text = "国" * (length - 1) + "费"
    widths = [60.0 + length, 120.0]
    grid = _label_grid(text, widths)
    fitted, size = fit_columns(grid, widths)
    assert abs(sum(fitted) - sum(widths)) < 1e-6 and size <= TABLE_SIZE
    assert not leaves_one_alone(text, fitted[0], size)
    assert text_em("12,345.67") * size < fitted[1] - 10.8  # the amount column still holds its amount
    if not leaves_one_alone(text, widths[0], TABLE_SIZE):
        assert fitted == widths and size == TABLE_SIZE  # nothing to fix: nothing changed


def test_every_sample_table_fits_by_the_estimate(sample_book):
    report = workbook.read(sample_book)
    for tid, table in report.tables.items():
        grid = tablegrid.layout(table.spec, table.rows)
        widths = [700.0 * w / sum(grid.widths) for w in grid.widths]
        fitted, size = fit_columns(grid, widths)
        for g in grid.cells:
            if g.cols == 1 and isinstance(g.value, str) and g.value:
                assert not leaves_one_alone(g.value, fitted[g.col], size), (tid, g.value)


def _zeros_printed(report, narrative, config, folder: Path, name: str) -> tuple[str, int, object]:
    """What 公开01表's empty 政府性基金 line prints in the Word table, how many "0.00" the docx has, and the
    公开表.xlsx cell of that line."""
    doc = open_docx(str(write_docx(report, narrative, config, {}, folder / f"{name}.docx")))
    t01 = cell_texts(doc.tables[1])
    row = next(r for r in t01 if r[0] == "二、政府性基金预算财政拨款收入")
    count = sum(t == "0.00" for table in doc.tables for r in cell_texts(table) for t in r)
    sheets = load_workbook(write_tables_xlsx(report, config, folder / f"{name}.xlsx", zero=zero_print(config, narrative)))
    ws = sheets["公开01表"]
    cell = next(ws.cell(r.row, 3) for r in ws["A"] if r.value == "二、政府性基金预算财政拨款收入")
    assert cell.number_format == "#,##0.00"
    return row[2], count, cell.value


def _export_with_written_zeros(tmp_path: Path) -> Path:
    """The bundled export with every zero amount cell of its tables holding a written 0 (as some exports print
    them), saved as a new file: the original stays as it is."""
    from disclosure.grid import cell_index
    from disclosure.importers.export import import_export

    report = import_export(SAMPLE)
    book = load_workbook(SAMPLE)
    for table in report.tables.values():
        for row in table.rows:
            for value in row.values.values():
                if value.amount == 0 and value.cell is not None:
                    r, c = cell_index(value.cell.coord)
                    book[value.cell.sheet].cell(r + 1, c + 1).value = 0
    path = tmp_path / "导出-零印0.xlsx"
    book.save(path)
    return path


def test_zero_amounts_follow_the_exports_own_convention(sample_book, tmp_path):
    """The bundled export leaves zeros blank: the workbook records 零值显示 空白 and the package prints blanks.
    An export that writes 0 gives 零值显示 0.00 and a package with 0.00 in every zero cell."""
    from disclosure.importers.export import import_export

    assert "zero" not in (style_config("shaanxi")["package"])  # the workbook decides unless the style overrides
    report = workbook.read(sample_book)
    assert report.inputs.get("零值显示") == "空白"
    narrative = render(report)
    assert narrative.zero == ""
    printed, count, cell = _zeros_printed(report, narrative, style_config("shaanxi"), tmp_path, "blank")
    assert (printed, count, cell) == ("", 0, None)

    written = import_export(_export_with_written_zeros(tmp_path))
    assert written.inputs.get("零值显示") == "0.00"
    book = workbook.save_atomic(workbook.build(written.spec, written), tmp_path / "零印0.xlsx")
    report = workbook.read(book)
    assert report.inputs.get("零值显示") == "0.00"
    narrative = render(report)
    printed, count, cell = _zeros_printed(report, narrative, style_config("shaanxi"), tmp_path, "zero")
    assert printed == "0.00" and count > 100 and cell == 0


def test_style_zero_overrides_the_workbook(sample_book, tmp_path):
    report = workbook.read(sample_book)
    narrative = render(report)
    base = style_config("shaanxi")
    forced = {**base, "package": {**base["package"], "zero": "0.00"}}
    printed, count, cell = _zeros_printed(report, narrative, forced, tmp_path, "forced")
    assert printed == "0.00" and count > 100 and cell == 0
    narrative.zero = "0.00"  # the workbook says 0.00, the style says blank: the style wins
    blank = {**base, "package": {**base["package"], "zero": ""}}
    assert _zeros_printed(report, narrative, blank, tmp_path, "blank")[:2] == ("", 0)


def test_a_wrong_zero_word_is_asked_for_in_plain_words(sample_book):
    report = workbook.read(sample_book)
    report.inputs.values["零值显示"] = InputValue("零")
    narrative = render(report)
    assert narrative.zero == ""
    assert any("零值显示" in m.label and "应为“0.00”或“空白”" in m.label for m in narrative.missing)


# ------------------------------------------------------------ charts

def test_charts_have_no_title_inside_and_keep_a_tiny_slice(docx):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    parts = [("财政拨款收入", Decimal("2400.00")), ("事业收入", Decimal("7.20")), ("其他收入", Decimal("300.00"))]
    fig = charts.figure(plt, parts, "万元")
    try:
        ax = fig.axes[0]
        assert ax.get_title() == "" and not fig.texts  # the caption under the picture names it
        spans = [w.theta2 - w.theta1 for w in ax.patches]
        assert len(spans) == 3 and min(spans) >= 5.0  # 0.27 % drawn at 1.5 % of the circle: visible
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend[1] == "事业收入　7.20万元（0.27%）"  # the legend tells the true share
    finally:
        plt.close(fig)
    captions = [p.text for p in docx.paragraphs if p.style.name == "图表" and p.text]
    assert captions == ["图1　收入决算图", "图2　支出决算图"]


def test_chart_legend_writes_numbers_as_the_prose_does():
    """Shaanxi prose writes 2444.56万元 and 100%: the legend beside it must not say 2,444.56 or 100.00%."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    parts = [("财政拨款收入", Decimal("2444.56")), ("其他收入", Decimal("1100.00"))]
    shaanxi = NumberStyle.from_config(style_config("shaanxi"))
    for numbers, expected in ((shaanxi, ["财政拨款收入　2444.56万元（68.97%）", "其他收入　1100万元（31.03%）"]),
                              (NumberStyle(), ["财政拨款收入　2,444.56万元（68.97%）", "其他收入　1,100.00万元（31.03%）"])):
        fig = charts.figure(plt, parts, "万元", numbers)
        try:
            assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == expected
        finally:
            plt.close(fig)
    whole = charts.figure(plt, [("财政拨款收入", Decimal("5.00"))], "万元", shaanxi)
    try:
        assert [t.get_text() for t in whole.axes[0].get_legend().get_texts()] == ["财政拨款收入　5万元（100%）"]
    finally:
        plt.close(whole)


# ------------------------------------------------------------ package properties and styles

def test_core_properties_theme_language_and_only_used_styles(docx, package):
    core = docx.core_properties
    assert core.author == "子洲县医疗保障局" and core.title == BASE and core.last_modified_by == "子洲县医疗保障局"
    created = core.created.replace(tzinfo=timezone.utc)  # python-docx reads the W3CDTF "Z" back naive
    assert abs(created - datetime.now(timezone.utc)) < timedelta(days=1) and created.year != 2013
    with zipfile.ZipFile(package / f"{BASE}.docx") as zf:
        app = zf.read("docProps/app.xml").decode("utf-8")
        names = zf.namelist()
    assert "<Company>子洲县医疗保障局</Company>" in app and "Macintosh" not in app
    assert "docProps/thumbnail.jpeg" not in names and "word/stylesWithEffects.xml" not in names
    theme = docx.settings.element.find(qn("w:themeFontLang"))
    assert theme.get(qn("w:eastAsia")) == "zh-CN"
    ids = {s.get(qn("w:styleId")) for s in docx.styles.element.findall(qn("w:style"))}
    assert "LightShading-Accent1" not in ids and "MediumGrid3-Accent6" not in ids and len(ids) < 30
    used = {el.get(qn("w:val")) for tag in ("w:pStyle", "w:tblStyle") for el in docx.element.iter(qn(tag))}
    assert used <= ids  # nothing used was removed


# ------------------------------------------------------------ 草稿

@pytest.fixture(scope="module")
def draft_pages(_book004, tmp_path_factory) -> list[str]:
    """Seed 004 without 说明数据: its text keeps 【待填写：…】 placeholders."""
    out = tmp_path_factory.mktemp("draft") / "公开包"
    result = export_package(_book004, out)
    assert result.pdf and any("项待填写" in w for w in result.warnings)
    return pdf_pages(next(out.glob("*.pdf")))


def test_a_draft_says_so_on_every_page_and_on_the_cover(draft_pages, pages):
    assert len(draft_pages) > 20
    assert all(DRAFT in p for p in draft_pages)  # the header of every section, landscape tables included
    assert f"（{DRAFT}）" in draft_pages[0] and "不得作为正式公开文件" in draft_pages[0]
    assert not any(DRAFT in p for p in pages)  # the finished sample has none


def test_a_forced_export_is_a_draft_too(sample_book, tmp_path):
    book = tmp_path / "错.xlsx"
    shutil.copy(sample_book, book)
    wb = load_workbook(book)
    wb["公开05表"]["C7"] = Decimal("9999.99")  # 合计·小计 no longer the sum of its 类
    wb.save(book)
    result = export_package(book, tmp_path / "out", make_pdf=False, force=True)
    assert result.forced
    doc = open_docx(str(tmp_path / "out" / f"{BASE}.docx"))
    assert DRAFT_HEADER in doc.sections[0].header.paragraphs[0].text
    assert all(s.header.is_linked_to_previous for s in doc.sections[1:])  # every later section shows it
    assert f"（{DRAFT}）" in [p.text for p in doc.paragraphs[:5]]


# ------------------------------------------------------------ narrative -o x.docx

def test_narrative_docx_is_the_packages_narrative_part(sample_book, docx, tmp_path):
    narrative = render(workbook.read(sample_book))
    alone = open_docx(str(write_narrative(narrative, tmp_path / "情况说明.docx")))

    def headings(document):
        out = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
        return out[:next(i for i, (_, t) in enumerate(out) if t.startswith("第三部分"))] if document is docx else out

    assert headings(alone) == headings(docx) and len(headings(alone)) > 20  # the navigation pane's outline
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3"):
        a, b = alone.styles[name], docx.styles[name]
        assert a.element.rPr.rFonts.get(qn("w:eastAsia")) == b.element.rPr.rFonts.get(qn("w:eastAsia"))
        assert a.font.size == b.font.size
    body = [p.text for p in alone.paragraphs[1:] if p.style.name == "Normal" and p.text]  # after the title
    assert body and all(t in [p.text for p in docx.paragraphs] for t in body)


@pytest.mark.parametrize("value", ["小", True, 3, 20])
def test_a_table_font_size_outside_the_style_limits_is_refused_in_chinese(sample_book, tmp_path, value):
    from disclosure.errors import DisclosureError

    report = workbook.read(sample_book)
    config = style_config("shaanxi")
    config = {**config, "package": {**config["package"], "table_min_size": value}}
    with pytest.raises(DisclosureError, match="package.table_min_size 应为 5 到 9 之间的字号"):
        write_docx(report, render(report), config, {}, tmp_path / "d.docx")
    assert not (tmp_path / "d.docx").exists()


def test_no_figure_of_a_performance_table_breaks_over_two_lines():
    """Seed 001's ten 绩效自评表 at a portrait page's text width: every amount, rate, score and figure-like
    target (“≤2485.52万元”, “2024年”, “≥95%”) fits its column on one line — the 整体 table's thirteen columns with
    narrow cell margins and, if need be, a smaller font (new-user test: “9.8|4”, “97.9|5%”, “≤2485|.5|2万元”)."""
    from disclosure.export import perfgrid, word
    from perfmodel import build

    tables = build().perf.tables
    assert len(tables) == 10
    text_pt = 156 * 72 / 25.4  # A4, the style's margins
    for t in tables:
        grid = perfgrid.perf_grid(t, plain_amounts=True)
        padding = word.DENSE_PADDING_PT if grid.ncols >= word.DENSE_COLUMNS else word.CELL_PADDING_PT
        widths, size = word.fit_columns(grid, [text_pt * w / sum(grid.widths) for w in grid.widths],
                                        padding=padding)
        assert abs(sum(widths) - text_pt) < 0.01 and size >= word.FIGURE_MIN_SIZE
        for g in grid.cells:
            text = word._cell_text(g, "")
            if text and (g.kind == "amount" or word.FIGURE_TEXT.fullmatch(text.strip())):
                room = sum(widths[g.col:g.col + g.cols]) - padding
                assert word.figure_em(text) * size <= room - size * 0.3 + 1e-9, (t.name, text, g.col, round(room, 1), size)
