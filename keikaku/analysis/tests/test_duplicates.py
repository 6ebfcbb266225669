"""Exact and near duplicates, organised campaigns, MinHash and LSH."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from keikaku.analysis.domain.duplicates import (
    estimated_jaccard,
    exact_jaccard,
    find_duplicates,
    lsh_pairs,
    minhash_signatures,
    shingle_hashes,
    term_hashes,
)
from keikaku.analysis.domain.model import AnalysisConfig, Campaign, DuplicateGroup

CONFIG = AnalysisConfig()
TEMPLATE = ["市民プール", "廃止", "反対", "子ども", "夏", "居場所", "高齢者", "健康", "存続"]


def test_shingles_of_short_and_long_keys() -> None:
    hashes, offsets = shingle_hashes(["あいうえ", "", "あ", "いうえ"], 3)
    # "あいうえ" → あいう, いうえ; "" → none; "あ" → the whole key; "いうえ" → いうえ
    assert offsets.tolist() == [0, 2, 2, 3, 4]
    assert hashes[1] == hashes[3]  # いうえ in both keys
    assert len(set(hashes.tolist())) == 3


def test_exact_jaccard_of_shingle_sets() -> None:
    keys = ["あいうえおかきくけこ", "あいうえおかきくけさ", "あいうえおかきくさし"]
    hashes, offsets = shingle_hashes(keys, 3)
    pairs = np.array([[0, 1], [0, 2]])
    # 8 trigrams each; 0–1 share 7 → 7 / (8 + 8 − 7) = 7/9; 0–2 share 6 → 6/10
    assert exact_jaccard(hashes, offsets, pairs).round(4).tolist() == [0.7778, 0.6]


def test_duplicates_exact_and_near() -> None:
    ids = ["a", "b", "c", "d", "e"]
    keys = [
        "あいうえおかきくけこ",
        "あいうえおかきくけこ",
        "あいうえおかきくけさ",
        "あいうえおかきくさし",
        "まったくちがうはなし",
    ]
    terms: list[list[str]] = [[], [], [], [], []]
    result = find_duplicates(ids, keys, terms, CONFIG)
    # a = b exactly; a–c: 7 of 8 trigrams shared → 7/9 = 0.78 ≥ 0.7 (near duplicate)
    # a–d: 6 shared → 6/10 = 0.6; c–d: あいう…おかき, かきく (6 shared, くけさ ≠ くさし) → 0.6
    assert result.groups == (DuplicateGroup("dup-0001", ("a", "b", "c"), "a", False),)
    assert result.group_of == ("dup-0001", "dup-0001", "dup-0001", None, None)
    assert result.campaigns == ()
    assert result.voice_of == (0, 0, 0, 3, 4)


def _campaign(n: int, start: int = 0) -> tuple[list[str], list[str], list[list[str]]]:
    ids, keys, terms = [], [], []
    for i in range(start, start + n):
        ids.append(f"k{i:02d}")
        keys.append(f"テンプレート{i:02d}番の文面は少しずつ違う{chr(0x4E00 + i * 7)}")
        t = [w for j, w in enumerate(TEMPLATE) if j != i % len(TEMPLATE)]
        terms.append([*t, f"固有{i}", f"言い回し{i}"])
    return ids, keys, terms


def test_campaign_of_paraphrases() -> None:
    ids, keys, terms = _campaign(12)
    ids += ["x1", "x2"]
    keys += ["バスのほんすう", "こうえんのゆうぐ"]
    terms += [["バス", "本数"], ["公園", "遊具"]]
    result = find_duplicates(ids, keys, terms, CONFIG)
    # each paraphrase: 8 of the 9 template terms + 2 of its own = 10 terms; two paraphrases
    # share 7 template terms → 7 / (10 + 10 − 7) = 0.54 ≥ 0.5 (8/12 = 0.67 when they dropped
    # the same term): each has 11 close neighbours ≥ 5, the 12 form one campaign (≥ 10)
    assert result.campaigns == (Campaign("campaign-001", tuple(ids[:12]), "k00"),)
    assert result.campaign_of == ("campaign-001",) * 12 + (None, None)
    assert result.groups == ()
    assert len(set(result.voice_of)) == 3  # one campaign voice + 2 opinions


def test_too_few_paraphrases_are_not_a_campaign() -> None:
    ids, keys, terms = _campaign(9)
    assert find_duplicates(ids, keys, terms, CONFIG).campaigns == ()


def test_short_opinions_are_never_campaign_cores() -> None:
    # 15 different texts with the same 3 words: close, but fewer than campaign_min_terms (6)
    ids = [f"s{i}" for i in range(15)]
    keys = [f"バスの本数が少ない{i}番{chr(0x4E00 + i * 11)}" for i in range(15)]
    terms = [["バス", "本数", "少ない"] for _ in range(15)]
    assert find_duplicates(ids, keys, terms, CONFIG).campaigns == ()


def test_identical_copies_of_a_long_template_are_a_campaign_and_one_duplicate_group() -> None:
    ids = [f"c{i}" for i in range(10)]
    keys = ["市民プールの存続を求めます子どもの夏の居場所です"] * 10
    terms = [TEMPLATE] * 10
    result = find_duplicates(ids, keys, terms, CONFIG)
    assert result.groups == (DuplicateGroup("dup-0001", tuple(ids), "c0", True),)
    assert result.campaigns == (Campaign("campaign-001", tuple(ids), "c0"),)
    assert set(result.voice_of) == {0}


def test_lsh_bucket_limit_keeps_large_buckets_linear() -> None:
    signatures = np.zeros((6, 4), dtype=np.uint32)  # six identical signatures: one bucket
    every = lsh_pairs(signatures, 1, 4, np.ones(6, dtype=bool), bucket_limit=64)
    assert len(every) == 15  # 6 · 5 / 2
    limited = lsh_pairs(signatures, 1, 4, np.ones(6, dtype=bool), bucket_limit=2)
    # the first 2 members pair with each other (1) and with the 4 others (2 · 4 = 8)
    assert limited.tolist() == [
        [0, 1],
        [0, 2],
        [0, 3],
        [0, 4],
        [0, 5],
        [1, 2],
        [1, 3],
        [1, 4],
        [1, 5],
    ]
    none = lsh_pairs(signatures, 1, 4, np.zeros(6, dtype=bool), bucket_limit=2)
    assert none.shape == (0, 2)


def test_minhash_is_deterministic_for_a_seed() -> None:
    hashes, offsets = term_hashes([["a", "b", "c"], ["a", "b", "d"], []])
    first = minhash_signatures(hashes, offsets, 64, seed=3)
    again = minhash_signatures(hashes, offsets, 64, seed=3)
    other = minhash_signatures(hashes, offsets, 64, seed=4)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)
    assert (first[2] == np.iinfo(np.uint32).max).all()  # an empty set


@settings(max_examples=30, deadline=None)
@given(
    st.sets(st.integers(0, 40), min_size=1, max_size=25),
    st.sets(st.integers(0, 40), min_size=1, max_size=25),
)
def test_minhash_estimate_is_close_to_the_exact_jaccard(a: set[int], b: set[int]) -> None:
    hashes, offsets = term_hashes([[str(x) for x in sorted(a)], [str(x) for x in sorted(b)]])
    signatures = minhash_signatures(hashes, offsets, 256, seed=0)
    pair = np.array([[0, 1]])
    exact = len(a & b) / len(a | b)
    assert exact_jaccard(hashes, offsets, pair)[0] == exact
    # 256 permutations: standard error ≤ 0.5 / 16 = 0.031; allow 5 of them
    assert abs(estimated_jaccard(signatures, pair)[0] - exact) <= 0.16
