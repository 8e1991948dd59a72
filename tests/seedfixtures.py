"""Test fixtures built from the published seed documents (tests/fixtures/seeds, copies of ../shared/seeds).

`parse_seed` reads the 公开01–09表 out of a seed's extracted text into a SeedReport: the physical rows as
printed, and the expected amount of every cell. `write_export` lays a SeedReport out as a 部门决算软件-style
export workbook, with variants (text amounts, shuffled rows, offsets, other sheet names) that the
importer must read identically. Numbers come from the seed text only, never typed here.

Seed 001 keeps its cells tab separated. Seed 004 lost empty cells in extraction: a row of 03/05 with two
amounts is [合计, one part], and which part it is cannot be read from the text. PROJECT_ONLY names the
rows whose part is 项目支出: found from the 款 sums (21015 项目 = 1,955.22) and from 06, whose
items add up to 基本支出 485.52 only with these rows left out; all others are 基本支出.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from disclosure import specs
from disclosure.amounts import parse_amount
from disclosure.specs import LayoutSpec, TableSpec, normalize_label

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SEED_001 = SEEDS / "001_b9c65a5f840ad048.txt"
SEED_004 = SEEDS / "004_9cf0ad25385f0ff2.txt"
PROJECT_ONLY = {("004", code) for code in ("21004", "2100410", "2101502", "2101504", "2101506", "2101599")}

_AMOUNT = re.compile(r"^-?[\d,]+\.\d+$")


@dataclass
class SeedReport:
    seed: str  # "001"
    unit_name: str
    year: int
    spec: LayoutSpec
    # per table: printed rows; each printed row is a list of cells (strings, '' for empty) in export order
    printed: dict[str, list[list[str]]] = field(default_factory=dict)
    # per table: row id (side·key, code, 合计, 06 code/label) -> {column: Decimal} for every non-zero cell
    expected: dict[str, dict[str, dict[str, Decimal]]] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # coded tables: code -> 科目名称


def _section(lines: list[str], number: str) -> list[str]:
    start = next(i for i, l in enumerate(lines) if l.strip() == number)
    out = []
    for line in lines[start + 1:]:
        if line.strip().startswith("注"):
            break
        out.append(line)
    return out


def _after(section: list[str], first_word: str) -> list[str]:
    i = next(i for i, l in enumerate(section) if l.strip().replace(" ", "").startswith(first_word))
    return [l for l in section[i + 1:] if l.strip()]


def parse_seed(path: Path) -> SeedReport:
    text = path.read_text(encoding="utf-8")
    seed = path.name[:3]
    year = int(re.search(r"(20\d\d)\s*年度部门决算", text).group(1))
    unit = re.search(r"(?:编制部门|^部门)[:：]\s*(\S+)", text, re.M).group(1)
    spec = specs.load(year)
    rep = SeedReport(seed, unit, year, spec)
    lines = text.splitlines()
    for t in spec.tables.values():
        section = _section(lines, t.number)
        tabbed = any("\t" in l for l in section)
        if t.kind == "fixed":
            _fixed(rep, t, section, tabbed)
        elif t.kind == "coded":
            _coded(rep, t, section, tabbed)
        else:
            _economic(rep, t, section, tabbed)
    return rep


def _fixed(rep: SeedReport, t: TableSpec, section: list[str], tabbed: bool) -> None:
    width = sum(len(s.columns) + (2 if s.has_lines else 1) for s in t.sides)
    printed, expected = [], {}
    body = _after(section, "栏次")
    for line in body:
        if tabbed:
            cells = (line.split("\t") + [""] * width)[:width]
        else:
            cells = _untab_fixed(t, line.split())
        printed.append(cells)
        col = 0
        for side in t.sides:
            label = cells[col]
            line_no = int(cells[col + 1]) if side.has_lines and cells[col + 1] else None
            values = cells[col + (2 if side.has_lines else 1): col + (2 if side.has_lines else 1) + len(side.columns)]
            col += (2 if side.has_lines else 1) + len(side.columns)
            rs = side.by_line(line_no) if line_no else next(r for r in side.rows if r.matches(label))
            amounts = {c.name: parse_amount(v) for c, v in zip(side.columns, values) if parse_amount(v) != 0}
            if rs.blank:
                assert not amounts, (t.number, line)
                continue
            expected[f"{side.name}·{rs.key}" if len(t.sides) > 1 else rs.key] = amounts
    rep.printed[t.id], rep.expected[t.id] = printed, expected


def _untab_fixed(t: TableSpec, tokens: list[str]) -> list[str]:
    """Space-separated fixed row (seed 004): [label] 行次 amounts… per side; dropped blanks fill from the left."""
    cells: list[str] = []
    side_tokens: list[list[str]] = [[] for _ in t.sides]
    side_i = -1
    for tok in tokens:
        if tok.isdigit() and any(s.by_line(int(tok)) for s in t.sides[side_i + 1:]):
            side_i = next(i for i, s in enumerate(t.sides) if i > side_i and s.by_line(int(tok)))
        elif not _AMOUNT.match(tok) and side_i >= 0 and side_tokens[side_i] and any(
                _AMOUNT.match(x) or x.isdigit() for x in side_tokens[side_i]):
            side_i += 1  # a label after the left side's numbers starts the right side
        side_tokens[max(side_i, 0)].append(tok)
    for side, toks in zip(t.sides, side_tokens):
        label = "".join(x for x in toks if not x.isdigit() and not _AMOUNT.match(x))
        line_no = next((x for x in toks if x.isdigit()), "")
        amounts = [x for x in toks if _AMOUNT.match(x)]
        cells += [label, line_no] + (amounts + [""] * len(side.columns))[:len(side.columns)]
    return cells


def _coded(rep: SeedReport, t: TableSpec, section: list[str], tabbed: bool) -> None:
    n = len(t.columns)
    rows: list[list[str]] = []
    body = _after(section, "栏次")
    if tabbed:
        rows = [(l.split("\t") + [""] * (n + 2))[:n + 2] for l in body]
    else:
        current: list[str] | None = None
        for tok in " ".join(body).split():
            if tok == "合计" or (tok.isdigit() and len(tok) in (3, 5, 7)):
                current = [tok if tok != "合计" else "合计", "", []]  # type: ignore[list-item]
                rows.append(current)  # type: ignore[arg-type]
            elif _AMOUNT.match(tok):
                current[2].append(tok)  # type: ignore[index, union-attr]
            else:
                current[1] += tok  # type: ignore[index]
        rows = [[code, name, *_place(rep.seed, t, code, amounts)] for code, name, amounts in rows]  # type: ignore[misc]
    expected, names = {}, {}
    for cells in rows:
        key = "合计" if cells[0] == "合计" else cells[0]
        expected[key] = {c.name: parse_amount(v) for c, v in zip(t.columns, cells[2:]) if parse_amount(v) != 0}
        if key != "合计":
            names[key] = cells[1]
    rep.printed[t.id], rep.expected[t.id], rep.names[t.id] = rows, expected, names


def _place(seed: str, t: TableSpec, code: str, amounts: list[str]) -> list[str]:
    """Amounts of a space-separated coded row into their columns (blanks were dropped)."""
    cells = [""] * len(t.columns)
    if len(amounts) == 2 and t.id in ("03", "05"):
        cells[0] = amounts[0]
        cells[2 if (seed, code) in PROJECT_ONLY else 1] = amounts[1]
        return cells
    cells[:len(amounts)] = amounts
    return cells


def _economic(rep: SeedReport, t: TableSpec, section: list[str], tabbed: bool) -> None:
    known = t.economic_codes()
    labels = {x.label for x in t.totals}
    expected: dict[str, dict[str, Decimal]] = {}
    body = _after(section, "科目代码")
    if tabbed:
        for line in body:
            cells = (line.split("\t") + [""] * 9)[:9]
            for b in range(3):
                code, name, value = cells[3 * b: 3 * b + 3]
                key = code or name
                if key in known or key in labels:
                    expected[key] = {t.value_name: parse_amount(value)} if parse_amount(value) else {}
    else:
        current = None
        for tok in " ".join(body).split():
            if (tok.isdigit() and tok in known) or tok in labels:
                current = tok
                expected[current] = {}
            elif _AMOUNT.match(tok) and current:
                expected[current] = {t.value_name: parse_amount(tok)}
    expected = {k: v for k, v in expected.items() if v}
    rep.expected[t.id] = expected
    rep.printed[t.id] = []


# ---------------------------------------------------------------- writing export-style workbooks

@dataclass
class Variant:
    text_amounts: bool = False  # amounts as text '1,890.62', blanks for zero
    shuffle: bool = False  # data rows in random order
    offset_rows: int = 0  # blank rows before each table
    offset_cols: int = 0  # empty columns before each table
    sheets: list[tuple[str, list[str]]] | None = None  # (sheet name, table ids); default one sheet each
    wrap_names: bool = False  # long 科目名称 wrapped onto a second row
    seed: int = 7


def _fmt(value: str, v: Variant) -> object:
    if not value:
        return None
    if v.text_amounts:
        return f"{parse_amount(value):,.2f}"
    return parse_amount(value)  # Decimal: openpyxl writes it as a number


def write_export(rep: SeedReport, path: Path, variant: Variant | None = None) -> Path:
    v = variant or Variant()
    rng = random.Random(v.seed)
    groups = v.sheets or [(f"{t.id}{t.title}"[:31], [t.id]) for t in rep.spec.tables.values()]
    sheets = [(name, [table_grid(rep, rep.spec.table(tid), v, rng) for tid in ids]) for name, ids in groups]
    return write_grids(path, sheets, v.offset_rows, v.offset_cols)


@dataclass
class TableGrid:
    """One table as an export prints it, before it is placed on a sheet: cells from (0, 0), and what each
    row and column is, so that a variant (tests/exportvariants.py) can change one kind of cell."""

    table: TableSpec
    cells: list[list[object]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row1, col1, row2, col2), inclusive
    unit: tuple[int, int] = (2, 4)  # the 金额单位 cell
    header: list[int] = field(default_factory=list)  # rows of header names (the 栏次 row not included)
    lanci: int | None = None  # the 栏次 row
    body: list[int] = field(default_factory=list)  # data rows (the note follows them)
    label_cols: list[int] = field(default_factory=list)  # fixed: 项目 of each side; coded: 科目编码, 科目名称
    line_cols: list[int] = field(default_factory=list)  # fixed: 行次 of each side that has them
    value_cols: list[int] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max(len(row) for row in self.cells)

    def set(self, r: int, c: int, value: object) -> None:
        while len(self.cells) <= r:
            self.cells.append([])
        row = self.cells[r]
        row.extend([None] * (c + 1 - len(row)))
        row[c] = value

    def get(self, r: int, c: int) -> object:
        return self.cells[r][c] if r < len(self.cells) and c < len(self.cells[r]) else None


def write_grids(path: Path, sheets: list[tuple[str, list[TableGrid]]], offset_rows: int = 0,
                offset_cols: int = 0) -> Path:
    """Sheets of tables, each table offset_rows below the previous one's end (+2) and offset_cols in."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, grids in sheets:
        ws = wb.create_sheet(name)
        r = 1
        for g in grids:
            r0, c0 = r + offset_rows, 1 + offset_cols
            for i, row in enumerate(g.cells):
                for j, value in enumerate(row):
                    if value is not None:
                        ws.cell(r0 + i, c0 + j, value)
            for r1, c1, r2, c2 in g.merges:
                ws.merge_cells(start_row=r0 + r1, start_column=c0 + c1, end_row=r0 + r2, end_column=c0 + c2)
            r = r0 + len(g.cells) - 1 + 2
    wb.save(path)
    return path


