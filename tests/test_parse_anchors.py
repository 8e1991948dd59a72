"""Where a table is found: its 编号 printed letter-spaced (“公开 08 表”, each piece a cell of a PDF's line) is an
anchor like “公开08表”; a title seen only as a line (a 目录 entry), with no table under it, is said to be that —
not “没有栏次行” on the page of the 目录 (new-user tests of published PDFs)."""

from __future__ import annotations

import pytest

from disclosure import specs
from disclosure.errors import InputError
from disclosure.grid import Sheet
from disclosure.parse import Region, _pick, find_anchors


@pytest.fixture(scope="module")
def spec():
    return specs.load("2024")


@pytest.mark.parametrize("pieces, table", [
    (["公开", "08", "表"], "08"), (["公开", "8", "表"], "08"), (["公开08", "表"], "08"), (["公开", "08表"], "08"),
])
def test_a_letter_spaced_number_is_an_anchor(spec, pieces, table):
    sheet = Sheet("第31页", [pieces + [""], ["金额单位：万元"], ["项目", "本年支出"], ["栏次", "1", "2", "3"]])
    assert [(a.table_id, a.row) for a in find_anchors(sheet, spec)] == [(table, 0)]


@pytest.mark.parametrize("row", [["栏次", "1", "2", "3"], ["公开", "的", "表"], ["1", "2"], ["公开", "10", "表"]])
def test_other_short_rows_are_no_anchor(spec, row):
    assert find_anchors(Sheet("第1页", [row]), spec) == []


def test_a_title_seen_only_in_a_table_of_contents_is_said_to_be_so(spec):
    toc = Sheet("第3页", [["第三部分 部门决算报表"], ["四、财政拨款收入支出决算总表"], ["五、一般公共预算财政拨款支出决算表"],
                         ["六、一般公共预算财政拨款基本支出决算表"]])
    regions = [Region(toc, a.row, a.row + 1) for a in find_anchors(toc, spec) if a.table_id == "05"]
    with pytest.raises(InputError) as raised:
        _pick(spec.tables["05"], regions, set(), "公开.pdf")
    assert str(raised.value) == ("文件“公开.pdf”：没有找到公开05表“一般公共预算财政拨款支出决算表”：只在“第3页”第 3 行见到它的标题"
                                 "（像是目录中的一行），其下没有这张表（栏次行或表头）")


def test_a_year_printed_apart_from_its_nian_du_is_read():
    """A PDF's cover line in pieces (“2024 | 年度部门决算”): the year is found, not “报表中没有找到年度” (new-user
    test); a date in pieces (“2026 | 年 | 11 | 月”) is no year of the report."""
    from disclosure.parse import guess_unit_name_and_year

    cover = Sheet("第1页", [["子洲县医疗保障局"], ["2024", "年度部门决算"], ["2026", "年", "11", "月"]])
    name, year, notices = guess_unit_name_and_year([cover])
    assert year == 2024 and notices == []
    assert guess_unit_name_and_year([Sheet("第1页", [["2026", "年", "11", "月"]])])[1] is None
