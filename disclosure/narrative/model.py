"""What each section of the 情况说明 says, as Facts: built from the tables and the 说明数据, before any
wording. The templates only choose words; every number and every direction comes from here.

Building the model also lists the reasons the text needs (原因说明, with the direction already stated)
and the inputs still missing — the same lists feed the 原因说明 sheet and the 提示 findings of `check`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

import msgspec
from msgspec import field

from ..amounts import ZERO
from ..inputs import Inputs, field_for
from ..model import Report, Row
from .facts import Fact, Missing, absent, completion, diff, growth, share, source, total
from . import more_tables, shares
from .perf import build as build_perf
from .style import DEPARTMENT, UNIT


class Comparison(msgspec.Struct):
    """本年 vs a base (上年 or 预算): the difference, its percentage and the officer's reason."""

    current: Fact
    base: Fact
    difference: Fact
    percent: Fact | None  # None when the base is 0
    reason: str | Missing | None  # None when no reason is needed (equal)
    up: str  # the word for a rise: 增加 / 大于
    down: str

    @property
    def direction(self) -> str | None:
        if not self.difference.known:
            return None
        d = self.difference.value
        return "持平" if d == 0 else (self.up if d > 0 else self.down)  # type: ignore[operator]


class ReasonItem(msgspec.Struct):
    """A change the text must explain: its 原因说明 key and the line that shows it."""

    key: str
    what: str  # the line with its direction, e.g. "2101501 行政运行：决算 74.75 万元大于年初预算 68.33 万元"


class Model(msgspec.Struct):
    """The figures of one report the 情况说明 prints, section by section, with what is still missing."""

    report: Report
    inputs: Inputs
    reasons: list[ReasonItem] = field(default_factory=list)
    # inputs given but not understood (a 公开日期 that is no date): the text uses its default, and the
    # rendering lists them with the missing inputs, so the check report names their cells
    invalid: list[Missing] = field(default_factory=list)

    # ---------------------------------------------------------- sources
    def table(self, tid: str, key: str, column: str, side: str | None = None) -> Fact:
        t = self.report.table(tid)
        row = t.row(key, side)
        return self.row_fact(tid, row, column) if row else source(ZERO, f"{t.spec.number} {key}·{column}", None)

    def row_fact(self, tid: str, row: Row, column: str) -> Fact:
        number = self.report.table(tid).spec.number
        label = f"{row.code} {row.name}" if row.code and not row.key else (row.key or row.name)
        value = row.values.get(column)
        return source(value.amount if value else ZERO, f"{number} {label}·{column}", value.cell if value else None)

    def missing(self, key: str, ask: str | None = None) -> Missing:
        """What the text prints for an input not filled: `ask` (default: the field's label) in plain words."""
        f = field_for(key, self.report.kind) or field_for(key)  # the kind's own label first (预算 words it otherwise)
        label = f.label if f else key
        return Missing(key, f"说明数据“{label}”", self.inputs.cell(key), ask or label)

    def input(self, key: str, kind: str = "amount", ask: str | None = None) -> Fact:
        v = self.inputs.values.get(key)
        if v is None or v.value is None:
            return absent(self.missing(key, ask), kind=kind)
        value = v.value if isinstance(v.value, Decimal) else Decimal(v.value)  # type: ignore[arg-type]
        return source(value, f"说明数据 {key}", v.cell, kind)

    def text(self, key: str, ask: str | None = None) -> str | Missing:
        v = self.inputs.get(key)
        if v:
            return "\n".join(v) if isinstance(v, list) else str(v)
        return self.missing(key, ask)

    def names(self, key: str) -> list[str] | Missing:
        v = self.inputs.get(key)
        return list(v) if v else self.missing(key, "纳入决算编制范围的单位名单")

    # ---------------------------------------------------------- comparisons and reasons
    def states(self, group: str) -> bool:
        """The report's style prints the figures of `group` (style.yaml `figures`, e.g. [上海]): the figures of
        every group are built for every report, their reasons asked for only where the text states them."""
        from ..kinds import default_style
        from .render import style_config

        return group in (style_config(default_style(self.report)).get("figures") or [])

    def listing(self, group: str):
        """Wrap a method that may list a reason (compare, reason): what it lists stays in 原因说明 only when the
        report's style states the figures of `group` (states)."""
        keep = self.states(group)

        def wrap(method):
            def call(*args, **kw):
                n = len(self.reasons)
                out = method(*args, **kw)
                if not keep:
                    del self.reasons[n:]
                return out
            return call
        return wrap

    def reason(self, key: str, what: str, ask: str = "") -> str | Missing:
        if all(r.key != key for r in self.reasons):
            self.reasons.append(ReasonItem(key, what))
        text = self.inputs.get(f"原因.{key}")
        if text:
            return str(text)
        return Missing(f"原因.{key}", f"原因说明“{key}”", self.inputs.cell(f"原因.{key}"), ask)

    def compare(self, current: Fact, base: Fact, reason_key: str, what: str, *, budget: bool = False,
                subject: str = "", budget_name: str = "年初预算") -> Comparison:
        """`subject` names the figure in the officer's words for the placeholder of a missing reason
        ("医疗保障政策管理（项）决算数小于年初预算数的原因"); `budget_name` is 年初预算 or 预算."""
        d = diff(current, base)
        pct = completion(current, base) if budget else growth(current, base)
        up, down = ("大于", "小于") if budget else ("增加", "减少")
        reason = None
        if d.known and d.value != 0:
            word = up if d.value > 0 else down  # type: ignore[operator]
            base_name = "年初预算" if budget else "上年"
            subject = subject or what
            if not budget:  # "上年" in a placeholder would read to lint as a clause about last year
                ask = f"{subject}{word}的原因"
            elif base.value == 0:
                ask = f"{subject}未安排{budget_name}、新增支出的原因"
            else:
                ask = f"{subject}决算数{word}{budget_name}数的原因"
            reason = self.reason(reason_key, f"{what}：本年 {current.value:,.2f} 万元{word}{base_name} "
                                             f"{base.value:,.2f} 万元", ask)
        return Comparison(current, base, d, pct, reason, up, down)


