"""Who may do what with the opinion analysis (広聴分析).

Viewing runs and results needs a staff account. Starting runs, deciding measures, merging or
splitting groups and editing the lexicon need the analysis right (``analysis.analyse_opinions``)
or the plan editors' right (``plans.change_measure``). Superusers may do all.
"""

from __future__ import annotations

from typing import Any

from keikaku.plans.rules import can_edit_plan, is_staff_user, staff_required

__all__ = ["can_analyse", "is_staff_user", "staff_required"]


def can_analyse(user: Any) -> bool:
    if not is_staff_user(user):
        return False
    return bool(
        user.is_superuser or user.has_perm("analysis.analyse_opinions") or can_edit_plan(user)
    )
