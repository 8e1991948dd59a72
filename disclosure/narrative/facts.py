"""Facts: every number the narrative prints, with the formula and the cells it comes from.

A Fact is a table figure, an input, or computed from other Facts (difference, share, growth, completion).
Percentages are computed on unrounded Decimals and rounded half-up to two places only when printed.
A Fact whose input is missing carries the input key instead of a value; printing it gives 【待填写：…】.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import msgspec
from msgspec import field

from ..amounts import ZERO
from ..model import CellRef

HUNDRED = Decimal(100)
PCT = Decimal("0.01")


class Missing(msgspec.Struct, frozen=True):
    """A 说明数据 item or reason the text needs but the workbook does not have yet."""

    key: str  # the input key, e.g. "上年.收入总计" or "原因.收支总计"
    label: str  # what to ask for in the check report and the GUI, naming where it is typed
    cell: CellRef | None = None
    ask: str = ""  # the same in the officer's words, for the printed text: no key, no cell

    @property
    def placeholder(self) -> str:
        """【待填写：医疗保障政策管理（项）决算数小于年初预算数的原因】: what is missing, in plain words. The
        cell stays with the check report (N01/N02) and the GUI, where it helps; in the document it would not."""
        return f"【待填写：{self.ask or self.label}】"


class Fact(msgspec.Struct, frozen=True):
    """A number the text prints, with the formula and the cells it comes from."""

    value: Decimal | None
    formula: str  # e.g. "公开01表 收入总计", "(本年 − 上年) ÷ 上年 × 100"
    cells: tuple[CellRef, ...] = ()
    kind: str = "amount"  # amount | percent | count
    op: str = ""  # how it was computed from operands: diff | share | growth | completion | sum
    operands: tuple["Fact", ...] = ()
    missing: tuple[Missing, ...] = ()

    @property
    def known(self) -> bool:
        return self.value is not None and not self.missing

    def rounded(self) -> Decimal:
        return self.value.quantize(PCT, rounding=ROUND_HALF_UP)  # type: ignore[union-attr]


def source(value: Decimal, formula: str, cell: CellRef | None, kind: str = "amount") -> Fact:
    return Fact(value, formula, (cell,) if cell else (), kind)


def absent(missing: Missing, formula: str = "", kind: str = "amount") -> Fact:
    return Fact(None, formula or missing.key, (), kind, missing=(missing,))


def _combine(op: str, formula: str, kind: str, value, *facts: Fact) -> Fact:
    miss = tuple(m for f in facts for m in f.missing)
    cells = tuple(c for f in facts for c in f.cells)
    return Fact(None if miss else value, formula, cells, kind, op, tuple(facts), miss)


def diff(a: Fact, b: Fact) -> Fact:
    value = a.value - b.value if a.known and b.known else None  # type: ignore[operator]
    return _combine("diff", f"{a.formula} − {b.formula}", "amount", value, a, b)


def total(*facts: Fact, formula: str | None = None) -> Fact:
    value = sum((f.value for f in facts), ZERO) if all(f.known for f in facts) else None  # type: ignore[misc]
    return _combine("sum", formula or " + ".join(f.formula for f in facts), "amount", value, *facts)


def ratio(op: str, a: Fact, b: Fact, formula: str) -> Fact | None:
    """a ÷ b × 100 (a percentage); None when b is 0 (no percent can be printed)."""
    if b.known and b.value == 0:
        return None
    value = a.value / b.value * HUNDRED if a.known and b.known else None  # type: ignore[operator]
    return _combine(op, formula, "percent", value, a, b)


def share(part: Fact, whole: Fact) -> Fact | None:
    return ratio("share", part, whole, f"{part.formula} ÷ {whole.formula} × 100")


def completion(actual: Fact, budget: Fact) -> Fact | None:
    return ratio("completion", actual, budget, f"{actual.formula} ÷ {budget.formula} × 100")


def growth(current: Fact, previous: Fact) -> Fact | None:
    """(本年 − 上年) ÷ 上年 × 100: always on last year's figure."""
    change = diff(current, previous)
    return ratio("growth", change, previous, f"({current.formula} − {previous.formula}) ÷ {previous.formula} × 100")


class FactUse(msgspec.Struct):
    """One printed number: in which section, as what text, from which Fact."""

    section: str
    text: str
    fact: Fact

    def to_json(self) -> dict:
        f = self.fact
        return {"section": self.section, "text": self.text,
                "value": None if f.value is None else format(f.rounded() if f.kind == "percent" else f.value, "f"),
                "formula": f.formula, "cells": [str(c) for c in f.cells], "kind": f.kind}


class Collector(msgspec.Struct):
    """What a rendering produced besides text: the facts printed and the inputs still missing."""

    uses: list[FactUse] = field(default_factory=list)
    missing: dict[str, Missing] = field(default_factory=dict)
    section: str = ""

    def note_missing(self, missing: tuple[Missing, ...]) -> None:
        for m in missing:
            self.missing.setdefault(m.key, m)