def _nonzero_columns(model: Model, tid: str, columns: list[str]) -> list[tuple[str, Fact]]:
    facts = [(c, model.table(tid, "合计", c)) for c in columns]
    return [(c, f) for c, f in facts if f.value]


def build(report: Report, inputs: Inputs | None = None) -> dict:
    """The context of every section template, plus `model` (reasons needed, inputs)."""
    inputs = inputs or report.inputs or Inputs()
    m = Model(report, inputs)
    org = organisation(m)
    ctx: dict = {"model": m, "year": report.year, "unit": report.unit_name, "prev_year": report.year - 1,
                 "org": org, "cover_date": cover_date(m), "zero": zero_print(m)}

    # 概况
    staff_keys = ["编制", "行政编制", "参公编制", "事业编制", "实有", "实有行政", "实有参公", "实有事业", "离退休"]
    units = m.names("单位构成")
    ctx["概况"] = {"职责": m.text("主要职责", f"{org}主要职责"), "机构": m.text("内设机构"), "单位": units,
                 "人员": {k: m.input(f"人员.{k}", "count") for k in staff_keys}}

    # 一 收支总体 (01)
    income_total = m.table("01", "收入总计", "决算数", "收入")
    expense_total = m.table("01", "支出总计", "决算数", "支出")
    ctx["一"] = {"收入总计": income_total, "支出总计": expense_total,
                "equal": income_total.value == expense_total.value,
                "比上年": m.compare(income_total, m.input("上年.收入总计"), "收支总计", "收入总计、支出总计比上年",
                                  subject="收入总计、支出总计")}

    # 二 收入 (02), 三 支出 (03)
    income = m.table("02", "合计", "本年收入合计")
    ctx["二"] = {"合计": income, "parts": [(c, f, share(f, income)) for c, f in _nonzero_columns(
        m, "02", ["财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"])]}
    expense = m.table("03", "合计", "本年支出合计")
    ctx["三"] = {"合计": expense, "parts": [(c, f, share(f, expense)) for c, f in _nonzero_columns(
        m, "03", ["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"])]}

    # 四 财政拨款总体 (04)
    fiscal_in = m.table("04", "收入总计", "金额", "收入")
    fiscal_out = m.table("04", "支出总计", "合计", "支出")
    ctx["四"] = {"收入总计": fiscal_in, "支出总计": fiscal_out, "equal": fiscal_in.value == fiscal_out.value,
                "比上年": m.compare(fiscal_in, m.input("上年.财政拨款收支总计"), "财政拨款收支总计",
                                  "财政拨款收入支出总计比上年", subject="财政拨款收入总计、支出总计")}

    # 五 一般公共预算财政拨款支出 (05)
    gpb = m.table("05", "合计", "小计")
    items = _budget_items(m)
    ctx["五"] = {"支出": gpb,
                "预算": m.compare(gpb, m.input("年初预算.一般公共预算财政拨款支出"), "一般公共预算财政拨款支出预算执行",
                                "一般公共预算财政拨款支出决算与年初预算", budget=True, subject="一般公共预算财政拨款支出"),
                "占比": share(gpb, expense),
                "比上年": m.compare(gpb, m.input("上年.一般公共预算财政拨款支出"), "一般公共预算财政拨款支出",
                                  "一般公共预算财政拨款支出比上年", subject="一般公共预算财政拨款支出"),
                "rows": items}

    # 六 基本支出 (06)
    t06 = report.table("06")
    col = t06.spec.value_name
    groups = []
    rows = t06.rows_by_name()
    for tot in t06.spec.totals:
        names = [r.name for cls in t06.spec.classes if cls.code in tot.classes
                 for code, _ in cls.items if (r := rows.get(code)) and r.amount(col) != 0]
        groups.append((tot.label.replace("合计", ""), m.table("06", tot.label, col), names))
    ctx["六"] = {"基本支出": m.table("05", "合计", "基本支出"), "groups": groups}

    # 七 政府性基金 (07), 八 国有资本经营 (08)
    ctx["七"] = {"empty": report.table("07").is_empty, "年初": m.table("07", "合计", "年初结转和结余"),
                "收入": m.table("07", "合计", "本年收入"), "支出": m.table("07", "合计", "小计"),
                "年末": m.table("07", "合计", "年末结转和结余")}
    ctx["八"] = {"empty": report.table("08").is_empty, "支出": m.table("08", "合计", "合计"),
                "基本": m.table("08", "合计", "基本支出"), "项目": m.table("08", "合计", "项目支出")}

    # 九 三公、会议、培训 (09)
    ctx["九"] = _sangong(m)

    # 十 机关运行经费
    running = m.input("机关运行经费")
    ctx["十"] = {"决算": running,
                "预算": m.compare(running, m.input("机关运行经费预算"), "机关运行经费预算执行", "机关运行经费决算与预算",
                                budget=True, subject="机关运行经费", budget_name="预算"),
                "比上年": m.compare(running, m.input("上年.机关运行经费"), "机关运行经费", "机关运行经费比上年",
                                  subject="机关运行经费")}

    # 十一 政府采购, 十二 国有资产
    buy = {k: m.input(f"政府采购.{k}") for k in ("总额", "货物", "工程", "服务", "授予中小企业", "授予小微企业")}
    ctx["十一"] = {**buy, "中小占比": share(buy["授予中小企业"], buy["总额"]) if buy["总额"].known else None,
                  "小微占比": share(buy["授予小微企业"], buy["授予中小企业"]) if buy["授予中小企业"].known else None,
                  "分类": _sme_by_category(m, buy)}
    vehicles = {k: v for k, v in inputs.with_prefix("国有资产.车辆明细.").items() if v.value}
    ctx["十二"] = {k: m.input(f"国有资产.{k}", "count") for k in ("车辆", "单价100万元以上设备", "当年购置车辆",
                                                               "当年购置设备")}
    ctx["十二"]["明细"] = [(use, m.input(f"国有资产.车辆明细.{use}", "count")) for use in vehicles]

    # 十三 绩效: the officer's text, or the style's skeleton of sub-headings with a placeholder where needed
    # with 绩效自评表 in the workbook, （一） is that text and （二）（三） come from the tables (perf.py)
    ctx["十三"] = {"text": m.text("绩效"),
                  "todo": m.missing("绩效", "本项绩效情况（或在说明数据“绩效”中填写十三节全文）"),
                  "perf": build_perf(report.perf, org) if report.perf else None,
                  "work": m.text("绩效", "预算绩效管理工作开展情况")}
    # 十四 其他: the style's numbered notes, each from the tables or the 说明数据, then the officer's own
    ctx["十四"] = {"尾差": rounding_differences(report), "单位": units, "机构改革": m.text("机构改革"),
                  "联系电话": m.text("联系电话"), "其他": _other_notes(inputs.get("其他说明"))}
    # figures only some regions' layouts or texts need (tables other regions do not print, shares they state)
    ctx.update(more_tables.build(m, ctx))
    ctx.update(shares.build(m, ctx))
    return ctx


