"""Hostile and broken inputs (issue 15: inputs validated, YAML parsed safely, every text we write stored as text).

A corpus generated here — nothing binary is committed — of `inputs --set-from` files a careless or hostile
sender could hand an officer: an alias bomb, deep nesting, a 2 MB file, GBK/UTF-16 text, malformed YAML and
JSON, `!!python/object` tags, wrong types, negative counts, texts Excel cannot hold, unknown keys. Each runs as
the officer would (a real process, its address space capped at 1 GiB, tests/hostile.py) and must be refused in
one Chinese line naming the YAML file (and its line), exit ≠ 0 and never 3, the workbook byte-identical, no
backup and no temporary file left. The encodings we read are accepted and the value lands in 说明数据.

Formula injection: text that starts with = + - @ tab or CR (OWASP) goes through every writer — import (unit
name, 科目名称), inputs --set-from, check --ack (the hidden _已确认 sheet), check --xlsx, export's 公开表.xlsx
and 校验报告.xlsx, the batch summary, the add-in's macros on an .xlsm — and every file written must hold no
formula at all, the text reading back identical as a string cell.
"""

from __future__ import annotations

import codecs
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

import pytest
import yaml
from openpyxl import load_workbook

from addin.book import ExcelBook
from addin.excelfiles import xlwings_file
from conftest import SAMPLE, build_sample_book
from disclosure import acks, workbook
from disclosure.cells import EXCEL_CELL_LIMIT, excel_literal, put_text
from disclosure.errors import InputError
from disclosure.importers.export import import_export
from hostile import assert_refused, leftovers, run, snapshot

# OWASP's formula-injection starts, two real attack strings among them
PAYLOADS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2"]
TEXT_KEYS = ["主要职责", "内设机构", "联系电话", "绩效", "其他说明", "原因.收支总计", "原因.财政拨款收支总计"]
CODES_05 = ["208", "20805", "2080505", "2080506", "20899", "2089999", "210"]  # 科目 of the sample's 公开05表


# ---------------------------------------------------------------- the corpus of refused --set-from files

@dataclass
class Case:
    filename: str
    make: Callable[[], bytes]
    words: list[str] = field(default_factory=list)  # each must be in the one line of the refusal
    line: int | None = None  # the YAML line the refusal must name


def _yaml(data) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def _alias_bomb() -> bytes:
    """Billion laughs inside a known key: 9 levels of 9 aliases each, 72 aliases in all (under the alias limit),
    9^9 values once expanded — what the officer's "主要职责" would be printed as in an error message."""
    lines = ["主要职责:", '  - &l0 ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]']
    for i in range(1, 9):
        lines.append(f"  - &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]")
    return "\n".join(lines).encode("utf-8")


def _many_aliases() -> bytes:
    return ("x: &x 1\n主要职责: [" + ", ".join(["*x"] * 150) + "]\n").encode("utf-8")


def _deep_block() -> bytes:
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(40)).encode("utf-8") + b"  " * 40 + b"v: 1\n"


def _big() -> bytes:
    return ("主要职责: |\n" + "".join(f"  第{i}行职责说明，内容很长很长。\n" for i in range(45_000))).encode("utf-8")


