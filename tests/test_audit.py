"""`disclosure audit`: a published PDF checked and linted in one step, each finding put back on the page and at the
figure or sentence it is about; the annotated copy (one highlight per finding); a folder of PDFs through the batch
machinery.

The PDF is our own package of the bundled sample with one figure changed in the workbook before export
(公开05表!D18, 行政单位医疗·基本支出, 1.58 → 7.58). Where a figure and a sentence are printed is measured here
independently with pdfplumber (the words on the page), and compared with where the audit puts the finding.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader, PdfWriter

from conftest import build_sample_book, set_cover_year
from disclosure import audit as audit_mod
from disclosure import cli, pdfin, workbook
from disclosure.acks import acknowledge
from disclosure.audit import TABLE, TEXT, audit_report
from disclosure.model import CellRef
from disclosure.pdfin import PdfSource, PublishedText, TextLine
from disclosure.pdfin.annotate import annotate

CHANGED = CellRef("公开05表", "D18")  # 2101101 行政单位医疗·基本支出
CHANGED_CODE, WAS, NOW = "2101101", Decimal("1.58"), Decimal("7.58")


# ---------------------------------------------------------------- the PDFs and a reader of them

@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("books")
    sample = build_sample_book(out / "样例.xlsx")
    wrong = out / "错.xlsx"
    shutil.copy(sample, wrong)
    wb = load_workbook(wrong)
    assert Decimal(str(wb[CHANGED.sheet][CHANGED.coord].value)) == WAS
    wb[CHANGED.sheet][CHANGED.coord] = float(NOW)
    wb.save(wrong)
    return {"sample": sample, "wrong": wrong}


@pytest.fixture(scope="module")
def wrong_pdf(books, tmp_path_factory) -> Path:
    from disclosure.export import export_package

    # the officer acknowledged the three 错误 (acks.py): the package is made as for publication, no draft mark
    for target in ("T05.1@公开05表!C18", "T05.2@公开05表!D17", "X09@公开05表!D18"):
        acknowledge(books["wrong"], target, "已核实")
    result = export_package(books["wrong"], tmp_path_factory.mktemp("pkg") / "包")
    return next(p for p in result.files if p.suffix == ".pdf")


def _digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def printed(pdf: Path, page_no: int, text: str, same_line_as: str | None = None) -> list[dict]:
    """The words printed on a page (on the line of another word, when given), measured independently."""
    with pdfplumber.open(pdf) as doc:
        words = doc.pages[page_no - 1].extract_words()
    hits = [w for w in words if w["text"] == text]
    if same_line_as:
        line = next(w["top"] for w in words if w["text"] == same_line_as)
        hits = [w for w in hits if abs(w["top"] - line) < 2]
    return hits


def inside(word: dict, bbox) -> bool:
    """A word pdfplumber measured lies within a place's box (a cell, or a line of text)."""
    x0, top, x1, bottom = bbox
    return x0 - 0.5 <= word["x0"] and word["x1"] <= x1 + 0.5 and top - 0.5 <= word["top"] and word["bottom"] <= bottom + 0.5


def page_of_table(pdf: Path, table_id: str) -> int:
    with pdfplumber.open(pdf) as doc:
        return next(n for n, p in enumerate(doc.pages, start=1) if (p.extract_text() or "").startswith(f"公开{table_id}表"))


@pytest.fixture(scope="module")
def result(wrong_pdf):
    return audit_mod.audit(wrong_pdf)


# ---------------------------------------------------------------- the audit of one PDF

