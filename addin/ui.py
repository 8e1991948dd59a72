"""Where a macro talks to the officer: progress, the closing message, an error, a file to open.

ConsoleUi is the command line (`python -m addin run …`); ExcelUi is Excel's status bar, message box and
file dialog through xlwings (Windows/macOS only). The 助手 panel (gui/panel.py) has its own.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Protocol


class Ui(Protocol):
    def status(self, text: str) -> None: ...  # progress; "" clears it
    def done(self, text: str) -> None: ...  # the closing message of a macro that worked
    def error(self, text: str) -> None: ...  # a macro that failed: one Chinese message, no traceback
    def ask_open(self, title: str) -> Path | None: ...  # a file to import; None when cancelled
    def ask_text(self, title: str, prompt: str) -> str | None: ...  # a line of text; None when cancelled


class ConsoleUi:
    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.messages: list[str] = []

    def status(self, text: str) -> None:
        if text and not self.quiet:
            print(text, flush=True)

    def done(self, text: str) -> None:
        self.messages.append(text)
        print(text, flush=True)

    def error(self, text: str) -> None:
        self.messages.append(text)
        print(f"错误：{text}", file=sys.stderr, flush=True)

    def ask_open(self, title: str) -> Path | None:
        return None  # the command line names the file with --from

    def ask_text(self, title: str, prompt: str) -> str | None:
        return None  # the command line gives text as options (disclosure check --ack … --reason …)


class ExcelUi:
    # needs Excel; on Linux only its call shapes are tested, with a fake app
    TITLE = "决算公开助手"

    def __init__(self, app):
        self.app = app

    @classmethod
    def caller(cls) -> "ExcelUi":
        import xlwings as xw

        return cls(xw.Book.caller().app)

    def status(self, text: str) -> None:
        self.app.status_bar = text or None  # None gives the status bar back to Excel

    def done(self, text: str) -> None:
        self.status("")
        self.app.alert(text, title=self.TITLE, mode="info")

    def error(self, text: str) -> None:
        self.status("")
        self.app.alert(text, title=self.TITLE, mode="critical")

    def ask_open(self, title: str) -> Path | None:
        chosen = self.app.api.GetOpenFilename("Excel 文件 (*.xlsx;*.xls;*.xlsm),*.xlsx;*.xls;*.xlsm", 1, title)
        return Path(chosen) if chosen else None  # False when cancelled

    def ask_text(self, title: str, prompt: str) -> str | None:
        answer = self.app.api.InputBox(prompt, title, "", Type=2)  # Application.InputBox; Type 2: text
        return (answer.strip() or None) if isinstance(answer, str) else None  # False when cancelled
