"""Who may do what with citizens' voices. Every view asks here.

- any active staff user: read opinions (text masked), hearings and rounds;
- ``participation.change_opinion``: record opinions, assign, set status, notes, replies;
- ``participation.moderate_opinion``: hide / unhide an opinion (with a reason);
- ``participation.view_personaldata``: see names, addresses, contacts and the unmasked
  text (every view logged);
- ``participation.change_hearing``: record hearings and opinion exchanges;
- ``participation.change_publiccommentround``: set up rounds, the draft, materials, groups;
- ``participation.publish_result``: publish the formal result of a round.
"""

from __future__ import annotations

from typing import Any

from keikaku.accounts.rules import is_staff_user, staff_required

__all__ = [
    "can_manage_hearings",
    "can_manage_opinions",
    "can_manage_rounds",
    "can_moderate",
    "can_publish_result",
    "can_view_opinions",
    "can_view_personal_data",
    "staff_required",
]


def _has(user: Any, perm: str) -> bool:
    return is_staff_user(user) and (user.is_superuser or user.has_perm(perm))


def can_view_opinions(user: Any) -> bool:
    return is_staff_user(user)


def can_manage_opinions(user: Any) -> bool:
    return _has(user, "participation.change_opinion")


def can_moderate(user: Any) -> bool:
    return _has(user, "participation.moderate_opinion")


def can_view_personal_data(user: Any) -> bool:
    return _has(user, "participation.view_personaldata")


def can_manage_hearings(user: Any) -> bool:
    return _has(user, "participation.change_hearing")


def can_manage_rounds(user: Any) -> bool:
    return _has(user, "participation.change_publiccommentround")


def can_publish_result(user: Any) -> bool:
    return _has(user, "participation.publish_result")
