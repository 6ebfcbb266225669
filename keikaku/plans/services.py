"""Every write to the plan structure goes through these functions (audited, versioned)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from keikaku.core.services import (
    audit_record,
    audited_create,
    audited_delete,
    content_version_bump,
    versioned_save,
)
from keikaku.plans.models import (
    Edition,
    Indicator,
    Measure,
    Municipality,
    PolicyArea,
    PriorityStrategy,
    PublishedPage,
)


def _shown_on_every_page(obj: Any) -> None:
    """The municipality is read live by every page (the header, the demo notice), not from a
    published snapshot: a change to it bumps the public content version, so that cached pages
    and the memoised municipality (context_processors.site) are renewed at once."""
    if isinstance(obj, Municipality):
        content_version_bump()


def plan_object_create(*, obj: Any, actor: Any, m2m: dict[str, list[Any]] | None = None) -> Any:
    """Create any plan-structure object (area, measure, initiative, indicator, …)."""
    created = audited_create(obj=obj, actor=actor, m2m=m2m)
    _shown_on_every_page(created)
    return created


def plan_object_update(
    *,
    obj: Any,
    actor: Any,
    expected_version: int | None,
    changes: dict[str, Any],
    m2m: dict[str, list[Any]] | None = None,
) -> Any:
    """Update with optimistic concurrency: a stale `expected_version` raises StaleEditError."""
    saved = versioned_save(
        obj=obj, actor=actor, expected_version=expected_version, changes=changes, m2m=m2m
    )
    _shown_on_every_page(saved)
    return saved


def plan_object_delete(*, obj: Any, actor: Any) -> None:
    audited_delete(obj=obj, actor=actor)
    _shown_on_every_page(obj)


# --- publication ------------------------------------------------------------------------------


def _indicator_data(ind: Indicator) -> dict[str, Any]:
    return {
        "id": ind.pk,
        "code": ind.code,
        "name": ind.name,
        "name_en": ind.name_en,
        "unit": ind.unit,
        "direction": ind.direction,
        "direction_label": str(ind.get_direction_display()),
        "baseline_value": ind.baseline_value,
        "baseline_fy": ind.baseline_fy,
        "baseline_as_of": ind.baseline_as_of.isoformat() if ind.baseline_as_of else None,
        "target_value": ind.target_value,
        "target_fy": ind.target_fy,
        "cumulative": ind.cumulative,
        "survey_based": ind.survey_based,
        "description": ind.description,
        "source": ind.source,
        "values": [
            {
                "fiscal_year": v.fiscal_year,
                "value": v.value,
                "as_of": v.as_of.isoformat() if v.as_of else None,
                "note": v.note,
            }
            for v in ind.values.all()
        ],
    }


def measure_page_data(measure: Measure) -> dict[str, Any]:
    area = measure.area
    return {
        "id": measure.pk,
        "code": measure.code,
        "title": measure.title,
        "title_en": measure.title_en,
        "plain_summary": measure.plain_summary,
        "target_state": measure.target_state,
        "current_issues": measure.current_issues,
        "role_citizens": measure.role_citizens,
        "role_businesses": measure.role_businesses,
        "role_city": measure.role_city,
        "departments": [d.name for d in measure.departments.all()],
        "sdgs": list(measure.sdgs or []),
        "related_plans": [p for p in measure.related_plans.splitlines() if p.strip()],
        "area": {"number": area.number, "title": area.title, "title_en": area.title_en},
        "strategies": [{"number": s.number, "title": s.title} for s in measure.strategies.all()],
        "initiatives": [
            {
                "title": i.title,
                "description": i.description,
                "section": i.responsible_section.name if i.responsible_section else "",
            }
            for i in measure.initiatives.all()
        ],
        "indicators": [_indicator_data(i) for i in measure.indicators.all()],
        "version": measure.version,
    }


def _measure_summary(m: Measure) -> dict[str, Any]:
    return {
        "code": m.code,
        "title": m.title,
        "title_en": m.title_en,
        "plain_summary": m.plain_summary,
    }


def area_page_data(area: PolicyArea) -> dict[str, Any]:
    return {
        "number": area.number,
        "title": area.title,
        "title_en": area.title_en,
        "description": area.description,
        "measures": [_measure_summary(m) for m in area.measures.all()],
    }


def strategy_page_data(strategy: PriorityStrategy) -> dict[str, Any]:
    return {
        "number": strategy.number,
        "title": strategy.title,
        "title_en": strategy.title_en,
        "description": strategy.description,
        "basic_goal": strategy.basic_goal,
        "measures": [
            {**_measure_summary(m), "area_number": m.area.number}
            for m in strategy.measures.select_related("area").all()
        ],
        "indicators": [_indicator_data(i) for i in strategy.indicators.all()],
    }


def edition_page_data(edition: Edition) -> dict[str, Any]:
    plan = edition.plan
    concept = getattr(plan, "basic_concept", None)
    return {
        "title": edition.title,
        "title_en": edition.title_en,
        "kind": edition.kind,
        "start_fy": edition.start_fy,
        "end_fy": edition.end_fy,
        "introduction": edition.introduction,
        "plan_title": plan.title,
        "plan_title_en": plan.title_en,
        "plan_start_fy": plan.start_fy,
        "plan_end_fy": plan.end_fy,
        "vision": concept.vision if concept else "",
        "vision_en": concept.vision_en if concept else "",
        "concept_description": concept.description if concept else "",
        "areas": [
            {
                "number": a.number,
                "title": a.title,
                "title_en": a.title_en,
                "description": a.description,
                "measure_count": a.measures.count(),
            }
            for a in edition.areas.all()
        ],
        "strategies": [
            {
                "number": s.number,
                "title": s.title,
                "title_en": s.title_en,
                "description": s.description,
            }
            for s in edition.strategies.all()
        ],
    }


def _put_page(edition: Edition, kind: str, key: str, data: dict[str, Any], by: str) -> None:
    PublishedPage.objects.update_or_create(
        edition=edition,
        kind=kind,
        key=key,
        defaults={"data": data, "published_at": timezone.now(), "published_by": by},
    )


def _actor_name(actor: Any) -> str:
    if getattr(actor, "is_authenticated", False):
        return str(actor.get_full_name() or actor.get_username())
    return str(actor or "")


@transaction.atomic
def edition_publish(*, edition: Edition, actor: Any) -> int:
    """Publish the whole edition: every area, measure and strategy as it stands now.

    Pages of objects that no longer exist are withdrawn. Returns the number of pages.
    """
    by = _actor_name(actor)
    keep: set[tuple[str, str]] = set()
    _put_page(edition, "edition", "home", edition_page_data(edition), by)
    keep.add(("edition", "home"))
    areas = edition.areas.prefetch_related("measures")
    for area in areas:
        _put_page(edition, "area", str(area.number), area_page_data(area), by)
        keep.add(("area", str(area.number)))
    measures = (
        Measure.objects.filter(area__edition=edition)
        .select_related("area")
        .prefetch_related(
            "departments",
            "strategies",
            "initiatives__responsible_section",
            "indicators__values",
        )
    )
    for measure in measures:
        _put_page(edition, "measure", measure.code, measure_page_data(measure), by)
        keep.add(("measure", measure.code))
    for strategy in edition.strategies.prefetch_related("indicators__values"):
        _put_page(edition, "strategy", str(strategy.number), strategy_page_data(strategy), by)
        keep.add(("strategy", str(strategy.number)))
    for page in PublishedPage.objects.filter(edition=edition):
        if (page.kind, page.key) not in keep:
            page.delete()
    before_public = edition.is_public
    Edition.objects.filter(pk=edition.pk).update(is_public=True, published_at=timezone.now())
    edition.refresh_from_db()
    audit_record(
        actor=actor,
        action="publish",
        obj=edition,
        before={"is_public": before_public},
        after={"is_public": True, "pages": len(keep)},
    )
    content_version_bump()
    return len(keep)


@transaction.atomic
def measure_publish(*, measure: Measure, actor: Any) -> None:
    """Publish one measure page (and refresh its area's list)."""
    by = _actor_name(actor)
    edition = measure.area.edition
    _put_page(edition, "measure", measure.code, measure_page_data(measure), by)
    _put_page(edition, "area", str(measure.area.number), area_page_data(measure.area), by)
    _refresh_measure_in_strategy_pages(edition, measure)
    audit_record(
        actor=actor, action="publish", obj=measure, before=None, after={"version": measure.version}
    )
    content_version_bump()


def _refresh_measure_in_strategy_pages(edition: Edition, measure: Measure) -> None:
    """A published strategy page lists its measures: give it this measure's published title and
    summary, leaving the rest of the strategy's snapshot (its own unpublished edits) alone."""
    summary = {**_measure_summary(measure), "area_number": measure.area.number}
    pages = PublishedPage.objects.filter(edition=edition, kind="strategy")
    for page in pages.select_for_update():
        listed = page.data.get("measures", [])
        if not any(m.get("code") == measure.code for m in listed):
            continue
        page.data = {
            **page.data,
            "measures": [summary if m.get("code") == measure.code else m for m in listed],
        }
        page.save(update_fields=["data"])


@transaction.atomic
def edition_unpublish(*, edition: Edition, actor: Any) -> None:
    Edition.objects.filter(pk=edition.pk).update(is_public=False)
    audit_record(
        actor=actor,
        action="unpublish",
        obj=edition,
        before={"is_public": True},
        after={"is_public": False},
    )
    content_version_bump()
