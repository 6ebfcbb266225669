"""Keyword statistics, KWIC, co-occurrence network and characteristic words.

- :func:`keyword_stats`: term frequency (TF, occurrences) and document frequency (DF, opinions)
  of each (term, part of speech), best first by DF, then TF, then term.
- :func:`kwic`: keyword-in-context lines taken from the citizens' original text.
- :func:`cooccurrence_network`: among the ``cooccurrence_terms`` most frequent terms, the
  Jaccard coefficient over opinions ``|A∩B| / |A∪B|`` of each pair seen together at least
  ``cooccurrence_min_count`` times; the ``cooccurrence_edges`` strongest edges; communities by
  greedy modularity (networkx), numbered by decreasing size.
- :func:`characteristic_words`: for each group (a measure, an attribute value) against all other
  opinions, the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn
  2008) ``δ = log((y_i+α_w)/(n_i+α_0−y_i−α_w)) − log((y_j+α_w)/(n_j+α_0−y_j−α_w))``, its
  variance ``1/(y_i+α_w) + 1/(y_j+α_w)`` and z-score; ``α_w = α_0 · y_w / n`` from the whole
  corpus with ``α_0 = prior_strength``; significant when z ≥ 1.96 (5 %, one-sided words
  over-represented).
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from keikaku.analysis.domain.features import TermMatrix
from keikaku.analysis.domain.model import (
    AnalysisConfig,
    CharacteristicWord,
    CharacteristicWords,
    CooccurrenceEdge,
    CooccurrenceNetwork,
    CooccurrenceNode,
    KeywordStat,
    KwicLine,
)
from keikaku.analysis.domain.normalize import normalize
from keikaku.analysis.domain.tokenize import Tokenizer

__all__ = [
    "SIGNIFICANT_Z",
    "characteristic_words",
    "cooccurrence_network",
    "keyword_order",
    "keyword_stats",
    "kwic",
]

SIGNIFICANT_Z = 1.96


def keyword_order(matrix: TermMatrix) -> NDArray[np.int64]:
    """Term columns by DF desc, TF desc, then term (code point order)."""
    df = matrix.document_frequency()
    tf = matrix.term_frequency()
    names = np.array([f"{t}\t{p}" for t, p in matrix.terms], dtype=object)
    rank_name = np.argsort(np.argsort(names, kind="stable"), kind="stable")
    order: NDArray[np.int64] = np.lexsort((rank_name, -tf, -df)).astype(np.int64)
    return order


def keyword_stats(
    matrix: TermMatrix, limit: int, pos: str | None = None
) -> tuple[KeywordStat, ...]:
    """The ``limit`` most frequent terms (optionally of one part of speech)."""
    df = matrix.document_frequency()
    tf = matrix.term_frequency()
    out: list[KeywordStat] = []
    for j in keyword_order(matrix):
        term, p = matrix.terms[j]
        if df[j] == 0 or (pos is not None and p != pos):
            continue
        out.append(KeywordStat(matrix.labels[j], term, p, int(tf[j]), int(df[j])))
        if len(out) >= limit:
            break
    return tuple(out)


def _flat(text: str) -> str:
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")


def kwic(
    ids: Sequence[str],
    texts: Sequence[str],
    term: str,
    tokenizer: Tokenizer,
    *,
    width: int = 20,
    limit: int | None = None,
) -> tuple[KwicLine, ...]:
    """Every occurrence of ``term`` (a canonical term) in the original texts, in order."""
    lines: list[KwicLine] = []
    for oid, text in zip(ids, texts, strict=True):
        norm = normalize(text)
        for token in tokenizer.tokens(norm.text):
            if token.term != term:
                continue
            start, end = norm.original_span(token.begin, token.end)
            lines.append(
                KwicLine(
                    oid,
                    _flat(text[max(0, start - width) : start]),
                    _flat(text[start:end]),
                    _flat(text[end : end + width]),
                )
            )
            if limit is not None and len(lines) >= limit:
                return tuple(lines)
    return tuple(lines)


def cooccurrence_network(matrix: TermMatrix, config: AnalysisConfig) -> CooccurrenceNetwork:
    order = keyword_order(matrix)
    df_all = matrix.document_frequency()
    top = [int(j) for j in order[: config.cooccurrence_terms] if df_all[j] > 0]
    if len(top) < 2:
        return CooccurrenceNetwork((), ())
    binary = (matrix.counts[:, top] > 0).astype(np.float64)
    co = np.asarray((binary.T @ binary).toarray())
    df = np.diag(co).copy()
    iu, ju = np.triu_indices(len(top), k=1)
    count = co[iu, ju]
    keep = count >= config.cooccurrence_min_count
    iu, ju, count = iu[keep], ju[keep], count[keep]
    jac = count / (df[iu] + df[ju] - count)
    labels = [matrix.labels[j] for j in top]
    names = np.array(
        [f"{labels[a]}\t{labels[b]}" for a, b in zip(iu, ju, strict=True)], dtype=object
    )
    name_rank = np.argsort(np.argsort(names, kind="stable"), kind="stable") if names.size else names
    pick = np.lexsort((name_rank, -count, -np.round(jac, 12)))[: config.cooccurrence_edges]
    edges = [
        CooccurrenceEdge(labels[iu[e]], labels[ju[e]], int(count[e]), round(float(jac[e]), 4))
        for e in pick
    ]
    graph = nx.Graph()
    used = sorted({e.source for e in edges} | {e.target for e in edges})
    graph.add_nodes_from(used)
    for e in sorted(edges, key=lambda e: (e.source, e.target)):
        graph.add_edge(e.source, e.target, weight=e.jaccard)
    community: dict[str, int] = {}
    if graph.number_of_edges():
        groups = nx.algorithms.community.greedy_modularity_communities(graph, weight="weight")
        ranked = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
        for n, group in enumerate(ranked):
            for term in group:
                community[term] = n
    position = {labels[i]: i for i in range(len(top))}
    nodes = tuple(
        CooccurrenceNode(t, matrix.terms[top[position[t]]][1], int(df[position[t]]), community[t])
        for t in sorted(used, key=lambda t: position[t])
    )
    return CooccurrenceNetwork(nodes, tuple(edges))


def characteristic_words(
    matrix: TermMatrix,
    groups: Sequence[str | None],
    dimension: str,
    config: AnalysisConfig,
) -> tuple[CharacteristicWords, ...]:
    """Characteristic words of each group value (rows with None belong to no group)."""
    values = sorted({g for g in groups if g is not None})
    if not values:
        return ()
    index = {v: i for i, v in enumerate(values)}
    rows = [index[g] for g in groups if g is not None]
    cols = [n for n, g in enumerate(groups) if g is not None]
    indicator = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(values), len(groups))
    )
    y = np.asarray((indicator @ matrix.counts).toarray(), dtype=np.float64)
    sizes = np.asarray(indicator.sum(axis=1)).ravel().astype(int)
    total = np.asarray(matrix.counts.sum(axis=0), dtype=np.float64).ravel()
    n_all = float(total.sum())
    if n_all == 0:
        return tuple(
            CharacteristicWords(dimension, v, int(sizes[i]), ()) for i, v in enumerate(values)
        )
    a0 = config.prior_strength
    alpha = a0 * total / n_all
    out: list[CharacteristicWords] = []
    for i, value in enumerate(values):
        yi = y[i]
        yj = total - yi
        ni = yi.sum()
        nj = n_all - ni
        with np.errstate(divide="ignore", invalid="ignore"):
            delta = np.log((yi + alpha) / (ni + a0 - yi - alpha)) - np.log(
                (yj + alpha) / (nj + a0 - yj - alpha)
            )
            z = delta / np.sqrt(1.0 / (yi + alpha) + 1.0 / (yj + alpha))
        z = np.where(np.isfinite(z), z, 0.0)
        cand = np.flatnonzero((yi > 0) & (z > 0))
        order = cand[np.lexsort((cand, -np.round(z[cand], 10)))][: config.characteristic_limit]
        words = tuple(
            CharacteristicWord(
                matrix.labels[j],
                matrix.terms[j][1],
                int(yi[j]),
                round(float(z[j]), 3),
                bool(z[j] >= SIGNIFICANT_Z),
            )
            for j in order
        )
        out.append(CharacteristicWords(dimension, value, int(sizes[i]), words))
    return tuple(out)
