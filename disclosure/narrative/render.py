"""Render the 情况说明 from the section model with a style's Jinja2 templates
(templates/narrative/<style>/: style.yaml for titles, one .j2 per section).

Filters print Facts and record each print (section, text, Fact) for provenance; a missing input prints
its 【待填写：…】 placeholder and is recorded as missing. Wording conventions (DESIGN.md): growth on
上年; 上年 = 0 → no percent; equal → 持平; percentages two decimals, rounded half-up; how numbers read
(thousands separator, 1100万元, 100%) and list items are numbered is the style's (narrative/style.py).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
import msgspec
from msgspec import field

from ..checks.engine import once_per_run
from ..datacache import load_yaml, template_cache
from ..errors import DisclosureError
from ..inputs import Inputs
from ..kinds import NARRATIVE, STYLES, default_style, require
from ..model import Report
from ..resources import templates_dir
from ..specs import JUESUAN, YUSUAN
from .facts import Collector, Fact, FactUse, Missing
from .model import Comparison, build
from .perf import TABLE_MARK
from .style import DEFAULT_NUMBERS, NumberStyle, Wording, list_number


class Section(msgspec.Struct):
    """One section of the rendered 情况说明: its title, paragraphs and the 绩效 tables inside it."""

    id: str
    title: str
    paragraphs: list[str]
    # 绩效 tables printed inside the section (style `perf_tables: inline`): paragraph index → the 绩效 sheet whose
    # table follows that paragraph (perf.table_marker lines of the template)
    tables: dict[int, list[str]] = field(default_factory=dict)


class Part(msgspec.Struct):
    """One part of the rendered 情况说明 (第一部分 …) and its sections."""

    title: str
    sections: list[Section]


class Document(msgspec.Struct):
    """The rendered 情况说明: its parts, the numbers printed and the inputs still missing."""

    title: str
    parts: list[Part]
    uses: list[FactUse] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    wording: Wording = field(default_factory=Wording)  # 部门 or 单位: the export's cover and part titles too
    cover_date: date = field(default_factory=date.today)  # 说明数据 “公开日期”, else the day it was made
    zero: str = ""  # how a zero amount prints in the tables: "" or "0.00" (说明数据 “零值显示”)
    style: str = "shaanxi"  # the style it was rendered in (its fonts, for the .docx)

    def text(self) -> str:
        out = [self.title, ""]
        for part in self.parts:
            out += [part.title, ""]
            for s in part.sections:
                out.append(s.title)
                out += [f"　　{p}" for p in s.paragraphs]
                out.append("")
        return "\n".join(out).rstrip() + "\n"

    def markdown(self) -> str:
        out = [f"# {self.title}", ""]
        for part in self.parts:
            out += [f"## {part.title}", ""]
            for s in part.sections:
                out += [f"### {s.title}", ""]
                for p in s.paragraphs:
                    out += [p, ""]
        return "\n".join(out).rstrip() + "\n"


def styles() -> list[str]:
    return sorted(p.name for p in (templates_dir() / "narrative").iterdir() if (p / "style.yaml").exists())


# ---------------------------------------------------------------- filters

def _numbers(ctx) -> NumberStyle:
    """The style's number form; a caller without one (the add-in's worksheet functions) gets the default."""
    return ctx.get("_numbers") or DEFAULT_NUMBERS


def _show(ctx, fact: Fact, fmt) -> str:
    """Print a fact with fmt(value) and record it; a missing input prints (and records) its placeholder."""
    c: Collector = ctx["_c"]
    if not fact.known:
        c.note_missing(fact.missing)
        return "".join(m.placeholder for m in fact.missing)
    text = fmt(fact.value)
    c.uses.append(FactUse(c.section, text, fact))
    return text


@pass_context
def wan(ctx, fact: Fact) -> str:
    """2,444.56万元 (2444.56万元, 1100万元 as the style says)"""
    return _show(ctx, fact, _numbers(ctx).amount) + ("万元" if fact.known else "")


@pass_context
def pct(ctx, fact: Fact | None) -> str:
    """17.31% (two decimals, half-up, on the unrounded value; 100% as the style says)"""
    if fact is None:
        return ""
    return _show(ctx, fact, lambda v: _numbers(ctx).percent(fact.rounded())) + ("%" if fact.known else "")


@pass_context
def cnt(ctx, fact: Fact) -> str:
    return _show(ctx, fact, lambda v: str(int(v)))


@pass_context
def txt(ctx, value) -> str:
    if isinstance(value, Missing):
        ctx["_c"].note_missing((value,))
        return value.placeholder
    return str(value)


@pass_context
def change(ctx, cmp: Comparison) -> str:
    """增加/减少 X万元，增长/下降 Y% — or 持平; with 上年 = 0 no percent is printed."""
    if not cmp.base.known:
        return wan(ctx, cmp.base)  # the placeholder asking for 上年
    if not cmp.current.known:
        return wan(ctx, cmp.current)
    d = cmp.difference.value
    if d == 0:
        return "持平"
    text = f"{cmp.direction}{wan(ctx, _magnitude(cmp.difference))}"
    if cmp.percent is None:
        return text + "（上年为0，增长率无可比性）"
    return f"{text}，{'增长' if d > 0 else '下降'}{pct(ctx, _magnitude(cmp.percent))}"


def _magnitude(fact: Fact) -> Fact:
    """The size of a change; the direction word carries its sign."""
    return Fact(abs(fact.value), fact.formula, fact.cells, fact.kind, "abs", (fact,))  # type: ignore[arg-type]


@pass_context
def versus(ctx, cmp: Comparison, same: str = "与上年一致", lead: str = "较上年") -> str:
    """较上年增加/减少 X万元 (no percent: the 预算 texts print none), or 与上年一致; a 上年 not filled prints its
    placeholder."""
    if not cmp.base.known:
        return lead + wan(ctx, cmp.base)
    if not cmp.current.known:
        return wan(ctx, cmp.current)
    if cmp.difference.value == 0:
        return same
    return f"{lead}{cmp.direction}{wan(ctx, _magnitude(cmp.difference))}"


@pass_context
def delta(ctx, cmp: Comparison) -> str:
    """增加/减少 X万元 (no percent), or 持平."""
    if not cmp.difference.known:
        return "".join(wan(ctx, f) for f in (cmp.current, cmp.base) if not f.known)
    d = cmp.difference.value
    if d == 0:
        return "持平"
    return f"{'增加' if d > 0 else '减少'}{wan(ctx, _magnitude(cmp.difference))}"


@pass_context
def why(ctx, cmp: Comparison, lead: str = "主要原因是：") -> str:
    """The officer's reason after its lead-in, or nothing when no reason is needed."""
    if cmp.reason is None:
        return ""
    return lead + txt(ctx, cmp.reason).rstrip("。")