def test_json_shape_and_the_changed_figure_at_its_page_and_cell(result, wrong_pdf):
    data = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
    assert data["document"] == {"file": wrong_pdf.name, "unit": "子洲县医疗保障局", "year": 2024, "kind": "部门决算",
                                "region": "陕西", "layout": "2024", "pages": len(PdfReader(wrong_pdf).pages)}
    assert data["text_checked"] is True and data["text_problem"] is None
    page = page_of_table(wrong_pdf, "05")
    errors = [f for f in data["findings"] if f["severity"] == "错误"]
    # the three relations the changed figure breaks, each on the page of 公开05表
    assert sorted(f["rule"] for f in errors) == ["T05.1", "T05.2", "X09"]
    assert {f["page"] for f in errors} == {page} and data["counts"]["错误"] == 3 and result.exit_code() == 1
    changed = next(f for f in errors if f["rule"] == "X09")
    assert f"2101101 行政单位医疗·基本支出 {NOW}" in changed["message"]
    ink = printed(wrong_pdf, page, str(NOW), same_line_as=CHANGED_CODE)
    assert len(ink) == 1 and inside(ink[0], changed["bbox"])  # the place: the printed figure's cell
    total = next(f for f in errors if f["rule"] == "T05.1")  # 小计 1.58 printed left of 基本支出 7.58, same line
    assert inside(printed(wrong_pdf, page, str(WAS), same_line_as=CHANGED_CODE)[0], total["bbox"])
    assert not inside(ink[0], total["bbox"]) and total["bbox"][1] == pytest.approx(changed["bbox"][1], abs=1)
    assert total["expected"] == "7.58" and total["actual"] == "1.58"
    for f in data["findings"]:
        assert {"rule", "severity", "source", "page", "bbox"} <= set(f)
        assert ("message" in f and "cell" in f) if f["source"] == TABLE else ({"says", "should", "sentence"} <= set(f))
    # nothing about the 说明数据 sheet a PDF does not have (N01 "尚未填写")
    assert not [f for f in data["findings"] if f["rule"] in ("N01", "N02")]
    # every finding of our own package is placed: the page is never made up, and here never missing
    assert all(f["page"] for f in data["findings"])


def test_text_finding_names_the_page_and_line(wrong_pdf):
    """A slip in the published text (2444.56 printed as 2444.65) is a lint finding on the line it is printed on."""
    report = pdfin.import_pdf(wrong_pdf)
    lines = report.pdf.text.lines
    at = next(i for i, line in enumerate(lines) if "均为 2444.56 万元" in line.text or "均为2444.56万元" in line.text)
    lines[at] = TextLine(lines[at].page, lines[at].text.replace("2444.56", "2444.65", 1), lines[at].bbox)
    slip = next(f for f in audit_report(report).findings if f.source == TEXT and "2444.65" in f.detail["sentence"])
    with pdfplumber.open(wrong_pdf) as doc:
        line = next((n, l) for n, p in enumerate(doc.pages, start=1) for l in p.extract_text_lines()
                    if "均为 2444.56 万元" in l["text"])
    assert slip.page == line[0] and slip.bbox == pytest.approx((line[1]["x0"], line[1]["top"], line[1]["x1"], line[1]["bottom"]), abs=1)
    assert slip.severity == "错误" and slip.detail["should"].startswith("应为 2,444.56万元（公开01表 收入总计")


def test_text_not_read_is_said_never_zero(books, wrong_pdf):
    """A PDF whose text is only its cover: the tables are checked, the 情况说明 is reported as not checked."""
    report = workbook.read(books["sample"])  # the sample's tables: 尾差 警告 only, no 错误
    report.pdf = PdfSource(str(wrong_pdf), 2, {}, PublishedText([TextLine(1, "子洲县医疗保障局", (0, 0, 1, 1)),
                                                                 TextLine(1, "2024年度部门决算", (0, 2, 1, 3))]))
    result = audit_report(report)
    assert result.text_checked is False and "小节标题" in result.text_problem
    assert not [f for f in result.findings if f.source == TEXT] and result.count("错误") == 0
    assert result.exit_code() == 2  # no 错误 in the tables, but the audit is not complete
    assert "情况说明未核对" in audit_mod.as_text(result)
    report.pdf = PdfSource(str(wrong_pdf), 2, {}, PublishedText([]))
    assert audit_report(report).text_problem.startswith("PDF 中表格以外没有读到文字")


# ---------------------------------------------------------------- the annotated copy

def _annotations(path: Path) -> list[tuple[int, dict]]:
    return [(n, a.get_object()) for n, page in enumerate(PdfReader(path).pages, start=1)
            for a in page.get("/Annots", []) or []]


