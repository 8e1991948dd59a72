"""Check (and optionally export) every workbook of a folder — what a finance bureau does with the
departments' submissions — and write the summary as an .xlsx. Used by the desktop window's 批量 page;
free of Qt so it is tested and timed here."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from . import workbook
from .acks import checked, open_findings
from .cells import put
from .checks import ERROR
from .checks.engine import INFO, WARNING
from .errors import DisclosureError
from .files import atomic_write

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
OK, HAS_ERRORS, EXPORTED, REFUSED, FAILED = "通过", "有错误", "已导出", "未导出（有错误）", "读取失败"


@dataclass
class BatchRow:
    file: Path
    unit: str = ""
    year: int | None = None
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    status: str = ""
    detail: str = ""  # why it failed, or where the package went


SUMMARY_TITLE = "批量校验汇总"  # the summary's sheet, default name and document title (how a later run knows it)


def workbooks_in(folder: Path) -> list[Path]:
    """The workbooks of a folder, not our backups, our summaries or Excel's lock files (~$…)."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in WORKBOOK_SUFFIXES and p.is_file()
                  and not p.name.startswith(("~$", ".~")) and ".备份" not in p.stem and not is_summary(p))


def is_summary(path: Path) -> bool:
    """A summary written by write_summary: by its name, or (renamed) by the title it carries in its
    document properties — read from the zip without opening the workbook."""
    if SUMMARY_TITLE in path.stem:
        return True
    try:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml")[:4096].decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return re.search(rf"<dc:title[^>]*>{SUMMARY_TITLE}</dc:title>", core) is not None


def default_summary_path(folder: Path) -> Path:
    """Where a folder's summary goes unless the officer says otherwise: beside the folder, not in it (in it,
    it would sit among the submissions)."""
    folder = Path(folder).resolve()
    parent = folder.parent if folder.parent != folder else Path.home()
    return parent / f"{folder.name or '文件夹'}-{SUMMARY_TITLE}.xlsx"


def check_folder(folder: str | Path, export_to: Path | None = None,
                 progress: Callable[[int, int, str], None] | None = None,
                 cancelled: Callable[[], bool] = lambda: False) -> list[BatchRow]:
    """One row per workbook, in name order. With export_to, a clean workbook's package goes to
    export_to/<workbook name>/ (PDF included when a converter is there)."""
    files = workbooks_in(Path(folder))
    rows: list[BatchRow] = []
    for i, path in enumerate(files, start=1):
        if cancelled():
            break
        if progress:
            progress(i, len(files), path.name)
        rows.append(_one(path, export_to))
    return rows


def _one(path: Path, export_to: Path | None) -> BatchRow:
    row = BatchRow(path)
    try:
        report = workbook.read(path)
    except DisclosureError as exc:
        row.status, row.detail = FAILED, str(exc)
        return row
    findings = checked(report)  # acknowledged findings (acks.py) are not counted, as in `disclosure check`
    row.unit, row.year = report.unit_name, report.year
    row.errors = len(open_findings(findings, ERROR))
    row.warnings = len(open_findings(findings, WARNING))
    row.infos = len(open_findings(findings, INFO))
    row.status = HAS_ERRORS if row.errors else OK
    if export_to is not None:
        from .export import ExportRefused, export_package

        try:
            result = export_package(path, export_to / path.stem)
            row.status, row.detail = EXPORTED, str(result.outdir)
        except ExportRefused as exc:
            row.status, row.detail = REFUSED, "；".join(exc.problems[:3])
        except DisclosureError as exc:
            row.status, row.detail = FAILED, str(exc)
    return row


HEADERS = [("文件", 36), ("单位", 30), ("年度", 8), ("错误", 8), ("警告", 8), ("提示", 8), ("状态", 16), ("说明", 60)]


def write_summary(rows: list[BatchRow], path: str | Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = SUMMARY_TITLE
    wb.properties.title = SUMMARY_TITLE
    for c, (name, width) in enumerate(HEADERS, start=1):
        cell = ws.cell(1, c, name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        ws.column_dimensions[cell.column_letter].width = width
    for r, row in enumerate(rows, start=2):
        counts = [None] * 3 if row.status == FAILED else [row.errors, row.warnings, row.infos]  # not read: no count
        values = [row.file.name, row.unit, row.year, *counts, row.status, row.detail]
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value)  # file names, unit names and messages: text, never a formula
        if row.status in (HAS_ERRORS, REFUSED, FAILED):
            ws.cell(r, 7).fill = PatternFill("solid", fgColor="FFC7CE")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:H{max(2, len(rows) + 1)}"
    return atomic_write(path, lambda tmp: wb.save(tmp), {r.file: "校验的工作簿" for r in rows})
