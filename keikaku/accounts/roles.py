"""Role names of staff users, gathered from the apps that define roles.

`accounts` knows no formulation bodies; the workflow app registers a provider at start-up
(AppConfig.ready) that answers the role names a user holds ("secretariat", "headquarters",
"subcommittee_lead", "consultant", …). Security rules here (two-factor required for some
roles, no personal data for consultants) use those names without importing the workflow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings

from keikaku.accounts.rules import is_staff_user

RoleProvider = Callable[[Any], Iterable[str]]
_providers: list[RoleProvider] = []

#: Role names that can never see citizens' personal data, whatever permissions they hold.
NO_PERSONAL_DATA_ROLES = frozenset({"consultant"})


def register_role_provider(provider: RoleProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def user_roles(user: Any) -> frozenset[str]:
    """Every role name the user holds: "staff", "superuser" and the registered ones."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    roles: set[str] = set()
    if user.is_staff:
        roles.add("staff")
    if user.is_superuser:
        roles.add("superuser")
    for provider in _providers:
        roles.update(provider(user))
    return frozenset(roles)


def totp_required_roles() -> frozenset[str]:
    return frozenset(getattr(settings, "KEIKAKU_TOTP_REQUIRED_ROLES", ()))


def totp_required(user: Any) -> bool:
    """Whether the user must sign in with a one-time code (a role listed in the setting)."""
    return bool(user_roles(user) & totp_required_roles())


def can_view_personal_data(user: Any, perm: str) -> bool:
    """Citizens' personal data: staff with `perm` (an app's own permission), never consultants."""
    if not is_staff_user(user):
        return False
    if user_roles(user) & NO_PERSONAL_DATA_ROLES:
        return False
    return bool(user.is_superuser or user.has_perm(perm))
