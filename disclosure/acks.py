"""Acknowledged findings: the officer accepts one finding with a reason ("已核实，财政批复数如此").

An acknowledgement (Ack) names a rule and the cell a finding points at, and records every cell the
finding reads with a digest of their values at that moment. It lives in a hidden sheet of the workbook
(_已确认), so the command line, the window and the add-in all see the same. A finding is 已确认 while an
Ack matches its rule and cell AND the same cells still hold the same values; once any of them changes the
Ack has 已失效 (lapsed) and the finding counts again — shown with the old reason so the officer sees why
it came back. Only 错误 and 警告 can be acknowledged; a 提示 asks for nothing.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import msgspec

from .cells import put
from .errors import DisclosureError
from .grid import Sheet
from .guard import _column_number as column_index  # not openpyxl's: reading a workbook needs no openpyxl

if TYPE_CHECKING:
    from openpyxl import Workbook

    from .checks.engine import Finding
    from .model import Report

ACK_SHEET = "_已确认"
HEADERS = ["规则", "单元格", "原因", "确认日期", "涉及单元格", "校验值", "确认时的说明"]
ACKNOWLEDGED, LAPSED = "已确认", "已失效"
ACKABLE = ("错误", "警告")
_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


class Ack(msgspec.Struct, frozen=True):
    """One row of the _已确认 sheet. `current` is the digest of the same cells as the workbook holds
    them now (filled in on reading); it equals `digest` while nothing has changed."""

    rule: str
    cell: str  # 公开05表!C7
    reason: str
    day: str  # 2025-03-01
    cells: tuple[str, ...]  # every cell the finding read, sorted
    digest: str
    message: str = ""  # the finding as it read when acknowledged
    current: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.rule, self.cell)


class Acknowledgement(msgspec.Struct, frozen=True):
    """What a Finding carries in its `ack` field: the officer's reason, and whether it still holds."""

    reason: str
    day: str
    lapsed: str = ""  # why the ack no longer holds; "" while it does
    then: str = ""  # the finding's message when it was acknowledged

    @property
    def status(self) -> str:
        return LAPSED if self.lapsed else ACKNOWLEDGED

    def to_json(self) -> dict:
        out = {"status": self.status, "reason": self.reason, "date": self.day}
        if self.lapsed:
            out["lapsed"] = self.lapsed
        return out


def acknowledged(f: "Finding") -> bool:
    """The finding was accepted by the officer and nothing it reads has changed since."""
    ack = getattr(f, "ack", None)  # lint findings carry none
    return ack is not None and not ack.lapsed


def open_findings(findings: Iterable["Finding"], severity: str | None = None) -> list["Finding"]:
    """The findings still to deal with (of one severity when given): not acknowledged."""
    return [f for f in findings if not acknowledged(f) and (severity is None or f.severity == severity)]


def checked(report: "Report") -> list["Finding"]:
    """Every finding of the report, with the acknowledgements of its workbook applied."""
    from .checks import run

    return apply(run(report), report.acks)


def apply(findings: list["Finding"], acks: Iterable[Ack]) -> list["Finding"]:
    """Set each finding's `ack` from the Ack of its rule and cell (if any); returns the same list."""
    by_key: dict[tuple[str, str], list[Ack]] = {}
    for a in acks:
        by_key.setdefault(a.key, []).append(a)
    for f in findings:
        f.ack = None
        found = by_key.get((f.rule, str(f.cell))) if f.cell else None
        if not found:
            continue
        cells = _cells_of(f)
        ack = next((a for a in found if a.cells == cells), found[0])
        if ack.cells != cells:
            why = "问题涉及的单元格已变化"
        elif ack.current != ack.digest:
            why = "所涉单元格的数已改变"
        else:
            why = ""
        f.ack = Acknowledgement(ack.reason, ack.day, why, ack.message)
    return findings


def _cells_of(f: "Finding") -> tuple[str, ...]:
    return tuple(sorted({str(c) for c in (f.cells or [f.cell]) if c}))


# ---------------------------------------------------------------- cell values and their digest

