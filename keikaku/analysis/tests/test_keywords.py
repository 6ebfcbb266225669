"""Term matrix, keyword statistics, KWIC, co-occurrence network, characteristic words."""

from __future__ import annotations

import numpy as np

from keikaku.analysis.domain.features import build_term_matrix, tfidf
from keikaku.analysis.domain.keywords import (
    characteristic_words,
    cooccurrence_network,
    keyword_stats,
    kwic,
)
from keikaku.analysis.domain.lexicon import default_lexicon
from keikaku.analysis.domain.model import (
    AnalysisConfig,
    CharacteristicWord,
    CooccurrenceEdge,
    CooccurrenceNode,
    KeywordStat,
    KwicLine,
)
from keikaku.analysis.domain.tokenize import Tokenizer

PARK = ("公園", "名詞", "公園")
PLAY = ("遊具", "名詞", "遊具")
TOILET = ("トイレ", "名詞", "トイレ")
BUS = ("バス", "名詞", "バス")
DOCS = [[PARK, PLAY], [PARK, TOILET], [PARK, PLAY, PLAY], [BUS]]


def test_term_matrix_counts_and_labels() -> None:
    matrix = build_term_matrix(
        [[("子供", "名詞", "子ども"), ("子供", "名詞", "子供")], [("子供", "名詞", "子ども")]]
    )
    assert matrix.terms == (("子供", "名詞"),)
    assert matrix.labels == ("子ども",)  # 2 of the 3 occurrences are written 子ども
    assert matrix.counts.toarray().tolist() == [[2.0], [1.0]]
    fixed = build_term_matrix(DOCS, vocabulary=[("バス", "名詞"), ("公園", "名詞")])
    assert fixed.counts.toarray().tolist() == [[0.0, 1.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]]


def test_tfidf_rows_are_unit_length() -> None:
    weighted, idf = tfidf(build_term_matrix(DOCS).counts)
    assert np.allclose(np.linalg.norm(weighted.toarray(), axis=1), 1.0)
    # smooth idf: ln((1 + n) / (1 + df)) + 1 with n = 4; 公園 df 3 → ln(5/4) + 1
    assert round(float(idf[0]), 6) == round(np.log(5 / 4) + 1, 6)


def test_keyword_stats_order_by_df_then_tf_then_term() -> None:
    # 公園 df 3 tf 3; 遊具 df 2 tf 3; トイレ and バス df 1 tf 1 (ト U+30C8 < バ U+30D0)
    assert keyword_stats(build_term_matrix(DOCS), 10) == (
        KeywordStat("公園", "公園", "名詞", 3, 3),
        KeywordStat("遊具", "遊具", "名詞", 3, 2),
        KeywordStat("トイレ", "トイレ", "名詞", 1, 1),
        KeywordStat("バス", "バス", "名詞", 1, 1),
    )
    assert keyword_stats(build_term_matrix(DOCS), 1) == (KeywordStat("公園", "公園", "名詞", 3, 3),)
    assert keyword_stats(build_term_matrix(DOCS), 10, pos="動詞") == ()


def test_cooccurrence_network_jaccard_over_opinions() -> None:
    config = AnalysisConfig(cooccurrence_min_count=1)
    network = cooccurrence_network(build_term_matrix(DOCS), config)
    # 公園 ∩ 遊具 = 2 opinions, 公園 ∪ 遊具 = 3 + 2 − 2 = 3 → 2/3
    # 公園 ∩ トイレ = 1, ∪ = 3 + 1 − 1 = 3 → 1/3; バス meets no other term
    assert network.edges == (
        CooccurrenceEdge("公園", "遊具", 2, 0.6667),
        CooccurrenceEdge("公園", "トイレ", 1, 0.3333),
    )
    # greedy modularity merges the star into one community (modularity 0 > −0.056 split)
    assert network.nodes == (
        CooccurrenceNode("公園", "名詞", 3, 0),
        CooccurrenceNode("遊具", "名詞", 2, 0),
        CooccurrenceNode("トイレ", "名詞", 1, 0),
    )
    assert cooccurrence_network(build_term_matrix(DOCS), AnalysisConfig()).edges == (
        CooccurrenceEdge("公園", "遊具", 2, 0.6667),
    )


def test_characteristic_words_log_odds_with_informative_prior() -> None:
    docs = [[PARK, PLAY], [PARK, PLAY], [BUS], [BUS, PARK]]
    config = AnalysisConfig(prior_strength=7.0)
    result = characteristic_words(build_term_matrix(docs), ["X", "X", "Y", "Y"], "地区", config)
    # totals 公園 3, 遊具 2, バス 2 (n = 7); α0 = 7 → α_w = 7 · y_w / 7 = y_w
    # X: n_i = 4, n_j = 3
    #  遊具 δ = ln((2+2)/(4+7−2−2)) − ln((0+2)/(3+7−0−2)) = ln(4/7) − ln(2/8) = 0.826679,
    #       var = 1/4 + 1/2 = 0.75 → z = 0.826679 / 0.866025 = 0.955
    #  公園 δ = ln(5/6) − ln(4/6) = 0.223144, var = 1/5 + 1/4 → z = 0.223144 / 0.670820 = 0.333
    # Y: バス δ = ln(4/6) − ln(2/9) = 1.098612, var = 0.75 → z = 1.269; 公園 z < 0 (not listed)
    assert [(c.dimension, c.value, c.size) for c in result] == [("地区", "X", 2), ("地区", "Y", 2)]
    assert result[0].words == (
        CharacteristicWord("遊具", "名詞", 2, 0.955, False),
        CharacteristicWord("公園", "名詞", 2, 0.333, False),
    )
    assert result[1].words == (CharacteristicWord("バス", "名詞", 2, 1.269, False),)


def test_characteristic_word_significance() -> None:
    docs = [[PLAY]] * 20 + [[BUS]] * 20
    config = AnalysisConfig(prior_strength=40.0)
    result = characteristic_words(
        build_term_matrix(docs), ["X"] * 20 + ["Y"] * 20, "measure", config
    )
    # α = 20 each; 遊具 in X: δ = ln(40/20) − ln(20/40) = 1.386294; var = 1/40 + 1/20 = 0.075
    # z = 1.386294 / 0.273861 = 5.062 ≥ 1.96
    assert result[0].words == (CharacteristicWord("遊具", "名詞", 20, 5.062, True),)


def test_rows_without_a_group_belong_to_no_group() -> None:
    result = characteristic_words(
        build_term_matrix(DOCS), [None, None, None, None], "地区", AnalysisConfig()
    )
    assert result == ()


def test_kwic_shows_the_original_text() -> None:
    tokenizer = Tokenizer(default_lexicon())
    lines = kwic(
        ["A", "B", "C"],
        ["ｺﾐｭﾆﾃｨﾊﾞｽの本数を増やして", "駅まで\nコミュニティバスで行きたい。コミバスは便利", "公園"],
        "コミュニティバス",
        tokenizer,
        width=5,
    )
    assert lines == (
        KwicLine("A", "", "ｺﾐｭﾆﾃｨﾊﾞｽ", "の本数を増"),
        KwicLine("B", "駅まで ", "コミュニティバス", "で行きたい"),
        KwicLine("B", "行きたい。", "コミバス", "は便利"),
    )
    assert kwic(["A", "B"], ["バス", "バス"], "バス", tokenizer, limit=1) == (
        KwicLine("A", "", "バス", ""),
    )
