"""The public site's switches: language (日本語 / English) and furigana (ruby on kanji).

Both are plain links that work without JavaScript: ``?lang=en`` / ``?lang=ja`` and
``?furigana=on`` / ``?furigana=off`` on any public page set a cookie and redirect to the
same page without the parameter.

- The language is the cookie's (Django's ``django_language``), else Japanese; the browser's
  Accept-Language is not used, so a page is Japanese unless the reader chose English.
  Staff pages and the admin are always Japanese.
- With furigana on, every public HTML page gets ruby readings after it is rendered (and
  after the view-level page cache), see :mod:`keikaku.publication.furigana`.

Place ``PublicSiteMiddleware`` right after ``django.middleware.locale.LocaleMiddleware``.

Two more, to be the first of all (``OpenDataApiMiddleware`` runs ``PublicPageCacheMiddleware``
itself unless that is listed in MIDDLEWARE):

- ``PublicPageCacheMiddleware``: finished answers of cached public pages (ADR 0003), per
  content version, language, furigana and path, answered without the rest of the stack.
- ``OpenDataApiMiddleware``: CORS, ETag / Last-Modified, 304 and a response cache for the
  open-data API and CSV files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from keikaku.core.cache import CACHEABLE_ATTRIBUTE, public_content_version

FURIGANA_COOKIE = "keikaku_furigana"
NOT_PUBLIC = ("/staff/", "/admin/", "/api/", "/static/", "/media/")
COOKIE_AGE = 365 * 24 * 60 * 60


def is_public_path(path: str) -> bool:
    return not path.startswith(NOT_PUBLIC)


def supported_language(code: str | None) -> str | None:
    codes = {c for c, _name in settings.LANGUAGES}
    return code if code in codes else None


def furigana_on(request: HttpRequest) -> bool:
    return bool(getattr(request, "furigana", False))


_SWITCH = re.compile(r'(<a href="[^"]*?furigana=)on(" data-furigana-switch>)[^<]*(</a>)')


def switch_to_off(html: str) -> str:
    """Pages are rendered (and cached) with the "add furigana" link; with furigana on, the
    link becomes "remove furigana" here, so one cached page serves both states."""
    from django.utils.translation import gettext

    label = gettext("ふりがなを消す")
    return _SWITCH.sub(lambda m: f"{m.group(1)}off{m.group(2)}{label}{m.group(3)}", html, count=1)


class PublicSiteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def _switch(self, request: HttpRequest) -> HttpResponse | None:
        lang = request.GET.get("lang")
        furigana = request.GET.get("furigana")
        if lang is None and furigana is None:
            return None
        rest = [(k, v) for k, values in request.GET.lists() for v in values]
        rest = [(k, v) for k, v in rest if k not in ("lang", "furigana")]
        target = request.path + (("?" + urlencode(rest)) if rest else "")
        response = HttpResponseRedirect(target)
        secure = bool(getattr(settings, "SESSION_COOKIE_SECURE", False))
        if supported_language(lang):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                str(lang),
                max_age=COOKIE_AGE,
                samesite="Lax",
                secure=secure,
                httponly=True,
            )
        if furigana in ("on", "off"):
            response.set_cookie(
                FURIGANA_COOKIE,
                "1" if furigana == "on" else "0",
                max_age=COOKIE_AGE,
                samesite="Lax",
                secure=secure,
                httponly=True,
            )
        response["Cache-Control"] = "no-store"
        return response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        public = is_public_path(path)
        if public and request.method in ("GET", "HEAD"):
            switched = self._switch(request)
            if switched is not None:
                return switched
        if path.startswith(("/staff/", "/admin/")):
            language = settings.LANGUAGE_CODE
        else:
            language = (
                supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
                or settings.LANGUAGE_CODE
            )
        translation.activate(language)
        request.LANGUAGE_CODE = language
        request.furigana = public and request.COOKIES.get(FURIGANA_COOKIE) == "1"  # type: ignore[attr-defined]
        response = self.get_response(request)
        if public:
            patch_vary_headers(response, ("Cookie",))
        if (
            request.furigana  # type: ignore[attr-defined]
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.has_header("Content-Disposition")
        ):
            from keikaku.publication.furigana import furigana_html

            charset = response.charset or "utf-8"
            html = response.content.decode(charset, errors="replace")
            response.content = furigana_html(switch_to_off(html)).encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


# --------------------------------------------------------------------------- page cache

PAGE_CACHE_MIDDLEWARE = "keikaku.publication.middleware.PublicPageCacheMiddleware"
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage
# Headers of the stored response that are not replayed: the cache marker is set per answer.
NOT_STORED = {"x-keikaku-cache", "set-cookie"}


def page_cache_key(request: HttpRequest) -> str | None:
    """The whole-response cache key of an anonymous GET of a public page, else None.

    The key holds everything the finished response depends on: the public content version,
    the language and furigana cookies (and the furigana exceptions list when furigana is on),
    the scheme and the path. Requests that could be answered differently are never looked up: other
    methods, a query string, a session cookie (signed-in staff, or anyone the site keeps
    state for), a pending message, a disallowed host, plain http when https is enforced.
    """
    if request.method != "GET" or request.META.get("QUERY_STRING"):
        return None
    path = request.path_info
    if not is_public_path(path):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return None
    if getattr(settings, "SECURE_SSL_REDIRECT", False) and not request.is_secure():
        return None
    try:
        request.get_host()
    except DisallowedHost:
        return None
    language = (
        supported_language(cookies.get(settings.LANGUAGE_COOKIE_NAME)) or settings.LANGUAGE_CODE
    )
    ruby = "-"
    if cookies.get(FURIGANA_COOKIE) == "1":
        from keikaku.publication.furigana import exceptions

        ruby = exceptions()[1]
    scheme = "https" if request.is_secure() else "http"  # HSTS is only sent over https
    return f"response:{public_content_version()}:{language}:{ruby}:{scheme}:{request.path}"


def storable(response: HttpResponse) -> bool:
    """Only what ``public_page_cache`` stored or served (the view's page, the same for every
    anonymous reader: no CSRF token, no message) is stored, as the whole middleware stack
    finished it, and only when that added nothing reader-specific (a cookie, a CSP nonce)."""
    return (
        response.status_code == 200
        and not response.streaming
        and getattr(response, CACHEABLE_ATTRIBUTE, False) is True
        and not response.cookies
        and "'nonce-" not in response.get("Content-Security-Policy", "")
    )


class PublicPageCacheMiddleware:
    """Answers anonymous GETs of cached public pages before the rest of the stack runs (no
    session, CSRF, authentication, URL resolution, view or template), with the headers the
    full stack gave the first answer (CSP, Vary, Content-Language and the rest).

    Must come before SecurityMiddleware and every middleware that adds a header; the
    view-level cache (``keikaku.core.cache.public_page_cache``) still serves requests this
    layer does not look up (e.g. a reader with a session cookie), and decides what is
    cacheable at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = page_cache_key(request)
        if key is None:
            return self.get_response(request)
        cached = cache.get(key)
        if cached is not None:
            status, headers, body = cached
            response = HttpResponse(body, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Keikaku-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if storable(response):
            headers = [(k, v) for k, v in response.items() if k.lower() not in NOT_STORED]
            cache.set(
                key,
                (response.status_code, headers, response.content),
                settings.KEIKAKU_PAGE_CACHE_SECONDS,
            )
        return response


# --------------------------------------------------------------------------- open-data API


def _public_state() -> tuple[int, dt.datetime]:
    """``state.public_state()`` without its query of the version on every request: the
    version comes from :func:`public_content_version`, and the date it was first seen is
    kept in the cache under that version."""
    version = public_content_version()
    key = f"publication:api-state:{version}"
    changed: dt.datetime | None = cache.get(key)
    if changed is None:
        from keikaku.publication.state import public_state

        version, changed = public_state()
        cache.set(f"publication:api-state:{version}", changed, 3600)
    return version, changed


API_PREFIX = "/api/v1/"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since, Accept",
    "Access-Control-Expose-Headers": "ETag, Last-Modified",
    "Access-Control-Max-Age": "86400",
}


