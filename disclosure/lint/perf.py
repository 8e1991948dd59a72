"""第十三部分 of a text against the workbook's 绩效自评表 (report.perf): the figures of （二）整体 and of each
（三）item are paired by structure, not by likeness of wording — in a published text they sit glued to the
tables' cells, which no sentence of ours resembles.

- （二）“整体支出自评得分 S，全年预算数 A 万元，执行数 B 万元，完成预算的 R%” against the 整体 table;
- （三）“N. 名称项目绩效自评综述：全年预算数 A 万元，执行数 B 万元，完成预算的 R%” against the 项目 table of that
  name (the Nth of that name when several share it, as seed 001's two 房屋租赁费), else the Nth 项目 table;
A figure that is not the table's is an L01 with the generator's Fact (formula and cells; 完成率 = B ÷ A, not the
table's printed 执行率); a project named otherwise than its table's 项目名称 an L21.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..checks.engine import ERROR, WARNING
from ..model import Report
from ..narrative.facts import Fact
from ..narrative.perf import PerfResult, build
from ..perf.model import PerfTable
from .findings import LintFinding, register
from .pairing import same
from .text import Sentence

_NUM = r"(\d[\d,]*(?:\.\d*)?)"  # “170.” (decimals lost in the print) reads as 170
_FIGURES = (rf"全年预算数?[为是:：]?\s*{_NUM}\s*万元\s*[,，、]?\s*(?:全年)?执行数[为是:：]?\s*{_NUM}\s*万元\s*[,，、]?\s*"
            rf"(?:完成(?:全年)?预算的|(?:预算)?执行率为?|完成率为?)\s*{_NUM}\s*[%％]")
_OVERALL = re.compile(rf"整体支出(?:绩效)?自评得分[为是:：]?\s*(\d+(?:\.\d+)?)\s*分?\s*[,，、]?\s*{_FIGURES}")
# “1.名称项目绩效自评综述：全年预算数…”, or (内蒙古) “1.名称项目自评综述：根据年初设定的绩效目标，项目自评得分 S 分。全年
# 预算数…” — the score a sentence before the figures
_ITEM = re.compile(rf"(?<![\d.])(\d{{1,2}})\s*[.．、]\s*([^\t。；;]{{1,80}}?)项目(?:绩效)?自评综述\s*[:：。]?\s*"
                   rf"(?:根据[^。；\t]{{0,20}}?绩效目标[，,]?\s*)?(?:(?:项目)?自评得分[为是:：]?\s*(\d+(?:\.\d+)?)\s*分\s*[。，,；;]?\s*)?"
                   rf"{_FIGURES}")
_SPACE = re.compile(r"\s+")

register("L21", "项目名称与绩效自评表不符", WARNING, """第十三部分 names a project (“5. 履职专项业务费项目绩效自评综述…”)
         otherwise than the 项目名称 of the 绩效自评表 its figures and place pair it with, or that table has no
         项目名称 to check against. Its figures are checked against that table all the same (L01).""")


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", "").rstrip("."))


def _plain(name: str) -> str:
    return _SPACE.sub("", name).removesuffix("项目")


def _titled(t: PerfTable) -> str:
    """The project a table's own title names (“房屋租赁费项目绩效自评表” → 房屋租赁费)."""
    return re.sub(r"(项目支出|项目)?绩效自评表$", "", _SPACE.sub("", t.title))


def _figures(s: Sentence, where: str, printed: list[tuple[str, str]], facts: list[Fact | None]) -> list[LintFinding]:
    """printed: (text, unit) — unit 万元, % or 分 — against the Facts in the same order; where: the words
    matched (the sentence may hold a table's cells before them)."""
    out = []
    for (text, unit), fact in zip(printed, facts):
        if fact is None or not fact.known or same(_dec(text), fact.value):  # type: ignore[arg-type]
            continue
        right = (f"{fact.rounded()}%" if unit == "%" else f"{fact.value:,.2f}万元" if unit == "万元"
                 else format(fact.value.normalize(), "f"))  # type: ignore[union-attr]
        out.append(LintFinding("L01", ERROR, s.section, where, f"{text.rstrip('.')}{unit}",
                               f"应为 {right}（{fact.formula}）", list(fact.cells)))
    return out


