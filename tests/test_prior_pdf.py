"""Last year's published PDF as this year's start (issue 22): `import --prior 上年.pdf` and `inputs --prior 上年.pdf`
fill the 上年 figures from its tables and the 概况, 单位构成 and 联系电话 from its text, and put last year's reasons
in the 原因说明 sheet's reference column — never into this year's 原因 column."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from conftest import SAMPLE, SAMPLE_INPUTS, build_sample_book, set_cover_year
from disclosure import workbook
from pdffixtures import package_pdf


def _words(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace() and not unicodedata.category(ch).startswith("P"))


@pytest.fixture(scope="module")
def last_year_pdf(tmp_path_factory) -> Path:
    """The bundled sample's package (its 说明数据 filled, reasons included) printed to PDF: "last year's" document."""
    folder = tmp_path_factory.mktemp("prior-pdf")
    # a year before both years it is last year to here (seed 001 is a 2023 document, the sample a 2024 one)
    return package_pdf(set_cover_year(build_sample_book(folder / "上年.xlsx"), 2022), folder / "包")


def test_import_with_last_years_pdf_fills_figures_texts_and_offers_reasons(last_year_pdf, export001, tmp_path, cli):
    """This year: seed 001's tables (other figures than the sample's, so this year's text has changes to
    explain); last year: the sample's published PDF."""
    book = tmp_path / "今年.xlsx"
    result = cli("import", export001, "-o", book, "--prior", last_year_pdf)
    assert result.code == 0, result.err
    report = workbook.read(book)
    inputs = report.inputs
    assert inputs.get("上年.收入总计") == Decimal("2444.56") and inputs.get("上年.支出总计") == Decimal("2444.56")
    assert inputs.get("上年.一般公共预算财政拨款支出") == Decimal("2444.56")  # the sample's 05 合计
    assert inputs.get("单位构成") == ["子洲县医疗保障局", "子洲县医疗保险经办中心", "子洲县医疗保障基金安全防控中心"]
    typed = yaml.safe_load(SAMPLE_INPUTS.read_text(encoding="utf-8"))
    assert inputs.get("联系电话") == str(typed["联系电话"])
    # as printed: LibreOffice leaves a comma hung past a line's end out of the PDF, so compare the words
    assert _words(str(inputs.get("主要职责")).splitlines()[0]) == _words(str(typed["主要职责"]).splitlines()[0])
    # last year's reasons: a reference column beside this year's, this year's 原因 left empty
    ws = load_workbook(book)["原因说明"]
    assert ws.cell(3, 4).value.startswith("上年的写法")
    offered = {ws.cell(r, 1).value: (ws.cell(r, 3).value, ws.cell(r, 4).value) for r in range(4, ws.max_row + 1)}
    assert offered and all(reason is None for reason, _ in offered.values())
    # a reason is offered only where last year's sentence is about the same thing: none for 三公, 会议费 …
    assert not [k for k, (_, earlier) in offered.items() if earlier and ("会议费" in k or "三公" in k or "公务" in k)]
    assert offered["收支总计"][1].startswith("与上年相比，收入总计、支出总计减少982.88万元")
    assert "有退休人员" in offered["收支总计"][1]
    assert not [k for k in inputs.values if k.startswith("原因.")]


def test_inputs_prior_pdf_on_an_existing_workbook(last_year_pdf, tmp_path, cli):
    book = build_sample_book(tmp_path / "今年.xlsx")
    before = workbook.read(book).inputs.get("原因.收支总计")
    result = cli("inputs", book, "--prior", last_year_pdf)
    assert result.code == 0, result.err
    after = workbook.read(book).inputs
    assert after.get("原因.收支总计") == before  # this year's reason as the officer typed it
    assert after.get("上年.收入总计") == Decimal("2444.56")


def test_a_scanned_or_foreign_prior_is_one_chinese_line(tmp_path, cli, last_year_pdf):
    from pdffixtures import scanned

    bad = scanned(last_year_pdf, tmp_path / "扫描.pdf")
    result = cli("import", SAMPLE, "-o", tmp_path / "x.xlsx", "--prior", bad)
    assert result.code == 2 and "扫描" in result.err and "Traceback" not in result.err  # as `import 扫描.pdf`
    assert not (tmp_path / "x.xlsx").exists()


def test_a_workbook_once_imported_from_a_pdf_gives_what_the_officer_typed(last_year_pdf, tmp_path, cli):
    """Last year's workbook, made from last year's PDF and corrected since: --prior takes its 说明数据, not the
    words of the PDF it was once read from (kept in its _公开原文 sheet)."""
    last = tmp_path / "上年.xlsx"
    assert cli("import", last_year_pdf, "-o", last).code == 0
    typed = _typed(tmp_path, {"主要职责": "手工改过的职责。", "联系电话": "0912-1234567"})
    assert cli("inputs", last, "--set-from", typed).code == 0
    this = build_sample_book(tmp_path / "今年.xlsx")
    assert cli("inputs", this, "--prior", last).code == 0
    inputs = workbook.read(this).inputs
    assert inputs.get("主要职责") == "手工改过的职责。" and inputs.get("联系电话") == "0912-1234567"


def _typed(folder: Path, values: dict) -> Path:
    path = folder / "改.yaml"
    path.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
    return path


def test_the_window_shows_last_years_reason_beside_the_one_to_write(qtbot, last_year_pdf, export001, tmp_path, cli):
    """The 原因说明 tab: last year's words for the same change in the item's tip, this year's 原因 left empty."""
    from PySide6.QtCore import QSettings, Qt

    from gui.window import MainWindow

    book = tmp_path / "今年.xlsx"
    assert cli("import", export001, "-o", book, "--prior", last_year_pdf).code == 0
    window = MainWindow(QSettings(str(tmp_path / "gui.ini"), QSettings.IniFormat))
    qtbot.addWidget(window)
    window.open_path(book)
    qtbot.waitUntil(lambda: window.session is not None and window.session.path == book, timeout=60_000)
    model = window.inputs.reasons
    row = next(i for i, r in enumerate(model.rows) if r.key == "原因.收支总计")
    tip = model.index(row, 0).data(Qt.ToolTipRole)
    assert "上年的写法（参考，不会自动采用）：与上年相比，收入总计、支出总计减少982.88万元" in tip
    assert model.index(row, 1).data(Qt.DisplayRole) == ""
