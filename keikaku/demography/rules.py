"""Who may do what with the population vision.

Viewing needs a staff account; importing, editing scenarios, running projections and
editing the outlook follow the plan editors' right (plans.change_measure); publishing the
outlook follows the plan publishers' right (plans.change_edition). Superusers may do all.
"""

from __future__ import annotations

from typing import Any

from keikaku.plans.rules import can_edit_plan, can_publish, is_staff_user, staff_required

__all__ = ["can_edit_population", "can_publish_outlook", "is_staff_user", "staff_required"]


def can_edit_population(user: Any) -> bool:
    return can_edit_plan(user)


def can_publish_outlook(user: Any) -> bool:
    return can_publish(user)
