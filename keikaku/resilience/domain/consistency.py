"""Consistency of the basic plan with the sectoral plans (個別計画との整合性, seed §2 (7)).

The secretariat asks four questions of the registry, for one basic-plan period:

1. which measures (施策) have no sectoral plan at all;
2. which plans end inside the basic-plan period (they will be revised while the basic plan runs,
   and the revision must follow it) — and which ended before it began without a successor;
3. which plans are being written (策定中) or due for revision (改定予定) and must be aligned;
4. which periods overlap or conflict: two plans of the same series (e.g. 第2期 and 第3期 of the
   障害福祉計画) covering the same year, a gap between consecutive plans of a series inside the
   basic-plan period, or a status that contradicts the period (「現行」 but already ended or
   not yet started).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from keikaku.core.domain.i18n import _

STATUS_CURRENT = "current"
STATUS_DRAFTING = "drafting"
STATUS_REVISION = "revision_planned"


@dataclass(frozen=True)
class PlanInfo:
    id: int
    name: str
    status: str  # current | drafting | revision_planned
    start_fy: int | None
    end_fy: int | None
    series: str = ""
    department: str = ""
    measure_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class MeasureInfo:
    code: str
    title: str
    area_number: int
    area_title: str = ""


@dataclass(frozen=True)
class EndingPlan:
    plan: PlanInfo
    end_fy: int


@dataclass(frozen=True)
class PeriodIssue:
    kind: str  # "overlap" | "gap" | "status"
    plans: tuple[PlanInfo, ...]
    message: str
    years: tuple[int, ...] = ()


@dataclass(frozen=True)
class ConsistencyReport:
    period_start_fy: int
    period_end_fy: int
    current_fy: int
    measures_without_plans: tuple[MeasureInfo, ...]
    ending_inside: tuple[EndingPlan, ...]
    already_ended: tuple[EndingPlan, ...]
    being_written: tuple[PlanInfo, ...]
    period_issues: tuple[PeriodIssue, ...]

    @property
    def issue_count(self) -> int:
        return (
            len(self.measures_without_plans)
            + len(self.ending_inside)
            + len(self.already_ended)
            + len(self.being_written)
            + len(self.period_issues)
        )


def _years(start: int, end: int) -> str:
    return f"{start}～{end}" if start != end else str(start)


def _pair_issue(
    kind: str, message: str, series: str, pair: tuple[PlanInfo, PlanInfo], start: int, end: int
) -> PeriodIssue:
    """An overlap or gap of two plans of one series in the fiscal years start–end; ``message``
    takes %(series)s, %(a)s, %(b)s and %(years)s."""
    first, second = pair
    return PeriodIssue(
        kind=kind,
        plans=pair,
        years=tuple(range(start, end + 1)),
        message=message
        % {"series": series, "a": first.name, "b": second.name, "years": _years(start, end)},
    )


def _status_issue(plan: PlanInfo, fiscal_year: int, message: str) -> PeriodIssue:
    """A plan marked 「現行」 outside its period."""
    return PeriodIssue(kind="status", plans=(plan,), years=(fiscal_year,), message=message)


def consistency_report(
    *,
    plans: Sequence[PlanInfo],
    measures: Sequence[MeasureInfo],
    period_start_fy: int,
    period_end_fy: int,
    current_fy: int,
) -> ConsistencyReport:
    """The four checks for the basic-plan period ``period_start_fy``–``period_end_fy``.

    ``measures`` are the measures of that basic plan; ``plans[i].measure_codes`` the codes of
    that plan's linked measures in the same basic plan. ``current_fy`` decides whether a plan
    has already ended or not yet started.
    """
    linked = {code for plan in plans for code in plan.measure_codes}
    without = tuple(
        sorted(
            (m for m in measures if m.code not in linked),
            key=lambda m: (m.area_number, _code_key(m.code)),
        )
    )
    ending: list[EndingPlan] = []
    ended: list[EndingPlan] = []
    for plan in plans:
        if plan.end_fy is None:
            continue
        if period_start_fy <= plan.end_fy < period_end_fy:
            ending.append(EndingPlan(plan, plan.end_fy))
        elif plan.end_fy < period_start_fy and not _superseded(plan, plans):
            ended.append(EndingPlan(plan, plan.end_fy))
    writing = tuple(
        sorted(
            (p for p in plans if p.status in (STATUS_DRAFTING, STATUS_REVISION)),
            key=lambda p: (p.start_fy or 0, p.name),
        )
    )
    issues: list[PeriodIssue] = []
    series: dict[str, list[PlanInfo]] = {}
    for plan in plans:
        if plan.series:
            series.setdefault(plan.series, []).append(plan)
    for name, members in sorted(series.items()):
        dated = sorted(
            (p for p in members if p.start_fy is not None and p.end_fy is not None),
            key=lambda p: (p.start_fy or 0, p.end_fy or 0, p.id),
        )
        for i, first in enumerate(dated):
            for second in dated[i + 1 :]:
                assert first.start_fy is not None and first.end_fy is not None
                assert second.start_fy is not None and second.end_fy is not None
                lo = max(first.start_fy, second.start_fy)
                hi = min(first.end_fy, second.end_fy)
                if lo <= hi:
                    issues.append(
                        _pair_issue(
                            "overlap",
                            _(
                                "「%(series)s」の「%(a)s」と「%(b)s」の期間が %(years)s年度で重なっています。"
                            ),
                            name,
                            (first, second),
                            lo,
                            hi,
                        )
                    )
        for first, second in zip(dated, dated[1:], strict=False):
            assert first.end_fy is not None and second.start_fy is not None
            gap_start = max(first.end_fy + 1, period_start_fy)
            gap_end = min(second.start_fy - 1, period_end_fy)
            if gap_start <= gap_end:
                issues.append(
                    _pair_issue(
                        "gap",
                        _(
                            "「%(series)s」は %(years)s年度に計画がありません（「%(a)s」と「%(b)s」の間）。"
                        ),
                        name,
                        (first, second),
                        gap_start,
                        gap_end,
                    )
                )
    for plan in sorted(plans, key=lambda p: (p.name, p.id)):
        if plan.status != STATUS_CURRENT:
            continue
        if plan.end_fy is not None and plan.end_fy < current_fy:
            issues.append(
                _status_issue(
                    plan,
                    plan.end_fy,
                    _(
                        "「%(name)s」は「現行」ですが、計画期間は %(end)s年度に終わっています。状態か期間を見直してください。"
                    )
                    % {"name": plan.name, "end": plan.end_fy},
                )
            )
        elif plan.start_fy is not None and plan.start_fy > current_fy:
            issues.append(
                _status_issue(
                    plan,
                    plan.start_fy,
                    _(
                        "「%(name)s」は「現行」ですが、計画期間は %(start)s年度からです。「策定中」ではありませんか。"
                    )
                    % {"name": plan.name, "start": plan.start_fy},
                )
            )
    return ConsistencyReport(
        period_start_fy=period_start_fy,
        period_end_fy=period_end_fy,
        current_fy=current_fy,
        measures_without_plans=without,
        ending_inside=tuple(sorted(ending, key=lambda e: (e.end_fy, e.plan.name))),
        already_ended=tuple(sorted(ended, key=lambda e: (e.end_fy, e.plan.name))),
        being_written=writing,
        period_issues=tuple(issues),
    )


def _superseded(plan: PlanInfo, plans: Sequence[PlanInfo]) -> bool:
    """A later plan of the same series exists (the old one stays in the registry as history)."""
    if not plan.series or plan.start_fy is None:
        return False
    return any(
        other.id != plan.id
        and other.series == plan.series
        and other.start_fy is not None
        and other.start_fy > plan.start_fy
        for other in plans
    )


def _code_key(code: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (10**9, p) for p in code.split("-"))
