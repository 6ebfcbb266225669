"""Staff sign-in security: throttling with lock-out, TOTP two-factor devices, audit records.

Settings: KEIKAKU_LOGIN_MAX_FAILURES (per user name), KEIKAKU_LOGIN_MAX_FAILURES_PER_IP,
KEIKAKU_LOGIN_LOCKOUT_SECONDS (lock length, and the window after which failures are forgotten),
KEIKAKU_TOTP_ISSUER (name shown in the authenticator app).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass
from typing import Any

import pyotp
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keikaku.accounts.models import LoginThrottle, TOTPDevice
from keikaku.core.services import audit_record

TOTP_INTERVAL = 30


def _max_failures() -> int:
    return int(getattr(settings, "KEIKAKU_LOGIN_MAX_FAILURES", 5))


def _max_failures_ip() -> int:
    return int(getattr(settings, "KEIKAKU_LOGIN_MAX_FAILURES_PER_IP", 50))


def _lockout() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "KEIKAKU_LOGIN_LOCKOUT_SECONDS", 900)))


def user_key(username: str) -> str:
    return f"user:{(username or '').strip().casefold()}"[:200]


def ip_key(address: str | None) -> str:
    return f"ip:{address or 'unknown'}"[:200]


@dataclass(frozen=True)
class Lock:
    until: dt.datetime

    @property
    def minutes(self) -> int:
        return max(1, math.ceil((self.until - timezone.now()).total_seconds() / 60))

    @property
    def message(self) -> str:
        return _(
            "ログインに続けて失敗したため、一時的にログインできなくなっています。"
            "%(minutes)d 分ほど待ってから、もう一度お試しください。"
            "パスワードが分からない場合は、システム管理者に連絡してください。"
        ) % {"minutes": self.minutes}


def login_lock_get(*, username: str, address: str | None) -> Lock | None:
    """The lock that applies to this user name or address now, if any."""
    now = timezone.now()
    rows = LoginThrottle.objects.filter(
        key__in=[user_key(username), ip_key(address)], locked_until__gt=now
    ).order_by("-locked_until")
    row = rows.first()
    return Lock(row.locked_until) if row and row.locked_until else None


def _count_failure(key: str, limit: int, note: str) -> bool:
    """Add one failure to `key`; lock it when the limit is reached. True when it locked now."""
    now = timezone.now()
    window = _lockout()
    row, _created = LoginThrottle.objects.select_for_update().get_or_create(key=key)
    if row.last_failure_at and now - row.last_failure_at > window:
        row.failures = 0
    if row.locked_until and row.locked_until <= now:
        row.failures = 0
        row.locked_until = None
    row.failures += 1
    row.last_failure_at = now
    locked_now = False
    if row.failures >= limit and row.locked_until is None:
        row.locked_until = now + window
        locked_now = True
    row.save()
    if locked_now and row.locked_until is not None:
        audit_record(
            actor=None,
            action="login_locked",
            obj=row,
            before=None,
            after={"key": key, "failures": row.failures, "until": row.locked_until.isoformat()},
            note=note,
        )
    return locked_now


@transaction.atomic
def login_failure_record(*, username: str, address: str | None) -> Lock | None:
    """Count a failed sign-in (password or one-time code). Returns the lock if now locked."""
    note = _("ログインの失敗が続いたためロックしました。")
    _count_failure(user_key(username), _max_failures(), note)
    _count_failure(ip_key(address), _max_failures_ip(), note)
    return login_lock_get(username=username, address=address)


@transaction.atomic
def login_success_record(*, username: str) -> None:
    LoginThrottle.objects.filter(key=user_key(username)).update(failures=0, locked_until=None)


@transaction.atomic
def login_lock_clear(*, key: str, actor: Any) -> None:
    """An administrator lifts a lock (audited)."""
    row = LoginThrottle.objects.select_for_update().filter(key=key).first()
    if row is None:
        return
    before = {"failures": row.failures, "locked_until": row.locked_until}
    LoginThrottle.objects.filter(pk=row.pk).update(failures=0, locked_until=None)
    audit_record(
        actor=actor,
        action="login_unlock",
        obj=row,
        before={k: str(v) for k, v in before.items()},
        after={"failures": 0, "locked_until": None},
    )


# --- TOTP -----------------------------------------------------------------------------------


def _issuer() -> str:
    return str(getattr(settings, "KEIKAKU_TOTP_ISSUER", "") or "Keikaku")


def totp_device_get(user: Any) -> TOTPDevice | None:
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user=user).first()


def totp_enabled(user: Any) -> bool:
    device = totp_device_get(user)
    return bool(device and device.confirmed)


def totp_new_secret() -> str:
    return pyotp.random_base32()


def totp_provisioning_uri(*, secret: str, username: str) -> str:
    return pyotp.TOTP(secret, interval=TOTP_INTERVAL).provisioning_uri(
        name=username, issuer_name=_issuer()
    )


def _matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    code = "".join(ch for ch in (code or "") if not ch.isspace())
    if not (code.isdigit() and len(code) == 6):
        return None
    now = time.time() if at is None else at
    totp = pyotp.TOTP(secret, interval=TOTP_INTERVAL)
    step = int(now // TOTP_INTERVAL)
    for candidate in (step, step - 1, step + 1):
        if pyotp.utils.strings_equal(totp.at(candidate * TOTP_INTERVAL), code):
            return candidate
    return None


@transaction.atomic
def totp_verify(*, user: Any, code: str, at: float | None = None) -> bool:
    """Check a code of the user's confirmed device; a code is accepted once (no replay)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return False
    step = _matching_step(device.secret, code, at)
    if step is None:
        return False
    updated = TOTPDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
        last_used_step=step
    )
    return updated == 1


@transaction.atomic
def totp_device_confirm(*, user: Any, secret: str, code: str, at: float | None = None) -> bool:
    """Turn on two-factor sign-in with `secret` once the user proves the app shows `code`."""
    step = _matching_step(secret, code, at)
    if step is None:
        return False
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, secret=secret, confirmed=True, confirmed_at=timezone.now(), last_used_step=step
    )
    audit_record(
        actor=user,
        action="totp_enable",
        obj=device,
        before=None,
        after={"user": user.get_username(), "confirmed": True},
    )
    return True


@transaction.atomic
def totp_device_remove(*, user: Any, actor: Any) -> bool:
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None:
        return False
    audit_record(
        actor=actor,
        action="totp_disable",
        obj=device,
        before={"user": user.get_username(), "confirmed": device.confirmed},
        after=None,
    )
    device.delete()
    return True


def password_change_record(*, user: Any) -> None:
    audit_record(
        actor=user,
        action="password_change",
        obj=user,
        before=None,
        after={"user": user.get_username()},
    )
