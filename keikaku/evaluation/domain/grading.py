"""Grading schemes as data: ordered rules that turn an indicator's result into a grade.

A scheme (評価方式) is a list of rules tried in order; the first rule that matches gives
the grade label (評価区分) and its description. A rule is exactly one of:

- a **band** on one metric: ``{"metric": "progress", "min": 80, "max": 110}`` with
  ``min_inclusive`` (default true) and ``max_inclusive`` (default false); metrics are
  ``progress`` (達成度), ``pace`` (期待進捗比), ``target_gap_pct`` (目標値との差) and
  ``baseline_change_pct`` (基準値からの変化率), all in % and oriented so larger = better;
- an **implementation status** given by the department: ``{"status": ["completed"]}``
  (``completed`` 事業完了 / ``not_started`` 未着手 / ``discontinued`` 中止);
- a **trend**: ``{"trend_vs_baseline": ["worsened"]}`` or ``{"trend_vs_previous": [...]}``;
- the **catch-all** ``{"otherwise": true}``: exactly one, last; used for results that
  cannot be graded (not reported, nothing to compare with).

Validation (:func:`scheme_from_dict`) rejects, with Japanese messages that say which rule:
unknown metrics or fields, empty bands, overlapping bands and gaps between bands on the
same metric, and a last-used metric whose bands do not cover every value.

A measure's grade (施策の評価) comes from its indicators by the scheme's
``measure_aggregation``: ``mean`` (default: grade the mean of each metric over the reported
indicators), ``share_at_least`` (the best grade X such that at least ``threshold`` of the
graded indicators are at X or better; 0.5 = the median grade) or ``worst``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from keikaku.core.domain.i18n import _
from keikaku.evaluation.domain.achievement import (
    TREND_CODES,
    Trend,
    YearResult,
)
from keikaku.evaluation.domain.achievement_arrays import AchievementArrays

METRICS: tuple[str, ...] = ("progress", "pace", "target_gap_pct", "baseline_change_pct")
"""The metrics a band rule can use (all in %, larger = better)."""


def metric_label(metric: str) -> str:
    """Japanese name of a metric, for messages and pages."""
    labels = {
        "progress": _("達成度"),
        "pace": _("期待進捗比"),
        "target_gap_pct": _("目標値との差"),
        "baseline_change_pct": _("基準値からの変化率"),
    }
    return labels.get(metric, metric)


PRESETS_FILE = "grading_presets.json"


class ImplementationStatus(StrEnum):
    """A department's statement about the work behind an indicator (not computed)."""

    COMPLETED = "completed"  # 事業完了
    NOT_STARTED = "not_started"  # 未着手
    DISCONTINUED = "discontinued"  # 中止


STATUS_CODES: dict[ImplementationStatus | None, int] = {
    None: 0,
    ImplementationStatus.COMPLETED: 1,
    ImplementationStatus.NOT_STARTED: 2,
    ImplementationStatus.DISCONTINUED: 3,
}


class AggregationMethod(StrEnum):
    MEAN = "mean"
    SHARE_AT_LEAST = "share_at_least"
    WORST = "worst"


