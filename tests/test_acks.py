"""Acknowledging a finding (`disclosure check --ack RULE@CELL --reason TEXT`): on the bundled sample with one
real 错误 — a 经济分类 款 of 公开06表 changed, so its 类 no longer adds up (T06.1) — the ack is stored in the
workbook's hidden sheet, the check passes and says 已确认 with the reason, the export goes through without
--force; any change to a cell of the finding lapses it; bad spellings are refused and leave the file alone."""

from __future__ import annotations

import json
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import build_sample_book
from disclosure import acks, workbook
from disclosure.checks.engine import Finding
from disclosure.errors import DisclosureError
from disclosure.grid import read_sheets
from disclosure.model import CellRef

REASON = "已核实，财政批复数如此"


@pytest.fixture(scope="module")
def _sample(tmp_path_factory) -> Path:
    return build_sample_book(tmp_path_factory.mktemp("acks") / "样例.xlsx")


def _cell(path: Path, code: str) -> CellRef:
    """Where 公开06表 prints the 决算数 of an economic classification code (found by code, not by address)."""
    row = workbook.read(path).table("06").row(code)
    assert row is not None and row.name, code
    return row.values["决算数"].cell


def _set(path: Path, ref: CellRef, delta: str) -> None:
    wb = load_workbook(path, keep_vba=path.suffix == ".xlsm")
    cell = wb[ref.sheet][ref.coord]
    cell.value = Decimal(str(cell.value)) + Decimal(delta)
    wb.save(path)


@pytest.fixture
def broken(_sample, tmp_path) -> Path:
    """The sample with 30101 基本工资 one 万元 higher: 301 工资福利支出 is no longer the sum of its 款."""
    path = Path(shutil.copy(_sample, tmp_path / "样例.xlsx"))
    _set(path, _cell(path, "30101"), "1")
    return path


def _check(cli, path: Path, *extra) -> tuple[int, list[dict]]:
    result = cli("check", path, "--json", *extra)
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)


def _t06(findings: list[dict], cell: CellRef) -> dict:
    return next(f for f in findings if f["rule"] == "T06.1" and f["cell"] == str(cell))


def test_ack_a_real_error_then_check_passes_and_shows_the_reason(broken, cli, tmp_path):
    total = _cell(broken, "301")
    code, findings = _check(cli, broken)
    error = _t06(findings, total)
    assert code == 1 and error["severity"] == "错误" and error["ack"] is None
    assert str(_cell(broken, "30101")) in error["cells"] and error["difference"] == "-1.00"
    tables_before = {s.name: s.rows for s in read_sheets(broken) if s.name.startswith("公开")}

    result = cli("check", broken, "--ack", f"T06.1@{total}", "--reason", REASON, "--xlsx", tmp_path / "报告.xlsx")
    assert result.code == 0, result.out + result.err
    assert f"已确认 T06.1 {total}：{REASON}" in result.err and "样例.备份.xlsx" in result.err
    assert f"错误（已确认） T06.1 {total}" in result.out and f"已确认：{REASON}（" in result.out
    assert "已确认 1 条（错误 1 条）" in result.out.splitlines()[0]
    assert broken.with_name("样例.备份.xlsx").exists()

    # the ack lives in a hidden sheet; the tables are untouched
    wb = load_workbook(broken)
    assert wb[acks.ACK_SHEET].sheet_state == "hidden"
    assert [c.value for c in wb[acks.ACK_SHEET][2]][:3] == ["T06.1", str(total), REASON]
    assert {s.name: s.rows for s in read_sheets(broken) if s.name.startswith("公开")} == tables_before

    code, findings = _check(cli, broken)
    assert code == 0 and _t06(findings, total)["ack"]["status"] == "已确认"
    assert _t06(findings, total)["ack"]["reason"] == REASON
    ws = load_workbook(tmp_path / "报告.xlsx")["校验结果"]
    head = [c.value for c in ws[4]]
    row = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r[2] == "T06.1" and r[5] == str(total))
    assert row[head.index("确认")] == "已确认" and row[head.index("确认原因")].startswith(REASON)
    assert "已确认 1 条" in ws["A2"].value


