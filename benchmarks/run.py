"""`make bench`: run every benchmarks/bench_*.py, then print one table of all results.

Each script writes benchmarks/results/<topic>.json as {"topic": ..., "results": [
{"name", "value", "unit", "target", "pass"} ...]}. Pass script names to run only those:
`make bench BENCH_ARGS="public_page population"`; `--quick` is passed through.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    wanted = [a for a in argv if not a.startswith("-")]
    scripts = sorted(HERE.glob("bench_*.py"))
    if wanted:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
    failed: list[str] = []
    for script in scripts:
        print(f"== {script.name} ==", flush=True)
        start = time.perf_counter()
        cmd = [sys.executable, str(script), *(["--quick"] if quick else [])]
        code = subprocess.call(cmd, cwd=HERE.parent)
        print(f"   ({time.perf_counter() - start:.1f} s, exit {code})", flush=True)
        if code != 0:
            failed.append(script.name)
    print()
    print(f"{'benchmark':<58} {'value':>14} {'unit':<8} {'target':<16} ok")
    print("-" * 104)
    for path in sorted(RESULTS.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for row in data.get("results", []):
            value = row.get("value")
            shown = f"{value:,.3f}" if isinstance(value, float) else str(value)
            ok = {True: "yes", False: "NO"}.get(row.get("pass"), "-")
            name = f"{data.get('topic', path.stem)}: {row.get('name', '')}"
            print(
                f"{name[:58]:<58} {shown:>14} {row.get('unit', ''):<8} {str(row.get('target', '')):<16} {ok}"
            )
    if failed:
        print(f"\nscripts that failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
