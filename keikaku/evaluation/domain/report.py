"""One fiscal year's evaluation of a basic plan as plain data: the verification report.

:func:`build_report` takes what the database holds (indicators with their yearly values,
measures with their evaluation sheets, programmes with their costs) as plain inputs,
evaluates every KPI (:mod:`.achievement`), grades it and its measure (:mod:`.grading`),
rolls the results up per policy area and for the plan (:mod:`.rollup`), and returns a
:class:`VerificationReport`. The staff pages, the public pages, the PDF and the Excel
report are all rendered from this one structure; the public site reads it back from the
published JSON (:func:`report_to_dict` / :func:`report_from_dict`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from keikaku.core.domain.fiscal import format_fiscal_year
from keikaku.core.domain.i18n import _, gettext_noop
from keikaku.evaluation.domain.achievement import (
    CumulativeInput,
    Direction,
    IndicatorSpec,
    IndicatorSpecError,
    ObservationError,
    Trend,
    YearResult,
    direction_label,
    evaluate_indicator,
    trend_label,
)
from keikaku.evaluation.domain.grading import (
    GradingScheme,
    MeasureGrade,
    grade_measure,
    grade_result,
)
from keikaku.evaluation.domain.rollup import (
    AttentionRule,
    IndicatorOutcome,
    MeasureOutcome,
    PlanRollUp,
    RollUp,
    TrendCounts,
    count_trends,
    roll_up,
)

# --------------------------------------------------------------------------- vocabularies
# Values are msgids (marked for makemessages, not translated at import): translate them with
# ``_`` where they are shown. The published report keeps the Japanese text; the public
# pages translate it when they display it.

SHEET_DIRECTIONS: dict[str, str] = {
    "expand": gettext_noop("拡充"),
    "continue": gettext_noop("継続"),
    "improve": gettext_noop("改善"),
    "reduce": gettext_noop("縮小"),
    "integrate": gettext_noop("統合"),
    "suspend": gettext_noop("休止・廃止"),
    "complete": gettext_noop("完了"),
}
"""今後の方向性 (the same codes as ``evaluation.models.Direction``)."""

SHEET_STATUSES: dict[str, str] = {
    "none": gettext_noop("未作成"),
    "draft": gettext_noop("作成中"),
    "submitted": gettext_noop("提出済み"),
    "confirmed": gettext_noop("確認済み"),
}

EDITION_KINDS: dict[str, str] = {
    "former": gettext_noop("前期"),
    "latter": gettext_noop("後期"),
    "single": gettext_noop("単独"),
}

VIEWPOINTS: dict[str, str] = {
    "necessity": gettext_noop("必要性"),
    "effectiveness": gettext_noop("有効性"),
    "efficiency": gettext_noop("効率性"),
    "equity": gettext_noop("公平性"),
}
"""The four viewpoints of a 事務事業評価シート, in the order they are shown."""

VIEWPOINT_RATINGS: dict[str, str] = {
    "a": gettext_noop("A 適切"),
    "b": gettext_noop("B 概ね適切"),
    "c": gettext_noop("C 見直しが必要"),
}
"""Ratings of a viewpoint (the same codes as ``evaluation.models.Viewpoint``)."""

PROGRAMME_INDICATOR_KINDS: dict[str, str] = {
    "activity": gettext_noop("活動指標"),
    "outcome": gettext_noop("成果指標"),
}


def sheet_direction_label(code: str) -> str:
    return _(SHEET_DIRECTIONS[code]) if code in SHEET_DIRECTIONS else ""


def sheet_status_label(code: str) -> str:
    return _(SHEET_STATUSES.get(code, SHEET_STATUSES["none"]))


def strategy_code(number: int) -> str:
    """How a priority strategy is named in tables: 「重点戦略1」."""
    return _("重点戦略%(n)d") % {"n": number}


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class IndicatorInput:
    code: str
    name: str
    unit: str
    direction: str
    baseline: float | None
    baseline_fy: int | None
    target: float | None
    target_fy: int | None
    cumulative: bool = False
    survey_based: bool = False
    observations: tuple[tuple[int, float | None], ...] = ()
    """(fiscal year, value as entered); cumulative indicators hold running totals."""


@dataclass(frozen=True, slots=True)
class CostInput:
    """One year's cost of a programme in thousand yen (千円), with its funding breakdown."""

    total: int | None
    national: int | None = None
    prefectural: int | None = None
    bonds: int | None = None
    other: int | None = None
    general: int | None = None


