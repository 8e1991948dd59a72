"""政府收支分类科目 (function classification) as data: 功能分类.csv, one row per (year, code).

No public machine-readable catalog exists, so this one is compiled: every 类 of the year's 政府收支分类科目,
and every 款/项 printed in the seed documents (column `source` says where each row comes from). The format
takes a complete catalog later: append rows, one per year and code, no code change.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import msgspec

CATALOG = Path(__file__).with_name("功能分类.csv")


class Entry(msgspec.Struct, frozen=True):
    """One 功能分类 科目 of a year's catalog: code, name and level (类/款/项)."""

    year: int
    code: str
    name: str
    level: str  # 类 / 款 / 项
    source: str


@lru_cache(maxsize=None)
def _entries() -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = {}
    with CATALOG.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            entry = Entry(int(row["year"]), row["code"], row["name"], row["level"], row["source"])
            out.setdefault(entry.code, []).append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: e.year)
    return out


def lookup(code: str, year: int) -> Entry | None:
    """The entry in force for the year: the latest one not after it, else the earliest known."""
    entries = _entries().get(code)
    if not entries:
        return None
    earlier = [e for e in entries if e.year <= year]
    return earlier[-1] if earlier else entries[0]
