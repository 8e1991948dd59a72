"""科目 rules: one code, one name across tables; every code under a printed parent; codes and names
against the 政府收支分类科目 catalog (disclosure/catalog)."""

from __future__ import annotations

from typing import Iterator

from ... import catalog
from ...model import Report, Row
from ...specs import normalize_label
from ..engine import INFO, WARNING, Finding, Rule, rule
from .coded import missing_parents

CODED = ("02", "03", "05", "07", "08")
REF = "《政府收支分类科目》支出功能分类；部门决算公开表填报口径"


@rule("K01", "同一科目代码在各表中名称一致", "同一科目代码在 02、03、05、07、08 表中的科目名称相同", REF,
      severity=WARNING, hint="同一科目各表名称不同：按当年《政府收支分类科目》统一名称。")
def k01(r: Rule, report: Report):
    first: dict[str, tuple[str, str]] = {}
    for tid in CODED:
        for row in report.table(tid).code_rows():
            code = row.code or ""
            if code not in first:
                first[code] = (tid, row.name)
            elif normalize_label(row.name) != normalize_label(first[code][1]):
                other_tid, other_name = first[code]
                yield Finding(rule=r.id, severity=r.severity, table=tid, cell=row.cell, title=r.title, hint=r.hint,
                              message=f"公开{tid}表 科目 {code} 名为“{row.name}”，而公开{other_tid}表为“{other_name}”",
                              cells=[c for c in (row.cell,) if c])


@rule("K02", "下级科目须列在其上级科目之下", "7 位科目的前 5 位（款）、5 位科目的前 3 位（类）须在同一表中列出", REF,
      hint="缺少上级科目行：补列上级科目（类/款）及其金额，否则无法核对层级合计。")
def k02(r: Rule, report: Report):
    for tid in CODED:
        for row, parent, level in missing_parents(report.table(tid)):
            yield Finding(rule=r.id, severity=r.severity, table=tid, cell=row.cell, title=r.title, hint=r.hint,
                          message=f"公开{tid}表 科目 {row.code} {row.name} 的上级{level} {parent} 没有列出",
                          cells=[c for c in (row.cell,) if c])


@rule("K03", "科目代码与名称符合政府收支分类科目", "科目代码在分类科目中（否则提示）；名称与分类科目一致（否则警告）", REF,
      severity=WARNING, hint="核对当年《政府收支分类科目》：代码是否写错，名称是否为规范名称。")
def k03(r: Rule, report: Report):
    seen: set[str] = set()
    unknown: list[tuple[str, Row]] = []
    for tid in CODED:
        for row in report.table(tid).code_rows():
            code = row.code or ""
            if code in seen:
                continue  # one finding per code; K01 covers differences between tables
            seen.add(code)
            entry = catalog.lookup(code, report.year)
            if entry is None:
                unknown.append((tid, row))
            elif normalize_label(entry.name) != normalize_label(row.name):
                yield Finding(rule=r.id, severity=r.severity, table=tid, cell=row.cell, title=r.title, hint=r.hint,
                              message=f"公开{tid}表 科目 {code} 名为“{row.name}”，{entry.year}年分类科目中为“{entry.name}”",
                              cells=[c for c in (row.cell,) if c])
    yield from not_in_catalog(r, unknown)


def not_in_catalog(r: Rule, unknown: list[tuple[str, Row]], what: str = "科目", code_of=lambda row: row.code,
                   name_of=lambda row: row.name) -> Iterator[Finding]:
    """One 提示 for all the codes the catalog lacks, every one named and its cell marked: a department outside
    the seeds' sectors may print dozens, one line each would bury the findings that matter."""
    if not unknown:
        return
    listed = "、".join(f"{code_of(row)} {name_of(row) or ''}".strip() for _, row in unknown)
    tid, first = unknown[0]
    yield Finding(rule=r.id, severity=INFO, table=tid, cell=first.cell, title=r.title, hint=r.hint,
                  message=f"{len(unknown)} 个{what}不在本工具的分类科目目录中，未能核对名称：{listed}",
                  cells=[row.cell for _, row in unknown if row.cell])
