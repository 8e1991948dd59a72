"""Plausibility rules (S): figures a table cannot hold, 09 over budget, placeholders and unit names
left in the workbook's own texts, 机关运行经费 against 06, and large year-on-year changes without a reason.

Unlike the T/X relations these are not "total = Σ parts": each says why a figure or text looks wrong.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

import msgspec

from ...amounts import ZERO
from ...inputs import NAMES, TEXT, field_for
from ...labels import TITLE, UNIT_LINE, Label
from ...model import CellRef, Report, Value
from ...narrative.facts import HUNDRED, Missing
from ...narrative.model import Comparison, build
from ...specs import JUESUAN, YUSUAN
from ..engine import (ERROR, INFO, WARNING, Finding, Rule, Term, compare_equal, compare_sum, money, once_per_run, rule,
                      term)

REF_TABLES = "部门决算公开表填报口径；部门决算软件审核公式（核实性）"
REF_09 = "部门决算公开09表（“三公”经费及会议费、培训费支出决算表）；“三公”经费、会议费、培训费预算管理规定"
REF_TEXT = "部门决算公开：公开内容完整、准确，单位名称一致"
REF_RUNNING = "机关运行经费口径：行政单位（含参照公务员法管理的事业单位）一般公共预算财政拨款基本支出中的公用经费"
REF_CHANGE = "部门决算公开 情况说明：收支较上年变动较大的须说明原因"


# ---------------------------------------------------------------- S01 negative amounts

# balances that may print negative in 01: 非财政拨款结余 (经营结余 in particular) can be in deficit and is
# carried forward as such, and 结余分配 turns negative when that deficit is moved into 非财政拨款结余
MAY_BE_NEGATIVE = {("01", "年初结转和结余"), ("01", "年末结转和结余"), ("01", "结余分配")}


@rule("S01", "公开表金额不应为负数", "01–09 表各金额 ≥ 0（01表 年初、年末结转和结余及结余分配除外）", REF_TABLES,
      severity=WARNING,
      hint="核对该数：收入、支出和财政拨款结转结余不应为负；确因收回以前年度支出等冲减所致，请在情况说明中说明。")
def s01(r: Rule, report: Report):
    """Every amount of 01–09 is a receipt, a spending or a 财政拨款 balance, none of which can be below zero —
    except 01's 年初/年末结转和结余 and 结余分配, which include 非财政拨款结余 (a 经营 deficit is carried
    forward negative). 财政拨款 balances (04, 07) cannot be: no one spends more 拨款 than was granted.
    A 警告, not an 错误: a refund of an earlier year's spending (收回以前年度支出) booked against this year's
    can print one 科目 negative, and the 部门决算软件 treats this as a check to explain, not a hard error."""
    for tid, table in sorted(report.tables.items()):
        for row in table.rows:
            if (tid, row.key) in MAY_BE_NEGATIVE:
                continue
            for column, value in row.values.items():
                if value.amount < 0:
                    t = term(report, tid, row, column)
                    yield Finding(rule=r.id, severity=r.severity, table=tid, cell=value.cell, title=r.title,
                                  hint=r.hint, actual=value.amount, cells=[c for c in (value.cell,) if c],
                                  message=f"{t.label} 为 {money(value.amount)}，该项金额不应为负数")


# ---------------------------------------------------------------- S02 09 决算 above 预算

SANGONG_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费", "会议费", "培训费")


@rule("S02", "09表 决算数超过预算数", "09表 因公出国（境）费、公务用车购置费、公务用车运行维护费、公务接待费、会议费、培训费："
      "决算数 ≤ 预算数", REF_09, severity=WARNING,
      hint="“三公”经费、会议费、培训费原则上不得超预算：核对两数；确有调整预算或以前年度结转，请在情况说明中说明原因。")
def s02(r: Rule, report: Report):
    """Each item separately (合计 and the 公务用车 小计 would repeat their parts). Both figures are printed,
    so no rounding allowance: rounding never reverses an order, and a printed 决算 above the printed 预算
    means the unrounded 决算 is above the unrounded 预算 too."""
    t09 = report.table("09")
    budget_row, actual_row = t09.row("预算数"), t09.row("决算数")
    if budget_row is None or actual_row is None:
        return
    printed = {c.name for c in t09.spec.value_columns}  # 上海 表七 has no 会议费、培训费
    for column in (c for c in SANGONG_ITEMS if c in printed):
        budget, actual = term(report, "09", budget_row, column), term(report, "09", actual_row, column)
        over = actual.amount - budget.amount
        if over <= 0:
            continue
        rate = f"，超预算 {over / budget.amount * HUNDRED:.2f}%" if budget.amount > 0 else "（预算数为 0）"
        yield Finding(rule=r.id, severity=r.severity, table="09", cell=actual.value.cell, title=r.title, hint=r.hint,
                      expected=budget.amount, actual=actual.amount,
                      cells=[c for c in (actual.value.cell, budget.value.cell) if c],
                      message=f"公开09表 {column}：决算数 {money(actual.amount)} 大于预算数 {money(budget.amount)}，"
                              f"多出 {money(over)}{rate}")


# ---------------------------------------------------------------- texts of the workbook

class _Text(msgspec.Struct, frozen=True):
    """One text the officer (or the import) put in the workbook: what it is called, and where it is."""

    what: str
    text: str
    cell: CellRef | None
    table: str


def _label_name(label: Label) -> str:
    if label.kind == TITLE:
        return f"公开{label.table}表 标题"
    if label.kind == UNIT_LINE:
        return f"公开{label.table}表 编制单位"
    return f"封面“{label.kind}”"


def _texts(report: Report) -> list[_Text]:
    """The workbook's own texts: 封面 fields, table titles and 编制单位 lines, 说明数据 texts and 原因说明."""
    out = [_Text(_label_name(x), x.text, x.cell, x.table or "封面") for x in report.labels]
    if not any(x.kind == "单位名称" for x in report.labels):  # a report not read from a template workbook
        out.append(_Text("单位名称", report.unit_name, None, "封面"))
    inputs = report.inputs
    for key, iv in sorted(inputs.values.items()) if inputs else ():
        f = field_for(key)
        if f is None or f.kind not in (TEXT, NAMES):
            continue
        text = "、".join(iv.value) if isinstance(iv.value, list) else str(iv.value)
        if key.startswith("原因."):
            out.append(_Text(f"原因说明“{key[3:]}”", text, iv.cell, "原因说明"))
        else:
            out.append(_Text(f"说明数据“{f.label}”", text, iv.cell, "说明数据"))
    seen: set[str] = set()
    unique = []
    for t in out:  # 联系电话 typed on the cover is also the 说明数据 value, with the cover's cell
        where = str(t.cell) if t.cell else t.what
        if where not in seen:
            seen.add(where)
            unique.append(t)
    return unique


