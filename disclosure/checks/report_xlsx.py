"""The .xlsx 校验报告 (openpyxl): findings of the tables, and of the 情况说明 on a second sheet."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..acks import acknowledged
from ..cells import put
from ..model import Report
from ..workbook_write import save_atomic
from .engine import ERROR, WARNING, Finding
from .report import ACK_FILL, SEVERITY_FILL, counts

HEADERS = [("序号", 6), ("级别", 6), ("规则", 7), ("规则名称", 28), ("表", 8), ("单元格", 22), ("说明", 70),
           ("应为", 12), ("实为", 12), ("差额", 10), ("处理建议", 40), ("确认", 8), ("确认原因", 40)]


LINT_HEADERS = [("序号", 6), ("级别", 6), ("规则", 7), ("位置", 24), ("原文", 60), ("文中", 30), ("应为", 40),
                ("单元格", 22)]
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def write_xlsx(report: Report, findings: list[Finding], path: str | Path, banner: str | None = None,
               lint: list | None = None) -> Path:
    """The 校验报告. banner: a warning printed in red above everything (a forced export);
    lint: findings of the 情况说明 check (lint.LintFinding), on a second sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "校验结果"
    ncols = len(HEADERS)
    put(ws, 1, 1, f"{report.unit_name} {report.year} 年度{report.kind}公开 校验报告").font = Font(size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    note = (f"{counts(findings)}。金额单位：{report.spec.unit}。尾差：n 项四舍五入后相加，与合计最多相差 n × 0.005。"
            + ("已确认：经办人核实后接受并写明原因的问题（所涉单元格的数一改即失效）。" if any(f.ack for f in findings) else ""))
    put(ws, 2, 1, note)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    if banner:
        warn = put(ws, 3, 1, banner)
        warn.font = Font(size=12, bold=True, color="C00000")
        warn.fill = PatternFill("solid", fgColor=SEVERITY_FILL[ERROR])
        ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=ncols)
    _head(ws, 4, HEADERS)
    for i, f in enumerate(findings, start=1):
        status, why = "", ""
        if f.ack is not None:
            status = f.ack.status
            why = f"{f.ack.reason}（{f.ack.day}）" + (f"；{f.ack.lapsed}" if f.ack.lapsed else "")
        values = [i, f.severity, f.rule, f.title, f.table, str(f.cell or ""), f.message,
                  f.expected, f.actual, f.difference, f.hint, status, why]
        for c, value in enumerate(values, start=1):
            cell = put(ws, 4 + i, c, value)  # messages and reasons quote typed text: never a formula
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=c in (4, 7, 11, 13))
            if c in (8, 9, 10):
                cell.number_format = "#,##0.00"
        ws.cell(4 + i, 2).fill = PatternFill("solid", fgColor=SEVERITY_FILL[f.severity])
        if status:
            ws.cell(4 + i, 12).fill = PatternFill("solid", fgColor=ACK_FILL if acknowledged(f) else SEVERITY_FILL[WARNING])
    if not findings:
        ws.cell(5, 1, "全部表内、表间关系相符，没有发现问题。")
    ws.freeze_panes = "A5"
    ws.auto_filter.ref = f"A4:{get_column_letter(ncols)}{max(5, 4 + len(findings))}"
    _print_setup(ws, "4:4")
    if lint is not None:
        _write_lint(wb, lint)
    return save_atomic(wb, path, {report.source: "要校验的工作簿"})  # never over the workbook checked


def _head(ws, row: int, headers: list[tuple[str, int]]) -> None:
    for c, (name, width) in enumerate(headers, start=1):
        cell = ws.cell(row, c, name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = width


def _print_setup(ws, title_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _write_lint(wb: Workbook, lint: list) -> None:
    ws = wb.create_sheet("情况说明核对")
    ws.cell(1, 1, f"情况说明与表格核对：{counts(lint)}").font = Font(size=12, bold=True)
    _head(ws, 3, LINT_HEADERS)
    for i, f in enumerate(lint, start=1):
        values = [i, f.severity, f.rule, f.place or f.section, f.sentence, f.says, f.should, "、".join(map(str, f.cells))]
        for c, value in enumerate(values, start=1):
            cell = put(ws, 3 + i, c, value)
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=c in (5, 6, 7))
        ws.cell(3 + i, 2).fill = PatternFill("solid", fgColor=SEVERITY_FILL[f.severity])
    if not lint:
        ws.cell(4, 1, "情况说明中的数字、比例与增减方向均与表格一致。")
    ws.freeze_panes = "A4"
    _print_setup(ws, "3:3")

