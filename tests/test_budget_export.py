"""The 部门预算 export package of seed 002 (绥德县医疗保障局 2023 年部门综合预算), imported from an export laid out as
the seed prints its tables (tests/budgetexport.py): the Word tables equal the workbook's figures, the fifteen
tables titled and ordered as the seed prints them (landscape where wide, the empty ones with the style's note),
the 财政拨款 pie computed in Decimal and never a 决算 chart on a 预算, 公开表.xlsx, the package's files and manifest.

The writers and the package are tested with a 情况说明 built here in the seed's structure (render replaced by it
in the package), so their results do not move with the narrative's wording; the last test runs the real 预算
narrative end to end, skipped only while kinds.SUPPORTED says the narrative does not take 部门预算 (a guard to
remove once the narrative's 预算 part is merged)."""

from __future__ import annotations

import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook

import budgetexport as bx
import seed002
from disclosure import kinds, tablegrid, workbook
from disclosure.errors import DisclosureError
from disclosure.export import ExportRefused, charts, export_package, package
from disclosure.export.word import WordBuilder, in_order
from disclosure.export.sheets import write_tables_xlsx
from disclosure.importers.export import import_export
from disclosure.model import Value
from disclosure.narrative.render import Document, Part, Section, style_config
from disclosure.narrative.style import NumberStyle
from disclosure.specs import YUSUAN
from wordfixtures import cell_texts, money, printed_amounts, workbook_amounts

STYLE = "shaanxi-yusuan"
UNIT, YEAR = "绥德县医疗保障局", 2023
BASE = f"{UNIT}{YEAR}年部门综合预算"
PIE = "财政拨款收入预算图"
IDS = [f"表{n}" for n in range(1, 16)]


def sangong_row(last: dict[str, str], this: dict[str, str]) -> dict:
    """A 表12 部门 row (seed 002 has none: its 表12 is empty) from the 上年 and 当年 leaf amounts, subtotals and
    增减变化情况 added up here in Decimal."""
    values: dict[str, Decimal] = {}
    for year, leaves in (("上年", last), ("当年", this)):
        leaf = {k: Decimal(v) for k, v in leaves.items()}
        car = leaf.get("公务用车购置费", 0) + leaf.get("公务用车运行维护费", 0)
        three = leaf.get("因公出国（境）费用", 0) + leaf.get("公务接待费", 0) + car
        figures = {**leaf, "公务用车小计": car, "三公小计": three,
                   "合计": three + leaf.get("会议费", 0) + leaf.get("培训费", 0)}
        values.update({f"{year}.{k}": v for k, v in figures.items()})
    for column in {c.split(".", 1)[1] for c in values}:
        values[f"增减变化情况.{column}"] = values.get(f"当年.{column}", Decimal(0)) - values.get(f"上年.{column}", Decimal(0))
    return {"code": "324", "name": UNIT, "values": values}


SANGONG = sangong_row({"公务接待费": "3.20", "公务用车运行维护费": "4.80", "会议费": "1.50", "培训费": "2.00"},
                      {"公务接待费": "2.70", "公务用车运行维护费": "4.80", "会议费": "1.20", "培训费": "2.50"})
PURCHASE = ["210", "15", "01", "324002", "打印机", "A02021001", "", "A4 黑白激光", "2",
            "310", "02", "503", "02", "2023年5月", Decimal("0.60"), "更换"]


