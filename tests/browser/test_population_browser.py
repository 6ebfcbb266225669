"""Real-browser tests of the population vision: axe-core on the public page /population/
(and on the staff pages), choosing a pyramid year, an import with errors, publishing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from keikaku.demography import selectors, services
from keikaku.demography.models import CensusDataset
from keikaku.demography.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_tables(page) -> None:
    page.eval_on_selector_all("details", "els => els.forEach(e => { e.open = true; })")


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/staff/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill("pass-for-tests-1")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{base}/staff/")


def test_public_population_page_passes_axe(live_server, page, axe):
    call_command("load_demo_population", verbosity=0)
    page.goto(f"{live_server.url}/population/")
    assert page.locator("h1").inner_text() == "人口の将来展望"
    assert "デモ用の架空データ" in page.locator("main").inner_text()
    assert page.locator("figure.chart svg[role=img]").count() == 3
    assert axe(page) == []
    _open_tables(page)
    assert page.get_by_role("table").count() == 4  # targets + one beside each chart
    assert axe(page) == []

    # Choose another year for the pyramid.
    page.get_by_label("年を選ぶ").select_option("2035")
    page.get_by_role("button", name="表示する").click()
    page.wait_for_url("**/population/?year=2035#pyramid")
    assert (
        page.locator("#pyramid figcaption").inner_text() == "2035年の人口ピラミッド（出生率上昇）"
    )
    assert axe(page) == []


def test_staff_import_errors_publish_and_axe(live_server, page, axe, tmp_path):
    call_command("load_demo_population", verbosity=0)
    outlook = selectors.outlook_get()
    services.outlook_unpublish(outlook=outlook, actor="test")
    make_user("hanako")
    base = live_server.url
    _login(page, base, "hanako")

    page.goto(f"{base}/staff/population/")
    assert page.locator("h1").inner_text() == "人口推計（人口ビジョン）"
    assert axe(page) == []

    # An import with a faulty row: every problem is listed, nothing is saved.
    bad = tmp_path / "kokusei.csv"
    lines = (
        "year,sex,age_group,population\r\n"
        + "".join(f"2010,male,{5 * g}-{5 * g + 4},100\r\n" for g in range(18))
        + "2010,male,90+,-5\r\n"
        + "".join(f"2010,female,{5 * g}-{5 * g + 4},100\r\n" for g in range(18))
    )
    bad.write_text(lines, encoding="utf-8")
    page.goto(f"{base}/staff/population/import/census/")
    page.get_by_label("ファイル").set_input_files(str(bad))
    page.get_by_label("出典").fill("平成22年国勢調査")
    page.get_by_role("button", name="取り込む").click()
    alert = page.get_by_role("alert")
    assert (
        "取り込めませんでした。2 件の誤りがあります。何も保存していません。" in alert.inner_text()
    )
    assert "kokusei.csv 20行目 population列: 人口が負の値（-5）です。0 以上にしてください。" in (
        alert.inner_text()
    )
    assert "kokusei.csv: 女性 90+ の行がありません。" in alert.inner_text()
    assert not CensusDataset.objects.filter(year=2010).exists()
    assert axe(page) == []

    # The run pages.
    run = selectors.projection_run_list().first()
    for url in (f"/staff/population/runs/{run.pk}/", f"/staff/population/runs/{run.pk}/pyramid/"):
        page.goto(f"{base}{url}")
        _open_tables(page)
        assert axe(page) == []

    # Publish the outlook from its editor; the public page shows it.
    page.goto(f"{base}/staff/population/outlook/")
    assert axe(page) == []
    page.get_by_role("button", name="公開する", exact=True).click()
    assert page.get_by_text("人口の将来展望を公開しました。").is_visible()
    page.goto(f"{base}/population/")
    assert (
        "この目標は、推計のシナリオ「出生率上昇」にもとづいています。"
        in page.locator("main").inner_text()
    )
