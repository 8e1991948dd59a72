"""The 部门预算 情况说明 (narrative/budget.py, templates/narrative/shaanxi-yusuan) from seed 002's tables (imported from
an export laid out as the seed prints them, tests/budgetexport.py) and the 说明数据 its text presupposes
(fixtures/seeds/002_inputs.yaml, every 上年预算 figure derived from the seed's own sentences).

The generated text must say every number of the seed's 第二、第三部分 that follows from the tables and inputs —
with the right ones where the seed is wrong: 一般公共预算拨款支出 1,982.47 (the seed prints 0), 743.08 as 505
对事业单位经常性补助 (the seed names it 506 对事业单位资本性补助). Sentences are compared by their numbers and codes.
"""

from __future__ import annotations

import random
import copy
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import budgetexport as bx
from disclosure import workbook
from disclosure.errors import InputError
from disclosure.importers.export import import_export
from disclosure.inputs import InputValue, Inputs, flatten
from disclosure.lint import lint
from disclosure.narrative.budget import build
from disclosure.narrative.render import render
from disclosure.specs import YUSUAN
from conftest import build_sample_book, set_cover_year
from seed002 import SEED_002, SEEDS

INPUTS_002 = SEEDS / "002_inputs.yaml"
NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(?:万元|人|辆|台|个)")


def numbers(text: str) -> list[Decimal]:
    return [Decimal(m.group(1).replace(",", "")) for m in NUMBER.finditer(text)]


def seed_inputs() -> dict:
    return flatten(yaml.safe_load(INPUTS_002.read_text(encoding="utf-8")), kind=YUSUAN)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    folder = tmp_path_factory.mktemp("budget")
    bx.write_export(folder / "导出.xlsx")
    report = import_export(folder / "导出.xlsx")
    path = workbook.save_atomic(workbook.build(report.spec, report), folder / "预算.xlsx")
    workbook.update_inputs(path, seed_inputs())
    return path


@pytest.fixture(scope="module")
def report(book):
    return workbook.read(book)


@pytest.fixture(scope="module")
def doc(report):
    return render(report)


def section(doc, sid: str) -> list[str]:
    return next(s.paragraphs for p in doc.parts for s in p.sections if s.id == sid)


def paragraph(doc, sid: str, start: str) -> str:
    found = [p for p in section(doc, sid) if p.startswith(start)]
    assert len(found) == 1, (start, section(doc, sid))
    return found[0]


def item(doc, code: str) -> str:
    found = [p for p in section(doc, "五") if f"（{code}）" in p]
    assert len(found) == 1, code
    return found[0]


D = Decimal


def test_title_parts_and_sections_follow_the_seed(doc):
    assert doc.title == "绥德县医疗保障局2023年部门综合预算"
    assert [p.title for p in doc.parts] == ["第一部分 部门概况", "第二部分 收支情况", "第三部分 其他情况"]
    assert [s.title for s in doc.parts[2].sections][0] == "六、“三公”经费及会议费、培训费情况说明"
    assert doc.style == "shaanxi-yusuan"


def test_overall_and_fiscal_totals_with_the_right_general_budget_spending(doc):
    overall = paragraph(doc, "五", "按照综合预算的原则")
    # 收入 1,982.47 (一般公共预算 1,982.47, 基金 0) 较上年减少 228.41; 支出 likewise (表1, 表5, 表9)
    assert numbers(overall) == [D("1982.47"), D("1982.47"), D(0), D("228.41")] * 2
    assert overall.count("较上年减少228.41万元，主要原因是专项业务经费减少") == 2
    fiscal = paragraph(doc, "五", "本部门当年财政拨款收入")
    # the seed prints "其中一般公共预算拨款支出 0 万元" here; 表4/表5 say 1,982.47
    assert "其中一般公共预算拨款支出1982.47万元" in fiscal and "一般公共预算拨款支出0万元" not in fiscal
    assert numbers(fiscal) == [D("1982.47"), D("1982.47"), D(0), D("228.41")] * 2
    assert "一般共预算" not in fiscal
    scale = paragraph(doc, "五", "本部门当年一般公共预算拨款支出")
    assert numbers(scale) == [D("1982.47"), D("228.41")] and scale.endswith("主要原因是专项业务经费减少。")


