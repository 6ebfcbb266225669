"""Report downloads: the evaluation report (staff: live data; public: the published
snapshot) as PDF and Excel.

The staff PDF (about 15 s for 40 measures) is made by the evaluation app's background task
(this app registers the renderer in ``ReportingConfig.ready``): its old URL sends the user
to that page. The comparison of two editions is exported by the evaluation app; its old URL
sends the user there too."""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from keikaku.accounts.rules import staff_required
from keikaku.core.selectors import content_version_get
from keikaku.evaluation import api as evaluation_api
from keikaku.reporting import evaluation_report
from keikaku.reporting.pdf import PdfError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PUBLIC_REPORT_CACHE_SECONDS = 24 * 3600


def _file(body: bytes, content_type: str, filename: str, *, private: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store" if private else "public, max-age=300"
    return response


def _pdf_or_503(report: evaluation_api.VerificationReport) -> bytes | HttpResponse:
    try:
        return evaluation_report.report_pdf(report)
    except PdfError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")


@staff_required
@require_GET
def staff_report(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    if fmt == "pdf":
        return redirect("staff:evaluation_report_file", pk=int(pk))
    report = evaluation_api.report_for_round(int(pk))
    if report is None:
        raise Http404(_("その年度評価はありません。"))
    filename = evaluation_api.round_filename(int(pk), fmt)
    return _file(evaluation_report.report_xlsx(report), XLSX, filename, private=True)


@require_GET
def public_report(request: HttpRequest, fiscal_year: str, fmt: str) -> HttpResponse:
    """The published report; built once per publication (cached on the content version)."""
    year = int(fiscal_year)
    report = evaluation_api.published_report(year)
    if report is None:
        raise Http404(_("その年度の評価結果は公開されていません。"))
    key = f"evaluation-report:{content_version_get()}:{year}:{fmt}"
    body = cache.get(key)
    if body is None:
        if fmt == "xlsx":
            body = evaluation_report.report_xlsx(report)
        else:
            made = _pdf_or_503(report)
            if isinstance(made, HttpResponse):
                return made
            body = made
        cache.set(key, body, PUBLIC_REPORT_CACHE_SECONDS)
    filename = evaluation_api.published_filename(year, fmt)
    content_type = XLSX if fmt == "xlsx" else "application/pdf"
    return _file(body, content_type, filename, private=False)


@staff_required
@require_GET
def staff_comparison(request: HttpRequest, edition_pk: str, fmt: str) -> HttpResponse:
    """Moved: the evaluation app exports the whole comparison (measures, strategies,
    programmes, indicators)."""
    return redirect("staff:evaluation_comparison_download", edition_pk=int(edition_pk), fmt=fmt)
