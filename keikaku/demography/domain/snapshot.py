"""The inputs of a projection run as plain JSON data, and the projection from them.

A stored run keeps this snapshot (base population, rates, births, scenarios, horizon,
convention, engine version), so it can be shown, audited and projected again exactly:
floats survive JSON unchanged (``repr`` round trip), and the projection is deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from keikaku.demography.domain.agegroups import AgeGroups
from keikaku.demography.domain.arrays import as_float_array
from keikaku.demography.domain.projection import Convention, ProjectionInput, ProjectionResult
from keikaku.demography.domain.scenarios import Scenario, project_scenarios
from keikaku.demography.domain.tables import (
    BaseTable,
    BirthTable,
    RateTable,
    build_projection_input,
)
from keikaku.demography.domain.version import engine_version

SNAPSHOT_FORMAT: Final = 1

Snapshot = dict[str, Any]


def scenario_snapshot(scenario: Scenario) -> dict[str, Any]:
    return {
        "name": scenario.name,
        "fertility_scale": [[year, value] for year, value in scenario.fertility_scale],
        "zero_migration_from": scenario.zero_migration_from,
        "migration_scale": scenario.migration_scale,
    }


def scenario_from_snapshot(data: Mapping[str, Any]) -> Scenario:
    return Scenario(
        name=str(data["name"]),
        fertility_scale=tuple((int(y), float(v)) for y, v in data["fertility_scale"]),
        zero_migration_from=(
            None if data["zero_migration_from"] is None else int(data["zero_migration_from"])
        ),
        migration_scale=float(data["migration_scale"]),
    )


def input_snapshot(
    *,
    base: BaseTable,
    rates: RateTable,
    births: BirthTable,
    scenarios: Sequence[Scenario],
    until: int,
    convention: Convention,
    extra: Mapping[str, Any] | None = None,
) -> Snapshot:
    """Everything :func:`project_snapshot` needs, as JSON-ready lists and numbers."""
    return {
        "format": SNAPSHOT_FORMAT,
        "engine_version": engine_version(),
        "convention": convention.value,
        "until": until,
        "top_age": base.age_groups.top_age,
        "age_groups": list(base.age_groups.labels),
        "base": {"year": base.year, "population": base.population.tolist()},
        "rates": {
            "period_starts": list(rates.period_starts),
            "survival": rates.survival.tolist(),
            "net_migration": rates.net_migration.tolist(),
        },
        "births": {
            "years": list(births.years),
            "child_woman_ratio": births.child_woman_ratio.tolist(),
            "sex_ratio_at_birth": births.sex_ratio_at_birth.tolist(),
        },
        "scenarios": [scenario_snapshot(s) for s in scenarios],
        **(extra or {}),
    }


def tables_from_snapshot(snapshot: Mapping[str, Any]) -> tuple[BaseTable, RateTable, BirthTable]:
    groups = AgeGroups(int(snapshot["top_age"]))
    base = BaseTable(
        int(snapshot["base"]["year"]), groups, as_float_array(snapshot["base"]["population"])
    )
    rates = RateTable(
        groups,
        tuple(int(p) for p in snapshot["rates"]["period_starts"]),
        as_float_array(snapshot["rates"]["survival"]),
        as_float_array(snapshot["rates"]["net_migration"]),
    )
    births = BirthTable(
        tuple(int(y) for y in snapshot["births"]["years"]),
        as_float_array(snapshot["births"]["child_woman_ratio"]),
        as_float_array(snapshot["births"]["sex_ratio_at_birth"]),
    )
    return base, rates, births


def projection_input_from_snapshot(snapshot: Mapping[str, Any]) -> ProjectionInput:
    base, rates, births = tables_from_snapshot(snapshot)
    return build_projection_input(
        base,
        rates,
        births,
        until=int(snapshot["until"]),
        convention=Convention(snapshot["convention"]),
    )


def scenarios_from_snapshot(snapshot: Mapping[str, Any]) -> tuple[Scenario, ...]:
    return tuple(scenario_from_snapshot(s) for s in snapshot["scenarios"])


def project_snapshot(snapshot: Mapping[str, Any]) -> ProjectionResult:
    """Every scenario of the snapshot at once: population ``(scenarios, years, 2, G)``.

    Raises :class:`~keikaku.demography.domain.tables.InputError` (horizon, age groups) or
    :class:`~keikaku.demography.domain.projection.ProjectionError` (values).
    """
    inp = projection_input_from_snapshot(snapshot)
    return project_scenarios(inp, scenarios_from_snapshot(snapshot))
