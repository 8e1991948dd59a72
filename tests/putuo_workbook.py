"""The Shanghai reference (上海市普陀区财政局 2024 年度部门决算) as the export an officer there would import: its nine
tables, one sheet each, laid out as the document prints them — title, 编制单位 and 单位：万元, the multi-level header
(no 行次, no 栏次: Shanghai prints neither), 科目编码 in 类/款/项 columns (“201 | 06 | 01”), 表七 (三公) with
预算数/决算数 under every column and one line of amounts, the note under 八 and 九 — and every amount as printed,
its errors included (tests/fixtures/reference/putuo_2024_tables.yaml via tests/putuo2024.py).

`build(path)` writes that file; `Variant` changes how it is written, not what it says: sheet order and names,
merged or repeated header cells, amounts as text with thousands separators, empty cells as blank or 0.00, codes
merged (“2010601”, as the template prints them) or split, and `edits` to change one printed amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from putuo2024 import load

UNIT = "上海市普陀区财政局"
# the printed order (= the template's) and the sheet names a 部门决算软件 export would use
TABLES = ("一", "二", "三", "四", "五", "六", "七", "八", "九")
SHEETS = {"一": "收入支出决算总表", "二": "收入决算表", "三": "支出决算表", "四": "财政拨款收入支出决算总表",
          "五": "一般公共预算财政拨款支出决算表", "六": "一般公共预算财政拨款基本支出决算表",
          "七": "财政拨款三公经费支出决算表", "八": "政府性基金预算财政拨款收入支出决算表",
          "九": "国有资本经营预算财政拨款收入支出决算表"}
TITLES = {"七": "财政拨款“三公”经费支出决算表"}


@dataclass
class Variant:
    order: tuple[str, ...] = TABLES
    sheet_names: dict[str, str] | None = None  # table -> sheet name (default SHEETS)
    merged: bool = True  # header cells merged; False: each text in the first cell of its span only
    thousands: bool = False  # amounts as text "2,940.05"
    zeros: bool = False  # cells printed empty written as 0.00
    split_codes: bool = True  # 类 | 款 | 项 columns; False: one 科目编码 column "2010601"
    edits: dict = field(default_factory=dict)  # (table, row id, column) -> Decimal: change one printed amount
    cover: bool = False  # a cover sheet with the 目录 (every title) before the tables
    rows: dict = field(default_factory=dict)  # table -> rows printed instead of the reference's (八, 九: a fund's rows)


class _Sheet:
    """Writes cells and merges of one sheet; row and column numbers are 1-based."""

    def __init__(self, ws, v: Variant):
        self.ws, self.v = ws, v

    def put(self, r: int, c: int, value) -> None:
        self.ws.cell(r, c, value)

    def span(self, r1: int, c1: int, r2: int, c2: int, text: str) -> None:
        """A header cell over r1..r2 × c1..c2: merged, or (variant) written in its first cell, the others left
        empty (an export that does not merge, or merged cells undone)."""
        self.put(r1, c1, text)
        if self.v.merged and (r1, c1) != (r2, c2):
            self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)

    def amount(self, r: int, c: int, value: Decimal | None) -> None:
        if value is None:
            if self.v.zeros:
                self.put(r, c, "0.00" if self.v.thousands else 0)
            return
        self.put(r, c, f"{value:,.2f}" if self.v.thousands else float(value))

    def top(self, title: str, width: int) -> int:
        """Title, 编制单位 and unit lines; the first header row."""
        self.span(1, 1, 1, width, title)
        self.put(2, 1, f"编制单位：{UNIT}")
        self.put(2, width, "单位：万元")
        for c in range(1, width + 1):
            self.ws.column_dimensions[get_column_letter(c)].width = 14
        return 3


def _edited(v: Variant, table: str, row_id, column: str, value):
    return v.edits.get((table, row_id, column), value)


def _fixed_two_sides(s: _Sheet, data: dict, table: str, right_columns: list[str], tail_in: int, tail_out: int) -> None:
    """一 and 四: 收入 (项目, 决算数) | 支出 (项目, columns); the totals from 本年收入/支出合计 down on common lines
    at the bottom, as printed."""
    v = s.v
    width = 3 + len(right_columns)
    r = s.top(data["title"], width)
    s.span(r, 1, r, 2, "收入")
    s.span(r, 3, r, width, "支出")
    s.put(r + 1, 1, "项目")
    s.put(r + 1, 2, "决算数")
    s.put(r + 1, 3, "项目")
    for i, name in enumerate(right_columns):
        s.put(r + 1, 4 + i, name)
    body = r + 2
    income, spend = data["sides"]["收入"], data["sides"]["支出"]
    heads = [income[:len(income) - tail_in], spend[:len(spend) - tail_out]]
    tails = [income[len(income) - tail_in:], spend[len(spend) - tail_out:]]
    lines, tail = max(map(len, heads)), max(tail_in, tail_out)
    # 本年收入合计 beside 本年支出合计, 年初 beside 年末, 总计 beside 总计 on the last line
    left, right = ([*h, *[None] * (lines - len(h)), *t[:-1], *[None] * (tail - len(t)), t[-1]]
                   for h, t in zip(heads, tails))
    for i in range(lines + tail):
        row = body + i
        for side, rows, label_col in (("收入", left, 1), ("支出", right, 3)):
            item = rows[i]
            if item is None:
                continue
            s.put(row, label_col, item["label"])
            at = f"{side}:{item['label']}"  # an edit of 四's 一、一般公共预算财政拨款 changes both lines so named
            if side == "收入":
                s.amount(row, 2, _edited(v, table, at, "决算数", item.get("amount")))
            elif "values" in item:
                for j, name in enumerate(right_columns):
                    s.amount(row, 4 + j, _edited(v, table, at, name, item["values"].get(name)))
            else:
                s.amount(row, 4, _edited(v, table, at, right_columns[0], item.get("amount")))


def _code_header(s: _Sheet, r: int, depth: int) -> int:
    """The 项目 block of a 科目 table from row r, `depth` rows deep; returns the first amount column."""
    if s.v.split_codes:
        s.span(r, 1, r, 4, "项目")
        s.span(r + 1, 1, r + 1, 3, "功能分类科目编码")
        s.span(r + 1, 4, r + depth - 1, 4, "科目名称")
        for i, level in enumerate(("类", "款", "项")):
            s.put(r + depth - 1, 1 + i, level)
        return 5
    s.span(r, 1, r, 2, "项目")
    s.span(r + 1, 1, r + depth - 1, 1, "功能分类科目编码")
    s.span(r + 1, 2, r + depth - 1, 2, "科目名称")
    return 3


def _code_cells(s: _Sheet, row: int, code: str | None, name: str) -> None:
    if code is None:
        s.span(row, 1, row, 4 if s.v.split_codes else 2, name)  # 合计
        return
    if s.v.split_codes:
        for i, piece in enumerate((code[:3], code[3:5], code[5:7])):
            if piece:
                s.put(row, 1 + i, piece)
        s.put(row, 4, name)
    else:
        s.put(row, 1, code)
        s.put(row, 2, name)


def _coded(s: _Sheet, data: dict, table: str, headers: list[list[str]]) -> None:
    """二 三 五 八 九: the 项目 block, then the amount columns (headers top-down, merged down to the last header row)."""
    v = s.v
    depth = 3 if v.split_codes else 2
    first = 5 if v.split_codes else 3
    width = first - 1 + len(headers)
    r = s.top(data["title"], width)
    _code_header(s, r, depth)
    c = first
    while c < first + len(headers):
        path = headers[c - first]
        if len(path) == 1:
            s.span(r, c, r + depth - 1, c, path[0])
            c += 1
            continue
        end = c
        while end + 1 < first + len(headers) and headers[end + 1 - first][0] == path[0]:
            end += 1
        s.span(r, c, r, end, path[0])
        for x in range(c, end + 1):
            s.span(r + 1, x, r + depth - 1, x, headers[x - first][1])
        c = end + 1
    row = r + depth
    for item in data["rows"]:
        _code_cells(s, row, item["code"], item["name"])
        for j, column in enumerate(data["columns"]):
            s.amount(row, first + j, _edited(v, table, item["code"], column, item["values"].get(column)))
        row += 1
    if not data["rows"]:
        _code_cells(s, row, None, "合计")
        row += 1
    if data.get("note"):
        s.put(row, 1, data["note"]["text"])


def _economic(s: _Sheet, data: dict) -> None:
    """六: left block 301 + 303, right block 302 + 310; each 科目编码 (类 | 款) | 科目名称 | 决算数; totals last."""
    v = s.v
    block = 4 if v.split_codes else 3
    r = s.top(data["title"], 2 * block)
    for b in range(2):
        c = 1 + b * block
        if v.split_codes:
            s.span(r, c, r, c + 1, "经济分类科目编码")
            s.put(r + 1, c, "类")
            s.put(r + 1, c + 1, "款")
            s.span(r, c + 2, r + 1, c + 2, "科目名称")
            s.span(r, c + 3, r + 1, c + 3, "决算数")
        else:
            s.span(r, c, r + 1, c, "经济分类科目编码")
            s.span(r, c + 1, r + 1, c + 1, "科目名称")
            s.span(r, c + 2, r + 1, c + 2, "决算数")
    body = r + 2
    for b, rows in enumerate((data["left"], data["right"])):
        c = 1 + b * block
        for i, item in enumerate(rows):
            code = item["code"]
            if v.split_codes:
                s.put(body + i, c, code[:3])
                if len(code) > 3:
                    s.put(body + i, c + 1, code[3:])
                name_col = c + 2
            else:
                s.put(body + i, c, code)
                name_col = c + 1
            s.put(body + i, name_col, item["name"])
            s.amount(body + i, name_col + 1, _edited(v, "六", code, "决算数", item["amount"]))
    last = body + max(len(data["left"]), len(data["right"]))
    for b, total in enumerate(data["totals"]):
        c = 1 + b * block
        s.span(last, c, last, c + block - 2, total["label"])
        s.amount(last, c + block - 1, _edited(v, "六", total["label"], "决算数", total["amount"]))


SANGONG = [("合计", ["财政拨款“三公”经费", "合计"]), ("因公出国（境）费", ["财政拨款“三公”经费", "因公出国（境）费"]),
           ("公务用车购置及运行费 小计", ["财政拨款“三公”经费", "公务用车购置及运行费", "小计"]),
           ("公务用车购置费", ["财政拨款“三公”经费", "公务用车购置及运行费", "公务用车购置费"]),
           ("公务用车运行费", ["财政拨款“三公”经费", "公务用车购置及运行费", "公务用车运行费"]),
           ("公务接待费", ["财政拨款“三公”经费", "公务接待费"])]


def _sangong(s: _Sheet, data: dict) -> None:
    """七: three header levels over pairs of columns 预算数 | 决算数, one line of amounts."""
    v = s.v
    r = s.top(TITLES["七"], 2 * len(SANGONG))
    s.span(r, 1, r, 2 * len(SANGONG), "财政拨款“三公”经费")
    s.span(r + 1, 5, r + 1, 10, "公务用车购置及运行费")
    for i, (column, path) in enumerate(SANGONG):
        c = 1 + 2 * i
        if len(path) == 2:
            s.span(r + 1, c, r + 2, c + 1, path[1])
        else:
            s.span(r + 2, c, r + 2, c + 1, path[2])
        s.put(r + 3, c, "预算数")
        s.put(r + 3, c + 1, "决算数")
        s.amount(r + 4, c, _edited(v, "七", "预算数", column, data["budget"].get(column)))
        s.amount(r + 4, c + 1, _edited(v, "七", "决算数", column, data["actual"].get(column)))


def build(path: Path, v: Variant | None = None) -> Path:
    v = v or Variant()
    data = load()["tables"]
    wb = Workbook()
    wb.remove(wb.active)
    if v.cover:
        ws = wb.create_sheet("目录")
        ws.cell(1, 1, f"{UNIT} 2024 年度部门决算表")
        for i, t in enumerate(TABLES, start=2):
            ws.cell(i, 1, f"{t}、{TITLES.get(t, data[t]['title'])}")
    names = v.sheet_names or SHEETS
    for t in v.order:
        s = _Sheet(wb.create_sheet(names[t]), v)
        d = {**data[t], "title": TITLES.get(t, data[t]["title"])}
        if t in v.rows:
            d["rows"] = v.rows[t]
        if t == "一":
            _fixed_two_sides(s, d, t, ["决算数"], tail_in=4, tail_out=4)
        elif t == "四":
            _fixed_two_sides(s, d, t, ["合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"],
                             tail_in=6, tail_out=3)
        elif t in ("二", "三"):
            _coded(s, d, t, [[c] for c in d["columns"]])
        elif t == "五":
            _coded(s, d, t, [["合计"], ["基本支出"], ["项目支出"]])
        elif t in ("八", "九"):
            d["columns"] = ["年初结转和结余", "本年收入", "本年支出 小计", "本年支出 基本支出", "本年支出 项目支出",
                            "年末结转和结余"]
            _coded(s, d, t, [["年初结转和结余"], ["本年收入"], ["本年支出", "小计"], ["本年支出", "基本支出"],
                             ["本年支出", "项目支出"], ["年末结转和结余"]])
        elif t == "六":
            _economic(s, d)
        else:
            _sangong(s, data[t])
    wb.save(path)
    return path
