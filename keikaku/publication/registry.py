"""The integration registry of the public site: how each feature app plugs in.

The public site (home, navigation, participation hub, site search, open data, the plan
document) does not know the feature apps. Each app's adapter in
``keikaku/publication/integrations/<app>.py`` reads that app's ``api.py`` and registers here:

- :class:`Section` — a part of the public site (navigation, home page, sitemap);
- call providers — open calls for participation (survey, public comment, proposal box,
  council recruitment, upcoming meetings) for the participation hub;
- search sources — public documents for the site search;
- :class:`Dataset` — an open-data table (CSV download, data catalogue, JSON API);
- appendix providers — chapters of the plan document's 資料編.

An adapter whose app has no ``api.py`` yet (or lacks a function) registers its entries as
*pending*: they are listed in the data catalogue and the developer docs as "coming", and
plug in without any change here once the function exists.

:func:`shared` and :func:`shared_scope` let the adapters compute a value that several
entries need (the published plan, a council's update dates) once per request: within one
scope each key is computed once; outside a scope every call computes afresh. Nothing is kept
after the scope ends, so a publish is seen by the next request.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

logger = logging.getLogger(__name__)

__all__ = [
    "AppendixChapter",
    "Column",
    "Dataset",
    "OpenCall",
    "SearchItem",
    "Section",
    "appendix_chapters",
    "columns",
    "dataset_get",
    "datasets",
    "open_calls",
    "register_appendix",
    "register_call_provider",
    "register_dataset",
    "register_search_source",
    "register_section",
    "search_items",
    "sections",
    "shared",
    "shared_scope",
]


# --------------------------------------------------------------------------- per-request values

_shared: ContextVar[dict[str, Any] | None] = ContextVar("publication_shared", default=None)


@contextmanager
def shared_scope() -> Iterator[None]:
    """Within the block, :func:`shared` computes each key once (a nested scope joins the
    outer one). Use it around one request's work: nothing outlives the block."""
    if _shared.get() is not None:
        yield
        return
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def shared[V](key: str, compute: Callable[[], V]) -> V:
    """``compute()``, once per key within a :func:`shared_scope` (every time outside one)."""
    memo = _shared.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class Section:
    """A part of the public site. ``key`` is the ``nav`` value its pages put in the context."""

    key: str
    title: Any  # lazy translated text
    url_name: str
    description: Any = ""
    order: int = 100
    in_header: bool = True
    available: Callable[[], bool] = lambda: True
    also_current: tuple[str, ...] = ()  # other nav keys that mark this section current

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


_sections: dict[str, Section] = {}


def register_section(section: Section) -> None:
    _sections[section.key] = section


def sections(*, header_only: bool = False) -> list[Section]:
    """Sections whose page exists and that have something to show, in order."""
    out = []
    with shared_scope():
        for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
            if header_only and not section.in_header:
                continue
            if section.url() is None:
                continue
            try:
                if not section.available():
                    continue
            except Exception:  # noqa: BLE001 - one broken app must not take the site down
                logger.exception("section %s: available() failed", section.key)
                continue
            out.append(section)
    return out


# --------------------------------------------------------------------------- open calls


@dataclass(frozen=True)
class OpenCall:
    """A call for participation shown on the participation hub."""

    kind: str  # survey / public_comment / proposal_box / council_recruitment / meeting / other
    kind_label: str
    title: str
    url: str
    state: str  # "open" (now), "upcoming", "always"
    starts: dt.datetime | dt.date | None = None
    ends: dt.datetime | dt.date | None = None
    description: str = ""
    action_label: str = ""
    place: str = ""


CallProvider = Callable[[], Iterable[OpenCall]]
_call_providers: list[tuple[str, CallProvider]] = []


def register_call_provider(name: str, provider: CallProvider) -> None:
    _call_providers[:] = [(n, p) for n, p in _call_providers if n != name]
    _call_providers.append((name, provider))


def open_calls() -> list[OpenCall]:
    out: list[OpenCall] = []
    with shared_scope():
        for name, provider in _call_providers:
            try:
                out.extend(provider())
            except Exception:  # noqa: BLE001
                logger.exception("call provider %s failed", name)
    return out


# --------------------------------------------------------------------------- search


