"""Published PDFs as input (issue 22): a 决算/预算 公开 PDF with a text layer read into a Report — its tables found
by their titles, 行次, 栏次 and 科目代码 as an Excel export's are (the same parser, on grids built from the PDF's
pages), every amount keeping the page and position it was printed at, and the 情况说明 kept as text for lint.

The contract the rest of the product uses (audit, --prior, the window):
- import_pdf(path, layout=None, region=None) -> Report, with report.pdf a PdfSource;
- PdfSource.places: CellRef of a table value -> PdfPlace (page, bbox) where it is printed;
- PdfSource.text: the published text outside the tables (PublishedText), lines with their page and bbox.
"""

from __future__ import annotations

import msgspec
from msgspec import field

from ..model import CellRef


class PdfPlace(msgspec.Struct, frozen=True):
    page: int  # 1-based
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, from the page's top-left (pdfplumber)


class TextLine(msgspec.Struct, frozen=True):
    page: int
    text: str
    bbox: tuple[float, float, float, float]


class PublishedText(msgspec.Struct):
    """The document's words outside its tables, in reading order (cover, 目录, 概况, 情况说明, 名词解释 …)."""

    lines: list[TextLine] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def place_of(self, snippet: str) -> PdfPlace | None:
        """Where a sentence (or the start of one) is printed: the line it starts on. Spaces and line breaks are
        ignored, as a sentence of the text may run over several lines."""
        wanted = "".join(snippet.split())
        if not wanted:
            return None
        joined, starts = "", []  # the lines run together, and where each starts in that text
        for line in self.lines:
            starts.append(len(joined))
            joined += "".join(line.text.split())
        at = joined.find(wanted)
        if at < 0:
            return None
        i = max(k for k, start in enumerate(starts) if start <= at)
        while i + 1 < len(starts) and starts[i + 1] <= at:  # an empty line shares its start with the next
            i += 1
        line = self.lines[i]
        return PdfPlace(line.page, line.bbox)


class PdfSource(msgspec.Struct):
    path: str
    pages: int
    places: dict[CellRef, PdfPlace] = field(default_factory=dict)
    text: PublishedText = field(default_factory=PublishedText)
    perf_pages: tuple[int, ...] = ()  # pages printing a 绩效自评表 title
    perf_problem: str = ""  # why those tables were not read (report.perf None): their P rules not run


def import_pdf(path, layout: str | None = None, region: str | None = None):
    """The Report of a published PDF (report.pdf a PdfSource); InputError (exit 2) for a scanned or encrypted
    PDF, naming the file."""
    from ..importers.pdf import import_pdf as read  # pdfplumber only when a PDF is read

    return read(path, layout, region)