# "XX"/"××"/"ＸＸ", "某某", "待填写" (also in 【待填写：…】), an ellipsis standing for text never written
PLACEHOLDER = re.compile(r"[XxＸｘ×]{2,}|某某|待填写|…+|\.{3,}")


def _excerpt(text: str, start: int, end: int, room: int = 12) -> str:
    if len(text) <= 2 * room + (end - start):
        return text
    return text[max(0, start - room):end + room]


@rule("S03", "工作簿文字中留有占位符", "封面、表标题、编制单位、说明数据和原因说明的文字中没有“XX”“××”“某某”“待填写”“…”",
      REF_TEXT, severity=ERROR, hint="把占位符换成实际内容（单位名称、联系电话、原因等）后重新校验。")
def s03(r: Rule, report: Report):
    """A placeholder left from a template or a last year's copy is printed as-is in the published document.
    An 错误: nothing that still says "XX" or "待填写" may be published."""
    for t in _texts(report):
        m = PLACEHOLDER.search(t.text)
        if m:
            where = f"（{t.cell}）" if t.cell else ""
            yield Finding(rule=r.id, severity=r.severity, table=t.table, cell=t.cell, title=r.title, hint=r.hint,
                          cells=[c for c in (t.cell,) if c],
                          message=f"{t.what}{where}“{_excerpt(t.text, m.start(), m.end())}”中留有占位符“{m.group()}”")


def _norm(name: str) -> str:
    """A unit name as compared: no spaces, full-width brackets."""
    return re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")


_OWN_LEVEL = ("本级", "机关", "本部")


def _own_level_stem(entry: str) -> str | None:
    """"某局本级（机关）" -> "某局": the department's own-level unit in 单位构成, named after it; None for
    any other unit (a 中心, a school) of the list."""
    s, marked = _norm(entry), False
    while s:
        if s.endswith("）") and "（" in s:
            i = s.rfind("（")
            marked |= s[i + 1:-1] in _OWN_LEVEL
            s = s[:i]
        elif s.endswith(_OWN_LEVEL):
            marked, s = True, s[:-2]
        else:
            break
    return s if marked and s else None