def seed_document() -> Document:
    """A 情况说明 in seed 002's structure (three parts; 五、收支说明 with its sub-headings （一）–（五）)."""
    return Document(BASE, [
        Part("第一部分 部门概况", [
            Section("一", "一、主要职责及机构设置", ["1、贯彻中、省、市、县医疗保障工作方面的法律法规和政策规定。"]),
            Section("二", "二、工作任务", ["1、积极开展打击欺诈骗取基本医疗保险基金工作。"]),
            Section("三", "三、预算单位构成", ["本部门预算由3个单位构成。"]),
            Section("四", "四、人员情况说明", ["本部门编制人数64人，实有人数80人。"])]),
        Part("第二部分 收支情况", [
            Section("五", "五、收支说明", [
                "（一）收支预算总体情况", "本部门当年预算收入1982.47万元。",
                "（二）财政拨款收支情况", "本部门当年财政拨款收入1982.47万元，其中一般公共预算拨款收入1982.47万元。",
                "（三）一般公共预算拨款支出明细情况", "本部门当年一般公共预算拨款支出1982.47万元。",
                "（四）政府性基金预算支出情况", "本部门无当年政府性基金预算收支，并已公开空表。",
                "（五）国有资本经营预算拨款收支情况", "本部门无当年国有资本经营预算收支，并已公开空表。"])]),
        Part("第三部分 其他情况", [
            Section("六", "六、“三公”经费及会议费、培训费情况说明", ["本部门当年一般公共预算未安排“三公”经费及会议费、培训费支出。"]),
            Section("七", "七、国有资产占有使用及资产购置情况说明", ["当年部门预算安排购置车辆0辆。"]),
            Section("八", "八、政府采购情况说明", ["本部门当年无政府采购预算，并已公开空表。"]),
            Section("九", "九、绩效目标情况说明", ["本部门绩效目标管理全覆盖。"]),
            Section("十", "十、机关运行经费安排情况说明", ["本部门当年机关运行经费预算安排17万元。"]),
            Section("十一", "十一、专业名词解释", ["1、公用经费：包括办公及印刷费、邮电费、差旅费等。"])]),
    ])


def _book(folder: Path, variant: bx.Variant | None = None) -> Path:
    bx.write_export(folder / "导出.xlsx", variant)
    report = import_export(folder / "导出.xlsx")
    path = folder / "预算.xlsx"
    workbook.save_atomic(workbook.build(report.spec, report), path)
    return path


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    return _book(tmp_path_factory.mktemp("budget"))


@pytest.fixture(scope="module")
def report(book):
    return workbook.read(book)


@pytest.fixture(scope="module")
def config():
    return style_config(STYLE)


def _write_docx(report, config, path: Path) -> tuple[Path, WordBuilder]:
    numbers = NumberStyle.from_config(config)
    pictures = charts.draw(report, numbers, [PIE])
    builder = WordBuilder(report, seed_document(), config, pictures)
    builder.build()
    builder.save(path)
    return path, builder


@pytest.fixture(scope="module")
def docx(report, config, tmp_path_factory):
    path, builder = _write_docx(report, config, tmp_path_factory.mktemp("word") / "预算.docx")
    assert builder.placed == {PIE}
    return open_docx(str(path))


def _row(rows: list[list[str]], first: str) -> list[str]:
    return next(r for r in rows if r and r[0] == first)


# ---------------------------------------------------------------- Word

def test_every_amount_of_the_fifteen_tables_equals_the_workbook(docx, report):
    assert len(docx.tables) == 15  # no list of tables before them: the seed prints none
    for (tid, table), word_table in zip(in_order(report), docx.tables):
        printed = printed_amounts(word_table)
        assert printed == workbook_amounts(table), tid
        assert bool(printed) != table.is_empty, tid
    t1 = cell_texts(docx.tables[0])
    income = report.table("表1").row("收入总计", side="收入").amount("预算数")
    # the grand totals on one line, as seed 002 prints it: 收入总计 1,982.47 支出总计 1,982.47 ×3
    assert _row(t1, "收入总计") == ["收入总计", money(income)] + ["支出总计", money(income)] * 3
    assert income == Decimal("1982.47")
    spending = [report.table("表1").row("本年支出合计", side=s).amount("预算数")
                for s in ("支出功能分类", "部门预算支出经济分类", "政府预算支出经济分类")]
    assert _row(t1, "本年收入合计") == ["本年收入合计", "1,982.47"] + [x for a in spending for x in ("本年支出合计", money(a))]
    # a 项 row of 表5 at its place: code, name, 合计 | 人员 | 公用 | 专项 | 备注
    t5 = cell_texts(docx.tables[4])
    row = report.table("表5").row("2101550")
    assert _row(t5, "2101550") == ["2101550", row.name] + [money(row.amount(c)) if row.amount(c) else ""
                                                          for c in ("合计", "人员经费支出", "公用经费支出", "专项业务经费支出")] + [""]
    assert _row(t5, "2101550")[2:5] == ["587.33", "548.33", "39.00"]  # as the seed prints it
    # a form: 表13's 实施期资金总额 beside its label, the indicators as rows of text
    t13 = cell_texts(docx.tables[12])
    assert _row(t13, "实施期资金总额")[:2] == ["实施期资金总额", "1,132.00"]
    assert ["产出指标", "数量指标", "城乡居民参保县级补助比例", "100%", ""] in t13


