"""Public comment under load, just before the deadline: 200 concurrent clients submit
comments for 60 s (``--quick``: 10 s) against gunicorn (2 workers) on loopback, on SQLite
and on PostgreSQL (a throwaway database, created and dropped here).

The round's deadline falls two seconds before the end of the run, so the last requests
arrive after it. Each client fetches the comment form once (CSRF cookie and token), then
POSTs comments in a loop (a fresh form token each; every 4th comment, the first included, is posted twice, as
a double click would) and follows the 303 to the receipt page. Checks:

- zero 5xx responses;
- every receipt a client saw (2xx receipt page) is in the database exactly once, and the
  database holds no opinion no client was told about (nothing lost, nothing extra);
- receipt numbers are unique; a repeated post is answered with the same receipt;
- nothing is stored at or after the deadline (those posts get 403 「締め切りました」).

Reports throughput (stored comments per second, target >= 10) and p95 latency (reported
only: 200 clients without think time queue on 2 sync workers, so latency is about
clients / throughput). The rate limit is off for the run (KEIKAKU_PUBLIC_FORM_RATE_LIMIT=0).
Options: ``--quick`` (10 s, results in public_comment-quick.json), ``--db=sqlite`` or
``--db=postgres`` (default both). PostgreSQL: KEIKAKU_BENCH_PG (default
postgres://postgres@127.0.0.1:5432/) must allow CREATE DATABASE. Uses Python threads and
http.client only.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results"
PG_ADMIN_URL = os.environ.get("KEIKAKU_BENCH_PG", "postgres://postgres@127.0.0.1:5432/")
DEADLINE_BEFORE_END = 2.0
# 10 comments a second is 36,000 an hour: far beyond any real round (Tsurugashima's drew 2
# opinions in a month). The clients never pause, so with 2 sync workers the latency is
# mostly queueing, about clients / throughput; p95 is reported, not judged.
MIN_THROUGHPUT = 10

SETUP = r"""
import datetime as dt, json, sys
import django
django.setup()
from django.utils import timezone
from keikaku.participation import services
from keikaku.participation.models import PublicCommentRound
from keikaku.plans.tests.factories import make_small_plan
plan = make_small_plan()
rnd = services.round_create(
    round=PublicCommentRound(
        title="負荷試験用の意見募集", edition=plan.edition,
        starts_at=timezone.now() - dt.timedelta(days=29),
        ends_at=timezone.now() + dt.timedelta(days=1),
        channels=["web"],
    ),
    actor="bench",
)
services.round_draft_from_edition(round=rnd, edition=plan.edition, actor="bench")
services.round_publish(round=rnd, actor="bench")
keys = list(rnd.paragraphs.order_by("section__order", "order").values_list("key", flat=True))
print(json.dumps({"round": rnd.pk, "paragraphs": keys}))
"""

DEADLINE = r"""
import datetime as dt, sys
import django
django.setup()
from keikaku.participation.models import PublicCommentRound
ends = dt.datetime.fromtimestamp(float(sys.argv[2]), tz=dt.UTC)
PublicCommentRound.objects.filter(pk=int(sys.argv[1])).update(ends_at=ends)
"""

VERIFY = r"""
import json, sys
import django
django.setup()
from django.db.models import Count
from keikaku.participation.models import Opinion, PublicCommentRound
rnd = PublicCommentRound.objects.get(pk=int(sys.argv[1]))
rows = list(Opinion.objects.filter(round=rnd).values_list("receipt_number", "received_at"))
dupes = list(Opinion.objects.values("receipt_number").annotate(n=Count("id")).filter(n__gt=1))
print(json.dumps({
    "receipts": [r for r, _ in rows],
    "after_deadline": sum(1 for _, at in rows if at >= rnd.ends_at),
    "duplicate_numbers": len(dupes),
}))
"""

RECEIPT_RE = re.compile(r'<p class="receipt-number">([A-Z]-\d{4}-\d{5,})</p>')
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    receipts: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    post_ms: list[float] = field(default_factory=list)
    total_ms: list[float] = field(default_factory=list)
    repeats: int = 0
    repeat_mismatch: int = 0
    errors: list[str] = field(default_factory=list)
    refused_after_deadline: int = 0

    def status(self, code: int) -> None:
        with self.lock:
            self.statuses[code] = self.statuses.get(code, 0) + 1


def request(
    port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        conn.close()


@dataclass
class Start:
    ready: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))
    go: threading.Event = field(default_factory=threading.Event)
    stop_at: float = 0.0


def client(
    n: int, port: int, round_id: int, paragraphs: list[str], start: Start, tally: Tally
) -> None:
    form_path = f"/participation/comments/{round_id}/comment/"
    try:
        status, headers, body = request(port, "GET", form_path, None, {})
        tally.status(status)
        cookie = headers.get("set-cookie", "").split(";")[0]
        match = TOKEN_RE.search(body.decode("utf-8", "replace"))
        if status != 200 or not cookie or match is None:
            with tally.lock:
                tally.errors.append(f"client {n}: form GET {status}")
            return
        csrf = match.group(1)
    except OSError as exc:
        with tally.lock:
            tally.errors.append(f"client {n}: {exc}")
        return
    finally:
        start.ready.release()
    start.go.wait()
    i = 0
    while time.time() < start.stop_at:
        i += 1
        target = f"p:{paragraphs[(n + i) % len(paragraphs)]}"
        fields = {
            "csrfmiddlewaretoken": csrf,
            "form_token": uuid.uuid4().hex,
            "website": "",
            "target": target,
            "text": f"負荷試験の意見です（クライアント{n}・{i}件目）。保育所を増やしてください。",
            "eligibility": "resident",
            "name": f"試験 太郎{n}",
            "address": "埼玉県鶴ヶ島市三ツ木新町一丁目1番1号",
            "phone": "",
            "email": "",
            "age_band": "",
            "district": "",
            "action": "submit",
        }
        body_bytes = urllib.parse.urlencode(fields).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"http://127.0.0.1:{port}{form_path}",
        }
        first_receipt = None
        for attempt in range(2 if i % 4 == 1 else 1):
            t0 = time.perf_counter()
            try:
                status, rh, data = request(port, "POST", form_path, body_bytes, headers)
            except OSError as exc:
                with tally.lock:
                    tally.errors.append(f"client {n}: POST {exc}")
                break
            t1 = time.perf_counter()
            tally.status(status)
            if status == 403 and "締め切りました" in data.decode("utf-8", "replace"):
                with tally.lock:
                    tally.refused_after_deadline += 1
                break
            if status != 303:
                with tally.lock:
                    tally.errors.append(f"client {n}: POST {status}")
                break
            try:
                status2, _h, page = request(port, "GET", rh["location"], None, {"Cookie": cookie})
            except OSError as exc:
                with tally.lock:
                    tally.errors.append(f"client {n}: receipt GET {exc}")
                break
            t2 = time.perf_counter()
            tally.status(status2)
            m = RECEIPT_RE.search(page.decode("utf-8", "replace"))
            if status2 != 200 or m is None:
                with tally.lock:
                    tally.errors.append(f"client {n}: receipt page {status2}")
                break
            with tally.lock:
                tally.post_ms.append((t1 - t0) * 1000)
                tally.total_ms.append((t2 - t0) * 1000)
                if attempt == 0:
                    tally.receipts.append(m.group(1))
                    first_receipt = m.group(1)
                else:
                    tally.repeats += 1
                    if m.group(1) != first_receipt:
                        tally.repeat_mismatch += 1


def run_django(env: dict[str, str], script: str, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def bench_backend(
    name: str, database_url: str | None, seconds: int, clients: int
) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "KEIKAKU_VAR_DIR": tmp,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "KEIKAKU_PUBLIC_FORM_RATE_LIMIT": "0",
            "LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        subprocess.run(
            [str(BIN / "keikaku"), "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
        )
        setup = json.loads(run_django(env, SETUP).strip().splitlines()[-1])
        port = free_port()
        # Django logs every 403 (the refusals after the deadline) as a warning: keep them
        # out of the table, in a file.
        server_log = open(Path(tmp) / "gunicorn.log", "w")  # noqa: SIM115
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{port}",
                "--backlog",
                "2048",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            stderr=server_log,
        )
        try:
            for _ in range(600):
                try:
                    status, _h, _b = request(port, "GET", "/participation/", None, {})
                    if status == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            # Warm both workers (imports, templates) before the clock starts: parallel
            # requests, so that each worker gets some.
            warm = [
                threading.Thread(
                    target=request,
                    args=(
                        port,
                        "GET",
                        f"/participation/comments/{setup['round']}/comment/",
                        None,
                        {},
                    ),
                )
                for _ in range(16)
            ]
            for t in warm:
                t.start()
            for t in warm:
                t.join()
            # Every client fetches the form (CSRF cookie and token) before the clock starts.
            tally = Tally()
            gate = Start()
            threads = [
                threading.Thread(
                    target=client,
                    args=(n, port, setup["round"], setup["paragraphs"], gate, tally),
                    daemon=True,
                )
                for n in range(clients)
            ]
            for t in threads:
                t.start()
            for _ in threads:
                gate.ready.acquire(timeout=300)
            # The clock starts a few seconds from now (time to move the deadline), and the
            # deadline falls DEADLINE_BEFORE_END seconds before the end of the run.
            start = time.time() + 8
            deadline = start + seconds - DEADLINE_BEFORE_END
            run_django(env, DEADLINE, str(setup["round"]), repr(deadline))
            time.sleep(max(0.0, start - time.time()))
            start = time.time()
            gate.stop_at = start + seconds
            gate.go.set()
            for t in threads:
                t.join(timeout=seconds + 180)
            elapsed = time.time() - start
        finally:
            server.terminate()
            server.wait(30)
            server_log.close()
            errors_logged = [
                line
                for line in (Path(tmp) / "gunicorn.log").read_text(errors="replace").splitlines()
                if "Error" in line or "Traceback" in line
            ]
        verify = json.loads(run_django(env, VERIFY, str(setup["round"])).strip().splitlines()[-1])
    seen = tally.receipts
    stored = verify["receipts"]
    stored_set = set(stored)
    in_db = Counter(stored)
    found_once = sum(1 for r in seen if in_db[r] == 1)
    fivexx = sum(n for code, n in tally.statuses.items() if code >= 500)
    before_deadline = deadline - start
    return {
        "backend": name,
        "seconds": round(elapsed, 1),
        "clients": clients,
        "stored": len(stored),
        "receipts_seen": len(seen),
        "receipts_found_once": found_once,
        "receipts_unique_seen": len(set(seen)) == len(seen),
        "stored_not_seen": len(stored_set - set(seen)),
        "duplicate_numbers_in_db": verify["duplicate_numbers"],
        "after_deadline_stored": verify["after_deadline"],
        "refused_after_deadline": tally.refused_after_deadline,
        "repeats": tally.repeats,
        "repeat_mismatch": tally.repeat_mismatch,
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "fivexx": fivexx,
        "errors": len(tally.errors),
        "error_samples": tally.errors[:5],
        "server_errors_logged": errors_logged[:5],
        "throughput": round(len(seen) / before_deadline, 1) if before_deadline > 0 else 0.0,
        "post_p50_ms": round(pct(tally.post_ms, 50), 1),
        "post_p95_ms": round(pct(tally.post_ms, 95), 1),
        "total_p95_ms": round(pct(tally.total_ms, 95), 1),
    }


def create_pg_database() -> tuple[str, str] | None:
    name = f"keikaku_bench_{secrets.token_hex(4)}"
    admin = urllib.parse.urlparse(PG_ADMIN_URL)
    args = ["psql", "-h", admin.hostname or "127.0.0.1", "-p", str(admin.port or 5432)]
    args += ["-U", admin.username or "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1"]
    try:
        subprocess.run([*args, "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"PostgreSQL is not available ({exc}); skipping it")
        return None
    return name, PG_ADMIN_URL.rstrip("/") + "/" + name


def drop_pg_database(name: str) -> None:
    admin = urllib.parse.urlparse(PG_ADMIN_URL)
    args = ["psql", "-h", admin.hostname or "127.0.0.1", "-p", str(admin.port or 5432)]
    args += ["-U", admin.username or "postgres", "-d", "postgres"]
    subprocess.run(
        [*args, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True
    )


def rows_for(r: dict[str, object]) -> list[dict[str, object]]:
    b = r["backend"]
    seen = int(r["receipts_seen"])  # type: ignore[arg-type]
    return [
        {
            "name": f"{b}: comments stored per second ({r['clients']} clients)",
            "value": r["throughput"],
            "unit": "1/s",
            "target": f">= {MIN_THROUGHPUT}",
            "pass": float(r["throughput"]) >= MIN_THROUGHPUT,  # type: ignore[arg-type]
        },
        {
            "name": f"{b}: submit (POST) p95",
            "value": r["post_p95_ms"],
            "unit": "ms",
            "target": "",
            "pass": None,
        },
        {
            "name": f"{b}: submit + receipt page p95",
            "value": r["total_p95_ms"],
            "unit": "ms",
            "target": "",
            "pass": None,
        },
        {
            "name": f"{b}: 5xx responses",
            "value": r["fivexx"],
            "unit": "",
            "target": "0",
            "pass": r["fivexx"] == 0,
        },
        {
            "name": f"{b}: 2xx receipts in the DB exactly once",
            "value": r["receipts_found_once"],
            "unit": f"of {seen}",
            "target": f"= {seen}",
            "pass": seen > 0 and r["receipts_found_once"] == seen and r["stored_not_seen"] == 0,
        },
        {
            "name": f"{b}: receipt numbers unique",
            "value": r["duplicate_numbers_in_db"],
            "unit": "dupes",
            "target": "0",
            "pass": r["duplicate_numbers_in_db"] == 0 and bool(r["receipts_unique_seen"]),
        },
        {
            "name": f"{b}: repeated posts given the same receipt",
            "value": int(r["repeats"]) - int(r["repeat_mismatch"]),  # type: ignore[arg-type]
            "unit": f"of {r['repeats']}",
            "target": "all",
            "pass": r["repeat_mismatch"] == 0,
        },
        {
            "name": f"{b}: stored at/after the deadline",
            "value": r["after_deadline_stored"],
            "unit": "",
            "target": "0",
            "pass": r["after_deadline_stored"] == 0,
        },
        {
            "name": f"{b}: refused after the deadline (403)",
            "value": r["refused_after_deadline"],
            "unit": "",
            "target": "",
            "pass": None,
        },
        {
            "name": f"{b}: client errors (timeouts, non-303)",
            "value": r["errors"],
            "unit": "",
            "target": "0",
            "pass": r["errors"] == 0,
        },
    ]


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    seconds = 10 if quick else 60
    clients = 200
    only = next((a.split("=", 1)[1] for a in argv if a.startswith("--db=")), "both")
    runs: list[dict[str, object]] = []
    if only in ("both", "sqlite"):
        print(f"SQLite: {clients} clients for {seconds} s …", flush=True)
        runs.append(bench_backend("SQLite", None, seconds, clients))
    if only in ("both", "postgres"):
        created = create_pg_database()
        if created is not None:
            name, url = created
            try:
                print(f"PostgreSQL: {clients} clients for {seconds} s …", flush=True)
                runs.append(bench_backend("PostgreSQL", url, seconds, clients))
            finally:
                drop_pg_database(name)
    results = [row for r in runs for row in rows_for(r)]
    out = RESULTS / ("public_comment-quick.json" if quick else "public_comment.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "topic": "public_comment" + ("-quick" if quick else ""),
                "seconds": seconds,
                "clients": clients,
                "workers": 2,
                "runs": runs,
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    for row in results:
        ok = {True: "ok", False: "FAIL", None: ""}[row["pass"]]  # type: ignore[index]
        print(f"{row['name']:<58} {row['value']!s:>10} {row['unit']:<10} {row['target']:<10} {ok}")
    for r in runs:
        if r["error_samples"]:
            print(f"{r['backend']} error samples: {r['error_samples']}")
        if r["server_errors_logged"]:
            print(f"{r['backend']} server log: {r['server_errors_logged']}")
    return 0 if all(row["pass"] is not False for row in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
