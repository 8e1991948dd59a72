"""Find the nine 公开表 in raw sheet grids and read them into Tables, by label and 科目代码.

Used for both the finance bureau's exports (importer) and our own template workbooks (reader), so
there is one way to read a table: locate its title or 编号, find the 栏次 row (or the 科目代码 header
for 06), map 栏次 numbers to columns, then read each row by its label/行次 or code — never by position.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from .amounts import ZERO, AmountError, parse_amount
from .errors import InputError
from .grid import Sheet, coord
from .model import CellRef, Row, Table, Value
from .specs import LayoutSpec, RowSpec, SideSpec, TableSpec, normalize_label

_NUMBER_RE = re.compile(r"公开0?([1-9])表")
_UNIT_RE = re.compile(r"单位[:：]\s*(万元|元)")
_UNIT_NAME_RE = re.compile(r"(?:编制单位|编制部门|单位名称|^部门)[:：]\s*(.+?)(?:\s{2,}|金额单位|单位[:：]|\d{4}年|$)")
_YEAR_RE = re.compile(r"(20\d\d)\s*年度")
_CODE_HEADERS = {"科目代码", "科目编码", "功能分类科目编码", "功能分类科目代码", "经济分类科目编码", "经济分类科目代码"}
_TOTAL_LABELS = {"合计", "总计"}
_YUAN_TO_WAN = Decimal(10000)


@dataclass
class Region:
    """Where one table stands: a sheet and the rows from its title down to the next table."""

    sheet: Sheet
    top: int
    bottom: int  # exclusive

    def rows(self, start: int | None = None) -> range:
        return range(self.top if start is None else start, self.bottom)


@dataclass
class _Anchor:
    table_id: str
    row: int


@dataclass
class ParsedHeader:
    """What a table's header says: where the 栏次 row is and which column holds what."""

    header_row: int
    scale: Decimal = Decimal(1)  # ÷ 10000 when the export is in 元
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------- locating

def find_anchors(sheet: Sheet, spec: LayoutSpec) -> list[_Anchor]:
    """Rows where a table's title or 公开编号 stands, one anchor per table run."""
    titles = sorted(((normalize_label(t.title), t.id) for t in spec.tables.values()), key=lambda x: -len(x[0]))
    hits: list[_Anchor] = []
    for r, row in enumerate(sheet.rows):
        for c, raw in enumerate(row):
            if not isinstance(raw, str) or not raw.strip():
                continue
            text = normalize_label(raw)
            if len(text) > 60 or text.startswith(("注", "说明")):
                continue
            m = _NUMBER_RE.search(text)
            table_id = f"0{m.group(1)}" if m and f"0{m.group(1)}" in spec.tables else None
            if table_id is None:
                table_id = next((tid for title, tid in titles if text.endswith(title)), None)
            if table_id:
                hits.append(_Anchor(table_id, r))
    # a title and its 编号 a few rows apart are one anchor
    merged: list[_Anchor] = []
    for a in sorted(hits, key=lambda a: a.row):
        if merged and merged[-1].table_id == a.table_id and a.row - merged[-1].row <= 4:
            continue
        merged.append(a)
    return merged


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

def _amount(region: Region, r: int, c: int, scale: Decimal, file) -> Value:
    try:
        amount = parse_amount(region.sheet.value(r, c))
    except AmountError as exc:
        raise InputError(f"金额{exc}", file=file, sheet=region.sheet.name, cell=coord(r, c)) from None
    if scale != 1:
        amount = amount / scale
    return Value(amount, CellRef(region.sheet.name, coord(r, c)))


def _line_number(raw: object) -> int | None:
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):  # a 行次 or 栏次 number read from a numeric cell
        return int(raw) if raw.is_integer() else None
    text = str(raw).strip()
    return int(text) if text.isdigit() else None


def _is_note(text: str) -> bool:
    return text.startswith(("注", "说明", "备注"))


def _first_text(sheet: Sheet, r: int) -> str:
    return next((t for t in (sheet.text(r, c) for c in range(len(sheet.rows[r]))) if t), "")


def _scale(region: Region, until: int) -> Decimal:
    for r in region.rows():
        if r >= until:
            break
        for c in range(len(region.sheet.rows[r])):
            m = _UNIT_RE.search(region.sheet.text(r, c).replace(" ", ""))
            if m:
                return _YUAN_TO_WAN if m.group(1) == "元" else Decimal(1)
    return Decimal(1)


