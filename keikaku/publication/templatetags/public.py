"""Template tags of the public site: navigation from the registry, the language and
furigana switches, English-or-Japanese content fields, fiscal years in the reader's language.

``{% load public %}`` after the builtins overrides ``fy`` and ``fy_period`` so that English
pages read "FY2025" while Japanese pages keep 「令和7（2025）年度」.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.core.cache import cache
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from keikaku.core.domain.fiscal import format_date, format_fiscal_period, format_fiscal_year
from keikaku.core.domain.fiscal import is_english as fiscal_is_english
from keikaku.core.selectors import content_version_get
from keikaku.plans import api as plans_api
from keikaku.publication import registry

register = template.Library()


def is_english() -> bool:
    """Whether the page is being shown in English."""
    return fiscal_is_english(get_language())


@register.simple_tag
def public_sections(nav: str = "", header_only: bool = False) -> list[dict[str, Any]]:
    """Available sections (cached per content version) with their title, url and current flag."""
    key = f"publication:sections:{content_version_get()}"
    available = cache.get(key)
    if available is None:
        available = [s.key for s in registry.sections()]
        cache.set(key, available, 600)
    out = []
    by_key = {s.key: s for s in registry._sections.values()}
    for section_key in available:
        section = by_key.get(section_key)
        if section is None or (header_only and not section.in_header):
            continue
        out.append(
            {
                "key": section.key,
                "title": str(section.title),
                "description": str(section.description),
                "url": section.url(),
                "current": bool(nav) and (nav == section.key or nav in section.also_current),
            }
        )
    return out


@register.simple_tag(takes_context=True)
def switch_url(context: Any, name: str, value: str) -> str:
    """The current page's URL with ``name=value`` (the middleware sets the cookie)."""
    request = context.get("request")
    if request is None:
        return "?" + urlencode({name: value})
    params = [
        (k, v) for k, values in request.GET.lists() for v in values if k not in ("lang", "furigana")
    ]
    params.append((name, value))
    return request.path + "?" + urlencode(params)


def _pick(obj: Any, field: str) -> tuple[str, bool]:
    """(text, is_fallback): the English field in English when filled, else the Japanese one."""

    def get(name: str) -> str:
        if isinstance(obj, dict):
            return str(obj.get(name) or "")
        return str(getattr(obj, name, "") or "")

    if is_english():
        english = get(f"{field}_en")
        if english:
            return english, False
        return get(field), True
    return get(field), False


@register.simple_tag
def tr(obj: Any, field: str) -> SafeString:
    """A content field in the reader's language; Japanese text on an English page is marked
    ``lang="ja"`` so that screen readers pronounce it correctly."""
    text, fallback = _pick(obj, field)
    if fallback and text:
        return format_html('<span lang="ja">{}</span>', text)
    return format_html("{}", text)


@register.filter
def tr_text(obj: Any, field: str) -> str:
    """As :func:`tr`, as plain text (for <title> and attributes)."""
    return _pick(obj, field)[0]


@register.filter
def fy(value: Any, style: str = "dual") -> str:
    if value in (None, ""):
        return ""
    return format_fiscal_year(int(value), style=style, lang=get_language())  # type: ignore[arg-type]


@register.simple_tag
def fy_period(start: Any, end: Any) -> str:
    if not start or not end:
        return ""
    return format_fiscal_period(int(start), int(end), lang=get_language())


@register.filter
def jdate(value: Any) -> str:
    """A date as 2025年（令和7年）4月1日 (Japanese) or 1 April 2025 (English)."""
    import datetime as dt

    from django.utils import timezone

    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_date(value, "dual", lang=get_language())


@register.filter
def value_decimals(indicator: Any) -> int:
    """The decimals a published indicator's values are shown with (``num:d``): as many as its
    most precise value was entered with, so that a target of 1.20 is not shown as 1.2."""
    if not isinstance(indicator, dict):
        return 0
    return plans_api.indicator_decimals(indicator)
