"""What a region decides about the 绩效自评表 arithmetic, in one place: how the 执行率 row is scored, to how many
decimals, the full marks of a table and the 决算 figure the 整体 table's 全年执行数 must equal.

A region sets it in its 决算 style (templates/narrative/<style>/style.yaml, the style of the report's kind,
kinds.STYLES), key `perf`; every key is optional:

    perf:
      scoring: proportional        # 执行率得分 = 分值 × min(执行率, 1)   (default)
      # scoring: bands             # 分值 × the share of the band 执行率 falls in, bands as data:
      # bands: [[95, 1], [90, 0.9], [80, 0.8], [0, 0]]   # [执行率 下限 %, share of 分值], any order
      score_decimals: 2            # the due score, rounded half-up (0: whole points)
      full_marks: 100              # Σ 分值 of a table (资金 row + 指标)
      overall_base: 本年支出合计     # or 财政拨款支出合计 (公开04表)

Score rounding (decided from seed 001): the 财政部 formula gives a proportion, and issue 20 calls 86.02% scored
9 of 10 a mistake, so the default is the score to the cent (8.60). Yet seed 001 prints every score in whole
points, and 9 is 8.60 rounded: a printed score that is the due score rounded to whole points is a 警告 (the
region may score in whole points: `score_decimals: 0` makes it right), any other difference an 错误.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Callable

import msgspec

from ..errors import DisclosureError

ONE, HUNDRED = Decimal(1), Decimal(100)


class Settings(msgspec.Struct, frozen=True):
    """How a region scores 预算执行率 in its 绩效自评表 (proportional or by bands) and rounds."""

    scoring: str = "proportional"
    bands: tuple[tuple[Decimal, Decimal], ...] = ()  # (执行率 下限 in %, share of 分值), highest bound first
    score_decimals: int = 2
    full_marks: Decimal = HUNDRED
    overall_base: str = "本年支出合计"

    def raw_score(self, weight: Decimal, rate: Decimal) -> Decimal:
        """The 执行率 row's score for `rate` (a fraction: 0.8602), unrounded."""
        return SCORERS[self.scoring](self, weight, rate)

    def due_score(self, weight: Decimal, rate: Decimal) -> Decimal:
        """The score rounded as the region rounds it (half-up to score_decimals)."""
        return round_to(self.raw_score(weight, rate), self.score_decimals)


def round_to(x: Decimal, decimals: int) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def proportional(settings: Settings, weight: Decimal, rate: Decimal) -> Decimal:
    return weight * min(rate, ONE)


def banded(settings: Settings, weight: Decimal, rate: Decimal) -> Decimal:
    percent = rate * HUNDRED
    share = next((s for bound, s in settings.bands if percent >= bound), Decimal(0))
    return weight * share


# scoring rules by the name a style gives; a region with another rule adds it here
SCORERS: dict[str, Callable[[Settings, Decimal, Decimal], Decimal]] = {"proportional": proportional, "bands": banded}
# overall_base -> (table, side, row key, column) of the 决算 figure
BASES = {"本年支出合计": ("01", "支出", "本年支出合计", "决算数"),
         "财政拨款支出合计": ("04", "支出", "本年支出合计", "合计")}

DEFAULT = Settings()


def _decimal(raw, what: str) -> Decimal:
    try:
        return Decimal(str(raw).strip().rstrip("%"))
    except InvalidOperation:
        raise DisclosureError(f"文风设置 perf.{what}：“{raw}”不是数") from None


def from_config(config: dict | None) -> Settings:
    """Settings from a style's `perf` mapping; a wrong value is refused in one Chinese line."""
    c = config or {}
    if not isinstance(c, dict):
        raise DisclosureError("文风设置 perf 应为若干“名称: 值”（scoring、bands、score_decimals……）")
    for b in c.get("bands") or []:
        if not isinstance(b, (list, tuple)) or len(b) != 2:
            raise DisclosureError(f"文风设置 perf.bands：每一档应写作 [执行率下限%, 得分比例]，而不是“{b}”")
    scoring = str(c.get("scoring", DEFAULT.scoring))
    if scoring not in SCORERS:
        raise DisclosureError(f"文风设置 perf.scoring：没有“{scoring}”这种执行率计分方法（可用：{'、'.join(SCORERS)}）")
    bands = tuple(sorted(((_decimal(b[0], "bands"), _decimal(b[1], "bands")) for b in c.get("bands") or []),
                         reverse=True))
    if scoring == "bands" and not bands:
        raise DisclosureError("文风设置 perf.scoring 为 bands（分档计分），但没有给出 perf.bands 分档（[执行率下限%, 得分比例]）")
    base = str(c.get("overall_base", DEFAULT.overall_base))
    if base not in BASES:
        raise DisclosureError(f"文风设置 perf.overall_base：没有“{base}”（可用：{'、'.join(BASES)}）")
    decimals = int(_decimal(c.get("score_decimals", DEFAULT.score_decimals), "score_decimals"))
    return Settings(scoring, bands, decimals, _decimal(c.get("full_marks", DEFAULT.full_marks), "full_marks"), base)


def settings_for(style: str) -> Settings:
    """The settings of a 情况说明 style (its style.yaml `perf`, or the defaults): the region's way of scoring."""
    from ..datacache import load_yaml
    from ..resources import templates_dir

    path = templates_dir() / "narrative" / style / "style.yaml"
    config = load_yaml(path) if path.exists() else {}
    return from_config((config or {}).get("perf"))
