"""The report's PDF made by a background task: 待機中 → 作成中 → 完了 / 失敗, one at a time,
and a finished file that says when it is older than the data.

The real renderer lives in keikaku.reporting, which this app may not import; it registers
itself through ``evaluation.api.register_report_renderer``. Here a stub renderer writes the
grades it was given as text, so each test can check what the file was made from.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from keikaku.evaluation import api, renderers, selectors, services
from keikaku.evaluation.models import ReportFile
from keikaku.evaluation.tests.factories import make_former_plan, make_user
from keikaku.plans.models import IndicatorValue

pytestmark = pytest.mark.django_db


def stub_pdf(report: api.VerificationReport) -> bytes:
    lines = ["%PDF-stub", *(f"{m.code} {m.grade}" for m in report.measures)]
    return "\n".join(lines).encode("utf-8")


class FontMissing(RuntimeError):
    """Stands for reporting's PdfError: a failure whose message is written for the user."""


@pytest.fixture
def env(client):
    fp = make_former_plan()
    jim = make_user("jim", secretariat=True, full_name="𠮷田 花子")
    reader = make_user("reader", full_name="髙橋 一郎")
    round_ = services.round_create(edition=fp.edition, fiscal_year=2024, actor=jim, is_final=True)
    previous = renderers.report_renderer("pdf")  # the real one, when keikaku.reporting gave it
    api.register_report_renderer("pdf", stub_pdf, user_errors=(FontMissing,))
    yield fp, round_, jim, reader
    if previous is None:
        renderers.unregister_report_renderer("pdf")
    else:
        api.register_report_renderer("pdf", previous.render, user_errors=previous.user_errors)


