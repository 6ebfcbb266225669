"""Public pages of the council (/council/) and the assembly (/assembly/).

They read published records only, through :mod:`keikaku.council.api`. Pages without forms are
cached on the public content version; the application form, its confirmation and the receipt
are never cached. Every POST of the form passes a per-client rate limit, the honeypot and the
form checks, and a confirmation step comes before anything is stored.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from keikaku.core.cache import public_page_cache
from keikaku.council import api, services
from keikaku.council.domain.meetings import term_covers
from keikaku.council.forms import ApplicationForm
from keikaku.council.models import Application, MemberCategory, Recruitment

NAV_COUNCIL = "council"
NAV_ASSEMBLY = "assembly"


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _client_ip(request: HttpRequest) -> str:
    header = getattr(settings, "KEIKAKU_CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        return str(request.META[header]).split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def _rate_limited(request: HttpRequest) -> int | None:
    """Count one POST of this client; the seconds to wait when over the limit, else None.
    Same settings as the other public forms (KEIKAKU_PUBLIC_FORM_RATE_LIMIT / _WINDOW)."""
    limit = int(getattr(settings, "KEIKAKU_PUBLIC_FORM_RATE_LIMIT", 30))
    window = max(1, int(getattr(settings, "KEIKAKU_PUBLIC_FORM_RATE_WINDOW", 600)))
    if limit <= 0:
        return None
    now = int(time.time())
    start = now - now % window
    key = f"ratelimit:council:{_client_ip(request)}:{start}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return start + window - now if count > limit else None


def _file_response(ref: api.FileRef | None) -> FileResponse:
    if ref is None or not default_storage.exists(ref.storage_name):
        raise Http404(_("そのファイルは見つかりません。"))
    return FileResponse(
        default_storage.open(ref.storage_name, "rb"),
        content_type="application/pdf",
        filename=ref.download_name,
    )


# --- the council ------------------------------------------------------------------------------


def _council_or_404() -> api.PublicCouncil:
    council = api.council_public()
    if council is None:
        raise Http404(_("まちづくり審議会の情報はまだ公開されていません。"))
    return council


def council_index(request: HttpRequest) -> HttpResponse:
    # Not cached: it shows whether each call for members is open, which changes with the clock.
    council = _council_or_404()
    members = api.members_public()
    current = [m for m in members if m.is_current]
    latest_end = None
    if not current and members:
        # Between terms (or a record of a past term): show the members who served last.
        ends = [m.term_end for m in members if m.term_end is not None]
        latest_end = max(ends) if ends else None
        current = [
            m for m in members if latest_end and term_covers(m.term_start, m.term_end, latest_end)
        ]
    shown = {m.id for m in current}
    groups = [
        (label, [m for m in current if m.category == value])
        for value, label in MemberCategory.choices
    ]
    return render(
        request,
        "council/public/index.html",
        {
            "council": council,
            "member_groups": [(label, ms) for label, ms in groups if ms],
            "current_count": len(current),
            "latest_end": latest_end,
            "past_members": [m for m in members if m.id not in shown],
            "meetings": api.meetings_public(),
            "documents": api.documents_public(),
            "recruitments": api.recruitments_public(),
            "nav": NAV_COUNCIL,
        },
    )


@public_page_cache
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council_or_404()
    item = api.meeting_public(meeting_id=pk)
    if item is None:
        raise Http404(_("その会議は見つかりません。"))
    documents = [d for d in api.documents_public() if d.meeting_id == item.id]
    return render(
        request,
        "council/public/meeting.html",
        {"council": council, "meeting": item, "documents": documents, "nav": NAV_COUNCIL},
    )


@public_page_cache
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council_or_404()
    item = api.minutes_for_meeting(meeting_id=pk)
    if item is None:
        raise Http404(_("この会議の議事録はまだ公開されていません。"))
    return render(
        request,
        "council/public/minutes.html",
        {"council": council, "minutes": item, "nav": NAV_COUNCIL},
    )


@public_page_cache
def document(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council_or_404()
    item = api.document_public(document_id=pk)
    if item is None:
        raise Http404(_("その文書は見つかりません。"))
    return render(
        request,
        "council/public/document.html",
        {"council": council, "document": item, "nav": NAV_COUNCIL},
    )


def material(request: HttpRequest, pk: int, material_id: int) -> FileResponse:
    return _file_response(api.meeting_material_file(meeting_id=pk, material_id=material_id))


def minutes_file(request: HttpRequest, pk: int) -> FileResponse:
    return _file_response(api.minutes_file(meeting_id=pk))


def document_file(request: HttpRequest, pk: int) -> FileResponse:
    return _file_response(api.document_file(document_id=pk))


# --- recruitment (公募) -------------------------------------------------------------------------


def _recruitment_or_404(pk: int) -> tuple[api.PublicRecruitment, Recruitment]:
    item = api.recruitment_public(recruitment_id=pk)
    if item is None:
        raise Http404(_("その募集は見つかりません。"))
    return item, Recruitment.objects.get(pk=item.id)


@never_cache
def recruitment(request: HttpRequest, pk: int) -> HttpResponse:
    # Not cached: its state (募集前 → 募集中 → 募集終了) changes with the clock.
    council = _council_or_404()
    item, _row = _recruitment_or_404(pk)
    return render(
        request,
        "council/public/recruitment.html",
        {"council": council, "recruitment": item, "nav": NAV_COUNCIL},
    )


def _not_open(
    request: HttpRequest, item: api.PublicRecruitment, *, essay: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "council/public/closed.html",
        {"recruitment": item, "essay": essay, "nav": NAV_COUNCIL},
        status=status,
    )


def _too_many(request: HttpRequest, wait: int) -> HttpResponse:
    response = render(
        request,
        "council/public/rate_limited.html",
        {"minutes": max(1, (wait + 59) // 60), "nav": NAV_COUNCIL},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _eligibility_label(form: ApplicationForm) -> str:
    value = form.cleaned_data.get("eligibility")
    return str(dict(form.fields["eligibility"].choices).get(value, ""))  # type: ignore[attr-defined]


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    item, row = _recruitment_or_404(pk)
    template = "council/public/apply.html"
    context: dict[str, Any] = {"recruitment": item, "nav": NAV_COUNCIL}
    if request.method == "POST":
        wait = _rate_limited(request)
        if wait is not None:
            return _too_many(request, wait)
        if item.state != "open":
            return _not_open(request, item, essay=request.POST.get("essay", "")[:20000], status=403)
        form = ApplicationForm(request.POST, recruitment=row)
        valid = form.is_valid()
        if form.honeypot_filled:
            form.add_error(
                None,
                _(
                    "送信できませんでした。「ホームページ」の欄は空のままにして、もう一度送信してください。"
                ),
            )
            return render(request, template, {**context, "form": form}, status=400)
        action = request.POST.get("action", "confirm")
        if valid and action == "back":
            form = ApplicationForm(initial=form.cleaned_data, recruitment=row)
        elif valid and action == "submit":
            data = form.cleaned_data
            try:
                result = services.application_submit(
                    recruitment=row,
                    data=services.ApplicantInput(
                        name=data["name"],
                        name_kana=data["name_kana"],
                        birth_date=data["birth_date"],
                        address=data["address"],
                        phone=data["phone"],
                        email=data.get("email") or "",
                        occupation=data.get("occupation") or "",
                        eligibility=data["eligibility"],
                        essay=data["essay"],
                        other_roles=data.get("other_roles") or "",
                    ),
                    form_token=data["form_token"],
                )
            except (services.CallClosedError, services.CallNotOpenError):
                fresh = api.recruitment_public(recruitment_id=pk)
                return _not_open(request, fresh or item, essay=data["essay"], status=403)
            url = reverse("council:receipt", args=[result.application.submission_key])
            return _see_other(url + ("" if result.created else "?again=1"))
        elif valid:
            return render(
                request,
                "council/public/apply_confirm.html",
                {**context, "form": form, "eligibility_label": _eligibility_label(form)},
            )
    else:
        if item.state != "open":
            return _not_open(request, item)
        form = ApplicationForm(recruitment=row)
    return render(request, template, {**context, "form": form})


@never_cache
def receipt(request: HttpRequest, key: str) -> HttpResponse:
    """The receipt of an application: its number and time, never the applicant's data."""
    application = (
        Application.objects.select_related("recruitment").filter(submission_key=key).first()
        if len(key) == 64
        else None
    )
    if application is None:
        raise Http404(_("その受付の確認ページは見つかりません。"))
    item = api.recruitment_public(recruitment_id=application.recruitment_id)
    response = render(
        request,
        "council/public/receipt.html",
        {
            "application": application,
            "recruitment": item,
            "again": "again" in request.GET,
            "nav": NAV_COUNCIL,
            "now": timezone.now(),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


# --- the assembly -----------------------------------------------------------------------------


@public_page_cache
def assembly_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "council/public/assembly.html",
        {
            "adoptions": api.adoptions_public(),
            "reports": api.assembly_reports_public(),
            "bills": api.bills_public(),
            "nav": NAV_ASSEMBLY,
        },
    )


@public_page_cache
def bill(request: HttpRequest, pk: int) -> HttpResponse:
    item = api.bill_public(bill_id=pk)
    if item is None:
        raise Http404(_("その議案は見つかりません。"))
    adoption = api.edition_adoption(edition_id=item.edition_id) if item.edition_id else None
    return render(
        request,
        "council/public/bill.html",
        {"bill": item, "adoption": adoption, "nav": NAV_ASSEMBLY},
    )


@public_page_cache
def assembly_report(request: HttpRequest, pk: int) -> HttpResponse:
    item = api.assembly_report_public(report_id=pk)
    if item is None:
        raise Http404(_("その報告は見つかりません。"))
    return render(
        request,
        "council/public/assembly_report.html",
        {"report": item, "nav": NAV_ASSEMBLY},
    )


def assembly_material(request: HttpRequest, pk: int, material_id: int) -> FileResponse:
    return _file_response(api.assembly_material_file(report_id=pk, material_id=material_id))
