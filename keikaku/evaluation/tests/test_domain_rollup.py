"""Roll-ups per policy area and for the whole plan, and measures needing attention."""

from __future__ import annotations

import pytest

from keikaku.evaluation.domain.achievement import Trend
from keikaku.evaluation.domain.grading import load_presets
from keikaku.evaluation.domain.rollup import (
    AttentionItem,
    AttentionRule,
    AttentionRuleError,
    IndicatorOutcome,
    MeasureOutcome,
    TrendBasis,
    TrendCounts,
    count_trends,
    measures_needing_attention,
    roll_up,
)

SCHEME = load_presets()["marubatsu"]
IMP, UNC, WOR = Trend.IMPROVED, Trend.UNCHANGED, Trend.WORSENED
NR, NO = Trend.NOT_REPORTED, Trend.NO_REFERENCE


def ind(
    code: str, measure: str, area: str, grade: str, base: Trend, prev: Trend
) -> IndicatorOutcome:
    return IndicatorOutcome(
        indicator_code=code,
        measure_code=measure,
        policy_area_code=area,
        grade=grade,
        reported=base is not NR,
        trend_vs_baseline=base,
        trend_vs_previous=prev,
    )


# Area 1 has measures 1-1 and 1-2; area 2 has measure 2-1.
INDICATORS = [
    ind("1-1-a", "1-1", "1", "◎", IMP, IMP),
    ind("1-1-b", "1-1", "1", "○", UNC, WOR),
    ind("1-2-a", "1-2", "1", "×", WOR, WOR),
    ind("1-2-b", "1-2", "1", "△", WOR, UNC),
    ind("1-2-c", "1-2", "1", "−", NR, NR),
    ind("2-1-a", "2-1", "2", "−", NR, NR),
    ind("2-1-b", "2-1", "2", "○", IMP, NO),
]
MEASURES = [
    MeasureOutcome(measure_code="1-1", policy_area_code="1", grade="○"),
    MeasureOutcome(measure_code="1-2", policy_area_code="1", grade="×"),
    MeasureOutcome(measure_code="2-1", policy_area_code="2", grade="○"),
]


def test_whole_plan_roll_up() -> None:
    result = roll_up(INDICATORS, MEASURES, SCHEME)
    plan = result.plan
    assert plan.policy_area_code is None
    assert (plan.n_measures, plan.n_indicators) == (3, 7)
    assert plan.indicator_grades == (("◎", 1), ("○", 2), ("△", 1), ("×", 1), ("−", 2))
    assert plan.measure_grades == (("◎", 0), ("○", 2), ("△", 0), ("×", 1), ("−", 0))
    # vs baseline: improved 1-1-a, 2-1-b; unchanged 1-1-b; worsened 1-2-a, 1-2-b; 2 not reported
    assert plan.trend_vs_baseline == TrendCounts(
        improved=2, unchanged=1, worsened=2, not_reported=2, no_reference=0
    )
    assert plan.trend_vs_previous == TrendCounts(
        improved=1, unchanged=1, worsened=2, not_reported=2, no_reference=1
    )
    assert plan.trend_vs_baseline.total == 7
    assert plan.trend_vs_baseline.reported == 5
    # default rule: measure grade × (the lowest ranked), or ≥ 50 % of reported worsened,
    # or ≥ 50 % not reported.
    # 1-2: grade ×; reported 2 of 3, both worsened (100 %); 1 of 3 not reported (33 %) → no
    # 2-1: 1 of 2 not reported = 50 % → attention
    assert plan.attention == (
        AttentionItem(
            measure_code="1-2",
            policy_area_code="1",
            reasons=(
                "施策の評価が「×」",
                "報告のあった成果指標 2 件中 2 件が基準値より悪化（100 %）",
            ),
        ),
        AttentionItem(
            measure_code="2-1",
            policy_area_code="2",
            reasons=("成果指標 2 件中 1 件が未報告（50 %）",),
        ),
    )


