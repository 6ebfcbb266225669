"""Who turns a :class:`VerificationReport` into a file: a registry the rendering layer fills.

The verification report's PDF is rendered by ``keikaku.reporting`` (WeasyPrint, fonts, print
CSS). That app may import this one, never the reverse (import-linter's layers), so it
registers its renderer here when Django starts, in ``ReportingConfig.ready()``::

    from keikaku.evaluation import api as evaluation_api
    from keikaku.reporting.evaluation_report import report_pdf
    from keikaku.reporting.pdf import PdfError

    evaluation_api.register_report_renderer("pdf", report_pdf, user_errors=(PdfError,))

and this app's background task (:func:`keikaku.evaluation.services.report_file_execute`)
calls it. ``user_errors`` are failures whose message is already written for the user (e.g.
"the Japanese font is not installed"); any other exception is logged and reported with a
generic message. Until a renderer is registered, the pages offer no background PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from keikaku.evaluation.domain.report import VerificationReport

Render = Callable[[VerificationReport], bytes]


@dataclass(frozen=True)
class ReportRenderer:
    fmt: str
    render: Render
    user_errors: tuple[type[Exception], ...] = ()


_RENDERERS: dict[str, ReportRenderer] = {}


def register_report_renderer(
    fmt: str, render: Render, *, user_errors: tuple[type[Exception], ...] = ()
) -> None:
    """Register (or replace) the renderer of a format ("pdf")."""
    _RENDERERS[fmt] = ReportRenderer(fmt=fmt, render=render, user_errors=tuple(user_errors))


def unregister_report_renderer(fmt: str) -> None:
    _RENDERERS.pop(fmt, None)


def report_renderer(fmt: str) -> ReportRenderer | None:
    return _RENDERERS.get(fmt)
