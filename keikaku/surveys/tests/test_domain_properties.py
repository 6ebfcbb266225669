"""Property tests of the survey statistics (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from keikaku.core.domain.textio import write_csv_bytes
from keikaku.surveys.domain.design import Measure
from keikaku.surveys.domain.portfolio import build_portfolio, derived_importance
from keikaku.surveys.domain.responses import Attribute, parse_responses
from keikaku.surveys.domain.statistics import (
    crosstab_scale,
    scale_counts,
    summarize_scale,
    suppression_masks,
)

CODES = st.sampled_from([0, 1, 2, 3, 4, 5, 9])
FAST = settings(max_examples=60, deadline=None)


@st.composite
def matrices(draw: st.DrawFn, min_rows: int = 1) -> np.ndarray:
    n = draw(st.integers(min_rows, 30))
    k = draw(st.integers(1, 6))
    return draw(arrays(np.int8, (n, k), elements=CODES))


@FAST
@given(matrices())
def test_scores_are_within_the_scale(matrix: np.ndarray) -> None:
    s = summarize_scale(matrix)
    defined = ~np.isnan(s.score)
    assert np.all((s.score[defined] >= -2) & (s.score[defined] <= 2))
    assert np.array_equal(defined, s.n_valid > 0)
    assert np.array_equal(s.base, (matrix != 0).sum(axis=0))
    assert np.array_equal(s.n_valid, ((matrix >= 1) & (matrix <= 5)).sum(axis=0))
    box = ~np.isnan(s.top2_box)
    assert np.all((s.net_score[box] >= -100) & (s.net_score[box] <= 100))


@FAST
@given(matrices(min_rows=2), st.randoms(use_true_random=False))
def test_permuting_respondents_changes_nothing(matrix: np.ndarray, rnd: object) -> None:
    n = matrix.shape[0]
    order = np.array(rnd.sample(range(n), n))  # type: ignore[attr-defined]
    overall = matrix[:, 0].copy()
    groups = (np.arange(n) % 3).astype(np.int32)
    attribute = Attribute("g", ("a", "b", "c"), groups)
    moved = Attribute("g", ("a", "b", "c"), groups[order])
    codes = [str(j) for j in range(matrix.shape[1])]
    before = summarize_scale(matrix)
    after = summarize_scale(matrix[order])
    assert np.array_equal(before.counts, after.counts)
    assert np.array_equal(before.score, after.score, equal_nan=True)
    assert np.allclose(
        derived_importance(matrix, overall),
        derived_importance(matrix[order], overall[order]),
        equal_nan=True,
        rtol=0,
        atol=1e-12,
    )
    assert crosstab_scale(codes, matrix, attribute, threshold=3) == crosstab_scale(
        codes, matrix[order], moved, threshold=3
    )


@FAST
@given(matrices(), st.integers(1, 20))
def test_no_answer_respondents_do_not_change_base_or_scores(matrix: np.ndarray, extra: int) -> None:
    padded = np.vstack([matrix, np.zeros((extra, matrix.shape[1]), dtype=np.int8)])
    a, b = summarize_scale(matrix), summarize_scale(padded)
    assert np.array_equal(a.base, b.base)
    assert np.array_equal(b.total, a.total + extra)
    assert np.array_equal(b.no_answer, a.no_answer + extra)
    assert np.array_equal(a.score, b.score, equal_nan=True)
    assert np.array_equal(a.top2_box, b.top2_box, equal_nan=True)
    assert np.array_equal(a.sd, b.sd, equal_nan=True)


@FAST
@given(st.lists(st.integers(0, 40), min_size=2, max_size=12))
def test_t_scores_have_mean_50_and_sd_10(numerators: list[int]) -> None:
    # realistic scores: multiples of 1/20 in [−2, 2]
    scores = (np.array(numerators, dtype=np.float64) - 20) / 10
    imp = scores[::-1].copy()
    p = build_portfolio(
        tuple(str(i) for i in range(len(scores))),
        importance_scores=imp,
        satisfaction_scores=scores,
    )
    for values, raw in (
        ([i.satisfaction_t for i in p.items], scores),
        ([i.importance_t for i in p.items], imp),
    ):
        t = np.array(values, dtype=np.float64)
        if len(set(raw.tolist())) > 1:  # the measures differ, so sd > 0
            assert abs(t.mean() - 50) < 1e-9
            assert abs(t.std(ddof=0) - 10) < 1e-9
        else:
            assert np.all(t == 50)
    need = np.array([i.improvement_need for i in p.items], dtype=np.float64)
    # z(importance) − z(satisfaction) sums to zero across measures
    assert abs(need.sum()) < 1e-9


@FAST
@given(
    arrays(
        np.int64,
        st.tuples(st.integers(1, 3), st.integers(1, 5), st.integers(1, 5)),
        elements=st.integers(0, 30),
    ),
    st.integers(1, 15),
)
def test_suppression_leaves_no_value_recoverable_by_subtraction(
    cells: np.ndarray, threshold: int
) -> None:
    bases = cells.sum(axis=-1)
    cell_mask, row_mask = suppression_masks(cells, bases, threshold)
    options = cells.shape[-1]
    # every small cell and every small group is hidden
    assert np.all(cell_mask[(cells > 0) & (cells < threshold)])
    assert np.all(row_mask[(bases > 0) & (bases < threshold)])
    assert np.all(cell_mask[row_mask])
    # a shown row never has exactly one hidden cell unless that cell's row has no other
    # positive cell (then the whole row is hidden, so this cannot happen)
    hidden_per_row = cell_mask.sum(axis=-1)
    assert not np.any((hidden_per_row == 1) & ~row_mask & (options > 1))
    # a column with exactly one hidden group has no other positive shown value
    full = np.concatenate([cells, bases[..., None]], axis=-1)
    mask = np.concatenate([cell_mask, row_mask[..., None]], axis=-1)
    if cells.shape[1] > 1:
        single = mask.sum(axis=-2) == 1
        others_positive = ((full > 0) & ~mask).any(axis=-2)
        assert not np.any(single & others_positive)


@settings(max_examples=30, deadline=None)
@given(
    arrays(np.int8, st.tuples(st.integers(1, 12), st.just(2)), elements=CODES),
    st.booleans(),
    st.sampled_from(["utf-8-sig", "cp932"]),
)
def test_parse_round_trip(matrix: np.ndarray, full_width: bool, encoding: str) -> None:
    measures = (Measure("A01", "x"),)

    def cell(code: int) -> str:
        if code == 0:
            return ""
        return chr(ord("０") + code) if full_width else str(code)

    rows: list[list[object]] = [["respondent_id", "S:A01", "I:A01"]]
    rows += [[f"髙{i}", cell(int(s)), cell(int(imp))] for i, (s, imp) in enumerate(matrix)]
    data = write_csv_bytes(rows, encoding=encoding)
    r = parse_responses(data, measures).unwrap()
    assert np.array_equal(r.satisfaction[:, 0], matrix[:, 0])
    assert np.array_equal(r.importance[:, 0], matrix[:, 1])
    assert scale_counts(r.satisfaction).sum() == matrix.shape[0]
