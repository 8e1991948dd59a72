"""The 绩效自评表 as sheets of the officer's workbook (openpyxl), in the layout seed 001 prints them: title, year,
项目名称 / 主管部门 / 实施单位 (整体: 部门（单位）名称), the 资金 block (整体: 年度主要任务 with 全年预算数 and 全年执行数
split 总额 · 财政拨款 · 其他资金), 年度总体目标, the 指标 block, 总分. Styled like the other template sheets: labels
grey and protected (no password), white unlocked input cells, amounts #,##0.00, 执行率 0.00%, A4 landscape.

Sheets are named 绩效-整体 and 绩效-项目1, 绩效-项目2 … (numbers, not project names: a name changes, may be long
or repeat — seed 001 has two 房屋租赁费 projects); the name is in the sheet's 项目名称 cell. read.py reads them back
by structure, so rows the officer inserts in the 指标 block are read too.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import msgspec
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..cells import put
from ..errors import DisclosureError
from ..model import Report, Value
from ..workbook import AMOUNT_FORMAT
from ..workbook_write import _BORDER, _FONT, _HEADER_FILL, _UNLOCKED, landscape_a4, number_validation
from .model import OVERALL, PROJECT, FundRow, Indicator, Performance, PerfTable
from .read import SHEET_PREFIX, norm

OVERALL_SHEET = f"{SHEET_PREFIX}整体"
PROJECT_TITLE, OVERALL_TITLE = "项目支出绩效自评表", "整体支出绩效自评表"
RATE_FORMAT = "0.00%"
PROJECT_FUNDS = ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")
DEFAULT_TASKS = (("任务1", "人员经费"), ("任务2", "公用经费"), ("任务3", "项目支出"))
# the usual 指标 tree: a new sheet offers one row per 二级指标 (rows can be inserted)
SKELETON = (("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"), ("产出指标", "成本指标"),
            ("效益指标", "经济效益指标"), ("效益指标", "社会效益指标"), ("效益指标", "生态效益指标"),
            ("效益指标", "可持续影响指标"), ("满意度指标", "服务对象满意度指标"))
NOTE = ("说明：白色单元格可填写，灰色为表头，已保护（无密码）。金额单位万元；执行率填百分数；未计分的行分值、得分填“—”。"
        "指标行不够时可在指标块中插入行，一级、二级指标与上一行相同时可留空。")
_DASH = "—"


class Layout(msgspec.Struct, frozen=True):
    """Where the blocks of a 自评表 stand, columns counted from 1 (A): the workbook sheet (here) and the print grid
    (export/perfgrid.py, columns from 0) draw the same table from these."""

    ncols: int
    goal_split: int  # 年度总体目标: the first column of its 实际完成情况 half
    goal_done: str  # that half's heading
    block: str  # the 指标 block's title
    level3: str  # the 三级 column's heading
    indicators: dict[str, tuple[int, int]]  # each 指标 field: its first and last column

    def heads(self) -> dict[str, str]:
        return {**INDICATOR_HEADS, "三级": self.level3}


INDICATOR_HEADS = {"一级": "一级指标", "二级": "二级指标", "值": "年度指标值", "实际": "实际完成值", "分值": "分值",
                   "得分": "得分", "偏差": "偏差原因分析及改进措施"}
LAYOUTS = {
    PROJECT: Layout(9, 6, "实际完成情况", "绩效指标", "三级指标",
                    {"一级": (2, 2), "二级": (3, 3), "三级": (4, 4), "值": (5, 5), "实际": (6, 6), "分值": (7, 7),
                     "得分": (8, 8), "偏差": (9, 9)}),
    OVERALL: Layout(13, 8, "目标实际完成情况", "年度绩效指标完成情况", "指标内容",
                    {"一级": (2, 2), "二级": (3, 3), "三级": (4, 6), "值": (7, 7), "实际": (8, 8), "分值": (9, 9),
                     "得分": (10, 10), "偏差": (11, 13)}),
}
# 项目 资金 block: the headings from column C (then 得分 over two columns)
PROJECT_FUND_HEADS = ("年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）")
# 整体 任务 block: the headings over two rows, by column; 全年预算数 and 全年执行数 over three columns each
OVERALL_TASK_HEADS = ((2, "任务名称"), (3, "主要内容"), (4, "完成情况"), (11, "分值"), (12, "执行率"), (13, "得分"))
OVERALL_AMOUNT_HEADS = ((5, "全年预算数（万元）"), (8, "全年执行数（万元）"))


class _Writer:
    """Cells of one sheet, styled; `ncols` wide."""

    def __init__(self, ws: Worksheet, ncols: int):
        self.ws, self.ncols = ws, ncols
        self.numbers: list[str] = []  # cells validated as numbers

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)

    def header(self, r1: int, c1: int, text: str, r2: int | None = None, c2: int | None = None) -> None:
        r2, c2 = r2 or r1, c2 or c1
        put(self.ws, r1, c1, text)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                cell = self.ws.cell(r, c)
                cell.border, cell.fill = _BORDER, _HEADER_FILL
                cell.font = Font(name=_FONT, size=10, bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.merge(r1, c1, r2, c2)

    def text(self, r: int, c1: int, value: str | None, c2: int | None = None, *, editable: bool = True,
             wrap: bool = False) -> None:
        c2 = c2 or c1
        put(self.ws, r, c1, value or None)
        for c in range(c1, c2 + 1):
            cell = self.ws.cell(r, c)
            cell.border = _BORDER
            cell.font = Font(name=_FONT, size=10)
            cell.alignment = Alignment(horizontal="left", vertical="center" if not wrap else "top", wrap_text=True)
            cell.number_format = "@"
            if editable:
                cell.protection = _UNLOCKED
        self.merge(r, c1, r, c2)

    def number(self, r: int, c: int, value: Value | None, fmt: str = AMOUNT_FORMAT, dash: bool = False,
               c2: int | None = None, scale: Decimal = Decimal(1)) -> None:
        """An input cell for an amount, 分值 or 得分 (dash: “—” when there is none: a row not scored)."""
        c2 = c2 or c
        amount = value.amount / scale if value is not None else None
        cell = self.ws.cell(r, c)
        if amount is None and dash:
            put(self.ws, r, c, _DASH)
        else:
            cell.value = amount
            self.numbers.append(cell.coordinate)
        for cc in range(c, c2 + 1):
            x = self.ws.cell(r, cc)
            x.border, x.number_format = _BORDER, fmt
            x.font = Font(name=_FONT, size=10)
            x.alignment = Alignment(horizontal="right" if amount is not None else "center", vertical="center")
            x.protection = _UNLOCKED
        self.merge(r, c, r, c2)

    def title(self, text: str, year: int | None) -> None:
        ws, last = self.ws, get_column_letter(self.ncols)
        ws["A1"] = text
        ws["A1"].font = Font(name=_FONT, size=16, bold=True)
        ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
        ws.merge_cells(f"A1:{last}1")
        ws.row_dimensions[1].height = 28
        ws["A2"] = f"（{year}年度）" if year else "（    年度）"
        ws["A2"].alignment = Alignment(horizontal="center")
        ws.merge_cells(f"A2:{last}2")

    def finish(self, widths: list[int], note_row: int) -> None:
        ws = self.ws
        put(ws, note_row, 1, NOTE)
        ws.cell(note_row, 1).font = Font(name=_FONT, size=9)
        ws.cell(note_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        self.merge(note_row, 1, note_row, self.ncols)
        ws.row_dimensions[note_row].height = 30
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        number_validation(ws, self.numbers, "数字格式", "请填写数字（金额单位：万元；执行率填百分数），无数请留空。")
        landscape_a4(ws)
        ws.protection.sheet = True  # no password: protects labels from slips, not from the officer
        ws.protection.formatColumns = ws.protection.formatRows = False
        ws.protection.insertRows = ws.protection.deleteRows = False


def _rate(w: _Writer, r: int, c: int, value: Value | None, c2: int | None = None) -> None:
    w.number(r, c, value, RATE_FORMAT, c2=c2, scale=Decimal(100))


def _goal(w: _Writer, r: int, table: PerfTable | None, layout: Layout) -> int:
    """年度总体目标: two rows from r; returns the next row."""
    n, split = w.ncols, layout.goal_split
    w.header(r, 1, "年度总体目标完成情况", r + 1, 1)
    w.header(r, 2, "预期目标（年初设定）", c2=split - 1)
    w.header(r, split, layout.goal_done, c2=n)
    w.text(r + 1, 2, table.goal if table else "", split - 1, wrap=True)
    w.text(r + 1, split, table.goal_done if table else "", n, wrap=True)
    w.ws.row_dimensions[r + 1].height = 60
    return r + 2


def _indicators(w: _Writer, r: int, table: PerfTable | None, layout: Layout) -> int:
    """The 指标 header on row r, its rows, 总分; returns the row after 总分."""
    cols, heads = layout.indicators, layout.heads()
    for key, (c1, c2) in cols.items():
        w.header(r, c1, heads[key], c2=c2)
    rows: list[Indicator] = table.indicators if table and table.indicators else [
        Indicator(level1=a, level2=b, level3="") for a, b in SKELETON]
    first = r
    for i, ind in enumerate(rows, start=r + 1):
        for key, text in (("一级", ind.level1), ("二级", ind.level2), ("三级", ind.level3), ("值", ind.target),
                          ("实际", ind.actual), ("偏差", ind.deviation)):
            c1, c2 = cols[key]
            w.text(i, c1, text, c2)
        w.number(i, cols["分值"][0], ind.weight, "0.00", c2=cols["分值"][1])
        w.number(i, cols["得分"][0], ind.score, "0.00", c2=cols["得分"][1])
    last = r + len(rows)
    w.header(first, 1, layout.block, last, 1)
    total = last + 1
    w.header(total, 1, "总分", c2=cols["分值"][0] - 1)
    w.number(total, cols["分值"][0], table.total_weight if table else None, "0.00", c2=cols["分值"][1])
    w.number(total, cols["得分"][0], table.total_score if table else None, "0.00", c2=cols["得分"][1])
    for c in range(cols["得分"][1] + 1, w.ncols + 1):
        w.text(total, c, None, editable=False)
    return total + 1


def write_project(ws: Worksheet, table: PerfTable | None = None, year: int | None = None, name: str = "") -> None:
    """A 项目支出绩效自评表 sheet, 9 columns: A block titles, B labels, C–H figures, I 偏差原因."""
    layout = LAYOUTS[PROJECT]
    w = _Writer(ws, layout.ncols)
    w.title((table.title if table and table.title else "") or PROJECT_TITLE, year)
    w.header(3, 1, "项目名称")
    w.text(3, 2, table.name if table else name, 9)
    w.header(4, 1, "主管部门")
    w.text(4, 2, table.department if table else "", 4)
    w.header(4, 5, "实施单位", c2=6)
    w.text(4, 7, table.implementer if table else "", 9)
    w.header(5, 1, "项目资金（万元）", 5 + len(table.funds if table and table.funds else PROJECT_FUNDS), 1)
    w.header(5, 2, "")
    for c, text in enumerate(PROJECT_FUND_HEADS, start=3):
        w.header(5, c, text)
    w.header(5, 8, "得分", c2=9)
    funds = table.funds if table and table.funds else [FundRow(label) for label in PROJECT_FUNDS]
    r = 6
    for i, f in enumerate(funds):
        scored = f.scored or (not (table and table.funds) and i == 0)
        w.text(r, 2, f.label, editable=False)  # the 资金 rows are the table's own
        w.number(r, 3, f.initial)
        w.number(r, 4, f.budget)
        w.number(r, 5, f.spent)
        w.number(r, 6, f.weight, "0.00", dash=not scored)
        _rate(w, r, 7, f.rate)
        w.number(r, 8, f.score, "0.00", dash=not scored, c2=9)
        r += 1
    r = _goal(w, r, table, layout)
    r = _indicators(w, r, table, layout)
    w.finish([14, 18, 16, 30, 14, 14, 10, 12, 30], r + 1)


def write_overall(ws: Worksheet, table: PerfTable | None = None, year: int | None = None, name: str = "") -> None:
    """The 整体支出绩效自评表 sheet, 13 columns: A block titles, B–D 任务, E–G 全年预算数, H–J 全年执行数, K–M."""
    layout = LAYOUTS[OVERALL]
    w = _Writer(ws, layout.ncols)
    w.title((table.title if table and table.title else "") or OVERALL_TITLE, year)
    w.header(3, 1, "部门（单位）名称")
    w.text(3, 2, table.name if table else name, 13)
    tasks = table.funds if table and table.funds else [FundRow(t, content=c) for t, c in DEFAULT_TASKS] + [
        FundRow("金额合计")]
    w.header(4, 1, "年度主要任务完成情况", 5 + len(tasks), 1)
    for c, text in OVERALL_TASK_HEADS:
        w.header(4, c, text, 5, c)
    for c, text in OVERALL_AMOUNT_HEADS:
        w.header(4, c, text, c2=c + 2)
    for c, text in zip(range(5, 11), ("总额", "财政拨款", "其他资金") * 2):
        w.header(5, c, text)
    r = 6
    for f in tasks:
        total = "合计" in f.label
        w.text(r, 2, f.label, editable=not total)
        w.text(r, 3, f.content, editable=not total)
        w.text(r, 4, f.done, editable=not total)
        for c, (group, main) in zip((5, 8), (("全年预算数", f.budget), ("全年执行数", f.spent))):
            w.number(r, c, main)
            w.number(r, c + 1, f.parts.get(f"{group}.财政拨款"))
            w.number(r, c + 2, f.parts.get(f"{group}.其他资金"))
        scored = f.scored or (total and not (table and table.funds))
        w.number(r, 11, f.weight, "0.00", dash=not scored)
        _rate(w, r, 12, f.rate)
        w.number(r, 13, f.score, "0.00", dash=not scored)
        r += 1
    r = _goal(w, r, table, layout)
    r = _indicators(w, r, table, layout)
    w.finish([14, 16, 16, 12, 12, 12, 12, 12, 12, 12, 10, 10, 10], r + 1)


# ---------------------------------------------------------------- adding sheets to a workbook

def next_project_sheet(names: list[str]) -> str:
    used = {n for n in names if n.startswith(f"{SHEET_PREFIX}项目")}
    i = 1
    while f"{SHEET_PREFIX}项目{i}" in used:
        i += 1
    return f"{SHEET_PREFIX}项目{i}"


def add_table(wb: Workbook, table: PerfTable | None, kind: str, year: int | None, name: str = "") -> str:
    """A new 绩效 sheet at the end of the workbook (empty when table is None); returns its name."""
    if kind == OVERALL:
        if OVERALL_SHEET in wb.sheetnames:
            raise DisclosureError(f"工作簿中已有整体支出绩效自评表（工作表“{OVERALL_SHEET}”），未添加")
        ws = wb.create_sheet(OVERALL_SHEET)
        write_overall(ws, table, year, name)
    else:
        ws = wb.create_sheet(next_project_sheet(wb.sheetnames))
        write_project(ws, table, year, name)
    return ws.title


def write_all(wb: Workbook, perf: Performance, year: int | None) -> list[str]:
    """Every table of `perf` as a sheet of a workbook being built (import -o)."""
    return [add_table(wb, t, t.kind, year) for t in perf.tables if t.kind in (OVERALL, PROJECT)]


def same_table(perf: Performance | None, kind: str, name: str, implementer: str = "") -> PerfTable | None:
    """The workbook's 自评表 that a new one (kind, name, 实施单位) would repeat: its 整体 table (a workbook has one);
    a 项目 of the same name, and of the same 实施单位 when the new one names it (seed 001 has two 房屋租赁费 projects
    of two units). Names are compared as read.norm folds them: spaces and full-/half-width forms do not count."""
    if not perf:
        return None
    if kind == OVERALL:
        return perf.overall
    if kind != PROJECT or not norm(name):
        return None
    return next((t for t in perf.projects if norm(t.name) == norm(name)
                 and (not norm(implementer) or norm(t.implementer) == norm(implementer))), None)


def add_to_file(path: Path, tables: list[PerfTable | None], kinds: list[str], names: list[str],
                report: Report | None = None) -> list[str]:
    """Add 绩效 sheets to a workbook file: the officer's other sheets untouched, a backup kept
    (<name>.备份.xlsx), the file replaced atomically (workbook.rewrite). Refused before anything is written:
    a second 整体 table, a 项目 the workbook already has (same_table). `report`: the file as the caller
    has just read it (else it is read here)."""
    from .. import workbook

    if report is None:
        report = workbook.read(path)
    if report.spec.is_budget:
        raise DisclosureError("绩效自评表属于部门决算；部门预算工作簿的绩效目标表在表13–表15中")
    for table, kind, name in zip(tables, kinds, names):
        same = same_table(report.perf, kind, name, table.implementer if table else "")
        if same and kind == OVERALL:
            raise DisclosureError(f"工作簿中已有整体支出绩效自评表（工作表“{same.sheet}”），未添加")
        if same:
            raise DisclosureError(f"工作簿中已有项目“{same.name}”的绩效自评表（工作表“{same.sheet}”），未添加")
    added: list[str] = []

    def change(wb: Workbook) -> None:
        for table, kind, name in zip(tables, kinds, names):
            added.append(add_table(wb, table, kind, report.year, name))

    workbook.rewrite(path, change)
    return added
