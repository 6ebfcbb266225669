"""Reads of the yearly evaluation: rounds, sheets, the report inputs, the edition comparison."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from keikaku.evaluation import schemes
from keikaku.evaluation.domain import comparison as cmp
from keikaku.evaluation.domain import report as rpt
from keikaku.evaluation.models import (
    EvaluationPublication,
    EvaluationRound,
    MeasureEvaluation,
    MeasureMerge,
    ProgrammeEvaluation,
    ProgrammeLineage,
    ReportFile,
    StrategyLineage,
)
from keikaku.plans.models import (
    Edition,
    Indicator,
    IndicatorValue,
    Measure,
    PriorityStrategy,
    Programme,
    ProgrammeCost,
)

# --------------------------------------------------------------------------- rounds


def round_list(*, edition: Edition | None = None) -> QuerySet[EvaluationRound]:
    qs = EvaluationRound.objects.select_related("edition", "edition__plan")
    if edition is not None:
        qs = qs.filter(edition=edition)
    return qs.order_by("-fiscal_year", "-edition__start_fy")


def round_get(*, pk: int) -> EvaluationRound | None:
    return (
        EvaluationRound.objects.select_related("edition", "edition__plan__municipality")
        .filter(pk=pk)
        .first()
    )


def round_published_list() -> list[EvaluationRound]:
    return list(
        EvaluationRound.objects.filter(publication__isnull=False)
        .select_related("edition", "publication")
        .order_by("-fiscal_year", "-edition__start_fy")
    )


def publication_for_year(*, fiscal_year: int) -> EvaluationPublication | None:
    return (
        EvaluationPublication.objects.filter(round__fiscal_year=fiscal_year)
        .select_related("round", "round__edition")
        .order_by("-round__edition__start_fy")
        .first()
    )


def measures_of(edition: Edition) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(area__edition=edition)
        .select_related("area")
        .order_by("area__number", "order", "code")
    )


def programmes_of(edition: Edition) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(edition=edition)
        .select_related("department", "measure", "measure__area")
        .order_by("code")
    )


def measure_sheets(round_: EvaluationRound) -> QuerySet[MeasureEvaluation]:
    return (
        MeasureEvaluation.objects.filter(round=round_)
        .select_related("measure", "measure__area")
        .prefetch_related("measure__departments")
        .order_by("measure__area__number", "measure__order", "measure__code")
    )


def programme_sheets(round_: EvaluationRound) -> QuerySet[ProgrammeEvaluation]:
    return (
        ProgrammeEvaluation.objects.filter(round=round_)
        .select_related("programme", "programme__department", "programme__measure")
        .order_by("programme__code")
    )


def measure_sheet_get(*, round_: EvaluationRound, pk: int) -> MeasureEvaluation | None:
    return (
        MeasureEvaluation.objects.select_related("measure", "measure__area", "round")
        .prefetch_related("measure__departments")
        .filter(round=round_, pk=pk)
        .first()
    )


def programme_sheet_get(*, round_: EvaluationRound, pk: int) -> ProgrammeEvaluation | None:
    return (
        ProgrammeEvaluation.objects.select_related(
            "programme", "programme__department", "programme__measure", "round"
        )
        .prefetch_related("indicators")
        .filter(round=round_, pk=pk)
        .first()
    )


def programme_costs(programme: Programme) -> dict[tuple[int, bool], ProgrammeCost]:
    return {(c.fiscal_year, c.is_plan): c for c in programme.costs.all()}


# --------------------------------------------------------------------------- report input


def _cost_input(cost: ProgrammeCost | None) -> rpt.CostInput | None:
    if cost is None:
        return None
    return rpt.CostInput(
        total=cost.total,
        national=cost.national,
        prefectural=cost.prefectural,
        bonds=cost.bonds,
        other=cost.other,
        general=cost.general,
    )


def indicator_input(ind: Indicator) -> rpt.IndicatorInput:
    return rpt.IndicatorInput(
        code=ind.code,
        name=ind.name,
        unit=ind.unit,
        direction=ind.direction,
        baseline=ind.baseline_value,
        baseline_fy=ind.baseline_fy,
        target=ind.target_value,
        target_fy=ind.target_fy,
        cumulative=ind.cumulative,
        survey_based=ind.survey_based,
        observations=tuple((v.fiscal_year, v.value) for v in ind.values.all()),
    )


def report_input(round_: EvaluationRound, *, confirmed_texts_only: bool = False) -> rpt.ReportInput:
    """Everything :func:`report.build_report` needs, read in a handful of queries."""
    edition = round_.edition
    plan = edition.plan
    municipality = plan.municipality
    fy = round_.fiscal_year
    measures = list(
        measures_of(edition).prefetch_related(
            "departments",
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("order", "code").prefetch_related(
                    Prefetch("values", queryset=IndicatorValue.objects.order_by("fiscal_year"))
                ),
            ),
        )
    )
    sheets = {s.measure_id: s for s in MeasureEvaluation.objects.filter(round=round_)}
    prog_sheets = {
        s.programme_id: s
        for s in ProgrammeEvaluation.objects.filter(round=round_).prefetch_related("indicators")
    }
    programmes: dict[int, list[rpt.ProgrammeInput]] = defaultdict(list)
    prog_qs = (
        Programme.objects.filter(edition=edition, measure__isnull=False)
        .select_related("department")
        .prefetch_related(Prefetch("costs", queryset=ProgrammeCost.objects.filter(fiscal_year=fy)))
        .order_by("code")
    )
    for prog in prog_qs:
        costs = {c.is_plan: c for c in prog.costs.all()}
        psheet = prog_sheets.get(prog.pk)
        assert prog.measure_id is not None
        programmes[prog.measure_id].append(
            rpt.ProgrammeInput(
                code=prog.code,
                name=prog.name,
                department=prog.department.name if prog.department else "",
                cost_plan=_cost_input(costs.get(True)),
                cost_actual=_cost_input(costs.get(False)),
                staff_cost=psheet.staff_cost if psheet else None,
                sheet_status=psheet.status if psheet else "none",
                direction=psheet.direction if psheet else "",
                staff_fte=float(psheet.staff_fte)
                if psheet and psheet.staff_fte is not None
                else None,
                viewpoints=(
                    tuple(
                        (key, getattr(psheet, key))
                        for key in ("necessity", "effectiveness", "efficiency", "equity")
                    )
                    if psheet
                    else ()
                ),
                indicators=tuple(
                    rpt.ProgrammeIndicatorInput(
                        kind=i.kind, name=i.name, unit=i.unit, planned=i.planned, actual=i.actual
                    )
                    for i in (psheet.indicators.all() if psheet else ())
                ),
            )
        )
    inputs: list[rpt.MeasureInput] = []
    for m in measures:
        sheet = sheets.get(m.pk)
        inputs.append(
            rpt.MeasureInput(
                code=m.code,
                title=m.title,
                area_number=m.area.number,
                area_title=m.area.title,
                departments=tuple(d.name for d in m.departments.all()),
                indicators=tuple(indicator_input(i) for i in m.indicators.all()),
                programmes=tuple(programmes.get(m.pk, ())),
                sheet=(
                    rpt.SheetInput(
                        status=sheet.status,
                        results=sheet.results,
                        issues=sheet.issues,
                        direction=sheet.direction,
                        direction_note=sheet.direction_note,
                        internal_grade=sheet.internal_grade,
                        grade_reason=sheet.grade_reason,
                        external_comment=sheet.external_comment,
                    )
                    if sheet
                    else None
                ),
            )
        )
    scheme = schemes.scheme_get(round_.scheme_id)
    strategies = tuple(
        rpt.StrategyInput(
            number=st.number,
            title=st.title,
            basic_goal=st.basic_goal,
            measure_codes=tuple(
                m.code
                for m in sorted(st.measures.all(), key=lambda m: (m.area.number, m.order, m.code))
            ),
            indicators=tuple(indicator_input(i) for i in st.indicators.all()),
        )
        for st in strategies_of(edition)
    )
    return rpt.ReportInput(
        municipality=municipality.name,
        municipality_code=municipality.code,
        is_demo=municipality.is_demo,
        plan_title=plan.title,
        edition_title=edition.title,
        edition_kind=edition.kind,
        start_fy=edition.start_fy,
        end_fy=edition.end_fy,
        fiscal_year=fy,
        is_final=round_.is_final,
        scheme=scheme,
        measures=tuple(inputs),
        introduction=round_.introduction,
        attention=schemes.attention_rule(scheme),
        generated_at=timezone.localtime().isoformat(timespec="seconds"),
        confirmed_texts_only=confirmed_texts_only,
        strategies=strategies,
    )


def strategies_of(edition: Edition) -> list[PriorityStrategy]:
    """The edition's priority strategies with their measures and indicators (and values)."""
    return list(
        PriorityStrategy.objects.filter(edition=edition)
        .prefetch_related(
            Prefetch("measures", queryset=Measure.objects.select_related("area")),
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("order", "code").prefetch_related(
                    Prefetch("values", queryset=IndicatorValue.objects.order_by("fiscal_year"))
                ),
            ),
        )
        .order_by("number")
    )


