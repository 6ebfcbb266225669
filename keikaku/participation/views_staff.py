"""Staff pages of citizens' voices (/staff/participation/…): the opinion inbox, recording
opinions that came on paper, hearings, public comment rounds, grouping and the result.

Opinion text is shown masked everywhere here; the unmasked text and the personal data are
on one page only, for roles with ``participation.view_personaldata``, and each view of it
is logged.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keikaku.core.domain.textio import normalize_for_match
from keikaku.core.view_helpers import attach_errors, page_of, require, save_versioned
from keikaku.participation import exports, rules, selectors, services
from keikaku.participation.domain.draft import DraftFormatError
from keikaku.participation.domain.intake import MIN_PERIOD_DAYS, period_days
from keikaku.participation.forms import (
    DraftFromPlanForm,
    DraftUploadForm,
    GroupForm,
    HandlingForm,
    HearingForm,
    HideForm,
    MaterialForm,
    NoteForm,
    OpinionFilterForm,
    RecordOpinionForm,
    ReplyForm,
    RoundForm,
)
from keikaku.participation.models import (
    Hearing,
    Opinion,
    OpinionGroup,
    PublicCommentRound,
    RoundMaterial,
    Source,
    TargetKind,
)

PAGE_SIZE = 50


def _xlsx_type() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- inbox ------------------------------------------------------------------------------------


@rules.staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    form = OpinionFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "source": data.get("source") or "",
            "status": data.get("status") or "",
            "department_id": data["department"].pk if data.get("department") else None,
            "hidden": data.get("hidden") or "",
            "q": (data.get("q") or "").strip(),
        }
    qs = selectors.opinion_list(**filters)
    page = page_of(request, qs, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "participation/staff/inbox.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_manage": rules.can_manage_opinions(request.user),
            "nav_slug": "participation_inbox",
        },
    )


@rules.staff_required
def inbox_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("そのページはありません。"))
    spec = request.GET.get("source", "all") or "all"
    try:
        source, round_id = exports.parse_source(spec)
    except exports.ExportError as exc:
        messages.error(request, str(exc))
        return redirect("staff:participation_inbox")
    rows = exports.export_rows(source=source, round_id=round_id)
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        response = HttpResponse(exports.rows_to_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.rows_to_xlsx(rows), content_type=_xlsx_type())
    response["Content-Disposition"] = (
        content_disposition_header(True, f"opinions_{spec.replace(':', '-')}_{stamp}.{fmt}") or ""
    )
    return response


def _opinion_or_404(pk: int) -> Opinion:
    opinion = selectors.opinion_get(pk=pk)
    if opinion is None:
        raise Http404(_("その意見は見つかりません。"))
    return opinion


def _opinion_where(opinion: Opinion) -> str:
    if opinion.paragraph is not None:
        return opinion.paragraph.location
    if opinion.section is not None:
        return opinion.section.heading
    if opinion.target_measure is not None:
        return f"{opinion.target_measure.code} {opinion.target_measure.title}"
    return opinion.topic or _("計画全体")


@rules.staff_required
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _opinion_or_404(pk)
    can_manage = rules.can_manage_opinions(request.user)
    can_moderate = rules.can_moderate(request.user)
    handling = HandlingForm(
        initial={
            "status": opinion.status,
            "department": opinion.department_id,
            "measures": [m.pk for m in opinion.measures.all()],
        }
    )
    note_form, reply_form, hide_form = NoteForm(), ReplyForm(), HideForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("handling", "note", "reply"):
            require(can_manage)
        if action in ("hide", "unhide"):
            require(can_moderate)
        if action == "handling":
            handling = HandlingForm(request.POST)
            if handling.is_valid():
                services.opinion_handling_update(
                    opinion=opinion,
                    actor=request.user,
                    status=handling.cleaned_data["status"],
                    department=handling.cleaned_data["department"],
                    measures=handling.cleaned_data["measures"],
                )
                messages.success(request, _("対応状況と担当を保存しました。"))
                return redirect("staff:participation_opinion", pk=pk)
        elif action == "note":
            note_form = NoteForm(request.POST)
            if note_form.is_valid():
                services.opinion_note_add(
                    opinion=opinion, actor=request.user, text=note_form.cleaned_data["text"]
                )
                messages.success(request, _("内部メモを追加しました。"))
                return redirect("staff:participation_opinion", pk=pk)
        elif action == "reply":
            reply_form = ReplyForm(request.POST)
            if reply_form.is_valid():
                services.opinion_reply_add(
                    opinion=opinion,
                    actor=request.user,
                    replied_on=reply_form.cleaned_data["replied_on"],
                    method=reply_form.cleaned_data["method"],
                    text=reply_form.cleaned_data["text"],
                )
                messages.success(request, _("回答を記録しました。"))
                return redirect("staff:participation_opinion", pk=pk)
        elif action == "hide":
            hide_form = HideForm(request.POST)
            if hide_form.is_valid():
                services.opinion_hide(
                    opinion=opinion, actor=request.user, reason=hide_form.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    _(
                        "意見 %(receipt)s を非表示にしました。意見は削除されず、理由とともに記録されています。"
                    )
                    % {"receipt": opinion.receipt_number},
                )
                return redirect("staff:participation_opinion", pk=pk)
        elif action == "unhide":
            services.opinion_unhide(opinion=opinion, actor=request.user)
            messages.success(request, _("意見を再び表示するようにしました。"))
            return redirect("staff:participation_opinion", pk=pk)
        else:
            raise Http404(_("そのページはありません。"))
    return render(
        request,
        "participation/staff/opinion_detail.html",
        {
            "opinion": opinion,
            "where": _opinion_where(opinion),
            "handling": handling,
            "note_form": note_form,
            "reply_form": reply_form,
            "hide_form": hide_form,
            "can_manage": can_manage,
            "can_moderate": can_moderate,
            "can_view_personal": rules.can_view_personal_data(request.user),
            "has_personal": hasattr(opinion, "personal"),
            "nav_slug": "participation_inbox",
        },
    )


@rules.staff_required
def opinion_personal(request: HttpRequest, pk: int) -> HttpResponse:
    require(rules.can_view_personal_data(request.user))
    opinion = _opinion_or_404(pk)
    personal = services.personal_data_view(
        opinion=opinion, actor=request.user, purpose=request.GET.get("purpose", "")[:200]
    )
    response = render(
        request,
        "participation/staff/personal.html",
        {"opinion": opinion, "personal": personal, "nav_slug": "participation_inbox"},
    )
    response["Cache-Control"] = "no-store"
    return response


@rules.staff_required
def opinion_new(request: HttpRequest) -> HttpResponse:
    require(rules.can_manage_opinions(request.user))
    initial: dict[str, Any] = {}
    for name in ("round", "hearing", "source"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    if request.GET.get("hearing"):
        initial["source"] = Source.HEARING
    if request.GET.get("round"):
        initial["source"] = Source.PUBLIC_COMMENT
    form = RecordOpinionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        paragraph = data.get("paragraph")
        measure = data.get("target_measure")
        if paragraph is not None:
            kind = TargetKind.PARAGRAPH
        elif measure is not None:
            kind = TargetKind.MEASURE
        else:
            kind = TargetKind.WHOLE
        opinion = services.opinion_record(
            data=services.OpinionInput(
                source=data["source"],
                channel=data["channel"],
                text=data["text"],
                round=data.get("round"),
                hearing=data.get("hearing"),
                target_kind=kind,
                paragraph=paragraph,
                target_measure=measure,
                topic=data.get("topic") or "",
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
            ),
            received_at=data["received_at"],
            actor=request.user,
        )
        messages.success(
            request,
            _("意見を受付番号 %(receipt)s で登録しました。") % {"receipt": opinion.receipt_number},
        )
        rnd = data.get("round")
        if rnd is not None and data["received_at"] >= rnd.ends_at:
            messages.warning(
                request,
                _(
                    "受付日時が締切（%(end)s）より後です。締切後の意見として扱うかどうかを確認してください。"
                )
                % {"end": timezone.localtime(rnd.ends_at).strftime("%Y-%m-%d %H:%M")},
            )
        return redirect("staff:participation_opinion", pk=opinion.pk)
    return render(
        request,
        "participation/staff/opinion_form.html",
        {"form": form, "nav_slug": "participation_new"},
    )


# --- hearings ---------------------------------------------------------------------------------


@rules.staff_required
def hearing_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.hearing_list(), PAGE_SIZE)
    return render(
        request,
        "participation/staff/hearing_list.html",
        {
            "page": page,
            "can_manage": rules.can_manage_hearings(request.user),
            "nav_slug": "participation_hearings",
        },
    )


@rules.staff_required
def hearing_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    hearing = get_object_or_404(Hearing, pk=pk) if pk else None
    can_manage = rules.can_manage_hearings(request.user)
    if request.method == "POST":
        require(can_manage)
        form = HearingForm(request.POST, instance=hearing)
        if form.is_valid():
            changes = {n: form.cleaned_data[n] for n in HearingForm.Meta.fields}
            update = None if hearing is None else partial(services.hearing_update, hearing=hearing)
            saved = save_versioned(
                request,
                form,
                hearing,
                create=lambda: services.hearing_create(
                    hearing=Hearing(**changes), actor=request.user
                ),
                update=update,
                changes=changes,
            )
            if saved is not None:
                hearing = saved
                messages.success(request, _("「%(h)s」を保存しました。") % {"h": hearing})
                return redirect("staff:participation_hearing", pk=hearing.pk)
    else:
        form = HearingForm(instance=hearing)
    opinions = selectors.opinion_list(hearing_id=hearing.pk, hidden="all") if hearing else []
    return render(
        request,
        "participation/staff/hearing_form.html",
        {
            "form": form,
            "hearing": hearing,
            "opinions": opinions,
            "can_manage": can_manage,
            "can_record": rules.can_manage_opinions(request.user),
            "nav_slug": "participation_hearings",
        },
    )


# --- public comment rounds --------------------------------------------------------------------


def _period_days(round: PublicCommentRound) -> int:
    return period_days(
        timezone.localtime(round.starts_at).date(), timezone.localtime(round.ends_at).date()
    )


def _round_or_404(pk: int) -> PublicCommentRound:
    round = selectors.round_get(pk=pk)
    if round is None:
        raise Http404(_("その意見募集は見つかりません。"))
    return round


@rules.staff_required
def round_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rounds = [(r, services.round_state(r, now)) for r in selectors.round_list()]
    return render(
        request,
        "participation/staff/round_list.html",
        {
            "rounds": rounds,
            "can_manage": rules.can_manage_rounds(request.user),
            "nav_slug": "participation_rounds",
        },
    )


@rules.staff_required
def round_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    round = _round_or_404(pk) if pk else None
    can_manage = rules.can_manage_rounds(request.user)
    defaults = services.default_categories()
    if request.method == "POST":
        require(can_manage)
        form = RoundForm(request.POST, instance=round, default_categories=defaults)
        if form.is_valid():
            changes = form.changes()
            update = None if round is None else partial(services.round_update, round=round)
            saved = save_versioned(
                request,
                form,
                round,
                create=lambda: services.round_create(
                    round=PublicCommentRound(**changes), actor=request.user
                ),
                update=update,
                changes=changes,
            )
            if saved is not None:
                round = saved
                messages.success(request, _("「%(r)s」を保存しました。") % {"r": round})
                days = _period_days(round)
                if days < MIN_PERIOD_DAYS:
                    messages.warning(
                        request,
                        _("募集期間が%(days)s日間で、30日より短くなっています。理由: %(reason)s")
                        % {"days": days, "reason": round.short_period_reason},
                    )
                return redirect("staff:participation_round", pk=round.pk)
    else:
        form = RoundForm(instance=round, default_categories=defaults)
    return render(
        request,
        "participation/staff/round_form.html",
        {
            "form": form,
            "round": round,
            "can_manage": can_manage,
            "nav_slug": "participation_rounds",
        },
    )


@rules.staff_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round_or_404(pk)
    can_manage = rules.can_manage_rounds(request.user)
    plan_form = DraftFromPlanForm(initial={"edition": round.edition_id})
    upload_form = DraftUploadForm()
    material_form = MaterialForm()
    if request.method == "POST":
        require(can_manage)
        action = request.POST.get("action", "")
        try:
            if action == "draft_plan":
                plan_form = DraftFromPlanForm(request.POST)
                if plan_form.is_valid():
                    count = services.round_draft_from_edition(
                        round=round, edition=plan_form.cleaned_data["edition"], actor=request.user
                    )
                    messages.success(
                        request, _("素案を取り込みました（%(n)s段落）。") % {"n": count}
                    )
                    return redirect("staff:participation_round", pk=pk)
            elif action == "draft_upload":
                upload_form = DraftUploadForm(request.POST, request.FILES)
                if upload_form.is_valid():
                    upload = upload_form.cleaned_data["file"]
                    count = services.round_draft_from_file(
                        round=round, filename=upload.name, data=upload.read(), actor=request.user
                    )
                    messages.success(
                        request, _("素案を取り込みました（%(n)s段落）。") % {"n": count}
                    )
                    return redirect("staff:participation_round", pk=pk)
            elif action == "material":
                material_form = MaterialForm(request.POST, request.FILES)
                if material_form.is_valid():
                    upload = material_form.cleaned_data["file"]
                    services.round_material_add(
                        round=round,
                        title=material_form.cleaned_data["title"],
                        filename=upload.name,
                        data=upload.read(),
                        actor=request.user,
                    )
                    messages.success(request, _("資料を登録しました。"))
                    return redirect("staff:participation_round", pk=pk)
            elif action == "remove_material":
                item = get_object_or_404(
                    RoundMaterial, round=round, pk=request.POST.get("material")
                )
                services.round_material_remove(material=item, actor=request.user)
                messages.success(request, _("資料「%(t)s」を外しました。") % {"t": item.title})
                return redirect("staff:participation_round", pk=pk)
            elif action == "publish":
                services.round_publish(round=round, actor=request.user)
                messages.success(request, _("意見募集を公開しました。"))
                return redirect("staff:participation_round", pk=pk)
            elif action == "unpublish":
                services.round_unpublish(round=round, actor=request.user)
                messages.success(request, _("意見募集を公開サイトから取り下げました。"))
                return redirect("staff:participation_round", pk=pk)
            else:
                raise Http404(_("そのページはありません。"))
        except (services.ParticipationError, DraftFormatError) as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            target = material_form if action == "material" else None
            if target is not None:
                attach_errors(target, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    sections = selectors.round_sections(round=round)
    return render(
        request,
        "participation/staff/round_detail.html",
        {
            "round": round,
            "state": services.round_state(round),
            "sections": sections,
            "paragraph_count": sum(len(s.paragraphs.all()) for s in sections),
            "materials": list(round.materials.all()),
            "opinion_count": round.opinions.count(),
            "plan_form": plan_form,
            "upload_form": upload_form,
            "material_form": material_form,
            "can_manage": can_manage,
            "nav_slug": "participation_rounds",
        },
    )


@rules.staff_required
def round_opinions(request: HttpRequest, pk: int) -> HttpResponse:
    """Processing: group same-gist opinions, then write the city's view per group."""
    round = _round_or_404(pk)
    can_manage = rules.can_manage_rounds(request.user)
    if request.method == "POST":
        require(can_manage)
        ids = [int(v) for v in request.POST.getlist("opinion") if v.isdigit()]
        target = request.POST.get("group", "")
        try:
            if request.POST.get("action") == "ungroup":
                count = services.opinions_ungroup(round=round, opinion_ids=ids, actor=request.user)
                messages.success(request, _("%(n)s件をまとまりから外しました。") % {"n": count})
            else:
                group = None
                if target and target != "new":
                    group = get_object_or_404(OpinionGroup, round=round, pk=target)
                group = services.opinions_group(
                    round=round, opinion_ids=ids, group=group, actor=request.user
                )
                messages.success(
                    request,
                    _("%(n)s件を「%(g)s」にまとめました。") % {"n": len(ids), "g": group},
                )
        except services.ParticipationError as exc:
            messages.error(request, str(exc))
        return redirect("staff:participation_round_opinions", pk=pk)
    opinions = list(
        selectors.opinion_list(round_id=round.pk, hidden="all")
        .select_related("group")
        .order_by("received_at", "id")
    )
    groups = list(round.groups.all())

    # Identical (or organised) submissions: same text once blanks and width are folded.
    def folded(text: str) -> str:
        return normalize_for_match(text).replace(" ", "")

    same_text = Counter(folded(o.text) for o in opinions)
    identical = {o.pk: same_text[folded(o.text)] for o in opinions}
    counts: dict[int, int] = {}
    for o in opinions:
        if o.group_id and not o.is_hidden:
            counts[o.group_id] = counts.get(o.group_id, 0) + 1
    return render(
        request,
        "participation/staff/round_opinions.html",
        {
            "round": round,
            "opinions": [(o, identical[o.pk]) for o in opinions],
            "groups": [(g, counts.get(g.pk, 0)) for g in groups],
            "ungrouped": sum(1 for o in opinions if not o.group_id and not o.is_hidden),
            "can_manage": can_manage,
            "nav_slug": "participation_rounds",
        },
    )


