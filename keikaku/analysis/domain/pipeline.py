"""The whole opinion analysis (広聴分析) in one call: :func:`analyze`.

Steps: normalise → content words (SudachiPy) → TF-IDF (words, characters) → measure
assignment → duplicates and campaigns → embedding (LSA by default) → topics within each
measure and among the unassigned → keywords, KWIC, co-occurrence network, characteristic words
→ extractive summaries → 2-D map. Deterministic for a given ``config.seed``; no network unless a
caller passes a networked backend.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from keikaku.analysis.domain.assignment import assign, profile_text, score_matrix
from keikaku.analysis.domain.backends import (
    EmbeddingBackend,
    EmbeddingInput,
    LLMBackend,
    NullLLM,
    TfidfLsaEmbedding,
)
from keikaku.analysis.domain.csvinput import AnalysisInputError
from keikaku.analysis.domain.duplicates import DuplicateAnalysis, find_duplicates
from keikaku.analysis.domain.features import (
    Matrix,
    TermMatrix,
    build_term_matrix,
    char_ngram_counts,
    tfidf,
)
from keikaku.analysis.domain.keywords import (
    characteristic_words,
    cooccurrence_network,
    keyword_stats,
    kwic,
)
from keikaku.analysis.domain.lexicon import Lexicon, default_lexicon
from keikaku.analysis.domain.model import (
    AnalysisConfig,
    AnalysisCounts,
    AnalysisResult,
    CharacteristicWords,
    Cluster,
    KwicLine,
    MapPoint,
    MeasureProfile,
    MeasureSummary,
    Opinion,
    OpinionResult,
)
from keikaku.analysis.domain.normalize import match_key, normalize_text
from keikaku.analysis.domain.tokenize import Tokenizer
from keikaku.analysis.domain.topics import (
    cluster_vectors,
    density,
    distinctive_terms,
    map_coordinates,
    mmr,
)
from keikaku.core.domain.i18n import _

__all__ = ["SUMMARY_INSTRUCTION", "analyze"]

SUMMARY_INSTRUCTION = "あなたは市役所の職員です。次の市民の意見を、事実を足さずに日本語で 3 文以内に要約してください。"
MAX_ATTRIBUTE_VALUES = 50

Progress = Callable[[str], None]


def _validate(
    opinions: Sequence[Opinion],
    measures: Sequence[MeasureProfile],
    confirmations: Mapping[str, str],
) -> None:
    seen: set[str] = set()
    for o in opinions:
        if o.id in seen:
            raise AnalysisInputError(
                _("意見 ID「%(id)s」が重複しています。ID を一意にしてください。") % {"id": o.id}
            )
        seen.add(o.id)
    codes = {m.code for m in measures}
    if len(codes) != len(measures):
        raise AnalysisInputError(_("施策コードが重複しています。コードを一意にしてください。"))
    for oid, code in confirmations.items():
        if oid not in seen:
            raise AnalysisInputError(
                _("確定した意見 ID「%(id)s」が意見の中にありません。") % {"id": oid}
            )
        if code not in codes:
            raise AnalysisInputError(
                _("確定した施策コード「%(code)s」が施策の中にありません。") % {"code": code}
            )


def _units(
    rows: NDArray[np.int64], keys: Sequence[str]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Distinct texts among ``rows``: (first row of each, unit of each row, weights)."""
    index: dict[str, int] = {}
    firsts: list[int] = []
    unit = np.zeros(rows.size, dtype=np.int64)
    for n, r in enumerate(rows.tolist()):
        u = index.get(keys[r])
        if u is None:
            u = index[keys[r]] = len(firsts)
            firsts.append(r)
        unit[n] = u
    weights = np.bincount(unit, minlength=len(firsts)).astype(np.float64)
    return np.asarray(firsts, dtype=np.int64), unit, weights


def _voice_representatives(rows: NDArray[np.int64], voice_of: Sequence[int]) -> NDArray[np.int64]:
    seen: set[int] = set()
    out: list[int] = []
    for r in rows.tolist():
        v = voice_of[r]
        if v not in seen:
            seen.add(v)
            out.append(r)
    return np.asarray(out, dtype=np.int64)


