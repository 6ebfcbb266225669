"""The public page of the formulation's progress (策定過程の公表)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from keikaku.core.cache import public_page_cache
from keikaku.core.domain.charts import GanttRow, gantt_chart
from keikaku.workflow import api
from keikaku.workflow.domain.schedule import window


@public_page_cache
def progress(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    data = api.progress_public(today=today)
    chart = ""
    open_calls = []
    meetings = []
    if data is not None:
        rows = [
            GanttRow(label=p.title, start=p.start, end=p.end, status=p.state_label)
            for p in data.phases
        ]
        span = window([r.start for r in rows], [r.end for r in rows])
        if span is not None:
            chart = gantt_chart(
                chart_id="progress-phases",
                title=_("策定の流れ"),
                desc=_(
                    "計画づくりの各段階の時期を横棒で示します。赤い縦線が今日です。"
                    "同じ内容を下の表にも載せています。"
                ),
                rows=rows,
                today=today,
                start=span[0],
                end=span[1],
                lang=get_language(),
            )
        for phase in data.phases:
            for task in phase.tasks:
                if task.is_open_call:
                    open_calls.append(task)
                if task.kind == "meeting":
                    meetings.append(task)
    return render(
        request,
        "workflow/public_progress.html",
        {
            "nav": "progress",
            "progress": data,
            "chart": chart,
            "open_calls": open_calls,
            "meetings": meetings,
            "today": today,
        },
    )
