"""Services: receiving opinions (receipts, duplicates, deadline), personal data, drafts,
grouping, moderation and the published result."""

from __future__ import annotations

import datetime as dt
import io
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from keikaku.core.models import AuditEvent
from keikaku.core.selectors import content_version_get
from keikaku.participation import services
from keikaku.participation.domain.draft import DraftFormatError
from keikaku.participation.models import (
    DraftParagraph,
    Opinion,
    PersonalData,
    PublicCommentRound,
    ReceiptSequence,
)
from keikaku.participation.tests.factories import (
    comment_input,
    make_round,
    make_user,
    submit_comment,
)

pytestmark = pytest.mark.django_db


def _fy_now() -> int:
    today = timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def test_receipt_numbers_count_up_per_prefix_and_year():
    from django.db import transaction

    with transaction.atomic():
        assert services.receipt_next(prefix="C", fiscal_year=2024) == "C-2024-00001"
        assert services.receipt_next(prefix="C", fiscal_year=2024) == "C-2024-00002"
        assert services.receipt_next(prefix="P", fiscal_year=2024) == "P-2024-00001"
        assert services.receipt_next(prefix="C", fiscal_year=2025) == "C-2025-00001"
    assert ReceiptSequence.objects.get(key="C-2024").last == 2


def test_same_form_posted_twice_stores_one_opinion():
    rnd = make_round()
    paragraph = rnd.paragraphs.get(key="measure-1-1-target-1")
    token = uuid.uuid4().hex
    data = comment_input(rnd, "保育所をもっと増やしてください。", paragraph=paragraph)
    first = services.opinion_submit(data=data, form_token=token)
    second = services.opinion_submit(data=data, form_token=token)
    assert first.created is True and second.created is False
    assert second.opinion.pk == first.opinion.pk
    assert first.opinion.receipt_number == f"C-{_fy_now()}-00001"
    assert Opinion.objects.count() == 1
    # The quoted paragraph is stored with the comment, as it stood when sent.
    assert first.opinion.quoted_text == "安心して子どもを産み育てられるまち"
    assert first.opinion.section.key == "measure-1-1"
    # Same token, changed text (back button and edit): a new opinion, a new receipt.
    changed = comment_input(rnd, "保育所を増やしてください。", paragraph=paragraph)
    third = services.opinion_submit(data=changed, form_token=token)
    assert third.created is True
    assert third.opinion.receipt_number == f"C-{_fy_now()}-00002"


def test_personal_data_in_its_own_table_with_retention(settings):
    settings.KEIKAKU_PERSONAL_DATA_RETENTION_DAYS = 365
    rnd = make_round()
    now = timezone.now()
    opinion = services.opinion_submit(
        data=comment_input(
            rnd,
            "意見です。",
            personal=services.PersonalInput(
                name="𠮷田 花子",
                address="埼玉県鶴ヶ島市大字脚折1番地",
                phone="049-271-1111",
                email="hanako@example.jp",
            ),
        ),
        form_token=uuid.uuid4().hex,
        now=now,
    ).opinion
    personal = PersonalData.objects.get(opinion=opinion)
    assert (personal.name, personal.address, personal.phone, personal.email) == (
        "𠮷田 花子",
        "埼玉県鶴ヶ島市大字脚折1番地",
        "049-271-1111",
        "hanako@example.jp",
    )
    assert personal.retention_until == timezone.localdate(now) + dt.timedelta(days=365)
    # No personal field on the opinion row itself.
    assert {f.name for f in Opinion._meta.concrete_fields}.isdisjoint(
        {"name", "address", "phone", "email"}
    )


def test_deadline_in_server_time_refuses_and_stores_nothing():
    ends = timezone.now() + dt.timedelta(days=29)
    rnd = make_round(ends_at=ends)
    data = comment_input(rnd, "締切直後の意見")
    with pytest.raises(services.RoundClosedError):
        services.opinion_submit(data=data, form_token=uuid.uuid4().hex, now=ends)
    # One microsecond before the deadline is still in time.
    ok = services.opinion_submit(
        data=data, form_token=uuid.uuid4().hex, now=ends - dt.timedelta(microseconds=1)
    )
    assert ok.created is True
    assert Opinion.objects.count() == 1
    assert PersonalData.objects.count() == 1
    assert services.round_state(rnd, ends) == "closed"
    assert services.round_state(rnd, rnd.starts_at - dt.timedelta(seconds=1)) == "upcoming"


def test_unpublished_or_upcoming_round_refuses():
    rnd = make_round(published=False)
    with pytest.raises(services.RoundNotOpenError):
        submit_comment(rnd, "まだ公開前")
    assert Opinion.objects.count() == 0


