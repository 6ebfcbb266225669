"""What changed from one basic-plan edition to the next (前期 → 後期), by lineage.

Each item of the new edition may name its predecessor (``predecessor_id``); a measure may
also have absorbed other former measures (``merged_from``, 統合). From that:

- measures: 新設 (added), 廃止 (removed), 統合 (merged: two or more former measures → one),
  分割 (split: one former measure → two or more), 名称変更 (renamed) and 継続 (continued),
  with details (number changed, moved to another policy area);
- indicators: 新設, 廃止, 変更 (with each changed field, before → after: name, unit,
  direction, baseline, target, their years, 累計, survey-based) and 継続.

Pure Python; the comparison view and its exports render :class:`EditionComparison`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

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


def compare_measures(
    former: Sequence[MeasureNode], latter: Sequence[MeasureNode]
) -> tuple[MeasureChange, ...]:
    """Measure changes, in the order: the latter plan's items, then removed former items."""
    by_id = {m.id: m for m in former}
    preds: dict[int, list[int]] = {}
    succs: dict[int, list[int]] = {m.id: [] for m in former}
    for new in latter:
        ids: list[int] = []
        if new.predecessor_id is not None and new.predecessor_id in by_id:
            ids.append(new.predecessor_id)
        ids.extend(i for i in new.merged_from if i in by_id and i not in ids)
        preds[new.id] = ids
        for i in ids:
            succs[i].append(new.id)
    latter_by_id = {m.id: m for m in latter}
    changes: list[MeasureChange] = []
    reported_split: set[int] = set()
    for new in latter:
        ids = preds[new.id]
        if not ids:
            changes.append(MeasureChange(MeasureChangeKind.ADDED, (), (_ref(new),)))
            continue
        if len(ids) >= 2:
            olds = tuple(_ref(by_id[i]) for i in ids)
            changes.append(
                MeasureChange(
                    MeasureChangeKind.MERGED,
                    olds,
                    (_ref(new),),
                    (
                        _("%(olds)s を %(new)s に統合")
                        % {
                            "olds": "・".join(o.code for o in olds),
                            "new": new.code,
                        },
                    ),
                )
            )
            continue
        old = by_id[ids[0]]
        if len(succs[old.id]) >= 2:
            if old.id in reported_split:
                continue
            reported_split.add(old.id)
            news = tuple(_ref(latter_by_id[i]) for i in succs[old.id])
            changes.append(
                MeasureChange(
                    MeasureChangeKind.SPLIT,
                    (_ref(old),),
                    news,
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
        changes.append(
            MeasureChange(kind, (_ref(old),), (_ref(new),), _continuation_details(old, new))
        )
    for old in former:
        if not succs[old.id]:
            changes.append(MeasureChange(MeasureChangeKind.REMOVED, (_ref(old),), ()))
    return tuple(changes)


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
) -> EditionComparison:
    return EditionComparison(
        measures=compare_measures(former_measures, latter_measures),
        indicators=compare_indicators(former_indicators, latter_indicators),
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
        _("前期の施策番号"),
        _("前期の指標番号"),
        _("前期の指標名"),
        _("後期の施策番号"),
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
