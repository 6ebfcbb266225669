"""Who may do what in the yearly evaluation.

- Every staff user may read rounds, sheets and reports.
- The **secretariat** (事務局: superusers, holders of ``evaluation.confirm_sheet`` or of the
  plan publishers' right ``plans.change_edition``) creates rounds, edits any sheet in any
  state, enters the council's external comment, confirms or returns submitted sheets,
  enters actuals for any indicator and publishes results. Carrying a plan over to the next
  edition also needs ``plans.change_edition``.
- A **department** user (``User.department``) edits and submits, while they are drafts,
  the sheets of measures and programmes assigned to their section — or to any section of
  their department when they belong to a 部 — and enters the actuals and costs of those
  measures' indicators and programmes. Confirmed and submitted sheets are read-only for
  them. (Department-only editing until the formulation workflow's permissions apply here.)
- The actuals of a **priority strategy's** own indicators (重点戦略の成果指標) are entered by
  the secretariat: a strategy cuts across departments and belongs to no single one.
- Every staff user may have the report's PDF made (in the background) and download it.
"""

from __future__ import annotations

from typing import Any

from keikaku.accounts.models import Department
from keikaku.plans.rules import can_publish, is_staff_user, staff_required

__all__ = [
    "can_carry_over",
    "can_confirm",
    "can_edit_external_comment",
    "can_edit_measure_sheet",
    "can_edit_programme_sheet",
    "can_enter_for_indicator",
    "can_enter_for_measure",
    "can_generate_report",
    "can_enter_for_programme",
    "can_manage_rounds",
    "can_return",
    "can_submit",
    "department_scope",
    "is_secretariat",
    "is_staff_user",
    "staff_required",
]


def is_secretariat(user: Any) -> bool:
    if not is_staff_user(user):
        return False
    return bool(
        user.is_superuser
        or user.has_perm("evaluation.confirm_sheet")
        or user.has_perm("plans.change_edition")
    )


def department_scope(user: Any) -> frozenset[int]:
    """Ids of the departments whose items the user may enter: their own and its sections."""
    if not is_staff_user(user):
        return frozenset()
    dept_id = getattr(user, "department_id", None)
    if dept_id is None:
        return frozenset()
    cache = getattr(user, "_evaluation_scope", None)
    if cache is not None:
        return frozenset(cache)
    ids = {dept_id, *Department.objects.filter(parent_id=dept_id).values_list("id", flat=True)}
    user._evaluation_scope = frozenset(ids)
    return frozenset(ids)


def _measure_departments(measure: Any) -> set[int]:
    cached = getattr(measure, "_prefetched_objects_cache", {}).get("departments")
    if cached is not None:
        return {d.pk for d in cached}
    return set(measure.departments.values_list("id", flat=True))


def can_enter_for_measure(user: Any, measure: Any) -> bool:
    if is_secretariat(user):
        return True
    scope = department_scope(user)
    return bool(scope and _measure_departments(measure) & scope)


def can_enter_for_indicator(user: Any, indicator: Any) -> bool:
    """A measure's indicator: as its measure; a strategy's indicator: the secretariat."""
    if indicator.measure_id is not None:
        return can_enter_for_measure(user, indicator.measure)
    return is_secretariat(user)


def can_generate_report(user: Any) -> bool:
    return is_staff_user(user)


def can_enter_for_programme(user: Any, programme: Any) -> bool:
    if is_secretariat(user):
        return True
    scope = department_scope(user)
    if not scope:
        return False
    if programme.department_id in scope:
        return True
    return programme.measure is not None and can_enter_for_measure(user, programme.measure)


def can_manage_rounds(user: Any) -> bool:
    return is_secretariat(user)


def can_edit_measure_sheet(user: Any, sheet: Any) -> bool:
    if is_secretariat(user):
        return True
    return sheet.status == "draft" and can_enter_for_measure(user, sheet.measure)


def can_edit_programme_sheet(user: Any, sheet: Any) -> bool:
    if is_secretariat(user):
        return True
    return sheet.status == "draft" and can_enter_for_programme(user, sheet.programme)


def can_submit(user: Any, sheet: Any) -> bool:
    if sheet.status != "draft":
        return False
    if hasattr(sheet, "measure_id"):
        return can_edit_measure_sheet(user, sheet)
    return can_edit_programme_sheet(user, sheet)


def can_confirm(user: Any, sheet: Any) -> bool:
    return sheet.status == "submitted" and is_secretariat(user)


def can_return(user: Any, sheet: Any) -> bool:
    return sheet.status in ("submitted", "confirmed") and is_secretariat(user)


def can_edit_external_comment(user: Any) -> bool:
    return is_secretariat(user)


def can_carry_over(user: Any) -> bool:
    return can_publish(user)
