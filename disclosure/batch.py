"""Check (and optionally export) every workbook of a folder — what a finance bureau does with the
departments' submissions — and write the summary as an .xlsx. Used by the CLI (`disclosure batch`) and the
desktop window's 批量 page; free of Qt so it is tested and timed here.

`run(folder, jobs=…)` spreads the workbooks over a process pool (batchpool.py), keeps one small BatchRow per
workbook (counts and findings as tuples, never a Report: memory stays flat over thousands of files) and
returns a BatchResult whose pandas DataFrames (batchsummary.py) a script can use directly:

    result = batch.run("各单位报送", jobs=4)
    result.findings[result.findings["级别"] == "错误"]      # one row per open finding
    result.by_rule                                           # which rules fire in how many departments
    result.write("汇总.xlsx")
"""

from __future__ import annotations

import os
import re
import sys
import time
import zipfile
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TextIO

import msgspec
from msgspec import field

from .errors import DisclosureError

if TYPE_CHECKING:
    import pandas

    from .batchsummary import Frames
    from .export.pdf import PdfSession

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
OK, HAS_ERRORS, EXPORTED, REFUSED, FAILED = "通过", "有错误", "已导出", "未导出（有错误）", "读取失败"

Progress = Callable[[int, int, str], None]
FindingRow = tuple[str, str, str, str]  # (rule, severity, cell such as "公开05表!C7" or "", message)


class BatchRow(msgspec.Struct):
    """One workbook's outcome: small and picklable, what a pool worker sends back."""
    file: Path
    unit: str = ""
    year: int | None = None
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    status: str = ""
    detail: str = ""  # why it failed, or where the package went
    findings: tuple[FindingRow, ...] = ()  # the open (not acknowledged) findings, most severe first
    kind: str = ""  # 部门决算 / 部门预算 once read: the 批量 page offers only 决算 rows for 汇总


SUMMARY_TITLE = "批量校验汇总"  # the summary's sheet, default name and document title (how a later run knows it)


# ---------------------------------------------------------------- which files, in which order

_DIGITS = re.compile(r"(\d+)")  # str patterns: \d is every Unicode digit, full-width ０–９ included


def natural_key(name: str) -> tuple:
    """Sort key putting 单位2 before 单位10: runs of digits compare as numbers (full-width digits too, as
    int() reads them), the text between them case-insensitively; the extension after the rest (单位.xlsx before
    单位1.xlsx), and the name itself breaks ties (单位02 / 单位2)."""
    stem, suffix = os.path.splitext(name)
    # split() alternates text, digits, text…: position i holds the same kind in every key, never str vs int
    parts = tuple(int(p) if i % 2 else p.casefold() for i, p in enumerate(_DIGITS.split(stem)))
    return parts, suffix.casefold(), name


def workbooks_in(folder: Path) -> list[Path]:
    """The workbooks of a folder in natural name order, not our backups, our summaries or Excel's lock
    files (~$…)."""
    found = [p for p in Path(folder).iterdir() if p.suffix.lower() in WORKBOOK_SUFFIXES
             and not p.name.startswith(("~$", ".~")) and ".备份" not in p.stem and p.is_file() and not is_summary(p)]
    return sorted(found, key=lambda p: natural_key(p.name))


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


# ---------------------------------------------------------------- one workbook

def check_one(path: Path, export_to: Path | None = None, converter: "PdfSession | None" = None) -> BatchRow:
    """Read and check one workbook (and export it, with export_to; converter: a pdf.PdfSession that keeps
    one LibreOffice running across the exports). Never raises for a bad workbook: the row says why in
    Chinese. Runs in a pool worker, so it returns tuples, not the Report."""
    try:
        return _check(path, export_to, converter)
    except DisclosureError as exc:
        return BatchRow(path, status=FAILED, detail=str(exc))
    except Exception as exc:  # a bug met on one odd workbook must not stop the other 9,999
        return BatchRow(path, status=FAILED, detail=f"文件“{path.name}”：内部错误（{type(exc).__name__}）：{exc}。"
                                                    "请把这个文件发给技术支持")


