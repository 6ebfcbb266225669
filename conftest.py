"""Test configuration shared by every test package."""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's DB guard must allow it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Start the long tests (marked `slow`) first, so that under pytest-xdist they run beside
    the many short ones instead of leaving one worker busy at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.KEIKAKU_PLAN_DOCUMENTS_AUTO_BUILD = False
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    # a request in English (LocaleMiddleware) leaves English active in this thread: every
    # test starts in the site's language, whatever ran before it in this worker
    translation.activate(settings.LANGUAGE_CODE)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Under CI=true a browser that cannot start fails."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "Chromium が見つかりません（apt-get install chromium）。CI ではブラウザテストを省略できません。"
            )
        pytest.skip("Chromium is not installed; run scripts/ensure-test-system-deps")
    with sync_playwright() as pw:
        try:
            b = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        except Exception as exc:  # noqa: BLE001
            if os.environ.get("CI") == "true":
                pytest.fail(f"Chromium を起動できません: {exc}")
            pytest.skip(f"Chromium could not start: {exc}")
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900}
    )
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[dict]:
    """axe-core (bundled with axe-playwright-python, offline) with the WCAG 2.2 AA tags."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        {
            "id": v["id"],
            "impact": v.get("impact"),
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results.response["violations"]
    ]


@pytest.fixture
def axe():
    return axe_violations
