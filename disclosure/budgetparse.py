"""Reading the 预算 tables that are neither fixed nor coded: 单位 tables (表2, 表3, 表10, 表12) and text tables
(表11 政府采购, 表13–表15 绩效目标).

- units: columns by header name (columns.py; seed 002 prints no 栏次), the 单位编码 and 单位名称 columns by
  their header; one row per printed 单位 in printed order (the first is the 部门), a 合计 row when printed,
  and in 表10 project rows (no 单位编码) that belong to the 单位 printed above them.
- text: a form of fields (“项目名称 → …”, found by their printed name, the content right of it — or in the
  same cell after “：”, or below it when another name stands to its right) and lists (a small table found
  by its header names; merged 一级/二级指标 cells carry down). A table may hold several projects' forms
  one after the other: each repeat of the first field starts the next (`Row.group`).
"""

from __future__ import annotations

import re

import msgspec
from msgspec import field

from .amounts import ZERO
from .columns import amount_scale, header_block, header_paths, header_text
from .errors import InputError
from .grid import Sheet, coord
from .model import CellRef, Row, Table, Value
from .parse import Region, _Context, _amount, _columns, _folded, _is_note
from .specs import PartSpec, TableSpec, normalize_label

UNIT_CODE_HEADERS = ("单位编码", "单位代码", "编码")
UNIT_NAME_HEADERS = ("单位名称",)
_TOTALS = {"合计", "总计"}
_UNIT_CODE = re.compile(r"^[0-9A-Za-z]+$")
AMOUNT_KEY, TEXT_KEY = "金额", "内容"  # a field row's one value / text


# ---------------------------------------------------------------- which candidate region holds the table

def holds_table(t: TableSpec, region: Region) -> bool:
    """A region holding the table itself (its header), not a 目录 line naming it."""
    if t.kind == "units":
        return header_block(t, region.sheet, region.rows()) is not None
    if t.kind == "text":
        return bool(_field_cells(t, region)) or any(_list_header(p, region) for p in t.lists)
    names = set().union(*(s.label_names() for s in t.sides))
    return any(header_text(v) in names for r in region.rows() for v in region.sheet.rows[r] if isinstance(v, str))


# ---------------------------------------------------------------- units

def _find_header(sheet: Sheet, rows: range, names: set[str], skip: set[int]) -> int | None:
    for r in rows:
        for c in range(len(sheet.rows[r])):
            if c not in skip and header_text(sheet.value(r, c)) in names:
                return c
    return None


def _names(given: tuple[str, ...], default: tuple[str, ...]) -> set[str]:
    return {normalize_label(x) for x in (given or default)}


