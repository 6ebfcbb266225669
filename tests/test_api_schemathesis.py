"""Property-based tests of the open-data API against its own OpenAPI schema (schemathesis).

Every operation of /api/v1/openapi.json is called with generated valid and invalid input
(schemathesis' positive and negative modes, its coverage, examples and fuzzing phases)
through the WSGI application, so the middleware (CORS, ETag, JSON errors) is on the path.
Every built-in check runs: no server error, status code, content type, headers and body
match the schema, invalid input is rejected, valid input accepted.

The data is made once for the module and rolled back at its end: a published plan with
two policy areas, an open public comment round, the council with members and meetings, and
a published population outlook — so the list and detail operations answer with real rows,
not only empty pages. The schema is taken from the API object (no request, no database
access while collecting). ``test_every_operation_is_called`` checks that the schema has them all.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from config.wsgi import application
from keikaku.publication.api import api

RAW_SCHEMA = api.get_openapi_schema(path_prefix="/api/v1")
schema = schemathesis.openapi.from_dict(RAW_SCHEMA)
schema.app = application

OPERATIONS = sorted(
    f"{method.upper()} {path}" for path, item in RAW_SCHEMA["paths"].items() for method in item
)


def _make_city() -> None:
    from keikaku.council.tests import factories as council
    from keikaku.demography import services as demography
    from keikaku.demography.tests.factories import make_run
    from keikaku.participation.tests.factories import make_round
    from keikaku.plans import models as pm
    from keikaku.plans import services
    from keikaku.plans.tests.factories import make_small_plan

    plan = make_small_plan()
    second = pm.PolicyArea.objects.create(edition=plan.edition, number=2, title="都市基盤")
    measure = pm.Measure.objects.create(area=second, code="2-1", title="公共交通の充実", order=1)
    indicator = pm.Indicator.objects.create(
        measure=measure,
        code="2-1-1",
        name="循環バスの利用者数",
        unit="人",
        baseline_value=183456,
        baseline_fy=2023,
        target_value=None,
        target_fy=None,
        survey_based=True,
    )
    pm.IndicatorValue.objects.create(indicator=indicator, fiscal_year=2024, value=None)
    pm.IndicatorValue.objects.create(indicator=indicator, fiscal_year=2025, value=190012.5)
    services.edition_publish(edition=plan.edition, actor="test")
    make_round(plan)
    body = council.make_council()
    council.make_member(body)
    council.make_member(body, "𠮷田 花子", kana="よしだ はなこ", category="public")
    council.make_meeting(body, 1, held_on=dt.date(2024, 4, 25))
    council.make_meeting(body, 2, held_on=dt.date(2024, 7, 18))
    run = make_run()
    followed = run.results.get(name="出生率上昇")
    outlook = demography.outlook_save(
        outlook=None,
        actor="test",
        expected_version=None,
        changes={
            "title": "人口の将来展望",
            "result": followed,
            "targets": demography.targets_from_result(followed),
            "explanation": "人口は減ります。\n子育てしやすいまちにします。",
        },
    )
    demography.outlook_publish(outlook=outlook, actor="test")


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    """The module's data, in a transaction rolled back after the last test of the module
    (each test runs in a savepoint inside it, as pytest-django's ``db`` does)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            _make_city()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def published_city(city, db):
    """The WSGI requests share the test's database connection (as Django's test client
    does): the request signals must not close it."""
    from django.core import signals
    from django.core.cache import cache
    from django.db import close_old_connections

    cache.clear()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_open_data_api_matches_its_schema(case, published_city):
    response = case.call_and_validate()
    assert response.status_code < 500
    if case.method.upper() == "GET" and response.status_code in (200, 304):
        headers = {k.lower(): v for k, v in response.headers.items()}
        assert headers["access-control-allow-origin"] == ["*"]
        assert headers["etag"][0].startswith('W/"')
        assert headers["cache-control"] == ["public, max-age=0, must-revalidate"]


def test_every_operation_is_called():
    """schemathesis makes one test above per operation of the schema: every operation parses
    (an operation it cannot read would be an ``Err`` here and an error above), and the
    schema has all the open-data operations of the API."""
    results = list(schema.get_all_operations())
    labels = sorted(r.ok().label for r in results)  # ok() raises on an unreadable operation
    assert labels == OPERATIONS
    assert len(OPERATIONS) == 31
    for needed in (
        "GET /api/v1/plan",
        "GET /api/v1/measures",
        "GET /api/v1/indicators",
        "GET /api/v1/indicator-values",
        "GET /api/v1/evaluations",
        "GET /api/v1/public-comments/{round_id}/result",
        "GET /api/v1/council/meetings",
        "GET /api/v1/population/scenarios",
        "GET /api/v1/sectoral-plans",
        "GET /api/v1/assembly/bills",
        "GET /api/v1/resilience/programmes",
        "GET /api/v1/resilience/sites",
    ):
        assert needed in OPERATIONS, needed


def test_the_lists_answer_with_rows(client, published_city):
    """The module's data reaches the operations the fuzzing calls (not just empty pages)."""
    counts = {
        path: client.get(path).json()["count"]
        for path in (
            "/api/v1/areas",
            "/api/v1/measures",
            "/api/v1/indicators",
            "/api/v1/indicator-values",
            "/api/v1/public-comments",
            "/api/v1/population/targets",
            "/api/v1/council/members",
            "/api/v1/council/meetings",
        )
    }
    assert counts == {
        "/api/v1/areas": 2,
        "/api/v1/measures": 2,
        "/api/v1/indicators": 2,
        "/api/v1/indicator-values": 3,  # 1-1-1: FY2025; 2-1-1: FY2024 (no value), FY2025
        "/api/v1/public-comments": 1,
        "/api/v1/population/targets": 10,  # 2025, 2030, … 2070
        "/api/v1/council/members": 2,
        "/api/v1/council/meetings": 2,
    }
