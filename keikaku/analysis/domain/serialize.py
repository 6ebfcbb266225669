"""RESULT.json of the opinion analysis (see docs/formats/opinion-analysis.md)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from keikaku.analysis.domain.model import AnalysisResult

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "result_to_dict", "result_to_json"]

FORMAT_NAME = "keikaku-opinion-analysis"
FORMAT_VERSION = 1


def result_to_dict(result: AnalysisResult) -> dict[str, Any]:
    """JSON-ready dict; key order and list order are part of the format."""
    parameters = dataclasses.asdict(result.config)
    parameters["char_ngram_range"] = list(result.config.char_ngram_range)
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "parameters": parameters,
        "counts": dataclasses.asdict(result.counts),
        "opinions": [
            {
                "id": o.id,
                "measures": [{"code": m.code, "score": m.score} for m in o.measures],
                "duplicate_group": o.duplicate_group,
                "campaign": o.campaign,
                "cluster": o.cluster,
                "confirmed": o.confirmed,
            }
            for o in result.opinions
        ],
        "duplicate_groups": [
            {
                "id": g.id,
                "representative": g.representative,
                "size": len(g.members),
                "exact": g.exact,
                "members": list(g.members),
            }
            for g in result.duplicate_groups
        ],
        "campaigns": [
            {
                "id": c.id,
                "representative": c.representative,
                "size": len(c.members),
                "members": list(c.members),
            }
            for c in result.campaigns
        ],
        "clusters": [
            {
                "id": c.id,
                "measure": c.measure,
                "label_terms": list(c.label_terms),
                "representative": c.representative,
                "size": len(c.members),
                "density": c.density,
                "members": list(c.members),
                "summary": list(c.summary),
                "llm_summary": c.llm_summary,
            }
            for c in result.clusters
        ],
        "keywords": [
            {"term": k.term, "normalized": k.normalized, "pos": k.pos, "tf": k.tf, "df": k.df}
            for k in result.keywords
        ],
        "keywords_by_pos": {
            pos: [
                {"term": k.term, "normalized": k.normalized, "tf": k.tf, "df": k.df} for k in stats
            ]
            for pos, stats in result.keywords_by_pos
        },
        "kwic": [
            {
                "term": term,
                "lines": [
                    {
                        "id": line.opinion_id,
                        "left": line.left,
                        "keyword": line.keyword,
                        "right": line.right,
                    }
                    for line in lines
                ],
            }
            for term, lines in result.kwic
        ],
        "cooccurrence": {
            "nodes": [
                {"term": n.term, "pos": n.pos, "df": n.df, "community": n.community}
                for n in result.cooccurrence.nodes
            ],
            "edges": [
                {"source": e.source, "target": e.target, "count": e.count, "jaccard": e.jaccard}
                for e in result.cooccurrence.edges
            ],
        },
        "characteristic_words": [
            {
                "dimension": c.dimension,
                "value": c.value,
                "size": c.size,
                "words": [
                    {
                        "term": w.term,
                        "pos": w.pos,
                        "count": w.count,
                        "z": w.z,
                        "significant": w.significant,
                    }
                    for w in c.words
                ],
            }
            for c in result.characteristic_words
        ],
        "summaries": [
            {
                "measure": s.measure,
                "opinions": s.opinions,
                "voices": s.voices,
                "summary": list(s.summary),
                "llm_summary": s.llm_summary,
            }
            for s in result.summaries
        ],
        "map": [{"id": p.id, "x": p.x, "y": p.y} for p in result.map],
    }


def result_to_json(result: AnalysisResult, *, indent: int | None = 1) -> str:
    return json.dumps(result_to_dict(result), ensure_ascii=False, indent=indent) + "\n"
