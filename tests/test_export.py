"""The export package: the Word document (tables equal to the workbook, headings, fonts, landscape
sections), the PDF (text and rendering), 公开表.xlsx, the check report, manifest and zip; refusal on 错误,
--force, and OUTDIR never half-overwritten."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from openpyxl import load_workbook

from disclosure import workbook
from disclosure.export import ExportRefused, export_package, package
from disclosure.importers.export import import_export
from conftest import build_sample_book
from wordfixtures import AMOUNT, cell_texts, printed_amounts, workbook_amounts

BASE = "子洲县医疗保障局2024年度部门决算"
LANDSCAPE = {"02", "03", "04", "06", "07", "09"}  # seven columns or more
SECTION_TITLES = ["一、收入支出决算总体情况说明", "二、收入决算情况说明", "三、支出决算情况说明",
                  "四、财政拨款收入支出决算总体情况说明", "五、一般公共预算财政拨款支出决算情况说明",
                  "六、一般公共预算财政拨款基本支出决算情况说明", "七、政府性基金预算财政拨款收入支出决算情况说明",
                  "八、国有资本经营预算财政拨款支出决算情况说明", "九、财政拨款“三公”经费及会议费、培训费支出决算情况说明",
                  "十、机关运行经费支出情况说明", "十一、政府采购支出情况说明", "十二、国有资产占用及购置情况说明",
                  "十三、预算绩效情况说明", "十四、其他需要说明的情况"]


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory) -> Path:
    return build_sample_book(tmp_path_factory.mktemp("sample") / "样例.xlsx")


@pytest.fixture(scope="module")
def package_dir(sample_book, tmp_path_factory) -> Path:
    """The whole package of the bundled sample, PDF and zip included (made once: LibreOffice takes seconds)."""
    assert shutil.which("soffice"), "LibreOffice is needed: ./dev test installs it"
    out = tmp_path_factory.mktemp("pkg") / "公开包"
    result = export_package(sample_book, out, make_zip=True)
    assert result.pdf and "目录" in result.pdf, result.warnings
    return out


@pytest.fixture(scope="module")
def docx(package_dir):
    return open_docx(str(package_dir / f"{BASE}.docx"))


def test_every_amount_of_the_nine_tables_equals_the_workbook(docx, sample_book):
    report = workbook.read(sample_book)
    tables = docx.tables[1:]  # the first is the list of the nine tables
    assert len(tables) == 9
    for (tid, table), word_table in zip(sorted(report.tables.items()), tables):
        printed = printed_amounts(word_table)
        assert printed == workbook_amounts(table), f"公开{tid}表"
        if table.is_empty:
            assert not printed
    # and at the right place: 01表 总计 row (行次 30 | 60), 05表 合计 row
    t01 = cell_texts(tables[0])
    total = next(row for row in t01 if row[0] == "总计")
    assert total == ["总计", "30", "2,444.56", "总计", "60", "2,444.56"]
    assert t01[2][:3] == ["栏次", "", "1"]  # the 栏次 row under a two-level header
    t05 = cell_texts(tables[4])
    assert t05[2] == ["栏次", "1", "2", "3"] and t05[3] == ["合计", "2,444.56", "485.52", "1,959.04"]


def test_amounts_are_right_aligned_and_headers_repeat(docx):
    t = docx.tables[2]  # 公开02表
    rows = t._tbl.tr_lst
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None and rows[-1].trPr.find(qn("w:cantSplit")) is not None
    amount_cells = [tc for tr in rows for tc in tr.tc_lst if AMOUNT.match("".join(x.text for x in tc.iter(qn("w:t"))))]
    assert amount_cells and all(tc.p_lst[0].pPr.jc.val == 2 for tc in amount_cells)  # WD_ALIGN_PARAGRAPH.RIGHT


def test_parts_and_sections_are_headings_in_order(docx):
    heading = {1: [], 2: []}
    for p in docx.paragraphs:
        if p.style.name in ("Heading 1", "Heading 2"):
            heading[int(p.style.name[-1])].append(p.text)
    assert heading[1] == ["第一部分 部门概况", "第二部分 2024年度部门决算情况说明", "第三部分 2024年度部门决算表",
                          "第四部分 专业名词解释", "第五部分 附件"]
    assert [h for h in heading[2] if h in SECTION_TITLES] == SECTION_TITLES
    # a table's heading: its number at the right, then the title centred (tabs and a line break)
    tables = [" ".join(h.split()) for h in heading[2] if h.lstrip().startswith("公开")]
    assert "公开01表 收入支出决算总表" in tables and "公开06表 一般公共预算财政拨款基本支出决算明细表" in tables
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "1.基本支出：指为保障机构正常运转" in text  # 名词解释
    assert "子洲县医疗保障局" in docx.paragraphs[0].text and docx.paragraphs[1].text == "2024年度部门决算"


def test_fonts_are_set_for_east_asian_text(docx):
    styles = docx.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"

    def east_asia(style_name):
        fonts = docx.styles[style_name].element.rPr.rFonts
        assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:eastAsiaTheme")) is None
        return fonts.get(qn("w:eastAsia"))

    assert east_asia("Normal") == "仿宋_GB2312"
    assert east_asia("Heading 1") == "黑体" and east_asia("Heading 2") == "黑体"
    assert east_asia("Heading 3") == "楷体_GB2312"
    assert docx.styles["Normal"].font.size.pt == 16  # 三号
    title_run = docx.paragraphs[0].runs[0]
    assert title_run._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体" and title_run.font.size.pt == 22  # 二号
    # fallbacks for PCs without the GB fonts, in the font table
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    font_table = docx.part.part_related_by(RT.FONT_TABLE).blob.decode("utf-8")
    assert re.search(r'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', font_table)
    assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="宋体"/>', font_table)


def _sections_of_tables(docx) -> list:
    """The section properties each table is printed in (a section ends at a paragraph holding a sectPr)."""
    body = docx.element.body
    pending, out = [], []
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            pending.append(child)
        elif child.tag == qn("w:p") and child.pPr is not None and child.pPr.sectPr is not None:
            out += [child.pPr.sectPr] * len(pending)
            pending = []
    out += [body.sectPr] * len(pending)
    return out


def test_wide_tables_are_in_landscape_sections(docx):
    sections = _sections_of_tables(docx)[1:]  # skip the list of tables
    for tid, sect in zip([f"0{i}" for i in range(1, 10)], sections):
        size = sect.find(qn("w:pgSz"))
        wide = int(size.get(qn("w:w"))) > int(size.get(qn("w:h")))
        assert wide == (tid in LANDSCAPE), f"公开{tid}表"
        assert abs(int(size.get(qn("w:w"))) - (16838 if wide else 11906)) < 5  # A4 in twips


def test_empty_tables_print_their_header_and_a_no_data_note(docx):
    text = [p.text for p in docx.paragraphs]
    for subject in ("政府性基金预算财政拨款收入支出", "国有资本经营预算财政拨款支出", "财政拨款“三公”经费及会议费、培训费支出"):
        assert f"说明：子洲县医疗保障局2024年度没有{subject}，故本表无数据。" in text
    t07 = cell_texts(docx.tables[7])
    assert t07[0][0] == "项目" and any("栏次" in row for row in t07)
    index = cell_texts(docx.tables[0])
    assert index[7] == ["表7", "政府性基金预算财政拨款收入支出决算表", "是", "本部门不涉及故公开空表"]
    assert index[1][2] == "否"


def test_toc_page_numbers_and_charts(docx):
    body = docx.element.body.xml
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    footer = docx.sections[1].footer._element.xml
    assert "PAGE" in footer
    assert docx.settings.element.find(qn("w:updateFields")) is not None
    assert len(docx.inline_shapes) == 2  # 收入决算图, 支出决算图
    captions = [p.text for p in docx.paragraphs if p.text.startswith("图")]
    assert captions == ["图1　收入决算图", "图2　支出决算图"]


def test_pdf_has_the_totals_in_real_chinese_text(package_dir, tmp_path):
    pdf = package_dir / f"{BASE}.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("子洲县医疗保障局", "收入支出决算总表", "2,444.56", "485.52", "1,959.04", "本表无数据"):
        assert expected in text
    assert "\ufffd" not in text and "□" not in text
    # the table of contents got page numbers
    assert re.search(r"第三部分 2024 ?年度部门决算表\s*\.{5,}\s*\d+", text)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts  # 仿宋/黑体 mapped to installed CJK fonts, embedded
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "5", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 5 and all(p.stat().st_size > 2000 for p in pages)


def test_print_ready_tables_read_back_as_the_same_report(package_dir, sample_book):
    path = package_dir / "公开表.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames == [f"公开0{i}表" for i in range(1, 10)]
    ws = wb["公开02表"]
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows and ws.oddHeader.center.text == BASE and "&P" in ws.oddFooter.center.text
    assert not ws.protection.sheet
    assert any("本表无数据" in str(c.value) for row in wb["公开07表"].iter_rows() for c in row if c.value)
    original, again = workbook.read(sample_book), import_export(path)
    for tid, table in original.tables.items():
        assert {(r.side, r.key, r.code): {k: v.amount for k, v in r.values.items()} for r in table.rows} == \
               {(r.side, r.key, r.code): {k: v.amount for k, v in r.values.items()} for r in again.tables[tid].rows}


def test_check_report_manifest_and_zip(package_dir, sample_book):
    wb = load_workbook(package_dir / "校验报告.xlsx")
    assert wb.sheetnames == ["校验结果", "情况说明核对"]
    assert "错误 0 条" in wb["校验结果"]["A2"].value and wb["校验结果"]["A3"].value is None  # not forced
    manifest = json.loads((package_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] and manifest["created"] and manifest["check"]["forced"] is False
    assert manifest["workbook"]["sha256"] == hashlib.sha256(sample_book.read_bytes()).hexdigest()
    names = [f["name"] for f in manifest["files"]]
    assert names == [f"{BASE}.docx", f"{BASE}.pdf", "公开表.xlsx", "校验报告.xlsx", "校验报告.txt"]
    for f in manifest["files"]:
        data = (package_dir / f["name"]).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (f["size"], f["sha256"])
    with zipfile.ZipFile(package_dir / f"{BASE}公开包.zip") as zf:
        assert sorted(zf.namelist()) == sorted(names + ["manifest.json"])
        assert zf.read(f"{BASE}.docx") == (package_dir / f"{BASE}.docx").read_bytes()
    assert sorted(p.name for p in package_dir.iterdir()) == sorted(names + ["manifest.json", f"{BASE}公开包.zip"])


def _break_a_total(path: Path) -> None:
    wb = load_workbook(path)
    ws = wb["公开05表"]
    ws["C7"] = Decimal("9999.99")  # 合计·小计 no longer the sum of its 类
    wb.save(path)


def test_export_refuses_while_the_check_has_errors(sample_book, tmp_path, cli):
    book = tmp_path / "错.xlsx"
    shutil.copy(sample_book, book)
    _break_a_total(book)
    before = book.read_bytes()
    result = cli("export", book, "-o", tmp_path / "out", "--no-pdf")
    assert result.code == 1 and "未导出" in result.err and "公开05表!C7" in result.err
    assert not (tmp_path / "out").exists() and book.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["错.xlsx"]  # no temp folder left behind

    forced = cli("export", book, "-o", tmp_path / "out", "--no-pdf", "--force")
    assert forced.code == 0 and "强制导出" in forced.err
    report_text = (tmp_path / "out" / "校验报告.txt").read_text(encoding="utf-8")
    assert report_text.startswith("注意：本公开包在校验存在错误（表格")
    assert "强制导出" in load_workbook(tmp_path / "out" / "校验报告.xlsx")["校验结果"]["A3"].value
    assert json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["check"]["forced"] is True


def test_a_slip_in_the_officers_reasons_also_stops_the_export(seed_books, tmp_path):
    """Seed 004's published reasons: '2022年' in a 2024 report is printed into the 情况说明."""
    with pytest.raises(ExportRefused) as caught:
        export_package(seed_books["004"], tmp_path / "out", make_pdf=False)
    assert any(line.startswith("L07 情况说明第二部分 五、一般公共预算财政拨款支出决算情况说明") and "2022年" in line
               for line in caught.value.problems)
    assert not (tmp_path / "out").exists()