# (code, 本年, direction, change, reason) as the seed prints them (its 21011 款 aside: 表5 has two 项)
FUNCTION = [("2080505", "67.80", "减少", "16.48", "人员减少"), ("2080506", "33.90", "减少", "8.40", "人员减少"),
            ("2082702", "1.30", "减少", "1", "人员减少"), ("2101501", "121.47", "增加", "6.72", "人员经费增加"),
            ("2101550", "587.33", "增加", "111.68", "人员经费增加"), ("2109999", "1090", "减少", "286", "专项业务经费减少"),
            ("2210201", "58.10", "减少", "4.90", "人员减少")]
DEPARTMENT = [("301", "786.73", "增加", "85.94", "人员经费增加"), ("302", "98", None, None, None),
              ("303", "1097.75", "减少", "314.34", "专项业务经费减少")]
GOVERNMENT = [("501", "82.65", "减少", "6.20", "人员工资调整"), ("502", "59", None, None, None),
              ("505", "743.08", "增加", "79.74", "人员工资调整"), ("509", "1097.75", "减少", "314.34", "专项业务经费减少")]


@pytest.mark.parametrize("code, amount, direction, change, reason", FUNCTION + DEPARTMENT + GOVERNMENT)
def test_each_item_says_its_amount_change_and_reason(doc, code, amount, direction, change, reason):
    text = item(doc, code)
    if direction is None:
        assert numbers(text) == [D(amount)] and "与上年一致" in text
    else:
        assert numbers(text) == [D(amount), D(change)]
        assert f"较上年{direction}{change}万元，原因是{reason}" in text


def test_items_are_listed_in_order_and_the_505_line_is_named_right(doc):
    body = "\n".join(section(doc, "五"))
    codes = list(dict.fromkeys(re.findall(r"（(\d{3,7})）", body)))  # a placeholder names its code again
    assert codes == ["2080505", "2080506", "2082702", "2101101", "2101102", "2101501", "2101550", "2109999",
                     "2210201", "301", "302", "303", "501", "502", "505", "509"]
    assert "对事业单位经常性补助（505）743.08万元" in body and "（506）" not in body
    # 表5 has two 项 under the 21011 款 the seed lists as one: last year's split is not in the seed text
    for code, name in (("2101101", "行政单位医疗"), ("2101102", "事业单位医疗")):
        assert f"较上年【待填写：{name}（{code}）上年预算数】" in item(doc, code)


def test_other_sections(doc):
    assert section(doc, "六") == ["本部门当年一般公共预算未安排“三公”经费及会议费、培训费支出。"]
    assert section(doc, "七") == ["当年部门预算安排购置车辆0辆；安排购置单价20万元以上的设备0台（套）。"]
    assert section(doc, "八") == ["本部门当年无政府采购预算，并已公开空表。"]
    assert numbers(section(doc, "九")[0]) == [D("1982.47"), 0, 0]
    assert section(doc, "十") == ["本部门当年机关运行经费预算安排17万元，与上年一致。"]
    assert "本部门无当年政府性基金预算收支，并已公开空表。" in section(doc, "五")
    assert "本部门无当年国有资本经营预算收支，并已公开空表。" in section(doc, "五")
    staff = section(doc, "概况四")
    assert numbers(staff[0]) == [48, 6, 42, 63, 6, 57, 0]  # no 参照公务员法管理 staff: not named
    assert [numbers(p) for p in staff[1:]] == [[6, 6], [31, 45], [11, 12]]
    assert "共有3个" in section(doc, "概况三")[1]
    assert section(doc, "十一")[2] == "3、财政拨款收入：指县财政部门当年拨付的资金。"


def _use(doc, text: str, section_id: str = "五"):
    return next(u for u in doc.uses if u.text == text and u.section == section_id)


def test_provenance_names_the_cells(doc, report):
    gov = next(r for r in report.table("表1").rows if r.side == "政府预算支出经济分类" and r.code == "505")
    use = _use(doc, "743.08")
    assert use.fact.cells == (gov.values["预算数"].cell,)
    assert use.fact.formula == "表1 政府预算支出经济分类 对事业单位经常性补助·预算数"
    row = report.table("表5").row("2080505")
    change = _use(doc, "16.48").fact
    assert set(change.cells) == {row.values["合计"].cell, report.inputs.cell("上年.功能.2080505")}
    assert str(report.inputs.cell("上年.功能.2080505")).startswith("说明数据!C")
    general = report.table("表5").row("合计").values["合计"].cell
    fiscal = paragraph(doc, "五", "本部门当年财政拨款收入")
    assert any(u.fact.cells == (general,) and u.text == "1982.47" for u in doc.uses if u.section == "五")
    assert str(general).startswith("表5!") and fiscal


