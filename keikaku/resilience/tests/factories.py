"""Test data for the resilience app, on top of the plans factories (鶴ヶ島市, 後期基本計画)."""

from __future__ import annotations

from dataclasses import dataclass

from keikaku.plans import models as pm
from keikaku.plans.tests.factories import SmallPlan, make_small_plan
from keikaku.resilience import services
from keikaku.resilience.models import (
    ActionPlan,
    ActionPlanEntry,
    CatalogueVersion,
    PolicyField,
    RegionalPlan,
    RegionalScenario,
    RiskScenario,
)

CATALOGUE_CSV = (
    "kind,code,goal,text,field_type,verified,note\n"
    "goal,1,,直接死を最大限防ぐ,,false,\n"
    "goal,6,,ライフラインの被害を最小限にとどめる,,false,\n"
    "scenario,1-1,1,建物の倒壊による多数の死傷者の発生,,false,\n"
    "scenario,1-4,1,市街地の浸水による多数の死傷者の発生,,true,照合済み（テスト用）\n"
    "scenario,6-4,6,交通インフラの長期間にわたる機能停止,,false,\n"
    "field,2,,住宅・都市,individual,false,\n"
    "field,8,,交通・物流,individual,false,\n"
    "field,横断4,,老朽化対策,cross_cutting,false,\n"
).encode()


@dataclass
class ResilienceSetup:
    small: SmallPlan
    catalogue: CatalogueVersion
    regional: RegionalPlan
    s11: RegionalScenario
    s64: RegionalScenario
    action_plan: ActionPlan
    road: pm.Programme
    bridge: pm.Programme
    entry: ActionPlanEntry


def make_resilience(*, bbox: bool = True) -> ResilienceSetup:
    small = make_small_plan()
    catalogue = services.catalogue_import(
        data=CATALOGUE_CSV, source="test.csv", code="test", title="テスト用の一覧", actor="test"
    )
    regional = RegionalPlan.objects.create(
        edition=small.edition,
        title="鶴ヶ島市国土強靱化地域計画",
        catalogue=catalogue,
        start_fy=2025,
        end_fy=2029,
        **(
            {
                "bbox_min_lon": 139.35,
                "bbox_min_lat": 35.90,
                "bbox_max_lon": 139.44,
                "bbox_max_lat": 35.97,
            }
            if bbox
            else {}
        ),
    )
    s11 = RegionalScenario.objects.create(
        regional_plan=regional, scenario=RiskScenario.objects.get(version=catalogue, code="1-1")
    )
    s64 = RegionalScenario.objects.create(
        regional_plan=regional,
        scenario=RiskScenario.objects.get(version=catalogue, code="6-4"),
        order=2,
    )
    road = pm.Programme.objects.create(
        edition=small.edition,
        code="4-3-01",
        name="都市計画道路整備事業",
        department=small.department,
        measure=small.measure,
        description="都市計画道路を整備します。",
    )
    for fy, total in ((2025, 120000), (2026, 150000), (2027, 90000)):
        pm.ProgrammeCost.objects.create(programme=road, fiscal_year=fy, total=total)
    bridge = pm.Programme.objects.create(
        edition=small.edition, code="4-3-02", name="橋りょう長寿命化修繕事業"
    )
    pm.ProgrammeCost.objects.create(programme=bridge, fiscal_year=2025, total=30000)
    action_plan = ActionPlan.objects.create(
        regional_plan=regional, fiscal_year=2025, title="アクションプラン（令和7年度）"
    )
    entry = services.entry_create(
        action_plan=action_plan,
        actor="test",
        programme=road,
        scenarios=[s64],
        policy_fields=list(PolicyField.objects.filter(version=catalogue, code="8")),
        start_fy=2025,
        end_fy=2027,
        grant="社会資本整備総合交付金",
        bond="公共事業等債",
        kpi="整備延長",
    )
    return ResilienceSetup(small, catalogue, regional, s11, s64, action_plan, road, bridge, entry)
