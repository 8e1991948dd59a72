"""The words of the generated 情况说明 (issue 17): 部门 or 单位 throughout, the order of section 五, the 十三
skeleton, the notes of 十四, 主要用于 and 中小企业 shares, 持平 at 100%, the style's number and list forms,
placeholders in plain words, and the cover date."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from docx import Document as open_docx
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import build_sample_book
from consistent import consistent_reports
from disclosure import workbook
from disclosure.checks import WARNING, run
from disclosure.export.word import write_docx
from disclosure.importers.export import import_export
from disclosure.inputs import FAMILIES, FIELDS, InputValue, Inputs, convert
from disclosure.model import Value
from disclosure.narrative import render as render_module
from disclosure.narrative.render import render, style_config
from disclosure.narrative.style import NumberStyle
from seedfixtures import SEED_001

PLACEHOLDER = re.compile(r"【待填写：[^】]*】")
SKELETON = ["（一）预算绩效管理工作开展情况说明", "（二）部门整体支出绩效自评结果", "（三）项目绩效自评结果",
            "（四）专项资金绩效自评结果", "（五）部门重点评价项目绩效评价结果", "（六）财政重点评价项目绩效评价结果"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return workbook.read(build_sample_book(tmp_path_factory.mktemp("words") / "样例.xlsx"))


@pytest.fixture(scope="module")
def empty001(export001, tmp_path_factory):
    """Seed 001's tables in a workbook whose 说明数据 is empty."""
    report = import_export(export001)
    path = tmp_path_factory.mktemp("e001") / "b.xlsx"
    return workbook.read(workbook.save_atomic(workbook.build(report.spec, report), path))


def with_inputs(report, changes: dict) -> Inputs:
    """The report's 说明数据 with some values set (as the sheet would hold them) or, for None, cleared."""
    values = dict(report.inputs.values if report.inputs else {})
    for key, raw in changes.items():
        value = None if raw is None else convert(key, raw)
        if value is None:
            values.pop(key, None)
        else:
            values[key] = InputValue(value, report.inputs.cell(key) if report.inputs else None)
    return Inputs(values, dict(report.inputs.cells if report.inputs else {}))


def section(doc, sid: str) -> list[str]:
    return next(s for p in doc.parts for s in p.sections if s.id == sid).paragraphs


def officer_words(inputs: Inputs) -> list[str]:
    """Everything the officer typed as text: printed as written, so not the generator's wording."""
    out = []
    for v in inputs.values.values():
        if isinstance(v.value, str):
            out.append(v.value.rstrip("。"))
        elif isinstance(v.value, list):
            out += v.value
    return sorted(out, key=len, reverse=True)


# ---------------------------------------------------------------- 部门 or 单位

@pytest.fixture
def report001(seed_books):
    """Seed 001 as filled from its published text; a test may change its figures."""
    return workbook.read(seed_books["001"])


def test_one_unit_makes_a_unit_document_throughout(report001, tmp_path):
    inputs = with_inputs(report001, {"单位构成": ["咸阳市医疗保障局本级"], "绩效": None})
    doc = render(report001, inputs)
    text = doc.text()
    assert doc.wording.org == "单位" and doc.title == "咸阳市医疗保障局（汇总）2023年度单位决算"
    assert [p.title for p in doc.parts] == ["第一部分 单位概况", "第二部分 2023年度单位决算情况说明"]
    assert [s.title for s in doc.parts[0].sections] == ["一、单位主要职责及内设机构", "二、单位决算单位构成",
                                                       "三、单位人员情况"]
    assert section(doc, "概况二") == ["本单位为咸阳市医疗保障局本级，纳入2023年度单位决算编制范围的单位共1个。"]
    assert section(doc, "概况三")[0].startswith("截至2023年底，本单位人员编制100人")
    assert "本单位2023年度无政府性基金预算财政拨款收支，已公开空表。" in section(doc, "七")
    assert "（二）单位整体支出绩效自评结果" in section(doc, "十三") and "本单位无主管专项资金。" in section(doc, "十三")
    assert "3.咸阳市医疗保障局（汇总）的决算数据反映1个预算单位（本单位本级）的数据情况。" in section(doc, "十四")
    # "部门" only where it is not the document: the officer's own words ("部门预算编制略大") and the name of
    # an evaluation kind (部门重点评价, 部门重点绩效评价)
    own = text
    for words in officer_words(inputs):
        own = own.replace(words, "")
    assert "部门" not in own.replace("部门重点", ""), re.findall(r".{8}部门.{8}", own)
    # the export's own words: the cover, 第三部分 and the empty-table reason
    assert doc.wording.tables == "单位决算表" and doc.wording.accounts == "单位决算"
    word = open_docx(str(write_docx(report001, doc, style_config("shaanxi"), {}, tmp_path / "d.docx")))
    paragraphs = [p.text for p in word.paragraphs]
    assert "2023年度单位决算" in paragraphs and "第三部分 2023年度单位决算表" in paragraphs
    assert not [p for p in paragraphs if "部门决算" in p or "部门概况" in p]
    cells = {c.text for t in word.tables for row in t.rows for c in row.cells}
    assert "本单位不涉及故公开空表" in cells and "本部门不涉及故公开空表" not in cells