def test_an_existing_folder_gets_the_new_package_and_loses_only_the_old_ones_files(sample_book, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "我的笔记.txt").write_text("keep", encoding="utf-8")
    (out / f"{BASE}.pdf").write_bytes(b"old pdf")
    (out / "manifest.json").write_text(json.dumps({"files": [{"name": f"{BASE}.pdf"}]}), encoding="utf-8")
    result = export_package(sample_book, out, make_pdf=False)
    assert result.pdf is None
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["我的笔记.txt", f"{BASE}.docx", "公开表.xlsx", "校验报告.xlsx", "校验报告.txt", "manifest.json"])


def test_a_failure_halfway_leaves_the_folder_as_it_was(sample_book, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{BASE}.docx").write_bytes(b"last year's document")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(package, "write_tables_xlsx", broken)
    with pytest.raises(package.DisclosureError, match=f"无法写出“{re.escape(str(out))}”：磁盘空间不足"):
        export_package(sample_book, out, make_pdf=False)
    assert [p.name for p in out.iterdir()] == [f"{BASE}.docx"]
    assert (out / f"{BASE}.docx").read_bytes() == b"last year's document"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_without_libreoffice_the_rest_is_written_and_the_officer_is_told(sample_book, tmp_path, monkeypatch):
    from disclosure.export import pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    result = export_package(sample_book, tmp_path / "out")
    assert result.pdf is None and any("未找到 LibreOffice 或 Word，未生成 PDF" in w for w in result.warnings)
    assert (tmp_path / "out" / f"{BASE}.docx").exists() and not list((tmp_path / "out").glob("*.pdf"))


def test_cli_export_of_a_bad_file_is_a_clear_error(tmp_path, cli):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a zip at all")
    result = cli("export", bad, "-o", tmp_path / "out")
    assert result.code == 1 and result.err.startswith("错误：") and "坏.xlsx" in result.err
    assert "Traceback" not in result.err and not (tmp_path / "out").exists()


def test_the_output_folder_may_not_overwrite_the_workbook_itself(sample_book, tmp_path, cli):
    book = tmp_path / "公开表.xlsx"
    shutil.copy(sample_book, book)
    result = cli("export", book, "-o", tmp_path, "--no-pdf")
    assert result.code == 1 and "就是要导出的工作簿本身" in result.err
    assert book.read_bytes() == sample_book.read_bytes()


def test_missing_inputs_are_highlighted_in_the_document(book004, tmp_path):
    """A workbook with no 说明数据: the placeholders are printed in yellow, and the export says how many."""
    result = export_package(book004, tmp_path / "out", make_pdf=False)
    assert any("项待填写" in w for w in result.warnings)
    doc = open_docx(str(next((tmp_path / "out").glob("*.docx"))))
    marked = [r for p in doc.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert marked and all(r.text.startswith("【待填写：") for r in marked)


def test_charts_find_a_chinese_font_installed_after_matplotlib_cached_its_list(sample_book, monkeypatch):
    from matplotlib import font_manager

    from disclosure.export import charts

    without_cjk = [f for f in font_manager.fontManager.ttflist if f.name not in charts.CJK_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", without_cjk)
    pictures = charts.draw(workbook.read(sample_book))
    assert sorted(pictures) == ["支出决算图", "收入决算图"]
    assert all(png.startswith(b"\x89PNG") for png in pictures.values())
    assert charts.shares(charts.slices(workbook.read(sample_book), "支出决算图")) == [Decimal("19.86"), Decimal("80.14")]


def test_without_a_chinese_font_there_are_no_charts_and_the_officer_is_told(sample_book, tmp_path, monkeypatch):
    from disclosure.export import charts

    monkeypatch.setattr(charts, "CJK_FONTS", ["没有这种字体"])
    monkeypatch.setattr(charts, "CJK_FILES", ("没有这种字体",))
    result = export_package(sample_book, tmp_path / "out", make_pdf=False)
    assert any("未找到中文字体" in w for w in result.warnings)
    doc = open_docx(str(tmp_path / "out" / f"{BASE}.docx"))
    assert len(doc.inline_shapes) == 0 and not [p for p in doc.paragraphs if p.text.startswith("图1")]


def test_a_single_unit_package_is_named_and_headed_as_a_单位决算(tmp_path, cli):
    """部门或单位 = 单位: the files, the 公开表 page header and the cover all say 单位决算, never 部门决算."""
    from conftest import build_sample_book
    from disclosure import workbook as wb_module

    book = build_sample_book(tmp_path / "样例.xlsx")
    wb_module.update_inputs(book, {"部门或单位": "单位"})
    out = tmp_path / "包"
    result = cli("export", book, "-o", out, "--no-pdf")
    assert result.code == 0, result.err
    names = sorted(p.name for p in out.iterdir())
    assert "子洲县医疗保障局2024年度单位决算.docx" in names and not any("部门决算" in n for n in names)
    header = load_workbook(out / "公开表.xlsx")["公开01表"].oddHeader.center.text
    assert header == "子洲县医疗保障局2024年度单位决算"
    cover = "\n".join(p.text for p in open_docx(out / "子洲县医疗保障局2024年度单位决算.docx").paragraphs[:12])
    assert "单位决算" in cover and "部门决算" not in cover


def test_a_cover_dated_by_the_export_day_is_said(sample_book, tmp_path):
    """说明数据 “公开日期” left blank: the cover prints the day of the export, and the package says so."""
    copy = shutil.copy(sample_book, tmp_path / "无日期.xlsx")
    result = export_package(copy, tmp_path / "a", make_pdf=False)
    said = [w for w in result.warnings if "封面日期用的是导出当天" in w]
    assert len(said) == 1 and "“公开日期”未填写" in said[0]
    workbook.update_inputs(copy, {"公开日期": "2025年8月"})
    dated = export_package(copy, tmp_path / "b", make_pdf=False)
    assert not [w for w in dated.warnings if "封面日期" in w]
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))
    assert said[0] in manifest["warnings"]


def test_the_cover_states_the_reviews_when_filled(sample_book, tmp_path):
    """陕西 prints 保密审查情况 and 主要负责人审签情况 under the title on the cover (seed 001); only when filled."""
    copy = shutil.copy(sample_book, tmp_path / "审签.xlsx")
    plain = export_package(copy, tmp_path / "a", make_pdf=False)
    docx_of = lambda result: next(f for f in result.files if f.suffix == ".docx")  # noqa: E731
    assert not any("审查情况" in p.text for p in open_docx(docx_of(plain)).paragraphs[:8])
    workbook.update_inputs(copy, {"保密审查情况": "已审查", "主要负责人审签情况": "已审签"})
    cover = [p.text for p in open_docx(docx_of(export_package(copy, tmp_path / "b", make_pdf=False))).paragraphs[:8]]
    at = cover.index("保密审查情况：已审查")
    assert cover[at + 1] == "主要负责人审签情况：已审签" and cover[at - 1].endswith("年度部门决算")
