"""A table printed on two sheets (an old and a new copy): refused naming both, unless --sheet chooses one."""

from __future__ import annotations

import copy
from decimal import Decimal

from exportvariants import clean


def _two_copies_of_05(seed004, tmp_path):
    export = clean(seed004)
    old = copy.deepcopy(export.grids["05"])
    cell = next((r, c) for r, row in enumerate(old.cells) for c, v in enumerate(row)
                if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) and v > 100)
    old.set(*cell, Decimal("1.23"))  # the old copy holds another number: taking the wrong one would be silent
    export.grids["05旧"] = old
    export.sheets.append(("公开05表（旧）", ["05旧"]))
    return export.write(tmp_path / "两份05表.xlsx"), export


def test_two_copies_are_refused_naming_both_sheets(seed004, tmp_path, cli):
    path, export = _two_copies_of_05(seed004, tmp_path)
    out = tmp_path / "out.xlsx"
    result = cli("import", path, "-o", out)
    assert result.code == 1 and not out.exists()
    first = next(name for name, ids in export.sheets if "05" in ids)
    line = result.err.strip()
    assert "两份05表.xlsx" in line and "公开05表" in line and "出现了 2 次" in line
    assert f"“{first}”" in line and "“公开05表（旧）”" in line and "--sheet" in line


def test_sheet_option_chooses_the_copy_to_read(seed004, tmp_path, cli):
    from disclosure import workbook
    from disclosure.importers.export import import_export

    path, export = _two_copies_of_05(seed004, tmp_path)
    first = next(name for name, ids in export.sheets if "05" in ids)
    for chosen, expect_old in ((first, False), ("公开05表（旧）", True)):
        out = tmp_path / f"{expect_old}.xlsx"
        result = cli("import", path, "-o", out, "--sheet", chosen)
        assert result.code == 0, result.err
        amounts = {v.amount for row in workbook.read(out).table("05").rows for v in row.values.values()}
        assert (Decimal("1.23") in amounts) is expect_old
    clean_report = import_export(clean(seed004).write(tmp_path / "clean.xlsx"))
    chosen_report = workbook.read(tmp_path / "False.xlsx")
    assert [[v.amount for v in r.values.values()] for r in clean_report.table("05").rows] == \
           [[v.amount for v in r.values.values()] for r in chosen_report.table("05").rows]


def test_sheet_option_naming_no_sheet_is_refused(seed004, tmp_path, cli):
    path, _ = _two_copies_of_05(seed004, tmp_path)
    result = cli("import", path, "-o", tmp_path / "o.xlsx", "--sheet", "没有这张")
    assert result.code == 1 and "没有名为“没有这张”的工作表" in result.err and "两份05表.xlsx" in result.err


def test_two_copies_on_one_sheet_are_refused_without_the_sheet_advice(seed004, tmp_path, cli):
    """Both copies on one sheet (an old block left under the table): --sheet cannot choose, so it is not offered."""
    export = clean(seed004)
    old = copy.deepcopy(export.grids["05"])
    export.grids["05旧"] = old
    name, ids = next((n, ids) for n, ids in export.sheets if "05" in ids)
    ids.append("05旧")
    result = cli("import", export.write(tmp_path / "同表两份.xlsx"), "-o", tmp_path / "o.xlsx")
    assert result.code == 1 and "出现了 2 次" in result.err and f"“{name}”第 " in result.err
    assert "请删除多余的那一份" in result.err and "--sheet" not in result.err
