"""Tolerant import: 行次, 栏次 and 科目代码 decide, labels are evidence (issue 14, part 1).

Every variant of the seed exports (tests/exportvariants.py) imports to exactly the numbers of the clean
export — every row, every column — and every label reworded in it shows as a 提示 naming both spellings;
labels that differ in form only (spaces, widths, numbering) show none. What cannot be read safely is
refused in Chinese, naming the sheet and row or cell.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure.errors import InputError
from disclosure.importers.export import import_export
from disclosure.notices import HEADING, LABEL, UNIT
from disclosure.specs import normalize_label
from exportvariants import REWORDING, VARIANTS, clean, fixed_labels, variant, with_negatives
from seedfixtures import canonical, expected

SEEDS = ["seed001", "seed004"]  # the 2023 and the 2024 layout
COMBINED = {
    "labels reworded, no 栏次 or 行次, blank rows, 元 as text, one sheet after others": (
        "optional_words", "word_missing", "no_lanci_row", "no_line_column", "blank_rows", "yuan_unit_line",
        "text_thousands", "extra_sheets", "one_sheet"),
    "suffixes, wrapped labels, official header without 栏次, 元 in headers, full-width": (
        "level_suffixes", "wrapped_labels", "merged_header", "no_lanci_row", "yuan_in_headers", "fullwidth_digits",
        "sheet_names"),
    "form only: spaces, numbering, widths, one-row header, dashes, blank rows": (
        "spaces_in_labels", "numbering", "width_forms", "one_row_header", "dash_for_zero", "blank_rows",
        "extra_sheets"),
    "other year's names without 行次": ("other_year_names", "no_line_column"),
    "no 栏次, columns reordered, dashes for zero, one sheet": (
        "wrapped_labels", "reorder_columns_no_lanci", "text_thousands", "dash_for_zero", "one_sheet"),
}
CASES = {name: (name,) for name in VARIANTS} | COMBINED


def snapshot(report) -> dict:
    """Every row of every table: its amounts in every column (zeros too), and the 科目名称 of coded rows."""
    return {(tid, r.side, r.key, r.code): (r.name if t.spec.kind == "coded" else None,
                                          {k: v.amount for k, v in r.values.items()})
            for tid, t in report.tables.items() for r in t.rows}


@pytest.fixture(scope="module")
def clean_imports(seed001, seed004, tmp_path_factory) -> dict:
    out = {}
    for name, rep in (("seed001", seed001), ("seed004", seed004)):
        report = import_export(clean(rep).write(tmp_path_factory.mktemp(name) / "clean.xlsx"))
        assert canonical(report) == expected(rep)  # the clean export holds the published numbers …
        assert report.notices == []  # … and its labels are the 表样's
        out[name] = snapshot(report)
    return out


def _check_variant(rep, export, report, clean_snapshot) -> None:
    assert (report.layout, report.year, report.unit_name) == (str(rep.year), rep.year, rep.unit_name)
    assert snapshot(report) == clean_snapshot
    labels = [n for n in report.notices if n.kind == LABEL]
    # compared in normalised form: a later variant may re-space or renumber a reworded label
    assert sorted((n.table, normalize_label(n.printed), n.expected) for n in labels) == \
        sorted((w.table, normalize_label(w.printed), w.expected) for w in export.reworded.values())
    for n in labels:
        assert f"导出文件写作“{n.printed}”，表样为“{n.expected}”" in n.message
        assert n.sheet and n.row and ("按行次导入" in n.message or "按名称导入" in n.message)
    units = [n for n in report.notices if n.kind == UNIT]
    assert len(units) == (len(rep.spec.tables) if export.yuan else 0)
    for n in units:
        assert "金额单位为元" in n.message and "已换算为万元" in n.message and n.sheet and n.cell


@pytest.mark.parametrize("seed_name", SEEDS)
@pytest.mark.parametrize("names", CASES.values(), ids=CASES.keys())
def test_variant_imports_to_the_clean_numbers(seed_name, names, request, clean_imports, tmp_path):
    rep = request.getfixturevalue(seed_name)
    export = variant(rep, *names)
    assert _content(export) != _content(clean(rep)), "the variant changed nothing"
    if set(names) & REWORDING:
        assert export.reworded, "a rewording variant reworded nothing"
    report = import_export(export.write(tmp_path / "v.xlsx"))
    _check_variant(rep, export, report, clean_imports[seed_name])


def _content(export) -> tuple:
    """What an export file holds (xlsx bytes differ by their timestamps alone)."""
    return (export.sheets, export.before,
            {tid: ([list(map(str, row)) for row in g.cells], sorted(g.merges)) for tid, g in export.grids.items()})


ORDER = list(VARIANTS)  # label edits first, then rows and columns, amounts, sheets


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(seed_name=st.sampled_from(SEEDS), names=st.sets(st.sampled_from(ORDER), min_size=2, max_size=7),
       rng=st.integers(0, 1000))
def test_any_mix_of_variants_imports_to_the_clean_numbers(seed_name, names, rng, request, clean_imports,
                                                         tmp_path_factory):
    if {"yuan_unit_line", "yuan_in_headers"} <= names:
        names.discard("yuan_in_headers")  # one conversion to 元, not two
    rep = request.getfixturevalue(seed_name)
    export = variant(rep, *sorted(names, key=ORDER.index), seed=rng)
    report = import_export(export.write(tmp_path_factory.mktemp("mix") / "v.xlsx"))
    _check_variant(rep, export, report, clean_imports[seed_name])


@pytest.mark.parametrize("text_variant", ["text_thousands", "fullwidth_digits"])
def test_negatives_in_brackets(seed004, text_variant, tmp_path):
    rep = with_negatives(seed004)
    base = import_export(clean(rep).write(tmp_path / "clean.xlsx"))
    negatives = [v.amount for t in base.tables.values() for r in t.rows for v in r.values.values() if v.amount < 0]
    assert len(negatives) >= 4  # the last 科目 of 02 and 03, every column it has
    export = variant(rep, text_variant)
    assert any(isinstance(v, str) and v.startswith(("(", "（")) for g in export.grids.values()
               for row in g.cells for v in row)
    assert snapshot(import_export(export.write(tmp_path / "v.xlsx"))) == snapshot(base)


def test_yuan_rounds_half_up_to_the_cent(seed004, tmp_path):
    export = clean(seed004)
    g = export.grids["01"]
    r = next(r for r, c, _, rs in fixed_labels(export, g) if rs.key == "一般公共预算财政拨款收入")
    g.set(r, g.value_cols[0], Decimal("24445650.00"))  # 2444.565 万元 -> 2444.57
    g.set(*g.unit, "金额单位：元")
    report = import_export(export.write(tmp_path / "v.xlsx"))
    assert report.table("01").row("一般公共预算财政拨款收入").amount("决算数") == Decimal("2444.57")


# ---------------------------------------------------------------- the issue's own case, through the CLI

def test_the_issue_case_imports_with_a_notice(seed001, tmp_path, cli):
    """公开04表 行次 2 printed “政府性基金拨款” (words missing) in a 2023 export: imported, with a 提示."""
    export = clean(seed001)
    g = export.grids["04"]
    r, c, _, rs = next(x for x in fixed_labels(export, g) if x[3].line == 2)
    g.set(r, c, "政府性基金拨款")
    out = tmp_path / "out.xlsx"
    result = cli("import", export.write(tmp_path / "咸阳.xlsx"), "-o", out)
    assert result.code == 0, result.err
    assert out.exists() and "已导入" in result.out and "（2023 年表样）" in result.out
    assert "提示 1 条" in result.out
    assert (f"提示：文件“咸阳.xlsx”，工作表“04财政拨款收入支出决算总表”，第 {r + 1} 行：公开04表 行次 2："
            f"导出文件写作“政府性基金拨款”，表样为“{rs.label}”，按行次导入") in result.out


def test_cli_says_amounts_were_converted_from_yuan(seed004, tmp_path, cli):
    result = cli("import", variant(seed004, "yuan_unit_line").write(tmp_path / "元.xlsx"), "-o", tmp_path / "o.xlsx")
    assert result.code == 0, result.err
    assert "提示 9 条" in result.out
    assert "工作表“03支出决算表”，单元格 E3：公开03表的金额单位为元（“金额单位：元”），已换算为万元" in result.out


@pytest.mark.parametrize("unit", ["金额单位：人民币元", "单位：元人民币", "单位：元"])
def test_a_unit_line_in_yuan_however_worded(seed004, clean_imports, unit, tmp_path):
    export = variant(seed004, "yuan_unit_line")
    for g in export.grids.values():
        g.set(*g.unit, unit)
    report = import_export(export.write(tmp_path / "元.xlsx"))
    assert snapshot(report) == clean_imports["seed004"]
    assert all(f"（“{unit}”），已换算为万元" in n.message for n in report.notices if n.kind == UNIT)


def test_tables_that_state_no_unit_are_in_the_unit_the_others_state(seed004, clean_imports, tmp_path):
    """A printout in 元 that says so over its first table only: the others are in 元 too (read as 万元 they
    would be 10,000 times too large, and `check` would find nothing to say about it)."""
    export = variant(seed004, "yuan_unit_line")
    for tid, g in export.grids.items():
        if tid != "01":
            g.set(*g.unit, None)
    report = import_export(export.write(tmp_path / "元.xlsx"))
    assert snapshot(report) == clean_imports["seed004"]
    said = [n.message for n in report.notices if n.kind == UNIT]
    assert len(said) == len(export.grids) and "公开01表的金额单位为元（“金额单位：元”）" in said[0]
    assert all(m.endswith("没有写明金额单位，已按其他表写明的元读取，换算为万元") for m in said[1:])


def test_a_file_that_states_no_unit_says_it_was_read_as_wan(seed004, clean_imports, tmp_path):
    export = clean(seed004)
    for g in export.grids.values():
        g.set(*g.unit, None)
    report = import_export(export.write(tmp_path / "无单位.xlsx"))
    assert snapshot(report) == clean_imports["seed004"]
    assert [n.message for n in report.notices] == [
        "文件中没有写明金额单位（如“单位：万元”），已按万元读取；如果导出的是元，请在表上方写明“单位：元”后重新导入"]


# ---------------------------------------------------------------- refused, with where

def _label_row(export, tid: str, line: int):
    g = export.grids[tid]
    r, c, _, rs = next(x for x in fixed_labels(export, g) if x[3].line == line)
    return g, r, c, rs


def _refusal(export, tmp_path) -> str:
    with pytest.raises(InputError) as exc:
        import_export(export.write(tmp_path / "bad.xlsx"))
    return str(exc.value)


def test_line_and_label_both_wrong_is_refused(seed004, tmp_path):
    export = clean(seed004)
    g, r, c, rs = _label_row(export, "04", 2)
    g.set(r, c, "二、住房公积金收入")
    message = _refusal(export, tmp_path)
    assert message == (f"文件“bad.xlsx”，工作表“04财政拨款收入支出决算总表”，第 {r + 1} 行：公开04表行次 2 写作"
                       f"“二、住房公积金收入”，表样行次 2 为“{rs.label}”，名称也不是表样中其他行的名称（表样中没有的项目）："
                       "请核对项目名称或表样年度")


def test_labels_of_another_line_are_refused_naming_both(seed004, tmp_path):
    """事业收入 and 经营收入 printed at each other's 行次: a shifted row, not a spelling."""
    export = clean(seed004)
    g, r5, c, rs5 = _label_row(export, "01", 5)
    _, r6, _, rs6 = _label_row(export, "01", 6)
    g.set(r5, c, rs6.label)
    g.set(r6, c, rs5.label)
    message = _refusal(export, tmp_path)
    assert f"工作表“01收入支出决算总表”，第 {r5 + 1} 行" in message
    assert f"公开01表行次 5 写作“{rs6.label}”，这是表样行次 6“{rs6.label}”的名称，而表样行次 5 为“{rs5.label}”" in message
    assert "错开" in message