@dataclass(frozen=True, slots=True)
class ProgrammeIndicatorInput:
    """An activity (活動指標) or outcome (成果指標) indicator of a 事務事業評価シート."""

    kind: str
    name: str
    unit: str = ""
    planned: float | None = None
    actual: float | None = None


@dataclass(frozen=True, slots=True)
class ProgrammeInput:
    code: str
    name: str
    department: str = ""
    cost_plan: CostInput | None = None
    cost_actual: CostInput | None = None
    staff_cost: int | None = None
    sheet_status: str = "none"
    direction: str = ""
    staff_fte: float | None = None
    viewpoints: tuple[tuple[str, str], ...] = ()
    """(viewpoint key of :data:`VIEWPOINTS`, rating code of :data:`VIEWPOINT_RATINGS` or "")."""
    indicators: tuple[ProgrammeIndicatorInput, ...] = ()


@dataclass(frozen=True, slots=True)
class SheetInput:
    """The texts of a 施策評価シート."""

    status: str = "draft"
    results: str = ""
    issues: str = ""
    direction: str = ""
    direction_note: str = ""
    internal_grade: str = ""
    grade_reason: str = ""
    external_comment: str = ""


@dataclass(frozen=True, slots=True)
class MeasureInput:
    code: str
    title: str
    area_number: int
    area_title: str
    departments: tuple[str, ...] = ()
    indicators: tuple[IndicatorInput, ...] = ()
    programmes: tuple[ProgrammeInput, ...] = ()
    sheet: SheetInput | None = None


@dataclass(frozen=True, slots=True)
class StrategyInput:
    """A priority strategy (重点戦略) with its own indicators and the measures it links."""

    number: int
    title: str
    basic_goal: str = ""
    measure_codes: tuple[str, ...] = ()
    indicators: tuple[IndicatorInput, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportInput:
    municipality: str
    municipality_code: str
    is_demo: bool
    plan_title: str
    edition_title: str
    edition_kind: str
    start_fy: int
    end_fy: int
    fiscal_year: int
    is_final: bool
    scheme: GradingScheme
    measures: tuple[MeasureInput, ...]
    introduction: str = ""
    attention: AttentionRule | None = None
    generated_at: str = ""
    confirmed_texts_only: bool = False
    """True for publication: texts of sheets not yet confirmed are left out."""
    strategies: tuple[StrategyInput, ...] = ()


def _with_values(
    indicators: tuple[IndicatorInput, ...], overrides: Mapping[tuple[str, int], float | None]
) -> tuple[IndicatorInput, ...]:
    out: list[IndicatorInput] = []
    for ind in indicators:
        mine = {fy: v for (code, fy), v in overrides.items() if code == ind.code}
        if mine:
            merged = dict(ind.observations)
            merged.update(mine)
            ind = replace(ind, observations=tuple(sorted(merged.items())))
        out.append(ind)
    return tuple(out)


def with_observations(
    report_input: ReportInput, overrides: Mapping[tuple[str, int], float | None]
) -> ReportInput:
    """The same input with some values replaced: ``{(indicator code, FY): value}``.

    Used to preview what an upload would change before it is written.
    """
    if not overrides:
        return report_input
    measures = tuple(
        replace(m, indicators=_with_values(m.indicators, overrides)) for m in report_input.measures
    )
    strategies = tuple(
        replace(s, indicators=_with_values(s.indicators, overrides))
        for s in report_input.strategies
    )
    return replace(report_input, measures=measures, strategies=strategies)


def _stable_json(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted(str(v) for v in value)
    return str(value)


def report_input_digest(report_input: ReportInput) -> str:
    """A fingerprint of everything the report is made from (its creation time left out):
    two inputs with the same digest give the same report. Used to tell whether a stored
    report file is older than the data."""
    data = dataclasses.asdict(replace(report_input, generated_at=""))
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=_stable_json)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True, slots=True)
class GradeLabel:
    label: str
    description: str
    ranked: bool


