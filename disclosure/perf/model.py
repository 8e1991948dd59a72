"""The 绩效 tables as data, every figure a Value (Decimal + the cell it was read from), every text with its cell.

One model serves three tables that share the 指标 tree (一级 / 二级 / 三级 指标 with 年度指标值):
- 项目支出绩效自评表 (决算): 资金 rows (年度资金总额, 其中：当年财政拨款, 上年结转资金, 其他资金) × 年初预算数,
  全年预算数(A), 全年执行数(B), 分值, 执行率(B/A), 得分; 年度总体目标 (预期目标, 实际完成情况); 指标 rows with
  实际完成值, 分值, 得分, 偏差原因分析及改进措施; 总分.
- 部门（单位）整体支出绩效自评表 (决算): the same, its 资金 block being the 年度主要任务 rows (任务名称, 主要内容,
  完成情况, 全年预算数, 全年执行数 …) with the scored 金额合计 row last.
- 绩效目标表 (预算 表13–表15): 资金 (年度预算) and 指标 with 年度指标值 only — next year's 自评表 starts from it.

A figure printed as “—” (not scored) or left blank is None. 执行率 is kept as the printed percentage (86.02 for
“86.02%”), never recomputed here: the checks compare it with B ÷ A.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec
from msgspec import field

from ..model import CellRef, Value

OVERALL, PROJECT, TARGET = "整体", "项目", "目标"
TOTAL_FUND = "年度资金总额"  # the scored 资金 row of a 项目 table (整体: 金额合计)


class FundRow(msgspec.Struct):
    """A 资金 row of a 项目 table, or a 年度主要任务 row of the 整体 table."""

    label: str  # 年度资金总额 / 其中：当年财政拨款 / 上年结转资金 / 其他资金; 任务名称 (… 金额合计)
    initial: Value | None = None  # 年初预算数
    budget: Value | None = None  # 全年预算数 (A)
    spent: Value | None = None  # 全年执行数 (B)
    weight: Value | None = None  # 分值 (None: “—”, not scored)
    rate: Value | None = None  # 执行率 as printed, in percent (86.02)
    score: Value | None = None  # 得分
    content: str = ""  # 整体 任务: 主要内容
    done: str = ""  # 整体 任务: 完成情况
    cell: CellRef | None = None  # where the label stands
    # 整体 任务: the split the table prints beside 总额 ("全年预算数.财政拨款", "全年执行数.其他资金" …), so that
    # an imported table is written back whole; budget / spent are the 总额 columns
    parts: dict[str, Value] = field(default_factory=dict)

    @property
    def scored(self) -> bool:
        return self.weight is not None


class Indicator(msgspec.Struct):
    """One row of a 绩效自评表's indicators: its three levels, 指标值 and 实际完成值, 分值, 得分 and 偏差原因."""

    level1: str  # 一级指标, as printed: “产出指标(50分)” (its weight, when printed, is checked against Σ 分值)
    level2: str  # 二级指标: 数量指标, 质量指标 …
    level3: str  # 三级指标: the indicator's own name; "" for a level printed with nothing under it
    target: str = ""  # 年度指标值 (text: “≥95%”, “25人”, “68.03”)
    actual: str = ""  # 实际完成值
    weight: Value | None = None  # 分值
    score: Value | None = None  # 得分
    deviation: str = ""  # 偏差原因分析及改进措施
    cell: CellRef | None = None  # the row's 三级指标 cell (or its first cell)
    text_cells: dict[str, CellRef] = field(default_factory=dict)  # 年度指标值 / 实际完成值 / 偏差原因… -> cell


