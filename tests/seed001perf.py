"""Seed 001's 绩效自评 tables (one 整体支出, nine 项目支出 绩效自评表) as structured data.

`load()` reads tests/fixtures/seeds/001_perf.yaml (a hand transcription of the tables printed in section 十三 of
咸阳市医疗保障局（汇总）2023 年度部门决算) into plain dicts: amounts and scores become Decimal (None where the cell
is printed empty, DASH where it prints "—"); 执行率 and every text stay as printed ("86.02%", "≥95%"). `rate()` reads
a printed 执行率 as a percentage. `cells()` gives a seed line's cells the way the transcription reads them, which
is what test_seed001_perf_fixture.py proves the YAML against.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SEED_001 = SEEDS / "001_b9c65a5f840ad048.txt"
PERF_001 = SEEDS / "001_perf.yaml"

DASH = "—"  # printed in 分值/得分 of the rows that are not scored
_PLAIN_AMOUNT = re.compile(r"^\d+(\.\d*)?$")  # "170." is printed in section 十三 (its decimals lost)
_RATE = re.compile(r"^(\d+(?:\.\d+)?)%?$")  # some tables print 执行率 without the % sign
_SPACE = re.compile(r"\s+")


def amount(raw: object) -> Decimal | None:
    if raw is None:
        return None
    text = str(raw)
    if not _PLAIN_AMOUNT.match(text):
        raise ValueError(f"001_perf.yaml: 金额“{text}”应为不带千分位的数字字符串")
    return Decimal(text)


def score(raw: object) -> Decimal | str | None:
    """分值 / 得分: Decimal, None (empty) or DASH (printed "—")."""
    return DASH if raw == DASH else amount(raw)


def rate(raw: str | None) -> Decimal | None:
    """A printed 执行率 as a percentage: "86.02%" -> 86.02; "90.38" (no % printed) -> 90.38."""
    if raw is None:
        return None
    found = _RATE.match(raw)
    if not found:
        raise ValueError(f"001_perf.yaml: 执行率“{raw}”不是百分数")
    return Decimal(found.group(1))


def _scored(row: dict) -> dict:
    return {**row, "分值": score(row["分值"]), "得分": score(row["得分"])}


def _fund(row: dict) -> dict:
    return _scored({**row, **{k: amount(row[k]) for k in ("年初预算数", "全年预算数", "全年执行数")}})


def _task(row: dict) -> dict:
    split = {k: {part: amount(v) for part, v in row[k].items()} for k in ("全年预算数", "全年执行数")}
    return _scored({**row, **split})


def _table(table: dict) -> dict:
    out = {**table, "指标": [_scored(r) for r in table["指标"]],
           "总分": {**table["总分"], "分值": amount(table["总分"]["分值"]), "得分": amount(table["总分"]["得分"])}}
    if "资金" in table:
        out["资金"] = [_fund(r) for r in table["资金"]]
    if "任务" in table:
        out["任务"] = [_task(r) for r in table["任务"]]
    return out


def _text(text: dict) -> dict:
    whole = text["整体"]
    return {
        **text,
        "涉及预算资金": {**text["涉及预算资金"], "金额": amount(text["涉及预算资金"]["金额"])},
        "整体": {**whole, "得分": amount(whole["得分"]),
                 "全年预算数": amount(whole["全年预算数"]), "执行数": amount(whole["执行数"])},
        "项目": [{**p, "全年预算数": amount(p["全年预算数"]), "执行数": amount(p["执行数"])} for p in text["项目"]],
    }


def load(path: Path = PERF_001) -> dict:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {**raw, "tables": [_table(t) for t in raw["tables"]], "text": _text(raw["text"])}


@cache
def _seed_lines(path: Path = SEED_001) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8").split("\n"))


def line(number: int) -> str:
    """Seed 001's text line `number` (1-based, as the YAML's `line` fields count)."""
    return _seed_lines()[number - 1]


def squeezed(text: str) -> str:
    return _SPACE.sub("", text)


def cells(number: int) -> list[str]:
    """The non-empty tab-separated cells of a seed line, whitespace removed (the YAML's reading of a cell)."""
    return [c for c in (squeezed(part) for part in line(number).split("\t")) if c]
