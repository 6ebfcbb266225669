"""The open-data API: read-only JSON under /api/v1/ with its OpenAPI 3 schema at
/api/v1/openapi.json (django-ninja).

Published data only (through the apps' api.py, via the registry adapters). Lists are paged
(``limit`` 1–500, default 100; ``offset``) and filterable. The middleware adds CORS for GET,
an ETag and Last-Modified from the public content version, answers conditional requests
with 304 and caches whole responses per content version (see ``api_headers``).

Field names are English; texts are Japanese as published (``*_en`` fields carry English
where the city entered it). Licence: CC BY 4.0.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.http import HttpRequest
from django.urls import reverse
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import Field, create_model

from keikaku.publication import opendata, registry
from keikaku.publication.integrations import council as council_adapter
from keikaku.publication.integrations import demography as demography_adapter
from keikaku.publication.integrations import evaluation as evaluation_adapter
from keikaku.publication.integrations import participation as participation_adapter
from keikaku.publication.integrations import resilience as resilience_adapter
from keikaku.publication.integrations import workflow as workflow_adapter
from keikaku.publication.plandata import PlanData, published_plan

API_TITLE = "Keikaku open data API"
API_DESCRIPTION = (
    "総合計画の公開データ（読み取り専用）。ライセンス: CC BY 4.0 "
    f"（{opendata.LICENCE_URL}）。一覧は limit（1～500）と offset でページ分けします。"
)

api = NinjaAPI(
    title=API_TITLE,
    version="1",
    description=API_DESCRIPTION,
    urls_namespace="api_v1",
    docs_url=None,
    openapi_url="/openapi.json",
)


def _one_scope(view: Callable[..., Any]) -> Callable[..., Any]:
    """Each request computes the adapters' shared values once (see registry.shared)."""

    @functools.wraps(view)
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with registry.shared_scope():
            return view(request, *args, **kwargs)

    return run


api.add_decorator(_one_scope)

T = TypeVar("T")
MAX_LIMIT = 500


class Error(Schema):
    detail: str


class ValidationErrorItem(Schema):
    loc: list[str | int] = []
    msg: str = ""
    type: str = ""


class ValidationErrorOut(Schema):
    detail: list[ValidationErrorItem]


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> Any:
    items = []
    for e in exc.errors:
        items.append(
            {
                "loc": [str(x) if not isinstance(x, int) else x for x in e.get("loc", [])],
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
        )
    return api.create_response(request, {"detail": items}, status=422)


ERRORS: dict[int, Any] = {404: Error, 422: ValidationErrorOut}


class Paging(Schema):
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description="1ページの件数（1～500）")
    offset: int = Field(0, ge=0, le=1_000_000, description="先頭から飛ばす件数")


_pages: dict[str, type[Schema]] = {}


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """A paged envelope {count, limit, offset, next, previous, results} of ``item``."""
    if name not in _pages:
        _pages[name] = create_model(  # type: ignore[call-overload]
            name,
            __base__=Schema,
            count=(int, ...),
            limit=(int, ...),
            offset=(int, ...),
            next=(str | None, None),
            previous=(str | None, None),
            results=(list[item], ...),  # type: ignore[valid-type]
        )
    return _pages[name]


def paged[T](
    request: HttpRequest, items: Sequence[T] | Iterable[T], paging: Paging
) -> dict[str, Any]:
    rows = list(items)
    start, stop = paging.offset, paging.offset + paging.limit

    def link(offset: int) -> str:
        params = request.GET.copy()
        params["offset"] = str(offset)
        params["limit"] = str(paging.limit)
        return request.build_absolute_uri(request.path + "?" + params.urlencode())

    return {
        "count": len(rows),
        "limit": paging.limit,
        "offset": paging.offset,
        "next": link(stop) if stop < len(rows) else None,
        "previous": link(max(0, start - paging.limit)) if start > 0 else None,
        "results": rows[start:stop],
    }


def _plan() -> PlanData:
    plan = published_plan()
    if plan is None:
        raise HttpError(404, "公開されている計画はまだありません。")
    return plan


def _text_match(query: str, *texts: str) -> bool:
    from keikaku.publication.domain.japanese import fold

    q = fold(query)
    return not q or any(q in fold(t or "") for t in texts)


# --------------------------------------------------------------------------- index


class DatasetOut(Schema):
    key: str
    title: str
    description: str
    source: str
    api_path: str
    csv_url: str | None
    updated_at: dt.datetime | None
    pending: bool
    pending_note: str


class IndexOut(Schema):
    title: str
    licence: str
    licence_url: str
    municipality_code: str
    municipality_name: str
    openapi: str
    datasets: list[DatasetOut]


