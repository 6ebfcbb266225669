"""Charts of the analysis pages (server-side SVG, always with a table of the same numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from keikaku.analysis.models import AnalysisRun
from keikaku.analysis.selectors import NONE_CODE
from keikaku.core.domain.charts import (
    NetworkEdge,
    NetworkNode,
    ScatterPoint,
    network_chart,
    scatter_chart,
)


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


def topic_map_svg(rows: list[TopicRow], caption: str) -> str:
    return scatter_chart(
        chart_id="topic-map",
        title=caption,
        desc=_(
            "トピックごとに、属する意見の位置（意見の内容を 2 次元に縮めた座標）の平均を点で示します。"
            "近い点ほど内容が似ています。数値は下の表にあります。"
        ),
        points=[
            ScatterPoint(f"{r.name} {r.terms[0] if r.terms else ''}".strip(), r.x, r.y)
            for r in rows
        ],
        x_label=_("第1軸"),
        y_label=_("第2軸"),
        x_split=0.0,
        y_split=0.0,
        quadrant_labels=("", "", "", ""),
        x_min=-1.0,
        x_max=1.0,
        y_min=-1.0,
        y_max=1.0,
    )


@dataclass(frozen=True)
class NetworkData:
    svg: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


def network(run: AnalysisRun) -> NetworkData:
    """The co-occurrence network, laid out by networkx's spring layout (seeded)."""
    import networkx as nx  # imported when the page is shown, not at start-up

    data = (run.result or {}).get("cooccurrence", {"nodes": [], "edges": []})
    graph = nx.Graph()
    ids: dict[str, str] = {}
    nodes: list[dict[str, Any]] = []
    for i, n in enumerate(data["nodes"]):
        if n["term"] in ids:
            continue
        ids[n["term"]] = f"n{i}"
        graph.add_node(f"n{i}")
        nodes.append(n)
    edges = [e for e in data["edges"] if e["source"] in ids and e["target"] in ids]
    for e in edges:
        graph.add_edge(ids[e["source"]], ids[e["target"]], weight=e["jaccard"])
    seed = int((run.config.get("parameters") or {}).get("seed", 0))
    pos: dict[str, Any] = nx.spring_layout(graph, seed=seed, weight="weight") if nodes else {}
    svg = network_chart(
        chart_id="cooccurrence",
        title=_("共起ネットワーク"),
        desc=_(
            "よく一緒に使われる語を線で結びます。円などの印が大きいほど多くの意見に出る語、"
            "線が太いほど一緒に出ることが多い組（Jaccard 係数）です。色と形はグループを表します。"
            "数値は下の表にあります。"
        ),
        nodes=[
            NetworkNode(
                id=ids[n["term"]],
                label=n["term"],
                x=float(pos[ids[n["term"]]][0]),
                y=float(pos[ids[n["term"]]][1]),
                size=float(n["df"]),
                group=_("グループ%(n)d") % {"n": n["community"] + 1},
            )
            for n in nodes
        ],
        edges=[NetworkEdge(ids[e["source"]], ids[e["target"]], e["jaccard"]) for e in edges],
    )
    return NetworkData(svg, nodes, edges)
