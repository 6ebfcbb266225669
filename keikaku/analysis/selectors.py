"""Reads of the opinion analysis, with the staff decisions laid over each run's result.

The *effective* measure of an opinion is the one staff decided (AssignmentDecision) if any,
else the engine's best measure ("" = 該当なし). Effective groups are the engine's duplicate
groups and campaigns after the staff merges and splits (domain.decisions).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from keikaku.analysis.domain.decisions import (
    EffectiveGroup,
    EngineGroup,
    apply_group_decisions,
    voice_count,
    voice_keys,
)
from keikaku.analysis.domain.decisions import (
    GroupDecision as GroupDecisionInput,
)
from keikaku.analysis.models import AnalysedOpinion, AnalysisRun, AssignmentDecision, GroupDecision
from keikaku.plans.models import Measure

NONE_CODE = "none"  # in URLs: the 該当なし opinions


def run_list() -> QuerySet[AnalysisRun]:
    return AnalysisRun.objects.select_related("edition").defer("result", "config")


def run_get(*, pk: int) -> AnalysisRun | None:
    return AnalysisRun.objects.select_related("edition").filter(pk=pk).first()


def _decisions(run: AnalysisRun) -> QuerySet[AssignmentDecision]:
    return AssignmentDecision.objects.filter(
        edition_id=run.edition_id, namespace=run.namespace, opinion_id=OuterRef("opinion_id")
    )


def run_opinions(run: AnalysisRun) -> QuerySet[AnalysedOpinion]:
    """The run's opinions with ``decided_code``, ``decision_kind`` and ``effective``."""
    decided = _decisions(run)
    return (
        run.opinions.annotate(
            decided_code=Subquery(decided.values("measure__code")[:1]),
            decision_kind=Subquery(decided.values("kind")[:1]),
            decided_by_name=Subquery(decided.values("decided_by_name")[:1]),
        )
        .annotate(effective=Coalesce("decided_code", "measure_code", Value("")))
        .order_by("position")
    )


def measure_opinions(
    run: AnalysisRun, code: str, *, undecided_only: bool = False
) -> QuerySet[AnalysedOpinion]:
    """Opinions whose effective measure is ``code`` (NONE_CODE: 該当なし)."""
    qs = run_opinions(run).filter(effective="" if code == NONE_CODE else code)  # type: ignore[misc]
    if undecided_only:
        qs = qs.filter(decided_code__isnull=True)  # type: ignore[misc]
    return qs


def edition_measures(run: AnalysisRun) -> list[Measure]:
    return list(
        Measure.objects.filter(area__edition_id=run.edition_id)
        .select_related("area")
        .order_by("area__number", "order", "code")
    )


@dataclass(frozen=True)
class MeasureRow:
    code: str  # "" = 該当なし
    title: str
    slug: str  # in URLs
    opinions: int
    voices: int
    decided: int
    engine: int  # opinions whose engine best measure is this one


def engine_groups(run: AnalysisRun, kind: str) -> list[EngineGroup]:
    key = "duplicate_groups" if kind == GroupDecision.GroupKind.DUPLICATE else "campaigns"
    return [
        EngineGroup(g["id"], tuple(g["members"]), g["representative"])
        for g in (run.result or {}).get(key, [])
    ]


def effective_groups(
    run: AnalysisRun, order: list[str] | None = None
) -> dict[str, tuple[EffectiveGroup, ...]]:
    """Duplicate groups and campaigns of the run after the staff decisions, by kind."""
    order = order if order is not None else list(run.input_ids)
    decisions: dict[str, list[GroupDecisionInput]] = {}
    for d in GroupDecision.objects.filter(namespace=run.namespace).order_by("decided_at", "id"):
        decisions.setdefault(d.group_kind, []).append(
            GroupDecisionInput(d.opinion_id, d.action, d.anchor_id)  # type: ignore[arg-type]
        )
    out: dict[str, tuple[EffectiveGroup, ...]] = {}
    for kind, prefix in (
        (GroupDecision.GroupKind.DUPLICATE, "dup"),
        (GroupDecision.GroupKind.CAMPAIGN, "campaign"),
    ):
        out[kind] = apply_group_decisions(
            order, engine_groups(run, kind), decisions.get(kind, []), prefix=prefix
        )
    return out


def group_decisions(run: AnalysisRun, kind: str) -> list[GroupDecision]:
    """Staff group decisions of one kind on the run's opinions, oldest first."""
    ids = set(run.input_ids)
    return [
        d
        for d in GroupDecision.objects.filter(namespace=run.namespace, group_kind=kind).order_by(
            "decided_at", "id"
        )
        if d.opinion_id in ids
    ]


def voices_of(run: AnalysisRun) -> dict[str, str]:
    groups = effective_groups(run)
    return voice_keys(list(run.input_ids), *groups.values())


def measure_table(run: AnalysisRun) -> list[MeasureRow]:
    """One row per measure of the edition, then 該当なし: opinions (effective), voices,
    staff decisions and the engine's own count."""
    effective: dict[str, list[str]] = {}
    decided: Counter[str] = Counter()
    engine: Counter[str] = Counter()
    for oid, code, eff, decided_code in run_opinions(run).values_list(  # type: ignore[misc]
        "opinion_id", "measure_code", "effective", "decided_code"
    ):
        effective.setdefault(eff, []).append(oid)
        engine[code] += 1
        if decided_code is not None:
            decided[eff] += 1
    voices = voices_of(run)
    rows = [
        MeasureRow(
            m.code,
            m.title,
            m.code,
            len(effective.get(m.code, [])),
            voice_count(effective.get(m.code, []), voices),
            decided[m.code],
            engine[m.code],
        )
        for m in edition_measures(run)
    ]
    rows.append(
        MeasureRow(
            "",
            "",
            NONE_CODE,
            len(effective.get("", [])),
            voice_count(effective.get("", []), voices),
            decided[""],
            engine[""],
        )
    )
    return rows


def texts_by_id(run: AnalysisRun, ids: list[str]) -> dict[str, AnalysedOpinion]:
    out: dict[str, AnalysedOpinion] = {}
    chunk = 500
    for start in range(0, len(ids), chunk):
        for o in run.opinions.filter(opinion_id__in=ids[start : start + chunk]):
            out[o.opinion_id] = o
    return out


def cluster_labels(run: AnalysisRun) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in (run.result or {}).get("clusters", [])}
