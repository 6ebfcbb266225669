"""Roll-ups of one year's evaluation: per policy area (政策分野) and for the whole plan.

Counts are exact: an indicator that was not reported is counted as "not reported", never
as 0 % or as "worsened". Measures needing attention (要注意の施策) are chosen by an
:class:`AttentionRule`, itself plain data so a city can change it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from keikaku.core.domain.i18n import _
from keikaku.evaluation.domain.achievement import Trend, YearResult
from keikaku.evaluation.domain.grading import Grade, GradingScheme, MeasureGrade


class TrendBasis(StrEnum):
    BASELINE = "baseline"  # 基準値と比べる
    PREVIOUS = "previous"  # 前年度（直近の報告年度）と比べる


class AttentionRuleError(ValueError):
    """An attention rule is not valid; the message says which field to fix."""


@dataclass(frozen=True, slots=True)
class IndicatorOutcome:
    """One indicator's graded result in the year rolled up."""

    indicator_code: str
    measure_code: str
    policy_area_code: str
    grade: str
    reported: bool
    trend_vs_baseline: Trend
    trend_vs_previous: Trend


@dataclass(frozen=True, slots=True)
class MeasureOutcome:
    measure_code: str
    policy_area_code: str
    grade: str


@dataclass(frozen=True, slots=True)
class TrendCounts:
    improved: int = 0
    unchanged: int = 0
    worsened: int = 0
    not_reported: int = 0
    no_reference: int = 0

    @property
    def total(self) -> int:
        return (
            self.improved + self.unchanged + self.worsened + self.not_reported + self.no_reference
        )

    @property
    def reported(self) -> int:
        return self.total - self.not_reported


@dataclass(frozen=True, slots=True)
class AttentionRule:
    """When a measure needs attention (any condition that is set suffices).

    - ``measure_grades``: the measure's grade is one of these labels;
    - ``worsened_share_at_least``: share of its *reported* indicators that worsened
      (against ``trend_basis``) is at least this;
    - ``not_reported_share_at_least``: share of its indicators not reported is at least this;
    - ``indicator_grades`` + ``indicator_grade_share_at_least``: share of its indicators
      graded with one of these labels is at least this.
    """

    measure_grades: frozenset[str] = frozenset()
    worsened_share_at_least: float | None = 0.5
    not_reported_share_at_least: float | None = 0.5
    indicator_grades: frozenset[str] = frozenset()
    indicator_grade_share_at_least: float | None = None
    trend_basis: TrendBasis = TrendBasis.BASELINE

    def __post_init__(self) -> None:
        for name in (
            "worsened_share_at_least",
            "not_reported_share_at_least",
            "indicator_grade_share_at_least",
        ):
            value = getattr(self, name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1
            ):
                raise AttentionRuleError(
                    _(
                        "要注意の判定規則の「%(field)s」は 0 より大きく 1 以下の割合にしてください（いまは %(value)s）。"
                    )
                    % {"field": name, "value": value}
                )
        if self.indicator_grades and self.indicator_grade_share_at_least is None:
            raise AttentionRuleError(
                _(
                    "要注意の判定規則で「indicator_grades」を使うときは、"
                    "「indicator_grade_share_at_least」（割合）も指定してください。"
                )
            )

    @classmethod
    def default_for(cls, scheme: GradingScheme) -> AttentionRule:
        """Default: the scheme's lowest ranked grade, or ≥ half worsened, or ≥ half unreported."""
        worst = frozenset(scheme.order[-1:])
        return cls(measure_grades=worst)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AttentionRule:
        known = {
            "measure_grades",
            "worsened_share_at_least",
            "not_reported_share_at_least",
            "indicator_grades",
            "indicator_grade_share_at_least",
            "trend_basis",
        }
        for key in data:
            if key not in known:
                raise AttentionRuleError(
                    _(
                        "要注意の判定規則に知らない項目「%(key)s」があります。綴りを確認してください。"
                    )
                    % {"key": key}
                )
        for key in ("measure_grades", "indicator_grades"):
            value = data.get(key, [])
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                raise AttentionRuleError(
                    _("要注意の判定規則の「%(key)s」は区分の名前の一覧にしてください。")
                    % {"key": key}
                )
        basis_raw = data.get("trend_basis", TrendBasis.BASELINE.value)
        try:
            basis = TrendBasis(basis_raw)
        except ValueError:
            raise AttentionRuleError(
                _(
                    "要注意の判定規則の「trend_basis」は baseline か previous にしてください（いまは %(v)s）。"
                )
                % {"v": basis_raw}
            ) from None
        return cls(
            measure_grades=frozenset(data.get("measure_grades", [])),
            worsened_share_at_least=data.get("worsened_share_at_least", 0.5),
            not_reported_share_at_least=data.get("not_reported_share_at_least", 0.5),
            indicator_grades=frozenset(data.get("indicator_grades", [])),
            indicator_grade_share_at_least=data.get("indicator_grade_share_at_least"),
            trend_basis=basis,
        )


