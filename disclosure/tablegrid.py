"""One 公开表 as a grid of cells in the official layout: merged multi-level header, 栏次 row, body.

The grid is computed once from the table spec (and a table's rows) and drawn by three writers: the
template workbook (workbook.py), the print-ready 公开表.xlsx and the Word tables of the export package.
So the three can never disagree on where a header is merged or which amount sits in which cell.
预算 tables print no 栏次 row (`lanci_row: false`); their 单位 and text (绩效目标) tables are in budgetgrid.py.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import msgspec
from msgspec import field

from .model import CellRef, Row
from .specs import TableSpec

HEADER, LABEL, AMOUNT = "header", "label", "amount"


class GridCell(msgspec.Struct):
    row: int  # 0-based: header rows first, then the 栏次 row, then the body
    col: int
    value: str | int | Decimal | None
    kind: str  # HEADER | LABEL | AMOUNT
    rows: int = 1  # span
    cols: int = 1
    bold: bool = False
    center: bool = False
    as_text: bool = False  # a code: keep leading digits as text
    editable: bool = False  # an input cell of the template (amounts are always editable)
    count: bool = False  # an amount cell of a count line (辆, 台): a whole number, not 万元 (RowSpec.unit)
    ref: CellRef | None = None  # an amount cell: where its value was read (a finding there marks the cell)


class Grid(msgspec.Struct):
    spec: TableSpec
    widths: list[int]  # Excel column widths (characters)
    header_rows: int  # rows of header, the 栏次 row included
    header_depth: int  # rows of header titles (without the 栏次 row)
    nrows: int
    cells: list[GridCell] = field(default_factory=list)

    @property
    def ncols(self) -> int:
        return len(self.widths)

    @property
    def body_rows(self) -> int:
        return self.nrows - self.header_rows


def columns(t: TableSpec) -> tuple[list[list[str]], list[int]]:
    """Header path of every printed column (top level first) and its width."""
    paths: list[list[str]] = []
    widths: list[int] = []
    if t.kind == "fixed" and t.crosswise:  # 上海 表七: each column over its rows' names, no 项目 column
        side = t.sides[0]
        paths += [list(c.header) + [rs.label] for c in side.columns for rs in side.rows]
        widths += [11] * len(paths)
    elif t.kind == "fixed":
        two = len(t.sides) > 1
        for side in t.sides:
            pre = [side.group] if side.group else [side.name] if two else []
            paths.append(pre + [side.label_header[0] if side.label_header else "项目"])
            widths.append((26 if len(t.sides) > 2 else 34) if two else _label_width(side))
            if side.has_lines:
                paths.append(pre + ["行次"])
                widths.append(6)
            for c in side.columns:
                paths.append(pre + list(c.header))
                widths.append(15)
    elif t.kind == "coded" and t.code_header:  # 预算 表5–表8: the headers as printed, 政府经济分类 pair after
        paths += [[t.code_header[0]], [t.name_header[0] if t.name_header else "科目名称"]]
        widths += [12, 30]
        if t.has_gov_codes:
            paths += [[t.gov_code_header[0]], [t.gov_name_header[0] if t.gov_name_header else "科目名称"]]
            widths += [12, 22]
        paths += [list(c.header) for c in (*t.columns, *t.text_columns)]
        widths += [14] * len(t.columns) + [12] * len(t.text_columns)
    elif t.kind == "coded":
        paths += [["项目", "科目代码"], ["项目", "科目名称"]] + [list(c.header) for c in t.columns]
        widths += [12, 34] + [14] * len(t.columns)
    else:
        for _ in t.blocks:
            paths += [["科目代码"], ["科目名称"], [t.value_name]]
            widths += [10, 25, 12]
    return paths, widths


def text_em(text: str) -> float:
    """Width of text in em: a CJK character is one em, a Latin letter or digit about half of one."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def text_width(text: str) -> float:
    """Width in Excel's character units (a digit's width): a 10-pt Chinese character is about 1.85 of them."""
    return 1.85 * text_em(text)


def _label_width(side) -> int:
    """The 项目 column of a one-sided table: its longest row label (内蒙古 表十一's “1.货物采购授予中小企业合同金额”),
    12 at least (09's 预算数/决算数), 40 at most (longer ones wrap)."""
    longest = max((text_width(rs.label) for rs in side.rows), default=0)
    return int(min(40, max(12, longest + 2)))


