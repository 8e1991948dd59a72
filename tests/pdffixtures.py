"""Published PDFs for the PDF reader's tests (issue 22), made the way real ones are: our own package (the Word
document printed by LibreOffice), a spreadsheet laid out as printed (the Shanghai reference, seed 003) printed
by LibreOffice Calc on A4 portrait or landscape, with or without ruling lines; and the files a reader must
refuse — a scan (pages as images only), an encrypted PDF, a damaged one.

Calc printing needs the libreoffice-calc-nogui package (./dev installs LibreOffice)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Border, Side
from openpyxl.utils import get_column_letter


def soffice_pdf(source: Path, outdir: Path) -> Path:
    """source (.xlsx/.docx) printed to outdir/<stem>.pdf by a headless LibreOffice with a profile of its own
    (another LibreOffice running — a test's, the officer's — would make it fail)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed to print the test PDFs"
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run([soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                               "--convert-to", "pdf", "--outdir", str(outdir), str(source)],
                              capture_output=True, text=True, timeout=180)
    pdf = outdir / f"{source.stem}.pdf"
    assert pdf.exists(), f"LibreOffice did not print {source.name}: {proc.stdout} {proc.stderr}"
    return pdf


def _width(text) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def printable(xlsx: Path, out: Path, landscape: bool, ruled: bool | None) -> Path:
    """The workbook as an officer would print it: columns wide enough for their texts, one page wide on A4,
    portrait or landscape, the table (from its first to its last row of several cells) ruled, or no line at all
    (ruled None: the workbook's own borders kept)."""
    wb = load_workbook(xlsx)
    thin = Side(style="thin", color="000000")
    for ws in wb.worksheets:
        merged = {(r, c) for m in ws.merged_cells.ranges if m.min_col != m.max_col
                  for r in range(m.min_row, m.max_row + 1) for c in range(m.min_col, m.max_col + 1)}
        several = [r for r in range(1, ws.max_row + 1)
                   if sum(1 for c in range(1, ws.max_column + 1) if ws.cell(r, c).value not in (None, "")) >= 2]
        widths: dict[int, int] = {}
        for r in several:
            for c in range(1, ws.max_column + 1):
                value = ws.cell(r, c).value
                if value not in (None, "") and (r, c) not in merged:
                    widths[c] = max(widths.get(c, 0), _width(value if not isinstance(value, float) else f"{value:,.2f}"))
        for m in ws.merged_cells.ranges:  # a header over merged cells fits in them (LibreOffice would let it spill)
            value = ws.cell(m.min_row, m.min_col).value
            if m.min_row in several and value not in (None, ""):
                cols = range(m.min_col, m.max_col + 1)
                short = _width(value) - sum(widths.get(c, 0) for c in cols)
                if short > 0:
                    widths[m.max_col] = widths.get(m.max_col, 0) + short
        for c, w in widths.items():
            ws.column_dimensions[get_column_letter(c)].width = min(60, w * 1.15 + 3)
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        if ruled and several:
            for r in range(several[0], several[-1] + 1):
                for c in range(1, ws.max_column + 1):
                    ws.cell(r, c).border = Border(left=thin, right=thin, top=thin, bottom=thin)
        elif ruled is False:  # our own workbooks come with their borders: taken off, no line is printed
            for row in ws.iter_rows():
                for cell in row:
                    cell.border = Border()
    wb.save(out)
    return out


def printed(xlsx: Path, outdir: Path, landscape: bool, ruled: bool | None) -> Path:
    """printable() then printed to PDF: outdir/<stem>.pdf."""
    outdir.mkdir(parents=True, exist_ok=True)
    copy = printable(xlsx, outdir / xlsx.name, landscape, ruled)
    return soffice_pdf(copy, outdir)


