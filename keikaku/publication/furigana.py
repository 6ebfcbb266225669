"""Furigana for public pages: the staff-edited exceptions and a cache of annotated pages.

The page cache (keikaku.core.cache) stores pages *without* ruby; the middleware adds ruby
after it, and this module caches the annotated page keyed by a hash of the page and of the
exceptions list — so the furigana switch never mixes cached variants, and an edited
exception takes effect at once.
"""

from __future__ import annotations

import hashlib
import threading

from django.core.cache import cache

from keikaku.publication.domain.furigana import Annotator, add_furigana
from keikaku.publication.models import FuriganaException

EXCEPTIONS_KEY = "publication:furigana:exceptions"
_LOCK = threading.Lock()
_ANNOTATORS: dict[str, Annotator] = {}


def exceptions() -> tuple[dict[str, str], str]:
    """(surface → reading, signature) of the exceptions list."""
    cached = cache.get(EXCEPTIONS_KEY)
    if cached is None:
        mapping = dict(FuriganaException.objects.values_list("surface", "reading"))
        digest = hashlib.sha256(repr(sorted(mapping.items())).encode("utf-8")).hexdigest()[:16]
        cached = (mapping, digest)
        cache.set(EXCEPTIONS_KEY, cached, 600)
    return cached


def exceptions_changed() -> None:
    cache.delete(EXCEPTIONS_KEY)


def annotator() -> Annotator:
    mapping, signature = exceptions()
    with _LOCK:
        found = _ANNOTATORS.get(signature)
        if found is None:
            _ANNOTATORS.clear()
            found = _ANNOTATORS[signature] = Annotator(exceptions=mapping)
        return found


def furigana_html(html: str) -> str:
    """The page with ruby readings (cached by the page's hash and the exceptions list)."""
    ann = annotator()
    _mapping, signature = exceptions()
    key = "publication:ruby:" + signature + ":" + hashlib.sha256(html.encode("utf-8")).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return str(cached)
    result = add_furigana(html, ann)
    cache.set(key, result, 3600)
    return result