def test_annotated_copy_one_highlight_per_finding(result, wrong_pdf, tmp_path):
    before = _digest(wrong_pdf)
    out = annotate(result, tmp_path / "标注.pdf")
    assert _digest(wrong_pdf) == before  # the original untouched
    marks = _annotations(out)
    highlights = [(n, a) for n, a in marks if a["/Subtype"] == "/Highlight"]
    assert len(highlights) == len(result.findings) > 3
    assert [n for n, _ in highlights] == sorted(f.page for f in result.findings)
    page_of = {f.page: float(PdfReader(wrong_pdf).pages[f.page - 1].mediabox.height) for f in result.findings}
    by_page = sorted(result.findings, key=lambda f: f.page)  # written in the findings' order, read back by page
    for f, (_, mark) in zip(by_page, highlights):
        assert mark["/Contents"] == f"{f.severity} {f.rule}（{f.source}）：{f.message}"
        x0, y0, x1, y1 = (float(v) for v in mark["/Rect"])
        height = page_of[f.page]  # the printed place (pdfplumber: top-left) inside the highlight (PDF: bottom-left)
        assert x0 <= f.bbox[0] and x1 >= f.bbox[2] and y0 <= height - f.bbox[3] and y1 >= height - f.bbox[1]
        assert mark["/Popup"].get_object()["/Subtype"] == "/Popup"
    assert not [a for _, a in marks if a["/Subtype"] == "/Text"]  # every finding placed: no list of the unplaced


def test_findings_without_a_place_listed_on_the_first_page(result, wrong_pdf, tmp_path):
    lost = audit_mod.AuditFinding("T01.1", "错误", TABLE, {"message": "某表合计不符", "cell": "第99页!C7"})
    shown = result.findings[:2]
    out = annotate(audit_mod.Audit(wrong_pdf, result.report, shown + [lost]), tmp_path / "标注.pdf")
    marks = _annotations(out)
    assert sum(1 for _, a in marks if a["/Subtype"] == "/Highlight") == 2
    notes = [(n, a) for n, a in marks if a["/Subtype"] == "/Text"]
    assert len(notes) == 1 and notes[0][0] == 1
    assert notes[0][1]["/Contents"] == "以下 1 条问题在 PDF 中找不到印出的位置：\n错误 T01.1（表格）：某表合计不符"


def test_rotated_page_highlight_lands_on_the_figure(result, wrong_pdf, tmp_path):
    """A table printed on a page turned by /Rotate: the highlight, in the page's unrotated space, still covers the
    figure pdfplumber shows on the turned page."""
    f = next(f for f in result.findings if f.rule == "X09")
    height = float(PdfReader(wrong_pdf).pages[f.page - 1].mediabox.height)
    ink = printed(wrong_pdf, f.page, str(NOW), same_line_as=CHANGED_CODE)[0]  # on the page as printed
    for angle in (90, 180, 270):
        rotated = tmp_path / f"转{angle}.pdf"
        writer = PdfWriter(clone_from=str(wrong_pdf))
        writer.pages[f.page - 1].rotate(angle)
        writer.write(rotated)
        with pdfplumber.open(rotated) as doc:  # the turned page's text runs in any direction: try each
            page = doc.pages[f.page - 1]
            words = [w for way, across in (("ltr", "ttb"), ("rtl", "btt"), ("ttb", "rtl"), ("btt", "ltr"))
                     for w in page.extract_words(char_dir=way, line_dir=across)]
        code = next(w for w in words if w["text"] == CHANGED_CODE)
        word = next(w for w in words if w["text"] == str(NOW)  # on the code's row, wherever it now runs
                    and (abs(w["top"] - code["top"]) < 3 or abs(w["x0"] - code["x0"]) < 3))
        moved = audit_mod.AuditFinding(f.rule, f.severity, TABLE, f.detail, f.page,
                                       (word["x0"], word["top"], word["x1"], word["bottom"]))
        out = annotate(audit_mod.Audit(rotated, result.report, [moved]), tmp_path / f"转{angle}标注.pdf")
        mark = next(a for _, a in _annotations(out) if a["/Subtype"] == "/Highlight")
        x0, y0, x1, y1 = (float(v) for v in mark["/Rect"])
        # the figure where the unrotated page prints it
        assert x0 <= ink["x0"] and x1 >= ink["x1"] and y0 <= height - ink["bottom"] and y1 >= height - ink["top"], angle
        assert x1 - x0 < 40 and y1 - y0 < 20, angle  # around that figure only