def test_per_area_roll_up() -> None:
    result = roll_up(INDICATORS, MEASURES, SCHEME)
    assert [a.policy_area_code for a in result.areas] == ["1", "2"]
    area1 = result.area("1")
    assert (area1.n_measures, area1.n_indicators) == (2, 5)
    assert area1.indicator_grades == (("◎", 1), ("○", 1), ("△", 1), ("×", 1), ("−", 1))
    assert area1.trend_vs_baseline == TrendCounts(1, 1, 2, 1, 0)
    assert [a.measure_code for a in area1.attention] == ["1-2"]
    area2 = result.area("2")
    assert area2.trend_vs_previous == TrendCounts(0, 0, 0, 1, 1)
    assert [a.measure_code for a in area2.attention] == ["2-1"]
    with pytest.raises(KeyError):
        result.area("9")


def test_attention_rule_configurable() -> None:
    rule = AttentionRule.from_dict(
        {
            "measure_grades": [],
            "worsened_share_at_least": 0.5,
            "not_reported_share_at_least": None,
            "indicator_grades": ["△", "×"],
            "indicator_grade_share_at_least": 0.5,
            "trend_basis": "previous",
        }
    )
    assert rule.trend_basis is TrendBasis.PREVIOUS
    items = measures_needing_attention(INDICATORS, MEASURES, rule)
    # 1-1: previous-year trends IMP, WOR → 1 of 2 worsened = 50 % → attention
    # 1-2: previous WOR, UNC → 50 %; grades ×, △ of 3 indicators = 67 % → attention
    assert items == (
        AttentionItem(
            measure_code="1-1",
            policy_area_code="1",
            reasons=("報告のあった成果指標 2 件中 1 件が前年度より悪化（50 %）",),
        ),
        AttentionItem(
            measure_code="1-2",
            policy_area_code="1",
            reasons=(
                "報告のあった成果指標 2 件中 1 件が前年度より悪化（50 %）",
                "成果指標 3 件中 2 件の評価が「×・△」（67 %）",
            ),
        ),
    )


def test_attention_rule_validation() -> None:
    with pytest.raises(AttentionRuleError) as info:
        AttentionRule(worsened_share_at_least=1.5)
    assert str(info.value) == (
        "要注意の判定規則の「worsened_share_at_least」は 0 より大きく 1 以下の割合にしてください（いまは 1.5）。"
    )
    with pytest.raises(AttentionRuleError) as info:
        AttentionRule(indicator_grades=frozenset({"×"}))
    assert str(info.value) == (
        "要注意の判定規則で「indicator_grades」を使うときは、"
        "「indicator_grade_share_at_least」（割合）も指定してください。"
    )
    with pytest.raises(AttentionRuleError) as info:
        AttentionRule.from_dict({"trend": "baseline"})
    assert (
        str(info.value)
        == "要注意の判定規則に知らない項目「trend」があります。綴りを確認してください。"
    )
    with pytest.raises(AttentionRuleError) as info:
        AttentionRule.from_dict({"trend_basis": "last"})
    assert str(info.value) == (
        "要注意の判定規則の「trend_basis」は baseline か previous にしてください（いまは last）。"
    )
    with pytest.raises(AttentionRuleError) as info:
        AttentionRule.from_dict({"measure_grades": "×"})
    assert (
        str(info.value) == "要注意の判定規則の「measure_grades」は区分の名前の一覧にしてください。"
    )


def test_unknown_grade_and_measure_are_rejected() -> None:
    bad = [*INDICATORS, ind("x", "1-1", "1", "Q", IMP, IMP)]
    with pytest.raises(ValueError) as info:
        roll_up(bad, MEASURES, SCHEME)
    assert str(info.value) == "区分「Q」は評価方式にありません。評価方式を確認してください。"
    orphan = [*INDICATORS, ind("x", "9-9", "9", "○", IMP, IMP)]
    with pytest.raises(ValueError) as info:
        roll_up(orphan, MEASURES, SCHEME)
    assert str(info.value) == "成果指標「x」の施策「9-9」が施策の一覧にありません。"


def test_count_trends_empty() -> None:
    assert count_trends([]) == TrendCounts(0, 0, 0, 0, 0)
