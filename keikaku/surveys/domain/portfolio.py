"""Importance × satisfaction portfolio (ポートフォリオ分析) over the measures (施策).

Definitions (all documented in docs/formats/survey-analysis.md):

- mean scores come from :func:`keikaku.surveys.domain.statistics.summarize_scale`;
- 偏差値 ``T = 50 + 10·(x − mean)/sd`` where mean and sd are taken across the measures
  whose score on that axis is defined, and **sd is the population standard deviation**
  (divide by the number of measures, ``ddof=0``), so the T values of one axis have mean
  exactly 50 and population sd exactly 10. When sd is 0 (all measures equal) every T is 50
  and every z is 0;
- ``z = (x − mean)/sd`` = ``(T − 50)/10``; 改善要望度 (improvement need) = ``z(importance) −
  z(satisfaction)`` (台東区 method): high when a measure is important but unsatisfying;
- quadrants are split at the means (T = 50). A score exactly at the mean counts as *high*:

  ==================  ======================  =========================
  importance          satisfaction            default label
  ==================  ======================  =========================
  high (z ≥ 0)        low (z < 0)             重点改善分野 (priority_improvement)
  low (z < 0)         low (z < 0)             改善分野 (improvement)
  high (z ≥ 0)        high (z ≥ 0)            重点維持分野 (priority_maintenance)
  low (z < 0)         high (z ≥ 0)            維持分野 (maintenance)
  ==================  ======================  =========================

- derived importance (CS analysis, 導出重要度) = Pearson correlation, across respondents,
  of a measure's satisfaction score with the overall-satisfaction score, using only the
  respondents who answered both with 1–5 (pairwise complete; 9 and empty excluded).
  Undefined (``None``) with fewer than 2 such respondents or when either side is constant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np
from numpy.typing import NDArray

from keikaku.surveys.domain.scale import SCORE_WEIGHTS

AT_MEAN_TOLERANCE: Final = 1e-9
"""|z| below this counts as exactly at the mean (guards against rounding in the mean)."""


class Quadrant(StrEnum):
    PRIORITY_IMPROVEMENT = "priority_improvement"
    IMPROVEMENT = "improvement"
    PRIORITY_MAINTENANCE = "priority_maintenance"
    MAINTENANCE = "maintenance"


@dataclass(frozen=True)
class QuadrantLabels:
    """Names printed for the four quadrants; cities use different label sets."""

    priority_improvement: str = "重点改善分野"
    improvement: str = "改善分野"
    priority_maintenance: str = "重点維持分野"
    maintenance: str = "維持分野"

    def label(self, quadrant: Quadrant) -> str:
        label: str = getattr(self, quadrant.value)
        return label


@dataclass(frozen=True)
class DeviationScores:
    """T and z of one axis; NaN where the raw score is undefined."""

    t: NDArray[np.float64]
    z: NDArray[np.float64]
    mean: float | None
    sd: float | None
    """Population standard deviation (ddof=0) across the measures with a defined score."""


def deviation_scores(values: NDArray[np.float64]) -> DeviationScores:
    """偏差値 across items; NaN entries are left out of mean and sd and stay NaN."""
    x = np.asarray(values, dtype=np.float64)
    defined = ~np.isnan(x)
    t = np.full(x.shape, np.nan)
    z = np.full(x.shape, np.nan)
    if not defined.any():
        return DeviationScores(t, z, None, None)
    sample = x[defined]
    mean = float(sample.mean())
    sd = float(sample.std(ddof=0))
    if sd > 0 and not math.isclose(sd, 0.0, abs_tol=1e-12 * max(1.0, abs(mean))):
        z[defined] = (sample - mean) / sd
    else:
        sd = 0.0
        z[defined] = 0.0
    t[defined] = 50.0 + 10.0 * z[defined]
    return DeviationScores(t, z, mean, sd)


def classify_quadrants(
    importance_z: NDArray[np.float64], satisfaction_z: NDArray[np.float64]
) -> list[Quadrant | None]:
    """Quadrant per item; ``None`` where either z is undefined."""
    out: list[Quadrant | None] = []
    for zi, zs in zip(importance_z.tolist(), satisfaction_z.tolist(), strict=True):
        if math.isnan(zi) or math.isnan(zs):
            out.append(None)
            continue
        high_importance = zi >= -AT_MEAN_TOLERANCE
        high_satisfaction = zs >= -AT_MEAN_TOLERANCE
        if high_importance and not high_satisfaction:
            out.append(Quadrant.PRIORITY_IMPROVEMENT)
        elif not high_importance and not high_satisfaction:
            out.append(Quadrant.IMPROVEMENT)
        elif high_importance:
            out.append(Quadrant.PRIORITY_MAINTENANCE)
        else:
            out.append(Quadrant.MAINTENANCE)
    return out


def derived_importance(
    satisfaction: NDArray[np.int8], overall: NDArray[np.int8]
) -> NDArray[np.float64]:
    """Pearson r of each column's satisfaction score with the overall score (pairwise complete).

    ``satisfaction`` is the respondents × measures code matrix, ``overall`` the respondents'
    overall-satisfaction codes. Vectorised: the six sums of the correlation are matrix
    products over the masked score matrices; they are sums of small integers, hence exact.
    """
    weights = np.zeros(256, dtype=np.float64)
    valid_lut = np.zeros(256, dtype=bool)
    for code, weight in enumerate(SCORE_WEIGHTS, start=1):
        weights[code] = weight
        valid_lut[code] = True
    s_codes = satisfaction.view(np.uint8)
    o_codes = overall.view(np.uint8)
    x_valid = valid_lut[s_codes]
    y_valid = valid_lut[o_codes]
    y = weights[o_codes]
    y = np.where(y_valid, y, 0.0)
    both = (x_valid & y_valid[:, None]).astype(np.float64)
    x = weights[s_codes] * both
    n = both.sum(axis=0)
    sx = x.sum(axis=0)
    sxx = (x * x).sum(axis=0)
    sy = both.T @ y
    syy = both.T @ (y * y)
    sxy = x.T @ y
    var_x = n * sxx - sx * sx
    var_y = n * syy - sy * sy
    r = np.full(n.shape, np.nan)
    ok = (n >= 2) & (var_x > 0) & (var_y > 0)
    r[ok] = (n[ok] * sxy[ok] - sx[ok] * sy[ok]) / np.sqrt(var_x[ok] * var_y[ok])
    clipped: NDArray[np.float64] = np.clip(r, -1.0, 1.0)
    return clipped


@dataclass(frozen=True)
class PortfolioItem:
    code: str
    importance_score: float | None
    satisfaction_score: float | None
    importance_t: float | None
    satisfaction_t: float | None
    importance_z: float | None
    satisfaction_z: float | None
    quadrant: Quadrant | None
    quadrant_label: str | None
    improvement_need: float | None
    derived_importance: float | None


@dataclass(frozen=True)
class Portfolio:
    items: tuple[PortfolioItem, ...]
    importance_mean: float | None
    importance_sd: float | None
    satisfaction_mean: float | None
    satisfaction_sd: float | None
    labels: QuadrantLabels


def _opt(value: float) -> float | None:
    return None if math.isnan(value) else value


def build_portfolio(
    codes: tuple[str, ...],
    *,
    importance_scores: NDArray[np.float64],
    satisfaction_scores: NDArray[np.float64],
    derived: NDArray[np.float64] | None = None,
    labels: QuadrantLabels | None = None,
) -> Portfolio:
    """The portfolio of the measures ``codes`` (scores NaN where undefined)."""
    labels = labels or QuadrantLabels()
    if not (len(codes) == len(importance_scores) == len(satisfaction_scores)):
        raise ValueError("codes and score arrays differ in length")
    imp = deviation_scores(importance_scores)
    sat = deviation_scores(satisfaction_scores)
    quadrants = classify_quadrants(imp.z, sat.z)
    need = imp.z - sat.z
    derived_values = derived if derived is not None else np.full(len(codes), np.nan)
    items = []
    for i, code in enumerate(codes):
        quadrant = quadrants[i]
        items.append(
            PortfolioItem(
                code=code,
                importance_score=_opt(float(importance_scores[i])),
                satisfaction_score=_opt(float(satisfaction_scores[i])),
                importance_t=_opt(float(imp.t[i])),
                satisfaction_t=_opt(float(sat.t[i])),
                importance_z=_opt(float(imp.z[i])),
                satisfaction_z=_opt(float(sat.z[i])),
                quadrant=quadrant,
                quadrant_label=labels.label(quadrant) if quadrant is not None else None,
                improvement_need=_opt(float(need[i])),
                derived_importance=_opt(float(derived_values[i])),
            )
        )
    return Portfolio(tuple(items), imp.mean, imp.sd, sat.mean, sat.sd, labels)
