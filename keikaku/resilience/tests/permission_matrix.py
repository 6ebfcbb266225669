"""Expectations of the resilience staff URLs for tests/test_permission_matrix.py.

Viewing: every staff role. Editing (regional plan, action plan, sites, sectoral plans, tags):
the plan editors (plans.change_measure). Importing reference data and publishing: the
publishers (plans.change_edition). POST-only URLs answer 405 to GET.
"""

from __future__ import annotations

from typing import Any

from keikaku.plans import models as pm
from keikaku.resilience import services
from keikaku.resilience.models import (
    ActionPlan,
    RegionalPlan,
    RegionalScenario,
    RiskScenario,
    ScenarioKpi,
    SectoralPlan,
)
from keikaku.resilience.tests.factories import CATALOGUE_CSV
from tests.test_permission_matrix import EDITORS, EVERY_STAFF, METHOD, SECRETARIAT, Case, only


def objects(world: Any) -> dict[str, Any]:
    plan = world.w.plan
    catalogue = services.catalogue_import(
        data=CATALOGUE_CSV, source="matrix.csv", code="matrix", title="一覧", actor="matrix"
    )
    regional = RegionalPlan.objects.create(
        edition=plan.edition,
        title="国土強靱化地域計画",
        catalogue=catalogue,
        start_fy=2025,
        end_fy=2029,
    )
    scenario = RegionalScenario.objects.create(
        regional_plan=regional, scenario=RiskScenario.objects.get(version=catalogue, code="6-4")
    )
    kpi = ScenarioKpi.objects.create(regional_scenario=scenario, name="整備延長", unit="m")
    action_plan = ActionPlan.objects.create(
        regional_plan=regional, fiscal_year=2025, title="アクションプラン"
    )
    programme = pm.Programme.objects.create(
        edition=plan.edition, code="R-001", name="橋りょう長寿命化修繕事業"
    )
    entry = services.entry_create(
        action_plan=action_plan, actor="matrix", programme=programme, scenarios=[scenario]
    )
    site = services.site_create(entry=entry, actor="matrix", name="市場橋", lat=35.94, lon=139.41)
    sectoral = SectoralPlan.objects.create(name="地域防災計画")
    return {
        "r_catalogue": catalogue,
        "r_plan": regional,
        "r_scenario": scenario,
        "r_kpi": kpi,
        "r_action_plan": action_plan,
        "r_entry": entry,
        "r_site": site,
        "r_sectoral": sectoral,
    }


def _pk(key: str) -> Any:
    return lambda m: {"pk": m.objects[key].pk}


def _plan(key: str = "") -> Any:
    def kwargs(m: Any) -> dict[str, Any]:
        out = {"plan_pk": m.objects["r_plan"].pk}
        if key:
            out["pk"] = m.objects[key].pk
        return out

    return kwargs


def _ap(key: str = "") -> Any:
    def kwargs(m: Any) -> dict[str, Any]:
        out = {"plan_pk": m.objects["r_action_plan"].pk}
        if key:
            out["pk"] = m.objects[key].pk
        return out

    return kwargs


EDIT = only(*EDITORS)
PUBLISH = only(*SECRETARIAT)

CASES = [
    Case("staff:resilience_home", EVERY_STAFF, EVERY_STAFF),
    Case("staff:resilience_catalogues", EVERY_STAFF, PUBLISH),
    Case("staff:resilience_catalogue", EVERY_STAFF, EVERY_STAFF, _pk("r_catalogue")),
    Case("staff:resilience_plan_new", EVERY_STAFF, EDIT),
    Case("staff:resilience_plan", EVERY_STAFF, EDIT, _pk("r_plan")),
    Case("staff:resilience_scenario_new", EVERY_STAFF, EDIT, _plan()),
    Case("staff:resilience_scenario", EVERY_STAFF, EDIT, _plan("r_scenario")),
    Case("staff:resilience_kpi_delete", METHOD, EDIT, _pk("r_kpi")),
    Case("staff:resilience_action_plan_new", METHOD, EDIT, _plan()),
    Case("staff:resilience_action_plan", EVERY_STAFF, EVERY_STAFF, _pk("r_action_plan")),
    Case("staff:resilience_entry_new", EVERY_STAFF, EDIT, _ap()),
    Case("staff:resilience_entry", EVERY_STAFF, EDIT, _ap("r_entry")),
    Case("staff:resilience_entry_delete", EVERY_STAFF, EDIT, _ap("r_entry")),
    Case("staff:resilience_action_plan_copy", METHOD, EDIT, _pk("r_action_plan")),
    Case("staff:resilience_budget", EVERY_STAFF, EVERY_STAFF, _pk("r_action_plan")),
    Case(
        "staff:resilience_action_plan_export",
        EVERY_STAFF,
        EVERY_STAFF,
        lambda m: {"pk": m.objects["r_action_plan"].pk, "fmt": "xlsx"},
    ),
    Case("staff:resilience_action_plan_publish", METHOD, PUBLISH, _pk("r_action_plan")),
    Case("staff:resilience_map", EVERY_STAFF, EDIT, _pk("r_action_plan")),
    Case("staff:resilience_sites_geojson", EVERY_STAFF, EVERY_STAFF, _pk("r_action_plan")),
    Case("staff:resilience_site", EVERY_STAFF, EDIT, _pk("r_site")),
    Case("staff:resilience_frameworks", EVERY_STAFF, PUBLISH),
    Case("staff:resilience_local_strategy", EVERY_STAFF, EDIT),
    Case(
        "staff:resilience_local_strategy_export",
        EVERY_STAFF,
        EVERY_STAFF,
        lambda m: {"fmt": "docx"},
    ),
    Case("staff:resilience_sectoral", EVERY_STAFF, EVERY_STAFF),
    Case("staff:resilience_sectoral_new", EVERY_STAFF, EDIT),
    Case("staff:resilience_sectoral_edit", EVERY_STAFF, EDIT, _pk("r_sectoral")),
    Case("staff:resilience_sectoral_publish", METHOD, PUBLISH),
    Case("staff:resilience_consistency", EVERY_STAFF, EVERY_STAFF),
]
