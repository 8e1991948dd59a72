"""Any incoming 情况说明 text → clean paragraphs, whatever way it reached us.

Text copied out of a PDF breaks lines mid-sentence and mid-number ("基本支出 4⏎85.52 万元"), spaces
letters apart ("社 会 保 障"), and carries page numbers ("— 5 —", "- 14 -", "第 3 页") and running
headers; text pasted from a web page runs headings into the body and puts a whole section on one line;
Word or WPS may type full-width digits and "％". The steps here undo that:

1. fold full-width digits, Latin letters and "％" to ASCII, drop characters that print as nothing, read a
   full-width comma inside a number as its thousands separator and an ASCII full stop after Chinese as "。";
2. drop page numbers, running headers (short lines repeated next to page breaks), 目录 leader lines
   ("…………12") and chart captions ("图1", "收入决算图");
3. remove the spaces inside numbers and words (a tab or a run of spaces between table cells stays a tab);
4. join the lines of a paragraph (a line not ending in 。！？ goes on, unless the next one opens a heading).

Headings that run into their body are left as they are: sections are found by their titles anywhere in
the text (lint/text.py), not at line starts.
"""

from __future__ import annotations

import re
from collections import Counter

_FOLD = {0xFF05: "%"}  # ％
_FOLD.update({0xFF10 + i: str(i) for i in range(10)})  # ０–９
_FOLD.update({0xFF21 + i: chr(0x41 + i) for i in range(26)})  # Ａ–Ｚ
_FOLD.update({0xFF41 + i: chr(0x61 + i) for i in range(26)})  # ａ–ｚ
_SPACE = "\u00a0\u2002\u2003\u2009\u3000 "

PAGE_BREAK = "\f"
_DASH = r"[-—–－―~_•·]"
# a page number with its decoration: "— 5 —", "- 14 -", "第 3 页", "第3页 共20页", "3/20"
_PAGE_NUMBER = re.compile(rf"^{_DASH}*\s*(?:第\s*\d{{1,4}}\s*页(?:\s*[，,]?\s*共\s*\d{{1,4}}\s*页)?|\d{{1,4}}\s*[/／]\s*\d{{1,4}}"
                          rf"|{_DASH}+\s*\d{{1,4}}\s*{_DASH}+)\s*$")
_BARE_NUMBER = re.compile(r"^\d{1,3}$")  # a page number only where a blank line or a page break stands by it
_LEADER = re.compile(r"(?:\.{4,}|…{2,}|·{4,}|-{6,})\s*\d{1,4}\s*$")  # 目录: "第二部分 …………4"
_CAPTION = re.compile(r"^(?:图\s*\d+\s*[：:.]?\s*)?(?:[^\s，。；：]{2,16}图|图\s*\d+)$")
_MARKDOWN = re.compile(r"^(?:#{1,6}\s+|[-*+]\s+(?=\S))")
_EMPHASIS = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
# a line that opens a part, section, sub-section or item starts a new paragraph
HEADING_START = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3}\s*[、．.]"
                           r"|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]|\d{1,2}\s*[.．、](?!\d))")
_NUMBER_START = re.compile(r"[\d,.]+")
_FULL_WIDTH = re.compile("[" + re.escape("".join(map(chr, _FOLD))) + "]")
_FULL_STOP_IN_NUMBER = re.compile(r"(?<=\d)．(?=\d)")
# “2，444.56万元”: a full-width comma typed as the thousands separator (three digits, then the decimals or the unit)
_WIDE_COMMA_IN_NUMBER = re.compile(r"(?<=\d)，(?=\d{3}(?:[.,，]\d|\s*[万亿]?元))")
# characters that print as nothing (zero-width space and joiners, soft hyphen, BOM) but split a number in two
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\u00ad\ufeff]")
# an ASCII full stop ending a Chinese sentence (“支出74.75万元.”): read as “。”, or the sentence runs on to the
# next and its figures are paired with the wrong one; "1." of a list and decimals have a digit before
_ASCII_FULL_STOP = re.compile(r"\.(?<=[\u4e00-\u9fff）)%”]\.)(?=\s*(?:[\u4e00-\u9fff（(“]|$))", re.M)
# the patterns of squeeze(), compiled once: it runs on every line
_SPACES = re.compile(rf"[{_SPACE}]+")
_SPACES_KEPT = re.compile(rf"([{_SPACE}]+)")
_WIDE_GAP = re.compile(rf"[{_SPACE}]{{2,}}")
_SPACED_LETTER_GAP = re.compile(rf"(?<=[^{_SPACE}])[{_SPACE}](?=[^{_SPACE}])")
_CELL_GAP = re.compile(rf"[{_SPACE}]*\t[{_SPACE}\t]*|[ \u00a0]{{2,}}|\u3000{{2,}}")
_TABS = re.compile(r"\t+")
_GAP = re.compile(rf"[{_SPACE}\t]")
_SENTENCE_ENDS = "。！？!?"