def _project(number: int, name: str, tables: list[PerfTable]) -> int | None:
    """The index of the table an item speaks of: by name (the Nth of that name first), else by number."""
    named = [i for i, t in enumerate(tables) if _plain(name) in (_plain(t.name), _plain(_titled(t))) and _plain(name)]
    if number - 1 in named or (not named and 0 < number <= len(tables)):
        return number - 1
    return named[0] if len(named) == 1 else None


def _name(s: Sentence, where: str, printed: str, t: PerfTable) -> list[LintFinding]:
    if _plain(printed) == _plain(t.name) or "【待填写" in printed:  # a placeholder is a finding of its own
        return []
    cells = [t.name_cell] if t.name_cell else []
    if not t.name.strip():
        should = f"绩效自评表“{t.sheet}”未填项目名称，无从核对：填写项目名称"
    else:
        title = f"（表题为“{t.title}”）" if t.title and _titled(t) else ""
        should = f"绩效自评表“{t.sheet}”的项目名称为“{t.name.strip()}”{title}：文中与表中应为同一名称"
    return [LintFinding("L21", WARNING, s.section, where, f"项目名称写作“{_SPACE.sub('', printed)}”", should, cells)]


register("L22", "绩效自评表的项目未在第十三部分说明", WARNING, """Every 项目 with a 项目支出绩效自评表 (and a 项目名称)
         is named in 第十三部分: the text reports each project's self-evaluation, not only some of them.""")


def _unlisted(sentences: list[Sentence], tables: list[PerfTable]) -> list[LintFinding]:
    """The projects of the 自评表 that 第十三部分 never names (only when the text has a 第十三部分)."""
    said = [s for s in sentences if s.section == "十三"]
    if not said:
        return []
    text = _plain("".join(s.text for s in said))
    out = []
    for t in tables:
        name = _plain(t.name)
        if name and name not in text:
            out.append(LintFinding("L22", WARNING, "十三", said[0].text[:80], f"未提到项目“{name}”",
                                   f"绩效自评表“{t.sheet}”的项目应在第十三部分（三）项目绩效自评结果中说明",
                                   [t.name_cell] if t.name_cell else []))
    return out


def check_perf(sentences: list[Sentence], report: Report) -> list[LintFinding]:
    """The findings on 第十三部分's figures and project names (nothing without 绩效自评表)."""
    if not report.perf:
        return []
    context = build(report.perf, "部门")
    overall: PerfResult | None = context["整体"]
    projects: list[PerfResult] = context["项目"]
    tables = report.perf.projects
    out: list[LintFinding] = []
    said = [s for s in sentences if s.section == "十三"]
    # the section as one text: an item's name and score may end a sentence before its figures
    body, starts = "", []
    for s in said:
        starts.append(len(body))
        body += s.text

    def at(m: re.Match) -> Sentence:  # the sentence a match begins in
        return said[max(i for i, start in enumerate(starts) if start <= m.start())]

    if overall is not None:
        for m in _OVERALL.finditer(body):
            out += _figures(at(m), m.group(0), [(m.group(1), "分"), (m.group(2), "万元"), (m.group(3), "万元"),
                                                (m.group(4), "%")], [overall.score, overall.budget, overall.spent, overall.rate])
    for m in _ITEM.finditer(body):
        i = _project(int(m.group(1)), m.group(2), tables)
        if i is None:
            continue
        p, s = projects[i], at(m)
        out += _name(s, m.group(0), m.group(2), tables[i])
        printed = [(m.group(3), "分")] if m.group(3) else []
        out += _figures(s, m.group(0), printed + [(m.group(4), "万元"), (m.group(5), "万元"), (m.group(6), "%")],
                        ([p.score] if m.group(3) else []) + [p.budget, p.spent, p.rate])
    return out + _unlisted(sentences, tables)
