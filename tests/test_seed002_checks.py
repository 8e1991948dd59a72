"""Seed 002 (绥德县医疗保障局 2023 年部门预算), imported from an export laid out as it prints its tables
(tests/budgetexport.py), checked: the EXACT list of findings, each re-added by hand from the printed numbers.

Verdict on the 0.01 differences: the 决算 尾差 rule applies unchanged — n rounded parts may miss their total by
n × 0.005, two printings of one quantity by 0.01 (more when one is a sum of rounded rows). Every 0.01 in seed 002
is within that, so it is a 警告 (尾差), never an 错误: the 部门 money is 1,982.47 in every total while its parts
(3 功能分类 类, 3 单位, 301+302+303 …) add up to 1,982.48. The 错误 are the real disagreements: 表1/表4's
其中专项资金 (empty / 1,982.47, where 表2 says 1,090), the three 政府经济分类 lines 表1 and 表4 print differently,
both blocks against 表6's 政府经济科目, and 30103 booked to two 政府 类 in 表6 and 表8.

`disclosure check` on the workbook imported from that export: exit 1, the report titled 部门预算."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import budgetexport as bx
from disclosure import workbook
from disclosure.checks import ERROR, WARNING, run
from disclosure.importers.export import import_export
from disclosure.narrative.render import render

SPEC = bx.specs.load(bx.LAYOUT)
INCOME, FUNC, DEPT, GOV = "收入", "支出功能分类", "部门预算支出经济分类", "政府预算支出经济分类"

# (rule, severity, where, expected, actual, words of the message) — where: (table, side, key) for 表1/表4, or
# (table, code, column) for the row tables; `expected` is the figure the relation wants, `actual` the one printed
EXPECTED = [
    # 表1 其中：专项资金列入部门预算的项目 printed empty, 表2 部门行 says 1,090 (690 + 400, = 表15's 专项资金)
    ("B16", ERROR, ("表1", INCOME, "专项资金列入部门预算的项目"), "1090", "0", "应与 表2 324 绥德县医疗保障局"),
    # 表4 prints 1,982.47 for the same 其中 line: the whole 一般公共预算拨款, not the 1,090 of 专项资金 (表2)
    ("B16", ERROR, ("表4", INCOME, "专项资金列入部门预算的项目"), "1090", "1982.47", "其中专项资金列入部门预算项目"),
    # … and 表1 (empty) and 表4 (1,982.47) disagree on it
    ("B19", ERROR, ("表4", INCOME, "专项资金列入部门预算的项目"), "0", "1982.47", "应与 表1 收入"),
    # the three 政府经济分类 lines 表1 and 表4 print differently (seeds/README.md); they net to 0.01, so each
    # block still adds up
    ("B19", ERROR, ("表4", GOV, "机关商品和服务支出"), "59", "56", "机关商品和服务支出"),
    ("B19", ERROR, ("表4", GOV, "对事业单位经常性补助"), "743.08", "704.07", "对事业单位经常性补助"),
    ("B19", ERROR, ("表4", GOV, "对个人和家庭的补助"), "1097.75", "1139.75", "对个人和家庭的补助"),
    # 表1 政府经济分类 against 表6's rows by 政府经济科目: 501 = 50101 奖金 50.38 + 50102 ×4 125.58 + 50103 58.10;
    # 502: no 表6 row is booked to 502 (the 商品和服务 items are 50502); 505 = 5050x: 552.67 + 98.00.
    # 509 = 5.80 + 0.15 + 1,091.80 = 1,097.75 agrees with 表1.
    ("B25", ERROR, ("表1", GOV, "机关工资福利支出"), "234.06", "82.65", "政府经济科目编码为 501xx 的 6 行之和"),
    ("B25", ERROR, ("表1", GOV, "机关商品和服务支出"), "0", "59", "502xx 的行（一行也没有）"),
    ("B25", ERROR, ("表1", GOV, "对事业单位经常性补助"), "650.67", "743.08", "505xx 的 10 行之和"),
    # the same for 表4, whose 509 (1,139.75) does not agree either
    ("B25", ERROR, ("表4", GOV, "机关工资福利支出"), "234.06", "82.65", "501xx"),
    ("B25", ERROR, ("表4", GOV, "机关商品和服务支出"), "0", "56", "502xx"),
    ("B25", ERROR, ("表4", GOV, "对事业单位经常性补助"), "650.67", "704.07", "505xx"),
    ("B25", ERROR, ("表4", GOV, "对个人和家庭的补助"), "1097.75", "1139.75", "509xx 的 3 行之和"),
    # 30103 奖金: 表6 books it to 50101 工资奖金津补贴 (机关), 表8 to 50501 工资福利支出 (事业单位)
    ("B23", ERROR, ("表8", "30103", None), None, None, "的政府经济科目为 50501 工资福利支出，而表6 同一科目为 50101"),
    # 尾差: 103.00 + 1,821.38 + 58.10 = 1,982.48 against 本年支出合计 1,982.47, in 表1 and 表4
    ("B02", WARNING, ("表1", FUNC, "本年支出合计"), "1982.48", "1982.47", "尾差"),
    ("B05", WARNING, ("表4", FUNC, "本年支出合计"), "1982.48", "1982.47", "尾差"),
    # 尾差: 表1 人员经费和公用经费 850.48 (= 786.73 + 56.00 + 7.75) + 专项 1,132.00 = 1,982.48
    ("B02", WARNING, ("表1", DEPT, "本年支出合计"), "1982.48", "1982.47", "尾差"),
    # 尾差: 82.65 + 59.00 + 743.08 + 1,097.75 = 1,982.48 (表4's 4 lines add up exactly)
    ("B02", WARNING, ("表1", GOV, "本年支出合计"), "1982.48", "1982.47", "尾差"),
    # 尾差: 表1 850.48 / 786.73 against 表4 850.47 / 786.72
    ("B19", WARNING, ("表4", DEPT, "人员经费和公用经费支出"), "850.48", "850.47", "尾差"),
    ("B19", WARNING, ("表4", DEPT, "基本.工资福利支出"), "786.73", "786.72", "尾差"),
    # 尾差: 表1 850.48 against 表8 合计 850.47; 表4 786.72 against 表8 301 786.73 (the sum of its 8 items)
    ("B24", WARNING, ("表1", DEPT, "人员经费和公用经费支出"), "850.47", "850.48", "表8 合计·合计 850.47"),
    ("B24", WARNING, ("表4", DEPT, "基本.工资福利支出"), "786.73", "786.72", "表8 301 工资福利支出·合计 786.73"),
    # 尾差: 部门行 1,982.47 against its 单位 833.45 + 980.16 + 168.87 = 1,982.48 (合计 and 小计, 表2 and 表3)
    ("B10", WARNING, ("表2", "324", "合计"), "1982.48", "1982.47", "尾差"),
    ("B10", WARNING, ("表2", "324", "一般公共预算拨款小计"), "1982.48", "1982.47", "尾差"),
    ("B10", WARNING, ("表3", "324", "合计"), "1982.48", "1982.47", "尾差"),
    ("B10", WARNING, ("表3", "324", "公共预算拨款小计"), "1982.48", "1982.47", "尾差"),
    # 尾差: 合计 1,982.47 / 人员 794.47 against 类 208 + 210 + 221 = 1,982.48 / 794.48 (表5); 表7 850.47 / 794.47
    ("B11", WARNING, ("表5", "合计", "合计"), "1982.48", "1982.47", "尾差"),
    ("B11", WARNING, ("表5", "合计", "人员经费支出"), "794.48", "794.47", "尾差"),
    ("B11", WARNING, ("表7", "合计", "合计"), "850.48", "850.47", "尾差"),
    ("B11", WARNING, ("表7", "合计", "人员经费支出"), "794.48", "794.47", "尾差"),
    # 尾差: 301 786.73 + 302 + 303 against 合计 (表6 1,982.47, 表8 850.47) and 人员 794.47
    ("B12", WARNING, ("表6", "合计", "合计"), "1982.48", "1982.47", "尾差"),
    ("B12", WARNING, ("表6", "合计", "人员经费支出"), "794.48", "794.47", "尾差"),
    ("B12", WARNING, ("表8", "合计", "合计"), "850.48", "850.47", "尾差"),
    ("B12", WARNING, ("表8", "合计", "人员经费支出"), "794.48", "794.47", "尾差"),
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    path = tmp_path_factory.mktemp("seed002") / "导出.xlsx"
    cells = bx.write_export(path)
    return import_export(path), cells


def _cell(report, cells: dict, where: tuple) -> str:
    """The cell the export wrote the figure to; for an amount printed empty (no cell written), the imported
    row's cell; for a row (column None), its code cell in the first column."""
    tid = where[0]
    if tid in bx.SIDE_TABLES:
        _, side, key = where
        keys = [rs.key for s in SPEC.table(tid).sides if s.name == side for rs in s.rows]
        n = keys.index(key)
        if (tid, (side, n)) in cells:
            return cells[(tid, (side, n))]
        row = next(r for r in report.table(tid).rows if r.side == side and r.key == key)
        return str(row.values["预算数"].cell)
    _, code, column = where
    if column is None:
        written = next(v for k, v in cells.items() if k[:2] == (tid, code))
        return written.split("!")[0] + "!A" + "".join(ch for ch in written.split("!")[1] if ch.isdigit())
    return cells[(tid, code, column)]


