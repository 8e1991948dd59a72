"""The figures of a 部门预算 Report (表1–表15) that its 情况说明 and its 说明数据 speak of, each with the cells it
comes from: the 功能分类 项 of 表5, the 部门经济分类 类 of 表6, the 政府经济分类 类, the 单位 of 表2, 表11's 政府采购 and
表12's “三公”. Shared by the 预算 narrative (narrative/budget.py), the 说明数据 sheet of a 预算 workbook (which
上年预算 rows it offers) and `import/inputs --prior` (last year's 预算 workbook → this year's 上年预算 inputs).
"""

from __future__ import annotations

import re
from decimal import Decimal

import msgspec

from .amounts import ZERO
from .model import Report, Row, Value

INCOME, FUNCTION, DEPT, GOV = "收入", "支出功能分类", "部门预算支出经济分类", "政府预算支出经济分类"
BUDGET = "预算数"
_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*、|\d+\s*[、.．]|[(（]\d+[)）])\s*")


class Figure(msgspec.Struct, frozen=True):
    """An amount of the tables with every cell it is the sum of (one cell for a printed figure)."""

    code: str
    name: str
    amount: Decimal
    values: tuple[Value, ...]
    source: str  # e.g. "表1 政府预算支出经济分类 对事业单位经常性补助·预算数"


def side_value(report: Report, tid: str, key: str, side: str) -> Value:
    row = report.table(tid).row(key, side)
    return row.values.get(BUDGET, Value(ZERO)) if row else Value(ZERO)


def function_items(report: Report) -> list[Row]:
    """The 项 (7-digit) rows of 表5, in code order."""
    return sorted((r for r in report.table("表5").code_rows() if len(r.code or "") == 7), key=lambda r: r.code)


def dept_classes(report: Report) -> list[Row]:
    """The 类 rows (301, 302 …) of 表6, the 一般公共预算 by 部门预算支出经济分类."""
    return sorted((r for r in report.table("表6").code_rows() if len(r.code or "") == 3), key=lambda r: r.code)


def general_total(report: Report) -> Value:
    """表5 合计·合计: the 一般公共预算拨款支出."""
    row = report.table("表5").row("合计")
    return row.values.get("合计", Value(ZERO)) if row else Value(ZERO)


def gov_classes(report: Report) -> tuple[str, list[Figure]]:
    """The 一般公共预算 by 政府预算支出经济分类 类, and where they come from.

    No table prints exactly that: 表1 prints the whole 部门预算 and 表4 the 财政拨款 by 政府经济分类 类, 表6 the
    一般公共预算 by 部门经济分类 with each item's 政府经济科目 (款) beside it. The first of 表1 and 表4 whose
    本年支出合计 equals the 一般公共预算 (表5/表6 合计) — all its money is 一般公共预算 — is taken as printed (its
    类 figures are the ones its readers see; the B rules hold the two blocks and 表6 to each other); else the
    表6 items are added up by the 类 of their 政府经济科目."""
    total = report.table("表6").row("合计")
    general = total.amount("合计") if total else general_total(report).amount
    for tid in ("表1", "表4"):
        t = report.table(tid)
        summed = t.row("本年支出合计", GOV)
        if summed is None or summed.amount(BUDGET) != general:
            continue
        rows = [r for r in t.rows if r.side == GOV and r.code and r.amount(BUDGET) != 0]
        return tid, [Figure(r.code, r.key or r.name, r.amount(BUDGET), (r.values[BUDGET],),
                            f"{t.spec.number} {GOV} {r.key or r.name}·{BUDGET}") for r in rows]
    names = {r.code: r.key or clean_label(r.name) for r in report.table("表1").rows if r.side == GOV and r.code}
    groups: dict[str, list[Value]] = {}
    for r in report.table("表6").code_rows():
        if r.gov_code and len(r.code or "") > 3 and "合计" in r.values:
            groups.setdefault(r.gov_code[:3], []).append(r.values["合计"])
    return "表6", [Figure(code, names.get(code, code), sum((v.amount for v in vs), ZERO), tuple(vs),
                          f"表6 政府经济科目 {code}xx 各行·合计之和")
                   for code, vs in sorted(groups.items()) if any(v.amount for v in vs)]


