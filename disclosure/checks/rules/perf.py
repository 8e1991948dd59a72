"""P rules inside each 绩效自评表 (report.perf, disclosure/perf/model.py): 执行率 = B ÷ A, the 执行率 row's score by
the region's scoring rule (disclosure/perf/scoring.py), 资金 rows adding up, 一级指标 weights as labelled,
Σ 分值 = 100, 总分 = Σ, 得分 ≤ 分值, and a 偏差原因 where points are lost. Between tables: perf_cross.py.

A report without 绩效 tables gets no P finding (nothing to check); a figure left blank (or “—”) takes no part.
Scores and rates are compared exactly (they are not amounts rounded to 0.01 万元): no 尾差 for them.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

from ...amounts import ZERO
from ...model import CellRef, Report, Value
from ...perf.model import OVERALL, PROJECT, TOTAL_FUND, FundRow, Indicator, PerfTable
from ...kinds import default_style
from ...perf.scoring import HUNDRED, Settings, round_to, settings_for
from ..engine import INFO, WARNING, Finding, Rule, Term, compare_sum, keep, money, once_per_run, rule

REF = "项目支出绩效自评表、部门（单位）整体支出绩效自评表 填报说明"
REF_SCORE = "绩效自评表填报说明；计分方法为地区设置（disclosure/perf/scoring.py，文风 style.yaml 的 perf）"
EMPTY_REASONS = {"", "无", "/", "—", "-", "–", "——"}


# ---------------------------------------------------------------- the tables and how a message names them

def tables(report: Report) -> list[PerfTable]:
    """The 自评表 of a 决算 (整体 first, then 项目 in sheet order); 绩效目标表 are not scored."""
    perf = report.perf
    return [t for t in perf.tables if t.kind in (OVERALL, PROJECT)] if perf else []


def group(t: PerfTable) -> str:
    """The finding's table: how the check report groups and titles it."""
    if t.kind == OVERALL:
        return "整体支出绩效自评表"
    return f"项目支出绩效自评表（{t.name or f'未填项目名称，{t.name_cell or t.sheet}'}）"


def head(t: PerfTable) -> str:
    """The table as a message starts with it: 整体支出绩效自评表（绩效-整体）, 项目“房屋租赁费”（绩效-项目6）."""
    if t.kind == OVERALL:
        return f"整体支出绩效自评表（{t.sheet}）"
    return f"项目“{t.name}”（{t.sheet}）" if t.name else f"未填项目名称的项目表（{t.name_cell or t.sheet}）"


def at(cell: CellRef | None) -> str:
    return cell.coord if cell else ""


def plain(x: Decimal) -> str:
    """A score or rate as printed: 9, 8.60, 86.02 (a whole number without decimals)."""
    return f"{x:.0f}" if x == x.to_integral_value() else f"{x}"


def finding(r: Rule, t: PerfTable, cell: CellRef | None, message: str, expected: Decimal | None = None,
            actual: Decimal | None = None, cells: list | None = None, severity: str | None = None) -> Finding:
    listed = [c for c in (cells or [cell]) if c]
    return Finding(rule=r.id, severity=severity or r.severity, table=group(t), cell=cell or (listed[:1] or [None])[0],
                   message=f"{head(t)}：{message}", expected=expected, actual=actual, cells=listed, title=r.title,
                   hint=r.hint)


def scored_rows(t: PerfTable) -> list[FundRow]:
    """The 资金 rows that carry points: 年度资金总额 (项目), 金额合计 (整体)."""
    return [f for f in t.funds if f.scored]


def region(report: Report) -> Settings:
    """The region's 绩效 settings (disclosure/perf/scoring.py), read once per check run."""
    style = default_style(report)  # the region's scoring (kinds.default_style)
    return once_per_run(("perf settings", style), lambda: settings_for(style))


def amount(v: Value | None) -> Decimal | None:
    return v.amount if v is not None else None