def parse_units(t: TableSpec, region: Region, ctx: _Context) -> Table:
    sheet, file = region.sheet, ctx.file
    cols = _columns(t, region, ctx)
    value_cols = {c.name: cols.values[c.lanci] for c in t.columns}
    header_rows = range(cols.header_top, cols.data_start)
    code_col = _find_header(sheet, header_rows, _names(t.code_header, UNIT_CODE_HEADERS), set(value_cols.values()))
    if code_col is None:
        raise InputError(f"{t.number}的表头找不到“单位编码”列", file=file, sheet=sheet.name, row=cols.header_row + 1)
    name_col = _find_header(sheet, header_rows, _names(t.name_header, UNIT_NAME_HEADERS),
                            set(value_cols.values()) | {code_col})
    name_col = code_col + 1 if name_col is None else name_col
    used = set(value_cols.values()) | {code_col, name_col}
    text_cols = {c.name: col for c in t.text_columns
                 if (col := _find_header(sheet, header_rows, c.names(), used)) is not None}

    total: Row | None = None
    rows: list[Row] = []
    seen: set[str] = set()
    unit: Row | None = None
    for r in region.rows(cols.data_start):
        code_text = _folded(sheet.text(r, code_col)).replace(" ", "")
        name_text = sheet.text(r, name_col).strip()
        if _is_note(code_text) or (not code_text and _is_note(name_text)):
            break
        values = {name: _amount(region, r, c, ctx) for name, c in value_cols.items()}
        has_values = any(sheet.value(r, c) is not None for c in value_cols.values())
        where = dict(file=file, sheet=sheet.name, row=r + 1)
        row = Row(name=name_text, values=values, cell=CellRef(sheet.name, coord(r, code_col if code_text else name_col)))
        if normalize_label(code_text) in _TOTALS or (not code_text and normalize_label(name_text) in _TOTALS):
            if total is not None:
                raise InputError(f"{t.number}有两行“合计”", **where)
            row.name, row.key = "合计", "合计"
            total = row
        elif code_text:
            if not _UNIT_CODE.match(code_text):
                raise InputError(f"{t.number}的单位编码列里有无法识别的内容“{code_text}”（应为单位编码或“合计”）",
                                 file=file, sheet=sheet.name, cell=coord(r, code_col))
            if code_text in seen:
                raise InputError(f"{t.number}的单位编码 {code_text} 出现了两次", file=file, sheet=sheet.name,
                                 cell=coord(r, code_col))
            seen.add(code_text)
            row.code = code_text
            unit = row
            rows.append(row)
        elif name_text and t.projects:
            if unit is None:
                raise InputError(f"{t.number}的项目“{name_text}”上方没有单位行（单位编码），不知道属于哪个单位", **where)
            row.unit_code = unit.code
            rows.append(row)
        elif name_text or has_values:
            raise InputError(f"{t.number}这一行有{'单位名称' if name_text else '金额'}，但没有单位编码", **where)
        else:
            continue  # an empty row
        for name, c in text_cols.items():
            row.texts[name] = sheet.text(r, c)
            row.text_cells[name] = CellRef(sheet.name, coord(r, c))
    if total is None and t.total_row:
        total = Row(name="合计", key="合计", values={c.name: Value(ZERO) for c in t.columns})
    return Table(t, ([total] if total else []) + rows, sheet=sheet.name)


# ---------------------------------------------------------------- text tables (forms)

_COLONS = " :：\u3000"


class _Label(msgspec.Struct):
    """A printed field name: where it stands, and the content written after “：” in the same cell, if any."""

    r: int
    c: int
    part: PartSpec  # the field it names (the first of the fields printed alike: parse_text picks the twin)
    inline: str | None = None


def _field_cells(t: TableSpec, region: Region) -> list[_Label]:
    """Every cell naming a field of the table, in reading order (row by row, left to right)."""
    fields = [p for p in t.parts if p.kind == "field"]
    sheet = region.sheet
    out = []
    for r in region.rows(region.top + 1):
        for c, raw in enumerate(sheet.rows[r]):
            if not isinstance(raw, str) or not raw.strip():
                continue
            text = normalize_label(raw).rstrip(_COLONS)
            for part in fields:
                names = part.names()
                if text in names:
                    out.append(_Label(r, c, part))
                    break
                if any(text.startswith(n) for n in names):  # “实施期资金总额：1132” in one cell
                    inline = _after_name(raw.strip(), names)
                    if inline is not None:
                        out.append(_Label(r, c, part, inline=inline))
                        break
    return out


def _after_name(raw: str, names: set[str]) -> str | None:
    """What a cell holds after the printed name (“其中：财政拨款 1132” -> “1132”), None if it is not that name."""
    for j in range(1, len(raw)):  # after “：” or a space, or an amount right after the name (“其他资金0.5”)
        if normalize_label(raw[:j]).rstrip(_COLONS) in names and (raw[j] in _COLONS or raw[j] in "0123456789-"):
            rest = raw[j:].strip(_COLONS)
            return rest or None
    return None


class _ListHeader(msgspec.Struct):
    part: PartSpec
    top: int
    bottom: int  # last header row
    columns: dict[str, int]  # column name -> index


def _list_header(part: PartSpec, region: Region, start: int | None = None) -> _ListHeader | None:
    """The first header of this list at or after `start`: a row naming at least two of its columns."""
    sheet = region.sheet
    leaves = {n for c in part.columns for n in c.names()} | {normalize_label(h) for c in part.columns for h in c.header}
    for r in region.rows(region.top + 1 if start is None else start):
        hits = sum(1 for v in sheet.rows[r] if isinstance(v, str) and header_text(v) in leaves)
        if hits >= 2:
            bottom = r
            while bottom + 1 < region.bottom and _only_headers(sheet.rows[bottom + 1], leaves):
                bottom += 1
            return _ListHeader(part, r, bottom, _list_columns(part, sheet, r, bottom))
    return None