CAR = "公务用车购置及运行维护费"


def car_costs(m: Model) -> tuple[Fact, Fact]:
    """09's 公务用车购置及运行维护费 (预算数, 决算数): its 小计 column where the table prints one, else 购置 +
    运行维护 (the texts of 内蒙古 and 上海 state the pair as one item)."""
    t09 = m.report.table("09")
    budget_row, actual_row = t09.row("预算数"), t09.row("决算数")
    if CAR in {c.name for side in t09.spec.sides for c in side.columns}:
        return m.row_fact("09", budget_row, CAR), m.row_fact("09", actual_row, CAR)
    parts = ("公务用车购置费", "公务用车运行维护费")
    return (total(*(m.row_fact("09", budget_row, p) for p in parts)),
            total(*(m.row_fact("09", actual_row, p) for p in parts)))


def organisation(m: Model) -> str:
    """部门 or 单位: what the document calls its subject. 说明数据 “部门或单位” decides when filled; else one unit
    in 单位构成 makes a 单位决算, several (or none listed yet) a 部门决算."""
    raw = m.inputs.get("部门或单位")
    if raw is not None:
        word = str(raw).strip().removeprefix("本").removesuffix("决算")
        if word in (DEPARTMENT, UNIT):
            return word
        m.invalid.append(Missing("部门或单位", f"说明数据“部门或单位”（填的是“{raw}”，应为“部门”或“单位”）",
                                 m.inputs.cell("部门或单位"), "文中称“部门”还是“单位”"))
    names = m.inputs.get("单位构成")
    return UNIT if isinstance(names, list) and len(names) == 1 else DEPARTMENT


