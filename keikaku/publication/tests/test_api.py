"""The open-data API: published data only, paging and filters, CORS, ETag and 304."""

from __future__ import annotations

import pytest
from django.test import Client

from keikaku.plans import models as m
from keikaku.plans import services
from keikaku.plans.tests.factories import make_small_plan, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    plan = make_small_plan()
    second = m.Measure.objects.create(area=plan.area, code="1-2", title="学校教育の充実", order=2)
    m.Indicator.objects.create(
        measure=second,
        code="1-2-1",
        name="授業がわかる児童の割合",
        unit="%",
        baseline_value=80.5,
        baseline_fy=2023,
        target_value=85,
        target_fy=2029,
        survey_based=True,
    )
    services.edition_publish(edition=plan.edition, actor=make_staff("pub"))
    return plan


def test_nothing_before_publication(client: Client):
    make_small_plan()
    response = client.get("/api/v1/plan")
    assert response.status_code == 404
    assert response.json() == {"detail": "公開されている計画はまだありません。"}


def test_plan_structure(client: Client, published):
    data = client.get("/api/v1/plan").json()
    assert data["municipality_code"] == "112411"
    assert data["vision"] == "しあわせ共感 安心のまち つるがしま"
    assert (data["start_fy"], data["end_fy"]) == (2025, 2029)
    assert data["areas"] == [
        {
            "number": 1,
            "title": "子育て・教育",
            "title_en": "",
            "description": "",
            "measure_count": 2,
            "url": "/plan/areas/1/",
        }
    ]
    assert [s["title"] for s in data["strategies"]] == ["こどもにやさしいまちづくり"]


def test_measures_are_paged_and_filtered(client: Client, published):
    page = client.get("/api/v1/measures?limit=1").json()
    assert page["count"] == 2
    assert page["limit"] == 1 and page["offset"] == 0
    assert [x["code"] for x in page["results"]] == ["1-1"]
    assert page["next"] == "http://testserver/api/v1/measures?limit=1&offset=1"
    assert page["previous"] is None
    second = client.get("/api/v1/measures?limit=1&offset=1").json()
    assert [x["code"] for x in second["results"]] == ["1-2"]
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/measures?limit=1&offset=0"
    assert [x["code"] for x in client.get("/api/v1/measures?strategy=1").json()["results"]] == [
        "1-1"
    ]
    assert [x["code"] for x in client.get("/api/v1/measures?q=学校").json()["results"]] == ["1-2"]
    assert client.get("/api/v1/measures?area=9").json()["count"] == 0


def test_measure_detail_has_indicators_and_values(client: Client, published):
    data = client.get("/api/v1/measures/1-1").json()
    assert data["plain_summary"] == "子どもを育てる家族を手伝います。"
    assert data["sdgs"] == [3, 4]
    ind = data["indicators"][0]
    assert (ind["code"], ind["baseline_value"], ind["target_value"], ind["target_fy"]) == (
        "1-1-1",
        12.0,
        0.0,
        2029,
    )
    assert ind["values"] == [{"fiscal_year": 2025, "value": 7.0, "as_of": None, "note": ""}]
    assert client.get("/api/v1/measures/9-9").status_code == 404


def test_indicator_filters_and_values(client: Client, published):
    assert [
        i["code"] for i in client.get("/api/v1/indicators?survey_based=true").json()["results"]
    ] == ["1-2-1"]
    assert [i["code"] for i in client.get("/api/v1/indicators?measure=1-1").json()["results"]] == [
        "1-1-1"
    ]
    values = client.get("/api/v1/indicator-values?from_year=2025").json()
    assert values["count"] == 1
    assert values["results"][0]["value"] == 7.0


def test_bad_parameters_are_422_with_details(client: Client, published):
    response = client.get("/api/v1/measures?limit=0")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]


def test_cors_etag_last_modified_and_304(client: Client, published):
    first = client.get("/api/v1/measures")
    assert first.status_code == 200
    assert first["Access-Control-Allow-Origin"] == "*"
    assert first["X-Keikaku-Cache"] == "miss"
    assert first["Access-Control-Expose-Headers"] == "ETag, Last-Modified"
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    etag = first["ETag"]
    assert etag.startswith('W/"')
    again = client.get("/api/v1/measures", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    since = client.get("/api/v1/measures", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    cached = client.get("/api/v1/measures")
    assert cached["X-Keikaku-Cache"] == "hit"
    assert cached.content == first.content
    # a publish changes the version: the old ETag no longer matches
    services.measure_publish(measure=published.measure, actor="test")
    after = client.get("/api/v1/measures", HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200
    assert after["ETag"] != etag
    preflight = client.options("/api/v1/measures", HTTP_ORIGIN="https://example.jp")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


def test_openapi_schema_lists_the_endpoints(client: Client, published):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/plan",
        "/api/v1/measures",
        "/api/v1/measures/{code}",
        "/api/v1/indicators",
        "/api/v1/indicator-values",
        "/api/v1/evaluations",
        "/api/v1/population/scenarios",
        "/api/v1/datasets",
    ):
        assert path in schema["paths"], path


def test_dataset_rows_match_the_csv(client: Client, published):
    data = client.get("/api/v1/datasets/indicators/rows").json()
    assert data["headers"][:3] == ["全国地方公共団体コード", "地方公共団体名", "指標番号"]
    assert data["count"] == 2
    assert data["results"][0]["indicator_code"] == "1-1-1"
    assert data["results"][0]["municipality_code"] == "112411"
    assert client.get("/api/v1/datasets/nothing/rows").status_code == 404
