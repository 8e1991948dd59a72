"""部门预算 (表1–表15) rules, part 1: what every 预算 rule family shares, and the 表内 sums of the
two-sided 收支总表 (表1), 财政拨款收支总表 (表4) and 政府性基金收支表 (表9).

Those three tables print four blocks side by side — 收入, and 支出 by 功能分类, by 部门预算支出经济分类 and by
政府预算支出经济分类 — each adding up to its own totals, and the three 支出 blocks totalling the same money.
The rows are the spec's (templates/specs/yusuan-*.yaml), found by key within a block.

Where a 预算 relation ties a summary (表1, 表4) to the table it is drawn from (表2, 表3, 表5–表10), the finding
points at the summary's figure and names the detail figure in its message.
"""

from __future__ import annotations

import re

from ...amounts import ZERO
from ...model import CellRef, Report, Row, Table, Value
from ...specs import YUSUAN
from ..engine import Rule, Term, at_most, compare_equal, compare_sum, keep, rule, term

BUDGET = (YUSUAN,)
REF = "部门预算公开表（陕西部门综合预算 表1–表15）填报口径"
VALUE = "预算数"  # the single amount column of 表1/表4/表9
INCOME, FUNC, DEPT, GOV = "收入", "支出功能分类", "部门预算支出经济分类", "政府预算支出经济分类"
EXPENSE_SIDES = (FUNC, DEPT, GOV)
SIDE_NAMES = {INCOME: "收入", FUNC: "功能分类", DEPT: "部门经济分类", GOV: "政府经济分类"}
BASIC, SPECIAL = "基本.", "专项."  # key prefixes of the 部门经济分类 rows under 人员经费和公用经费 / 专项业务经费
_ORDINAL = re.compile(r"^\s*(?:[（(][0-9一二三四五六七八九十]+[)）]|[0-9一二三四五六七八九十]+\s*[、.．])\s*")


def budget_rule(id: str, title: str, formula: str, reference: str = REF, **kwargs):
    """A rule of the 部门预算 document kind."""
    return rule(id, title, formula, reference, kinds=BUDGET, **kwargs)


# ---------------------------------------------------------------- terms of the 预算 tables

def side_rows(table: Table, side: str) -> list[Row]:
    return [r for r in table.rows if r.side == side]


def side_row(table: Table, side: str, key: str) -> Row | None:
    return next((r for r in side_rows(table, side) if r.key == key), None)


def printed_label(row: Row) -> str:
    """The row's printed label without its numbering ("(1)工资福利支出" -> "工资福利支出"), and, in the
    部门经济分类 block, the part it is under (基本支出 / 专项业务经费)."""
    label = _ORDINAL.sub("", row.name).strip() or row.name
    if row.key and row.key.startswith(BASIC):
        return f"人员经费和公用经费·{label}"
    if row.key and row.key.startswith(SPECIAL):
        return f"专项业务经费·{label}"
    return label


def side_term(report: Report, tid: str, side: str, key: str) -> Term:
    """A figure of 表1/表4/表9 named as printed ("表1 部门经济分类 人员经费和公用经费支出"); a zero stand-in
    when this layout prints no such row."""
    table = report.table(tid)
    row = side_row(table, side, key)
    if row is None:
        return Term(table.spec.number, f"{SIDE_NAMES[side]} {key}（表中无此行）", "", Value(ZERO))
    return row_term(table, row)


def row_term(table: Table, row: Row) -> Term:
    name = SIDE_NAMES.get(row.side or "", row.side or "")
    return Term(table.spec.number, f"{name} {printed_label(row)}".strip(), "",
                row.values.get(VALUE) or Value(ZERO))


def zero_term(number: str, what: str, note: str = "（表中未列）") -> Term:
    """A figure a table does not print (no such row): compared as 0."""
    return Term(number, f"{what}{note}", "", Value(ZERO))


class Sum(Term, frozen=True):
    """Several printed figures added up and compared as one: the first one's cell stands for the sum, and
    a finding on it lists every cell (equal, within)."""

    part_cells: tuple[CellRef, ...] = ()


def cells_of(t: Term) -> list[CellRef]:
    return list(t.part_cells) if isinstance(t, Sum) else [c for c in (t.value.cell,) if c]


def combined(terms: list[Term]) -> Term:
    """Several printed figures added up, as one term: the figure itself when only one is non-zero (then
    the finding names that cell), else their sum, named after every part and carrying all their rounding."""
    nonzero = [t for t in terms if t.amount != 0]
    if len(nonzero) <= 1:
        return (nonzero or terms)[0]
    amount = sum((t.amount for t in nonzero), ZERO)
    label = " + ".join([nonzero[0].relative_to(None), *(t.label for t in nonzero[1:])])  # 表5 … + 表9 …
    return Sum(nonzero[0].table, label, "", Value(amount, nonzero[0].value.cell),
               parts=sum(t.parts for t in nonzero), part_cells=tuple(c for t in nonzero for c in cells_of(t)))


