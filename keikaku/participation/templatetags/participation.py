"""Template filters of the participation app: masking and Japanese dates with time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from keikaku.core.domain.fiscal import format_date
from keikaku.participation.domain.masking import mask_personal_data

register = template.Library()


@register.filter
def masked(value: Any) -> str:
    """Opinion text with phone numbers, e-mail and postal addresses replaced by labels."""
    return mask_personal_data(str(value or ""))


def _aware(value: Any) -> dt.datetime | None:
    if not value:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return timezone.localtime(value)
    return None


@register.filter
def jdatetime(value: Any) -> str:
    """2024-07-31 23:59 (aware) → 「2024年（令和6年）7月31日 23時59分」 in Japan time."""
    moment = _aware(value)
    if moment is None:
        return ""
    return f"{format_date(moment.date(), 'dual')} {moment.hour}時{moment.minute:02d}分"


@register.filter
def jdate(value: Any) -> str:
    """A date or datetime → 「2024年（令和6年）7月31日」."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10]) if len(value) <= 10 else _aware(value)
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return format_date(value, "dual")


@register.filter
def filesize(value: Any) -> str:
    size = int(value or 0)
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}MB"
    return f"{max(1, round(size / 1024))}KB"