ZERO_WORDS = {"0.00": "0.00", "0": "0.00", "0.0": "0.00", "空白": "", "留空": "", "空": "", "不显示": ""}


def zero_print(m: Model) -> str:
    """How a zero amount prints in the tables: 说明数据 “零值显示” (filled on import from the export's own
    convention), "" (blank) when not filled. The style's package.zero, when set, overrides it at export."""
    raw = m.inputs.get("零值显示")
    if raw is None:
        return ""
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if text in ZERO_WORDS:
        return ZERO_WORDS[text]
    m.invalid.append(Missing("零值显示", f"说明数据“零值显示”（填的是“{raw}”，应为“0.00”或“空白”）",
                             m.inputs.cell("零值显示"), "表中金额为 0 时印作 0.00 还是留空"))
    return ""


_DATE = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*(?:[月./-]\s*(?:(\d{1,2})\s*日?)?)?"
                   r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")  # 2025年8月, 2025-08-20, 2025/8/20 00:00:00 (a date cell)


def cover_date(m: Model) -> date:
    """The date the cover prints: 说明数据 “公开日期”, else today."""
    raw = m.inputs.get("公开日期")
    if raw is None:
        return date.today()
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    found = _DATE.fullmatch(text)
    try:
        if found:
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3) or 1))
    except ValueError:
        pass
    m.invalid.append(Missing("公开日期", f"说明数据“公开日期”（“{text}”不是日期，请写成 2025年8月 或 2025-08-20）",
                             m.inputs.cell("公开日期"), "公开日期"))
    return date.today()


def rounding_differences(report: Report) -> bool:
    """Whether the table checks found a 尾差 (a sum off by no more than its parts' rounding): 十四 then says so.
    Only the table relations run here: the N and S rules read this model themselves."""
    from ..checks import WARNING, rules as _registered  # noqa: F401  (registers every rule)
    from ..checks.engine import RULES, once_per_run, run

    def found() -> bool:
        table_rules = [r for r in RULES.values() if not r.id.startswith(("N", "S"))]
        # the engine words every 尾差 finding "尾差：…" (compare_sum, compare_equal, at_most)
        return any(f.severity == WARNING and f.message.startswith("尾差") for f in run(report, table_rules))
    return bool(once_per_run("narrative.尾差", found))


_ITEM_NUMBER = re.compile(r"^\s*(?:\d+|[一二三四五六七八九十]+)\s*[.．、]\s*")


