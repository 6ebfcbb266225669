"""Measure assignment: profiles, scores, threshold (該当なし), confirmations, examples."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from keikaku.analysis.domain.assignment import (
    assign,
    profile_text,
    rank_measures,
    with_examples,
)
from keikaku.analysis.domain.model import AnalysisConfig, MeasureProfile, MeasureScore, Opinion
from keikaku.analysis.domain.pipeline import analyze

CONFIG = AnalysisConfig()
CODES = ["A", "B", "C", "D"]


def test_profile_text_weights_title_and_keywords() -> None:
    measure = MeasureProfile(
        "4-3", "公園", "遊具の更新", "緑の中で", ("トイレ改修",), ("満足度",), ("遊具", "砂場")
    )
    assert profile_text(measure, AnalysisConfig(title_weight=2, keyword_weight=1)) == (
        "公園\n公園\n遊具の更新\n緑の中で\nトイレ改修\n満足度\n遊具\n砂場"
    )


def test_rank_best_first_with_thresholds() -> None:
    scores = np.array(
        [
            [0.30, 0.10, 0.02, 0.20],  # A, D, B (C 0.02 < secondary 0.025)
            [0.04, 0.03, 0.01, 0.00],  # best 0.04 < 0.05 → 該当なし
            [0.10, 0.10, 0.00, 0.00],  # a tie keeps the plan order: A before B
        ]
    )
    assert rank_measures(scores, CODES, CONFIG) == [
        (MeasureScore("A", 0.3), MeasureScore("D", 0.2), MeasureScore("B", 0.1)),
        (),
        (MeasureScore("A", 0.1), MeasureScore("B", 0.1)),
    ]
    assert rank_measures(np.zeros((2, 0)), [], CONFIG) == [(), ()]


def test_confirmed_rows_are_fixed() -> None:
    scores = np.array([[0.3, 0.1, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    assert assign(scores, CODES, CONFIG, {0: "C", 1: "D"}) == [
        (MeasureScore("C", 1.0),),
        (MeasureScore("D", 1.0),),
    ]


def test_examples_move_the_profile_towards_their_mean() -> None:
    profiles = sparse.csr_matrix(np.array([[1.0, 0.0], [0.0, 1.0]]))
    examples = sparse.csr_matrix(np.array([[0.0, 1.0], [0.0, 1.0]]))
    moved = with_examples(profiles, examples, np.array([0, 0]), 1.0).toarray()
    # profile 0: (1, 0) + 1 · mean((0, 1), (0, 1)) = (1, 1) → (0.7071, 0.7071); profile 1 stays
    assert moved.round(4).tolist() == [[0.7071, 0.7071], [0.0, 1.0]]


MEASURES = [
    MeasureProfile(
        "4-2",
        "公共交通",
        "路線バスとコミュニティバスの運行、駅へのアクセス",
        keywords=("バス", "本数"),
    ),
    MeasureProfile(
        "4-3", "公園・緑地", "公園の遊具やトイレの更新、緑地の保全", keywords=("公園", "遊具")
    ),
    MeasureProfile(
        "5-1",
        "ごみ・リサイクル",
        "ごみの分別と収集、粗大ごみ、リサイクル",
        keywords=("ごみ", "分別"),
    ),
]
OPINIONS = [
    Opinion("1", "ｺﾐｭﾆﾃｨﾊﾞｽの本数を増やしてほしい"),
    Opinion("2", "公園の遊具が古くて危ない"),
    Opinion("3", "ゴミの分別がわかりにくい"),
    Opinion("4", "いつもご苦労さまです。"),
    Opinion("5", "駅までバスで行けるようにしてください"),
]


def test_small_plan_end_to_end() -> None:
    result = analyze(OPINIONS, MEASURES)
    top = {o.id: (o.measures[0].code if o.measures else None) for o in result.opinions}
    assert top == {"1": "4-2", "2": "4-3", "3": "5-1", "4": None, "5": "4-2"}


def test_confirmation_fixes_the_measure_and_teaches_the_profile() -> None:
    result = analyze(OPINIONS, MEASURES, confirmations={"4": "4-3"})
    four = result.opinions[3]
    assert (four.measures, four.confirmed) == ((MeasureScore("4-3", 1.0),), True)
