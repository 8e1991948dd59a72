"""尾差 as the 部门决算软件 makes it: amounts kept in 元, every printed cell rounded to 0.01 万元 on its own.

Random consistent reports (tests/consistent.py) are re-read as 元 amounts, then rounded cell by cell; the
checks may warn (尾差) but must never say 错误. A program that prints a 类 as the sum of its rounded 款
(while another table rounds the same 类 from 元) differs between tables by more than 0.01: still a 尾差.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure.checks import ERROR, WARNING, run
from disclosure.model import Value
from consistent import consistent_reports

CENT = Decimal("0.01")
UNCHECKED = {("09", "会议费"), ("09", "培训费")}  # as in test_checks_property: they enter no sum


def rounded_from_yuan(report, yuan_per_cent: int):
    """Every amount a as (a × 100 × k) 元, printed in 万元 rounded half-up: independent rounding per cell.
    k ≥ 50 keeps every non-blank amount non-blank after rounding (as the software prints it)."""
    for t in report.tables.values():
        for row in t.rows:
            for col, v in row.values.items():
                yuan = v.amount.scaleb(2) * yuan_per_cent
                row.values[col] = Value((yuan / 10000).quantize(CENT, ROUND_HALF_UP), v.cell)
    return report


def resum_parents_from_rounded(table):
    """What a program does that prints each 类/款 as the sum of the rounded rows under it."""
    rows = {r.code: r for r in table.code_rows()}
    for length in (5, 3):
        for code, row in rows.items():
            if len(code) != length:
                continue
            children = [r for c, r in rows.items() if len(c) == length + 2 and c.startswith(code)]
            for col, v in row.values.items():
                row.values[col] = Value(sum((r.amount(col) for r in children), Decimal(0)), v.cell)
    total = table.row("合计")
    for col, v in total.values.items():
        total.values[col] = Value(sum((r.amount(col) for r in rows.values() if len(r.code) == 3), Decimal(0)),
                                  v.cell)


@settings(max_examples=60, deadline=None)
@given(consistent_reports(), st.integers(50, 9999))
def test_cells_rounded_independently_from_yuan_give_no_error(report, k):
    findings = run(rounded_from_yuan(report, k))
    errors = [f.message for f in findings if f.severity == ERROR]
    assert errors == []
    assert all("尾差" in f.message for f in findings if f.severity == WARNING and f.rule[0] in "TX")


@settings(max_examples=40, deadline=None)
@given(consistent_reports(), st.integers(50, 9999), st.sampled_from(["03", "02", "05"]))
def test_a_table_printing_sums_of_rounded_rows_gives_no_error(report, k, tid):
    report = rounded_from_yuan(report, k)
    resum_parents_from_rounded(report.table(tid))
    assert [f.message for f in run(report) if f.severity == ERROR] == []


@settings(max_examples=100, deadline=None)
@given(report=consistent_reports(), k=st.integers(50, 9999), data=st.data())
def test_a_real_change_on_a_rounded_report_is_still_an_error(report, k, data):
    """Rounding leaves sums up to n × 0.005 ≤ 0.045 off (≤ 9 parts); a change of 0.10 or more cannot hide in it."""
    report = rounded_from_yuan(report, k)
    targets = [(tid, row, col) for tid, t in report.tables.items() for row in t.rows
               for col in row.values if (tid, col) not in UNCHECKED]
    tid, row, col = data.draw(st.sampled_from(targets), label="cell")
    delta = data.draw(st.integers(10, 100_000).map(lambda c: Decimal(c).scaleb(-2)), label="delta")
    old = row.values[col]
    row.values[col] = Value(old.amount + delta, old.cell)
    errors = [f for f in run(report) if f.severity == ERROR and old.cell in f.cells]
    assert errors, f"changing {old.cell} ({tid} {row.name} {col}) by {delta} went unnoticed"


def _one_class_report():
    """A fixed example: 03 prints 类 208 as 197.78 + 0.68 = 198.46 while 01 rounds it from 元 to 198.45."""
    from hypothesis import find

    return find(consistent_reports(), lambda r: any(len(x.code) == 3 for x in r.table("03").code_rows()))


def test_01_and_03_differ_by_a_cent_for_the_same_class_is_a_warning_not_an_error():
    report = _one_class_report()
    t03 = report.table("03")
    cls = next(r for r in t03.code_rows() if len(r.code) == 3)
    row01 = next(r for r in report.table("01").rows if r.code == cls.code)
    v = row01.values["决算数"]
    row01.values["决算数"] = Value(v.amount + CENT, v.cell)
    x03 = [f for f in run(report) if f.rule == "X03"]
    assert [f.severity for f in x03] == [WARNING]
    f = x03[0]
    assert f.cell == t03.row(cls.code).values["本年支出合计"].cell
    assert "尾差" in f.message and "相差 -0.01" in f.message and "±0.01" in f.message

    row01.values["决算数"] = Value(v.amount + Decimal("0.05"), v.cell)
    x03 = [f for f in run(report) if f.rule == "X03"]
    assert [f.severity for f in x03] == [ERROR]
    assert "超出尾差范围" in x03[0].message


def test_a_workbook_whose_only_differences_are_rounding_checks_clean_and_exports(tmp_path, cli):
    """The real case: the department's 01表 prints a 类 0.01 off its 03表 (each rounded from 元 on its own)."""
    from openpyxl import load_workbook

    from conftest import build_sample_book
    from disclosure import workbook

    book = build_sample_book(tmp_path / "样例.xlsx")
    report = workbook.read(book)
    row01 = next(r for r in report.table("01").rows if r.code == "210" and r.amount("决算数") != 0)
    cell = row01.values["决算数"].cell
    wb = load_workbook(book)
    wb[cell.sheet][cell.coord].value = row01.amount("决算数") + CENT
    wb.save(book)

    result = cli("check", book, "--json")
    assert result.code == 0, result.out + result.err
    import json
    x03 = [f for f in json.loads(result.out) if f["rule"] == "X03"]
    assert len(x03) == 1 and x03[0]["severity"] == WARNING and x03[0]["difference"] == "-0.01"
    assert str(cell) in x03[0]["cells"]

    out = tmp_path / "公开包"
    result = cli("export", book, "-o", out, "--no-pdf")
    assert result.code == 0, result.out + result.err
    assert any(p.suffix == ".docx" for p in out.iterdir())
