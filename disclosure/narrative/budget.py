"""What each section of a 部门预算 情况说明 says, as Facts: from 表1–表15 and the 预算 说明数据, before any wording
(templates/narrative/shaanxi-yusuan/). The structure is the Shaanxi 部门综合预算 text (seed 002): 第一部分 部门概况,
第二部分 收支情况 (五、收支说明 （一）–（五）), 第三部分 其他情况 (六 “三公” … 十一 名词解释).

Growth in a 预算 text is on LAST YEAR'S BUDGET (说明数据 上年.…). A change needs the officer's reason when it is at
least the style's `reason_threshold` of last year's figure, or when either year is zero; a smaller change prints the
reason only if one was typed. Reasons needed and inputs missing are listed as in the 决算 model (Model.reasons,
the rendering's missing list), so the 原因说明 sheet and `disclosure narrative` name them.
"""

from __future__ import annotations

from decimal import Decimal

from ..amounts import ZERO
from ..budgetfigures import (BUDGET, FUNCTION, INCOME, dept_classes, function_items, general_total,
                             gov_classes, purchases, sangong_rows, unit_names)
from ..inputs import Inputs
from ..model import Report, Value
from .facts import Fact, Missing, diff, growth, source, total
from .model import Comparison, Model, cover_date, organisation, zero_print

DEFAULT_STYLE = "shaanxi-yusuan"
DEFAULT_THRESHOLD = Decimal(10)  # %: when style.yaml says nothing


def threshold_of(config: dict) -> Decimal:
    """style.yaml `reason_threshold: 10%` (or 10, or 0.1) as a percentage."""
    raw = config.get("reason_threshold")
    if raw is None:
        return DEFAULT_THRESHOLD
    text = str(raw).strip().rstrip("%％")
    value = Decimal(text)
    return value * 100 if value < 1 and "%" not in str(raw) else value


class BudgetModel(Model):
    """The 决算 Model's sources and reasons, with the 预算 说明数据 schema and the reason threshold."""

    threshold: Decimal = DEFAULT_THRESHOLD  # a change at least this many per cent asks for its reason

    def value(self, value: Value | None, formula: str) -> Fact:
        return source(value.amount if value else ZERO, formula, value.cell if value else None)

    def side(self, tid: str, key: str, side: str) -> Fact:
        t = self.report.table(tid)
        row = t.row(key, side)
        return self.value(row.values.get(BUDGET) if row else None, f"{t.spec.number} {side} {key}·{BUDGET}")

    def versus_last(self, current: Fact, prev_key: str, reason_key: str, subject: str) -> Comparison:
        """本年预算 vs 上年预算 (说明数据 prev_key): the change, and the reason when it is needed or given."""
        return self.against(current, self.input(prev_key, ask=f"{subject}上年预算数"), reason_key, subject)

    def against(self, current: Fact, base: Fact, reason_key: str, subject: str) -> Comparison:
        """本年预算 vs a 上年预算 Fact; the reason is asked for when the change is at least the threshold of the
        base, or either is zero, and printed anyway when the officer typed one."""
        d = diff(current, base)
        reason: str | Missing | None = None
        if d.known and d.value != 0:
            word = "增加" if d.value > 0 else "减少"  # type: ignore[operator]
            big = base.value == 0 or current.value == 0 or abs(d.value) * 100 >= self.threshold * base.value  # type: ignore[operator,arg-type]
            given = self.inputs.get(f"原因.{reason_key}")
            if big:
                reason = self.reason(reason_key, f"{subject}：本年预算 {current.value:,.2f} 万元，比上年预算 "
                                                 f"{base.value:,.2f} 万元{word} {abs(d.value):,.2f} 万元",  # type: ignore[arg-type]
                                     f"{subject}{word}的原因")
            elif given:
                reason = str(given)
        return Comparison(current, base, d, growth(current, base), reason, "增加", "减少")


