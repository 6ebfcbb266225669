"""The full plan document of the demo city: PDF (WeasyPrint), Word (python-docx), 概要版.

Target: the whole plan PDF in < 30 s. Wall time and the process's CPU time are both reported
(the machine is shared: wall time includes waiting for a CPU). The demo is loaded into a
temporary database (`keikaku setup-demo --no-documents`; with --quick only the plan).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results" / "plan_document.json"

MEASURE = r"""
import json, resource, time
import django
django.setup()
from keikaku.publication.documents import content, render

def timed(fn):
    w = time.perf_counter(); c = time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c

data, dw, dc = timed(content.plan_document_data)
pdf, pw, pc = timed(lambda: render.render_plan_pdf(data))
docx, xw, xc = timed(lambda: render.render_plan_docx(data))
summary, sw, sc = timed(lambda: render.render_summary_pdf(data))
print(json.dumps({
    "measures": sum(len(a["measures"]) for a in data["areas"]),
    "data_wall": dw, "data_cpu": dc,
    "pdf_wall": pw, "pdf_cpu": pc, "pdf_pages": pdf.pages, "pdf_bytes": len(pdf.data),
    "docx_wall": xw, "docx_cpu": xc, "docx_bytes": len(docx),
    "summary_wall": sw, "summary_cpu": sc, "summary_pages": summary.pages,
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def main() -> int:
    quick = "--quick" in sys.argv
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
        if quick:
            subprocess.run([keikaku, "load_demo", "-v0"], env=env, check=True, cwd=ROOT)
        else:
            subprocess.run(
                [keikaku, "setup_demo", "--no-documents", "-v0"], env=env, check=True, cwd=ROOT
            )
        out = subprocess.run(
            [sys.executable, "-c", MEASURE],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    m = json.loads(out.strip().splitlines()[-1])
    results = [
        {
            "name": "plan PDF, whole demo plan (wall)",
            "value": round(m["pdf_wall"], 2),
            "unit": "s",
            "target": "< 30",
            "pass": m["pdf_wall"] < 30,
        },
        {
            "name": "plan PDF (CPU time)",
            "value": round(m["pdf_cpu"], 2),
            "unit": "s",
            "target": "",
            "pass": None,
        },
        {
            "name": "plan PDF pages",
            "value": m["pdf_pages"],
            "unit": "pages",
            "target": "",
            "pass": None,
        },
        {
            "name": "plan PDF size",
            "value": round(m["pdf_bytes"] / 1e6, 2),
            "unit": "MB",
            "target": "",
            "pass": None,
        },
        {
            "name": "plan .docx (wall)",
            "value": round(m["docx_wall"], 2),
            "unit": "s",
            "target": "",
            "pass": None,
        },
        {
            "name": "summary PDF (wall)",
            "value": round(m["summary_wall"], 2),
            "unit": "s",
            "target": "",
            "pass": None,
        },
        {
            "name": "summary PDF pages",
            "value": m["summary_pages"],
            "unit": "pages",
            "target": "4",
            "pass": m["summary_pages"] == 4,
        },
        {
            "name": "document data gathering",
            "value": round(m["data_wall"], 3),
            "unit": "s",
            "target": "",
            "pass": None,
        },
        {
            "name": "peak memory (RSS)",
            "value": round(m["max_rss_mb"], 1),
            "unit": "MB",
            "target": "",
            "pass": None,
        },
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "topic": "plan_document",
                "quick": quick,
                "measures": m["measures"],
                "raw": m,
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    for row in results:
        print(f"{row['name']:<40} {row['value']:>10} {row['unit']:<6} {row['target']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
