"""Survey statistics: tabulation, cross-tabs with small-cell suppression, scores, margins.

Everything works on count arrays built in one vectorised pass over the respondents × items
code matrix (:func:`scale_counts`); scores, percentages and margins are then computed from
the counts, so they are exact rational functions of integers.

Definitions (docs/formats/survey-analysis.md):

- **total** = respondents; **no_answer** = empty cells; **base** = total − no_answer (the
  denominator of every percentage; わからない counts in the base);
- **score** (加重平均評価点) = (2·n1 + 1·n2 + 0·n3 − 1·n4 − 2·n5) / (n1 + … + n5): 9 and
  empty excluded; ``n_valid`` = n1 + … + n5;
- **top2_box** = (n1 + n2) / base, **bottom2_box** = (n4 + n5) / base, **net_score** =
  top2_box − bottom2_box (as percentages); with ``box_base="valid"`` the three use n_valid
  instead of base;
- **margin** (95 % sampling error, percentage points) = 100·1.96·√(p(1−p)/n)·√((N−n)/(N−1))
  with n the base and N the population when given (no correction otherwise).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Literal

import numpy as np
from numpy.typing import NDArray

from keikaku.surveys.domain.design import Option
from keikaku.surveys.domain.responses import Attribute, ChoiceQuestion, TextQuestion
from keikaku.surveys.domain.scale import (
    CODE_TO_COLUMN,
    COUNT_CODES,
    DONT_KNOW_COLUMN,
    NO_ANSWER_COLUMN,
    SATISFACTION_LABELS,
    SCORE_WEIGHTS,
)

Z_95: Final = 1.96
DEFAULT_SUPPRESSION_THRESHOLD: Final = 10
BoxBase = Literal["answered", "valid"]

_WEIGHTS = np.array(SCORE_WEIGHTS, dtype=np.float64)


def round_half_up(value: float, digits: int = 1) -> float:
    """Round for display the way Japanese reports do (四捨五入): 12.25 → 12.3, 12.35 → 12.4."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


# ---------------------------------------------------------------------------------------
# counts


def scale_counts(
    matrix: NDArray[np.int8],
    groups: NDArray[np.int32] | None = None,
    n_groups: int = 1,
) -> NDArray[np.int64]:
    """Counts of every code per (group, item): shape (n_groups, items, 7), columns
    :data:`~keikaku.surveys.domain.scale.COUNT_CODES` = 1, 2, 3, 4, 5, 9, no answer.

    One ``bincount`` over a flat index ``group·items·7 + item·7 + column``.
    """
    n, k = matrix.shape
    columns = CODE_TO_COLUMN[matrix.view(np.uint8)]
    if (columns < 0).any():
        raise ValueError("the matrix holds codes other than 0, 1–5 and 9")
    flat = columns.astype(np.int64)
    flat += (np.arange(k, dtype=np.int64) * 7)[None, :]
    if groups is not None:
        if groups.shape != (n,):
            raise ValueError("groups must have one entry per respondent")
        flat += (groups.astype(np.int64) * (k * 7))[:, None]
    counts = np.bincount(flat.ravel(), minlength=n_groups * k * 7)
    return counts.reshape(n_groups, k, 7).astype(np.int64)


def margin_of_error(
    p: NDArray[np.float64] | float,
    n: NDArray[np.int64] | int,
    population: int | None = None,
) -> NDArray[np.float64]:
    """95 % margin of a proportion p (0–1) from n answers: 1.96·√(p(1−p)/n)·√((N−n)/(N−1)).

    Returned as a proportion (multiply by 100 for percentage points); NaN where n is 0.
    Raises ``ValueError`` when n exceeds the population N.
    """
    p_arr = np.asarray(p, dtype=np.float64)
    n_arr = np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        margin = Z_95 * np.sqrt(p_arr * (1.0 - p_arr) / n_arr)
        if population is not None:
            if population < 1:
                raise ValueError("population must be at least 1")
            if np.any(n_arr > population):
                raise ValueError("the base n exceeds the population N")
            fpc = (
                np.sqrt((population - n_arr) / (population - 1))
                if population > 1
                else np.zeros_like(n_arr)
            )
            margin = margin * fpc
    return np.where(n_arr > 0, margin, np.nan)


