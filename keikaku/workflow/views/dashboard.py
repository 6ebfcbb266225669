"""The secretariat dashboard, the review-comment list and the personal inbox."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keikaku.accounts.rules import staff_required
from keikaku.core.domain.charts import PATTERNS, StackSegment, stacked_bar_chart
from keikaku.core.domain.charts import _svg as svgc
from keikaku.core.view_helpers import page_of
from keikaku.workflow import rules, selectors, services
from keikaku.workflow.domain.states import STATE_ORDER, state_label

STATE_COLOURS = (
    svgc.GRAY_DARK,
    svgc.ORANGE,
    svgc.LIGHT_BLUE,
    svgc.BLUE_BRIGHT,
    svgc.BLUE,
    svgc.GREEN,
    svgc.BLACK,
)


def states_chart(rows: list[selectors.BodyStateRow]) -> str:
    return stacked_bar_chart(
        chart_id="wf-states-by-body",
        title=_("組織ごとの策定状況"),
        desc=_(
            "専門部会など作成担当ごとに、項目の数を状態別に積み上げています。数は下の表にもあります。"
        ),
        categories=[r.body for r in rows],
        segments=[
            StackSegment(
                label=state_label(state),
                values=[r.counts[i] for r in rows],
                pattern=PATTERNS[i % len(PATTERNS)],
                colour=STATE_COLOURS[i],
            )
            for i, state in enumerate(STATE_ORDER)
        ],
        unit=_("件"),
    )


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    formulation = selectors.formulation_current(request.GET.get("formulation"))
    context: dict[str, Any] = {
        "nav_slug": "workflow_dashboard",
        "formulation": formulation,
        "formulations": selectors.formulation_list(),
        "states": [(s.value, state_label(s)) for s in STATE_ORDER],
        "can_create": rules.can_create_formulation(request.user),
    }
    if formulation is not None:
        rows = selectors.states_by_body(formulation)
        totals = selectors.state_totals(formulation)
        context.update(
            {
                "rows": rows,
                "totals": [totals[s.value] for s in STATE_ORDER],
                "total": sum(totals.values()),
                "chart": states_chart(rows),
                "overdue": selectors.overdue_tasks(formulation=formulation),
                "open_comments": selectors.open_comment_count(formulation),
                "recent_comments": selectors.comment_list(formulation=formulation)[:8],
                "actionable": selectors.actionable_sections(
                    user=request.user, formulation=formulation, limit=15
                ),
                "unread": selectors.unread_count(request.user),
                "can_manage": rules.can_manage_formulation(request.user, formulation),
            }
        )
    return render(request, "workflow/dashboard.html", context)


@staff_required
def comments(request: HttpRequest) -> HttpResponse:
    formulation = selectors.formulation_current(request.GET.get("formulation"))
    show = request.GET.get("show", "open")
    resolved = {"open": False, "resolved": True}.get(show)
    page = None
    if formulation is not None:
        qs = selectors.comment_list(formulation=formulation, resolved=resolved)
        page = page_of(request, qs, 50)
    return render(
        request,
        "workflow/comments.html",
        {
            "nav_slug": "workflow_comments",
            "formulation": formulation,
            "page": page,
            "show": show if show in ("open", "resolved", "all") else "open",
        },
    )


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    qs = selectors.notification_list(user=request.user)
    page = page_of(request, qs, 50)
    return render(
        request,
        "workflow/inbox.html",
        {
            "nav_slug": "workflow_inbox",
            "page": page,
            "unread": selectors.unread_count(request.user),
        },
    )


@require_POST
@staff_required
def inbox_read(request: HttpRequest) -> HttpResponse:
    value = request.POST.get("notification", "").strip()
    count = services.notification_mark_read(
        user=request.user, notification_id=int(value) if value.isdigit() else None
    )
    target = request.POST.get("next", "")
    if value.isdigit() and target.startswith("/staff/"):
        return redirect(target)
    messages.success(request, _("%(n)d 件のお知らせを既読にしました。") % {"n": count})
    return redirect("staff:workflow_inbox")
