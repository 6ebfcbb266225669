"""HTML → PDF with WeasyPrint for the plan document and the summary edition.

Noto Sans CJK JP (Debian fonts-noto-cjk) is embedded as a subset. Charts are embedded as
SVG images (data: URIs), with their numbers in a table beside them. No network access.
(keikaku.reporting has the same helper; the import contract keeps publication and reporting
independent, so the few lines are repeated here.)
"""

from __future__ import annotations

import base64
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from keikaku.core.fonts import cjk_font_available

HERE = Path(__file__).resolve().parent
FONT_FAMILY = "Noto Sans CJK JP"


class PdfError(RuntimeError):
    """The PDF could not be produced; the message says what to install or fix."""


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _layout(html: str, *, stylesheet: str) -> object:
    if not cjk_font_available():
        raise PdfError(
            _(
                "PDF に使う日本語フォント（%(font)s）が見つかりません。"
                "サーバーに fonts-noto-cjk をインストールしてください。"
            )
            % {"font": FONT_FAMILY}
        )
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    fonts = FontConfiguration()
    return HTML(
        string=html,
        base_url=HERE.as_uri() + "/",
        url_fetcher=URLFetcher(allowed_protocols=("file", "data")),
    ).render(
        stylesheets=[CSS(filename=str(HERE / stylesheet), font_config=fonts)], font_config=fonts
    )


def html_page_count(html: str, *, stylesheet: str) -> int:
    """How many pages the HTML lays out to (no PDF written: about two thirds of the time)."""
    return len(_layout(html, stylesheet=stylesheet).pages)  # type: ignore[attr-defined]


def html_to_pdf(html: str, *, stylesheet: str) -> Pdf:
    document: Any = _layout(html, stylesheet=stylesheet)
    data = document.write_pdf()
    assert data is not None
    return Pdf(data=bytes(data), pages=len(document.pages))


def pdf_text(pdf: bytes, *, mode: str = "") -> str:
    """The text of a PDF (pdftotext, poppler-utils); pages end with a form feed.

    ``mode``: "" (reading order), "layout" (as laid out: a running header's left and right
    parts on one line) or "raw" (drawing order: each box's text together, even in columns).
    """
    flags = {"": [], "layout": ["-layout"], "raw": ["-raw"]}[mode]
    result = subprocess.run(
        ["pdftotext", *flags, "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=120,
    )
    return result.stdout.decode("utf-8")