def _lanci_row(region: Region) -> int | None:
    for r in region.rows():
        if any(normalize_label(v) == "栏次" for v in region.sheet.rows[r]):
            return r
    return None


def _require_lanci_row(t: TableSpec, region: Region, file) -> int:
    r = _lanci_row(region)
    if r is None:
        raise InputError(f"{t.number}（{t.title}）没有“栏次”行，无法确定各栏位置", file=file,
                         sheet=region.sheet.name, row=region.top + 1)
    return r


def _lanci_columns(region: Region, r: int) -> dict[int, int]:
    """栏次 number -> column index, read from the 栏次 row."""
    out: dict[int, int] = {}
    for c, raw in enumerate(region.sheet.rows[r]):
        n = _line_number(raw)
        if n is not None and n > 0:
            out[n] = c
    return out


def _require_columns(t: TableSpec, found: dict[int, int], region: Region, r: int, file) -> None:
    wanted = {c.lanci for c in t.value_columns}
    missing = sorted(wanted - set(found))
    extra = sorted(set(found) - wanted)
    if missing:
        raise InputError(f"{t.number}的栏次行缺少栏次 {'、'.join(map(str, missing))}（应有 1–{max(wanted)}）",
                         file=file, sheet=region.sheet.name, row=r + 1)
    if extra:
        raise InputError(f"{t.number}的栏次行有表样中没有的栏次 {'、'.join(map(str, extra))}，"
                         "请确认表样年度或删除多余的列", file=file, sheet=region.sheet.name, row=r + 1)


# ---------------------------------------------------------------- fixed tables (01, 04, 09)

@dataclass
class _FoundSide:
    spec: SideSpec
    label_col: int
    line_col: int | None
    value_cols: dict[str, int]  # column name -> index


def _fixed_sides(t: TableSpec, region: Region, lanci_row: int, file) -> list[_FoundSide]:
    sheet = region.sheet
    found = _lanci_columns(region, lanci_row)
    _require_columns(t, found, region, lanci_row, file)
    label_cols = [c for c, v in enumerate(sheet.rows[lanci_row]) if normalize_label(v) == "栏次"]
    sides = []
    for side in t.sides:
        first_value = min(found[c.lanci] for c in side.columns)
        label_col = max((c for c in label_cols if c < first_value), default=None)
        if label_col is None:
            raise InputError(f"{t.number}的栏次行找不到“{side.name}”一侧的项目列", file=file,
                             sheet=sheet.name, row=lanci_row + 1)
        line_col = None
        if side.has_lines:
            for r in range(region.top, lanci_row):
                for c in range(label_col + 1, first_value):
                    if normalize_label(sheet.value(r, c)) == "行次":
                        line_col = c
        sides.append(_FoundSide(side, label_col, line_col, {c.name: found[c.lanci] for c in side.columns}))
    return sides


def _parse_fixed(t: TableSpec, region: Region, file) -> Table:
    sheet = region.sheet
    lanci_row = _require_lanci_row(t, region, file)
    scale = _scale(region, lanci_row)
    sides = _fixed_sides(t, region, lanci_row, file)
    got: dict[tuple[str, str], Row] = {}
    for fs in sides:
        previous: tuple[RowSpec, str] | None = None
        pending = ""  # a label wrapped over two rows, first half
        for r in region.rows(lanci_row + 1):
            if _is_note(_first_text(sheet, r)):
                break
            label = sheet.text(r, fs.label_col)
            line = _line_number(sheet.value(r, fs.line_col)) if fs.line_col is not None else None
            values = {name: _amount(region, r, c, scale, file) for name, c in fs.value_cols.items()}
            has_values = any(v.amount != 0 for v in values.values())
            if not label and line is None and not has_values:
                continue
            if line is None and not has_values and previous and _continues(previous, label):
                continue
            row_spec = _resolve_fixed(fs.spec, pending + label if pending else label, line)
            if row_spec is None and line is None and not has_values and not _matches_any(fs.spec, label):
                pending += label
                continue
            pending = ""
            where = dict(file=file, sheet=sheet.name, row=r + 1)
            if row_spec is None:
                raise InputError(f"{t.number}“{fs.spec.name}”一侧有表样中没有的项目“{label or line}”", **where)
            if row_spec.blank:
                if has_values:
                    raise InputError(f"{t.number}行次 {row_spec.line} 是空行，不应填金额", **where)
                continue
            if (fs.spec.name, row_spec.key) in got:
                raise InputError(f"{t.number}的“{row_spec.label}”出现了两次", **where)
            got[(fs.spec.name, row_spec.key)] = Row(
                name=row_spec.label, key=row_spec.key, code=row_spec.code, line=row_spec.line,
                side=fs.spec.name if len(t.sides) > 1 else None, values=values,
                cell=CellRef(sheet.name, coord(r, fs.label_col)))
            previous = (row_spec, label)
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


