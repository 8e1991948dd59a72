"""Proves tests/fixtures/seeds/003_figures.yaml against seed 003's text, and its known_errors against arithmetic.

Every number a narrative line of 第二部分 prints (years, dates and list numbers aside) is a transcribed figure
of that line, as often as it is printed, and vice versa; the 自评表 rows carry their transcribed amounts and
scores. Then every relation is recomputed (sums exactly, rates rounded half up to the printed decimals, on the
base the relation names) and the mismatches must be exactly the fixture's known_errors — each classed 尾差 when
元 amounts that round to the printed 万元 figures can give the printed result, else 错误.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest

import seed003figures as s3

DATA = s3.load()
FIGURES = DATA["figures"]
LINES = s3.lines()
RELATIONS = DATA["relations"]
HALF_CENT = Decimal("0.005")
ZERO = Decimal("0")
D = Decimal

FIRST, LAST = 105, 450  # 第二部分 部门决算情况说明: 一 … 十四 (三) 部门项目绩效评价结果


def _tabbed(n: int) -> bool:
    return "\t" in LINES[n]  # a 自评表 row (tab separated), proved separately below


def _transcribed_by_line() -> dict[int, Counter]:
    held: dict[int, Counter] = {}
    for f in FIGURES.values():
        held.setdefault(f["line"], Counter())[f["printed"]] += 1
    for p in DATA["projects"]:
        t = p["text"]
        held.setdefault(t["line"], Counter()).update(str(t[k]) for k in ("score", "budget", "spent", "rate"))
    for line, tokens in DATA["not_figures"].items():
        held.setdefault(line, Counter()).update(tokens)
    return held


# --- the transcription is the text ---

def test_header_and_table_list_are_the_seeds():
    assert (DATA["unit"], DATA["year"], DATA["kind"]) == ("乌海市医疗保障局", 2023, "部门决算")
    assert [t["number"] for t in DATA["tables"]] == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    for t in DATA["tables"]:
        assert LINES[t["line"]].strip() == f"{t['number']}、{t['title']}"
    specs = [t["spec"] for t in DATA["tables"] if t["spec"]]
    assert specs == [f"{n:02d}" for n in range(1, 10)]  # the nine national tables, in order; 七 and 十一 extra


def test_sections_are_the_fourteen_headings_in_order():
    numbers = list(DATA["sections"])
    assert numbers == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四"]
    lines = [s["line"] for s in DATA["sections"].values()]
    assert lines == sorted(lines) and lines[0] == FIRST
    for number, section in DATA["sections"].items():
        assert LINES[section["line"]].strip() == f"{number}、{section['title']}", number
        following = [s["line"] for s in DATA["sections"].values() if s["line"] > section["line"]]
        end = min(following, default=LAST + 1)
        for f in section["figures"]:
            # 十四's last figure is in 项目5's 自评综述 (line 419), inside its own section
            assert section["line"] < f["line"] < end, f["id"]


@pytest.mark.parametrize("fid", sorted(FIGURES))
def test_each_figure_is_printed_on_its_line(fid):
    f = FIGURES[fid]
    assert f["printed"] in s3.number_tokens(LINES[f["line"]]), (fid, f["line"])
    if f.get("direction") in ("增加", "减少"):
        assert f["direction"] in LINES[f["line"]], fid


def test_every_number_of_the_narrative_is_transcribed_and_nothing_else():
    held = _transcribed_by_line()
    printed = {n: Counter(s3.number_tokens(LINES[n])) for n in range(FIRST, LAST + 1) if not _tabbed(n)}
    printed = {n: c for n, c in printed.items() if c}
    assert {n: printed[n] - held.get(n, Counter()) for n in printed if printed[n] - held.get(n, Counter())} == {}
    assert {n: held[n] - printed.get(n, Counter()) for n in held if held[n] - printed.get(n, Counter())} == {}


def test_the_number_check_sees_separators_and_skips_years_dates_and_list_numbers():
    # guards the test above against a tokeniser that finds nothing or finds too much
    assert s3.number_tokens(LINES[107]) == ["2251.27", "1236.40", "121.83", "15.82", "0.71"]
    assert s3.number_tokens(LINES[257]) == ["0.00", "0", "0.00", "0"]  # （2）, 2023 年 12 月 31 日 dropped
    assert s3.number_tokens(LINES[295]) == ["99.66", "10", "9.66", "96.6"]  # 1. dropped
    assert s3.number_tokens(LINES[297]) == ["100"]  # “未100%使用”, a not_figure
    assert sum(len(s3.number_tokens(LINES[n])) for n in range(FIRST, LAST + 1) if not _tabbed(n)) > 250


def _fields(n: int) -> list[str]:
    return [f.strip() for f in LINES[n].split("\t") if f.strip()]


def test_self_evaluation_tables_carry_the_transcribed_funds_and_totals():
    for p in DATA["projects"]:
        t = p["table"]
        assert t["name"] in _fields(t["name_line"]), t["name"]
        assert t["department"] in LINES[t["department_line"]], t["department"]
        funds = _fields(t["funds_line"])
        assert funds[0] == "年度资金总额"
        assert funds[1:] == [str(t[k]) for k in ("initial", "budget", "spent", "weight", "rate", "score")], t["name"]
        total = _fields(t["total_line"])
        assert total == ["总分", str(t["total_weight"]), str(t["total_score"])], t["name"]


def test_self_evaluation_indicators_are_every_row_with_their_weight_and_score():
    for p in DATA["projects"]:
        rows = p["indicators"]
        t = p["table"]
        header = next(n for n in range(t["funds_line"], t["total_line"]) if LINES[n].startswith("绩效指标\t一级指标"))
        assert [r["line"] for r in rows] == list(range(header + 1, t["total_line"])), t["name"]
        for r in rows:
            fields = _fields(r["line"])
            after = fields[fields.index(r["name"]) + 1:]
            assert after[0] in ("正向", "反向", "定性"), r
            while not re.fullmatch(r"\d+(\.\d+)?", after[-1]):  # drop the 偏差原因 text
                after.pop()
            expected = [str(r["weight"])] + ([str(r["score"])] if r["score"] is not None else [])
            assert after[-len(expected):] == expected, r


# --- the arithmetic: recompute every relation, compare with known_errors ---

def _sum(refs: list[str], figures=FIGURES) -> Decimal:
    return sum((s3.term(figures, r) for r in refs), ZERO)


def _quantum(printed: str) -> Decimal:
    return Decimal(1).scaleb(-len(printed.split(".")[1])) if "." in printed else Decimal(1)


def _round(x: Decimal, printed: str) -> Decimal:
    return x.quantize(_quantum(printed), rounding=ROUND_HALF_UP)


def _tolerance(fid: str) -> Decimal:
    return HALF_CENT if FIGURES[fid]["unit"] == "万元" else ZERO


def _ids(refs: list[str]) -> list[str]:
    return list(dict.fromkeys(r.lstrip("-") for r in refs))


def _rate_attainable(rel: dict) -> bool:
    """Can 元 amounts that round to the printed 万元 figures give the printed (rounded) rate?

    A ratio of sums is monotone in each amount, so its extremes over the rounding box lie at the corners."""
    printed = FIGURES[rel["rate"]]
    ids = _ids(rel["num"] + rel["den"])
    ratios = []
    for signs in itertools.product((-1, 1), repeat=len(ids)):
        moved = {i: {**FIGURES[i], "signed": FIGURES[i]["signed"] + s * _tolerance(i)} for i, s in zip(ids, signs)}
        figures = {**FIGURES, **moved}
        ratios.append(_sum(rel["num"], figures) / _sum(rel["den"], figures) * 100)
    half = _quantum(printed["printed"]) / 2
    return min(ratios) <= printed["signed"] + half and max(ratios) >= printed["signed"] - half


def _relation_mismatch(rel: dict) -> dict | None:
    if "equal" in rel:
        left, right = rel["equal"]
        a, b = _sum(left), _sum(right)
        if a == b:
            return None
        slack = sum((_tolerance(i) for i in _ids(left + right)), ZERO)
        return {"relation": rel["id"], "printed": a, "recomputed": b,
                "kind": "尾差" if abs(a - b) <= slack else "错误"}
    rate = FIGURES[rel["rate"]]
    den = _sum(rel["den"])
    assert (den == ZERO) == bool(rel.get("zero_base")), rel["id"]
    if den == ZERO:
        return None  # no base: listed as zero_base, the narrative should say 无可比性
    recomputed = _round(_sum(rel["num"]) / den * 100, rate["printed"])
    if recomputed == rate["signed"]:
        return None
    return {"relation": rel["id"], "printed": abs(rate["signed"]), "recomputed": abs(recomputed),
            "kind": "尾差" if _rate_attainable(rel) else "错误"}


def _project_mismatches() -> list[dict]:
    out = []

    def check(rid, printed, recomputed):
        if printed != recomputed:
            out.append({"relation": rid, "printed": printed, "recomputed": recomputed, "kind": "错误"})

    for n, p in enumerate(DATA["projects"], start=1):
        text, table, rows = p["text"], p["table"], p["indicators"]
        check(f"p{n}.text_rate", text["rate"], _round(text["spent"] / text["budget"] * 100, str(text["rate"])))
        check(f"p{n}.table_rate", table["rate"], _round(table["spent"] / table["budget"] * 100, str(table["rate"])))
        check(f"p{n}.rate_score", table["score"], _round(table["weight"] * table["rate"] / 100, "0.00"))
        check(f"p{n}.total_score", table["total_score"], sum((r["score"] or ZERO for r in rows), table["score"]))
        check(f"p{n}.total_weight", table["total_weight"], sum((r["weight"] for r in rows), table["weight"]))
        for key in ("score", "budget", "spent"):
            check(f"p{n}.text_{key}", text[key], table["total_score" if key == "score" else key])
        for r in rows:
            check(f"p{n}.{r['line']}.score_within_weight", r["score"] or ZERO, min(r["score"] or ZERO, r["weight"]))
    return out


def _recomputed_errors() -> list[dict]:
    found = [m for rel in RELATIONS if (m := _relation_mismatch(rel))]
    return found + _project_mismatches()


def test_every_rate_is_recomputed_by_exactly_one_relation_or_says_why_not():
    rated = Counter(rel["rate"] for rel in RELATIONS if "rate" in rel)
    rates = {fid for fid, f in FIGURES.items() if f["unit"] == "%"}
    assert set(rated) <= rates and all(c == 1 for c in rated.values())
    assert {fid for fid in rates - set(rated)} == {fid for fid in rates if FIGURES[fid].get("unchecked")}
    assert len(rated) > 40


def test_relations_name_only_transcribed_figures():
    ids = [rel["id"] for rel in RELATIONS]
    assert len(ids) == len(set(ids))
    for rel in RELATIONS:
        refs = rel.get("num", []) + rel.get("den", []) + [r for side in rel.get("equal", []) for r in side]
        assert refs and all(r.lstrip("-") in FIGURES for r in refs), rel["id"]


def test_known_errors_are_exactly_what_recomputation_gives():
    listed = [{k: e[k] for k in ("relation", "printed", "recomputed", "kind")} for e in DATA["known_errors"]]
    found = _recomputed_errors()
    key = lambda e: e["relation"]  # noqa: E731
    assert sorted(found, key=key) == sorted(listed, key=key)


def test_known_errors_point_at_the_line_of_their_printed_figure():
    by_rel = {rel["id"]: rel for rel in RELATIONS}
    for e in DATA["known_errors"]:
        rel = by_rel[e["relation"]]
        refs = [rel["rate"]] if "rate" in rel else [r.lstrip("-") for side in rel["equal"] for r in side]
        assert e["line"] in {FIGURES[r]["line"] for r in refs}, e["relation"]


def test_the_seed_misses_44_67_of_health_budget_and_otherwise_only_rounds():
    errors = {e["relation"]: e for e in DATA["known_errors"]}
    assert {r for r, e in errors.items() if e["kind"] == "错误"} == {"r5.c210_budget", "r5.budget_items"}
    assert errors["r5.c210_budget"]["printed"] - errors["r5.c210_budget"]["recomputed"] == D("44.67")
    assert errors["r5.budget_items"]["printed"] - errors["r5.budget_items"]["recomputed"] == D("44.66")
    # the cut-off 98.08 (28.69 ÷ 29.25 = 98.0855 %) is the narrative linter's L04
    assert _round(FIGURES["s5.i2101101"]["value"] / FIGURES["s5.i2101101_budget"]["value"] * 100, "0.00") == D("98.09")


def test_the_classifier_can_say_error_for_a_rate():
    # guards _rate_attainable: the same relation with a printed rate far outside rounding must be 错误
    rel = next(r for r in RELATIONS if r["id"] == "r8.rate")
    saved = FIGURES["s8.rate"]
    FIGURES["s8.rate"] = {**saved, "signed": D("80.36")}
    try:
        assert not _rate_attainable(rel)
    finally:
        FIGURES["s8.rate"] = saved
    assert _rate_attainable(rel)


def test_text_errors_are_printed_where_listed():
    for e in DATA["text_errors"]:
        assert e["text"] in LINES[e["line"]], e


def test_loader_keeps_printed_precision_signs_and_refuses_separators():
    assert str(FIGURES["s5.i2210201_budget"]["value"]) == "46.8"
    assert FIGURES["s1.carry_in_vs_last"]["signed"] == D("-3.41")
    assert FIGURES["s1.carry_in_vs_last_rate"]["signed"] == D("-100.00")
    assert s3.term(FIGURES, "-s5.c208_vs_budget") == D("16.15")
    assert s3.amount(None) is None
    with pytest.raises(ValueError, match="千分位"):
        s3.amount("2,251.27")
