"""How long each UI slot of the desktop window takes on the bundled sample (issue target: none over
100 ms; the work itself runs on the thread pool, the slots only hand results to the views).

Run: .venv/bin/python bench/gui_slots.py      (offscreen; prints the slowest of 10 calls per slot)
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

from PySide6.QtCore import QSettings, QUrl  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from disclosure.batch import check_folder  # noqa: E402
from export_speed import sample_book  # noqa: E402
from gui.batch import BatchWindow  # noqa: E402
from gui.session import Session  # noqa: E402
from gui.window import MainWindow  # noqa: E402

RUNS, LIMIT_MS = 10, 100


def slowest(app, call) -> float:
    worst = 0.0
    for _ in range(RUNS):
        t0 = time.perf_counter()
        call()
        app.processEvents()  # the repaint the slot causes counts too
        worst = max(worst, (time.perf_counter() - t0) * 1000)
    return worst


def main() -> None:
    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp(prefix="gui-bench-"))
    book = sample_book(work)
    window = MainWindow(QSettings(str(work / "gui.ini"), QSettings.IniFormat))
    window.show()
    t0 = time.perf_counter()
    session = Session.load(book)
    load_ms = (time.perf_counter() - t0) * 1000
    finding = session.findings[0]
    n = next(i for i, u in enumerate(session.narrative.uses) if u.fact.cells)
    rows = check_folder(work)
    batch = BatchWindow()
    model = window.inputs.reasons
    severities, words = cycle(["警告", "全部级别"]), cycle(["C20", ""])  # every call changes the filter

    slots = {
        "打开后显示（show_session）": lambda: window.show_session(session),
        "定位单元格（jump_to）": lambda: window.jump_to(finding.cell),
        "按级别筛选": lambda: window.findings.severity.setCurrentText(next(severities)),
        "搜索": lambda: window.findings.search.setText(next(words)),
        "点击数字看来源": lambda: window.narrative.text.anchorClicked.emit(QUrl(f"fact:{n}")),
        "修改一项原因": lambda: model.setData(model.index(0, 1), "人员减少"),
        "导出进度": lambda: window.exporter.on_progress(5, 10, "Word"),
        "批量结果显示": lambda: batch.show_rows(rows),
    }
    print(f"{book.name}：后台读取+校验+生成说明 {load_ms:.0f} 毫秒（不在界面线程）")
    print(f"{'界面槽函数':<24}{'最慢（毫秒）':>10}")
    over = []
    for name, call in slots.items():
        ms = slowest(app, call)
        print(f"{name:<24}{ms:>10.1f}")
        if ms > LIMIT_MS:
            over.append(name)
    print("全部不超过 100 毫秒" if not over else f"超过 100 毫秒：{'、'.join(over)}")


if __name__ == "__main__":
    main()