@pass_context
def verdict(ctx, cmp: Comparison, budget: str = "年初预算数") -> str:
    """After a completion rate: 决算数与年初预算数持平, or why 决算 is over or under the budget, or why there is
    spending nothing was budgeted for; nothing when the budget is not known yet."""
    if cmp.direction == "持平" and cmp.percent is not None:
        return f"决算数与{budget}持平"
    if cmp.reason is None:
        return ""
    if cmp.percent is None:
        return "新增支出的" + why(ctx, cmp)
    return f"决算数{cmp.direction}{budget}的" + why(ctx, cmp)


@pass_context
def purpose(ctx, value) -> str:
    """What a spending was mainly for, after the template's own “主要用于” (not said twice)."""
    if isinstance(value, Missing):
        return txt(ctx, value)
    return str(value).strip().removeprefix("主要用于").rstrip("。；;，, ")


@pass_context
def pts(ctx, fact: Fact) -> str:
    """A score as printed in the 绩效 tables: 95, 97.5 (no trailing zeros)."""
    return _show(ctx, fact, lambda v: format(v.normalize(), "f"))


@pass_context
def clause(ctx, value) -> str:
    """The officer's text (or its placeholder) to go before a template's own “。”: one line, end punctuation off."""
    return "".join(line.strip() for line in txt(ctx, value).splitlines()).rstrip("。；;，, ")


def _paragraphs(text: str) -> tuple[list[str], dict[int, list[str]]]:
    """A section's rendered text as paragraphs, and the 绩效 tables marked after them (perf.table_marker)."""
    paragraphs: list[str] = []
    tables: dict[int, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(TABLE_MARK):
            tables.setdefault(len(paragraphs) - 1, []).append(line[len(TABLE_MARK):])
        elif line:
            paragraphs.append(line)
    return paragraphs, tables


@lru_cache(maxsize=None)
def _environment(style: str) -> Environment:
    folder = templates_dir() / "narrative" / style
    if not (folder / "style.yaml").exists():
        raise DisclosureError(f"没有“{style}”这种说明文风（现有：{'、'.join(styles())}）")
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=False, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, bytecode_cache=template_cache())
    env.filters.update(wan=wan, pct=pct, cnt=cnt, txt=txt, change=change, delta=delta, why=why, verdict=verdict,
                       purpose=purpose, versus=versus, pts=pts, clause=clause)
    return env


