"""Web answering of the citizen survey under 50 concurrent clients on loopback, against
gunicorn (2 workers) with a temporary KEIKAKU_VAR_DIR (SQLite in WAL mode, as shipped).

Two measurements with `wrk` (Debian package), each client a citizen with their own code:

1. page save: POST of a page of 12 measure answers (satisfaction and importance of six
   measures) — what every "保存して次へ進む" does (validation + draft update);
2. final submission: POST of 「この内容で回答を送信する」 — the compare-and-set on the code and
   the insert of the response in one transaction; each prepared code is submitted at most once,
   and more codes are prepared than the run can use: when a wrk thread runs out of work and
   stops itself with requests in flight, wrk records one or two phantom 5-second "timeouts"
   (measured: the server's access log showed every submission answered within 65 ms), so the
   run must end by its clock, not by exhausting the codes.

Target: p95 < 100 ms for both. Afterwards the database must hold exactly one response per
successful submission and every submitted code must be marked used.

gunicorn runs sync workers, one per core (`--workers N` to change it). Unlike the read-only
public pages and API (2 per core), every request here writes: with more processes than cores
the one holding SQLite's write lock is preempted while the others wait in SQLite's busy
handler, which sleeps 1, 2, 5, 10 ms… per retry (measured: with 4 workers on 2 cores the
submission's p50 went from 390 to 640 ms).

    .venv/bin/python benchmarks/bench_survey_web.py [--quick] [--workers N]
"""

from __future__ import annotations

import json
import os
import re
import secrets
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
RESULTS = ROOT / "benchmarks" / "results" / "survey_web.json"
CLIENTS = 50

SETUP = r"""
import json, sys
import django
django.setup()
from django.http import HttpResponse
from keikaku.surveys.views_public import _remember
from django.db import transaction
from keikaku.plans import models as pm
from keikaku.surveys import services, selectors
from keikaku.surveys.models import AccessCode, AnswerDraft
from keikaku.surveys.questionnaire import pages_of

n_submit = int(sys.argv[1])
actor = "bench"
with transaction.atomic():
    muni = pm.Municipality.objects.create(code="112411", name="鶴ヶ島市", prefecture="埼玉県", is_demo=True)
    plan = pm.ComprehensivePlan.objects.create(municipality=muni, title="第6次総合計画", start_fy=2020, end_fy=2029)
    edition = pm.Edition.objects.create(plan=plan, kind="latter", title="後期基本計画", start_fy=2025, end_fy=2029)
    for a in range(1, 8):
        area = pm.PolicyArea.objects.create(edition=edition, number=a, title=f"政策分野{a}")
        for k in range(1, 7 if a < 6 else 6):
            pm.Measure.objects.create(area=area, code=f"{a}-{k}", order=k, title=f"施策{a}-{k}（ベンチマーク用）")
    wave = services.wave_create(actor=actor, edition=edition, fiscal_year=2025, title="ベンチマーク調査", population=59000, sample_size=5000)
    services.wave_populate_default(wave=wave, actor=actor)
services.wave_set_status(wave=wave, actor=actor, status="open")
codes = services.access_codes_generate(wave=wave, actor=actor, count=n_submit + 50)
structure = pages_of(wave)
measure_page = next(i for i, (s, qs) in enumerate(structure, start=1) if qs[0].kind == "measure")
columns = [f"{p}:{q.code}" for q in structure[measure_page - 1][1] for p in ("S", "I")]
full = {"gender": "女性", "age_band": "40～49歳", "district": "北部地区", "overall": "2",
        "intention_to_stay": "住み続けたい", "Q_ATTRACT": "1;3"}
for q in (q for _s, qs in structure for q in qs if q.kind == "measure"):
    full[f"S:{q.code}"] = "2"; full[f"I:{q.code}"] = "1"
out = {"measure_page": measure_page, "columns": columns, "page_sessions": [], "submit_sessions": []}
with transaction.atomic():
    AnswerDraft.objects.bulk_create([AnswerDraft(access_code=c, answers=full, page=len(structure)) for c in codes[50:]])
    for i, code in enumerate(codes):
        value = _remember(HttpResponse(), code.pk).cookies["kk_survey"].value
        (out["page_sessions"] if i < 50 else out["submit_sessions"]).append(value)
json.dump(out, sys.stdout)
"""

LUA_TEMPLATE = """
local sessions = {sessions}
local csrf = "{csrf}"
local path = "{path}"
local body_tail = "{body}"
local stop_when_done = {stop}
local nthreads = {nthreads}
local counter = 0
local threads = {{}}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = id
end

function request()
  if counter >= #sessions then
    if stop_when_done then
      wrk.thread:stop()
      return wrk.format("GET", "/survey/")
    end
    counter = counter % #sessions
  end
  local key = sessions[counter + 1]
  counter = counter + nthreads
  local headers = {{}}
  headers["Cookie"] = "kk_survey=" .. key .. "; csrftoken=" .. csrf
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", path, headers, "csrfmiddlewaretoken=" .. csrf .. body_tail)
end

done = function(summary, latency, requests)
  io.write(string.format("BENCH requests=%d duration_us=%d errors=%d p50_us=%d p95_us=%d p99_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\\n",
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
"""


def worker_count() -> int:
    """``--workers N``, else one per core (see the module docstring)."""
    if "--workers" in sys.argv:
        return int(sys.argv[sys.argv.index("--workers") + 1])
    return os.cpu_count() or 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def lua_list(items: list[str]) -> str:
    return "{" + ",".join(f'"{i}"' for i in items) + "}"


