"""Shapes of the demo data: plain frozen dataclasses, no Django (the loader turns them into rows)."""

from __future__ import annotations

from dataclasses import dataclass, field

ILLUSTRATIVE = "デモ用の架空データ"


@dataclass(frozen=True)
class SectionSpec:
    code: str
    name: str


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    sections: tuple[SectionSpec, ...]


@dataclass(frozen=True)
class StaffSpec:
    username: str
    last_name: str
    first_name: str
    section: str | None
    superuser: bool = False
    permissions: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndicatorSpec:
    """A KPI with its former-plan (FY2018 → FY2024) and latter-plan (FY2023 → FY2029) values.

    Yearly actuals are generated deterministically from the code unless `actuals` (FY2020–2024)
    and `latter_actual` (FY2025) are given. The latter baseline is the FY2023 actual.
    `as_of`: "fy_end" (31 March after the year), "apr1" (1 April after the year), "survey"
    (the citizen survey in summer of the year).
    """

    name: str
    unit: str
    direction: str
    former_baseline: float
    former_target: float
    latter_target: float
    decimals: int = 0
    survey: bool = False
    cumulative: bool = False
    covid_dip: bool = False
    latter_direction: str | None = None
    actuals: tuple[float, ...] | None = None
    latter_actual: float | None = None
    as_of: str = "fy_end"
    description: str = ""
    source: str = ""


@dataclass(frozen=True)
class InitiativeSpec:
    title: str
    description: str
    section: str


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    title: str
    summary: str
    target_state: str
    issues: str
    former_issues: str
    initiatives: tuple[InitiativeSpec, ...]
    role_citizens: str
    role_businesses: str
    role_city: str
    sections: tuple[str, ...]
    sdgs: tuple[int, ...]
    indicators: tuple[IndicatorSpec, ...]
    related_plans: tuple[str, ...] = ()
    former_title: str | None = None
    title_en: str = ""


@dataclass(frozen=True)
class AreaSpec:
    number: int
    title: str
    title_en: str
    goal: str
    description: str
    measures: tuple[MeasureSpec, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class StrategySpec:
    number: int
    title: str
    title_en: str
    description: str
    basic_goal: str
    measure_codes: tuple[str, ...]
    indicators: tuple[IndicatorSpec, ...]


@dataclass(frozen=True)
class ProgrammeSpec:
    """A programme (事務事業) with its FY2025 planned cost in thousand yen and funding shares."""

    code: str
    name: str
    measure_code: str
    section: str
    description: str
    cost_2025: int
    growth: float = 0.0
    national: float = 0.0
    prefectural: float = 0.0
    bonds: float = 0.0
    other: float = 0.0
    account: str = "一般会計"
    legal_basis: str = ""
