"""Plan sections under formulation: list, detail with steps and comments, versions, diff."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keikaku.accounts.rules import staff_required
from keikaku.core.view_helpers import Written, require
from keikaku.workflow import rules, selectors, services
from keikaku.workflow.domain.states import (
    STATE_ORDER,
    TRANSITIONS,
    TransitionRefused,
    action_label,
    allowed_transitions,
    state_index,
    state_label,
)
from keikaku.workflow.domain.versions import compare, field_label, flatten
from keikaku.workflow.forms import CommentForm, ReplyForm, TransitionForm
from keikaku.workflow.models import Body, ReviewComment, Section
from keikaku.workflow.views._common import int_param

PLAN_SLUGS: dict[str, str] = {
    Section.Kind.MEASURE.value: "measures",
    Section.Kind.STRATEGY.value: "strategies",
    Section.Kind.INTRODUCTION.value: "editions",
}


def plan_edit_url(section: Section) -> str:
    if section.kind == Section.Kind.MEASURE:
        pk = section.measure_id
    elif section.kind == Section.Kind.STRATEGY:
        pk = section.strategy_id
    else:
        pk = section.formulation.edition_id
    return reverse("staff:entity_edit", kwargs={"slug": PLAN_SLUGS[section.kind], "pk": pk})


@staff_required
def section_list(request: HttpRequest) -> HttpResponse:
    formulation = selectors.formulation_current(request.GET.get("formulation"))
    context: dict[str, Any] = {
        "nav_slug": "workflow_sections",
        "formulation": formulation,
        "states": [(s.value, state_label(s)) for s in STATE_ORDER],
        "kinds": Section.Kind.choices,
    }
    if formulation is None:
        return render(request, "workflow/section_list.html", context)
    ub = rules.user_bodies(request.user)
    by_area = selectors.area_author_names(formulation)
    qs = selectors.section_list(formulation=formulation)
    state = request.GET.get("state", "")
    if state in {s.value for s in STATE_ORDER}:
        qs = qs.filter(state=state)
    kind = request.GET.get("kind", "")
    if kind in Section.Kind.values:
        qs = qs.filter(kind=kind)
    body_id = int_param(request, "body")
    if body_id:
        body = formulation.bodies.filter(pk=body_id).first()
        if body is not None:
            qs = qs.filter(Q(measure__area__in=body.areas.all()) | Q(owner=body))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(
            Q(measure__title__icontains=q)
            | Q(measure__code__icontains=q)
            | Q(strategy__title__icontains=q)
        )
    mine = request.GET.get("mine") == "1"
    rows = []
    bulk_actions: dict[str, str] = {}
    for section in qs:
        authors = selectors.section_authors_display(section, by_area)
        roles = rules.roles_from(ub, frozenset(b.pk for b in authors))
        steps = allowed_transitions(section.state, roles) if formulation.is_active else ()
        if mine and not steps:
            continue
        for step in steps:
            if not step.comment_required:
                bulk_actions[step.action] = step.label
        rows.append({"section": section, "authors": authors, "steps": steps})
    context.update(
        {
            "rows": rows,
            "state": state,
            "kind": kind,
            "body_id": body_id,
            "q": q,
            "mine": mine,
            "bodies": formulation.bodies.filter(
                kind__in=[Body.Kind.SUBCOMMITTEE, Body.Kind.SECRETARIAT]
            ),
            "bulk_actions": sorted(bulk_actions.items()),
            "can_manage": rules.can_manage_formulation(request.user, formulation),
        }
    )
    return render(request, "workflow/section_list.html", context)


@require_POST
@staff_required
def section_bulk(request: HttpRequest) -> HttpResponse:
    """One step for many sections at once (e.g. the secretariat makes 40 measures 素案)."""
    action = request.POST.get("action", "")
    pairs = []
    for value in request.POST.getlist("section"):
        pk_text, _sep, version_text = value.partition(":")
        if pk_text.isdigit() and version_text.isdigit():
            pairs.append((int(pk_text), int(version_text)))
    if action not in {t.action for t in TRANSITIONS} or not pairs:
        messages.error(request, _("操作と項目を選んでください。"))
        return redirect("staff:workflow_sections")
    sections = {s.pk: s for s in Section.objects.filter(pk__in=[p for p, _v in pairs])}
    ub = rules.user_bodies(request.user)
    allowed = [
        (sections[pk], expected)
        for pk, expected in pairs
        if pk in sections
        and any(t.action == action for t in rules.section_actions(request.user, sections[pk], ub))
    ]
    require(bool(allowed))
    done, failed = 0, []
    for section, expected in allowed:
        try:
            services.section_transition(
                section=section,
                actor=request.user,
                action=action,
                expected_version=expected,
                comment=request.POST.get("comment", ""),
            )
            done += 1
        except (TransitionRefused, services.TransitionConflict) as exc:
            failed.append(str(exc))
    skipped = len(pairs) - len(allowed)
    messages.success(
        request,
        _("%(n)d 件を「%(action)s」しました。") % {"n": done, "action": action_label(action)},
    )
    for text in failed:
        messages.error(request, text)
    if skipped:
        messages.warning(
            request,
            _("%(n)d 件は、今の状態やあなたの役割ではこの操作ができないため、行っていません。")
            % {"n": skipped},
        )
    return redirect("staff:workflow_sections")


def _progress_steps(section: Section) -> list[dict[str, Any]]:
    current = state_index(section.state)
    return [
        {"label": state_label(s), "done": i < current, "current": i == current}
        for i, s in enumerate(STATE_ORDER)
    ]


def render_section(
    request: HttpRequest,
    section: Section,
    *,
    comment_form: CommentForm | None = None,
    transition_form: TransitionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    ub = rules.user_bodies(request.user)
    roles = rules.section_roles(request.user, section, ub)
    steps = rules.section_actions(request.user, section, ub)
    content = services.section_content(section)
    versions = list(section.versions.order_by("number"))
    threads = selectors.comment_threads(section=section)
    authors = [b for b in Body.objects.filter(pk__in=rules.author_body_ids(section))]
    for thread in threads:
        label = field_label(section.kind, thread.field) if thread.field else ""
        setattr(thread, "field_label", label)  # noqa: B010 - template-only attribute
    return render(
        request,
        "workflow/section_detail.html",
        {
            "nav_slug": "workflow_sections",
            "section": section,
            "formulation": section.formulation,
            "state_label": state_label(section.state),
            "progress": _progress_steps(section),
            "steps": steps,
            "roles": sorted(str(r) for r in roles),
            "fields": flatten(section.kind, content),
            "versions": versions,
            "transitions": section.transitions.order_by("-at", "-id"),
            "threads": threads,
            "open_threads": sum(1 for t in threads if not t.resolved),
            "authors": authors,
            "comment_form": comment_form or CommentForm(section=section),
            "transition_form": transition_form
            or TransitionForm(initial={"version": section.version}),
            "reply_form": ReplyForm(),
            "can_edit": rules.can_edit_section(request.user, section, ub),
            "plan_edit_url": plan_edit_url(section),
            "can_resolve": _can_resolve_any(request.user, section, roles),
        },
        status=status,
    )


def _can_resolve_any(user: Any, section: Section, roles: frozenset[Any]) -> bool:
    from keikaku.workflow.domain.states import Role

    return bool(
        roles & {Role.AUTHOR, Role.AUTHOR_LEAD, Role.SECRETARIAT, Role.HEADQUARTERS, Role.SUPERUSER}
    )


@staff_required
def section_detail(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_get_for_user(pk=pk, user=request.user)
    return render_section(request, section)


@require_POST
@staff_required
def section_transition(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_get_for_user(pk=pk, user=request.user)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("操作を選んでください。"))
        return redirect("staff:workflow_section", pk=pk)
    action: str = form.cleaned_data["action"]
    version: int = form.cleaned_data["version"]
    comment: str = form.cleaned_data["comment"] or ""
    if version != section.version:
        messages.error(request, str(services.TransitionConflict(section, action)))
        return redirect("staff:workflow_section", pk=pk)
    if not any(t.action == action for t in rules.section_actions(request.user, section)):
        raise PermissionDenied(
            _("「%(action)s」を行う権限がありません。") % {"action": action_label(action)}
        )
    try:
        services.section_transition(
            section=section,
            actor=request.user,
            action=action,
            expected_version=version,
            comment=comment,
        )
    except services.TransitionConflict as exc:
        messages.error(request, str(exc))
        return redirect("staff:workflow_section", pk=pk)
    except TransitionRefused as exc:
        form.add_error("comment", str(exc))
        messages.error(request, str(exc))
        return render_section(request, section, transition_form=form, status=400)
    section.refresh_from_db()
    messages.success(
        request,
        _("「%(section)s」を「%(action)s」しました。今の状態: %(state)s")
        % {"section": section, "action": action_label(action), "state": state_label(section.state)},
    )
    return redirect("staff:workflow_section", pk=pk)


@require_POST
@staff_required
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_get_for_user(pk=pk, user=request.user)
    require(rules.can_comment(request.user))
    form = CommentForm(request.POST, section=section)
    if form.is_valid():
        with Written(request=request, form=form) as written:
            services.comment_add(
                section=section,
                actor=request.user,
                body=form.cleaned_data["body"],
                field=form.cleaned_data["field"] or "",
                mentions=form.cleaned_data["mentions"],
            )
        if written.ok:
            messages.success(request, _("コメントを投稿しました。"))
            return redirect(f"{reverse('staff:workflow_section', kwargs={'pk': pk})}#comments")
    return render_section(request, section, comment_form=form, status=400)


@require_POST
@staff_required
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_object_or_404(ReviewComment.objects.select_related("section"), pk=pk)
    section = selectors.section_get_for_user(pk=parent.section_id, user=request.user)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("返信を入力してください。"))
    else:
        services.comment_add(
            section=section, actor=request.user, body=form.cleaned_data["body"], parent=parent
        )
        messages.success(request, _("返信しました。"))
    return redirect(
        f"{reverse('staff:workflow_section', kwargs={'pk': section.pk})}#c{parent.parent_id or parent.pk}"
    )


@require_POST
@staff_required
def comment_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(ReviewComment.objects.select_related("section"), pk=pk)
    section = selectors.section_get_for_user(pk=comment.section_id, user=request.user)
    roles = rules.section_roles(request.user, section)
    root = comment.parent or comment
    require(root.author_id == request.user.pk or _can_resolve_any(request.user, section, roles))
    resolved = request.POST.get("resolved", "1") != "0"
    services.comment_resolve(comment=root, actor=request.user, resolved=resolved)
    messages.success(
        request,
        _("コメントを解決済みにしました。") if resolved else _("コメントを未解決に戻しました。"),
    )
    return redirect(f"{reverse('staff:workflow_section', kwargs={'pk': section.pk})}#c{root.pk}")


@staff_required
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    section = selectors.section_get_for_user(pk=pk, user=request.user)
    version = section.versions.filter(number=number).first()
    if version is None:
        raise Http404(_("その版はありません。"))
    return render(
        request,
        "workflow/version_detail.html",
        {
            "nav_slug": "workflow_sections",
            "section": section,
            "version": version,
            "state_label": state_label(version.state),
            "fields": flatten(section.kind, version.data),
            "versions": section.versions.order_by("number"),
        },
    )


@staff_required
def version_compare(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_get_for_user(pk=pk, user=request.user)
    versions = list(section.versions.order_by("number"))
    if not versions:
        messages.info(request, _("まだ版がありません。提出すると最初の版ができます。"))
        return redirect("staff:workflow_section", pk=pk)
    numbers = [v.number for v in versions]
    a = int_param(request, "a") or numbers[0]
    b = int_param(request, "b") or numbers[-1]
    by_number = {v.number: v for v in versions}
    if a not in by_number or b not in by_number:
        raise Http404(_("その版はありません。"))
    left, right = by_number[a], by_number[b]
    comparison = compare(section.kind, left.data, right.data)
    return render(
        request,
        "workflow/version_compare.html",
        {
            "nav_slug": "workflow_sections",
            "section": section,
            "left": left,
            "right": right,
            "left_state": state_label(left.state),
            "right_state": state_label(right.state),
            "comparison": comparison,
            "versions": versions,
            "version_labels": [(v.number, state_label(v.state), v.created_at) for v in versions],
        },
    )
