"""Who may do what with the citizen survey.

- any staff member may look at waves, results and reports;
- designing waves, issuing codes, opening and closing, and linking indicators need the
  permission 「市民意識調査を変更できる」 (surveys.change_surveywave);
- keying in and importing paper questionnaires need 「回答を追加できる」
  (surveys.add_surveyresponse) or the design permission.
"""

from __future__ import annotations

from typing import Any

from keikaku.accounts.rules import is_staff_user, staff_required

__all__ = ["can_design", "can_enter", "can_view", "staff_required"]


def can_view(user: Any) -> bool:
    return is_staff_user(user)


def can_design(user: Any) -> bool:
    return is_staff_user(user) and (user.is_superuser or user.has_perm("surveys.change_surveywave"))


def can_enter(user: Any) -> bool:
    return is_staff_user(user) and (can_design(user) or user.has_perm("surveys.add_surveyresponse"))
