"""Screenshots of the desktop window's pages for the README (docs/images/gui-*.png), taken offscreen
with widget.grab() on the bundled sample. Run: ./dev docs (needs fonts-noto-cjk for Chinese)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from openpyxl import load_workbook  # noqa: E402
from PySide6.QtCore import QSettings, QUrl  # noqa: E402
from PySide6.QtGui import QFont  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

IMAGES = ROOT / "docs" / "images"


def wait(app, condition, timeout=120.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not finish in time")
        app.processEvents()
        time.sleep(0.01)


def shot(widget, name: str) -> None:
    QApplication.processEvents()
    widget.grab().save(str(IMAGES / name))
    print(f"写入 docs/images/{name}")


def main() -> None:
    from export_speed import sample_book

    from gui.batch import BatchWindow
    from gui.window import MainWindow

    app = QApplication.instance() or QApplication([])
    font = QFont()
    font.setFamilies(["Noto Sans CJK SC", "Microsoft YaHei"])
    font.setPointSize(10)
    app.setFont(font)
    IMAGES.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="gui-shots-"))
    clean = sample_book(work)
    broken = work / "有错误的样例.xlsx"
    shutil.copy(clean, broken)
    wb = load_workbook(broken)
    wb["公开05表"]["C7"] = Decimal("2444.65")  # two digits swapped: the kind of slip the check is for
    wb.save(broken)

    window = MainWindow(QSettings(str(work / "gui.ini"), QSettings.IniFormat))
    window.resize(1200, 760)
    window.show()
    window._remember(clean)
    window._remember(broken)
    shot(window, "gui-首页.png")

    window.open_path(broken)
    wait(app, lambda: window.session is not None)
    window.findings.severity.setCurrentText("错误")
    shot_tab(window, window.findings, "gui-校验.png")
    window.findings.view.doubleClicked.emit(window.findings.proxy.index(0, 0))
    shot(window, "gui-表格.png")

    window.open_path(clean)
    wait(app, lambda: window.session is not None and window.session.path == clean)  # None while it is checked
    shot_tab(window, window.inputs, "gui-说明数据.png")
    uses = window.narrative.uses
    n = next(i for i, u in enumerate(uses) if u.text == "982.88")
    window.tabs.setCurrentWidget(window.narrative)
    window.narrative.text.anchorClicked.emit(QUrl(f"fact:{n}"))
    shot(window, "gui-情况说明.png")
    window.tabs.setCurrentWidget(window.exporter)
    window.exporter.folder.setText(str(work / "公开包"))
    window.exporter.start_button.click()
    wait(app, lambda: getattr(window, "last_export", None) is not None)
    shot(window, "gui-导出.png")

    folder = work / "批量"
    folder.mkdir()
    for p in (clean, broken):
        shutil.copy(p, folder / p.name)
    (folder / "损坏的文件.xlsx").write_bytes(b"PK\x03\x04")
    batch = BatchWindow()
    batch.resize(900, 360)
    batch.show()
    batch.set_folder(folder)
    batch.start_button.click()
    wait(app, lambda: batch.table.rowCount() == 3)
    shot(batch, "gui-批量.png")


def shot_tab(window, tab, name: str) -> None:
    window.tabs.setCurrentWidget(tab)
    shot(window, name)


if __name__ == "__main__":
    main()
