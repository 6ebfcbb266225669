"""What staff see on the analysis pages: clear Japanese empty states and messages, the run
form's choices, KWIC over every occurrence, characteristic words by what they compare, the
pictures with their tables, confirming a whole duplicate group, and no personal data."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keikaku.analysis import services
from keikaku.analysis.domain.model import Opinion
from keikaku.analysis.models import AnalysisRun, AssignmentDecision
from keikaku.analysis.tests.factories import (
    make_analysis_plan,
    make_analyst,
    make_comment_round,
    make_viewer,
)
from keikaku.analysis.tests.test_runs import csv_run

pytestmark = pytest.mark.django_db

ACTOR = "test"


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _small_run(plan) -> AnalysisRun:
    """Two short opinions: nothing co-occurs, nothing is duplicated."""
    run = services.run_create(
        edition=plan.edition,
        source="csv",
        actor=ACTOR,
        csv_opinions=[
            Opinion("A1", "バスの本数を増やしてほしい。"),
            Opinion("A2", "公園の遊具が古い。"),
        ],
        namespace="csv:small",
        enqueue=False,
    )
    return services.run_execute(run_id=run.pk)


def test_empty_states_say_why_in_japanese(client: Client) -> None:
    plan = make_analysis_plan()
    client.force_login(make_viewer())
    home = _text(client.get("/staff/analysis/"))
    assert (
        "まだ分析していません。分析は、広聴分析の権限か計画の編集権限のある職員が始めます。" in home
    )
    client.force_login(make_analyst())
    home = _text(client.get("/staff/analysis/"))
    assert "まだ分析していません。「新しく分析する」から、" in home

    run = _small_run(plan)
    base = f"/staff/analysis/runs/{run.pk}"
    assert dict(run.opinions.values_list("opinion_id", "measure_code")) == {
        "A1": "4-2",
        "A2": "4-3",
    }
    network = _text(client.get(f"{base}/network/"))
    assert "図にできる語の組がありません。2 件以上の意見に一緒に出る語がないときは" in network
    assert "<svg" not in network
    groups = _text(client.get(f"{base}/groups/"))
    assert "同じ内容の意見（重複）は見つかりませんでした。" in groups
    campaigns = _text(client.get(f"{base}/groups/?kind=campaign"))
    assert (
        "組織的な意見（同じひな形から書かれた、よく似た意見のまとまり）は見つかりませんでした。"
        in (campaigns)
    )
    sport = _text(client.get(f"{base}/measures/7-2/"))
    assert "この分析では、この施策に割り当てた意見はありません。" in sport
    none = _text(client.get(f"{base}/measures/none/"))
    assert "「該当なし」の意見はありません。すべての意見をいずれかの施策に割り当てました。" in none
    topics = _text(client.get(f"{base}/topics/?measure=7-2"))
    assert "この施策に割り当てた意見がないので、トピックはありません。" in topics
    assert "<svg" not in topics
    # every opinion of 4-2 decided: the undecided filter says so
    row = run.opinions.get(opinion_id="A1")
    client.post(f"{base}/opinions/{row.pk}/decide/", {"action": "confirm"})
    undecided = _text(client.get(f"{base}/measures/4-2/?filter=undecided"))
    assert "未確定の意見はありません。この施策の意見はすべて職員が確定しました。" in undecided
    keywords = _text(client.get(f"{base}/keywords/", {"term": "存在しない語"}))
    assert "「存在しない語」はこの分析のよく出る語にありません。下の表から語を選んでください。" in (
        keywords
    )


def test_waiting_failed_and_unknown(client: Client) -> None:
    plan = make_analysis_plan()
    client.force_login(make_analyst())
    waiting = services.run_create(
        edition=plan.edition, source="proposal", actor=ACTOR, enqueue=False
    )
    page = _text(client.get(f"/staff/analysis/runs/{waiting.pk}/"))
    assert "「待機中」のまま何分も変わらないときは" in page
    for tab in ("topics/", "network/", "keywords/", "groups/", "measures/1-1/", "export.xlsx"):
        response = client.get(f"/staff/analysis/runs/{waiting.pk}/{tab}")
        assert response["Location"] == f"/staff/analysis/runs/{waiting.pk}/", tab
    page = _text(client.get(f"/staff/analysis/runs/{waiting.pk}/"))
    assert "この分析はまだ終わっていません。終わると結果を表示できます。" in page
    services.run_execute(run_id=waiting.pk)
    page = _text(client.get(f"/staff/analysis/runs/{waiting.pk}/"))
    assert page.count("分析する意見がありません。") == 1  # once, as the error
    assert "原因を直したら、下の「もう一度分析する」を押してください。" in page
    assert "「待機中」のまま" not in page
    response = client.get(f"/staff/analysis/runs/{waiting.pk}/keywords/", follow=True)
    assert "この分析は失敗したので、結果はありません。" in response.content.decode()
    assert "keikaku/js/progress.js" not in page


def test_run_form_choices_and_errors(client: Client) -> None:
    from keikaku.plans import models as pm
    from keikaku.surveys.tests.factories import make_wave

    plan = make_analysis_plan()
    rnd, _receipts = make_comment_round(plan)
    wave = make_wave(plan.small)
    client.force_login(make_analyst())
    page = _text(client.get("/staff/analysis/runs/new/"))
    assert f'<option value="{rnd.pk}">後期基本計画（素案）への意見募集（受付中）</option>' in page
    assert f'<option value="{wave.pk}">令和7年度 市民意識調査（回答 0 人）</option>' in page
    assert "受付箱の意見の合計（パブリックコメントを含む）" in page
    empty = pm.Edition.objects.create(
        plan=plan.small.plan, kind="former", title="前期基本計画", start_fy=2020, end_fy=2024
    )
    response = client.post(
        "/staff/analysis/runs/new/",
        {
            "edition": empty.pk,
            "source": "proposal",
            "id_column": "id",
            "text_column": "text",
            "seed": "-1",
            "threshold": "0.05",
        },
    )
    form = response.context["form"]
    assert form.errors["edition"] == [
        "「前期基本計画」には施策がありません。施策のある基本計画を選んでください。"
    ]
    assert form.errors["seed"] == ["この値は 0 以上でなければなりません。"]
    text = response.content.decode()
    assert "入力に誤りがあります。下の赤い欄を直してください。" in text
    assert '<details class="form-step" open>' in text  # the seed's error is not hidden
    assert AnalysisRun.objects.count() == 0


def test_kwic_shows_every_occurrence_and_characteristic_words_are_grouped(client: Client) -> None:
    plan = make_analysis_plan()
    run = csv_run(plan)
    client.force_login(make_analyst())
    # the stored KWIC keeps 5 lines per keyword; the page finds every occurrence
    stored = {k["term"]: len(k["lines"]) for k in run.result["kwic"]}
    top = run.result["keywords"][0]
    assert (top["term"], top["tf"], stored[top["term"]]) == ("子ども", 12, 5)
    response = client.get(f"/staff/analysis/runs/{run.pk}/keywords/")
    lines = response.context["lines"]
    # every spelling counts as 子ども (synonym table): 子供, 子どもたち, 子供たち
    assert [x["opinion_id"] for x in lines] == [
        "O005",
        "O006",
        *(f"O{n:03d}" for n in range(9, 19)),
    ]
    assert [x["keyword"] for x in lines[:3]] == ["子ども", "子供", "子どもたち"]
    assert lines[1] == {
        "opinion_id": "O006",
        "left": "公園の遊具が古いので新しくしてください。",
        "keyword": "子供",
        "right": "が遊べません。",
    }
    text = response.content.decode()
    assert "「子ども」の前後（原文のまま。出現 12 回）" in text
    groups = response.context["characteristic"]
    assert [g["dimension"] for g in groups] == ["施策", "年代", "地区"]
    assert "施策ごとの特徴語" in text
    assert "年代ごとの特徴語" in text


def test_pictures_have_their_tables(client: Client) -> None:
    plan = make_analysis_plan()
    run = csv_run(plan)
    client.force_login(make_analyst())
    network = _text(client.get(f"/staff/analysis/runs/{run.pk}/network/"))
    nodes = run.result["cooccurrence"]["nodes"]
    assert network.count('class="kk-node"') == len(nodes)
    # the legend lists the groups in order
    legend = re.findall(r'class="kk-legend"[^>]*>(グループ\d+)<', network)
    assert legend == sorted(legend, key=lambda g: int(g[4:]))
    assert "語（図の印）" in network
    topics = _text(client.get(f"/staff/analysis/runs/{run.pk}/topics/"))
    clusters = run.result["clusters"]
    assert topics.count('class="kk-node"') == len(clusters)
    assert "トピックの一覧（地図の点の数値）" in topics
    assert "1 子育て" in topics or "該当なし" in topics


def test_a_whole_duplicate_group_is_confirmed_at_once(client: Client) -> None:
    plan = make_analysis_plan()
    run = csv_run(plan)
    client.force_login(make_analyst())
    # O001 and O008 are one text; the engine puts them in 1-1
    o1 = run.opinions.get(opinion_id="O001")
    assert (o1.duplicate_group, o1.measure_code) == ("dup-0001", "1-1")
    page = _text(client.get(f"/staff/analysis/runs/{run.pk}/measures/1-1/"))
    assert "重複 2 件をまとめて確定" in page
    response = client.post(
        f"/staff/analysis/runs/{run.pk}/opinions/{o1.pk}/decide/",
        {"action": "confirm_group", "next": f"/staff/analysis/runs/{run.pk}/measures/1-1/"},
        follow=True,
    )
    assert (
        "重複グループ dup-0001 の意見 2 件を「1-1 子育て支援の充実」に確定しました。"
        in response.content.decode()
    )
    assert sorted(
        AssignmentDecision.objects.values_list("opinion_id", "measure__code", "kind")
    ) == [("O001", "1-1", "confirm"), ("O008", "1-1", "confirm")]
    # an opinion outside any duplicate group cannot be confirmed as a group
    alone = run.opinions.get(opinion_id="O019")
    response = client.post(
        f"/staff/analysis/runs/{run.pk}/opinions/{alone.pk}/decide/",
        {"action": "confirm_group"},
        follow=True,
    )
    assert "意見 O019 は重複グループに入っていません。" in response.content.decode()
    assert AssignmentDecision.objects.count() == 2


def test_no_page_reads_the_personal_data_table(client: Client) -> None:
    plan = make_analysis_plan()
    rnd, receipts = make_comment_round(plan)
    client.force_login(make_analyst())
    with CaptureQueriesContext(connection) as run_queries:
        run = services.run_execute(
            run_id=services.run_create(
                edition=plan.edition, source="all", actor=ACTOR, enqueue=False
            ).pk
        )
    assert run.status == "done"
    base = f"/staff/analysis/runs/{run.pk}"
    pages = [
        "/staff/analysis/",
        "/staff/analysis/runs/new/",
        f"{base}/",
        f"{base}/measures/1-1/",
        f"{base}/measures/none/",
        f"{base}/topics/",
        f"{base}/network/",
        f"{base}/keywords/",
        f"{base}/groups/",
        f"{base}/groups/?kind=campaign",
        f"{base}/export.xlsx",
        f"{base}/result.json",
    ]
    contents = []
    with CaptureQueriesContext(connection) as page_queries:
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            contents.append(response.content)
    for q in [*run_queries.captured_queries, *page_queries.captured_queries]:
        assert "participation_personaldata" not in q["sql"], q["sql"]
    blob = b"".join(contents)
    for personal in ("鶴ヶ島 太郎", "三ツ木新町", "049-123-4567"):
        assert personal.encode() not in blob
    assert "［電話番号］".encode() in blob


def test_a_long_group_folds_its_other_members(client: Client) -> None:
    plan = make_analysis_plan()
    run = csv_run(plan)
    client.force_login(make_analyst())
    # staff add O001–O003 to the campaign of O009–O018: 13 members, 10 listed, 3 folded
    services.group_merge(
        run=run,
        kind="campaign",
        opinion_ids=["O001", "O002", "O003"],
        anchor_id="O009",
        actor=ACTOR,
    )
    response = client.get(f"/staff/analysis/runs/{run.pk}/groups/?kind=campaign")
    (item,) = response.context["groups"]
    assert [m for m, _o in item["head"]] == [
        "O001",
        "O002",
        "O003",
        *(f"O{n:03d}" for n in range(9, 16)),
    ]
    assert [m for m, _o in item["tail"]] == ["O016", "O017", "O018"]
    text = _text(response)
    assert "グループ campaign-001（13 件）" in text
    assert "ほかの 3 件を表示" in text
    assert text.count("統合を取り消す") == 3  # on each member staff added
    assert text.count("意見 O009 と同じグループにした") == 3  # the table of staff decisions


def test_merge_one_group_into_another_and_undo_by_form(client: Client) -> None:
    from keikaku.analysis import selectors

    plan = make_analysis_plan()
    run = csv_run(plan)
    client.force_login(make_analyst())
    url = f"/staff/analysis/runs/{run.pk}/groups/decide/"
    # a second duplicate group by staff (O003 joins O002), then that group into dup-0001
    client.post(
        url,
        {"kind": "duplicate", "action": "merge_opinion", "opinion_id": "O003", "anchor_id": "O002"},
    )
    page = _text(client.get(f"/staff/analysis/runs/{run.pk}/groups/"))
    assert '<option value="dup-s001">dup-s001（2 件）</option>' in page
    response = client.post(
        url,
        {"kind": "duplicate", "action": "merge_group", "group": "dup-s001", "into": "dup-0001"},
        follow=True,
    )
    assert "グループ dup-s001 を dup-0001 に統合しました。" in response.content.decode()
    groups = selectors.effective_groups(run)["duplicate"]
    assert [(g.id, g.members, g.staff_members) for g in groups] == [
        ("dup-0001", ("O001", "O002", "O003", "O008"), ("O002", "O003"))
    ]
    # merging a group into itself is refused with a message; nothing changes
    response = client.post(
        url,
        {"kind": "duplicate", "action": "merge_group", "group": "dup-0001", "into": "dup-0001"},
        follow=True,
    )
    assert "統合先のグループを選んでください。" in response.content.decode()
    # the re-run shows the same groups; undo O003 there and it leaves the group everywhere
    rerun = services.run_execute(run_id=services.run_rerun(run=run, actor=ACTOR, enqueue=False).pk)
    assert selectors.effective_groups(rerun)["duplicate"] == groups
    client.post(
        f"/staff/analysis/runs/{rerun.pk}/groups/decide/",
        {"kind": "duplicate", "action": "undo", "opinion_id": "O003"},
    )
    assert [g.members for g in selectors.effective_groups(run)["duplicate"]] == [
        ("O001", "O002", "O008")
    ]


def test_a_single_topic_is_shown_as_a_table_only(client: Client) -> None:
    plan = make_analysis_plan()
    run = _small_run(plan)
    client.force_login(make_analyst())
    page = _text(client.get(f"/staff/analysis/runs/{run.pk}/topics/?measure=4-2"))
    assert "意見は 1 つのトピックにまとまりました" in page
    assert "<svg" not in page
    assert '<th scope="row">4-2/1</th>' in page
    page = _text(client.get(f"/staff/analysis/runs/{run.pk}/topics/"))
    assert page.count('class="kk-node"') == 2
