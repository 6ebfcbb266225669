"""Projection scenarios: fertility scaling and migration changes.

A :class:`Scenario` changes the assumptions of a :class:`ProjectionInput`:

* ``fertility_scale``: multipliers of the child–woman ratio (CWR) given at years, e.g.
  ``((2030, 1.2), (2040, 1.4))``. For a projected year ``y`` the multiplier is

  - 1.0 before the first given year (give a point at the base year, e.g. ``2020: 1.0``,
    to ramp up from there instead of jumping at the first point);
  - the linear interpolation between the two given years around ``y``;
  - the last given value from the last given year on.

  It scales ``CWR[y]`` (the CWR used for the 0–4 group of year ``y``): with TFR paths,
  use multiplier = target TFR ÷ current TFR (CWR ∝ TFR).
* ``migration_scale``: every net migration rate is multiplied by this factor
  (0.5 = half the migration, 0 = none);
* ``zero_migration_from``: the net migration rate is 0 for every period whose start year
  is this year or later (移動均衡: e.g. 2030 → the periods 2030→2035, 2035→2040, …).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from keikaku.core.domain.i18n import _
from keikaku.demography.domain.arrays import FloatArray, as_float_array
from keikaku.demography.domain.projection import ProjectionInput, ProjectionResult, project


class ScenarioError(ValueError):
    """A scenario option cannot be read (message in Japanese)."""


@dataclass(frozen=True)
class Scenario:
    name: str = "baseline"
    fertility_scale: tuple[tuple[int, float], ...] = ()
    zero_migration_from: int | None = None
    migration_scale: float = 1.0

    def __post_init__(self) -> None:
        points = tuple(sorted((int(y), float(v)) for y, v in self.fertility_scale))
        years = [y for y, _v in points]
        if len(set(years)) != len(years):
            raise ScenarioError(_("出生率の倍率で同じ年が 2 回以上指定されています。"))
        if any(not np.isfinite(v) or v < 0 for _y, v in points):
            raise ScenarioError(_("出生率の倍率は 0 以上の数値にしてください。"))
        if not np.isfinite(self.migration_scale) or self.migration_scale < 0:
            raise ScenarioError(_("純移動率の倍率は 0 以上の数値にしてください。"))
        object.__setattr__(self, "fertility_scale", points)
        object.__setattr__(self, "migration_scale", float(self.migration_scale))

    def fertility_multiplier(self, year: int) -> float:
        """Multiplier of the CWR of ``year`` (see the module docstring)."""
        points = self.fertility_scale
        if not points or year < points[0][0]:
            return 1.0
        for (y0, v0), (y1, v1) in zip(points, points[1:], strict=False):
            if y0 <= year < y1:
                return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
        return points[-1][1]

    def migration_multiplier(self, period_start: int) -> float:
        """Multiplier of the net migration rates of the period starting at ``period_start``."""
        if self.zero_migration_from is not None and period_start >= self.zero_migration_from:
            return 0.0
        return self.migration_scale

    def fertility_multipliers(self, years: Sequence[int]) -> FloatArray:
        return as_float_array([self.fertility_multiplier(y) for y in years])

    def migration_multipliers(self, period_starts: Sequence[int]) -> FloatArray:
        return as_float_array([self.migration_multiplier(y) for y in period_starts])

    def describe(self) -> str:
        """Short Japanese description for output headers and logs."""
        parts: list[str] = []
        if self.fertility_scale:
            points = "、".join(f"{y}年 {v:g} 倍" for y, v in self.fertility_scale)
            parts.append(_("子ども女性比の倍率 %(points)s") % {"points": points})
        if self.migration_scale != 1.0:
            parts.append(_("純移動率 %(scale)s 倍") % {"scale": f"{self.migration_scale:g}"})
        if self.zero_migration_from is not None:
            parts.append(_("%(year)d年以降の期間は純移動 0") % {"year": self.zero_migration_from})
        return "、".join(parts) if parts else _("基本（仮定値のまま）")


BASELINE = Scenario()


def parse_fertility_scale(text: str) -> tuple[tuple[int, float], ...]:
    """``"2030:1.2,2040:1.4"`` → ``((2030, 1.2), (2040, 1.4))``; Japanese errors."""
    points: list[tuple[int, float]] = []
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        year_text, sep, value_text = item.partition(":")
        try:
            if not sep:
                raise ValueError(item)
            year = int(year_text.strip())
            value = float(value_text.strip())
        except ValueError:
            raise ScenarioError(
                _(
                    "--fertility-scale の「%(item)s」を読めません。「年:倍率」をカンマで区切って指定してください（例: 2030:1.2,2040:1.4）。"
                )
                % {"item": item}
            ) from None
        points.append((year, value))
    if not points:
        raise ScenarioError(
            _(
                "--fertility-scale に値がありません。例: 2030:1.2,2040:1.4 のように指定してください。"
            )
        )
    return tuple(points)


def period_starts(inp: ProjectionInput) -> tuple[int, ...]:
    return inp.years[:-1]


def birth_years(inp: ProjectionInput) -> tuple[int, ...]:
    return inp.years[1:]


def apply_scenario(inp: ProjectionInput, scenario: Scenario) -> ProjectionInput:
    """``inp`` with the scenario's CWR and migration multipliers applied."""
    fertility = scenario.fertility_multipliers(birth_years(inp))
    migration = scenario.migration_multipliers(period_starts(inp))
    return replace(
        inp,
        child_woman_ratio=as_float_array(inp.child_woman_ratio * fertility),
        net_migration=as_float_array(inp.net_migration * migration[:, None, None]),
    )


def apply_scenarios(inp: ProjectionInput, scenarios: Sequence[Scenario]) -> ProjectionInput:
    """One input with a new last batch axis of length ``len(scenarios)``.

    Batch shape ``(…)`` becomes ``(…, len(scenarios))``; only the arrays a scenario
    changes are really repeated, the others broadcast.
    """
    fertility = as_float_array(
        np.stack([s.fertility_multipliers(birth_years(inp)) for s in scenarios])
    )  # (n, T)
    migration = as_float_array(
        np.stack([s.migration_multipliers(period_starts(inp)) for s in scenarios])
    )  # (n, T)
    return replace(
        inp,
        population=inp.population[..., None, :, :],
        survival=inp.survival[..., None, :, :, :],
        net_migration=as_float_array(
            inp.net_migration[..., None, :, :, :] * migration[:, :, None, None]
        ),
        child_woman_ratio=as_float_array(inp.child_woman_ratio[..., None, :] * fertility),
        sex_ratio_at_birth=inp.sex_ratio_at_birth[..., None, :],
    )


def project_scenarios(
    inp: ProjectionInput, scenarios: Sequence[Scenario], *, check: bool = True
) -> ProjectionResult:
    """Project every scenario at once; the last batch axis of the result is the scenario."""
    return project(apply_scenarios(inp, scenarios), check=check)
