"""What changed from one basic-plan edition to the next (前期 → 後期), by lineage.

Each item of the new edition may name its predecessor (``predecessor_id``); a measure may
also have absorbed other former measures (``merged_from``, 統合). From that:

- measures: 新設 (added), 廃止 (removed), 統合 (merged: two or more former measures → one),
  分割 (split: one former measure → two or more), 名称変更 (renamed) and 継続 (continued),
  with details (number changed, moved to another policy area);
- indicators (of measures and of priority strategies): 新設, 廃止, 変更 (with each changed
  field, before → after: name, unit, direction, baseline, target, their years, 累計,
  survey-based) and 継続;
- priority strategies (重点戦略) and programmes (事務事業): the same kinds as measures, from
  their lineage links (a node may name several predecessors: a merge).

Pure Python; the comparison view and its exports render :class:`EditionComparison`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from keikaku.core.domain.fiscal import format_fiscal_year
from keikaku.core.domain.i18n import _
from keikaku.core.domain.textio import normalize_for_match


class MeasureChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MERGED = "merged"
    SPLIT = "split"
    RENAMED = "renamed"
    CONTINUED = "continued"


class IndicatorChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    CONTINUED = "continued"


MEASURE_KIND_LABELS: dict[MeasureChangeKind, str] = {
    MeasureChangeKind.ADDED: "新設",
    MeasureChangeKind.REMOVED: "廃止",
    MeasureChangeKind.MERGED: "統合",
    MeasureChangeKind.SPLIT: "分割",
    MeasureChangeKind.RENAMED: "名称変更",
    MeasureChangeKind.CONTINUED: "継続",
}

INDICATOR_KIND_LABELS: dict[IndicatorChangeKind, str] = {
    IndicatorChangeKind.ADDED: "新設",
    IndicatorChangeKind.REMOVED: "廃止",
    IndicatorChangeKind.CHANGED: "変更",
    IndicatorChangeKind.CONTINUED: "継続",
}


@dataclass(frozen=True, slots=True)
class MeasureNode:
    id: int
    code: str
    title: str
    area_number: int
    area_title: str
    predecessor_id: int | None = None
    merged_from: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class LineageNode:
    """A priority strategy or a programme, with the former items it continues."""

    id: int
    code: str
    title: str
    predecessor_ids: tuple[int, ...] = ()
    parent: str = ""
    """Where it sits: a programme's measure code ("" for none, and for strategies)."""


@dataclass(frozen=True, slots=True)
class IndicatorNode:
    id: int
    code: str
    name: str
    unit: str
    direction: str
    baseline: float | None
    baseline_fy: int | None
    target: float | None
    target_fy: int | None
    measure_code: str
    """Its owner: the measure's code, or a priority strategy's 「重点戦略1」."""
    cumulative: bool = False
    survey_based: bool = False
    predecessor_id: int | None = None


@dataclass(frozen=True, slots=True)
class MeasureRef:
    code: str
    title: str
    area_number: int


@dataclass(frozen=True, slots=True)
class MeasureChange:
    kind: MeasureChangeKind
    former: tuple[MeasureRef, ...]
    latter: tuple[MeasureRef, ...]
    details: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return _(MEASURE_KIND_LABELS[self.kind])


@dataclass(frozen=True, slots=True)
class ItemRef:
    code: str
    title: str


@dataclass(frozen=True, slots=True)
class ItemChange:
    """A change of a priority strategy or a programme (the kinds of :class:`MeasureChange`)."""

    kind: MeasureChangeKind
    former: tuple[ItemRef, ...]
    latter: tuple[ItemRef, ...]
    details: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return _(MEASURE_KIND_LABELS[self.kind])


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class IndicatorChange:
    kind: IndicatorChangeKind
    former_code: str
    former_name: str
    former_measure: str
    latter_code: str
    latter_name: str
    latter_measure: str
    changes: tuple[FieldChange, ...] = ()

    @property
    def kind_label(self) -> str:
        return _(INDICATOR_KIND_LABELS[self.kind])

    def change(self, field: str) -> FieldChange | None:
        for item in self.changes:
            if item.field == field:
                return item
        return None


