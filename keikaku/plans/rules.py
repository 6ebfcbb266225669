"""Who may do what with the plan structure.

Apps above `plans` (the formulation workflow, for instance) refine these rules without
`plans` importing them: they register object policies at start-up (AppConfig.ready) with
`register_object_policy`. A policy answers True (allowed), False (denied) or None (no opinion)
for (user, action, obj); any False denies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from keikaku.accounts.rules import is_staff_user, staff_required

__all__ = [
    "can_edit_object",
    "can_edit_plan",
    "can_publish",
    "is_staff_user",
    "register_object_policy",
    "staff_required",
]

ObjectPolicy = Callable[[Any, str, Any], bool | None]
_policies: list[ObjectPolicy] = []


def register_object_policy(policy: ObjectPolicy) -> None:
    if policy not in _policies:
        _policies.append(policy)


def can_edit_plan(user: Any) -> bool:
    return is_staff_user(user) and (user.is_superuser or user.has_perm("plans.change_measure"))


def can_publish(user: Any) -> bool:
    return is_staff_user(user) and (user.is_superuser or user.has_perm("plans.change_edition"))


def can_edit_object(user: Any, obj: Any, action: str = "change") -> bool:
    """Object-level check used by the staff views (action: add, change, delete, publish)."""
    base = can_publish(user) if action == "publish" else can_edit_plan(user)
    if not base:
        return False
    return all(policy(user, action, obj) is not False for policy in _policies)
