"""This year's 绩效目标表 (预算 表13–表15) as next year's 绩效自评表 (决算): `disclosure perf from-targets`.

`targets(budget)` reads the 预算 workbook's forms into the 绩效 model (kind 目标), every figure and text with the
预算 cell it stands in, matched by the forms' field and column names (the spec's parts), never by position:
- 表14 部门整体支出绩效目标表 → the 整体 table: 部门（单位）名称, the 年度主要任务 (任务名称, 主要内容, 预算金额 总额 as
  年初预算数 with its 财政拨款 / 其他资金 split), 金额合计, 年度总体目标, 指标;
- each 表13 专项业务经费 form (Row.group) and each 表15 专项资金 form → a 项目 table: 项目名称, 主管部门, 资金 as
  年初预算数, 总体目标 (表15: 年度目标), 指标 (指标内容 → 三级指标, 指标值 → 年度指标值).
  表15 prints 实施期 and 年度 figures: the 年度 ones are the year's. 表13 prints only 实施期资金总额 — for a
  专项业务经费 of the 部门预算 that is the year's money, so it is taken as the 年度资金总额.
Neither form prints a 实施单位 or 上年结转资金: they stay empty.

`self_evaluation(target, kind)` is the 自评表 the officer fills: the same 指标 tree with 年度指标值, 年初预算数 on the
资金 rows, 实际完成值 / 分值 / 得分 / 偏差原因 empty. `plan` and `add` put them into a 决算 workbook
(sheets.add_to_file: backup, atomic), skipping what the workbook already has.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import msgspec
from msgspec import field
from msgspec.structs import replace

from ..budgetparse import AMOUNT_KEY, TEXT_KEY
from ..checks.engine import money
from ..errors import DisclosureError
from ..model import Report, Row, Table, Value
from .model import OVERALL, PROJECT, TARGET, TOTAL_FUND, FundRow, Indicator, Performance, PerfTable
from .read import norm
from .sheets import PROJECT_FUNDS, add_to_file, same_table

OVERALL_FORM = "表14"
# project forms -> (自评表 资金 row label, the form's field) in the order of sheets.PROJECT_FUNDS
PROJECT_FORMS = {
    "表13": ((PROJECT_FUNDS[0], "实施期资金总额"), (PROJECT_FUNDS[1], "财政拨款"), (PROJECT_FUNDS[3], "其他资金")),
    "表15": ((PROJECT_FUNDS[0], "年度资金总额"), (PROJECT_FUNDS[1], "年度财政拨款"), (PROJECT_FUNDS[3], "年度其他资金")),
}
GOAL_FIELDS = {"表13": "总体目标", "表14": "年度总体目标", "表15": "年度目标"}
NAME_FIELDS = {"表13": "项目名称", "表14": "部门名称", "表15": "项目名称"}
INDICATORS, TASKS, TASK_TOTAL = "指标", "任务", "金额合计"  # the forms' list names (spec parts)
# 财政部 项目支出绩效自评表 template (财预〔2020〕10号): the 预算执行率 row is worth 10 of the 100; seed 001 scores
# both its 整体 and 项目 tables so. Pre-filled so the row stays a scored one (a blank 分值 would print “—”).
FUND_WEIGHT = Decimal(10)


# ---------------------------------------------------------------- the 预算's forms as 目标 tables

def targets(budget: Report) -> Performance:
    """The 绩效目标表 of a 预算 Report (kind 目标); empty forms are left out."""
    out = Performance()
    t14 = budget.tables.get(OVERALL_FORM)
    if t14 is not None:
        out.overall = next((t for t in map(lambda rows: _overall(t14, rows), _forms(t14)) if t), None)
    for number in PROJECT_FORMS:
        table = budget.tables.get(number)
        for rows in _forms(table) if table is not None else []:
            project = _project(number, table, rows)
            if project:
                out.projects.append(project)
    return out


def _forms(table: Table) -> list[list[Row]]:
    """The table's rows form by form (Row.group: several projects' forms one after the other)."""
    groups: dict[int | None, list[Row]] = {}
    for row in table.rows:
        groups.setdefault(row.group, []).append(row)
    return list(groups.values())


def _field(rows: list[Row], key: str) -> Row | None:
    return next((r for r in rows if r.key == key and r.side is None), None)


def _text(rows: list[Row], key: str) -> tuple[str, object]:
    row = _field(rows, key)
    if row is None:
        return "", None
    return row.texts.get(TEXT_KEY, "").strip(), row.text_cells.get(TEXT_KEY)


def _amount(value: Value | None) -> Value | None:
    """A printed figure as 年初预算数; blank or 0 stays empty in the 自评表 (“无数请留空”)."""
    return value if value is not None and value.cell is not None and value.amount != 0 else None


def _indicators(rows: list[Row]) -> list[Indicator]:
    out = []
    for row in rows:
        if row.side != INDICATORS:
            continue
        t = row.texts
        out.append(Indicator(level1=t.get("一级指标", ""), level2=t.get("二级指标", ""), level3=t.get("指标内容", ""),
                             target=t.get("指标值", ""), cell=row.text_cells.get("指标内容") or row.cell,
                             text_cells={"年度指标值": row.text_cells["指标值"]} if "指标值" in row.text_cells else {}))
    return out


def _project(number: str, table: Table, rows: list[Row]) -> PerfTable | None:
    name, name_cell = _text(rows, NAME_FIELDS[number])
    funds = []
    for label, key in PROJECT_FORMS[number]:
        row = _field(rows, key)
        value = row.values.get(AMOUNT_KEY) if row else None
        funds.append(FundRow(label, initial=_amount(value), cell=row.cell if row else None))
    result = PerfTable(TARGET, name, table.sheet or number, funds=funds, indicators=_indicators(rows),
                       goal=_text(rows, GOAL_FIELDS[number])[0], department=_text(rows, "主管部门")[0],
                       name_cell=name_cell, title=table.spec.title)
    return result if _filled(result) else None


def _overall(table: Table, rows: list[Row]) -> PerfTable | None:
    name, name_cell = _text(rows, NAME_FIELDS[OVERALL_FORM])
    funds = []
    for row in rows:
        if row.side != TASKS:
            continue
        total = row.key == TASK_TOTAL
        parts = {f"年初预算数.{k}": v for k in ("财政拨款", "其他资金") if (v := _amount(row.values.get(k)))}
        funds.append(FundRow(TASK_TOTAL if total else row.texts.get("任务名称", ""),
                             initial=_amount(row.values.get("总额")), content=row.texts.get("主要内容", ""),
                             cell=row.cell, parts=parts))
    result = PerfTable(TARGET, name, table.sheet or OVERALL_FORM, funds=funds, indicators=_indicators(rows),
                       goal=_text(rows, GOAL_FIELDS[OVERALL_FORM])[0], name_cell=name_cell, title=table.spec.title)
    return result if _filled(result) else None


def _filled(t: PerfTable) -> bool:
    """Anything printed at all (a form left blank is no 目标表)."""
    own = [f for f in t.funds if f.label not in (TASK_TOTAL, *PROJECT_FUNDS)]  # 任务 rows printed
    return bool(t.name or t.goal or t.indicators or own or any(f.initial for f in t.funds))


# ---------------------------------------------------------------- a 目标 table as the 自评表 to fill

def self_evaluation(target: PerfTable, kind: str) -> PerfTable:
    """The 自评表 (kind 整体 or 项目) that starts from a 目标表: 指标 with 年度指标值 only, 年初预算数 on the 资金
    rows (项目; the 整体 layout has no 年初预算数 column), the scored row's 分值 FUND_WEIGHT."""
    indicators = [Indicator(i.level1, i.level2, i.level3, target=i.target) for i in target.indicators]
    if kind == OVERALL:
        funds = [FundRow(f.label, content=f.content) for f in target.funds if f.label != TASK_TOTAL]
        funds.append(FundRow(TASK_TOTAL, weight=Value(FUND_WEIGHT)))
    else:
        given = {f.label: f for f in target.funds}
        funds = [FundRow(label, initial=given[label].initial if label in given else None,
                         weight=Value(FUND_WEIGHT) if label == TOTAL_FUND else None) for label in PROJECT_FUNDS]
    return replace(target, kind=kind, sheet="", funds=funds, indicators=indicators, title="", name_cell=None)


