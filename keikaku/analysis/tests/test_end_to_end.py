"""End to end, through the staff pages: comments of a public comment round (submitted through
the opinion store's services) → an analysis run (background task, ImmediateBackend; the
database worker: test_worker.py) → staff confirm one assignment, reassign another and split a
duplicate group → a re-run keeps all three, and its Excel export shows them."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client

from keikaku.analysis import selectors
from keikaku.analysis.models import (
    AnalysedOpinion,
    AnalysisRun,
    AssignmentDecision,
    GroupDecision,
)
from keikaku.analysis.tests.factories import make_analysis_plan, make_analyst, make_comment_round
from keikaku.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _codes(run: AnalysisRun) -> dict[str, str]:
    return dict(run.opinions.values_list("opinion_id", "measure_code"))


def test_round_to_run_to_confirmation_to_rerun(client: Client, django_capture_on_commit_callbacks):
    plan = make_analysis_plan()
    rnd, receipts = make_comment_round(plan)
    client.force_login(make_analyst())

    # 1. Staff start an analysis of the round; the task runs when the request commits.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            "/staff/analysis/runs/new/",
            {
                "edition": plan.edition.pk,
                "source": "round",
                "round": rnd.pk,
                "id_column": "id",
                "text_column": "text",
                "seed": "0",
                "threshold": "0.05",
            },
        )
    assert len(callbacks) == 1
    run = AnalysisRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/analysis/runs/{run.pk}/"
    assert run.status == "done"
    assert run.progress == 100
    assert run.name == "パブリックコメント「後期基本計画（素案）への意見募集」の分析"
    assert run.input_ids == receipts
    assert run.confirmations == []
    assert sorted(run.versions) == [
        "numpy",
        "python",
        "scikit-learn",
        "sudachidict-core",
        "sudachipy",
    ]
    assert run.config["parameters"]["seed"] == 0
    assert run.config["parameters"]["assignment_threshold"] == 0.05
    assert "為る" in run.config["lexicon"]["stop_words"]
    # personal data in the text is masked before the analysis sees it
    masked = run.opinions.get(opinion_id=receipts[8]).text
    assert masked == "学童保育室の定員を増やしてください。連絡は ［電話番号］ まで。"
    # the two bus comments are one text (ｺﾐｭﾆﾃｨﾊﾞｽ = コミュニティバス): one duplicate group
    groups = run.result["duplicate_groups"]
    assert [g["members"] for g in groups] == [[receipts[1], receipts[2]]]
    first = _codes(run)
    assert first[receipts[0]] == "1-1"
    assert first[receipts[1]] == "4-2"
    assert first[receipts[3]] == "4-3"
    assert first[receipts[7]] == "7-2"

    # 2. The measure page lists the opinion; staff confirm it (1-1) ...
    page = client.get(f"/staff/analysis/runs/{run.pk}/measures/1-1/")
    assert page.status_code == 200
    assert "保育園の待機児童をなくしてください。" in page.content.decode()
    row = run.opinions.get(opinion_id=receipts[0])
    response = client.post(
        f"/staff/analysis/runs/{run.pk}/opinions/{row.pk}/decide/",
        {"action": "confirm", "next": f"/staff/analysis/runs/{run.pk}/measures/1-1/"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/analysis/runs/{run.pk}/measures/1-1/#op-{row.pk}"
    # ... and move the playground comment (engine: 4-3) to 1-1 子育て支援.
    playground = run.opinions.get(opinion_id=receipts[3])
    client.post(
        f"/staff/analysis/runs/{run.pk}/opinions/{playground.pk}/decide/",
        {"action": "reassign", "measure": "1-1"},
    )
    decisions = {
        d.opinion_id: (d.measure.code, d.kind, d.decided_by_name)
        for d in AssignmentDecision.objects.select_related("measure")
    }
    assert decisions == {
        receipts[0]: ("1-1", "confirm", "𠮷田 花子"),
        receipts[3]: ("1-1", "reassign", "𠮷田 花子"),
    }
    assert AuditEvent.objects.filter(action="analysis_assign").count() == 2
    # the decisions show at once in this run (the engine's result is not rewritten)
    text = client.get(f"/staff/analysis/runs/{run.pk}/measures/1-1/").content.decode()
    assert "確定済み" in text
    assert "変更して確定済み" in text
    assert "公園の遊具が古くて危ない" in text
    assert _codes(run)[receipts[3]] == "4-3"

    # ... and take the second bus comment out of the duplicate group (not the same voice).
    response = client.post(
        f"/staff/analysis/runs/{run.pk}/groups/decide/",
        {"kind": "duplicate", "action": "split", "opinion_id": receipts[2]},
        follow=True,
    )
    assert f"意見 {receipts[2]} をグループから外しました。" in response.content.decode()
    assert selectors.effective_groups(run)["duplicate"] == ()
    assert GroupDecision.objects.get().action == "split"

    # 3. A re-run keeps all decisions: the engine receives the measures as confirmations,
    #    the group decisions are laid over its groups.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/analysis/runs/{run.pk}/rerun/")
    rerun = AnalysisRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == f"/staff/analysis/runs/{rerun.pk}/"
    assert rerun.status == "done"
    assert rerun.confirmations == sorted([[receipts[0], "1-1"], [receipts[3], "1-1"]])
    kept = {
        o.opinion_id: (o.measure_code, o.measures, o.confirmed)
        for o in AnalysedOpinion.objects.filter(run=rerun, opinion_id__in=receipts[:4])
    }
    assert kept[receipts[0]] == ("1-1", [{"code": "1-1", "score": 1.0}], True)
    assert kept[receipts[3]] == ("1-1", [{"code": "1-1", "score": 1.0}], True)
    assert kept[receipts[1]][2] is False
    overview = client.get(f"/staff/analysis/runs/{rerun.pk}/").content.decode()
    assert "2 件の意見の施策を確定済み" in overview
    # the engine groups the two bus comments again; the staff split still applies
    assert [g["members"] for g in rerun.result["duplicate_groups"]] == [receipts[1:3]]
    assert selectors.effective_groups(rerun)["duplicate"] == ()
    assert len(set(selectors.voices_of(rerun).values())) == 9
    groups_page = client.get(f"/staff/analysis/runs/{rerun.pk}/groups/").content.decode()
    assert "同じ内容の意見（重複）は見つかりませんでした。" in groups_page
    assert "グループから外した" in groups_page

    # 4. The Excel export of the re-run opens in openpyxl, with every sheet and the decisions.
    response = client.get(f"/staff/analysis/runs/{rerun.pk}/export.xlsx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
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
    rows = list(book["意見"].iter_rows(values_only=True))
    assert rows[0][:6] == ("番号", "意見ID", "意見", "施策番号", "施策名", "職員の判断")
    assert rows[0][-2:] == ("年代", "地区")
    by_id = {r[1]: r for r in rows[1:]}
    assert len(by_id) == 9
    assert by_id[receipts[0]][3:6] == ("1-1", "子育て支援の充実", "確定")
    assert by_id[receipts[3]][3:6] == ("1-1", "子育て支援の充実", "変更")
    assert by_id[receipts[2]][12] is None  # 重複グループ: split out by staff
    assert by_id[receipts[8]][2] == (
        "学童保育室の定員を増やしてください。連絡は ［電話番号］ まで。"
    )
    summary = {r[0]: r[1] for r in book["概要"].iter_rows(min_row=2, values_only=True)}
    assert summary["確定済みとして渡した割り当て"] == 2
    assert summary["意見の件数"] == 9
    assert summary["版: sudachipy"] == rerun.versions["sudachipy"]
    assert list(book["重複・組織的"].iter_rows(min_row=2, values_only=True)) == []
