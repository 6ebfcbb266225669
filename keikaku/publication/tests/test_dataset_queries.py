"""What the open-data catalogue and the API's lists cost in queries: a constant, the same for
a small and a larger plan, and the same for a page of 10 and of 100 rows.

The API caches whole answers per content version and full path, in memory too (see
keikaku.publication.middleware and keikaku.core.cache): every counted request has a path of
its own (``_=n``, which the API ignores) and must be a miss. Before counting, two requests settle what a request does
once per content version (recording the version, filling the plan cache). PostgreSQL reads
the content version once more than SQLite (keikaku.core.cache remembers it only for SQLite).
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test import Client

from keikaku.core import cache as page_cache
from keikaku.plans import models as m
from keikaku.plans import services
from keikaku.plans.tests.factories import make_small_plan, make_staff
from keikaku.publication import opendata, registry
from keikaku.publication.api import api

pytestmark = pytest.mark.django_db

# The one more read of the content version on PostgreSQL (see the module docstring).
PG = 0 if connection.vendor == "sqlite" else 1


@pytest.fixture(autouse=True)
def trusted(monkeypatch):
    """The test database files count as old enough at once (see keikaku.core.cache)."""
    monkeypatch.setattr(page_cache, "STAMP_MARGIN_NS", 0)
    page_cache._memos.memo = None
    yield
    page_cache._memos.memo = None


def _publish(extra_measures: int) -> None:
    """The small plan (1 measure, 1 indicator with 1 value) and ``extra_measures`` more
    measures with one indicator and two values each, published."""
    plan = make_small_plan()
    for n in range(2, 2 + extra_measures):
        measure = m.Measure.objects.create(
            area=plan.area, code=f"1-{n}", title=f"施策{n}", order=n, sdgs=[n % 17 + 1]
        )
        measure.departments.add(plan.department)
        indicator = m.Indicator.objects.create(
            measure=measure,
            code=f"1-{n}-1",
            name=f"指標{n}",
            unit="%",
            baseline_value=10,
            baseline_fy=2023,
            target_value=20,
            target_fy=2029,
        )
        m.IndicatorValue.objects.create(indicator=indicator, fiscal_year=2025, value=n)
        m.IndicatorValue.objects.create(indicator=indicator, fiscal_year=2026, value=n + 1)
    services.edition_publish(edition=plan.edition, actor=make_staff("pub"))


SIZES = {"small": 0, "larger": 11}


@pytest.fixture(params=sorted(SIZES))
def size(request) -> str:
    _publish(SIZES[request.param])
    return request.param


_fresh = itertools.count()


def _settle(client: Client, url: str) -> None:
    client.get(f"{url}?_={next(_fresh)}")
    client.get(f"{url}?_={next(_fresh)}")


def _miss(client: Client, url: str) -> dict:
    """GET ``url`` (with a query string) under a path of its own: a cache miss."""
    response = client.get(f"{url}&_={next(_fresh)}")
    assert response.status_code == 200
    assert response["X-Keikaku-Cache"] == "miss"
    return response.json()


# --------------------------------------------------------------------------- the catalogue


def test_the_catalogue_reads_the_recorded_dates_in_three_queries(
    client: Client, size: str, django_assert_num_queries
):
    opendata.refresh_dates(force=True)
    _settle(client, "/api/v1/datasets")
    # the content version, the dataset states, the datasets' public state: none per dataset
    with django_assert_num_queries(3 + PG):
        page = _miss(client, "/api/v1/datasets?limit=100")
    assert page["count"] == len(registry.datasets()) == 19
    measures = next(d for d in page["results"] if d["key"] == "plan-measures")
    assert measures["csv_url"] == "/open-data/plan-measures.csv"
    assert measures["api_path"] == "/api/v1/measures"
    recorded = opendata.DatasetState.objects.get(key="plan-measures")
    assert measures["updated_at"] is not None
    # the recorded moment, in the city's time zone
    assert measures["updated_at"].endswith("+09:00")
    ms = recorded.updated_at.microsecond // 1000 * 1000  # JSON keeps milliseconds
    assert dt.datetime.fromisoformat(measures["updated_at"]) == recorded.updated_at.replace(
        microsecond=ms
    )
    assert opendata.DatasetState.objects.get(key="indicator-values").row_count == (
        1 if size == "small" else 1 + 2 * SIZES["larger"]
    )


def test_the_catalogue_without_a_current_record_computes_each_shared_date_once(
    client: Client, size: str, django_assert_num_queries
):
    _settle(client, "/api/v1/datasets")
    assert not opendata.recorded_states().current  # nobody refreshed at this version
    # as above, plus once each: council.api.updated_at() (6 tables), the published
    # evaluation rounds, the published population outlook — whatever the number of datasets
    with django_assert_num_queries(3 + 6 + 1 + 1 + PG):
        page = _miss(client, "/api/v1/datasets?limit=10")
    assert (page["count"], len(page["results"])) == (19, 10)
    assert page["next"].startswith("http://testserver/api/v1/datasets?limit=10&")
    assert page["next"].endswith("&offset=10")
    assert [d["key"] for d in page["results"][:3]] == [
        "plan-measures",
        "measure-relations",
        "strategies",
    ]
    assert {d["updated_at"] for d in page["results"]} == {None}  # nothing recorded, no own date


def test_the_catalogue_costs_the_same_for_10_and_100_rows(
    client: Client, size: str, django_assert_num_queries
):
    opendata.refresh_dates(force=True)
    _settle(client, "/api/v1/datasets")
    for limit in (10, 100):
        with django_assert_num_queries(3 + PG):
            _miss(client, f"/api/v1/datasets?limit={limit}")


def test_a_refresh_records_the_own_date_and_reading_it_needs_no_query(
    size: str, django_assert_num_queries
):
    states = opendata.refresh_dates(force=True)
    assert states.current
    dataset = registry.dataset_get("plan-measures")
    assert dataset is not None
    with django_assert_num_queries(0):
        date = opendata.updated_at(dataset, states)
    assert date == states["plan-measures"].updated_at
    # a plain mapping (an old caller) still asks the dataset for its own date first
    with django_assert_num_queries(0):  # the plan has no own date: no query either
        assert opendata.updated_at(dataset, dict(states)) == date


# --------------------------------------------------------------------------- the lists

# Queries of each list at both sizes and both page sizes, SQLite (PostgreSQL: one more).
# The plan's lists: the content version (the plan itself comes from the cache); the others
# read their app's published data once more (council members, meetings, bills; the action
# plan's entries; the sectoral plans, one query per policy area of the plan: resilience.api
# has no call for a whole edition yet, and the test plans have one area).
LISTS = {
    "/api/v1/areas": 1,
    "/api/v1/measures": 1,
    "/api/v1/strategies": 1,
    "/api/v1/indicators": 1,
    "/api/v1/indicator-values": 1,
    "/api/v1/evaluations": 1,
    "/api/v1/public-comments": 1,
    "/api/v1/population/scenarios": 1,
    "/api/v1/population/targets": 1,
    "/api/v1/population/age-structure": 1,
    "/api/v1/schedule": 1,
    "/api/v1/sectoral-plans": 2,
    "/api/v1/resilience/programmes": 2,
    "/api/v1/resilience/sites": 2,
    "/api/v1/council/members": 2,
    "/api/v1/council/meetings": 2,
    "/api/v1/assembly/bills": 2,
}


def _list_paths() -> list[str]:
    schema = api.get_openapi_schema()
    return sorted(
        path
        for path, ops in schema["paths"].items()
        if "{" not in path
        and "get" in ops
        and "offset" in {p["name"] for p in ops["get"].get("parameters", [])}
    )


def test_every_list_of_the_api_is_counted_here():
    assert sorted([*LISTS, "/api/v1/datasets"]) == _list_paths()


@pytest.mark.parametrize("path", sorted(LISTS))
def test_a_list_costs_the_same_whatever_the_page_and_data_size(
    client: Client, size: str, path: str, django_assert_num_queries
):
    _settle(client, path)
    for limit in (10, 100):
        with django_assert_num_queries(LISTS[path] + PG):
            page = _miss(client, f"{path}?limit={limit}")
        assert page["limit"] == limit


def test_the_measure_list_answers_every_measure(client: Client, size: str):
    page = client.get("/api/v1/measures?limit=100").json()
    assert page["count"] == 1 + SIZES[size]
    assert [x["code"] for x in page["results"][:2]] == (
        ["1-1"] if size == "small" else ["1-1", "1-2"]
    )
    values = client.get("/api/v1/indicator-values?limit=10").json()
    assert values["count"] == 1 + 2 * SIZES[size]
    assert values["results"][0]["value"] == 7  # the small plan's 2025 value of 1-1-1
