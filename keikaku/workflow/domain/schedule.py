"""The formulation schedule (策定スケジュール): which tasks are late, which wait on others,
dependency cycles, phase progress and fiscal-quarter labels."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from keikaku.core.domain.fiscal import (
    fiscal_quarter_bounds,
    fiscal_quarter_of,
    format_fiscal_year,
    is_english,
)
from keikaku.core.domain.i18n import _


class TaskStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


CLOSED: frozenset[TaskStatus] = frozenset({TaskStatus.DONE, TaskStatus.CANCELLED})


def task_status_label(status: TaskStatus | str) -> str:
    labels = {
        TaskStatus.NOT_STARTED: _("未着手"),
        TaskStatus.IN_PROGRESS: _("実施中"),
        TaskStatus.DONE: _("完了"),
        TaskStatus.CANCELLED: _("中止"),
    }
    return labels[TaskStatus(status)]


@dataclass(frozen=True)
class TaskInput:
    key: int
    title: str
    start: date
    end: date  # inclusive
    status: TaskStatus
    depends_on: tuple[int, ...] = ()


@dataclass(frozen=True)
class TaskAssessment:
    key: int
    late: bool  # not closed and its end date has passed
    waiting_on: tuple[int, ...]  # dependencies that are not closed yet
    conflicts: tuple[int, ...]  # dependencies that end on or after this task starts


def is_late(status: TaskStatus | str, end: date, today: date) -> bool:
    return TaskStatus(status) not in CLOSED and end < today


def assess_tasks(tasks: Sequence[TaskInput], today: date) -> dict[int, TaskAssessment]:
    by_key = {t.key: t for t in tasks}
    out: dict[int, TaskAssessment] = {}
    for task in tasks:
        deps = [by_key[k] for k in task.depends_on if k in by_key]
        out[task.key] = TaskAssessment(
            key=task.key,
            late=is_late(task.status, task.end, today),
            waiting_on=tuple(d.key for d in deps if d.status not in CLOSED),
            conflicts=tuple(d.key for d in deps if d.end >= task.start),
        )
    return out


def find_cycle(edges: Mapping[int, Iterable[int]]) -> tuple[int, ...] | None:
    """A dependency cycle as keys (first key repeated at the end), or None.

    ``edges[a]`` are the tasks ``a`` depends on. Deterministic: keys are visited in order.
    """
    colour: dict[int, int] = {}  # 1 = on the stack, 2 = finished
    stack: list[int] = []

    def visit(node: int) -> tuple[int, ...] | None:
        colour[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if colour.get(nxt) == 1:
                return (*stack[stack.index(nxt) :], nxt)
            if nxt not in colour:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        colour[node] = 2
        return None

    for node in sorted(edges):
        if node not in colour:
            found = visit(node)
            if found:
                return found
    return None


class PhaseState(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


def phase_state_label(state: PhaseState | str) -> str:
    labels = {
        PhaseState.PLANNED: _("予定"),
        PhaseState.IN_PROGRESS: _("実施中"),
        PhaseState.DONE: _("完了"),
    }
    return labels[PhaseState(state)]


@dataclass(frozen=True)
class PhaseProgress:
    total: int
    closed: int
    state: PhaseState

    @property
    def share(self) -> float | None:
        """Closed share of the phase's tasks; None for a phase without tasks (never 0 %)."""
        return self.closed / self.total if self.total else None


def phase_progress(
    statuses: Sequence[TaskStatus | str], start: date, end: date, today: date
) -> PhaseProgress:
    """Done when every task is closed; in progress when some work has started or the phase's
    dates have begun; otherwise planned. A phase without tasks follows its dates."""
    st = [TaskStatus(s) for s in statuses]
    closed = sum(1 for s in st if s in CLOSED)
    if st and closed == len(st):
        state = PhaseState.DONE
    elif not st and end < today:
        state = PhaseState.DONE
    elif any(s != TaskStatus.NOT_STARTED for s in st) or start <= today:
        state = PhaseState.IN_PROGRESS
    else:
        state = PhaseState.PLANNED
    return PhaseProgress(total=len(st), closed=closed, state=state)


QUARTER_MONTHS = {1: "4～6月", 2: "7～9月", 3: "10～12月", 4: "1～3月"}


QUARTER_MONTHS_EN = {1: "Apr–Jun", 2: "Jul–Sep", 3: "Oct–Dec", 4: "Jan–Mar"}


def quarter_label(fiscal_year: int, quarter: int, *, lang: str | None = None) -> str:
    """(2023, 1) → 「令和5（2023）年度 4～6月」; in English (``lang`` "en…") 「FY2023 Apr–Jun」."""
    fiscal_quarter_bounds(fiscal_year, quarter)  # validates both
    if is_english(lang):
        return f"{format_fiscal_year(fiscal_year, lang=lang)} {QUARTER_MONTHS_EN[quarter]}"
    return f"{format_fiscal_year(fiscal_year)} {QUARTER_MONTHS[quarter]}"


def window(starts: Iterable[date], ends: Iterable[date]) -> tuple[date, date] | None:
    """The chart window: from the first fiscal quarter start to the last quarter end."""
    s, e = list(starts), list(ends)
    if not s or not e:
        return None
    fy_first, q_first = fiscal_quarter_of(min(s))
    fy_last, q_last = fiscal_quarter_of(max(e))
    return fiscal_quarter_bounds(fy_first, q_first)[0], fiscal_quarter_bounds(fy_last, q_last)[1]