class GradingSchemeError(ValueError):
    """A grading scheme is not valid. ``errors`` holds one Japanese message per problem."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(self.errors))


def _num(value: float) -> str:
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    return f"{value:g}"


@dataclass(frozen=True, slots=True)
class Band:
    """An interval of one metric's values. ``None`` bounds are open-ended (±∞)."""

    metric: str
    minimum: float | None = None
    maximum: float | None = None
    min_inclusive: bool = True
    max_inclusive: bool = False

    @property
    def low(self) -> float:
        return -math.inf if self.minimum is None else self.minimum

    @property
    def high(self) -> float:
        return math.inf if self.maximum is None else self.maximum

    def contains(self, value: float | None) -> bool:
        """Open ends (no min / no max) include −∞ / +∞; NaN (not reported) is never inside."""
        if value is None or math.isnan(value):
            return False
        if self.minimum is not None and not (
            value >= self.minimum if self.min_inclusive else value > self.minimum
        ):
            return False
        return self.maximum is None or (
            value <= self.maximum if self.max_inclusive else value < self.maximum
        )

    def mask(self, values: NDArray[np.float64]) -> NDArray[np.bool_]:
        result: NDArray[np.bool_] = ~np.isnan(values)
        if self.minimum is not None:
            result &= values >= self.minimum if self.min_inclusive else values > self.minimum
        if self.maximum is not None:
            result &= values <= self.maximum if self.max_inclusive else values < self.maximum
        return result

    def is_empty(self) -> bool:
        if self.low < self.high:
            return False
        return not (self.low == self.high and self.min_inclusive and self.max_inclusive)

    def describe(self) -> str:
        """Japanese wording, e.g. 「80 以上 110 未満」."""
        parts: list[str] = []
        if self.minimum is not None:
            parts.append(
                _("%(v)s 以上") % {"v": _num(self.minimum)}
                if self.min_inclusive
                else _("%(v)s を超え") % {"v": _num(self.minimum)}
            )
        if self.maximum is not None:
            parts.append(
                _("%(v)s 以下") % {"v": _num(self.maximum)}
                if self.max_inclusive
                else _("%(v)s 未満") % {"v": _num(self.maximum)}
            )
        if not parts:
            return _("すべての値")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class GradingRule:
    label: str
    description: str
    band: Band | None = None
    statuses: frozenset[ImplementationStatus] | None = None
    trend_vs_baseline: frozenset[Trend] | None = None
    trend_vs_previous: frozenset[Trend] | None = None
    otherwise: bool = False


@dataclass(frozen=True, slots=True)
class MeasureAggregation:
    method: AggregationMethod = AggregationMethod.MEAN
    threshold: float = 0.5


