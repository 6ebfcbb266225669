"""What other apps and the public site may read of the population vision: published data only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from keikaku.demography.models import PopulationOutlook


@dataclass(frozen=True)
class PublicScenario:
    name: str
    description: str
    totals: tuple[float, ...]
    followed: bool


@dataclass(frozen=True)
class PublicOutlook:
    """The published outlook (人口の将来展望), as copied at the last publish."""

    title: str
    explanation: str
    municipality_code: str
    municipality_name: str
    is_illustrative: bool
    base_year: int
    years: tuple[int, ...]
    age_groups: tuple[str, ...]
    targets: tuple[tuple[int, float], ...]
    scenario_name: str
    scenario_description: str
    scenarios: tuple[PublicScenario, ...]
    population: tuple[tuple[tuple[float, ...], ...], ...]  # [year][sex][group]
    indicators: Mapping[str, tuple[float | None, ...]]
    source_base: str
    source_assumptions: str
    convention: str
    published_at: dt.datetime | None


def _from_data(data: Mapping[str, Any]) -> PublicOutlook:
    published = data.get("published_at")
    return PublicOutlook(
        title=data["title"],
        explanation=data["explanation"],
        municipality_code=data["municipality_code"],
        municipality_name=data["municipality_name"],
        is_illustrative=bool(data["is_illustrative"]),
        base_year=int(data["base_year"]),
        years=tuple(int(y) for y in data["years"]),
        age_groups=tuple(data["age_groups"]),
        targets=tuple((int(y), float(p)) for y, p in data["targets"]),
        scenario_name=data["scenario"]["name"],
        scenario_description=data["scenario"]["description"],
        scenarios=tuple(
            PublicScenario(
                name=s["name"],
                description=s["description"],
                totals=tuple(float(t) for t in s["totals"]),
                followed=bool(s["followed"]),
            )
            for s in data["scenarios"]
        ),
        population=tuple(
            tuple(tuple(float(v) for v in sex) for sex in year) for year in data["population"]
        ),
        indicators={k: tuple(v) for k, v in data["indicators"].items()},
        source_base=data["sources"]["base"],
        source_assumptions=data["sources"]["assumptions_source"],
        convention=data["convention"],
        published_at=dt.datetime.fromisoformat(published) if published else None,
    )


def published_outlook() -> PublicOutlook | None:
    """The outlook as last published, or None when it is not (or no longer) published."""
    row = (
        PopulationOutlook.objects.filter(is_published=True, published__isnull=False)
        .order_by("id")
        .values_list("published", flat=True)
        .first()
    )
    return _from_data(row) if row else None
