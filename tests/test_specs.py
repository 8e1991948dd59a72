"""Table specs are data: both layout years load, differ where the seeds differ, and a new year is a new file."""

from __future__ import annotations

import shutil

import pytest

from disclosure import specs, workbook
from disclosure.errors import DisclosureError


def _side(layout, table, name):
    return next(s for s in specs.load(layout).table(table).sides if s.name == name)


def test_both_layouts_have_nine_tables_with_titles_and_numbers():
    assert specs.available_layouts() == ["2023", "2024"]
    for layout in ("2023", "2024"):
        spec = specs.load(layout)
        assert list(spec.tables) == [f"0{i}" for i in range(1, 10)]
        for t in spec.tables.values():
            assert t.title and t.number == f"公开{t.id}表" and t.value_columns
        kinds = {tid: t.kind for tid, t in spec.tables.items()}
        assert kinds == {"01": "fixed", "02": "coded", "03": "coded", "04": "fixed", "05": "coded",
                         "06": "economic", "07": "coded", "08": "coded", "09": "fixed"}


@pytest.mark.parametrize("layout,income_total,expense_total,blank", [("2023", 31, 62, [30, 61]), ("2024", 30, 60, [])])
def test_table_01_totals_move_between_years(layout, income_total, expense_total, blank):
    income, expense = _side(layout, "01", "收入"), _side(layout, "01", "支出")
    assert income.by_line(income_total).key == "收入总计"
    assert expense.by_line(expense_total).key == "支出总计"
    blanks = [r.line for r in income.rows + expense.rows if r.blank and r.line > 26]
    assert blanks == blank


def test_expense_classes_carry_their_function_codes():
    rows = [r for r in _side("2024", "01", "支出").rows if r.code]
    assert len(rows) == 26
    assert (rows[0].code, rows[0].line) == ("201", 31) and (rows[8].code, rows[8].label) == ("210", "九、卫生健康支出")
    assert [r.code for r in _side("2024", "04", "支出").rows if r.code] == [r.code for r in rows]


def test_economic_items_differ_between_years():
    e23 = specs.load("2023").table("06").economic_codes()
    e24 = specs.load("2024").table("06").economic_codes()
    assert set(e23) - set(e24) == {"30703", "30704"}
    assert set(e24) - set(e23) == {"31206"}
    totals = {t.label: t.classes for t in specs.load("2024").table("06").totals}
    assert totals == {"人员经费合计": ("301", "303"), "公用经费合计": ("302", "307", "310", "312", "399")}


def test_labels_match_with_ordinals_spaces_and_aliases():
    rs = _side("2023", "04", "收入").by_line(1)
    assert rs.matches("一、一般公共预算财政拨款") and rs.matches("　一般公共预算财政拨款收入 ")
    assert not rs.matches("一般公共预算财政拨款结余")
    assert specs.normalize_label("（一）基本 工资") == "基本工资"


def test_a_new_year_is_a_new_file_not_new_code(tmp_path, monkeypatch):
    root = tmp_path / "templates"
    shutil.copytree(specs.templates_dir() / "specs", root / "specs")
    text = (root / "specs" / "juesuan-2024.yaml").read_text(encoding="utf-8")
    (root / "specs" / "juesuan-2025.yaml").write_text(text.replace('layout: "2024"', 'layout: "2025"'),
                                                      encoding="utf-8")
    monkeypatch.setenv("DISCLOSURE_TEMPLATES", str(root))
    assert "2025" in specs.available_layouts()
    report = workbook.read(workbook.write_template("2025", tmp_path / "t.xlsx"))
    assert report.layout == "2025" and len(report.tables) == 9


def test_spec_mistakes_are_caught(tmp_path):
    text = (specs.specs_dir() / "juesuan-2024.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("{行次: 29, label: 年初结转和结余}", "{行次: 28, label: 年初结转和结余}", 1),
                   encoding="utf-8")
    with pytest.raises(DisclosureError, match="行次或项目键重复"):
        specs.load_file(bad)
    bad.write_text(text.replace("kind: coded", "kind: codde", 1), encoding="utf-8")
    with pytest.raises(DisclosureError, match="codde"):
        specs.load_file(bad)
    with pytest.raises(DisclosureError, match="没有 1999 年的表样"):
        specs.load("1999")


def test_a_layout_of_another_region_is_named_as_such():
    with pytest.raises(DisclosureError, match="表样“预算2023”是陕西的部门预算表样，不是上海的部门决算表样（可用：上海2024）"):
        specs.choose_layouts(specs.JUESUAN, "预算2023", "上海")
    assert specs.choose_layouts(specs.JUESUAN, "2024", "上海市") == ["上海2024"]  # a year, in that region
