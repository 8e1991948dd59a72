"""Import a 部门决算软件 export (.xlsx/.xls) or a 部门预算 system's export: tell the kind from the table
titles, find each table wherever it is, read it by 行次, 栏次 and 科目代码 (labels as evidence) — 预算 tables
by header names and labels, as they print no 行次 or 栏次 — and tell the layout when it is not given."""

from __future__ import annotations

from pathlib import Path

import msgspec

from .. import specs
from ..errors import DisclosureError, InputError
from ..grid import Sheet, cell_index, read_sheets
from ..inputs import InputValue, Inputs
from ..model import Report
from ..notices import HEADING, LABEL, LAYOUT, Notice
from ..parse import find_anchors, guess_unit_name_and_year, parse_tables
from ..specs import normalize_label
from .shifts import refuse_shifted_rows


class _Fit(msgspec.Struct):
    layout: str
    tables: dict
    notices: list[Notice]

    @property
    def tolerated(self) -> int:
        """Labels read within tolerance: the fewer, the better this layout fits."""
        return sum(1 for n in self.notices if n.kind == LABEL)

    @property
    def fit(self) -> tuple[int, int, int]:
        """How well the layout reads the file, best highest: the tables it found, then the columns it read in
        them (a region's 09 without 会议费/培训费 reads fewer of a national export's columns), then exact labels."""
        columns = sum(len({name for row in t.rows for name in row.values}) for t in self.tables.values())
        return len(self.tables), columns, -self.tolerated


def import_export(path: str | Path, layout: str | int | None = None, sheets_chosen: list[str] | tuple = (),
                  region: str | None = None, prefer_region: str | None = None) -> Report:
    """The report in an export file, with its 提示 in report.notices. With no layout given, every 决算 layout
    of every region (or of `region`) is tried — and when none reads the file, every 预算 layout if the file names
    more 预算 tables than 决算 ones (by title or 编号); the layout that reads the most tables and columns wins,
    then exact labels beat tolerated ones (_Fit.fit), and only a real tie asks the user to say the year or region.
    `sheets_chosen` settle a table printed on several sheets; `prefer_region` settles a tie between regions
    (the add-in: the region of the workbook the export goes into)."""
    path = Path(path)
    return import_sheets(read_sheets(path), path, layout, sheets_chosen, region, prefer_region)


def import_sheets(sheets: list[Sheet], path: Path, layout: str | int | None = None, sheets_chosen: list[str] | tuple = (),
                  region: str | None = None, prefer_region: str | None = None, perf: bool = True) -> Report:
    """import_export on sheets already built (a published PDF's pages, importers/pdf.py); path names the file.
    perf=False: 绩效自评表 among the sheets are set aside, not read."""
    from ..perf.read import find_in_export, is_perf_only

    perf_sheets = [s for s in sheets if is_perf_only(s)]  # 绩效自评表 in the same export: read apart, below
    sheets = [s for s in sheets if not any(s is p for p in perf_sheets)]
    missing = [name for name in sheets_chosen if name not in {s.name for s in sheets}]
    if missing:
        raise InputError(f"没有名为“{missing[0]}”的工作表（--sheet）；文件中的工作表：{'、'.join(s.name for s in sheets)}",
                         file=path)
    if layout:
        fits, failures = _try(sheets, _named_layouts(layout, region), path, sheets_chosen)
    else:  # a 决算 export is read as before; only when no 决算 layout reads it is the kind looked at
        fits, failures = _try(sheets, _region_layouts(specs.JUESUAN, region), path, sheets_chosen)
        counts = {} if fits else tables_named(sheets)
        if counts and _kind(counts) == specs.YUSUAN:
            budget_layouts = _region_layouts(specs.YUSUAN, region)
            if not budget_layouts:  # a 预算 export, --region naming a region without a 预算 表样
                raise InputError(f"这是部门预算的报表，而“{region}”没有部门预算的表样"
                                 f"（有部门预算表样的地区：{'、'.join(specs.regions(specs.YUSUAN))}）", file=path)
            fits, failures = _try(sheets, budget_layouts, path, sheets_chosen)
        elif counts and not any(counts.values()):
            error = _most_read(failures)
            raise InputError(f"{error.message}。也没有找到部门预算的表（如“表1 部门综合预算收支总表”）："
                             "这不像部门决算或部门预算软件导出的报表", file=path) from None
    if not fits:
        raise _most_read(failures)
    best = max(fit.fit for fit in fits)
    tied = [fit for fit in fits if fit.fit == best]
    if len(tied) > 1 and prefer_region:
        tied = [f for f in tied if specs.load(f.layout).region == specs.region_name(prefer_region)] or tied
    if len(tied) > 1:
        regions = {specs.load(f.layout).region for f in tied}
        which = "地区和表样年度" if len(regions) > 1 else "表样年度"
        raise InputError(f"无法从行次和项目判断{which}（{'、'.join(f.layout for f in tied)} 表样都符合），"
                         f"请用 --year{' 和 --region' if len(regions) > 1 else ''} 指定", file=path)
    fit = tied[0]
    spec = specs.load(fit.layout)
    unit_name, year, printed = guess_unit_name_and_year(sheets)
    if year is None:
        printed.append(Notice(f"报表中没有找到年度（如“2024年度”），已按{spec.default_year}年表样的年度导入：请核对", kind=HEADING))
    report = Report(spec=spec, unit_name=unit_name or "", year=year or spec.default_year, tables=fit.tables,
                    source=path, notices=[n.located(path) for n in fit.notices + printed])
    if not spec.is_budget:  # the evidence is the 决算 rules' table sums (T01.…); 预算 tables have no 行次 to shift
        refuse_shifted_rows(report)
    # the export's own way of printing zeros, for the package (说明数据 零值显示; the officer may change it)
    report.inputs = Inputs({"零值显示": InputValue(zero_style(report, sheets) or "空白")})
    note_layout_year(report)
    if perf and not spec.is_budget and perf_sheets:  # 绩效自评表 printed in the same export, found by their titles
        report.perf = find_in_export(perf_sheets, path)
    return report