def _check(path: Path, export_to: Path | None, converter: "PdfSession | None") -> BatchRow:
    from . import workbook
    from .acks import checked, open_findings
    from .checks.engine import ERROR, INFO, WARNING

    report = workbook.read(path)
    found = open_findings(checked(report))  # acknowledged findings (acks.py) are not counted, as in `check`
    row = BatchRow(path, report.unit_name, report.year, kind=report.kind)
    row.findings = tuple((f.rule, f.severity, str(f.cell) if f.cell else "", f.message) for f in found)
    row.errors = sum(1 for f in found if f.severity == ERROR)
    row.warnings = sum(1 for f in found if f.severity == WARNING)
    row.infos = sum(1 for f in found if f.severity == INFO)
    row.status = HAS_ERRORS if row.errors else OK
    if export_to is not None:
        from .export import ExportRefused, export_package

        try:
            result = export_package(path, export_to / path.stem, converter=converter)
            row.status, row.detail = EXPORTED, str(result.outdir)
        except ExportRefused as exc:
            row.status, row.detail = REFUSED, "；".join(exc.problems[:3])
        except DisclosureError as exc:
            row.status, row.detail = FAILED, str(exc)
    return row


# ---------------------------------------------------------------- a folder

class BatchResult(msgspec.Struct, dict=True):
    """What a batch did: one row per workbook done, in natural name order, and the summary tables."""
    rows: list[BatchRow]
    total: int  # workbooks found; more than len(rows) when the run was interrupted
    interrupted: bool = False  # Ctrl-C or cancelled before every workbook was done
    seconds: float = 0.0
    files: list[Path] = field(default_factory=list)

    @property
    def done(self) -> int:
        return len(self.rows)

    @property
    def note(self) -> str:
        """The line the summary carries when not every workbook was done."""
        return f"已中断：完成 {self.done} / 共 {self.total} 个" if self.interrupted else ""

    @cached_property
    def frames(self) -> "Frames":
        from .batchsummary import frames  # pandas: imported only when a summary is wanted

        return frames(self.rows)

    @property
    def departments(self) -> "pandas.DataFrame":
        """文件 单位 年度 错误 警告 提示 状态 说明: one row per workbook (counts empty when it was not read)."""
        return self.frames.departments

    @property
    def findings(self) -> "pandas.DataFrame":
        """单位 文件 规则 级别 单元格 说明: one row per open finding of every workbook read."""
        return self.frames.findings

    @property
    def by_rule(self) -> "pandas.DataFrame":
        """规则 级别 标题 单位数 次数: in how many departments each rule fires, most widespread first."""
        return self.frames.by_rule

    @property
    def by_department(self) -> "pandas.DataFrame":
        """文件 单位 错误 警告 提示: findings per department read, most errors first."""
        return self.frames.by_department

    def write(self, path: str | Path) -> Path:
        return write_summary(self.rows, path, note=self.note, frames=self.frames)


def run(folder: str | Path, export_to: Path | None = None, jobs: int | None = None,
        progress: Progress | None = None, cancelled: Callable[[], bool] = lambda: False,
        files: list[Path] | None = None, check: Callable[[Path], BatchRow] | None = None,
        meanwhile: Callable[[], None] | None = None) -> BatchResult:
    """Check every workbook of the folder (or the given files) with `jobs` processes (None: one per CPU;
    1: in this process, for debugging and for callers that cannot start processes). With export_to, a clean
    workbook's package goes to export_to/<workbook name>/.

    progress(n, total, name): in this process, once per workbook (with jobs=1 before it starts, else when it
    is done). Ctrl-C (KeyboardInterrupt) or cancelled() stops the run: workbooks not started are dropped, those
    running are finished, and the result is marked interrupted.

    check: what is done with each file instead of check_one — a module-level function (it goes to the pool's
    workers) returning a BatchRow, e.g. audit.audit_one for a folder of published PDFs.

    meanwhile: work of this process that can wait for the workers' first workbooks instead of holding up
    their start or following the last one (prepare_summary: pandas' import, ~0.2 s, then costs a small batch
    half as much, shared with the workers' cores); called once, also with one job (before the first workbook)."""
    from .batchpool import run_pool, run_serial

    files = workbooks_in(Path(folder)) if files is None else files
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(files) or 1))
    started = time.perf_counter()
    if jobs == 1:
        if meanwhile is not None:
            meanwhile()
        rows, interrupted = run_serial(files, export_to, progress, cancelled, check)
    else:
        rows, interrupted = run_pool(files, export_to, jobs, progress, cancelled, check, meanwhile)
    return BatchResult(rows, len(files), interrupted, time.perf_counter() - started, files)


