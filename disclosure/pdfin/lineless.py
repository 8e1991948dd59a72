"""Tables printed without ruling lines (an export printed from Excel without borders): found among a page's lines
of text as runs of lines of several segments, their columns where the segments of the body rows (amounts, codes)
stand — merged where they overlap — plus the header's last row where no body value stands; header cells over
several columns become merged cells, as a spreadsheet has them."""

from __future__ import annotations

import re

from .pages import Block, Box, Line, is_footer

_NUMBER_RE = re.compile(r"^[-－]?[\d,，]+(?:\.\d+)?%?$|^[-－]$")
MIN_BODY_ROWS = 2
GAP_FOR_COLUMN = 1.6  # a gap this many times a header's width holds a column of its own
WIDE_GAP = 1.0  # character heights between two cells of a body row, somewhere


def _numeric(text: str) -> bool:
    return bool(_NUMBER_RE.match(text.replace(" ", "")))


def _is_lanci(line: Line) -> bool:
    """The 栏次 row: "栏次 1 2 3", or small running numbers only."""
    texts = [s.text for s in line.segments]
    return texts[0].replace(" ", "") == "栏次" or (all(t.isdigit() and int(t) <= 40 for t in texts) and len(texts) >= 3
                                                   and [int(t) for t in texts] == sorted(int(t) for t in texts))


def _is_body(line: Line) -> bool:
    """A row of amounts: a number, and a gap wider than the text's spacing somewhere (a sentence with figures
    in it has none)."""
    segs = line.segments
    return (len(segs) >= 2 and any(_numeric(s.text) for s in segs) and not _is_lanci(line)
            and max(b.box[0] - a.box[2] for a, b in zip(segs, segs[1:])) >= WIDE_GAP * line.size)


def find_tables(lines: list[Line], page: int) -> tuple[list[Block], list[Line]]:
    """(tables found, the lines that are not in any). A table is a run of lines close below one another, from
    its first line of several segments to its last (a label alone on its line — the other side's rows of 01 —
    stays in), with at least MIN_BODY_ROWS rows of amounts and a third of its lines of several segments."""
    runs: list[list[Line]] = []
    for line in lines:
        if is_footer(line.text):
            continue
        if runs and line.box[1] - runs[-1][-1].box[3] < 2.5 * line.size:
            runs[-1].append(line)
        else:
            runs.append([line])
    tables, used = [], set()
    for run in runs:
        several = [i for i, line in enumerate(run) if len(line.segments) >= 2]
        if not several:
            continue
        run = run[several[0]:several[-1] + 1]
        if 3 * len(several) < len(run):
            continue
        block = _table(run, page)
        if block is not None:
            tables.append(block)
            used.update(id(line) for line in run)
    return tables, [line for line in lines if id(line) not in used]


def _table(run: list[Line], page: int) -> Block | None:
    body = [line for line in run if _is_body(line)]
    if len(body) < MIN_BODY_ROWS:
        return None
    first_body = run.index(body[0])
    header = run[:first_body]
    spans = _merge([(s.box[0], s.box[2]) for line in body for s in line.segments])
    if header:  # a column no body row prints a value in is known by its header's last row
        spans = _merge(spans + [(s.box[0], s.box[2]) for s in header[-1].segments if _own_column(s.box, spans)],
                       join=False)
    rows: list[list[str]] = []
    boxes: list[list[Box]] = []
    merged: list[tuple[int, int, int, int]] = []
    for r, line in enumerate(run):
        top, bottom = line.box[1], line.box[3]
        texts = [""] * len(spans)
        row_boxes: list[Box] = [(x0, top, x1, bottom) for x0, x1 in spans]
        for s in line.segments:
            hit = [c for c, span in enumerate(spans) if _overlap((s.box[0], s.box[2]), span) > 0]
            if not hit:  # in a gap: the nearest column
                middle = (s.box[0] + s.box[2]) / 2
                hit = [min(range(len(spans)), key=lambda c: abs((spans[c][0] + spans[c][1]) / 2 - middle))]
            if r < first_body and len(hit) > 1:  # a header over several columns
                c = hit[0]
                merged.append((r, c, r, hit[-1]))
            else:
                c = max(hit, key=lambda c: _overlap((s.box[0], s.box[2]), spans[c]))
            texts[c] = f"{texts[c]}{s.text}" if texts[c] else s.text
            row_boxes[c] = s.box
        rows.append(texts)
        boxes.append(row_boxes)
    return Block(page, run[0].box[1], rows, boxes, merged, columns=spans)


def _own_column(box: Box, spans: list[tuple[float, float]]) -> bool:
    """A header text over no column of values stands over a column of its own when the gap it is in could
    hold it and more; in a narrow gap it is the neighbouring column's header (centred over amounts printed to
    the right, or over labels shorter than it)."""
    if any(_overlap((box[0], box[2]), span) > 0 for span in spans):
        return False
    left = max((x1 for x0, x1 in spans if x1 <= box[0]), default=None)
    right = min((x0 for x0, x1 in spans if x0 >= box[2]), default=None)
    if left is None or right is None:
        return True
    return right - left >= GAP_FOR_COLUMN * (box[2] - box[0])


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return min(a[1], b[1]) - max(a[0], b[0])


def _merge(spans: list[tuple[float, float]], join: bool = True) -> list[tuple[float, float]]:
    """Overlapping x-ranges merged into columns, left to right (join=False: only sorted)."""
    out: list[tuple[float, float]] = []
    for x0, x1 in sorted(spans):
        if join and out and x0 < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], x1))
        else:
            out.append((x0, x1))
    return out
