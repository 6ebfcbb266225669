"""Helpers shared by the formulation views."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("この操作を行う権限がありません。"))


def attach_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    return int(value) if value.isdigit() else None


def split_cleaned(form: Any, fields: list[str]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Plain field values and many-to-many values of a cleaned model form."""
    changes: dict[str, Any] = {}
    m2m: dict[str, list[Any]] = {}
    model = form._meta.model
    for name in fields:
        field = model._meta.get_field(name)
        value = form.cleaned_data.get(name)
        if field.many_to_many:
            m2m[name] = list(value or [])
        else:
            changes[name] = value
    return changes, m2m
