"""Rules (R) of the tables only some regions print (issue 21), keyed by what a table is, not its number:

- "项目经济分类": 一般公共预算财政拨款项目支出决算明细表 (内蒙古 表七), 06's 经济分类 layout for 项目支出:
  items → classes → 合计, and 合计 = 05表 合计·项目支出;
- "运行资产采购": 机构运行经费支出、国有资产占用情况及政府采购支出信息表 (内蒙古 表十一): 政府采购 by type and
  中小企业, 车辆 by use (counts: the spec's `unit` lines), and the same figures where 说明数据 states them.

A report whose layout has no such table (陕西, 上海) gets no finding from these rules: the table is absent, not
empty, so there is nothing to check — the other rules still read every table it has.
"""

from __future__ import annotations

from decimal import Decimal

from ...inputs import REGION_VEHICLE_USES
from ...model import Report, Table, Value
from ..engine import WARNING, Finding, Rule, Term, at_most, compare_equal, compare_sum, find_row, keep, rule, term

PROJECT, RUNNING = "项目经济分类", "运行资产采购"
REF_PROJECT = "一般公共预算财政拨款项目支出决算明细表（内蒙古 表七）；部门预算支出经济分类科目"
REF_RUNNING = "机构运行经费支出、国有资产占用情况及政府采购支出信息表（内蒙古 表十一）"
REF_INPUTS = "部门决算公开 情况说明：机构运行经费、政府采购、国有资产占用情况与公开表一致"

# 运行资产采购 lines (the spec's keys)
PURCHASE_TYPES = ("政府采购货物", "政府采购工程", "政府采购服务")
SME_TYPES = ("货物授予中小企业", "工程授予中小企业", "服务授予中小企业")
VEHICLE_USES = tuple(REGION_VEHICLE_USES["内蒙古"])  # 表十一's lines of vehicles by use
# 说明数据 key -> the 运行资产采购 line holding the same figure (disclosure/inputs.py names the keys)
SAME_AS_INPUTS = {
    "机关运行经费": "机构运行经费",
    "政府采购.总额": "政府采购总额", "政府采购.货物": "政府采购货物", "政府采购.工程": "政府采购工程",
    "政府采购.服务": "政府采购服务", "政府采购.授予中小企业": "授予中小企业", "政府采购.授予小微企业": "授予小微企业",
    "政府采购.货物授予中小企业": "货物授予中小企业", "政府采购.工程授予中小企业": "工程授予中小企业",
    "政府采购.服务授予中小企业": "服务授予中小企业",
    "国有资产.车辆": "车辆合计", "国有资产.单价100万元以上设备": "单价100万元以上设备",
    **{f"国有资产.车辆明细.{use}": use for use in VEHICLE_USES},
}


def _table(report: Report, tid: str) -> Table | None:
    return report.tables.get(tid)


def _value_column(t: Table) -> str:
    return t.spec.value_columns[0].name


def _line(report: Report, t: Table, key: str) -> Term | None:
    row = find_row(t, key)
    return term(report, t.id, row, _value_column(t)) if row is not None else None


def _unit(t: Table, key: str) -> str:
    """The count unit of a line (辆, 台（套）), "" for an amount."""
    return next((rs.unit for s in t.spec.sides for rs in s.rows if rs.key == key), "")


def _count(x: Decimal) -> str:
    return f"{x.normalize():f}" if x == x.to_integral_value() else f"{x}"


def _counts_differ(r: Rule, table: str, big: Term, parts: list[Term], unit: str, what: str) -> Finding | None:
    """total = Σ parts for counts: whole things, no rounding, so any difference is the rule's severity."""
    expected = sum((p.amount for p in parts), Decimal(0))
    if big.amount == expected:
        return None
    diff = big.amount - expected
    return Finding(rule=r.id, severity=r.severity, table=table, cell=big.value.cell, title=r.title, hint=r.hint,
                   expected=expected, actual=big.amount,
                   cells=[c for c in (big.value.cell, *(p.value.cell for p in parts)) if c],
                   message=f"{big.label} 为 {_count(big.amount)} {unit}，而{what}为 {_count(expected)} {unit}，"
                           f"相差 {_count(diff)} {unit}")


# ---------------------------------------------------------------- 项目经济分类 (内蒙古 表七)

