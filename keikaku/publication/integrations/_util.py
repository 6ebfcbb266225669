"""Small helpers for the adapters: optional imports of an app's api.py, dates."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

from django.utils import timezone


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
