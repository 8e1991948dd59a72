"""Find the nine 公开表 in raw sheet grids and read them into Tables, by 行次, 栏次 and 科目代码.

Used for both the finance bureau's exports (importer) and our own template workbooks (reader), so
there is one way to read a table: locate its title or 编号, find its columns (columns.py: the 栏次 row,
or the header names when an export has none), then read each row by its 行次 (labels as evidence,
fixedrows.py) or its code — never by position. What was read differently from the 表样 but still read
is collected as notices (提示) for the caller to show.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Iterable

import msgspec
from msgspec import field

from .amounts import ZERO, AmountError, parse_amount, round_cent
from .columns import CODE_HEADERS, LABEL_HEADER, LANCI, NAME_HEADER, Columns, amount_scale, header_block, \
    header_text, is_note as _is_note, lanci_row, line_number, locate, stated_unit
from .errors import InputError
from .crossheader import code_columns, code_text as code_text_at, find as find_cross_header
from .fixedrows import Printed, SideReader, join_wrapped
from .grid import Sheet, cell_index, coord
from .model import CellRef, Row, Table, Value
from .notices import HEADING, UNIT, Notice
from .specs import LabelRules, LayoutSpec, SideSpec, TableSpec, normalize_label

_NUMBER_RE = re.compile(r"公开0?([1-9])表")
_BUDGET_NUMBER_RE = re.compile(r"^(?:附)?表([1-9][0-9]?)$")  # 预算: "表1" … "表15" printed above the title
_PIECE_RE = re.compile(r"公开|公开0?[1-9]|0?[1-9]|表|[1-9]?[0-9]表|附表|附")  # a 编号 letter-spaced into cells
PIECE = "…"
_UNIT_NAME_RE = re.compile(r"(?:编制单位|编制部门|填报单位|填报部门|单位名称|部门名称|^部门)[:：]\s*(.+?)(?:\s{2,}|金额单位|单位[:：]|\d{4}年|$)")
_YEAR_RE = re.compile(r"(20\d\d)\s*年度")
_A_NUMBER = re.compile(r"[-+(（]?[\d,，.．]+[)）]?")
_PLAIN_YEAR_RE = re.compile(r"(20\d\d)\s*年(?!\s*\d{1,2}\s*月)")  # “2025年部门决算”, not a date “2025年1月”
_TOTAL_LABELS = {"合计", "总计"}



class Region(msgspec.Struct):
    """Where one table stands: a sheet and the rows from its title down to the next table."""

    sheet: Sheet
    top: int
    bottom: int  # exclusive

    def rows(self, start: int | None = None) -> range:
        return range(self.top if start is None else start, self.bottom)


class _Anchor(msgspec.Struct):
    """Where a table's title was found: the table id and its row on the sheet."""

    table_id: str
    row: int


class _Context(msgspec.Struct, dict=True):
    """What every table reader needs besides its table: the file (for messages), the label rules, and
    where notices go (None: the caller does not want them)."""

    file: object
    rules: LabelRules
    notices: list[Notice] | None
    scale: Decimal = Decimal(1)  # printed units per 万元 of the table being read
    sheets: list[Sheet] = field(default_factory=list)
    rounded: list[tuple[str, Decimal]] = field(default_factory=list)  # (cell, as printed) of the table being read

    @cached_property
    def _stated_unit(self) -> str | None:
        return stated_unit(self.sheets)

    def file_unit(self) -> str | None:
        """The unit the file's tables state (columns.stated_unit): looked for only when a table states none."""
        return self._stated_unit


# ---------------------------------------------------------------- locating