CASES: dict[str, Case] = {
    "alias bomb": Case("bomb.yaml", _alias_bomb, ["别名炸弹"], 7),  # at l5: 9^6 values
    "more than 100 aliases": Case("aliases.yaml", _many_aliases, ["别名", "100"], 2),
    "self-referencing alias": Case("loop.yaml", lambda: b"a: &a [1, *a]\n", ["包含它自己"], 1),
    "nesting 40 deep (block)": Case("deep.yaml", _deep_block, ["嵌套超过 20 层"], 21),
    "nesting 200,000 deep (flow)": Case("deepflow.yaml", lambda: b"x: " + b"[" * 200_000 + b"]" * 200_000,
                                        ["嵌套超过 20 层"], 1),
    "2 MB file": Case("big.yaml", _big, ["1,000,000 字节"]),
    "UTF-16 without BOM": Case("u16.yaml", lambda: "主要职责: 负责\n".encode("utf-16-le"), ["UTF-8", "GB18030"]),
    "not text at all": Case("binary.yaml", lambda: bytes(range(128, 256)) * 4, ["编码", "UTF-8", "GB18030"]),
    "bad indentation": Case("indent.yaml", lambda: "上年:\n  收入总计: 3\n   支出总计: 4\n".encode(), ["第 8 列", "冒号"], 3),
    "unclosed quote": Case("quote.yaml", lambda: '主要职责: "负责\n内设机构: 办公室\n'.encode(), ["没有闭合"], 3),
    "tab indentation": Case("tab.yaml", lambda: "上年:\n\t收入总计: 3\n".encode(), ["Tab"], 2),
    "two documents": Case("twodocs.yaml", lambda: "主要职责: 甲\n---\n主要职责: 乙\n".encode(), ["一个 YAML 文档"], 2),
    "!!python/object": Case("pyobj.yaml", lambda: b"x: !!python/object:os.system {}\n", ["!!python/object:os.system"], 1),
    "!!python/object/apply": Case("pyapply.yaml", lambda: '内设机构: 办公室\n主要职责: !!python/object/apply:os.system ["echo 1"]\n'
                                  .encode(), ["!!python/object/apply:os.system"], 2),
    "duplicate key": Case("dup.yaml", lambda: "主要职责: 甲\n主要职责: 乙\n".encode(), ["“主要职责”", "两次"], 2),
    "a list where an amount is wanted": Case("list.yaml", lambda: _yaml({"上年": {"收入总计": [1, 2]}}),
                                             ["“上年.收入总计”", "金额", "列表"], 2),
    "a mapping where a count is wanted": Case("map.yaml", lambda: _yaml({"人员": {"编制": {"a": 1}}}), ["“人员.编制”", "整数"], 2),
    "negative 人员.编制": Case("neg.yaml", lambda: _yaml({"人员": {"编制": -5}}), ["“人员.编制”", "0 到 999,999,999", "-5"], 2),
    "negative 三公.购置车辆": Case("neg2.yaml", lambda: _yaml({"三公": {"购置车辆": -1}}), ["“三公.购置车辆”", "整数", "-1"], 2),
    "a count of 2.5": Case("half.yaml", lambda: _yaml({"人员": {"实有": 2.5}}), ["“人员.实有”", "2.5"], 2),
    "a count of 10^12": Case("huge.yaml", lambda: _yaml({"人员": {"实有": 10**12}}), ["“人员.实有”", "999,999,999"], 2),
    "a negative amount": Case("negamt.yaml", lambda: _yaml({"上年": {"培训费": "-3.5"}}), ["“上年.培训费”", "0 到"], 2),
    "an amount of 20 digits": Case("digits.yaml", lambda: _yaml({"政府采购": {"总额": "123456789.01234567891"}}),
                                   ["“政府采购.总额”", "15 位"], 2),
    "a 32,768-character text": Case("long.yaml", lambda: _yaml({"主要职责": "职" * (EXCEL_CELL_LIMIT + 1)}),
                                    ["“主要职责”", "32,768 个字符", "32,767"], 1),
    "a 100,001-character text": Case("longer.yaml", lambda: _yaml({"内设机构": "办" * 100_001}), ["100,001 个字符"], 1),
    "a control character": Case("ctrl.yaml", lambda: '其他说明: "无\\x01"\n'.encode(), ["“其他说明”", "U+0001"], 1),
    "a name list of mappings": Case("names.yaml", lambda: _yaml({"单位构成": [{"a": 1}]}), ["“单位构成”", "名单"], 1),
    "yes as a text": Case("bool.yaml", lambda: "联系电话: yes\n".encode(), ["“联系电话”", "真假值", "引号"], 1),
    "unknown key, near a known one": Case("unknown.yaml", lambda: _yaml({"上年": {"收入总数": 1}}),
                                          ["未知的说明数据项“上年.收入总数”", "是不是“上年.收入总计”"], 2),
    "unknown 年初预算 code": Case("code.yaml", lambda: _yaml({"年初预算": {"项": {"21015": 3}}}),
                                ["“年初预算.项.21015”", "7 位项级科目代码"], 3),
    "a group that is a number": Case("group.yaml", lambda: _yaml({"人员": 38}), ["“人员”应为键值对"], 1),
    "a list at the top": Case("top.yaml", lambda: _yaml(["主要职责"]), ["键值对"]),
    "JSON with a missing comma": Case("bad.json", lambda: '{"主要职责": "甲"\n "内设机构": "乙"}'.encode(), ["缺少逗号"], 2),
    "JSON nested 100,000 deep": Case("deep.json", lambda: b"[" * 100_000 + b"]" * 100_000, ["嵌套超过 20 层"]),
    "JSON with a duplicate key": Case("dup.json", lambda: '{"主要职责": "甲", "主要职责": "乙"}'.encode(), ["两次"]),
    "JSON with a negative count": Case("neg.json", lambda: b'{"\xe4\xba\xba\xe5\x91\x98": {"\xe7\xbc\x96\xe5\x88\xb6": -5}}',
                                       ["“人员.编制”", "-5"]),
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """The bundled sample imported and its 说明数据 set (./dev demo's workbook)."""
    return build_sample_book(tmp_path_factory.mktemp("sample") / "样例.xlsx")


def _copy(src: Path, folder: Path, name: str = "工作簿.xlsx") -> Path:
    return Path(shutil.copy(src, folder / name))


def _backup(book: Path) -> Path:
    return book.with_name(f"{book.stem}.备份{book.suffix}")


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_set_from_file_is_refused_and_changes_nothing(name, sample, tmp_path):
    case = CASES[name]
    book = _copy(sample, tmp_path)
    src = tmp_path / case.filename
    src.write_bytes(case.make())
    before = snapshot(book, _backup(book), src)  # the backup's "<none>": no backup may appear either
    result = run("inputs", book, "--set-from", src, timeout=60)
    names = [f"“{src.name}”", *case.words] + ([f"第 {case.line} 行"] if case.line else [])
    assert_refused(result, names=names, before=before, folder=tmp_path)
    assert result.seconds < 20, f"{name} took {result.seconds:.1f} s"


def test_a_missing_file_and_a_folder_are_named(sample, tmp_path):
    book = _copy(sample, tmp_path)
    before = snapshot(book)
    assert_refused(run("inputs", book, "--set-from", tmp_path / "没有.yaml"), names=["“没有.yaml”", "找不到"],
                   before=before, folder=tmp_path)
    (tmp_path / "夹.yaml").mkdir()
    assert_refused(run("inputs", book, "--set-from", tmp_path / "夹.yaml"), names=["“夹.yaml”", "文件夹"],
                   before=before, folder=tmp_path)


# ---------------------------------------------------------------- what is read

ACCEPTED = {
    "GBK": ("gbk.yaml", lambda text: text.encode("gbk")),
    "GB18030": ("gb18030.yaml", lambda text: text.encode("gb18030")),
    "UTF-8 with BOM": ("bom.yaml", lambda text: codecs.BOM_UTF8 + text.encode("utf-8")),
    "UTF-16 with BOM (Notepad's Unicode)": ("u16.yaml", lambda text: text.encode("utf-16")),
    "UTF-16 BE with BOM": ("u16be.yaml", lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be")),
}


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_the_encodings_we_read_land_in_the_workbook(name, sample, tmp_path):
    filename, encode = ACCEPTED[name]
    book = _copy(sample, tmp_path)
    original = book.read_bytes()
    duty = f"负责全县医疗保障工作（{name}）"
    src = tmp_path / filename
    src.write_bytes(encode(f"主要职责: {duty}\n人员:\n  编制: ３８\n"))  # full-width digits, as a Chinese IME types them
    result = run("inputs", book, "--set-from", src)
    assert result.code == 0, result.err
    report = workbook.read(book)
    assert report.inputs.get("主要职责") == duty and report.inputs.get("人员.编制") == 38
    cell = report.inputs.cell("主要职责")
    assert load_workbook(book)[cell.sheet][cell.coord].value == duty
    assert _backup(book).read_bytes() == original  # a documented write: the workbook as it was is kept
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("key,typed,words", [
    ("人员.编制", -5, ["0 到 999,999,999", "-5"]),
    ("三公.购置车辆", "-1", ["0 到 999,999,999", "-1"]),  # typed as text
    ("人员.实有", 2.5, ["整数", "2.5"]),
    ("上年.收入总计", -3427.44, ["0 到 999,999,999,999", "-3427.44"]),
])
def test_a_value_typed_in_the_workbook_is_refused_naming_sheet_and_cell(key, typed, words, sample, tmp_path):
    """The same ranges when 说明数据 is read: one line naming the workbook, the sheet and the cell."""
    book = _copy(sample, tmp_path)
    ref = workbook.read(book).inputs.cell(key)
    wb = load_workbook(book)
    if isinstance(typed, str):
        _set_text(wb[ref.sheet], ref.coord, typed)
    else:
        wb[ref.sheet][ref.coord].value = typed
    wb.save(book)
    before = snapshot(book)
    assert_refused(run("check", book), names=[f"“{book.name}”", f"工作表“{ref.sheet}”", f"单元格 {ref.coord}",
                                              f"“{key}”", *words], before=before, folder=tmp_path)


def test_the_desktop_window_checks_typed_values_the_same_way():
    from gui.models import validate

    assert "0 到 999,999,999" in validate("人员.编制", "-5")
    assert "32,767" in validate("主要职责", "职" * (EXCEL_CELL_LIMIT + 1))
    assert validate("主要职责", PAYLOADS[0]) == "" and validate("人员.编制", "３８") == ""


# ---------------------------------------------------------------- formula injection, writer by writer

def _cells(path: Path) -> dict[tuple[str, str], object]:
    """Every cell of every sheet of a file we wrote; none may be a formula (we write none on purpose)."""
    wb = load_workbook(path, keep_vba=path.suffix == ".xlsm", rich_text=False)
    formulas = [f"{ws.title}!{c.coordinate}={c.value!r}" for ws in wb.worksheets for row in ws.iter_rows()
                for c in row if c.data_type == "f"]
    assert formulas == [], f"{path.name} holds formulas: {formulas[:5]}"
    return {(ws.title, c.coordinate): c for ws in wb.worksheets for row in ws.iter_rows() for c in row}


def _assert_text(cells: dict, sheet: str, coord: str, expected: str) -> None:
    cell = cells[(sheet, coord)]
    assert (cell.value, cell.data_type) == (expected, "s"), f"{sheet}!{coord}"


def _set_text(ws, coord: str, text: str) -> None:
    """Test-side setup: a text cell written as text without the code under test."""
    ws[coord].value = text
    ws[coord].data_type = "s"


def _hostile_export(path: Path) -> Path:
    """The bundled 部门决算软件 export with the unit name and seven 科目名称 of 公开05表 replaced by payloads."""
    wb = load_workbook(SAMPLE)
    for ws in wb.worksheets:
        assert str(ws["A3"].value).startswith("编制单位：")
        _set_text(ws, "A3", f"编制单位：{PAYLOADS[0]}")
    ws = next(ws for ws in wb.worksheets if ws.title.startswith("05"))
    rows = {str(ws.cell(r, 1).value): r for r in range(1, ws.max_row + 1)}
    for code, payload in zip(CODES_05, PAYLOADS):
        _set_text(ws, f"B{rows[code]}", payload)
    wb.save(path)
    return path


def test_import_writes_unit_name_and_labels_as_text(tmp_path):
    export = _hostile_export(tmp_path / "导出.xlsx")
    out = tmp_path / "工作簿.xlsx"
    result = run("import", export, "-o", out)
    assert result.code == 0, result.err
    cells = _cells(out)
    _assert_text(cells, "封面", "B3", PAYLOADS[0])
    report = import_export(export)  # what the import read: the template holds exactly that
    written = workbook.read(out).table("05")
    for code in CODES_05:
        name = report.table("05").row(code).name
        assert name.strip() and name in {p.strip() for p in PAYLOADS}
        ref = written.row(code).values["小计"].cell
        _assert_text(cells, "公开05表", f"B{ref.coord[1:]}", name)
    assert workbook.read(out).unit_name == PAYLOADS[0]


def test_set_from_writes_texts_reasons_and_names_as_text(sample, tmp_path):
    book = _copy(sample, tmp_path)
    data: dict = {}
    for key, payload in zip(TEXT_KEYS, PAYLOADS):
        group, _, name = key.rpartition(".")
        (data.setdefault(group, {}) if group else data)[name] = payload
    data["单位构成"] = PAYLOADS
    data["原因"][PAYLOADS[0]] = PAYLOADS[1]  # a reason key of one's own is written into 原因说明 column A
    src = tmp_path / "说明数据.yaml"
    src.write_bytes(_yaml(data))
    result = run("inputs", book, "--set-from", src)
    assert result.code == 0, result.err
    cells = _cells(book)
    report = workbook.read(book)
    for key, payload in zip(TEXT_KEYS, PAYLOADS):
        ref = report.inputs.cell(key)
        _assert_text(cells, ref.sheet, ref.coord, payload.strip())  # typed text is trimmed at both ends, no more
    ref = report.inputs.cell("单位构成")
    _assert_text(cells, ref.sheet, ref.coord, "\n".join(p.strip() for p in PAYLOADS))
    ref = report.inputs.cell(f"原因.{PAYLOADS[0]}")
    _assert_text(cells, ref.sheet, f"A{ref.coord[1:]}", PAYLOADS[0])
    _assert_text(cells, ref.sheet, ref.coord, PAYLOADS[1])


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory) -> Path:
    """A macro-enabled sample (a real VBA project) whose unit name is a payload, seven 科目名称 of 公开05表 are
    payloads, seven texts start with one (and hold a placeholder, so S03 finds them) and each of those seven
    错误 is acknowledged with a payload as the reason."""
    folder = tmp_path_factory.mktemp("hostile")
    path = build_sample_book(folder / "样例.xlsm", vba_from=xlwings_file("quickstart.xlsm"))
    wb = load_workbook(path, keep_vba=True)
    _set_text(wb["封面"], "B3", PAYLOADS[0])
    ws = wb["公开05表"]
    rows = {str(ws.cell(r, 1).value): r for r in range(1, ws.max_row + 1)}
    for code, payload in zip(CODES_05, PAYLOADS):
        _set_text(ws, f"B{rows[code]}", payload)
    wb.save(path)
    workbook.update_inputs(path, {key: f"{payload.strip()}XX" for key, payload in zip(TEXT_KEYS, PAYLOADS)})
    placeholders = [f for f in acks.checked(workbook.read(path)) if f.rule == "S03" and f.table != "封面"]
    assert len(placeholders) == len(PAYLOADS)
    for f, payload in zip(placeholders, PAYLOADS):
        acks.acknowledge(path, f"S03@{f.cell}", payload)
    _backup(path).unlink()
    return path


def _reasons(path: Path) -> dict[str, str]:
    """cell -> the reason the hidden _已确认 sheet holds for its S03 ack."""
    sheet = load_workbook(path, keep_vba=True)[acks.ACK_SHEET]
    return {row[1].value: row[2].value for row in sheet.iter_rows(min_row=2)}


def test_acks_sheet_holds_typed_reasons_as_text(hostile_book, tmp_path):
    cells = _cells(hostile_book)
    assert sorted(_reasons(hostile_book).values()) == sorted(p.strip() for p in PAYLOADS)
    for (sheet, _), cell in cells.items():
        if sheet == acks.ACK_SHEET and cell.column == 3 and cell.row > 1:
            assert cell.data_type == "s"
    # the command line's --ack: a new reason replaces one, with a backup of the workbook as it was
    book = _copy(hostile_book, tmp_path, "样例.xlsm")
    target = next(iter(_reasons(book)))
    result = run("check", book, "--ack", f"S03@{target}", "--reason", PAYLOADS[1])
    assert result.code == 0, result.err
    assert _reasons(book)[target] == PAYLOADS[1] and _backup(book).read_bytes() == hostile_book.read_bytes()
    row = next(c.row for (s, _), c in _cells(book).items() if s == acks.ACK_SHEET and c.value == target)
    _assert_text(_cells(book), acks.ACK_SHEET, f"C{row}", PAYLOADS[1])


def _assert_check_report(path: Path, day: str) -> None:
    """校验报告.xlsx: the title starts with the unit name, each acknowledged S03 row ends in its reason."""
    cells = _cells(path)
    _assert_text(cells, "校验结果", "A1", f"{PAYLOADS[0]} 2024 年度部门决算公开 校验报告")
    rows = [c.row for (s, coord), c in cells.items() if s == "校验结果" and c.column == 3 and c.value == "S03"]
    why = {cells[("校验结果", f"F{r}")].value: cells[("校验结果", f"M{r}")] for r in rows}
    assert len(why) == len(PAYLOADS)
    assert sorted(c.value for c in why.values()) == sorted(f"{p.strip()}（{day}）" for p in PAYLOADS)
    assert all(c.data_type == "s" for c in why.values())


def test_check_xlsx_report_holds_text(hostile_book, tmp_path):
    book = _copy(hostile_book, tmp_path, "样例.xlsm")
    result = run("check", book, "--xlsx", tmp_path / "校验报告.xlsx")
    assert result.code == 0, result.err  # every 错误 is acknowledged
    _assert_check_report(tmp_path / "校验报告.xlsx", date.today().isoformat())


def test_export_tables_and_report_hold_text(hostile_book, tmp_path):
    book = _copy(hostile_book, tmp_path, "样例.xlsm")
    out = tmp_path / "公开包"
    result = run("export", book, "-o", out, "--no-pdf", "--force")
    assert result.code == 0, result.err
    _assert_check_report(out / "校验报告.xlsx", date.today().isoformat())
    cells = _cells(out / "公开表.xlsx")
    labels = {c.value for (s, _), c in cells.items() if s == "公开05表" and c.column == 2 and c.data_type == "s"}
    assert {p.strip() for p in PAYLOADS} <= labels
    _assert_text(cells, "公开05表", "A3", f"编制单位：{PAYLOADS[0]}")
    assert leftovers(tmp_path) == []


def test_batch_summary_holds_unit_and_file_names_as_text(hostile_book, tmp_path):
    folder = tmp_path / "各单位"
    folder.mkdir()
    for i, payload in enumerate(PAYLOADS):
        path = _copy(hostile_book, folder, f"单位{i}.xlsm")
        wb = load_workbook(path, keep_vba=True)
        _set_text(wb["封面"], "B3", payload)
        wb.save(path)
    _copy(hostile_book, folder, "=1+2.xlsm")
    summary = tmp_path / "汇总.xlsx"
    result = run("batch", folder, "-o", summary)
    assert result.code == 0, result.err
    cells = _cells(summary)
    rows = {cells[("批量校验汇总", f"A{r}")].value: r for r in range(2, 2 + len(PAYLOADS) + 1)}
    _assert_text(cells, "批量校验汇总", f"A{rows['=1+2.xlsm']}", "=1+2.xlsm")
    for i in range(len(PAYLOADS)):
        unit = workbook.read(folder / f"单位{i}.xlsm").unit_name  # as the tool read it
        assert unit.strip("\t\r") == PAYLOADS[i].strip()
        _assert_text(cells, "批量校验汇总", f"B{rows[f'单位{i}.xlsm']}", unit)


def test_addin_macros_keep_text_on_an_xlsm(hostile_book, tmp_path):
    book = _copy(hostile_book, tmp_path, "样例.xlsm")
    for macro in ("check", "narrative"):
        result = run("run", macro, book, module="addin")
        assert result.code == 0, result.err
    cells = _cells(book)
    ack_notes = [c for (s, coord), c in cells.items() if s == "校验结果" and coord[0] == "H" and c.value]
    assert {p.strip() for p in PAYLOADS} <= {c.value.removeprefix("已确认：").rsplit("（", 1)[0] for c in ack_notes}
    lines = {c.value for (s, _), c in cells.items() if s == "情况说明" and isinstance(c.value, str)}
    assert any(line.startswith(PAYLOADS[0]) for line in lines)  # the title: the unit name, then the year
    with open(book, "rb") as f:
        assert b"vbaProject" in f.read()
    # 导入 copies the sheets it built into the book: the copied unit name and labels stay text
    export = _hostile_export(tmp_path / "导出.xlsx")
    result = run("run", "import", book, "--from", export, module="addin")
    assert result.code == 0, result.err
    cells = _cells(book)
    _assert_text(cells, "封面", "B3", PAYLOADS[0])
    labels = {c.value for (s, _), c in cells.items() if s == "公开05表" and c.column == 2}
    assert {p.strip() for p in PAYLOADS} <= labels
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------- the helper itself

def test_put_text_keeps_text_and_refuses_what_excel_cannot_hold():
    from openpyxl import Workbook

    ws = Workbook().active
    for i, text in enumerate([*PAYLOADS, "#N/A", "'引号开头"], start=1):
        cell = put_text(ws.cell(i, 1), text)
        assert (cell.value, cell.data_type) == (text, "s")
    assert put_text(ws.cell(1, 2), 3).data_type == "n"
    with pytest.raises(InputError, match=r"单元格 C1：要写入的文字有 32,768 个字符"):
        put_text(ws.cell(1, 3), "字" * (EXCEL_CELL_LIMIT + 1))
    with pytest.raises(InputError, match="U\\+0007"):
        put_text(ws.cell(1, 4), "铃\x07")
    assert ws.cell(1, 3).value is None and ws.cell(1, 4).value is None  # nothing cut, nothing written


class _FakeRange:
    def __init__(self, log: list):
        self.log = log

    @property
    def value(self):
        return None

    @value.setter
    def value(self, rows):
        self.log.append(rows)


class _FakeSheet:
    def __init__(self, log: list):
        self.log = log
        self.api = type("Api", (), {"ProtectContents": False})()

    def range(self, cell):
        return _FakeRange(self.log)


def test_excel_gets_text_with_its_text_prefix():
    """Through COM, Excel too makes "=…" a formula: ExcelBook hands text over with Excel's apostrophe prefix
    (kept by Excel apart from the value). Live Excel is not here; the call's shape is what is tested."""
    log: list = []
    book = type("Book", (), {"fullname": "/tmp/样例.xlsm", "sheets": {"校验结果": _FakeSheet(log)}})()
    ExcelBook(book).write("校验结果", "A1", [[1, "正常", *PAYLOADS, "'引号"]])
    assert log == [[[1, "正常", *("'" + p for p in PAYLOADS), "''引号"]]]
    assert excel_literal(3) == 3 and excel_literal("甲") == "甲"


def test_a_cover_in_yuan_is_refused_at_its_cell(tmp_path):
    """The cover's 金额单位 changed to 元 and the tables typed in 元: read as 万元 they were 10,000 times too big,
    summed into a 汇总 without a word (new-user test). The file is refused, naming the cell and the way out."""
    from openpyxl import load_workbook

    from conftest import build_sample_book
    from disclosure import workbook
    from disclosure.errors import InputError

    book = build_sample_book(tmp_path / "单位.xlsx")
    wb = load_workbook(book)
    assert wb["封面"]["A5"].value == "金额单位" and wb["封面"]["B5"].value == "万元"
    wb["封面"]["B5"] = "元"
    wb.save(book)
    with pytest.raises(InputError) as raised:
        workbook.read(book)
    assert str(raised.value).startswith("文件“单位.xlsx”，工作表“封面”，单元格 B5：封面“金额单位”是“元”，而本工具的工作簿各表按万元填写")
