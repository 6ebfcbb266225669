"""Golden tests for the grading presets, scheme validation and measure-level grades."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from keikaku.evaluation.domain.achievement import (
    Direction,
    IndicatorSpec,
    MaintainSide,
    YearResult,
    evaluate_indicator,
)
from keikaku.evaluation.domain.achievement_arrays import (
    evaluate_arrays,
    indicator_arrays_from_specs,
    observations_to_matrix,
)
from keikaku.evaluation.domain.grading import (
    STATUS_CODES,
    AggregationMethod,
    GradingScheme,
    GradingSchemeError,
    ImplementationStatus,
    MeasureAggregation,
    default_scheme_id,
    grade_achievements,
    grade_measure,
    grade_result,
    load_presets,
    presets_from_dict,
    scheme_from_dict,
)

PRESETS = load_presets()


def result(
    actual: float | None,
    *,
    fy: int = 2028,
    direction: Direction = Direction.INCREASE,
    baseline: float = 40.0,
    target: float = 50.0,
    baseline_fy: int = 2023,
    target_fy: int = 2028,
    maintain_side: MaintainSide | None = None,
) -> YearResult:
    s = IndicatorSpec(
        code="k",
        direction=direction,
        baseline=baseline,
        baseline_fy=baseline_fy,
        target=target,
        target_fy=target_fy,
        plan_start_fy=2024,
        plan_end_fy=2028,
        maintain_side=maintain_side,
    )
    return evaluate_indicator(s, {fy: actual}, fiscal_years=[fy]).years[0]


def label(scheme_id: str, r: YearResult, status: ImplementationStatus | None = None) -> str:
    return grade_result(r, PRESETS[scheme_id], status).label


def test_presets_shipped() -> None:
    assert list(PRESETS) == ["nagayo", "abcd", "marubatsu", "akiruno"]
    assert default_scheme_id() == "marubatsu"
    assert PRESETS["nagayo"].labels == ("S", "A", "B", "C", "−")
    assert PRESETS["abcd"].labels == ("A", "B", "C", "D", "−")
    assert PRESETS["marubatsu"].labels == ("◎", "○", "△", "×", "−")
    assert PRESETS["akiruno"].labels == ("F", "Y", "X", "S", "A", "B", "C", "Z")
    assert PRESETS["akiruno"].order == ("F", "S", "A", "B", "C")
    assert PRESETS["akiruno"].rank("X") is None
    for scheme in PRESETS.values():
        assert scheme.measure_aggregation == MeasureAggregation(AggregationMethod.MEAN, 0.5)


# --- (a) 長与町型 ------------------------------------------------------------------------
# increase, baseline 40, target 50


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (52.0, "S"),  # gap = (52 − 50) × 100 / 50 = 4 > 0 → 目標値を超えている
        (50.0, "A"),  # gap 0 is not "超えている"; change = 10 × 100 / 40 = 25 > 0 → A
        (40.1, "A"),  # change = 0.1 × 100 / 40 = 0.25 > 0
        (40.0, "B"),  # change 0 → same level
        (36.0, "B"),  # change = −4 × 100 / 40 = −10 → within △10 % (inclusive)
        (35.9, "C"),  # change = −4.1 × 100 / 40 = −10.25 < −10
        (None, "−"),  # not reported
    ],
)
def test_nagayo_increase(actual: float | None, expected: str) -> None:
    assert label("nagayo", result(actual)) == expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (149.0, "S"),  # gap = −1 × (149 − 150) × 100 / 150 = 0.666666667 > 0
        (180.0, "A"),  # change = −1 × (180 − 200) × 100 / 200 = 10 > 0
        (220.0, "B"),  # change = −1 × 20 × 100 / 200 = −10 → B
        (221.0, "C"),  # change = −10.5 → C
    ],
)
def test_nagayo_decrease(actual: float, expected: str) -> None:
    r = result(actual, direction=Direction.DECREASE, baseline=200, target=150)
    assert label("nagayo", r) == expected


def test_nagayo_maintain() -> None:
    # maintain at or above 80 (baseline 80): exactly kept → gap 0, change 0 → B (same level);
    # 81 → gap 1.25 > 0 → S; 73 → change −8.75 → B; 71 → change −11.25 → C
    def r(a: float) -> YearResult:
        return result(a, direction=Direction.MAINTAIN, baseline=80, target=80)

    assert [label("nagayo", r(a)) for a in (80, 81, 73, 71)] == ["B", "S", "B", "C"]


def test_infinite_values_from_a_zero_baseline_or_target() -> None:
    # increase 0 → 10: actual 5 → gap (5 − 10) × 100 / 10 = −50; change 5 × 100 / 0 = +∞ → A
    r = result(5.0, baseline=0, target=10)
    assert (r.target_gap_pct, r.baseline_change_pct) == (-50.0, float("inf"))
    assert label("nagayo", r) == "A"
    # maintain ≤ 0 with 3: gap −∞ → progress −∞ → D / × / C (open-ended bands include ±∞)
    z = result(
        3.0,
        direction=Direction.MAINTAIN,
        baseline=0,
        target=0,
        maintain_side=MaintainSide.AT_OR_BELOW,
    )
    assert z.progress == float("-inf")
    assert [label(s, z) for s in ("nagayo", "abcd", "marubatsu", "akiruno")] == ["C", "D", "×", "C"]


# --- (b) A/B/C/D achievement bands ------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "progress", "expected"),
    [
        (51.0, 110.0, "A"),  # (51 − 40) × 100 / 10 = 110 → A (≥ 110)
        (49.0, 90.0, "B"),  # 9 × 100 / 10 = 90
        (48.0, 80.0, "B"),  # 80 → B (80 ≤ x < 110)
        (47.9, 79.0, "C"),  # 7.9 × 100 / 10 = 79 (78.99999999999999 in binary, rounded to 79.0)
        (45.0, 50.0, "C"),  # 50 → C (50 ≤ x < 80)
        (44.9, 49.0, "D"),  # 49 → D
        (30.0, -100.0, "D"),  # −100, not clipped
        (None, None, "−"),
    ],
)
def test_abcd(actual: float | None, progress: float | None, expected: str) -> None:
    r = result(actual)
    assert r.progress == progress
    assert label("abcd", r) == expected


def test_abcd_decimal_boundary() -> None:
    # baseline 42.1 → target 52.1, actual 53.1: (53.1 − 42.1) × 100 / (52.1 − 42.1) = 110 exactly
    r = result(53.1, baseline=42.1, target=52.1)
    assert r.progress == 110.0
    assert label("abcd", r) == "A"


def test_abcd_maintain() -> None:
    # maintain ≥ 80 with baseline 82: 81 → progress 100 + 1.25 = 101.25 → B; 90 → 112.5 → A
    def r(a: float) -> YearResult:
        return result(
            a,
            direction=Direction.MAINTAIN,
            baseline=82,
            target=80,
            maintain_side=MaintainSide.AT_OR_ABOVE,
        )

    assert [label("abcd", r(a)) for a in (81, 90)] == ["B", "A"]


# --- (c) ◎○△× -------------------------------------------------------------------------
# increase 40 → 50, baseline FY2023, target FY2028 (span 5); evaluated in FY2025:
# elapsed 2 years → expected progress 2 × 100 / 5 = 40 %; pace = progress × 5 / 2


@pytest.mark.parametrize(
    ("actual", "pace", "expected"),
    [
        (50.0, 250.0, "◎"),  # progress 100 → 達成 (checked first)
        (44.0, 100.0, "○"),  # progress 40 → pace 100
        (43.2, 80.0, "○"),  # progress 32 → pace 80 (boundary, inclusive)
        (43.0, 75.0, "△"),  # progress 30 → pace 75
        (42.0, 50.0, "△"),  # progress 20 → pace 50
        (41.9, 47.5, "×"),  # progress 19 → pace 47.5
        (38.0, -50.0, "×"),  # progress −20 → pace −50
        (None, None, "−"),
    ],
)
def test_marubatsu_mid_plan(actual: float | None, pace: float | None, expected: str) -> None:
    r = result(actual, fy=2025)
    assert r.pace == pace
    assert label("marubatsu", r) == expected


def test_marubatsu_final_year_and_baseline_year() -> None:
    # final year: pace = progress; 48 → progress 80 → ○; 47 → 70 → △
    assert [label("marubatsu", result(a)) for a in (48.0, 47.0)] == ["○", "△"]
    # at the baseline FY nothing is expected yet → pace undefined → −
    assert label("marubatsu", result(41.0, fy=2023)) == "−"


def test_marubatsu_milestone() -> None:
    def r(a: float, fy: int) -> YearResult:
        return result(a, fy=fy, direction=Direction.MILESTONE, baseline=0, target=1)

    # not yet due and not done → pace 100 → ○; due and not done → pace 0 → ×; done → ◎
    assert [label("marubatsu", r(0, 2025)), label("marubatsu", r(0, 2028))] == ["○", "×"]
    assert label("marubatsu", r(1, 2025)) == "◎"


# --- (d) あきる野市型 -------------------------------------------------------------------
# same indicator, FY2025 (expected 40 %); the projection is the pace


@pytest.mark.parametrize(
    ("actual", "status", "expected"),
    [
        (44.4, None, "S"),  # progress 44 → pace 44 × 5 / 2 = 110 → 目標値以上の見込み
        (44.0, None, "A"),  # pace 100
        (43.6, None, "A"),  # progress 36 → pace 90 (boundary)
        (43.5, None, "B"),  # progress 35 → pace 87.5
        (42.0, None, "B"),  # pace 50
        (41.9, None, "C"),  # pace 47.5
        (None, None, "Z"),  # 評価困難
        (None, ImplementationStatus.COMPLETED, "F"),  # the status is checked first
        (44.4, ImplementationStatus.NOT_STARTED, "X"),
        (41.0, ImplementationStatus.DISCONTINUED, "Y"),
    ],
)
def test_akiruno(actual: float | None, status: ImplementationStatus | None, expected: str) -> None:
    r = result(actual, fy=2025)
    grade = grade_result(r, PRESETS["akiruno"], status)
    assert grade.label == expected


def test_grade_carries_description_and_rule_number() -> None:
    grade = grade_result(result(51.0), PRESETS["abcd"])
    assert (grade.label, grade.rule_number) == ("A", 1)
    assert grade.description == "目標を大きく上回って達成（達成度 110 % 以上）"


def test_vectorised_grading_matches_the_examples() -> None:
    specs = [
        IndicatorSpec(
            code=str(i),
            direction=Direction.INCREASE,
            baseline=40,
            baseline_fy=2023,
            target=50,
            target_fy=2028,
            plan_start_fy=2024,
            plan_end_fy=2028,
        )
        for i in range(4)
    ]
    obs: list[dict[int, float | None]] = [{2025: 44.4}, {2025: 43.5}, {2025: None}, {2025: 41.0}]
    arrays = evaluate_arrays(
        indicator_arrays_from_specs(specs), observations_to_matrix(obs, 2025, 2025), 2025
    )
    status = np.array(
        [0, 0, STATUS_CODES[ImplementationStatus.COMPLETED], STATUS_CODES[None]], dtype=np.int8
    )
    grades = grade_achievements(PRESETS["akiruno"], arrays, status)
    # 44.4 → S; 43.5 → B; None + completed → F; 41.0 → progress 10 → pace 25 → C
    assert [grades.label_at(i, 0) for i in range(4)] == ["S", "B", "F", "C"]
    assert grades.counts() == {"F": 1, "Y": 0, "X": 0, "S": 1, "A": 0, "B": 1, "C": 1, "Z": 0}
    plain = grade_achievements(PRESETS["akiruno"], arrays)  # no statuses given: rules skipped
    assert [plain.label_at(i, 0) for i in range(4)] == ["S", "B", "Z", "C"]


# --- measure level ----------------------------------------------------------------------


def test_measure_mean_leaves_out_not_reported() -> None:
    # progress 120 (52), 60 (46), not reported → mean of the reported = (120 + 60) / 2 = 90 → B
    # (counting the missing one as 0 would give 60 → C: that is what must not happen)
    results = [result(52.0), result(46.0), result(None)]
    measure = grade_measure(results, PRESETS["abcd"])
    assert (measure.label, measure.value) == ("B", 90.0)
    assert (measure.n_indicators, measure.n_reported, measure.n_ranked) == (3, 2, 2)
    assert measure.indicator_labels == ("A", "C", "−")
    assert measure.share_at_least == (("A", 0.5), ("B", 0.5), ("C", 1.0), ("D", 1.0))
    assert measure.method is AggregationMethod.MEAN


def test_measure_share_at_least_and_worst() -> None:
    results = [result(52.0), result(49.0), result(46.0), result(None)]  # A, B, C, −
    scheme = PRESETS["abcd"]
    # share at A or better = 1/3; at B or better = 2/3 ≥ 0.5 → median grade B
    median = grade_measure(
        results, scheme, aggregation=MeasureAggregation(AggregationMethod.SHARE_AT_LEAST, 0.5)
    )
    assert (median.label, median.value) == ("B", 2 / 3)
    # worst = the grade reached by all ranked indicators → C
    worst = grade_measure(results, scheme, aggregation=MeasureAggregation(AggregationMethod.WORST))
    assert (worst.label, worst.value) == ("C", 1.0)


def test_measure_without_reported_indicators() -> None:
    results = [result(None), result(None)]
    for method in AggregationMethod:
        measure = grade_measure(
            results, PRESETS["marubatsu"], aggregation=MeasureAggregation(method)
        )
        assert (measure.label, measure.value) == ("−", None)


def test_measure_mean_with_two_metrics() -> None:
    # ◎○△× in FY2025: paces 100 (44) and 50 (42) → mean pace 75; mean progress (40 + 20) / 2 = 30
    # → not ◎ (30 < 100), pace 75 → △
    measure = grade_measure([result(44.0, fy=2025), result(42.0, fy=2025)], PRESETS["marubatsu"])
    assert (measure.label, measure.value) == ("△", 30.0)


def test_measure_statuses_length_checked() -> None:
    with pytest.raises(ValueError) as info:
        grade_measure([result(44.0)], PRESETS["akiruno"], statuses=[])
    assert str(info.value) == "状態の数と成果指標の数が一致しません。"


# --- validation -------------------------------------------------------------------------


def abcd_data() -> dict[str, Any]:
    data = json.loads(
        (Path(__file__).resolve().parents[1] / "data" / "grading_presets.json").read_text("utf-8")
    )
    return copy.deepcopy(next(s for s in data["schemes"] if s["id"] == "abcd"))


def errors_of(data: dict[str, Any]) -> tuple[str, ...]:
    with pytest.raises(GradingSchemeError) as info:
        scheme_from_dict(data, "city.json")
    return info.value.errors


def test_city_defined_scheme_loads() -> None:
    scheme = scheme_from_dict(
        {
            "id": "city",
            "name": "市独自",
            "rules": [
                {"label": "達成", "description": "", "metric": "target_gap_pct", "min": 0},
                {"label": "悪化", "description": "", "trend_vs_baseline": ["worsened"]},
                {"label": "順調", "description": "", "metric": "pace", "min": 100},
                {"label": "遅れ", "description": "", "metric": "pace", "max": 100},
                {"label": "−", "description": "", "otherwise": True},
            ],
        }
    )
    assert isinstance(scheme, GradingScheme)
    assert scheme.order == ("達成", "順調", "遅れ")  # default order: band labels in rule order
    # 42 in FY2025: progress 20, pace 50, worse than baseline? no (42 > 40) → 遅れ
    assert grade_result(result(42.0, fy=2025), scheme).label == "遅れ"
    # 39: worse than the baseline → 悪化 (checked before the pace bands)
    assert grade_result(result(39.0, fy=2025), scheme).label == "悪化"


def test_overlapping_bands() -> None:
    data = abcd_data()
    data["rules"][1]["max"] = 120
    assert errors_of(data) == (
        "city.json: 評価方式「abcd」: 指標値「達成度」の区分「B」（80 以上 120 未満）と区分「A」（110 以上）"
        "の範囲が重なっています。境界の「以上」「未満」を確認してください。",
    )


def test_overlap_at_a_single_point() -> None:
    data = abcd_data()
    data["rules"][1]["max_inclusive"] = True
    assert errors_of(data) == (
        "city.json: 評価方式「abcd」: 指標値「達成度」の区分「B」（80 以上 110 以下）と区分「A」（110 以上）"
        "の範囲が重なっています。境界の「以上」「未満」を確認してください。",
    )


def test_gapped_bands() -> None:
    data = abcd_data()
    data["rules"][0]["min"] = 120
    assert errors_of(data) == (
        "city.json: 評価方式「abcd」: 指標値「達成度」の区分「B」（80 以上 110 未満）と区分「A」（120 以上）"
        "の間（110 以上 120 未満）に当てはまる区分がありません。どちらかの範囲を広げてください。",
    )


def test_gap_at_a_single_point() -> None:
    data = abcd_data()
    data["rules"][0]["min_inclusive"] = False
    assert errors_of(data) == (
        "city.json: 評価方式「abcd」: 指標値「達成度」の区分「B」（80 以上 110 未満）と区分「A」（110 を超え）"
        "の間（110）に当てはまる区分がありません。どちらかの範囲を広げてください。",
    )


def test_last_metric_must_cover_every_value() -> None:
    data = abcd_data()
    del data["rules"][3]  # no D (< 50)
    assert errors_of(data) == (
        "city.json: 評価方式「abcd」: 最後に使う指標値「達成度」の区分が50 未満の値を含んでいません。"
        "すべての値にいずれかの区分が当たるようにしてください（評価できない場合の区分は otherwise の規則で指定します）。",
        "city.json: 評価方式「abcd」: 「order」の区分「D」はどの規則にもありません。",
    )


def test_otherwise_must_be_last_and_single() -> None:
    data = abcd_data()
    data["rules"].insert(0, {"label": "?", "description": "", "otherwise": True})
    data["order"] = ["A", "B", "C", "D"]
    assert errors_of(data) == (
        "city.json: 評価方式「abcd」: 評価できない場合の規則（otherwise）を、最後に 1 つだけ置いてください"
        "（未報告などの結果はこの区分になります）。",
    )


def test_rule_level_errors() -> None:
    data = abcd_data()
    data["rules"][0] = {"label": "A", "metric": "achievement", "min": 110, "colour": "red"}
    data["rules"][1] = {"label": "B", "metric": "progress", "min": 110, "max": 80}
    data["rules"][2] = {"label": "C", "metric": "progress", "status": ["completed"], "min": 50}
    assert errors_of(data) == (
        "city.json: 評価方式「abcd」 の 1 番目の規則（区分「A」）: 知らない項目「colour」があります。綴りを確認してください。",
        "city.json: 評価方式「abcd」 の 1 番目の規則（区分「A」）: 指標値「achievement」は使えません。"
        "progress・pace・target_gap_pct・baseline_change_pct のどれかにしてください。",
        "city.json: 評価方式「abcd」 の 2 番目の規則（区分「B」）: 範囲（110 以上 80 未満）に当てはまる値がありません。"
        "min と max を確認してください。",
        "city.json: 評価方式「abcd」 の 3 番目の規則（区分「C」）: 条件は metric・status・trend_vs_baseline・"
        "trend_vs_previous・otherwise のうちちょうど 1 つを指定してください。",
    )


def test_status_and_aggregation_errors() -> None:
    data = abcd_data()
    data["rules"].insert(0, {"label": "F", "description": "", "status": ["done"]})
    data["measure_aggregation"] = {"method": "median", "threshold": 0.5}
    assert errors_of(data) == (
        "city.json: 評価方式「abcd」 の 1 番目の規則（区分「F」）: 「status」の値「done」は使えません。"
        "completed・not_started・discontinued のどれかにしてください。",
        "city.json: 評価方式「abcd」: 施策の評価方法「median」は使えません。mean・share_at_least・worst のどれかにしてください。",
    )


def test_order_errors() -> None:
    data = abcd_data()
    data["order"] = ["A", "B", "C", "D", "−", "A", "E"]
    assert errors_of(data) == (
        "city.json: 評価方式「abcd」: 「order」に同じ区分が 2 回以上あります。",
        "city.json: 評価方式「abcd」: 「order」に評価できない場合の区分「−」は入れられません。"
        "良い順に並べる区分だけを書いてください。",
        "city.json: 評価方式「abcd」: 「order」の区分「E」はどの規則にもありません。",
    )


def test_scheme_level_errors() -> None:
    assert errors_of({"rules": [], "colour": 1}) == (
        "city.json: 評価方式「?」: 「id」（評価方式の識別子）を文字列で指定してください。",
        "city.json: 評価方式「?」: 「name」（評価方式の名前）を文字列で指定してください。",
        "city.json: 評価方式「?」: 知らない項目「colour」があります。綴りを確認してください。",
        "city.json: 評価方式「?」: 「rules」（規則の一覧）を 1 件以上指定してください。",
    )


def test_threshold_range() -> None:
    data = abcd_data()
    data["measure_aggregation"] = {"method": "share_at_least", "threshold": 1.5}
    assert errors_of(data) == (
        "city.json: 評価方式「abcd」: 「threshold」（割合）は 0 より大きく 1 以下の数にしてください（いまは 1.5）。",
    )


def test_presets_from_dict_errors() -> None:
    good = abcd_data()
    with pytest.raises(GradingSchemeError) as info:
        presets_from_dict({"default_scheme": "x", "schemes": [good, good]}, "city.json")
    assert info.value.errors == ("city.json: 評価方式「abcd」が 2 回定義されています。",)
    with pytest.raises(GradingSchemeError) as info:
        presets_from_dict({"default_scheme": "x", "schemes": [good]}, "city.json")
    assert info.value.errors == ("city.json: 既定の評価方式「x」が「schemes」にありません。",)
    with pytest.raises(GradingSchemeError) as info:
        presets_from_dict({"schemes": []}, "city.json")
    assert info.value.errors == (
        "city.json: 「schemes」（評価方式の一覧）を 1 件以上指定してください。",
    )


def test_load_presets_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "my_city.json"
    path.write_text(json.dumps({"default_scheme": "abcd", "schemes": [abcd_data()]}), "utf-8")
    assert list(load_presets(path)) == ["abcd"]
    assert default_scheme_id(path) == "abcd"