# ---------------------------------------------------------------- into a 决算 workbook

class Plan(msgspec.Struct):
    tables: list[PerfTable] = field(default_factory=list)  # the 自评表 to add
    sources: list[PerfTable] = field(default_factory=list)  # the 目标表 each comes from
    skipped: list[str] = field(default_factory=list)  # one line each, said to the officer


def plan(budget: Report, juesuan: Report) -> Plan:
    """What from-targets adds: a 自评表 per 目标表, except the 整体 / a 项目 (same name) the 决算 already has."""
    perf = targets(budget)
    if not perf:
        where = f"“{budget.source.name}”" if budget.source else ""
        raise DisclosureError(f"预算工作簿{where}的绩效目标表（表13 专项业务经费、表14 部门整体、表15 专项资金）都没有填写："
                              "没有可转为绩效自评表的内容")
    out = Plan()
    names: set[str] = set()
    for target in perf.tables:
        kind = OVERALL if target is perf.overall else PROJECT
        same = same_table(juesuan.perf, kind, target.name)
        if kind == OVERALL and same:
            out.skipped.append(f"整体“{target.name}”（{target.sheet}）：工作簿中已有整体支出绩效自评表"
                               f"（工作表“{same.sheet}”），未覆盖")
            continue
        if kind == PROJECT:
            where = str(target.name_cell or target.sheet)
            if not target.name:
                out.skipped.append(f"{where} 的项目未填项目名称，未加入")
                continue
            if same:
                out.skipped.append(f"项目“{target.name}”（{where}）：工作簿中已有（工作表“{same.sheet}”），未覆盖")
                continue
            if norm(target.name) in names:
                out.skipped.append(f"项目“{target.name}”（{where}）：预算中前面已有同名项目的目标表，只加入一张")
                continue
            names.add(norm(target.name))
        out.tables.append(self_evaluation(target, kind))
        out.sources.append(target)
    return out