def fold(text: str) -> str:
    """Full-width digits, letters and ％ as ASCII; line ends as \\n; a form feed stays a page break; no invisible
    characters; “2，444.56” as 2,444.56 and “万元.” as “万元。”."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _FULL_WIDTH.sub(lambda m: _FOLD[ord(m.group())], text)  # str.translate is slow on Chinese text
    text = _INVISIBLE.sub("", text)
    text = _WIDE_COMMA_IN_NUMBER.sub(",", _FULL_STOP_IN_NUMBER.sub(".", text))
    return _ASCII_FULL_STOP.sub("。", text)


def squeeze(line: str) -> str:
    """Spaces removed inside numbers and words ("4 85.52" → "485.52", "（项 ）" → "（项）"); a tab or a run
    of spaces between table cells becomes one tab; a space between two English words stays."""
    line = line.strip(_SPACE + "\t")
    if not _GAP.search(line):
        return line  # most lines: nothing to squeeze
    tokens = _SPACES.split(line)
    if len(tokens) >= 4 and sum(len(t) == 1 for t in tokens) * 5 >= len(tokens) * 3:
        # letters spaced apart ("社 会 保 障"): a single space joins, a wider gap is one word gap
        line = _WIDE_GAP.sub(" ", _SPACED_LETTER_GAP.sub("", line))
    line = _CELL_GAP.sub("\t", line)
    out = []
    parts = _SPACES_KEPT.split(line)
    for i, piece in enumerate(parts):
        if i % 2 == 0:
            out.append(piece)
            continue
        left, right = parts[i - 1], parts[i + 1] if i + 1 < len(parts) else ""
        if left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha():
            out.append(" ")
        elif _separate_numbers(left, right) or _repeated_cell(left, right):
            out.append("\t")  # "306.94 306.94", "减少 减少": two table cells, not one number or word
    return _TABS.sub("\t", "".join(out))


def _separate_numbers(left: str, right: str) -> bool:
    """Two numbers side by side that cannot be one number split apart: both have decimals."""
    end = len(left) - left.endswith("\n")  # the run of digits, commas and points ending left: [\d,.]+$
    start = end
    while start and (left[start - 1] in ",." or left[start - 1].isdecimal()):
        start -= 1
    a, b = left[start:end], _NUMBER_START.match(right)
    return bool(a and b and a[:1].isdigit() and b.group(0)[:1].isdigit() and (a + b.group(0)).count(".") > 1)


def _repeated_cell(left: str, right: str) -> bool:
    """The same word on both sides of a space ("提高 提高"): two cells of a table row."""
    return any(left[-k:] == right[:k] and re.fullmatch(r"[\u4e00-\u9fff]+", right[:k])
               for k in range(2, min(len(left), len(right), 8) + 1))


def _page_numbers(lines: list[str]) -> set[int]:
    """Lines that are page numbers: decorated ones ("— 5 —", "第 3 页"); in a document without those, bare
    numbers by a blank line or page break that count up page by page (a lone "3" is the tail of a number)."""
    pages = {i for i, l in enumerate(lines) if l not in ("", PAGE_BREAK) and _PAGE_NUMBER.match(l)}
    bare = []
    for i, line in enumerate(lines):
        if _BARE_NUMBER.match(line):
            before = lines[i - 1] if i > 0 else ""
            after = lines[i + 1] if i + 1 < len(lines) else ""
            if before in ("", PAGE_BREAK) or after in ("", PAGE_BREAK):
                bare.append((i, int(line)))
    if pages:
        return pages  # the document numbers its pages with decoration: a bare number is text
    for k, (i, n) in enumerate(bare):  # a page later, the next page's number
        if any(0 < m - n <= 3 and j - i >= 10 for j, m in bare[k + 1:k + 4]) \
                or any(0 < n - m <= 3 and i - j >= 10 for j, m in bare[max(0, k - 3):k]):
            pages.add(i)
    return pages


def _running_headers(lines: list[str], pages: set[int]) -> set[str]:
    """Short lines repeated on most pages, standing next to their page break or page number."""
    page_count = max(len(pages), lines.count(PAGE_BREAK))
    if page_count < 2:
        return set()
    counts = Counter(l for l in lines if 4 <= len(l) <= 40 and not re.search(r"[。，；、：！？]", l))
    out = set()
    where: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if counts.get(line, 0) >= 2:
            where.setdefault(line, []).append(i)
    for text, at in where.items():
        n = len(at)
        near = sum(1 for i in at if _near_page_break(lines, i, pages))
        if near * 3 >= n * 2 and near * 2 >= page_count:  # on most pages, and mostly at their edges
            out.add(text)
    return out


def _near_page_break(lines: list[str], i: int, pages: set[int]) -> bool:
    """A page break or page number within two lines of text before or after line i."""
    for step in (-1, 1):
        j, seen = i + step, 0
        while 0 <= j < len(lines) and seen < 2:
            if j in pages or lines[j] == PAGE_BREAK:
                return True
            if lines[j]:
                seen += 1
            j += step
    return False


# pdftotext of a PDF whose digits (and quotes) are set in another font puts them on a line of their own
# below the line they belong to, leaving a space where each stood ("收入支出总计 万元。与 年度相比" over
# "2995.39 2023"): a line of such pieces only, and the spaces between two Chinese characters it fills
_PIECE = r"(?:\d[\d,]*(?:\.\d+)?[%％]?|[“”‘’]+|:)"
_DISPLACED = re.compile(rf"^{_PIECE}(?: {_PIECE})*$")
_HOLE = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")
# a line that cannot open a sentence (a mark, a unit): the displaced piece stood first
_NO_START = tuple("、，；。：）%万元个辆台人次项分")
DISPLACED_LINES = 3  # lines whose pieces fill their holes exactly, for a text to be read as displaced


def restore_displaced(lines: list[str]) -> list[str]:
    """Put displaced digits and quotes back into the holes of the line above them, in order. Where a line has
    more pieces than holes, the first pieces stood at its start (the end of the line before); a line without
    holes that cannot open a sentence ("、一般公共服务支出…", "万元。…") takes its pieces in front, any other
    line at its end. Only a text
    where several lines fit exactly is read so: elsewhere a line of numbers is a line of numbers."""
    stripped = [l.strip(_SPACE) for l in lines]
    pairs = [(i - 1, i) for i in range(1, len(lines)) if _DISPLACED.match(stripped[i])
             and stripped[i - 1] and not _DISPLACED.match(stripped[i - 1])]
    exact = sum(1 for h, f in pairs if len(_HOLE.findall(stripped[h])) == len(stripped[f].split(" ")) >= 1)
    if exact < DISPLACED_LINES:
        return lines
    out = list(stripped)
    for host, filler in pairs:
        pieces = stripped[filler].split(" ")
        holes = len(_HOLE.findall(out[host]))
        if holes == 0 and not out[host].startswith(_NO_START):
            out[host] = out[host] + "".join(pieces)
        else:
            # more pieces than holes: the first stood at the start; fewer: the holes are the last ones (a space
            # before them is the text's own, "保险费 。")
            extra, skip = max(0, len(pieces) - holes), max(0, holes - len(pieces))
            rest = iter([" "] * skip + pieces[extra:])
            out[host] = "".join(pieces[:extra]) + _HOLE.sub(lambda m: next(rest), out[host])
        out[filler] = None  # type: ignore[call-overload]
    return [l for l in out if l is not None]


def clean_lines(text: str) -> list[str]:
    """The text's lines, folded and squeezed, without page furniture; "" for a blank line."""
    raw = [PAGE_BREAK if l.strip(_SPACE + "\t") == "" and "\f" in l else l
           for l in fold(text).replace("\f", "\n\f\n").split("\n")]
    raw = restore_displaced(raw)
    lines = [PAGE_BREAK if l == "\f" else squeeze(l) for l in raw]
    pages = _page_numbers(lines)
    headers = _running_headers(lines, pages)
    out = []
    for i, line in enumerate(lines):
        if i in pages or line == PAGE_BREAK or line in headers or _CAPTION.match(line):
            out.append("")
        elif _LEADER.search(line):
            out.append("")
        else:
            out.append(_MARKDOWN.sub("", line))
    return out


def paragraphs(text: str) -> list[str]:
    """Clean paragraphs: the lines of one paragraph joined; a table row (cells split by tabs) stays alone."""
    out: list[str] = []
    current = ""
    for line in clean_lines(text):
        if not line:
            continue
        if current and (current[-1] in _SENTENCE_ENDS or HEADING_START.match(line) or is_row(line)
                        or is_row(current)):
            out.append(current)
            current = line
        else:
            current = join(current, line)
    if current:
        out.append(current)
    return [_EMPHASIS.sub(lambda m: m.group(1) or m.group(2), p) for p in out]  # Markdown **bold**


def is_row(line: str) -> bool:
    """A table row: cells split by tabs, not a sentence that happens to hold one."""
    return line.count("\t") >= 2 or ("\t" in line and not re.search(r"[。，；]", line))


def join(left: str, right: str) -> str:
    """Two pieces of one broken line: nothing between them (a wrap may split an abbreviation, "DR⏎G"),
    except between two numbers that cannot be one."""
    if not left:
        return right
    if _separate_numbers(left, right):
        return f"{left}\t{right}"
    return left + right


def normalize(text: str) -> str:
    """The whole text as clean paragraphs, one a line."""
    return "\n".join(paragraphs(text))
