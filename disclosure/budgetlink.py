"""预算 ↔ 决算 of the same year (issue 19): the 决算's 年初预算 说明数据 taken from the same year's 预算 workbook,
each with the 预算 cell it came from, and the cross-document findings (BJ rules) where they differ.

What the 预算 gives the 决算, matched by structure (科目代码, 表 and 栏), never by label:
- 年初预算.项.<7 位代码>: 表5 row of that 项, 合计 column; a 项 of the 决算's 公开05表 that 表5 does not print had
  no 一般公共预算 money at the start of the year: 0 (when 表5 prints any 项 at all);
- 年初预算.一般公共预算财政拨款支出: 表5 合计 row (表4 收入 一般公共预算拨款 when 表5 prints no 合计);
- 机关运行经费预算: the 预算 workbook's own 说明数据 “机关运行经费” (本年预算安排) where filled (no 预算 table
  prints it);
- 公开09表 预算数 (三公, 会议费, 培训费): 表12 当年 columns of the 部门 row — a 决算 table row, not 说明数据, so it
  is compared (BJ04), never written.
The 决算 has no 说明数据 for 政府采购 预算 (its 政府采购.* are the year's actual figures), so 表11 is not used.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import msgspec

from .amounts import ZERO
from .checks.engine import INFO, WARNING, Finding, money
from .budgetfigures import sangong_rows
from .errors import DisclosureError
from .model import CellRef, Report, Row
from .specs import JUESUAN, YUSUAN, normalize_label

TOTAL_KEY = "年初预算.一般公共预算财政拨款支出"
ITEM_PREFIX = "年初预算.项."
RUNNING_KEY = "机关运行经费预算"
BUDGET_RUNNING_KEY = "机关运行经费"  # in a 预算 workbook's 说明数据: that year's 机关运行经费 预算安排
GROUP = "预算↔决算"  # Finding.table: the check report's heading for these findings
# 公开09表 column -> 表12 当年 column
SANGONG_COLUMNS = [("合计", "三公小计"), ("因公出国（境）费", "因公出国（境）费用"),
                   ("公务用车购置及运行维护费", "公务用车小计"), ("公务用车购置费", "公务用车购置费"),
                   ("公务用车运行维护费", "公务用车运行维护费"), ("公务接待费", "公务接待费"),
                   ("会议费", "会议费"), ("培训费", "培训费")]


class Rule(msgspec.Struct, frozen=True):
    id: str
    title: str
    severity: str


# not in checks.RULES: they need a second workbook, so `check` runs them only with --budget (docs/预算.md)
BJ01 = Rule("BJ01", "决算说明数据的年初预算 = 同年预算", WARNING)
BJ02 = Rule("BJ02", "预算有、决算说明数据未填的年初预算", INFO)
BJ03 = Rule("BJ03", "决算说明数据有年初预算、预算表5没有的项", WARNING)
BJ04 = Rule("BJ04", "公开09表 预算数 = 预算表12 当年数", INFO)


class Source(msgspec.Struct, frozen=True):
    """A figure of the 预算 workbook and where it stands."""

    amount: Decimal
    cells: tuple[CellRef, ...] = ()
    what: str = ""  # 表5 row name, or why there is no cell ("表12（空表）")
    absent: bool = False  # the 预算 does not print it: 0 by absence

    def __str__(self) -> str:
        if not self.cells:
            return f"预算 {self.what}"
        return "预算 " + "+".join(str(c) for c in self.cells)


# ---------------------------------------------------------------- reading the pair

def read_budget(path: Path, juesuan: Report) -> Report:
    """The 预算 workbook at `path`, refused in one Chinese line when it cannot be read, is not a 预算
    workbook, or is another unit's or year's than the 决算 `juesuan`."""
    from . import workbook

    try:
        budget = workbook.read(path)
    except DisclosureError as exc:
        raise DisclosureError(f"读不了预算工作簿：{exc}") from None
    require_pair(budget, juesuan)
    return budget


def require_pair(budget: Report, juesuan: Report) -> None:
    def name(r: Report) -> str:
        return f"“{r.source.name}”" if r.source else ""

    if juesuan.kind != JUESUAN:
        raise DisclosureError(f"工作簿{name(juesuan)}是{juesuan.kind}工作簿：对照预算只用于部门决算工作簿")
    if budget.kind != YUSUAN:
        raise DisclosureError(f"{name(budget) or '所给工作簿'}是{budget.kind}工作簿，不是部门预算工作簿：请给出同年的预算工作簿")
    b, j = (f"{r.unit_name or '（未识别单位名称）'} {r.year} 年" for r in (budget, juesuan))
    if not budget.unit_name or _unit(budget.unit_name) != _unit(juesuan.unit_name):
        raise DisclosureError(f"预算工作簿{name(budget)}是 {b}，决算工作簿{name(juesuan)}是 {j}：单位不同，不能对照")
    if budget.year != juesuan.year:
        raise DisclosureError(f"预算工作簿{name(budget)}是 {b}，决算工作簿{name(juesuan)}是 {j}：年度不同，不能对照")
    if budget.spec.unit != juesuan.spec.unit:
        raise DisclosureError(f"预算工作簿金额单位为{budget.spec.unit}，决算工作簿为{juesuan.spec.unit}：不能对照")


def _unit(name: str) -> str:
    """A unit name as compared: width and spaces ignored, and the 决算's “（汇总）” (the 部门 as a whole,
    which is what the 部门预算 is)."""
    return normalize_label(name).removesuffix("（汇总）")


# ---------------------------------------------------------------- what the 预算 gives

def sources(budget: Report, juesuan: Report | None = None) -> dict[str, Source]:
    """决算 说明数据 key -> the 预算 figure for it (with `juesuan`: its 05 项 that 表5 lacks as 0)."""
    out: dict[str, Source] = {}
    t5 = budget.tables.get("表5")
    total = t5.row("合计") if t5 else None
    if total is not None and "合计" in total.values:
        out[TOTAL_KEY] = _source(total, "合计", "表5 合计")
    else:
        t4 = budget.tables.get("表4")
        row = t4.row("一般公共预算拨款", "收入") if t4 else None
        if row is not None and row.values:
            out[TOTAL_KEY] = _source(row, next(iter(row.values)), "表4 一般公共预算拨款")
    for row in t5.code_rows() if t5 else []:
        if len(row.code) == 7 and row.code.isdigit():
            out[ITEM_PREFIX + row.code] = _source(row, "合计", f"{row.code} {row.name}")
    t05 = juesuan.tables.get("05") if juesuan else None
    if t05 is not None and any(k.startswith(ITEM_PREFIX) for k in out):
        for row in t05.code_rows():
            key = ITEM_PREFIX + (row.code or "")
            if len(row.code or "") == 7 and key not in out:
                out[key] = Source(ZERO, (), f"表5 未列 {row.code}（年初未安排）", absent=True)
    out = {k: out[k] for k in sorted(out, key=lambda k: (k != TOTAL_KEY, k))}  # the total, then 项 by code
    running = budget.inputs.values.get(BUDGET_RUNNING_KEY) if budget.inputs else None
    if running is not None and isinstance(running.value, Decimal):
        out[RUNNING_KEY] = Source(running.value, (running.cell,) if running.cell else (), "说明数据 机关运行经费")
    return out


def _source(row: Row, column: str, what: str) -> Source:
    value = row.values.get(column)
    if value is None:
        return Source(ZERO, (), f"{what}（未列）")
    return Source(value.amount, (value.cell,) if value.cell else (), what)


def budget_values(budget: Report, juesuan: Report) -> dict[str, tuple[Decimal, str]]:
    """The 决算 说明数据 keys the same year's 预算 gives: {key: (amount, "预算 表5!C12")}."""
    require_pair(budget, juesuan)
    return {key: (s.amount, str(s)) for key, s in sources(budget, juesuan).items()}