# ---------------------------------------------------------------- 资金: 执行率, its score, the rows' sums

@rule("P01", "绩效自评表 执行率 = 全年执行数 ÷ 全年预算数", "每一资金（任务）行：执行率 = 全年执行数(B) ÷ 全年预算数(A)，"
      "按印出的小数位四舍五入", REF, hint="按 全年执行数 ÷ 全年预算数 重算执行率（四舍五入，不是截断）后改正。")
def p01(r: Rule, report: Report):
    for t in tables(report):
        for f in t.funds:
            a, b = amount(f.budget), amount(f.spent)
            if not a or b is None or f.rate is None:
                continue
            places = max(0, -f.rate.amount.as_tuple().exponent)
            due = round_to(b / a * HUNDRED, places)
            if f.rate.amount != due:
                yield finding(r, t, f.rate.cell,
                              f"{f.label} 执行率（{at(f.rate.cell)}）印为 {plain(f.rate.amount)}%，而 全年执行数 {money(b)} ÷ "
                              f"全年预算数 {money(a)} = {plain(due)}%（四舍五入到 {places} 位小数）",
                              due, f.rate.amount, [f.rate.cell, f.spent.cell, f.budget.cell])


@rule("P02", "绩效自评表 执行率得分 = 分值 × 执行率", "执行率得分 = 分值 × min(执行率, 1)（地区可设为分档计分）",
      REF_SCORE, hint="按计分方法重算执行率得分；总分随之改正。")
def p02(r: Rule, report: Report):
    settings = region(report)
    for t in tables(report):
        for f in scored_rows(t):
            a, b = amount(f.budget), amount(f.spent)
            rate = b / a if a and b is not None else (f.rate.amount / HUNDRED if f.rate is not None else None)
            if rate is None or f.score is None:
                continue
            due = settings.due_score(f.weight.amount, rate)
            got = f.score.amount
            if got == due:
                continue
            shown = f"{plain(round_to(rate * HUNDRED, 2))}%"
            how = (f"分值 {plain(f.weight.amount)} × {shown}" if settings.scoring == "proportional"
                   else f"执行率 {shown} 按分档计分")
            message = f"{f.label} 得分（{at(f.score.cell)}）印为 {plain(got)}，而 {how} = {plain(due)}"
            whole = round_to(settings.raw_score(f.weight.amount, rate), 0)
            severity = None
            if settings.score_decimals > 0 and got == whole:
                severity = WARNING
                message += "；印出的是取整到整分的得分：地区按整分计分的，在文风设置中写 perf.score_decimals: 0"
            cells = [v.cell for v in (f.score, f.weight, f.rate if not a else None, f.spent, f.budget) if v]
            yield finding(r, t, f.score.cell, message, due, got, cells, severity)


def _fund_parts(t: PerfTable) -> tuple[FundRow | None, list[FundRow]]:
    """The total 资金 row and the rows it adds up: 年度资金总额 over 当年财政拨款 / 上年结转 / 其他资金 (项目),
    金额合计 over the 任务 rows (整体)."""
    total = t.fund(TOTAL_FUND) if t.kind == PROJECT else t.fund("金额合计")
    return total, [f for f in t.funds if f is not total] if total else []


@rule("P03", "绩效自评表 资金合计 = 各项资金之和", "项目表：年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金"
      "（年初预算数、全年预算数、全年执行数各栏）；整体表：金额合计 = 各任务之和", REF)
def p03(r: Rule, report: Report):
    columns = (("initial", "年初预算数"), ("budget", "全年预算数"), ("spent", "全年执行数"))
    for t in tables(report):
        total, parts = _fund_parts(t)
        for attr, column in columns:
            printed = [(p, getattr(p, attr)) for p in parts if getattr(p, attr) is not None]
            if total is None or not printed:
                continue  # the breakdown is not filled in (seed 001 prints 年初预算数 for the total only)
            whole = getattr(total, attr) or Value(ZERO, None)
            yield from keep([compare_sum(r, group(t), Term(group(t), total.label, column, whole),
                                         [Term(group(t), p.label, column, v) for p, v in printed])])