@pytest.mark.parametrize("code", ["301", "30101", "30102", "30113"])
def test_changing_any_cell_of_the_finding_lapses_the_ack(broken, cli, code):
    total = _cell(broken, "301")
    assert cli("check", broken, "--ack", f"T06.1@{total}", "--reason", REASON).code == 0
    changed = _cell(broken, code)
    _set(broken, changed, "0.5")
    result = cli("check", broken)
    assert result.code == 1, result.out
    assert "确认已失效（所涉单元格的数已改变）：" + REASON in result.out and "确认已失效 1 条" in result.out
    _, findings = _check(cli, broken)
    ack = _t06(findings, total)["ack"]
    assert (ack["status"], ack["reason"], ack["lapsed"]) == ("已失效", REASON, "所涉单元格的数已改变")
    _set(broken, changed, "-0.5")  # the same numbers again: the officer's check holds again
    assert cli("check", broken).code == 0


def test_a_change_elsewhere_keeps_the_ack(broken, cli):
    total = _cell(broken, "301")
    assert cli("check", broken, "--ack", f"T06.1@{total}", "--reason", REASON).code == 0
    _set(broken, _cell(broken, "30201"), "1")  # 办公费: a new 错误 of 302, nothing of 301's
    code, findings = _check(cli, broken)
    assert code == 1 and _t06(findings, total)["ack"]["status"] == "已确认"
    new = [f for f in findings if f["severity"] == "错误" and f["ack"] is None]
    assert [f["cell"] for f in new] == [str(_cell(broken, "302"))]


def test_unack_brings_the_error_back(broken, cli):
    total = _cell(broken, "301")
    assert cli("check", broken, "--ack", f"T06.1@{total}", "--reason", REASON).code == 0
    result = cli("check", broken, "--unack", f"T06.1@{total.coord}")  # sheet-less: only one such ack
    assert result.code == 1 and f"已取消对 T06.1 {total} 的确认（原因曾为：{REASON}）" in result.err
    assert acks.ACK_SHEET not in load_workbook(broken).sheetnames  # nothing left to keep


