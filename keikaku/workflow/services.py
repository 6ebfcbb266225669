"""Every write of the formulation: organisation, drafting steps, comments, schedule.

All functions are keyword-only and atomic; each write is in the audit log. Drafting steps
are compare-and-set on the section's `version` in one UPDATE, so of two people acting on the
same draft at the same moment exactly one succeeds; the other gets TransitionConflict.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keikaku.core.services import (
    audit_record,
    audited_create,
    audited_delete,
    content_version_bump,
    versioned_save,
)
from keikaku.plans.models import Edition, Measure, PriorityStrategy
from keikaku.plans.services import measure_page_data, strategy_page_data
from keikaku.workflow import rules
from keikaku.workflow.domain.schedule import find_cycle
from keikaku.workflow.domain.states import (
    State,
    TransitionRefused,
    action_label,
    check_transition,
    state_label,
)
from keikaku.workflow.models import (
    Body,
    Formulation,
    Membership,
    Notification,
    Phase,
    ReviewComment,
    Section,
    SectionTransition,
    SectionVersion,
    Task,
)

__all__ = ["TransitionConflict", "TransitionRefused"]


def _name(user: Any) -> str:
    if getattr(user, "is_authenticated", False):
        return str(user.get_full_name() or user.get_username())
    return str(user or "")


# --- permission groups derived from membership --------------------------------------------------

EDITOR_GROUP = "策定作業：計画の編集"
SECRETARIAT_GROUP = "策定作業：事務局"
_GROUP_PERMS = {
    EDITOR_GROUP: ["change_measure"],
    SECRETARIAT_GROUP: ["change_measure", "change_edition"],
}


def _group(name: str) -> Group:
    group, created = Group.objects.get_or_create(name=name)
    if created:
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="plans", codename__in=_GROUP_PERMS[name]
            )
        )
    return group


def user_groups_sync(*, user: Any, actor: Any) -> None:
    """Give plan-editing permission to members of subcommittees and of the secretariat of an
    active formulation, and take it back when they leave (audited as permission changes).
    What each may edit is then narrowed by rules.plan_object_policy."""
    active = Membership.objects.filter(user=user, body__formulation__status="active")
    wanted = set()
    if active.filter(body__kind__in=[Body.Kind.SUBCOMMITTEE, Body.Kind.SECRETARIAT]).exists():
        wanted.add(EDITOR_GROUP)
    if active.filter(body__kind=Body.Kind.SECRETARIAT).exists():
        wanted.add(SECRETARIAT_GROUP)
    current = set(user.groups.filter(name__in=_GROUP_PERMS).values_list("name", flat=True))
    if wanted == current:
        return
    for name in sorted(wanted - current):
        user.groups.add(_group(name))
    for name in sorted(current - wanted):
        user.groups.remove(_group(name))
    audit_record(
        actor=actor,
        action="permission_change",
        obj=user,
        before={"groups": sorted(current)},
        after={"groups": sorted(wanted)},
    )


# --- formulation and organisation -------------------------------------------------------------


@transaction.atomic
def formulation_create(
    *, edition: Edition, title: str, actor: Any, public_summary: str = ""
) -> Formulation:
    formulation = Formulation(edition=edition, title=title, public_summary=public_summary)
    audited_create(obj=formulation, actor=actor)
    section_sync(formulation=formulation, actor=actor)
    content_version_bump()
    return formulation


@transaction.atomic
def formulation_update(
    *, formulation: Formulation, actor: Any, expected_version: int | None, changes: dict[str, Any]
) -> Formulation:
    status_before = formulation.status
    versioned_save(obj=formulation, actor=actor, expected_version=expected_version, changes=changes)
    if formulation.status != status_before:
        for user_id in (
            Membership.objects.filter(body__formulation=formulation)
            .values_list("user_id", flat=True)
            .distinct()
        ):
            user_groups_sync(user=get_user_model().objects.get(pk=user_id), actor=actor)
    content_version_bump()
    return formulation


def _sort_key(section: Section) -> str:
    if section.kind == Section.Kind.INTRODUCTION:
        return "0"
    if section.kind == Section.Kind.STRATEGY and section.strategy is not None:
        return f"1:{section.strategy.number:04d}"
    m = section.measure
    if m is None:
        return "9"
    return f"2:{m.area.number:04d}:{m.order:04d}:{m.code}"[:40]


@transaction.atomic
def section_sync(*, formulation: Formulation, actor: Any) -> int:
    """Create the missing sections (introduction, every strategy and measure of the edition)
    and refresh their order. Returns how many were created."""
    edition = formulation.edition
    secretariat = formulation.bodies.filter(kind=Body.Kind.SECRETARIAT).first()
    created: list[Section] = []
    if not formulation.sections.filter(kind=Section.Kind.INTRODUCTION).exists():
        created.append(
            Section(formulation=formulation, kind=Section.Kind.INTRODUCTION, owner=secretariat)
        )
    have_strategies = set(
        formulation.sections.exclude(strategy=None).values_list("strategy_id", flat=True)
    )
    for strategy in edition.strategies.all():
        if strategy.pk not in have_strategies:
            created.append(
                Section(
                    formulation=formulation,
                    kind=Section.Kind.STRATEGY,
                    strategy=strategy,
                    owner=secretariat,
                )
            )
    have_measures = set(
        formulation.sections.exclude(measure=None).values_list("measure_id", flat=True)
    )
    for measure in Measure.objects.filter(area__edition=edition).select_related("area"):
        if measure.pk not in have_measures:
            created.append(
                Section(formulation=formulation, kind=Section.Kind.MEASURE, measure=measure)
            )
    for section in created:
        section.sort_key = _sort_key(section)
        section.save()
    for section in formulation.sections.select_related("measure__area", "strategy"):
        key = _sort_key(section)
        if key != section.sort_key:
            Section.objects.filter(pk=section.pk).update(sort_key=key)
    if secretariat is not None:
        formulation.sections.exclude(kind=Section.Kind.MEASURE).filter(owner=None).update(
            owner=secretariat
        )
    if created:
        audit_record(
            actor=actor,
            action="workflow_sections_sync",
            obj=formulation,
            before=None,
            after={"created": [str(s) for s in created]},
        )
    return len(created)


@transaction.atomic
def body_create(*, body: Body, actor: Any, areas: Iterable[Any] = ()) -> Body:
    audited_create(obj=body, actor=actor, m2m={"areas": list(areas)})
    return body


@transaction.atomic
def body_update(
    *,
    body: Body,
    actor: Any,
    expected_version: int | None,
    changes: dict[str, Any],
    areas: Iterable[Any] | None = None,
) -> Body:
    m2m = {"areas": list(areas)} if areas is not None else None
    versioned_save(
        obj=body, actor=actor, expected_version=expected_version, changes=changes, m2m=m2m
    )
    for membership in body.memberships.select_related("user"):
        user_groups_sync(user=membership.user, actor=actor)
    return body


@transaction.atomic
def body_delete(*, body: Body, actor: Any) -> None:
    users = [m.user for m in body.memberships.select_related("user")]
    for membership in list(body.memberships.all()):
        audited_delete(obj=membership, actor=actor)
    audited_delete(obj=body, actor=actor)
    for user in users:
        user_groups_sync(user=user, actor=actor)


@transaction.atomic
def membership_add(*, body: Body, user: Any, role: str, actor: Any, title: str = "") -> Membership:
    if not user.is_staff:
        raise ValidationError(
            {"user": _("「%(name)s」は職員ではありません。") % {"name": _name(user)}}
        )
    if Membership.objects.filter(body=body, user=user).exists():
        raise ValidationError(
            {
                "user": _("%(name)s さんは既に「%(body)s」の構成員です。")
                % {"name": _name(user), "body": body}
            }
        )
    membership = Membership(body=body, user=user, role=role, title=title)
    audited_create(obj=membership, actor=actor)
    user_groups_sync(user=user, actor=actor)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: Any) -> None:
    user = membership.user
    audited_delete(obj=membership, actor=actor)
    user_groups_sync(user=user, actor=actor)


# --- drafting steps ---------------------------------------------------------------------------


class TransitionConflict(Exception):
    """Someone else moved the section first; nothing was written."""

    def __init__(self, section: Section, action: str) -> None:
        self.section = section
        last = section.transitions.order_by("-at", "-id").first()
        who = last.actor_name if last and last.actor_name else _("別の利用者")
        when = timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M") if last else ""
        super().__init__(
            _(
                "「%(section)s」は、あなたが画面を開いた後に %(who)s さんが"
                "「%(state)s」に変更しました（%(when)s）。"
                "あなたの操作「%(action)s」は行っていません。"
                "画面を読み込み直して、今の状態を確かめてから操作してください。"
            )
            % {
                "section": section,
                "who": who,
                "state": state_label(section.state),
                "when": when,
                "action": action_label(action),
            }
        )


def section_content(section: Section) -> dict[str, Any]:
    """The current content of a section as plain JSON (what a version keeps)."""
    if section.kind == Section.Kind.MEASURE and section.measure_id is not None:
        measure = (
            Measure.objects.select_related("area")
            .prefetch_related(
                "departments",
                "strategies",
                "initiatives__responsible_section",
                "indicators__values",
            )
            .get(pk=section.measure_id)
        )
        return measure_page_data(measure)
    if section.kind == Section.Kind.STRATEGY and section.strategy_id is not None:
        strategy = PriorityStrategy.objects.prefetch_related("indicators__values").get(
            pk=section.strategy_id
        )
        return strategy_page_data(strategy)
    edition = Edition.objects.get(pk=section.formulation.edition_id)
    return {
        "title": edition.title,
        "introduction": edition.introduction,
        "version": edition.version,
    }


def _snapshot(section: Section, actor: Any, state: str) -> SectionVersion:
    number = (section.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return SectionVersion.objects.create(
        section=section,
        number=number,
        state=state,
        data=section_content(section),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_by_name=_name(actor),
    )


def section_authors(section: Section) -> set[Any]:
    """Who drafts the section: members of its drafting bodies and whoever submitted it."""
    User = get_user_model()
    body_ids = rules.author_body_ids(section)
    ids = set(Membership.objects.filter(body_id__in=body_ids).values_list("user_id", flat=True))
    ids |= set(
        section.transitions.filter(action="submit", actor__isnull=False).values_list(
            "actor_id", flat=True
        )
    )
    return set(User.objects.filter(pk__in=ids, is_active=True))


def _body_members(kinds: Iterable[str], formulation: Formulation) -> set[Any]:
    User = get_user_model()
    ids = Membership.objects.filter(
        body__formulation=formulation, body__kind__in=list(kinds)
    ).values_list("user_id", flat=True)
    return set(User.objects.filter(pk__in=set(ids), is_active=True))


@transaction.atomic
def section_transition(
    *, section: Section, actor: Any, action: str, expected_version: int, comment: str = ""
) -> SectionTransition:
    """Take one drafting step. Raises TransitionRefused (not allowed for this user or state,
    or a required comment is missing) or TransitionConflict (someone acted first)."""
    current = Section.objects.select_related(
        "formulation", "measure__area", "strategy", "owner"
    ).get(pk=section.pk)
    if not current.formulation.is_active:
        raise TransitionRefused(
            _("「%(f)s」は策定を終えているため、状態は変えられません。")
            % {"f": current.formulation}
        )
    if current.version != expected_version:
        raise TransitionConflict(current, action)
    step = check_transition(current.state, action, rules.section_roles(actor, current), comment)
    now = timezone.now()
    updated = Section.objects.filter(
        pk=current.pk, version=expected_version, state=step.source.value
    ).update(
        state=step.target.value,
        version=F("version") + 1,
        state_changed_at=now,
        updated_at=now,
        updated_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if updated != 1:
        raise TransitionConflict(Section.objects.get(pk=current.pk), action)
    current.state = step.target.value
    current.version = expected_version + 1
    version = _snapshot(current, actor, step.target.value) if step.snapshot else None
    record = SectionTransition.objects.create(
        section=current,
        action=action,
        from_state=step.source.value,
        to_state=step.target.value,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=_name(actor),
        comment=comment.strip(),
        version=version,
    )
    audit_record(
        actor=actor,
        action=f"workflow_{action}",
        obj=current,
        before={"state": step.source.value, "version": expected_version},
        after={
            "state": step.target.value,
            "version": expected_version + 1,
            "comment": comment.strip(),
            "snapshot": version.number if version else None,
        },
    )
    _notify_transition(current, step.action, step.target, actor, comment.strip())
    content_version_bump()
    return record


def _section_url(section: Section) -> str:
    return reverse("staff:workflow_section", kwargs={"pk": section.pk})


def _notify_transition(
    section: Section, action: str, target: State, actor: Any, comment: str
) -> None:
    returned = action in ("return", "reopen", "send_back")
    message = _("「%(section)s」が%(who)s さんにより「%(state)s」になりました。") % {
        "section": section,
        "who": _name(actor),
        "state": state_label(target),
    }
    if returned:
        message = _("「%(section)s」が%(who)s さんにより差し戻されました: %(comment)s") % {
            "section": section,
            "who": _name(actor),
            "comment": comment,
        }
    recipients = section_authors(section)
    kind = Notification.Kind.RETURNED if returned else Notification.Kind.TRANSITION
    _notify(recipients, kind, message[:300], section, actor)
    if action == "submit":
        reviewers = _body_members([Body.Kind.HEADQUARTERS], section.formulation) - recipients
        _notify(
            reviewers,
            Notification.Kind.TRANSITION,
            (
                _("「%(section)s」が部会案として提出されました。本部での確認をお願いします。")
                % {"section": section}
            )[:300],
            section,
            actor,
        )


def _notify(
    users: Iterable[Any], kind: str, message: str, section: Section | None, actor: Any
) -> list[Notification]:
    actor_id = getattr(actor, "pk", None)
    url = _section_url(section) if section else ""
    made = [
        Notification.objects.create(
            recipient=u, kind=kind, message=message, url=url, section=section
        )
        for u in sorted(users, key=lambda u: u.pk)
        if u.pk != actor_id
    ]
    if getattr(settings, "KEIKAKU_NOTIFY_EMAIL", True):
        from keikaku.workflow.tasks import notification_email_send

        for n in made:
            if n.recipient.email:
                transaction.on_commit(partial(notification_email_send.enqueue, n.pk))
    return made


def notification_email_deliver(*, notification_id: int) -> bool:
    """Send one notification by e-mail (Django's mail settings); idempotent."""
    from django.core.mail import EmailMessage

    n = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if n is None or n.emailed_at is not None or not n.recipient.email:
        return False
    base = str(getattr(settings, "KEIKAKU_SITE_URL", "")).rstrip("/")
    body = _("%(name)s さん\n\n%(message)s\n\n%(url)s\n\n（Keikaku からの自動送信です）") % {
        "name": _name(n.recipient),
        "message": n.message,
        "url": f"{base}{n.url}" if n.url else "",
    }
    EmailMessage(
        subject=_("[Keikaku] %(message)s") % {"message": n.message[:60]},
        body=body,
        to=[n.recipient.email],
    ).send()
    Notification.objects.filter(pk=n.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    return True


@transaction.atomic
def notification_mark_read(*, user: Any, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


# --- review comments --------------------------------------------------------------------------


@transaction.atomic
def comment_add(
    *,
    section: Section,
    actor: Any,
    body: str,
    field: str = "",
    mentions: Iterable[Body] = (),
    parent: ReviewComment | None = None,
) -> ReviewComment:
    text = body.strip()
    if not text:
        raise ValidationError({"body": _("コメントを入力してください。")})
    if parent is not None:
        if parent.section_id != section.pk:
            raise ValidationError(_("返信先のコメントが別の項目のものです。"))
        parent = parent.parent or parent  # threads are one level deep
        field = parent.field
    mention_list = list(mentions)
    for b in mention_list:
        if b.formulation_id != section.formulation_id:
            raise ValidationError({"mentions": _("宛先の組織がこの計画の策定体制にありません。")})
    latest = section.versions.aggregate(n=Max("number"))["n"]
    comment = ReviewComment.objects.create(
        section=section,
        parent=parent,
        field=field,
        body=text,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        author_name=_name(actor),
        version_number=latest,
    )
    comment.mentions.set(mention_list)
    audit_record(
        actor=actor,
        action="comment_add",
        obj=section,
        before=None,
        after={"comment": comment.pk, "field": field, "body": text},
    )
    short = text if len(text) <= 60 else text[:59] + "…"
    authors = section_authors(section)
    participants: set[Any] = set()
    if parent is not None:
        User = get_user_model()
        ids = {parent.author_id, *parent.replies.values_list("author_id", flat=True)}
        participants = set(User.objects.filter(pk__in=[i for i in ids if i]))
    mentioned: set[Any] = set()
    if mention_list:
        User = get_user_model()
        member_ids = Membership.objects.filter(body__in=mention_list).values_list(
            "user_id", flat=True
        )
        mentioned = set(User.objects.filter(pk__in=set(member_ids), is_active=True))
    message = _("%(who)s さんが「%(section)s」にコメントしました: %(text)s") % {
        "who": _name(actor),
        "section": section,
        "text": short,
    }
    _notify((authors | participants) - mentioned, Notification.Kind.COMMENT, message[:300],
            section, actor)  # fmt: skip
    if mentioned:
        names = "・".join(str(b) for b in mention_list)
        mention_message = _(
            "%(who)s さんが「%(section)s」のコメントで%(bodies)sに確認を求めています: %(text)s"
        ) % {"who": _name(actor), "section": section, "bodies": names, "text": short}
        _notify(mentioned, Notification.Kind.MENTION, mention_message[:300], section, actor)
    return comment


@transaction.atomic
def comment_resolve(*, comment: ReviewComment, actor: Any, resolved: bool = True) -> ReviewComment:
    root = comment.parent or comment
    if root.resolved == resolved:
        return root
    before = {"resolved": root.resolved}
    root.resolved = resolved
    root.resolved_at = timezone.now() if resolved else None
    root.resolved_by_name = _name(actor) if resolved else ""
    root.save(update_fields=["resolved", "resolved_at", "resolved_by_name"])
    audit_record(
        actor=actor,
        action="comment_resolve" if resolved else "comment_reopen",
        obj=root.section,
        before={"comment": root.pk, **before},
        after={"comment": root.pk, "resolved": resolved},
    )
    return root


# --- schedule ---------------------------------------------------------------------------------


@transaction.atomic
def phase_create(*, phase: Phase, actor: Any) -> Phase:
    audited_create(obj=phase, actor=actor)
    content_version_bump()
    return phase


@transaction.atomic
def phase_update(
    *, phase: Phase, actor: Any, expected_version: int | None, changes: dict[str, Any]
) -> Phase:
    versioned_save(obj=phase, actor=actor, expected_version=expected_version, changes=changes)
    content_version_bump()
    return phase


@transaction.atomic
def phase_delete(*, phase: Phase, actor: Any) -> None:
    if phase.tasks.exists():
        raise ValidationError(
            _("段階「%(p)s」には作業があります。先に作業を削除するか、別の段階に移してください。")
            % {"p": phase}
        )
    audited_delete(obj=phase, actor=actor)
    content_version_bump()


def _check_dependencies(task: Task, depends_on: list[Task]) -> None:
    for dep in depends_on:
        if dep.pk == task.pk:
            raise ValidationError({"depends_on": _("作業は自分自身に依存できません。")})
        if dep.phase.formulation_id != task.phase.formulation_id:
            raise ValidationError(
                {"depends_on": _("「%(t)s」は別の計画の策定の作業です。") % {"t": dep}}
            )
    edges: dict[int, list[int]] = {}
    formulation_id = task.phase.formulation_id
    for t_id, d_id in Task.depends_on.through.objects.filter(
        from_task__phase__formulation_id=formulation_id
    ).values_list("from_task_id", "to_task_id"):
        edges.setdefault(t_id, []).append(d_id)
    key = task.pk or 0
    edges[key] = [d.pk for d in depends_on]
    cycle = find_cycle(edges)
    if cycle:
        titles = {t.pk: t.title for t in Task.objects.filter(pk__in=cycle)}
        titles[key] = task.title
        raise ValidationError(
            {
                "depends_on": _(
                    "作業の順序が循環しています: %(path)s。先に終える作業を見直してください。"
                )
                % {"path": " → ".join(titles.get(k, str(k)) for k in cycle)}
            }
        )


@transaction.atomic
def task_create(*, task: Task, actor: Any, depends_on: Iterable[Task] = ()) -> Task:
    deps = list(depends_on)
    _check_dependencies(task, deps)
    audited_create(obj=task, actor=actor, m2m={"depends_on": deps})
    content_version_bump()
    return task


@transaction.atomic
def task_update(
    *,
    task: Task,
    actor: Any,
    expected_version: int | None,
    changes: dict[str, Any],
    depends_on: Iterable[Task] | None = None,
) -> Task:
    m2m = None
    if depends_on is not None:
        deps = list(depends_on)
        _check_dependencies(task, deps)
        m2m = {"depends_on": deps}
    if changes.get("status") == Task.Status.DONE and not changes.get("completed_on"):
        if not task.completed_on:
            changes["completed_on"] = timezone.localdate()
    versioned_save(
        obj=task, actor=actor, expected_version=expected_version, changes=changes, m2m=m2m
    )
    content_version_bump()
    return task


@transaction.atomic
def task_delete(*, task: Task, actor: Any) -> None:
    audited_delete(obj=task, actor=actor)
    content_version_bump()
