"""Reads of the formulation: lists, dashboard figures, schedule rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from keikaku.accounts.rules import is_staff_user
from keikaku.workflow.domain.schedule import (
    TaskInput,
    TaskStatus,
    assess_tasks,
    phase_progress,
)
from keikaku.workflow.domain.states import STATE_ORDER, State
from keikaku.workflow.models import (
    Body,
    Formulation,
    Membership,
    Notification,
    Phase,
    ReviewComment,
    Section,
    Task,
)


def formulation_list() -> QuerySet[Formulation]:
    return Formulation.objects.select_related("edition", "edition__plan")


def formulation_current(pk: Any = None) -> Formulation | None:
    """The formulation asked for (?formulation=), else the latest active one, else the latest."""
    qs = formulation_list()
    if pk not in (None, ""):
        try:
            return qs.get(pk=int(pk))
        except (ValueError, Formulation.DoesNotExist):
            raise Http404(_("その計画の策定は見つかりません。")) from None
    return (
        qs.filter(status=Formulation.Status.ACTIVE).order_by("-edition__start_fy").first()
        or qs.order_by("-edition__start_fy").first()
    )


def _require_staff(user: Any) -> None:
    if not is_staff_user(user):
        raise Http404(_("そのページはありません。"))


def section_list(*, formulation: Formulation) -> QuerySet[Section]:
    return (
        Section.objects.filter(formulation=formulation)
        .select_related("measure__area", "strategy", "owner", "formulation")
        .annotate(
            open_comments=Count(
                "comments", filter=Q(comments__parent__isnull=True, comments__resolved=False)
            )
        )
        .order_by("sort_key", "id")
    )


def section_get_for_user(*, pk: int, user: Any) -> Section:
    """A section for a member of staff (every member of staff reads drafts)."""
    _require_staff(user)
    section = (
        Section.objects.select_related(
            "formulation__edition", "measure__area", "strategy", "owner", "updated_by"
        )
        .filter(pk=pk)
        .first()
    )
    if section is None:
        raise Http404(_("その項目は見つかりません。"))
    return section


def area_author_names(formulation: Formulation) -> dict[int, list[Body]]:
    """Policy area id → the subcommittees that draft its measures."""
    out: dict[int, list[Body]] = defaultdict(list)
    for body in formulation.bodies.filter(kind=Body.Kind.SUBCOMMITTEE).prefetch_related("areas"):
        for area in body.areas.all():
            out[area.pk].append(body)
    return out


def section_authors_display(section: Section, by_area: dict[int, list[Body]]) -> list[Body]:
    if section.kind == Section.Kind.MEASURE and section.measure is not None:
        return by_area.get(section.measure.area_id, [])
    return [section.owner] if section.owner_id and section.owner else []


@dataclass(frozen=True)
class BodyStateRow:
    body: str
    counts: tuple[int, ...]  # in STATE_ORDER

    @property
    def total(self) -> int:
        return sum(self.counts)


def states_by_body(formulation: Formulation) -> list[BodyStateRow]:
    """Sections by state for each drafting body (subcommittees by their areas; strategies and
    the introduction by their owner). Sections with no drafting body form the last row."""
    by_area = area_author_names(formulation)
    counters: dict[str, Counter[str]] = {}
    order: list[str] = [
        b.name for b in formulation.bodies.filter(kind=Body.Kind.SUBCOMMITTEE).order_by("order")
    ]
    for name in order:
        counters[name] = Counter()
    nobody = _("（担当未設定）")
    for section in Section.objects.filter(formulation=formulation).select_related(
        "measure", "owner"
    ):
        bodies = section_authors_display(section, by_area)
        names = [b.name for b in bodies] or [nobody]
        for name in names[:1]:  # a measure counts once, for its first subcommittee
            if name not in counters:
                counters[name] = Counter()
                order.append(name)
            counters[name][section.state] += 1
    return [
        BodyStateRow(name, tuple(counters[name][s.value] for s in STATE_ORDER))
        for name in order
        if sum(counters[name].values()) or name != nobody
    ]


def state_totals(formulation: Formulation) -> dict[str, int]:
    counts = dict(
        Section.objects.filter(formulation=formulation)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return {s.value: counts.get(s.value, 0) for s in STATE_ORDER}


def open_comment_count(formulation: Formulation) -> int:
    return ReviewComment.objects.filter(
        section__formulation=formulation, parent__isnull=True, resolved=False
    ).count()


def comment_threads(*, section: Section) -> list[ReviewComment]:
    return list(
        section.comments.filter(parent__isnull=True)
        .prefetch_related(
            Prefetch("replies", queryset=ReviewComment.objects.order_by("created_at", "id")),
            "mentions",
        )
        .order_by("resolved", "created_at", "id")
    )


def comment_list(*, formulation: Formulation, resolved: bool | None = False) -> QuerySet[Any]:
    qs = ReviewComment.objects.filter(
        section__formulation=formulation, parent__isnull=True
    ).select_related("section__measure", "section__strategy")
    if resolved is not None:
        qs = qs.filter(resolved=resolved)
    return qs.annotate(reply_count=Count("replies")).order_by("-created_at", "-id")


def notification_list(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("section")


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def body_list(*, formulation: Formulation) -> QuerySet[Body]:
    return formulation.bodies.prefetch_related(
        "areas",
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("user", "user__department").order_by(
                "role", "id"
            ),
        ),
    ).select_related("department")


# --- schedule ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskRow:
    task: Task
    late: bool
    waiting_on: tuple[str, ...]
    conflicts: tuple[str, ...]
    fiscal_label: str


@dataclass(frozen=True)
class PhaseRow:
    phase: Phase
    label: str
    start: dt.date
    end: dt.date
    state: str
    state_label: str
    total: int
    closed: int
    tasks: tuple[TaskRow, ...]


def schedule_rows(
    *, formulation: Formulation, today: dt.date | None = None, public_only: bool = False
) -> list[PhaseRow]:
    from keikaku.core.domain.fiscal import fiscal_quarter_bounds
    from keikaku.workflow.domain.schedule import phase_state_label, quarter_label

    today = today or timezone.localdate()
    phases = formulation.phases.all()
    tasks_qs = Task.objects.filter(phase__formulation=formulation).select_related("owner", "phase")
    if public_only:
        phases = phases.filter(is_public=True)
    tasks = list(tasks_qs.prefetch_related("depends_on"))
    inputs = [
        TaskInput(
            key=t.pk,
            title=t.title,
            start=t.start,
            end=t.end,
            status=TaskStatus(t.status),
            depends_on=tuple(d.pk for d in t.depends_on.all()),
        )
        for t in tasks
    ]
    assessed = assess_tasks(inputs, today)
    titles = {t.pk: t.title for t in tasks}
    by_phase: dict[int, list[Task]] = defaultdict(list)
    for t in tasks:
        by_phase[t.phase_id].append(t)
    rows = []
    for phase in phases:
        q_start, q_end = fiscal_quarter_bounds(phase.fiscal_year, phase.quarter)
        members = by_phase.get(phase.pk, [])
        start = min([q_start, *(t.start for t in members)])
        end = max([q_end, *(t.end for t in members)])
        progress = phase_progress([t.status for t in members], q_start, q_end, today)
        shown = [t for t in members if t.is_public] if public_only else members
        rows.append(
            PhaseRow(
                phase=phase,
                label=quarter_label(phase.fiscal_year, phase.quarter, lang=get_language()),
                start=start,
                end=end,
                state=progress.state.value,
                state_label=phase_state_label(progress.state),
                total=progress.total,
                closed=progress.closed,
                tasks=tuple(
                    TaskRow(
                        task=t,
                        late=assessed[t.pk].late,
                        waiting_on=tuple(titles[k] for k in assessed[t.pk].waiting_on),
                        conflicts=tuple(titles[k] for k in assessed[t.pk].conflicts),
                        fiscal_label=quarter_label(*_fq(t.start), lang=get_language()),
                    )
                    for t in shown
                ),
            )
        )
    return rows


def _fq(day: dt.date) -> tuple[int, int]:
    from keikaku.core.domain.fiscal import fiscal_quarter_of

    return fiscal_quarter_of(day)


def overdue_tasks(*, formulation: Formulation, today: dt.date | None = None) -> list[Task]:
    today = today or timezone.localdate()
    return list(
        Task.objects.filter(phase__formulation=formulation, end__lt=today)
        .exclude(status__in=[TaskStatus.DONE.value, TaskStatus.CANCELLED.value])
        .select_related("owner", "phase")
        .order_by("end", "id")
    )


def actionable_sections(*, user: Any, formulation: Formulation, limit: int = 20) -> list[Any]:
    """Sections where the user can take a step now, with the steps."""
    from keikaku.workflow import rules

    ub = rules.user_bodies(user)
    if not formulation.is_active or not ub.staff:
        return []
    by_area: dict[int, frozenset[int]] = {
        area_id: frozenset(b.pk for b in bodies)
        for area_id, bodies in area_author_names(formulation).items()
    }
    from keikaku.workflow.domain.states import allowed_transitions

    out = []
    for section in section_list(formulation=formulation).exclude(state=State.ENACTED.value):
        if section.kind == Section.Kind.MEASURE and section.measure is not None:
            authors = by_area.get(section.measure.area_id, frozenset())
        else:
            authors = frozenset({section.owner_id}) if section.owner_id else frozenset()
        steps = allowed_transitions(section.state, rules.roles_from(ub, authors))
        if steps:
            out.append((section, steps))
        if len(out) >= limit:
            break
    return out
