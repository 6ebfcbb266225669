"""Topics (k-means, silhouette), density, MMR summaries and the 2-D map."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import silhouette_score

from keikaku.analysis.domain.model import AnalysisConfig
from keikaku.analysis.domain.topics import (
    cluster_vectors,
    density,
    distinctive_terms,
    kmeans,
    map_coordinates,
    mmr,
    silhouette,
)


def _unit(rows: list[list[float]]) -> np.ndarray:
    x = np.asarray(rows, dtype=float)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_silhouette_by_hand() -> None:
    x = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [11.0, 0.0]])
    labels = np.array([0, 0, 1, 1])
    # point 0: a = 1, b = (10 + 11)/2 = 10.5 → 9.5/10.5; point 1: a = 1, b = 9.5 → 8.5/9.5
    # points 10 and 11 mirror them → mean = (2 · 0.904762 + 2 · 0.894737) / 4 = 0.899749
    assert round(silhouette(x, labels), 6) == 0.899749
    assert round(silhouette(x, labels), 9) == round(float(silhouette_score(x, labels)), 9)
    assert silhouette(x, np.zeros(4, dtype=np.int64)) == -1.0


def test_kmeans_separates_blobs() -> None:
    x = _unit([[1, 0.01], [1, 0.02], [1, -0.01], [0.01, 1], [0.02, 1], [-0.01, 1]])
    labels = kmeans(x, 2, seed=0)
    assert labels[0] == labels[1] == labels[2] != labels[3] == labels[4] == labels[5]


def test_cluster_vectors_chooses_k_and_numbers_topics_by_size() -> None:
    rng = np.random.default_rng(1)
    centres = np.eye(3)
    sizes = [3, 5, 4]
    x = _unit(
        [list(centres[c] + rng.normal(0, 0.02, 3)) for c, n in enumerate(sizes) for _ in range(n)]
    )
    labels = cluster_vectors(x, AnalysisConfig(min_topic_size=3))
    # topic 0 is the largest (5 rows of centre 1), topic 1 the next (4 rows of centre 2)
    assert labels.tolist() == [2, 2, 2, 0, 0, 0, 0, 0, 1, 1, 1, 1]


def test_small_groups_are_one_topic() -> None:
    x = _unit([[1, 0], [0, 1], [1, 1], [1, 2], [2, 1]])
    assert cluster_vectors(x, AnalysisConfig()).tolist() == [0, 0, 0, 0, 0]  # 5 < 6 opinions


def test_topics_lighter_than_the_minimum_are_merged() -> None:
    x = _unit([[1, 0]] * 4 + [[0, 1]] * 4 + [[0.7, 0.7]])
    labels = cluster_vectors(x, AnalysisConfig(min_topic_size=3, max_topics=3))
    # the lone diagonal row cannot be a topic of its own (1 < 3 rows)
    assert sorted(np.bincount(labels).tolist()) == [4, 5]


def test_weights_count_duplicated_texts() -> None:
    x = _unit([[1, 0], [0, 1], [0.1, 1]])
    labels = cluster_vectors(
        x, AnalysisConfig(min_topic_size=3, topic_min_opinions=6), np.array([4.0, 2.0, 2.0])
    )
    assert labels.tolist() == [0, 1, 1]  # weights 4 vs 2 + 2: the first is topic 0 (ties by order)


def test_density_is_the_mean_pairwise_cosine() -> None:
    v = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    # pairs: 0, 1, 0 → 1/3; formula (‖Σv‖² − n) / (n(n−1)) = (5 − 3) / 6
    assert round(density(v), 6) == round(1 / 3, 6)
    assert density(v[:1]) == 1.0
    assert density(v[:0]) == 0.0


def test_mmr_trades_centrality_for_diversity() -> None:
    v = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    # centroid direction (0.822, 0.569); relevance 0.822, 0.822, 0.569, 0.949 → row 3 first
    # λ = 0.7: row 0 scores 0.7·0.822 − 0.3·0.6 = 0.396 > row 2 (0.398 − 0.24); then the copy
    # of row 0 (0.576 − 0.3 = 0.276) still beats row 2 (0.158)
    assert mmr(v, 3, 0.7) == [3, 0, 1]
    # λ = 0.3: after rows 3 and 0, row 2 (0.171 − 0.56 = −0.389) beats the copy (−0.453)
    assert mmr(v, 3, 0.3) == [3, 0, 2]
    assert mmr(v, 0, 0.7) == []


def test_distinctive_terms() -> None:
    from scipy import sparse

    rows = sparse.csr_matrix(np.array([[1.0, 0.0, 0.5], [0.8, 0.0, 0.5], [0.0, 1.0, 0.5]]))
    labels = ["遊具", "バス", "市"]
    # members 0, 1: mean (0.9, 0, 0.5) − others (0, 1, 0.5) → 遊具 +0.9, 市 0 (not more frequent)
    assert distinctive_terms(rows, np.array([0, 1]), np.array([2]), labels, 5) == ("遊具",)
    assert distinctive_terms(rows, np.array([2]), np.array([0, 1]), labels, 5) == ("バス",)


def test_map_coordinates_scale_into_the_unit_square() -> None:
    v = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [4.0, 0.0]])
    coords = map_coordinates(v)
    # centred x = −1.75, −0.75, 0.25, 2.25; scaled by 2.25; the second axis has no spread
    assert coords[:, 0].round(4).tolist() == [-0.7778, -0.3333, 0.1111, 1.0]
    assert coords[:, 1].tolist() == [0.0, 0.0, 0.0, 0.0]
    assert map_coordinates(v[:1]).tolist() == [[0.0, 0.0]]


@settings(max_examples=25, deadline=None)
@given(st.integers(6, 40), st.integers(0, 1000))
def test_cluster_labels_are_contiguous_and_sizes_decrease(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 5))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    config = AnalysisConfig(seed=seed)
    labels = cluster_vectors(x, config)
    sizes = np.bincount(labels)
    assert (sizes >= 1).all()
    assert sizes.tolist() == sorted(sizes.tolist(), reverse=True)
    assert len(sizes) == 1 or sizes.min() >= config.min_topic_size
    assert np.array_equal(labels, cluster_vectors(x, config))
