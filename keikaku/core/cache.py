"""Whole-page caching for public pages, invalidated by the public content version.

Every publish bumps ContentVersion("public"); the cache key contains the current version,
so a stale page is never served after a publish, whichever process cached it.

Reading the version is on the path of every cached request, so :func:`public_content_version`
answers from memory when it can prove that nothing was written to the database since it last
read the row (see its docstring), and otherwise reads the row with one plain SQL statement.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

PUBLIC_SCOPE = "public"
# Set on a response that this cache stored or served: the same for every anonymous reader.
# keikaku.publication.middleware.PublicPageCacheMiddleware stores only such responses.
CACHEABLE_ATTRIBUTE = "keikaku_page_cacheable"
# A database file changed less than this long before it was looked at is not trusted:
# file times are coarse (a kernel tick on Linux, 2 s on some file systems), so a write in the
# same tick as the previous one could leave the time unchanged.
STAMP_MARGIN_NS = 2_000_000_000

Stamp = tuple[int, ...]


@dataclass(frozen=True)
class _Memo:
    version: int
    stamp: Stamp  # identity, size and modification time of the database file and its WAL
    raw_connection_id: int  # the sqlite3 connection the version was read with ...
    total_changes: int  # ... and how many rows it had changed by then (committed or not)


_memos = threading.local()  # one per thread, like Django's database connections


def _query_version(scope: str) -> int:
    from keikaku.core.models import ContentVersion

    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    table = quote(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('version')} FROM {table} WHERE {quote('key')} = %s",  # noqa: S608
            [scope],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _sqlite_file(connection: Any) -> str | None:
    """The SQLite database's file name, or None (another database, or one in memory)."""
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return name


def _stamp(name: str) -> Stamp:
    parts: list[int] = []
    for suffix in ("", "-wal"):
        try:
            st = os.stat(name + suffix)
        except OSError:
            parts += (-1, -1, -1)
        else:
            parts += (st.st_ino, st.st_size, st.st_mtime_ns)
    return tuple(parts)


def _newest_mtime(stamp: Stamp) -> int:
    return max(stamp[2::3])


def public_content_version(scope: str = PUBLIC_SCOPE) -> int:
    """The current content version of ``scope`` (the same as ``content_version_get``).

    On SQLite, every commit by any process writes the database file or its WAL, which
    changes the file's size or modification time; and this connection's own writes, even
    uncommitted ones, change its ``total_changes``. So when neither changed since this
    thread last read the version, that reading is still the current one and no query is made.
    The file times are trusted only once they are older than :data:`STAMP_MARGIN_NS`, which
    rules out a write landing in the same clock tick as the previous one. Anything else — no
    file (another database engine, a database in memory), a new connection, a recent or
    unknown change — reads the row again.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    name = _sqlite_file(connection)
    raw = connection.connection
    if name is None or scope != PUBLIC_SCOPE:
        return _query_version(scope)
    now = time.time_ns()
    stamp = _stamp(name)
    memo: _Memo | None = getattr(_memos, "memo", None)
    if (
        memo is not None
        and raw is not None
        and memo.stamp == stamp
        and memo.raw_connection_id == id(raw)
        and memo.total_changes == raw.total_changes
    ):
        return memo.version
    version = _query_version(scope)
    raw = connection.connection
    if raw is not None and _newest_mtime(stamp) <= now - STAMP_MARGIN_NS:
        _memos.memo = _Memo(version, stamp, id(raw), raw.total_changes)
    else:
        _memos.memo = None
    return version


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    """Only a page that is the same for every anonymous reader may be stored: no cookie is
    set (a session, a CSRF token), no CSRF token was put in a form and no message shown."""
    if response.status_code != 200 or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    storage = getattr(request, "_messages", None)
    return not (storage is not None and getattr(storage, "used", False))


def public_page_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "GET" or request.user.is_authenticated or request.GET:
            return view(request, *args, **kwargs)
        key = f"page:{public_content_version()}:{get_language()}:{request.path}"
        cached = cache.get(key)
        if cached is not None:
            body, status, ctype = cached
            response = HttpResponse(body, status=status, content_type=ctype)
            response["X-Keikaku-Cache"] = "hit"
            setattr(response, CACHEABLE_ATTRIBUTE, True)
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _cacheable(request, response):
            cache.set(
                key,
                (response.content, response.status_code, response["Content-Type"]),
                settings.KEIKAKU_PAGE_CACHE_SECONDS,
            )
            setattr(response, CACHEABLE_ATTRIBUTE, True)
        response["X-Keikaku-Cache"] = "miss"
        return response

    return wrapper
