"""A 绩效自评表 (disclosure/perf/model.py) as a print grid (tablegrid.Grid) in the layout seed 001 publishes — the
same blocks and columns as the workbook's 绩效 sheets (disclosure/perf/sheets.py), without their title rows,
input styling and notes — drawn by the Word export (word.py) and 公开表.xlsx (sheets.py).

项目 table, 9 columns: 项目名称 · 主管部门 / 实施单位 · 项目资金 (年初预算数, 全年预算数(A), 全年执行数(B), 分值,
执行率(B/A), 得分) · 年度总体目标 · 绩效指标 (一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因) · 总分.
整体 table, 13 columns: 部门（单位）名称 · 年度主要任务 (全年预算数 and 全年执行数 split 总额 · 财政拨款 · 其他资金) ·
年度总体目标 · 年度绩效指标 · 总分. Figures print as the table has them (执行率 as printed, not recomputed): the
package shows the officer's table; the checks (P01–P12) say where it is wrong.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from ..model import Value
from ..narrative.perf import is_rich, plain_text
from ..perf.model import OVERALL, PROJECT, FundRow, Indicator, PerfTable
from ..perf.sheets import (LAYOUTS, OVERALL_AMOUNT_HEADS, OVERALL_TASK_HEADS, OVERALL_TITLE, PROJECT_FUND_HEADS,
                           PROJECT_TITLE, Layout)
from ..perf.scoring import round_to
from ..tablegrid import AMOUNT, HEADER, LABEL, Grid, GridCell

DASH = "—"
# relative column widths, so that at the text width of a portrait page every amount and rate fits on one line
PROJECT_WIDTHS = [8, 14, 11, 16, 11, 10, 10, 7, 15]
OVERALL_WIDTHS = [6, 7, 7, 6, 9, 9, 8, 9, 9, 8, 5, 9, 5]


def title(t: PerfTable) -> str:
    return t.title or (OVERALL_TITLE if t.kind == OVERALL else PROJECT_TITLE)


def _score(v: Value | None) -> str | None:
    return None if v is None else format(v.amount.normalize(), "f")


def _rate(v: Value | None) -> str | None:
    """86.02%, and 100% for a whole percentage, as the seed prints them."""
    if v is None:
        return None
    rate = round_to(v.amount, 2)
    return f"{rate.quantize(Decimal(1)) if rate == rate.to_integral_value() else rate}%"


class _Cells:
    def __init__(self, widths: list[int]):
        self.grid = Grid(None, list(widths), 0, 0, 0)  # type: ignore[arg-type]  # no spec: not a 公开表

    def put(self, r: int, c: int, value, kind: str = LABEL, rows: int = 1, cols: int = 1, **kw) -> None:
        if isinstance(value, str) and is_rich(value):  # “<p>1.…</p><p>2.…</p>” as a 绩效 system exports it
            value = plain_text(value)
        self.grid.cells.append(GridCell(r, c, value, kind, rows, cols, **kw))
        self.grid.nrows = max(self.grid.nrows, r + rows)

    def head(self, r: int, c: int, text: str, rows: int = 1, cols: int = 1) -> None:
        self.put(r, c, text, HEADER, rows, cols)

    def amount(self, r: int, c: int, v: Value | None, cols: int = 1) -> None:
        if v is None:
            self.put(r, c, None, LABEL, cols=cols)
        else:
            self.put(r, c, v.amount, AMOUNT, cols=cols, ref=v.cell)

    def figure(self, r: int, c: int, v: Value | None, show=None, dash: bool = False, cols: int = 1) -> None:
        """A score or rate as printed (`show` makes its text, _score by default); “—” for a row not scored. It
        keeps the cell it was read from, where a finding about it is marked."""
        if v is None:
            self.put(r, c, DASH if dash else None, LABEL, cols=cols, center=True)
        else:
            self.put(r, c, (show or _score)(v), AMOUNT, cols=cols, ref=v.cell)


# the grid's columns count from 0, the layouts' (sheets.LAYOUTS) from 1 (A)


def _goal(g: _Cells, r: int, t: PerfTable, layout: Layout) -> int:
    split, last = layout.goal_split - 1, layout.ncols - 1
    g.head(r, 0, "年度总体目标完成情况", rows=2)
    g.head(r, 1, "预期目标（年初设定）", cols=split - 1)
    g.head(r, split, layout.goal_done, cols=last - split + 1)
    g.put(r + 1, 1, t.goal or None, cols=split - 1)
    g.put(r + 1, split, t.goal_done or None, cols=last - split + 1)
    return r + 2


def _runs(values: list[str], groups: list[str] | None = None) -> list[tuple[int, int]]:
    """(first, count) of each run of equal values (within equal groups): the merged 一级 / 二级 cells."""
    out, i = [], 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i] and (groups is None or groups[j + 1] == groups[i]):
            j += 1
        out.append((i, j - i + 1))
        i = j + 1
    return out


def _indicators(g: _Cells, r: int, t: PerfTable, layout: Layout) -> int:
    cols = {key: (c1 - 1, c2 - 1) for key, (c1, c2) in layout.indicators.items()}
    heads = layout.heads()
    inds: list[Indicator] = t.indicators
    g.head(r, 0, layout.block, rows=1 + len(inds))
    for key, (c1, c2) in cols.items():
        g.head(r, c1, heads[key], cols=c2 - c1 + 1)
    first = r + 1
    level1 = [i.level1 for i in inds]
    for at, n in _runs(level1):
        g.put(first + at, cols["一级"][0], level1[at] or None, rows=n, center=True)
    for at, n in _runs([i.level2 for i in inds], level1):
        g.put(first + at, cols["二级"][0], inds[at].level2 or None, rows=n, center=True)
    for k, ind in enumerate(inds):
        row = first + k
        for key, text in (("三级", ind.level3), ("值", ind.target), ("实际", ind.actual), ("偏差", ind.deviation)):
            c1, c2 = cols[key]
            g.put(row, c1, text or None, cols=c2 - c1 + 1)
        g.figure(row, cols["分值"][0], ind.weight)
        g.figure(row, cols["得分"][0], ind.score)
    total = first + len(inds)
    g.head(total, 0, "总分", cols=cols["分值"][0])
    g.figure(total, cols["分值"][0], t.total_weight)
    g.figure(total, cols["得分"][0], t.total_score)
    return total + 1


def _fund(g: _Cells, r: int, f: FundRow) -> None:
    g.put(r, 1, f.label)
    g.amount(r, 2, f.initial)
    g.amount(r, 3, f.budget)
    g.amount(r, 4, f.spent)
    g.figure(r, 5, f.weight, dash=True)
    g.figure(r, 6, f.rate, _rate)
    g.figure(r, 7, f.score, dash=True, cols=2)


def project_grid(t: PerfTable) -> Grid:
    g = _Cells(PROJECT_WIDTHS)
    g.head(0, 0, "项目名称")
    g.put(0, 1, t.name or None, cols=8)
    g.head(1, 0, "主管部门")
    g.put(1, 1, t.department or None, cols=3)
    g.head(1, 4, "实施单位", cols=2)
    g.put(1, 6, t.implementer or None, cols=3)
    g.head(2, 0, "项目资金（万元）", rows=1 + len(t.funds))
    g.head(2, 1, "")
    for c, text in enumerate(PROJECT_FUND_HEADS, start=2):
        g.head(2, c, text)
    g.head(2, 7, "得分", cols=2)
    for k, f in enumerate(t.funds):
        _fund(g, 3 + k, f)
    r = _goal(g, 3 + len(t.funds), t, LAYOUTS[PROJECT])
    _indicators(g, r, t, LAYOUTS[PROJECT])
    return g.grid


def overall_grid(t: PerfTable) -> Grid:
    g = _Cells(OVERALL_WIDTHS)
    g.head(0, 0, "部门（单位）名称")
    g.put(0, 1, t.name or None, cols=12)
    g.head(1, 0, "年度主要任务完成情况", rows=2 + len(t.funds))
    for c, text in OVERALL_TASK_HEADS:
        g.head(1, c - 1, text, rows=2)
    for c, text in OVERALL_AMOUNT_HEADS:
        g.head(1, c - 1, text, cols=3)
    for c, text in zip(range(4, 10), ("总额", "财政拨款", "其他资金") * 2):
        g.head(2, c, text)
    for k, f in enumerate(t.funds):
        r = 3 + k
        g.put(r, 1, f.label)
        g.put(r, 2, f.content or None)
        g.put(r, 3, f.done or None)
        for c, (group, main) in zip((4, 7), (("全年预算数", f.budget), ("全年执行数", f.spent))):
            g.amount(r, c, main)
            g.amount(r, c + 1, f.parts.get(f"{group}.财政拨款"))
            g.amount(r, c + 2, f.parts.get(f"{group}.其他资金"))
        g.figure(r, 10, f.weight, dash=True)
        g.figure(r, 11, f.rate, _rate)
        g.figure(r, 12, f.score, dash=True)
    r = _goal(g, 3 + len(t.funds), t, LAYOUTS[OVERALL])
    _indicators(g, r, t, LAYOUTS[OVERALL])
    return g.grid


def perf_grid(t: PerfTable, plain_amounts: bool = False) -> Grid:
    """plain_amounts: amounts as the seed prints them in these tables, 2747.12 (no thousands separator), for
    the Word table; else Decimal (公开表.xlsx formats them)."""
    grid = overall_grid(t) if t.kind == OVERALL else project_grid(t)
    if plain_amounts:
        for g in grid.cells:
            if isinstance(g.value, Decimal):
                g.value = f"{round_to(g.value, 2):.2f}"  # half-up, as every amount the tool prints
    return grid


def printed_parts(t: PerfTable) -> tuple[Grid, Grid]:
    """The table in two for print, as perf_grid(plain_amounts=True) cut above its 指标 block: the head (名称 … 年度总体
    目标) and the block, whose first row (一级指标 二级指标 …) repeats atop every page the block runs on to — a
    word processor repeats only a table's first rows. No cell spans the cut (the block starts a row of its own)."""
    grid = perf_grid(t, plain_amounts=True)
    band = next(c for c in grid.cells if c.col == 0 and c.value == LAYOUTS[t.kind].block)
    start = band.row
    head = Grid(grid.spec, list(grid.widths), 0, 0, start, [c for c in grid.cells if c.row < start])
    cells = [msgspec.structs.replace(c, row=c.row - start) for c in grid.cells if c.row >= start and c is not band]
    if band.rows > 1:
        # the block's title down its first column starts under the header row: a cell reaching from a repeated
        # header row into the rows below stops LibreOffice repeating it (the PDF is made there)
        cells += [GridCell(0, 0, "", HEADER), GridCell(1, 0, band.value, HEADER, rows=band.rows - 1)]
    else:
        cells.append(msgspec.structs.replace(band, row=0))
    body = Grid(grid.spec, list(grid.widths), 1, 1, grid.nrows - start, cells)
    if any(c.row + c.rows > start for c in head.cells):
        raise ValueError("a cell of the 自评表's head spans its 指标 block")
    return head, body


def tables_by_sheet(report) -> dict[str, PerfTable]:
    """The report's 绩效自评表 by their sheet (what a narrative section's table marks name)."""
    return {t.sheet: t for t in (report.perf.tables if report is not None and report.perf else [])}
