"""Staff pages of the council and the assembly (/staff/council/…, /staff/assembly/…).

Lists have search, sort and paging; forms write through the audited services with optimistic
concurrency. Any staff member may read; editing needs ``council.manage_council`` or
``council.manage_assembly``; applicants' personal data needs its own permission and every view
of it is logged. The record types with plain list / form / delete pages are declared once each
as a :class:`~keikaku.council.staff_crud.StaffCrud`; the pages that need more than a form
(applications, attendance, minutes) are written out below.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from keikaku.core.view_helpers import Written, attach_errors, error_text, require
from keikaku.council import rules, selectors, services
from keikaku.council.domain.bills import result_label, vote_summary
from keikaku.council.domain.meetings import attendance_summary
from keikaku.council.domain.recruitment import age_band_label, call_state_label
from keikaku.council.forms import (
    AppointForm,
    AssemblyReportForm,
    AttendanceForm,
    BillForm,
    CouncilForm,
    DecisionForm,
    DocumentForm,
    FileOnlyForm,
    MeetingForm,
    MemberForm,
    MinutesApproveForm,
    MinutesForm,
    PdfForm,
    RecruitmentForm,
)
from keikaku.council.models import (
    Application,
    AssemblyMaterial,
    AssemblyReport,
    Bill,
    CouncilDocument,
    CouncilMember,
    Meeting,
    MeetingMaterial,
    PlanAdoption,
    Recruitment,
)
from keikaku.council.staff_crud import (
    Col,
    StaffCrud,
    edit_page,
    list_page,
    material_views,
    pdf_view,
    render_page,
)


def _yes_no(value: bool) -> str:
    return _("はい") if value else _("いいえ")


def _date(value: Any) -> str:
    return value.isoformat() if value else "—"


# --- council: overview and settings -----------------------------------------------------------


@rules.staff_required
def home(request: HttpRequest) -> HttpResponse:
    council = selectors.council_current()
    adoptions = PlanAdoption.objects.select_related("edition", "plan_bill").order_by(
        "-edition__start_fy"
    )
    return render_page(
        request,
        "council/staff/home.html",
        "council_home",
        {
            "council": council,
            "counts": {
                "members": CouncilMember.objects.count(),
                "recruitments": Recruitment.objects.count(),
                "applications": Application.objects.count(),
                "meetings": Meeting.objects.count(),
                "documents": CouncilDocument.objects.count(),
                "assembly_reports": AssemblyReport.objects.count(),
                "bills": Bill.objects.count(),
            },
            "adoptions": adoptions,
        },
    )


@rules.staff_required
def council_settings(request: HttpRequest) -> HttpResponse:
    council = selectors.council_current()
    return edit_page(
        request,
        form_class=CouncilForm,
        obj=council,
        allowed=rules.can_manage_council(request.user),
        title=_("審議会の設定"),
        nav="council_home",
        list_url=reverse("staff:council_home"),
        list_label=_("まちづくり審議会・市議会"),
        success_url=lambda o: reverse("staff:council_home"),
    )


# --- members ----------------------------------------------------------------------------------


def _member_cells(m: CouncilMember, now: dt.datetime) -> list[Any]:
    term = f"{_date(m.term_start)} ～ {_date(m.term_end) if m.term_end else ''}"
    return [
        m.name,
        m.get_category_display(),
        m.affiliation or "—",
        m.get_position_display(),
        term,
        _yes_no(m.is_published),
    ]


MEMBERS = StaffCrud(
    name="council_member",
    model=CouncilMember,
    form_class=MemberForm,
    allowed=rules.can_manage_council,
    label=gettext_lazy("審議会委員"),
    new_label=gettext_lazy("委員を追加"),
    queryset=selectors.member_list,
    listing=selectors.MEMBERS,
    columns=(
        Col(gettext_lazy("氏名"), "name"),
        Col(gettext_lazy("区分"), "category"),
        Col(gettext_lazy("所属・推薦団体")),
        Col(gettext_lazy("役職")),
        Col(gettext_lazy("任期"), "term"),
        Col(gettext_lazy("公開")),
    ),
    cells=_member_cells,
    in_council=True,
    back_to_list=True,
)
member_list = MEMBERS.list_view()
member_edit = MEMBERS.edit_view()
member_delete = MEMBERS.delete_view()


# --- recruitment and applications -------------------------------------------------------------


def _recruitment_cells(r: Recruitment, now: dt.datetime) -> list[Any]:
    return [
        r.title,
        timezone.localtime(r.starts_at).strftime("%Y-%m-%d %H:%M"),
        timezone.localtime(r.ends_at).strftime("%Y-%m-%d %H:%M"),
        call_state_label(services.recruitment_state(r, now)),
        getattr(r, "n_applications", 0),
    ]


def _recruitment_context(recruitment: Recruitment | None, council: Any) -> dict[str, Any]:
    return {
        "state": services.recruitment_state(recruitment) if recruitment else "",
        "n_applications": recruitment.applications.count() if recruitment else 0,
    }


RECRUITMENTS = StaffCrud(
    name="council_recruitment",
    model=Recruitment,
    form_class=RecruitmentForm,
    allowed=rules.can_manage_council,
    label=gettext_lazy("委員の公募"),
    new_label=gettext_lazy("公募を追加"),
    queryset=selectors.recruitment_list,
    listing=selectors.RECRUITMENTS,
    columns=(
        Col(gettext_lazy("募集の名称"), "title"),
        Col(gettext_lazy("募集開始"), "starts"),
        Col(gettext_lazy("締切"), "ends"),
        Col(gettext_lazy("状態")),
        Col(gettext_lazy("応募数"), numeric=True),
    ),
    cells=_recruitment_cells,
    intro=gettext_lazy(
        "締切は日本時間で判定します。締切の時刻を過ぎたウェブからの応募は受け付けません。"
    ),
    template="council/staff/recruitment.html",
    in_council=True,
    deletable=False,
    context=_recruitment_context,
)
recruitment_list = RECRUITMENTS.list_view()
recruitment_edit = RECRUITMENTS.edit_view()


MASK = "＊＊＊"


@rules.staff_required
def application_list(request: HttpRequest, pk: int) -> HttpResponse:
    require(rules.can_view_applications(request.user))
    recruitment = get_object_or_404(Recruitment, pk=pk)
    keys = [
        k
        for k in Application.objects.filter(recruitment=recruitment)
        .exclude(applicant_key="")
        .values_list("applicant_key", flat=True)
    ]
    duplicated = {k for k in keys if keys.count(k) > 1}

    def row(a: Application) -> tuple[str, list[Any]]:
        return reverse("staff:council_application", args=[a.pk]), [
            a.receipt_number,
            timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M"),
            MASK,
            a.get_eligibility_display(),
            a.essay_chars,
            a.get_status_display(),
            _("重複の可能性") if a.applicant_key in duplicated else "",
        ]

    return list_page(
        request,
        selectors.application_list(recruitment=recruitment),
        selectors.APPLICATIONS,
        columns=[
            Col(gettext_lazy("受付番号"), "receipt"),
            Col(gettext_lazy("受付日時"), "received"),
            Col(gettext_lazy("氏名")),
            Col(gettext_lazy("市との関わり")),
            Col(gettext_lazy("作文の字数"), numeric=True),
            Col(gettext_lazy("選考の結果"), "status"),
            Col(gettext_lazy("確認")),
        ],
        row=row,
        title=_("「%(title)s」への応募") % {"title": recruitment.title},
        nav="council_recruitments",
        intro=_(
            "氏名などの個人情報は一覧に表示しません。応募の画面から、権限のある職員だけが見られます（見たことは記録されます）。"
        ),
        breadcrumbs=[
            (reverse("staff:council_recruitments"), _("委員の公募")),
            (reverse("staff:council_recruitment", args=[recruitment.pk]), recruitment.title),
        ],
    )


@rules.staff_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(rules.can_view_applications(request.user))
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.application_decide(
                    application=application,
                    actor=request.user,
                    status=data["status"],
                    decided_on=data.get("decided_on"),
                    score=data.get("score"),
                    note=data.get("note") or "",
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            except services.CouncilError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("選考の記録を保存しました。"))
                return redirect("staff:council_application", pk=application.pk)
    else:
        form = DecisionForm(
            initial={
                "status": application.status,
                "decided_on": application.decided_on or timezone.localdate(),
                "score": application.score,
                "note": application.decision_note,
            }
        )
    member = CouncilMember.objects.filter(application=application).first()
    appoint_form = AppointForm(initial={"term_start": timezone.localdate()})
    return render_page(
        request,
        "council/staff/application.html",
        "council_recruitments",
        {
            "application": application,
            "recruitment": application.recruitment,
            "form": form,
            "appoint_form": appoint_form,
            "member": member,
            "duplicates": services.possible_duplicates(application=application),
            "age_band": age_band_label(application.age_band) if application.age_band else "",
            "mask": MASK,
        },
    )


@rules.staff_required
def application_personal(request: HttpRequest, pk: int) -> HttpResponse:
    require(rules.can_view_personal_data(request.user))
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    personal = services.applicant_personal_view(
        application=application,
        actor=request.user,
        purpose=request.GET.get("purpose", "")[:200],
    )
    response = render_page(
        request,
        "council/staff/personal.html",
        "council_recruitments",
        {"application": application, "personal": personal},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@rules.staff_required
def application_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    require(rules.can_view_personal_data(request.user))
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    form = AppointForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("任期の始まりを入力してください。"))
        return redirect("staff:council_application", pk=application.pk)
    try:
        member = services.member_appoint(
            application=application,
            actor=request.user,
            term_start=form.cleaned_data["term_start"],
            term_end=form.cleaned_data.get("term_end"),
            position=form.cleaned_data["position"],
        )
    except (services.CouncilError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return redirect("staff:council_application", pk=application.pk)
    messages.success(
        request, _("「%(name)s」さんを公募委員として登録しました。") % {"name": member}
    )
    return redirect("staff:council_member", pk=member.pk)


# --- meetings ---------------------------------------------------------------------------------


def _meeting_cells(m: Meeting, now: dt.datetime) -> list[Any]:
    minutes = getattr(m, "minutes", None)
    if minutes is None:
        minutes_state = _("未登録")
    elif minutes.is_published:
        minutes_state = _("公開中")
    else:
        minutes_state = minutes.get_status_display()
    return [
        str(m),
        m.held_on.isoformat(),
        m.place or "—",
        _("公開") if m.is_open else _("非公開"),
        getattr(m, "n_materials", 0),
        minutes_state,
        _yes_no(m.is_published),
    ]


def _meeting_context(meeting: Meeting | None, council: Any) -> dict[str, Any]:
    if meeting is None:
        number = Meeting.objects.filter(council=council).order_by("-number").first()
        return {"initial_number": (number.number + 1) if number else 1}
    members = services.members_in_term(meeting=meeting)
    rows = {a.member_id: a.present for a in meeting.attendance.all()}
    return {
        "materials": list(meeting.materials.all()),
        "material_form": PdfForm(),
        "attendance_form": AttendanceForm(
            members=members,
            initial={"present": [str(k) for k, v in rows.items() if v]},
        ),
        "attendance_recorded": bool(rows),
        "attendance": attendance_summary(
            [rows[m.pk] for m in members if m.pk in rows], council.seats
        ),
        "minutes": services.minutes_of(meeting),
    }


MEETINGS = StaffCrud(
    name="council_meeting",
    model=Meeting,
    form_class=MeetingForm,
    allowed=rules.can_manage_council,
    label=gettext_lazy("審議会の会議"),
    new_label=gettext_lazy("会議を追加"),
    queryset=selectors.meeting_list,
    listing=selectors.MEETINGS,
    columns=(
        Col(gettext_lazy("会議"), "number"),
        Col(gettext_lazy("開催日"), "held"),
        Col(gettext_lazy("場所")),
        Col(gettext_lazy("会議の公開")),
        Col(gettext_lazy("資料"), numeric=True),
        Col(gettext_lazy("議事録")),
        Col(gettext_lazy("サイトに掲載")),
    ),
    cells=_meeting_cells,
    template="council/staff/meeting.html",
    select_related=("council",),
    in_council=True,
    context=_meeting_context,
    new_initial=lambda context: {"number": context["initial_number"]},
)
meeting_list = MEETINGS.list_view()
meeting_edit = MEETINGS.edit_view()
meeting_delete = MEETINGS.delete_view()
meeting_material_add, meeting_material_remove = material_views(
    owner=Meeting,
    material=MeetingMaterial,
    owner_field="meeting",
    allowed=rules.can_manage_council,
    add=services.meeting_material_add,
    remove=services.meeting_material_remove,
    page="staff:council_meeting",
)


@require_POST
@rules.staff_required
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    require(rules.can_manage_council(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    form = AttendanceForm(request.POST, members=services.members_in_term(meeting=meeting))
    if form.is_valid():
        try:
            services.attendance_set(
                meeting=meeting,
                present_ids=[int(v) for v in form.cleaned_data["present"]],
                actor=request.user,
            )
        except services.CouncilError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("出欠を保存しました。"))
    else:
        messages.error(request, _("出席した委員を選び直してください。"))
    return redirect(reverse("staff:council_meeting", args=[meeting.pk]) + "#attendance-h")


@rules.staff_required
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("council"), pk=pk)
    minutes = services.minutes_of(meeting)
    allowed = rules.can_manage_council(request.user)
    if request.method == "POST":
        require(allowed)
        form = MinutesForm(request.POST)
        if form.is_valid():
            with Written(form=form) as written:
                services.minutes_save(
                    meeting=meeting,
                    actor=request.user,
                    body=form.cleaned_data["body"].replace("\r\n", "\n"),
                    expected_version=form.cleaned_data.get("version"),
                )
            if written.ok:
                messages.success(request, _("議事録を保存しました。"))
                return redirect("staff:council_minutes", pk=meeting.pk)
    else:
        form = MinutesForm(
            initial={
                "body": minutes.body if minutes else "",
                "version": minutes.version if minutes else None,
            }
        )
    return render_page(
        request,
        "council/staff/minutes.html",
        "council_meetings",
        {
            "meeting": meeting,
            "minutes": minutes,
            "form": form,
            "file_form": FileOnlyForm(),
            "approve_form": MinutesApproveForm(initial={"approved_on": timezone.localdate()}),
            "can_edit": allowed,
        },
    )


minutes_file = pdf_view(
    model=Meeting,
    owner_field="meeting",
    allowed=rules.can_manage_council,
    store=services.minutes_file_set,
    done=gettext_lazy("議事録のPDFを登録しました。確認済にしてから公開してください。"),
    page="staff:council_minutes",
)


@require_POST
@rules.staff_required
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    require(rules.can_manage_council(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    minutes = services.minutes_of(meeting)
    form = MinutesApproveForm(request.POST)
    if minutes is None:
        messages.error(request, _("議事録がまだ登録されていません。"))
    elif not form.is_valid():
        messages.error(request, _("確認日を入力してください。"))
    else:
        try:
            services.minutes_approve(
                minutes=minutes,
                actor=request.user,
                approved_on=form.cleaned_data["approved_on"],
                note=form.cleaned_data.get("note") or "",
            )
        except (services.CouncilError, ValidationError) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("議事録を確認済にしました。"))
    return redirect("staff:council_minutes", pk=meeting.pk)


@require_POST
@rules.staff_required
def minutes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    require(rules.can_manage_council(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    minutes = services.minutes_of(meeting)
    if minutes is None:
        messages.error(request, _("議事録がまだ登録されていません。"))
        return redirect("staff:council_minutes", pk=meeting.pk)
    if request.POST.get("action") == "unpublish":
        services.minutes_unpublish(minutes=minutes, actor=request.user)
        messages.success(request, _("議事録の公開を止めました。"))
    else:
        try:
            services.minutes_publish(minutes=minutes, actor=request.user)
        except services.CouncilError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("議事録を公開しました。"))
    return redirect("staff:council_minutes", pk=meeting.pk)


# --- 諮問・答申 ---------------------------------------------------------------------------------


def _document_cells(d: CouncilDocument, now: dt.datetime) -> list[Any]:
    return [
        d.title,
        d.get_kind_display(),
        d.dated_on.isoformat(),
        d.addressee or "—",
        _("あり") if d.file_name else _("なし"),
        _yes_no(d.is_published),
    ]


DOCUMENTS = StaffCrud(
    name="council_document",
    model=CouncilDocument,
    form_class=DocumentForm,
    allowed=rules.can_manage_council,
    label=gettext_lazy("諮問・答申"),
    new_label=gettext_lazy("諮問・答申を追加"),
    queryset=selectors.document_list,
    listing=selectors.DOCUMENTS,
    columns=(
        Col(gettext_lazy("件名"), "title"),
        Col(gettext_lazy("種類"), "kind"),
        Col(gettext_lazy("日付"), "dated"),
        Col(gettext_lazy("宛先")),
        Col(gettext_lazy("PDF")),
        Col(gettext_lazy("公開")),
    ),
    cells=_document_cells,
    template="council/staff/document.html",
    in_council=True,
    context=lambda document, council: {"file_form": FileOnlyForm()},
)
document_list = DOCUMENTS.list_view()
document_edit = DOCUMENTS.edit_view()
document_delete = DOCUMENTS.delete_view()
document_file = pdf_view(
    model=CouncilDocument,
    owner_field="document",
    allowed=rules.can_manage_council,
    store=services.document_file_set,
    done=gettext_lazy("PDFを登録しました。"),
    page="staff:council_document",
)


# --- the assembly -----------------------------------------------------------------------------


def _assembly_report_cells(r: AssemblyReport, now: dt.datetime) -> list[Any]:
    return [
        r.title,
        r.reported_on.isoformat(),
        r.committee,
        getattr(r, "n_materials", 0),
        _yes_no(r.is_published),
    ]


ASSEMBLY_REPORTS = StaffCrud(
    name="assembly_report",
    model=AssemblyReport,
    form_class=AssemblyReportForm,
    allowed=rules.can_manage_assembly,
    label=gettext_lazy("議会への報告"),
    new_label=gettext_lazy("報告を追加"),
    queryset=selectors.assembly_report_list,
    listing=selectors.ASSEMBLY_REPORTS,
    columns=(
        Col(gettext_lazy("件名"), "title"),
        Col(gettext_lazy("報告日"), "reported"),
        Col(gettext_lazy("報告した会議"), "committee"),
        Col(gettext_lazy("資料"), numeric=True),
        Col(gettext_lazy("公開")),
    ),
    cells=_assembly_report_cells,
    template="council/staff/assembly_report.html",
    context=lambda report, council: {
        "materials": list(report.materials.all()) if report else [],
        "material_form": PdfForm(),
    },
)
assembly_report_list = ASSEMBLY_REPORTS.list_view()
assembly_report_edit = ASSEMBLY_REPORTS.edit_view()
assembly_report_delete = ASSEMBLY_REPORTS.delete_view()
assembly_material_add, assembly_material_remove = material_views(
    owner=AssemblyReport,
    material=AssemblyMaterial,
    owner_field="report",
    allowed=rules.can_manage_assembly,
    add=services.assembly_material_add,
    remove=services.assembly_material_remove,
    page="staff:assembly_report",
)


def _bill_cells(b: Bill, now: dt.datetime) -> list[Any]:
    return [
        b.number,
        b.title,
        _date(b.submitted_on),
        _date(b.vote_on),
        result_label(b.result),
        vote_summary(b.votes_for, b.votes_against) or "—",
        _yes_no(b.is_published),
    ]


def _bill_context(bill: Bill | None, council: Any) -> dict[str, Any]:
    adoption = (
        PlanAdoption.objects.filter(edition_id=bill.edition_id).first()
        if bill and bill.edition_id
        else None
    )
    return {"adoption": adoption}


BILLS = StaffCrud(
    name="assembly_bill",
    model=Bill,
    form_class=BillForm,
    allowed=rules.can_manage_assembly,
    label=gettext_lazy("議案"),
    new_label=gettext_lazy("議案を追加"),
    queryset=selectors.bill_list,
    listing=selectors.BILLS,
    columns=(
        Col(gettext_lazy("議案番号"), "number"),
        Col(gettext_lazy("件名")),
        Col(gettext_lazy("提出日"), "submitted"),
        Col(gettext_lazy("議決日"), "vote"),
        Col(gettext_lazy("結果"), "result"),
        Col(gettext_lazy("賛否")),
        Col(gettext_lazy("公開")),
    ),
    cells=_bill_cells,
    intro=gettext_lazy(
        "基本計画の議案を「原案可決」または「修正可決」にすると、その基本計画は「議決済」になります。"
    ),
    template="council/staff/bill.html",
    context=_bill_context,
    # a bill's writes also keep the plan's adoption (議決済 …) in step with its result
    create=lambda *, obj, actor: services.bill_create(bill=obj, actor=actor),
    update=lambda *, obj, **kwargs: services.bill_update(bill=obj, **kwargs),
    delete=lambda *, obj, actor: services.bill_delete(bill=obj, actor=actor),
)
bill_list = BILLS.list_view()
bill_edit = BILLS.edit_view()
bill_delete = BILLS.delete_view()
