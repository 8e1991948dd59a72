"""One page of a PDF as blocks in reading order: tables (a grid of cell texts, each position with its box, merged
cells as (r1, c1, r2, c2)) and the lines of text around them (split into segments where a wide gap separates
them: a line "编制单位：X      单位：万元" is two cells). Tables drawn with ruling lines are pdfplumber's
(find_tables); tables printed without lines are found in the lines by lineless.py."""

from __future__ import annotations

import re
from bisect import bisect_left

import msgspec
from msgspec import field

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (points, from the page's top-left)

SEGMENT_GAP = 0.6  # words further apart than this many character heights are different cells
# … and a number from what stands next to it, further apart than this many character heights: a tight column
# of amounts or codes printed next to a column of labels leaves little more than the cell's padding between them
NUMBER_GAP = 0.12
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f]) +| +(?=[^\x00-\x7f])")  # spaces beside a non-ASCII character
_FOOTER_RE = re.compile(r"^(?:[—\-－–一\s]*\d{1,4}[—\-－–一\s]*|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?"
                        r"|[—\-－–\s]*[IVXⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+[—\-－–\s]*|\d+\s*/\s*\d+)$")


class Segment(msgspec.Struct):
    text: str
    box: Box


class Line(msgspec.Struct):
    segments: list[Segment]
    size: float  # character height

    @property
    def box(self) -> Box:
        return _union(s.box for s in self.segments)

    @property
    def text(self) -> str:
        return _join(s.text for s in self.segments)


class Block(msgspec.Struct):
    """A table (rows of cell texts) or one line of text (one row) on a page."""

    page: int
    top: float
    rows: list[list[str]]
    boxes: list[list[Box]]  # the box of every grid position (a merged cell's whole box at its first position)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    line: Line | None = None  # set for a line of text
    columns: list[tuple[float, float]] = field(default_factory=list)  # a table's columns, x0 and x1
    ruled: bool = False  # a table drawn with lines (its columns' edges are the lines, not the texts' extent)

    @property
    def is_table(self) -> bool:
        return self.line is None

    @property
    def bottom(self) -> float:
        return max(b[3] for row in self.boxes for b in row)


def is_footer(text: str) -> bool:
    """A page number as printed in a header or footer: "— 12 —", "第 3 页，共 9 页", "- II -"."""
    return bool(_FOOTER_RE.match(text.strip()))


def _union(boxes) -> Box:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _ascii_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "%.,)")


def _numberish(pair: str) -> bool:
    return any(ch.isdigit() or ch == "%" for ch in pair)


def _join(parts) -> str:
    """Words of a line joined: a space only between two Latin words or numbers ("2024 年度" → "2024年度": the gap
    is typesetting, not text)."""
    out = ""
    for part in parts:
        if out and part and _ascii_word(out[-1]) and _ascii_word(part[0]):
            out += " "
        out += part
    return out


class RuledTable(msgspec.Struct):
    """A ruled table as pdfplumber found it: its box, every cell's box, each row's cells (None where a merged
    cell covers the position) and the text of each."""
    bbox: tuple
    cells: list[tuple]
    rows: list[list[tuple | None]]
    texts: list[list[str | None]]


def page_contents(page) -> tuple[list[RuledTable], list[dict]]:
    """What pdfplumber reads off a page: its ruled tables and the words outside them. A damaged file fails
    here — not in what this tool makes of them after (page_blocks), where a failure is this tool's own."""
    tables = [RuledTable(t.bbox, t.cells, [row.cells for row in t.rows], t.extract(x_tolerance=1.5, y_tolerance=2))
              for t in page.find_tables() if len(t.rows) >= 2 and len({c[0] for c in t.cells}) >= 2]
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    rest = page.filter(outside) if boxes else page
    return tables, rest.extract_words(x_tolerance=0.3, y_tolerance=2, keep_blank_chars=False, extra_attrs=["size"])


def page_blocks(tables: list[RuledTable], words: list[dict], number: int) -> list[Block]:
    """The blocks of one page, top to bottom, from what page_contents read off it."""
    from .lineless import find_tables as find_lineless

    blocks = [_table_block(t, number) for t in tables]
    found, lines = find_lineless(_lines(words), number)
    blocks += found
    blocks += [Block(number, ln.box[1], [[s.text for s in ln.segments]], [[s.box for s in ln.segments]], line=ln)
               for ln in lines]
    blocks.sort(key=lambda b: (b.top, b.boxes[0][0][0]))
    return blocks


def _lines(words: list[dict]) -> list[Line]:
    """Words grouped into lines (a word whose middle lies within a line's height joins it), then into segments."""
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        middle = (w["top"] + w["bottom"]) / 2
        for row in reversed(rows[-3:]):
            if row[0]["top"] <= middle <= row[0]["bottom"]:
                row.append(w)
                break
        else:
            rows.append([w])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        size = max(1.0, min(w.get("size") or (w["bottom"] - w["top"]) for w in row))
        segments: list[list[dict]] = [[row[0]]]
        for w in row[1:]:
            gap = w["x0"] - segments[-1][-1]["x1"]
            if gap > SEGMENT_GAP * size or (gap > NUMBER_GAP * size and _numberish(segments[-1][-1]["text"][-1] + w["text"][0])):
                segments.append([w])
            else:
                segments[-1].append(w)
        lines.append(Line([Segment(_join(w["text"] for w in seg),
                                   _union((w["x0"], w["top"], w["x1"], w["bottom"]) for w in seg))
                           for seg in segments], size))
    return lines


def _table_block(table: RuledTable, number: int) -> Block:
    """A ruled table as a grid: columns at the cells' distinct left edges, rows at their distinct tops; a cell
    spanning several is a merge, its text at its first position as in a spreadsheet."""
    cells = table.cells
    xs = sorted({round(c[0], 1) for c in cells})
    ys = sorted({round(c[1], 1) for c in cells})
    right, bottom = max(c[2] for c in cells), max(c[3] for c in cells)
    col_edges, row_edges = xs + [right], ys + [bottom]
    nrows, ncols = len(ys), len(xs)
    texts = [["" for _ in range(ncols)] for _ in range(nrows)]
    boxes = [[(col_edges[c], row_edges[r], col_edges[c + 1], row_edges[r + 1]) for c in range(ncols)]
             for r in range(nrows)]
    merged = []
    extracted = table.texts
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            r1, c1 = bisect_left(ys, round(cell[1], 1)), bisect_left(xs, round(cell[0], 1))
            r2 = max(r1, bisect_left(row_edges, cell[3] - 0.5) - 1)
            c2 = max(c1, bisect_left(col_edges, cell[2] - 0.5) - 1)
            text = extracted[r][c] if r < len(extracted) and c < len(extracted[r]) else None
            texts[r1][c1] = _cell_text(text)
            boxes[r1][c1] = tuple(cell)
            if (r1, c1) != (r2, c2):
                merged.append((r1, c1, r2, c2))
    return Block(number, table.bbox[1], texts, boxes, merged,
                 columns=[(col_edges[c], col_edges[c + 1]) for c in range(ncols)], ruled=True)


def _cell_text(text: str | None) -> str:
    """A cell's lines joined: a label wrapped in its cell ("附属单位上缴\\n收入") is one label; a gap the typesetting
    left between a number and a Chinese character is no space (“2023 年度” → “2023年度”, as it was typed)."""
    if not text:
        return ""
    return _join(_CJK_SPACE.sub("", part.strip()) for part in text.split("\n"))
