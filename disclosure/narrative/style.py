"""What a style's style.yaml says besides titles and templates: how numbers read in prose, how list items
are numbered, and the 部门/单位 wording of the document.

    numbers:                      # all three default to the DESIGN.md form: 1,083.42万元, 100.00%
      thousands_separator: false  # 2444.56万元
      whole_amounts: short        # 1100万元, 0万元 (full: 1100.00万元)
      whole_percents: short       # 100%, 0% (full: 100.00%)
    list_number: "{n}."           # 1. 2. 3. (or "{n}．")
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

CENT = Decimal("0.01")
DEPARTMENT, UNIT = "部门", "单位"


class NumberStyle(msgspec.Struct, frozen=True):
    """How a style prints numbers: thousands separators, whole amounts and percents."""

    thousands: bool = True
    short_whole_amounts: bool = False
    short_whole_percents: bool = False

    @classmethod
    def from_config(cls, config: dict) -> "NumberStyle":
        n = config.get("numbers") or {}
        return cls(bool(n.get("thousands_separator", True)), n.get("whole_amounts", "full") == "short",
                   n.get("whole_percents", "full") == "short")

    def amount(self, value: Decimal) -> str:
        """An amount in 万元, two decimals ("2,444.56"); a whole one as "1100" when the style says so."""
        sep = "," if self.thousands else ""
        if self.short_whole_amounts and value.quantize(CENT) == value.to_integral_value():
            return f"{value:{sep}.0f}"
        return f"{value:{sep}.2f}"

    def percent(self, rounded: Decimal) -> str:
        """A percentage already rounded to two places: "17.31"; a whole one as "100" when the style says so."""
        if self.short_whole_percents and rounded == rounded.to_integral_value():
            return f"{rounded:.0f}"
        return f"{rounded:.2f}"


DEFAULT_NUMBERS = NumberStyle()


class Wording(msgspec.Struct, frozen=True):
    """Who the document speaks for: a 部门 (a department over several units) or a 单位 (one unit, a 单位决算).
    The style's fixed texts (titles, the export's part titles and notes) are written for a 部门; `words`
    gives them for this document."""

    org: str = DEPARTMENT

    @property
    def overview(self) -> str:  # 第一部分 单位概况
        return f"{self.org}概况"

    @property
    def accounts(self) -> str:  # 2023年度单位决算 (the cover), 单位决算情况说明
        return f"{self.org}决算"

    @property
    def tables(self) -> str:  # 第三部分 2023年度单位决算表
        return f"{self.org}决算表"

    def words(self, text: str) -> str:
        """A style text written for a 部门 ("本部门", "部门决算表"), as this document says it."""
        return text if self.org == DEPARTMENT else text.replace(DEPARTMENT, self.org)


def list_number(config: dict):
    """The style's numbering of list items: 1. 2. … (one form in the whole document)."""
    form = str(config.get("list_number", "{n}."))
    return lambda n: form.format(n=n)
