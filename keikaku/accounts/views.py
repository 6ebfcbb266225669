"""Staff sign-in with throttling and optional two-factor codes; the staff security page.

Sign-in is two steps when the user has an authenticator app (TOTP) or holds a role listed in
KEIKAKU_TOTP_REQUIRED_ROLES: the password step remembers the user in the session (not signed
in yet) and the code step signs in. A user whose role requires a code but who has no app yet
registers one in the code step. Failures of either step count towards the lock-out.
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from keikaku.accounts import security
from keikaku.accounts.models import LoginThrottle
from keikaku.accounts.roles import totp_required
from keikaku.accounts.rules import staff_required

PENDING = "kk_pending_login"
PENDING_SECONDS = 300
SESSION_OTP = "kk_otp_verified"
SESSION_LOGIN_AT = "kk_login_at"
ENROL_SECRET = "kk_totp_enrol_secret"


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "")


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, refused while the user name or address is locked; every failure
    is counted."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request) if self.request else ""
        lock = security.login_lock_get(username=username, address=address)
        if lock is not None:
            raise ValidationError(lock.message, code="locked")
        try:
            return super().clean()
        except ValidationError:
            lock = security.login_failure_record(username=username, address=address)
            if lock is not None:
                raise ValidationError(lock.message, code="locked") from None
            raise


def _finish_login(request: HttpRequest, user: Any, backend: str, *, otp: bool) -> None:
    auth_login(request, user, backend=backend)
    request.session[SESSION_LOGIN_AT] = int(time.time())
    request.session[SESSION_OTP] = otp
    security.login_success_record(username=user.get_username())


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    form_class = ThrottledAuthenticationForm

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if security.totp_enabled(user) or totp_required(user):
            self.request.session[PENDING] = {
                "user_id": user.pk,
                "backend": user.backend,
                "at": int(time.time()),
                "next": self.get_success_url(),
            }
            return redirect("staff:login_otp")
        _finish_login(self.request, user, user.backend, otp=False)
        return redirect(self.get_success_url())


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("確認コード（6桁）"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not pending or int(time.time()) - int(pending.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()
    return (user, pending) if user else None


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_otp(request: HttpRequest) -> HttpResponse:
    """Second sign-in step: a code from the authenticator app (or registering the app)."""
    found = _pending_user(request)
    if found is None:
        messages.info(request, _("もう一度、ユーザー名とパスワードを入力してください。"))
        return redirect("staff:login")
    user, pending = found
    enrol = not security.totp_enabled(user)
    secret = ""
    if enrol:
        secret = request.session.get(ENROL_SECRET) or security.totp_new_secret()
        request.session[ENROL_SECRET] = secret
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = user.get_username()
        address = client_address(request)
        lock = security.login_lock_get(username=username, address=address)
        if lock is not None:
            form.add_error(None, lock.message)
        else:
            code = form.cleaned_data["code"]
            ok = (
                security.totp_device_confirm(user=user, secret=secret, code=code)
                if enrol
                else security.totp_verify(user=user, code=code)
            )
            if ok:
                request.session.pop(PENDING, None)
                request.session.pop(ENROL_SECRET, None)
                _finish_login(request, user, pending["backend"], otp=True)
                target = pending.get("next") or settings.LOGIN_REDIRECT_URL
                if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                    target = reverse("staff:home")
                return redirect(target)
            lock = security.login_failure_record(username=username, address=address)
            form.add_error(
                "code",
                lock.message
                if lock
                else _(
                    "確認コードが違います。認証アプリに表示されている最新の6桁を入力してください。"
                ),
            )
    return render(
        request,
        "accounts/login_otp.html",
        {
            "form": form,
            "enrol": enrol,
            "secret": secret,
            "uri": security.totp_provisioning_uri(secret=secret, username=user.get_username())
            if enrol
            else "",
        },
    )


@staff_required
def account_security(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "nav_slug": "account_security",
            "totp_enabled": security.totp_enabled(user),
            "totp_required": totp_required(user),
            "session_minutes": int(settings.SESSION_COOKIE_AGE) // 60,
            "idle_minutes": int(getattr(settings, "KEIKAKU_SESSION_IDLE_SECONDS", 0)) // 60,
        },
    )


@sensitive_post_parameters("code")
@staff_required
def totp_enable(request: HttpRequest) -> HttpResponse:
    user = request.user
    if security.totp_enabled(user):
        messages.info(request, _("二要素認証は既に有効です。"))
        return redirect("staff:account_security")
    secret = request.session.get(ENROL_SECRET) or security.totp_new_secret()
    request.session[ENROL_SECRET] = secret
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if security.totp_device_confirm(user=user, secret=secret, code=form.cleaned_data["code"]):
            request.session.pop(ENROL_SECRET, None)
            request.session[SESSION_OTP] = True
            messages.success(
                request, _("二要素認証を有効にしました。次回から確認コードの入力が必要です。")
            )
            return redirect("staff:account_security")
        form.add_error(
            "code",
            _("確認コードが違います。認証アプリに表示されている最新の6桁を入力してください。"),
        )
    return render(
        request,
        "accounts/totp_enable.html",
        {
            "nav_slug": "account_security",
            "form": form,
            "secret": secret,
            "uri": security.totp_provisioning_uri(secret=secret, username=user.get_username()),
        },
    )


@require_POST
@sensitive_post_parameters("code")
@staff_required
def totp_disable(request: HttpRequest) -> HttpResponse:
    user = request.user
    if totp_required(user):
        raise PermissionDenied(_("あなたの役割では二要素認証が必須のため、無効にできません。"))
    form = CodeForm(request.POST)
    if form.is_valid() and security.totp_verify(user=user, code=form.cleaned_data["code"]):
        security.totp_device_remove(user=user, actor=user)
        messages.success(request, _("二要素認証を無効にしました。"))
    else:
        messages.error(request, _("確認コードが違うため、二要素認証は無効にしていません。"))
    return redirect("staff:account_security")


@sensitive_post_parameters()
@staff_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        security.password_change_record(user=user)
        messages.success(request, _("パスワードを変更しました。"))
        return redirect("staff:account_security")
    return render(
        request, "accounts/password_change.html", {"nav_slug": "account_security", "form": form}
    )


@staff_required
def login_locks(request: HttpRequest) -> HttpResponse:
    """Current lock-outs, for the system administrator (who may lift them)."""
    if not request.user.is_superuser:
        raise PermissionDenied(_("この操作を行う権限がありません。"))
    if request.method == "POST":
        key = request.POST.get("key", "")
        security.login_lock_clear(key=key, actor=request.user)
        messages.success(request, _("「%(key)s」のロックを解除しました。") % {"key": key})
        return redirect("staff:login_locks")
    qs = LoginThrottle.objects.filter(failures__gt=0).order_by("-last_failure_at")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/login_locks.html", {"nav_slug": "login_locks", "page": page})
