"""The public site's own pages: participation hub, search, open data, switches, staff pages."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from keikaku.core.models import AuditEvent
from keikaku.participation.tests.factories import make_round
from keikaku.plans import services
from keikaku.plans.models import Measure
from keikaku.plans.tests.factories import make_small_plan, make_staff
from keikaku.publication import search
from keikaku.publication.models import FuriganaException, SearchDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    plan = make_small_plan()
    services.edition_publish(edition=plan.edition, actor=make_staff("pub"))
    return plan


# --------------------------------------------------------------------------- navigation


def test_header_navigation_comes_from_the_registry(client: Client, published):
    html = client.get("/").content.decode()
    nav = html[
        html.index('<nav class="site-nav"') : html.index("</nav>", html.index('class="site-nav"'))
    ]
    assert 'href="/plan/"' in nav
    assert 'href="/take-part/"' in nav
    # nothing published yet by the other apps: their sections stay out of the header
    assert 'href="/evaluation/"' not in nav
    assert 'href="/population/"' not in nav


# --------------------------------------------------------------------------- participation hub


def test_hub_lists_the_open_public_comment_and_the_proposal_box(client: Client):
    rnd = make_round()
    plan_edition = rnd.edition
    services.edition_publish(edition=plan_edition, actor="test")
    html = client.get("/take-part/").content.decode()
    assert "計画づくりに参加する" in html
    assert f'href="/participation/comments/{rnd.pk}/"' in html
    assert "後期基本計画（素案）への意見募集" in html
    assert 'href="/participation/proposals/new/"' in html
    assert "いま受け付けていること" in html
    # the open round is under "open now", before the "always" section
    assert html.index(rnd.title) < html.index("いつでも受け付けていること")


# --------------------------------------------------------------------------- search


def test_search_finds_partial_words_and_spelling_variants(client: Client, published):
    # 「子育」 is part of 「子育て」; 「こども」 is written 「子ども」 in the plain summary
    for q in ("子育", "こども", "ｺﾄﾞﾓ"):
        html = client.get("/search/", {"q": q}).content.decode()
        assert 'href="/plan/measures/1-1/"' in html, q
    html = client.get("/search/", {"q": "存在しない言葉"}).content.decode()
    assert "「存在しない言葉」を含むページは見つかりませんでした。" in html


def test_search_highlights_and_counts(client: Client, published):
    html = client.get("/search/", {"q": "待機児童"}).content.decode()
    assert "1 件見つかりました。" in html
    assert "<mark>待機児童</mark>" in html


def test_search_index_is_rebuilt_only_for_changed_pages(published):
    first = search.index_rebuild()
    # home, 1 area, 1 measure, 1 strategy from the plan + 4 pages of the site itself
    assert (first.documents, first.added, first.updated, first.removed) == (8, 8, 0, 0)
    assert search.index_ensure() is None  # same content version: nothing to do
    measure = Measure.objects.get(pk=published.measure.pk)
    services.plan_object_update(
        obj=measure,
        actor=make_staff("ed"),
        expected_version=measure.version,
        changes={"plain_summary": "放課後の居場所をふやします。"},
    )
    services.measure_publish(measure=Measure.objects.get(pk=measure.pk), actor="test")
    again = search.index_ensure()
    assert again is not None
    # only the measure's document changed (the area page lists codes and titles, and
    # the summary is not part of it): one document analysed again
    assert (again.documents, again.added, again.updated, again.removed) == (8, 0, 1, 0)
    hits, total = search.query("居場所")
    assert total == 1 and hits[0].url == "/plan/measures/1-1/"
    assert SearchDocument.objects.count() == 8


# --------------------------------------------------------------------------- open data


def test_data_catalogue_lists_every_dataset_with_licence(client: Client, published):
    html = client.get("/open-data/").content.decode()
    assert "CC BY 4.0" in html
    assert 'href="/open-data/indicators.csv"' in html
    assert 'href="/api/v1/openapi.json"' in html
    assert 'href="/open-data/public-comment-results.csv"' in html
    assert 'href="/open-data/resilience-programmes.csv"' in html
    assert 'href="/open-data/resilience-sites.csv"' in html


def test_csv_is_utf8_with_bom_and_every_row_has_the_municipality_code(client: Client, published):
    response = client.get("/open-data/indicators.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="112411_indicators.csv"'
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["全国地方公共団体コード", "地方公共団体名", "指標番号", "指標名"]
    assert rows[1][:4] == ["112411", "鶴ヶ島市", "1-1-1", "待機児童数"]
    header = rows[0]
    # Gregorian years as numbers, one value per cell
    assert rows[1][header.index("基準値の年度（西暦）")] == "2023"
    assert rows[1][header.index("目標値")] == "0"
    assert len(rows) == 2
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"].startswith('W/"')


def test_unknown_dataset_is_404(client: Client, published):
    assert client.get("/open-data/no-such-data.csv").status_code == 404


# --------------------------------------------------------------------------- switches


def test_furigana_switch_sets_a_cookie_and_adds_ruby_outside_the_title(client: Client, published):
    response = client.get("/plan/measures/1-1/?furigana=on")
    assert response.status_code == 302
    assert response["Location"] == "/plan/measures/1-1/"
    assert client.cookies["keikaku_furigana"].value == "1"
    html = client.get("/plan/measures/1-1/").content.decode()
    title = html[html.index("<title>") : html.index("</title>")]
    assert "<ruby>" not in title
    assert "<ruby>子育<rp>（</rp><rt>こそだ</rt><rp>）</rp></ruby>て" in html
    # the switch now offers to remove the furigana (its own kanji get ruby, too)
    assert (
        '<a href="/plan/measures/1-1/?furigana=off" data-furigana-switch>ふりがなを<ruby>消<rp>（</rp><rt>け</rt><rp>）</rp></ruby>す</a>'
        in html
    )
    client.get("/plan/measures/1-1/?furigana=off")
    html = client.get("/plan/measures/1-1/").content.decode()
    assert "<ruby>" not in html
    assert "ふりがなをつける" in html


def test_a_cached_page_serves_both_furigana_states(client: Client, published):
    plain = client.get("/plan/")
    assert plain["X-Keikaku-Cache"] == "miss"
    client.get("/plan/?furigana=on")
    ruby = client.get("/plan/")
    assert ruby["X-Keikaku-Cache"] == "hit"
    assert "<ruby>" in ruby.content.decode()
    assert '/plan/?furigana=off" data-furigana-switch>' in ruby.content.decode()


def test_furigana_exception_from_staff_changes_the_reading(client: Client, published):
    FuriganaException.objects.create(surface="子育て", reading="こそだて")
    client.get("/?furigana=on")
    html = client.get("/plan/measures/1-1/").content.decode()
    assert "<ruby>子育て<rp>（</rp><rt>こそだて</rt><rp>）</rp></ruby>" in html


def test_english_switch_uses_english_fields_and_marks_japanese_fallbacks(client: Client, published):
    area = published.area
    services.plan_object_update(
        obj=area,
        actor=make_staff("ed"),
        expected_version=area.version,
        changes={"title_en": "Children and education"},
    )
    services.edition_publish(edition=published.edition, actor="test")
    assert client.get("/?lang=en").status_code == 302
    html = client.get("/plan/areas/1/").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Children and education</h1>" in html
    # the measure has no English title: Japanese, marked as such
    assert '<span lang="ja">子育て支援の充実</span>' in html
    client.get("/?lang=ja")
    assert "<h1>子育て・教育</h1>" in client.get("/plan/areas/1/").content.decode()


def test_english_content_fields_of_the_vision_measure_and_indicator(client: Client, published):
    from keikaku.plans.models import BasicConcept, Indicator

    BasicConcept.objects.update(vision_en="A city of shared happiness: Tsurugashima")
    Measure.objects.filter(pk=published.measure.pk).update(title_en="Support for families")
    Indicator.objects.filter(pk=published.indicator.pk).update(name_en="Children on waiting lists")
    services.edition_publish(edition=published.edition, actor="test")
    client.get("/?lang=en")
    home = client.get("/").content.decode()
    assert '<p class="vision">A city of shared happiness: Tsurugashima</p>' in home
    html = client.get("/plan/measures/1-1/").content.decode()
    assert "<h1>Support for families</h1>" in html
    assert "Children on waiting lists（人）" in html
    # the measure's texts have no English field: shown in Japanese, marked lang="ja", and
    # the plain-language summary still comes first
    assert "この施策の説明は日本語だけで書かれています。" not in html  # the message is English
    body = html[html.index("<h1>") :]
    assert body.index("子どもを育てる家族を手伝います。") < body.index(
        "安心して子どもを産み育てられるまち"
    )
    client.get("/?lang=ja")
    html = client.get("/plan/measures/1-1/").content.decode()
    assert "<h1>子育て支援の充実</h1>" in html and "待機児童数（人）" in html


def test_the_plain_language_summary_comes_first_on_the_measure_page(client: Client, published):
    html = client.get("/plan/measures/1-1/").content.decode()
    main = html[html.index("<h1>子育て支援の充実</h1>") :]
    # straight after the heading, before 目指す姿, 現状と課題, 主な取組 and the indicators
    order = [
        main.index('<div class="plain-summary">'),
        main.index("子どもを育てる家族を手伝います。"),
        main.index("目指す姿"),
        main.index("現状と課題"),
        main.index("主な取組"),
        main.index("成果指標"),
    ]
    assert order == sorted(order)
    assert "<p>" not in main[: order[0]]  # no other paragraph before it


def test_the_browser_language_is_not_used_until_the_reader_chooses(client: Client, published):
    html = client.get("/plan/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="ja">' in html


def test_staff_pages_stay_japanese_whatever_the_public_language(client: Client, published):
    client.get("/?lang=en")
    response = client.get("/staff/login/")
    assert '<html lang="ja">' in response.content.decode()


def test_search_in_english_labels_the_kinds_in_english(client: Client, published):
    client.get("/?lang=en")
    # the index is built during this English request: it still holds the Japanese texts
    html = client.get("/search/", {"q": "待機児童"}).content.decode()
    assert '<span class="badge">Measure</span>' in html
    assert SearchDocument.objects.get(url="/plan/measures/1-1/").kind_label == "施策"
    client.get("/?lang=ja")
    html = client.get("/search/", {"q": "待機児童"}).content.decode()
    assert '<span class="badge">施策</span>' in html


def test_fiscal_years_in_english(client: Client, published):
    client.get("/?lang=en")
    html = client.get("/plan/measures/1-1/").content.decode()
    assert "7人（FY2025）" in html
    assert "0人（FY2029）" in html


# --------------------------------------------------------------------------- staff


def test_staff_adds_and_deletes_a_furigana_exception(client: Client, published):
    staff = make_staff("furi")
    client.force_login(staff)
    response = client.post(
        "/staff/publication/furigana/",
        {"surface": "鶴ヶ島", "reading": "つるがしま", "note": "市の名前"},
    )
    assert response.status_code == 302
    obj = FuriganaException.objects.get()
    assert (obj.surface, obj.reading, obj.updated_by) == ("鶴ヶ島", "つるがしま", "髙橋 一郎")
    assert (
        AuditEvent.objects.filter(action="create", object_repr="鶴ヶ島（つるがしま）").count() == 1
    )
    response = client.post(
        "/staff/publication/furigana/", {"surface": "鶴ヶ島", "reading": "ツルガシマ"}
    )
    assert response.status_code == 200
    assert (
        "読みはひらがなで入力してください（使えない文字: ガシツマル）。"
        in response.content.decode()
    )
    response = client.post(f"/staff/publication/furigana/{obj.pk}/delete/")
    assert response.status_code == 302
    assert FuriganaException.objects.count() == 0


def test_staff_without_plan_rights_cannot_change_exceptions(client: Client, published):
    from django.contrib.auth import get_user_model

    viewer = get_user_model().objects.create_user(
        username="viewer", password="pass-for-tests-1", is_staff=True
    )
    client.force_login(viewer)
    response = client.post(
        "/staff/publication/furigana/", {"surface": "鶴ヶ島", "reading": "つるがしま"}
    )
    assert response.status_code == 403
    assert FuriganaException.objects.count() == 0
    assert AuditEvent.objects.filter(object_type__icontains="furigana").count() == 0


def test_anonymous_users_are_sent_to_the_login(client: Client, published):
    response = client.get("/staff/publication/furigana/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


# --------------------------------------------------------------------------- registry


def test_every_dataset_has_a_csv_unless_pending(client: Client, published):
    from keikaku.participation.tests.factories import make_round
    from keikaku.publication import registry

    make_round(published)  # a row in the public-comment list too
    counts: dict[str, int] = {}
    for dataset in registry.datasets():
        response = client.get(f"/open-data/{dataset.key}.csv")
        expected = 404 if dataset.pending else 200
        assert response.status_code == expected, dataset.key
        if dataset.pending:
            continue
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response.content.startswith(b"\xef\xbb\xbf"), dataset.key  # UTF-8 with BOM
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:2] == ["全国地方公共団体コード", "地方公共団体名"], dataset.key
        assert rows[0] == [c.header for c in dataset.columns], dataset.key
        for row in rows[1:]:
            # every row: the code (6 digits with the check digit) and the name, one value
            # per cell (as many cells as headers)
            assert row[:2] == ["112411", "鶴ヶ島市"], (dataset.key, row)
            assert len(row) == len(rows[0]), (dataset.key, row)
        counts[dataset.key] = len(rows) - 1
    # the small plan: 1 measure; its relations (1 department, 1 strategy, SDGs 3 and 4); 1
    # strategy, 1 indicator, 1 value; the round. The other apps publish nothing here (their
    # rows are checked by their own tests and by the API fuzzing in tests/).
    assert counts == {
        "plan-measures": 1,
        "measure-relations": 4,
        "strategies": 1,
        "indicators": 1,
        "indicator-values": 1,
        "evaluation-measures": 0,
        "evaluation-indicators": 0,
        "public-comment-rounds": 1,
        "public-comment-results": 0,
        "population-scenarios": 0,
        "population-targets": 0,
        "population-age": 0,
        "formulation-schedule": 0,
        "sectoral-plans": 0,
        "council-members": 0,
        "council-meetings": 0,
        "assembly-bills": 0,
        "resilience-programmes": 0,
        "resilience-sites": 0,
    }


def test_data_catalogue_lists_every_dataset_with_its_update_date(client: Client, published):
    import re

    from keikaku.publication import registry

    html = client.get("/open-data/").content.decode()
    date = r"\d{4}年（令和\d+年）\d{1,2}月\d{1,2}日"
    for dataset in registry.datasets():
        row = html[html.index(f'<th scope="row">{dataset.title}</th>') :]
        row = row[: row.index("</tr>")]
        if dataset.pending:
            assert "準備中" in row, dataset.key
            assert "<td>—</td>" in row, dataset.key
        else:
            assert re.search(rf"<td>{date}</td>", row), (dataset.key, row)
            assert f'href="/open-data/{dataset.key}.csv"' in row, dataset.key
    # the licence, linked with rel="license", and stated for the CSV files
    assert '<a href="https://creativecommons.org/licenses/by/4.0/deed.ja" rel="license">' in html
    assert "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）" in html
    assert "CSV は UTF-8（BOM付き）です。" in html
    # the same dates and licence in the API's catalogue
    index = client.get("/api/v1/").json()
    assert (index["licence"], index["licence_url"]) == (
        "CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/deed.ja",
    )
    assert index["municipality_code"] == "112411"
    listed = {d["key"]: d for d in index["datasets"]}
    assert sorted(listed) == sorted(d.key for d in registry.datasets())
    for dataset in registry.datasets():
        assert (listed[dataset.key]["updated_at"] is None) == dataset.pending, dataset.key


def test_a_failing_app_never_takes_the_hub_down(client: Client, published, monkeypatch):
    from keikaku.publication import registry

    def broken():
        raise RuntimeError("the app is being rebuilt")

    monkeypatch.setattr(
        registry, "_call_providers", [*registry._call_providers, ("broken", broken)]
    )
    response = client.get("/take-part/")
    assert response.status_code == 200
    assert 'href="/participation/proposals/new/"' in response.content.decode()
