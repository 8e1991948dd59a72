"""The P rules on the 绩效自评表 (disclosure/checks/rules/perf*.py).

Seed 001: its ten tables (tests/fixtures/seeds/001_perf.yaml, cells laid out by tests/perfmodel.py) on its own
决算 tables (the seed's 公开01–09表, imported) must give exactly the fixture's `known_errors` that these rules
cover — each with its reason in the YAML — at the cell of the row the error is printed on, plus the P12 name
findings listed below; the fixture's section 十三 mismatches are the narrative's (lint), not table rules.
Then: a generated consistent set of tables gives no P finding, and one changed figure is caught at its cell.
"""

from __future__ import annotations

import msgspec
from collections import Counter
from decimal import Decimal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import perfmodel
import seed001perf
from disclosure.checks import ERROR, INFO, WARNING, run
from disclosure.checks import rules  # noqa: F401  (registers the P rules)
from disclosure.checks.engine import RULES
from disclosure.errors import DisclosureError
from disclosure.importers.export import import_export
from disclosure.model import Value
from disclosure.perf.model import Performance
from disclosure.perf.scoring import DEFAULT, from_config

D = Decimal
P_RULES = [r for r in RULES.values() if r.id.startswith("P")]
RAW = yaml.safe_load(seed001perf.PERF_001.read_text(encoding="utf-8"))

# the fixture's rule -> (P rule, which cell of the printed row it points at)
COVERED = {
    "执行率≠B÷A": ("P01", "执行率"),
    "执行率得分≠分值×执行率": ("P02", "得分"),
    "一级指标分值≠标注": ("P04", "分值"),  # the group's first 分值 (its first row may be a level-only one)
    "Σ分值≠100": ("P05", "分值"),
    "总分分值≠Σ分值": ("P06", "分值"),
    "总分≠Σ得分": ("P07", "得分"),
    "得分>分值": ("P08", "得分"),
    "偏差原因缺失": ("P09", perfmodel.DEVIATION),  # the 整体 table has no such column: its 得分 cell
    "任务3全年预算数≠Σ项目": ("P11", "全年预算数"),
    "任务3执行数≠Σ项目": ("P11", "全年执行数"),
    "项目名称≠表题": ("P12", "名称"),
}
# section 十三 against the tables: the narrative / lint of 十三 checks these, not the table rules
NOT_TABLE_RULES = {"十三名称≠表", "十三全年预算数≠表", "十三执行数≠表", "十三完成率≠表", "十三≠表", "十三涉及预算资金≠任务3"}
# (rule, table, seed line of the cell, severity, reason) found beyond the fixture's arithmetic list
NAMES = [
    # 项目1 prints 项目名称 empty (the fixture's 十三名称≠表 for item 1 says so)
    ("P12", "项目1", 319, ERROR, "项目名称未填写"),
    # 房屋租赁费 twice, of two units (经办中心, 监测中心): legitimate in a 汇总, a 警告 the officer acknowledges
    ("P12", "项目9", 579, WARNING, "项目名称与 绩效-项目6 相同"),
]
# the scores printed as the due score rounded to whole points: 警告 (disclosure/perf/scoring.py); 项目1's 8 for
# 9.81 and 项目6's 4 for 0.86 are wrong even in whole points
WHOLE_POINTS = {"整体", "项目4", "项目7"}


@pytest.fixture(scope="module")
def report001(export001):
    return import_export(export001)


def check(report, perf: Performance):
    return run(msgspec.structs.replace(report, perf=perf), P_RULES)


@pytest.fixture(scope="module")
def seed(report001):
    built = perfmodel.build()
    return built, check(report001, built.perf)


def _table_id(built, finding) -> str:
    return next(built.ids[id(t)] for t in built.perf.tables if finding.cell and finding.cell.sheet == t.sheet)


