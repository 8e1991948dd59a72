"""Seed 002 (绥德县医疗保障局 2023 年部门预算) as structured data, for the 部门预算 document kind.

`load()` reads tests/fixtures/seeds/002_tables.yaml (a hand transcription of the seed's 表1–表15) into plain
dicts, with every amount as Decimal (None where the cell is printed empty) and codes kept as strings.
`sections()` cuts the seed text into its table sections ("表1" … "表15"), which is what the transcription
is proved against in test_seed002_fixture.py.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import yaml

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SEED_002 = SEEDS / "002_e954535ff5e8a1d4.txt"
TABLES_002 = SEEDS / "002_tables.yaml"

_PLAIN_AMOUNT = re.compile(r"^\d+(\.\d+)?$")  # the YAML keeps amounts without thousands separators
_HEADING = re.compile(r"^\s*(表\d+)\s*$")


def amount(raw: object) -> Decimal | None:
    if raw is None:
        return None
    text = str(raw)
    if not _PLAIN_AMOUNT.match(text):
        raise ValueError(f"002_tables.yaml: 金额“{text}”应为不带千分位的数字字符串")
    return Decimal(text)


def _side_rows(rows: list[dict]) -> list[dict]:
    return [{"label": r["label"], "amount": amount(r["amount"])} for r in rows]


def _coded_rows(rows: list[dict]) -> list[dict]:
    return [{**r, "values": {col: amount(v) for col, v in r["values"].items()}} for r in rows]


def _money(record: dict, keys: tuple[str, ...]) -> dict:
    return {**record, **{k: amount(record[k]) for k in keys}}


def _table(table: dict) -> dict:
    if "sides" in table:
        return {**table, "sides": {side: _side_rows(rows) for side, rows in table["sides"].items()}}
    if "rows" in table:
        return {**table, "rows": _coded_rows(table["rows"])}
    out = dict(table)
    funds = table.get("funds")
    if funds is not None:  # 表13: flat; 表15: {实施期: {...}, 年度: {...}}
        nested = all(isinstance(v, dict) for v in funds.values())
        out["funds"] = ({period: {k: amount(v) for k, v in part.items()} for period, part in funds.items()}
                        if nested else {k: amount(v) for k, v in funds.items()})
    if "tasks" in table:  # 表14
        out["tasks"] = [_money(t, ("total", "fiscal", "other")) for t in table["tasks"]]
        out["total"] = _money(table["total"], ("total", "fiscal", "other"))
    return out


def load(path: Path = TABLES_002) -> dict:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {**raw, "tables": {name: _table(t) for name, t in raw["tables"].items()}}


def sections(path: Path = SEED_002) -> dict[str, list[str]]:
    """Table name -> the text lines after its "表N" heading, up to the next heading (or the end)."""
    out: dict[str, list[str]] = {}
    current: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = _HEADING.match(line)
        if heading:
            current = heading.group(1)
            out[current] = []
        elif current is not None:
            out[current].append(line)
    return out
