"""SVG primitives shared by every chart: escaping, number formatting, the document shell,
colours, dash patterns, markers, fill patterns, text measurement and label placement.

Everything here is deterministic: the same arguments always give the same string.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from keikaku.core.domain.i18n import _

# --------------------------------------------------------------------------- constants

WIDTH = 640
"""Default (and only) width of the viewBox, in user units. Font sizes are given at this width."""

FONT_FAMILY = "'Noto Sans CJK JP', 'Noto Sans JP', sans-serif"
SMALL = 12  # tick labels, value labels, direct labels: the minimum font size
LARGE = 14  # category labels, headings inside the chart

# デジタル庁デザインシステム colour tokens (fixed hex values)
BLUE = "#0017c1"
BLUE_BRIGHT = "#3460fb"
LIGHT_BLUE = "#0055ad"
GREEN = "#197a4b"
ORANGE = "#c74700"
RED = "#ec0000"
GRAY_DARK = "#595959"
GRAY = "#767676"
GRAY_LIGHT = "#d8d8d8"
BLACK = "#1a1a1c"
WHITE = "#ffffff"

TOKEN_COLOURS: frozenset[str] = frozenset(
    {BLUE, BLUE_BRIGHT, LIGHT_BLUE, GREEN, ORANGE, RED, GRAY_DARK, GRAY, GRAY_LIGHT, BLACK, WHITE}
)

SERIES_COLOURS: tuple[str, ...] = (BLUE, ORANGE, GREEN, GRAY_DARK, LIGHT_BLUE, BLACK)
SERIES_DASHES: tuple[str | None, ...] = (None, "8 4", "2 3", "8 3 2 3", "4 4")

MarkerShape = Literal["circle", "square", "triangle", "diamond", "triangle-down"]
MARKER_SHAPES: tuple[MarkerShape, ...] = (
    "circle",
    "square",
    "triangle",
    "diamond",
    "triangle-down",
)

Pattern = Literal[
    "solid", "diagonal", "reverse-diagonal", "horizontal", "vertical", "crosshatch", "dots"
]
PATTERNS: tuple[Pattern, ...] = (
    "solid",
    "diagonal",
    "dots",
    "horizontal",
    "reverse-diagonal",
    "crosshatch",
    "vertical",
)

_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
# Characters XML 1.0 cannot hold (and lone surrogates, which UTF-8 cannot encode).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# --------------------------------------------------------------------------- text and numbers


def esc(text: str) -> str:
    """XML-escape ``& < > "`` (text and attribute values alike); drop characters XML forbids."""
    text = _INVALID_XML.sub("", text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def fmt(value: float) -> str:
    """A coordinate with at most 2 decimals, trailing zeros dropped, never ``-0``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_number(value: float, decimals: int | None = None) -> str:
    """Thousands separators; ``decimals`` fixed, or (None) up to 2 with trailing zeros dropped."""
    if decimals is None:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{decimals}f}"
    if text.startswith("-") and text.strip("-0.,") == "":
        text = text[1:]
    return text


def baseline(centre: float, size: float) -> float:
    """The baseline that centres a line of text of ``size`` on ``centre`` (no dominant-baseline)."""
    return centre + round(size * 0.35)


def text_width(text: str, size: float) -> float:
    """Estimated advance width: full-width (East Asian W/F/A) characters 1 em, others 0.6 em."""
    return sum(
        size if unicodedata.east_asian_width(ch) in ("W", "F", "A") else size * 0.6 for ch in text
    )


def truncate(text: str, size: float, max_width: float) -> str:
    """Cut ``text`` and append 「…」 so that its estimated width fits ``max_width``."""
    if text_width(text, size) <= max_width:
        return text
    ellipsis = "…"
    while text and text_width(text + ellipsis, size) > max_width:
        text = text[:-1]
    return text + ellipsis if text else ""


def check_chart_id(chart_id: str) -> str:
    if not _CHART_ID.fullmatch(chart_id):
        raise ValueError(
            _(
                "グラフID「%(id)s」は使えません。英字で始まり、英数字・ハイフン・アンダースコア"
                "だけからなる64文字以内のIDを指定してください。"
            )
            % {"id": chart_id}
        )
    return chart_id


def check_finite(value: float, where: str) -> float:
    if not math.isfinite(value):
        raise ValueError(
            _("%(where)s の値「%(value)s」は数値ではありません。有限の数値を指定してください。")
            % {"where": where, "value": value}
        )
    return float(value)


def optional_value(value: float | None, where: str) -> float | None:
    """``None`` and NaN mean "no value"; infinities are refused."""
    if value is None or math.isnan(value):
        return None
    return check_finite(value, where)


def check_length(got: int, expected: int, what: str, against: str) -> None:
    if got != expected:
        raise ValueError(
            _(
                "%(what)s の値が %(got)d 個ありますが、%(against)s は %(expected)d 個です。"
                "数をそろえてください。"
            )
            % {"what": what, "got": got, "against": against, "expected": expected}
        )


def apply_format(value_format: str, value: float) -> str:
    try:
        return value_format.format(value)
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        raise ValueError(
            _(
                "value_format「%(format)s」で値 %(value)s を書式化できません"
                "（%(error)s）。「{:.1f}」のような書式を指定してください。"
            )
            % {"format": value_format, "value": value, "error": exc}
        ) from exc


def check_colour(colour: str | None, where: str) -> str | None:
    if colour is not None and colour.lower() not in TOKEN_COLOURS:
        raise ValueError(
            _(
                "%(where)s の色「%(colour)s」はデザイントークンの色ではありません。"
                "%(allowed)s のいずれかを指定してください。"
            )
            % {"where": where, "colour": colour, "allowed": ", ".join(sorted(TOKEN_COLOURS))}
        )
    return colour.lower() if colour is not None else None


# --------------------------------------------------------------------------- elements

Attr = str | float | int | None


def el(tag: str, attrs: Mapping[str, Attr], text: str | None = None) -> str:
    """One element. Numbers go through :func:`fmt`; ``None`` attributes are left out;
    attribute order is the mapping's order (deterministic); text content is escaped."""
    parts = [tag]
    for name, value in attrs.items():
        if value is None:
            continue
        shown = value if isinstance(value, str) else fmt(value)
        parts.append(f'{name}="{esc(shown)}"')
    opening = " ".join(parts)
    if text is None:
        return f"<{opening}/>"
    return f"<{opening}>{esc(text)}</{tag}>"


def points(coords: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{fmt(x)},{fmt(y)}" for x, y in coords)


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = SMALL,
    anchor: Literal["start", "middle", "end"] = "start",
    fill: str = BLACK,
    weight: str | None = None,
    cls: str | None = None,
) -> str:
    return el(
        "text",
        {
            "class": cls,
            "x": x,
            "y": y,
            "font-size": size,
            "text-anchor": None if anchor == "start" else anchor,
            "font-weight": weight,
            "fill": fill,
        },
        content,
    )


def line(
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    *,
    stroke: str,
    width: float = 1,
    dash: str | None = None,
    cls: str | None = None,
) -> str:
    return el(
        "line",
        {
            "class": cls,
            "x1": x1,
            "y1": y1,
            "x2": x2,
            "y2": y2,
            "stroke": stroke,
            "stroke-width": width,
            "stroke-dasharray": dash,
        },
    )


def rect(
    x: float,
    y: float,
    width: float,
    height: float,
    *,
    fill: str,
    stroke: str | None = None,
    stroke_width: float | None = None,
    cls: str | None = None,
) -> str:
    return el(
        "rect",
        {
            "class": cls,
            "x": x,
            "y": y,
            "width": width,
            "height": height,
            "fill": fill,
            "stroke": stroke,
            "stroke-width": stroke_width,
        },
    )


def marker(
    shape: MarkerShape,
    x: float,
    y: float,
    r: float,
    *,
    fill: str,
    stroke: str = WHITE,
    stroke_width: float = 1,
    cls: str | None = None,
) -> str:
    """A point marker of (roughly) radius ``r`` centred on (x, y)."""
    common: dict[str, Attr] = {"fill": fill, "stroke": stroke, "stroke-width": stroke_width}
    if shape == "circle":
        return el("circle", {"class": cls, "cx": x, "cy": y, "r": r, **common})
    if shape == "square":
        half = r * 0.9
        return el(
            "rect",
            {"class": cls, "x": x - half, "y": y - half, "width": 2 * half, "height": 2 * half}
            | common,
        )
    if shape == "triangle":
        coords = [(x, y - 1.2 * r), (x + 1.04 * r, y + 0.6 * r), (x - 1.04 * r, y + 0.6 * r)]
    elif shape == "triangle-down":
        coords = [(x, y + 1.2 * r), (x + 1.04 * r, y - 0.6 * r), (x - 1.04 * r, y - 0.6 * r)]
    else:  # diamond
        coords = [(x, y - 1.25 * r), (x + 1.25 * r, y), (x, y + 1.25 * r), (x - 1.25 * r, y)]
    return el("polygon", {"class": cls, "points": points(coords), **common})


def pattern_def(pattern_id: str, pattern: Pattern, colour: str) -> str:
    """A ``<pattern>`` of white strokes or dots over ``colour`` (8×8 tile, user space)."""
    tile = el("rect", {"width": 8, "height": 8, "fill": colour})
    white: dict[str, Attr] = {"stroke": WHITE, "stroke-width": 1.5}
    if pattern == "diagonal":
        marks = [el("path", {"d": "M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6", **white})]
    elif pattern == "reverse-diagonal":
        marks = [el("path", {"d": "M-2,6 L2,10 M0,0 L8,8 M6,-2 L10,2", **white})]
    elif pattern == "crosshatch":
        marks = [
            el(
                "path",
                {"d": "M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6 M-2,6 L2,10 M0,0 L8,8 M6,-2 L10,2"}
                | white,
            )
        ]
    elif pattern == "horizontal":
        marks = [el("path", {"d": "M0,4 L8,4", **white})]
    elif pattern == "vertical":
        marks = [el("path", {"d": "M4,0 L4,8", **white})]
    elif pattern == "dots":
        marks = [el("circle", {"cx": 4, "cy": 4, "r": 1.5, "fill": WHITE})]
    else:
        marks = []
    opening = el(
        "pattern",
        {
            "id": pattern_id,
            "patternUnits": "userSpaceOnUse",
            "width": 8,
            "height": 8,
        },
    )[:-2]
    return opening + ">" + "".join([tile, *marks]) + "</pattern>"


def pattern_fill(pattern_id: str, pattern: Pattern, colour: str) -> str:
    """The ``fill`` value for a pattern: the plain colour for "solid", else ``url(#id)``."""
    return colour if pattern == "solid" else f"url(#{pattern_id})"


def label_chip(x: float, centre_y: float, content: str, *, size: float = SMALL) -> list[str]:
    """Black text on a white chip centred on (x, centre_y): readable over any fill or pattern."""
    width = text_width(content, size) + 4
    return [
        rect(x - width / 2, centre_y - size / 2 - 1, width, size + 2, fill=WHITE, cls="kk-chip"),
        text(x, baseline(centre_y, size), content, size=size, anchor="middle", cls="kk-chip-label"),
    ]


def document(
    *,
    chart_id: str,
    title: str,
    desc: str,
    height: float,
    body: Sequence[str],
    defs: Sequence[str] = (),
    kind: str,
) -> str:
    """The ``<svg>`` shell: role, accessible name and description, viewBox, fonts."""
    cid = check_chart_id(chart_id)
    head = el(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {fmt(WIDTH)} {fmt(height)}",
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{cid}-title {cid}-desc",
            "class": f"kk-chart kk-chart-{kind}",
            "font-family": FONT_FAMILY,
            "font-size": SMALL,
            "fill": BLACK,
        },
    )[:-2]
    parts = [
        head + ">",
        el("title", {"id": f"{cid}-title"}, title),
        el("desc", {"id": f"{cid}-desc"}, desc),
    ]
    if defs:
        parts.append("<defs>" + "".join(defs) + "</defs>")
    parts.extend(body)
    parts.append("</svg>")
    return "\n".join(parts)


