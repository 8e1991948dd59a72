"""Proves tests/fixtures/reference/putuo_2024_tables.yaml against the Shanghai reference text it was transcribed from.

Every amount printed in a table's line range is in the YAML as often as it is printed (and vice versa), each
on the line the YAML names; every 情况说明 figure is printed on its line and every number of 第三部分 is either
a transcribed figure or a year/date/item number. Then the arithmetic: every sum in the tables, every relation
between tables and every rate/sum/table figure of the 情况说明 is recomputed, and the mismatches must be
exactly the fixture's `known_errors` — the findings the regions work must reproduce.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest

import putuo2024

DATA = putuo2024.load()
TABLES = DATA["tables"]
LINES = putuo2024.source_lines()
FIGURES = putuo2024.figures(DATA)
TEMPLATE = putuo2024.TEMPLATE
NAMES = ["一", "二", "三", "四", "五", "六", "七", "八", "九"]
ROW_TABLES = ["二", "三", "五"]
ZERO = Decimal("0")
D = Decimal

_AMOUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$")  # table amounts always print decimals
_NARRATIVE_NUMBER = re.compile(r"^\d+(?:\.\d+)?%?$")


def _squeeze(text: str) -> str:
    return re.sub(r"[\s“”\"]+", "", text)


def _amounts(line_numbers) -> Counter:
    return Counter(t.replace(",", "") for n in line_numbers for t in LINES[n].split() if _AMOUNT.match(t))


def _tokens(n: int) -> list[str]:
    return [t.replace(",", "") for t in LINES[n].split() if _AMOUNT.match(t)]


def _text_of(numbers) -> str:
    """Squeezed text of some lines with the numbers (codes, amounts) taken out: what names are printed as."""
    return "".join(re.sub(r"[\d,.]+", "", _squeeze(LINES[n])) for n in numbers)


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


def _held(table: dict) -> list[Decimal]:
    found: list = []
    for rows in table.get("sides", {}).values():
        for r in rows:
            found += [r["amount"]] if "amount" in r else list(r["values"].values())
    for r in table.get("rows", []):
        found += list(r["values"].values())
    for block in ("left", "right", "totals"):
        found += [r["amount"] for r in table.get(block, [])]
    for block in ("budget", "actual"):
        found += list(table.get(block, {}).values())
    return [x for x in found if x is not None]


# --- transcription against the text ---

def test_nine_tables_in_the_template_order_with_their_printed_titles():
    assert (DATA["unit"], DATA["year"], DATA["kind"]) == ("上海市普陀区财政局", 2024, "部门决算")
    assert list(TABLES) == NAMES
    for name in NAMES:
        first = TABLES[name]["lines"][0]
        assert _squeeze(LINES[first]) == _squeeze(TABLES[name]["title"]), name
    # 第二部分 目录 of the reference and of the official template: same titles, same numbering, same order
    toc = [_squeeze(l) for l in LINES[10:20] if _squeeze(l)]
    template = TEMPLATE.read_text(encoding="utf-8").splitlines()
    expected = [f"{n}、{_squeeze(TABLES[n]['title'])}" for n in NAMES]
    assert toc == expected
    assert [_squeeze(l) for l in template[7:16]] == expected


def test_table_ranges_follow_each_other():
    ends = [TABLES[n]["lines"] for n in NAMES]
    assert all(a[1] < b[0] for a, b in zip(ends, ends[1:]))
    assert ends[0][0] == 94 and ends[-1][1] < DATA["narrative"]["lines"][0]


@pytest.mark.parametrize("name", NAMES)
def test_every_printed_amount_is_transcribed_and_nothing_else(name):
    first, last = TABLES[name]["lines"]
    printed = _amounts(range(first, last + 1))
    held = Counter(str(x) for x in _held(TABLES[name]))
    assert printed - held == Counter(), f"{name}: printed but not transcribed"
    assert held - printed == Counter(), f"{name}: transcribed but not printed"


def test_the_amount_check_sees_the_tables():
    # guards the test above against a tokeniser that finds nothing
    assert _amounts(range(94, 135))["2995.39"] == 2
    assert sum(_amounts(range(*TABLES[n]["lines"])).total() for n in NAMES) > 170
    assert _amounts(range(457, 479)).total() == 0


@pytest.mark.parametrize("name", ["一", "四"])
def test_side_rows_carry_their_amounts_on_their_lines(name):
    for side, rows in TABLES[name]["sides"].items():
        for row in rows:
            label = _squeeze(row["label"])
            window = _text_of(range(row["line"], row["line"] + 3))
            if name == "一":  # 一 never wraps a label
                assert label in _text_of([row["line"]]), (side, row["label"])
            else:  # 四's narrow columns wrap labels onto the following lines, interleaved with the other side
                assert _subsequence(label, window), (side, row["label"])
            amounts = [row["amount"]] if "amount" in row else list(row["values"].values())
            for value in (a for a in amounts if a is not None):
                lines = [row["amount_line"]] + ([row["amount_line"] - 1] if row["label"] == "本年支出合计" else [])
                assert any(str(value) in _tokens(n) for n in lines), (side, row["label"], value)
            if all(a is None for a in amounts):
                assert "amount_line" not in row, row["label"]


def test_side_lines_of_table_one_and_four_name_26_expense_functions():
    for name in ("一", "四"):
        labels = [r["label"] for r in TABLES[name]["sides"]["支出"]]
        functions = [l for l in labels if re.match(r"^[一二三四五六七八九十]+、", l)]
        assert len(functions) == 26 and functions[-1] == "二十六、抗疫特别国债安排的支出", name
    template = _squeeze(TEMPLATE.read_text(encoding="utf-8"))
    assert "债务还本支出" not in template and "二十四、抗疫特别国债安排的支出" in template


def _code_tokens(code: str) -> list[str]:
    return [code[:3], *(code[i:i + 2] for i in range(3, len(code), 2))]


@pytest.mark.parametrize("name", ROW_TABLES)
def test_each_row_is_printed_on_its_lines_in_column_order(name):
    table = TABLES[name]
    for row in table["rows"]:
        n = row["line"]
        if row["code"]:
            assert LINES[n].split()[:len(_code_tokens(row["code"]))] == _code_tokens(row["code"]), row["code"]
        assert _squeeze(row["name"]) in _text_of([n - 1, n]), row["name"]
        values = [str(row["values"][c]) for c in table["columns"] if row["values"].get(c) is not None]
        if name == "三":  # 三 splits a row's amounts over its name line and its code line
            assert _amounts([n - 1, n]) == Counter(values), row["code"]
        else:
            assert _tokens(n) == values, row["code"]
    assert {c for r in table["rows"] for c in r["values"]} <= set(table["columns"])


def test_basic_table_rows_are_the_template_codes_but_30306():
    lines = TEMPLATE.read_text(encoding="utf-8").splitlines()[190:232]
    template_codes = {t for l in lines for t in l.split() if re.fullmatch(r"3(0[123]|10)(\d\d)?", t)}
    six = TABLES["六"]
    codes = [r["code"] for r in six["left"] + six["right"]]
    assert len(codes) == len(set(codes))
    assert template_codes - set(codes) == {"30306"} and set(codes) <= template_codes


def test_basic_table_amounts_sit_on_their_lines_left_before_right():
    six = TABLES["六"]
    by_line: dict[int, list] = {}
    for side in ("left", "right", "totals"):
        for row in six[side]:
            hay = _text_of(range(row["line"] - 3, row["line"] + 2))
            assert _subsequence(_squeeze(row.get("name") or row["label"]), hay), row.get("code") or row["label"]
            if row["amount"] is not None:
                by_line.setdefault(row["line"], []).append(str(row["amount"]))
    for n, values in by_line.items():
        assert _tokens(n) == values, n


def test_three_public_table_prints_two_budget_figures_and_empty_tables_their_notes():
    seven = TABLES["七"]
    assert _tokens(seven["line"]) == [str(seven["budget"]["合计"]), str(seven["budget"]["公务接待费"])]
    assert seven["actual"] == {}
    for name in ("八", "九"):
        assert TABLES[name]["rows"] == []
        note = TABLES[name]["note"]
        assert LINES[note["line"]].strip() == note["text"]


# --- the 情况说明's figures against the text ---

def _printed_figure(fig: dict) -> str:
    return f"{fig['value']}%" if fig.get("unit") == "%" else str(fig["value"])


def _narrative_numbers(n: int) -> list[str]:
    return [t for t in LINES[n].split() if _NARRATIVE_NUMBER.match(t)]


def test_every_figure_is_printed_on_its_line_and_every_printed_number_is_a_figure():
    first, last = DATA["narrative"]["lines"]
    by_line: dict[int, Counter] = {}
    for fig in FIGURES.values():
        assert first <= fig["line"] <= last, fig["id"]
        by_line.setdefault(fig["line"], Counter())[_printed_figure(fig)] += 1
    items = range(526, 586)  # 五（三）'s item numbers 1–11 print alone on a line
    for n in range(first, last + 1):
        printed = Counter(t for t in _narrative_numbers(n) if t not in ("2023", "2024"))
        if n in items and list(printed) in ([str(i)] for i in range(1, 12)):
            continue
        if n == 662:
            printed -= Counter(["12", "31"])  # 截至 2024 年 12 月 31 日
        if n == 666:
            printed -= Counter(["100"])  # 单价 100 万元（含）以上: a threshold
        assert printed == by_line.get(n, Counter()), n


def test_figures_sit_in_their_sections():
    starts = {name: next(n for n in range(*DATA["narrative"]["lines"]) if LINES[n].startswith(f"{name}、"))
              for name in DATA["narrative"]["sections"]}
    order = list(starts.values())
    assert order == sorted(order) and len(order) == 11
    for fig in FIGURES.values():
        section = max((s for s in starts.items() if s[1] <= fig["line"]), key=lambda s: s[1])[0]
        assert section == fig["section"], fig["id"]
        assert _squeeze(DATA["narrative"]["sections"][section]["title"]) in _squeeze(LINES[starts[section]])


# --- the arithmetic: sums that hold, and exactly the known errors ---

def _v(x) -> Decimal:
    return ZERO if x is None else x


def _total(xs) -> Decimal:
    return sum((_v(x) for x in xs), ZERO)


class _Checks:
    """Collects every recomputation; `gaps` are those that do not match."""

    def __init__(self):
        self.count = 0
        self.gaps: set[tuple] = set()

    def equal(self, key: tuple, printed, recomputed):
        self.count += 1
        if _v(printed) != _v(recomputed):
            self.gaps.add((*key, _v(printed), _v(recomputed)))


def _side(table: dict, side: str) -> dict:
    """Label -> row; 四 prints "一、一般公共预算财政拨款" twice on the 收入 side (本年, then under 年初): the first wins."""
    out: dict[str, dict] = {}
    for row in table["sides"][side]:
        out.setdefault(row["label"], row)
    return out


def _numbered(rows: list[dict]) -> list[dict]:
    return [r for r in rows if re.match(r"^[一二三四五六七八九十]+、", r["label"])]


def _side_sums(checks: _Checks, name: str, amount_of, column: str):
    table = TABLES[name]
    inc, exp = table["sides"]["收入"], table["sides"]["支出"]
    i, e = _side(table, "收入"), _side(table, "支出")
    carry_in = "年初结转和结余" if name == "一" else "年初财政拨款结转和结余"
    carry_out = "年末结转和结余" if name == "一" else "年末财政拨款结转和结余"
    use, alloc = ("使用非财政拨款结余（含专用结余）", "结余分配") if name == "一" else (None, None)
    income_items = _numbered(inc[:inc.index(i["本年收入合计"])])
    check = checks.equal
    if column == "决算数":
        check((name, "本年收入合计", column), i["本年收入合计"]["amount"], _total(r["amount"] for r in income_items))
        extra = [i[use]["amount"]] if use else []
        check((name, "收入总计", column), i["总计"]["amount"],
              _total([i["本年收入合计"]["amount"], i[carry_in]["amount"], *extra]))
        if name == "四":
            after = inc[inc.index(i[carry_in]) + 1:inc.index(i["总计"])]
            check((name, carry_in, column), i[carry_in]["amount"], _total(r["amount"] for r in after))
    exp_items = _numbered(exp[:exp.index(e["本年支出合计"])])
    check((name, "本年支出合计", column), amount_of(e["本年支出合计"]), _total(amount_of(r) for r in exp_items))
    extra = [amount_of(e[alloc])] if alloc else []
    check((name, "支出总计", column), amount_of(e["总计"]),
          _total([amount_of(e["本年支出合计"]), amount_of(e[carry_out]), *extra]))


def _row_table_sums(checks: _Checks, name: str):
    table = TABLES[name]
    columns, rows = table["columns"], table["rows"]
    coded = [r for r in rows if r["code"]]
    total_row = next(r for r in rows if r["code"] is None)
    for row in rows:
        checks.equal((name, row["code"] or "合计", "合计 vs 各栏"), row["values"].get(columns[0]),
                     _total(row["values"].get(c) for c in columns[1:]))

    def children(parent):
        longer = [r for r in coded if r["code"].startswith(parent["code"]) and len(r["code"]) > len(parent["code"])]
        return [r for r in longer if len(r["code"]) == len(parent["code"]) + 2]

    pairs = [(total_row, [r for r in coded if len(r["code"]) == 3])] + [(p, children(p)) for p in coded]
    for parent, kids in pairs:
        for column in columns if kids else []:
            checks.equal((name, parent["code"] or "合计", column), parent["values"].get(column),
                         _total(k["values"].get(column) for k in kids))


def _basic_table_sums(checks: _Checks):
    six = TABLES["六"]
    items = {r["code"]: r["amount"] for r in six["left"] + six["right"]}
    for cls in ("301", "302", "303", "310"):
        checks.equal(("六", cls, "决算数"), items[cls], _total(v for c, v in items.items() if len(c) == 5
                                                              and c.startswith(cls)))
    totals = {r["label"]: r["amount"] for r in six["totals"]}
    checks.equal(("六", "人员经费合计", "决算数"), totals["人员经费合计"], items["301"] + items["303"])
    checks.equal(("六", "公用经费合计", "决算数"), totals["公用经费合计"], items["302"] + items["310"])


def _table_checks() -> _Checks:
    checks = _Checks()
    _side_sums(checks, "一", lambda r: r["amount"], "决算数")
    for column in TABLES["四"]["columns"]:
        _side_sums(checks, "四", lambda r, c=column: r["values"].get(c), column)
    for row in TABLES["四"]["sides"]["支出"]:
        values = row["values"]
        checks.equal(("四", row["label"], "合计 vs 各栏"), values.get("合计"),
                     _total(v for c, v in values.items() if c != "合计"))
    for name, start, flow_in, flow_out, end in (("一", "年初结转和结余", "本年收入合计", "本年支出合计", "年末结转和结余"),
                                                ("四", "年初财政拨款结转和结余", "本年收入合计", "本年支出合计",
                                                 "年末财政拨款结转和结余")):
        i, e = _side(TABLES[name], "收入"), _side(TABLES[name], "支出")
        out = lambda r: r["amount"] if "amount" in r else r["values"]["合计"]  # noqa: E731
        checks.equal((name, "年末结转和结余", "年初 + 收入 - 支出"), out(e[end]),
                     i[start]["amount"] + i[flow_in]["amount"] - out(e[flow_out]))
    for name in ROW_TABLES:
        _row_table_sums(checks, name)
    _basic_table_sums(checks)
    seven = TABLES["七"]
    for block in ("budget", "actual"):
        cells = seven[block]
        checks.equal(("七", "合计", block), cells.get("合计"),
                     _total(cells.get(c) for c in ("因公出国（境）费", "公务用车购置及运行费 小计", "公务接待费")))
        checks.equal(("七", "公务用车购置及运行费 小计", block), cells.get("公务用车购置及运行费 小计"),
                     _total(cells.get(c) for c in ("公务用车购置费", "公务用车运行费")))
    return checks


def test_table_sums_hold_except_the_known_errors():
    checks = _table_checks()
    assert checks.count > 150  # the check covers the tables, not a handful of rows
    known = {(e["where"][0], e["where"][1], e["where"][2], e["printed"], e["recomputed"])
             for e in DATA["known_errors"] if e["kind"] == "table_sum"}
    assert checks.gaps == known


def _row(name: str, code: str | None) -> dict:
    return next(r for r in TABLES[name]["rows"] if r["code"] == code)


def _by_class_name(name: str) -> dict[str, dict]:
    return {r["name"]: r for r in TABLES[name]["rows"] if r["code"] and len(r["code"]) == 3}


def _cross_checks() -> _Checks:
    checks = _Checks()
    for summary, detail, column, value_of in (("一", "三", "本年支出合计", lambda r: r["amount"]),
                                              ("四", "五", "合计", lambda r: r["values"].get("合计"))):
        classes = _by_class_name(detail)
        lines = {re.sub(r"^[一二三四五六七八九十]+、", "", r["label"]): r
                 for r in _numbered(TABLES[summary]["sides"]["支出"])}
        assert set(classes) <= set(lines)
        for label, row in lines.items():
            expected = classes[label]["values"].get(column) if label in classes else None
            checks.equal((summary, row["label"]), value_of(row), expected)
    one_in, one_out = _side(TABLES["一"], "收入"), _side(TABLES["一"], "支出")
    four_in, four_out = _side(TABLES["四"], "收入"), _side(TABLES["四"], "支出")
    two, three, five = _row("二", None)["values"], _row("三", None)["values"], _row("五", None)["values"]
    basic = {r["label"]: r["amount"] for r in TABLES["六"]["totals"]}
    for key, printed, other in (
            (("一", "一、一般公共预算财政拨款收入"), one_in["一、一般公共预算财政拨款收入"]["amount"], two["财政拨款收入"]),
            (("一", "八、其他收入"), one_in["八、其他收入"]["amount"], two["其他收入"]),
            (("一", "本年收入合计"), one_in["本年收入合计"]["amount"], two["本年收入合计"]),
            (("一", "本年支出合计"), one_out["本年支出合计"]["amount"], three["本年支出合计"]),
            (("四", "一、一般公共预算财政拨款"), four_in["一、一般公共预算财政拨款"]["amount"], two["财政拨款收入"]),
            (("四", "本年支出合计"), four_out["本年支出合计"]["values"]["一般公共预算财政拨款"], five["合计"]),
            (("三", "基本支出"), three["基本支出"], five["基本支出"]),
            (("三", "项目支出"), three["项目支出"], five["项目支出"]),
            (("六", "人员经费合计 + 公用经费合计"), basic["人员经费合计"] + basic["公用经费合计"], five["基本支出"])):
        checks.equal(key, printed, other)
    for row in TABLES["三"]["rows"]:  # all of this department's spending is 一般公共预算 money
        checks.equal(("三", row["code"]), row["values"].get("本年支出合计"), _row("五", row["code"])["values"]["合计"])
    return checks


def test_tables_agree_with_each_other_except_the_known_errors():
    checks = _cross_checks()
    assert checks.count > 60
    known = {(e["where"][0], e["where"][1], e["printed"], e["recomputed"])
             for e in DATA["known_errors"] if e["kind"] == "cross"}
    assert checks.gaps == known


def _rounded(value: Decimal, like: Decimal) -> Decimal:
    return value.quantize(Decimal(1).scaleb(like.as_tuple().exponent), rounding=ROUND_HALF_UP)


def _narrative_checks() -> _Checks:
    checks = _Checks()
    value = {i: f["value"] for i, f in FIGURES.items()}
    for fid, fig in FIGURES.items():
        printed = fig["value"]
        if fig.get("table"):
            checks.equal((fid, "table"), printed, putuo2024.table_value(DATA, fig["table"]))
        if "share" in fig:
            part, whole = (value[i] for i in fig["share"])
            checks.equal((fid, "share"), printed, _rounded(part / whole * 100, printed))
        if "completion" in fig:
            actual, budget = (value[i] for i in fig["completion"])
            checks.equal((fid, "completion"), printed, _rounded(actual / budget * 100, printed))
        if "growth" in fig:
            change_id, current_id = fig["growth"]
            change, current = value[change_id], value[current_id]
            base = current - change if FIGURES[change_id]["direction"] == "增加" else current + change
            checks.equal((fid, "growth"), printed, _rounded(change / base * 100, printed))
        if "sum" in fig:
            checks.equal((fid, "sum"), printed, _total(value[i] for i in fig["sum"]))
    return checks


def test_narrative_figures_recompute_except_the_known_errors():
    checks = _narrative_checks()
    assert checks.count > 50
    known = {(e["id"], e["check"], e["printed"], e["recomputed"])
             for e in DATA["known_errors"] if e["kind"] == "narrative"}
    assert checks.gaps == known


def test_known_errors_are_all_recomputed():
    assert {e["kind"] for e in DATA["known_errors"]} == {"table_sum", "cross", "narrative"}
    assert len(DATA["known_errors"]) == len(_table_checks().gaps | _cross_checks().gaps | _narrative_checks().gaps)


def test_table_references_resolve_to_the_transcribed_amounts():
    assert putuo2024.table_value(DATA, ["一", "收入", "总计"]) == D("2995.39")
    assert putuo2024.table_value(DATA, ["四", "支出", "本年支出合计"]) == D("2940.05")
    assert putuo2024.table_value(DATA, ["五", "2010601", "项目支出"]) == D("8.37")
    assert putuo2024.table_value(DATA, ["六", "totals", "公用经费合计"]) == D("184.65")
    assert putuo2024.table_value(DATA, ["七", "actual", "合计"]) is None


def test_loader_keeps_printed_precision_and_refuses_separators():
    assert str(putuo2024.amount("6.20")) == "6.20" and str(FIGURES["income_other"]["value"]) == "6.2"
    assert putuo2024.amount(None) is None
    with pytest.raises(ValueError, match="千分位"):
        putuo2024.amount("2,940.05")
