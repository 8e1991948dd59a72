"""Findings for people: grouped text for the terminal, and an .xlsx 校验报告 that opens in Excel/WPS
(written by report_xlsx.py with openpyxl, imported only when a report is written; write_xlsx is forwarded)."""

from __future__ import annotations

from collections import Counter

from ..acks import ACKNOWLEDGED, acknowledged
from ..model import Report
from ..specs import other_year_note, read_with_other_year
from .engine import ERROR, INFO, WARNING, Finding

SEVERITY_FILL = {ERROR: "FFC7CE", WARNING: "FFEB9C", INFO: "DDEBF7"}
ACK_FILL = "C6EFCE"  # an acknowledged finding: green, as Excel's "good"


def counts(findings: list) -> str:
    """错误/警告/提示 still open; acknowledged findings are counted apart, lapsed ones as open."""
    c = Counter(f.severity for f in findings if not acknowledged(f))
    text = f"错误 {c[ERROR]} 条，警告 {c[WARNING]} 条，提示 {c[INFO]} 条"
    done = Counter(f.severity for f in findings if acknowledged(f))
    if done:
        text += f"；已确认 {sum(done.values())} 条（{'、'.join(f'{s} {n} 条' for s, n in done.items())}）"
    lapsed = sum(1 for f in findings if getattr(f, "ack", None) and f.ack.lapsed)
    if lapsed:
        text += f"；确认已失效 {lapsed} 条"
    return text


def ack_note(f: Finding) -> str:
    """'已确认：reason（date）' or '确认已失效（why）：reason'; '' when never acknowledged."""
    if f.ack is None:
        return ""
    if f.ack.lapsed:
        return f"确认已失效（{f.ack.lapsed}）：{f.ack.reason}"
    return f"{ACKNOWLEDGED}：{f.ack.reason}（{f.ack.day}）"


def _group_title(report: Report, table: str) -> str:
    if "/" in table:
        names = (report.table(t).spec.number if t in report.tables else f"公开{t}表" for t in table.split("/"))
        return f"表间 {'、'.join(names)}"
    if table not in report.tables:  # 说明数据, 原因说明
        return table
    t = report.table(table).spec
    return f"{t.number} {t.title}"


def _group_key(table: str) -> tuple:
    # 决算 "01"… and 预算 "表1"… first (表2 before 表10), then 说明数据 and the like
    numbers = tuple(int("".join(ch for ch in t if ch.isdecimal()) or 0) for t in table.split("/"))
    return (not (table[:1].isdigit() or table.startswith("表")), "/" in table, numbers, table)


def as_text(report: Report, findings: list[Finding], banner: str | None = None) -> str:
    lines = [banner, ""] if banner else []
    lines.append(f"{report.unit_name} {report.year} 年度{report.kind}公开表 校验结果：{counts(findings)}")
    if read_with_other_year(report.spec, report.year):  # a 2025 决算 checked by the 2024 表样's relations
        lines.append(f"注意：{other_year_note(report.spec, report.year)}。")
    if not findings:
        lines.append("全部表内、表间关系相符。")
    for table in sorted({f.table for f in findings}, key=_group_key):
        lines.append("")
        lines.append(f"【{_group_title(report, table)}】")
        for f in (x for x in findings if x.table == table):
            done = acknowledged(f)
            level = f"{f.severity}（{ACKNOWLEDGED}）" if done else f.severity
            lines.append(f"  {level} {f.rule} {f.cell or ''}  {f.message}")
            if f.ack is not None:
                lines.append(f"      {ack_note(f)}")
            if f.severity == ERROR and not done:
                lines.append(f"      处理：{f.hint}")
    return "\n".join(lines)


def __getattr__(name: str):
    if name in ("write_xlsx", "HEADERS", "LINT_HEADERS"):
        from . import report_xlsx

        return getattr(report_xlsx, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
