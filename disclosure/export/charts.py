"""Composition pies for the Word document, drawn with matplotlib as PNG, declared per document kind:

- 部门决算: 收入决算图 and 支出决算图, the 合计 row of 公开02表 (income) and 公开03表 (expenditure) by column;
- 部门预算: 财政拨款收入预算图, the 财政拨款 income side of 表4 by source (一般公共预算拨款, 政府性基金拨款,
  国有资本经营预算收入) — what the 财政拨款收支情况 section of the Shaanxi 部门综合预算 (seed 002) shows as a pie.

A style places charts after sections (style.yaml `package.charts`); only the charts of the report's own kind
exist for it, so a 预算 never gets a 决算 chart (a style naming one is refused with the list of its kind's).

Chinese labels need a CJK font: the first one installed of CJK_FONTS is used (Windows ships SimHei and
Microsoft YaHei; Debian's fonts-noto-cjk gives Noto Sans CJK SC). Without one, no chart is drawn and the
export says so, rather than printing boxes. Slices carry no labels of their own (small ones overlap);
a legend gives name, amount and share, and every part keeps its entry however small. The picture has
no title: the caption under it in the document names it (图1　收入决算图). Shares are computed in Decimal;
matplotlib only gets the angles to draw, where a part under MIN_DRAWN of the whole is drawn at MIN_DRAWN
so that it stays visible (its legend still gives the true amount and share).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO
from pathlib import Path

import msgspec

from ..errors import DisclosureError
from ..model import Report
from ..narrative.style import DEFAULT_NUMBERS, NumberStyle
from ..specs import JUESUAN, YUSUAN

CJK_FONTS = ["SimHei", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "Noto Sans CJK JP"]
COLORS = ["#2F5597", "#C55A11", "#548235", "#BF9000", "#7030A0", "#2E75B6", "#A5A5A5"]


class Chart(msgspec.Struct, frozen=True):
    """The parts of one pie: the columns of a table's 合计 row (side None), or the rows (by key) of one side
    of a fixed table in its `column`. Each part is named as listed here."""
    table: str
    parts: tuple[str, ...]
    side: str | None = None
    column: str = ""


CHARTS: dict[str, dict[str, Chart]] = {
    JUESUAN: {
        "收入决算图": Chart("02", ("财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")),
        "支出决算图": Chart("03", ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")),
    },
    YUSUAN: {
        "财政拨款收入预算图": Chart("表4", ("一般公共预算拨款", "政府性基金拨款", "国有资本经营预算收入"),
                                side="收入", column="预算数"),
    },
}
HUNDRED = Decimal(100)
MIN_DRAWN = Decimal("0.015")  # the smallest slice drawn: 1.5 % of the circle, 5.4°


class NoChineseFont(Exception):
    pass


CJK_FILES = ("simhei", "msyh", "notosanscjk", "sourcehansans", "wqy-zenhei", "wqy-microhei")


def _cjk_font() -> str:
    from matplotlib import font_manager

    for attempt in range(2):
        installed = {f.name for f in font_manager.fontManager.ttflist}
        for name in CJK_FONTS:
            if name in installed:
                return name
        if attempt == 0:
            # matplotlib caches its font list on first use: fonts installed after that are unknown to it
            for path in font_manager.findSystemFonts():
                if Path(path).name.lower().startswith(CJK_FILES):
                    font_manager.fontManager.addfont(path)
    raise NoChineseFont("未找到中文字体（黑体、微软雅黑或 Noto Sans CJK），图表未生成")


def kind_charts(report: Report) -> dict[str, Chart]:
    """The charts declared for the report's document kind (none for a kind without any)."""
    return CHARTS.get(report.kind, {})


def chosen(report: Report, names) -> list[str]:
    """The charts a style places (names), each checked against the report's kind: a 决算 chart named for a
    预算 is refused in one Chinese line rather than drawn from tables it does not describe."""
    own = kind_charts(report)
    unknown = [n for n in names if n not in own]
    if unknown:
        raise DisclosureError(f"版式设置 package.charts 中的“{'、'.join(unknown)}”不是{report.kind}的图表"
                              f"（{report.kind}可用：{'、'.join(own) or '无'}）")
    return list(dict.fromkeys(names))