def region_prints(folder: Path, ruled: bool) -> dict[tuple[str, str], tuple[Path, Path]]:
    """(workbook, its print) by (region, orientation): the Shanghai reference tables (tests/putuo_workbook.py) on A4
    portrait and landscape, seed 003's (内蒙古) on landscape, ruled or without any line."""
    from putuo_workbook import build as build_putuo
    from seed003_workbook import write as write_seed003

    putuo = build_putuo(folder / "putuo.xlsx")
    nmg = write_seed003(folder / "nmg.xlsx")
    return {
        ("上海", "portrait"): (putuo, printed(putuo, folder / "putuo-portrait", landscape=False, ruled=ruled)),
        ("上海", "landscape"): (putuo, printed(putuo, folder / "putuo-landscape", landscape=True, ruled=ruled)),
        ("内蒙古", "landscape"): (nmg, printed(nmg, folder / "nmg-landscape", landscape=True, ruled=ruled)),
    }


def package_pdf(book: Path, outdir: Path) -> Path:
    """The PDF of our own package of a workbook (export_package: the Word document printed by LibreOffice)."""
    from disclosure.export.package import export_package

    result = export_package(book, outdir, force=True)
    return next(f for f in result.files if f.suffix == ".pdf")


def perf_package(folder: Path) -> tuple[Path, Path]:
    """(workbook, PDF): the bundled sample with seed 001's ten 绩效自评表 (tests/perfexport.py) imported into it, and
    its package PDF — the tables printed inside 十三, one ending with its 总分 row alone atop the next page."""
    import perfexport
    from conftest import build_sample_book, run_cli

    book = build_sample_book(folder / "子洲县医疗保障局.xlsx")
    perfexport.write_export(folder / "绩效.xlsx")
    assert run_cli("import", folder / "绩效.xlsx", "--into", book).code == 0
    return book, package_pdf(book, folder / "package")


def scanned(pdf: Path, out: Path, pages: int = 2) -> Path:
    """A scan of the first pages: each rendered to an image (pypdfium2), the images saved as a PDF (Pillow) —
    pages with no text layer at all."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        images = [doc[i].render(scale=1).to_pil().convert("RGB") for i in range(min(pages, len(doc)))]
    finally:
        doc.close()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=72)
    return out


def encrypted(pdf: Path, out: Path, password: str = "secret") -> Path:
    """The PDF locked with a user password (pypdf)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.encrypt(user_password=password, owner_password=password, algorithm="AES-128")
    with out.open("wb") as f:
        writer.write(f)
    return out


def damaged(pdf: Path, out: Path) -> Path:
    """The PDF cut off after its first 3 KB: a download that broke off."""
    out.write_bytes(pdf.read_bytes()[:3000])
    return out


def values_of(report) -> dict:
    """Every non-zero amount of every table, by table, row (side, 项目, 科目代码, 行次) and column."""
    return {tid: {(r.side, r.key, r.code, r.line): {k: v.amount for k, v in r.values.items() if v.amount != 0}
                  for r in t.rows if not r.is_empty}
            for tid, t in report.tables.items()}


def assert_places(report, pdf_path: Path) -> int:
    """Every non-zero amount has a place, and the text printed in that box on that page is that amount;
    every amount read (zeros printed blank too) has a place. Returns how many were looked at."""
    import pdfplumber

    from disclosure.amounts import parse_amount

    seen = 0
    with pdfplumber.open(pdf_path) as pdf:
        for table in report.tables.values():
            for row in table.rows:
                for name, value in row.values.items():
                    if value.cell is None:  # not printed (a row the table leaves out, filled in by the parser)
                        continue
                    place = report.pdf.places.get(value.cell)
                    assert place is not None, f"{table.id} {row.name} {name}: no place"
                    if value.amount == 0:
                        continue
                    page = pdf.pages[place.page - 1]
                    x0, top, x1, bottom = place.bbox
                    printed_there = page.within_bbox((x0 - 0.5, top - 0.5, x1 + 0.5, bottom + 0.5)).extract_text()
                    assert parse_amount("".join(printed_there.split())) == value.amount, \
                        f"{table.id} {row.name} {name}: page {place.page} {place.bbox} prints {printed_there!r}"
                    seen += 1
    return seen
