"""Seed 003 (乌海市医疗保障局 2023, Inner Mongolia) as a workbook with its 说明数据 and 绩效自评表: the eleven tables
(tests/seed003_workbook.py), the inputs its text states (上年决算, 年初预算, 批次/人次 …, from 003_figures.yaml) and its
five 项目支出绩效自评表 — shared by the text test (test_region_neimenggu_text.py) and the lint test
(test_region_neimenggu_lint.py)."""

from __future__ import annotations

from pathlib import Path

from disclosure import workbook, workbook_write
from disclosure.importers.export import import_export
from disclosure.model import CellRef, Report, Value
from disclosure.perf.model import PROJECT, FundRow, Indicator, Performance, PerfTable
from seed003_workbook import LAYOUT, write
from seed003figures import SEED_003, lines, load

SEED = load()
FIG = SEED["figures"]
LINES = lines()


def _after(line: int, lead: str) -> str:
    """The seed's words after `lead` on a line (joined with the next printed line when it wraps)."""
    text = LINES[line] if lead in LINES[line] else LINES[line] + LINES[line + 2]
    return text.split(lead, 1)[1].strip()


def _amount(fid: str, sign: int = 1) -> str:
    return format(FIG[fid]["value"] * sign, "f")


# the 项 of 五 with the line of their 差异原因
ITEM_LINES = {"2012999": 183, "2080501": 189, "2080505": 191, "2080506": 193, "2101101": 199, "2101199": 201,
              "2101501": 203, "2101506": 205, "2101599": 207, "2210201": 213}


def inputs() -> dict:
    """The 说明数据 and reasons seed 003's text states (each amount derived from the figures as the text gives them:
    上年 = 本年 − 增加额, 年初预算 = 决算 − 增加额)."""
    f = {k: v["signed"] for k, v in FIG.items()}
    total_budget = format(f["s1.total"] - f["s1.total_vs_budget"], "f")
    out = {
        "部门或单位": "部门", "单位构成": ["乌海市医疗保障局"],
        "主要职责": "\n".join(LINES[n] for n in range(72, 89) if LINES[n].strip()),
        "内设机构": LINES[92].removeprefix("1. "), "主要工作": LINES[101], "联系人": "黄晓惠", "联系电话": "0473-3156058",
        "年初预算.收支总计": total_budget, "年初预算.财政拨款收支总计": format(f["s4.total"] - f["s4.total_vs_budget"], "f"),
        "年初预算.一般公共预算财政拨款支出": _amount("s5.budget"),
        "上年.收入总计": format(f["s1.total"] - f["s1.total_vs_last"], "f"),
        "上年.支出总计": format(f["s1.total"] - f["s1.total_vs_last"], "f"),
        "上年.财政拨款收支总计": format(f["s4.total"] - f["s4.total_vs_last"], "f"),
        "上年.本年收入合计": format(f["s1.income"] - f["s1.income_vs_last"], "f"),
        "上年.使用非财政拨款结余": format(f["s1.nonfiscal"] - f["s1.nonfiscal_vs_last"], "f"),
        "上年.年初结转和结余": format(f["s1.carry_in"] - f["s1.carry_in_vs_last"], "f"),
        "上年.本年支出合计": format(f["s1.expense"] - f["s1.expense_vs_last"], "f"),
        "上年.结余分配": format(f["s1.distribution"] - f["s1.distribution_vs_last"], "f"),
        "上年.年末结转和结余": format(f["s1.carry_out"] - f["s1.carry_out_vs_last"], "f"),
        "上年.三公经费.因公出国": format(f["s8.abroad_detail"] - f["s8.abroad_vs_last"], "f"),
        "上年.三公经费.公务用车购置": format(f["s8.car_buy"] - f["s8.car_buy_vs_last"], "f"),
        "上年.三公经费.公务用车运行维护": format(f["s8.car_run"] - f["s8.car_run_vs_last"], "f"),
        "上年.三公经费.公务接待": format(f["s8.recv_detail"] - f["s8.recv_vs_last"], "f"),
        "上年.政府性基金预算财政拨款支出": format(f["s9.total"] - f["s9.vs_last"], "f"),
        "上年.国有资本经营预算财政拨款支出": format(f["s10.total"] - f["s10.vs_last"], "f"),
        "上年.机关运行经费": format(f["s11.cost"] - f["s11.vs_last"], "f"),
        "三公.公务接待批次": int(f["s8.recv_batches"]), "三公.公务接待人次": int(f["s8.recv_people"]),
        "三公.国外公务接待费": _amount("s8.recv_foreign"), "主要用于.公务接待费": "接待上级检查及调研支出",
        "绩效自评.一级项目": int(f["s14.level1"]), "绩效自评.二级项目": int(f["s14.level2"]),
        "绩效自评.项目资金": _amount("s14.funds"), "绩效自评.基金一级项目": int(f["s14.fund_level1"]),
        "绩效自评.基金二级项目": int(f["s14.fund_level2"]), "绩效自评.基金项目资金": _amount("s14.fund_funds"),
        "重点绩效评价": "无", "项目支出说明.301": _after(229, "等。"),
        # the reasons, in the seed's words (一's change on 上年 has none in the seed: left out)
        "原因.收入总计、支出总计预算执行": _after(107, "变动原因：").split("；与上年决算相比")[0],
        "原因.财政拨款收入总计、支出总计预算执行": _after(171, "变动原因：").split("；与上年决算相比")[0],
        "原因.财政拨款收支总计": LINES[173],
        "原因.本年收入决算合计": _after(111, "变动原因："), "原因.年初结转和结余": _after(115, "变动原因："),
        "原因.本年支出决算合计": _after(119, "变动原因："), "原因.年末结转和结余": _after(123, "变动原因："),
        "原因.“三公”经费预算执行": _after(241, "差异原因"), "原因.公务接待费": _after(259, "变动原因："),
        "原因.机关运行经费": _after(273, "变动原因："),
    }
    for code, line in ITEM_LINES.items():
        out[f"年初预算.项.{code}"] = _amount(f"s5.i{code}_budget")
        out[f"原因.项.{code}"] = _after(line, "差异原因：")
    return out


