"""A worksheet part in its usual form, measured by regular expressions at C speed (for guard.py).

The guard's scan of a worksheet calls Python twice per XML element (expat's start and end handlers): ~10,000
calls, a third of a batch's time per workbook (issue 18). The sheetData of every report Excel, WPS,
LibreOffice or openpyxl writes follows one small grammar — rows of cells, a cell holding a formula and/or a
value or an inline string — which one regular expression can confirm; the counts then come from
`bytes.count`, one `findall` of the cell references and a few searches. Only a part that is in that form is
read here: for anything else `read_plain` returns None and the guard scans the part element by element as
before, so the result (and any refusal, with the cell it names) is the scan's.

The part must already have passed expat (well-formed, no DTD). In that form:
- every "<" starts a tag and every ">" ends one: no comment, CDATA or processing instruction (but the XML
  declaration), and as many ">" as "<" (none in a text or an attribute value);
- sheetData matches the grammar below, its cells and rows with neither "&" nor "'" in their tags, each
  cell with an r="A1" reference (capital letters, row ≥ 1), every formula and error cell's value plain text;
- outside sheetData no other c or row element, mergeCell and hyperlink unprefixed, each with a ref.
"""

from __future__ import annotations

import re
from itertools import accumulate, repeat
from typing import NamedTuple

# sheetData: <row …> of <c …/> or <c …> holding [<f>] [<v>] or <is> of <t>s, any spaces between. Each row and
# cell is an atomic group and every repeat possessive: a part that does not match fails in one pass (with
# plain "\s*"s in a row, spaces split between them were tried every way: 10,000 spaces in a cell took minutes).
_TAG_REST = rb"(?:\s[^>]*)?(?:/>|>[^<]*+</%s>)"  # the rest of a text-only element, from after its name
_FORMULA = rb"<f" + _TAG_REST % b"f"
_VALUE = rb"<v" + _TAG_REST % b"v"
_CELL = (rb"(?><c\s[^>&']*(?:/>|>\s*+(?:(?:" + _FORMULA + rb")?+\s*+(?:" + _VALUE + rb")?+|<is>(?:\s*+<t"
         + _TAG_REST % b"t" + rb")*+\s*+</is>)\s*+</c>))")
_ROWS = re.compile(rb"(?:\s*+(?><row(?:\s[^>&']*)?(?:/>|>(?:\s*+" + _CELL + rb")*+\s*+</row>)))*+\s*+")
# what sheetData stands for when the depth of the rest is counted: its deepest nesting (sheetData, row, c, is, t)
_DEEPEST = b"<sheetData><row><c><is><t/></is></c></row></sheetData>"

_CELL_REFS = re.compile(rb'<c\s[^>]*?(?<=\s)r="([A-Z]{1,3})([0-9]{1,7})"')
_OUTSIDE = re.compile(rb"<(?:[\w.-]+:)?(?:c|row|sheetData)[\s/>]")  # cells and rows outside sheetData
_PREFIXED_RANGES = re.compile(rb":(?:mergeCell|hyperlink)[\s/>]")
_RANGE_TAGS = [re.compile(rb"<%s[\s/>]" % name) for name in (b"mergeCell", b"hyperlink")]
_RANGE_REFS = [re.compile(rb'<%s\s[^>&\']*?(?<=\s)ref="([^"]*)"[^>&\']*>' % name)
               for name in (b"mergeCell", b"hyperlink")]
# the depth: "<" opens an element, "</" and "/>" close one ("<?xml …?>" counts as open: one too deep at worst)
_MARKUP = re.compile(rb"</|/>|<")
_DEPTH_STEP = {b"<": 1, b"</": -1, b"/>": -1}
# a formula or error cell as the grammar has it, from its "<c": attributes, then the text of its <v>
_HOLDING_CELL = re.compile(rb"<c(\s[^>]*?)(?:/>|>\s*+(" + _FORMULA
                           + rb")?+\s*+(?:<v(?:\s[^>]*)?(?:/>|>([^<]*+)</v>))?+\s*+</c>)")
_REF_ATTR = re.compile(rb'(?<=\s)r="([A-Z]{1,3})([0-9]{1,7})"')
_ERROR_ATTR = re.compile(rb'(?<=\s)t="e"')
_ERROR_CELL = re.compile(rb'<c\s[^>]*?(?<=\s)t="e"')