class PerfTable(msgspec.Struct):
    """One 绩效 table of the workbook (整体, 项目 or 绩效目标) as read from its sheet."""

    kind: str  # OVERALL, PROJECT or TARGET
    name: str  # 项目名称; the 整体 table: the 部门（单位）名称
    sheet: str  # the workbook sheet it is on
    funds: list[FundRow] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    goal: str = ""  # 年度总体目标 · 预期目标
    goal_done: str = ""  # 年度总体目标 · 实际完成情况
    total_weight: Value | None = None  # 总分 row: 分值
    total_score: Value | None = None  # 总分 row: 得分
    department: str = ""  # 主管部门
    implementer: str = ""  # 实施单位
    name_cell: CellRef | None = None
    title: str = ""  # as printed (“履职专项业务费项目绩效自评表”); "" when the table has the standard title

    def fund(self, label: str) -> FundRow | None:
        """The 资金 row whose label contains `label` (“当年财政拨款” finds “其中：当年财政拨款”)."""
        return next((f for f in self.funds if label in f.label), None)

    @property
    def total_fund(self) -> FundRow | None:
        """The scored 资金 row: 年度资金总额 (项目), 金额合计 (整体); else the first scored one."""
        return self.fund(TOTAL_FUND) or self.fund("金额合计") or next((f for f in self.funds if f.scored), None)


class Performance(msgspec.Struct):
    """A workbook's 绩效 tables: at most one 整体, any number of 项目 (in the order of the sheets)."""

    overall: PerfTable | None = None
    projects: list[PerfTable] = field(default_factory=list)

    @property
    def tables(self) -> list[PerfTable]:
        return ([self.overall] if self.overall else []) + self.projects

    def __bool__(self) -> bool:
        return bool(self.tables)

    def values(self) -> list[Value]:
        """Every figure of the tables that has a cell: 资金 rows, 指标 分值/得分, 总分."""
        out: list[Value | None] = []
        for t in self.tables:
            for f in t.funds:
                out += [f.initial, f.budget, f.spent, f.weight, f.rate, f.score]
            for i in t.indicators:
                out += [i.weight, i.score]
            out += [t.total_weight, t.total_score]
        return [v for v in out if v is not None and v.cell is not None]


def value_json(v: Value | None) -> dict | None:
    """{"value": "86.02", "cell": "绩效-项目1!F7"} — the shape of `show --json`."""
    if v is None:
        return None
    return {"value": str(v.amount), "cell": str(v.cell) if v.cell else None}


def percent(v: Decimal) -> Decimal:
    """86.02 → 0.8602."""
    return v / 100


def _cell(ref: CellRef | None) -> str | None:
    return str(ref) if ref else None


def fund_json(f: FundRow) -> dict:
    out = {"项目": f.label, "cell": _cell(f.cell), "年初预算数": value_json(f.initial), "全年预算数": value_json(f.budget),
           "全年执行数": value_json(f.spent), "分值": value_json(f.weight), "执行率": value_json(f.rate),
           "得分": value_json(f.score)}
    if f.content or f.done or f.parts:  # 整体 任务 rows
        out.update({"主要内容": f.content, "完成情况": f.done,
                    "分项": {k: value_json(v) for k, v in f.parts.items()}})
    return out


def indicator_json(i: Indicator) -> dict:
    return {"一级指标": i.level1, "二级指标": i.level2, "三级指标": i.level3, "年度指标值": i.target,
            "实际完成值": i.actual, "分值": value_json(i.weight), "得分": value_json(i.score),
            "偏差原因分析及改进措施": i.deviation, "cell": _cell(i.cell),
            "text_cells": {k: str(v) for k, v in i.text_cells.items()}}


def table_json(t: PerfTable) -> dict:
    return {"名称": t.name, "标题": t.title, "工作表": t.sheet, "名称单元格": _cell(t.name_cell), "主管部门": t.department,
            "实施单位": t.implementer, "资金": [fund_json(f) for f in t.funds],
            "年度总体目标": {"预期目标": t.goal, "实际完成情况": t.goal_done},
            "指标": [indicator_json(i) for i in t.indicators],
            "总分": {"分值": value_json(t.total_weight), "得分": value_json(t.total_score)}}


def perf_json(perf: Performance | None) -> dict:
    """The `"绩效"` key of `show --json` (docs/数据格式.md)."""
    if not perf:
        return {"整体": None, "项目": []}
    return {"整体": table_json(perf.overall) if perf.overall else None,
            "项目": [table_json(t) for t in perf.projects]}
