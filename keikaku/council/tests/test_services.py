"""Services of the council app: the recruitment flow (deadline in Japan time, duplicate submit,
personal data kept apart and its views logged), selection, meetings, materials, minutes, bills
and the plan's adoption, and what the public API shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from keikaku.core.models import AuditEvent, ContentVersion
from keikaku.council import api, services
from keikaku.council.models import (
    ApplicantPersonalData,
    Application,
    Attendance,
    Bill,
    CouncilMember,
    MemberCategory,
    PlanAdoption,
)
from keikaku.council.tests.factories import (
    PDF,
    applicant,
    jst,
    make_council,
    make_meeting,
    make_member,
    make_recruitment,
    make_user,
    token,
)
from keikaku.plans.tests.factories import make_small_plan

pytestmark = pytest.mark.django_db


# --- recruitment ------------------------------------------------------------------------------


def test_application_is_stored_with_personal_data_apart():
    council = make_council()
    call = make_recruitment(council)
    result = services.application_submit(recruitment=call, data=applicant(), form_token=token())
    assert result.created is True
    app = result.application
    assert app.receipt_number.startswith("A-")
    assert app.essay_chars == len(app.essay.replace("\n", ""))
    assert app.age_band in {"30s", "40s"}
    personal = ApplicantPersonalData.objects.get(application=app)
    assert (personal.name, personal.name_kana, personal.birth_date) == (
        "𠮷田 花子",
        "よしだ はなこ",
        dt.date(1985, 4, 1),
    )
    # Nothing that names the applicant is on the application row.
    row = Application.objects.filter(pk=app.pk).values().get()
    assert "𠮷田" not in str(row) and "三ツ木" not in str(row)


def test_receipt_numbers_count_per_fiscal_year():
    council = make_council()
    call = make_recruitment(council, starts_at=jst(2024, 3, 1), ends_at=jst(2024, 5, 1))
    a = services.application_submit(
        recruitment=call, data=applicant(), form_token=token(), now=jst(2024, 3, 31, 23, 0)
    )
    b = services.application_submit(
        recruitment=call,
        data=applicant(name="髙橋 一郎", name_kana="たかはし いちろう"),
        form_token=token(),
        now=jst(2024, 4, 1, 0, 30),
    )
    c = services.application_submit(
        recruitment=call,
        data=applicant(name="鶴ヶ島 三郎", name_kana="つるがしま さぶろう"),
        form_token=token(),
        now=jst(2024, 4, 2, 10, 0),
    )
    # 31 March belongs to FY2023, 1 April starts FY2024 (Japan time).
    assert [x.application.receipt_number for x in (a, b, c)] == [
        "A-2023-0001",
        "A-2024-0001",
        "A-2024-0002",
    ]


def test_the_same_form_sent_twice_stores_one_application():
    call = make_recruitment(make_council())
    t = token()
    first = services.application_submit(recruitment=call, data=applicant(), form_token=t)
    again = services.application_submit(recruitment=call, data=applicant(), form_token=t)
    assert (first.created, again.created) == (True, False)
    assert again.application.pk == first.application.pk
    assert Application.objects.count() == 1
    # Changed content under the same token is a new application (an edit after "back").
    changed = services.application_submit(
        recruitment=call, data=applicant(occupation="自営業"), form_token=t
    )
    assert changed.created is True
    assert Application.objects.count() == 2
    # …and the two are flagged as possibly the same person (same reading and birth date).
    assert services.possible_duplicates(application=changed.application) == [first.application]


def test_deadline_is_enforced_in_japan_time_and_nothing_is_stored_after_it():
    call = make_recruitment(
        make_council(),
        starts_at=jst(2024, 5, 1),
        ends_at=jst(2024, 6, 1),  # 「5月31日まで」
    )
    ok = services.application_submit(
        recruitment=call, data=applicant(), form_token=token(), now=jst(2024, 5, 31, 23, 59, 59)
    )
    assert ok.created
    before = (Application.objects.count(), ApplicantPersonalData.objects.count())
    # 2024-05-31 15:00 UTC is 2024-06-01 00:00 in Japan: closed.
    with pytest.raises(services.CallClosedError):
        services.application_submit(
            recruitment=call,
            data=applicant(name="髙橋 一郎", name_kana="たかはし いちろう"),
            form_token=token(),
            now=dt.datetime(2024, 5, 31, 15, 0, tzinfo=dt.UTC),
        )
    with pytest.raises(services.CallNotOpenError):
        services.application_submit(
            recruitment=call, data=applicant(), form_token=token(), now=jst(2024, 4, 30, 23, 59)
        )
    assert (Application.objects.count(), ApplicantPersonalData.objects.count()) == before


def test_an_unpublished_call_takes_no_application():
    call = make_recruitment(make_council(), published=False)
    with pytest.raises(services.CallNotOpenError):
        services.application_submit(recruitment=call, data=applicant(), form_token=token())
    assert Application.objects.count() == 0


def test_essay_and_age_are_checked_again_by_the_service():
    call = make_recruitment(make_council())
    with pytest.raises(ValidationError) as exc:
        services.application_submit(
            recruitment=call, data=applicant(essay="短い作文です。"), form_token=token()
        )
    assert exc.value.messages == [
        "作文は200字以上で書いてください（いまは7字です。改行は数えません）。"
    ]
    with pytest.raises(ValueError, match="form_token"):
        services.application_submit(recruitment=call, data=applicant(), form_token="x")
    assert Application.objects.count() == 0


def test_personal_data_views_are_logged():
    call = make_recruitment(make_council())
    app = services.application_submit(
        recruitment=call, data=applicant(), form_token=token()
    ).application
    user = make_user("senko", "manage_council", "view_applicantpersonaldata")
    personal = services.applicant_personal_view(application=app, actor=user, purpose="選考")
    assert personal.name == "𠮷田 花子"
    event = AuditEvent.objects.get(action="view_personal")
    assert (event.object_type, event.object_id, event.note, event.actor_id) == (
        "council.application",
        str(app.pk),
        "選考",
        user.pk,
    )
    assert event.after == {"personal_data": True}


def test_selection_is_recorded_and_a_selected_applicant_becomes_a_public_member():
    council = make_council()
    call = make_recruitment(council)
    app = services.application_submit(
        recruitment=call, data=applicant(), form_token=token()
    ).application
    user = make_user("senko", "manage_council", "view_applicantpersonaldata")
    with pytest.raises(services.CouncilError, match="「選任」の応募者だけ"):
        services.member_appoint(
            application=app, actor=user, term_start=dt.date(2025, 7, 1), term_end=None
        )
    with pytest.raises(ValidationError):
        services.application_decide(application=app, actor=user, status="selected", decided_on=None)
    services.application_decide(
        application=app,
        actor=user,
        status="selected",
        decided_on=dt.date(2024, 6, 20),
        score=85,
        note="作文と面接により選任",
    )
    event = AuditEvent.objects.get(action="select")
    assert event.before == {
        "status": "received",
        "score": None,
        "decision_note": "",
        "decided_on": None,
    }
    assert event.after == {
        "status": "selected",
        "score": 85,
        "decision_note": "作文と面接により選任",
        "decided_on": "2024-06-20",
    }
    member = services.member_appoint(
        application=app, actor=user, term_start=dt.date(2024, 7, 1), term_end=dt.date(2026, 6, 30)
    )
    assert (member.name, member.name_kana, member.category, member.application_id) == (
        "𠮷田 花子",
        "よしだ はなこ",
        MemberCategory.PUBLIC,
        app.pk,
    )
    # Reading the name for the roster counts as a view of personal data.
    assert AuditEvent.objects.filter(action="view_personal", object_id=str(app.pk)).count() == 1
    # Once a member, the result cannot silently change.
    with pytest.raises(services.CouncilError, match="既に委員"):
        services.application_decide(
            application=app, actor=user, status="not_selected", decided_on=dt.date(2024, 6, 21)
        )


def test_personal_data_past_retention_is_purged_and_the_application_stays():
    call = make_recruitment(make_council())
    app = services.application_submit(
        recruitment=call, data=applicant(), form_token=token()
    ).application
    until = ApplicantPersonalData.objects.get().retention_until
    assert services.applicant_personal_data_purge(today=until, actor="test") == 0
    assert (
        services.applicant_personal_data_purge(today=until + dt.timedelta(days=1), actor="test")
        == 1
    )
    assert ApplicantPersonalData.objects.count() == 0
    assert Application.objects.filter(pk=app.pk).exists()
    assert AuditEvent.objects.filter(action="purge_personal").count() == 1


# --- meetings, materials, attendance, minutes ---------------------------------------------------


def test_materials_must_be_pdf_and_not_too_large(settings):
    meeting = make_meeting(make_council())
    material = services.meeting_material_add(
        meeting=meeting, title="資料1 素案", filename="../資料1.pdf", data=PDF, actor="test"
    )
    assert material.size == len(PDF)
    assert default_storage.exists(material.file.name)
    assert material.file.name.startswith("council/meetings/")
    with pytest.raises(ValidationError) as exc:
        services.meeting_material_add(
            meeting=meeting, title="偽物", filename="偽物.pdf", data=b"MZ\x90\x00", actor="test"
        )
    assert exc.value.message_dict == {
        "file": [
            "「偽物.pdf」は PDF ファイルではありません（ファイルの先頭が %PDF- ではありません）。PDF で保存したファイルを選んでください。"
        ]
    }
    settings.KEIKAKU_COUNCIL_MAX_PDF_BYTES = 1024
    with pytest.raises(ValidationError) as exc:
        services.meeting_material_add(
            meeting=meeting,
            title="大きい",
            filename="big.pdf",
            data=PDF + b"0" * 2048,
            actor="test",
        )
    assert "上限の 1KB を超えています" in exc.value.message_dict["file"][0]
    assert meeting.materials.count() == 1
    services.meeting_material_remove(material=material, actor="test")
    assert meeting.materials.count() == 0


def test_attendance_covers_members_in_term_and_counts_the_quorum():
    council = make_council(seats=3)
    a = make_member(council, "髙橋 美和子")
    b = make_member(council, "𠮷田 健一", kana="よしだ けんいち")
    make_member(council, "退任 太郎", kana="たいにん たろう", term_end=dt.date(2024, 3, 31))
    meeting = make_meeting(council, held_on=dt.date(2024, 4, 25))
    assert [m.name for m in services.members_in_term(meeting=meeting)] == [
        "髙橋 美和子",
        "𠮷田 健一",
    ]
    services.attendance_set(meeting=meeting, present_ids=[a.pk], actor="test")
    assert dict(Attendance.objects.values_list("member__name", "present")) == {
        "髙橋 美和子": True,
        "𠮷田 健一": False,
    }
    public = api.meeting_public(meeting_id=meeting.pk)
    assert public.attendance.present == ("髙橋 美和子",)
    assert public.attendance.absent == ("𠮷田 健一",)
    # 3 seats → quorum 2; 1 present → not quorate
    assert (public.attendance.summary.quorum, public.attendance.summary.quorate) == (2, False)
    with pytest.raises(services.CouncilError, match="任期中でない委員"):
        services.attendance_set(meeting=meeting, present_ids=[a.pk, b.pk, 99999], actor="test")


def test_minutes_are_public_only_after_approval_and_edits_withdraw_them():
    meeting = make_meeting(make_council())
    minutes = services.minutes_save(
        meeting=meeting, actor="test", body="素案について審議した。", expected_version=None
    )
    with pytest.raises(services.CouncilError, match="まだ確認（承認）されていません"):
        services.minutes_publish(minutes=minutes, actor="test")
    assert api.minutes_for_meeting(meeting_id=meeting.pk) is None
    with pytest.raises(ValidationError):
        services.minutes_approve(minutes=minutes, actor="test", approved_on=dt.date(2024, 4, 1))
    minutes = services.minutes_approve(
        minutes=minutes, actor="test", approved_on=dt.date(2024, 5, 16), note="会長の確認"
    )
    minutes = services.minutes_publish(minutes=minutes, actor="test")
    public = api.minutes_for_meeting(meeting_id=meeting.pk)
    assert (public.body, public.approved_on, public.approval_note) == (
        "素案について審議した。",
        dt.date(2024, 5, 16),
        "会長の確認",
    )
    assert api.meeting_public(meeting_id=meeting.pk).minutes_url == (
        f"/council/meetings/{meeting.pk}/minutes/"
    )
    # Changing approved minutes sends them back to draft and off the public site.
    minutes = services.minutes_save(
        meeting=meeting,
        actor="test",
        body="素案について審議した。委員から意見があった。",
        expected_version=minutes.version,
    )
    assert (minutes.status, minutes.is_published, minutes.approved_on) == ("draft", False, None)
    assert api.minutes_for_meeting(meeting_id=meeting.pk) is None


def test_minutes_of_an_unpublished_meeting_cannot_be_published():
    meeting = make_meeting(make_council(), published=False)
    minutes = services.minutes_save(
        meeting=meeting, actor="test", body="本文", expected_version=None
    )
    minutes = services.minutes_approve(
        minutes=minutes, actor="test", approved_on=dt.date(2024, 5, 1)
    )
    with pytest.raises(services.CouncilError, match="会議そのものが公開されていません"):
        services.minutes_publish(minutes=minutes, actor="test")


def test_a_minutes_pdf_needs_approval_again():
    meeting = make_meeting(make_council())
    minutes = services.minutes_save(
        meeting=meeting, actor="test", body="本文", expected_version=None
    )
    services.minutes_approve(minutes=minutes, actor="test", approved_on=dt.date(2024, 5, 1))
    minutes = services.minutes_file_set(
        meeting=meeting, filename="議事録.pdf", data=PDF, actor="test"
    )
    assert (minutes.status, minutes.file_size) == ("draft", len(PDF))
    assert default_storage.exists(minutes.file_name)


# --- the public API reads published records only ------------------------------------------------


def test_public_api_shows_published_records_only():
    council = make_council()
    make_member(council, "髙橋 美和子")
    make_member(council, "非公開 次郎", kana="ひこうかい じろう", published=False)
    shown = make_meeting(council, 1)
    make_meeting(council, 2, held_on=dt.date(2024, 5, 23), published=False)
    assert [m.name for m in api.members_public(today=dt.date(2024, 5, 1))] == ["髙橋 美和子"]
    assert [m.id for m in api.meetings_public()] == [shown.pk]
    # An unpublished council hides everything of it.
    services.object_update(
        obj=council, actor="test", expected_version=None, changes={"is_published": False}
    )
    assert api.council_public() is None
    assert api.meetings_public() == ()
    assert api.members_public() == ()


def test_open_calls_for_the_participation_hub():
    council = make_council()
    open_call = make_recruitment(council, title="募集中の公募")
    make_recruitment(
        council, title="終わった公募", starts_at=jst(2023, 5, 1), ends_at=jst(2023, 6, 1)
    )
    make_recruitment(council, title="非公開の公募", published=False)
    calls = api.recruitments_open()
    assert [(c.id, c.state, c.state_label) for c in calls] == [(open_call.pk, "open", "募集中")]
    assert calls[0].apply_url == f"/council/recruitments/{open_call.pk}/apply/"


def test_every_write_bumps_the_public_content_version():
    council = make_council()
    before = ContentVersion.objects.get(key="public").version
    make_meeting(council)
    assert ContentVersion.objects.get(key="public").version > before


# --- bills and the plan's adoption --------------------------------------------------------------


def _plan_bill(edition, **kw):
    data = {
        "number": "議案第71号",
        "title": "後期基本計画の策定について",
        "target": "basic_plan",
        "edition": edition,
        "submitted_on": dt.date(2024, 11, 29),
        "is_published": True,
    }
    data.update(kw)
    return services.bill_create(bill=Bill(**data), actor="test")


def test_bill_result_makes_the_plan_enacted():
    plan = make_small_plan()
    bill = _plan_bill(plan.edition)
    assert PlanAdoption.objects.get(edition=plan.edition).state == "submitted"
    assert api.edition_adoption(edition_id=plan.edition.pk).state_label == "市議会で審議中"
    bill = services.bill_update(
        bill=bill,
        actor="test",
        expected_version=bill.version,
        changes={
            "vote_on": dt.date(2024, 12, 19),
            "result": "passed",
            "votes_for": 15,
            "votes_against": 2,
            "effective_on": dt.date(2025, 4, 1),
        },
    )
    record = PlanAdoption.objects.get(edition=plan.edition)
    assert (record.state, record.adopted_on, record.effective_on, record.plan_bill_id) == (
        "enacted",
        dt.date(2024, 12, 19),
        dt.date(2025, 4, 1),
        bill.pk,
    )
    public = api.edition_adoption(edition_id=plan.edition.pk)
    assert (public.state, public.state_label, public.is_enacted, public.adopted_on) == (
        "enacted",
        "議決済",
        True,
        dt.date(2024, 12, 19),
    )
    assert public.plan_bill.vote_summary == "賛成15、反対2"
    event = AuditEvent.objects.filter(action="adoption").order_by("-pk").first()
    assert (event.before["state"], event.after["state"]) == ("submitted", "enacted")


def test_a_rejected_or_deleted_bill_takes_the_adoption_back():
    plan = make_small_plan()
    bill = _plan_bill(
        plan.edition,
        vote_on=dt.date(2024, 12, 19),
        result="passed",
        votes_for=15,
        votes_against=2,
    )
    assert PlanAdoption.objects.get().state == "enacted"
    bill = services.bill_update(
        bill=bill,
        actor="test",
        expected_version=bill.version,
        changes={"result": "rejected", "votes_for": 2, "votes_against": 15},
    )
    assert (PlanAdoption.objects.get().state, PlanAdoption.objects.get().adopted_on) == (
        "rejected",
        None,
    )
    services.bill_delete(bill=bill, actor="test")
    assert PlanAdoption.objects.get().state == "none"


def test_an_unpublished_bill_does_not_show_the_adoption():
    plan = make_small_plan()
    _plan_bill(
        plan.edition,
        vote_on=dt.date(2024, 12, 19),
        result="passed",
        votes_for=15,
        votes_against=2,
        is_published=False,
    )
    assert PlanAdoption.objects.get().state == "enacted"
    assert api.edition_adoption(edition_id=plan.edition.pk) is None
    assert api.bills_public() == ()


def test_bill_validation_errors_name_the_field_and_nothing_is_saved():
    plan = make_small_plan()
    with pytest.raises(ValidationError) as exc:
        _plan_bill(plan.edition, result="passed", votes_for=2, votes_against=15)
    assert exc.value.message_dict == {
        "vote_on": ["「原案可決」の議案には議決日を入力してください。"],
        "votes_for": ["可決なのに賛成（2）が反対（15）より少なくなっています。"],
    }
    with pytest.raises(ValidationError) as exc:
        services.bill_create(
            bill=Bill(number="議案第1号", title="基本構想", target="basic_concept"), actor="test"
        )
    assert exc.value.message_dict == {
        "edition": ["基本構想・基本計画の議案は、対象の基本計画を選んでください。"]
    }
    assert Bill.objects.count() == 0
    assert PlanAdoption.objects.count() == 0


def test_plan_record_for_the_plan_document():
    plan = make_small_plan()
    council = make_council()
    make_member(council)
    meeting = make_meeting(council)
    _plan_bill(
        plan.edition, vote_on=dt.date(2024, 12, 19), result="passed", votes_for=15, votes_against=2
    )
    record = api.plan_record(edition_id=plan.edition.pk)
    assert record.council.name == "鶴ヶ島市まちづくり審議会"
    assert [m.id for m in record.meetings] == [meeting.pk]
    assert [b.number for b in record.bills] == ["議案第71号"]
    assert record.adoption.adopted_on == dt.date(2024, 12, 19)
    assert CouncilMember.objects.count() == 1


def test_deleting_a_meeting_deletes_its_files_after_commit(django_capture_on_commit_callbacks):
    meeting = make_meeting(make_council())
    material = services.meeting_material_add(
        meeting=meeting, title="資料", filename="a.pdf", data=PDF, actor="test"
    )
    minutes = services.minutes_file_set(meeting=meeting, filename="m.pdf", data=PDF, actor="test")
    names = [material.file.name, minutes.file_name]
    assert all(default_storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.object_delete(obj=meeting, actor="test")
    assert not any(default_storage.exists(n) for n in names)
    assert AuditEvent.objects.filter(action="delete", object_type="council.meeting").count() == 1
