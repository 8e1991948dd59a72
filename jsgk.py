"""Entry point of the Excel add-in jsgk.xlam. Its ribbon button runs the xlwings VBA
`RunPython "import jsgk; jsgk.main()"` (the module is named after the add-in file), which opens the
决算公开助手 panel for the active workbook in a process of its own, so Excel is never blocked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def main() -> None:
    import xlwings as xw

    book = xw.Book.caller()  # the custom add-in passes the active workbook
    launch_panel(["--excel", book.name])


def panel_command(args: list[str]) -> list[str]:
    """pythonw on Windows: the panel is a window, not a console program."""
    python = Path(sys.executable)
    windowed = python.with_name("pythonw.exe")
    if sys.platform == "win32" and windowed.exists():
        python = windowed
    return [str(python), "-m", "gui.panel", *args]


def launch_panel(args: list[str]) -> subprocess.Popen:
    """Start the panel detached from Excel's Python call: RunPython returns at once."""
    options: dict = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL,
                     "close_fds": True, "cwd": str(Path(__file__).resolve().parent), "env": dict(os.environ)}
    if sys.platform == "win32":
        options["creationflags"] = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        options["start_new_session"] = True
    return subprocess.Popen(panel_command(args), **options)
