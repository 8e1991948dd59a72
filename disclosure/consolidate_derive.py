"""A whole 决算 report (公开01–09表) derived from its base figures, for 汇总 (consolidate.py).

Why derive: the units' tables are each rounded to 0.01 万元, so the plain sum of k units carries up to k × 0.005
in every cell, and the 汇总's own totals would miss the sum of their parts by more than one table's 尾差 allows.
So only the base figures are summed (the 项 of the 科目 tables and their part columns, the 06 items, the 09 items,
a few 01/04 balances); every total, parent 科目 and figure printed in two tables is computed from them, once,
from the table that details it (01 from 02/03/04, 04 from 05/07/08). Two pairs of tables detail the same money
independently (02 财政拨款收入 by 科目 vs 04 by fund; 05 基本支出 by 科目 vs 06 by 经济分类): their difference,
when no more than the rounding of the figures summed, goes to the largest item (尾差调整, recorded).

Every figure carries `n`, the count of rounded figures summed into it: its rounding allowance (n × 0.005).
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from .amounts import ZERO
from .checks.engine import HALF_CENT
from .checks.rules.coded import ROW_SUMS
from .checks.rules.fixed import FUNDS
from .model import Report, Row, Table, Value
from .specs import LayoutSpec

CODED = ("02", "03", "05", "07", "08")
Key = tuple[str, str, str, str]  # (table id, side ("" for a one-sided table), row key or 科目代码, column)
TOTAL = "合计"


class Fig(msgspec.Struct, frozen=True):
    """An amount and how many rounded figures were added up to make it."""

    amount: Decimal
    n: int = 0

    def __add__(self, other: "Fig") -> "Fig":
        return Fig(self.amount + other.amount, self.n + other.n)

    def __sub__(self, other: "Fig") -> "Fig":
        return Fig(self.amount - other.amount, self.n + other.n)


NIL = Fig(ZERO, 0)


def fsum(figs) -> Fig:
    out = NIL
    for f in figs:
        out = out + f
    return out


# the columns of each 科目 table that are summed; the others follow from them (ROW_SUMS, and 07's balance)
BASE_COLUMNS = {tid: parts for tid, _total, parts in ROW_SUMS if tid != "07"}
BASE_COLUMNS["07"] = ["年初结转和结余", "年末结转和结余", "基本支出", "项目支出"]
_GPB, _FUND, _SOE = (f[2] for f in FUNDS)  # 04 expenditure columns of the three funds
# 01 and 04 lines that no other table details: summed as printed
FIXED_BASE = [("01", "收入", "使用非财政拨款结余", "决算数"), ("01", "收入", "年初结转和结余", "决算数"),
              ("01", "支出", "结余分配", "决算数"),
              ("04", "收入", FUNDS[2][0], "金额"), ("04", "收入", FUNDS[0][1], "金额"), ("04", "收入", FUNDS[2][1], "金额"),
              ("04", "支出", "年末结转和结余", _GPB)]
SANGONG_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费", "会议费", "培训费")


# ---------------------------------------------------------------- reading a report's figures

def cells_of(report: Report) -> dict[Key, Value]:
    """Every printed amount of a 决算 report by its structural key."""
    out: dict[Key, Value] = {}
    for tid, table in report.tables.items():
        for row in table.rows:
            if table.spec.kind == "coded":
                name = TOTAL if row.key == TOTAL else row.code
            elif table.spec.kind == "economic":
                name = row.code or row.key
            else:
                name = row.key
            if not name:
                continue
            for column, value in row.values.items():
                out.setdefault((tid, row.side or "", name, column), value)
    return out


def leaf_codes(table: Table) -> list[str]:
    """The 科目 rows no other printed code lies under (项, or a 款/类 printed alone)."""
    codes = [r.code for r in table.code_rows() if r.code]
    return [c for c in codes if not any(o != c and o.startswith(c) for o in codes)]


def base_of(report: Report, cells: dict[Key, Value] | None = None) -> dict[Key, Value]:
    """The report's base figures (what a 汇总 sums), each with its cell; blank ones as 0 without a cell.
    `cells`: the report's cells_of, when the caller has it already."""
    cells = cells_of(report) if cells is None else cells
    spec = report.spec
    keys: list[Key] = []
    for tid in CODED:
        keys += [(tid, "", code, col) for code in leaf_codes(report.table(tid)) for col in BASE_COLUMNS[tid]]
    t06 = spec.table("06")
    keys += [("06", "", code, t06.value_name) for cls in t06.classes for code, _ in cls.items]
    keys += [("09", "", row, col) for row in ("预算数", "决算数") for col in SANGONG_ITEMS]
    keys += FIXED_BASE
    return {k: cells.get(k) or Value(ZERO) for k in keys}


