"""A published 情况说明 as people really get it, generated from a seed's text: copied out of a PDF, pasted
from a web page, typed into Word. Lint must read every form as it reads the published text.

- pdf_copied: lines wrapped at a page width (mid-sentence and mid-number), blank lines, a page number
  ("— 5 —" or "- 5 -") and a running header every page, letters spaced apart in some lines, spaces inside
  numbers and words ("4 85.52", "（项 ）"), full-width digits and "％" in some lines;
- web_pasted: every paragraph of a section run into one line, the heading into its body;
- docx: one Word paragraph per paragraph of the text, table rows as Word tables.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

FULL = str.maketrans({**{str(i): chr(0xFF10 + i) for i in range(10)}, "%": "％"})
HEADING = re.compile(r"^\s*(十[一二三四]?|[一二三四五六七八九])、")


def _lines(text: str) -> list[str]:
    return [l.strip() for l in text.splitlines() if l.strip()]


def pdf_copied(text: str, seed: int = 0, header: str = "部门决算公开") -> str:
    """The text as a PDF viewer's "copy" gives it back."""
    rng = random.Random(seed)
    width = rng.randint(22, 38)
    lines_per_page = rng.randint(25, 40)
    page_style = rng.choice(["— {} —", "- {} -", "第 {} 页"])
    out: list[str] = []
    page = 1
    for line in _lines(text):
        if "\t" in line:  # a table row stays a row
            pieces = [line]
        else:
            pieces = [line[i:i + width] for i in range(0, len(line), width)]
        for piece in pieces:
            roll = rng.random()
            if roll < 0.08:
                piece = piece.translate(FULL)
            elif roll < 0.14:
                piece = " ".join(piece)  # letters spaced apart
            elif roll < 0.22:
                piece = re.sub(r"(\d)(\d)", r"\1 \2", piece, count=1)  # "4 85.52"
            elif roll < 0.26:
                piece = piece.replace("）", " ）", 1)
            out.append(piece)
            if rng.random() < 0.3:
                out.append("")
            if len(out) % lines_per_page == 0:
                out += ["", page_style.format(page), "", "\f" + header, ""]
                page += 1
    return "\n".join(out)


def web_pasted(text: str) -> str:
    """Each section of the 情况说明 on one line, its heading run into the body (no line break after it). A web
    page has no page numbers: a seed's own ("- 14 -") are left out."""
    out: list[str] = []
    for line in _lines(text):
        if re.fullmatch(r"[-—]\s*\d+\s*[-—]", line):
            continue
        if HEADING.match(line) or not out or re.match(r"^第[一二三四五]部分", line) \
                or re.match(r"^第[一二三四五]部分", out[-1]) or "\t" in line or "\t" in out[-1]:
            out.append(line)
        else:
            out[-1] += line
    return "\n".join(out)


def write_docx(text: str, path: Path) -> Path:
    """A Word document of the text: a paragraph per line, runs of table rows as a Word table."""
    from docx import Document

    doc = Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
            rows.clear()

    for line in _lines(text):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        flush()
        doc.add_paragraph(line)
    flush()
    doc.save(str(path))
    return path
