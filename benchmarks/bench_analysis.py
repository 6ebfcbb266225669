"""Benchmark of the opinion-analysis engine (keikaku.analysis.domain): quality and speed.

Quality, on the hand-written labelled set of the fictional city 桜ヶ丘市
(keikaku/analysis/tests/data: 453 opinions, 30 measures, 19 with no measure, a planted
campaign of 24, 3 duplicate groups):

- measure assignment: top-1 / top-3 accuracy and MRR (measures listed by the analysis, best
  first, at most 3) with the full measure profiles (title, description, 目指す姿, 主な取組,
  成果指標, keywords), with title + description only, and with title + description plus two
  staff-confirmed opinions per measure drawn at random (seed 0; scored on the other opinions);
  該当なし precision/recall;
- campaigns: precision / recall of the opinions flagged as campaign;
- duplicates: precision / recall of the labelled duplicate pairs;
- clustering: ARI / NMI against the true measures of (a) the topic clusters, (b) the top-1
  measure, (c) an unsupervised k-means of all opinions (k by silhouette up to 40).

Speed and memory (each size in its own process; targets: 10,000 ≤ 30 s, 100,000 ≤ 600 s,
peak memory ≤ 4 GB): the whole pipeline including RESULT.json serialisation on synthetic
opinions built from the labelled set (1–3 sentences of opinions on the same measure, greetings
and closings, half-width katakana, dropped characters, a campaign of ~3 %, ~2 % exact resubmissions).

Run: .venv/bin/python benchmarks/bench_analysis.py [--quick | --full]
(default: quality + 10,000; --full adds 100,000; --quick: quality + 1,000 → analysis-quick.json)
Writes benchmarks/results/analysis.json: {"topic", "quick", "workload", "machine", "results":
[{name, value, unit, target, pass}]}.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import resource
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from keikaku.analysis.domain.model import Opinion  # noqa: E402
from keikaku.analysis.domain.pipeline import analyze  # noqa: E402
from keikaku.analysis.domain.serialize import result_to_json  # noqa: E402
from keikaku.analysis.tests.labelled import (  # noqa: E402
    QUALITY_FLOORS,
    LabelledSet,
    evaluate,
    load_labelled,
)

RESULTS = ROOT / "benchmarks" / "results"
TARGETS = {1_000: 30.0, 10_000: 30.0, 30_000: None, 100_000: 600.0}
TARGET_MEMORY_MB = 4096.0


SYNTHETIC_NOTE = (
    "synthetic opinions recombine about 900 hand-written sentences, so at 100,000 many are "
    "near-paraphrases of each other: the duplicate and campaign counts reflect that, not real data"
)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def row(
    name: str, value: float | int, unit: str, target: float | None, higher: bool = True
) -> dict[str, Any]:
    if target is None:
        ok = None
    else:
        ok = bool(value >= target) if higher else bool(value <= target)
    return {"name": name, "value": value, "unit": unit, "target": target, "pass": ok}


# ----------------------------------------------------------------------------- quality
QUALITY_ROWS = [
    ("full_top1", "assignment (full profiles): top-1 accuracy"),
    ("full_top3", "assignment (full profiles): top-3 accuracy"),
    ("full_mrr", "assignment (full profiles): MRR"),
    ("full_none_precision", "assignment (full profiles): 該当なし precision"),
    ("full_none_recall", "assignment (full profiles): 該当なし recall"),
    ("basic_top1", "assignment (title+description): top-1 accuracy"),
    ("basic_top3", "assignment (title+description): top-3 accuracy"),
    ("basic_mrr", "assignment (title+description): MRR"),
    ("basic_none_precision", "assignment (title+description): 該当なし precision"),
    ("basic_none_recall", "assignment (title+description): 該当なし recall"),
    ("confirmed_top1", "assignment (t+d, 2 confirmed/measure): top-1 accuracy"),
    ("confirmed_top3", "assignment (t+d, 2 confirmed/measure): top-3 accuracy"),
    ("confirmed_mrr", "assignment (t+d, 2 confirmed/measure): MRR"),
    ("confirmed_none_precision", "assignment (t+d, 2 confirmed/measure): 該当なし precision"),
    ("confirmed_none_recall", "assignment (t+d, 2 confirmed/measure): 該当なし recall"),
    ("campaign_precision", "campaign precision"),
    ("campaign_recall", "campaign recall"),
    ("duplicate_precision", "duplicate pairs precision"),
    ("duplicate_recall", "duplicate pairs recall"),
    ("cluster_ari", "topic clusters within measures: ARI"),
    ("cluster_nmi", "topic clusters within measures: NMI"),
    ("measure_ari", "top-1 measure as a clustering: ARI"),
    ("measure_nmi", "top-1 measure as a clustering: NMI"),
    ("unsupervised_ari", "unsupervised k-means of all opinions: ARI"),
    ("unsupervised_nmi", "unsupervised k-means of all opinions: NMI"),
]


def quality() -> list[dict[str, Any]]:
    values = evaluate(load_labelled())
    return [
        row(label, round(values[key], 4), "ratio", QUALITY_FLOORS.get(key))
        for key, label in QUALITY_ROWS
    ]


# ----------------------------------------------------------------------------- synthetic
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")
_PRE = [
    "",
    "",
    "",
    "",
    "いつもお世話になっております。",
    "市民の一人として意見を出します。",
    "西台に住んでいる者です。",
    "子育て中の母です。",
    "年金暮らしの者ですが、",
    "個人的な意見ですが、",
    "前から思っていたことです。",
    "アンケートが届いたので書きます。",
    "初めて意見を出します。",
    "富士見に住んで10年になります。",
    "会社員です。",
    "７０代の夫婦です。",
]
_POST = [
    "",
    "",
    "",
    "",
    "よろしくお願いします。",
    "ご検討ください。",
    "以上です。",
    "お願いします！",
    "どうかよろしく。",
    "期待しています。",
    "本当に困っています。",
    "よろしくお願いいたします。",
    "早めの対応をお願いします。",
    "検討をお願いします。",
]
_DISTRICTS = ["本町", "東原", "西台", "南台", "若葉", "緑町", "富士見"]
_AGES = ["10代", "20代", "30代", "40代", "50代", "60代", "70代", "80代以上"]


def _halfwidth_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for cp in range(0xFF66, 0xFF9E):
        hw = chr(cp)
        table[unicodedata.normalize("NFKC", hw)] = hw
        for mark in ("\uff9e", "\uff9f"):
            composed = unicodedata.normalize("NFKC", hw + mark)
            if len(composed) == 1:
                table[composed] = hw + mark
    return table


_HALF = _halfwidth_table()


def _noise(text: str, rng: random.Random) -> str:
    if rng.random() < 0.1:
        text = "".join(_HALF.get(c, c) for c in text)
    if rng.random() < 0.1 and len(text) > 10:
        k = rng.randrange(len(text))
        text = text[:k] + text[k + 1 :]
    if rng.random() < 0.05:
        text = text.replace("。", "！", 1)
    return text


def synthetic(data: LabelledSet, n: int, seed: int) -> list[Opinion]:
    rng = random.Random(seed)
    pools: dict[str | None, list[str]] = {}
    campaign: list[str] = []
    for o in data.opinions:
        if data.campaign[o.id]:
            campaign.append(o.text)
            continue
        sentences = [s.strip() for s in _SENTENCE.findall(o.text) if s.strip()]
        pools.setdefault(data.measure[o.id], []).extend(sentences)
    keys = sorted(pools, key=lambda k: (k is None, k or ""))
    weights = [len(pools[k]) for k in keys]
    out: list[Opinion] = []
    for i in range(n):
        attrs = (("年代", rng.choice(_AGES)), ("地区", rng.choice(_DISTRICTS)))
        r = rng.random()
        if out and r < 0.02:
            text = rng.choice(out).text  # a resubmission
        elif r < 0.05:
            text = rng.choice(_PRE) + rng.choice(campaign) + rng.choice(_POST)
        else:
            key = rng.choices(keys, weights=weights)[0]
            pool = pools[key]
            count = min(len(pool), rng.choice((1, 2, 2, 3)))
            text = rng.choice(_PRE) + "".join(rng.sample(pool, count)) + rng.choice(_POST)
        out.append(Opinion(f"S{i + 1:06d}", _noise(text, rng), attrs))
    return out


def child(n: int) -> None:
    """Run the pipeline on n synthetic opinions; print the measurements as JSON."""
    data = load_labelled()
    opinions = synthetic(data, n, seed=n)
    stages: dict[str, float] = {}
    start = time.perf_counter()
    last = [start]

    def progress(stage: str) -> None:
        now = time.perf_counter()
        stages[stage] = round(now - last[0], 3)
        last[0] = now

    result = analyze(opinions, data.measures, progress=progress)
    analysed = time.perf_counter()
    text = result_to_json(result)
    end = time.perf_counter()
    stages["json"] = round(end - analysed, 3)
    print(
        json.dumps(
            {
                "n": n,
                "seconds": round(end - start, 3),
                "peak_mb": round(peak_rss_mb(), 1),
                "stages": stages,
                "json_mb": round(len(text.encode("utf-8")) / 1e6, 2),
                "voices": result.counts.voices,
                "duplicate_groups": result.counts.duplicate_groups,
                "campaigns": result.counts.campaigns,
                "in_campaigns": result.counts.in_campaigns,
                "clusters": len(result.clusters),
                "unassigned": result.counts.unassigned,
            }
        )
    )


def speed(n: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(n)], capture_output=True, text=True, check=True
    )
    m = json.loads(proc.stdout.strip().splitlines()[-1])
    label = f"{n:,} opinions"
    rows = [
        row(f"{label}: whole pipeline + JSON", m["seconds"], "s", TARGETS[n], higher=False),
        row(f"{label}: peak memory", m["peak_mb"], "MB", TARGET_MEMORY_MB, higher=False),
    ]
    for stage, seconds in m["stages"].items():
        rows.append(row(f"{label}: stage {stage}", seconds, "s", None))
    rows.append(row(f"{label}: RESULT.json size", m["json_mb"], "MB", None))
    return rows, m


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="quality + 1,000 opinions")
    group.add_argument("--full", action="store_true", help="also 100,000 opinions")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    sizes = [1_000] if args.quick else [10_000, 100_000] if args.full else [10_000]
    results = quality()
    data = load_labelled()
    workload: dict[str, Any] = {
        "labelled_opinions": len(data.opinions),
        "measures": len(data.measures),
        "synthetic": {},
        "note": SYNTHETIC_NOTE,
    }
    for n in sizes:
        rows, m = speed(n)
        results.extend(rows)
        workload["synthetic"][str(n)] = {k: v for k, v in m.items() if k not in ("stages",)}
    document = {
        "topic": "analysis",
        "quick": bool(args.quick),
        "workload": workload,
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "platform": platform.platform(),
        },
        "results": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "analysis-quick.json" if args.quick else "analysis.json"
    (RESULTS / name).write_text(
        json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"{'benchmark':<60} {'value':>12} {'unit':<6} {'target':<10} ok")
    print("-" * 96)
    for r in results:
        ok = {True: "yes", False: "NO"}.get(r["pass"], "-")
        print(f"{r['name'][:60]:<60} {r['value']:>12} {r['unit']:<6} {str(r['target']):<10} {ok}")
    return 0 if all(r["pass"] is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