def layout(t: TableSpec, rows: list[Row] | None, spare_rows: int = 0) -> Grid:
    """The grid of table t filled with rows (None: blank). Coded tables get spare_rows empty, editable
    科目 rows after the filled ones (the template offers them; a printed table has none)."""
    if t.kind in ("units", "text"):
        from .budgetgrid import layout as budget_layout

        return budget_layout(t, rows, spare_rows)
    paths, widths = columns(t)
    g = Grid(spec=t, widths=widths, header_rows=0, header_depth=0, nrows=0)
    depth = g.header_depth = _header(g, paths, leaves_below=t.crosswise)
    body = depth
    if t.kind != "economic" and t.lanci_row:
        _lanci(g, body)
        body += 1
    g.header_rows = body
    if t.kind == "fixed":
        end = _fixed_body(g, body, rows)
    elif t.kind == "coded":
        end = _coded_body(g, body, rows, spare_rows)
    else:
        end = _economic_body(g, body, rows)
    g.nrows = end
    _fill_gaps(g)
    return g


def _header(g: Grid, paths: list[list[str]], top: int = 0, leaves_below: bool = False) -> int:
    """Merged multi-level header cells from rows `top` on; returns its depth (rows). A leaf spans down to the
    last header row — or, leaves_below (a table printed crosswise, 上海 表七), every leaf (预算数, 决算数) stands
    on that row, as crossheader.py reads it, and the leaf's parent spans down to it."""
    depth = max(len(p) for p in paths)
    n = len(paths)
    for level in range(depth):
        c = 0
        while c < n:
            p = paths[c]
            if level >= len(p):
                c += 1
                continue
            if level == len(p) - 1:
                if leaves_below:
                    g.cells.append(GridCell(top + depth - 1, c, p[level], HEADER))
                else:
                    g.cells.append(GridCell(top + level, c, p[level], HEADER, rows=depth - level))
                c += 1
                continue
            e = c
            while e + 1 < n and len(paths[e + 1]) > level + 1 and paths[e + 1][:level + 1] == p[:level + 1]:
                e += 1
            rows = depth - 1 - level if leaves_below and level == len(p) - 2 else 1
            g.cells.append(GridCell(top + level, c, p[level], HEADER, rows=rows, cols=e - c + 1))
            c = e + 1
    return depth


def _lanci(g: Grid, r: int) -> None:
    t = g.spec
    if t.kind == "fixed":
        col = 0
        for side in t.sides:
            g.cells.append(GridCell(r, col, "栏次", HEADER))
            col += 1
            if side.has_lines:
                g.cells.append(GridCell(r, col, "", HEADER))
                col += 1
            for c in side.columns:
                g.cells.append(GridCell(r, col, c.lanci, HEADER))
                col += 1
    else:
        g.cells.append(GridCell(r, 0, "栏次", HEADER, cols=2))
        for i, c in enumerate(t.columns, start=2):
            g.cells.append(GridCell(r, i, c.lanci, HEADER))


def _label(g: Grid, r: int, c: int, text, **kw) -> None:
    g.cells.append(GridCell(r, c, text if text not in ("", None) else None, LABEL, **kw))


def _amount(g: Grid, r: int, c: int, row: Row | None, column: str, count: bool = False) -> None:
    """The amount of `row` in `column` (zeros blank, as published), with the cell it was read from."""
    value = row.values.get(column) if row else None
    amount = value.amount if value else None
    g.cells.append(GridCell(r, c, amount if amount else None, AMOUNT, editable=True, count=count,
                            ref=value.cell if value else None))


def _side_lines(t: TableSpec) -> list[list]:
    """Each side's spec rows by printed line (None: an empty line). Sides without 行次 (预算, 上海) print their
    totals (from 本年收入/支出合计 on) on common lines at the bottom, as seed 002 does, and the grand totals
    (收入总计, 支出总计: a side's last row) on the table's last line together, however many 结转 lines one
    side has above its own (上海 表四: 年初 has three, 年末 one)."""
    if t.lanci_row or any(s.has_lines for s in t.sides):
        return [list(s.rows) for s in t.sides]
    tails = [next((i for i, r in enumerate(s.rows) if r.key.startswith("本年") and r.key.endswith("合计")),
                  len(s.rows)) for s in t.sides]
    head = max(tails)
    lines = [list(s.rows[:n]) + [None] * (head - n) + list(s.rows[n:]) for s, n in zip(t.sides, tails)]
    height = max(len(x) for x in lines)
    return [x[:-1] + [None] * (height - len(x)) + x[-1:] if x and x[-1] and x[-1].key.endswith("总计") else x
            for x in lines]


