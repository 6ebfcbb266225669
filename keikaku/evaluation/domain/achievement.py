"""KPI achievement (成果指標の達成度) for one indicator, year by year. Pure Python.

The method is explained for staff in ``docs/evaluation-method.md``. In short, for an
indicator with baseline ``b`` (基準値), target ``t`` (目標値) and actual ``a`` (実績値):

- ``progress`` (達成度, %) = (a − b) / (t − b) × 100 for increase and decrease indicators;
  for "maintain" indicators (direction maintain, or target == baseline) it is
  100 + ``target_gap_pct``, so it is ≥ 100 exactly when the level was kept; for milestones
  (done = 1 / not done = 0, baseline 0, target 1) it is 100 or 0;
- ``target_gap_pct`` = s · (a − t) / |t| × 100 and ``baseline_change_pct`` =
  s · (a − b) / |b| × 100, where s = +1 when larger is better and −1 when smaller is
  better (a zero denominator gives 0 for no difference, ±∞ otherwise);
- ``expected_progress`` (期待される進捗, %) = share of the period from the baseline FY to the
  target FY that has elapsed, × 100 (held between 0 and 100; always 100 for maintain;
  0 before and 100 from the target FY for milestones); ``pace`` = progress relative to it;
- trends against the baseline and against the previous reported year: improved /
  unchanged / worsened, respecting the direction; survey-based indicators count a change
  within ±tolerance points (default 3.0) as unchanged.

Missing values are "not reported" (``None``), never 0. Nothing is clipped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from keikaku.core.domain.i18n import _

DEFAULT_SURVEY_TOLERANCE = 3.0
"""Survey-based KPIs: a change within ±3 points counts as no change (福岡市 practice)."""

SNAP_DECIMALS = 9
"""Percentages are rounded to 9 decimal places, so that a value that is exactly on a band
boundary in decimal arithmetic (110 %, 3.0 points) is not pushed off it by binary
floating-point error (e.g. 109.99999999999999 → 110.0)."""


SNAP_LIMIT = 1e6
"""Values at or beyond ±10⁶ are left as they are (9 decimals are below their resolution)."""


def snap(value: float) -> float:
    """Round to :data:`SNAP_DECIMALS` places with numpy's rule (the vectorised path uses it too)."""
    if not abs(value) < SNAP_LIMIT:
        return value
    return float(np.round(value, SNAP_DECIMALS))


class Direction(StrEnum):
    """Which way an indicator should move (指標の方向)."""

    INCREASE = "increase"  # 増加（大きいほどよい）
    DECREASE = "decrease"  # 減少（小さいほどよい）
    MAINTAIN = "maintain"  # 維持
    MILESTONE = "milestone"  # 達成・未達成（1 = 完了 / 0 = 未完了）


class MaintainSide(StrEnum):
    """For maintain indicators: which side of the target counts as "kept"."""

    AT_OR_ABOVE = "at_or_above"  # 目標値以上を維持
    AT_OR_BELOW = "at_or_below"  # 目標値以下を維持


class CumulativeInput(StrEnum):
    """How the values of a cumulative (累計) indicator are entered."""

    YEARLY = "yearly"  # 各年度の実績（単年度分）。累計はシステムが足し上げる
    RUNNING_TOTAL = "running_total"  # 入力値がすでに累計


class EvaluationKind(StrEnum):
    """How progress is computed (derived from direction, baseline and target)."""

    RATIO = "ratio"  # (実績 − 基準) / (目標 − 基準)
    MAINTAIN = "maintain"  # 目標水準の維持
    MILESTONE = "milestone"  # 完了 / 未完了


class Trend(StrEnum):
    """Change against a reference value, respecting the direction."""

    IMPROVED = "improved"  # 改善
    UNCHANGED = "unchanged"  # 変化なし
    WORSENED = "worsened"  # 悪化
    NOT_REPORTED = "not_reported"  # 当該年度が未報告
    NO_REFERENCE = "no_reference"  # 比べる値がない（前年度の報告がない等）


