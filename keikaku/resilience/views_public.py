"""Public pages: the map of resilience sites (/resilience/) with its GeoJSON, and the list of
sectoral plans (/sectoral-plans/). Both read published snapshots only.

The map and list pages carry a GET filter form and are therefore not put in the page cache
(the project rule: never cache pages with forms); the GeoJSON is.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from keikaku.core.cache import public_page_cache
from keikaku.core.domain.fiscal import format_fiscal_period, format_fiscal_year
from keikaku.plans import api as plans_api
from keikaku.resilience import exports, selectors
from keikaku.resilience.domain.actionplan import (
    entry_from_dict,
    filter_entries,
    wording_label,
)
from keikaku.resilience.views_staff import map_context

STATUS_ORDER = {"current": 0, "drafting": 1, "revision_planned": 2}


def _published() -> dict[str, Any] | None:
    publication = selectors.publication_get("action_plan", "current")
    return publication.data if publication else None


def site_map(request: HttpRequest) -> HttpResponse:
    data = _published()
    context: dict[str, Any] = {"data": data, "nav": "resilience"}
    if data is not None:
        entries = [entry_from_dict(e) for e in data["entries"]]
        context.update(map_context(entries, data["options"], request, data["municipality_code"]))
        context["fy_label"] = format_fiscal_year(data["fiscal_year"], lang=get_language())
        context["scenarios"] = [
            {**s, "wording": wording_label(s["verified"])}
            for s in data["scenarios"]
            if any(s["code"] == o["code"] for o in data["options"]["scenarios"])
        ]
    return render(request, "resilience/public/map.html", context)


@public_page_cache
def sites_geojson(request: HttpRequest) -> HttpResponse:
    data = _published()
    if data is None:
        body = exports.sites_geojson([], municipality_code="", name="")
    else:
        entries = filter_entries(
            [entry_from_dict(e) for e in data["entries"]], selectors.parse_filter(request.GET)
        )
        body = exports.sites_geojson(
            entries, municipality_code=data["municipality_code"], name=data["title"]
        )
    response = HttpResponse(body, content_type=exports.GEOJSON_TYPE)
    response["Content-Disposition"] = 'inline; filename="resilience-sites.geojson"'
    return response


def sectoral_plans(request: HttpRequest) -> HttpResponse:
    publication = selectors.publication_get("sectoral_plans", "all")
    plans = publication.data["plans"] if publication else []
    department = request.GET.get("department", "")
    status = request.GET.get("status", "")
    departments = sorted({p["department"] for p in plans if p["department"]})
    statuses = []
    for p in sorted(plans, key=lambda p: STATUS_ORDER.get(p["status"], 9)):
        if (p["status"], p["status_label"]) not in statuses:
            statuses.append((p["status"], p["status_label"]))
    # The published snapshot keeps the Japanese labels; show them in the reader's language.
    statuses = [(code, _(label)) if label else (code, label) for code, label in statuses]
    edition = plans_api.public_edition()
    lang = get_language()
    shown = [
        {
            **p,
            "status_label": _(p["status_label"]) if p["status_label"] else "",
            "measures": [
                m for m in p["measures"] if edition is not None and m["edition_id"] == edition.id
            ],
            "period": format_fiscal_period(p["start_fy"], p["end_fy"], lang=lang)
            if p["start_fy"] and p["end_fy"]
            else "",
        }
        for p in plans
        if (not department or p["department"] == department)
        and (not status or p["status"] == status)
    ]
    return render(
        request,
        "resilience/public/sectoral_plans.html",
        {
            "published": publication is not None,
            "plans": shown,
            "total": len(plans),
            "departments": departments,
            "statuses": statuses,
            "department": department,
            "status": status,
            "nav": "sectoral",
        },
    )
