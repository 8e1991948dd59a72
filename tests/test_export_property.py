"""Property tests of the export on random consistent reports (tests/consistent.py): whatever the rows,
the Word tables print every amount of the workbook, and 公开表.xlsx reads back as the same tables."""

from __future__ import annotations

import tempfile
from pathlib import Path

from docx import Document as open_docx
from hypothesis import HealthCheck, given, settings

from consistent import consistent_reports
from disclosure.export.sheets import write_tables_xlsx
from disclosure.export.word import write_docx
from disclosure.importers.export import import_export
from disclosure.narrative.render import render, style_config
from wordfixtures import printed_amounts, workbook_amounts


def _values(report) -> dict:
    return {tid: {(r.side, r.key, r.code): {k: v.amount for k, v in r.values.items() if v.amount != 0}
                  for r in t.rows if not r.is_empty}
            for tid, t in report.tables.items()}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports())
def test_word_and_print_tables_hold_every_amount(report):
    config = style_config("shaanxi")
    with tempfile.TemporaryDirectory() as folder:
        docx = write_docx(report, render(report), config, {}, Path(folder) / "d.docx")
        tables = open_docx(str(docx)).tables[1:]
        for (tid, table), word_table in zip(sorted(report.tables.items()), tables):
            assert printed_amounts(word_table) == workbook_amounts(table), f"公开{tid}表"
        sheets = write_tables_xlsx(report, config, Path(folder) / "t.xlsx")
        assert _values(import_export(sheets)) == _values(report)
