"""Helpers shared by the formulation views (the general ones are in keikaku.core.view_helpers)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keikaku.core.view_helpers import require
from keikaku.workflow import rules, selectors
from keikaku.workflow.models import Formulation


def int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    return int(value) if value.isdigit() else None


def form_page(
    request: HttpRequest, nav: str, form: Any, title: str, back: str, **extra: Any
) -> HttpResponse:
    """The generic form page of the formulation views, under the navigation entry ``nav``."""
    return render(
        request,
        "workflow/form.html",
        {"nav_slug": nav, "form": form, "title": title, "back": back, **extra},
    )


def formulation_to_manage(request: HttpRequest) -> Formulation | None:
    """The formulation of ``?formulation=`` (else the current one), None when there is none;
    403 unless the user may manage it."""
    formulation = selectors.formulation_current(request.GET.get("formulation"))
    if formulation is not None:
        require(rules.can_manage_formulation(request.user, formulation))
    return formulation