def build(report: Report, inputs: Inputs | None = None, threshold: Decimal | None = None) -> dict:
    """The context of every section template of a 预算 style, plus `model` (reasons needed, inputs)."""
    if threshold is None:
        from .render import style_config  # the default style's threshold (the 原因说明 sheet, checks)

        threshold = threshold_of(style_config(DEFAULT_STYLE))
    inputs = inputs or report.inputs or Inputs()
    m = BudgetModel(report, inputs, threshold=threshold)
    org = organisation(m)
    ctx: dict = {"model": m, "year": report.year, "unit": report.unit_name, "prev_year": report.year - 1,
                 "org": org, "cover_date": cover_date(m), "zero": zero_print(m)}
    ctx["概况一"] = {"职责": m.text("主要职责", f"{org}主要职责"), "机构": m.inputs.get("机构设置")}
    ctx["概况二"] = {"任务": m.text("工作任务", "本年工作任务")}
    ctx["概况三"] = {"单位": unit_names(report) or m.missing("单位构成", "纳入预算编制范围的单位名单")}
    ctx["概况四"] = _staff(m)
    ctx["五"] = _money(m)
    ctx["六"] = _sangong(m)
    ctx["七"] = {k: m.input(f"国有资产.{k}", "count") for k in ("购置车辆", "购置设备")}
    bought = purchases(report)
    ctx["八"] = {"empty": not bought, "总额": total(*(m.value(r.values["预算金额"], f"表11 {r.name}·预算金额")
                                                     for r in bought), formula="表11 预算金额之和"),
                "分类": [(k, m.input(f"政府采购.{k}", ask=f"政府采购预算中{k}类金额")) for k in ("货物", "工程", "服务")]}
    ctx["九"] = {k: m.side("表4", k, INCOME) for k in ("一般公共预算拨款", "政府性基金拨款", "国有资本经营预算收入")}
    running = m.input("机关运行经费", ask="本年机关运行经费预算")
    ctx["十"] = {"本年": running, "比上年": m.versus_last(running, "上年.机关运行经费", "机关运行经费", "机关运行经费")}
    return ctx


def _staff(m: BudgetModel) -> dict:
    names = unit_names(m.report)
    count = lambda key, ask: m.input(key, "count", ask)  # noqa: E731
    return {k: count(f"人员.{k}", None) for k in ("编制", "行政编制", "参公编制", "事业编制", "实有", "实有行政",
                                                 "实有参公", "实有事业", "离退休")} | {
        "单位": [(n, count(f"人员.单位编制.{n}", f"{n}编制人数"), count(f"人员.单位实有.{n}", f"{n}实有人数"))
               for n in names]}


def _money(m: BudgetModel) -> dict:
    """五、收支说明 （一）–（五）."""
    r = m.report
    general = m.value(general_total(r), "表5 合计·合计")
    fund_out = m.side("表9", "本年支出合计", FUNCTION)
    def totals(tid: str, keys: tuple[str, str], names: tuple[str, str]) -> dict:
        """表1 (the whole 部门预算) or 表4 (财政拨款): totals, 其中 by fund, and each total on last year's."""
        income, expense = m.side(tid, "收入总计", INCOME), m.side(tid, "支出总计", FUNCTION)
        return {"收入": income, "支出": expense,
                "一般收入": m.side(tid, "一般公共预算拨款", INCOME), "基金收入": m.side(tid, "政府性基金拨款", INCOME),
                "国资收入": m.side(tid, "国有资本经营预算收入", INCOME),
                "一般支出": general, "基金支出": fund_out,
                "收入比上年": m.versus_last(income, f"上年.{keys[0]}", keys[0], names[0]),
                "支出比上年": m.versus_last(expense, f"上年.{keys[1]}", keys[1], names[1])}

    overall = totals("表1", ("收入总计", "支出总计"), ("部门预算收入", "部门预算支出"))
    fiscal = totals("表4", ("财政拨款收入", "财政拨款支出"), ("财政拨款收入", "财政拨款支出"))
    detail = {"支出": general,
              "比上年": m.versus_last(general, "上年.一般公共预算拨款支出", "一般公共预算拨款支出", "一般公共预算拨款支出"),
              "功能": _function_items(m), "部门经济": _dept_classes(m), "政府经济": _gov_classes(m)}
    fund_in = m.side("表9", "本年收入合计", INCOME)
    return {"总体": overall, "财政拨款": fiscal, "一般公共预算": detail,
            "基金": {"empty": r.table("表9").is_empty, "收入": fund_in, "支出": fund_out},
            "国资": {"empty": fiscal["国资收入"].value == 0, "收入": fiscal["国资收入"]}}