def add(juesuan_path: Path, budget_path: Path) -> tuple[Plan, list[str]]:
    """Add the 预算's 绩效目标表 to the 决算 workbook as 自评表; returns the plan and the sheets added."""
    from .. import budgetlink, workbook

    juesuan = workbook.read(juesuan_path)
    if juesuan.spec.is_budget:
        raise DisclosureError(f"工作簿“{juesuan_path.name}”是部门预算工作簿：绩效自评表加在同年的部门决算工作簿中"
                              "（perf from-targets 决算.xlsx --budget 预算.xlsx）")
    budget = budgetlink.read_budget(budget_path, juesuan)  # refused: not a 预算, another unit or year
    p = plan(budget, juesuan)
    if not p.tables:
        return p, []
    return p, add_to_file(juesuan_path, p.tables, [t.kind for t in p.tables], [t.name for t in p.tables], juesuan)


def carried(target: PerfTable, kind: str) -> str:
    """What a 自评表 took from its 目标表, in words (with the 预算 cells)."""
    bits = []
    if kind == PROJECT:
        for f in target.funds:
            if f.initial is not None:
                bits.append(f"{f.label.removeprefix('其中：')} {money(f.initial.amount)}（{f.initial.cell}）")
        bits = [f"年初预算数 {'、'.join(bits)}"] if bits else ["预算未列资金，年初预算数空着"]
    else:
        tasks = [f for f in target.funds if f.label != TASK_TOTAL]
        bits.append(f"任务 {len(tasks)} 项")
    targets_given = sum(1 for i in target.indicators if i.target)
    bits.append(f"指标 {len(target.indicators)} 行（年度指标值 {targets_given} 个）")
    if target.goal:
        bits.append("年度总体目标")
    return "、".join(bits)


def overall_amounts(target: PerfTable) -> str:
    """The 表14 预算金额 the 整体 自评表 has no column for (said, so the officer has them at hand)."""
    total = next((f for f in target.funds if f.label == TASK_TOTAL and f.initial), None)
    if total is None:
        return ""
    return (f"整体支出绩效自评表没有“年初预算数”栏：{target.sheet} 的预算金额合计 {money(total.initial.amount)}"
            f"（{total.initial.cell}）未写入；全年预算数、全年执行数按决算填写")