def find_anchors(sheet: Sheet, spec: LayoutSpec) -> list[_Anchor]:
    """Rows where a table's title or 公开编号 stands, one anchor per table run."""
    titles = sorted(((normalize_label(title), t.id) for t in spec.tables.values() for title in t.titles),
                    key=lambda x: -len(x[0]))
    # text -> the table it names; None: none; PIECE: a piece of a letter-spaced 编号 (“公开”, “08”, “表”); the same
    # texts in every report
    known = _anchor_memo(spec)
    hits: list[_Anchor] = []
    for r, row in enumerate(sheet.rows):
        pieces = False
        for c, raw in enumerate(row):
            if not isinstance(raw, str) or not raw.strip():
                continue
            table_id = known.get(raw, False)
            if table_id is not False:
                if table_id == PIECE:
                    pieces = True
                elif table_id:
                    hits.append(_Anchor(table_id, r))
                continue
            known[raw] = None
            text = normalize_label(raw)
            if len(text) > 60 or text.startswith(("注", "说明")):
                continue
            m = _NUMBER_RE.search(text)
            table_id = f"0{m.group(1)}" if m and f"0{m.group(1)}" in spec.tables else None
            if table_id is None and (b := _BUDGET_NUMBER_RE.match(text)) and f"表{b.group(1)}" in spec.tables:
                table_id = f"表{b.group(1)}"
            if table_id is None:
                table_id = next((tid for title, tid in titles if text.endswith(title)), None)
            if table_id is None and _PIECE_RE.fullmatch(text):
                table_id, pieces = PIECE, True
            known[raw] = table_id
            if table_id and table_id != PIECE:
                hits.append(_Anchor(table_id, r))
        if pieces and (not hits or hits[-1].row != r) and (spaced := _spaced_number(row, spec)):
            hits.append(_Anchor(spaced, r))
    hits += _wrapped_titles(sheet, titles, {a.table_id for a in hits})
    # a title and its 编号 a few rows apart are one anchor
    merged: list[_Anchor] = []
    for a in sorted(hits, key=lambda a: a.row):
        if merged and merged[-1].table_id == a.table_id and a.row - merged[-1].row <= 4:
            continue
        merged.append(a)
    return merged


def _spaced_number(row: list, spec: LayoutSpec) -> str | None:
    """The table a 编号 printed letter-spaced names, read into a row's cells one piece each (“公开 | 08 | 表”,
    a PDF's “公开 08 表” over its table at the top of a page whose title ended the page before); None else."""
    texts = [v for v in row if isinstance(v, str) and v.strip()]
    if not 2 <= len(texts) <= 4 or sum(map(len, texts)) > 12:
        return None
    text = normalize_label("".join(texts))
    m = _NUMBER_RE.fullmatch(text)
    if m and f"0{m.group(1)}" in spec.tables:
        return f"0{m.group(1)}"
    b = _BUDGET_NUMBER_RE.match(text)
    return f"表{b.group(1)}" if b and f"表{b.group(1)}" in spec.tables else None