@dataclass(frozen=True, slots=True)
class GradingScheme:
    id: str
    name: str
    rules: tuple[GradingRule, ...]
    order: tuple[str, ...]
    """Ranked labels, best first. Labels not listed (e.g. 「−」) are not ranked."""
    description: str = ""
    source: str = ""
    measure_aggregation: MeasureAggregation = field(default_factory=MeasureAggregation)

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label, once, in rule order."""
        return tuple(dict.fromkeys(rule.label for rule in self.rules))

    @property
    def fallback(self) -> GradingRule:
        return self.rules[-1]

    def rank(self, label: str) -> int | None:
        """0 for the best label, 1 for the next …; None for unranked labels."""
        try:
            return self.order.index(label)
        except ValueError:
            return None

    def description_of(self, label: str) -> str:
        for rule in self.rules:
            if rule.label == label:
                return rule.description
        raise KeyError(label)


# --------------------------------------------------------------------------- loading


_RULE_KEYS = {
    "label",
    "description",
    "metric",
    "min",
    "max",
    "min_inclusive",
    "max_inclusive",
    "status",
    "trend_vs_baseline",
    "trend_vs_previous",
    "otherwise",
}
_SCHEME_KEYS = {"id", "name", "description", "source", "rules", "order", "measure_aggregation"}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and not math.isnan(value)


def scheme_from_dict(data: Mapping[str, Any], where: str = "") -> GradingScheme:
    """Build and validate a scheme from plain data (a city can define its own).

    ``where`` names the source (e.g. a file name) and prefixes every message.
    Raises :class:`GradingSchemeError` listing every problem found.
    """
    prefix = f"{where}: " if where else ""
    errors: list[str] = []
    if not isinstance(data, Mapping):
        raise GradingSchemeError(
            [prefix + _("評価方式は項目名と値の組（JSON のオブジェクト）で書いてください。")]
        )
    scheme_id = data.get("id")
    name_ref = scheme_id if isinstance(scheme_id, str) and scheme_id else "?"
    here = prefix + _("評価方式「%(id)s」") % {"id": name_ref}
    if not isinstance(scheme_id, str) or not scheme_id.strip():
        errors.append(here + _(": 「id」（評価方式の識別子）を文字列で指定してください。"))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append(here + _(": 「name」（評価方式の名前）を文字列で指定してください。"))
    for key in data:
        if key not in _SCHEME_KEYS:
            errors.append(
                here
                + _(": 知らない項目「%(key)s」があります。綴りを確認してください。") % {"key": key}
            )
    raw_rules = data.get("rules")
    rules: list[GradingRule] = []
    if not isinstance(raw_rules, list) or not raw_rules:
        errors.append(here + _(": 「rules」（規則の一覧）を 1 件以上指定してください。"))
        raw_rules = []
    for number, raw in enumerate(raw_rules, start=1):
        rule = _rule_from_dict(raw, number, here, errors)
        if rule is not None:
            rules.append(rule)
    rules_ok = len(rules) == len(raw_rules) and bool(rules)
    if rules_ok:
        _check_rules(rules, here, errors)

    labels = list(dict.fromkeys(rule.label for rule in rules))
    raw_order = data.get("order")
    fallback_label = rules[-1].label if rules and rules[-1].otherwise else None
    order: list[str]
    if raw_order is None:
        order = list(dict.fromkeys(r.label for r in rules if r.band is not None))
    elif not isinstance(raw_order, list) or not all(isinstance(x, str) for x in raw_order):
        errors.append(here + _(": 「order」は区分の名前を良い順に並べた一覧にしてください。"))
        order = []
    else:
        order = list(raw_order) if rules_ok else []
        if len(set(order)) != len(order):
            errors.append(here + _(": 「order」に同じ区分が 2 回以上あります。"))
        for label in order:
            if label not in labels:
                errors.append(
                    here
                    + _(": 「order」の区分「%(label)s」はどの規則にもありません。")
                    % {"label": label}
                )
            if label == fallback_label:
                errors.append(
                    here
                    + _(
                        ": 「order」に評価できない場合の区分「%(label)s」は入れられません。"
                        "良い順に並べる区分だけを書いてください。"
                    )
                    % {"label": label}
                )

    aggregation = MeasureAggregation()
    raw_agg = data.get("measure_aggregation")
    if raw_agg is not None:
        aggregation = _aggregation_from_dict(raw_agg, here, errors)
        if aggregation.method is not AggregationMethod.MEAN and not order and not errors:
            errors.append(
                here
                + _(
                    ": 「share_at_least」「worst」で施策を評価するには「order」で区分の順位を指定してください。"
                )
            )

    description = data.get("description", "")
    source = data.get("source", "")
    if not isinstance(description, str):
        errors.append(here + _(": 「description」は文字列にしてください。"))
        description = ""
    if not isinstance(source, str):
        errors.append(here + _(": 「source」は文字列にしてください。"))
        source = ""
    if errors:
        raise GradingSchemeError(errors)
    assert isinstance(scheme_id, str) and isinstance(name, str)
    return GradingScheme(
        id=scheme_id,
        name=name,
        rules=tuple(rules),
        order=tuple(order),
        description=description,
        source=source,
        measure_aggregation=aggregation,
    )


def _aggregation_from_dict(raw: Any, here: str, errors: list[str]) -> MeasureAggregation:
    if not isinstance(raw, Mapping):
        errors.append(here + _(": 「measure_aggregation」は項目名と値の組で書いてください。"))
        return MeasureAggregation()
    method_raw = raw.get("method", AggregationMethod.MEAN.value)
    try:
        method = AggregationMethod(method_raw)
    except ValueError:
        errors.append(
            here
            + _(
                ": 施策の評価方法「%(method)s」は使えません。mean・share_at_least・worst のどれかにしてください。"
            )
            % {"method": method_raw}
        )
        return MeasureAggregation()
    threshold = raw.get("threshold", 0.5)
    if not _is_number(threshold) or not 0 < threshold <= 1:
        errors.append(
            here
            + _(": 「threshold」（割合）は 0 より大きく 1 以下の数にしてください（いまは %(v)s）。")
            % {"v": threshold}
        )
        return MeasureAggregation(method=method)
    for key in raw:
        if key not in ("method", "threshold"):
            errors.append(
                here
                + _(": 「measure_aggregation」に知らない項目「%(key)s」があります。") % {"key": key}
            )
    return MeasureAggregation(method=method, threshold=float(threshold))


def _rule_from_dict(raw: Any, number: int, here: str, errors: list[str]) -> GradingRule | None:
    at = here + _(" の %(n)d 番目の規則") % {"n": number}
    if not isinstance(raw, Mapping):
        errors.append(at + _(": 規則は項目名と値の組で書いてください。"))
        return None
    label = raw.get("label")
    if isinstance(label, str) and label.strip():
        at = here + _(" の %(n)d 番目の規則（区分「%(label)s」）") % {"n": number, "label": label}
    count_before = len(errors)
    if not isinstance(label, str) or not label.strip():
        errors.append(at + _(": 「label」（区分の名前）を文字列で指定してください。"))
    description = raw.get("description", "")
    if not isinstance(description, str):
        errors.append(at + _(": 「description」（区分の説明）は文字列にしてください。"))
    for key in raw:
        if key not in _RULE_KEYS:
            errors.append(
                at
                + _(": 知らない項目「%(key)s」があります。綴りを確認してください。") % {"key": key}
            )
    kinds = [
        key
        for key in ("metric", "status", "trend_vs_baseline", "trend_vs_previous", "otherwise")
        if key in raw
    ]
    if len(kinds) != 1:
        errors.append(
            at
            + _(
                ": 条件は metric・status・trend_vs_baseline・trend_vs_previous・otherwise のうち"
                "ちょうど 1 つを指定してください。"
            )
        )
        return None
    kind = kinds[0]
    if kind != "metric":
        for key in ("min", "max", "min_inclusive", "max_inclusive"):
            if key in raw:
                errors.append(
                    at + _(": 「%(key)s」は metric を使う規則にだけ書けます。") % {"key": key}
                )
    band: Band | None = None
    statuses: frozenset[ImplementationStatus] | None = None
    trend_b: frozenset[Trend] | None = None
    trend_p: frozenset[Trend] | None = None
    otherwise = False
    if kind == "metric":
        metric = raw["metric"]
        if metric not in METRICS:
            errors.append(
                at
                + _(": 指標値「%(metric)s」は使えません。%(allowed)s のどれかにしてください。")
                % {"metric": metric, "allowed": "・".join(METRICS)}
            )
        bounds: dict[str, float | None] = {}
        for key in ("min", "max"):
            value = raw.get(key)
            if value is not None and not _is_number(value):
                errors.append(
                    at
                    + _(": 「%(key)s」は数値にしてください（いまは %(v)s）。")
                    % {"key": key, "v": value}
                )
                value = None
            bounds[key] = None if value is None else float(value)
        flags: dict[str, bool] = {}
        for key, default in (("min_inclusive", True), ("max_inclusive", False)):
            value = raw.get(key, default)
            if not isinstance(value, bool):
                errors.append(
                    at + _(": 「%(key)s」は true か false にしてください。") % {"key": key}
                )
                value = default
            flags[key] = value
        if bounds["min"] is None and bounds["max"] is None:
            errors.append(
                at
                + _(
                    ": 「min」「max」の少なくとも一方を指定してください（すべての値に当てはまる規則は otherwise で書きます）。"
                )
            )
        band = Band(
            metric=str(metric),
            minimum=bounds["min"],
            maximum=bounds["max"],
            min_inclusive=flags["min_inclusive"],
            max_inclusive=flags["max_inclusive"],
        )
        if band.is_empty():
            errors.append(
                at
                + _(": 範囲（%(band)s）に当てはまる値がありません。min と max を確認してください。")
                % {"band": band.describe()}
            )
    elif kind == "status":
        statuses = _enum_set(raw["status"], ImplementationStatus, "status", at, errors)
    elif kind == "trend_vs_baseline":
        trend_b = _enum_set(raw["trend_vs_baseline"], Trend, "trend_vs_baseline", at, errors)
    elif kind == "trend_vs_previous":
        trend_p = _enum_set(raw["trend_vs_previous"], Trend, "trend_vs_previous", at, errors)
    else:
        if raw["otherwise"] is not True:
            errors.append(at + _(": 「otherwise」は true にしてください。"))
        otherwise = True
    if len(errors) > count_before:
        return None
    assert isinstance(label, str) and isinstance(description, str)
    return GradingRule(
        label=label,
        description=description,
        band=band,
        statuses=statuses,
        trend_vs_baseline=trend_b,
        trend_vs_previous=trend_p,
        otherwise=otherwise,
    )


def _enum_set[E: StrEnum](
    raw: Any, enum: type[E], key: str, at: str, errors: list[str]
) -> frozenset[E] | None:
    allowed = "・".join(member.value for member in enum)
    if not isinstance(raw, list) or not raw:
        errors.append(
            at
            + _(": 「%(key)s」は %(allowed)s から選んだ一覧にしてください。")
            % {"key": key, "allowed": allowed}
        )
        return None
    members: set[E] = set()
    for item in raw:
        try:
            members.add(enum(item))
        except ValueError:
            errors.append(
                at
                + _(
                    ": 「%(key)s」の値「%(value)s」は使えません。%(allowed)s のどれかにしてください。"
                )
                % {"key": key, "value": item, "allowed": allowed}
            )
    return frozenset(members)


def _check_rules(rules: list[GradingRule], here: str, errors: list[str]) -> None:
    fallbacks = [i for i, rule in enumerate(rules) if rule.otherwise]
    if len(fallbacks) != 1 or fallbacks[0] != len(rules) - 1:
        errors.append(
            here
            + _(
                ": 評価できない場合の規則（otherwise）を、最後に 1 つだけ置いてください"
                "（未報告などの結果はこの区分になります）。"
            )
        )
    band_rules = [rule for rule in rules if rule.band is not None]
    groups: dict[str, list[GradingRule]] = {}
    for rule in band_rules:
        assert rule.band is not None
        groups.setdefault(rule.band.metric, []).append(rule)
    for metric, group in groups.items():
        metric_ja = metric_label(metric)
        ordered = sorted(
            group,
            key=lambda r: (r.band.low if r.band else 0.0, not (r.band and r.band.min_inclusive)),
        )
        for lower, upper in zip(ordered, ordered[1:], strict=False):
            a, b = lower.band, upper.band
            assert a is not None and b is not None
            touching = a.high == b.low
            if a.high > b.low or (touching and a.max_inclusive and b.min_inclusive):
                errors.append(
                    here
                    + _(
                        ": 指標値「%(metric)s」の区分「%(a)s」（%(ra)s）と区分「%(b)s」（%(rb)s）の範囲が重なっています。"
                        "境界の「以上」「未満」を確認してください。"
                    )
                    % {
                        "metric": metric_ja,
                        "a": lower.label,
                        "ra": a.describe(),
                        "b": upper.label,
                        "rb": b.describe(),
                    }
                )
            elif a.high < b.low or (touching and not a.max_inclusive and not b.min_inclusive):
                gap = Band(
                    metric=metric,
                    minimum=a.high,
                    maximum=b.low,
                    min_inclusive=not a.max_inclusive,
                    max_inclusive=not b.min_inclusive,
                )
                errors.append(
                    here
                    + _(
                        ": 指標値「%(metric)s」の区分「%(a)s」（%(ra)s）と区分「%(b)s」（%(rb)s）の間"
                        "（%(gap)s）に当てはまる区分がありません。どちらかの範囲を広げてください。"
                    )
                    % {
                        "metric": metric_ja,
                        "a": lower.label,
                        "ra": a.describe(),
                        "b": upper.label,
                        "rb": b.describe(),
                        "gap": gap.describe() if a.high != b.low else _num(a.high),
                    }
                )
    if band_rules:
        last = band_rules[-1].band
        assert last is not None
        bands = [r.band for r in groups[last.metric] if r.band is not None]
        lowest = min(bands, key=lambda b: b.low)
        highest = max(bands, key=lambda b: b.high)
        metric_ja = metric_label(last.metric)
        uncovered: list[str] = []
        if lowest.minimum is not None:
            uncovered.append(
                (_("%(v)s 未満の値") if lowest.min_inclusive else _("%(v)s 以下の値"))
                % {"v": _num(lowest.low)}
            )
        if highest.maximum is not None:
            uncovered.append(
                (_("%(v)s を超える値") if highest.max_inclusive else _("%(v)s 以上の値"))
                % {"v": _num(highest.high)}
            )
        for missing in uncovered:
            if missing is not None:
                errors.append(
                    here
                    + _(
                        ": 最後に使う指標値「%(metric)s」の区分が%(missing)sを含んでいません。"
                        "すべての値にいずれかの区分が当たるようにしてください"
                        "（評価できない場合の区分は otherwise の規則で指定します）。"
                    )
                    % {"metric": metric_ja, "missing": missing}
                )


def presets_from_dict(data: Mapping[str, Any], where: str = "") -> dict[str, GradingScheme]:
    """``{"default_scheme": id, "schemes": [...]}`` → schemes by id (validated)."""
    prefix = f"{where}: " if where else ""
    raw = data.get("schemes") if isinstance(data, Mapping) else None
    if not isinstance(raw, list) or not raw:
        raise GradingSchemeError(
            [prefix + _("「schemes」（評価方式の一覧）を 1 件以上指定してください。")]
        )
    errors: list[str] = []
    schemes: dict[str, GradingScheme] = {}
    for item in raw:
        try:
            scheme = scheme_from_dict(item, where)
        except GradingSchemeError as exc:
            errors.extend(exc.errors)
            continue
        if scheme.id in schemes:
            errors.append(
                prefix + _("評価方式「%(id)s」が 2 回定義されています。") % {"id": scheme.id}
            )
        schemes[scheme.id] = scheme
    default = data.get("default_scheme")
    if default is not None and default not in schemes and not errors:
        errors.append(
            prefix + _("既定の評価方式「%(id)s」が「schemes」にありません。") % {"id": default}
        )
    if errors:
        raise GradingSchemeError(errors)
    return schemes


def _read_presets_data(path: Path | None) -> tuple[dict[str, Any], str]:
    if path is None:
        text = resources.files("keikaku.evaluation.data").joinpath(PRESETS_FILE).read_text("utf-8")
        return json.loads(text), PRESETS_FILE
    return json.loads(path.read_text("utf-8")), path.name


def load_presets(path: Path | None = None) -> dict[str, GradingScheme]:
    """The shipped presets (``keikaku/evaluation/data/grading_presets.json``) or a file."""
    data, where = _read_presets_data(path)
    return presets_from_dict(data, where)


def default_scheme_id(path: Path | None = None) -> str:
    data, _where = _read_presets_data(path)
    value = data.get("default_scheme")
    return str(value)


# --------------------------------------------------------------------------- grading


@dataclass(frozen=True, slots=True)
class Grade:
    label: str
    description: str
    rule_number: int
    """1-based position of the rule that matched."""


def _rule_matches(
    rule: GradingRule,
    metrics: Mapping[str, float | None],
    status: ImplementationStatus | None,
    trend_vs_baseline: Trend | None,
    trend_vs_previous: Trend | None,
) -> bool:
    if rule.otherwise:
        return True
    if rule.band is not None:
        return rule.band.contains(metrics.get(rule.band.metric))
    if rule.statuses is not None:
        return status is not None and status in rule.statuses
    if rule.trend_vs_baseline is not None:
        return trend_vs_baseline is not None and trend_vs_baseline in rule.trend_vs_baseline
    if rule.trend_vs_previous is not None:
        return trend_vs_previous is not None and trend_vs_previous in rule.trend_vs_previous
    return False


def grade_metrics(
    scheme: GradingScheme,
    metrics: Mapping[str, float | None],
    *,
    status: ImplementationStatus | None = None,
    trend_vs_baseline: Trend | None = None,
    trend_vs_previous: Trend | None = None,
) -> Grade:
    for number, rule in enumerate(scheme.rules, start=1):
        if _rule_matches(rule, metrics, status, trend_vs_baseline, trend_vs_previous):
            return Grade(label=rule.label, description=rule.description, rule_number=number)
    fallback = scheme.fallback  # unreachable for a validated scheme
    return Grade(
        label=fallback.label, description=fallback.description, rule_number=len(scheme.rules)
    )


def year_metrics(result: YearResult) -> dict[str, float | None]:
    return {
        "progress": result.progress,
        "pace": result.pace,
        "target_gap_pct": result.target_gap_pct,
        "baseline_change_pct": result.baseline_change_pct,
    }


def grade_result(
    result: YearResult,
    scheme: GradingScheme,
    status: ImplementationStatus | None = None,
) -> Grade:
    """Grade one indicator in one year."""
    return grade_metrics(
        scheme,
        year_metrics(result),
        status=status,
        trend_vs_baseline=result.trend_vs_baseline,
        trend_vs_previous=result.trend_vs_previous,
    )


@dataclass(frozen=True, slots=True, eq=False)
class GradeArrays:
    labels: tuple[str, ...]
    index: NDArray[np.int16]
    """Index into ``labels``, same shape as the metrics."""

    def label_at(self, *position: int) -> str:
        return self.labels[int(self.index[position])]

    def counts(self) -> dict[str, int]:
        """How many results got each label (every label listed, in rule order)."""
        counts = np.bincount(self.index.ravel(), minlength=len(self.labels))
        return {label: int(counts[i]) for i, label in enumerate(self.labels)}


def grade_arrays(
    scheme: GradingScheme,
    metrics: Mapping[str, NDArray[np.float64]],
    *,
    status: NDArray[np.int8] | None = None,
    trend_vs_baseline: NDArray[np.int8] | None = None,
    trend_vs_previous: NDArray[np.int8] | None = None,
) -> GradeArrays:
    """Vectorised :func:`grade_metrics`. ``status`` holds :data:`STATUS_CODES` (0 = none),
    shape (indicators,) or the metrics' shape."""
    shape = next(iter(metrics.values())).shape
    labels = scheme.labels
    label_index = {label: i for i, label in enumerate(labels)}
    out = np.full(shape, -1, dtype=np.int16)
    open_ = np.ones(shape, dtype=np.bool_)
    status_b = None
    if status is not None:
        status_b = status[:, None] if status.ndim == 1 and len(shape) == 2 else status
        status_b = np.broadcast_to(status_b, shape)
    for rule in scheme.rules:
        if rule.otherwise:
            match = open_
        elif rule.band is not None:
            match = open_ & rule.band.mask(metrics[rule.band.metric])
        elif rule.statuses is not None:
            if status_b is None:
                continue
            codes = [STATUS_CODES[s] for s in rule.statuses]
            match = open_ & np.isin(status_b, codes)
        else:
            trends = (
                rule.trend_vs_baseline
                if rule.trend_vs_baseline is not None
                else rule.trend_vs_previous
            )
            array = trend_vs_baseline if rule.trend_vs_baseline is not None else trend_vs_previous
            if array is None or trends is None:
                continue
            match = open_ & np.isin(array, [TREND_CODES[t] for t in trends])
        out[match] = label_index[rule.label]
        open_ &= ~match
        if not open_.any():
            break
    return GradeArrays(labels=labels, index=out)


