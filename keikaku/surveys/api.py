"""What other apps may read of the citizen survey (the only module they import).

The opinion store (participation, channel 「アンケート自由記述」) and the opinion analysis
pull the free-text answers with :func:`free_text_answers`; they are never pushed, so the
survey app does not depend on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from keikaku.surveys.models import SurveyQuestion, SurveyResponse, SurveyWave

CHANNEL = "アンケート自由記述"


@dataclass(frozen=True)
class WaveInfo:
    id: int
    title: str
    fiscal_year: int
    edition_id: int
    status: str
    responses: int
    is_illustrative: bool


@dataclass(frozen=True)
class FreeTextAnswer:
    id: str
    """Stable key ``survey:<wave id>:<response id>:<question code>`` (for de-duplication)."""
    wave_id: int
    fiscal_year: int
    question_code: str
    question: str
    text: str
    """Exactly as written."""
    attributes: dict[str, str]
    """Attribute code → answered category (gender, age_band, district, …); no personal data."""
    submitted_at: dt.datetime
    channel: str = CHANNEL


def waves() -> list[WaveInfo]:
    from django.db.models import Count

    return [
        WaveInfo(
            id=w.pk,
            title=w.title,
            fiscal_year=w.fiscal_year,
            edition_id=w.edition_id,
            status=w.status,
            responses=w.n,
            is_illustrative=w.is_illustrative,
        )
        for w in SurveyWave.objects.annotate(n=Count("responses")).order_by("-fiscal_year", "-id")
    ]


def free_text_answers(*, wave_id: int | None = None, after_id: int = 0) -> list[FreeTextAnswer]:
    """Every non-empty free-text answer (of one wave, or of all), oldest first.

    ``after_id`` returns only answers of responses stored after the response with that id,
    so a puller can fetch increments.
    """
    questions = SurveyQuestion.objects.filter(kind=SurveyQuestion.Kind.TEXT)
    responses = SurveyResponse.objects.filter(pk__gt=after_id).select_related("wave")
    if wave_id is not None:
        questions = questions.filter(wave_id=wave_id)
        responses = responses.filter(wave_id=wave_id)
    text_questions: dict[int, list[SurveyQuestion]] = {}
    attributes: dict[int, list[str]] = {}
    for q in questions.order_by("section__order", "order", "id"):
        text_questions.setdefault(q.wave_id, []).append(q)
    for wid, code in SurveyQuestion.objects.filter(is_attribute=True).values_list(
        "wave_id", "code"
    ):
        attributes.setdefault(wid, []).append(code)
    out: list[FreeTextAnswer] = []
    for response in responses.filter(wave_id__in=list(text_questions)).order_by("id"):
        answers = response.answers or {}
        attrs = {
            code: answers[code] for code in attributes.get(response.wave_id, []) if code in answers
        }
        for q in text_questions[response.wave_id]:
            text = answers.get(q.code, "")
            if not str(text).strip():
                continue
            out.append(
                FreeTextAnswer(
                    id=f"survey:{response.wave_id}:{response.pk}:{q.code}",
                    wave_id=response.wave_id,
                    fiscal_year=response.wave.fiscal_year,
                    question_code=q.code,
                    question=q.title,
                    text=str(text),
                    attributes=attrs,
                    submitted_at=response.submitted_at,
                )
            )
    return out