# ---------------------------------------------------------------- deriving

class Derived(msgspec.Struct):
    cells: dict[Key, Fig]
    base: frozenset[Key]  # the summed figures; every other one is computed from them
    adjusted: dict[Key, Decimal]  # 尾差调整 made, by the base figure that took it
    how: dict[Key, str]  # how each non-base figure was obtained (and a 尾差调整 why)


def derive(spec: LayoutSpec, base: dict[Key, Fig]) -> Derived:
    d = Derived(dict(base), frozenset(base), {}, {})
    for tid in CODED:
        _coded(spec, tid, d)
    _economic(spec, d)
    _sangong(d)
    _fund_table(spec, d)
    _settle(spec, d, "02", "财政拨款收入", ("04", "收入", "本年收入合计", "金额"),
            "使02表财政拨款收入合计等于04表本年收入合计")
    _economic_settle(spec, d)
    _summary_table(spec, d)
    return d


def _put(d: Derived, key: Key, fig: Fig, how: str) -> None:
    d.cells[key] = fig
    d.how[key] = how


def _get(d: Derived, *key: str) -> Fig:
    return d.cells.get(key, NIL)  # type: ignore[arg-type]


def _coded(spec: LayoutSpec, tid: str, d: Derived) -> None:
    columns = [c.name for c in spec.table(tid).columns]
    leaves = sorted({k[2] for k in d.base if k[0] == tid})
    rows: dict[str, dict[str, Fig]] = {}
    for code in leaves:
        v = {c: _get(d, tid, "", code, c) for c in BASE_COLUMNS[tid]}
        if tid == "07":
            v["小计"] = v["基本支出"] + v["项目支出"]
            v["本年收入"] = v["年末结转和结余"] + v["小计"] - v["年初结转和结余"]
        else:
            total, parts = next((t, p) for x, t, p in ROW_SUMS if x == tid)
            v[total] = fsum(v[p] for p in parts)
        rows[code] = v
        for c in columns:
            if c not in BASE_COLUMNS[tid]:
                _put(d, (tid, "", code, c), v[c], "本行各栏计算")
    parents = {code[:n] for code in leaves for n in (3, 5) if len(code) > n}
    for code in parents - set(leaves):
        for c in columns:
            _put(d, (tid, "", code, c), fsum(v[c] for leaf, v in rows.items() if leaf.startswith(code)),
                 "下级科目之和")
    for c in columns:
        _put(d, (tid, "", TOTAL, c), fsum(v[c] for v in rows.values()), "各科目之和")


def _economic(spec: LayoutSpec, d: Derived) -> None:
    t = spec.table("06")
    col = t.value_name
    classes = {}
    for cls in t.classes:
        classes[cls.code] = fsum(_get(d, "06", "", code, col) for code, _ in cls.items)
        _put(d, ("06", "", cls.code, col), classes[cls.code], "本类各款之和")
    for total in t.totals:
        _put(d, ("06", "", total.label, col), fsum(classes.get(c, NIL) for c in total.classes), "所含各类之和")


def _sangong(d: Derived) -> None:
    for row in ("预算数", "决算数"):
        cars = _get(d, "09", "", row, "公务用车购置费") + _get(d, "09", "", row, "公务用车运行维护费")
        _put(d, ("09", "", row, "公务用车购置及运行维护费"), cars, "购置费 + 运行维护费")
        total = _get(d, "09", "", row, "因公出国（境）费") + cars + _get(d, "09", "", row, "公务接待费")
        _put(d, ("09", "", row, "合计"), total, "因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费")