def _only_headers(cells: list, leaves: set[str]) -> bool:
    texts = [header_text(v) for v in cells if v not in ("", None)]
    return bool(texts) and all(x in leaves for x in texts)


def _list_columns(part: PartSpec, sheet: Sheet, top: int, bottom: int) -> dict[str, int]:
    paths = header_paths(sheet, top, bottom)
    out: dict[str, int] = {}
    for column in part.columns:
        names = column.names()
        full = [normalize_label(h) for h in column.header]
        hits = [c for c, p in paths.items() if p[-1] in names and c not in out.values()]
        exact = [c for c in hits if paths[c][-len(full):] == full]
        if exact or hits:
            out[column.name] = (exact or hits)[0]
    return out


class _Form(msgspec.Struct):
    group: int
    filled: set[str] = field(default_factory=set)
    rows: list[Row] = field(default_factory=list)


def parse_text(t: TableSpec, region: Region, ctx: _Context) -> Table:
    sheet = region.sheet
    labels = _field_cells(t, region)
    headers: list[_ListHeader] = []
    for part in t.lists:
        start = None
        while (h := _list_header(part, region, start)) is not None:
            headers.append(h)
            start = h.bottom + 1
    ctx.scale = amount_scale(t, sheet, region.rows(), region.top + 3, ctx.file, ctx.notices, ctx.file_unit)
    stops = {(lb.r, lb.c) for lb in labels}
    # a list's header is no field's content: a text left blank above it (表15's 年度目标) is blank, not “指标内容”
    stops |= {(r, c) for h in headers for r in range(h.top, h.bottom + 1) for c in range(len(sheet.rows[r]))}
    events = sorted([(lb.r, lb.c, lb) for lb in labels] + [(h.top, -1, h) for h in headers], key=lambda e: e[:2])
    first = t.parts[0].name if t.parts and t.parts[0].kind == "field" else None
    forms: list[_Form] = []
    for _, _, event in events:
        if isinstance(event, _Label):
            part = event.part
            if not forms or (part.name == first and first in forms[-1].filled):
                forms.append(_Form(len(forms) + 1))
            form = forms[-1]
            twin = next((p for p in t.parts if p.kind == "field" and p.name not in form.filled
                         and p.names() & part.names()), None)  # 表15: the second “其中：财政拨款” is the 年度 one
            if twin is None:
                continue  # printed again (a note quoting the name): the first one counts
            form.filled.add(twin.name)
            form.rows.append(_field_row(twin, event, region, stops, ctx))
        else:
            if not forms:
                forms.append(_Form(1))
            forms[-1].rows += _list_rows(event, region, ctx, stops, headers)
            forms[-1].filled.add(event.part.name)
    several = len(forms) > 1
    rows = []
    for form in forms:
        rows += _complete(t, form, several)
    return Table(t, rows or _complete(t, _Form(1), False), sheet=sheet.name)


def _complete(t: TableSpec, form: _Form, several: bool) -> list[Row]:
    """The form's rows in the order of the spec's parts; a field not printed is an empty row (no cell)."""
    got = {r.key: r for r in form.rows if r.key and r.side is None}
    out: list[Row] = []
    for part in t.parts:
        if part.kind == "field":
            row = got.get(part.name) or Row(name=part.label or part.name, key=part.name,
                                            values={AMOUNT_KEY: Value(ZERO)} if part.amount else {},
                                            texts={} if part.amount else {TEXT_KEY: ""})
            out.append(row)
        else:
            out += [r for r in form.rows if r.side == part.name]
    for row in out:
        row.group = form.group if several else None
    return out


def _field_row(part: PartSpec, label: _Label, region: Region, stops: set[tuple[int, int]], ctx: _Context) -> Row:
    sheet = region.sheet
    row = Row(name=part.label or part.name, key=part.name, values={}, cell=CellRef(sheet.name, coord(label.r, label.c)))
    r, c = label.r, label.c
    if label.inline is None:
        r, c = _content_cell(sheet, label.r, label.c, stops, region, below=not part.amount)
    if part.amount:
        if label.inline is not None:
            value = _inline_amount(label, part, region, ctx)
        else:
            value = _amount(region, r, c, ctx)
        row.values[AMOUNT_KEY] = value
    else:
        row.texts[TEXT_KEY] = label.inline if label.inline is not None else sheet.text(r, c)
        row.text_cells[TEXT_KEY] = CellRef(sheet.name, coord(r, c))
    return row


