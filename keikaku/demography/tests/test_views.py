"""Staff and public population pages: access, imports, a run, the outlook, publication."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from keikaku.core.models import AuditEvent
from keikaku.demography import services
from keikaku.demography.models import (
    CensusDataset,
    PopulationOutlook,
    ProjectionRun,
    Scenario,
)
from keikaku.demography.tests.factories import (
    census_long_lines,
    csv_bytes,
    data_bytes,
    estat_wide_rows,
    make_assumptions,
    make_census,
    make_run,
    make_scenarios,
    make_user,
)

pytestmark = pytest.mark.django_db


def _census_post(data: bytes, name: str = "base.csv", **extra: object) -> dict[str, object]:
    return {
        "file": SimpleUploadedFile(name, data),
        "municipality_code": "112411",
        "municipality_name": "鶴ヶ島市",
        "top_age": "90",
        "source": "令和2年国勢調査",
        **extra,
    }


def _run_post(census: CensusDataset, assumption_id: int, scenarios: list[Scenario]) -> dict:
    return {
        "name": "職員の推計",
        "base_dataset": census.pk,
        "assumption_set": assumption_id,
        "scenarios": [s.pk for s in scenarios],
        "until": "2050",
    }


def test_staff_pages_render_for_staff(client: Client) -> None:
    run = make_run()
    client.force_login(make_user("hanako"))
    census = run.base_dataset
    pages = [
        "/staff/population/",
        "/staff/population/import/census/",
        "/staff/population/import/assumptions/",
        f"/staff/population/census/{census.pk}/",
        f"/staff/population/assumptions/{run.assumption_set_id}/",
        "/staff/population/scenarios/new/",
        f"/staff/population/scenarios/{Scenario.objects.first().pk}/",
        "/staff/population/runs/new/",
        f"/staff/population/runs/{run.pk}/",
        f"/staff/population/runs/{run.pk}/?scenario=2",
        f"/staff/population/runs/{run.pk}/pyramid/?scenario=1&year=2045",
        "/staff/population/outlook/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    home = client.get("/staff/population/").content.decode()
    assert "70,117" in home
    assert "テスト推計（2020年→2070年" in home
    pyramid = client.get(f"/staff/population/runs/{run.pk}/pyramid/?scenario=1&year=2045")
    text = pyramid.content.decode()
    assert "2045年の人口ピラミッド（出生率上昇）" in text
    assert "2020年（枠線）" in text
    assert '<th scope="row">90歳以上</th>' in text
    trend = client.get(f"/staff/population/runs/{run.pk}/").content.decode()
    assert "総人口の推移（シナリオ別）" in trend
    assert "年齢3区分別の人口（社人研準拠）" in trend
    # The table beside the totals chart: 2020 row, 70,117 for each of the 3 scenarios.
    assert (
        '<th scope="row">2020年</th><td class="num">70,117</td><td class="num">70,117</td><td class="num">70,117</td>'
        in trend
    )


def test_census_import_view_shows_every_located_problem_and_writes_nothing(client: Client) -> None:
    client.force_login(make_user("hanako"))
    lines = census_long_lines(2020)
    lines[2] = "2020,male,5-9,-1"
    lines[3] = "2020,male,10-14,"
    response = client.post("/staff/population/import/census/", _census_post(csv_bytes(lines)))
    assert response.status_code == 200
    text = response.content.decode()
    assert "取り込めませんでした。2 件の誤りがあります。何も保存していません。" in text
    assert "base.csv 3行目 population列: 人口が負の値（-1）です。0 以上にしてください。" in text
    assert "base.csv 4行目 population列: 値が空です。人口を入れてください。" in text
    assert CensusDataset.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_census_import_view_reads_an_estat_table(client: Client) -> None:
    client.force_login(make_user("hanako"))
    response = client.post(
        "/staff/population/import/census/",
        _census_post(csv_bytes(estat_wide_rows()), "estat.csv", year="2020"),
    )
    dataset = CensusDataset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/population/census/{dataset.pk}/"
    assert (dataset.year, dataset.source, dataset.source_file) == (
        2020,
        "令和2年国勢調査",
        "estat.csv",
    )


def test_assumption_import_view(client: Client) -> None:
    client.force_login(make_user("hanako"))
    response = client.post(
        "/staff/population/import/assumptions/",
        {
            "name": "社人研準拠の仮定値",
            "rates_file": SimpleUploadedFile("rates.csv", data_bytes("tsurugashima_rates.csv")),
            "births_file": SimpleUploadedFile(
                "births.csv", b"year,child_woman_ratio\r\n2025,0.2\r\n"
            ),
            "convention": "ipss",
            "source": "社人研",
        },
    )
    assert response.status_code == 200
    assert (
        "births.csv 1行目: 見出しに列「sex_ratio_at_birth」がありません。見出しを「year,child_woman_ratio,sex_ratio_at_birth」にしてください。"
        in response.content.decode()
    )
    assert AuditEvent.objects.count() == 0


def test_scenario_editor_with_a_tfr_path(client: Client) -> None:
    client.force_login(make_user("hanako"))
    response = client.post(
        "/staff/population/scenarios/new/",
        {
            "name": "出生率上昇",
            "description": "出生率が上がる場合",
            "order": "2",
            "tfr_path_text": "2020:1.2, 2030:1.8, 2040:2.07",
            "fertility_scale_text": "",
            "zero_migration_from": "",
            "migration_scale": "1",
        },
    )
    scenario = Scenario.objects.get()
    assert response.status_code == 302
    assert scenario.tfr_path == [[2020, 1.2], [2030, 1.8], [2040, 2.07]]
    assert scenario.fertility_scale == [[2020, 1.0], [2030, 1.8 / 1.2], [2040, 2.07 / 1.2]]
    response = client.post(
        f"/staff/population/scenarios/{scenario.pk}/",
        {
            "name": "出生率上昇",
            "order": "2",
            "tfr_path_text": "2020:1.2",
            "fertility_scale_text": "2030:x",
            "migration_scale": "1",
            "version": "1",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert (
        "子ども女性比の倍率の「2030:x」を読めません。「年:値」の形で、区切りはカンマか読点にしてください（例: 2020:1, 2030:1.2）。"
        in text
    )
    scenario.refresh_from_db()
    assert scenario.version == 1


def test_staff_runs_a_projection_from_the_screen(client: Client) -> None:
    census = make_census()
    assumptions = make_assumptions()
    scenarios = make_scenarios()
    user = make_user("hanako")
    client.force_login(user)
    response = client.post(
        "/staff/population/runs/new/", _run_post(census, assumptions.pk, scenarios)
    )
    run = ProjectionRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/population/runs/{run.pk}/"
    assert (run.until, run.created_by, run.created_by_name) == (2050, user, "髙橋 𠮷子")
    assert run.results.count() == 3
    assert run.results.first().years == [2020, 2025, 2030, 2035, 2040, 2045, 2050]
    # A horizon off the five-year grid is refused with the reason, and nothing is run.
    bad = _run_post(census, assumptions.pk, scenarios) | {"until": "2052"}
    response = client.post("/staff/population/runs/new/", bad)
    assert response.status_code == 200
    assert (
        "推計の最終年は基準年 2020年 より後で、5 年刻みの年（2025、2030、…）にしてください。"
        in response.content.decode()
    )
    assert ProjectionRun.objects.count() == 1


def test_outlook_edit_publish_and_public_page(client: Client) -> None:
    run = make_run()
    followed = run.results.get(name="出生率上昇")
    client.force_login(make_user("hanako"))
    public = Client()
    assert "人口の将来展望は、まだ公開していません。" in public.get("/population/").content.decode()

    response = client.post(
        "/staff/population/outlook/",
        {
            "title": "鶴ヶ島市 人口の将来展望",
            "result": followed.pk,
            "targets_text": "",
            "explanation": "人口は減ります。\n市は子育てを応援します。",
        },
    )
    assert response.status_code == 302
    outlook = PopulationOutlook.objects.get()
    assert outlook.targets == services.targets_from_result(followed)
    # Saved but not published: the public page does not show it.
    assert "まだ公開していません" in public.get("/population/").content.decode()

    response = client.post("/staff/population/outlook/publish/")
    assert response.status_code == 302
    page = public.get("/population/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "<h1>鶴ヶ島市 人口の将来展望</h1>" in text
    assert "デモ用の架空データ" in text
    assert "鶴ヶ島市の人口は、2020年に 70,117人でした。" in text
    last_year, last_target = outlook.targets[-1]
    assert f"市は、{last_year}年に {last_target:,}人の人口を目指します。" in text
    assert "この目標は、推計のシナリオ「出生率上昇」にもとづいています。" in text
    assert "<p>人口は減ります。<br>市は子育てを応援します。</p>" in text
    assert "2050年の人口ピラミッド（出生率上昇）" in text
    assert text.count("<svg") == 3
    assert text.count("グラフの数値を表で見る") == 3
    # Choosing another year.
    text = public.get("/population/?year=2070").content.decode()
    assert "2070年の人口ピラミッド（出生率上昇）" in text

    # Withdrawn: the cached page is not served any more.
    client.post("/staff/population/outlook/unpublish/")
    assert "まだ公開していません" in public.get("/population/").content.decode()


def test_public_page_is_cached_and_refreshed_on_publish(client: Client) -> None:
    run = make_run()
    followed = run.results.get(name="出生率上昇")
    outlook = services.outlook_save(
        outlook=None,
        actor="t",
        expected_version=None,
        changes={
            "result": followed,
            "targets": services.targets_from_result(followed),
            "explanation": "最初の説明です。",
        },
    )
    services.outlook_publish(outlook=outlook, actor="t")
    first = client.get("/population/")
    assert first["X-Keikaku-Cache"] == "miss"
    assert client.get("/population/")["X-Keikaku-Cache"] == "hit"
    services.outlook_save(
        outlook=outlook, actor="t", expected_version=1, changes={"explanation": "新しい説明です。"}
    )
    assert "最初の説明です。" in client.get("/population/").content.decode()
    services.outlook_publish(outlook=outlook, actor="t")
    again = client.get("/population/")
    assert again["X-Keikaku-Cache"] == "miss"
    assert "新しい説明です。" in again.content.decode()


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/staff/population/import/census/", "census"),
        ("/staff/population/runs/new/", "run"),
        ("/staff/population/outlook/publish/", {}),
        ("/staff/population/outlook/unpublish/", {}),
        ("/staff/population/outlook/", {"title": "乗っ取り", "explanation": "x"}),
    ],
)
def test_non_staff_is_denied_and_nothing_changes(client: Client, url: str, data: object) -> None:
    run = make_run()
    followed = run.results.get(name="出生率上昇")
    outlook = services.outlook_save(
        outlook=None,
        actor="t",
        expected_version=None,
        changes={"result": followed, "targets": [[2070, 50000]], "explanation": "説明"},
    )
    if url.endswith("unpublish/"):
        services.outlook_publish(outlook=outlook, actor="t")
    if data == "census":
        data = _census_post(data_bytes("tsurugashima_census_2015.csv"))
    elif data == "run":
        data = _run_post(run.base_dataset, run.assumption_set_id, list(Scenario.objects.all()))
    events = AuditEvent.objects.count()
    published = PopulationOutlook.objects.get().is_published
    client.force_login(make_user("shimin", staff=False, edit=False, publish=False))
    response = client.post(url, data)
    assert response.status_code == 403
    assert "職員用ページを見る権限がありません。" in response.content.decode()
    assert AuditEvent.objects.count() == events
    assert CensusDataset.objects.count() == 1
    assert ProjectionRun.objects.count() == 1
    outlook.refresh_from_db()
    assert (outlook.title, outlook.is_published) == ("人口の将来展望", published)


def test_staff_without_rights_cannot_import_run_or_publish(client: Client) -> None:
    run = make_run()
    client.force_login(make_user("etsuran", edit=False, publish=False))
    events = AuditEvent.objects.count()
    assert client.get("/staff/population/").status_code == 200
    assert client.get(f"/staff/population/runs/{run.pk}/").status_code == 200
    response = client.post(
        "/staff/population/runs/new/",
        _run_post(run.base_dataset, run.assumption_set_id, list(Scenario.objects.all())),
    )
    assert response.status_code == 403
    assert "この操作を行う権限がありません。" in response.content.decode()
    assert client.post("/staff/population/outlook/publish/").status_code == 403
    assert client.post("/staff/population/outlook/", {"title": "x"}).status_code == 403
    assert ProjectionRun.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.post("/staff/population/runs/new/", {})
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")
    assert ProjectionRun.objects.count() == 0