def _project_sums(r: Rule, report: Report, groups):
    """total = Σ parts in 表七, for each (total code or label, part codes) that `groups(spec)` lists."""
    t = _table(report, PROJECT)
    if t is None:
        return
    column = t.spec.value_name
    for total, parts in groups(t.spec):
        row = find_row(t, total)
        terms = [term(report, PROJECT, x, column) for x in (find_row(t, p) for p in parts) if x is not None]
        if row is not None:
            yield from keep([compare_sum(r, PROJECT, term(report, PROJECT, row, column), terms)])


@rule("R01", "项目支出经济分类表 各类 = 其下各款之和",
      "一般公共预算财政拨款项目支出决算明细表：301、302、303、307、309、310、311、312、313、399 各类 = 其下各款之和",
      REF_PROJECT)
def r01(r: Rule, report: Report):
    yield from _project_sums(r, report, lambda spec: [(c.code, [code for code, _ in c.items]) for c in spec.classes])


@rule("R02", "项目支出经济分类表 合计 = 各类之和", "一般公共预算财政拨款项目支出决算明细表：合计 = 各类之和（按表样规格）",
      REF_PROJECT)
def r02(r: Rule, report: Report):
    yield from _project_sums(r, report, lambda spec: [(x.label, x.classes) for x in spec.totals])


@rule("R03", "项目支出经济分类表 合计 = 05表 项目支出合计",
      "一般公共预算财政拨款项目支出决算明细表 合计 = 一般公共预算财政拨款支出决算表 合计行“项目支出”",
      "部门决算公开表 表间勾稽关系；" + REF_PROJECT,
      hint="两表都是一般公共预算财政拨款项目支出：按经济分类与按功能分类的合计应相同，核对两表的合计与明细。")
def r03(r: Rule, report: Report):
    t, t05 = _table(report, PROJECT), _table(report, "05")
    if t is None or t05 is None:
        return
    total, total05 = find_row(t, "合计"), t05.row("合计")
    if total is None or total05 is None:
        return
    yield from keep([compare_equal(r, f"05/{PROJECT}", term(report, "05", total05, "项目支出"),
                                   term(report, PROJECT, total, t.spec.value_name))])


@rule("R04", "06表与项目支出经济分类表 “三公”经费 ≤ 三公表 决算数",
      "06表 + 项目支出经济分类表：30212 ≤ 三公表 因公出国（境）费；30217 ≤ 公务接待费；30231 ≤ 公务用车运行维护费；"
      "30913 + 31013 ≤ 公务用车购置费（决算数）",
      "部门决算公开表 表间勾稽关系；" + REF_PROJECT, severity=WARNING,
      hint="“三公”经费决算数含一般公共预算财政拨款的基本支出和项目支出（及政府性基金），应不小于两张经济分类表同一款之和。")
def r04(r: Rule, report: Report):
    t, t06, t09 = _table(report, PROJECT), _table(report, "06"), _table(report, "09")
    row09 = t09.row("决算数") if t09 is not None else None
    if t is None or t06 is None or row09 is None:
        return
    for codes, column in ((("30212",), "因公出国（境）费"), (("30217",), "公务接待费"), (("30231",), "公务用车运行维护费"),
                          (("30913", "31013"), "公务用车购置费")):
        if column not in row09.values:
            continue
        parts = [term(report, tid, row, table.spec.value_name) for tid, table in (("06", t06), (PROJECT, t))
                 for code in codes if (row := find_row(table, code)) is not None]
        spent = sum((p.amount for p in parts), Decimal(0))
        if not parts or spent == 0:
            continue
        # the economic side as one figure, pointing at its largest part (the cell most likely to hold the slip)
        main = max(parts, key=lambda p: p.amount)
        both = Term(main.table, " + ".join(f"{p.table} {p.row}" for p in parts), "", Value(spent, main.value.cell),
                    parts=len(parts))
        yield from keep([at_most(r, f"06/{PROJECT}/09", both, term(report, "09", row09, column))])


# ---------------------------------------------------------------- 运行资产采购 (内蒙古 表十一)

@rule("R05", "政府采购支出总额 = 货物 + 工程 + 服务", "机构运行经费支出、国有资产占用情况及政府采购支出信息表："
      "政府采购支出总额 = 货物 + 工程 + 服务；授予中小企业合同金额 = 货物、工程、服务授予中小企业合同金额之和", REF_RUNNING)