def _json_error(status: int) -> HttpResponse:
    """API errors are JSON even when Django answers (an unknown path, a bad path value)."""
    from django.http import JsonResponse
    from django.utils.translation import gettext

    messages = {
        404: gettext("そのデータは見つかりません。URL を確かめてください。"),
        405: gettext("この API は読み取り専用です（GET だけが使えます）。"),
    }
    detail = messages.get(status, gettext("リクエストを処理できませんでした。"))
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


class OpenDataApiMiddleware:
    """CORS for GET, ETag and Last-Modified from the public content version, 304 answers to
    conditional requests, and a response cache per content version, for /api/v1/ and the
    open-data CSV files (/open-data/*.csv)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        # The outermost middleware also answers public pages from the whole-response cache,
        # unless PublicPageCacheMiddleware is listed in MIDDLEWARE on its own.
        self.pages: Callable[[HttpRequest], HttpResponse] = get_response
        if PAGE_CACHE_MIDDLEWARE not in settings.MIDDLEWARE:
            self.pages = PublicPageCacheMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        is_csv = path.startswith("/open-data/") and path.endswith(".csv")
        if not (path.startswith(API_PREFIX) or is_csv):
            return self.pages(request)
        if getattr(settings, "SECURE_SSL_REDIRECT", False) and not request.is_secure():
            return self.get_response(request)  # SecurityMiddleware redirects to https
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            for k, v in CORS_HEADERS.items():
                response[k] = v
            return response
        if request.method not in ("GET", "HEAD"):
            response = self.get_response(request)
            for k, v in CORS_HEADERS.items():
                response[k] = v
            return response
        version, changed = _public_state()
        # The language cookie reaches the API too (translated titles and messages): it is
        # part of the representation, so of its cache key and ETag.
        language = (
            supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
            or settings.LANGUAGE_CODE
        )
        full = f"{language} {request.get_full_path()}"
        digest = hashlib.sha256(full.encode("utf-8")).hexdigest()[:20]
        etag = f'W/"{version}-{digest}"'
        last_modified = int(changed.timestamp())
        not_modified = False
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            tags = [t.strip() for t in if_none_match.split(",")]
            not_modified = etag in tags or "*" in tags or etag.removeprefix("W/") in tags
        else:
            since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
            not_modified = since is not None and last_modified <= since
        key = f"publication:api-response:{version}:{digest}"
        if not_modified:
            response = HttpResponse(status=304)
        else:
            cached = cache.get(key) if request.method == "GET" else None
            if cached is not None:
                # the finished answer, headers included: nothing to add
                status, headers, body = cached
                response = HttpResponse(body, status=status)
                for name, value in headers:
                    response[name] = value
                response["X-Keikaku-Cache"] = "hit"
                return response
            response = self.get_response(request)
        if (
            response.status_code >= 400
            and path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            response = _json_error(response.status_code)
        if response.status_code in (200, 304):
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
            response["Cache-Control"] = "public, max-age=0, must-revalidate"
            patch_vary_headers(response, ("Cookie",))
        for k, v in CORS_HEADERS.items():
            response[k] = v
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", "same-origin")
        if not not_modified:
            if (
                request.method == "GET"
                and response.status_code == 200
                and not response.streaming
                and not response.cookies
            ):
                headers = [(k, v) for k, v in response.items() if k.lower() not in NOT_STORED]
                cache.set(key, (200, headers, response.content), 3600)
            response["X-Keikaku-Cache"] = "miss"
        return response