def _cell(built, e: dict):
    """The cell a known error's finding points at: its row's cell of the rule's column."""
    rule, column = COVERED[e["规则"]]
    line = e["line"]
    if rule == "P04":  # from the group's first row on, the first that has a 分值
        rows = next(t for t in seed001perf.load()["tables"] if t["id"] == e["表"])["指标"]
        line = next(first for r in rows if (first := perfmodel.first_line(r)) >= line and isinstance(r["分值"], Decimal))
    if rule == "P09" and e["表"] == "整体":
        column = "得分"  # the 整体 table has no 偏差原因 column
    return built.cells[(e["表"], line)][column]


def _expected(built) -> list[tuple]:
    out = []
    for e in RAW["known_errors"]:
        if e["规则"] not in NOT_TABLE_RULES:
            out.append((COVERED[e["规则"]][0], e["表"], _cell(built, e)))
    for rule, tid, line, _, _ in NAMES:
        out.append((rule, tid, built.cells[(tid, line)]["名称"]))
    return out


def test_every_known_error_is_a_table_rule_or_said_to_be_the_narratives():
    assert {e["规则"] for e in RAW["known_errors"]} <= set(COVERED) | NOT_TABLE_RULES
    assert set(COVERED) - {e["规则"] for e in RAW["known_errors"]} == {"得分>分值"}  # seed 001 never has it


def test_seed001_findings_are_exactly_its_known_errors(seed):
    built, findings = seed
    found = [(f.rule, _table_id(built, f), f.cell) for f in findings]
    assert Counter(found) == Counter(_expected(built))
    assert Counter(f.rule for f in findings) == {"P01": 1, "P02": 5, "P04": 15, "P05": 3, "P06": 4, "P07": 4,
                                                 "P09": 11, "P11": 2, "P12": 3}
    assert not [f for f in findings if f.rule == "P12" and "相同" in f.message and f.cell.sheet == "绩效-项目5"]


def test_seed001_figures_and_severities(seed):
    built, findings = seed
    by_cell = {(f.rule, f.cell): f for f in findings}
    for e in RAW["known_errors"]:
        if e["规则"] in NOT_TABLE_RULES:
            continue
        rule = COVERED[e["规则"]][0]
        f = by_cell[(rule, _cell(built, e))]
        if rule == "P12":  # 项目5: the title names 履职专项业务费, 项目名称 is 项目4's (not said again as a duplicate)
            assert f.severity == ERROR and f"项目名称却为“{e['印']}”" in f.message and e["算"] in f.message, e
            continue
        if rule == "P09":  # 算 "得分7<分值8"
            score, weight = e["算"].removeprefix("得分").split("<分值")
            assert (f.actual, f.expected) == (D(score), D(weight)), e
            assert f.severity == (INFO if e["表"] == "整体" else WARNING), e
        else:  # 印 is the printed (or summed) figure, 算 what the relation wants
            assert (f.actual, f.expected) == (seed001perf.rate(e["印"]), seed001perf.rate(e["算"])), e
        if rule == "P02":
            assert f.severity == (WARNING if e["表"] in WHOLE_POINTS else ERROR), e
        elif rule == "P11":
            assert f.severity == WARNING, e  # Σ 项目 below 项目支出: not every project's table is published
        elif rule != "P09":
            assert f.severity == ERROR, e
    for rule, tid, line, severity, words in NAMES:
        f = by_cell[(rule, built.cells[(tid, line)]["名称"])]
        assert f.severity == severity and words in f.message


