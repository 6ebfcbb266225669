"""A citizen answers the survey on a phone with the code from the letter; the code works
once; two concurrent final submissions with the same code store one response; axe-core
finds nothing on any survey page a citizen sees."""

from __future__ import annotations

import pytest

from keikaku.surveys import services
from keikaku.surveys.domain.codes import format_code
from keikaku.surveys.domain.synthetic import synthetic_rows
from keikaku.surveys.models import SurveyResponse
from keikaku.surveys.selectors import wave_spec
from keikaku.surveys.tests.factories import ACTOR, make_wave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_citizen_answers_on_a_phone_and_the_code_works_once(live_server, phone_page, axe):
    wave = make_wave()
    (code,) = services.access_codes_generate(wave=wave, actor=ACTOR, count=1)
    page = phone_page
    base = live_server.url

    page.goto(f"{base}/survey/")
    assert axe(page) == []
    page.get_by_label("回答用コード").fill(format_code(code.code).lower())
    page.get_by_role("button", name="回答を始める").click()

    # page 1 of 5: attributes
    assert page.locator("h1").inner_text() == "あなたご自身について"
    assert page.get_by_text("5ページ中 1ページ目").is_visible()
    assert axe(page) == []
    assert _no_sideways_scroll(page)
    page.get_by_role("group", name="問1 あなたの性別を教えてください。").get_by_label(
        "女性"
    ).check()
    page.get_by_role("group", name="問3 お住まいの地区を教えてください。").get_by_label(
        "北部地区"
    ).check()
    page.get_by_role("button", name="保存して次へ進む").click()

    # page 2: too many picks → the error is announced and linked to the question
    attract = page.get_by_role(
        "group", name="問8 市の魅力だと思うものを3つまで選んでください。（3つまで）"
    )
    for label in ("交通の便がよい", "自然が多い", "買い物が便利", "治安がよい"):
        attract.get_by_label(label).check()
    page.get_by_role(
        "group", name="問6 市の取組全体について、どの程度満足していますか。"
    ).get_by_label("やや満足").check()
    page.get_by_role("button", name="保存して次へ進む").click()
    alert = page.get_by_role("alert")
    assert "選べるのは3つまでです（いま4つ選ばれています）。" in alert.inner_text()
    assert axe(page) == []
    attract.get_by_label("治安がよい").uncheck()
    page.get_by_role("button", name="保存して次へ進む").click()

    # page 3: satisfaction and importance of each measure
    measure = page.get_by_role("group", name="問9 子育て支援の充実")
    measure.get_by_role("group", name="満足度").get_by_label("やや不満").check()
    measure.get_by_role("group", name="重要度").get_by_label("重要", exact=True).check()
    assert axe(page) == []
    assert _no_sideways_scroll(page)
    page.get_by_role("button", name="保存して次へ進む").click()
    assert axe(page) == []  # page 4
    page.get_by_role("button", name="保存して次へ進む").click()
    assert axe(page) == []  # page 5: free text
    page.get_by_label("問12 市のまちづくりについて").fill("駅前に自転車置き場を（𠮷田）")
    page.get_by_role("button", name="回答内容の確認へ進む").click()

    assert page.locator("h1").inner_text() == "回答内容の確認"
    assert "駅前に自転車置き場を（𠮷田）" in page.locator("main").inner_text()
    assert axe(page) == []
    page.get_by_role("button", name="この内容で回答を送信する").click()
    assert page.locator("h1").inner_text() == "回答を受け付けました"
    assert axe(page) == []
    stored = SurveyResponse.objects.get(wave=wave)
    assert stored.answers == {
        "gender": "女性", "district": "北部地区", "overall": "2", "Q_ATTRACT": "1;2;3",
        "S:1-1": "4", "I:1-1": "1", "free_text": "駅前に自転車置き場を（𠮷田）",
    }  # fmt: skip

    # the code cannot be used again
    page.goto(f"{base}/survey/")
    page.get_by_label("回答用コード").fill(code.code)
    page.get_by_role("button", name="回答を始める").click()
    assert "この回答用コードはすでに使われています" in page.get_by_role("alert").inner_text()
    assert axe(page) == []
    assert SurveyResponse.objects.filter(wave=wave).count() == 1


def test_two_concurrent_final_submits_with_one_code_store_one_response(
    live_server, browser, phone_page, axe
):
    wave = make_wave()
    (code,) = services.access_codes_generate(wave=wave, actor=ACTOR, count=1)
    base = live_server.url
    other_context = browser.new_context(
        locale="ja-JP", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    pages = [phone_page, other_context.new_page()]
    for page in pages:
        page.goto(f"{base}/survey/")
        page.get_by_label("回答用コード").fill(code.code)
        page.get_by_role("button", name="回答を始める").click()
    pages[0].get_by_role("group", name="問1 あなたの性別を教えてください。").get_by_label(
        "男性"
    ).check()
    pages[0].get_by_role("button", name="保存して次へ進む").click()
    for page in pages:
        page.goto(f"{base}/survey/answer/confirm/")
        assert page.get_by_role("button", name="この内容で回答を送信する").is_visible()
    # both final submissions leave at the same moment
    for page in pages:
        page.evaluate("document.querySelector('form[action$=\"/submit/\"]').requestSubmit()")
    for page in pages:
        page.wait_for_load_state("load")
        page.wait_for_function(
            "document.querySelector('h1') && !location.pathname.endsWith('/confirm/')"
        )
    headings = sorted(page.locator("h1").inner_text() for page in pages)
    assert headings == ["このコードはすでに使われています", "回答を受け付けました"]
    refused = next(p for p in pages if p.locator("h1").inner_text() != "回答を受け付けました")
    assert "今回の送信は保存していません" in refused.get_by_role("alert").inner_text()
    assert axe(refused) == []
    assert SurveyResponse.objects.filter(wave=wave).count() == 1
    other_context.close()


def test_published_results_pass_axe_on_a_phone(live_server, phone_page, axe):
    wave = make_wave(summary_public=True)
    rows = synthetic_rows(wave_spec(wave), 80, seed=11)
    SurveyResponse.objects.bulk_create(
        [SurveyResponse(wave=wave, respondent_id=r, channel="web", answers=c) for r, c in rows]
    )
    services.wave_set_status(wave=wave, actor=ACTOR, status="closed")
    page = phone_page
    page.goto(f"{live_server.url}/survey/results/")
    assert axe(page) == []
    page.get_by_role("link", name=wave.title).click()
    assert page.locator("h1").inner_text() == "令和7年度 市民意識調査の結果（概要）"
    assert page.locator("svg[role=img]").count() >= 2
    assert axe(page) == []