def test_a_tolerated_label_whose_sums_a_shifted_row_explains_is_refused(seed004, tmp_path):
    export = clean(seed004)
    g, r59, _, rs59 = _label_row(export, "04", 59)
    _, r60, c, rs60 = _label_row(export, "04", 60)
    g.set(r60, c, "年末财政拨款结转结余")  # “和” missing: tolerated …
    ok = import_export(export.write(tmp_path / "ok.xlsx"))  # … and imported while the sums hold
    assert [n.printed for n in ok.notices] == ["年末财政拨款结转结余"]
    for col in g.value_cols[-4:]:  # now the 本年支出合计 amounts printed one line lower
        g.cells[r59][col], g.cells[r60][col] = g.cells[r60][col], g.cells[r59][col]
    message = _refusal(export, tmp_path)
    assert message.startswith(f"文件“bad.xlsx”，工作表“04财政拨款收入支出决算总表”，第 {r60 + 1} 行：")
    assert f"写作“年末财政拨款结转结余”，按表样行次 60 “{rs60.label}”导入后" in message
    assert f"这一行的金额若属于行次 59“{rs59.label}”，合计就相符" in message


def test_thousand_yuan_is_refused_naming_the_unit_cell(seed004, tmp_path):
    export = clean(seed004)
    g = export.grids["03"]
    g.set(*g.unit, "金额单位：千元")
    message = _refusal(export, tmp_path)
    assert message == ("文件“bad.xlsx”，工作表“03支出决算表”，单元格 E3：公开03表的金额单位为千元（“金额单位：千元”）。"
                       "本工具只能读万元或元：请在部门决算软件中按万元或元重新导出")


