"""Staff sign-in security: lock-out, two-factor codes, session expiry, password rules."""

from __future__ import annotations

import datetime as dt
import time

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from keikaku.accounts import roles, security
from keikaku.accounts.models import LoginThrottle, TOTPDevice
from keikaku.accounts.validators import CharacterClassValidator
from keikaku.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "pass-for-tests-1"
LOCK_MESSAGE = (
    "ログインに続けて失敗したため、一時的にログインできなくなっています。"
    "15 分ほど待ってから、もう一度お試しください。"
    "パスワードが分からない場合は、システム管理者に連絡してください。"
)
WRONG_CODE = "確認コードが違います。認証アプリに表示されている最新の6桁を入力してください。"


def _staff(username: str = "suzuki", **extra):
    return get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        is_staff=True,
        last_name="髙橋",
        first_name="一郎",
        **extra,
    )


def _login(client: Client, username: str, password: str = PASSWORD):
    return client.post("/staff/login/", {"username": username, "password": password})


def _wrong_code(secret: str) -> str:
    """A six-digit code that no nearby time step of `secret` shows."""
    totp = pyotp.TOTP(secret)
    now = time.time()
    near = {totp.at(int(now) + d) for d in (-60, -30, 0, 30, 60)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in near)


def _device(user, secret: str | None = None) -> str:
    secret = secret or pyotp.random_base32()
    TOTPDevice.objects.create(user=user, secret=secret, confirmed=True)
    return secret


@pytest.fixture
def limits(settings):
    settings.KEIKAKU_LOGIN_MAX_FAILURES = 3
    settings.KEIKAKU_LOGIN_MAX_FAILURES_PER_IP = 50
    settings.KEIKAKU_LOGIN_LOCKOUT_SECONDS = 900
    return settings


