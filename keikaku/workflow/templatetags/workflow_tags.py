"""Template helpers of the formulation pages."""

from __future__ import annotations

from typing import Any

from django import template

from keikaku.workflow.domain.states import state_index, state_label

register = template.Library()


@register.simple_tag
def workflow_unread(user: Any) -> int:
    from keikaku.workflow.selectors import unread_count

    return unread_count(user)


@register.filter
def state_name(value: str) -> str:
    """作成中, 部会案 … for a state value."""
    try:
        return state_label(value)
    except ValueError:
        return str(value)


@register.filter
def state_step(value: str) -> int:
    try:
        return state_index(value)
    except ValueError:
        return 0
