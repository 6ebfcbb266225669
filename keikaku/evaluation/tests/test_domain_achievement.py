"""Golden tests for KPI achievement (scalar path). Arithmetic is shown in the comments."""

from __future__ import annotations

import pytest

from keikaku.evaluation.domain.achievement import (
    CumulativeInput,
    Direction,
    EvaluationKind,
    IndicatorSpec,
    IndicatorSpecError,
    MaintainSide,
    ObservationError,
    Trend,
    direction_label,
    evaluate_indicator,
    trend_label,
)


def spec(**overrides: object) -> IndicatorSpec:
    values: dict[str, object] = {
        "code": "1-1-1",
        "direction": Direction.INCREASE,
        "baseline": 42.0,
        "baseline_fy": 2023,
        "target": 50.0,
        "target_fy": 2029,
        "plan_start_fy": 2025,
        "plan_end_fy": 2029,
    }
    values.update(overrides)
    return IndicatorSpec(**values)  # type: ignore[arg-type]


def test_survey_based_increase_year_by_year() -> None:
    # 「子育てしやすいまちだと思う市民の割合」: baseline 42.0 % (FY2023), target 50.0 % (FY2029),
    # survey-based → changes within ±3.0 points are "unchanged". Span = 2029 − 2023 = 6 years.
    s = spec(survey_based=True)
    ev = evaluate_indicator(
        s, {2024: 43.5, 2025: 44.0, 2026: None, 2027: 46.0, 2028: 41.0, 2029: 52.0}
    )
    assert ev.kind is EvaluationKind.RATIO
    assert [y.fiscal_year for y in ev.years] == [2024, 2025, 2026, 2027, 2028, 2029]

    y2024 = ev.year(2024)
    # before the plan period; progress = (43.5 − 42) × 100 / (50 − 42) = 150 / 8 = 18.75
    # expected = 1 × 100 / 6 = 16.666666667; pace = 18.75 × 6 / 1 = 112.5
    assert y2024.in_plan_period is False
    assert (y2024.progress, y2024.expected_progress, y2024.pace) == (18.75, 16.666666667, 112.5)
    assert y2024.trend_vs_previous is Trend.NO_REFERENCE
    assert y2024.previous_fy is None

    y2025 = ev.year(2025)
    # progress = (44 − 42) × 100 / 8 = 25.0; expected = 2 × 100 / 6 = 33.333333333
    # pace = 25 × 6 / 2 = 75.0; target gap = (44 − 50) × 100 / 50 = −12.0
    # change from baseline = (44 − 42) × 100 / 42 = 4.761904762 (rounded to 9 places)
    assert y2025.progress == 25.0
    assert y2025.expected_progress == 33.333333333
    assert y2025.pace == 75.0
    assert y2025.target_gap_pct == -12.0
    assert y2025.baseline_change_pct == 4.761904762
    assert y2025.achieved is False
    # |44 − 42| = 2 ≤ 3 → unchanged; |44 − 43.5| = 0.5 ≤ 3 → unchanged
    assert y2025.trend_vs_baseline is Trend.UNCHANGED
    assert y2025.trend_vs_previous is Trend.UNCHANGED
    assert y2025.previous_fy == 2024

    y2026 = ev.year(2026)  # not reported: never 0
    assert y2026.reported is False
    assert (y2026.value, y2026.actual, y2026.progress, y2026.pace) == (None, None, None, None)
    assert y2026.expected_progress == 50.0  # 3 × 100 / 6
    assert y2026.trend_vs_baseline is Trend.NOT_REPORTED
    assert y2026.trend_vs_previous is Trend.NOT_REPORTED

    y2027 = ev.year(2027)
    # progress = 4 × 100 / 8 = 50.0; expected 4 × 100 / 6 = 66.666666667; pace = 50 × 6 / 4 = 75.0
    # vs baseline 4 > 3 → improved; vs previous reported year (2025: 44) 2 ≤ 3 → unchanged
    assert (y2027.progress, y2027.expected_progress, y2027.pace) == (50.0, 66.666666667, 75.0)
    assert y2027.trend_vs_baseline is Trend.IMPROVED
    assert y2027.trend_vs_previous is Trend.UNCHANGED
    assert y2027.previous_fy == 2025

    y2028 = ev.year(2028)
    # progress = (41 − 42) × 100 / 8 = −12.5, kept below 0; pace = −12.5 × 6 / 5 = −15.0
    # vs baseline −1 (within 3) → unchanged; vs 2027 (46) −5 → worsened
    assert (y2028.progress, y2028.pace) == (-12.5, -15.0)
    assert y2028.trend_vs_baseline is Trend.UNCHANGED
    assert y2028.trend_vs_previous is Trend.WORSENED

    y2029 = ev.year(2029)
    # progress = 10 × 100 / 8 = 125.0, kept above 100; expected 100; pace = 125 × 6 / 6 = 125.0
    # gap = (52 − 50) × 100 / 50 = 4.0 → achieved
    assert (y2029.progress, y2029.expected_progress, y2029.pace) == (125.0, 100.0, 125.0)
    assert y2029.target_gap_pct == 4.0
    assert y2029.achieved is True
    assert ev.latest_reported() == y2029
    assert ev.latest_reported(up_to_fy=2026) == y2025


