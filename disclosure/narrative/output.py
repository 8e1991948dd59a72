"""Write a rendered Document as .txt, .md or .docx (a plain, correct Word file; the official layout
with cover, TOC and tables is the export package's job)."""

from __future__ import annotations

import json
from pathlib import Path

from docx import Document as WordDocument
from docx.shared import Pt

from ..errors import DisclosureError
from ..export.wordxml import set_fonts
from ..files import atomic_write
from .render import Document

BODY_FONT, HEADING_FONT = "仿宋", "黑体"


def _docx(doc: Document, path: Path) -> None:
    word = WordDocument()
    for section in word.sections:  # A4
        section.page_width, section.page_height = Pt(595.3), Pt(841.9)

    def para(text: str, font: str, size: float, bold: bool = False, center: bool = False, indent: bool = False):
        p = word.add_paragraph()
        if center:
            p.alignment = 1
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        run = p.add_run(text)
        run.bold = bold
        run.font.size = Pt(size)
        set_fonts(run._r, font)

    para(doc.title, "宋体", 22, bold=True, center=True)
    for part in doc.parts:
        para(part.title, HEADING_FONT, 16, center=True)
        for s in part.sections:
            para(s.title, HEADING_FONT, 16)
            for p in s.paragraphs:
                para(p, BODY_FONT, 16, indent=True)
    word.save(str(path))


def write(doc: Document, path: str | Path) -> Path:
    """By the file's suffix; a failure leaves nothing half-done (files.atomic_write)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".txt", ".md", ".docx"):
        raise DisclosureError(f"不支持的输出格式“{path.suffix}”：请用 .txt、.md 或 .docx")
    if suffix == ".docx":
        return atomic_write(path, lambda tmp: _docx(doc, tmp))
    text = doc.markdown() if suffix == ".md" else doc.text()
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_facts(doc: Document, path: str | Path) -> Path:
    data = json.dumps([u.to_json() for u in doc.uses], ensure_ascii=False, indent=1)
    return atomic_write(path, lambda tmp: tmp.write_text(data, encoding="utf-8"))
