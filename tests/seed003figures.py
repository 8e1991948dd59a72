"""Seed 003 (乌海市医疗保障局 2023 年度部门决算, Inner Mongolia) as structured figures, for the regions issue.

`load()` reads tests/fixtures/seeds/003_figures.yaml (a hand transcription of every figure the seed's 情况说明
states, its 绩效自评表 scores, the relations among them and the mismatches they give) into plain dicts with
Decimal amounts: each figure keeps `printed` (the string as printed) and gets `value` (its Decimal) and `signed`
(negative when the text says 减少). `lines()` is the seed text by 1-based line number and `number_tokens()` the
numbers a line prints, which is what test_seed003_fixture.py proves the transcription against.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import yaml

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SEED_003 = SEEDS / "003_175bcaedfa81a07e.txt"
FIGURES_003 = SEEDS / "003_figures.yaml"

_PLAIN_AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")  # the YAML keeps amounts without thousands separators
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NOT_COUNTED = re.compile(
    r"\d{4}\s*年"                            # years: 2023 年, 2023 年度, (2023年度)
    r"|\d{1,2}\s*月\s*\d{1,2}\s*日"           # dates: 12 月 31 日
    r"|^\s*\d+\s*[.、．](?!\d)"               # list numbers: 1. / 2.
    r"|[（(]\s*\d+\s*[)）](?!\s*%)"           # （1） / (2) — but not “增长（0%”
)
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")


def amount(raw: object) -> Decimal | None:
    if raw is None:
        return None
    text = str(raw)
    if not _PLAIN_AMOUNT.match(text):
        raise ValueError(f"003_figures.yaml: 金额“{text}”应为不带千分位的数字字符串")
    return Decimal(text)


def _figure(raw: dict, section: str) -> dict:
    value = amount(raw["value"])
    return {**raw, "section": section, "printed": str(raw["value"]), "value": value,
            "signed": -value if raw.get("direction") == "减少" else value}


def _project(raw: dict) -> dict:
    money = ("initial", "budget", "spent", "weight", "rate", "score", "total_weight", "total_score")
    return {
        "text": {**raw["text"], **{k: amount(v) for k, v in raw["text"].items() if k not in ("line", "name")}},
        "table": {**raw["table"], **{k: amount(raw["table"][k]) for k in money}},
        "indicators": [{"line": line, "name": name, "weight": amount(w), "score": amount(s)}
                       for line, name, w, s in raw["indicators"]],
    }


def load(path: Path = FIGURES_003) -> dict:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    figures: dict[str, dict] = {}
    for number, section in raw["sections"].items():
        for f in section["figures"]:
            if f["id"] in figures:
                raise ValueError(f"003_figures.yaml: 重复的编号 {f['id']}")
            figures[f["id"]] = _figure(f, number)
    errors = [{**e, "printed": amount(e["printed"]), "recomputed": amount(e["recomputed"])}
              for e in raw.get("known_errors", [])]
    return {**raw, "figures": figures, "projects": [_project(p) for p in raw["projects"]],
            "known_errors": errors,
            "not_figures": {int(k): [str(x) for x in v] for k, v in raw.get("not_figures", {}).items()}}


def lines(path: Path = SEED_003) -> dict[int, str]:
    return {n: text for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)}


def number_tokens(text: str) -> list[str]:
    """The numbers a narrative line prints, as printed (separators dropped), without years, dates, list numbers."""
    return _NUMBER.findall(_NOT_COUNTED.sub(" ", _THOUSANDS.sub("", text)))


def term(figures: dict, ref: str) -> Decimal:
    """A relation term: a figure id, or "-id" for its negation (signed values: 减少 is already negative)."""
    if ref.startswith("-"):
        return -figures[ref[1:]]["signed"]
    return figures[ref]["signed"]