def test_missing_inputs_are_listed_with_their_cells(doc, report):
    keys = {m.key: m for m in doc.missing}
    assert set(keys) == {"上年.功能.2101101", "上年.功能.2101102"}
    assert keys["上年.功能.2101101"].cell == report.inputs.cell("上年.功能.2101101")


def _with(report, **changes) -> Inputs:
    values = dict(report.inputs.values)
    for key, value in changes.items():
        key = key.replace("__", ".")
        if value is None:
            values.pop(key, None)
        else:
            values[key] = InputValue(value)
    return Inputs(values, dict(report.inputs.cells))


def test_a_change_of_10_percent_without_reason_is_asked_for_and_a_smaller_one_is_not(report):
    # 2080505: 67.80 on 84.28, −19.6 %: a reason is required; 2101501: 121.47 on 114.75, +5.9 %: not
    inputs = _with(report, **{"原因__功能__2080505": None, "原因__功能__2101501": None})
    doc = render(report, inputs)
    assert "较上年减少16.48万元，原因是【待填写：机关事业单位基本养老保险缴费支出（2080505）减少的原因】" in item(doc, "2080505")
    assert item(doc, "2101501").startswith("（6）行政运行（2101501）121.47万元，较上年增加6.72万元；")
    missing = {m.key: m for m in doc.missing}
    assert "原因.功能.2080505" in missing and "原因.功能.2101501" not in missing
    assert missing["原因.功能.2080505"].cell == report.inputs.cell("原因.功能.2080505")
    # the 原因说明 list names each change that needs a reason, with its direction
    reasons = {r.key: r.what for r in build(report, inputs)["model"].reasons}
    assert reasons["功能.2080505"] == ("机关事业单位基本养老保险缴费支出（2080505）：本年预算 67.80 万元，比上年预算 84.28 万元"
                                       "减少 16.48 万元")
    assert "功能.2101501" not in reasons


def test_reasons_are_required_exactly_at_the_threshold_and_from_or_to_zero(report):
    rng = random.Random(19)
    current = report.table("表5").row("2080505").amount("合计")  # 67.80
    cases = [Decimal(0), current, current * Decimal("1.1") - Decimal("0.01")]
    cases += [(current * Decimal(rng.randint(50, 150)) / 100).quantize(Decimal("0.01")) for _ in range(30)]
    for last in cases:
        inputs = _with(report, **{"上年__功能__2080505": last, "原因__功能__2080505": None})
        reasons = {r.key for r in build(report, inputs, Decimal(10))["model"].reasons}
        change = abs(current - last)
        needed = change != 0 and (last == 0 or change * 100 >= 10 * last)
        assert ("功能.2080505" in reasons) == needed, last


def test_the_threshold_comes_from_the_style(report):
    inputs = _with(report, **{"原因__功能__2101501": None})
    assert "功能.2101501" not in {r.key for r in build(report, inputs, Decimal(10))["model"].reasons}
    assert "功能.2101501" in {r.key for r in build(report, inputs, Decimal(5))["model"].reasons}


def test_style_follows_the_kind(report, tmp_path):
    assert render(report, style="shaanxi").style == "shaanxi-yusuan"  # a front end's 决算 default
    juesuan = build_sample_book(tmp_path / "决算.xlsx")
    assert render(workbook.read(juesuan), style="shaanxi-yusuan").style == "shaanxi"  # and the other way round


def test_narrative_command_on_the_budget_workbook(book, tmp_path, cli):
    out = tmp_path / "情况说明.txt"
    result = cli("narrative", book, "-o", out, "--facts", tmp_path / "facts.json")
    assert result.code == 0, result.err
    assert "还有 2 项待填写" in result.out and "上年预算 功能分类科目（项） 2101101" in result.out
    assert "一般公共预算拨款支出1982.47万元" in out.read_text(encoding="utf-8")
    assert cli("narrative", book, "-o", tmp_path / "说明.docx").code == 0