@rules.staff_required
def group_edit(request: HttpRequest, pk: int, group_id: int) -> HttpResponse:
    round = _round_or_404(pk)
    group = get_object_or_404(
        OpinionGroup.objects.select_related("paragraph__section"), round=round, pk=group_id
    )
    can_manage = rules.can_manage_rounds(request.user)
    categories = [(c.code, f"{c.code} {c.label}") for c in services.round_categories(round)]
    if request.method == "POST":
        require(can_manage)
        if request.POST.get("action") == "delete":
            services.group_delete(group=group, actor=request.user)
            messages.success(request, _("まとまりを削除しました。意見は未整理に戻りました。"))
            return redirect("staff:participation_round_opinions", pk=pk)
        form = GroupForm(request.POST, instance=group, categories=categories)
        if form.is_valid():
            update = partial(services.group_update, group=group)
            if save_versioned(request, form, group, update=update, changes=form.changes()):
                messages.success(request, _("「%(g)s」を保存しました。") % {"g": group})
                return redirect("staff:participation_round_opinions", pk=pk)
    else:
        form = GroupForm(instance=group, categories=categories)
    from keikaku.core.domain.textdiff import char_diff

    diff = (
        char_diff(group.paragraph.text, group.revised_text)
        if group.paragraph and group.revised_text
        else None
    )
    return render(
        request,
        "participation/staff/group_form.html",
        {
            "round": round,
            "group": group,
            "form": form,
            "members": selectors.opinion_list(round_id=round.pk, hidden="all").filter(group=group),
            "diff": diff,
            "can_manage": can_manage,
            "nav_slug": "participation_rounds",
        },
    )


