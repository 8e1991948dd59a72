"""Shanghai 2024 (issue 21): the 上海2024 表样 against the official template, and the Putuo reference's nine tables
imported from an export laid out as printed (tests/putuo_workbook.py) — every amount read, and the checks finding
exactly the table-arithmetic errors the reference really has (recomputed here from the transcription), no more."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure import specs
from disclosure.checks.engine import ERROR, RULES, run
from disclosure.importers.export import import_export
from disclosure.workbook import read
from putuo2024 import TEMPLATE, load
from putuo_workbook import SHEETS, TABLES, Variant, build

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = "上海2024"
ZERO = Decimal(0)
# the Putuo/template table (一…九) -> what the table is (the spec's id)
IDS = {"一": "01", "二": "02", "三": "03", "四": "04", "五": "05", "六": "06", "七": "09", "八": "07", "九": "08"}
# fixture column names -> the spec's (the fixture keeps the printed headers)
COLUMNS = {"五": {"合计": "小计"}, "七": {"公务用车购置及运行费 小计": "公务用车购置及运行维护费", "公务用车运行费": "公务用车运行维护费"},
           "四": {}, "一": {}}
DATA = load()


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "disclosure", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


# ---------------------------------------------------------------- the spec against the template

def _template_lines() -> list[str]:
    return TEMPLATE.read_text(encoding="utf-8").splitlines()


def test_spec_is_the_template_order_titles_and_numbers():
    spec = specs.load(LAYOUT)
    assert (spec.kind, spec.region, spec.style, spec.default_year) == ("部门决算", "上海", "shanghai", 2024)
    lines = _template_lines()
    start = lines.index(next(x for x in lines if x.startswith("第二部分")))
    toc = lines[start + 1:start + 10]  # 一、收入支出决算总表 … 九、国有资本经营预算财政拨款收入支出决算表
    assert [t.heading for t in spec.tables.values()] == toc
    assert list(spec.tables) == ["01", "02", "03", "04", "05", "06", "09", "07", "08"]
    numbers = [t.number for t in spec.tables.values()]
    assert numbers == [f"表{n}" for n in TABLES]
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in numbers)
    for t in spec.tables.values():  # Shanghai prints neither 行次 nor 栏次
        assert not t.lanci_row and not any(side.has_lines for side in t.sides)
        assert t.heading.endswith(t.title) and t.title in lines, t.title  # the template prints the title alone
        assert t.note in lines, t.note  # the template's 注 under the table, word for word


def test_spec_columns_of_sangong_and_state_capital_tables():
    spec = specs.load(LAYOUT)
    sangong = [c.name for c in spec.table("09").value_columns]
    assert "会议费" not in sangong and "培训费" not in sangong and len(sangong) == 6
    assert [c.name for c in spec.table("08").columns] == ["年初结转和结余", "本年收入", "合计", "基本支出", "项目支出",
                                                           "年末结转和结余"]
    assert specs.load("2024").table("08").columns[0].name == "合计"  # the national 08: 本年支出 only


def test_spec_rows_cover_every_template_row_label():
    """Every item the template prints in 一 and 四 names a row of that side, and 六's codes are the template's."""
    spec, lines = specs.load(LAYOUT), _template_lines()
    text = "\n".join(lines)
    for tid, first, last in (("01", "收入支出决算总表", "注：本表反映部门本年度的总收支"),
                             ("04", "财政拨款收入支出决算总表", "注：本表反映部门本年度财政拨款总收支")):
        block = text[text.index(first, text.index("\n上海市 XX 局 2024 年度部门决算表\n")):text.index(last)]
        labels = re.findall(r"(?:[一二三四五六七八九十]+、[^\s一二三四五六七八九十]\S*|本年收入合计|本年支出合计|"
                            r"使用非财政拨款结余|结余分配|年初\S*结转和结余|年末\S*结转和结余|总计)", block)
        rows = [r for side in spec.table(tid).sides for r in side.rows]
        unknown = [x for x in labels if not any(r.is_named(x) for r in rows) and x not in ("二十二、灾害防治及应急管理支",
                                                                                            "二十四、抗疫特别国债安排的支")]
        assert len(labels) > 25 and not unknown, unknown
    block = text[text.index("一般公共预算财政拨款基本支出决算表\n单位"):text.index("人员经费合计 公用经费合计")]
    template_codes = set(re.findall(r"\b(3\d{2}(?:\d{2})?)\b", block))
    assert template_codes == set(spec.table("06").economic_codes())


# ---------------------------------------------------------------- importing the Putuo export

def _expected(data: dict) -> dict[str, dict[tuple, Decimal]]:
    """spec id -> {(row key/code, column): amount} as the reference prints them (empty = 0)."""
    out: dict[str, dict[tuple, Decimal]] = {}
    for name, t in data["tables"].items():
        rename = COLUMNS.get(name, {})
        got: dict[tuple, Decimal] = {}
        if name in ("一", "四"):
            spec = specs.load(LAYOUT).table(IDS[name])
            for side in spec.sides:
                printed = t["sides"][side.name]
                taken: set[str] = set()
                for p in printed:  # 四's two 一般公共预算财政拨款 lines in the template's order
                    rs = next(r for r in side.rows if r.key not in taken and r.is_named(p["label"]))
                    taken.add(rs.key)
                    values = p.get("values") or {side.columns[0].name: p.get("amount")}
                    for column, amount in values.items():
                        got[(rs.key, rename.get(column, column))] = amount or ZERO
        elif name == "六":
            for r in t["left"] + t["right"]:
                got[(r["code"], "决算数")] = r["amount"] or ZERO
            for r in t["totals"]:
                got[(r["label"], "决算数")] = r["amount"]
        elif name == "七":
            for row, block in (("预算数", "budget"), ("决算数", "actual")):
                for column, amount in t[block].items():
                    got[(row, rename.get(column, column))] = amount
        else:
            for r in t["rows"]:
                for column, amount in r["values"].items():
                    got[(r["code"] or "合计", rename.get(column, column))] = amount or ZERO
        out[IDS[name]] = got
    return out


def _read_back(report) -> dict[str, dict[tuple, Decimal]]:
    return {tid: {(row.key if t.spec.kind == "fixed" else row.code or row.key, column): value.amount for row in t.rows
                  for column, value in row.values.items() if value.amount != 0}
            for tid, t in report.tables.items()}


def _assert_reads_as_printed(report, data=DATA) -> None:
    expected = _expected(data)
    got = _read_back(report)
    assert report.spec.layout == LAYOUT
    for tid in expected:
        want = {k: v for k, v in expected[tid].items() if v != 0}
        assert got[tid] == want, (tid, set(got[tid].items()) ^ set(want.items()))


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("putuo") / "普陀区财政局-2024-部门决算.xlsx")


def test_putuo_export_imports_every_amount(export):
    report = import_export(export, layout=LAYOUT)
    _assert_reads_as_printed(report)
    assert report.unit_name == "上海市普陀区财政局" and report.year == 2024
    # 使用非财政拨款结余（含专用结余） etc. are the template's aliases; the tables print no year: the one taken is said
    assert [n.message for n in report.notices] == ["报表中没有找到年度（如“2024年度”），已按2024年表样的年度导入：请核对"]
    # the amounts sit where the export prints them: 三 208 (326.72) and 七 预算数 合计 (0.95, first column)
    assert report.table("03").row("208").values["本年支出合计"].cell.sheet == SHEETS["三"]
    assert str(report.table("09").row("预算数").values["合计"].cell) .endswith("!A7")
    assert report.table("09").row("预算数").values["公务接待费"].amount == Decimal("0.95")


def test_putuo_export_region_detected_without_layout(export):
    report = import_export(export)
    assert (report.spec.layout, report.spec.region) == (LAYOUT, "上海")
    _assert_reads_as_printed(report)


def _variants(n: int) -> list[Variant]:
    rnd = random.Random(21)
    out = [Variant(order=tuple(reversed(TABLES)), merged=False, thousands=True, zeros=True, split_codes=False,
                   cover=True, sheet_names={t: f"Sheet{i}" for i, t in enumerate(TABLES, start=1)})]
    for _ in range(n - 1):
        order = list(TABLES)
        rnd.shuffle(order)
        out.append(Variant(order=tuple(order), merged=rnd.random() < .5, thousands=rnd.random() < .5,
                           zeros=rnd.random() < .5, split_codes=rnd.random() < .5, cover=rnd.random() < .5))
    return out


@pytest.mark.parametrize("variant", _variants(6), ids=lambda v: "-".join(
    k for k, on in (("merged", v.merged), ("thousands", v.thousands), ("zeros", v.zeros), ("split", v.split_codes),
                    ("cover", v.cover)) if on) or "plain")
def test_variants_import_the_same_amounts(tmp_path, variant):
    path = build(tmp_path / "export.xlsx", variant)
    report = import_export(path)
    _assert_reads_as_printed(report)
    assert report.inputs.get("零值显示") == ("0.00" if variant.zeros else "空白")


# ---------------------------------------------------------------- the checks find the reference's real errors

def _sum_errors(data: dict) -> set[tuple]:
    """(table, row, column, printed, recomputed) for every 科目 total that is not the sum of the codes under it
    (二 三 五) and every 六 class or 经费合计 that is not the sum of its parts — recomputed from the transcription."""
    out = set()
    for name in ("二", "三", "五"):
        t = data["tables"][name]
        codes = {r["code"]: r["values"] for r in t["rows"] if r["code"]}
        total = next(r["values"] for r in t["rows"] if r["code"] is None)
        for column in t["columns"]:
            def val(values):
                return values.get(column) or ZERO
            parents = [(None, total, [c for c in codes if len(c) == 3])]
            parents += [(c, codes[c], [k for k in codes if len(k) == len(c) + 2 and k.startswith(c)]) for c in codes]
            for code, values, kids in parents:
                if kids and sum(val(codes[k]) for k in kids) != val(values):
                    out.add((name, code or "合计", column, val(values), sum(val(codes[k]) for k in kids)))
    six = data["tables"]["六"]
    items = {r["code"]: r["amount"] or ZERO for r in six["left"] + six["right"]}
    for cls in (c for c in items if len(c) == 3):
        parts = sum(v for c, v in items.items() if len(c) == 5 and c.startswith(cls))
        if parts != items[cls]:
            out.add(("六", cls, "决算数", items[cls], parts))
    for total, classes in (("人员经费合计", ("301", "303")), ("公用经费合计", ("302", "310"))):
        printed = next(r["amount"] for r in six["totals"] if r["label"] == total)
        if printed != sum(items[c] for c in classes):
            out.add(("六", total, "决算数", printed, sum(items[c] for c in classes)))
    return out


def _cross_errors(data: dict) -> set[tuple]:
    """(table, 类 label, printed, the 科目 table's figure) where 一 or 四 prints a 类 otherwise than 三 / 五."""
    out = set()
    spec01 = specs.load(LAYOUT).table("01")
    code_of = {specs.normalize_label(r.label): r.code for side in spec01.sides for r in side.rows if r.code}
    for name, other, column, side_column in (("一", "三", "本年支出合计", None), ("四", "五", "合计", "一般公共预算财政拨款")):
        by_code = {r["code"]: r["values"].get(column) for r in data["tables"][other]["rows"] if r["code"]}
        for p in data["tables"][name]["sides"]["支出"]:
            code = code_of.get(specs.normalize_label(p["label"]))
            printed = p["values"].get(side_column) if side_column else p.get("amount")
            if code and (printed or ZERO) != (by_code.get(code) or ZERO):
                out.add((name, p["label"], printed, by_code.get(code)))
    return out


def test_recomputed_errors_are_the_fixtures_known_ones():
    """The recomputation above finds what the transcription says the reference gets wrong, no more, no less."""
    known = DATA["known_errors"]
    sums = {(e["where"][0], e["where"][1], e["where"][2], e["printed"], e["recomputed"]) for e in known
            if e["kind"] == "table_sum"}
    assert _sum_errors(DATA) == sums and len(sums) == 8
    cross = {(e["where"][0], e["where"][1], e["printed"], e["recomputed"]) for e in known if e["kind"] == "cross"}
    assert _cross_errors(DATA) == cross and len(cross) == 2


@pytest.fixture(scope="module")
def checked(export, tmp_path_factory):
    """import → workbook → check --json, through the command line as an officer runs it."""
    workbook = tmp_path_factory.mktemp("wb") / "普陀区财政局-2024.xlsx"
    done = _cli("import", str(export), "-o", str(workbook), "--year", LAYOUT)
    assert done.returncode == 0, done.stderr
    assert "上海2024" in done.stdout
    done = _cli("check", str(workbook), "--json")
    assert done.returncode in (0, 1), done.stderr
    return read(workbook), json.loads(done.stdout)


def _cell(report, name: str, row: str, column: str) -> str:
    """The workbook cell of a figure named as the reference names it (table 一…九, code or label, column)."""
    t = report.table(IDS[name])
    column = COLUMNS.get(name, {}).get(column, column)
    if name in ("一", "四"):  # a 类 of the 支出 side, in the column the cross relation compares
        found = next(r for r in t.rows if r.side == "支出" and specs.normalize_label(r.name) == specs.normalize_label(row))
        column = "决算数" if name == "一" else "一般公共预算财政拨款"
    else:
        found = t.row(row)
    return str(found.values[column].cell)


def test_check_finds_exactly_the_references_table_errors(checked):
    report, findings = checked
    real = [f for f in findings if f["severity"] != "提示"]
    assert not [f for f in real if f["severity"] == ERROR], "no false 错误"
    expected_cells = {_cell(report, name, row, column): (printed, recomputed)
                      for name, row, column, printed, recomputed in _sum_errors(DATA)}
    for name, label, printed, other in _cross_errors(DATA):
        expected_cells[_cell(report, name, label, "")] = (printed, other)
    assert len(real) == len(expected_cells) == 10
    for cell, (printed, recomputed) in expected_cells.items():
        hits = [f for f in real if cell in f["cells"]]
        assert len(hits) == 1, (cell, hits)
        f = hits[0]
        assert {Decimal(f["expected"]), Decimal(f["actual"])} == {printed, recomputed}, (cell, f)
        assert f["severity"] == "警告" and f["message"].startswith("尾差")
    assert not [f for f in findings if f["rule"] == "X12"]  # 六 培训费 4.05, but 七 has no 培训费 column


# ---------------------------------------------------------------- a changed amount is found where it is

def _rules_at(findings, cell: str) -> set[str]:
    return {f.rule for f in findings if f.severity == ERROR and cell in {str(c) for c in f.cells}}


def test_a_wrong_amount_in_table_three_is_an_error_at_its_cell(tmp_path):
    path = build(tmp_path / "x.xlsx", Variant(edits={("三", "201", "基本支出"): Decimal("1513.52")}))
    report = import_export(path)
    cell = str(report.table("03").row("201").values["基本支出"].cell)
    rules = _rules_at(run(report), cell)
    assert {"T03.1", "T03.2"} <= rules, rules


def test_sangong_read_across_its_columns(tmp_path):
    """七 printed with 预算数/决算数 under each column: a 决算数 of 公务接待费 lands in its row and column."""
    path = build(tmp_path / "x.xlsx", Variant(edits={("七", "决算数", "公务接待费"): Decimal("1.20")}))
    report = import_export(path)
    row = report.table("09").row("决算数")
    assert row.values["公务接待费"].amount == Decimal("1.20") and str(row.values["公务接待费"].cell).endswith("!L7")
    findings = run(report)
    total_cell = str(row.values["合计"].cell)
    assert "T09.1" in _rules_at(findings, total_cell)  # 合计 left empty
    over = [f for f in findings if f.rule == "S02"]
    assert len(over) == 1 and over[0].actual == Decimal("1.20") and over[0].expected == Decimal("0.95")


STATE_CAPITAL = [  # 九 with a 国有资本经营 row: 年末 should be 1.00 + 5.00 − 4.00 = 2.00, printed 3.00
    {"code": None, "name": "合计", "values": {"年初结转和结余": Decimal("1.00"), "本年收入": Decimal("5.00"),
                                               "本年支出 小计": Decimal("4.00"), "本年支出 项目支出": Decimal("4.00"),
                                               "年末结转和结余": Decimal("3.00")}},
    {"code": "223", "name": "国有资本经营预算支出", "values": {"年初结转和结余": Decimal("1.00"), "本年收入": Decimal("5.00"),
                                                                 "本年支出 小计": Decimal("4.00"), "本年支出 项目支出": Decimal("4.00"),
                                                                 "年末结转和结余": Decimal("3.00")}},
]


def test_state_capital_table_with_income_columns_is_checked_like_the_fund_table(tmp_path):
    path = build(tmp_path / "x.xlsx", Variant(rows={"九": STATE_CAPITAL}))
    report = import_export(path)
    t08 = report.table("08")
    assert t08.row("223").values["本年收入"].amount == Decimal("5.00")
    findings = run(report, [RULES["T08.3"], RULES["X08"]])
    closing = str(t08.row("223").values["年末结转和结余"].cell)
    assert "T08.3" in _rules_at(findings, closing)  # 1.00 + 5.00 − 4.00 ≠ 3.00
    income = str(t08.row("合计").values["本年收入"].cell)
    x08 = [f for f in findings if f.rule == "X08" and income in {str(c) for c in f.cells}]
    assert len(x08) == 1 and x08[0].actual == Decimal("5.00") and x08[0].expected == ZERO  # 四 prints no such income


# ---------------------------------------------------------------- the other regions' exports stay theirs

def test_a_national_export_is_not_read_as_shanghai(export004):
    """seed 004 (陕西 2024) prints 栏次 and 行次: detected as the national 2024 layout, and refused by 上海2024
    when that is forced — in Chinese, naming the sheet and row of the 栏次 line."""
    assert import_export(export004).spec.layout == "2024"
    with pytest.raises(Exception) as refused:
        import_export(export004, layout=LAYOUT)
    message = str(refused.value)
    assert "印有“栏次”行" in message and "工作表“" in message and "第 " in message and "Traceback" not in message


def test_cli_refuses_a_damaged_shanghai_export_without_traceback(tmp_path):
    """九 with a code of 4 digits: one Chinese line naming the sheet and cell, exit 1, no workbook."""
    rows = [dict(STATE_CAPITAL[1], code="2230")]
    path = build(tmp_path / "bad.xlsx", Variant(rows={"九": rows}, split_codes=False))
    out = tmp_path / "wb.xlsx"
    done = _cli("import", str(path), "-o", str(out))
    assert done.returncode == 1 and not out.exists()
    assert "Traceback" not in done.stderr + done.stdout
    assert "国有资本经营预算财政拨款收入支出决算表" in done.stderr + done.stdout
    assert "科目代码“2230”位数不对" in done.stderr + done.stdout