def test_decrease_indicator() -> None:
    # 「交通事故件数」: baseline 200 (FY2023) → target 150 (FY2028), smaller is better.
    s = spec(direction=Direction.DECREASE, baseline=200, target=150, target_fy=2028)
    ev = evaluate_indicator(s, {2024: 190, 2025: 210}, fiscal_years=range(2024, 2026))
    y2024, y2025 = ev.years
    # progress = (190 − 200) × 100 / (150 − 200) = −1000 / −50 = 20.0
    # expected = 1 × 100 / 5 = 20.0; pace = 20 × 5 / 1 = 100.0
    # gap = −1 × (190 − 150) × 100 / 150 = −26.666666667; change = −1 × (−10) × 100 / 200 = 5.0
    assert (y2024.progress, y2024.expected_progress, y2024.pace) == (20.0, 20.0, 100.0)
    assert y2024.target_gap_pct == -26.666666667
    assert y2024.baseline_change_pct == 5.0
    assert y2024.trend_vs_baseline is Trend.IMPROVED
    # progress = (210 − 200) × 100 / (−50) = −20.0; pace = −20 × 5 / 2 = −50.0
    assert (y2025.progress, y2025.pace) == (-20.0, -50.0)
    assert y2025.baseline_change_pct == -5.0
    assert y2025.trend_vs_baseline is Trend.WORSENED
    assert y2025.trend_vs_previous is Trend.WORSENED


def test_maintain_at_or_above() -> None:
    # 「市民満足度 80 % 以上を維持」: baseline 82 (FY2023), target 80, survey-based.
    s = spec(
        direction=Direction.MAINTAIN,
        baseline=82,
        target=80,
        survey_based=True,
        maintain_side=MaintainSide.AT_OR_ABOVE,
    )
    assert s.kind is EvaluationKind.MAINTAIN
    ev = evaluate_indicator(s, {2025: 81, 2026: 78}, fiscal_years=range(2025, 2027))
    y2025, y2026 = ev.years
    # gap = (81 − 80) × 100 / 80 = 1.25; progress = 100 + 1.25 = 101.25; expected always 100
    # change = (81 − 82) × 100 / 82 = −1.219512195; |−1| ≤ 3 → unchanged
    assert (y2025.progress, y2025.target_gap_pct, y2025.expected_progress) == (101.25, 1.25, 100.0)
    assert y2025.pace == 101.25
    assert y2025.baseline_change_pct == -1.219512195
    assert y2025.achieved is True
    assert y2025.trend_vs_baseline is Trend.UNCHANGED
    # gap = (78 − 80) × 100 / 80 = −2.5; progress 97.5; vs previous −3 → within ±3 → unchanged
    assert (y2026.progress, y2026.achieved) == (97.5, False)
    assert y2026.trend_vs_previous is Trend.UNCHANGED
    # vs baseline: 78 − 82 = −4 → worsened
    assert y2026.trend_vs_baseline is Trend.WORSENED


def test_maintain_at_or_below_with_zero_target() -> None:
    # 「待機児童数 0 人を維持」: a zero target has no relative scale: 0 % when kept, −∞ otherwise.
    s = spec(
        direction=Direction.MAINTAIN,
        baseline=0,
        target=0,
        maintain_side=MaintainSide.AT_OR_BELOW,
    )
    ev = evaluate_indicator(s, {2025: 0, 2026: 3}, fiscal_years=range(2025, 2027))
    y2025, y2026 = ev.years
    assert (y2025.target_gap_pct, y2025.progress, y2025.achieved) == (0.0, 100.0, True)
    assert y2025.trend_vs_baseline is Trend.UNCHANGED
    assert y2026.target_gap_pct == float("-inf")
    assert y2026.progress == float("-inf")
    assert y2026.achieved is False
    assert y2026.trend_vs_baseline is Trend.WORSENED


