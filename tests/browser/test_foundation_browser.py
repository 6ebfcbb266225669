"""Real-browser tests of the foundation: staff editing with history and stale-edit refusal,
publishing to the public site, and axe-core on every public page of the demo city."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command
from django.db import connection

from keikaku.plans import services
from keikaku.plans.models import Measure
from keikaku.plans.tests.factories import make_small_plan, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/staff/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill("pass-for-tests-1")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{base}/staff/")


def test_staff_edits_history_stale_refusal_and_publish(live_server, browser, page):
    plan = make_small_plan()
    make_staff("hanako", full_name="𠮷田 花子")
    make_staff("ichiro", full_name="髙橋 一郎")
    services.edition_publish(edition=plan.edition, actor="test")
    base = live_server.url
    edit_url = f"{base}/staff/plan/measures/{plan.measure.pk}/"

    # Hanako opens the form first (version 1) ...
    _login(page, base, "hanako")
    page.goto(edit_url)
    page.locator("#id_title").fill("子育て支援の拡充（花子）")

    # ... Ichiro, in another browser, opens the same form and saves first.
    other = browser.new_context(locale="ja-JP")
    page2 = other.new_page()
    _login(page2, base, "ichiro")
    page2.goto(edit_url)
    page2.locator("#id_title").fill("子育て支援の拡充")
    page2.locator("#id_target_state").fill("誰もが安心して子どもを産み育てられるまち")
    page2.get_by_role("button", name="保存", exact=True).click()
    assert page2.get_by_text("「1-1 子育て支援の拡充」を保存しました。").is_visible()

    # The history shows the character diff.
    page2.goto(f"{edit_url}history/")
    inserted = page2.locator("ins.diff-ins").all_inner_texts()
    assert "拡" in inserted
    assert "誰もが" in inserted
    assert page2.locator("del.diff-del").first.inner_text() == "実"
    other.close()

    # Hanako's save is based on version 1: refused, naming Ichiro, nothing overwritten.
    page.get_by_role("button", name="保存", exact=True).click()
    alert = page.get_by_role("alert").first
    assert "髙橋 一郎 さんが変更しました" in alert.inner_text()
    assert Measure.objects.get(pk=plan.measure.pk).title == "子育て支援の拡充"

    # The public page still shows the published text until the measure is published.
    page.goto(f"{base}/plan/measures/1-1/")
    assert page.locator("h1").inner_text() == "子育て支援の充実"
    page.goto(edit_url)
    page.get_by_role("button", name="この施策を公開する").click()
    page.goto(f"{base}/plan/measures/1-1/")
    assert page.locator("h1").inner_text() == "子育て支援の拡充"
    assert "誰もが安心して子どもを産み育てられるまち" in page.locator("main").inner_text()


SKIPPED_PREFIXES = ("/staff", "/admin", "/static", "/media", "/api/")
DOWNLOAD = re.compile(r"\.(pdf|xlsx|csv|docx|json|geojson|zip)$")


def _links(page, url: str, host: str) -> list[str]:
    """The public pages a page links to (downloads, the staff side, the API and the language /
    furigana switches left out: those are checked by mode)."""
    found = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
        absolute = urljoin(url, href).split("#")[0]
        parsed = urlparse(absolute)
        if parsed.netloc != host or parsed.path.startswith(SKIPPED_PREFIXES):
            continue
        if DOWNLOAD.search(parsed.path) or re.search(r"(^|&)(lang|furigana)=", parsed.query):
            continue
        found.append(absolute)
    return found


def _visit_all(page, base: str, check, limit: int = 1500) -> list[str]:
    """Breadth-first over every public page reachable from the home page, calling `check` on
    each HTML page as it is loaded (one load per page). Returns the pages in visiting order."""
    host = urlparse(base).netloc
    seen: list[str] = []
    queued = {f"{base}/"}
    queue = [f"{base}/"]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        response = page.goto(url)
        assert response is not None and response.status == 200, (
            f"{url} → {response and response.status}"
        )
        if not (response.header_value("content-type") or "").startswith("text/html"):
            continue  # a download behind a plain link (e.g. a council PDF material)
        seen.append(url)
        check(url)
        for link in _links(page, url, host):
            if link not in queued:
                queued.add(link)
                queue.append(link)
    return seen


MODES = (
    ("ja", "日本語", []),
    ("en", "English", [{"name": "django_language", "value": "en"}]),
    ("furigana", "ふりがな", [{"name": "keikaku_furigana", "value": "1"}]),
)


def _axe_violations(page) -> list[dict]:
    """axe-core with the WCAG 2.2 AA tags (violations only, which is faster)."""
    from axe_playwright_python.sync_playwright import Axe

    from conftest import AXE_TAGS

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": AXE_TAGS},
            "resultTypes": ["violations"],
        },
    )
    return [
        {"id": v["id"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"]
    ]


def _write_results(
    path, *, engine: str, modes: list[dict], violations: int, failures: dict
) -> None:
    import datetime as dt
    import importlib.metadata
    import json

    from conftest import AXE_TAGS

    axe_py_version = importlib.metadata.version("axe-playwright-python")

    path.write_text(
        json.dumps(
            {
                "checked_at": dt.date.today().isoformat(),
                "tool": f"axe-core {engine}（axe-playwright-python {axe_py_version}、Chromium）",
                "tags": AXE_TAGS,
                "pages": sum(m["pages"] for m in modes),
                "modes": modes,
                "violations": violations,
                "failures": failures,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )


@pytest.mark.slow
def test_every_public_page_of_the_demo_passes_axe(live_server, browser, settings):
    """The whole demo city (every app's demo data): crawl from the home page, then check every
    page with axe-core in Japanese, in English and with furigana on. The result is written to
    var/accessibility-results.json, which the accessibility policy page shows."""
    from pathlib import Path

    call_command("setup_demo", no_documents=True, verbosity=0)
    # The markup is the same on every database engine: CI's second run (PostgreSQL) checks that
    # every page answers in every mode and leaves axe (minutes) to the SQLite run.
    check_axe = connection.vendor == "sqlite"
    base = live_server.url
    modes: list[dict] = []
    failures: dict[str, list[dict]] = {}
    pages: list[str] = []
    engine = ""
    for key, label, cookies in MODES:
        context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
        if cookies:
            context.add_cookies([{**c, "url": base} for c in cookies])
        page = context.new_page()
        page.set_default_timeout(30000)

        def check(url: str, key: str = key, page=page) -> None:
            nonlocal engine
            if key == "en":
                assert page.evaluate("document.documentElement.lang") == "en", url
            if key == "furigana" and page.locator("main").inner_text().strip():
                assert page.locator("main ruby").count() > 0 or not re.search(
                    r"[\u4e00-\u9fff]", page.locator("main").inner_text()
                ), url
            if not check_axe:
                return
            violations = _axe_violations(page)
            engine = engine or str(page.evaluate("window.axe ? axe.version : ''"))
            if violations:
                failures[f"{key} {url.removeprefix(base)}"] = violations

        if key == "ja":
            # crawl and check in one pass: home, plan, 7 areas, 40 measures, 3 strategies,
            # accessibility, and the pages of the other apps (progress, evaluation, …)
            pages = _visit_all(page, base, check)
            assert len(pages) >= 100, len(pages)
        else:
            for url in pages:
                response = page.goto(url)
                assert response is not None and response.status == 200, f"{key} {url}"
                check(url)
        modes.append({"key": key, "label": label, "pages": len(pages)})
        context.close()
    if not check_axe:
        return
    _write_results(
        Path(settings.VAR_DIR) / "accessibility-results.json",
        engine=engine,
        modes=modes,
        violations=sum(len(v) for v in failures.values()),
        failures=failures,
    )
    assert failures == {}


def test_public_pages_work_with_the_keyboard_and_on_a_phone(live_server, phone_page):
    plan = make_small_plan()
    services.edition_publish(edition=plan.edition, actor="test")
    page = phone_page
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "本文へ移動"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # No horizontal scrolling on a 390 px wide screen.
    page.goto(f"{live_server.url}/plan/measures/1-1/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
