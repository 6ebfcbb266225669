"""National resilience and sectoral plans (resilience.api, published only).

Pending in resilience.api (plugs in when added): ``published_entries()`` — the programmes of
the published action plan with their sites (for /api/v1/resilience/programmes and /sites and
the CSV). Until then the sites are offered as the app's own GeoJSON download.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from keikaku.publication.integrations._util import api_function, lines
from keikaku.publication.opendata import MUNICIPALITY_COLUMNS
from keikaku.publication.plandata import published_plan
from keikaku.publication.registry import (
    AppendixChapter,
    Column,
    Dataset,
    SearchItem,
    Section,
    register_appendix,
    register_dataset,
    register_search_source,
    register_section,
)


def action_plan() -> Any:
    fn = api_function("resilience", "published_action_plan")
    return fn() if fn else None


def entries() -> list[dict[str, Any]]:
    fn = api_function("resilience", "published_entries")
    return list(fn()) if fn else []


def sectoral_plans() -> list[Any]:
    """Every published sectoral plan linked to a measure of the public edition (no repeats)."""
    fn = api_function("resilience", "sectoral_plans_for_area")
    plan = published_plan()
    if fn is None or plan is None:
        return []
    seen: dict[tuple[str, int | None], Any] = {}
    for area in plan.areas:
        for ref in fn(plan.edition.id, area["number"]):
            key = (ref.name, ref.start_fy)
            if key in seen:
                merged = {m.code: m for m in (*seen[key][1], *ref.measures)}
                seen[key] = (ref, tuple(merged[c] for c in sorted(merged)))
            else:
                seen[key] = (ref, tuple(ref.measures))
    return [pair for _key, pair in sorted(seen.items(), key=lambda kv: kv[0][0])]


register_section(
    Section(
        key="resilience",
        title=_("防災・国土強靱化"),
        url_name="resilience:map",
        description=_("国土強靱化の取組と、事業を行う場所の地図"),
        order=50,
        available=lambda: action_plan() is not None,
        also_current=("sectoral",),
    )
)
register_section(
    Section(
        key="sectoral",
        title=_("個別計画"),
        url_name="sectoral:list",
        description=_("分野ごとの計画（個別計画）の一覧と、総合計画との関係"),
        order=55,
        in_header=False,
        available=lambda: bool(sectoral_plans()),
    )
)


def search_items() -> Iterator[SearchItem]:
    info = action_plan()
    if info is not None:
        yield SearchItem(
            key="resilience:action-plan",
            url=reverse("resilience:map"),
            kind="resilience",
            kind_label=str(_("国土強靱化")),
            title=info.title,
            body=lines(
                _("国土強靱化地域計画"),
                _("アクションプラン"),
                *(lines(e.get("programme_name"), e.get("summary")) for e in entries()),
            ),
        )
    for ref, measures in sectoral_plans():
        yield SearchItem(
            key=f"sectoral:{ref.name}:{ref.start_fy}",
            url=reverse("sectoral:list"),
            kind="sectoral",
            kind_label=str(_("個別計画")),
            title=ref.name,
            body=lines(
                ref.department,
                ref.status_label,
                ref.period_label,
                ref.legal_basis,
                *(f"{m.code} {m.title}" for m in measures),
            ),
        )


register_search_source("resilience", search_items)


def _base() -> dict[str, Any]:
    plan = published_plan()
    return {
        "municipality_code": plan.municipality_code if plan else "",
        "municipality_name": plan.municipality_name if plan else "",
    }


def sectoral_rows() -> Iterator[dict[str, Any]]:
    base = _base()
    for ref, measures in sectoral_plans():
        for m in measures:
            yield {
                **base,
                "name": ref.name,
                "department": ref.department,
                "status": ref.status_label,
                "start_fy": ref.start_fy,
                "end_fy": ref.end_fy,
                "legal_basis": ref.legal_basis,
                "url": ref.url,
                "measure_code": m.code,
                "measure_title": m.title,
            }


def programme_rows() -> Iterator[dict[str, Any]]:
    base = _base()
    for e in entries():
        yield {
            **base,
            "programme_code": e.get("programme_code", ""),
            "programme_name": e.get("programme_name", ""),
            "department": e.get("department", ""),
            "measure_code": e.get("measure_code", ""),
            "start_fy": e.get("start_fy"),
            "end_fy": e.get("end_fy"),
            "total_cost": e.get("total_cost"),
            "grant": e.get("grant", ""),
            "site_count": len(e.get("sites", [])),
        }


def site_rows() -> Iterator[dict[str, Any]]:
    base = _base()
    for e in entries():
        for s in e.get("sites", []):
            yield {
                **base,
                "programme_code": e.get("programme_code", ""),
                "site_name": s.get("name", ""),
                "district": s.get("district", ""),
                "latitude": s.get("lat"),
                "longitude": s.get("lon"),
            }


def _geojson_link() -> tuple[tuple[str, str], ...]:
    try:
        return ((str(_("GeoJSON（地図のデータ）")), reverse("resilience:sites_geojson")),)
    except NoReverseMatch:
        return ()


M = MUNICIPALITY_COLUMNS
_entries_ready = api_function("resilience", "published_entries") is not None
register_dataset(
    Dataset(
        key="sectoral-plans",
        title=_("個別計画と関連する施策"),
        description=_("分野ごとの個別計画と、関連する施策（1行に1つの施策）。"),
        columns=(
            *M,
            Column("name", "個別計画名"),
            Column("department", "担当課"),
            Column("status", "状況"),
            Column("start_fy", "計画期間の開始年度（西暦）", "year"),
            Column("end_fy", "計画期間の終了年度（西暦）", "year"),
            Column("legal_basis", "根拠法令等"),
            Column("url", "掲載ページ"),
            Column("measure_code", "関連する施策の番号"),
            Column("measure_title", "関連する施策名"),
        ),
        rows=sectoral_rows,
        source="resilience",
        api_path="/api/v1/sectoral-plans",
        order=70,
    )
)
register_dataset(
    Dataset(
        key="resilience-programmes",
        title=_("国土強靱化の事業（アクションプラン）"),
        description=_("公表したアクションプランの事業、事業費、交付金。"),
        columns=(
            *M,
            Column("programme_code", "事業番号"),
            Column("programme_name", "事業名"),
            Column("department", "担当課"),
            Column("measure_code", "施策番号"),
            Column("start_fy", "開始年度（西暦）", "year"),
            Column("end_fy", "終了年度（西暦）", "year"),
            Column("total_cost", "事業費の合計（千円）", "integer"),
            Column("grant", "交付金等"),
            Column("site_count", "実施箇所の数（か所）", "integer"),
        ),
        rows=programme_rows,
        source="resilience",
        api_path="/api/v1/resilience/programmes",
        pending=not _entries_ready,
        pending_note="resilience.api.published_entries()",
        order=71,
        extra_links=_geojson_link,
    )
)
register_dataset(
    Dataset(
        key="resilience-sites",
        title=_("国土強靱化の事業の実施箇所"),
        description=_("事業を行う場所（緯度・経度、世界測地系）。"),
        columns=(
            *M,
            Column("programme_code", "事業番号"),
            Column("site_name", "実施箇所"),
            Column("district", "地区"),
            Column("latitude", "緯度（度）", "number"),
            Column("longitude", "経度（度）", "number"),
        ),
        rows=site_rows,
        source="resilience",
        api_path="/api/v1/resilience/sites",
        pending=not _entries_ready,
        pending_note="resilience.api.published_entries()",
        order=72,
        extra_links=_geojson_link,
    )
)


def appendix() -> Iterator[AppendixChapter]:
    info = action_plan()
    if info is None:
        return
    blocks: list[dict[str, Any]] = [
        {
            "type": "p",
            "text": _g(
                "この計画の実施計画は、国土強靱化地域計画のアクションプランを兼ねています。"
                "%(title)s（%(fy)s年度）には %(entries)s 件の事業と %(sites)s か所の実施箇所を掲載しています。"
            )
            % {
                "title": info.title,
                "fy": info.fiscal_year,
                "entries": info.entry_count,
                "sites": info.site_count,
            },
        }
    ]
    rows = list(programme_rows())
    if rows:
        blocks.append(
            {
                "type": "table",
                "caption": _g("国土強靱化の事業"),
                "header": [_g("事業番号"), _g("事業名"), _g("施策"), _g("事業費（千円）")],
                "rows": [
                    [r["programme_code"], r["programme_name"], r["measure_code"], r["total_cost"]]
                    for r in rows
                ],
            }
        )
    yield AppendixChapter(
        key="resilience", title=_g("国土強靱化地域計画との連携"), blocks=blocks, order=10
    )


register_appendix("resilience", appendix)