@dataclass(frozen=True, slots=True)
class SchemeInfo:
    id: str
    name: str
    description: str
    source: str
    labels: tuple[GradeLabel, ...]

    def description_of(self, label: str) -> str:
        for item in self.labels:
            if item.label == label:
                return item.description
        return ""


@dataclass(frozen=True, slots=True)
class IndicatorYear:
    fiscal_year: int
    value: float | None


@dataclass(frozen=True, slots=True)
class IndicatorReport:
    code: str
    name: str
    unit: str
    direction: str
    direction_label: str
    cumulative: bool
    survey_based: bool
    baseline: float | None
    baseline_fy: int | None
    target: float | None
    target_fy: int | None
    years: tuple[IndicatorYear, ...]
    actual: float | None
    progress: float | None
    expected_progress: float | None
    pace: float | None
    grade: str
    grade_description: str
    trend_vs_baseline: str
    trend_vs_baseline_label: str
    trend_vs_previous: str
    trend_vs_previous_label: str
    problem: str = ""

    @property
    def reported(self) -> bool:
        return self.actual is not None


@dataclass(frozen=True, slots=True)
class ViewpointReport:
    key: str
    label: str
    """必要性 / 有効性 / 効率性 / 公平性."""
    rating: str
    rating_label: str


@dataclass(frozen=True, slots=True)
class ProgrammeIndicatorReport:
    kind: str
    kind_label: str
    name: str
    unit: str
    planned: float | None
    actual: float | None
    achievement: float | None
    """実績値 ÷ 計画値 × 100 (None without both, or with a zero plan)."""


@dataclass(frozen=True, slots=True)
class ProgrammeReport:
    code: str
    name: str
    department: str
    cost_plan: int | None
    cost_actual: int | None
    staff_cost: int | None
    total_cost: int | None
    """事業費 (the settled amount, else the planned one) + 人件費."""
    sheet_status: str
    sheet_status_label: str
    direction: str
    direction_label: str
    cost_basis: str = ""
    """Which amount the funding breakdown shows: "actual" (決算), "plan" (計画) or ""."""
    national: int | None = None
    prefectural: int | None = None
    bonds: int | None = None
    other: int | None = None
    general: int | None = None
    staff_fte: float | None = None
    unit_cost: float | None = None
    """総事業費 ÷ the first activity indicator's actual (千円 per unit)."""
    viewpoints: tuple[ViewpointReport, ...] = ()
    indicators: tuple[ProgrammeIndicatorReport, ...] = ()

    @property
    def cost_basis_label(self) -> str:
        return {"actual": _("決算"), "plan": _("計画")}.get(self.cost_basis, "")


@dataclass(frozen=True, slots=True)
class MeasureReport:
    code: str
    title: str
    area_number: int
    area_title: str
    departments: tuple[str, ...]
    grade: str
    grade_description: str
    mean_progress: float | None
    n_indicators: int
    n_reported: int
    indicators: tuple[IndicatorReport, ...]
    programmes: tuple[ProgrammeReport, ...]
    sheet_status: str
    sheet_status_label: str
    results: str
    issues: str
    direction: str
    direction_label: str
    direction_note: str
    internal_grade: str
    grade_reason: str
    external_comment: str
    attention: tuple[str, ...]
    cost_total: int | None

    @property
    def needs_attention(self) -> bool:
        return bool(self.attention)


@dataclass(frozen=True, slots=True)
class GradeCount:
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class TrendSummary:
    improved: int
    unchanged: int
    worsened: int
    not_reported: int
    no_reference: int

    @property
    def total(self) -> int:
        return (
            self.improved + self.unchanged + self.worsened + self.not_reported + self.no_reference
        )