def round_report(
    round_: EvaluationRound, *, confirmed_texts_only: bool = False
) -> rpt.VerificationReport:
    return rpt.build_report(report_input(round_, confirmed_texts_only=confirmed_texts_only))


def report_digest(round_: EvaluationRound) -> str:
    """Fingerprint of the round's report data now (see :func:`report.report_input_digest`)."""
    return rpt.report_input_digest(report_input(round_))


# --------------------------------------------------------------------------- report files


def report_file_latest(round_: EvaluationRound) -> ReportFile | None:
    """The round's newest PDF request, whatever its state (the file itself not loaded)."""
    return (
        ReportFile.objects.filter(round=round_)
        .defer("content")
        .order_by("-created_at", "-id")
        .first()
    )


def report_file_done(round_: EvaluationRound) -> ReportFile | None:
    """The round's newest finished PDF (the file itself not loaded)."""
    return (
        ReportFile.objects.filter(round=round_, status=ReportFile.Status.DONE)
        .defer("content")
        .order_by("-created_at", "-id")
        .first()
    )


def report_file_get(*, round_: EvaluationRound, pk: int) -> ReportFile | None:
    return ReportFile.objects.filter(round=round_, pk=pk).first()


# --------------------------------------------------------------------------- bulk entry


def indicators_for_round(round_: EvaluationRound) -> list[Indicator]:
    """The measures' indicators (in plan order), then the priority strategies' indicators."""
    of_measures = list(
        Indicator.objects.filter(measure__area__edition=round_.edition)
        .select_related("measure", "measure__area")
        .prefetch_related("measure__departments")
        .order_by("measure__area__number", "measure__order", "measure__code", "order", "code")
    )
    of_strategies = list(
        Indicator.objects.filter(strategy__edition=round_.edition)
        .select_related("strategy")
        .order_by("strategy__number", "order", "code")
    )
    return of_measures + of_strategies