def _with_parts(found, *terms: Term):
    """The finding lists the cell of every figure a Sum adds up (a change in any of them shows there)."""
    if found is not None:
        found.cells += [c for t in terms for c in cells_of(t) if c not in found.cells]
    return found


def equal(r: Rule, pair: str, left: Term, right: Term, what: str = ""):
    """compare_equal (the finding points at `right`), Sums' cells listed."""
    return _with_parts(compare_equal(r, pair, left, right, what), left, right)


def within(r: Rule, pair: str, small: Term, big: Term, what: str = ""):
    """at_most: small ≤ big (the finding points at `small`), Sums' cells listed."""
    return _with_parts(at_most(r, pair, small, big, what), small, big)


def unit_tree(table: Table) -> tuple[list[Row], dict[str, list[Row]]]:
    """表2/表3/表10/表12: the 部门 rows (whose 单位编码 lies under no other printed code) and the 单位 rows
    under each code (324 -> 324001, 324002 …: the longest printed prefix is the parent)."""
    rows = [r for r in table.rows if r.code and not r.key]
    codes = sorted({r.code for r in rows}, key=len)
    children: dict[str, list[Row]] = {}
    top = []
    for row in rows:
        parents = [c for c in codes if c != row.code and row.code.startswith(c)]
        if parents:
            children.setdefault(max(parents, key=len), []).append(row)
        else:
            top.append(row)
    return top, children


def department_term(report: Report, tid: str, column: str) -> Term:
    """The 部门's figure of a 单位 table: its 部门 row (or the sum of the top rows when the table prints
    several, or 0 when it prints none)."""
    table = report.table(tid)
    top, _ = unit_tree(table)
    if not top:
        return zero_term(table.spec.number, f"部门行·{column}")
    return combined([term(report, tid, r, column) for r in top])


def equal_or_within(r: Rule, pair: str, summary: Term, detail: Term, exact: bool, what: str = ""):
    """summary = detail when `exact`, else detail ≤ summary (the summary holds more money than the detail
    table shows, e.g. 表1 all funds against 表4 财政拨款 only). The finding points at the summary."""
    if exact:
        return equal(r, pair, detail, summary, what)
    found = within(r, pair, detail, summary, what)
    if found is not None and summary.value.cell:
        found.cell = summary.value.cell  # the summary is what is read first; both cells are in `cells`
    return found


# ---------------------------------------------------------------- 表1 / 表4 / 表9 表内

def _coded(rows: list[Row]) -> list[str]:
    return [r.key for r in rows if r.code]


def _prefixed(prefix: str):
    return lambda rows: [r.key for r in rows if r.key and r.key.startswith(prefix)]


DEPT_TOTAL_PARTS = ["人员经费和公用经费支出", "专项业务经费支出", "上缴上级支出", "事业单位经营支出", "对附属单位补助支出"]
EXPENSE_SUMS = [  # (side, total key, part keys or a function of the side's rows giving them)
    (FUNC, "本年支出合计", _coded),
    (DEPT, "人员经费和公用经费支出", _prefixed(BASIC)),
    (DEPT, "专项业务经费支出", _prefixed(SPECIAL)),
    (DEPT, "本年支出合计", DEPT_TOTAL_PARTS),
    (GOV, "本年支出合计", _coded),
]
# (table, side, total key, parts) printed as sums in each table
SUMS = {
    "表1": [
        (INCOME, "财政拨款", ["一般公共预算拨款", "政府性基金拨款", "国有资本经营预算收入"]),
        (INCOME, "本年收入合计", ["财政拨款", "上级补助收入", "事业收入", "事业单位经营收入", "附属单位上缴收入", "其他收入"]),
        (INCOME, "收入总计", ["本年收入合计", "用事业基金弥补收支差额", "上年实户资金余额", "上年结转"]),
        *EXPENSE_SUMS,
        *[(s, "支出总计", ["本年支出合计", "结转下年", "未安排支出的实户资金"]) for s in EXPENSE_SIDES],
    ],
    "表4": [
        (INCOME, "本年收入合计", ["一般公共预算拨款", "政府性基金拨款", "国有资本经营预算收入"]),
        (INCOME, "收入总计", ["本年收入合计", "上年结转"]),
        *EXPENSE_SUMS,
        *[(s, "支出总计", ["本年支出合计", "结转下年"]) for s in EXPENSE_SIDES],
    ],
    "表9": [
        (INCOME, "本年收入合计", ["政府性基金拨款"]),
        *EXPENSE_SUMS,
    ],
}
# (table, [(side, key), …]): one quantity printed in several places of the table — the first is the reference
SAME = {
    "表1": [
        [(INCOME, "本年收入合计"), (INCOME, "部门预算")],
        [(FUNC, "本年支出合计"), (FUNC, "部门预算"), (DEPT, "部门预算"), (GOV, "部门预算"),
         (DEPT, "本年支出合计"), (GOV, "本年支出合计")],
        [(FUNC, "支出总计"), (DEPT, "支出总计"), (GOV, "支出总计"), (INCOME, "收入总计")],
    ],
    "表4": [
        [(INCOME, "本年收入合计"), (INCOME, "财政拨款")],
        [(FUNC, "本年支出合计"), (FUNC, "财政拨款"), (DEPT, "财政拨款"), (GOV, "财政拨款"),
         (DEPT, "本年支出合计"), (GOV, "本年支出合计")],
        [(FUNC, "支出总计"), (DEPT, "支出总计"), (GOV, "支出总计"), (INCOME, "收入总计")],
    ],
    "表9": [
        [(FUNC, "本年支出合计"), (DEPT, "本年支出合计"), (GOV, "本年支出合计")],
    ],
}