@dataclass(frozen=True, slots=True)
class AttentionEntry:
    measure_code: str
    measure_title: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RollUpReport:
    area_number: int | None
    """None for the whole plan."""
    title: str
    n_measures: int
    n_indicators: int
    indicator_grades: tuple[GradeCount, ...]
    measure_grades: tuple[GradeCount, ...]
    trend_vs_baseline: TrendSummary
    trend_vs_previous: TrendSummary
    attention: tuple[AttentionEntry, ...]


@dataclass(frozen=True, slots=True)
class StrategyMeasureRef:
    code: str
    title: str
    grade: str


@dataclass(frozen=True, slots=True)
class StrategyReport:
    """A priority strategy's own indicators, graded like a measure's, and its linked measures."""

    number: int
    code: str
    """「重点戦略1」."""
    title: str
    basic_goal: str
    measures: tuple[StrategyMeasureRef, ...]
    grade: str
    grade_description: str
    mean_progress: float | None
    n_indicators: int
    n_reported: int
    indicators: tuple[IndicatorReport, ...]
    indicator_grades: tuple[GradeCount, ...]
    trend_vs_baseline: TrendSummary
    attention: tuple[str, ...] = ()

    @property
    def needs_attention(self) -> bool:
        return bool(self.attention)


@dataclass(frozen=True, slots=True)
class VerificationReport:
    title: str
    municipality: str
    municipality_code: str
    is_demo: bool
    plan_title: str
    edition_title: str
    edition_kind: str
    edition_kind_label: str
    start_fy: int
    end_fy: int
    fiscal_year: int
    is_final: bool
    introduction: str
    scheme: SchemeInfo
    plan: RollUpReport
    areas: tuple[RollUpReport, ...]
    measures: tuple[MeasureReport, ...]
    generated_at: str = ""
    published_at: str = ""
    confirmed_texts_only: bool = False
    strategies: tuple[StrategyReport, ...] = ()
    strategy_summary: RollUpReport | None = None
    """All priority strategies together (``n_measures`` = number of strategies); None when
    the plan has none."""

    def measure(self, code: str) -> MeasureReport:
        for measure in self.measures:
            if measure.code == code:
                return measure
        raise KeyError(code)

    def strategy(self, number: int) -> StrategyReport:
        for strategy in self.strategies:
            if strategy.number == number:
                return strategy
        raise KeyError(number)

    @property
    def n_strategy_indicators(self) -> int:
        return sum(s.n_indicators for s in self.strategies)

    def area_measures(self, number: int) -> tuple[MeasureReport, ...]:
        return tuple(m for m in self.measures if m.area_number == number)

    @property
    def n_indicators(self) -> int:
        return sum(m.n_indicators for m in self.measures)


# --------------------------------------------------------------------------- building


def report_title(edition_kind: str, edition_title: str, fiscal_year: int, is_final: bool) -> str:
    if is_final:
        return _("%(edition)s 検証報告書") % {"edition": edition_title}
    return _("%(fy)s %(edition)s 施策評価結果報告書") % {
        "fy": format_fiscal_year(fiscal_year),
        "edition": edition_title,
    }


def scheme_info(scheme: GradingScheme) -> SchemeInfo:
    return SchemeInfo(
        id=scheme.id,
        name=scheme.name,
        description=scheme.description,
        source=scheme.source,
        labels=tuple(
            GradeLabel(
                label=label,
                description=scheme.description_of(label),
                ranked=scheme.rank(label) is not None,
            )
            for label in scheme.labels
        ),
    )


def _unevaluable(fiscal_year: int) -> YearResult:
    return YearResult(
        fiscal_year=fiscal_year,
        in_plan_period=True,
        value=None,
        actual=None,
        progress=None,
        target_gap_pct=None,
        baseline_change_pct=None,
        expected_progress=0.0,
        pace=None,
        achieved=None,
        trend_vs_baseline=Trend.NOT_REPORTED,
        trend_vs_previous=Trend.NOT_REPORTED,
        previous_fy=None,
    )


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return value


