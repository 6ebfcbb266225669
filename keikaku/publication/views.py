"""The public site: reads published data only (plans.api and the other apps' api.py through
the registry adapters)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from keikaku.core.cache import public_page_cache
from keikaku.core.domain.fiscal import format_fiscal_year_axis
from keikaku.plans import api as plans_api
from keikaku.publication import opendata, registry
from keikaku.publication.integrations import council as council_adapter
from keikaku.publication.integrations import resilience as resilience_adapter
from keikaku.publication.plandata import published_plan


def _edition_or_404() -> plans_api.PublicEdition:
    edition = plans_api.public_edition()
    if edition is None:
        raise Http404(_("公開されている計画はまだありません。"))
    return edition


# --------------------------------------------------------------------------- calls


def _as_datetime(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    return timezone.make_aware(dt.datetime(value.year, value.month, value.day))


def open_calls() -> dict[str, list[registry.OpenCall]]:
    """The participation hub's calls: open now (soonest deadline first), upcoming, always."""
    groups: dict[str, list[registry.OpenCall]] = {"open": [], "upcoming": [], "always": []}
    for call in registry.open_calls():
        groups.setdefault(call.state, []).append(call)
    far = timezone.make_aware(dt.datetime(9999, 1, 1))
    groups["open"].sort(key=lambda c: (_as_datetime(c.ends) or far, c.title))
    groups["upcoming"].sort(key=lambda c: (_as_datetime(c.starts) or far, c.title))
    return groups


# --------------------------------------------------------------------------- pages


@public_page_cache
def home(request: HttpRequest) -> HttpResponse:
    plan = published_plan()
    calls = open_calls()
    featured = [*calls["open"], *calls["upcoming"]][:4]
    adoption = None
    if plan is not None:
        adoption = council_adapter._call(
            "edition_adoption", edition_id=plan.edition.id, default=None
        )
    sections = [s for s in registry.sections() if s.key not in ("plan", "search")]
    return render(
        request,
        "public/home.html",
        {
            "edition": plan.edition if plan else None,
            "data": plan.home if plan else None,
            "featured_calls": featured,
            "adoption": adoption,
            "sections": sections,
            "nav": "home",
        },
    )


@public_page_cache
def plan(request: HttpRequest) -> HttpResponse:
    data = published_plan()
    if data is None:
        raise Http404(_("公開されている計画はまだありません。"))
    return render(
        request,
        "public/plan.html",
        {
            "edition": data.edition,
            "data": data.home,
            "areas": [
                {**a, "measures": data.area_measures(a["number"]) or a.get("measures", [])}
                for a in data.areas
            ],
            "nav": "plan",
        },
    )


@public_page_cache
def area(request: HttpRequest, number: int) -> HttpResponse:
    edition = _edition_or_404()
    data = plans_api.published_page(edition_id=edition.id, kind="area", key=str(number))
    if data is None:
        raise Http404(_("その政策分野は見つかりません。"))
    fn = resilience_adapter.api_function("resilience", "sectoral_plans_for_area")
    sectoral = fn(edition.id, number) if fn else ()
    return render(
        request,
        "public/area.html",
        {"edition": edition, "area": data, "sectoral_plans": sectoral, "nav": "plan"},
    )