class PlainSheet(NamedTuple):
    rows: int  # <row> records
    cells: int  # <c> records
    max_row: int  # the farthest cell's row and column, 1-based (0, 0: no cell)
    max_col: int
    ranges: list[str]  # the ref of each mergeCell and hyperlink, as written
    # (row, col) 0-based -> the code of an error cell, or None: a formula with no cached result
    unread: dict[tuple[int, int], str | None]


def _is_plain_xml(data: bytes) -> bool:
    """Every "<" starts a tag and every ">" ends one (see above): tags can be counted by their marks."""
    return (b"<!" not in data and data.count(b"<") == data.count(b">")
            and data.count(b"<?") <= data.startswith(b"<?xml "))


def _depth(data: bytes) -> int:
    """How deep the elements of plain XML nest (_is_plain_xml)."""
    return max(accumulate(map(_DEPTH_STEP.__getitem__, _MARKUP.findall(data))), default=0)


def read_plain(data: bytes, max_depth: int) -> PlainSheet | None:
    """The counts of a worksheet part in the usual form; None when it is not, or nests deeper than max_depth."""
    if not _is_plain_xml(data):
        return None
    before = data.find(b"<sheetData>")  # found with bytes.find: a lazy ".*?" tried "</sheetData>" at every byte
    if before == -1 or (after := data.find(b"</sheetData>", before)) == -1:
        return None  # (an empty sheet's <sheetData/> too: the scan is quick there)
    start, end = before + len(b"<sheetData>"), after
    if _ROWS.fullmatch(data, start, end) is None:
        return None
    rest = data[:before] + _DEEPEST + data[after + len(b"</sheetData>"):]
    if _OUTSIDE.search(rest, 0, before) or _OUTSIDE.search(rest, before + len(_DEEPEST)):
        return None
    if _depth(rest) > max_depth:
        return None
    ranges = [ref.decode("ascii", "replace") for r in _RANGE_REFS for ref in r.findall(rest)]
    if _PREFIXED_RANGES.search(rest) or len(ranges) != sum(len(t.findall(rest)) for t in _RANGE_TAGS):
        return None
    refs = _CELL_REFS.findall(data, start, end)
    cells = data.count(b"<c", start, end)  # in the grammar only a cell's tag starts so
    if len(refs) != cells:
        return None
    max_row = max_col = 0
    if refs:
        letters, numbers = zip(*refs)
        if min(map(int, numbers)) < 1:
            return None
        # right-justified, "  C" < " AA": the farthest column is the greatest
        max_row, max_col = max(map(int, numbers)), column_number(max(map(bytes.rjust, letters, repeat(3))).strip())
    unread = _unread(data, start, end)
    if unread is None:
        return None
    return PlainSheet(data.count(b"<row", start, end), cells, max_row, max_col, ranges, unread)


def _unread(data: bytes, start: int, end: int) -> dict[tuple[int, int], str | None] | None:
    """Formula cells with no cached result and error cells, as the element scan finds them; None when an
    error code is written with an entity."""
    cells = set()
    at = data.find(b"<f", start, end)
    while at != -1:  # a formula is its cell's first child: the "<c" before it
        cells.add(data.rfind(b"<c", start, at))
        at = data.find(b"<f", at + 2, end)
    if data.find(b't="e"', start, end) != -1:
        cells.update(m.start() for m in _ERROR_CELL.finditer(data, start, end))
    unread: dict[tuple[int, int], str | None] = {}
    for at in sorted(cells):  # in the part's order: a cell written twice is what it says last, as in the scan
        cell = _HOLDING_CELL.match(data, at, end)
        ref = _REF_ATTR.search(cell[1]) if cell else None
        if ref is None:  # not in the grammar's words: cannot be after the fullmatch, but never guess
            return None
        value = (cell[3] or b"").strip()
        where = (int(ref[2]) - 1, column_number(ref[1]) - 1)
        if _ERROR_ATTR.search(cell[1]):
            if b"&" in value:
                return None
            unread[where] = value[:64].decode("utf-8", "replace")
        elif cell[2] and not value:
            unread[where] = None
    return unread


def column_number(letters: bytes) -> int:
    """b'XFD' -> 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n
