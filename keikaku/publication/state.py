"""The public content version and when it was first seen (ETag / Last-Modified)."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from keikaku.core.selectors import content_version_get
from keikaku.publication.models import PublicState

SITE_KEY = "site"


def public_state() -> tuple[int, dt.datetime]:
    """(content version, when this version was first seen by the public site)."""
    version = content_version_get()
    key = f"publication:state:{version}"
    cached = cache.get(key)
    if cached is not None:
        return version, cached
    row = PublicState.objects.filter(key=SITE_KEY).first()
    if row is not None and row.content_version == version:
        changed = row.changed_at
    else:
        changed = timezone.now().replace(microsecond=0)
        try:
            with transaction.atomic():
                PublicState.objects.update_or_create(
                    key=SITE_KEY, defaults={"content_version": version, "changed_at": changed}
                )
        except IntegrityError:  # another process recorded it first
            pass
    cache.set(key, changed, 3600)
    return version, changed
