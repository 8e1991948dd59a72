"""Workbooks of the other regions in the desktop window (pytest-qt, offscreen): their tables as tabs in the
region's order and numbering, the region in the title, counts shown as the whole numbers they are, the text in
the region's own parts, and the start page offering every region's 表样."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosure import workbook
from disclosure.importers.export import import_export
from test_gui import _open, window  # noqa: F401  (fixture: the window)


def _book(export: Path, folder: Path) -> Path:
    report = import_export(export)  # no layout given: the region is detected
    return workbook.save_atomic(workbook.build(report.spec, report), folder / f"{report.spec.region}.xlsx")


@pytest.fixture(scope="module")
def inner_mongolia(tmp_path_factory) -> Path:
    from seed003_workbook import write

    folder = tmp_path_factory.mktemp("gui-nmg")
    return _book(write(folder / "导出.xlsx"), folder)


@pytest.fixture(scope="module")
def shanghai(tmp_path_factory) -> Path:
    from putuo_workbook import build

    folder = tmp_path_factory.mktemp("gui-sh")
    return _book(build(folder / "导出.xlsx"), folder)


def test_an_inner_mongolia_workbook_shows_its_eleven_tables(qtbot, window, inner_mongolia):
    _open(qtbot, window, inner_mongolia)
    assert window.windowTitle().startswith("乌海市医疗保障局 2023 年度部门决算（内蒙古表样） — 内蒙古.xlsx")
    names = [window.tables.tabText(i).split("（")[0] for i in range(window.tables.count())]
    assert names == [f"表{n}" for n in ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一")]
    # 表十一: a count of vehicles reads 4, not 4.00; an amount beside it keeps its two places
    model = window.tables.models["表十一"]
    shown = {model.index(r, c).data() for r in range(model.rowCount()) for c in range(model.columnCount())}
    report = workbook.read(inner_mongolia)
    table = report.table("运行资产采购")
    counted = [rs.key for side in table.spec.sides for rs in side.rows if rs.unit]
    count = next(v.amount for r in table.rows if r.key in counted for v in r.values.values() if v.amount)
    assert f"{count:f}".split(".")[0] in shown and f"{count:.2f}" not in shown
    text = window.narrative.text.toPlainText()
    assert "第二部分 部门决算情况说明" in text and "第四部分 决算公开联系方式及信息反馈渠道" in text


def test_a_shanghai_workbook_shows_its_order_and_its_third_part(qtbot, window, shanghai):
    _open(qtbot, window, shanghai)
    assert "（上海表样）" in window.windowTitle()
    titles = [window.tables.tabText(i).split("（")[0] for i in range(window.tables.count())]
    assert titles == [f"表{n}" for n in "一二三四五六七八九"]
    assert window.tables.models["表七"] is not None  # 三公 is 七 in 上海
    text = window.narrative.text.toPlainText()
    assert "第三部分" in text and "十一、其他重要事项" in text


def test_the_start_page_offers_every_regions_layout(window):
    offered = [window.start.year.itemData(i) for i in range(window.start.year.count())]
    assert {"2023", "2024", "上海2024", "内蒙古2023"} <= set(offered)
    assert window.start.year.itemText(offered.index("上海2024")) == "上海2024 表样"


def test_an_import_two_regions_fit_asks_for_the_start_pages_choice(window):
    from disclosure.errors import InputError

    tie = InputError("无法从行次和项目判断地区和表样年度（2024、海南2024 表样都符合），请用 --year 和 --region 指定",
                     file=Path("导出.xlsx"))
    window._failed("导入 导出.xlsx", str(tie), "")
    assert "--" not in window.last_error and "请在首页“表样”中选定地区和年度的表样后再导入" in window.last_error
    assert "2024、海南2024" in window.last_error
