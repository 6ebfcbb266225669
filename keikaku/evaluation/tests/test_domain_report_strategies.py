"""The report builder (no database): priority strategies' indicators, the programmes'
evaluation (funding, viewpoints, activity/outcome indicators) and the data fingerprint."""

from __future__ import annotations

import dataclasses
import json

import pytest

from keikaku.evaluation.domain.grading import load_presets
from keikaku.evaluation.domain.report import (
    CostInput,
    GradeCount,
    IndicatorInput,
    MeasureInput,
    ProgrammeIndicatorInput,
    ProgrammeInput,
    ReportInput,
    StrategyInput,
    StrategyMeasureRef,
    TrendSummary,
    build_report,
    report_from_dict,
    report_input_digest,
    report_to_dict,
    with_observations,
)

SCHEMES = load_presets()


def ind(code: str, baseline: float, target: float, *obs: tuple[int, float]) -> IndicatorInput:
    return IndicatorInput(
        code=code,
        name=f"指標{code}",
        unit="",
        direction="increase",
        baseline=baseline,
        baseline_fy=2018,
        target=target,
        target_fy=2024,
        observations=tuple(obs),
    )


PROGRAMME = ProgrammeInput(
    code="P-1",
    name="地域子育て支援拠点事業",
    department="こども支援課",
    cost_plan=CostInput(total=38500, national=12800, prefectural=12800, bonds=0, other=0),
    cost_actual=CostInput(
        total=37000, national=12300, prefectural=12300, bonds=0, other=0, general=12400
    ),
    staff_cost=8000,
    staff_fte=1.5,
    sheet_status="submitted",
    direction="expand",
    viewpoints=(("necessity", "a"), ("effectiveness", "b"), ("efficiency", "c"), ("equity", "")),
    indicators=(
        ProgrammeIndicatorInput("activity", "開設日数", "日", 240.0, 250.0),
        ProgrammeIndicatorInput("outcome", "利用者の満足度", "%", 80.0, 72.0),
        ProgrammeIndicatorInput("outcome", "新しい指標", "件", 0.0, 3.0),
    ),
)


def make_input(**kw: object) -> ReportInput:
    base: dict[str, object] = dict(
        municipality="鶴ヶ島市",
        municipality_code="112411",
        is_demo=True,
        plan_title="第6次鶴ヶ島市総合計画",
        edition_title="前期基本計画",
        edition_kind="former",
        start_fy=2020,
        end_fy=2024,
        fiscal_year=2024,
        is_final=True,
        scheme=SCHEMES["marubatsu"],
        measures=(
            MeasureInput(
                code="1-1",
                title="子育て支援の充実",
                area_number=1,
                area_title="子育て・教育",
                # (48 − 40) / (50 − 40) = 80 % → 期待進捗比 80 % (last year) → ○
                indicators=(ind("1-1-1", 40, 50, (2024, 48.0)),),
                programmes=(PROGRAMME,),
            ),
        ),
        strategies=(
            StrategyInput(
                number=1,
                title="こどもにやさしいまちづくり",
                basic_goal="合計特殊出生率を 1.20 に",
                measure_codes=("1-1",),
                indicators=(
                    # (1.11 − 1.05) / (1.20 − 1.05) = 40 % → ×
                    ind("S1-1", 1.05, 1.20, (2022, 1.08), (2024, 1.11)),
                    # (140 − 95) / (140 − 95) = 100 % → ◎
                    ind("S1-2", 95, 140, (2024, 140.0)),
                ),
            ),
            StrategyInput(
                number=2,
                title="いつまでも健康でいられるまちづくり",
                indicators=(ind("S2-1", 17.62, 18.0),),  # never reported → −
            ),
        ),
    )
    base.update(kw)
    return ReportInput(**base)  # type: ignore[arg-type]


def test_strategies_are_graded_like_measures() -> None:
    report = build_report(make_input())
    s1, s2 = report.strategies
    assert (s1.code, s1.title, s1.basic_goal) == (
        "重点戦略1",
        "こどもにやさしいまちづくり",
        "合計特殊出生率を 1.20 に",
    )
    assert [(i.code, i.progress, i.grade, i.trend_vs_baseline) for i in s1.indicators] == [
        ("S1-1", pytest.approx(40.0), "×", "improved"),
        ("S1-2", pytest.approx(100.0), "◎", "improved"),
    ]
    # mean of the metrics: progress (40 + 100) / 2 = 70 %, pace the same (last year)
    # → not ◎ (< 100), not ○ (< 80), △ (50 ≤ 70 < 80)
    assert (s1.grade, s1.mean_progress, s1.n_reported, s1.n_indicators) == (
        "△",
        pytest.approx(70.0),
        2,
        2,
    )
    assert s1.measures == (StrategyMeasureRef("1-1", "子育て支援の充実", "○"),)
    assert s1.indicator_grades == (
        GradeCount("◎", 1),
        GradeCount("○", 0),
        GradeCount("△", 0),
        GradeCount("×", 1),
        GradeCount("−", 0),
    )
    assert s1.trend_vs_baseline == TrendSummary(2, 0, 0, 0, 0)
    assert s1.attention == ()
    assert (s2.grade, s2.mean_progress, s2.n_reported, s2.n_indicators) == ("−", None, 0, 1)
    assert s2.indicators[0].actual is None
    # the default attention rule: half or more of the indicators not reported
    assert s2.attention == ("成果指標 1 件中 1 件が未報告（100 %）",)
    summary = report.strategy_summary
    assert summary is not None
    assert (summary.title, summary.n_measures, summary.n_indicators) == ("重点戦略", 2, 3)
    assert [(c.label, c.count) for c in summary.indicator_grades] == [
        ("◎", 1),
        ("○", 0),
        ("△", 0),
        ("×", 1),
        ("−", 1),
    ]
    assert [(c.label, c.count) for c in summary.measure_grades] == [
        ("◎", 0),
        ("○", 0),
        ("△", 1),
        ("×", 0),
        ("−", 1),
    ]
    assert summary.trend_vs_baseline == TrendSummary(2, 0, 0, 1, 0)
    assert [(a.measure_code, a.measure_title) for a in summary.attention] == [
        ("重点戦略2", "いつまでも健康でいられるまちづくり")
    ]
    # the plan's own roll-up stays the measures'
    assert (report.plan.n_measures, report.plan.n_indicators) == (1, 1)
    assert (report.n_indicators, report.n_strategy_indicators) == (1, 3)
    assert report.strategy(2) is s2
    with pytest.raises(KeyError):
        report.strategy(3)


