"""Reads of the resilience app: staff reads of live data, and the snapshots published for the
public site (built here, stored by services)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from keikaku.core.domain.fiscal import fiscal_year_of
from keikaku.plans.models import Edition, Indicator, Measure, Municipality, PriorityStrategy
from keikaku.resilience.domain.actionplan import (
    ActionPlanTable,
    EntryData,
    EntryFilter,
    ScenarioRef,
    SiteRow,
    build_table,
    entry_to_dict,
)
from keikaku.resilience.domain.consistency import (
    ConsistencyReport,
    MeasureInfo,
    PlanInfo,
    consistency_report,
)
from keikaku.resilience.domain.geo import SiteLocation
from keikaku.resilience.models import (
    ActionPlan,
    ActionPlanEntry,
    CatalogueVersion,
    Framework,
    FrameworkTag,
    RegionalPlan,
    RegionalScenario,
    ResiliencePublication,
    SectoralPlan,
    Site,
)

# --- catalogue and plans ------------------------------------------------------------------


def catalogue_version_list() -> QuerySet[CatalogueVersion]:
    return CatalogueVersion.objects.all()


def regional_plan_list() -> QuerySet[RegionalPlan]:
    return RegionalPlan.objects.select_related("edition", "catalogue").order_by("-start_fy")


def regional_plan_current() -> RegionalPlan | None:
    """The regional plan of the latest edition that has one."""
    return regional_plan_list().order_by("-edition__start_fy").first()


def action_plan_list(regional_plan: RegionalPlan | None = None) -> QuerySet[ActionPlan]:
    qs = ActionPlan.objects.select_related("regional_plan", "regional_plan__edition")
    if regional_plan is not None:
        qs = qs.filter(regional_plan=regional_plan)
    return qs.order_by("-fiscal_year")


def action_plan_current() -> ActionPlan | None:
    plan = regional_plan_current()
    return action_plan_list(plan).first() if plan else None


def scenario_refs(regional_plan: RegionalPlan) -> list[ScenarioRef]:
    rows = regional_plan.scenarios.select_related("scenario", "scenario__goal")
    return [
        ScenarioRef(
            code=r.scenario.code,
            text=r.scenario.text,
            goal_number=r.scenario.goal.number,
            verified=r.scenario.verified,
            priority=r.priority,
        )
        for r in rows
    ]


def entries_queryset(action_plan: ActionPlan) -> QuerySet[ActionPlanEntry]:
    return (
        action_plan.entries.select_related(
            "programme", "programme__department", "programme__measure"
        )
        .prefetch_related(
            Prefetch("scenarios", queryset=RegionalScenario.objects.select_related("scenario")),
            "policy_fields",
            "costs",
            Prefetch("sites", queryset=Site.objects.order_by("order", "id")),
        )
        .order_by("programme__code")
    )


def site_row(site: Site) -> SiteRow:
    location = SiteLocation(lat=site.lat, lon=site.lon, geometry=site.geometry)
    point = location.point()
    geometry = location.as_geometry() if site.geometry is not None else None
    return SiteRow(
        id=site.pk,
        name=site.name,
        district=site.district,
        address=site.address,
        kind=location.kind,
        lon=round(point[0], 6) if point else None,
        lat=round(point[1], 6) if point else None,
        geometry_json=json.dumps(geometry, ensure_ascii=False) if geometry else "",
    )


def entry_data(entry: ActionPlanEntry) -> EntryData:
    programme = entry.programme
    measure = programme.measure
    fields = sorted(entry.policy_fields.all(), key=lambda f: (f.order, f.code))
    return EntryData(
        programme_code=programme.code,
        programme_name=programme.name,
        summary=entry.summary or programme.description,
        department=programme.department.name if programme.department else "",
        implementer=entry.implementer,
        start_fy=entry.start_fy,
        end_fy=entry.end_fy,
        total_cost=entry.total_cost,
        costs=tuple((c.fiscal_year, c.amount) for c in entry.costs.all()),
        grant=entry.grant,
        bond=entry.bond,
        kpi=entry.kpi,
        measure_code=measure.code if measure else "",
        measure_title=measure.title if measure else "",
        notes=entry.notes,
        scenario_codes=tuple(
            sorted(
                (r.scenario.code for r in entry.scenarios.all()),
                key=lambda c: tuple(int(p) for p in c.split("-") if p.isdigit()),
            )
        ),
        field_names=tuple(f.name for f in fields),
        field_codes=tuple(f.code for f in fields),
        sites=tuple(site_row(s) for s in entry.sites.all()),
    )


def entries_data(action_plan: ActionPlan) -> list[EntryData]:
    return [entry_data(e) for e in entries_queryset(action_plan)]


def action_plan_table(
    action_plan: ActionPlan, entries: Iterable[EntryData] | None = None
) -> ActionPlanTable:
    rows = list(entries) if entries is not None else entries_data(action_plan)
    return build_table(
        title=action_plan.title,
        fiscal_year=action_plan.fiscal_year,
        scenarios=scenario_refs(action_plan.regional_plan),
        entries=rows,
    )


def municipality_code() -> str:
    m = Municipality.objects.order_by("id").first()
    return m.code if m else ""


def filter_options(entries: Iterable[EntryData], regional_plan: RegionalPlan) -> dict[str, Any]:
    """Choices for the map filter, from what the action plan actually holds."""
    rows = list(entries)
    used = {c for e in rows for c in e.scenario_codes}
    fields: dict[str, str] = {}
    for e in rows:
        fields.update(zip(e.field_codes, e.field_names, strict=True))
    years = sorted(
        {fy for e in rows for fy, _a in e.costs}
        | {fy for e in rows for fy in (e.start_fy, e.end_fy) if fy is not None}
    )
    if years:
        years = list(range(years[0], years[-1] + 1))
    return {
        "scenarios": [
            {"code": s.code, "text": s.text, "verified": s.verified}
            for s in scenario_refs(regional_plan)
            if s.code in used
        ],
        "fields": [{"code": k, "name": v} for k, v in fields.items()],
        "departments": sorted({e.department for e in rows if e.department}),
        "years": years,
    }


def parse_filter(params: Any) -> EntryFilter:
    year_text = str(params.get("year", "") or "").strip()
    return EntryFilter(
        scenario=str(params.get("scenario", "") or "").strip(),
        field=str(params.get("field", "") or "").strip(),
        department=str(params.get("department", "") or "").strip(),
        year=int(year_text) if year_text.isdigit() else None,
    )


# --- publication snapshots -------------------------------------------------------------------


def action_plan_snapshot(action_plan: ActionPlan) -> dict[str, Any]:
    regional = action_plan.regional_plan
    entries = entries_data(action_plan)
    bounds = regional.city_bounds()
    return {
        "id": action_plan.pk,
        "title": action_plan.title,
        "fiscal_year": action_plan.fiscal_year,
        "regional_plan": regional.title,
        "catalogue": str(regional.catalogue),
        "edition_id": regional.edition_id,
        "municipality_code": municipality_code(),
        "bounds": [bounds.min_lon, bounds.min_lat, bounds.max_lon, bounds.max_lat]
        if bounds
        else None,
        "scenarios": [s.__dict__ for s in scenario_refs(regional)],
        "entries": [entry_to_dict(e) for e in entries],
        "site_count": sum(len(e.sites) for e in entries),
        "options": filter_options(entries, regional),
    }


def publication_get(kind: str, key: str) -> ResiliencePublication | None:
    return ResiliencePublication.objects.filter(kind=kind, key=key).first()


# --- sectoral plans -----------------------------------------------------------------------------


def sectoral_plan_list(
    *, department: str = "", status: str = "", search: str = ""
) -> QuerySet[SectoralPlan]:
    qs = SectoralPlan.objects.select_related("department").prefetch_related(
        Prefetch("measures", queryset=Measure.objects.select_related("area", "area__edition"))
    )
    if department:
        qs = qs.filter(department__name=department)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.order_by("name", "start_fy")


def sectoral_snapshot() -> dict[str, Any]:
    plans = []
    for plan in sectoral_plan_list():
        plans.append(
            {
                "id": plan.pk,
                "name": plan.name,
                "series": plan.series,
                "department": plan.department.name if plan.department else "",
                "legal_basis": plan.legal_basis,
                "start_fy": plan.start_fy,
                "end_fy": plan.end_fy,
                "status": plan.status,
                "status_label": str(plan.get_status_display()),
                "url": plan.url,
                "measures": [
                    {
                        "edition_id": m.area.edition_id,
                        "area_number": m.area.number,
                        "code": m.code,
                        "title": m.title,
                    }
                    for m in sorted(plan.measures.all(), key=lambda m: (m.area.number, m.order))
                ],
            }
        )
    return {"plans": plans}


def plan_infos(edition: Edition) -> list[PlanInfo]:
    out = []
    for plan in sectoral_plan_list():
        out.append(
            PlanInfo(
                id=plan.pk,
                name=plan.name,
                status=plan.status,
                start_fy=plan.start_fy,
                end_fy=plan.end_fy,
                series=plan.series,
                department=plan.department.name if plan.department else "",
                measure_codes=tuple(
                    m.code for m in plan.measures.all() if m.area.edition_id == edition.pk
                ),
            )
        )
    return out


def consistency_for_edition(
    edition: Edition, *, current_fy: int | None = None
) -> ConsistencyReport:
    import datetime as dt

    measures = [
        MeasureInfo(code=m.code, title=m.title, area_number=m.area.number, area_title=m.area.title)
        for m in Measure.objects.filter(area__edition=edition).select_related("area")
    ]
    return consistency_report(
        plans=plan_infos(edition),
        measures=measures,
        period_start_fy=edition.start_fy,
        period_end_fy=edition.end_fy,
        current_fy=current_fy if current_fy is not None else fiscal_year_of(dt.date.today()),
    )


# --- frameworks and the local strategy ------------------------------------------------------------


def framework_list() -> QuerySet[Framework]:
    return Framework.objects.prefetch_related("pillars")


def _indicator_view(indicator: Indicator) -> dict[str, Any]:
    """An indicator as the local strategy shows it: name, unit, baseline and target."""
    return {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "baseline_value": indicator.baseline_value,
        "baseline_fy": indicator.baseline_fy,
        "target_value": indicator.target_value,
        "target_fy": indicator.target_fy,
    }


def local_strategy(edition: Edition) -> dict[str, Any]:
    """The priority strategies as the local revitalisation strategy (地方版総合戦略): basic
    goals with numeric goals (the strategy's own indicators), measures with their KPIs, tags."""
    strategies = (
        PriorityStrategy.objects.filter(edition=edition)
        .prefetch_related(
            "indicators",
            Prefetch(
                "measures",
                queryset=Measure.objects.select_related("area").prefetch_related("indicators"),
            ),
            Prefetch(
                "framework_tags",
                queryset=FrameworkTag.objects.select_related("pillar", "pillar__framework"),
            ),
        )
        .order_by("number")
    )
    indicator_tags: dict[int, list[FrameworkTag]] = {}
    for tag in FrameworkTag.objects.filter(
        indicator__isnull=False, indicator__strategy__edition=edition
    ).select_related("pillar", "pillar__framework"):
        indicator_tags.setdefault(tag.indicator_id or 0, []).append(tag)

    def tag_view(tag: FrameworkTag) -> dict[str, Any]:
        return {
            "id": tag.pk,
            "framework": tag.pillar.framework.name,
            "pillar_code": tag.pillar.code,
            "pillar": tag.pillar.title,
            "verified": tag.pillar.verified,
        }

    out = []
    for s in strategies:
        out.append(
            {
                "id": s.pk,
                "number": s.number,
                "title": s.title,
                "description": s.description,
                "basic_goal": s.basic_goal,
                "tags": [tag_view(t) for t in s.framework_tags.all()],  # type: ignore[attr-defined]
                "numeric_goals": [
                    {
                        "id": i.pk,
                        **_indicator_view(i),
                        "tags": [tag_view(t) for t in indicator_tags.get(i.pk, [])],
                    }
                    for i in s.indicators.all()
                ],
                "measures": [
                    {
                        "code": m.code,
                        "title": m.title,
                        "kpis": [_indicator_view(i) for i in m.indicators.all()],
                    }
                    for m in s.measures.all()
                ],
            }
        )
    return {
        "edition": edition.title,
        "start_fy": edition.start_fy,
        "end_fy": edition.end_fy,
        "strategies": out,
    }