def test_seed001_messages_name_the_table_the_cells_and_the_figures(seed):
    built, findings = seed
    text = {(f.rule, f.cell.sheet): f.message for f in findings}
    assert text[("P02", "绩效-整体")].startswith("整体支出绩效自评表（绩效-整体）：金额合计 得分（L8）印为 9，而 分值 10 × "
                                               "86.02% = 8.60；印出的是取整到整分的得分")
    assert text[("P02", "绩效-项目1")] == ("未填项目名称的项目表（绩效-项目1!B2）：年度资金总额 得分（G5）印为 8，"
                                          "而 分值 10 × 98.07% = 9.81")
    assert text[("P01", "绩效-项目4")] == ("项目“中央医疗服务与保障能力提升补助资金”（绩效-项目4）：年度资金总额 执行率（F5）"
                                          "印为 90.38%，而 全年执行数 27.11 ÷ 全年预算数 30.00 = 90.37%（四舍五入到 2 位小数）")
    p11 = [f.message for f in findings if f.rule == "P11"]
    assert any("任务3“项目支出” 全年执行数 792.69，而 9 张项目表的全年执行数之和为 792.16，少 0.53（项目表覆盖 99.93%）" in m
               for m in p11)
    assert {f.table for f in findings if f.cell.sheet == "绩效-项目6"} == {"项目支出绩效自评表（房屋租赁费）"}


def test_seed001_relations_that_hold_say_nothing(seed, report001):
    built, findings = seed
    # 整体 金额合计 2363.01 = 01 本年支出合计, 任务3 792.69 = 03 项目支出; 资金 rows add up: no P03, P10
    assert not [f for f in findings if f.rule in ("P03", "P10", "P08")]
    assert report001.table("01").row("本年支出合计", "支出").values["决算数"].amount == D("2363.01")


def test_no_performance_tables_no_findings(report001):
    assert check(report001, None) == [] and check(report001, Performance()) == []


def test_a_changed_decision_total_is_caught_against_the_whole_table(report001):
    built = perfmodel.build()
    whole = built.perf.overall.fund("金额合计")
    whole.spent = Value(D("2400.00"), whole.spent.cell)
    found = [f for f in check(report001, built.perf) if f.rule == "P10"]
    assert [f.cell for f in found] == [whole.spent.cell]
    assert "本年支出合计" in found[0].message and found[0].expected == D("2363.01")


@pytest.mark.parametrize("variant", ["SHEETS", "SHIFTED_ONE_SHEET"])
def test_seed001_imported_from_an_export_gives_the_same_findings_at_its_cells(seed, export001, tmp_path, variant):
    """The tables as a 绩效 system's export prints them (tests/perfexport.py, beside the 公开表 in the same file),
    read by `disclosure import`: the same findings, each at the cell the value was read from."""
    import perfexport
    from openpyxl import load_workbook

    built, expected = seed
    wb = load_workbook(export001)
    where = perfexport.write_tables(wb, getattr(perfexport, variant))
    wb.save(tmp_path / "导出.xlsx")
    report = import_export(tmp_path / "导出.xlsx")
    assert report.perf and len(report.perf.projects) == 9
    found = run(report, P_RULES)

    def real_cell(cell):
        tid, path = built.paths[cell]
        return where[(tid, *path)]

    def key(f, cell):
        return f.rule, f.severity, f.expected, f.actual, cell
    assert Counter(key(f, str(f.cell)) for f in found) == Counter(key(f, real_cell(f.cell)) for f in expected)


def test_a_score_above_its_weight_and_a_score_from_the_printed_rate(report001):
    built = perfmodel.build()
    first = built.perf.projects[0]
    row = first.indicators[0]  # 10 of 10
    row.score = Value(D("11"), row.score.cell)
    fund = first.total_fund
    fund.budget = None  # A blank: the score is checked against the printed 执行率 (98.07%), not B ÷ A
    found = {f.rule: f for f in check(report001, built.perf) if f.cell in (row.score.cell, fund.score.cell)}
    assert (found["P08"].expected, found["P08"].actual) == (D("10"), D("11"))
    assert "政策吹风会”得分（G12）11 大于分值 10" in found["P08"].message
    assert found["P02"].expected == D("9.81") and fund.rate.cell in found["P02"].cells


# ---------------------------------------------------------------- the region's setting

