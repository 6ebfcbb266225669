"""The results of a wave as plain data and server-side SVG charts: one builder for the staff
analysis pages, the public summary, the Excel workbook and the PDF report."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from keikaku.core.domain.charts import ScatterPoint, bar_chart, scatter_chart
from keikaku.core.domain.fiscal import format_fiscal_year
from keikaku.surveys import selectors
from keikaku.surveys.domain.design import match_key
from keikaku.surveys.domain.portfolio import Quadrant
from keikaku.surveys.domain.problems import SurveyInputError
from keikaku.surveys.domain.report import SurveyAnalysis
from keikaku.surveys.domain.results import response_rate, tabulate_attribute
from keikaku.surveys.domain.statistics import CrossTab, Tabulation, margin_of_error, round_half_up
from keikaku.surveys.models import SurveyQuestion, SurveyWave


def pct(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{round_half_up(value, 1):.1f}"


def score(value: float | None, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    rounded = round_half_up(value, digits)
    return f"{rounded:+.{digits}f}" if rounded else f"{0:.{digits}f}"


def num(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{round_half_up(value, digits):.{digits}f}"


@dataclass(frozen=True)
class TabView:
    code: str
    title: str
    kind: str
    total: int
    base: int
    no_answer: int
    rows: list[dict[str, Any]]
    percent_total: str
    chart: str


def _tab_view(tab: Tabulation, title: str, chart_id: str, *, chart: bool = True) -> TabView:
    rows = [
        {
            "code": o.code,
            "label": o.label or str(o.code),
            "n": o.n,
            "percent": pct(o.percent),
            "margin": pct(o.margin),
        }
        for o in tab.options
    ]
    svg = ""
    if chart and tab.options:
        svg = bar_chart(
            chart_id=chart_id,
            title=title,
            desc=_("回答者%(base)d人（無回答を除く）に占める割合。") % {"base": tab.base},
            categories=[str(r["label"]) for r in rows],
            values=[o.percent for o in tab.options],
            unit="%",
            value_format="{:.1f}%",
        )
    return TabView(
        code=tab.question,
        title=title,
        kind=tab.kind,
        total=tab.total,
        base=tab.base,
        no_answer=tab.no_answer,
        rows=rows,
        percent_total=pct(tab.percent_total),
        chart=svg,
    )


def _crosstab_view(table: CrossTab, title: str) -> dict[str, Any]:
    rows = []
    for row in table.rows:
        rows.append(
            {
                "category": row.category or _("無回答"),
                "suppressed": row.suppressed,
                "base": "＊" if row.suppressed else str(row.base),
                "score": "＊" if row.suppressed else score(row.score),
                "cells": [
                    "＊" if (row.suppressed or c.suppressed) else pct(c.percent) for c in row.cells
                ],
            }
        )
    return {
        "question": table.question,
        "title": title,
        "options": [o.label or str(o.code) for o in table.options],
        "rows": rows,
        "threshold": table.threshold,
        "kind": table.kind,
    }


def portfolio_chart(analysis: SurveyAnalysis, titles: dict[str, str], chart_id: str) -> str:
    labels = analysis.portfolio.labels
    points = [
        ScatterPoint(item.code, item.satisfaction_t, item.importance_t)
        for item in analysis.portfolio.items
        if item.satisfaction_t is not None and item.importance_t is not None
    ]
    return scatter_chart(
        chart_id=chart_id,
        title=_("重要度と満足度のポートフォリオ"),
        desc=_(
            "横軸は満足度、縦軸は重要度の偏差値（平均50）。左上が%(pi)s、右上が%(pm)s、左下が%(im)s、右下が%(mt)s。各点は施策番号です。"
        )
        % {
            "pi": labels.label(Quadrant.PRIORITY_IMPROVEMENT),
            "pm": labels.label(Quadrant.PRIORITY_MAINTENANCE),
            "im": labels.label(Quadrant.IMPROVEMENT),
            "mt": labels.label(Quadrant.MAINTENANCE),
        },
        points=points,
        x_label=_("満足度（偏差値）"),
        y_label=_("重要度（偏差値）"),
        x_split=50.0,
        y_split=50.0,
        quadrant_labels=[
            labels.label(Quadrant.PRIORITY_IMPROVEMENT),
            labels.label(Quadrant.PRIORITY_MAINTENANCE),
            labels.label(Quadrant.IMPROVEMENT),
            labels.label(Quadrant.MAINTENANCE),
        ],
    )


def summary_context(
    wave: SurveyWave,
    *,
    public: bool,
    crosstab_by: str = "",
    chart_prefix: str = "survey",
) -> dict[str, Any]:
    """Everything a results page or report shows. ``public`` leaves out what is for staff
    (free text counts, channel counts, question-level cross-tabs other than published)."""
    questions = selectors.question_list(wave)
    by_code = {match_key(q.code): q for q in questions}
    attribute_questions = [q for q in questions if q.is_attribute]
    if public:
        crosstab_by = "district" if "district" in by_code else ""
    context: dict[str, Any] = {
        "wave": wave,
        "fy_label": format_fiscal_year(wave.fiscal_year),
        "attributes": [(q.code, q.title) for q in attribute_questions],
        "crosstab_by": crosstab_by,
        "public": public,
    }
    try:
        analysis = selectors.wave_analysis(wave, crosstab_by=[crosstab_by] if crosstab_by else [])
    except SurveyInputError as exc:
        context["error"] = str(exc)
        return context
    if analysis is None:
        context["empty"] = True
        return context
    n = analysis.responses.n_respondents
    context["n"] = n
    context["rate"] = num(response_rate(n, wave.sample_size))
    worst = margin_of_error(0.5, n, wave.population)
    context["max_margin"] = pct(float(100.0 * worst))
    titles = {q.code: q.title for q in questions}
    measures: list[dict[str, Any]] = []
    items = analysis.portfolio.items
    for j, m in enumerate(analysis.responses.measures):
        item = items[j]
        measures.append(
            {
                "code": m.code,
                "title": m.title,
                "n_sat": int(analysis.satisfaction.n_valid[j]),
                "n_imp": int(analysis.importance.n_valid[j]),
                "sat_score": score(item.satisfaction_score),
                "imp_score": score(item.importance_score),
                "sat_top2": pct(float(analysis.satisfaction.top2_box[j])),
                "imp_top2": pct(float(analysis.importance.top2_box[j])),
                "sat_t": num(item.satisfaction_t),
                "imp_t": num(item.importance_t),
                "quadrant": item.quadrant_label or "—",
                "need": score(item.improvement_need),
                "derived": score(item.derived_importance),
                "raw": item,
            }
        )
    context["measures"] = measures
    if measures:
        context["portfolio_svg"] = portfolio_chart(analysis, titles, f"{chart_prefix}-portfolio")
        ranked = sorted(
            (m for m in measures if m["raw"].satisfaction_score is not None),
            key=lambda m: -m["raw"].satisfaction_score,
        )
        context["satisfaction_svg"] = bar_chart(
            chart_id=f"{chart_prefix}-satisfaction",
            title=_("施策の満足度（評価点）"),
            desc=_(
                "満足＝+2、やや満足＝+1、どちらともいえない＝0、やや不満＝−1、不満＝−2 の平均。高い順。"
            ),
            categories=[f"{m['code']} {m['title']}" for m in ranked],
            values=[m["raw"].satisfaction_score for m in ranked],
            unit=_("点"),
            value_format="{:+.2f}",
        )
        context["quadrant_counts"] = [
            (analysis.portfolio.labels.label(q), sum(1 for m in measures if m["raw"].quadrant == q))
            for q in Quadrant
        ]
    tabs: list[TabView] = []
    for tab in analysis.questions:
        if tab.kind == "text":
            continue
        q = by_code.get(match_key(tab.question))
        title = q.title if q else (_("総合満足度") if tab.question == "overall" else tab.question)
        if public and tab.question != "overall":
            continue
        tabs.append(_tab_view(tab, title, f"{chart_prefix}-q-{len(tabs) + 1}"))
    context["tabs"] = tabs
    compositions: list[TabView] = []
    for q in attribute_questions:
        try:
            attribute = analysis.responses.attribute(q.code)
        except KeyError:
            continue
        tab = tabulate_attribute(attribute, tuple(q.options or []), population=wave.population)
        if public and q.code not in ("intention_to_stay",):
            chart = False
        else:
            chart = True
        compositions.append(
            _tab_view(tab, q.title, f"{chart_prefix}-a-{len(compositions) + 1}", chart=chart)
        )
    context["compositions"] = compositions
    if not public:
        context["text_answers"] = sum(t.base for t in analysis.questions if t.kind == "text")
    if crosstab_by:
        tables = [t for t in analysis.crosstabs if match_key(t.attribute) == match_key(crosstab_by)]
        overall = [t for t in tables if t.question == "overall"]
        context["crosstab_overall"] = (
            _crosstab_view(overall[0], _("総合満足度")) if overall else None
        )
        sat = [t for t in tables if t.question.startswith("S:")]
        categories = [r.category or _("無回答") for r in sat[0].rows] if sat else []
        context["crosstab_categories"] = categories
        context["crosstab_measures"] = [
            {
                "code": t.question[2:],
                "title": next((m["title"] for m in measures if m["code"] == t.question[2:]), ""),
                "scores": ["＊" if r.suppressed else score(r.score) for r in t.rows],
            }
            for t in sat
        ]
        if not public:
            context["crosstab_questions"] = [
                _crosstab_view(t, by_code[match_key(t.question)].title)
                for t in tables
                if t.kind in ("single", "multiple") and match_key(t.question) in by_code
            ]
        attribute_q = by_code.get(match_key(crosstab_by))
        context["crosstab_title"] = attribute_q.title if attribute_q else crosstab_by
        context["threshold"] = wave.suppression_threshold
    comparison = analysis.comparison
    if comparison is not None and wave.copied_from is not None:
        rows = []
        for j, m in enumerate(analysis.responses.measures):
            c = comparison.satisfaction[j]
            rows.append(
                {
                    "code": m.code,
                    "title": m.title,
                    "previous": score(c.previous_score),
                    "current": score(c.current_score),
                    "difference": score(c.score_difference),
                    "p": "—" if c.score_p_value is None else f"{c.score_p_value:.3f}",
                    "significant": c.score_significant,
                    "top2_previous": pct(c.previous_top2_box),
                    "top2_current": pct(c.current_top2_box),
                }
            )
        context["comparison"] = {
            "previous": wave.copied_from,
            "rows": rows,
            "overall": comparison.overall,
        }
    context["analysis"] = analysis
    return context


def question_titles(wave: SurveyWave) -> dict[str, SurveyQuestion]:
    return {q.code: q for q in selectors.question_list(wave)}
