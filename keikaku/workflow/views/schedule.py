"""The formulation schedule (策定スケジュール): Gantt chart with table, phases and tasks."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keikaku.accounts.rules import staff_required
from keikaku.core.domain.charts import GanttRow, gantt_chart
from keikaku.core.view_helpers import Written, require, save_versioned, split_cleaned
from keikaku.workflow import rules, selectors, services
from keikaku.workflow.domain.schedule import window
from keikaku.workflow.forms import PhaseForm, TaskForm, TaskStatusForm
from keikaku.workflow.models import Formulation, Phase, Task
from keikaku.workflow.views._common import form_page, formulation_to_manage


def schedule_chart(
    rows: list[selectors.PhaseRow], today: dt.date, *, chart_id: str, tasks: bool = True
) -> str:
    gantt: list[GanttRow] = []
    for row in rows:
        if tasks:
            for tr in row.tasks:
                gantt.append(
                    GanttRow(
                        label=tr.task.title,
                        start=tr.task.start,
                        end=tr.task.end,
                        status=str(tr.task.get_status_display()),
                        late=tr.late,
                        group=f"{row.label} {row.phase.title}",
                    )
                )
        else:
            gantt.append(
                GanttRow(
                    label=row.phase.title,
                    start=row.start,
                    end=row.end,
                    status=row.state_label,
                    late=False,
                )
            )
    span = window([g.start for g in gantt], [g.end for g in gantt])
    if span is None:
        span = (today, today)
    return gantt_chart(
        chart_id=chart_id,
        title=_("策定スケジュール"),
        desc=_(
            "年度と四半期ごとの作業の期間を横棒で示します。赤い縦線が今日、斜線の棒が遅れている作業です。"
            "同じ内容を下の表にも載せています。"
        ),
        rows=gantt,
        today=today,
        start=span[0],
        end=span[1],
    )


def _back(formulation_id: int) -> str:
    return f"{reverse('staff:workflow_schedule')}?formulation={formulation_id}"


@staff_required
def schedule(request: HttpRequest) -> HttpResponse:
    formulation = selectors.formulation_current(request.GET.get("formulation"))
    context: dict[str, Any] = {"nav_slug": "workflow_schedule", "formulation": formulation}
    if formulation is not None:
        today = timezone.localdate()
        rows = selectors.schedule_rows(formulation=formulation, today=today)
        can_manage = rules.can_manage_formulation(request.user, formulation)
        my_bodies = rules.user_bodies(request.user).body_ids
        updatable = {
            tr.task.pk
            for row in rows
            for tr in row.tasks
            if can_manage or (tr.task.owner_id is not None and tr.task.owner_id in my_bodies)
        }
        context.update(
            {
                "updatable": updatable,
                "status_choices": Task.Status.choices,
                "rows": rows,
                "today": today,
                "chart": schedule_chart(rows, today, chart_id="wf-schedule"),
                "late_count": sum(1 for r in rows for t in r.tasks if t.late),
                "can_manage": can_manage,
            }
        )
    return render(request, "workflow/schedule.html", context)


def _form_page(
    request: HttpRequest, form: Any, title: str, back: str, **extra: Any
) -> HttpResponse:
    return form_page(request, "workflow_schedule", form, title, back, **extra)


@staff_required
def phase_create(request: HttpRequest) -> HttpResponse:
    formulation = formulation_to_manage(request)
    if formulation is None:
        return redirect("staff:workflow_schedule")
    form = PhaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        changes, _m2m = split_cleaned(form)
        phase = Phase(formulation=formulation, **changes)
        with Written(request=request, form=form) as written:
            services.phase_create(phase=phase, actor=request.user)
        if written.ok:
            messages.success(request, _("段階「%(p)s」を登録しました。") % {"p": phase})
            return redirect(_back(formulation.pk))
    return _form_page(request, form, _("段階を追加"), _back(formulation.pk))


@staff_required
def phase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    phase = get_object_or_404(Phase.objects.select_related("formulation"), pk=pk)
    require(rules.can_manage_formulation(request.user, phase.formulation))
    form = PhaseForm(request.POST or None, instance=phase)
    if request.method == "POST" and form.is_valid():
        changes, _m2m = split_cleaned(form)
        update = partial(services.phase_update, phase=phase)
        if save_versioned(request, form, phase, update=update, changes=changes):
            messages.success(request, _("段階「%(p)s」を保存しました。") % {"p": phase})
            return redirect(_back(phase.formulation_id))
    return _form_page(
        request,
        form,
        _("段階: %(p)s") % {"p": phase},
        _back(phase.formulation_id),
        delete_url="staff:workflow_phase_delete",
        obj=phase,
    )


@require_POST
@staff_required
def phase_delete(request: HttpRequest, pk: int) -> HttpResponse:
    phase = get_object_or_404(Phase.objects.select_related("formulation"), pk=pk)
    require(rules.can_manage_formulation(request.user, phase.formulation))
    formulation_id = phase.formulation_id
    try:
        services.phase_delete(phase=phase, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("staff:workflow_phase_edit", pk=pk)
    messages.success(request, _("段階を削除しました。"))
    return redirect(_back(formulation_id))


@staff_required
def task_create(request: HttpRequest) -> HttpResponse:
    formulation = formulation_to_manage(request)
    if formulation is None:
        return redirect("staff:workflow_schedule")
    form = TaskForm(request.POST or None, formulation=formulation)
    if request.method == "POST" and form.is_valid():
        changes, m2m = split_cleaned(form)
        task = Task(**changes)
        with Written(request=request, form=form) as written:
            services.task_create(task=task, actor=request.user, depends_on=m2m["depends_on"])
        if written.ok:
            messages.success(request, _("作業「%(t)s」を登録しました。") % {"t": task})
            return redirect(_back(formulation.pk))
    return _form_page(request, form, _("作業を追加"), _back(formulation.pk))


def _task(pk: int) -> Task:
    return get_object_or_404(Task.objects.select_related("phase__formulation", "owner"), pk=pk)


@staff_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(pk)
    formulation: Formulation = task.phase.formulation
    require(rules.can_manage_formulation(request.user, formulation))
    form = TaskForm(request.POST or None, instance=task, formulation=formulation)
    if request.method == "POST" and form.is_valid():
        changes, m2m = split_cleaned(form)
        update = partial(services.task_update, task=task, depends_on=m2m["depends_on"])
        if save_versioned(request, form, task, update=update, changes=changes, refresh=True):
            messages.success(request, _("作業「%(t)s」を保存しました。") % {"t": task})
            return redirect(_back(formulation.pk))
    return _form_page(
        request,
        form,
        _("作業: %(t)s") % {"t": task},
        _back(formulation.pk),
        delete_url="staff:workflow_task_delete",
        obj=task,
    )


@require_POST
@staff_required
def task_delete(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(pk)
    formulation_id = task.phase.formulation_id
    require(rules.can_manage_formulation(request.user, task.phase.formulation))
    services.task_delete(task=task, actor=request.user)
    messages.success(request, _("作業を削除しました。"))
    return redirect(_back(formulation_id))


@require_POST
@staff_required
def task_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Quick status update by the secretariat or the body that owns the task."""
    task = _task(pk)
    require(rules.can_update_task(request.user, task))
    form = TaskStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("状況を選んでください。"))
        return redirect(_back(task.phase.formulation_id))
    changes = {"status": form.cleaned_data["status"]}
    if form.cleaned_data.get("completed_on"):
        changes["completed_on"] = form.cleaned_data["completed_on"]
    if changes["status"] != Task.Status.DONE:
        changes["completed_on"] = None
    with Written(request=request) as written:
        services.task_update(
            task=task,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            changes=changes,
        )
    if written.ok:
        messages.success(
            request,
            _("「%(t)s」の状況を「%(s)s」にしました。")
            % {"t": task, "s": task.get_status_display()},
        )
    return redirect(f"{_back(task.phase.formulation_id)}#task-{task.pk}")
