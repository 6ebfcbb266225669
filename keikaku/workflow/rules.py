"""Who may do what in the formulation (策定体制に応じた権限), in one place.

- Every member of staff reads drafts and comments (全職員参加).
- A subcommittee member edits only the measures of its policy areas while they are being
  drafted; its lead (部会長) also while the proposal (部会案) is with the subcommittee.
- The secretariat (事務局) edits everything up to the final draft and runs the organisation and
  the schedule; headquarters (策定本部) approves and returns; the management council (経営会議)
  decides the final draft; consultants read and comment but never see citizens' personal data.
- The system administrator (superuser) may do everything.

The plan-structure views of `plans` ask `plans.rules.can_edit_object`; this module registers
`plan_object_policy` there (WorkflowConfig.ready), so the rules above also hold on those pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from keikaku.accounts.rules import is_staff_user
from keikaku.workflow.domain.states import (
    PUBLISHABLE,
    Role,
    State,
    allowed_transitions,
    can_edit,
)
from keikaku.workflow.models import Body, Formulation, Membership, Section

KIND_ROLE = {
    Body.Kind.HEADQUARTERS: Role.HEADQUARTERS,
    Body.Kind.SECRETARIAT: Role.SECRETARIAT,
    Body.Kind.MANAGEMENT_COUNCIL: Role.MANAGEMENT_COUNCIL,
    Body.Kind.CONSULTANT: Role.CONSULTANT,
}


@dataclass(frozen=True)
class UserBodies:
    """The bodies of active formulations a user belongs to."""

    staff: bool
    superuser: bool
    body_ids: frozenset[int]
    chair_body_ids: frozenset[int]
    kinds: frozenset[str]

    def has_kind(self, kind: str) -> bool:
        return kind in self.kinds


def user_bodies(user: Any) -> UserBodies:
    staff = is_staff_user(user)
    if not staff:
        return UserBodies(False, False, frozenset(), frozenset(), frozenset())
    rows = Membership.objects.filter(
        user=user, body__formulation__status=Formulation.Status.ACTIVE
    ).values_list("body_id", "role", "body__kind")
    body_ids = frozenset(r[0] for r in rows)
    chair_ids = frozenset(r[0] for r in rows if r[1] == Membership.Role.CHAIR)
    kinds = frozenset(r[2] for r in rows)
    return UserBodies(True, bool(user.is_superuser), body_ids, chair_ids, kinds)


def global_role_names(user: Any) -> list[str]:
    """Role names for `accounts.roles` (two-factor requirement, personal-data rule)."""
    ub = user_bodies(user)
    names = [str(KIND_ROLE[Body.Kind(k)]) for k in ub.kinds if Body.Kind(k) in KIND_ROLE]
    if Body.Kind.SUBCOMMITTEE in ub.kinds:
        names.append("subcommittee_member")
        chaired = Body.objects.filter(pk__in=ub.chair_body_ids, kind=Body.Kind.SUBCOMMITTEE)
        if chaired.exists():
            names.append("subcommittee_lead")
    if Body.Kind.LEADS_MEETING in ub.kinds:
        names.append("leads_meeting")
    return names


def author_body_ids(section: Section) -> frozenset[int]:
    """The bodies that draft a section: for a measure, the subcommittees of its policy area;
    otherwise the section's owner."""
    if section.kind == Section.Kind.MEASURE and section.measure is not None:
        return frozenset(
            Body.objects.filter(
                formulation_id=section.formulation_id,
                kind=Body.Kind.SUBCOMMITTEE,
                areas=section.measure.area_id,
            ).values_list("pk", flat=True)
        )
    return frozenset({section.owner_id}) if section.owner_id else frozenset()


def _area_author_ids(formulation_id: int, area_id: int) -> frozenset[int]:
    return frozenset(
        Body.objects.filter(
            formulation_id=formulation_id, kind=Body.Kind.SUBCOMMITTEE, areas=area_id
        ).values_list("pk", flat=True)
    )


def roles_from(ub: UserBodies, authors: frozenset[int]) -> frozenset[Role]:
    if not ub.staff:
        return frozenset()
    roles = {Role.STAFF}
    if ub.superuser:
        roles.add(Role.SUPERUSER)
    for kind in ub.kinds:
        if Body.Kind(kind) in KIND_ROLE:
            roles.add(KIND_ROLE[Body.Kind(kind)])
    if ub.body_ids & authors:
        roles.add(Role.AUTHOR)
    if ub.chair_body_ids & authors:
        roles.add(Role.AUTHOR_LEAD)
    return frozenset(roles)


def section_roles(user: Any, section: Section, ub: UserBodies | None = None) -> frozenset[Role]:
    return roles_from(ub or user_bodies(user), author_body_ids(section))


# --- reading and commenting -------------------------------------------------------------------


def can_read_drafts(user: Any) -> bool:
    return is_staff_user(user)


def can_comment(user: Any) -> bool:
    return is_staff_user(user)


# --- transitions and editing ------------------------------------------------------------------


def section_actions(user: Any, section: Section, ub: UserBodies | None = None) -> list[Any]:
    if not section.formulation.is_active:
        return []
    return list(allowed_transitions(section.state, section_roles(user, section, ub)))


def can_edit_section(user: Any, section: Section, ub: UserBodies | None = None) -> bool:
    return can_edit(section.state, section_roles(user, section, ub))


# --- organisation and schedule ----------------------------------------------------------------


