"""What other apps (and the public progress page) may read of the formulation.

Only public facts: the schedule's public phases and tasks (meetings, calls for participation)
and how many sections have reached each state. Never the text of a draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from keikaku.workflow import selectors
from keikaku.workflow.domain.states import STATE_ORDER, state_label
from keikaku.workflow.models import Formulation, Task


@dataclass(frozen=True)
class PublicTask:
    title: str
    kind: str
    kind_label: str
    start: dt.date
    end: dt.date
    status: str
    status_label: str
    note: str
    url: str
    is_open_call: bool  # a call for participation that has not ended yet


@dataclass(frozen=True)
class PublicPhase:
    label: str  # 令和5（2023）年度 4～6月
    title: str
    description: str
    start: dt.date
    end: dt.date
    state: str  # planned / in_progress / done
    state_label: str
    total: int
    closed: int
    tasks: tuple[PublicTask, ...]


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int


@dataclass(frozen=True)
class PublicProgress:
    title: str
    summary: str
    edition_title: str
    start_fy: int
    end_fy: int
    completed: bool
    phases: tuple[PublicPhase, ...]
    states: tuple[StateCount, ...]
    section_total: int


def progress_public(*, today: dt.date | None = None) -> PublicProgress | None:
    """The latest formulation whose progress is public, or None."""
    formulation = (
        Formulation.objects.filter(is_public=True)
        .select_related("edition")
        .order_by("-edition__start_fy")
        .first()
    )
    if formulation is None:
        return None
    today = today or timezone.localdate()
    rows = selectors.schedule_rows(formulation=formulation, today=today, public_only=True)
    phases = tuple(
        PublicPhase(
            label=row.label,
            title=row.phase.title,
            description=row.phase.description,
            start=row.start,
            end=row.end,
            state=row.state,
            state_label=row.state_label,
            total=row.total,
            closed=row.closed,
            tasks=tuple(
                PublicTask(
                    title=tr.task.title,
                    kind=tr.task.kind,
                    kind_label=str(tr.task.get_kind_display()),
                    start=tr.task.start,
                    end=tr.task.end,
                    status=tr.task.status,
                    status_label=str(tr.task.get_status_display()),
                    note=tr.task.public_note,
                    url=tr.task.url,
                    is_open_call=tr.task.kind == Task.Kind.PARTICIPATION
                    and tr.task.end >= today
                    and tr.task.status not in (Task.Status.DONE, Task.Status.CANCELLED),
                )
                for tr in row.tasks
            ),
        )
        for row in rows
    )
    totals = selectors.state_totals(formulation)
    return PublicProgress(
        title=formulation.title,
        summary=formulation.public_summary,
        edition_title=formulation.edition.title,
        start_fy=formulation.edition.start_fy,
        end_fy=formulation.edition.end_fy,
        completed=not formulation.is_active,
        phases=phases,
        states=tuple(
            StateCount(s.value, state_label(s), totals.get(s.value, 0)) for s in STATE_ORDER
        ),
        section_total=sum(totals.values()),
    )
