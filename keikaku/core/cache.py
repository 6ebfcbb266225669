"""Whole-page caching for public pages, invalidated by the public content version.

Every publish bumps ContentVersion("public"); the cache key contains the current version,
so a stale page is never served after a publish, whichever process cached it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from keikaku.core.selectors import content_version_get


def public_page_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "GET" or request.user.is_authenticated or request.GET:
            return view(request, *args, **kwargs)
        key = f"page:{content_version_get()}:{get_language()}:{request.path}"
        cached = cache.get(key)
        if cached is not None:
            body, status, ctype = cached
            response = HttpResponse(body, status=status, content_type=ctype)
            response["X-Keikaku-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.has_header("Set-Cookie"):
            cache.set(
                key,
                (response.content, response.status_code, response["Content-Type"]),
                settings.KEIKAKU_PAGE_CACHE_SECONDS,
            )
        response["X-Keikaku-Cache"] = "miss"
        return response

    return wrapper
