"""Year–value lists typed by staff, and fertility scaling from a TFR path.

The IPSS municipal method has no TFR: births come from the child–woman ratio (CWR). A
scenario "TFR rises to 1.8 by 2030 and 2.07 by 2040" is applied by scaling the CWR in
proportion to the TFR (CWR ∝ TFR): the multiplier of a year is target TFR ÷ current TFR,
1.0 at the base year, linear in between (see :class:`.scenarios.Scenario`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

from keikaku.core.domain.i18n import _

YearValues = tuple[tuple[int, float], ...]

_SEPARATORS = re.compile(r"[,、;\s]+")


class YearValueError(ValueError):
    """A year–value list cannot be read; the message (Japanese) says which item."""


def parse_year_values(text: str, *, field: str, example: str) -> YearValues:
    """``"2030:1.8、2040:2.07"`` → ``((2030, 1.8), (2040, 2.07))`` sorted by year.

    Items are separated by commas, 「、」, semicolons, spaces or line breaks; each is
    ``year:value`` (full-width characters accepted). An empty text gives ``()``. Japanese
    errors name ``field`` and the item, and show ``example``.
    """
    normal = unicodedata.normalize("NFKC", text).strip()
    if not normal:
        return ()
    points: dict[int, float] = {}
    for item in _SEPARATORS.split(normal):
        if not item:
            continue
        year_text, sep, value_text = item.partition(":")
        try:
            if not sep:
                raise ValueError(item)
            year = int(year_text.strip().removesuffix("年"))
            value = float(value_text.strip())
        except ValueError:
            raise YearValueError(
                _(
                    "%(field)sの「%(item)s」を読めません。「年:値」の形で、区切りはカンマか読点にしてください（例: %(example)s）。"
                )
                % {"field": field, "item": item, "example": example}
            ) from None
        if not math.isfinite(value):
            raise YearValueError(
                _("%(field)sの「%(item)s」の値が数値ではありません（例: %(example)s）。")
                % {"field": field, "item": item, "example": example}
            )
        if year in points:
            raise YearValueError(
                _("%(field)sで %(year)d年 が 2 回指定されています。1 つにしてください。")
                % {"field": field, "year": year}
            )
        points[year] = value
    return tuple(sorted(points.items()))


def format_year_values(points: Sequence[Sequence[float]]) -> str:
    """``((2030, 1.5), (2040, 1.725))`` → ``"2030:1.5, 2040:1.725"`` (inverse of parsing)."""
    return ", ".join(f"{int(year)}:{_plain(float(value))}" for year, value in points)


def _plain(value: float) -> str:
    """68000.0 → ``68000``, 1.725 → ``1.725`` (no exponent, no trailing zeros)."""
    if value.is_integer():
        return str(int(value))
    return f"{value:.12f}".rstrip("0").rstrip(".")


def fertility_scale_from_tfr(
    *, base_tfr: float, base_year: int, targets: Sequence[tuple[int, float]]
) -> YearValues:
    """CWR multipliers for a TFR path: ``(base_year, 1.0)`` then ``target ÷ base_tfr``.

    >>> fertility_scale_from_tfr(base_tfr=1.2, base_year=2020, targets=[(2030, 1.8)])
    ((2020, 1.0), (2030, 1.5))
    """
    if not math.isfinite(base_tfr) or base_tfr <= 0:
        raise YearValueError(_("現在の合計特殊出生率は 0 より大きい数値にしてください。"))
    points: list[tuple[int, float]] = [(base_year, 1.0)]
    for year, tfr in sorted(targets):
        if year <= base_year:
            raise YearValueError(
                _("合計特殊出生率の目標の年 %(year)d年 は基準年 %(base)d年 より後にしてください。")
                % {"year": year, "base": base_year}
            )
        if not math.isfinite(tfr) or tfr < 0:
            raise YearValueError(
                _("%(year)d年 の合計特殊出生率の目標 %(tfr)s は 0 以上の数値にしてください。")
                % {"year": year, "tfr": f"{tfr:g}"}
            )
        points.append((int(year), tfr / base_tfr))
    return tuple(points)
