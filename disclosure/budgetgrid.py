"""The grids of the 预算 单位 tables (表2, 表3, 表10, 表12) and text tables (表11, 表13–表15), in the layout of
tablegrid.py (which calls this for those kinds), so the template, the print copy and Word draw them alike.

- units: 单位编码 | 单位名称 | amount columns (multi-level header) | text columns; a 合计 row when the spec
  prints one (表10), then the 单位 rows in order (表10's projects under their 单位, without a code).
- text: a form, one part under the other: a field is “name | content” (the content merged across the
  table's width; an amount in one cell), a list is its header then its rows. Several projects' forms
  (Row.group) follow one another. budgetparse.py reads exactly this back.
"""

from __future__ import annotations

from .model import Row
from .specs import PartSpec, TableSpec
from .tablegrid import Grid, _amount, _fill_gaps, _header, _label

FORM_LIST_SPARE = 10  # at most this many empty rows a form's list offers (indicators, tasks)
_FORM_MIN_COLUMNS = 4


def layout(t: TableSpec, rows: list[Row] | None, spare_rows: int = 0) -> Grid:
    if t.kind == "units":
        return _units(t, rows or [], spare_rows)
    return _text(t, rows or [], spare_rows)


# ---------------------------------------------------------------- units

def _units(t: TableSpec, rows: list[Row], spare_rows: int) -> Grid:
    name = t.name_header[0] if t.name_header else "单位名称"
    code = t.code_header[0] if t.code_header else "单位编码"
    paths = [[code], [name]] + [list(c.header) for c in (*t.columns, *t.text_columns)]
    widths = [12, 30] + [12] * len(t.columns) + [30] * len(t.text_columns)
    g = Grid(spec=t, widths=widths, header_rows=0, header_depth=0, nrows=0)
    g.header_depth = g.header_rows = _header(g, paths)
    r = g.header_rows
    total = next((x for x in rows if x.key == "合计"), None)
    if t.total_row:
        _label(g, r, 0, "合计", bold=True, center=True, cols=2)
        _unit_values(g, r, t, total)
        r += 1
    body = [x for x in rows if x.key != "合计"]
    for n in range(len(body) + spare_rows):
        row = body[n] if n < len(body) else None
        project = bool(row and row.unit_code)
        _label(g, r, 0, row.code if row else None, editable=True, as_text=True, bold=bool(row and row.code))
        _label(g, r, 1, (("　　" if project else "") + row.name) if row else None, editable=True)
        _unit_values(g, r, t, row)
        r += 1
    g.nrows = r
    _fill_gaps(g)
    return g


def _unit_values(g: Grid, r: int, t: TableSpec, row: Row | None) -> None:
    for i, c in enumerate(t.columns, start=2):
        _amount(g, r, i, row, c.name)
    for i, c in enumerate(t.text_columns, start=2 + len(t.columns)):
        _label(g, r, i, row.texts.get(c.name) if row else None, editable=True)


# ---------------------------------------------------------------- text (forms)

def _text(t: TableSpec, rows: list[Row], spare_rows: int) -> Grid:
    ncols = max([_FORM_MIN_COLUMNS] + [len(p.columns) for p in t.lists])
    only_lists = all(p.kind == "list" for p in t.parts)
    widths = [18] + [16] * (ncols - 1)
    if only_lists:  # 表11: a plain table, as wide as its columns
        widths = [10] * ncols
    g = Grid(spec=t, widths=widths, header_rows=0, header_depth=0, nrows=0)
    groups = sorted({x.group for x in rows if x.group is not None}) or [None]
    spare = spare_rows if only_lists else min(spare_rows, FORM_LIST_SPARE)
    r = 0
    half = ncols // 2
    for group in groups:
        mine = [x for x in rows if x.group == group]
        for i, part in enumerate(t.parts):
            if part.kind == "field":
                row = next((x for x in mine if x.key == part.name and x.side is None), None)
                if part.beside and r > 0:  # the right half of the line above (表15: 实施期 | 年度, as the seed prints)
                    _field(g, r - 1, part, row, half, ncols)
                    continue
                pair = i + 1 < len(t.parts) and t.parts[i + 1].beside
                r = _field(g, r, part, row, 0, half if pair else ncols)
            else:
                r = _list(g, r, part, [x for x in mine if x.side == part.name], spare)
    g.nrows = r
    _fill_gaps(g)
    return g


def _field(g: Grid, r: int, part: PartSpec, row: Row | None, start: int, stop: int) -> int:
    """A field on line r in columns start … stop − 1: its name, then its amount or its text."""
    _label(g, r, start, part.label or part.name, bold=True)
    if part.amount:
        _amount(g, r, start + 1, row, "金额")
        for c in range(start + 2, stop):
            _label(g, r, c, None)
    else:
        _label(g, r, start + 1, row.texts.get("内容") if row else None, editable=True, cols=stop - start - 1)
    return r + 1


def _list(g: Grid, r: int, part: PartSpec, rows: list[Row], spare: int) -> int:
    depth = _header(g, [list(c.header) for c in part.columns], top=r)
    r += depth
    total = next((x for x in rows if part.total and x.key == part.total), None)
    body = [x for x in rows if x is not total]
    carried: dict[str, str] = {}
    for n in range(len(body) + spare):
        row = body[n] if n < len(body) else None
        _list_row(g, r, part, row, carried)
        r += 1
    if part.total:
        _label(g, r, 0, part.total, bold=True)
        for i, c in enumerate(part.columns[1:], start=1):
            if c.amount:
                _amount(g, r, i, total, c.name)
            else:
                _label(g, r, i, None)
        r += 1
    return r


def _list_row(g: Grid, r: int, part: PartSpec, row: Row | None, previous: dict[str, str]) -> None:
    for i, c in enumerate(part.columns):
        if c.amount:
            _amount(g, r, i, row, c.name)
            continue
        text = row.texts.get(c.name) if row else None
        if c.fill_down and text and previous.get(c.name) == text:
            text = None  # printed once, as the merged cell of the published table (read back carried down)
        elif c.fill_down and text:
            previous[c.name] = text
        _label(g, r, i, text, editable=True)
