"""Measure assignment: which measures (施策) an opinion speaks to.

Each measure has a profile text: its title (repeated ``title_weight`` times), description,
目指す姿, initiative and indicator names and staff keywords (repeated ``keyword_weight``
times). Opinions and profiles become two L2-normalised TF-IDF vectors each — content words and
character n-grams (``char_ngram_range``, 1–2 by default) — and the score of an opinion for a
measure is ``word_weight · cos_word + (1 − word_weight) · cos_char``.

Example opinions of a measure (``MeasureProfile.examples`` and the opinions staff confirmed
for it) move its profile vectors towards their mean: ``p ← normalise(p + example_weight ·
mean(examples))``.

One round of relevance feedback (Rocchio) then adds to each profile the mean vector of the
opinions that scored it best (the upper ``feedback_share`` of them), weighted by
``feedback_weight``, and scores again: citizens' words the plan does not use are picked up from
the opinions themselves.

An opinion whose best score is below ``assignment_threshold`` is 該当なし (an empty list);
otherwise it gets its best measure and up to ``top_measures − 1`` more whose score reaches
``secondary_threshold``. Opinions staff confirmed keep their measure, with score 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.preprocessing import normalize as l2_normalize

from keikaku.analysis.domain.features import Matrix
from keikaku.analysis.domain.model import AnalysisConfig, MeasureProfile, MeasureScore

__all__ = ["assign", "profile_text", "rank_measures", "score_matrix", "with_examples"]


def profile_text(measure: MeasureProfile, config: AnalysisConfig) -> str:
    """The text an opinion is compared with (one part per line)."""
    parts: list[str] = [measure.title] * max(1, config.title_weight)
    parts += [measure.description, measure.vision]
    parts += list(measure.initiatives) + list(measure.indicators)
    parts += list(measure.keywords) * max(0, config.keyword_weight)
    return "\n".join(p for p in parts if p)


def _cosines(docs: Matrix, profiles: Matrix) -> NDArray[np.float64]:
    out: NDArray[np.float64] = np.asarray((docs @ profiles.T).toarray(), dtype=np.float64)
    return out


def _centroids(rows: Matrix, owner: NDArray[np.int64], n_profiles: int) -> Matrix:
    """Mean row of each owner (profile index); zero rows for profiles without rows."""
    selector = sparse.csr_matrix(
        (np.ones(owner.size), (owner, np.arange(owner.size))), shape=(n_profiles, rows.shape[0])
    )
    sizes = np.asarray(selector.sum(axis=1)).ravel()
    sizes[sizes == 0] = 1.0
    return sparse.diags(1.0 / sizes) @ selector @ rows


def with_examples(
    profiles: Matrix, examples: Matrix, owner: NDArray[np.int64], weight: float
) -> Matrix:
    """Profiles moved towards the mean of their example rows (``owner[i]``: profile of row i)."""
    if examples.shape[0] == 0 or weight <= 0:
        return profiles
    moved: Matrix = l2_normalize(
        profiles + weight * _centroids(examples, owner, profiles.shape[0]), norm="l2"
    )
    return moved


def _feedback(
    docs: Matrix, profiles: Matrix, scores: NDArray[np.float64], config: AnalysisConfig
) -> Matrix:
    """Profiles moved towards the opinions that scored them best (one Rocchio step)."""
    if config.feedback_weight <= 0 or docs.shape[0] == 0:
        return profiles
    best = scores.argmax(axis=1)
    top = scores.max(axis=1)
    owners: list[NDArray[np.int64]] = []
    chosen: list[NDArray[np.int64]] = []
    for m in range(profiles.shape[0]):
        members = np.flatnonzero((best == m) & (top >= config.assignment_threshold))
        if members.size == 0:
            continue
        cut = np.quantile(top[members], 1.0 - config.feedback_share)
        picked = members[top[members] >= cut]
        owners.append(np.full(picked.size, m, dtype=np.int64))
        chosen.append(picked)
    if not chosen:
        return profiles
    rows = np.concatenate(chosen)
    return with_examples(profiles, docs[rows], np.concatenate(owners), config.feedback_weight)


def score_matrix(
    doc_words: Matrix,
    doc_chars: Matrix,
    profile_words: Matrix,
    profile_chars: Matrix,
    config: AnalysisConfig,
    example_words: Matrix | None = None,
    example_chars: Matrix | None = None,
    example_owner: NDArray[np.int64] | None = None,
) -> NDArray[np.float64]:
    """Scores (opinions × measures): profiles with their examples, one round of feedback."""
    if example_words is not None and example_chars is not None and example_owner is not None:
        profile_words = with_examples(
            profile_words, example_words, example_owner, config.example_weight
        )
        profile_chars = with_examples(
            profile_chars, example_chars, example_owner, config.example_weight
        )
    w = config.word_weight
    scores = w * _cosines(doc_words, profile_words) + (1 - w) * _cosines(doc_chars, profile_chars)
    if config.feedback_weight > 0 and profile_words.shape[0] > 0:
        pw = _feedback(doc_words, profile_words, scores, config)
        pc = _feedback(doc_chars, profile_chars, scores, config)
        scores = w * _cosines(doc_words, pw) + (1 - w) * _cosines(doc_chars, pc)
    return scores


def rank_measures(
    scores: NDArray[np.float64], codes: Sequence[str], config: AnalysisConfig
) -> list[tuple[MeasureScore, ...]]:
    """Best measures of each opinion: none when the best score is below
    ``assignment_threshold`` (該当なし), else up to ``top_measures`` of them, the second and
    third only when their score reaches ``secondary_threshold``."""
    if scores.shape[1] == 0:
        return [() for _ in range(scores.shape[0])]
    k = min(config.top_measures, scores.shape[1])
    # stable ordering: higher score first, then the measure's position in the plan
    order = np.argsort(-np.round(scores, 12), axis=1, kind="stable")[:, :k]
    out: list[tuple[MeasureScore, ...]] = []
    for i in range(scores.shape[0]):
        if scores[i, order[i, 0]] < config.assignment_threshold:
            out.append(())
            continue
        picked = tuple(
            MeasureScore(codes[j], round(float(scores[i, j]), 4))
            for n, j in enumerate(order[i])
            if n == 0 or scores[i, j] >= config.secondary_threshold
        )
        out.append(picked)
    return out


def assign(
    scores: NDArray[np.float64],
    codes: Sequence[str],
    config: AnalysisConfig,
    fixed: Mapping[int, str],
) -> list[tuple[MeasureScore, ...]]:
    """:func:`rank_measures`, with the staff-confirmed rows (row → code) fixed at score 1."""
    ranked = rank_measures(scores, codes, config)
    for row, code in fixed.items():
        ranked[row] = (MeasureScore(code, 1.0),)
    return ranked