def _fund_table(spec: LayoutSpec, d: Derived) -> None:
    """04 from 05, 07 and 08: each fund's spending by 类; 政府性基金 income and balances from 07; 国有资本经营 年末
    and 一般公共预算 income from each fund's balance (年初 + 本年收入 = 本年支出 + 年末)."""
    out = "支出"
    sources = {_GPB: ("05", "小计"), _FUND: ("07", "小计"), _SOE: ("08", "合计")}
    for rs in (r for s in spec.table("04").sides if s.name == out for r in s.rows if r.code):
        figs = {col: _get(d, tid, "", rs.code, c) for col, (tid, c) in sources.items()}
        for col, fig in figs.items():
            _put(d, ("04", out, rs.key, col), fig, f"公开{sources[col][0]}表 {rs.code} {sources[col][1]}")
        _put(d, ("04", out, rs.key, TOTAL), fsum(figs.values()), "三项资金之和")
    spent = {col: _get(d, tid, "", TOTAL, c) for col, (tid, c) in sources.items()}
    closing = {_GPB: _get(d, "04", out, "年末结转和结余", _GPB), _FUND: _get(d, "07", "", TOTAL, "年末结转和结余")}
    income_key = {f[2]: f[0] for f in FUNDS}
    opening_key = {f[2]: f[1] for f in FUNDS}
    opening = {_GPB: _get(d, "04", "收入", opening_key[_GPB], "金额"), _FUND: _get(d, "07", "", TOTAL, "年初结转和结余"),
               _SOE: _get(d, "04", "收入", opening_key[_SOE], "金额")}
    income = {_FUND: _get(d, "07", "", TOTAL, "本年收入"), _SOE: _get(d, "04", "收入", income_key[_SOE], "金额")}
    closing[_SOE] = opening[_SOE] + income[_SOE] - spent[_SOE]
    income[_GPB] = closing[_GPB] + spent[_GPB] - opening[_GPB]
    _put(d, ("04", "收入", income_key[_GPB], "金额"), income[_GPB], "年末结转和结余 + 本年支出 − 年初结转和结余")
    _put(d, ("04", "收入", income_key[_FUND], "金额"), income[_FUND], "公开07表 合计 本年收入")
    _put(d, ("04", "收入", opening_key[_FUND], "金额"), opening[_FUND], "公开07表 合计 年初结转和结余")
    _put(d, ("04", out, "年末结转和结余", _FUND), closing[_FUND], "公开07表 合计 年末结转和结余")
    _put(d, ("04", out, "年末结转和结余", _SOE), closing[_SOE], "年初结转和结余 + 本年收入 − 本年支出")
    for col in (_GPB, _FUND, _SOE):
        _put(d, ("04", out, "本年支出合计", col), spent[col], f"公开{sources[col][0]}表 合计 {sources[col][1]}")
        _put(d, ("04", out, "支出总计", col), spent[col] + closing[col], "本年支出合计 + 年末结转和结余")
    for key, figs in (("本年支出合计", spent), ("年末结转和结余", closing)):
        _put(d, ("04", out, key, TOTAL), fsum(figs.values()), "三项资金之和")
    _put(d, ("04", out, "支出总计", TOTAL), fsum(spent.values()) + fsum(closing.values()), "本年支出合计 + 年末结转和结余")
    income_total, opening_total = fsum(income.values()), fsum(opening.values())
    _put(d, ("04", "收入", "本年收入合计", "金额"), income_total, "三项财政拨款收入之和")
    _put(d, ("04", "收入", "年初结转和结余", "金额"), opening_total, "三项资金年初之和")
    _put(d, ("04", "收入", "收入总计", "金额"), income_total + opening_total, "本年收入合计 + 年初结转和结余")


def _settle(spec: LayoutSpec, d: Derived, tid: str, column: str, target: Key, why: str) -> None:
    """尾差调整 of a 科目 table's column total to the figure another table prints for the same money."""
    have, want = _get(d, tid, "", TOTAL, column), d.cells.get(target, NIL)
    leaves = [k for k in d.base if k[0] == tid and k[3] == column]
    if _adjust(d, have, want, leaves, why):
        _coded(spec, tid, d)


def _economic_settle(spec: LayoutSpec, d: Derived) -> None:
    t = spec.table("06")
    have = fsum(_get(d, "06", "", x.label, t.value_name) for x in t.totals)
    want = _get(d, "05", "", TOTAL, "基本支出")
    items = [("06", "", code, t.value_name) for cls in t.classes for code, _ in cls.items]
    if _adjust(d, have, want, [k for k in items if k in d.base], "使06表人员经费、公用经费合计等于05表基本支出合计"):
        _economic(spec, d)


def _adjust(d: Derived, have: Fig, want: Fig, candidates: list[Key], why: str) -> bool:
    """Move a difference no larger than the rounding of the figures summed onto the largest candidate — or, a
    fall larger than that candidate (tiny figures: 0.04 off items of 0.01–0.03), onto the largest ones in turn,
    none below zero."""
    diff = want.amount - have.amount
    allowance = have.n + want.n
    if diff == 0 or abs(diff) > allowance * HALF_CENT or not candidates:
        return False
    ordered = sorted(candidates, key=lambda k: (d.cells[k].amount, k), reverse=True)
    if diff < 0 and sum((d.cells[k].amount for k in ordered), ZERO) + diff < 0:
        return False
    left = diff
    for key in ordered:
        share = left if left > 0 else max(left, -d.cells[key].amount)
        if share == 0:
            continue
        d.cells[key] = Fig(d.cells[key].amount + share, d.cells[key].n + allowance)
        d.adjusted[key] = d.adjusted.get(key, ZERO) + share
        d.how[key] = f"尾差调整 {share:+}（{why}）"
        left -= share
        if left == 0:
            break
    return True


