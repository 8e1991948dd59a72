"""Import a published 决算/预算 公开 PDF (text layer): its pages as sheets (pdfin/sheets.py) read by the same
layout detection and parser as an Excel export (export.import_sheets), every amount keeping the page and box it
was printed at (report.pdf.places), the text outside the tables kept for lint (report.pdf.text), the 绩效自评表 printed
in the text read by their titles (all of them, or none and report.pdf.perf_problem says why)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..errors import InputError
from ..grid import cell_index
from ..model import CellRef, Report
from ..pdfin import PdfPlace, PdfSource, PublishedText
from ..pdfin.sheets import read_sheets
from .export import import_sheets, note_layout_year

_TITLE_YEAR = re.compile(r"(20\d\d)年度?(?:部门|单位)?(决算|预算)")
_SPACES = re.compile(r"\s+")


def import_pdf(path: str | Path, layout: str | int | None = None, region: str | None = None) -> Report:
    path = Path(path)
    read = read_sheets(path)
    # 绩效自评表 are printed inside the text (十三/十四) or as 附件, their titles anywhere on a page: read apart (below)
    try:
        report = import_sheets(read.sheets, path, layout, (), region, perf=False)
    except InputError as exc:
        raise _on_pages(exc) from None
    report.year = title_year(read.lines, report.spec.kind) or report.year
    note_layout_year(report)  # again: the title's year is the document's
    titles = _perf_titles(read)
    perf_pages = _perf_pages(read, titles)
    problem = ""
    if perf_pages and not report.spec.is_budget:
        report.perf, problem = _perf([s for s in read.sheets if s.name in titles], sum(titles.values()), path)
    places: dict[CellRef, PdfPlace] = {}
    for ref in _cells(report):
        r, c = cell_index(ref.coord)
        place = read.places.get((ref.sheet, r, c))
        if place is not None:
            places[ref] = place
    report.pdf = PdfSource(str(path), read.pages, places, PublishedText(read.lines), perf_pages, problem)
    report.source = path
    return report


def _perf_titles(read) -> dict[str, int]:
    """The sheets that print a 绩效自评表's title (perf.read.is_title), and how many each prints."""
    from ..perf.read import is_title

    counts = {s.name: sum(1 for row in s.rows for t in row if isinstance(t, str) and is_title(t)) for s in read.sheets}
    return {name: n for name, n in counts.items() if n}


def _perf(titled: list, printed: int, path: Path):
    """The 绩效自评表 the PDF prints, all of them or none — (Performance, "") or (None, why not): checks and lint's
    十三 on only some tables would pair one project's text with another's table."""
    from ..perf.read import find_in_export

    try:
        perf = find_in_export(titled, path)
    except InputError as exc:
        return None, f"未能读取：{_on_pages(exc).message}"
    read_count = len(perf.tables) if perf else 0
    if read_count != printed:
        return None, f"印有 {printed} 张，只读出 {read_count} 张"
    return perf, ""


def _perf_pages(read, titles: dict[str, int]) -> tuple[int, ...]:
    """The pages that print a 绩效自评表's title, in its tables or its text."""
    from ..perf.read import is_title

    pages = {line.page for line in read.lines if is_title(line.text)}
    pages.update(place.page for (name, _, _), place in read.places.items() if name in titles)
    return tuple(sorted(pages))


def title_year(lines, kind: str) -> int | None:
    """The year the document names itself by (“子洲县医疗保障局 2024年度部门决算” on the cover, “第二部分 2024年度部门决算
    情况说明” …), the most frequent: the tables of a PDF rarely print their year, and the years in a 绩效自评表's
    project names (“2022年度城乡居民大病保险经办服务费”) must not outvote it. None when the text never says."""
    word = kind[-2:]  # 决算 / 预算
    years = Counter(int(m.group(1)) for line in lines for m in _TITLE_YEAR.finditer(_SPACES.sub("", line.text))
                    if m.group(2) == word)
    return years.most_common(1)[0][0] if years else None


# what a workbook's typist is asked to do about text in an amount cell (amounts.py); a PDF's reader cannot
_TYPE_A_NUMBER = "，请填写数字（如 1081.56），无金额请留空"


def _on_pages(exc: InputError) -> InputError:
    """A parser's error told of a PDF: the page it is on (“第7页”, “第1-2页”), not a 工作表 and a grid cell the
    reader cannot see; text where an amount should be is not asked to be typed again, but said what it may be."""
    if not exc.sheet or not exc.sheet.startswith("第"):
        return exc
    message = exc.message.replace(_TYPE_A_NUMBER, "：那里印的不是数（可能是跨页重复印出的表头，或表格的版式未能读懂）")
    return InputError(f"{exc.sheet}：{message}", file=exc.file)


def _cells(report: Report):
    """Every cell the report was read from: amounts, labels and codes, text columns; the 绩效自评表's too."""
    for table in report.tables.values():
        for row in table.rows:
            if row.cell is not None:
                yield row.cell
            yield from (v.cell for v in row.values.values() if v.cell is not None)
            yield from row.text_cells.values()
    if report.perf:
        yield from (v.cell for v in report.perf.values())
        for t in report.perf.tables:  # and where their labels and texts stand
            yield from (c for c in [t.name_cell, *(f.cell for f in t.funds), *(i.cell for i in t.indicators)] if c)
            for i in t.indicators:
                yield from i.text_cells.values()