# ---------------------------------------------------------------- 指标: weights, totals, scores, 偏差原因

_WEIGHT = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")


def _level1_groups(t: PerfTable) -> dict[str, list[Indicator]]:
    groups: dict[str, list[Indicator]] = {}
    for i in t.indicators:
        groups.setdefault(re.sub(r"\s+", "", i.level1).replace("（", "(").replace("）", ")"), []).append(i)
    return groups


@rule("P04", "绩效自评表 一级指标分值 = 标注的分数", "一级指标标注的分数（如“产出指标(50分)”）= 其下各指标分值之和",
      REF, hint="核对该一级指标下各指标的分值，或改正一级指标标注的分数。")
def p04(r: Rule, report: Report):
    for t in tables(report):
        for label, rows in _level1_groups(t).items():
            labelled = _WEIGHT.search(label)
            weights = [i.weight for i in rows if i.weight is not None]
            total = sum((w.amount for w in weights), ZERO)
            if labelled and Decimal(labelled.group(1)) != total:
                first = weights[0].cell if weights else rows[0].cell  # the group's first 分值
                yield finding(r, t, first, f"一级指标“{rows[0].level1}”标注 {labelled.group(1)} 分，而其下 {len(weights)} "
                              f"项指标分值之和为 {plain(total)}", Decimal(labelled.group(1)), total,
                              [first, *(w.cell for w in weights)])


def _weights(t: PerfTable) -> list[Value]:
    return [f.weight for f in scored_rows(t)] + [i.weight for i in t.indicators if i.weight is not None]


def _scores(t: PerfTable) -> list[Value]:
    return [f.score for f in scored_rows(t) if f.score] + [i.score for i in t.indicators if i.score is not None]


def _sum(values: list[Value]) -> Decimal:
    return sum((v.amount for v in values), ZERO)


@rule("P05", "绩效自评表 各项分值之和 = 100", "资金（执行率）行分值 + 各指标分值 = 满分 100（地区可设）", REF_SCORE,
      hint="核对各指标分值：执行率行与各项指标的分值合计应为满分。")
def p05(r: Rule, report: Report):
    full = region(report).full_marks
    for t in tables(report):
        weights = _weights(t)
        if weights and _sum(weights) != full:
            cell = t.total_weight.cell if t.total_weight else weights[0].cell
            yield finding(r, t, cell, f"执行率行与 {len(weights) - len(scored_rows(t))} 项指标的分值之和为 "
                          f"{plain(_sum(weights))}，应为满分 {plain(full)}", full, _sum(weights),
                          [cell, *(w.cell for w in weights)])


def _total_rule(r: Rule, t: PerfTable, printed: Value | None, parts: list[Value], what: str) -> Iterator[Finding]:
    summed = _sum(parts)
    if not parts or (printed is not None and printed.amount == summed):
        return
    n = len(parts)
    if printed is None:
        yield finding(r, t, parts[0].cell, f"总分行的{what}未填写，执行率行与各指标的{what}之和为 {plain(summed)}",
                      summed, None, [p.cell for p in parts])
        return
    yield finding(r, t, printed.cell, f"总分 {what}（{at(printed.cell)}）印为 {plain(printed.amount)}，而执行率行与各指标的"
                  f"{what}（{n} 项）之和为 {plain(summed)}", summed, printed.amount, [printed.cell, *(p.cell for p in parts)])


@rule("P06", "绩效自评表 总分分值 = 各项分值之和", "总分·分值 = 资金（执行率）行分值 + 各指标分值", REF)
def p06(r: Rule, report: Report):
    for t in tables(report):
        yield from _total_rule(r, t, t.total_weight, _weights(t), "分值")


