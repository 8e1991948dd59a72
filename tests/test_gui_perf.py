"""绩效自评表 in the desktop window: added from the 绩效 menu (the workbook rewritten safely, read and checked
again), shown among the 表格 tabs with their findings; not offered for a 预算 workbook (pytest-qt, offscreen)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import perfexport
from disclosure import workbook
from disclosure.perf.sheets import add_to_file
from test_gui import WAIT, _clean, _open, clean, window  # noqa: F401  (fixtures)
from test_gui_budget import _budget, budget  # noqa: F401  (fixtures: a 预算 workbook)


def test_add_a_project_table_from_the_menu(qtbot, window, clean):
    _open(qtbot, window, clean)
    assert all(a.isEnabled() for a in window.perf_actions)
    before = window.tables.count()
    window.add_perf_table("医保经办服务费")
    qtbot.waitUntil(lambda: window.session is not None and window.session.ready
                    and window.tables.count() == before + 1, timeout=WAIT)
    assert window.tables.tabText(before) == "绩效-项目1"
    assert [t.name for t in workbook.read(clean).perf.projects] == ["医保经办服务费"]
    assert clean.with_name("样例.备份.xlsx").exists()


def test_the_seeds_tables_show_as_tabs_with_their_findings(qtbot, window, clean, tmp_path):
    export = tmp_path / "绩效.xlsx"
    perfexport.write_export(export)
    from disclosure.perf.read import find_in_export
    from disclosure.grid import read_sheets

    perf = find_in_export(read_sheets(export), export)
    add_to_file(clean, perf.tables, [t.kind for t in perf.tables], [t.name for t in perf.tables])
    _open(qtbot, window, clean)
    names = [window.tables.tabText(i) for i in range(window.tables.count())]
    assert names[9].startswith("绩效-整体") and names[-1].startswith("绩效-项目9") and len(names) == 19
    assert names[13].startswith("绩效-项目4（") and "错）" in names[13]  # its 执行率 and 一级 分值 errors
    p_rules = [f for f in window.session.findings if f.rule.startswith("P")]
    assert p_rules and any(f.cell.sheet == "绩效-项目4" for f in p_rules if f.cell)


def test_no_performance_menu_for_a_budget_workbook(qtbot, window, budget):
    _open(qtbot, window, budget)
    assert not any(a.isEnabled() for a in window.perf_actions)
