"""Template filters of the evaluation pages and reports: {% load evaluation_tags %}."""

from __future__ import annotations

from typing import Any

from django import template

from keikaku.evaluation.presentation import number_text, pct_text

register = template.Library()


@register.filter
def pcttext(value: Any, digits: int = 1) -> str:
    """A percentage already in % (85.0 → 「85.0%」); None → 「—」; never clipped."""
    if value is None or value == "":
        return "—"
    return pct_text(float(value), int(digits))


@register.filter
def numtext(value: Any) -> str:
    """A number with thousands separators; None → 「—」."""
    if value is None or value == "":
        return "—"
    return number_text(float(value))


@register.filter
def yen(value: Any) -> str:
    """Thousand yen with separators; None → 「—」."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}"


@register.filter
def index(sequence: Any, position: int) -> Any:
    try:
        return sequence[int(position)]
    except (IndexError, TypeError, ValueError, KeyError):
        return ""