def _canonical(value: object) -> str:
    """One spelling per value whoever read the cell (calamine, openpyxl, xlwings): 60, 60.0 and
    Decimal('60.00') are the same number."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float, Decimal)):  # through str(): never float arithmetic on an amount
        return format(Decimal(str(value)).normalize(), "f")
    return str(value).strip()


class CellValues:
    """Values of cells addressed as 公开05表!C7, from the sheets as read."""

    def __init__(self, sheets: Iterable[Sheet]):
        self.sheets = {s.name: s for s in sheets}

    def __call__(self, ref: str) -> str:
        sheet_name, _, where = ref.rpartition("!")
        sheet = self.sheets.get(sheet_name)
        m = _A1.match(where)
        if sheet is None or not m:
            return ""
        return _canonical(sheet.value(int(m.group(2)) - 1, column_index(m.group(1)) - 1))

    def digest(self, cells: Iterable[str]) -> str:
        text = "\n".join(f"{c}={self(c)}" for c in cells)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------- the hidden sheet

def read(sheets: list[Sheet]) -> list[Ack]:
    """The acks of the _已确认 sheet, each with the current digest of its cells. Rows not understood
    are left out: an ack that cannot be read is simply not honoured (the finding shows again)."""
    sheet = next((s for s in sheets if s.name == ACK_SHEET), None)
    if sheet is None or sheet.height == 0:
        return []
    cols = {sheet.text(0, c): c for c in range(len(sheet.rows[0]))}
    if not {"规则", "单元格", "原因", "涉及单元格", "校验值"} <= set(cols):
        return []
    values = CellValues(sheets)
    out = []
    for r in range(1, sheet.height):
        def text(name: str) -> str:
            return sheet.text(r, cols[name]) if name in cols else ""

        rule, cell, reason = text("规则"), text("单元格"), text("原因")
        if not (rule and cell and reason):
            continue
        cells = tuple(c for c in text("涉及单元格").split("\n") if c)
        out.append(Ack(rule, cell, reason, text("确认日期"), cells, text("校验值"), text("确认时的说明"),
                       values.digest(cells)))
    return out


def rows(acks: list[Ack]) -> list[list[str]]:
    """The sheet's content from A1: a header row, then one row per ack."""
    return [HEADERS] + [[a.rule, a.cell, a.reason, a.day, "\n".join(a.cells), a.digest, a.message]
                        for a in sorted(acks, key=lambda a: (a.cell, a.rule))]


def write_sheet(wb: "Workbook", acks: list[Ack]) -> None:
    """Replace the hidden _已确认 sheet of an openpyxl workbook (removed when no ack is left)."""
    if ACK_SHEET in wb.sheetnames:
        del wb[ACK_SHEET]
    if not acks:
        return
    ws = wb.create_sheet(ACK_SHEET)
    ws.sheet_state = "hidden"
    for r, row in enumerate(rows(acks), start=1):
        for c, value in enumerate(row, start=1):
            put(ws, r, c, value)  # a reason typed by a person: text, never a formula
    for letter, width in zip("ABCDEFG", (8, 20, 40, 12, 20, 18, 60)):
        ws.column_dimensions[letter].width = width


# ---------------------------------------------------------------- choosing findings and making acks

def parse_target(text: str) -> tuple[str, str | None, str]:
    """'T05.1@公开05表!C7' → ('T05.1', '公开05表', 'C7'); the sheet may be left out ('T05.1@C7').
    Full-width ＠ and ！ (typed with a Chinese input method) are accepted."""
    raw = text
    text = text.strip().replace("＠", "@").replace("！", "!")
    rule, at, where = text.partition("@")
    rule, where = rule.strip().upper(), where.strip()
    if not at or not rule or not where:
        raise DisclosureError(f"“{raw}”的写法应为 规则@单元格，例如 T05.1@公开05表!C7 或 T05.1@C7")
    sheet, bang, coord = where.rpartition("!")
    sheet = sheet.strip().strip("'").strip()
    m = _A1.match(coord.strip())
    if not m or (bang and not sheet):
        raise DisclosureError(f"“{where}”不是单元格地址，应写成 公开05表!C7 或 C7")
    if not int(m.group(2)):
        raise DisclosureError(f"“{where}”不是单元格地址：行号从 1 开始")
    return rule, sheet or None, f"{m.group(1).upper()}{int(m.group(2))}"