def _topics(
    ids: Sequence[str],
    keys: Sequence[str],
    texts: Sequence[str],
    vectors: NDArray[np.float64],
    word_tfidf: Matrix,
    labels: Sequence[str],
    top_measure: Sequence[str | None],
    order: Sequence[str | None],
    dup: DuplicateAnalysis,
    config: AnalysisConfig,
    llm: LLMBackend,
) -> tuple[list[Cluster], list[str | None]]:
    n = len(ids)
    cluster_of: list[str | None] = [None] * n
    clusters: list[Cluster] = []
    column_sums = np.asarray(word_tfidf.sum(axis=0)).ravel()
    group_rows: dict[str | None, list[int]] = {}
    for i, m in enumerate(top_measure):
        group_rows.setdefault(m, []).append(i)
    for measure in order:
        rows = np.asarray(group_rows.get(measure, []), dtype=np.int64)
        if rows.size == 0:
            continue
        firsts, unit, weights = _units(rows, keys)
        unit_labels = cluster_vectors(vectors[firsts], config, weights)
        row_labels = unit_labels[unit]
        k = int(row_labels.max()) + 1
        prefix = measure if measure is not None else "none"
        # with one topic, its words are compared with every opinion outside the group
        outside_mean = None
        if k == 1:
            rest = n - rows.size
            group_sums = np.asarray(word_tfidf[rows].sum(axis=0)).ravel()
            outside_mean = (column_sums - group_sums) / rest if rest else np.zeros_like(column_sums)
        for c in range(k):
            members = rows[row_labels == c]
            others = rows[row_labels != c]
            mv = vectors[members]
            centroid = mv.mean(axis=0)
            sims = mv @ centroid
            representative = int(members[int(np.argmax(np.round(sims, 12)))])
            voices = _voice_representatives(members, dup.voice_of)
            picked = [
                int(voices[p])
                for p in mmr(vectors[voices], min(3, config.summary_size), config.mmr_lambda)
            ]
            cid = f"{prefix}/{c + 1}"
            llm_text = (
                llm.summarize([texts[p] for p in picked], instruction=SUMMARY_INSTRUCTION)
                if picked
                else None
            )
            clusters.append(
                Cluster(
                    id=cid,
                    measure=measure,
                    label_terms=distinctive_terms(
                        word_tfidf, members, others, labels, config.topic_label_terms, outside_mean
                    ),
                    representative=ids[representative],
                    members=tuple(ids[m] for m in members.tolist()),
                    density=round(density(mv), 4),
                    summary=tuple(ids[p] for p in picked),
                    llm_summary=llm_text,
                )
            )
            for m in members.tolist():
                cluster_of[m] = cid
    return clusters, cluster_of


def analyze(
    opinions: Sequence[Opinion],
    measures: Sequence[MeasureProfile],
    *,
    config: AnalysisConfig | None = None,
    lexicon: Lexicon | None = None,
    confirmations: Mapping[str, str] | None = None,
    tokenizer: Tokenizer | None = None,
    embedding: EmbeddingBackend | None = None,
    llm: LLMBackend | None = None,
    progress: Progress | None = None,
) -> AnalysisResult:
    """Analyse the opinions against the plan's measures (see the module docstring).

    BLAS runs on one thread: the analysis makes many small matrix products, which a
    multi-threaded BLAS slows down by an order of magnitude on a busy 2-core machine."""
    with threadpool_limits(limits=1, user_api="blas"):
        return _analyze(
            opinions,
            measures,
            config=config,
            lexicon=lexicon,
            confirmations=confirmations,
            tokenizer=tokenizer,
            embedding=embedding,
            llm=llm,
            progress=progress,
        )


