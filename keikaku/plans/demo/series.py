"""Deterministic yearly values for the demo: KPI actuals and programme costs.

No Django here. Every pseudo-random choice comes from `random.Random(<string key>)`, which
seeds from the SHA-512 of the key, so the values are the same on every run and machine.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from keikaku.plans.demo.specs import IndicatorSpec, ProgrammeSpec

FORMER_BASELINE_FY = 2018
FORMER_TARGET_FY = 2024
FORMER_ACTUAL_YEARS = (2020, 2021, 2022, 2023, 2024)
LATTER_BASELINE_FY = 2023
LATTER_TARGET_FY = 2029
LATTER_ACTUAL_YEARS = (2025,)
COST_YEARS = (2025, 2026, 2027)


@dataclass(frozen=True)
class IndicatorPlan:
    direction: str
    baseline_value: float
    baseline_fy: int
    baseline_as_of: dt.date
    target_value: float
    target_fy: int
    actuals: tuple[tuple[int, float, dt.date], ...]


@dataclass(frozen=True)
class CostRow:
    fiscal_year: int
    total: int
    national: int
    prefectural: int
    bonds: int
    other: int
    general: int


def as_of_date(spec: IndicatorSpec, fy: int) -> dt.date:
    """When a value for fiscal year `fy` is measured."""
    if spec.survey or spec.as_of == "survey":
        return dt.date(fy, 8, 1)
    if spec.as_of == "apr1":
        return dt.date(fy + 1, 4, 1)
    return dt.date(fy + 1, 3, 31)


def _round(value: float, decimals: int) -> float:
    return float(round(value, decimals)) if decimals else float(round(value))


def _bounded(spec: IndicatorSpec, value: float) -> float:
    value = max(0.0, value)
    if spec.unit == "%":
        value = min(100.0, value)
    return _round(value, spec.decimals)


def former_actuals(spec: IndicatorSpec, key: str) -> dict[int, float]:
    """Actuals FY2020–2024 of the former plan (baseline FY2018 → target FY2024)."""
    if spec.actuals is not None:
        return dict(zip(FORMER_ACTUAL_YEARS, spec.actuals, strict=True))
    rng = random.Random(f"former:{key}")
    base, target = spec.former_baseline, spec.former_target
    values: dict[int, float] = {}
    if spec.cumulative:
        step = target / len(FORMER_ACTUAL_YEARS)
        total = 0.0
        for year in FORMER_ACTUAL_YEARS:
            total += step * rng.uniform(0.6, 1.2)
            values[year] = _bounded(spec, total)
        return values
    if spec.direction == "maintain":
        for year in FORMER_ACTUAL_YEARS:
            values[year] = _bounded(spec, target * (1 + rng.uniform(-0.015, 0.015)))
        return values
    achievement = rng.uniform(0.6, 1.1)
    span = FORMER_TARGET_FY - FORMER_BASELINE_FY
    for year in FORMER_ACTUAL_YEARS:
        progress = achievement * (year - FORMER_BASELINE_FY) / span + rng.uniform(-0.05, 0.05)
        value = base + (target - base) * min(progress, 0.98)
        if spec.covid_dip and year in (2020, 2021):
            value = base * (0.35 if year == 2020 else 0.65)
        values[year] = _bounded(spec, value)
    return values


def former_plan(spec: IndicatorSpec, key: str) -> IndicatorPlan:
    actuals = former_actuals(spec, key)
    return IndicatorPlan(
        direction=spec.direction,
        baseline_value=float(spec.former_baseline),
        baseline_fy=FORMER_BASELINE_FY,
        baseline_as_of=as_of_date(spec, FORMER_BASELINE_FY),
        target_value=float(spec.former_target),
        target_fy=FORMER_TARGET_FY,
        actuals=tuple((fy, v, as_of_date(spec, fy)) for fy, v in sorted(actuals.items())),
    )


def latter_plan(spec: IndicatorSpec, key: str) -> IndicatorPlan:
    """Baseline FY2023 (the former plan's FY2023 actual; 0 for a cumulative KPI counted from
    the latter plan's start), target FY2029 (= baseline for "maintain"), actual FY2025."""
    direction = spec.latter_direction or spec.direction
    rng = random.Random(f"latter:{key}")
    if spec.cumulative:
        baseline = 0.0
        target = float(spec.latter_target)
        actual = (
            spec.latter_actual
            if spec.latter_actual is not None
            else _bounded(spec, target / 5 * rng.uniform(0.7, 1.2))
        )
    else:
        baseline = former_actuals(spec, key)[LATTER_BASELINE_FY]
        target = baseline if direction == "maintain" else float(spec.latter_target)
        if spec.latter_actual is not None:
            actual = spec.latter_actual
        elif direction == "maintain":
            actual = _bounded(spec, baseline * (1 + rng.uniform(-0.01, 0.01)))
        else:
            actual = _bounded(spec, baseline + (target - baseline) * rng.uniform(-0.15, 0.55))
    return IndicatorPlan(
        direction=direction,
        baseline_value=float(baseline),
        baseline_fy=LATTER_BASELINE_FY,
        baseline_as_of=as_of_date(spec, LATTER_BASELINE_FY),
        target_value=float(target),
        target_fy=LATTER_TARGET_FY,
        actuals=tuple((fy, float(actual), as_of_date(spec, fy)) for fy in LATTER_ACTUAL_YEARS),
    )


def programme_costs(spec: ProgrammeSpec) -> list[CostRow]:
    """Planned costs FY2025–2027 in thousand yen; 一般財源 = total − the other sources."""
    rng = random.Random(f"cost:{spec.code}")
    rows: list[CostRow] = []
    for k, year in enumerate(COST_YEARS):
        if k == 0:
            total = spec.cost_2025
        else:
            total = round(spec.cost_2025 * (1 + spec.growth) ** k * rng.uniform(0.98, 1.02))
            total = round(total, -2) if total >= 10000 else total
        national = int(total * spec.national)
        prefectural = int(total * spec.prefectural)
        bonds = int(total * spec.bonds) // 100 * 100
        other = int(total * spec.other)
        general = total - national - prefectural - bonds - other
        rows.append(CostRow(year, total, national, prefectural, bonds, other, general))
    return rows