@dataclass(frozen=True, slots=True)
class EditionComparison:
    measures: tuple[MeasureChange, ...]
    indicators: tuple[IndicatorChange, ...]
    strategies: tuple[ItemChange, ...] = ()
    programmes: tuple[ItemChange, ...] = ()

    def strategy_counts(self) -> dict[MeasureChangeKind, int]:
        counts = dict.fromkeys(MeasureChangeKind, 0)
        for change in self.strategies:
            counts[change.kind] += 1
        return counts

    def programme_counts(self) -> dict[MeasureChangeKind, int]:
        counts = dict.fromkeys(MeasureChangeKind, 0)
        for change in self.programmes:
            counts[change.kind] += 1
        return counts

    def measure_counts(self) -> dict[MeasureChangeKind, int]:
        counts = dict.fromkeys(MeasureChangeKind, 0)
        for change in self.measures:
            counts[change.kind] += 1
        return counts

    def indicator_counts(self) -> dict[IndicatorChangeKind, int]:
        counts = dict.fromkeys(IndicatorChangeKind, 0)
        for change in self.indicators:
            counts[change.kind] += 1
        return counts

    def measures_of(self, kind: MeasureChangeKind) -> tuple[MeasureChange, ...]:
        return tuple(c for c in self.measures if c.kind is kind)

    def indicators_of(self, kind: IndicatorChangeKind) -> tuple[IndicatorChange, ...]:
        return tuple(c for c in self.indicators if c.kind is kind)


DIRECTION_LABELS = {
    "increase": "増加",
    "decrease": "減少",
    "maintain": "維持",
    "milestone": "達成・未達成",
}


def _ref(node: MeasureNode) -> MeasureRef:
    return MeasureRef(node.code, node.title, node.area_number)


def _same_text(a: str, b: str) -> bool:
    return normalize_for_match(a) == normalize_for_match(b)


def _continuation_details(old: MeasureNode, new: MeasureNode) -> tuple[str, ...]:
    details: list[str] = []
    if old.code != new.code:
        details.append(_("施策番号 %(old)s → %(new)s") % {"old": old.code, "new": new.code})
    if old.area_number != new.area_number:
        details.append(
            _("政策分野 %(old)d. %(old_t)s → %(new)d. %(new_t)s")
            % {
                "old": old.area_number,
                "old_t": old.area_title,
                "new": new.area_number,
                "new_t": new.area_title,
            }
        )
    if not _same_text(old.title, new.title):
        details.append(_("名称「%(old)s」→「%(new)s」") % {"old": old.title, "new": new.title})
    return tuple(details)


