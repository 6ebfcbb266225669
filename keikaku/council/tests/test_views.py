"""Pages of the council and the assembly: the public pages and the application flow, staff
pages and their permissions (a denied request changes nothing), personal data masked for roles
without permission and every view of it logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keikaku.accounts import roles
from keikaku.core.models import AuditEvent
from keikaku.council import services
from keikaku.council.models import (
    ApplicantPersonalData,
    Application,
    Bill,
    CouncilMember,
    Meeting,
    PlanAdoption,
)
from keikaku.council.tests.factories import (
    ESSAY,
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


def _form(call, **changes):
    data = {
        "form_token": token(),
        "website": "",
        "name": "𠮷田 花子",
        "name_kana": "よしだ はなこ",
        "birth_date": "1985-04-01",
        "address": "埼玉県鶴ヶ島市大字三ツ木16-1",
        "phone": "049-271-1111",
        "email": "hanako@example.jp",
        "occupation": "",
        "eligibility": "resident",
        "other_roles": "",
        "essay": ESSAY,
        "consent": "on",
    }
    data.update(changes)
    return data


def _text(response) -> str:
    return response.content.decode()


# --- public pages -------------------------------------------------------------------------------


def test_public_pages_list_published_records(client):
    council = make_council()
    make_member(council, "髙橋 美和子", term_end=None)
    meeting = make_meeting(council, 3)
    make_meeting(council, 4, held_on=dt.date(2024, 5, 23), published=False)
    services.meeting_material_add(
        meeting=meeting, title="資料1 素案", filename="a.pdf", data=PDF, actor="test"
    )
    page = _text(client.get("/council/"))
    assert "髙橋 美和子" in page
    assert "第3回 鶴ヶ島市まちづくり審議会" in page
    assert "第4回" not in page
    detail = client.get(f"/council/meetings/{meeting.pk}/")
    assert detail.status_code == 200
    assert "資料1 素案" in _text(detail)
    material = meeting.materials.get()
    download = client.get(f"/council/meetings/{meeting.pk}/materials/{material.pk}/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    hidden = Meeting.objects.get(number=4)
    assert client.get(f"/council/meetings/{hidden.pk}/").status_code == 404
    assert client.get(f"/council/meetings/{meeting.pk}/minutes/").status_code == 404


def test_unpublished_council_is_not_found(client):
    make_council(published=False)
    assert client.get("/council/").status_code == 404


def test_assembly_page_shows_the_adoption_and_the_votes(client):
    plan = make_small_plan()
    bill = services.bill_create(
        bill=Bill(
            number="議案第71号",
            title="後期基本計画の策定について",
            target="basic_plan",
            edition=plan.edition,
            submitted_on=dt.date(2024, 11, 29),
            vote_on=dt.date(2024, 12, 19),
            result="passed",
            votes_for=15,
            votes_against=2,
            is_published=True,
        ),
        actor="test",
    )
    page = _text(client.get("/assembly/"))
    assert "後期基本計画は、2024年（令和6年）12月19日に市議会で議決されました。" in page
    assert "賛成15、反対2" in page
    detail = _text(client.get(f"/assembly/bills/{bill.pk}/"))
    assert "この議決により、後期基本計画は「議決済」になりました。" in detail


# --- the application flow -----------------------------------------------------------------------


def test_apply_confirm_submit_and_receipt(client):
    call = make_recruitment(make_council())
    url = f"/council/recruitments/{call.pk}/apply/"
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert "no-cache" in form_page["Cache-Control"] or "max-age=0" in form_page["Cache-Control"]
    data = _form(call)
    confirm = client.post(url, {**data, "action": "confirm"})
    assert "入力内容の確認" in _text(confirm)
    assert Application.objects.count() == 0
    done = client.post(url, {**data, "action": "submit"})
    assert done.status_code == 303
    app = Application.objects.get()
    assert done["Location"] == f"/council/applications/{app.submission_key}/"
    receipt = client.get(done["Location"])
    text = _text(receipt)
    assert app.receipt_number in text
    # The receipt shows no personal data.
    for private in ("𠮷田 花子", "三ツ木", "049-271-1111", "hanako@example.jp"):
        assert private not in text
    assert receipt["X-Robots-Tag"] == "noindex"
    # A second send of the same form stores nothing new and says so.
    again = client.post(url, {**data, "action": "submit"})
    assert again["Location"].endswith("?again=1")
    assert Application.objects.count() == 1
    assert "既に受け付けています" in _text(client.get(again["Location"]))


def test_form_errors_say_which_field_and_what_to_do(client):
    call = make_recruitment(make_council())
    url = f"/council/recruitments/{call.pk}/apply/"
    response = client.post(
        url,
        {
            **_form(call, name_kana="Yoshida", birth_date="2015-01-01", essay="短い", consent=""),
            "action": "confirm",
        },
    )
    text = _text(response)
    assert "ふりがなは、ひらがなかカタカナで入力してください（例: つるがしま たろう）。" in text
    assert "18歳以上の方です。" in text
    assert "作文は200字以上で書いてください（いまは2字です。改行は数えません）。" in text
    assert "個人情報の取扱いに同意いただけない場合は、応募できません。" in text
    assert Application.objects.count() == 0


def test_after_the_deadline_the_essay_is_kept_and_nothing_stored(client):
    call = make_recruitment(make_council())
    url = f"/council/recruitments/{call.pk}/apply/"
    data = _form(call)
    type(call).objects.filter(pk=call.pk).update(starts_at=jst(2024, 5, 1), ends_at=jst(2024, 6, 1))
    response = client.post(url, {**data, "action": "submit"})
    assert response.status_code == 403
    text = _text(response)
    assert "2024年（令和6年）5月31日 23時59分まで" in text
    assert ESSAY.splitlines()[0] in text
    assert Application.objects.count() == 0
    assert client.get(url).status_code == 200  # GET shows the closed page


def test_honeypot_refuses(client):
    call = make_recruitment(make_council())
    response = client.post(
        f"/council/recruitments/{call.pk}/apply/",
        {**_form(call, website="http://spam.example/"), "action": "submit"},
    )
    assert response.status_code == 400
    assert Application.objects.count() == 0


def test_rate_limit(client, settings):
    settings.KEIKAKU_PUBLIC_FORM_RATE_LIMIT = 2
    call = make_recruitment(make_council())
    url = f"/council/recruitments/{call.pk}/apply/"
    for _ in range(2):
        assert client.post(url, {**_form(call), "action": "confirm"}).status_code == 200
    blocked = client.post(url, {**_form(call), "action": "confirm"})
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0


# --- staff pages and permissions ----------------------------------------------------------------

STAFF_GET = [
    "staff:council_home",
    "staff:council_members",
    "staff:council_recruitments",
    "staff:council_meetings",
    "staff:council_documents",
    "staff:assembly_reports",
    "staff:assembly_bills",
]


def _fingerprint():
    counts = tuple(m.objects.count() for m in apps.get_app_config("council").get_models())
    versions = tuple(
        sum(m.objects.values_list("version", flat=True))
        for m in apps.get_app_config("council").get_models()
        if any(f.name == "version" for f in m._meta.fields)
    )
    return counts, versions, AuditEvent.objects.count()


@pytest.mark.parametrize("name", STAFF_GET)
def test_staff_lists_for_staff_only(client, name):
    url = reverse(name)
    assert client.get(url)["Location"].startswith("/staff/login/")
    client.force_login(make_user("shimin", staff=False))
    assert client.get(url).status_code == 403
    client.force_login(make_user("yomu"))
    assert client.get(url).status_code == 200


def test_denied_writes_change_nothing(client):
    plan = make_small_plan()
    council = make_council()
    member = make_member(council)
    meeting = make_meeting(council)
    call = make_recruitment(council)
    app = services.application_submit(
        recruitment=call, data=applicant(), form_token=token()
    ).application
    bill = services.bill_create(
        bill=Bill(
            number="議案第71号",
            title="後期基本計画",
            target="basic_plan",
            edition=plan.edition,
            is_published=True,
        ),
        actor="test",
    )
    posts = [
        (reverse("staff:council_settings"), {"name": "変更", "version": council.version}),
        (reverse("staff:council_member_new"), {"name": "新 委員", "category": "public"}),
        (reverse("staff:council_member", args=[member.pk]), {"name": "変更"}),
        (reverse("staff:council_member_delete", args=[member.pk]), {}),
        (reverse("staff:council_meeting", args=[meeting.pk]), {"number": 9}),
        (reverse("staff:council_meeting_delete", args=[meeting.pk]), {}),
        (
            reverse("staff:council_meeting_material_add", args=[meeting.pk]),
            {"title": "資料", "file": SimpleUploadedFile("a.pdf", PDF)},
        ),
        (reverse("staff:council_meeting_attendance", args=[meeting.pk]), {"present": [member.pk]}),
        (reverse("staff:council_minutes", args=[meeting.pk]), {"body": "本文"}),
        (reverse("staff:council_minutes_publish", args=[meeting.pk]), {}),
        (reverse("staff:council_application", args=[app.pk]), {"status": "selected"}),
        (reverse("staff:council_application_appoint", args=[app.pk]), {}),
        (
            reverse("staff:assembly_bill", args=[bill.pk]),
            {"number": "議案第71号", "title": "x", "result": "passed", "vote_on": "2024-12-19"},
        ),
        (reverse("staff:assembly_bill_delete", args=[bill.pk]), {}),
    ]
    before = _fingerprint()
    reader = make_user("yomu")
    assembly_only = make_user("gikai", "manage_assembly")
    for user in (None, make_user("shimin", staff=False), reader, assembly_only):
        client.logout()
        if user is not None:
            client.force_login(user)
        for url, data in posts:
            if user is assembly_only and "/assembly/" in url:
                continue
            response = client.post(url, data)
            assert response.status_code in (302, 403), (url, response.status_code)
            if user is not None:
                assert response.status_code == 403, url
    assert _fingerprint() == before
    assert PlanAdoption.objects.get().state == "submitted"


def test_a_council_editor_creates_a_member_and_a_bill_editor_records_the_vote(client):
    plan = make_small_plan()
    make_council()
    client.force_login(make_user("shingikai", "manage_council"))
    response = client.post(
        reverse("staff:council_member_new"),
        {
            "name": "𠮷田 健一",
            "name_kana": "よしだ けんいち",
            "category": "organisation",
            "affiliation": "商工団体",
            "position": "member",
            "term_start": "2025-07-01",
            "term_end": "2027-06-30",
            "order": 1,
            "is_published": "on",
            "data_status": "entered",
        },
    )
    assert response.status_code == 302
    assert CouncilMember.objects.get().name == "𠮷田 健一"
    assert AuditEvent.objects.filter(action="create", object_type="council.councilmember").exists()

    client.force_login(make_user("gikai", "manage_assembly"))
    response = client.post(
        reverse("staff:assembly_bill_new"),
        {
            "number": "議案第71号",
            "title": "後期基本計画の策定について",
            "target": "basic_plan",
            "edition": plan.edition.pk,
            "submitted_on": "2024-11-29",
            "vote_on": "2024-12-19",
            "result": "passed",
            "votes_for": "15",
            "votes_against": "2",
            "is_published": "on",
            "data_status": "verified",
        },
    )
    assert response.status_code == 302
    assert PlanAdoption.objects.get(edition=plan.edition).state == "enacted"
    # A vote that disagrees with the result is refused with the field named.
    bill = Bill.objects.get()
    response = client.post(
        reverse("staff:assembly_bill", args=[bill.pk]),
        {
            "version": bill.version,
            "number": "議案第71号",
            "title": "後期基本計画の策定について",
            "target": "basic_plan",
            "edition": plan.edition.pk,
            "submitted_on": "2024-11-29",
            "vote_on": "2024-12-19",
            "result": "rejected",
            "votes_for": "15",
            "votes_against": "2",
            "data_status": "verified",
        },
    )
    assert response.status_code == 200
    assert "否決なのに賛成（15）が反対（2）より多くなっています。" in _text(response)
    assert Bill.objects.get().result == "passed"


def test_material_upload_refuses_a_file_that_is_not_pdf(client):
    meeting = make_meeting(make_council())
    client.force_login(make_user("shingikai", "manage_council"))
    response = client.post(
        reverse("staff:council_meeting_material_add", args=[meeting.pk]),
        {"title": "資料", "file": SimpleUploadedFile("資料.pdf", b"<html>not a pdf</html>")},
        follow=True,
    )
    assert "「資料.pdf」は PDF ファイルではありません" in _text(response)
    assert meeting.materials.count() == 0


# --- personal data: masked without permission, every view logged -------------------------------


def _application():
    call = make_recruitment(make_council())
    return services.application_submit(
        recruitment=call, data=applicant(), form_token=token()
    ).application


def test_personal_data_is_masked_for_roles_without_permission(client):
    app = _application()
    client.force_login(make_user("shingikai", "manage_council"))
    listing = _text(client.get(reverse("staff:council_applications", args=[app.recruitment_id])))
    detail = _text(client.get(reverse("staff:council_application", args=[app.pk])))
    for page in (listing, detail):
        assert "＊＊＊" in page
        assert "𠮷田 花子" not in page and "よしだ はなこ" not in page and "三ツ木" not in page
    assert "応募者の個人情報を見る権限がありません。" in detail
    before = AuditEvent.objects.count()
    response = client.get(reverse("staff:council_application_personal", args=[app.pk]))
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before
    # Plain staff may not even read applications.
    client.force_login(make_user("yomu"))
    assert client.get(reverse("staff:council_application", args=[app.pk])).status_code == 403


def test_permitted_view_of_personal_data_is_logged(client):
    app = _application()
    user = make_user("senko", "manage_council", "view_applicantpersonaldata", full_name="髙橋 一郎")
    client.force_login(user)
    response = client.get(
        reverse("staff:council_application_personal", args=[app.pk]) + "?purpose=選考結果の通知"
    )
    text = _text(response)
    assert "𠮷田 花子" in text and "よしだ はなこ" in text
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="view_personal")
    assert (event.actor_id, event.actor_name, event.object_id, event.note) == (
        user.pk,
        "髙橋 一郎",
        str(app.pk),
        "選考結果の通知",
    )


def test_consultants_never_see_personal_data(client, monkeypatch):
    app = _application()
    user = make_user("consult", "manage_council", "view_applicantpersonaldata")
    monkeypatch.setattr(
        roles, "_providers", [lambda u: {"consultant"} if u.username == "consult" else set()]
    )
    client.force_login(user)
    assert (
        client.get(reverse("staff:council_application_personal", args=[app.pk])).status_code == 403
    )
    assert not AuditEvent.objects.filter(action="view_personal").exists()
    assert ApplicantPersonalData.objects.count() == 1


def test_selection_and_appointment_through_the_pages(client):
    app = _application()
    client.force_login(make_user("senko", "manage_council", "view_applicantpersonaldata"))
    response = client.post(
        reverse("staff:council_application", args=[app.pk]),
        {"status": "selected", "decided_on": "2024-06-20", "score": "80", "note": "面接の結果"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("staff:council_application_appoint", args=[app.pk]),
        {"term_start": "2024-07-01", "term_end": "2026-06-30", "position": "member"},
    )
    member = CouncilMember.objects.get()
    assert response["Location"] == reverse("staff:council_member", args=[member.pk])
    assert (member.name, member.category) == ("𠮷田 花子", "public")
    # the appointed member is public; the applicant's other data is not
    page = _text(client.get("/council/"))
    assert "𠮷田 花子" in page and "三ツ木" not in page and "1985" not in page


def test_staff_create_a_call_and_a_meeting_in_japan_time(client):
    council = make_council()
    client.force_login(make_user("shingikai", "manage_council"))
    response = client.post(
        reverse("staff:council_recruitment_new"),
        {
            "title": "公募委員の募集",
            "seats": "3",
            "eligibility_note": "市内在住・在勤・在学の18歳以上の方",
            "min_age": "18",
            "essay_theme": "これからのまちづくり",
            "essay_min_chars": "400",
            "essay_max_chars": "800",
            "starts_at": "2024-05-01T00:00",
            "ends_at": "2024-06-01T00:00",
            "is_published": "on",
            "data_status": "entered",
        },
    )
    assert response.status_code == 302
    call = council.recruitments.get()
    # entered as Japan time: 2024-06-01 00:00 JST = 2024-05-31 15:00 UTC
    assert call.ends_at == dt.datetime(2024, 5, 31, 15, 0, tzinfo=dt.UTC)
    assert services.age_reference_day(call) == dt.date(2024, 5, 31)
    response = client.post(
        reverse("staff:council_meeting_new"),
        {
            "number": "1",
            "held_on": "2024-04-25",
            "start_time": "25:00",
            "is_open": "",
            "data_status": "entered",
        },
    )
    assert response.status_code == 200
    text = _text(response)
    assert "時刻は 24 時間制の「時:分」で入力してください（例: 14:00）。" in text
    assert "非公開の会議には、非公開とする理由を書いてください。" in text
    assert Meeting.objects.count() == 0


def test_without_a_council_the_new_pages_lead_to_its_settings(client):
    client.force_login(make_user("shingikai", "manage_council"))
    for name in (
        "staff:council_member_new",
        "staff:council_recruitment_new",
        "staff:council_meeting_new",
        "staff:council_document_new",
    ):
        response = client.get(reverse(name), follow=True)
        assert response.redirect_chain == [(reverse("staff:council_settings"), 302)], name
        assert "まちづくり審議会がまだ登録されていません。" in _text(response)
