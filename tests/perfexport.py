"""Seed 001's ten 绩效自评表 (tests/fixtures/seeds/001_perf.yaml via seed001perf.py) written into an .xlsx laid out
as the seed prints them — an independent layout typed here from the seed text (lines 281–602), not taken from
disclosure/perf/sheets.py — so that the import is tested against what a 绩效 system's export looks like.

`write_export(path, variant)` returns where every value was written: {(table id, *path): "Sheet!C7"}, path being
("名称",), ("主管部门",), ("实施单位",), ("资金", i, column) — column 项目 / 年初预算数 / 全年预算数 / 全年执行数 /
分值 / 执行率 / 得分, and for the 整体 table's 任务 rows 主要内容 / 完成情况 / 全年预算数.财政拨款 … —, ("目标", 预期目标 |
实际完成情况), ("指标", i, column) and ("总分", 分值 | 得分).

Variants: one table per sheet (the default); all tables on one sheet; and `shifted`: every table moved right by
1–3 columns and down, extra blank rows inside the 资金 and 指标 blocks, the header text broken over two rows and
with spaces inside (“年初预 / 算数”, “全年预算 / 数（A）”), 执行率 as number cells (a fraction shown as a
percentage, or the percentage where the seed prints no % sign).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

import seed001perf

DATA = seed001perf.load()
TABLES = DATA["tables"]
DASH = seed001perf.DASH

FUND_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
INDICATOR_TEXTS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施")


@dataclass(frozen=True)
class Variant:
    one_sheet: bool = False
    shifted: bool = False


SHEETS = Variant()
ONE_SHEET = Variant(one_sheet=True)
SHIFTED = Variant(shifted=True)
SHIFTED_ONE_SHEET = Variant(one_sheet=True, shifted=True)


class _Sheet:
    """Writes cells of one worksheet at an offset, recording where each value went."""

    def __init__(self, ws, table_id: str, row: int, col: int, where: dict):
        self.ws, self.id, self.row, self.col, self.where = ws, table_id, row, col, where

    def put(self, r: int, c: int, value, key: tuple | None = None, merge_to: tuple[int, int] | None = None,
            fmt: str | None = None):
        """Cell (r, c) of the table (1-based, before the offset)."""
        rr, cc = self.row + r - 1, self.col + c - 1
        cell = self.ws.cell(rr, cc)
        if value is not None:
            cell.value = float(value) if isinstance(value, Decimal) else value
            if isinstance(value, str):
                cell.data_type = "s"
        if fmt:
            cell.number_format = fmt
        if key is not None:
            self.where[(self.id, *key)] = f"{self.ws.title}!{cell.coordinate}"
        if merge_to and merge_to != (r, c):
            self.ws.merge_cells(start_row=rr, start_column=cc, end_row=self.row + merge_to[0] - 1,
                                end_column=self.col + merge_to[1] - 1)


def _split(text: str) -> tuple[str, str]:
    """A header broken over two rows, a space left inside the first half (“年初预 ” / “算数”)."""
    half = max(1, len(text) // 2)
    return text[:half - 1] + " " + text[half - 1:half] if half > 1 else text[:half], text[half:]


def _header(s: _Sheet, r: int, cells: list[tuple[int, str, int]], broken: bool) -> int:
    """Header texts at (column, text, last column of its merge) on row r; returns the rows it took."""
    for c, text, last in cells:
        if broken and len(text) > 1:
            first, second = _split(text)
            s.put(r, c, first)
            s.put(r + 1, c, second)
        else:
            s.put(r, c, text, merge_to=(r, last) if last != c else None)
    return 2 if broken else 1


def _rate(s: _Sheet, r: int, c: int, printed: str | None, key: tuple, numeric: bool) -> None:
    if printed is None:
        s.put(r, c, None, key)
    elif numeric and printed.endswith("%"):  # a percentage cell: the fraction, shown 86.02%
        s.put(r, c, seed001perf.rate(printed) / 100, key, fmt="0.00%")
    elif numeric:  # printed without a % sign: the number as printed
        s.put(r, c, seed001perf.rate(printed), key)
    else:
        s.put(r, c, printed, key)


def _merge_runs(s: _Sheet, col: int, values: list[str | None], key_col: str, rows: list[int],
                groups: list | None = None) -> None:
    """一级 / 二级 texts as merged cells over each run of equal values (within `groups`, the 一级 runs)."""
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i] and (groups is None or groups[j + 1] == groups[i]):
            j += 1
        s.put(rows[i], col, values[i], ("指标", i, key_col), merge_to=(rows[j], col))
        for k in range(i + 1, j + 1):  # the merged rows read their level from the top cell
            s.where[(s.id, "指标", k, key_col)] = s.where[(s.id, "指标", i, key_col)]
        i = j + 1


def _write_project(s: _Sheet, t: dict, v: Variant, numeric_rates: bool) -> int:
    r = 1
    s.put(r, 1, t["title"], merge_to=(r, 9))
    s.put(r + 1, 1, "（2023年度）", merge_to=(r + 1, 9))
    s.put(3, 1, "项目名称")
    s.put(3, 2, t["名称"], ("名称",), merge_to=(3, 9))
    s.put(4, 1, "主管部门")
    s.put(4, 2, t["主管部门"], ("主管部门",), merge_to=(4, 4))
    s.put(4, 5, "实施单位", merge_to=(4, 6))
    s.put(4, 7, t["实施单位"], ("实施单位",), merge_to=(4, 9))
    r = 5
    used = _header(s, r, [(1, "项目资金（万元）", 1), (3, "年初预算数", 3), (4, "全年预算数（A）", 4),
                          (5, "全年执行数（B）", 5), (6, "分值", 6), (7, "执行率（B/A）", 7), (8, "得分", 9)], v.shifted)
    r += used + (1 if v.shifted else 0)  # a blank row under the header
    for i, f in enumerate(t["资金"]):
        s.put(r, 2, f["项目"], ("资金", i, "项目"))
        for c, col in enumerate(FUND_COLUMNS, start=3):
            if col == "执行率":
                _rate(s, r, c, f[col], ("资金", i, col), numeric_rates)
            else:
                s.put(r, c, f[col], ("资金", i, col), merge_to=(r, 9) if col == "得分" else None)
        r += 1
    r = _goal(s, r, t, split=6, done_title="实际完成情况", last=9)
    head = [(2, "一级指标", 2), (3, "二级指标", 3), (4, "三级指标", 4), (5, "年度指标值", 5), (6, "实际完成值", 6),
            (7, "分值", 7), (8, "得分", 8), (9, "偏差原因分析及改进措施", 9)]
    s.put(r, 1, "绩效指标")
    r += _header(s, r, head, v.shifted)
    return _indicators(s, r, t, v, cols={"一级指标": 2, "二级指标": 3, "三级指标": 4, "年度指标值": 5, "实际完成值": 6,
                                         "分值": 7, "得分": 8, "偏差原因分析及改进措施": 9}, last3=4)


def _write_overall(s: _Sheet, t: dict, v: Variant, numeric_rates: bool) -> int:
    s.put(1, 1, t["title"], merge_to=(1, 13))
    s.put(2, 1, "(2023 年度)", merge_to=(2, 13))
    s.put(3, 1, "部门(单位)名称", merge_to=(3, 3))
    s.put(3, 4, t["名称"], ("名称",), merge_to=(3, 13))
    r = 4
    s.put(r, 1, "年度主要任务完成情况")
    top = [(2, "任务名称", 2), (3, "主要内容", 3), (4, "完成情况", 4), (5, "全年预算数(万元)", 7), (8, "全年执行数(万元)", 10),
           (11, "分值", 11), (12, "执行率", 12), (13, "得分", 13)]
    used = _header(s, r, top, v.shifted)
    for c, sub in zip(range(5, 11), ("总额", "财政拨款", "其他资金") * 2):
        s.put(r + used, c, sub)
    r += used + 1 + (1 if v.shifted else 0)
    for i, f in enumerate(t["任务"]):
        s.put(r, 2, f["任务名称"], ("资金", i, "项目"))
        s.put(r, 3, f["主要内容"], ("资金", i, "主要内容"))
        s.put(r, 4, f["完成情况"], ("资金", i, "完成情况"))
        for c0, group in ((5, "全年预算数"), (8, "全年执行数")):
            s.put(r, c0, f[group]["总额"], ("资金", i, group))
            s.put(r, c0 + 1, f[group]["财政拨款"], ("资金", i, f"{group}.财政拨款"))
            s.put(r, c0 + 2, f[group]["其他资金"], ("资金", i, f"{group}.其他资金"))
        s.put(r, 11, f["分值"], ("资金", i, "分值"))
        _rate(s, r, 12, f["执行率"], ("资金", i, "执行率"), numeric_rates)
        s.put(r, 13, f["得分"], ("资金", i, "得分"))
        r += 1
    r = _goal(s, r, t, split=8, done_title="目标实际完成情况", last=13)
    s.put(r, 1, "年度绩效指标完成情况")
    head = [(2, "一级指标", 2), (3, "二级指标", 3), (4, "指标内容", 6), (7, "年度指标值", 7), (8, "实际完成值", 8),
            (9, "分值", 9), (10, "得分", 10)]
    r += _header(s, r, head, v.shifted)
    return _indicators(s, r, t, v, cols={"一级指标": 2, "二级指标": 3, "三级指标": 4, "年度指标值": 7, "实际完成值": 8,
                                         "分值": 9, "得分": 10}, last3=6)


def _goal(s: _Sheet, r: int, t: dict, split: int, done_title: str, last: int) -> int:
    goal = t["年度总体目标"]
    s.put(r, 1, "年度总体目标完成情况", merge_to=(r + 1, 1))
    s.put(r, 2, "预期目标(年初设定)", merge_to=(r, split - 1))
    s.put(r, split, done_title, merge_to=(r, last))
    s.put(r + 1, 2, goal["预期目标"], ("目标", "预期目标"), merge_to=(r + 1, split - 1))
    s.put(r + 1, split, goal["实际完成情况"], ("目标", "实际完成情况"), merge_to=(r + 1, last))
    return r + 2


def _indicators(s: _Sheet, r: int, t: dict, v: Variant, cols: dict[str, int], last3: int) -> int:
    rows, at = [], r
    for i, _ in enumerate(t["指标"]):
        if v.shifted and i in (2, 7):  # a blank row inside the block (inside the merged 一级 cell)
            at += 1
        rows.append(at)
        at += 1
    inds = t["指标"]
    _merge_runs(s, cols["一级指标"], [x["一级指标"] for x in inds], "一级指标", rows)
    _merge_runs(s, cols["二级指标"], [x["二级指标"] for x in inds], "二级指标", rows, groups=[x["一级指标"] for x in inds])
    for i, ind in enumerate(inds):
        rr = rows[i]
        s.put(rr, cols["三级指标"], ind["三级指标"], ("指标", i, "三级指标"), merge_to=(rr, last3))
        for col in ("年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"):
            if col in cols:
                s.put(rr, cols[col], ind[col], ("指标", i, col))
    total = at
    s.put(total, 1, "总分", merge_to=(total, cols["分值"] - 1))
    s.put(total, cols["分值"], t["总分"]["分值"], ("总分", "分值"))
    s.put(total, cols["得分"], t["总分"]["得分"], ("总分", "得分"))
    return total


def write_tables(wb: Workbook, variant: Variant = SHEETS, tables: list[dict] | None = None) -> dict:
    """Seed 001's tables into `wb` (new sheets); returns where each value was written."""
    where: dict = {}
    tables = TABLES if tables is None else tables
    ws, row = None, 1
    for n, t in enumerate(tables):
        if ws is None or not variant.one_sheet:
            ws = wb.create_sheet("绩效自评表" if variant.one_sheet else f"{t['id']}自评")
            row = 1
        col = 1 + (n % 3 + 1 if variant.shifted else 0)
        row += 2 if variant.shifted else 0
        s = _Sheet(ws, t["id"], row, col, where)
        numeric_rates = variant.shifted and n % 2 == 0
        write = _write_overall if t["kind"] == "整体" else _write_project
        row += write(s, t, variant, numeric_rates) + 3  # the next table three rows under this one's 总分
    return where


def write_export(path: Path, variant: Variant = SHEETS) -> dict:
    """A 绩效 system's export of seed 001's tables (nothing else in it)."""
    wb = Workbook()
    wb.remove(wb.active)
    where = write_tables(wb, variant)
    wb.save(path)
    return where