def _matches_any(side: SideSpec, label: str) -> bool:
    return any(rs.matches(label) for rs in side.rows)


def _continues(previous: tuple[RowSpec, str], label: str) -> bool:
    """'出' under '二十二、灾害防治及应急管理支' is the rest of a wrapped label."""
    spec_row, printed = previous
    return bool(label) and any(normalize_label(printed + label) == normalize_label(x)
                               for x in (spec_row.label, *spec_row.aliases))


def _resolve_fixed(side: SideSpec, label: str, line: int | None) -> RowSpec | None:
    """Which spec row a printed row is: by 行次 when there is one (its label must agree), else by label."""
    if line is not None:
        rs = side.by_line(line)
        if rs is None:
            return None
        if not label or rs.blank and not normalize_label(label):
            return rs
        if rs.matches(label) or _truncated(rs, label):
            return rs
        return None
    candidates = [rs for rs in side.rows if rs.matches(label) or _truncated(rs, label)]
    return candidates[0] if candidates else None


def _truncated(rs: RowSpec, label: str) -> bool:
    norm = normalize_label(label)
    return len(norm) >= 4 and any(normalize_label(x).startswith(norm) for x in (rs.label, *rs.aliases) if x)


# ---------------------------------------------------------------- coded tables (02, 03, 05, 07, 08)

_CODE_IN_TEXT = re.compile(r"^(\d{3,7})\s*(.*)$")


def _parse_coded(t: TableSpec, region: Region, file) -> Table:
    sheet = region.sheet
    lanci_row = _require_lanci_row(t, region, file)
    scale = _scale(region, lanci_row)
    found = _lanci_columns(region, lanci_row)
    _require_columns(t, found, region, lanci_row, file)
    value_cols = {c.name: found[c.lanci] for c in t.columns}
    first_value = min(value_cols.values())
    code_col = name_col = None
    for r in range(region.top, lanci_row):
        for c in range(first_value):
            text = normalize_label(sheet.value(r, c))
            if text in _CODE_HEADERS:
                code_col = c
            elif text == "科目名称":
                name_col = c
    if code_col is None:
        code_col = next(c for c, v in enumerate(sheet.rows[lanci_row]) if normalize_label(v) == "栏次")
    if name_col is None or name_col == code_col:
        name_col = code_col + 1

    total: Row | None = None
    by_code: dict[str, Row] = {}
    last: Row | None = None
    last_blank = False  # the last row had its values left empty: a wrapped row may carry them
    for r in region.rows(lanci_row + 1):
        code_text = sheet.text(r, code_col)
        name_text = sheet.text(r, name_col)
        if _is_note(code_text) or (not code_text and _is_note(name_text)):
            break
        values = {name: _amount(region, r, c, scale, file) for name, c in value_cols.items()}
        blank_values = all(sheet.value(r, c) is None for c in value_cols.values())
        where = dict(file=file, sheet=sheet.name, row=r + 1)
        m = _CODE_IN_TEXT.match(code_text.replace(" ", "")) if code_text else None
        if normalize_label(code_text) in _TOTAL_LABELS or (not code_text and normalize_label(name_text) in _TOTAL_LABELS):
            if total is not None:
                raise InputError(f"{t.number}有两行“合计”", **where)
            total = last = Row(name="合计", key="合计", values=values, cell=CellRef(sheet.name, coord(r, code_col)))
            last_blank = blank_values
        elif m:
            code, rest = m.group(1), m.group(2)
            if len(code) not in (3, 5, 7):
                raise InputError(f"科目代码“{code}”位数不对（功能分类科目代码应为 3、5 或 7 位）",
                                 file=file, sheet=sheet.name, cell=coord(r, code_col))
            if code in by_code:
                raise InputError(f"{t.number}的科目代码 {code} 出现了两次", file=file, sheet=sheet.name,
                                 cell=coord(r, code_col))
            name = (rest + name_text) if rest and name_col != code_col else (name_text or rest)
            last = by_code[code] = Row(name=name, code=code, values=values,
                                       cell=CellRef(sheet.name, coord(r, code_col)))
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
            raise InputError(f"{t.number}的科目代码列里有无法识别的内容“{code_text}”（应为 3/5/7 位数字或“合计”）",
                             file=file, sheet=sheet.name, cell=coord(r, code_col))
    if total is None:
        total = Row(name="合计", key="合计", values={c.name: Value(ZERO) for c in t.columns})
    rows = [total] + [by_code[c] for c in sorted(by_code)]
    return Table(t, rows, sheet=sheet.name)


