"""Proves tests/fixtures/seeds/001_perf.yaml against the seed text it was transcribed from.

Every number printed inside a table's lines (amounts, rates, scores, numeric 指标值) must be in the YAML as often
as it is printed, and vice versa; every row matches the cells of the line it names, in column order; every line
of an 指标 block is a row (or a lone level label), so the row counts are the printed ones. Section 十三's figures
are found in the lines the YAML names. The arithmetic tests then recompute every relation the 绩效 checks will
have (执行率 = B ÷ A, 执行率得分, 一级 weights, Σ 分值 = 100, 总分 = Σ 得分, 偏差原因, 十三 = table) and require
exactly the seed's own mistakes, listed under known_errors.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest
import yaml

import seed001perf
from seed001perf import DASH, cells, line, rate, squeezed

RAW = yaml.safe_load(seed001perf.PERF_001.read_text(encoding="utf-8"))  # the strings as transcribed
DATA = seed001perf.load()
TABLES = DATA["tables"]
TEXT = DATA["text"]
IDS = [t["id"] for t in TABLES]
BY_ID = {t["id"]: t for t in TABLES}

_NUMBER = re.compile(r"^\d+(\.\d+)?%?$")
_WEIGHT = re.compile(r"[（(](\d+)分[)）]")
CENT = Decimal("0.01")
ZERO = Decimal("0")
D = Decimal

FUND_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
LEVELS = ("一级指标", "二级指标", "三级指标")
VALUES = ("年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")


def _lines_of(row) -> list[int]:
    return row["line"] if isinstance(row["line"], list) else [row["line"]]


def _printed(value) -> str | None:
    """A loaded value back to the string the seed prints (Decimal keeps the printed digits)."""
    return None if value is None else str(value)


def _task_cells(task: dict) -> list:
    return [task["任务名称"], task["主要内容"], task["完成情况"], *task["全年预算数"].values(),
            *task["全年执行数"].values(), task["分值"], task["执行率"], task["得分"]]


def _table_numbers(table: dict) -> Counter:
    """Every value of one table that is printed as a number, as printed."""
    found: list = []
    for row in table.get("资金", []):
        found += [row[c] for c in FUND_COLUMNS]
    for task in table.get("任务", []):
        found += _task_cells(task)
    for row in table["指标"]:
        found += [row[c] for c in VALUES] + row.get("extra_cells", [])
    found += [table["总分"]["分值"], table["总分"]["得分"], *table.get("extra_cells", [])]
    return Counter(s for s in map(_printed, found) if s is not None and _NUMBER.match(s))


def _text_numbers(table: dict) -> Counter:
    first, last = table["lines"]
    return Counter(c for n in range(first, last + 1) for c in cells(n) if _NUMBER.match(c))


# --- the transcription against the text ---

def test_one_whole_and_nine_project_tables_in_the_seed_order():
    assert [t["kind"] for t in TABLES] == ["整体"] + ["项目"] * 9
    assert IDS == ["整体"] + [f"项目{n}" for n in range(1, 10)]
    # the tables the seed prints: every title line ending in 自评表 between 十三 and 十四
    start = next(n for n in range(1, 1000) if line(n).startswith("十三、"))
    end = next(n for n in range(start, 1000) if line(n).startswith("十四、"))
    titles = [n for n in range(start, end) if squeezed(line(n)).endswith("自评表")]
    assert titles == [t["lines"][0] for t in TABLES]
    assert [squeezed(line(n)) for n in titles] == [t["title"] for t in TABLES]
    spans = [t["lines"] for t in TABLES]
    assert all(a < b < c for (a, b), (c, _) in zip(spans, spans[1:]))


@pytest.mark.parametrize("table_id", IDS)
def test_every_printed_number_is_in_the_yaml_and_nothing_else(table_id):
    table = BY_ID[table_id]
    printed, held = _text_numbers(table), _table_numbers(table)
    assert printed - held == Counter(), f"{table_id}: printed but not transcribed"
    assert held - printed == Counter(), f"{table_id}: transcribed but not printed"


def test_the_number_check_sees_amounts_rates_and_scores():
    # guards the test above against a tokeniser that silently finds nothing
    whole = _text_numbers(BY_ID["整体"])
    assert whole["2747.12"] == 3 and whole["86.02%"] == 1 and whole["100"] == 1
    assert _text_numbers(BY_ID["项目6"])["279.72"] == 4  # two of them printed "279.7 2"
    assert sum(_text_numbers(t).total() for t in TABLES) > 350


@pytest.mark.parametrize("table_id", IDS)
def test_funds_and_tasks_are_their_printed_lines(table_id):
    table = BY_ID[table_id]
    for row in table.get("资金", []):
        expected = [row["项目"], *(_printed(row[c]) for c in FUND_COLUMNS)]
        assert cells(row["line"]) == [v for v in expected if v is not None], (table_id, row["line"])
    for task in table.get("任务", []):
        assert cells(task["line"]) == [v for v in map(_printed, _task_cells(task)) if v is not None], task["line"]
    if table["kind"] == "项目":
        assert [r["项目"].replace(":", "：") for r in table["资金"]] == [
            "年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"]


def _row_cells(row: dict) -> list[str]:
    first, *more = _lines_of(row)
    found = cells(first)
    if more:  # a wrapped 三级指标: its continuation is the only cell of the following line(s)
        tail = "".join(c for n in more for c in cells(n))
        at = len(found) - 1 - sum(1 for c in VALUES if row[c] is not None)
        found[at] += tail
    return found


def _is_subsequence(part: list, whole: list) -> bool:
    it = iter(whole)
    return all(any(p == w for w in it) for p in part)


def _split(row: dict) -> tuple[list[str], list[str]]:
    """A row's printed cells: (the level cells printed on its line, the value cells)."""
    found = _row_cells(row)
    cut = len(found) - sum(1 for c in VALUES if row[c] is not None) - len(row.get("extra_cells", []))
    return found[:cut], found[cut:]


