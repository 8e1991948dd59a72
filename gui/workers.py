"""Long work off the UI thread: a QRunnable on the global QThreadPool whose signals come back to the
UI thread (queued connections). The work gets a `progress(n, total, text)` callback and may be cancelled
between steps; a failure arrives as one Chinese message (the exception itself stays on `job.error`, for a
window that answers some failures with its own words and buttons)."""

from __future__ import annotations

import gc
import sys
import threading
import traceback
from typing import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from disclosure.errors import DisclosureError


CANCELLED = "已取消。"

# How long a job may keep the interpreter while the UI thread waits for it (Python's default: 5 ms). Every
# call Qt makes into Python while a job runs (a paint asking the table model for its cells, a status-bar
# update) waits up to this long, and one turn of the event loop makes many: at 5 ms a re-open stalled the
# window 60–80 ms with 5 ms of its own work (bench/gui_slots.py); at 1 ms, 30–40.
UI_SWITCH_INTERVAL = 0.001
_interpreter_ready = False

_live: set["Job"] = set()  # started and not finished: what shutdown() waits for
_lock = threading.Lock()


class Cancelled(Exception):
    """Raised inside the work by progress() once cancel() was asked for."""


class _Signals(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(str, str)  # message, detail


class Job(QRunnable):
    def __init__(self, work: Callable[[Callable[[int, int, str], None]], object]):
        super().__init__()
        self.work = work
        self.signals = _Signals()
        self.cancel_requested = False
        self.finished = False
        self.error: BaseException | None = None

    def cancel(self) -> None:
        self.cancel_requested = True

    def _progress(self, n: int, total: int, text: str) -> None:
        if self.cancel_requested:
            raise Cancelled()
        self._emit(self.signals.progress, n, total, text)

    def run(self) -> None:
        try:
            result = self.work(self._progress)
        except Cancelled as exc:
            self.error = exc
            self._emit(self.signals.failed, CANCELLED, "")
        except DisclosureError as exc:
            self.error = exc
            self._emit(self.signals.failed, str(exc), "")
        except Exception as exc:  # never a crash: the officer gets the message, support gets the detail
            self.error = exc
            self._emit(self.signals.failed, f"内部错误（{type(exc).__name__}）：{exc}", traceback.format_exc())
        else:
            self._emit(self.signals.done, result)
        finally:
            self.finished = True
            with _lock:
                _live.discard(self)

    @staticmethod
    def _emit(signal, *args) -> None:
        # The window may be gone (closed while the work ran, the application quitting): nobody is left to
        # tell, and PySide6 would print "Signal source has been deleted" from this thread.
        try:
            signal.emit(*args)
        except RuntimeError:
            pass


def start(work, on_done, on_failed, on_progress=None) -> Job:
    job = Job(work)
    job.signals.done.connect(on_done)
    job.signals.failed.connect(on_failed)
    if on_progress is not None:
        job.signals.progress.connect(on_progress)
    job.setAutoDelete(False)  # the window keeps it to cancel it and to know when it ended
    _share_interpreter_with_ui()
    with _lock:
        _live.add(job)
    QThreadPool.globalInstance().start(job)
    return job


def _share_interpreter_with_ui() -> None:
    """Before the first job: the UI thread must not wait long on a job for the interpreter. Jobs give it back
    every UI_SWITCH_INTERVAL; and what the window has loaded by now (Qt's wrappers, the rules, specs and
    templates: ~90,000 objects) lives as long as it does, so it is moved out of the garbage collector's way
    (gc.freeze) — a full collection walked it all, 40–60 ms with the interpreter held, and when one fell
    in a job while the window was painting, the window waited for it."""
    global _interpreter_ready
    if _interpreter_ready:
        return
    sys.setswitchinterval(UI_SWITCH_INTERVAL)
    gc.freeze()
    _interpreter_ready = True


def running() -> list[Job]:
    with _lock:
        return list(_live)


def shutdown(timeout_ms: int = 60_000) -> bool:
    """Ask every running job to stop at its next step and wait for them (the application is quitting: a
    job still running while Python shuts down would write into freed objects). True when all ended."""
    for job in running():
        job.cancel()
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
