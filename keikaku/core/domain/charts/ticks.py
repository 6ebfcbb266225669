"""Axis ticks on "nice" 1-2-5 steps and their labels, plus a linear scale."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, localcontext

from keikaku.core.domain.charts._svg import check_finite, format_number
from keikaku.core.domain.i18n import _

_MANTISSAS = (1, 2, 5)


def _nice_step(lo: float, hi: float, max_ticks: int) -> tuple[Decimal, int, int]:
    """The smallest step m·10^e (m in 1, 2, 5) whose multiples k·step, k = first..last,
    cover [lo, hi] in at most ``max_ticks`` intervals. Exact decimal arithmetic."""
    raw = (hi - lo) / max_ticks
    exponent = math.floor(math.log10(raw))
    d_lo, d_hi = Decimal(lo), Decimal(hi)
    with localcontext() as ctx:
        ctx.prec = 60
        # terminates: once step ≥ max(|lo|, |hi|) the ticks are at most −step, 0, step
        while True:
            for mantissa in _MANTISSAS:
                step = Decimal(mantissa).scaleb(exponent)
                first = math.floor(d_lo / step)
                last = math.ceil(d_hi / step)
                if last - first <= max_ticks:
                    return step, first, last
            exponent += 1


def nice_ticks(lo: float, hi: float, max_ticks: int = 6) -> tuple[float, ...]:
    """Evenly spaced ticks on a 1-2-5 step that cover [lo, hi]: the first tick is ≤ lo, the
    last ≥ hi, and there are at most ``max_ticks`` (≥ 2) intervals (``max_ticks + 1`` ticks).

    The step is the smallest of …, 0.1, 0.2, 0.5, 1, 2, 5, 10, … that fits. Ticks are exact
    decimal multiples of the step (0.3, not 0.30000000000000004). When lo == hi (or the range
    is negligible next to the values) the range is widened: to [0, 1] around 0, otherwise by
    10 % of |lo| on each side.

    >>> nice_ticks(0, 100)
    (0.0, 20.0, 40.0, 60.0, 80.0, 100.0)
    >>> nice_ticks(-25, 50)
    (-40.0, -20.0, 0.0, 20.0, 40.0, 60.0)
    """
    lo = check_finite(lo, "nice_ticks lo")
    hi = check_finite(hi, "nice_ticks hi")
    if max_ticks < 2:
        # one interval cannot cover a range around 0 with multiples of a step (−s … 0 … s)
        raise ValueError(
            _("目盛りの数 max_ticks は 2 以上を指定してください（指定値: %(n)s）。")
            % {"n": max_ticks}
        )
    if lo > hi:
        lo, hi = hi, lo
    magnitude = max(abs(lo), abs(hi))
    if hi - lo <= magnitude * 1e-9:
        if magnitude < 1e-300:  # zero, or so small that 10 % of it underflows to 0
            lo, hi = 0.0, 1.0
        else:
            lo, hi = lo - magnitude * 0.1, hi + magnitude * 0.1
    step, first, last = _nice_step(lo, hi, max_ticks)
    return tuple(float(k * step) for k in range(first, last + 1))


def tick_decimals(ticks: tuple[float, ...]) -> int:
    """Decimals needed to show the step of ``ticks`` (0 for steps ≥ 1, 1 for 0.5, 2 for 0.02)."""
    if len(ticks) < 2:
        return 0
    step = ticks[1] - ticks[0]
    for decimals in range(0, 12):
        if abs(round(step, decimals) - step) <= step * 1e-6:
            return decimals
    return 12


def format_ticks(ticks: tuple[float, ...], suffix: str = "") -> list[str]:
    """Tick labels with thousands separators and as many decimals as the step needs."""
    decimals = tick_decimals(ticks)
    return [format_number(t, decimals) + suffix for t in ticks]


@dataclass(frozen=True)
class Scale:
    """Linear map from the domain [d0, d1] to the range [r0, r1] (r0 may exceed r1)."""

    d0: float
    d1: float
    r0: float
    r1: float

    def __call__(self, value: float) -> float:
        if self.d1 == self.d0:
            return (self.r0 + self.r1) / 2
        return self.r0 + (value - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)


def padded_range(values: list[float], *extra: float | None) -> tuple[float, float]:
    """min and max over ``values`` and the non-None ``extra`` bounds (which may widen them)."""
    pool = values + [v for v in extra if v is not None]
    return min(pool), max(pool)
