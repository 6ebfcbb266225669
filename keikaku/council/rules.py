"""Who may do what with the council and assembly records. Every view asks here.

- any active staff user: read the staff pages of meetings, members, documents, reports, bills;
- ``council.manage_council``: edit and publish the council's records (members, calls,
  meetings, materials, attendance, minutes, 諮問・答申), read applications (their essays)
  and record the selection;
- ``council.view_applicantpersonaldata``: see applicants' names, birth dates, addresses and
  contacts (every view logged); never for consultants (accounts.roles);
- ``council.manage_assembly``: edit and publish reports to the assembly and bills.
"""

from __future__ import annotations

from typing import Any

from keikaku.accounts import roles
from keikaku.accounts.rules import is_staff_user, staff_required

__all__ = [
    "PERSONAL_DATA_PERMISSION",
    "can_manage_assembly",
    "can_manage_council",
    "can_view",
    "can_view_applications",
    "can_view_personal_data",
    "staff_required",
]

PERSONAL_DATA_PERMISSION = "council.view_applicantpersonaldata"


def _has(user: Any, perm: str) -> bool:
    return is_staff_user(user) and (user.is_superuser or user.has_perm(perm))


def can_view(user: Any) -> bool:
    return is_staff_user(user)


def can_manage_council(user: Any) -> bool:
    return _has(user, "council.manage_council")


def can_view_applications(user: Any) -> bool:
    """Applications (essays, selection) are for those who run the recruitment."""
    return can_manage_council(user)


def can_view_personal_data(user: Any) -> bool:
    return can_view_applications(user) and roles.can_view_personal_data(
        user, PERSONAL_DATA_PERMISSION
    )


def can_manage_assembly(user: Any) -> bool:
    return _has(user, "council.manage_assembly")
