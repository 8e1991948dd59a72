"""`disclosure check 汇总.xlsx --units DIR`: a 汇总 against the units' workbooks (H rules).

Not in checks.RULES: they need the units' workbooks, so `check` runs them only with --units (as the BJ rules
with --budget). The 汇总 is compared figure by figure with the sum of the units' printed figures; the allowance
is the rounding of every figure involved — each unit figure summed (k × 0.005), and for a figure the 汇总
computes from others (a total, a parent 科目, a figure taken from another table) each rounded figure under it
(consolidate_derive: Fig.n) — so a 汇总 made by `disclosure consolidate`, or by the 部门决算软件 from 元, passes
with at most 尾差 警告, and a figure typed wrong does not.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from .amounts import ZERO
from .checks.engine import ERROR, WARNING, Finding, Term, compare_sum, money
from .consolidate import (Consolidation, Unit, consolidate, duplicates, file_digest, read_unit, same_kind_problem,
                          unit_files)
from .consolidate_derive import Key, cells_of
from .errors import DisclosureError
from .model import Report, Value

GROUP = "汇总↔单位"  # Finding.table: the check report's heading for these findings


class Rule(msgspec.Struct, frozen=True):
    id: str
    title: str
    severity: str
    hint: str = ""


H01 = Rule("H01", "汇总数 = 各单位之和", ERROR, "核对该格：汇总应由各单位工作簿汇总而来（disclosure consolidate），"
                                             "或改正有误的单位工作簿后重新汇总。")
H02 = Rule("H02", "每个单位工作簿本身无错误", ERROR, "先逐个校验单位工作簿并改正错误，再汇总。")
H03 = Rule("H03", "同一单位不重复计入", ERROR, "删去重复的工作簿（同一文件或同一单位名称），重新汇总。")
H04 = Rule("H04", "说明数据“单位构成”与单位工作簿一致", ERROR,
           "单位构成应列出全部纳入汇总的单位：按单位工作簿改正说明数据“单位构成”，或补齐、删去单位工作簿。")
RULES = (H01, H02, H03, H04)


def read_units(folder: Path, summary: Report) -> list[Unit]:
    """The units' workbooks of a folder (not the 汇总 itself if it lies there), each of the 汇总's kind,
    layout and year — else a DisclosureError (exit 2, like an unreadable --budget)."""
    if not folder.is_dir():
        raise DisclosureError(f"--units 应为单位工作簿所在的文件夹，“{folder}”不是文件夹")
    own = summary.source.resolve() if summary.source else None
    files = [p for p in unit_files([folder]) if p.resolve() != own]
    units = [read_unit(p) for p in files]
    if own is not None:  # the 汇总 copied into the folder under another name
        digest = file_digest(summary.source)
        units = [u for u in units if u.digest != digest]
    if not units:
        raise DisclosureError(f"文件夹“{folder}”中除汇总工作簿外没有单位工作簿")
    probe = Unit(summary.source or Path("汇总.xlsx"), summary, "")
    for u in units:
        problem = same_kind_problem(probe, u)
        if problem:
            raise DisclosureError(problem)
    return units


def unit_findings(summary: Report, units: list[Unit]) -> tuple[list[Finding], int]:
    """The H findings, and how many 汇总 figures were compared with the units' sums (said under the
    findings: never a silent "0 条"). A unit counted twice is reported (H03) and summed once."""
    out = _duplicates(units)
    out += _unclean(units)
    out += _composition(summary, units)
    repeated = {id(b) for _, b, _ in duplicates(units)}
    c = consolidate([u for u in units if id(u) not in repeated], summary.unit_name or None)
    printed = cells_of(summary)
    out += _sums(printed, c)
    return out, len(set(printed) | set(c.derived.cells))


# ---------------------------------------------------------------- H01

def _keys(printed: dict[Key, Value], c: Consolidation) -> list[Key]:
    keys = list(dict.fromkeys([*printed, *c.derived.cells, *c.sources]))
    return [k for k in keys if (printed.get(k) and printed[k].amount) or c.sources.get(k) and any(
        s.amount for s in c.sources[k]) or (c.derived.cells.get(k) and c.derived.cells[k].amount)]


def _sums(printed: dict[Key, Value], c: Consolidation) -> list[Finding]:
    """H01 for every figure the 汇总 prints (`printed`: its cells_of) or the units' sum has."""
    out = []
    for key in _keys(printed, c):
        tid, side, row, column = key
        value = printed.get(key) or Value(ZERO)
        sources = c.sources.get(key, [])
        fig = c.derived.cells.get(key)
        # every unit figure is rounded once; a derived 汇总 figure also carries the rounding of its parts
        n = max(1, len(sources) + (fig.n if fig and key not in c.derived.base else 0)
                + (fig.n if fig and key in c.derived.adjusted else 0))
        label = f"{side}·{row}" if side else row
        number = f"公开{tid}表"
        total = Term(number, label, column, value)
        parts = [Term(s.unit, "", "", Value(s.amount, s.cell)) for s in sources]
        f = compare_sum(H01, GROUP, total, parts or [Term(number, label, column, Value(ZERO))], rounded=n)
        if f is None:
            continue
        want = sum((s.amount for s in sources), ZERO)
        shown = "，".join(f"{s.unit} {s.cell or '（未列）'} {money(s.amount)}" for s in sources if s.amount) or "各单位均无此数"
        tail = f.message[f.message.rfind("相差"):]
        f.message = (f"{'尾差：' if f.severity == WARNING else ''}汇总 {value.cell or number} {label}·{column} "
                     f"{money(value.amount)}，各单位之和 {money(want)}（{shown}），{tail}")
        f.cell = value.cell
        f.cells = [value.cell] if value.cell else []
        out.append(f)
    return out


# ---------------------------------------------------------------- H02–H04

def _finding(rule: Rule, message: str, cell=None) -> Finding:
    return Finding(rule.id, rule.severity, GROUP, cell, message, cells=[cell] if cell else [], title=rule.title,
                   hint=rule.hint)


def _duplicates(units: list[Unit]) -> list[Finding]:
    return [_finding(H03, f"“{a.path.name}”与“{b.path.name}”{why}：同一单位计入两次") for a, b, why in duplicates(units)]


def _unclean(units: list[Unit]) -> list[Finding]:
    from . import acks

    out = []
    for u in units:
        errors = acks.open_findings(acks.checked(u.report), ERROR)
        if errors:
            named = "；".join(f"{f.rule} {f.cell or ''}".strip() for f in errors[:5])
            more = f" 等（共 {len(errors)} 条）" if len(errors) > 5 else ""
            out.append(_finding(H02, f"单位工作簿“{u.path.name}”（{u.name}）本身有 {len(errors)} 条错误：{named}{more}"))
    return out


def _composition(summary: Report, units: list[Unit]) -> list[Finding]:
    inputs = summary.inputs
    listed = (inputs.get("单位构成") if inputs else None) or []
    cell = inputs.cell("单位构成") if inputs else None
    names = [u.name for u in units]
    if not listed:
        return [_finding(H04, f"说明数据“单位构成”未填写；单位工作簿有 {len(names)} 个：{'、'.join(names)}", cell)]
    out = []
    missing = [n for n in names if n not in listed]
    extra = [n for n in listed if n not in names]
    if missing:
        out.append(_finding(H04, f"单位工作簿中的{'、'.join(f'“{n}”' for n in missing)}不在说明数据“单位构成”中", cell))
    if extra:
        out.append(_finding(H04, f"说明数据“单位构成”中的{'、'.join(f'“{n}”' for n in extra)}没有单位工作簿", cell))
    return out
