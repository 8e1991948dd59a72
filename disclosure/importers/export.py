"""Import a 部门决算软件 export (.xlsx/.xls): find each 公开表 wherever it is, read it by 行次, 栏次 and
科目代码 (labels as evidence), and tell the layout year when it is not given."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import specs
from ..errors import InputError
from ..grid import Sheet, cell_index, read_sheets
from ..inputs import InputValue, Inputs
from ..model import Report
from ..notices import LABEL, Notice
from ..parse import guess_unit_name_and_year, parse_tables
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
    """The report in an export file, with its 提示 in report.notices. With no layout given, every known
    layout is tried; the one whose 行次 and labels fit wins — exact labels beat tolerated ones — and only
    a real tie asks the user to say the year. `sheets_chosen` settle a table printed on several sheets."""
    path = Path(path)
    sheets = read_sheets(path)
    missing = [name for name in sheets_chosen if name not in {s.name for s in sheets}]
    if missing:
        raise InputError(f"没有名为“{missing[0]}”的工作表（--sheet）；文件中的工作表：{'、'.join(s.name for s in sheets)}",
                         file=path)
    layouts = [str(layout)] if layout else sorted(specs.available_layouts(), reverse=True)
    fits: list[_Fit] = []
    failures: list[tuple[int, InputError]] = []
    for name in layouts:
        spec = specs.load(name)
        progress: list[str] = []
        notices: list[Notice] = []
        try:
            fits.append(_Fit(name, parse_tables(sheets, spec, file=path, progress=progress, notices=notices,
                                                 chosen_sheets=sheets_chosen),
                             notices))
        except InputError as exc:
            failures.append((len(progress), exc))
    if not fits:
        # the layout that read the most tables before failing says the most useful thing
        raise max(failures, key=lambda f: f[0])[1]
    best = min(fit.tolerated for fit in fits)
    tied = [fit for fit in fits if fit.tolerated == best]
    if len(tied) > 1:
        raise InputError(f"无法从行次和项目判断表样年度（{'、'.join(f.layout for f in tied)} 年表样都符合），"
                         "请用 --year 指定", file=path)
    fit = tied[0]
    spec = specs.load(fit.layout)
    unit_name, year = guess_unit_name_and_year(sheets)
    report = Report(spec=spec, unit_name=unit_name or "", year=year or int(spec.layout), tables=fit.tables,
                    source=path, notices=[n.located(path) for n in fit.notices])
    refuse_shifted_rows(report)
    # the export's own way of printing zeros, for the package (说明数据 零值显示; the officer may change it)
    report.inputs = Inputs({"零值显示": InputValue(zero_style(report, sheets) or "空白")})
    return report


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
