"""Tables printed without ruling lines (an export printed from Excel without borders): found among a page's lines
of text as runs of lines of several segments. Their columns are where the values of the body rows stand (amounts,
codes, labels — merged where they overlap), with the 栏次 row's numbers; the header's words are then put over
those columns, its lowest row first: a word over a column is that column's header, one over several a merged
cell; a word in the gap before a column of right-aligned values is that column's header (a spreadsheet prints
text at the left of its cell and numbers at the right), and any other word in a gap heads a column of its own
(a column left blank in every row). Lines above or below the table whose words all stand right of its first
column are rows of it (the other side of 01 going on alone)."""

from __future__ import annotations

import re

import msgspec

from .pages import Block, Box, Line, Segment, is_footer

_NUMBER_RE = re.compile(r"^[-－]?[\d,，]+(?:\.\d+)?%?$|^[-－]$")
MIN_BODY_ROWS = 2  # … or one, under a header row of at least three columns
WIDE_GAP = 1.0  # character heights between two cells of a body row, somewhere
ALIGN_SLACK = 0.5  # points: values whose edges agree within this are aligned on that edge
ALIGNED = 0.75  # … when this share of a column's values are


def _numeric(text: str) -> bool:
    return bool(_NUMBER_RE.match(text.replace(" ", "")))


def _is_lanci(line: Line) -> bool:
    """The 栏次 row: "栏次 1 2 3", or small running numbers only."""
    texts = [s.text for s in line.segments]
    # isdecimal, not isdigit: “①” (a list number in 绩效 text) is a digit to Python, and int() refuses it
    return texts[0].replace(" ", "") == "栏次" or (all(t.isdecimal() and int(t) <= 40 for t in texts) and len(texts) >= 3
                                                   and [int(t) for t in texts] == sorted(int(t) for t in texts))


def _is_body(line: Line) -> bool:
    """A row of amounts: a number, and a gap wider than the text's spacing somewhere (a sentence with figures
    in it has none)."""
    segs = line.segments
    return (len(segs) >= 2 and any(_numeric(s.text) for s in segs) and not _is_lanci(line)
            and max(b.box[0] - a.box[2] for a, b in zip(segs, segs[1:])) >= WIDE_GAP * line.size)


def find_tables(lines: list[Line], page: int) -> tuple[list[Block], list[Line]]:
    """(tables found, the lines that are not in any). A table is a run of lines close below one another, from
    its first line of several segments to its last, with at least MIN_BODY_ROWS rows of amounts and a third of
    its lines of several segments; lines just above or below it that stand in its columns right of the first
    join it."""
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
        core = run[several[0]:several[-1] + 1]
        if 3 * len(several) < len(core):
            continue
        columns = _columns(core)
        if columns is None:
            continue
        start, end = several[0], several[-1] + 1
        while start > 0 and _in_columns(run[start - 1], columns):
            start -= 1
        while end < len(run) and _in_columns(run[end], columns):
            end += 1
        block = _block(run[start:end], columns, page)
        tables.append(block)
        used.update(id(line) for line in run[start:end])
    return tables, [line for line in lines if id(line) not in used]


class _Column(msgspec.Struct):
    x0: float
    x1: float
    right_aligned: bool = False  # its values end where the cell does (numbers, as a spreadsheet prints them)
    start: float = 0.0  # where most of its values begin

    @property
    def span(self) -> tuple[float, float]:
        return self.x0, self.x1


def _columns(run: list[Line]) -> list[_Column] | None:
    """The table's columns, left to right, from its body rows, widened over their headers' words (栏次 too);
    None when the run has too few rows of amounts to be a table."""
    body = [line for line in run if _is_body(line)]
    if not body:
        return None
    first_body = run.index(body[0])
    header = run[:first_body]
    if len(body) < MIN_BODY_ROWS and not (header and len(header[-1].segments) >= 3):
        return None  # one row of amounts is a table under a header of its columns (三公: most of it blank)
    values = _without_spanning([s for line in body for s in line.segments])
    columns = [_Column(x0, x1) for x0, x1 in _merge([(s.box[0], s.box[2]) for s in values])]
    members = [[s for s in values if _overlap((s.box[0], s.box[2]), c.span) > 0] for c in columns]
    for col, inside in zip(columns, members):  # by most of the values: a 合计 label centred among them aside
        (start, lefts), (_, rights) = _edge([s.box[0] for s in inside]), _edge([s.box[2] for s in inside])
        col.right_aligned = rights >= ALIGNED and (lefts < rights or lefts == rights and all(_numeric(s.text) for s in inside))
        col.start = start if lefts >= ALIGNED else col.x0
    columns = _labels_joined(columns, members, body)
    for i, line in enumerate(reversed(header)):  # the lowest header row names the columns; those above group them
        _place_header(line.segments, columns, own=i == 0)
    return columns


