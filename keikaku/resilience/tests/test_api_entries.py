"""resilience.api.published_entries(): the entries of the published action plan (never a
draft), as plain JSON-able values, and the open data that the publication side builds on it
(the catalogue's CSV and /api/v1/resilience/programmes and /sites)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from keikaku.plans import services as plan_services
from keikaku.plans.tests.factories import make_staff
from keikaku.resilience import api, services
from keikaku.resilience.models import PolicyField, Site
from keikaku.resilience.tests.factories import ResilienceSetup, make_resilience

pytestmark = pytest.mark.django_db


def _two_programmes() -> ResilienceSetup:
    """The factory plan (road entry 4-3-01) plus the bridge (4-3-02) and three sites."""
    setup = make_resilience()
    bridge_entry = services.entry_create(
        action_plan=setup.action_plan,
        actor="test",
        programme=setup.bridge,
        scenarios=[setup.s11, setup.s64],
        policy_fields=list(
            PolicyField.objects.filter(version=setup.catalogue, code__in=["2", "横断4"])
        ),
        start_fy=2025,
        end_fy=2025,
        summary="橋の点検と修繕を行います。",
        notes="点検結果により変更",
    )
    services.site_create(
        entry=setup.entry, actor="test", name="中央通り線", district="中央", lat=35.934, lon=139.393
    )
    services.site_create(
        entry=setup.entry, actor="test", name="駅西口線", district="西", lat=35.9412, lon=139.4021
    )
    services.site_create(
        entry=bridge_entry,
        actor="test",
        name="大川橋",
        district="東",
        address="鶴ヶ島市大字脚折",
        lat=35.92,
        lon=139.41,
    )
    return setup


def _site(pk: int, name: str, district: str, lat: float, lon: float, address: str = "") -> dict:
    return {
        "name": name,
        "id": pk,
        "district": district,
        "address": address,
        "kind": "Point",
        "lon": lon,
        "lat": lat,
        "geometry_json": "",
    }


def _expected(setup: ResilienceSetup) -> list[dict]:
    pk = {s.name: s.pk for s in Site.objects.all()}
    road = {
        "programme_code": "4-3-01",
        "programme_name": "都市計画道路整備事業",
        "summary": "都市計画道路を整備します。",  # the programme's description
        "department": "こども支援課",  # the small plan's only department
        "implementer": "city",
        "start_fy": 2025,
        "end_fy": 2027,
        # the implementation plan's planned amounts: 120000 + 150000 + 90000 = 360000
        "total_cost": 360000,
        "costs": [[2025, 120000], [2026, 150000], [2027, 90000]],
        "grant": "社会資本整備総合交付金",
        "bond": "公共事業等債",
        "kpi": "整備延長",
        "measure_code": "1-1",
        "measure_title": "子育て支援の充実",
        "notes": "",
        "scenario_codes": ["6-4"],
        "field_names": ["交通・物流"],
        "sites": [
            _site(pk["中央通り線"], "中央通り線", "中央", 35.934, 139.393),
            _site(pk["駅西口線"], "駅西口線", "西", 35.9412, 139.4021),
        ],
        "field_codes": ["8"],
    }
    bridge = {
        "programme_code": "4-3-02",
        "programme_name": "橋りょう長寿命化修繕事業",
        "summary": "橋の点検と修繕を行います。",
        "department": "",  # the bridge programme has no department
        "implementer": "city",
        "start_fy": 2025,
        "end_fy": 2025,
        "total_cost": 30000,  # the single planned year 2025: 30000
        "costs": [[2025, 30000]],
        "grant": "",
        "bond": "",
        "kpi": "",
        "measure_code": "",  # nor a measure
        "measure_title": "",
        "notes": "点検結果により変更",
        "scenario_codes": ["1-1", "6-4"],
        "field_names": ["住宅・都市", "老朽化対策"],
        "sites": [_site(pk["大川橋"], "大川橋", "東", 35.92, 139.41, "鶴ヶ島市大字脚折")],
        "field_codes": ["2", "横断4"],
    }
    return [road, bridge]


def test_published_action_plan_gives_exact_entries_as_plain_json():
    setup = _two_programmes()
    services.action_plan_publish(action_plan=setup.action_plan, actor="test")
    entries = api.published_entries()
    assert entries == _expected(setup)
    # plain JSON values: a JSON round trip gives back the same (no tuples, no objects)
    assert json.loads(json.dumps(entries, ensure_ascii=False)) == entries


def test_unpublished_action_plan_gives_nothing():
    _two_programmes()
    assert api.published_entries() == []


def test_published_snapshot_only_never_the_draft():
    setup = _two_programmes()
    services.action_plan_publish(action_plan=setup.action_plan, actor="test")
    # edits after publication stay in the draft until the next publication
    services.site_create(entry=setup.entry, actor="test", name="下書きの箇所", lat=35.93, lon=139.4)
    assert [s["name"] for e in api.published_entries() for s in e["sites"]] == [
        "中央通り線",
        "駅西口線",
        "大川橋",
    ]
    services.action_plan_unpublish(actor="test")
    assert api.published_entries() == []


def _csv(client: Client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_open_data_lists_the_programmes_and_sites_once_published():
    setup = _two_programmes()
    plan_services.edition_publish(edition=setup.small.edition, actor=make_staff("pub"))
    client = Client()
    # the catalogue offers both datasets (no longer 準備中), empty until publication
    html = client.get("/open-data/").content.decode()
    for key, title in (
        ("resilience-programmes", "国土強靱化の事業（アクションプラン）"),
        ("resilience-sites", "国土強靱化の事業の実施箇所"),
    ):
        row = html[html.index(f'<th scope="row">{title}</th>') :]
        row = row[: row.index("</tr>")]
        assert "準備中" not in row, key
        assert f'href="/open-data/{key}.csv"' in row, key
    assert _csv(client, "/open-data/resilience-programmes.csv")[1:] == []
    assert client.get("/api/v1/resilience/sites").json()["count"] == 0

    services.action_plan_publish(action_plan=setup.action_plan, actor="test")
    programmes = _csv(client, "/open-data/resilience-programmes.csv")
    assert programmes == [
        [
            "全国地方公共団体コード",
            "地方公共団体名",
            "事業番号",
            "事業名",
            "担当課",
            "施策番号",
            "開始年度（西暦）",
            "終了年度（西暦）",
            "事業費の合計（千円）",
            "交付金等",
            "実施箇所の数（か所）",
        ],
        [
            "112411",
            "鶴ヶ島市",
            "4-3-01",
            "都市計画道路整備事業",
            "こども支援課",
            "1-1",
            "2025",
            "2027",
            "360000",
            "社会資本整備総合交付金",
            "2",
        ],
        ["112411", "鶴ヶ島市", "4-3-02", "橋りょう長寿命化修繕事業", "", "", "2025", "2025"]
        + ["30000", "", "1"],
    ]
    sites = _csv(client, "/open-data/resilience-sites.csv")
    assert sites[1:] == [
        ["112411", "鶴ヶ島市", "4-3-01", "中央通り線", "中央", "35.934", "139.393"],
        ["112411", "鶴ヶ島市", "4-3-01", "駅西口線", "西", "35.9412", "139.4021"],
        ["112411", "鶴ヶ島市", "4-3-02", "大川橋", "東", "35.92", "139.41"],
    ]
    body = client.get("/api/v1/resilience/sites").json()
    assert body["count"] == 3
    assert body["results"][2] == {
        "programme_code": "4-3-02",
        "site_name": "大川橋",
        "district": "東",
        "latitude": 35.92,
        "longitude": 139.41,
    }
    programme = client.get("/api/v1/resilience/programmes").json()["results"][0]
    assert (programme["programme_code"], programme["total_cost"], programme["site_count"]) == (
        "4-3-01",
        360000,
        2,
    )
