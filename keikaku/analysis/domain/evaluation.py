"""Quality measures of the analysis against a labelled set (used by tests and benchmarks).

- assignment: top-1 and top-3 accuracy and mean reciprocal rank (MRR) of the true measure in
  the measures the analysis lists for an opinion (best first, at most 3; a true measure not in
  the list counts 0), over opinions that have a true measure; and precision/recall of 該当なし
  (opinions labelled with no measure);
- campaigns: precision and recall of the opinions flagged as campaign;
- clustering: adjusted Rand index (ARI) and normalised mutual information (NMI) between
  predicted groups and the true measures (opinions without one form their own class).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

__all__ = [
    "AssignmentQuality",
    "assignment_quality",
    "clustering_quality",
    "precision_recall",
]


@dataclass(frozen=True)
class AssignmentQuality:
    top1: float
    top3: float
    mrr: float
    none_precision: float
    none_recall: float
    labelled: int


def assignment_quality(
    predicted: Sequence[Sequence[str]], truth: Sequence[str | None]
) -> AssignmentQuality:
    """``predicted[i]``: measure codes listed for opinion i, best first."""
    top1 = top3 = 0
    rr = 0.0
    labelled = 0
    none_pred = none_true = none_both = 0
    for codes, true in zip(predicted, truth, strict=True):
        if not codes:
            none_pred += 1
        if true is None:
            none_true += 1
            if not codes:
                none_both += 1
            continue
        labelled += 1
        if true in codes:
            rank = list(codes).index(true) + 1
            rr += 1.0 / rank
            top1 += rank == 1
            top3 += rank <= 3
    return AssignmentQuality(
        top1=top1 / labelled if labelled else 0.0,
        top3=top3 / labelled if labelled else 0.0,
        mrr=rr / labelled if labelled else 0.0,
        none_precision=none_both / none_pred if none_pred else 0.0,
        none_recall=none_both / none_true if none_true else 0.0,
        labelled=labelled,
    )


def precision_recall(predicted: Sequence[bool], truth: Sequence[bool]) -> tuple[float, float]:
    tp = sum(1 for p, t in zip(predicted, truth, strict=True) if p and t)
    pp = sum(1 for p in predicted if p)
    tt = sum(1 for t in truth if t)
    return (tp / pp if pp else 0.0, tp / tt if tt else 0.0)


def clustering_quality(
    predicted: Sequence[str | None], truth: Sequence[str | None]
) -> tuple[float, float]:
    """(ARI, NMI); None labels are a class of their own on either side."""
    p = ["\0none" if x is None else x for x in predicted]
    t = ["\0none" if x is None else x for x in truth]
    return float(adjusted_rand_score(t, p)), float(normalized_mutual_info_score(t, p))
