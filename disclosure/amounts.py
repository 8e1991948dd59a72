"""Amounts: parse what officers and exports put in cells into Decimal, and format them back.

Never float arithmetic: a float read from a file is turned into Decimal through its shortest repr,
and binary noise (198.46000000000001) is cut at 1e-8, far below any printed precision.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0")
CENT = Decimal("0.01")
_NOISE = Decimal("1e-8")
_BLANKS = {"", "-", "--", "—", "——", "－", "/", "0", "0.0", "0.00"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[(+-]*\d{1,3}(,\d{3})+(\.\d*)?\)?$")  # 1,890.62; (1,890.62); -12,345
_SPACED = re.compile(r"^[(+-]*\d{1,3}( \d{3})+(\.\d*)?\)?$")  # 1 890.62: a space as the thousands separator
_LOOSE_SPACES = re.compile(r"(?<=[(+-]) | (?=\))| ?, ?")  # “- 5.00”, “( 1.00 )”, “1, 234”: spaces that split no number


class AmountError(ValueError):
    """The text in a cell is not an amount; the caller adds where it was."""


def parse_amount(raw: object) -> Decimal:
    """Cell content -> Decimal. Blank, '-' and '—' mean 0; '1,081.56', '１０８１.５６', ' 5.00 ' are fine;
    '(1.00)' is −1.00, as accountants print a negative."""
    if raw is None:
        return ZERO
    if isinstance(raw, bool):
        raise AmountError(f"“{raw}”不是金额")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise AmountError("不是有效数字")
        return _denoise(Decimal(repr(raw)))
    if isinstance(raw, Decimal):
        return raw
    if not isinstance(raw, str):
        raise AmountError(f"“{raw}”不是金额")
    text = unicodedata.normalize("NFKC", raw).replace("\u2212", "-")  # '１，０８１．５６', '−5.00'
    text = _LOOSE_SPACES.sub(lambda m: m[0].strip(), re.sub(r"\s+", " ", text.strip()))
    if " " in text:  # “81 2.45”: joined it would be 812.45 — or two numbers typed into one cell
        if not _SPACED.match(text):
            raise AmountError(f"“{raw.strip()}”中间有空格，看不出是一个数还是几个数：请删去空格（如 812.45）"
                              "或把几个数分别填入各自的单元格")
        text = text.replace(" ", "")
    if "," in text and not _GROUPED.match(text):  # “1890,62”: a decimal comma, or a thousands one misplaced
        raise AmountError(f"“{raw.strip()}”中的逗号位置不对：千分位逗号应每三位一个（如 1,890.62），"
                          "小数点请用“.”")
    text = text.replace(",", "")
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    if text in _BLANKS:
        return ZERO
    if not _NUMBER.match(text):
        raise AmountError(f"“{raw.strip()}”不是金额，请填写数字（如 1081.56），无金额请留空")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise AmountError(f"“{raw}”不是金额") from exc
    return -value if negative else value


def _denoise(value: Decimal) -> Decimal:
    if value.as_tuple().exponent < -8:  # type: ignore[operator]
        value = value.quantize(_NOISE, rounding=ROUND_HALF_UP)
    return value.normalize() if value == value.to_integral_value() else _strip_zeros(value)


def _strip_zeros(value: Decimal) -> Decimal:
    sign, digits, exp = value.as_tuple()
    while exp < 0 and digits and digits[-1] == 0:  # type: ignore[operator]
        digits = digits[:-1]
        exp += 1  # type: ignore[operator]
    return Decimal((sign, digits, exp))


def to_plain(value: Decimal) -> str:
    """Decimal -> '2444.56': plain notation, at least two decimals, never '-0.00'."""
    if value == 0:
        return "0.00"
    if value.as_tuple().exponent > -2:  # type: ignore[operator]
        value = value.quantize(CENT)
    return format(value, "f")


def round_cent(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
