"""Who may do what in the resilience app.

Viewing needs a staff account. Editing the regional plan, the action plan, sites, sectoral
plans and framework tags follows the plan editors' right (plans.change_measure); importing
reference data (catalogues, frameworks) and publishing follow the publishers' right
(plans.change_edition). Superusers may do all.
"""

from __future__ import annotations

from typing import Any

from keikaku.plans.rules import can_edit_plan, can_publish, is_staff_user, staff_required

__all__ = [
    "can_edit_resilience",
    "can_import_reference",
    "can_publish_resilience",
    "is_staff_user",
    "staff_required",
]


def can_edit_resilience(user: Any) -> bool:
    return can_edit_plan(user)


def can_publish_resilience(user: Any) -> bool:
    return can_publish(user)


def can_import_reference(user: Any) -> bool:
    return can_publish(user)