def _fixed_body(g: Grid, body: int, rows: list[Row] | None) -> int:
    t = g.spec
    found = {(r.side, r.key): r for r in rows or []}
    if t.crosswise:  # one line: every column's amount of each row, in the header's order
        side, c = t.sides[0], 0
        for column in side.columns:
            for rs in side.rows:
                _amount(g, body, c, found.get((None, rs.key)), column.name, count=bool(rs.unit))
                c += 1
        return body + 1
    col = 0
    lines = _side_lines(t)
    height = max(len(x) for x in lines)
    for side, side_lines in zip(t.sides, lines):
        side_key = side.name if len(t.sides) > 1 else None
        for i in range(height):
            r = body + i
            rs = side_lines[i] if i < len(side_lines) else None
            c = col
            _label(g, r, c, rs.label if rs else None, bold=bool(rs and rs.key.endswith(("合计", "总计"))))
            c += 1
            if side.has_lines:
                _label(g, r, c, rs.line if rs else None, center=True)
                c += 1
            row = found.get((side_key, rs.key)) if rs and not rs.blank else None
            for column in side.columns:
                if rs is None or rs.blank:
                    _label(g, r, c, None)
                else:
                    _amount(g, r, c, row, column.name, count=bool(rs.unit))
                c += 1
        col = c
    return body + height


def _coded_body(g: Grid, body: int, rows: list[Row] | None, spare_rows: int) -> int:
    t = g.spec
    rows = rows or []
    total = next((r for r in rows if r.key == "合计"), None)
    coded = [r for r in rows if r.code]
    first = 4 if t.has_gov_codes else 2  # the first amount column
    _label(g, body, 0, "合计", bold=True, center=True, cols=2)
    if t.has_gov_codes:
        _label(g, body, 2, None)
        _label(g, body, 3, None)
    for i, c in enumerate(t.columns, start=first):
        _amount(g, body, i, total, c.name)
    _texts(g, body, first + len(t.columns), total)
    for n in range(len(coded) + spare_rows):
        r = body + 1 + n
        row = coded[n] if n < len(coded) else None
        bold = bool(row and row.level == "类")
        _label(g, r, 0, row.code if row else None, editable=True, as_text=True, bold=bold)
        _label(g, r, 1, row.name if row else None, editable=True, bold=bold)
        if t.has_gov_codes:
            _label(g, r, 2, row.gov_code if row else None, editable=True, as_text=True)
            _label(g, r, 3, row.gov_name if row else None, editable=True)
        for i, c in enumerate(t.columns, start=first):
            _amount(g, r, i, row, c.name)
        _texts(g, r, first + len(t.columns), row)
    return body + 1 + len(coded) + spare_rows


def _texts(g: Grid, r: int, start: int, row: Row | None) -> None:
    """The text columns (备注, 项目简介) of a row, as input cells."""
    for i, c in enumerate(g.spec.text_columns, start=start):
        _label(g, r, i, row.texts.get(c.name) if row else None, editable=True)


def _economic_body(g: Grid, body: int, rows: list[Row] | None) -> int:
    t = g.spec
    found = {(r.code or r.key): r for r in rows or []}
    classes = {c.code: c for c in t.classes}
    height = 0
    for b, block in enumerate(t.blocks):
        lines: list[tuple[str, str, bool]] = []
        for code in block:
            cls = classes[code]
            lines.append((cls.code, cls.name, True))
            lines += [(c, n, False) for c, n in cls.items]
        height = max(height, len(lines))
        for i, (code, name, is_class) in enumerate(lines):
            r, c = body + i, 3 * b
            _label(g, r, c, code, bold=is_class, as_text=True)
            _label(g, r, c + 1, name, bold=is_class)
            row = found.get(code)
            _amount(g, r, c + 2, row, t.value_name)
    r = body + height
    for b in range(len(t.blocks)):
        total = next((x for x in t.totals if x.block == b + 1), None)
        c = 3 * b
        if total:
            _label(g, r, c, total.label, bold=True, center=True, cols=2)
            row = found.get(total.label)
            _amount(g, r, c + 2, row, t.value_name)
        else:
            _label(g, r, c, None, bold=True, center=True)
    return r + 1


def _fill_gaps(g: Grid) -> None:
    """Every position no cell covers gets an empty bordered label (shorter 06 blocks, a missing total)."""
    covered = {(c.row + i, c.col + j) for c in g.cells for i in range(c.rows) for j in range(c.cols)}
    for r in range(g.header_rows, g.nrows):
        for c in range(g.ncols):
            if (r, c) not in covered:
                g.cells.append(GridCell(r, c, None, LABEL))


def cell_text(g: GridCell, zero: str = "") -> str:
    """What a cell prints; an amount cell without an amount prints the style's zero ("" or "0.00")."""
    if g.value is None:
        return ("0" if g.count and zero else zero) if g.kind == AMOUNT else ""
    if isinstance(g.value, Decimal):
        return _count_text(g.value) if g.count else f"{g.value:,.2f}"  # a count line (辆, 台): as counted
    return str(g.value)


def _count_text(value: Decimal) -> str:
    """A count as it is: 4 for 4.00; a stray 2.5 stays 2.5 (R08 names it), never rounded out of sight."""
    return f"{value.normalize():,f}" if value != value.to_integral_value() else f"{value:,.0f}"
