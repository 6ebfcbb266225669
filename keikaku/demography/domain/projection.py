"""Cohort-component population projection (人口ビジョン), IPSS municipal method.

One step moves the population from year ``t`` to ``t + 5``:

* ages 5 and over: the cohort aged ``g`` at ``t`` becomes the cohort aged ``g + 1`` at
  ``t + 5``: ``P[g+1, t+5] = P[g, t] · r[g]`` where the transition factor ``r`` is

  - ``ipss``:           ``r = S + M``        (the IPSS worksheet convention)
  - ``multiplicative``: ``r = S · (1 + M)``

  with ``S`` the survival rate (生残率) and ``M`` the net migration rate (純移動率) of the
  cohort aged ``g`` at ``t`` (the period starting at ``t``);
* the open top group keeps its survivors and receives the group below it:
  ``P[top, t+5] = P[top−1, t] · r[top−1] + P[top, t] · r[top]``;
* ages 0–4: ``births = CWR[t+5] × women 15–49 at t+5`` (computed after the older groups
  have been projected), split by the sex ratio ``SR`` (boys per 100 girls):
  ``boys = births · SR / (100 + SR)``, ``girls = births · 100 / (100 + SR)``.

Everything is vectorised over any number of leading "batch" axes (municipalities,
scenarios, …): the arrays of a :class:`ProjectionInput` broadcast against each other.
The order of the floating-point operations is fixed (and matches
:mod:`keikaku.demography.domain.reference`), so the vectorised and the plain-Python
results agree to the last bit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from keikaku.core.domain.i18n import _
from keikaku.demography.domain.agegroups import FEMALE, MALE, SEXES, AgeGroups
from keikaku.demography.domain.arrays import FloatArray, as_float_array
from keikaku.demography.domain.indicators import Indicators, compute_indicators

WOMEN_CHILDBEARING_AGES = (15, 49)


class Convention(StrEnum):
    """How survival and net migration combine into one transition factor."""

    IPSS = "ipss"
    MULTIPLICATIVE = "multiplicative"

    @property
    def formula(self) -> str:
        return "S + M" if self is Convention.IPSS else "S × (1 + M)"


class ProjectionError(ValueError):
    """The input cannot be projected; ``messages`` says why (in Japanese)."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = tuple(messages)
        super().__init__("\n".join(self.messages))


def transition_factors(
    survival: FloatArray, net_migration: FloatArray, convention: Convention
) -> FloatArray:
    """``r = S + M`` (ipss) or ``r = S · (1 + M)`` (multiplicative), elementwise."""
    if convention is Convention.IPSS:
        return as_float_array(survival + net_migration)
    return as_float_array(survival * (1.0 + net_migration))


def _frozen_array(values: object) -> FloatArray:
    array = np.array(values, dtype=np.float64, copy=True)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class ProjectionInput:
    """Everything one projection needs; arrays broadcast over leading batch axes.

    Shapes (``T`` steps, ``G`` age groups, ``…`` any batch axes):

    * ``population``: ``(…, 2, G)`` at ``base_year`` (sex 0 = male, 1 = female);
    * ``survival``, ``net_migration``: ``(…, T, 2, G)``; step ``k`` holds the rates of the
      cohort aged ``g`` at ``base_year + 5k`` (for the top group: staying in it);
    * ``child_woman_ratio``, ``sex_ratio_at_birth``: ``(…, T)``; step ``k`` holds the
      values for the year ``base_year + 5(k + 1)``.
    """

    base_year: int
    population: FloatArray
    survival: FloatArray
    net_migration: FloatArray
    child_woman_ratio: FloatArray
    sex_ratio_at_birth: FloatArray
    convention: Convention = Convention.IPSS
    age_groups: AgeGroups = field(default_factory=AgeGroups)

    def __post_init__(self) -> None:
        for name in (
            "population",
            "survival",
            "net_migration",
            "child_woman_ratio",
            "sex_ratio_at_birth",
        ):
            object.__setattr__(self, name, _frozen_array(getattr(self, name)))
        object.__setattr__(self, "convention", Convention(self.convention))
        size = self.age_groups.size
        problems: list[str] = []
        if self.population.ndim < 2 or self.population.shape[-2:] != (2, size):
            problems.append(f"population must end with (2, {size}), got {self.population.shape}")
        for name in ("survival", "net_migration"):
            shape = getattr(self, name).shape
            if len(shape) < 3 or shape[-2:] != (2, size):
                problems.append(f"{name} must end with (T, 2, {size}), got {shape}")
        for name in ("child_woman_ratio", "sex_ratio_at_birth"):
            if getattr(self, name).ndim < 1:
                problems.append(f"{name} must end with (T,), got a scalar")
        if problems:
            raise ValueError("; ".join(problems))
        steps = {
            self.survival.shape[-3],
            self.net_migration.shape[-3],
            self.child_woman_ratio.shape[-1],
            self.sex_ratio_at_birth.shape[-1],
        }
        if len(steps) != 1:
            raise ValueError(f"the number of steps differs between the rate arrays: {steps}")
        np.broadcast_shapes(*self._batch_shapes())  # raises ValueError when incompatible

    def _batch_shapes(self) -> tuple[tuple[int, ...], ...]:
        return (
            self.population.shape[:-2],
            self.survival.shape[:-3],
            self.net_migration.shape[:-3],
            self.child_woman_ratio.shape[:-1],
            self.sex_ratio_at_birth.shape[:-1],
        )

    @property
    def steps(self) -> int:
        return int(self.survival.shape[-3])

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return tuple(np.broadcast_shapes(*self._batch_shapes()))

    @property
    def years(self) -> tuple[int, ...]:
        """Base year and every projected year."""
        return tuple(self.base_year + 5 * k for k in range(self.steps + 1))

    def factors(self) -> FloatArray:
        return transition_factors(self.survival, self.net_migration, self.convention)


