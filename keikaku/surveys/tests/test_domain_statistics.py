"""Golden tests of tabulation, scores, margins, cross-tabs and year-on-year tests.

The survey is docs/formats/samples/survey/responses.csv: 8 respondents, 3 measures.
All expected values are computed by hand in the comments.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from keikaku.surveys.domain.comparison import compare_scales, two_proportion_z_test, welch_t_test
from keikaku.surveys.domain.design import parse_design, parse_measures
from keikaku.surveys.domain.responses import ChoiceQuestion, SurveyResponses, parse_responses
from keikaku.surveys.domain.scale import IMPORTANCE_LABELS
from keikaku.surveys.domain.statistics import (
    OptionCount,
    crosstab_choice,
    crosstab_scale,
    margin_of_error,
    round_half_up,
    scale_counts,
    summarize_counts,
    summarize_scale,
    suppression_masks,
    tabulate_choice,
    tabulate_scale,
)

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "formats" / "samples" / "survey"


@pytest.fixture(scope="module")
def survey() -> SurveyResponses:
    design = parse_design((SAMPLES / "design.json").read_bytes()).unwrap()
    measures = parse_measures((SAMPLES / "measures.csv").read_bytes()).unwrap()
    return parse_responses((SAMPLES / "responses.csv").read_bytes(), measures, design).unwrap()


def test_round_half_up() -> None:
    assert round_half_up(12.25) == 12.3  # Python's round() would give 12.2
    assert round_half_up(12.35) == 12.4
    assert round_half_up(100 * 4 / 7) == 57.1  # 57.142857…
    assert round_half_up(100 * 3 / 7) == 42.9  # 42.857142…
    assert round_half_up(-12.25) == -12.3
    assert round_half_up(0.125, 2) == 0.13


def test_scale_counts_by_group() -> None:
    matrix = np.array([[1, 9], [0, 5], [1, 2]], dtype=np.int8)
    groups = np.array([0, 1, 0], dtype=np.int32)
    counts = scale_counts(matrix, groups, 2)
    # columns: codes 1, 2, 3, 4, 5, 9, no answer
    assert counts.tolist() == [
        [[2, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 1, 0]],
        [[0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 1, 0, 0]],
    ]
    with pytest.raises(ValueError):
        scale_counts(np.array([[6]], dtype=np.int8))


def test_satisfaction_scores_of_the_sample(survey: SurveyResponses) -> None:
    s = summarize_scale(survey.satisfaction)
    # A01: codes 1,2,2,3,1,4,9,(empty) → n1=2 n2=2 n3=1 n4=1 n5=0 n9=1, no answer 1
    #      base = 8 − 1 = 7; n_valid = 6; score = (2·2 + 1·2 + 0·1 − 1·1)/6 = 5/6
    # A02: codes 3,4,3,5,2,3,1,4 → n1=1 n2=1 n3=3 n4=2 n5=1; score = (2+1+0−2−2)/8 = −1/8
    # A03: codes 5,4,9,4,5,3,2,5 → n2=1 n3=1 n4=2 n5=3 n9=1; score = (1+0−2−6)/7 = −1
    assert s.counts.tolist() == [
        [2, 2, 1, 1, 0, 1, 1],
        [1, 1, 3, 2, 1, 0, 0],
        [0, 1, 1, 2, 3, 1, 0],
    ]
    assert s.total.tolist() == [8, 8, 8]
    assert s.base.tolist() == [7, 8, 8]
    assert s.n_valid.tolist() == [6, 8, 7]
    assert s.score.tolist() == pytest.approx([5 / 6, -1 / 8, -1.0], abs=1e-15)
    # top-2 box of A01 = (2+2)/7 = 57.142…%, bottom-2 = 1/7 = 14.285…%, net = 3/7 = 42.857…%
    assert s.top2_box[0] == pytest.approx(400 / 7)
    assert s.bottom2_box[0] == pytest.approx(100 / 7)
    assert s.net_score[0] == pytest.approx(300 / 7)
    # A02: top2 = 2/8 = 25 %, bottom2 = 3/8 = 37.5 %, net = −12.5
    assert (s.top2_box[1], s.bottom2_box[1], s.net_score[1]) == (25.0, 37.5, -12.5)
    # sample sd of A01: scores 2,1,1,0,2,−1 mean 5/6; Σ(x−m)² = Σx² − 6m² = 11 − 25/6 = 41/6
    # variance = (41/6)/5 = 41/30
    assert s.sd[0] == pytest.approx(math.sqrt(41 / 30))


def test_importance_and_box_base_valid(survey: SurveyResponses) -> None:
    i = summarize_scale(survey.importance)
    # A01 importance: 1,1,2,1,2,(empty),3,1 → n1=4 n2=2 n3=1: (8+2)/7 = 10/7
    # A02: 2,3,3,4,2,5,3,4 → (2+0−2−2)/8 = −1/4;  A03: 1,2,1,2,1,2,1,9 → (8+3)/7 = 11/7
    assert i.score.tolist() == pytest.approx([10 / 7, -1 / 4, 11 / 7], abs=1e-15)
    s = summarize_scale(survey.satisfaction, box_base="valid")
    # with "valid" the わからない answer leaves the denominator: A01 top2 = 4/6
    assert s.box_base.tolist() == [6, 8, 7]
    assert s.top2_box[0] == pytest.approx(400 / 6)


def test_margin_of_error() -> None:
    # 1.96·√(0.5·0.5/400) = 1.96·0.025 = 0.049
    assert float(margin_of_error(0.5, 400)) == pytest.approx(0.049)
    # with N = 1000: × √((1000−400)/999) = × 0.774984… → 0.0379742
    assert float(margin_of_error(0.5, 400, 1000)) == pytest.approx(0.049 * math.sqrt(600 / 999))
    assert float(margin_of_error(0.5, 1000, 1000)) == 0.0  # a census has no sampling error
    assert math.isnan(float(margin_of_error(0.5, 0)))
    with pytest.raises(ValueError):
        margin_of_error(0.5, 10, 5)


def test_tabulation_of_a_scale_item(survey: SurveyResponses) -> None:
    tab = tabulate_scale(["A01"], survey.satisfaction[:, :1])[0]
    assert (tab.total, tab.no_answer, tab.base) == (8, 1, 7)
    # percentages of the base 7: 2/7 = 28.571…, 1/7 = 14.285…; margins 1.96·√(p(1−p)/7)
    assert [(o.code, o.label, o.n, round_half_up(o.percent or 0)) for o in tab.options] == [
        (1, "満足", 2, 28.6),
        (2, "やや満足", 2, 28.6),
        (3, "どちらともいえない", 1, 14.3),
        (4, "やや不満", 1, 14.3),
        (5, "不満", 0, 0.0),
        (9, "わからない", 1, 14.3),
    ]
    assert tab.options[0].margin == pytest.approx(100 * 1.96 * math.sqrt((2 / 7) * (5 / 7) / 7))
    assert tab.percent_total == pytest.approx(100.0)
    imp = tabulate_scale(["A01"], survey.importance[:, :1], labels=IMPORTANCE_LABELS)[0]
    assert [o.label for o in imp.options][:2] == ["重要", "やや重要"]


def test_tabulation_of_choice_questions(survey: SurveyResponses) -> None:
    q1, q2, _ = survey.questions
    assert isinstance(q1, ChoiceQuestion) and isinstance(q2, ChoiceQuestion)
    # Q1 (single): 1,2,1,2,1,3,(empty),1 → n = 4, 2, 1 of base 7
    # margin of option 1 with N = 100: 1.96·√((4/7)(3/7)/7)·√(93/99) = 0.366607·0.969223
    t1 = tabulate_choice(q1, population=100)
    assert (t1.total, t1.no_answer, t1.base) == (8, 1, 7)
    assert t1.options[0] == OptionCount(
        1,
        "住み続けたい",
        4,
        pytest.approx(400 / 7),  # type: ignore[arg-type]
        pytest.approx(100 * 1.96 * math.sqrt(12 / 343) * math.sqrt(93 / 99)),  # type: ignore[arg-type]
    )
    assert [o.n for o in t1.options] == [4, 2, 1]
    assert t1.percent_total == pytest.approx(100.0)
    # Q2 (multiple): 1;2 | 2 | 1;3 | (empty) | 3 | 1 | 2;3 | 1 → n1 = 4, n2 = 3, n3 = 3, base 7
    # the percentages add up to 10/7 = 142.857… % (over 100 % for multiple answers)
    t2 = tabulate_choice(q2)
    assert (t2.kind, t2.base, t2.no_answer) == ("multiple", 7, 1)
    assert [o.n for o in t2.options] == [4, 3, 3]
    assert [round_half_up(o.percent or 0) for o in t2.options] == [57.1, 42.9, 42.9]
    assert t2.percent_total == pytest.approx(1000 / 7)
    assert round_half_up(t2.percent_total or 0) == 142.9


def test_crosstab_with_suppression_by_district(survey: SurveyResponses) -> None:
    # S:A01 by district (北 = R01 R02 R05 R08, 南 = R03 R04 R06, 無回答 = R07), threshold 2
    # 北: codes 1,2,1,(empty) → base 3, n1 = 2, n2 = 1; score (2+1+2)/3 = 5/3
    # 南: codes 2,3,4 → base 3, n2 = n3 = n4 = 1; score 0
    # 無回答: code 9 → base 1
    # primary: 無回答 base 1 < 2 → whole row; cells with n = 1: 北 n2, 南 n2 n3 n4
    # secondary (row): 北 has one hidden cell → also hide its smallest shown positive: n1
    # secondary (column): code 9 and code 5 have only 無回答 hidden but no other positive
    #   cell; the base column has only 無回答 hidden → hide the smallest other base:
    #   北 (3, first of the tie) → whole row 北
    (table,) = crosstab_scale(
        ["S:A01"], survey.satisfaction[:, :1], survey.attribute("district"), threshold=2
    )
    north, south, none = table.rows
    assert (north.category, south.category, none.category) == ("北", "南", "")
    assert (north.suppressed, south.suppressed, none.suppressed) == (True, False, True)
    assert [c.suppressed for c in south.cells] == [False, True, True, True, False, False]
    assert [c.n for c in south.cells] == [0, 1, 1, 1, 0, 0]
    assert (north.base, north.score) == (3, pytest.approx(5 / 3))
    assert (south.base, south.score) == (3, 0.0)
    assert (none.base, none.n_valid, none.score) == (1, 0, None)
    assert south.cells[1].percent == pytest.approx(100 / 3)
    # with threshold 1 nothing is withheld
    (open_table,) = crosstab_scale(
        ["S:A01"], survey.satisfaction[:, :1], survey.attribute("district"), threshold=1
    )
    assert not any(r.suppressed or any(c.suppressed for c in r.cells) for r in open_table.rows)


def test_crosstab_of_a_multiple_choice_question(survey: SurveyResponses) -> None:
    q2 = survey.questions[1]
    assert isinstance(q2, ChoiceQuestion)
    table = crosstab_choice(q2, survey.attribute("gender"), threshold=1)
    # 男性 R01 R04 R06: 1;2 | (empty) | 1 → base 2: n = 2, 1, 0
    # 女性 R02 R03 R05 R07 R08: 2 | 1;3 | 3 | 2;3 | 1 → base 5: n = 2, 2, 3
    # その他: nobody (a designed category with no respondent is still shown)
    male, female, other = table.rows
    assert (male.total, male.base, [c.n for c in male.cells]) == (3, 2, [2, 1, 0])
    assert (female.total, female.base, [c.n for c in female.cells]) == (5, 5, [2, 2, 3])
    assert (other.category, other.total, other.base) == ("その他", 0, 0)
    assert other.cells[0].percent is None


def test_suppression_masks_secondary_rules() -> None:
    # threshold 10; table rows = groups, columns = options, bases = row sums
    #   g0: 12  3 15 (base 30) → 3 is primary; row g0 then has one hidden cell → hide 12
    #   g1: 20 25 30 (base 75) → columns 0 and 1 have one hidden cell each → hide g1's 20, 25
    cells = np.array([[[12, 3, 15], [20, 25, 30]]], dtype=np.int64)
    bases = np.array([[30, 75]], dtype=np.int64)
    cell_mask, row_mask = suppression_masks(cells, bases, 10)
    assert cell_mask.tolist() == [[[True, True, False], [True, True, False]]]
    assert row_mask.tolist() == [[False, False]]
    # nothing below the threshold → nothing hidden; zeros are never hidden
    cell_mask, row_mask = suppression_masks(
        np.array([[[10, 0], [11, 12]]], dtype=np.int64), np.array([[10, 23]], dtype=np.int64), 10
    )
    assert not cell_mask.any() and not row_mask.any()
    # a small group (base 4 < 10) and a single large group: the base column would reveal
    # the small group by subtraction → the other group is withheld too
    cell_mask, row_mask = suppression_masks(
        np.array([[[4, 0], [50, 40]]], dtype=np.int64), np.array([[4, 90]], dtype=np.int64), 10
    )
    assert row_mask.tolist() == [[True, True]]


def test_welch_and_two_proportion_tests_by_hand() -> None:
    # previous codes 1,1,2,3 → scores 2,2,1,0: mean 5/4, sample variance (Σx² − n·m²)/(n−1)
    #   = (9 − 25/4)/3 = 11/12;  current codes 2,3,3,4 → 1,0,0,−1: mean 0, variance 2/3
    # se² = (11/12)/4 + (2/3)/4 = 11/48 + 8/48 = 19/48;  t = (0 − 5/4)/√(19/48)
    # df = (19/48)² / ((11/48)²/3 + (8/48)²/3) = 361·3/(121 + 64) = 1083/185
    prev = summarize_scale(np.array([[1], [1], [2], [3]], dtype=np.int8))
    curr = summarize_scale(np.array([[2], [3], [3], [4]], dtype=np.int8))
    (c,) = compare_scales(["A01"], prev, curr)
    assert c.score_difference == pytest.approx(-1.25)
    assert c.t_statistic == pytest.approx(-1.25 / math.sqrt(19 / 48))
    assert c.degrees_of_freedom == pytest.approx(1083 / 185)
    reference = stats.ttest_ind([2, 2, 1, 0], [1, 0, 0, -1], equal_var=False)
    assert c.score_p_value == pytest.approx(float(reference.pvalue))
    assert c.score_significant is False
    # top-2: previous 3/4, current 1/4; pooled 4/8 = 1/2; se = √(1/4·(1/4 + 1/4)) = √(1/8)
    # z = (1/4 − 3/4)/√(1/8) = −√2; p = 2·Φ(−√2) = 0.157299…
    assert c.top2_difference == pytest.approx(-50.0)
    assert c.z_statistic == pytest.approx(-math.sqrt(2))
    assert c.top2_p_value == pytest.approx(0.1572992)
    assert c.top2_significant is False


def test_two_proportion_test_significant_and_undefined_cases() -> None:
    # 200/400 → 240/400: pooled 0.55; se = √(0.55·0.45·(2/400)) = √0.0012375; z = 0.1/se
    z, p = two_proportion_z_test(np.array([200]), np.array([400]), np.array([240]), np.array([400]))
    assert float(z[0]) == pytest.approx(0.1 / math.sqrt(0.0012375))  # 2.842676…
    assert float(p[0]) == pytest.approx(2 * stats.norm.sf(0.1 / math.sqrt(0.0012375)))
    assert float(p[0]) < 0.05
    counts = np.array([[400, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 8]], dtype=np.int64)
    prev = summarize_counts(counts)
    curr = summarize_counts(counts)
    first, empty = compare_scales(["A", "B"], prev, curr)
    # identical constant answers: standard errors are 0 → tests undefined, not significant
    assert (first.t_statistic, first.score_p_value, first.score_significant) == (None, None, False)
    assert (first.z_statistic, first.top2_p_value, first.top2_significant) == (None, None, False)
    assert first.score_difference == 0.0
    # no answers at all: scores undefined
    assert (empty.previous_score, empty.score_difference, empty.top2_difference) == (
        None,
        None,
        None,
    )
    t, df, p_t = welch_t_test(
        np.array([1.0]),
        np.array([1.0]),
        np.array([1]),
        np.array([0.0]),
        np.array([1.0]),
        np.array([5]),
    )
    assert math.isnan(float(t[0])) and math.isnan(float(p_t[0]))