def test_target_equal_to_baseline_is_maintain_on_the_direction_side() -> None:
    # decrease with target == baseline (30 → 30): kept when at or below 30
    s = spec(direction=Direction.DECREASE, baseline=30, target=30)
    assert s.kind is EvaluationKind.MAINTAIN
    ev = evaluate_indicator(s, {2025: 27, 2026: 33}, fiscal_years=range(2025, 2027))
    # gap = −1 × (27 − 30) × 100 / 30 = 10.0 → progress 110.0; −1 × 3 × 100 / 30 = −10 → 90.0
    assert [y.progress for y in ev.years] == [110.0, 90.0]
    assert [y.achieved for y in ev.years] == [True, False]


def test_milestone_due_date_semantics() -> None:
    # 「公共施設再配置計画の策定」: done (1) / not done (0), due in FY2026.
    s = spec(direction=Direction.MILESTONE, baseline=0, target=1, target_fy=2026)
    ev = evaluate_indicator(s, {2025: 0, 2026: 0, 2027: 1}, fiscal_years=range(2025, 2028))
    y2025, y2026, y2027 = ev.years
    # before the due year nothing is expected (0 %); not done yet counts as on schedule (pace 100)
    assert (y2025.progress, y2025.expected_progress, y2025.pace) == (0.0, 0.0, 100.0)
    assert y2025.trend_vs_baseline is Trend.UNCHANGED
    # due and not done: pace = progress = 0
    assert (y2026.progress, y2026.expected_progress, y2026.pace) == (0.0, 100.0, 0.0)
    assert (y2027.progress, y2027.pace, y2027.achieved) == (100.0, 100.0, True)
    assert y2027.trend_vs_previous is Trend.IMPROVED


def test_milestone_rejects_other_values() -> None:
    s = spec(direction=Direction.MILESTONE, baseline=0, target=1)
    with pytest.raises(ObservationError) as info:
        evaluate_indicator(s, {2025: 0.5})
    assert str(info.value) == (
        "成果指標「1-1-1」の2025年度の実績値（0.5）が 0・1 以外です。"
        "達成・未達成の指標は、完了なら 1、未完了なら 0 を入力してください。"
    )


def test_cumulative_yearly_values_start_from_the_baseline() -> None:
    # 「空き家バンク成約件数（累計）」: 30 so far at FY2024, target 80 by FY2029;
    # yearly numbers are entered and summed from FY2025 (the year after the baseline FY).
    s = spec(baseline=30, baseline_fy=2024, target=80, target_fy=2029, cumulative=True)
    ev = evaluate_indicator(
        s, {2025: 10, 2026: 12, 2027: None, 2028: 15}, fiscal_years=range(2024, 2030)
    )
    by_fy = {y.fiscal_year: y for y in ev.years}
    assert by_fy[2024].actual is None  # before the counting starts
    # 2025: 30 + 10 = 40 → progress (40 − 30) × 100 / 50 = 20.0; expected 1/5 = 20.0 → pace 100
    assert (by_fy[2025].actual, by_fy[2025].progress, by_fy[2025].pace) == (40.0, 20.0, 100.0)
    # 2026: 40 + 12 = 52 → progress 22 × 100 / 50 = 44.0; pace = 44 × 5 / 2 = 110.0
    assert (by_fy[2026].actual, by_fy[2026].progress, by_fy[2026].pace) == (52.0, 44.0, 110.0)
    # 2027 missing: the running total is unknown from here on, never "52 + 0"
    assert by_fy[2027].actual is None
    assert by_fy[2028].value == 15.0
    assert by_fy[2028].actual is None
    assert by_fy[2028].trend_vs_previous is Trend.NOT_REPORTED


def test_cumulative_from_zero_with_explicit_start() -> None:
    # 「講座の延べ参加者数（計画期間の累計）」: counted from FY2025, starting at 0.
    s = spec(
        baseline=0,
        target=1000,
        cumulative=True,
        running_total_from_zero=True,
        running_total_start_fy=2025,
    )
    ev = evaluate_indicator(s, {2024: 90, 2025: 100, 2026: 120}, fiscal_years=range(2024, 2027))
    assert [y.actual for y in ev.years] == [None, 100.0, 220.0]
    assert [y.value for y in ev.years] == [90.0, 100.0, 120.0]


def test_cumulative_running_total_values_are_used_as_entered() -> None:
    s = spec(
        baseline=30,
        baseline_fy=2024,
        target=80,
        cumulative=True,
        cumulative_input=CumulativeInput.RUNNING_TOTAL,
    )
    ev = evaluate_indicator(s, {2025: 40, 2026: 52}, fiscal_years=range(2025, 2027))
    assert [y.actual for y in ev.years] == [40.0, 52.0]
    assert [y.progress for y in ev.years] == [20.0, 44.0]


