"""Topics within a group of opinions, extractive summaries and the 2-D map.

- :func:`cluster_vectors`: k-means (numpy; k-means++ seeding from ``seed``) on L2-normalised
  embeddings, k chosen in ``2 … min(max_topics, n // min_topic_size)`` by the silhouette score
  (on a seeded sample of at most ``silhouette_sample`` rows); fewer than
  ``topic_min_opinions`` opinions make one topic.
- :func:`distinctive_terms`: the terms whose mean TF-IDF weight in the topic most exceeds
  their mean weight in the rest of the group.
- :func:`density`: mean pairwise cosine similarity of the members,
  ``(‖Σv‖² − n) / (n(n − 1))`` for unit vectors (1 for a single member).
- :func:`mmr`: maximal marginal relevance — central (close to the group's centroid) and
  diverse (far from what was already picked) opinions.
- :func:`map_coordinates`: the first two principal components of the embeddings, scaled
  into [−1, 1].
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from keikaku.analysis.domain.features import Matrix
from keikaku.analysis.domain.model import AnalysisConfig

__all__ = [
    "cluster_vectors",
    "density",
    "distinctive_terms",
    "kmeans",
    "map_coordinates",
    "mmr",
    "silhouette",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
_FIT_SAMPLE = 2000  # rows used to choose k in a large group
_N_INIT = 3
_MAX_ITER = 50


def _sq_distances(x: FloatArray, centres: FloatArray, x_sq: FloatArray | None = None) -> FloatArray:
    xx = (x * x).sum(axis=1) if x_sq is None else x_sq
    d: FloatArray = xx[:, None] - 2.0 * (x @ centres.T) + (centres * centres).sum(axis=1)[None, :]
    return np.maximum(d, 0.0)


def kmeans(
    x: FloatArray,
    k: int,
    seed: int,
    weights: FloatArray | None = None,
    n_init: int = _N_INIT,
) -> IntArray:
    """Weighted k-means (k-means++ seeding, Lloyd iterations until at most one label in a
    thousand changes, best of ``n_init`` seedings)."""
    n = x.shape[0]
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    x_sq = (x * x).sum(axis=1)
    rng = np.random.default_rng(seed)
    best_labels = np.zeros(n, dtype=np.int64)
    best_inertia = np.inf
    tolerance = n // 1000
    for _ in range(n_init):
        centres = np.empty((k, x.shape[1]))
        centres[0] = x[rng.choice(n, p=w / w.sum())]
        d2 = _sq_distances(x, centres[:1], x_sq)[:, 0]
        for c in range(1, k):
            p = w * d2
            total = p.sum()
            pick = rng.choice(n, p=p / total) if total > 0 else int(rng.integers(n))
            centres[c] = x[pick]
            d2 = np.minimum(d2, _sq_distances(x, centres[c : c + 1], x_sq)[:, 0])
        labels = np.full(n, -1, dtype=np.int64)
        for _it in range(_MAX_ITER):
            new = _sq_distances(x, centres, x_sq).argmin(axis=1)
            changed = int((new != labels).sum())
            labels = new
            if changed <= tolerance and _it > 0:
                break
            onehot = np.zeros((n, k))
            onehot[np.arange(n), labels] = w
            mass = onehot.sum(axis=0)
            moved = (onehot.T @ x)[mass > 0] / mass[mass > 0, None]
            centres[mass > 0] = moved
        inertia = float((w * _sq_distances(x, centres, x_sq)[np.arange(n), labels]).sum())
        if inertia < best_inertia - 1e-12:
            best_inertia, best_labels = inertia, labels
    return best_labels


def silhouette(x: FloatArray, labels: IntArray) -> float:
    """Mean silhouette coefficient (Euclidean); members of single-member clusters count 0."""
    n = x.shape[0]
    ks = np.unique(labels)
    if ks.size < 2 or n < 3:
        return -1.0
    lab = np.searchsorted(ks, labels)
    d = np.sqrt(_sq_distances(x, x))
    onehot = np.zeros((n, ks.size))
    onehot[np.arange(n), lab] = 1.0
    sums = d @ onehot
    counts = onehot.sum(axis=0)
    own = counts[lab]
    a = np.where(own > 1, sums[np.arange(n), lab] / np.maximum(own - 1, 1), 0.0)
    mean_other = sums / counts[None, :]
    mean_other[np.arange(n), lab] = np.inf
    b = mean_other.min(axis=1)
    s = np.where(own > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(s.mean())


def _merge_small(x: FloatArray, labels: IntArray, weights: FloatArray, min_size: int) -> IntArray:
    """Members of topics lighter than ``min_size`` join the nearest remaining topic."""
    labels = labels.copy()
    while True:
        ks = np.unique(labels)
        mass = np.array([weights[labels == c].sum() for c in ks])
        if ks.size < 2 or mass.min() >= min_size:
            return labels
        small = ks[int(np.argmin(mass))]
        keep = ks[ks != small]
        centres = np.stack(
            [np.average(x[labels == c], axis=0, weights=weights[labels == c]) for c in keep]
        )
        rows = np.flatnonzero(labels == small)
        labels[rows] = keep[_sq_distances(x[rows], centres).argmin(axis=1)]


def cluster_vectors(
    vectors: FloatArray, config: AnalysisConfig, weights: FloatArray | None = None
) -> IntArray:
    """Topic label (0 … k−1) of each row; labels are numbered by decreasing topic size.

    Topics lighter than ``min_topic_size`` are merged into their nearest topic before the
    silhouette score of a k is taken."""
    n = vectors.shape[0]
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    k_max = min(config.max_topics, int(w.sum()) // max(1, config.min_topic_size), n)
    if w.sum() < config.topic_min_opinions or k_max < 2:
        return np.zeros(n, dtype=np.int64)
    rng = np.random.default_rng(config.seed)
    sample = (
        np.sort(rng.choice(n, size=_FIT_SAMPLE, replace=False)) if n > _FIT_SAMPLE else np.arange(n)
    )
    sv, sw = vectors[sample], w[sample]
    sil_rows = (
        np.sort(rng.choice(sample.size, size=config.silhouette_sample, replace=False))
        if sample.size > config.silhouette_sample
        else np.arange(sample.size)
    )
    best_k, best_score = 1, -np.inf
    for k in range(2, k_max + 1):
        labels = _merge_small(
            sv, kmeans(sv, k, config.seed, sw, n_init=1), sw, config.min_topic_size
        )
        if np.unique(labels).size < k:
            continue  # this k collapses into a smaller one
        score = silhouette(sv[sil_rows], labels[sil_rows])
        if score > best_score + 1e-9:
            best_k, best_score = k, score
    if best_k == 1:
        return np.zeros(n, dtype=np.int64)
    labels = _merge_small(
        vectors, kmeans(vectors, best_k, config.seed, w), w, config.min_topic_size
    )
    ks = np.unique(labels)
    labels = np.searchsorted(ks, labels).astype(np.int64)
    k = ks.size
    # renumber by decreasing weight (ties: first appearance)
    mass = np.array([w[labels == c].sum() for c in range(k)])
    first = np.array([np.flatnonzero(labels == c)[0] for c in range(k)])
    order = sorted(range(k), key=lambda c: (-mass[c], first[c]))
    remap = np.empty(k, dtype=np.int64)
    remap[order] = np.arange(k)
    out: IntArray = remap[labels]
    return out


def distinctive_terms(
    tfidf_rows: Matrix,
    members: NDArray[np.int64],
    others: NDArray[np.int64],
    labels: Sequence[str],
    limit: int,
    others_mean: FloatArray | None = None,
) -> tuple[str, ...]:
    """Terms most over-represented among ``members`` compared with ``others`` (or with a
    given mean row ``others_mean``)."""
    if members.size == 0:
        return ()
    inside = np.asarray(tfidf_rows[members].mean(axis=0)).ravel()
    if others_mean is not None:
        outside = others_mean
    elif others.size:
        outside = np.asarray(tfidf_rows[others].mean(axis=0)).ravel()
    else:
        outside = np.zeros_like(inside)
    diff = inside - outside
    candidates = np.flatnonzero((diff > 0) & (inside > 0))
    order = candidates[np.lexsort((candidates, -np.round(diff[candidates], 12)))]
    return tuple(labels[j] for j in order[:limit])


def density(vectors: FloatArray) -> float:
    """Mean pairwise cosine similarity of unit rows (1.0 for one row, 0.0 for none)."""
    n = vectors.shape[0]
    if n == 0:
        return 0.0
    if n == 1:
        return 1.0
    total = vectors.sum(axis=0)
    self_sim = float((vectors * vectors).sum())
    return float((total @ total - self_sim) / (n * (n - 1)))


def mmr(vectors: FloatArray, k: int, lam: float) -> list[int]:
    """Row indices of ``k`` central and diverse rows, in the order picked."""
    n = vectors.shape[0]
    if n == 0 or k <= 0:
        return []
    centroid = vectors.mean(axis=0)
    norm = np.linalg.norm(centroid)
    relevance = vectors @ (centroid / norm) if norm > 0 else np.zeros(n)
    # ties (e.g. the two rows of a pair are equally central) go to the first row on every
    # CPU: scores are compared after rounding away the last bits of floating-point noise
    relevance = np.round(relevance, 12)
    picked = [int(np.argmax(relevance))]
    max_sim = vectors @ vectors[picked[0]]
    chosen = np.zeros(n, dtype=bool)
    chosen[picked[0]] = True
    while len(picked) < min(k, n):
        score = np.round(lam * relevance - (1 - lam) * max_sim, 12)
        score[chosen] = -np.inf
        nxt = int(np.argmax(score))
        picked.append(nxt)
        chosen[nxt] = True
        max_sim = np.maximum(max_sim, vectors @ vectors[nxt])
    return picked


def map_coordinates(vectors: FloatArray) -> FloatArray:
    """(n × 2) coordinates: first two principal components, scaled into [−1, 1]."""
    n = vectors.shape[0]
    out = np.zeros((n, 2), dtype=np.float64)
    if n < 2 or vectors.shape[1] == 0:
        return out
    centred = vectors - vectors.mean(axis=0)
    cov = centred.T @ centred
    values, vecs = np.linalg.eigh(cov)
    order = np.argsort(values)[::-1][:2]
    axes = vecs[:, order]
    for c in range(axes.shape[1]):
        j = int(np.abs(axes[:, c]).argmax())
        if axes[j, c] < 0:
            axes[:, c] = -axes[:, c]
    coords = centred @ axes
    scale = np.abs(coords).max(axis=0)
    scale[scale == 0] = 1.0
    out[:, : coords.shape[1]] = coords / scale
    return out
