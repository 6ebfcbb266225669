"""Formulation progress (workflow.api): section, upcoming meetings and calls, search, data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keikaku.publication.integrations._util import api_function, lines, municipality, register_table
from keikaku.publication.registry import (
    OpenCall,
    SearchItem,
    Section,
    register_call_provider,
    register_search_source,
    register_section,
    shared,
)


def _progress() -> Any:
    fn = api_function("workflow", "progress_public")
    return shared("workflow.progress", fn) if fn else None


register_section(
    Section(
        key="progress",
        title=_("策定の進み具合"),
        url_name="progress:index",
        description=_("計画づくりのスケジュールと、いまどこまで進んでいるか"),
        order=20,
        available=lambda: _progress() is not None,
    )
)


def calls() -> Iterator[OpenCall]:
    progress = _progress()
    if progress is None:
        return
    today = timezone.localdate()
    for phase in progress.phases:
        for task in phase.tasks:
            if task.status in ("done", "cancelled"):
                continue
            url = task.url or reverse("progress:index")
            if task.kind == "meeting" and task.end >= today:
                yield OpenCall(
                    kind="meeting",
                    kind_label=str(_("会議の予定")),
                    title=task.title,
                    url=url,
                    state="open" if task.start <= today else "upcoming",
                    starts=task.start,
                    ends=task.end,
                    description=task.note,
                )
            elif task.is_open_call:
                yield OpenCall(
                    kind="other",
                    kind_label=str(task.kind_label),
                    title=task.title,
                    url=url,
                    state="open" if task.start <= today else "upcoming",
                    starts=task.start,
                    ends=task.end,
                    description=task.note,
                )


register_call_provider("workflow", calls)


def search_items() -> Iterator[SearchItem]:
    progress = _progress()
    if progress is None:
        return
    yield SearchItem(
        key="progress",
        url=reverse("progress:index"),
        kind="progress",
        kind_label=str(_("策定の進み具合")),
        title=progress.title,
        body=lines(
            progress.summary,
            *(
                lines(p.label, p.title, p.description, *(t.title for t in p.tasks))
                for p in progress.phases
            ),
        ),
    )


register_search_source("workflow", search_items)


def schedule_rows() -> Iterator[dict[str, Any]]:
    progress = _progress()
    if progress is None:
        return
    base = municipality()
    for phase in progress.phases:
        for task in phase.tasks:
            yield {
                **base,
                "formulation": progress.title,
                "phase": phase.title,
                "phase_label": phase.label,
                "task": task.title,
                "kind": task.kind_label,
                "start": task.start,
                "end": task.end,
                "status": task.status_label,
            }


def _updated() -> dt.datetime | None:
    return None


register_table(
    "workflow",
    "formulation-schedule",
    _("計画策定のスケジュール"),
    _("計画づくりの段階ごとの作業・会議・市民参加と、その状況。"),
    """
    formulation  計画の策定
    phase        段階
    phase_label  時期
    task         項目
    kind         種類
    start        開始日      date
    end          終了日      date
    status       状況
    """,
    rows=schedule_rows,
    api_path="/api/v1/schedule",
    order=60,
)
