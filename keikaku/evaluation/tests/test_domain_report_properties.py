"""Property tests of the report builder and the edition comparison (no database)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from keikaku.evaluation.domain.comparison import MeasureChangeKind, MeasureNode, compare_measures
from keikaku.evaluation.domain.grading import load_presets
from keikaku.evaluation.domain.report import (
    IndicatorInput,
    MeasureInput,
    ReportInput,
    build_report,
    report_from_dict,
    report_to_dict,
)

SCHEMES = load_presets()

values = st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))


@st.composite
def indicators(draw: st.DrawFn, code: str) -> IndicatorInput:
    direction = draw(st.sampled_from(["increase", "decrease", "maintain"]))
    baseline = draw(st.floats(min_value=0, max_value=1000, allow_nan=False))
    delta = draw(st.floats(min_value=0.5, max_value=500, allow_nan=False))
    target = {"increase": baseline + delta, "decrease": baseline - delta, "maintain": baseline}[
        direction
    ]
    observations = tuple((fy, draw(values)) for fy in range(2020, 2025))
    return IndicatorInput(
        code=code,
        name=f"指標{code}",
        unit="件",
        direction=direction,
        baseline=baseline,
        baseline_fy=2018,
        target=target,
        target_fy=2024,
        survey_based=draw(st.booleans()),
        observations=observations,
    )


@st.composite
def report_inputs(draw: st.DrawFn) -> ReportInput:
    measures = []
    for m in range(draw(st.integers(min_value=1, max_value=5))):
        area = draw(st.integers(min_value=1, max_value=3))
        inds = tuple(
            draw(indicators(f"{m}-{k}")) for k in range(draw(st.integers(min_value=0, max_value=3)))
        )
        measures.append(
            MeasureInput(
                code=f"{area}-{m}",
                title=f"施策{m}",
                area_number=area,
                area_title=f"分野{area}",
                indicators=inds,
            )
        )
    return ReportInput(
        municipality="鶴ヶ島市",
        municipality_code="112411",
        is_demo=True,
        plan_title="第6次総合計画",
        edition_title="前期基本計画",
        edition_kind="former",
        start_fy=2020,
        end_fy=2024,
        fiscal_year=draw(st.integers(min_value=2020, max_value=2024)),
        is_final=False,
        scheme=SCHEMES[draw(st.sampled_from(sorted(SCHEMES)))],
        measures=tuple(measures),
    )


@settings(max_examples=60, deadline=None)
@given(report_inputs())
def test_counts_add_up_and_json_round_trips(inp: ReportInput) -> None:
    report = build_report(inp)
    n_ind = sum(len(m.indicators) for m in inp.measures)
    assert report.plan.n_indicators == n_ind
    assert sum(c.count for c in report.plan.indicator_grades) == n_ind
    assert sum(c.count for c in report.plan.measure_grades) == len(inp.measures)
    assert report.plan.trend_vs_baseline.total == n_ind
    assert sum(a.n_measures for a in report.areas) == len(inp.measures)
    for roll in report.areas:
        assert roll.n_indicators == sum(
            len(m.indicators) for m in report.area_measures(roll.area_number or 0)
        )
    # an unreported indicator is never graded as if it were 0
    for m in report.measures:
        for i in m.indicators:
            if i.actual is None:
                assert i.progress is None
                assert i.grade == report.scheme.labels[-1].label
    assert report_from_dict(report_to_dict(report)) == report


lineage = st.lists(
    st.tuples(st.one_of(st.none(), st.integers(0, 5)), st.lists(st.integers(0, 5), max_size=2)),
    max_size=7,
)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=6), lineage)
def test_every_measure_is_accounted_for(n_former: int, links: list) -> None:
    former = [MeasureNode(i, f"1-{i}", f"施策{i}", 1, "分野") for i in range(n_former)]
    latter = [
        MeasureNode(
            100 + j,
            f"2-{j}",
            f"施策{pred if pred is not None else 'new'}",
            1,
            "分野",
            predecessor_id=pred,
            merged_from=tuple(merged),
        )
        for j, (pred, merged) in enumerate(links)
    ]
    changes = compare_measures(former, latter)
    seen_latter = [r.code for c in changes for r in c.latter]
    assert set(seen_latter) == {m.code for m in latter}  # each latter item is listed
    for code in {c for c in seen_latter if seen_latter.count(c) > 1}:
        # listed twice only when it both merges measures and takes part in a split
        kinds = {c.kind.value for c in changes if code in [r.code for r in c.latter]}
        assert kinds == {"merged", "split"}
    seen_former = {r.code for c in changes for r in c.former}
    assert seen_former == {m.code for m in former}  # each former item at least once
    removed = {r.code for c in changes if c.kind is MeasureChangeKind.REMOVED for r in c.former}
    linked = {
        f"1-{i}"
        for m in latter
        for i in ([m.predecessor_id] if m.predecessor_id is not None else []) + list(m.merged_from)
        if i < n_former
    }
    assert removed == {m.code for m in former} - linked
