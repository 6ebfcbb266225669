"""What the plan document contains, as plain data (the same for PDF and Word).

:func:`plan_document_data` gathers the published plan (plans.api through plandata), the
priority strategies, the registry's 資料編 chapters (resilience link, council and assembly
record, public comment result) and the population outlook. :func:`fingerprint` of that data
keys the generated files: a file is made again only when its data changed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.utils import timezone

from keikaku.core.domain.fiscal import format_fiscal_period, format_fiscal_year
from keikaku.publication.integrations import council as council_adapter
from keikaku.publication.integrations import demography as demography_adapter
from keikaku.publication.plandata import published_plan
from keikaku.publication.registry import appendix_chapters


def _indicator(ind: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "code",
        "name",
        "unit",
        "direction_label",
        "baseline_value",
        "baseline_fy",
        "target_value",
        "target_fy",
        "cumulative",
        "source",
        "description",
    )
    out = {k: ind.get(k) for k in keys}
    out["values"] = [
        {"fiscal_year": v["fiscal_year"], "value": v.get("value")} for v in ind.get("values", [])
    ]
    return out


def plan_document_data() -> dict[str, Any] | None:
    """Everything the plan document shows, or None when no plan is published."""
    plan = published_plan()
    if plan is None:
        return None
    home = plan.home
    adoption = council_adapter._call("edition_adoption", edition_id=plan.edition.id, default=None)
    outlook = demography_adapter.outlook()
    areas = []
    for area in plan.areas:
        areas.append(
            {
                "number": area["number"],
                "title": area["title"],
                "description": area.get("description", ""),
                "measures": [
                    {
                        "code": m["code"],
                        "title": m["title"],
                        "plain_summary": m.get("plain_summary", ""),
                        "target_state": m.get("target_state", ""),
                        "current_issues": m.get("current_issues", ""),
                        "initiatives": [
                            {
                                "title": i["title"],
                                "description": i.get("description", ""),
                                "section": i.get("section", ""),
                            }
                            for i in m.get("initiatives", [])
                        ],
                        "roles": [
                            (label, m.get(key, ""))
                            for label, key in (
                                ("市民", "role_citizens"),
                                ("事業者", "role_businesses"),
                                ("市", "role_city"),
                            )
                            if m.get(key)
                        ],
                        "indicators": [_indicator(i) for i in m.get("indicators", [])],
                        "departments": list(m.get("departments", [])),
                        "related_plans": list(m.get("related_plans", [])),
                        "sdgs": list(m.get("sdgs", [])),
                        "strategies": [s["title"] for s in m.get("strategies", [])],
                    }
                    for m in plan.area_measures(area["number"])
                ],
            }
        )
    strategies = [
        {
            "number": s["number"],
            "title": s["title"],
            "description": s.get("description", ""),
            "basic_goal": s.get("basic_goal", ""),
            "measures": [f"{m['code']} {m['title']}" for m in s.get("measures", [])],
            "indicators": [_indicator(i) for i in s.get("indicators", [])],
        }
        for s in plan.strategies
    ]
    chapters = [
        {"key": c.key, "title": c.title, "blocks": list(c.blocks), "order": c.order}
        for c in appendix_chapters()
    ]
    population = None
    if outlook is not None:
        followed = next((s for s in outlook.scenarios if s.followed), None)
        population = {
            "title": outlook.title,
            "explanation": outlook.explanation,
            "years": list(outlook.years),
            "targets": [[y, v] for y, v in outlook.targets],
            "scenario": outlook.scenario_name,
            "totals": list(followed.totals) if followed else [],
        }
    return {
        "municipality_code": plan.municipality_code,
        "municipality_name": plan.municipality_name,
        "is_demo": bool(plan.municipality and plan.municipality.is_demo),
        "plan_title": home.get("plan_title", ""),
        "edition_title": plan.edition.title,
        "title": f"{home.get('plan_title', '')} {plan.edition.title}".strip(),
        "period": format_fiscal_period(plan.edition.start_fy, plan.edition.end_fy),
        "concept_period": format_fiscal_period(home["plan_start_fy"], home["plan_end_fy"])
        if home.get("plan_start_fy") and home.get("plan_end_fy")
        else "",
        "vision": home.get("vision", ""),
        "concept_description": home.get("concept_description", ""),
        "introduction": home.get("introduction", ""),
        "areas": areas,
        "strategies": strategies,
        "resilience": [c for c in chapters if c["key"] == "resilience"],
        "appendix": [c for c in chapters if c["key"] != "resilience"],
        "population": population,
        "adoption": {
            "state_label": adoption.state_label,
            "adopted_on": adoption.adopted_on.isoformat() if adoption.adopted_on else "",
        }
        if adoption is not None
        else None,
    }


def fingerprint(data: dict[str, Any], *, kind: str, fmt: str, renderer_version: str) -> str:
    payload = json.dumps(
        {"data": data, "kind": kind, "fmt": fmt, "renderer": renderer_version},
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def generated_label() -> str:
    now = timezone.localtime()
    return f"{now:%Y-%m-%d %H:%M}"


def fy_label(fy: int | None) -> str:
    return format_fiscal_year(int(fy)) if fy else ""
