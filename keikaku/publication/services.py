"""Writes of the public site's own data (audited): the furigana exceptions list."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from keikaku.core.services import audit_record
from keikaku.publication.furigana import exceptions_changed
from keikaku.publication.models import FuriganaException


def _actor_name(actor: Any) -> str:
    if getattr(actor, "is_authenticated", False):
        return str(actor.get_full_name() or actor.get_username())
    return str(actor or "")


@transaction.atomic
def furigana_exception_save(
    *, surface: str, reading: str, note: str = "", actor: Any
) -> FuriganaException:
    """Create or replace the reading of a word (an empty reading: no ruby on that word)."""
    obj = FuriganaException.objects.filter(surface=surface).first()
    before = {"surface": obj.surface, "reading": obj.reading, "note": obj.note} if obj else None
    if obj is None:
        obj = FuriganaException(surface=surface)
    obj.reading = reading
    obj.note = note
    obj.updated_by = _actor_name(actor)
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor,
        action="update" if before else "create",
        obj=obj,
        before=before,
        after={"surface": obj.surface, "reading": obj.reading, "note": obj.note},
    )
    transaction.on_commit(exceptions_changed)
    return obj


@transaction.atomic
def furigana_exception_delete(*, obj: FuriganaException, actor: Any) -> None:
    audit_record(
        actor=actor,
        action="delete",
        obj=obj,
        before={"surface": obj.surface, "reading": obj.reading, "note": obj.note},
        after=None,
    )
    obj.delete()
    transaction.on_commit(exceptions_changed)
