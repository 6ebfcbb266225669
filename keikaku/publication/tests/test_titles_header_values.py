"""Public pages: English plan and edition titles, the header's municipality in English,
indicator values with the decimals they were entered with, and the reads behind every page
(plandata, the municipality of the site context)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from keikaku.core.services import content_version_bump
from keikaku.core.templatetags.keikaku import num
from keikaku.plans import context_processors, services
from keikaku.plans import models as m
from keikaku.plans.tests.factories import SmallPlan, make_small_plan, make_staff
from keikaku.publication import plandata

pytestmark = pytest.mark.django_db

PLAN_EN = "The 6th Tsurugashima City Comprehensive Plan"


@pytest.fixture
def published() -> SmallPlan:
    small = make_small_plan()
    services.edition_publish(edition=small.edition, actor=make_staff("pub"))
    return small


def _publish_again(small: SmallPlan) -> None:
    small.edition.refresh_from_db()
    services.edition_publish(edition=small.edition, actor="test")


def _header(html: str) -> str:
    start = html.index('<p class="site-title">')
    return html[start : html.index("</p>", start) + 4]


# --------------------------------------------------------------------------- 1. English titles


def test_english_pages_show_the_english_plan_and_edition_titles(client: Client, published):
    m.ComprehensivePlan.objects.update(title_en=PLAN_EN)
    m.Edition.objects.update(title_en="Second Basic Plan (FY2025–2029)")
    _publish_again(published)
    client.get("/?lang=en")
    home = client.get("/").content.decode()
    assert f'<h1 id="vision-h">{PLAN_EN}</h1>' in home
    assert "<p>Second Basic Plan (FY2025–2029)　" in home
    plan = client.get("/plan/").content.decode()
    assert f"<h1>{PLAN_EN} Second Basic Plan (FY2025–2029)</h1>" in plan
    client.get("/?lang=ja")
    plan = client.get("/plan/").content.decode()
    assert "<h1>第6次鶴ヶ島市総合計画 後期基本計画</h1>" in plan


def test_without_english_titles_english_pages_show_the_japanese_ones_marked(
    client: Client, published
):
    client.get("/?lang=en")
    plan = client.get("/plan/").content.decode()
    assert (
        '<h1><span lang="ja">第6次鶴ヶ島市総合計画</span> <span lang="ja">後期基本計画</span></h1>'
        in plan
    )


def test_plandata_carries_the_english_titles(published):
    m.ComprehensivePlan.objects.update(title_en=PLAN_EN)
    m.Edition.objects.update(title_en="Second Basic Plan")
    m.Municipality.objects.update(name_en="Tsurugashima City")
    _publish_again(published)
    data = plandata.published_plan()
    assert data is not None
    assert (data.home["plan_title_en"], data.home["title_en"]) == (PLAN_EN, "Second Basic Plan")
    assert (data.edition.title, data.edition.title_en) == ("後期基本計画", "Second Basic Plan")
    assert data.municipality is not None and data.municipality.name_en == "Tsurugashima City"


# --------------------------------------------------------------------------- 2. the header


def test_the_header_names_the_municipality_in_the_readers_language(client: Client, published):
    assert _header(client.get("/").content.decode()).endswith(
        "<small>鶴ヶ島市（埼玉県）</small></a></p>"
    )
    client.get("/?lang=en")
    # no English name yet: the Japanese one, marked as Japanese
    assert _header(client.get("/").content.decode()).endswith(
        '<small lang="ja">鶴ヶ島市（埼玉県）</small></a></p>'
    )
    services.plan_object_update(
        obj=published.municipality,
        actor=make_staff("ed"),
        expected_version=published.municipality.version,
        changes={"name_en": "Tsurugashima City"},
    )
    assert _header(client.get("/").content.decode()) == (
        '<p class="site-title"><a href="/">Tsurugashima City Comprehensive Plan'
        "<small>Tsurugashima City</small></a></p>"
    )


# --------------------------------------------------------------------------- 3. values


def test_num_keeps_the_decimals_of_a_decimal_and_takes_a_number_of_decimals():
    assert num(Decimal("1.20")) == "1.20"
    assert num(Decimal("1234.500")) == "1,234.500"
    assert num(Decimal("12")) == "12"
    assert num(Decimal("NaN")) == ""
    assert num(1.2, 2) == "1.20"
    assert num(24500, 0) == "24,500"
    assert num(1.2, "") == "1.2"  # a missing number of decimals: as before
    assert num(1.2) == "1.2"
    assert num(12.0) == "12"
    assert num(None, 2) == ""


def test_the_strategy_page_shows_a_target_of_1_20_as_entered(client: Client, published):
    indicator = m.Indicator.objects.create(
        strategy=published.strategy,
        code="S1-1",
        name="合計特殊出生率",
        direction="increase",
        baseline_value=1.05,
        baseline_fy=2023,
        target_value=1.20,
        target_fy=2029,
    )
    m.IndicatorValue.objects.create(indicator=indicator, fiscal_year=2025, value=1.1)
    _publish_again(published)
    html = client.get("/plan/strategies/1/").content.decode()
    # 1.05 has two decimals, so every value of this indicator is shown with two
    assert "<dt>基準値</dt><dd>1.05（令和5（2023）年度）</dd>" in html
    assert "<dt>目標値</dt><dd>1.20（令和11（2029）年度）</dd>" in html
    assert "<dt>最新の実績値</dt><dd>1.10（令和7（2025）年度）</dd>" in html
    assert '<td class="num">1.10</td>' in html
    # the chart's reference lines too, and its years: R5 … R11 (English: 2023 … 2029)
    assert ">目標値 1.20</text>" in html
    assert ">基準値 1.05</text>" in html
    assert ">R5</text>" in html
    client.cookies["django_language"] = "en"
    english = client.get("/plan/strategies/1/").content.decode()
    assert ">2023</text>" in english
    assert ">R5</text>" not in english


def test_whole_number_indicators_keep_their_thousands_separators(client: Client, published):
    m.Indicator.objects.filter(pk=published.indicator.pk).update(
        baseline_value=24500, target_value=26500
    )
    _publish_again(published)
    html = client.get("/plan/measures/1-1/").content.decode()
    assert "<dt>基準値</dt><dd>24,500人（令和5（2023）年度）</dd>" in html
    assert "<dt>目標値</dt><dd>26,500人（令和11（2029）年度）</dd>" in html


# --------------------------------------------------------------------------- 4. reads


def test_plandata_reads_the_public_edition_once(published, django_assert_num_queries):
    cache.clear()
    # the public edition, its published pages (one query for every kind), the municipality
    with django_assert_num_queries(3):
        data = plandata._load()
    assert data is not None
    assert [m["code"] for m in data.measures] == ["1-1"]
    assert [a["number"] for a in data.areas] == [1]
    assert [s["number"] for s in data.strategies] == [1]
    assert data.home["plan_title"] == "第6次鶴ヶ島市総合計画"


def test_the_site_context_reads_the_municipality_once_per_content_version(
    published, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(context_processors, "public_content_version", lambda: 7)
    request = RequestFactory().get("/")
    with django_assert_num_queries(1):  # the municipality
        first = context_processors.site(request)
    with django_assert_num_queries(0):
        second = context_processors.site(request)
    assert first["municipality"].name == second["municipality"].name == "鶴ヶ島市"
    assert second["site_name"] == "鶴ヶ島市 総合計画"


def test_a_changed_municipality_shows_after_a_content_version_bump(client: Client, published):
    request = RequestFactory().get("/")
    assert context_processors.site(request)["municipality"].name == "鶴ヶ島市"
    m.Municipality.objects.update(name="つるがしま市")  # behind the services' back
    assert context_processors.site(request)["municipality"].name == "鶴ヶ島市"  # memoised
    content_version_bump()
    assert context_processors.site(request)["municipality"].name == "つるがしま市"
    assert "<small>つるがしま市（埼玉県）</small>" in client.get("/").content.decode()


def test_a_change_through_the_staff_services_shows_at_once(client: Client, published):
    assert "<small>鶴ヶ島市（埼玉県）</small>" in client.get("/").content.decode()
    services.plan_object_update(
        obj=published.municipality,
        actor=make_staff("ed"),
        expected_version=published.municipality.version,
        changes={"prefecture": "埼玉"},
    )
    assert "<small>鶴ヶ島市（埼玉）</small>" in client.get("/").content.decode()


def test_no_municipality_is_memoised_too(django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(context_processors, "public_content_version", lambda: 3)
    request = RequestFactory().get("/")
    assert context_processors.site(request)["municipality"] is None
    with django_assert_num_queries(0):
        context = context_processors.site(request)
    assert (context["municipality"], context["site_name"], context["is_demo"]) == (
        None,
        "Keikaku",
        False,
    )
