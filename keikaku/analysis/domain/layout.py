"""Positions for the pictures of the analysis pages: the co-occurrence network and the topic map.

- :func:`network_layout`: each connected part of the graph laid out on its own (Kamada–Kawai,
  every edge the same length, so a clique becomes a ring instead of a blot), marks pushed
  apart until none overlaps, then the parts packed in rows, the largest first. Deterministic:
  no random start.
- :func:`spread`: pushes points apart until every pair is at least ``min_distance`` apart,
  keeping their arrangement (used for topic positions, which crowd near the centre).
- :func:`compress`: a monotone squeeze (``asinh`` around the median, in units of the median
  absolute deviation) so that one far topic does not shrink all the others into a dot.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

import networkx as nx
import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

MIN_DISTANCE = 0.9  # in units where the average edge of a laid-out part is about 1
ASPECT = 1.4  # width / height of the packed picture (the chart is 640 × 480)
ROUNDS = 500
TINY = 1e-9


def spread(points: FloatArray, min_distance: float, *, rounds: int = ROUNDS) -> FloatArray:
    """``points`` (n × 2) moved apart until no two are closer than ``min_distance``.

    Each round moves every point of a too-close pair half the shortfall away from the other
    (averaged over its too-close pairs). Points at the same place part in a direction fixed
    by their indices, so the result depends only on the input."""
    out = np.array(points, dtype=np.float64, copy=True)
    n = out.shape[0]
    if n < 2 or min_distance <= 0:
        return out
    far = np.eye(n) * 1e18
    for _round in range(rounds):
        diff = out[:, None, :] - out[None, :, :]
        dist = np.sqrt((diff**2).sum(axis=-1)) + far
        close = dist < min_distance
        if not close.any():
            break
        same = dist < TINY
        if same.any():
            i, j = np.nonzero(same)
            # a direction per pair (golden angle by the pair's indices), opposite for (j, i)
            angle = np.minimum(i, j) * 2.399963 + np.maximum(i, j) * 0.5
            sign = np.where(i < j, 1.0, -1.0)
            diff[i, j, 0] = np.cos(angle) * sign * TINY
            diff[i, j, 1] = np.sin(angle) * sign * TINY
            dist[i, j] = TINY
        push = np.where(close, (min_distance - dist) / 2.0 / dist, 0.0)
        moves = (diff * push[:, :, None]).sum(axis=1)
        out += moves / np.maximum(close.sum(axis=1), 1)[:, None]
    return out


def compress(points: FloatArray) -> FloatArray:
    """Each axis centred on its median and squeezed by ``asinh(v / MAD)`` (MAD: median
    absolute deviation; 1 when it is 0). Order along each axis is kept."""
    pts = np.asarray(points, dtype=np.float64)
    if pts.shape[0] == 0:
        return pts.copy()
    centre = np.median(pts, axis=0)
    mad = np.median(np.abs(pts - centre), axis=0)
    mad[mad <= 1e-12] = 1.0
    out: FloatArray = np.arcsinh((pts - centre) / mad)
    return out


def _part_layout(graph: nx.Graph, nodes: Sequence[Hashable]) -> FloatArray:
    n = len(nodes)
    if n == 1:
        return np.zeros((1, 2), dtype=np.float64)
    if n == 2:
        return np.array([[0.0, 0.0], [1.0, 0.0]], dtype=np.float64)
    raw = nx.kamada_kawai_layout(graph.subgraph(nodes), weight=None)
    pts = np.array([raw[v] for v in nodes], dtype=np.float64)
    pts -= pts.mean(axis=0)
    span = float(max(np.ptp(pts[:, 0]), np.ptp(pts[:, 1]), 1e-9))
    pts *= math.sqrt(n) / span
    return spread(pts, MIN_DISTANCE)


def network_layout(
    nodes: Sequence[Hashable], edges: Sequence[tuple[Hashable, Hashable]]
) -> dict[Hashable, tuple[float, float]]:
    """Positions of ``nodes`` (x to the right, y downwards). Parts (connected components) are
    ordered by size, then by the position of their first node in ``nodes``."""
    if not nodes:
        return {}
    order = {v: i for i, v in enumerate(nodes)}
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((a, b) for a, b in edges if a != b and a in order and b in order)
    parts = sorted(
        (sorted(part, key=order.__getitem__) for part in nx.connected_components(graph)),
        key=lambda part: (-len(part), order[part[0]]),
    )
    boxes: list[tuple[list[Hashable], FloatArray, FloatArray]] = []
    for part in parts:
        pts = _part_layout(graph, part)
        low = pts.min(axis=0)
        boxes.append((part, pts - low, pts.max(axis=0) - low + 1.0))
    area = sum(float(size[0] * size[1]) for _p, _pts, size in boxes)
    width = max(max(float(size[0]) for _p, _pts, size in boxes), math.sqrt(area * ASPECT))
    out: dict[Hashable, tuple[float, float]] = {}
    x = y = row = 0.0
    for part, pts, size in boxes:
        if x > 0 and x + float(size[0]) > width + 1e-9:
            x, y, row = 0.0, y + row, 0.0
        for v, (px, py) in zip(part, pts, strict=True):
            out[v] = (round(x + 0.5 + float(px), 6), round(y + 0.5 + float(py), 6))
        x += float(size[0])
        row = max(row, float(size[1]))
    return out


def map_layout(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Topic positions for the picture: compressed (see :func:`compress`), scaled so that the
    picture is about 10 units wide, then spread so that no two marks overlap."""
    if not points:
        return []
    pts = compress(np.array(points, dtype=np.float64))
    span = float(max(np.ptp(pts[:, 0]), np.ptp(pts[:, 1])))
    if span > 1e-12:
        pts = pts / span * 10.0
    pts = spread(pts, MIN_DISTANCE)
    return [(round(float(px), 6), round(float(py), 6)) for px, py in pts]
