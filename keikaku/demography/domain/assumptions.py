"""Assumptions from data: net migration (residual method), CWR, sex ratio, survival.

Net migration rates by the residual method (残差法), from two censuses ``t`` and ``t + 5``
and the survival rates ``S`` of the period ``t → t + 5``; for the cohort aged ``g`` at ``t``
(``g`` below the group just under the top):

* ``ipss``:           ``M[g] = P[g+1, t+5] / P[g, t] − S[g]``
* ``multiplicative``: ``M[g] = P[g+1, t+5] / (P[g, t] · S[g]) − 1``

The open top group at ``t + 5`` mixes two cohorts (the group just under the top and
the top group at ``t``), so one census pair gives one equation for two rates. Both get
the same pooled rate ``M`` that reproduces the top group exactly:

* ``ipss``:           ``M = (P[top, t+5] − P[top−1, t]·S[top−1] − P[top, t]·S[top])
  / (P[top−1, t] + P[top, t])``
* ``multiplicative``: ``M = P[top, t+5] / (P[top−1, t]·S[top−1] + P[top, t]·S[top]) − 1``

Projecting ``P[t]`` with ``S`` and these ``M`` gives back ``P[t+5]`` for every group of
age 5 and over (the round trip the tests check).

Survival rates from a life table's person-years ``nLx`` by five-year group (0–4, 5–9, …,
with an open last group ``W+`` whose ``L`` is its ``T``); ``T[x]`` = sum of ``L`` from
``x`` up. For a scheme with top group ``A+``:

* if the life table goes beyond the top (``W ≥ A + 5``): ``S[g] = L[g+1] / L[g]`` for every
  group below the top (the group just under the top moves into ``A–A+4``), and
  ``S[top] = T[A+5] / T[A]`` (those aged ``A+`` at ``t`` are ``A+5`` and over at ``t+5``);
* if the life table ends at the top (``W = A``), the two cohorts entering the top group
  share ``S[top−1] = S[top] = T[A] / T[A−5]`` (the usual open-interval approximation);
* a life table ending below ``A`` cannot be used.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from keikaku.core.domain.i18n import _
from keikaku.demography.domain.agegroups import FEMALE, MALE, AgeGroups, sex_label_ja
from keikaku.demography.domain.arrays import FloatArray, as_float_array
from keikaku.demography.domain.projection import WOMEN_CHILDBEARING_AGES, Convention


class AssumptionError(ValueError):
    """Assumptions cannot be derived; ``messages`` say where (Japanese)."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = tuple(messages)
        super().__init__("\n".join(self.messages))


def _locate(index: tuple[int, ...], age_groups: AgeGroups) -> str:
    *batch, sex, group = index
    where = f"{sex_label_ja(sex)} {age_groups.label(group)}"
    return f"{tuple(batch)} {where}" if batch else where


def residual_net_migration(
    start: FloatArray,
    end: FloatArray,
    survival: FloatArray,
    *,
    convention: Convention,
    age_groups: AgeGroups,
) -> FloatArray:
    """Net migration rates ``(…, 2, G)`` of the period ``t → t + 5`` (see module docstring).

    ``start`` and ``end`` are the censuses at ``t`` and ``t + 5``, ``survival`` the rates of
    the period; all ``(…, 2, G)``. A zero denominator raises :class:`AssumptionError`.
    """
    start = as_float_array(start)
    end = as_float_array(end)
    survival = as_float_array(survival)
    top = age_groups.top
    shape = np.broadcast_shapes(start.shape, end.shape, survival.shape)
    ipss = convention is Convention.IPSS
    # Cohorts 0 … top−2 move into closed groups 1 … top−1.
    numerator = np.zeros(shape)
    denominator = np.zeros(shape)
    numerator[..., : top - 1] = end[..., 1:top]
    denominator[..., : top - 1] = (
        start[..., : top - 1] if ipss else start[..., : top - 1] * survival[..., : top - 1]
    )
    # Cohorts top−1 and top pool into the open group.
    if ipss:
        pooled_num = (
            end[..., top]
            - start[..., top - 1] * survival[..., top - 1]
            - start[..., top] * survival[..., top]
        )
        pooled_den = start[..., top - 1] + start[..., top]
    else:
        pooled_num = end[..., top]
        pooled_den = (
            start[..., top - 1] * survival[..., top - 1] + start[..., top] * survival[..., top]
        )
    for g in (top - 1, top):
        numerator[..., g] = pooled_num
        denominator[..., g] = pooled_den
    bad = np.argwhere(~(denominator > 0))
    if bad.size:
        what = _("人口") if ipss else _("人口 × 生残率")
        raise AssumptionError(
            [
                _(
                    "%(where)s: 期首の%(what)sが 0 のため純移動率を計算できません。この区分の純移動率は直接指定してください。"
                )
                % {"where": _locate(tuple(int(i) for i in index), age_groups), "what": what}
                for index in bad
            ]
        )
    ratio = numerator / denominator
    if not ipss:
        return as_float_array(ratio - 1.0)
    # ipss: the pooled top rates are already M; the others still hold P[g+1, t+5] / P[g, t].
    ratio[..., : top - 1] -= np.broadcast_to(survival, shape)[..., : top - 1]
    return as_float_array(ratio)


def child_woman_ratio(population: FloatArray, age_groups: AgeGroups) -> FloatArray:
    """Children 0–4 (both sexes) ÷ women 15–49, shape ``(…)``; NaN without women."""
    population = as_float_array(population)
    children = population[..., MALE, 0] + population[..., FEMALE, 0]
    women = population[..., FEMALE, age_groups.span(*WOMEN_CHILDBEARING_AGES)].sum(axis=-1)
    out = np.full(np.shape(children), np.nan)
    np.divide(children, women, out=out, where=women > 0)
    return as_float_array(out)


def sex_ratio_0_4(population: FloatArray) -> FloatArray:
    """Boys 0–4 per 100 girls 0–4, shape ``(…)``; NaN without girls."""
    population = as_float_array(population)
    boys = population[..., MALE, 0]
    girls = population[..., FEMALE, 0]
    out = np.full(np.shape(boys), np.nan)
    np.divide(boys * 100.0, girls, out=out, where=girls > 0)
    return as_float_array(out)


def survival_from_life_table(person_years: Sequence[float], age_groups: AgeGroups) -> FloatArray:
    """Survival rates ``(G,)`` from five-year ``nLx`` values 0–4, 5–9, …, ``W+`` (open).

    See the module docstring for the formulas. Raises :class:`AssumptionError` when the
    life table is too short or a denominator is not positive.
    """
    lx = [float(v) for v in person_years]
    open_start = 5 * (len(lx) - 1)
    top_age = age_groups.top_age
    top = age_groups.top
    if open_start < top_age:
        raise AssumptionError(
            [
                _(
                    "生命表の最終区分（%(open)d歳以上）が人口の最上位区分（%(top)d歳以上）より下です。%(top)d歳以上まである生命表を使ってください。"
                )
                % {"open": open_start, "top": top_age}
            ]
        )
    if any(not np.isfinite(v) or v <= 0 for v in lx[: top + 1]):
        raise AssumptionError(
            [_("生命表の定常人口（nLx）は正の数値にしてください（最上位区分までのすべての区分）。")]
        )

    def tail(index: int) -> float:
        return float(sum(lx[index:]))

    rates = [lx[g + 1] / lx[g] for g in range(top - 1)]
    if open_start == top_age:
        shared = tail(top) / tail(top - 1)
        rates += [shared, shared]
    else:
        rates += [lx[top] / lx[top - 1], tail(top + 1) / tail(top)]
    return as_float_array(rates)
