"""Staff and public pages: permissions (a denied request changes nothing), the map page's
add-site form, filters, GeoJSON endpoints, imports with errors, the sectoral-plan pages."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from keikaku.core.models import AuditEvent
from keikaku.plans.tests.factories import make_staff
from keikaku.resilience import services
from keikaku.resilience.domain.geo import rfc7946_problems
from keikaku.resilience.models import CatalogueVersion, SectoralPlan, Site
from keikaku.resilience.tests.factories import make_resilience

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _viewer():
    return get_user_model().objects.create_user(
        username="etsuran", password="pass-for-tests-1", is_staff=True
    )


def test_anonymous_is_sent_to_login():
    setup = make_resilience()
    response = Client().get(f"/staff/resilience/action-plans/{setup.action_plan.pk}/map/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_viewer_without_edit_right_cannot_add_a_site_and_nothing_changes():
    setup = make_resilience()
    c = _client(_viewer())
    url = f"/staff/resilience/action-plans/{setup.action_plan.pk}/map/"
    assert c.get(url).status_code == 200
    events = AuditEvent.objects.count()
    response = c.post(url, {"entry": setup.entry.pk, "name": "橋", "lat": "35.93", "lon": "139.39"})
    assert response.status_code == 403
    assert Site.objects.count() == 0
    assert AuditEvent.objects.count() == events
    assert (
        c.post(f"/staff/resilience/action-plans/{setup.action_plan.pk}/publish/").status_code == 403
    )


def test_editor_adds_a_site_on_the_map_page():
    setup = make_resilience()
    c = _client(make_staff())
    url = f"/staff/resilience/action-plans/{setup.action_plan.pk}/map/"
    response = c.post(
        url,
        {
            "entry": setup.entry.pk,
            "name": "中央通り線",
            "district": "中央地区",
            "lat": "35.9340",
            "lon": "139.3930",
        },
    )
    assert response.status_code == 302
    site = Site.objects.get()
    assert (site.name, site.lat, site.lon, site.updated_by.username) == (
        "中央通り線",
        35.934,
        139.393,
        "henshu",
    )
    page = c.get(url).content.decode()
    assert "中央通り線" in page
    data = json.loads(
        c.get(f"/staff/resilience/action-plans/{setup.action_plan.pk}/sites.geojson").content
    )
    assert rfc7946_problems(data) == []
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [139.393, 35.934]}


def test_map_form_errors_are_shown_and_nothing_is_saved():
    setup = make_resilience()
    c = _client(make_staff())
    url = f"/staff/resilience/action-plans/{setup.action_plan.pk}/map/"
    response = c.post(url, {"entry": setup.entry.pk, "name": "橋", "lat": "139.39", "lon": "35.93"})
    assert response.status_code == 200
    assert "緯度 139.39 と経度 35.93 が逆になっています。" in response.content.decode()
    response = c.post(
        url,
        {
            "entry": setup.entry.pk,
            "name": "区域",
            "geometry_text": '{"type": "Polygon", "coordinates": [[[139.38, 35.93], [139.39, 35.93], [139.39, 35.94], [139.38, 35.94]]]}',
        },
    )
    assert (
        "外周: 輪が閉じていません。最後の点を最初の点と同じ座標にしてください。"
        in response.content.decode()
    )
    response = c.post(url, {"entry": setup.entry.pk, "name": "位置なし"})
    assert "位置を入力してください（緯度・経度、または GeoJSON）。" in response.content.decode()
    assert Site.objects.count() == 0


def test_public_map_shows_published_sites_only_and_filters():
    setup = make_resilience()
    services.site_create(entry=setup.entry, actor="t", name="中央通り線", lat=35.934, lon=139.393)
    c = Client()
    assert "アクションプランは、まだ公開していません。" in c.get("/resilience/").content.decode()
    services.action_plan_publish(action_plan=setup.action_plan, actor="t")
    page = c.get("/resilience/").content.decode()
    assert "中央通り線" in page
    assert "文言未確認" in page
    assert 'id="site-data"' in page
    assert "中央通り線" not in c.get("/resilience/?scenario=1-1").content.decode()
    assert "中央通り線" in c.get("/resilience/?scenario=6-4&year=2026").content.decode()
    geo = json.loads(c.get("/resilience/sites.geojson").content)
    assert rfc7946_problems(geo) == []
    assert [f["properties"]["site_name"] for f in geo["features"]] == ["中央通り線"]
    assert json.loads(c.get("/resilience/sites.geojson?year=2030").content)["features"] == []


def test_catalogue_import_page_lists_errors_and_writes_nothing():
    c = _client(make_staff())
    upload = SimpleUploadedFile(
        "city.csv", "kind,code,text\ngoal,x,目標\n".encode("cp932"), content_type="text/csv"
    )
    response = c.post(
        "/staff/resilience/catalogues/",
        {"file": upload, "code": "city", "title": "市独自", "is_complete": "on"},
    )
    body = response.content.decode()
    assert "取り込めませんでした。1 件の誤りがあります。何も保存していません。" in body
    assert "city.csv: 2行目「code」列: 目標の番号「x」は 1 以上の整数にしてください。" in body
    assert CatalogueVersion.objects.count() == 0


def test_sectoral_pages_staff_and_public():
    setup = make_resilience()
    c = _client(make_staff())
    response = c.post(
        "/staff/sectoral-plans/new/",
        {
            "name": "子ども・子育て支援事業計画（第3期）",
            "series": "子ども・子育て支援事業計画",
            "department": setup.small.department.pk,
            "start_fy": "2025",
            "end_fy": "2029",
            "status": "current",
            "url": "https://example.jp/plan",
            "measures": [setup.small.measure.pk],
        },
    )
    assert response.status_code == 302
    plan = SectoralPlan.objects.get()
    assert list(plan.measures.values_list("code", flat=True)) == ["1-1"]
    report = c.get("/staff/sectoral-plans/consistency/?fy=2025").content.decode()
    assert "個別計画のない施策（0 件）" in report
    assert (
        "個別計画の一覧は、まだ公開していません。"
        in Client().get("/sectoral-plans/").content.decode()
    )
    assert c.post("/staff/sectoral-plans/publish/").status_code == 302
    public = Client().get("/sectoral-plans/?status=current").content.decode()
    assert "子ども・子育て支援事業計画（第3期）" in public
    assert "令和7（2025）年度～令和11（2029）年度" in public
    assert (
        "子ども・子育て支援事業計画（第3期）"
        not in Client().get("/sectoral-plans/?status=drafting").content.decode()
    )


def test_staff_pages_render():
    setup = make_resilience()
    services.site_create(entry=setup.entry, actor="t", name="橋", lat=35.934, lon=139.393)
    c = _client(make_staff())
    ap = setup.action_plan.pk
    for url in (
        "/staff/resilience/",
        "/staff/resilience/catalogues/",
        f"/staff/resilience/catalogues/{setup.catalogue.pk}/",
        f"/staff/resilience/plans/{setup.regional.pk}/",
        f"/staff/resilience/plans/{setup.regional.pk}/scenarios/{setup.s64.pk}/",
        f"/staff/resilience/action-plans/{ap}/",
        f"/staff/resilience/action-plans/{ap}/entries/new/",
        f"/staff/resilience/action-plans/{ap}/entries/{setup.entry.pk}/",
        f"/staff/resilience/action-plans/{ap}/budget/",
        f"/staff/resilience/sites/{Site.objects.get().pk}/",
        "/staff/resilience/frameworks/",
        "/staff/resilience/local-strategy/",
        "/staff/sectoral-plans/",
        "/staff/sectoral-plans/new/",
    ):
        assert c.get(url).status_code == 200, url
    xlsx = c.get(f"/staff/resilience/action-plans/{ap}/export.xlsx")
    assert xlsx["Content-Disposition"] == 'attachment; filename="action-plan-2025.xlsx"'
    geo = c.get(f"/staff/resilience/action-plans/{ap}/export.geojson")
    assert geo["Content-Type"] == "application/geo+json"
