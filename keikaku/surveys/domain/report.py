"""The whole analysis of one survey and its JSON form (docs/formats/survey-analysis.md)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np

from keikaku.core.domain.i18n import _
from keikaku.surveys.domain.comparison import ALPHA, ItemComparison, compare_scales
from keikaku.surveys.domain.design import SurveyDesign, match_key
from keikaku.surveys.domain.portfolio import (
    Portfolio,
    Quadrant,
    build_portfolio,
    derived_importance,
)
from keikaku.surveys.domain.problems import Problem, SurveyInputError
from keikaku.surveys.domain.responses import ChoiceQuestion, SurveyResponses
from keikaku.surveys.domain.scale import IMPORTANCE_LABELS, SATISFACTION_LABELS, SCORE_WEIGHTS
from keikaku.surveys.domain.statistics import (
    DEFAULT_SUPPRESSION_THRESHOLD,
    BoxBase,
    CrossTab,
    ScaleSummary,
    Tabulation,
    crosstab_choice,
    crosstab_scale,
    round_half_up,
    summarize_scale,
    tabulate_choice,
    tabulate_scale,
    tabulate_text,
)

FORMAT: Final = "keikaku.survey-analysis"
OPTIONS_SOURCE: Final = "options"
"""``Problem.source`` of a problem with :class:`AnalysisOptions` (column = field name)."""
VERSION: Final = 1
JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


@dataclass(frozen=True)
class AnalysisOptions:
    crosstab_by: tuple[str, ...] = ()
    suppression_threshold: int = DEFAULT_SUPPRESSION_THRESHOLD
    box_base: BoxBase = "answered"
    alpha: float = ALPHA


@dataclass(frozen=True, eq=False)
class SurveyAnalysis:
    responses: SurveyResponses
    design: SurveyDesign
    options: AnalysisOptions
    satisfaction: ScaleSummary
    importance: ScaleSummary
    satisfaction_tabulations: tuple[Tabulation, ...]
    importance_tabulations: tuple[Tabulation, ...]
    portfolio: Portfolio
    questions: tuple[Tabulation, ...]
    """``overall`` first (when present), then the other questions in file order."""
    crosstabs: tuple[CrossTab, ...]
    comparison: YearComparison | None = None


@dataclass(frozen=True)
class YearComparison:
    """Current minus previous survey, per measure (satisfaction and importance) and overall."""

    satisfaction: tuple[ItemComparison, ...]
    importance: tuple[ItemComparison, ...]
    overall: ItemComparison | None
    """``None`` unless both surveys have the ``overall`` column."""
    previous_missing: tuple[str, ...]
    """Measures the previous survey did not ask (their comparison is all ``None``)."""


def _compare_with(
    previous: SurveyResponses,
    current: SurveyResponses,
    satisfaction: ScaleSummary,
    importance: ScaleSummary,
    options: AnalysisOptions,
) -> YearComparison:
    codes = current.measure_codes
    previous_index = {match_key(c): j for j, c in enumerate(previous.measure_codes)}
    missing = {match_key(c) for c in previous.missing_measures}
    previous_missing: list[str] = []
    prev_sat = np.zeros((previous.n_respondents, len(codes)), dtype=np.int8)
    prev_imp = np.zeros_like(prev_sat)
    for j, code in enumerate(codes):
        source_column = previous_index.get(match_key(code), -1)
        if source_column >= 0 and match_key(code) not in missing:
            prev_sat[:, j] = previous.satisfaction[:, source_column]
            prev_imp[:, j] = previous.importance[:, source_column]
        else:
            previous_missing.append(code)
    box_base = options.box_base
    overall = None
    if previous.overall is not None and current.overall is not None:
        (overall,) = compare_scales(
            ["overall"],
            summarize_scale(previous.overall[:, None], box_base=box_base),
            summarize_scale(current.overall[:, None], box_base=box_base),
            alpha=options.alpha,
        )
    return YearComparison(
        satisfaction=tuple(
            compare_scales(
                codes,
                summarize_scale(prev_sat, box_base=box_base),
                satisfaction,
                alpha=options.alpha,
            )
        ),
        importance=tuple(
            compare_scales(
                codes, summarize_scale(prev_imp, box_base=box_base), importance, alpha=options.alpha
            )
        ),
        overall=overall,
        previous_missing=tuple(previous_missing),
    )


def analyze(
    responses: SurveyResponses,
    design: SurveyDesign | None = None,
    *,
    options: AnalysisOptions | None = None,
    previous: SurveyResponses | None = None,
    design_source: str = "design.json",
) -> SurveyAnalysis:
    """Tabulate, score, build the portfolio and (optionally) cross-tabs and comparison.

    Raises :class:`SurveyInputError` when the options do not fit the data.
    """
    design = design or SurveyDesign()
    options = options or AnalysisOptions()
    problems: list[Problem] = []
    population = design.population
    if population is not None and population < responses.n_respondents:
        problems.append(
            Problem(
                design_source,
                None,
                "population",
                _("母集団の人数（%(population)d人）が回答者数（%(n)d人）より少なくなっています。")
                % {"population": population, "n": responses.n_respondents},
            )
        )
    if options.suppression_threshold < 1:
        problems.append(
            Problem(
                OPTIONS_SOURCE,
                None,
                "suppression_threshold",
                _("秘匿の基準人数は1以上にしてください。"),
            )
        )
    known = {match_key(a.name) for a in responses.attributes}
    for name in options.crosstab_by:
        if match_key(name) not in known:
            problems.append(
                Problem(
                    OPTIONS_SOURCE,
                    None,
                    "crosstab_by",
                    _("属性「%(name)s」は回答ファイルにありません（ある属性: %(known)s）。")
                    % {
                        "name": name,
                        "known": "、".join(a.name for a in responses.attributes) or _("なし"),
                    },
                )
            )
    if problems:
        raise SurveyInputError(tuple(problems))

    codes = responses.measure_codes
    satisfaction = summarize_scale(
        responses.satisfaction, population=population, box_base=options.box_base
    )
    importance = summarize_scale(
        responses.importance, population=population, box_base=options.box_base
    )
    derived = (
        derived_importance(responses.satisfaction, responses.overall)
        if responses.overall is not None
        else None
    )
    portfolio = build_portfolio(
        codes,
        importance_scores=importance.score,
        satisfaction_scores=satisfaction.score,
        derived=derived,
        labels=design.quadrant_labels,
    )
    questions: list[Tabulation] = []
    if responses.overall is not None:
        questions.extend(
            tabulate_scale(["overall"], responses.overall[:, None], population=population)
        )
    for question in responses.questions:
        if isinstance(question, ChoiceQuestion):
            questions.append(tabulate_choice(question, population=population))
        else:
            questions.append(tabulate_text(question))
    crosstabs: list[CrossTab] = []
    for name in options.crosstab_by:
        attribute = responses.attribute(name)
        threshold = options.suppression_threshold
        crosstabs.extend(
            crosstab_scale(
                [f"S:{c}" for c in codes], responses.satisfaction, attribute, threshold=threshold
            )
        )
        crosstabs.extend(
            crosstab_scale(
                [f"I:{c}" for c in codes],
                responses.importance,
                attribute,
                labels=IMPORTANCE_LABELS,
                threshold=threshold,
            )
        )
        if responses.overall is not None:
            crosstabs.extend(
                crosstab_scale(
                    ["overall"], responses.overall[:, None], attribute, threshold=threshold
                )
            )
        for question in responses.questions:
            if isinstance(question, ChoiceQuestion):
                crosstabs.append(crosstab_choice(question, attribute, threshold=threshold))
    comparison: YearComparison | None = None
    if previous is not None:
        comparison = _compare_with(previous, responses, satisfaction, importance, options)
    return SurveyAnalysis(
        responses=responses,
        design=design,
        options=options,
        satisfaction=satisfaction,
        importance=importance,
        satisfaction_tabulations=tuple(
            tabulate_scale(codes, responses.satisfaction, population=population)
        ),
        importance_tabulations=tuple(
            tabulate_scale(
                codes, responses.importance, labels=IMPORTANCE_LABELS, population=population
            )
        ),
        portfolio=portfolio,
        questions=tuple(questions),
        crosstabs=tuple(crosstabs),
        comparison=comparison,
    )


# ---------------------------------------------------------------------------------------
# JSON form


def _num(value: float | None) -> float | None:
    if value is None or math.isnan(value):
        return None
    return float(value)


def _pct(value: float | None) -> float | None:
    """A percentage as rendered: 0.1 steps, rounded half up."""
    if value is None or math.isnan(value):
        return None
    return round_half_up(float(value), 1)


def tabulation_to_dict(tab: Tabulation, title: str = "") -> dict[str, JsonValue]:
    return {
        "type": tab.kind,
        "title": title,
        "total": tab.total,
        "no_answer": tab.no_answer,
        "base": tab.base,
        "options": [
            {
                "code": o.code,
                "label": o.label,
                "n": o.n,
                "percent": _pct(o.percent),
                "margin": _pct(o.margin),
            }
            for o in tab.options
        ],
        "percent_total": _pct(tab.percent_total),
    }


def _scale_block(tab: Tabulation, summary: ScaleSummary, j: int) -> dict[str, JsonValue]:
    block = tabulation_to_dict(tab)
    del block["title"]
    block.update(
        {
            "n_valid": int(summary.n_valid[j]),
            "dont_know": int(summary.dont_know[j]),
            "score": _num(float(summary.score[j])),
            "sd": _num(float(summary.sd[j])),
            "box_base": int(summary.box_base[j]),
            "top2_box": _pct(float(summary.top2_box[j])),
            "bottom2_box": _pct(float(summary.bottom2_box[j])),
            "net_score": _pct(float(summary.net_score[j])),
            "top2_margin": _pct(float(summary.top2_margin[j])),
        }
    )
    return block


def _comparison_to_dict(c: ItemComparison) -> dict[str, JsonValue]:
    return {
        "previous_score": c.previous_score,
        "current_score": c.current_score,
        "score_difference": c.score_difference,
        "t_statistic": c.t_statistic,
        "degrees_of_freedom": c.degrees_of_freedom,
        "score_p_value": c.score_p_value,
        "score_significant": c.score_significant,
        "previous_top2_box": _pct(c.previous_top2_box),
        "current_top2_box": _pct(c.current_top2_box),
        "top2_difference": _pct(c.top2_difference),
        "z_statistic": c.z_statistic,
        "top2_p_value": c.top2_p_value,
        "top2_significant": c.top2_significant,
    }


def crosstab_to_dict(table: CrossTab) -> dict[str, JsonValue]:
    rows: list[JsonValue] = []
    for row in table.rows:
        hidden = row.suppressed
        rows.append(
            {
                "category": row.category if row.category else _("無回答"),
                "is_no_answer": row.category == "",
                "suppressed": hidden,
                "total": None if hidden else row.total,
                "no_answer": None if hidden else row.no_answer,
                "base": None if hidden else row.base,
                "score": None if hidden else _num(row.score),
                "cells": [
                    {
                        "n": None if cell.suppressed else cell.n,
                        "percent": None if cell.suppressed else _pct(cell.percent),
                        "suppressed": cell.suppressed,
                    }
                    for cell in row.cells
                ],
            }
        )
    return {
        "question": table.question,
        "attribute": table.attribute,
        "type": table.kind,
        "threshold": table.threshold,
        "options": [{"code": o.code, "label": o.label} for o in table.options],
        "rows": rows,
    }


def analysis_to_dict(analysis: SurveyAnalysis) -> dict[str, JsonValue]:
    """The OUT.json document of ``keikaku analyze-survey``."""
    responses = analysis.responses
    portfolio = analysis.portfolio
    labels = portfolio.labels
    measures: dict[str, JsonValue] = {}
    comparison = analysis.comparison
    for j, measure in enumerate(responses.measures):
        item = portfolio.items[j]
        entry: dict[str, JsonValue] = {
            "title": measure.title,
            "n_satisfaction": int(analysis.satisfaction.n_valid[j]),
            "n_importance": int(analysis.importance.n_valid[j]),
            "satisfaction_score": item.satisfaction_score,
            "importance_score": item.importance_score,
            "satisfaction_t": item.satisfaction_t,
            "importance_t": item.importance_t,
            "quadrant": item.quadrant_label,
            "quadrant_key": item.quadrant.value if item.quadrant is not None else None,
            "improvement_need": item.improvement_need,
            "derived_importance": item.derived_importance,
            "satisfaction": _scale_block(
                analysis.satisfaction_tabulations[j], analysis.satisfaction, j
            ),
            "importance": _scale_block(analysis.importance_tabulations[j], analysis.importance, j),
        }
        if comparison is not None:
            entry["comparison"] = {
                "satisfaction": _comparison_to_dict(comparison.satisfaction[j]),
                "importance": _comparison_to_dict(comparison.importance[j]),
            }
        measures[measure.code] = entry
    titles = {match_key(q.code): q.title for q in analysis.design.questions}
    questions: dict[str, JsonValue] = {}
    for tab in analysis.questions:
        title = (
            _("総合満足度")
            if tab.question == "overall"
            else titles.get(match_key(tab.question), "")
        )
        questions[tab.question] = tabulation_to_dict(tab, title)
    document: dict[str, JsonValue] = {
        "format": FORMAT,
        "version": VERSION,
        "respondents": responses.n_respondents,
        "population": analysis.design.population,
        "settings": {
            "score_weights": {
                str(c): w for c, w in zip((1, 2, 3, 4, 5), SCORE_WEIGHTS, strict=True)
            },
            "box_base": analysis.options.box_base,
            "t_score_sd": "population",
            "suppression_threshold": analysis.options.suppression_threshold,
            "alpha": analysis.options.alpha,
            "quadrant_labels": {q.value: labels.label(q) for q in Quadrant},
            "satisfaction_labels": {str(c): v for c, v in SATISFACTION_LABELS.items()},
            "importance_labels": {str(c): v for c, v in IMPORTANCE_LABELS.items()},
        },
        "portfolio": {
            "importance_mean": portfolio.importance_mean,
            "importance_sd": portfolio.importance_sd,
            "satisfaction_mean": portfolio.satisfaction_mean,
            "satisfaction_sd": portfolio.satisfaction_sd,
        },
        "measures": measures,
        "questions": questions,
    }
    if analysis.crosstabs:
        crosstabs: dict[str, JsonValue] = {}
        for table in analysis.crosstabs:
            by_attribute = crosstabs.setdefault(table.attribute, {})
            assert isinstance(by_attribute, dict)
            by_attribute[table.question] = crosstab_to_dict(table)
        document["crosstabs"] = crosstabs
    if comparison is not None:
        document["comparison"] = {
            "alpha": analysis.options.alpha,
            "previous_missing_measures": list(comparison.previous_missing),
            "overall": (
                _comparison_to_dict(comparison.overall) if comparison.overall is not None else None
            ),
        }
    return document
