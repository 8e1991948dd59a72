"""Issue 18, speed: the caches and memos of the read and check path give exactly what a fresh computation
gives, and are never served for another report, another spec or a changed input. No timings here:
bench/batch_speed.py and bench/startup_speed.py measure them.

- checks: a run computes each rule once per report (the narrative's 尾差 note, S06 and N01 reuse it), a term
  and a row lookup once per run; a run on another report inside a rule gets its own memo;
- parse: what find_anchors made of a text is remembered per spec; cell references are shared;
- guard: the worksheet scan (one call per tag, text only inside <v>, cells inside the extent only counted)
  still finds every unread cell and every cell beyond the limits;
- batch workers: warm() loads the templates and catalogs, and survives a broken spec.
"""

from __future__ import annotations

import copy
import msgspec
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import build_sample_book
from disclosure import batchpool, guard, parse, specs, workbook
from disclosure.acks import checked
from disclosure.checks import engine
from disclosure.checks.engine import RULES, Rule, find_row, run
from disclosure.errors import DisclosureError, InputError
from disclosure.grid import cell_index, read_sheets
from disclosure.model import Value
from disclosure.narrative import render


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build_sample_book(tmp_path_factory.mktemp("caches") / "样例.xlsx")


@pytest.fixture
def report(sample):
    return workbook.read(sample)


def as_json(findings) -> list[dict]:
    return [f.to_json() for f in findings]


def probe(report, action) -> list:
    """Run `action()` inside a check run on `report` (as a rule would); what it returned."""
    seen = []

    def func(r, rep):
        seen.append(action())
        return []

    run(report, [Rule("Z99", "probe", engine.INFO, "", "", "", func)])
    return seen[0]


# ---------------------------------------------------------------- checks

def test_each_rule_checks_a_report_once_and_finds_what_it_finds_alone(report, monkeypatch):
    alone = {r.id: as_json(r.check(report)) for r in engine.applicable(report)}  # outside any run: no memo
    calls: dict[str, int] = {}
    for rid, r in list(RULES.items()):
        def counted(rule, rep, func=r.func):
            calls[rule.id] = calls.get(rule.id, 0) + 1
            return func(rule, rep)
        monkeypatch.setitem(RULES, rid, msgspec.structs.replace(r, func=counted))
    found = checked(report)
    assert calls and set(calls.values()) == {1}, {k: v for k, v in calls.items() if v != 1}  # 尾差 note: no rerun
    assert sorted(map(str, as_json(found))) == sorted(str(f) for fs in alone.values() for f in fs)
    assert any(f.rule == "T02.2" and f.message.startswith("尾差") for f in found)  # the sample's 尾差 warnings


def test_a_changed_report_is_checked_afresh(report):
    """Terms, row lookups and rounded-part counts are remembered per run: a second run sees the change."""
    assert not [f for f in run(report) if f.severity == engine.ERROR]
    total = report.table("05").row("合计")
    old = total.values["小计"]
    total.values["小计"] = Value(old.amount + Decimal("1.00"), old.cell)
    errors = [f for f in run(report) if f.severity == engine.ERROR]
    assert {f.rule for f in errors} >= {"T05.1", "T05.2"}
    assert all(str(f.cell) == str(old.cell) for f in errors if f.rule == "T05.1")


def test_a_run_inside_a_rule_on_another_report_gets_its_own_memo(report, sample):
    other = workbook.read(sample)
    row = other.table("05").row("合计")
    row.values["小计"] = Value(row.values["小计"].amount + 1, row.values["小计"].cell)
    tables = [r for r in engine.applicable(report) if not r.id.startswith(("N", "S"))]
    expected = as_json(run(other, tables))
    assert expected != as_json(run(report, tables))  # the two reports differ where the rules look
    assert as_json(probe(report, lambda: run(other, tables))) == expected


def test_the_narrative_rendered_inside_a_check_is_the_one_rendered_alone(report):
    del report.inputs.values["机关运行经费"]  # a 说明数据 left to fill: N01 has something to say
    alone = render.render(report)
    inside = probe(report, lambda: render.render(report))
    assert inside.text() == alone.text() and inside.missing == alone.missing
    assert "机关运行经费" in {m.key for m in alone.missing}
    assert "机关运行经费" in " ".join(f.message for f in run(report) if f.rule == "N01")


def test_find_row_is_table_row(report):
    for table in report.tables.values():
        sides = {None, *(r.side for r in table.rows)}
        names = {n for r in table.rows for n in (r.key, r.code) if n} | {"没有这一行", "9999999"}
        for name in names:
            for side in sides:
                assert find_row(table, name, side) is table.row(name, side), (table.id, name, side)
                assert probe(report, lambda: find_row(table, name, side)) is table.row(name, side)


# ---------------------------------------------------------------- parse

