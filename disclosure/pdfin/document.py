"""Open a published PDF with pdfplumber, refusing what cannot be read as one Chinese line naming the file
(InputError, exit 2): not a PDF or damaged, encrypted, scanned (no text layer on any page), too large.
pdfplumber (and pdfminer under it) is imported here only, when a PDF is opened: `disclosure check` never
pays for it."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..guard import check_file

MAX_PDF_MB = 50  # as guard.MAX_FILE_MB for workbooks: a department's 公开 is a few MB
MAX_PAGES = 300  # a 决算公开 has 20–60 pages; a 部门 with many units' tables a little over 100


def check_pdf_file(path: Path) -> None:
    """Refuse, before the PDF library sees it, a file that is missing, empty, too large or not a PDF."""
    check_file(path, MAX_PDF_MB, folder="不是 PDF 文件", empty="，不是有效的 PDF",
               large="不像一份部门决算公开 PDF，已拒绝读取")
    with path.open("rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:  # the header may follow a few bytes of junk, as readers allow
        raise InputError("不是 PDF 文件（文件开头没有 PDF 标记）。请确认是公开的 PDF 文档", file=path)


@contextmanager
def open_pdf(path: str | Path) -> Iterator["object"]:
    """The pdfplumber.PDF of a readable, unencrypted PDF with at most MAX_PAGES pages; InputError otherwise.
    Scanned documents are refused by the caller once it has looked at the pages' characters (no_text_layer)."""
    path = Path(path)
    check_pdf_file(path)
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many types for a broken file; all mean the same to the user
        if isinstance(exc, (PDFPasswordIncorrect, PDFEncryptionError)) or _encrypted(exc):
            raise InputError("PDF 已加密（需要密码才能打开），无法读取。请向发布单位索取未加密的文件，"
                             "或用阅读器打开后另存一份不加密的 PDF", file=path) from exc
        raise InputError("PDF 文件已损坏，无法读取。请重新下载或向发布单位索取原文件", file=path) from exc
    try:
        try:
            pages = len(pdf.pages)
        except Exception as exc:
            raise InputError("PDF 文件已损坏（页面目录无法读取），请重新下载或向发布单位索取原文件", file=path) from exc
        if pages == 0:
            raise InputError("PDF 文件没有任何页面", file=path)
        if pages > MAX_PAGES:
            raise InputError(f"PDF 页数过多（{pages} 页，上限 {MAX_PAGES} 页），不像一份部门决算公开，已拒绝读取", file=path)
        yield pdf
    finally:
        pdf.close()


def _encrypted(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's password errors in its own PdfminerException."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (PDFPasswordIncorrect, PDFEncryptionError)) or any(
                isinstance(a, (PDFPasswordIncorrect, PDFEncryptionError)) for a in getattr(exc, "args", ())):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def scanned(path: Path) -> InputError:
    return InputError("PDF 没有文字层（是扫描件或图片），无法读取其中的表格和文字。请使用发布单位导出的文字版 PDF，"
                      "或先用 OCR 软件转换为可选中文字的 PDF", file=path)


def damaged_page(path: Path, page: int) -> InputError:
    return InputError(f"PDF 第 {page} 页已损坏，无法读取。请重新下载或向发布单位索取原文件", file=path)
