"""Audit log and optimistic concurrency of the shared write helpers."""

from __future__ import annotations

import threading

import pytest

from keikaku.core.models import AuditEvent
from keikaku.core.selectors import content_version_get
from keikaku.core.services import StaleEditError, content_version_bump, versioned_save
from keikaku.plans.models import Measure
from keikaku.plans.tests.factories import make_small_plan, make_staff

pytestmark = pytest.mark.django_db


def test_versioned_save_records_before_and_after_and_bumps_version():
    plan = make_small_plan()
    user = make_staff()
    versioned_save(
        obj=plan.measure, actor=user, expected_version=1, changes={"title": "子育て支援の拡充"}
    )
    measure = Measure.objects.get(pk=plan.measure.pk)
    assert measure.title == "子育て支援の拡充"
    assert measure.version == 2
    event = AuditEvent.objects.get(object_type="plans.measure", object_id=str(measure.pk))
    assert event.actor_name == "髙橋 一郎"
    assert event.before["title"] == "子育て支援の充実"
    assert event.after["title"] == "子育て支援の拡充"
    assert event.action == "update"


def test_stale_version_is_refused_naming_who_changed_it_and_nothing_is_written():
    plan = make_small_plan()
    first = make_staff("first", full_name="𠮷田 花子")
    second = make_staff("second", full_name="髙橋 一郎")
    versioned_save(obj=plan.measure, actor=first, expected_version=1, changes={"title": "Aの案"})
    stale_obj = Measure.objects.get(pk=plan.measure.pk)
    events_before = AuditEvent.objects.count()
    with pytest.raises(StaleEditError) as err:
        versioned_save(obj=stale_obj, actor=second, expected_version=1, changes={"title": "Bの案"})
    assert "𠮷田 花子 さんが変更しました" in str(err.value)
    assert "あなたの変更は保存していません" in str(err.value)
    measure = Measure.objects.get(pk=plan.measure.pk)
    assert measure.title == "Aの案"
    assert measure.version == 2
    assert AuditEvent.objects.count() == events_before


def test_unchanged_save_writes_no_audit_event():
    plan = make_small_plan()
    user = make_staff()
    versioned_save(
        obj=plan.measure, actor=user, expected_version=1, changes={"title": plan.measure.title}
    )
    assert AuditEvent.objects.filter(object_type="plans.measure").count() == 0


def test_content_version_bump_increments():
    start = content_version_get()
    content_version_bump()
    content_version_bump()
    assert content_version_get() == start + 2


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_on_the_same_version_apply_exactly_one():
    plan = make_small_plan()
    user = make_staff()
    results: list[str] = []
    barrier = threading.Barrier(2)

    def worker(title: str) -> None:
        from django.db import connections

        obj = Measure.objects.get(pk=plan.measure.pk)
        barrier.wait()
        try:
            versioned_save(obj=obj, actor=user, expected_version=1, changes={"title": title})
            results.append("ok")
        except StaleEditError:
            results.append("stale")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(t,)) for t in ("甲案", "乙案")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "stale"]
    measure = Measure.objects.get(pk=plan.measure.pk)
    assert measure.version == 2
    assert measure.title in {"甲案", "乙案"}
