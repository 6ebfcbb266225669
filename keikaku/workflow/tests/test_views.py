"""The formulation pages: steps, comments, versions, dashboard, organisation, schedule, public."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from keikaku.core.models import AuditEvent
from keikaku.workflow.models import Membership, Notification, ReviewComment, Section, Task
from keikaku.workflow.tests.factories import advance, make_world

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _step(client: Client, section: Section, action: str, comment: str = ""):
    section = Section.objects.get(pk=section.pk)
    return client.post(
        f"/staff/workflow/sections/{section.pk}/transition/",
        {"action": action, "version": section.version, "comment": comment},
        follow=True,
    )


def test_the_drafting_path_through_the_pages():
    world = make_world()
    member = _client(world.users["member"])
    hq = _client(world.users["headquarters"])
    sec = _client(world.users["secretariat"])
    url = f"/staff/workflow/sections/{world.section.pk}/"

    html = member.get(url).content.decode()
    assert '<button type="submit" name="action" value="submit">部会案として提出</button>' in html
    response = _step(member, world.section, "submit")
    assert "「1-1 子育て支援の充実」を「部会案として提出」しました。今の状態: 部会案" in (
        response.content.decode()
    )
    # a return without a reason is refused with the reason shown at the comment field
    section = world.reload()
    response = hq.post(
        f"{url}transition/", {"action": "return", "version": section.version, "comment": ""}
    )
    assert response.status_code == 400
    assert "「コメントを付けて差し戻す」には理由のコメントが必要です。" in response.content.decode()
    assert world.reload().state == "proposed"
    _step(hq, world.section, "return", "目指す姿を市民に分かる言葉にしてください。")
    assert world.reload().state == "drafting"
    _step(member, world.section, "submit")
    _step(hq, world.section, "approve")
    response = _step(sec, world.section, "promote_draft")
    assert "今の状態: 素案" in response.content.decode()
    html = sec.get(url).content.decode()
    assert '<li aria-current="step">素案</li>' in html
    assert "目指す姿を市民に分かる言葉にしてください。" in html  # the history keeps the reason


def test_a_step_the_role_may_not_take_is_403_and_changes_nothing():
    world = make_world()
    events = AuditEvent.objects.count()
    for key in ("consultant", "reader", "other_member", "headquarters"):
        response = _client(world.users[key]).post(
            f"/staff/workflow/sections/{world.section.pk}/transition/",
            {"action": "submit", "version": 1},
        )
        assert response.status_code == 403, key
        assert "「部会案として提出」を行う権限がありません。" in response.content.decode()
    assert world.reload().state == "drafting"
    assert AuditEvent.objects.count() == events


def test_a_stale_page_gets_a_clear_message_and_nothing_happens():
    world = make_world()
    advance(world, world.section, ("submit", "member", ""))
    hq = _client(world.users["headquarters"])
    response = hq.post(
        f"/staff/workflow/sections/{world.section.pk}/transition/",
        {"action": "approve", "version": 1},
        follow=True,
    )
    html = response.content.decode()
    assert "あなたが画面を開いた後に 髙橋 一郎 さんが「部会案」に変更しました" in html
    assert "あなたの操作「承認して本部調整へ進める」は行っていません。" in html
    assert world.reload().version == 2


def test_compare_shows_character_level_changes_side_by_side():
    world = make_world()
    advance(world, world.section, ("submit", "member", ""), ("return", "headquarters", "直して"))
    from keikaku.plans.models import Measure

    Measure.objects.filter(pk=world.plan.measure.pk).update(title="子育て支援の拡充")
    advance(world, world.section, ("submit", "member", ""))
    html = (
        _client(world.users["reader"])
        .get(f"/staff/workflow/sections/{world.section.pk}/compare/?a=1&b=2")
        .content.decode()
    )
    row = re.search(r'<th scope="row">施策名.*?</tr>', html, re.S).group(0)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert [c.strip() for c in cells] == [
        '子育て支援の充<del class="diff-del">実</del>',
        '子育て支援の<ins class="diff-ins">拡</ins>充',
    ]
    assert "変更のある欄: 1" in html
    version = _client(world.users["reader"]).get(
        f"/staff/workflow/sections/{world.section.pk}/versions/1/"
    )
    assert "子育て支援の充実" in version.content.decode()


def test_comments_replies_and_who_may_resolve():
    world = make_world()
    reader = _client(world.users["reader"])
    url = f"/staff/workflow/sections/{world.section.pk}/"
    response = reader.post(f"{url}comments/", {"field": "target_state", "body": ""})
    assert response.status_code == 400
    assert "このフィールドは必須です。" in response.content.decode()
    response = reader.post(
        f"{url}comments/",
        {"field": "target_state", "body": "「安心して」の意味を具体的に。"},
    )
    assert response.status_code == 302
    comment = ReviewComment.objects.get()
    assert (comment.field, comment.author_name) == ("target_state", "読む 太郎")
    html = reader.get(url).content.decode()
    assert "対象: 目指す姿" in html and "未解決 1 件" in html
    other = _client(world.users["other_member"])
    assert other.post(f"/staff/workflow/comments/{comment.pk}/resolve/").status_code == 403
    other.post(f"/staff/workflow/comments/{comment.pk}/reply/", {"body": "同感です。"})
    assert comment.replies.get().author_name == "佐藤 二郎"
    member = _client(world.users["member"])
    assert member.post(f"/staff/workflow/comments/{comment.pk}/resolve/").status_code == 302
    comment.refresh_from_db()
    assert comment.resolved
    assert (
        reader.post(
            f"/staff/workflow/comments/{comment.pk}/resolve/", {"resolved": "0"}
        ).status_code
        == 302
    )  # the comment's author may reopen it
    comment.refresh_from_db()
    assert not comment.resolved


def test_dashboard_counts_by_body_and_state():
    world = make_world()
    advance(world, world.section, ("submit", "member", ""))
    html = _client(world.users["reader"]).get("/staff/workflow/").content.decode()
    rows = dict(
        re.findall(r'<tr><th scope="row">([^<]+)</th>((?:<td class="num">\d+</td>)+)', html)
    )
    counts = {k: re.findall(r"\d+", v) for k, v in rows.items()}
    # 作成中, 部会案, 本部調整, 素案, 原案, 最終案, 議決済, 計
    assert counts["第1専門部会"] == ["0", "1", "0", "0", "0", "0", "0", "1"]
    assert counts["第2専門部会"] == ["1", "0", "0", "0", "0", "0", "0", "1"]
    assert counts["事務局"] == ["2", "0", "0", "0", "0", "0", "0", "2"]
    assert counts["計"] == ["3", "1", "0", "0", "0", "0", "0", "4"]
    assert 'role="img"' in html  # the chart, next to its table


def test_dashboard_lists_what_the_user_can_do():
    world = make_world()
    advance(world, world.section, ("submit", "member", ""))
    html = _client(world.users["headquarters"]).get("/staff/workflow/").content.decode()
    assert "承認して本部調整へ進める、コメントを付けて差し戻す" in html


def test_bulk_step_by_the_secretariat():
    world = make_world()
    sec = _client(world.users["secretariat"])
    s1, s2 = world.reload("section"), world.reload("section2")
    response = sec.post(
        "/staff/workflow/sections/bulk/",
        {"action": "submit", "section": [f"{s1.pk}:{s1.version}", f"{s2.pk}:{s2.version}"]},
        follow=True,
    )
    assert "2 件を「部会案として提出」しました。" in response.content.decode()
    assert {world.reload("section").state, world.reload("section2").state} == {"proposed"}
    member = _client(world.users["member"])
    response = member.post(
        "/staff/workflow/sections/bulk/",
        {"action": "approve", "section": [f"{s1.pk}:2"]},
    )
    assert response.status_code == 403


def test_public_progress_shows_public_schedule_only_and_no_draft_text():
    world = make_world()
    Task.objects.create(
        phase=world.phase,
        title="パブリックコメントの実施",
        kind="participation",
        start=world.task.start,
        end=world.task.end,
        is_public=True,
        public_note="素案への意見を募集します。",
    )
    html = Client().get("/progress/").content.decode()
    assert "<h1>計画づくりの進み具合</h1>" in html
    assert "パブリックコメントの実施" in html
    assert "素案への意見を募集します。" in html
    assert "素案作成" not in html  # not public
    assert "共働き世帯が増えています。" not in html  # draft content never appears
    assert "令和6（2024）年度 4～6月" in html


def test_organisation_membership_by_the_secretariat_only():
    world = make_world()
    body = world.bodies["sub_b"]
    data = {f"body{body.pk}-user": world.users["reader"].pk, f"body{body.pk}-role": "member"}
    reader = _client(world.users["reader"])
    assert reader.post(f"/staff/workflow/bodies/{body.pk}/members/", data).status_code == 403
    assert not Membership.objects.filter(body=body, user=world.users["reader"]).exists()
    sec = _client(world.users["secretariat"])
    response = sec.post(f"/staff/workflow/bodies/{body.pk}/members/", data, follow=True)
    assert "読む 太郎 さんを「第2専門部会」に加えました。" in response.content.decode()
    html = reader.get("/staff/workflow/organisation/").content.decode()
    assert "第2専門部会" in html and "読む 太郎" in html
    assert "部会案として提出" in html  # the permission table


def test_schedule_page_and_status_update_by_the_owning_body():
    world = make_world()
    member = _client(world.users["member"])
    html = member.get("/staff/workflow/schedule/").content.decode()
    assert html.count('role="img"') == 1  # the Gantt chart …
    assert "<caption>策定スケジュールの表</caption>" in html  # … and its table
    assert "遅延" in html  # 2024 task not done: late
    assert "令和6（2024）年度 4～6月" in html
    url = f"/staff/workflow/schedule/tasks/{world.task.pk}/status/"
    other = _client(world.users["other_member"])
    assert other.post(url, {"status": "done", "version": 1}).status_code == 403
    response = member.post(
        url, {"status": "done", "completed_on": "2024-05-10", "version": 1}, follow=True
    )
    assert "「素案作成」の状況を「完了」にしました。" in response.content.decode()
    world.task.refresh_from_db()
    assert (world.task.status, str(world.task.completed_on)) == ("done", "2024-05-10")


def test_inbox_marks_read():
    world = make_world()
    advance(world, world.section, ("submit", "member", ""))
    hq = _client(world.users["headquarters"])
    html = hq.get("/staff/workflow/inbox/").content.decode()
    assert "未読は 1 件です。" in html
    note = Notification.objects.get(recipient=world.users["headquarters"])
    response = hq.post("/staff/workflow/inbox/read/", {"notification": note.pk, "next": note.url})
    assert response.status_code == 302 and response["Location"] == note.url
    note.refresh_from_db()
    assert note.read_at is not None
