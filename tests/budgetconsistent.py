"""部门预算 reports for the B rules' tests, every amount with a cell of its own (so a finding can be traced to
the figure that was changed):

- `clean_seed()`: seed 002 (tests/budgetexport.py's seed_report) with its real errors corrected — the 0.01 tails
  resolved into one consistent set of figures, 表1/表4 专项资金 as 表2, the 政府经济分类 blocks as 表6's codes, 表8
  30103 booked like 表6. The checks must find nothing in it.
- `consistent_budgets()`: a hypothesis strategy of random consistent 预算 reports, built bottom-up — 表6 items
  (部门/政府 经济分类) give 人员/公用/专项 money, spread over random 项 of 表5; 表7/表8 are the 基本 part; 政府性基金
  money (表9) and other money (事业收入, in 表1 only) are added on top; 表4 = 表5 + 表9, 表1 = 表4 + other money;
  单位 tables split the 部门's money over 1–3 单位. At most 9 non-blank figures enter any sum, so a change of
  0.05 is beyond any 尾差 allowance.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from hypothesis import strategies as st

import budgetexport as bx
from consistent import ITEM_POOL, _split, cents, maybe
from disclosure import catalog, specs
from disclosure.catalog import economic
from disclosure.model import CellRef, Report, Row, Table, Value

SPEC = specs.load(bx.LAYOUT)
YEAR = 2023
ZERO = Decimal(0)
D = Decimal
PERSONNEL, PUBLIC, SPECIAL = "人员经费支出", "公用经费支出", "专项业务经费支出"
FUNC, DEPT, GOV, INCOME = "支出功能分类", "部门预算支出经济分类", "政府预算支出经济分类", "收入"


class Cells:
    """Gives every value its own cell, on a sheet named after its table."""

    def __init__(self):
        self.n = 0

    def __call__(self, tid: str, amount: Decimal) -> Value:
        self.n += 1
        return Value(amount, CellRef(tid, f"Z{self.n}"))


def give_cells(report: Report) -> Report:
    """Every value of a report built without cells (seed_report) gets one; rows get a label cell."""
    cell = Cells()
    for tid, table in report.tables.items():
        for row in table.rows:
            row.values = {k: cell(tid, v.amount) for k, v in row.values.items()}
            row.cell = cell(tid, ZERO).cell
    return report


def find_row(report: Report, tid: str, ident: str, side: str | None = None) -> Row:
    """A row by key or code (and side for 表1/表4/表9), or a 表10 project by name."""
    hits = [r for r in report.table(tid).rows
            if ident in (r.key, r.code) and (side is None or r.side == side)
            or (r.unit_code and r.name == ident)]
    assert len(hits) == 1, (tid, ident, side, len(hits))
    return hits[0]


def set_amount(report: Report, tid: str, ident: str, column: str, amount, side: str | None = None) -> Value:
    """Changes one printed amount, keeping its cell; returns the new value."""
    row = find_row(report, tid, ident, side)
    old = row.values.get(column) or Value(ZERO, CellRef(tid, f"N{id(row) % 10_000}"))
    row.values[column] = Value(D(str(amount)), old.cell)
    return row.values[column]


# ---------------------------------------------------------------- seed 002, corrected

# (table, side, key or code, column, amount): the one consistent set of figures seed 002's tables disagree on
SEED_CORRECTIONS = [
    ("表1", INCOME, "专项资金列入部门预算的项目", "预算数", "1090"),
    ("表4", INCOME, "专项资金列入部门预算的项目", "预算数", "1090"),
    ("表1", DEPT, "人员经费和公用经费支出", "预算数", "850.47"),
    ("表1", DEPT, "基本.工资福利支出", "预算数", "786.72"),
    *[(t, GOV, key, "预算数", amount) for t in ("表1", "表4") for key, amount in (
        ("机关工资福利支出", "234.06"), ("机关商品和服务支出", "0"), ("对事业单位经常性补助", "650.66"),
        ("对个人和家庭的补助", "1097.75"))],
    *[(t, FUNC, "卫生健康支出", "预算数", "1821.37") for t in ("表1", "表4")],
    *[(t, None, code, column, amount) for t in ("表6", "表8") for code, amount in (("30101", "551.11"), ("301", "786.72"))
      for column in ("合计", PERSONNEL)],
    *[(t, None, code, column, amount) for t, code, column, amount in (
        ("表5", "2101550", "合计", "587.32"), ("表5", "2101550", PERSONNEL, "548.32"),
        ("表5", "21015", "合计", "708.79"), ("表5", "21015", PERSONNEL, "610.79"),
        ("表5", "210", "合计", "1821.37"), ("表5", "210", PERSONNEL, "633.37"),
        ("表7", "2101550", "合计", "587.32"), ("表7", "2101550", PERSONNEL, "548.32"),
        ("表7", "21015", "合计", "666.79"), ("表7", "21015", PERSONNEL, "610.79"),
        ("表7", "210", "合计", "689.37"), ("表7", "210", PERSONNEL, "633.37"))],
    *[(t, None, "324002", column, "980.15") for t in ("表2", "表3") for column in ("合计", "一般公共预算拨款小计")],
]


def clean_seed() -> Report:
    report = give_cells(bx.seed_report())
    for tid, side, ident, column, amount in SEED_CORRECTIONS:
        set_amount(report, tid, ident, column, amount, side)
    row = find_row(report, "表8", "30103")
    row.gov_code, row.gov_name = "50101", "工资奖金津补贴"  # as 表6 books it
    return report


# ---------------------------------------------------------------- random consistent reports

# 部门经济分类 items: (政府经济分类 code, the 基本支出 column their money goes to)
ECON_ITEMS = {
    "30101": ("50501", PERSONNEL), "30102": ("50101", PERSONNEL), "30108": ("50102", PERSONNEL),
    "30113": ("50103", PERSONNEL), "30201": ("50201", PUBLIC), "30211": ("50502", PUBLIC),
    "30212": ("50207", PUBLIC), "30215": ("50202", PUBLIC), "30216": ("50203", PUBLIC), "30217": ("50206", PUBLIC),
    "30231": ("50208", PUBLIC), "30299": ("50299", PUBLIC), "30305": ("50901", PERSONNEL),
    "30399": ("50999", PERSONNEL),
}
# 表12 columns (当年/上年) and the 部门经济分类 code whose 表6 合计 they equal
SANGONG = {"因公出国（境）费用": "30212", "公务接待费": "30217", "公务用车运行维护费": "30231", "公务用车购置费": None,
           "会议费": "30215", "培训费": "30216"}
FUND_CLASSES = ["206", "207", "208", "211", "212", "213", "214", "215", "217", "229"]


def _econ_name(scheme: str, code: str) -> str:
    return economic.lookup(scheme, code, YEAR).name


def _func_name(code: str) -> str:
    return catalog.lookup(code, YEAR).name


def _coded(tid: str, leaves: dict[str, dict[str, Decimal]], columns: list[str], cell, prefixes, name, gov=None):
    """合计 + every level above the leaves (prefixes(code) gives the codes a leaf adds to, itself included)."""
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for code, values in leaves.items():
        for prefix in prefixes(code):
            for c in columns:
                sums[prefix][c] += values.get(c, ZERO)
    total = {c: sum((v.get(c, ZERO) for v in leaves.values()), ZERO) for c in columns}
    rows = [Row(name="合计", key="合计", values={c: cell(tid, total[c]) for c in columns})]
    for code in sorted(sums):
        row = Row(name=name(code), code=code, values={c: cell(tid, sums[code][c]) for c in columns}, cell=cell(tid, ZERO).cell)
        if gov and code in leaves:
            row.gov_code, row.gov_name = gov[code], _econ_name("政府", gov[code])
        rows.append(row)
    return rows


def _sides(tid: str, amounts: dict[tuple[str, str], Decimal], cell) -> Table:
    t = SPEC.table(tid)
    rows = [Row(name=rs.label, key=rs.key, code=rs.code, side=side.name,
                values={"预算数": cell(tid, amounts.get((side.name, rs.key), ZERO))})
            for side in t.sides for rs in side.rows]
    return Table(t, rows)


def _units(tid: str, dept: str, per_unit: list[dict[str, Decimal]], cell, columns: list[str]) -> list[Row]:
    """The 部门 row (the sum) and one row per 单位."""
    total = {c: sum((u.get(c, ZERO) for u in per_unit), ZERO) for c in columns}
    rows = [Row(name="测试局", code=dept, values={c: cell(tid, total[c]) for c in columns})]
    for i, u in enumerate(per_unit, start=1):
        rows.append(Row(name=f"测试单位{i}", code=f"{dept}{i:03d}", values={c: cell(tid, u.get(c, ZERO)) for c in columns}))
    return rows


def _spread(draw, total: Decimal, n: int) -> list[Decimal]:
    return _split(draw, total, n)


def _field(tid: str, key: str, cell, amount: Decimal | None = None, text: str = "") -> Row:
    if amount is None:
        return Row(name=key, key=key, values={}, texts={"内容": text})
    return Row(name=key, key=key, values={"金额": cell(tid, amount)})


@st.composite
def consistent_budgets(draw) -> Report:
    cell = Cells()
    dept = draw(st.sampled_from(["101", "324", "501"]))
    n_units = draw(st.integers(1, 3))
    tables: dict[str, Table] = {}

    # 表6/表8: 经济分类 items, each with 基本 (人员 or 公用) and/or 专项 money
    items = draw(st.lists(st.sampled_from(sorted(ECON_ITEMS)), min_size=1, max_size=6, unique=True))
    leaf6: dict[str, dict[str, Decimal]] = {}
    for code in items:
        basic, special = maybe(draw, cents(1, 50_000), 30), maybe(draw, cents(1, 50_000), 50)
        if basic == 0 and special == 0:
            basic = D("1.00")
        column = ECON_ITEMS[code][1]
        leaf6[code] = {column: basic, SPECIAL: special, "合计": basic + special}
    gov = {code: ECON_ITEMS[code][0] for code in items}
    econ_prefixes = lambda code: {code[:3], code}  # noqa: E731
    dept_name = lambda code: _econ_name("部门", code)  # noqa: E731
    tables["表6"] = Table(SPEC.table("表6"), _coded("表6", leaf6, ["合计", PERSONNEL, PUBLIC, SPECIAL], cell,
                                                  econ_prefixes, dept_name, gov))
    leaf8 = {c: {k: v[k] for k in ("合计", PERSONNEL, PUBLIC) if k in v} for c, v in leaf6.items()
             if v.get(PERSONNEL, ZERO) + v.get(PUBLIC, ZERO) != 0}
    for v in leaf8.values():
        v["合计"] = v.get(PERSONNEL, ZERO) + v.get(PUBLIC, ZERO)
    tables["表8"] = Table(SPEC.table("表8"), _coded("表8", leaf8, ["合计", PERSONNEL, PUBLIC], cell,
                                                  econ_prefixes, dept_name, gov))

    def total6(column: str, cls: str | None = None) -> Decimal:
        return sum((v.get(column, ZERO) for c, v in leaf6.items() if cls is None or c[:3] == cls), ZERO)

    personnel, public, special = total6(PERSONNEL), total6(PUBLIC), total6(SPECIAL)
    gpb = personnel + public + special

    # 表5/表7: the same money over random 功能分类 项
    func_items = draw(st.lists(st.sampled_from(ITEM_POOL), min_size=1, max_size=4, unique=True))
    leaf5 = {c: {} for c in func_items}
    for column, amount in ((PERSONNEL, personnel), (PUBLIC, public), (SPECIAL, special)):
        for c, part in zip(func_items, _spread(draw, amount, len(func_items))):
            leaf5[c][column] = part
    for v in leaf5.values():
        v["合计"] = v[PERSONNEL] + v[PUBLIC] + v[SPECIAL]
    func_prefixes = lambda code: {code[:3], code[:5], code}  # noqa: E731
    tables["表5"] = Table(SPEC.table("表5"), _coded("表5", leaf5, ["合计", PERSONNEL, PUBLIC, SPECIAL], cell,
                                                  func_prefixes, _func_name))
    leaf7 = {c: {"合计": v[PERSONNEL] + v[PUBLIC], PERSONNEL: v[PERSONNEL], PUBLIC: v[PUBLIC]}
             for c, v in leaf5.items() if v[PERSONNEL] + v[PUBLIC] != 0}
    tables["表7"] = Table(SPEC.table("表7"), _coded("表7", leaf7, ["合计", PERSONNEL, PUBLIC], cell,
                                                  func_prefixes, _func_name))

    # 表9: 政府性基金 money, 基本 (工资福利, 501) and 专项 (商品和服务, 502), over one or two 功能分类 类
    fund = maybe(draw, cents(1, 50_000), 60)
    fund_basic = draw(st.integers(0, int(fund * 100))) / D(100) if fund else ZERO
    fund_special = fund - fund_basic
    fund_classes = draw(st.lists(st.sampled_from(FUND_CLASSES), min_size=1, max_size=2, unique=True))
    by_fund_class = dict(zip(fund_classes, _spread(draw, fund, len(fund_classes))))
    a9 = {(INCOME, "政府性基金拨款"): fund, (INCOME, "本年收入合计"): fund, (FUNC, "本年支出合计"): fund,
          (DEPT, "人员经费和公用经费支出"): fund_basic, (DEPT, "基本.工资福利支出"): fund_basic,
          (DEPT, "专项业务经费支出"): fund_special, (DEPT, "专项.商品和服务支出"): fund_special,
          (DEPT, "本年支出合计"): fund, (GOV, "机关工资福利支出"): fund_basic,
          (GOV, "机关商品和服务支出"): fund_special, (GOV, "本年支出合计"): fund}
    class_key9 = {rs.code: rs.key for s in SPEC.table("表9").sides if s.name == FUNC for rs in s.rows if rs.code}
    for code, amount in by_fund_class.items():
        a9[(FUNC, class_key9[code])] = amount
    tables["表9"] = _sides("表9", a9, cell)

    # 表4 = 表5 (一般公共预算) + 表9 (基金)
    earmarked = draw(st.integers(0, int(gpb * 100))) / D(100)  # 其中：专项资金列入部门预算的项目
    fiscal = gpb + fund
    a4: dict[tuple[str, str], Decimal] = {
        (INCOME, "财政拨款"): fiscal, (INCOME, "一般公共预算拨款"): gpb, (INCOME, "专项资金列入部门预算的项目"): earmarked,
        (INCOME, "政府性基金拨款"): fund, (INCOME, "本年收入合计"): fiscal, (INCOME, "收入总计"): fiscal,
    }
    for side in (FUNC, DEPT, GOV):
        a4[(side, "财政拨款")] = a4[(side, "本年支出合计")] = a4[(side, "支出总计")] = fiscal
    for side in SPEC.table("表4").sides:
        for rs in side.rows:
            if side.name == FUNC and rs.code:
                a4[(FUNC, rs.key)] = (sum((v["合计"] for c, v in leaf5.items() if c[:3] == rs.code), ZERO)
                                      + by_fund_class.get(rs.code, ZERO))
            elif side.name == DEPT and rs.code:
                basic = rs.key.startswith("基本.")
                own = (total6(PERSONNEL, rs.code) + total6(PUBLIC, rs.code)) if basic else total6(SPECIAL, rs.code)
                a4[(DEPT, rs.key)] = own + a9.get((DEPT, rs.key), ZERO)
            elif side.name == GOV and rs.code:
                a4[(GOV, rs.key)] = (sum((v["合计"] for c, v in leaf6.items() if gov[c][:3] == rs.code), ZERO)
                                     + a9.get((GOV, rs.key), ZERO))
    a4[(DEPT, "人员经费和公用经费支出")] = personnel + public + fund_basic
    a4[(DEPT, "专项业务经费支出")] = special + fund_special
    tables["表4"] = _sides("表4", a4, cell)

    # 表1 = 表4 + other money (事业收入, spent as 基本 商品和服务 under one 功能分类 类)
    other = maybe(draw, cents(1, 50_000), 60)
    other_class = draw(st.sampled_from([rs.key for s in SPEC.table("表1").sides if s.name == FUNC for rs in s.rows
                                        if rs.code]))
    a1 = dict(a4)
    for side in (FUNC, DEPT, GOV):
        a1.pop((side, "财政拨款"))
        for key in ("本年支出合计", "支出总计"):
            a1[(side, key)] = fiscal + other
        a1[(side, "部门预算")] = fiscal + other
    a1[(FUNC, other_class)] = a1.get((FUNC, other_class), ZERO) + other
    for key in ("人员经费和公用经费支出", "基本.商品和服务支出"):
        a1[(DEPT, key)] = a1.get((DEPT, key), ZERO) + other
    a1[(GOV, "对事业单位经常性补助")] = a1.get((GOV, "对事业单位经常性补助"), ZERO) + other
    a1[(INCOME, "事业收入")] = other
    for key in ("本年收入合计", "收入总计", "部门预算"):
        a1[(INCOME, key)] = fiscal + other
    tables["表1"] = _sides("表1", a1, cell)

    # 表2 = 表3: each source split over the 单位 (the 其中 column within each 单位's 小计)
    sources = {"一般公共预算拨款小计": gpb, "政府性基金拨款": fund, "事业收入": other}
    per_unit = [dict() for _ in range(n_units)]
    for column, amount in sources.items():
        for u, part in zip(per_unit, _spread(draw, amount, n_units)):
            u[column] = part
    left = earmarked
    for u in per_unit:  # 其中专项: as much of `earmarked` as each 单位's 小计 holds
        u["其中专项资金列入部门预算项目"] = min(left, u["一般公共预算拨款小计"])
        left -= u["其中专项资金列入部门预算项目"]
    for u in per_unit:
        u["合计"] = sum((u[c] for c in sources), ZERO)
    for tid in ("表2", "表3"):
        columns = [c.name for c in SPEC.table(tid).columns]
        tables[tid] = Table(SPEC.table(tid), _units(tid, dept, per_unit, cell, columns))

    # 表10: the 专项业务经费 (一般公共预算 + 基金) over the 单位 and one or two projects each
    projects_total = special + fund_special
    rows10 = [Row(name="合计", key="合计", values={"项目金额": cell("表10", projects_total)})]
    unit_amounts = _spread(draw, projects_total, n_units)
    rows10.append(Row(name="测试局", code=dept, values={"项目金额": cell("表10", projects_total)}))
    for i, amount in enumerate(unit_amounts, start=1):
        code = f"{dept}{i:03d}"
        rows10.append(Row(name=f"测试单位{i}", code=code, values={"项目金额": cell("表10", amount)}))
        if amount:
            for k, part in enumerate(_spread(draw, amount, draw(st.integers(1, 2))), start=1):
                rows10.append(Row(name=f"项目{i}-{k}", unit_code=code, values={"项目金额": cell("表10", part)}))
    tables["表10"] = Table(SPEC.table("表10"), rows10)

    # 表11: a purchase or two, well within the spending
    rows11 = [Row(name=f"采购{k}", side="采购", values={"预算金额": cell("表11", draw(st.integers(0, int(fiscal * 10))) / D(100))},
                  texts={"采购项目": f"采购{k}"}) for k in range(draw(st.integers(0, 2)))]
    tables["表11"] = Table(SPEC.table("表11"), rows11)

    # 表12: 当年 = 表6's 三公/会议/培训 items (split over the 单位), 上年 random, 增减 = 当年 − 上年
    units12 = [dict() for _ in range(n_units)]
    for column, code in SANGONG.items():
        now = leaf6.get(code, {}).get("合计", ZERO) if code else ZERO
        for u, part in zip(units12, _spread(draw, now, n_units)):
            u[f"当年.{column}"] = part
            u[f"上年.{column}"] = maybe(draw, cents(0, 5_000), 50)
    for u in units12:
        for group in ("当年", "上年"):
            u[f"{group}.公务用车小计"] = u[f"{group}.公务用车购置费"] + u[f"{group}.公务用车运行维护费"]
            u[f"{group}.三公小计"] = (u[f"{group}.因公出国（境）费用"] + u[f"{group}.公务接待费"]
                                    + u[f"{group}.公务用车小计"])
            u[f"{group}.合计"] = u[f"{group}.三公小计"] + u[f"{group}.会议费"] + u[f"{group}.培训费"]
        for key in [k for k in u if k.startswith("当年.")]:
            item = key.split(".", 1)[1]
            u[f"增减变化情况.{item}"] = u[key] - u[f"上年.{item}"]
    columns12 = [c.name for c in SPEC.table("表12").columns]
    tables["表12"] = Table(SPEC.table("表12"), _units("表12", dept, units12, cell, columns12))

    # 表13–表15: forms whose money adds up
    a, b = draw(cents(0, 50_000)), maybe(draw, cents(0, 10_000))
    tables["表13"] = Table(SPEC.table("表13"), [
        _field("表13", "项目名称", cell, text="测试项目"), _field("表13", "实施期资金总额", cell, a + b),
        _field("表13", "财政拨款", cell, a), _field("表13", "其他资金", cell, b)])
    tasks = []
    for k in range(draw(st.integers(1, 3))):
        f, o = draw(cents(0, 50_000)), maybe(draw, cents(0, 10_000))
        tasks.append(Row(name=f"任务{k + 1}", side="任务", texts={"任务名称": f"任务{k + 1}"},
                         values={"总额": cell("表14", f + o), "财政拨款": cell("表14", f), "其他资金": cell("表14", o)}))
    sums = {c: sum((t.values[c].amount for t in tasks), ZERO) for c in ("总额", "财政拨款", "其他资金")}
    tasks.append(Row(name="金额合计", key="金额合计", side="任务", values={c: cell("表14", v) for c, v in sums.items()}))
    tables["表14"] = Table(SPEC.table("表14"), [_field("表14", "部门名称", cell, text="测试局"), *tasks])
    rows15 = [_field("表15", "项目名称", cell, text="测试专项")]
    for period in ("实施期", "年度"):
        a, b = draw(cents(0, 50_000)), maybe(draw, cents(0, 10_000))
        rows15 += [_field("表15", f"{period}资金总额", cell, a + b), _field("表15", f"{period}财政拨款", cell, a),
                   _field("表15", f"{period}其他资金", cell, b)]
    tables["表15"] = Table(SPEC.table("表15"), rows15)

    ordered = {tid: tables[tid] for tid in SPEC.tables}
    return Report(spec=SPEC, unit_name="测试局", year=YEAR, tables=ordered)