def status(client, round_) -> dict:
    response = client.get(reverse("staff:evaluation_report_file_status", args=[round_.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.json()


def page(client, round_) -> str:
    return client.get(reverse("staff:evaluation_report_file", args=[round_.pk])).content.decode()


# 1-1: 1-1-1 (48−40)/(50−40) = 80 %, 1-1-2 (12−2)/(12−0) = 83.3 % → mean 81.7 % → ○
# 1-2: 1-2-1 has no FY2024 value (not reported, never 0); 1-2-2 done = 100 % → ◎
# 2-1: 2-1-1 (62−60)/(66−60) = 33.3 %; 2-1-2 has no target (not graded) → mean 33.3 % → ×
# (FY2024 is the last year: expected progress 100 %, so 期待進捗比 = 達成度.)
GRADES_2024 = "%PDF-stub\n1-1 ○\n1-2 ◎\n2-1 ×"


def test_nothing_made_yet(client, env) -> None:
    _fp, round_, _jim, reader = env
    client.force_login(reader)
    assert status(client, round_) == {
        "status": "none",
        "status_label": "未作成",
        "progress": 0,
        "message": "",
        "finished": True,
        "stale": False,
        "download_url": None,
    }
    text = page(client, round_)
    assert "まだ PDF を作っていません。「PDF を作る」を押してください。" in text
    assert "できあがった PDF はまだありません。" in text


def test_waiting_then_a_second_click_joins_it(client, env) -> None:
    _fp, round_, jim, reader = env
    file, created = services.report_file_request(round_=round_, actor=jim, enqueue=False)
    assert created is True
    assert (file.status, file.progress, file.message, file.requested_by_name) == (
        "pending",
        0,
        "順番を待っています",
        "𠮷田 花子",
    )
    again, created = services.report_file_request(round_=round_, actor=reader, enqueue=False)
    assert (again.pk, created) == (file.pk, False)
    assert ReportFile.objects.count() == 1
    client.force_login(reader)
    assert status(client, round_) == {
        "status": "pending",
        "status_label": "待機中",
        "progress": 0,
        "message": "順番を待っています",
        "finished": False,
        "stale": False,
        "download_url": None,
    }
    text = page(client, round_)
    assert 'data-finished="0"' in text
    assert "<span data-status-label>待機中</span>" in text
    # the page's button while one is waiting: nothing new is started
    response = client.post(reverse("staff:evaluation_report_file", args=[round_.pk]), follow=True)
    assert ReportFile.objects.count() == 1
    assert [str(m) for m in response.context["messages"]] == [
        "この報告書の PDF は𠮷田 花子の指示で作成中（待機中）です。終わるまでお待ちください。"
    ]


def test_running_state_and_a_click_while_running(env) -> None:
    _fp, round_, jim, reader = env
    seen: dict = {}

    def slow_render(report: api.VerificationReport) -> bytes:
        row = ReportFile.objects.get()
        seen["state"] = (row.status, row.progress, row.message)
        seen["click"] = services.report_file_request(round_=round_, actor=reader, enqueue=False)
        return stub_pdf(report)

    api.register_report_renderer("pdf", slow_render)
    file, _created = services.report_file_request(round_=round_, actor=jim, enqueue=False)
    services.report_file_execute(file_id=file.pk)
    assert seen["state"] == (
        "running",
        20,
        "PDF を組み立てています（施策 3 件。1 分ほどかかることがあります）",
    )
    clicked, created = seen["click"]
    assert (clicked.pk, clicked.status, created) == (file.pk, "running", False)
    assert ReportFile.objects.count() == 1
    file.refresh_from_db()
    assert file.status == "done"


def test_click_makes_the_file_in_the_background_and_it_downloads(
    client, env, django_capture_on_commit_callbacks
) -> None:
    _fp, round_, _jim, reader = env
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("staff:evaluation_report_file", args=[round_.pk]))
    assert len(callbacks) == 1  # the task is enqueued once the request's data is committed
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:evaluation_report_file", args=[round_.pk])
    file = ReportFile.objects.get()
    assert (file.status, file.progress, file.message) == ("done", 100, "できあがりました。")
    assert (bytes(file.content).decode(), file.size) == (GRADES_2024, len(GRADES_2024.encode()))
    assert file.data_digest == selectors.report_digest(round_)
    assert file.requested_by_name == "髙橋 一郎"
    download = reverse("staff:evaluation_report_file_download", args=[round_.pk, file.pk])
    assert status(client, round_) == {
        "status": "done",
        "status_label": "完了",
        "progress": 100,
        "message": "できあがりました。",
        "finished": True,
        "stale": False,
        "download_url": download,
    }
    got = client.get(download)
    assert got.status_code == 200
    assert got["Content-Type"] == "application/pdf"
    assert got["Content-Disposition"] == (
        'attachment; filename="keikaku-evaluation-112411-former-2024.pdf"'
    )
    assert got.content.decode() == GRADES_2024
    text = page(client, round_)
    assert "この PDF は最新のデータで作られています。" in text
    assert "PDF を作り直す" in text
    # the task is idempotent: a finished file is left alone
    assert services.report_file_execute(file_id=file.pk) is None


def test_file_older_than_the_data_is_flagged_and_remade(client, env) -> None:
    fp, round_, jim, reader = env
    file, _ = services.report_file_request(round_=round_, actor=jim, enqueue=False)
    services.report_file_execute(file_id=file.pk)
    client.force_login(reader)
    assert status(client, round_)["stale"] is False
    # 2-1-1 reported 65.0 instead of 62.0: (65−60)/(66−60) = 83.3 % and +5 points → ○
    value = IndicatorValue.objects.get(indicator=fp.indicators["2-1-1"], fiscal_year=2024)
    value.value = 65.0
    value.save()
    assert status(client, round_)["stale"] is True
    warning = "この PDF を作った後にデータが変わりました。PDF は古いデータのままです。"
    assert warning in page(client, round_)
    assert (
        warning in client.get(reverse("staff:evaluation_round", args=[round_.pk])).content.decode()
    )
    # the old file can still be downloaded until a new one is finished
    old = client.get(reverse("staff:evaluation_report_file_download", args=[round_.pk, file.pk]))
    assert old.content.decode() == GRADES_2024
    again, created = services.report_file_request(round_=round_, actor=reader, enqueue=False)
    assert created is True
    services.report_file_execute(file_id=again.pk)
    assert list(ReportFile.objects.values_list("pk", "status")) == [(again.pk, "done")]
    again.refresh_from_db()
    assert bytes(again.content).decode() == "%PDF-stub\n1-1 ○\n1-2 ◎\n2-1 ○"
    assert status(client, round_)["stale"] is False
    gone = client.get(reverse("staff:evaluation_report_file_download", args=[round_.pk, file.pk]))
    assert gone.status_code == 404


def test_failure_says_why_and_keeps_the_previous_file(client, env) -> None:
    _fp, round_, jim, reader = env
    first, _ = services.report_file_request(round_=round_, actor=jim, enqueue=False)
    services.report_file_execute(file_id=first.pk)

    def broken(report: api.VerificationReport) -> bytes:
        raise ZeroDivisionError("division by zero")

    api.register_report_renderer("pdf", broken)
    second, _ = services.report_file_request(round_=round_, actor=jim, enqueue=False)
    services.report_file_execute(file_id=second.pk)
    second.refresh_from_db()
    message = (
        "PDF の作成中にエラーが起きました（ZeroDivisionError）。もう一度「PDF を作る」を押しても"
        "同じときは、管理者に連絡してください。"
    )
    assert (second.status, second.message, second.content) == ("failed", message, None)
    client.force_login(reader)
    assert status(client, round_) == {
        "status": "failed",
        "status_label": "失敗",
        "progress": 20,  # it failed while the PDF was being laid out
        "message": message,
        "finished": True,
        "stale": False,
        "download_url": reverse(
            "staff:evaluation_report_file_download", args=[round_.pk, first.pk]
        ),
    }
    text = page(client, round_)
    assert f'<div class="message message-error" role="alert"><p>{message}</p></div>' in text
    # a failure written for the user keeps its own words
    font = "PDF に使う日本語フォント（Noto Sans CJK JP）が見つかりません。"

    def no_font(report: api.VerificationReport) -> bytes:
        raise FontMissing(font)

    api.register_report_renderer("pdf", no_font, user_errors=(FontMissing,))
    third, created = services.report_file_request(round_=round_, actor=jim, enqueue=False)
    assert created is True
    services.report_file_execute(file_id=third.pk)
    third.refresh_from_db()
    assert (third.status, third.message) == ("failed", font)
    assert ReportFile.objects.filter(status="done").get().pk == first.pk


def test_stalled_requests_are_given_up(env) -> None:
    _fp, round_, jim, _reader = env
    stuck, _ = services.report_file_request(round_=round_, actor=jim, enqueue=False)
    ReportFile.objects.filter(pk=stuck.pk).update(
        status="running", started_at=timezone.now() - dt.timedelta(minutes=31)
    )
    fresh, created = services.report_file_request(round_=round_, actor=jim, enqueue=False)
    assert created is True and fresh.pk != stuck.pk
    stuck.refresh_from_db()
    assert (stuck.status, stuck.message) == (
        "failed",
        "作成が途中で止まりました（30 分以上終わりませんでした）。もう一度「PDF を作る」を押してください。",
    )
    ReportFile.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    newest, created = services.report_file_request(round_=round_, actor=jim, enqueue=False)
    assert created is True
    fresh.refresh_from_db()
    assert (fresh.status, fresh.message) == (
        "failed",
        "待機中のまま始まりませんでした。バックグラウンド処理（keikaku db_worker）が動いているか、"
        "管理者に確認してください。",
    )
    assert ReportFile.objects.filter(status__in=["pending", "running"]).get().pk == newest.pk


def test_only_one_active_request_per_round_in_the_database(env) -> None:
    from django.db import IntegrityError, transaction

    _fp, round_, jim, _reader = env
    services.report_file_request(round_=round_, actor=jim, enqueue=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFile.objects.create(round=round_, status="running")


def test_without_a_renderer_the_pages_keep_the_direct_download(client, env) -> None:
    _fp, round_, _jim, reader = env
    renderers.unregister_report_renderer("pdf")
    client.force_login(reader)
    round_page = client.get(reverse("staff:evaluation_round", args=[round_.pk])).content.decode()
    assert reverse("staff:evaluation_report", args=[round_.pk, "pdf"]) in round_page
    assert "PDF を作る" not in round_page
    response = client.post(reverse("staff:evaluation_report_file", args=[round_.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "この環境では報告書の PDF を作れません（PDF を作る機能が読み込まれていません）。"
        "管理者に連絡してください。"
    ]
    assert ReportFile.objects.count() == 0
    # a request left waiting when the renderer went away fails with a clear message
    file = ReportFile.objects.create(round=round_)
    services.report_file_execute(file_id=file.pk)
    file.refresh_from_db()
    assert (file.status, file.message) == (
        "failed",
        "PDF を作る機能が読み込まれていないため、作れませんでした。管理者に連絡してください。",
    )


def test_round_page_shows_the_state(client, env) -> None:
    _fp, round_, jim, reader = env
    client.force_login(reader)
    url = reverse("staff:evaluation_round", args=[round_.pk])
    assert "PDF を作る</button>" in client.get(url).content.decode()
    file, _ = services.report_file_request(round_=round_, actor=jim, enqueue=False)
    text = client.get(url).content.decode()
    assert '<span class="badge">待機中（0%）</span> 順番を待っています' in text
    services.report_file_execute(file_id=file.pk)
    text = client.get(url).content.decode()
    assert '<span class="badge badge-success">完了</span>' in text
    assert reverse("staff:evaluation_report_file_download", args=[round_.pk, file.pk]) in text
    assert "PDF を作り直す</button>" in text


def test_download_of_an_unfinished_file_is_404(client, env) -> None:
    _fp, round_, jim, reader = env
    file, _ = services.report_file_request(round_=round_, actor=jim, enqueue=False)
    client.force_login(reader)
    url = reverse("staff:evaluation_report_file_download", args=[round_.pk, file.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 405
