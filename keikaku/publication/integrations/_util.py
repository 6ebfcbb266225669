"""Small helpers for the adapters: optional imports of an app's api.py, dates, the published
plan and the municipality cells of a row (once per request, see registry.shared)."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

from django.utils import timezone

from keikaku.publication.opendata import MUNICIPALITY_COLUMNS
from keikaku.publication.plandata import PlanData, published_plan
from keikaku.publication.registry import Column, Dataset, columns, register_dataset, shared


def optional_api(app: str) -> ModuleType | None:
    """``keikaku.<app>.api`` or None when the app has no api.py (yet)."""
    try:
        return importlib.import_module(f"keikaku.{app}.api")
    except ImportError:
        return None


def api_function(app: str, name: str) -> Callable[..., Any] | None:
    """A function of an app's api.py, or None when it does not exist (yet)."""
    module = optional_api(app)
    fn = getattr(module, name, None) if module is not None else None
    return fn if callable(fn) else None


def aware(value: Any) -> dt.datetime | None:
    """A datetime from a datetime, a date or ISO text (None when empty or unreadable)."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, dt.date):
        return timezone.make_aware(dt.datetime(value.year, value.month, value.day))
    return None


def lines(*parts: Any) -> str:
    """Non-empty parts joined by new lines (the text of a search document)."""
    return "\n".join(str(p) for p in parts if p not in (None, ""))


def public_plan() -> PlanData | None:
    """The published plan (read once per request within a registry.shared_scope)."""
    return shared("plan", published_plan)


def municipality() -> dict[str, str]:
    """The first two cells of every open-data row: the published plan's municipality."""
    return municipality_of(public_plan())


def municipality_of(plan: PlanData | None) -> dict[str, str]:
    return {
        "municipality_code": plan.municipality_code if plan else "",
        "municipality_name": plan.municipality_name if plan else "",
    }


def register_table(
    source: str,
    key: str,
    title: Any,
    description: Any,
    table: str,
    *,
    lead: tuple[Column, ...] = MUNICIPALITY_COLUMNS,
    **options: Any,
) -> None:
    """Register an open-data table of ``source``: its columns are ``lead`` (the municipality
    code and name) and then the ``table`` of registry.columns; ``options`` as in Dataset."""
    register_dataset(
        Dataset(
            key=key,
            title=title,
            description=description,
            columns=columns(table, *lead),
            source=source,
            **options,
        )
    )
