"""Shared kernel models: the audit log, content versions (cache invalidation) and a base class."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who changed what, when, and how: the before and after of every write."""

    at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作者名"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=40)
    object_type = models.CharField(_("対象の種類"), max_length=80)
    object_id = models.CharField(_("対象ID"), max_length=64)
    object_repr = models.CharField(_("対象"), max_length=300, blank=True)
    before = models.JSONField(_("変更前"), null=True, blank=True)
    after = models.JSONField(_("変更後"), null=True, blank=True)
    note = models.TextField(_("備考"), blank=True)

    class Meta:
        verbose_name = _("操作履歴")
        verbose_name_plural = _("操作履歴")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"


class ContentVersion(models.Model):
    """A counter per content scope; public caches key on it, so an edit or publish invalidates."""

    key = models.CharField(max_length=50, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("公開内容の版")
        verbose_name_plural = _("公開内容の版")

    def __str__(self) -> str:
        return f"{self.key}={self.version}"


class VersionedModel(models.Model):
    """Base for staff-edited content: optimistic concurrency by a version number."""

    version = models.PositiveIntegerField(_("版"), default=1, editable=False)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True
