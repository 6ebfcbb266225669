"""The report builder (no database): grades, roll-ups, texts, JSON round trip."""

from __future__ import annotations

import json

import pytest

from keikaku.evaluation.domain.grading import load_presets
from keikaku.evaluation.domain.report import (
    CostInput,
    IndicatorInput,
    MeasureInput,
    ProgrammeInput,
    ReportInput,
    SheetInput,
    build_report,
    report_from_dict,
    report_to_dict,
    with_observations,
)

SCHEMES = load_presets()


def ind(code: str, **kw: object) -> IndicatorInput:
    base = dict(
        name=f"指標{code}",
        unit="人",
        direction="increase",
        baseline=40.0,
        baseline_fy=2018,
        target=50.0,
        target_fy=2024,
        observations=(),
    )
    base.update(kw)
    return IndicatorInput(code=code, **base)  # type: ignore[arg-type]


def make_input(scheme: str = "marubatsu", **kw: object) -> ReportInput:
    measures = (
        MeasureInput(
            code="1-1",
            title="子育て支援の充実",
            area_number=1,
            area_title="子育て・教育",
            departments=("こども支援課",),
            indicators=(
                # (48 − 40) / (50 − 40) = 80 %
                ind("1-1-1", observations=((2020, 42.0), (2023, 47.0), (2024, 48.0))),
                # decrease 12 → 0, actual 2: (2 − 12) / (0 − 12) = 83.333… %
                ind(
                    "1-1-2",
                    direction="decrease",
                    baseline=12.0,
                    target=0.0,
                    observations=((2023, 3.0), (2024, 2.0)),
                ),
            ),
            programmes=(
                ProgrammeInput(
                    code="P-1",
                    name="地域子育て支援拠点事業",
                    cost_plan=CostInput(total=38500),
                    cost_actual=CostInput(total=37000),
                    staff_cost=8000,
                    direction="continue",
                    sheet_status="confirmed",
                ),
            ),
            sheet=SheetInput(
                status="confirmed",
                results="拠点の利用が増えました。",
                direction="continue",
                internal_grade="○",
                external_comment="利用者の声を聞いてください。",
            ),
        ),
        MeasureInput(
            code="2-1",
            title="健康づくりの推進",
            area_number=2,
            area_title="健康・福祉",
            indicators=(
                # survey 60 → 66, actual 62: 2 / 6 = 33.333… % → ×; +2 points = unchanged
                ind(
                    "2-1-1",
                    unit="%",
                    baseline=60.0,
                    target=66.0,
                    survey_based=True,
                    observations=((2022, 58.0), (2024, 62.0)),
                ),
                ind("2-1-2", target=None, target_fy=None, observations=((2024, 38.0),)),
            ),
            sheet=SheetInput(status="draft", results="下書きの文章", issues="下書き"),
        ),
    )
    values = dict(
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
        scheme=SCHEMES[scheme],
        measures=measures,
        generated_at="2025-06-30T10:00:00+09:00",
    )
    values.update(kw)
    return ReportInput(**values)  # type: ignore[arg-type]


def test_indicator_rows_hand_computed() -> None:
    report = build_report(make_input())
    m = report.measure("1-1")
    a, b = m.indicators
    assert (a.actual, a.progress, a.pace, a.grade) == (48.0, 80.0, 80.0, "○")
    assert a.expected_progress == 100.0
    assert (a.trend_vs_baseline, a.trend_vs_previous) == ("improved", "improved")
    assert (b.progress, b.grade) == (83.333333333, "○")
    # the chart years run from the baseline FY to the evaluated FY, gaps as None
    assert [(y.fiscal_year, y.value) for y in a.years] == [
        (2018, None),
        (2019, None),
        (2020, 42.0),
        (2021, None),
        (2022, None),
        (2023, 47.0),
        (2024, 48.0),
    ]
    s, missing = report.measure("2-1").indicators
    assert (s.progress, s.grade, s.trend_vs_baseline_label) == (33.333333333, "×", "変化なし")
    assert s.trend_vs_previous == "improved"  # 58 → 62 = +4 points, beyond ±3
    assert missing.grade == "−"
    assert missing.actual is None
    assert missing.problem == (
        "目標値・目標年度が未設定のため評価できません。施策の成果指標に入力してください。"
    )