@pytest.mark.parametrize("table_id", IDS)
def test_each_indicator_is_its_printed_line(table_id):
    for row in BY_ID[table_id]["指标"]:
        prefix, tail = _split(row)
        values = [_printed(row[c]) for c in VALUES if row[c] is not None]
        extra = row.get("extra_cells", [])
        where = (table_id, row["line"])
        if extra:  # a duplicated cell: which of the equal numbers is the extra one cannot be told
            assert Counter(tail) == Counter(values + extra), where
        else:
            assert tail == values, where
        levels = [row[k] for k in LEVELS if row[k] is not None]
        assert prefix and _is_subsequence(prefix, levels), where  # the levels printed on this line, in order
        assert prefix[-1] == levels[-1], where  # the deepest level is always printed on its own line


@pytest.mark.parametrize("table_id", IDS)
def test_levels_not_printed_on_a_row_are_the_merged_cell_above(table_id):
    rows = BY_ID[table_id]["指标"]
    for i, row in enumerate(rows):
        prefix, _ = _split(row)
        for level in ("一级指标", "二级指标"):
            if row[level] in prefix or (i and row[level] == rows[i - 1][level]):
                continue
            # else a merged 一级 cell whose label is printed lower down (项目2 line 387, 项目7 line 536)
            below = range(_lines_of(row)[-1] + 1, _lines_of(row)[-1] + 3)
            assert level == "一级指标" and any(row[level] in cells(n) for n in below), (table_id, row["line"], level)


@pytest.mark.parametrize("table_id", IDS)
def test_every_line_of_the_indicator_block_is_a_row(table_id):
    table = BY_ID[table_id]
    rows = table["指标"]
    row_lines = [n for r in rows for n in _lines_of(r)]
    assert row_lines == sorted(set(row_lines))
    level_labels = {r["一级指标"] for r in rows}
    for n in range(row_lines[0], table["总分"]["line"]):
        if n in row_lines or not cells(n):
            continue
        assert set(cells(n)) <= level_labels, (table_id, n)  # a merged 一级 cell's label on a line of its own
    header = max(n for n in range(table["lines"][0], row_lines[0]) if cells(n))
    assert "一级指标" in squeezed(line(header)), table_id  # no row left out above the first one


def test_indicator_row_counts():
    # the counts as the tables print them (level-only rows included), pinned so a dropped row cannot go unseen
    assert {t["id"]: len(t["指标"]) for t in TABLES} == {
        "整体": 12, "项目1": 12, "项目2": 21, "项目3": 11, "项目4": 8, "项目5": 7, "项目6": 7, "项目7": 14,
        "项目8": 12, "项目9": 9}


@pytest.mark.parametrize("table_id", IDS)
def test_names_goals_and_totals_are_printed(table_id):
    table = BY_ID[table_id]
    first, last = table["lines"]
    rows = [cells(n) for n in range(first, last + 1)]
    if table["kind"] == "整体":
        assert ["部门(单位)名称", table["名称"]] in rows
    else:
        assert ["项目名称", *([table["名称"]] if table["名称"] else [])] in rows
        assert ["主管部门", table["主管部门"], "实施单位", table["实施单位"]] in rows
    goals = table["年度总体目标"]
    assert [goals["预期目标"], goals["实际完成情况"]] in rows
    total = table["总分"]
    assert cells(total["line"]) == ["总分", str(total["分值"]), str(total["得分"])]


def _item_text(first: int) -> str:
    following = next(n for n in range(first + 1, first + 5) if line(n).strip())
    return squeezed(line(first) + line(following))


