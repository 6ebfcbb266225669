"""Every write of the yearly evaluation: rounds, sheets and their states, bulk entry of
actuals and costs, publication, and the carry-over of a plan to its next edition.

All writes are audited (keikaku.core.services); plan data (actuals, costs, the new edition)
is written through the plan services, so the plan's audit trail and versions stay whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keikaku.core.domain.textio import normalize_for_match
from keikaku.core.services import (
    audit_record,
    audited_create,
    content_version_bump,
    versioned_save,
)
from keikaku.evaluation import rules, selectors
from keikaku.evaluation.domain import report as rpt
from keikaku.evaluation.domain.actuals_upload import (
    ACTUALS_SHEET,
    COSTS_SHEET,
    ParsedUpload,
)
from keikaku.evaluation.models import (
    EvaluationPublication,
    EvaluationRound,
    MeasureEvaluation,
    MeasureMerge,
    ProgrammeEvaluation,
    ProgrammeIndicator,
    ProgrammeLineage,
    ReportFile,
    SheetStatus,
    StrategyLineage,
)
from keikaku.evaluation.renderers import report_renderer
from keikaku.plans import services as plan_services
from keikaku.plans.domain.workbook import Problem
from keikaku.plans.models import (
    Edition,
    Indicator,
    IndicatorValue,
    Initiative,
    Measure,
    PolicyArea,
    PriorityStrategy,
    Programme,
    ProgrammeCost,
)

logger = logging.getLogger(__name__)


class EvaluationError(Exception):
    """A request that cannot be carried out; the message says why and what to do."""


class UploadError(Exception):
    """Bulk entry refused; nothing was written. ``problems`` locates each one."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(_("取り込めません。問題が%(n)d件あります。") % {"n": len(self.problems)})


# --------------------------------------------------------------------------- rounds


@transaction.atomic
def round_create(
    *,
    edition: Edition,
    fiscal_year: int,
    actor: Any,
    scheme_id: str | None = None,
    is_final: bool = False,
    introduction: str = "",
) -> EvaluationRound:
    """A new yearly evaluation with a draft sheet for every measure and programme."""
    if EvaluationRound.objects.filter(edition=edition, fiscal_year=fiscal_year).exists():
        raise EvaluationError(
            _("%(edition)s の%(fy)d年度の評価は既にあります。一覧から開いてください。")
            % {"edition": edition.title, "fy": fiscal_year}
        )
    round_ = EvaluationRound(
        edition=edition,
        fiscal_year=fiscal_year,
        is_final=is_final,
        introduction=introduction,
    )
    if scheme_id:
        round_.scheme_id = scheme_id
    audited_create(obj=round_, actor=actor)
    round_sync_sheets(round_=round_, actor=actor)
    return round_


@transaction.atomic
def round_sync_sheets(*, round_: EvaluationRound, actor: Any) -> int:
    """Create the missing sheets (measures or programmes added after the round began)."""
    created = 0
    have = set(MeasureEvaluation.objects.filter(round=round_).values_list("measure_id", flat=True))
    for measure in selectors.measures_of(round_.edition):
        if measure.pk not in have:
            MeasureEvaluation.objects.create(round=round_, measure=measure)
            created += 1
    have_p = set(
        ProgrammeEvaluation.objects.filter(round=round_).values_list("programme_id", flat=True)
    )
    for programme in selectors.programmes_of(round_.edition):
        if programme.pk not in have_p:
            ProgrammeEvaluation.objects.create(round=round_, programme=programme)
            created += 1
    if created:
        audit_record(
            actor=actor,
            action="create_sheets",
            obj=round_,
            before=None,
            after={"sheets": created},
        )
    return created


def round_update(
    *, round_: EvaluationRound, actor: Any, expected_version: int | None, changes: dict[str, Any]
) -> EvaluationRound:
    versioned_save(obj=round_, actor=actor, expected_version=expected_version, changes=changes)
    return round_


# --------------------------------------------------------------------------- sheets

SheetModel = MeasureEvaluation | ProgrammeEvaluation


def _check_grade(sheet: SheetModel, changes: Mapping[str, Any]) -> None:
    grade = changes.get("internal_grade")
    if not grade or not isinstance(sheet, MeasureEvaluation):
        return
    from keikaku.evaluation.schemes import scheme_get

    labels = scheme_get(sheet.round.scheme_id).labels
    if grade not in labels:
        raise ValidationError(
            {
                "internal_grade": _("内部評価は %(labels)s のどれかにしてください。")
                % {"labels": "・".join(labels)}
            }
        )


def sheet_update(
    *,
    sheet: SheetModel,
    actor: Any,
    expected_version: int | None,
    changes: dict[str, Any],
) -> SheetModel:
    """Save a sheet's texts (StaleEditError when someone saved it in between)."""
    for key in ("status", "submitted_at", "submitted_by", "confirmed_at", "confirmed_by"):
        changes.pop(key, None)
    _check_grade(sheet, changes)
    versioned_save(obj=sheet, actor=actor, expected_version=expected_version, changes=changes)
    return sheet


