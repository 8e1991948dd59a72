"""支出经济分类 as data: the two schemes a 部门预算 prints side by side — 部门预算支出经济分类 (301…) and
政府预算支出经济分类 (501…) — in 经济分类.csv, and which 政府 类 a 部门 类 may be booked to in 经济分类对照.csv.

Compiled from 《2023年政府收支分类科目》 (column `source` says where each row comes from). The 对照 is kept at
类 level on purpose: the item-level mapping differs between 机关 and 事业单位 and between provinces' 科目
editions, so only what holds everywhere is checked (a 301 row can be 501 or 505, never 509).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import msgspec

HERE = Path(__file__).parent
DEPARTMENT, GOVERNMENT = "部门", "政府"


class Entry(msgspec.Struct, frozen=True):
    """One 经济分类 科目 of a year's catalog (部门 or 政府 scheme): code and name."""

    year: int
    scheme: str  # 部门 / 政府
    code: str
    name: str
    level: str  # 类 / 款
    source: str


@lru_cache(maxsize=None)
def _entries() -> dict[tuple[str, str], list[Entry]]:
    out: dict[tuple[str, str], list[Entry]] = {}
    with (HERE / "经济分类.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            entry = Entry(int(row["year"]), row["scheme"], row["code"], row["name"], row["level"], row["source"])
            out.setdefault((entry.scheme, entry.code), []).append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: e.year)
    return out


@lru_cache(maxsize=None)
def _mapping() -> dict[tuple[int, str], tuple[str, ...]]:
    with (HERE / "经济分类对照.csv").open(encoding="utf-8", newline="") as fh:
        return {(int(r["year"]), r["部门类"]): tuple(r["政府类"].split()) for r in csv.DictReader(fh)}


def lookup(scheme: str, code: str, year: int) -> Entry | None:
    """The entry of the scheme (部门/政府) in force for the year: the latest not after it, else the earliest."""
    entries = _entries().get((scheme, str(code)))
    if not entries:
        return None
    earlier = [e for e in entries if e.year <= year]
    return earlier[-1] if earlier else entries[0]


def government_classes(department_code: str, year: int) -> tuple[str, ...]:
    """The 政府经济分类 类 codes a 部门经济分类 code (类 301 or 款 30101) may be booked to; () when unknown."""
    cls = str(department_code)[:3]
    known = sorted((y, c) for (y, c) in _mapping() if c == cls)
    if not known:
        return ()
    earlier = [k for k in known if k[0] <= year]
    return _mapping()[(earlier or known)[-1]]
