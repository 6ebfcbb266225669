"""Real-browser tests of the public site as a whole: a citizen goes from the home page to the
participation hub, to the public comment and to the receipt with the keyboard only; the
furigana and language switches and the site search work without JavaScript and with the
keyboard; the print stylesheet leaves the navigation out. axe-core on every page visited."""

from __future__ import annotations

import pytest

from keikaku.participation.models import Opinion
from keikaku.participation.tests.factories import make_round
from keikaku.plans import services as plan_services
from keikaku.plans.tests.factories import make_small_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tab_to(page, js_predicate: str, limit: int = 300) -> None:
    """Press Tab until the focused element satisfies the predicate (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {js_predicate})(document.activeElement)"):
            return
    raise AssertionError(f"focus never reached: {js_predicate}")


def _link_to(path: str) -> str:
    return f"el.tagName === 'A' && el.getAttribute('href') === '{path}'"


@pytest.fixture
def city():
    plan = make_small_plan()
    plan_services.edition_publish(edition=plan.edition, actor="test")
    rnd = make_round(plan)
    return plan, rnd


def test_home_to_hub_to_public_comment_to_receipt_with_the_keyboard_only(
    live_server, page, axe, city
):
    _plan, rnd = city
    base = live_server.url
    page.goto(f"{base}/")
    assert axe(page) == []
    # The header link to the participation hub.
    _tab_to(page, _link_to("/take-part/"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/take-part/")
    assert page.locator("h1").inner_text() == "計画づくりに参加する"
    assert axe(page) == []
    # The open public comment round on the hub.
    _tab_to(page, _link_to(f"/participation/comments/{rnd.pk}/"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/participation/comments/{rnd.pk}/")
    assert page.locator("h1").inner_text() == rnd.title
    assert axe(page) == []
    # Comment on the whole draft.
    _tab_to(page, "el.tagName === 'A' && el.getAttribute('href').endsWith('comment/?target=whole')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/comment/?target=whole")
    assert axe(page) == []
    _tab_to(page, "el.id === 'id_text'")
    page.keyboard.type("計画の全体について、やさしい日本語の説明を増やしてください。")
    _tab_to(page, "el.id === 'id_eligibility_0'")
    page.keyboard.press("Space")
    _tab_to(page, "el.id === 'id_name'")
    page.keyboard.type("𠮷田 花子")
    page.keyboard.press("Tab")
    page.keyboard.type("埼玉県鶴ヶ島市大字三ツ木16番地1")
    _tab_to(page, "el.tagName === 'BUTTON' && el.value === 'confirm'")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=入力内容の確認")
    assert axe(page) == []
    _tab_to(page, "el.tagName === 'BUTTON' && el.value === 'submit'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/participation/receipts/**")
    opinion = Opinion.objects.get()
    assert page.locator(".receipt-number").inner_text() == opinion.receipt_number
    assert opinion.text == "計画の全体について、やさしい日本語の説明を増やしてください。"
    assert opinion.round_id == rnd.pk
    assert axe(page) == []


def test_furigana_and_language_switches_work_with_the_keyboard(live_server, page, axe, city):
    base = live_server.url
    page.goto(f"{base}/plan/measures/1-1/")
    assert page.locator("main ruby").count() == 0
    _tab_to(page, "el.hasAttribute('data-furigana-switch')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("main ruby")
    assert page.url == f"{base}/plan/measures/1-1/"
    # readings on the heading, none in the document title
    assert page.locator("h1 ruby rt").first.inner_text() == "こそだ"
    assert "<ruby>" not in page.title()
    assert axe(page) == []
    # the switch now removes them
    _tab_to(page, "el.hasAttribute('data-furigana-switch')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("main ruby").count() == 0
    # English
    _tab_to(page, "el.getAttribute('hreflang') === 'en'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.get_by_role("link", name="Take part").count() == 1
    assert page.locator(".skip-link").inner_text() == "Skip to main content"
    assert axe(page) == []
    _tab_to(page, "el.getAttribute('hreflang') === 'ja'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.lang") == "ja"


def test_site_search_from_the_header(live_server, page, axe, city):
    base = live_server.url
    page.goto(f"{base}/")
    _tab_to(page, "el.id === 'site-search-q'")
    page.keyboard.type("こども")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator(".search-results > li")
    assert results.count() >= 1
    assert page.locator(".search-results a[href='/plan/measures/1-1/']").count() == 1
    assert axe(page) == []


def test_print_stylesheet_leaves_out_the_navigation(live_server, page, city):
    page.goto(f"{live_server.url}/plan/measures/1-1/")
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    assert page.locator(".header-tools").is_hidden()
    assert page.locator("h1").is_visible()
    # the chart's data table is printed even though it is folded on screen
    assert page.locator("details.data-table table").first.is_visible()


def test_a_table_wider_than_a_phone_becomes_a_focusable_region_and_stops_being_one_when_it_fits(
    live_server, phone_page, axe, city
):
    phone_page.context.add_cookies(
        [{"name": "django_language", "value": "en", "url": live_server.url}]
    )
    phone_page.set_viewport_size({"width": 320, "height": 700})  # WCAG 1.4.10 reflow width
    phone_page.goto(live_server.url + "/open-data/")
    wrap = phone_page.locator(".table-wrap").first  # the dataset catalogue: 5 columns
    caption = wrap.locator("caption").inner_text().strip()
    assert caption
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    assert wrap.get_attribute("tabindex") == "0"
    assert wrap.get_attribute("role") == "region"
    assert wrap.get_attribute("aria-label") == caption
    # the second table fits: no extra tab stop
    assert phone_page.locator(".table-wrap").nth(1).get_attribute("tabindex") is None
    # the keyboard reaches the region and scrolls it
    wrap.focus()
    phone_page.keyboard.press("ArrowRight")
    phone_page.wait_for_function(
        "() => document.activeElement.classList.contains('table-wrap')"
        " && document.activeElement.scrollLeft > 0"
    )
    assert axe(phone_page) == []
    # wide enough: an ordinary box again
    phone_page.set_viewport_size({"width": 1600, "height": 900})
    phone_page.wait_for_function("el => !el.hasAttribute('tabindex')", arg=wrap.element_handle())
    assert wrap.get_attribute("role") is None
    assert wrap.get_attribute("aria-label") is None
    assert axe(phone_page) == []