def _without_note(name: str) -> str:
    """"某局（汇总）" -> "某局": the name without a trailing remark in brackets."""
    s = _norm(name)
    return s[:s.rfind("（")] if s.endswith("）") and "（" in s else s


@rule("S04", "单位名称前后不一致", "各表“编制单位”、说明数据“单位构成”中的本级单位与封面“单位名称”一致", REF_TEXT,
      severity=WARNING, hint="统一单位名称：以正式全称为准改正封面或各表的编制单位（表头单元格受保护，可撤销工作表保护后修改）。")
def s04(r: Rule, report: Report):
    """The cover's 单位名称 is what every exported page prints; a 编制单位 line (written when the workbook was
    made) that names another unit means one of them is stale. A blank 编制单位 line says nothing and is
    left alone. In 单位构成, the department's own level (“某局本级”) must carry the department's name."""
    cover = next((x for x in report.labels if x.kind == "单位名称"), None)
    cover_cell = cover.cell if cover else None
    name = report.unit_name
    shown = f"封面单位名称“{name}”" + (f"（{cover_cell}）" if cover_cell else "")
    lines: dict[str, list[Label]] = {}
    for x in report.labels:
        if x.kind == UNIT_LINE and x.text and _norm(x.text) != _norm(name):
            lines.setdefault(x.text, []).append(x)
    for spelling, where in lines.items():
        cells = [x.cell for x in where]
        tables = "、".join(f"公开{x.table}表" for x in where)
        yield Finding(rule=r.id, severity=r.severity, table=where[0].table, cell=cells[0], title=r.title, hint=r.hint,
                      cells=cells + [c for c in (cover_cell,) if c],
                      message=f"{tables}的编制单位为“{spelling}”（{cells[0]}{' 等' if len(cells) > 1 else ''}），"
                              f"与{shown}不一致")
    if report.inputs is None or not name.strip():
        return
    units = report.inputs.get("单位构成") or []
    cell = report.inputs.cell("单位构成")
    for entry in units:
        stem = _own_level_stem(entry)
        if stem is not None and stem != _without_note(name):
            yield Finding(rule=r.id, severity=r.severity, table="说明数据", cell=cell, title=r.title, hint=r.hint,
                          cells=[c for c in (cell, cover_cell) if c],
                          message=f"说明数据“单位构成”中的本级单位“{entry}”与{shown}不一致")


# ---------------------------------------------------------------- S05 机关运行经费 and 06 公用经费

def _explained(report: Report) -> bool:
    """A note relates 机关运行经费 to 公用经费: 其他说明 speaks of 机关运行经费, or a 机关运行经费 reason
    speaks of 公用经费."""
    inputs = report.inputs
    if "机关运行经费" in str(inputs.get("其他说明") or ""):
        return True
    return any("机关运行经费" in key and "公用经费" in str(iv.value) for key, iv in inputs.with_prefix("原因.").items())


def _has_public_institutions(report: Report) -> bool:
    inputs = report.inputs
    return any((inputs.get(k) or 0) > 0 for k in ("人员.事业编制", "人员.实有事业"))


@rule("S05", "机关运行经费与06表公用经费合计不同且未说明", "说明数据 机关运行经费 = 公开06表 公用经费合计（不同时须有说明）",
      REF_RUNNING, severity=INFO,
      hint="核对机关运行经费的口径；两数不同而确属口径差异（如含事业单位的公用经费）时，在说明数据“其他说明”中写明。")