def check_folder(folder: str | Path, export_to: Path | None = None, progress: Progress | None = None,
                 cancelled: Callable[[], bool] = lambda: False, jobs: int = 1) -> list[BatchRow]:
    """run()'s rows: what the desktop window shows. jobs=1 by default: it runs in a Qt worker thread."""
    return run(folder, export_to, jobs, progress, cancelled).rows


def prepare_summary() -> None:
    """Import what write_summary needs (pandas), for run()'s meanwhile; a failure is only a lost head start:
    write_summary meets it again and says so."""
    try:
        from . import batchsummary  # noqa: F401
    except Exception:  # noqa: BLE001
        pass


def write_summary(rows: list[BatchRow], path: str | Path, note: str = "", frames: "Frames | None" = None) -> Path:
    """The summary .xlsx: per-department status, the long table of findings, and the two pivots — one sheet
    each, written atomically. note: a line heading every sheet (an interrupted run says so)."""
    from .batchsummary import write

    return write(rows, path, note, frames)


# ---------------------------------------------------------------- on a console

def check_run(folder: Path, files: list[Path], jobs: int | None, summary: Path | None, role: str, kinds: str) -> None:
    """Before a long run over a folder's files: --jobs sensible, files there, and the summary not one of them.
    role: what the files are to the run ("要校验的工作簿"); kinds: what the folder lacks (".xlsx/.xlsm 工作簿")."""
    from .outputs import check_output

    if jobs is not None and jobs < 1:
        raise DisclosureError(f"--jobs 应为 1 或更大的整数，实为 {jobs}")
    if not files:
        pdfs = role != "要审核的 PDF" and any(folder.glob("*.pdf"))  # published PDFs are audited, not checked
        raise DisclosureError(f"文件夹“{folder}”中没有 {kinds}"
                              + ("（有 PDF 文件：已公开的 PDF 请用 disclosure audit 文件夹 -o 汇总.xlsx 逐个审核）" if pdfs else ""))
    if summary:
        check_output(summary, {p: role for p in files})


def print_result(result: BatchResult, summary: Path | None = None) -> None:
    """A run's rows on stdout, one a file (and its summary written to `summary`); an interrupted run said on
    stderr first. What `disclosure batch` and `disclosure audit DIR` print."""
    if result.interrupted:
        end_line = "\n" if sys.stderr.isatty() else ""  # the progress counter's line is still open
        print(f"{end_line}{result.note}，正在写出已完成部分的结果。", file=sys.stderr, flush=True)
    for r in result.rows:
        print(f"{r.file.name}\t{r.unit}\t错误 {r.errors}\t警告 {r.warnings}\t{r.status}\t{r.detail}".rstrip())
    if summary:
        print(f"汇总表已写出：{result.write(summary)}")



def console_progress(stream: TextIO = sys.stderr, every: int | None = None) -> Progress:
    """A progress callback for a terminal: one line rewritten in place on a TTY, else a line every `every`
    workbooks (default: about a hundred lines for the whole run) and always the last one."""
    tty = stream.isatty()
    started = time.perf_counter()
    width = [0]

    def show(n: int, total: int, name: str) -> None:
        step = every or max(1, total // 100)
        if not tty and n % step and n != total:
            return
        elapsed = time.perf_counter() - started
        rate = f"，{n / elapsed:.0f} 个/秒" if elapsed > 1 and n > 1 else ""
        line = f"[{n}/{total}] {name}{rate}"
        if tty:
            pad = max(0, width[0] - len(line))
            width[0] = len(line)
            stream.write(f"\r{line}{' ' * pad}" + ("\n" if n == total else ""))
        else:
            stream.write(line + "\n")
        stream.flush()

    return show