def _summary_table(spec: LayoutSpec, d: Derived) -> None:
    """01 from 02, 03 and 04: the three 财政拨款 incomes as 04 prints them, the other incomes as 02's 合计 row,
    each 类 and the 本年支出合计 as 03; 年末结转和结余 the balance."""
    income_keys = {f[0] for f in FUNDS}
    columns02 = {c.name for c in spec.table("02").columns}
    side = next(s for s in spec.table("01").sides if s.name == "收入")
    lines = []
    for rs in side.rows:
        if rs.key == "本年收入合计":
            break
        if rs.blank:
            continue
        if rs.key in income_keys:
            fig, how = _get(d, "04", "收入", rs.key, "金额"), f"公开04表 {rs.key}"
        elif rs.key in columns02:
            fig, how = _get(d, "02", "", TOTAL, rs.key), f"公开02表 合计 {rs.key}"
        else:
            fig, how = _get(d, "01", "收入", rs.key, "决算数"), "各单位之和"
        _put(d, ("01", "收入", rs.key, "决算数"), fig, how)
        lines.append(fig)
    income = fsum(lines)
    _put(d, ("01", "收入", "本年收入合计", "决算数"), income, "各项收入之和")
    grand = income + _get(d, "01", "收入", "使用非财政拨款结余", "决算数") + _get(d, "01", "收入", "年初结转和结余", "决算数")
    _put(d, ("01", "收入", "收入总计", "决算数"), grand, "本年收入合计 + 使用非财政拨款结余 + 年初结转和结余")
    for rs in (r for s in spec.table("01").sides if s.name == "支出" for r in s.rows if r.code):
        _put(d, ("01", "支出", rs.key, "决算数"), _get(d, "03", "", rs.code, "本年支出合计"), f"公开03表 {rs.code}")
    spent = _get(d, "03", "", TOTAL, "本年支出合计")
    _put(d, ("01", "支出", "本年支出合计", "决算数"), spent, "公开03表 合计 本年支出合计")
    _put(d, ("01", "支出", "年末结转和结余", "决算数"), grand - spent - _get(d, "01", "支出", "结余分配", "决算数"),
         "收入总计 − 本年支出合计 − 结余分配")
    _put(d, ("01", "支出", "支出总计", "决算数"), grand, "收入总计")


# ---------------------------------------------------------------- back to a Report

def to_tables(spec: LayoutSpec, cells: dict[Key, Fig], names: dict[str, str], year: int) -> dict[str, Table]:
    """The nine tables of `spec` holding `cells` (rows in the 表样's order, 科目 rows by code)."""
    from . import catalog

    tables: dict[str, Table] = {}
    for tid, t in spec.tables.items():
        if t.kind == "coded":
            cols = [c.name for c in t.columns]
            codes = sorted({k[2] for k in cells if k[0] == tid and k[2] != TOTAL})
            rows = [Row(name=TOTAL, key=TOTAL, values={c: _value(cells, (tid, "", TOTAL, c)) for c in cols})]
            for code in codes:
                if not any(cells.get((tid, "", code, c), NIL).amount for c in cols):
                    continue  # a 科目 with nothing in this table is not printed (as the units' exports do)
                entry = catalog.lookup(code, year)
                rows.append(Row(name=names.get(code) or (entry.name if entry else code), code=code,
                                values={c: _value(cells, (tid, "", code, c)) for c in cols}))
        elif t.kind == "economic":
            rows = []
            for cls in t.classes:
                for code, name in ((cls.code, cls.name), *cls.items):
                    rows.append(Row(name=name, code=code, values={t.value_name: _value(cells, ("06", "", code, t.value_name))}))
            rows += [Row(name=x.label, key=x.label, values={t.value_name: _value(cells, ("06", "", x.label, t.value_name))})
                     for x in t.totals]
        else:
            rows = []
            for s in t.sides:
                side = s.name if len(t.sides) > 1 else ""
                for rs in s.rows:
                    if not rs.blank:
                        rows.append(Row(name=rs.label, key=rs.key, code=rs.code, line=rs.line, side=side or None,
                                        values={c.name: _value(cells, (tid, side, rs.key, c.name)) for c in s.columns}))
        tables[tid] = Table(t, rows)
    return tables


def _value(cells: dict[Key, Fig], key: Key) -> Value:
    fig = cells.get(key)
    return Value(fig.amount if fig else ZERO)