def grade_achievements(
    scheme: GradingScheme,
    achievements: AchievementArrays,
    status: NDArray[np.int8] | None = None,
) -> GradeArrays:
    """Grade every indicator × year of a vectorised evaluation."""
    return grade_arrays(
        scheme,
        achievements.metrics(),
        status=status,
        trend_vs_baseline=achievements.trend_vs_baseline,
        trend_vs_previous=achievements.trend_vs_previous,
    )


# --------------------------------------------------------------------------- measures


@dataclass(frozen=True, slots=True)
class MeasureGrade:
    """A measure's (施策) grade derived from its indicators in one fiscal year."""

    label: str
    description: str
    method: AggregationMethod
    value: float | None
    """mean: the mean progress; share_at_least / worst: the share at the chosen grade or better."""
    n_indicators: int
    n_reported: int
    n_ranked: int
    indicator_labels: tuple[str, ...]
    share_at_least: tuple[tuple[str, float], ...]
    """For each ranked label X (best first): share of ranked indicators at X or better."""


def _finite_mean(values: Sequence[float | None]) -> float | None:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return None
    return math.fsum(finite) / len(finite)


def grade_measure(
    results: Sequence[YearResult],
    scheme: GradingScheme,
    *,
    statuses: Sequence[ImplementationStatus | None] | None = None,
    aggregation: MeasureAggregation | None = None,
) -> MeasureGrade:
    """Grade a measure from its indicators' results for one year.

    Not reported indicators are left out (never counted as 0). ``mean`` grades the mean
    of each metric over the reported indicators with the scheme's band rules (±∞ values,
    from a zero baseline or target, are left out of the means; status and trend rules do
    not apply to a mean). ``share_at_least`` / ``worst`` use the indicators' own grades and
    the scheme's ``order``; unranked grades (e.g. 「−」) are left out.
    """
    agg = aggregation or scheme.measure_aggregation
    if statuses is not None and len(statuses) != len(results):
        raise ValueError(_("状態の数と成果指標の数が一致しません。"))
    grades = [
        grade_result(r, scheme, statuses[i] if statuses is not None else None)
        for i, r in enumerate(results)
    ]
    labels = tuple(g.label for g in grades)
    reported = [r for r in results if r.reported]
    ranks = [rank for rank in (scheme.rank(label) for label in labels) if rank is not None]
    shares: list[tuple[str, float]] = []
    if ranks:
        for position, label in enumerate(scheme.order):
            share = sum(1 for rank in ranks if rank <= position) / len(ranks)
            shares.append((label, share))
    fallback = scheme.fallback
    value: float | None
    if agg.method is AggregationMethod.MEAN:
        means: dict[str, float | None] = {
            metric: _finite_mean([year_metrics(r)[metric] for r in reported]) for metric in METRICS
        }
        value = means["progress"]
        label, description = fallback.label, fallback.description
        if reported:
            for rule in scheme.rules:
                if rule.band is not None and rule.band.contains(means.get(rule.band.metric)):
                    label, description = rule.label, rule.description
                    break
    else:
        threshold = 1.0 if agg.method is AggregationMethod.WORST else agg.threshold
        label, description, value = fallback.label, fallback.description, None
        for chosen, share in shares:
            if share >= threshold:
                label, description, value = chosen, scheme.description_of(chosen), share
                break
    return MeasureGrade(
        label=label,
        description=description,
        method=agg.method,
        value=value,
        n_indicators=len(results),
        n_reported=len(reported),
        n_ranked=len(ranks),
        indicator_labels=labels,
        share_at_least=tuple(shares),
    )