def test_section_13_figures_are_printed_where_the_yaml_says():
    listed = "、".join(TEXT["项目列表"]["名称"]) + "等9个一级项目"
    assert listed in squeezed(line(TEXT["项目列表"]["line"])) and listed in squeezed(line(271))
    money = TEXT["涉及预算资金"]
    assert f"涉及预算资金{money['金额']}万元，占单位预算项目支出总额的{money['占比']}" in squeezed(line(money["line"]))
    whole = TEXT["整体"]
    assert (f"自评得分{whole['得分']}，全年预算数{whole['全年预算数']}万元，执行数{whole['执行数']}万元，"
            f"完成预算的{whole['完成率']}") in squeezed(line(whole["line"]))
    assert [p["序号"] for p in TEXT["项目"]] == list(range(1, 10))
    for item in RAW["text"]["项目"]:  # the raw strings: "170." is printed so, Decimal would say "170"
        text = _item_text(item["line"])
        assert text.startswith(f"{item['序号']}.{item['名称']}项目绩效自评综述"), item["序号"]
        figures = rf"全年预算数{re.escape(item['全年预算数'])}万元[，,]执行数{re.escape(item['执行数'])}万元"
        assert re.search(figures + rf"[，,]完成预算的{re.escape(item['完成率'])}", text), item["序号"]


# --- the seed's own arithmetic, as transcribed: the findings the 绩效 checks must report ---

def _num(value) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def _scored_fund_row(table: dict) -> dict:
    """The row carrying the 执行率 score: a project's 年度资金总额, the 整体 table's 金额合计."""
    if table["kind"] == "整体":
        row = table["任务"][-1]
        assert row["任务名称"] == "金额合计"
        return {"项目": "金额合计", "全年预算数": row["全年预算数"]["总额"], "全年执行数": row["全年执行数"]["总额"],
                "分值": row["分值"], "执行率": row["执行率"], "得分": row["得分"], "line": row["line"]}
    return table["资金"][0]


def _rate_rows(table: dict):
    for task in table.get("任务", []):
        yield {"全年预算数": task["全年预算数"]["总额"], "全年执行数": task["全年执行数"]["总额"],
               "分值": task["分值"], "执行率": task["执行率"], "得分": task["得分"], "line": task["line"]}
    yield from table.get("资金", [])


def _percent(b: Decimal, a: Decimal) -> Decimal:
    return (b / a * 100).quantize(CENT, ROUND_HALF_UP)


def _findings() -> set[tuple]:
    """(table, rule, line, found, expected) for every relation the tables break; strings as printed."""
    out: set[tuple] = set()
    for table in TABLES:
        tid = table["id"]
        for row in _rate_rows(table):
            a, b = row["全年预算数"], row["全年执行数"]
            if not a or b is None:
                continue
            printed = rate(row["执行率"])
            if printed is not None and printed != _percent(b, a):
                out.add((tid, "执行率≠B÷A", row["line"], row["执行率"], f"{_percent(b, a)}%"))
            weight, got = _num(row["分值"]), _num(row["得分"])
            if weight is not None and got is not None:
                due = (weight * min(b / a, Decimal(1))).quantize(CENT, ROUND_HALF_UP)
                if got != due:
                    out.add((tid, "执行率得分≠分值×执行率", row["line"], str(got), str(due)))
        rows = table["指标"]
        for label in dict.fromkeys(r["一级指标"] for r in rows):
            group = [r for r in rows if r["一级指标"] == label]
            weight = _WEIGHT.search(label)
            total = sum((r["分值"] for r in group if _num(r["分值"]) is not None), ZERO)
            if weight and Decimal(weight.group(1)) != total:
                out.add((tid, "一级指标分值≠标注", group[0]["line"], str(total), weight.group(1)))
        for r in rows:
            weight, got = _num(r["分值"]), _num(r["得分"])
            if weight is not None and got is not None and got > weight:
                out.add((tid, "得分>分值", r["line"], str(got), str(weight)))
            if weight is not None and got is not None and got < weight \
                    and r["偏差原因分析及改进措施"] in (None, "无"):
                out.add((tid, "偏差原因缺失", r["line"], r["偏差原因分析及改进措施"], f"得分{got}<分值{weight}"))
        fund = _scored_fund_row(table)
        weights = sum((r["分值"] for r in rows if _num(r["分值"]) is not None), fund["分值"])
        scores = sum((r["得分"] for r in rows if _num(r["得分"]) is not None), fund["得分"])
        total = table["总分"]
        if weights != 100:
            out.add((tid, "Σ分值≠100", total["line"], str(weights), "100"))
        if total["分值"] != weights:
            out.add((tid, "总分分值≠Σ分值", total["line"], str(total["分值"]), str(weights)))
        if total["得分"] != scores:
            out.add((tid, "总分≠Σ得分", total["line"], str(total["得分"]), str(scores)))
        if table["kind"] == "项目":
            named = re.sub(r"项目绩效自评表$", "", table["title"])
            if named and named != table["名称"]:
                out.add((tid, "项目名称≠表题", table["lines"][0], table["名称"], named))
    projects = [t for t in TABLES if t["kind"] == "项目"]
    for table, item in zip(projects, TEXT["项目"]):
        fund, where = _scored_fund_row(table), item["line"]
        if item["名称"] != table["名称"]:
            out.add((table["id"], "十三名称≠表", where, item["名称"], table["名称"]))
        for said, shown, rule in ((item["全年预算数"], fund["全年预算数"], "十三全年预算数≠表"),
                                  (item["执行数"], fund["全年执行数"], "十三执行数≠表")):
            if said != shown:
                out.add((table["id"], rule, where, str(said), str(shown)))
        if rate(item["完成率"]) != rate(fund["执行率"]):
            out.add((table["id"], "十三完成率≠表", where, item["完成率"], fund["执行率"]))
    whole, fund = TEXT["整体"], _scored_fund_row(BY_ID["整体"])
    for said, shown in ((whole["得分"], BY_ID["整体"]["总分"]["得分"]), (whole["全年预算数"], fund["全年预算数"]),
                        (whole["执行数"], fund["全年执行数"]), (rate(whole["完成率"]), rate(fund["执行率"]))):
        if said != shown:
            out.add(("整体", "十三≠表", whole["line"], str(said), str(shown)))
    task = next(t for t in BY_ID["整体"]["任务"] if t["主要内容"] == "项目支出")
    for key, rule in (("全年预算数", "任务3全年预算数≠Σ项目"), ("全年执行数", "任务3执行数≠Σ项目")):
        summed = sum((_scored_fund_row(t)[key] for t in projects), ZERO)
        if task[key]["总额"] != summed:
            out.add(("整体", rule, task["line"], str(task[key]["总额"]), str(summed)))
    if TEXT["涉及预算资金"]["金额"] != task["全年执行数"]["总额"]:
        out.add(("整体", "十三涉及预算资金≠任务3", TEXT["涉及预算资金"]["line"],
                 str(TEXT["涉及预算资金"]["金额"]), str(task["全年执行数"]["总额"])))
    return out