def slices(report: Report, chart: str) -> list[tuple[str, Decimal]]:
    """The non-zero parts of the chart's whole, in the order declared; [] for a chart not of the report's kind."""
    spec = kind_charts(report).get(chart)
    table = report.tables.get(spec.table) if spec else None
    if table is None:
        return []
    if spec.side is not None:
        found = [(key, table.row(key, side=spec.side)) for key in spec.parts]
        return [(key, row.amount(spec.column)) for key, row in found if row is not None and row.amount(spec.column) > 0]
    total = table.row("合计")
    if total is None:
        return []
    names = [c.name for c in table.spec.columns]
    return [(c, total.amount(c)) for c in spec.parts if c in names and total.amount(c) > 0]


def shares(parts: list[tuple[str, Decimal]]) -> list[Decimal]:
    whole = sum((v for _, v in parts), Decimal(0))
    return [(v * HUNDRED / whole).quantize(Decimal("0.01"), ROUND_HALF_UP) for _, v in parts]


def drawn_sizes(parts: list[tuple[str, Decimal]]) -> list[Decimal]:
    """Fractions of the circle to draw: each part's share, a tiny part raised to MIN_DRAWN and the others
    scaled down to make room. Decimal throughout; matplotlib converts them for drawing only."""
    whole = sum((v for _, v in parts), Decimal(0))
    fractions = [v / whole for _, v in parts]
    small = [f < MIN_DRAWN for f in fractions]
    rest = sum((f for f, s in zip(fractions, small) if not s), Decimal(0))
    room = 1 - MIN_DRAWN * sum(small)
    if rest <= 0 or room <= 0:  # all parts tiny: equal slices are the honest picture of "all small"
        return [Decimal(1) / len(parts)] * len(parts)
    return [MIN_DRAWN if s else f * room / rest for f, s in zip(fractions, small)]


def draw(report: Report, numbers: NumberStyle = DEFAULT_NUMBERS, names=None) -> dict[str, bytes]:
    """{chart name: PNG} for every chart (of `names`, else of all the kind's charts) with something to show;
    the legend's amounts and shares written in the style's number style, as the prose writes them.
    Raises NoChineseFont, and DisclosureError for a name that is not a chart of the report's kind."""
    names = chosen(report, kind_charts(report) if names is None else names)
    parts_by_chart = {name: slices(report, name) for name in names}
    if not any(parts_by_chart.values()):
        return {}
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    font = _cjk_font()
    out: dict[str, bytes] = {}
    with plt.rc_context({"font.family": [font, "DejaVu Sans"], "axes.unicode_minus": False}):
        for name, parts in parts_by_chart.items():
            if parts:
                out[name] = _pie(plt, parts, report.spec.unit, numbers)
    return out


def figure(plt, parts: list[tuple[str, Decimal]], unit: str, numbers: NumberStyle = DEFAULT_NUMBERS):
    """The pie and its legend as a matplotlib Figure (the caller closes it)."""
    fig, ax = plt.subplots(figsize=(6.4, 3.6), dpi=200)
    colors = COLORS[:len(parts)]
    # matplotlib draws angles in binary floating point: only the slice fractions are handed over that way,
    # every amount and share printed (legend, text) stays Decimal
    import numpy as np

    ax.pie(np.asarray(drawn_sizes(parts), dtype=np.float64), colors=colors, startangle=90, counterclock=False, normalize=True,
           wedgeprops={"linewidth": 1, "edgecolor": "white"})
    ax.set_aspect("equal")
    labels = [f"{n}　{numbers.amount(v)}{unit}（{numbers.percent(s)}%）" for (n, v), s in zip(parts, shares(parts))]
    ax.legend(labels, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=10)
    return fig


def _pie(plt, parts: list[tuple[str, Decimal]], unit: str, numbers: NumberStyle) -> bytes:
    fig = figure(plt, parts, unit, numbers)  # no title inside the picture: the document's caption names it
    try:
        buf = BytesIO()
        # zlib's run-length strategy (Z_RLE = 3): the same pixels, a file 5 % bigger, the encoding in half
        # the time (large flat areas: it was 40 % of the chart stage)
        fig.savefig(buf, format="png", bbox_inches="tight", pil_kwargs={"compress_type": 3})
        return buf.getvalue()
    finally:
        plt.close(fig)
