"""The public site's switches: language (日本語 / English) and furigana (ruby on kanji).

Both are plain links that work without JavaScript: ``?lang=en`` / ``?lang=ja`` and
``?furigana=on`` / ``?furigana=off`` on any public page set a cookie and redirect to the
same page without the parameter.

- The language is the cookie's (Django's ``django_language``), else Japanese; the browser's
  Accept-Language is not used, so a page is Japanese unless the reader chose English.
  Staff pages and the admin are always Japanese.
- With furigana on, every public HTML page gets ruby readings after it is rendered (and
  after the page cache), see :mod:`keikaku.publication.furigana`.

Place right after ``django.middleware.locale.LocaleMiddleware``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers

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


# --------------------------------------------------------------------------- open-data API

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

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        is_csv = path.startswith("/open-data/") and path.endswith(".csv")
        if not (path.startswith(API_PREFIX) or is_csv):
            return self.get_response(request)
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
        import hashlib

        from django.core.cache import cache
        from django.utils.http import http_date, parse_http_date_safe

        from keikaku.publication.state import public_state

        version, changed = public_state()
        full = request.get_full_path()
        digest = hashlib.sha256(full.encode("utf-8")).hexdigest()[:20]
        etag = f'W/"{version}-{digest}"'
        last_modified = int(changed.timestamp())
        not_modified = False
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = [t.strip() for t in if_none_match.split(",")]
            not_modified = etag in tags or "*" in tags or etag.removeprefix("W/") in tags
        else:
            since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
            not_modified = since is not None and last_modified <= since
        if not_modified:
            response = HttpResponse(status=304)
        else:
            key = f"publication:api:{version}:{digest}"
            cached = cache.get(key)
            if cached is not None:
                body, status, ctype, disposition = cached
                response = HttpResponse(body, status=status, content_type=ctype)
                if disposition:
                    response["Content-Disposition"] = disposition
                response["X-Keikaku-Cache"] = "hit"
            else:
                response = self.get_response(request)
                if response.status_code == 200 and not response.streaming:
                    cache.set(
                        key,
                        (
                            response.content,
                            200,
                            response["Content-Type"],
                            response.get("Content-Disposition", ""),
                        ),
                        3600,
                    )
                response["X-Keikaku-Cache"] = "miss"
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
        for k, v in CORS_HEADERS.items():
            response[k] = v
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", "same-origin")
        return response