@dataclass(frozen=True, eq=False)
class ScaleSummary:
    """Per-item statistics of a scale question; every field has the items' shape."""

    counts: NDArray[np.int64]
    """(…, 7) counts in COUNT_CODES order."""
    total: NDArray[np.int64]
    no_answer: NDArray[np.int64]
    base: NDArray[np.int64]
    dont_know: NDArray[np.int64]
    n_valid: NDArray[np.int64]
    score: NDArray[np.float64]
    sd: NDArray[np.float64]
    """Sample standard deviation (ddof=1) of the scores; NaN below 2 valid answers."""
    box_base: NDArray[np.int64]
    top2: NDArray[np.int64]
    """n1 + n2."""
    top2_box: NDArray[np.float64]
    """Percentage (0–100) of the box base."""
    bottom2_box: NDArray[np.float64]
    net_score: NDArray[np.float64]
    top2_margin: NDArray[np.float64]
    """95 % margin of top2_box, percentage points."""


def summarize_counts(
    counts: NDArray[np.int64],
    *,
    population: int | None = None,
    box_base: BoxBase = "answered",
) -> ScaleSummary:
    """Scores, boxes and margins from (…, 7) counts (vectorised over the leading axes)."""
    counts = np.asarray(counts, dtype=np.int64)
    valid = counts[..., :5]
    total = counts.sum(axis=-1)
    no_answer = counts[..., NO_ANSWER_COLUMN]
    base = total - no_answer
    n_valid = valid.sum(axis=-1)
    s1 = (valid * _WEIGHTS).sum(axis=-1)
    s2 = (valid * _WEIGHTS**2).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(n_valid > 0, s1 / n_valid, np.nan)
        # (n·Σw² − (Σw)²) / (n(n−1)): the numerator is an exact integer
        variance = np.where(
            n_valid > 1, (n_valid * s2 - s1 * s1) / (n_valid * (n_valid - 1.0)), np.nan
        )
        sd = np.sqrt(np.maximum(variance, 0.0))
        denominator = base if box_base == "answered" else n_valid
        top2 = valid[..., 0] + valid[..., 1]
        bottom2 = valid[..., 3] + valid[..., 4]
        top2_box = np.where(denominator > 0, 100.0 * top2 / denominator, np.nan)
        bottom2_box = np.where(denominator > 0, 100.0 * bottom2 / denominator, np.nan)
    net = top2_box - bottom2_box
    top2_margin = 100.0 * margin_of_error(top2_box / 100.0, denominator, population)
    return ScaleSummary(
        counts=counts,
        total=total,
        no_answer=no_answer,
        base=base,
        dont_know=counts[..., DONT_KNOW_COLUMN],
        n_valid=n_valid,
        score=score,
        sd=sd,
        box_base=np.asarray(denominator, dtype=np.int64),
        top2=top2,
        top2_box=top2_box,
        bottom2_box=bottom2_box,
        net_score=net,
        top2_margin=top2_margin,
    )


def summarize_scale(
    matrix: NDArray[np.int8],
    *,
    population: int | None = None,
    box_base: BoxBase = "answered",
) -> ScaleSummary:
    """Per-column summary of a respondents × items code matrix."""
    return summarize_counts(scale_counts(matrix)[0], population=population, box_base=box_base)


# ---------------------------------------------------------------------------------------
# simple tabulation (単純集計)


@dataclass(frozen=True)
class OptionCount:
    code: int
    label: str
    n: int
    percent: float | None
    """Of the base, 0–100, unrounded; None when the base is 0."""
    margin: float | None
    """95 % sampling error in percentage points; None when the base is 0."""


@dataclass(frozen=True)
class Tabulation:
    question: str
    kind: Literal["scale", "single", "multiple", "text"]
    total: int
    no_answer: int
    base: int
    options: tuple[OptionCount, ...]
    percent_total: float | None
    """Sum of the option percentages: 100 for single choice, may exceed 100 for multiple."""


def _option_counts(
    codes: Sequence[int],
    labels: Sequence[str],
    counts: Sequence[int],
    base: int,
    population: int | None,
) -> tuple[tuple[OptionCount, ...], float | None]:
    n = np.asarray(counts, dtype=np.float64)
    if base == 0:
        return (
            tuple(
                OptionCount(c, lab, int(k), None, None)
                for c, lab, k in zip(codes, labels, counts, strict=True)
            ),
            None,
        )
    p = n / base
    margins = 100.0 * margin_of_error(p, base, population)
    options = tuple(
        OptionCount(c, lab, int(k), float(100.0 * pi), float(m))
        for c, lab, k, pi, m in zip(
            codes, labels, counts, p.tolist(), margins.tolist(), strict=True
        )
    )
    return options, float(100.0 * p.sum())