def test_several_units_make_a_department_document(report001):
    doc = render(report001)  # 单位构成 lists three units
    assert doc.wording.org == "部门" and doc.title.endswith("2023年度部门决算")
    assert [p.title for p in doc.parts] == ["第一部分 部门概况", "第二部分 2023年度部门决算情况说明"]
    assert section(doc, "概况二")[0] == "纳入2023年度本部门决算编制范围的单位共3个，包括："
    assert "本部门2023年度无政府性基金预算财政拨款收支，已公开空表。" in section(doc, "七")
    assert "本单位" not in doc.text() and doc.wording.tables == "部门决算表"


@pytest.mark.parametrize("units,override,org", [
    (["甲局本级", "乙中心", "丙中心"], "单位", "单位"),
    (["甲局本级"], "部门", "部门"),
    (["甲局本级"], "本部门", "部门"),  # as an officer may type it
    (["甲局本级", "乙中心"], "单位决算", "单位"),
])
def test_the_override_in_the_inputs_wins(report001, units, override, org):
    doc = render(report001, with_inputs(report001, {"单位构成": units, "部门或单位": override}))
    assert doc.wording.org == org and doc.parts[0].title == f"第一部分 {org}概况"
    assert not [m for m in doc.missing if m.key == "部门或单位"]


def test_an_override_that_is_neither_is_named_with_its_cell(book004):
    workbook.update_inputs(book004, {"部门或单位": "科室", "单位构成": ["甲局本级"]})
    report = workbook.read(book004)
    doc = render(report)
    assert doc.wording.org == "单位"  # decided from 单位构成 as if nothing were typed
    wrong = [m for m in doc.missing if m.key == "部门或单位"]
    assert len(wrong) == 1 and "“科室”" in wrong[0].label and wrong[0].cell == report.inputs.cell("部门或单位")
    hints = [f for f in run(report) if f.rule == "N01" and f.cell == wrong[0].cell]
    assert len(hints) == 1 and "应为“部门”或“单位”" in hints[0].message


# ---------------------------------------------------------------- 五

ITEM = re.compile(r"\d+\.[^。]+（类）[^。]+（款）[^。]+（项）。年初预算(?:(?P<budget>[\d.]+)万元|【[^】]+】)，"
                  r"支出决算(?P<actual>[\d.]+)万元(?:，完成年初预算的(?P<rate>[\d.]+)%)?"
                  r"(?:，(?P<verdict>决算数与年初预算数持平|决算数(?:大于|小于)年初预算数的主要原因是：[^。]+"
                  r"|新增支出的主要原因是：[^。]+))?。")
TOTAL = re.compile(r"\d{4}年度一般公共预算财政拨款支出年初预算(?:[\d.]+万元|【[^】]+】)，支出决算[\d.]+万元"
                   r"(?:，完成年初预算的[\d.]+%)?，占本年支出合计的[\d.]+%。(?:决算数(?:大于|小于)年初预算数的主要原因是：[^。]+。|决算数与年初预算数持平。)?"
                   r"与上年相比，一般公共预算财政拨款支出")


def _check_five(doc) -> int:
    paragraphs = section(doc, "五")
    assert TOTAL.match(paragraphs[0]), paragraphs[0]
    sentences = [s for p in paragraphs for s in re.split(r"(?<=。)", p) if s]
    assert not [s for s in sentences if s.startswith(("占", "完成", "，"))]  # no clause without its subject
    items = paragraphs[2:]
    assert paragraphs[1] == "按照政府功能分类科目，其中：" and items
    for p in items:
        m = ITEM.fullmatch(p)
        assert m, p
        if m["rate"] is not None:  # the verdict follows the numbers
            budget, actual = Decimal(m["budget"]), Decimal(m["actual"])
            want = "持平" if budget == actual else ("大于" if actual > budget else "小于")
            assert want in (m["verdict"] or ""), p
    return len(items)


