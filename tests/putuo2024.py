"""The Shanghai reference (上海市普陀区财政局 2024 年度部门决算) as structured data, for the regions work.

`load()` reads tests/fixtures/reference/putuo_2024_tables.yaml (a hand transcription of the reference's nine
tables and of every figure in its 第三部分 情况说明) into plain dicts: table amounts and narrative values become
Decimal (None where a cell is printed empty), codes and line numbers stay as they are. `source_lines()` gives
the reference text, 1-based, which is what test_putuo2024_fixture.py proves the transcription against.
`figures()` flattens the narrative into id -> figure, and `table_value()` resolves a figure's `table` reference.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import yaml

TESTS = Path(__file__).parent
TABLES = TESTS / "fixtures" / "reference" / "putuo_2024_tables.yaml"
SOURCE = TESTS / "fixtures" / "reference" / "shanghai-putuo-caizhengju-2024-决算.txt"  # copy of ../shared/reference
TEMPLATE = TESTS / "fixtures" / "reference" / "shanghai-2024-决算公开模板.txt"  # the official template, copied too

_PLAIN_AMOUNT = re.compile(r"^\d+(\.\d+)?$")  # the YAML keeps amounts without thousands separators


def amount(raw: object) -> Decimal | None:
    if raw is None:
        return None
    text = str(raw)
    if not _PLAIN_AMOUNT.match(text):
        raise ValueError(f"putuo_2024_tables.yaml: 金额“{text}”应为不带千分位的数字字符串")
    return Decimal(text)


def _values(values: dict) -> dict:
    return {col: amount(v) for col, v in values.items()}


def _side_row(row: dict) -> dict:
    out = dict(row)
    if "amount" in row:
        out["amount"] = amount(row["amount"])
    if "values" in row:
        out["values"] = _values(row["values"])
    return out


def _table(table: dict) -> dict:
    out = dict(table)
    if "sides" in table:
        out["sides"] = {side: [_side_row(r) for r in rows] for side, rows in table["sides"].items()}
    if "rows" in table:
        out["rows"] = [{**r, "values": _values(r["values"])} for r in table["rows"]]
    for block in ("left", "right", "totals"):
        if block in table:
            out[block] = [{**r, "amount": amount(r["amount"])} for r in table[block]]
    for block in ("budget", "actual"):
        if block in table:
            out[block] = _values(table[block])
    return out


def _narrative(narrative: dict) -> dict:
    sections = {name: {**sec, "figures": [{**f, "value": amount(f["value"])} for f in sec["figures"]]}
                for name, sec in narrative["sections"].items()}
    return {**narrative, "sections": sections}


def _error(entry: dict) -> dict:
    return {**entry, "printed": amount(entry["printed"]), "recomputed": amount(entry["recomputed"])}


def load(path: Path = TABLES) -> dict:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {**raw,
            "tables": {name: _table(t) for name, t in raw["tables"].items()},
            "narrative": _narrative(raw["narrative"]),
            "known_errors": [_error(e) for e in raw["known_errors"]]}


def source_lines(path: Path = SOURCE) -> list[str]:
    """The reference text with a dummy line 0, so that lines[n] is line n as the YAML numbers it."""
    return ["", *path.read_text(encoding="utf-8").splitlines()]


def figures(data: dict) -> dict[str, dict]:
    """Narrative figure id -> figure (with its section name under "section")."""
    out: dict[str, dict] = {}
    for name, sec in data["narrative"]["sections"].items():
        for fig in sec["figures"]:
            if fig["id"] in out:
                raise ValueError(f"putuo_2024_tables.yaml: 重复的数字编号 {fig['id']}")
            out[fig["id"]] = {**fig, "section": name}
    return out


def table_value(data: dict, ref: list) -> Decimal | None:
    """[table, side/code/block, label/column] -> the amount the tables hold there."""
    name, where, what = ref
    table = data["tables"][name]
    if "sides" in table and where in table["sides"]:
        row = next(r for r in table["sides"][where] if r["label"] == what)
        return row["amount"] if "amount" in row else row["values"].get("合计")
    if "rows" in table:
        row = next(r for r in table["rows"] if r["code"] == where)
        return row["values"].get(what)
    if where in ("budget", "actual"):
        return table[where].get(what)
    return next(r["amount"] for r in table[where] if r.get("label", r.get("code")) == what)