def tabulate_scale_counts(
    question: str,
    counts: NDArray[np.int64],
    *,
    labels: Mapping[int, str] = SATISFACTION_LABELS,
    population: int | None = None,
) -> Tabulation:
    """Tabulation of one scale item from its 7 counts (options 1–5 and 9)."""
    total = int(counts.sum())
    no_answer = int(counts[NO_ANSWER_COLUMN])
    base = total - no_answer
    codes = COUNT_CODES[:6]
    options, percent_total = _option_counts(
        codes, [labels.get(c, "") for c in codes], counts[:6].tolist(), base, population
    )
    return Tabulation(question, "scale", total, no_answer, base, options, percent_total)


def tabulate_scale(
    codes: Sequence[str],
    matrix: NDArray[np.int8],
    *,
    labels: Mapping[int, str] = SATISFACTION_LABELS,
    population: int | None = None,
) -> list[Tabulation]:
    """Tabulations of every column of a code matrix (one vectorised count pass)."""
    counts = scale_counts(matrix)[0]
    return [
        tabulate_scale_counts(code, counts[j], labels=labels, population=population)
        for j, code in enumerate(codes)
    ]


def tabulate_choice(question: ChoiceQuestion, *, population: int | None = None) -> Tabulation:
    total = int(question.answered.shape[0])
    base = int(question.answered.sum())
    counts = question.selected.sum(axis=0).tolist()
    options, percent_total = _option_counts(
        [o.code for o in question.options],
        [o.label for o in question.options],
        counts,
        base,
        population,
    )
    return Tabulation(
        question.code, question.type, total, total - base, base, options, percent_total
    )


def tabulate_text(question: TextQuestion) -> Tabulation:
    total = len(question.answers)
    base = int(question.answered.sum())
    return Tabulation(question.code, "text", total, total - base, base, (), None)


# ---------------------------------------------------------------------------------------
# cross-tabulation (クロス集計) with small-cell suppression