def test_counting_that_starts_before_the_range_is_not_reported() -> None:
    s = spec(baseline=30, baseline_fy=2022, target=80, cumulative=True)  # counts from FY2023
    ev = evaluate_indicator(s, {2025: 10}, fiscal_years=range(2025, 2027))
    assert [y.actual for y in ev.years] == [None, None]


def test_nan_is_not_reported() -> None:
    ev = evaluate_indicator(spec(), {2025: float("nan")}, fiscal_years=[2025])
    assert ev.years[0].reported is False
    assert ev.years[0].value is None


def test_default_range_covers_plan_and_observations() -> None:
    ev = evaluate_indicator(spec(), {2023: 42.0, 2031: 55.0})
    assert [y.fiscal_year for y in ev.years] == list(range(2023, 2032))
    assert ev.year(2023).pace is None  # nothing expected at the baseline FY
    assert ev.year(2031).expected_progress == 100.0


def test_non_contiguous_years_are_rejected() -> None:
    with pytest.raises(ValueError) as info:
        evaluate_indicator(spec(), {}, fiscal_years=[2025, 2027])
    assert str(info.value) == "評価する年度は連続した範囲で指定してください。"


def test_infinite_value_is_rejected() -> None:
    with pytest.raises(ObservationError) as info:
        evaluate_indicator(spec(), {2025: float("inf")})
    assert str(info.value) == (
        "成果指標「1-1-1」の2025年度の実績値が無限大です。正しい数値を入力してください。"
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"target": 40.0},
            "成果指標「1-1-1」: 方向が「増加」なのに、目標値（40）が基準値（42）より小さくなっています。"
            "方向を「減少」にするか、値を確認してください。",
        ),
        (
            {"direction": Direction.DECREASE},
            "成果指標「1-1-1」: 方向が「減少」なのに、目標値（50）が基準値（42）より大きくなっています。"
            "方向を「増加」にするか、値を確認してください。",
        ),
        (
            {"target_fy": 2023},
            "成果指標「1-1-1」: 目標年度（2023年度）が基準年度（2023年度）より後になっていません。"
            "年度を確認してください。",
        ),
        (
            {"plan_end_fy": 2024},
            "成果指標「1-1-1」: 計画期間の終了年度（2024年度）が開始年度（2025年度）より前です。"
            "年度を確認してください。",
        ),
        (
            {"direction": Direction.MILESTONE},
            "成果指標「1-1-1」: 方向が「達成・未達成」の指標は、基準値を 0（未完了）、目標値を 1（完了）に"
            "してください（いまは基準値 42、目標値 50）。",
        ),
        (
            {"direction": Direction.MILESTONE, "baseline": 0, "target": 1, "cumulative": True},
            "成果指標「1-1-1」: 方向が「達成・未達成」の指標は累計にできません。「累計」を外してください。",
        ),
        (
            {"maintain_side": MaintainSide.AT_OR_BELOW},
            "成果指標「1-1-1」: 「維持の向き」は方向が「維持」の指標にだけ指定できます。"
            "指定を外すか、方向を「維持」にしてください。",
        ),
        (
            {"baseline": float("nan")},
            "成果指標「1-1-1」: 基準値（nan）が数値ではありません。数値を入力してください。",
        ),
        (
            {"tolerance": -1.0},
            "成果指標「1-1-1」: 「変化なし」とみなす幅（-1.0）は 0 以上の数値にしてください。",
        ),
    ],
)
def test_spec_validation_messages(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(IndicatorSpecError) as info:
        spec(**overrides)
    assert str(info.value) == message


def test_tolerance_defaults() -> None:
    assert spec().effective_tolerance == 0.0
    assert spec(survey_based=True).effective_tolerance == 3.0
    assert spec(survey_based=True, tolerance=5.0).effective_tolerance == 5.0


def test_exactly_three_points_is_unchanged() -> None:
    # 45.3 − 42.3 = 3.0000000000000036 in binary floating point; rounded to 9 places = 3.0 ≤ 3
    s = spec(baseline=42.3, survey_based=True)
    assert evaluate_indicator(s, {2025: 45.3}).year(2025).trend_vs_baseline is Trend.UNCHANGED
    assert evaluate_indicator(s, {2025: 45.4}).year(2025).trend_vs_baseline is Trend.IMPROVED


def test_labels() -> None:
    assert [trend_label(t) for t in Trend] == ["改善", "変化なし", "悪化", "未報告", "比較不可"]
    assert [direction_label(d) for d in Direction] == ["増加", "減少", "維持", "達成・未達成"]
