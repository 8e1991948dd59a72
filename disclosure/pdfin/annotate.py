"""`disclosure audit 公开.pdf --annotate 标注.pdf`: a copy of the PDF with every finding highlighted where it is
printed — one Highlight annotation per finding, its note (severity, rule, message) as the annotation's contents
and popup — written with pypdf (BSD). The original PDF is only read; the copy is written atomically (files.py).

Positions come from pdfplumber: x0, top, x1, bottom in points from the top-left of the page as displayed (a
/Rotate page's box turned). PDF annotations are in the page's user space, from the bottom-left of its MediaBox
and before rotation: _user_rect turns one into the other (pdfminer's rotation matrices, inverted).
Findings the PDF shows no place for (a cell not printed, a sentence not found) cannot be highlighted: they are
listed in one note at the top of the first page, so none is lost.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    from ..audit import Audit, AuditFinding

COLORS = {"错误": "ff6f6f", "警告": "ffd54f", "提示": "9ecbff"}
PAD = 1.5  # points around the printed figure, so the highlight covers its ink


def annotate(result: "Audit", out: str | Path, source: str | Path | None = None) -> Path:
    """Write the annotated copy of the audited PDF (source: the PDF, default the audit's) to `out`."""
    from pypdf import PdfWriter
    from pypdf.errors import PyPdfError

    from ..files import atomic_write

    source = Path(source or result.path)
    try:
        writer = PdfWriter(clone_from=str(source))
    except (PyPdfError, OSError, ValueError) as exc:
        raise InputError(f"无法读取 PDF 以写出标注（{type(exc).__name__}）", file=source) from None
    placed = [f for f in result.findings if f.page and f.bbox and 1 <= f.page <= len(writer.pages)]
    for f in placed:
        _highlight(writer, f)
    shown = {id(f) for f in placed}
    unplaced = [f for f in result.findings if id(f) not in shown]
    if unplaced and len(writer.pages):
        _note_unplaced(writer, unplaced)
    return atomic_write(out, lambda tmp: _save(writer, tmp), {source: "审核的 PDF"})


def note_text(f: "AuditFinding") -> str:
    return f"{f.severity} {f.rule}（{f.source}）：{f.message}"


def _highlight(writer, f: "AuditFinding") -> None:
    from pypdf.annotations import Highlight, Popup
    from pypdf.generic import ArrayObject, FloatObject, NameObject, TextStringObject

    page = writer.pages[f.page - 1]
    x0, y0, x1, y1 = _user_rect(page, f.bbox)
    quad = ArrayObject([FloatObject(v) for v in (x0, y1, x1, y1, x0, y0, x1, y0)])
    mark = Highlight(rect=(x0, y0, x1, y1), quad_points=quad, highlight_color=COLORS.get(f.severity, "ffd54f"),
                     printing=True, title_bar=f"{f.severity} {f.rule}")
    mark[NameObject("/Contents")] = TextStringObject(note_text(f))
    added = writer.add_annotation(f.page - 1, mark)
    popup = Popup(rect=(x1, max(y0 - 80, 0), x1 + 220, y0 + 20), parent=added, open=False)
    shown = writer.add_annotation(f.page - 1, popup)
    added[NameObject("/Popup")] = shown.indirect_reference  # the highlight opens its note


def _note_unplaced(writer, findings: list["AuditFinding"]) -> None:
    from pypdf.annotations import Text
    from pypdf.generic import NameObject, TextStringObject

    page = writer.pages[0]
    box = page.mediabox
    left, top = box.left + 10, box.top - 10  # page geometry in points (pypdf numbers), not money
    text = f"以下 {len(findings)} 条问题在 PDF 中找不到印出的位置：\n" + "\n".join(note_text(f) for f in findings)
    note = Text(rect=(left, top - 24, left + 24, top), text=text, open=False)
    note[NameObject("/T")] = TextStringObject("未能定位的问题")
    writer.add_annotation(0, note)


def _user_rect(page, bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """pdfplumber's (x0, top, x1, bottom) on the displayed page → (x0, y0, x1, y1) in the page's user space."""
    mx0, my0, mx1, my1 = page.mediabox  # points (pypdf numbers): geometry, never an amount
    rotate = (page.get("/Rotate", 0) or 0) % 360
    height = (mx1 - mx0) if rotate in (90, 270) else (my1 - my0)  # the displayed page's height
    bx0, top, bx1, bottom = bbox
    corners = [_unrotate(x, height - t, rotate, (mx0, my0, mx1, my1)) for x, t in ((bx0, top), (bx1, bottom))]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return min(xs) - PAD, min(ys) - PAD, max(xs) + PAD, max(ys) + PAD


def _unrotate(X: float, Y: float, rotate: int, box: tuple[float, float, float, float]) -> tuple[float, float]:
    """Device point (bottom-left of the displayed page) → user space, inverting pdfminer's page matrix."""
    x0, y0, x1, y1 = box
    if rotate == 90:
        return x1 - Y, X + y0
    if rotate == 180:
        return x1 - X, y1 - Y
    if rotate == 270:
        return Y + x0, y1 - X
    return X + x0, Y + y0


def _save(writer, tmp: Path) -> None:
    with open(tmp, "wb") as stream:
        writer.write(stream)
