"""What lint reports, and the registry of its rules (id, title, severity, what it checks and why).

Rule ids are stable: L01–L12 compare the text with the tables; L13 on are the text-side rules any
published document should pass (shares, placeholders, unit name, wording, punctuation, empty tables).
docs/lint.md lists every registered rule (a test keeps the two in step).
"""

from __future__ import annotations

from typing import Callable

import msgspec
from msgspec import field

from ..checks.engine import ERROR, INFO, WARNING
from ..model import CellRef

TITLE_PAGE, PART_ONE, PART_THREE = "标题", "第一部分", "第三部分"
# where a finding stands, in document order: the title page, 第一部分, the sections of 第二部分, 第三部分
_BEFORE = {TITLE_PAGE: -2, PART_ONE: -1}


class LintFinding(msgspec.Struct):
    rule: str
    severity: str
    section: str  # "一" … "十四", or 标题 / 第一部分 / 第三部分
    sentence: str
    says: str
    should: str
    cells: list[CellRef] = field(default_factory=list)
    place: str = ""  # for people: "第二部分 一、收入支出决算总体情况说明"

    def to_json(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "section": self.section, "place": self.place,
                "sentence": self.sentence, "says": self.says, "should": self.should,
                "cells": [str(c) for c in self.cells]}

    def line(self) -> str:
        head = f"{self.severity} {self.rule} {self.place or self.section}：{self.says}；{self.should}"
        return f"{head}\n    原文：{self.sentence}" if self.sentence else head  # a section left out has none


def place_of(section: str, titles: dict[str, str], parts: dict[str, str] | None = None) -> str:
    """"一" → "第二部分 一、收入支出决算总体情况说明"; the title page, 第一部分 and 第三部分 name themselves.
    parts: the part each section stands in where the style spans more than one (the 预算's 六 is in 第三部分)."""
    if section in titles:
        return f"{(parts or {}).get(section, '第二部分')} {titles[section]}"
    return section


def order_key(f: LintFinding, numerals: list[str]) -> tuple[int, int]:
    at = numerals.index(f.section) if f.section in numerals else _BEFORE.get(f.section, 99)
    return at, {ERROR: 0, WARNING: 1, INFO: 2}[f.severity]


class LintRule(msgspec.Struct, frozen=True):
    id: str
    title: str
    severity: str  # "错误", "警告", "提示", or "错误/警告" where the case decides
    doc: str  # what it checks and why


RULES: dict[str, LintRule] = {}


def register(id: str, title: str, severity: str, doc: str) -> None:
    if id in RULES:
        raise ValueError(f"lint rule {id} registered twice")
    RULES[id] = LintRule(id, title, severity, " ".join(doc.split()))


def rule(id: str, title: str, severity: str) -> Callable:
    """Register a text-side rule function; its docstring says what it checks and why."""
    def wrap(func: Callable) -> Callable:
        register(id, title, severity, func.__doc__ or "")
        func.rule_id = id  # type: ignore[attr-defined]
        return func
    return wrap


# The rules that compare the text with the tables live in lint/__init__.py, years and reasons in
# lint/reasons.py; their entries are stated here so the registry is complete in one place.
register("L01", "数字与表格不符", f"{ERROR}/{WARNING}", """A printed amount or percentage is not the one the
         tables and 说明数据 give for the sentence it stands in (paired with the sentence the generator writes);
         the finding gives the right number, its formula and cells. In free text (十三、十四) only figures the
         tables hold are checked (部门整体支出 执行数, the 完成率 of 全年预算数 and 执行数, a share of 项目支出):
         a different 执行数 is a 警告, since a 绩效 narrative may count other money.""")
register("L02", "增长率分母用错", ERROR, """A growth rate computed on this year's figure instead of last
         year's: (本年 − 上年) ÷ 本年 printed where (本年 − 上年) ÷ 上年 is due.""")
register("L03", "单位写错（万元写成元）", ERROR, """An amount printed in 元 that is a table figure in 万元
         ("2,444.56元" for 2,444.56万元) — wherever it stands, free text included.""")
register("L04", "百分比截断而非四舍五入", WARNING, """A percentage cut off instead of rounded half-up
         (28.67% for 28.675…%).""")
register("L05", "百分比缺少数字", ERROR, """A share printed without its number ("占政府采购服务支出合同的%").""")
register("L06", "增减方向与数字相反", ERROR, """增加/减少, 增长/下降, 大于/小于 in front of a change, or in
         "…的主要原因", that says the opposite of what the tables give; where they give nothing to compare with
         (last year's figures unknown), a sentence that contradicts itself ("减少982.88万元，增长28.68%").""")
register("L07", "年份不对", f"{ERROR}/{WARNING}", """A year that cannot stand in this report: a claim about the
         figures of another year ("2023年度收入总计…" in a 2024 report), or a reason that tells of an earlier
         year, copied from an old report ("2022年上半年…" in a 2024 report) — 错误. Any other earlier year
         outside a history ("自2019年起", "2019年以来") is a 警告. The year before the report's, a later year
         (plans, "剩余款项2025年支付") and years inside a document or project name (《…》, “…”) are not
         findings; 第十三部分 (绩效) quotes other years on purpose and is not checked.""")
register("L08", "原因与变动方向相反", WARNING, """A reason that argues for the opposite change: 决算 smaller
         than budget explained by a mid-year addition, or a rise explained by savings. A clause about last
         year ("上年受疫情影响支出减少") argues the other way: last year's fall explains this year's rise.""")
register("L09", "未能核对", INFO, """A number in 第一至十二部分 that could not be paired with a table figure
         (the sentence is unlike any the generator writes, or the 说明数据 it needs is empty): listed, never
         dropped silently.""")
register("L10", "科目名称与代码不符", f"{ERROR}/{WARNING}", """A 科目 named with a code whose 05表 name
         differs: a wrong 项 name or a code 05表 lacks is an 错误, an old 类/款 name a 警告.""")
register("L11", "05表的项未在第五部分说明", WARNING, """Every 项 of 公开05表 with spending is explained
         in 第五部分.""")
register("L12", "空表说明与表格不符", ERROR, """第七、八、九部分 say "空表" while the table has figures, or
         print amounts for an empty table.""")