def _spec_for(ind: IndicatorInput, start_fy: int, end_fy: int) -> tuple[IndicatorSpec | None, str]:
    try:
        direction = Direction(ind.direction)
    except ValueError:
        return None, _("方向「%(d)s」が分かりません。") % {"d": ind.direction}
    baseline, target = ind.baseline, ind.target
    if direction is Direction.MILESTONE:
        baseline = 0.0 if baseline is None else baseline
        target = 1.0 if target is None else target
    missing = [
        label
        for value, label in (
            (baseline, _("基準値")),
            (ind.baseline_fy, _("基準値の年度")),
            (target, _("目標値")),
            (ind.target_fy, _("目標年度")),
        )
        if value is None
    ]
    if missing:
        return None, _(
            "%(fields)sが未設定のため評価できません。施策の成果指標に入力してください。"
        ) % {"fields": "・".join(missing)}
    assert baseline is not None and target is not None
    assert ind.baseline_fy is not None and ind.target_fy is not None
    try:
        spec = IndicatorSpec(
            code=ind.code,
            name=ind.name,
            unit=ind.unit,
            direction=direction,
            baseline=float(baseline),
            baseline_fy=ind.baseline_fy,
            target=float(target),
            target_fy=ind.target_fy,
            plan_start_fy=start_fy,
            plan_end_fy=end_fy,
            cumulative=ind.cumulative,
            cumulative_input=CumulativeInput.RUNNING_TOTAL,
            survey_based=ind.survey_based,
        )
    except IndicatorSpecError as exc:
        return None, str(exc)
    return spec, ""


def _chart_years(ind: IndicatorInput, start_fy: int, fiscal_year: int) -> tuple[IndicatorYear, ...]:
    values = {fy: v for fy, v in ind.observations if fy <= fiscal_year}
    first = min([start_fy, *values.keys(), *([ind.baseline_fy] if ind.baseline_fy else [])])
    first = min(first, fiscal_year)
    return tuple(IndicatorYear(fy, values.get(fy)) for fy in range(first, fiscal_year + 1))


def evaluate_indicator_input(
    ind: IndicatorInput,
    *,
    start_fy: int,
    end_fy: int,
    fiscal_year: int,
    scheme: GradingScheme,
) -> tuple[IndicatorReport, YearResult]:
    """One indicator in ``fiscal_year``: its report row and its raw result (for roll-ups)."""
    years = _chart_years(ind, start_fy, fiscal_year)
    spec, problem = _spec_for(ind, start_fy, end_fy)
    result = _unevaluable(fiscal_year)
    expected: float | None = None
    if spec is not None:
        observations = {y.fiscal_year: y.value for y in years}
        try:
            evaluation = evaluate_indicator(
                spec, observations, range(years[0].fiscal_year, fiscal_year + 1)
            )
        except ObservationError as exc:
            problem = str(exc)
        else:
            result = evaluation.year(fiscal_year)
            expected = result.expected_progress
    grade = grade_result(result, scheme)
    try:
        d_label = direction_label(Direction(ind.direction))
    except ValueError:
        d_label = ind.direction
    report = IndicatorReport(
        code=ind.code,
        name=ind.name,
        unit=ind.unit,
        direction=ind.direction,
        direction_label=d_label,
        cumulative=ind.cumulative,
        survey_based=ind.survey_based,
        baseline=ind.baseline,
        baseline_fy=ind.baseline_fy,
        target=ind.target,
        target_fy=ind.target_fy,
        years=years,
        actual=result.actual,
        progress=_finite(result.progress),
        expected_progress=expected,
        pace=_finite(result.pace),
        grade=grade.label,
        grade_description=grade.description,
        trend_vs_baseline=result.trend_vs_baseline.value,
        trend_vs_baseline_label=trend_label(result.trend_vs_baseline),
        trend_vs_previous=result.trend_vs_previous.value,
        trend_vs_previous_label=trend_label(result.trend_vs_previous),
        problem=problem,
    )
    return report, result


def _ratio_pct(actual: float | None, planned: float | None) -> float | None:
    if actual is None or planned is None or planned == 0:
        return None
    return _finite(100.0 * actual / planned)