@dataclass(frozen=True, slots=True)
class AttentionItem:
    measure_code: str
    policy_area_code: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RollUp:
    """Counts for one scope: a policy area, or the whole plan (``policy_area_code`` None)."""

    policy_area_code: str | None
    n_measures: int
    n_indicators: int
    indicator_grades: tuple[tuple[str, int], ...]
    measure_grades: tuple[tuple[str, int], ...]
    trend_vs_baseline: TrendCounts
    trend_vs_previous: TrendCounts
    attention: tuple[AttentionItem, ...]


@dataclass(frozen=True, slots=True)
class PlanRollUp:
    plan: RollUp
    areas: tuple[RollUp, ...]

    def area(self, code: str) -> RollUp:
        for roll_up in self.areas:
            if roll_up.policy_area_code == code:
                return roll_up
        raise KeyError(code)


def indicator_outcome(
    *,
    indicator_code: str,
    measure_code: str,
    policy_area_code: str,
    result: YearResult,
    grade: Grade,
) -> IndicatorOutcome:
    return IndicatorOutcome(
        indicator_code=indicator_code,
        measure_code=measure_code,
        policy_area_code=policy_area_code,
        grade=grade.label,
        reported=result.reported,
        trend_vs_baseline=result.trend_vs_baseline,
        trend_vs_previous=result.trend_vs_previous,
    )


def measure_outcome(
    *, measure_code: str, policy_area_code: str, grade: MeasureGrade
) -> MeasureOutcome:
    return MeasureOutcome(
        measure_code=measure_code, policy_area_code=policy_area_code, grade=grade.label
    )


def count_trends(trends: Iterable[Trend]) -> TrendCounts:
    counts = dict.fromkeys(Trend, 0)
    for trend in trends:
        counts[trend] += 1
    return TrendCounts(
        improved=counts[Trend.IMPROVED],
        unchanged=counts[Trend.UNCHANGED],
        worsened=counts[Trend.WORSENED],
        not_reported=counts[Trend.NOT_REPORTED],
        no_reference=counts[Trend.NO_REFERENCE],
    )


def _distribution(labels: Sequence[str], grades: Iterable[str]) -> tuple[tuple[str, int], ...]:
    counts = dict.fromkeys(labels, 0)
    for grade in grades:
        if grade not in counts:
            raise ValueError(
                _("区分「%(label)s」は評価方式にありません。評価方式を確認してください。")
                % {"label": grade}
            )
        counts[grade] += 1
    return tuple(counts.items())


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}"


