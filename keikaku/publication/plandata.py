"""The published plan as one structure (read through plans.api), cached per content version.

Used by the site search, the open-data API and CSV files and the plan document, so that all
of them show exactly what the public pages show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from keikaku.core.selectors import content_version_get
from keikaku.plans import api as plans_api


@dataclass(frozen=True)
class PlanData:
    edition: plans_api.PublicEdition
    municipality: plans_api.MunicipalityInfo | None
    home: dict[str, Any]
    areas: tuple[dict[str, Any], ...]
    measures: tuple[dict[str, Any], ...]  # in plan order (area, then the area's order)
    strategies: tuple[dict[str, Any], ...]

    @property
    def municipality_code(self) -> str:
        return self.municipality.code if self.municipality else ""

    @property
    def municipality_name(self) -> str:
        return self.municipality.name if self.municipality else ""

    def measure(self, code: str) -> dict[str, Any] | None:
        for m in self.measures:
            if m["code"] == code:
                return m
        return None

    def area(self, number: int) -> dict[str, Any] | None:
        for a in self.areas:
            if a["number"] == number:
                return a
        return None

    def area_measures(self, number: int) -> list[dict[str, Any]]:
        return [m for m in self.measures if m["area"]["number"] == number]

    def indicators(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(owner kind "measure"/"strategy", owner code/number, indicator) in plan order."""
        out: list[tuple[str, str, dict[str, Any]]] = []
        for m in self.measures:
            out += [("measure", m["code"], ind) for ind in m["indicators"]]
        for s in self.strategies:
            out += [("strategy", str(s["number"]), ind) for ind in s["indicators"]]
        return out


KINDS = ("edition", "area", "measure", "strategy")


def _load() -> PlanData | None:
    content = plans_api.public_content(kinds=KINDS)  # the public edition, looked up once
    if content is None:
        return None
    home = content.pages["edition"].get("home") or {}
    areas = sorted(content.pages["area"].values(), key=lambda a: a["number"])
    pages = {m["code"]: m for m in content.pages["measure"].values()}
    measures: list[dict[str, Any]] = []
    for area in areas:
        for summary in area.get("measures", []):
            page = pages.pop(summary["code"], None)
            if page is not None:
                measures.append(page)
    # Measures published without their area page listing them come last, by code.
    measures += [pages[code] for code in sorted(pages)]
    strategies = sorted(content.pages["strategy"].values(), key=lambda s: s["number"])
    return PlanData(
        edition=content.edition,
        municipality=plans_api.municipality(),
        home=home,
        areas=tuple(areas),
        measures=tuple(measures),
        strategies=tuple(strategies),
    )


def published_plan() -> PlanData | None:
    """The published plan, or None when no edition is public."""
    key = f"publication:plan:{content_version_get()}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    data = _load()
    cache.set(key, data or False, 3600)
    return data