def check_input(inp: ProjectionInput) -> list[str]:
    """Japanese messages for values the engine cannot project (empty when fine)."""
    messages: list[str] = []
    arrays = {
        _("基準人口"): inp.population,
        _("生残率"): inp.survival,
        _("純移動率"): inp.net_migration,
        _("子ども女性比"): inp.child_woman_ratio,
        _("出生性比"): inp.sex_ratio_at_birth,
    }
    for label, array in arrays.items():
        if not np.all(np.isfinite(array)):
            messages.append(
                _("%(what)sに数値でない値（空欄・NaN・無限大）があります。") % {"what": label}
            )
    if messages:
        return messages
    if np.any(inp.population < 0):
        messages.append(_("基準人口に負の値があります。0 以上にしてください。"))
    if np.any(inp.factors() < 0):
        messages.append(
            _(
                "生残率と純移動率の組合せ（%(convention)s 方式: %(formula)s）が負になる箇所があり、人口が負になります。純移動率を見直してください。"
            )
            % {"convention": inp.convention.value, "formula": inp.convention.formula}
        )
    if np.any(inp.child_woman_ratio < 0):
        messages.append(_("子ども女性比に負の値があります。0 以上にしてください。"))
    if np.any((inp.sex_ratio_at_birth <= 0) | (inp.sex_ratio_at_birth >= 200)):
        messages.append(_("出生性比は 0 より大きく 200 より小さい値にしてください。"))
    return messages


@dataclass(frozen=True, eq=False)
class ProjectionResult:
    """Projected population ``(…, T + 1, 2, G)``; index 0 on the year axis is the base."""

    years: tuple[int, ...]
    population: FloatArray
    convention: Convention
    age_groups: AgeGroups

    @property
    def sexes(self) -> tuple[str, ...]:
        return SEXES

    def total(self) -> FloatArray:
        """Total population ``(…, T + 1)``."""
        return as_float_array(self.population.sum(axis=(-2, -1)))

    def indicators(self) -> Indicators:
        return compute_indicators(self.population, self.age_groups, self.years)


def project(inp: ProjectionInput, *, check: bool = True) -> ProjectionResult:
    """Project ``inp.steps`` five-year steps; raise :class:`ProjectionError` on bad values."""
    if check:
        messages = check_input(inp)
        if messages:
            raise ProjectionError(messages)
    groups = inp.age_groups
    top = groups.top
    steps = inp.steps
    batch = inp.batch_shape
    factors = inp.factors()
    women = groups.span(*WOMEN_CHILDBEARING_AGES)
    out = np.empty((*batch, steps + 1, 2, groups.size), dtype=np.float64)
    out[..., 0, :, :] = inp.population
    for k in range(steps):
        prev = out[..., k, :, :]
        factor = factors[..., k, :, :]
        nxt = out[..., k + 1, :, :]
        nxt[..., 1:top] = prev[..., 0 : top - 1] * factor[..., 0 : top - 1]
        nxt[..., top] = (
            prev[..., top - 1] * factor[..., top - 1] + prev[..., top] * factor[..., top]
        )
        # Women 15–49 at t+5, summed in a fixed order (bitwise equal to the loop reference).
        mothers = nxt[..., FEMALE, women.start]
        for g in range(women.start + 1, women.stop):
            mothers = mothers + nxt[..., FEMALE, g]
        births = inp.child_woman_ratio[..., k] * mothers
        ratio = inp.sex_ratio_at_birth[..., k]
        nxt[..., MALE, 0] = births * ratio / (100.0 + ratio)
        nxt[..., FEMALE, 0] = births * 100.0 / (100.0 + ratio)
    out.setflags(write=False)
    return ProjectionResult(
        years=inp.years, population=out, convention=inp.convention, age_groups=groups
    )
