"""Run by LibreOffice's own Python (Debian: /usr/bin/python3 with python3-uno; Windows: program/python.exe),
never imported by the package: a long-lived helper that starts a private headless soffice, and for each
document opens the .docx, updates its table of contents and fields, stores it as PDF and closes it.

    python uno_pdf.py SOFFICE PROFILE_URL PIPE_NAME [NO_BREAK_BEFORE]

It speaks JSON lines: it writes {"ready": …} once soffice accepts connections, then reads one request
a line, {"source": "/abs/in.docx", "target": "/abs/out.pdf"}, and answers each with {"ok": true,
"times": {…}} or {"ok": false, "error": "…"}. At the end of its input it quits soffice and exits, so
the caller closing the pipe (or dying) never leaves an office running. A soffice found dead before a
document is started again (with a new profile folder); one that dies during a document fails that
document only — the caller then replaces this helper (pdf.PdfSession).

Plain `soffice --convert-to pdf` leaves the TOC empty; updating the document indexes through UNO fills
it with real page numbers. NO_BREAK_BEFORE: characters that may not begin a line in Chinese text, added
to the zh-CN list (LibreOffice ignores the docx's w:noLineBreaksBefore) — "万元" and "%" stay with the
number before them.
"""

import json
import subprocess
import sys
import time

import uno  # noqa: E402  (only LibreOffice's Python has it)
from com.sun.star.beans import PropertyValue  # type: ignore
from com.sun.star.connection import NoConnectException  # type: ignore
from com.sun.star.lang import Locale  # type: ignore

START_TIMEOUT_S = 60  # a first start with a new profile takes a few seconds


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def keep_with_number(ctx, chars):
    """Add chars to LibreOffice's zh-CN 'not at the start of a line' list, in the office's configuration
    (Common/AsianLayout/StartEndCharacters), which Writer copies into every document when it creates it:
    before the first layout, so no paragraph has to be laid out again (setting the document's own table
    after loading meant toggling a property on every paragraph: a second per document)."""
    locale = Locale("zh", "CN", "")
    default = ctx.ServiceManager.createInstanceWithContext("com.sun.star.i18n.LocaleData", ctx) \
        .getForbiddenCharacters(locale)
    begin = default.beginLine + "".join(c for c in chars if c not in default.beginLine)
    provider = ctx.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (prop("nodepath", "/org.openoffice.Office.Common/AsianLayout/StartEndCharacters"),))
    node = access.getByName("zh-CN") if access.hasByName("zh-CN") else access.createInstance()
    node.setPropertyValue("StartCharacters", begin)
    node.setPropertyValue("EndCharacters", default.endLine)
    if not access.hasByName("zh-CN"):
        access.insertByName("zh-CN", node)
    access.commitChanges()


class Office:
    """One headless soffice and the UNO connection to it."""

    def __init__(self, soffice, profile, pipe, no_break_before):
        self.proc = subprocess.Popen([soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible",
                                      "--nologo", "--norestore", "--nodefault", f"--accept=pipe,name={pipe};urp;"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self.ctx = self._connect(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            self.desktop = self.ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
            if no_break_before:
                keep_with_number(self.ctx, no_break_before)
        except BaseException:
            self.close()
            raise

    def _connect(self, url):
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                return resolver.resolve(url)
            except NoConnectException:
                if self.proc.poll() is not None:
                    raise RuntimeError("soffice exited before accepting a connection") from None
                time.sleep(0.05)
        raise RuntimeError(f"soffice did not accept a connection within {START_TIMEOUT_S} s")

    def alive(self):
        if self.proc.poll() is not None:
            return False
        try:
            self.desktop.getFrames()  # a round trip: fails when soffice.bin died and its launcher not yet
            return True
        except Exception:
            return False

    def convert(self, source, target):
        """Times of the stages, in seconds."""
        times = {}
        t = time.perf_counter()
        doc = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
                                                (prop("Hidden", True), prop("ReadOnly", True)))
        if doc is None:
            raise RuntimeError("无法打开该文档")
        times["load"] = time.perf_counter() - t
        try:
            t = time.perf_counter()
            indexes = doc.getDocumentIndexes()
            for i in range(indexes.getCount()):
                indexes.getByIndex(i).update()
            doc.getTextFields().refresh()
            times["toc"] = time.perf_counter() - t
            t = time.perf_counter()
            doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "writer_pdf_Export"),))
            times["export"] = time.perf_counter() - t
        finally:
            t = time.perf_counter()
            doc.close(True)
            times["close"] = time.perf_counter() - t
        return times

    def close(self):
        try:
            self.desktop.terminate()
        except Exception:  # the bridge drops as soffice quits (or it never came up)
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def serve(soffice, profile, pipe, no_break_before=""):
    starts = 0

    def start():
        nonlocal starts
        starts += 1  # a soffice that died may have left its profile locked: a new one each time
        t = time.perf_counter()
        office = Office(soffice, profile if starts == 1 else f"{profile}-{starts}", f"{pipe}-{starts}",
                        no_break_before)
        return office, time.perf_counter() - t

    try:
        office, took = start()
    except Exception as exc:
        send({"ready": False, "error": str(exc)})
        return
    send({"ready": True, "start": took})
    try:
        for line in sys.stdin:
            request = json.loads(line)
            try:
                took = 0.0
                if not office.alive():
                    office.close()
                    office, took = start()
                times = office.convert(request["source"], request["target"])
                send({"ok": True, "times": {"start": took, **times}})
            except Exception as exc:
                if not office.alive():  # it crashed on this document: the caller starts a new helper
                    send({"ok": False, "error": "LibreOffice 在转换中意外退出"})
                elif isinstance(exc, RuntimeError):
                    send({"ok": False, "error": str(exc)})
                else:
                    send({"ok": False, "error": f"{type(exc).__name__}: {exc}".strip()})
    finally:
        office.close()


if __name__ == "__main__":
    serve(*sys.argv[1:5])