def _edge(xs: list[float]) -> tuple[float, float]:
    """The edge most of these values share (within ALIGN_SLACK), and the share of them at it."""
    best = max(xs, key=lambda x: sum(1 for y in xs if abs(y - x) <= ALIGN_SLACK))
    return best, sum(1 for y in xs if abs(y - best) <= ALIGN_SLACK) / len(xs)


def _without_spanning(values: list[Segment]) -> list[Segment]:
    """The values less those printed across several columns (a 合计 label over 类, 款 and 科目名称): a value
    that stands over two columns of other rows' values, each of at least two."""
    kept = list(values)
    for s in sorted(values, key=lambda s: s.box[0] - s.box[2]):  # the widest first
        others = [o for o in kept if o is not s]
        hit = [span for span in _merge([(o.box[0], o.box[2]) for o in others])
               if _overlap((s.box[0], s.box[2]), span) > 0]
        if len(hit) >= 2 and all(sum(1 for o in others if _overlap((o.box[0], o.box[2]), span) > 0) >= 2
                                 for span in hit):
            kept = others
    return kept


def _labels_joined(columns: list[_Column], members: list[list[Segment]], body: list[Line]) -> list[_Column]:
    """A column of labels only ("合计") on rows where the column of right-aligned values just right of it is
    blank is that column's cell: the label printed at the left of the cell, codes or amounts at its right."""
    rows = [{id(s) for s in line.segments} for line in body]
    out = [columns[0]]
    for i in range(1, len(columns)):
        left, right = members[i - 1], members[i]
        together = any(any(id(s) in ids for s in left) and any(id(s) in ids for s in right) for ids in rows)
        if (columns[i].right_aligned and not together and not any(_numeric(s.text) for s in left)
                and out[-1] is columns[i - 1]):
            out[-1] = _Column(columns[i - 1].x0, columns[i].x1, True)
        else:
            out.append(columns[i])
    return out


def _place_header(segments: list[Segment], columns: list[_Column], own: bool) -> None:
    """Widen the columns over one header row's words; own: add a column for a word that heads none of them
    (the lowest header row: a column blank in every row), else leave it to the nearest column."""
    over = {id(s) for s in segments if any(_overlap((s.box[0], s.box[2]), c.span) > 0 for c in columns)}
    headed = {i for i, c in enumerate(columns) for s in segments
              if id(s) in over and _overlap((s.box[0], s.box[2]), c.span) > 0}
    gaps: dict[int, list[Segment]] = {}  # the column each word stands before (len(columns): after the last)
    for s in segments:
        if id(s) not in over:
            gaps.setdefault(next((i for i, c in enumerate(columns) if c.x0 >= s.box[2]), len(columns)), []).append(s)
    added = []
    for i, words in gaps.items():
        words = sorted(words, key=lambda s: s.box[0])
        if i < len(columns) and columns[i].right_aligned and i not in headed:
            columns[i].x0 = words[-1].box[0]  # the header printed at the left of the cell, the numbers at its right
            words = words[:-1]
        if words and i > 0 and i - 1 not in headed and _centred_over(words, columns, i - 1):
            columns[i - 1].x1 = words[0].box[2]
            words = words[1:]
        if own:
            added += [_Column(s.box[0], s.box[2]) for s in words]
    columns += added
    columns.sort(key=lambda c: c.x0)


def _centred_over(words: list[Segment], columns: list[_Column], i: int) -> bool:
    """The first of the header words right of column i's values heads it: the column's values are not
    right-aligned (nothing right of them is in their cell) and the word is centred over its cell — the cell it
    implies ends before whatever stands right of it (the next word, the next column's values)."""
    if columns[i].right_aligned:
        return False
    middle = (words[0].box[0] + words[0].box[2]) / 2
    end = 2 * middle - columns[i].x0
    after = [w.box[0] for w in words[1:]] + [c.start or c.x0 for c in columns[i + 1:i + 2]]
    return end <= min(after, default=end) + ALIGN_SLACK


def _in_columns(line: Line, columns: list[_Column]) -> bool:
    """A line standing in the table's columns right of the first — a row whose first cells are blank (a label
    alone, the other side of 01), not a sentence or a note, which start at the left margin."""
    if is_footer(line.text):
        return False
    first = columns[0]
    return all(s.box[0] > first.x1 and any(_overlap((s.box[0], s.box[2]), c.span) > 0 for c in columns[1:])
               for s in line.segments)


def _block(run: list[Line], columns: list[_Column], page: int) -> Block:
    spans = [c.span for c in columns]
    first_body = next(r for r, line in enumerate(run) if _is_body(line))
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


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return min(a[1], b[1]) - max(a[0], b[0])


def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping x-ranges merged into columns, left to right."""
    out: list[tuple[float, float]] = []
    for x0, x1 in sorted(spans):
        if out and x0 < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], x1))
        else:
            out.append((x0, x1))
    return out
