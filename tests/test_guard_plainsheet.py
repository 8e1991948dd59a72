"""guard.py reads a worksheet part in its usual form with plainsheet.py (regular expressions) instead of one
Python call per XML element. Whatever it reads must come out exactly as the element-by-element scan has it
(rows, cells, the farthest cell, merged ranges, formulas without a result, error cells), and whatever is
not in that form must go back to the scan (read_plain → None) — generated sheets, real workbooks and
hostile variants."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure import guard
from disclosure.errors import InputError
from disclosure.plainsheet import read_plain

ROOT = Path(__file__).resolve().parent.parent
PREFIX_X = b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetData>')
TAIL = b'</sheetData><mergeCells count="1"><mergeCell ref="A1:C2"/></mergeCells><pageMargins left="0.7"/></worksheet>'


def outcome(data: bytes, plain: bool):
    """What the guard makes of one worksheet part: (rows, cells, farthest row, column, unread) or the refusal."""
    book = guard._Book(Path("测试.xlsx"))
    sheet = book.new_sheet("表")
    try:
        if plain:
            book._worksheet(data, "xl/worksheets/sheet1.xml", sheet)
        else:
            book._scan_worksheet([data], "xl/worksheets/sheet1.xml", sheet)
    except InputError as exc:
        return str(exc)
    return sheet.rows, book.cells, sheet.max_row, sheet.max_col, book.unread


def same_either_way(data: bytes) -> None:
    assert outcome(data, plain=True) == outcome(data, plain=False)


def columns(n: int) -> str:
    return guard.column_letters(n)


cell_bodies = st.sampled_from([
    "", "<v>1.5</v>", "<v> </v>", "<v/>", "<f>SUM(A1:A2)</f><v>3</v>", "<f>SUM(A1:A2)</f>", "<f>B1</f><v></v>",
    '<f t="shared" si="0"/><v>2</v>', '<f t="shared" si="0"/>', "<is><t>说明</t></is>", "<is><t>A&amp;B</t><t/></is>",
    " <v>7</v> ", "\n  <f>1+1</f>\n  <v>2</v>\n",
])


@st.composite
def sheets(draw) -> tuple[bytes, bool]:
    """A sheetData of rows and cells, most in the usual form; (part, whether it is all in that form)."""
    usual = True
    rows = []
    for r in range(1, draw(st.integers(0, 6)) + 1):
        row_no = draw(st.sampled_from([r, r + 40, r * 1000]))
        cells = []
        for c in range(1, draw(st.integers(0, 5)) + 1):
            ref = f"{columns(draw(st.sampled_from([c, c + 26, 700, 16384])))}{row_no}"
            kind = draw(st.sampled_from(["n", "s", "e", "str", None]))
            body = draw(cell_bodies)
            if kind == "e":
                body = draw(st.sampled_from(["<v>#DIV/0!</v>", "<v>#N/A</v>", "", "<f>1/0</f><v>#DIV/0!</v>"]))
            attrs = f' r="{ref}"' + (f' t="{kind}"' if kind else "") + draw(st.sampled_from(["", ' s="3"']))
            odd = draw(st.sampled_from([None] * 40 + ["no r", "lower", "quote", "entity", "prefix"]))
            if odd == "no r":
                attrs = attrs.replace(f' r="{ref}"', "")
            elif odd == "lower":
                attrs = attrs.replace(f' r="{ref}"', f' r="{ref.lower()}"')
            elif odd == "quote":
                attrs = attrs.replace(f' r="{ref}"', f" r='{ref}'")
            elif odd == "entity":
                attrs = attrs.replace(f' r="{ref}"', f' r="&#{ord(ref[0])};{ref[1:]}"')
            usual = usual and odd is None
            tag = "x:c" if odd == "prefix" else "c"
            cells.append(f"<{tag}{attrs}/>" if not body and draw(st.booleans()) else f"<{tag}{attrs}>{body}</{tag}>")
        rows.append(f'<row r="{row_no}" spans="1:5">{"".join(cells)}</row>' if cells or draw(st.booleans())
                    else f'<row r="{row_no}"/>')
    part = HEAD + "".join(rows).encode() + TAIL
    return part.replace(b"<worksheet ", PREFIX_X, 1), usual


@settings(max_examples=300, deadline=None)
@given(sheets())
def test_generated_sheets_come_out_as_the_scan_has_them(drawn):
    data, usual = drawn
    same_either_way(data)
    if not usual:
        assert read_plain(data, guard.MAX_XML_DEPTH) is None


def real_worksheets():
    books = sorted((ROOT / "templates").rglob("*.xlsx")) + sorted((ROOT / "tests").rglob("*.xlsx"))
    for book in books:
        with zipfile.ZipFile(book) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    yield pytest.param(z.read(name), id=f"{book.name}:{name.rsplit('/', 1)[1]}")


@pytest.mark.parametrize("data", list(real_worksheets()))
def test_real_worksheets_come_out_as_the_scan_has_them(data):
    same_either_way(data)


def test_our_own_templates_are_in_the_usual_form():
    """The form is not so narrow that our own workbooks miss it (else there is no gain at all)."""
    parts = [p.values[0] for p in real_worksheets() if "samples" not in p.id]
    assert parts and all(read_plain(d, guard.MAX_XML_DEPTH) is not None for d in parts)


FORMULAS = (b'<row r="1"><c r="A1"><f>SUM(B1:C1)</f></c><c r="B1"><f>1</f><v>1</v></c>'
            b'<c r="C1" t="e"><v>#REF!</v></c><c r="D1" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>')


def test_formulas_without_a_result_and_error_cells_are_named():
    data = HEAD + FORMULAS + TAIL
    assert read_plain(data, guard.MAX_XML_DEPTH) is not None
    rows, cells, max_row, max_col, unread = outcome(data, plain=True)
    assert unread == {"表": {(0, 0): guard.NO_RESULT, (0, 2): "错误值 #REF!", (0, 3): "错误值 #DIV/0!"}}
    assert (rows, cells, max_row, max_col) == (1, 4 + 6, 2, 4)  # the merged A1:C2: 6 cells more, and row 2
    same_either_way(data)


@pytest.mark.parametrize("change", [
    (b'<row r="1">', b'<!-- x --><row r="1">'),  # a comment
    (b"<v>1</v>", b"<v><![CDATA[1]]></v>"),  # CDATA
    (b'<row r="1">', b'<?pi x?><row r="1">'),  # a processing instruction
    (b"<v>1</v>", b"<v>1&gt;0</v>"),  # fine as it is …
    (b"<v>1</v>", b"<v>1>0</v>"),  # … but a ">" in text: as many ">" as "<" no more
    (b'<c r="B1">', b'<c r="B1" x=">">'),  # a ">" in an attribute value
    (b'</sheetData>', b'</sheetData><c r="XFD1048576"/>'),  # a cell outside sheetData
    (b'</sheetData>', b'</sheetData><sheetData/>'),  # a second sheetData
    (b'<row r="1">', b'<row r="1"><x/>'),  # an element the grammar does not know inside sheetData
    (b"<v>1</v>", b"<v>1</v><v>2</v>"),  # two values
    (b'<mergeCell ref="A1:C2"/>', b"<mergeCell ref='A1:C2'/>"),  # a range written otherwise
    (b'<mergeCell ref="A1:C2"/>', b'<x:mergeCell ref="A1:C2"/>'),  # a prefixed range
])
def test_what_is_not_in_the_usual_form_goes_to_the_scan(change):
    base = HEAD + b'<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>' + TAIL
    base = base.replace(b"<worksheet ", PREFIX_X, 1)
    old, new = change
    assert old in base
    data = base.replace(old, new, 1)
    plain = read_plain(data, guard.MAX_XML_DEPTH)
    if new == b"<v>1&gt;0</v>":
        assert plain is not None
    else:
        assert plain is None
    same_either_way(data)


def test_nesting_too_deep_is_refused_by_the_scan_with_its_message():
    deep = b"<extLst>" + b"<ext>" * 150 + b"</ext>" * 150 + b"</extLst>"
    data = HEAD + b'<row r="1"><c r="A1"><v>1</v></c></row>' + TAIL.replace(b"</worksheet>", deep + b"</worksheet>")
    assert read_plain(data, guard.MAX_XML_DEPTH) is None
    refused = outcome(data, plain=True)
    assert isinstance(refused, str) and "嵌套超过 100 层" in refused
    assert refused == outcome(data, plain=False)


def test_a_far_cell_is_refused_naming_it_as_the_scan_does():
    data = HEAD + b'<row r="1"><c r="A1"><v>1</v></c></row><row r="200000"><c r="B200000"><v>1</v></c></row>' + TAIL
    refused = outcome(data, plain=True)
    assert isinstance(refused, str) and "B200000" in refused and refused == outcome(data, plain=False)


@pytest.mark.parametrize("where", ["row", "cell", "between f and v", "after v"])
def test_long_runs_of_spaces_are_read_in_one_pass(where):
    """Spaces may stand between a sheet's elements; read with backtracking, 10,000 of them in a cell took
    minutes (a file could stop every batch). Each case here must simply finish, with the scan's result."""
    spaces = b" " * 50_000
    cell = {"row": b'<c r="A1"><v>1</v></c>' + spaces + b"<x/>",
            "cell": b'<c r="A1">' + spaces + b"<x/></c>",
            "between f and v": b'<c r="A1"><f>1</f>' + spaces + b"<v>1</v>" + spaces + b"<x/></c>",
            "after v": b'<c r="A1"><v>1</v>' + spaces + b"</c>"}[where]
    data = HEAD + b'<row r="1">' + cell + b"</row>" + TAIL
    assert (read_plain(data, guard.MAX_XML_DEPTH) is not None) == (where == "after v")
    same_either_way(data)


def test_a_cell_written_twice_is_what_it_says_last():
    """Found by the generated sheets: the same reference as an error cell, then as a formula with no result."""
    data = HEAD + (b'<row r="2"><c r="ZX2" t="e"><v>#DIV/0!</v></c><c r="B2"><v>1</v></c>'
                   b'<c r="ZX2"><f>SUM(A1:A2)</f></c></row>') + TAIL
    assert read_plain(data, guard.MAX_XML_DEPTH) is not None
    assert outcome(data, plain=True)[4] == {"表": {(1, 699): guard.NO_RESULT}}
    same_either_way(data)
