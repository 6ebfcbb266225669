"""Real-browser tests of the formulation: the whole drafting path with a return and a diff,
and axe-core on the public progress page and the staff dashboard of the demo city."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from keikaku.plans.models import Measure
from keikaku.workflow.models import Section
from keikaku.workflow.tests.factories import PASSWORD, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/staff/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{base}/staff/")


def _as(browser, base: str, username: str):
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.set_default_timeout(15000)
    _login(page, base, username)
    return context, page


def test_draft_submit_return_revise_approve_and_promote_with_a_diff(
    live_server, browser, page, axe
):
    world = make_world()
    base = live_server.url
    section_url = f"{base}/staff/workflow/sections/{world.section.pk}/"
    measure_url = f"{base}/staff/plan/measures/{world.plan.measure.pk}/"

    # 1. A member of subcommittee 1 drafts the measure and submits it.
    _login(page, base, "member")
    page.goto(section_url)
    page.get_by_role("link", name="内容を編集する").click()
    page.wait_for_url(measure_url)
    page.locator("#id_target_state").fill("安心して子どもを産み育てられるまち")
    page.get_by_role("button", name="保存", exact=True).click()
    assert page.get_by_text("「1-1 子育て支援の充実」を保存しました。").is_visible()
    page.goto(section_url)
    page.get_by_role("button", name="部会案として提出").click()
    assert page.get_by_text("今の状態: 部会案").is_visible()
    page.goto(section_url)  # the same page without the one-off message (see the report)
    assert axe(page) == []

    # 2. Headquarters returns it with a comment.
    hq_context, hq = _as(browser, base, "headquarters")
    hq.goto(f"{base}/staff/workflow/inbox/")
    hq.get_by_role("button", name="開く（既読にする）").first.click()
    hq.wait_for_url(section_url)
    hq.get_by_label("コメント（差し戻すときは必須）").fill(
        "現状と課題に、相談支援の状況も書いてください。"
    )
    hq.get_by_role("button", name="コメントを付けて差し戻す").click()
    assert hq.get_by_text("今の状態: 作成中").is_visible()

    # 3. The member sees the return, revises and resubmits.
    page.goto(f"{base}/staff/workflow/inbox/")
    assert page.get_by_text(
        "「1-1 子育て支援の充実」が若葉 副市長 さんにより差し戻されました: "
        "現状と課題に、相談支援の状況も書いてください。"
    ).is_visible()
    page.goto(measure_url)
    page.locator("#id_current_issues").fill(
        "共働き世帯が増えています。子育ての相談も年々増えています。"
    )
    page.get_by_role("button", name="保存", exact=True).click()
    page.goto(section_url)
    page.get_by_role("button", name="部会案として提出").click()
    assert page.get_by_text("今の状態: 部会案").is_visible()

    # 4. Headquarters approves; 5. the secretariat makes it the draft (素案).
    hq.goto(section_url)
    hq.get_by_role("button", name="承認して本部調整へ進める").click()
    assert hq.get_by_text("今の状態: 本部調整").is_visible()
    hq_context.close()
    sec_context, sec = _as(browser, base, "secretariat")
    sec.goto(section_url)
    sec.get_by_role("button", name="素案にする").click()
    assert sec.get_by_text("今の状態: 素案").is_visible()
    assert sec.locator('[aria-current="step"]').inner_text() == "素案"
    assert Section.objects.get(pk=world.section.pk).state == "draft"

    # 6. The difference between the first and the last version, side by side.
    sec.get_by_label("比べる版（左）").select_option("1")
    sec.get_by_label("比べる版（右）").select_option("4")
    sec.get_by_role("button", name="版を比べる").click()
    sec.wait_for_url(f"{section_url}compare/?a=1&b=4")
    row = sec.locator("tr", has=sec.locator('th[scope="row"]', has_text="現状と課題"))
    assert row.locator("ins.diff-ins").all_inner_texts() == ["子育ての相談も年々増えています。"]
    assert row.locator("td").first.inner_text() == "共働き世帯が増えています。"
    assert sec.get_by_text("変更のある欄: 1").is_visible()
    assert axe(sec) == []
    sec_context.close()
    assert Measure.objects.get(pk=world.plan.measure.pk).target_state == (
        "安心して子どもを産み育てられるまち"
    )


def test_progress_page_and_dashboard_of_the_demo_pass_axe(live_server, page, axe):
    call_command("load_demo", verbosity=0)
    call_command("load_demo_workflow", "--scenario", "training", verbosity=0)
    page.goto(f"{live_server.url}/progress/")
    assert page.locator("h1").inner_text() == "計画づくりの進み具合"
    assert page.get_by_role("heading", name="計画づくりの流れ").is_visible()
    assert page.locator('svg[role="img"]').count() == 1
    assert axe(page) == []

    from keikaku.plans.demo.loader import demo_password

    _login(page, live_server.url, "jimukyoku", demo_password())
    page.goto(f"{live_server.url}/staff/workflow/")
    assert page.locator("h1").inner_text() == "策定ダッシュボード"
    assert page.get_by_role("table", name="作成担当ごとの項目数（状態別）").is_visible()
    assert axe(page) == []
    for path in ("sections/", "organisation/", "schedule/", "comments/"):
        page.goto(f"{live_server.url}/staff/workflow/{path}")
        assert axe(page) == [], path