def trend_label(trend: Trend) -> str:
    """Japanese name of a trend, for pages and reports."""
    labels = {
        Trend.IMPROVED: _("改善"),
        Trend.UNCHANGED: _("変化なし"),
        Trend.WORSENED: _("悪化"),
        Trend.NOT_REPORTED: _("未報告"),
        Trend.NO_REFERENCE: _("比較不可"),
    }
    return labels[trend]


def direction_label(direction: Direction) -> str:
    """Japanese name of a direction, for pages and reports."""
    labels = {
        Direction.INCREASE: _("増加"),
        Direction.DECREASE: _("減少"),
        Direction.MAINTAIN: _("維持"),
        Direction.MILESTONE: _("達成・未達成"),
    }
    return labels[direction]


# Integer codes shared with the vectorised implementation.
TREND_CODES: dict[Trend, int] = {
    Trend.IMPROVED: 1,
    Trend.UNCHANGED: 0,
    Trend.WORSENED: -1,
    Trend.NOT_REPORTED: -2,
    Trend.NO_REFERENCE: -3,
}
TREND_FROM_CODE: dict[int, Trend] = {code: trend for trend, code in TREND_CODES.items()}
DIRECTION_CODES: dict[Direction, int] = {
    Direction.INCREASE: 0,
    Direction.DECREASE: 1,
    Direction.MAINTAIN: 2,
    Direction.MILESTONE: 3,
}
KIND_CODES: dict[EvaluationKind, int] = {
    EvaluationKind.RATIO: 0,
    EvaluationKind.MAINTAIN: 1,
    EvaluationKind.MILESTONE: 2,
}
KIND_FROM_CODE: dict[int, EvaluationKind] = {code: kind for kind, code in KIND_CODES.items()}


class IndicatorSpecError(ValueError):
    """An indicator definition cannot be evaluated; the message says which field to fix."""


class ObservationError(ValueError):
    """An observed value cannot be used; the message says which year and what to do."""


