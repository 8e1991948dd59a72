"""Long work off the UI thread: a QRunnable on the global QThreadPool whose signals come back to the
UI thread (queued connections). The work gets a `progress(n, total, text)` callback and may be cancelled
between steps; a failure arrives as one Chinese message."""

from __future__ import annotations

import traceback
from typing import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from disclosure.errors import DisclosureError


CANCELLED = "已取消。"


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

    def cancel(self) -> None:
        self.cancel_requested = True

    def _progress(self, n: int, total: int, text: str) -> None:
        if self.cancel_requested:
            raise Cancelled()
        self.signals.progress.emit(n, total, text)

    def run(self) -> None:
        try:
            result = self.work(self._progress)
        except Cancelled:
            self.signals.failed.emit(CANCELLED, "")
        except DisclosureError as exc:
            self.signals.failed.emit(str(exc), "")
        except Exception as exc:  # never a crash: the officer gets the message, support gets the detail
            self.signals.failed.emit(f"内部错误（{type(exc).__name__}）：{exc}", traceback.format_exc())
        else:
            self.signals.done.emit(result)
        finally:
            self.finished = True


def start(work, on_done, on_failed, on_progress=None) -> Job:
    job = Job(work)
    job.signals.done.connect(on_done)
    job.signals.failed.connect(on_failed)
    if on_progress is not None:
        job.signals.progress.connect(on_progress)
    job.setAutoDelete(False)  # the window keeps it to cancel it and to know when it ended
    QThreadPool.globalInstance().start(job)
    return job