def resolve(findings: list["Finding"], target: str) -> list["Finding"]:
    """The current findings a RULE@CELL spelling names (usually one). Refused in Chinese when it names
    none, or names a cell of several sheets without saying which."""
    from .checks import rules as _registered  # noqa: F401  (importing registers every rule family)
    from .checks.engine import RULES

    rule, sheet, coord = parse_target(target)
    if rule not in RULES:
        raise DisclosureError(f"没有编号为“{rule}”的校验规则（规则目录见 docs/rules.md）")
    of_rule = [f for f in findings if f.rule == rule and f.cell]
    hits = [f for f in of_rule if f.cell.coord == coord and (sheet is None or f.cell.sheet == sheet)]
    if not hits:
        where = f"{sheet}!{coord}" if sheet else coord
        listed = "、".join(dict.fromkeys(str(f.cell) for f in of_rule))
        raise DisclosureError(f"当前校验结果中没有规则 {rule} 在 {where} 的问题，无法确认"
                              + (f"（该规则的问题在：{listed}）" if listed else "（该规则目前没有发现问题）"))
    sheets = sorted({f.cell.sheet for f in hits})
    if len(sheets) > 1:
        raise DisclosureError(f"单元格 {coord} 在多张表中都有规则 {rule} 的问题（{'、'.join(sheets)}），"
                              f"请写明工作表，例如 {rule}@{sheets[0]}!{coord}")
    return hits


def make(findings: list["Finding"], reason: str, sheets: list[Sheet], day: date | None = None) -> list[Ack]:
    """Acks of these findings with the reason, recording the values their cells hold now."""
    reason = (reason or "").strip()
    if not reason:
        raise DisclosureError("确认问题须写明原因，例如“已核实，财政批复数如此”")
    for f in findings:
        if f.cell is None:
            raise DisclosureError(f"规则 {f.rule} 的这个问题没有指向单元格，不能确认")
        if f.severity not in ACKABLE:
            raise DisclosureError(f"{f.rule} {f.cell} 是{f.severity}，不需要确认；只有错误和警告可以确认")
    values = CellValues(sheets)
    when = (day or date.today()).isoformat()
    out = []
    for f in findings:
        cells = _cells_of(f)
        digest = values.digest(cells)
        out.append(Ack(f.rule, str(f.cell), reason, when, cells, digest, f.message, digest))
    return out


def merged(existing: list[Ack], new: list[Ack]) -> list[Ack]:
    """existing with new added; a new ack replaces the old one of the same rule and cell."""
    keys = {a.key for a in new}
    return [a for a in existing if a.key not in keys] + list(new)


def without(existing: list[Ack], target: str) -> tuple[list[Ack], list[Ack]]:
    """(kept, removed) for a RULE@CELL spelling, matched against the stored acks (the finding itself
    may be gone)."""
    rule, sheet, coord = parse_target(target)
    gone = [a for a in existing if a.rule == rule and a.cell.rpartition("!")[2] == coord
            and (sheet is None or a.cell.rpartition("!")[0] == sheet)]
    if not gone:
        raise DisclosureError(f"工作簿中没有对 {target.strip()} 的确认，无需取消")
    if len({a.cell for a in gone}) > 1:
        raise DisclosureError(f"多张表的 {coord} 都有规则 {rule} 的确认（{'、'.join(sorted({a.cell for a in gone}))}），"
                              f"请写明工作表")
    return [a for a in existing if a not in gone], gone


# ---------------------------------------------------------------- on a workbook file

def acknowledge(path: str | Path, target: str, reason: str, day: date | None = None) -> list["Finding"]:
    """Acknowledge the finding(s) RULE@CELL of a workbook file with a reason: checked against the
    current findings, written to its hidden sheet (backup kept, file replaced atomically). Returns the
    acknowledged findings. Nothing is written when anything is refused."""
    from . import workbook
    from .grid import read_sheets

    path = Path(path)
    sheets = read_sheets(path)
    report = workbook.from_sheets(sheets, path)
    chosen = resolve(checked(report), target)
    new = make(chosen, reason, sheets, day)
    workbook.rewrite(path, lambda wb: write_sheet(wb, merged(report.acks, new)))
    return apply(chosen, new)


def withdraw(path: str | Path, target: str) -> list[Ack]:
    """Remove the ack(s) RULE@CELL from a workbook file; returns what was removed."""
    from . import workbook

    path = Path(path)
    report = workbook.read(path)
    kept, gone = without(report.acks, target)
    workbook.rewrite(path, lambda wb: write_sheet(wb, kept))
    return gone

