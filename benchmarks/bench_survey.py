"""Benchmark of the citizen-survey statistics engine (keikaku.surveys.domain).

Synthetic survey: 100,000 respondents × 60 measures (satisfaction S: and importance I: =
120 scale questions) + overall satisfaction + 3 attributes (gender 3, age band 7,
district 8 categories, some no-answers).

Timed (targets: analysis < 10 s, peak memory < 4 GB):

1. analysis — full simple tabulation of the 120 scale items and overall, scores, boxes,
   margins, cross-tabs of every item by the 3 attributes with small-cell suppression, the
   portfolio (T scores, quadrants, improvement need) and derived importance;
2. JSON — building and serialising the OUT.json document (informative);
3. parse — parsing the same survey from a UTF-8 CSV file (informative; run after the
   analysis so that the analysis peak is measured on its own).

Run: .venv/bin/python benchmarks/bench_survey.py [--quick]
Writes benchmarks/results/survey.json (survey-quick.json with --quick): a list of {name, value, unit, target, pass}.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from keikaku.surveys.domain.design import Measure  # noqa: E402
from keikaku.surveys.domain.report import (  # noqa: E402
    AnalysisOptions,
    analysis_to_dict,
    analyze,
)
from keikaku.surveys.domain.responses import (  # noqa: E402
    Attribute,
    SurveyResponses,
    parse_responses,
)

TARGET_SECONDS = 10.0
TARGET_MEMORY_MB = 4096.0


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def synthetic_survey(n: int, k: int, seed: int = 20240401) -> SurveyResponses:
    rng = np.random.default_rng(seed)
    codes = np.array([0, 1, 2, 3, 4, 5, 9], dtype=np.int8)

    def scale(shape: tuple[int, ...], shift: np.ndarray | float) -> np.ndarray:
        # each item has its own answer distribution; ~4 % no answer, ~6 % わからない
        base = np.array([0.04, 0.12, 0.25, 0.30, 0.15, 0.08, 0.06])
        probs = base[None, :] * np.exp(np.outer(shift, [0, 0.6, 0.3, 0, -0.3, -0.6, 0]))
        probs /= probs.sum(axis=1, keepdims=True)
        cumulative = probs.cumsum(axis=1)
        u = rng.random(shape, dtype=np.float32)
        columns = (u[..., None] > cumulative[None, :, :].astype(np.float32)).sum(axis=-1)
        return codes[np.minimum(columns, 6)]

    sat = scale((n, k), rng.normal(0, 1, k))
    imp = scale((n, k), rng.normal(0.5, 1, k))
    overall = scale((n, 1), np.array([0.2]))[:, 0]
    attributes = (
        Attribute(
            "gender",
            ("男性", "女性", "その他", ""),
            rng.choice(4, n, p=[0.46, 0.5, 0.01, 0.03]).astype(np.int32),
        ),
        Attribute(
            "age_band",
            (
                "18～29歳",
                "30～39歳",
                "40～49歳",
                "50～59歳",
                "60～69歳",
                "70～79歳",
                "80歳以上",
                "",
            ),
            rng.choice(8, n, p=[0.1, 0.12, 0.15, 0.16, 0.17, 0.17, 0.1, 0.03]).astype(np.int32),
        ),
        Attribute(
            "district",
            tuple(f"第{i}地区" for i in range(1, 9)) + ("",),
            rng.choice(9, n, p=[0.12] * 8 + [0.04]).astype(np.int32),
        ),
    )
    measures = tuple(Measure(f"M{j + 1:02d}", f"施策{j + 1}") for j in range(k))
    return SurveyResponses(
        respondent_ids=tuple(f"R{i:06d}" for i in range(n)),
        measures=measures,
        satisfaction=sat,
        importance=imp,
        overall=overall,
        attributes=attributes,
    )


def to_csv(survey: SurveyResponses) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = ["respondent_id"] + [a.name for a in survey.attributes]
    for m in survey.measures:
        header += [f"S:{m.code}", f"I:{m.code}"]
    header.append("overall")
    writer.writerow(header)
    k = len(survey.measures)
    interleaved = np.empty((survey.n_respondents, 2 * k), dtype=np.int8)
    interleaved[:, 0::2] = survey.satisfaction
    interleaved[:, 1::2] = survey.importance
    text = np.array(["", "1", "2", "3", "4", "5", "", "", "", "9"], dtype=object)
    cells = text[interleaved]
    assert survey.overall is not None
    overall = text[survey.overall]
    attribute_values = [np.array(a.categories, dtype=object)[a.codes] for a in survey.attributes]
    for i, rid in enumerate(survey.respondent_ids):
        writer.writerow([rid, *(v[i] for v in attribute_values), *cells[i], overall[i]])
    return buffer.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 respondents × 10 measures")
    parser.add_argument(
        "--output", help="default: benchmarks/results/survey.json (survey-quick.json with --quick)"
    )
    args = parser.parse_args()
    results = ROOT / "benchmarks" / "results"
    output = Path(args.output or results / ("survey-quick.json" if args.quick else "survey.json"))
    n, k = (2_000, 10) if args.quick else (100_000, 60)

    t0 = time.perf_counter()
    survey = synthetic_survey(n, k)
    generate_seconds = time.perf_counter() - t0

    options = AnalysisOptions(crosstab_by=("gender", "age_band", "district"))
    t0 = time.perf_counter()
    analysis = analyze(survey, options=options)
    analysis_seconds = time.perf_counter() - t0
    analysis_peak = peak_rss_mb()
    n_crosstabs = len(analysis.crosstabs)

    t0 = time.perf_counter()
    text = json.dumps(analysis_to_dict(analysis), ensure_ascii=False, allow_nan=False)
    json_seconds = time.perf_counter() - t0
    del analysis

    data = to_csv(survey)
    t0 = time.perf_counter()
    parsed = parse_responses(data, survey.measures).unwrap()
    parse_seconds = time.perf_counter() - t0
    assert np.array_equal(parsed.satisfaction, survey.satisfaction)
    total_peak = peak_rss_mb()

    label = "quick" if args.quick else "full"
    rows: list[dict[str, object]] = [
        {
            "name": f"{label}: respondents",
            "value": n,
            "unit": "respondents",
            "target": None,
            "pass": None,
        },
        {
            "name": f"{label}: scale questions (S+I)",
            "value": 2 * k,
            "unit": "questions",
            "target": None,
            "pass": None,
        },
        {
            "name": f"{label}: cross-tabs built",
            "value": n_crosstabs,
            "unit": "tables",
            "target": None,
            "pass": None,
        },
        {
            "name": f"{label}: synthetic data generation",
            "value": round(generate_seconds, 3),
            "unit": "s",
            "target": None,
            "pass": None,
        },
        {
            "name": f"{label}: tabulation + cross-tabs by 3 attributes + portfolio",
            "value": round(analysis_seconds, 3),
            "unit": "s",
            "target": TARGET_SECONDS,
            "pass": analysis_seconds < TARGET_SECONDS,
        },
        {
            "name": f"{label}: peak memory (RSS) after analysis",
            "value": round(analysis_peak, 1),
            "unit": "MB",
            "target": TARGET_MEMORY_MB,
            "pass": analysis_peak < TARGET_MEMORY_MB,
        },
        {
            "name": f"{label}: OUT.json build + serialise ({len(text) // 1024} KiB)",
            "value": round(json_seconds, 3),
            "unit": "s",
            "target": None,
            "pass": None,
        },
        {
            "name": f"{label}: parse CSV ({len(data) // (1024 * 1024)} MiB)",
            "value": round(parse_seconds, 3),
            "unit": "s",
            "target": None,
            "pass": None,
        },
        {
            "name": f"{label}: peak memory (RSS) including CSV parse",
            "value": round(total_peak, 1),
            "unit": "MB",
            "target": TARGET_MEMORY_MB,
            "pass": total_peak < TARGET_MEMORY_MB,
        },
    ]
    width = max(len(str(r["name"])) for r in rows)
    print(f"{'benchmark':<{width}}  {'value':>12}  {'unit':<11}  {'target':>8}  pass")
    for r in rows:
        target = "" if r["target"] is None else f"{r['target']:g}"
        verdict = "" if r["pass"] is None else ("ok" if r["pass"] else "FAIL")
        print(f"{r['name']:<{width}}  {r['value']:>12}  {r['unit']:<11}  {target:>8}  {verdict}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