def _item(m: BudgetModel, family: str, code: str, name: str, current: Fact) -> dict:
    return {"code": code, "name": name, "本年": current,
            "比上年": m.versus_last(current, f"上年.{family}.{code}", f"{family}.{code}", f"{name}（{code}）")}


def _function_items(m: BudgetModel) -> list[dict]:
    """Each 项 of 表5 with money, and each 项 budgeted last year that has none this year (a change to zero)."""
    from ..catalog import lookup

    rows = {r.code: r for r in function_items(m.report)}
    last = {c for c, v in m.inputs.with_prefix("上年.功能.").items() if v.value}
    out = []
    for code in sorted({c for c, r in rows.items() if r.amount("合计") != 0} | last):
        row = rows.get(code)
        entry = None if row else lookup(code, m.report.year)
        name = row.name if row else (entry.name if entry else code)
        current = m.row_fact("表5", row, "合计") if row else source(ZERO, f"表5 {code}·合计", None)
        out.append(_item(m, "功能", code, name, current))
    return out


def _dept_classes(m: BudgetModel) -> list[dict]:
    return [_item(m, "部门经济", r.code, r.name, m.row_fact("表6", r, "合计"))  # type: ignore[arg-type]
            for r in dept_classes(m.report) if r.amount("合计") != 0]


def _gov_classes(m: BudgetModel) -> list[dict]:
    _, figures = gov_classes(m.report)
    out = []
    for f in figures:
        parts = [m.value(v, f.source) for v in f.values]
        current = parts[0] if len(parts) == 1 else total(*parts, formula=f.source)
        out.append(_item(m, "政府经济", f.code, f.name, current))
    return out


# 表12 columns: (name in the text, column after 上年./当年.)
SANGONG = [("因公出国（境）费", "因公出国（境）费用"), ("公务接待费", "公务接待费"), ("公务用车购置及运行维护费", "公务用车小计"),
           ("公务用车购置费", "公务用车购置费"), ("公务用车运行维护费", "公务用车运行维护费")]


def _sangong(m: BudgetModel) -> dict:
    """六: 表12's 当年 against its own 上年 columns (the 上年预算 is printed in the table)."""
    rows = sangong_rows(m.report)

    def figure(column: str) -> Fact:  # the 部门's: one row (合计 or 部门), or the sum of several 部门 rows
        facts = [m.row_fact("表12", row, column) for row in rows]
        if not facts:
            return source(ZERO, f"表12 {column}", None)
        return facts[0] if len(facts) == 1 else total(*facts)

    def pair(name: str, column: str) -> dict:
        now, before = figure(f"当年.{column}"), figure(f"上年.{column}")
        return {"name": name, "本年": now, "上年": before, "比上年": m.against(now, before, name, name)}

    total_pair = pair("“三公”经费", "三公小计")
    parts = [pair(name, column) for name, column in SANGONG]
    meeting, training = pair("会议费", "会议费"), pair("培训费", "培训费")
    nothing = all(not x["本年"].value and not x["上年"].value for x in [total_pair, meeting, training, *parts])
    return {"nothing": nothing, "合计": total_pair, "parts": parts, "会议": meeting, "培训": training}


__all__ = ["DEFAULT_STYLE", "BudgetModel", "build", "threshold_of"]
