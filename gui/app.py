"""Start the desktop window: `disclosure-gui [WORKBOOK]` or `python -m gui [WORKBOOK]`."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from .window import MainWindow


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("部门决算公开助手")
    font = QFont()
    font.setFamilies(["Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei"])
    font.setPointSize(10)
    app.setFont(font)
    window = MainWindow()
    window.show()
    if argv:
        window.open_path(Path(argv[0]))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
