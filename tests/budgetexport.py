"""Seed 002 (绥德县医疗保障局 2023 年部门预算) as the budget system would export it, and as a Report.

`write_export(path, variant)` writes an .xlsx laid out as seed 002 prints its tables (from 002_tables.yaml
via seed002.py): 表N line, title, 单位：万元, the printed multi-level headers, rows; 表1/表4/表9 with their four
blocks side by side in 8 columns; 表13–表15 as forms. The headers are typed here as the seed prints them,
not taken from the spec, so the import is tested against an independent layout. It returns where every
amount was written: {(table, row id, column): "Sheet!C7"}, row id being (side, n-th row of the side) for
side tables, the printed code (or 合计 / project name) for row tables, the field key for forms.

Variants (`Variant`): sheet order shuffled, all tables on one sheet, 表1/表4/表9 blocks as two above two,
empty rows between body rows, amounts as text with thousands separators, codes as numbers, title variants
(unit and year before the title, no 表N line), inline form amounts (“实施期资金总额：1132”).

`seed_report()` is the same seed as a Report of the 预算 layout (for template round trips).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

import seed002
from disclosure import specs
from disclosure.model import Report, Row, Table, Value

LAYOUT = "预算2023"
DATA = seed002.load()
TABLES = DATA["tables"]
SIDE_TABLES = ("表1", "表4", "表9")
ROW_TABLES = ("表2", "表3", "表5", "表6", "表7", "表8", "表10")
FORM_TABLES = ("表13", "表14", "表15")
# 表3 prints its own wording; the spec names its columns as 表2's (see the spec's comments)
COLUMN_NAMES = {"表3": {"公共预算拨款小计": "一般公共预算拨款小计",
                        "其中专项资金列入部门预算的项目": "其中专项资金列入部门预算项目"}}

SIDE_HEADERS = {"收入": "项目", "支出功能分类": "支出功能分类科目（按大类）",
                "部门预算支出经济分类": "部门预算支出经济分类科目（按大类）",
                "政府预算支出经济分类": "政府预算支出经济分类科目（按大类）"}
# header paths as printed (top level first), per column of the row tables
HEADERS = {
    "表2": [["单位编码"], ["单位名称"], ["部门预算", "合计"], ["部门预算", "一般公共预算拨款", "小计"],
            ["部门预算", "一般公共预算拨款", "其中：专项资金列入部门预算项目"], ["部门预算", "政府性基金拨款"],
            ["部门预算", "上级补助收入"], ["部门预算", "事业收入"], ["部门预算", "事业单位经营收入"],
            ["部门预算", "对附属单位上缴收入"], ["部门预算", "用事业基金弥补收支差额"], ["部门预算", "上年结转"],
            ["部门预算", "上年实户资金余额"], ["部门预算", "其他收入"]],
    "表3": [["单位编码"], ["单位名称"], ["部门预算", "合计"], ["部门预算", "公共预算拨款", "小计"],
            ["部门预算", "公共预算拨款", "其中：专项资金列入部门预算的项目"], ["部门预算", "政府性基金拨款"],
            ["部门预算", "事业收入"], ["部门预算", "事业单位经营收入"], ["部门预算", "对附属单位上缴收入"],
            ["部门预算", "上年实户资金余额"], ["部门预算", "其他收入"], ["部门预算", "上年结转"]],
    "表5": [["功能科目编码"], ["功能科目名称"], ["合计"], ["人员经费支出"], ["公用经费支出"], ["专项业务经费支出"], ["备注"]],
    "表6": [["部门经济科目编码"], ["部门经济科目名称"], ["政府经济科目编码"], ["政府经济科目名称"], ["合计"],
            ["人员经费支出"], ["公用经费支出"], ["专项业务经费支出"], ["备注"]],
    "表7": [["功能科目编码"], ["功能科目名称"], ["合计"], ["人员经费支出"], ["公用经费支出"], ["备注"]],
    "表8": [["部门经济科目编码"], ["部门经济科目名称"], ["政府经济科目编码"], ["政府经济科目名称"], ["合计"],
            ["人员经费支出"], ["公用经费支出"], ["备注"]],
    "表10": [["单位编码"], ["单位（项目）名称"], ["项目金额"], ["项目简介"]],
    "表11": [["科目编码", "类"], ["科目编码", "款"], ["科目编码", "项"], ["单位编码"], ["采购项目"], ["采购目录"],
             ["购买服务内容"], ["规格型号"], ["数量"], ["部门预算支出经济科目编码", "类"], ["部门预算支出经济科目编码", "款"],
             ["政府预算支出经济科目编码", "类"], ["政府预算支出经济科目编码", "款"], ["实施采购时间"], ["预算金额"], ["说明"]],
}
_SANGONG = [["合计"], ["一般公共预算拨款安排的“三公”经费预算", "小计"],
            ["一般公共预算拨款安排的“三公”经费预算", "因公出国（境）费用"],
            ["一般公共预算拨款安排的“三公”经费预算", "公务接待费"],
            ["一般公共预算拨款安排的“三公”经费预算", "公务用车购置及运行维护费", "小计"],
            ["一般公共预算拨款安排的“三公”经费预算", "公务用车购置及运行维护费", "公务用车购置费"],
            ["一般公共预算拨款安排的“三公”经费预算", "公务用车购置及运行维护费", "公务用车运行维护费"],
            ["会议费"], ["培训费"]]
HEADERS["表12"] = [["单位编码"], ["单位名称"]] + [[g] + p for g in ("上年", "当年", "增减变化情况") for p in _SANGONG]
# titles as other 陕西 counties print them (without 部门综合预算)
SHORT_TITLES = {"表1": "部门收支总表", "表2": "部门收入总表", "表3": "部门支出总表", "表4": "财政拨款收支总表",
                "表5": "一般公共预算支出表", "表6": "一般公共预算支出明细表（按支出经济分类科目）",
                "表7": "一般公共预算基本支出表", "表8": "一般公共预算基本支出明细表（按支出经济分类科目）",
                "表9": "政府性基金预算支出表", "表10": "专项业务经费支出表", "表11": "政府采购预算表",
                "表12": "“三公”经费支出预算表", "表13": "专项业务经费绩效目标表", "表14": "整体支出绩效目标表",
                "表15": "专项资金绩效目标表"}


@dataclass
class Variant:
    seed: int = 0
    shuffle: bool = False  # sheets in random order
    one_sheet: bool = False  # every table on one sheet, one under the other
    two_by_two: bool = False  # 表1/表4/表9: 收入|支出功能分类 above 部门经济|政府经济
    empty_rows: bool = False  # an empty row here and there in the bodies
    text_amounts: bool = False  # amounts as text with thousands separators ("1,982.47")
    numeric_codes: bool = False  # codes as numbers (324001.0) as some exports store them
    titled: bool = False  # "绥德县医疗保障局2023年部门综合预算收支总表", no 表N line
    inline_funds: bool = False  # forms: “实施期资金总额：1132” in one cell
    short_titles: bool = False  # the shorter titles other counties print (SHORT_TITLES)
    extra_rows: dict = field(default_factory=dict)  # table -> extra rows (表11/表12 generated rows)


# ---------------------------------------------------------------- the seed as a Report

def _value(amount: Decimal | None) -> Value:
    return Value(amount if amount is not None else Decimal("0"))


def seed_report(spec=None) -> Report:
    spec = spec or specs.load(LAYOUT)
    tables = {}
    for tid, t in spec.tables.items():
        data = TABLES[tid]
        if tid in SIDE_TABLES:
            rows = []
            for side in t.sides:
                printed = data["sides"][side.name]
                assert len(printed) == len(side.rows), (tid, side.name)
                for rs, p in zip(side.rows, printed):
                    assert rs.is_named(p["label"]), (tid, side.name, rs.label, p["label"])
                    rows.append(Row(name=rs.label, key=rs.key, code=rs.code, side=side.name,
                                    values={"预算数": _value(p["amount"])}))
        elif tid in ROW_TABLES:
            rows = [_row(tid, t, r) for r in data["rows"]]
        elif tid in FORM_TABLES:
            rows = _form_rows(tid, data)
            labels = {p.name: p.label or p.name for p in t.parts if p.kind == "field"}
            for row in rows:
                if row.side is None:
                    row.name = labels[row.key]  # a field row is named as the form prints it
        else:
            rows = []
        tables[tid] = Table(t, rows)
    return Report(spec=spec, unit_name=DATA["unit"], year=DATA["year"], tables=tables)


def _row(tid: str, t, r: dict) -> Row:
    names = COLUMN_NAMES.get(tid, {})
    values = {c.name: Value(Decimal("0")) for c in t.columns}
    for column, amount in r["values"].items():
        values[names.get(column, column)] = _value(amount)
    row = Row(name=r["name"], values=values, code=r.get("code"), gov_code=r.get("gov_code"),
              gov_name=r.get("gov_name"), unit_code=r.get("unit_code"))
    if r["name"] == "合计" and not r.get("code"):
        row.key = "合计"
    if t.text_columns:
        row.texts = {c.name: (r.get("note") or "") for c in t.text_columns}
    return row


def _field(key: str, text: str | None = None, amount: Decimal | None = None, is_amount: bool = False) -> Row:
    if is_amount:
        return Row(name=key, key=key, values={"金额": _value(amount)})
    return Row(name=key, key=key, values={}, texts={"内容": text or ""})


def _indicators(data: dict) -> list[Row]:
    return [Row(name=i["name"], side="指标", values={},
                texts={"一级指标": i["level1"], "二级指标": i["level2"], "指标内容": i["name"], "指标值": i["value"],
                       "备注": ""}) for i in data["indicators"]]


def goals_text(goals: list[str]) -> str:
    return "\n".join(goals)


def _form_rows(tid: str, data: dict) -> list[Row]:
    if tid == "表13":
        f = data["funds"]
        return [_field("项目名称", data["project"]), _field("主管部门", data["department"]),
                _field("实施期资金总额", amount=f["实施期资金总额"], is_amount=True),
                _field("财政拨款", amount=f["财政拨款"], is_amount=True),
                _field("其他资金", amount=f["其他资金"], is_amount=True),
                _field("总体目标", goals_text(data["goals"]))] + _indicators(data)
    if tid == "表14":
        tasks = [Row(name=x["name"], side="任务", texts={"任务名称": x["name"], "主要内容": x["content"]},
                     values={"总额": _value(x["total"]), "财政拨款": _value(x["fiscal"]), "其他资金": _value(x["other"])})
                 for x in data["tasks"]]
        total = data["total"]
        tasks.append(Row(name=total["name"], key="金额合计", side="任务",
                         values={"总额": _value(total["total"]), "财政拨款": _value(total["fiscal"]),
                                 "其他资金": _value(total["other"])}))
        return [_field("部门名称", data["department"])] + tasks + [_field("年度总体目标", goals_text(data["goals"]))] \
            + _indicators(data)
    a, y = data["funds"]["实施期"], data["funds"]["年度"]
    return [_field("项目名称", data["project"]), _field("主管部门", data["department"]), _field("实施期限", data["period"]),
            _field("实施期资金总额", amount=a["资金总额"], is_amount=True),
            _field("年度资金总额", amount=y["资金总额"], is_amount=True),
            _field("实施期财政拨款", amount=a["财政拨款"], is_amount=True),
            _field("年度财政拨款", amount=y["财政拨款"], is_amount=True),
            _field("实施期其他资金", amount=a["其他资金"], is_amount=True),
            _field("年度其他资金", amount=y["其他资金"], is_amount=True),
            _field("实施期总目标", goals_text(data["goals"]["实施期"])),
            _field("年度目标", goals_text(data["goals"]["年度"]))] + _indicators(data)


# ---------------------------------------------------------------- the export

class _Writer:
    def __init__(self, wb: Workbook, v: Variant):
        self.wb, self.v = wb, v
        self.rng = random.Random(v.seed)
        self.cells: dict[tuple, str] = {}
        self.ws = None
        self.r = 1  # next free row (1-based)

    def sheet(self, name: str) -> None:
        if self.v.one_sheet:
            if self.ws is None:
                self.ws = self.wb.active
                self.ws.title = "预算公开表"
            else:
                self.r += 3
            return
        self.ws = self.wb.create_sheet(name)
        self.r = 1

    def put(self, r: int, c: int, value) -> str:
        cell = self.ws.cell(r, c, value)
        return f"{self.ws.title}!{cell.coordinate}"

    def amount(self, r: int, c: int, amount: Decimal | None, key: tuple | None) -> None:
        if amount is None:
            return
        value = f"{amount:,}" if self.v.text_amounts else float(amount)
        where = self.put(r, c, value)
        if key is not None:
            self.cells[key] = where

    def code(self, r: int, c: int, code: str | None) -> None:
        if code is None:
            return
        numeric = self.v.numeric_codes and code.isdigit()
        self.put(r, c, int(code) if numeric else code)

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)

    def head(self, tid: str) -> None:
        title = SHORT_TITLES[tid] if self.v.short_titles else TABLES[tid]["title"]
        if self.v.titled:
            self.put(self.r, 1, f"{DATA['unit']}{DATA['year']}年{title}")
            self.r += 1
        else:
            self.put(self.r, 1, tid)
            self.put(self.r + 1, 1, title)
            self.r += 2
        if tid not in FORM_TABLES:
            self.put(self.r, 1, f"编制单位：{DATA['unit']}")
            self.put(self.r, 6, "单位：万元")
            self.r += 1

    def headers(self, paths: list[list[str]], col: int = 1) -> None:
        """Merged multi-level header, as the budget system prints it."""
        depth = max(len(p) for p in paths)
        for level in range(depth):
            c = 0
            while c < len(paths):
                p = paths[c]
                if level >= len(p):
                    c += 1
                    continue
                if level == len(p) - 1:
                    self.put(self.r + level, col + c, p[level])
                    self.merge(self.r + level, col + c, self.r + depth - 1, col + c)
                    c += 1
                    continue
                e = c
                while e + 1 < len(paths) and len(paths[e + 1]) > level + 1 and paths[e + 1][:level + 1] == p[:level + 1]:
                    e += 1
                self.put(self.r + level, col + c, p[level])
                self.merge(self.r + level, col + c, self.r + level, col + e)
                c = e + 1
        self.r += depth

    def gap(self) -> None:
        if self.v.empty_rows and self.rng.random() < 0.25:
            self.r += 1


def _side_lines(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """(head, tail): tails (from 本年…合计 on) are printed on common lines at the bottom."""
    n = next(i for i, r in enumerate(rows) if r["label"].startswith("本年"))
    return rows[:n], rows[n:]


def _write_sides(w: _Writer, tid: str) -> None:
    sides = TABLES[tid]["sides"]
    names = list(sides)
    pairs = [names[:2], names[2:]] if w.v.two_by_two else [names]
    for pair in pairs:
        if pair[0] == "收入":  # the group header row: 收入 over one block, 支出 over the others
            w.put(w.r, 1, "收                   入")
            w.merge(w.r, 1, w.r, 2)
            w.put(w.r, 3, "支                        出")
            w.merge(w.r, 3, w.r, 2 * len(pair))
        else:
            w.put(w.r, 1, "支                        出")
            w.merge(w.r, 1, w.r, 2 * len(pair))
        w.r += 1
        for i, name in enumerate(pair):
            w.put(w.r, 1 + 2 * i, SIDE_HEADERS[name])
            w.put(w.r, 2 + 2 * i, "预算数")
        w.r += 1
        parts = [_side_lines(sides[name]) for name in pair]
        height = max(len(h) for h, _ in parts)
        counters = {name: 0 for name in pair}
        for block in ("head", "tail"):
            n = height if block == "head" else max(len(t) for _, t in parts)
            for k in range(n):
                for i, (name, (head, tail)) in enumerate(zip(pair, parts)):
                    rows = head if block == "head" else tail
                    if k >= len(rows):
                        continue
                    row = rows[k]
                    indent = "  " if row["label"][:1].isdigit() else "    " if row["label"].startswith("(") else ""
                    w.put(w.r, 1 + 2 * i, indent + row["label"])
                    w.amount(w.r, 2 + 2 * i, row["amount"], (tid, (name, counters[name])))
                    counters[name] += 1
                w.r += 1
                w.gap()
        w.r += 1


def _write_rows(w: _Writer, tid: str) -> None:
    t = TABLES[tid]
    paths = HEADERS[tid]
    w.headers(paths)
    columns = t["columns"]
    coded = tid in ("表5", "表6", "表7", "表8")
    for r in t["rows"] + w.v.extra_rows.get(tid, []):
        ident = r.get("code") or r["name"]
        if r.get("code"):
            w.code(w.r, 1, r["code"])
        elif r["name"] == "合计" and coded:
            w.put(w.r, 1, "合计")
        indent = "　　" if coded and r.get("code") and len(r["code"]) > 3 else "　　　　" if r.get("unit_code") else ""
        if not (r["name"] == "合计" and coded):
            w.put(w.r, 2, indent + r["name"])
        c = 3
        if tid in ("表6", "表8"):
            w.code(w.r, 3, r.get("gov_code"))
            if r.get("gov_name"):
                w.put(w.r, 4, r["gov_name"])
            c = 5
        for column in columns:
            w.amount(w.r, c, r["values"].get(column), (tid, ident, column))
            c += 1
        if tid == "表10":
            w.put(w.r, c, r.get("note") or None)
        w.r += 1
        w.gap()
    w.r += 1


def _write_purchases(w: _Writer) -> None:
    w.headers(HEADERS["表11"])
    for r in w.v.extra_rows.get("表11", []):
        for i, (path, value) in enumerate(zip(HEADERS["表11"], r), start=1):
            if path[-1] == "预算金额":
                w.amount(w.r, i, value, ("表11", r[4], "预算金额"))
            elif value is not None:
                w.put(w.r, i, value)
        w.r += 1
    w.r += 1


def _fund(w: _Writer, r: int, c: int, label: str, amount, key: tuple) -> None:
    if w.v.inline_funds:
        where = w.put(r, c, f"{label}{'' if amount is None else amount}")
        if amount is not None:
            w.cells[key] = where
    else:
        w.put(r, c, label)
        w.amount(r, c + 1, amount, key)


def _write_indicators(w: _Writer, tid: str, label: str) -> None:
    top = w.r
    w.put(w.r, 1, label)
    for i, h in enumerate(["一级指标", "二级指标", "指标内容", "指标值", "备注"], start=2):
        w.put(w.r, i, h)
    w.r += 1
    previous = (None, None)
    for ind in TABLES[tid]["indicators"]:  # each level printed once, as the merged cells of the seed
        if ind["level1"] != previous[0]:
            w.put(w.r, 2, ind["level1"])
        if ind["level2"] != previous[1] or ind["level1"] != previous[0]:
            w.put(w.r, 3, ind["level2"])
        w.put(w.r, 4, ind["name"])
        w.put(w.r, 5, ind["value"])
        previous = (ind["level1"], ind["level2"])
        w.r += 1
    w.merge(top, 1, w.r - 1, 1)


def _write_form(w: _Writer, tid: str) -> None:
    t = TABLES[tid]
    if tid == "表13":
        w.put(w.r, 1, "项目名称")
        w.put(w.r, 2, t["project"])
        w.put(w.r + 1, 1, "主管部门")
        w.put(w.r + 1, 2, t["department"])
        w.r += 2
        w.put(w.r, 1, "资金金额（万元）")
        w.merge(w.r, 1, w.r + 2, 1)
        f = t["funds"]
        _fund(w, w.r, 2, "实施期资金总额：", f["实施期资金总额"], (tid, "实施期资金总额"))
        _fund(w, w.r + 1, 2, "其中：财政拨款", f["财政拨款"], (tid, "财政拨款"))
        _fund(w, w.r + 2, 2, "其他资金", f["其他资金"], (tid, "其他资金"))
        w.r += 3
        w.put(w.r, 1, "总体目标")
        w.put(w.r, 2, goals_text(t["goals"]))
        w.merge(w.r, 2, w.r, 6)
        w.r += 1
        _write_indicators(w, tid, "年度绩效指标")
    elif tid == "表14":
        w.put(w.r, 1, "部门（单位）名称")
        w.put(w.r, 2, t["department"])
        w.r += 1
        w.put(w.r, 1, "年度主要任务")
        w.put(w.r, 2, "任务名称")
        w.put(w.r, 3, "主要内容")
        w.put(w.r, 4, "预算金额（万元）")
        w.merge(w.r, 4, w.r, 6)
        for i, h in enumerate(["总额", "财政拨款", "其他资金"], start=4):
            w.put(w.r + 1, i, h)
        top = w.r
        w.r += 2
        for task in t["tasks"] + [t["total"]]:
            w.put(w.r, 2, task["name"])
            if "content" in task:
                w.put(w.r, 3, task["content"])
            for i, k in enumerate(("total", "fiscal", "other"), start=4):
                w.amount(w.r, i, task[k], (tid, task["name"], k))
            w.r += 1
        w.merge(top, 1, w.r - 1, 1)
        w.put(w.r, 1, "年度总体目标")
        w.put(w.r, 2, goals_text(t["goals"]))
        w.r += 1
        _write_indicators(w, tid, "年度绩效指标")
    else:
        w.put(w.r, 1, "项目名称")
        w.put(w.r, 2, t["project"])
        w.put(w.r + 1, 1, "主管部门")
        w.put(w.r + 1, 2, t["department"])
        w.put(w.r + 1, 4, "实施期限")
        w.put(w.r + 1, 5, t["period"])
        w.r += 2
        a, y = t["funds"]["实施期"], t["funds"]["年度"]
        w.put(w.r, 1, "资金金额（万元）")
        w.merge(w.r, 1, w.r + 2, 1)
        for k, (label, key) in enumerate((("实施期资金总额：", "资金总额"), ("其中：财政拨款", "财政拨款"), ("其他资金", "其他资金"))):
            year_label = "年度资金总额：" if key == "资金总额" else label
            _fund(w, w.r + k, 2, label, a[key], (tid, f"实施期{key}"))
            _fund(w, w.r + k, 4, year_label, y[key], (tid, f"年度{key}"))
        w.r += 3
        w.put(w.r, 1, "总体目标")
        w.merge(w.r, 1, w.r + 1, 1)
        w.put(w.r, 2, "实施期总目标")
        w.merge(w.r, 2, w.r, 3)
        w.put(w.r, 4, "年度目标")
        w.merge(w.r, 4, w.r, 6)
        w.put(w.r + 1, 2, goals_text(t["goals"]["实施期"]))
        w.merge(w.r + 1, 2, w.r + 1, 3)
        w.put(w.r + 1, 4, goals_text(t["goals"]["年度"]))
        w.merge(w.r + 1, 4, w.r + 1, 6)
        w.r += 2
        _write_indicators(w, tid, "绩效指标")
    w.put(w.r, 1, "注：1、绩效指标可选择填写。")
    w.r += 2


def write_export(path: Path, variant: Variant | None = None) -> dict[tuple, str]:
    v = variant or Variant()
    wb = Workbook()
    w = _Writer(wb, v)
    order = list(TABLES)
    if v.shuffle:
        w.rng.shuffle(order)
    for tid in order:
        w.sheet(tid)
        w.head(tid)
        if tid in SIDE_TABLES:
            _write_sides(w, tid)
        elif tid in FORM_TABLES:
            _write_form(w, tid)
        elif tid == "表11":
            _write_purchases(w)
        else:
            _write_rows(w, tid)
    if not v.one_sheet:
        del wb[wb.sheetnames[0]]  # the default empty sheet
    for ws in wb.worksheets:
        for c in range(1, 40):
            ws.column_dimensions[get_column_letter(c)].width = 14
    wb.save(path)
    return w.cells
