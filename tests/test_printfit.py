"""How a table sheet prints (printfit): rows tall enough for their wrapped text, one page when it is readable."""

from __future__ import annotations

from disclosure import printfit, specs, tablegrid
from disclosure.tablegrid import HEADER, LABEL, Grid, GridCell


def _grid(widths, nrows, cells, header_depth=1):
    return Grid(None, list(widths), header_depth + 1, header_depth, nrows, cells)  # type: ignore[arg-type]


def test_a_goal_of_three_lines_gets_three_lines():
    """预算 表15's 年度目标: three lines in a merged cell, which no spreadsheet sizes to its text."""
    goal = "目标1：城乡居民参保率达到应保尽保。\n目标2：困难群众待遇落实到位。\n目标3：减轻医疗救助对象就医负担。"
    grid = _grid([12, 60, 14], 4, [GridCell(0, 0, "项目", HEADER), GridCell(2, 1, goal, LABEL, cols=2)])
    heights = printfit.row_heights(grid)
    assert list(heights) == [2] and heights[2] >= 3 * printfit.LINE_PT


def test_a_long_name_in_a_narrow_column_wraps_and_a_short_one_does_not():
    name = "对民间非营利组织和群众性自治组织补贴"
    grid = _grid([10, 25, 12], 4, [GridCell(2, 1, name, LABEL), GridCell(3, 1, "办公费", LABEL)])
    assert set(printfit.row_heights(grid)) == {2}


def test_pages_follow_the_tables_shape():
    layout = specs.load("2024")
    sheet_01 = tablegrid.layout(layout.tables["01"], None)  # two sides of 30 lines: tall and narrow
    assert printfit.page(sheet_01, {}) == (False, True)
    sheet_06 = tablegrid.layout(layout.tables["06"], None)  # three blocks side by side: wide
    assert printfit.page(sheet_06, {}) == (True, True)
    long_05 = tablegrid.layout(layout.tables["05"], None, spare_rows=300)  # a 科目 list of hundreds of rows
    assert printfit.page(long_05, {})[1] is False


def test_a_one_sided_table_is_as_wide_as_its_longest_label():
    """内蒙古 表十一: “1.货物采购授予中小企业合同金额” was cut in a 项目 column 12 wide; 09's 预算数 keeps 12."""
    eleven = next(t for t in specs.load("内蒙古2023").tables.values() if t.number == "表十一")
    width = tablegrid.columns(eleven)[1][0]
    assert width >= tablegrid.text_width("1.货物采购授予中小企业合同金额")
    assert tablegrid.columns(specs.load("2024").tables["09"])[1][0] == 12


def test_a_word_table_a_few_rows_too_long_is_set_closer():
    """内蒙古 表七 (43 rows, landscape) ran four rows and its 合计 onto a page of their own: set closer, it stays on
    its page; a table that fits is left as it is, one far too long goes on over pages (its header repeated)."""
    from disclosure.export.word import CLOSEST_LINE_PT, TABLE_LINE, closer_lines

    room = 421.0  # what a landscape A4 page leaves a table under its heading
    assert closer_lines(_grid([10] * 9, 30, []), room) is None
    line = closer_lines(_grid([10] * 9, 43, []), room)
    assert line is not None and CLOSEST_LINE_PT <= line < TABLE_LINE.pt
    assert closer_lines(_grid([10] * 9, 80, []), room) is None


def test_a_long_table_title_breaks_where_the_words_allow():
    from disclosure.export.word import SIZE, text_em, title_lines

    width = 437.0  # a portrait page's text width
    assert title_lines("收入支出决算总表", width, SIZE["小二"]) == (["收入支出决算总表"], SIZE["小二"])
    lines, size = title_lines("部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）", width, SIZE["小二"])
    assert lines == ["部门综合预算一般公共预算基本支出明细表", "（按支出功能分类科目）"] and size == SIZE["小二"]
    eleven = "十一、机构运行经费支出、国有资产占用情况及政府采购支出信息表"
    lines, size = title_lines(eleven, width, SIZE["小二"])  # smaller, on one line: a PDF's reader finds it there
    assert lines == [eleven] and SIZE["四号"] <= size < SIZE["小二"] and text_em(eleven) * size <= width
    lines, size = title_lines(eleven, 300.0, SIZE["小二"])  # too long even at 四号: broken after 、 or 及
    assert "".join(lines) == eleven and len(lines) == 2 and lines[0].endswith(("、", "及"))