@transaction.atomic
def programme_indicators_save(
    *, sheet: ProgrammeEvaluation, actor: Any, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Replace the sheet's activity/outcome indicator rows (rows without a name are dropped)."""
    before = [
        {"kind": i.kind, "name": i.name, "unit": i.unit, "planned": i.planned, "actual": i.actual}
        for i in sheet.indicators.all()
    ]
    after: list[dict[str, Any]] = []
    sheet.indicators.all().delete()
    for order, row in enumerate(rows, start=1):
        name = str(row.get("name") or "").strip()
        if not name:
            continue
        item = ProgrammeIndicator(
            sheet=sheet,
            kind=row.get("kind") or ProgrammeIndicator.Kind.ACTIVITY,
            order=order,
            name=name,
            unit=str(row.get("unit") or ""),
            planned=row.get("planned"),
            actual=row.get("actual"),
        )
        item.full_clean(exclude=["sheet"])
        item.save()
        after.append(
            {
                "kind": item.kind,
                "name": item.name,
                "unit": item.unit,
                "planned": item.planned,
                "actual": item.actual,
            }
        )
    if before != after:
        audit_record(
            actor=actor,
            action="update_indicators",
            obj=sheet,
            before={"indicators": before},
            after={"indicators": after},
        )


@dataclass(frozen=True)
class _SheetStep:
    allowed_from: tuple[str, ...]
    to: str
    stamp: str
    """Which pair of ``<stamp>_at`` / ``<stamp>_by`` fields the step sets to now and the actor
    (or, with ``clear``, empties)."""
    clear: bool = False


_SHEET_STEPS: dict[str, _SheetStep] = {
    "submit": _SheetStep((SheetStatus.DRAFT,), SheetStatus.SUBMITTED, "submitted"),
    "confirm": _SheetStep((SheetStatus.SUBMITTED,), SheetStatus.CONFIRMED, "confirmed"),
    "return": _SheetStep(
        (SheetStatus.SUBMITTED, SheetStatus.CONFIRMED), SheetStatus.DRAFT, "confirmed", clear=True
    ),
}


def _transition(
    sheet: SheetModel, actor: Any, expected_version: int | None, action: str
) -> SheetModel:
    step = _SHEET_STEPS[action]
    if sheet.status not in step.allowed_from:
        raise EvaluationError(
            _(
                "この評価シートは「%(status)s」のため、この操作はできません。画面を読み込み直してください。"
            )
            % {"status": sheet.get_status_display()}
        )
    if step.clear:
        stamp: dict[str, Any] = {f"{step.stamp}_at": None, f"{step.stamp}_by": ""}
    else:
        stamp = {
            f"{step.stamp}_at": timezone.now(),
            f"{step.stamp}_by": selectors.user_label(actor),
        }
    versioned_save(
        obj=sheet,
        actor=actor,
        expected_version=expected_version,
        changes={"status": step.to, **stamp},
        action=action,
    )
    return sheet


def sheet_submit(*, sheet: SheetModel, actor: Any, expected_version: int | None) -> SheetModel:
    """Department → secretariat (作成中 → 提出済み)."""
    return _transition(sheet, actor, expected_version, "submit")


def sheet_confirm(*, sheet: SheetModel, actor: Any, expected_version: int | None) -> SheetModel:
    """Secretariat confirms (提出済み → 確認済み)."""
    return _transition(sheet, actor, expected_version, "confirm")


def sheet_return(*, sheet: SheetModel, actor: Any, expected_version: int | None) -> SheetModel:
    """Secretariat sends a sheet back to the department (→ 作成中)."""
    return _transition(sheet, actor, expected_version, "return")


# --------------------------------------------------------------------------- bulk entry


@dataclass(frozen=True)
class ActualChange:
    row: int | None
    indicator: Indicator
    existing: IndicatorValue | None
    value: float | None
    as_of: Any
    note: str

    @property
    def before(self) -> float | None:
        return self.existing.value if self.existing else None

    @property
    def action(self) -> str:
        return "update" if self.existing else "create"


@dataclass(frozen=True)
class CostChange:
    row: int | None
    programme: Programme
    existing: ProgrammeCost | None
    is_plan: bool
    values: dict[str, Any]

    @property
    def before_total(self) -> int | None:
        return self.existing.total if self.existing else None

    @property
    def action(self) -> str:
        return "update" if self.existing else "create"


@dataclass(frozen=True)
class StaffChange:
    row: int | None
    programme: Programme
    sheet: ProgrammeEvaluation | None
    staff_cost: int | None
    staff_fte: Decimal | None


@dataclass
class EntryPlan:
    """What a bulk entry would write (computed without writing)."""

    round_id: int
    fiscal_year: int
    actuals: list[ActualChange] = field(default_factory=list)
    costs: list[CostChange] = field(default_factory=list)
    staff: list[StaffChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def n_changes(self) -> int:
        return len(self.actuals) + len(self.costs) + len(self.staff)

    def overrides(self) -> dict[tuple[str, int], float | None]:
        return {(c.indicator.code, self.fiscal_year): c.value for c in self.actuals}

    def digest(self) -> str:
        payload = {
            "a": [
                [
                    c.indicator.pk,
                    c.existing.version if c.existing else 0,
                    c.value,
                    str(c.as_of),
                    c.note,
                ]
                for c in self.actuals
            ],
            "c": [
                [
                    c.programme.pk,
                    c.is_plan,
                    c.existing.version if c.existing else 0,
                    sorted(c.values.items()),
                ]
                for c in self.costs
            ],
            "s": [
                [c.programme.pk, c.sheet.version if c.sheet else 0, c.staff_cost, str(c.staff_fte)]
                for c in self.staff
            ],
        }
        return hashlib.sha256(json.dumps(payload, default=str).encode()).hexdigest()

    def summary_text(self) -> str:
        return _("実績値 %(a)d 件、事業費 %(c)d 件、人件費 %(s)d 件を変更（変更なし %(u)d 件）") % {
            "a": len(self.actuals),
            "c": len(self.costs),
            "s": len(self.staff),
            "u": self.unchanged,
        }


def _same_float(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-12)


def _lookup(items: Iterable[Any], key: str) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for item in items:
        out.setdefault(normalize_for_match(getattr(item, key)), []).append(item)
    return out


COST_FIELDS = ("total", "national", "prefectural", "bonds", "other", "general")


def entry_plan(
    *,
    round_: EvaluationRound,
    parsed: ParsedUpload,
    user: Any,
    expected_versions: Mapping[str, int] | None = None,
) -> EntryPlan:
    """Check every row against the plan and the user's rights; list what would change.

    Raises :class:`UploadError` with every problem (nothing is written either way).
    ``expected_versions`` (from the grid) maps "value:<indicator id>", "cost:<programme id>"
    and "sheet:<programme id>" to the versions the form was built from.
    """
    problems: list[Problem] = list(parsed.problems)
    plan = EntryPlan(round_id=round_.pk, fiscal_year=round_.fiscal_year)
    indicators = _lookup(selectors.indicators_for_round(round_), "code")
    values = selectors.values_for_year(round_)
    expected = expected_versions or {}
    for row in parsed.actuals:
        matches = indicators.get(normalize_for_match(row.indicator), [])
        where = (ACTUALS_SHEET, row.row)
        if not matches:
            problems.append(
                parsed.locate(
                    *where,
                    "indicator",
                    _(
                        "指標番号「%(code)s」はこの基本計画の成果指標にありません。番号を確かめてください。"
                    )
                    % {"code": row.indicator},
                )
            )
            continue
        if len(matches) > 1:
            problems.append(
                parsed.locate(
                    *where,
                    "indicator",
                    _(
                        "指標番号「%(code)s」の成果指標が %(n)d 件あり、どれか決められません。職員用画面で番号を直してください。"
                    )
                    % {"code": row.indicator, "n": len(matches)},
                )
            )
            continue
        ind = matches[0]
        if not rules.can_enter_for_indicator(user, ind):
            if ind.measure is not None:
                message = _(
                    "指標「%(code)s」（施策 %(measure)s）の実績値を入力する権限がありません。担当課か事務局に依頼してください。"
                ) % {"code": ind.code, "measure": ind.measure.code}
            else:
                message = _(
                    "指標「%(code)s」（%(strategy)s）は重点戦略の成果指標です。実績値は事務局が入力します。事務局に依頼してください。"
                ) % {
                    "code": ind.code,
                    "strategy": rpt.strategy_code(ind.strategy.number) if ind.strategy else "—",
                }
            problems.append(parsed.locate(*where, "indicator", message))
            continue
        if (
            ind.direction == Indicator.Direction.MILESTONE
            and row.value is not None
            and row.value not in (0, 1)
        ):
            problems.append(
                parsed.locate(
                    *where,
                    "value",
                    _(
                        "指標「%(code)s」は達成・未達成の指標です。完了なら 1、未完了なら 0 を入力してください（いまは %(v)s）。"
                    )
                    % {"code": ind.code, "v": f"{row.value:g}"},
                )
            )
            continue
        existing = values.get(ind.pk)
        key = f"value:{ind.pk}"
        if key in expected and (existing.version if existing else 0) != expected[key]:
            problems.append(
                parsed.locate(
                    *where,
                    "value",
                    _(
                        "指標「%(code)s」の実績値は、この画面を開いた後に別の人が変更しました。読み込み直してから入力してください。"
                    )
                    % {"code": ind.code},
                )
            )
            continue
        as_of = row.as_of if row.as_of is not None else (existing.as_of if existing else None)
        if existing is None and row.value is None and not row.note:
            plan.unchanged += 1
            continue
        if (
            existing is not None
            and _same_float(existing.value, row.value)
            and existing.as_of == as_of
            and existing.note == row.note
        ):
            plan.unchanged += 1
            continue
        plan.actuals.append(ActualChange(row.row, ind, existing, row.value, as_of, row.note))
    _plan_costs(round_, parsed, user, plan, problems, expected)
    if problems:
        raise UploadError(sorted(problems, key=_problem_order))
    return plan


def _problem_order(problem: Problem) -> tuple[int, int, int, str]:
    """Whole-file problems first, then 実績値 before 事業費, then by row and column."""
    sheet = {"": 0, ACTUALS_SHEET: 1, COSTS_SHEET: 2}.get(problem.sheet, 3)
    letter = problem.column_letter or ""
    return (sheet, problem.row or 0, len(letter), letter)


def _plan_costs(
    round_: EvaluationRound,
    parsed: ParsedUpload,
    user: Any,
    plan: EntryPlan,
    problems: list[Problem],
    expected: Mapping[str, int],
) -> None:
    if not parsed.costs:
        return
    programmes = _lookup(selectors.programmes_of(round_.edition), "code")
    actual_costs = selectors.costs_for_year(round_, is_plan=False)
    plan_costs = selectors.costs_for_year(round_, is_plan=True)
    sheets = {s.programme_id: s for s in ProgrammeEvaluation.objects.filter(round=round_)}
    for row in parsed.costs:
        where = (COSTS_SHEET, row.row)
        matches = programmes.get(normalize_for_match(row.programme), [])
        if len(matches) != 1:
            problems.append(
                parsed.locate(
                    *where,
                    "programme",
                    _(
                        "事業番号「%(code)s」はこの基本計画の事務事業にありません。番号を確かめてください。"
                    )
                    % {"code": row.programme},
                )
            )
            continue
        prog = matches[0]
        if not rules.can_enter_for_programme(user, prog):
            problems.append(
                parsed.locate(
                    *where,
                    "programme",
                    _(
                        "事業「%(code)s」の事業費を入力する権限がありません。担当課か事務局に依頼してください。"
                    )
                    % {"code": prog.code},
                )
            )
            continue
        if row.is_plan and (row.staff_cost is not None or row.staff_fte is not None):
            problems.append(
                parsed.locate(
                    *where,
                    "staff_cost",
                    _(
                        "人件費と従事職員数は「決算」の行に入力してください（この行は「計画」です）。"
                    ),
                )
            )
            continue
        existing = (plan_costs if row.is_plan else actual_costs).get(prog.pk)
        key = f"cost:{prog.pk}"
        if key in expected and (existing.version if existing else 0) != expected[key]:
            problems.append(
                parsed.locate(
                    *where,
                    "total",
                    _(
                        "事業「%(code)s」の事業費は、この画面を開いた後に別の人が変更しました。読み込み直してから入力してください。"
                    )
                    % {"code": prog.code},
                )
            )
            continue
        new_values: dict[str, Any] = {name: getattr(row, name) for name in COST_FIELDS}
        new_values["note"] = row.note
        if existing is None and all(new_values[n] is None for n in COST_FIELDS) and not row.note:
            plan.unchanged += 1
        elif existing is not None and all(getattr(existing, n) == v for n, v in new_values.items()):
            plan.unchanged += 1
        else:
            plan.costs.append(CostChange(row.row, prog, existing, row.is_plan, new_values))
        if not row.is_plan:
            sheet = sheets.get(prog.pk)
            fte = Decimal(str(round(row.staff_fte, 2))) if row.staff_fte is not None else None
            skey = f"sheet:{prog.pk}"
            if skey in expected and (sheet.version if sheet else 0) != expected[skey]:
                problems.append(
                    parsed.locate(
                        *where,
                        "staff_cost",
                        _(
                            "事業「%(code)s」の人件費は、この画面を開いた後に別の人が変更しました。読み込み直してから入力してください。"
                        )
                        % {"code": prog.code},
                    )
                )
                continue
            old_cost = sheet.staff_cost if sheet else None
            old_fte = sheet.staff_fte if sheet else None
            if (row.staff_cost, fte) != (old_cost, old_fte) and (
                row.staff_cost is not None or fte is not None or sheet is not None
            ):
                plan.staff.append(StaffChange(row.row, prog, sheet, row.staff_cost, fte))


def _create_or_update(
    existing: Any, model: type[Any], new: dict[str, Any], changes: dict[str, Any], actor: Any
) -> None:
    """Through the audited plan services: create ``model(**new)`` when there is no
    ``existing`` object, else write ``changes`` to it (at the version it was read at)."""
    if existing is None:
        plan_services.plan_object_create(obj=model(**new), actor=actor)
    else:
        plan_services.plan_object_update(
            obj=existing, actor=actor, expected_version=existing.version, changes=changes
        )


@transaction.atomic
def entry_apply(*, round_: EvaluationRound, plan: EntryPlan, actor: Any) -> EntryPlan:
    """Write a checked plan in one transaction (through the audited plan services)."""
    fy = round_.fiscal_year
    for change in plan.actuals:
        fields = {"value": change.value, "as_of": change.as_of, "note": change.note}
        new = {"indicator": change.indicator, "fiscal_year": fy, **fields}
        _create_or_update(change.existing, IndicatorValue, new, fields, actor)
    for cost in plan.costs:
        new = {"programme": cost.programme, "fiscal_year": fy, "is_plan": cost.is_plan}
        _create_or_update(
            cost.existing, ProgrammeCost, {**new, **cost.values}, dict(cost.values), actor
        )
    for staff in plan.staff:
        sheet = staff.sheet
        if sheet is None:
            sheet = ProgrammeEvaluation.objects.create(round=round_, programme=staff.programme)
        versioned_save(
            obj=sheet,
            actor=actor,
            expected_version=sheet.version,
            changes={"staff_cost": staff.staff_cost, "staff_fte": staff.staff_fte},
        )
    if plan.n_changes:
        audit_record(
            actor=actor,
            action="bulk_entry",
            obj=round_,
            before=None,
            after={
                "actuals": len(plan.actuals),
                "costs": len(plan.costs),
                "staff": len(plan.staff),
            },
        )
    return plan


@dataclass(frozen=True)
class GradeChanges:
    """What a bulk entry would change in the grades (a preview; nothing is written)."""

    measures: list[tuple[rpt.MeasureReport, rpt.MeasureReport]]
    strategies: list[tuple[rpt.StrategyReport, rpt.StrategyReport]]
    indicators: list[tuple[str, str, str, str]]
    """(code, name, grade before, grade after) of measures' and strategies' indicators."""


def grade_changes_all(
    round_: EvaluationRound, overrides: Mapping[tuple[str, int], float | None]
) -> GradeChanges:
    base_input = selectors.report_input(round_)
    before = rpt.build_report(base_input)
    after = rpt.build_report(rpt.with_observations(base_input, overrides))
    out = GradeChanges([], [], [])
    for old, new in zip(before.measures, after.measures, strict=True):
        if old.grade != new.grade:
            out.measures.append((old, new))
        for oi, ni in zip(old.indicators, new.indicators, strict=True):
            if oi.grade != ni.grade:
                out.indicators.append((ni.code, ni.name, oi.grade, ni.grade))
    for olds, news in zip(before.strategies, after.strategies, strict=True):
        if olds.grade != news.grade:
            out.strategies.append((olds, news))
        for oi, ni in zip(olds.indicators, news.indicators, strict=True):
            if oi.grade != ni.grade:
                out.indicators.append((ni.code, ni.name, oi.grade, ni.grade))
    return out


def grade_changes(
    round_: EvaluationRound, overrides: Mapping[tuple[str, int], float | None]
) -> tuple[list[tuple[rpt.MeasureReport, rpt.MeasureReport]], list[tuple[str, str, str, str]]]:
    """Measures and indicators whose grade the given values would change (a read)."""
    changes = grade_changes_all(round_, overrides)
    return changes.measures, changes.indicators


# --------------------------------------------------------------------------- publication


@transaction.atomic
def round_publish(*, round_: EvaluationRound, actor: Any) -> EvaluationPublication:
    """Publish the round's results: texts of confirmed sheets only; numbers as they stand."""
    report = selectors.round_report(round_, confirmed_texts_only=True)
    now = timezone.now()
    data = rpt.report_to_dict(report)
    data["published_at"] = timezone.localtime(now).isoformat(timespec="seconds")
    by = selectors.user_label(actor)
    publication, _created = EvaluationPublication.objects.update_or_create(
        round=round_, defaults={"data": data, "published_at": now, "published_by": by}
    )
    was = round_.published_at
    EvaluationRound.objects.filter(pk=round_.pk).update(published_at=now, published_by=by)
    round_.refresh_from_db()
    audit_record(
        actor=actor,
        action="publish",
        obj=round_,
        before={"published_at": was.isoformat() if was else None},
        after={"published_at": now.isoformat(), "measures": len(report.measures)},
    )
    content_version_bump()
    return publication


@transaction.atomic
def round_unpublish(*, round_: EvaluationRound, actor: Any) -> None:
    deleted, _rows = EvaluationPublication.objects.filter(round=round_).delete()
    EvaluationRound.objects.filter(pk=round_.pk).update(published_at=None, published_by="")
    round_.refresh_from_db()
    if deleted:
        audit_record(
            actor=actor, action="unpublish", obj=round_, before={"published": True}, after=None
        )
    content_version_bump()


# --------------------------------------------------------------------------- report files

REPORT_FORMAT = "pdf"
RUNNING_STALLED_AFTER = dt.timedelta(minutes=30)
"""A file still 作成中 after this long is taken as stopped (its worker died)."""
PENDING_STALLED_AFTER = dt.timedelta(hours=1)
"""A file still 待機中 after this long never started (no worker was running)."""


def report_file_available() -> bool:
    """Whether the report's PDF can be made here (the rendering layer registered its renderer)."""
    return report_renderer(REPORT_FORMAT) is not None


def _stalled_message(file: ReportFile, now: dt.datetime) -> str | None:
    if file.status == ReportFile.Status.RUNNING:
        if file.started_at is not None and now - file.started_at > RUNNING_STALLED_AFTER:
            return _(
                "作成が途中で止まりました（%(m)d 分以上終わりませんでした）。もう一度「PDF を作る」を押してください。"
            ) % {"m": int(RUNNING_STALLED_AFTER.total_seconds() // 60)}
    elif file.status == ReportFile.Status.PENDING:
        if now - file.created_at > PENDING_STALLED_AFTER:
            return _(
                "待機中のまま始まりませんでした。バックグラウンド処理（keikaku db_worker）が動いているか、管理者に確認してください。"
            )
    return None


def _enqueue_report_file(file_id: int) -> None:
    from keikaku.evaluation.tasks import evaluation_report_file_make

    evaluation_report_file_make.enqueue(file_id)


def _actor_user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def report_file_request(
    *, round_: EvaluationRound, actor: Any, enqueue: bool = True
) -> tuple[ReportFile, bool]:
    """Ask for the round's report PDF. Returns (file, created).

    While a request for the round is waiting or running, that one is returned (created
    False): a second click never starts a second rendering. A request stalled for longer
    than the limits above is marked 失敗 and a new one is made. The task is enqueued once the
    transaction commits.
    """
    if not report_file_available():
        raise EvaluationError(
            _(
                "この環境では報告書の PDF を作れません（PDF を作る機能が読み込まれていません）。管理者に連絡してください。"
            )
        )
    now = timezone.now()
    with transaction.atomic():
        active = (
            ReportFile.objects.select_for_update()
            .filter(round=round_, status__in=ReportFile.ACTIVE)
            .first()
        )
        if active is not None:
            stalled = _stalled_message(active, now)
            if stalled is None:
                return active, False
            _report_file_fail(active.pk, stalled)
        try:
            with transaction.atomic():
                file = ReportFile.objects.create(
                    round=round_,
                    requested_by=_actor_user(actor),
                    requested_by_name=selectors.user_label(actor),
                    message=_("順番を待っています"),
                )
        except IntegrityError:
            # Another request got in between: join it.
            return ReportFile.objects.get(round=round_, status__in=ReportFile.ACTIVE), False
        if enqueue:
            transaction.on_commit(partial(_enqueue_report_file, file.pk))
    return file, True


def _report_file_progress(file_id: int, percent: int, message: str) -> None:
    ReportFile.objects.filter(pk=file_id).update(progress=percent, message=message[:300])


def _report_file_fail(file_id: int, message: str) -> None:
    ReportFile.objects.filter(pk=file_id).update(
        status=ReportFile.Status.FAILED, message=message[:300], finished_at=timezone.now()
    )


def report_file_execute(*, file_id: int) -> ReportFile | None:
    """Make a waiting report file (the background task calls this). Idempotent: a file that
    is not waiting is left alone and None is returned."""
    now = timezone.now()
    claimed = ReportFile.objects.filter(pk=file_id, status=ReportFile.Status.PENDING).update(
        status=ReportFile.Status.RUNNING,
        started_at=now,
        progress=5,
        message=_("報告書のデータを集めています"),
    )
    if not claimed:
        return None
    file = ReportFile.objects.select_related("round").get(pk=file_id)
    renderer = report_renderer(REPORT_FORMAT)
    if renderer is None:
        _report_file_fail(
            file_id,
            _(
                "PDF を作る機能が読み込まれていないため、作れませんでした。管理者に連絡してください。"
            ),
        )
        file.refresh_from_db()
        return file
    try:
        read_at = timezone.now()
        report_input = selectors.report_input(file.round)
        digest = rpt.report_input_digest(report_input)
        report = rpt.build_report(report_input)
        _report_file_progress(
            file_id,
            20,
            _("PDF を組み立てています（施策 %(n)d 件。1 分ほどかかることがあります）")
            % {"n": len(report.measures)},
        )
        body = renderer.render(report)
    except renderer.user_errors as exc:
        _report_file_fail(file_id, " ".join(str(exc).split()))
    except Exception as exc:  # noqa: BLE001 - any failure is shown on the page
        logger.exception("evaluation report file %s failed", file_id)
        _report_file_fail(
            file_id,
            _(
                "PDF の作成中にエラーが起きました（%(error)s）。もう一度「PDF を作る」を押しても同じときは、管理者に連絡してください。"
            )
            % {"error": type(exc).__name__},
        )
    else:
        with transaction.atomic():
            ReportFile.objects.filter(pk=file_id).update(
                status=ReportFile.Status.DONE,
                content=body,
                size=len(body),
                data_digest=digest,
                data_read_at=read_at,
                progress=100,
                message=_("できあがりました。"),
                finished_at=timezone.now(),
            )
            # Keep one finished file per round: the newest.
            ReportFile.objects.filter(round_id=file.round_id).exclude(pk=file_id).exclude(
                status__in=ReportFile.ACTIVE
            ).delete()
    file.refresh_from_db()
    return file


# --------------------------------------------------------------------------- carry-over


@dataclass(frozen=True)
class CarryOverResult:
    edition: Edition
    areas: int
    measures: int
    indicators: int
    baselines_updated: int
    baselines_kept: tuple[str, ...]
    """Codes of indicators with no reported actual: the former baseline was kept."""
    strategies: int = 0
    strategy_indicators: int = 0
    """Priority strategies' own indicators (``indicators`` counts the measures' ones)."""
    programmes: int = 0
    programmes_ended: tuple[str, ...] = ()
    """Codes of programmes not carried over: their latest evaluation said 休止・廃止 or 完了."""


ENDED_DIRECTIONS = ("suspend", "complete")


def _latest_actual(ind: Indicator, up_to_fy: int) -> IndicatorValue | None:
    best: IndicatorValue | None = None
    for v in ind.values.all():
        if v.value is None or v.fiscal_year > up_to_fy:
            continue
        if best is None or v.fiscal_year > best.fiscal_year:
            best = v
    return best


@dataclass
class _CarryCounts:
    updated: int = 0
    kept: list[str] = field(default_factory=list)


def _carry_indicator(
    ind: Indicator,
    *,
    owner: dict[str, Any],
    actor: Any,
    up_to: int,
    start_fy: int,
    end_fy: int,
    restart_cumulative: bool,
    counts: _CarryCounts,
) -> Indicator:
    """A copy of ``ind`` for the next edition (``owner``: its new measure or strategy), whose
    baseline is the latest reported actual and whose predecessor is ``ind``."""
    latest = _latest_actual(ind, up_to)
    baseline, baseline_fy, baseline_as_of = ind.baseline_value, ind.baseline_fy, ind.baseline_as_of
    if latest is not None:
        baseline, baseline_fy, baseline_as_of = latest.value, latest.fiscal_year, latest.as_of
        counts.updated += 1
    else:
        counts.kept.append(ind.code)
    if ind.cumulative and restart_cumulative:
        baseline, baseline_fy, baseline_as_of = 0.0, start_fy - 1, None
    milestone = ind.direction == Indicator.Direction.MILESTONE
    if milestone:
        baseline = 0.0 if latest is None or latest.value != 1 else 1.0
    new = Indicator(
        **owner,
        code=ind.code,
        order=ind.order,
        name=ind.name,
        name_en=ind.name_en,
        unit=ind.unit,
        direction=ind.direction,
        baseline_value=baseline,
        baseline_fy=baseline_fy,
        baseline_as_of=baseline_as_of,
        target_value=1.0 if milestone else None,
        target_fy=end_fy,
        cumulative=ind.cumulative,
        survey_based=ind.survey_based,
        description=ind.description,
        source=ind.source,
        predecessor=ind,
    )
    plan_services.plan_object_create(obj=new, actor=actor)
    return new


def _ended_programmes(former: Edition) -> set[int]:
    """Programmes whose latest evaluation sheet with a direction says 休止・廃止 or 完了."""
    latest: dict[int, tuple[int, str]] = {}
    sheets = ProgrammeEvaluation.objects.filter(round__edition=former).exclude(direction="")
    for programme_id, fy, direction in sheets.values_list(
        "programme_id", "round__fiscal_year", "direction"
    ):
        if programme_id not in latest or fy > latest[programme_id][0]:
            latest[programme_id] = (fy, direction)
    return {pid for pid, (_fy, d) in latest.items() if d in ENDED_DIRECTIONS}


@transaction.atomic
def edition_carry_over(
    *,
    former: Edition,
    actor: Any,
    title: str,
    start_fy: int,
    end_fy: int,
    restart_cumulative: bool = True,
    baseline_up_to_fy: int | None = None,
    skip_ended_programmes: bool = True,
) -> CarryOverResult:
    """Create the latter plan (後期) from the former (前期).

    Copies policy areas, measures (with departments, initiatives, roles, SDGs) and their
    indicators, the priority strategies (重点戦略: texts, links to the copied measures, own
    indicators) and the programmes (事務事業: department, account, legal basis, the copied
    measure; not their yearly costs, which the new implementation plan sets). Each copy knows
    its predecessor: areas, measures and indicators through their ``predecessor`` field,
    strategies and programmes through :class:`StrategyLineage` / :class:`ProgrammeLineage`
    (the plan models have no such field).

    New baselines are the latest reported actuals up to ``baseline_up_to_fy`` (default: the
    former plan's last year), with their year and date; cumulative indicators restart from
    0 (``restart_cumulative``) or carry the running total. New targets are left empty
    (target year = the new end year) for the departments to set, except for milestones
    (1 = done). With ``skip_ended_programmes``, programmes whose latest evaluation decided
    休止・廃止 or 完了 are not carried over (listed in the result).
    """
    plan = former.plan
    if former.successors.exists():
        raise EvaluationError(
            _("「%(t)s」を引き継いだ基本計画は既にあります。比較の画面で確認してください。")
            % {"t": former.title}
        )
    if Edition.objects.filter(plan=plan, kind=Edition.Kind.LATTER).exists():
        raise EvaluationError(
            _(
                "この総合計画には後期基本計画が既にあります。新しく作る前に、既存の後期基本計画を確認してください。"
            )
        )
    if former.kind == Edition.Kind.LATTER:
        raise EvaluationError(
            _("後期基本計画から引き継ぐことはできません。前期基本計画を選んでください。")
        )
    if start_fy <= former.end_fy:
        raise EvaluationError(
            _("後期の開始年度（%(s)d年度）は、前期の終了年度（%(e)d年度）より後にしてください。")
            % {"s": start_fy, "e": former.end_fy}
        )
    up_to = baseline_up_to_fy if baseline_up_to_fy is not None else former.end_fy
    latter = Edition(
        plan=plan,
        kind=Edition.Kind.LATTER,
        title=title,
        start_fy=start_fy,
        end_fy=end_fy,
        status=Edition.Status.DRAFT,
        introduction=former.introduction,
        predecessor=former,
    )
    plan_services.plan_object_create(obj=latter, actor=actor)
    carry = partial(
        _carry_indicator,
        actor=actor,
        up_to=up_to,
        start_fy=start_fy,
        end_fy=end_fy,
        restart_cumulative=restart_cumulative,
    )
    counts = _CarryCounts()
    n_areas = n_measures = n_indicators = 0
    measure_map: dict[int, Measure] = {}
    for area in former.areas.all().order_by("number"):
        new_area = PolicyArea(
            edition=latter,
            number=area.number,
            title=area.title,
            title_en=area.title_en,
            description=area.description,
            predecessor=area,
        )
        plan_services.plan_object_create(obj=new_area, actor=actor)
        n_areas += 1
        measures = (
            area.measures.all()
            .prefetch_related("departments", "initiatives", "indicators__values")
            .order_by("order", "code")
        )
        for measure in measures:
            new_measure = Measure(
                area=new_area,
                code=measure.code,
                order=measure.order,
                title=measure.title,
                title_en=measure.title_en,
                plain_summary=measure.plain_summary,
                target_state=measure.target_state,
                current_issues=measure.current_issues,
                role_citizens=measure.role_citizens,
                role_businesses=measure.role_businesses,
                role_city=measure.role_city,
                sdgs=list(measure.sdgs or []),
                related_plans=measure.related_plans,
                predecessor=measure,
            )
            plan_services.plan_object_create(
                obj=new_measure,
                actor=actor,
                m2m={"departments": list(measure.departments.all())},
            )
            measure_map[measure.pk] = new_measure
            n_measures += 1
            for ini in measure.initiatives.all():
                plan_services.plan_object_create(
                    obj=Initiative(
                        measure=new_measure,
                        order=ini.order,
                        title=ini.title,
                        description=ini.description,
                        responsible_section_id=ini.responsible_section_id,
                    ),
                    actor=actor,
                )
            for ind in measure.indicators.all():
                carry(ind, owner={"measure": new_measure}, counts=counts)
                n_indicators += 1
    n_strategies = n_strategy_indicators = 0
    strategies = (
        former.strategies.all()
        .prefetch_related("measures", "indicators__values")
        .order_by("number")
    )
    for strategy in strategies:
        new_strategy = PriorityStrategy(
            edition=latter,
            number=strategy.number,
            title=strategy.title,
            title_en=strategy.title_en,
            description=strategy.description,
            basic_goal=strategy.basic_goal,
        )
        linked = [measure_map[m.pk] for m in strategy.measures.all() if m.pk in measure_map]
        plan_services.plan_object_create(
            obj=new_strategy, actor=actor, m2m={"measures": sorted(linked, key=lambda m: m.pk)}
        )
        StrategyLineage.objects.create(former=strategy, successor=new_strategy)
        n_strategies += 1
        for ind in strategy.indicators.all().order_by("order", "code"):
            carry(ind, owner={"strategy": new_strategy}, counts=counts)
            n_strategy_indicators += 1
    ended = _ended_programmes(former) if skip_ended_programmes else set()
    n_programmes = 0
    ended_codes: list[str] = []
    for prog in former.programmes.all().order_by("code"):
        if prog.pk in ended:
            ended_codes.append(prog.code)
            continue
        new_prog = Programme(
            edition=latter,
            code=prog.code,
            name=prog.name,
            department_id=prog.department_id,
            measure=measure_map.get(prog.measure_id) if prog.measure_id else None,
            description=prog.description,
            account=prog.account,
            legal_basis=prog.legal_basis,
        )
        plan_services.plan_object_create(obj=new_prog, actor=actor)
        ProgrammeLineage.objects.create(former=prog, successor=new_prog)
        n_programmes += 1
    audit_record(
        actor=actor,
        action="carry_over",
        obj=latter,
        before={"former": former.pk},
        after={
            "areas": n_areas,
            "measures": n_measures,
            "indicators": n_indicators,
            "strategies": n_strategies,
            "strategy_indicators": n_strategy_indicators,
            "programmes": n_programmes,
            "programmes_ended": ended_codes,
            "baselines_updated": counts.updated,
        },
    )
    return CarryOverResult(
        edition=latter,
        areas=n_areas,
        measures=n_measures,
        indicators=n_indicators,
        baselines_updated=counts.updated,
        baselines_kept=tuple(counts.kept),
        strategies=n_strategies,
        strategy_indicators=n_strategy_indicators,
        programmes=n_programmes,
        programmes_ended=tuple(ended_codes),
    )


@transaction.atomic
def measure_merge(*, kept: Measure, absorbed: Measure, actor: Any) -> Measure:
    """Fold ``absorbed`` into ``kept`` (both in the same new edition): its indicators,
    initiatives and programmes move to ``kept``, the strategies that named it name ``kept``,
    its lineage is recorded as a merge, and it is deleted."""
    if kept.pk == absorbed.pk:
        raise EvaluationError(_("同じ施策どうしは統合できません。別の施策を選んでください。"))
    if kept.area.edition_id != absorbed.area.edition_id:
        raise EvaluationError(_("統合できるのは、同じ基本計画の施策どうしです。"))
    for ind in absorbed.indicators.all():
        plan_services.plan_object_update(
            obj=ind, actor=actor, expected_version=ind.version, changes={"measure": kept}
        )
    for ini in absorbed.initiatives.all():
        plan_services.plan_object_update(
            obj=ini, actor=actor, expected_version=ini.version, changes={"measure": kept}
        )
    # Its programmes and its place in the priority strategies go to the kept measure too
    # (otherwise deleting it would leave the programmes without a measure).
    for prog in Programme.objects.filter(measure=absorbed):
        plan_services.plan_object_update(
            obj=prog, actor=actor, expected_version=prog.version, changes={"measure": kept}
        )
    for strategy in PriorityStrategy.objects.filter(measures=absorbed).prefetch_related("measures"):
        linked = [m for m in strategy.measures.all() if m.pk != absorbed.pk]
        if all(m.pk != kept.pk for m in linked):
            linked.append(kept)
        plan_services.plan_object_update(
            obj=strategy,
            actor=actor,
            expected_version=strategy.version,
            changes={},
            m2m={"measures": sorted(linked, key=lambda m: m.pk)},
        )
    formers = [absorbed.predecessor] if absorbed.predecessor else []
    for rec in MeasureMerge.objects.filter(successor=absorbed):
        formers.append(rec.former)
    for former in formers:
        if former is None or former.pk == kept.predecessor_id:
            continue
        merge, _created = MeasureMerge.objects.get_or_create(
            former=former,
            successor=kept,
            defaults={"note": _("「%(t)s」を統合") % {"t": absorbed.title}},
        )
        audit_record(
            actor=actor,
            action="merge",
            obj=kept,
            before=None,
            after={"former": former.pk, "former_code": former.code},
        )
    plan_services.plan_object_delete(obj=absorbed, actor=actor)
    return kept