@rules.staff_required
def round_result(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round_or_404(pk)
    can_publish = rules.can_publish_result(request.user)
    if request.method == "POST":
        require(can_publish)
        action = request.POST.get("action", "publish")
        if action == "withdraw":
            services.round_result_withdraw(round=round, actor=request.user)
            messages.success(request, _("結果の公表を取り下げました。"))
            return redirect("staff:participation_round_result", pk=pk)
        try:
            services.round_result_publish(round=round, actor=request.user)
        except services.ResultNotReadyError as exc:
            for problem in exc.problems:
                messages.error(request, problem)
        except services.ParticipationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("意見募集の結果を公表しました。"))
        return redirect("staff:participation_round_result", pk=pk)
    result, problems = services.round_result_compute(round)
    data = services.result_snapshot(round, result)
    return render(
        request,
        "participation/staff/round_result.html",
        {
            "round": round,
            "data": data,
            "problems": problems,
            "state": services.round_state(round),
            "can_publish": can_publish,
            "nav_slug": "participation_rounds",
        },
    )


@require_POST
@rules.staff_required
def purge_personal(request: HttpRequest) -> HttpResponse:
    require(rules.can_view_personal_data(request.user) and rules.can_manage_opinions(request.user))
    count = services.personal_data_purge(today=timezone.localdate(), actor=request.user)
    messages.success(request, _("保存期限を過ぎた個人情報%(n)s件を削除しました。") % {"n": count})
    return redirect("staff:participation_inbox")
