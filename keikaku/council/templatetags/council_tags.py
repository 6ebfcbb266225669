"""Template filters of the council pages: dates (和暦 and 西暦 in Japanese, "8 February 2024"
in English), times, the illustrative-data mark."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from keikaku.core.domain.fiscal import format_date, format_datetime, format_time

register = template.Library()


def _local(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return None


@register.filter
def jdate(value: Any) -> str:
    """A date (or datetime, in Japan time) → 「2024年（令和6年）11月29日」; in English
    "29 November 2024"."""
    if not value:
        return ""
    moment = _local(value)
    day = moment.date() if moment is not None else value
    if not isinstance(day, dt.date):
        return str(value)
    return format_date(day, "dual", lang=get_language())


@register.filter
def jdatetime(value: Any) -> str:
    """An aware datetime → 「2024年（令和6年）5月31日 17時00分」 in Japan time; in English
    "31 May 2024, 17:00"."""
    moment = _local(value)
    if moment is None:
        return ""
    return format_datetime(moment, "dual", lang=get_language())


@register.filter
def jdeadline(value: Any) -> str:
    """A deadline (the first moment no longer accepted) as people read it: a deadline at
    midnight is the end of the day before, 「2024年（令和6年）5月31日 23時59分まで」."""
    moment = _local(value)
    if moment is None:
        return ""
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        moment = moment - dt.timedelta(minutes=1)
    return _("%(when)sまで") % {"when": format_datetime(moment, "dual", lang=get_language())}


@register.filter
def jtime(value: Any) -> str:
    """A time (or the 「HH:MM」 text a meeting stores) → 「14時00分」; in English "14:00"."""
    if isinstance(value, str) and value:
        try:
            value = dt.time.fromisoformat(value.strip().zfill(5))
        except ValueError:
            return value
    if not isinstance(value, dt.time):
        return ""
    return format_time(value, lang=get_language())


@register.filter
def illustrative(provenance: Any, field: str) -> bool:
    """Whether a field of a public record is illustrative (provenance.marks(field))."""
    marks = getattr(provenance, "marks", None)
    return bool(marks(field)) if callable(marks) else False


@register.filter
def illus_mark(provenance: Any, field: str) -> SafeString:
    """「（説明用）」 after a value whose field is illustrative; nothing otherwise."""
    if illustrative(provenance, field):
        return format_html('<span class="illus-mark">{}</span>', _("（説明用）"))
    return SafeString("")
