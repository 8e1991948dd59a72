"""Tables printed the other way round, and 科目编码 printed in 类/款/项 columns (上海 2024).

- 上海 表七 (三公) prints the side's rows (预算数, 决算数) as the lowest header level under every column and
  one line of amounts beneath, where the national 09 prints two rows. `find()` tells such a header from the
  region's cells; `CrossHeader.table()` reads it into the usual rows (预算数, 决算数) × columns, so checks and
  the narrative see one shape whatever the print.
- 上海 二 三 五 八 九 (and 六) print a code as “201 | 06 | 01” under 类 款 项: `code_columns()` names the
  columns that hold one code, `code_text()` joins them.
"""

from __future__ import annotations

from typing import Callable

import msgspec

from .columns import CODE_LEVELS, header_paths, header_text, is_note
from .errors import InputError
from .grid import Sheet, coord
from .model import CellRef, Row, Table, Value
from .specs import TableSpec, normalize_label


class CrossHeader(msgspec.Struct):
    """Where the amounts of a table printed the other way round stand."""

    label_row: int  # the header row naming the side's rows (预算数 决算数 预算数 …)
    data_row: int  # the one line of amounts
    cells: dict[tuple[str, str], int]  # (row key, column name) -> sheet column

    def table(self, t: TableSpec, sheet: Sheet, amount: Callable[[int, int], Value]) -> Table:
        side = t.sides[0]
        rows = []
        for rs in side.rows:
            values = {c.name: amount(self.data_row, self.cells[(rs.key, c.name)]) for c in side.columns}
            first = min(self.cells[(rs.key, c.name)] for c in side.columns)
            rows.append(Row(name=rs.label, key=rs.key, values=values,
                            cell=CellRef(sheet.name, coord(self.label_row, first))))
        return Table(t, rows, sheet=sheet.name)


def find(t: TableSpec, sheet: Sheet, rows: range, file) -> CrossHeader | None:
    """The cross header of a one-sided fixed table without 行次 whose row names (预算数, 决算数) stand in a
    header row under its columns; None when the table is printed with its rows as rows."""
    if t.kind != "fixed" or len(t.sides) != 1 or t.sides[0].has_lines:
        return None
    side = t.sides[0]
    for r in rows:
        named = {c: rs for c, raw in enumerate(sheet.rows[r]) for rs in side.rows if raw and rs.is_named(raw)}
        if len(named) < 2 * len(side.rows) or any(normalize_label(v) == "项目" for v in sheet.rows[r]):
            continue
        return _read_header(t, sheet, rows.start, r, named, rows, file)
    return None


def _read_header(t: TableSpec, sheet: Sheet, top: int, r: int, named: dict, rows: range, file) -> CrossHeader:
    side = t.sides[0]
    words = {normalize_label(x) for c in side.columns for x in (*c.header, *c.names())}
    # the header starts at its first row naming a column (not at the title or the 单位：万元 line above it)
    top = next((x for x in range(top, r) if any(header_text(v) in words for v in sheet.rows[x])), top)
    paths = header_paths(sheet, top, r - 1)
    cells: dict[tuple[str, str], int] = {}
    where = dict(file=file, sheet=sheet.name, row=r + 1)
    for c, rs in named.items():
        # a header not merged stands in the first column of its span: 决算数's column may have none of its own
        at = next((x for x in range(c, -1, -1) if paths.get(x)), c)
        leaf = (paths.get(at) or [""])[-1]
        column = _column(side.columns, leaf, paths.get(at, []))
        if column is None:
            raise InputError(f"{t.number}的表头“{leaf or '（空白）'}”下印着“{rs.label}”，但它不是表样中的栏目"
                             f"（{'、'.join(x.name for x in side.columns)}）", **where)
        if (rs.key, column.name) in cells:
            raise InputError(f"{t.number}的“{column.name}”栏下“{rs.label}”出现了两次", **where)
        cells[(rs.key, column.name)] = c
    missing = [f"{c.name}（{rs.label}）" for c in side.columns for rs in side.rows if (rs.key, c.name) not in cells]
    if missing:
        raise InputError(f"{t.number}的表头中找不到 {'、'.join(missing)} 栏，无法确定各栏位置", **where)
    data = next((x for x in range(r + 1, rows.stop) if any(v not in ("", None) for v in sheet.rows[x])), None)
    if data is not None and _is_note(sheet, data):
        data = None
    return CrossHeader(r, data if data is not None else min(r + 1, max(sheet.height - 1, r)), cells)


def _column(columns, leaf: str, path: list[str]):
    """The column a leaf header names: exactly first, then a leaf ending in a name; parents break a tie."""
    for exact in (True, False):
        hits = [c for c in columns if any((leaf == n) if exact else leaf.endswith(n) for n in c.names())]
        if len(hits) > 1:
            hits = [c for c in hits if all(normalize_label(h) in path for h in c.header[:-1])] or hits[:0]
        if len(hits) == 1:
            return hits[0]
    return None


def _is_note(sheet: Sheet, r: int) -> bool:
    return is_note(next((sheet.text(r, c) for c in range(len(sheet.rows[r])) if sheet.text(r, c)), ""))


# ---------------------------------------------------------------- 类 / 款 / 项 columns

def code_columns(sheet: Sheet, header_rows: range, code_col: int, name_col: int) -> list[int]:
    """The columns holding one code: code_col alone, or — when the header prints 类 款 (项) over code_col and
    its neighbours (before the 科目名称 column) — that run of columns. code_col may be any of them: a 科目编码
    header repeated over the three columns instead of merged is found at the last."""
    def level(c: int) -> bool:
        return any(header_text(sheet.value(r, c)) in CODE_LEVELS for r in header_rows)

    if not level(code_col):
        return [code_col]
    first = last = code_col
    while first > 0 and level(first - 1):
        first -= 1
    while last + 1 < name_col and level(last + 1):
        last += 1
    return list(range(first, last + 1)) if last > first else [code_col]


def code_text(sheet: Sheet, r: int, cols: list[int]) -> str:
    """The code as one text: '201' '06' '01' -> '2010601'; a 款 or 项 stored as the number 6 is '06'."""
    if len(cols) == 1:
        return sheet.text(r, cols[0])
    pieces = [sheet.text(r, c).replace(" ", "") for c in cols]
    if not all(p.isdigit() for p in pieces if p):  # 合计 or a note, perhaps repeated over the three cells
        return "".join(dict.fromkeys(p for p in pieces if p))
    return pieces[0] + "".join(p.zfill(2) for p in pieces[1:] if p)
