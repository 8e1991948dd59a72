"""提示 for what the 情况说明 still needs: each missing 说明数据 item and each missing reason, once,
with the cell to fill. Found by rendering the text, so the list is exactly what the text lacks — for a
部门预算 its own text (the shaanxi-yusuan style: a change of ≥ 10 % on last year's budget wants a reason)."""

from __future__ import annotations

from ...model import Report
from ...specs import JUESUAN, YUSUAN
from ..engine import INFO, Finding, Rule, once_per_run, rule


def _missing(report: Report):
    if report.inputs is None:  # a report built in memory, not read from a workbook
        return []
    from ...narrative.render import render  # Jinja2: imported only when the text is rendered

    return once_per_run("narrative.missing", lambda: render(report).missing)


@rule("N01", "情况说明所需的说明数据未填写", "情况说明用到的每一项说明数据都已填写（留空即未填，零请填 0）",
      "本工具 docs/inputs.md", severity=INFO, hint="在“说明数据”工作表该单元格填写，或用 disclosure inputs --set-from 写入。",
      kinds=(JUESUAN, YUSUAN))
def n01(r: Rule, report: Report):
    for m in _missing(report):
        if not m.key.startswith("原因."):
            yield Finding(rule=r.id, severity=r.severity, table="说明数据", cell=m.cell, title=r.title, hint=r.hint,
                          message=f"情况说明需要{m.label}，尚未填写", cells=[m.cell] if m.cell else [])


@rule("N02", "需要说明原因的事项未填写原因", "原因说明中列出的每一事项都已填写原因（方向已写明，只填原因）",
      "本工具 docs/inputs.md；财政部门关于决算公开说明变动原因的要求", severity=INFO,
      hint="在“原因说明”工作表该行的“原因”列填写；数据变化后先运行 disclosure inputs 工作簿 --refresh。",
      kinds=(JUESUAN, YUSUAN))
def n02(r: Rule, report: Report):
    for m in _missing(report):
        if m.key.startswith("原因."):
            yield Finding(rule=r.id, severity=r.severity, table="原因说明", cell=m.cell, title=r.title, hint=r.hint,
                          message=f"原因说明：{m.ask}，尚未填写" if m.ask else f"{m.label} 尚未填写原因",
                          cells=[m.cell] if m.cell else [])
