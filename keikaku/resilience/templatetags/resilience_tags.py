"""Template helpers of the resilience pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """mapping[key], or "" when missing."""
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return ""
