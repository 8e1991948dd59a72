"""P rules between the 绩效自评表 and the 决算: the 整体 table's 全年执行数 against 本年支出合计 and 项目支出, the
项目 tables against the 整体 table's 项目支出 task, and each 项目 table named once.

Σ 项目 ≤ 项目支出, not =: a 决算公开 prints the 自评表 of its key projects, not necessarily of every one (财政部 asks
every project to be self-evaluated, not every table to be published). Σ below the 项目支出 is a 警告 that says
how much the tables cover (seed 001: 792.16 of 792.69 although its 十三 says 100%); Σ above it is an 错误.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ...amounts import ZERO
from ...model import Report, Value
from ...perf.model import OVERALL, PerfTable
from ...perf.scoring import BASES, round_to
from ..engine import WARNING, Finding, Rule, Term, at_most, compare_equal, find_row, keep, money, rule, term
from .perf import REF, finding, group, head, region, tables

REF_X = "部门决算公开01表、03表填报口径；绩效自评表填报说明"


def _overall(report: Report) -> PerfTable | None:
    return next((t for t in tables(report) if t.kind == OVERALL), None)


def _project_task(t: PerfTable):
    """The 整体 table's 年度主要任务 row for 项目支出 (its 主要内容, or its name, says 项目支出)."""
    return next((f for f in t.funds if "项目支出" in (f.content or f.label)), None)


def _decision_term(report: Report, table_id: str, side: str | None, key: str, column: str) -> Term | None:
    if table_id not in report.tables:
        return None
    row = find_row(report.table(table_id), key, side)
    return term(report, table_id, row, column) if row is not None and column in row.values else None


def _task_name(f) -> str:
    return f"{f.label}“{f.content}”" if f.content and f.content != f.label else f.label


def _perf_term(t: PerfTable, label: str, column: str, value: Value) -> Term:
    return Term(group(t), label, column, value)


@rule("P10", "整体支出绩效自评表 全年执行数 = 决算支出", "整体表 金额合计·全年执行数 = 01表 本年支出合计（地区可设为"
      "04表 财政拨款支出）；任务“项目支出”·全年执行数 = 03表 合计·项目支出", REF_X,
      hint="整体表的执行数应取自本年决算：核对金额合计和项目支出任务的全年执行数。")
def p10(r: Rule, report: Report):
    t = _overall(report)
    if t is None:
        return
    total = t.fund("金额合计")
    base_name = region(report).overall_base
    base = _decision_term(report, *BASES[base_name])
    if total is not None and total.spent is not None and base is not None:
        yield from keep([compare_equal(r, group(t), base, _perf_term(t, "金额合计", "全年执行数", total.spent),
                                       f"{head(t)}：金额合计的全年执行数应等于决算{base_name}")])
    task = _project_task(t)
    spent = _decision_term(report, "03", None, "合计", "项目支出")
    if task is not None and task.spent is not None and spent is not None:
        yield from keep([compare_equal(r, group(t), spent, _perf_term(t, _task_name(task), "全年执行数", task.spent),
                                       f"{head(t)}：任务“项目支出”的全年执行数应等于决算项目支出")])


def _covered(r: Rule, t: PerfTable, task_label: str, bound: Value, parts: list[Value], column: str,
             n: int) -> Finding | None:
    """Σ of the 项目 tables' `column` against the 整体 task: above it an 错误 (at_most), below it a 警告."""
    summed = sum((p.amount for p in parts), ZERO)
    whole = _perf_term(t, task_label, column, bound)
    if summed > bound.amount:
        total = Term("项目支出绩效自评表", f"{n} 张项目表", column, Value(summed, parts[0].cell), parts=len(parts))
        return at_most(r, group(t), total, whole, f"{head(t)}：各项目表的{column}之和不能超过任务“项目支出”")
    if summed == bound.amount:
        return None
    share = round_to(summed / bound.amount * 100, 2) if bound.amount else ZERO
    return Finding(rule=r.id, severity=WARNING, table=group(t), cell=bound.cell, title=r.title, hint=r.hint,
                   message=f"{head(t)}：{task_label} {column} {money(bound.amount)}，而 {n} 张项目表的{column}之和为 "
                           f"{money(summed)}，少 {money(bound.amount - summed)}（项目表覆盖 {share}%）；"
                           "公开的只是部分项目的自评表时可确认此条，否则核对各项目表",
                   expected=summed, actual=bound.amount, cells=[bound.cell, *(p.cell for p in parts)])


@rule("P11", "项目支出绩效自评表 执行数不超过项目支出", "Σ 各项目表 全年预算数、全年执行数 ≤ 整体表任务“项目支出”的"
      "对应数（少于时为警告：未公开全部项目）；每个项目 全年执行数 ≤ 03表 合计·项目支出", REF_X,
      hint="核对各项目表的全年预算数、全年执行数与整体表“项目支出”任务、决算项目支出是否一致。")
def p11(r: Rule, report: Report):
    projects = [t for t in tables(report) if t.kind != OVERALL]
    funds = [(t, t.total_fund) for t in projects if t.total_fund is not None]
    overall = _overall(report)
    task = _project_task(overall) if overall else None
    for attr, column in (("budget", "全年预算数"), ("spent", "全年执行数")):
        bound = getattr(task, attr) if task else None
        parts = [getattr(f, attr) for _, f in funds if getattr(f, attr) is not None]
        if bound is not None and parts:
            yield from keep([_covered(r, overall, _task_name(task), bound, parts, column, len(parts))])
    spent = _decision_term(report, "03", None, "合计", "项目支出")
    for t, f in funds:
        if spent is not None and f.spent is not None:
            yield from keep([at_most(r, group(t), _perf_term(t, f.label, "全年执行数", f.spent), spent,
                                     f"{head(t)}：项目的全年执行数不能超过决算的项目支出")])


_TITLE_TAIL = re.compile(r"(项目支出|项目)?绩效自评表$")


def titled(t: PerfTable) -> str:
    """The project a table's title names (“房屋租赁费项目绩效自评表” → 房屋租赁费); "" for the plain title."""
    return _TITLE_TAIL.sub("", re.sub(r"\s+", "", t.title))


@rule("P12", "项目支出绩效自评表 项目名称已填、与表题一致且不重复", "每张项目表填写项目名称，与表题所称项目一致；"
      "同一实施单位的项目名称不重复（不同实施单位同名时为警告）", REF,
      hint="填写项目名称；复制上一张表时记得改为本项目的名称。")
def p12(r: Rule, report: Report):
    seen: dict[str, list[PerfTable]] = defaultdict(list)
    for t in (t for t in tables(report) if t.kind != OVERALL):
        name = t.name.strip()
        if not name:
            yield finding(r, t, t.name_cell, "项目名称未填写")
            continue
        if titled(t) and titled(t) != re.sub(r"\s+", "", name):
            yield finding(r, t, t.name_cell, f"表题为“{t.title}”，项目名称却为“{name}”（复制上一张表后未改名称？）")
            seen[name].append(t)
            continue  # a name copied from another table: said once, not again as a duplicate
        for earlier in seen[name]:
            same_unit = not t.implementer or not earlier.implementer or t.implementer == earlier.implementer
            units = "" if same_unit else f"，实施单位不同（{earlier.implementer}、{t.implementer}）"
            tail = ("" if same_unit else "：确为不同单位的同名项目时可确认此条，否则应是复制上一张表后未改名称")
            yield finding(r, t, t.name_cell, f"项目名称与 {earlier.sheet} 相同{units}{tail}",
                          cells=[t.name_cell, earlier.name_cell], severity=None if same_unit else WARNING)
            break
        seen[name].append(t)
