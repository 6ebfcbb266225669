"""Charts of the analysis pages (server-side SVG, always with a table of the same numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from keikaku.analysis.models import AnalysisRun
from keikaku.analysis.selectors import NONE_CODE
from keikaku.core.domain.charts import NetworkEdge, NetworkNode, network_chart


def cluster_name(cluster_id: str) -> str:
    """「4-2/1」 as it is; 「none/3」 → 「該当なし/3」."""
    prefix, _sep, number = cluster_id.partition("/")
    return f"{_('該当なし')}/{number}" if prefix == "none" else cluster_id


@dataclass(frozen=True)
class TopicRow:
    id: str
    name: str
    measure: str  # "" = 該当なし
    terms: tuple[str, ...]
    size: int
    density: float
    x: float
    y: float
    representative: str
    summary: tuple[str, ...]


def topic_rows(run: AnalysisRun, measure: str | None) -> list[TopicRow]:
    """Topics of the run (of one measure; NONE_CODE = 該当なし; None = all), with the mean map
    position of their members."""
    positions: dict[str, dict[str, Any]] = {
        row["cluster"]: dict(row)
        for row in run.opinions.exclude(cluster="")
        .values("cluster")
        .annotate(x=Avg("x"), y=Avg("y"), n=Count("id"))
    }
    out: list[TopicRow] = []
    for c in (run.result or {}).get("clusters", []):
        code = c["measure"] or ""
        if measure is not None and code != ("" if measure == NONE_CODE else measure):
            continue
        pos = positions.get(c["id"], {})
        out.append(
            TopicRow(
                id=c["id"],
                name=cluster_name(c["id"]),
                measure=code,
                terms=tuple(c["label_terms"]),
                size=c["size"],
                density=c["density"],
                x=round(float(pos.get("x") or 0.0), 3),
                y=round(float(pos.get("y") or 0.0), 3),
                representative=c["representative"],
                summary=tuple(c.get("summary", [])),
            )
        )
    return out


MAP_LABELS = 20  # topics named in the picture when there are more (the largest ones)


def topic_map_svg(rows: list[TopicRow], caption: str, areas: dict[str, str]) -> str:
    """Topics as marks: the size is the number of opinions, colour and shape the policy area
    (``areas``: measure code → 「4 都市基盤」), the place the mean map position of the
    members, squeezed and spread so that marks do not overlap (domain.layout.map_layout)."""
    from keikaku.analysis.domain.layout import map_layout

    positions = map_layout([(r.x, -r.y) for r in rows])
    named = {r.id for r in sorted(rows, key=lambda r: (-r.size, r.id))[:MAP_LABELS]}
    desc = _(
        "トピックごとの印です。印が大きいほど意見が多く、色と形は政策分野を表します。"
        "位置は属する意見の内容を 2 次元に縮めたもので、近い印ほど内容が似ています"
        "（印が重ならないように少しずらしています）。数値は下の表にあります。"
    )
    if len(rows) > MAP_LABELS:
        desc += _("名前は意見の多い %(n)d のトピックにだけ付けています。") % {"n": MAP_LABELS}
    return network_chart(
        chart_id="topic-map",
        title=caption,
        desc=desc,
        nodes=[
            NetworkNode(
                id=f"t{i}",
                label=(
                    f"{r.name} {r.terms[0] if r.terms else ''}".strip() if r.id in named else ""
                ),
                x=x,
                y=y,
                size=float(r.size),
                group=areas.get(r.measure, "") or _("該当なし"),
            )
            for i, (r, (x, y)) in enumerate(zip(rows, positions, strict=True))
        ],
        edges=[],
    )


@dataclass(frozen=True)
class NetworkData:
    svg: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


def network(run: AnalysisRun) -> NetworkData:
    """The co-occurrence network, laid out part by part (domain.layout.network_layout); the
    marks are listed by group, then by the number of opinions they appear in."""
    from keikaku.analysis.domain.layout import network_layout

    data = (run.result or {}).get("cooccurrence", {"nodes": [], "edges": []})
    ids: dict[str, str] = {}
    nodes: list[dict[str, Any]] = []
    for n in sorted(data["nodes"], key=lambda n: (n["community"], -n["df"], n["term"])):
        if n["term"] in ids:
            continue
        ids[n["term"]] = f"n{len(ids)}"
        nodes.append(n)
    edges = [e for e in data["edges"] if e["source"] in ids and e["target"] in ids]
    pos = network_layout(
        [ids[n["term"]] for n in nodes], [(ids[e["source"]], ids[e["target"]]) for e in edges]
    )
    svg = network_chart(
        chart_id="cooccurrence",
        title=_("共起ネットワーク"),
        desc=_(
            "よく一緒に使われる語を線で結びます。印が大きいほど多くの意見に出る語、"
            "線が太いほど一緒に出ることが多い組（Jaccard 係数）です。色と形はグループ"
            "（互いによく結ばれた語のまとまり）を表します。数値は下の表にあります。"
        ),
        nodes=[
            NetworkNode(
                id=ids[n["term"]],
                label=n["term"],
                x=pos[ids[n["term"]]][0],
                y=pos[ids[n["term"]]][1],
                size=float(n["df"]),
                group=_("グループ%(n)d") % {"n": n["community"] + 1},
            )
            for n in nodes
        ],
        edges=[NetworkEdge(ids[e["source"]], ids[e["target"]], e["jaccard"]) for e in edges],
    )
    return NetworkData(svg, nodes, edges)