def clean_label(label: str) -> str:
    """A printed label without its numbering: "5、对事业单位经常性补助" → "对事业单位经常性补助"."""
    return _NUMBERING.sub("", label).strip()


def units(report: Report) -> list[Row]:
    """The 单位 rows of 表2 under the 部门 row (the shortest code); the 部门 row itself when it is the only one."""
    rows = [r for r in report.table("表2").rows if r.code]
    if not rows:
        return []
    top = min(len(r.code or "") for r in rows)
    below = [r for r in rows if len(r.code or "") > top]
    return below or rows


def unit_names(report: Report) -> list[str]:
    names = report.inputs.get("单位构成") if report.inputs else None
    return list(names) if isinstance(names, list) and names else [r.name for r in units(report)]


def purchases(report: Report) -> list[Row]:
    """表11's 采购 rows with an amount."""
    return [r for r in report.table("表11").rows if r.side == "采购" and r.amount("预算金额") != 0]


def sangong_rows(report: Report) -> list[Row]:
    """The rows whose sum is the 部门's “三公” figure in 表12: its 合计 row, else its 部门 row(s) — the 单位 rows
    under no other printed code (several when it prints several 部门 and no 合计); none for an empty 表12.
    The narrative (六) and `check --budget` (BJ04) both state this one figure."""
    from .checks.rules.budget import unit_tree  # the 部门 rows as the B rules find them

    t = report.tables.get("表12")
    if t is None:
        return []
    total = next((r for r in t.rows if r.key == "合计"), None)
    return [total] if total is not None else unit_tree(t)[0]


def prior_values(last: Report) -> dict[str, object]:
    """This year's 上年预算 inputs from last year's 预算 workbook (a Report): its totals, each 项 of 表5, each
    经济分类 类, its 机关运行经费, and the texts that carry over."""
    out: dict[str, object] = {
        "上年.收入总计": side_value(last, "表1", "收入总计", INCOME).amount,
        "上年.支出总计": side_value(last, "表1", "支出总计", FUNCTION).amount,
        "上年.财政拨款收入": side_value(last, "表4", "收入总计", INCOME).amount,
        "上年.财政拨款支出": side_value(last, "表4", "支出总计", FUNCTION).amount,
        "上年.一般公共预算拨款支出": general_total(last).amount,
    }
    out.update({f"上年.功能.{r.code}": r.amount("合计") for r in function_items(last)})
    out.update({f"上年.部门经济.{r.code}": r.amount("合计") for r in dept_classes(last)})
    out.update({f"上年.政府经济.{f.code}": f.amount for f in gov_classes(last)[1]})
    if last.inputs is not None:
        for this_year, last_year in [("上年.机关运行经费", "机关运行经费"), ("主要职责", "主要职责"),
                                     ("机构设置", "机构设置"), ("单位构成", "单位构成"), ("联系电话", "联系电话")]:
            value = last.inputs.get(last_year)
            if value is not None:
                out[this_year] = value
    return out


def input_rows(report: Report | None, inputs) -> list[tuple[str, str]]:
    """The rows of a 预算 workbook's 说明数据: (key, what to add to its label) — the fixed fields, a 上年预算 row
    per 项 of 表5 and per 经济分类 类, a 编制/实有 row per 单位, and any other key the inputs hold."""
    from .inputs import BUDGET_FIELDS  # inputs imports nothing of this module: no cycle at import time

    rows = [(f.key, "") for f in BUDGET_FIELDS]
    if report is not None:
        rows += [(f"上年.功能.{r.code}", r.name) for r in function_items(report)]
        rows += [(f"上年.部门经济.{r.code}", r.name) for r in dept_classes(report)]
        rows += [(f"上年.政府经济.{f.code}", f.name) for f in gov_classes(report)[1]]
        for name in unit_names(report):
            rows += [(f"人员.单位编制.{name}", ""), (f"人员.单位实有.{name}", "")]
    seen = {k for k, _ in rows}
    rows += [(k, "") for k in inputs.values if k not in seen and not k.startswith("原因.")]
    return rows
