"""Real-browser tests of the resilience map and the sectoral-plan lists.

Nothing may leave the machine: every request to a host other than the live server is
aborted (map tiles included), and the sites must still show on the plain background.
axe-core must find no WCAG 2.2 AA violation on the public map page and the plan lists.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pytest

from keikaku.plans.tests.factories import make_staff
from keikaku.resilience import services
from keikaku.resilience.models import SectoralPlan, Site
from keikaku.resilience.tests.factories import make_resilience

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _offline(page) -> list[str]:
    """Abort every request that is not to the loopback live server; return their URLs."""
    blocked: list[str] = []

    def handle(route):
        host = urlparse(route.request.url).hostname or ""
        if host in ("localhost", "127.0.0.1", "::1") or host.startswith("127."):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    return blocked


def _csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return errors


def _login(page, base: str, username: str = "henshu") -> None:
    page.goto(f"{base}/staff/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill("pass-for-tests-1")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{base}/staff/")


def _published_setup():
    setup = make_resilience()
    services.site_create(
        entry=setup.entry,
        actor="t",
        name="中央通り線",
        district="中央地区",
        geometry={"type": "LineString", "coordinates": [[139.384, 35.931], [139.396, 35.934]]},
    )
    services.site_create(entry=setup.entry, actor="t", name="市場橋", lat=35.9412, lon=139.4101)
    services.action_plan_publish(action_plan=setup.action_plan, actor="t")
    return setup


def test_public_map_offline_list_popup_and_axe(live_server, page, axe):
    _published_setup()
    blocked = _offline(page)
    csp = _csp_errors(page)
    page.goto(f"{live_server.url}/resilience/")
    assert page.locator("h1").inner_text() == "国土強靱化の事業実施箇所"
    site_map = page.locator("#site-map")
    site_map.locator("path.leaflet-interactive").first.wait_for()
    # Both sites are drawn (a line and a circle marker) although no tile could load.
    assert site_map.get_attribute("data-feature-count") == "2"
    assert site_map.locator("path.leaflet-interactive").count() == 2
    assert any("cyberjapandata.gsi.go.jp" in url for url in blocked)
    assert page.locator(".leaflet-control-attribution a", has_text="地理院タイル").count() == 1
    rows = page.locator(".sites-table tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("th").inner_text().startswith("中央通り線")
    # The list's button moves the map to the site and opens its popup.
    page.get_by_role("button", name=re.compile(r"^地図で見る\s*：市場橋$")).click()
    assert page.locator(".leaflet-popup-content").inner_text().startswith("市場橋")
    assert csp == []
    assert axe(page) == []
    # Server-side filtering works without JavaScript too: a filter with no match.
    page.get_by_label("リスクシナリオ", exact=True).select_option("6-4")
    page.get_by_role("button", name="絞り込む").click()
    page.wait_for_url("**/resilience/?*scenario=6-4*")
    assert page.locator(".sites-table tbody tr").count() == 2
    assert axe(page) == []


def test_staff_adds_a_site_on_the_map_page(live_server, page, axe):
    setup = _published_setup()
    make_staff()
    _offline(page)
    csp = _csp_errors(page)
    base = live_server.url
    _login(page, base)
    page.goto(f"{base}/staff/resilience/action-plans/{setup.action_plan.pk}/map/")
    site_map = page.locator("#site-map")
    site_map.locator("path.leaflet-interactive").first.wait_for()
    assert site_map.get_attribute("data-feature-count") == "2"
    # Clicking the map fills latitude and longitude.
    site_map.click(position={"x": 200, "y": 120})
    lat = page.get_by_label("緯度")
    assert lat.input_value() != ""
    form = page.locator("#site-form")
    form.get_by_label("事業").select_option(str(setup.entry.pk))
    form.get_by_label("箇所名").fill("東部雨水調整池")
    form.get_by_label("地区").fill("東部地区")
    lat.fill("35.9371")
    form.get_by_label("経度").fill("139.4086")
    form.get_by_role("button", name="箇所を加える").click()
    page.wait_for_url("**/map/#site-list")
    assert page.get_by_role("status").inner_text() == "箇所「東部雨水調整池」を追加しました。"
    # In the table …
    assert page.locator(".sites-table tbody th", has_text="東部雨水調整池").count() == 1
    # … on the map …
    page.locator("#site-map path.leaflet-interactive").nth(2).wait_for()
    assert page.locator("#site-map").get_attribute("data-feature-count") == "3"
    # … and in the GeoJSON.
    site = Site.objects.get(name="東部雨水調整池")
    assert site.updated_by.username == "henshu"
    page.goto(f"{base}/staff/resilience/action-plans/{setup.action_plan.pk}/sites.geojson")
    data = json.loads(page.locator("body").inner_text())
    feature = next(f for f in data["features"] if f["id"] == site.pk)
    assert feature["geometry"] == {"type": "Point", "coordinates": [139.4086, 35.9371]}
    assert feature["properties"]["district"] == "東部地区"
    page.goto(f"{base}/staff/resilience/action-plans/{setup.action_plan.pk}/map/")
    assert csp == []
    assert axe(page) == []


def test_sectoral_plan_lists_pass_axe(live_server, page, axe):
    setup = make_resilience()
    plan = SectoralPlan.objects.create(
        name="子ども・子育て支援事業計画（第3期）",
        series="子ども・子育て支援事業計画",
        department=setup.small.department,
        start_fy=2025,
        end_fy=2029,
        url="https://example.jp/kosodate",
    )
    plan.measures.add(setup.small.measure)
    SectoralPlan.objects.create(
        name="健康づくり計画", status="drafting", start_fy=2026, end_fy=2035
    )
    services.sectoral_plans_publish(actor="t")
    make_staff()
    _offline(page)
    base = live_server.url
    page.goto(f"{base}/sectoral-plans/")
    assert page.locator("h1").inner_text() == "個別計画の一覧"
    assert page.locator("tbody tr").count() == 2
    assert axe(page) == []
    page.get_by_label("状態").select_option("drafting")
    page.get_by_role("button", name="絞り込む").click()
    page.wait_for_url("**/sectoral-plans/?*status=drafting*")
    assert page.locator("tbody th").all_inner_texts() == ["健康づくり計画"]
    assert axe(page) == []
    _login(page, base)
    for url in (
        "/staff/sectoral-plans/",
        "/staff/sectoral-plans/consistency/",
        "/staff/resilience/",
    ):
        page.goto(f"{base}{url}")
        assert axe(page) == [], url