def lacking(budget: Report) -> list[str]:
    """What the 决算's 年初预算 inputs need and this 预算 does not give, in words for the officer."""
    out = []
    if RUNNING_KEY not in sources(budget):
        out.append("机关运行经费预算：预算各表不列此数，预算工作簿的说明数据也未填“机关运行经费”，请手工填写")
    out.append("“三公”经费、会议费、培训费预算：在决算公开09表“预算数”行（全年调整后预算），不是说明数据，不填；"
               "disclosure check 决算 --budget 预算 会与预算表12 当年数对照")
    out.append("政府采购预算：决算说明数据没有此项（政府采购.* 填本年实际数），预算表11 不用")
    return out


def sangong(budget: Report) -> dict[str, Source]:
    """公开09表 column -> the 预算's figure for it: 表12 当年 of the 部门 (budgetfigures.sangong_rows, as the
    预算 narrative states it); 0 when 表12 is empty."""
    if budget.tables.get("表12") is None:
        return {}
    rows = sangong_rows(budget)
    out = {}
    for col09, col12 in SANGONG_COLUMNS:
        column = f"当年.{col12}"
        if not rows:
            out[col09] = Source(ZERO, (), "表12（空表）", absent=True)
            continue
        values = [r.values[column] for r in rows if column in r.values]
        out[col09] = Source(sum((v.amount for v in values), ZERO), tuple(v.cell for v in values if v.cell),
                            f"表12 当年{col12}")
    return out


# ---------------------------------------------------------------- filling the 决算 说明数据

WRITE, OVERWRITE, SAME, KEPT = "填入", "覆盖", "相同", "保留"


class Fill(msgspec.Struct, frozen=True):
    key: str
    amount: Decimal
    source: str
    current: object | None  # what the 决算 说明数据 holds now
    action: str  # WRITE, OVERWRITE, SAME or KEPT

    def line(self) -> str:
        head = f"  {self.key}　{money(self.amount)}　← {self.source}"
        if self.action == WRITE:
            return head
        if self.action == SAME:
            return f"{head}（已是此数）"
        if self.action == OVERWRITE:
            return f"{head}（原为 {_show(self.current)}，已覆盖）"
        return f"{head}（已填 {_show(self.current)}，未改；核对后要以预算为准可加 --force）"