def indicator_view(ind: dict[str, Any], chart_id: str) -> dict[str, Any]:
    """Latest value, chart and table rows of one published indicator."""
    from keikaku.core.domain.charts import LineSeries, ReferenceLine, line_chart

    values = [v for v in ind["values"] if v["value"] is not None]
    latest = max(values, key=lambda v: v["fiscal_year"]) if values else None
    years: list[int] = sorted(
        {v["fiscal_year"] for v in ind["values"]}
        | ({ind["baseline_fy"]} if ind.get("baseline_fy") else set())
        | ({ind["target_fy"]} if ind.get("target_fy") else set())
    )
    if years:
        years = list(range(years[0], years[-1] + 1))
    by_year = {v["fiscal_year"]: v["value"] for v in ind["values"]}
    refs = []
    if ind.get("baseline_value") is not None:
        refs.append(ReferenceLine(label=_("基準値"), value=ind["baseline_value"], kind="baseline"))
    if ind.get("target_value") is not None:
        refs.append(ReferenceLine(label=_("目標値"), value=ind["target_value"], kind="target"))
    chart = ""
    if years:
        chart = line_chart(
            chart_id=chart_id,
            title=ind["name"],
            desc=_("%(name)s の年度ごとの実績値と、基準値・目標値") % {"name": ind["name"]},
            x_labels=[format_fiscal_year_axis(y, lang=get_language()) for y in years],
            series=[LineSeries(label=_("実績値"), values=[by_year.get(y) for y in years])],
            unit=ind.get("unit") or "",
            reference_lines=refs,
            value_decimals=plans_api.indicator_decimals(ind) or None,
        )
    return {**ind, "latest": latest, "chart": chart, "rows": [(y, by_year.get(y)) for y in years]}


@public_page_cache
def measure(request: HttpRequest, code: str) -> HttpResponse:
    edition = _edition_or_404()
    data = plans_api.published_page(edition_id=edition.id, kind="measure", key=code)
    if data is None:
        raise Http404(_("その施策は見つかりません。"))
    indicators = [
        indicator_view(ind, f"ind-{i}") for i, ind in enumerate(data["indicators"], start=1)
    ]
    return render(
        request,
        "public/measure.html",
        {"edition": edition, "m": data, "indicators": indicators, "nav": "plan"},
    )


@public_page_cache
def strategy(request: HttpRequest, number: int) -> HttpResponse:
    edition = _edition_or_404()
    data = plans_api.published_page(edition_id=edition.id, kind="strategy", key=str(number))
    if data is None:
        raise Http404(_("その重点戦略は見つかりません。"))
    indicators = [
        indicator_view(ind, f"sind-{i}") for i, ind in enumerate(data["indicators"], start=1)
    ]
    return render(
        request,
        "public/strategy.html",
        {"edition": edition, "s": data, "indicators": indicators, "nav": "plan"},
    )


@public_page_cache
def participate(request: HttpRequest) -> HttpResponse:
    """The participation hub: every open call in one place."""
    calls = open_calls()
    by_key = {s.key: s for s in registry.sections()}
    links = [by_key[k] for k in ("participation", "survey", "council", "progress") if k in by_key]
    return render(
        request,
        "public/participate.html",
        {"calls": calls, "links": links, "nav": "participate"},
    )


def search(request: HttpRequest) -> HttpResponse:
    from keikaku.publication import search as site_search

    q = request.GET.get("q", "")[:200]
    kind = request.GET.get("kind", "")[:40]
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    per_page = 20
    hits: list[Any] = []
    total = 0
    if q.strip():
        hits, total = site_search.query(
            q, kind=kind, offset=(page_number - 1) * per_page, limit=per_page
        )
    pages = Paginator(range(total), per_page) if total else None
    page = pages.get_page(page_number) if pages else None
    return render(
        request,
        "public/search.html",
        {
            "q": q,
            "kind": kind,
            "hits": hits,
            "total": total,
            "page": page,
            "nav": "search",
        },
    )


@public_page_cache
def data_catalogue(request: HttpRequest) -> HttpResponse:
    states = opendata.refresh_dates()
    entries = []
    for d in registry.datasets():
        links = []
        try:
            links = list(d.extra_links())
        except Exception:  # noqa: BLE001 - a missing URL must not break the catalogue
            links = []
        entries.append(
            {
                "dataset": d,
                "updated_at": None if d.pending else opendata.updated_at(d, states),
                "rows": states[d.key].row_count if d.key in states else None,
                "links": links,
            }
        )
    from keikaku.publication.api import api

    endpoints = []
    for path, path_view in api.get_openapi_schema()["paths"].items():
        for method, op in path_view.items():
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary")})
    return render(
        request,
        "public/data.html",
        {
            "entries": entries,
            "endpoints": endpoints,
            "licence_name": opendata.LICENCE_NAME,
            "licence_url": opendata.LICENCE_URL,
            "nav": "data",
        },
    )


