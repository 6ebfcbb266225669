"""Sparse document features: term counts, word TF-IDF and character n-gram TF-IDF.

Rows are documents, in the order given. Matrices are ``scipy.sparse.csr_matrix`` of float64.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize as l2_normalize

from keikaku.analysis.domain.tokenize import Term, Word

__all__ = [
    "TermMatrix",
    "build_term_matrix",
    "char_ngram_counts",
    "tfidf",
]

Matrix = Any  # scipy.sparse.csr_matrix (scipy has no type information)


@dataclass(frozen=True)
class TermMatrix:
    """Counts of each (term, part of speech) in each document."""

    terms: tuple[Term, ...]
    counts: Matrix  # csr, documents × terms, float64
    labels: tuple[str, ...]  # how each term is shown (its most frequent label)

    def document_frequency(self) -> NDArray[np.int64]:
        df: NDArray[np.int64] = np.asarray((self.counts > 0).sum(axis=0), dtype=np.int64).ravel()
        return df

    def term_frequency(self) -> NDArray[np.int64]:
        tf: NDArray[np.int64] = np.asarray(self.counts.sum(axis=0), dtype=np.int64).ravel()
        return tf


def build_term_matrix(
    documents: Sequence[Sequence[Word]], vocabulary: Sequence[Term] | None = None
) -> TermMatrix:
    """Count matrix; with ``vocabulary`` only those terms are counted, in that order.

    Without it, terms are ordered by first appearance (deterministic for a given input).
    A term's label is the label it bears most often (ties: the smallest in code-point order)."""
    index: dict[Term, int] = {}
    if vocabulary is not None:
        index = {t: i for i, t in enumerate(vocabulary)}
    label_counts: dict[Word, int] = {}
    indptr = [0]
    indices: list[int] = []
    data: list[int] = []
    for doc in documents:
        counts = Counter(doc)
        merged: dict[int, int] = {}
        for word, n in counts.items():
            term = (word[0], word[1])
            j = index.get(term)
            if j is None:
                if vocabulary is not None:
                    continue
                j = index[term] = len(index)
            merged[j] = merged.get(j, 0) + n
            label_counts[word] = label_counts.get(word, 0) + n
        indices.extend(merged)
        data.extend(merged.values())
        indptr.append(len(indices))
    terms = tuple(vocabulary) if vocabulary is not None else tuple(index)
    best: dict[Term, tuple[int, str]] = {}
    for (key, pos, label), n in label_counts.items():
        current = best.get((key, pos))
        if current is None or n > current[0] or (n == current[0] and label < current[1]):
            best[(key, pos)] = (n, label)
    labels = tuple(best[t][1] if t in best else t[0] for t in terms)
    matrix = sparse.csr_matrix(
        (
            np.asarray(data, dtype=np.float64),
            np.asarray(indices, dtype=np.int32),
            np.asarray(indptr, dtype=np.int64),
        ),
        shape=(len(documents), len(terms)),
    )
    matrix.sort_indices()
    return TermMatrix(terms, matrix, labels)


_HASHER_CACHE: dict[tuple[int, int, int], HashingVectorizer] = {}


def char_ngram_counts(keys: Sequence[str], ngram_range: tuple[int, int] = (2, 3)) -> Matrix:
    """Hashed character n-gram counts (2**20 columns) of match keys."""
    spec = (ngram_range[0], ngram_range[1], 20)
    hasher = _HASHER_CACHE.get(spec)
    if hasher is None:
        hasher = HashingVectorizer(
            analyzer="char",
            ngram_range=ngram_range,
            n_features=2**20,
            alternate_sign=False,
            norm=None,
            lowercase=False,
            dtype=np.float64,
        )
        _HASHER_CACHE[spec] = hasher
    counts: Matrix = hasher.transform(list(keys)).tocsr()
    return counts


def tfidf(counts: Matrix, *, fit_rows: Matrix | None = None) -> tuple[Matrix, NDArray[np.float64]]:
    """Sublinear TF-IDF with L2-normalised rows; IDF learnt on ``fit_rows`` (default: all).

    Returns the weighted matrix and the IDF vector."""
    transformer = TfidfTransformer(sublinear_tf=True, smooth_idf=True, norm=None)
    transformer.fit(counts if fit_rows is None else fit_rows)
    weighted: Matrix = transformer.transform(counts)
    idf: NDArray[np.float64] = np.asarray(transformer.idf_, dtype=np.float64)
    normalised: Matrix = l2_normalize(weighted, norm="l2", copy=False).tocsr()
    return normalised, idf
