"""The formulation organisation (策定体制): formulations, bodies, memberships."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keikaku.accounts.rules import staff_required
from keikaku.core.view_helpers import Written, require, save_versioned, split_cleaned
from keikaku.workflow import rules, selectors, services
from keikaku.workflow.domain.states import (
    EDIT_ROLES,
    STATE_ORDER,
    TRANSITIONS,
    Role,
    role_label,
    state_label,
)
from keikaku.workflow.forms import BodyForm, FormulationCreateForm, FormulationForm, MembershipForm
from keikaku.workflow.models import Body, Formulation, Membership
from keikaku.workflow.views._common import form_page, formulation_to_manage

NAV = "workflow_organisation"


def permission_table() -> dict[str, Any]:
    """Who may take which step and who may edit in which state (from the domain tables)."""
    order = list(Role)
    steps = [
        {
            "label": t.label,
            "source": state_label(t.source),
            "target": state_label(t.target),
            "roles": "・".join(role_label(r) for r in sorted(t.roles, key=order.index)),
            "comment_required": t.comment_required,
        }
        for t in TRANSITIONS
    ]
    edits = [
        {
            "state": state_label(s),
            "roles": "・".join(role_label(r) for r in sorted(EDIT_ROLES[s], key=order.index))
            or _("（変更できません）"),
        }
        for s in STATE_ORDER
    ]
    return {"steps": steps, "edits": edits}


@staff_required
def organisation(request: HttpRequest) -> HttpResponse:
    formulation = selectors.formulation_current(request.GET.get("formulation"))
    can_manage = bool(formulation) and rules.can_manage_formulation(request.user, formulation)
    bodies = list(selectors.body_list(formulation=formulation)) if formulation else []
    if can_manage:
        for body in bodies:
            setattr(body, "member_form", MembershipForm(body=body))  # noqa: B010 - template-only
    return render(
        request,
        "workflow/organisation.html",
        {
            "nav_slug": "workflow_organisation",
            "formulation": formulation,
            "formulations": selectors.formulation_list(),
            "bodies": bodies,
            "can_manage": can_manage,
            "can_create": rules.can_create_formulation(request.user),
            "permissions": permission_table(),
        },
    )


@staff_required
def formulation_create(request: HttpRequest) -> HttpResponse:
    require(rules.can_create_formulation(request.user))
    form = FormulationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with Written(request=request, form=form) as written:
            formulation = services.formulation_create(
                edition=form.cleaned_data["edition"],
                title=form.cleaned_data["title"],
                public_summary=form.cleaned_data["public_summary"],
                actor=request.user,
            )
        if written.ok:
            messages.success(
                request,
                _("「%(f)s」を登録しました。次に策定体制の組織を登録してください。")
                % {"f": formulation},
            )
            return redirect(f"{_org_url()}?formulation={formulation.pk}")
    return form_page(request, NAV, form, _("計画の策定を登録"), _org_url())


def _org_url() -> str:
    from django.urls import reverse

    return reverse("staff:workflow_organisation")


@staff_required
def formulation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    formulation = get_object_or_404(Formulation, pk=pk)
    require(rules.can_manage_formulation(request.user, formulation))
    form = FormulationForm(request.POST or None, instance=formulation)
    if request.method == "POST" and form.is_valid():
        changes, _m2m = split_cleaned(form)
        update = partial(services.formulation_update, formulation=formulation)
        if save_versioned(request, form, formulation, update=update, changes=changes):
            messages.success(request, _("「%(f)s」を保存しました。") % {"f": formulation})
            return redirect(f"{_org_url()}?formulation={formulation.pk}")
    title = _("計画の策定: %(f)s") % {"f": formulation}
    return form_page(request, NAV, form, title, f"{_org_url()}?formulation={formulation.pk}")


@require_POST
@staff_required
def sections_sync(request: HttpRequest, pk: int) -> HttpResponse:
    formulation = get_object_or_404(Formulation, pk=pk)
    require(rules.can_manage_formulation(request.user, formulation))
    count = services.section_sync(formulation=formulation, actor=request.user)
    messages.success(
        request, _("施策・重点戦略を取り込みました（新しく %(n)d 件）。") % {"n": count}
    )
    return redirect(f"{_org_url()}?formulation={formulation.pk}")


@staff_required
def body_create(request: HttpRequest) -> HttpResponse:
    formulation = formulation_to_manage(request)
    if formulation is None:
        messages.error(request, _("先に計画の策定を登録してください。"))
        return redirect("staff:workflow_organisation")
    form = BodyForm(request.POST or None, formulation=formulation)
    if request.method == "POST" and form.is_valid():
        changes, m2m = split_cleaned(form)
        body = Body(formulation=formulation, **changes)
        with Written(request=request, form=form) as written:
            services.body_create(body=body, actor=request.user, areas=m2m["areas"])
        if written.ok:
            messages.success(request, _("「%(b)s」を登録しました。") % {"b": body})
            return redirect(f"{_org_url()}?formulation={formulation.pk}#body-{body.pk}")
    return form_page(
        request, NAV, form, _("組織を追加"), f"{_org_url()}?formulation={formulation.pk}"
    )


@staff_required
def body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_object_or_404(Body.objects.select_related("formulation"), pk=pk)
    require(rules.can_manage_formulation(request.user, body.formulation))
    form = BodyForm(request.POST or None, instance=body, formulation=body.formulation)
    if request.method == "POST" and form.is_valid():
        changes, m2m = split_cleaned(form)
        update = partial(services.body_update, body=body, areas=m2m["areas"])
        if save_versioned(request, form, body, update=update, changes=changes):
            messages.success(request, _("「%(b)s」を保存しました。") % {"b": body})
            return redirect(f"{_org_url()}?formulation={body.formulation_id}#body-{body.pk}")
    return form_page(
        request,
        NAV,
        form,
        _("組織: %(b)s") % {"b": body},
        f"{_org_url()}?formulation={body.formulation_id}",
        delete_url="staff:workflow_body_delete",
        obj=body,
    )


@require_POST
@staff_required
def body_delete(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_object_or_404(Body.objects.select_related("formulation"), pk=pk)
    require(rules.can_manage_formulation(request.user, body.formulation))
    formulation_id = body.formulation_id
    label = str(body)
    services.body_delete(body=body, actor=request.user)
    messages.success(request, _("「%(b)s」を削除しました。") % {"b": label})
    return redirect(f"{_org_url()}?formulation={formulation_id}")


@require_POST
@staff_required
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_object_or_404(Body.objects.select_related("formulation"), pk=pk)
    require(rules.can_manage_formulation(request.user, body.formulation))
    form = MembershipForm(request.POST, body=body)
    if form.is_valid():
        with Written(request=request) as written:
            services.membership_add(
                body=body,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                title=form.cleaned_data["title"],
                actor=request.user,
            )
        if written.ok:
            user = form.cleaned_data["user"]
            messages.success(
                request,
                _("%(name)s さんを「%(body)s」に加えました。")
                % {"name": user.get_full_name() or user.get_username(), "body": body},
            )
    else:
        errors = [str(e) for errs in form.errors.values() for e in errs]
        messages.error(request, _("構成員を追加できませんでした: %(e)s") % {"e": " ".join(errors)})
    return redirect(f"{_org_url()}?formulation={body.formulation_id}#body-{body.pk}")


@require_POST
@staff_required
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("body__formulation", "user"), pk=pk
    )
    require(rules.can_manage_formulation(request.user, membership.body.formulation))
    body = membership.body
    name = membership.user.get_full_name() or membership.user.get_username()
    services.membership_remove(membership=membership, actor=request.user)
    messages.success(
        request, _("%(name)s さんを「%(body)s」から外しました。") % {"name": name, "body": body}
    )
    return redirect(f"{_org_url()}?formulation={body.formulation_id}#body-{body.pk}")