def table_grid(rep: SeedReport, t: TableSpec, v: Variant, rng: random.Random) -> TableGrid:
    g = TableGrid(t, [])
    g.set(0, 0, t.title)
    g.set(1, 3, t.number)
    g.set(2, 0, f"编制单位：{rep.unit_name}")
    g.set(2, 2, f"{rep.year}年度")
    g.set(2, 4, "金额单位：万元")
    r = 3
    if t.kind == "economic":
        return _economic_grid(g, rep, t, r, v, rng)
    if t.kind == "fixed":
        col = 0
        for side in t.sides:
            if len(t.sides) > 1:
                g.set(r, col, side.name)
            g.set(r + 1, col, "项目")
            g.set(r + 2, col, "栏次")
            g.label_cols.append(col)
            col += 1
            if side.has_lines:
                g.set(r + 1, col, "行次")
                g.line_cols.append(col)
                col += 1
            for c in side.columns:
                g.set(r + 1, col, c.header[-1])
                g.set(r + 2, col, c.lanci)
                g.value_cols.append(col)
                col += 1
        g.merges.append((r, 0, r, 2))
    else:
        g.set(r, 0, "项目")
        g.set(r + 1, 0, "科目编码")
        g.set(r + 1, 1, "科目名称")
        g.merges.append((r, 0, r, 1))
        g.label_cols += [0, 1]
        for i, c in enumerate(t.columns):
            g.set(r, 2 + i, c.header[0])
            if len(c.header) > 1:
                g.set(r + 1, 2 + i, c.header[-1])
            g.set(r + 2, 2 + i, c.lanci)
            g.value_cols.append(2 + i)
        g.set(r + 2, 0, "栏次")
    g.header, g.lanci = [r, r + 1], r + 2
    rows = list(rep.printed[t.id])
    r += 3
    if v.shuffle:
        rng.shuffle(rows)
    for cells in rows:
        if t.kind == "coded" and v.wrap_names and len(cells[1]) > 12:
            g.set(r, 0, cells[0])
            g.set(r, 1, cells[1][:10])
            g.set(r + 1, 1, cells[1][10:])
            for i, value in enumerate(cells[2:]):
                g.set(r, 2 + i, _fmt(value, v))
            g.body += [r, r + 1]
            r += 2
            continue
        for i, value in enumerate(cells):
            is_amount = bool(value) and bool(_AMOUNT.match(value.strip()))
            if v.text_amounts and value and not is_amount and (t.kind == "coded" and i == 0 or t.kind == "fixed"):
                value = "\u3000" + value  # codes and labels indented with full-width spaces, as exported
            # 行次 are numbers; codes are numbers in the plain variant and text in the text variant
            as_number = value.isdigit() and (t.kind == "fixed" or not v.text_amounts)
            g.set(r, i, _fmt(value, v) if is_amount else (int(value) if as_number else value or None))
        g.body.append(r)
        r += 1
    g.set(r, 0, t.note)
    return g


