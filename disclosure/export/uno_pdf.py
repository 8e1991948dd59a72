"""Run by LibreOffice's own Python (Debian: /usr/bin/python3 with python3-uno; Windows: program/python.exe),
never imported by the package: open a .docx in a private headless soffice, update its table of contents
and fields, store it as PDF, and always stop soffice.

    python uno_pdf.py SOFFICE IN.docx OUT.pdf PROFILE_URL PIPE_NAME [NO_BREAK_BEFORE]

Plain `soffice --convert-to pdf` leaves the TOC empty; updating the document indexes through UNO fills
it with real page numbers. NO_BREAK_BEFORE: characters that may not begin a line in Chinese text, added
to the locale's own list (LibreOffice ignores the docx's w:noLineBreaksBefore) — "万元" and "%" stay with
the number before them.
"""

import subprocess
import sys
import time

import uno  # noqa: E402  (only LibreOffice's Python has it)
from com.sun.star.beans import PropertyValue  # type: ignore
from com.sun.star.connection import NoConnectException  # type: ignore
from com.sun.star.i18n import ForbiddenCharacters  # type: ignore
from com.sun.star.lang import Locale  # type: ignore


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def keep_with_number(ctx, doc, chars):
    """Add chars to the zh-CN 'not at the start of a line' list and lay the paragraphs out again."""
    locale = Locale("zh", "CN", "")
    defaults = ctx.ServiceManager.createInstanceWithContext("com.sun.star.i18n.LocaleData", ctx)
    current = defaults.getForbiddenCharacters(locale)
    table = doc.createInstance("com.sun.star.document.Settings").getPropertyValue("ForbiddenCharacters")
    begin = current.beginLine + "".join(c for c in chars if c not in current.beginLine)
    table.setForbiddenCharacters(locale, ForbiddenCharacters(begin, current.endLine))
    # the new list only applies to paragraphs laid out after the change: toggle the rule to relayout
    paragraphs = doc.getText().createEnumeration()
    while paragraphs.hasMoreElements():
        paragraph = paragraphs.nextElement()
        if paragraph.supportsService("com.sun.star.text.Paragraph"):
            paragraph.setPropertyValue("ParaIsForbiddenRules", False)
            paragraph.setPropertyValue("ParaIsForbiddenRules", True)


def main(soffice, source, target, profile, pipe, no_break_before=""):
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    proc = subprocess.Popen([soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--nologo",
                             "--norestore", "--nodefault", f"--accept=pipe,name={pipe};urp;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(600):  # a first start with a new profile takes a few seconds
            try:
                ctx = resolver.resolve(url)
                break
            except NoConnectException:
                if proc.poll() is not None:
                    raise SystemExit("soffice exited before accepting a connection") from None
                time.sleep(0.1)
        if ctx is None:
            raise SystemExit("soffice did not accept a connection within 60 s")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
        if doc is None:
            raise SystemExit("LibreOffice could not open the document")
        try:
            if no_break_before:
                keep_with_number(ctx, doc, no_break_before)
            indexes = doc.getDocumentIndexes()
            for i in range(indexes.getCount()):
                indexes.getByIndex(i).update()
            doc.getTextFields().refresh()
            doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "writer_pdf_Export"),))
        finally:
            doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge drops as soffice quits
            pass
    finally:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main(*sys.argv[1:7])