def _other_notes(text) -> list[str]:
    """The officer's 其他说明, a note a line, for 十四 to number after its own; their own numbers are dropped
    (十四 numbers the whole list) and “无” (the old way to say there is nothing) gives none."""
    lines = [_ITEM_NUMBER.sub("", line).strip() for line in str(text or "").splitlines()]
    return [line for line in lines if line and line not in ("无", "无。")]


def _sme_by_category(m: Model, buy: dict[str, Fact]) -> list[tuple[str, Fact, Fact | None]]:
    """十一: for 货物, 工程 and 服务 bought at all, the amount awarded to 中小企业 and its share of the category."""
    out = []
    for category in ("货物", "工程", "服务"):
        spent = buy[category]
        if spent.known and spent.value == 0:
            continue  # nothing bought: no share to state
        awarded = m.input(f"政府采购.{category}授予中小企业", ask=f"{category}采购授予中小企业合同金额")
        out.append((category, awarded, share(awarded, spent) if spent.known and awarded.known else None))
    return out


def _budget_items(m: Model) -> list[dict]:
    """Each 项 of 05 (and each 项 with a 年初预算 but no spending), in code order, with its 类 and 款 names."""
    t05 = m.report.table("05")
    by_code = {r.code: r for r in t05.code_rows()}
    budgets = m.inputs.with_prefix("年初预算.项.")
    codes = sorted({c for c in by_code if len(c) == 7} | set(budgets))
    out = []
    for code in codes:
        row = by_code.get(code)
        actual = m.row_fact("05", row, "小计") if row else source(ZERO, f"公开05表 {code}·小计", None)
        budget_value = budgets[code].value if code in budgets else None
        if actual.value == 0 and not budget_value:
            continue  # nothing spent and nothing budgeted: nothing to say
        name = row.name if row else code
        cls, kuan = by_code.get(code[:3]), by_code.get(code[:5])
        budget = m.input(f"年初预算.项.{code}", ask=f"{name}（项）年初预算")
        cmp = m.compare(actual, budget, f"项.{code}", f"{code} {name}", budget=True, subject=f"{name}（项）")
        out.append({"code": code, "类": cls.name if cls else code[:3], "款": kuan.name if kuan else code[:5],
                    "项": name, "决算": actual, "比预算": cmp})
    return out


# (name in the text = 09 column, key of last year's figure under 上年.三公经费)
SANGONG = [("因公出国（境）费", "因公出国"), ("公务用车购置费", "公务用车购置"),
           ("公务用车运行维护费", "公务用车运行维护"), ("公务接待费", "公务接待")]


# what the officer is asked when 主要用于 of a spending is not filled (the sentence reads "会议费主要用于…")
PURPOSES = {"公务用车运行维护费": "哪些方面（如燃油费、维修费、保险费等）", "公务接待费": "哪些公务接待",
            "会议费": "召开了哪些会议", "培训费": "举办了哪些培训"}


def _sangong(m: Model) -> dict:
    t09 = m.report.table("09")
    budget_row, actual_row = t09.row("预算数"), t09.row("决算数")

    def pair(column: str, prev_key: str, name: str) -> dict:
        b, a = m.row_fact("09", budget_row, column), m.row_fact("09", actual_row, column)
        nothing = not b.value and not a.value
        out = {"name": name, "预算": b, "决算": a, "nothing": nothing, "用途": None}
        if not nothing:
            out["比预算"] = m.compare(a, b, f"{name}预算执行", f"{name}决算与预算", budget=True, subject=name,
                                   budget_name="预算")
            out["比上年"] = m.compare(a, m.input(prev_key), name, f"{name}比上年", subject=name)
            if name in PURPOSES and a.value:  # what the money was spent on: only when some was
                out["用途"] = m.text(f"主要用于.{name}", PURPOSES[name])
        return out

    total = pair("合计", "上年.三公经费.合计", "“三公”经费")
    parts = [pair(name, f"上年.三公经费.{key}", name) for name, key in SANGONG]
    details = {k: m.input(f"三公.{k}", "count") for k in ("因公出国团组", "因公出国人次", "购置车辆", "公务用车保有量",
                                                        "公务接待批次", "公务接待人次")}
    return {"合计": total, "parts": parts, "details": details,
            "培训": pair("培训费", "上年.培训费", "培训费"), "会议": pair("会议费", "上年.会议费", "会议费"),
            "all_empty": t09.is_empty}


__all__ = ["Comparison", "Model", "ReasonItem", "build", "total"]
