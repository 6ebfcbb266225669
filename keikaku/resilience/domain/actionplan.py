"""The resilience action plan table (国土強靱化地域計画のアクションプラン, DOMAIN.md §6).

The implementation plan's programmes (事務事業) double as the action plan: each entry links a
programme to the risk scenarios it addresses and names its sites. The table is grouped by
scenario (a programme addressing two scenarios appears under both) and has the columns

    No · リスクシナリオ · 施策分野 · 施策 · 事業名 · 事業概要 · 事業実施箇所 · 実施主体 · 担当課 ·
    事業期間 · 総事業費 · 年度別事業費 (one column per fiscal year) · 交付金・補助金 · 地方債 ·
    重要業績指標（KPI） · 総合計画の施策番号 · 備考

Costs are in thousand yen (千円). The yearly update copies the plan to the next fiscal year;
:func:`budget_changes` compares two editions programme by programme.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from keikaku.core.domain.fiscal import format_fiscal_period, format_fiscal_year
from keikaku.core.domain.i18n import _
from keikaku.resilience.domain.catalogue import scenario_sort_key
from keikaku.resilience.domain.geo import SiteFeature, SiteLocation

IMPLEMENTERS = {
    "city": "市",
    "prefecture": "県",
    "state": "国",
    "private": "民間",
    "other": "その他",
}


@dataclass(frozen=True)
class ScenarioRef:
    code: str
    text: str
    goal_number: int
    verified: bool = False
    priority: bool = False


@dataclass(frozen=True)
class SiteRow:
    name: str
    id: int = 0
    district: str = ""
    address: str = ""
    kind: str = ""  # GeoJSON geometry type, "" when no location
    lon: float | None = None  # the representative point
    lat: float | None = None
    geometry_json: str = ""  # the GeoJSON geometry for lines and areas

    def location(self) -> SiteLocation:
        if self.geometry_json:
            return SiteLocation(geometry=json.loads(self.geometry_json))
        return SiteLocation(lat=self.lat, lon=self.lon)

    def label(self) -> str:
        parts = [self.name]
        extra = "、".join(p for p in (self.district, self.address) if p)
        if extra:
            parts.append(f"（{extra}）")
        return "".join(parts)


@dataclass(frozen=True)
class EntryData:
    programme_code: str
    programme_name: str
    summary: str = ""
    department: str = ""
    implementer: str = "city"
    start_fy: int | None = None
    end_fy: int | None = None
    total_cost: int | None = None
    costs: tuple[tuple[int, int | None], ...] = ()
    grant: str = ""
    bond: str = ""
    kpi: str = ""
    measure_code: str = ""
    measure_title: str = ""
    notes: str = ""
    scenario_codes: tuple[str, ...] = ()
    field_names: tuple[str, ...] = ()
    sites: tuple[SiteRow, ...] = ()
    field_codes: tuple[str, ...] = ()

    @property
    def implementer_label(self) -> str:
        return IMPLEMENTERS.get(self.implementer, self.implementer)

    def period_label(self) -> str:
        if self.start_fy is None or self.end_fy is None:
            if self.start_fy is not None:
                return format_fiscal_year(self.start_fy, "era") + _("～")
            return ""
        return format_fiscal_period(self.start_fy, self.end_fy, "era")

    def cost_in(self, fiscal_year: int) -> int | None:
        for fy, amount in self.costs:
            if fy == fiscal_year:
                return amount
        return None


@dataclass(frozen=True)
class ScenarioGroup:
    scenario: ScenarioRef
    entries: tuple[EntryData, ...]


@dataclass(frozen=True)
class ActionPlanTable:
    title: str
    fiscal_year: int
    years: tuple[int, ...]
    groups: tuple[ScenarioGroup, ...]
    unlinked: tuple[EntryData, ...]  # entries without any scenario (listed last, flagged)

    @property
    def row_count(self) -> int:
        return sum(len(g.entries) for g in self.groups) + len(self.unlinked)


def build_table(
    *,
    title: str,
    fiscal_year: int,
    scenarios: Sequence[ScenarioRef],
    entries: Sequence[EntryData],
    years: Sequence[int] | None = None,
) -> ActionPlanTable:
    """Group entries under each scenario (in catalogue order) and pick the cost years."""
    by_code: dict[str, list[EntryData]] = {s.code: [] for s in scenarios}
    unlinked: list[EntryData] = []
    for entry in sorted(entries, key=lambda e: e.programme_code):
        codes = [c for c in entry.scenario_codes if c in by_code]
        if not codes:
            unlinked.append(entry)
        for code in codes:
            by_code[code].append(entry)
    if years is None:
        years = sorted({fy for e in entries for fy, _a in e.costs})
    ordered = sorted(scenarios, key=lambda s: scenario_sort_key(s.code))
    return ActionPlanTable(
        title=title,
        fiscal_year=fiscal_year,
        years=tuple(years),
        groups=tuple(ScenarioGroup(s, tuple(by_code[s.code])) for s in ordered if by_code[s.code]),
        unlinked=tuple(unlinked),
    )


def wording_label(verified: bool) -> str:
    """How a catalogue row's wording is shown: never as official unless checked."""
    return _("確認済み") if verified else _("文言未確認")