def r05(r: Rule, report: Report):
    t = _table(report, RUNNING)
    if t is None:
        return
    for total, parts in (("政府采购总额", PURCHASE_TYPES), ("授予中小企业", SME_TYPES)):
        big = _line(report, t, total)
        terms = [x for x in (_line(report, t, k) for k in parts) if x is not None]
        if big is not None and terms:
            yield from keep([compare_sum(r, RUNNING, big, terms)])


@rule("R06", "授予中小企业合同金额不大于政府采购支出", "授予中小企业 ≤ 政府采购支出总额；其中授予小微企业 ≤ 授予中小企业；"
      "货物（工程、服务）授予中小企业 ≤ 该类采购支出", REF_RUNNING,
      hint="授予中小企业的合同金额是政府采购支出的一部分：核对这几格，是否把合同金额与支出额填反或填错行。")
def r06(r: Rule, report: Report):
    t = _table(report, RUNNING)
    if t is None:
        return
    pairs = [("授予中小企业", "政府采购总额"), ("授予小微企业", "授予中小企业"), *zip(SME_TYPES, PURCHASE_TYPES)]
    for small, big in pairs:
        a, b = _line(report, t, small), _line(report, t, big)
        if a is not None and b is not None:
            yield from keep([at_most(r, RUNNING, a, b)])


@rule("R07", "车辆数合计 = 各类用车之和", "车辆数合计 = 副部（省）级及以上领导用车 + 主要负责人用车 + 机要通信用车 + 应急保障用车 + "
      "执法执勤用车 + 特种专业技术用车 + 离退休干部服务用车 + 其他用车（辆）", REF_RUNNING)
def r07(r: Rule, report: Report):
    t = _table(report, RUNNING)
    big = _line(report, t, "车辆合计") if t is not None else None
    if big is None:
        return
    parts = [x for x in (_line(report, t, k) for k in VEHICLE_USES) if x is not None]
    yield from keep([_counts_differ(r, RUNNING, big, parts, _unit(t, "车辆合计") or "辆", "各类用车之和")])


@rule("R08", "车辆、设备数应为整数", "机构运行经费支出、国有资产占用情况及政府采购支出信息表：车辆数、设备数（表样中标明单位的行）"
      "为不小于 0 的整数", REF_RUNNING,
      hint="这几行填的是数量（辆、台/套），不是金额：填整数，不要填万元数。")
def r08(r: Rule, report: Report):
    t = _table(report, RUNNING)
    if t is None:
        return
    counted = {rs.key: rs.unit for s in t.spec.sides for rs in s.rows if rs.unit}
    for row in t.rows:
        unit = counted.get(row.key or "")
        for value in row.values.values() if unit else ():
            x = value.amount
            if x != x.to_integral_value() or x < 0:
                yield Finding(rule=r.id, severity=r.severity, table=RUNNING, cell=value.cell, title=r.title,
                              hint=r.hint, actual=x, cells=[c for c in (value.cell,) if c],
                              message=f"{t.spec.number} {row.name} 为 {x}，数量（{unit}）应为不小于 0 的整数")


@rule("R09", "说明数据与表十一同一数相等", "说明数据 机关运行经费、政府采购.*、国有资产.车辆（及明细）、单价100万元以上设备 "
      "= 机构运行经费支出、国有资产占用情况及政府采购支出信息表 同项（说明数据已填写时）", REF_INPUTS,
      hint="同一个数在说明数据和公开表中各填了一次：以公开表为准改正说明数据（或改正表中的录入错误）。")
def r09(r: Rule, report: Report):
    t = _table(report, RUNNING)
    if t is None or report.inputs is None:
        return
    for key, line in SAME_AS_INPUTS.items():
        stated = report.inputs.values.get(key)
        printed = _line(report, t, line)
        if stated is None or printed is None or not isinstance(stated.value, (int, Decimal)):
            continue
        given = Term("说明数据", key, "", Value(Decimal(stated.value), stated.cell))
        unit = _unit(t, line)
        if unit:
            yield from keep([_counts_differ(r, f"说明数据/{RUNNING}", printed, [given], unit, f"说明数据“{key}”")])
        else:
            yield from keep([compare_equal(r, f"说明数据/{RUNNING}", given, printed)])
