"""Import a 部门决算软件 export (.xlsx/.xls): find each 公开表 wherever it is, read it by label and
科目代码, and tell the layout year from the labels when it is not given."""

from __future__ import annotations

from pathlib import Path

from .. import specs
from ..errors import InputError
from ..grid import read_sheets
from ..model import Report
from ..parse import guess_unit_name_and_year, parse_tables


def import_export(path: str | Path, layout: str | int | None = None) -> Report:
    """The report in an export file. With no layout given, every known layout is tried and the one
    whose 行次 and labels fit wins; a tie asks the user to say the year."""
    path = Path(path)
    sheets = read_sheets(path)
    layouts = [str(layout)] if layout else sorted(specs.available_layouts(), reverse=True)
    fits: list[tuple[str, dict]] = []
    failures: list[tuple[int, InputError]] = []
    for name in layouts:
        spec = specs.load(name)
        progress: list[str] = []
        try:
            fits.append((name, parse_tables(sheets, spec, file=path, progress=progress)))
        except InputError as exc:
            failures.append((len(progress), exc))
    if not fits:
        # the layout that read the most tables before failing says the most useful thing
        raise max(failures, key=lambda f: f[0])[1]
    if len(fits) > 1:
        raise InputError(f"无法从行次和项目判断表样年度（{'、'.join(n for n, _ in fits)} 年表样都符合），"
                         "请用 --year 指定", file=path)
    name, tables = fits[0]
    spec = specs.load(name)
    unit_name, year = guess_unit_name_and_year(sheets)
    return Report(spec=spec, unit_name=unit_name or "", year=year or int(spec.layout), tables=tables, source=path)