def test_lint_of_the_seed_text_reports_its_zero_as_an_error(report):
    findings = lint(SEED_002.read_text(encoding="utf-8"), report)
    errors = [f for f in findings if f.severity == "错误"]
    zero = [f for f in errors if "其中一般公共预算拨款支出0万元" in f.sentence]
    assert len(zero) == 1 and zero[0].rule == "L01" and zero[0].says == "0万元" and "1,982.47万元" in zero[0].should
    # the tables printed after 十一 are not read as its text (nothing is found in the 名词解释); 第一部分's “截止上年底”
    # is the seed's own slip for 截至 (L20)
    assert {f.section for f in findings if f.rule != "L20"} <= {"五", "六", "七", "八", "九", "十", "第三部分"}
    assert [(f.section, f.says) for f in findings if f.rule == "L20"] == [("第一部分", "“情况说明截止上年底，”"),
                                                                         ("五", "“一般共预算”")]


def _errors(findings) -> list[tuple[str, str, str]]:
    return sorted((f.rule, f.says, f.should.split("（")[0]) for f in findings if f.severity == "错误")


# the seed's two real number/code errors, and nothing else: its 款 21011 (22.58 = 4.08 + 18.50, where we list the
# two 项) is right, and its changes on last year's budget are right or, without the 上年 inputs, said unverifiable
SEED_TEXT_ERRORS = [("L01", "0万元", "应为 1,982.47万元"),
                    ("L10", "对事业单位资本性补助（506）743.08万元", "表中没有科目 506；743.08万元是 505 对事业单位经常性补助")]


def test_lint_of_the_seed_text_finds_exactly_its_real_errors_with_or_without_inputs(report, tmp_path):
    text = SEED_002.read_text(encoding="utf-8")
    assert _errors(lint(text, report)) == SEED_TEXT_ERRORS
    bx.write_export(tmp_path / "导出.xlsx")
    bare = import_export(tmp_path / "导出.xlsx")  # no 说明数据: last year's figures unknown
    findings = lint(text, bare)
    assert _errors(findings) == SEED_TEXT_ERRORS
    unchecked = [f for f in findings if f.rule == "L09" and "上年数" in f.should]
    assert {"228.41万元", "85.94万元", "111.68万元"} <= {f.says for f in unchecked}
    assert {f.place.split()[0] for f in findings if f.section in ("六", "九", "十")} == {"第三部分"}


@pytest.mark.parametrize("wrong, rule, should", [
    ("行政运行（2101501）121.47万元", "行政运行（2101501）121.74万元", "应为 121.47万元"),
    ("机关工资福利支出（501）82.65万元", "机关工资福利支出（501）82.56万元", "应为 82.65万元"),
    ("工资福利支出（301）786.73万元", "工资福利支出（301）788.73万元", "应为 786.73万元"),
])
def test_a_coded_item_with_a_wrong_amount_is_an_error_at_its_code(report, wrong, rule, should):
    text = SEED_002.read_text(encoding="utf-8")
    printed = re.compile(r"\s*".join(map(re.escape, wrong)))  # the seed breaks lines inside sentences
    assert len(printed.findall(text)) == 1
    findings = lint(printed.sub(rule, text), report)
    hit = [f for f in findings if f.severity == "错误" and f.says == rule]
    assert len(hit) == 1 and hit[0].should.startswith(should), [f.line() for f in findings if f.severity == "错误"]


def test_lint_command_exit_code_and_an_unreadable_text(book, tmp_path, cli):
    result = cli("lint", SEED_002, "--workbook", book)
    assert result.code == 1 and "其中一般公共预算拨款支出0万元" in result.out
    other = tmp_path / "其他.txt"
    other.write_text("第二部分 情况说明\n一、收入支出决算总体情况说明\n2023年度收入总计100万元。\n", encoding="utf-8")
    result = cli("lint", other, "--workbook", book)
    assert result.code == 2 and "读不懂这份情况说明" in result.err


def test_import_prior_fills_last_years_budget(tmp_path, book, cli):
    book = set_cover_year(Path(shutil.copy(book, tmp_path / "上年.xlsx")), workbook.read(book).year - 1)
    bx.write_export(tmp_path / "导出.xlsx")
    out = tmp_path / "本年.xlsx"
    result = cli("import", tmp_path / "导出.xlsx", "-o", out, "--prior", book)
    assert result.code == 0, result.err
    inputs = workbook.read(out).inputs
    assert inputs.get("上年.收入总计") == D("1982.47") and inputs.get("上年.功能.2080505") == D("67.80")
    assert inputs.get("上年.政府经济.505") == D("743.08") and inputs.get("上年.部门经济.302") == D("98.00")
    assert inputs.get("上年.机关运行经费") == D("17")
    doc = render(workbook.read(out))
    assert "与上年一致" in item(doc, "2080505") and "【待填写" not in item(doc, "2080505")