def test_the_fifteen_tables_are_titled_and_ordered_as_the_seed_prints_them(docx):
    headings = [p.text for p in docx.paragraphs if p.style.name == "Heading 2" and p.text.startswith("\t\t表")]
    printed = seed002.sections()  # the seed text: "表N", then its title
    seed_titles = [next(x for x in printed[t] if x.strip()).replace(" ", "") for t in IDS]
    # a title too long for the page is printed on two lines, broken before its “（按…）” (word.title_lines)
    assert [(h.split("\n")[0], "".join(x.lstrip("\t") for x in h.split("\n")[1:])) for h in headings] == \
        [(f"\t\t{t}", title) for t, title in zip(IDS, seed_titles)]
    assert all(not line.endswith(("分", "按")) for h in headings for line in h.split("\n"))
    assert "部门综合预算政府性基金收支表" in seed_titles and "专项资金总体绩效目标表" in seed_titles


def _table_sections(docx) -> list:
    """The section each table is in (a table section ends with the paragraph that holds its sectPr)."""
    body = docx.element.body
    out, pending = [], 0
    sections = iter(docx.sections)
    section = next(sections)
    for el in body.iterchildren():
        if el.tag == qn("w:tbl"):
            pending += 1
        elif el.tag == qn("w:p") and el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            out += [section] * pending
            pending = 0
            section = next(sections)
    return out + [section] * pending


def test_wide_tables_are_landscape_and_forms_portrait(docx, report):
    orientation = dict(zip(IDS, (s.orientation for s in _table_sections(docx))))
    for tid, table in in_order(report):
        wide = tablegrid.layout(table.spec, table.rows).ncols >= 7
        assert orientation[tid] == (WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT), tid
    assert orientation["表1"] == orientation["表12"] == WD_ORIENT.LANDSCAPE
    assert orientation["表13"] == WD_ORIENT.PORTRAIT
    # cover, contents, text, then one section per table — and none after 表15 (it would be an empty page)
    assert len(docx.sections) == 3 + 15


def test_empty_tables_carry_the_budget_note_and_the_others_none(docx, report):
    notes = [p.text for p in docx.paragraphs if p.style.name == "表注"]
    assert "本部门无政府性基金预算收支，此表为空表。" in notes
    assert "本部门一般公共预算未安排“三公”经费及会议费、培训费支出，此表为空表。" in notes
    assert "本部门无政府采购预算，此表为空表。" in notes
    empty = [tid for tid, t in in_order(report) if t.is_empty]
    assert empty == ["表9", "表11", "表12"]  # seed 002: no 基金, no 采购, no 三公
    assert len([n for n in notes if n.endswith("此表为空表。")]) == len(empty)
    assert not any("决算" in n for n in notes)


