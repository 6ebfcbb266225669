"""Real-browser tests of the council and assembly pages: axe-core finds nothing on every public
page reachable from /council/ and /assembly/ (crawled), and on the application form in each of
its states (blank, with errors, confirmation) and the receipt."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from keikaku.council import demo
from keikaku.council.models import Application, Recruitment
from keikaku.council.tests.factories import ESSAY
from keikaku.plans.tests.factories import make_small_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_record(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    plan = make_small_plan()
    demo.load(edition=plan.edition)
    return plan


def _is_page(path: str) -> bool:
    if not path.startswith(("/council/", "/assembly/")):
        return False
    return not (path.endswith(".pdf") or "/materials/" in path)


def test_every_public_council_and_assembly_page_passes_axe(live_server, page, axe, demo_record):
    base = live_server.url
    queue = ["/council/", "/assembly/"]
    seen: list[str] = []
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        assert axe(page) == [], path
        hrefs = page.eval_on_selector_all(
            "main a[href]", "els => els.map(e => e.getAttribute('href'))"
        )
        for href in hrefs:
            target = urlparse(href).path
            if _is_page(target) and target not in seen and target not in queue:
                queue.append(target)
    # index pages, 6 meetings, 5 published minutes, 2 documents (諮問・答申), 2 calls and the
    # form of the open one, 2 bills, 2 reports to the assembly
    assert len([p for p in seen if p.startswith("/council/meetings/")]) == 6 + 5
    assert len([p for p in seen if p.startswith("/council/documents/")]) == 2
    assert len([p for p in seen if p.startswith("/council/recruitments/")]) == 3
    assert len([p for p in seen if p.startswith("/assembly/bills/")]) == 2
    assert len([p for p in seen if p.startswith("/assembly/reports/")]) == 2
    assert len(seen) == 2 + 11 + 2 + 3 + 2 + 2


def test_application_form_confirmation_and_receipt(live_server, page, axe, demo_record):
    call = Recruitment.objects.get(title__startswith="次期")
    base = live_server.url
    page.goto(f"{base}/council/recruitments/{call.pk}/")
    page.get_by_role("link", name="ウェブで応募する").click()
    page.wait_for_url(f"**/council/recruitments/{call.pk}/apply/")
    assert axe(page) == []
    # Sending the blank form shows the error summary (checked by axe, too).
    page.get_by_role("button", name="確認画面へ進む").click()
    assert page.get_by_role("alert").inner_text().startswith("入力内容を確かめてください")
    assert axe(page) == []
    page.fill("#id_name", "𠮷田 花子")
    page.fill("#id_name_kana", "よしだ はなこ")
    page.fill("#id_birth_date", "1985-04-01")
    page.check("#id_eligibility_0")
    page.fill("#id_address", "埼玉県鶴ヶ島市大字三ツ木16-1")
    page.fill("#id_phone", "049-271-1111")
    page.fill("#id_essay", ESSAY + "\n" + ESSAY)
    page.check("#id_consent")
    page.get_by_role("button", name="確認画面へ進む").click()
    page.wait_for_selector("text=入力内容の確認")
    assert "𠮷田 花子" in page.locator("main").inner_text()
    assert axe(page) == []
    page.get_by_role("button", name="この内容で応募する").click()
    page.wait_for_url("**/council/applications/**")
    application = Application.objects.get(recruitment=call)
    assert page.locator(".receipt-number").inner_text() == application.receipt_number
    assert "𠮷田 花子" not in page.locator("main").inner_text()
    assert axe(page) == []
    # Reloading the receipt stores nothing new.
    page.reload()
    assert Application.objects.filter(recruitment=call).count() == 1
