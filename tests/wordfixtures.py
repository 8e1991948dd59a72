"""Reading back the Word tables of an exported document, for the export tests."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from docx.oxml.ns import qn

AMOUNT = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d\d$")


def cell_texts(table) -> list[list[str]]:
    """Text of each real cell (a merged cell once), row by row."""
    return [["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]


def printed_amounts(table) -> Counter:
    return Counter(t for row in cell_texts(table) for t in row if AMOUNT.match(t))


def workbook_amounts(table) -> Counter:
    """Every non-zero amount of a model Table as the document prints it (zeros print blank)."""
    return Counter(money(v.amount) for r in table.rows for v in r.values.values() if v.amount != 0)


def money(v: Decimal) -> str:
    return f"{v:,.2f}"