EMPTY_HEIGHT = 120


def empty_chart(*, chart_id: str, title: str, desc: str, kind: str) -> str:
    """A chart with no data: a framed 「データがありません」 message instead of an exception."""
    body = [
        rect(0.5, 0.5, WIDTH - 1, EMPTY_HEIGHT - 1, fill=WHITE, stroke=GRAY_LIGHT, cls="kk-frame"),
        text(
            WIDTH / 2,
            baseline(EMPTY_HEIGHT / 2, LARGE),
            _("データがありません"),
            size=LARGE,
            anchor="middle",
            fill=GRAY_DARK,
            cls="kk-empty",
        ),
    ]
    return document(
        chart_id=chart_id, title=title, desc=desc, height=EMPTY_HEIGHT, body=body, kind=kind
    )


def unit_label(unit: str) -> str:
    return _("（単位：%(unit)s）") % {"unit": unit}


# --------------------------------------------------------------------------- label placement


def spread(desired: Sequence[float], gap: float, lo: float, hi: float) -> list[float]:
    """Move 1-D label centres apart so that neighbours are at least ``gap`` apart, staying
    within [lo, hi] where room allows; the order of the labels is kept."""
    order = sorted(range(len(desired)), key=lambda i: (desired[i], i))
    placed = [0.0] * len(desired)
    previous = -math.inf
    for i in order:
        placed[i] = max(desired[i], lo, previous + gap)
        previous = placed[i]
    following = math.inf
    for i in reversed(order):
        placed[i] = min(placed[i], hi, following - gap)
        following = placed[i]
    return placed


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )


