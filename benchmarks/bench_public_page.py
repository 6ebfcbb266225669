"""Public measure page under 50 concurrent clients on loopback, against the same HTML served
as a static file by the same gunicorn process tree (WhiteNoise).

Targets: p95 < 50 ms, and dynamic throughput >= 50 % of the static throughput.
Needs `wrk` (Debian package); the page cache is what makes the target reachable, and it is
invalidated on every publish (tested in keikaku/publication/tests/test_views.py and
test_cache_perf.py). A cached page is answered by the first middleware
(keikaku.publication.middleware.PublicPageCacheMiddleware) without a query or a template.

Both measurements use the same gunicorn: sync workers, 2 per core by default (`--workers N`
to change it). The 1-minute load average before and after is recorded: the machine's 2 cores
are shared, and other processes' load slows every figure.

    .venv/bin/python benchmarks/bench_public_page.py [--quick] [--workers N]
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
RESULTS = ROOT / "benchmarks" / "results" / "public_page.json"

LUA = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH requests=%d duration_us=%d errors=%d p50_us=%d p95_us=%d p99_us=%d\\n",
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def worker_count() -> int:
    """``--workers N``, else 2 per core: requests are short and CPU-bound, and a second
    process per core keeps the core busy while the other one waits (a lock, the network)."""
    if "--workers" in sys.argv:
        return int(sys.argv[sys.argv.index("--workers") + 1])
    return 2 * (os.cpu_count() or 1)


def start_server(port: int, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(10)


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
    workers = worker_count()
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)")
        return 1
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
        subprocess.run([keikaku, "load_demo", "-v0"], env=env, check=True, cwd=ROOT)
        port = free_port()
        server = start_server(port, workers, env)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/", timeout=1)  # noqa: S310 - loopback only
                    break
                except OSError:
                    time.sleep(0.1)
            page_url = base + "/plan/measures/1-1/"
            html = urllib.request.urlopen(page_url, timeout=60).read()  # noqa: S310
            static_dir = Path(tmp) / "static"
            static_dir.mkdir(exist_ok=True)
            # Served by WhiteNoise from STATIC_ROOT (autorefresh off: restart to pick it up).
            (static_dir / "bench-measure.html").write_bytes(html)
            stop(server)
            server = start_server(port, workers, env)
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/static/bench-measure.html", timeout=1)  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.1)
            for _ in range(4 * workers):  # warm the cache of every worker
                urllib.request.urlopen(page_url, timeout=60).read()  # noqa: S310
            lua = Path(tmp) / "report.lua"
            lua.write_text(LUA)
            load_before = os.getloadavg()[0]
            dynamic = wrk(page_url, seconds, lua)
            static = wrk(base + "/static/bench-measure.html", seconds, lua)
            load_after = os.getloadavg()[0]
            with urllib.request.urlopen(page_url, timeout=60) as answer:  # noqa: S310
                cache_state = answer.headers.get("X-Keikaku-Cache", "")
        finally:
            stop(server)
    ratio = dynamic["rps"] / static["rps"] if static["rps"] else 0.0
    results = [
        {
            "name": "measure page requests/s (50 clients)",
            "value": round(dynamic["rps"], 1),
            "unit": "req/s",
            "target": "",
            "pass": None,
        },
        {
            "name": "measure page p95",
            "value": dynamic["p95_ms"],
            "unit": "ms",
            "target": "< 50",
            "pass": dynamic["p95_ms"] < 50,
        },
        {
            "name": "measure page errors",
            "value": dynamic["errors"],
            "unit": "",
            "target": "0",
            "pass": dynamic["errors"] == 0,
        },
        {
            "name": "static file requests/s (50 clients)",
            "value": round(static["rps"], 1),
            "unit": "req/s",
            "target": "",
            "pass": None,
        },
        {
            "name": "static file p95",
            "value": static["p95_ms"],
            "unit": "ms",
            "target": "",
            "pass": None,
        },
        {
            "name": "dynamic / static throughput",
            "value": round(ratio, 3),
            "unit": "ratio",
            "target": ">= 0.5",
            "pass": ratio >= 0.5,
        },
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "topic": "public_page",
                "seconds": seconds,
                "workers": workers,
                "worker_class": "sync",
                "load_average_before": round(load_before, 2),
                "load_average_after": round(load_after, 2),
                "note": "2 shared cores: other processes' load slows every figure",
                "page_cache_after_the_run": cache_state,
                "dynamic": dynamic,
                "static": static,
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    for row in results:
        print(f"{row['name']:<45} {row['value']:>10} {row['unit']}")
    print(f"{'gunicorn sync workers':<45} {workers:>10}")
    print(f"{'1-minute load average before / after':<45} {load_before:>5.2f} / {load_after:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
