"""Where a table's columns stand, and in what unit its amounts are.

Columns: by the 栏次 row when the table has one (its numbers decide); otherwise by the header names, as
many real exports drop the 栏次 row — each value column is found by its lowest header name (its leaf:
“小计”, “决算数”), parents (“本年支出”) only breaking ties. When neither identifies a column, the
import is refused with the sheet and row.

Unit: “单位：万元” as printed; “单位：元” (or a header “决算数（元）”) is converted to 万元 with a 提示;
“千元” is refused, naming the cell.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable
from decimal import Decimal

import msgspec

from .errors import InputError
from .grid import Sheet, coord
from .notices import UNIT, Notice
from .specs import ColumnSpec, TableSpec, normalize_label

CODE_HEADERS = {"科目代码", "科目编码", "功能分类科目编码", "功能分类科目代码", "经济分类科目编码", "经济分类科目代码"}
LABEL_HEADER, LINE_HEADER, NAME_HEADER, LANCI = "项目", "行次", "科目名称", "栏次"
CODE_LEVELS = ("类", "款", "项")  # a code printed in three columns under 科目编码 (上海: 201 | 06 | 01)
YUAN_PER_WAN = Decimal(10000)
# “金额单位：元”, “单位:万元”, “金额单位：人民币元”, “单位：元人民币” — but not “编制单位：元宝山区医疗保障局”
_UNIT_LINE = re.compile(r"(?<!编制)单位[:：]?(?:人民币)?(万元|千元|元)(?:人民币)?(?![\u4e00-\u9fff])")
MIXED = "mixed"  # stated_unit(): the file's tables state different units
_UNIT_SUFFIX = re.compile(r"[（(](万元|千元|元)[）)]$")


class Columns(msgspec.Struct):
    """What the header of one table says."""

    data_start: int  # first body row
    header_row: int  # the 栏次 row, or the last header row: named in messages
    values: dict[int, int]  # 栏次 -> column index
    label_cols: list[int]  # fixed tables: the 项目 column of each side, left to right
    header_top: int  # first row to look for 行次 / 科目代码 headers in
    by_lanci: bool


def header_text(raw: object) -> str:
    """A header cell as compared: normalised, a unit suffix “（万元）” dropped."""
    return _UNIT_SUFFIX.sub("", normalize_label(raw))


def lanci_row(sheet: Sheet, rows: range) -> int | None:
    for r in rows:
        if any(normalize_label(v) == LANCI for v in sheet.rows[r]):
            return r
    return None


def line_number(raw: object) -> int | None:
    """A 行次 or 栏次 number, from a number or a digit text; None for anything else."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    text = normalize_label(raw)
    return int(text) if text.isdigit() else None


def locate(t: TableSpec, sheet: Sheet, rows: range, file) -> Columns:
    """The columns of table t, whose rows (title down to the next table) are `rows`."""
    r = lanci_row(sheet, rows)
    if r is not None and not t.lanci_row:  # 栏次 of a layout printing none are only numbers of our own
        raise InputError(f"{t.number}（{t.title}）印有“栏次”行，而这一表样的表不印栏次：请核对表样（--year、--region）",
                         file=file, sheet=sheet.name, row=r + 1)
    if r is not None:
        found = {n: c for c, raw in enumerate(sheet.rows[r]) if (n := line_number(raw)) is not None and n > 0}
        _require_lanci(t, found, sheet, r, file)
        labels = [c for c, v in enumerate(sheet.rows[r]) if normalize_label(v) == LANCI]
        return Columns(r + 1, r, found, labels, rows.start, by_lanci=True)
    block = header_block(t, sheet, rows)
    if block is None:
        raise InputError(f"{t.number}（{t.title}）没有“栏次”行，也找不到表头（{_some_headers(t)}），无法确定各栏位置",
                         file=file, sheet=sheet.name, row=rows.start + 1)
    top, bottom = block
    paths = header_paths(sheet, top, bottom)
    values, labels = _by_names(t, paths, sheet, bottom, file)
    return Columns(bottom + 1, bottom, values, labels, top, by_lanci=False)


# ---------------------------------------------------------------- 栏次 row

def _require_lanci(t: TableSpec, found: dict[int, int], sheet: Sheet, r: int, file) -> None:
    wanted = {c.lanci for c in t.value_columns}
    missing = sorted(wanted - set(found))
    extra = sorted(set(found) - wanted)
    if missing:
        raise InputError(f"{t.number}的栏次行缺少栏次 {'、'.join(map(str, missing))}（应有 1–{max(wanted)}）",
                         file=file, sheet=sheet.name, row=r + 1)
    if extra:
        raise InputError(f"{t.number}的栏次行有表样中没有的栏次 {'、'.join(map(str, extra))}，"
                         "请确认表样年度或删除多余的列", file=file, sheet=sheet.name, row=r + 1)


