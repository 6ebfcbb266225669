"""HTML → PDF with WeasyPrint, shared by every report of Keikaku.

- A4 portrait (``landscape=True`` for A4 landscape pages), 20 mm margins;
- Noto Sans CJK JP (Debian ``fonts-noto-cjk``), embedded as a subset by WeasyPrint;
- a running header (the document title, set by ``string-set`` from the element with class
  ``doc-title``) and a footer with 「n / N」 page numbers;
- a table of contents with page numbers: links ``<a class="toc-link" href="#id">`` get a
  dot leader and ``target-counter(attr(href url), page)``;
- print styles for tables (header rows repeat on every page), figures (never split) and
  SVG charts from keikaku.core.domain.charts.

Templates extend ``reporting/print_base.html`` and fill its blocks (see that file). The base
stylesheet is ``keikaku/reporting/print/print.css``; pass report-specific CSS as
``extra_css``. No network access: only file: and data: URLs are fetched.
"""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from keikaku.core.fonts import FONT_FAMILY, cjk_font_available

PRINT_DIR = Path(__file__).resolve().parent / "print"
PRINT_CSS = PRINT_DIR / "print.css"


class PdfError(RuntimeError):
    """The PDF could not be produced; the message says what to install or fix."""


def svg_data_uri(svg: str) -> str:
    """An inline SVG chart as a data: URI for ``<img src>``.

    WeasyPrint parses HTML with a pure-Python parser but SVG images with the C-accelerated
    XML parser: embedding charts as images makes a chart-heavy report about 20 % faster.
    Give the ``<img>`` the chart's title as ``alt`` and keep the data table beside it.
    """
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def html_to_pdf(
    html: str,
    *,
    extra_css: Sequence[str] = (),
    base_url: str | None = None,
    landscape: bool = False,
) -> bytes:
    """Render an HTML document (from ``reporting/print_base.html``) to PDF bytes."""
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
    sheets = [CSS(filename=str(PRINT_CSS), font_config=fonts)]
    if landscape:
        sheets.append(CSS(string="@page { size: A4 landscape; }", font_config=fonts))
    sheets += [CSS(string=css, font_config=fonts) for css in extra_css]
    document = HTML(
        string=html,
        base_url=base_url or PRINT_DIR.as_uri() + "/",
        url_fetcher=URLFetcher(allowed_protocols=("file", "data")),
    )
    pdf = document.write_pdf(stylesheets=sheets, font_config=fonts)
    assert pdf is not None
    return bytes(pdf)


def render_pdf(
    template_name: str,
    context: Mapping[str, Any],
    *,
    extra_css: Sequence[str] = (),
    landscape: bool = False,
) -> bytes:
    """Render a Django template (extending ``reporting/print_base.html``) to PDF bytes."""
    html = render_to_string(template_name, dict(context))
    return html_to_pdf(html, extra_css=extra_css, landscape=landscape)


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF, extracted with ``pdftotext -layout`` (poppler-utils); for tests
    and checks."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=120,
    )
    return result.stdout.decode("utf-8")
