"""Every write of the resilience app (audited; imports all-or-nothing)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keikaku.core.services import (
    audit_record,
    audited_create,
    audited_delete,
    content_version_bump,
    versioned_save,
)
from keikaku.plans.models import ProgrammeCost
from keikaku.resilience.domain.catalogue import (
    Catalogue,
    CatalogueError,
    parse_catalogue_csv,
)
from keikaku.resilience.domain.frameworks import FrameworkError, parse_frameworks_csv
from keikaku.resilience.domain.sheet import ProblemsError
from keikaku.resilience.models import (
    ActionPlan,
    ActionPlanEntry,
    CatalogueVersion,
    EntryCost,
    Framework,
    FrameworkPillar,
    FrameworkTag,
    PolicyField,
    RegionalScenario,
    ResilienceGoal,
    ResiliencePublication,
    RiskScenario,
    Site,
)

DATA_DIR = Path(__file__).resolve().parent / "data"


class ResilienceError(ProblemsError):
    """Nothing was written; ``problems`` says what to fix."""


@dataclass(frozen=True)
class BuiltinCatalogue:
    code: str
    title: str
    filename: str
    basic_plan_date: dt.date
    is_complete: bool
    note: str


BUILTIN_CATALOGUES = (
    BuiltinCatalogue(
        code="2018",
        title="国土強靱化基本計画（平成30年12月）",
        filename="resilience_catalogue_2018.csv",
        basic_plan_date=dt.date(2018, 12, 14),
        is_complete=True,
        note=(
            "8つの目標と45の「起きてはならない最悪の事態」、12の個別施策分野と5つの横断的分野。"
            "文言は公表された計画と照合していません（すべて「文言未確認」）。"
        ),
    ),
    BuiltinCatalogue(
        code="2023",
        title="国土強靱化基本計画（令和5年7月）",
        filename="resilience_catalogue_2023.csv",
        basic_plan_date=dt.date(2023, 7, 28),
        is_complete=False,
        note=(
            "2023年の見直しでの目標と施策分野、および確かめられた範囲の事態のみ（一部）。"
            "事態の一覧は公表された計画から取り込んでください。文言はすべて「文言未確認」です。"
        ),
    ),
)


# --- catalogue -----------------------------------------------------------------------------


@transaction.atomic
def catalogue_import(
    *,
    data: bytes,
    source: str,
    code: str,
    title: str,
    actor: Any,
    basic_plan_date: dt.date | None = None,
    source_note: str = "",
    note: str = "",
    is_builtin: bool = False,
    is_complete: bool = True,
    replace: bool = False,
) -> CatalogueVersion:
    """Import a catalogue CSV as version ``code``; with ``replace`` an existing version is
    updated in place (rows matched by their code, so links from the regional plan stay).

    All-or-nothing: a faulty file, or a replacement that drops rows still in use, writes
    nothing and raises :class:`ResilienceError` listing every problem.
    """
    try:
        catalogue = parse_catalogue_csv(data, source=source)
    except CatalogueError as exc:
        raise ResilienceError(exc.problems) from None
    if not code.strip() or not title.strip():
        raise ResilienceError([_("版のコードと名称を指定してください。")])
    version = CatalogueVersion.objects.filter(code=code).first()
    if version is not None and not replace:
        raise ResilienceError(
            [
                _(
                    "版「%(code)s」は既にあります。置き換えるときは --replace を付けてください"
                    "（画面では「置き換える」を選んでください）。"
                )
                % {"code": code}
            ]
        )
    fields = {
        "title": title,
        "basic_plan_date": basic_plan_date,
        "source": source_note,
        "is_builtin": is_builtin,
        "is_complete": is_complete,
        "note": note,
    }
    if version is None:
        version = audited_create(obj=CatalogueVersion(code=code, **fields), actor=actor)  # type: ignore[assignment]
        assert isinstance(version, CatalogueVersion)
        before_counts = None
    else:
        _check_replacement(version, catalogue)
        before_counts = _counts(version)
        versioned_save(
            obj=version, actor=actor, expected_version=None, changes=fields, action="replace"
        )
    _write_catalogue(version, catalogue)
    audit_record(
        actor=actor,
        action="import",
        obj=version,
        before=before_counts,
        after={**_counts(version), "source": source, "unverified": catalogue.unverified_count},
    )
    content_version_bump()
    return version


def _counts(version: CatalogueVersion) -> dict[str, int]:
    return {
        "goals": version.goals.count(),
        "scenarios": version.scenarios.count(),
        "fields": version.policy_fields.count(),
    }


def _check_replacement(version: CatalogueVersion, catalogue: Catalogue) -> None:
    new_scenarios = {s.code for s in catalogue.scenarios}
    new_fields = {f.code for f in catalogue.fields}
    problems = []
    used = (
        RegionalScenario.objects.filter(scenario__version=version)
        .exclude(scenario__code__in=new_scenarios)
        .select_related("scenario")
    )
    for regional in used:
        problems.append(
            _(
                "事態「%(code)s」は地域計画で使われているため、一覧から外せません。"
                "ファイルに残すか、先に地域計画から外してください。"
            )
            % {"code": regional.scenario.code}
        )
    used_fields = (
        PolicyField.objects.filter(version=version, entries__isnull=False)
        .exclude(code__in=new_fields)
        .distinct()
    )
    for field in used_fields:
        problems.append(
            _("施策分野「%(code)s」はアクションプランで使われているため、一覧から外せません。")
            % {"code": field.code}
        )
    if problems:
        raise ResilienceError(problems)


def _write_catalogue(version: CatalogueVersion, catalogue: Catalogue) -> None:
    goals: dict[int, ResilienceGoal] = {}
    for g in catalogue.goals:
        goal, _c = ResilienceGoal.objects.update_or_create(
            version=version,
            number=g.number,
            defaults={"text": g.text, "verified": g.verified, "note": g.note},
        )
        goals[g.number] = goal
    for s in catalogue.scenarios:
        RiskScenario.objects.update_or_create(
            version=version,
            code=s.code,
            defaults={
                "goal": goals[s.goal_number],
                "text": s.text,
                "verified": s.verified,
                "note": s.note,
                "order": s.order,
            },
        )
    for f in catalogue.fields:
        PolicyField.objects.update_or_create(
            version=version,
            code=f.code,
            defaults={
                "name": f.name,
                "kind": f.kind,
                "verified": f.verified,
                "note": f.note,
                "order": f.order,
            },
        )
    RiskScenario.objects.filter(version=version).exclude(
        code__in=[s.code for s in catalogue.scenarios]
    ).delete()
    PolicyField.objects.filter(version=version).exclude(
        code__in=[f.code for f in catalogue.fields]
    ).delete()
    ResilienceGoal.objects.filter(version=version).exclude(number__in=list(goals)).delete()


def catalogue_load_builtin(*, actor: Any, replace: bool = False) -> list[CatalogueVersion]:
    """Load the catalogues shipped with Keikaku (2018, 2023) that are not loaded yet."""
    loaded = []
    for spec in BUILTIN_CATALOGUES:
        exists = CatalogueVersion.objects.filter(code=spec.code).exists()
        if exists and not replace:
            continue
        path = DATA_DIR / spec.filename
        loaded.append(
            catalogue_import(
                data=path.read_bytes(),
                source=spec.filename,
                code=spec.code,
                title=spec.title,
                basic_plan_date=spec.basic_plan_date,
                source_note=_("Keikaku 同梱のデータ（%(file)s）") % {"file": spec.filename},
                note=spec.note,
                is_builtin=True,
                is_complete=spec.is_complete,
                replace=exists,
                actor=actor,
            )
        )
    return loaded


# --- frameworks -----------------------------------------------------------------------------


@transaction.atomic
def frameworks_import(*, data: bytes, source: str, actor: Any) -> list[Framework]:
    """Add or update frameworks and their pillars (matched by code). A pillar that is no
    longer in the file is removed unless tags use it (then nothing is written)."""
    try:
        specs = parse_frameworks_csv(data, source=source)
    except FrameworkError as exc:
        raise ResilienceError(exc.problems) from None
    problems = []
    for spec in specs:
        keep = [p.code for p in spec.pillars]
        used = FrameworkPillar.objects.filter(
            framework__code=spec.code, tags__isnull=False
        ).exclude(code__in=keep)
        for pillar in used.distinct():
            problems.append(
                _("「%(fw)s」の柱「%(code)s」は重点戦略などに対応付けられているため、外せません。")
                % {"fw": spec.name, "code": pillar.code}
            )
    if problems:
        raise ResilienceError(problems)
    out = []
    base_order = Framework.objects.count()
    for i, spec in enumerate(specs, start=1):
        framework, created = Framework.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "adopted_on": spec.adopted_on,
                "start_fy": spec.start_fy,
                "end_fy": spec.end_fy,
            },
        )
        if created:
            Framework.objects.filter(pk=framework.pk).update(order=base_order + i)
        for p in spec.pillars:
            FrameworkPillar.objects.update_or_create(
                framework=framework,
                code=p.code,
                defaults={
                    "title": p.title,
                    "verified": p.verified,
                    "note": p.note,
                    "order": p.order,
                },
            )
        framework.pillars.exclude(code__in=[p.code for p in spec.pillars]).delete()
        audit_record(
            actor=actor,
            action="import",
            obj=framework,
            before=None,
            after={"source": source, "pillars": len(spec.pillars)},
        )
        out.append(framework)
    content_version_bump(scope="staff")
    return out


def frameworks_load_builtin(*, actor: Any) -> list[Framework]:
    path = DATA_DIR / "frameworks.csv"
    return frameworks_import(data=path.read_bytes(), source=path.name, actor=actor)


def framework_tag_create(*, pillar: FrameworkPillar, actor: Any, **target: Any) -> FrameworkTag:
    tag = FrameworkTag(pillar=pillar, **target)
    obj = audited_create(obj=tag, actor=actor)
    assert isinstance(obj, FrameworkTag)
    return obj


def framework_tag_delete(*, tag: FrameworkTag, actor: Any) -> None:
    audited_delete(obj=tag, actor=actor)


# --- regional plan, action plan, sites -------------------------------------------------------


def object_create(*, obj: Any, actor: Any, m2m: dict[str, list[Any]] | None = None) -> Any:
    """Create a regional plan, scenario, KPI, action plan or sectoral plan (audited)."""
    return audited_create(obj=obj, actor=actor, m2m=m2m)


def object_update(
    *,
    obj: Any,
    actor: Any,
    expected_version: int | None,
    changes: dict[str, Any],
    m2m: dict[str, list[Any]] | None = None,
) -> Any:
    return versioned_save(
        obj=obj, actor=actor, expected_version=expected_version, changes=changes, m2m=m2m
    )


def object_delete(*, obj: Any, actor: Any) -> None:
    audited_delete(obj=obj, actor=actor)


def _plan_costs(entry: ActionPlanEntry) -> dict[int, int | None]:
    rows = ProgrammeCost.objects.filter(programme_id=entry.programme_id, is_plan=True)
    return {row.fiscal_year: row.total for row in rows}


@transaction.atomic
def entry_costs_sync(*, entry: ActionPlanEntry, actor: Any) -> int:
    """Take the yearly costs of the programme from the implementation plan (planned
    amounts); the total becomes their sum when it was empty. Returns the years written."""
    costs = _plan_costs(entry)
    before = {c.fiscal_year: c.amount for c in entry.costs.all()}
    for fy, amount in costs.items():
        EntryCost.objects.update_or_create(entry=entry, fiscal_year=fy, defaults={"amount": amount})
    if entry.total_cost is None and costs:
        ActionPlanEntry.objects.filter(pk=entry.pk).update(
            total_cost=sum(a for a in costs.values() if a is not None)
        )
    after = {c.fiscal_year: c.amount for c in entry.costs.all()}
    if before != after:
        audit_record(
            actor=actor,
            action="sync_costs",
            obj=entry,
            before={str(k): v for k, v in before.items()},
            after={str(k): v for k, v in after.items()},
        )
    return len(costs)


@transaction.atomic
def entry_create(
    *,
    action_plan: ActionPlan,
    actor: Any,
    scenarios: Sequence[RegionalScenario] = (),
    policy_fields: Sequence[PolicyField] = (),
    sync_costs: bool = True,
    **values: Any,
) -> ActionPlanEntry:
    entry = ActionPlanEntry(action_plan=action_plan, **values)
    if not entry.summary and entry.programme_id:
        entry.summary = entry.programme.description
    obj = audited_create(
        obj=entry,
        actor=actor,
        m2m={"scenarios": list(scenarios), "policy_fields": list(policy_fields)},
    )
    assert isinstance(obj, ActionPlanEntry)
    if sync_costs:
        entry_costs_sync(entry=obj, actor=actor)
        obj.refresh_from_db()
    return obj


def site_create(*, entry: ActionPlanEntry, actor: Any, **values: Any) -> Site:
    """Add a site; its location is validated (Japan, the city's bounding box, GeoJSON)."""
    site = Site(entry=entry, **values)
    if not values.get("order"):
        last = entry.sites.order_by("-order").first()
        site.order = (last.order + 1) if last else 1
    obj = audited_create(obj=site, actor=actor)
    assert isinstance(obj, Site)
    return obj


def _copied_values(obj: models.Model, parent: str) -> dict[str, Any]:
    """Every stored value of ``obj`` for a copy under another ``parent`` (the link the copy
    makes anew): all but the key, the parent link and the edit stamp (version, updated_*)."""
    skip = {"id", parent, "version", "updated_at", "updated_by"}
    return {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in skip
    }


@transaction.atomic
def action_plan_copy_to_next_year(
    *, action_plan: ActionPlan, actor: Any, title: str = ""
) -> ActionPlan:
    """The yearly update: copy the plan to the next fiscal year (entries, scenarios, fields,
    sites), with the yearly costs taken afresh from the implementation plan where it has
    them. The budget changes are then shown by comparing the two editions."""
    fy = action_plan.fiscal_year + 1
    regional = action_plan.regional_plan
    if ActionPlan.objects.filter(regional_plan=regional, fiscal_year=fy).exists():
        raise ResilienceError(
            [
                _("%(fy)s年度のアクションプランは既にあります。そちらを編集してください。")
                % {"fy": fy}
            ]
        )
    new = ActionPlan(
        regional_plan=regional,
        fiscal_year=fy,
        title=title
        or _("%(plan)s アクションプラン（%(fy)s年度）") % {"plan": regional.title, "fy": fy},
        previous=action_plan,
        note=action_plan.note,
    )
    created = audited_create(obj=new, actor=actor)
    assert isinstance(created, ActionPlan)
    entries = action_plan.entries.prefetch_related("scenarios", "policy_fields", "sites", "costs")
    copied = 0
    for entry in entries:
        clone = ActionPlanEntry.objects.create(
            action_plan=created, **_copied_values(entry, "action_plan")
        )
        clone.scenarios.set(entry.scenarios.all())
        clone.policy_fields.set(entry.policy_fields.all())
        Site.objects.bulk_create(
            [Site(entry=clone, **_copied_values(s, "entry")) for s in entry.sites.all()]
        )
        costs = {c.fiscal_year: c.amount for c in entry.costs.all()}
        costs.update(_plan_costs(entry))
        EntryCost.objects.bulk_create(
            [EntryCost(entry=clone, fiscal_year=k, amount=v) for k, v in sorted(costs.items())]
        )
        copied += 1
    audit_record(
        actor=actor,
        action="copy",
        obj=created,
        before={"from": action_plan.pk, "fiscal_year": action_plan.fiscal_year},
        after={"fiscal_year": fy, "entries": copied},
    )
    return created


def _actor_name(actor: Any) -> str:
    if getattr(actor, "is_authenticated", False):
        return str(actor.get_full_name() or actor.get_username())
    return str(actor or "")


def _put(kind: str, key: str, data: dict[str, Any], actor: Any) -> ResiliencePublication:
    publication, _c = ResiliencePublication.objects.update_or_create(
        kind=kind,
        key=key,
        defaults={"data": data, "published_at": timezone.now(), "published_by": _actor_name(actor)},
    )
    return publication


@transaction.atomic
def action_plan_publish(*, action_plan: ActionPlan, actor: Any) -> ResiliencePublication:
    """Publish the action plan and its sites: the public map and GeoJSON read this snapshot."""
    from keikaku.resilience import selectors

    data = selectors.action_plan_snapshot(action_plan)
    publication = _put("action_plan", "current", data, actor)
    ActionPlan.objects.filter(pk=action_plan.pk).update(published_at=publication.published_at)
    audit_record(
        actor=actor,
        action="publish",
        obj=action_plan,
        before=None,
        after={"entries": len(data["entries"]), "sites": data["site_count"]},
    )
    content_version_bump()
    return publication


@transaction.atomic
def action_plan_unpublish(*, actor: Any) -> None:
    publication = ResiliencePublication.objects.filter(kind="action_plan", key="current").first()
    if publication is None:
        return
    plan = ActionPlan.objects.filter(pk=publication.data.get("id")).first()
    publication.delete()
    if plan is not None:
        ActionPlan.objects.filter(pk=plan.pk).update(published_at=None)
        audit_record(actor=actor, action="unpublish", obj=plan, before=None, after=None)
    content_version_bump()


@transaction.atomic
def sectoral_plans_publish(*, actor: Any) -> ResiliencePublication:
    """Publish the registry of sectoral plans (the public list and the policy-area pages)."""
    from keikaku.resilience import selectors

    data = selectors.sectoral_snapshot()
    publication = _put("sectoral_plans", "all", data, actor)
    audit_record(
        actor=actor,
        action="publish",
        obj=publication,
        before=None,
        after={"plans": len(data["plans"])},
        note=_("個別計画の一覧を公開"),
    )
    content_version_bump()
    return publication