def _programme_report(p: ProgrammeInput, *, show_sheet: bool = True) -> ProgrammeReport:
    """One programme's row. ``show_sheet`` False (publication of a sheet not yet confirmed)
    leaves out the department's judgements: direction and viewpoints."""
    plan = p.cost_plan.total if p.cost_plan else None
    actual = p.cost_actual.total if p.cost_actual else None
    base = actual if actual is not None else plan
    basis_cost = (
        p.cost_actual if actual is not None else (p.cost_plan if plan is not None else None)
    )
    basis = "actual" if actual is not None else ("plan" if plan is not None else "")
    total: int | None = None
    if base is not None or p.staff_cost is not None:
        total = (base or 0) + (p.staff_cost or 0)
    indicators = tuple(
        ProgrammeIndicatorReport(
            kind=i.kind,
            kind_label=_(PROGRAMME_INDICATOR_KINDS.get(i.kind, i.kind)),
            name=i.name,
            unit=i.unit,
            planned=i.planned,
            actual=i.actual,
            achievement=_ratio_pct(i.actual, i.planned),
        )
        for i in p.indicators
    )
    first_activity = next((i for i in indicators if i.kind == "activity"), None)
    unit_cost: float | None = None
    if total is not None and first_activity is not None and first_activity.actual:
        unit_cost = _finite(total / first_activity.actual)
    ratings = dict(p.viewpoints) if show_sheet else {}
    viewpoints = tuple(
        ViewpointReport(
            key=key,
            label=_(label),
            rating=ratings.get(key, ""),
            rating_label=_(VIEWPOINT_RATINGS[ratings[key]])
            if ratings.get(key) in VIEWPOINT_RATINGS
            else "",
        )
        for key, label in VIEWPOINTS.items()
    )
    direction = p.direction if show_sheet else ""
    return ProgrammeReport(
        code=p.code,
        name=p.name,
        department=p.department,
        cost_plan=plan,
        cost_actual=actual,
        staff_cost=p.staff_cost,
        total_cost=total,
        sheet_status=p.sheet_status,
        sheet_status_label=sheet_status_label(p.sheet_status),
        direction=direction,
        direction_label=sheet_direction_label(direction),
        cost_basis=basis,
        national=basis_cost.national if basis_cost else None,
        prefectural=basis_cost.prefectural if basis_cost else None,
        bonds=basis_cost.bonds if basis_cost else None,
        other=basis_cost.other if basis_cost else None,
        general=basis_cost.general if basis_cost else None,
        staff_fte=p.staff_fte,
        unit_cost=unit_cost,
        viewpoints=viewpoints,
        indicators=indicators,
    )


def _grade_counts(items: Sequence[tuple[str, int]]) -> tuple[GradeCount, ...]:
    return tuple(GradeCount(label, count) for label, count in items)


def _trends(counts: TrendCounts) -> TrendSummary:
    return TrendSummary(
        improved=counts.improved,
        unchanged=counts.unchanged,
        worsened=counts.worsened,
        not_reported=counts.not_reported,
        no_reference=counts.no_reference,
    )


def _roll_up_report(
    r: RollUp, number: int | None, title: str, titles: Mapping[str, str]
) -> RollUpReport:
    return RollUpReport(
        area_number=number,
        title=title,
        n_measures=r.n_measures,
        n_indicators=r.n_indicators,
        indicator_grades=_grade_counts(r.indicator_grades),
        measure_grades=_grade_counts(r.measure_grades),
        trend_vs_baseline=_trends(r.trend_vs_baseline),
        trend_vs_previous=_trends(r.trend_vs_previous),
        attention=tuple(
            AttentionEntry(a.measure_code, titles.get(a.measure_code, ""), a.reasons)
            for a in r.attention
        ),
    )