def _datasets() -> list[dict[str, Any]]:
    entries = registry.datasets()
    dates = opendata.catalogue_dates(entries)
    return [
        {
            "key": d.key,
            "title": str(d.title),
            "description": str(d.description),
            "source": d.source,
            "api_path": d.api_path,
            "csv_url": None if d.pending else reverse("public:dataset_csv", args=[d.key]),
            "updated_at": dates[d.key],
            "pending": d.pending,
            "pending_note": d.pending_note,
        }
        for d in entries
    ]


@api.get(
    "/",
    response={200: IndexOut, **ERRORS},
    summary="API の案内とデータセットの一覧",
    tags=["catalogue"],
)
def index(request: HttpRequest) -> dict[str, Any]:
    plan = published_plan()
    return {
        "title": API_TITLE,
        "licence": opendata.LICENCE_NAME,
        "licence_url": opendata.LICENCE_URL,
        "municipality_code": plan.municipality_code if plan else "",
        "municipality_name": plan.municipality_name if plan else "",
        "openapi": reverse("api_v1:openapi-json"),
        "datasets": _datasets(),
    }


@api.get(
    "/datasets",
    response={200: page_of(DatasetOut, "DatasetPage"), **ERRORS},
    summary="データセットの一覧（更新日つき）",
    tags=["catalogue"],
)
def dataset_list(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    return paged(request, _datasets(), paging)


Cell = str | int | float | bool | None


class DatasetRowsOut(Schema):
    key: str
    columns: list[str]
    headers: list[str]
    count: int
    limit: int
    offset: int
    next: str | None = None
    previous: str | None = None
    results: list[dict[str, Cell]]


@api.get(
    "/datasets/{key}/rows",
    response={200: DatasetRowsOut, **ERRORS},
    summary="データセットの行（CSV と同じ内容）",
    tags=["catalogue"],
)
def dataset_rows(request: HttpRequest, key: str, paging: Query[Paging]) -> Any:
    dataset = registry.dataset_get(key)
    if dataset is None or dataset.pending:
        return Status(404, {"detail": "そのデータセットはありません。"})
    keys = [c.key for c in dataset.columns]
    rows = [{k: _json_cell(row.get(k)) for k in keys} for row in dataset.rows()]
    page = paged(request, rows, paging)
    return {
        "key": dataset.key,
        "columns": keys,
        "headers": [c.header for c in dataset.columns],
        **page,
    }


def _json_cell(value: Any) -> Cell:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return value if value == value else None
    return str(value)


# --------------------------------------------------------------------------- plan


class AreaSummary(Schema):
    number: int
    title: str
    title_en: str
    description: str
    measure_count: int
    url: str


class StrategySummary(Schema):
    number: int
    title: str
    title_en: str
    description: str
    url: str


class PlanOut(Schema):
    municipality_code: str
    municipality_name: str
    plan_title: str
    plan_start_fy: int | None
    plan_end_fy: int | None
    edition_title: str
    edition_kind: str
    start_fy: int
    end_fy: int
    vision: str
    vision_en: str
    concept_description: str
    introduction: str
    areas: list[AreaSummary]
    strategies: list[StrategySummary]


@api.get(
    "/plan",
    response={200: PlanOut, **ERRORS},
    summary="計画の概要（将来像、政策分野、重点戦略）",
    tags=["plan"],
)
def plan_get(request: HttpRequest) -> dict[str, Any]:
    plan = _plan()
    home = plan.home
    return {
        "municipality_code": plan.municipality_code,
        "municipality_name": plan.municipality_name,
        "plan_title": home.get("plan_title", ""),
        "plan_start_fy": home.get("plan_start_fy"),
        "plan_end_fy": home.get("plan_end_fy"),
        "edition_title": plan.edition.title,
        "edition_kind": home.get("kind", ""),
        "start_fy": plan.edition.start_fy,
        "end_fy": plan.edition.end_fy,
        "vision": home.get("vision", ""),
        "vision_en": home.get("vision_en", ""),
        "concept_description": home.get("concept_description", ""),
        "introduction": home.get("introduction", ""),
        "areas": [_area_summary(plan, a) for a in plan.areas],
        "strategies": [_strategy_summary(s) for s in plan.strategies],
    }


def _area_summary(plan: PlanData, a: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": a["number"],
        "title": a["title"],
        "title_en": a.get("title_en", ""),
        "description": a.get("description", ""),
        "measure_count": len(plan.area_measures(a["number"])),
        "url": reverse("public:area", args=[a["number"]]),
    }


def _strategy_summary(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": s["number"],
        "title": s["title"],
        "title_en": s.get("title_en", ""),
        "description": s.get("description", ""),
        "url": reverse("public:strategy", args=[s["number"]]),
    }


class MeasureSummary(Schema):
    code: str
    title: str
    title_en: str
    plain_summary: str


class AreaOut(AreaSummary):
    measures: list[MeasureSummary]


@api.get(
    "/areas",
    response={200: page_of(AreaSummary, "AreaPage"), **ERRORS},
    summary="政策分野の一覧",
    tags=["plan"],
)
def area_list(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    plan = _plan()
    return paged(request, [_area_summary(plan, a) for a in plan.areas], paging)


@api.get("/areas/{number}", response={200: AreaOut, **ERRORS}, summary="政策分野", tags=["plan"])
def area_get(request: HttpRequest, number: int) -> Any:
    plan = _plan()
    area = plan.area(number)
    if area is None:
        return Status(404, {"detail": "その政策分野は見つかりません。"})
    return {
        **_area_summary(plan, area),
        "measures": [
            {
                "code": m["code"],
                "title": m["title"],
                "title_en": m.get("title_en", ""),
                "plain_summary": m.get("plain_summary", ""),
            }
            for m in plan.area_measures(number)
        ],
    }


class IndicatorValueOut(Schema):
    fiscal_year: int
    value: float | None
    as_of: dt.date | None
    note: str


class IndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    unit: str
    direction: str
    direction_label: str
    baseline_value: float | None
    baseline_fy: int | None
    target_value: float | None
    target_fy: int | None
    cumulative: bool
    survey_based: bool
    description: str
    source: str
    owner_kind: str
    owner: str
    values: list[IndicatorValueOut]


class InitiativeOut(Schema):
    title: str
    description: str
    section: str


class AreaRef(Schema):
    number: int
    title: str
    title_en: str


class StrategyRef(Schema):
    number: int
    title: str


class MeasureOut(Schema):
    code: str
    title: str
    title_en: str
    plain_summary: str
    target_state: str
    current_issues: str
    role_citizens: str
    role_businesses: str
    role_city: str
    departments: list[str]
    sdgs: list[int]
    related_plans: list[str]
    area: AreaRef
    strategies: list[StrategyRef]
    initiatives: list[InitiativeOut]
    indicators: list[IndicatorOut]
    url: str


def _indicator(ind: dict[str, Any], owner_kind: str, owner: str) -> dict[str, Any]:
    return {
        "code": ind["code"],
        "name": ind["name"],
        "name_en": ind.get("name_en", "") or "",
        "unit": ind.get("unit", "") or "",
        "direction": ind.get("direction", "") or "",
        "direction_label": ind.get("direction_label", "") or "",
        "baseline_value": ind.get("baseline_value"),
        "baseline_fy": ind.get("baseline_fy"),
        "target_value": ind.get("target_value"),
        "target_fy": ind.get("target_fy"),
        "cumulative": bool(ind.get("cumulative")),
        "survey_based": bool(ind.get("survey_based")),
        "description": ind.get("description", "") or "",
        "source": ind.get("source", "") or "",
        "owner_kind": owner_kind,
        "owner": owner,
        "values": [
            {
                "fiscal_year": v["fiscal_year"],
                "value": v.get("value"),
                "as_of": v.get("as_of") or None,
                "note": v.get("note", "") or "",
            }
            for v in ind.get("values", [])
        ],
    }


def _measure(m: dict[str, Any]) -> dict[str, Any]:
    sdgs = []
    for g in m.get("sdgs", []):
        try:
            sdgs.append(int(g))
        except (TypeError, ValueError):
            continue
    return {
        "code": m["code"],
        "title": m["title"],
        "title_en": m.get("title_en", "") or "",
        "plain_summary": m.get("plain_summary", "") or "",
        "target_state": m.get("target_state", "") or "",
        "current_issues": m.get("current_issues", "") or "",
        "role_citizens": m.get("role_citizens", "") or "",
        "role_businesses": m.get("role_businesses", "") or "",
        "role_city": m.get("role_city", "") or "",
        "departments": list(m.get("departments", [])),
        "sdgs": sdgs,
        "related_plans": list(m.get("related_plans", [])),
        "area": {
            "number": m["area"]["number"],
            "title": m["area"]["title"],
            "title_en": m["area"].get("title_en", "") or "",
        },
        "strategies": [
            {"number": s["number"], "title": s["title"]} for s in m.get("strategies", [])
        ],
        "initiatives": [
            {
                "title": i["title"],
                "description": i.get("description", "") or "",
                "section": i.get("section", "") or "",
            }
            for i in m.get("initiatives", [])
        ],
        "indicators": [_indicator(i, "measure", m["code"]) for i in m.get("indicators", [])],
        "url": reverse("public:measure", args=[m["code"]]),
    }


class MeasureFilter(Schema):
    area: int | None = Field(None, description="政策分野番号")
    strategy: int | None = Field(None, description="重点戦略番号")
    q: str = Field("", max_length=100, description="施策名・要約に含まれる語")


class MeasureListItem(Schema):
    code: str
    title: str
    title_en: str
    plain_summary: str
    area: AreaRef
    strategies: list[StrategyRef]
    indicator_codes: list[str]
    url: str


def _measure_item(m: dict[str, Any]) -> dict[str, Any]:
    full = _measure(m)
    return {
        **{k: full[k] for k in ("code", "title", "title_en", "plain_summary", "area")},
        "strategies": full["strategies"],
        "indicator_codes": [i["code"] for i in full["indicators"]],
        "url": full["url"],
    }


@api.get(
    "/measures",
    response={200: page_of(MeasureListItem, "MeasurePage"), **ERRORS},
    summary="施策の一覧（詳しい内容は /measures/{code}、指標は /indicators）",
    tags=["plan"],
)
def measure_list(
    request: HttpRequest, paging: Query[Paging], filters: Query[MeasureFilter]
) -> dict[str, Any]:
    plan = _plan()
    items = [
        m
        for m in plan.measures
        if (filters.area is None or m["area"]["number"] == filters.area)
        and (
            filters.strategy is None
            or any(s["number"] == filters.strategy for s in m.get("strategies", []))
        )
        and _text_match(filters.q, m["title"], m.get("title_en", ""), m.get("plain_summary", ""))
    ]
    return paged(request, [_measure_item(m) for m in items], paging)


@api.get(
    "/measures/{code}",
    response={200: MeasureOut, **ERRORS},
    summary="施策",
    tags=["plan"],
)
def measure_get(request: HttpRequest, code: str) -> Any:
    m = _plan().measure(code)
    if m is None:
        return Status(404, {"detail": "その施策は見つかりません。"})
    return _measure(m)


class MeasureRef(Schema):
    code: str
    title: str
    area_number: int | None


class StrategyOut(StrategySummary):
    basic_goal: str
    measures: list[MeasureRef]
    indicators: list[IndicatorOut]


def _strategy(s: dict[str, Any]) -> dict[str, Any]:
    return {
        **_strategy_summary(s),
        "basic_goal": s.get("basic_goal", "") or "",
        "measures": [
            {"code": m["code"], "title": m["title"], "area_number": m.get("area_number")}
            for m in s.get("measures", [])
        ],
        "indicators": [
            _indicator(i, "strategy", str(s["number"])) for i in s.get("indicators", [])
        ],
    }


@api.get(
    "/strategies",
    response={200: page_of(StrategyOut, "StrategyPage"), **ERRORS},
    summary="重点戦略の一覧",
    tags=["plan"],
)
def strategy_list(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    return paged(request, [_strategy(s) for s in _plan().strategies], paging)


@api.get(
    "/strategies/{number}",
    response={200: StrategyOut, **ERRORS},
    summary="重点戦略",
    tags=["plan"],
)
def strategy_get(request: HttpRequest, number: int) -> Any:
    for s in _plan().strategies:
        if s["number"] == number:
            return _strategy(s)
    return Status(404, {"detail": "その重点戦略は見つかりません。"})


class IndicatorFilter(Schema):
    measure: str | None = Field(None, max_length=40, description="施策番号")
    strategy: int | None = Field(None, description="重点戦略番号")
    area: int | None = Field(None, description="政策分野番号")
    survey_based: bool | None = Field(None, description="市民意識調査による指標だけ")


@api.get(
    "/indicators",
    response={200: page_of(IndicatorOut, "IndicatorPage"), **ERRORS},
    summary="成果指標の一覧（目標値と実績値）",
    tags=["indicators"],
)
def indicator_list(
    request: HttpRequest, paging: Query[Paging], filters: Query[IndicatorFilter]
) -> dict[str, Any]:
    plan = _plan()
    area_of = {m["code"]: m["area"]["number"] for m in plan.measures}
    items = []
    for kind, owner, ind in plan.indicators():
        if filters.measure is not None and not (kind == "measure" and owner == filters.measure):
            continue
        if filters.strategy is not None and not (
            kind == "strategy" and owner == str(filters.strategy)
        ):
            continue
        if filters.area is not None and area_of.get(owner) != filters.area:
            continue
        if filters.survey_based is not None and bool(ind.get("survey_based")) != (
            filters.survey_based
        ):
            continue
        items.append(_indicator(ind, kind, owner))
    return paged(request, items, paging)


@api.get(
    "/indicators/{code}",
    response={200: IndicatorOut, **ERRORS},
    summary="成果指標",
    tags=["indicators"],
)
def indicator_get(request: HttpRequest, code: str) -> Any:
    for kind, owner, ind in _plan().indicators():
        if ind["code"] == code:
            return _indicator(ind, kind, owner)
    return Status(404, {"detail": "その成果指標は見つかりません。"})


class IndicatorValueRow(Schema):
    indicator_code: str
    indicator_name: str
    unit: str
    fiscal_year: int
    value: float | None
    as_of: dt.date | None
    note: str


class ValueFilter(Schema):
    indicator: str | None = Field(None, max_length=40, description="指標番号")
    fiscal_year: int | None = Field(None, ge=1900, le=2200, description="年度（西暦）")
    from_year: int | None = Field(None, ge=1900, le=2200, description="この年度から")
    to_year: int | None = Field(None, ge=1900, le=2200, description="この年度まで")


@api.get(
    "/indicator-values",
    response={200: page_of(IndicatorValueRow, "IndicatorValuePage"), **ERRORS},
    summary="成果指標の実績値（1件に1年度）",
    tags=["indicators"],
)
def indicator_values(
    request: HttpRequest, paging: Query[Paging], filters: Query[ValueFilter]
) -> dict[str, Any]:
    rows = []
    for _kind, _owner, ind in _plan().indicators():
        if filters.indicator is not None and ind["code"] != filters.indicator:
            continue
        for v in ind.get("values", []):
            fy = v["fiscal_year"]
            if filters.fiscal_year is not None and fy != filters.fiscal_year:
                continue
            if filters.from_year is not None and fy < filters.from_year:
                continue
            if filters.to_year is not None and fy > filters.to_year:
                continue
            rows.append(
                {
                    "indicator_code": ind["code"],
                    "indicator_name": ind["name"],
                    "unit": ind.get("unit", "") or "",
                    "fiscal_year": fy,
                    "value": v.get("value"),
                    "as_of": v.get("as_of") or None,
                    "note": v.get("note", "") or "",
                }
            )
    return paged(request, rows, paging)


# --------------------------------------------------------------------------- evaluation


class EvaluationRoundOut(Schema):
    fiscal_year: int
    title: str
    edition_title: str
    is_final: bool
    published_at: str
    url: str


class GradeCountOut(Schema):
    label: str
    count: int


class EvaluationOut(Schema):
    fiscal_year: int
    title: str
    edition_title: str
    is_final: bool
    scheme: str
    n_measures: int
    n_indicators: int
    measure_grades: list[GradeCountOut]
    indicator_grades: list[GradeCountOut]
    published_at: str
    url: str


class EvaluationMeasureOut(Schema):
    code: str
    title: str
    area_number: int
    grade: str
    grade_description: str
    mean_progress: float | None
    n_indicators: int
    n_reported: int
    direction: str
    results: str
    issues: str
    url: str


class EvaluationIndicatorOut(Schema):
    measure_code: str
    code: str
    name: str
    unit: str
    baseline: float | None
    baseline_fy: int | None
    target: float | None
    target_fy: int | None
    actual: float | None
    progress: float | None
    grade: str
    trend_vs_baseline: str


def _report(fiscal_year: int) -> Any:
    report = evaluation_adapter.published_report(fiscal_year)
    if report is None:
        raise HttpError(404, "その年度の評価結果は公開されていません。")
    return report


def _finite(value: float | None) -> float | None:
    import math

    return value if value is not None and math.isfinite(value) else None


@api.get(
    "/evaluations",
    response={200: page_of(EvaluationRoundOut, "EvaluationRoundPage"), **ERRORS},
    summary="公表した評価の一覧",
    tags=["evaluation"],
)
def evaluation_list(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    rows = [
        {
            "fiscal_year": r.fiscal_year,
            "title": r.title,
            "edition_title": r.edition_title,
            "is_final": r.is_final,
            "published_at": r.published_at,
            "url": reverse("evaluation:round", args=[r.fiscal_year]),
        }
        for r in evaluation_adapter.published_rounds()
    ]
    return paged(request, rows, paging)


@api.get(
    "/evaluations/{fiscal_year}",
    response={200: EvaluationOut, **ERRORS},
    summary="ある年度の評価の概要",
    tags=["evaluation"],
)
def evaluation_get(request: HttpRequest, fiscal_year: int) -> dict[str, Any]:
    r = _report(fiscal_year)
    return {
        "fiscal_year": r.fiscal_year,
        "title": r.title,
        "edition_title": r.edition_title,
        "is_final": r.is_final,
        "scheme": r.scheme.name,
        "n_measures": len(r.measures),
        "n_indicators": r.n_indicators,
        "measure_grades": [{"label": g.label, "count": g.count} for g in r.plan.measure_grades],
        "indicator_grades": [{"label": g.label, "count": g.count} for g in r.plan.indicator_grades],
        "published_at": r.published_at,
        "url": reverse("evaluation:round", args=[r.fiscal_year]),
    }


class EvaluationMeasureFilter(Schema):
    area: int | None = Field(None, description="政策分野番号")
    grade: str | None = Field(None, max_length=10, description="評価（例: ◎）")


@api.get(
    "/evaluations/{fiscal_year}/measures",
    response={200: page_of(EvaluationMeasureOut, "EvaluationMeasurePage"), **ERRORS},
    summary="ある年度の施策の評価",
    tags=["evaluation"],
)
def evaluation_measures(
    request: HttpRequest,
    fiscal_year: int,
    paging: Query[Paging],
    filters: Query[EvaluationMeasureFilter],
) -> dict[str, Any]:
    r = _report(fiscal_year)
    rows = [
        {
            "code": m.code,
            "title": m.title,
            "area_number": m.area_number,
            "grade": m.grade,
            "grade_description": m.grade_description,
            "mean_progress": _finite(m.mean_progress),
            "n_indicators": m.n_indicators,
            "n_reported": m.n_reported,
            "direction": m.direction_label,
            "results": m.results,
            "issues": m.issues,
            "url": reverse("evaluation:measure", args=[r.fiscal_year, m.code]),
        }
        for m in r.measures
        if (filters.area is None or m.area_number == filters.area)
        and (filters.grade is None or m.grade == filters.grade)
    ]
    return paged(request, rows, paging)


class EvaluationIndicatorFilter(Schema):
    measure: str | None = Field(None, max_length=40, description="施策番号")


@api.get(
    "/evaluations/{fiscal_year}/indicators",
    response={200: page_of(EvaluationIndicatorOut, "EvaluationIndicatorPage"), **ERRORS},
    summary="ある年度の成果指標の達成状況",
    tags=["evaluation"],
)
def evaluation_indicators(
    request: HttpRequest,
    fiscal_year: int,
    paging: Query[Paging],
    filters: Query[EvaluationIndicatorFilter],
) -> dict[str, Any]:
    r = _report(fiscal_year)
    rows = [
        {
            "measure_code": m.code,
            "code": i.code,
            "name": i.name,
            "unit": i.unit,
            "baseline": _finite(i.baseline),
            "baseline_fy": i.baseline_fy,
            "target": _finite(i.target),
            "target_fy": i.target_fy,
            "actual": _finite(i.actual),
            "progress": _finite(i.progress),
            "grade": i.grade,
            "trend_vs_baseline": i.trend_vs_baseline_label,
        }
        for m in r.measures
        if filters.measure is None or m.code == filters.measure
        for i in m.indicators
    ]
    return paged(request, rows, paging)


# --------------------------------------------------------------------------- public comment


class PublicCommentRoundOut(Schema):
    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    state: str
    has_result: bool
    is_demo: bool
    url: str
    result_url: str | None


@api.get(
    "/public-comments",
    response={200: page_of(PublicCommentRoundOut, "PublicCommentRoundPage"), **ERRORS},
    summary="パブリックコメント（意見募集）の一覧",
    tags=["participation"],
)
def public_comment_list(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    rows = [
        {
            "id": r.id,
            "title": r.title,
            "starts_at": r.starts_at,
            "ends_at": r.ends_at,
            "state": r.state,
            "has_result": r.has_result,
            "is_demo": r.is_demo,
            "url": reverse("participation:round", args=[r.id]),
            "result_url": reverse("participation:result", args=[r.id]) if r.has_result else None,
        }
        for r in participation_adapter.rounds()
    ]
    return paged(request, rows, paging)


class ResultRowOut(Schema):
    number: int | None
    location: str
    summary: str
    city_view: str
    reflection: str
    opinion_count: int | None


class PublicCommentResultOut(Schema):
    round_id: int
    title: str
    note: str
    submitter_count: int | None
    opinion_count: int | None
    rows: list[ResultRowOut]


if participation_adapter.api_function("participation", "published_result") is not None:

    @api.get(
        "/public-comments/{round_id}/result",
        response={200: PublicCommentResultOut, **ERRORS},
        summary="パブリックコメントの結果（意見の概要と市の考え方）",
        tags=["participation"],
    )
    def public_comment_result(request: HttpRequest, round_id: int) -> Any:
        data = participation_adapter.result(round_id)
        if not data:
            return Status(404, {"detail": "その意見募集の結果は公表されていません。"})
        return {
            "round_id": round_id,
            "title": str((data.get("round") or {}).get("title", "")),
            "note": str(data.get("note", "")),
            "submitter_count": data.get("submitter_count"),
            "opinion_count": data.get("opinion_count"),
            "rows": [
                {
                    "number": row.get("number"),
                    "location": row.get("location", ""),
                    "summary": row.get("summary", ""),
                    "city_view": row.get("city_view", ""),
                    "reflection": row.get("reflection_label", ""),
                    "opinion_count": row.get("opinion_count"),
                }
                for row in data.get("rows", [])
            ],
        }


# --------------------------------------------------------------------------- population


class PopulationScenarioRow(Schema):
    year: int
    scenario: str
    followed: bool
    population: int


class PopulationTargetRow(Schema):
    year: int
    population: int


class PopulationAgeRow(Schema):
    year: int
    scenario: str
    sex: str
    age_group: str
    population: int


class ScenarioFilter(Schema):
    year: int | None = Field(None, ge=1900, le=2200, description="年（西暦）")
    scenario: str | None = Field(None, max_length=100, description="シナリオ名")


class AgeFilter(Schema):
    year: int | None = Field(None, ge=1900, le=2200, description="年（西暦）")
    sex: str | None = Field(None, max_length=2, description="性別（男・女）")


def _strip(row: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    return {k: row[k] for k in keys}


@api.get(
    "/population/scenarios",
    response={200: page_of(PopulationScenarioRow, "PopulationScenarioPage"), **ERRORS},
    summary="将来人口の推計（シナリオ別の総人口）",
    tags=["population"],
)
def population_scenarios(
    request: HttpRequest, paging: Query[Paging], filters: Query[ScenarioFilter]
) -> dict[str, Any]:
    rows = [
        _strip(r, ("year", "scenario", "followed", "population"))
        for r in demography_adapter.scenario_rows()
        if (filters.year is None or r["year"] == filters.year)
        and (filters.scenario is None or r["scenario"] == filters.scenario)
    ]
    return paged(request, rows, paging)


@api.get(
    "/population/targets",
    response={200: page_of(PopulationTargetRow, "PopulationTargetPage"), **ERRORS},
    summary="人口の将来展望（目標人口）",
    tags=["population"],
)
def population_targets(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    rows = [_strip(r, ("year", "population")) for r in demography_adapter.target_rows()]
    return paged(request, rows, paging)


@api.get(
    "/population/age-structure",
    response={200: page_of(PopulationAgeRow, "PopulationAgePage"), **ERRORS},
    summary="男女・年齢5歳階級別の将来人口",
    tags=["population"],
)
def population_age(
    request: HttpRequest, paging: Query[Paging], filters: Query[AgeFilter]
) -> dict[str, Any]:
    rows = [
        _strip(r, ("year", "scenario", "sex", "age_group", "population"))
        for r in demography_adapter.age_rows()
        if (filters.year is None or r["year"] == filters.year)
        and (filters.sex is None or r["sex"] == filters.sex)
    ]
    return paged(request, rows, paging)


# --------------------------------------------------------------------------- schedule


class ScheduleRow(Schema):
    formulation: str
    phase: str
    phase_label: str
    task: str
    kind: str
    start: dt.date
    end: dt.date
    status: str


@api.get(
    "/schedule",
    response={200: page_of(ScheduleRow, "SchedulePage"), **ERRORS},
    summary="計画策定のスケジュールと状況",
    tags=["formulation"],
)
def schedule(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    keys = ("formulation", "phase", "phase_label", "task", "kind", "start", "end", "status")
    rows = [_strip(r, keys) for r in workflow_adapter.schedule_rows()]
    return paged(request, rows, paging)


# --------------------------------------------------------------------------- resilience


class SectoralPlanRow(Schema):
    name: str
    department: str
    status: str
    start_fy: int | None
    end_fy: int | None
    legal_basis: str
    url: str
    measure_code: str
    measure_title: str


class ActionPlanOut(Schema):
    title: str
    fiscal_year: int
    entry_count: int
    site_count: int
    map_url: str
    geojson_url: str


@api.get(
    "/sectoral-plans",
    response={200: page_of(SectoralPlanRow, "SectoralPlanPage"), **ERRORS},
    summary="個別計画と関連する施策",
    tags=["resilience"],
)
def sectoral_plans(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    keys = (
        "name",
        "department",
        "status",
        "start_fy",
        "end_fy",
        "legal_basis",
        "url",
        "measure_code",
        "measure_title",
    )
    return paged(request, [_strip(r, keys) for r in resilience_adapter.sectoral_rows()], paging)


@api.get(
    "/resilience/action-plan",
    response={200: ActionPlanOut, **ERRORS},
    summary="国土強靱化のアクションプラン（概要）",
    tags=["resilience"],
)
def action_plan(request: HttpRequest) -> Any:
    info = resilience_adapter.action_plan()
    if info is None:
        return Status(404, {"detail": "アクションプランは公表されていません。"})
    return {
        "title": info.title,
        "fiscal_year": info.fiscal_year,
        "entry_count": info.entry_count,
        "site_count": info.site_count,
        "map_url": reverse("resilience:map"),
        "geojson_url": reverse("resilience:sites_geojson"),
    }


class ProgrammeRow(Schema):
    programme_code: str
    programme_name: str
    department: str
    measure_code: str
    start_fy: int | None
    end_fy: int | None
    total_cost: int | None
    grant: str
    site_count: int


class SiteRow(Schema):
    programme_code: str
    site_name: str
    district: str
    latitude: float | None
    longitude: float | None


if resilience_adapter.api_function("resilience", "published_entries") is not None:

    @api.get(
        "/resilience/programmes",
        response={200: page_of(ProgrammeRow, "ProgrammePage"), **ERRORS},
        summary="国土強靱化の事業",
        tags=["resilience"],
    )
    def resilience_programmes(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
        keys = tuple(ProgrammeRow.model_fields)
        return paged(
            request, [_strip(r, keys) for r in resilience_adapter.programme_rows()], paging
        )

    @api.get(
        "/resilience/sites",
        response={200: page_of(SiteRow, "SitePage"), **ERRORS},
        summary="国土強靱化の事業の実施箇所",
        tags=["resilience"],
    )
    def resilience_sites(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
        keys = tuple(SiteRow.model_fields)
        return paged(request, [_strip(r, keys) for r in resilience_adapter.site_rows()], paging)


# --------------------------------------------------------------------------- council


class CouncilMemberRow(Schema):
    name: str
    category: str
    affiliation: str
    position: str
    term_start: dt.date | None
    term_end: dt.date | None
    is_current: bool
    illustrative: bool


class CouncilMeetingRow(Schema):
    council: str
    number: int
    title: str
    held_on: dt.date
    place: str
    is_open: bool
    agenda_count: int
    present: int | None
    observers: int | None
    has_minutes: bool
    url: str


class MeetingDetailOut(Schema):
    id: int
    council_name: str
    number: int
    label: str
    title: str
    held_on: dt.date
    place: str
    is_open: bool
    agenda: list[str]
    materials: list[str]
    minutes_url: str
    minutes: str
    url: str


class BillRow(Schema):
    number: str
    session: str
    title: str
    target: str
    submitted_on: dt.date | None
    committee: str
    committee_result: str
    vote_on: dt.date | None
    result: str
    votes_for: int | None
    votes_against: int | None
    effective_on: dt.date | None


if council_adapter._ready("meetings_public"):

    @api.get(
        "/council/members",
        response={200: page_of(CouncilMemberRow, "CouncilMemberPage"), **ERRORS},
        summary="まちづくり審議会の委員",
        tags=["council"],
    )
    def council_members(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
        keys = tuple(CouncilMemberRow.model_fields)
        return paged(request, [_strip(r, keys) for r in council_adapter.member_rows()], paging)

    @api.get(
        "/council/meetings",
        response={200: page_of(CouncilMeetingRow, "CouncilMeetingPage"), **ERRORS},
        summary="まちづくり審議会の会議",
        tags=["council"],
    )
    def council_meetings(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
        keys = tuple(CouncilMeetingRow.model_fields)
        return paged(request, [_strip(r, keys) for r in council_adapter.meeting_rows()], paging)

    @api.get(
        "/council/meetings/{meeting_id}",
        response={200: MeetingDetailOut, **ERRORS},
        summary="まちづくり審議会の会議（議題・資料・議事録）",
        tags=["council"],
    )
    def council_meeting(request: HttpRequest, meeting_id: int) -> Any:
        m = council_adapter._call("meeting_public", meeting_id=meeting_id, default=None)
        if m is None:
            return Status(404, {"detail": "その会議は見つかりません。"})
        minutes = council_adapter._call("minutes_for_meeting", meeting_id=meeting_id, default=None)
        return {
            "id": m.id,
            "council_name": m.council_name,
            "number": m.number,
            "label": m.label,
            "title": m.title,
            "held_on": m.held_on,
            "place": m.place,
            "is_open": m.is_open,
            "agenda": list(m.agenda),
            "materials": [f.url for f in m.materials],
            "minutes_url": m.minutes_url,
            "minutes": minutes.body if minutes is not None else "",
            "url": m.url,
        }


if council_adapter._ready("bills_public"):

    @api.get(
        "/assembly/bills",
        response={200: page_of(BillRow, "BillPage"), **ERRORS},
        summary="市議会の議案と議決",
        tags=["council"],
    )
    def assembly_bills(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
        keys = tuple(BillRow.model_fields)
        return paged(request, [_strip(r, keys) for r in council_adapter.bill_rows()], paging)
