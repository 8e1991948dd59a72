"""The add-in's macros through the openpyxl implementation of the workbook protocol, on a macro-enabled
copy of the bundled sample with a real VBA project (xlwings' quickstart.xlsm), an extra sheet of the
officer's own, and the officer's own fill and comment on cells the check will mark."""

from __future__ import annotations

import json
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from addin import macros
from addin.book import FileBook
from addin.excelfiles import xlwings_file
from addin.ui import ConsoleUi
from conftest import SAMPLE, build_sample_book
from disclosure import workbook
from disclosure.importers.export import import_export

ROOT = Path(__file__).resolve().parent.parent
USER_SHEET = "我的备注"
BROKEN_CELL = ("公开05表", "C7")  # 05 合计·小计: no longer the sum of its 类


@pytest.fixture(scope="module")
def _master(tmp_path_factory, cli_module):
    """The officer's workbook (built once) and `disclosure check --json` of it."""
    folder = tmp_path_factory.mktemp("xlsm")
    path = build_sample_book(folder / "子洲县.xlsm", vba_from=xlwings_file("quickstart.xlsm"))
    wb = load_workbook(path, keep_vba=True)
    wb[BROKEN_CELL[0]][BROKEN_CELL[1]] = Decimal("9999.99")
    notes = wb.create_sheet(USER_SHEET)
    notes["A1"], notes["B2"] = "自己的备注", 123.45
    wb.save(path)
    findings = json.loads(cli_module("check", path, "--json").out)
    # the officer's own formatting on two cells the check will mark
    cells = [c for f in findings for c in f["cells"]]
    wb = load_workbook(path, keep_vba=True)
    sheet, coord = cells[0].split("!")
    wb[sheet][coord].fill = PatternFill("solid", fgColor="FF00B050")
    sheet, coord = cells[-1].split("!")
    wb[sheet][coord].comment = Comment("核对过", "会计")
    wb.save(path)
    return path, findings


@pytest.fixture
def book(_master, tmp_path) -> Path:
    path = tmp_path / _master[0].name
    shutil.copy(_master[0], path)
    return path


def _run(name: str, path: Path, **options):
    return macros.MACROS[name](book=FileBook(path), ui=ConsoleUi(quiet=True), **options)


def _styles(path: Path) -> dict:
    """fill XML and comment of every cell of every sheet."""
    from openpyxl.xml.functions import tostring

    wb = load_workbook(path, keep_vba=True)
    return {f"{ws.title}!{c.coordinate}": (tostring(c.fill.to_tree()), c.comment.text if c.comment else None)
            for ws in wb.worksheets for row in ws.iter_rows() for c in row}


def _values(path: Path, sheets=None) -> dict:
    wb = load_workbook(path, keep_vba=True)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()]
            for ws in wb.worksheets if sheets is None or ws.title in sheets}


