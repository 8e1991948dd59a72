"""Proves tests/fixtures/seeds/002_tables.yaml against the seed text it was transcribed from.

Every number token printed in a table section (amounts and codes, thousands separators removed) must be in
the YAML as often as it is printed, and vice versa; every side label sits next to its own amount; every
coded row matches one printed line token for token, its amounts in the YAML's column order. The arithmetic
tests then pin the seed's own mistakes, which also shows the column each amount was assigned to adds up.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pytest

import seed002

TABLES = seed002.load()["tables"]
SECTIONS = seed002.sections()
NAMES = [f"表{n}" for n in range(1, 16)]
SIDE_TABLES = ["表1", "表4", "表9"]
ROW_TABLES = ["表2", "表3", "表5", "表6", "表7", "表8", "表10"]
GOAL_TABLES = ["表13", "表14", "表15"]

_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
ZERO = Decimal("0")


def _printed(token: str) -> str:
    return token.replace(",", "")


def _text(name: str) -> str:
    return "\n".join(SECTIONS[name])


def _squeezed(name: str) -> str:
    return re.sub(r"\s+", "", _text(name))


def _text_numbers(name: str) -> Counter:
    return Counter(_printed(t) for t in _text(name).split() if _NUMBER.match(t))


def _yaml_numbers(table: dict) -> Counter:
    """Every amount and code the transcription holds for one table, as printed (str of the Decimal)."""
    found: list = []
    for rows in table.get("sides", {}).values():
        found += [r["amount"] for r in rows]
    for row in table.get("rows", []):
        found += [row.get("code"), row.get("gov_code"), *row["values"].values()]  # unit_code is not printed
    funds = table.get("funds", {})
    for part in funds.values():
        found += list(part.values()) if isinstance(part, dict) else [part]
    for task in [*table.get("tasks", []), *([table["total"]] if "total" in table else [])]:
        found += [task["total"], task["fiscal"], task["other"]]
    return Counter(str(x) for x in found if x is not None)


def test_all_fifteen_tables_are_transcribed_with_their_printed_titles():
    data = seed002.load()
    assert (data["unit"], data["year"], data["kind"]) == ("绥德县医疗保障局", 2023, "部门预算")
    assert list(TABLES) == NAMES == list(SECTIONS)
    for name in NAMES:
        first = next(line.strip() for line in SECTIONS[name] if line.strip())
        assert first == TABLES[name]["title"], name


@pytest.mark.parametrize("name", NAMES)
def test_every_printed_number_is_in_the_yaml_and_nothing_else(name):
    printed = _text_numbers(name)
    held = _yaml_numbers(TABLES[name])
    assert printed - held == Counter(), f"{name}: printed but not transcribed"
    assert held - printed == Counter(), f"{name}: transcribed but not printed"


def test_the_number_check_sees_amounts_and_codes():
    # guards the test above against a tokeniser that silently finds nothing
    assert _text_numbers("表1")["1982.47"] == 14
    assert _text_numbers("表6")["50502"] == 8
    assert sum(_text_numbers(name).total() for name in NAMES) > 300
    assert _text_numbers("表11").total() == _text_numbers("表12").total() == 0


def _label_pattern(label: str) -> str:
    # a label may wrap over lines in the text (表4 其中…), so whitespace may fall between any two characters
    body = r"\s*".join(re.escape(ch) for ch in label if not ch.isspace())
    return rf"(?<!\S){body}(?!\S)"


@pytest.mark.parametrize("name", SIDE_TABLES)
def test_side_labels_carry_their_own_amounts(name):
    text = _text(name).replace(",", "")
    entries = Counter((r["label"], r["amount"]) for rows in TABLES[name]["sides"].values() for r in rows)
    for (label, amount), count in entries.items():
        if amount is None:  # printed empty: the label is not followed by a number
            follow = r"(?!\s+[\d.]+(?!\S))"
        else:
            follow = rf"\s+{re.escape(str(amount))}(?!\S)"
        assert len(re.findall(_label_pattern(label) + follow, text)) == count, (name, label, amount)


@pytest.mark.parametrize("name", SIDE_TABLES)
def test_side_tables_leave_no_printed_label_untranscribed(name):
    lines = SECTIONS[name]
    first = TABLES[name]["sides"]["收入"][0]["label"]
    body = "\n".join(lines[next(i for i, l in enumerate(lines) if first in l):])
    labels = Counter(r["label"] for rows in TABLES[name]["sides"].values() for r in rows)
    # longest first, so "资本性支出(基本建设)" is taken before "资本性支出"
    for label in sorted(labels, key=len, reverse=True):
        body, removed = re.subn(_label_pattern(label), " ", body)
        assert removed == labels[label], (name, label)
    assert [t for t in body.split() if not _NUMBER.match(t)] == []


def _row_tokens(row: dict, columns: list[str]) -> list[str]:
    tokens = [row["code"]] if row.get("code") else []
    tokens.append(row["name"])
    if row.get("gov_code"):
        tokens += [row["gov_code"], row["gov_name"]]
    unknown = set(row["values"]) - set(columns)
    assert not unknown, (row["name"], unknown)
    tokens += [str(row["values"][c]) for c in columns if row["values"].get(c) is not None]
    if row.get("note"):
        tokens.append(row["note"])
    return tokens


@pytest.mark.parametrize("name", ROW_TABLES)
def test_each_row_is_one_printed_line_in_order(name):
    table = TABLES[name]
    expected = [_row_tokens(r, table["columns"]) for r in table["rows"]]
    lines = [[_printed(t) for t in l.split()] for l in SECTIONS[name] if l.strip()]
    start = lines.index(expected[0])
    assert lines[start:] == expected


def test_table10_projects_belong_to_the_unit_printed_above_them():
    unit = None
    for row in TABLES["表10"]["rows"]:
        if row["code"]:
            unit = row["code"]
        elif row["name"] != "合计":
            assert row["unit_code"] == unit, row["name"]


def test_empty_tables_print_their_headers_only():
    for name in ("表11", "表12"):
        assert TABLES[name]["rows"] == []
    assert all(r["amount"] is None for rows in TABLES["表9"]["sides"].values() for r in rows)
    squeezed = _squeezed("表11")
    for column in TABLES["表11"]["columns"]:
        assert column.split(".")[-1] in squeezed, column


def _indicator_lines(name: str) -> list[list[str]]:
    lines = SECTIONS[name]
    start = next(i for i, l in enumerate(lines) if l.strip().startswith("一级指标"))
    out = []
    for line in lines[start + 1:]:
        if re.match(r"\s*(备\s*注|注)：", line):
            break
        if line.strip():
            out.append(line.split())
    return out


@pytest.mark.parametrize("name", GOAL_TABLES)
def test_indicators_are_printed_in_order_under_their_levels(name):
    lines = iter(_indicator_lines(name))
    previous = (None, None)
    for ind in TABLES[name]["indicators"]:
        expected_levels = ((ind["level1"] if ind["level1"] != previous[0] else "")
                           + (ind["level2"] if ind["level2"] != previous[1] else ""))
        levels = ""
        for tokens in lines:
            if len(tokens) == 1:  # level names, wrapped one piece a line
                levels += tokens[0]
                continue
            *prefix, ind_name, value = tokens
            assert (ind_name, value) == (ind["name"], ind["value"]), name
            levels += "".join(prefix)  # 表15 prints "社会效益指标" on the indicator's own line
            break
        else:
            pytest.fail(f"{name}: indicator {ind['name']} not printed")
        assert levels == expected_levels, (name, ind["name"])
        previous = (ind["level1"], ind["level2"])
    assert list(lines) == [], f"{name}: printed indicators not transcribed"


def _cell(amount) -> str:
    return "" if amount is None else str(amount)


def test_goal_tables_texts_and_funds_are_printed():
    t13, t14, t15 = (TABLES[n] for n in GOAL_TABLES)
    s13, s14, s15 = (_squeezed(n) for n in GOAL_TABLES)
    f = t13["funds"]
    assert f"项目名称{t13['project']}主管部门{t13['department']}" in s13
    assert (f"实施期资金总额：{_cell(f['实施期资金总额'])}其中：财政拨款{_cell(f['财政拨款'])}"
            f"其他资金{_cell(f['其他资金'])}总体目标" + "".join(t13["goals"]) + "年度绩效指标") in s13

    assert f"部门（单位）名称{t14['department']}" in s14
    task_lines = [l.split() for l in SECTIONS["表14"] if re.match(r"\s*(任务\d|金额合计)", l)]
    assert task_lines == [[t["name"], *([t["content"]] if "content" in t else []),
                           *(_cell(t[k]) for k in ("total", "fiscal", "other") if t[k] is not None)]
                          for t in [*t14["tasks"], t14["total"]]]
    assert "年度总体目标" + "".join(t14["goals"]) + "年度绩效指标" in s14

    a, y = t15["funds"]["实施期"], t15["funds"]["年度"]
    assert f"项目名称{t15['project']}主管部门{t15['department']}实施期限{t15['period']}" in s15
    assert (f"实施期资金总额：{_cell(a['资金总额'])}年度资金总额：{_cell(y['资金总额'])}"
            f"其中：财政拨款{_cell(a['财政拨款'])}其中：财政拨款{_cell(y['财政拨款'])}"
            f"其他资金{_cell(a['其他资金'])}其他资金{_cell(y['其他资金'])}总体目标") in s15
    goals = "".join(t15["goals"]["实施期"]) + "".join(t15["goals"]["年度"])
    assert "实施期总目标年度目标" + goals + "绩效指标" in s15


# --- the seed's own arithmetic, as transcribed: these are findings the checks must report later ---

def _v(amount) -> Decimal:
    return ZERO if amount is None else amount


def _side_level(label: str):
    if label.startswith("其中"):
        return None  # memo line, not part of any sum
    if re.match(r"^[一二三四五六七八九十]+ ?、", label):
        return 0
    if re.match(r"^\d+、", label):
        return 1
    if re.match(r"^\(\d+\)", label):
        return 2
    return "total"


def _side_gaps(name: str) -> set[tuple]:
    gaps = set()
    for side, rows in TABLES[name]["sides"].items():
        for i, row in enumerate(rows):
            level = _side_level(row["label"])
            if level not in (0, 1):
                continue
            children = []
            for other in rows[i + 1:]:
                lv = _side_level(other["label"])
                if lv is None:
                    continue
                if lv == "total" or lv <= level:
                    break
                if lv == level + 1:
                    children.append(other["amount"])
            total = sum(map(_v, children), ZERO)
            if children and total != _v(row["amount"]):
                gaps.add((name, side, row["label"], row["amount"], total))
    return gaps


def _coded_gaps(name: str) -> set[tuple]:
    table = TABLES[name]
    columns, rows = table["columns"], table["rows"]
    coded = [r for r in rows if r["code"]]
    total_row = next(r for r in rows if r["name"] == "合计")
    gaps = set()
    for row in rows:
        parts = sum((_v(row["values"].get(c)) for c in columns[1:]), ZERO)
        if parts != _v(row["values"].get("合计")):
            gaps.add((name, row["code"] or "合计", "合计 vs parts", row["values"].get("合计"), parts))

    def children(parent):
        longer = [r for r in coded if r["code"].startswith(parent["code"]) and len(r["code"]) > len(parent["code"])]
        return [r for r in longer if len(r["code"]) == min(len(x["code"]) for x in longer)]

    pairs = [(total_row, [r for r in coded if len(r["code"]) == 3])] + [(p, children(p)) for p in coded]
    for parent, kids in pairs:
        for column in columns if kids else []:
            total = sum((_v(k["values"].get(column)) for k in kids), ZERO)
            if total != _v(parent["values"].get(column)):
                gaps.add((name, parent["code"] or "合计", column, parent["values"].get(column), total))
    return gaps


D = Decimal


def test_side_blocks_add_up_except_the_printed_tail_differences():
    assert _side_gaps("表1") | _side_gaps("表4") | _side_gaps("表9") == {
        ("表1", "支出功能分类", "一、部门预算", D("1982.47"), D("1982.48")),
        ("表1", "部门预算支出经济分类", "一、部门预算", D("1982.47"), D("1982.48")),
        ("表1", "政府预算支出经济分类", "一、部门预算", D("1982.47"), D("1982.48")),
        ("表4", "支出功能分类", "一、财政拨款", D("1982.47"), D("1982.48")),
    }


def test_detail_tables_add_up_except_their_total_rows():
    # rows and 科目 hierarchies all add up with the column assignment chosen; only 合计 misses by 0.01
    found = set().union(*(_coded_gaps(n) for n in ("表5", "表6", "表7", "表8")))
    assert found == {
        (n, "合计", column, D(printed), D(summed))
        for n, pairs in {"表5": [("1982.47", "1982.48"), ("794.47", "794.48")],
                         "表6": [("1982.47", "1982.48"), ("794.47", "794.48")],
                         "表7": [("850.47", "850.48"), ("794.47", "794.48")],
                         "表8": [("850.47", "850.48"), ("794.47", "794.48")]}.items()
        for column, (printed, summed) in zip(("合计", "人员经费支出"), pairs)
    }


def test_unit_rows_of_table2_and_3_miss_the_department_row_by_one_cent():
    for name in ("表2", "表3"):
        dept, *units = TABLES[name]["rows"]
        sums = {c: sum((_v(u["values"].get(c)) for u in units), ZERO) for c in TABLES[name]["columns"]}
        assert {c: s for c, s in sums.items() if s != _v(dept["values"].get(c))} == {
            "合计": D("1982.48"), TABLES[name]["columns"][1]: D("1982.48")}
        assert dept["values"]["合计"] == D("1982.47")


def test_basic_tables_are_the_detail_tables_without_special_funds():
    for full, basic in (("表5", "表7"), ("表6", "表8")):
        rows = {r["code"] or "合计": r for r in TABLES[basic]["rows"]}
        for row in TABLES[full]["rows"]:
            values = row["values"]
            base = _v(values.get("合计")) - _v(values.get("专项业务经费支出"))
            key = row["code"] or "合计"
            if base == ZERO:
                assert key not in rows, (full, key)
                continue
            got = rows[key]["values"]
            assert (_v(got["合计"]), _v(got.get("人员经费支出")), _v(got.get("公用经费支出"))) == \
                   (base, _v(values.get("人员经费支出")), _v(values.get("公用经费支出"))), (full, key)
    gov = {r["code"]: r["gov_code"] for r in TABLES["表6"]["rows"] if r["code"] and r["gov_code"]}
    assert {c: (g, r["gov_code"]) for r in TABLES["表8"]["rows"] if (c := r["code"]) in gov
            and (g := gov[c]) != r["gov_code"]} == {"30103": ("50101", "50501")}


def _keyed(name: str) -> dict[tuple, Decimal | None]:
    """(side, label, occurrence) -> amount: "(1)工资福利支出" is printed twice in a block (基本, 专项)."""
    out: dict[tuple, Decimal | None] = {}
    for side, rows in TABLES[name]["sides"].items():
        seen: Counter = Counter()
        for row in rows:
            seen[row["label"]] += 1
            out[(side, row["label"], seen[row["label"]])] = row["amount"]
    return out


def test_table1_and_table4_disagree_on_these_lines():
    # 表4 is 表1 restricted to 财政拨款, and all of this department's money is 财政拨款: they should agree
    t1, t4 = _keyed("表1"), _keyed("表4")
    assert len(t1.keys() & t4.keys()) > 60
    diff = {k[:2]: (t1[k], t4[k]) for k in t1.keys() & t4.keys() if t1[k] != t4[k]}
    assert diff == {
        ("收入", "其中：专项资金列入部门预算的项目"): (None, D("1982.47")),
        ("部门预算支出经济分类", "1、人员经费和公用经费支出"): (D("850.48"), D("850.47")),
        ("部门预算支出经济分类", "(1)工资福利支出"): (D("786.73"), D("786.72")),
        ("政府预算支出经济分类", "2、机关商品和服务支出"): (D("59.00"), D("56.00")),
        ("政府预算支出经济分类", "5、对事业单位经常性补助"): (D("743.08"), D("704.07")),
        ("政府预算支出经济分类", "9、对个人和家庭的补助"): (D("1097.75"), D("1139.75")),
    }


def test_loader_keeps_printed_precision_and_refuses_separators():
    assert seed002.amount("1090") == D("1090") and str(seed002.amount("1132.00")) == "1132.00"
    assert seed002.amount(None) is None
    with pytest.raises(ValueError, match="千分位"):
        seed002.amount("1,982.47")
