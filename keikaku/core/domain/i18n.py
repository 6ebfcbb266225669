"""Translation hook for pure-Python domain code.

Domain modules never import Django, yet their messages are user-facing Japanese text that
must go through gettext. They call ``_("…")`` from here; the core app installs Django's
``gettext`` at start-up (``CoreConfig.ready``), and outside Django the text is returned as is.
``makemessages`` finds the strings because the call is spelled ``_``.

Text defined at import time (module-level tables of labels) must not be translated then: the
language is only known per request. Such text is marked with :func:`gettext_noop` (spelled so
that ``makemessages`` extracts it) and translated when it is read, either by calling ``_`` at
the display site or by keeping it in a :class:`TranslatedLabels` mapping, whose items are
translated each time they are looked up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

_translate: Callable[[str], str] = lambda message: message  # noqa: E731


def install(translate: Callable[[str], str]) -> None:
    global _translate
    _translate = translate


def _(message: str) -> str:
    return _translate(message)


gettext = _


def gettext_noop(message: str) -> str:
    """Mark ``message`` for extraction by ``makemessages`` without translating it."""
    return message


class TranslatedLabels[K](Mapping[K, str]):
    """A read-only table of labels written as msgids and translated on every lookup.

    Lookups, ``.get``, ``.values`` and ``.items`` return the text in the language active at
    the time of the call (Japanese outside a request); :attr:`msgids` gives the untranslated
    table.
    """

    __slots__ = ("_msgids",)

    def __init__(self, msgids: Mapping[K, str]) -> None:
        self._msgids: dict[K, str] = dict(msgids)

    @property
    def msgids(self) -> Mapping[K, str]:
        return dict(self._msgids)

    def __getitem__(self, key: K) -> str:
        return _translate(self._msgids[key])

    def __iter__(self) -> Iterator[K]:
        return iter(self._msgids)

    def __len__(self) -> int:
        return len(self._msgids)

    def __repr__(self) -> str:
        return f"TranslatedLabels({self._msgids!r})"