def is_secretariat(user: Any, ub: UserBodies | None = None) -> bool:
    ub = ub or user_bodies(user)
    return ub.superuser or ub.has_kind(Body.Kind.SECRETARIAT)


def can_create_formulation(user: Any) -> bool:
    return is_staff_user(user) and (user.is_superuser or user.has_perm("workflow.add_formulation"))


def can_manage_formulation(user: Any, formulation: Formulation | None = None) -> bool:
    """Organisation, memberships, section list and schedule: the secretariat of that
    formulation (of any active one when none is given), the system administrator, or staff given
    the `workflow.change_formulation` permission (to set up a formulation before its secretariat
    exists)."""
    if not is_staff_user(user):
        return False
    if user.is_superuser or user.has_perm("workflow.change_formulation"):
        return True
    qs = Membership.objects.filter(user=user, body__kind=Body.Kind.SECRETARIAT)
    if formulation is not None:
        return qs.filter(body__formulation=formulation).exists()
    return qs.filter(body__formulation__status=Formulation.Status.ACTIVE).exists()


def can_update_task(user: Any, task: Any) -> bool:
    """The secretariat, or a member of the body that owns the task."""
    if can_manage_formulation(user, task.phase.formulation):
        return True
    if not is_staff_user(user) or task.owner_id is None:
        return False
    return Membership.objects.filter(user=user, body_id=task.owner_id).exists()


def can_manage_security(user: Any) -> bool:
    return is_staff_user(user) and bool(user.is_superuser)


# --- the object policy for the plan-structure views -------------------------------------------


def _edition_id_of(obj: Any) -> int | None:
    from keikaku.plans import models as pm

    if isinstance(obj, pm.Edition):
        return obj.pk
    if isinstance(obj, pm.PolicyArea | pm.PriorityStrategy | pm.Programme):
        return obj.edition_id
    if isinstance(obj, pm.Measure):
        return obj.area.edition_id if obj.area_id else None
    return None


def _target_of(obj: Any) -> tuple[str, Any] | None:
    """The plan section an object belongs to: ("measure", Measure), ("strategy", Strategy),
    ("edition", Edition), ("area", PolicyArea) or None (not part of a section)."""
    from keikaku.plans import models as pm

    if isinstance(obj, pm.Measure):
        return ("measure", obj)
    if isinstance(obj, pm.Initiative):
        return ("measure", obj.measure) if obj.measure_id else None
    if isinstance(obj, pm.Indicator):
        if obj.measure_id:
            return ("measure", obj.measure)
        if obj.strategy_id:
            return ("strategy", obj.strategy)
        return None
    if isinstance(obj, pm.IndicatorValue):
        return _target_of(obj.indicator) if obj.indicator_id else None
    if isinstance(obj, pm.Programme):
        return ("measure", obj.measure) if obj.measure_id else None
    if isinstance(obj, pm.ProgrammeCost):
        return _target_of(obj.programme) if obj.programme_id else None
    if isinstance(obj, pm.PriorityStrategy):
        return ("strategy", obj)
    if isinstance(obj, pm.Edition):
        return ("edition", obj)
    if isinstance(obj, pm.PolicyArea):
        return ("area", obj)
    return None


def _active_formulation(edition_id: int | None) -> Formulation | None:
    if edition_id is None:
        return None
    return Formulation.objects.filter(
        edition_id=edition_id, status=Formulation.Status.ACTIVE
    ).first()


def _section_state_and_authors(
    formulation: Formulation, kind: str, target: Any
) -> tuple[State, frozenset[int]]:
    """State and drafting bodies; an object without a section yet counts as being drafted."""
    if kind == "measure":
        section = Section.objects.filter(measure_id=target.pk).first() if target.pk else None
        authors = _area_author_ids(formulation.pk, target.area_id) if target.area_id else None
        return (
            State(section.state) if section else State.DRAFTING,
            authors if authors is not None else frozenset(),
        )
    if kind == "strategy":
        section = Section.objects.filter(strategy_id=target.pk).first() if target.pk else None
    else:  # edition → introduction
        section = Section.objects.filter(
            formulation=formulation, kind=Section.Kind.INTRODUCTION
        ).first()
    if section is None:
        return State.DRAFTING, frozenset()
    return State(section.state), author_body_ids(section)


def _unpublishable(formulation: Formulation) -> bool:
    return (
        Section.objects.filter(formulation=formulation)
        .exclude(state__in=[s.value for s in PUBLISHABLE])
        .exists()
    )


def plan_object_policy(user: Any, action: str, obj: Any) -> bool | None:
    """Refine `plans.rules.can_edit_object` for plan content under formulation.

    Returns None (no opinion) outside an active formulation and for the system administrator;
    False denies.
    """
    if getattr(user, "is_superuser", False):
        return None
    target = _target_of(obj)
    if target is None:
        return None
    kind, thing = target
    formulation = _active_formulation(_edition_id_of(thing))
    if formulation is None:
        return None
    ub = user_bodies(user)
    if action == "publish":
        if kind == "edition":
            return not _unpublishable(formulation)
        state, _authors = _section_state_and_authors(formulation, kind, thing)
        return state in PUBLISHABLE
    if kind == "area":
        return is_secretariat(user, ub)
    if kind == "edition" and action == "delete":
        return False
    if kind in ("measure", "strategy") and obj is thing and action in ("add", "delete"):
        if kind == "strategy" or action == "delete":
            return is_secretariat(user, ub)
    state, authors = _section_state_and_authors(formulation, kind, thing)
    return can_edit(state, roles_from(ub, authors))