def _fmt(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """One KPI (成果指標) as written on a measure page, plus how to evaluate it.

    ``cumulative`` (累計) with ``cumulative_input``:

    - ``YEARLY``: each year's value is that year's amount; the actual is the running total
      = start value + the yearly values from ``running_total_start_fy`` (default: the year
      after the baseline FY) up to the year evaluated. The start value is the baseline
      (the baseline is the total so far) or 0 when ``running_total_from_zero`` is set.
      A missing year makes that year's and every later running total "not reported".
    - ``RUNNING_TOTAL``: the values entered are already running totals; used as they are.

    ``maintain_side`` is for direction ``MAINTAIN`` (default at or above the target); an
    increase/decrease indicator whose target equals its baseline is evaluated as
    "maintain" on its own side (increase: at or above, decrease: at or below).
    """

    code: str
    direction: Direction
    baseline: float
    baseline_fy: int
    target: float
    target_fy: int
    plan_start_fy: int
    plan_end_fy: int
    name: str = ""
    unit: str = ""
    cumulative: bool = False
    cumulative_input: CumulativeInput = CumulativeInput.YEARLY
    running_total_from_zero: bool = False
    running_total_start_fy: int | None = None
    survey_based: bool = False
    tolerance: float | None = None
    maintain_side: MaintainSide | None = None

    def __post_init__(self) -> None:
        where = _("成果指標「%(code)s」") % {"code": self.code or self.name or "?"}
        problems: list[str] = []
        for value, label in ((self.baseline, _("基準値")), (self.target, _("目標値"))):
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
            ):
                problems.append(
                    _("%(field)s（%(value)s）が数値ではありません。数値を入力してください。")
                    % {"field": label, "value": value}
                )
        if self.tolerance is not None and (not math.isfinite(self.tolerance) or self.tolerance < 0):
            problems.append(
                _("「変化なし」とみなす幅（%(value)s）は 0 以上の数値にしてください。")
                % {"value": self.tolerance}
            )
        if self.target_fy <= self.baseline_fy:
            problems.append(
                _(
                    "目標年度（%(target_fy)d年度）が基準年度（%(baseline_fy)d年度）より後になっていません。"
                    "年度を確認してください。"
                )
                % {"target_fy": self.target_fy, "baseline_fy": self.baseline_fy}
            )
        if self.plan_end_fy < self.plan_start_fy:
            problems.append(
                _(
                    "計画期間の終了年度（%(end)d年度）が開始年度（%(start)d年度）より前です。"
                    "年度を確認してください。"
                )
                % {"end": self.plan_end_fy, "start": self.plan_start_fy}
            )
        if not problems:
            problems.extend(self._direction_problems())
        if problems:
            raise IndicatorSpecError(where + ": " + " ".join(problems))

    def _direction_problems(self) -> list[str]:
        problems: list[str] = []
        values = {"target": _fmt(self.target), "baseline": _fmt(self.baseline)}
        if self.direction is Direction.INCREASE and self.target < self.baseline:
            problems.append(
                _(
                    "方向が「増加」なのに、目標値（%(target)s）が基準値（%(baseline)s）より小さくなっています。"
                    "方向を「減少」にするか、値を確認してください。"
                )
                % values
            )
        if self.direction is Direction.DECREASE and self.target > self.baseline:
            problems.append(
                _(
                    "方向が「減少」なのに、目標値（%(target)s）が基準値（%(baseline)s）より大きくなっています。"
                    "方向を「増加」にするか、値を確認してください。"
                )
                % values
            )
        if self.direction is Direction.MILESTONE:
            if self.baseline != 0 or self.target != 1:
                problems.append(
                    _(
                        "方向が「達成・未達成」の指標は、基準値を 0（未完了）、目標値を 1（完了）にしてください"
                        "（いまは基準値 %(baseline)s、目標値 %(target)s）。"
                    )
                    % values
                )
            if self.cumulative:
                problems.append(
                    _("方向が「達成・未達成」の指標は累計にできません。「累計」を外してください。")
                )
        if self.maintain_side is not None and self.direction is not Direction.MAINTAIN:
            problems.append(
                _(
                    "「維持の向き」は方向が「維持」の指標にだけ指定できます。"
                    "指定を外すか、方向を「維持」にしてください。"
                )
            )
        return problems

    @property
    def kind(self) -> EvaluationKind:
        if self.direction is Direction.MILESTONE:
            return EvaluationKind.MILESTONE
        if self.direction is Direction.MAINTAIN or self.target == self.baseline:
            return EvaluationKind.MAINTAIN
        return EvaluationKind.RATIO

    @property
    def sign(self) -> int:
        """+1 when a larger value is better, −1 when a smaller value is better."""
        if self.direction is Direction.DECREASE:
            return -1
        if self.direction is Direction.MAINTAIN:
            return -1 if self.maintain_side is MaintainSide.AT_OR_BELOW else 1
        return 1

    @property
    def effective_tolerance(self) -> float:
        """Width of "no change": the given tolerance, else 3.0 points for surveys, else 0."""
        if self.tolerance is not None:
            return float(self.tolerance)
        return DEFAULT_SURVEY_TOLERANCE if self.survey_based else 0.0

    @property
    def running_total(self) -> bool:
        """True when the actual is computed as a running total of yearly values."""
        return self.cumulative and self.cumulative_input is CumulativeInput.YEARLY

    @property
    def effective_running_total_start_fy(self) -> int:
        if self.running_total_start_fy is not None:
            return self.running_total_start_fy
        return self.baseline_fy + 1


@dataclass(frozen=True, slots=True)
class YearResult:
    """The indicator's state in one fiscal year. ``None`` = not reported / not computable."""

    fiscal_year: int
    in_plan_period: bool
    value: float | None
    """The value as entered for this year (a yearly amount for cumulative-yearly indicators)."""
    actual: float | None
    """The value evaluated (the running total for cumulative-yearly indicators)."""
    progress: float | None
    target_gap_pct: float | None
    baseline_change_pct: float | None
    expected_progress: float
    pace: float | None
    achieved: bool | None
    trend_vs_baseline: Trend
    trend_vs_previous: Trend
    previous_fy: int | None
    """The latest earlier year with a reported actual (the reference of trend_vs_previous)."""

    @property
    def reported(self) -> bool:
        return self.actual is not None


