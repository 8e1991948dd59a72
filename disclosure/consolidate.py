"""汇总: a 部门's 决算 consolidated from its units' workbooks (`disclosure consolidate`).

The units' base figures (consolidate_derive.py: the 项 of the 科目 tables, the 06 and 09 items, a few 01/04
balances) are summed by structure — 科目代码, 经济分类 code, 行次 key and 栏 — with pandas; every other figure is
derived from them, so the 汇总 adds up as one report. Each 汇总 cell keeps its provenance: the units and their
cells (for a derived figure, the units' own printing of it) and how it was obtained; consolidate_write.py puts
it in a hidden sheet of the 汇总 workbook. 说明数据: counts and amounts summed where every unit has them,
单位构成 from the units' names, texts left for the officer (consolidate_inputs.py).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import msgspec
from msgspec import field

from .amounts import ZERO
from .consolidate_derive import Derived, Fig, Key, base_of, cells_of, derive, to_tables
from .errors import DisclosureError
from .model import CellRef, Report, Value
from .specs import JUESUAN, layout_words


class Unit(msgspec.Struct):
    """One unit's workbook as read for a 汇总."""

    path: Path
    report: Report
    digest: str  # sha256 of the file: the same workbook under two names is one unit

    @property
    def name(self) -> str:
        return self.report.unit_name.strip() or self.path.stem


class Source(msgspec.Struct):
    unit: str
    cell: CellRef | None
    amount: Decimal


class Consolidation(msgspec.Struct):
    report: Report
    units: list[Unit]
    derived: Derived
    sources: dict[Key, list[Source]]  # the units' printed figures of each key
    summed_inputs: list[str] = field(default_factory=list)
    left_inputs: list[str] = field(default_factory=list)

    def how(self, key: Key) -> str:
        return self.derived.how.get(key, "各单位之和")

    @property
    def summed_labels(self) -> list[str]:
        """The 说明数据 added up, as the 说明数据 sheet names them (not their keys)."""
        return [_input_label(k) for k in self.summed_inputs]

    @property
    def left_labels(self) -> list[str]:
        return [_input_label(k) for k in self.left_inputs]

    @property
    def perf_note(self) -> str:
        """What becomes of the units' 绩效自评表: not summed (a project's self-evaluation is no sum), so said."""
        having = [u.name for u in self.units if u.report.perf and u.report.perf.tables]
        if not having:
            return ""
        return (f"{'、'.join(having)}的绩效自评表没有并入汇总（自评表不能相加）：部门要公开的自评表请在汇总工作簿中"
                "用 disclosure perf add 添加，或在桌面程序“绩效”中添加")


def _input_label(key: str) -> str:
    from .inputs import field_for

    f = field_for(key, JUESUAN)
    return f.label if f else key


# ---------------------------------------------------------------- reading the units

def unit_files(paths: list[Path]) -> list[Path]:
    """Workbook files from the arguments: files as given, a folder's workbooks in natural name order."""
    from .batch import workbooks_in

    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = workbooks_in(p)
            if not found:
                raise DisclosureError(f"文件夹“{p}”中没有 .xlsx/.xlsm 工作簿")
            files += found
        elif p.is_file():
            files.append(p)
        else:
            raise DisclosureError(f"找不到单位工作簿“{p}”")
    return files


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_unit(path: Path) -> Unit:
    from . import workbook

    return Unit(path, workbook.read(path), file_digest(path))


def same_kind_problem(first: Unit, other: Unit | Report, what: str = "") -> str | None:
    """Why a workbook cannot be added to another's 汇总 (kind, layout, year), or None."""
    a = first.report
    b = other.report if isinstance(other, Unit) else other
    where = what or (f"“{other.path.name}”" if isinstance(other, Unit) else "汇总工作簿")
    if b.kind != JUESUAN:
        return f"{where}是{b.kind}工作簿：汇总只用于部门决算"
    if b.layout != a.layout:
        return (f"{where}是{layout_words(b.layout)}，“{first.path.name}”是{layout_words(a.layout)}："
                "表样不同的工作簿不能汇总")
    if b.year != a.year:
        return f"{where}是 {b.year} 年度，“{first.path.name}”是 {a.year} 年度：不同年度的工作簿不能汇总"
    return None


def duplicates(units: list[Unit]) -> list[tuple[Unit, Unit, str]]:
    """Pairs of workbooks that are the same unit: the same 单位名称, or the same file."""
    out = []
    for i, a in enumerate(units):
        for b in units[:i]:
            if a.digest == b.digest:
                out.append((b, a, "是同一个文件（内容完全相同）"))
            elif a.name == b.name:
                out.append((b, a, f"单位名称都是“{a.name}”"))
    return out


