"""Running batch.check_one over many workbooks: in this process (jobs=1) or on a process pool whose workers
load the table specs and the rule registry once (initializer), not once per file.

The pool is a ProcessPoolExecutor fed a few tasks at a time (WINDOW per worker, each of CHUNK workbooks;
an export or a PDF is a task alone), so a Ctrl-C or a cancel leaves almost nothing to drop and memory does
not grow with the folder; results come back as small BatchRows. Handing a task over and taking its rows back
costs this process ~0.7 ms (2 cores), against ~25 ms of reading and checking a workbook in a worker: one
workbook a task made it ~3 % of a batch's time, four make it under 1 %. The executor rather than
multiprocessing.Pool for how it stops: here the running tasks finish and nothing else starts, where
Pool.terminate() would kill a worker mid-export (a half-written package, an orphaned LibreOffice) and
Pool.close() would run every queued workbook first.

Workers ignore SIGINT: Ctrl-C in a terminal reaches the whole process group, and only the parent decides what
it means (stop, keep what is done). A worker that dies (a crash in a reader) breaks the pool: the workbooks it
may have been on are run again one at a time in a new pool, and the one that breaks it again is reported as
failed — the batch goes on.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import signal
import sys
import threading
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable

from . import batch
from .batch import FAILED, BatchRow, Progress

WINDOW = 2  # tasks handed to the pool per worker at any time: one running, one waiting
# workbooks a task checks: each task costs this process ~0.7 ms to hand over and take back (~3 % of a batch
# whose workbooks take ~25 ms each); 4 keep a stop within ~0.1 s. An export is a task alone.
CHUNK = 4


def run_serial(files: list[Path], export_to: Path | None, progress: Progress | None,
               cancelled: Callable[[], bool], check: Callable[[Path], BatchRow] | None = None
               ) -> tuple[list[BatchRow], bool]:
    """(rows, interrupted) in this process; progress before each workbook (the GUI shows its name)."""
    rows: list[BatchRow] = []
    with contextlib.ExitStack() as stack:
        converter = stack.enter_context(_converter()) if export_to is not None else None
        try:
            for n, path in enumerate(files, start=1):
                if cancelled():
                    return rows, True
                if progress:
                    progress(n, len(files), path.name)
                rows.append(_compact(check(path) if check else batch.check_one(path, export_to, converter)))
        except KeyboardInterrupt:  # the workbook being read is dropped; the ones done are kept
            return rows, True
    return rows, False


def run_pool(files: list[Path], export_to: Path | None, jobs: int, progress: Progress | None,
             cancelled: Callable[[], bool], check: Callable[[Path], BatchRow] | None = None,
             meanwhile: Callable[[], None] | None = None) -> tuple[list[BatchRow], bool]:
    """(rows in the order of files, interrupted) with `jobs` worker processes; progress as each one is done.
    meanwhile: called once in this process as soon as the workers have their first workbooks (batch.run)."""
    context = _context()
    if context.get_start_method() == "fork":
        warm()  # forked workers inherit the loaded specs and rules: their initializer then has nothing to do
    # an export or a PDF is long enough alone; a small folder keeps one workbook a task (its progress steps by one)
    size = max(1, min(CHUNK, len(files) // (jobs * 8))) if export_to is None and check is None else 1
    waiting = deque(_chunks(list(enumerate(files)), size))
    suspects: deque[tuple[int, Path]] = deque()  # on a worker when the pool broke: rerun one at a time
    running: dict[Future, tuple[list[tuple[int, Path]], bool]] = {}  # future -> ((index, file)s, run alone)
    done: dict[int, BatchRow] = {}
    pool = _pool(context, jobs)
    interrupted = False
    try:
        while waiting or suspects or running:
            if cancelled():
                interrupted = True
                break
            if suspects and not running:
                chunk = [suspects.popleft()]
                running[_submit(pool, chunk, export_to, check)] = (chunk, True)
            while waiting and not suspects and len(running) < jobs * WINDOW:
                chunk = waiting.popleft()
                running[_submit(pool, chunk, export_to, check)] = (chunk, False)
            if meanwhile is not None:
                meanwhile, later = None, meanwhile
                later()
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = False
            for future in finished:
                chunk, alone = running[future]
                try:
                    rows = future.result()
                except BrokenProcessPool:
                    broken = True
                    if not alone:
                        suspects.extend(chunk)
                        del running[future]
                        continue
                    path = chunk[0][1]
                    rows = [BatchRow(path, status=FAILED,
                                     detail=f"文件“{path.name}”：读取时处理进程意外退出（文件可能损坏），已跳过")]
                # recorded before the task leaves `running`: a Ctrl-C is raised wherever this process is when it
                # notices the signal (after the next task is done, when another thread took it: numpy's, once
                # pandas is imported), and one here leaves the task to the stop below, which records it whole
                done.update((i, _compact(row)) for (i, _), row in zip(chunk, rows))
                del running[future]
                if progress:
                    for k, (_, path) in enumerate(chunk, start=len(done) - len(chunk) + 1):
                        progress(k, len(files), path.name)
            if broken:  # every future of a broken pool fails: start again with a new one
                suspects.extend(item for chunk, _ in running.values() for item in chunk)
                running.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                pool = _pool(context, jobs)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        # workbooks not started are dropped; running ones finish (an export is never cut off half written)
        pool.shutdown(wait=True, cancel_futures=True)
    for future, (chunk, _) in running.items():  # stopped early: what finished meanwhile is done too
        if not future.cancelled() and future.exception() is None:
            for (i, _), row in zip(chunk, future.result()):
                done[i] = _compact(row)
    return [done[i] for i in sorted(done)], interrupted


def _chunks(items: list, size: int) -> list[list]:
    return [items[k:k + size] for k in range(0, len(items), size)]


def _submit(pool: ProcessPoolExecutor, chunk: list[tuple[int, Path]], export_to: Path | None,
            check: Callable[[Path], BatchRow] | None) -> Future:
    return pool.submit(_run_in_worker, [path for _, path in chunk], export_to, check)


def _run_in_worker(paths: list[Path], export_to: Path | None,
                   check: Callable[[Path], BatchRow] | None) -> list[BatchRow]:
    return [check(path) if check else _check_in_worker(path, export_to) for path in paths]


def _converter():
    from .export import pdf

    return pdf.converter()


def _check_in_worker(path: Path, export_to: Path | None) -> BatchRow:
    """check_one in a pool worker: exports convert their PDFs on the worker's own LibreOffice, started with
    its first export and kept for the next ones (one soffice start per worker, not per department)."""
    converter = None
    if export_to is not None:
        from .export import pdf

        converter = pdf.process_converter()
    return batch.check_one(path, export_to, converter)


def _compact(row: BatchRow) -> BatchRow:
    """Share the strings that repeat from one workbook to the next (rule, severity, cell: the same template)
    instead of keeping 10,000 copies of each: the kept findings are most of a big batch's memory."""
    row.findings = tuple((sys.intern(rule), sys.intern(severity), sys.intern(cell), message)
                         for rule, severity, cell, message in row.findings)
    return row


