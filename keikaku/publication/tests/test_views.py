"""The public site shows published snapshots only, caches them, and invalidates on publish."""

from __future__ import annotations

import pytest
from django.test import Client

from keikaku.plans import services
from keikaku.plans.models import Measure
from keikaku.plans.tests.factories import make_small_plan, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    plan = make_small_plan()
    services.edition_publish(edition=plan.edition, actor=make_staff("pub"))
    return plan


def test_home_shows_vision_areas_and_strategies(client: Client, published):
    html = client.get("/").content.decode()
    assert "しあわせ共感 安心のまち つるがしま" in html
    assert 'href="/plan/areas/1/"' in html
    assert "子育て・教育" in html
    assert "こどもにやさしいまちづくり" in html
    assert "デモ用の架空データ" in html


def test_measure_page_shows_text_indicator_chart_and_table(client: Client, published):
    response = client.get("/plan/measures/1-1/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>子育て支援の充実</h1>" in html
    assert "子どもを育てる家族を手伝います。" in html
    assert "保育の受け皿の確保" in html
    assert "待機児童数（人）" in html
    assert "<svg" in html and 'role="img"' in html
    assert "グラフの数値を表で見る" in html
    # latest value 7 in FY2025, baseline 12 (FY2023), target 0 (FY2029)
    assert "7人（令和7（2025）年度）" in html
    assert "12人（令和5（2023）年度）" in html
    assert "0人（令和11（2029）年度）" in html


def test_unpublished_edits_do_not_leak_until_published(client: Client, published):
    user = make_staff("editor2")
    measure = Measure.objects.get(pk=published.measure.pk)
    services.plan_object_update(
        obj=measure,
        actor=user,
        expected_version=measure.version,
        changes={"title": "非公開の新しい施策名"},
    )
    assert "非公開の新しい施策名" not in client.get("/plan/measures/1-1/").content.decode()
    services.measure_publish(measure=Measure.objects.get(pk=measure.pk), actor=user)
    assert "非公開の新しい施策名" in client.get("/plan/measures/1-1/").content.decode()


def test_page_cache_hits_and_is_invalidated_by_publish(client: Client, published):
    first = client.get("/plan/measures/1-1/")
    second = client.get("/plan/measures/1-1/")
    assert first["X-Keikaku-Cache"] == "miss"
    assert second["X-Keikaku-Cache"] == "hit"
    assert second.content == first.content
    services.measure_publish(measure=published.measure, actor=make_staff("p2"))
    third = client.get("/plan/measures/1-1/")
    assert third["X-Keikaku-Cache"] == "miss"


def test_nothing_public_before_the_edition_is_published(client: Client):
    make_small_plan()
    assert client.get("/plan/measures/1-1/").status_code == 404
    html = client.get("/").content.decode()
    assert "公開されている計画はまだありません。" in html


def test_unpublishing_withdraws_pages(client: Client, published):
    services.edition_unpublish(edition=published.edition, actor=make_staff("p3"))
    response = client.get("/plan/measures/1-1/")
    assert response.status_code == 404


def test_404_page_is_japanese(client: Client, published):
    response = client.get("/plan/measures/9-9/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "その施策は見つかりません。" not in html or "ページが見つかりません" in html
    assert "ページが見つかりません" in html
    assert 'lang="ja"' in html


def test_csp_header_has_a_nonce_and_no_unsafe_inline(client: Client, published):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_accessibility_policy_states_the_target(client: Client, settings, tmp_path):
    settings.VAR_DIR = tmp_path  # no crawl results here: the shipped ones are shown
    html = client.get("/accessibility/").content.decode()
    assert "JIS X 8341-3:2016 の適合レベル AA に準拠することを目標とします。" in html
    assert "WCAG 2.2 の適合レベル AA を目指します。" in html
    # without var/accessibility-results.json: the results shipped with Keikaku (the crawl
    # test's last run, copied to keikaku/publication/data/)
    import json
    from pathlib import Path

    import keikaku.publication

    shipped = json.loads(
        (
            Path(keikaku.publication.__file__).parent / "data" / "accessibility-results.json"
        ).read_text(encoding="utf-8")
    )
    assert shipped["violations"] == 0
    assert [m["key"] for m in shipped["modes"]] == ["ja", "en", "furigana"]
    assert "<h2>試験の結果</h2>" in html
    assert "まだ試験の記録がありません。" not in html
    assert f"<dd>{shipped['tool']}</dd>" in html
    assert f"<dd>{shipped['pages']} ページ（日本語: " in html
    assert "<dd>ありませんでした（0 件）</dd>" in html


def test_accessibility_policy_shows_the_last_crawl_results(client: Client, settings, tmp_path):
    """The crawl test (tests/browser/test_foundation_browser.py) writes
    var/accessibility-results.json; the policy page shows it."""
    import json

    settings.VAR_DIR = tmp_path
    (tmp_path / "accessibility-results.json").write_text(
        json.dumps(
            {
                "checked_at": "2026-11-20",
                "tool": "axe-core 4.10.2（axe-playwright-python 0.1.8、Chromium）",
                "tags": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
                "pages": 6,
                "modes": [
                    {"key": "ja", "label": "日本語", "pages": 2},
                    {"key": "en", "label": "English", "pages": 2},
                    {"key": "furigana", "label": "ふりがな", "pages": 2},
                ],
                "violations": 0,
                "failures": {},
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    html = client.get("/accessibility/").content.decode()
    assert "<dt>確認した日</dt><dd>2026年（令和8年）11月20日</dd>" in html
    assert "<dd>axe-core 4.10.2（axe-playwright-python 0.1.8、Chromium）</dd>" in html
    assert "<dd>wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa</dd>" in html
    assert "<dd>6 ページ（日本語: 2、English: 2、ふりがな: 2）</dd>" in html
    assert "<dd>ありませんでした（0 件）</dd>" in html