class _Node(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...


type Lineage[R] = tuple[MeasureChangeKind, tuple[R, ...], tuple[R, ...], tuple[str, ...]]


def _lineage_changes[N: _Node, R](
    former: Sequence[N],
    latter: Sequence[N],
    preds_of: Callable[[N], Sequence[int]],
    ref: Callable[[N], R],
    details: Callable[[N, N], tuple[str, ...]],
) -> list[Lineage[R]]:
    """Added / merged / split / renamed / continued (the latter items in order), then removed."""
    by_id = {m.id: m for m in former}
    preds: dict[int, list[int]] = {}
    succs: dict[int, list[int]] = {m.id: [] for m in former}
    for new in latter:
        ids: list[int] = []
        for i in preds_of(new):
            if i in by_id and i not in ids:
                ids.append(i)
        preds[new.id] = ids
        for i in ids:
            succs[i].append(new.id)
    latter_by_id = {m.id: m for m in latter}
    changes: list[Lineage[R]] = []
    reported_split: set[int] = set()
    for new in latter:
        ids = preds[new.id]
        if not ids:
            changes.append((MeasureChangeKind.ADDED, (), (ref(new),), ()))
            continue
        if len(ids) >= 2:
            olds = tuple(by_id[i] for i in ids)
            changes.append(
                (
                    MeasureChangeKind.MERGED,
                    tuple(ref(o) for o in olds),
                    (ref(new),),
                    (
                        _("%(olds)s を %(new)s に統合")
                        % {"olds": "・".join(o.code for o in olds), "new": new.code},
                    ),
                )
            )
            continue
        old = by_id[ids[0]]
        if len(succs[old.id]) >= 2:
            if old.id in reported_split:
                continue
            reported_split.add(old.id)
            news = tuple(latter_by_id[i] for i in succs[old.id])
            changes.append(
                (
                    MeasureChangeKind.SPLIT,
                    (ref(old),),
                    tuple(ref(n) for n in news),
                    (
                        _("%(old)s を %(news)s に分割")
                        % {"old": old.code, "news": "・".join(n.code for n in news)},
                    ),
                )
            )
            continue
        kind = (
            MeasureChangeKind.CONTINUED
            if _same_text(old.title, new.title)
            else MeasureChangeKind.RENAMED
        )
        changes.append((kind, (ref(old),), (ref(new),), details(old, new)))
    for old in former:
        if not succs[old.id]:
            changes.append((MeasureChangeKind.REMOVED, (ref(old),), (), ()))
    return changes


def _measure_preds(node: MeasureNode) -> list[int]:
    ids = [node.predecessor_id] if node.predecessor_id is not None else []
    return ids + list(node.merged_from)


def compare_measures(
    former: Sequence[MeasureNode], latter: Sequence[MeasureNode]
) -> tuple[MeasureChange, ...]:
    """Measure changes, in the order: the latter plan's items, then removed former items."""
    return tuple(
        MeasureChange(kind, olds, news, details)
        for kind, olds, news, details in _lineage_changes(
            former, latter, _measure_preds, _ref, _continuation_details
        )
    )


def _item_ref(node: LineageNode) -> ItemRef:
    return ItemRef(node.code, node.title)


def _item_details(parent_label: str) -> Callable[[LineageNode, LineageNode], tuple[str, ...]]:
    def details(old: LineageNode, new: LineageNode) -> tuple[str, ...]:
        out: list[str] = []
        if old.code != new.code:
            out.append(_("番号 %(old)s → %(new)s") % {"old": old.code, "new": new.code})
        if parent_label and old.parent != new.parent:
            out.append(
                _("%(label)s %(old)s → %(new)s")
                % {"label": parent_label, "old": old.parent or "—", "new": new.parent or "—"}
            )
        if not _same_text(old.title, new.title):
            out.append(_("名称「%(old)s」→「%(new)s」") % {"old": old.title, "new": new.title})
        return tuple(out)

    return details


def compare_items(
    former: Sequence[LineageNode], latter: Sequence[LineageNode], *, parent_label: str = ""
) -> tuple[ItemChange, ...]:
    """Changes of priority strategies or programmes (``parent_label``: what ``parent`` is,
    e.g. 「施策」 for programmes, so a move to another measure is listed)."""
    return tuple(
        ItemChange(kind, olds, news, details)
        for kind, olds, news, details in _lineage_changes(
            former,
            latter,
            lambda n: n.predecessor_ids,
            _item_ref,
            _item_details(parent_label),
        )
    )


def _fmt_number(value: float | None) -> str:
    if value is None:
        return "—"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def _fmt_fy(value: int | None) -> str:
    if value is None:
        return "—"
    return format_fiscal_year(value)


def _fmt_bool(value: bool) -> str:
    return _("はい") if value else _("いいえ")


def _field_changes(old: IndicatorNode, new: IndicatorNode) -> tuple[FieldChange, ...]:
    out: list[FieldChange] = []

    def add(field: str, label: str, before: str, after: str) -> None:
        if before != after:
            out.append(FieldChange(field, label, before, after))

    if not _same_text(old.name, new.name):
        out.append(FieldChange("name", _("指標名"), old.name, new.name))
    add("unit", _("単位"), old.unit, new.unit)
    add(
        "direction",
        _("方向"),
        _(DIRECTION_LABELS.get(old.direction, old.direction)),
        _(DIRECTION_LABELS.get(new.direction, new.direction)),
    )
    add("baseline", _("基準値"), _fmt_number(old.baseline), _fmt_number(new.baseline))
    add("baseline_fy", _("基準値の年度"), _fmt_fy(old.baseline_fy), _fmt_fy(new.baseline_fy))
    add("target", _("目標値"), _fmt_number(old.target), _fmt_number(new.target))
    add("target_fy", _("目標年度"), _fmt_fy(old.target_fy), _fmt_fy(new.target_fy))
    add("cumulative", _("累計"), _fmt_bool(old.cumulative), _fmt_bool(new.cumulative))
    add(
        "survey_based",
        _("市民意識調査による指標"),
        _fmt_bool(old.survey_based),
        _fmt_bool(new.survey_based),
    )
    return tuple(out)


def compare_indicators(
    former: Sequence[IndicatorNode], latter: Sequence[IndicatorNode]
) -> tuple[IndicatorChange, ...]:
    by_id = {i.id: i for i in former}
    used: set[int] = set()
    changes: list[IndicatorChange] = []
    for new in latter:
        old = by_id.get(new.predecessor_id) if new.predecessor_id is not None else None
        if old is None:
            changes.append(
                IndicatorChange(
                    IndicatorChangeKind.ADDED, "", "", "", new.code, new.name, new.measure_code
                )
            )
            continue
        used.add(old.id)
        fields = _field_changes(old, new)
        changes.append(
            IndicatorChange(
                IndicatorChangeKind.CHANGED if fields else IndicatorChangeKind.CONTINUED,
                old.code,
                old.name,
                old.measure_code,
                new.code,
                new.name,
                new.measure_code,
                fields,
            )
        )
    for old in former:
        if old.id not in used:
            changes.append(
                IndicatorChange(
                    IndicatorChangeKind.REMOVED, old.code, old.name, old.measure_code, "", "", ""
                )
            )
    return tuple(changes)


def compare_editions(
    former_measures: Sequence[MeasureNode],
    latter_measures: Sequence[MeasureNode],
    former_indicators: Sequence[IndicatorNode],
    latter_indicators: Sequence[IndicatorNode],
    former_strategies: Sequence[LineageNode] = (),
    latter_strategies: Sequence[LineageNode] = (),
    former_programmes: Sequence[LineageNode] = (),
    latter_programmes: Sequence[LineageNode] = (),
) -> EditionComparison:
    return EditionComparison(
        measures=compare_measures(former_measures, latter_measures),
        indicators=compare_indicators(former_indicators, latter_indicators),
        strategies=compare_items(former_strategies, latter_strategies),
        programmes=compare_items(former_programmes, latter_programmes, parent_label=_("施策")),
    )


def comparison_rows(
    comparison: EditionComparison,
) -> tuple[list[str], list[list[str]], list[str], list[list[str]]]:
    """Flat tables for exports: (measure header, measure rows, indicator header, indicator rows)."""
    m_header = [
        _("区分"),
        _("前期の施策番号"),
        _("前期の施策名"),
        _("後期の施策番号"),
        _("後期の施策名"),
        _("内容"),
    ]
    m_rows = [
        [
            c.kind_label,
            "・".join(r.code for r in c.former),
            "・".join(r.title for r in c.former),
            "・".join(r.code for r in c.latter),
            "・".join(r.title for r in c.latter),
            "／".join(c.details),
        ]
        for c in comparison.measures
    ]
    i_header = [
        _("区分"),
        _("前期の施策・重点戦略"),
        _("前期の指標番号"),
        _("前期の指標名"),
        _("後期の施策・重点戦略"),
        _("後期の指標番号"),
        _("後期の指標名"),
        _("変更した項目"),
        _("変更前"),
        _("変更後"),
    ]
    i_rows = [
        [
            c.kind_label,
            c.former_measure,
            c.former_code,
            c.former_name,
            c.latter_measure,
            c.latter_code,
            c.latter_name,
            "／".join(f.label for f in c.changes),
            "／".join(f"{f.label}: {f.before}" for f in c.changes),
            "／".join(f"{f.label}: {f.after}" for f in c.changes),
        ]
        for c in comparison.indicators
    ]
    return m_header, m_rows, i_header, i_rows


@dataclass(frozen=True, slots=True)
class ComparisonTable:
    """One table of the comparison export: a sheet of the workbook, a block of the CSV."""

    key: str
    title: str
    """The sheet's name and the CSV's 「対象」 column."""
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _item_rows(
    changes: Sequence[ItemChange], what: str
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    header = (
        _("区分"),
        _("前期の%(what)s番号") % {"what": what},
        _("前期の%(what)s名") % {"what": what},
        _("後期の%(what)s番号") % {"what": what},
        _("後期の%(what)s名") % {"what": what},
        _("内容"),
    )
    rows = tuple(
        (
            c.kind_label,
            "・".join(r.code for r in c.former),
            "・".join(r.title for r in c.former),
            "・".join(r.code for r in c.latter),
            "・".join(r.title for r in c.latter),
            "／".join(c.details),
        )
        for c in changes
    )
    return header, rows


def comparison_tables(comparison: EditionComparison) -> tuple[ComparisonTable, ...]:
    """Every table of the comparison: measures, priority strategies, programmes, indicators."""
    m_header, m_rows, i_header, i_rows = comparison_rows(comparison)
    s_header, s_rows = _item_rows(comparison.strategies, _("重点戦略"))
    p_header, p_rows = _item_rows(comparison.programmes, _("事業"))
    return (
        ComparisonTable("measures", _("施策"), tuple(m_header), tuple(tuple(r) for r in m_rows)),
        ComparisonTable("strategies", _("重点戦略"), s_header, s_rows),
        ComparisonTable("programmes", _("事務事業"), p_header, p_rows),
        ComparisonTable(
            "indicators", _("成果指標"), tuple(i_header), tuple(tuple(r) for r in i_rows)
        ),
    )