def test_cover_contents_and_the_pie_in_its_subsection(docx):
    texts = [p.text for p in docx.paragraphs]
    assert texts[:2] == [UNIT, f"{YEAR}年部门综合预算"]
    assert "目　　录" in texts and "2023年部门综合预算公开表" in texts
    assert not any(t in texts for t in ("第四部分 专业名词解释", "第五部分 附件", "第三部分 2023年度部门决算表"))
    # TOC entries before Word fills them: the three parts, the sections, the heading and the fifteen tables
    toc = [p.text for p in docx.paragraphs if p.style.name.lower().startswith("toc")]
    assert toc[0] == "第一部分 部门概况" and toc[-1] == "表15 专项资金总体绩效目标表" and len(toc) == 3 + 11 + 1 + 15
    # the picture right after （二）'s text, before （三）; its caption says what it is
    at = texts.index("（二）财政拨款收支情况")
    assert texts[at + 2:at + 4] == ["", f"图1　{PIE}"] and texts[at + 4] == "（三）一般公共预算拨款支出明细情况"
    assert len(docx.inline_shapes) == 1


# ---------------------------------------------------------------- charts

def test_the_pie_splits_the_financial_allocation_by_source_in_decimal(book, report):
    assert charts.slices(report, PIE) == [("一般公共预算拨款", Decimal("1982.47"))]  # seed 002: no 基金, no 国资
    assert charts.shares(charts.slices(report, PIE)) == [Decimal("100.00")]
    # a 基金 part of 220.28 beside 1,982.47 makes the seed's printed 90% / 10%
    changed = workbook.read(book)
    fund = changed.table("表4").row("政府性基金拨款", side="收入")
    fund.values["预算数"] = Value(Decimal("220.28"), fund.values["预算数"].cell)
    parts = charts.slices(changed, PIE)
    assert parts == [("一般公共预算拨款", Decimal("1982.47")), ("政府性基金拨款", Decimal("220.28"))]
    assert charts.shares(parts) == [Decimal("90.00"), Decimal("10.00")]
    assert all(isinstance(s, Decimal) for s in charts.drawn_sizes(parts))
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig = charts.figure(plt, parts, "万元", NumberStyle.from_config(style_config(STYLE)))
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    plt.close(fig)
    assert legend == ["一般公共预算拨款　1982.47万元（90%）", "政府性基金拨款　220.28万元（10%）"]


def test_a_budget_never_gets_the_decision_charts(report):
    assert set(charts.kind_charts(report)) == {PIE}
    assert charts.slices(report, "收入决算图") == [] and charts.slices(report, "支出决算图") == []
    assert list(charts.draw(report)) == [PIE]
    with pytest.raises(DisclosureError, match="“收入决算图”不是部门预算的图表（部门预算可用：财政拨款收入预算图）"):
        charts.draw(report, names=["收入决算图"])


# ---------------------------------------------------------------- 公开表.xlsx

def test_public_tables_workbook_has_the_fifteen_sheets_in_order(report, config, tmp_path):
    path = write_tables_xlsx(report, config, tmp_path / "公开表.xlsx", document=f"{YEAR}年部门综合预算")
    wb = load_workbook(path)
    assert wb.sheetnames == IDS
    t1 = wb["表1"]
    assert t1["A1"].value == "部门综合预算收支总表" and t1["H2"].value == "表1"
    values = {c.value: c for row in t1.iter_rows() for c in row if c.value is not None}
    total = values["收入总计"]
    assert Decimal(str(t1.cell(total.row, total.column + 1).value)) == Decimal("1982.47")
    assert t1.oddHeader.center.text == f"{UNIT}{YEAR}年部门综合预算"
    t5 = wb["表5"]
    code = next(c for row in t5.iter_rows() for c in row if c.value == "2101550")
    assert [Decimal(str(t5.cell(code.row, code.column + k).value)) for k in (2, 3, 4)] == \
        [Decimal("587.33"), Decimal("548.33"), Decimal("39.00")]
    notes = [c.value for row in wb["表9"].iter_rows() for c in row if isinstance(c.value, str) and "空表" in c.value]
    assert notes == ["本部门无政府性基金预算收支，此表为空表。"]
    assert not [c for row in wb["表1"].iter_rows() for c in row if isinstance(c.value, str) and "空表" in c.value]


