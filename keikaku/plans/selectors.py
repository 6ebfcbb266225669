"""Reads of the plan structure (staff side) and of published pages (public side)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from keikaku.plans.models import Edition, Measure, Municipality, PublishedPage


def municipality_current() -> Municipality | None:
    return Municipality.objects.order_by("id").first()


def edition_list() -> QuerySet[Edition]:
    return Edition.objects.select_related("plan", "plan__municipality").order_by("-start_fy")


def edition_public_current() -> Edition | None:
    """The edition the public site shows: the latest public one."""
    return Edition.objects.filter(is_public=True).order_by("-start_fy").first()


def edition_public_get(*, pk: int) -> Edition | None:
    return Edition.objects.filter(is_public=True, pk=pk).first()


def published_page_get(*, edition: Edition, kind: str, key: str) -> dict[str, Any] | None:
    page = PublishedPage.objects.filter(edition=edition, kind=kind, key=key).only("data").first()
    return page.data if page else None


def published_pages(*, edition: Edition, kind: str) -> list[dict[str, Any]]:
    return [p.data for p in PublishedPage.objects.filter(edition=edition, kind=kind).only("data")]


def published_pages_by_kind(
    *, edition: Edition, kinds: Sequence[str]
) -> dict[str, dict[str, dict[str, Any]]]:
    """The published pages of several kinds in one query: kind → key → data."""
    out: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in kinds}
    rows = PublishedPage.objects.filter(edition=edition, kind__in=list(kinds)).order_by("id")
    for kind, key, data in rows.values_list("kind", "key", "data"):
        out[kind][key] = data
    return out


def measure_list(*, edition: Edition | None = None, search: str = "") -> QuerySet[Measure]:
    qs = Measure.objects.select_related("area", "area__edition")
    if edition is not None:
        qs = qs.filter(area__edition=edition)
    if search:
        from django.db.models import Q

        qs = qs.filter(Q(title__icontains=search) | Q(code__icontains=search))
    return qs