@dataclass(frozen=True)
class SearchItem:
    """One public page (or part of one) for the site search."""

    key: str  # unique and stable, e.g. "plan:measure:1-1"
    url: str
    kind: str
    kind_label: str
    title: str
    body: str
    title_en: str = ""
    date: dt.date | None = None


SearchSource = Callable[[], Iterable[SearchItem]]
_search_sources: list[tuple[str, SearchSource]] = []


def register_search_source(name: str, source: SearchSource) -> None:
    _search_sources[:] = [(n, s) for n, s in _search_sources if n != name]
    _search_sources.append((name, source))


def search_items() -> list[SearchItem]:
    out: list[SearchItem] = []
    seen: set[str] = set()
    with shared_scope():
        for name, source in _search_sources:
            try:
                for item in source():
                    if item.key not in seen:
                        seen.add(item.key)
                        out.append(item)
            except Exception:  # noqa: BLE001
                logger.exception("search source %s failed", name)
    return out


# --------------------------------------------------------------------------- datasets


@dataclass(frozen=True)
class Column:
    """A column of a machine-readable table: the header names the unit, e.g. 「人口（人）」."""

    key: str
    header: str
    kind: str = "text"  # text / integer / number / date / year / boolean
    description: str = ""


@dataclass(frozen=True)
class Dataset:
    """An open-data table. ``rows`` yields dicts keyed by column key (values plain)."""

    key: str
    title: Any
    description: Any
    columns: Sequence[Column]
    rows: Callable[[], Iterable[dict[str, Any]]] = lambda: ()
    source: str = ""  # the app it comes from
    api_path: str = ""  # e.g. "/api/v1/measures"
    pending: bool = False
    pending_note: str = ""
    updated: Callable[[], dt.datetime | None] = lambda: None
    order: int = 100
    extra_links: Callable[[], Sequence[tuple[str, str]]] = lambda: ()  # (label, url)


COLUMN_KINDS = ("text", "integer", "number", "date", "year", "boolean")


def columns(table: str, *lead: Column) -> tuple[Column, ...]:
    """Columns from a text table, one column a line: ``key header [kind]`` separated by
    spaces (a header holds no space; the kind is text when left out), after ``lead``."""
    out = list(lead)
    for number, line in enumerate(table.strip().splitlines(), start=1):
        parts = line.split()
        if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] not in COLUMN_KINDS):
            raise ValueError(
                f"列の表の {number} 行目「{line.strip()}」: 「キー 見出し [種類]」の形で"
                f"書いてください（種類は {'、'.join(COLUMN_KINDS)} のどれか）。"
            )
        out.append(Column(*parts))
    return tuple(out)


_datasets: dict[str, Dataset] = {}


def register_dataset(dataset: Dataset) -> None:
    _datasets[dataset.key] = dataset


def datasets(*, include_pending: bool = True) -> list[Dataset]:
    out = sorted(_datasets.values(), key=lambda d: (d.order, d.key))
    return [d for d in out if include_pending or not d.pending]


def dataset_get(key: str) -> Dataset | None:
    return _datasets.get(key)


# --------------------------------------------------------------------------- plan document


@dataclass(frozen=True)
class AppendixChapter:
    """A chapter of the plan document's 資料編: headings, paragraphs and tables."""

    key: str
    title: str
    blocks: Sequence[dict[str, Any]]
    """Each block: {"type": "h3", "text": …} | {"type": "p", "text": …} |
    {"type": "table", "caption": …, "header": [...], "rows": [[...], ...]}."""
    order: int = 100


AppendixProvider = Callable[[], Iterable[AppendixChapter]]
_appendix: list[tuple[str, AppendixProvider]] = []


def register_appendix(name: str, provider: AppendixProvider) -> None:
    _appendix[:] = [(n, p) for n, p in _appendix if n != name]
    _appendix.append((name, provider))


def appendix_chapters() -> list[AppendixChapter]:
    out: list[AppendixChapter] = []
    with shared_scope():
        for name, provider in _appendix:
            try:
                out.extend(provider())
            except Exception:  # noqa: BLE001
                logger.exception("appendix provider %s failed", name)
    return sorted(out, key=lambda c: (c.order, c.key))
