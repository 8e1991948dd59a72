"""Shares and comparisons some regions' texts state and the 陕西 model does not, as Facts with provenance for
the section templates (上海 2024, templates/narrative/shanghai):

- 五（二）: each 类 of 05 with its share of the 一般公共预算财政拨款支出; 五（三）: what each 项 was mainly for;
- 七 三公 in three items (因公出国, 公务用车购置及运行维护 as one, 公务接待): 预算, 决算, 完成率, 比上年, share;
- 八/九 基金 and 国资: their income and each 项 of spending against its 年初预算;
- 十一 其他重要事项: 机关运行经费, 政府采购 with the 预留 amounts, 车辆 by use.

The figures are built for every report (they are cheap); the reasons they ask for are listed in 原因说明
only for a report whose region's style prints them, so a 陕西 workbook is not asked for reasons its text
never states.
"""

from __future__ import annotations

from ..inputs import REGION_VEHICLE_USES
from .facts import Fact, share, total

VEHICLE_USES = REGION_VEHICLE_USES["上海"]  # 十一（三）: the uses the 上海 template lists the vehicles by

# 十一（二）: 预留 (set aside for small firms) amounts, as 说明数据 keys under 政府采购.
RESERVED = ["预留中小企业", "预留小微企业", "预留中小企业中标", "预留小微企业中标", "其他中小企业中标"]
GROUP = "上海"  # style.yaml `figures` of a style whose text states these figures (and so needs their reasons)


def build(m, ctx: dict) -> dict:
    """Context keys to add to (or extend) the section model."""
    compare = m.listing(GROUP)(m.compare)

    five = ctx["五"]
    rows = [{**it, "用途": m.text(f"主要用于.项.{it['code']}", f"{it['项']}（项）主要用于哪些方面")}
            for it in five["rows"]]
    return {
        "五": {**five, "结构": _classes(m, five["支出"]), "rows": rows},
        "九": {**ctx["九"], "三项": _sangong(m, ctx["九"], compare),
               # what the 上海 text says these were spent on (the 陕西 text states 运行维护 and 接待 only)
               "出国用途": m.text("主要用于.因公出国（境）费", "因公出国（境）费开支内容"),
               "购置用途": m.text("主要用于.公务用车购置费", "公务用车购置费主要用于哪些方面（列明购置数量）")},
        "七": {**ctx["七"], **_fund(m, "07", compare)},
        "八": {**ctx["八"], **_fund(m, "08", compare)},
        "其他事项": _other(m, ctx),
    }


def _classes(m, whole: Fact) -> list[tuple[str, Fact, Fact | None]]:
    """Each 类 of 05 with spending: (name, 合计, share of the 05 total)."""
    out = []
    for row in m.report.table("05").code_rows():
        if len(row.code or "") == 3 and row.amount("小计") != 0:
            part = m.row_fact("05", row, "小计")
            out.append((row.name, part, share(part, whole)))
    return out


# (the name the text gives, the 09 column, the keys of last year's figures under 上年.三公经费.)
SANGONG_ITEMS = [("因公出国（境）费", "因公出国（境）费", ("因公出国",)),
                 ("公务用车购置及运行维护费", "公务用车购置及运行维护费", ("公务用车购置", "公务用车运行维护")),
                 ("公务接待费", "公务接待费", ("公务接待",))]


def _sangong(m, model: dict, compare) -> list[dict]:
    """三公 as the 上海 text states it: three items, 公务用车 as one, each with 预算, 决算, 比上年 and its share
    of the 三公 决算 total."""
    from .model import car_costs

    t09 = m.report.table("09")
    budget_row, actual_row = t09.row("预算数"), t09.row("决算数")
    whole = model["合计"]["决算"]
    out = []
    for name, column, prev_keys in SANGONG_ITEMS:
        if prev_keys[1:]:  # 公务用车 as one: its 小计 column, else 购置 + 运行维护
            b, a = car_costs(m)
        else:
            b, a = m.row_fact("09", budget_row, column), m.row_fact("09", actual_row, column)
        prev = [m.input(f"上年.三公经费.{k}") for k in prev_keys]
        last = prev[0] if len(prev) == 1 else total(*prev, formula=f"上年 {name}")
        out.append({"name": name, "预算": b, "决算": a,
                    "比预算": compare(a, b, f"{name}预算执行", f"{name}决算与预算", budget=True, subject=name,
                                   budget_name="预算"),
                    "比上年": compare(a, last, name, f"{name}比上年", subject=name),
                    "占比": share(a, whole) if whole.known and whole.value else None})
    return out


def _fund(m, tid: str, compare) -> dict:
    """基金 (07) or 国资 (08): 本年收入 where the table has it, and each 项 spent against its 年初预算."""
    t = m.report.table(tid)
    columns = [c.name for c in t.spec.columns]
    spent = "小计" if "小计" in columns else "合计"
    income = m.table(tid, "合计", "本年收入") if "本年收入" in columns else None
    by_code = {r.code: r for r in t.code_rows()}
    items = []
    for row in t.code_rows():
        if len(row.code or "") != 7 or row.amount(spent) == 0:
            continue
        actual = m.row_fact(tid, row, spent)
        budget = m.input(f"年初预算.项.{row.code}", ask=f"{row.name}（项）年初预算")
        cls, kuan = by_code.get(row.code[:3]), by_code.get(row.code[:5])
        items.append({"code": row.code, "类": cls.name if cls else row.code[:3],
                      "款": kuan.name if kuan else row.code[:5], "项": row.name, "决算": actual,
                      "用途": m.text(f"主要用于.项.{row.code}", f"{row.name}（项）主要用于哪些方面"),
                      "比预算": compare(actual, budget, f"项.{row.code}", f"{row.code} {row.name}", budget=True,
                                     subject=f"{row.name}（项）")})
    return {"本年收入": income, "本年支出": m.table(tid, "合计", spent), "支出明细": items}


def _other(m, ctx: dict) -> dict:
    """十一 其他重要事项: （一）机关运行经费 (陕西 十), （二）政府采购 (十一) with the 预留 amounts, （三）车辆 by the
    template's uses and 单价100万元以上设备 (十二)."""
    buy = {**ctx["十一"], **{k: m.input(f"政府采购.{k}") for k in RESERVED}}
    cars = ctx["十二"]["车辆"]
    if cars.known and cars.value == 0:  # no vehicle at all: none of any use, nothing to ask
        uses = [(use, Fact(cars.value, f"{cars.formula} = 0", cars.cells, "count")) for use in VEHICLE_USES]
    else:
        uses = [(use, m.input(f"国有资产.车辆明细.{use}", "count")) for use in VEHICLE_USES]
    assets = {"车辆": cars, "设备": ctx["十二"]["单价100万元以上设备"], "明细": uses}
    return {"运行": ctx["十"], "采购": buy, "资产": assets}


__all__ = ["RESERVED", "build"]
