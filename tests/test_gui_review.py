"""A published PDF reviewed in the desktop window, read-only (issue 22; pytest-qt, offscreen): the start page opens
it, the audit runs off the UI thread, the page shows every finding with its page, the tables with the changed cell
marked, the text with the finding's sentence marked, and writes the annotated copy where the officer says."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import build_sample_book, set_cover_year
from test_gui import window  # noqa: F401  (fixture: the window)

WAIT = 60_000


@pytest.fixture(scope="module")
def wrong_pdf(tmp_path_factory) -> Path:
    """The sample's package with 公开05表!D18 1.58 → 7.58 (the three 错误 it makes acknowledged, so the package is
    made as for publication)."""
    from disclosure.acks import acknowledge
    from disclosure.export import export_package

    folder = tmp_path_factory.mktemp("review")
    book = build_sample_book(folder / "错.xlsx")
    wb = load_workbook(book)
    wb["公开05表"]["D18"] = 7.58
    wb.save(book)
    for target in ("T05.1@公开05表!C18", "T05.2@公开05表!D17", "X09@公开05表!D18"):
        acknowledge(book, target, "已核实")
    result = export_package(book, folder / "包")
    return next(p for p in result.files if p.suffix == ".pdf")


def test_a_pdf_is_reviewed_read_only_with_pages_tables_and_text(qtbot, window, wrong_pdf, tmp_path, monkeypatch):
    pdf = tmp_path / "公开.pdf"
    shutil.copy(wrong_pdf, pdf)
    before = hashlib.sha256(pdf.read_bytes()).hexdigest()
    window.review_pdf(pdf)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.review, timeout=WAIT)
    page = window.review
    audit = page.audit
    assert window.windowTitle().startswith("审核：公开.pdf（只读）")
    assert "子洲县医疗保障局 2024 年度部门决算（陕西，2024 表样" in page.summary.text()
    assert audit.notes == [] and "绩效自评表" not in page.summary.text()  # the sample prints none
    unchecked = sum(1 for f in audit.findings if f.rule == "L09")
    assert unchecked and f"{unchecked} 条提示为“未能核对”（L09）" in page.summary.text()
    assert "--prior" not in page.summary.text() and "即可核对（“对照上年文件…”）" in page.summary.text()  # its button
    assert page.findings.rowCount() == len(audit.findings) > 0
    rows = [[page.findings.item(r, c).text() for c in range(6)] for r in range(page.findings.rowCount())]
    t051 = next(r for r in rows if r[2] == "T05.1")
    assert t051[0].isdigit() and t051[1] == "错误"  # its page
    # 表格: the table of the changed figure, the cell of 7.58 marked in the 错误 colour
    tab = next(i for i in range(page.tables.count()) if page.tables.tabText(i) == "公开05表")
    view = page.tables.widget(tab)
    marked = [view.item(r, c) for r in range(view.rowCount()) for c in range(view.columnCount())
              if view.item(r, c) and view.item(r, c).text() == "7.58"]
    assert len(marked) == 1 and marked[0].background().color().name().upper() == "#FFC7CE"
    assert "第" in marked[0].toolTip()
    # 原文: every line of the text, page by page
    assert "— 第1页 —" in page.text.toPlainText() and "收入决算情况说明" in page.text.toPlainText()
    # 另存标注 PDF: one highlight per finding, the PDF under review untouched
    out = tmp_path / "标注.pdf"
    monkeypatch.setattr("gui.window.QFileDialog.getSaveFileName", lambda *a, **k: (str(out), ""))
    page.annotate_button.click()
    qtbot.waitUntil(lambda: out.exists() and "已写出标注 PDF" in window.statusBar().currentMessage(), timeout=WAIT)
    annotations = [a.get_object() for p in PdfReader(out).pages for a in (p.get("/Annots") or [])]
    assert sum(1 for a in annotations if a.get("/Subtype") == "/Highlight") == len(audit.findings)
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == before
    page.back_button.click()
    assert window.stack.currentWidget() is window.start
    audit.notes.append("第 16–25 页印有绩效自评表：本工具尚未从 PDF 读取绩效自评表")  # what audit() says of one that does
    page.show_audit(audit)
    assert "第 16–25 页印有绩效自评表" in page.summary.text()


def test_last_years_document_checks_the_comparisons_with_last_year(qtbot, window, wrong_pdf, tmp_path, monkeypatch):
    """对照上年文件…: the PDF audited again with last year's workbook — the text's “与上年相比” figures, 未能核对
    before, are checked now (here against a last year equal to this one: its “减少982.88万元” is an 错误)."""
    pdf = tmp_path / "公开.pdf"
    shutil.copy(wrong_pdf, pdf)
    last_year = set_cover_year(build_sample_book(tmp_path / "上年.xlsx"), 2023)
    window.review_pdf(pdf)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.review and not window.busy, timeout=WAIT)
    page = window.review
    before = [f for f in page.audit.findings if f.rule == "L09"]
    assert "对照上年文件…" in page.summary.text() and any("上年" in f.message for f in before)
    monkeypatch.setattr("gui.window.QFileDialog.getOpenFileName", lambda *a, **k: (str(last_year), ""))
    first = page.audit
    page.prior_button.click()
    qtbot.waitUntil(lambda: page.audit is not first and not window.busy, timeout=WAIT)
    after = page.audit
    assert after.prior == last_year and "已对照上年：上年.xlsx" in page.summary.text()
    assert len([f for f in after.findings if f.rule == "L09"]) < len(before)
    assert not [f for f in after.findings if f.rule == "L09" and f.detail["section"] == "一"]  # 收入总计's change
    assert any(f.rule == "L01" and "982.88万元" in f.detail["says"] and f.detail["section"] == "一" for f in after.findings)
    assert "对照上年文件…" not in page.summary.text()  # given: not asked for again


def test_a_scanned_pdf_is_one_chinese_message(qtbot, window, wrong_pdf, tmp_path):
    from pdffixtures import scanned

    bad = scanned(wrong_pdf, tmp_path / "扫描件.pdf")
    window.review_pdf(bad)
    qtbot.waitUntil(lambda: "审核 扫描件.pdf未完成" in getattr(window, "last_error", ""), timeout=WAIT)
    assert "扫描" in window.last_error and window.stack.currentWidget() is not window.review


def test_the_start_page_offers_the_review(window):
    assert window.start.review_button.text().startswith("审核公开 PDF")


def test_the_perf_tables_of_a_pdf_are_shown_with_their_findings_marked(qtbot, window, tmp_path):
    """A PDF printing 绩效自评表: each read one has its tab (绩效-整体, 绩效-项目1 …) drawn as the package draws it,
    the cells of the P findings marked with their page; double-clicking such a finding opens its table."""
    from pdffixtures import perf_package

    _, pdf = perf_package(tmp_path)
    window.review_pdf(pdf)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.review and window.review.audit is not None,
                    timeout=WAIT)
    page = window.review
    tabs = [page.tables.tabText(i) for i in range(page.tables.count())]
    assert tabs[-10:] == ["绩效-整体"] + [f"绩效-项目{n}" for n in range(1, 10)]
    p = next(n for n, f in enumerate(page.audit.findings) if f.rule.startswith("P") and f.detail.get("cell"))
    finding = page.audit.findings[p]
    page._show_finding(p, 0)
    view = page.tables.currentWidget()
    assert page.tabs.currentWidget() is page.tables and page.tables.tabText(page.tables.currentIndex()).startswith("绩效")
    marked = [view.item(r, c) for r in range(view.rowCount()) for c in range(view.columnCount())
              if view.item(r, c) and view.item(r, c).toolTip().startswith(finding.detail["cell"])]
    assert marked and f"（第{finding.page}页）" in marked[0].toolTip()
    page.back_button.click()
