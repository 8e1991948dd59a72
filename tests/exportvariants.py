"""Variants of a seed's export, the ways real 部门决算软件 exports (and officers' edits of them) differ from
the clean one: labels spelt otherwise, blank rows, no 栏次 row, no 行次 column, headers merged otherwise,
columns in another order, amounts in 元 or as text, tables on one sheet, sheets renamed or added.

`clean(rep)` lays a seed out as seedfixtures.write_export does (one TableGrid per table); each variant in
VARIANTS changes those grids in place and records every label it reworded (Export.reworded), so a test can
demand that each shows as a 提示 naming both spellings. Rewordings only use the kinds the spec tolerates
and never produce another line's exact name (that is a shifted row, refused, tested on its own).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

from disclosure import tablegrid
from disclosure.specs import RowSpec, SideSpec, normalize_label
from seedfixtures import SeedReport, TableGrid, Variant, table_grid, write_grids

FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


@dataclass(frozen=True)
class Reworded:
    table: str
    printed: str  # as the notice quotes it (sheet text: stripped, full-width spaces as spaces)
    expected: str  # the 表样's label


@dataclass
class Export:
    rep: SeedReport
    grids: dict[str, TableGrid]
    sheets: list[tuple[str, list[str]]]  # sheet name -> table ids on it
    before: list[tuple[str, list[list]]] = field(default_factory=list)  # sheets before the tables
    reworded: dict[tuple, Reworded] = field(default_factory=dict)  # (table, side, key) -> its last rewording
    yuan: bool = False  # amounts printed in 元

    def write(self, path: Path) -> Path:
        extra = [(name, [TableGrid(None, cells)]) for name, cells in self.before]  # type: ignore[arg-type]
        return write_grids(path, extra + [(name, [self.grids[t] for t in ids]) for name, ids in self.sheets])


def clean(rep: SeedReport) -> Export:
    rng = random.Random(0)
    grids = {t.id: table_grid(rep, t, Variant(), rng) for t in rep.spec.tables.values()}
    return Export(rep, grids, [(f"{t.id}{t.title}"[:31], [t.id]) for t in rep.spec.tables.values()])


# ---------------------------------------------------------------- editing a grid

def _shift(rows: list[int], at: int, by: int) -> list[int]:
    return [r + by if r >= at else r for r in rows]


def insert_rows(g: TableGrid, at: int, rows: list[list]) -> None:
    n = len(rows)
    g.cells[at:at] = [list(r) for r in rows]
    g.header, g.body = _shift(g.header, at, n), _shift(g.body, at, n)
    g.lanci = None if g.lanci is None else _shift([g.lanci], at, n)[0]
    g.unit = (_shift([g.unit[0]], at, n)[0], g.unit[1])
    g.merges = [(r1 + n if r1 >= at else r1, c1, r2 + n if r2 >= at else r2, c2) for r1, c1, r2, c2 in g.merges]


def delete_row(g: TableGrid, r: int) -> None:
    del g.cells[r]
    drop = lambda rows: [x - 1 if x > r else x for x in rows if x != r]  # noqa: E731
    g.header, g.body = drop(g.header), drop(g.body)
    g.lanci = None if g.lanci in (None, r) else drop([g.lanci])[0]
    g.unit = (g.unit[0] - (g.unit[0] > r), g.unit[1])
    g.merges = [(r1 - (r1 > r), c1, r2 - (r2 >= r), c2) for r1, c1, r2, c2 in g.merges if not r1 == r2 == r]


def delete_col(g: TableGrid, c: int) -> None:
    for row in g.cells:
        if c < len(row):
            del row[c]
    drop = lambda cols: [x - 1 if x > c else x for x in cols if x != c]  # noqa: E731
    g.label_cols, g.line_cols, g.value_cols = drop(g.label_cols), drop(g.line_cols), drop(g.value_cols)
    g.unit = (g.unit[0], g.unit[1] - (g.unit[1] > c))
    g.merges = [(r1, c1 - (c1 > c), r2, c2 - (c2 >= c)) for r1, c1, r2, c2 in g.merges if not c1 == c2 == c]


def permute_cols(g: TableGrid, cols: list[int], order: list[int]) -> None:
    """Columns `cols` take the contents of `order` (a permutation of cols) in the header, 栏次 and body
    rows. Header merges across them are dropped (their text stays in the first cell)."""
    width = g.width
    for r in [*g.header, *([g.lanci] if g.lanci is not None else []), *g.body]:
        row = g.cells[r]
        row.extend([None] * (width - len(row)))
        moved = [row[c] for c in order]
        for c, value in zip(cols, moved):
            row[c] = value
    g.merges = [m for m in g.merges if not any(m[1] <= c <= m[3] for c in cols)]


def replace_header(g: TableGrid, rows: list[list], merges: list[tuple[int, int, int, int]]) -> None:
    """Header rows (names, not 栏次) replaced by `rows`, merged as `merges` (relative to the first)."""
    top = g.header[0]
    for r in sorted(g.header, reverse=True):
        delete_row(g, r)
    insert_rows(g, top, rows)
    g.header = list(range(top, top + len(rows)))
    g.merges += [(top + r1, c1, top + r2, c2) for r1, c1, r2, c2 in merges]


def _sides(g: TableGrid):
    """(side, label column, 行次 column) of a fixed table."""
    lines = iter(g.line_cols)
    for side, label_col in zip(g.table.sides, g.label_cols):
        yield side, label_col, next(lines) if side.has_lines else None


def fixed_labels(export: Export, g: TableGrid):
    """(row, label column, side, spec row) of every printed label of a fixed table (by 行次, else by label)."""
    for side, label_col, line_col in _sides(g):
        for r in g.body:
            text = g.get(r, label_col)
            if not isinstance(text, str) or not text.strip():
                continue
            line = g.get(r, line_col) if line_col is not None else None
            rules = export.rep.spec.labels
            rs = side.by_line(int(line)) if line else next(x for x in side.rows if rules.match(x, text))
            yield r, label_col, side, rs


def _fixed_grids(export: Export) -> list[TableGrid]:
    return [g for g in export.grids.values() if g.table.kind == "fixed"]


def _named_elsewhere(side: SideSpec, rs: RowSpec, text: str) -> bool:
    return any(x.is_named(text) for x in side.rows if not x.blank and x is not rs) or rs.is_named(text)


def _reword(export: Export, g: TableGrid, r: int, c: int, side: SideSpec, rs: RowSpec, text: str) -> None:
    g.set(r, c, text)
    printed = text.replace("\u3000", " ").replace("\xa0", " ").strip()
    export.reworded[(g.table.id, side.name, rs.key)] = Reworded(g.table.id, printed, rs.label)


# ---------------------------------------------------------------- label spellings

_CN = "一二三四五六七八九"
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+)、")


def _cn_number(s: str) -> int:
    if "十" not in s:
        return _CN.index(s) + 1
    tens, _, units = s.partition("十")
    return (_CN.index(tens) + 1 if tens else 1) * 10 + (_CN.index(units) + 1 if units else 0)


def spaces_in_labels(export: Export, rng: random.Random) -> None:
    """Spaces inside words and full-width indentation: a difference of form only, no 提示."""
    for g in _fixed_grids(export):
        for r, c, _, rs in fixed_labels(export, g):
            text = g.get(r, c)
            cut = min(len(text) - 1, 4)
            g.set(r, c, "\u3000\u3000" + text[:cut] + rng.choice([" ", "\u3000", "  "]) + text[cut:])


def width_forms(export: Export, rng: random.Random) -> None:
    """Half-width brackets, full-width 行次 and 科目编码: form only, no 提示."""
    for g in export.grids.values():
        if g.table.kind == "fixed":
            for r, c, _, _ in fixed_labels(export, g):
                g.set(r, c, g.get(r, c).replace("（", "(").replace("）", ")"))
            for c in g.line_cols:
                for r in g.body:
                    if g.get(r, c) is not None:
                        g.set(r, c, str(g.get(r, c)).translate(FULL_WIDTH))
        elif g.table.kind == "coded":
            for r in g.body:
                code = g.get(r, g.label_cols[0])
                if isinstance(code, int) or isinstance(code, str) and code.isdigit():
                    g.set(r, g.label_cols[0], str(code).translate(FULL_WIDTH))


def numbering(export: Export, rng: random.Random) -> None:
    """一、 written as 1. （一） 1、 (1) or left out: form only, no 提示."""
    styles = [lambda cn, n: f"{n}.", lambda cn, n: f"（{cn}）", lambda cn, n: f"{n}、", lambda cn, n: f"({n})",
              lambda cn, n: ""]
    for g in _fixed_grids(export):
        for i, (r, c, _, _) in enumerate(fixed_labels(export, g)):
            text = g.get(r, c)
            m = _ORDINAL.match(text)
            if m:
                g.set(r, c, styles[i % len(styles)](m.group(1), _cn_number(m.group(1))) + text[m.end():])


def optional_words(export: Export, rng: random.Random) -> None:
    """预算/财政 dropped (the issue's “政府性基金拨款”), 支出/收入 dropped or added: 提示 for each."""
    edits = [lambda s: s.replace("预算", "").replace("财政", ""), lambda s: s.removesuffix("支出"),
             lambda s: s.replace("收入", ""), lambda s: s + "收入" if "收入" not in s else s]
    for g in _fixed_grids(export):
        rules = export.rep.spec.labels
        for i, (r, c, side, rs) in enumerate(fixed_labels(export, g)):
            if i % 2:
                continue
            text = g.get(r, c)
            for edit in edits:
                new = edit(text)
                if normalize_label(new) != normalize_label(text) and not _named_elsewhere(side, rs, new) \
                        and rules.match(rs, new) and rs.other_year_of(new) is None:
                    _reword(export, g, r, c, side, rs, new)
                    break


def level_suffixes(export: Export, rng: random.Random) -> None:
    """（类） after the 类 rows of 01/04 (a 提示 each); （类）（款）（项） after 科目名称 (the level is the code's)."""
    for g in export.grids.values():
        if g.table.kind == "fixed":
            for r, c, side, rs in fixed_labels(export, g):
                if rs.code:
                    _reword(export, g, r, c, side, rs, g.get(r, c) + "（类）")
        elif g.table.kind == "coded":
            for r in g.body:
                code, name = str(g.get(r, g.label_cols[0]) or ""), g.get(r, g.label_cols[1])
                if name and len(code) in (3, 5, 7):
                    g.set(r, g.label_cols[1], name + {3: "（类）", 5: "（款）", 7: "(项)"}[len(code)])


def other_year_names(export: Export, rng: random.Random) -> None:
    """A line printed with its name from the other layout year (04: 年初财政拨款结转和结余 …): 提示."""
    for g in _fixed_grids(export):
        for r, c, side, rs in fixed_labels(export, g):
            if rs.other_years:
                _reword(export, g, r, c, side, rs, rs.other_years[0][1])


def word_missing(export: Export, rng: random.Random) -> None:
    """Two characters left out of a long label (附属单位收入 for 附属单位上缴收入): 提示."""
    rules = export.rep.spec.labels
    for g in _fixed_grids(export):
        for i, (r, c, side, rs) in enumerate(fixed_labels(export, g)):
            text = g.get(r, c)
            m = _ORDINAL.match(text)
            head, body = (text[:m.end()], text[m.end():]) if m else ("", text)
            new = head + body[:2] + body[4:]
            if i % 3 == 0 and len(body) >= 6 and not _named_elsewhere(side, rs, new) and rules.match(rs, new):
                _reword(export, g, r, c, side, rs, new)


def wrapped_labels(export: Export, rng: random.Random) -> None:
    """A long label broken over two rows: the rest on the row below, or the start on the row above."""
    for g in _fixed_grids(export):
        targets: dict[int, int] = {}
        for r, c, side, _ in fixed_labels(export, g):
            text = g.get(r, c)
            amounts = [g.get(r, x) for x in g.value_cols if c < x and not any(c < y < x for y in g.label_cols)]
            # a line with amounts, and no part alone the name of a line (04 2024: 政府性基金预算财政拨款 + 收入):
            # without 行次 those would be ambiguous
            if len(text) >= 12 and r not in targets and len(targets) < 3 and any(amounts) \
                    and not any(rs.matches(part) for rs in side.rows for part in (text[:-2], text[-2:])):
                targets[r] = c
        for i, (r, c) in sorted(enumerate(targets.items()), key=lambda x: -x[1][0]):  # bottom up: rows stay put
            text = g.get(r, c)
            start, rest = text[:-2], text[-2:]
            below = i % 2 == 0
            g.set(r, c, start if below else rest)
            extra = [None] * g.width
            extra[c] = rest if below else start
            at = r + 1 if below else r
            insert_rows(g, at, [extra])
            g.body = sorted(g.body + [at])


# ---------------------------------------------------------------- rows and columns

def blank_rows(export: Export, rng: random.Random) -> None:
    """Empty rows under the header and between data rows."""
    for g in export.grids.values():
        for r in sorted(g.body[::4], reverse=True):
            insert_rows(g, r, [[None] * g.width])
        insert_rows(g, g.body[0], [[None] * g.width, [None] * g.width])


def no_lanci_row(export: Export, rng: random.Random) -> None:
    """The 栏次 row left out: the header names place the columns."""
    for g in export.grids.values():
        if g.lanci is not None:
            delete_row(g, g.lanci)


def no_line_column(export: Export, rng: random.Random) -> None:
    """The 行次 columns of 01 and 04 left out: the labels place the rows."""
    for g in _fixed_grids(export):
        for c in sorted(g.line_cols, reverse=True):
            delete_col(g, c)


def _official_header(g: TableGrid) -> tuple[list[list], list[tuple[int, int, int, int]]]:
    grid = tablegrid.layout(g.table, None)
    rows = [[None] * grid.ncols for _ in range(grid.header_depth)]
    merges = []
    for cell in grid.cells:
        if cell.row < grid.header_depth:
            rows[cell.row][cell.col] = cell.value
            if cell.rows > 1 or cell.cols > 1:
                merges.append((cell.row, cell.col, cell.row + cell.rows - 1, cell.col + cell.cols - 1))
    return rows, merges


def merged_header(export: Export, rng: random.Random) -> None:
    """The header merged as the official 表样 prints it (parents over their columns, 项目 down the rows)."""
    for g in export.grids.values():
        if g.table.kind != "economic":
            replace_header(g, *_official_header(g))


def one_row_header(export: Export, rng: random.Random) -> None:
    """Header levels written into one cell (“本年支出小计”), nothing merged, no 栏次 row."""
    for g in export.grids.values():
        if g.table.kind == "economic":
            continue
        rows, merges = _official_header(g)
        keep = 1 if len(g.table.sides) > 1 else 0  # the 收入 / 支出 row stays above
        joined = []
        for c in range(len(rows[0])):
            parts: list[str] = []
            for r in range(keep, len(rows)):
                origin = next(((r1, c1) for r1, c1, r2, c2 in merges if r1 <= r <= r2 and c1 <= c <= c2), (r, c))
                value = rows[origin[0]][origin[1]]
                if value and (not parts or parts[-1] != value):
                    parts.append(value)
            if parts and parts[-1] in ("项目", "行次", "科目代码", "科目名称"):
                parts = parts[-1:]  # the label columns keep their own name
            joined.append("".join(parts) or None)
        replace_header(g, rows[:keep] + [joined], [])
        if g.lanci is not None:
            delete_row(g, g.lanci)


def reorder_columns(export: Export, rng: random.Random) -> None:
    """Value columns in another order, each with its 栏次: 02, 03, 05, 07, 08, 09 and 04's four funds."""
    for g in export.grids.values():
        if g.table.kind == "economic" or g.table.id == "01":
            continue
        cols = g.value_cols[-4:] if g.table.id == "04" else list(g.value_cols)
        order = list(cols)
        while order == cols:
            rng.shuffle(order)
        permute_cols(g, cols, order)


def reorder_columns_no_lanci(export: Export, rng: random.Random) -> None:
    reorder_columns(export, rng)
    no_lanci_row(export, rng)


# ---------------------------------------------------------------- amounts

def _amount_cells(export: Export):
    for g in export.grids.values():
        for r in g.body:
            for c in g.value_cols:
                yield g, r, c


def _as_text(export: Export, fmt: Callable[[Decimal], str]) -> None:
    for g, r, c in _amount_cells(export):
        value = g.get(r, c)
        if isinstance(value, (Decimal, int, float)):
            g.set(r, c, fmt(Decimal(str(value))))


def _thousands(x: Decimal) -> str:
    return f"({-x:,.2f})" if x < 0 else f"{x:,.2f}"


def text_thousands(export: Export, rng: random.Random) -> None:
    """Amounts as text with thousands separators; negatives in brackets: (1,234.56)."""
    _as_text(export, _thousands)


def fullwidth_digits(export: Export, rng: random.Random) -> None:
    """Amounts as full-width text: １，０８１．５６."""
    _as_text(export, lambda x: _thousands(x).translate(FULL_WIDTH))


def dash_for_zero(export: Export, rng: random.Random) -> None:
    """Empty amounts written as “-”, “—”, “－” or 0.00."""
    marks = ["-", "—", "－", "0.00", "——"]
    for i, (g, r, c) in enumerate(_amount_cells(export)):
        if g.get(r, c) is None and any(g.get(r, x) is not None for x in range(g.width)):
            g.set(r, c, marks[i % len(marks)])


def _to_yuan(export: Export, rng: random.Random) -> None:
    """Amounts × 10000, each off by less than 50 元 (rounds back to the same 0.01 万元)."""
    for g, r, c in _amount_cells(export):
        value = g.get(r, c)
        if isinstance(value, (Decimal, int, float)) and value:
            g.set(r, c, Decimal(str(value)) * 10000 + Decimal(rng.randint(-4999, 4999)) / 100)
    export.yuan = True


def yuan_unit_line(export: Export, rng: random.Random) -> None:
    """Amounts in 元, said by the unit line “金额单位：元”."""
    _to_yuan(export, rng)
    for g in export.grids.values():
        g.set(*g.unit, "金额单位：元")


def yuan_in_headers(export: Export, rng: random.Random) -> None:
    """Amounts in 元, said only in the headers (“决算数（元）”), no unit line."""
    _to_yuan(export, rng)
    for g in export.grids.values():
        g.set(*g.unit, None)
        for c in g.value_cols:
            r = max((r for r in g.header if g.get(r, c)), default=None)
            if r is not None:
                g.set(r, c, f"{g.get(r, c)}（元）")


def with_negatives(rep: SeedReport) -> SeedReport:
    """The seed with the last 科目 of 02 and 03 negative (a refund): the clean export of the bracket variant."""
    import copy

    out = copy.deepcopy(rep)
    for tid in ("02", "03"):
        cells = out.printed[tid][-1]
        out.printed[tid][-1] = cells[:2] + [f"-{x}" if x else x for x in cells[2:]]
    return out


# ---------------------------------------------------------------- sheets

def one_sheet(export: Export, rng: random.Random) -> None:
    """All nine tables on one sheet, last first."""
    export.sheets = [("导出数据", [tid for _, ids in reversed(export.sheets) for tid in ids])]


def sheet_names(export: Export, rng: random.Random) -> None:
    """Sheets named Sheet1…, in another order."""
    rng.shuffle(export.sheets)
    export.sheets = [(f"Sheet{i}", ids) for i, (_, ids) in enumerate(export.sheets, start=1)]


def extra_sheets(export: Export, rng: random.Random) -> None:
    """A cover, a 目录 naming every table, and a 填报说明 before the tables."""
    rep = export.rep
    export.before = [
        ("封面", [[f"{rep.unit_name}{rep.year}年度部门决算"], [], [f"编制单位：{rep.unit_name}"]]),
        ("目录", [["目录"]] + [[t.number, t.title, str(i)] for i, t in enumerate(rep.spec.tables.values(), 1)]),
        ("填报说明", [["说明：本套报表由部门决算软件导出，金额保留两位小数。"], ["栏次、行次见各表。"]]),
    ]


# ---------------------------------------------------------------- all of them

VARIANTS: dict[str, Callable[[Export, random.Random], None]] = {f.__name__: f for f in (
    spaces_in_labels, width_forms, numbering, optional_words, level_suffixes, other_year_names, word_missing,
    wrapped_labels, blank_rows, merged_header, one_row_header, no_lanci_row, no_line_column, reorder_columns,
    reorder_columns_no_lanci, yuan_unit_line, yuan_in_headers, text_thousands, fullwidth_digits, dash_for_zero,
    one_sheet, sheet_names, extra_sheets,
)}
# changing a label's wording: each must show as a 提示
REWORDING = {"optional_words", "level_suffixes", "other_year_names", "word_missing"}


def variant(rep: SeedReport, *names: str, seed: int = 1) -> Export:
    """The clean export of rep with the named variants applied in order."""
    export = clean(rep)
    rng = random.Random(seed)
    for name in names:
        VARIANTS[name](export, rng)
    return export
