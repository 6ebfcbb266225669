"""Staff pages of the analysis: access, every page, CSV upload, decisions by form, groups,
lexicon editing, exports."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from keikaku.analysis.models import (
    AnalysisRun,
    AssignmentDecision,
    GroupDecision,
    StopWord,
    SynonymEntry,
)
from keikaku.analysis.tests.factories import make_analysis_plan, make_analyst, make_viewer
from keikaku.analysis.tests.test_runs import SAMPLE, csv_run

pytestmark = pytest.mark.django_db


def _post_csv(client: Client, plan, data: bytes, name: str = "ikensho.csv", **extra):
    return client.post(
        "/staff/analysis/runs/new/",
        {
            "edition": plan.edition.pk,
            "source": "csv",
            "file": SimpleUploadedFile(name, data),
            "id_column": "id",
            "text_column": "text",
            "seed": "0",
            "threshold": "0.05",
            **extra,
        },
    )


def test_access_anonymous_viewer_and_analyst(client: Client) -> None:
    plan = make_analysis_plan()
    run = csv_run(plan)
    row = run.opinions.get(opinion_id="O001")
    assert client.get("/staff/analysis/").status_code == 302
    client.force_login(make_viewer())
    pages = [
        "/staff/analysis/",
        f"/staff/analysis/runs/{run.pk}/",
        f"/staff/analysis/runs/{run.pk}/measures/1-1/",
        f"/staff/analysis/runs/{run.pk}/measures/none/",
        f"/staff/analysis/runs/{run.pk}/topics/",
        f"/staff/analysis/runs/{run.pk}/topics/?measure=7-2",
        f"/staff/analysis/runs/{run.pk}/network/",
        f"/staff/analysis/runs/{run.pk}/keywords/",
        f"/staff/analysis/runs/{run.pk}/groups/",
        f"/staff/analysis/runs/{run.pk}/groups/?kind=campaign",
        "/staff/analysis/lexicon/stop-words/",
        "/staff/analysis/lexicon/synonyms/?q=子",
        "/staff/analysis/lexicon/user-dictionary/",
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    page = client.get(f"/staff/analysis/runs/{run.pk}/measures/1-1/").content.decode()
    assert 'value="confirm"' not in page  # a viewer sees no decision buttons
    # a viewer may not decide, start, re-run or edit: 403 and nothing changes
    denied = [
        (f"/staff/analysis/runs/{run.pk}/opinions/{row.pk}/decide/", {"action": "confirm"}),
        (f"/staff/analysis/runs/{run.pk}/rerun/", {}),
        (
            f"/staff/analysis/runs/{run.pk}/groups/decide/",
            {"kind": "duplicate", "action": "split", "opinion_id": "O001"},
        ),
        ("/staff/analysis/lexicon/stop-words/", {"lines": "プール"}),
        (f"/staff/analysis/runs/{run.pk}/delete/", {}),
    ]
    for url, data in denied:
        assert client.post(url, data).status_code == 403, url
    assert client.get("/staff/analysis/runs/new/").status_code == 403
    assert AssignmentDecision.objects.count() == 0
    assert GroupDecision.objects.count() == 0
    assert AnalysisRun.objects.count() == 1
    assert not StopWord.objects.filter(word="プール").exists()


def test_overview_counts_and_status(client: Client) -> None:
    plan = make_analysis_plan()
    run = csv_run(plan)
    client.force_login(make_analyst())
    text = client.get(f"/staff/analysis/runs/{run.pk}/").content.decode()
    assert "20 件" in text
    assert "CSV「opinions.csv」" in text
    assert "sudachipy" in text and "scikit-learn" in text
    assert json.loads(client.get(f"/staff/analysis/runs/{run.pk}/status/").content) == {
        "status": "done",
        "status_label": "完了",
        "progress": 100,
        "message": "完了しました",
        "finished": True,
    }
    assert client.get("/staff/analysis/runs/999/").status_code == 404
    assert client.get(f"/staff/analysis/runs/{run.pk}/measures/9-9/").status_code == 404
    # the measure switcher goes to another measure's page
    switch = client.get(f"/staff/analysis/runs/{run.pk}/measures/1-1/?to=4-2")
    assert switch["Location"] == f"/staff/analysis/runs/{run.pk}/measures/4-2/"


def test_csv_upload_refuses_personal_columns_and_bad_rows(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    plan = make_analysis_plan()
    client.force_login(make_analyst())
    response = _post_csv(client, plan, "id,text,氏名\n1,バスを増やして,鶴ヶ島太郎\n".encode())
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "ikensho.csv: 「氏名」列は個人情報（氏名・住所・連絡先）です。分析には使えないので、列を削除したファイルを選んでください。"
    ]
    response = _post_csv(client, plan, "id,text\n1,バスを増やして\n1,公園\n".encode())
    assert response.context["form"].errors["file"] == [
        "ikensho.csv 3 行目: ID「1」は 2 行目と重複しています。ID を一意にしてください。"
    ]
    response = client.post(
        "/staff/analysis/runs/new/",
        {
            "edition": plan.edition.pk,
            "source": "round",
            "id_column": "id",
            "text_column": "text",
            "seed": "0",
            "threshold": "0.05",
        },
    )
    assert response.context["form"].errors["round"] == [
        "分析するパブリックコメントの募集を選んでください。"
    ]
    assert AnalysisRun.objects.count() == 0
    # CP932 with a formula-like text and a phone number: analysed, masked, dataset named by file
    data = "id,text,年代\nA1,=SUM(1+1) バスを増やしてほしい。電話 03-1234-5678,30代\nA2,公園の遊具が古い,40代\n".encode(
        "cp932"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_csv(client, plan, data, name="町内会.csv")
    run = AnalysisRun.objects.get()
    assert (run.status, run.namespace, run.source_label) == (
        "done",
        "csv:町内会",
        "CSV「町内会.csv」",
    )
    assert (
        run.opinions.get(opinion_id="A1").text
        == "=SUM(1+1) バスを増やしてほしい。電話 ［電話番号］"
    )
    assert run.opinions.get(opinion_id="A1").attributes == [["年代", "30代"]]

    # the Excel export keeps the formula-like text as text
    response = client.get(f"/staff/analysis/runs/{run.pk}/export.xlsx")
    assert response["Content-Disposition"] == f'attachment; filename="analysis-{run.pk}.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "概要",
        "意見",
        "施策別",
        "トピック",
        "キーワード",
        "KWIC",
        "共起",
        "重複・組織的",
        "特徴語",
    ]
    sheet = book["意見"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["番号", "意見ID", "意見", "施策番号", "施策名", "職員の判断"]
    assert header[-1] == "年代"
    cell = sheet.cell(row=2, column=3)
    assert (cell.value, cell.data_type) == (
        "=SUM(1+1) バスを増やしてほしい。電話 ［電話番号］",
        "s",
    )
    summary = {r[0].value: r[1].value for r in book["概要"].iter_rows(min_row=2)}
    assert summary["名称"] == "CSV「町内会.csv」の分析"
    assert summary["意見の件数"] == 2


def test_decide_by_form_messages_and_errors(client: Client) -> None:
    plan = make_analysis_plan()
    run = csv_run(plan)
    client.force_login(make_analyst())
    unassigned = run.opinions.get(opinion_id="O007")
    url = f"/staff/analysis/runs/{run.pk}/opinions/{unassigned.pk}/decide/"
    here = f"/staff/analysis/runs/{run.pk}/measures/none/"
    response = client.post(url, {"action": "confirm", "next": here}, follow=True)
    assert (
        "「該当なし」の意見は確定できません。施策を選んで「変更」を押してください。"
        in response.content.decode()
    )
    response = client.post(url, {"action": "reassign", "measure": "", "next": here}, follow=True)
    assert "施策を選んでください。" in response.content.decode()
    response = client.post(
        url, {"action": "reassign", "measure": "7-2", "next": here, "focus": "5"}
    )
    assert response["Location"] == f"{here}#op-5"
    assert AssignmentDecision.objects.get().measure.code == "7-2"
    page = client.get(
        f"/staff/analysis/runs/{run.pk}/measures/7-2/?filter=undecided"
    ).content.decode()
    assert "いつもご苦労さまです。" not in page
    page = client.get(f"/staff/analysis/runs/{run.pk}/measures/7-2/").content.decode()
    assert "いつもご苦労さまです。" in page
    # an open redirect is not followed
    response = client.post(url, {"action": "undo", "next": "https://example.com/"})
    assert (
        response["Location"] == f"/staff/analysis/runs/{run.pk}/measures/none/#op-{unassigned.pk}"
    )
    assert AssignmentDecision.objects.count() == 0


def test_groups_merge_and_split_by_form(client: Client) -> None:
    plan = make_analysis_plan()
    run = csv_run(plan)
    client.force_login(make_analyst())
    url = f"/staff/analysis/runs/{run.pk}/groups/decide/"
    client.post(url, {"kind": "campaign", "action": "split", "opinion_id": "O018"})
    client.post(
        url,
        {"kind": "duplicate", "action": "merge_opinion", "opinion_id": "O006", "anchor_id": "O001"},
    )
    response = client.post(
        url,
        {"kind": "duplicate", "action": "merge_opinion", "opinion_id": "", "anchor_id": "O001"},
        follow=True,
    )
    assert "加える意見の ID を入力してください。" in response.content.decode()
    decisions = sorted(
        GroupDecision.objects.values_list("group_kind", "opinion_id", "action", "anchor_id")
    )
    assert decisions == [("campaign", "O018", "split", ""), ("duplicate", "O006", "merge", "O001")]
    page = client.get(f"/staff/analysis/runs/{run.pk}/groups/").content.decode()
    assert "グループ dup-0001（3 件）" in page
    assert "職員が統合" in page
    page = client.get(f"/staff/analysis/runs/{run.pk}/groups/?kind=campaign").content.decode()
    assert "グループ campaign-001（9 件）" in page
    assert "グループから外した" in page


def test_lexicon_pages_add_and_delete(client: Client) -> None:
    make_analysis_plan()
    client.force_login(make_analyst())
    response = client.post(
        "/staff/analysis/lexicon/synonyms/", {"lines": "市民プール,プール施設\n子ども"}
    )
    assert response.context["form"].errors["lines"] == [
        "2 行目: 「代表形,異表記」の形で書いてください（区切りは「,」か「、」）。"
    ]
    response = client.post(
        "/staff/analysis/lexicon/synonyms/",
        {"lines": "市民プール、プール施設\n子ども,子供"},
        follow=True,
    )
    assert (
        "1 件を追加しました。次の分析から使います。 登録済みのため追加しなかった語: 子供"
        in response.content.decode()
    )
    entry = SynonymEntry.objects.get(variant="プール施設")
    assert entry.canonical == "市民プール"
    client.post(f"/staff/analysis/lexicon/synonyms/{entry.pk}/delete/")
    assert not SynonymEntry.objects.filter(variant="プール施設").exists()
    client.post("/staff/analysis/lexicon/user-dictionary/", {"lines": "つるバス"})
    page = client.get("/staff/analysis/lexicon/user-dictionary/?q=つる").content.decode()
    assert "つるバス" in page
    assert client.get("/staff/analysis/lexicon/unknown/").status_code == 404


def test_keywords_kwic_topics_network_and_json(client: Client) -> None:
    plan = make_analysis_plan()
    run = csv_run(plan)
    client.force_login(make_analyst())
    top = run.result["keywords"][0]["term"]
    page = client.get(f"/staff/analysis/runs/{run.pk}/keywords/").content.decode()
    assert f"「{top}」の使われ方（KWIC）" in page
    # a keyword outside the stored KWIC is found now, in the original text
    rare = next(k for k in run.result["keywords"] if k["term"] == "時刻表")
    assert rare["term"] not in [k["term"] for k in run.result["kwic"]]
    response = client.get(f"/staff/analysis/runs/{run.pk}/keywords/", {"term": "時刻表"})
    assert [(x["opinion_id"], x["keyword"]) for x in response.context["lines"]] == [
        ("O020", "時刻表")
    ]
    topics = client.get(f"/staff/analysis/runs/{run.pk}/topics/").content.decode()
    assert 'aria-labelledby="topic-map-title topic-map-desc"' in topics
    assert "トピックの一覧（地図の点の数値）" in topics
    network = client.get(f"/staff/analysis/runs/{run.pk}/network/").content.decode()
    assert 'aria-labelledby="cooccurrence-title cooccurrence-desc"' in network
    data = json.loads(client.get(f"/staff/analysis/runs/{run.pk}/result.json").content)
    expected = json.loads((SAMPLE / "result.json").read_text(encoding="utf-8"))
    # the sample result was computed with confirmations; the parts that do not depend on them
    assert [o["id"] for o in data["opinions"]] == [o["id"] for o in expected["opinions"]]
    assert data["duplicate_groups"] == expected["duplicate_groups"]
    assert data["campaigns"] == expected["campaigns"]


def test_waiting_and_failed_runs_show_their_state_and_delete_keeps_decisions(
    client: Client,
) -> None:
    from keikaku.analysis import services

    plan = make_analysis_plan()
    client.force_login(make_analyst())
    waiting = services.run_create(
        edition=plan.edition, source="proposal", actor="test", enqueue=False
    )
    page = client.get(f"/staff/analysis/runs/{waiting.pk}/").content.decode()
    assert '<progress id="run-progress" max="100" value="0">0%</progress>' in page
    assert "順番を待っています" in page
    assert "keikaku/js/progress.js" in page
    response = client.get(f"/staff/analysis/runs/{waiting.pk}/topics/")
    assert response["Location"] == f"/staff/analysis/runs/{waiting.pk}/"
    services.run_execute(run_id=waiting.pk)
    page = client.get(f"/staff/analysis/runs/{waiting.pk}/").content.decode()
    assert '<div class="message message-error" role="alert"><p>分析する意見がありません。' in page
    assert "keikaku/js/progress.js" not in page

    run = csv_run(plan)
    row = run.opinions.get(opinion_id="O019")
    client.post(
        f"/staff/analysis/runs/{run.pk}/opinions/{row.pk}/decide/",
        {"action": "confirm"},
    )
    assert client.get(f"/staff/analysis/runs/{run.pk}/delete/").status_code == 200
    response = client.post(f"/staff/analysis/runs/{run.pk}/delete/", follow=True)
    assert "職員の判断は残っていて、ほかの分析に使われます。" in response.content.decode()
    assert not AnalysisRun.objects.filter(pk=run.pk).exists()
    decision = AssignmentDecision.objects.get()
    assert (decision.opinion_id, decision.measure.code, decision.run) == ("O019", "7-2", None)
