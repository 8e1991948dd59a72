"""docx → PDF with what the machine has: Word on Windows (pywin32), else LibreOffice — through its UNO
bridge when its Python is there (the table of contents gets page numbers), else plain --convert-to.
Without either, PdfUnavailable carries a message for the officer and the rest of the package is kept.

convert() starts a LibreOffice for one document and stops it; a PdfSession (batch export) keeps one
running for many documents, through a helper in LibreOffice's Python (uno_pdf.py) that holds the UNO
connection and speaks JSON lines over its stdin and stdout.

LibreOffice always runs with its own temporary profile (never the user's, which may be open) and is
stopped when done; on Linux a fontconfig file maps the Windows font names of the docx (仿宋, 黑体 …) to
installed Simplified-Chinese fonts (cjkfonts.py), so the PDF never shows boxes nor embeds a Japanese face.
The UNO run also gets the characters that may not begin a line (wordxml.NO_BREAK_BEFORE: 万元 and % after
a number), which LibreOffice does not read from the docx's settings: set once in the office's
configuration, they apply to every document it opens.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
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


@functools.lru_cache(maxsize=None)
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
    """Write pdf from docx; returns how it was made (for the manifest). Raises PdfUnavailable. Starts and
    stops its own LibreOffice: for many documents, PdfSession keeps one running."""
    with PdfSession() as session:
        return session.convert(docx, pdf)


NO_CONVERTER = ("未找到 LibreOffice 或 Word，未生成 PDF。可在 Word/WPS 中打开 .docx，"
                "更新目录后另存为 PDF；或安装 LibreOffice 后重新导出。")
WITH_TOC = "LibreOffice（已更新目录页码）"


class PdfSession:
    """One LibreOffice kept running for many documents (batch export): the first convert() starts a
    headless soffice behind a helper in LibreOffice's Python (uno_pdf.py, JSON lines over its stdin and
    stdout); each document is then loaded, its TOC updated, exported and closed on the same connection.

        with pdf.PdfSession() as conv:          # or pdf.converter()
            for book in books:
                export_package(book, out / book.stem, converter=conv)

    A document that fails (LibreOffice crashed or hung on it) gets PdfUnavailable and the helper with its
    soffice is stopped; the next document starts a fresh one. close() — also on an exception or Ctrl+C
    in the with block — always stops the process group, so no soffice is left running; if this process
    dies without closing, the helper sees its input end and quits soffice itself. Thread-safe (one
    document at a time). Without LibreOffice's Python (or with Word on Windows) each convert() is the
    one-shot conversion. Use one session per process: a forked copy starts its own."""

    def __init__(self, timeout: float = TIMEOUT_S):
        self.timeout = timeout
        self.times: dict[str, float] = {}  # the stages of the last document (start, load, toc, export, close)
        self._lock = threading.Lock()
        self._helper: _Helper | None = None
        self._work: tempfile.TemporaryDirectory | None = None
        self._work_owner: int | None = None  # the process that made the work folder
        self._starts = 0
        self._closed = False

    @property
    def folder(self) -> Path | None:
        """The temporary folder of its LibreOffice profiles (every soffice it started names it on its
        command line); None before the first document and after close()."""
        return Path(self._work.name) if self._work is not None else None

    def __enter__(self) -> "PdfSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def convert(self, docx: Path, pdf: Path) -> str:
        """Write pdf from docx; returns how it was made (for the manifest). Raises PdfUnavailable."""
        if sys.platform == "win32" and os.environ.get("DISCLOSURE_PDF") != "libreoffice":
            try:
                _word(docx, pdf)
                return "Microsoft Word"
            except PdfUnavailable:
                pass  # no Word or pywin32: try LibreOffice
        soffice = find_soffice()
        if soffice is None:
            raise PdfUnavailable(NO_CONVERTER)
        with self._lock:
            if self._closed:
                raise PdfUnavailable("PDF 转换已结束（会话已关闭），未生成 PDF。")
            started = self._helper is None or self._helper.pid_owner != os.getpid()
            helper = self._running(soffice)
            if helper is None:
                return _convert_to(soffice, docx, pdf)
            try:
                self.times = helper.convert(docx.resolve(), pdf.resolve(), self.timeout)
                self.times["start"] = self.times.get("start", 0.0) + (helper.start_time if started else 0.0)
            except PdfUnavailable:
                self._stop()  # the next document gets a fresh soffice
                raise
            except BaseException:  # Ctrl+C while LibreOffice works: never leave it running
                self._stop()
                raise
        if not pdf.exists() or pdf.stat().st_size == 0:
            raise PdfUnavailable("LibreOffice 转换 PDF 失败（未写出文件）；未生成 PDF。")
        return WITH_TOC

    def _running(self, soffice: str) -> "_Helper | None":
        """The helper, started if there is none (or it belongs to the process this one was forked from);
        None when LibreOffice has no Python with UNO."""
        if self._helper is not None and self._helper.pid_owner == os.getpid():
            return self._helper
        self._helper = None  # a forked copy: the parent's helper is not ours to use or stop
        python = _uno_python(soffice)
        if python is None:
            return None
        if self._work is None or self._work_owner != os.getpid():
            self._work = tempfile.TemporaryDirectory(prefix="disclosure-lo-", ignore_cleanup_errors=True)
            self._work_owner = os.getpid()
        self._starts += 1  # each helper its own profile: a killed soffice may leave its profile locked
        self._helper = _Helper.start(python, soffice, Path(self._work.name), f"profile{self._starts}", self.timeout)
        return self._helper

    def _stop(self) -> None:
        if self._helper is not None and self._helper.pid_owner == os.getpid():
            self._helper.stop()
        self._helper = None

    def close(self) -> None:
        """Stop LibreOffice and remove its temporary folder (profile and temporary files). Safe to call
        twice. A document still converting in another thread is waited for a while, then its
        LibreOffice is stopped all the same (that document gets PdfUnavailable)."""
        locked = self._lock.acquire(timeout=self.timeout)
        try:
            self._closed = True
            self._stop()  # nothing of an idle soffice is worth a polite quit: its files are all in our folder
            if locked and self._work is not None and self._work_owner == os.getpid():
                self._work.cleanup()
                self._work = None
        finally:
            if locked:
                self._lock.release()


def converter(timeout: float = TIMEOUT_S) -> PdfSession:
    """`with pdf.converter() as conv:` — one LibreOffice for all the documents of the block."""
    return PdfSession(timeout)


_process_session: tuple[int, PdfSession] | None = None  # (pid, session)


def process_converter() -> PdfSession:
    """This process's own session, started on first use and closed when the process exits: for the
    workers of a process pool (each worker one soffice), e.g. export_package(…, converter=
    pdf.process_converter()) in the worker function."""
    global _process_session
    if _process_session is None or _process_session[0] != os.getpid() or _process_session[1]._closed:
        session = PdfSession()
        _process_session = (os.getpid(), session)
        atexit.register(session.close)
        from multiprocessing import util  # a pool worker leaves by os._exit: atexit would not run

        util.Finalize(session, session.close, exitpriority=10)
    return _process_session[1]


class _Helper:
    """uno_pdf.py in LibreOffice's Python, in a process group (session) of its own with its soffice."""

    def __init__(self, proc: subprocess.Popen, work: Path):
        self.proc, self.work, self.pid_owner = proc, work, os.getpid()
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    @classmethod
    def start(cls, python: str, soffice: str, work: Path, profile_name: str, timeout: float) -> "_Helper":
        env = _environment(work)
        profile = Path(work, profile_name).as_uri()
        pipe = f"disclosure{uuid.uuid4().hex[:12]}"
        log = (work / "helper.log").open("ab")  # the helper's stderr: the last line explains a failure
        try:
            proc = subprocess.Popen([python, str(HERE / "uno_pdf.py"), soffice, profile, pipe, NO_BREAK_BEFORE],
                                    env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                    **_own_group())
        except OSError as exc:
            raise PdfUnavailable(f"无法启动 LibreOffice：{exc.strerror}") from None
        finally:
            log.close()
        helper = cls(proc, work)
        try:
            answer = helper._answer(timeout, "启动")
        except BaseException:
            helper.stop()
            raise
        if not answer.get("ready"):
            helper.stop()
            raise PdfUnavailable(f"LibreOffice 启动失败（{answer.get('error', '')}）；未生成 PDF。")
        helper.start_time = answer.get("start", 0.0)
        return helper

    def _read(self) -> None:
        with self.proc.stdout:
            for line in self.proc.stdout:
                self.lines.put(line)
        self.lines.put(None)  # the helper is gone

    def _answer(self, timeout: float, doing: str) -> dict:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise PdfUnavailable(f"LibreOffice {doing}超过 {timeout:g} 秒未完成，已停止；未生成 PDF。") from None
        if line is None:
            raise PdfUnavailable("LibreOffice 意外退出" + self._detail() + "；未生成 PDF。")
        try:
            return json.loads(line)
        except ValueError:
            raise PdfUnavailable("LibreOffice 转换程序输出无法识别；未生成 PDF。") from None

    def _detail(self) -> str:
        try:
            last = (self.work / "helper.log").read_text("utf-8", "replace").strip().splitlines()[-1:]
        except OSError:
            last = []
        return f"（{last[0]}）" if last else ""

    def convert(self, docx: Path, pdf: Path, timeout: float) -> dict[str, float]:
        try:
            self.proc.stdin.write((json.dumps({"source": str(docx), "target": str(pdf)}) + "\n").encode())
            self.proc.stdin.flush()
        except OSError:
            raise PdfUnavailable("LibreOffice 意外退出" + self._detail() + "；未生成 PDF。") from None
        answer = self._answer(timeout, f"转换“{docx.name}”")
        if not answer.get("ok"):
            raise PdfUnavailable(f"LibreOffice 转换“{docx.name}”为 PDF 失败（{answer.get('error', '')}）；未生成 PDF。")
        return answer.get("times", {})

    def stop(self) -> None:
        """Kill the helper and its soffice (the whole process group), now."""
        _kill_group(self.proc)
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        self.proc.wait()


def _own_group() -> dict:
    if os.name == "posix":
        return {"start_new_session": True}
    return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}  # pragma: no cover - Windows


def _kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL to the process group (its id is the helper's pid: it stays taken while any member lives)."""
    if os.name == "posix":
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    else:  # pragma: no cover - Windows: the tree of the helper
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True)


def _convert_to(soffice: str, docx: Path, pdf: Path) -> str:
    """Plain --convert-to: no UNO, so the TOC keeps no page numbers."""
    with tempfile.TemporaryDirectory(prefix="disclosure-lo-") as work:
        env = _environment(Path(work))
        profile = Path(work, "profile").as_uri()
        outdir = Path(work, "out")
        _run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
              "--outdir", str(outdir), str(docx.resolve())], env, outdir / (docx.stem + ".pdf"))
        shutil.move(str(outdir / (docx.stem + ".pdf")), pdf)
        return "LibreOffice（目录未带页码：没有 LibreOffice 的 Python/UNO 组件）"


def _environment(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    tmp = work / "tmp"  # LibreOffice's temporary files (lu*.tmp): removed with work, even after a kill
    tmp.mkdir(exist_ok=True)
    env["TMPDIR"] = env["TMP"] = env["TEMP"] = str(tmp)
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