def test_a_table_without_栏次_or_header_names_is_refused(seed004, tmp_path):
    export = variant(seed004, "no_lanci_row")
    g = export.grids["05"]
    for r in g.header:
        for col in g.value_cols:
            g.set(r, col, None)
    message = _refusal(export, tmp_path)
    assert "工作表“05一般公共预算财政拨款支出决算表”" in message and "公开05表" in message
    assert "没有“栏次”行" in message and "无法确定各栏位置" in message


def test_a_header_naming_a_column_twice_is_refused(seed004, tmp_path):
    export = variant(seed004, "no_lanci_row")
    g = export.grids["03"]
    g.set(g.header[0], g.value_cols[2], "基本支出")  # 项目支出's header now says 基本支出 too
    message = _refusal(export, tmp_path)
    assert "公开03表没有“栏次”行，表头中也找不到（或不止一个）“基本支出”“项目支出”栏" in message
    assert f"第 {g.header[-1] + 1} 行" in message


# ---------------------------------------------------------------- which layout year

def test_exact_labels_beat_tolerated_ones_when_both_layouts_fit(seed004, tmp_path):
    """Without 行次 columns and without 06's 31206, both layouts read seed 004: the 2024 one reads every
    label exactly, the 2023 one only by its other-year names (04), so 2024 wins — no --year needed."""
    export = variant(seed004, "no_line_column")
    g = export.grids["06"]
    r, c = next((r, c) for r in g.body for c in range(g.width) if str(g.get(r, c) or "").strip() == "31206")
    for col in (c, c + 1, c + 2):
        g.set(r, col, None)
    path = export.write(tmp_path / "v.xlsx")
    forced = import_export(path, layout="2023")
    assert forced.layout == "2023"
    assert {n.printed for n in forced.notices} == {"一、一般公共预算财政拨款收入", "二、政府性基金预算财政拨款收入",
                                                  "三、国有资本经营预算财政拨款收入", "年初财政拨款结转和结余",
                                                  "年末财政拨款结转和结余", "合计"}
    chosen = import_export(path)
    assert chosen.layout == "2024" and chosen.notices == []


