"""Public pages of citizens' voices (/participation/): the proposal box, public comment
rounds (read the draft, comment on the whole, a section or a paragraph), receipts, results.

Pages with forms are never cached. Every POST passes the per-client rate limit, the
honeypot and the form checks; a confirmation step comes before anything is stored.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from keikaku.core.cache import public_page_cache
from keikaku.participation import exports, ratelimit, selectors, services
from keikaku.participation.forms import CommentForm, ProposalForm
from keikaku.participation.models import (
    ROUND_CHANNELS,
    Channel,
    PublicCommentRound,
    RoundMaterial,
    Source,
    TargetKind,
)
from keikaku.plans import api as plans_api
from keikaku.plans.models import Measure

NAV = "participation"


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _too_many(request: HttpRequest, wait: int) -> HttpResponse:
    minutes = max(1, (wait + 59) // 60)
    response = render(
        request,
        "participation/rate_limited.html",
        {"minutes": minutes, "nav": NAV},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _honeypot_message() -> str:
    return _(
        "送信できませんでした。「ホームページ」の欄は空のままにして、もう一度送信してください。"
    )


# --- index ------------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rounds = [(r, services.round_state(r, now)) for r in selectors.round_public_list()]
    return render(
        request,
        "participation/index.html",
        {
            "open_rounds": [r for r, s in rounds if s == "open"],
            "upcoming_rounds": [r for r, s in rounds if s == "upcoming"],
            "closed_rounds": [r for r, s in rounds if s == "closed"],
            "nav": NAV,
        },
    )


# --- proposal box -----------------------------------------------------------------------------


def _proposal_targets() -> tuple[list[Any], dict[str, dict[str, Any]]]:
    """Choices of the proposal form from the published plan: areas and their measures."""
    edition = plans_api.public_edition()
    if edition is None:
        return [], {}
    areas = sorted(
        plans_api.published_pages(edition_id=edition.id, kind="area"), key=lambda a: a["number"]
    )
    measures = {
        m["code"]: m for m in plans_api.published_pages(edition_id=edition.id, kind="measure")
    }
    choices: list[Any] = []
    lookup: dict[str, dict[str, Any]] = {}
    for area in areas:
        group = [(f"area:{area['number']}", _("%(title)s（分野全体）") % {"title": area["title"]})]
        lookup[f"area:{area['number']}"] = {"topic": area["title"]}
        for m in area["measures"]:
            value = f"measure:{m['code']}"
            group.append((value, f"{m['code']} {m['title']}"))
            page = measures.get(m["code"], {})
            lookup[value] = {"measure_id": page.get("id"), "topic": f"{m['code']} {m['title']}"}
        choices.append((f"{area['number']}. {area['title']}", group))
    return choices, lookup


def _proposal_input(form: ProposalForm, lookup: dict[str, dict[str, Any]]) -> services.OpinionInput:
    data = form.cleaned_data
    target = lookup.get(data.get("target") or "", {})
    measure = None
    if target.get("measure_id"):
        measure = Measure.objects.filter(pk=target["measure_id"]).first()
    return services.OpinionInput(
        source=Source.PROPOSAL,
        channel=Channel.WEB_PROPOSAL,
        text=data["text"],
        target_kind=TargetKind.MEASURE if measure else TargetKind.WHOLE,
        target_measure=measure,
        topic="" if measure else target.get("topic", ""),
        eligibility=data.get("eligibility") or "",
        age_band=data.get("age_band") or "",
        district=data.get("district") or "",
        personal=services.PersonalInput(
            name=data.get("name") or "",
            address=data.get("address") or "",
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            wants_reply=bool(data.get("wants_reply")),
        ),
    )


def _choice_label(form: Any, name: str) -> str:
    value = form.cleaned_data.get(name)
    if not value:
        return ""
    for key, label in form.fields[name].choices:
        if isinstance(label, list | tuple):
            for k2, l2 in label:
                if k2 == value:
                    return str(l2)
        elif key == value:
            return str(label)
    return str(value)


@never_cache
@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest) -> HttpResponse:
    choices, lookup = _proposal_targets()
    template = "participation/proposal_form.html"
    context: dict[str, Any] = {"nav": NAV}
    if request.method == "POST":
        wait = ratelimit.hit(request)
        if wait is not None:
            return _too_many(request, wait)
        form = ProposalForm(request.POST, target_choices=choices)
        valid = form.is_valid()
        if form.honeypot_filled:
            form.add_error(None, _honeypot_message())
            return render(request, template, {**context, "form": form}, status=400)
        action = request.POST.get("action", "confirm")
        if valid and action == "back":
            form = ProposalForm(initial=form.cleaned_data, target_choices=choices)
        elif valid and action == "submit":
            result = services.opinion_submit(
                data=_proposal_input(form, lookup), form_token=form.cleaned_data["form_token"]
            )
            url = reverse("participation:receipt", args=[result.opinion.submission_key])
            return _see_other(url + ("" if result.created else "?again=1"))
        elif valid:
            return render(
                request,
                "participation/proposal_confirm.html",
                {
                    **context,
                    "form": form,
                    "target_label": _choice_label(form, "target"),
                    "eligibility_label": _choice_label(form, "eligibility"),
                    "age_label": _choice_label(form, "age_band"),
                },
            )
    else:
        form = ProposalForm(target_choices=choices)
    return render(request, template, {**context, "form": form})


@never_cache
def receipt(request: HttpRequest, key: str) -> HttpResponse:
    opinion = selectors.opinion_by_submission_key(key=key)
    if opinion is None:
        raise Http404(_("その受付番号の確認ページは見つかりません。"))
    if opinion.paragraph is not None:
        where = opinion.paragraph.location
    elif opinion.section is not None:
        where = opinion.section.heading
    elif opinion.target_measure is not None:
        where = f"{opinion.target_measure.code} {opinion.target_measure.title}"
    else:
        where = opinion.topic or _("計画全体")
    response = render(
        request,
        "participation/receipt.html",
        {"opinion": opinion, "where": where, "again": "again" in request.GET, "nav": NAV},
    )
    response["X-Robots-Tag"] = "noindex"
    return response


# --- public comment rounds --------------------------------------------------------------------


def _round_or_404(pk: int) -> PublicCommentRound:
    round = selectors.round_public_get(pk=pk)
    if round is None:
        raise Http404(_("その意見募集は見つかりません。"))
    return round


def _channel_labels(round: PublicCommentRound) -> list[str]:
    labels = dict(ROUND_CHANNELS)
    return [str(labels[c]) for c in round.channels if c in labels]


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round_or_404(pk)
    state = services.round_state(round)
    return render(
        request,
        "participation/round.html",
        {
            "round": round,
            "state": state,
            "sections": selectors.round_sections(round=round),
            "materials": list(round.materials.all()),
            "channels": _channel_labels(round),
            "has_result": bool(round.result_data),
            "nav": NAV,
        },
    )


def material(request: HttpRequest, pk: int, material_id: int) -> FileResponse:
    round = _round_or_404(pk)
    item = RoundMaterial.objects.filter(round=round, pk=material_id).first()
    if item is None or not item.file:
        raise Http404(_("その資料は見つかりません。"))
    return FileResponse(
        item.file.open("rb"), content_type="application/pdf", filename=f"{item.title}.pdf"
    )


def _closed(
    request: HttpRequest,
    round: PublicCommentRound,
    state: str,
    *,
    text: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "participation/closed.html",
        {
            "round": round,
            "state": state,
            "text": text,
            "has_result": bool(round.result_data),
            "nav": NAV,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def comment_new(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round_or_404(pk)
    state = services.round_state(round)
    if request.method == "POST":
        wait = ratelimit.hit(request)
        if wait is not None:
            return _too_many(request, wait)
        if state != "open":
            return _closed(
                request, round, state, text=request.POST.get("text", "")[:20000], status=403
            )
        target_value = request.POST.get("target", "")
    else:
        if state != "open":
            return _closed(request, round, state)
        target_value = request.GET.get("target", "")
    target = selectors.round_target(round=round, target=target_value)
    if target is None:
        raise Http404(_("意見を書く箇所が見つかりません。意見募集のページから選び直してください。"))
    template = "participation/comment_form.html"
    context: dict[str, Any] = {"round": round, "target": target, "nav": NAV}
    if request.method == "POST":
        form = CommentForm(request.POST)
        valid = form.is_valid()
        if form.honeypot_filled:
            form.add_error(None, _honeypot_message())
            return render(request, template, {**context, "form": form}, status=400)
        action = request.POST.get("action", "confirm")
        if valid and action == "back":
            form = CommentForm(initial=form.cleaned_data)
        elif valid and action == "submit":
            data = form.cleaned_data
            opinion_input = services.OpinionInput(
                source=Source.PUBLIC_COMMENT,
                channel=Channel.WEB_COMMENT,
                text=data["text"],
                round=round,
                target_kind=target["kind"],
                section=target["section"],
                paragraph=target["paragraph"],
                eligibility=data["eligibility"],
                age_band=data.get("age_band") or "",
                district=data.get("district") or "",
                personal=services.PersonalInput(
                    name=data["name"],
                    address=data["address"],
                    phone=data.get("phone") or "",
                    email=data.get("email") or "",
                ),
            )
            try:
                result = services.opinion_submit(data=opinion_input, form_token=data["form_token"])
            except (services.RoundClosedError, services.RoundNotOpenError):
                round.refresh_from_db()
                return _closed(
                    request, round, services.round_state(round), text=data["text"], status=403
                )
            url = reverse("participation:receipt", args=[result.opinion.submission_key])
            return _see_other(url + ("" if result.created else "?again=1"))
        elif valid:
            return render(
                request,
                "participation/comment_confirm.html",
                {
                    **context,
                    "form": form,
                    "eligibility_label": _choice_label(form, "eligibility"),
                    "age_label": _choice_label(form, "age_band"),
                },
            )
    else:
        form = CommentForm(initial={"target": target["value"]})
    return render(request, template, {**context, "form": form})


@public_page_cache
def result(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round_or_404(pk)
    if not round.result_data:
        raise Http404(_("この意見募集の結果はまだ公表されていません。"))
    return render(
        request,
        "participation/result.html",
        {"round": round, "data": round.result_data, "nav": NAV},
    )


def _result_file_name(round: PublicCommentRound, ext: str) -> str:
    return f"{round.title}_結果.{ext}"


def result_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    round = _round_or_404(pk)
    if not round.result_data or fmt not in ("xlsx", "pdf"):
        raise Http404(_("この意見募集の結果はまだ公表されていません。"))
    municipality = plans_api.municipality()
    stamp = round.result_published_at.timestamp() if round.result_published_at else 0
    key = f"participation:result:{round.pk}:{stamp}:{fmt}"
    body = cache.get(key)
    if body is None:
        if fmt == "xlsx":
            body = exports.result_xlsx(
                round.result_data, municipality=municipality.name if municipality else ""
            )
        else:
            body = exports.result_pdf(
                round.result_data,
                context={"round": round, "municipality": municipality},
            )
        cache.set(key, body, 3600)
    content_type = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
    }[fmt]
    response = HttpResponse(body, content_type=content_type)
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = (
        content_disposition_header(fmt == "xlsx", _result_file_name(round, fmt)) or ""
    )
    return response
