"""The public content version read on every cached request, and what the page cache stores.

Query counts are exact: on SQLite a cached request must not touch the database; on
PostgreSQL (no database file to watch) the version is one indexed read per call.
"""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.contrib import messages
from django.db import connection, connections
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from keikaku.core import cache as page_cache
from keikaku.core.selectors import content_version_get
from keikaku.core.services import content_version_bump


def _reads(calls: int) -> int:
    """Version reads for `calls` answers that SQLite serves from memory."""
    return 0 if connection.vendor == "sqlite" else calls


@pytest.fixture
def trusted(monkeypatch):
    """Database files count as old enough at once (no waiting for the margin in tests)."""
    monkeypatch.setattr(page_cache, "STAMP_MARGIN_NS", 0)
    page_cache._memos.memo = None
    yield
    page_cache._memos.memo = None


@pytest.mark.django_db
def test_the_version_is_read_once_then_answered_from_memory(trusted):
    content_version_bump()  # 0 → 1
    content_version_bump()  # 1 → 2
    with CaptureQueriesContext(connection) as first:
        assert page_cache.public_content_version() == 2
    with CaptureQueriesContext(connection) as later:
        assert page_cache.public_content_version() == 2
        assert page_cache.public_content_version() == 2
    assert len(first) == 1
    assert len(later) == _reads(2)


@pytest.mark.django_db
def test_a_bump_by_this_connection_is_seen_before_it_is_committed(trusted):
    # The test runs inside a transaction that is never committed: the database files do not
    # change, only the connection's count of changed rows does.
    assert page_cache.public_content_version() == 0
    content_version_bump()
    with CaptureQueriesContext(connection) as queries:
        assert page_cache.public_content_version() == 1
    assert len(queries) == 1
    assert page_cache.public_content_version() == content_version_get() == 1


@pytest.mark.django_db
def test_a_changed_database_file_reads_the_row_again(trusted, monkeypatch):
    assert page_cache.public_content_version() == 0
    real = page_cache._stamp
    monkeypatch.setattr(page_cache, "_stamp", lambda name: (*real(name)[:-1], 12345))
    with CaptureQueriesContext(connection) as queries:
        assert page_cache.public_content_version() == 0
    assert len(queries) == 1


@pytest.mark.django_db
def test_a_recently_written_database_is_not_trusted(monkeypatch):
    monkeypatch.setattr(page_cache, "STAMP_MARGIN_NS", 10**18)  # every file is "recent"
    page_cache._memos.memo = None
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert page_cache.public_content_version() == 0
    assert len(queries) == 3


@pytest.mark.django_db
def test_other_scopes_are_always_read():
    content_version_bump(scope="staff")
    with CaptureQueriesContext(connection) as queries:
        assert page_cache.public_content_version("staff") == 1
        assert page_cache.public_content_version("staff") == 1
    assert len(queries) == 2


@pytest.mark.django_db(transaction=True)
def test_a_publish_committed_by_another_connection_is_seen_at_once():
    """As another gunicorn worker would: a second thread has its own connection."""
    name = connection.settings_dict["NAME"]
    content_version_bump()  # committed: the row exists, version 1
    past = time.time() - 60
    for suffix in ("", "-wal"):
        if os.path.exists(name + suffix):
            os.utime(name + suffix, (past, past))  # old enough to be trusted
    page_cache._memos.memo = None
    assert page_cache.public_content_version() == 1
    with CaptureQueriesContext(connection) as queries:
        assert page_cache.public_content_version() == 1
    assert len(queries) == _reads(1)

    def publish_elsewhere() -> None:
        content_version_bump()
        connections.close_all()

    worker = threading.Thread(target=publish_elsewhere)
    worker.start()
    worker.join()
    assert page_cache.public_content_version() == 2


# --------------------------------------------------------------------------- what is stored


def _anonymous(path: str = "/cache-test/") -> HttpRequest:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _render(request: HttpRequest, source: str) -> HttpResponse:
    template = engines["django"].from_string(source)
    return HttpResponse(template.render({"messages": request._messages}, request))  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_page_is_stored_and_served_from_the_cache():
    calls = []

    @page_cache.public_page_cache
    def view(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        return HttpResponse("同じページ")

    assert view(_anonymous())["X-Keikaku-Cache"] == "miss"
    second = view(_anonymous())
    assert second["X-Keikaku-Cache"] == "hit"
    assert second.content.decode() == "同じページ"
    assert len(calls) == 1


@pytest.mark.django_db
def test_a_page_with_a_csrf_token_is_never_stored():
    @page_cache.public_page_cache
    def view(request: HttpRequest) -> HttpResponse:
        return _render(request, '<form method="post">{% csrf_token %}</form>')

    first = view(_anonymous("/form/"))
    second = view(_anonymous("/form/"))
    assert (first["X-Keikaku-Cache"], second["X-Keikaku-Cache"]) == ("miss", "miss")
    assert first.content != second.content  # each reader gets their own token


@pytest.mark.django_db
def test_a_page_showing_a_message_is_never_stored():
    @page_cache.public_page_cache
    def view(request: HttpRequest) -> HttpResponse:
        messages.info(request, "送信しました。")
        return _render(request, "{% for m in messages %}{{ m }}{% endfor %}")

    assert view(_anonymous("/message/")).content.decode() == "送信しました。"
    assert view(_anonymous("/message/"))["X-Keikaku-Cache"] == "miss"


@pytest.mark.django_db
def test_a_page_setting_a_cookie_is_never_stored():
    @page_cache.public_page_cache
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("クッキーつき")
        response.set_cookie("reader", "1")
        return response

    view(_anonymous("/cookie/"))
    assert view(_anonymous("/cookie/"))["X-Keikaku-Cache"] == "miss"
