"""What a cached public request costs (exact query counts, no template) and what may never be
answered from the cache: staff, POSTs, query strings, forms with a CSRF token; the language
and furigana cookies are part of the key, and a publish changes it."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path

from keikaku.core import cache as page_cache
from keikaku.core.services import content_version_bump
from keikaku.plans import services
from keikaku.plans.models import Measure
from keikaku.plans.tests.factories import make_small_plan, make_staff
from keikaku.publication.middleware import page_cache_key

pytestmark = pytest.mark.django_db

PAGE = "/plan/measures/1-1/"


@pytest.fixture
def published():
    plan = make_small_plan()
    services.edition_publish(edition=plan.edition, actor=make_staff("pub"))
    return plan


@pytest.fixture(autouse=True)
def trusted(monkeypatch):
    """The test database files count as old enough at once (see keikaku.core.cache)."""
    monkeypatch.setattr(page_cache, "STAMP_MARGIN_NS", 0)
    page_cache._memos.memo = None
    yield
    page_cache._memos.memo = None


def _header_items(response: HttpResponse) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in response.items() if k != "X-Keikaku-Cache")


# --------------------------------------------------------------------------- cost of a hit


def test_a_cached_page_costs_no_query_and_renders_no_template(client: Client, published):
    first = client.get(PAGE)
    assert first["X-Keikaku-Cache"] == "miss"
    assert "public/measure.html" in [t.name for t in first.templates]
    with CaptureQueriesContext(connection) as queries:
        second = client.get(PAGE)
    assert second["X-Keikaku-Cache"] == "hit"
    # SQLite: none; PostgreSQL: the one read of the content version
    assert len(queries) == (0 if connection.vendor == "sqlite" else 1)
    assert second.templates == []
    assert second.content == first.content


def test_a_hit_repeats_every_header_of_the_first_answer(client: Client, published):
    first = client.get(PAGE)
    second = client.get(PAGE)
    assert second["X-Keikaku-Cache"] == "hit"
    assert _header_items(second) == _header_items(first)
    assert second["Vary"] == "Cookie, Accept-Language"
    assert second["Content-Language"] == "ja"
    assert second["X-Frame-Options"] == "DENY"
    assert second["Content-Security-Policy"].startswith("default-src 'self'")
    assert second["Content-Length"] == str(len(first.content))


def test_a_cached_api_answer_costs_no_query(client: Client, published):
    first = client.get("/api/v1/measures?limit=5")
    assert first["X-Keikaku-Cache"] == "miss"
    # The first answer recorded when this version was first seen (a write on this
    # connection), so the next request reads the version once more; then none.
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/api/v1/measures?limit=5")
    assert second["X-Keikaku-Cache"] == "hit"
    assert [q["sql"] for q in queries.captured_queries] == [
        """SELECT "version" FROM "core_contentversion" WHERE "key" = 'public'"""
    ]
    with CaptureQueriesContext(connection) as queries:
        third = client.get("/api/v1/measures?limit=5")
    assert third["X-Keikaku-Cache"] == "hit"
    assert len(queries) == (0 if connection.vendor == "sqlite" else 1)
    assert third.content == first.content
    assert third["ETag"] == first["ETag"]


def test_a_cached_api_answer_has_the_headers_of_the_first(client: Client, published):
    first = client.get("/api/v1/datasets")
    client.get("/api/v1/datasets")
    second = client.get("/api/v1/datasets")
    assert second["X-Keikaku-Cache"] == "hit"
    assert _header_items(second) == _header_items(first)
    assert second["Access-Control-Allow-Origin"] == "*"
    assert second["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert second["Content-Length"] == str(len(first.content))
    assert "Cookie" in second["Vary"]


def test_api_answers_are_cached_per_language(published):
    japanese, english = Client(), Client()
    english.cookies["django_language"] = "en"
    ja_first = japanese.get("/api/v1/datasets")
    en_first = english.get("/api/v1/datasets")
    assert en_first["X-Keikaku-Cache"] == "miss"  # not the Japanese answer
    assert (ja_first["Content-Language"], en_first["Content-Language"]) == ("ja", "en")
    assert ja_first["ETag"] != en_first["ETag"]
    ja_again, en_again = japanese.get("/api/v1/datasets"), english.get("/api/v1/datasets")
    assert (ja_again["X-Keikaku-Cache"], en_again["X-Keikaku-Cache"]) == ("hit", "hit")
    assert ja_again.content == ja_first.content
    assert en_again.content == en_first.content
    assert english.get("/api/v1/datasets", HTTP_IF_NONE_MATCH=ja_first["ETag"]).status_code == 200


# --------------------------------------------------------------------------- invalidation


def test_a_publish_changes_what_the_early_cache_answers(client: Client, published):
    client.get(PAGE)
    assert client.get(PAGE)["X-Keikaku-Cache"] == "hit"
    staff = make_staff("p2")
    measure = Measure.objects.get(pk=published.measure.pk)
    services.plan_object_update(
        obj=measure,
        actor=staff,
        expected_version=measure.version,
        changes={"title": "新しい施策名"},
    )
    assert "新しい施策名" not in client.get(PAGE).content.decode()  # not published yet
    services.measure_publish(measure=Measure.objects.get(pk=measure.pk), actor=staff)
    after = client.get(PAGE)
    assert after["X-Keikaku-Cache"] == "miss"
    assert "<h1>新しい施策名</h1>" in after.content.decode()
    assert client.get(PAGE)["X-Keikaku-Cache"] == "hit"


# --------------------------------------------------------------------------- never from the cache


def test_staff_never_get_a_cached_page(client: Client, published):
    client.get(PAGE)
    assert client.get(PAGE)["X-Keikaku-Cache"] == "hit"
    client.force_login(make_staff("viewer"))
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "X-Keikaku-Cache" not in response
    assert "public/measure.html" in [t.name for t in response.templates]


def test_posts_and_query_strings_are_rendered_afresh(client: Client, published):
    client.get(PAGE)
    assert client.get(PAGE)["X-Keikaku-Cache"] == "hit"
    posted = client.post(PAGE, {})
    assert "X-Keikaku-Cache" not in posted
    assert posted.templates != []
    queried = client.get(PAGE + "?utm=1")
    assert "X-Keikaku-Cache" not in queried
    assert queried.templates != []


def test_language_and_furigana_are_separate_cache_entries(client: Client, published):
    japanese = client.get(PAGE)
    assert '<html lang="ja">' in japanese.content.decode()
    client.get(PAGE + "?lang=en")
    english = client.get(PAGE)
    assert english["X-Keikaku-Cache"] == "miss"
    assert '<html lang="en">' in english.content.decode()
    assert client.get(PAGE)["X-Keikaku-Cache"] == "hit"
    client.get(PAGE + "?lang=ja")
    client.get(PAGE + "?furigana=on")
    ruby = client.get(PAGE)
    assert "<ruby>" in ruby.content.decode()
    again = client.get(PAGE)
    assert again["X-Keikaku-Cache"] == "hit"
    assert again.content == ruby.content
    client.get(PAGE + "?furigana=off")
    plain = client.get(PAGE)
    assert plain["X-Keikaku-Cache"] == "hit"
    assert plain.content == japanese.content


def test_the_key_holds_language_furigana_and_version_and_skips_what_must_not_be_cached():
    content_version_bump()
    factory = RequestFactory()

    def key(url: str = PAGE, method: str = "get", **cookies: str) -> str | None:
        request = getattr(factory, method)(url)
        request.COOKIES.update(cookies)
        return page_cache_key(request)

    assert key() == f"response:1:ja:-:http:{PAGE}"
    assert key(django_language="en") == f"response:1:en:-:http:{PAGE}"
    assert key(django_language="fr") == f"response:1:ja:-:http:{PAGE}"
    secure = factory.get(PAGE, secure=True)
    assert page_cache_key(secure) == f"response:1:ja:-:https:{PAGE}"
    ruby = key(keikaku_furigana="1")
    assert ruby is not None and ruby.startswith("response:1:ja:") and ruby != key()
    assert key(method="post") is None
    assert key(method="head") is None
    assert key(PAGE + "?q=1") is None
    assert key(sessionid="abc") is None
    assert key(messages="abc") is None
    assert key("/staff/") is None
    assert key("/api/v1/measures") is None
    assert key("/static/keikaku/css/site.css") is None


# --------------------------------------------------------------------------- a page with a form


@page_cache.public_page_cache
def _form_page(request: HttpRequest) -> HttpResponse:
    template = engines["django"].from_string(
        '<form method="post" action="/form/">{% csrf_token %}<button>送信</button></form>'
    )
    return HttpResponse(template.render({}, request))


@page_cache.public_page_cache
def _message_page(request: HttpRequest) -> HttpResponse:
    if request.COOKIES.get("sent") == "1":
        messages.success(request, "ご意見を受け付けました。")
    template = engines["django"].from_string(
        "<p>お知らせ</p>{% for m in messages %}<p>{{ m }}</p>{% endfor %}"
    )
    return HttpResponse(template.render({"messages": messages.get_messages(request)}, request))


urlpatterns = [path("form/", _form_page), path("message/", _message_page)]


@pytest.mark.urls(__name__)
def test_a_page_with_a_csrf_token_is_never_cached_for_another_reader():
    reader_a, reader_b = Client(), Client()
    first = reader_a.get("/form/")
    assert first["X-Keikaku-Cache"] == "miss"
    assert "csrftoken" in first.cookies
    for response in (reader_a.get("/form/"), reader_b.get("/form/")):
        assert response["X-Keikaku-Cache"] == "miss"
    # each reader's form carries a token that matches their own cookie
    strict = Client(enforce_csrf_checks=True)
    html = strict.get("/form/").content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert strict.post("/form/", {"csrfmiddlewaretoken": token}).status_code == 200


@pytest.mark.urls(__name__)
def test_a_page_showing_a_message_is_never_cached_for_another_reader():
    sender, other = Client(), Client()
    sender.cookies["sent"] = "1"
    shown = sender.get("/message/")
    assert "ご意見を受け付けました。" in shown.content.decode()
    response = other.get("/message/")
    assert "ご意見を受け付けました。" not in response.content.decode()
    assert response["X-Keikaku-Cache"] == "miss"
    assert other.get("/message/")["X-Keikaku-Cache"] == "hit"
