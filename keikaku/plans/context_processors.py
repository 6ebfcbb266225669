"""Template context shared by every page: the municipality, demo flag, staff menu."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from keikaku.plans.selectors import municipality_current


def site(request: HttpRequest) -> dict[str, Any]:
    municipality = municipality_current()
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
