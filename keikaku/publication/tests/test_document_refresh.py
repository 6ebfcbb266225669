"""The plan documents are made again in the background after a publish.

``content_version_bump`` (public scope) sends ``public_content_changed`` once the transaction
commits; the publication app's receiver queues ``plan_documents_refresh`` (one waiting at a
time) when ``KEIKAKU_PLAN_DOCUMENTS_AUTO_BUILD`` is on. The test transaction never commits,
so the on-commit callbacks are run with ``django_capture_on_commit_callbacks(execute=True)``.

Rendering is replaced by ``service._render`` returning a few bytes (WeasyPrint takes
seconds), except in one test that renders the real files of the small plan.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.tasks import TaskResultStatus, task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.test import Client
from django_tasks_db.models import DBTaskResult

from keikaku.core.models import ContentVersion
from keikaku.core.services import content_version_bump
from keikaku.core.signals import public_content_changed
from keikaku.plans import services as plan_services
from keikaku.plans.tests.factories import make_small_plan, make_staff
from keikaku.publication import tasks
from keikaku.publication.documents import content, render, service
from keikaku.publication.models import FuriganaException, PlanDocument

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EVERY_DOCUMENT = [("plan", "docx"), ("plan", "pdf"), ("summary", "pdf")]


@pytest.fixture(autouse=True)
def _documents_dir(settings, tmp_path):
    settings.KEIKAKU_DOCUMENTS_DIR = tmp_path / "documents"


@pytest.fixture
def auto_build(settings):
    settings.KEIKAKU_PLAN_DOCUMENTS_AUTO_BUILD = True


@pytest.fixture
def renders(monkeypatch) -> list[tuple[str, str]]:
    """``service._render`` replaced: b"<kind>.<fmt>" and 2 pages for a PDF; the calls."""
    calls: list[tuple[str, str]] = []

    def fake(kind: str, fmt: str, data: dict[str, Any]) -> tuple[bytes, int | None]:
        calls.append((kind, fmt))
        return f"{kind}.{fmt}".encode(), (2 if fmt == "pdf" else None)

    monkeypatch.setattr(service, "_render", fake)
    return calls


@pytest.fixture
def small_plan(django_capture_on_commit_callbacks):
    """The small plan (not published yet); nothing waits to be sent before the test."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_small_plan()


def _publish(capture, plan, who: str = "pub") -> int:
    """Publish the edition in its own transaction; the number of on-commit callbacks."""
    actor = make_staff(who)
    with capture(execute=True) as callbacks:
        plan_services.edition_publish(edition=plan.edition, actor=actor)
    return len(callbacks)


def _bump(capture, *, scope: str = "public", times: int = 1) -> int:
    with capture(execute=True) as callbacks, transaction.atomic():
        for _ in range(times):
            content_version_bump(scope=scope)
    return len(callbacks)


def _queued() -> list[str]:
    """The task paths the DummyBackend holds."""
    return [r.task.module_path for r in task_backends["default"].results]


def _fingerprints() -> dict[tuple[str, str], str]:
    data = content.plan_document_data()
    assert data is not None
    return {
        (kind, fmt): content.fingerprint(
            data, kind=kind, fmt=fmt, renderer_version=render.RENDERER_VERSION
        )
        for kind, fmt in service.SPECS
    }


def _version() -> int:
    return ContentVersion.objects.get(key="public").version


# --- the background build -----------------------------------------------------------------


