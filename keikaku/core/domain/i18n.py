"""Translation hook for pure-Python domain code.

Domain modules never import Django, yet their messages are user-facing Japanese text that
must go through gettext. They call ``_("…")`` from here; the core app installs Django's
``gettext`` at start-up (``CoreConfig.ready``), and outside Django the text is returned as is.
``makemessages`` finds the strings because the call is spelled ``_``.
"""

from __future__ import annotations

from collections.abc import Callable

_translate: Callable[[str], str] = lambda message: message  # noqa: E731


def install(translate: Callable[[str], str]) -> None:
    global _translate
    _translate = translate


def _(message: str) -> str:
    return _translate(message)


gettext = _
