"""The production path of a run: the staff page enqueues the task in the database
(django_tasks_db.DatabaseBackend, as config/settings.py sets TASKS), ``keikaku db_worker``
takes it and executes the run, and the run's page shows the progress on the way."""

from __future__ import annotations

import json
import signal

import pytest
from django.core.management import call_command
from django.test import Client

from keikaku.analysis import services
from keikaku.analysis.models import AnalysisRun
from keikaku.analysis.tests.factories import make_analysis_plan, make_analyst, make_comment_round

SIGNALS = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", None)) if s]


def _db_worker_batch() -> None:
    """``keikaku db_worker --batch``: every waiting task, then exit (signal handlers kept)."""
    saved = {s: signal.getsignal(s) for s in SIGNALS}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_executes_a_run_started_on_the_staff_page(
    settings, monkeypatch
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    plan = make_analysis_plan()
    rnd, receipts = make_comment_round(plan)
    client = Client()
    client.force_login(make_analyst())
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
    run = AnalysisRun.objects.get()
    assert response["Location"] == f"/staff/analysis/runs/{run.pk}/"

    # enqueued in the database, not run: the page shows a waiting run that follows itself
    task = DBTaskResult.objects.get()
    assert (task.status, task.task_path, task.args_kwargs) == (
        "READY",
        "keikaku.analysis.tasks.analysis_run_execute",
        {"args": [run.pk], "kwargs": {}},
    )
    assert run.status == "pending"
    page = client.get(f"/staff/analysis/runs/{run.pk}/").content.decode()
    assert '<progress id="run-progress" max="100" value="0">0%</progress>' in page
    assert "順番を待っています" in page
    assert "keikaku db_worker" in page  # what to check when it stays waiting
    assert f'data-status-url="/staff/analysis/runs/{run.pk}/status/"' in page
    assert "keikaku/js/progress.js" in page

    # the worker reports each stage; the status URL the page polls gives what it stored
    seen: list[tuple[int, str, dict]] = []
    progress = services._progress

    def record(run_id: int, percent: int, message: str) -> None:
        progress(run_id, percent, message)
        seen.append(
            (
                percent,
                message,
                json.loads(client.get(f"/staff/analysis/runs/{run_id}/status/").content),
            )
        )

    monkeypatch.setattr(services, "_progress", record)
    _db_worker_batch()

    assert [(p, m) for p, m, _s in seen] == [
        (5, "9 件の意見を集めました"),
        (15, "本文を正規化しました"),
        (40, "語に分けました"),
        (50, "語の重みを計算しました"),
        (55, "施策に割り当てました"),
        (65, "重複と組織的な意見を調べました"),
        (70, "意見を数値の列に変換しました"),
        (82, "トピックに分けました"),
        (90, "キーワード・共起・特徴語を数えました"),
        (94, "要約と地図を作りました"),
        (96, "結果を保存しています"),
    ]
    assert seen[0][2] == {
        "status": "running",
        "status_label": "実行中",
        "progress": 5,
        "message": "9 件の意見を集めました",
        "finished": False,
    }
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    run.refresh_from_db()
    assert (run.status, run.progress, run.message) == ("done", 100, "完了しました")
    assert run.input_ids == receipts
    assert json.loads(client.get(f"/staff/analysis/runs/{run.pk}/status/").content) == {
        "status": "done",
        "status_label": "完了",
        "progress": 100,
        "message": "完了しました",
        "finished": True,
    }
    page = client.get(f"/staff/analysis/runs/{run.pk}/").content.decode()
    assert "keikaku/js/progress.js" not in page
    assert "施策ごとの意見" in page

    # the task is idempotent: executing the finished run again changes nothing
    assert services.run_execute(run_id=run.pk) is None