def _vba(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/vbaProject.bin")


def test_check_results_sheet_equals_the_command_line(book, _master):
    findings = _master[1]
    outcome = _run("check", book)
    assert outcome.ok and outcome.value["errors"] >= 1
    ws = load_workbook(book)[macros.RESULT_SHEET]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert [(r[1], r[2], r[3], r[4] or None, r[5]) for r in rows] == \
           [(f["severity"], f["rule"], f["table"], f["cell"], f["message"]) for f in findings]
    linked = {ws.cell(i, 5).hyperlink.location for i in range(2, ws.max_row + 1) if ws.cell(i, 5).hyperlink}
    assert "'公开05表'!C7" in linked


def test_the_marked_cells_are_exactly_the_finding_cells(book, _master):
    findings = _master[1]
    before = _styles(book)
    _run("check", book)
    after = _styles(book)
    changed = {k for k in before if before[k][0] != after.get(k, before[k])[0]}
    assert changed == {c for f in findings for c in f["cells"]}
    sheet, coord = BROKEN_CELL
    fill, comment = after[f"{sheet}!{coord}"]
    assert b"FFC7CE" in fill and "错误 T05" in comment  # red, with the rule and message


def test_clear_restores_the_officers_own_fills_and_comments(book):
    before = _styles(book)
    _run("check", book)
    _run("check", book)  # a second run first undoes the first run's marks
    outcome = _run("clear", book)
    assert outcome.ok and outcome.value > 0
    after = _styles(book)
    assert {k: v for k, v in after.items() if not k.startswith(macros.RESULT_SHEET + "!")} == before
    assert b"00B050" in b"".join(v[0] for v in before.values())  # the officer's green fill was among them
    assert macros.MARKS_SHEET not in load_workbook(book).sheetnames
    assert _run("clear", book).value == 0


def test_vba_project_and_every_sheet_of_the_officer_are_preserved(book):
    vba, values = _vba(book), _values(book)
    for name in ("check", "narrative", "clear"):
        assert _run(name, book).ok, name
    assert _vba(book) == vba
    with zipfile.ZipFile(book) as z:  # one part per name (openpyxl once wrote two comment drawings of one name)
        assert len(z.namelist()) == len(set(z.namelist()))
    after = _values(book, sheets=set(values))
    assert after == values
    names = load_workbook(book, keep_vba=True).sheetnames
    assert names[:len(values)] == list(values) and USER_SHEET in names
    assert book.with_name(f"{book.stem}.备份{book.suffix}").exists()  # the file as it was before the last macro


def test_narrative_sheet_equals_the_command_line(book, tmp_path, cli):
    text = tmp_path / "情况说明.txt"
    assert cli("narrative", book, "-o", text).code == 0
    assert _run("narrative", book).ok
    ws = load_workbook(book)[macros.NARRATIVE_SHEET]
    lines = [ws.cell(r, 1).value or "" for r in range(1, ws.max_row + 1)]
    expected = text.read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert lines[:len(expected)] == expected
    bold = {ws.cell(r, 1).value for r in range(1, len(expected) + 1) if ws.cell(r, 1).font.b}
    assert {"第一部分 部门概况", "一、收入支出决算总体情况说明", "十四、其他需要说明的情况"} <= bold


def test_missing_inputs_are_listed_with_links_to_the_cells_to_fill(book004, tmp_path):
    outcome = _run("narrative", book004)
    assert outcome.ok and outcome.value.missing
    ws = load_workbook(book004)[macros.NARRATIVE_SHEET]
    links = [ws.cell(r, 1).hyperlink.location for r in range(1, ws.max_row + 1) if ws.cell(r, 1).hyperlink]
    assert len(links) == len([m for m in outcome.value.missing if m.cell])
    assert all(link.startswith(("'说明数据'!", "'原因说明'!")) for link in links)


def test_export_refuses_with_the_errors_and_writes_the_package_when_clean(book, tmp_path):
    ui = ConsoleUi(quiet=True)
    outcome = macros.export(book=FileBook(book), ui=ui, outdir=tmp_path / "包")
    assert not outcome.ok and "未导出" in ui.messages[-1] and "公开05表!C7" in ui.messages[-1]
    assert not (tmp_path / "包").exists()
    clean = build_sample_book(tmp_path / "clean.xlsx")
    outcome = macros.export(book=FileBook(clean), ui=ConsoleUi(quiet=True))
    folder = tmp_path / "clean-公开包"
    assert outcome.ok and str(folder) in outcome.message
    assert (folder / "manifest.json").exists() and (folder / "公开表.xlsx").exists()


def test_import_fills_a_blank_macro_template_and_keeps_its_other_sheets(tmp_path):
    book = tmp_path / "新.xlsm"
    shutil.copy(ROOT / "templates" / "workbooks" / "决算公开模板.xlsm", book)
    workbook.update_inputs(book, {"人员.编制": 38})  # typed before the import: must survive it
    conf = _values(book, sheets={"xlwings.conf"})
    outcome = _run("import", book, source=SAMPLE)
    assert outcome.ok, outcome.message
    report, expected = workbook.read(book), import_export(SAMPLE)
    for tid, table in expected.tables.items():
        assert [(r.key, r.code, {k: v.amount for k, v in r.values.items()}) for r in table.rows] == \
               [(r.key, r.code, {k: v.amount for k, v in r.values.items()}) for r in report.tables[tid].rows]
    assert report.unit_name == "子洲县医疗保障局" and report.inputs.get("人员.编制") == 38
    assert _values(book, sheets={"xlwings.conf"}) == conf
    with zipfile.ZipFile(book) as z:  # still a macro-enabled workbook
        assert "macroEnabled" in z.read("[Content_Types].xml").decode()
    ws = load_workbook(book)["公开05表"]
    assert ws.protection.sheet and ws["C7"].number_format == "#,##0.00"  # styled as the template


def test_a_macro_that_cannot_read_the_book_says_why_and_changes_nothing(tmp_path):
    path = tmp_path / "没有封面.xlsx"
    wb = load_workbook(ROOT / "templates" / "workbooks" / "决算公开模板-2024.xlsx")
    wb.remove(wb["封面"])
    wb.save(path)
    before = path.read_bytes()
    ui = ConsoleUi(quiet=True)
    outcome = macros.check(book=FileBook(path), ui=ui)
    assert not outcome.ok and ui.messages[-1].startswith("校验未完成：") and "封面" in ui.messages[-1]
    assert "没有封面.xlsx" in ui.messages[-1] and "Traceback" not in ui.messages[-1]
    assert path.read_bytes() == before


def test_an_unexpected_failure_is_one_chinese_message(book, monkeypatch):
    monkeypatch.setattr(macros, "run", lambda report: 1 / 0)
    ui = ConsoleUi(quiet=True)
    outcome = macros.check(book=FileBook(book), ui=ui)
    assert not outcome.ok and ui.messages == [outcome.message]
    assert outcome.message.startswith("校验时发生内部错误（ZeroDivisionError")


def test_command_line_runs_each_macro_on_a_file(book, tmp_path, cli):
    result = cli("-m", "addin", "run", "check", book, python=True)
    assert result.code == 0 and "校验结果：错误 3 条" in result.out
    result = cli("-m", "addin", "run", "clear", book, python=True)
    assert result.code == 0 and "已清除" in result.out
    result = cli("-m", "addin", "run", "import", book, python=True)
    assert result.code == 1 and "--from" in result.err
    missing = cli("-m", "addin", "run", "check", tmp_path / "无.xlsm", python=True)
    assert missing.code == 1 and missing.err == "错误：文件“无.xlsm”：找不到这个工作簿\n"


class _Answers(ConsoleUi):
    """The officer answering the reason prompt (None: cancelled)."""

    def __init__(self, reason):
        super().__init__(quiet=True)
        self.reason, self.asked = reason, []

    def ask_text(self, title, prompt):
        self.asked.append(prompt)
        return self.reason


def test_acknowledge_the_active_cell_of_an_xlsm(book, _master, cli):
    sheet, coord = BROKEN_CELL
    wb = load_workbook(book, keep_vba=True)
    wb.active = wb[sheet]
    wb[sheet].sheet_view.selection[0].activeCell = wb[sheet].sheet_view.selection[0].sqref = coord
    wb.save(book)
    vba, before = _vba(book), book.read_bytes()
    assert macros.acknowledge(book=FileBook(book), ui=_Answers(None)).message.startswith("已取消确认")
    assert book.read_bytes() == before

    ui = _Answers("已核实，财政批复数如此")
    outcome = macros.acknowledge(book=FileBook(book), ui=ui)
    here = [f for f in _master[1] if f["cell"] == f"{sheet}!{coord}" and f["severity"] == "错误"]
    assert outcome.ok and all(f["message"] in ui.asked[0] for f in here)
    assert {(f.rule, str(f.cell)) for f in outcome.value if f.ack} == {(f["rule"], f["cell"]) for f in here}
    assert _vba(book) == vba and cli("check", book).code == 0  # every 错误 of the sample sat in that cell
    wb = load_workbook(book, keep_vba=True)
    assert wb["_已确认"].sheet_state == "hidden"
    assert wb[sheet][coord].fill.fgColor.rgb.endswith("C6EFCE") and "已确认：已核实" in wb[sheet][coord].comment.text
    notes = [r[7] for r in wb[macros.RESULT_SHEET].iter_rows(min_row=2, values_only=True) if r[4] == f"{sheet}!{coord}"]
    assert notes and all(n and n.startswith("已确认：已核实，财政批复数如此") for n in notes)


def test_acknowledge_refuses_a_cell_without_its_own_finding(book):
    before = book.read_bytes()
    outcome = macros.acknowledge(book=FileBook(book), ui=_Answers("x"), cell="公开05表!C8")  # a part of C7
    assert not outcome.ok and "指向 公开05表!C7，请选中那个单元格" in outcome.message
    assert book.read_bytes() == before


def test_import_macro_tells_the_label_notices(tmp_path, seed001):
    from exportvariants import clean, fixed_labels

    export = clean(seed001)
    g = export.grids["04"]
    r, c, _, rs = next(x for x in fixed_labels(export, g) if x[3].line == 2)
    g.set(r, c, "政府性基金拨款")
    book = tmp_path / "新.xlsm"
    shutil.copy(ROOT / "templates" / "workbooks" / "决算公开模板.xlsm", book)
    outcome = _run("import", book, source=export.write(tmp_path / "咸阳.xlsx"))
    assert outcome.ok, outcome.message
    assert "提示：" in outcome.message and "“政府性基金拨款”" in outcome.message and rs.label in outcome.message


def test_a_budget_export_into_a_juesuan_workbook_is_refused_and_changes_nothing(tmp_path):
    import budgetexport

    export = tmp_path / "预算导出.xlsx"
    budgetexport.write_export(export)
    book = tmp_path / "新.xlsm"
    shutil.copy(ROOT / "templates" / "workbooks" / "决算公开模板.xlsm", book)
    before = book.read_bytes()
    outcome = _run("import", book, source=export)
    assert not outcome.ok
    assert "“预算导出.xlsx”是部门预算报表，而当前工作簿是部门决算工作簿" in outcome.message
    assert "预算公开模板.xlsm" in outcome.message and "Traceback" not in outcome.message
    assert book.read_bytes() == before


def test_the_macros_work_on_a_budget_workbook_without_a_mode_switch(tmp_path):
    import budgetexport

    export = tmp_path / "预算导出.xlsx"
    budgetexport.write_export(export)
    book = tmp_path / "绥德预算.xlsm"
    shutil.copy(ROOT / "templates" / "workbooks" / "预算公开模板.xlsm", book)
    outcome = _run("import", book, source=export)
    assert outcome.ok and outcome.message.startswith("已导入部门预算 绥德县医疗保障局 2023 年度（预算2023 表样）的 15 张表")
    outcome = _run("check", book)
    assert outcome.message.startswith("绥德县医疗保障局 2023 年度部门预算 校验结果：错误 14 条，警告 20 条")
    outcome = _run("narrative", book)
    assert outcome.ok
    lines = [row[0] for row in _values(book, sheets={macros.NARRATIVE_SHEET})[macros.NARRATIVE_SHEET]]
    assert lines[0] == "绥德县医疗保障局2023年部门综合预算" and "第三部分 其他情况" in lines
    with zipfile.ZipFile(book) as z:  # still a macro-enabled workbook
        assert "macroEnabled" in z.read("[Content_Types].xml").decode()


def test_a_shanghai_export_imported_into_the_macro_template_takes_its_own_layout(tmp_path):
    """The add-in's template is the 陕西 one; a Shanghai officer's export (上海2024: other numbering, order and
    columns) goes in as its own layout: its nine sheets replace the template's, none of the old 公开0N表 is left
    behind, and the macros check and write the text in the 上海 way."""
    from putuo_workbook import build

    export = build(tmp_path / "普陀导出.xlsx")
    book = tmp_path / "普陀.xlsm"
    shutil.copy(ROOT / "templates" / "workbooks" / "决算公开模板.xlsm", book)
    outcome = _run("import", book, source=export)
    assert outcome.ok and "（上海2024 表样）的 9 张表" in outcome.message, outcome.message
    names = load_workbook(book).sheetnames
    assert [n for n in names if n.startswith("表")] == [f"表{n}" for n in "一二三四五六七八九"]
    assert not [n for n in names if n.startswith("公开")]
    report = workbook.read(book)
    assert (report.layout, report.spec.region) == ("上海2024", "上海")
    checked = _run("check", book)
    assert checked.message.startswith("上海市普陀区财政局 2024 年度部门决算 校验结果：错误 0 条"), checked.message
    assert _run("narrative", book).ok
    lines = [str(v) for row in load_workbook(book)["情况说明"].iter_rows(values_only=True) for v in row if v]
    assert any(line.startswith("第三部分") for line in lines) and any(line.startswith("十一、其他重要事项") for line in lines)