def test_anchors_remembered_per_spec_are_the_anchors_found_afresh(sample, monkeypatch):
    sheets = read_sheets(sample)
    layouts = specs.available_layouts()
    assert len(layouts) >= 2

    def anchors(spec):
        return [[(a.table_id, a.row) for a in parse.find_anchors(s, spec)] for s in sheets]

    fresh = {}
    for layout in layouts:
        monkeypatch.setattr(parse, "_anchor_memos", {})
        fresh[layout] = anchors(specs.load(layout))
    assert any(any(found) for found in fresh["2024"])
    for layout in layouts * 2:  # warm, and each spec after the other: never another spec's memo
        assert anchors(specs.load(layout)) == fresh[layout]
    other = copy.copy(specs.load("2024"))  # another spec object, equal content: a memo of its own
    assert anchors(other) == fresh["2024"] and id(other) in parse._anchor_memos


def test_shared_cell_references_are_the_cells_read(report):
    for table in report.tables.values():
        for row in table.rows:
            for value in row.values.values():
                if value.cell is not None:
                    r, c = cell_index(value.cell.coord)
                    assert parse._cell_ref(value.cell.sheet, r, c) == value.cell


# ---------------------------------------------------------------- guard

def _book(path: Path, sheet_xml: str) -> Path:
    """A minimal .xlsx: one worksheet with the given <sheetData> content."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", f'<workbook {ns} {rel}><sheets><sheet name="表" sheetId="1" r:id="rId1"/>'
                                      "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>{sheet_xml}</sheetData></worksheet>")
    return path


def test_the_sheet_scan_finds_every_unread_cell(tmp_path):
    rows = ('<row r="1"><c r="A1"><f>1+2</f></c>'  # a formula never calculated
            '<c r="B1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'  # an error value
            '<c r="$C$1"><f>A1</f><v> </v></c>'  # a blank result is no result
            '<c r="d1"><f>A1</f><v>3</v></c>'  # calculated (a lower-case reference)
            '<c r="E1" t="inlineStr"><f>A1</f><is><t>&#21407;</t></is></c>'  # an inline string is a value
            '<c><f>A1</f></c></row>'  # no r: after E1, so F1
            '<row><c r="A2"><v>1</v></c><c t="e"><v>#N/A</v></c></row>')  # no r: row 2, B2
    unread = guard.check_workbook_file(_book(tmp_path / "公式.xlsx", rows))
    assert unread == {"表": {(0, 0): guard.NO_RESULT, (0, 1): "错误值 #DIV/0!", (0, 2): guard.NO_RESULT,
                            (0, 5): guard.NO_RESULT, (1, 1): "错误值 #N/A"}}


@pytest.mark.parametrize("far, cell", [('<c r="B2000000"><v>1</v></c>', "B2000000"),
                                       ('<c r="ALM3"><v>1</v></c>', "ALM3")])
def test_a_far_cell_after_cells_inside_the_extent_is_refused(tmp_path, far, cell):
    inside = "".join(f'<row r="{r}">' + "".join(f'<c r="{col}{r}"><v>{r}</v></c>' for col in "ABCDEF") + "</row>"
                     for r in range(1, 50))
    with pytest.raises(InputError) as refused:
        guard.check_workbook_file(_book(tmp_path / "远.xlsx", inside + f'<row r="50">{far}</row>'))
    assert f"单元格 {cell}" in str(refused.value) and "已拒绝读取" in str(refused.value)


def test_cells_inside_the_extent_still_count_toward_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "MAX_CELLS", 100)
    row = "".join(f'<c r="{col}1"><v>1</v></c>' for col in "ABCDEFGHIJ")
    inside = row + "".join(f'<c r="{col}1"/>' for col in "ABCDEFGHIJ" * 10)  # the same ten cells again and again
    with pytest.raises(InputError, match="单元格过多"):
        guard.check_workbook_file(_book(tmp_path / "多.xlsx", f'<row r="1">{inside}</row>'))


def test_cell_references_read_as_before(monkeypatch):
    monkeypatch.setattr(guard, "_refs", {})
    for text, expected in [("C7", (3, 7)), ("$C$7", (3, 7)), ("xfd1048576", (16384, 1048576)), ("A0", (1, 0)),
                           ("C", None), ("7", None), ("ABCD1", None), ("C7 ", None), ("", None),
                           ("$XFD$1048576", (16384, 1048576)), ("A" * 5000, None)]:
        assert guard._ref(text) == guard._ref(text) == expected, text
    assert len(guard._refs) == 10  # each kept once; a text no reference can be that long is not kept


# ---------------------------------------------------------------- batch workers

def test_warm_loads_what_a_check_needs_and_survives_a_broken_spec(monkeypatch):
    load = specs.load

    def broken(layout):
        if layout == specs.available_layouts()[0]:
            raise DisclosureError("表样规格文件 坏.yaml 格式有误")
        return load(layout)

    monkeypatch.setattr(specs, "load", broken)
    batchpool.warm()
    env = render._environment("shaanxi")
    loaded = {name for _, name in env.cache.keys()}
    wanted = {sec["template"] for part in render.style_config("shaanxi")["parts"] for sec in part["sections"]}
    assert wanted and wanted <= loaded
