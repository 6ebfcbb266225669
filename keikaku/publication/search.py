"""Site search: the index table (SearchDocument + SearchGram) and queries.

The index is derived from the registry's search sources (every public page of every app)
and rebuilt when the public content version changes — incrementally: only documents whose
text changed are analysed again (Sudachi). The same ORM code runs on SQLite and PostgreSQL:
candidates come from one indexed ``gram IN (…) GROUP BY document HAVING COUNT = n`` query
per term, and are then checked exactly in Python (see keikaku.publication.domain.search).
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation

from keikaku.core.selectors import content_version_get
from keikaku.publication.domain import search as domain
from keikaku.publication.models import PublicState, SearchDocument, SearchGram
from keikaku.publication.registry import SearchItem, search_items

logger = logging.getLogger(__name__)

STATE_KEY = "search"
MAX_RESULTS = 200


@dataclass(frozen=True)
class IndexStats:
    documents: int
    added: int
    updated: int
    removed: int
    seconds: float


def _fingerprint(item: SearchItem) -> str:
    text = "\x1f".join(
        [item.url, item.kind, item.kind_label, item.title, item.title_en, item.body, str(item.date)]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _index_one(item: SearchItem) -> tuple[dict[str, Any], frozenset[str]]:
    title = item.title + ("\n" + item.title_en if item.title_en else "")
    indexed = domain.index_text(title, item.body)
    fields = {
        "url": item.url,
        "kind": item.kind,
        "kind_label": item.kind_label[:60],
        "title": item.title[:300],
        "title_en": item.title_en[:300],
        "body": item.body,
        "surface": indexed.surface,
        "normalized": indexed.normalized,
        "fingerprint": _fingerprint(item),
        "date": item.date,
    }
    return fields, indexed.grams


def index_rebuild(*, force: bool = False) -> IndexStats:
    """Bring the index up to date with the public content (only changed documents)."""
    started = time.perf_counter()
    version = content_version_get()
    # The index holds the Japanese texts whatever the language of the request that happens
    # to rebuild it; labels are translated when shown (Hit.kind_label).
    with translation.override("ja"):
        items = search_items()
    try:
        PublicState.objects.get_or_create(
            key=STATE_KEY, defaults={"content_version": -1, "changed_at": timezone.now()}
        )
    except IntegrityError:  # created by another process at the same moment
        pass
    with transaction.atomic():
        # One rebuild at a time: the row lock (PostgreSQL) or the write lock (SQLite, whose
        # transactions begin IMMEDIATE) makes a second process wait, then find it done.
        state = PublicState.objects.select_for_update().get(key=STATE_KEY)
        if state.content_version == version and not force:
            return IndexStats(SearchDocument.objects.count(), 0, 0, 0, 0.0)
        existing = {d.key: d for d in SearchDocument.objects.only("id", "key", "fingerprint")}
        wanted = {item.key: item for item in items}
        removed = [d.id for key, d in existing.items() if key not in wanted]
        if removed:
            SearchDocument.objects.filter(id__in=removed).delete()
        added = updated = 0
        grams: list[SearchGram] = []
        for key, item in wanted.items():
            current = existing.get(key)
            if current is not None and current.fingerprint == _fingerprint(item) and not force:
                continue
            fields, item_grams = _index_one(item)
            if current is None:
                doc = SearchDocument.objects.create(key=key, **fields)
                added += 1
            else:
                SearchDocument.objects.filter(id=current.id).update(**fields)
                SearchGram.objects.filter(document_id=current.id).delete()
                doc = current
                updated += 1
            grams.extend(SearchGram(document_id=doc.id, gram=g) for g in item_grams)
            if len(grams) > 20000:
                SearchGram.objects.bulk_create(grams, batch_size=2000)
                grams = []
        if grams:
            SearchGram.objects.bulk_create(grams, batch_size=2000)
        PublicState.objects.update_or_create(
            key=STATE_KEY, defaults={"content_version": version, "changed_at": timezone.now()}
        )
    stats = IndexStats(
        documents=len(wanted),
        added=added,
        updated=updated,
        removed=len(removed),
        seconds=time.perf_counter() - started,
    )
    logger.info("search index: %s", stats)
    return stats


def index_ensure() -> IndexStats | None:
    """Rebuild the index when the public content version changed since the last build."""
    state = PublicState.objects.filter(key=STATE_KEY).first()
    if state is not None and state.content_version == content_version_get():
        return None
    return index_rebuild()


@dataclass(frozen=True)
class Hit:
    url: str
    kind: str
    kind_label: str
    title: str
    title_en: str
    snippet: list[tuple[str, bool]]
    score: float
    date: Any


def _candidates(term: domain.QueryTerm) -> set[int]:
    ids: set[int] = set()
    for gram_set in domain.term_grams(term):
        if not gram_set:
            continue
        if len(gram_set) == 1 and len(next(iter(gram_set))) == 1:
            char = next(iter(gram_set))
            ids |= set(
                SearchGram.objects.filter(Q(gram__startswith=char) | Q(gram__endswith=char))
                .values_list("document_id", flat=True)
                .distinct()
            )
            continue
        ids |= set(
            SearchGram.objects.filter(gram__in=sorted(gram_set))
            .values("document_id")
            .annotate(n=Count("gram", distinct=True))
            .filter(n=len(gram_set))
            .values_list("document_id", flat=True)
        )
    return ids


def query(text: str, *, kind: str = "", offset: int = 0, limit: int = 20) -> tuple[list[Hit], int]:
    """One page of hits for a query (every term must match), best first, and the total."""
    terms = domain.parse_query(text)
    if not terms:
        return [], 0
    index_ensure()
    ids: set[int] | None = None
    for term in terms:
        found = _candidates(term)
        ids = found if ids is None else ids & found
        if not ids:
            return [], 0
    docs = SearchDocument.objects.filter(id__in=ids or ())
    if kind:
        docs = docs.filter(kind=kind)
    rows = {d.id: d for d in docs}
    ranked = domain.rank(terms, ((d.id, d.surface, d.normalized) for d in rows.values()))
    hits = [
        Hit(
            url=rows[doc_id].url,
            kind=rows[doc_id].kind,
            kind_label=translation.gettext(rows[doc_id].kind_label),
            title=rows[doc_id].title,
            title_en=rows[doc_id].title_en,
            snippet=domain.snippet(rows[doc_id].body, terms),
            score=score,
            date=rows[doc_id].date,
        )
        for doc_id, score in ranked[offset : offset + min(limit, MAX_RESULTS)]
    ]
    return hits, len(ranked)
