"""A per-client rate limit for the public forms, kept in the cache (by IP address).

Fixed windows: at most KEIKAKU_PUBLIC_FORM_RATE_LIMIT POSTs per client in
KEIKAKU_PUBLIC_FORM_RATE_WINDOW seconds; 0 switches the limit off (the load benchmark does).
With several server processes the cache must be shared (CACHE_URL, e.g. a database or
Redis cache); with the default per-process memory cache each process counts on its own.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    header = getattr(settings, "KEIKAKU_CLIENT_IP_HEADER", "")
    if header:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def limit_and_window() -> tuple[int, int]:
    limit = int(getattr(settings, "KEIKAKU_PUBLIC_FORM_RATE_LIMIT", 30))
    window = max(1, int(getattr(settings, "KEIKAKU_PUBLIC_FORM_RATE_WINDOW", 600)))
    return limit, window


def hit(request: HttpRequest, *, scope: str = "participation") -> int | None:
    """Count one POST of this client; the seconds to wait when over the limit, else None."""
    limit, window = limit_and_window()
    if limit <= 0:
        return None
    now = int(time.time())
    start = now - now % window
    key = f"ratelimit:{scope}:{client_ip(request)}:{start}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count > limit:
        return start + window - now
    return None
