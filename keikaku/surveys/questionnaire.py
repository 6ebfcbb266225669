"""The questionnaire as pages of form fields: shared by the citizens' answering pages, the
staff preview and the confirmation page (no Django forms: the questions are data)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from keikaku.surveys.domain.wave import SCALE_CODES, scale_labels
from keikaku.surveys.models import SurveyQuestion, SurveySection, SurveyWave

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


@dataclass
class Choice:
    value: str
    label: str
    input_id: str
    checked: bool


@dataclass
class Part:
    name: str
    """The posted field name = the response-file column."""
    legend: str
    field_id: str
    choices: list[Choice] = field(default_factory=list)
    value: str = ""
    error: str = ""
    input_type: str = "radio"

    @property
    def first_id(self) -> str:
        return self.choices[0].input_id if self.choices else self.field_id


@dataclass
class QuestionView:
    question: SurveyQuestion
    number: int
    parts: list[Part]

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def has_error(self) -> bool:
        return any(p.error for p in self.parts)

    @property
    def field_id(self) -> str:
        return f"q{self.question.pk}"


@dataclass
class Page:
    number: int
    section: SurveySection
    questions: list[QuestionView]


_STRUCTURE_CACHE: dict[tuple[int, int, str], list[tuple[SurveySection, list[SurveyQuestion]]]] = {}


def pages_of(wave: SurveyWave) -> list[tuple[SurveySection, list[SurveyQuestion]]]:
    """Sections that have questions, in order, with their questions.

    Once answering has started the questions cannot change (services refuse it), so the
    structure of a wave that is not in preparation is kept in memory, keyed by the wave's
    id, version and last change (every status change bumps them).
    """
    key = (wave.pk, wave.version, str(wave.updated_at))
    if wave.status != SurveyWave.Status.DRAFT:
        hit = _STRUCTURE_CACHE.get(key)
        if hit is not None:
            return hit
    out = []
    for section in wave.sections.prefetch_related("questions").order_by("order", "id"):
        questions = sorted(section.questions.all(), key=lambda q: (q.order, q.pk))
        if questions:
            out.append((section, questions))
    if wave.status != SurveyWave.Status.DRAFT:
        if len(_STRUCTURE_CACHE) > 32:
            _STRUCTURE_CACHE.clear()
        _STRUCTURE_CACHE[key] = out
    return out


def _choices(base: str, pairs: list[tuple[str, str]], selected: set[str]) -> list[Choice]:
    return [
        Choice(value, label, f"{base}-{i}", value in selected)
        for i, (value, label) in enumerate(pairs, start=1)
    ]


def question_view(
    q: SurveyQuestion,
    number: int,
    answers: dict[str, str],
    errors: dict[str, str] | None = None,
    posted: dict[str, list[str]] | None = None,
) -> QuestionView:
    """Fields of one question, filled from the saved answers (or from what was posted when
    the page had errors: the citizen's input is never lost)."""
    errors = errors or {}
    base = f"q{q.pk}"

    def current(column: str) -> list[str]:
        if posted is not None:
            return posted.get(column, [])
        cell = answers.get(column, "")
        if not cell:
            return []
        if q.kind == "multiple":
            return cell.split(";")
        if q.is_attribute:
            labels = [str(o) for o in q.options]
            return [str(labels.index(cell) + 1)] if cell in labels else []
        return [cell]

    parts: list[Part] = []
    if q.kind in ("scale", "measure"):
        columns = (
            [
                (f"S:{q.code}", _("満足度"), "satisfaction"),
                (f"I:{q.code}", _("重要度"), "importance"),
            ]
            if q.kind == "measure"
            else [(q.code, "", q.scale)]
        )
        for i, (column, legend, scale) in enumerate(columns):
            labels = scale_labels(scale)  # type: ignore[arg-type]
            pid = f"{base}-{'si'[i]}" if q.kind == "measure" else base
            parts.append(
                Part(
                    name=column,
                    legend=legend,
                    field_id=pid,
                    choices=_choices(
                        pid, [(c, labels[int(c)]) for c in SCALE_CODES], set(current(column))
                    ),
                    error=errors.get(column, ""),
                )
            )
    elif q.kind in ("single", "multiple"):
        pairs = [(str(i), str(label)) for i, label in enumerate(q.options or [], start=1)]
        parts.append(
            Part(
                name=q.code,
                legend="",
                field_id=base,
                choices=_choices(base, pairs, set(current(q.code))),
                error=errors.get(q.code, ""),
                input_type="checkbox" if q.kind == "multiple" else "radio",
            )
        )
    else:
        values = current(q.code)
        parts.append(
            Part(
                name=q.code,
                legend="",
                field_id=base,
                value=values[0] if values else "",
                error=errors.get(q.code, ""),
                input_type="textarea",
            )
        )
    return QuestionView(q, number, parts)


def build_pages(
    wave: SurveyWave,
    answers: dict[str, str],
    *,
    page_errors: dict[int, dict[str, str]] | None = None,
    posted: dict[int, dict[str, list[str]]] | None = None,
) -> list[Page]:
    pages: list[Page] = []
    number = 0
    for index, (section, questions) in enumerate(pages_of(wave), start=1):
        views = []
        for q in questions:
            number += 1
            views.append(
                question_view(
                    q,
                    number,
                    answers,
                    (page_errors or {}).get(index),
                    (posted or {}).get(index),
                )
            )
        pages.append(Page(index, section, views))
    return pages


def answer_display(q: SurveyQuestion, answers: dict[str, str]) -> list[tuple[str, str]]:
    """(label, answer text) lines of one question for the confirmation page and listings."""
    none = _("（無回答）")
    if q.kind == "measure":
        out = []
        for prefix, legend, scale in (
            ("S", _("満足度"), "satisfaction"),
            ("I", _("重要度"), "importance"),
        ):
            cell = answers.get(f"{prefix}:{q.code}", "")
            out.append((legend, scale_labels(scale).get(int(cell), cell) if cell else none))  # type: ignore[arg-type]
        return out
    cell = answers.get(q.code, "")
    if not cell:
        return [("", none)]
    if q.kind == "scale":
        return [("", scale_labels(q.scale).get(int(cell), cell))]  # type: ignore[arg-type]
    if q.kind == "single" and not q.is_attribute:
        labels = list(q.options or [])
        return [
            (
                "",
                str(labels[int(cell) - 1])
                if cell.isdigit() and 0 < int(cell) <= len(labels)
                else cell,
            )
        ]
    if q.kind == "multiple":
        labels = list(q.options or [])
        picked = [
            str(labels[int(c) - 1])
            for c in cell.split(";")
            if c.isdigit() and 0 < int(c) <= len(labels)
        ]
        return [("", "、".join(picked))]
    return [("", cell)]


def posted_values(request_post: Any, columns: list[str]) -> dict[str, list[str]]:
    return {c: request_post.getlist(c) for c in columns}