def test_publishing_builds_the_three_documents_in_the_background(
    auto_build, renders, small_plan, django_capture_on_commit_callbacks
):
    assert PlanDocument.objects.count() == 0
    assert _publish(django_capture_on_commit_callbacks, small_plan) == 1

    # ImmediateBackend: the refresh ran when the publishing transaction committed
    assert sorted(renders) == EVERY_DOCUMENT
    fps = _fingerprints()
    rows = PlanDocument.objects.order_by("kind", "fmt")
    assert [(r.kind, r.fmt, r.fingerprint, r.content_version) for r in rows] == [
        ("plan", "docx", fps["plan", "docx"], _version()),
        ("plan", "pdf", fps["plan", "pdf"], _version()),
        ("summary", "pdf", fps["summary", "pdf"], _version()),
    ]
    assert [service.document_path(r).read_bytes() for r in rows] == [
        b"plan.docx",
        b"plan.pdf",
        b"summary.pdf",
    ]
    assert [(r.size, r.pages) for r in rows] == [(9, None), (8, 2), (11, 2)]


def test_a_publish_that_changes_nothing_in_the_documents_renders_nothing(
    auto_build, renders, small_plan, django_capture_on_commit_callbacks
):
    _publish(django_capture_on_commit_callbacks, small_plan)
    assert len(renders) == 3
    first = set(PlanDocument.objects.values_list("pk", flat=True))

    assert _bump(django_capture_on_commit_callbacks) == 1  # e.g. a survey's page

    assert len(renders) == 3  # same data: the files are reused ...
    rows = PlanDocument.objects.all()
    assert set(rows.values_list("pk", flat=True)) == first
    assert set(rows.values_list("content_version", flat=True)) == {_version()}  # ... as current


def test_a_changed_plan_is_rendered_again_after_its_publish(
    auto_build, renders, small_plan, django_capture_on_commit_callbacks
):
    _publish(django_capture_on_commit_callbacks, small_plan)
    old = _fingerprints()
    small_plan.measure.title = "子育て支援の充実と保育の拡充"
    small_plan.measure.save()

    _publish(django_capture_on_commit_callbacks, small_plan, who="pub2")

    new = _fingerprints()
    assert len(renders) == 6
    assert all(new[key] != old[key] for key in new)
    current = PlanDocument.objects.filter(content_version=_version())
    assert sorted(current.values_list("kind", "fmt", "fingerprint")) == [
        ("plan", "docx", new["plan", "docx"]),
        ("plan", "pdf", new["plan", "pdf"]),
        ("summary", "pdf", new["summary", "pdf"]),
    ]
    assert PlanDocument.objects.count() == 6  # the two latest files of each document are kept


def test_the_real_files_are_made_in_the_background(
    auto_build, small_plan, django_capture_on_commit_callbacks
):
    _publish(django_capture_on_commit_callbacks, small_plan)

    rows = {(r.kind, r.fmt): r for r in PlanDocument.objects.all()}
    assert sorted(rows) == EVERY_DOCUMENT
    heads = {key: service.document_path(r).read_bytes()[:5] for key, r in rows.items()}
    assert heads == {
        ("plan", "docx"): b"PK\x03\x04\x14",  # a zip file (Office Open XML)
        ("plan", "pdf"): b"%PDF-",
        ("summary", "pdf"): b"%PDF-",
    }
    assert rows["summary", "pdf"].pages == 4
    assert {r.content_version for r in rows.values()} == {_version()}


