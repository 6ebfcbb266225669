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

from keikaku.publication.integrations._util import (
    api_function,
    lines,
    municipality,
    public_plan,
    register_table,
)
from keikaku.publication.registry import (
    AppendixChapter,
    SearchItem,
    Section,
    register_appendix,
    register_search_source,
    register_section,
    shared,
)


def action_plan() -> Any:
    fn = api_function("resilience", "published_action_plan")
    return shared("resilience.action_plan", fn) if fn else None


def entries() -> list[dict[str, Any]]:
    fn = api_function("resilience", "published_entries")
    return shared("resilience.entries", lambda: list(fn())) if fn else []


def sectoral_plans() -> list[Any]:
    """Every published sectoral plan linked to a measure of the public edition (no repeats),
    read once per request."""
    return shared("resilience.sectoral_plans", _sectoral_plans)


def _by_area() -> dict[int, tuple[Any, ...]]:
    fn = api_function("resilience", "sectoral_plans_by_area")
    published = public_plan()
    if fn is None or published is None:
        return {}
    by_area: dict[int, tuple[Any, ...]] = fn(published.edition.id)
    return by_area


def _sectoral_plans() -> list[Any]:
    by_area = _by_area()
    published = public_plan()
    if published is None:
        return []
    seen: dict[tuple[str, int | None], Any] = {}
    for area in published.areas:
        for ref in by_area.get(area["number"], ()):
            key = (ref.name, ref.start_fy)
            if key in seen:
                merged = {m.code: m for m in (*seen[key][1], *ref.measures)}
                seen[key] = (ref, tuple(merged[c] for c in sorted(merged)))
            else:
                seen[key] = (ref, tuple(ref.measures))
    return [pair for _key, pair in sorted(seen.items(), key=lambda kv: kv[0][0])]


def has_sectoral_plans() -> bool:
    """Whether any published sectoral plan is linked to the public edition (one read)."""
    published = public_plan()
    if published is None:
        return False
    numbers = {area["number"] for area in published.areas}
    return any(number in numbers for number in _by_area())


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
        available=lambda: has_sectoral_plans(),
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


def sectoral_rows() -> Iterator[dict[str, Any]]:
    base = municipality()
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
    base = municipality()
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
    base = municipality()
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


_entries_ready = api_function("resilience", "published_entries") is not None


def _entries_dataset(key: str, title: Any, description: Any, table: str, **options: Any) -> None:
    """A table of the action plan's entries: pending until resilience.api has them."""
    register_table(
        "resilience",
        key,
        title,
        description,
        table,
        pending=not _entries_ready,
        pending_note="resilience.api.published_entries()",
        extra_links=_geojson_link,
        **options,
    )


register_table(
    "resilience",
    "sectoral-plans",
    _("個別計画と関連する施策"),
    _("分野ごとの個別計画と、関連する施策（1行に1つの施策）。"),
    """
    name           個別計画名
    department     担当課
    status         状況
    start_fy       計画期間の開始年度（西暦）  year
    end_fy         計画期間の終了年度（西暦）  year
    legal_basis    根拠法令等
    url            掲載ページ
    measure_code   関連する施策の番号
    measure_title  関連する施策名
    """,
    rows=sectoral_rows,
    api_path="/api/v1/sectoral-plans",
    order=70,
)
_entries_dataset(
    "resilience-programmes",
    _("国土強靱化の事業（アクションプラン）"),
    _("公表したアクションプランの事業、事業費、交付金。"),
    """
    programme_code  事業番号
    programme_name  事業名
    department      担当課
    measure_code    施策番号
    start_fy        開始年度（西暦）            year
    end_fy          終了年度（西暦）            year
    total_cost      事業費の合計（千円）        integer
    grant           交付金等
    site_count      実施箇所の数（か所）        integer
    """,
    rows=programme_rows,
    api_path="/api/v1/resilience/programmes",
    order=71,
)
_entries_dataset(
    "resilience-sites",
    _("国土強靱化の事業の実施箇所"),
    _("事業を行う場所（緯度・経度、世界測地系）。"),
    """
    programme_code  事業番号
    site_name       実施箇所
    district        地区
    latitude        緯度（度）    number
    longitude       経度（度）    number
    """,
    rows=site_rows,
    api_path="/api/v1/resilience/sites",
    order=72,
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