def _analyze(
    opinions: Sequence[Opinion],
    measures: Sequence[MeasureProfile],
    *,
    config: AnalysisConfig | None = None,
    lexicon: Lexicon | None = None,
    confirmations: Mapping[str, str] | None = None,
    tokenizer: Tokenizer | None = None,
    embedding: EmbeddingBackend | None = None,
    llm: LLMBackend | None = None,
    progress: Progress | None = None,
) -> AnalysisResult:
    config = config or AnalysisConfig()
    confirmations = dict(confirmations or {})
    _validate(opinions, measures, confirmations)
    report: Progress = progress or (lambda stage: None)
    tokenizer = tokenizer or Tokenizer(lexicon or default_lexicon())
    embedder: EmbeddingBackend = embedding or TfidfLsaEmbedding(
        config.embedding_dimensions, config.word_weight
    )
    writer: LLMBackend = llm or NullLLM()
    n = len(opinions)
    ids = [o.id for o in opinions]
    texts = [o.text for o in opinions]

    norm = [normalize_text(t) for t in texts]
    keys = [match_key(t) for t in norm]
    report("normalise")
    doc_terms = tokenizer.terms_batch(norm)
    report("tokenise")

    row_of = {oid: i for i, oid in enumerate(ids)}
    codes = [m.code for m in measures]
    position = {code: j for j, code in enumerate(codes)}
    example_texts: list[str] = []
    example_owner: list[int] = []
    for j, m in enumerate(measures):
        example_texts.extend(normalize_text(t) for t in m.examples)
        example_owner.extend([j] * len(m.examples))
    for oid, code in confirmations.items():
        example_texts.append(norm[row_of[oid]])
        example_owner.append(position[code])
    profile_norm = [normalize_text(profile_text(m, config)) for m in measures]
    extra = profile_norm + example_texts
    both = build_term_matrix(list(doc_terms) + tokenizer.terms_batch(extra))
    word_all, _idf = tfidf(both.counts)
    char_all, _cidf = tfidf(
        char_ngram_counts(keys + [match_key(t) for t in extra], config.char_ngram_range)
    )
    m_count = len(measures)
    word_docs, word_profiles, word_examples = (
        word_all[:n],
        word_all[n : n + m_count],
        word_all[n + m_count :],
    )
    char_docs, char_profiles, char_examples = (
        char_all[:n],
        char_all[n : n + m_count],
        char_all[n + m_count :],
    )
    matrix = TermMatrix(both.terms, both.counts[:n], both.labels)
    report("features")

    if measures and n:
        scores = score_matrix(
            word_docs,
            char_docs,
            word_profiles,
            char_profiles,
            config,
            word_examples,
            char_examples,
            np.asarray(example_owner, dtype=np.int64),
        )
    else:
        scores = np.zeros((n, len(measures)))
    fixed = {row_of[oid]: code for oid, code in confirmations.items()}
    ranked = assign(scores, codes, config, fixed)
    top_measure: list[str | None] = [r[0].code if r else None for r in ranked]
    report("assign")

    dup = find_duplicates(ids, keys, [[w[0] for w in d] for d in doc_terms], config)
    report("duplicates")

    vectors = embedder.embed(EmbeddingInput(norm, word_docs, char_docs, config.seed))
    report("embed")
    labels = list(matrix.labels)
    order: list[str | None] = [*codes, None]
    clusters, cluster_of = _topics(
        ids, keys, texts, vectors, word_docs, labels, top_measure, order, dup, config, writer
    )
    report("topics")

    keywords = keyword_stats(matrix, config.keyword_limit)
    by_pos = tuple(
        (pos, keyword_stats(matrix, config.keyword_limit_by_pos, pos=pos))
        for pos in tokenizer.config.pos_classes
    )
    column_of = {t: j for j, t in enumerate(matrix.terms)}
    kwic_out: list[tuple[str, tuple[KwicLine, ...]]] = []
    for kw in keywords[: config.kwic_keywords]:
        j = column_of[(kw.normalized, kw.pos)]
        rows = np.sort(matrix.counts[:, j].nonzero()[0])[: config.kwic_lines]
        lines = kwic(
            [ids[r] for r in rows],
            [texts[r] for r in rows],
            kw.normalized,
            tokenizer,
            width=config.kwic_width,
            limit=config.kwic_lines,
        )
        kwic_out.append((kw.term, lines))
    network = cooccurrence_network(matrix, config)
    characteristic: list[CharacteristicWords] = list(
        characteristic_words(matrix, top_measure, "measure", config)
    )
    attribute_names: list[str] = []
    for o in opinions:
        for name, _value in o.attributes:
            if name not in attribute_names:
                attribute_names.append(name)
    for name in attribute_names:
        values: list[str | None] = [o.attribute(name) or None for o in opinions]
        if len({v for v in values if v is not None}) <= MAX_ATTRIBUTE_VALUES:
            characteristic.extend(characteristic_words(matrix, values, name, config))
    report("keywords")

    summaries: list[MeasureSummary] = []
    for measure in order:
        rows_m = np.asarray([i for i in range(n) if top_measure[i] == measure], dtype=np.int64)
        voices = _voice_representatives(rows_m, dup.voice_of)
        picked = (
            [int(voices[p]) for p in mmr(vectors[voices], config.summary_size, config.mmr_lambda)]
            if voices.size
            else []
        )
        llm_text = (
            writer.summarize([texts[p] for p in picked], instruction=SUMMARY_INSTRUCTION)
            if picked
            else None
        )
        summaries.append(
            MeasureSummary(
                measure, int(rows_m.size), int(voices.size), tuple(ids[p] for p in picked), llm_text
            )
        )
    coords = map_coordinates(vectors)
    points = tuple(
        MapPoint(ids[i], round(float(coords[i, 0]), 4), round(float(coords[i, 1]), 4))
        for i in range(n)
    )
    report("summaries")

    results = tuple(
        OpinionResult(
            id=ids[i],
            measures=ranked[i],
            duplicate_group=dup.group_of[i],
            campaign=dup.campaign_of[i] is not None,
            cluster=cluster_of[i],
            confirmed=i in fixed,
        )
        for i in range(n)
    )
    counts = AnalysisCounts(
        opinions=n,
        voices=len(set(dup.voice_of)),
        duplicate_groups=len(dup.groups),
        in_duplicate_groups=sum(len(g.members) for g in dup.groups),
        campaigns=len(dup.campaigns),
        in_campaigns=sum(len(c.members) for c in dup.campaigns),
        unassigned=sum(1 for r in ranked if not r),
    )
    return AnalysisResult(
        opinions=results,
        duplicate_groups=dup.groups,
        campaigns=dup.campaigns,
        clusters=tuple(clusters),
        keywords=keywords,
        keywords_by_pos=by_pos,
        kwic=tuple(kwic_out),
        cooccurrence=network,
        characteristic_words=tuple(characteristic),
        summaries=tuple(summaries),
        map=points,
        counts=counts,
        config=config,
    )
