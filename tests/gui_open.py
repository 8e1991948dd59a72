"""`python -m gui_open WORKBOOK` (run from tests/): open a workbook in the real desktop window, offscreen,
as the officer would with 文件→打开, and end as a command does: the window's error line on stderr and
exit 1, or exit 0 once the workbook is shown. Lets tests/test_hostile_files.py run the GUI's open in a
process with a memory limit."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def main(path: str) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from gui.window import MainWindow

    qInstallMessageHandler(lambda *_: None)  # the offscreen platform's own warnings are not the window's
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        window = MainWindow(QSettings(str(Path(folder) / "gui.ini"), QSettings.IniFormat))
        window.open_path(Path(path))
        deadline = time.monotonic() + 60
        while window.busy and time.monotonic() < deadline:  # reading, then checking: two jobs
            app.processEvents()
            time.sleep(0.01)
        for _ in range(20):  # the job's signal arrives queued
            app.processEvents()
        if window.session is not None:
            return 0
        print(getattr(window, "last_error", "打开未完成（没有消息）"), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