def s05(r: Rule, report: Report):
    """机关运行经费 is the 公用经费 of the 行政 (and 参公) units, paid from 一般公共预算财政拨款 基本支出; 06 prints
    the 公用经费 of every unit. So the two are equal for a department of 行政 units only; a department with
    事业 staff (人员.事业编制 or 实有事业 > 0) is expected to show less 机关运行经费 than 公用经费, and that is
    not reported. A difference within rounding (the engine's 尾差 allowance) counts as equal."""
    if report.inputs is None or "06" not in report.tables:
        return
    running = report.inputs.values.get("机关运行经费")
    t06 = report.table("06")
    total = next((x.label for x in t06.spec.totals if "公用经费" in x.label), None)
    row = t06.row(total) if total else None
    if running is None or row is None:
        return  # not filled: N01 asks for it
    public = term(report, "06", row, t06.spec.value_name)
    stated = Term("说明数据", "机关运行经费", "", Value(running.value, running.cell))
    f = compare_equal(r, "说明数据/06", public, stated)
    if f is None or f.severity != r.severity:  # equal, or a 尾差
        return
    if _explained(report) or (stated.amount < public.amount and _has_public_institutions(report)):
        return
    diff = stated.amount - public.amount
    yield Finding(rule=r.id, severity=r.severity, table="说明数据/06", cell=running.cell, title=r.title, hint=r.hint,
                  expected=public.amount, actual=stated.amount, cells=f.cells,
                  message=f"说明数据“机关运行经费”{money(stated.amount)} 与{public.label} {money(public.amount)} "
                          f"不同，相差 {money(diff)}，其他说明和原因说明中都没有说明")


# ---------------------------------------------------------------- S10 no unit named

NAME_CELL = CellRef("封面", "B3")  # workbook_write puts the cover's fields from row 3 on, 单位名称 first


@rule("S10", "封面单位名称未填写", "封面“单位名称”已填写（公开包的标题、封面和文件名都用它）", REF_TEXT,
      kinds=(JUESUAN, YUSUAN), hint="在“封面”工作表“单位名称”一格填写单位全称。")
def s10(r: Rule, report: Report):
    """A workbook with no 单位名称 — a blank template opened as it is — checked clean and exported a package titled
    “2023年部门综合预算” (new-user test): it is an 错误, at the cover's cell."""
    if report.source is None or report.pdf is not None or (report.unit_name or "").strip():
        return  # a report built in memory names its unit otherwise; a published PDF has no 封面 sheet to fill
    yield Finding(rule=r.id, severity=r.severity, table="封面", cell=NAME_CELL, title=r.title, hint=r.hint,
                  cells=[NAME_CELL], message="封面“单位名称”未填写：公开包的标题、封面和文件名都要用到它")


# ---------------------------------------------------------------- S09 amounts of another unit

# 收入总计 of a whole department in 万元: a county's is hundreds to tens of thousands, a province's large ones a few
# million; one of 10,000,000 万元 (1,000 亿元) and more is 元 read as 万元 (an export without “单位：元”)
IMPLAUSIBLE_WAN = Decimal(10_000_000)


@rule("S09", "金额大得不像以万元填列", f"01表 收入总计 < {IMPLAUSIBLE_WAN:,} 万元（1000 亿元）", REF_TABLES, severity=WARNING,
      hint="核对金额单位：以元导出的报表没有写明“单位：元”时会按万元读入。请在导出文件表上方写明“单位：元”后重新导入。")
def s09(r: Rule, report: Report):
    """A department's 收入总计 of 1,000 亿元 or more: the amounts are 元, read as 万元 (an export that does not
    say its unit is read as 万元, with one 提示 at import only); every figure and the text are then 10,000 times
    too big, and nothing else says so."""
    t = report.tables.get("01")
    row = t.row("收入总计", "收入") if t is not None else None
    value = row.values.get(t.spec.value_name) if row is not None else None
    if value is not None and value.amount >= IMPLAUSIBLE_WAN:
        yield Finding(rule=r.id, severity=r.severity, table="01", cell=value.cell, title=r.title, hint=r.hint,
                      actual=value.amount, cells=[value.cell] if value.cell else [],
                      message=f"公开01表 收入总计 为 {money(value.amount)} 万元（{value.amount / 10000:,.0f} 亿元）："
                              "像是以元填列的金额按万元读入了")


# ---------------------------------------------------------------- S08 政府采购 in 说明数据

REF_PURCHASE = "部门决算公开 情况说明：政府采购支出总额及货物、工程、服务采购支出，授予中小企业合同金额"
PURCHASE_TABLE = "运行资产采购"  # a region printing them in a table (内蒙古 表十一) is checked there (R05, R06)


def _stated(report: Report, key: str) -> Term | None:
    iv = report.inputs.values.get(key)
    if iv is None or not isinstance(iv.value, Decimal):
        return None
    return Term("说明数据", field_for(key).label if field_for(key) else key, "", Value(iv.value, iv.cell))