def perf() -> Performance:
    """The five 项目支出绩效自评表 as the seed prints them (its 资金 row, 指标 scores, 偏差原因 where printed)."""
    perf = Performance()
    for i, p in enumerate(SEED["projects"], start=1):
        t, sheet = p["table"], f"绩效-项目{i}"
        cell = lambda col, row: CellRef(sheet, f"{col}{row}")  # noqa: E731
        fund = FundRow("年度资金总额", Value(t["initial"], cell("B", 4)), Value(t["budget"], cell("C", 4)),
                       Value(t["spent"], cell("D", 4)), Value(t["weight"], cell("E", 4)), Value(t["rate"], cell("F", 4)),
                       Value(t["score"], cell("G", 4)))
        indicators = []
        for r, ind in enumerate(p["indicators"], start=10):
            printed = LINES[ind["line"]].split("\t")
            # the 12th column, 偏差原因分析及改进措施, where the indicator lost points (elsewhere the seed's rows
            # shift 实际完成值 into it)
            lost = ind["score"] is not None and ind["score"] < ind["weight"]
            deviation = printed[11] if lost and len(printed) > 11 else ""
            indicators.append(Indicator("", "", ind["name"], weight=Value(ind["weight"], cell("F", r)),
                                        score=Value(ind["score"], cell("G", r)) if ind["score"] is not None else None,
                                        deviation=deviation, cell=cell("C", r)))
        perf.projects.append(PerfTable(PROJECT, t["name"], sheet, [fund], indicators, name_cell=cell("B", 2),
                                       total_weight=Value(t["total_weight"], cell("F", 40)),
                                       total_score=Value(t["total_score"], cell("G", 40))))
    return perf


def report(tmp: Path) -> Report:
    """Seed 003's workbook, read back: its export imported into tmp, the 说明数据 filled, the 自评表 attached."""
    imported = import_export(write(tmp / "export.xlsx"), layout=LAYOUT)
    book = tmp / "workbook.xlsx"
    workbook_write.save_atomic(workbook_write.build(imported.spec, imported), book)
    workbook_write.update_inputs(book, inputs())
    out = workbook.read(book)
    out.perf = perf()
    return out


def text() -> str:
    """The seed's published text, as the officer would paste it into lint."""
    return SEED_003.read_text(encoding="utf-8")
