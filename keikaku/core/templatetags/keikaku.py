"""Template filters available in every template (registered as builtins in settings)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.filter
def fy(value: Any, style: str = "dual") -> str:
    """2025 → 令和7（2025）年度 (style: dual, era, gregorian, short)."""
    if value in (None, ""):
        return ""
    from keikaku.core.domain.fiscal import format_fiscal_year

    return format_fiscal_year(int(value), style=style, lang=get_language())  # type: ignore[arg-type]


@register.simple_tag
def fy_period(start: Any, end: Any) -> str:
    if not start or not end:
        return ""
    from keikaku.core.domain.fiscal import format_fiscal_period

    return format_fiscal_period(int(start), int(end), lang=get_language())


@register.filter
def wareki(value: Any) -> str:
    """A date as 令和7年4月1日 (accepts date, datetime or ISO text)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    from keikaku.core.domain.fiscal import format_date

    return format_date(value, lang=get_language())


@register.filter
def num(value: Any, digits: Any = None) -> str:
    """Numbers with thousands separators and blanks for missing values.

    With `digits`, exactly that many decimals (``1.2|num:2`` is 「1.20」). Without, a
    :class:`~decimal.Decimal` keeps the decimals it was written with (``Decimal("1.20")`` is
    「1.20」); other numbers: integers without decimals, else up to four decimals.
    """
    if value is None or value == "":
        return ""
    if digits is not None and digits != "":
        digits = int(digits)
    else:
        digits = None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return ""
        if digits is None:
            exponent = value.as_tuple().exponent
            digits = max(0, -exponent) if isinstance(exponent, int) else 0
        return f"{value:,.{digits}f}"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return ""
    if digits is not None:
        return f"{number:,.{digits}f}"
    if number == int(number) and abs(number) < 1e15:
        return f"{int(number):,}"
    text = f"{number:,.4f}".rstrip("0").rstrip(".")
    return text


@register.filter
def pct(value: Any, digits: int = 1) -> str:
    """A ratio (1.0 = 100 %) as a percentage with one decimal; never clipped."""
    if value is None or value == "":
        return ""
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def svg(value: str) -> SafeString:
    """Mark a server-built SVG (from keikaku.core.domain.charts) as safe to embed."""
    return mark_safe(value)  # noqa: S308 - charts escape every label they draw


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None
