"""Random consistent reports for property tests: every total and every relation between the nine tables
holds exactly, so the checks must report nothing; then one changed amount must be caught.

Built bottom-up: 06 items give 基本支出, spread over random 项 of 05; 政府性基金 spending (07) and
other money make 03; incomes make 02; 04 and 01 follow from those. At most 9 non-blank parts enter any
sum, so a change of 0.05 always exceeds the 尾差 allowance (9 × 0.005 = 0.045).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from hypothesis import strategies as st

from disclosure import catalog, specs
from disclosure.model import CellRef, Report, Row, Table, Value
from disclosure.specs import LayoutSpec

ZERO = Decimal(0)
ITEM_POOL = ["2080505", "2080506", "2089999", "2100410", "2101101", "2101102", "2101501", "2101502",
             "2101504", "2101550", "2210201"]


def cents(lo: int = 0, hi: int = 5_000_000):
    return st.integers(lo, hi).map(lambda c: Decimal(c).scaleb(-2))


def maybe(draw, strategy, zero_percent: int = 50) -> Decimal:
    """An amount, or a blank (zero) cell about zero_percent of the time."""
    return ZERO if draw(st.integers(0, 99)) < zero_percent else draw(strategy)


def _split(draw, total: Decimal, n: int) -> list[Decimal]:
    """total split into n non-negative cent amounts that add up exactly."""
    if n == 1:
        return [total]
    c = int(total.scaleb(2))
    cuts = sorted(draw(st.lists(st.integers(0, c), min_size=n - 1, max_size=n - 1)))
    bounds = [0, *cuts, c]
    return [Decimal(bounds[i + 1] - bounds[i]).scaleb(-2) for i in range(n)]


class _Cells:
    """Gives every value its own cell, so findings can be traced to the figure that was changed."""

    def __init__(self):
        self.n = 0

    def __call__(self, tid: str, amount: Decimal) -> Value:
        self.n += 1
        return Value(amount, CellRef(f"公开{tid}表", f"Z{self.n}"))


def _coded_rows(tid: str, leaf: dict[str, dict[str, Decimal]], columns: list[str], cell, year: int) -> list[Row]:
    """合计 + 类/款/项 rows from the 项 amounts, every parent the exact sum of its children."""
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for code, values in leaf.items():
        for prefix in (code[:3], code[:5], code):
            for col in columns:
                sums[prefix][col] += values.get(col, ZERO)
    total = {col: sum((leaf[c].get(col, ZERO) for c in leaf), ZERO) for col in columns}
    rows = [Row(name="合计", key="合计", values={c: cell(tid, total[c]) for c in columns})]
    for code in sorted(sums):
        entry = catalog.lookup(code, year)
        rows.append(Row(name=entry.name if entry else code, code=code,
                        values={c: cell(tid, sums[code][c]) for c in columns}))
    return rows


def _fixed(tid: str, spec: LayoutSpec, amounts: dict[tuple[str, str], dict[str, Decimal]], cell) -> Table:
    t = spec.table(tid)
    rows = []
    for side in t.sides:
        side_key = side.name if len(t.sides) > 1 else None
        for rs in side.rows:
            if rs.blank:
                continue
            got = amounts.get((side.name, rs.key), {})
            rows.append(Row(name=rs.label, key=rs.key, code=rs.code, line=rs.line, side=side_key,
                            values={c.name: cell(tid, got.get(c.name, ZERO)) for c in side.columns}))
    return Table(t, rows)


@st.composite
def consistent_reports(draw) -> Report:
    spec = specs.load(draw(st.sampled_from(specs.available_layouts())))
    year = int(spec.layout)
    cell = _Cells()
    items = draw(st.lists(st.sampled_from(ITEM_POOL), min_size=1, max_size=6, unique=True))

    # 06: a few items per class; their sum is the 基本支出 of 05
    t06 = spec.table("06")
    econ: dict[str, Decimal] = {}
    for cls in t06.classes:
        chosen = draw(st.lists(st.sampled_from([c for c, _ in cls.items]), max_size=4, unique=True))
        values = {c: draw(cents(1, 100_000)) for c in chosen}
        econ.update(values)
        econ[cls.code] = sum(values.values(), ZERO)
    for total in t06.totals:
        econ[total.label] = sum((econ[c] for c in total.classes), ZERO)
    basic = sum((econ[x.label] for x in t06.totals), ZERO)

    # 05 per 项, 07 for some 项, 03 adds other money
    b05 = dict(zip(items, _split(draw, basic, len(items))))
    leaf05 = {c: {"基本支出": b05[c], "项目支出": maybe(draw, cents())} for c in items}
    for v in leaf05.values():
        v["小计"] = v["基本支出"] + v["项目支出"]
    fund_items = draw(st.lists(st.sampled_from(items), max_size=2, unique=True))
    leaf07 = {}
    for c in fund_items:
        b, p = maybe(draw, cents(0, 100_000)), draw(cents(1, 100_000))
        opening, extra = maybe(draw, cents(0, 50_000)), maybe(draw, cents(0, 50_000))
        leaf07[c] = {"基本支出": b, "项目支出": p, "小计": b + p, "年初结转和结余": opening,
                     "本年收入": b + p + extra, "年末结转和结余": opening + extra}
    leaf03 = {}
    for c in items:
        f5, f7 = leaf05[c], leaf07.get(c, {})
        v = {"基本支出": f5["基本支出"] + f7.get("基本支出", ZERO) + maybe(draw, cents(0, 100_000)),
             "项目支出": f5["项目支出"] + f7.get("项目支出", ZERO) + maybe(draw, cents(0, 100_000)),
             "上缴上级支出": maybe(draw, cents(0, 10_000), 80), "经营支出": maybe(draw, cents(0, 10_000), 80),
             "对附属单位补助支出": maybe(draw, cents(0, 10_000), 80)}
        v["本年支出合计"] = sum(v.values(), ZERO)
        leaf03[c] = v

    # 02: fiscal income per 项 = its 05 and 07 money, the GPB surplus on the first 项; other incomes random
    opening_gpb, surplus = maybe(draw, cents(0, 100_000)), maybe(draw, cents(0, 100_000))
    leaf02 = {}
    for i, c in enumerate(items):
        v = {"财政拨款收入": leaf05[c]["小计"] + leaf07.get(c, {}).get("本年收入", ZERO) + (surplus if i == 0 else ZERO)}
        for col in ("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"):
            v[col] = maybe(draw, cents(0, 100_000), 80)
        v["本年收入合计"] = sum(v.values(), ZERO)
        leaf02[c] = v

    tables: dict[str, Table] = {}
    for tid, leaf in (("02", leaf02), ("03", leaf03), ("05", leaf05), ("07", leaf07), ("08", {})):
        columns = [c.name for c in spec.table(tid).columns]
        tables[tid] = Table(spec.table(tid), _coded_rows(tid, leaf, columns, cell, year))

    def col_total(leaf, col):
        return sum((v.get(col, ZERO) for v in leaf.values()), ZERO)

    def class_total(leaf, code, col):
        return sum((v.get(col, ZERO) for k, v in leaf.items() if k[:3] == code), ZERO)

    # 04 from 05 and 07
    gpb_income = col_total(leaf05, "小计") + surplus
    fund_income = col_total(leaf07, "本年收入")
    fund_open, fund_close = col_total(leaf07, "年初结转和结余"), col_total(leaf07, "年末结转和结余")
    a04: dict[tuple[str, str], dict[str, Decimal]] = {
        ("收入", "一般公共预算财政拨款收入"): {"金额": gpb_income},
        ("收入", "政府性基金预算财政拨款收入"): {"金额": fund_income},
        ("收入", "本年收入合计"): {"金额": gpb_income + fund_income},
        ("收入", "年初一般公共预算财政拨款结转和结余"): {"金额": opening_gpb},
        ("收入", "年初政府性基金预算财政拨款结转和结余"): {"金额": fund_open},
        ("收入", "年初结转和结余"): {"金额": opening_gpb + fund_open},
        ("收入", "收入总计"): {"金额": gpb_income + fund_income + opening_gpb + fund_open},
    }

    def by_fund(gpb: Decimal, fund: Decimal) -> dict[str, Decimal]:
        return {"一般公共预算财政拨款": gpb, "政府性基金预算财政拨款": fund, "合计": gpb + fund}

    for rs in (r for s in spec.table("04").sides for r in s.rows if r.code):
        a04[("支出", rs.key)] = by_fund(class_total(leaf05, rs.code, "小计"), class_total(leaf07, rs.code, "小计"))
    spent = by_fund(col_total(leaf05, "小计"), col_total(leaf07, "小计"))
    closing = by_fund(opening_gpb + surplus, fund_close)
    a04[("支出", "本年支出合计")] = spent
    a04[("支出", "年末结转和结余")] = closing
    a04[("支出", "支出总计")] = {k: spent[k] + closing[k] for k in spent}
    tables["04"] = _fixed("04", spec, a04, cell)

    # 01 from 02, 03 and 04
    s02 = {col: col_total(leaf02, col) for col in leaf02[items[0]]}
    a01: dict[tuple[str, str], dict[str, Decimal]] = {
        ("收入", "一般公共预算财政拨款收入"): {"决算数": gpb_income},
        ("收入", "政府性基金预算财政拨款收入"): {"决算数": fund_income},
    }
    for col in ("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"):
        a01[("收入", col)] = {"决算数": s02[col]}
    income, expense = s02["本年收入合计"], col_total(leaf03, "本年支出合计")
    used, distributed = maybe(draw, cents(0, 10_000), 70), maybe(draw, cents(0, 10_000), 70)
    opening = max(ZERO, expense + distributed - income - used) + maybe(draw, cents(0, 100_000))
    grand = income + used + opening
    a01.update({("收入", "本年收入合计"): {"决算数": income}, ("收入", "使用非财政拨款结余"): {"决算数": used},
                ("收入", "年初结转和结余"): {"决算数": opening}, ("收入", "收入总计"): {"决算数": grand},
                ("支出", "本年支出合计"): {"决算数": expense}, ("支出", "结余分配"): {"决算数": distributed},
                ("支出", "年末结转和结余"): {"决算数": grand - expense - distributed},
                ("支出", "支出总计"): {"决算数": grand}})
    for rs in (r for s in spec.table("01").sides for r in s.rows if r.code):
        a01[("支出", rs.key)] = {"决算数": class_total(leaf03, rs.code, "本年支出合计")}
    tables["01"] = _fixed("01", spec, a01, cell)

    # 06 rows in spec order
    rows06 = []
    for cls in t06.classes:
        for code, name in ((cls.code, cls.name), *cls.items):
            rows06.append(Row(name=name, code=code, values={t06.value_name: cell("06", econ.get(code, ZERO))}))
    for total in t06.totals:
        rows06.append(Row(name=total.label, key=total.label, values={t06.value_name: cell("06", econ[total.label])}))
    tables["06"] = Table(t06, rows06)

    # 09: actual never below 06's matching items, budget never below actual
    def sangong(floor: dict[str, Decimal]) -> dict[str, Decimal]:
        v = {k: floor.get(k, ZERO) + maybe(draw, cents(0, 5_000)) for k in
             ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费", "会议费", "培训费")}
        v["公务用车购置及运行维护费"] = v["公务用车购置费"] + v["公务用车运行维护费"]
        v["合计"] = v["因公出国（境）费"] + v["公务用车购置及运行维护费"] + v["公务接待费"]
        return v

    floor = {"因公出国（境）费": econ.get("30212", ZERO), "公务接待费": econ.get("30217", ZERO),
             "公务用车运行维护费": econ.get("30231", ZERO), "会议费": econ.get("30215", ZERO),
             "培训费": econ.get("30216", ZERO)}
    actual = sangong(floor)  # a budget below its 决算 is a finding (S02): the budget covers what was spent
    tables["09"] = _fixed("09", spec, {("项目", "预算数"): sangong(actual), ("项目", "决算数"): actual}, cell)
    return Report(spec=spec, unit_name="测试局", year=year, tables=dict(sorted(tables.items())))


def change_one_amount_and_expect_it_caught(report: Report, data, targets: list[tuple[str, Row, str]]) -> None:
    """Property body shared by the 决算 and 预算 rules: one drawn cell of `targets` (table id, row, column) changed
    by at least 0.05 must give an 错误 that names that cell (or the figure the relation compares it with)."""
    from disclosure.checks import ERROR, run

    tid, row, col = data.draw(st.sampled_from(targets), label="cell")
    delta = data.draw(st.integers(5, 100_000).map(lambda c: Decimal(c).scaleb(-2)), label="delta")
    sign = data.draw(st.sampled_from([1, -1]), label="sign")
    old = row.values[col]
    row.values[col] = Value(old.amount + sign * delta, old.cell)

    errors = [f for f in run(report) if f.severity == ERROR]
    label = row.key or row.code or row.name
    assert errors, f"changing {old.cell} ({tid} {label} {col}) by {sign * delta} went unnoticed"
    hits = [f for f in errors if old.cell in f.cells]
    assert hits, [f.message for f in errors]
    for f in hits:  # the cell reported is the changed one, or the figure the relation compares it with
        assert f.cell in f.cells
        assert f.cell == old.cell or f.difference is None or abs(f.difference) >= Decimal("0.05")