# ---------------------------------------------------------------- 经济分类 table (06)

def _parse_economic(t: TableSpec, region: Region, file) -> Table:
    sheet = region.sheet
    header_row = None
    blocks: list[tuple[int, int, int]] = []  # (code col, name col, value col)
    for r in region.rows():
        code_cols = [c for c, v in enumerate(sheet.rows[r]) if normalize_label(v) in _CODE_HEADERS]
        if code_cols:
            header_row = r
            # headers of merged multi-row cells may sit one row lower: look at the next row too
            for i, c in enumerate(code_cols):
                end = code_cols[i + 1] if i + 1 < len(code_cols) else len(sheet.rows[r])
                value_col = next((x for x in range(c + 1, end) for rr in (r, r + 1)
                                  if normalize_label(sheet.value(rr, x)) in {t.value_name, "决算数", "金额"}), c + 2)
                name_col = next((x for x in range(c + 1, value_col)
                                 if normalize_label(sheet.value(r, x)) == "科目名称"), c + 1)
                blocks.append((c, name_col, value_col))
            break
    if header_row is None:
        raise InputError(f"{t.number}（{t.title}）没有“科目代码”表头", file=file, sheet=sheet.name,
                         row=region.top + 1)
    scale = _scale(region, header_row)
    names = t.economic_codes()
    total_labels = {x.label for x in t.totals}
    got: dict[str, Row] = {}
    for r in region.rows(header_row + 1):
        if _is_note(_first_text(sheet, r)):
            break
        for code_col, name_col, value_col in blocks:
            code_text = sheet.text(r, code_col).replace(" ", "")
            name_text = normalize_label(sheet.value(r, name_col))
            value = _amount(region, r, value_col, scale, file)
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
            elif normalize_label(code_text) in _CODE_HEADERS or value.amount == 0:
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


def _has_header(t: TableSpec, region: Region) -> bool:
    if t.kind == "economic":
        return any(normalize_label(v) in _CODE_HEADERS for r in region.rows() for v in region.sheet.rows[r])
    return _lanci_row(region) is not None


def parse_tables(sheets: list[Sheet], spec: LayoutSpec, file=None, progress: list | None = None) -> dict[str, Table]:
    """Every table of the spec, read from the sheets. `progress` collects the ids read so far, so a
    caller trying several layouts can tell how far each got."""
    regions = find_regions(sheets, spec)
    tables: dict[str, Table] = {}
    for tid, t in spec.tables.items():
        candidates = regions.get(tid, [])
        region = next((g for g in candidates if _has_header(t, g)), candidates[0] if candidates else None)
        if region is None:
            raise InputError(f"没有找到{t.number}“{t.title}”：任何工作表中都没有这张表的标题或编号", file=file)
        tables[tid] = _PARSERS[t.kind](t, region, file)
        if progress is not None:
            progress.append(tid)
    return tables


def guess_unit_name_and_year(sheets: list[Sheet]) -> tuple[str | None, int | None]:
    """编制单位 and 年度 as printed above the tables (the most frequent, to outvote a stray cell)."""
    names: Counter[str] = Counter()
    years: Counter[int] = Counter()
    for sheet in sheets:
        for r, row in enumerate(sheet.rows[:200]):
            for c, raw in enumerate(row):
                if not isinstance(raw, str):
                    continue
                text = raw.replace("\u3000", " ").strip()
                m = _UNIT_NAME_RE.search(text)
                if m and m.group(1).strip():
                    names[m.group(1).strip()] += 1
                y = _YEAR_RE.search(text)
                if y:
                    years[int(y.group(1))] += 1
    name = names.most_common(1)[0][0] if names else None
    year = years.most_common(1)[0][0] if years else None
    return name, year
