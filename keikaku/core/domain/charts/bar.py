"""Bar charts (one value per category) and stacked bar charts (grade distributions, Likert
shares), horizontal by default so that long Japanese category names stay readable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from keikaku.core.domain.charts import _svg as s
from keikaku.core.domain.charts.ticks import Scale, format_ticks, nice_ticks
from keikaku.core.domain.i18n import _

# Layout of horizontal bars (user units at the 640-wide viewBox); see docs/dev/charts.md.
ROW = 32  # one category
BAR = 20  # bar thickness, centred in its row (6 above and below)
TOP = 32  # unit label baseline at y = 20
BOTTOM = 32  # tick labels baseline at plot bottom + 20
LABEL_MIN = 80  # category label area: estimated widest label + 16, clamped to 80 … 220
LABEL_MAX = 220
VALUE_SPACE = 64  # room for value labels beyond the ends of the scale

# Layout of vertical bars
V_HEIGHT = 360
V_LEFT = 72
V_RIGHT = 16
V_TOP = 40
V_BOTTOM = 48
V_NEGATIVE_SPACE = 20  # room under the lowest negative bar for its value label
V_BAR_MAX = 48

POSITIVE = s.BLUE
NEGATIVE = s.ORANGE


def label_area(labels: Sequence[str], size: float = s.LARGE) -> float:
    widest = max((s.text_width(label, size) for label in labels), default=0.0)
    return min(max(widest + 16, LABEL_MIN), LABEL_MAX)


def _value_label(value: float, value_format: str) -> str:
    return s.apply_format(value_format, value)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    values: Sequence[float | None],
    unit: str,
    horizontal: bool = True,
    value_format: str = "{:.1f}",
) -> str:
    """One bar per category from zero, its value written at the bar end (``value_format``);
    negative values extend left of (or below) zero; ``None`` draws no bar and says 「値なし」."""
    s.check_length(len(values), len(categories), _("値"), _("項目"))
    cleaned = [
        s.optional_value(v, _("項目「%(c)s」") % {"c": c})
        for c, v in zip(categories, values, strict=True)
    ]
    data = [v for v in cleaned if v is not None]
    if not categories or not data:
        return s.empty_chart(chart_id=chart_id, title=title, desc=desc, kind="bar")
    ticks = nice_ticks(min(0.0, *data), max(0.0, *data))
    has_negative = min(data) < 0
    if horizontal:
        height, body = _horizontal(categories, cleaned, ticks, has_negative, value_format)
    else:
        height, body = _vertical(categories, cleaned, ticks, has_negative, value_format)
    if unit:
        body.insert(0, s.text(8, 20, s.unit_label(unit), cls="kk-unit"))
    return s.document(
        chart_id=chart_id, title=title, desc=desc, height=height, body=body, kind="bar"
    )


def _horizontal(
    categories: Sequence[str],
    values: Sequence[float | None],
    ticks: tuple[float, ...],
    has_negative: bool,
    value_format: str,
) -> tuple[float, list[str]]:
    area = label_area(categories)
    left = area + (VALUE_SPACE if has_negative else 0)
    right = s.WIDTH - VALUE_SPACE
    x = Scale(ticks[0], ticks[-1], left, right)
    plot_bottom = TOP + ROW * len(categories)
    body: list[str] = []
    for tick_value, tick in zip(ticks, format_ticks(ticks), strict=True):
        tx = x(tick_value)
        body.append(s.line(tx, TOP, tx, plot_bottom, stroke=s.GRAY_LIGHT, cls="kk-grid"))
        body.append(s.text(tx, plot_bottom + 20, tick, anchor="middle", cls="kk-tick"))
    zero = x(0)
    for i, (category, value) in enumerate(zip(categories, values, strict=True)):
        row_top = TOP + i * ROW
        centre = row_top + ROW / 2
        base = s.baseline(centre, s.SMALL)
        body.append(
            s.text(
                area - 8,
                s.baseline(centre, s.LARGE),
                s.truncate(category, s.LARGE, area - 16),
                size=s.LARGE,
                anchor="end",
                cls="kk-category",
            )
        )
        if value is None:
            body.append(s.text(zero + 4, base, _("値なし"), fill=s.GRAY_DARK, cls="kk-value"))
            continue
        end = x(value)
        body.append(
            s.rect(
                min(zero, end),
                row_top + (ROW - BAR) / 2,
                abs(end - zero),
                BAR,
                fill=NEGATIVE if value < 0 else POSITIVE,
                cls="kk-bar",
            )
        )
        if value < 0:
            body.append(
                s.text(
                    end - 4, base, _value_label(value, value_format), anchor="end", cls="kk-value"
                )
            )
        else:
            body.append(s.text(end + 4, base, _value_label(value, value_format), cls="kk-value"))
    body.append(s.line(zero, TOP, zero, plot_bottom, stroke=s.BLACK, cls="kk-axis"))
    return plot_bottom + BOTTOM, body


def _vertical(
    categories: Sequence[str],
    values: Sequence[float | None],
    ticks: tuple[float, ...],
    has_negative: bool,
    value_format: str,
) -> tuple[float, list[str]]:
    plot_left, plot_right = V_LEFT, s.WIDTH - V_RIGHT
    plot_top, plot_bottom = V_TOP, V_HEIGHT - V_BOTTOM
    y = Scale(
        ticks[0], ticks[-1], plot_bottom - (V_NEGATIVE_SPACE if has_negative else 0), plot_top
    )
    band = (plot_right - plot_left) / len(categories)
    bar = min(band * 0.6, V_BAR_MAX)
    body: list[str] = []
    for tick_value, tick in zip(ticks, format_ticks(ticks), strict=True):
        ty = y(tick_value)
        body.append(s.line(plot_left, ty, plot_right, ty, stroke=s.GRAY_LIGHT, cls="kk-grid"))
        body.append(
            s.text(plot_left - 8, s.baseline(ty, s.SMALL), tick, anchor="end", cls="kk-tick")
        )
    zero = y(0)
    for i, (category, value) in enumerate(zip(categories, values, strict=True)):
        centre = plot_left + (i + 0.5) * band
        body.append(
            s.text(
                centre,
                plot_bottom + 20,
                s.truncate(category, s.SMALL, band - 4),
                anchor="middle",
                cls="kk-category",
            )
        )
        if value is None:
            body.append(
                s.text(
                    centre, zero - 6, _("値なし"), anchor="middle", fill=s.GRAY_DARK, cls="kk-value"
                )
            )
            continue
        end = y(value)
        body.append(
            s.rect(
                centre - bar / 2,
                min(zero, end),
                bar,
                abs(end - zero),
                fill=NEGATIVE if value < 0 else POSITIVE,
                cls="kk-bar",
            )
        )
        label = _value_label(value, value_format)
        if value < 0:
            body.append(s.text(centre, end + 16, label, anchor="middle", cls="kk-value"))
        else:
            body.append(s.text(centre, end - 6, label, anchor="middle", cls="kk-value"))
    body.append(s.line(plot_left, zero, plot_right, zero, stroke=s.BLACK, cls="kk-axis"))
    return V_HEIGHT, body


# --------------------------------------------------------------------------- stacked

LEGEND_TOP = 8
LEGEND_ROW = 20
SWATCH = 14
STACK_RIGHT = 56  # room for the totals (count mode)

STACK_COLOURS: tuple[str, ...] = (
    s.BLUE,
    s.BLUE_BRIGHT,
    s.GRAY,
    s.ORANGE,
    s.RED,
    s.GREEN,
    s.GRAY_DARK,
    s.LIGHT_BLUE,
)


@dataclass(frozen=True)
class StackSegment:
    """One part of every stacked bar (e.g. grade A, or 「そう思う」): one value per category,
    a fill pattern (so that colour is not the only carrier) and an optional token colour."""

    label: str
    values: Sequence[float | None]
    pattern: s.Pattern = "solid"
    colour: str | None = None


def _legend(items: Sequence[tuple[str, str, str]]) -> tuple[float, list[str]]:
    """Legend of (fill, label, class) swatches, wrapped to the width; returns its bottom."""
    x, row = 16.0, 0
    body: list[str] = []
    for fill, label, cls in items:
        caption = s.truncate(label, s.SMALL, s.WIDTH - 32 - SWATCH - 4)
        width = SWATCH + 4 + s.text_width(caption, s.SMALL) + 16
        if x > 16 and x + width > s.WIDTH - 16:
            x, row = 16.0, row + 1
        top = LEGEND_TOP + row * LEGEND_ROW
        body.append(
            s.rect(x, top, SWATCH, SWATCH, fill=fill, stroke=s.BLACK, stroke_width=0.5, cls=cls)
        )
        body.append(
            s.text(x + SWATCH + 4, s.baseline(top + SWATCH / 2, s.SMALL), caption, cls="kk-legend")
        )
        x += width
    return LEGEND_TOP + (row + 1) * LEGEND_ROW, body


def stacked_bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    segments: Sequence[StackSegment],
    unit: str = "",
    percent: bool = False,
    value_format: str | None = None,
) -> str:
    """Horizontal stacked bars, segments left to right in the given order, with a legend.

    ``percent=True`` scales every bar to 100 % (shares of that category's total; a category
    whose total is 0 says 「データなし」). Values inside segments use ``value_format``
    (default ``"{:.0f}%"`` for shares, ``"{:,.0f}"`` for counts) and are written only where
    they fit; in count mode the total is written at the bar end. ``None`` counts as 0;
    negative values are refused."""
    if value_format is None:
        value_format = "{:.0f}%" if percent else "{:,.0f}"
    n = len(categories)
    matrix: list[list[float]] = []
    for seg in segments:
        where = _("区分「%(label)s」") % {"label": seg.label}
        s.check_length(len(seg.values), n, where, _("項目"))
        s.check_colour(seg.colour, where)
        row: list[float] = []
        for category, raw in zip(categories, seg.values, strict=True):
            value = s.optional_value(raw, where) or 0.0
            if value < 0:
                raise ValueError(
                    _(
                        "%(where)s の「%(category)s」の値 %(value)s は負です。"
                        "積み上げ棒グラフには 0 以上の値を指定してください。"
                    )
                    % {"where": where, "category": category, "value": value}
                )
            row.append(value)
        matrix.append(row)
    totals = [sum(matrix[j][i] for j in range(len(segments))) for i in range(n)]
    if n == 0 or not segments or max(totals, default=0.0) <= 0:
        return s.empty_chart(chart_id=chart_id, title=title, desc=desc, kind="stacked")

    defs: list[str] = []
    fills: list[str] = []
    for j, seg in enumerate(segments):
        colour = s.check_colour(seg.colour, "") or STACK_COLOURS[j % len(STACK_COLOURS)]
        pattern_id = f"{chart_id}-seg{j}"
        if seg.pattern != "solid":
            defs.append(s.pattern_def(pattern_id, seg.pattern, colour))
        fills.append(s.pattern_fill(pattern_id, seg.pattern, colour))
    legend_bottom, body = _legend(
        [(fill, seg.label, "kk-swatch") for fill, seg in zip(fills, segments, strict=True)]
    )
    top = legend_bottom + 24
    if unit and not percent:
        body.append(s.text(8, top - 10, s.unit_label(unit), cls="kk-unit"))

    area = label_area(categories)
    ticks = (0.0, 20.0, 40.0, 60.0, 80.0, 100.0) if percent else nice_ticks(0.0, max(totals))
    x = Scale(ticks[0], ticks[-1], area, s.WIDTH - STACK_RIGHT)
    plot_bottom = top + ROW * n
    for value, label in zip(ticks, format_ticks(ticks, "%" if percent else ""), strict=True):
        tx = x(value)
        body.append(s.line(tx, top, tx, plot_bottom, stroke=s.GRAY_LIGHT, cls="kk-grid"))
        body.append(s.text(tx, plot_bottom + 20, label, anchor="middle", cls="kk-tick"))
    for i, category in enumerate(categories):
        row_top = top + i * ROW
        centre = row_top + ROW / 2
        body.append(
            s.text(
                area - 8,
                s.baseline(centre, s.LARGE),
                s.truncate(category, s.LARGE, area - 16),
                size=s.LARGE,
                anchor="end",
                cls="kk-category",
            )
        )
        total = totals[i]
        if total <= 0:
            body.append(
                s.text(
                    area + 4,
                    s.baseline(centre, s.SMALL),
                    _("データなし"),
                    fill=s.GRAY_DARK,
                    cls="kk-value",
                )
            )
            continue
        running = 0.0
        for j in range(len(segments)):
            value = matrix[j][i]
            if value <= 0:
                continue
            shown = value / total * 100 if percent else value
            x0, x1 = x(running), x(running + shown)
            running += shown
            body.append(
                s.rect(
                    x0,
                    row_top + (ROW - BAR) / 2,
                    x1 - x0,
                    BAR,
                    fill=fills[j],
                    stroke=s.WHITE,
                    stroke_width=1,
                    cls="kk-segment",
                )
            )
            caption = s.apply_format(value_format, shown)
            if s.text_width(caption, s.SMALL) + 8 <= x1 - x0:
                body.extend(s.label_chip((x0 + x1) / 2, centre, caption))
        if not percent:
            body.append(
                s.text(
                    x(total) + 4,
                    s.baseline(centre, s.SMALL),
                    s.apply_format(value_format, total),
                    cls="kk-total",
                )
            )
    body.append(s.line(area, top, area, plot_bottom, stroke=s.BLACK, cls="kk-axis"))
    return s.document(
        chart_id=chart_id,
        title=title,
        desc=desc,
        height=plot_bottom + BOTTOM,
        body=body,
        defs=defs,
        kind="stacked",
    )