def _pool(context, jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker)


def _context():
    """The platform's start method, but never fork in a process with threads (the desktop window): a forked
    child of a threaded process may hang on a lock another thread held."""
    context = multiprocessing.get_context()
    if context.get_start_method() == "fork" and threading.active_count() > 1:
        return multiprocessing.get_context("spawn")
    return context


def _init_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the pool and keeps results
    warm()


def warm() -> None:
    """Load once what every workbook's check needs, so that a file pays only its own work: every layout's
    spec, the rule registry, the 科目 catalogs and the narrative's templates (N01/N02 render the text)."""
    from . import catalog, specs, workbook  # noqa: F401
    from .catalog import economic
    from .checks import rules  # noqa: F401  (importing registers every rule family)
    from .errors import DisclosureError
    from .narrative.render import load_templates

    for layout in specs.available_layouts(None, specs.ALL_REGIONS):  # a folder may hold every kind and region
        try:
            specs.load(layout)
        except DisclosureError:
            pass  # a broken spec stops only the workbooks of its layout, each with its own message
    try:  # only a head start: what fails here fails again, with its own message, in each workbook that needs it
        catalog.lookup("101", 0)  # each reads its CSV file once per process
        economic.lookup("部门", "301", 0)
        economic.government_classes("301", 0)
        load_templates()
    except Exception:  # noqa: BLE001
        pass
    # what was just loaded lives as long as the process: out of the garbage collector's way, so that its
    # collections during each workbook's check (~300 a hundred workbooks) do not walk it again (~1 ms a
    # workbook), and forked workers do not copy the pages it would touch
    gc.freeze()