def _evaluate_groups(
    inp: ReportInput, groups: Sequence[tuple[str, str, Sequence[IndicatorInput]]]
) -> tuple[list[tuple[tuple[IndicatorReport, ...], MeasureGrade]], PlanRollUp]:
    """Evaluate and grade each group of indicators (a measure, or a priority strategy playing
    the part of one), given as (code, scope, indicators), and roll them all up.

    Returns each group's indicator rows and grade, in the order given, and the roll-up (the
    scope is the policy area code of the roll-up)."""
    outcomes: list[IndicatorOutcome] = []
    group_outcomes: list[MeasureOutcome] = []
    graded: list[tuple[tuple[IndicatorReport, ...], MeasureGrade]] = []
    for code, scope, indicators in groups:
        rows: list[IndicatorReport] = []
        results: list[YearResult] = []
        for ind in indicators:
            row, result = evaluate_indicator_input(
                ind,
                start_fy=inp.start_fy,
                end_fy=inp.end_fy,
                fiscal_year=inp.fiscal_year,
                scheme=inp.scheme,
            )
            rows.append(row)
            results.append(result)
            outcomes.append(
                IndicatorOutcome(
                    indicator_code=ind.code,
                    measure_code=code,
                    policy_area_code=scope,
                    grade=row.grade,
                    reported=result.reported,
                    trend_vs_baseline=result.trend_vs_baseline,
                    trend_vs_previous=result.trend_vs_previous,
                )
            )
        grade = grade_measure(results, inp.scheme)
        group_outcomes.append(
            MeasureOutcome(measure_code=code, policy_area_code=scope, grade=grade.label)
        )
        graded.append((tuple(rows), grade))
    return graded, roll_up(outcomes, group_outcomes, inp.scheme, inp.attention)


def build_report(inp: ReportInput) -> VerificationReport:
    """Evaluate, grade and roll up every measure of the edition for ``inp.fiscal_year``."""
    graded, rolled = _evaluate_groups(
        inp, [(m.code, str(m.area_number), m.indicators) for m in inp.measures]
    )
    attention = {a.measure_code: a.reasons for a in rolled.plan.attention}
    titles = {m.code: m.title for m in inp.measures}
    measures: list[MeasureReport] = []
    for measure, (rows_t, mg) in zip(inp.measures, graded, strict=True):
        sheet = measure.sheet
        status = sheet.status if sheet else "none"
        show = sheet is not None and (not inp.confirmed_texts_only or status == "confirmed")
        text = sheet if (show and sheet is not None) else SheetInput(status=status)
        programmes = tuple(
            _programme_report(
                p,
                show_sheet=not inp.confirmed_texts_only or p.sheet_status == "confirmed",
            )
            for p in measure.programmes
        )
        costs = [p.total_cost for p in programmes if p.total_cost is not None]
        measures.append(
            MeasureReport(
                code=measure.code,
                title=measure.title,
                area_number=measure.area_number,
                area_title=measure.area_title,
                departments=measure.departments,
                grade=mg.label,
                grade_description=mg.description,
                mean_progress=_finite(mg.value) if mg.method.value == "mean" else None,
                n_indicators=mg.n_indicators,
                n_reported=mg.n_reported,
                indicators=rows_t,
                programmes=programmes,
                sheet_status=status,
                sheet_status_label=sheet_status_label(status),
                results=text.results,
                issues=text.issues,
                direction=text.direction,
                direction_label=sheet_direction_label(text.direction),
                direction_note=text.direction_note,
                internal_grade=text.internal_grade,
                grade_reason=text.grade_reason,
                external_comment=text.external_comment,
                attention=attention.get(measure.code, ()),
                cost_total=sum(costs) if costs else None,
            )
        )
    area_titles: dict[int, str] = {}
    for measure in inp.measures:
        area_titles.setdefault(measure.area_number, measure.area_title)
    areas = tuple(
        _roll_up_report(
            r,
            int(r.policy_area_code or 0),
            area_titles.get(int(r.policy_area_code or 0), ""),
            titles,
        )
        for r in rolled.areas
    )
    strategies, strategy_summary = _strategy_reports(inp, {m.code: m for m in measures})
    return VerificationReport(
        title=report_title(inp.edition_kind, inp.edition_title, inp.fiscal_year, inp.is_final),
        municipality=inp.municipality,
        municipality_code=inp.municipality_code,
        is_demo=inp.is_demo,
        plan_title=inp.plan_title,
        edition_title=inp.edition_title,
        edition_kind=inp.edition_kind,
        edition_kind_label=_(EDITION_KINDS.get(inp.edition_kind, inp.edition_kind)),
        start_fy=inp.start_fy,
        end_fy=inp.end_fy,
        fiscal_year=inp.fiscal_year,
        is_final=inp.is_final,
        introduction=inp.introduction,
        scheme=scheme_info(inp.scheme),
        plan=_roll_up_report(rolled.plan, None, _("計画全体"), titles),
        areas=areas,
        measures=tuple(measures),
        generated_at=inp.generated_at,
        confirmed_texts_only=inp.confirmed_texts_only,
        strategies=strategies,
        strategy_summary=strategy_summary,
    )


