"""Real-browser tests of the evaluation: the keyboard entry grid, the report's PDF made in the
background (its progress page), and axe-core (WCAG 2.2 AA tags) on the public evaluation
pages (with a priority strategy's page) and the staff pages."""

from __future__ import annotations

import pytest

from keikaku.evaluation import renderers, services
from keikaku.evaluation.models import MeasureEvaluation, ReportFile
from keikaku.evaluation.tests.factories import add_strategies, make_former_plan, make_user
from keikaku.plans.models import IndicatorValue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/staff/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill("pass-for-tests-1")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{base}/staff/")


@pytest.fixture
def published(live_server):
    fp = make_former_plan()
    add_strategies(fp)
    jim = make_user("jim", secretariat=True, full_name="𠮷田 花子")
    round_ = services.round_create(edition=fp.edition, fiscal_year=2024, actor=jim, is_final=True)
    sheet = MeasureEvaluation.objects.get(round=round_, measure__code="1-1")
    services.sheet_update(
        sheet=sheet,
        actor=jim,
        expected_version=None,
        changes={"results": "拠点の利用者が増えました。", "direction": "continue"},
    )
    services.sheet_submit(sheet=sheet, actor=jim, expected_version=None)
    services.sheet_confirm(sheet=sheet, actor=jim, expected_version=None)
    services.round_publish(round_=round_, actor=jim)
    return fp, round_, live_server.url


def test_public_evaluation_pages_have_no_axe_violations(published, page, axe):
    _fp, _round, base = published
    for path in (
        "/evaluation/",
        "/evaluation/2024/",
        "/evaluation/2024/measures/1-1/",
        "/evaluation/2024/strategies/1/",
    ):
        page.goto(base + path)
        assert page.locator("h1").count() == 1
        assert axe(page) == [], path
    # the data tables behind the charts open with the keyboard and stay accessible
    page.goto(base + "/evaluation/2024/measures/1-1/")
    page.locator("details.data-table summary").first.focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("table", name="地域子育て拠点の利用者数 の年度別実績値").is_visible()
    assert axe(page) == []
    assert page.get_by_text("拠点の利用者が増えました。").is_visible()


def test_keyboard_grid_entry(published, page, axe):
    fp, round_, base = published
    make_user("child", department=fp.child_section)
    _login(page, base, "child")
    page.goto(f"{base}/staff/evaluation/rounds/{round_.pk}/grid/")
    assert axe(page) == []
    first = page.locator('input[data-col="0"]').first
    first.click()
    first.fill("49")
    page.keyboard.press("Enter")  # moves down, does not submit
    focused = page.evaluate("document.activeElement.name")
    i112 = fp.indicators["1-1-2"]
    assert focused == f"v-{i112.pk}"
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.name") == f"v-{fp.indicators['1-1-1'].pk}"
    # paste an Excel column into the 3rd row: it fills rows 3 and 4
    third = page.locator('input[data-col="0"]').nth(2)
    third.focus()
    page.evaluate(
        """([text]) => {
            const data = new DataTransfer();
            data.setData('text', text);
            document.activeElement.dispatchEvent(
                new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        ["4\r\n1\r\n"],
    )
    assert page.locator('input[data-col="0"]').nth(3).input_value() == "1"
    page.get_by_role("button", name="すべて保存する").click()
    page.wait_for_url(f"{base}/staff/evaluation/rounds/{round_.pk}/grid/")
    assert page.get_by_role("status").first.inner_text().startswith("保存しました")
    assert (
        IndicatorValue.objects.get(indicator=fp.indicators["1-1-1"], fiscal_year=2024).value == 49
    )
    assert IndicatorValue.objects.get(indicator=fp.indicators["1-2-1"], fiscal_year=2024).value == 4
    # a bad value: nothing is saved and the row says why
    page.locator('input[data-col="0"]').first.fill("四十九")
    page.get_by_role("button", name="すべて保存する").click()
    assert page.get_by_role("alert").first.is_visible()
    assert page.get_by_text("「四十九」を数値として読み取れません").first.is_visible()
    assert (
        IndicatorValue.objects.get(indicator=fp.indicators["1-1-1"], fiscal_year=2024).value == 49
    )
    assert axe(page) == []


def test_staff_sheet_and_round_pages_accessible(published, page, axe):
    _fp, round_, base = published
    _login(page, base, "jim")
    page.goto(f"{base}/staff/evaluation/rounds/{round_.pk}/")
    assert axe(page) == []
    sheet = MeasureEvaluation.objects.get(round=round_, measure__code="2-1")
    page.goto(f"{base}/staff/evaluation/rounds/{round_.pk}/measures/{sheet.pk}/")
    assert axe(page) == []


@pytest.fixture
def real_pdf_renderer():
    """The reporting layer's renderer (WeasyPrint), as keikaku.reporting registers it."""
    from keikaku.evaluation import api
    from keikaku.reporting.evaluation_report import report_pdf
    from keikaku.reporting.pdf import PdfError

    previous = renderers.report_renderer("pdf")
    api.register_report_renderer("pdf", report_pdf, user_errors=(PdfError,))
    yield
    if previous is None:
        renderers.unregister_report_renderer("pdf")
    else:
        api.register_report_renderer("pdf", previous.render, user_errors=previous.user_errors)


def test_report_pdf_is_made_in_the_background(published, page, axe, settings, real_pdf_renderer):
    from keikaku.reporting.pdf import pdf_text

    # A queue that keeps the task waiting (as when the worker has not picked it up yet).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    _fp, round_, base = published
    _login(page, base, "jim")
    page.goto(f"{base}/staff/evaluation/rounds/{round_.pk}/")
    page.get_by_role("button", name="PDF を作る").click()
    page.wait_for_url(f"{base}/staff/evaluation/rounds/{round_.pk}/report-file/")
    assert page.locator("[data-status-label]").inner_text() == "待機中"
    assert page.get_by_text("報告書の PDF を作り始めました。").is_visible()
    # axe with the flash message shown (it sits in a role="status" region around the list)
    assert axe(page) == []
    # a second click while it waits starts nothing new
    page.get_by_role("button", name="PDF を作る").click()
    assert page.get_by_text("終わるまでお待ちください。").is_visible()
    file = ReportFile.objects.get()
    # the worker takes it: the page follows by itself and offers the file when it is done
    services.report_file_execute(file_id=file.pk)
    download_button = page.get_by_role("link", name="報告書（PDF）をダウンロード")
    download_button.wait_for(timeout=30000)
    assert page.locator("[data-status-label]").inner_text() == "完了"
    assert page.get_by_text("この PDF は最新のデータで作られています。").is_visible()
    assert axe(page) == []
    with page.expect_download() as info:
        download_button.click()
    download = info.value
    assert download.suggested_filename == "keikaku-evaluation-112411-former-2024.pdf"
    with open(download.path(), "rb") as fh:
        text = " ".join(pdf_text(fh.read()).split())
    assert "前期基本計画 検証報告書" in text
    assert "1-1 子育て支援の充実" in text