def test_measure_grades_and_roll_up() -> None:
    report = build_report(make_input())
    m1, m2 = report.measures
    # mean progress (80 + 83.333…) / 2 = 81.666…; mean pace the same → ○
    assert m1.grade == "○"
    assert m1.mean_progress == pytest.approx(81.6666666665)
    assert (m1.n_indicators, m1.n_reported) == (2, 2)
    # only 2-1-1 reported: 33.3 % → ×
    assert m2.grade == "×"
    assert m2.attention == ("施策の評価が「×」", "成果指標 2 件中 1 件が未報告（50 %）")
    assert [(c.label, c.count) for c in report.plan.measure_grades] == [
        ("◎", 0),
        ("○", 1),
        ("△", 0),
        ("×", 1),
        ("−", 0),
    ]
    assert [(c.label, c.count) for c in report.plan.indicator_grades] == [
        ("◎", 0),
        ("○", 2),
        ("△", 0),
        ("×", 1),
        ("−", 1),
    ]
    t = report.plan.trend_vs_baseline
    assert (t.improved, t.unchanged, t.worsened, t.not_reported) == (2, 1, 0, 1)
    assert [a.area_number for a in report.areas] == [1, 2]
    assert report.areas[1].attention[0].measure_title == "健康づくりの推進"
    assert report.title == "前期基本計画 検証報告書"


def test_programme_costs() -> None:
    p = build_report(make_input()).measure("1-1").programmes[0]
    # settled 37,000 + staff 8,000
    assert (p.cost_plan, p.cost_actual, p.staff_cost, p.total_cost) == (38500, 37000, 8000, 45000)
    assert p.direction_label == "継続"


def test_other_scheme_nagayo() -> None:
    report = build_report(make_input("nagayo"))
    a = report.measure("1-1").indicators[0]
    # 48 vs baseline 40: +20 % → A (above baseline, not beyond target 50)
    assert a.grade == "A"


def test_confirmed_texts_only() -> None:
    draft = build_report(make_input())
    assert draft.measure("2-1").results == "下書きの文章"
    public = build_report(make_input(confirmed_texts_only=True))
    assert public.measure("2-1").results == ""
    assert public.measure("2-1").issues == ""
    assert public.measure("2-1").sheet_status_label == "作成中"
    assert public.measure("1-1").results == "拠点の利用が増えました。"
    assert public.measure("1-1").external_comment == "利用者の声を聞いてください。"


def test_json_round_trip() -> None:
    report = build_report(make_input())
    data = json.loads(json.dumps(report_to_dict(report)))
    assert data["schema_version"] == 1
    again = report_from_dict(data)
    assert again == report
    assert isinstance(again.measures, tuple)
    assert isinstance(again.measures[0].indicators[0].years, tuple)


def test_with_observations_changes_grades() -> None:
    base = make_input()
    # 2-1-1 reaches its target: 66 → progress 100 % → ◎
    changed = build_report(with_observations(base, {("2-1-1", 2024): 66.0}))
    assert changed.measure("2-1").indicators[0].grade == "◎"
    assert changed.measure("2-1").grade == "◎"
    # clearing a value makes it "not reported", never 0
    cleared = build_report(with_observations(base, {("1-1-1", 2024): None}))
    row = cleared.measure("1-1").indicators[0]
    assert (row.actual, row.grade, row.trend_vs_baseline) == (None, "−", "not_reported")
    assert build_report(with_observations(base, {})) == build_report(base)


def test_values_after_the_year_are_ignored() -> None:
    inp = make_input(fiscal_year=2023)
    report = build_report(inp)
    a = report.measure("1-1").indicators[0]
    # (47 − 40) / 10 = 70 %; expected 5/6 = 83.333… %; pace 70 × 6 / 5 = 84 %
    assert (a.actual, a.progress, a.pace, a.grade) == (47.0, 70.0, 84.0, "○")
    assert a.years[-1].fiscal_year == 2023


def test_milestone_defaults_and_bad_value() -> None:
    inp = make_input(
        measures=(
            MeasureInput(
                code="9-1",
                title="計画の改定",
                area_number=9,
                area_title="行財政",
                indicators=(
                    ind(
                        "9-1-1",
                        direction="milestone",
                        baseline=None,
                        target=None,
                        observations=((2024, 1.0),),
                    ),
                    ind(
                        "9-1-2",
                        direction="milestone",
                        baseline=0.0,
                        target=1.0,
                        observations=((2024, 0.5),),
                    ),
                ),
            ),
        )
    )
    done, bad = build_report(inp).measures[0].indicators
    assert (done.progress, done.grade) == (100.0, "◎")
    assert bad.grade == "−"
    assert bad.problem == (
        "成果指標「9-1-2」の2024年度の実績値（0.5）が 0・1 以外です。"
        "達成・未達成の指標は、完了なら 1、未完了なら 0 を入力してください。"
    )