def test_nothing_is_queued_when_the_setting_is_off(
    settings, renders, small_plan, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY
    assert settings.KEIKAKU_PLAN_DOCUMENTS_AUTO_BUILD is False  # the test suite's default

    assert _publish(django_capture_on_commit_callbacks, small_plan) == 1  # the signal is sent

    assert _queued() == []
    assert renders == []
    assert PlanDocument.objects.count() == 0


def test_a_staff_scope_bump_sends_nothing(auto_build, settings, django_capture_on_commit_callbacks):
    settings.TASKS = DUMMY
    sent: list[Any] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        sent.append(sender)

    public_content_changed.connect(receiver)
    try:
        assert _bump(django_capture_on_commit_callbacks, scope="staff", times=2) == 0
        assert sent == []
        assert _queued() == []
        assert _bump(django_capture_on_commit_callbacks) == 1
        assert sent == [ContentVersion]
    finally:
        public_content_changed.disconnect(receiver)


def test_two_bumps_in_one_transaction_send_once_and_queue_one_refresh(
    auto_build, settings, small_plan, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY
    actor = make_staff("pub")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        plan_services.edition_publish(edition=small_plan.edition, actor=actor)  # bump 1
        plan_services.measure_publish(measure=small_plan.measure, actor=actor)  # bump 2
        content_version_bump()  # bump 3

    assert len(callbacks) == 1
    assert _queued() == ["keikaku.publication.tasks.plan_documents_refresh"]


def test_a_rolled_back_transaction_sends_nothing_and_a_rolled_back_savepoint_is_replaced(
    auto_build, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY

    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            content_version_bump()
            raise Boom
    assert callbacks == []
    assert _queued() == []

    # the first bump's callback goes with its savepoint; the second bump registers its own
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        with pytest.raises(Boom), transaction.atomic():
            content_version_bump()
            raise Boom
        content_version_bump()
    assert len(callbacks) == 1
    assert _queued() == ["keikaku.publication.tasks.plan_documents_refresh"]


def test_a_waiting_refresh_covers_later_publishes_and_a_running_one_does_not(
    auto_build, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY
    path = "keikaku.publication.tasks.plan_documents_refresh"

    _bump(django_capture_on_commit_callbacks)
    _bump(django_capture_on_commit_callbacks)
    _bump(django_capture_on_commit_callbacks)
    assert _queued() == [path]  # one waits: it will read the newest content when it starts

    # the worker starts it; while it runs, another publish commits
    during: list[list[str]] = []

    def build_all(*, force: bool = False) -> list[PlanDocument]:
        _bump(django_capture_on_commit_callbacks)
        during.append(_queued())
        return []

    monkeypatch.setattr(service, "build_all", build_all)
    assert tasks.plan_documents_refresh.call() == 0

    assert during == [[path, path]]  # that publish queued the next refresh at once
    _bump(django_capture_on_commit_callbacks)
    assert _queued() == [path, path]  # which now covers this publish too


def test_with_the_database_backend_a_ready_refresh_covers_later_publishes(
    auto_build, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE
    path = "keikaku.publication.tasks.plan_documents_refresh"

    _bump(django_capture_on_commit_callbacks)
    _bump(django_capture_on_commit_callbacks)
    rows = DBTaskResult.objects.filter(task_path=path)
    assert list(rows.values_list("status", flat=True)) == [TaskResultStatus.READY]

    rows.update(status=TaskResultStatus.RUNNING)  # the worker claimed it
    _bump(django_capture_on_commit_callbacks)
    _bump(django_capture_on_commit_callbacks)
    assert sorted(rows.values_list("status", flat=True)) == [
        TaskResultStatus.READY,
        TaskResultStatus.RUNNING,
    ]


def test_a_receiver_error_does_not_break_the_publish(
    auto_build, settings, monkeypatch, caplog, small_plan, django_capture_on_commit_callbacks
):
    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("queue is down")

    monkeypatch.setattr(ImmediateBackend, "enqueue", fail)
    assert _publish(django_capture_on_commit_callbacks, small_plan) == 1
    assert small_plan.edition.__class__.objects.get(pk=small_plan.edition.pk).is_public is True
    errors = [r for r in caplog.records if r.name == "keikaku.core.signals"]
    assert [r.getMessage() for r in errors] == [
        f"public_content_changed: receiver {tasks.plan_documents_request!r} failed"
    ]
    # the waiting mark was taken back: the next publish queues again
    monkeypatch.undo()
    settings.TASKS = DUMMY
    _bump(django_capture_on_commit_callbacks)
    assert _queued() == ["keikaku.publication.tasks.plan_documents_refresh"]


# --- the documents page ---------------------------------------------------------------------

BUILDING = "最新の内容で作成中です。数分後にもう一度お試しください。"
ON_DOWNLOAD = "最初のダウンロードのときに作ります（少し時間がかかります）。"


def test_the_page_says_a_document_is_being_made_and_shows_it_once_made(
    auto_build, settings, renders, small_plan, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY  # queued, not run: the worker has not got to it yet
    _publish(django_capture_on_commit_callbacks, small_plan)
    client = Client()

    html = client.get("/plan/documents/").content.decode()
    assert html.count(BUILDING) == 3
    assert ON_DOWNLOAD not in html
    assert "大きさ" not in html

    # the download still works: made on demand
    response = client.get("/plan/documents/summary.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"summary.pdf"
    html = client.get("/plan/documents/").content.decode()  # the page was not cached
    assert html.count(BUILDING) == 2

    tasks.plan_documents_refresh.call()  # the worker runs the refresh
    response = client.get("/plan/documents/")
    html = response.content.decode()
    assert BUILDING not in html
    assert html.count("大きさ") == 3
    assert response["X-Keikaku-Cache"] == "miss"  # complete: now the page is cached
    assert client.get("/plan/documents/")["X-Keikaku-Cache"] == "hit"
    assert sorted(renders) == EVERY_DOCUMENT  # the summary was not made twice


def test_without_the_background_build_the_page_says_the_download_makes_it(
    settings, small_plan, django_capture_on_commit_callbacks
):
    _publish(django_capture_on_commit_callbacks, small_plan)
    html = Client().get("/plan/documents/").content.decode()
    assert html.count(ON_DOWNLOAD) == 3
    assert BUILDING not in html


# --- furigana exceptions: changing them needs the right to publish -------------------------

DENIED = "ふりがなの例外を変更できるのは、計画を公開する権限のある職員だけです。"


@pytest.fixture
def exception():
    return FuriganaException.objects.create(surface="脚折", reading="すねおり", note="地名")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_without_the_publish_right_sees_the_list_but_cannot_change_it(exception):
    client = _client(make_staff("editor", publish=False))

    page = client.get("/staff/publication/furigana/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "脚折" in html
    assert "保存する" not in html  # no form
    assert f"/staff/publication/furigana/{exception.pk}/delete/" not in html

    added = client.post(
        "/staff/publication/furigana/", {"surface": "鶴ヶ島", "reading": "つるがしま", "note": ""}
    )
    changed = client.post(
        "/staff/publication/furigana/", {"surface": "脚折", "reading": "あしおり", "note": ""}
    )
    deleted = client.post(f"/staff/publication/furigana/{exception.pk}/delete/")
    for response in (added, changed, deleted):
        assert response.status_code == 403
        assert DENIED in response.content.decode()
    assert list(FuriganaException.objects.values_list("surface", "reading", "note")) == [
        ("脚折", "すねおり", "地名")
    ]


def test_a_publisher_adds_changes_and_deletes_an_exception(exception):
    client = _client(make_staff("publisher", publish=True))
    assert "保存する" in client.get("/staff/publication/furigana/").content.decode()

    added = client.post(
        "/staff/publication/furigana/", {"surface": "鶴ヶ島", "reading": "つるがしま", "note": ""}
    )
    changed = client.post(
        "/staff/publication/furigana/", {"surface": "脚折", "reading": "あしおり", "note": "確認"}
    )
    assert (added.status_code, added["Location"]) == (302, "/staff/publication/furigana/")
    assert (changed.status_code, changed["Location"]) == (302, "/staff/publication/furigana/")
    assert sorted(FuriganaException.objects.values_list("surface", "reading", "note")) == [
        ("脚折", "あしおり", "確認"),
        ("鶴ヶ島", "つるがしま", ""),
    ]

    deleted = client.post(f"/staff/publication/furigana/{exception.pk}/delete/")
    assert (deleted.status_code, deleted["Location"]) == (302, "/staff/publication/furigana/")
    assert list(FuriganaException.objects.values_list("surface", flat=True)) == ["鶴ヶ島"]
