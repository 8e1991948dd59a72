"""Write a rendered Document as .txt, .md or .docx. The .docx is the export package's 情况说明 part
(export/word.py: the same styles, headings, fonts and navigation pane), without cover, TOC and tables."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import DisclosureError
from ..files import atomic_write
from ..outputs import Inputs
from .render import Document


def _docx(doc: Document, path: Path, style: str) -> None:
    from ..export.word import write_narrative_docx
    from .render import style_config

    write_narrative_docx(doc, style_config(style), path)


def write(doc: Document, path: str | Path, inputs: Inputs = (), style: str | None = None) -> Path:
    """By the file's suffix; a failure leaves nothing half-done, and nothing is written over one of
    `inputs` (files.atomic_write). style: whose fonts the .docx uses (default: the one it was rendered in)."""
    path = Path(path)
    style = style or doc.style
    suffix = path.suffix.lower()
    if suffix not in (".txt", ".md", ".docx"):
        raise DisclosureError(f"不支持的输出格式“{path.suffix}”：请用 .txt、.md 或 .docx")
    if suffix == ".docx":
        return atomic_write(path, lambda tmp: _docx(doc, tmp, style), inputs)
    text = doc.markdown() if suffix == ".md" else doc.text()
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), inputs)


def write_facts(doc: Document, path: str | Path, inputs: Inputs = ()) -> Path:
    data = json.dumps([u.to_json() for u in doc.uses], ensure_ascii=False, indent=1)
    return atomic_write(path, lambda tmp: tmp.write_text(data, encoding="utf-8"), inputs)
