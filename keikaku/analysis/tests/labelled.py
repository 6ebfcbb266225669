"""The labelled evaluation set of the fictional city 桜ヶ丘市 (names are illustrative).

``data/opinions.csv`` holds the citizens' opinions as they would arrive (id, text, 年代, 地区,
受付方法), written by hand: colloquial, with typos, half-width katakana, list markers, short and
long; ``data/labels.csv`` the truth (``id,measure,campaign,duplicate_of``): the measure each
opinion mainly speaks to (empty: none), whether it belongs to the planted organised campaign
(``1``), and which opinion it repeats exactly or with trivial edits (chains end at the
original); ``data/measures.csv`` the 30 measures of a typical city with their profiles
(code, title, description, vision, initiatives, indicators, keywords).
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, replace
from pathlib import Path

from threadpoolctl import threadpool_limits

from keikaku.analysis.domain.backends import EmbeddingInput, TfidfLsaEmbedding
from keikaku.analysis.domain.csvinput import read_measures_csv, read_opinions_csv
from keikaku.analysis.domain.evaluation import (
    assignment_quality,
    clustering_quality,
    precision_recall,
)
from keikaku.analysis.domain.features import build_term_matrix, char_ngram_counts, tfidf
from keikaku.analysis.domain.lexicon import default_lexicon
from keikaku.analysis.domain.model import AnalysisConfig, AnalysisResult, MeasureProfile, Opinion
from keikaku.analysis.domain.normalize import match_key, normalize_text
from keikaku.analysis.domain.pipeline import analyze
from keikaku.analysis.domain.tokenize import Tokenizer
from keikaku.analysis.domain.topics import cluster_vectors

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class LabelledSet:
    opinions: tuple[Opinion, ...]
    measures: tuple[MeasureProfile, ...]
    measure: dict[str, str | None]  # opinion id → true measure code (None: 該当なし)
    campaign: dict[str, bool]
    duplicate_of: dict[str, str | None]


def load_labelled() -> LabelledSet:
    opinions = read_opinions_csv((DATA / "opinions.csv").read_bytes())
    measures = read_measures_csv((DATA / "measures.csv").read_bytes())
    text = (DATA / "labels.csv").read_text(encoding="utf-8")
    measure: dict[str, str | None] = {}
    campaign: dict[str, bool] = {}
    duplicate_of: dict[str, str | None] = {}
    for row in csv.DictReader(io.StringIO(text)):
        measure[row["id"]] = row["measure"] or None
        campaign[row["id"]] = row["campaign"] == "1"
        duplicate_of[row["id"]] = row["duplicate_of"] or None
    return LabelledSet(tuple(opinions), tuple(measures), measure, campaign, duplicate_of)


# Regression floors of the quality measures (measured − a small margin; see
# benchmarks/results/analysis.json for the measured values). test_quality.py asserts them.
QUALITY_FLOORS: dict[str, float] = {
    "full_top1": 0.83,
    "full_top3": 0.91,
    "full_mrr": 0.87,
    "basic_top1": 0.56,
    "basic_top3": 0.71,
    "basic_mrr": 0.63,
    "confirmed_top1": 0.58,
    "confirmed_top3": 0.76,
    "confirmed_mrr": 0.66,
    "campaign_precision": 0.95,
    "campaign_recall": 0.95,
    "duplicate_precision": 0.95,
    "duplicate_recall": 0.95,
    "cluster_ari": 0.43,
    "cluster_nmi": 0.76,
    "measure_ari": 0.70,
    "measure_nmi": 0.82,
    "unsupervised_ari": 0.13,
    "unsupervised_nmi": 0.43,
}


def basic_profiles(data: LabelledSet) -> tuple[MeasureProfile, ...]:
    """The measures with title and description only (no 目指す姿, 取組, 指標, keywords)."""
    return tuple(
        replace(m, vision="", initiatives=(), indicators=(), keywords=()) for m in data.measures
    )


def sample_confirmations(data: LabelledSet, per_measure: int, seed: int) -> dict[str, str]:
    """``per_measure`` opinions of each measure, drawn at random, as if staff confirmed them."""
    rng = random.Random(seed)
    out: dict[str, str] = {}
    for m in data.measures:
        pool = [
            o.id for o in data.opinions if data.measure[o.id] == m.code and not data.campaign[o.id]
        ]
        rng.shuffle(pool)
        out.update({i: m.code for i in pool[:per_measure]})
    return out


def _pairs(groups: dict[str, str | None]) -> set[tuple[str, str]]:
    members: dict[str, list[str]] = {}
    for oid, group in groups.items():
        if group is not None:
            members.setdefault(group, []).append(oid)
    return {
        (min(a, b), max(a, b))
        for m in members.values()
        for i, a in enumerate(m)
        for b in m[i + 1 :]
    }


def _root(duplicate_of: dict[str, str | None], oid: str) -> str:
    """The opinion a chain of ``duplicate_of`` links ends at."""
    seen = {oid}
    while (nxt := duplicate_of.get(oid)) is not None and nxt not in seen:
        seen.add(nxt)
        oid = nxt
    return oid


def unsupervised_quality(data: LabelledSet) -> tuple[float, float]:
    """k-means of the LSA embeddings of all opinions (k by silhouette in 2…40) vs the truth."""
    config = AnalysisConfig(max_topics=40, min_topic_size=3)
    norm = [normalize_text(o.text) for o in data.opinions]
    words, _ = tfidf(build_term_matrix(Tokenizer(default_lexicon()).terms_batch(norm)).counts)
    chars, _ = tfidf(char_ngram_counts([match_key(t) for t in norm], config.char_ngram_range))
    vectors = TfidfLsaEmbedding(config.embedding_dimensions).embed(
        EmbeddingInput(norm, words, chars, 0)
    )
    with threadpool_limits(limits=1, user_api="blas"):
        labels = cluster_vectors(vectors, config)
    return clustering_quality([str(x) for x in labels], [data.measure[o.id] for o in data.opinions])


def evaluate(data: LabelledSet) -> dict[str, float]:
    """Every quality measure of the analysis on the labelled set (names as in QUALITY_FLOORS,
    plus the 該当なし precision/recall of each profile variant)."""
    ids = [o.id for o in data.opinions]
    truth = [data.measure[i] for i in ids]
    out: dict[str, float] = {}

    def assignment(prefix: str, result: AnalysisResult, keep: set[str]) -> None:
        rows = [(o, t) for o, t in zip(result.opinions, truth, strict=True) if o.id in keep]
        q = assignment_quality(
            [[m.code for m in o.measures] for o, _ in rows], [t for _, t in rows]
        )
        out[f"{prefix}_top1"] = q.top1
        out[f"{prefix}_top3"] = q.top3
        out[f"{prefix}_mrr"] = q.mrr
        out[f"{prefix}_none_precision"] = q.none_precision
        out[f"{prefix}_none_recall"] = q.none_recall

    full = analyze(data.opinions, data.measures)
    assignment("full", full, set(ids))
    assignment("basic", analyze(data.opinions, basic_profiles(data)), set(ids))
    confirmations = sample_confirmations(data, per_measure=2, seed=0)
    confirmed = analyze(data.opinions, basic_profiles(data), confirmations=confirmations)
    assignment("confirmed", confirmed, set(ids) - set(confirmations))

    p, r = precision_recall([o.campaign for o in full.opinions], [data.campaign[i] for i in ids])
    out["campaign_precision"], out["campaign_recall"] = p, r
    predicted = _pairs({o.id: o.duplicate_group for o in full.opinions})
    expected = _pairs({i: _root(data.duplicate_of, i) for i in ids})
    hit = len(predicted & expected)
    out["duplicate_precision"] = hit / len(predicted) if predicted else 0.0
    out["duplicate_recall"] = hit / len(expected) if expected else 0.0
    out["cluster_ari"], out["cluster_nmi"] = clustering_quality(
        [o.cluster for o in full.opinions], truth
    )
    out["measure_ari"], out["measure_nmi"] = clustering_quality(
        [o.measures[0].code if o.measures else None for o in full.opinions], truth
    )
    out["unsupervised_ari"], out["unsupervised_nmi"] = unsupervised_quality(data)
    return out