@rule("S08", "政府采购支出总额与货物、工程、服务之和不符",
      "说明数据 政府采购支出总额 = 货物 + 工程 + 服务（三项都填了时）；授予中小企业合同金额 ≥ 其中授予小微企业", REF_PURCHASE,
      hint="核对说明数据中政府采购的总额和各类采购额：总额应等于货物、工程、服务之和。")
def s08(r: Rule, report: Report):
    """Where the 说明数据 hold the 政府采购 figures the text prints (陕西, 上海): total = Σ types once every type
    is filled (a blank one is not yet filled, not 0 — N01 asks for it); the 小微企业 part of the 中小企业
    contracts no larger than them."""
    if report.inputs is None or PURCHASE_TABLE in report.tables:
        return
    total = _stated(report, "政府采购.总额")
    parts = [_stated(report, f"政府采购.{k}") for k in ("货物", "工程", "服务")]
    if total is not None and all(p is not None for p in parts):
        f = compare_sum(r, "说明数据", total, parts)  # type: ignore[arg-type]
        if f is not None:
            yield f
    sme, small = _stated(report, "政府采购.授予中小企业"), _stated(report, "政府采购.授予小微企业")
    if sme is not None and small is not None and small.amount > sme.amount:
        yield Finding(rule=r.id, severity=r.severity, table="说明数据", cell=small.value.cell, title=r.title, hint=r.hint,
                      expected=sme.amount, actual=small.amount, cells=[c for c in (small.value.cell, sme.value.cell) if c],
                      message=f"说明数据“{small.row}”{money(small.amount)} 大于“{sme.row}”{money(sme.amount)}：小微企业是中小企业的一部分")


# ---------------------------------------------------------------- S06 large change, no reason

LARGE_CHANGE = Decimal(50)


def _comparisons(node) -> Iterator[Comparison]:
    """Every Comparison in the narrative's context, in order (a stack, not a generator per level: the
    context has over a thousand nodes and this runs once per workbook in a batch)."""
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, Comparison):
            yield node
        elif isinstance(node, dict):
            stack.extend(reversed(node.values()))
        elif isinstance(node, (list, tuple)):
            stack.extend(reversed(node))


@rule("S06", "比上年变动超过 50% 而未说明原因", "(本年 − 上年) ÷ 上年 超过 +50% 或 −50% 的事项，原因说明中已填写原因", REF_CHANGE,
      severity=WARNING, hint="在“原因说明”工作表该行的“原因”列写明变动原因；数据变化后先运行 disclosure inputs 工作簿 --refresh。")
def s06(r: Rule, report: Report):
    """The comparisons with 上年 are the narrative model's own (the same list that fills 原因说明), so this is
    N02's 提示 raised to a 警告 where the change exceeds 50 % of last year's figure. A base of 0 gives no
    percentage (DESIGN.md) and stays with N02."""
    if report.inputs is None:
        return
    ctx = once_per_run("narrative.model", lambda: build(report))
    what = {item.key: item.what.split("：")[0] for item in ctx["model"].reasons}
    seen: set[str] = set()
    for cmp in _comparisons(ctx):
        reason, pct = cmp.reason, cmp.percent
        if cmp.up != "增加" or not isinstance(reason, Missing) or pct is None or not pct.known:
            continue
        if abs(pct.value) <= LARGE_CHANGE or reason.key in seen:  # type: ignore[arg-type]
            continue
        seen.add(reason.key)
        key = reason.key[len("原因."):]
        if key not in what:  # a figure this region's text does not state: it asks no reason (原因说明 has no row)
            continue
        rate: Decimal = pct.rounded()
        current, base = cmp.current.value or ZERO, cmp.base.value or ZERO
        figures = [c for f in (cmp.current, cmp.base) for c in f.cells]
        todo = ("，请在原因说明中填写原因" if reason.cell else
                "；原因说明表中还没有这一行，请先运行 disclosure inputs 工作簿 --refresh 再填写")
        yield Finding(rule=r.id, severity=r.severity, table="原因说明", cell=reason.cell or next(iter(figures), None),
                      title=r.title, hint=r.hint, expected=base, actual=current,
                      cells=[c for c in (reason.cell, *figures) if c],
                      message=f"{what.get(key, key)}{'增长' if rate > 0 else '下降'} {abs(rate)}%（本年 {money(current)}，"
                              f"上年 {money(base)}），变动超过 50% 而未说明原因{todo}")
