"""Charts and their data tables for the population pages (staff and public).

Every chart is a server-rendered SVG from keikaku.core.domain.charts, and every chart comes
with a table of the same numbers (the templates show both).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from keikaku.core.domain.charts import LineSeries, PyramidComparison, line_chart, pyramid_chart

PERSONS = "人"


def year_label(year: int) -> str:
    return _("%(year)d年") % {"year": year}


def age_label(label: str) -> str:
    """``0-4`` → ``0～4歳``, ``90+`` → ``90歳以上`` (labels for people)."""
    if label.endswith("+"):
        return _("%(age)s歳以上") % {"age": label[:-1]}
    start, _sep, end = label.partition("-")
    return _("%(start)s～%(end)s歳") % {"start": start, "end": end}


def format_persons(value: float | None) -> str:
    """Persons for display: rounded half up to a whole person, thousands separators."""
    if value is None or not math.isfinite(float(value)):
        return "—"
    return f"{math.floor(float(value) + 0.5):,}"


def format_share(value: float | None) -> str:
    """A fraction as a percentage with one decimal (0.3101 → 31.0%)."""
    if value is None or not math.isfinite(float(value)):
        return "—"
    return f"{float(value) * 100:.1f}%"


def _format(value: Any, kind: str) -> str:
    if kind == "share":
        return format_share(value)
    if kind == "text":
        return "—" if value in (None, "") else str(value)
    return format_persons(value)


def _clean(value: float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class TableColumn:
    label: str
    kind: str = "persons"  # persons | share | text


@dataclass(frozen=True)
class ChartTable:
    """A chart and the table of its numbers: ``rows`` are (row header, display cells)."""

    chart: str
    title: str
    caption: str
    columns: tuple[TableColumn, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    row_header: str


def trend(
    *,
    chart_id: str,
    title: str,
    desc: str,
    years: Sequence[int],
    series: Sequence[tuple[str, Sequence[float | None]]],
    y_min: float | None = None,
    extra_columns: Sequence[tuple[TableColumn, Sequence[Any]]] = (),
) -> ChartTable:
    """A line chart over the years (one line per series) and the table year × series."""
    chart = line_chart(
        chart_id=chart_id,
        title=title,
        desc=desc,
        x_labels=[year_label(y) for y in years],
        series=[
            LineSeries(label=label, values=[_clean(v) for v in values]) for label, values in series
        ],
        unit=PERSONS,
        y_min=y_min,
    )
    columns = tuple(TableColumn(label) for label, _values in series) + tuple(
        column for column, _values in extra_columns
    )
    rows = tuple(
        (
            year_label(year),
            tuple(format_persons(_clean(values[i])) for _label, values in series)
            + tuple(_format(values[i], column.kind) for column, values in extra_columns),
        )
        for i, year in enumerate(years)
    )
    return ChartTable(chart, title, title, columns, rows, _("年"))


def pyramid(
    *,
    chart_id: str,
    title: str,
    year: int,
    age_groups: Sequence[str],
    population: Sequence[Sequence[float]],
    comparison_year: int | None = None,
    comparison: Sequence[Sequence[float]] | None = None,
) -> ChartTable:
    """Population pyramid of ``year`` (bars) with ``comparison_year`` as outlines, and a
    table: age group × (male, female, total) for the year and the comparison year."""
    labels = [age_label(g) for g in age_groups]
    compare = None
    if comparison is not None and comparison_year is not None and comparison_year != year:
        compare = PyramidComparison(
            label=_("%(year)d年（枠線）") % {"year": comparison_year},
            male=list(comparison[0]),
            female=list(comparison[1]),
        )
    if compare is not None:
        desc = _(
            "%(year)d年の男女・5歳階級別の人口。左が男性、右が女性。枠線は%(cmp)d年の人口です。"
        ) % {"year": year, "cmp": comparison_year}
    else:
        desc = _("%(year)d年の男女・5歳階級別の人口。左が男性、右が女性です。") % {"year": year}
    chart = pyramid_chart(
        chart_id=chart_id,
        title=title,
        desc=desc,
        age_groups=labels,
        male=list(population[0]),
        female=list(population[1]),
        unit=PERSONS,
        comparison=compare,
        main_label=year_label(year),
    )
    columns = [
        TableColumn(_("%(year)d年 男性") % {"year": year}),
        TableColumn(_("%(year)d年 女性") % {"year": year}),
        TableColumn(_("%(year)d年 計") % {"year": year}),
    ]
    if compare is not None:
        columns += [
            TableColumn(_("%(year)d年 男性") % {"year": comparison_year}),
            TableColumn(_("%(year)d年 女性") % {"year": comparison_year}),
            TableColumn(_("%(year)d年 計") % {"year": comparison_year}),
        ]
    rows = []
    for g, label in enumerate(labels):
        cells: list[Any] = [population[0][g], population[1][g], population[0][g] + population[1][g]]
        if compare is not None and comparison is not None:
            cells += [comparison[0][g], comparison[1][g], comparison[0][g] + comparison[1][g]]
        rows.append((label, tuple(format_persons(v) for v in cells)))
    totals: list[Any] = [
        sum(population[0]),
        sum(population[1]),
        sum(population[0]) + sum(population[1]),
    ]
    if compare is not None and comparison is not None:
        totals += [sum(comparison[0]), sum(comparison[1]), sum(comparison[0]) + sum(comparison[1])]
    rows.append((_("総数"), tuple(format_persons(v) for v in totals)))
    caption = _("%(title)s（数値）") % {"title": title}
    return ChartTable(chart, title, caption, tuple(columns), tuple(rows), _("年齢"))


def age_structure(
    *,
    chart_id: str,
    title: str,
    desc: str,
    years: Sequence[int],
    indicators: Any,
) -> ChartTable:
    """年齢3区分別人口: 0–14, 15–64, 65+ (and 75+) counts as lines; shares in the table."""

    def get(name: str) -> list[float | None]:
        source = indicators.get(name) if hasattr(indicators, "get") else indicators[name]
        return [_clean(v) for v in source]

    return trend(
        chart_id=chart_id,
        title=title,
        desc=desc,
        years=years,
        series=[
            (_("0～14歳"), get("age_0_14")),
            (_("15～64歳"), get("age_15_64")),
            (_("65歳以上"), get("age_65_plus")),
        ],
        y_min=0,
        extra_columns=[
            (TableColumn(_("うち75歳以上")), get("age_75_plus")),
            (TableColumn(_("0～14歳の割合"), "share"), get("share_0_14")),
            (TableColumn(_("15～64歳の割合"), "share"), get("share_15_64")),
            (TableColumn(_("65歳以上の割合"), "share"), get("share_65_plus")),
        ],
    )
