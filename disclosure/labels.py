"""The texts a template workbook prints around its numbers — the 封面 fields, each table's title, 编号 and
编制单位 line — each with its cell, so a check can name the cell of a placeholder left in a title or of a
编制单位 that disagrees with the cover. Read from the same sheet grids as the tables (file or live book).
"""

from __future__ import annotations

import re

import msgspec

from .grid import Sheet, coord
from .model import CellRef, Table

TITLE, UNIT_LINE = "标题", "编制单位"
# "编制单位：某局", also "编制单位：某局      单位：万元" in one cell as some exports print it
_UNIT_LINE_RE = re.compile(r"^(?:编制单位|编制部门)\s*[:：]\s*(.*?)\s*(?:(?:金额)?单位\s*[:：].*)?$")
_HEAD_ROWS = 8  # a table's title block stands in its first rows; the header starts right after


class Label(msgspec.Struct, frozen=True):
    """A printed label of the workbook (a 封面 field, a table's title or its 编制单位) and its cell."""

    kind: str  # a 封面 field (单位名称, 联系电话, …), 标题 (title or 编号) or 编制单位
    text: str  # as printed; for 编制单位, the name after "编制单位："
    cell: CellRef
    table: str = ""  # table id ("01") for a table's title and 编制单位 line


def unit_in_line(text: str) -> str | None:
    """The unit name of a "编制单位：…" line ('' when blank), or None when the text is no such line."""
    m = _UNIT_LINE_RE.match(text.replace("\u3000", " ").strip())
    return m.group(1).strip() if m else None


def read_labels(sheets: list[Sheet], tables: dict[str, Table], cover_sheet: str,
                cover_fields: tuple[str, ...]) -> list[Label]:
    by_name = {s.name: s for s in sheets}
    out: list[Label] = []
    cover = by_name.get(cover_sheet)
    if cover is not None:
        for r in range(cover.height):
            key = cover.text(r, 0)
            if key in cover_fields and cover.text(r, 1):
                out.append(Label(key, cover.text(r, 1), CellRef(cover.name, coord(r, 1))))
    for tid, table in sorted(tables.items()):
        sheet = by_name.get(table.sheet or "")
        if sheet is not None:
            out += _title_block(sheet, tid)
    return out


def _title_block(sheet: Sheet, tid: str) -> list[Label]:
    """Every text above and on the 编制单位 line (title, 编号, the line itself); without such a line, the
    first text of the sheet (its title) only — the header below holds the spec's own labels."""
    found: list[Label] = []
    for r in range(min(_HEAD_ROWS, sheet.height)):
        for c in range(len(sheet.rows[r])):
            text = sheet.text(r, c)
            if not text:
                continue
            name = unit_in_line(text)
            if name is not None:
                found.append(Label(UNIT_LINE, name, CellRef(sheet.name, coord(r, c)), tid))
                return found
            if not text.startswith(("单位", "金额单位")):  # "单位：万元" beside the 编制单位 line
                found.append(Label(TITLE, text, CellRef(sheet.name, coord(r, c)), tid))
    return found[:1]
