"""The plan (plans.api, through publication.plandata): section, search, open data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keikaku.publication.integrations._util import (
    lines,
    municipality_of,
    public_plan,
    register_table,
)
from keikaku.publication.registry import (
    SearchItem,
    Section,
    register_search_source,
    register_section,
)

register_section(
    Section(
        key="plan",
        title=_("計画の内容"),
        url_name="public:plan",
        description=_("将来像、政策分野、施策と成果指標、重点戦略"),
        order=10,
        available=lambda: public_plan() is not None,
    )
)


# --------------------------------------------------------------------------- search


def _indicator_text(ind: dict[str, Any]) -> str:
    return lines(ind["name"], ind.get("name_en"), ind.get("description"), ind.get("source"))


def search_items() -> Iterator[SearchItem]:
    plan = public_plan()
    if plan is None:
        return
    home = plan.home
    yield SearchItem(
        key="plan:home",
        url=reverse("public:plan"),
        kind="plan",
        kind_label=str(_("計画")),
        title=f"{home.get('plan_title', '')} {plan.edition.title}".strip(),
        title_en=home.get("vision_en", ""),
        body=lines(
            home.get("vision"),
            home.get("vision_en"),
            home.get("concept_description"),
            home.get("introduction"),
        ),
    )
    for area in plan.areas:
        yield SearchItem(
            key=f"plan:area:{area['number']}",
            url=reverse("public:area", args=[area["number"]]),
            kind="area",
            kind_label=str(_("政策分野")),
            title=area["title"],
            title_en=area.get("title_en", ""),
            body=lines(
                area.get("description"),
                *(f"{m['code']} {m['title']}" for m in area.get("measures", [])),
            ),
        )
    for m in plan.measures:
        yield SearchItem(
            key=f"plan:measure:{m['code']}",
            url=reverse("public:measure", args=[m["code"]]),
            kind="measure",
            kind_label=str(_("施策")),
            title=f"{m['code']} {m['title']}",
            title_en=m.get("title_en", ""),
            body=lines(
                m.get("plain_summary"),
                m.get("target_state"),
                m.get("current_issues"),
                *(lines(i["title"], i.get("description")) for i in m.get("initiatives", [])),
                m.get("role_citizens"),
                m.get("role_businesses"),
                m.get("role_city"),
                *(_indicator_text(i) for i in m.get("indicators", [])),
                "、".join(m.get("departments", [])),
                "、".join(m.get("related_plans", [])),
            ),
        )
    for s in plan.strategies:
        yield SearchItem(
            key=f"plan:strategy:{s['number']}",
            url=reverse("public:strategy", args=[s["number"]]),
            kind="strategy",
            kind_label=str(_("重点戦略")),
            title=s["title"],
            title_en=s.get("title_en", ""),
            body=lines(
                s.get("description"),
                s.get("basic_goal"),
                *(_indicator_text(i) for i in s.get("indicators", [])),
            ),
        )


register_search_source("plans", search_items)


# --------------------------------------------------------------------------- open data


def measure_rows() -> Iterator[dict[str, Any]]:
    plan = public_plan()
    if plan is None:
        return
    base = municipality_of(plan)
    for m in plan.measures:
        area = plan.area(m["area"]["number"]) or m["area"]
        yield {
            **base,
            "plan_title": plan.home.get("plan_title", ""),
            "edition_title": plan.edition.title,
            "start_fy": plan.edition.start_fy,
            "end_fy": plan.edition.end_fy,
            "area_number": area["number"],
            "area_title": area["title"],
            "area_title_en": area.get("title_en", ""),
            "measure_code": m["code"],
            "measure_title": m["title"],
            "measure_title_en": m.get("title_en", ""),
            "plain_summary": m.get("plain_summary", ""),
            "target_state": m.get("target_state", ""),
            "indicator_count": len(m.get("indicators", [])),
        }


def relation_rows() -> Iterator[dict[str, Any]]:
    plan = public_plan()
    if plan is None:
        return
    base = municipality_of(plan)
    for m in plan.measures:
        measure = {**base, "measure_code": m["code"], "measure_title": m["title"]}
        for d in m.get("departments", []):
            yield {**measure, "relation": "担当部署", "value": d}
        for s in m.get("strategies", []):
            yield {**measure, "relation": "重点戦略", "value": f"{s['number']} {s['title']}"}
        for g in m.get("sdgs", []):
            yield {**measure, "relation": "SDGsのゴール", "value": str(g)}
        for p in m.get("related_plans", []):
            yield {**measure, "relation": "関連する個別計画", "value": p}


def strategy_rows() -> Iterator[dict[str, Any]]:
    plan = public_plan()
    if plan is None:
        return
    base = municipality_of(plan)
    for s in plan.strategies:
        yield {
            **base,
            "strategy_number": s["number"],
            "strategy_title": s["title"],
            "strategy_title_en": s.get("title_en", ""),
            "description": s.get("description", ""),
            "basic_goal": s.get("basic_goal", ""),
            "measure_codes_count": len(s.get("measures", [])),
            "indicator_count": len(s.get("indicators", [])),
        }


def indicator_rows() -> Iterator[dict[str, Any]]:
    plan = public_plan()
    if plan is None:
        return
    base = municipality_of(plan)
    for owner_kind, owner, ind in plan.indicators():
        yield {
            **base,
            "indicator_code": ind["code"],
            "indicator_name": ind["name"],
            "indicator_name_en": ind.get("name_en", ""),
            "owner_kind": "施策" if owner_kind == "measure" else "重点戦略",
            "owner": owner,
            "unit": ind.get("unit", ""),
            "direction": ind.get("direction_label", ""),
            "baseline_value": ind.get("baseline_value"),
            "baseline_fy": ind.get("baseline_fy"),
            "target_value": ind.get("target_value"),
            "target_fy": ind.get("target_fy"),
            "cumulative": bool(ind.get("cumulative")),
            "survey_based": bool(ind.get("survey_based")),
            "source": ind.get("source", ""),
        }


def indicator_value_rows() -> Iterator[dict[str, Any]]:
    plan = public_plan()
    if plan is None:
        return
    base = municipality_of(plan)
    for _kind, _owner, ind in plan.indicators():
        for v in ind.get("values", []):
            yield {
                **base,
                "indicator_code": ind["code"],
                "indicator_name": ind["name"],
                "fiscal_year": v["fiscal_year"],
                "value": v.get("value"),
                "unit": ind.get("unit", ""),
                "as_of": v.get("as_of") or "",
                "note": v.get("note", ""),
            }


register_table(
    "plans",
    "plan-measures",
    _("施策の体系（政策分野・施策）"),
    _("基本計画の政策分野と施策の一覧。施策ごとに、やさしい日本語の要約と目指す姿を含みます。"),
    """
    plan_title        計画名
    edition_title     基本計画の名称
    start_fy          計画期間の開始年度（西暦）  year
    end_fy            計画期間の終了年度（西暦）  year
    area_number       政策分野番号                integer
    area_title        政策分野名
    area_title_en     政策分野名（英語）
    measure_code      施策番号
    measure_title     施策名
    measure_title_en  施策名（英語）
    plain_summary     やさしい日本語の要約
    target_state      目指す姿
    indicator_count   成果指標の数（件）          integer
    """,
    rows=measure_rows,
    api_path="/api/v1/measures",
    order=10,
)
register_table(
    "plans",
    "measure-relations",
    _("施策の担当部署・重点戦略・SDGs・個別計画"),
    _("施策ごとの担当部署、関連する重点戦略、SDGs のゴール、関連する個別計画（1行に1つ）。"),
    """
    measure_code   施策番号
    measure_title  施策名
    relation       関係の種類
    value          値
    """,
    rows=relation_rows,
    api_path="/api/v1/measures",
    order=11,
)
register_table(
    "plans",
    "strategies",
    _("重点戦略"),
    _("重点戦略（地方版総合戦略）の一覧と基本目標。"),
    """
    strategy_number      重点戦略番号                integer
    strategy_title       重点戦略名
    strategy_title_en    重点戦略名（英語）
    description          説明
    basic_goal           基本目標
    measure_codes_count  関連する施策の数（件）      integer
    indicator_count      重要業績評価指標の数（件）  integer
    """,
    rows=strategy_rows,
    api_path="/api/v1/strategies",
    order=12,
)
register_table(
    "plans",
    "indicators",
    _("成果指標（KPI）と目標値"),
    _("施策の成果指標と重点戦略の重要業績評価指標。基準値と目標値、年度は西暦です。"),
    """
    indicator_code     指標番号
    indicator_name     指標名
    indicator_name_en  指標名（英語）
    owner_kind         対象の種類
    owner              対象の番号
    unit               単位
    direction          目指す方向
    baseline_value     基準値                            number
    baseline_fy        基準値の年度（西暦）              year
    target_value       目標値                            number
    target_fy          目標年度（西暦）                  year
    cumulative         累計（1=累計）                    boolean
    survey_based       市民意識調査による指標（1=該当）  boolean
    source             出典
    """,
    rows=indicator_rows,
    api_path="/api/v1/indicators",
    order=20,
)
register_table(
    "plans",
    "indicator-values",
    _("成果指標の実績値"),
    _("成果指標の年度ごとの実績値（1行に1つの年度）。"),
    """
    indicator_code  指標番号
    indicator_name  指標名
    fiscal_year     年度（西暦）  year
    value           実績値        number
    unit            単位
    as_of           時点          date
    note            備考
    """,
    rows=indicator_value_rows,
    api_path="/api/v1/indicator-values",
    order=21,
)