def headers(years: Sequence[int]) -> list[str]:
    """Column headers of the action-plan table (units in the headers)."""
    return [
        _("通し番号"),
        _("リスクシナリオ番号"),
        _("起きてはならない最悪の事態"),
        _("事態の文言"),
        _("施策分野"),
        _("施策"),
        _("事業番号"),
        _("事業名"),
        _("事業概要"),
        _("事業実施箇所"),
        _("実施主体"),
        _("担当課"),
        _("事業期間"),
        _("総事業費（千円）"),
        *[_("%(fy)s事業費（千円）") % {"fy": format_fiscal_year(fy, "era")} for fy in years],
        _("交付金・補助金"),
        _("地方債"),
        _("重要業績指標（KPI）"),
        _("総合計画の施策番号"),
        _("備考"),
    ]


def entry_cells(
    number: int, scenario: ScenarioRef | None, entry: EntryData, years: Sequence[int]
) -> list[Any]:
    """One table row: one value per cell (sites joined by line breaks within their cell)."""
    return [
        number,
        scenario.code if scenario else "",
        scenario.text if scenario else _("（リスクシナリオ未設定）"),
        wording_label(scenario.verified) if scenario else "",
        "、".join(entry.field_names),
        entry.measure_title,
        entry.programme_code,
        entry.programme_name,
        entry.summary,
        "\n".join(site.label() for site in entry.sites),
        entry.implementer_label,
        entry.department,
        entry.period_label(),
        entry.total_cost,
        *[entry.cost_in(fy) for fy in years],
        entry.grant,
        entry.bond,
        entry.kpi,
        entry.measure_code,
        entry.notes,
    ]


def table_rows(table: ActionPlanTable) -> list[list[Any]]:
    """All data rows in order (grouped by scenario, then the unlinked entries)."""
    rows: list[list[Any]] = []
    n = 0
    for group in table.groups:
        for entry in group.entries:
            n += 1
            rows.append(entry_cells(n, group.scenario, entry, table.years))
    for entry in table.unlinked:
        n += 1
        rows.append(entry_cells(n, None, entry, table.years))
    return rows


SITE_HEADERS = (
    "通し番号",
    "事業番号",
    "事業名",
    "箇所名",
    "地区",
    "所在地",
    "形状",
    "経度",
    "緯度",
    "GeoJSON",
)


def site_rows(entries: Sequence[EntryData]) -> list[list[Any]]:
    """Every site on its own row (machine-readable: one value per cell)."""
    rows: list[list[Any]] = []
    n = 0
    for entry in sorted(entries, key=lambda e: e.programme_code):
        for site in entry.sites:
            n += 1
            rows.append(
                [
                    n,
                    entry.programme_code,
                    entry.programme_name,
                    site.name,
                    site.district,
                    site.address,
                    site.kind,
                    site.lon,
                    site.lat,
                    site.geometry_json,
                ]
            )
    return rows


# --- yearly update: budget changes between two editions of the action plan --------------------


@dataclass(frozen=True)
class CostLine:
    programme_code: str
    programme_name: str
    costs: tuple[tuple[int, int | None], ...] = ()
    total: int | None = None


def _diff(before: int | None, after: int | None) -> int | None:
    """after − before (千円), an empty amount counting as 0; None when both are empty."""
    if before is None and after is None:
        return None
    return (after or 0) - (before or 0)


@dataclass(frozen=True)
class YearChange:
    fiscal_year: int
    before: int | None
    after: int | None

    @property
    def diff(self) -> int | None:
        return _diff(self.before, self.after)


@dataclass(frozen=True)
class BudgetChange:
    programme_code: str
    programme_name: str
    status: str  # "added" | "removed" | "changed" | "unchanged"
    years: tuple[YearChange, ...]
    total_before: int | None
    total_after: int | None

    @property
    def total_diff(self) -> int | None:
        return _diff(self.total_before, self.total_after)

    @property
    def status_label(self) -> str:
        return {
            "added": _("追加"),
            "removed": _("削除"),
            "changed": _("変更"),
            "unchanged": _("変更なし"),
        }[self.status]


