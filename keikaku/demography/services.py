"""Every write of the population vision goes through these functions (audited).

Imports are all-or-nothing: a file is read and checked completely before anything is
written, and :class:`PopulationError` carries every problem found (file, sheet, row,
column, in Japanese). Publishing the outlook copies it into ``PopulationOutlook.published``
and bumps the public content version (public pages are cached on it).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keikaku.core.services import (
    audit_record,
    audited_create,
    audited_delete,
    content_version_bump,
    model_snapshot,
    versioned_save,
)
from keikaku.demography import selectors
from keikaku.demography.domain.agegroups import SEXES
from keikaku.demography.domain.layouts import LONG, detect_census_layout, read_census_wide
from keikaku.demography.domain.projection import Convention, ProjectionError
from keikaku.demography.domain.snapshot import input_snapshot, project_snapshot
from keikaku.demography.domain.tables import (
    BaseTable,
    BirthTable,
    InputError,
    RateTable,
    read_base,
    read_births,
    read_rates,
)
from keikaku.demography.domain.version import engine_version
from keikaku.demography.files import read_upload
from keikaku.demography.models import (
    AssumptionRate,
    AssumptionSet,
    BirthAssumption,
    CensusCell,
    CensusDataset,
    PopulationOutlook,
    ProjectionRun,
    Scenario,
    ScenarioResult,
)


class PopulationError(Exception):
    """Nothing was written; ``messages`` says why (Japanese, located)."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = tuple(messages)
        super().__init__("\n".join(self.messages))


