"""Figures the 内蒙古 情况说明 states and the 陕西 model does not (templates/narrative/neimenggu; seed 003), as
Facts with provenance for its section templates:

- 一/四: the totals against 年初预算 as well as 上年 (与年初预算相比增加 X，增长 Y%: a growth on the budget),
  and 一's six lines of 公开01表 (本年收入合计, 使用非财政拨款结余, 年初结转和结余 | 本年支出合计, 结余分配,
  年末结转和结余), each against 上年;
- 二/三: every income line of 01 and every spending column of 03, zero or not, with its share;
- 五: the 项 of 05 grouped by 类, each 类 against the sum of its 项' 年初预算;
- 六: each item of 06 with its amount; 七: the table “项目经济分类” (项目支出 by 经济分类) by 类 and 款;
- 八 三公: 公务用车购置及运行维护费 as one, each item's share, 国内 and 国（境）外 公务接待;
- 九/十: 基金 and 国资 spending against 上年; 十一–十三: from the table “运行资产采购” when the workbook has it,
  else from the 说明数据; 十四: the 绩效自评 counts and funds, and the 项目 self-evaluations (narrative/perf.py).

The figures are built for every report (they are cheap); the reasons they ask for are listed in 原因说明 only
for a report whose region's style prints them (style.yaml `figures`: GROUP), so a 陕西 workbook is not asked for reasons its
text never states — and for such a report the 陕西 reasons its text does not state are dropped (UNSTATED).
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from ..amounts import ZERO
from ..inputs import REGION_VEHICLE_USES
from .facts import Fact, Missing, completion, diff, growth, share, source, total

GROUP = "内蒙古"  # style.yaml `figures` of a style whose text states these figures (and so needs their reasons)
PROJECT_TABLE, RUNNING_TABLE = "项目经济分类", "运行资产采购"

# 01 lines of 一 (key of the 01 row, its name in the text, the 说明数据 key of last year's figure)
INCOME_LINES = [("本年收入合计", "本年收入决算合计", "上年.本年收入合计"),
                ("使用非财政拨款结余", "使用非财政拨款结余和专用结余", "上年.使用非财政拨款结余"),
                ("年初结转和结余", "年初结转和结余", "上年.年初结转和结余")]
EXPENSE_LINES = [("本年支出合计", "本年支出决算合计", "上年.本年支出合计"),
                 ("结余分配", "结余分配", "上年.结余分配"),
                 ("年末结转和结余", "年末结转和结余", "上年.年末结转和结余")]
INCOME_ROWS = ["一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入", "上级补助收入",
               "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
EXPENSE_COLUMNS = ["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
VEHICLE_USES = REGION_VEHICLE_USES["内蒙古"]  # 十三: the uses seed 003 lists (its 表十一's lines, in order)
# 十二: (the text's name, the table's row key, the 说明数据 key under 政府采购.)
PURCHASES = [("总额", "政府采购总额", "总额"), ("货物", "政府采购货物", "货物"), ("工程", "政府采购工程", "工程"),
             ("服务", "政府采购服务", "服务"), ("中小企业", "授予中小企业", "授予中小企业"),
             ("小微企业", "授予小微企业", "授予小微企业"), ("货物中小", "货物授予中小企业", "货物授予中小企业"),
             ("工程中小", "工程授予中小企业", "工程授予中小企业"), ("服务中小", "服务授予中小企业", "服务授予中小企业")]
# the 陕西 model's reasons the 内蒙古 text does not state: 五 比上年 and 比预算 (一 states the totals' reason),
# 机关运行经费 against its 预算, 三公 items against their 预算 and the 三公 total against 上年, 会议费 and 培训费
UNSTATED = {"一般公共预算财政拨款支出", "一般公共预算财政拨款支出预算执行", "机关运行经费预算执行", "“三公”经费",
            "因公出国（境）费预算执行", "公务用车购置费预算执行", "公务用车运行维护费预算执行", "公务接待费预算执行",
            "会议费", "会议费预算执行", "培训费", "培训费预算执行"}


def _comparison(*args):
    """model.Comparison (model.py imports this module before it defines the class)."""
    from .model import Comparison

    return Comparison(*args)


class OnBudget(msgspec.Struct):
    """本年 against 年初预算 as a growth (与年初预算相比增加 X 万元，增长 Y%). Held apart from the Comparisons on
    上年 (rule S06 reads every Comparison of the model as a change on 上年)."""

    cmp: object  # model.Comparison


def build(m, ctx: dict) -> dict:
    """Context keys to add to the section model (all of them, whatever the report's tables)."""
    listed = m.listing(GROUP)
    compare = listed(m.compare)

    def on_budget(current: Fact, key: str, what: str, subject: str) -> OnBudget:
        budget = m.input(key, ask=f"本年{subject}的年初预算")
        d = diff(current, budget)
        reason = None
        if d.known and d.value != 0:
            word = "大于" if d.value > 0 else "小于"  # type: ignore[operator]
            reason = listed(m.reason)(f"{subject}预算执行", f"{what}：决算 {current.value:,.2f} 万元{word}年初预算 "
                                                         f"{budget.value:,.2f} 万元", f"{subject}决算数{word}年初预算数的原因")
        return OnBudget(_comparison(current, budget, d, growth(current, budget), reason, "增加", "减少"))

    running = _running(m, ctx, compare)
    out = {
        "收支总计": {**ctx["一"],
                 "比预算": on_budget(ctx["一"]["收入总计"], "年初预算.收支总计", "收入总计、支出总计与年初预算",
                                  "收入总计、支出总计"),
                 "收入": _lines(m, INCOME_LINES, "收入", compare), "支出": _lines(m, EXPENSE_LINES, "支出", compare)},
        "收入项目": _income_rows(m),
        "支出项目": _expense_columns(m),
        "财政拨款收支": {**ctx["四"],
                   "比预算": on_budget(ctx["四"]["收入总计"], "年初预算.财政拨款收支总计",
                                    "财政拨款收入总计、支出总计与年初预算", "财政拨款收入总计、支出总计")},
        "一般公共预算支出": {**ctx["五"], "类": _classes(m, ctx["五"]["rows"])},
        "基本支出明细": {"基本支出": ctx["六"]["基本支出"], "groups": _economic(m, "06")},
        "项目支出明细": _project(m),
        "三公明细": {**ctx["九"], **_sangong(m, ctx["九"], compare)},
        "基金支出": _spent(m, "07", "小计", "政府性基金预算财政拨款支出", compare),
        "国资支出": _spent(m, "08", "合计", "国有资本经营预算财政拨款支出", compare),
        **running,
        "绩效自评": _perf(m, ctx),
        "联系": {"联系人": m.text("联系人", "决算公开联系人"), "联系电话": m.text("联系电话")},
        "概况主要工作": m.text("主要工作", "本年度主要工作完成情况"),
    }
    if m.states(GROUP):
        m.reasons[:] = [r for r in m.reasons if r.key not in UNSTATED]
    return out


def _lines(m, lines: list[tuple[str, str, str]], side: str, compare) -> list[dict]:
    out = []
    for key, name, prev in lines:
        f = m.table("01", key, "决算数", side)
        last = m.input(prev, ask=f"上年决算{key}")
        out.append({"name": name, "决算": f, "比上年": compare(f, last, name, f"{name}比上年", subject=name)})
    return out


def _income_rows(m) -> dict:
    whole = m.table("01", "本年收入合计", "决算数", "收入")
    rows = [(key, m.table("01", key, "决算数", "收入")) for key in INCOME_ROWS]
    return {"合计": whole, "parts": [(name, f, share(f, whole)) for name, f in rows]}


def _expense_columns(m) -> dict:
    whole = m.table("03", "合计", "本年支出合计")
    parts = [(c, m.table("03", "合计", c)) for c in EXPENSE_COLUMNS]
    return {"合计": whole, "parts": [(name, f, share(f, whole)) for name, f in parts]}


def _classes(m, rows: list[dict]) -> list[dict]:
    """五: the 项 of the 陕西 model grouped by 类, each 类's 决算 (05) against the sum of its 项' 年初预算."""
    t05 = m.report.table("05")
    out: list[dict] = []
    for it in rows:
        code = it["code"][:3]
        if not out or out[-1]["code"] != code:
            row = t05.row(code)
            actual = m.row_fact("05", row, "小计") if row else source(ZERO, f"{t05.spec.number} {code}·小计", None)
            out.append({"code": code, "name": row.name if row else it["类"], "决算": actual, "rows": []})
        out[-1]["rows"].append(it)
    for cls in out:
        budget = total(*(it["比预算"].base for it in cls["rows"]),
                       formula=f"Σ 年初预算.项.{cls['code']}xxxx")
        # no reason at 类 level (the text gives each 项's): a Comparison without one
        cls["比预算"] = _comparison(cls["决算"], budget, diff(cls["决算"], budget), None, None, "增加", "减少")
    return out


def _economic(m, tid: str) -> list[dict]:
    """06: each total (人员经费, 公用经费) with the items spent under it."""
    t = m.report.table(tid)
    col = t.spec.value_name
    groups = []
    rows = t.rows_by_name()
    for tot in t.spec.totals:
        items = [(r.name, m.row_fact(tid, r, col)) for cls in t.spec.classes if cls.code in tot.classes
                 for code, _ in cls.items if (r := rows.get(code)) and r.amount(col) != 0]
        groups.append({"name": tot.label.replace("合计", ""), "合计": m.table(tid, tot.label, col), "parts": items})
    return groups


def _project(m) -> dict:
    """七: 项目支出 (05) and, from the table “项目经济分类”, each 类 spent with its 款."""
    spent = m.table("05", "合计", "项目支出")
    t = m.report.tables.get(PROJECT_TABLE)
    if t is None:
        return {"项目支出": spent, "classes": None, "missing": Missing(
            f"表.{PROJECT_TABLE}", "工作簿中的“一般公共预算财政拨款项目支出决算明细表”（工作簿中没有这张表）", None,
            "按经济分类的项目支出明细（一般公共预算财政拨款项目支出决算明细表）")}
    col = t.spec.value_name
    classes = []
    for cls in t.spec.classes:
        row = t.row(cls.code)
        if row is None or row.amount(col) == 0:
            continue
        items = [(r.name, m.row_fact(PROJECT_TABLE, r, col)) for code, _ in cls.items
                 if (r := t.row(code)) and r.amount(col) != 0]
        classes.append({"code": cls.code, "name": row.name or cls.name, "合计": m.row_fact(PROJECT_TABLE, row, col),
                        "parts": items, "用途": m.inputs.get(f"项目支出说明.{cls.code}")})
    return {"项目支出": spent, "classes": classes, "missing": None}


def _sangong(m, nine: dict, compare) -> dict:
    """八: 公务用车购置及运行维护费 as one (09's 小计 column, else 购置 + 运行维护), each item's share of the 三公
    决算, each item against 上年 (also when nothing was spent: last year something may have been), the counts (0
    where nothing was spent) and 公务接待 split into 国内 and 国（境）外 (说明数据: 09 does not split it)."""
    from .model import SANGONG, car_costs

    car_budget, car_actual = car_costs(m)
    whole = nine["合计"]["决算"]
    by_name = {x["name"]: x for x in nine["parts"]}
    items = [("因公出国(境)费", by_name["因公出国（境）费"]["预算"], by_name["因公出国（境）费"]["决算"]),
             ("公务用车购置及运行维护费", car_budget, car_actual),
             ("公务接待费", by_name["公务接待费"]["预算"], by_name["公务接待费"]["决算"])]
    vs_last = {key: compare(by_name[name]["决算"], m.input(f"上年.三公经费.{key}"), name, f"{name}比上年", subject=name)
               for name, key in SANGONG}
    reception = by_name["公务接待费"]["决算"]
    # 国（境）外 接待 out of 公务接待费: none when nothing was spent on 接待 at all
    foreign = _none_when_nothing(m, "三公.国外公务接待费", reception, "amount", "国（境）外公务接待费")
    abroad, buy = by_name["因公出国（境）费"]["决算"], by_name["公务用车购置费"]["决算"]
    return {"三项": [{"name": n, "预算": b, "决算": a, "完成率": _rate(a, b),
                    "占比": share(a, whole) if whole.known and whole.value else None} for n, b, a in items],
            "完成率": _rate(whole, nine["合计"]["预算"]), "比上年": vs_last,
            "团组": _none_when_nothing(m, "三公.因公出国团组", abroad),
            "出国人次": _none_when_nothing(m, "三公.因公出国人次", abroad),
            "购置辆": _none_when_nothing(m, "三公.购置车辆", buy),
            # a fleet paid from 财政拨款 runs at some cost: none when 运行维护费 is 0
            "保有量": _none_when_nothing(m, "三公.公务用车保有量", by_name["公务用车运行维护费"]["决算"]),
            "购置": by_name["公务用车购置费"], "运行": by_name["公务用车运行维护费"],
            "购置用途": m.text("主要用于.公务用车购置费", "公务用车购置开支内容"),
            "国内接待": diff(reception, foreign), "国外接待": foreign,
            "国外批次": _none_when_nothing(m, "三公.国外接待批次", foreign),
            "国外人次": _none_when_nothing(m, "三公.国外接待人次", foreign),
            "接待用途": m.text("主要用于.公务接待费", "国内公务接待开支内容")}


def _none_when_nothing(m, key: str, spent: Fact, kind: str = "count", ask: str | None = None) -> Fact:
    """A figure the 说明数据 gives (团组, 人次, 辆, 国外接待费) — 0, and not asked for, when nothing was spent on it."""
    if spent.known and spent.value == 0:
        return Fact(ZERO, f"{spent.formula} = 0", spent.cells, kind)
    return m.input(key, kind, ask)


def _rate(actual: Fact, budget: Fact) -> Fact | None:
    return completion(actual, budget) if budget.known and budget.value else None


def _spent(m, tid: str, column: str, name: str, compare) -> dict:
    """九/十: 基金 or 国资 spending (07/08 合计) against 上年."""
    f = m.table(tid, "合计", column)
    return {"empty": m.report.table(tid).is_empty, "支出": f,
            "比上年": compare(f, m.input(f"上年.{name}", ask=f"上年决算{name}"), name, f"{name}比上年", subject=name)}


def _count(f: Fact) -> Fact:
    return Fact(f.value, f.formula, f.cells, "count", f.op, f.operands, f.missing)


def _running(m, ctx: dict, compare) -> dict:
    """十一 机构运行经费, 十二 政府采购, 十三 国有资产: the table “运行资产采购” when the workbook has it, else the
    说明数据 the 陕西 model reads (十, 十一, 十二)."""
    t = m.report.tables.get(RUNNING_TABLE)
    if t is not None:
        def cell(key: str) -> Fact:
            return m.table(RUNNING_TABLE, key, "决算数")

        cost = cell("机构运行经费")
        buy = {name: cell(key) for name, key, _ in PURCHASES}
        cars = _count(cell("车辆合计"))
        uses = [(use, _count(cell(use))) for use in VEHICLE_USES]
        equipment = _count(cell("单价100万元以上设备"))
    else:
        cost = ctx["十"]["决算"]
        buy = {name: m.input(f"政府采购.{key}") for name, _, key in PURCHASES}
        cars = ctx["十二"]["车辆"]
        typed = m.inputs.with_prefix("国有资产.车辆明细.")
        uses = [(use, m.input(f"国有资产.车辆明细.{use}", "count")) for use in VEHICLE_USES if use in typed]
        uses += [(use, m.input(f"国有资产.车辆明细.{use}", "count")) for use in typed if use not in VEHICLE_USES]
        equipment = ctx["十二"]["单价100万元以上设备"]

    def part(name: str, whole: str) -> Fact | None:
        w = buy[whole]
        return share(buy[name], w) if w.known and w.value else None

    return {
        "机构运行经费": {"决算": cost, "比上年": compare(cost, m.input("上年.机关运行经费"), "机关运行经费",
                                                   "机构运行经费比上年", subject="机构运行经费")},
        "政府采购": {**buy, "中小占比": part("中小企业", "总额"), "小微占比": part("小微企业", "总额"),
                 "分类": [(c, part(f"{c}中小", c)) for c in ("货物", "工程", "服务")]},
        "国有资产": {"车辆": cars, "明细": uses, "设备": equipment},
    }


def _perf(m, ctx: dict) -> dict:
    """十四 （一）: the 绩效自评 counts and funds (说明数据), the funds' share of 项目支出 (05, 07); （二）: the 项目
    self-evaluations of the 绩效 sheets (the 陕西 十三's, narrative/perf.py); （三）: 重点评价 (说明数据)."""
    funds = m.input("绩效自评.项目资金", ask="纳入绩效自评的一般公共预算项目资金")
    fund_funds = m.input("绩效自评.基金项目资金", ask="纳入绩效自评的政府性基金预算项目资金")
    project = m.table("05", "合计", "项目支出")
    fund_project = m.table("07", "合计", "项目支出")
    counts = {k: m.input(f"绩效自评.{k}", "count") for k in ("一级项目", "二级项目", "基金一级项目", "基金二级项目")}
    thirteen = ctx["十三"]
    projects = thirteen["perf"]["项目"] if thirteen["perf"] else []
    tables = m.report.perf.projects if m.report.perf else []
    return {**counts, "基金项目": _count(total(counts["基金一级项目"], counts["基金二级项目"])),
            "项目数": Fact(Decimal(len(projects)), "项目支出绩效自评表张数",
                        tuple(t.name_cell for t in tables if t.name_cell), "count"),
            "无自评表": Missing("绩效", "项目支出绩效自评表（或在说明数据“绩效”中填写预算绩效情况说明全文）",
                             m.inputs.cell("绩效"), "项目绩效自评结果（或在工作簿中添加项目支出绩效自评表）"),
            "资金": funds, "资金占比": share(funds, project) if project.value else None,
            "基金资金": fund_funds, "基金资金占比": share(fund_funds, fund_project) if fund_project.value else None,
            "perf": thirteen["perf"], "text": thirteen["text"], "todo": thirteen["todo"],
            "重点评价": m.text("重点绩效评价", "部门重点项目绩效评价结果（没有开展则填“无”）")}


__all__ = ["GROUP", "OnBudget", "PROJECT_TABLE", "RUNNING_TABLE", "build"]
