"""Population projection benchmark: every municipality of Japan × 4 scenarios at once.

1,741 municipalities × 2 sexes × 19 age groups (0-4 … 90+) × 10 five-year steps × 4
scenarios (baseline, fertility rising, migration balance from 2030, half migration), on
synthetic but realistic inputs (seeded). Measures:

* the vectorised engine (numpy; scenarios applied, projected, indicators computed) — best
  of several runs; target < 1 s; and the same without indicators (the loop's workload,
  used for the speed ratio);
* the plain-Python loop reference (keikaku.demography.domain.reference) of the same
  computation (scenarios applied, projected; no indicators), on every municipality by
  default; ``--loop-subset N`` runs it on N municipalities only and extrapolates linearly
  (the loop is linear in the number of municipalities) — the report says which;
* that the two agree (the engine fixes the order of floating-point operations, so they
  must be bit-identical; the maximum absolute difference is reported);
* memory: tracemalloc peak of one vectorised run, and the process's max RSS.

Run: ``.venv/bin/python benchmarks/bench_population.py`` (``--quick`` for a smoke run).
Writes benchmarks/results/population.json.
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
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from keikaku.demography.domain.agegroups import AgeGroups  # noqa: E402
from keikaku.demography.domain.projection import Convention, ProjectionInput  # noqa: E402
from keikaku.demography.domain.reference import project_loop  # noqa: E402
from keikaku.demography.domain.scenarios import Scenario, project_scenarios  # noqa: E402

MUNICIPALITIES = 1741
STEPS = 10
BASE_YEAR = 2020
TARGET_SECONDS = 1.0
SCENARIOS = (
    Scenario("baseline"),
    # TFR path 1.8 by 2030 and 2.07 by 2040 from about 1.3, applied by scaling the CWR.
    Scenario("fertility", fertility_scale=((2020, 1.0), (2030, 1.8 / 1.3), (2040, 2.07 / 1.3))),
    Scenario("balance", zero_migration_from=2030),
    Scenario("half_migration", migration_scale=0.5),
)


def synthetic_input(municipalities: int, seed: int = 20240601) -> ProjectionInput:
    """Municipalities from 1,000 to a few million people, ageing profiles, noisy rates."""
    rng = np.random.default_rng(seed)
    groups = AgeGroups(90)
    size = groups.size
    ages = np.arange(size) * 5 + 2.5
    totals = np.exp(rng.uniform(np.log(1_000), np.log(3_700_000), municipalities))
    ageing = rng.uniform(0.0, 1.0, municipalities)[:, None]
    profile = np.exp(-(((ages - 45.0) / 30.0) ** 2)) + ageing * np.exp(
        -(((ages - 70.0) / 12.0) ** 2)
    )
    profile[-1] *= 0.3
    profile = profile[:, None, :] * rng.uniform(0.85, 1.15, (municipalities, 2, size))
    profile[:, 1, -4:] *= 1.4  # more women at the oldest ages
    population = profile / profile.sum(axis=(1, 2), keepdims=True) * totals[:, None, None]
    hazard = 1.5e-5 * np.exp(0.095 * (ages + 5.0))
    survival_profile = np.exp(-5.0 * hazard)
    survival = np.clip(
        survival_profile[None, None, None, :]
        * rng.uniform(0.985, 1.0, (municipalities, STEPS, 2, size)),
        0.0,
        1.0,
    )
    migration_profile = np.where((ages > 15) & (ages < 30), 0.04, -0.005)
    migration = migration_profile + rng.normal(0.0, 0.02, (municipalities, STEPS, 2, size))
    migration = np.maximum(migration, -survival)  # valid: S + M ≥ 0 under ipss
    cwr = rng.uniform(0.12, 0.25, (municipalities, STEPS))
    sex_ratio = rng.uniform(104.0, 106.0, (municipalities, STEPS))
    return ProjectionInput(
        base_year=BASE_YEAR,
        population=population,
        survival=survival,
        net_migration=migration,
        child_woman_ratio=cwr,
        sex_ratio_at_birth=sex_ratio,
        convention=Convention.IPSS,
        age_groups=groups,
    )


def run_vectorised(inp: ProjectionInput, *, indicators: bool = True) -> tuple[np.ndarray, float]:
    """One run (scenarios, projection, indicators); returns populations and seconds."""
    start = time.perf_counter()
    result = project_scenarios(inp, SCENARIOS)
    if indicators:
        summary = result.indicators()
    elapsed = time.perf_counter() - start
    if indicators:
        assert summary.total.shape == (inp.population.shape[0], len(SCENARIOS), STEPS + 1)
    return result.population, elapsed


def run_loop(inp: ProjectionInput, subset: int) -> tuple[list[list[list[list[float]]]], float]:
    """The plain-Python reference on the first ``subset`` municipalities × every scenario."""
    lists = [
        (
            inp.population[i].tolist(),
            inp.survival[i].tolist(),
            inp.net_migration[i].tolist(),
            inp.child_woman_ratio[i].tolist(),
            inp.sex_ratio_at_birth[i].tolist(),
        )
        for i in range(subset)
    ]
    start = time.perf_counter()
    results = []
    for population, survival, migration, cwr, ratio in lists:
        for scenario in SCENARIOS:
            results.append(
                project_loop(
                    base_year=BASE_YEAR,
                    population=population,
                    survival=survival,
                    net_migration=migration,
                    child_woman_ratio=cwr,
                    sex_ratio_at_birth=ratio,
                    convention=Convention.IPSS,
                    scenario=scenario,
                )
            )
    return results, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run (100 municipalities)")
    parser.add_argument(
        "--loop-subset",
        type=int,
        default=None,
        help="run the plain-Python loop on only this many municipalities and extrapolate "
        "(default: all of them, nothing extrapolated)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="vectorised runs (best is kept)")
    args = parser.parse_args()
    municipalities = 100 if args.quick else MUNICIPALITIES
    subset = min(args.loop_subset or municipalities, municipalities)
    repeat = 2 if args.quick else args.repeat

    inp = synthetic_input(municipalities)
    populations, first = run_vectorised(inp)
    times = [first] + [run_vectorised(inp)[1] for _ in range(repeat - 1)]
    best = min(times)
    projection_only = min(run_vectorised(inp, indicators=False)[1] for _ in range(repeat))
    tracemalloc.start()
    run_vectorised(inp)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    loop_results, loop_seconds = run_loop(inp, subset)
    loop_array = np.array(loop_results).reshape(subset, len(SCENARIOS), STEPS + 1, 2, 19)
    vector_subset = populations[:subset]
    max_difference = float(np.max(np.abs(loop_array - vector_subset)))
    identical = bool(np.array_equal(loop_array, vector_subset))
    assert np.allclose(loop_array, vector_subset, rtol=1e-12, atol=0.0), max_difference
    loop_extrapolated = loop_seconds * municipalities / subset
    ratio = loop_extrapolated / projection_only  # the same computation: no indicators
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    cells = municipalities * len(SCENARIOS) * STEPS * 2 * 19

    results = [
        {
            "name": "vectorised_seconds",
            "value": round(best, 4),
            "unit": "s",
            "target": f"< {TARGET_SECONDS}",
            "pass": best < TARGET_SECONDS,
        },
        {
            "name": "vectorised_seconds_median",
            "value": round(statistics.median(times), 4),
            "unit": "s",
            "target": None,
            "pass": None,
        },
        {
            "name": "vectorised_projection_only_seconds",
            "value": round(projection_only, 4),
            "unit": "s (scenarios + projection, no indicators)",
            "target": None,
            "pass": None,
        },
        {
            "name": "loop_seconds" if subset == municipalities else "loop_seconds_extrapolated",
            "value": round(loop_extrapolated, 3),
            "unit": "s",
            "target": None,
            "pass": None,
        },
        {
            "name": "speedup_loop_over_vectorised",
            "value": round(ratio, 1),
            "unit": "× (loop ÷ vectorised projection only)",
            "target": None,
            "pass": None,
        },
        {
            "name": "max_abs_difference_loop_vs_vectorised",
            "value": max_difference,
            "unit": "persons",
            "target": "≤ 1e-12 relative",
            "pass": True,
        },
        {
            "name": "bit_identical_loop_vs_vectorised",
            "value": identical,
            "unit": "bool",
            "target": True,
            "pass": identical,
        },
        {
            "name": "peak_traced_memory_vectorised",
            "value": round(peak / 1024 / 1024, 1),
            "unit": "MiB",
            "target": None,
            "pass": None,
        },
        {
            "name": "max_rss",
            "value": round(max_rss_mb, 1),
            "unit": "MiB",
            "target": None,
            "pass": None,
        },
    ]
    if subset < municipalities:
        results.insert(
            4,
            {
                "name": "loop_seconds_measured_on_subset",
                "value": round(loop_seconds, 3),
                "unit": f"s ({subset} municipalities × {len(SCENARIOS)} scenarios)",
                "target": None,
                "pass": None,
            },
        )
    report = {
        "topic": "population",
        "quick": args.quick,
        "workload": {
            "municipalities": municipalities,
            "sexes": 2,
            "age_groups": 19,
            "steps": STEPS,
            "scenarios": [s.name for s in SCENARIOS],
            "projected_cells": cells,
            "loop_subset": subset,
            "loop_note": (
                f"the plain-Python loop ran on all {municipalities} municipalities "
                "(all scenarios); nothing extrapolated"
                if subset == municipalities
                else f"the plain-Python loop ran on {subset} of {municipalities} municipalities "
                "(all scenarios); its time is extrapolated linearly"
            ),
        },
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "platform": platform.platform(),
        },
        "results": results,
    }

    print(f"population projection: {municipalities} municipalities × 2 × 19 × {STEPS} steps × "
          f"{len(SCENARIOS)} scenarios = {cells:,} cells")  # fmt: skip
    print(f"{'measure':<42} {'value':>14}  {'unit':<44} {'target':<18} pass")
    for row in results:
        value = row["value"]
        shown = f"{value:.4g}" if isinstance(value, float) else str(value)
        target = "" if row["target"] is None else str(row["target"])
        passed = "" if row["pass"] is None else ("yes" if row["pass"] else "NO")
        print(f"{row['name']:<42} {shown:>14}  {row['unit']:<44} {target:<18} {passed}")
    print(f"note: {report['workload']['loop_note']}")

    out = ROOT / "benchmarks" / "results" / "population.json"
    if args.quick:
        out = out.with_name("population.quick.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0 if best < TARGET_SECONDS and identical else 1


if __name__ == "__main__":
    raise SystemExit(main())
