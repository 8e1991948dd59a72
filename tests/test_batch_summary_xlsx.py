"""The batch summary written as XML strings (summaryxlsx.py) reads back, through openpyxl, as the frames it
was written from: every text as text (also one that looks like a formula or an error value), spaces and line
breaks kept, control characters replaced, an over-long text cut; numbers as numbers, missing counts empty;
the header bold on grey, the note line red, the chosen cells filled red, the header frozen and filtered."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from disclosure import batch, batchsummary
from disclosure.batch import FAILED, HAS_ERRORS, OK, BatchRow
from disclosure.cells import EXCEL_CELL_LIMIT

ODD = ["  leading", "trailing ", "two\r\nlines", "a & b < c > d \"q\" 'a'", "=SUM(A1)", "#N/A", "+1", "@x",
       "ctl\x01\x07here", "tab\there", "😀 emoji", "名\udce9称", "\ufffe\uffff", "长" * (EXCEL_CELL_LIMIT + 10), "", " ", "普通的中文说明"]


def _rows() -> list[BatchRow]:
    rows = []
    for i, text in enumerate(ODD, start=1):
        status = (OK, HAS_ERRORS, FAILED)[i % 3]
        rows.append(BatchRow(Path(f"单位{i}.xlsx"), unit=text, year=None if status == FAILED else 2024,
                             errors=int(status == HAS_ERRORS), warnings=i, status=status, detail=text,
                             findings=() if status == FAILED else
                             (("T05.1" if status == HAS_ERRORS else "T02.2", "错误" if status == HAS_ERRORS else "警告",
                               f"公开05表!C{i}", text),)))
    return rows


def _held(value):
    """What a cell can hold of a text: as batchsummary writes it."""
    if not isinstance(value, str):
        return value
    # control characters, lone surrogates (an undecodable byte of a file name), U+FFFE/U+FFFF: no XML characters
    value = "".join("\ufffd" if ord(ch) < 32 and ch not in "\t\n\r" or 0xD800 <= ord(ch) <= 0xDFFF
                    or ch in "\ufffe\uffff" else ch for ch in value)
    value = value if len(value) <= EXCEL_CELL_LIMIT else value[:EXCEL_CELL_LIMIT - 1] + "…"
    return value or None  # an empty text reads back as an empty cell


@pytest.mark.parametrize("note", ["", "已中断：完成 3 / 共 9 个"])
def test_the_summary_reads_back_as_its_frames(tmp_path, note):
    rows = _rows()
    tables = batchsummary.frames(rows)
    path = batchsummary.write(rows, tmp_path / "汇总.xlsx", note=note, tables=tables)
    assert batch.is_summary(path)
    wb = load_workbook(path)
    assert wb.properties.title == batch.SUMMARY_TITLE
    header = 2 if note else 1
    for (title, columns), frame in ((batchsummary.DEPARTMENTS, tables.departments),
                                    (batchsummary.FINDINGS, tables.findings),
                                    (batchsummary.BY_RULE, tables.by_rule),
                                    (batchsummary.BY_DEPARTMENT, tables.by_department)):
        ws = wb[title]
        if note:
            assert ws["A1"].value == note and ws["A1"].font.color.rgb == "00C00000" and ws["A1"].font.b
        assert [c.value for c in ws[header]] == [name for name, _ in columns]
        assert all(c.font.b and c.fill.fgColor.rgb == "00D9D9D9" for c in ws[header])
        assert ws.freeze_panes == f"A{header + 1}"
        assert ws.auto_filter.ref == f"A{header}:{chr(64 + len(columns))}{header + max(1, len(frame))}"
        assert [ws.column_dimensions[chr(65 + i)].width for i in range(len(columns))] == [w for _, w in columns]
        got = [[c.value for c in r] for r in ws.iter_rows(min_row=header + 1, max_col=len(columns))]
        want = [[_held(batchsummary._plain(v)) for v in row] for row in frame.itertuples(index=False, name=None)]
        assert got == want, title
        assert all(c.data_type == "s" for r in ws.iter_rows(min_row=header + 1) for c in r if isinstance(c.value, str))
    status = wb[batch.SUMMARY_TITLE]
    red = [r[0].value for r in status.iter_rows(min_row=header + 1) if r[6].fill.fgColor.rgb == "00FFC7CE"]
    assert red == [r.file.name for r in rows if r.status in (HAS_ERRORS, FAILED)]
    findings = wb["问题清单"]
    red = [r[4].value for r in findings.iter_rows(min_row=header + 1) if r[3].fill.fgColor.rgb == "00FFC7CE"]
    assert red == [f[2] for r in rows for f in r.findings if f[1] == "错误"] and red


def test_an_empty_batch_writes_the_headers_only(tmp_path):
    wb = load_workbook(batchsummary.write([], tmp_path / "汇总.xlsx"))
    assert [ws.max_row for ws in wb] == [1, 1, 1, 1]
    assert wb["问题清单"].auto_filter.ref == "A1:F2"
