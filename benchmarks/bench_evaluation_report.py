"""Benchmark: the verification report (検証報告書) of the demo city in PDF and in Excel.

    .venv/bin/python benchmarks/bench_evaluation_report.py          # 2 renders of each
    .venv/bin/python benchmarks/bench_evaluation_report.py --quick  # 1 render of each

In a temporary database: ``keikaku load-demo`` (40 measures, FY2020–2024 actuals) and
``keikaku load-demo-evaluation`` (sheets with text for every measure and programme), then
the former plan's final-year report (FY2024, 40 measures and the priority strategies'
indicators) is rendered as PDF (WeasyPrint, A4, fonts embedded, charts for every indicator,
table of contents) and as Excel.

The staff PDF is made by a background task: ``report_file_background_seconds`` times that
path once (request + the task's work: read the data, fingerprint it, render, store the
file), and ``report_digest_seconds`` the fingerprint of the data that the pages compute to
tell whether a stored file is older than the data.

``value`` is the wall time of the first render in this process (fonts not yet loaded: the
conservative figure); the details hold every render's wall and CPU time, the number of
pages and the file size. Target < 20 s each. The results are appended to the shared
benchmarks/results/evaluation.json as entries of group ``report_generation`` (the other
groups' entries are kept).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GROUP = "report_generation"
RESULTS_FILE = ROOT / "benchmarks" / "results" / "evaluation.json"
TARGET_SECONDS = 20.0


def pdf_pages(pdf: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    for line in out.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def timed(fn: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def write_results(entries: list[dict[str, Any]], run: dict[str, Any]) -> None:
    data: dict[str, Any] = {}
    if RESULTS_FILE.exists():
        try:
            data = json.loads(RESULTS_FILE.read_text("utf-8"))
        except json.JSONDecodeError:
            data = {}
    others = [e for e in data.get("results", []) if e.get("group") != GROUP]
    runs = dict(data.get("runs", {}))
    runs[GROUP] = run
    data.update(
        {
            "topic": "evaluation",
            "about": data.get(
                "about",
                "KPI achievement, grading and report generation; `results` is shared by "
                "several scripts, each replacing only its own group's entries.",
            ),
            "runs": runs,
            "results": others + entries,
        }
    )
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one render of each format")
    parser.add_argument("--no-write", action="store_true", help="do not write the JSON file")
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else 2

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["KEIKAKU_VAR_DIR"] = tmp
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.core.management import call_command

        quiet = io.StringIO()
        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_demo", stdout=quiet)
        call_command("load_demo_evaluation", stdout=quiet)
        setup_seconds = time.perf_counter() - start

        from keikaku.evaluation import api, renderers, selectors, services
        from keikaku.evaluation.models import EvaluationRound, ReportFile
        from keikaku.reporting.evaluation_report import report_pdf, report_xlsx
        from keikaku.reporting.pdf import PdfError

        if renderers.report_renderer("pdf") is None:  # keikaku.reporting did not register it
            api.register_report_renderer("pdf", report_pdf, user_errors=(PdfError,))

        round_ = (
            EvaluationRound.objects.filter(is_final=True, edition__kind="former")
            .order_by("-fiscal_year")
            .get()
        )
        report, build_wall, build_cpu = timed(lambda: selectors.round_report(round_))
        n_measures = len(report.measures)
        n_indicators = report.n_indicators
        n_strategies = len(report.strategies)
        n_strategy_indicators = report.n_strategy_indicators
        _digest, digest_wall, _digest_cpu = timed(lambda: selectors.report_digest(round_))

        pdf_runs: list[dict[str, float]] = []
        pdf = b""
        for _ in range(repeats):
            pdf, wall, cpu = timed(lambda: report_pdf(report))
            pdf_runs.append({"wall": round(wall, 3), "cpu": round(cpu, 3)})
        xlsx_runs: list[dict[str, float]] = []
        xlsx = b""
        for _ in range(repeats):
            xlsx, wall, cpu = timed(lambda: report_xlsx(report))
            xlsx_runs.append({"wall": round(wall, 4), "cpu": round(cpu, 4)})
        pages = pdf_pages(pdf)

        def background() -> ReportFile:
            file, _created = services.report_file_request(
                round_=round_, actor="bench", enqueue=False
            )
            services.report_file_execute(file_id=file.pk)
            file.refresh_from_db()
            return file

        made, job_wall, job_cpu = timed(background)
        job_status, job_bytes = made.status, made.size or 0

    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()
    common = {
        "report": report.title,
        "fiscal_year": report.fiscal_year,
        "measures": n_measures,
        "indicators": n_indicators,
        "strategies": n_strategies,
        "strategy_indicators": n_strategy_indicators,
        "repeats": repeats,
    }
    entries: list[dict[str, Any]] = [
        {
            "group": GROUP,
            "name": "verification_report_pdf_seconds",
            "value": pdf_runs[0]["wall"],
            "unit": "s",
            "target": TARGET_SECONDS,
            "pass": pdf_runs[0]["wall"] < TARGET_SECONDS,
            "detail": {**common, "runs": pdf_runs, "pages": pages, "bytes": len(pdf)},
        },
        {
            "group": GROUP,
            "name": "verification_report_xlsx_seconds",
            "value": xlsx_runs[0]["wall"],
            "unit": "s",
            "target": TARGET_SECONDS,
            "pass": xlsx_runs[0]["wall"] < TARGET_SECONDS,
            "detail": {**common, "runs": xlsx_runs, "bytes": len(xlsx)},
        },
        {
            "group": GROUP,
            "name": "report_file_background_seconds",
            "value": round(job_wall, 3),
            "unit": "s",
            "target": TARGET_SECONDS,
            "pass": job_status == "done" and job_wall < TARGET_SECONDS,
            "detail": {
                **common,
                "cpu": round(job_cpu, 3),
                "status": job_status,
                "bytes": job_bytes,
            },
        },
        {
            "group": GROUP,
            "name": "report_digest_seconds",
            "value": round(digest_wall, 4),
            "unit": "s",
            "target": None,
            "pass": None,
            "detail": common,
        },
        {
            "group": GROUP,
            "name": "report_data_build_seconds",
            "value": round(build_wall, 4),
            "unit": "s",
            "target": None,
            "pass": None,
            "detail": {**common, "cpu": round(build_cpu, 4)},
        },
        {
            "group": GROUP,
            "name": "max_rss_mib",
            "value": round(rss_mib, 1),
            "unit": "MiB",
            "target": None,
            "pass": None,
            "detail": common,
        },
    ]
    run = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "load_average_at_end": [round(x, 2) for x in load],
        "setup_seconds": round(setup_seconds, 1),
    }
    print(f"{'benchmark':<40} {'value':>10} {'unit':<5} {'target':>7} ok   detail")
    for e in entries:
        ok = {True: "yes", False: "NO"}.get(e["pass"], "-")
        target = "" if e["target"] is None else f"{e['target']:g}"
        extra = ""
        if "runs" in e["detail"]:
            extra = "runs " + ", ".join(
                f"{r['wall']:.2f}s/cpu {r['cpu']:.2f}s" for r in e["detail"]["runs"]
            )
        if "pages" in e["detail"]:
            extra += f"; {e['detail']['pages']} pages, {e['detail']['bytes'] / 1e6:.1f} MB"
        print(f"{e['name']:<40} {e['value']:>10.3f} {e['unit']:<5} {target:>7} {ok:<4} {extra}")
    print(
        f"({n_measures} measures, {n_indicators} indicators, {n_strategies} strategies with "
        f"{n_strategy_indicators} indicators; load average {load[0]:.1f})"
    )
    if not args.no_write:
        write_results(entries, run)
    return 0 if all(e["pass"] is not False for e in entries) else 1


if __name__ == "__main__":
    raise SystemExit(main())
