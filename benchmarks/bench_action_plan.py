"""Resilience action plan for 2,000 programmes × 5 sites: read from the database, then write
Excel, PDF and GeoJSON. Targets: Excel < 30 s and PDF < 30 s (each including the read).

Runs against a fresh SQLite database in a temporary directory (its own KEIKAKU_VAR_DIR).
`--quick`: 200 programmes, for a smoke run. Writes benchmarks/results/action_plan.json.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "action_plan.json"
SITES_PER_PROGRAMME = 5


def setup_django(var_dir: str) -> None:
    os.environ["KEIKAKU_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def build(n_programmes: int) -> int:
    """The plan, the catalogue, a regional plan and an action plan of n programmes × 5 sites
    (bulk inserts: the benchmark measures the outputs, not the data entry)."""
    from keikaku.plans import models as pm
    from keikaku.resilience import services
    from keikaku.resilience.models import (
        ActionPlan,
        ActionPlanEntry,
        EntryCost,
        PolicyField,
        RegionalPlan,
        RegionalScenario,
        Site,
    )

    muni = pm.Municipality.objects.create(code="112411", name="鶴ヶ島市", prefecture="埼玉県")
    plan = pm.ComprehensivePlan.objects.create(
        municipality=muni, title="第6次鶴ヶ島市総合計画", start_fy=2020, end_fy=2029
    )
    edition = pm.Edition.objects.create(
        plan=plan, kind="latter", title="後期基本計画", start_fy=2025, end_fy=2029
    )
    area = pm.PolicyArea.objects.create(edition=edition, number=4, title="都市基盤")
    measure = pm.Measure.objects.create(area=area, code="4-3", title="道路の整備と維持管理")
    catalogue = services.catalogue_load_builtin(actor="bench")[0]
    regional = RegionalPlan.objects.create(
        edition=edition, title="国土強靱化地域計画", catalogue=catalogue, start_fy=2025, end_fy=2029
    )
    scenarios = [
        RegionalScenario.objects.create(regional_plan=regional, scenario=s, order=i)
        for i, s in enumerate(catalogue.scenarios.all())
    ]
    fields = list(PolicyField.objects.filter(version=catalogue))
    action_plan = ActionPlan.objects.create(
        regional_plan=regional, fiscal_year=2025, title="アクションプラン（ベンチマーク）"
    )
    programmes = pm.Programme.objects.bulk_create(
        [
            pm.Programme(
                edition=edition,
                code=f"{i // 100 + 1}-{i % 100 + 1:03d}",
                name=f"防災・減災対策整備事業その{i + 1}",
                measure=measure,
                description="老朽化した施設を計画的に改修し、災害時にも機能を保てるようにします。",
            )
            for i in range(n_programmes)
        ]
    )
    entries = ActionPlanEntry.objects.bulk_create(
        [
            ActionPlanEntry(
                action_plan=action_plan,
                programme=p,
                start_fy=2025,
                end_fy=2029,
                total_cost=100000 + i,
                grant="社会資本整備総合交付金",
                bond="公共事業等債",
                kpi="整備延長",
            )
            for i, p in enumerate(programmes)
        ]
    )
    links = ActionPlanEntry.scenarios.through
    field_links = ActionPlanEntry.policy_fields.through
    scenario_rows, field_rows, costs, sites = [], [], [], []
    for i, entry in enumerate(entries):
        for k in {i % len(scenarios), (i * 7) % len(scenarios)} if i % 2 else {i % len(scenarios)}:
            scenario_rows.append(
                links(actionplanentry_id=entry.pk, regionalscenario_id=scenarios[k].pk)
            )
        field_rows.append(
            field_links(actionplanentry_id=entry.pk, policyfield_id=fields[i % len(fields)].pk)
        )
        costs += [
            EntryCost(entry=entry, fiscal_year=fy, amount=20000 + i) for fy in (2025, 2026, 2027)
        ]
        for j in range(SITES_PER_PROGRAMME):
            sites.append(
                Site(
                    entry=entry,
                    name=f"箇所{j + 1}（第{i + 1}号）",
                    district="中央地区",
                    address=f"鶴ヶ島市大字三ツ木{j + 1}番地",
                    lat=35.90 + (i % 70) / 1000,
                    lon=139.35 + (i * 13 % 90) / 1000,
                    order=j,
                )
            )
    links.objects.bulk_create(scenario_rows, batch_size=2000)
    field_links.objects.bulk_create(field_rows, batch_size=2000)
    EntryCost.objects.bulk_create(costs, batch_size=2000)
    Site.objects.bulk_create(sites, batch_size=2000)
    return action_plan.pk


def main() -> int:
    quick = "--quick" in sys.argv
    n = 200 if quick else 2000
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        from keikaku.resilience import exports, selectors
        from keikaku.resilience.domain.actionplan import site_features
        from keikaku.resilience.domain.geo import feature_collection, rfc7946_problems
        from keikaku.resilience.models import ActionPlan

        t = time.perf_counter()
        pk = build(n)
        print(
            f"data: {n} programmes × {SITES_PER_PROGRAMME} sites in {time.perf_counter() - t:.1f} s"
        )
        plan = ActionPlan.objects.get(pk=pk)

        def read():
            entries = selectors.entries_data(plan)
            return entries, selectors.action_plan_table(plan, entries)

        t = time.perf_counter()
        entries, table = read()
        read_s = time.perf_counter() - t
        t = time.perf_counter()
        entries, table = read()
        xlsx = exports.action_plan_xlsx(table, entries, municipality_code="112411")
        xlsx_s = time.perf_counter() - t
        t = time.perf_counter()
        entries, table = read()
        pdf = exports.action_plan_pdf(table, municipality_name="鶴ヶ島市")
        pdf_s = time.perf_counter() - t
        t = time.perf_counter()
        entries, table = read()
        geo = exports.geojson_bytes(feature_collection(site_features(entries)))
        geo_s = time.perf_counter() - t
        problems = rfc7946_problems(json.loads(geo))
        pages = None
        try:
            info = subprocess.run(
                ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
            ).stdout
            pages = int(re.search(rb"Pages:\s+(\d+)", info).group(1))
        except (OSError, subprocess.SubprocessError, AttributeError):
            pass
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        label = f"{n} programmes × {SITES_PER_PROGRAMME} sites"
        results = [
            {
                "name": f"read action plan ({label}, {table.row_count} rows)",
                "value": round(read_s, 2),
                "unit": "s",
                "target": "—",
                "pass": True,
            },
            {
                "name": f"Excel incl. read ({label}, {len(xlsx) // 1024} KiB)",
                "value": round(xlsx_s, 2),
                "unit": "s",
                "target": "< 30 s",
                "pass": xlsx_s < 30,
            },
            {
                "name": f"PDF incl. read ({label}, {len(pdf) // 1024} KiB)",
                "value": round(pdf_s, 2),
                "unit": "s",
                "target": "< 30 s",
                "pass": pdf_s < 30,
            },
            {
                "name": "PDF pages (A4 landscape)",
                "value": pages,
                "unit": "pages",
                "target": "—",
                "pass": True,
            },
            {
                "name": f"GeoJSON incl. read ({n * SITES_PER_PROGRAMME} features)",
                "value": round(geo_s, 2),
                "unit": "s",
                "target": "RFC 7946 valid",
                "pass": problems == [],
            },
            {
                "name": "peak memory (max RSS)",
                "value": round(peak_mb),
                "unit": "MiB",
                "target": "—",
                "pass": True,
            },
        ]
    print(f"{'benchmark':<60} {'value':>10} {'unit':<6} {'target':<16} ok")
    for r in results:
        print(
            f"{r['name']:<60} {str(r['value']):>10} {r['unit']:<6} {r['target']:<16} {'yes' if r['pass'] else 'NO'}"
        )
    out = RESULTS if not quick else RESULTS.with_name("action_plan-quick.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"topic": "action_plan", "results": results}, ensure_ascii=False, indent=2)
        + "\n",
        encoding="utf-8",
    )
    return 0 if all(r["pass"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
