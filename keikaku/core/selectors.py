"""Reads of the shared kernel."""

from __future__ import annotations

from django.db.models import QuerySet

from keikaku.core.models import AuditEvent, ContentVersion


def content_version_get(*, scope: str = "public") -> int:
    row = ContentVersion.objects.filter(key=scope).values_list("version", flat=True).first()
    return int(row or 0)


def audit_event_list(
    *, object_type: str | None = None, object_id: str | None = None
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.select_related("actor")
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id is not None:
        qs = qs.filter(object_id=str(object_id))
    return qs