def test_two_different_units_in_one_table_are_refused(seed004, tmp_path):
    export = clean(seed004)
    g = export.grids["02"]
    g.set(g.unit[0], g.unit[1] + 2, "单位：元")  # beside “金额单位：万元”
    message = _refusal(export, tmp_path)
    assert message == ("文件“bad.xlsx”，工作表“02收入决算表”，单元格 E3：公开02表的金额单位前后不一："
                       "E3“金额单位：万元”，G3“单位：元”。请改成一致后再导入")


def test_a_note_with_code_rows_after_it_is_refused(seed004, tmp_path):
    """“注：…” typed into the middle of a 科目 table: the rows after it are not dropped without a word."""
    export = clean(seed004)
    g = export.grids["02"]
    code_col = g.label_cols[0]
    r = next(r for r in g.body if str(g.get(r, code_col) or "").startswith("221"))  # 住房保障支出 and its rows
    g.cells.insert(r, [None] * g.width)
    g.body = [b + 1 if b >= r else b for b in g.body]
    g.set(r, code_col, "注：以下为住房保障支出")
    message = _refusal(export, tmp_path)
    assert message == (f"文件“bad.xlsx”，工作表“02收入决算表”，单元格 A{r + 1}：公开02表第 {r + 1} 行的说明“注：以下为住房保障支出”"
                       f"之后还有科目行（第 {r + 2} 行 221）：说明应在表格最后，请把它移到表格下方后再导入")


