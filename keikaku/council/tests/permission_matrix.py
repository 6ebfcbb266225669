"""Expectations of the council and assembly staff URLs for tests/test_permission_matrix.py.

From keikaku.council.rules (docs/user-guide/council.md, 権限):

- reading the staff pages of the council (settings, members, calls, meetings, minutes,
  諮問・答申) and of the assembly (reports, bills): every staff role;
- editing and publishing the council's records, reading the applications (essays) and
  recording the selection: ``council.manage_council``;
- applicants' personal data (names, birth dates, addresses, contacts) and appointing a selected
  applicant (which reads them): ``council.view_applicantpersonaldata`` as well, never for a
  consultant;
- editing and publishing reports to the assembly and bills: ``council.manage_assembly``.

None of the matrix roles holds a council permission (the system administrator grants them in
/admin/; formulation bodies give only plan permissions), so every write, the applications and
the personal data are for the superuser alone; the applicants' personal data in particular is
denied to every other role, consultants included. POST-only URLs check the method first:
a GET answers 405 even to an anonymous visitor. Lists and read-only pages render a POST like
a GET (nothing is written).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from keikaku.council import services
from keikaku.council.forms import (
    AssemblyReportForm,
    BillForm,
    CouncilForm,
    DocumentForm,
    MeetingForm,
    MemberForm,
    RecruitmentForm,
)
from keikaku.council.models import AssemblyReport, Bill, CouncilDocument
from keikaku.council.tests.factories import (
    PDF,
    applicant,
    make_council,
    make_meeting,
    make_member,
    make_recruitment,
    token,
)
from tests.test_permission_matrix import EVERY_STAFF, METHOD, SUPER, Case, form_data, only


def objects(world: Any) -> dict[str, Any]:
    council = make_council()
    member = make_member(council)  # in term 2023-07-01 … 2025-06-30
    call = make_recruitment(council)  # open now
    application = services.application_submit(
        recruitment=call, data=applicant(), form_token=token()
    ).application
    application = services.application_decide(
        application=application,
        actor="matrix",
        status="selected",
        decided_on=dt.date(2024, 6, 20),
        note="面接の結果",
    )
    meeting = make_meeting(council)  # held 2024-04-25, published
    material = services.meeting_material_add(
        meeting=meeting, title="資料1 素案", filename="shiryo1.pdf", data=PDF, actor="matrix"
    )
    minutes = services.minutes_save(
        meeting=meeting, actor="matrix", body="開会\n素案について審議した。", expected_version=None
    )
    services.minutes_approve(
        minutes=minutes, actor="matrix", approved_on=dt.date(2024, 5, 10), note="会長の確認"
    )
    document = services.object_create(
        obj=CouncilDocument(
            council=council,
            kind=CouncilDocument.Kind.REPORT,
            title="後期基本計画（素案）について（答申）",
            dated_on=dt.date(2024, 10, 31),
            addressee="鶴ヶ島市長",
            meeting=meeting,
        ),
        actor="matrix",
    )
    report = services.object_create(
        obj=AssemblyReport(
            reported_on=dt.date(2024, 9, 2),
            committee="全員協議会",
            title="後期基本計画（素案）の策定状況について",
        ),
        actor="matrix",
    )
    report_material = services.assembly_material_add(
        report=report, title="説明資料", filename="setsumei.pdf", data=PDF, actor="matrix"
    )
    bill = services.bill_create(
        bill=Bill(
            number="議案第50号",
            session="令和6年第3回定例会（9月）",
            title="鶴ヶ島市まちづくり審議会条例の一部を改正する条例",
            submitted_on=dt.date(2024, 9, 2),
        ),
        actor="matrix",
    )
    return {
        "c_council": council,
        "c_member": member,
        "c_call": call,
        "c_application": application,
        "c_meeting": meeting,
        "c_material": material,
        "c_document": document,
        "c_report": report,
        "c_report_material": report_material,
        "c_bill": bill,
    }


def _pk(key: str) -> Any:
    return lambda m: {"pk": m.objects[key].pk}


def _edit(form_class: Any, key: str, change: str, **overrides: Any) -> Any:
    """The edit form of the sample object as sent back with one field changed."""
    return lambda m: form_data(form_class(instance=m.objects[key]), change, **overrides)


def _pdf(**fields: str) -> Any:
    return lambda m: {**fields, "file": SimpleUploadedFile("資料.pdf", PDF, "application/pdf")}


def _new_member(m: Any) -> dict[str, Any]:
    return form_data(
        MemberForm(instance=m.objects["c_member"]),
        None,
        version="",
        name="𠮷田 健一",
        name_kana="よしだ けんいち",
        category="organisation",
        affiliation="商工団体",
        order="2",
    )


READ = EVERY_STAFF
MANAGE = only(*SUPER)  # council.manage_council / council.manage_assembly
PERSONAL = only(*SUPER)  # + council.view_applicantpersonaldata, never a consultant

CASES = [
    # the council: overview, settings, members
    Case("staff:council_home", READ, READ),
    Case(
        "staff:council_settings",
        READ,
        MANAGE,
        data=_edit(CouncilForm, "c_council", "description"),
    ),
    Case("staff:council_members", READ, READ),
    Case("staff:council_member_new", MANAGE, MANAGE, data=_new_member),
    Case(
        "staff:council_member",
        READ,
        MANAGE,
        _pk("c_member"),
        _edit(MemberForm, "c_member", "affiliation"),
    ),
    Case("staff:council_member_delete", METHOD, MANAGE, _pk("c_member")),
    # recruitment (公募): the call is for all staff to read; applications are not
    Case("staff:council_recruitments", READ, READ),
    Case(
        "staff:council_recruitment_new",
        MANAGE,
        MANAGE,
        data=_edit(RecruitmentForm, "c_call", "title", version=""),
    ),
    Case(
        "staff:council_recruitment",
        READ,
        MANAGE,
        _pk("c_call"),
        _edit(RecruitmentForm, "c_call", "description"),
    ),
    Case("staff:council_applications", MANAGE, MANAGE, _pk("c_call")),
    Case(
        "staff:council_application",
        MANAGE,
        MANAGE,
        _pk("c_application"),
        lambda m: {
            "status": "selected",
            "decided_on": "2024-06-21",
            "score": "80",
            "note": "再面接",
        },
    ),
    # the applicant's name, birth date, address and contacts: every view is logged
    Case(
        "staff:council_application_personal",
        PERSONAL,
        PERSONAL,
        _pk("c_application"),
        query="?purpose=選考結果の通知",
    ),
    Case(
        "staff:council_application_appoint",
        METHOD,
        PERSONAL,
        _pk("c_application"),
        lambda m: {"term_start": "2024-07-01", "term_end": "2026-06-30", "position": "member"},
    ),
    # meetings, materials, attendance, minutes
    Case("staff:council_meetings", READ, READ),
    Case(
        "staff:council_meeting_new",
        MANAGE,
        MANAGE,
        data=_edit(
            MeetingForm, "c_meeting", "agenda", version="", number="2", held_on="2024-05-23"
        ),
    ),
    Case(
        "staff:council_meeting",
        READ,
        MANAGE,
        _pk("c_meeting"),
        _edit(MeetingForm, "c_meeting", "agenda"),
    ),
    Case("staff:council_meeting_delete", METHOD, MANAGE, _pk("c_meeting")),
    Case(
        "staff:council_meeting_material_add",
        METHOD,
        MANAGE,
        _pk("c_meeting"),
        _pdf(title="資料2 人口の見通し"),
    ),
    Case(
        "staff:council_meeting_material_remove",
        METHOD,
        MANAGE,
        lambda m: {"pk": m.objects["c_meeting"].pk, "material_id": m.objects["c_material"].pk},
    ),
    Case(
        "staff:council_meeting_attendance",
        METHOD,
        MANAGE,
        _pk("c_meeting"),
        lambda m: {"present": [str(m.objects["c_member"].pk)]},
    ),
    Case(
        "staff:council_minutes",
        READ,
        MANAGE,
        _pk("c_meeting"),
        lambda m: {
            "body": "開会\n素案について審議し、了承した。",
            "version": str(services.minutes_of(m.objects["c_meeting"]).version),
        },
    ),
    Case("staff:council_minutes_file", METHOD, MANAGE, _pk("c_meeting"), _pdf()),
    Case(
        "staff:council_minutes_approve",
        METHOD,
        MANAGE,
        _pk("c_meeting"),
        lambda m: {"approved_on": "2024-05-20", "note": "第2回会議で承認"},
    ),
    Case("staff:council_minutes_publish", METHOD, MANAGE, _pk("c_meeting")),
    Case(
        "staff:council_minutes_publish",
        METHOD,
        MANAGE,
        _pk("c_meeting"),
        lambda m: {"action": "unpublish"},
        label="unpublish",
    ),
    # 諮問・答申
    Case("staff:council_documents", READ, READ),
    Case(
        "staff:council_document_new",
        MANAGE,
        MANAGE,
        data=_edit(DocumentForm, "c_document", "title", version="", kind="inquiry"),
    ),
    Case(
        "staff:council_document",
        READ,
        MANAGE,
        _pk("c_document"),
        _edit(DocumentForm, "c_document", "summary"),
    ),
    Case("staff:council_document_file", METHOD, MANAGE, _pk("c_document"), _pdf()),
    Case("staff:council_document_delete", METHOD, MANAGE, _pk("c_document")),
    # the assembly: reports and bills (council.manage_assembly)
    Case("staff:assembly_reports", READ, READ),
    Case(
        "staff:assembly_report_new",
        MANAGE,
        MANAGE,
        data=_edit(AssemblyReportForm, "c_report", "title", version=""),
    ),
    Case(
        "staff:assembly_report",
        READ,
        MANAGE,
        _pk("c_report"),
        _edit(AssemblyReportForm, "c_report", "summary"),
    ),
    Case("staff:assembly_report_delete", METHOD, MANAGE, _pk("c_report")),
    Case(
        "staff:assembly_material_add",
        METHOD,
        MANAGE,
        _pk("c_report"),
        _pdf(title="参考資料"),
    ),
    Case(
        "staff:assembly_material_remove",
        METHOD,
        MANAGE,
        lambda m: {
            "pk": m.objects["c_report"].pk,
            "material_id": m.objects["c_report_material"].pk,
        },
    ),
    Case("staff:assembly_bills", READ, READ),
    Case(
        "staff:assembly_bill_new",
        MANAGE,
        MANAGE,
        data=_edit(BillForm, "c_bill", "title", version="", number="議案第51号"),
    ),
    Case(
        "staff:assembly_bill",
        READ,
        MANAGE,
        _pk("c_bill"),
        _edit(
            BillForm,
            "c_bill",
            "summary",
            committee="総務常任委員会",
            committee_decided_on="2024-09-12",
            committee_result="passed",
            vote_on="2024-09-27",
            result="passed",
            votes_for="15",
            votes_against="2",
        ),
    ),
    Case("staff:assembly_bill_delete", METHOD, MANAGE, _pk("c_bill")),
]
