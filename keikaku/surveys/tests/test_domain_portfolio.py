"""Golden tests of the importance × satisfaction portfolio of the sample survey."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from keikaku.surveys.domain.design import parse_design, parse_measures
from keikaku.surveys.domain.portfolio import (
    Quadrant,
    QuadrantLabels,
    build_portfolio,
    classify_quadrants,
    derived_importance,
    deviation_scores,
)
from keikaku.surveys.domain.problems import SurveyInputError
from keikaku.surveys.domain.report import AnalysisOptions, analysis_to_dict, analyze
from keikaku.surveys.domain.responses import SurveyResponses, parse_responses

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "formats" / "samples" / "survey"


@pytest.fixture(scope="module")
def survey() -> SurveyResponses:
    design = parse_design((SAMPLES / "design.json").read_bytes()).unwrap()
    measures = parse_measures((SAMPLES / "measures.csv").read_bytes()).unwrap()
    return parse_responses((SAMPLES / "responses.csv").read_bytes(), measures, design).unwrap()


# Satisfaction scores (see test_domain_statistics): 5/6, −1/8, −1.
#   mean = (5/6 − 1/8 − 1)/3 = (20 − 3 − 24)/72 = −7/72
#   deviations ×72: 60+7 = 67, −9+7 = −2, −72+7 = −65
#   population variance = (67² + 2² + 65²)/(72²·3) = 8718/15552 → sd = √2906/72
#   z = 67/√2906, −2/√2906, −65/√2906 = 1.242873, −0.037101, −1.205773
# Importance scores: 10/7, −1/4, 11/7.
#   mean = (10/7 + 11/7 − 1/4)/3 = (3 − 1/4)/3 = 11/12
#   deviations ×84: 120−77 = 43, −21−77 = −98, 132−77 = 55
#   population variance = (43² + 98² + 55²)/(84²·3) = 14478/21168 → sd = √4826/84
#   z = 43/√4826, −98/√4826, 55/√4826 = 0.618977, −1.410691, 0.791716
SQ_S = math.sqrt(2906)
SQ_I = math.sqrt(4826)
Z_S = [67 / SQ_S, -2 / SQ_S, -65 / SQ_S]
Z_I = [43 / SQ_I, -98 / SQ_I, 55 / SQ_I]


def test_t_scores_quadrants_and_improvement_need(survey: SurveyResponses) -> None:
    analysis = analyze(survey)
    p = analysis.portfolio
    assert p.satisfaction_mean == pytest.approx(-7 / 72)
    assert p.satisfaction_sd == pytest.approx(SQ_S / 72)
    assert p.importance_mean == pytest.approx(11 / 12)
    assert p.importance_sd == pytest.approx(SQ_I / 84)
    a01, a02, a03 = p.items
    # T = 50 + 10·z: satisfaction 62.4287, 49.6290, 37.9423; importance 56.1898, 35.8931, 57.9172
    assert [i.satisfaction_t for i in p.items] == pytest.approx([50 + 10 * z for z in Z_S])
    assert [i.importance_t for i in p.items] == pytest.approx([50 + 10 * z for z in Z_I])
    assert a01.satisfaction_t == pytest.approx(62.42874, abs=1e-5)
    # A01 importance high, satisfaction high → 重点維持分野
    # A02 importance low, satisfaction low (z = −0.037) → 改善分野
    # A03 importance high, satisfaction low → 重点改善分野
    assert [i.quadrant for i in p.items] == [
        Quadrant.PRIORITY_MAINTENANCE,
        Quadrant.IMPROVEMENT,
        Quadrant.PRIORITY_IMPROVEMENT,
    ]
    assert [i.quadrant_label for i in p.items] == ["重点維持分野", "改善分野", "重点改善分野"]
    # 改善要望度 = z(importance) − z(satisfaction): −0.623896, −1.373590, 1.997489
    assert [i.improvement_need for i in p.items] == pytest.approx(
        [zi - zs for zi, zs in zip(Z_I, Z_S, strict=True)]
    )
    assert a03.improvement_need == pytest.approx(1.997489, abs=1e-6)
    assert a02.importance_score == pytest.approx(-0.25)


def test_derived_importance_by_hand(survey: SurveyResponses) -> None:
    assert survey.overall is not None
    r = derived_importance(survey.satisfaction, survey.overall)
    # A01: pairs R01–R06 (R07 answered 9, R08 empty): satisfaction codes 1,2,2,3,1,4 equal
    #      the overall codes 1,2,2,3,1,4 → r = 1
    # A02: all 8 pairs; x = 0,−1,0,−2,1,0,2,−1; y = 2,1,1,0,2,−1,1,−2
    #      Σx = −1, Σy = 4, Σx² = 11, Σy² = 16, Σxy = 5
    #      r = (8·5 − (−1)(4)) / √((8·11 − 1)(8·16 − 16)) = 44/√(87·112) = 0.445742
    # A03: R03 answered 9 → 7 pairs; x = −2,−1,−1,−2,0,1,−2; y = 2,1,0,2,−1,1,−2
    #      Σx = −7, Σy = 3, Σx² = 15, Σy² = 15, Σxy = −4
    #      r = (7·(−4) − (−7)(3)) / √((105 − 49)(105 − 9)) = −7/√5376 = −0.095470
    assert r.tolist() == pytest.approx([1.0, 44 / math.sqrt(87 * 112), -7 / math.sqrt(5376)])


def test_derived_importance_undefined_cases() -> None:
    sat = np.array([[1, 3, 1], [2, 3, 0], [3, 3, 0]], dtype=np.int8)
    overall = np.array([1, 2, 4], dtype=np.int8)
    r = derived_importance(sat, overall)
    # column 0: all three pairs
    # x = 2,1,0; y = 2,1,−1: Σx=3 Σy=2 Σx²=5 Σy²=6 Σxy=5 → (15−6)/√((15−9)(18−4)) = 9/√84
    assert float(r[0]) == pytest.approx(9 / math.sqrt(84))
    # column 1 is constant → undefined; column 2 has one pair → undefined
    assert math.isnan(float(r[1])) and math.isnan(float(r[2]))


def test_all_four_quadrants_and_custom_labels() -> None:
    labels = QuadrantLabels("優先的課題領域", "課題領域", "強み維持領域", "現状維持領域")
    p = build_portfolio(
        ("a", "b", "c", "d", "e"),
        importance_scores=np.array([1.0, -1.0, 1.0, -1.0, np.nan]),
        satisfaction_scores=np.array([-1.0, -1.0, 1.0, 1.0, 0.5]),
        labels=labels,
    )
    assert [i.quadrant for i in p.items] == [
        Quadrant.PRIORITY_IMPROVEMENT,
        Quadrant.IMPROVEMENT,
        Quadrant.PRIORITY_MAINTENANCE,
        Quadrant.MAINTENANCE,
        None,
    ]
    assert [i.quadrant_label for i in p.items] == [
        "優先的課題領域",
        "課題領域",
        "強み維持領域",
        "現状維持領域",
        None,
    ]
    # importance is undefined for "e": it is left out of that axis's mean and sd, but its
    # satisfaction still counts: satisfaction mean = (−1 −1 +1 +1 +0.5)/5 = 0.1
    assert p.importance_mean == 0.0 and p.importance_sd == 1.0
    assert p.satisfaction_mean == pytest.approx(0.1)
    assert p.items[4].importance_t is None and p.items[4].improvement_need is None
    assert p.items[4].satisfaction_t is not None


def test_at_the_mean_counts_as_high_and_zero_sd() -> None:
    # importance z = 0 for "b" (exactly at the mean) → high
    assert classify_quadrants(np.array([-1.0, 0.0, 1.0]), np.array([-1.0, -1.0, 0.0])) == [
        Quadrant.IMPROVEMENT,
        Quadrant.PRIORITY_IMPROVEMENT,
        Quadrant.PRIORITY_MAINTENANCE,
    ]
    d = deviation_scores(np.array([0.4, 0.4, 0.4]))
    assert d.t.tolist() == [50.0, 50.0, 50.0] and d.z.tolist() == [0.0, 0.0, 0.0]
    assert d.sd == 0.0
    empty = deviation_scores(np.array([np.nan]))
    assert empty.mean is None and math.isnan(float(empty.t[0]))


def test_analysis_document_fields(survey: SurveyResponses) -> None:
    doc = analysis_to_dict(analyze(survey))
    a01 = doc["measures"]["A01"]  # type: ignore[index, call-overload]
    assert a01["n_satisfaction"] == 6 and a01["n_importance"] == 7
    assert a01["quadrant"] == "重点維持分野"
    assert a01["derived_importance"] == 1.0
    # rendered percentages: 0.1 steps, half up
    assert a01["satisfaction"]["top2_box"] == 57.1
    assert a01["satisfaction"]["net_score"] == 42.9
    assert list(doc["questions"]) == ["overall", "Q1", "Q2", "Q3"]  # type: ignore[arg-type]
    q3 = doc["questions"]["Q3"]  # type: ignore[index, call-overload]
    assert (q3["type"], q3["base"], q3["no_answer"], q3["options"]) == ("text", 2, 6, [])


def test_analysis_option_problems(survey: SurveyResponses) -> None:
    with pytest.raises(SurveyInputError) as excinfo:
        analyze(survey, options=AnalysisOptions(crosstab_by=("ward",), suppression_threshold=0))
    assert [str(p) for p in excinfo.value.problems] == [
        "options「suppression_threshold」: 秘匿の基準人数は1以上にしてください。",
        "options「crosstab_by」: 属性「ward」は回答ファイルにありません（ある属性: gender、age_band、district）。",
    ]
