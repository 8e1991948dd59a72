"""PySide6 6.12.0 leaks a reference to None on every void Qt call (CPython ≤ 3.11): the window aborts
after ~20,000 calls. These tests fail on such a release: the real calls in a subprocess, and the guard."""

import os
import subprocess
import sys
import textwrap

import pytest

from gui import qt_support

pytest.importorskip("PySide6")

PROBE = textwrap.dedent("""
    import sys
    from PySide6.QtWidgets import QApplication, QLabel, QPushButton
    app = QApplication([])
    label, button = QLabel("x"), QPushButton("y")
    before = sys.getrefcount(None)
    for i in range(25_000):
        label.setText("y")          # void methods: each one dropped a reference on 6.12.0
        button.setEnabled(i % 2 == 0)
    after = sys.getrefcount(None)
    print(before - after)
""")


def test_50000_void_qt_calls_keep_none_alive():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lost = int(proc.stdout.strip().splitlines()[-1])
    # a few references may come and go with Qt's own caches; the broken release loses 50,000
    assert lost < 100, f"PySide6 {qt_support.installed_version()} lost {lost} references to None"


def test_installed_release_is_not_a_known_leaking_one():
    assert qt_support.installed_version() not in qt_support.LEAKING_RELEASES
    assert qt_support.problem() is None


def test_guard_names_the_broken_release_and_the_fix():
    msg = qt_support.problem("6.12.0", (3, 11))
    assert "6.12.0" in msg and "<6.12" in msg and "异常退出" in msg
    assert qt_support.problem("6.12.0", (3, 12)) is None      # None is immortal there
    assert qt_support.problem("6.11.3", (3, 11)) is None


def test_every_extra_and_the_build_keep_off_the_leaking_release():
    import tomllib
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]
    pins = [d for extra in project["optional-dependencies"].values() for d in extra if d.startswith("PySide6")]
    assert len(pins) >= 4 and all("<6.12" in p for p in pins), pins
    assert "qt_support.problem" in (root / "build.spec").read_text("utf-8")