def measures_needing_attention(
    indicators: Sequence[IndicatorOutcome],
    measures: Sequence[MeasureOutcome],
    rule: AttentionRule,
) -> tuple[AttentionItem, ...]:
    """Measures that meet the rule, in the order given, each with its reasons in Japanese."""
    by_measure: dict[str, list[IndicatorOutcome]] = {}
    for item in indicators:
        by_measure.setdefault(item.measure_code, []).append(item)
    found: list[AttentionItem] = []
    for measure in measures:
        own = by_measure.get(measure.measure_code, [])
        reasons: list[str] = []
        if measure.grade in rule.measure_grades:
            reasons.append(_("施策の評価が「%(grade)s」") % {"grade": measure.grade})
        n = len(own)
        reported = [i for i in own if i.reported]
        if rule.worsened_share_at_least is not None and reported:
            trends = [
                i.trend_vs_baseline
                if rule.trend_basis is TrendBasis.BASELINE
                else i.trend_vs_previous
                for i in reported
            ]
            worsened = sum(1 for t in trends if t is Trend.WORSENED)
            if worsened and worsened / len(reported) >= rule.worsened_share_at_least:
                template = (
                    _("報告のあった成果指標 %(n)d 件中 %(k)d 件が基準値より悪化（%(pct)s %%）")
                    if rule.trend_basis is TrendBasis.BASELINE
                    else _("報告のあった成果指標 %(n)d 件中 %(k)d 件が前年度より悪化（%(pct)s %%）")
                )
                reasons.append(
                    template
                    % {"n": len(reported), "k": worsened, "pct": _pct(worsened, len(reported))}
                )
        if rule.not_reported_share_at_least is not None and n:
            missing = n - len(reported)
            if missing and missing / n >= rule.not_reported_share_at_least:
                reasons.append(
                    _("成果指標 %(n)d 件中 %(k)d 件が未報告（%(pct)s %%）")
                    % {"n": n, "k": missing, "pct": _pct(missing, n)}
                )
        if rule.indicator_grades and rule.indicator_grade_share_at_least is not None and n:
            hits = sum(1 for i in own if i.grade in rule.indicator_grades)
            if hits and hits / n >= rule.indicator_grade_share_at_least:
                reasons.append(
                    _("成果指標 %(n)d 件中 %(k)d 件の評価が「%(grades)s」（%(pct)s %%）")
                    % {
                        "n": n,
                        "k": hits,
                        "grades": "・".join(sorted(rule.indicator_grades)),
                        "pct": _pct(hits, n),
                    }
                )
        if reasons:
            found.append(
                AttentionItem(
                    measure_code=measure.measure_code,
                    policy_area_code=measure.policy_area_code,
                    reasons=tuple(reasons),
                )
            )
    return tuple(found)


def _roll_up_scope(
    code: str | None,
    indicators: Sequence[IndicatorOutcome],
    measures: Sequence[MeasureOutcome],
    labels: Sequence[str],
    rule: AttentionRule,
) -> RollUp:
    return RollUp(
        policy_area_code=code,
        n_measures=len(measures),
        n_indicators=len(indicators),
        indicator_grades=_distribution(labels, (i.grade for i in indicators)),
        measure_grades=_distribution(labels, (m.grade for m in measures)),
        trend_vs_baseline=count_trends(i.trend_vs_baseline for i in indicators),
        trend_vs_previous=count_trends(i.trend_vs_previous for i in indicators),
        attention=measures_needing_attention(indicators, measures, rule),
    )


def roll_up(
    indicators: Sequence[IndicatorOutcome],
    measures: Sequence[MeasureOutcome],
    scheme: GradingScheme,
    rule: AttentionRule | None = None,
) -> PlanRollUp:
    """Per policy area (in order of first appearance) and for the whole plan."""
    attention_rule = rule if rule is not None else AttentionRule.default_for(scheme)
    measure_codes = {m.measure_code for m in measures}
    for item in indicators:
        if item.measure_code not in measure_codes:
            raise ValueError(
                _("成果指標「%(code)s」の施策「%(measure)s」が施策の一覧にありません。")
                % {"code": item.indicator_code, "measure": item.measure_code}
            )
    area_codes = list(
        dict.fromkeys(
            [m.policy_area_code for m in measures] + [i.policy_area_code for i in indicators]
        )
    )
    areas = tuple(
        _roll_up_scope(
            code,
            [i for i in indicators if i.policy_area_code == code],
            [m for m in measures if m.policy_area_code == code],
            scheme.labels,
            attention_rule,
        )
        for code in area_codes
    )
    plan = _roll_up_scope(None, indicators, measures, scheme.labels, attention_rule)
    return PlanRollUp(plan=plan, areas=areas)
