"""Versions of a plan section: flattening a snapshot into labelled texts and comparing two
versions side by side with character-level highlighting (Japanese has no word boundaries).

A snapshot is the plain JSON the plans app builds for a published page (measure_page_data,
strategy_page_data) or, for the introduction, ``{"title": …, "introduction": …}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from keikaku.core.domain.i18n import _
from keikaku.core.domain.textdiff import Segment, char_diff


@dataclass(frozen=True)
class FieldText:
    key: str
    label: str
    text: str


@dataclass(frozen=True)
class FieldDiff:
    key: str
    label: str
    before: tuple[Segment, ...]  # equal + delete segments (left column)
    after: tuple[Segment, ...]  # equal + insert segments (right column)
    changed: bool


@dataclass(frozen=True)
class VersionComparison:
    fields: tuple[FieldDiff, ...]

    @property
    def changed_count(self) -> int:
        return sum(1 for f in self.fields if f.changed)


def format_value(value: Any) -> str:
    """Numbers without a useless 「.0」 and with thousands separators; None as blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("はい") if value else _("いいえ")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value == int(value) and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return str(value)


def _lines(values: Any) -> str:
    if not values:
        return ""
    return "\n".join(str(v) for v in values)


def _joined(values: Any) -> str:
    if not values:
        return ""
    return "、".join(format_value(v) for v in values)


def _initiatives(values: Any) -> str:
    lines = []
    for item in values or []:
        line = f"・{item.get('title', '')}"
        if item.get("description"):
            line += f"：{item['description']}"
        if item.get("section"):
            line += f"（{item['section']}）"
        lines.append(line)
    return "\n".join(lines)


def _with_fy(value: Any, fy: Any) -> str:
    text = format_value(value) or "—"
    return _("%(value)s（%(fy)s年度）") % {"value": text, "fy": fy} if fy else text


def _indicators(values: Any) -> str:
    lines = []
    for ind in values or []:
        unit = f"（{ind['unit']}）" if ind.get("unit") else ""
        lines.append(
            _("%(code)s %(name)s%(unit)s 基準値 %(baseline)s → 目標値 %(target)s")
            % {
                "code": ind.get("code", ""),
                "name": ind.get("name", ""),
                "unit": unit,
                "baseline": _with_fy(ind.get("baseline_value"), ind.get("baseline_fy")),
                "target": _with_fy(ind.get("target_value"), ind.get("target_fy")),
            }
        )
    return "\n".join(lines)


def _measure_list(values: Any) -> str:
    return "\n".join(f"{m.get('code', '')} {m.get('title', '')}".strip() for m in values or [])


Render = Callable[[Any], str]

_SPECS: dict[str, tuple[tuple[str, Callable[[], str], Render], ...]] = {
    "measure": (
        ("code", lambda: _("施策番号"), format_value),
        ("title", lambda: _("施策名"), format_value),
        ("plain_summary", lambda: _("やさしい日本語の要約"), format_value),
        ("target_state", lambda: _("目指す姿"), format_value),
        ("current_issues", lambda: _("現状と課題"), format_value),
        ("initiatives", lambda: _("主な取組"), _initiatives),
        ("indicators", lambda: _("成果指標"), _indicators),
        ("role_citizens", lambda: _("役割分担（市民）"), format_value),
        ("role_businesses", lambda: _("役割分担（事業者）"), format_value),
        ("role_city", lambda: _("役割分担（市）"), format_value),
        ("departments", lambda: _("担当部署"), _joined),
        ("sdgs", lambda: _("SDGs のゴール"), _joined),
        ("related_plans", lambda: _("関連する個別計画"), _lines),
    ),
    "strategy": (
        ("number", lambda: _("番号"), format_value),
        ("title", lambda: _("重点戦略名"), format_value),
        ("description", lambda: _("説明"), format_value),
        ("basic_goal", lambda: _("基本目標（地方版総合戦略）"), format_value),
        ("measures", lambda: _("関連する施策"), _measure_list),
        ("indicators", lambda: _("成果指標"), _indicators),
    ),
    "introduction": (
        ("title", lambda: _("基本計画の名称"), format_value),
        ("introduction", lambda: _("序論"), format_value),
    ),
}


def field_choices(kind: str) -> tuple[tuple[str, str], ...]:
    """(key, label) of the fields a review comment may point at."""
    return tuple((key, label()) for key, label, _render in _SPECS[kind])


def field_label(kind: str, key: str) -> str:
    for k, label, _render in _SPECS.get(kind, ()):
        if k == key:
            return label()
    return key


def flatten(kind: str, data: Mapping[str, Any]) -> tuple[FieldText, ...]:
    """The labelled texts of a snapshot in reading order."""
    if kind not in _SPECS:
        raise ValueError(
            _("区分「%(kind)s」の版は比較できません。施策・重点戦略・序論のいずれかです。")
            % {"kind": kind}
        )
    return tuple(
        FieldText(key, label(), render(data.get(key))) for key, label, render in _SPECS[kind]
    )


def _side(segments: Sequence[Segment], drop: str) -> tuple[Segment, ...]:
    return tuple(s for s in segments if s.op != drop and s.text)


def compare(kind: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> VersionComparison:
    """Field-by-field comparison: the left column shows what was removed, the right what was
    added; unchanged text appears on both sides."""
    left = flatten(kind, before)
    right = {f.key: f for f in flatten(kind, after)}
    fields = []
    for f in left:
        new = right[f.key].text
        segments = char_diff(f.text, new)
        fields.append(
            FieldDiff(
                key=f.key,
                label=f.label,
                before=_side(segments, "insert"),
                after=_side(segments, "delete"),
                changed=f.text != new,
            )
        )
    return VersionComparison(tuple(fields))
