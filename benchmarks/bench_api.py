"""Open-data API list endpoints under 50 concurrent clients (wrk, loopback, gunicorn).

Target: p95 < 50 ms for every list endpoint. The demo (plan, evaluation, population) is loaded
into a temporary database; gunicorn runs sync workers, 2 per core, as in bench_public_page.py
(`--workers N` to change it). Responses are cached per public content version and full query
string by the API middleware, and the version is answered from memory while the database is
unchanged (keikaku.core.cache.public_content_version), so a warm endpoint costs a cache read
and no query. The 1-minute load average before and after is recorded: the machine's 2 cores
are shared, and other processes' load slows every figure.

    .venv/bin/python benchmarks/bench_api.py [--quick] [--workers N]
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results" / "api.json"

ENDPOINTS = (
    "/api/v1/measures",
    "/api/v1/indicators?limit=500",
    "/api/v1/indicator-values?from_year=2020",
    "/api/v1/evaluations",
    "/api/v1/population/scenarios",
    "/api/v1/datasets",
)

LUA = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH requests=%d duration_us=%d errors=%d p50_us=%d p95_us=%d p99_us=%d\\n",
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def worker_count() -> int:
    """``--workers N``, else 2 per core (see bench_public_page.py)."""
    if "--workers" in sys.argv:
        return int(sys.argv[sys.argv.index("--workers") + 1])
    return 2 * (os.cpu_count() or 1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wrk(url: str, seconds: int, lua: Path) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", "-c50", f"-d{seconds}s", "--timeout", "5s", "-s", str(lua), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"BENCH (.*)", out)
    if not match:
        raise RuntimeError(out)
    fields = dict(kv.split("=") for kv in match.group(1).split())
    duration = int(fields["duration_us"]) / 1e6
    return {
        "rps": int(fields["requests"]) / duration,
        "p50_ms": int(fields["p50_us"]) / 1000,
        "p95_ms": int(fields["p95_us"]) / 1000,
        "p99_ms": int(fields["p99_us"]) / 1000,
        "errors": int(fields["errors"]),
        "requests": int(fields["requests"]),
    }


def main() -> int:
    quick = "--quick" in sys.argv
    seconds = 3 if quick else 10
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)")
        return 1
    workers = worker_count()
    measured: dict[str, dict[str, float]] = {}
    cold: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "KEIKAKU_VAR_DIR": tmp,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
        }
        env.pop("DATABASE_URL", None)
        keikaku = str(BIN / "keikaku")
        subprocess.run([keikaku, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
        for command in ("load_demo", "load_demo_evaluation", "load_demo_population"):
            subprocess.run([keikaku, command, "-v0"], env=env, check=True, cwd=ROOT)
        port = free_port()
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--worker-class",
                "sync",
                "--workers",
                str(workers),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    urllib.request.urlopen(base + "/api/v1/", timeout=2)  # noqa: S310 - loopback
                    break
                except OSError:
                    time.sleep(0.1)
            lua = Path(tmp) / "report.lua"
            lua.write_text(LUA)
            load_before = os.getloadavg()[0]
            for path in ENDPOINTS:
                started = time.perf_counter()
                for _ in range(4 * workers):  # every worker, warm
                    urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310
                cold[path] = (time.perf_counter() - started) * 1000 / (4 * workers)
                measured[path] = wrk(base + path, seconds, lua)
            load_after = os.getloadavg()[0]
        finally:
            server.terminate()
            server.wait(10)
    results = []
    for path, m in measured.items():
        results += [
            {
                "name": f"{path} p95 (50 clients)",
                "value": m["p95_ms"],
                "unit": "ms",
                "target": "< 50",
                "pass": m["p95_ms"] < 50 and m["errors"] == 0,
            },
            {
                "name": f"{path} requests/s",
                "value": round(m["rps"], 1),
                "unit": "req/s",
                "target": "",
                "pass": None,
            },
        ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "topic": "api",
                "seconds": seconds,
                "workers": workers,
                "worker_class": "sync",
                "load_average_before": round(load_before, 2),
                "load_average_after": round(load_after, 2),
                "note": "2 shared cores: other processes' load slows every figure",
                "warm_up_mean_ms": cold,
                "raw": measured,
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    for row in results:
        print(f"{row['name']:<60} {row['value']:>10} {row['unit']:<6} {row['target']}")
    print(f"{'gunicorn sync workers':<60} {workers:>10}")
    print(f"{'1-minute load average before / after':<60} {load_before:>5.2f} / {load_after:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