def note_layout_year(report: Report) -> None:
    """A 提示 when the report is of a year the product has no 表样 for (specs.read_with_other_year) — the officer
    should know, not find "2024 年表样" in passing. Kept once: a PDF's import sets its year again from the title
    and calls this again."""
    report.notices = [n for n in report.notices if n.kind != LAYOUT]
    if specs.read_with_other_year(report.spec, report.year):
        report.notices.append(Notice(specs.other_year_note(report.spec, report.year) + "导入结果", kind=LAYOUT,
                                     file=report.source.name if report.source else None))


def _named_layouts(layout: str | int, region: str | None) -> list[str]:
    """The layouts `--year` (a layout's name or a year) and `--region` name, of whichever kind has them."""
    if specs.layout_kind(layout) and not region:
        return [str(layout)]
    found: list[str] = []
    refusals: list[DisclosureError] = []
    for kind in (specs.JUESUAN, specs.YUSUAN):
        try:
            found += specs.choose_layouts(kind, layout, region)
        except DisclosureError as exc:
            refusals.append(exc)
    if not found:
        raise refusals[0]
    return found


def _region_layouts(kind: str, region: str | None) -> list[str]:
    """Every layout of a kind, or of one region's (refused naming the regions there are when it has none)."""
    layouts = specs.available_layouts(kind, region or specs.ALL_REGIONS)
    if region and not layouts and not specs.available_layouts(None, region):
        raise DisclosureError(f"没有“{region}”的表样（现有地区：{'、'.join(specs.regions())}）")
    return layouts


def _try(sheets: list[Sheet], layouts: list[str], path: Path, chosen) -> tuple[list[_Fit], list[tuple[tuple, InputError]]]:
    """Each layout's reading of the sheets (the default region's first, newest first), or how far it got before it
    failed, with the evidence that the file is of that layout (_most_read)."""
    fits: list[_Fit] = []
    failures: list[tuple[tuple, InputError]] = []
    order = sorted(layouts, key=lambda x: (specs.load(x).region == specs.DEFAULT_REGION, specs.load(x).default_year, x))
    printed = _printed_texts(sheets) if len(layouts) > 1 else set()
    for name in reversed(order):
        spec = specs.load(name)
        progress: list[str] = []
        notices: list[Notice] = []
        try:
            fits.append(_Fit(name, parse_tables(sheets, spec, file=path, progress=progress, notices=notices,
                                                 chosen_sheets=chosen), notices))
        except InputError as exc:
            failures.append(((_numbers_printed(spec, printed), len(progress)), exc))
    return fits, failures


def _printed_texts(sheets: list[Sheet]) -> set[str]:
    """Every short text of the sheets (and their names), normalised: where a table's 编号 would be printed."""
    texts = {normalize_label(s.name) for s in sheets}
    texts |= {normalize_label(v) for s in sheets for row in s.rows for v in row if isinstance(v, str) and len(v) <= 12}
    return texts


def _numbers_printed(spec: specs.LayoutSpec, texts: set[str]) -> int:
    """How many of the layout's tables the file names by this layout's own 编号 (公开04表, 表四): evidence that a
    file no layout reads is of this one, whichever got further (a national export with a wrong line gets further
    in a region's layout that shares its first tables, but prints 公开0N表)."""
    return sum(1 for t in spec.tables.values() if normalize_label(t.number) in texts)


def _most_read(failures: list[tuple[tuple, InputError]]) -> InputError:
    """The failure of the layout the file names its tables by, then of the one that read the most tables (of
    those as good, the first tried: the default region's): it says the most useful thing."""
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
