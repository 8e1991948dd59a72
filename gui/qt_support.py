"""Which PySide6 releases the window and the panel can run on — checked without importing Qt.

PySide6-Essentials 6.12.0 drops one reference to `None` on every call of a void Qt method
(`setText`, `setEnabled`, `update`) on CPython ≤ 3.11, where `None` is not immortal: after about
20,000 calls the process aborts with "Fatal Python error: none_dealloc" and the officer's unsaved input
goes with it. pyproject.toml keeps pip off it (`<6.12`); the build refuses it; the window warns if
someone installed it by hand. tests/test_qt_support.py measures the leak on whatever is installed.
"""

from __future__ import annotations

import sys
from importlib import metadata

# Releases seen to leak a reference to None per void call (CPython 3.12+ hides it: None is immortal).
LEAKING_RELEASES = frozenset({"6.12.0"})
SUPPORTED = "PySide6-Essentials 6.6 – 6.11.x"


def installed_version() -> str | None:
    for dist in ("PySide6-Essentials", "PySide6"):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return None


def problem(version: str | None = None, python: tuple[int, int] | None = None) -> str | None:
    """A Chinese sentence when this PySide6 will abort on this Python, else None."""
    version = installed_version() if version is None else version
    python = sys.version_info[:2] if python is None else python
    if version in LEAKING_RELEASES and python < (3, 12):
        return (f"PySide6 {version} 在 Python {python[0]}.{python[1]} 上有已知缺陷（每次界面调用少计一次 None 的引用），"
                f"长时间使用后程序会异常退出、丢失未保存的内容。请安装 {SUPPORTED}："
                f"pip install \"PySide6-Essentials>=6.6,<6.12\"")
    return None


def warn_if_leaking(parent, interactive: bool = True) -> None:
    """At start of the window or the panel: say it on stderr and, when a person is there, in a box."""
    message = problem()
    if not message:
        return
    print(message, file=sys.stderr)
    if interactive:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(parent, "PySide6 版本有缺陷", message)