def dataset_csv(request: HttpRequest, key: str) -> HttpResponse:
    dataset = registry.dataset_get(key)
    if dataset is None or dataset.pending:
        raise Http404(_("そのデータセットはありません。"))
    plan = published_plan()
    code = plan.municipality_code if plan else "000000"
    response = HttpResponse(opendata.csv_bytes(dataset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{code}_{dataset.key}.csv"'
    return response


def documents(request: HttpRequest) -> HttpResponse:
    """The downloads. The page is cached (until the next publish) only once every document
    of the current content is made: while one is still being made in the background, the
    page says so and is not cached, so that it shows the file as soon as it is there."""
    from keikaku.publication.documents import service

    files = service.document_list()
    if all(f["record"] is not None for f in files):
        return _documents_page(request, files)
    return _documents_render(request, files)


def _documents_render(request: HttpRequest, files: list[dict[str, Any]]) -> HttpResponse:
    return render(
        request,
        "public/documents.html",
        {
            "files": files,
            "nav": "documents",
            "auto_build": settings.KEIKAKU_PLAN_DOCUMENTS_AUTO_BUILD,
        },
    )


@public_page_cache
def _documents_page(request: HttpRequest, files: list[dict[str, Any]]) -> HttpResponse:
    return _documents_render(request, files)


def document_file(request: HttpRequest, name: str, fmt: str) -> HttpResponseBase:
    from keikaku.publication.documents import service

    spec = service.SPECS.get((name, fmt))
    if spec is None:
        raise Http404(_("その計画書はありません。"))
    from keikaku.publication.documents.pdf import PdfError

    try:
        record = service.document_get_or_build(kind=name, fmt=fmt)
    except PdfError as exc:
        return _error(request, 503, _("計画書を作れませんでした"), str(exc))
    if record is None:
        raise Http404(_("公開されている計画はまだありません。"))
    path = service.document_path(record)
    response = FileResponse(
        path.open("rb"), content_type=spec.content_type, as_attachment=fmt != "pdf"
    )
    response["Content-Disposition"] = (
        f'{"inline" if fmt == "pdf" else "attachment"}; filename="{service.download_name(record)}"'
    )
    return response


def accessibility_results() -> dict[str, Any] | None:
    """The last axe-core run over the public site (written by the crawl test)."""
    for path in (
        Path(settings.VAR_DIR) / "accessibility-results.json",
        Path(__file__).resolve().parent / "data" / "accessibility-results.json",
    ):
        if path.exists():
            try:
                return dict(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
    return None


@public_page_cache
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/accessibility.html",
        {"results": accessibility_results(), "nav": "accessibility"},
    )


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    try:
        return render(
            request,
            "public/error.html",
            {"status": status, "title": title, "message": message},
            status=status,
        )
    except Exception:  # noqa: BLE001 - the error page must never fail itself
        return HttpResponse(
            f"<!DOCTYPE html><html lang='ja'><title>{title}</title><h1>{title}</h1><p>{message}</p>",
            status=status,
        )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        _("ページが見つかりません"),
        _("お探しのページは移動したか、削除された可能性があります。ホームから探してください。"),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("システムエラーが発生しました"),
        _("ご不便をおかけしています。しばらくしてからもう一度お試しください。"),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    detail = (
        str(exception) if exception and str(exception) else _("このページを見る権限がありません。")
    )
    return _error(request, 403, _("アクセスできません"), detail)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        400,
        _("リクエストが正しくありません"),
        _("入力内容を確かめて、もう一度お試しください。"),
    )