# ---------------------------------------------------------------- 编制单位 and 年度 above the tables

def test_a_year_without_du_is_read(seed004, tmp_path):
    export = clean(seed004)
    for g in export.grids.values():
        for row in g.cells:
            for c, v in enumerate(row):
                if isinstance(v, str) and "2024年度" in v:
                    row[c] = v.replace("2024年度", "2025年")
    report = import_export(export.write(tmp_path / "2025.xlsx"))
    assert report.year == 2025 and [n for n in report.notices if n.kind == HEADING] == []


def test_a_sheet_of_another_unit_or_year_is_named(seed004, tmp_path):
    export = clean(seed004)
    g = export.grids["05"]
    for row in g.cells:
        for c, v in enumerate(row):
            if isinstance(v, str):
                row[c] = v.replace(seed004.unit_name, "米脂县医疗保障局").replace("2024年度", "2023年度")
    report = import_export(export.write(tmp_path / "混.xlsx"))
    assert (report.unit_name, report.year) == (seed004.unit_name, 2024)
    said = sorted(n.message for n in report.notices if n.kind == HEADING)
    assert len(said) == 2 and all("工作表“05一般公共预算财政拨款支出决算表”写的" in m for m in said)
    assert "年度是“2023”，与其他表的“2024”不同，已按“2024”导入" in said[0]
    assert f"编制单位是“米脂县医疗保障局”，与其他表的“{seed004.unit_name}”不同" in said[1]


def test_wan_with_more_decimals_than_printed_is_rounded_with_a_notice(seed004, clean_imports, tmp_path):
    """An export's 万元 with four decimals (74.7549): rounded half up to the cent as the tables print it, with one
    提示 for the table — kept unrounded, 02 and 03 differed by 0.0049 where they print the same 74.75."""
    export = clean(seed004)
    g = export.grids["02"]
    cells = [(r, c) for r in g.body for c in g.value_cols if isinstance(g.get(r, c), (int, float, Decimal)) and g.get(r, c)]
    for r, c in cells[:2]:
        g.set(r, c, Decimal(str(g.get(r, c))) + Decimal("0.0049"))
    report = import_export(export.write(tmp_path / "四位.xlsx"))
    assert snapshot(report) == clean_imports["seed004"]
    said = [n for n in report.notices if n.kind == UNIT]
    assert len(said) == 1 and said[0].message.startswith("公开02表有 2 个金额多于两位小数（如 ")
    assert said[0].message.endswith("已四舍五入到分（公开表按两位小数印出）")


