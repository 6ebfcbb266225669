"""Evaluation results (evaluation.api, published reports only): section, search, open data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keikaku.publication.integrations._util import api_function, aware, lines, register_table
from keikaku.publication.opendata import MUNICIPALITY_COLUMNS
from keikaku.publication.registry import (
    Column,
    SearchItem,
    Section,
    register_search_source,
    register_section,
    shared,
)


def published_rounds() -> list[Any]:
    fn = api_function("evaluation", "published_rounds")
    return shared("evaluation.rounds", lambda: list(fn())) if fn else []


def published_report(fiscal_year: int) -> Any:
    fn = api_function("evaluation", "published_report")
    return shared(f"evaluation.report:{fiscal_year}", lambda: fn(fiscal_year)) if fn else None


def reports() -> Iterator[Any]:
    for r in published_rounds():
        report = published_report(r.fiscal_year)
        if report is not None:
            yield report


register_section(
    Section(
        key="evaluation",
        title=_("評価結果"),
        url_name="evaluation:index",
        description=_("毎年度の施策の評価と、成果指標の達成状況"),
        order=30,
        available=lambda: bool(published_rounds()),
    )
)


def search_items() -> Iterator[SearchItem]:
    for report in reports():
        fy = report.fiscal_year
        yield SearchItem(
            key=f"evaluation:{fy}",
            url=reverse("evaluation:round", args=[fy]),
            kind="evaluation",
            kind_label=str(_("評価結果")),
            title=report.title,
            body=lines(report.introduction, report.scheme.name, report.scheme.description),
        )
        for m in report.measures:
            yield SearchItem(
                key=f"evaluation:{fy}:{m.code}",
                url=reverse("evaluation:measure", args=[fy, m.code]),
                kind="evaluation",
                kind_label=str(_("評価結果")),
                title=f"{m.code} {m.title}（{report.title}）",
                body=lines(
                    m.results,
                    m.issues,
                    m.direction_label,
                    m.direction_note,
                    *(i.name for i in m.indicators),
                ),
            )


register_search_source("evaluation", search_items)


def _base(report: Any) -> dict[str, Any]:
    return {
        "municipality_code": report.municipality_code,
        "municipality_name": report.municipality,
        "fiscal_year": report.fiscal_year,
        "report_title": report.title,
    }


def measure_rows() -> Iterator[dict[str, Any]]:
    for report in reports():
        for m in report.measures:
            yield {
                **_base(report),
                "measure_code": m.code,
                "measure_title": m.title,
                "area_number": m.area_number,
                "grade": m.grade,
                "mean_progress": m.mean_progress,
                "indicator_count": m.n_indicators,
                "reported_count": m.n_reported,
                "direction": m.direction_label,
                "cost_total": m.cost_total,
            }


def indicator_rows() -> Iterator[dict[str, Any]]:
    for report in reports():
        for m in report.measures:
            for i in m.indicators:
                yield {
                    **_base(report),
                    "measure_code": m.code,
                    "indicator_code": i.code,
                    "indicator_name": i.name,
                    "unit": i.unit,
                    "baseline": i.baseline,
                    "baseline_fy": i.baseline_fy,
                    "target": i.target,
                    "target_fy": i.target_fy,
                    "actual": i.actual,
                    "progress": i.progress,
                    "grade": i.grade,
                    "trend_vs_baseline": i.trend_vs_baseline_label,
                }


def _updated() -> Any:
    dates = [d for d in (aware(r.published_at) for r in published_rounds()) if d is not None]
    return max(dates) if dates else None


BASE = (
    *MUNICIPALITY_COLUMNS,
    Column("fiscal_year", "評価の対象年度（西暦）", "year"),
    Column("report_title", "報告書名"),
)


register_table(
    "evaluation",
    "evaluation-measures",
    _("施策の評価結果"),
    _("公表した年度ごとの施策評価：評価区分、成果指標の平均達成率、今後の方向性。"),
    """
    measure_code     施策番号
    measure_title    施策名
    area_number      政策分野番号                    integer
    grade            評価
    mean_progress    成果指標の平均達成率（%）       number
    indicator_count  成果指標の数（件）              integer
    reported_count   実績のある成果指標の数（件）    integer
    direction        今後の方向性
    cost_total       事業費の合計（千円）            integer
    """,
    rows=measure_rows,
    api_path="/api/v1/evaluations/{fiscal_year}/measures",
    order=30,
    updated=_updated,
    lead=BASE,
)
register_table(
    "evaluation",
    "evaluation-indicators",
    _("成果指標の達成状況"),
    _("公表した年度ごとの成果指標の実績値、達成率、評価。"),
    """
    measure_code       施策番号
    indicator_code     指標番号
    indicator_name     指標名
    unit               単位
    baseline           基準値                  number
    baseline_fy        基準値の年度（西暦）    year
    target             目標値                  number
    target_fy          目標年度（西暦）        year
    actual             実績値                  number
    progress           達成率（%）             number
    grade              評価
    trend_vs_baseline  基準値との比較
    """,
    rows=indicator_rows,
    api_path="/api/v1/evaluations/{fiscal_year}/indicators",
    order=31,
    updated=_updated,
    lead=BASE,
)