def wrk(url: str, seconds: int, lua: Path) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CLIENTS}", f"-d{seconds}s", "--timeout", "5s", "-s", str(lua), url],
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
        "errors": int(fields["errors"]) + int(fields["non2xx"]),
        "socket_errors": int(fields["errors"]),  # connect, read, write, timeout (5 s)
        "non2xx": int(fields["non2xx"]),
        "requests": int(fields["requests"]),
        "connect_errors": int(fields["connect"]),
        "read_errors": int(fields["read"]),
        "write_errors": int(fields["write"]),
        "timeouts": int(fields["timeout"]),
    }


def count_rows(env: dict[str, str]) -> tuple[int, int]:
    script = (
        "import django; django.setup()\n"
        "from keikaku.surveys.models import AccessCode, SurveyResponse\n"
        "print(SurveyResponse.objects.count(), AccessCode.objects.filter(used_at__isnull=False).count())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), int(out[1])


def main() -> int:
    quick = "--quick" in sys.argv
    load_before = os.getloadavg()[0]
    workers = worker_count()
    seconds = 3 if quick else 10
    n_submit = 4000 if quick else 12000  # > seconds x ~800 req/s
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
        subprocess.run(
            [sys.executable, "-m", "keikaku", "migrate", "--noinput", "-v0"],
            env=env,
            check=True,
            cwd=ROOT,
        )
        prepared = json.loads(
            subprocess.run(
                [sys.executable, "-c", SETUP, str(n_submit)],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
        page_body = (
            "".join(
                f"&{c.replace(':', '%3A')}={'2' if c.startswith('S') else '1'}"
                for c in prepared["columns"]
            )
            + "&nav=next"
        )
        page_path = f"/survey/answer/{prepared['measure_page']}/"
        lua_page = Path(tmp) / "page.lua"
        lua_page.write_text(
            LUA_TEMPLATE.format(
                sessions=lua_list(prepared["page_sessions"]),
                csrf=csrf,
                path=page_path,
                body=page_body,
                stop="false",
                nthreads=2,
            )
        )
        lua_submit = Path(tmp) / "submit.lua"
        lua_submit.write_text(
            LUA_TEMPLATE.format(
                sessions=lua_list(prepared["submit_sessions"]),
                csrf=csrf,
                path="/survey/answer/submit/",
                body="",
                stop="true",
                nthreads=2,
            )
        )
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
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/survey/", timeout=1)  # noqa: S310 - loopback
                    break
                except OSError:
                    time.sleep(0.1)
            page = wrk(base + page_path, seconds, lua_page)
            submit = wrk(base + "/survey/answer/submit/", seconds, lua_submit)
        finally:
            server.terminate()
            server.wait(10)
        stored, used = count_rows(env)
    # wrk's last request of each of its 2 threads after the list is exhausted is a GET of
    # /survey/, not a submission. wrk counts only answers it read: when a thread stops (or
    # the time is up) the requests still in flight on its connections, at most one per
    # client, and requests it gave up on (errors) may still have been stored by the server.
    # So every submission wrk saw answered must be stored, and at most CLIENTS + errors more.
    submitted = submit["requests"] - submit["errors"]
    lowest = submitted - 2
    in_flight = CLIENTS + submit["errors"]
    results = [
        {
            "name": "page save requests/s (50 clients)",
            "value": round(page["rps"], 1),
            "unit": "req/s",
            "target": "",
            "pass": None,
        },
        {
            "name": "page save p95",
            "value": page["p95_ms"],
            "unit": "ms",
            "target": "< 100",
            "pass": page["p95_ms"] < 100,
        },
        {
            "name": "page save p99",
            "value": page["p99_ms"],
            "unit": "ms",
            "target": "",
            "pass": None,
        },
        {
            "name": "page save errors",
            "value": page["errors"],
            "unit": "",
            "target": "0",
            "pass": page["errors"] == 0,
        },
        {
            "name": "final submission requests/s (50 clients)",
            "value": round(submit["rps"], 1),
            "unit": "req/s",
            "target": "",
            "pass": None,
        },
        {
            "name": "final submission p95",
            "value": submit["p95_ms"],
            "unit": "ms",
            "target": "< 100",
            "pass": submit["p95_ms"] < 100,
        },
        {
            "name": "final submission p99",
            "value": submit["p99_ms"],
            "unit": "ms",
            "target": "",
            "pass": None,
        },
        {
            "name": "final submission errors",
            "value": submit["errors"],
            "unit": "",
            "target": "0",
            "pass": submit["errors"] == 0,
        },
        {
            # if the codes ran out, the run ended early and wrk's stop artefacts are in it
            "name": "prepared codes left unused at the end",
            "value": n_submit - used,
            "unit": "codes",
            "target": "> 0",
            "pass": n_submit - used > 0,
        },
        {
            "name": "responses stored = codes used = submissions",
            "value": stored,
            "unit": "responses",
            "target": (
                f"= {used} used codes, <= {n_submit} prepared, "
                f"{lowest}..{submitted + in_flight} answered"
            ),
            "pass": stored == used
            and 0 < stored <= n_submit
            and lowest <= stored <= submitted + in_flight,
        },
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "topic": "survey_web",
                "seconds": seconds,
                "workers": workers,
                "worker_class": "sync",
                "clients": CLIENTS,
                "load_average_before": round(load_before, 2),
                "load_average_after": round(os.getloadavg()[0], 2),
                "note": "2 shared cores: other processes' load slows every figure",
                "page_save": page,
                "final_submission": submit,
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    for row in results:
        print(f"{row['name']:<48} {row['value']:>10} {row['unit']}")
    print(f"{'gunicorn sync workers':<48} {workers:>10}")
    print(f"{'1-minute load average before the run':<48} {load_before:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