@pytest.mark.parametrize("label", ["填报单位", "部门名称"])
def test_the_unit_named_by_other_labels(seed004, label, tmp_path):
    export = clean(seed004)
    for g in export.grids.values():
        for row in g.cells:
            for c, v in enumerate(row):
                if isinstance(v, str) and "编制单位" in v:
                    row[c] = v.replace("编制单位", label)
    assert import_export(export.write(tmp_path / "u.xlsx")).unit_name == seed004.unit_name


def test_a_number_in_the_name_column_is_refused(seed004, tmp_path):
    export = clean(seed004)
    g = export.grids["02"]
    code_col, name_col = g.label_cols[:2]
    r = next(r for r in g.body if len(str(g.get(r, code_col) or "")) == 7)
    code = g.get(r, code_col)
    g.set(r, name_col, 12)
    message = _refusal(export, tmp_path)
    assert f"公开02表科目 {code} 的名称是数字“12”：金额可能填到了科目名称列" in message and "单元格 " in message


@pytest.mark.parametrize("sep", ["-", "."])
def test_codes_written_with_separators(seed004, clean_imports, sep, tmp_path):
    """“208-05-05”, “208.05.05”: the 科目代码 with its levels apart, read as 2080505."""
    export = clean(seed004)
    for g in export.grids.values():
        if g.table.kind != "coded":
            continue
        code_col = g.label_cols[0]
        for r in g.body:
            code = str(g.get(r, code_col) or "")
            if code.isdigit() and len(code) in (5, 7):
                g.set(r, code_col, sep.join([code[:3], code[3:5]] + ([code[5:]] if len(code) == 7 else [])))
    assert snapshot(import_export(export.write(tmp_path / "c.xlsx"))) == clean_imports["seed004"]


# ---------------------------------------------------------------- a year the product has no 表样 for

def _retold(source, out, years: dict[str, str]):
    """The export with every year it prints told otherwise (2024 → 2025 …), its numbers untouched."""
    import re

    from openpyxl import load_workbook

    wb = load_workbook(source)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and any(y in c.value for y in years):
                    c.value = "".join(years.get(part, part) for part in re.split(r"(20\d\d)", c.value))
    wb.save(out)
    return out


@pytest.mark.parametrize("years,year,layout", [
    ({"2024": "2025", "2023": "2024"}, 2025, "2024"),  # next year's 决算 before its 表样 is in the product
    ({"2024": "2022", "2023": "2021"}, 2022, "2024"),  # an old year's: read with the 表样 its rows fit
])
def test_a_year_without_its_table_form_is_imported_with_a_notice(tmp_path, cli, years, year, layout):
    from conftest import SAMPLE
    from disclosure.notices import LAYOUT

    source = _retold(SAMPLE, tmp_path / f"{year}.xlsx", years)
    report = import_export(source)
    assert (report.year, report.layout) == (year, layout)
    notes = [n for n in report.notices if n.kind == LAYOUT]
    assert len(notes) == 1 and f"报表是 {year} 年度的，本工具还没有陕西 {year} 年的部门决算表样，已按 {layout} 年表样读取" in notes[0].message
    result = cli("import", source, "-o", tmp_path / "o.xlsx")
    assert result.code == 0 and f"没有陕西 {year} 年的部门决算表样" in result.out
    # and the check of the workbook says by which 表样's relations it checked, under its first line
    checked = cli("check", tmp_path / "o.xlsx").out.splitlines()
    assert checked[1].startswith(f"注意：报表是 {year} 年度的，本工具还没有陕西 {year} 年的部门决算表样，已按 {layout} 年表样读取")
    # the year of a 表样 the product has: no such notice, no such line
    assert not [n for n in import_export(SAMPLE).notices if n.kind == LAYOUT]
    assert cli("import", SAMPLE, "-o", tmp_path / "2024.xlsx").code == 0
    assert "注意" not in cli("check", tmp_path / "2024.xlsx").out
