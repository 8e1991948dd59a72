"""Seed 001's 绩效自评 tables (tests/fixtures/seeds/001_perf.yaml) as the Performance model the checks read.

Until the workbook import lands, the cells are invented from each row's position on a sheet laid out as the seed
prints a table: one sheet per table (“绩效-整体”, “绩效-项目1” …), a title row, the name, the 资金 (or 任务) block,
the 年度总体目标, the 指标 block and 总分. `Built.cells` maps a seed line to the cells of the row printed on it, so
a test can say which cell a finding must point at.

项目 sheet columns — 资金: A 项目, B 年初预算数, C 全年预算数(A), D 全年执行数(B), E 分值, F 执行率, G 得分;
指标: A 一级, B 二级, C 三级, D 年度指标值, E 实际完成值, F 分值, G 得分, H 偏差原因分析及改进措施.
整体 sheet — 任务: A 任务名称, B 主要内容, C 完成情况, D–F 全年预算数 总额/财政拨款/其他资金, G–I 全年执行数 (same),
J 分值, K 执行率, L 得分; 指标 as a 项目's but without column H (the 整体 table prints no 偏差原因).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import seed001perf
from disclosure.model import CellRef, Value
from disclosure.perf.model import OVERALL, PROJECT, FundRow, Indicator, Performance, PerfTable

DEVIATION = "偏差原因分析及改进措施"
FUND_COLUMNS = {"年初预算数": "B", "全年预算数": "C", "全年执行数": "D", "分值": "E", "执行率": "F", "得分": "G"}
TASK_COLUMNS = {"全年预算数": "D", "全年执行数": "G", "分值": "J", "执行率": "K", "得分": "L"}
INDICATOR_COLUMNS = {"一级指标": "A", "二级指标": "B", "三级指标": "C", "年度指标值": "D", "实际完成值": "E",
                     "分值": "F", "得分": "G", DEVIATION: "H"}


@dataclass
class Built:
    perf: Performance
    cells: dict[tuple[str, int], dict[str, CellRef]] = field(default_factory=dict)  # (table id, seed line) -> cells
    # cell -> (table id, path): the path as tests/perfexport.py names where it writes a value — ("资金", i, column),
    # ("指标", i, column), ("总分", 分值 | 得分), ("名称",) — to find the same value in an imported table
    paths: dict[CellRef, tuple[str, tuple]] = field(default_factory=dict)
    ids: dict[int, str] = field(default_factory=dict)  # id(PerfTable) -> the YAML's table id

    def __repr__(self) -> str:  # hypothesis prints a failing example: the tables' names, not every cell
        return f"Built({[t.name or t.sheet for t in self.perf.tables]})"


def _value(raw, cell: CellRef) -> Value | None:
    """A loaded amount or score (Decimal, None, or the dash of an unscored cell) as a Value."""
    return Value(raw, cell) if isinstance(raw, Decimal) else None


def first_line(row: dict) -> int:
    return row["line"][0] if isinstance(row["line"], list) else row["line"]


class _Sheet:
    def __init__(self, name: str):
        self.name, self.row = name, 1  # row 1: the title

    def next(self) -> int:
        self.row += 1
        return self.row

    def cell(self, column: str, row: int | None = None) -> CellRef:
        return CellRef(self.name, f"{column}{row or self.row}")


def _fund(sheet: _Sheet, row: dict, cells: dict) -> FundRow:
    r = sheet.next()
    at = {k: sheet.cell(c, r) for k, c in FUND_COLUMNS.items()}
    cells.update(at, 项目=sheet.cell("A", r))
    return FundRow(label=row["项目"], initial=_value(row["年初预算数"], at["年初预算数"]),
                   budget=_value(row["全年预算数"], at["全年预算数"]), spent=_value(row["全年执行数"], at["全年执行数"]),
                   weight=_value(row["分值"], at["分值"]), rate=_value(seed001perf.rate(row["执行率"]), at["执行率"]),
                   score=_value(row["得分"], at["得分"]), cell=sheet.cell("A", r))


def _task(sheet: _Sheet, row: dict, cells: dict) -> FundRow:
    r = sheet.next()
    at = {k: sheet.cell(c, r) for k, c in TASK_COLUMNS.items()}
    cells.update(at, 任务名称=sheet.cell("A", r))
    return FundRow(label=row["任务名称"], budget=_value(row["全年预算数"]["总额"], at["全年预算数"]),
                   spent=_value(row["全年执行数"]["总额"], at["全年执行数"]), weight=_value(row["分值"], at["分值"]),
                   rate=_value(seed001perf.rate(row["执行率"]), at["执行率"]), score=_value(row["得分"], at["得分"]),
                   content=row["主要内容"] or "", done=row["完成情况"] or "", cell=sheet.cell("A", r))


def _indicator(sheet: _Sheet, row: dict, cells: dict, deviation_column: bool) -> Indicator:
    r = sheet.next()
    at = {k: sheet.cell(c, r) for k, c in INDICATOR_COLUMNS.items() if deviation_column or k != DEVIATION}
    cells.update(at)
    texts = ("一级指标", "二级指标", "年度指标值", "实际完成值") + ((DEVIATION,) if deviation_column else ())
    return Indicator(level1=row["一级指标"] or "", level2=row["二级指标"] or "", level3=row["三级指标"] or "",
                     target=row["年度指标值"] or "", actual=row["实际完成值"] or "",
                     weight=_value(row["分值"], at["分值"]), score=_value(row["得分"], at["得分"]),
                     deviation=row[DEVIATION] or "", cell=at["三级指标"], text_cells={k: at[k] for k in texts})


def table(data: dict, sheet_name: str | None = None, cells: dict | None = None, paths: dict | None = None) -> PerfTable:
    """One table of 001_perf.yaml (as seed001perf.load() gives it) as a PerfTable; `cells` collects
    (table id, line) -> {column: cell}, `paths` cell -> (table id, path) (see Built)."""
    cells = {} if cells is None else cells
    paths = {} if paths is None else paths
    tid, overall = data["id"], data["kind"] == OVERALL
    sheet = _Sheet(sheet_name or f"绩效-{tid}")
    name_row = sheet.next()
    out = PerfTable(kind=OVERALL if overall else PROJECT, name=data["名称"] or "", sheet=sheet.name,
                    department=data.get("主管部门") or "", implementer=data.get("实施单位") or "",
                    title=data["title"], name_cell=sheet.cell("B", name_row))
    cells[(tid, data["lines"][0])] = {"名称": out.name_cell}
    paths[out.name_cell] = (tid, ("名称",))
    if not overall:
        sheet.next()  # 主管部门 / 实施单位
    sheet.next()  # the 资金 / 任务 header
    for i, row in enumerate(data.get("任务", []) if overall else data["资金"]):
        at = cells.setdefault((tid, first_line(row)), {})
        out.funds.append(_task(sheet, row, at) if overall else _fund(sheet, row, at))
        paths.update({c: (tid, ("资金", i, "项目" if k == "任务名称" else k)) for k, c in at.items()})
    sheet.next()  # 年度总体目标 header
    sheet.next()
    out.goal, out.goal_done = data["年度总体目标"]["预期目标"], data["年度总体目标"]["实际完成情况"]
    sheet.next()  # 指标 header
    for i, row in enumerate(data["指标"]):
        at = cells.setdefault((tid, first_line(row)), {})
        out.indicators.append(_indicator(sheet, row, at, not overall))
        paths.update({c: (tid, ("指标", i, k)) for k, c in at.items()})
    r = sheet.next()
    total = data["总分"]
    out.total_weight, out.total_score = Value(total["分值"], sheet.cell("F", r)), Value(total["得分"], sheet.cell("G", r))
    cells[(tid, total["line"])] = {"分值": out.total_weight.cell, "得分": out.total_score.cell}
    paths.update({out.total_weight.cell: (tid, ("总分", "分值")), out.total_score.cell: (tid, ("总分", "得分"))})
    return out


def build(tables: list[dict] | None = None) -> Built:
    """Seed 001's ten tables (or the given ones, in the loader's form) as a Performance."""
    tables = seed001perf.load()["tables"] if tables is None else tables
    built = Built(Performance())
    for data in tables:
        t = table(data, cells=built.cells, paths=built.paths)
        built.ids[id(t)] = data["id"]
        if t.kind == OVERALL:
            built.perf.overall = t
        else:
            built.perf.projects.append(t)
    return built
