"""The add-in's macros, written once against the workbook protocol (book.py):

    import_    导入：部门决算软件导出的报表 → this workbook's 封面, 说明数据/原因说明 (kept) and nine tables
    check      校验：a 校验结果 sheet with links, every finding cell coloured by severity with a comment
    narrative  生成情况说明：a 情况说明 sheet, one paragraph a row, and the inputs still to fill, linked
    export     导出公开包：the package next to the workbook (or in a chosen folder)
    clear      清除标记：undo exactly the marks check made, the officer's own fills and comments come back
    acknowledge 确认问题：accept the 错误/警告 at the active cell with a reason (hidden _已确认 sheet), re-mark

From Excel (RunPython), call them without arguments: the book is the calling workbook and messages go to
Excel's status bar and message boxes. From the command line (`python -m addin run …`) and tests they get
a FileBook and a ConsoleUi. A failure ends in one Chinese message, never a traceback window.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from disclosure import acks, workbook
from disclosure.checks import run
from disclosure.checks.engine import ERROR, INFO, WARNING, Finding
from disclosure.checks.report import ACK_FILL, SEVERITY_FILL, ack_note, counts
from disclosure.errors import DisclosureError
from disclosure.outputs import safe_file_name  # <stem>-公开包 must still fit in a file name

import msgspec

from .book import Book
from .ui import Ui

# the blank macro-enabled workbook of each document kind (templates/workbooks, ./dev templates)
MACRO_TEMPLATES = {"部门决算": "决算公开模板.xlsm", "部门预算": "预算公开模板.xlsm"}

RESULT_SHEET = "校验结果"
NARRATIVE_SHEET = "情况说明"
MARKS_SHEET = "_校验标记"  # hidden: where each mark was and what the cell looked like before
RANK = {ERROR: 3, WARNING: 2, INFO: 1}
OUR_SHEETS = (RESULT_SHEET, NARRATIVE_SHEET, MARKS_SHEET)


class Outcome(msgspec.Struct):
    ok: bool
    message: str
    value: object = None


def macro(title: str):
    """Resolve the book and ui (Excel's caller when not given) and turn any failure into one message."""

    def wrap(fn):
        @functools.wraps(fn)
        def run_macro(book: Book | None = None, ui: Ui | None = None, **options) -> Outcome:
            try:
                if ui is None:
                    from .ui import ExcelUi

                    ui = ExcelUi.caller()
                if book is None:
                    from .book import ExcelBook

                    book = ExcelBook.caller()
                ui.status(f"{title}…")
                message, value = fn(book, ui, **options)
            except DisclosureError as exc:
                text = f"{title}未完成：{exc}"
            except Exception as exc:  # never a traceback window in front of the officer
                text = f"{title}时发生内部错误（{type(exc).__name__}：{exc}）。请把这条信息和工作簿发给技术支持。"
            else:
                if message:
                    ui.done(message)
                else:
                    ui.status("")
                return Outcome(True, message, value)
            if ui is not None:
                ui.error(text)
            return Outcome(False, text)

        return run_macro

    return wrap


def _report(book: Book, sheets=None):
    """The workbook as the core reads it, without the sheets the macros write (a 情况说明 that quotes a
    table title must never be taken for the table)."""
    return workbook.from_sheets(sheets or _own_sheets(book), book.path)


def _own_sheets(book: Book):
    return [s for s in book.sheets() if s.name not in OUR_SHEETS]


# ---------------------------------------------------------------- 校验 and 清除标记

@macro("校验")
def check(book: Book, ui: Ui):
    report = _report(book)
    ui.status("校验：重算合计与表间关系…")
    findings = acks.apply(run(report), report.acks)
    _clear_marks(book)
    _write_results(book, findings)
    marked = _mark(book, findings)
    book.finish()
    errors = len(acks.open_findings(findings, ERROR))
    summary = f"{report.unit_name} {report.year} 年度{report.kind} 校验结果：{counts(findings)}。"
    if findings:
        summary += f"已在表中标出 {len(marked)} 个单元格（红：错误，黄：警告，蓝：提示），详见“{RESULT_SHEET}”工作表。"
    else:
        summary += "全部表内、表间关系相符。"
    return summary, {"findings": findings, "errors": errors, "marked": marked}


@macro("清除标记")
def clear(book: Book, ui: Ui):
    n = _clear_marks(book)
    book.finish()
    return (f"已清除 {n} 处校验标记，单元格原来的颜色和批注已恢复。" if n else "没有需要清除的校验标记。"), n


def _write_results(book: Book, findings: list[Finding]) -> None:
    book.add_sheet(RESULT_SHEET)
    head = ["序号", "级别", "规则", "表", "单元格", "说明", "处理建议", "确认"]
    rows = [head] + [[i, f.severity, f.rule, f.table, str(f.cell or ""), f.message,
                      f.hint if f.severity == ERROR and not acks.acknowledged(f) else "", ack_note(f)]
                     for i, f in enumerate(findings, start=1)]
    if not findings:
        rows.append(["", "", "", "", "", "全部表内、表间关系相符，没有发现问题。", "", ""])
    book.write(RESULT_SHEET, "A1", rows)
    for c in range(1, len(head) + 1):
        book.set_bold(RESULT_SHEET, f"{'ABCDEFGH'[c - 1]}1")
    for c, width in enumerate((6, 6, 8, 10, 16, 80, 40, 40), start=1):
        book.set_width(RESULT_SHEET, c, width)
    for i, f in enumerate(findings, start=2):
        if f.cell:
            book.link(RESULT_SHEET, f"E{i}", f.cell.sheet, f.cell.coord, str(f.cell))
        book.set_fill(RESULT_SHEET, f"B{i}", SEVERITY_FILL[f.severity])
        if f.ack:
            book.set_fill(RESULT_SHEET, f"H{i}", ACK_FILL if acks.acknowledged(f) else SEVERITY_FILL[WARNING])


def _mark(book: Book, findings: list[Finding]) -> list[tuple[str, str]]:
    """Colour every cell of every finding by its worst open severity (green when all its findings are
    acknowledged), with the messages as a comment; record what each cell looked like before in the
    hidden marks sheet."""
    cells: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        for ref in f.cells or ([f.cell] if f.cell else []):
            cells.setdefault((ref.sheet, ref.coord), []).append(f)
    names = set(book.sheet_names())
    cells = {k: v for k, v in cells.items() if k[0] in names}
    if not cells:
        return []
    record = [["工作表", "单元格", "原填充", "原批注"]]
    for sheet, coord in cells:
        record.append([sheet, coord, book.fill(sheet, coord), book.comment(sheet, coord)])
    book.add_sheet(MARKS_SHEET, hidden=True)
    book.write(MARKS_SHEET, "A1", record)
    for (sheet, coord), found in cells.items():
        still = [f for f in found if not acks.acknowledged(f)]
        fill = SEVERITY_FILL[max(still, key=lambda f: RANK[f.severity]).severity] if still else ACK_FILL
        book.set_fill(sheet, coord, fill)
        book.set_comment(sheet, coord, "\n".join(f"{f.severity} {f.rule}：{f.message}"
                                                 + (f"（{ack_note(f)}）" if f.ack else "") for f in found))
    return list(cells)


def _clear_marks(book: Book) -> int:
    if MARKS_SHEET not in book.sheet_names():
        return 0
    sheet = next(s for s in book.sheets() if s.name == MARKS_SHEET)
    names = set(book.sheet_names())
    n = 0
    for r in range(1, sheet.height):
        name, coord = sheet.text(r, 0), sheet.text(r, 1)
        if name in names and coord:
            book.restore_fill(name, coord, _raw(sheet.value(r, 2)))
            book.restore_comment(name, coord, _raw(sheet.value(r, 3)))
            n += 1
    book.delete_sheet(MARKS_SHEET)
    return n


def _raw(value) -> str:
    return "" if value is None else str(value)


# ---------------------------------------------------------------- 确认问题

@macro("确认问题")
def acknowledge(book: Book, ui: Ui, cell: str | None = None, reason: str | None = None):
    """Acknowledge the 错误/警告 that point at the active cell (or `cell`, "公开05表!C7") with a reason,
    asked through the ui unless given; the 校验结果 sheet and the marks are then redone."""
    sheets = _own_sheets(book)
    report = _report(book, sheets)
    findings = acks.apply(run(report), report.acks)
    where = tuple(cell.replace("！", "!").rsplit("!", 1)) if cell else book.active_cell()
    if not where or len(where) != 2:
        raise DisclosureError("请先在表中选中要确认的单元格（校验标出的红色或黄色单元格）")
    sheet, coord = where[0].strip("'"), where[1].replace("$", "").upper()
    chosen = [f for f in findings if f.cell and (f.cell.sheet, f.cell.coord) == (sheet, coord)
              and f.severity in acks.ACKABLE]
    if not chosen:
        raise DisclosureError(f"{sheet}!{coord} 没有可确认的错误或警告{_pointing_elsewhere(findings, sheet, coord)}")
    if reason is None:
        listing = "\n".join(f"{f.severity} {f.rule}：{f.message}" for f in chosen)
        reason = ui.ask_text("确认问题", f"确认 {sheet}!{coord} 的问题：\n{listing}\n\n"
                                         "请写明原因（如“已核实，财政批复数如此”；该单元格等数一改，确认即失效）：")
        if not reason:
            return "已取消确认（没有填写原因）。", None
    new = acks.make(chosen, reason, sheets)
    every = acks.merged(report.acks, new)
    book.add_sheet(acks.ACK_SHEET, hidden=True)
    book.write(acks.ACK_SHEET, "A1", acks.rows(every))
    findings = acks.apply(findings, every)
    _clear_marks(book)
    _write_results(book, findings)
    _mark(book, findings)
    book.finish()
    names = "、".join(f"{f.rule}" for f in chosen)
    return f"已确认 {sheet}!{coord} 的 {names}：{new[0].reason}。校验结果：{counts(findings)}。", findings


def _pointing_elsewhere(findings: list[Finding], sheet: str, coord: str) -> str:
    """Where the findings this cell takes part in point (acknowledge them there), or why there is nothing."""
    others = {str(f.cell) for f in findings if f.cell and f.severity in acks.ACKABLE
              and any((c.sheet, c.coord) == (sheet, coord) for c in f.cells)}
    if others:
        return f"；它参与的问题指向 {'、'.join(sorted(others))}，请选中那个单元格再确认"
    if any(f.cell and (f.cell.sheet, f.cell.coord) == (sheet, coord) for f in findings):
        return "（提示不需要确认）"
    return "（该单元格没有校验问题）"


# ---------------------------------------------------------------- 生成情况说明

@macro("生成情况说明")
def narrative(book: Book, ui: Ui, style: str | None = None):
    from disclosure.narrative.render import render

    report = _report(book)
    ui.status("生成情况说明：按表格和说明数据写出各节…")
    doc = render(report, style=style)
    lines = doc.text().splitlines()
    headings = {doc.title} | {p.title for p in doc.parts} | {s.title for p in doc.parts for s in p.sections}
    book.add_sheet(NARRATIVE_SHEET)
    book.write(NARRATIVE_SHEET, "A1", [[line] for line in lines])
    book.set_width(NARRATIVE_SHEET, 1, 120)
    for i, line in enumerate(lines, start=1):
        if line in headings:
            book.set_bold(NARRATIVE_SHEET, f"A{i}")
    if doc.missing:
        top = len(lines) + 2
        book.write(NARRATIVE_SHEET, f"A{top}", [[f"还有 {len(doc.missing)} 项待填写（点击跳转到要填的单元格）："]])
        book.set_bold(NARRATIVE_SHEET, f"A{top}")
        for i, m in enumerate(doc.missing, start=top + 1):
            if m.cell:
                book.link(NARRATIVE_SHEET, f"A{i}", m.cell.sheet, m.cell.coord, f"{m.label}（{m.cell}）")
            else:
                book.write(NARRATIVE_SHEET, f"A{i}", [[m.label]])
    book.finish()
    tail = f"，还有 {len(doc.missing)} 项待填写" if doc.missing else ""
    return f"情况说明已写入“{NARRATIVE_SHEET}”工作表（{len(lines)} 行{tail}）。", doc


# ---------------------------------------------------------------- 导出公开包

@macro("导出公开包")
def export(book: Book, ui: Ui, outdir: str | Path | None = None, force: bool = False):
    from disclosure.export import ExportRefused, export_package

    source = book.on_disk()
    target = Path(outdir) if outdir else source.parent / safe_file_name(source.stem, "-公开包")

    def progress(n: int, total: int, stage: str) -> None:
        ui.status(f"导出公开包：{stage}（{n}/{total}）…")

    try:
        result = export_package(source, target, force=force, progress=progress)
    except ExportRefused as exc:
        lines = "\n".join(exc.problems[:8])
        raise DisclosureError(f"{exc}\n{lines}\n请先运行“校验”，按“{RESULT_SHEET}”工作表改正。") from None
    notes = "".join(f"\n提示：{w}" for w in result.warnings)
    return f"公开包已导出到：{result.outdir}（{len(result.files)} 个文件）{notes}", result


# ---------------------------------------------------------------- 导入

@macro("导入")
def import_(book: Book, ui: Ui, source: str | Path | None = None):
    from disclosure.importers.export import import_export
    from disclosure.inputs import Inputs

    path = Path(source) if source else ui.ask_open("选择部门决算软件导出的报表")
    if path is None:
        return "已取消导入。", None
    ui.status(f"导入：读取 {path.name}…")
    try:  # keep what the officer already typed into 说明数据/原因说明
        existing = _report(book)
    except DisclosureError:
        existing = None
    # an export that fits two regions' 表样 alike is read in the workbook's own region
    report = import_export(path, prefer_region=existing.spec.region if existing is not None else None)
    found = report.inputs.values  # the export's zero convention (零值显示)
    if existing is not None and existing.kind != report.kind:
        # a 预算 export into a 决算 workbook (or the reverse) would leave two sets of tables side by side
        raise DisclosureError(f"“{path.name}”是{report.kind}报表，而当前工作簿是{existing.kind}工作簿（见封面“报表类型”）："
                              f"请打开 {MACRO_TEMPLATES[report.kind]}，另存为本单位的文件后再导入。")
    report.inputs = existing.inputs if existing is not None else Inputs()
    for key, value in found.items():
        report.inputs.values.setdefault(key, value)
    _clear_marks(book)
    ui.status(f"导入：写入封面、说明数据和 {len(report.spec.tables)} 张表…")
    with tempfile.TemporaryDirectory(prefix="jsgk-import-") as folder:
        built = workbook.save_atomic(workbook.build(report.spec, report), Path(folder) / "导入.xlsx")
        names = [workbook.COVER_SHEET, *_input_sheets(), *(t.sheet_name for t in report.spec.tables.values())]
        book.replace_sheets_from(built, names)
    if existing is not None:  # another region's (or year's) 表样 names its tables otherwise: no stale copies left
        for name in [t.sheet_name for t in existing.spec.tables.values()]:
            if name not in names and name in book.sheet_names():
                book.delete_sheet(name)
    book.finish()
    notices = "".join(f"\n提示：{n}" for n in report.notices)  # labels read by 行次, amounts converted from 元
    return (f"已导入{report.kind} {report.unit_name or '（未识别单位名称）'} {report.year} 年度（{report.layout} 表样）"
            f"的 {len(report.spec.tables)} 张表；"
            f"说明数据已保留。下一步：校验。{notices}"), report


def _input_sheets() -> list[str]:
    from disclosure.inputs import INPUT_SHEET, REASON_SHEET

    return [INPUT_SHEET, REASON_SHEET]


MACROS = {"import": import_, "check": check, "narrative": narrative, "export": export, "clear": clear,
          "ack": acknowledge}