def _of_edition(edition: Edition, prefix: str = "") -> Q:
    return Q(**{f"{prefix}measure__area__edition": edition}) | Q(
        **{f"{prefix}strategy__edition": edition}
    )


def values_for_year(round_: EvaluationRound) -> dict[int, IndicatorValue]:
    return {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(
            _of_edition(round_.edition, "indicator__"), fiscal_year=round_.fiscal_year
        )
    }


def costs_for_year(round_: EvaluationRound, *, is_plan: bool) -> dict[int, ProgrammeCost]:
    return {
        c.programme_id: c
        for c in ProgrammeCost.objects.filter(
            programme__edition=round_.edition, fiscal_year=round_.fiscal_year, is_plan=is_plan
        )
    }


# --------------------------------------------------------------------------- comparison


def edition_successor_pairs() -> list[tuple[Edition, Edition]]:
    """(former, latter) pairs linked by ``Edition.predecessor``."""
    return [
        (e.predecessor, e)
        for e in Edition.objects.filter(predecessor__isnull=False)
        .select_related("predecessor", "plan")
        .order_by("-start_fy")
        if e.predecessor is not None
    ]


def _measure_nodes(edition: Edition) -> list[cmp.MeasureNode]:
    merges: dict[int, list[int]] = defaultdict(list)
    for rec in MeasureMerge.objects.filter(successor__area__edition=edition).order_by("pk"):
        merges[rec.successor_id].append(rec.former_id)
    return [
        cmp.MeasureNode(
            id=m.pk,
            code=m.code,
            title=m.title,
            area_number=m.area.number,
            area_title=m.area.title,
            predecessor_id=m.predecessor_id,
            merged_from=tuple(merges.get(m.pk, ())),
        )
        for m in measures_of(edition)
    ]