def side_sums(r: Rule, report: Report, tid: str, sides: tuple[str, ...]):
    table = report.table(tid)
    for side, total_key, parts in SUMS[tid]:
        if side not in sides:
            continue
        rows = side_rows(table, side)
        keys = parts(rows) if callable(parts) else parts
        total = side_row(table, side, total_key)
        present = [k for k in keys if side_row(table, side, k) is not None]
        if total is None or not present:
            continue  # a layout without this total
        yield from keep([compare_sum(r, tid, row_term(table, total),
                                     [side_term(report, tid, side, k) for k in present])])


def same_figures(r: Rule, report: Report, tid: str):
    table = report.table(tid)
    for group in SAME[tid]:
        printed = [(s, k) for s, k in group if side_row(table, s, k) is not None]
        if len(printed) < 2:
            continue
        first = side_term(report, tid, *printed[0])
        for side, key in printed[1:]:
            yield from keep([compare_equal(r, tid, first, side_term(report, tid, side, key))])


def _fixed_rule(id: str, tid: str, sides: tuple[str, ...], same: bool, title: str, formula: str,
                hint: str = "") -> None:
    """A 表内 rule of 表1/表4/表9: the sums of the given blocks, and (same) one total printed alike everywhere."""
    @budget_rule(id, title, formula, hint=hint)
    def check(r: Rule, report: Report):
        yield from side_sums(r, report, tid, sides)
        if same:
            yield from same_figures(r, report, tid)


for _args in [
    ("B01", "表1", (INCOME,), False, "表1 收入方 合计 = 各项收入之和",
     "财政拨款 = 一般公共预算拨款 + 政府性基金拨款 + 国有资本经营预算收入；本年收入合计 = 财政拨款 + 上级补助收入 + "
     "事业收入 + 事业单位经营收入 + 附属单位上缴收入 + 其他收入；收入总计 = 本年收入合计 + 用事业基金弥补收支差额 + "
     "上年实户资金余额 + 上年结转"),
    ("B02", "表1", EXPENSE_SIDES, False, "表1 支出方 三种分类各自合计",
     "功能分类：本年支出合计 = 各类之和；部门经济分类：人员经费和公用经费支出 = (1)～(4)，专项业务经费支出 = (1)～(10)，"
     "本年支出合计 = 1～5；政府经济分类：本年支出合计 = 各类之和；各分类：支出总计 = 本年支出合计 + 结转下年 + "
     "未安排支出的实户资金"),
    ("B03", "表1", (), True, "表1 各栏总数一致",
     "“一、部门预算” = 本年收入（支出）合计；三种支出分类的本年支出合计、支出总计相同；收入总计 = 支出总计",
     "同一总数在表1各栏不同：先看 B01、B02 哪一栏自身不平，再核对该栏各行。"),
    ("B04", "表4", (INCOME,), False, "表4 收入方 合计 = 各项财政拨款之和",
     "本年收入合计 = 一般公共预算拨款 + 政府性基金拨款 + 国有资本经营预算收入；收入总计 = 本年收入合计 + 上年结转"),
    ("B05", "表4", EXPENSE_SIDES, False, "表4 支出方 三种分类各自合计",
     "功能分类、政府经济分类：本年支出合计 = 各类之和；部门经济分类：人员经费和公用经费支出、专项业务经费支出 = 其下各项，"
     "本年支出合计 = 1～5；各分类：支出总计 = 本年支出合计 + 结转下年"),
    ("B06", "表4", (), True, "表4 各栏总数一致",
     "“一、财政拨款” = 本年收入（支出）合计；三种支出分类的本年支出合计、支出总计相同；收入总计 = 支出总计",
     "同一总数在表4各栏不同：先看 B04、B05 哪一栏自身不平，再核对该栏各行。"),
    ("B07", "表9", (INCOME, *EXPENSE_SIDES), True, "表9 各栏合计 = 各项之和，三种支出分类合计相同",
     "本年收入合计 = 政府性基金拨款；各支出分类：本年支出合计 = 各类（项）之和；三种分类的本年支出合计相同"),
]:
    _fixed_rule(*_args)