def _validation_messages(obj: Any, exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    out = []
    for name, errors in exc.error_dict.items():
        try:
            label = str(obj._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - a non-field error
            label = ""
        for error in errors:
            for message in error.messages:
                out.append(f"{label}: {message}" if label else message)
    return out


def _check(obj: Any, *, exclude: Sequence[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise PopulationError(_validation_messages(obj, exc)) from None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- census --------------------------------------------------------------------------------


def read_census_file(
    *, data: bytes, filename: str, year: int | None = None, top_age: int = 90
) -> BaseTable:
    """Read a census upload in either layout (see docs/formats/population.md)."""
    try:
        upload = read_upload(data, filename)
        if detect_census_layout(upload.rows) == LONG:
            table = read_base(upload.csv_bytes, source=upload.source)
            if year is not None and table.year != year:
                raise InputError(
                    [
                        _(
                            "%(source)s: ファイルの年 %(year)d年 と画面で入力した年 %(given)d年 が違います。どちらかに合わせてください。"
                        )
                        % {"source": upload.source, "year": table.year, "given": year}
                    ]
                )
            return table
        return read_census_wide(upload.rows, source=upload.source, year=year, top_age=top_age)
    except InputError as exc:
        raise PopulationError(exc.messages) from None


@transaction.atomic
def census_dataset_import(
    *,
    data: bytes,
    filename: str,
    actor: Any,
    municipality_code: str,
    municipality_name: str,
    source: str,
    year: int | None = None,
    top_age: int = 90,
    is_illustrative: bool = False,
    notes: str = "",
    replace: bool = False,
) -> CensusDataset:
    """Import a base population; with ``replace`` an existing year is overwritten (audited)."""
    table = read_census_file(data=data, filename=filename, year=year, top_age=top_age)
    existing = CensusDataset.objects.filter(
        municipality_code=municipality_code, year=table.year
    ).first()
    if existing is not None and not replace:
        raise PopulationError(
            [
                _(
                    "%(year)d年 の基準人口（%(name)s）はすでにあります。置き換える場合は「同じ年のデータを置き換える」を選んでください。"
                )
                % {"year": table.year, "name": existing.municipality_name}
            ]
        )
    fields = {
        "municipality_code": municipality_code,
        "municipality_name": municipality_name,
        "year": table.year,
        "top_age": table.age_groups.top_age,
        "source": source,
        "is_illustrative": is_illustrative,
        "notes": notes,
        "source_file": filename[:255],
    }
    dataset = existing or CensusDataset()
    before = None
    if existing is not None:
        before = {**model_snapshot(existing), "total": selectors.census_total(existing)}
    for name, value in fields.items():
        setattr(dataset, name, value)
    if getattr(actor, "is_authenticated", False):
        dataset.updated_by = actor
    _check(dataset)
    if existing is not None:
        dataset.version += 1
        dataset.cells.all().delete()
    dataset.save()
    labels = table.age_groups.labels
    CensusCell.objects.bulk_create(
        CensusCell(
            dataset=dataset,
            sex=sex_name,
            age_index=g,
            age_group=labels[g],
            population=float(table.population[sex, g]),
        )
        for sex, sex_name in enumerate(SEXES)
        for g in range(table.age_groups.size)
    )
    after = {
        **model_snapshot(dataset),
        "total": float(table.population.sum()),
        "rows": 2 * table.age_groups.size,
        "sha256": _digest(data),
    }
    audit_record(
        actor=actor,
        action="replace" if existing else "import",
        obj=dataset,
        before=before,
        after=after,
        note=filename,
    )
    return dataset


# --- assumptions ---------------------------------------------------------------------------


def read_assumption_files(
    *,
    rates_data: bytes,
    rates_filename: str,
    births_data: bytes,
    births_filename: str,
    convention: Convention,
) -> tuple[RateTable, BirthTable]:
    messages: list[str] = []
    rates: RateTable | None = None
    births: BirthTable | None = None
    try:
        upload = read_upload(rates_data, rates_filename)
        rates = read_rates(upload.csv_bytes, source=upload.source, convention=convention)
    except InputError as exc:
        messages += exc.messages
    try:
        upload = read_upload(births_data, births_filename)
        births = read_births(upload.csv_bytes, source=upload.source)
    except InputError as exc:
        messages += exc.messages
    if messages or rates is None or births is None:
        raise PopulationError(messages)
    return rates, births


@transaction.atomic
def assumption_set_import(
    *,
    rates_data: bytes,
    rates_filename: str,
    births_data: bytes,
    births_filename: str,
    actor: Any,
    name: str,
    source: str,
    convention: str = Convention.IPSS.value,
    notes: str = "",
    is_illustrative: bool = False,
    replace: bool = False,
) -> AssumptionSet:
    """Import survival/net-migration rates and CWR/sex ratio as one named assumption set."""
    rates, births = read_assumption_files(
        rates_data=rates_data,
        rates_filename=rates_filename,
        births_data=births_data,
        births_filename=births_filename,
        convention=Convention(convention),
    )
    existing = AssumptionSet.objects.filter(name=name).first()
    if existing is not None and not replace:
        raise PopulationError(
            [
                _(
                    "仮定値「%(name)s」はすでにあります。別の名称にするか、「同じ名称のデータを置き換える」を選んでください。"
                )
                % {"name": name}
            ]
        )
    assumptions = existing or AssumptionSet()
    before = model_snapshot(existing) if existing is not None else None
    for field, value in {
        "name": name,
        "source": source,
        "convention": convention,
        "notes": notes,
        "is_illustrative": is_illustrative,
        "top_age": rates.age_groups.top_age,
        "rates_file": rates_filename[:255],
        "births_file": births_filename[:255],
    }.items():
        setattr(assumptions, field, value)
    if getattr(actor, "is_authenticated", False):
        assumptions.updated_by = actor
    _check(assumptions)
    if existing is not None:
        assumptions.version += 1
        assumptions.rates.all().delete()
        assumptions.births.all().delete()
    assumptions.save()
    labels = rates.age_groups.labels
    AssumptionRate.objects.bulk_create(
        AssumptionRate(
            assumption_set=assumptions,
            period_start=period,
            sex=sex_name,
            age_index=g,
            age_group=labels[g],
            survival_rate=float(rates.survival[p, sex, g]),
            net_migration_rate=float(rates.net_migration[p, sex, g]),
        )
        for p, period in enumerate(rates.period_starts)
        for sex, sex_name in enumerate(SEXES)
        for g in range(rates.age_groups.size)
    )
    BirthAssumption.objects.bulk_create(
        BirthAssumption(
            assumption_set=assumptions,
            year=year,
            child_woman_ratio=float(births.child_woman_ratio[i]),
            sex_ratio_at_birth=float(births.sex_ratio_at_birth[i]),
        )
        for i, year in enumerate(births.years)
    )
    audit_record(
        actor=actor,
        action="replace" if existing else "import",
        obj=assumptions,
        before=before,
        after={
            **model_snapshot(assumptions),
            "periods": list(rates.period_starts),
            "birth_years": list(births.years),
            "rates_sha256": _digest(rates_data),
            "births_sha256": _digest(births_data),
        },
        note=f"{rates_filename} / {births_filename}",
    )
    return assumptions


# --- scenarios -----------------------------------------------------------------------------


def scenario_create(*, actor: Any, **fields: Any) -> Scenario:
    scenario = Scenario(**fields)
    try:
        return audited_create(obj=scenario, actor=actor)  # type: ignore[return-value]
    except ValidationError as exc:
        raise PopulationError(_validation_messages(scenario, exc)) from None


def scenario_update(
    *, scenario: Scenario, actor: Any, expected_version: int | None, changes: dict[str, Any]
) -> Scenario:
    """Optimistic concurrency: a stale ``expected_version`` raises StaleEditError."""
    try:
        return versioned_save(  # type: ignore[return-value]
            obj=scenario, actor=actor, expected_version=expected_version, changes=changes
        )
    except ValidationError as exc:
        scenario.refresh_from_db()
        raise PopulationError(_validation_messages(scenario, exc)) from None


def scenario_delete(*, scenario: Scenario, actor: Any) -> None:
    """Stored runs keep a copy of the scenario, so deleting it changes no result."""
    audited_delete(obj=scenario, actor=actor)


# --- projection runs -----------------------------------------------------------------------


@transaction.atomic
def projection_run_create(
    *,
    base_dataset: CensusDataset,
    assumption_set: AssumptionSet,
    scenarios: Sequence[Scenario],
    until: int,
    actor: Any,
    name: str = "",
) -> ProjectionRun:
    """Project every scenario from the dataset with the assumptions; store inputs and outputs."""
    if not scenarios:
        raise PopulationError([_("シナリオを 1 つ以上選んでください。")])
    if base_dataset.top_age != assumption_set.top_age:
        raise PopulationError(
            [
                _(
                    "基準人口「%(base)s」の年齢区分（最上位 %(base_top)d歳以上）と仮定値「%(set)s」の年齢区分（最上位 %(set_top)d歳以上）が違います。同じ年齢区分のデータを選んでください。"
                )
                % {
                    "base": base_dataset,
                    "base_top": base_dataset.top_age,
                    "set": assumption_set,
                    "set_top": assumption_set.top_age,
                }
            ]
        )
    base = selectors.census_table(base_dataset)
    rates, births = selectors.assumption_tables(assumption_set)
    convention = Convention(assumption_set.convention)
    domain_scenarios = [s.to_domain() for s in scenarios]
    illustrative = base_dataset.is_illustrative or assumption_set.is_illustrative
    snapshot = input_snapshot(
        base=base,
        rates=rates,
        births=births,
        scenarios=domain_scenarios,
        until=until,
        convention=convention,
        extra={
            "municipality": {
                "code": base_dataset.municipality_code,
                "name": base_dataset.municipality_name,
            },
            "sources": {
                "base": base_dataset.source,
                "base_dataset_id": base_dataset.pk,
                "assumptions": assumption_set.name,
                "assumptions_source": assumption_set.source,
                "assumption_set_id": assumption_set.pk,
            },
            "is_illustrative": illustrative,
        },
    )
    try:
        result = project_snapshot(snapshot)
    except (InputError, ProjectionError) as exc:
        raise PopulationError(exc.messages) from None
    user = actor if getattr(actor, "is_authenticated", False) else None
    run = ProjectionRun.objects.create(
        name=name,
        municipality_code=base_dataset.municipality_code,
        municipality_name=base_dataset.municipality_name,
        base_dataset=base_dataset,
        assumption_set=assumption_set,
        base_year=base.year,
        until=until,
        convention=convention.value,
        top_age=base.age_groups.top_age,
        is_illustrative=illustrative,
        engine_version=engine_version(),
        inputs=snapshot,
        created_by=user,
        created_by_name=(user.get_full_name() or user.get_username()) if user else str(actor or ""),
    )
    years = list(result.years)
    totals: dict[str, float] = {}
    for order, (scenario, domain) in enumerate(zip(scenarios, domain_scenarios, strict=True)):
        population = result.population[order]
        ScenarioResult.objects.create(
            run=run,
            scenario=scenario,
            order=order,
            name=scenario.name,
            description=scenario.description,
            summary=domain.describe()[:300],
            years=years,
            population=population.tolist(),
        )
        totals[scenario.name] = round(float(population[-1].sum()), 1)
    audit_record(
        actor=actor,
        action="run",
        obj=run,
        before=None,
        after={
            "base_dataset": str(base_dataset),
            "assumption_set": assumption_set.name,
            "convention": convention.value,
            "until": until,
            "engine_version": run.engine_version,
            "scenarios": [s.name for s in scenarios],
            f"total_{until}": totals,
        },
    )
    return run


# --- the outlook ---------------------------------------------------------------------------


def outlook_save(
    *,
    outlook: PopulationOutlook | None,
    actor: Any,
    expected_version: int | None,
    changes: dict[str, Any],
) -> PopulationOutlook:
    """Create the outlook or update it (optimistic concurrency). The public copy is untouched
    until :func:`outlook_publish`."""
    if outlook is None:
        created = PopulationOutlook(**changes)
        try:
            return audited_create(obj=created, actor=actor)  # type: ignore[return-value]
        except ValidationError as exc:
            raise PopulationError(_validation_messages(created, exc)) from None
    try:
        return versioned_save(  # type: ignore[return-value]
            obj=outlook, actor=actor, expected_version=expected_version, changes=changes
        )
    except ValidationError as exc:
        outlook.refresh_from_db()
        raise PopulationError(_validation_messages(outlook, exc)) from None


def targets_from_result(result: ScenarioResult, *, step: int = 100) -> list[list[int]]:
    """Every projected year's total of a scenario, rounded to ``step`` persons."""
    totals = result.totals()
    return [
        [int(year), int(round(total / step) * step)]
        for year, total in zip(result.years[1:], totals[1:], strict=True)
    ]


def _finite(values: Any) -> list[float | None]:
    return [float(v) if math.isfinite(float(v)) else None for v in values]


def outlook_public_data(outlook: PopulationOutlook) -> dict[str, Any]:
    """What the public page shows: plain data copied from the outlook and its run."""
    result = outlook.result
    if result is None:
        raise PopulationError([_("従うシナリオ（推計結果）を選んでください。")])
    run = result.run
    indicators = selectors.result_indicators(result)
    snapshot = run.inputs
    return {
        "title": outlook.title,
        "explanation": outlook.explanation,
        "municipality_code": run.municipality_code,
        "municipality_name": run.municipality_name,
        "is_illustrative": run.is_illustrative,
        "base_year": run.base_year,
        "years": list(result.years),
        "age_groups": list(run.age_groups.labels),
        "targets": [[int(y), float(p)] for y, p in outlook.targets],
        "scenario": {"name": result.name, "description": result.description},
        "scenarios": [
            {
                "name": r.name,
                "description": r.description,
                "totals": r.totals(),
                "followed": r.pk == result.pk,
            }
            for r in run.results.order_by("order")
        ],
        "population": result.population,
        "indicators": {
            name: _finite(indicators.get(name))
            for name in (
                "total",
                "age_0_14",
                "age_15_64",
                "age_65_plus",
                "age_75_plus",
                "share_0_14",
                "share_15_64",
                "share_65_plus",
            )
        },
        "sources": {
            "base": snapshot.get("sources", {}).get("base", ""),
            "assumptions_source": snapshot.get("sources", {}).get("assumptions_source", ""),
        },
        "convention": run.convention,
        "engine_version": run.engine_version,
        "run_id": run.pk,
    }


def _published_summary(data: dict[str, Any] | None) -> dict[str, Any]:
    """The parts of the public copy worth reading in the audit log."""
    if not data:
        return {}
    return {
        "title": data["title"],
        "scenario": data["scenario"]["name"],
        "targets": data["targets"],
        "explanation": data["explanation"],
        "run_id": data["run_id"],
    }


@transaction.atomic
def outlook_publish(*, outlook: PopulationOutlook, actor: Any) -> PopulationOutlook:
    problems = []
    if outlook.result_id is None:
        problems.append(_("従うシナリオ（推計結果）を選んでから公開してください。"))
    if not outlook.targets:
        problems.append(_("目標人口を 1 つ以上入れてから公開してください。"))
    if not outlook.explanation.strip():
        problems.append(_("説明（やさしい日本語）を書いてから公開してください。"))
    if problems:
        raise PopulationError(problems)
    data = outlook_public_data(outlook)
    before = {"is_published": outlook.is_published, **_published_summary(outlook.published)}
    now = timezone.now()
    data["published_at"] = now.isoformat()
    PopulationOutlook.objects.filter(pk=outlook.pk).update(
        is_published=True, published_at=now, published=data
    )
    outlook.refresh_from_db()
    audit_record(
        actor=actor,
        action="publish",
        obj=outlook,
        before=before,
        after={"is_published": True, **_published_summary(data)},
    )
    content_version_bump()
    return outlook


@transaction.atomic
def outlook_unpublish(*, outlook: PopulationOutlook, actor: Any) -> PopulationOutlook:
    before = {"is_published": outlook.is_published}
    PopulationOutlook.objects.filter(pk=outlook.pk).update(is_published=False)
    outlook.refresh_from_db()
    audit_record(
        actor=actor, action="unpublish", obj=outlook, before=before, after={"is_published": False}
    )
    content_version_bump()
    return outlook