def test_section_five_reads_budget_actual_rate_share_then_the_reason(sample, seed_books):
    assert _check_five(render(sample)) == 13  # every 项 of the sample
    for seed in ("001", "004"):
        _check_five(render(workbook.read(seed_books[seed])))
    # the total's reason is its own sentence, after 占本年支出合计: never "…原因是：…。占本年支出合计…"
    first = section(render(sample), "五")[0]
    assert "完成年初预算的82.05%，占本年支出合计的100%。决算数小于年初预算数的主要原因是：" in first


def test_section_five_without_reasons_keeps_the_order(sample):
    inputs = with_inputs(sample, {k: None for k in sample.inputs.values if k.startswith("原因.")})
    doc = render(sample, inputs)
    assert _check_five(doc) == 13
    assert ("完成年初预算的90.18%，决算数小于年初预算数的主要原因是：【待填写：机关事业单位基本养老保险缴费支出（项）"
            "决算数小于年初预算数的原因】。") in section(doc, "五")[2]


# ---------------------------------------------------------------- 十三

def _published_skeleton() -> list[str]:
    text = SEED_001.read_text(encoding="utf-8")
    start = text.index("\n十三、预算绩效情况说明\n")  # the heading, not the 目录 entry ("- 十三、…")
    part = text[start:text.index("\n十四、其他需要说明的情况\n", start)]
    heads = [re.sub(r"\s+", "", line).replace("(", "（").replace(")", "）") for line in part.splitlines()]
    return [h for h in heads if re.fullmatch(r"（[一二三四五六]）\S+", h)]


def test_without_performance_text_thirteen_is_the_styles_skeleton(book004):
    assert _published_skeleton() == SKELETON  # the Shaanxi 2023 headings, as seed 001 prints them
    doc = render(workbook.read(book004))
    paragraphs = section(doc, "十三")
    assert paragraphs[::2] == SKELETON
    todo = "【待填写：本项绩效情况（或在说明数据“绩效”中填写十三节全文）】"
    assert paragraphs[1::2] == [todo, todo, todo, "本部门无主管专项资金。", "本部门未开展部门重点绩效评价。",
                                "本部门无财政重点评价项目。"]
    assert [m.key for m in doc.missing].count("绩效") == 1


def test_performance_text_replaces_the_skeleton(sample):
    paragraphs = section(render(sample), "十三")
    assert paragraphs == ["根据预算绩效管理要求，本部门组织开展了2024年度部门整体支出绩效自评工作。"]
    doc = render(sample, with_inputs(sample, {"绩效": "（一）预算绩效管理工作开展情况说明\n本部门开展了自评。"}))
    assert section(doc, "十三") == ["（一）预算绩效管理工作开展情况说明", "本部门开展了自评。"]


# ---------------------------------------------------------------- 十四

def _tail_differences(report) -> bool:
    return any(f.severity == WARNING and f.message.startswith("尾差") for f in run(report))


def test_fourteen_carries_every_note_in_the_styles_numbered_form(sample):
    assert _tail_differences(sample)  # the sample's 02/03/05 have 尾差 (check finds them)
    assert section(render(sample), "十四") == [
        "1.决算公开表格中金额数值保留两位小数，公开数据为四舍五入计算结果；个别数据项之间，个别数据合计项与分项数字之和"
        "存在小数点后尾差。",
        "2.决算公开表格中部分数据约值万元时显示为零，实际不为零。",
        "3.子洲县医疗保障局的决算数据反映3个预算单位的数据汇总情况。",
        "4.与年初预算单位相比，无预算单位调整。",
        "5.决算公开联系方式及信息反馈渠道。联系电话：（0912）0000000。如电话号码发生变更，请通过其他公开渠道另行获取，"
        "本文本不再更新。"]


def test_fourteen_with_the_officers_notes_and_without_inputs(sample):
    inputs = with_inputs(sample, {"联系电话": "0912-7654321", "机构改革": "无", "其他说明": "1.本年新设稽核科\n2、其他无"})
    notes = section(render(sample, inputs), "十四")
    assert notes[3:] == ["4.与年初预算单位相比，无预算单位调整。", "5.本年新设稽核科。", "6.其他无。",
                         "7.决算公开联系方式及信息反馈渠道。联系电话：0912-7654321。如电话号码发生变更，"
                         "请通过其他公开渠道另行获取，本文本不再更新。"]
    doc = render(sample, with_inputs(sample, {"联系电话": None, "机构改革": None, "单位构成": None}))
    notes = section(doc, "十四")
    assert notes[2] == "3.子洲县医疗保障局的决算数据反映【待填写：纳入决算编制范围的单位名单】的数据汇总情况。"
    assert notes[3] == "4.【待填写：机构改革、预算单位调整情况（没有则填“无”）】。"
    assert "联系电话：【待填写：联系电话】。" in notes[4]
    phone = next(m for m in doc.missing if m.key == "联系电话")
    assert phone.cell == sample.inputs.cell("联系电话") and phone.cell is not None


