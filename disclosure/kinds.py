"""What each document kind (部门决算, 部门预算) can do so far, and the refusal when it cannot.

A 预算 workbook is read, shown and imported like a 决算 one (issue 19); its checks, narrative, lint and export
come one by one. Until a capability lists 部门预算 here, whatever runs it on a 预算 Report refuses in one
Chinese line — never running the 决算 rules or text on it (they would report nonsense, or "0 findings" for
tables they did not understand).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import DisclosureError
from .specs import JUESUAN, YUSUAN

if TYPE_CHECKING:
    from .model import Report

CHECKS, NARRATIVE, LINT, EXPORT, PRIOR = "校验", "情况说明", "情况说明核对", "导出公开包", "上年数据"
# capability -> the kinds it works on; a capability gains 部门预算 here when its 预算 part lands
SUPPORTED: dict[str, frozenset[str]] = {
    CHECKS: frozenset({JUESUAN, YUSUAN}),  # the B rules: checks/rules/budget*.py
    NARRATIVE: frozenset({JUESUAN, YUSUAN}),  # narrative/budget.py, templates/narrative/shaanxi-yusuan
    LINT: frozenset({JUESUAN, YUSUAN}),  # lint/: a 预算 text is paired with the shaanxi-yusuan narrative
    EXPORT: frozenset({JUESUAN, YUSUAN}),  # export/: the 预算 package (15 tables, its cover, notes and pie)
    PRIOR: frozenset({JUESUAN, YUSUAN}),  # a 预算's 上年预算 from last year's 预算 (budgetfigures.prior_values)
}


# the 情况说明 style (templates/narrative/<style>) a kind's narrative and export use unless told otherwise
STYLES: dict[str, str] = {JUESUAN: "shaanxi", YUSUAN: "shaanxi-yusuan"}


def default_style(report: "Report") -> str:
    """The style of the report's region (its 表样 spec's `style`), else its kind's (STYLES)."""
    return report.spec.style or STYLES.get(report.kind, "shaanxi")


class KindNotSupported(DisclosureError):
    """The capability does not work on this kind of document yet."""


def supports(report: "Report", capability: str) -> bool:
    return report.kind in SUPPORTED.get(capability, frozenset({JUESUAN}))


def require(report: "Report", capability: str) -> None:
    """Refuse, naming the workbook and its kind, when `capability` does not work on the report's kind yet."""
    if supports(report, capability):
        return
    name = f"“{report.source.name}”" if report.source else "这个工作簿"
    able = "、".join(sorted(k for k, caps in SUPPORTED.items() if report.kind in caps)) or "无"
    raise KindNotSupported(f"{name}是{report.kind}工作簿：{report.kind}的{capability}尚未提供（目前可用：{able}）。"
                           "可以用 disclosure show 查看其中各表")
