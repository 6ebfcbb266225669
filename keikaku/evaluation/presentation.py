"""Charts and display helpers shared by the staff pages, the public pages and the reports.

Every chart comes from keikaku.core.domain.charts (server SVG) and must be shown with a
data table of the same numbers; the ``*_rows`` helpers give those tables.
"""

from __future__ import annotations

import math

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from keikaku.core.domain.charts import (
    PATTERNS,
    LineSeries,
    ReferenceLine,
    StackSegment,
    line_chart,
    stacked_bar_chart,
)
from keikaku.core.domain.fiscal import format_fiscal_year, format_fiscal_year_axis
from keikaku.evaluation.domain.report import (
    IndicatorReport,
    RollUpReport,
    VerificationReport,
)

TREND_KEYS = ("improved", "unchanged", "worsened", "not_reported", "no_reference")


def trend_labels() -> dict[str, str]:
    return {
        "improved": _("改善"),
        "unchanged": _("変化なし"),
        "worsened": _("悪化"),
        "not_reported": _("未報告"),
        "no_reference": _("比較不可"),
    }


def pct_text(value: float | None, digits: int = 1) -> str:
    """85.0% / −12.5% / 「—」 (never clipped)."""
    if value is None or not math.isfinite(value):
        return "—"
    text = f"{value:,.{digits}f}%"
    return text.replace("-", "−")


def number_text(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def indicator_chart(ind: IndicatorReport, chart_id: str) -> str:
    """実績値 by fiscal year with 基準値 and 目標値 lines."""
    years = [y.fiscal_year for y in ind.years]
    refs: list[ReferenceLine] = []
    if ind.baseline is not None:
        refs.append(
            ReferenceLine(
                label=_("基準値"),
                value=ind.baseline,
                kind="baseline",
            )
        )
    if ind.target is not None:
        refs.append(
            ReferenceLine(
                label=_("目標値"),
                value=ind.target,
                kind="target",
            )
        )
    latest = next((y for y in reversed(ind.years) if y.value is not None), None)
    desc = _("%(name)s の年度ごとの実績値。") % {"name": ind.name}
    if latest is not None:
        desc += _("最新は%(fy)sの%(v)s%(unit)s。") % {
            "fy": format_fiscal_year(latest.fiscal_year, lang=get_language()),
            "v": number_text(latest.value),
            "unit": ind.unit,
        }
    if ind.target is not None:
        desc += _("目標値は%(v)s%(unit)s。") % {"v": number_text(ind.target), "unit": ind.unit}
    return line_chart(
        chart_id=chart_id,
        title=_("%(name)s の推移") % {"name": ind.name},
        desc=desc,
        x_labels=[format_fiscal_year_axis(y, lang=get_language()) for y in years],
        series=[LineSeries(label=_("実績値"), values=[y.value for y in ind.years])],
        unit=ind.unit,
        reference_lines=refs,
    )


def _scopes(report: VerificationReport) -> list[RollUpReport]:
    return [report.plan, *report.areas]


def scope_label(scope: RollUpReport) -> str:
    if scope.area_number is None:
        return scope.title
    return f"{scope.area_number}. {scope.title}"


def grade_distribution_chart(report: VerificationReport, chart_id: str, *, of: str) -> str:
    """Stacked bars: the grades of measures (``of="measure"``) or indicators per area."""
    scopes = _scopes(report)
    labels = [g.label for g in report.scheme.labels]
    segments = []
    for j, label in enumerate(labels):
        values: list[float | None] = []
        for scope in scopes:
            counts = scope.measure_grades if of == "measure" else scope.indicator_grades
            values.append(float(next((c.count for c in counts if c.label == label), 0)))
        segments.append(
            StackSegment(label=label, values=values, pattern=PATTERNS[j % len(PATTERNS)])
        )
    what = _("施策") if of == "measure" else _("成果指標")
    return stacked_bar_chart(
        chart_id=chart_id,
        title=_("政策分野別の%(what)sの評価") % {"what": what},
        desc=_("計画全体と政策分野ごとの、%(what)sの評価区分の件数。") % {"what": what},
        categories=[scope_label(s) for s in scopes],
        segments=segments,
        unit=_("件"),
    )


def grade_rows(report: VerificationReport, *, of: str) -> list[tuple[str, list[int], int]]:
    """Rows of the data table beside :func:`grade_distribution_chart`."""
    rows: list[tuple[str, list[int], int]] = []
    for scope in _scopes(report):
        counts = scope.measure_grades if of == "measure" else scope.indicator_grades
        values = [c.count for c in counts]
        rows.append((scope_label(scope), values, sum(values)))
    return rows


def trend_chart(report: VerificationReport, chart_id: str) -> str:
    """Stacked bars: indicators improved / unchanged / worsened / not reported per area."""
    scopes = _scopes(report)
    names = trend_labels()
    segments = [
        StackSegment(
            label=names[key],
            values=[float(getattr(s.trend_vs_baseline, key)) for s in scopes],
            pattern=PATTERNS[j % len(PATTERNS)],
        )
        for j, key in enumerate(TREND_KEYS)
    ]
    return stacked_bar_chart(
        chart_id=chart_id,
        title=_("基準値と比べた成果指標の動き"),
        desc=_(
            "計画全体と政策分野ごとの、基準値より改善・変化なし・悪化・未報告の成果指標の件数。"
        ),
        categories=[scope_label(s) for s in scopes],
        segments=segments,
        unit=_("件"),
    )


def trend_rows(report: VerificationReport) -> list[tuple[str, list[int], int]]:
    rows: list[tuple[str, list[int], int]] = []
    for scope in _scopes(report):
        values = [int(getattr(scope.trend_vs_baseline, key)) for key in TREND_KEYS]
        rows.append((scope_label(scope), values, sum(values)))
    return rows
