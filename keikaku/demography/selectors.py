"""Reads of the population vision (staff side). The public side reads api.py only."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from keikaku.demography.domain.agegroups import AgeGroups
from keikaku.demography.domain.arrays import FloatArray, as_float_array
from keikaku.demography.domain.indicators import Indicators, compute_indicators
from keikaku.demography.domain.projection import Convention
from keikaku.demography.domain.tables import BaseTable, BirthTable, RateTable
from keikaku.demography.models import (
    AssumptionSet,
    CensusDataset,
    PopulationOutlook,
    ProjectionRun,
    Scenario,
    ScenarioResult,
    Sex,
)

SEX_INDEX = {Sex.MALE.value: 0, Sex.FEMALE.value: 1}


def census_dataset_list() -> QuerySet[CensusDataset]:
    return CensusDataset.objects.prefetch_related("cells").order_by("municipality_code", "-year")


def census_dataset_get(*, pk: int) -> CensusDataset | None:
    return CensusDataset.objects.prefetch_related("cells").filter(pk=pk).first()


def census_table(dataset: CensusDataset) -> BaseTable:
    """The stored base population as the engine's table ``(2, G)``."""
    groups = AgeGroups(dataset.top_age)
    population = [[0.0] * groups.size for _sex in range(2)]
    for cell in dataset.cells.all():
        population[SEX_INDEX[cell.sex]][cell.age_index] = cell.population
    return BaseTable(dataset.year, groups, as_float_array(population))


def census_total(dataset: CensusDataset) -> float:
    return float(sum(cell.population for cell in dataset.cells.all()))


def assumption_set_list() -> QuerySet[AssumptionSet]:
    return AssumptionSet.objects.prefetch_related("rates", "births").order_by("name")


def assumption_set_get(*, pk: int) -> AssumptionSet | None:
    return AssumptionSet.objects.prefetch_related("rates", "births").filter(pk=pk).first()


def assumption_tables(assumptions: AssumptionSet) -> tuple[RateTable, BirthTable]:
    groups = AgeGroups(assumptions.top_age)
    rates = list(assumptions.rates.all())
    periods = sorted({r.period_start for r in rates})
    position = {p: i for i, p in enumerate(periods)}
    survival = [[[0.0] * groups.size for _s in range(2)] for _p in periods]
    migration = [[[0.0] * groups.size for _s in range(2)] for _p in periods]
    for r in rates:
        survival[position[r.period_start]][SEX_INDEX[r.sex]][r.age_index] = r.survival_rate
        migration[position[r.period_start]][SEX_INDEX[r.sex]][r.age_index] = r.net_migration_rate
    births = sorted(assumptions.births.all(), key=lambda b: b.year)
    return (
        RateTable(groups, tuple(periods), as_float_array(survival), as_float_array(migration)),
        BirthTable(
            tuple(b.year for b in births),
            as_float_array([b.child_woman_ratio for b in births]),
            as_float_array([b.sex_ratio_at_birth for b in births]),
        ),
    )


def assumption_convention(assumptions: AssumptionSet) -> Convention:
    return Convention(assumptions.convention)


def scenario_list() -> QuerySet[Scenario]:
    return Scenario.objects.order_by("order", "name")


def projection_run_list() -> QuerySet[ProjectionRun]:
    return ProjectionRun.objects.select_related("base_dataset", "assumption_set").prefetch_related(
        Prefetch("results", queryset=ScenarioResult.objects.order_by("order"))
    )


def projection_run_get(*, pk: int) -> ProjectionRun | None:
    return projection_run_list().filter(pk=pk).first()


def scenario_result_list() -> QuerySet[ScenarioResult]:
    return ScenarioResult.objects.select_related("run").order_by(
        "-run__created_at", "-run_id", "order"
    )


def result_population(result: ScenarioResult) -> FloatArray:
    """``(years, 2, G)``."""
    return as_float_array(result.population)


def result_indicators(result: ScenarioResult) -> Indicators:
    return compute_indicators(
        result_population(result), AgeGroups(result.run.top_age), tuple(result.years)
    )


def outlook_get() -> PopulationOutlook | None:
    """The city's outlook (there is one; the first row if several were ever made)."""
    return PopulationOutlook.objects.select_related("result", "result__run").order_by("id").first()
