"""Packaging smoke test: build the one-folder app with build.spec (PyInstaller), then run the frozen
command line on the bundled sample (the package must appear) and the frozen window offscreen for two
seconds (it must exit cleanly). Skipped only where PyInstaller is not installed (./dev test installs it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (./dev test installs it)")

from conftest import SAMPLE, SAMPLE_INPUTS  # noqa: E402
from disclosure import __version__  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
APP = "决算公开助手"
EXE = ".exe" if sys.platform == "win32" else ""


@pytest.fixture(scope="module")
def frozen(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("pyinstaller")
    build = subprocess.run([sys.executable, "-m", "PyInstaller", str(ROOT / "build.spec"), "--noconfirm",
                            "--log-level", "ERROR", "--distpath", str(work / "dist"), "--workpath", str(work / "build")],
                           capture_output=True, text=True, timeout=1200, cwd=ROOT)
    assert build.returncode == 0, build.stderr[-3000:]
    return work / "dist" / APP


def _run(program: Path, *args, env=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([str(program), *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                          timeout=timeout, env=env)


def test_the_folder_holds_both_programs_the_templates_and_the_addin(frozen):
    assert (frozen / f"{APP}{EXE}").is_file() and (frozen / f"disclosure{EXE}").is_file()
    internal = frozen / "_internal"
    assert (internal / "templates" / "workbooks" / "决算公开模板.xlsm").is_file()
    assert (internal / "addin" / "jsgk.xlam").is_file() and (internal / "安装与使用.md").is_file()
    assert (internal / "桌面程序.md").is_file()  # 帮助 → 使用说明
    translations = internal / "PySide6" / "Qt" / "translations"  # Qt's dialogs in Chinese, nothing else kept
    assert (translations / "qtbase_zh_CN.qm").is_file() and (translations / "qt_zh_CN.qm").is_file()
    assert not list(translations.glob("qtbase_de.qm"))
    version = _run(frozen / f"disclosure{EXE}", "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"disclosure {__version__}"


def test_the_frozen_command_line_exports_the_sample(frozen, tmp_path):
    cli = frozen / f"disclosure{EXE}"
    book = tmp_path / "样例.xlsx"
    assert _run(cli, "import", SAMPLE, "-o", book).returncode == 0
    assert _run(cli, "inputs", book, "--set-from", SAMPLE_INPUTS).returncode == 0
    result = _run(cli, "export", book, "-o", tmp_path / "公开包", "--zip")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "公开包"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == __version__ and manifest["check"]["错误"] == 0
    names = {f["name"] for f in manifest["files"]}
    assert {"子洲县医疗保障局2024年度部门决算.docx", "公开表.xlsx", "校验报告.xlsx"} <= names
    assert all((out / n).stat().st_size > 0 for n in names)
    assert "未找到中文字体" not in result.stderr  # matplotlib found a CJK font in the frozen app too
    pdf = next(out.glob("*.pdf"), None)
    if pdf is not None:  # a published PDF read back by the frozen program: pdfminer's CMaps are in the folder
        audited = _run(cli, "audit", pdf)
        assert "核对结果" in audited.stdout and "Traceback" not in audited.stderr, audited.stderr
        assert "子洲县医疗保障局 2024 年度部门决算" in audited.stdout


def test_the_frozen_window_starts_offscreen_and_exits_cleanly(frozen):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = _run(frozen / f"{APP}{EXE}", "--quit-after", "2", env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "未找到 Qt 的中文翻译" not in result.stderr  # the frozen window found qtbase_zh_CN.qm
