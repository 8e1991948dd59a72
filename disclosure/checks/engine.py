"""The rule engine: a registry of rules, Findings for people, and sums compared with a rounding tolerance.

Every relation is "a printed total equals the sum of printed parts" (or "the same quantity printed in two
tables", or "a part is at most its whole"). Published tables are rounded to 0.01 万元 cell by cell, so n
rounded parts may miss their rounded total by up to n × 0.005, and two printings of one quantity by 0.01 or
more (compare_equal): that is a 尾差 (警告, with both numbers and the difference); anything larger is the
rule's own severity. Nothing is hidden.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Callable, Hashable, Iterable, Iterator

import msgspec
from msgspec import field

from ..amounts import ZERO, to_plain
from ..model import CellRef, Report, Row, Table, Value
from ..specs import JUESUAN

ERROR, WARNING, INFO = "错误", "警告", "提示"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
HALF_CENT = Decimal("0.005")


class Finding(msgspec.Struct):
    """One problem a rule found: where to look first, what it says, and the figures compared."""

    rule: str
    severity: str
    table: str  # "03", or "01/03" for a relation between tables
    cell: CellRef | None  # the cell to look at first (the total, or the later table's figure)
    message: str
    expected: Decimal | None = None
    actual: Decimal | None = None
    cells: list[CellRef] = field(default_factory=list)  # every cell the relation reads
    title: str = ""
    hint: str = ""
    ack: "Acknowledgement | None" = None  # the officer's, from acks.py; None if never acknowledged  # noqa: F821

    @property
    def difference(self) -> Decimal | None:
        if self.expected is None or self.actual is None:
            return None
        return self.actual - self.expected

    def to_json(self) -> dict:
        def dec(x: Decimal | None) -> str | None:
            return None if x is None else to_plain(x)

        return {
            "rule": self.rule, "severity": self.severity, "table": self.table,
            "cell": str(self.cell) if self.cell else None, "message": self.message,
            "expected": dec(self.expected), "actual": dec(self.actual), "difference": dec(self.difference),
            "title": self.title, "hint": self.hint, "cells": [str(c) for c in self.cells],
            "ack": self.ack.to_json() if self.ack else None,
        }


class Rule(msgspec.Struct, frozen=True):
    """A registered rule: its id, wording, severity and the function that checks a report."""

    id: str
    title: str
    severity: str  # severity when the relation fails beyond rounding
    formula: str
    reference: str
    hint: str
    func: Callable[["Rule", Report], Iterable[Finding]]
    kinds: tuple[str, ...] = (JUESUAN,)  # the document kinds (部门决算, 部门预算) the rule applies to

    def check(self, report: Report) -> list[Finding]:
        return list(self.func(self, report))


RULES: dict[str, Rule] = {}


def rule(id: str, title: str, formula: str, reference: str, severity: str = ERROR, hint: str = "",
         kinds: tuple[str, ...] = (JUESUAN,)):
    """Register a rule. The function yields Findings; `Rule.sum`-style helpers below build them.
    `kinds`: the document kinds whose reports it checks (run() skips it for any other kind)."""
    def register(func: Callable[[Rule, Report], Iterable[Finding]]) -> Callable:
        if id in RULES:
            raise ValueError(f"rule id {id} registered twice")
        RULES[id] = Rule(id, title, severity, formula, reference,
                         hint or "核对该单元格与相关各数，改正录入错误后重新校验。", func, tuple(kinds))
        return func
    return register


# ---------------------------------------------------------------- terms and comparisons

class Term(msgspec.Struct, frozen=True):
    """One printed figure in a relation: where it stands (table, row, column) and its value and cell."""

    table: str  # 公开03表
    row: str  # "208 社会保障和就业支出", "本年支出合计"
    column: str  # "" when the row has a single amount
    value: Value
    sign: str = ""
    # how many rounded figures the printing program added up to get this one (the 款 under a 类, the
    # 类 under 合计): each may carry up to 0.005 of rounding, so two printings of the same quantity
    # may differ by that much more (see compare_equal)
    parts: int = 1

    @property
    def amount(self) -> Decimal:
        return self.value.amount

    @property
    def label(self) -> str:
        return f"{self.sign}{self.table} {self.relative_to(None)}"

    def relative_to(self, other: "Term | None") -> str:
        """The shortest name that is clear next to `other` (the total it is compared with)."""
        if other is not None and (other.table, other.row) == (self.table, self.row) and self.column:
            return f"{self.sign}{self.column}"
        text = f"{self.row}·{self.column}" if self.column else self.row
        if other is not None and other.table == self.table:
            return f"{self.sign}{text}"
        return f"{self.sign}{self.table} {text}" if other is not None else text

    def negated(self) -> "Term":
        """The same figure subtracted (for balances such as 年末 = 年初 + 收入 − 支出)."""
        return Term(self.table, self.row, self.column, Value(-self.value.amount, self.value.cell), "−", self.parts)


def term(report: Report, table_id: str, row: Row, column: str) -> Term:
    # a figure is a term of several relations (a row's total, its parent's part, a cross-table check):
    # built once per run() (issue 18); the memo keeps the row alive, so its id() is not reused meanwhile.
    # once_per_run written out: ~1,500 calls a report, the lambda and the call were a tenth of the checks
    memo = _run_memo.get()
    if memo is None:
        return _term(report, table_id, row, column)
    key = ("term", table_id, id(row), column)
    kept = memo.get(key)
    if kept is None:
        kept = memo[key] = (row, _term(report, table_id, row, column))
    return kept[1]


def _term(report: Report, table_id: str, row: Row, column: str) -> Term:
    table = report.table(table_id)
    single = len(row.values) == 1 or table.spec.kind == "economic"
    return Term(table.spec.number, _row_label(row), "" if single else column, row.values.get(column) or Value(ZERO),
                parts=_rounded_parts(table, row, column))


def _rounded_parts(table: Table, row: Row, column: str) -> int:
    """In a coded table, the non-blank lowest rows (项, or a 款/类 printed with nothing under it) a 类, 款 or
    合计 row adds up: a program that prints each level as the sum of the rounded level below carries the
    rounding of every one of them. 1 for a row that sums nothing, and in other tables."""
    if table.spec.kind != "coded" or not (row.key == "合计" or row.code and len(row.code) < 7):
        return 1
    prefix = "" if row.key == "合计" else row.code
    # counted once per run() for each row and column: every 类/款/合计 term asks, several rules ask for the
    # same one (batch speed, issue 18); the memo keeps the table alive, so no other table can get its id()
    return once_per_run(("rounded parts", id(table), prefix, column),
                        lambda: (table, _count_rounded(table, prefix, column)))[1]


def _count_rounded(table: Table, prefix: str, column: str) -> int:
    _, lowest = once_per_run(("lowest rows", id(table)), lambda: (table, _lowest_rows(table)))
    leaves = [r for r in lowest if r.code != prefix and r.code.startswith(prefix)]
    return max(1, sum(1 for r in leaves if r.amount(column) != 0))


def _lowest_rows(table: Table) -> list[Row]:
    """The coded rows no other code lies under."""
    codes = [r.code for r in table.code_rows() if r.code]
    return [r for r in table.code_rows() if r.code and not any(c != r.code and c.startswith(r.code) for c in codes)]


def find_row(table: Table, key_or_code: str, side: str | None = None) -> Row | None:
    """table.row(key_or_code, side), looked up in an index built once per run(): a rule that looks up every
    item of 06 would else scan the table for each (issue 18)."""
    _, index = once_per_run(("row index", id(table)), lambda: (table, _row_index(table)))
    return index.get((key_or_code, side))


def _row_index(table: Table) -> dict[tuple[str, str | None], Row]:
    """(key or code, side or None) -> the first row that table.row() would find for it."""
    index: dict[tuple[str, str | None], Row] = {}
    for r in table.rows:
        for name in (r.key, r.code):
            if name is not None:
                index.setdefault((name, None), r)
                index.setdefault((name, r.side), r)
    return index


def _row_label(row: Row) -> str:
    if row.code and not row.key:
        return f"{row.code} {row.name}"
    return row.key or row.name


def money(x: Decimal) -> str:
    return f"{x:,.2f}" if x == x.quantize(Decimal("0.01")) else f"{x:,}"


def compare_sum(r: Rule, table: str, total: Term, parts: list[Term], what: str = "",
                rounded: int | None = None) -> Finding | None:
    """total = Σ parts, within n × 0.005 for n non-blank parts (a 尾差); None when it holds exactly.
    `rounded` overrides n (compare_equal counts the figures summed on either side)."""
    expected = sum((p.amount for p in parts), ZERO)
    diff = total.amount - expected
    if diff == 0:
        return None
    n = rounded or max(1, sum(1 for p in parts if p.amount != 0))
    if rounded is None and total.parts > 1 and all((p.table, p.row) == (total.table, total.row) for p in parts):
        # across the columns of a 类 or 合计 row whose figures are each a sum of rounded rows below:
        # every one of those rows may bring its own row's rounding
        n *= total.parts
    elif rounded is None and total.parts > 1 and all(p.table != total.table for p in parts):
        # a total printed as the sum of its own table's rounded rows, against figures of another table:
        # both sides carry their rounding (05 合计·基本 of 项 rows against 06 人员 + 公用)
        n = total.parts + sum(p.parts for p in parts if p.amount != 0)
    tolerance = n * HALF_CENT
    shown = [p for p in parts if p.amount != 0] or parts[:1]
    if not shown:
        rhs = "所列科目之和"
    elif len(shown) <= 4:
        # a subtracted term shows its printed figure after the minus: "− 本年支出合计 2,363.01"
        rhs = " + ".join(f"{p.relative_to(total)} {money(-p.amount if p.sign else p.amount)}" for p in shown)
    else:
        rhs = f"{len(shown)} 项之和"
    head = f"{what}：" if what else ""
    if abs(diff) <= tolerance:
        severity = WARNING
        tail = f"相差 {money(diff)}，在 {n} 项四舍五入的尾差范围（±{money(tolerance)}）内"
        head = "尾差：" + head
    else:
        severity = r.severity
        tail = f"相差 {money(diff)}，超出尾差范围（{n} 项最多 ±{money(tolerance)}）"
    rhs = rhs.replace(" + −", " − ")
    message = f"{head}{total.label} 为 {money(total.amount)}，而 {rhs} = {money(expected)}，{tail}"
    cells = [c for c in (total.value.cell, *(p.value.cell for p in parts)) if c]
    # a total missing from its table (a 类 row not printed) leaves the parts to point at
    return Finding(rule=r.id, severity=severity, table=table, cell=cells[0] if cells else None, message=message,
                   expected=expected, actual=total.amount, cells=cells, title=r.title, hint=r.hint)


def compare_equal(r: Rule, table: str, left: Term, right: Term, what: str = "") -> Finding | None:
    """The same quantity printed in two places; the finding points at the right-hand (later) one.

    Each printing is rounded to 0.01 on its own, and a program that prints a 类 as the sum of its rounded 款
    adds their rounding too: up to n × 0.005 apart, n = the larger count of figures summed on either side,
    at least 2 (two independent roundings of one amount can differ by 0.01). Within that: a 尾差 警告."""
    n = max(2, left.parts, right.parts)
    f = compare_sum(r, table, right, [left], what, rounded=n)
    if f:
        diff = right.amount - left.amount
        tail = (f"，在四舍五入的尾差范围（±{money(n * HALF_CENT)}）内" if f.severity == WARNING
                else f"，超出尾差范围（±{money(n * HALF_CENT)}）")
        f.message = (f"{'尾差：' if f.severity == WARNING else ''}{what + '：' if what else ''}"
                     f"{right.label} 为 {money(right.amount)}，应与 "
                     f"{left.label} {money(left.amount)} 相等，相差 {money(diff)}{tail}")
    return f


def at_most(r: Rule, table: str, small: Term, big: Term, what: str = "", severity: str | None = None) -> Finding | None:
    """small ≤ big (the part cannot exceed the whole); by no more than rounding, a 尾差 警告 (as compare_equal)."""
    if small.amount <= big.amount:
        return None
    diff = small.amount - big.amount
    tolerance = max(2, small.parts, big.parts) * HALF_CENT
    message = (f"{what + '：' if what else ''}{small.label} {money(small.amount)} 大于 {big.label} "
               f"{money(big.amount)}，多出 {money(diff)}")
    if diff <= tolerance:
        severity = WARNING
        message = f"尾差：{message}，在四舍五入的尾差范围（±{money(tolerance)}）内"
    return Finding(rule=r.id, severity=severity or r.severity, table=table, cell=small.value.cell,
                   message=message, expected=big.amount, actual=small.amount,
                   cells=[c for c in (small.value.cell, big.value.cell) if c], title=r.title, hint=r.hint)


def keep(findings: Iterable[Finding | None]) -> Iterator[Finding]:
    return (f for f in findings if f is not None)


# ---------------------------------------------------------------- running

_run_memo: ContextVar[dict | None] = ContextVar("check_run_memo", default=None)


def once_per_run(key: Hashable, compute: Callable[[], object]):
    """A value several rules need (e.g. the rendered narrative), computed once per run()."""
    memo = _run_memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


@contextmanager
def one_run(report: Report):
    """Check, narrative and lint of one report as one run: what they each compute from the report (the
    rendered 情况说明 above all) is computed once (the export does all three; issue 18)."""
    outer = _run_memo.get()
    token = None if outer is not None and outer.get("report") is report else _run_memo.set({"report": report})
    try:
        yield
    finally:
        if token is not None:
            _run_memo.reset(token)


def applicable(report: Report, rules: Iterable[Rule] | None = None) -> list[Rule]:
    """The rules (all registered ones unless given) that check a report of this document kind."""
    return [r for r in (rules or RULES.values()) if report.kind in r.kinds]


def run(report: Report, rules: Iterable[Rule] | None = None) -> list[Finding]:
    """All findings, most severe first, then by table and cell.

    A run inside a rule on the same report (the narrative's 尾差 note re-reads the table relations) shares
    the outer run's memo, so each rule checks the report once however many runs ask for it (issue 18: a
    check used to run every table rule twice); a run on another report gets a memo of its own."""
    from . import rules as _registered  # noqa: F401  (importing registers every rule family)
    from ..kinds import CHECKS, require  # a 预算 report is refused until its rules land (kinds.py)

    require(report, CHECKS)
    findings: list[Finding] = []
    with one_run(report):
        for r in applicable(report, rules):
            findings.extend(once_per_run(("rule", r.id), lambda: r.check(report)))
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.table, f.rule, _cell_key(f.cell)))


def _cell_key(cell: CellRef | None) -> tuple:
    if cell is None:
        return ("", 0, "")
    letters = "".join(ch for ch in cell.coord if ch.isalpha())
    digits = "".join(ch for ch in cell.coord if ch.isdigit())
    return (cell.sheet, int(digits or 0), letters)