def _economic_grid(g: TableGrid, rep: SeedReport, t: TableSpec, r: int, v: Variant, rng: random.Random) -> TableGrid:
    for b in range(len(t.blocks)):
        for i, h in enumerate(("科目编码", "科目名称", "决算数")):
            g.set(r, 3 * b + i, h)
        g.label_cols += [3 * b, 3 * b + 1]
        g.value_cols.append(3 * b + 2)
    g.header = [r]
    values = rep.expected[t.id]
    classes = {c.code: c for c in t.classes}
    columns = []
    for block in t.blocks:
        lines = []
        for code in block:
            lines.append((code, classes[code].name))
            lines += list(classes[code].items)
        columns.append(lines)
    height = max(map(len, columns))
    body = []
    for i in range(height):
        body.append([col[i] if i < len(col) else None for col in columns])
    totals = [None] * len(t.blocks)
    for x in t.totals:
        totals[x.block - 1] = (x.label, "")
    body.append(totals)
    if v.shuffle:
        rng.shuffle(body)
    for i, line in enumerate(body, start=1):
        for b, item in enumerate(line):
            if item is None:
                continue
            code, name = item
            amount = values.get(code, {}).get(t.value_name)
            g.set(r + i, 3 * b, f"\u3000{code}" if len(code) == 5 else code)  # indented codes, as exported
            g.set(r + i, 3 * b + 1, name or None)
            g.set(r + i, 3 * b + 2, _fmt(str(amount), v) if amount else None)
        g.body.append(r + i)
    r += len(body) + 1
    g.set(r, 0, t.note)
    return g


# ---------------------------------------------------------------- comparing

def canonical(report) -> dict[str, dict[str, dict[str, Decimal]]]:
    """A Report in SeedReport.expected's shape: every non-zero amount by table, row id and column."""
    out: dict[str, dict[str, dict[str, Decimal]]] = {}
    for tid, table in report.tables.items():
        rows: dict[str, dict[str, Decimal]] = {}
        for row in table.rows:
            key = (f"{row.side}·{row.key}" if row.side else row.key) if row.key else row.code
            amounts = {k: v.amount for k, v in row.values.items() if v.amount != 0}
            if table.spec.kind == "coded" or amounts:
                rows[key] = amounts
        out[tid] = rows
    return out


def expected(rep: SeedReport) -> dict[str, dict[str, dict[str, Decimal]]]:
    out = {}
    for tid, rows in rep.expected.items():
        kind = rep.spec.table(tid).kind
        out[tid] = {k: v for k, v in rows.items() if v or kind == "coded"}
        if kind == "coded":
            out[tid].setdefault("合计", {})
    return out


def norm(text: str) -> str:
    return normalize_label(text)
