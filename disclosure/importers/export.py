"""Import a 部门决算软件 export (.xlsx/.xls) or a 部门预算 system's export: tell the kind from the table
titles, find each table wherever it is, read it by 行次, 栏次 and 科目代码 (labels as evidence) — 预算 tables
by header names and labels, as they print no 行次 or 栏次 — and tell the layout when it is not given."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import specs
from ..errors import InputError
from ..grid import Sheet, cell_index, read_sheets
from ..inputs import InputValue, Inputs
from ..model import Report
from ..notices import LABEL, Notice
from ..parse import find_anchors, guess_unit_name_and_year, parse_tables
from .shifts import refuse_shifted_rows


@dataclass
class _Fit:
    layout: str
    tables: dict
    notices: list[Notice]

    @property
    def tolerated(self) -> int:
        """Labels read within tolerance: the fewer, the better this layout fits."""
        return sum(1 for n in self.notices if n.kind == LABEL)


def import_export(path: str | Path, layout: str | int | None = None, sheets_chosen: list[str] | tuple = ()) -> Report:
    """The report in an export file, with its 提示 in report.notices. With no layout given, every 决算 layout
    is tried — and when none reads the file, every 预算 layout if the file names more 预算 tables than 决算
    ones (by title or 编号); the layout whose 行次 and labels fit wins — exact labels beat tolerated ones — and
    only a real tie asks the user to say the year. `sheets_chosen` settle a table printed on several sheets."""
    path = Path(path)
    sheets = read_sheets(path)
    from ..perf.read import find_in_export, is_perf_only

    perf_sheets = [s for s in sheets if is_perf_only(s)]  # 绩效自评表 in the same export: read apart, below
    sheets = [s for s in sheets if not any(s is p for p in perf_sheets)]
    missing = [name for name in sheets_chosen if name not in {s.name for s in sheets}]
    if missing:
        raise InputError(f"没有名为“{missing[0]}”的工作表（--sheet）；文件中的工作表：{'、'.join(s.name for s in sheets)}",
                         file=path)
    if layout:
        fits, failures = _try(sheets, [str(layout)], path, sheets_chosen)
    else:  # a 决算 export is read as before; only when no 决算 layout reads it is the kind looked at
        fits, failures = _try(sheets, specs.available_layouts(specs.JUESUAN), path, sheets_chosen)
        counts = {} if fits else tables_named(sheets)
        if counts and _kind(counts) == specs.YUSUAN:
            fits, failures = _try(sheets, specs.available_layouts(specs.YUSUAN), path, sheets_chosen)
        elif counts and not any(counts.values()):
            error = _most_read(failures)
            raise InputError(f"{error.message}。也没有找到部门预算的表（如“表1 部门综合预算收支总表”）："
                             "这不像部门决算或部门预算软件导出的报表", file=path) from None
    if not fits:
        raise _most_read(failures)
    best = min(fit.tolerated for fit in fits)
    tied = [fit for fit in fits if fit.tolerated == best]
    if len(tied) > 1:
        raise InputError(f"无法从行次和项目判断表样年度（{'、'.join(f.layout for f in tied)} 年表样都符合），"
                         "请用 --year 指定", file=path)
    fit = tied[0]
    spec = specs.load(fit.layout)
    unit_name, year = guess_unit_name_and_year(sheets)
    report = Report(spec=spec, unit_name=unit_name or "", year=year or spec.default_year, tables=fit.tables,
                    source=path, notices=[n.located(path) for n in fit.notices])
    if not spec.is_budget:  # the evidence is the 决算 rules' table sums (T01.…); 预算 tables have no 行次 to shift
        refuse_shifted_rows(report)
    # the export's own way of printing zeros, for the package (说明数据 零值显示; the officer may change it)
    report.inputs = Inputs({"零值显示": InputValue(zero_style(report, sheets) or "空白")})
    if not spec.is_budget and perf_sheets:  # 绩效自评表 printed in the same export, found by their titles
        report.perf = find_in_export(perf_sheets, path)
    return report


def _try(sheets: list[Sheet], layouts: list[str], path: Path, chosen) -> tuple[list[_Fit], list[tuple[int, InputError]]]:
    """Each layout's reading of the sheets (newest first), or how far it got before it failed."""
    fits: list[_Fit] = []
    failures: list[tuple[int, InputError]] = []
    for name in sorted(layouts, reverse=True):
        spec = specs.load(name)
        progress: list[str] = []
        notices: list[Notice] = []
        try:
            fits.append(_Fit(name, parse_tables(sheets, spec, file=path, progress=progress, notices=notices,
                                                 chosen_sheets=chosen), notices))
        except InputError as exc:
            failures.append((len(progress), exc))
    return fits, failures


def _most_read(failures: list[tuple[int, InputError]]) -> InputError:
    """The failure of the layout that read the most tables: it says the most useful thing."""
    return max(failures, key=lambda f: f[0])[1]


def tables_named(sheets: list[Sheet]) -> dict[str, int]:
    """Per document kind, how many of its newest layout's tables the sheets name (by title or 编号)."""
    counts = {}
    for kind in (specs.JUESUAN, specs.YUSUAN):
        layouts = specs.available_layouts(kind)
        if layouts:
            spec = specs.load(layouts[-1])
            counts[kind] = len({a.table_id for sheet in sheets for a in find_anchors(sheet, spec)})
    return counts


def _kind(counts: dict[str, int]) -> str:
    """部门预算 when the file names more of a 预算 layout's tables than of a 决算 one's."""
    return specs.YUSUAN if counts.get(specs.YUSUAN, 0) > counts.get(specs.JUESUAN, 0) else specs.JUESUAN


def zero_style(report: Report, sheets: list[Sheet]) -> str:
    """How the export prints a zero amount: "0.00" when most zero cells of its tables hold a written 0,
    "" (blank) otherwise. The package prints zeros the same way unless the style overrides it.
    (A 0 hidden by a number format such as '0.00;-0.00;;' reads as written: calamine gives no formats.)"""
    by_name = {s.name: s for s in sheets}
    written = blank = 0
    for table in report.tables.values():
        for row in table.rows:
            for value in row.values.values():
                if value.amount != 0 or value.cell is None or value.cell.sheet not in by_name:
                    continue
                r, c = cell_index(value.cell.coord)
                raw = by_name[value.cell.sheet].value(r, c)
                if raw is not None and str(raw).strip():  # 0 or "0.00" written out
                    written += 1
                else:
                    blank += 1
    return "0.00" if written > blank else ""