def budget_changes(
    before: Sequence[CostLine], after: Sequence[CostLine]
) -> tuple[BudgetChange, ...]:
    """Per programme: yearly costs before and after, added and removed programmes.

    The years compared are the union of both sides' years; a year missing on one side counts
    as no amount (None), and the difference treats it as 0.
    """
    old = {c.programme_code: c for c in before}
    new = {c.programme_code: c for c in after}
    out: list[BudgetChange] = []
    for code in sorted(set(old) | set(new)):
        a, b = old.get(code), new.get(code)
        a_costs = dict(a.costs) if a else {}
        b_costs = dict(b.costs) if b else {}
        years = tuple(
            YearChange(fy, a_costs.get(fy), b_costs.get(fy))
            for fy in sorted(set(a_costs) | set(b_costs))
        )
        if a is None:
            status = "added"
        elif b is None:
            status = "removed"
        elif a.total != b.total or any(y.before != y.after for y in years):
            status = "changed"
        else:
            status = "unchanged"
        either = b if b is not None else a
        name = either.programme_name if either is not None else ""
        out.append(
            BudgetChange(
                programme_code=code,
                programme_name=name,
                status=status,
                years=years,
                total_before=a.total if a else None,
                total_after=b.total if b else None,
            )
        )
    return tuple(out)


# --- filtering, map features and snapshots -----------------------------------------------------


@dataclass(frozen=True)
class EntryFilter:
    scenario: str = ""  # scenario code, e.g. "1-1"
    field: str = ""  # policy field code
    department: str = ""  # department name
    year: int | None = None  # fiscal year the programme runs in

    @property
    def active(self) -> bool:
        return bool(self.scenario or self.field or self.department or self.year)


def entry_runs_in(entry: EntryData, fiscal_year: int) -> bool:
    """The programme runs in that fiscal year: inside its period, or (without a period) it
    has a cost that year."""
    if entry.start_fy is not None or entry.end_fy is not None:
        start = entry.start_fy if entry.start_fy is not None else fiscal_year
        end = entry.end_fy if entry.end_fy is not None else fiscal_year
        return start <= fiscal_year <= end
    return any(fy == fiscal_year and amount for fy, amount in entry.costs)


def filter_entries(entries: Sequence[EntryData], flt: EntryFilter) -> list[EntryData]:
    out = []
    for entry in entries:
        if flt.scenario and flt.scenario not in entry.scenario_codes:
            continue
        if flt.field and flt.field not in entry.field_codes:
            continue
        if flt.department and entry.department != flt.department:
            continue
        if flt.year is not None and not entry_runs_in(entry, flt.year):
            continue
        out.append(entry)
    return out


def site_features(
    entries: Sequence[EntryData], *, municipality_code: str = ""
) -> list[SiteFeature]:
    """Every located site of the entries, with the action-plan attributes as properties."""
    features: list[SiteFeature] = []
    for entry in sorted(entries, key=lambda e: e.programme_code):
        for site in entry.sites:
            location = site.location()
            if not location.kind:
                continue
            features.append(
                SiteFeature(
                    id=site.id,
                    location=location,
                    properties={
                        "site_name": site.name,
                        "district": site.district,
                        "address": site.address,
                        "programme_code": entry.programme_code,
                        "programme_name": entry.programme_name,
                        "summary": entry.summary,
                        "scenario_codes": list(entry.scenario_codes),
                        "policy_fields": list(entry.field_names),
                        "department": entry.department,
                        "implementer": entry.implementer_label,
                        "start_fy": entry.start_fy,
                        "end_fy": entry.end_fy,
                        "total_cost_thousand_yen": entry.total_cost,
                        "grant": entry.grant,
                        "bond": entry.bond,
                        "measure_code": entry.measure_code,
                        "municipality_code": municipality_code,
                    },
                )
            )
    return features


def entry_to_dict(entry: EntryData) -> dict[str, Any]:
    return asdict(entry)


def entry_from_dict(data: Mapping[str, Any]) -> EntryData:
    values = dict(data)
    values["costs"] = tuple((int(fy), amount) for fy, amount in values.get("costs", ()))
    values["sites"] = tuple(SiteRow(**site) for site in values.get("sites", ()))
    for key in ("scenario_codes", "field_names", "field_codes"):
        values[key] = tuple(values.get(key, ()))
    return EntryData(**values)


def scenario_from_dict(data: Mapping[str, Any]) -> ScenarioRef:
    return ScenarioRef(**dict(data))
