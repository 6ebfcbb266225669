"""Drafting steps, versions, comments, notifications, organisation and schedule services."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError

from keikaku.core.models import AuditEvent
from keikaku.plans.models import Measure
from keikaku.workflow import services
from keikaku.workflow.domain.states import TransitionRefused
from keikaku.workflow.models import (
    Notification,
    ReviewComment,
    Section,
    SectionTransition,
    SectionVersion,
    Task,
)
from keikaku.workflow.tests.factories import advance, make_world

pytestmark = pytest.mark.django_db


def test_world_has_a_section_for_every_part_of_the_plan():
    world = make_world()
    kinds = sorted(
        Section.objects.filter(formulation=world.formulation).values_list("kind", "sort_key")
    )
    # introduction 0, strategy 1:0001, measures 2:<area>:<order>:<code>
    assert kinds == [
        ("introduction", "0"),
        ("measure", "2:0001:0000:1-1"),
        ("measure", "2:0002:0000:2-1"),
        ("strategy", "1:0001"),
    ]
    assert world.strategy_section.owner == world.bodies["secretariat"]
    assert world.intro_section.owner == world.bodies["secretariat"]
    assert world.section.state == "drafting"


def test_the_whole_path_records_who_when_comment_and_versions():
    world = make_world()
    section = advance(world, world.section, ("submit", "member", ""))
    assert section.state == "proposed" and section.version == 2
    section = advance(world, section, ("return", "headquarters", "指標の根拠を書いてください。"))
    assert section.state == "drafting"
    Measure.objects.filter(pk=world.plan.measure.pk).update(
        current_issues="共働き世帯が増え、相談も増えています。"
    )
    section = advance(
        world,
        section,
        ("submit", "member", "直しました"),
        ("approve", "headquarters", ""),
        ("promote_draft", "secretariat", ""),
    )
    assert section.state == "draft"
    steps = list(
        SectionTransition.objects.filter(section=section).values_list(
            "action", "from_state", "to_state", "actor_name", "comment"
        )
    )
    assert steps == [
        ("submit", "drafting", "proposed", "髙橋 一郎", ""),
        ("return", "proposed", "drafting", "若葉 副市長", "指標の根拠を書いてください。"),
        ("submit", "drafting", "proposed", "髙橋 一郎", "直しました"),
        ("approve", "proposed", "hq_review", "若葉 副市長", ""),
        ("promote_draft", "hq_review", "draft", "𠮷田 花子", ""),
    ]
    versions = list(SectionVersion.objects.filter(section=section).order_by("number"))
    assert [(v.number, v.state) for v in versions] == [
        (1, "proposed"),
        (2, "proposed"),
        (3, "hq_review"),
        (4, "draft"),
    ]
    assert versions[0].data["current_issues"] == "共働き世帯が増えています。"
    assert versions[-1].data["current_issues"] == "共働き世帯が増え、相談も増えています。"
    events = AuditEvent.objects.filter(object_type="workflow.section", object_id=str(section.pk))
    assert sorted(events.values_list("action", flat=True)) == sorted(
        [
            "workflow_submit",
            "workflow_return",
            "workflow_submit",
            "workflow_approve",
            "workflow_promote_draft",
        ]
    )
    returned = events.get(action="workflow_return")
    assert returned.before == {"state": "proposed", "version": 2}
    assert returned.after == {
        "state": "drafting",
        "version": 3,
        "comment": "指標の根拠を書いてください。",
        "snapshot": None,
    }


def test_a_role_that_may_not_take_the_step_is_refused_and_nothing_is_written():
    world = make_world()
    before = (SectionTransition.objects.count(), AuditEvent.objects.count())
    for user_key in ("reader", "other_member", "headquarters", "consultant", "council"):
        with pytest.raises(TransitionRefused):
            services.section_transition(
                section=world.section,
                actor=world.users[user_key],
                action="submit",
                expected_version=1,
            )
    section = world.reload()
    assert (section.state, section.version) == ("drafting", 1)
    assert (SectionTransition.objects.count(), AuditEvent.objects.count()) == before


def test_a_stale_version_is_a_conflict_naming_who_acted_first():
    world = make_world()
    advance(world, world.section, ("submit", "member", ""))
    stale = Section.objects.get(pk=world.section.pk)
    with pytest.raises(services.TransitionConflict) as err:
        services.section_transition(
            section=stale, actor=world.users["headquarters"], action="approve", expected_version=1
        )
    message = str(err.value)
    assert message.startswith(
        "「1-1 子育て支援の充実」は、あなたが画面を開いた後に 髙橋 一郎 さんが「部会案」に変更しました（"
    )
    assert message.endswith(
        "）。あなたの操作「承認して本部調整へ進める」は行っていません。"
        "画面を読み込み直して、今の状態を確かめてから操作してください。"
    )
    assert world.reload().state == "proposed"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_leave_exactly_one_applied():
    world = make_world()
    advance(world, world.section, ("submit", "member", ""))
    hq = world.users["headquarters"]
    results: list[str] = []
    barrier = threading.Barrier(2)

    def worker(action: str, comment: str) -> None:
        from django.db import connections

        section = Section.objects.get(pk=world.section.pk)
        barrier.wait()
        try:
            services.section_transition(
                section=section, actor=hq, action=action, expected_version=2, comment=comment
            )
            results.append(f"ok:{action}")
        except services.TransitionConflict as exc:
            results.append(f"conflict:{action}")
            assert "あなたの操作「" in str(exc)
            assert "は行っていません。" in str(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=("approve", "")),
        threading.Thread(target=worker, args=("return", "書き直してください")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2
    assert sorted(r.split(":")[0] for r in results) == ["conflict", "ok"]
    winner = next(r.split(":")[1] for r in results if r.startswith("ok"))
    section = world.reload()
    assert section.version == 3
    assert section.state == {"approve": "hq_review", "return": "drafting"}[winner]
    assert SectionTransition.objects.filter(section=section).count() == 2  # submit + winner


def test_returns_need_a_comment():
    world = make_world()
    advance(world, world.section, ("submit", "member", ""))
    with pytest.raises(TransitionRefused) as err:
        services.section_transition(
            section=world.reload(),
            actor=world.users["headquarters"],
            action="return",
            expected_version=2,
            comment="",
        )
    assert "理由のコメントが必要です" in str(err.value)


def test_completed_formulation_takes_no_more_steps():
    world = make_world()
    services.formulation_update(
        formulation=world.formulation,
        actor="テスト",
        expected_version=world.formulation.version,
        changes={"status": "completed"},
    )
    with pytest.raises(TransitionRefused) as err:
        services.section_transition(
            section=world.reload(), actor=world.users["admin"], action="submit", expected_version=1
        )
    assert str(err.value) == "「後期基本計画の策定」は策定を終えているため、状態は変えられません。"


def test_notifications_go_to_authors_and_headquarters_and_by_mail(
    django_capture_on_commit_callbacks,
):
    world = make_world()
    with django_capture_on_commit_callbacks(execute=True):
        advance(world, world.section, ("submit", "member", ""))
    to_hq = Notification.objects.get(recipient=world.users["headquarters"])
    assert to_hq.message == (
        "「1-1 子育て支援の充実」が部会案として提出されました。本部での確認をお願いします。"
    )
    assert to_hq.url == f"/staff/workflow/sections/{world.section.pk}/"
    # the lead is an author too; the member acted and is not told of their own step
    assert list(
        Notification.objects.filter(kind="transition")
        .exclude(recipient=world.users["headquarters"])
        .values_list("recipient__username", flat=True)
    ) == ["lead"]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "headquarters@city.example.jp",
        "lead@city.example.jp",
    ]
    hq_mail = next(m for m in mail.outbox if m.to == ["headquarters@city.example.jp"])
    assert hq_mail.subject.startswith("[Keikaku] 「1-1 子育て支援の充実」が部会案として提出")
    assert f"http://127.0.0.1:8000/staff/workflow/sections/{world.section.pk}/" in hq_mail.body
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        advance(world, world.section, ("return", "headquarters", "根拠を書いてください。"))
    returned = Notification.objects.filter(kind="returned").order_by("recipient__username")
    assert [(n.recipient.username, n.message) for n in returned] == [
        (
            "lead",
            "「1-1 子育て支援の充実」が若葉 副市長 さんにより差し戻されました: 根拠を書いてください。",
        ),
        (
            "member",
            "「1-1 子育て支援の充実」が若葉 副市長 さんにより差し戻されました: 根拠を書いてください。",
        ),
    ]
    assert len(mail.outbox) == 2


def test_comments_threads_mentions_and_resolution():
    world = make_world()
    section = world.section
    comment = services.comment_add(
        section=section,
        actor=world.users["consultant"],
        body="要約を短くしてはどうでしょうか。",
        field="plain_summary",
        mentions=[world.bodies["secretariat"]],
    )
    assert comment.author_name == "計画 太郎"
    notes = {
        (n.recipient.username, n.kind)
        for n in Notification.objects.filter(section=section).select_related("recipient")
    }
    # authors (member, lead) get a comment notice; the mentioned secretariat a mention notice
    assert notes == {("member", "comment"), ("lead", "comment"), ("secretariat", "mention")}
    mention = Notification.objects.get(kind="mention")
    assert mention.message == (
        "計画 太郎 さんが「1-1 子育て支援の充実」のコメントで事務局に確認を求めています: "
        "要約を短くしてはどうでしょうか。"
    )
    reply = services.comment_add(
        section=section, actor=world.users["member"], body="短くしました。", parent=comment
    )
    assert reply.parent == comment and reply.field == "plain_summary"
    # the consultant (thread participant) is told of the reply
    assert Notification.objects.filter(recipient=world.users["consultant"], kind="comment").exists()
    services.comment_resolve(comment=reply, actor=world.users["member"])
    comment.refresh_from_db()
    assert comment.resolved and comment.resolved_by_name == "髙橋 一郎"
    assert AuditEvent.objects.filter(action="comment_resolve").count() == 1
    with pytest.raises(ValidationError) as err:
        services.comment_add(section=section, actor=world.users["reader"], body="  ")
    assert err.value.message_dict == {"body": ["コメントを入力してください。"]}
    assert ReviewComment.objects.count() == 2


def test_membership_gives_and_takes_editing_permission_audited():
    world = make_world()
    member = world.users["member"]
    assert set(member.groups.values_list("name", flat=True)) == {"策定作業：計画の編集"}
    assert set(world.users["secretariat"].groups.values_list("name", flat=True)) == {
        "策定作業：計画の編集",
        "策定作業：事務局",
    }
    assert not world.users["headquarters"].groups.exists()
    membership = member.formulation_memberships.get()
    services.membership_remove(membership=membership, actor=world.users["secretariat"])
    assert not member.groups.exists()
    event = AuditEvent.objects.filter(action="permission_change", object_id=str(member.pk)).first()
    assert event.before == {"groups": ["策定作業：計画の編集"]}
    assert event.after == {"groups": []}
    assert event.actor_name == "𠮷田 花子"
    assert Group.objects.get(name="策定作業：事務局").permissions.count() == 2


def test_membership_refuses_duplicates_and_non_staff():
    world = make_world()
    with pytest.raises(ValidationError) as err:
        services.membership_add(
            body=world.bodies["sub_a"], user=world.users["member"], role="member", actor="テスト"
        )
    assert err.value.message_dict == {"user": ["髙橋 一郎 さんは既に「第1専門部会」の構成員です。"]}
    from django.contrib.auth import get_user_model

    citizen = get_user_model().objects.create_user("shimin", last_name="市民")
    with pytest.raises(ValidationError) as err:
        services.membership_add(
            body=world.bodies["sub_a"], user=citizen, role="member", actor="テスト"
        )
    assert err.value.message_dict == {"user": ["「市民」は職員ではありません。"]}


def test_section_sync_adds_new_measures_once():
    world = make_world()
    Measure.objects.create(area=world.area2, code="2-2", title="地域福祉の推進")
    assert services.section_sync(formulation=world.formulation, actor="テスト") == 1
    assert services.section_sync(formulation=world.formulation, actor="テスト") == 0


def test_task_dependencies_refuse_cycles_with_the_path():
    world = make_world()
    second = Task(
        phase=world.phase,
        title="素案まとめ",
        start=world.task.end,
        end=world.task.end,
    )
    services.task_create(task=second, actor="テスト", depends_on=[world.task])
    with pytest.raises(ValidationError) as err:
        services.task_update(
            task=world.task,
            actor="テスト",
            expected_version=world.task.version,
            changes={},
            depends_on=[second],
        )
    assert err.value.message_dict == {
        "depends_on": [
            "作業の順序が循環しています: 素案作成 → 素案まとめ → 素案作成。先に終える作業を見直してください。"
        ]
    }


def test_task_done_gets_a_completion_date_and_phase_with_tasks_is_kept():
    world = make_world()
    services.task_update(
        task=world.task, actor="テスト", expected_version=1, changes={"status": "done"}
    )
    world.task.refresh_from_db()
    assert world.task.status == "done" and world.task.completed_on is not None
    with pytest.raises(ValidationError) as err:
        services.phase_delete(phase=world.phase, actor="テスト")
    assert err.value.messages == [
        "段階「素案審議・まとめ」には作業があります。先に作業を削除するか、別の段階に移してください。"
    ]
