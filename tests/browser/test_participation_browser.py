"""Real-browser tests of citizens' voices: a citizen comments on a paragraph with the keyboard
only and gets a receipt; the proposal box; a closed round; staff group two opinions, answer
them and publish; the public result shows the counts and the table and no personal data.
axe-core finds nothing on every page a citizen sees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from keikaku.participation import services
from keikaku.participation.models import Opinion, PublicCommentRound
from keikaku.participation.tests.factories import make_round, make_user, submit_comment
from keikaku.plans import services as plan_services
from keikaku.plans.tests.factories import make_small_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tab_to(page, js_predicate: str, limit: int = 400) -> None:
    """Press Tab until the focused element satisfies the predicate (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {js_predicate})(document.activeElement)"):
            return
    raise AssertionError(f"focus never reached: {js_predicate}")


def test_citizen_comments_on_a_paragraph_with_the_keyboard(live_server, page, axe):
    rnd = make_round()
    base = live_server.url
    page.goto(f"{base}/participation/")
    assert axe(page) == []
    page.get_by_role("link", name=rnd.title).click()
    assert page.locator("h1").inner_text() == rnd.title
    assert axe(page) == []

    # Keyboard only from here: Tab to the paragraph's button, Enter.
    _tab_to(
        page,
        "el.getAttribute('href') && el.getAttribute('href').endsWith('target=p:measure-1-1-target-1')",
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**/comment/?target=p:measure-1-1-target-1")
    assert page.locator("blockquote.quoted").inner_text() == "安心して子どもを産み育てられるまち"
    assert axe(page) == []
    _tab_to(page, "el.id === 'id_text'")
    page.keyboard.type("共働きの家庭のために、保育所の整備を急いでください。")
    _tab_to(page, "el.id === 'id_eligibility_0'")
    page.keyboard.press("Space")
    _tab_to(page, "el.id === 'id_name'")
    page.keyboard.type("鶴ヶ島 太郎")
    page.keyboard.press("Tab")
    page.keyboard.type("埼玉県鶴ヶ島市三ツ木新町一丁目1番1号")
    _tab_to(page, "el.tagName === 'BUTTON' && el.value === 'confirm'")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=入力内容の確認")
    assert (
        "共働きの家庭のために、保育所の整備を急いでください。" in page.locator("main").inner_text()
    )
    assert axe(page) == []
    _tab_to(page, "el.tagName === 'BUTTON' && el.value === 'submit'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/participation/receipts/**")
    opinion = Opinion.objects.get()
    assert page.locator(".receipt-number").inner_text() == opinion.receipt_number
    assert opinion.paragraph.key == "measure-1-1-target-1"
    assert opinion.quoted_text == "安心して子どもを産み育てられるまち"
    assert axe(page) == []
    # Reloading the receipt (or going back and sending again) stores nothing new.
    page.reload()
    assert Opinion.objects.count() == 1


def test_the_paragraph_button_works_by_touch_on_a_phone(live_server, phone_page, axe):
    rnd = make_round()
    phone_page.goto(f"{live_server.url}/participation/comments/{rnd.pk}/")
    button = phone_page.locator('a[href$="target=p:measure-1-1-issues-1"]')
    box = button.bounding_box()
    assert box is not None and box["height"] >= 24 and box["width"] >= 24
    button.tap()
    phone_page.wait_for_url("**/comment/?target=p:measure-1-1-issues-1")
    assert phone_page.locator("blockquote.quoted").inner_text() == "共働き世帯が増えています。"
    assert axe(phone_page) == []


def test_proposal_form_confirmation_and_receipt(live_server, page, axe):
    plan = make_small_plan()
    plan_services.edition_publish(edition=plan.edition, actor="test")
    base = live_server.url
    page.goto(f"{base}/participation/proposals/new/")
    assert axe(page) == []
    # Sending without text shows the error summary (checked by axe, too).
    page.get_by_role("button", name="確認画面へ進む").click()
    assert page.get_by_role("alert").inner_text().startswith("入力内容を確かめてください")
    assert axe(page) == []
    page.get_by_label("どの分野・施策についての意見ですか").select_option("measure:1-1")
    page.get_by_label("ご意見・ご提案").fill(
        "駅前に子どもの遊び場がほしいです。\nhttps://example.jp/"
    )
    page.get_by_label("年代").select_option("30s")
    page.get_by_role("button", name="確認画面へ進む").click()
    page.wait_for_selector("text=入力内容の確認")
    assert page.locator("main a[href='https://example.jp/']").count() == 0
    assert axe(page) == []
    page.get_by_role("button", name="この内容で送信する").click()
    page.wait_for_url("**/participation/receipts/**")
    assert page.locator(".receipt-number").inner_text() == Opinion.objects.get().receipt_number
    assert axe(page) == []


def test_closed_round_refuses_and_passes_axe(live_server, page, axe):
    rnd = make_round()
    base = live_server.url
    page.goto(f"{base}/participation/comments/{rnd.pk}/comment/?target=whole")
    page.get_by_label("ご意見").fill("締切間際の意見です。")
    PublicCommentRound.objects.filter(pk=rnd.pk).update(
        ends_at=timezone.now() - dt.timedelta(seconds=1)
    )
    page.get_by_label("市内に住んでいる（在住）").check()
    page.get_by_label("お名前").fill("鶴ヶ島 太郎")
    page.locator("#id_address").fill("鶴ヶ島市")
    page.get_by_role("button", name="確認画面へ進む").click()
    assert page.locator("h1").inner_text() == "この意見募集は締め切りました"
    assert page.locator(".kept-text").inner_text() == "締切間際の意見です。"
    assert axe(page) == []
    assert Opinion.objects.count() == 0
    page.goto(f"{base}/participation/comments/{rnd.pk}/comment/")
    assert page.locator("textarea").count() == 0
    assert axe(page) == []
    page.goto(f"{base}/participation/comments/{rnd.pk}/")
    assert "受付を終了しました" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="この段落に意見を書く").count() == 0
    assert axe(page) == []


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/staff/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill("pass-for-tests-1")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{base}/staff/")