def _style(tmp_path, monkeypatch, perf: dict):
    folder = tmp_path / "narrative" / "shaanxi"
    folder.mkdir(parents=True)
    (folder / "style.yaml").write_text(yaml.safe_dump({"perf": perf}, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("DISCLOSURE_TEMPLATES", str(tmp_path))


def test_whole_point_scoring_leaves_only_the_real_score_errors(report001, tmp_path, monkeypatch):
    _style(tmp_path, monkeypatch, {"score_decimals": 0})
    built = perfmodel.build()
    p02 = [f for f in check(report001, built.perf) if f.rule == "P02"]
    assert sorted((f.cell.sheet, f.expected, f.actual, f.severity) for f in p02) == [
        ("绩效-项目1", D("10"), D("8"), ERROR), ("绩效-项目6", D("1"), D("4"), ERROR)]


def test_banded_scoring_from_the_style(report001, tmp_path, monkeypatch):
    _style(tmp_path, monkeypatch, {"scoring": "bands", "bands": [[0, 0], [95, 1], [85, 0.9], [60, 0.6]]})
    built = perfmodel.build()
    due = {f.cell.sheet: f.expected for f in check(report001, built.perf) if f.rule == "P02"}
    # 86.02% → 9 (the 整体 table's 9 is right); 98.07% → 10; 90.37% → 9 (right); 8.58% → 0; 63.07% → 6 (right)
    assert due == {"绩效-项目1": D("10.00"), "绩效-项目6": D("0.00")}


def test_settings_are_checked_and_refused_in_chinese():
    assert from_config(None) == DEFAULT and DEFAULT.due_score(D(10), D("0.8602")) == D("8.60")
    assert from_config({"score_decimals": 0}).due_score(D(10), D("0.8602")) == D("9")
    assert DEFAULT.due_score(D(10), D("1.2")) == D("10.00")  # 执行率 over 100% scores full marks, no more
    for bad, words in (({"scoring": "曲线"}, "没有“曲线”这种执行率计分方法"), ({"scoring": "bands"}, "没有给出 perf.bands"),
                       ({"overall_base": "收入合计"}, "perf.overall_base"), ({"full_marks": "满分"}, "不是数")):
        with pytest.raises(DisclosureError, match=words):
            from_config(bad)


def test_visibly_missed_targets_want_a_reason(report001):
    built = perfmodel.build()
    rows = built.perf.projects[7].indicators  # 项目8: “≤20万元” against “20万元”, full marks
    cost = next(i for i in rows if i.target == "≤20万元")
    assert not [f for f in check(report001, built.perf) if f.cell == cost.text_cells[perfmodel.DEVIATION]]
    cost.actual = "21.5万元"  # over the bound, still full marks, no reason given
    found = [f for f in check(report001, built.perf) if f.cell == cost.text_cells[perfmodel.DEVIATION]]
    assert [(f.rule, f.severity) for f in found] == [("P09", WARNING)]
    assert "实际完成值“21.5万元”未达到年度指标值“≤20万元”" in found[0].message


# ---------------------------------------------------------------- generated consistent tables

def _cents(draw, lo: int, hi: int) -> Decimal:
    return D(draw(st.integers(lo, hi))).scaleb(-2)


def _split(draw, total: Decimal, n: int, places: int = 2) -> list[Decimal]:
    """total split into n non-negative parts of `places` decimals that add up exactly."""
    c = int(total.scaleb(places))
    cuts = sorted(draw(st.lists(st.integers(0, c), min_size=n - 1, max_size=n - 1)))
    return [D(b - a).scaleb(-places) for a, b in zip([0, *cuts], [*cuts, c])]


def _rate(a: Decimal | None, b: Decimal | None) -> str | None:
    if not a or b is None:
        return None
    return "100%" if a == b else f"{(b / a * 100).quantize(D('0.01'), 'ROUND_HALF_UP')}%"


def _indicators(draw, budget: int, full_marks: bool, line) -> list[dict]:
    """3 一级 groups with their weights labelled, 1–4 rows each, adding up to `budget` points."""
    rows = []
    groups = _split(draw, D(budget), 3, places=0)  # whole points, as tables print them
    for n, (name, weight) in enumerate(zip(("产出指标", "效益指标", "满意度指标"), groups)):
        k = draw(st.integers(1, 4))
        label = draw(st.sampled_from(["{}({}分)", "{}（{}分）"])).format(name, weight)
        for part in _split(draw, weight, k, places=0):
            score = part if full_marks else draw(st.sampled_from([part, max(D(0), part - 1)]))
            target = draw(st.integers(60, 100))
            rows.append({"一级指标": label, "二级指标": "数量指标", "三级指标": f"指标{n}-{len(rows)}",
                         "年度指标值": f"≥{target}%", "实际完成值": f"{draw(st.integers(target, 100))}%",
                         "分值": part, "得分": score, perfmodel.DEVIATION: "原因及措施" if score < part else
                         draw(st.sampled_from([None, "无"])), "line": next(line)})
    return rows


def _score(weight: Decimal, a: Decimal, b: Decimal) -> Decimal:
    return DEFAULT.due_score(weight, b / a)


def _fund(label: str, a, b, line, weight=None) -> dict:
    row = {"项目": label, "年初预算数": a, "全年预算数": a, "全年执行数": b, "执行率": _rate(a, b), "line": next(line),
           "分值": seed001perf.DASH, "得分": seed001perf.DASH}
    if weight is not None:
        row.update(分值=weight, 得分=_score(weight, a, b))
    return row


def _total(rows: list[dict], funds: list[dict]) -> dict:
    def scored(key):
        return [r[key] for r in rows + funds if isinstance(r[key], Decimal)]
    return {"分值": sum(scored("分值"), D(0)), "得分": sum(scored("得分"), D(0)), "line": 0}


@st.composite
def consistent(draw, spent_projects: Decimal, spent_total: Decimal):
    """An 整体 table and 1–4 项目 tables consistent with each other and with a 决算 whose 本年支出合计 is
    spent_total and 项目支出 spent_projects: every rate, score, sum and total as the P rules want it."""
    line = iter(range(1, 10_000))
    k = draw(st.integers(1, 4))
    project_spent, project_budget, projects = _split(draw, spent_projects, k), [], []
    for n, spent in enumerate(project_spent, 1):
        parts_b = _split(draw, spent, 2)
        parts_a = [b + _cents(draw, 0, 5000) * draw(st.sampled_from([0, 1])) for b in parts_b]
        parts_a[0] += D(1) if not sum(parts_a) else 0  # a project with a budget: 执行率 has a divisor
        a = sum(parts_a, D(0))
        project_budget.append(a)
        weight = D(draw(st.sampled_from([10, 20])))
        funds = [_fund("年度资金总额", a, spent, line, weight), _fund("其中：当年财政拨款", parts_a[0], parts_b[0], line),
                 _fund("上年结转资金", parts_a[1], parts_b[1], line), _fund("其他资金", None, None, line)]
        rows = _indicators(draw, 100 - int(weight), draw(st.booleans()), line)
        title = draw(st.sampled_from([f"第{n}个项目项目绩效自评表", "项目支出绩效自评表"]))
        projects.append({"id": f"项目{n}", "kind": "项目", "title": title, "lines": [next(line)], "名称": f"第{n}个项目",
                         "主管部门": "某局", "实施单位": "某中心", "资金": funds, "指标": rows, "总分": _total(rows, funds),
                         "年度总体目标": {"预期目标": "目标", "实际完成情况": "完成"}})
    people, office = _split(draw, spent_total - spent_projects, 2)
    tasks = []
    for name, content, b, a in (("任务1", "人员经费", people, people), ("任务2", "公用经费", office, office),
                                ("任务3", "项目支出", spent_projects, sum(project_budget, D(0)))):
        tasks.append({"任务名称": name, "主要内容": content, "完成情况": _rate(a, b), "全年预算数": {"总额": a},
                      "全年执行数": {"总额": b}, "分值": seed001perf.DASH, "执行率": _rate(a, b),
                      "得分": seed001perf.DASH, "line": next(line)})
    a_total = sum((t["全年预算数"]["总额"] for t in tasks), D(0))
    tasks.append({"任务名称": "金额合计", "主要内容": None, "完成情况": None, "全年预算数": {"总额": a_total},
                  "全年执行数": {"总额": spent_total}, "分值": D(10), "执行率": _rate(a_total, spent_total),
                  "得分": _score(D(10), a_total, spent_total), "line": next(line)})
    rows = _indicators(draw, 90, True, line)  # the 整体 table has no 偏差原因 column: full marks
    overall = {"id": "整体", "kind": "整体", "title": "整体支出绩效自评表", "lines": [next(line)], "名称": "某局",
               "任务": tasks, "指标": rows, "总分": _total(rows, [tasks[-1]]), "年度总体目标": {"预期目标": "目标", "实际完成情况": "完成"}}
    return perfmodel.build([overall, *projects])


SPENT = (D("792.69"), D("2363.01"))  # seed 001's 03 项目支出 and 01 本年支出合计


def _figures(perf: Performance):
    """(object, attribute) of every printed figure of the tables."""
    for t in perf.tables:
        for obj in (*t.funds, *t.indicators, t):
            for attr in ("initial", "budget", "spent", "weight", "rate", "score", "total_weight", "total_score"):
                if isinstance(getattr(obj, attr, None), Value):
                    yield obj, attr


@settings(max_examples=40, deadline=None)
@given(built=consistent(*SPENT))
def test_consistent_tables_give_no_finding(report001, built):
    assert check(report001, built.perf) == []


@settings(max_examples=80, deadline=None)
@given(built=consistent(*SPENT), data=st.data())
def test_one_changed_figure_is_caught_at_its_cell(report001, built, data):
    obj, attr = data.draw(st.sampled_from(list(_figures(built.perf))), label="figure")
    delta = data.draw(st.integers(5, 10_000).map(lambda c: D(c).scaleb(-2)), label="delta")
    old = getattr(obj, attr)
    setattr(obj, attr, Value(old.amount + delta, old.cell))
    errors = [f for f in check(report001, built.perf) if f.severity == ERROR]
    assert [f for f in errors if old.cell in f.cells], (attr, old, [f.message for f in errors])


@pytest.mark.parametrize("perf", [[1, 2], {"bands": [95, 1]}, {"bands": [[95]]}, {"bands": ["x"]}])
def test_malformed_scoring_settings_are_one_chinese_line(perf):
    from disclosure.errors import DisclosureError
    from disclosure.perf.scoring import from_config

    with pytest.raises(DisclosureError, match="文风设置 perf"):
        from_config(perf)


def test_a_printed_rate_is_judged_at_the_places_it_prints(export001, tmp_path):
    """“98.10%” prints two places: 66.72 ÷ 68.03 = 98.07% makes it wrong, although at one place (98.1%) it is
    right — the reader keeps the rate as typed, trailing zero included."""
    import perfexport
    from openpyxl import load_workbook

    wb = load_workbook(export001)
    perfexport.write_tables(wb, perfexport.SHEETS)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == "98.07%"]
    assert len(cells) == 1
    cells[0].value = "98.10%"
    wb.save(tmp_path / "导出.xlsx")
    report = import_export(tmp_path / "导出.xlsx")
    at = (cells[0].parent.title, cells[0].coordinate)
    p01 = [f for f in run(report, P_RULES) if f.rule == "P01" and (f.cell.sheet, f.cell.coord) == at]
    assert len(p01) == 1 and (p01[0].expected, p01[0].actual) == (D("98.07"), D("98.10"))
    assert str(p01[0].actual) == "98.10"
