"""What other apps may read of the plan structure. The public side sees published data only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from keikaku.plans import selectors
from keikaku.plans.domain.numbers import common_decimals
from keikaku.plans.models import Edition


@dataclass(frozen=True)
class PublicEdition:
    id: int
    title: str
    start_fy: int
    end_fy: int
    title_en: str = ""


@dataclass(frozen=True)
class MunicipalityInfo:
    code: str
    name: str
    prefecture: str
    is_demo: bool
    name_en: str = ""


@dataclass(frozen=True)
class PublicContent:
    """The public edition with its published pages: kind → key → page data."""

    edition: PublicEdition
    pages: dict[str, dict[str, dict[str, Any]]]


def municipality() -> MunicipalityInfo | None:
    m = selectors.municipality_current()
    if m is None:
        return None
    return MunicipalityInfo(
        code=m.code, name=m.name, prefecture=m.prefecture, is_demo=m.is_demo, name_en=m.name_en
    )


def _public(e: Edition) -> PublicEdition:
    return PublicEdition(
        id=e.pk, title=e.title, start_fy=e.start_fy, end_fy=e.end_fy, title_en=e.title_en
    )


def public_edition() -> PublicEdition | None:
    e = selectors.edition_public_current()
    return None if e is None else _public(e)


def public_content(*, kinds: Sequence[str]) -> PublicContent | None:
    """The public edition and its published pages of `kinds`, in two queries (the edition is
    looked up once), or None when no edition is public."""
    e = selectors.edition_public_current()
    if e is None:
        return None
    return PublicContent(
        edition=_public(e), pages=selectors.published_pages_by_kind(edition=e, kinds=kinds)
    )


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


def indicator_decimals(indicator: Mapping[str, Any]) -> int:
    """How many decimals the values of a published indicator are shown with: as many as its
    most precise value (基準値, 目標値 or a 実績値) was entered with (see domain.numbers)."""
    values = [indicator.get("baseline_value"), indicator.get("target_value")]
    values += [v.get("value") for v in indicator.get("values") or ()]
    return common_decimals(values)
