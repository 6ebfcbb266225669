"""Co-occurrence network (共起ネットワーク): nodes at caller-given positions, normalised into
the viewBox; node size by frequency, edge width by weight, group by colour *and* shape."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from keikaku.core.domain.charts import _svg as s
from keikaku.core.domain.i18n import _

# Layout (user units at the 640-wide viewBox); see docs/dev/charts.md.
HEIGHT = 480
PLOT_LEFT = 48
PLOT_RIGHT = s.WIDTH - 48  # 592
PLOT_TOP = 48  # without a legend; with one: legend bottom + 24
PLOT_BOTTOM = HEIGHT - 32  # 448
R_MIN = 5
R_MAX = 20
EDGE_MIN = 1.0
EDGE_MAX = 6.0
EDGE_DEFAULT = 2.0  # when every weight is the same
LEGEND_TOP = 8
LEGEND_ROW = 20


@dataclass(frozen=True)
class NetworkNode:
    id: str
    label: str
    x: float
    y: float
    size: float = 1.0
    group: str = ""


@dataclass(frozen=True)
class NetworkEdge:
    a: str
    b: str
    weight: float = 1.0


def node_radius(size: float, max_size: float) -> float:
    """Area proportional to ``size``: R_MAX·√(size/max), at least R_MIN."""
    if max_size <= 0:
        return float(R_MIN)
    return max(float(R_MIN), R_MAX * math.sqrt(size / max_size))


def network_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    nodes: Sequence[NetworkNode],
    edges: Sequence[NetworkEdge],
) -> str:
    """Positions keep their aspect ratio and are centred in the plot (SVG orientation: y
    grows downwards). A legend of groups (colour + marker shape) appears when any node has a
    group. Labels sit beside nodes, nudged vertically when they would collide; self-loops
    are not drawn."""
    index: dict[str, int] = {}
    for i, node in enumerate(nodes):
        if node.id in index:
            raise ValueError(
                _("ノードID「%(id)s」が重複しています。ノードごとに異なるIDを指定してください。")
                % {"id": node.id}
            )
        index[node.id] = i
        where = _("ノード「%(id)s」") % {"id": node.id}
        s.check_finite(node.x, where)
        s.check_finite(node.y, where)
        if s.check_finite(node.size, where) < 0:
            raise ValueError(
                _("%(where)s の大きさ %(size)s は負です。0 以上の値を指定してください。")
                % {"where": where, "size": node.size}
            )
    for edge in edges:
        for end in (edge.a, edge.b):
            if end not in index:
                raise ValueError(
                    _("辺 %(a)s–%(b)s のノード「%(id)s」がありません。nodes に含めてください。")
                    % {"a": edge.a, "b": edge.b, "id": end}
                )
        s.check_finite(edge.weight, _("辺 %(a)s–%(b)s") % {"a": edge.a, "b": edge.b})
    if not nodes:
        return s.empty_chart(chart_id=chart_id, title=title, desc=desc, kind="network")

    groups = list(dict.fromkeys(node.group for node in nodes))
    style = {
        g: (s.SERIES_COLOURS[k % len(s.SERIES_COLOURS)], s.MARKER_SHAPES[k % len(s.MARKER_SHAPES)])
        for k, g in enumerate(groups)
    }
    body: list[str] = []
    top = float(PLOT_TOP)
    if any(groups):
        x, row = 16.0, 0
        for g in groups:
            colour, shape = style[g]
            caption = s.truncate(g or _("（グループなし）"), s.SMALL, 200)
            width = 18 + s.text_width(caption, s.SMALL) + 16
            if x > 16 and x + width > s.WIDTH - 16:
                x, row = 16.0, row + 1
            centre = LEGEND_TOP + row * LEGEND_ROW + 7
            body.append(s.marker(shape, x + 7, centre, 6, fill=colour, cls="kk-swatch"))
            body.append(s.text(x + 18, s.baseline(centre, s.SMALL), caption, cls="kk-legend"))
            x += width
        top = LEGEND_TOP + (row + 1) * LEGEND_ROW + 24

    xs = [node.x for node in nodes]
    ys = [node.y for node in nodes]
    dx, dy = max(xs) - min(xs), max(ys) - min(ys)
    width, height = PLOT_RIGHT - PLOT_LEFT, PLOT_BOTTOM - top
    candidates = [width / dx] if dx > 0 else []
    candidates += [height / dy] if dy > 0 else []
    k = min(candidates) if candidates else 0.0
    ox = PLOT_LEFT + (width - dx * k) / 2
    oy = top + (height - dy * k) / 2
    coords = [(ox + (node.x - min(xs)) * k, oy + (node.y - min(ys)) * k) for node in nodes]
    max_size = max(node.size for node in nodes)
    radii = [node_radius(node.size, max_size) for node in nodes]

    weights = [edge.weight for edge in edges if edge.a != edge.b]
    w_lo, w_hi = (min(weights), max(weights)) if weights else (0.0, 0.0)
    for edge in edges:
        if edge.a == edge.b:
            continue
        (x1, y1), (x2, y2) = coords[index[edge.a]], coords[index[edge.b]]
        stroke = (
            EDGE_MIN + (EDGE_MAX - EDGE_MIN) * (edge.weight - w_lo) / (w_hi - w_lo)
            if w_hi > w_lo
            else EDGE_DEFAULT
        )
        body.append(s.line(x1, y1, x2, y2, stroke=s.GRAY, width=stroke, cls="kk-edge"))
    for node, (px, py), r in zip(nodes, coords, radii, strict=True):
        colour, shape = style[node.group]
        body.append(s.marker(shape, px, py, r, fill=colour, stroke_width=1.5, cls="kk-node"))
    captions = [s.truncate(node.label, s.SMALL, 160) for node in nodes]
    # half the width of each node's marker: circles r, the other shapes up to 1.25 r
    extents = [
        r if style[node.group][1] == "circle" else 1.25 * r
        for node, r in zip(nodes, radii, strict=True)
    ]
    placed = s.place_point_labels(
        [(px, py, e + 3, c) for (px, py), e, c in zip(coords, extents, captions, strict=True)],
        size=s.SMALL,
        left=0,
        right=s.WIDTH - 4,
        top=top - 16,
        bottom=HEIGHT - 4,
        obstacles=[
            s.Box(px - e, py - e, px + e, py + e)
            for (px, py), e in zip(coords, extents, strict=True)
        ],
    )
    for caption, label in zip(captions, placed, strict=True):
        body.append(s.text(label.x, label.y, caption, anchor=label.anchor, cls="kk-node-label"))
    return s.document(
        chart_id=chart_id, title=title, desc=desc, height=HEIGHT, body=body, kind="network"
    )
