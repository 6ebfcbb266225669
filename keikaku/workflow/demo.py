"""Load the demo formulation (organisation, schedule, drafting history) onto the demo city.

Idempotent: people, bodies, memberships, phases and tasks are ensured by natural key; the
drafting states and history are written only when the formulation is created. Runs after
`keikaku load-demo` (it needs the demo's latter basic plan).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keikaku.accounts.models import Department
from keikaku.core.services import audit_record
from keikaku.plans.models import Edition
from keikaku.workflow import demo_data as data
from keikaku.workflow import services
from keikaku.workflow.domain.states import TRANSITIONS, State
from keikaku.workflow.models import (
    Body,
    Formulation,
    Membership,
    Phase,
    ReviewComment,
    Section,
    SectionTransition,
    SectionVersion,
    Task,
)

ACTOR = "デモデータの読み込み（keikaku load-demo-workflow）"
MUNICIPALITY_CODE = "112411"
SCENARIOS = ("history", "training")

# Training scenario: the state of each policy area's measures (illustrative).
TRAINING_STATES = {
    1: State.DRAFTING,
    2: State.PROPOSED,
    3: State.HQ_REVIEW,
    4: State.HQ_REVIEW,
    5: State.DRAFT,
    6: State.DRAFT,
    7: State.PROPOSED,
}
TRAINING_DAY = dt.date(2024, 6, 1)


class DemoWorkflowRefused(Exception):
    pass


@dataclass
class DemoWorkflowResult:
    created: Counter[str] = field(default_factory=Counter)
    formulation_created: bool = False

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def demo_workflow_load(*, scenario: str = "history") -> DemoWorkflowResult:
    if scenario not in SCENARIOS:
        raise DemoWorkflowRefused(
            _("シナリオ「%(s)s」はありません。history か training を指定してください。")
            % {"s": scenario}
        )
    with transaction.atomic():
        return _Loader(scenario).run()


class _Loader:
    def __init__(self, scenario: str) -> None:
        self.scenario = scenario
        self.result = DemoWorkflowResult()
        self.users: dict[str, Any] = {}
        self.bodies: dict[str, Body] = {}
        self.tasks: dict[str, Task] = {}
        self.contents: dict[int, dict[str, Any]] = {}

    def run(self) -> DemoWorkflowResult:
        edition = (
            Edition.objects.filter(
                plan__municipality__code=MUNICIPALITY_CODE, kind=Edition.Kind.LATTER
            )
            .select_related("plan")
            .first()
        )
        if edition is None:
            raise DemoWorkflowRefused(
                _(
                    "デモ用の後期基本計画がありません。先に keikaku load-demo を実行してから、"
                    "もう一度実行してください。"
                )
            )
        self.load_people()
        formulation = Formulation.objects.filter(edition=edition).first()
        if formulation is None:
            formulation = services.formulation_create(
                edition=edition,
                title="第6次鶴ヶ島市総合計画後期基本計画の策定",
                public_summary=data.SUMMARY,
                actor=ACTOR,
            )
            self.result.formulation_created = True
            self.result.created["workflow.Formulation"] += 1
        self.load_bodies(formulation, edition)
        self.load_schedule(formulation)
        created = services.section_sync(formulation=formulation, actor=ACTOR)
        if self.result.formulation_created:
            created = formulation.sections.count()
        self.result.created["workflow.Section"] += created
        if self.result.formulation_created:
            if self.scenario == "history":
                self.write_history(formulation)
            else:
                self.write_training(formulation)
            audit_record(
                actor=ACTOR,
                action="workflow_demo_load",
                obj=formulation,
                before=None,
                after={"scenario": self.scenario, "created": dict(self.result.created)},
            )
        return self.result

    # --- organisation -------------------------------------------------------------------------

    def load_people(self) -> None:
        from keikaku.plans.demo.loader import demo_password

        User = get_user_model()
        for spec in data.PEOPLE:
            user = User.objects.filter(username=spec.username).first()
            if user is None:
                user = User(
                    username=spec.username,
                    last_name=spec.last_name,
                    first_name=spec.first_name,
                    is_staff=True,
                    department=Department.objects.filter(code=spec.section).first()
                    if spec.section
                    else None,
                )
                user.set_password(demo_password())
                user.save()
                audit_record(
                    actor=ACTOR,
                    action="create",
                    obj=user,
                    before=None,
                    after={"username": spec.username, "is_staff": True},
                )
                self.result.created["accounts.User"] += 1
            self.users[spec.username] = user
        for username in ("jimukyoku", "henshu"):
            user = User.objects.filter(username=username).first()
            if user is not None:
                self.users[username] = user

    def load_bodies(self, formulation: Formulation, edition: Edition) -> None:
        areas = {a.number: a for a in edition.areas.all()}
        for order, spec in enumerate(data.BODIES, start=1):
            body = Body.objects.filter(formulation=formulation, name=spec.name).first()
            if body is None:
                body = Body(
                    formulation=formulation,
                    kind=spec.kind,
                    name=spec.name,
                    order=order * 10,
                    description=spec.description,
                    department=Department.objects.filter(code=spec.department).first()
                    if spec.department
                    else None,
                )
                services.body_create(
                    body=body, actor=ACTOR, areas=[areas[n] for n in spec.areas if n in areas]
                )
                self.result.created["workflow.Body"] += 1
            self.bodies[spec.key] = body
            for member in spec.members:
                user = self.users.get(member.username)
                if user is None or Membership.objects.filter(body=body, user=user).exists():
                    continue
                services.membership_add(
                    body=body, user=user, role=member.role, title=member.title, actor=ACTOR
                )
                self.result.created["workflow.Membership"] += 1

    # --- schedule -----------------------------------------------------------------------------

    def load_schedule(self, formulation: Formulation) -> None:
        pending_deps: list[tuple[Task, tuple[str, ...]]] = []
        for order, spec in enumerate(data.PHASES, start=1):
            phase = Phase.objects.filter(
                formulation=formulation,
                fiscal_year=spec.fiscal_year,
                quarter=spec.quarter,
                title=spec.title,
            ).first()
            if phase is None:
                phase = Phase(
                    formulation=formulation,
                    fiscal_year=spec.fiscal_year,
                    quarter=spec.quarter,
                    title=spec.title,
                    order=order,
                    description=spec.description,
                )
                services.phase_create(phase=phase, actor=ACTOR)
                self.result.created["workflow.Phase"] += 1
            for t_order, ts in enumerate(spec.tasks, start=1):
                task = Task.objects.filter(phase=phase, title=ts.title).first()
                if task is None:
                    status, completed = self._task_status(ts)
                    task = Task(
                        phase=phase,
                        order=t_order,
                        title=ts.title,
                        kind=ts.kind,
                        start=ts.start,
                        end=ts.end,
                        owner=self.bodies.get(ts.owner),
                        status=status,
                        completed_on=completed,
                        is_public=ts.public,
                        public_note=ts.note,
                    )
                    services.task_create(task=task, actor=ACTOR)
                    self.result.created["workflow.Task"] += 1
                    if ts.depends_on:
                        pending_deps.append((task, ts.depends_on))
                self.tasks[ts.key] = task
        for task, keys in pending_deps:
            task.depends_on.set([self.tasks[k] for k in keys if k in self.tasks])

    def _task_status(self, ts: data.TaskSpec) -> tuple[str, dt.date | None]:
        if self.scenario == "history":
            return Task.Status.DONE, ts.end
        if ts.end < TRAINING_DAY:
            return Task.Status.DONE, ts.end
        if ts.start < TRAINING_DAY + dt.timedelta(days=30):
            return Task.Status.IN_PROGRESS, None
        return Task.Status.NOT_STARTED, None

    # --- drafting history ---------------------------------------------------------------------

    def _lead_of(self, section: Section) -> Any:
        from keikaku.workflow import rules

        body_ids = rules.author_body_ids(section)
        chair = (
            Membership.objects.filter(body_id__in=body_ids, role=Membership.Role.CHAIR)
            .select_related("user")
            .order_by("body__order", "id")
            .first()
        )
        return chair.user if chair else self.users.get("kacho-seisaku")

    def _step(
        self,
        section: Section,
        action: str,
        day: dt.date,
        actor: Any,
        comment: str = "",
        content: dict[str, Any] | None = None,
    ) -> None:
        step = next(t for t in TRANSITIONS if t.action == action and t.source == section.state)
        version = None
        if step.snapshot:
            number = section.versions.count() + 1
            version = SectionVersion.objects.create(
                section=section,
                number=number,
                state=step.target.value,
                data=content if content is not None else self._content(section),
                created_by=actor,
                created_by_name=_name(actor),
            )
            SectionVersion.objects.filter(pk=version.pk).update(created_at=_aware(day))
        record = SectionTransition.objects.create(
            section=section,
            action=action,
            from_state=step.source.value,
            to_state=step.target.value,
            actor=actor,
            actor_name=_name(actor),
            comment=comment,
            version=version,
        )
        SectionTransition.objects.filter(pk=record.pk).update(at=_aware(day))
        section.state = step.target.value
        Section.objects.filter(pk=section.pk).update(
            state=section.state, version=section.version + 1, state_changed_at=_aware(day)
        )
        section.version += 1

    def _content(self, section: Section) -> dict[str, Any]:
        """The section's content, read once (it does not change while the history is written)."""
        if section.pk not in self.contents:
            self.contents[section.pk] = services.section_content(section)
        return self.contents[section.pk]

    def _sections(self, formulation: Formulation) -> list[Section]:
        return list(
            formulation.sections.select_related(
                "measure__area", "strategy", "formulation"
            ).order_by("sort_key", "id")
        )

    def _walk(self, section: Section, until: State | None) -> None:
        lead = self._lead_of(section)
        for action, day, who, comment in data.HISTORY:
            if until is not None and section.state == until.value:
                return
            actor = lead if who == "@lead" else self.users[who]
            self._step(section, action, day, actor, comment)

    def _returned_cycle(self, section: Section) -> None:
        """Submit a first version with rougher text, have it returned, then go on."""
        first = dict(self._content(section))
        first["current_issues"] = "共働き世帯が増えています。"
        first["target_state"] = "子育てしやすいまち"
        lead = self._lead_of(section)
        self._step(section, "submit", dt.date(2024, 2, 20), lead, content=first)
        self._step(section, "return", dt.date(2024, 3, 1), self.users["fukushicho"],
                   comment=data.RETURN_COMMENT)  # fmt: skip
        comment = ReviewComment.objects.create(
            section=section,
            field="current_issues",
            body=data.RETURN_COMMENT,
            author=self.users["fukushicho"],
            author_name=_name(self.users["fukushicho"]),
            version_number=1,
            resolved=True,
            resolved_at=_aware(dt.date(2024, 3, 14)),
            resolved_by_name=_name(lead),
        )
        ReviewComment.objects.filter(pk=comment.pk).update(created_at=_aware(dt.date(2024, 3, 1)))
        reply = ReviewComment.objects.create(
            section=section,
            parent=comment,
            body="相談支援の件数と、目指す姿の表現を直しました。",
            author=lead,
            author_name=_name(lead),
        )
        ReviewComment.objects.filter(pk=reply.pk).update(created_at=_aware(dt.date(2024, 3, 14)))

    def write_history(self, formulation: Formulation) -> None:
        sections = self._sections(formulation)
        measures = [s for s in sections if s.kind == Section.Kind.MEASURE]
        if measures:
            self._returned_cycle(measures[data.RETURNED_MEASURE_CODE_INDEX])
        for section in sections:
            self._walk(section, None)
        services.formulation_update(
            formulation=formulation,
            actor=ACTOR,
            expected_version=formulation.version,
            changes={"status": Formulation.Status.COMPLETED},
        )

    def write_training(self, formulation: Formulation) -> None:
        sections = self._sections(formulation)
        measures = [s for s in sections if s.kind == Section.Kind.MEASURE]
        if measures:
            self._returned_cycle(measures[data.RETURNED_MEASURE_CODE_INDEX])
        for section in sections:
            if section.kind == Section.Kind.MEASURE and section.measure is not None:
                until = TRAINING_STATES.get(section.measure.area.number, State.DRAFTING)
            elif section.kind == Section.Kind.STRATEGY:
                until = State.HQ_REVIEW
            else:
                until = State.DRAFTING
            self._walk(section, until)
        area2 = next((s for s in measures if s.measure and s.measure.area.number == 2), None)
        if area2 is not None:
            services.comment_add(
                section=area2,
                actor=self.users["fukushicho"],
                body="成果指標の目標値の根拠を、部会で確認して書き加えてください。",
                field="indicators",
                mentions=[self.bodies["sub2"]],
            )
        area1 = next((s for s in measures if s.measure and s.measure.area.number == 1), None)
        if area1 is not None:
            services.comment_add(
                section=area1,
                actor=self.users["consultant"],
                body="やさしい日本語の要約は、一文をもう少し短くしてはどうでしょうか。",
                field="plain_summary",
            )