def suppression_masks(
    cells: NDArray[np.int64],
    bases: NDArray[np.int64],
    threshold: int = DEFAULT_SUPPRESSION_THRESHOLD,
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Which cells and which whole rows (groups) to withhold; vectorised over tables.

    ``cells`` has shape (tables, groups, options), ``bases`` (tables, groups). Rules:

    1. primary: a group whose base is 1 … threshold−1 is withheld whole (base and cells);
       a cell whose count is 1 … threshold−1 is withheld. Zeros are never primary;
    2. secondary, repeated until nothing changes, so that no withheld value can be
       recovered by subtraction from a published total:
       - a group row whose base is shown and that has exactly one withheld cell gets its
         smallest shown positive cell withheld too (the whole row when there is none);
       - an option column (or the column of group bases) with exactly one withheld
         group gets the smallest shown positive value of another group withheld (for the
         base column: that group's whole row).
    """
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    tables, groups, options = cells.shape
    big = np.iinfo(np.int64).max
    full = np.concatenate([cells, bases[..., None]], axis=-1)
    mask = np.zeros(full.shape, dtype=bool)
    row = (bases > 0) & (bases < threshold)
    mask[row] = True
    mask[..., :options] |= (cells > 0) & (cells < threshold)
    while True:
        changed = False
        hidden_cells = mask[..., :options]
        need = (hidden_cells.sum(axis=-1) == 1) & ~mask[..., options]
        if need.any():
            candidates = np.where(~hidden_cells & (cells > 0), cells, big)
            best = candidates.argmin(axis=-1)
            has = candidates.min(axis=-1) < big
            t_idx, g_idx = np.nonzero(need & has)
            mask[t_idx, g_idx, best[t_idx, g_idx]] = True
            t_idx, g_idx = np.nonzero(need & ~has)
            mask[t_idx, g_idx, :] = True
            changed = True
        need_col = mask.sum(axis=-2) == 1
        if need_col.any() and groups > 1:
            candidates = np.where(~mask & (full > 0), full, big)
            best_g = candidates.argmin(axis=-2)
            has = candidates.min(axis=-2) < big
            t_idx, o_idx = np.nonzero(need_col & has)
            if t_idx.size:
                g_idx = best_g[t_idx, o_idx]
                mask[t_idx, g_idx, o_idx] = True
                whole = o_idx == options
                mask[t_idx[whole], g_idx[whole], :] = True
                changed = True
        if not changed:
            break
    return mask[..., :options], mask[..., options]


@dataclass(frozen=True)
class CrossTabCell:
    n: int
    percent: float | None
    """Of the group's base, 0–100, unrounded; None when the base is 0."""
    suppressed: bool


@dataclass(frozen=True)
class CrossTabRow:
    category: str
    """Attribute value; "" is the group of respondents who did not answer the attribute."""
    total: int
    no_answer: int
    base: int
    suppressed: bool
    """The whole row (base, cells and score) is withheld."""
    cells: tuple[CrossTabCell, ...]
    n_valid: int | None = None
    score: float | None = None
    """Weighted mean score of the group (scale questions only)."""


@dataclass(frozen=True)
class CrossTab:
    question: str
    attribute: str
    kind: Literal["scale", "single", "multiple"]
    options: tuple[Option, ...]
    threshold: int
    rows: tuple[CrossTabRow, ...]


def _pct(n: int, base: int) -> float | None:
    return 100.0 * n / base if base > 0 else None


def crosstab_scale(
    codes: Sequence[str],
    matrix: NDArray[np.int8],
    attribute: Attribute,
    *,
    labels: Mapping[int, str] = SATISFACTION_LABELS,
    threshold: int = DEFAULT_SUPPRESSION_THRESHOLD,
) -> list[CrossTab]:
    """Cross-tabs of every column of a scale matrix by one attribute, with mean scores."""
    n_groups = len(attribute.categories)
    counts = scale_counts(matrix, attribute.codes, n_groups)  # (G, k, 7)
    per_item = np.transpose(counts, (1, 0, 2))  # (k, G, 7)
    summary = summarize_counts(per_item)
    cells = per_item[..., :6]
    cell_mask, row_mask = suppression_masks(cells, summary.base, threshold)
    options = tuple(Option(c, labels.get(c, "")) for c in COUNT_CODES[:6])
    tables: list[CrossTab] = []
    for j, code in enumerate(codes):
        rows = []
        for g, category in enumerate(attribute.categories):
            base = int(summary.base[j, g])
            score = float(summary.score[j, g])
            rows.append(
                CrossTabRow(
                    category=category,
                    total=int(summary.total[j, g]),
                    no_answer=int(summary.no_answer[j, g]),
                    base=base,
                    suppressed=bool(row_mask[j, g]),
                    cells=tuple(
                        CrossTabCell(
                            int(cells[j, g, o]),
                            _pct(int(cells[j, g, o]), base),
                            bool(cell_mask[j, g, o]),
                        )
                        for o in range(6)
                    ),
                    n_valid=int(summary.n_valid[j, g]),
                    score=None if math.isnan(score) else score,
                )
            )
        tables.append(CrossTab(code, attribute.name, "scale", options, threshold, tuple(rows)))
    return tables


def crosstab_choice(
    question: ChoiceQuestion,
    attribute: Attribute,
    *,
    threshold: int = DEFAULT_SUPPRESSION_THRESHOLD,
) -> CrossTab:
    n_groups = len(attribute.categories)
    groups = attribute.codes
    total = np.bincount(groups, minlength=n_groups)
    base = np.bincount(groups, weights=question.answered, minlength=n_groups).astype(np.int64)
    counts = np.zeros((n_groups, len(question.options)), dtype=np.int64)
    for j in range(len(question.options)):
        counts[:, j] = np.bincount(groups[question.selected[:, j]], minlength=n_groups)
    cell_mask, row_mask = suppression_masks(counts[None], base[None], threshold)
    rows = []
    for g, category in enumerate(attribute.categories):
        b = int(base[g])
        rows.append(
            CrossTabRow(
                category=category,
                total=int(total[g]),
                no_answer=int(total[g]) - b,
                base=b,
                suppressed=bool(row_mask[0, g]),
                cells=tuple(
                    CrossTabCell(
                        int(counts[g, o]), _pct(int(counts[g, o]), b), bool(cell_mask[0, g, o])
                    )
                    for o in range(len(question.options))
                ),
            )
        )
    return CrossTab(
        question.code, attribute.name, question.type, question.options, threshold, tuple(rows)
    )
