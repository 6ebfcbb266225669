"""Benchmark: KPI achievement and grading, vectorised path (keikaku.evaluation.domain).

    .venv/bin/python benchmarks/bench_evaluation.py          # 100,000 indicators × 10 years
    .venv/bin/python benchmarks/bench_evaluation.py --quick  # 10,000 × 10, one repeat

Prints a table and writes benchmarks/results/evaluation.json. That file is shared: its
``results`` list holds entries of several groups. This script replaces only the entries of
group ``achievement_grading``; the report-generation benchmark (added later) appends its own
entries with group ``report_generation`` and keeps the others, the same way.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from keikaku.evaluation.domain.achievement import (  # noqa: E402
    DIRECTION_CODES,
    Direction,
    IndicatorSpec,
    evaluate_indicator,
)
from keikaku.evaluation.domain.achievement_arrays import (  # noqa: E402
    IndicatorArrays,
    evaluate_arrays,
)
from keikaku.evaluation.domain.grading import (  # noqa: E402
    default_scheme_id,
    grade_achievements,
    load_presets,
)

GROUP = "achievement_grading"
RESULTS_FILE = ROOT / "benchmarks" / "results" / "evaluation.json"
FIRST_FY = 2020
TARGET_SECONDS = 1.0


def synthetic(n: int, years: int, seed: int = 20250401) -> tuple[IndicatorArrays, np.ndarray]:
    """A plausible mix: 60 % increase, 25 % decrease, 10 % maintain, 5 % milestones;
    10 % cumulative (yearly input), 20 % survey-based; 5 % of the values not reported."""
    rng = np.random.default_rng(seed)
    direction = rng.choice(
        [DIRECTION_CODES[d] for d in Direction], size=n, p=[0.60, 0.25, 0.10, 0.05]
    ).astype(np.int8)
    baseline = np.round(rng.uniform(0, 1000, n), 1)
    step = np.round(rng.uniform(1, 300, n), 1)
    target = np.where(
        direction == DIRECTION_CODES[Direction.DECREASE], baseline - step, baseline + step
    )
    maintain = direction == DIRECTION_CODES[Direction.MAINTAIN]
    target = np.where(maintain, baseline, target)
    milestone = direction == DIRECTION_CODES[Direction.MILESTONE]
    baseline = np.where(milestone, 0.0, baseline)
    target = np.where(milestone, 1.0, target)
    baseline_fy = np.full(n, FIRST_FY - 1, dtype=np.int64)
    target_fy = baseline_fy + rng.integers(3, 11, n)
    running_total = (rng.random(n) < 0.10) & ~milestone
    survey = rng.random(n) < 0.20
    indicators = IndicatorArrays(
        direction=direction,
        baseline=baseline,
        target=target,
        baseline_fy=baseline_fy,
        target_fy=target_fy,
        plan_start_fy=np.full(n, FIRST_FY, dtype=np.int64),
        plan_end_fy=np.full(n, FIRST_FY + years - 1, dtype=np.int64),
        maintain_side=np.where(rng.random(n) < 0.5, 1, -1).astype(np.int8),
        running_total=running_total,
        running_total_from_zero=np.zeros(n, dtype=np.bool_),
        running_total_start_fy=baseline_fy + 1,
        tolerance=np.where(survey, 3.0, 0.0),
    )
    # Values drift from the baseline towards (and around) the target.
    frac = (np.arange(1, years + 1)[None, :] / years) * rng.uniform(-0.3, 1.4, (n, 1))
    values = baseline[:, None] + (target - baseline)[:, None] * frac
    values += rng.normal(0, 5, (n, years))
    values = np.round(values, 1)
    values = np.where(running_total[:, None], np.round(rng.uniform(0, 40, (n, years)), 0), values)
    values = np.where(milestone[:, None], (rng.random((n, years)) < frac).astype(float), values)
    values[rng.random((n, years)) < 0.05] = np.nan
    return indicators, values


def timed(fn: Callable[[], Any], repeats: int) -> tuple[list[float], Any]:
    times: list[float] = []
    result: Any = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def entry(
    name: str, value: float, unit: str, target: float | None = None, **detail: Any
) -> dict[str, Any]:
    return {
        "group": GROUP,
        "name": name,
        "value": round(value, 6),
        "unit": unit,
        "target": target,
        "pass": None if target is None else bool(value < target),
        "detail": detail,
    }


def scalar_rate(count: int) -> float:
    """Seconds per indicator (10 years) for the pure-Python path, for comparison only."""
    specs = [
        IndicatorSpec(
            code=str(i),
            direction=Direction.INCREASE,
            baseline=40.0,
            baseline_fy=FIRST_FY - 1,
            target=50.0 + i % 7,
            target_fy=FIRST_FY + 9,
            plan_start_fy=FIRST_FY,
            plan_end_fy=FIRST_FY + 9,
            survey_based=i % 5 == 0,
        )
        for i in range(count)
    ]
    obs = {FIRST_FY + j: 40.0 + j * 1.1 for j in range(10)}
    years = range(FIRST_FY, FIRST_FY + 10)
    start = time.perf_counter()
    for s in specs:
        evaluate_indicator(s, obs, years)
    return (time.perf_counter() - start) / count


def write_results(entries: list[dict[str, Any]], run: dict[str, Any]) -> None:
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {}
    if RESULTS_FILE.exists():
        try:
            data = json.loads(RESULTS_FILE.read_text("utf-8"))
        except json.JSONDecodeError:
            data = {}
    others = [e for e in data.get("results", []) if e.get("group") != GROUP]
    runs = {k: v for k, v in data.get("runs", {}).items() if k != GROUP}
    runs[GROUP] = run
    data = {
        "topic": "evaluation",
        "about": (
            "KPI achievement, grading and (later) report generation. `results` is a list shared "
            "by several benchmark scripts: each entry has a `group`; a script replaces only its "
            "own group's entries and keeps the others. Groups: achievement_grading "
            "(benchmarks/bench_evaluation.py); report_generation (to be added)."
        ),
        "runs": runs,
        "results": others + entries,
    }
    RESULTS_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 indicators, one repeat")
    parser.add_argument("--indicators", type=int, default=None, help="number of indicators")
    parser.add_argument("--years", type=int, default=10, help="number of fiscal years")
    parser.add_argument("--repeats", type=int, default=None, help="timed repeats (median taken)")
    parser.add_argument("--no-write", action="store_true", help="do not write the JSON file")
    args = parser.parse_args(argv)
    n = args.indicators or (10_000 if args.quick else 100_000)
    repeats = args.repeats or (1 if args.quick else 5)
    years = args.years

    presets = load_presets()
    scheme_id = default_scheme_id()
    scheme = presets[scheme_id]
    indicators, values = synthetic(n, years)
    cells = n * years

    # warm-up (imports, first-touch allocation)
    warm = evaluate_arrays(indicators, values, FIRST_FY)
    grade_achievements(scheme, warm)

    t_eval, arrays = timed(lambda: evaluate_arrays(indicators, values, FIRST_FY), repeats)
    t_grade, grades = timed(lambda: grade_achievements(scheme, arrays), repeats)
    t_total, _ = timed(
        lambda: grade_achievements(scheme, evaluate_arrays(indicators, values, FIRST_FY)), repeats
    )
    t_presets = {
        sid: statistics.median(timed(lambda s=s: grade_achievements(s, arrays), repeats)[0])
        for sid, s in presets.items()
    }

    tracemalloc.start()
    grade_achievements(scheme, evaluate_arrays(indicators, values, FIRST_FY))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    per_indicator = scalar_rate(500 if args.quick else 2_000)

    total = statistics.median(t_total)
    size = {"indicators": n, "years": years, "cells": cells, "repeats": repeats}
    entries = [
        entry(
            "achievement_and_grading_seconds",
            total,
            "s",
            TARGET_SECONDS if not args.quick else None,
            scheme=scheme_id,
            best=min(t_total),
            **size,
        ),
        entry("achievement_seconds", statistics.median(t_eval), "s", best=min(t_eval), **size),
        entry(
            "grading_seconds",
            statistics.median(t_grade),
            "s",
            scheme=scheme_id,
            best=min(t_grade),
            **size,
        ),
        *[
            entry(f"grading_seconds_{sid}", seconds, "s", **size)
            for sid, seconds in t_presets.items()
        ],
        entry("throughput_cells_per_second", cells / total, "cells/s", **size),
        entry("peak_traced_memory_mib", peak / 2**20, "MiB", **size),
        entry("max_rss_mib", maxrss_mib, "MiB", **size),
        entry(
            "scalar_path_seconds_per_indicator",
            per_indicator,
            "s",
            note="pure-Python evaluate_indicator, 10 years, for comparison",
        ),
    ]
    counts = grades.counts()
    print(f"KPI achievement + grading: {n:,} indicators × {years} years = {cells:,} cells")
    print(f"{'name':<40} {'value':>14} {'unit':<8} {'target':>8} pass")
    for e in entries:
        target = "" if e["target"] is None else f"< {e['target']:g}"
        verdict = "" if e["pass"] is None else ("yes" if e["pass"] else "NO")
        print(f"{e['name']:<40} {e['value']:>14,.4f} {e['unit']:<8} {target:>8} {verdict}")
    print(
        "grade distribution ("
        + scheme_id
        + "): "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )

    if not args.no_write:
        run = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "quick": args.quick,
            "python": platform.python_version(),
            "numpy": np.__version__,
            "machine": platform.machine(),
            "grade_distribution": counts,
        }
        write_results(entries, run)
        print(f"written: {RESULTS_FILE.relative_to(ROOT)}")
    failed = [e for e in entries if e["pass"] is False]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
