"""The population outlook (demography.api, published only): section, search, open data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keikaku.publication.integrations._util import api_function, lines, register_table
from keikaku.publication.registry import (
    SearchItem,
    Section,
    register_search_source,
    register_section,
    shared,
)

SEX_LABELS = ("男", "女")


def outlook() -> Any:
    fn = api_function("demography", "published_outlook")
    return shared("demography.outlook", fn) if fn else None


register_section(
    Section(
        key="population",
        title=_("人口の見通し"),
        url_name="population:outlook",
        description=_("人口ビジョン：将来の人口の推計と目標"),
        order=40,
        available=lambda: outlook() is not None,
    )
)


def search_items() -> Iterator[SearchItem]:
    o = outlook()
    if o is None:
        return
    yield SearchItem(
        key="population:outlook",
        url=reverse("population:outlook"),
        kind="population",
        kind_label=str(_("人口ビジョン")),
        title=o.title,
        body=lines(
            o.explanation,
            o.scenario_name,
            o.scenario_description,
            *(lines(s.name, s.description) for s in o.scenarios),
            o.source_base,
            o.source_assumptions,
        ),
    )


register_search_source("demography", search_items)


def _base(o: Any) -> dict[str, Any]:
    return {"municipality_code": o.municipality_code, "municipality_name": o.municipality_name}


def scenario_rows() -> Iterator[dict[str, Any]]:
    o = outlook()
    if o is None:
        return
    for s in o.scenarios:
        for year, total in zip(o.years, s.totals, strict=False):
            yield {
                **_base(o),
                "year": year,
                "scenario": s.name,
                "followed": s.followed,
                "population": round(total),
            }


def target_rows() -> Iterator[dict[str, Any]]:
    o = outlook()
    if o is None:
        return
    for year, value in o.targets:
        yield {**_base(o), "year": year, "population": round(value)}


def age_rows() -> Iterator[dict[str, Any]]:
    o = outlook()
    if o is None:
        return
    for year, by_sex in zip(o.years, o.population, strict=False):
        for sex, groups in enumerate(by_sex):
            for group, value in zip(o.age_groups, groups, strict=False):
                yield {
                    **_base(o),
                    "year": year,
                    "scenario": o.scenario_name,
                    "sex": SEX_LABELS[sex] if sex < len(SEX_LABELS) else str(sex),
                    "age_group": group,
                    "population": round(value),
                }


def _updated() -> Any:
    o = outlook()
    return o.published_at if o is not None else None


register_table(
    "demography",
    "population-scenarios",
    _("将来人口の推計（シナリオ別の総人口）"),
    _("人口ビジョンのシナリオごとの総人口の推計（5年ごと）。"),
    """
    year        年（西暦）                          year
    scenario    シナリオ
    followed    将来展望が従うシナリオ（1=該当）    boolean
    population  総人口（人）                        integer
    """,
    rows=scenario_rows,
    api_path="/api/v1/population/scenarios",
    order=50,
    updated=_updated,
)
register_table(
    "demography",
    "population-targets",
    _("人口の将来展望（目標人口）"),
    _("人口ビジョンで目指す将来の人口（5年ごと）。"),
    """
    year        年（西暦）        year
    population  目標人口（人）    integer
    """,
    rows=target_rows,
    api_path="/api/v1/population/targets",
    order=51,
    updated=_updated,
)
register_table(
    "demography",
    "population-age",
    _("男女・年齢5歳階級別の将来人口"),
    _("将来展望が従うシナリオの、男女・年齢5歳階級別の推計人口。"),
    """
    year        年（西暦）        year
    scenario    シナリオ
    sex         性別
    age_group   年齢階級（歳）
    population  人口（人）        integer
    """,
    rows=age_rows,
    api_path="/api/v1/population/age-structure",
    order=52,
    updated=_updated,
)
