"""The batch summary as pandas DataFrames, and as an .xlsx with one sheet each.

- departments (批量校验汇总): one row per workbook — file, unit, year, counts, status, detail
- findings (问题清单): the long table, one row per open finding — 单位 文件 规则 级别 单元格 说明
- by_rule (规则统计): which rules fire in how many departments (and how often), most widespread first
- by_department (单位统计): errors, warnings and notes per department read, most errors first

A department is a workbook file: two submissions may carry the same 单位名称 (a copy not yet renamed).
The sheets are written as XML strings (summaryxlsx.py: 10,000 departments mean ~100,000 finding rows, 15 s through
openpyxl's cells) and every text through the same rule as cells.put_text: text stays text, never a formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import msgspec
import pandas as pd

from . import summaryxlsx
from .batch import FAILED, HAS_ERRORS, REFUSED, SUMMARY_TITLE, BatchRow
from .checks.engine import ERROR, INFO, SEVERITY_ORDER, WARNING
from .files import atomic_write

SEVERITIES = [ERROR, WARNING, INFO]
# (sheet, [(column, width)]) — the frames' columns in this order
DEPARTMENTS = (SUMMARY_TITLE, [("文件", 36), ("单位", 30), ("年度", 8), ("错误", 8), ("警告", 8), ("提示", 8),
                               ("状态", 16), ("说明", 60)])
FINDINGS = ("问题清单", [("单位", 30), ("文件", 30), ("规则", 10), ("级别", 8), ("单元格", 18), ("说明", 100)])
BY_RULE = ("规则统计", [("规则", 10), ("级别", 8), ("标题", 50), ("单位数", 10), ("次数", 10)])
BY_DEPARTMENT = ("单位统计", [("文件", 36), ("单位", 30), ("错误", 8), ("警告", 8), ("提示", 8)])
EXCEL_ROWS = 1_048_576
BAD_STATUS = {HAS_ERRORS, REFUSED, FAILED}


class Frames(msgspec.Struct):
    departments: pd.DataFrame
    findings: pd.DataFrame
    by_rule: pd.DataFrame
    by_department: pd.DataFrame


def _names(spec) -> list[str]:
    return [name for name, _ in spec[1]]


def frames(rows: Iterable[BatchRow]) -> Frames:
    rows = list(rows)
    departments = pd.DataFrame.from_records(
        [(r.file.name, r.unit, r.year, *((None,) * 3 if r.status == FAILED else (r.errors, r.warnings, r.infos)),
          r.status, r.detail) for r in rows], columns=_names(DEPARTMENTS))
    for column in ("年度", "错误", "警告", "提示"):
        departments[column] = departments[column].astype("Int64")  # a workbook not read has no count, not 0
    findings = pd.DataFrame.from_records(
        [(r.unit, r.file.name, *f) for r in rows for f in r.findings], columns=_names(FINDINGS))
    return Frames(departments, findings, _by_rule(findings), _by_department(departments, findings))


def _title(rule_id: str, rules: dict) -> str:
    """A check rule's title, or a lint rule's (an audit of PDFs lists both)."""
    if rule_id in rules:
        return rules[rule_id].title
    if rule_id.startswith("L"):
        from . import lint  # noqa: F401  (importing the lint fills its registry)
        from .lint.findings import RULES as LINT_RULES

        found = LINT_RULES.get(rule_id)
        return found.title if found else ""
    return ""


def _by_rule(findings: pd.DataFrame) -> pd.DataFrame:
    from .checks import RULES, rules  # noqa: F401  (importing the families fills the registry: titles)

    table = (findings.groupby(["规则", "级别"], sort=False)
             .agg(单位数=("文件", "nunique"), 次数=("文件", "size")).reset_index())
    table.insert(2, "标题", [_title(r, RULES) for r in table["规则"]])
    table["_order"] = table["级别"].map(SEVERITY_ORDER)
    table = table.sort_values(["单位数", "_order", "次数", "规则"], ascending=[False, True, False, True], kind="stable")
    return table.drop(columns="_order").reset_index(drop=True)[_names(BY_RULE)]


def _by_department(departments: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    read = departments.loc[departments["状态"] != FAILED, ["文件", "单位"]]
    counts = findings.groupby(["文件", "级别"]).size().unstack(fill_value=0).reindex(columns=SEVERITIES, fill_value=0)
    table = read.join(counts, on="文件").fillna(0)
    table[SEVERITIES] = table[SEVERITIES].astype("int64")
    # most errors first; among equals the folder's (natural) order, which `read` already has
    return table.sort_values([ERROR, WARNING], ascending=False, kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- the .xlsx

def write(rows: list[BatchRow], path: str | Path, note: str = "", tables: Frames | None = None) -> Path:
    tables = tables or frames(rows)
    bad_rows = {i for i, r in enumerate(rows) if r.status in BAD_STATUS}
    severities = tables.findings["级别"].tolist()
    errors = tables.by_department[ERROR].tolist()
    sheets = [_sheet(DEPARTMENTS, tables.departments, note, red=lambda i, c: c == "状态" and i in bad_rows),
              _sheet(FINDINGS, tables.findings, note, red=lambda i, c: c == "级别" and severities[i] == ERROR),
              _sheet(BY_RULE, tables.by_rule, note),
              _sheet(BY_DEPARTMENT, tables.by_department, note, red=lambda i, c: c == ERROR and errors[i] > 0)]
    # the title in the document properties: how batch.is_summary knows the file, renamed or not
    return atomic_write(path, lambda tmp: summaryxlsx.save(sheets, tmp, title=SUMMARY_TITLE),
                        {r.file: "校验的工作簿" for r in rows})


def _sheet(spec, frame: pd.DataFrame, note: str, red=lambda i, c: False) -> summaryxlsx.Sheet:
    title, columns = spec
    room = EXCEL_ROWS - 1 - bool(note)
    if len(frame) > room:  # ~100 findings in each of 10,000 workbooks: more than a sheet holds
        note = "；".join(filter(None, [note, f"只列出前 {room - 1:,} 行，共 {len(frame):,} 行"]))
        room -= 1
    head = frame.head(room)
    # column by column (tolist) rather than itertuples: pandas' nullable Int64 is slow to read one value at a time
    rows = ([_plain(v) for v in values] for values in zip(*(head[c].tolist() for c in head.columns)))
    return summaryxlsx.Sheet(title, columns, rows, note, red)


def _plain(value):
    """pandas' missing values as an empty cell, numpy numbers as Python ones."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value