def test_export_without_force_after_the_ack(broken, cli, tmp_path):
    total = _cell(broken, "301")
    refused = cli("export", broken, "-o", tmp_path / "包", "--no-pdf")
    assert refused.code == 1 and f"T06.1 {total}" in refused.err and not (tmp_path / "包").exists()
    assert cli("check", broken, "--ack", f"T06.1＠{total.sheet}！{total.coord.lower()}", "--reason", REASON).code == 0
    result = cli("export", broken, "-o", tmp_path / "包", "--no-pdf")
    assert result.code == 0, result.err
    ws = load_workbook(tmp_path / "包" / "校验报告.xlsx")["校验结果"]
    head = [c.value for c in ws[4]]
    row = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r[2] == "T06.1" and r[5] == str(total))
    assert row[1] == "错误" and row[head.index("确认")] == "已确认" and REASON in row[head.index("确认原因")]
    text = (tmp_path / "包" / "校验报告.txt").read_text(encoding="utf-8")
    assert f"已确认：{REASON}" in text and "强制导出" not in text
    manifest = json.loads((tmp_path / "包" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["check"]["错误"] == 0 and manifest["check"]["acknowledged"] == 1
    assert manifest["check"]["forced"] is False


@pytest.mark.parametrize("args, says", [
    (["--ack", "T06.1", "--reason", REASON], "的写法应为 规则@单元格"),
    (["--ack", "T06.1@", "--reason", REASON], "的写法应为 规则@单元格"),
    (["--ack", "T06.1@公开06表!5C", "--reason", REASON], "不是单元格地址"),
    (["--ack", "T99.9@C5", "--reason", REASON], "没有编号为“T99.9”的校验规则"),
    (["--ack", "T06.1@公开06表!C6", "--reason", REASON], "没有规则 T06.1 在 公开06表!C6 的问题"),
    (["--ack", "T06.1@公开05表!C5", "--reason", REASON], "（该规则的问题在：公开06表!C5）"),
    (["--ack", "T06.1@C5"], "须用 --reason 写明原因"),
    (["--ack", "T06.1@C5", "--reason", "　 "], "须用 --reason 写明原因"),
    (["--reason", REASON], "--reason 只能与 --ack 一起使用"),
    (["--unack", "T06.1@C5"], "没有对 T06.1@C5 的确认"),
])
def test_bad_ack_is_refused_in_chinese_and_leaves_the_file(broken, cli, args, says):
    assert _cell(broken, "301") == CellRef("公开06表", "C5")  # the spellings above name it
    before = broken.read_bytes()
    result = cli("check", broken, *args)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("错误：") and says in result.err and "Traceback" not in result.err
    assert broken.read_bytes() == before and not broken.with_name("样例.备份.xlsx").exists()


def test_a_hint_is_not_acknowledged(book004, cli):
    code, findings = _check(cli, book004)
    hint = next(f for f in findings if f["severity"] == "提示" and f["cell"])
    before = book004.read_bytes()
    result = cli("check", book004, "--ack", f"{hint['rule']}@{hint['cell']}", "--reason", REASON)
    assert result.code == 2 and "是提示，不需要确认；只有错误和警告可以确认" in result.err
    assert book004.read_bytes() == before


def test_a_warning_can_be_acknowledged_too(broken, cli):
    code, findings = _check(cli, broken)
    tail = next(f for f in findings if f["severity"] == "警告")
    assert cli("check", broken, "--ack", f"{tail['rule']}@{tail['cell']}", "--reason", "尾差，按财政口径").code == 1
    code, findings = _check(cli, broken)
    again = next(f for f in findings if (f["rule"], f["cell"]) == (tail["rule"], tail["cell"]))
    assert again["ack"]["status"] == "已确认" and code == 1  # the 错误 of 301 is still open


def test_sheetless_cell_of_two_sheets_must_name_the_sheet():
    made = [Finding("T05.1", "错误", "05", CellRef(s, "C7"), "…") for s in ("公开04表", "公开05表")]
    with pytest.raises(DisclosureError, match="在多张表中都有规则 T05.1 的问题（公开04表、公开05表）"):
        acks.resolve(made, "T05.1@C7")
    assert acks.resolve(made, "t05.1@'公开05表'!$C$7") == [made[1]]


def test_the_hidden_sheet_is_never_read_as_a_table(broken, cli):
    """A reason may quote a table's title and number; the ack sheet is still not a table."""
    total = _cell(broken, "301")
    quoting = "公开06表 一般公共预算财政拨款基本支出决算明细表 合计 与 公开05表 一致，已核实"
    assert cli("check", broken, "--ack", f"T06.1@{total}", "--reason", quoting).code == 0
    report = workbook.read(broken)
    assert report.table("06").sheet != acks.ACK_SHEET and report.acks[0].reason == quoting
    assert cli("show", broken).code == 0


def test_ack_keeps_the_vba_of_an_xlsm(tmp_path, cli):
    from addin.excelfiles import xlwings_file

    path = build_sample_book(tmp_path / "样例.xlsm", vba_from=xlwings_file("quickstart.xlsm"))
    _set(path, _cell(path, "30101"), "1")
    vba = zipfile.ZipFile(path).read("xl/vbaProject.bin")
    total = _cell(path, "301")
    assert cli("check", path, "--ack", f"T06.1@{total}", "--reason", REASON).code == 0
    assert zipfile.ZipFile(path).read("xl/vbaProject.bin") == vba
    assert path.with_name("样例.备份.xlsm").exists()


def test_excel_book_active_cell_and_the_reason_prompt():
    """Shapes only (no Excel here): the selection's first cell, in this workbook only; InputBox for text."""
    from addin.book import ExcelBook
    from addin.ui import ExcelUi
    from test_addin_excel_fake import FakeBook

    log: list = []
    fake = FakeBook(log)
    fake.name = "子洲县.xlsm"
    sheet = fake.sheets["公开05表"]
    sheet.book = fake
    fake.selection = type("Selection", (), {"sheet": sheet, "address": "$C$7:$D$9"})()
    assert ExcelBook(fake).active_cell() == ("公开05表", "C7")
    other = type("Book", (), {"name": "别的.xlsx"})()
    fake.selection.sheet = type("Sheet", (), {"name": "公开05表", "book": other})()
    assert ExcelBook(fake).active_cell() is None
    ui = ExcelUi(fake.app)
    fake.app.InputBox = lambda prompt, title, default, Type: log.append(("InputBox", title, Type)) or " 已核实 "
    assert ui.ask_text("确认问题", "原因：") == "已核实" and ("InputBox", "确认问题", 2) in log
    fake.app.InputBox = lambda *a, **k: False  # cancelled
    assert ui.ask_text("确认问题", "原因：") is None
