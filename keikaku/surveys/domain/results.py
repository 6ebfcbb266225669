"""Figures the product shows and writes on top of the analysis engine.

- :func:`tabulate_attribute`: the composition of the respondents by one attribute (n, % of
  those who answered it, 95 % margin) — the engine tabulates questions, not attributes;
- :func:`indicator_value`: the yearly value of a survey-based indicator (成果指標) from an
  analysis: a measure's satisfaction / importance (top-2 share or score), the top-2 share
  of a 5-point question, or the share of one option of a choice question or attribute.
  Percentages are rounded half up to 0.1, scores to 0.01, as a report prints them;
- :func:`response_rate`: responses / letters sent, in percent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np

from keikaku.surveys.domain.design import match_key
from keikaku.surveys.domain.report import SurveyAnalysis
from keikaku.surveys.domain.responses import Attribute
from keikaku.surveys.domain.statistics import (
    OptionCount,
    Tabulation,
    margin_of_error,
    round_half_up,
)

Metric = Literal[
    "satisfaction_top2",
    "satisfaction_score",
    "importance_top2",
    "importance_score",
    "question_top2",
    "option_share",
]
METRICS: Final = (
    "satisfaction_top2",
    "satisfaction_score",
    "importance_top2",
    "importance_score",
    "question_top2",
    "option_share",
)


def tabulate_attribute(
    attribute: Attribute, options: tuple[str, ...], *, population: int | None = None
) -> Tabulation:
    """Counts of every designed category (in design order, codes 1 … n); no answer apart."""
    counts = np.bincount(attribute.codes, minlength=len(attribute.categories))
    by_key = {match_key(c): int(counts[i]) for i, c in enumerate(attribute.categories) if c}
    total = int(counts.sum())
    no_answer = int(counts[attribute.categories.index("")]) if "" in attribute.categories else 0
    base = total - no_answer
    rows: list[OptionCount] = []
    percent_total = 0.0
    for code, label in enumerate(options, start=1):
        n = by_key.get(match_key(label), 0)
        if base:
            p = n / base
            margin = float(100.0 * margin_of_error(p, base, population))
            rows.append(OptionCount(code, label, n, 100.0 * p, margin))
            percent_total += 100.0 * p
        else:
            rows.append(OptionCount(code, label, n, None, None))
    return Tabulation(
        attribute.name,
        "single",
        total,
        no_answer,
        base,
        tuple(rows),
        percent_total if base else None,
    )


def _round(value: float | None, digits: int) -> float | None:
    if value is None or math.isnan(value):
        return None
    return round_half_up(value, digits)


@dataclass(frozen=True)
class IndicatorReading:
    value: float | None
    base: int
    """Respondents the value is computed from (its denominator)."""


def indicator_value(
    analysis: SurveyAnalysis,
    *,
    metric: Metric,
    measure_code: str = "",
    question_code: str = "",
    option: int | None = None,
    attribute_options: tuple[str, ...] = (),
) -> IndicatorReading:
    """The value of one survey-based indicator; ``value`` is None when it cannot be computed
    (the measure, question or option is not in the survey, or nobody answered)."""
    if metric in ("satisfaction_top2", "satisfaction_score", "importance_top2", "importance_score"):
        codes = [match_key(c) for c in analysis.responses.measure_codes]
        key = match_key(measure_code)
        if key not in codes:
            return IndicatorReading(None, 0)
        j = codes.index(key)
        summary = (
            analysis.satisfaction if metric.startswith("satisfaction") else analysis.importance
        )
        if metric.endswith("top2"):
            return IndicatorReading(_round(float(summary.top2_box[j]), 1), int(summary.box_base[j]))
        return IndicatorReading(_round(float(summary.score[j]), 2), int(summary.n_valid[j]))
    key = match_key(question_code)
    for tab in analysis.questions:
        if match_key(tab.question) != key:
            continue
        if metric == "question_top2":
            top = [o for o in tab.options if o.code in (1, 2)]
            if tab.base == 0 or len(top) != 2:
                return IndicatorReading(None, tab.base)
            return IndicatorReading(_round(100.0 * sum(o.n for o in top) / tab.base, 1), tab.base)
        return _option_reading(tab, option)
    if metric == "option_share":
        for attribute in analysis.responses.attributes:
            if match_key(attribute.name) == key:
                return _option_reading(tabulate_attribute(attribute, attribute_options), option)
    return IndicatorReading(None, 0)


def _option_reading(tab: Tabulation, option: int | None) -> IndicatorReading:
    for o in tab.options:
        if o.code == option:
            return IndicatorReading(_round(o.percent, 1), tab.base)
    return IndicatorReading(None, tab.base)


def response_rate(responses: int, sample_size: int | None) -> float | None:
    if not sample_size:
        return None
    return round_half_up(100.0 * responses / sample_size, 1)
