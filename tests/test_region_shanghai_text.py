"""The 上海 2024 情况说明 style (templates/narrative/shanghai) and lint of a Shanghai text, on the Putuo reference
(上海市普陀区财政局 2024: tests/putuo_text.py builds its tables and 说明数据 from putuo_2024_tables.yaml and the
reference text) and on the bundled 陕西 sample rendered in the 上海 style."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from disclosure.errors import InputError
from disclosure.lint import lint
from disclosure.lint.normalize import normalize
from disclosure.lint.text import read_document
from disclosure.narrative.render import render

import putuo2024
import putuo_text

# figures of the reference no generator can print: a 完成率 on a 预算 of nothing (七: the table gives no 预算数
# for these items, the text prints "0%")
UNSTATED = {"sg_abroad_completion", "sg_car_completion", "sg_reception_completion"}
# the known errors the text shows (the others are sums inside the tables: `check` finds those)
TEXT_ERRORS = {"fiscal_total", "gp_201_share", "gp_budget", "pp"}


@pytest.fixture(scope="module")
def putuo():
    rep = putuo_text.report()
    rep.inputs = putuo_text.inputs(rep)
    return rep


@pytest.fixture(scope="module")
def doc(putuo):
    return render(putuo)


def _printed(use) -> Decimal:
    f = use.fact
    return f.rounded() if f.kind == "percent" else f.value


def test_putuo_renders_in_the_shanghai_parts_and_sections(doc):
    assert doc.title == "上海市普陀区财政局2024年度部门决算"
    assert [p.title for p in doc.parts] == ["第一部分 上海市普陀区财政局概况",
                                           "第三部分 上海市普陀区财政局2024年度部门决算情况说明", "第四部分 名词解释"]
    sections = doc.parts[1].sections
    assert [s.title.split("、")[0] for s in sections] == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    assert sections[9].title == "十、预算绩效管理情况" and sections[10].title == "十一、其他重要事项的情况说明"
    glossary = doc.parts[2].sections[0].paragraphs
    assert len(glossary) == 11 and glossary[0].startswith("一、财政拨款收入：") and glossary[-1].startswith("十一、机关运行经费：")
    text = doc.text()
    # the template's fixed sentences, in its words
    assert "上海市普陀区财政局2024年度无政府性基金预算财政拨款收入和支出。" in text
    assert "上海市普陀区财政局2024年度无“三公”经费财政拨款支出。" in text
    assert "在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额4.79万元。" in text


def test_every_figure_of_the_putuo_text_regenerates_and_its_errors_show(doc):
    """Each figure of the reference's 第三部分 (100, by section) is printed by the generator with the same value —
    except the known text errors, where the generator prints the recomputed value instead."""
    data = putuo2024.load()
    figures = putuo2024.figures(data)
    assert len(figures) == 100
    errors = {e["id"]: e for e in data["known_errors"] if e["kind"] == "narrative"}
    printed = {}
    for use in doc.uses:
        printed.setdefault(use.section, Counter())[_printed(use)] += 1
    text = doc.text()
    missed, shown = [], []
    for fid, fig in figures.items():
        if fid in UNSTATED:
            continue
        ours = printed.get(fig["section"], Counter())
        if fig["section"] == "十":  # the officer's own 绩效 text (说明数据“绩效”), printed as written
            assert f"{fig['value']}{fig.get('unit', '')}" in text.replace("万元", ""), fid
            continue
        if fid in TEXT_ERRORS:
            e = errors[fid]
            assert ours[e["recomputed"]] and not ours[e["printed"]], (fid, e)
            shown.append(fid)
        elif not ours[fig["value"]]:
            missed.append((fid, fig["value"]))
    assert missed == []
    assert sorted(shown) == sorted(TEXT_ERRORS)
    # the 71.73% share: 2106.66 ÷ 2940.05, from 05's cells
    share = next(u for u in doc.uses if u.section == "五" and u.fact.kind == "percent" and _printed(u) == Decimal("71.65"))
    assert "201 一般公共服务支出" in share.fact.formula and "合计" in share.fact.formula
    assert doc.missing and {m.key for m in doc.missing} == {"主要职责"}  # 第一部分's text is not in the fixture


def test_shanghai_reasons_are_asked_only_of_a_shanghai_report():
    """The 上海 三公 item 公务用车购置及运行维护费 needs a reason once spent; a 陕西 report is never asked for it."""
    import msgspec

    from disclosure.model import Value
    from disclosure.narrative.model import build

    def reasons(style: str) -> set[str]:
        rep = putuo_text.report()
        rep.spec = msgspec.structs.replace(rep.spec, style=style)
        for column in ("公务用车运行维护费", "公务用车购置及运行维护费", "合计"):
            rep.table("09").row("决算数").values[column] = Value(Decimal("0.50"))
        rep.inputs = putuo_text.inputs(rep)
        return {r.key for r in build(rep)["model"].reasons}

    assert {"公务用车购置及运行维护费预算执行", "公务用车购置及运行维护费"} <= reasons("shanghai")
    assert not any(k.startswith("公务用车购置及运行维护费") for k in reasons(""))


def test_the_sample_renders_in_the_shanghai_style_with_placeholders_for_its_inputs(tmp_path):
    from conftest import build_sample_book
    from disclosure import workbook

    rep = workbook.read(build_sample_book(tmp_path / "s.xlsx"))
    doc = render(rep, style="shanghai")
    text = doc.text()
    assert "子洲县医疗保障局2024年度收入支出总计2444.56万元。与2023年度相比，收入支出总计减少982.88万元，下降28.68%。" in text
    # 05 类 shares: 2342.16 ÷ 2444.56
    assert "卫生健康支出（类）2342.16万元，占95.81%" in text
    assert "部级领导干部用车0辆" in text  # no vehicle at all: none of any use, nothing asked
    missing = {m.key for m in doc.missing}
    assert "政府采购.预留中小企业" in missing and "主要用于.项.2101501" in missing
    assert "【待填写：面向中小企业预留政府采购项目预算金额（上海）】" in text


def test_displaced_pdf_digits_are_put_back():
    """pdftotext puts digits set in another font on the line below, leaving holes: they go back in order."""
    text = ("一、收入支出决算总体情况说明\n上海市某局 年度收入支出总计 万元。与 年度相比，收入\n2024 2995.39 2023\n"
            "支出总计减少 万元，下降 。主要原因：略。\n56.95 1.87%\n"
            "、一般公共服务支出（类）财政事务（款）行政运行（项）。\n1\n"
            "“三公”经费 年度无 三公 经费支出。\n2024 “ ”\n")
    out = normalize(text)
    assert "上海市某局2024年度收入支出总计2995.39万元。与2023年度相比，收入支出总计减少56.95万元，下降1.87%。" in out
    assert "1、一般公共服务支出（类）" in out and "2024年度无“三公”经费支出。" in out
    # a text with a line of numbers that fills nothing is left as it was
    plain = "本年收入合计\n2946.25\n万元，其中：财政拨款收入2940.05万元。\n"
    assert normalize(plain) == "本年收入合计2946.25万元，其中：财政拨款收入2940.05万元。"


def test_lint_of_the_putuo_text_finds_its_text_errors_and_no_false_error(putuo):
    findings = lint(putuo2024.SOURCE.read_text(encoding="utf-8"), putuo)
    errors = [(f.rule, f.section, f.says, f.should) for f in findings if f.severity == "错误"]
    assert sorted((s, says) for _, s, says, _ in errors) == sorted(
        [("四", "0.3万元"), ("五", "71.73%"), ("五", "2993.92万元"), ("十一", "251.25万元")])
    by_says = {says: (rule, should) for rule, _, says, should in errors}
    assert by_says["0.3万元"][1].startswith("应为 2,961.68万元（公开04表 收入总计")
    assert by_says["71.73%"][1].startswith("应为 71.65%")
    place = next(f.place for f in findings if f.says == "0.3万元")
    assert place == "第三部分 四、财政拨款收入支出决算总体情况说明"
    assert not [f for f in findings if f.severity == "警告"]


def test_lint_reads_the_shanghai_sections_and_refuses_what_it_cannot(putuo):
    read = read_document(putuo2024.SOURCE.read_text(encoding="utf-8"), "shanghai")
    assert read.found == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    assert "收入支出决算总表" in read.tables  # 第二部分 holds the tables
    with pytest.raises(InputError, match="读不懂这份情况说明"):
        lint("第三部分 情况说明\n本年收入合计2946.25万元。\n", putuo)


def test_a_wrong_empty_table_claim_is_found_in_the_shanghai_numbering(putuo):
    """八 (基金, table 07) in the 上海 text: a section that states amounts for an empty table is an error there."""
    text = putuo2024.SOURCE.read_text(encoding="utf-8").replace(
        "上海市普陀区财政局 年度无政府性基金预算财政拨款收入和支出。\n2024",
        "政府性基金预算财政拨款收入 万元，支出 万元。\n12.00 12.00", 1)
    found = [f for f in lint(text, putuo) if f.rule == "L12"]
    assert [(f.section, f.severity) for f in found] == [("八", "错误")]
    assert found[0].place == "第三部分 八、政府性基金预算财政拨款收入支出决算情况说明"


# ---------------------------------------------------------------- from the export, as an officer would

def _imported(tmp_path, variant=None):
    from disclosure import workbook
    from disclosure.importers.export import import_export
    from putuo_workbook import build

    report = import_export(build(tmp_path / "普陀导出.xlsx", variant))  # no layout given: 上海2024 is detected
    book = workbook.save_atomic(workbook.build(report.spec, report), tmp_path / "普陀.xlsx")
    report = workbook.read(book)
    report.inputs = putuo_text.inputs(report)
    return report


def test_the_putuo_export_imported_renders_the_same_text(tmp_path, doc):
    """The export laid out as Putuo prints its tables, imported with nothing said about its region, gives the
    上海 text with the same numbers as the tables transcribed (putuo_text) — its region's style by default."""
    report = _imported(tmp_path)
    assert (report.layout, report.spec.region, report.spec.style) == ("上海2024", "上海", "shanghai")
    ours = render(report)
    assert [p.title for p in ours.parts] == [p.title for p in doc.parts]
    for mine, theirs in zip((s for p in ours.parts for s in p.sections), (s for p in doc.parts for s in p.sections)):
        assert mine.paragraphs == theirs.paragraphs, mine.title


def test_a_state_capital_table_with_a_row_is_told_item_by_item(tmp_path):
    from putuo_workbook import Variant

    values = {"年初结转和结余": Decimal("1.00"), "本年收入": Decimal("5.00"), "本年支出 小计": Decimal("4.00"),
              "本年支出 项目支出": Decimal("4.00"), "年末结转和结余": Decimal("2.00")}
    rows = [{"code": code, "name": name, "values": values} for code, name in (
        (None, "合计"), ("223", "国有资本经营预算支出"), ("22301", "解决历史遗留问题及改革成本支出"),
        ("2230199", "其他解决历史遗留问题及改革成本支出"))]
    report = _imported(tmp_path, Variant(rows={"九": rows}))
    section = next(s for p in render(report).parts for s in p.sections if s.id == "九")
    text = "".join(section.paragraphs)
    assert "国有资本经营预算财政拨款收入5.00万元，支出4.00万元，支出具体情况如下" in text
    assert "其他解决历史遗留问题及改革成本支出" in text and "4.00万元" in text
    assert "【待填写" in text  # its 年初预算 and 用途 are not in the 说明数据: asked for
