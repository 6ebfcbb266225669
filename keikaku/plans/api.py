"""What other apps may read of the plan structure. The public side sees published data only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from keikaku.plans import selectors


@dataclass(frozen=True)
class PublicEdition:
    id: int
    title: str
    start_fy: int
    end_fy: int


@dataclass(frozen=True)
class MunicipalityInfo:
    code: str
    name: str
    prefecture: str
    is_demo: bool


def municipality() -> MunicipalityInfo | None:
    m = selectors.municipality_current()
    if m is None:
        return None
    return MunicipalityInfo(code=m.code, name=m.name, prefecture=m.prefecture, is_demo=m.is_demo)


def public_edition() -> PublicEdition | None:
    e = selectors.edition_public_current()
    if e is None:
        return None
    return PublicEdition(id=e.pk, title=e.title, start_fy=e.start_fy, end_fy=e.end_fy)


def published_page(*, edition_id: int, kind: str, key: str) -> dict[str, Any] | None:
    edition = selectors.edition_public_get(pk=edition_id)
    if edition is None:
        return None
    return selectors.published_page_get(edition=edition, kind=kind, key=key)


def published_pages(*, edition_id: int, kind: str) -> list[dict[str, Any]]:
    edition = selectors.edition_public_get(pk=edition_id)
    if edition is None:
        return []
    return selectors.published_pages(edition=edition, kind=kind)
