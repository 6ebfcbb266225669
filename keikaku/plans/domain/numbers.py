"""How many decimals an indicator's values are shown with.

Indicator values are stored as floats, which do not remember how they were written: the
city's 「1.20」 comes back as 1.2. An indicator's values are written with one precision
(基準値 1.05, 目標値 1.20, 実績値 1.12), so the most decimals any of them has is the number
all of them are shown with. Text and :class:`~decimal.Decimal` values keep their own
decimals (「1.20」 has two); a float counts the decimals of its shortest exact form, after
rounding away float noise (0.1 + 0.2 has one decimal).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

MAX_DECIMALS = 4


def decimals_of(value: object) -> int:
    """The decimals `value` was written with (0 for blanks and whole numbers), at most
    :data:`MAX_DECIMALS`."""
    if value is None or isinstance(value, bool):
        return 0
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            return 0
    elif isinstance(value, int | float):
        number = Decimal(repr(round(float(value), MAX_DECIMALS))).normalize()
    else:
        return 0
    if not number.is_finite():
        return 0
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # finite numbers have an integer exponent
    return min(MAX_DECIMALS, max(0, -exponent))


def common_decimals(values: Iterable[object]) -> int:
    """The decimals to show every one of `values` with: the most any of them has."""
    return max((decimals_of(v) for v in values), default=0)