STRATEGY_SCOPE = "strategies"


def _strategy_reports(
    inp: ReportInput, measures: Mapping[str, MeasureReport]
) -> tuple[tuple[StrategyReport, ...], RollUpReport | None]:
    """Each priority strategy's indicators evaluated and graded as a measure's are, and one
    roll-up of them all (a strategy plays the part of a measure: its grade, its attention)."""
    if not inp.strategies:
        return (), None
    graded, rolled = _evaluate_groups(
        inp,
        [(strategy_code(s.number), STRATEGY_SCOPE, s.indicators) for s in inp.strategies],
    )
    attention = {a.measure_code: a.reasons for a in rolled.plan.attention}
    labels = inp.scheme.labels
    reports: list[StrategyReport] = []
    for strategy, (rows_t, grade) in zip(inp.strategies, graded, strict=True):
        code = strategy_code(strategy.number)
        counts = dict.fromkeys(labels, 0)
        for row in rows_t:
            counts[row.grade] = counts.get(row.grade, 0) + 1
        reports.append(
            StrategyReport(
                number=strategy.number,
                code=code,
                title=strategy.title,
                basic_goal=strategy.basic_goal,
                measures=tuple(
                    StrategyMeasureRef(
                        c,
                        measures[c].title if c in measures else "",
                        measures[c].grade if c in measures else "",
                    )
                    for c in strategy.measure_codes
                ),
                grade=grade.label,
                grade_description=grade.description,
                mean_progress=_finite(grade.value) if grade.method.value == "mean" else None,
                n_indicators=grade.n_indicators,
                n_reported=grade.n_reported,
                indicators=rows_t,
                indicator_grades=_grade_counts(tuple(counts.items())),
                trend_vs_baseline=_trends(count_trends(Trend(r.trend_vs_baseline) for r in rows_t)),
                attention=attention.get(code, ()),
            )
        )
    titles = {strategy_code(s.number): s.title for s in inp.strategies}
    summary = _roll_up_report(rolled.plan, None, _("重点戦略"), titles)
    return tuple(reports), summary


# --------------------------------------------------------------------------- JSON


def report_to_dict(report: VerificationReport) -> dict[str, Any]:
    """Plain JSON-able data (tuples become lists)."""
    data = dataclasses.asdict(report)
    data["schema_version"] = 1
    return data


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v) for v in value)
        return tuple(_convert(a, v) for a, v in zip(args, value, strict=True))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _from_dict(tp, value)
    if tp is float and isinstance(value, int):
        return float(value)
    return value


def _from_dict[T](cls: type[T], data: Mapping[str, Any]) -> T:
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name])
    return cls(**kwargs)


def report_from_dict(data: Mapping[str, Any]) -> VerificationReport:
    """Inverse of :func:`report_to_dict`."""
    return _from_dict(VerificationReport, data)


__all__ = [
    "AttentionEntry",
    "CostInput",
    "GradeCount",
    "GradeLabel",
    "IndicatorInput",
    "IndicatorReport",
    "IndicatorYear",
    "MeasureInput",
    "MeasureReport",
    "ProgrammeIndicatorInput",
    "ProgrammeIndicatorReport",
    "ProgrammeInput",
    "ProgrammeReport",
    "ReportInput",
    "RollUpReport",
    "SchemeInfo",
    "SheetInput",
    "StrategyInput",
    "StrategyMeasureRef",
    "StrategyReport",
    "TrendSummary",
    "ViewpointReport",
    "VerificationReport",
    "build_report",
    "evaluate_indicator_input",
    "report_from_dict",
    "report_input_digest",
    "report_to_dict",
    "report_title",
    "scheme_info",
    "strategy_code",
    "with_observations",
]
