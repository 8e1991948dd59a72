"""The packages of the other regions, read as their reader would: the parts in the region's order, tables under
the region's headings, charts in the 情况说明 section they illustrate, counts printed whole (python-docx)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as WordDocument

from disclosure import workbook
from disclosure.export import export_package


def _package(report, folder: Path) -> Path:
    book = workbook.save_atomic(workbook.build(report.spec, report), folder / "工作簿.xlsx")
    export_package(book, folder / "包", make_pdf=False, force=True)
    return next((folder / "包").glob("*.docx"))


def _body(docx: Path) -> list[tuple[str, str]]:
    """(kind, text) in document order: headings, paragraphs with a picture, table cells' texts."""
    doc = WordDocument(docx)
    out = []
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in block.iter() if t.tag.endswith("}t"))
            style = block.find(".//{*}pStyle")
            name = style.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") if style is not None else ""
            if block.findall(".//{*}drawing"):
                out.append(("picture", text))
            elif "Heading" in name or name.startswith(("1", "2", "3")) or name.lower().startswith("heading"):
                out.append(("heading", re.sub(r"\s+", "", text)))
            elif text:
                out.append(("text", text))
        elif tag == "tbl":
            out.append(("table", " ".join(t.text or "" for t in block.iter() if t.tag.endswith("}t"))))
    return out


@pytest.fixture(scope="module")
def inner_mongolia(tmp_path_factory):
    import seed003_book

    folder = tmp_path_factory.mktemp("nmg-export")
    return _body(_package(seed003_book.report(folder), folder))


@pytest.fixture(scope="module")
def shanghai(tmp_path_factory):
    import putuo_text
    from disclosure.importers.export import import_export
    from putuo_workbook import build

    folder = tmp_path_factory.mktemp("sh-export")
    report = import_export(build(folder / "导出.xlsx"))
    report.inputs = putuo_text.inputs(report)
    return _body(_package(report, folder))


def _index(body, kind: str, start: str) -> int:
    return next(i for i, (k, text) in enumerate(body) if k == kind and text.startswith(start))


def test_inner_mongolia_parts_and_charts_where_they_belong(inner_mongolia):
    body = inner_mongolia
    parts = [_index(body, "heading", p) for p in ("第一部分", "第二部分", "第三部分", "第四部分", "第五部分部门决算表")]
    assert parts == sorted(parts)
    pictures = [i for i, (k, _) in enumerate(body) if k == "picture"]
    income, spending = _index(body, "heading", "二、收入决算情况说明"), _index(body, "heading", "三、支出决算情况说明")
    assert len(pictures) == 2 and income < pictures[0] < spending < pictures[1] < _index(body, "heading", "四、")
    assert body[pictures[0] + 1][1].startswith("图1") and body[pictures[1] + 1][1].startswith("图2")


def test_inner_mongolia_tables_under_their_headings_with_counts_whole(inner_mongolia):
    body = inner_mongolia
    headings = [t for k, t in body[_index(body, "heading", "第五部分"):] if k == "heading"]
    assert headings[1:4] == ["一、收入支出决算总表", "二、收入决算表", "三、支出决算表"]
    assert headings[-1].startswith("十一、机构运行经费支出")
    tables = body[_index(body, "heading", "第五部分"):]
    last = [t for k, t in tables[_index(tables, "heading", "十一、机构运行经费支出"):] if k == "table"][0]
    assert re.search(r"辆|车", last) and not re.search(r"(?<![\d.])\d\.00(?!\d)", last.split("车", 1)[1][:200])


def test_shanghai_tables_between_its_overview_and_its_text(shanghai):
    body = shanghai
    first, tables, text, glossary = (_index(body, "heading", p) for p in ("第一部分", "第二部分", "第三部分", "第四部分"))
    assert first < tables < text < glossary
    headings = [t for k, t in body[tables:text] if k == "heading"]
    assert headings[1] == "一、收入支出决算总表" and headings[7] == "七、财政拨款“三公”经费支出决算表"
    assert "2,940.05" in [t for k, t in body[tables:text] if k == "table"][0]
    assert not [t for k, t in body if k == "heading" and t == ""]  # the untitled 名词解释 section prints no heading


def test_grand_totals_share_the_last_line_of_every_side_by_side_table():
    """收入总计 and 支出总计 print on one line, as the 表样 print them (上海 表四: three 年初 lines against one 年末;
    预算 表1: 上年结转 against 结转下年), whichever side has more 结转 lines above its own."""
    from disclosure import specs, tablegrid

    checked = []
    for layout in specs.available_layouts(None, specs.ALL_REGIONS):
        for t in specs.load(layout).tables.values():
            if t.kind != "fixed" or len(t.sides) < 2:
                continue
            grid = tablegrid.layout(t, None)
            totals = [c.row for c in grid.cells if c.kind == tablegrid.LABEL and c.value in ("总计", "收入总计", "支出总计")]
            if totals:
                assert len(totals) == len(t.sides) and len(set(totals)) == 1, (layout, t.id, totals)
                assert totals[0] == max(c.row for c in grid.cells), (layout, t.id)  # the table's last line
                checked.append((layout, t.id))
    assert ("上海2024", "04") in checked and ("预算2023", "表1") in checked and ("2024", "01") in checked


def test_shanghai_sangong_printed_crosswise_as_its_template_and_read_back(tmp_path):
    """上海 表七 as the 2024 template prints it: 预算数/决算数 under every column on the last header line, one line of
    amounts (公务接待费 预算 0.95 in the Putuo document); the workbook written so reads back to the same figures."""
    import putuo_text
    from putuo_workbook import build

    from disclosure import tablegrid
    from disclosure.importers.export import import_export

    report = import_export(build(tmp_path / "导出.xlsx"))
    grid = tablegrid.layout(report.table("09").spec, report.table("09").rows)
    leaves = sorted((c.col, c.value) for c in grid.cells if c.row == grid.header_rows - 1)
    assert [v for _, v in leaves] == ["预算数", "决算数"] * 6
    body = sorted((c.col, c.value) for c in grid.cells if c.row == grid.header_rows)
    assert grid.nrows == grid.header_rows + 1 and len(body) == 12
    assert body[0][1] == body[10][1] == Decimal("0.95") and all(v is None for _, v in body if _ not in (0, 10))
    report.inputs = putuo_text.inputs(report)
    book = workbook.save_atomic(workbook.build(report.spec, report), tmp_path / "工作簿.xlsx")
    back = workbook.read(book).table("09")
    assert back.row("预算数").amount("公务接待费") == Decimal("0.95") and back.row("预算数").values["公务接待费"].cell.coord == "K8"
    assert {k: v.amount for k, v in back.row("决算数").values.items()} == {k: v.amount for k, v in report.table("09").row("决算数").values.items()}
    docx = _package(report, tmp_path / "包")
    sangong = next(t for k, t in _body(docx) if k == "table" and "公务接待费" in t and "预算数" in t)
    assert sangong.split().count("预算数") == 6 and sangong.split().count("0.95") == 2


def test_the_list_of_tables_numbers_them_as_the_region_heads_them(inner_mongolia):
    """内蒙古 heads its tables 一 … 十一 (表一 …): the list before them says 表一 … 表十一, not 陕西's 表1 … 表11
    (new-user test: “表1 … 表9, 表 10, 表 11” over tables headed 一、…十一、)."""
    body = inner_mongolia
    listing = next(t for k, t in body[_index(body, "heading", "第五部分"):] if k == "table")
    assert listing.startswith("序号 内容 是否空表 表格为空的理由 表一 ") and " 表十一 " in listing
    assert not re.search(r"表\s*\d", listing)
