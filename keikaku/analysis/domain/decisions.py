"""Staff decisions laid over an analysis result: pure, order-independent, no Django.

Staff decisions are stored apart from the runs (keyed by opinion ids) and applied to every
run, earlier or later:

- **assignment** (施策の確定・変更): an opinion's measure is fixed by staff. The engine receives
  the decisions of the opinions it analyses as ``confirmations`` (they keep their measure and
  teach the measure's profile); decisions on opinions outside a run become example opinions
  of their measure (:func:`examples_by_measure`).
- **groups** (重複・組織的な意見の統合と分割): an opinion is *split* out of the group the engine
  put it in, or *merged* with another opinion (the anchor) and so with the anchor's group.
  :func:`apply_group_decisions` starts from the engine's groups without the decided opinions,
  joins each merged opinion with its anchor (union–find, so the order of the decisions does
  not matter) and keeps the components of at least two opinions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from keikaku.analysis.domain.duplicates import UnionFind

__all__ = [
    "EffectiveGroup",
    "EngineGroup",
    "GroupDecision",
    "apply_group_decisions",
    "examples_by_measure",
    "voice_count",
    "voice_keys",
]

Action = Literal["merge", "split"]


@dataclass(frozen=True)
class EngineGroup:
    """A duplicate group or campaign as the engine found it."""

    id: str
    members: tuple[str, ...]
    representative: str


@dataclass(frozen=True)
class GroupDecision:
    """``merge``: the opinion belongs with ``anchor_id``; ``split``: it stands alone."""

    opinion_id: str
    action: Action
    anchor_id: str = ""


@dataclass(frozen=True)
class EffectiveGroup:
    id: str  # the engine's id when the group grew out of an engine group, else ``<prefix>-s<n>``
    members: tuple[str, ...]  # in input order
    representative: str
    changed: bool  # differs from the engine's group of the same id (or has no such group)
    staff_members: tuple[str, ...] = ()  # members placed here by a staff merge


def apply_group_decisions(
    order: Sequence[str],
    groups: Sequence[EngineGroup],
    decisions: Iterable[GroupDecision],
    *,
    prefix: str,
) -> tuple[EffectiveGroup, ...]:
    """The groups after the staff decisions, ordered by their first member.

    ``order`` is every opinion id of the run in input order; decisions and group members
    outside it are ignored (an opinion merged with an anchor that is not in the run stands
    alone)."""
    position = {oid: i for i, oid in enumerate(order)}
    decided: dict[str, GroupDecision] = {}
    for d in decisions:
        if d.opinion_id in position:
            decided[d.opinion_id] = d
    uf = UnionFind(len(order))
    engine_of: dict[int, EngineGroup] = {}
    for g in groups:
        kept = [position[m] for m in g.members if m in position and m not in decided]
        for p in kept:
            engine_of[p] = g
        for p in kept[1:]:
            uf.union(kept[0], p)
    merged: set[str] = set()
    for d in decided.values():
        if d.action == "merge" and d.anchor_id in position and d.anchor_id != d.opinion_id:
            uf.union(position[d.opinion_id], position[d.anchor_id])
            merged.add(d.opinion_id)
    components: dict[int, list[int]] = {}
    for p in range(len(order)):
        components.setdefault(uf.find(p), []).append(p)
    engine_members = {g.id: {m for m in g.members if m in position} for g in groups}
    out: list[EffectiveGroup] = []
    staff_number = 0
    for rows in sorted((r for r in components.values() if len(r) >= 2), key=lambda r: r[0]):
        members = tuple(order[p] for p in rows)
        sources = [engine_of[p] for p in rows if p in engine_of]
        if sources:
            origin = min(sources, key=lambda g: position.get(g.members[0], len(order)))
            gid = origin.id
            representative = (
                origin.representative if origin.representative in members else members[0]
            )
            changed = set(members) != engine_members[origin.id]
        else:
            staff_number += 1
            gid = f"{prefix}-s{staff_number:03d}"
            representative = members[0]
            changed = True
        out.append(
            EffectiveGroup(
                id=gid,
                members=members,
                representative=representative,
                changed=changed,
                staff_members=tuple(m for m in members if m in merged),
            )
        )
    return tuple(out)


def voice_keys(order: Sequence[str], *group_sets: Sequence[EffectiveGroup]) -> dict[str, str]:
    """Each opinion's voice: the first opinion (in input order) of everything it is grouped
    with, through duplicate groups and campaigns alike."""
    position = {oid: i for i, oid in enumerate(order)}
    uf = UnionFind(len(order))
    for groups in group_sets:
        for g in groups:
            rows = [position[m] for m in g.members if m in position]
            for p in rows[1:]:
                uf.union(rows[0], p)
    return {oid: order[uf.find(i)] for i, oid in enumerate(order)}


def voice_count(ids: Iterable[str], voices: Mapping[str, str]) -> int:
    """Voices among ``ids`` (each duplicate group or campaign counted once)."""
    return len({voices.get(oid, oid) for oid in ids})


def examples_by_measure(
    decisions: Iterable[tuple[str, str, str]],
    exclude: Iterable[str],
    *,
    limit: int,
) -> dict[str, tuple[str, ...]]:
    """Texts of staff-confirmed opinions per measure code, from ``(opinion id, code, text)``
    in the order given (newest first is the caller's choice), leaving out the opinions in
    ``exclude`` (those are confirmations of the run itself) and empty texts, at most
    ``limit`` per measure."""
    skip = set(exclude)
    out: dict[str, list[str]] = {}
    for oid, code, text in decisions:
        if oid in skip or not text.strip():
            continue
        texts = out.setdefault(code, [])
        if len(texts) < limit:
            texts.append(text)
    return {code: tuple(texts) for code, texts in out.items()}
