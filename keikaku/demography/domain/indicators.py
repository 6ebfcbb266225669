"""Summary indicators of a projected population, per year.

All arrays have the shape of the population without its last two axes, i.e.
``(…, years)``. Shares and dependency ratios are plain fractions (multiply by 100 for
percent or for the 従属人口指数 per 100 working-age persons). A share or ratio whose
denominator is 0 is NaN.

* ``age_0_14`` 年少人口, ``age_15_64`` 生産年齢人口, ``age_65_plus`` 老年人口,
  ``age_75_plus`` 後期高齢者;
* ``young_dependency_ratio`` = 0–14 ÷ 15–64 (年少人口指数 / 100),
  ``old_dependency_ratio`` = 65+ ÷ 15–64 (老年人口指数 / 100),
  ``total_dependency_ratio`` = (0–14 + 65+) ÷ 15–64 (従属人口指数 / 100);
* ``women_20_39``: women aged 20–39 (若年女性人口).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from keikaku.demography.domain.agegroups import FEMALE, AgeGroups
from keikaku.demography.domain.arrays import FloatArray, as_float_array

INDICATOR_NAMES = (
    "total",
    "age_0_14",
    "age_15_64",
    "age_65_plus",
    "age_75_plus",
    "share_0_14",
    "share_15_64",
    "share_65_plus",
    "share_75_plus",
    "young_dependency_ratio",
    "old_dependency_ratio",
    "total_dependency_ratio",
    "women_20_39",
)


@dataclass(frozen=True, eq=False)
class Indicators:
    years: tuple[int, ...]
    total: FloatArray
    age_0_14: FloatArray
    age_15_64: FloatArray
    age_65_plus: FloatArray
    age_75_plus: FloatArray
    share_0_14: FloatArray
    share_15_64: FloatArray
    share_65_plus: FloatArray
    share_75_plus: FloatArray
    young_dependency_ratio: FloatArray
    old_dependency_ratio: FloatArray
    total_dependency_ratio: FloatArray
    women_20_39: FloatArray

    def get(self, name: str) -> FloatArray:
        if name not in INDICATOR_NAMES:
            raise KeyError(name)
        value: FloatArray = getattr(self, name)
        return value


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    out = np.full(np.broadcast_shapes(numerator.shape, denominator.shape), np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return as_float_array(out)


def compute_indicators(
    population: FloatArray, age_groups: AgeGroups, years: Sequence[int]
) -> Indicators:
    """Indicators of ``population`` shaped ``(…, years, 2, G)``."""
    both = as_float_array(population.sum(axis=-2))  # (…, years, G)

    def over(first: int, last: int | None) -> FloatArray:
        return as_float_array(both[..., age_groups.span(first, last)].sum(axis=-1))

    total = as_float_array(both.sum(axis=-1))
    young = over(0, 14)
    working = over(15, 64)
    old = over(65, None)
    oldest = over(75, None)
    women = as_float_array(population[..., FEMALE, age_groups.span(20, 39)].sum(axis=-1))
    return Indicators(
        years=tuple(years),
        total=total,
        age_0_14=young,
        age_15_64=working,
        age_65_plus=old,
        age_75_plus=oldest,
        share_0_14=_ratio(young, total),
        share_15_64=_ratio(working, total),
        share_65_plus=_ratio(old, total),
        share_75_plus=_ratio(oldest, total),
        young_dependency_ratio=_ratio(young, working),
        old_dependency_ratio=_ratio(old, working),
        total_dependency_ratio=_ratio(as_float_array(young + old), working),
        women_20_39=women,
    )
