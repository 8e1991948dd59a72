"""Amount parsing: numbers or text from cells into Decimal; never float arithmetic."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disclosure.amounts import AmountError, parse_amount, to_plain


@pytest.mark.parametrize("raw,want", [
    (None, "0"), ("", "0"), ("  ", "0"), ("-", "0"), ("—", "0"), ("0.00", "0"),
    ("1,081.56", "1081.56"), (" 2,444.56 ", "2444.56"), ("１０８１．５６", "1081.56"), ("\u30005.00", "5.00"),
    (2444.56, "2444.56"), (198.46000000000001, "198.46"), (0.1 + 0.2, "0.3"), (1890, "1890"),
    ("(12.50)", "-12.50"), ("-3.2", "-3.2"), (Decimal("7.10"), "7.10"),
    ("(1,890.62)", "-1890.62"), ("-12,345", "-12345"), ("12,345,678.9", "12345678.9"), ("１，０８１．５６", "1081.56"),
    # spaces that split no number: around the text, after a sign or "(", before ")", beside a comma, as thousands
    ("- 5.00", "-5.00"), ("( 1.00 )", "-1.00"), ("1, 234.56", "1234.56"), ("1 234 567.89", "1234567.89"),
    ("１\u3000２３４.５", "1234.5"), ("\xa0812.45\t", "812.45"),
])
def test_parse_amount(raw, want):
    assert parse_amount(raw) == Decimal(want)


@pytest.mark.parametrize("raw", ["约5万", "5万元", "1.2.3", "abc", "12,34a", True])
def test_parse_amount_refuses_text(raw):
    with pytest.raises(AmountError):
        parse_amount(raw)


@pytest.mark.parametrize("raw", ["81 2.45", "812. 45", "1 2", "12 345 6.00", "1 234 56", "3.5 4.5", "- 5 .00"])
def test_spaces_inside_a_number_are_refused_not_joined(raw):
    """“81 2.45” joined would be 812.45 — a number nobody typed, or two that were: refused, saying so."""
    with pytest.raises(AmountError, match="中间有空格"):
        parse_amount(raw)


@pytest.mark.parametrize("raw", ["1890,62", "18,90.62", "1,8906.2", "12,34"])
def test_a_misplaced_comma_is_refused_not_dropped(raw):
    """“1890,62” (a decimal comma) read with its comma dropped would be 189,062.00; “18,90.62” happens to be right
    but is as likely a slip: both are refused, saying where commas go."""
    with pytest.raises(AmountError, match="逗号位置不对"):
        parse_amount(raw)


@pytest.mark.parametrize("value,text", [(Decimal("5"), "5.00"), (Decimal("2444.56"), "2444.56"),
                                        (Decimal("0"), "0.00"), (Decimal("-0.00"), "0.00"),
                                        (Decimal("0.244456"), "0.244456")])
def test_to_plain(value, text):
    assert to_plain(value) == text


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_text_with_thousands_separators_round_trips(value):
    assert parse_amount(f"{value:,.2f}") == value
    assert parse_amount(to_plain(value)) == value


def test_a_spaced_amount_in_a_workbook_is_refused_naming_its_cell(tmp_path):
    """Through the reader: 公开05表!D7 typed as text “48 5.52” (485.52 with a stray space) stops the read with
    the sheet and cell, instead of being read as 485.52 — or as 4,855.2 had the space fallen elsewhere."""
    from openpyxl import load_workbook

    from conftest import build_sample_book
    from disclosure import workbook
    from disclosure.errors import InputError

    book = build_sample_book(tmp_path / "sample.xlsx")
    wb = load_workbook(book)
    assert wb["公开05表"]["D7"].value == 485.52
    wb["公开05表"]["D7"] = "48 5.52"
    wb.save(book)
    with pytest.raises(InputError) as raised:
        workbook.read(book)
    told = str(raised.value)
    assert "公开05表" in told and "D7" in told and "“48 5.52”中间有空格" in told


@given(st.text(alphabet="0123456789 ,.()-+\u3000\xa0１２", max_size=16))
def test_any_text_of_digits_and_marks_is_read_whole_or_refused(raw):
    """Whatever a cell holds of digits, spaces and marks: an AmountError, or an amount with exactly its digits in
    order (nothing dropped) where a space between two digits only ever separated thousands — never "81 2.45"
    read as 812.45, never another exception."""
    import unicodedata

    try:
        value = parse_amount(raw)
    except AmountError:
        return
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", raw)).strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    assert digits.strip("0") == "".join(ch for ch in str(abs(value)) if ch.isdigit()).strip("0")
    whole, _, decimals = text.partition(".")
    assert all(len(run) == 3 for run in re.findall(r"(?<=\d) (\d+)", whole)), (raw, value)
    assert not re.search(r"\d \d", decimals), (raw, value)