def _wrapped_titles(sheet: Sheet, titles: list[tuple[str, str]], found: set[str]) -> list[_Anchor]:
    """Titles printed over two lines (a long title wrapped in a PDF, or typed into two rows): a row of one text
    whose text and the next row's one text make a title no anchor was found for. Rows of one text only, so a
    table's body (several cells a row) is never read as a title."""
    if len(found) == len({tid for _, tid in titles}):
        return []
    lines = []
    for r, row in enumerate(sheet.rows):
        texts = [v for v in row if isinstance(v, str) and v.strip()]
        lines.append(texts[0] if len(texts) == 1 and len(row) - row.count("") - row.count(None) == 1 else None)
    out = []
    for r in range(len(lines) - 1):
        if lines[r] is None or lines[r + 1] is None:
            continue
        first, joined = normalize_label(lines[r]), normalize_label(lines[r] + lines[r + 1])
        hit = next((tid for title, tid in titles if tid not in found and joined.endswith(title)
                    and not first.endswith(title) and len(first) >= len(title) // 2), None)
        if hit is not None:
            out.append(_Anchor(hit, r))
    return out


_anchor_memos: dict[int, tuple[LayoutSpec, dict[str, str | None]]] = {}


def _anchor_memo(spec: LayoutSpec) -> dict[str, str | None]:
    """What find_anchors made of each text, per spec (kept with it: its id() is not reused meanwhile);
    a few thousand texts, forgotten as a whole when they grow past that (a batch of exotic files)."""
    spec_memo = _anchor_memos.get(id(spec))
    if spec_memo is None or spec_memo[0] is not spec:
        if len(_anchor_memos) > 16:
            _anchor_memos.clear()
        spec_memo = _anchor_memos[id(spec)] = (spec, {})
    if len(spec_memo[1]) > 20_000:
        spec_memo[1].clear()
    return spec_memo[1]


def find_regions(sheets: list[Sheet], spec: LayoutSpec) -> dict[str, list[Region]]:
    """Candidate regions per table id, in sheet order (a 目录 sheet names every title too)."""
    out: dict[str, list[Region]] = {}
    for sheet in sheets:
        anchors = find_anchors(sheet, spec)
        for i, a in enumerate(anchors):
            bottom = anchors[i + 1].row if i + 1 < len(anchors) else sheet.height
            out.setdefault(a.table_id, []).append(Region(sheet, a.row, bottom))
    return out


# ---------------------------------------------------------------- reading cells

def _amount(region: Region, r: int, c: int, ctx: _Context) -> Value:
    why = region.sheet.unread.get((r, c))
    if why:  # calamine reads it as empty: taking it for 0.00 would be a silent wrong number
        raise InputError(f"金额单元格{why}（读作空白会当成 0）。请在 Excel/WPS 中打开该文件、确认公式无误后保存，再导入",
                         file=ctx.file, sheet=region.sheet.name, cell=coord(r, c))
    try:
        amount = parse_amount(region.sheet.value(r, c))
    except AmountError as exc:
        raise InputError(f"金额{exc}", file=ctx.file, sheet=region.sheet.name, cell=coord(r, c)) from None
    if ctx.scale != 1:
        amount = round_cent(amount / ctx.scale)  # 元 -> 万元, half up to 0.01 as the tables print
    elif ctx.notices is not None and amount.as_tuple().exponent < -2 and amount != round_cent(amount):
        # an export's 万元 with more decimals than the tables print (74.7549): to the cent, said once per table
        ctx.rounded.append((coord(r, c), amount))
        amount = round_cent(amount)
    return Value(amount, _cell_ref(region.sheet.name, r, c))


@lru_cache(maxsize=1 << 16)
def _cell_ref(sheet: str, r: int, c: int) -> CellRef:
    """One CellRef (frozen) per cell, shared: every report of a batch has its amounts in the same cells."""
    return CellRef(sheet, coord(r, c))


def _folded(text: str) -> str:
    """Full-width digits folded: '２０８０５' is the code 20805."""
    return unicodedata.normalize("NFKC", text)


def _first_text(sheet: Sheet, r: int) -> str:
    return next((t for t in (sheet.text(r, c) for c in range(len(sheet.rows[r]))) if t), "")


def _columns(t: TableSpec, region: Region, ctx: _Context) -> Columns:
    cols = locate(t, region.sheet, region.rows(), ctx.file)
    ctx.scale = amount_scale(t, region.sheet, region.rows(), cols.data_start, ctx.file, ctx.notices, ctx.file_unit)
    return cols


# ---------------------------------------------------------------- fixed tables (01, 04, 09)

def _nothing_coded_after(t: TableSpec, region: Region, note: int, code_cols, name_col: int, value_cols,
                         file) -> None:
    """A note ends a 科目 table: refuse one with 科目 rows — a code, a name in words, amounts — after it (“注：…”
    typed into the middle of the table), whose rows would else be dropped without a word. Numbers left beside
    the sheet's tables (a block of figures, no names) are no 科目 rows."""
    sheet = region.sheet
    for r in region.rows(note + 1):
        m = _CODE_IN_TEXT.match(_folded(code_text_at(sheet, r, code_cols)).replace(" ", ""))
        if not m or len(m.group(1)) not in t.code_lengths:
            continue
        name = (m.group(2) or sheet.text(r, name_col)).strip()
        if name and not _A_NUMBER.fullmatch(name) and any(sheet.value(r, c) not in (None, "") for c in value_cols):
            said = (_first_text(sheet, note) or "")[:20]
            raise InputError(f"{t.number}第 {note + 1} 行的说明“{said}”之后还有科目行（第 {r + 1} 行 {m.group(1)}）："
                             "说明应在表格最后，请把它移到表格下方后再导入", file=file, sheet=sheet.name,
                             cell=coord(note, 0))


class _FoundSide(msgspec.Struct):
    """A fixed table's side located on the sheet: its label, 行次 and amount columns."""

    spec: SideSpec
    label_col: int
    line_col: int | None
    value_cols: dict[str, int]  # column name -> index
    top: int | None = None  # first body row, when each side has its own header (预算 表1/表4/表9)
    bottom: int | None = None  # exclusive


def _fixed_sides(t: TableSpec, region: Region, cols: Columns, file) -> list[_FoundSide]:
    sheet = region.sheet
    sides = []
    for side in t.sides:
        first_value = min(cols.values[c.lanci] for c in side.columns)
        label_col = max((c for c in cols.label_cols if c < first_value), default=None)
        if label_col is None:
            raise InputError(f"{t.number}的表头找不到“{side.name}”一侧的项目列", file=file,
                             sheet=sheet.name, row=cols.header_row + 1)
        line_col = None
        if side.has_lines:
            for r in range(cols.header_top, cols.data_start):
                for c in range(label_col + 1, first_value):
                    if normalize_label(sheet.value(r, c)) == "行次":
                        line_col = c
        sides.append(_FoundSide(side, label_col, line_col, {c.name: cols.values[c.lanci] for c in side.columns}))
    return sides


def _printed_rows(region: Region, fs: _FoundSide, start: int, ctx: _Context) -> list[Printed]:
    sheet = region.sheet
    rows = []
    for r in region.rows(start if fs.top is None else fs.top):
        if fs.bottom is not None and r >= fs.bottom:
            break
        if _is_note(_first_text(sheet, r)):
            break
        label = sheet.text(r, fs.label_col)
        line = line_number(sheet.value(r, fs.line_col)) if fs.line_col is not None else None
        values = {name: _amount(region, r, c, ctx) for name, c in fs.value_cols.items()}
        p = Printed(r, label, line, values)
        if label or line is not None or p.has_values:
            rows.append(p)
    return join_wrapped(rows, fs.spec, ctx.rules)


def _counts(region: Region, p: Printed, ctx: _Context) -> dict[str, Value]:
    """A count line's cells (where its values were read, a wrapped label's second row perhaps) read again
    without the 元 → 万元 conversion the amounts of its table get."""
    scale, ctx.scale = ctx.scale, Decimal(1)
    try:
        return {name: _amount(region, *cell_index(v.cell.coord), ctx) if v.cell else v for name, v in p.values.items()}
    finally:
        ctx.scale = scale


def _parse_fixed(t: TableSpec, region: Region, ctx: _Context) -> Table:
    sheet = region.sheet
    cross = find_cross_header(t, sheet, region.rows(), ctx.file)
    if cross is not None:  # 上海 表七: 预算数/决算数 printed under every column, one line of amounts
        ctx.scale = amount_scale(t, sheet, region.rows(), cross.data_row, ctx.file, ctx.notices, ctx.file_unit)
        return cross.table(t, sheet, lambda r, c: _amount(region, r, c, ctx))
    if any(s.label_header for s in t.sides):  # 预算: each side found by its own header, rows by label
        from .sideblocks import locate_sides

        found, start = locate_sides(t, region, ctx.file)
        ctx.scale = amount_scale(t, sheet, region.rows(), start, ctx.file, ctx.notices, ctx.file_unit)
    else:
        cols = _columns(t, region, ctx)
        found, start = _fixed_sides(t, region, cols, ctx.file), cols.data_start
    got: dict[tuple[str, str], Row] = {}
    for fs in found:
        reader = SideReader(t, fs.spec, ctx.rules, sheet.name, ctx.file, ctx.notices)
        taken: set[str] = set()
        for p in _printed_rows(region, fs, start, ctx):
            row_spec = reader.resolve(p, taken)
            where = dict(file=ctx.file, sheet=sheet.name, row=p.row + 1)
            if row_spec is None:
                continue  # a heading without amounts that names no row
            if row_spec.blank:
                if p.has_values:
                    raise InputError(f"{t.number}行次 {row_spec.line} 是空行，不应填金额", **where)
                continue
            if row_spec.key in taken:
                raise InputError(f"{t.number}的“{row_spec.label}”出现了两次", **where)
            taken.add(row_spec.key)
            if row_spec.unit and ctx.scale != 1:  # a count (辆, 台): as printed, whatever the amounts' unit
                p.values = _counts(region, p, ctx)
            got[(fs.spec.name, row_spec.key)] = Row(
                name=row_spec.label, key=row_spec.key, code=row_spec.code, line=row_spec.line,
                side=fs.spec.name if len(t.sides) > 1 else None, values=p.values,
                cell=CellRef(sheet.name, coord(p.row, fs.label_col)))
    rows = []
    for side in t.sides:
        for rs in side.rows:
            if rs.blank:
                continue
            row = got.get((side.name, rs.key)) or Row(
                name=rs.label, key=rs.key, code=rs.code, line=rs.line, side=side.name if len(t.sides) > 1 else None,
                values={c.name: Value(ZERO) for c in side.columns})
            rows.append(row)
    return Table(t, rows, sheet=sheet.name)


# ---------------------------------------------------------------- coded tables (02, 03, 05, 07, 08)

_CODE_IN_TEXT = re.compile(r"^(\d{3,7})\s*(.*)$")
_CODE_SEPARATORS = re.compile(r"^(\d{3})[-.·](\d{2})(?:[-.·](\d{2}))?(?!\d)")  # “208-05-05”, “208.05”


def _code_columns(t: TableSpec, region: Region, cols: Columns, first_value: int, file) -> tuple[int, int]:
    """(科目代码 column, 科目名称 column) from the header; the 栏次 or 项目 column when no header names them."""
    sheet = region.sheet
    code_names = {normalize_label(x) for x in t.code_header} or CODE_HEADERS
    name_names = {normalize_label(x) for x in t.name_header} or {NAME_HEADER}
    code_col = name_col = item_col = None
    for r in range(cols.header_top, cols.data_start):
        for c in range(first_value):
            text = normalize_label(sheet.value(r, c))
            if text in code_names:
                code_col = c
            elif text in name_names:
                name_col = c
            elif text in (LANCI, LABEL_HEADER) and item_col is None:
                item_col = c
    code_col = code_col if code_col is not None else item_col
    if code_col is None:
        raise InputError(f"{t.number}的表头找不到“科目编码”列", file=file, sheet=sheet.name, row=cols.header_row + 1)
    if name_col is None or name_col == code_col:
        name_col = code_col + 1
    return code_col, name_col


def _parse_coded(t: TableSpec, region: Region, ctx: _Context) -> Table:
    sheet, file = region.sheet, ctx.file
    cols = _columns(t, region, ctx)
    value_cols = {c.name: cols.values[c.lanci] for c in t.columns}
    code_col, name_col = _code_columns(t, region, cols, min(value_cols.values()), file)
    extra = _extra_columns(t, region, cols, set(value_cols.values()) | {code_col, name_col})
    code_cols = code_columns(sheet, range(cols.header_top, cols.data_start), code_col, name_col)  # 类 款 项 apart

    total: Row | None = None
    by_code: dict[str, Row] = {}
    last: Row | None = None
    last_blank = False  # the last row had its values left empty: a wrapped row may carry them
    for r in region.rows(cols.data_start):
        code_text = _folded(code_text_at(sheet, r, code_cols))
        name_text = sheet.text(r, name_col)
        if _is_note(code_text) or (not code_text and _is_note(name_text)):
            _nothing_coded_after(t, region, r, code_cols, name_col, value_cols.values(), file)
            break
        values = {name: _amount(region, r, c, ctx) for name, c in value_cols.items()}
        blank_values = all(sheet.value(r, c) is None for c in value_cols.values())
        where = dict(file=file, sheet=sheet.name, row=r + 1)
        m = _CODE_IN_TEXT.match(_CODE_SEPARATORS.sub(lambda x: "".join(g for g in x.groups() if g),
                                                     code_text.replace(" ", ""))) if code_text else None
        if normalize_label(code_text) in _TOTAL_LABELS or (not code_text and normalize_label(name_text) in _TOTAL_LABELS):
            if total is not None:
                raise InputError(f"{t.number}有两行“合计”", **where)
            total = last = Row(name="合计", key="合计", values=values, cell=CellRef(sheet.name, coord(r, code_col)))
            extra.fill(total, sheet, r)
            last_blank = blank_values
        elif m:
            code, rest = m.group(1), m.group(2)
            if len(code) not in t.code_lengths:
                lengths = "、".join(map(str, t.code_lengths[:-1])) + f" 或 {t.code_lengths[-1]}"
                raise InputError(f"科目代码“{code}”位数不对（{t.code_scheme}科目代码应为 {lengths} 位）",
                                 file=file, sheet=sheet.name, cell=coord(r, code_col))
            if code in by_code:
                raise InputError(f"{t.number}的科目代码 {code} 出现了两次", file=file, sheet=sheet.name,
                                 cell=coord(r, code_col))
            name = (rest + name_text) if rest and name_col != code_col else (name_text or rest)
            raw_name = sheet.value(r, name_col) if name_col != code_col else None
            if isinstance(raw_name, (int, float, Decimal)) and not isinstance(raw_name, bool):
                # a 科目 is named in words: a number in its name cell is an amount typed one column left
                raise InputError(f"{t.number}科目 {code} 的名称是数字“{name.strip()}”：金额可能填到了科目名称列，"
                                 "请核对这一行", file=file, sheet=sheet.name, cell=coord(r, name_col))
            last = by_code[code] = Row(name=name, code=code, values=values,
                                       cell=CellRef(sheet.name, coord(r, code_col)))
            extra.fill(last, sheet, r)
            last_blank = blank_values
        elif not code_text:
            if blank_values:
                if name_text and last is not None and last.code:
                    last.name += name_text  # a long 科目名称 wrapped onto the next row
                continue
            if last is not None and last_blank:
                last.values = values  # the amounts stand on the wrapped name's second row
                last.name += name_text
                last_blank = False
                continue
            raise InputError(f"{t.number}这一行有金额，但没有科目代码", **where)
        else:
            lengths = "/".join(map(str, t.code_lengths))
            raise InputError(f"{t.number}的科目代码列里有无法识别的内容“{code_text}”（应为 {lengths} 位数字或“合计”）",
                             file=file, sheet=sheet.name, cell=coord(r, code_col))
    if total is None:
        total = Row(name="合计", key="合计", values={c.name: Value(ZERO) for c in t.columns})
    for row in by_code.values():
        row.name = _without_level_suffix(row.name, ctx.rules)
    rows = [total] + [by_code[c] for c in sorted(by_code)]
    return Table(t, rows, sheet=sheet.name)


class _ExtraColumns(msgspec.Struct):
    """The columns of a coded table besides code, name and amounts: 政府经济分类 code/name (预算 表6/表8) and
    text columns (备注), found by their header names; each may be missing from a file."""

    gov_code: int | None
    gov_name: int | None
    texts: dict[str, int]

    def fill(self, row: Row, sheet: Sheet, r: int) -> None:
        if self.gov_code is not None:
            row.gov_code = _folded(sheet.text(r, self.gov_code)).replace(" ", "") or None
        if self.gov_name is not None:
            row.gov_name = sheet.text(r, self.gov_name) or None
        for name, c in self.texts.items():
            row.texts[name] = sheet.text(r, c)
            row.text_cells[name] = CellRef(sheet.name, coord(r, c))


def _extra_columns(t: TableSpec, region: Region, cols: Columns, used: set[int]) -> _ExtraColumns:
    sheet = region.sheet

    def find(names: set[str]) -> int | None:
        for r in range(cols.header_top, cols.data_start):
            for c in range(len(sheet.rows[r])):
                if c not in used and header_text(sheet.value(r, c)) in names:
                    return c
        return None

    gov_code = find({normalize_label(x) for x in t.gov_code_header}) if t.gov_code_header else None
    gov_name = find({normalize_label(x) for x in t.gov_name_header}) if t.gov_name_header else None
    texts = {c.name: col for c in t.text_columns if (col := find(c.names())) is not None}
    return _ExtraColumns(gov_code, gov_name, texts)


def _without_level_suffix(name: str, rules: LabelRules) -> str:
    """'行政运行（项）' -> '行政运行': the level is the code's length, the suffix only a printing habit."""
    for suffix in rules.suffixes:
        for form in {suffix, suffix.replace("（", "(").replace("）", ")")}:
            if name.endswith(form) and len(name) > len(form):
                return name[: -len(form)].rstrip()
    return name


# ---------------------------------------------------------------- 经济分类 table (06)

def _parse_economic(t: TableSpec, region: Region, ctx: _Context) -> Table:
    sheet, file = region.sheet, ctx.file
    header_row = None
    blocks: list[tuple[int, int, int]] = []  # (code col, name col, value col)
    for r in region.rows():
        code_cols = [c for c, v in enumerate(sheet.rows[r]) if normalize_label(v) in CODE_HEADERS]
        if code_cols:
            header_row = r
            # headers of merged multi-row cells may sit one row lower: look at the next row too
            for i, c in enumerate(code_cols):
                end = code_cols[i + 1] if i + 1 < len(code_cols) else len(sheet.rows[r])
                value_col = next((x for x in range(c + 1, end) for rr in (r, r + 1)
                                  if header_text(sheet.value(rr, x)) in {t.value_name, "决算数", "金额"}), c + 2)
                name_col = next((x for x in range(c + 1, value_col) for rr in (r, r + 1)
                                 if normalize_label(sheet.value(rr, x)) == "科目名称"), c + 1)
                blocks.append((code_columns(sheet, range(r, r + 2), c, name_col), name_col, value_col))
            break
    if header_row is None:
        raise InputError(f"{t.number}（{t.title}）没有“科目代码”表头", file=file, sheet=sheet.name,
                         row=region.top + 1)
    ctx.scale = amount_scale(t, sheet, region.rows(), header_row + 2, file, ctx.notices, ctx.file_unit)
    names = t.economic_codes()
    total_labels = {x.label for x in t.totals}
    got: dict[str, Row] = {}
    for r in region.rows(header_row + 1):
        if _is_note(_first_text(sheet, r)):
            break
        for code_cols, name_col, value_col in blocks:
            code_col = code_cols[0]
            code_text = _folded(code_text_at(sheet, r, code_cols)).replace(" ", "")
            name_text = normalize_label(sheet.value(r, name_col))
            if r == header_row + 1 and header_text(sheet.value(r, value_col)) in {t.value_name, "决算数", "金额"}:
                continue  # the value's header one row lower, as found above (a PDF printed without lines)
            value = _amount(region, r, value_col, ctx)
            label = next((x for x in (normalize_label(code_text), name_text) if x in total_labels), None)
            where = dict(file=file, sheet=sheet.name, cell=coord(r, code_col))
            if label:
                key = label
                row = Row(name=label, key=label, values={t.value_name: value},
                          cell=CellRef(sheet.name, coord(r, code_col)))
            elif code_text.isdigit():
                if code_text not in names:
                    raise InputError(f"{t.number}的经济分类科目 {code_text} 不在 {t.number} 的表样中", **where)
                key = code_text
                row = Row(name=names[code_text], code=code_text, values={t.value_name: value},
                          cell=CellRef(sheet.name, coord(r, code_col)))
            elif normalize_label(code_text) in CODE_HEADERS or value.amount == 0:
                continue  # a repeated header, a wrapped name's second line, or an empty cell
            else:
                raise InputError(f"{t.number}这一格有金额，但同一行没有经济分类科目代码", file=file,
                                 sheet=sheet.name, cell=coord(r, value_col))
            if key in got:
                raise InputError(f"{t.number}的“{key}”出现了两次", **where)
            got[key] = row
    rows = []
    for cls in t.classes:
        for code, name in ((cls.code, cls.name), *cls.items):
            rows.append(got.get(code) or Row(name=name, code=code, values={t.value_name: Value(ZERO)}))
    for total in t.totals:
        rows.append(got.get(total.label) or Row(name=total.label, key=total.label,
                                                values={t.value_name: Value(ZERO)}))
    return Table(t, rows, sheet=sheet.name)


# ---------------------------------------------------------------- the whole report

_PARSERS = {"fixed": _parse_fixed, "coded": _parse_coded, "economic": _parse_economic}


def _parser(t: TableSpec):
    if t.kind in _PARSERS:
        return _PARSERS[t.kind]
    from . import budgetparse  # 预算 units and text tables: imported only when a 预算 layout is read

    return budgetparse.PARSERS[t.kind]


def _real_copies(t: TableSpec, candidates: list[Region]) -> list[Region]:
    """The regions holding the table itself, not a 目录 line or a note naming it: those with a 栏次 row
    (the surest sign), else those with a header of column names."""
    if t.kind == "economic":
        return [g for g in candidates if any(normalize_label(v) in CODE_HEADERS for r in g.rows() for v in g.sheet.rows[r])]
    if t.kind in ("units", "text") or any(s.label_header for s in t.sides):
        from .budgetparse import holds_table

        return [g for g in candidates if holds_table(t, g)]
    return ([g for g in candidates if lanci_row(g.sheet, g.rows()) is not None]
            or [g for g in candidates if header_block(t, g.sheet, g.rows()) is not None])


def _pick(t: TableSpec, candidates: list[Region], chosen: set[str], file) -> Region | None:
    """The one region holding the table. Two real copies (an old and a new 公开05表) are refused, naming
    both, unless the officer chose the sheet to read (`--sheet`): taking the first would silently drop the other."""
    real = _real_copies(t, candidates)
    if len(real) > 1:
        picked = [g for g in real if g.sheet.name in chosen]
        if len(picked) == 1:
            return picked[0]
        where = "、".join(f"“{g.sheet.name}”第 {g.top + 1} 行" for g in real)
        picked = [g for g in real if not chosen or g.sheet.name in chosen]
        same_sheet = len({g.sheet.name for g in picked}) < len(picked)  # --sheet cannot tell these apart
        how = ("请删除多余的那一份（如留在表格下方的旧副本；若是分页处重复印出的表头，请删去重复的标题和表头）后再导入"
               if same_sheet else "请删除多余的（如旧的副本、备份），或用 --sheet 工作表名 指定要导入的那一张")
        raise InputError(f"{t.number}“{t.title}”出现了 {len(real)} 次（{where}），不知道该用哪一张。{how}", file=file)
    if not real and candidates and all(g.bottom - g.top <= 2 for g in candidates):
        # only a line naming it (a 目录 entry, a sentence of the text): no table under it to read
        where = "、".join(f"“{g.sheet.name}”第 {g.top + 1} 行" for g in candidates)
        raise InputError(f"没有找到{t.number}“{t.title}”：只在{where}见到它的标题（像是目录中的一行），"
                         "其下没有这张表（栏次行或表头）", file=file)
    return real[0] if real else (candidates[0] if candidates else None)


def parse_tables(sheets: list[Sheet], spec: LayoutSpec, file=None, progress: list | None = None,
                 notices: list[Notice] | None = None, chosen_sheets: Iterable[str] = ()) -> dict[str, Table]:
    """Every table of the spec, read from the sheets. `progress` collects the ids read so far, so a
    caller trying several layouts can tell how far each got; `notices` collects the 提示 (labels read
    within tolerance, amounts converted from 元); `chosen_sheets` settle a table found on several sheets."""
    regions = find_regions(sheets, spec)
    ctx = _Context(file, spec.labels, notices, sheets=sheets)
    chosen = set(chosen_sheets)
    tables: dict[str, Table] = {}
    for tid, t in spec.tables.items():
        region = _pick(t, regions.get(tid, []), chosen, file)
        if region is None:
            raise InputError(f"没有找到{t.number}“{t.title}”：任何工作表中都没有这张表的标题或编号", file=file)
        tables[tid] = _parser(t)(t, region, ctx)
        if ctx.rounded and notices is not None:
            cell, raw = ctx.rounded[0]
            notices.append(Notice(f"{t.number}有 {len(ctx.rounded)} 个金额多于两位小数（如 {raw}），已四舍五入到分"
                                  "（公开表按两位小数印出）", kind=UNIT, table=tid, sheet=tables[tid].sheet, cell=cell))
        ctx.rounded = []
        if progress is not None:
            progress.append(tid)
    if notices is not None and ctx.file_unit() is None:
        notices.append(Notice("文件中没有写明金额单位（如“单位：万元”），已按万元读取；如果导出的是元，请在表上方写明"
                              "“单位：元”后重新导入", kind=UNIT))
    return tables


def guess_unit_name_and_year(sheets: list[Sheet]) -> tuple[str | None, int | None, list[Notice]]:
    """编制单位 and 年度 as printed above the tables (the most frequent, to outvote a stray cell), and a 提示 for
    each sheet that prints another (a table copied from another unit's or year's export). A year printed as
    “2025年” (no 度) counts where no sheet prints “…年度”."""
    names: dict[str, list[str]] = {}
    years: dict[int, list[str]] = {}
    plain_years: dict[int, list[str]] = {}
    for sheet in sheets:
        for r, row in enumerate(sheet.rows[:200]):
            texts = [raw.replace("\u3000", " ").strip() for raw in row if isinstance(raw, str) and raw.strip()]
            for text in texts:
                m = _UNIT_NAME_RE.search(text)
                if m and m.group(1).strip():
                    names.setdefault(m.group(1).strip(), []).append(sheet.name)
            # each cell, or — a year printed apart from its 年度, a PDF's line in pieces (“2024 | 年度部门决算”) — a
            # short row's cells read together
            pieces = texts if any(_YEAR_RE.search(t) for t in texts) or not 2 <= len(texts) <= 4 else ["".join(texts)]
            for text in pieces:
                y = _YEAR_RE.search(text)
                if y:
                    years.setdefault(int(y.group(1)), []).append(sheet.name)
                elif y := _PLAIN_YEAR_RE.search(text):
                    plain_years.setdefault(int(y.group(1)), []).append(sheet.name)
    years = years or plain_years
    name = max(names, key=lambda k: len(names[k])) if names else None
    year = max(years, key=lambda k: len(years[k])) if years else None
    notices = [Notice(f"工作表“{'”“'.join(dict.fromkeys(where))}”写的{what}是“{value}”，与其他表的“{chosen}”不同，"
                      f"已按“{chosen}”导入：请核对这张表是否来自别的{whose}的报表", kind=HEADING)
               for what, whose, found, chosen in (("编制单位", "单位", names, name), ("年度", "年度", years, year))
               for value, where in found.items() if value != chosen]
    return name, year, notices
