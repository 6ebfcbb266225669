"""Staff pages of the council and the assembly (/staff/council/…, /staff/assembly/…).

Lists have search, sort and paging; forms write through the audited services with optimistic
concurrency. Any staff member may read; editing needs ``council.manage_council`` or
``council.manage_assembly``; applicants' personal data needs its own permission and every view
of it is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from keikaku.core.services import StaleEditError
from keikaku.council import rules, selectors, services
from keikaku.council.domain.meetings import attendance_summary
from keikaku.council.domain.recruitment import age_band_label
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

PAGE_SIZE = 25


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("この操作を行う権限がありません。"))


def _render(request: HttpRequest, template: str, nav: str, context: dict[str, Any]) -> HttpResponse:
    return render(
        request,
        template,
        {
            "nav_slug": nav,
            "can_manage_council": rules.can_manage_council(request.user),
            "can_manage_assembly": rules.can_manage_assembly(request.user),
            "can_view_personal": rules.can_view_personal_data(request.user),
            **context,
        },
    )


def _attach(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _changes(form: Any) -> dict[str, Any]:
    return {
        name: form.cleaned_data[name] for name in form._meta.fields if name in form.cleaned_data
    }


def _save(
    request: HttpRequest,
    form: Any,
    obj: Model | None,
    *,
    extra: dict[str, Any] | None = None,
    create: Callable[..., Any] | None = None,
    update: Callable[..., Any] | None = None,
) -> Any:
    """Create or update through the audited services; model errors go back to the form."""
    changes = {**_changes(form), **(extra or {})}
    try:
        if obj is None:
            new = form._meta.model(**changes)
            return (create or services.object_create)(obj=new, actor=request.user)
        if update is not None:
            return update(
                bill=obj,
                actor=request.user,
                expected_version=form.cleaned_data.get("version"),
                changes=changes,
            )
        return services.object_update(
            obj=obj,
            actor=request.user,
            expected_version=form.cleaned_data.get("version"),
            changes=changes,
        )
    except StaleEditError as exc:
        form.add_error(None, str(exc))
    except ValidationError as exc:
        _attach(form, exc)
    return None


# --- generic list -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    label: Any
    sort: str | None = None
    numeric: bool = False


def _list(
    request: HttpRequest,
    qs: Any,
    listing: selectors.Listing,
    *,
    columns: list[Col],
    row: Callable[[Any], tuple[str, list[Any]]],
    title: Any,
    nav: str,
    new_url: str = "",
    new_label: Any = "",
    intro: str = "",
    breadcrumbs: list[tuple[str, Any]] | None = None,
) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    qs, sort = selectors.listed(qs, listing, q=q, sort=request.GET.get("sort", ""))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "council/staff/list.html",
        nav,
        {
            "title": title,
            "intro": intro,
            "columns": columns,
            "rows": [
                (url, list(zip(columns, cells, strict=True)))
                for url, cells in (row(obj) for obj in page.object_list)
            ],
            "page": page,
            "q": q,
            "sort": sort,
            "new_url": new_url,
            "new_label": new_label,
            "breadcrumbs": breadcrumbs or [],
        },
    )


def _edit(
    request: HttpRequest,
    *,
    form_class: type[Any],
    obj: Model | None,
    allowed: bool,
    title: Any,
    nav: str,
    list_url: str,
    list_label: Any,
    success_url: Callable[[Any], str],
    template: str = "council/staff/form.html",
    extra: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    form_kwargs: dict[str, Any] | None = None,
    create: Callable[..., Any] | None = None,
    update: Callable[..., Any] | None = None,
) -> HttpResponse:
    kwargs = form_kwargs or {}
    if request.method == "POST":
        _require(allowed)
        form = form_class(request.POST, instance=obj, **kwargs)
        if form.is_valid():
            saved = _save(request, form, obj, extra=extra, create=create, update=update)
            if saved is not None:
                messages.success(request, _("「%(obj)s」を保存しました。") % {"obj": saved})
                return redirect(success_url(saved))
    else:
        form = form_class(instance=obj, **kwargs)
    return _render(
        request,
        template,
        nav,
        {
            "form": form,
            "obj": obj,
            "title": title,
            "list_url": list_url,
            "list_label": list_label,
            "can_edit": allowed,
            **(context or {}),
        },
    )


def _no_council(request: HttpRequest) -> HttpResponse:
    """Records of the council need the council first: say so and open its settings."""
    messages.warning(
        request,
        _("まちづくり審議会がまだ登録されていません。先に「審議会の設定」で登録してください。"),
    )
    return redirect("staff:council_settings")


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
    return _render(
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
    return _edit(
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


@rules.staff_required
def member_list(request: HttpRequest) -> HttpResponse:
    def row(m: CouncilMember) -> tuple[str, list[Any]]:
        term = f"{_date(m.term_start)} ～ {_date(m.term_end) if m.term_end else ''}"
        return reverse("staff:council_member", args=[m.pk]), [
            m.name,
            m.get_category_display(),
            m.affiliation or "—",
            m.get_position_display(),
            term,
            _yes_no(m.is_published),
        ]

    return _list(
        request,
        selectors.member_list(),
        selectors.MEMBERS,
        columns=[
            Col(gettext_lazy("氏名"), "name"),
            Col(gettext_lazy("区分"), "category"),
            Col(gettext_lazy("所属・推薦団体")),
            Col(gettext_lazy("役職")),
            Col(gettext_lazy("任期"), "term"),
            Col(gettext_lazy("公開")),
        ],
        row=row,
        title=_("審議会委員"),
        nav="council_members",
        new_url=reverse("staff:council_member_new")
        if rules.can_manage_council(request.user)
        else "",
        new_label=_("委員を追加"),
    )


@rules.staff_required
def member_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    member = get_object_or_404(CouncilMember, pk=pk) if pk else None
    if member is None:
        _require(rules.can_manage_council(request.user))
    council = member.council if member else selectors.council_current()
    if council is None:
        return _no_council(request)
    return _edit(
        request,
        form_class=MemberForm,
        obj=member,
        allowed=rules.can_manage_council(request.user),
        title=member.name if member else _("委員を追加"),
        nav="council_members",
        list_url=reverse("staff:council_members"),
        list_label=_("審議会委員"),
        success_url=lambda o: reverse("staff:council_members"),
        extra={"council": council},
        context={
            "delete_url": reverse("staff:council_member_delete", args=[member.pk])
            if member
            else "",
        },
    )


def _delete(request: HttpRequest, obj: Model, allowed: bool, back: str) -> HttpResponse:
    _require(allowed)
    label = str(obj)
    try:
        if isinstance(obj, Bill):
            services.bill_delete(bill=obj, actor=request.user)
        else:
            services.object_delete(obj=obj, actor=request.user)
    except Exception as exc:  # ProtectedError and the like: say why, change nothing
        from django.db.models import ProtectedError

        if not isinstance(exc, ProtectedError):
            raise
        messages.error(
            request,
            _("「%(obj)s」は他の記録から参照されているため削除できません。") % {"obj": label},
        )
        return redirect(back)
    messages.success(request, _("「%(obj)s」を削除しました。") % {"obj": label})
    return redirect(back)


@require_POST
@rules.staff_required
def member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(CouncilMember, pk=pk)
    return _delete(
        request, member, rules.can_manage_council(request.user), reverse("staff:council_members")
    )


# --- recruitment and applications -------------------------------------------------------------


@rules.staff_required
def recruitment_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    from keikaku.council.domain.recruitment import call_state_label

    def row(r: Recruitment) -> tuple[str, list[Any]]:
        return reverse("staff:council_recruitment", args=[r.pk]), [
            r.title,
            timezone.localtime(r.starts_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(r.ends_at).strftime("%Y-%m-%d %H:%M"),
            call_state_label(services.recruitment_state(r, now)),
            getattr(r, "n_applications", 0),
        ]

    return _list(
        request,
        selectors.recruitment_list(),
        selectors.RECRUITMENTS,
        columns=[
            Col(gettext_lazy("募集の名称"), "title"),
            Col(gettext_lazy("募集開始"), "starts"),
            Col(gettext_lazy("締切"), "ends"),
            Col(gettext_lazy("状態")),
            Col(gettext_lazy("応募数"), numeric=True),
        ],
        row=row,
        title=_("委員の公募"),
        nav="council_recruitments",
        new_url=reverse("staff:council_recruitment_new")
        if rules.can_manage_council(request.user)
        else "",
        new_label=_("公募を追加"),
        intro=_("締切は日本時間で判定します。締切の時刻を過ぎたウェブからの応募は受け付けません。"),
    )


@rules.staff_required
def recruitment_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    recruitment = get_object_or_404(Recruitment, pk=pk) if pk else None
    if recruitment is None:
        _require(rules.can_manage_council(request.user))
    council = recruitment.council if recruitment else selectors.council_current()
    if council is None:
        return _no_council(request)
    return _edit(
        request,
        form_class=RecruitmentForm,
        obj=recruitment,
        allowed=rules.can_manage_council(request.user),
        title=recruitment.title if recruitment else _("公募を追加"),
        nav="council_recruitments",
        list_url=reverse("staff:council_recruitments"),
        list_label=_("委員の公募"),
        success_url=lambda o: reverse("staff:council_recruitment", args=[o.pk]),
        template="council/staff/recruitment.html",
        extra={"council": council},
        context={
            "state": services.recruitment_state(recruitment) if recruitment else "",
            "n_applications": recruitment.applications.count() if recruitment else 0,
        },
    )


MASK = "＊＊＊"


@rules.staff_required
def application_list(request: HttpRequest, pk: int) -> HttpResponse:
    _require(rules.can_view_applications(request.user))
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

    return _list(
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
    _require(rules.can_view_applications(request.user))
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
                _attach(form, exc)
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
    return _render(
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
    _require(rules.can_view_personal_data(request.user))
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    personal = services.applicant_personal_view(
        application=application,
        actor=request.user,
        purpose=request.GET.get("purpose", "")[:200],
    )
    response = _render(
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
    _require(rules.can_view_personal_data(request.user))
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
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("staff:council_application", pk=application.pk)
    messages.success(
        request, _("「%(name)s」さんを公募委員として登録しました。") % {"name": member}
    )
    return redirect("staff:council_member", pk=member.pk)


# --- meetings ---------------------------------------------------------------------------------


@rules.staff_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    def row(m: Meeting) -> tuple[str, list[Any]]:
        minutes = getattr(m, "minutes", None)
        if minutes is None:
            minutes_state = _("未登録")
        elif minutes.is_published:
            minutes_state = _("公開中")
        else:
            minutes_state = minutes.get_status_display()
        return reverse("staff:council_meeting", args=[m.pk]), [
            str(m),
            m.held_on.isoformat(),
            m.place or "—",
            _("公開") if m.is_open else _("非公開"),
            getattr(m, "n_materials", 0),
            minutes_state,
            _yes_no(m.is_published),
        ]

    return _list(
        request,
        selectors.meeting_list(),
        selectors.MEETINGS,
        columns=[
            Col(gettext_lazy("会議"), "number"),
            Col(gettext_lazy("開催日"), "held"),
            Col(gettext_lazy("場所")),
            Col(gettext_lazy("会議の公開")),
            Col(gettext_lazy("資料"), numeric=True),
            Col(gettext_lazy("議事録")),
            Col(gettext_lazy("サイトに掲載")),
        ],
        row=row,
        title=_("審議会の会議"),
        nav="council_meetings",
        new_url=reverse("staff:council_meeting_new")
        if rules.can_manage_council(request.user)
        else "",
        new_label=_("会議を追加"),
    )


@rules.staff_required
def meeting_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("council"), pk=pk) if pk else None
    if meeting is None:
        _require(rules.can_manage_council(request.user))
    council = meeting.council if meeting else selectors.council_current()
    if council is None:
        return _no_council(request)
    context: dict[str, Any] = {}
    if meeting is not None:
        members = services.members_in_term(meeting=meeting)
        rows = {a.member_id: a.present for a in meeting.attendance.all()}
        context = {
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
            "delete_url": reverse("staff:council_meeting_delete", args=[meeting.pk]),
        }
    else:
        number = Meeting.objects.filter(council=council).order_by("-number").first()
        context = {"initial_number": (number.number + 1) if number else 1}
    return _edit(
        request,
        form_class=MeetingForm,
        obj=meeting,
        allowed=rules.can_manage_council(request.user),
        title=str(meeting) if meeting else _("会議を追加"),
        nav="council_meetings",
        list_url=reverse("staff:council_meetings"),
        list_label=_("審議会の会議"),
        success_url=lambda o: reverse("staff:council_meeting", args=[o.pk]),
        template="council/staff/meeting.html",
        extra={"council": council},
        context=context,
        form_kwargs={} if meeting else {"initial": {"number": context["initial_number"]}},
    )


@require_POST
@rules.staff_required
def meeting_delete(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    return _delete(
        request, meeting, rules.can_manage_council(request.user), reverse("staff:council_meetings")
    )


@require_POST
@rules.staff_required
def meeting_material_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require(rules.can_manage_council(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    form = PdfForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.meeting_material_add(
                meeting=meeting,
                title=form.cleaned_data["title"],
                filename=upload.name,
                data=upload.read(),
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("資料を登録しました。"))
    else:
        messages.error(request, _("資料名とファイル（PDF）を入力してください。"))
    return redirect(reverse("staff:council_meeting", args=[meeting.pk]) + "#materials-h")


@require_POST
@rules.staff_required
def meeting_material_remove(request: HttpRequest, pk: int, material_id: int) -> HttpResponse:
    _require(rules.can_manage_council(request.user))
    material = get_object_or_404(MeetingMaterial, meeting_id=pk, pk=material_id)
    services.meeting_material_remove(material=material, actor=request.user)
    messages.success(request, _("資料「%(t)s」を削除しました。") % {"t": material.title})
    return redirect(reverse("staff:council_meeting", args=[pk]) + "#materials-h")


@require_POST
@rules.staff_required
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    _require(rules.can_manage_council(request.user))
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
        _require(allowed)
        form = MinutesForm(request.POST)
        if form.is_valid():
            try:
                services.minutes_save(
                    meeting=meeting,
                    actor=request.user,
                    body=form.cleaned_data["body"].replace("\r\n", "\n"),
                    expected_version=form.cleaned_data.get("version"),
                )
            except StaleEditError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("議事録を保存しました。"))
                return redirect("staff:council_minutes", pk=meeting.pk)
    else:
        form = MinutesForm(
            initial={
                "body": minutes.body if minutes else "",
                "version": minutes.version if minutes else None,
            }
        )
    return _render(
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


@require_POST
@rules.staff_required
def minutes_file(request: HttpRequest, pk: int) -> HttpResponse:
    _require(rules.can_manage_council(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    form = FileOnlyForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.minutes_file_set(
                meeting=meeting, filename=upload.name, data=upload.read(), actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("議事録のPDFを登録しました。確認済にしてから公開してください。")
            )
    else:
        messages.error(request, _("ファイル（PDF）を選んでください。"))
    return redirect("staff:council_minutes", pk=meeting.pk)


@require_POST
@rules.staff_required
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    _require(rules.can_manage_council(request.user))
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
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("議事録を確認済にしました。"))
    return redirect("staff:council_minutes", pk=meeting.pk)


@require_POST
@rules.staff_required
def minutes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _require(rules.can_manage_council(request.user))
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


@rules.staff_required
def document_list(request: HttpRequest) -> HttpResponse:
    def row(d: CouncilDocument) -> tuple[str, list[Any]]:
        return reverse("staff:council_document", args=[d.pk]), [
            d.title,
            d.get_kind_display(),
            d.dated_on.isoformat(),
            d.addressee or "—",
            _("あり") if d.file_name else _("なし"),
            _yes_no(d.is_published),
        ]

    return _list(
        request,
        selectors.document_list(),
        selectors.DOCUMENTS,
        columns=[
            Col(gettext_lazy("件名"), "title"),
            Col(gettext_lazy("種類"), "kind"),
            Col(gettext_lazy("日付"), "dated"),
            Col(gettext_lazy("宛先")),
            Col(gettext_lazy("PDF")),
            Col(gettext_lazy("公開")),
        ],
        row=row,
        title=_("諮問・答申"),
        nav="council_documents",
        new_url=reverse("staff:council_document_new")
        if rules.can_manage_council(request.user)
        else "",
        new_label=_("諮問・答申を追加"),
    )


@rules.staff_required
def document_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    document = get_object_or_404(CouncilDocument, pk=pk) if pk else None
    if document is None:
        _require(rules.can_manage_council(request.user))
    council = document.council if document else selectors.council_current()
    if council is None:
        return _no_council(request)
    return _edit(
        request,
        form_class=DocumentForm,
        obj=document,
        allowed=rules.can_manage_council(request.user),
        title=document.title if document else _("諮問・答申を追加"),
        nav="council_documents",
        list_url=reverse("staff:council_documents"),
        list_label=_("諮問・答申"),
        success_url=lambda o: reverse("staff:council_document", args=[o.pk]),
        template="council/staff/document.html",
        extra={"council": council},
        context={
            "file_form": FileOnlyForm(),
            "delete_url": reverse("staff:council_document_delete", args=[document.pk])
            if document
            else "",
        },
    )


@require_POST
@rules.staff_required
def document_file(request: HttpRequest, pk: int) -> HttpResponse:
    _require(rules.can_manage_council(request.user))
    document = get_object_or_404(CouncilDocument, pk=pk)
    form = FileOnlyForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.document_file_set(
                document=document, filename=upload.name, data=upload.read(), actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("PDFを登録しました。"))
    else:
        messages.error(request, _("ファイル（PDF）を選んでください。"))
    return redirect("staff:council_document", pk=document.pk)


@require_POST
@rules.staff_required
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(CouncilDocument, pk=pk)
    return _delete(
        request,
        document,
        rules.can_manage_council(request.user),
        reverse("staff:council_documents"),
    )


# --- the assembly -----------------------------------------------------------------------------


@rules.staff_required
def assembly_report_list(request: HttpRequest) -> HttpResponse:
    def row(r: AssemblyReport) -> tuple[str, list[Any]]:
        return reverse("staff:assembly_report", args=[r.pk]), [
            r.title,
            r.reported_on.isoformat(),
            r.committee,
            getattr(r, "n_materials", 0),
            _yes_no(r.is_published),
        ]

    return _list(
        request,
        selectors.assembly_report_list(),
        selectors.ASSEMBLY_REPORTS,
        columns=[
            Col(gettext_lazy("件名"), "title"),
            Col(gettext_lazy("報告日"), "reported"),
            Col(gettext_lazy("報告した会議"), "committee"),
            Col(gettext_lazy("資料"), numeric=True),
            Col(gettext_lazy("公開")),
        ],
        row=row,
        title=_("議会への報告"),
        nav="assembly_reports",
        new_url=reverse("staff:assembly_report_new")
        if rules.can_manage_assembly(request.user)
        else "",
        new_label=_("報告を追加"),
    )


@rules.staff_required
def assembly_report_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    report = get_object_or_404(AssemblyReport, pk=pk) if pk else None
    if report is None:
        _require(rules.can_manage_assembly(request.user))
    return _edit(
        request,
        form_class=AssemblyReportForm,
        obj=report,
        allowed=rules.can_manage_assembly(request.user),
        title=report.title if report else _("報告を追加"),
        nav="assembly_reports",
        list_url=reverse("staff:assembly_reports"),
        list_label=_("議会への報告"),
        success_url=lambda o: reverse("staff:assembly_report", args=[o.pk]),
        template="council/staff/assembly_report.html",
        context={
            "materials": list(report.materials.all()) if report else [],
            "material_form": PdfForm(),
            "delete_url": reverse("staff:assembly_report_delete", args=[report.pk])
            if report
            else "",
        },
    )


@require_POST
@rules.staff_required
def assembly_report_delete(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(AssemblyReport, pk=pk)
    return _delete(
        request, report, rules.can_manage_assembly(request.user), reverse("staff:assembly_reports")
    )


@require_POST
@rules.staff_required
def assembly_material_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require(rules.can_manage_assembly(request.user))
    report = get_object_or_404(AssemblyReport, pk=pk)
    form = PdfForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.assembly_material_add(
                report=report,
                title=form.cleaned_data["title"],
                filename=upload.name,
                data=upload.read(),
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("資料を登録しました。"))
    else:
        messages.error(request, _("資料名とファイル（PDF）を入力してください。"))
    return redirect(reverse("staff:assembly_report", args=[report.pk]) + "#materials-h")


@require_POST
@rules.staff_required
def assembly_material_remove(request: HttpRequest, pk: int, material_id: int) -> HttpResponse:
    _require(rules.can_manage_assembly(request.user))
    material = get_object_or_404(AssemblyMaterial, report_id=pk, pk=material_id)
    services.assembly_material_remove(material=material, actor=request.user)
    messages.success(request, _("資料「%(t)s」を削除しました。") % {"t": material.title})
    return redirect(reverse("staff:assembly_report", args=[pk]) + "#materials-h")


@rules.staff_required
def bill_list(request: HttpRequest) -> HttpResponse:
    from keikaku.council.domain.bills import result_label, vote_summary

    def row(b: Bill) -> tuple[str, list[Any]]:
        return reverse("staff:assembly_bill", args=[b.pk]), [
            b.number,
            b.title,
            _date(b.submitted_on),
            _date(b.vote_on),
            result_label(b.result),
            vote_summary(b.votes_for, b.votes_against) or "—",
            _yes_no(b.is_published),
        ]

    return _list(
        request,
        selectors.bill_list(),
        selectors.BILLS,
        columns=[
            Col(gettext_lazy("議案番号"), "number"),
            Col(gettext_lazy("件名")),
            Col(gettext_lazy("提出日"), "submitted"),
            Col(gettext_lazy("議決日"), "vote"),
            Col(gettext_lazy("結果"), "result"),
            Col(gettext_lazy("賛否")),
            Col(gettext_lazy("公開")),
        ],
        row=row,
        title=_("議案"),
        nav="assembly_bills",
        new_url=reverse("staff:assembly_bill_new")
        if rules.can_manage_assembly(request.user)
        else "",
        new_label=_("議案を追加"),
        intro=_(
            "基本計画の議案を「原案可決」または「修正可決」にすると、その基本計画は「議決済」になります。"
        ),
    )


@rules.staff_required
def bill_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    bill = get_object_or_404(Bill, pk=pk) if pk else None
    if bill is None:
        _require(rules.can_manage_assembly(request.user))
    adoption = (
        PlanAdoption.objects.filter(edition_id=bill.edition_id).first()
        if bill and bill.edition_id
        else None
    )
    return _edit(
        request,
        form_class=BillForm,
        obj=bill,
        allowed=rules.can_manage_assembly(request.user),
        title=str(bill) if bill else _("議案を追加"),
        nav="assembly_bills",
        list_url=reverse("staff:assembly_bills"),
        list_label=_("議案"),
        success_url=lambda o: reverse("staff:assembly_bill", args=[o.pk]),
        template="council/staff/bill.html",
        context={
            "adoption": adoption,
            "delete_url": reverse("staff:assembly_bill_delete", args=[bill.pk]) if bill else "",
        },
        create=lambda obj, actor: services.bill_create(bill=obj, actor=actor),
        update=services.bill_update,
    )


@require_POST
@rules.staff_required
def bill_delete(request: HttpRequest, pk: int) -> HttpResponse:
    bill = get_object_or_404(Bill, pk=pk)
    return _delete(
        request, bill, rules.can_manage_assembly(request.user), reverse("staff:assembly_bills")
    )
