"""Session expiry and the two-factor requirement for signed-in staff.

- Idle expiry: no request for KEIKAKU_SESSION_IDLE_SECONDS signs the user out.
- Absolute expiry: SESSION_COOKIE_AGE seconds after sign-in the user signs in again.
- Two-factor: a user whose role is listed in KEIKAKU_TOTP_REQUIRED_ROLES and whose session
  was not confirmed with a code (e.g. the role was given after sign-in) is signed out of the
  staff pages and asked to sign in again with a code.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from keikaku.accounts.roles import totp_required

SESSION_SEEN_AT = "kk_seen_at"
SESSION_LOGIN_AT = "kk_login_at"
SESSION_OTP = "kk_otp_verified"
TOUCH_EVERY = 60  # seconds: the last-seen stamp is rewritten at most once a minute
PROTECTED_PREFIXES = ("/staff/", "/admin/")
OPEN_PATHS = ("/staff/login/", "/staff/logout/")


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        session = request.session
        now = int(time.time())
        login_at = session.get(SESSION_LOGIN_AT)
        if login_at is None:
            session[SESSION_LOGIN_AT] = login_at = now
        seen = session.get(SESSION_SEEN_AT)
        idle = int(getattr(settings, "KEIKAKU_SESSION_IDLE_SECONDS", 0) or 0)
        max_age = int(settings.SESSION_COOKIE_AGE or 0)
        protected = request.path.startswith(PROTECTED_PREFIXES) and not request.path.startswith(
            OPEN_PATHS
        )
        reason = ""
        if idle and seen is not None and now - int(seen) > idle:
            reason = _(
                "しばらく操作がなかったため、ログアウトしました。もう一度ログインしてください。"
            )
        elif max_age and now - int(login_at) > max_age:
            reason = _(
                "ログインの有効期間が過ぎたため、ログアウトしました。もう一度ログインしてください。"
            )
        elif protected and not session.get(SESSION_OTP) and totp_required(request.user):
            reason = _(
                "あなたの役割では確認コード（二要素認証）によるログインが必要です。もう一度ログインしてください。"
            )
        if reason:
            logout(request)
            messages.info(request, reason)
            if protected:
                return redirect_to_login(request.get_full_path())
            return None
        if seen is None or now - int(seen) >= TOUCH_EVERY:
            session[SESSION_SEEN_AT] = now
        return None
