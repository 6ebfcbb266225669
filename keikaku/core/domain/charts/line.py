"""Line chart: KPI 実績値 over fiscal years with 基準値 / 目標値 reference lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from keikaku.core.domain.charts import _svg as s
from keikaku.core.domain.charts.ticks import Scale, format_ticks, nice_ticks, padded_range
from keikaku.core.domain.i18n import _

# Layout (user units at the 640-wide viewBox); see docs/dev/charts.md.
HEIGHT = 360
LEFT = 72  # y tick labels end at LEFT - 8
RIGHT = 160  # direct labels of series and reference lines
TOP = 40  # unit label baseline at y = 20
BOTTOM = 40  # x labels baseline at plot bottom + 20
PLOT_LEFT = LEFT
PLOT_RIGHT = s.WIDTH - RIGHT  # 480
PLOT_TOP = TOP
PLOT_BOTTOM = HEIGHT - BOTTOM  # 320
MARKER_RADIUS = 4
LABEL_GAP = 14  # minimum distance between direct labels


@dataclass(frozen=True)
class LineSeries:
    """One line: a value (or ``None`` for "no data", which breaks the line) per x label."""

    label: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class ReferenceLine:
    """A horizontal dashed line: 基準値 (``kind="baseline"``) or 目標値 (``kind="target"``)."""

    label: str
    value: float
    kind: Literal["baseline", "target"] = "target"


_REFERENCE_STYLE: dict[str, tuple[str, str]] = {
    "baseline": (s.GRAY_DARK, "3 3"),
    "target": (s.BLACK, "8 4"),
}


@dataclass(frozen=True)
class _DirectLabel:
    centre: float  # desired vertical centre
    caption: str
    colour: str
    series_index: int | None  # None for a reference line


def _series_style(index: int) -> tuple[str, str | None, s.MarkerShape]:
    """Colour, dash pattern and marker shape of series ``index``: never colour alone."""
    return (
        s.SERIES_COLOURS[index % len(s.SERIES_COLOURS)],
        s.SERIES_DASHES[index % len(s.SERIES_DASHES)],
        s.MARKER_SHAPES[index % len(s.MARKER_SHAPES)],
    )


def x_position(index: int, count: int) -> float:
    """Centre of band ``index`` of ``count`` equal bands across the plot."""
    return PLOT_LEFT + (index + 0.5) * (PLOT_RIGHT - PLOT_LEFT) / count


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Sequence[LineSeries],
    unit: str,
    reference_lines: Sequence[ReferenceLine] = (),
    y_min: float | None = None,
    y_max: float | None = None,
    value_decimals: int | None = None,
) -> str:
    """Lines over ``x_labels`` (band centres), gaps at ``None``, a marker on every point (so an
    isolated point stays visible), dashed reference lines, 1-2-5 y ticks, labels at the right
    end. ``y_min``/``y_max`` widen the y axis (e.g. ``y_min=0``); the data are always shown.
    ``value_decimals`` fixes the decimals of the reference lines' values (1.20, not 1.2)."""
    n = len(x_labels)
    cleaned: list[list[float | None]] = []
    for one in series:
        where = _("系列「%(label)s」") % {"label": one.label}
        s.check_length(len(one.values), n, where, _("横軸の項目"))
        cleaned.append([s.optional_value(v, where) for v in one.values])
    refs = [
        (r, s.check_finite(r.value, _("参照線「%(label)s」") % {"label": r.label}))
        for r in reference_lines
    ]
    if y_min is not None:
        y_min = s.check_finite(y_min, "y_min")
    if y_max is not None:
        y_max = s.check_finite(y_max, "y_max")
    data = [v for values in cleaned for v in values if v is not None]
    if n == 0 or not data:
        return s.empty_chart(chart_id=chart_id, title=title, desc=desc, kind="line")

    lo, hi = padded_range(data + [value for _ref, value in refs], y_min, y_max)
    ticks = nice_ticks(lo, hi)
    y = Scale(ticks[0], ticks[-1], PLOT_BOTTOM, PLOT_TOP)
    body: list[str] = []

    if unit:
        body.append(s.text(8, 20, s.unit_label(unit), cls="kk-unit"))
    # grid and y ticks
    for value, tick in zip(ticks, format_ticks(ticks), strict=True):
        ty = y(value)
        body.append(s.line(PLOT_LEFT, ty, PLOT_RIGHT, ty, stroke=s.GRAY_LIGHT, cls="kk-grid"))
        body.append(
            s.text(PLOT_LEFT - 8, s.baseline(ty, s.SMALL), tick, anchor="end", cls="kk-tick")
        )
    body.append(
        s.line(PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM, stroke=s.GRAY, cls="kk-axis")
    )
    # x labels, thinned to every k-th when they would collide
    band = (PLOT_RIGHT - PLOT_LEFT) / n
    widest = max(s.text_width(label, s.SMALL) for label in x_labels)
    every = max(1, int(-(-(widest + 8) // band)))
    for i, label in enumerate(x_labels):
        if i % every == 0:
            body.append(
                s.text(x_position(i, n), PLOT_BOTTOM + 20, label, anchor="middle", cls="kk-xlabel")
            )

    # reference lines
    direct: list[_DirectLabel] = []
    for ref, value in refs:
        ref_colour, ref_dash = _REFERENCE_STYLE[ref.kind]
        ry = y(value)
        body.append(
            s.line(
                PLOT_LEFT,
                ry,
                PLOT_RIGHT + 4,
                ry,
                stroke=ref_colour,
                width=1.5,
                dash=ref_dash,
                cls=f"kk-ref kk-ref-{ref.kind}",
            )
        )
        caption = s.truncate(
            f"{ref.label} {s.format_number(value, value_decimals)}", s.SMALL, RIGHT - 16
        )
        direct.append(_DirectLabel(ry, caption, ref_colour, None))

    # series
    for index, values in enumerate(cleaned):
        colour, dash, shape = _series_style(index)
        group = [f'<g class="kk-series" data-index="{index}">']
        runs: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(values):
            if v is None:
                if runs[-1]:
                    runs.append([])
            else:
                runs[-1].append((x_position(i, n), y(v)))
        runs = [run for run in runs if run]
        for run in runs:
            if len(run) >= 2:
                group.append(
                    s.el(
                        "polyline",
                        {
                            "class": "kk-line",
                            "points": s.points(run),
                            "fill": "none",
                            "stroke": colour,
                            "stroke-width": 2,
                            "stroke-dasharray": dash,
                            "stroke-linejoin": "round",
                        },
                    )
                )
        for run in runs:
            for px, py in run:
                group.append(s.marker(shape, px, py, MARKER_RADIUS, fill=colour, cls="kk-marker"))
        group.append("</g>")
        body.extend(group)
        if runs:
            caption = s.truncate(series[index].label, s.SMALL, RIGHT - 36)
            direct.append(_DirectLabel(runs[-1][-1][1], caption, colour, index))

    # direct labels at the right end, spread vertically so that they do not collide
    centres = s.spread([d.centre for d in direct], LABEL_GAP, PLOT_TOP, PLOT_BOTTOM)
    for centre, direct_label in zip(centres, direct, strict=True):
        base = s.baseline(centre, s.SMALL)
        if direct_label.series_index is None:
            body.append(
                s.text(PLOT_RIGHT + 8, base, direct_label.caption, cls="kk-direct kk-direct-ref")
            )
            continue
        colour, dash, shape = _series_style(direct_label.series_index)
        body.append(
            s.line(
                PLOT_RIGHT + 8,
                centre,
                PLOT_RIGHT + 28,
                centre,
                stroke=colour,
                width=2,
                dash=dash,
                cls="kk-key",
            )
        )
        body.append(
            s.marker(shape, PLOT_RIGHT + 18, centre, MARKER_RADIUS, fill=colour, cls="kk-key")
        )
        body.append(
            s.text(PLOT_RIGHT + 34, base, direct_label.caption, cls="kk-direct kk-direct-series")
        )

    return s.document(
        chart_id=chart_id, title=title, desc=desc, height=HEIGHT, body=body, kind="line"
    )
