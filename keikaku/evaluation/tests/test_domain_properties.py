"""Property tests (hypothesis): the vectorised path equals the scalar one, and the method
has the properties staff rely on (direction symmetry, monotonicity, unit invariance, no
clipping, missing never becomes 0)."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keikaku.evaluation.domain.achievement import (
    TREND_CODES,
    CumulativeInput,
    Direction,
    IndicatorSpec,
    MaintainSide,
    Trend,
    YearResult,
    evaluate_indicator,
)
from keikaku.evaluation.domain.achievement_arrays import (
    AchievementArrays,
    evaluate_arrays,
    indicator_arrays_from_specs,
    observations_to_matrix,
)
from keikaku.evaluation.domain.grading import (
    STATUS_CODES,
    ImplementationStatus,
    grade_achievements,
    grade_measure,
    grade_result,
    load_presets,
)

PRESETS = load_presets()
FIRST_FY = 2020
LAST_FY = 2027
YEARS = range(FIRST_FY, LAST_FY + 1)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Observations = dict[int, float | None]

integers = st.integers(-(10**6), 10**6).map(float)
reals = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
numbers = st.one_of(integers, reals)
statuses = st.sampled_from([None, *ImplementationStatus])


@st.composite
def specs(
    draw: st.DrawFn,
    directions: tuple[Direction, ...] = tuple(Direction),
    values: st.SearchStrategy[float] = numbers,
    allow_survey: bool = True,
    allow_cumulative: bool = True,
) -> IndicatorSpec:
    direction = draw(st.sampled_from(directions))
    baseline_fy = draw(st.integers(2016, 2026))
    target_fy = baseline_fy + draw(st.integers(1, 8))
    plan_start = draw(st.integers(2018, 2027))
    plan_end = plan_start + draw(st.integers(0, 6))
    kwargs: dict[str, Any] = {}
    if direction is Direction.MILESTONE:
        baseline, target = 0.0, 1.0
    else:
        baseline = draw(values)
        step = abs(draw(values))
        if direction is Direction.INCREASE:
            target = baseline + step
        elif direction is Direction.DECREASE:
            target = baseline - step
        else:
            target = draw(values)
            kwargs["maintain_side"] = draw(st.sampled_from([None, *MaintainSide]))
        if allow_cumulative and draw(st.booleans()):
            kwargs["cumulative"] = True
            kwargs["cumulative_input"] = draw(st.sampled_from(list(CumulativeInput)))
            kwargs["running_total_from_zero"] = draw(st.booleans())
            kwargs["running_total_start_fy"] = draw(st.none() | st.integers(2016, 2030))
    if allow_survey:
        kwargs["survey_based"] = draw(st.booleans())
        kwargs["tolerance"] = draw(st.none() | st.floats(0, 10))
    return IndicatorSpec(
        code="p",
        direction=direction,
        baseline=baseline,
        baseline_fy=baseline_fy,
        target=target,
        target_fy=target_fy,
        plan_start_fy=plan_start,
        plan_end_fy=plan_end,
        **kwargs,
    )


def observations_for(
    spec: IndicatorSpec, values: st.SearchStrategy[float] = numbers
) -> st.SearchStrategy[Observations]:
    if spec.direction is Direction.MILESTONE:
        cell: st.SearchStrategy[float | None] = st.sampled_from([None, 0.0, 1.0])
    else:
        cell = st.one_of(st.none(), values)
    return st.fixed_dictionaries({fy: cell for fy in YEARS})


@st.composite
def spec_and_observations(
    draw: st.DrawFn, **spec_kwargs: Any
) -> tuple[IndicatorSpec, Observations]:
    values = spec_kwargs.get("values", numbers)
    s = draw(specs(**spec_kwargs))
    return s, draw(observations_for(s, values))


def same(a: float | None, b: float) -> bool:
    if a is None:
        return math.isnan(b)
    return a == b or (math.isnan(a) and math.isnan(b))


def assert_row_matches(
    results: tuple[YearResult, ...], arrays: AchievementArrays, row: int
) -> None:
    for col, r in enumerate(results):
        assert r.fiscal_year == int(arrays.fiscal_years[col])
        assert same(r.value, arrays.value[row, col])
        assert same(r.actual, arrays.actual[row, col])
        assert same(r.progress, arrays.progress[row, col])
        assert same(r.target_gap_pct, arrays.target_gap_pct[row, col])
        assert same(r.baseline_change_pct, arrays.baseline_change_pct[row, col])
        assert same(r.pace, arrays.pace[row, col])
        assert r.expected_progress == arrays.expected_progress[row, col]
        assert r.reported == bool(arrays.reported[row, col])
        assert bool(r.achieved) == bool(arrays.achieved[row, col])
        assert r.in_plan_period == bool(arrays.in_plan_period[row, col])
        assert TREND_CODES[r.trend_vs_baseline] == arrays.trend_vs_baseline[row, col]
        assert TREND_CODES[r.trend_vs_previous] == arrays.trend_vs_previous[row, col]
        assert (r.previous_fy if r.previous_fy is not None else -1) == arrays.previous_fy[row, col]


@SETTINGS
@given(
    st.lists(spec_and_observations(), min_size=1, max_size=6).flatmap(
        lambda items: st.tuples(
            st.just(items), st.lists(statuses, min_size=len(items), max_size=len(items))
        )
    )
)
def test_vectorised_equals_scalar(
    case: tuple[list[tuple[IndicatorSpec, Observations]], list[ImplementationStatus | None]],
) -> None:
    items, row_statuses = case
    spec_list = [s for s, _obs in items]
    obs_list = [obs for _s, obs in items]
    arrays = evaluate_arrays(
        indicator_arrays_from_specs(spec_list),
        observations_to_matrix(obs_list, FIRST_FY, LAST_FY),
        FIRST_FY,
    )
    status_codes = np.array([STATUS_CODES[s] for s in row_statuses], dtype=np.int8)
    grades = {
        sid: grade_achievements(scheme, arrays, status_codes) for sid, scheme in PRESETS.items()
    }
    for row, (s, obs) in enumerate(items):
        ev = evaluate_indicator(s, obs, fiscal_years=YEARS)
        assert int(arrays.kind[row]) == list(type(ev.kind)).index(ev.kind)
        assert_row_matches(ev.years, arrays, row)
        for sid, scheme in PRESETS.items():
            for col, r in enumerate(ev.years):
                assert grade_result(r, scheme, row_statuses[row]).label == grades[sid].label_at(
                    row, col
                )


def mirrored(spec: IndicatorSpec) -> IndicatorSpec:
    """Negate baseline and target and flip the direction."""
    direction = {Direction.DECREASE: Direction.INCREASE, Direction.INCREASE: Direction.DECREASE}
    side = {
        MaintainSide.AT_OR_BELOW: MaintainSide.AT_OR_ABOVE,
        MaintainSide.AT_OR_ABOVE: MaintainSide.AT_OR_BELOW,
        None: MaintainSide.AT_OR_BELOW,
    }
    return replace(
        spec,
        direction=direction.get(spec.direction, spec.direction),
        baseline=-spec.baseline,
        target=-spec.target,
        maintain_side=side[spec.maintain_side] if spec.direction is Direction.MAINTAIN else None,
    )


def negate(obs: Observations) -> Observations:
    return {fy: (None if v is None else -v) for fy, v in obs.items()}


def comparable(r: YearResult) -> tuple[object, ...]:
    return (
        r.progress,
        r.target_gap_pct,
        r.baseline_change_pct,
        r.pace,
        r.expected_progress,
        r.achieved,
        r.trend_vs_baseline,
        r.trend_vs_previous,
        r.previous_fy,
    )


@SETTINGS
@given(spec_and_observations(directions=(Direction.DECREASE, Direction.MAINTAIN)), statuses)
def test_direction_symmetry(
    case: tuple[IndicatorSpec, Observations], status: ImplementationStatus | None
) -> None:
    # mirroring a decrease (or at-or-below maintain) indicator gives the increase result
    s, obs = case
    original = evaluate_indicator(s, obs, fiscal_years=YEARS)
    mirror = evaluate_indicator(mirrored(s), negate(obs), fiscal_years=YEARS)
    for a, b in zip(original.years, mirror.years, strict=True):
        assert comparable(a) == comparable(b)
        for scheme in PRESETS.values():
            assert grade_result(a, scheme, status).label == grade_result(b, scheme, status).label


def grade_rank(scheme_id: str, r: YearResult) -> int:
    scheme = PRESETS[scheme_id]
    rank = scheme.rank(grade_result(r, scheme).label)
    return len(scheme.order) if rank is None else rank


TREND_ORDER = {Trend.WORSENED: 0, Trend.UNCHANGED: 1, Trend.IMPROVED: 2}


@SETTINGS
@given(
    specs(directions=(Direction.INCREASE,), allow_cumulative=False),
    st.sampled_from(list(YEARS)),
    numbers,
    numbers,
)
def test_monotone_in_the_actual(spec: IndicatorSpec, fy: int, x: float, y: float) -> None:
    low, high = sorted((x, y))
    r_low = evaluate_indicator(spec, {fy: low}, fiscal_years=[fy]).years[0]
    r_high = evaluate_indicator(spec, {fy: high}, fiscal_years=[fy]).years[0]
    assert r_low.progress is not None and r_high.progress is not None
    assert r_low.progress <= r_high.progress
    if r_low.pace is not None and r_high.pace is not None:
        assert r_low.pace <= r_high.pace
    assert TREND_ORDER[r_low.trend_vs_baseline] <= TREND_ORDER[r_high.trend_vs_baseline]
    for scheme_id in PRESETS:
        # rank 0 is the best grade: a larger actual never gives a worse grade
        assert grade_rank(scheme_id, r_high) <= grade_rank(scheme_id, r_low)


def scale(spec: IndicatorSpec, k: float) -> IndicatorSpec:
    return replace(spec, baseline=spec.baseline * k, target=spec.target * k)


@SETTINGS
@given(
    spec_and_observations(
        directions=(Direction.INCREASE, Direction.DECREASE, Direction.MAINTAIN),
        values=integers,
        allow_survey=False,
    ),
    st.sampled_from([2.0**-10, 0.5, 2.0, 3.0, 10.0, 1000.0, 2.0**20]),
)
def test_invariant_to_units(case: tuple[IndicatorSpec, Observations], k: float) -> None:
    # e.g. 人 → 千人, % → ‰: scaling baseline, target and actual by k > 0 changes nothing
    s, obs = case
    original = evaluate_indicator(s, obs, fiscal_years=YEARS)
    scaled = evaluate_indicator(
        scale(s, k), {fy: (None if v is None else v * k) for fy, v in obs.items()}, YEARS
    )
    for a, b in zip(original.years, scaled.years, strict=True):
        assert comparable(a) == comparable(b)
        for scheme in PRESETS.values():
            assert grade_result(a, scheme).label == grade_result(b, scheme).label


@SETTINGS
@given(specs(directions=(Direction.INCREASE, Direction.DECREASE), allow_cumulative=False), numbers)
def test_never_clipped(spec: IndicatorSpec, actual: float) -> None:
    fy = spec.target_fy
    r = evaluate_indicator(spec, {fy: actual}, fiscal_years=[fy]).years[0]
    assert r.progress is not None
    if spec.kind.value == "ratio":
        beyond_target = spec.sign * (actual - spec.target) > 0
        behind_baseline = spec.sign * (actual - spec.baseline) < 0
        if beyond_target and (r.target_gap_pct or 0) > 0:
            assert r.progress >= 100
        if behind_baseline and (r.baseline_change_pct or 0) < 0:
            assert r.progress <= 0
        # the value is the plain formula, rounded to 9 places only
        raw = (actual - spec.baseline) * 100.0 / (spec.target - spec.baseline)
        assert r.progress == raw or abs(r.progress - raw) <= 1e-9 + abs(raw) * 1e-12


@SETTINGS
@given(spec_and_observations(), st.sampled_from(list(YEARS)))
def test_missing_never_becomes_zero(case: tuple[IndicatorSpec, Observations], fy: int) -> None:
    s, obs = case
    obs = {**obs, fy: None}
    r = evaluate_indicator(s, obs, fiscal_years=YEARS).year(fy)
    if not s.running_total:
        assert r.value is None
    assert (r.actual, r.progress, r.pace, r.achieved) == (None, None, None, None)
    assert r.trend_vs_baseline is Trend.NOT_REPORTED
    for scheme in PRESETS.values():
        assert grade_result(r, scheme).label == scheme.fallback.label
    arrays = evaluate_arrays(
        indicator_arrays_from_specs([s]), observations_to_matrix([obs], FIRST_FY, LAST_FY), FIRST_FY
    )
    col = fy - FIRST_FY
    assert math.isnan(arrays.actual[0, col]) and math.isnan(arrays.progress[0, col])
    assert not arrays.reported[0, col]


@SETTINGS
@given(
    st.lists(
        specs(directions=(Direction.INCREASE, Direction.DECREASE), allow_cumulative=False),
        min_size=1,
        max_size=5,
    ),
    st.lists(numbers, min_size=5, max_size=5),
    st.sampled_from(list(YEARS)),
)
def test_unreported_indicators_do_not_move_the_measure_grade(
    spec_list: list[IndicatorSpec], actuals: list[float], fy: int
) -> None:
    reported = [
        evaluate_indicator(s, {fy: a}, fiscal_years=[fy]).years[0]
        for s, a in zip(spec_list, actuals, strict=False)
    ]
    missing = evaluate_indicator(spec_list[0], {}, fiscal_years=[fy]).years[0]
    for scheme in PRESETS.values():
        with_missing = grade_measure([*reported, missing], scheme)
        without = grade_measure(reported, scheme)
        assert (with_missing.label, with_missing.value) == (without.label, without.value)
        assert with_missing.n_reported == without.n_reported
