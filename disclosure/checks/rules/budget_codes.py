"""部门预算 rules, part 5: 科目 codes and names of 表5–表8 — one code, one name across tables; every code
under a printed parent; 功能分类 (表5/表7), 部门预算支出经济分类 and 政府预算支出经济分类 (表6/表8) against the
catalogs in disclosure/catalog, and the 政府经济分类 类 a 部门经济分类 code may be booked to."""

from __future__ import annotations

from functools import partial

from ... import catalog
from ...catalog import economic
from ...model import Report, Row
from ...specs import normalize_label
from ..engine import ERROR, WARNING, Finding, Rule
from .budget import budget_rule
from .codes import not_in_catalog
from .coded import missing_parents

FUNCTIONAL, ECONOMIC = ("表5", "表7"), ("表6", "表8")
REF = "《政府收支分类科目》支出功能分类、部门预算支出经济分类、政府预算支出经济分类；部门预算公开表填报口径"


def _finding(r: Rule, tid: str, row: Row, message: str, severity: str | None = None, table: str = "") -> Finding:
    return Finding(rule=r.id, severity=severity or r.severity, table=table or tid, cell=row.cell, title=r.title,
                   hint=r.hint, message=message, cells=[c for c in (row.cell,) if c])


def _names(report: Report, tables: tuple[str, ...], code_of, name_of, what: str, r: Rule):
    first: dict[str, tuple[str, str]] = {}
    for tid in tables:
        for row in report.table(tid).code_rows():
            code, name = code_of(row), name_of(row)
            if not code or not name:
                continue
            if code not in first:
                first[code] = (tid, name)
            elif normalize_label(name) != normalize_label(first[code][1]):
                other_tid, other_name = first[code]
                yield _finding(r, tid, row, f"{tid} {what} {code} 名为“{name}”，而{other_tid}为“{other_name}”")


@budget_rule("B30", "同一科目代码在各表中名称一致",
             "同一功能分类科目在表5、表7，同一部门经济科目、政府经济科目在表6、表8 中名称相同", REF, severity=WARNING,
             hint="同一科目各表名称不同：按当年《政府收支分类科目》统一名称。")
def b30(r: Rule, report: Report):
    yield from _names(report, FUNCTIONAL, lambda x: x.code, lambda x: x.name, "科目", r)
    yield from _names(report, ECONOMIC, lambda x: x.code, lambda x: x.name, "部门经济科目", r)
    yield from _names(report, ECONOMIC, lambda x: x.gov_code, lambda x: x.gov_name, "政府经济科目", r)


@budget_rule("B31", "下级科目须列在其上级科目之下",
             "表5、表7 的项（7 位）、款（5 位）须在同表列出其款、类；表6、表8 的款（5 位）须列出其类（3 位）", REF,
             hint="缺少上级科目行：补列上级科目及其金额，否则无法核对层级合计。")
def b31(r: Rule, report: Report):
    for tid in FUNCTIONAL + ECONOMIC:
        for row, parent, level in missing_parents(report.table(tid)):
            yield _finding(r, tid, row, f"{tid} 科目 {row.code} {row.name} 的上级{level} {parent} 没有列出")


def _against(r: Rule, tid: str, row: Row, code: str, name: str, entry, what: str, seen: set, unknown: list):
    """One finding per code named otherwise (警告); a code not in the catalog goes to `unknown` (one 提示 for all
    of them, codes.not_in_catalog)."""
    if code in seen:
        return
    seen.add(code)
    if entry is None:
        unknown.append((tid, row))
    elif name and normalize_label(entry.name) != normalize_label(name):
        yield _finding(r, tid, row, f"{tid} {what} {code} 名为“{name}”，{entry.year}年分类科目中为“{entry.name}”")


def _catalog_rule(id: str, tables: tuple[str, ...], lookup, what: str, title: str, formula: str, hint: str) -> None:
    """Each code of the tables against a catalog (lookup(code, year) -> entry or None), once per code."""
    @budget_rule(id, title, formula, REF, severity=WARNING, hint=hint)
    def check(r: Rule, report: Report):
        seen: set[str] = set()
        unknown: list[tuple[str, Row]] = []
        for tid in tables:
            for row in report.table(tid).code_rows():
                code = row.code or ""
                yield from _against(r, tid, row, code, row.name, lookup(code, report.year), what, seen, unknown)
        yield from not_in_catalog(r, unknown, what)


_catalog_rule("B32", FUNCTIONAL, catalog.lookup, "科目", "功能分类科目代码与名称符合政府收支分类科目",
              "表5、表7 科目代码在支出功能分类中（否则提示）；名称与分类科目一致（否则警告）",
              "核对当年《政府收支分类科目》：代码是否写错，名称是否为规范名称。")
_catalog_rule("B33", ECONOMIC, partial(economic.lookup, economic.DEPARTMENT), "部门经济科目",
              "部门经济分类科目代码与名称符合支出经济分类",
              "表6、表8 部门经济科目在部门预算支出经济分类中（否则提示），名称一致（否则警告）",
              "核对当年部门预算支出经济分类科目：代码是否写错，名称是否为规范名称。")


@budget_rule("B34", "政府经济分类科目与部门经济分类科目相符",
             "表6、表8 每一款（最下级）都列出政府经济科目；其代码、名称符合政府预算支出经济分类（否则提示、警告）；"
             "其类须是该部门经济分类可以对应的类（如 301 对应 501 或 505，否则错误）", REF, severity=WARNING,
             hint="按部门预算支出经济分类与政府预算支出经济分类的对照关系，核对该行的政府经济科目编码。")
def b34(r: Rule, report: Report):
    seen: set[str] = set()
    unknown: list[tuple[str, Row]] = []
    for tid in ECONOMIC:
        table = report.table(tid)
        if not table.spec.has_gov_codes:
            continue
        codes = [row.code for row in table.code_rows() if row.code]
        for row in table.code_rows():
            code = row.code or ""
            if not row.gov_code:
                if not any(c != code and c.startswith(code) for c in codes) and not row.is_empty:
                    yield _finding(r, tid, row, f"{tid} 部门经济科目 {code} {row.name} 没有列出政府经济科目")
                continue
            entry = economic.lookup(economic.GOVERNMENT, row.gov_code, report.year)
            yield from _against(r, tid, row, row.gov_code, row.gov_name or "", entry, "政府经济科目", seen, unknown)
            allowed = economic.government_classes(code, report.year)
            if allowed and row.gov_code[:3] not in allowed:
                yield _finding(r, tid, row, f"{tid} 部门经济科目 {code} {row.name} 列为政府经济科目 {row.gov_code} "
                                            f"{row.gov_name or ''}，而 {code[:3]} 类只能对应政府经济分类 "
                                            f"{'、'.join(allowed)} 类", ERROR)
    yield from not_in_catalog(r, unknown, "政府经济科目", code_of=lambda row: row.gov_code,
                              name_of=lambda row: row.gov_name)
