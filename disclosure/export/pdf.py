"""docx → PDF with what the machine has: Word on Windows (pywin32), else LibreOffice — through its UNO
bridge when its Python is there (the table of contents gets page numbers), else plain --convert-to.
Without either, PdfUnavailable carries a message for the officer and the rest of the package is kept.

LibreOffice always runs with its own temporary profile (never the user's, which may be open) and is
stopped when done; on Linux a fontconfig file maps the Windows font names of the docx (仿宋, 黑体 …) to
installed Simplified-Chinese fonts (cjkfonts.py), so the PDF never shows boxes nor embeds a Japanese face.
The UNO run also gets the characters that may not begin a line (wordxml.NO_BREAK_BEFORE: 万元 and % after
a number), which LibreOffice does not read from the docx's settings.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from .wordxml import NO_BREAK_BEFORE

TIMEOUT_S = 240
HERE = Path(__file__).resolve().parent


class PdfUnavailable(Exception):
    """No converter, or the converter failed: the message says what to do instead."""


def find_soffice() -> str | None:
    candidates = [os.environ.get("DISCLOSURE_SOFFICE"), shutil.which("soffice"), shutil.which("libreoffice")]
    if sys.platform == "win32":
        for base in (os.environ.get("ProgramFiles"), os.environ.get("ProgramFiles(x86)")):
            if base:
                candidates.append(str(Path(base) / "LibreOffice" / "program" / "soffice.exe"))
    elif sys.platform == "darwin":
        candidates.append("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    return next((c for c in candidates if c and Path(c).exists()), None)


def _uno_python(soffice: str) -> str | None:
    """A Python that can `import uno`: LibreOffice's own on Windows/macOS, the system one on Debian."""
    bundled = [Path(soffice).resolve().parent / name for name in ("python.exe", "python")]
    candidates = [str(p) for p in bundled if p.exists()] + ["/usr/bin/python3"]
    for python in candidates:
        if not Path(python).exists():
            continue
        try:
            ok = subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=30).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        if ok:
            return python
    return None


def convert(docx: Path, pdf: Path) -> str:
    """Write pdf from docx; returns how it was made (for the manifest). Raises PdfUnavailable."""
    if sys.platform == "win32" and os.environ.get("DISCLOSURE_PDF") != "libreoffice":
        try:
            _word(docx, pdf)
            return "Microsoft Word"
        except PdfUnavailable:
            pass  # no Word or pywin32: try LibreOffice
    soffice = find_soffice()
    if soffice is None:
        raise PdfUnavailable("未找到 LibreOffice 或 Word，未生成 PDF。可在 Word/WPS 中打开 .docx，"
                             "更新目录后另存为 PDF；或安装 LibreOffice 后重新导出。")
    with tempfile.TemporaryDirectory(prefix="disclosure-lo-") as work:
        env = _environment(Path(work))
        profile = Path(work, "profile").as_uri()
        python = _uno_python(soffice)
        if python:
            pipe = f"disclosure{uuid.uuid4().hex[:12]}"
            _run([python, str(HERE / "uno_pdf.py"), soffice, str(docx.resolve()), str(pdf.resolve()), profile, pipe,
                  NO_BREAK_BEFORE],
                 env, pdf)
            return "LibreOffice（已更新目录页码）"
        outdir = Path(work, "out")
        _run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
              "--outdir", str(outdir), str(docx.resolve())], env, outdir / (docx.stem + ".pdf"))
        shutil.move(str(outdir / (docx.stem + ".pdf")), pdf)
        return "LibreOffice（目录未带页码：没有 LibreOffice 的 Python/UNO 组件）"


def _environment(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    if sys.platform.startswith("linux") and "FONTCONFIG_FILE" not in env:
        from . import cjkfonts

        faces = cjkfonts.simplified_faces()
        conf = work / "fonts.conf"
        conf.write_text(
            '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
            + (cjkfonts.fontconfig(*faces) if faces else "")
            + f'  <include>{HERE / "fontconfig-cn-gov.conf"}</include>\n</fontconfig>\n', encoding="utf-8")
        env["FONTCONFIG_FILE"] = str(conf)
    return env


def _run(command: list[str], env: dict[str, str], expected: Path) -> None:
    """Run a converter in its own process group, so a timeout stops soffice too."""
    posix = os.name == "posix"
    try:
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=posix)
    except OSError as exc:
        raise PdfUnavailable(f"无法启动 LibreOffice：{exc.strerror}") from None
    try:
        output, _ = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        if posix:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        proc.communicate()
        raise PdfUnavailable(f"LibreOffice 转换 PDF 超过 {TIMEOUT_S} 秒未完成，已停止；未生成 PDF。") from None
    if proc.returncode != 0 or not expected.exists() or expected.stat().st_size == 0:
        detail = output.decode("utf-8", "replace").strip().splitlines()[-1:] if output else []
        raise PdfUnavailable("LibreOffice 转换 PDF 失败" + (f"（{detail[0]}）" if detail else "") + "；未生成 PDF。")


def _word(docx: Path, pdf: Path) -> None:  # pragma: no cover - Windows with Word only
    """Word through COM: update the TOC and fields, export as PDF (17 = wdExportFormatPDF), always quit."""
    try:
        import win32com.client  # type: ignore
    except ImportError:
        raise PdfUnavailable("没有 pywin32") from None
    try:
        word = win32com.client.DispatchEx("Word.Application")  # a new Word, never the user's open one
    except Exception:
        raise PdfUnavailable("没有 Word") from None
    try:
        word.Visible, word.DisplayAlerts = False, 0
        doc = word.Documents.Open(str(docx.resolve()), ReadOnly=True, AddToRecentFiles=False)
        try:
            for toc in doc.TablesOfContents:
                toc.Update()
            doc.Fields.Update()
            doc.ExportAsFixedFormat(str(pdf.resolve()), 17)
        finally:
            doc.Close(0)
    except PdfUnavailable:
        raise
    except Exception as exc:
        raise PdfUnavailable(f"Word 转换 PDF 失败：{exc}") from None
    finally:
        word.Quit()