def test_sangong_and_purchases_when_the_budget_has_them(config, tmp_path):
    book = _book(tmp_path, bx.Variant(extra_rows={"表11": [PURCHASE], "表12": [SANGONG]}))
    report = workbook.read(book)
    path, _ = _write_docx(report, config, tmp_path / "预算.docx")
    doc = open_docx(str(path))
    t12 = cell_texts(doc.tables[11])
    row = _row(t12, "324")
    unit = report.table("表12").rows[0]
    assert row == ["324", UNIT] + [money(unit.amount(c.name)) if unit.amount(c.name) else ""
                                   for c in report.table("表12").spec.columns]
    assert row[2] == "11.50" and row[11] == "11.20" and row[20] == "-0.30"  # 上年 | 当年 | 增减变化情况 合计
    assert printed_amounts(doc.tables[10]) == workbook_amounts(report.table("表11")) and "0.60" in printed_amounts(doc.tables[10])
    notes = [p.text for p in doc.paragraphs if p.style.name == "表注"]
    assert not any("三公" in n or "政府采购" in n for n in notes)  # neither is empty now
    xlsx = load_workbook(write_tables_xlsx(report, config, tmp_path / "公开表.xlsx"))
    ws = xlsx["表12"]
    unit_cell = next(c for r in ws.iter_rows() for c in r if c.value == "324")
    assert Decimal(str(ws.cell(unit_cell.row, 3).value)) == Decimal("11.50")


# ---------------------------------------------------------------- the package

@pytest.fixture(scope="module")
def budget_package(book, tmp_path_factory):
    """The whole package, PDF included, with render giving seed_document for the 预算: the writers' results
    do not depend on what the narrative says."""
    real_render = package.render
    out = tmp_path_factory.mktemp("pkg") / "公开包"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(package, "render", lambda r, style=None, **kw: seed_document() if r.kind == YUSUAN
                   else real_render(r, style=style, **kw))
        with pytest.raises(ExportRefused) as refused:
            export_package(book, out, make_pdf=False)
        assert not out.exists()
        result = export_package(book, out, force=True, make_zip=True)
    return out, result, refused.value


def test_seed_002_is_refused_for_its_real_table_errors_then_forced(budget_package):
    out, result, refused = budget_package
    assert refused.problems and all(re.match(r"B\d\d ", p) for p in refused.problems)
    assert any(p.startswith("B19 表4!H11") for p in refused.problems)  # 704.07 against 表1's 743.08
    assert result.forced
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{BASE}.docx", f"{BASE}.pdf", "公开表.xlsx", "校验报告.xlsx", "校验报告.txt", "manifest.json", f"{BASE}公开包.zip"])


def test_manifest_and_check_report_say_部门预算(budget_package):
    out, result, _ = budget_package
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["kind"], manifest["unit"], manifest["year"], manifest["layout"]) == ("部门预算", UNIT, YEAR, "预算2023")
    assert manifest["check"]["错误"] == len([f for f in result.findings if f.severity == "错误"]) > 0
    assert manifest["check"]["forced"] is True
    if YUSUAN not in kinds.SUPPORTED[kinds.LINT]:
        # the lint does not read a 预算 text yet: "not checked", never "0 findings"
        assert manifest["narrative_check"] is None and result.lint_findings is None
        assert any("情况说明核对尚不支持部门预算" in w for w in result.warnings)
        assert "【情况说明核对】未核对" in (out / "校验报告.txt").read_text(encoding="utf-8")
    else:
        assert manifest["narrative_check"] is not None
    text = (out / "校验报告.txt").read_text(encoding="utf-8")
    assert text.startswith("注意：本公开包在校验存在错误") and f"{UNIT} {YEAR} 年度部门预算公开表 校验结果" in text
    assert "B19" in text and "【表4 部门综合预算财政拨款收支总表】" in text
    xlsx = load_workbook(out / "校验报告.xlsx")
    assert xlsx["校验结果"]["A1"].value == f"{UNIT} {YEAR} 年度部门预算公开 校验报告"
    assert {f["name"] for f in manifest["files"]} >= {f"{BASE}.docx", f"{BASE}.pdf", "公开表.xlsx"}
    assert not [w for w in result.warnings if "未放入" in w]  # the pie found its sub-section