@settings(max_examples=15, deadline=None)
@given(report=consistent_reports(), data=st.data())
def test_the_tail_difference_note_appears_exactly_when_check_finds_one(report, data):
    if data.draw(st.booleans(), label="bump"):  # one figure off by a cent: a 尾差, or an error where it cannot be
        targets = [(t, r, c) for t in report.tables.values() for r in t.rows for c in r.values]
        table, row, column = data.draw(st.sampled_from(targets), label="cell")
        old = row.values[column]
        row.values[column] = Value(old.amount + Decimal("0.01"), old.cell)
    first = section(render(report), "十四")[0]
    assert ("尾差" in first) == _tail_differences(report), first


# ---------------------------------------------------------------- 主要用于, 中小企业

def test_what_spending_was_for_and_sme_shares_are_stated_when_given(report001):
    actual = report001.table("09").row("决算数")
    for column, amount in (("公务用车运行维护费", "1.20"), ("公务接待费", "0.80")):
        actual.values[column] = Value(Decimal(amount), actual.values[column].cell)
    inputs = with_inputs(report001, {"主要用于.会议费": "主要用于召开全市医保工作会议。",
                                     "主要用于.公务用车运行维护费": "燃油费、维修费和保险费",
                                     "政府采购.货物授予中小企业": "21.11"})
    doc = render(report001, inputs)
    nine, eleven = section(doc, "九"), section(doc, "十一")[1]
    assert "会议费主要用于召开全市医保工作会议。" in nine  # the lead-in is not said twice
    assert "公务用车运行维护费主要用于燃油费、维修费和保险费。" in nine
    assert "公务接待费主要用于【待填写：哪些公务接待】。" in nine
    assert "培训费主要用于【待填写：举办了哪些培训】。" in nine
    assert "货物采购授予中小企业合同金额21.11万元，占政府采购货物支出合同金额的100%" in eleven
    assert "服务采购授予中小企业合同金额【待填写：服务采购授予中小企业合同金额】" in eleven
    assert "工程采购" not in eleven  # nothing bought: no share to state
    keys = {m.key for m in doc.missing}
    assert {"主要用于.公务接待费", "主要用于.培训费", "政府采购.服务授予中小企业"} <= keys
    assert not keys & {"主要用于.会议费", "主要用于.公务用车运行维护费", "政府采购.货物授予中小企业"}


def test_nothing_spent_asks_for_no_purpose(report001):
    nine = section(render(report001), "九")  # 001 spent nothing on 公务用车运行维护 and 公务接待
    assert not [p for p in nine if p.startswith(("公务用车运行维护费主要用于", "公务接待费主要用于"))]


# ---------------------------------------------------------------- 持平 at 100%

def test_a_budget_spent_exactly_reads_level(sample, report001):
    text = render(sample).text()
    assert "年初预算1.58万元，支出决算1.58万元，完成年初预算的100%，决算数与年初预算数持平。" in text
    assert "完成预算的100%，决算数与预算数持平。支出决算比上年减少4.46万元" in text  # 十 机关运行经费
    row = report001.table("09").row("决算数")
    row.values["会议费"] = Value(Decimal("25.00"), row.values["会议费"].cell)  # 预算 25, now spent in full
    nine = section(render(report001), "九")
    assert any("会议费预算25万元，支出决算25万元，完成预算的100%，决算数与预算数持平。" in p for p in nine)
    assert not re.search(r"完成(?:年初)?预算的100%，决算数[大小]于", text)


# ---------------------------------------------------------------- numbers and list numbers

def test_number_style_both_ways():
    shaanxi, plain = NumberStyle.from_config(style_config("shaanxi")), NumberStyle()
    for value, short, full in [("2444.56", "2444.56", "2,444.56"), ("1100", "1100", "1,100.00"), ("0", "0", "0.00"),
                               ("2433.00", "2433", "2,433.00"), ("0.4", "0.40", "0.40"), ("1234567.5", "1234567.50",
                                                                                          "1,234,567.50")]:
        assert (shaanxi.amount(Decimal(value)), plain.amount(Decimal(value))) == (short, full)
    for value, short, full in [("100.00", "100", "100.00"), ("0.00", "0", "0.00"), ("82.05", "82.05", "82.05")]:
        assert (shaanxi.percent(Decimal(value)), plain.percent(Decimal(value))) == (short, full)


