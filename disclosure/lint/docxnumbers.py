"""The numbers Word prints before automatically numbered paragraphs (“一、”, “（一）”, “1.”), which python-docx
does not put in a paragraph's text. Without them a 情况说明 whose headings Word numbers has no “一、收入支出…”
to find its sections by, and lint could not read it.

Written here because python-docx has no numbering support: a paragraph's numPr (its own, or its style's)
names a list (numId → abstractNum) and a level; the level's numFmt and lvlText (“%1、”) make the label; a
counter per list and level counts on, a level reset by every paragraph of a level above it.
"""

from __future__ import annotations

from docx.oxml.ns import qn

_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting)."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    return _DIGITS[n // 100] + "百" + ("" if not rest else ("零" + chinese(rest) if rest < 10 else
                                                         ("一" + chinese(rest) if rest < 20 else chinese(rest))))


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
               "taiwaneseCounting", "japaneseCounting"):
        return chinese(n)
    if fmt == "decimalEnclosedCircle" and 0 < n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "none" or fmt == "bullet":
        return ""
    return str(n)  # decimal and its kin (decimalZero, decimalFullWidth …): digits are what lint reads


class Numbering:
    """Labels for the numbered paragraphs of one document, in document order (call label() for each)."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId → ilvl → (numFmt, lvlText, start)
        self.counters: dict[str, dict[int, int]] = {}
        self.styles = document.styles
        part = getattr(document.part, "numbering_part", None) if _has_numbering(document) else None
        if part is None:
            return
        root = part.element
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            a = abstract.get(ref.get(qn("w:val"))) if ref is not None else None
            if a is None:
                continue
            levels = {}
            for lvl in a.findall(qn("w:lvl")):
                fmt, text, start = lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText")), lvl.find(qn("w:start"))
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1)
            self.levels[num.get(qn("w:numId"))] = levels

    def label(self, p) -> str:
        """The number Word prints before paragraph p (a python-docx Paragraph), or ""."""
        num_id, ilvl = _num_pr(p)
        if num_id is None or num_id not in self.levels or ilvl not in self.levels[num_id]:
            return ""
        counts = self.counters.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, self.levels[num_id][ilvl][2] - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        fmt, text, _ = self.levels[num_id][ilvl]
        for level in range(ilvl, -1, -1):
            if f"%{level + 1}" in text:
                lf = self.levels[num_id].get(level, ("decimal", "", 1))[0]
                n = counts.get(level, self.levels[num_id].get(level, ("", "", 1))[2])
                text = text.replace(f"%{level + 1}", _format(n, lf if level != ilvl else fmt))
        return text


def _has_numbering(document) -> bool:
    try:
        return document.part.numbering_part is not None
    except (KeyError, NotImplementedError):  # python-docx raises when the document has no numbering part
        return False


def _num_pr(p) -> tuple[str | None, int]:
    """(numId, ilvl) of the paragraph, from its own properties or its style's (a heading style may number)."""
    for element in (p._p.pPr, _style_ppr(p)):
        num_pr = element.find(qn("w:numPr")) if element is not None else None
        if num_pr is None:
            continue
        num_id, ilvl = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
        if num_id is not None:
            value = num_id.get(qn("w:val"))
            return (None if value == "0" else value), int(ilvl.get(qn("w:val"))) if ilvl is not None else 0
    return None, 0


def _style_ppr(p):
    try:
        style = p.style
    except (KeyError, ValueError):
        return None
    return style.element.pPr if style is not None and style.element is not None else None