@rule("P07", "绩效自评表 总分 = 各项得分之和", "总分·得分 = 资金（执行率）行得分 + 各指标得分", REF)
def p07(r: Rule, report: Report):
    for t in tables(report):
        yield from _total_rule(r, t, t.total_score, _scores(t), "得分")


@rule("P08", "绩效自评表 得分不大于分值", "每一计分行：得分 ≤ 分值", REF)
def p08(r: Rule, report: Report):
    for t in tables(report):
        rows = [(f.label, f.weight, f.score) for f in scored_rows(t)]
        rows += [(i.level3 or i.level2, i.weight, i.score) for i in t.indicators]
        for name, weight, score in rows:
            if weight is not None and score is not None and score.amount > weight.amount:
                yield finding(r, t, score.cell, f"“{name}”得分（{at(score.cell)}）{plain(score.amount)} 大于分值 "
                              f"{plain(weight.amount)}", weight.amount, score.amount, [score.cell, weight.cell])


_MEASURE = re.compile(r"^(?P<op>[≥≤><]|>=|<=)?\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>\D*)$")
_MISSES = {"≥": lambda a, t: a < t, ">=": lambda a, t: a < t, ">": lambda a, t: a <= t,
           "≤": lambda a, t: a > t, "<=": lambda a, t: a > t, "<": lambda a, t: a >= t}


def missed(target: str, actual: str) -> bool:
    """实际完成值 visibly misses 年度指标值: only a target with a bound (≥95%, ≤30万元) against a plain actual
    figure in the same unit (90%, 32万元). “90%” against “100%”, “≥95%” against “≥95%”, text: not judged."""
    t, a = _MEASURE.match(re.sub(r"\s+", "", target)), _MEASURE.match(re.sub(r"\s+", "", actual))
    if not t or not a or not t["op"] or a["op"] or t["unit"] != a["unit"]:
        return False
    return _MISSES[t["op"]](Decimal(a["n"]), Decimal(t["n"]))


@rule("P09", "绩效自评表 扣分或未达标须说明偏差原因", "得分 < 分值，或实际完成值未达到年度指标值（≥、≤ 等明确界限）时，"
      "偏差原因分析及改进措施不得为空或“无”", REF, severity=WARNING,
      hint="在该指标的“偏差原因分析及改进措施”栏写明未达标或扣分的原因及改进措施。")
def p09(r: Rule, report: Report):
    for t in tables(report):
        has_column = any(k.startswith("偏差原因") for i in t.indicators for k in i.text_cells)
        for i in t.indicators:
            lost = i.weight is not None and i.score is not None and i.score.amount < i.weight.amount
            short = missed(i.target, i.actual)
            if not (lost or short) or i.deviation.strip() not in EMPTY_REASONS:
                continue
            why = (f"得分 {plain(i.score.amount)} 低于分值 {plain(i.weight.amount)}" if lost
                   else f"实际完成值“{i.actual}”未达到年度指标值“{i.target}”")
            cell = next((c for k, c in i.text_cells.items() if k.startswith("偏差原因")), None)
            said = f"偏差原因为“{i.deviation}”" if i.deviation.strip() else "未填写偏差原因"
            if has_column:
                yield finding(r, t, cell or i.cell, f"指标“{i.level3}”{why}，{said}",
                              i.weight.amount if lost else None, i.score.amount if lost else None,
                              [cell, i.score.cell if i.score else None, i.weight.cell if i.weight else None])
            else:  # the 整体 table prints no 偏差原因 column: the reason belongs in the 情况说明 (十三)
                score_cell = i.score.cell if i.score else i.cell
                yield finding(r, t, score_cell, f"指标“{i.level3}”{why}；本表没有“偏差原因分析及改进措施”栏，"
                              "扣分原因和改进措施请在情况说明（绩效自评部分）中写明",
                              i.weight.amount if lost else None, i.score.amount if lost else None,
                              [score_cell], severity=INFO)