# ---------------------------------------------------------------- header names

def _value_words(t: TableSpec) -> set[str]:
    words: set[str] = set()
    for c in t.value_columns:
        words |= c.names() | {normalize_label(h) for h in c.header}
    return words


def _is_amount(raw: object) -> bool:
    """A number, a number as text, or a dash standing for zero: what data rows hold and headers never do."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return True
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(raw))).replace(",", "")
    return bool(re.fullmatch(r"[-+(]?\d+(\.\d+)?\)?|[-—–/]+", text))


def _numbered(raw: object) -> bool:
    """“一、一般公共预算财政拨款”: a numbered item is body, though its name may be a column's (上海 表四, blank)."""
    return isinstance(raw, str) and bool(re.match(r"[一二三四五六七八九十]+、", raw.strip()))


def _is_header_cell(text: str, words: set[str]) -> bool:
    """A header name, or two stacked header names written in one cell (“本年支出小计”)."""
    if text in words:
        return True
    return any(text.endswith(w) and text[: -len(w)] in words for w in words if len(w) >= 2)


def header_block(t: TableSpec, sheet: Sheet, rows: range) -> tuple[int, int] | None:
    """(first, last) header row: consecutive rows of header names and no numbers (a data row has some),
    naming at least one value column."""
    values = _value_words(t)
    words = values | {LABEL_HEADER, LINE_HEADER, NAME_HEADER, *CODE_HEADERS, *CODE_LEVELS, *(s.name for s in t.sides)}
    top = bottom = None
    named = False
    for r in rows:
        cells = [header_text(v) for v in sheet.rows[r] if v not in ("", None)]
        if not cells:
            continue
        if top is not None and _is_total_row(sheet.rows[r], sheet.rows[top]):
            break  # a 合计 row with its amounts still blank (a new template) is the body, not more header
        if not any(_is_amount(v) or _numbered(v) for v in sheet.rows[r] if v not in ("", None)) and \
                any(_is_header_cell(x, words) for x in cells):
            top = r if top is None else top
            bottom = r
            named = named or any(_is_header_cell(x, values) for x in cells)
        elif top is not None or r - rows.start > 12:
            break
    return (top, bottom) if top is not None and named else None


def _is_total_row(cells: list, top_cells: list) -> bool:
    """“合计”/“总计” standing in the table's first column (where the header's first name stands)."""
    first = next((c for c, v in enumerate(cells) if v not in ("", None)), None)
    head = next((c for c, v in enumerate(top_cells) if v not in ("", None)), None)
    return first is not None and head is not None and first <= head and header_text(cells[first]) in ("合计", "总计")


def header_paths(sheet: Sheet, top: int, bottom: int) -> dict[int, list[str]]:
    """Column -> its header names top-down; a merged header cell counts for every column it spans."""
    width = max(len(sheet.rows[r]) for r in range(top, bottom + 1))
    paths: dict[int, list[str]] = {}
    for c in range(width):
        path: list[str] = []
        for r in range(top, bottom + 1):
            text = header_text(_merged_value(sheet, r, c))
            if text and (not path or path[-1] != text):
                path.append(text)
        if path:
            paths[c] = path
    return paths


def _merged_value(sheet: Sheet, r: int, c: int) -> object:
    value = sheet.value(r, c)
    if value is not None:
        return value
    for r1, c1, r2, c2 in sheet.merged:
        if r1 <= r <= r2 and c1 <= c <= c2:
            return sheet.value(r1, c1)
    return None


def _by_names(t: TableSpec, paths: dict[int, list[str]], sheet: Sheet, r: int, file) -> tuple[dict, list[int]]:
    where = dict(file=file, sheet=sheet.name, row=r + 1)
    fixed = t.kind == "fixed"
    labels = sorted(c for c, p in paths.items() if p[-1] == LABEL_HEADER) if fixed else []
    if fixed and len(labels) != len(t.sides):
        raise InputError(f"{t.number}没有“栏次”行，表头中应有 {len(t.sides)} 个“项目”栏，找到 {len(labels)} 个，"
                         "无法确定各栏位置", **where)
    skip = {LABEL_HEADER, LINE_HEADER, NAME_HEADER, *CODE_HEADERS}
    groups = ([(side.columns, range(labels[i] + 1, labels[i + 1] if i + 1 < len(labels) else 10 ** 4))
               for i, side in enumerate(t.sides)] if fixed else [(t.columns, range(10 ** 4))])
    values: dict[int, int] = {}
    for specs, span in groups:
        free = {c: p for c, p in paths.items() if c in span and not skip & set(p)}
        values.update(_assign(t, specs, free, where))
    return values, labels


