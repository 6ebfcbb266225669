"""Vectorised KPI achievement: many indicators × many fiscal years with numpy.

Arrays in, arrays out; NaN = not reported. Same definitions, same operation order and
therefore the same numbers as :func:`keikaku.evaluation.domain.achievement.evaluate_indicator`
(tested property-by-property with hypothesis). Rows are indicators, columns are the
contiguous fiscal years ``first_fy, first_fy + 1, …``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from keikaku.core.domain.i18n import _
from keikaku.evaluation.domain.achievement import (
    DIRECTION_CODES,
    KIND_CODES,
    SNAP_DECIMALS,
    SNAP_LIMIT,
    TREND_CODES,
    Direction,
    EvaluationKind,
    IndicatorSpec,
    ObservationError,
    Trend,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Int8Array = NDArray[np.int8]
BoolArray = NDArray[np.bool_]

_INCREASE = DIRECTION_CODES[Direction.INCREASE]
_DECREASE = DIRECTION_CODES[Direction.DECREASE]
_MAINTAIN = DIRECTION_CODES[Direction.MAINTAIN]
_MILESTONE = DIRECTION_CODES[Direction.MILESTONE]
_KIND_RATIO = KIND_CODES[EvaluationKind.RATIO]
_KIND_MAINTAIN = KIND_CODES[EvaluationKind.MAINTAIN]
_KIND_MILESTONE = KIND_CODES[EvaluationKind.MILESTONE]


@dataclass(frozen=True, slots=True, eq=False)
class IndicatorArrays:
    """Column-wise indicator definitions (one entry per indicator).

    ``direction``: codes of :data:`DIRECTION_CODES`; ``maintain_side``: +1 at/above, −1
    at/below (used for direction maintain only); ``running_total``: True when the actual is
    the running total of yearly values; ``tolerance``: the width of "no change".
    """

    direction: Int8Array
    baseline: FloatArray
    target: FloatArray
    baseline_fy: IntArray
    target_fy: IntArray
    plan_start_fy: IntArray
    plan_end_fy: IntArray
    maintain_side: Int8Array
    running_total: BoolArray
    running_total_from_zero: BoolArray
    running_total_start_fy: IntArray
    tolerance: FloatArray

    def __len__(self) -> int:
        return int(self.direction.shape[0])

    @property
    def kind(self) -> Int8Array:
        kind = np.full(self.direction.shape, _KIND_RATIO, dtype=np.int8)
        kind[(self.direction == _MAINTAIN) | (self.target == self.baseline)] = _KIND_MAINTAIN
        kind[self.direction == _MILESTONE] = _KIND_MILESTONE
        return kind

    @property
    def sign(self) -> NDArray[np.float64]:
        sign = np.ones(self.direction.shape, dtype=np.float64)
        sign[self.direction == _DECREASE] = -1.0
        maintain = self.direction == _MAINTAIN
        sign[maintain] = np.where(self.maintain_side[maintain] < 0, -1.0, 1.0)
        return sign


@dataclass(frozen=True, slots=True, eq=False)
class AchievementArrays:
    """Results, shape (indicators, years) unless noted. NaN / False = not reported."""

    fiscal_years: IntArray  # (years,)
    kind: Int8Array  # (indicators,)
    value: FloatArray
    actual: FloatArray
    progress: FloatArray
    target_gap_pct: FloatArray
    baseline_change_pct: FloatArray
    expected_progress: FloatArray
    pace: FloatArray
    reported: BoolArray
    achieved: BoolArray
    in_plan_period: BoolArray
    trend_vs_baseline: Int8Array
    trend_vs_previous: Int8Array
    previous_fy: IntArray  # −1 = none

    def metrics(self) -> dict[str, FloatArray]:
        """The numeric metrics a grading scheme can refer to."""
        return {
            "progress": self.progress,
            "pace": self.pace,
            "target_gap_pct": self.target_gap_pct,
            "baseline_change_pct": self.baseline_change_pct,
        }


def indicator_arrays_from_specs(specs: Sequence[IndicatorSpec]) -> IndicatorArrays:
    """Pack validated :class:`IndicatorSpec` objects into column arrays."""
    return IndicatorArrays(
        direction=np.array([DIRECTION_CODES[s.direction] for s in specs], dtype=np.int8),
        baseline=np.array([float(s.baseline) for s in specs], dtype=np.float64),
        target=np.array([float(s.target) for s in specs], dtype=np.float64),
        baseline_fy=np.array([s.baseline_fy for s in specs], dtype=np.int64),
        target_fy=np.array([s.target_fy for s in specs], dtype=np.int64),
        plan_start_fy=np.array([s.plan_start_fy for s in specs], dtype=np.int64),
        plan_end_fy=np.array([s.plan_end_fy for s in specs], dtype=np.int64),
        maintain_side=np.array([s.sign for s in specs], dtype=np.int8),
        running_total=np.array([s.running_total for s in specs], dtype=np.bool_),
        running_total_from_zero=np.array(
            [s.running_total_from_zero for s in specs], dtype=np.bool_
        ),
        running_total_start_fy=np.array(
            [s.effective_running_total_start_fy for s in specs], dtype=np.int64
        ),
        tolerance=np.array([s.effective_tolerance for s in specs], dtype=np.float64),
    )


def observations_to_matrix(
    observations: Sequence[Mapping[int, float | None]], first_fy: int, last_fy: int
) -> FloatArray:
    """FY → value mappings (None = not reported) to a (indicators, years) NaN matrix."""
    years = last_fy - first_fy + 1
    matrix = np.full((len(observations), years), np.nan, dtype=np.float64)
    for row, mapping in enumerate(observations):
        for fy, value in mapping.items():
            if value is not None and first_fy <= fy <= last_fy:
                matrix[row, fy - first_fy] = float(value)
    return matrix


def _safe_ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """Same rule as ``achievement.safe_ratio``: x/0 = 0 for x = 0, ±∞ otherwise."""
    denominator_b = np.broadcast_to(denominator, numerator.shape)
    zero = denominator_b == 0
    out = np.empty_like(numerator)
    np.divide(numerator, denominator_b, out=out, where=~zero)
    if zero.any():
        num = numerator[zero]
        out[zero] = np.where(num == 0, 0.0, np.where(num > 0, np.inf, -np.inf))
        out[zero & np.isnan(numerator)] = np.nan
    return out


def _snap(values: FloatArray) -> FloatArray:
    """Same as ``achievement.snap``: round to 9 places below ±10⁶, leave the rest."""
    with np.errstate(over="ignore", invalid="ignore"):
        result: FloatArray = np.where(
            np.abs(values) < SNAP_LIMIT, np.round(values, SNAP_DECIMALS), values
        )
    return result


def _classify(
    current: FloatArray, reference: FloatArray, sign: FloatArray, tolerance: FloatArray
) -> Int8Array:
    diff = current - reference
    code = np.where(
        sign * diff > 0, TREND_CODES[Trend.IMPROVED], TREND_CODES[Trend.WORSENED]
    ).astype(np.int8)
    tolerance_b = np.broadcast_to(tolerance, diff.shape)
    unchanged = np.where(tolerance_b > 0, _snap(np.abs(diff)) <= tolerance_b, diff == 0)
    code[unchanged] = TREND_CODES[Trend.UNCHANGED]
    return code


def evaluate_arrays(
    indicators: IndicatorArrays, values: FloatArray, first_fy: int
) -> AchievementArrays:
    """Achievement for ``values`` of shape (indicators, years); NaN = not reported."""
    values = np.asarray(values, dtype=np.float64)
    n, n_years = values.shape
    if n != len(indicators):
        raise ValueError(
            _("実績値の行数（%(rows)d）と成果指標の数（%(n)d）が一致しません。")
            % {"rows": n, "n": len(indicators)}
        )
    fiscal_years = first_fy + np.arange(n_years, dtype=np.int64)
    missing = np.isnan(values)
    if np.isinf(values).any():
        row, col = np.argwhere(np.isinf(values))[0]
        raise ObservationError(
            _(
                "%(row)d 行目の成果指標の%(fy)d年度の実績値が無限大です。正しい数値を入力してください。"
            )
            % {"row": int(row) + 1, "fy": int(fiscal_years[col])}
        )
    milestone = indicators.direction == _MILESTONE
    bad = milestone[:, None] & ~missing & (values != 0) & (values != 1)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ObservationError(
            _(
                "%(row)d 行目の成果指標の%(fy)d年度の実績値（%(value)s）が 0・1 以外です。"
                "達成・未達成の指標は、完了なら 1、未完了なら 0 を入力してください。"
            )
            % {"row": int(row) + 1, "fy": int(fiscal_years[col]), "value": f"{values[row, col]:g}"}
        )

    kind = indicators.kind
    sign = indicators.sign[:, None]
    baseline = indicators.baseline[:, None]
    target = indicators.target[:, None]
    fy = fiscal_years[None, :]

    # Actuals: values as entered, or running totals of yearly values.
    actual = values.copy()
    running_rows = np.flatnonzero(indicators.running_total)
    if running_rows.size:
        sub = values[running_rows]
        start_col = (indicators.running_total_start_fy[running_rows] - first_fy)[:, None]
        start_value = np.where(
            indicators.running_total_from_zero[running_rows], 0.0, indicators.baseline[running_rows]
        )[:, None]
        cols = np.arange(n_years)[None, :]
        increments = np.where(cols > start_col, sub, 0.0)
        increments = np.where(cols == start_col, start_value + sub, increments)
        totals = np.cumsum(increments, axis=1)
        totals = np.where(cols >= start_col, totals, np.nan)
        totals[(start_col < 0)[:, 0]] = np.nan  # the counting starts before the data: unknown
        actual[running_rows] = totals

    reported = ~np.isnan(actual)

    # Expected progress (%) by each FY and the pace relative to it.
    kind_col = kind[:, None]
    ratio_kind = kind_col == _KIND_RATIO
    milestone_kind = kind_col == _KIND_MILESTONE
    elapsed = fy - indicators.baseline_fy[:, None]
    span = (indicators.target_fy - indicators.baseline_fy)[:, None]
    due = fy >= indicators.target_fy[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        expected_ratio = np.where(
            elapsed <= 0,
            0.0,
            np.where(elapsed >= span, 100.0, _snap((elapsed * 100) / span)),
        )
    expected_progress = np.where(
        ratio_kind, expected_ratio, np.where(milestone_kind, np.where(due, 100.0, 0.0), 100.0)
    )

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        gap = _snap(_safe_ratio(sign * (actual - target) * 100.0, np.abs(target)))
        change = _snap(_safe_ratio(sign * (actual - baseline) * 100.0, np.abs(baseline)))
        denominator = target - baseline
        ratio = (actual - baseline) * 100.0 / np.where(denominator == 0, np.nan, denominator)
        progress = _snap(np.where(kind_col == _KIND_MAINTAIN, 100.0 + gap, ratio))
        ratio_pace = _snap(progress * span / np.maximum(np.minimum(elapsed, span), 1))
    ratio_pace = np.where(elapsed > 0, ratio_pace, np.nan)
    pace = np.where(
        ratio_kind,
        ratio_pace,
        np.where(milestone_kind, np.where(due, progress, 100.0), progress),
    )

    achieved = reported & (gap >= 0)

    tolerance = indicators.tolerance[:, None]
    trend_base = _classify(actual, np.broadcast_to(baseline, actual.shape), sign, tolerance)
    trend_base[~reported] = TREND_CODES[Trend.NOT_REPORTED]

    # Previous reported year within the range: forward-fill of the last reported column.
    cols = np.broadcast_to(np.arange(n_years, dtype=np.int64)[None, :], actual.shape)
    last_idx = np.maximum.accumulate(np.where(reported, cols, -1), axis=1)
    prev_idx = np.full_like(last_idx, -1)
    prev_idx[:, 1:] = last_idx[:, :-1]
    has_prev = prev_idx >= 0
    prev_actual = np.take_along_axis(actual, np.maximum(prev_idx, 0), axis=1)
    prev_actual = np.where(has_prev, prev_actual, np.nan)
    trend_prev = _classify(actual, prev_actual, sign, tolerance)
    trend_prev[~has_prev] = TREND_CODES[Trend.NO_REFERENCE]
    trend_prev[~reported] = TREND_CODES[Trend.NOT_REPORTED]
    previous_fy = np.where(has_prev, first_fy + prev_idx, -1)

    in_plan = (fy >= indicators.plan_start_fy[:, None]) & (fy <= indicators.plan_end_fy[:, None])

    nan = np.nan
    return AchievementArrays(
        fiscal_years=fiscal_years,
        kind=kind,
        value=values,
        actual=actual,
        progress=np.where(reported, progress, nan),
        target_gap_pct=np.where(reported, gap, nan),
        baseline_change_pct=np.where(reported, change, nan),
        expected_progress=np.broadcast_to(expected_progress, actual.shape).astype(np.float64),
        pace=np.where(reported, pace, nan),
        reported=reported,
        achieved=achieved,
        in_plan_period=in_plan,
        trend_vs_baseline=trend_base,
        trend_vs_previous=trend_prev,
        previous_fy=previous_fy,
    )
