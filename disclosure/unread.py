"""Cells whose value the file does not hold: formulas never calculated (files written by other programs
and never opened in Excel keep the formula but no result) and error values (#DIV/0!, #REF!, #N/A).

python-calamine reads both as an empty cell, which a table reader would take for 0.00 — a silent wrong
number. This looks at the sheet XML itself (after guard.py has bounded the file) and returns, per sheet
name, {(row, col): why} with 0-based positions, so parse.py can refuse an amount cell it lands on.

We do not evaluate formulas: the libraries that can (`formulas`, `pycel`) are copyleft (EUPL/GPL), and an
officer can always open the file in Excel/WPS and save it, which stores every result.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import iterparse

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"([A-Z]{1,3})(\d+)")
NO_RESULT = "公式没有计算结果"


def _position(ref: str) -> tuple[int, int] | None:
    m = _REF.fullmatch(ref or "")
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part (xl/worksheets/sheetN.xml), from workbook.xml and its relationships."""
    rels = {}
    with zf.open("xl/_rels/workbook.xml.rels") as fh:
        for _, el in iterparse(fh):
            if el.tag == f"{_PKG_REL}Relationship":
                target = el.get("Target", "")
                rels[el.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join("xl", target))
    out = {}
    with zf.open("xl/workbook.xml") as fh:
        for _, el in iterparse(fh):
            if el.tag == f"{_MAIN}sheet":
                part = rels.get(el.get(f"{_REL}id"))
                if part and part.endswith(".xml"):
                    out[el.get("name")] = part
    return out


def unread_cells(path: str | Path) -> dict[str, dict[tuple[int, int], str]]:
    """{sheet name: {(row, col): why}} for an .xlsx/.xlsm; {} for other formats (.xls results are always
    stored by the programs that write BIFF) or when the parts cannot be found."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return {}
    out: dict[str, dict[tuple[int, int], str]] = {}
    with zf:
        try:
            parts = _sheet_parts(zf)
        except (KeyError, SyntaxError):
            return {}
        for name, part in parts.items():
            found: dict[tuple[int, int], str] = {}
            try:
                with zf.open(part) as fh:
                    formula = value = False
                    for event, el in iterparse(fh, events=("start", "end")):
                        tag = el.tag
                        if event == "start":
                            if tag == f"{_MAIN}c":
                                formula = value = False
                            continue
                        if tag == f"{_MAIN}f":
                            formula = True
                        elif tag in (f"{_MAIN}v", f"{_MAIN}is"):
                            value = value or bool((el.text or "").strip()) or tag == f"{_MAIN}is"
                        elif tag == f"{_MAIN}c":
                            pos = _position(el.get("r", ""))
                            if pos is not None:
                                if el.get("t") == "e":
                                    v = el.find(f"{_MAIN}v")
                                    found[pos] = f"错误值 {(v.text or '').strip() if v is not None else ''}".strip()
                                elif formula and not value:
                                    found[pos] = NO_RESULT
                            el.clear()
                        elif tag == f"{_MAIN}row":
                            el.clear()
            except (KeyError, SyntaxError):
                continue
            if found:
                out[name] = found
    return out