def _indicator_node(i: Indicator, owner: str) -> cmp.IndicatorNode:
    return cmp.IndicatorNode(
        id=i.pk,
        code=i.code,
        name=i.name,
        unit=i.unit,
        direction=i.direction,
        baseline=i.baseline_value,
        baseline_fy=i.baseline_fy,
        target=i.target_value,
        target_fy=i.target_fy,
        measure_code=owner,
        cumulative=i.cumulative,
        survey_based=i.survey_based,
        predecessor_id=i.predecessor_id,
    )


def _indicator_nodes(edition: Edition) -> list[cmp.IndicatorNode]:
    """The measures' indicators, then the priority strategies' own indicators."""
    of_measures = (
        Indicator.objects.filter(measure__area__edition=edition)
        .select_related("measure")
        .order_by("measure__area__number", "measure__order", "measure__code", "order", "code")
    )
    of_strategies = (
        Indicator.objects.filter(strategy__edition=edition)
        .select_related("strategy")
        .order_by("strategy__number", "order", "code")
    )
    return [_indicator_node(i, i.measure.code if i.measure else "") for i in of_measures] + [
        _indicator_node(i, rpt.strategy_code(i.strategy.number) if i.strategy else "")
        for i in of_strategies
    ]


def _strategy_nodes(edition: Edition) -> list[cmp.LineageNode]:
    links: dict[int, list[int]] = defaultdict(list)
    for rec in StrategyLineage.objects.filter(successor__edition=edition).order_by("pk"):
        links[rec.successor_id].append(rec.former_id)
    return [
        cmp.LineageNode(
            id=st.pk,
            code=rpt.strategy_code(st.number),
            title=st.title,
            predecessor_ids=tuple(links.get(st.pk, ())),
        )
        for st in PriorityStrategy.objects.filter(edition=edition).order_by("number")
    ]


def _programme_nodes(edition: Edition) -> list[cmp.LineageNode]:
    links: dict[int, list[int]] = defaultdict(list)
    for rec in ProgrammeLineage.objects.filter(successor__edition=edition).order_by("pk"):
        links[rec.successor_id].append(rec.former_id)
    return [
        cmp.LineageNode(
            id=p.pk,
            code=p.code,
            title=p.name,
            predecessor_ids=tuple(links.get(p.pk, ())),
            parent=p.measure.code if p.measure else "",
        )
        for p in Programme.objects.filter(edition=edition)
        .select_related("measure")
        .order_by("code")
    ]


def edition_comparison(latter: Edition) -> cmp.EditionComparison | None:
    former = latter.predecessor
    if former is None:
        return None
    return cmp.compare_editions(
        _measure_nodes(former),
        _measure_nodes(latter),
        _indicator_nodes(former),
        _indicator_nodes(latter),
        _strategy_nodes(former),
        _strategy_nodes(latter),
        _programme_nodes(former),
        _programme_nodes(latter),
    )


def editions_for_carry_over() -> list[Edition]:
    """Editions that have no successor yet (candidates to carry over)."""
    return list(
        Edition.objects.filter(successors__isnull=True)
        .filter(~Q(kind=Edition.Kind.LATTER))
        .select_related("plan")
        .order_by("-start_fy")
    )


def edition_get(*, pk: int) -> Edition | None:
    return Edition.objects.select_related("plan", "predecessor").filter(pk=pk).first()


def user_label(user: Any) -> str:
    if getattr(user, "is_authenticated", False):
        return str(user.get_full_name() or user.get_username())
    return str(user or "")