@dataclass(frozen=True)
class PlacedLabel:
    x: float
    y: float  # baseline
    centre: float  # vertical centre of the label
    anchor: Literal["start", "end"]
    nudged: bool


def place_point_labels(
    anchors: Sequence[tuple[float, float, float, str]],
    *,
    size: float,
    left: float,
    right: float,
    top: float,
    bottom: float,
    obstacles: Sequence[Box] = (),
    max_steps: int = 6,
) -> list[PlacedLabel]:
    """Labels beside points: to the right (or, when that would cross ``right``, to the left),
    nudged vertically by whole line steps (0, +1, −1, +2, −2, …) until they overlap no label
    placed before. ``anchors`` are (x, y, gap to the point's edge, text). Points are handled
    top to bottom, then left to right; when nothing fits the label stays beside its point."""
    step = size + 2
    order = sorted(range(len(anchors)), key=lambda i: (anchors[i][1], anchors[i][0], i))
    placed: dict[int, PlacedLabel] = {}
    boxes: list[Box] = list(obstacles)
    for i in order:
        x, y, gap, content = anchors[i]
        width = text_width(content, size)
        anchor: Literal["start", "end"] = "start"
        tx = x + gap
        if tx + width > right and x - gap - width >= left:
            anchor, tx = "end", x - gap
        x0 = tx if anchor == "start" else tx - width
        chosen: Box | None = None
        chosen_offset = 0.0
        for k in range(2 * max_steps + 1):
            offset = step * ((k + 1) // 2) * (1 if k % 2 else -1) if k else 0.0
            centre = y + offset
            if k and (centre - size / 2 < top or centre + size / 2 > bottom):
                continue
            box = Box(x0, centre - size / 2, x0 + width, centre + size / 2)
            if not any(box.overlaps(b) for b in boxes):
                chosen, chosen_offset = box, offset
                break
        if chosen is None:
            chosen, chosen_offset = Box(x0, y - size / 2, x0 + width, y + size / 2), 0.0
        boxes.append(chosen)
        centre = y + chosen_offset
        placed[i] = PlacedLabel(tx, baseline(centre, size), centre, anchor, chosen_offset != 0)
    return [placed[i] for i in range(len(anchors))]
