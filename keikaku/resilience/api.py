"""What other apps may read of the resilience app. Public reads use published snapshots only.

- :func:`sectoral_plans_for_area` (and :func:`sectoral_plans_by_area` for all areas in one
  read) — the related sectoral plans (関連する個別計画) of one policy
  area of a basic-plan edition, for the public policy-area page.
- :func:`published_action_plan` — the published action plan (title, fiscal year, counts).
- :func:`published_entries` — the entries (programmes with their sites) of the published
  action plan, as plain JSON-able dicts, for the open data (CSV and /api/v1/resilience/...).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from keikaku.core.domain.fiscal import format_fiscal_period, format_fiscal_year
from keikaku.resilience import selectors
from keikaku.resilience.domain.actionplan import entry_from_dict


@dataclass(frozen=True)
class RelatedMeasure:
    code: str
    title: str


@dataclass(frozen=True)
class SectoralPlanRef:
    name: str
    department: str
    status: str  # "current" | "drafting" | "revision_planned"
    status_label: str  # 現行 / 策定中 / 改定予定
    start_fy: int | None
    end_fy: int | None
    period_label: str  # 「令和6（2024）年度～令和8（2026）年度」, "" when unknown
    url: str
    legal_basis: str
    measures: tuple[RelatedMeasure, ...]  # the measures of the area the plan relates to


@dataclass(frozen=True)
class PublishedActionPlanInfo:
    title: str
    fiscal_year: int
    entry_count: int
    site_count: int


def _period(start: int | None, end: int | None) -> str:
    if start is not None and end is not None:
        return format_fiscal_period(start, end)
    if start is not None:
        return format_fiscal_year(start) + "～"
    if end is not None:
        return "～" + format_fiscal_year(end)
    return ""


def sectoral_plans_for_area(edition_id: int, area_number: int) -> tuple[SectoralPlanRef, ...]:
    """Published sectoral plans linked to any measure of the policy area (by edition id and
    area number), sorted by name. Empty until the registry has been published."""
    return sectoral_plans_by_area(edition_id).get(area_number, ())


def sectoral_plans_by_area(edition_id: int) -> dict[int, tuple[SectoralPlanRef, ...]]:
    """:func:`sectoral_plans_for_area` for every policy area of the edition at once (one
    read): area number → its plans, sorted by name; areas without a plan are left out."""
    publication = selectors.publication_get("sectoral_plans", "all")
    if publication is None:
        return {}
    by_area: dict[int, list[SectoralPlanRef]] = {}
    for plan in publication.data.get("plans", []):
        areas: dict[int, list[RelatedMeasure]] = {}
        for m in plan.get("measures", []):
            if m["edition_id"] == edition_id:
                areas.setdefault(m["area_number"], []).append(
                    RelatedMeasure(code=m["code"], title=m["title"])
                )
        for area_number, measures in areas.items():
            by_area.setdefault(area_number, []).append(
                SectoralPlanRef(
                    name=plan["name"],
                    department=plan["department"],
                    status=plan["status"],
                    status_label=plan["status_label"],
                    start_fy=plan["start_fy"],
                    end_fy=plan["end_fy"],
                    period_label=_period(plan["start_fy"], plan["end_fy"]),
                    url=plan["url"],
                    legal_basis=plan["legal_basis"],
                    measures=tuple(measures),
                )
            )
    return {
        area: tuple(sorted(refs, key=lambda p: (p.name, p.start_fy or 0)))
        for area, refs in by_area.items()
    }


def published_action_plan() -> PublishedActionPlanInfo | None:
    publication = selectors.publication_get("action_plan", "current")
    if publication is None:
        return None
    data = publication.data
    return PublishedActionPlanInfo(
        title=data["title"],
        fiscal_year=data["fiscal_year"],
        entry_count=len(data["entries"]),
        site_count=data["site_count"],
    )


def _plain(value: Any) -> Any:
    """Tuples as lists, recursively (the entry dataclasses hold tuples)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def published_entries() -> list[dict[str, Any]]:
    """The entries of the published action plan, in the plan's order; [] when none is published.

    Read from the published snapshot only (never a draft). Each entry is a plain dict with
    programme_code, programme_name, summary, department, implementer, start_fy, end_fy,
    total_cost (千円), costs ([[fiscal_year, amount], ...]), grant, bond, kpi, measure_code,
    measure_title, notes, scenario_codes, field_names, field_codes and sites (each: name, id,
    district, address, kind, lon, lat, geometry_json).
    """
    publication = selectors.publication_get("action_plan", "current")
    if publication is None:
        return []
    return [_plain(asdict(entry_from_dict(e))) for e in publication.data.get("entries", [])]