def _inline_amount(label: _Label, part: PartSpec, region: Region, ctx: _Context) -> Value:
    from .amounts import AmountError, parse_amount

    try:
        amount = parse_amount(label.inline or None)
    except AmountError as exc:
        raise InputError(f"{part.label or part.name}的金额{exc}", file=ctx.file, sheet=region.sheet.name,
                         cell=coord(label.r, label.c)) from None
    return Value(amount, CellRef(region.sheet.name, coord(label.r, label.c)))


def _content_cell(sheet: Sheet, r: int, c: int, stops: set[tuple[int, int]], region: Region,
                  below: bool) -> tuple[int, int]:
    """Where a field's content stands: the next filled cell to its right; for a text, below it when the name
    stands in a row of names (表15: “实施期总目标 | 年度目标” over the two texts: the next filled cell to
    its left or right is another name); else the cell right of the name (empty: the field is not filled)."""
    width = len(sheet.rows[r])
    right = next((x for x in range(c + 1, width) if sheet.value(r, x) is not None), None)
    if right is not None and (r, right) not in stops:
        return r, right
    left = next((x for x in range(c - 1, -1, -1) if sheet.value(r, x) is not None), None)
    if below and (right is not None or (left is not None and (r, left) in stops)):
        y = next((y for y in range(r + 1, min(r + 4, region.bottom)) if sheet.value(y, c) is not None), None)
        if y is not None and (y, c) not in stops:
            return y, c
    return r, _after_merge(sheet, r, c)


def _after_merge(sheet: Sheet, r: int, c: int) -> int:
    for r1, c1, r2, c2 in sheet.merged:
        if r1 <= r <= r2 and c1 <= c <= c2:
            return c2 + 1
    return c + 1


def _list_rows(h: _ListHeader, region: Region, ctx: _Context, stops: set[tuple[int, int]],
               headers: list[_ListHeader]) -> list[Row]:
    sheet = region.sheet
    part = h.part
    columns = [c for c in part.columns if c.name in h.columns]
    name_col = next((c for c in columns if c.name == part.name_column), None) or \
        next((c for c in columns if not c.fill_down), columns[0])
    ends = [x.top for x in headers if x.top > h.top] + [r for r, _ in stops if r > h.bottom]
    end = min(ends + [region.bottom])
    carried: dict[str, tuple[str, CellRef]] = {}
    rows: list[Row] = []
    for r in range(h.bottom + 1, end):
        if _is_note(next((t for t in (sheet.text(r, x) for x in range(len(sheet.rows[r]))) if t), "")):
            break
        texts: dict[str, str] = {}
        cells: dict[str, CellRef] = {}
        values: dict[str, Value] = {}
        own = False  # the row has something of its own, not only carried-down levels
        for column in columns:
            c = h.columns[column.name]
            ref = CellRef(sheet.name, coord(r, c))
            if column.amount:
                values[column.name] = _amount(region, r, c, ctx)
                own = own or sheet.value(r, c) is not None
                continue
            text = _merged_text(sheet, r, c)
            if column.fill_down:
                if text:
                    carried[column.name] = (text, ref)
                text, ref = carried.get(column.name, ("", ref))
            else:
                own = own or bool(text)
            texts[column.name], cells[column.name] = text, ref
        if not own:
            continue
        first = texts.get(name_col.name, "") if not name_col.amount else ""
        key = part.total if part.total and normalize_label(first) == normalize_label(part.total) else None
        if key:  # the total row (金额合计): its name is no text of its own
            texts, cells = {}, {}
        rows.append(Row(name=first, key=key, side=part.name, values=values, texts=texts, text_cells=cells,
                        cell=cells.get(name_col.name) or CellRef(sheet.name, coord(r, h.columns[name_col.name]))))
    return rows


def _merged_text(sheet: Sheet, r: int, c: int) -> str:
    text = sheet.text(r, c)
    if text:
        return text
    for r1, c1, r2, c2 in sheet.merged:
        if r1 < r <= r2 and c1 <= c <= c2:
            return sheet.text(r1, c1)
    return ""


PARSERS = {"units": parse_units, "text": parse_text}