def test_budget_schema_is_its_own(book, tmp_path, cli):
    data = tmp_path / "d.yaml"
    data.write_text("年初预算:\n  项:\n    \"2080505\": 1\n", encoding="utf-8")
    result = cli("inputs", book, "--set-from", data)
    assert result.code == 1 and "未知的说明数据项“年初预算" in result.err
    with pytest.raises(InputError, match="上年.功能"):
        flatten({"上年": {"功能": {"20805": "1"}}}, kind=YUSUAN)
    dumped = cli("inputs", book, "--dump")
    assert dumped.code == 0 and "功能:" in dumped.out and "'2080505': '84.28'" in dumped.out


def test_sangong_and_purchases_when_the_tables_have_them(tmp_path):
    purchase = ["210", "15", "01", "324001", "办公设备", "A02010104", "", "台式计算机", "4",
                "310", "02", "503", "02", "2023年3月", D("2.40"), "更新"]
    sangong = {"code": "324", "name": "绥德县医疗保障局",
               "values": {"上年.合计": D("6.5"), "上年.三公小计": D("4.5"), "上年.公务接待费": D("4.5"),
                          "上年.会议费": D("1"), "上年.培训费": D("1"), "当年.合计": D("6"), "当年.三公小计": D("4"),
                          "当年.公务接待费": D("2"), "当年.公务用车小计": D("2"), "当年.公务用车运行维护费": D("2"),
                          "当年.会议费": D("1"), "当年.培训费": D("1")}}
    bx.write_export(tmp_path / "导出.xlsx", bx.Variant(extra_rows={"表11": [purchase], "表12": [sangong]}))
    report = import_export(tmp_path / "导出.xlsx")
    doc = render(report, Inputs({"原因.公务接待费": InputValue("接待任务减少")}))
    first, second = section(doc, "六")
    # 三公 4 on 4.5 (−11 %: a reason is asked); 公务接待费 2 on 4.5 with its reason; 公务用车 from 0: asked
    assert first.startswith("本部门当年一般公共预算安排“三公”经费预算4万元，较上年减少0.50万元，原因是【待填写：")
    assert "公务接待费2万元，较上年减少2.50万元，原因是接待任务减少" in first
    assert "公务用车购置及运行维护费2万元，较上年增加2万元，原因是【待填写：公务用车购置及运行维护费增加的原因】" in first
    assert second == "会议费预算1万元，与上年一致；培训费预算1万元，与上年一致。"
    assert section(doc, "八")[0].startswith("本部门当年政府采购预算2.40万元，其中：货物类【待填写：")


@pytest.mark.parametrize("wrong, rule", [(None, None), ("较上年增加2.81万元", "L01"), ("较上年减少2.18万元", "L06")])
def test_a_kuan_named_for_its_two_xiang_has_its_change_checked_on_their_last_year(report, wrong, rule):
    """Seed 002 names 21011 行政事业单位医疗 (22.58万元, “较上年增加2.18万元”) where 表5 has its two 项. With last year's
    budget of both 项 filled in, 2.18 is 22.58 − (3.80 + 16.60): right, not some other figure of our sentence
    (new-user test: a false “应为 1,982.47万元（表5 合计）”); a wrong change or direction is an 错误 at the 款."""
    filled = copy.deepcopy(report)
    filled.inputs.values["上年.功能.2101101"] = InputValue(Decimal("3.80"))
    filled.inputs.values["上年.功能.2101102"] = InputValue(Decimal("16.60"))
    text = SEED_002.read_text(encoding="utf-8")
    said = re.compile(r"较\s*上\s*年\s*增\s*加\s*2\s*\.\s*1\s*8\s*万\s*元")  # the seed breaks lines inside words
    assert len(said.findall(text)) == 1
    if wrong:
        text = said.sub(wrong, text)
    found = [f for f in lint(text, filled) if "21011" in f.says or "2.18" in f.says or "2.81" in f.says]
    if rule is None:
        assert found == [], [f.line() for f in found]
    else:
        assert [(f.rule, f.severity) for f in found] == [(rule, "错误")], [f.line() for f in found]
        assert found[0].should == "应为较上年增加2.18万元（22.58 − 上年 20.40）"
