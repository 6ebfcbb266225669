"""The drafting workflow of one plan section (a measure, a priority strategy or the introduction).

States (策定過程)::

    作成中 → 部会案 → 本部調整 → 素案 → 原案 → 最終案（経営会議決定） → 議決済

Headquarters may return a proposal (部会案 or 本部調整) to 作成中 with a comment; the management
council may send a 原案 back to 素案. Who may take which step is decided by *section roles*:
the roles a user holds with respect to one section (see :class:`Role`). The table is data
(:data:`TRANSITIONS`), so a city with a different process changes it in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from keikaku.core.domain.i18n import _


class State(StrEnum):
    DRAFTING = "drafting"
    PROPOSED = "proposed"
    HQ_REVIEW = "hq_review"
    DRAFT = "draft"
    FINAL_DRAFT = "final_draft"
    DECIDED = "decided"
    ENACTED = "enacted"


STATE_ORDER: tuple[State, ...] = tuple(State)


def state_label(state: State | str) -> str:
    labels = {
        State.DRAFTING: _("作成中"),
        State.PROPOSED: _("部会案"),
        State.HQ_REVIEW: _("本部調整"),
        State.DRAFT: _("素案"),
        State.FINAL_DRAFT: _("原案"),
        State.DECIDED: _("最終案（経営会議決定）"),
        State.ENACTED: _("議決済"),
    }
    return labels[State(state)]


def state_index(state: State | str) -> int:
    """Position in the forward order (作成中 = 0 … 議決済 = 6)."""
    return STATE_ORDER.index(State(state))


class Role(StrEnum):
    """What a user is with respect to one section.

    AUTHOR / AUTHOR_LEAD: member / chair (部会長) of the body that drafts the section (the
    specialist subcommittee whose policy areas contain the measure, or the body named as the
    section's owner). The other roles come from membership of the formulation bodies.
    STAFF: any member of staff (all staff read drafts and comment: 全職員参加).
    SUPERUSER: the system administrator, who may do everything.
    """

    STAFF = "staff"
    AUTHOR = "author"
    AUTHOR_LEAD = "author_lead"
    HEADQUARTERS = "headquarters"
    SECRETARIAT = "secretariat"
    MANAGEMENT_COUNCIL = "management_council"
    CONSULTANT = "consultant"
    SUPERUSER = "superuser"


def role_label(role: Role | str) -> str:
    labels = {
        Role.STAFF: _("職員"),
        Role.AUTHOR: _("作成担当（専門部会員）"),
        Role.AUTHOR_LEAD: _("作成担当の長（部会長）"),
        Role.HEADQUARTERS: _("策定本部"),
        Role.SECRETARIAT: _("事務局"),
        Role.MANAGEMENT_COUNCIL: _("経営会議"),
        Role.CONSULTANT: _("コンサルタント"),
        Role.SUPERUSER: _("システム管理者"),
    }
    return labels[Role(role)]


@dataclass(frozen=True)
class Transition:
    """One allowed step: ``action`` moves a section from ``source`` to ``target``.

    ``snapshot``: the content is kept as a new version when the step is taken.
    ``comment_required``: the step needs a reason (returns).
    """

    action: str
    source: State
    target: State
    roles: frozenset[Role]
    snapshot: bool = False
    comment_required: bool = False

    @property
    def label(self) -> str:
        return action_label(self.action)


def action_label(action: str) -> str:
    labels = {
        "submit": _("部会案として提出"),
        "withdraw": _("提出を取り下げる"),
        "approve": _("承認して本部調整へ進める"),
        "return": _("コメントを付けて差し戻す"),
        "promote_draft": _("素案にする"),
        "reopen": _("本部調整に戻す"),
        "promote_final": _("原案にする"),
        "decide": _("最終案として決定する（経営会議）"),
        "send_back": _("素案に差し戻す（経営会議）"),
        "enact": _("議決済にする"),
    }
    return labels.get(action, action)


def _t(
    action: str,
    source: State,
    target: State,
    *roles: Role,
    snapshot: bool = False,
    comment_required: bool = False,
) -> Transition:
    return Transition(action, source, target, frozenset(roles), snapshot, comment_required)


TRANSITIONS: tuple[Transition, ...] = (
    _t(
        "submit",
        State.DRAFTING,
        State.PROPOSED,
        Role.AUTHOR,
        Role.AUTHOR_LEAD,
        Role.SECRETARIAT,
        snapshot=True,
    ),  # fmt: skip
    _t("withdraw", State.PROPOSED, State.DRAFTING, Role.AUTHOR_LEAD, Role.SECRETARIAT),
    _t("approve", State.PROPOSED, State.HQ_REVIEW, Role.HEADQUARTERS, snapshot=True),
    _t("return", State.PROPOSED, State.DRAFTING, Role.HEADQUARTERS, comment_required=True),
    _t("return", State.HQ_REVIEW, State.DRAFTING, Role.HEADQUARTERS, comment_required=True),
    _t("promote_draft", State.HQ_REVIEW, State.DRAFT, Role.SECRETARIAT, snapshot=True),
    _t("reopen", State.DRAFT, State.HQ_REVIEW, Role.HEADQUARTERS, comment_required=True),
    _t(
        "promote_final",
        State.DRAFT,
        State.FINAL_DRAFT,
        Role.HEADQUARTERS,
        Role.SECRETARIAT,
        snapshot=True,
    ),  # fmt: skip
    _t("decide", State.FINAL_DRAFT, State.DECIDED, Role.MANAGEMENT_COUNCIL, snapshot=True),
    _t(
        "send_back", State.FINAL_DRAFT, State.DRAFT, Role.MANAGEMENT_COUNCIL, comment_required=True
    ),  # fmt: skip
    _t("enact", State.DECIDED, State.ENACTED, Role.SECRETARIAT, snapshot=True),
)

#: Who may change a section's content in each state (besides the system administrator).
EDIT_ROLES: dict[State, frozenset[Role]] = {
    State.DRAFTING: frozenset({Role.AUTHOR, Role.AUTHOR_LEAD, Role.SECRETARIAT}),
    State.PROPOSED: frozenset({Role.AUTHOR_LEAD, Role.SECRETARIAT}),
    State.HQ_REVIEW: frozenset({Role.SECRETARIAT}),
    State.DRAFT: frozenset({Role.SECRETARIAT}),
    State.FINAL_DRAFT: frozenset({Role.SECRETARIAT}),
    State.DECIDED: frozenset(),
    State.ENACTED: frozenset(),
}

#: States whose content may be published on the public site (素案 is published for comment).
PUBLISHABLE: frozenset[State] = frozenset(
    {State.DRAFT, State.FINAL_DRAFT, State.DECIDED, State.ENACTED}
)


class TransitionRefused(ValueError):
    """The step is not allowed (wrong state, wrong role, missing comment)."""


def _holds(roles: Iterable[Role | str], allowed: frozenset[Role]) -> bool:
    held = {Role(r) for r in roles}
    return Role.SUPERUSER in held or bool(held & allowed)


def transitions_from(state: State | str) -> tuple[Transition, ...]:
    return tuple(t for t in TRANSITIONS if t.source == State(state))


def allowed_transitions(state: State | str, roles: Iterable[Role | str]) -> tuple[Transition, ...]:
    """The steps a holder of ``roles`` may take from ``state`` (table order)."""
    held = frozenset(Role(r) for r in roles)
    return tuple(t for t in transitions_from(state) if _holds(held, t.roles))


def can_edit(state: State | str, roles: Iterable[Role | str]) -> bool:
    return _holds(roles, EDIT_ROLES[State(state)])


def check_transition(
    state: State | str, action: str, roles: Iterable[Role | str], comment: str
) -> Transition:
    """The transition for ``action`` from ``state``, or TransitionRefused saying why not."""
    held = frozenset(Role(r) for r in roles)
    candidates = [t for t in transitions_from(state) if t.action == action]
    if not candidates:
        raise TransitionRefused(
            _("「%(state)s」の状態からは「%(action)s」はできません。")
            % {"state": state_label(state), "action": action_label(action)}
        )
    transition = candidates[0]
    if not _holds(held, transition.roles):
        who = "・".join(role_label(r) for r in sorted(transition.roles, key=list(Role).index))
        raise TransitionRefused(
            _("「%(action)s」は%(who)sだけが行えます。")
            % {"action": action_label(action), "who": who}
        )
    if transition.comment_required and not comment.strip():
        raise TransitionRefused(
            _("「%(action)s」には理由のコメントが必要です。コメント欄に入力してください。")
            % {"action": action_label(action)}
        )
    return transition