def test_strategy_values_can_be_previewed() -> None:
    # 18.0 reaches the target: (18.0 − 17.62) / (18.0 − 17.62) = 100 % → ◎
    report = build_report(with_observations(make_input(), {("S2-1", 2024): 18.0}))
    s2 = report.strategy(2)
    assert (s2.indicators[0].actual, s2.indicators[0].grade, s2.grade) == (18.0, "◎", "◎")


def test_a_plan_without_strategies() -> None:
    report = build_report(make_input(strategies=()))
    assert (report.strategies, report.strategy_summary) == ((), None)


def test_programme_evaluation_in_the_report() -> None:
    p = build_report(make_input()).measure("1-1").programmes[0]
    # the breakdown is the settled one (決算) when there is one
    assert (p.cost_basis, p.cost_basis_label) == ("actual", "決算")
    assert (p.national, p.prefectural, p.bonds, p.other, p.general) == (12300, 12300, 0, 0, 12400)
    assert (p.cost_actual, p.staff_cost, p.total_cost, p.staff_fte) == (37000, 8000, 45000, 1.5)
    # unit cost = (37,000 + 8,000) ÷ 250 days = 180 千円 per day
    assert p.unit_cost == 180.0
    assert [(v.label, v.rating, v.rating_label) for v in p.viewpoints] == [
        ("必要性", "a", "A 適切"),
        ("有効性", "b", "B 概ね適切"),
        ("効率性", "c", "C 見直しが必要"),
        ("公平性", "", ""),
    ]
    assert [(i.kind_label, i.name, i.planned, i.actual, i.achievement) for i in p.indicators] == [
        ("活動指標", "開設日数", 240.0, 250.0, pytest.approx(104.16666666666667)),  # 250/240
        ("成果指標", "利用者の満足度", 80.0, 72.0, pytest.approx(90.0)),  # 72/80
        ("成果指標", "新しい指標", 0.0, 3.0, None),  # no ratio to a plan of 0
    ]
    assert (p.direction, p.direction_label) == ("expand", "拡充")


def test_planned_breakdown_without_a_settled_cost() -> None:
    planned_only = dataclasses.replace(PROGRAMME, cost_actual=None, indicators=())
    measure = dataclasses.replace(make_input().measures[0], programmes=(planned_only,))
    p = build_report(make_input(measures=(measure,))).measure("1-1").programmes[0]
    assert (p.cost_basis_label, p.national, p.general, p.total_cost, p.unit_cost) == (
        "計画",
        12800,
        None,
        38500 + 8000,
        None,
    )


def test_publication_leaves_out_unconfirmed_programme_judgements() -> None:
    # PROGRAMME's sheet is only 提出済み: its direction and viewpoints are not published
    public = build_report(make_input(confirmed_texts_only=True)).measure("1-1").programmes[0]
    assert (public.direction, public.direction_label) == ("", "")
    assert [v.rating for v in public.viewpoints] == ["", "", "", ""]
    assert public.total_cost == 45000  # the numbers are published as they stand
    confirmed = dataclasses.replace(PROGRAMME, sheet_status="confirmed")
    measure = dataclasses.replace(make_input().measures[0], programmes=(confirmed,))
    shown = build_report(make_input(measures=(measure,), confirmed_texts_only=True))
    assert shown.measure("1-1").programmes[0].direction_label == "拡充"


def test_json_round_trip_with_strategies_and_old_snapshots() -> None:
    report = build_report(make_input())
    data = json.loads(json.dumps(report_to_dict(report), ensure_ascii=False))
    assert report_from_dict(data) == report
    # a snapshot published before strategies were reported reads back without them
    for key in ("strategies", "strategy_summary"):
        del data[key]
    for measure in data["measures"]:
        for programme in measure["programmes"]:
            for key in ("viewpoints", "indicators", "national", "cost_basis", "unit_cost"):
                del programme[key]
    old = report_from_dict(data)
    assert (old.strategies, old.strategy_summary) == ((), None)
    assert old.measure("1-1").programmes[0].viewpoints == ()


def test_digest_changes_with_the_data_only() -> None:
    base = make_input(generated_at="2025-05-01T09:00:00+09:00")
    same_but_later = make_input(generated_at="2025-05-02T10:00:00+09:00")
    assert report_input_digest(base) == report_input_digest(same_but_later)
    assert len(report_input_digest(base)) == 64
    changed_value = with_observations(base, {("S1-1", 2024): 1.12})
    changed_text = make_input(introduction="はじめに")
    changed_scheme = make_input(scheme=SCHEMES["abcd"])
    digests = {report_input_digest(x) for x in (base, changed_value, changed_text, changed_scheme)}
    assert len(digests) == 4
