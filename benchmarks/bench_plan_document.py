"""The full plan document of the demo city: PDF (WeasyPrint), Word (python-docx), 概要版.

Target: the whole plan PDF in < 30 s. Wall time and the process's CPU time are both reported
(the machine is shared: wall time includes waiting for a CPU). It also checks, on the whole
demo city, what the unit tests check on their test plan: every measure's name and every
indicator's target value are in the PDF's text (pdftotext), and the .docx (python-docx) has
the same headings as the PDF's table of contents; exit 1 when not. The demo is loaded into a
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
import json, os, resource, time
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

# What the unit tests check on the test plan, on the whole demo city: every measure's name and
# every indicator's target are in the PDF's text, and the .docx has the PDF's headings.
import io, re
from docx import Document
from keikaku.publication.documents.pdf import pdf_text
flat = lambda t: re.sub(r"\s+", "", t)
text = flat(pdf_text(pdf.data))
missing = []
for area in data["areas"]:
    for m in area["measures"]:
        if flat(f"施策{m['code']} {m['title']}") not in text:
            missing.append(m["code"])
        for ind in m["indicators"]:
            target = render.indicator_rows(ind)["target"]
            if flat(ind["name"]) not in text or flat(target) not in text:
                missing.append(ind["code"])
for s in data["strategies"]:
    for ind in s["indicators"]:
        if flat(render.indicator_rows(ind)["target"]) not in text:
            missing.append(ind["code"])
levels = {"Title": 1, "Heading 1": 2, "Heading 2": 3}
docx_headings = [
    [levels[p.style.name], p.text]
    for p in Document(io.BytesIO(docx)).paragraphs
    if p.style.name in levels
]
toc_in_pdf = all(flat(t) in text for _l, t in render.plan_headings(data))
print(json.dumps({
    "load_average_1min": round(os.getloadavg()[0], 2),
    "cpus": os.cpu_count(),
    "indicators": sum(len(m["indicators"]) for a in data["areas"] for m in a["measures"])
    + sum(len(s["indicators"]) for s in data["strategies"]),
    "missing_in_pdf": missing,
    "docx_headings_match": docx_headings == [list(h) for h in render.plan_headings(data)],
    "headings_in_pdf": toc_in_pdf,
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
            "name": "measures and indicator targets missing from the PDF text",
            "value": len(m["missing_in_pdf"]),
            "unit": "items",
            "target": "0",
            "pass": not m["missing_in_pdf"],
        },
        {
            "name": ".docx headings = PDF headings",
            "value": "yes" if m["docx_headings_match"] and m["headings_in_pdf"] else "no",
            "unit": "",
            "target": "yes",
            "pass": m["docx_headings_match"] and m["headings_in_pdf"],
        },
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
                "indicators": m["indicators"],
                "raw": m,
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    print(
        f"demo city: {m['measures']} measures, {m['indicators']} indicators; "
        f"load average {m['load_average_1min']} on {m['cpus']} CPUs (wall time includes waiting)"
    )
    for row in results:
        print(f"{row['name']:<56} {row['value']!s:>10} {row['unit']:<6} {row['target']}")
    return 0 if all(r["pass"] is not False for r in results[:2]) else 1


if __name__ == "__main__":
    sys.exit(main())