def read_units(paths: list[Path]) -> list[Unit]:
    files = unit_files(paths)
    if len(files) < 2:
        raise DisclosureError(f"汇总至少需要两个单位工作簿，实有 {len(files)} 个")
    units = [read_unit(p) for p in files]
    for u in units:  # the first against itself too: its kind
        if _is_consolidation(u.path):
            raise DisclosureError(f"“{u.path.name}”是汇总结果（含“_汇总来源”工作表），不是单位工作簿：请把它移出单位文件夹"
                                  "后再汇总（否则各单位的数会算两遍）")
        problem = same_kind_problem(units[0], u)
        if problem:
            raise DisclosureError(problem)
    for a, b, why in duplicates(units):
        raise DisclosureError(f"“{a.path.name}”与“{b.path.name}”{why}：同一单位不能汇总两次")
    _refuse_units_with_errors(units)
    return units


def _is_consolidation(path: Path) -> bool:
    """A 汇总 this command wrote (its hidden “_汇总来源” sheet), left among the units: no unit's workbook. Asked
    after the file passed the guard (read_unit), of its sheet names only."""
    from python_calamine import CalamineWorkbook

    from .consolidate_write import SOURCE_SHEET

    return SOURCE_SHEET in CalamineWorkbook.from_path(str(path)).sheet_names


def _refuse_units_with_errors(units: list[Unit]) -> None:
    """A unit whose own tables do not add up is not summed: its gap would pass for the rounding of many units and
    be moved onto another unit's 科目 (尾差调整), the 汇总 then adding up with the error hidden in it. Every such
    unit named at once, with its first 错误; an 错误 acknowledged with a reason (check --ack) does not stop it."""
    from .acks import checked, open_findings
    from .checks.engine import ERROR

    wrong = [(u, found) for u in units if (found := open_findings(checked(u.report), ERROR))]
    if wrong:
        lines = "；".join(f"“{u.path.name}”{len(found)} 条（如 {found[0].rule} {found[0].cell or ''} {found[0].message[:40]}…）"
                         for u, found in wrong)
        raise DisclosureError(f"以下单位工作簿校验有错误，请先改正（disclosure check 该文件）后再汇总：{lines}")


# ---------------------------------------------------------------- consolidating

def department_name(units: list[Unit], given: str | None) -> str:
    """--unit, or the first unit's name without 本级 (“某局本级” -> “某局”)."""
    if given and given.strip():
        return given.strip()
    first = units[0].name
    if first.endswith("本级") and len(first) > 2:
        return first[:-2]
    raise DisclosureError(f"请用 --unit 写明部门名称（第一个单位“{first}”不是“某某本级”，无法推定部门名称）")


def consolidate(units: list[Unit], unit_name: str | None = None) -> Consolidation:
    import pandas as pd

    from .consolidate_inputs import consolidate_inputs

    name = department_name(units, unit_name)
    itself = next((u for u in units if "".join(u.name.split()) == "".join(name.split())), None)
    if itself is not None:  # the department's own workbook among its units: every unit's figures twice
        raise DisclosureError(f"“{itself.path.name}”的单位名称就是部门名称“{name}”：它是部门自己的工作簿，不是单位工作簿，"
                              "请把它移出单位文件夹后再汇总（否则各单位的数会算两遍）")
    first = units[0].report
    # long form: one row per unit and base figure; group-by the structural key (Decimal stays an object column)
    cells = [cells_of(u.report) for u in units]
    frame = pd.DataFrame([(u.name, *key, value.amount) for u, printed in zip(units, cells)
                          for key, value in base_of(u.report, printed).items()],
                         columns=["unit", "table", "side", "row", "column", "amount"])
    # every printed figure was rounded on its own, a 0.00 too (it may stand for up to 0.005): n counts them all
    frame["n"] = 1
    grouped = frame.groupby(["table", "side", "row", "column"], sort=False).agg(
        amount=("amount", lambda s: sum(s, ZERO)), n=("n", "sum"))
    base = {key: Fig(row.amount, int(row.n)) for key, row in zip(grouped.index, grouped.itertuples())}
    derived = derive(first.spec, base)
    sources = _sources(units, cells)
    names = _code_names(units)
    tables = to_tables(first.spec, derived.cells, names, first.year)
    report = Report(spec=first.spec, unit_name=name, year=first.year, tables=tables,
                    info={k: v for k, v in first.info.items() if k == "联系电话"})
    report.inputs, summed, left = consolidate_inputs(units)
    return Consolidation(report, units, derived, sources, summed, left)


def _sources(units: list[Unit], cells: list[dict[Key, Value]]) -> dict[Key, list[Source]]:
    out: dict[Key, list[Source]] = {}
    for u, printed in zip(units, cells):
        for key, value in printed.items():
            out.setdefault(key, []).append(Source(u.name, value.cell, value.amount))
    return out


def _code_names(units: list[Unit]) -> dict[str, str]:
    """科目名称 as the units print them (the first unit that prints a code names it)."""
    names: dict[str, str] = {}
    for u in units:
        for table in u.report.tables.values():
            if table.spec.kind == "coded":
                for row in table.code_rows():
                    names.setdefault(row.code, row.name)
    return names