def _assign(t: TableSpec, columns: tuple[ColumnSpec, ...], free: dict[int, list[str]], where: dict) -> dict[int, int]:
    """栏次 -> column for one side: the leaf name first, then a leaf ending in the name (a header of two
    levels written in one cell); parents break a tie."""
    out: dict[int, int] = {}
    for exact in (True, False):
        for spec in columns:
            if spec.lanci in out:
                continue
            names = spec.names()
            hits = [c for c, p in free.items()
                    if (p[-1] in names if exact else any(p[-1].endswith(n) for n in names))]
            if len(hits) > 1:
                parents = [normalize_label(h) for h in spec.header[:-1]]
                score = {c: sum(h in "".join(free[c]) for h in parents) for c in hits}
                hits = [c for c in hits if score[c] == max(score.values())]
            if len(hits) == 1:
                out[spec.lanci] = hits[0]
                del free[hits[0]]
    missing = [c.header[-1] for c in columns if c.lanci not in out]
    if missing:
        raise InputError(f"{t.number}没有“栏次”行，表头中也找不到（或不止一个）“{'”“'.join(missing)}”栏，"
                         "无法确定各栏位置", **where)
    return out


def _some_headers(t: TableSpec) -> str:
    names = [c.header[-1] for c in t.value_columns][:3]
    return "如“" + "”“".join(names) + "”"


# ---------------------------------------------------------------- unit

def amount_scale(t: TableSpec, sheet: Sheet, rows: range, until: int, file, notices: list | None,
                 file_unit: Callable[[], str | None] | None = None) -> Decimal:
    """How many of the printed unit make one 万元: 1, or 10000 for 元 (with a 提示). The unit is looked for
    in the table's own rows above its body, else upward (one unit line above several tables); a table that
    states none is in the unit the file's other tables state (file_unit: stated_unit of the file) — a
    printout often says “单位：元” over its first table only, and read as 万元 its others are 10,000 times
    too large."""
    found = _units_in(sheet, range(rows.start, until)) or _units_in(sheet, range(rows.start - 1, -1, -1))[:1]
    if not found:
        unit = file_unit() if file_unit is not None else None
        if notices is not None and unit in ("元", MIXED):
            said = "其他表写明的元" if unit == "元" else "万元（本文件各表所写单位不一，请核对）"
            notices.append(Notice(f"{t.number}没有写明金额单位，已按{said}读取" + ("，换算为万元" if unit == "元" else ""),
                                  kind=UNIT, table=t.id, sheet=sheet.name))
        return YUAN_PER_WAN if unit == "元" else Decimal(1)
    unit, r, c, text = found[0]
    where = dict(file=file, sheet=sheet.name, cell=coord(r, c))
    other = next((f for f in found if f[0] != unit), None)
    if other is not None:
        raise InputError(f"{t.number}的金额单位前后不一：{coord(r, c)}“{text}”，{coord(other[1], other[2])}"
                         f"“{other[3]}”。请改成一致后再导入", **where)
    if unit == "千元":
        raise InputError(f"{t.number}的金额单位为千元（“{text}”）。本工具只能读万元或元：请在部门决算软件中"
                         "按万元或元重新导出", **where)
    if unit == "元":
        if notices is not None:
            notices.append(Notice(f"{t.number}的金额单位为元（“{text}”），已换算为万元（四舍五入保留两位小数）",
                                  kind=UNIT, table=t.id, sheet=sheet.name, cell=coord(r, c)))
        return YUAN_PER_WAN
    return Decimal(1)


def stated_unit(sheets: list[Sheet]) -> str | None:
    """The amount unit the file's unit lines and headers state (万元, 元, 千元), MIXED when they differ, None
    when there is none at all."""
    units = {u for sheet in sheets for u, *_ in _units_in(sheet, range(len(sheet.rows)))}
    return None if not units else units.pop() if len(units) == 1 else MIXED


def _units_in(sheet: Sheet, rows: range) -> list[tuple[str, int, int, str]]:
    """(unit, row, col, text) of every unit said in these rows: a unit line, or a header “决算数（元）”."""
    out = []
    for r in rows:
        for c, raw in enumerate(sheet.rows[r]):
            if not isinstance(raw, str) or "元" not in raw:  # most cells: no unit to look for
                continue
            text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
            m = _UNIT_LINE.search(text) or _UNIT_SUFFIX.search(text.replace("(", "（").replace(")", "）"))
            if m:
                out.append((m.group(1), r, c, raw.strip()))
    return out


def is_note(text: str) -> bool:
    """A note under (or in the last merged row of) a table: “注：…”, “说明：…”, or a sentence such as
    “本部门一般公共预算未安排…支出，此表为空表。” — never a 科目 or 单位 name."""
    return text.startswith(("注", "说明", "备注")) or (
        len(text) >= 10 and (text.endswith("。") or "空表" in text or "无数据" in text))