@lru_cache(maxsize=None)
def style_config(style: str) -> dict:
    """The style's style.yaml: part and section titles, and for the export package its fonts,
    glossary and table notes."""
    _environment(style)  # an unknown style fails here with the list of known ones
    return load_yaml(templates_dir() / "narrative" / style / "style.yaml")  # libyaml, kept parsed (datacache.py)


def load_templates(style: str = "shaanxi") -> None:
    """Load every section template of the style (compiled, or read from the user cache), as a batch worker
    does once before its first workbook: each `check` renders the text (N01/N02) and would else pay it."""
    env = _environment(style)
    for part in style_config(style)["parts"]:
        for sec in part["sections"]:
            env.get_template(sec["template"])


def style_for(report: Report, style: str | None = None) -> str:
    """The style to render a report in: `style`, or its region's (default_style). A style is written for one
    kind (style.yaml `kind`, 部门决算 when not said): the other kind's default style (a front end's --style
    default) gives this report's default; any other style of the other kind is refused."""
    if style is None:
        return default_style(report)
    made_for = style_config(style).get("kind", JUESUAN)
    if made_for == report.kind:
        return style
    if style == STYLES.get(made_for):
        return default_style(report)
    raise DisclosureError(f"文风“{style}”是{made_for}的，不能用于{report.kind}工作簿"
                          f"（{report.kind}可用：{'、'.join(s for s in styles() if style_config(s).get('kind', JUESUAN) == report.kind)}）")


def context(report: Report, inputs: Inputs | None = None, style: str | None = None) -> dict:
    """The section model of a report's kind (决算 model.py, 预算 budget.py); inside a check run, built once."""
    if report.kind == YUSUAN:
        from .budget import build as build_budget, threshold_of

        threshold = threshold_of(style_config(style_for(report, style)))
        if inputs is None:
            return once_per_run(("narrative.budget", threshold), lambda: build_budget(report, None, threshold))
        return build_budget(report, inputs, threshold)
    # inside a check run, S06 has built the same model (nothing renders into it): built once per run
    return once_per_run("narrative.model", lambda: build(report)) if inputs is None else build(report, inputs)


def render(report: Report, inputs: Inputs | None = None, style: str | None = None) -> Document:
    """The 情况说明 of a report in a style (default: its region's, default_style). Inside one check run
    (engine.one_run: the export's check, text and lint; N01/N02 of a check) rendered once per style."""
    require(report, NARRATIVE)
    style = style_for(report, style)
    if inputs is None:
        return once_per_run(("narrative.render", style), lambda: _render(report, None, style))
    return _render(report, inputs, style)


def _render(report: Report, inputs: Inputs | None, style: str) -> Document:
    env = _environment(style)
    layout = style_config(style)
    ctx = context(report, inputs, style)
    collector = Collector()
    collector.note_missing(tuple(ctx["model"].invalid))
    wording = Wording(ctx["org"])
    names = {"year": report.year, "unit": report.unit_name}

    def title(text: str) -> str:  # the style's titles are written for a 部门
        return wording.words(text).format(**names)

    extra = {"_c": collector, "_numbers": NumberStyle.from_config(layout), "num": list_number(layout),
             "glossary": layout.get("glossary") or []}  # a style that prints its 名词解释 in the text (预算)
    parts = []
    for part in layout["parts"]:
        sections = []
        for sec in part["sections"]:
            collector.section = sec["id"]
            # `data`: the figures the section prints, by the id of the 陕西 section that holds them (a region
            # numbers its sections otherwise: 内蒙古 八 三公 prints 陕西 九's figures)
            key = str(sec.get("data", sec["id"]))
            if "data" in sec and key not in ctx:  # a region's style names figures the model does not hold
                raise DisclosureError(f"文风“{style}”的 style.yaml：小节“{sec['id']}”的 data “{key}”不是情况说明模型中的"
                                      f"一组数字（可用：{'、'.join(k for k in ctx if isinstance(ctx[k], dict))}）")
            data = ctx.get(key)
            text = env.get_template(sec["template"]).render(**ctx, s=data, **extra)
            paragraphs, tables = _paragraphs(text)
            sections.append(Section(sec["id"], title(sec["title"]), paragraphs, tables))
        parts.append(Part(title(part["title"]), sections))
    return Document(title(layout["title"]), parts, collector.uses, list(collector.missing.values()), wording,
                    ctx["cover_date"], ctx["zero"], style)
