"""Property-based tests of the open-data API against its own OpenAPI schema (schemathesis).

Every operation of /api/v1/openapi.json is called with generated valid and invalid input
through the WSGI application; no response may be a server error and every response must
match the schema (status code, content type, body). The schema is taken from the API object
(no request at import time, so no database access while collecting).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from config.wsgi import application
from keikaku.publication.api import api

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = application


@pytest.fixture
def published_city(db):
    """A published small plan and a public comment round; the WSGI requests share the test's
    database connection (as Django's test client does)."""
    from django.core import signals
    from django.core.cache import cache
    from django.db import close_old_connections

    from keikaku.participation.tests.factories import make_round
    from keikaku.plans import services
    from keikaku.plans.tests.factories import make_small_plan

    plan = make_small_plan()
    services.edition_publish(edition=plan.edition, actor="test")
    make_round(plan)
    cache.clear()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield plan
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_open_data_api_matches_its_schema(case, published_city):
    case.call_and_validate()