def test_same_person_counts_as_one_submitter():
    rnd = make_round()
    a = submit_comment(rnd, "一つ目")
    b = submit_comment(
        rnd,
        "二つ目",
        personal=services.PersonalInput(
            name="鶴ヶ島　太郎", address="埼玉県鶴ヶ島市三ツ木新町一丁目１番１号"
        ),
    )
    c = submit_comment(
        rnd, "三つ目", personal=services.PersonalInput(name="鶴ヶ島 花子", address="同上")
    )
    assert a.submitter_key == b.submitter_key != c.submitter_key
    assert a.submitter_key != ""


@pytest.mark.django_db(transaction=True)
def test_receipts_unique_under_concurrent_submissions():
    rnd = make_round()
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(5):
                submit_comment(rnd, f"同時送信 {n}-{i}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    receipts = list(Opinion.objects.values_list("receipt_number", flat=True))
    assert len(receipts) == 30
    assert len(set(receipts)) == 30
    assert sorted(receipts) == [f"C-{_fy_now()}-{n:05d}" for n in range(1, 31)]


def test_hide_needs_a_reason_and_deletes_nothing():
    rnd = make_round()
    opinion = submit_comment(rnd, "ひどい悪口")
    moderator = make_user("mod", "moderate_opinion")
    with pytest.raises(ValidationError):
        services.opinion_hide(opinion=opinion, actor=moderator, reason="  ")
    services.opinion_hide(opinion=opinion, actor=moderator, reason="特定の個人への誹謗中傷のため")
    opinion.refresh_from_db()
    assert (opinion.is_hidden, opinion.hidden_reason, opinion.hidden_by) == (
        True,
        "特定の個人への誹謗中傷のため",
        moderator,
    )
    assert Opinion.objects.filter(pk=opinion.pk).exists()
    event = AuditEvent.objects.get(action="hide")
    assert event.after == {"is_hidden": True, "hidden_reason": "特定の個人への誹謗中傷のため"}
    services.opinion_unhide(opinion=opinion, actor=moderator)
    opinion.refresh_from_db()
    assert (opinion.is_hidden, opinion.hidden_reason) == (False, "")


def test_personal_data_view_is_logged_and_purge_keeps_the_opinion():
    rnd = make_round()
    opinion = submit_comment(rnd, "意見")
    viewer = make_user("viewer", "view_personaldata", full_name="髙橋 一郎")
    personal = services.personal_data_view(opinion=opinion, actor=viewer, purpose="返信のため")
    assert personal.name == "鶴ヶ島 太郎"
    event = AuditEvent.objects.get(action="view_personal")
    assert (event.actor_name, event.object_id, event.note) == (
        "髙橋 一郎",
        str(opinion.pk),
        "返信のため",
    )
    later = personal.retention_until + dt.timedelta(days=1)
    assert services.personal_data_purge(today=personal.retention_until, actor=viewer) == 0
    assert services.personal_data_purge(today=later, actor=viewer) == 1
    assert PersonalData.objects.count() == 0
    assert Opinion.objects.filter(pk=opinion.pk, submitter_key=opinion.submitter_key).exists()
    assert AuditEvent.objects.filter(action="purge_personal").count() == 1


def test_draft_from_plan_and_refusal_once_opinions_arrived():
    rnd = make_round()
    keys = list(
        DraftParagraph.objects.filter(round=rnd)
        .order_by("section__order", "order")
        .values_list("key", flat=True)
    )
    assert keys == [
        "measure-1-1-summary-1",
        "measure-1-1-target-1",
        "measure-1-1-issues-1",
        "measure-1-1-initiative-1",
        "measure-1-1-indicator-1-1-1",
    ]
    assert [s.heading for s in rnd.sections.order_by("order")] == [
        "政策分野1 子育て・教育",
        "施策1-1 子育て支援の充実",
    ]
    submit_comment(rnd, "意見")
    with pytest.raises(services.ParticipationError) as err:
        services.round_draft_from_edition(round=rnd, edition=rnd.edition, actor="test")
    assert str(err.value) == "この意見募集には既に意見が届いているため、素案を入れ替えられません。"


def test_draft_from_docx_and_markdown_files():
    import docx

    rnd = make_round(published=False)
    document = docx.Document()
    document.add_heading("第1章 計画の概要", level=1)
    document.add_paragraph("この計画は、まちの将来像を示すものです。")
    document.add_heading("1 計画の期間", level=2)
    document.add_paragraph("令和7年度から令和11年度までの5年間です。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "指標"
    table.rows[0].cells[1].text = "待機児童数"
    buf = io.BytesIO()
    document.save(buf)
    count = services.round_draft_from_file(
        round=rnd, filename="素案.docx", data=buf.getvalue(), actor="test"
    )
    assert count == 3
    sections = list(rnd.sections.order_by("order"))
    assert [(s.key, s.level, s.heading) for s in sections] == [
        ("s1", 1, "第1章 計画の概要"),
        ("s2", 2, "1 計画の期間"),
    ]
    assert [p.text for p in sections[1].paragraphs.order_by("order")] == [
        "令和7年度から令和11年度までの5年間です。",
        "指標　待機児童数",
    ]
    rnd.refresh_from_db()
    assert rnd.draft_source == "素案.docx"
    md = "# 第1章\n本文です。\n".encode("cp932")
    assert services.round_draft_from_file(round=rnd, filename="soan.md", data=md, actor="test") == 1
    with pytest.raises(DraftFormatError) as err:
        services.round_draft_from_file(round=rnd, filename="soan.pdf", data=b"%PDF-", actor="test")
    assert (
        str(err.value)
        == "soan.pdf: 素案は Word（.docx）か Markdown（.md）のファイルで登録してください。"
    )
    with pytest.raises(DraftFormatError) as err:
        services.round_draft_from_file(round=rnd, filename="broken.docx", data=b"PK", actor="test")
    assert str(err.value) == (
        "broken.docx: Word（.docx）ファイルとして開けません。Word で .docx 形式で保存し直してください。"
    )


def test_short_period_needs_a_reason():
    start = dt.datetime(2024, 6, 1, 0, 0, tzinfo=dt.UTC)
    rnd = PublicCommentRound(
        title="短い募集", starts_at=start, ends_at=start + dt.timedelta(days=20)
    )
    with pytest.raises(ValidationError) as err:
        services.round_create(round=rnd, actor="test")
    assert err.value.message_dict["short_period_reason"] == [
        "意見募集の期間が21日間で、30日に足りません。30日未満とする理由を「期間を短くする理由」に書いてください。"
    ]
    rnd.short_period_reason = "国の制度改正に合わせた軽微な修正のため"
    saved = services.round_create(round=rnd, actor="test")
    assert [c["code"] for c in saved.reflection_categories] == ["A", "B", "C", "D", "E"]
    assert saved.reflection_categories[0] == {"code": "A", "label": "反映し修正", "reflected": True}


def test_material_must_be_a_pdf(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rnd = make_round()
    with pytest.raises(ValidationError) as err:
        services.round_material_add(
            round=rnd, title="概要版", filename="gaiyo.docx", data=b"PK\x03\x04", actor="test"
        )
    assert err.value.message_dict["file"] == [
        "「gaiyo.docx」は PDF ファイルではありません。PDF を選んでください。"
    ]
    material = services.round_material_add(
        round=rnd, title="概要版", filename="gaiyo.pdf", data=b"%PDF-1.4\n%%EOF\n", actor="test"
    )
    assert (material.size, material.order) == (15, 1)


def _closed_round_with_opinions():
    ends = timezone.now() + dt.timedelta(days=29)
    rnd = make_round(ends_at=ends)
    paragraph = rnd.paragraphs.get(key="measure-1-1-issues-1")
    a = submit_comment(rnd, "ひとり親家庭のことも書いてください。", paragraph=paragraph)
    b = submit_comment(
        rnd,
        "ひとり親世帯への支援も必要です。",
        paragraph=paragraph,
        personal=services.PersonalInput(name="鶴ヶ島 花子", address="鶴ヶ島市脚折町1-2-3"),
    )
    c = submit_comment(rnd, "全体としてわかりやすい計画です。")
    PublicCommentRound.objects.filter(pk=rnd.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=40),
        ends_at=timezone.now() - dt.timedelta(days=1),
    )
    rnd.refresh_from_db()
    return rnd, paragraph, a, b, c


def test_group_answer_and_publish_the_result():
    rnd, paragraph, a, b, c = _closed_round_with_opinions()
    staff = make_user("kikaku", "change_publiccommentround", "publish_result")
    g1 = services.opinions_group(round=rnd, opinion_ids=[a.pk, b.pk], actor=staff)
    assert (g1.number, g1.location, g1.paragraph) == (
        1,
        "施策1-1 子育て支援の充実（現状と課題）",
        paragraph,
    )
    g2 = services.opinions_group(round=rnd, opinion_ids=[c.pk], actor=staff)
    before = content_version_get()
    with pytest.raises(services.ResultNotReadyError) as err:
        services.round_result_publish(round=rnd, actor=staff)
    assert (
        err.value.problems[0]
        == "番号1の「意見の概要」「市の考え方」「反映区分」がまだ書かれていません。"
    )
    services.group_update(
        group=g1,
        actor=staff,
        expected_version=g1.version,
        changes={
            "summary": "ひとり親世帯への支援についても記載すべき。",
            "city_view": "ご意見を踏まえ、現状と課題にひとり親世帯を加えます。",
            "reflection": "A",
            "paragraph": paragraph,
            "revised_text": "共働き世帯やひとり親世帯が増えています。",
        },
    )
    services.group_update(
        group=g2,
        actor=staff,
        expected_version=g2.version,
        changes={
            "summary": "わかりやすい計画である。",
            "city_view": "引き続き、わかりやすい計画づくりに努めます。",
            "reflection": "E",
            "paragraph": None,
            "revised_text": "",
        },
    )
    data = services.round_result_publish(round=rnd, actor=staff)
    # 3 opinions from 2 submitters (a and c share name and address); 2 reflected (group A).
    assert (data["opinion_count"], data["submitter_count"], data["reflected_count"]) == (3, 2, 2)
    assert [(r["number"], r["reflection_code"], r["opinion_count"]) for r in data["rows"]] == [
        (1, "A", 2),
        (2, "E", 1),
    ]
    assert data["changes"][0]["before"] == "共働き世帯が増えています。"
    assert data["changes"][0]["after"] == "共働き世帯やひとり親世帯が増えています。"
    assert content_version_get() == before + 1
    rnd.refresh_from_db()
    assert rnd.result_data == data
    flat = repr(data)
    for secret in ("鶴ヶ島 太郎", "鶴ヶ島 花子", "三ツ木新町", "脚折町"):
        assert secret not in flat


def test_result_cannot_be_published_before_the_deadline():
    rnd = make_round()
    with pytest.raises(services.ParticipationError) as err:
        services.round_result_publish(round=rnd, actor="test")
    assert str(err.value).startswith("意見募集の締切前は結果を公表できません（締切: ")


def test_group_delete_renumbers_and_releases_opinions():
    rnd, _p, a, b, c = _closed_round_with_opinions()
    g1 = services.opinions_group(round=rnd, opinion_ids=[a.pk], actor="test")
    g2 = services.opinions_group(round=rnd, opinion_ids=[b.pk], actor="test")
    g3 = services.opinions_group(round=rnd, opinion_ids=[c.pk], actor="test")
    services.group_delete(group=g2, actor="test")
    g3.refresh_from_db()
    assert [g.number for g in rnd.groups.order_by("number")] == [1, 2]
    assert g3.number == 2
    b.refresh_from_db()
    assert b.group is None
    assert g1.opinions.count() == 1


def test_api_gives_masked_text_and_no_hidden_opinions():
    from keikaku.participation import api

    rnd = make_round()
    a = submit_comment(rnd, "メール taro@example.jp でも受け付けてほしい")
    b = submit_comment(rnd, "悪口")
    services.opinion_hide(opinion=b, actor="test", reason="誹謗中傷のため")
    records = api.opinions_for_analysis(round_id=rnd.pk)
    assert [(r.receipt_number, r.text) for r in records] == [
        (a.receipt_number, "メール ［メールアドレス］ でも受け付けてほしい")
    ]
    [public] = api.public_rounds()
    assert (public.id, public.state, public.has_result) == (rnd.pk, "open", False)
    assert api.opinion_count(source="public_comment") == 1


def test_publishing_and_withdrawing_a_round_is_audited_and_refreshes_the_public_pages():
    rnd = make_round(published=False)
    assert rnd.is_published is False and rnd.published_at is None
    version = content_version_get()
    services.round_publish(round=rnd, actor="test")
    assert rnd.is_published is True
    first_published_at = rnd.published_at
    assert first_published_at is not None
    assert content_version_get() == version + 1
    event = AuditEvent.objects.filter(object_id=str(rnd.pk), action="publish").get()
    assert (event.before, event.after) == ({"is_published": False}, {"is_published": True})
    services.round_unpublish(round=rnd, actor="test")
    assert rnd.is_published is False
    assert content_version_get() == version + 2
    event = AuditEvent.objects.filter(object_id=str(rnd.pk), action="unpublish").get()
    assert (event.before, event.after) == ({"is_published": True}, {"is_published": False})
    services.round_publish(round=rnd, actor="test")  # published again: the first date stays
    assert rnd.published_at == first_published_at
