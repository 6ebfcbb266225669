"""Template context shared by every page: the municipality, demo flag, staff menu."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from keikaku.core.cache import public_content_version
from keikaku.plans.models import Municipality
from keikaku.plans.selectors import municipality_current

MEMO_SECONDS = 3600


def municipality_memoised() -> Municipality | None:
    """The municipality, read once per public content version.

    Publishing, and every change of the municipality through the plan services, bumps that
    version, so the next page shows the change at once; until then no page queries it.
    """
    key = f"plans:site-municipality:{public_content_version()}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    municipality = municipality_current()
    cache.set(key, municipality or False, MEMO_SECONDS)
    return municipality


def site(request: HttpRequest) -> dict[str, Any]:
    municipality = municipality_memoised()
    context: dict[str, Any] = {
        "municipality": municipality,
        "site_name": settings.KEIKAKU_SITE_NAME
        or (f"{municipality.name} 総合計画" if municipality else "Keikaku"),
        "is_demo": bool(municipality and municipality.is_demo),
    }
    if request.path.startswith("/staff/"):
        from keikaku.plans.staff import nav_groups

        context["staff_nav_groups"] = nav_groups()
    return context