def fills(budget: Report, juesuan: Report, force: bool = False) -> list[Fill]:
    """What `inputs --from-budget` does with each value the 预算 gives: a value the officer typed is kept
    unless `force` (a 决算's 年初预算 may rightly differ from the 预算 as printed)."""
    have = juesuan.inputs.get if juesuan.inputs else (lambda key: None)
    out = []
    for key, (amount, where) in budget_values(budget, juesuan).items():
        current = have(key)
        if current is None:
            action = WRITE
        elif isinstance(current, Decimal) and current == amount:
            action = SAME
        else:
            action = OVERWRITE if force else KEPT
        out.append(Fill(key, amount, where, current, action))
    return out


def _show(value: object) -> str:
    return money(value) if isinstance(value, Decimal) else str(value)


# ---------------------------------------------------------------- cross-document findings

def cross_findings(budget: Report, juesuan: Report) -> list[Finding]:
    """BJ findings of a 决算 against the same year's 预算 (require_pair first)."""
    require_pair(budget, juesuan)
    inputs = juesuan.inputs
    given = sources(budget, juesuan)
    out: list[Finding] = []
    for key, src in given.items():
        iv = inputs.values.get(key) if inputs else None
        what = _what(key, src)
        if iv is None:
            if src.amount != 0:
                cell = inputs.cell(key) if inputs else None
                out.append(_finding(BJ02, cell, f"{src} {what} {money(src.amount)}：决算说明数据未填这一年初预算"
                                    "（可用 disclosure inputs 决算工作簿 --from-budget 预算工作簿 填入）",
                                    src.amount, None, "填入预算数；与预算不同时在原因说明中写明调整原因。"))
        elif isinstance(iv.value, Decimal) and iv.value != src.amount and src.absent:
            out.append(_absent(iv, key))
        elif isinstance(iv.value, Decimal) and iv.value != src.amount:
            out.append(_finding(BJ01, iv.cell, f"{iv.cell or '说明数据'} {what} {money(iv.value)} ≠ {src} "
                                f"{money(src.amount)}：预算调整需在情况说明中说明", src.amount, iv.value,
                                "年初预算应取自年初批复的部门预算；确有调整的，在情况说明中写明调整的原因和金额。"))
    for key, iv in (inputs.values.items() if inputs else []):
        if key.startswith(ITEM_PREFIX) and key not in given and isinstance(iv.value, Decimal) and iv.value != 0:
            out.append(_absent(iv, key))
    out += _sangong_findings(budget, juesuan)
    return out


def _absent(iv, key: str) -> Finding:
    return _finding(BJ03, iv.cell, f"{iv.cell or '说明数据'} 年初预算（项 {key[len(ITEM_PREFIX):]}）{money(iv.value)}"
                    "，预算表5 没有这一项：核对科目代码；年中追加的预算不是年初预算", ZERO, iv.value,
                    "核对该项的科目代码是否与预算表5 一致；年初未安排、年中追加的，年初预算为 0，在情况说明中写明追加。")


def _what(key: str, src: Source) -> str:
    if key.startswith(ITEM_PREFIX):
        return f"年初预算（项 {src.what}）"
    return {TOTAL_KEY: "一般公共预算财政拨款支出年初预算", RUNNING_KEY: "机关运行经费预算"}.get(key, key)


def _sangong_findings(budget: Report, juesuan: Report) -> list[Finding]:
    t09 = juesuan.tables.get("09")
    row = t09.row("预算数") if t09 else None
    if row is None:
        return []
    out = []
    for column, src in sangong(budget).items():
        value = row.values.get(column)
        if value is None or value.amount == src.amount:
            continue
        place = value.cell or "公开09表"
        out.append(_finding(BJ04, value.cell, f"{place} 预算数·{column} {money(value.amount)} ≠ 预算{src.what} "
                            f"{money(src.amount)}{'' if src.absent else f'（{str(src)[3:]}）'}"
                            "：09表为调整后的全年预算，与年初预算不同的，情况说明中应写明调整",
                            src.amount, value.amount, "核对09表预算数；年中调整预算的，在情况说明中写明。"))
    return out


def _finding(rule: Rule, cell: CellRef | None, message: str, expected, actual, hint: str) -> Finding:
    return Finding(rule.id, rule.severity, GROUP, cell, message, expected=expected, actual=actual,
                   cells=[cell] if cell else [], title=rule.title, hint=hint)


def compared(budget: Report, juesuan: Report) -> int:
    """How many 预算 figures the BJ rules compare (said under the findings: no "0 条" for nothing compared)."""
    return len(sources(budget, juesuan)) + len(sangong(budget))
