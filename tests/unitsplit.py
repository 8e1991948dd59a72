"""A 决算 report split into unit reports whose 汇总 is the report: the base figures (consolidate_derive.base_of)
shared out among the units in a smallest step (1 元 = 0.0001 万元, or 0.01 万元), every other figure derived
per unit, then (optionally) each unit's cells rounded to 0.01 万元 as its own export prints them.
Used by tests/test_consolidate.py and by tools/build_samples.py (the bundled 3-unit sample)."""

from __future__ import annotations

from msgspec.structs import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

from disclosure.consolidate_derive import Fig, base_of, derive, to_tables
from disclosure.model import Report, Table, Value

YUAN = Decimal("0.0001")  # 1 元 in 万元
CENT = Decimal("0.01")


def share(amount: Decimal, weights: list[int], step: Decimal) -> list[Decimal]:
    """amount shared by integer weights in whole steps (largest remainder: the parts add up exactly)."""
    units = int((amount / step).to_integral_value())
    total = sum(weights)
    if total == 0:
        return [Decimal(0)] * len(weights)
    raw = [units * w // total for w in weights]
    rest = units - sum(raw)
    order = sorted(range(len(weights)), key=lambda i: (-(units * weights[i] % total), i))
    for i in order[:rest]:
        raw[i] += 1
    return [Decimal(x) * step for x in raw]


def rounded(report: Report, places: Decimal = CENT) -> Report:
    """The report with every amount rounded half-up to 0.01 (as a unit's own export prints it)."""
    tables = {}
    for tid, table in report.tables.items():
        rows = [replace(r, values={c: Value(v.amount.quantize(places, ROUND_HALF_UP), v.cell)
                                   for c, v in r.values.items()}) for r in table.rows]
        tables[tid] = Table(table.spec, rows, table.sheet)
    return replace(report, tables=tables)


def split(report: Report, names: list[str], weights: Callable[[tuple], list[int]], step: Decimal = YUAN,
          round_units: bool = True) -> list[Report]:
    """Unit reports of `report`: base figure `key` shared by weights(key) (one integer per unit)."""
    base = base_of(report)
    parts: list[dict] = [{} for _ in names]
    for key, value in base.items():
        for i, amount in enumerate(share(value.amount, weights(key), step)):
            parts[i][key] = Fig(amount, int(amount != 0))
    units = []
    for name, unit_base in zip(names, parts):
        derived = derive(report.spec, unit_base)
        unit = Report(spec=report.spec, unit_name=name, year=report.year,
                      tables=to_tables(report.spec, derived.cells, {}, report.year))
        units.append(rounded(unit) if round_units else unit)
    return units