def _known_errors() -> set[tuple]:
    return {(e["表"], e["规则"], e["line"], e["印"], e["算"]) for e in RAW["known_errors"]}


def test_recomputed_findings_are_exactly_the_known_errors():
    assert _findings() == _known_errors()


def test_the_issue_s_two_scoring_mistakes():
    # 整体: 执行率 86.02% is B ÷ A, yet 9 of 10 points; 项目1: 98.07% is B ÷ A, yet 8 of 10
    whole, first = _scored_fund_row(BY_ID["整体"]), _scored_fund_row(BY_ID["项目1"])
    assert (whole["执行率"], whole["分值"], whole["得分"]) == ("86.02%", D("10"), D("9"))
    assert (first["执行率"], first["分值"], first["得分"]) == ("98.07%", D("10"), D("8"))
    for row in (whole, first):
        assert rate(row["执行率"]) == _percent(row["全年执行数"], row["全年预算数"])
    found = _findings()
    assert ("整体", "执行率得分≠分值×执行率", 292, "9", "8.60") in found
    assert ("项目1", "执行率得分≠分值×执行率", 326, "8", "9.81") in found


def test_rates_printed_right_and_wrong():
    checked = [(t["id"], r["line"]) for t in TABLES for r in _rate_rows(t)
               if r["全年预算数"] and r["全年执行数"] is not None and r["执行率"] is not None]
    wrong = {(f[0], f[2]) for f in _findings() if f[1] == "执行率≠B÷A"}
    assert len(checked) == 18 and wrong == {("项目4", 439)}  # 27.11 ÷ 30 = 90.37%, printed 90.38


def test_dashes_and_blanks_are_kept_apart():
    first = BY_ID["项目1"]["资金"]
    assert first[1]["分值"] == DASH and first[1]["执行率"] == "100%"
    assert first[3]["全年预算数"] is None and first[3]["得分"] == DASH
    assert BY_ID["项目6"]["资金"][0]["年初预算数"] == D("279.72")  # printed "279.7 2"
    assert TEXT["项目"][1]["全年预算数"] == D("170")  # printed "170."


def test_loader_keeps_printed_precision_and_refuses_bad_cells():
    assert str(seed001perf.amount("170.00")) == "170.00" and seed001perf.amount(None) is None
    assert seed001perf.score(DASH) == DASH and seed001perf.rate("8.58") == D("8.58")
    with pytest.raises(ValueError, match="千分位"):
        seed001perf.amount("2,747.12")
    with pytest.raises(ValueError, match="百分数"):
        seed001perf.rate("≥95%")
