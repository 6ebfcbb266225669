"""Positions of the pictures (domain.layout): marks never overlap, parts of the network are
laid out apart, the same input gives the same picture, order along each axis is kept."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from keikaku.analysis.domain.layout import (
    MIN_DISTANCE,
    compress,
    map_layout,
    network_layout,
    spread,
)


def _min_pair_distance(points) -> float:
    pts = list(points)
    return min(math.dist(a, b) for a, b in itertools.combinations(pts, 2))


def test_spread_moves_two_close_points_apart_symmetrically() -> None:
    # (0, 0) and (0.5, 0), at least 1 apart: each moves (1 − 0.5) / 2 = 0.25 outwards
    out = spread(np.array([[0.0, 0.0], [0.5, 0.0]]), 1.0)
    assert out.tolist() == [[-0.25, 0.0], [0.75, 0.0]]
    # points already far enough apart do not move
    far = np.array([[0.0, 0.0], [3.0, 4.0]])
    assert spread(far, 1.0).tolist() == far.tolist()


def test_spread_parts_points_at_the_same_place() -> None:
    out = spread(np.zeros((4, 2)), 1.0)
    assert _min_pair_distance(map(tuple, out)) >= 1.0 - 1e-6
    assert np.array_equal(out, spread(np.zeros((4, 2)), 1.0))  # deterministic


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-2, 2, allow_nan=False), st.floats(-2, 2, allow_nan=False)),
        min_size=2,
        max_size=25,
    )
)
def test_spread_leaves_no_pair_too_close(points) -> None:
    out = spread(np.array(points, dtype=np.float64), 0.5)
    assert _min_pair_distance(map(tuple, out)) >= 0.5 - 1e-3


def test_compress_keeps_the_order_and_pulls_in_a_far_point() -> None:
    # x: median 0.2, absolute deviations 0.2 0.1 0 0.1 9.8 → MAD 0.1;
    # asinh((x − 0.2) / 0.1): the far point 10 ends at asinh(98) ≈ 5.28, not 98
    pts = np.array([[0.0, 0.0], [0.1, 0.0], [0.2, 0.0], [0.3, 0.0], [10.0, 0.0]])
    out = compress(pts)
    assert [round(float(v), 4) for v in out[:, 0]] == [
        round(math.asinh(-2.0), 4),
        round(math.asinh(-1.0), 4),
        0.0,
        round(math.asinh(1.0), 4),
        round(math.asinh(98.0), 4),
    ]
    assert out[:, 1].tolist() == [0.0] * 5  # MAD 0: only centred


def test_a_clique_becomes_a_ring_and_parts_are_apart() -> None:
    clique = [f"c{i}" for i in range(8)]
    edges = list(itertools.combinations(clique, 2)) + [("a", "b"), ("x", "y"), ("y", "z")]
    nodes = [*clique, "a", "b", "x", "y", "z", "alone"]
    pos = network_layout(nodes, edges)
    assert sorted(pos) == sorted(nodes)
    assert _min_pair_distance(pos.values()) >= MIN_DISTANCE - 1e-3
    # the largest part (the clique) is placed first, at the top left
    clique_box = (max(pos[c][0] for c in clique), max(pos[c][1] for c in clique))
    assert min(pos[c][0] for c in clique) == 0.5
    assert min(pos[c][1] for c in clique) == 0.5
    # the other parts do not overlap the clique's box
    for v in ("a", "b", "x", "y", "z", "alone"):
        assert pos[v][0] > clique_box[0] or pos[v][1] > clique_box[1]
    assert network_layout(nodes, edges) == pos  # no random start


def test_network_layout_edge_cases() -> None:
    assert network_layout([], []) == {}
    assert network_layout(["a"], []) == {"a": (0.5, 0.5)}
    assert network_layout(["a", "b"], [("a", "b"), ("a", "a"), ("a", "q")]) == {
        "a": (0.5, 0.5),
        "b": (1.5, 0.5),
    }


def test_map_layout_spreads_crowded_topics() -> None:
    crowded = [(0.01 * i, 0.0) for i in range(10)] + [(1.0, 1.0)]
    out = map_layout(crowded)
    assert len(out) == 11
    assert _min_pair_distance(out) >= MIN_DISTANCE - 1e-3
    assert [p[0] for p in out[:10]] == sorted(p[0] for p in out[:10])
    assert map_layout([]) == []
    assert map_layout([(0.3, 0.3)]) == [(0.0, 0.0)]
