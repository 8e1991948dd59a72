"""The typed model every capability reads: a Report of its kind's Tables (决算 公开01–09表, 预算 表1–表15);
every amount is a Decimal that knows the cell it came from."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
from msgspec import field

from .amounts import ZERO, to_plain
from .specs import LayoutSpec, TableSpec

if TYPE_CHECKING:
    from .inputs import Inputs
    from .labels import Label
    from .perf.model import Performance


class CellRef(msgspec.Struct, frozen=True):
    """A cell of the workbook: sheet name and A1 coordinate."""

    sheet: str
    coord: str  # "C7"

    def __str__(self) -> str:
        return f"{self.sheet}!{self.coord}"


class Value(msgspec.Struct, frozen=True):
    """A printed amount and the cell it was read from."""

    amount: Decimal
    cell: CellRef | None = None


class Row(msgspec.Struct):
    """One printed row. Fixed rows carry a key (and 行次); coded and 经济分类 rows carry a code; 预算 单位 rows
    their 单位编码 as code; text rows (绩效目标, 政府采购) their texts."""

    name: str
    values: dict[str, Value]
    key: str | None = None
    code: str | None = None
    line: int | None = None  # 行次
    side: str | None = None  # 收入 / 支出 for two-sided tables; the side or list (指标, 任务) of 预算 tables
    cell: CellRef | None = None  # where the row's label or code stands
    gov_code: str | None = None  # 预算 表6/表8: the 政府预算支出经济分类 code printed next to the 部门 code
    gov_name: str | None = None
    texts: dict[str, str] = field(default_factory=dict)  # text columns (备注, 项目简介, 指标值 …) and text fields
    text_cells: dict[str, CellRef] = field(default_factory=dict)
    unit_code: str | None = None  # 预算 表10: a project row's unit (the 单位编码 printed above it)
    group: int | None = None  # 预算 表13/表15: which project's form (1, 2 … when the table is continued)

    def amount(self, column: str) -> Decimal:
        value = self.values.get(column)
        return value.amount if value else ZERO

    @property
    def is_empty(self) -> bool:
        return all(v.amount == 0 for v in self.values.values()) and not any(self.texts.values())

    @property
    def level(self) -> str | None:
        """类/款/项 from the length of a 功能分类 code."""
        return {3: "类", 5: "款", 7: "项"}.get(len(self.code or ""))

    def to_json(self) -> dict:
        out: dict = {"label": self.key} if self.key else {}
        if self.code:
            out["code"] = self.code  # 科目 rows; also the 类 rows of 01/04, next to their label
        out.update({
            "name": self.name,
            "行次": self.line,
            "values": {k: to_plain(v.amount) for k, v in self.values.items()},
            "cell": str(self.cell) if self.cell else None,
            "cells": {k: str(v.cell) if v.cell else None for k, v in self.values.items()},
        })
        if self.side:
            out["side"] = self.side
        if self.gov_code is not None or self.gov_name is not None:
            out["gov_code"], out["gov_name"] = self.gov_code, self.gov_name
        if self.unit_code:
            out["unit_code"] = self.unit_code
        if self.texts or self.text_cells:
            out["texts"] = dict(self.texts)
            out["text_cells"] = {k: str(v) for k, v in self.text_cells.items()}
        if self.group is not None:
            out["group"] = self.group
        return out


class Table(msgspec.Struct):
    """One table of a report: its spec and printed rows."""

    spec: TableSpec
    rows: list[Row]
    sheet: str | None = None

    @property
    def id(self) -> str:
        return self.spec.id

    def row(self, key_or_code: str, side: str | None = None) -> Row | None:
        for r in self.rows:
            if key_or_code in (r.key, r.code) and (side is None or r.side == side):
                return r
        return None

    def rows_by_name(self) -> dict[str, Row]:
        """key or code -> the row row() finds for it (any side): for looking up many in one table (06 has
        about a hundred items; a row() each is a scan each)."""
        found: dict[str, Row] = {}
        for r in self.rows:
            for name in (r.key, r.code):
                if name is not None:
                    found.setdefault(name, r)
        return found

    def code_rows(self) -> list[Row]:
        """The 科目 rows of a coded or 06 table (fixed tables' 类 rows have a key as well)."""
        return [r for r in self.rows if r.code and not r.key]

    @property
    def is_empty(self) -> bool:
        return all(r.is_empty for r in self.rows)

    def summary_rows(self) -> list[Row]:
        """The rows a person looks at first: totals (合计/总计) and, for small tables, every row."""
        if self.spec.kind == "fixed" and len(self.rows) <= 3:
            return list(self.rows)
        if self.spec.kind == "economic":
            return [r for r in self.rows if r.key]
        if self.spec.kind == "units":  # the 合计 row if printed, and the 部门 (the first 单位)
            return [r for r in self.rows if r.key] + [r for r in self.rows if r.code][:1]
        if self.spec.kind == "text":
            return [r for r in self.rows if r.key and any(v.amount for v in r.values.values())]
        return [r for r in self.rows if r.key and r.key.endswith(("合计", "总计"))]

    def to_json(self) -> dict:
        rows = [r.to_json() for r in self.rows]
        if self.spec.has_gov_codes:  # 预算 表6/表8: every row has the pair, null where none is printed (类 rows)
            for row in rows:
                row.setdefault("gov_code", None)
                row.setdefault("gov_name", None)
        return {"title": self.spec.title, "number": self.spec.number, "kind": self.spec.kind, "rows": rows}


class Report(msgspec.Struct):
    """One department's document: its tables, 说明数据 and where it was read from."""

    spec: LayoutSpec
    unit_name: str
    year: int
    tables: dict[str, Table]
    info: dict[str, str] = field(default_factory=dict)  # 联系电话 and other 封面 fields
    source: Path | None = None
    inputs: "Inputs | None" = None  # 说明数据 and 原因说明; None for a report built in memory
    notices: list = field(default_factory=list)  # import 提示 (disclosure.notices.Notice): labels, units
    acks: list = field(default_factory=list)  # acknowledged findings (acks.Ack), from the hidden _已确认 sheet
    labels: "list[Label]" = field(default_factory=list)  # 封面 fields, table titles, 编制单位 lines
    perf: "Performance | None" = None  # 绩效自评 / 绩效目标 tables (disclosure/perf); None when it has none
    pdf: "PdfSource | None" = None  # read from a published PDF (disclosure/pdfin): pages, places, its text

    @property
    def layout(self) -> str:
        return self.spec.layout

    @property
    def kind(self) -> str:
        """部门决算 or 部门预算."""
        return self.spec.kind

    def __repr__(self) -> str:  # the default would print every cell of nine tables
        return f"Report({self.unit_name!r}, {self.year}, layout={self.layout!r}, kind={self.kind!r})"

    def table(self, table_id: str) -> Table:
        return self.tables[table_id]

    def to_json(self) -> dict:
        order = [tid for tid in self.spec.tables if tid in self.tables]  # 表1 … 表15, not 表1, 表10, 表11 …
        order += sorted(set(self.tables) - set(order))
        return {
            "kind": self.kind,
            "unit": self.unit_name,
            "year": self.year,
            "layout": self.layout,
            "region": self.spec.region,
            "amount_unit": self.spec.unit,
            "tables": {tid: self.tables[tid].to_json() for tid in order},
        }
