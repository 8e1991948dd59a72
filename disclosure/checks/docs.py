"""docs/rules.md, generated from the rule registry (run: ./dev docs; a test keeps it up to date)."""

from __future__ import annotations

from .engine import RULES, run  # noqa: F401  (run imports the rule families)


def render() -> str:
    from . import rules  # noqa: F401  (registers every rule)

    lines = [
        "# 校验规则目录",
        "",
        "本页由 `disclosure/checks` 的规则注册表生成（`./dev docs`），请勿手改。",
        "",
        "每条规则核对一个“合计 = 各组成数之和”或“两表同一数相等”的关系。公开表金额四舍五入到 0.01 万元，",
        "n 个非空组成数相加与合计最多相差 n × 0.005：在此范围内报“警告（尾差）”，写明两个数和差额；",
        "超出范围按规则本身的级别报告（多为“错误”）。`disclosure check` 退出码：0 无错误，1 有错误，2 文件无法读取。",
        "",
        "| 规则 | 名称 | 级别 | 关系 | 依据 |",
        "|---|---|---|---|---|",
    ]
    for r in sorted(RULES.values(), key=lambda r: (r.id[0] != "T", r.id[0] != "X", r.id)):
        lines.append(f"| {r.id} | {r.title} | {r.severity} | {r.formula} | {r.reference} |")
    lines += ["", "## 处理建议", ""]
    for r in sorted(RULES.values(), key=lambda r: (r.id[0] != "T", r.id[0] != "X", r.id)):
        lines.append(f"- **{r.id}** {r.hint}")
    return "\n".join(lines) + "\n"