def test_repeated_failures_lock_the_account_even_for_the_right_password(limits):
    _staff()
    client = Client()
    for _ in range(2):
        html = _login(client, "suzuki", "wrong-password").content.decode()
        assert "正しいユーザー名とパスワードを入力してください。" in html
    html = _login(client, "suzuki", "wrong-password").content.decode()
    assert LOCK_MESSAGE in html
    response = _login(client, "suzuki")
    assert response.status_code == 200
    assert LOCK_MESSAGE in response.content.decode()
    assert client.get("/staff/").status_code == 302  # not signed in
    event = AuditEvent.objects.get(action="login_locked")
    assert event.after["key"] == "user:suzuki" and event.after["failures"] == 3
    # after the lock the right password works and the count starts again
    LoginThrottle.objects.filter(key="user:suzuki").update(
        locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert _login(client, "suzuki").status_code == 302
    assert LoginThrottle.objects.get(key="user:suzuki").failures == 0


def test_user_names_are_matched_case_insensitively_and_old_failures_are_forgotten(limits):
    _staff()
    client = Client()
    _login(client, "SUZUKI", "x")
    _login(client, "Suzuki", "x")
    row = LoginThrottle.objects.get(key="user:suzuki")
    assert row.failures == 2
    row.last_failure_at = timezone.now() - dt.timedelta(seconds=901)
    row.save()
    _login(client, "suzuki", "x")
    row.refresh_from_db()
    assert (row.failures, row.locked_until) == (1, None)


def test_many_failures_from_one_address_lock_that_address(limits):
    limits.KEIKAKU_LOGIN_MAX_FAILURES_PER_IP = 4
    _staff("tanaka")
    client = Client()
    for name in ("a1", "a2", "a3", "a4"):
        _login(client, name, "x")
    html = _login(client, "tanaka").content.decode()
    assert LOCK_MESSAGE in html
    assert LoginThrottle.objects.get(key="ip:127.0.0.1").failures == 4


def test_two_step_sign_in_with_an_authenticator_app():
    user = _staff()
    secret = _device(user)
    client = Client()
    response = _login(client, "suzuki")
    assert response.status_code == 302 and response["Location"] == "/staff/login/code/"
    assert client.get("/staff/").status_code == 302  # not signed in yet
    html = client.post("/staff/login/code/", {"code": _wrong_code(secret)}).content.decode()
    assert WRONG_CODE in html
    response = client.post("/staff/login/code/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_a_code_is_accepted_once_and_only_near_its_time():
    user = _staff()
    secret = _device(user)
    at = 1_700_000_000.0
    code = pyotp.TOTP(secret).at(int(at))
    assert security.totp_verify(user=user, code=code, at=at)
    assert not security.totp_verify(user=user, code=code, at=at)  # replay refused
    later = pyotp.TOTP(secret).at(int(at) + 300)
    assert not security.totp_verify(user=user, code=later, at=at)  # 10 steps away
    assert security.totp_verify(user=user, code=later, at=at + 300)
    assert not security.totp_verify(user=user, code="12a456", at=at + 600)


def test_a_role_that_requires_two_factor_registers_the_app_while_signing_in(settings, monkeypatch):
    settings.KEIKAKU_TOTP_REQUIRED_ROLES = ["secretariat"]
    monkeypatch.setattr(
        roles, "_providers", [lambda u: ["secretariat"] if u.username == "jimu" else []]
    )
    user = _staff("jimu")
    client = Client()
    assert _login(client, "jimu")["Location"] == "/staff/login/code/"
    html = client.get("/staff/login/code/").content.decode()
    assert "二要素認証の設定" in html
    secret = client.session["kk_totp_enrol_secret"]
    assert f"otpauth://totp/Keikaku:jimu?secret={secret}&amp;issuer=Keikaku" in html
    response = client.post("/staff/login/code/", {"code": pyotp.TOTP(secret).now()})
    assert response["Location"] == "/staff/"
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.secret == secret
    assert AuditEvent.objects.filter(action="totp_enable", actor=user).count() == 1
    assert client.get("/staff/").status_code == 200


def test_a_session_without_a_code_is_ended_when_the_role_requires_one(settings, monkeypatch):
    settings.KEIKAKU_TOTP_REQUIRED_ROLES = ["secretariat"]
    monkeypatch.setattr(roles, "_providers", [lambda u: ["secretariat"]])
    client = Client()
    client.force_login(_staff())
    response = client.get("/staff/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain[0][0] == "/staff/login/?next=/staff/"
    assert "確認コード（二要素認証）によるログインが必要です" in html


def test_idle_and_absolute_session_expiry(settings):
    settings.KEIKAKU_SESSION_IDLE_SECONDS = 1800
    settings.SESSION_COOKIE_AGE = 8 * 3600
    user = _staff()
    client = Client()
    client.force_login(user)
    assert client.get("/staff/").status_code == 200
    session = client.session
    session["kk_seen_at"] = int(time.time()) - 1801
    session.save()
    response = client.get("/staff/", follow=True)
    assert response.redirect_chain[0][0] == "/staff/login/?next=/staff/"
    assert "しばらく操作がなかったため、ログアウトしました。" in response.content.decode()

    client.force_login(user)
    session = client.session
    session["kk_login_at"] = int(time.time()) - 8 * 3600 - 1
    session.save()
    response = client.get("/staff/", follow=True)
    assert "ログインの有効期間が過ぎたため、ログアウトしました。" in response.content.decode()


def test_password_rules():
    validator = CharacterClassValidator(min_classes=2)
    with pytest.raises(ValidationError) as err:
        validator.validate("abcdefghijkl")
    assert err.value.messages == [
        "パスワードには、英字・数字・記号のうち 2 種類以上を組み合わせてください。"
    ]
    validator.validate("abcdefgh1234")
    validator.validate("つるがしま計画abc")  # kana and kanji count as a kind of character
    assert validator.get_help_text() == "英字・数字・記号のうち 2 種類以上を組み合わせてください。"


def test_password_change_is_checked_and_audited():
    user = _staff()
    client = Client()
    client.force_login(user)
    response = client.post(
        "/staff/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "aaaaaaaaaaaa",
            "new_password2": "aaaaaaaaaaaa",
        },
    )
    assert "英字・数字・記号のうち 2 種類以上を組み合わせてください。" in response.content.decode()
    response = client.post(
        "/staff/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "tsuru-plan-2025",
            "new_password2": "tsuru-plan-2025",
        },
    )
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200  # still signed in
    assert AuditEvent.objects.get(action="password_change").actor == user


def test_turning_two_factor_on_and_off_on_the_security_page():
    user = _staff()
    client = Client()
    client.force_login(user)
    html = client.get("/staff/account/two-factor/").content.decode()
    secret = client.session["kk_totp_enrol_secret"]
    assert secret in html
    client.post("/staff/account/two-factor/", {"code": pyotp.TOTP(secret).now()})
    assert security.totp_enabled(user)
    response = client.post(
        "/staff/account/two-factor/disable/", {"code": _wrong_code(secret)}, follow=True
    )
    assert "確認コードが違うため、二要素認証は無効にしていません。" in response.content.decode()
    assert security.totp_enabled(user)
    TOTPDevice.objects.filter(user=user).update(last_used_step=0)
    client.post("/staff/account/two-factor/disable/", {"code": pyotp.TOTP(secret).now()})
    assert not security.totp_enabled(user)
    assert AuditEvent.objects.filter(action="totp_disable").count() == 1


def test_locks_page_is_for_the_administrator(limits):
    _staff()
    admin = _staff("admin", is_superuser=True)
    for _ in range(3):
        _login(Client(), "suzuki", "x")
    client = Client()
    client.force_login(_staff("reader"))
    assert client.get("/staff/security/locks/").status_code == 403
    assert client.post("/staff/security/locks/", {"key": "user:suzuki"}).status_code == 403
    assert LoginThrottle.objects.get(key="user:suzuki").locked_until is not None
    client.force_login(admin)
    assert "user:suzuki" in client.get("/staff/security/locks/").content.decode()
    client.post("/staff/security/locks/", {"key": "user:suzuki"})
    row = LoginThrottle.objects.get(key="user:suzuki")
    assert (row.failures, row.locked_until) == (0, None)
    assert AuditEvent.objects.get(action="login_unlock").actor == admin