@pytest.fixture
def restyled(monkeypatch):
    """render() with the Shaanxi style's settings changed."""
    def use(**changes):
        config = {**style_config("shaanxi"), **changes}
        monkeypatch.setattr(render_module, "style_config", lambda style: config)
    return use


def test_the_style_file_decides_how_numbers_read(sample, restyled):
    text = render(sample).text()  # Shaanxi: no thousands separator, 1100万元, 0万元, 100%
    assert "均为2444.56万元" in text and "年初预算2433万元" in text and "年初预算0万元" in text
    assert "占本年支出合计的100%" in text and not re.search(r"\d,\d{3}", text)
    restyled(numbers={"thousands_separator": True, "whole_amounts": "full", "whole_percents": "full"})
    text = render(sample).text()
    assert "均为2,444.56万元" in text and "年初预算2,433.00万元" in text and "年初预算0.00万元" in text
    assert "占本年支出合计的100.00%" in text and "完成年初预算的82.05%" in text


def _list_marks(doc) -> set[str]:
    return {m.group(1) for p in doc.parts for s in p.sections for x in s.paragraphs
            for m in [re.match(r"\d+([.．、])", x)] if m}


def test_list_numbers_are_one_form_as_the_style_says(sample, restyled):
    doc = render(sample)
    assert _list_marks(doc) == {"."}
    numbered = {s.id for p in doc.parts for s in p.sections if any(re.match(r"\d+\.", x) for x in s.paragraphs)}
    assert {"概况二", "五", "九", "十四"} <= numbered
    restyled(list_number="{n}．")
    assert _list_marks(render(sample)) == {"．"}


# ---------------------------------------------------------------- placeholders

KEYS = [f.key for f in FIELDS if "." in f.key] + [prefix for prefix, *_ in FAMILIES] + ["三公.", "上年.", "人员."]
CELL = re.compile(r"[A-Z]{1,3}\d+|!")


@pytest.mark.parametrize("which", ["sample", "001", "004", "empty001", "empty004", "one unit, nothing filled"])
def test_placeholders_are_plain_words(which, sample, seed_books, empty001, book004):
    if which == "sample":
        doc = render(sample)
    elif which in ("001", "004"):
        doc = render(workbook.read(seed_books[which]))
    elif which == "empty001":
        doc = render(empty001)
    else:
        report = workbook.read(book004)
        doc = render(report, with_inputs(report, {"单位构成": ["甲局"]}) if which != "empty004" else None)
    text = doc.text()
    found = set(PLACEHOLDER.findall(text))
    assert found or which == "sample"  # the sample is filled in; the others lack something
    for p in found:
        assert not [k for k in KEYS if k in p] and not CELL.search(p), p
        assert not p.startswith("【待填写：说明数据“") and "原因说明“" not in p, p  # not where it is typed
    assert found == {m.placeholder for m in doc.missing if m.placeholder in text}  # each one is listed
    if which == "004":
        assert "【待填写：一般公共预算财政拨款支出决算数小于年初预算数的原因】" in found


# ---------------------------------------------------------------- cover date

@pytest.mark.parametrize("typed,expected", [
    ("2025-08-20", date(2025, 8, 20)), ("2025年8月", date(2025, 8, 1)), ("2025年8月20日", date(2025, 8, 20)),
    ("２０２５年８月", date(2025, 8, 1)), ("2025/8/20 00:00:00", date(2025, 8, 20)), ("2025.8", date(2025, 8, 1)),
])
def test_the_cover_date_is_the_inputs_publication_date(sample, typed, expected):
    doc = render(sample, with_inputs(sample, {"公开日期": typed}))
    assert doc.cover_date == expected and not [m for m in doc.missing if m.key == "公开日期"]


def test_the_cover_date_defaults_to_today_and_a_bad_one_is_named(sample, tmp_path):
    assert render(sample).cover_date == date.today()
    doc = render(sample, with_inputs(sample, {"公开日期": "八月底"}))
    assert doc.cover_date == date.today()
    bad = [m for m in doc.missing if m.key == "公开日期"]
    assert len(bad) == 1 and "“八月底”不是日期" in bad[0].label
    doc = render(sample, with_inputs(sample, {"公开日期": "2025年8月"}))
    word = open_docx(str(write_docx(sample, doc, style_config("shaanxi"), {}, tmp_path / "d.docx")))
    assert "2025年8月" in [p.text for p in word.paragraphs[:8]]  # the cover
