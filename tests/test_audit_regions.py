"""A published PDF of every region and kind audits as its workbook checks: our own packages of the 内蒙古 seed,
the 上海 reference and the 陕西 预算 seed, printed to PDF, read back by `audit` — the same table findings as
`check` on the workbook (by rule and figure), each on the page of its table, and a text that reads (no
"情况说明未核对", no false 错误 where the text is the one we generated)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from disclosure import workbook
from disclosure.audit import TABLE, TEXT, audit
from disclosure.checks import run
from disclosure.export import export_package
from disclosure.importers.export import import_export


def _package_pdf(report, folder: Path) -> tuple[Path, Path]:
    book = workbook.save_atomic(workbook.build(report.spec, report), folder / "工作簿.xlsx")
    result = export_package(book, folder / "包", force=True)
    return book, next(p for p in result.files if p.suffix == ".pdf")


@pytest.fixture(scope="module", params=["内蒙古", "上海", "陕西预算"])
def printed(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("audit-" + request.param)
    if request.param == "内蒙古":
        import seed003_book

        report = seed003_book.report(folder)
    elif request.param == "上海":
        import putuo_text
        from putuo_workbook import build

        report = import_export(build(folder / "导出.xlsx"))
        report.inputs = putuo_text.inputs(report)
    else:
        import budgetexport

        budgetexport.write_export(folder / "预算导出.xlsx")
        report = import_export(folder / "预算导出.xlsx")
    book, pdf = _package_pdf(report, folder)
    return request.param, book, pdf


def test_each_regions_pdf_audits_as_its_workbook_checks(printed):
    region, book, pdf = printed
    result = audit(pdf)
    expected_region = "陕西" if region == "陕西预算" else region
    assert result.document["region"] == expected_region and result.document["pages"] > 5
    # P rules too: the 绩效自评表 the package prints inside its text read back from the PDF (内蒙古's five, one going
    # on over a page where its last columns are split finer: 得分 | 偏差原因 under one merged cell above); where
    # some could not be read, the audit says so
    expected = workbook.read(book)
    perf_read = result.report.perf is not None
    assert perf_read == bool(expected.perf), result.notes
    ours = [f for f in run(expected) if f.table not in ("说明数据", "原因说明") and (perf_read or not f.rule.startswith("P"))]
    found = [f for f in result.findings if f.source == TABLE]
    if expected.perf and not perf_read:
        assert len(result.notes) == 1 and "印有绩效自评表，未能从 PDF 读取" in result.notes[0]
    elif expected.perf:
        assert len(result.report.perf.tables) == len(expected.perf.tables) and not result.notes
    assert Counter((f.rule, f.severity) for f in found) == Counter((f.rule, f.severity) for f in ours)
    assert all(f.page for f in found if f.detail.get("cell"))  # every table finding on its page
    assert result.text_checked, result.text_problem
    # the text is ours: its only 错误 are the placeholders still in it (L14 【待填写：…】 — true errors of a text
    # about to be published), each on the line it is printed on
    errors = [f for f in result.findings if f.source == TEXT and f.severity == "错误"]
    false = [f for f in errors if not (f.rule == "L14" and "待填写" in f.detail.get("sentence", ""))]
    assert not false, [(f.rule, f.detail.get("says"), f.detail.get("sentence", "")[:60]) for f in false]
    assert all(f.page for f in errors)
