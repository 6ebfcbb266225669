"""Scatter chart with quadrants: the importance × satisfaction portfolio (ポートフォリオ分析)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from keikaku.core.domain.charts import _svg as s
from keikaku.core.domain.charts.ticks import Scale, format_ticks, nice_ticks, padded_range
from keikaku.core.domain.i18n import _

# Layout (user units at the 640-wide viewBox); see docs/dev/charts.md.
HEIGHT = 480
PLOT_LEFT = 64
PLOT_RIGHT = s.WIDTH - 24  # 616
PLOT_TOP = 40  # y axis label baseline at y = 20
PLOT_BOTTOM = HEIGHT - 56  # 424; x tick labels at +20, x axis label at +44
POINT_RADIUS = 5
LABEL_GAP = POINT_RADIUS + 3  # from a point's centre to its label
LABEL_MAX = 180  # longer point labels are cut with 「…」 (the data table has them in full)


@dataclass(frozen=True)
class ScatterPoint:
    label: str
    x: float
    y: float


def scatter_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    points: Sequence[ScatterPoint],
    x_label: str,
    y_label: str,
    x_split: float,
    y_split: float,
    quadrant_labels: Sequence[str],
    x_min: float | None = None,
    x_max: float | None = None,
    y_min: float | None = None,
    y_max: float | None = None,
) -> str:
    """Points with labels beside them (nudged vertically when they would collide), dashed
    quadrant lines at ``x_split`` / ``y_split`` and ``quadrant_labels`` (top-left, top-right,
    bottom-left, bottom-right) in the outer corners. The axes cover the points, the splits
    and the optional ``x_min`` … ``y_max`` bounds."""
    if len(quadrant_labels) != 4:
        raise ValueError(
            _(
                "quadrant_labels は 4 つ（左上、右上、左下、右下の順）指定してください"
                "（指定数: %(n)d）。"
            )
            % {"n": len(quadrant_labels)}
        )
    xs = [s.check_finite(p.x, _("点「%(label)s」の x") % {"label": p.label}) for p in points]
    ys = [s.check_finite(p.y, _("点「%(label)s」の y") % {"label": p.label}) for p in points]
    x_split = s.check_finite(x_split, "x_split")
    y_split = s.check_finite(y_split, "y_split")
    bounds = [
        None if v is None else s.check_finite(v, "x_min/x_max/y_min/y_max")
        for v in (x_min, x_max, y_min, y_max)
    ]
    if not points:
        return s.empty_chart(chart_id=chart_id, title=title, desc=desc, kind="scatter")

    x_ticks = nice_ticks(*padded_range(xs, x_split, bounds[0], bounds[1]))
    y_ticks = nice_ticks(*padded_range(ys, y_split, bounds[2], bounds[3]))
    x = Scale(x_ticks[0], x_ticks[-1], PLOT_LEFT, PLOT_RIGHT)
    y = Scale(y_ticks[0], y_ticks[-1], PLOT_BOTTOM, PLOT_TOP)
    body: list[str] = [
        s.text(8, 20, y_label, cls="kk-axis-label"),
        s.text(
            (PLOT_LEFT + PLOT_RIGHT) / 2,
            PLOT_BOTTOM + 44,
            x_label,
            anchor="middle",
            cls="kk-axis-label",
        ),
    ]
    for value, tick in zip(x_ticks, format_ticks(x_ticks), strict=True):
        tx = x(value)
        body.append(s.line(tx, PLOT_TOP, tx, PLOT_BOTTOM, stroke=s.GRAY_LIGHT, cls="kk-grid"))
        body.append(s.text(tx, PLOT_BOTTOM + 20, tick, anchor="middle", cls="kk-tick"))
    for value, tick in zip(y_ticks, format_ticks(y_ticks), strict=True):
        ty = y(value)
        body.append(s.line(PLOT_LEFT, ty, PLOT_RIGHT, ty, stroke=s.GRAY_LIGHT, cls="kk-grid"))
        body.append(
            s.text(PLOT_LEFT - 8, s.baseline(ty, s.SMALL), tick, anchor="end", cls="kk-tick")
        )
    body.append(
        s.rect(
            PLOT_LEFT,
            PLOT_TOP,
            PLOT_RIGHT - PLOT_LEFT,
            PLOT_BOTTOM - PLOT_TOP,
            fill="none",
            stroke=s.GRAY,
            cls="kk-frame",
        )
    )
    sx, sy = x(x_split), y(y_split)
    body.append(
        s.line(
            sx, PLOT_TOP, sx, PLOT_BOTTOM, stroke=s.GRAY_DARK, width=1.5, dash="6 4", cls="kk-split"
        )
    )
    body.append(
        s.line(
            PLOT_LEFT, sy, PLOT_RIGHT, sy, stroke=s.GRAY_DARK, width=1.5, dash="6 4", cls="kk-split"
        )
    )

    # quadrant labels in the outer corners; they are obstacles for the point labels
    corners = (
        (PLOT_LEFT + 6, PLOT_TOP + 16, "start"),
        (PLOT_RIGHT - 6, PLOT_TOP + 16, "end"),
        (PLOT_LEFT + 6, PLOT_BOTTOM - 8, "start"),
        (PLOT_RIGHT - 6, PLOT_BOTTOM - 8, "end"),
    )
    obstacles: list[s.Box] = []
    half = (PLOT_RIGHT - PLOT_LEFT) / 2 - 12
    for (cx, cy, anchor), raw in zip(corners, quadrant_labels, strict=True):
        caption = s.truncate(raw, s.SMALL, half)
        if not caption:
            continue
        width = s.text_width(caption, s.SMALL)
        x0 = cx if anchor == "start" else cx - width
        obstacles.append(s.Box(x0, cy - s.SMALL + 2, x0 + width, cy + 2))
        body.append(
            s.text(
                cx,
                cy,
                caption,
                anchor="start" if anchor == "start" else "end",
                fill=s.GRAY_DARK,
                weight="bold",
                cls="kk-quadrant",
            )
        )

    coords = [(x(px), y(py)) for px, py in zip(xs, ys, strict=True)]
    captions = [s.truncate(p.label, s.SMALL, LABEL_MAX) for p in points]
    placed = s.place_point_labels(
        [(px, py, LABEL_GAP, c) for (px, py), c in zip(coords, captions, strict=True)],
        size=s.SMALL,
        left=0,
        right=s.WIDTH - 4,
        top=PLOT_TOP - 16,
        bottom=PLOT_BOTTOM + 8,
        obstacles=obstacles
        + [
            s.Box(px - POINT_RADIUS, py - POINT_RADIUS, px + POINT_RADIUS, py + POINT_RADIUS)
            for px, py in coords
        ],
    )
    for (px, py), label in zip(coords, placed, strict=True):
        if label.nudged:
            lx = label.x - 2 if label.anchor == "start" else label.x + 2
            body.append(
                s.line(px, py, lx, label.centre, stroke=s.GRAY, width=0.75, cls="kk-leader")
            )
    for px, py in coords:
        body.append(
            s.marker("circle", px, py, POINT_RADIUS, fill=s.BLUE, stroke_width=1.5, cls="kk-point")
        )
    for caption, label in zip(captions, placed, strict=True):
        body.append(s.text(label.x, label.y, caption, anchor=label.anchor, cls="kk-point-label"))
    return s.document(
        chart_id=chart_id, title=title, desc=desc, height=HEIGHT, body=body, kind="scatter"
    )