# ---------------------------------------------------------------- the command

def test_cli_json_and_annotate(wrong_pdf, tmp_path, capsys):
    out = tmp_path / "标注.pdf"
    assert cli.main(["audit", str(wrong_pdf), "--json", "--annotate", str(out)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["错误"] == 3 and data["document"]["unit"] == "子洲县医疗保障局"
    highlights = [n for n, a in _annotations(out) if a["/Subtype"] == "/Highlight"]
    assert highlights == sorted(f["page"] for f in data["findings"])
    assert cli.main(["audit", str(wrong_pdf)]) == 1
    text = capsys.readouterr().out
    page = page_of_table(wrong_pdf, "05")
    assert re.search(rf"^第{page}页!D\d+\t错误 X09（表格）：公开05表 2101101 行政单位医疗·基本支出 7.58 大于", text, re.M)
    assert "错误 3 条" in text.splitlines()[0]


def test_scanned_encrypted_and_broken_exit_2_in_one_chinese_line(wrong_pdf, tmp_path, cli):
    scanned, encrypted, broken = tmp_path / "扫描.pdf", tmp_path / "加密.pdf", tmp_path / "坏.pdf"
    blank = PdfWriter()
    blank.add_blank_page(595, 842)
    blank.write(scanned)
    locked = PdfWriter(clone_from=str(wrong_pdf))
    locked.encrypt("secret")
    locked.write(encrypted)
    broken.write_bytes(b"%PDF-1.4 not really")
    for path, says in ((scanned, "没有文字层"), (encrypted, "已加密"), (broken, "已损坏")):
        run = cli("audit", path, "--annotate", tmp_path / "标注.pdf")
        assert run.code == 2 and run.out == "", path
        err = run.err.strip()
        assert "\n" not in err and err.startswith(f"错误：文件“{path.name}”：") and says in err
        assert "Traceback" not in run.err
    assert not (tmp_path / "标注.pdf").exists()


def test_cli_refuses_in_one_chinese_line(wrong_pdf, tmp_path, capsys):
    before = _digest(wrong_pdf)
    assert cli.main(["audit", str(wrong_pdf), "--annotate", str(wrong_pdf)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.startswith("错误：") and "就是要审核的 PDF本身" in err
    assert _digest(wrong_pdf) == before
    assert cli.main(["audit", str(tmp_path / "无.pdf")]) == 2
    assert "找不到该文件" in capsys.readouterr().err


# ---------------------------------------------------------------- a folder

def test_folder_summary_rows(wrong_pdf, tmp_path, capsys):
    folder = tmp_path / "报送"
    folder.mkdir()
    for name in ("单位10.pdf", "单位2.pdf", "单位2-标注.pdf"):  # an annotated copy is not another unit
        shutil.copy(wrong_pdf, folder / name)
    blank = PdfWriter()
    blank.add_blank_page(595, 842)
    blank.write(folder / "单位3.pdf")  # a scan: no text layer
    (folder / "说明.txt").write_text("不是 PDF", encoding="utf-8")
    summary = tmp_path / "汇总.xlsx"
    assert cli.main(["audit", str(folder), "-o", str(summary), "--jobs", "2"]) == 1
    captured = capsys.readouterr()
    assert "[3/3]" in captured.err  # progress on stderr
    wb = load_workbook(summary)
    rows = [r for r in wb["批量校验汇总"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[1], r[3], r[6]) for r in rows] == [
        ("单位2.pdf", "子洲县医疗保障局", 3, "有错误"), ("单位3.pdf", None, None, "读取失败"),
        ("单位10.pdf", "子洲县医疗保障局", 3, "有错误")]
    assert rows[1][7].startswith("文件“单位3.pdf”：PDF 没有文字层")
    listed = [r for r in wb["问题清单"].iter_rows(min_row=2, values_only=True) if r[1] == "单位2.pdf"]
    one = audit_mod.audit(folder / "单位2.pdf")
    assert [(r[2], r[3], r[4], r[5]) for r in listed] == [(f.rule, f.severity, f.where, f.message) for f in one.findings]
    page = page_of_table(wrong_pdf, "05")
    assert [r[4] for r in listed if r[2] == "X09"] == [f"第{page}页!D18"]
    titles = {r[0]: r[2] for r in wb["规则统计"].iter_rows(min_row=2, values_only=True)}
    assert titles["L09"] == "未能核对" and titles["X09"]  # lint rules have their titles too


def test_a_pdf_whose_text_is_not_read_never_passes_in_a_folder(books, tmp_path, capsys):
    """Tables only (the text part cut away): the folder's summary says 情况说明未核对, not 通过, and exit 2."""
    from pypdf import PdfReader, PdfWriter

    folder = tmp_path / "报送"
    folder.mkdir()
    pdf = wrong_or_clean_pdf(books, tmp_path)
    with pdfplumber.open(pdf) as doc:  # the pages of the nine tables (each prints its 编制单位 line)
        keep = [n for n, p in enumerate(doc.pages) if "编制单位" in (p.extract_text() or "")]
    full, tables = PdfReader(pdf), PdfWriter()
    for n in keep:
        tables.add_page(full.pages[n])
    tables.write(folder / "只有表.pdf")
    summary = tmp_path / "汇总.xlsx"
    assert cli.main(["audit", str(folder), "-o", str(summary)]) == 2
    rows = [r for r in load_workbook(summary)["批量校验汇总"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[6]) for r in rows] == [("只有表.pdf", "情况说明未核对")]
    assert rows[0][7].startswith("情况说明未核对：")
    assert "1 份情况说明未核对" in capsys.readouterr().out


def wrong_or_clean_pdf(books, tmp_path) -> Path:
    from disclosure.export import export_package

    result = export_package(books["sample"], tmp_path / "包")
    return next(p for p in result.files if p.suffix == ".pdf")


def test_options_that_do_not_fit_exit_2_with_one_line(wrong_pdf, tmp_path, capsys):
    """A wrong option audits nothing: exit 2 (as an unreadable PDF), never 1, which says 错误 were found."""
    folder = tmp_path / "多份"
    folder.mkdir()
    shutil.copy(wrong_pdf, folder / "单位1.pdf")
    cases = [
        (["audit", str(wrong_pdf), "--annotate", str(tmp_path / "标注.txt")], "标注本应为 .pdf 文件"),
        (["audit", str(wrong_pdf), "-o", str(tmp_path / "汇总.xlsx")], "-o 汇总.xlsx 用于审核一个文件夹"),
        (["audit", str(wrong_pdf), "--jobs", "2"], "--jobs 只用于审核一个文件夹"),
        (["audit", str(folder), "--json"], "审核文件夹时不能用 --annotate 或 --json"),
        (["audit", str(wrong_pdf), "--annotate", str(wrong_pdf)], "要审核的 PDF"),
    ]
    for argv, says in cases:
        assert cli.main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("错误：") and says in err and err.count("\n") == 1, err
    assert not (tmp_path / "汇总.xlsx").exists() and not (tmp_path / "标注.txt").exists()


def _last_year(books, folder: Path, total: float) -> Path:
    """A “last year's” workbook for the sample: its 收入总计, 支出总计, 财政拨款收支总计 and 05 合计 at `total`
    (the sample's text says they fell 982.88 from 3,427.44), its 机关运行经费 15.26 (十: fell 4.46 to 10.80)."""
    from disclosure import workbook

    report = workbook.read(books["sample"])
    cells = [report.table("01").row("收入总计", "收入").values["决算数"].cell,
             report.table("01").row("支出总计", "支出").values["决算数"].cell,
             report.table("04").row("收入总计", "收入").values["金额"].cell,
             report.table("05").row("合计").values["小计"].cell]
    out = folder / f"上年-{total}.xlsx"
    wb = load_workbook(books["sample"])
    for c in cells:
        wb[c.sheet][c.coord] = total
    wb.save(out)
    set_cover_year(out, report.year - 1)
    (folder / "上年.yaml").write_text("机关运行经费: 15.26\n", encoding="utf-8")
    assert cli.main(["inputs", str(out), "--set-from", str(folder / "上年.yaml")]) == 0
    return out


def test_prior_checks_the_texts_comparisons_with_last_year(books, wrong_pdf, result, tmp_path):
    """--prior: last year's figures check the text's “与上年相比…” that a PDF alone leaves 未能核对 (L09) — fewer L09,
    no false 错误 with the right figures; with last year's totals other than the text implies, the changes are 错误."""
    right = audit_mod.audit(wrong_pdf, prior=_last_year(books, tmp_path, 3427.44))
    text = [f for f in right.findings if f.source == audit_mod.TEXT]
    before = [f for f in result.findings if f.source == audit_mod.TEXT and f.rule == "L09"]
    assert not [f for f in text if f.severity == "错误" and f.rule != "L14"]
    assert len([f for f in text if f.rule == "L09"]) < len(before)
    assert any("982.88" in f.detail.get("sentence", "") for f in before)
    assert not [f for f in text if f.rule == "L09" and "982.88" in f.detail.get("says", "")]
    # the heading says how many are 未能核对 and, while 上年 is lacking, that --prior checks them
    note = audit_mod.unchecked_note(result)
    assert note.startswith(f"{len(before)} 条提示为“未能核对”（L09）：所需的数这份 PDF 的表格中没有")
    assert "--prior 上年公开.pdf" in note and f"注意：{note}" in audit_mod.as_text(result)
    assert any("缺计算所需的数据：上年决算 收入总计" in f.message for f in before)  # each says what it lacks
    lacking_last_year = [f for f in text if f.rule == "L09" and "上年" in f.message]
    assert ("--prior" in audit_mod.unchecked_note(right)) == bool(lacking_last_year)
    wrong = audit_mod.audit(wrong_pdf, prior=_last_year(books, tmp_path, 3400.00))
    l01 = [f for f in wrong.findings if f.rule == "L01" and f.severity == "错误"]
    assert l01 and all(f.page for f in l01)
    assert {f.detail["says"] for f in l01} >= {"982.88万元", "28.68%"}
    assert any("应为 955.44万元" in f.detail["should"] for f in l01)


def test_prior_is_for_one_pdf_and_must_exist(wrong_pdf, tmp_path, capsys):
    folder = tmp_path / "多份"
    folder.mkdir()
    shutil.copy(wrong_pdf, folder / "单位1.pdf")
    assert cli.main(["audit", str(folder), "--prior", str(wrong_pdf)]) == 2
    assert "--prior 用于审核一份 PDF" in capsys.readouterr().err
    assert cli.main(["audit", str(wrong_pdf), "--prior", str(tmp_path / "无.pdf")]) == 2
    assert "找不到该文件（--prior" in capsys.readouterr().err


def test_this_years_own_document_is_refused_as_last_years(books, wrong_pdf, capsys):
    """Given for “last year”, this year's own workbook (or PDF) would make every 与上年相比 change an 错误 (应为 0):
    refused, naming both years."""
    assert cli.main(["audit", str(wrong_pdf), "--prior", str(books["sample"])]) == 2
    assert capsys.readouterr().err == ("错误：所给的上年工作簿与审核的 PDF 同是 2024 年度的：请选择 2023 年度的公开 PDF 或工作簿"
                                       "（用本年的数作上年数，“与上年相比”的增减会都算成 0）\n")
    assert cli.main(["audit", str(wrong_pdf), "--prior", str(wrong_pdf)]) == 2
    assert "所给的上年 PDF 与审核的 PDF 同是 2024 年度的" in capsys.readouterr().err