def test_seed_002_findings_are_exactly_its_real_errors(imported):
    report, cells = imported
    found = [f for f in run(report) if not f.rule.startswith("N")]  # the tables' findings (N: the text's, below)
    got = sorted((f.rule, f.severity, str(f.cell), None if f.expected is None else f.expected.normalize(),
                  None if f.actual is None else f.actual.normalize()) for f in found)
    want = sorted((rule, severity, _cell(report, cells, where), None if e is None else Decimal(e).normalize(),
                   None if a is None else Decimal(a).normalize()) for rule, severity, where, e, a, _ in EXPECTED)
    assert got == want
    for rule, _, where, _, _, words in EXPECTED:
        f = next(f for f in found if f.rule == rule and str(f.cell) == _cell(report, cells, where))
        assert words in f.message, (rule, where, f.message)
        if f.severity == WARNING:
            assert f.message.startswith("尾差：") and "的尾差范围（±" in f.message
        elif rule != "B23":  # a 政府经济科目 is a code: no rounding to speak of
            assert "超出尾差范围" in f.message


def test_check_command_on_the_imported_budget_workbook(imported, tmp_path, cli):
    export = tmp_path / "导出.xlsx"
    bx.write_export(export)
    book = tmp_path / "预算.xlsx"
    assert cli("import", export, "-o", book).code == 0
    result = cli("check", book)
    assert result.code == 1, result.err  # 错误 found
    errors = sum(1 for e in EXPECTED if e[1] == ERROR)
    warnings = len(EXPECTED) - errors
    asked = len(render(workbook.read(book)).missing)  # N01/N02: what the 预算 情况说明 still needs
    assert asked > 0
    assert result.out.startswith(f"绥德县医疗保障局 2023 年度部门预算公开表 校验结果：错误 {errors} 条，警告 {warnings} 条，提示 {asked} 条")
    assert "【表间 表1、表2】" in result.out and "【表间 表6、表8】" in result.out
    assert result.out.index("【表2 部门综合预算收入总表】") < result.out.index("【表5 ") < result.out.index("【表间")
    # the same findings as on the export, at the workbook's own cells
    report, _ = imported
    listed = sorted((f.rule, f.severity) for f in run(report))
    result = cli("check", book, "--json")
    assert sorted((f["rule"], f["severity"]) for f in json.loads(result.out)) == listed


def test_what_the_budget_text_still_needs_is_listed_by_the_check_with_its_cell(tmp_path, cli):
    """N01/N02 run on a 预算 workbook too: each 说明数据 item its 情况说明 needs and each reason a change of ≥ 10 %
    on last year's budget wants, with the cell to fill — exactly the text's 【待填写】."""
    export = tmp_path / "导出.xlsx"
    bx.write_export(export)
    book = tmp_path / "预算.xlsx"
    assert cli("import", export, "-o", book).code == 0
    workbook.update_inputs(book, {"上年.功能.2080505": Decimal("84.28")})  # 67.80 now: 19.6 % less
    report = workbook.read(book)
    missing = render(report).missing
    found = [f for f in run(report) if f.rule in ("N01", "N02")]
    assert sorted((f.rule, str(f.cell)) for f in found) == \
        sorted(("N02" if m.key.startswith("原因.") else "N01", str(m.cell)) for m in missing)
    reason = [f for f in found if f.rule == "N02"]
    assert len(reason) == 1 and reason[0].cell.sheet == "原因说明" and "2080505" in reason[0].message
    assert not [f for f in found if f.rule == "N01" and "2080505" in f.message]  # filled: no longer asked
