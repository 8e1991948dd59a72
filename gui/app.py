"""Start the desktop window: `disclosure-gui [WORKBOOK]` or `python -m gui [WORKBOOK]`.

--quit-after SECONDS closes it by itself (the packaging smoke test starts the frozen window offscreen
and expects a clean exit)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from disclosure import __version__, argparse_zh

from . import qt_support, translations, workers
from .window import MainWindow


def main(argv: list[str] | None = None) -> int:
    argparse_zh.install()  # usage errors in Chinese, as the command line's
    p = argparse.ArgumentParser(prog="disclosure-gui", description="部门决算公开助手（桌面程序）")
    p.add_argument("workbook", nargs="?", type=Path, help="启动后打开的工作簿")
    p.add_argument("--quit-after", type=float, metavar="秒", help=argparse.SUPPRESS)
    p.add_argument("--version", action="version", version=f"决算公开助手 {__version__}", help="显示版本号并退出")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("部门决算公开助手")
    if not translations.install(app):  # before the first dialog: Qt's own buttons and file dialogs in Chinese
        print("警告：未找到 Qt 的中文翻译（qtbase_zh_CN.qm），对话框的按钮将显示英文", file=sys.stderr)
    app.aboutToQuit.connect(workers.shutdown)  # no work left running while Python shuts down
    font = QFont()
    font.setFamilies(["Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei"])
    font.setPointSize(10)
    app.setFont(font)
    window = MainWindow()
    window.show()
    qt_support.warn_if_leaking(window, interactive=args.quit_after is None)  # installed by hand, against the pin
    if args.workbook:
        window.open_path(args.workbook)
    if args.quit_after is not None:
        QTimer.singleShot(int(args.quit_after * 1000), app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
