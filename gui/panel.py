"""The 决算公开助手 panel: a small always-on-top window beside Excel with one button per macro
(导入 / 校验 / 确认选中问题 / 生成情况说明 / 导出 / 清除标记), attached to one workbook.

    python -m gui.panel --excel 工作簿名.xlsm    # a workbook open in Excel (through xlwings)
    python -m gui.panel --file 工作簿.xlsm       # a workbook file (openpyxl), to try it without Excel

The ribbon button of jsgk.xlam starts it (jsgk.launch_panel). Macros run on the window's thread:
progress goes to the status line (the window repaints between steps), the end to a message box.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QApplication, QFileDialog, QInputDialog, QLabel, QMessageBox, QPushButton,
                               QVBoxLayout, QWidget)

from addin.macros import MACROS
from gui import qt_support

BUTTONS = [("导入", "import"), ("校验", "check"), ("确认选中问题", "ack"), ("生成情况说明", "narrative"),
           ("导出", "export"), ("清除标记", "clear")]
TITLE = "决算公开助手"


class PanelUi:
    """The macros' Ui in the panel."""

    def __init__(self, panel: "Panel"):
        self.panel = panel

    def status(self, text: str) -> None:
        self.panel.status.setText(text)
        QApplication.processEvents()

    def done(self, text: str) -> None:
        self.panel.status.setText(text.splitlines()[0] if text else "")
        QMessageBox.information(self.panel, TITLE, text)

    def error(self, text: str) -> None:
        self.panel.status.setText("未完成，见提示。")
        QMessageBox.critical(self.panel, TITLE, text)

    def ask_open(self, title: str) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(self.panel, title, "", "Excel 文件 (*.xlsx *.xls *.xlsm)")
        return Path(chosen) if chosen else None

    def ask_text(self, title: str, prompt: str) -> str | None:
        text, ok = QInputDialog.getText(self.panel, title, prompt)
        return (text.strip() or None) if ok else None


class Panel(QWidget):
    def __init__(self, open_book: Callable[[], object], name: str):
        super().__init__(None, Qt.Tool | Qt.WindowStaysOnTopHint)
        self.open_book = open_book
        self.setWindowTitle(TITLE)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"工作簿：{name}"))
        self.buttons: dict[str, QPushButton] = {}
        for label, key in BUTTONS:
            button = QPushButton(label)
            button.setMinimumHeight(32)
            button.clicked.connect(lambda _=False, k=key: self.run(k))
            layout.addWidget(button)
            self.buttons[key] = button
        self.status = QLabel("就绪")
        self.status.setWordWrap(True)
        self.status.setMinimumWidth(220)
        layout.addWidget(self.status)
        self.last = None

    def run(self, key: str):
        """Run one macro on a fresh view of the workbook; the buttons wait meanwhile."""
        for b in self.buttons.values():
            b.setEnabled(False)
        ui = PanelUi(self)
        try:
            try:
                book = self.open_book()
            except Exception as exc:  # Excel closed, the workbook renamed, the file gone
                ui.error(f"连接不到工作簿：{exc}")
                self.last = None
                return None
            self.last = MACROS[key](book=book, ui=ui)
            return self.last
        finally:
            for b in self.buttons.values():
                b.setEnabled(True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m gui.panel", description=TITLE)
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--excel", metavar="工作簿名", help="Excel 中打开的工作簿")
    where.add_argument("--file", type=Path, metavar="工作簿.xlsm", help="工作簿文件")
    args = p.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if args.excel:
        from addin.book import ExcelBook

        def open_book():
            import xlwings as xw

            return ExcelBook(xw.Book(args.excel))

        panel = Panel(open_book, args.excel)
    else:
        from addin.book import FileBook

        panel = Panel(lambda: FileBook(args.file), args.file.name)
    panel.show()
    qt_support.warn_if_leaking(panel)  # the officer's own Python may carry a leaking PySide6
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
