"""How long each UI slot of the desktop window takes on the bundled sample (issue target: none over 50 ms;
the work itself runs on the thread pool, the slots only hand results to the views).

Run: .venv/bin/python bench/gui_slots.py      (offscreen)
Each slot is called RUNS times and the slowest call is printed, the repaint it causes included (the events
it posts are processed before the clock stops). Opening and re-checking are driven as the officer does them
(open_path, F5): the two slots they end in are timed where they run, and so is the longest stretch the
event loop was busy (a slot, or a paint, or both in one turn) while the workbook opened.
Two columns: wall-clock time, and the UI thread's own CPU time (time.thread_time: what the slot costs
when the machine is not busy with other programs; the load average is printed too).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from itertools import cycle
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from PySide6.QtCore import QPoint, QSettings, Qt, QUrl, qInstallMessageHandler  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from disclosure.batch import check_folder  # noqa: E402
from export_speed import sample_book  # noqa: E402
from gui.batch import BatchWindow  # noqa: E402
from gui.session import Session  # noqa: E402
from gui.window import MainWindow  # noqa: E402

RUNS, LIMIT_MS = 10, 50


def clock() -> tuple[float, float]:
    return time.perf_counter() * 1000, time.thread_time() * 1000


def since(t0: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = clock()
    return wall - t0[0], cpu - t0[1]


def worst(times) -> tuple[float, float]:
    return tuple(max((t[i] for t in times), default=0.0) for i in (0, 1))


def slowest(app, call, runs: int = RUNS) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t0 = clock()
        call()
        app.processEvents()  # the repaint the slot causes counts too
        times.append(since(t0))
    return worst(times)


class Timed:
    """Wraps a slot of the window (the instance attribute the window itself looks up) and keeps its times."""

    def __init__(self, window, name: str):
        self.slot, self.times = getattr(window, name, None), []
        if self.slot is not None:
            setattr(window, name, self)

    def __call__(self, *args):
        t0 = clock()
        try:
            return self.slot(*args)
        finally:
            self.times.append(since(t0))


def drive(app, window, start) -> tuple[float, float]:
    """Start an open or a re-check and run the event loop until the window is ready; the longest single turn
    of the loop (ms)."""
    before = window.session
    start()
    turns, deadline = [], time.perf_counter() + 60
    while (window.session is None or window.session is before or window.busy) and time.perf_counter() < deadline:
        t0 = clock()
        app.processEvents()
        turns.append(since(t0))
        time.sleep(0.001)  # the worker's turn
    if window.session is None or window.session is before:
        sys.exit(f"打开未完成：{getattr(window, 'last_error', '')}")
    return worst(turns)


def click(view, row: int, col: int) -> None:
    index = view.model().index(row, col)
    view.scrollTo(index)
    QTest.mouseClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, view.visualRect(index).center() + QPoint(1, 1))


def main() -> None:
    qInstallMessageHandler(lambda *_: None)  # the offscreen platform's own warnings
    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp(prefix="gui-bench-"))
    book = sample_book(work)
    window = MainWindow(QSettings(str(work / "gui.ini"), QSettings.IniFormat))
    window.resize(1200, 780)
    window.show()
    app.processEvents()
    shown, checked = Timed(window, "show_session"), Timed(window, "show_checks")

    t0 = clock()
    first_stall = drive(app, window, lambda: window.open_path(book))
    first_ms = since(t0)[0]
    stalls = [drive(app, window, lambda: window.open_path(book)) for _ in range(RUNS - 1)]
    rechecks = [drive(app, window, window.recheck) for _ in range(3)]
    open_slots = {"打开：显示表格（show_session）": worst(shown.times),
                  "打开：显示校验结果（show_checks）": worst(checked.times),
                  "打开过程中界面最长停顿（首次）": first_stall, "打开过程中界面最长停顿（再次）": worst(stalls),
                  "重新校验（F5）过程中最长停顿": worst(rechecks)}

    session = Session.load(book)  # checked, as a save or an import hands it over
    finding = session.findings[0]
    n = next(i for i, u in enumerate(session.narrative.uses) if u.fact.cells)
    rows = check_folder(work)
    batch = BatchWindow()
    model = window.inputs.reasons
    severities, words = cycle(["警告", "全部级别"]), cycle(["C20", ""])  # every call changes the filter
    tables = cycle(list(range(1, window.tables.count())) + [0])  # each sheet once, first visit included
    pages = cycle([window.findings, window.inputs, window.narrative, window.exporter, window.tables])
    cells = cycle([(6, 2), (10, 3), (7, 4), (12, 2)])

    def open_batch():
        window.open_batch()
        window.batch.close()

    slots = {
        "保存/导入后显示（已校验）": lambda: window.show_session(session),
        "切换页（表格/校验/说明数据/情况说明/导出）": lambda: window.tabs.setCurrentWidget(next(pages)),
        "切换表（公开01–09表，含首次）": lambda: window.tables.setCurrentIndex(next(tables)),
        "单击单元格": lambda: click(window.tables.current_view(), *next(cells)),
        "定位单元格（jump_to）": lambda: window.jump_to(finding.cell),
        "按级别筛选": lambda: window.findings.severity.setCurrentText(next(severities)),
        "按表筛选": lambda: window.findings.table.setCurrentIndex((window.findings.table.currentIndex() + 1)
                                                             % window.findings.table.count()),
        "搜索": lambda: window.findings.search.setText(next(words)),
        "点击数字看来源": lambda: window.narrative.text.anchorClicked.emit(QUrl(f"fact:{n}")),
        "修改一项原因": lambda: model.setData(model.index(0, 1), "人员减少"),
        "打开导出页（Ctrl+E）": lambda: (window.tabs.setCurrentWidget(window.tables), window.show_export()),
        "导出进度": lambda: window.exporter.on_progress(5, 10, "Word"),
        "打开批量校验窗口": open_batch,
        "批量结果显示": lambda: batch.show_rows(rows),
    }
    tab_first = {"切换页（表格/校验/说明数据/情况说明/导出）", "切换表（公开01–09表，含首次）"}
    print(f"{book.name}：首次打开到就绪 {first_ms:.0f} 毫秒（读取、校验、生成说明在后台线程）；"
          f"机器负载 {os.getloadavg()[0]:.1f}（{os.cpu_count()} 核）")
    print(f"{'界面槽函数（最慢，毫秒）':<28}{'墙钟':>8}{'界面线程CPU':>12}")
    results = dict(open_slots)
    for name, call in slots.items():
        if name in tab_first:  # the first visit of each page and sheet of a newly opened workbook counts
            drive(app, window, lambda: window.open_path(book))
        results[name] = slowest(app, call)
    over = []
    for name, (wall, cpu) in results.items():
        print(f"{name:<28}{wall:>8.1f}{cpu:>12.1f}")
        if wall > LIMIT_MS:
            over.append(name)
    print(f"最慢 {max(w for w, _ in results.values()):.1f} 毫秒（CPU {max(c for _, c in results.values()):.1f}）；" +
          (f"全部不超过 {LIMIT_MS} 毫秒" if not over else f"超过 {LIMIT_MS} 毫秒：{'、'.join(over)}"))


if __name__ == "__main__":
    main()
