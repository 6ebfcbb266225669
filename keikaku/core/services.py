"""Writes of the shared kernel: audit records, content versions, optimistic concurrency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from keikaku.core.models import AuditEvent, ContentVersion
from keikaku.core.signals import public_content_changed_on_commit

PUBLIC_SCOPE = "public"


class StaleEditError(Exception):
    """The object changed since the form was opened; nothing was written."""

    def __init__(self, obj: models.Model, changed_by: str, changed_at: dt.datetime | None) -> None:
        self.obj = obj
        self.changed_by = changed_by
        self.changed_at = changed_at
        when = changed_at.astimezone().strftime("%Y-%m-%d %H:%M") if changed_at else ""
        super().__init__(
            _(
                "この内容は編集中に %(who)s さんが変更しました（%(when)s）。"
                "あなたの変更は保存していません。最新の内容を読み込み直してから、もう一度編集してください。"
            )
            % {"who": changed_by or _("別の利用者"), "when": when}
        )


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if hasattr(value, "storage") and hasattr(value, "name"):  # FieldFile: its stored name
        return value.name or ""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def model_snapshot(obj: models.Model) -> dict[str, Any]:
    """Editable field values of an object as plain JSON data (many-to-many as sorted ids)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in {"id", "version", "updated_at", "updated_by"}:
            continue
        data[field.name] = _plain(field.value_from_object(obj))
    if obj.pk:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(v.pk for v in getattr(obj, field.name).all())
    return data


def object_type_of(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    note: str = "",
) -> AuditEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    name = ""
    if user is not None:
        name = user.get_full_name() or user.get_username()
    return AuditEvent.objects.create(
        actor=user,
        actor_name=name or (str(actor) if actor and user is None else name),
        action=action,
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        note=note,
    )


def last_change(obj: models.Model) -> AuditEvent | None:
    return (
        AuditEvent.objects.filter(object_type=object_type_of(obj), object_id=str(obj.pk))
        .order_by("-at", "-id")
        .first()
    )


@transaction.atomic
def versioned_save(
    *,
    obj: models.Model,
    actor: Any,
    expected_version: int | None,
    changes: dict[str, Any],
    m2m: dict[str, list[Any]] | None = None,
    action: str = "update",
) -> models.Model:
    """Apply `changes` if the stored version is still `expected_version`; audit before/after.

    The version check and the increment happen in one UPDATE, so two concurrent saves
    based on the same version cannot both succeed.
    """
    model = type(obj)
    before = model_snapshot(obj)
    if expected_version is not None:
        updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if updated == 0:
            current = model._default_manager.get(pk=obj.pk)
            event = last_change(current)
            raise StaleEditError(
                current,
                event.actor_name if event else "",
                event.at if event else None,
            )
        obj.version = expected_version + 1  # type: ignore[attr-defined]
    for name, value in changes.items():
        setattr(obj, name, value)
    if hasattr(obj, "updated_by_id") and getattr(actor, "is_authenticated", False):
        obj.updated_by = actor  # type: ignore[attr-defined]
    obj.full_clean()
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    after = model_snapshot(obj)
    if before != after:
        audit_record(actor=actor, action=action, obj=obj, before=before, after=after)
    content_version_bump(scope="staff")
    return obj


@transaction.atomic
def audited_create(
    *, obj: models.Model, actor: Any, m2m: dict[str, list[Any]] | None = None
) -> models.Model:
    if hasattr(obj, "updated_by_id") and getattr(actor, "is_authenticated", False):
        obj.updated_by = actor  # type: ignore[attr-defined]
    obj.full_clean()
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    audit_record(actor=actor, action="create", obj=obj, before=None, after=model_snapshot(obj))
    content_version_bump(scope="staff")
    return obj


@transaction.atomic
def audited_delete(*, obj: models.Model, actor: Any) -> None:
    before = model_snapshot(obj)
    audit_record(actor=actor, action="delete", obj=obj, before=before, after=None)
    obj.delete()
    content_version_bump(scope="staff")


def content_version_bump(*, scope: str = PUBLIC_SCOPE) -> None:
    """Mark the content of ``scope`` as changed (cached pages keyed on it become stale).

    For the public scope, :data:`keikaku.core.signals.public_content_changed` is sent once
    the transaction commits (once per transaction, however many bumps it makes).
    """
    updated = ContentVersion.objects.filter(key=scope).update(version=F("version") + 1)
    if not updated:
        ContentVersion.objects.get_or_create(key=scope, defaults={"version": 1})
    if scope == PUBLIC_SCOPE:
        public_content_changed_on_commit()


def published_flag_set(*, obj: models.Model, actor: Any, published: bool, **fields: Any) -> None:
    """Publish or withdraw ``obj`` (its ``is_published``, plus ``fields``) with one UPDATE,
    reload it, record 「publish」/「unpublish」 in the audit log and mark the public content
    changed. The caller checks whether it may be published first."""
    type(obj)._default_manager.filter(pk=obj.pk).update(is_published=published, **fields)
    obj.refresh_from_db()
    audit_record(
        actor=actor,
        action="publish" if published else "unpublish",
        obj=obj,
        before={"is_published": not published},
        after={"is_published": published},
    )
    content_version_bump()