@dataclass(frozen=True, slots=True)
class IndicatorEvaluation:
    spec: IndicatorSpec
    kind: EvaluationKind
    years: tuple[YearResult, ...]

    def year(self, fiscal_year: int) -> YearResult:
        for result in self.years:
            if result.fiscal_year == fiscal_year:
                return result
        raise KeyError(fiscal_year)

    def latest_reported(self, up_to_fy: int | None = None) -> YearResult | None:
        """The last reported year (up to ``up_to_fy`` if given), or None."""
        for result in reversed(self.years):
            if up_to_fy is not None and result.fiscal_year > up_to_fy:
                continue
            if result.reported:
                return result
        return None


def safe_ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator; with a zero denominator: 0 for 0, ±∞ otherwise (NaN stays NaN)."""
    if denominator == 0:
        if math.isnan(numerator):
            return math.nan
        if numerator == 0:
            return 0.0
        return math.inf if numerator > 0 else -math.inf
    return numerator / denominator


def expected_progress(
    kind: EvaluationKind, fiscal_year: int, baseline_fy: int, target_fy: int
) -> float:
    """Expected progress by ``fiscal_year`` in % (0–100): the elapsed share of the period
    from the baseline FY to the target FY; 100 for maintain; 0 / 100 for milestones."""
    if kind is EvaluationKind.MAINTAIN:
        return 100.0
    if kind is EvaluationKind.MILESTONE:
        return 100.0 if fiscal_year >= target_fy else 0.0
    elapsed = fiscal_year - baseline_fy
    span = target_fy - baseline_fy
    if elapsed <= 0:
        return 0.0
    if elapsed >= span:
        return 100.0
    return snap(elapsed * 100 / span)


def pace_of(
    kind: EvaluationKind, progress: float, fiscal_year: int, baseline_fy: int, target_fy: int
) -> float | None:
    """Progress relative to the expected progress, in % (None when nothing was expected yet).

    Ratio indicators: progress × span / elapsed years (elapsed capped at the span), i.e. the
    final achievement projected at the current rate. Maintain: the progress itself.
    Milestones: the progress once due; 100 (on schedule) before the target FY.
    """
    if kind is EvaluationKind.MAINTAIN:
        return progress
    if kind is EvaluationKind.MILESTONE:
        return progress if fiscal_year >= target_fy else 100.0
    elapsed = fiscal_year - baseline_fy
    span = target_fy - baseline_fy
    if elapsed <= 0:
        return None
    return snap(progress * span / min(elapsed, span))


def classify_trend(current: float, reference: float, sign: int, tolerance: float) -> Trend:
    """Improved / unchanged / worsened, with |current − reference| ≤ tolerance = unchanged.

    With tolerance 0 only an identical value is unchanged; with a tolerance the difference
    is first rounded (:func:`snap`) so that exactly 3.0 points counts as within ±3 points.
    """
    diff = current - reference
    unchanged = snap(abs(diff)) <= tolerance if tolerance > 0 else diff == 0
    if unchanged:
        return Trend.UNCHANGED
    return Trend.IMPROVED if sign * diff > 0 else Trend.WORSENED


def _clean(value: float | None) -> float:
    if value is None:
        return math.nan
    return float(value)


def _check_value(spec: IndicatorSpec, fiscal_year: int, value: float) -> None:
    if math.isinf(value):
        raise ObservationError(
            _(
                "成果指標「%(code)s」の%(fy)d年度の実績値が無限大です。正しい数値を入力してください。"
            )
            % {"code": spec.code, "fy": fiscal_year}
        )
    if spec.direction is Direction.MILESTONE and not math.isnan(value) and value not in (0, 1):
        raise ObservationError(
            _(
                "成果指標「%(code)s」の%(fy)d年度の実績値（%(value)s）が 0・1 以外です。"
                "達成・未達成の指標は、完了なら 1、未完了なら 0 を入力してください。"
            )
            % {"code": spec.code, "fy": fiscal_year, "value": _fmt(value)}
        )


def default_fiscal_years(spec: IndicatorSpec, observations: Mapping[int, float | None]) -> range:
    """The plan period, widened to include every year that has an observation."""
    first = min([spec.plan_start_fy, *observations.keys()])
    last = max([spec.plan_end_fy, *observations.keys()])
    return range(first, last + 1)


def _actuals(spec: IndicatorSpec, years: list[int], values: list[float]) -> list[float]:
    """Values as entered, or running totals for cumulative indicators entered year by year."""
    if not spec.running_total:
        return list(values)
    start_fy = spec.effective_running_total_start_fy
    if not years or start_fy < years[0]:
        return [math.nan] * len(years)  # the counting starts before the data: unknown
    total = 0.0 if spec.running_total_from_zero else float(spec.baseline)
    actuals: list[float] = []
    for fy, value in zip(years, values, strict=True):
        if fy < start_fy:
            actuals.append(math.nan)
            continue
        total = total + value  # NaN (not reported) carries forward
        actuals.append(total)
    return actuals


def evaluate_indicator(
    spec: IndicatorSpec,
    observations: Mapping[int, float | None],
    fiscal_years: Iterable[int] | None = None,
) -> IndicatorEvaluation:
    """Evaluate one indicator for each fiscal year of a contiguous range.

    ``observations`` maps FY → value; ``None`` or NaN means not reported. Observations
    outside ``fiscal_years`` are ignored (default: the plan period widened to cover every
    observation). Previous-year trends look back within the range only.
    """
    years = (
        list(fiscal_years)
        if fiscal_years is not None
        else list(default_fiscal_years(spec, observations))
    )
    if years and years != list(range(years[0], years[0] + len(years))):
        raise ValueError(_("評価する年度は連続した範囲で指定してください。"))
    values: list[float] = []
    for fy in years:
        value = _clean(observations.get(fy))
        _check_value(spec, fy, value)
        values.append(value)

    kind = spec.kind
    sign = spec.sign
    baseline = float(spec.baseline)
    target = float(spec.target)
    tolerance = spec.effective_tolerance

    results: list[YearResult] = []
    previous_actual = math.nan
    previous_fy: int | None = None
    for fy, value, actual in zip(years, values, _actuals(spec, years, values), strict=True):
        expected = expected_progress(kind, fy, spec.baseline_fy, spec.target_fy)
        in_plan = spec.plan_start_fy <= fy <= spec.plan_end_fy
        entered = None if math.isnan(value) else value
        if math.isnan(actual):
            results.append(
                YearResult(
                    fiscal_year=fy,
                    in_plan_period=in_plan,
                    value=entered,
                    actual=None,
                    progress=None,
                    target_gap_pct=None,
                    baseline_change_pct=None,
                    expected_progress=expected,
                    pace=None,
                    achieved=None,
                    trend_vs_baseline=Trend.NOT_REPORTED,
                    trend_vs_previous=Trend.NOT_REPORTED,
                    previous_fy=previous_fy,
                )
            )
            continue
        gap = snap(safe_ratio(sign * (actual - target) * 100.0, abs(target)))
        change = snap(safe_ratio(sign * (actual - baseline) * 100.0, abs(baseline)))
        if kind is EvaluationKind.MAINTAIN:
            progress = snap(100.0 + gap)
        else:
            progress = snap((actual - baseline) * 100.0 / (target - baseline))
        results.append(
            YearResult(
                fiscal_year=fy,
                in_plan_period=in_plan,
                value=entered,
                actual=actual,
                progress=progress,
                target_gap_pct=gap,
                baseline_change_pct=change,
                expected_progress=expected,
                pace=pace_of(kind, progress, fy, spec.baseline_fy, spec.target_fy),
                achieved=gap >= 0,
                trend_vs_baseline=classify_trend(actual, baseline, sign, tolerance),
                trend_vs_previous=(
                    Trend.NO_REFERENCE
                    if previous_fy is None
                    else classify_trend(actual, previous_actual, sign, tolerance)
                ),
                previous_fy=previous_fy,
            )
        )
        previous_actual = actual
        previous_fy = fy
    return IndicatorEvaluation(spec=spec, kind=kind, years=tuple(results))
