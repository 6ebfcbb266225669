"""Plain-Python reference of the projection: one municipality, one scenario, no numpy.

It does exactly what :func:`keikaku.demography.domain.projection.project` does after
:func:`keikaku.demography.domain.scenarios.apply_scenario`, with the floating-point
operations in the same order, so both give bit-identical results. Tests and the
benchmark compare the two.
"""

from __future__ import annotations

from collections.abc import Sequence

from keikaku.demography.domain.agegroups import FEMALE, MALE
from keikaku.demography.domain.projection import WOMEN_CHILDBEARING_AGES, Convention
from keikaku.demography.domain.scenarios import Scenario

Grid = list[list[float]]  # [sex][group]


def project_loop(
    *,
    base_year: int,
    population: Sequence[Sequence[float]],
    survival: Sequence[Sequence[Sequence[float]]],
    net_migration: Sequence[Sequence[Sequence[float]]],
    child_woman_ratio: Sequence[float],
    sex_ratio_at_birth: Sequence[float],
    convention: Convention,
    scenario: Scenario | None = None,
) -> list[Grid]:
    """Population ``[year][sex][group]`` for the base year and every step.

    ``survival`` and ``net_migration`` are ``[step][sex][group]``; the CWR and sex ratio
    lists are per step (the year at the end of the step).
    """
    scenario = scenario or Scenario()
    steps = len(survival)
    size = len(population[0])
    top = size - 1
    first_mother = WOMEN_CHILDBEARING_AGES[0] // 5
    last_mother = WOMEN_CHILDBEARING_AGES[1] // 5
    years: list[Grid] = [[list(map(float, row)) for row in population]]
    for k in range(steps):
        period_start = base_year + 5 * k
        migration_factor = scenario.migration_multiplier(period_start)
        fertility_factor = scenario.fertility_multiplier(period_start + 5)
        prev = years[-1]
        nxt: Grid = [[0.0] * size for _sex in range(2)]
        for sex in (MALE, FEMALE):
            factors: list[float] = []
            for g in range(size):
                s = survival[k][sex][g]
                m = net_migration[k][sex][g] * migration_factor
                factors.append(s + m if convention is Convention.IPSS else s * (1.0 + m))
            for g in range(1, top):
                nxt[sex][g] = prev[sex][g - 1] * factors[g - 1]
            nxt[sex][top] = prev[sex][top - 1] * factors[top - 1] + prev[sex][top] * factors[top]
        mothers = nxt[FEMALE][first_mother]
        for g in range(first_mother + 1, last_mother + 1):
            mothers = mothers + nxt[FEMALE][g]
        births = (child_woman_ratio[k] * fertility_factor) * mothers
        ratio = sex_ratio_at_birth[k]
        nxt[MALE][0] = births * ratio / (100.0 + ratio)
        nxt[FEMALE][0] = births * 100.0 / (100.0 + ratio)
        years.append(nxt)
    return years