def test_the_pdf_has_the_cover_the_tables_and_embedded_fonts(budget_package):
    out, result, _ = budget_package
    pdf = out / f"{BASE}.pdf"
    assert result.pdf and "目录" in result.pdf
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [re.sub(r"[ \t]+", "", page) for page in text.split("\f")]  # pdftotext spaces digits from CJK
    assert f"{UNIT}\n{YEAR}年部门综合预算" in pages[0] and "草稿" in pages[0]  # forced past 错误: a draft
    contents = pages[1] + pages[2]
    assert "目录" in contents and "表1部门综合预算收支总表" in contents and "表15专项资金总体绩效目标表" in contents
    for tid in IDS:  # each table's number at the right above its title, in the order of the layout
        assert any(line == tid for page in pages for line in page.splitlines()), tid
    assert "1,982.47" in text and "本部门无政府性基金预算收支，此表为空表。" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # every font embedded


def test_the_decision_package_says_部门决算_and_keeps_its_charts(tmp_path):
    from conftest import build_sample_book

    book = build_sample_book(tmp_path / "样例.xlsx")
    result = export_package(book, tmp_path / "包", make_pdf=False)
    manifest = json.loads((tmp_path / "包" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "部门决算" and manifest["narrative_check"] is not None
    doc = open_docx(str(next((tmp_path / "包").glob("*.docx"))))
    captions = [p.text for p in doc.paragraphs if p.text.startswith("图")]
    assert captions == ["图1　收入决算图", "图2　支出决算图"]
    assert not [w for w in result.warnings if "未放入" in w]
    assert "2024年度部门决算" in [p.text for p in doc.paragraphs][:3]


# ---------------------------------------------------------------- end to end, with the real 预算 narrative

def test_seed_002_workbook_exports_end_to_end(book, report, tmp_path):
    out = tmp_path / "包"
    with pytest.raises(ExportRefused):
        export_package(book, out, make_pdf=False)
    result = export_package(book, out, force=True, make_pdf=False)
    doc = open_docx(str(out / f"{BASE}.docx"))
    assert [p.text for p in doc.paragraphs][:2] == [UNIT, f"{YEAR}年部门综合预算"]
    tables = doc.tables[-15:]
    for (tid, table), word_table in zip(in_order(report), tables):
        assert printed_amounts(word_table) == workbook_amounts(table), tid
    assert not [w for w in result.warnings if "未放入" in w], result.warnings  # the pie's sub-section is there
    assert len(doc.inline_shapes) == 1
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "部门预算"


def test_a_folder_of_budget_and_juesuan_workbooks_checks_and_exports_each_as_its_kind(tmp_path, cli):
    import budgetconsistent
    from conftest import build_sample_book

    folder = tmp_path / "各单位"
    folder.mkdir()
    clean = budgetconsistent.clean_seed()
    workbook.save_atomic(workbook.build(clean.spec, clean), folder / "单位2.xlsx")
    build_sample_book(folder / "单位10.xlsx")
    result = cli("batch", folder, "--export", tmp_path / "包", "-o", tmp_path / "汇总.xlsx", "--jobs", "1")
    assert result.code == 0, result.err
    lines = [line.split("\t") for line in result.out.splitlines() if "\t" in line]
    assert [(x[0], x[1], x[4]) for x in lines] == [("单位2.xlsx", UNIT, "已导出"), ("单位10.xlsx", "子洲县医疗保障局", "已导出")]
    budget, juesuan = tmp_path / "包" / "单位2", tmp_path / "包" / "单位10"
    assert json.loads((budget / "manifest.json").read_text(encoding="utf-8"))["kind"] == YUSUAN
    assert (budget / f"{BASE}.docx").is_file() and (budget / f"{BASE}.pdf").is_file()
    assert json.loads((juesuan / "manifest.json").read_text(encoding="utf-8"))["kind"] == "部门决算"
    assert load_workbook(budget / "公开表.xlsx").sheetnames == [f"表{i}" for i in range(1, 16)]
