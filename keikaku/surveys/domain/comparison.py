"""Year-on-year comparison (経年比較) of scale items between two surveys.

Per item, current minus previous:

- mean score: difference, Welch's t-test (unequal variances; t = (m₂ − m₁)/√(s₁²/n₁ + s₂²/n₂),
  Welch–Satterthwaite degrees of freedom, two-sided p from Student's t);
- top-2 box: difference in percentage points, two-proportion z-test with the pooled
  proportion (z = (p₂ − p₁)/√(p̄(1 − p̄)(1/n₁ + 1/n₂)), two-sided p from the normal).

A test is undefined (statistic and p ``None``, not significant) when a side has fewer than
2 valid answers (t-test) or no answers (z-test), or when its standard error is 0.
``significant`` means p < alpha (default 0.05).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from keikaku.surveys.domain.statistics import ScaleSummary

ALPHA: Final = 0.05


@dataclass(frozen=True)
class ItemComparison:
    code: str
    previous_score: float | None
    current_score: float | None
    score_difference: float | None
    t_statistic: float | None
    degrees_of_freedom: float | None
    score_p_value: float | None
    score_significant: bool
    previous_top2_box: float | None
    current_top2_box: float | None
    top2_difference: float | None
    """Percentage points."""
    z_statistic: float | None
    top2_p_value: float | None
    top2_significant: bool


def _opt(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def welch_t_test(
    mean1: NDArray[np.float64],
    sd1: NDArray[np.float64],
    n1: NDArray[np.int64],
    mean2: NDArray[np.float64],
    sd2: NDArray[np.float64],
    n2: NDArray[np.int64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """(t, df, two-sided p) of mean2 − mean1, NaN where undefined."""
    n1f = np.asarray(n1, dtype=np.float64)
    n2f = np.asarray(n2, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        v1 = np.asarray(sd1, dtype=np.float64) ** 2 / n1f
        v2 = np.asarray(sd2, dtype=np.float64) ** 2 / n2f
        se2 = v1 + v2
        ok = (n1f >= 2) & (n2f >= 2) & (se2 > 0)
        t = np.where(ok, (mean2 - mean1) / np.sqrt(se2), np.nan)
        df = np.where(ok, se2**2 / (v1**2 / (n1f - 1) + v2**2 / (n2f - 1)), np.nan)
    p = np.where(ok, 2.0 * stats.t.sf(np.abs(t), df), np.nan)
    return t, df, p


def two_proportion_z_test(
    x1: NDArray[np.int64],
    n1: NDArray[np.int64],
    x2: NDArray[np.int64],
    n2: NDArray[np.int64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(z, two-sided p) of x2/n2 − x1/n1 with the pooled proportion, NaN where undefined."""
    n1f = np.asarray(n1, dtype=np.float64)
    n2f = np.asarray(n2, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (x1 + x2) / (n1f + n2f)
        se = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1f + 1.0 / n2f))
        ok = (n1f > 0) & (n2f > 0) & (se > 0)
        z = np.where(ok, (x2 / n2f - x1 / n1f) / se, np.nan)
    p = np.where(ok, 2.0 * stats.norm.sf(np.abs(z)), np.nan)
    return z, p


def compare_scales(
    codes: Sequence[str],
    previous: ScaleSummary,
    current: ScaleSummary,
    *,
    alpha: float = ALPHA,
) -> list[ItemComparison]:
    """Compare two summaries of the same items (same order as ``codes``)."""
    if not (len(codes) == previous.score.shape[0] == current.score.shape[0]):
        raise ValueError("codes and summaries differ in length")
    t, df, p_t = welch_t_test(
        previous.score, previous.sd, previous.n_valid, current.score, current.sd, current.n_valid
    )
    z, p_z = two_proportion_z_test(previous.top2, previous.box_base, current.top2, current.box_base)
    score_diff = current.score - previous.score
    top2_diff = current.top2_box - previous.top2_box
    out = []
    for j, code in enumerate(codes):
        p_score = _opt(float(p_t[j]))
        p_top2 = _opt(float(p_z[j]))
        out.append(
            ItemComparison(
                code=code,
                previous_score=_opt(float(previous.score[j])),
                current_score=_opt(float(current.score[j])),
                score_difference=_opt(float(score_diff[j])),
                t_statistic=_opt(float(t[j])),
                degrees_of_freedom=_opt(float(df[j])),
                score_p_value=p_score,
                score_significant=p_score is not None and p_score < alpha,
                previous_top2_box=_opt(float(previous.top2_box[j])),
                current_top2_box=_opt(float(current.top2_box[j])),
                top2_difference=_opt(float(top2_diff[j])),
                z_statistic=_opt(float(z[j])),
                top2_p_value=p_top2,
                top2_significant=p_top2 is not None and p_top2 < alpha,
            )
        )
    return out
