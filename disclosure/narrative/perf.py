"""Section 十三 (预算绩效情况说明) from the 绩效自评表 (report.perf, disclosure/perf/model.py), as Facts.

（二）整体 and （三）each 项目: 自评得分 (总分·得分), 全年预算数 (A), 全年执行数 (B) of the scored 资金 row (整体: 金额合计,
项目: 年度资金总额), 完成预算的 B ÷ A — computed, never the printed 执行率 (where that differs, P01 says so) —, the
年度总体目标's 实际完成情况, and the problems and measures taken from the 偏差原因分析及改进措施 cells: each cell's
clauses that say what will be done (下一步…, 加强…) are the measures, the others the problems, in the officer's own
words. A table that lost points or missed its budget with no such text asks for it (【待填写】, as every missing reason).

Which paragraph each table follows in the printed document (the style's `perf_tables: inline`): the templates
mark it with table_marker(), a line render.py takes out of the text and keeps in Section.tables.
"""

from __future__ import annotations

import re

import msgspec

from ..model import Value
from ..perf.model import PerfTable, Performance
from .facts import Fact, Missing, completion, source

TABLE_MARK = "\x00绩效表:"  # a template line naming the 绩效 sheet printed after the paragraph above it
_CLAUSE = re.compile(r"[^，,；;。]+[，,；;。]?")
_MEASURE = re.compile(r"下一步|改进措施|今后|将进一步|继续|进一步|加强|提前谋划")
_NOTHING = {"", "无", "无。", "/", "—", "-"}


class PerfResult(msgspec.Struct):
    """One 绩效自评表 as section 十三 states it."""

    sheet: str
    name: str | Missing  # 项目名称 (整体: 部门（单位）名称)
    score: Fact | None  # 自评得分: 总分·得分
    budget: Fact  # 全年预算数 (A)
    spent: Fact  # 全年执行数 (B)
    rate: Fact | None  # B ÷ A × 100; None when A is 0
    done: str | Missing  # 年度总体目标 · 实际完成情况
    problems: str | Missing  # 发现的问题及原因 (“无” when there are none)
    measures: str | Missing  # 下一步改进措施

    @property
    def marker(self) -> str:
        return table_marker(self.sheet)


def table_marker(sheet: str) -> str:
    return f"{TABLE_MARK}{sheet}"


def _fact(t: PerfTable, value: Value | None, what: str, ask: str, kind: str = "amount") -> Fact:
    formula = f"{t.sheet} {what}"
    if value is None:
        miss = Missing(f"绩效.{t.sheet}.{what}", f"绩效自评表“{t.sheet}”{what}", None, ask)
        return Fact(None, formula, (), kind, missing=(miss,))
    return source(value.amount, formula, value.cell, kind)


def _name(t: PerfTable) -> str | Missing:
    """The table's 项目名称 as filled (P12 says when it is missing or differs from the title)."""
    name = re.sub(r"\s+", "", t.name)
    if name:
        return name
    return Missing(f"绩效.{t.sheet}.名称", f"绩效自评表“{t.sheet}”项目名称", t.name_cell,
                   f"{t.sheet}的项目名称")


_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>")


def is_rich(text: str) -> bool:
    """Whether a cell's text carries a 绩效 system's HTML markup (plain_text reduces it to words)."""
    return bool(_TAG.search(text))


def plain_text(text: str) -> str:
    """A cell's text as the document prints it: the HTML a 绩效 system exports its rich text as (“<p>1.…</p><p>2.…
    </p>”, seed 001's 项目2) reduced to its words, paragraphs run together; spaces at the ends dropped."""
    import html  # only for 绩效 text (its entity table costs every start ~1.5 ms)

    # tags first, then entities (&nbsp; &lt; &amp; &#8220; …): an escaped “&lt;p&gt;” is text, not a tag
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub("", text))).strip()


def _lost_points(t: PerfTable) -> bool:
    rows = [(i.weight, i.score) for i in t.indicators] + [(f.weight, f.score) for f in t.funds if f.scored]
    return any(w is not None and s is not None and s.amount < w.amount for w, s in rows)


def _split(text: str) -> tuple[str, str]:
    """The clauses of one 偏差原因分析及改进措施 cell: (problems, measures), each as the officer wrote it."""
    problems, measures = [], []
    for clause in _CLAUSE.findall(text.strip()):
        (measures if _MEASURE.search(clause) else problems).append(clause)
    return "".join(problems).rstrip("，,；;。 "), "".join(measures).rstrip("，,；;。 ")


def _deviations(t: PerfTable) -> tuple[str, str]:
    """Problems (“租赁面积、租赁成本：新办公地址消防验收未通过,未能搬迁”) and measures of a table's 偏差原因 cells."""
    problems: dict[str, list[str]] = {}
    measures: list[str] = []
    for ind in t.indicators:
        text = plain_text(ind.deviation)
        if text in _NOTHING:
            continue
        problem, measure = _split(text)
        if problem:
            problems.setdefault(problem, []).append(ind.level3 or ind.level2)
        if measure and measure not in measures:
            measures.append(measure)
    said = "；".join(f"{'、'.join(dict.fromkeys(n for n in names if n))}：{p}" if any(names) else p
                    for p, names in problems.items())
    return said, "；".join(measures)


def result(t: PerfTable, subject: str) -> PerfResult:
    """subject: how a placeholder names the table (“医保信息化及基金监督管理费项目”, “部门整体支出”)."""
    fund = t.total_fund
    budget = _fact(t, fund.budget if fund else None, f"{fund.label if fund else '年度资金总额'}·全年预算数",
                   f"{subject}全年预算数")
    spent = _fact(t, fund.spent if fund else None, f"{fund.label if fund else '年度资金总额'}·全年执行数",
                  f"{subject}全年执行数")
    score = _fact(t, t.total_score, "总分·得分", f"{subject}自评得分", "count") if t.total_score or t.indicators \
        else None
    short = budget.known and spent.known and spent.value < budget.value  # type: ignore[operator]
    needed = short or _lost_points(t)
    problems, measures = _deviations(t)
    key = f"绩效.{t.sheet}"

    def ask(what: str, words: str) -> Missing:
        return Missing(f"{key}.{what}", f"绩效自评表“{t.sheet}”偏差原因分析及改进措施（{what}）", None,
                       f"{subject}{words}")

    if not problems:
        problems = ask("问题及原因", "未完成预算或扣分的原因") if needed else "无"  # type: ignore[assignment]
    if not measures:
        measures = ask("改进措施", "下一步改进措施") if needed else "无"  # type: ignore[assignment]
    done = plain_text(t.goal_done) or Missing(f"{key}.实际完成情况", f"绩效自评表“{t.sheet}”年度总体目标·实际完成情况",
                                          None, f"{subject}绩效目标实际完成情况")
    return PerfResult(t.sheet, _name(t), score, budget, spent, completion(spent, budget), done, problems, measures)


def build(perf: Performance, org: str) -> dict:
    """The 十三 context when the workbook has 绩效 tables."""
    overall = result(perf.overall, f"{org}整体支出") if perf.overall else None
    projects = []
    for t in perf.projects:
        name = _name(t)
        projects.append(result(t, f"{name}项目" if isinstance(name, str) else f"{t.sheet}项目"))
    return {"整体": overall, "项目": projects, "overall_missing": Missing(
        "绩效.整体", "整体支出绩效自评表（工作簿中没有“绩效-整体”工作表）", None, f"{org}整体支出绩效自评结果")}


__all__ = ["PerfResult", "TABLE_MARK", "build", "result", "table_marker"]