def test_staff_group_answer_publish_and_the_public_result(live_server, browser, page, axe):
    rnd = make_round()
    paragraph = rnd.paragraphs.get(key="measure-1-1-target-1")
    a = submit_comment(rnd, "保育所を増やしてください。", paragraph=paragraph)
    b = submit_comment(
        rnd,
        "保育園をもっと作ってほしい。連絡は 090-1234-5678 まで。",
        paragraph=paragraph,
        personal=services.PersonalInput(name="𠮷田 花子", address="鶴ヶ島市脚折町1-2-3"),
    )
    PublicCommentRound.objects.filter(pk=rnd.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=40),
        ends_at=timezone.now() - dt.timedelta(days=1),
    )
    make_user("kikaku", "change_publiccommentround", "publish_result", full_name="髙橋 一郎")
    base = live_server.url
    _login(page, base, "kikaku")
    page.goto(f"{base}/staff/participation/rounds/{rnd.pk}/opinions/")
    assert "［電話番号］" in page.locator("main").inner_text()
    page.get_by_label(f"{a.receipt_number} を選ぶ").check()
    page.get_by_label(f"{b.receipt_number} を選ぶ").check()
    page.get_by_role("button", name="選んだ意見をまとめる").click()
    assert "2件を「番号1」にまとめました。" in page.locator(".messages").inner_text()
    page.get_by_role("link", name="番号1").first.click()
    page.get_by_label("意見の概要").fill("保育所を増やしてほしい。")
    page.get_by_label("市の考え方").fill("素案の主な取組「保育の受け皿の確保」に含まれています。")
    page.get_by_label("反映区分").select_option("B")
    page.get_by_label("修正する段落").select_option("")
    page.get_by_role("button", name="保存", exact=True).click()
    assert "「番号1」を保存しました。" in page.locator(".messages").inner_text()
    page.goto(f"{base}/staff/participation/rounds/{rnd.pk}/result/")
    page.get_by_role("button", name="結果を公表する").click()
    assert "意見募集の結果を公表しました。" in page.locator(".messages").inner_text()

    citizen = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    public = citizen.new_page()
    public.goto(f"{base}/participation/comments/{rnd.pk}/result/")
    main = public.locator("main").inner_text()
    assert "意見を出した人・団体の数\n2人・団体" in main
    assert "意見の数\n2件" in main
    assert "案に反映した意見の数\n0件" in main
    row = public.locator("table.result-table tbody tr").first
    assert [c.strip() for c in row.locator("th, td").all_inner_texts()] == [
        "1",
        "施策1-1 子育て支援の充実（目指す姿）",
        "保育所を増やしてほしい。",
        "素案の主な取組「保育の受け皿の確保」に含まれています。",
        "B 既に趣旨を含む",
        "2",
    ]
    html = public.content()
    for secret in ("鶴ヶ島 太郎", "𠮷田 花子", "三ツ木新町", "脚折町1-2-3", "090-1234-5678"):
        assert secret not in html
    assert axe(public) == []
    public.goto(f"{base}/participation/comments/{rnd.pk}/")
    assert axe(public) == []
    public.goto(f"{base}/participation/")
    assert axe(public) == []
    citizen.close()
