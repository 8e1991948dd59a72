"""Where each side of a 预算 收支总表 (表1, 表4, 表9) stands: found by the header of its own 项目 column.

These tables print four blocks (收入, 支出功能分类, 部门预算支出经济分类, 政府预算支出经济分类) without 行次 or
栏次. An export may put them side by side (as seed 002 prints them), two above two, or stacked: each block is
found by its label header (“支出功能分类科目（按大类）”…, spec `label_header`), its amount column by the
column's name (“预算数”) just right of it, and its rows run down to the next block header below it in the
same columns (or the table's end). Rows are then matched by label within the side (fixedrows.SideReader).
A side whose header says only “项目” takes the remaining “项目” headers in reading order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .columns import LABEL_HEADER, header_text
from .errors import InputError
from .specs import SideSpec, TableSpec

if TYPE_CHECKING:
    from .parse import Region, _FoundSide

_VALUE_REACH = 4  # the amount column stands at most this many columns right of the label column
_HEADER_DEPTH = 3  # a merged header may put the amount column's name up to two rows lower


def locate_sides(t: TableSpec, region: "Region", file) -> tuple[list["_FoundSide"], int]:
    """The found sides (each with its own body rows) and the first body row (for the unit line search)."""
    from .parse import _FoundSide

    sheet = region.sheet
    cells = _header_cells(t, region)
    placed: dict[str, tuple[int, int]] = {}
    used: set[tuple[int, int]] = set()
    for side in t.sides:  # own header names first (“支出功能分类科目”), the generic “项目” after
        own = side.label_names() - {LABEL_HEADER}
        hits = [rc for rc, text in cells if text in own and rc not in used]
        if hits:
            placed[side.name] = hits[0]
            used.add(hits[0])
    generic = [rc for rc, text in cells if text == LABEL_HEADER and rc not in used]
    for side in t.sides:
        if side.name not in placed and generic:
            placed[side.name] = generic.pop(0)
    missing = [s for s in t.sides if s.name not in placed]
    if missing:
        side = missing[0]
        names = "”或“".join(side.label_header or (LABEL_HEADER,))
        raise InputError(f"{t.number}“{t.title}”找不到“{side.name}”一侧：表头中没有“{names}”", file=file,
                         sheet=sheet.name, row=region.top + 1)
    header_rows = sorted({r for r, _ in placed.values()})
    found = []
    for side in t.sides:
        r, c = placed[side.name]
        values, last_header = _value_columns(t, side, region, r, c, file)
        below = [h for h in header_rows if h > r and _overlaps(placed, h, c)]
        found.append(_FoundSide(side, c, None, values, top=last_header + 1,
                                bottom=min(below) if below else region.bottom))
    return found, min(f.top for f in found)


def _header_cells(t: TableSpec, region: "Region") -> list[tuple[tuple[int, int], str]]:
    """(row, col) and text of every cell naming a side's 项目 column, in reading order."""
    names = set().union(*(s.label_names() for s in t.sides)) | {LABEL_HEADER}
    sheet = region.sheet
    out = []
    for r in region.rows():
        for c, raw in enumerate(sheet.rows[r]):
            if isinstance(raw, str) and raw.strip():
                text = header_text(raw)
                if text in names:
                    out.append(((r, c), text))
    return out


def _value_columns(t: TableSpec, side: SideSpec, region: "Region", r: int, c: int, file) -> tuple[dict[str, int], int]:
    """Column name -> index of the side's amount columns, and the lowest header row they were named on."""
    sheet = region.sheet
    out: dict[str, int] = {}
    last = r
    for column in side.columns:
        names = column.names()
        hit = next(((rr, cc) for cc in range(c + 1, c + 1 + _VALUE_REACH) for rr in range(r, r + _HEADER_DEPTH)
                    if cc not in out.values() and header_text(sheet.value(rr, cc)) in names), None)
        if hit is None:
            raise InputError(f"{t.number}“{side.name}”一侧的表头找不到“{column.name}”栏（应在项目栏右侧）",
                             file=file, sheet=sheet.name, row=r + 1)
        out[column.name] = hit[1]
        last = max(last, hit[0])
    return out, last


def _overlaps(placed: dict[str, tuple[int, int]], row: int, col: int) -> bool:
    """Whether a side header on `row` stands in the label column `col` (the next block down in the same column)."""
    return any(r == row and c == col for r, c in placed.values())
