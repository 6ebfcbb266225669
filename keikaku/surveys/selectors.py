"""Reads of the citizen survey: a wave as the engine's inputs, its stored rows, its analysis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from keikaku.surveys.domain.design import match_key
from keikaku.surveys.domain.report import AnalysisOptions, SurveyAnalysis, analyze
from keikaku.surveys.domain.responses import SurveyResponses, parse_responses
from keikaku.surveys.domain.wave import QuestionDef, Row, WaveSpec, parse_stored, rows_to_csv
from keikaku.surveys.models import (
    AccessCode,
    SurveyQuestion,
    SurveyResponse,
    SurveySection,
    SurveyWave,
)


def wave_list() -> QuerySet[SurveyWave]:
    return (
        SurveyWave.objects.select_related("edition", "edition__plan")
        .annotate(n_responses=Count("responses", distinct=True))
        .order_by("-fiscal_year", "-id")
    )


def wave_get(*, pk: int) -> SurveyWave | None:
    return SurveyWave.objects.select_related("edition", "copied_from").filter(pk=pk).first()


def wave_public_summary_list() -> QuerySet[SurveyWave]:
    return SurveyWave.objects.filter(summary_public=True, status=SurveyWave.Status.CLOSED)


def sections_with_questions(wave: SurveyWave) -> list[SurveySection]:
    return list(wave.sections.prefetch_related("questions").order_by("order", "id"))


def question_list(wave: SurveyWave) -> list[SurveyQuestion]:
    return list(
        SurveyQuestion.objects.filter(wave=wave)
        .select_related("section", "measure")
        .order_by("section__order", "section_id", "order", "id")
    )


def question_def(q: SurveyQuestion) -> QuestionDef:
    return QuestionDef(
        code=q.code,
        kind=q.kind,  # type: ignore[arg-type]
        title=q.title,
        options=tuple(str(o) for o in (q.options or [])),
        max_picks=q.max_picks,
        attribute=q.is_attribute,
        scale=q.scale,  # type: ignore[arg-type]
    )


def wave_spec(wave: SurveyWave, questions: Sequence[SurveyQuestion] | None = None) -> WaveSpec:
    qs = question_list(wave) if questions is None else questions
    return WaveSpec(
        questions=tuple(question_def(q) for q in qs),
        population=wave.population,
        quadrant_labels=wave.quadrant_labels,
    )


def wave_rows(wave: SurveyWave) -> list[Row]:
    return [
        (rid, dict(answers))
        for rid, answers in SurveyResponse.objects.filter(wave=wave)
        .order_by("id")
        .values_list("respondent_id", "answers")
    ]


def taken_ids(wave: SurveyWave) -> dict[str, str]:
    """Match key of every stored respondent ID → where it came from (for messages)."""
    labels = dict(SurveyResponse.Channel.choices)
    return {
        match_key(rid): str(labels.get(channel, channel))
        for rid, channel in SurveyResponse.objects.filter(wave=wave).values_list(
            "respondent_id", "channel"
        )
    }


@dataclass(frozen=True)
class CodeCounts:
    issued: int
    used: int
    in_progress: int


def code_counts(wave: SurveyWave) -> CodeCounts:
    agg = AccessCode.objects.filter(wave=wave).aggregate(
        issued=Count("id"),
        used=Count("id", filter=Q(used_at__isnull=False)),
        in_progress=Count("id", filter=Q(used_at__isnull=True, draft__isnull=False)),
    )
    return CodeCounts(agg["issued"], agg["used"], agg["in_progress"])


def channel_counts(wave: SurveyWave) -> dict[str, int]:
    counts = dict(
        SurveyResponse.objects.filter(wave=wave)
        .values_list("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    return {str(label): counts.get(value, 0) for value, label in SurveyResponse.Channel.choices}


def _previous_responses(wave: SurveyWave, spec: WaveSpec) -> SurveyResponses | None:
    """The wave this one was copied from, its measure columns renamed to this wave's codes
    (a measure asked about under its predecessor's code still compares)."""
    previous = wave.copied_from
    if previous is None or previous.pk == wave.pk:
        return None
    rows = wave_rows(previous)
    if not rows:
        return None
    current = {
        q.measure_id: q.code
        for q in SurveyQuestion.objects.filter(wave=wave, kind="measure").select_related("measure")
        if q.measure_id
    }
    predecessor_of = {
        q.measure.predecessor_id: q.code
        for q in SurveyQuestion.objects.filter(wave=wave, kind="measure").select_related("measure")
        if q.measure is not None and q.measure.predecessor_id
    }
    rename: dict[str, str] = {}
    for q in SurveyQuestion.objects.filter(wave=previous, kind="measure"):
        if q.measure_id is None:
            continue
        target = current.get(q.measure_id) or predecessor_of.get(q.measure_id)
        if target is not None:
            rename[q.code] = target
    renamed: list[Row] = []
    for rid, cells in rows:
        out: dict[str, str] = {}
        for column, cell in cells.items():
            prefix, _sep, code = column.partition(":")
            if prefix in ("S", "I") and code in rename:
                out[f"{prefix}:{rename[code]}"] = cell
            elif column == "overall":
                out[column] = cell
        renamed.append((rid, out))
    previous_spec = WaveSpec(
        questions=tuple(q for q in spec.questions if q.kind == "measure" or q.code == "overall")
    )
    return parse_responses(
        rows_to_csv(previous_spec, renamed),
        spec.measures(),
        source=str(previous),
        measures_only=True,
    ).unwrap()


def wave_analysis(
    wave: SurveyWave,
    *,
    crosstab_by: Sequence[str] = (),
    threshold: int | None = None,
    compare: bool = True,
) -> SurveyAnalysis | None:
    """The engine's analysis of every stored response (``None`` before the first one)."""
    spec = wave_spec(wave)
    responses = parse_stored(spec, wave_rows(wave), source=_("保存された回答"))
    if responses is None:
        return None
    known = {match_key(a.name) for a in responses.attributes}
    options = AnalysisOptions(
        crosstab_by=tuple(name for name in crosstab_by if match_key(name) in known),
        suppression_threshold=threshold or wave.suppression_threshold,
    )
    previous = _previous_responses(wave, spec) if compare else None
    return analyze(responses, spec.design(), options=options, previous=previous)
