"""Years (L07) and reasons that argue the opposite change (L08): words, not numbers.

A year is a finding only when it cannot belong in this report:
- a claim about the figures of another year: "2023年度收入总计…2,444.56万元" in a 2024 report;
- a reason that tells of an earlier year — copied from an old report ("2022年上半年…未被纳入" in 2024).
Not findings: the report's year and the one before (上年 comparisons); later years (plans, "剩余款项
2025年支付"); history ("自2019年起", "2019年以来", "2019年成立"); years inside a document or project
name (《…2021年…》, “…”).
"""

from __future__ import annotations

import re

from ..checks.engine import ERROR, WARNING
from .findings import LintFinding
from .text import Sentence, without_placeholders

YEAR = re.compile(r"(20\d\d)\s*年")
_REASON = re.compile(r"原因(?:主要)?(?:是|为|在于)?[:：]?|由于|因为")
_HISTORY_BEFORE = re.compile(r"(?:自|从|始于|早在|始自)$")
_HISTORY_AFTER = re.compile(r"^年?度?(?:\d{1,2}月(?:\d{1,2}日)?)?(?:以来|起|开始|至今|以后|成立|设立|组建|挂牌|建成|上线)")
_PERIOD = re.compile(r"^年(?:度|末|底)")
_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万元|元|%|辆|台|人|个)")
_SNIPPET = re.compile(r"^(?:度|末|底|上半年|下半年|\d{1,2}月(?:\d{1,2}日)?)?")

# words in a reason that argue for more spending, and for less
MORE = re.compile(r"追加|增加|新增|补助资金|多于|超出")
LESS = re.compile(r"压减|减少|节约|节省|未完成|结余|降低|少于|低于")
# a clause about last year: its fall explains this year's rise ("上年结转" is this year's money)
_LAST_YEAR = re.compile(r"上(?:一)?年(?!结转|结余|初)|去年|前一年|上年度")
_CHANGE = re.compile(r"(大于|小于|高于|低于|减少|下降|降低|增加|增长|上升|提高|新增)[^。]*?原因(?:是|为|主要是)?[:：]?(.+)")


def check_years(s: Sentence, year: int) -> list[LintFinding]:
    out = []
    reason_at = m.end() if (m := _REASON.search(s.text)) else len(s.text)
    for m in YEAR.finditer(s.text):
        y = int(m.group(1))
        if y in (year, year - 1) or in_quotes(s.text, m.start()):
            continue
        before, after = s.text[max(0, m.start() - 2):m.start()], s.text[m.end() - 1:]
        said = m.group(1) + "年" + _SNIPPET.match(s.text[m.end():]).group(0)
        if _HISTORY_BEFORE.search(before) or _HISTORY_AFTER.match(after):
            continue
        in_reason = m.start() >= reason_at
        if not in_reason and _PERIOD.match(after) and _FIGURE.search(s.text[m.end():reason_at]):
            out.append(LintFinding("L07", ERROR, s.section, s.text, f"“{said}”",
                                   f"本报告是{year}年度：这句说的是{y}年度的数，应为{year}年度"))
        elif y > year:
            continue  # a plan or a payment due later
        elif in_reason:
            out.append(LintFinding("L07", ERROR, s.section, s.text, f"“{said}”",
                                   f"本报告是{year}年度：原因说的是{y}年的事，像是从旧报告抄来的，请按本年情况重写"))
        else:
            out.append(LintFinding("L07", WARNING, s.section, s.text, f"“{said}”",
                                   f"本报告是{year}年度：核对这句是否旧报告的文字"))
    return out


def in_quotes(text: str, at: int) -> bool:
    """Inside 《…》 or “…”: a document or project name."""
    head = text[:at]
    return head.count("《") > head.count("》") or head.count("“") > head.count("”")


_THIS_YEAR = re.compile(r"本年|今年|当年|本年度")


def argues(reason: str) -> tuple[bool, bool]:
    """(argues for more, argues for less). What is said of last year counts the other way round: from a
    clause naming 上年 on, until one names 本年 or a "；" ends the thought."""
    more = less = False
    for part in re.split(r"[；;]", reason):
        last_year = False
        for clause in re.split(r"[，,]", part):
            if _LAST_YEAR.search(clause):
                last_year = True
            elif _THIS_YEAR.search(clause):
                last_year = False
            m, n = bool(MORE.search(clause)), bool(LESS.search(clause))
            if last_year:
                m, n = n, m
            more, less = more or m, less or n
    return more, less


def check_reason(s: Sentence, figure: str = "决算") -> list[LintFinding]:
    """A reason that argues the opposite of the change it is given for. A sentence listing several 科目, each
    with its change and reason, “；” between them, is checked item by item: one item's change is not
    another's reason. figure: what changed (决算, or 预算 in a 预算 text)."""
    items = re.split(r"[；;](?=[^；;。]*?(?:大于|小于|高于|低于|减少|下降|降低|增加|增长|上升|提高|新增)[^；;。]*?原因)",
                     without_placeholders(s.text))
    out = []
    for item in items:
        m = _CHANGE.search(item)
        if not m:
            continue
        word, reason = m.group(1), m.group(2)
        down = word in ("小于", "低于", "减少", "下降", "降低")
        more, less = argues(reason)
        if (down and more and not less) or (not down and less and not more):
            out.append(LintFinding("L08", WARNING, s.section, s.text, f"{figure}“{word}”，原因却是“{reason.rstrip('。；;')}”",
                                   "原因与变动方向相反：核对原因是否写反或抄自其他科目"))
    return out
