"""Departments and sections of the city (部・課). The formulation organisation builds on these."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from keikaku.core.models import VersionedModel


class Department(VersionedModel):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("部")
        SECTION = "section", _("課")

    code = models.CharField(_("コード"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("種別"), max_length=12, choices=Kind.choices, default=Kind.SECTION)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上位の部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sections",
    )
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("部署")
        verbose_name_plural = _("部署")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """Staff user. Names are shown family name first (髙橋 一郎)."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("所属"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("職員")  # type: ignore[assignment]
        verbose_name_plural = _("職員")  # type: ignore[assignment]
        swappable = "AUTH_USER_MODEL"

    def get_full_name(self) -> str:
        return f"{self.last_name} {self.first_name}".strip()

    def get_short_name(self) -> str:
        return self.last_name or self.first_name


# --- staff security: sign-in throttling and two-factor devices ---------------------------------


class LoginThrottle(models.Model):
    """Failed sign-ins counted per key ("user:<name>" or "ip:<address>"); a key that reaches
    the limit is locked until `locked_until`."""

    key = models.CharField(_("対象"), max_length=200, unique=True)
    failures = models.PositiveIntegerField(_("連続失敗回数"), default=0)
    last_failure_at = models.DateTimeField(_("最後の失敗"), null=True, blank=True)
    locked_until = models.DateTimeField(_("ロック解除日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("ログイン失敗の記録")
        verbose_name_plural = _("ログイン失敗の記録")

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"


class TOTPDevice(models.Model):
    """A time-based one-time password (RFC 6238) authenticator app of one staff user."""

    user = models.OneToOneField(
        User, verbose_name=_("職員"), on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(_("秘密鍵"), max_length=64)
    confirmed = models.BooleanField(_("有効"), default=False)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("有効にした日時"), null=True, blank=True)
    last_used_step = models.BigIntegerField(_("最後に使った時間枠"), default=0)

    class Meta:
        verbose_name = _("二要素認証の端末")
        verbose_name_plural = _("二要素認証の端末")

    def __str__(self) -> str:
        return f"{self.user}"
