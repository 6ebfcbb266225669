"""Demo data of the resilience app for the demo city (鶴ヶ島市), loaded idempotently.

Everything here is illustrative (デモ用の架空データ): the regional plan's scenario choice and
assessment, the sites (names and coordinates are made up, placed around the city centre at
about 35.934° N, 139.393° E) and the sectoral-plan registry (typical names and periods of a
Japanese city's plans, not Tsurugashima's). It needs the demo city (`keikaku load-demo`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from keikaku.accounts.models import Department
from keikaku.plans.models import Edition, Measure, PriorityStrategy, Programme
from keikaku.resilience import services
from keikaku.resilience.models import (
    ActionPlan,
    CatalogueVersion,
    FrameworkPillar,
    FrameworkTag,
    PolicyField,
    RegionalPlan,
    RegionalScenario,
    RiskScenario,
    ScenarioKpi,
    SectoralPlan,
)

ACTOR = "デモデータの読み込み（keikaku load-demo-resilience）"
DEMO_NOTE = "デモ用の架空データ"
BBOX = (139.35, 35.90, 139.44, 35.97)  # west, south, east, north (illustrative, generous)


class DemoMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class ScenarioSpec:
    code: str
    priority: bool
    assessment: str
    kpis: tuple[tuple[str, str, float, int, float, int], ...] = ()


SCENARIOS = (
    ScenarioSpec(
        "1-1",
        True,
        "小中学校と市の施設の多くは昭和50年代に建てられ、老朽化が進んでいます。"
        "耐震化は終えていますが、天井や外壁などの非構造部材の対策が残っています。",
        (("公共施設の非構造部材の耐震対策率", "%", 62.0, 2024, 100.0, 2029),),
    ),
    ScenarioSpec(
        "1-4",
        True,
        "短時間の強い雨で、市街地の低い土地に浸水が起きています。雨水管と調整池の整備が必要です。",
        (("浸水被害の起きた箇所数", "か所", 6.0, 2024, 0.0, 2029),),
    ),
    ScenarioSpec(
        "2-1",
        False,
        "避難所となる学校の備蓄と非常用電源が十分ではありません。",
        (("非常用電源のある指定避難所の割合", "%", 40.0, 2024, 100.0, 2029),),
    ),
    ScenarioSpec(
        "2-7",
        True,
        "避難所となる体育館に空調がなく、夏の避難生活で体調を崩すおそれがあります。",
        (("空調のある避難所（体育館）の数", "か所", 3.0, 2024, 12.0, 2029),),
    ),
    ScenarioSpec(
        "3-3", False, "庁舎の被災や職員の不足で、行政の機能が大きく下がるおそれがあります。"
    ),
    ScenarioSpec(
        "6-2",
        True,
        "基幹管路の耐震化が半ばで、大きな地震で長い断水が起きるおそれがあります。",
        (("水道の基幹管路の耐震適合率", "%", 48.0, 2024, 60.0, 2029),),
    ),
    ScenarioSpec("6-3", False, "古い下水道管が多く、地震で使えなくなるおそれがあります。"),
    ScenarioSpec(
        "6-4",
        False,
        "緊急輸送道路につながる市道と橋りょうの耐震化・修繕が必要です。",
        (("修繕が必要な橋りょうの対策完了数", "橋", 4.0, 2024, 10.0, 2029),),
    ),
)


@dataclass(frozen=True)
class SiteSpec:
    name: str
    district: str
    lat: float | None = None
    lon: float | None = None
    geometry: dict[str, Any] | None = None


@dataclass(frozen=True)
class EntrySpec:
    programme: str
    scenarios: tuple[str, ...]
    fields: tuple[str, ...]
    start_fy: int
    end_fy: int
    grant: str = ""
    bond: str = ""
    kpi: str = ""
    implementer: str = "city"
    sites: tuple[SiteSpec, ...] = field(default=())


def _line(*points: tuple[float, float]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in points]}


def _area(*points: tuple[float, float]) -> dict[str, Any]:
    ring = [[lon, lat] for lat, lon in points]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


ENTRIES = (
    EntrySpec(
        "1-4-01",
        ("1-1",),
        ("2", "横断4"),
        2025,
        2029,
        grant="学校施設環境改善交付金",
        bond="学校教育施設等整備事業債",
        kpi="非構造部材の耐震対策を終えた学校数",
        sites=(
            SiteSpec("東小学校（架空）", "東部地区", 35.9388, 139.4052),
            SiteSpec("西小学校（架空）", "西部地区", 35.9301, 139.3752),
        ),
    ),
    EntrySpec(
        "1-4-02",
        ("2-7",),
        ("3",),
        2025,
        2027,
        grant="学校施設環境改善交付金",
        bond="緊急防災・減災事業債",
        kpi="空調のある避難所（体育館）の数",
        sites=(
            SiteSpec("南中学校 体育館（架空）", "南部地区", 35.9213, 139.3935),
            SiteSpec("北小学校 体育館（架空）", "北部地区", 35.9502, 139.3871),
        ),
    ),
    EntrySpec(
        "3-1-02",
        ("2-1", "2-7"),
        ("1", "3"),
        2025,
        2029,
        bond="緊急防災・減災事業債",
        kpi="非常用電源のある指定避難所の割合",
        sites=(SiteSpec("中央公民館（架空）", "中央地区", 35.9352, 139.3921),),
    ),
    EntrySpec(
        "4-3-01",
        ("6-4",),
        ("8", "2"),
        2025,
        2029,
        grant="社会資本整備総合交付金（道路）",
        bond="公共事業等債",
        sites=(
            SiteSpec(
                "都市計画道路 中央通り線（架空の区間）",
                "中央地区",
                geometry=_line((35.9318, 139.3842), (35.9335, 139.3901), (35.9349, 139.3968)),
            ),
        ),
    ),
    EntrySpec(
        "4-3-02",
        ("6-4",),
        ("8", "横断4"),
        2025,
        2029,
        grant="道路メンテナンス事業補助",
        kpi="修繕が必要な橋りょうの対策完了数",
        sites=(
            SiteSpec("川沿い橋（架空）", "北部地区", 35.9468, 139.3805),
            SiteSpec("市場橋（架空）", "東部地区", 35.9412, 139.4101),
        ),
    ),
    EntrySpec(
        "4-5-01",
        ("6-2",),
        ("2", "横断4"),
        2025,
        2029,
        grant="水道施設耐震化等交付金",
        bond="水道事業債",
        kpi="水道の基幹管路の耐震適合率",
        sites=(
            SiteSpec(
                "基幹管路 配水場～市役所間（架空）",
                "中央地区",
                geometry=_line((35.9280, 139.3810), (35.9312, 139.3880), (35.9345, 139.3932)),
            ),
        ),
    ),
    EntrySpec(
        "4-6-01",
        ("6-3",),
        ("2", "横断4"),
        2025,
        2029,
        grant="社会資本整備総合交付金（下水道）",
        bond="下水道事業債",
        sites=(SiteSpec("第1処理分区の汚水管（架空）", "南部地区", 35.9245, 139.3990),),
    ),
    EntrySpec(
        "4-6-02",
        ("1-4",),
        ("10", "2"),
        2025,
        2028,
        grant="防災・安全交付金",
        bond="下水道事業債",
        kpi="浸水被害の起きた箇所数",
        sites=(
            SiteSpec(
                "雨水調整池の予定区域（架空）",
                "東部地区",
                geometry=_area(
                    (35.9361, 139.4071),
                    (35.9361, 139.4102),
                    (35.9382, 139.4102),
                    (35.9382, 139.4071),
                ),
            ),
        ),
    ),
    EntrySpec(
        "5-5-01",
        ("2-1",),
        ("2", "横断4"),
        2025,
        2029,
        grant="社会資本整備総合交付金（都市公園）",
        sites=(SiteSpec("運動公園（架空）", "西部地区", 35.9279, 139.3798),),
    ),
    EntrySpec(
        "7-5-02",
        ("3-3",),
        ("1", "6"),
        2025,
        2026,
        grant="デジタル基盤改革支援補助金",
        sites=(SiteSpec("市役所 本庁舎（架空の位置）", "中央地区", 35.9345, 139.3932),),
    ),
)


@dataclass(frozen=True)
class SectoralSpec:
    name: str
    series: str
    section: str
    legal_basis: str
    start_fy: int | None
    end_fy: int | None
    status: str
    measures: tuple[str, ...]


SECTORAL = (
    SectoralSpec(
        "子ども・子育て支援事業計画（第3期）",
        "子ども・子育て支援事業計画",
        "0601",
        "子ども・子育て支援法",
        2025,
        2029,
        "current",
        ("1-1", "1-2", "1-5"),
    ),
    SectoralSpec(
        "教育振興基本計画",
        "教育振興基本計画",
        "0902",
        "教育基本法",
        2025,
        2029,
        "current",
        ("1-3", "1-4"),
    ),
    SectoralSpec(
        "生涯学習推進計画", "生涯学習推進計画", "0904", "", 2022, 2026, "current", ("1-6",)
    ),
    SectoralSpec(
        "健康づくり計画（第3次）",
        "健康づくり計画",
        "0505",
        "健康増進法",
        2026,
        2035,
        "drafting",
        ("2-1",),
    ),
    SectoralSpec(
        "地域福祉計画", "地域福祉計画", "0501", "社会福祉法", 2023, 2027, "current", ("2-3", "2-6")
    ),
    SectoralSpec(
        "高齢者福祉計画・介護保険事業計画（第9期）",
        "高齢者福祉計画・介護保険事業計画",
        "0502",
        "老人福祉法・介護保険法",
        2024,
        2026,
        "current",
        ("2-4",),
    ),
    SectoralSpec(
        "障害者計画・障害福祉計画（第7期）",
        "障害福祉計画",
        "0503",
        "障害者基本法・障害者総合支援法",
        2024,
        2026,
        "current",
        ("2-5",),
    ),
    SectoralSpec(
        "地域防災計画",
        "地域防災計画",
        "0203",
        "災害対策基本法",
        None,
        None,
        "current",
        ("3-1", "3-2"),
    ),
    SectoralSpec(
        "国土強靱化地域計画",
        "国土強靱化地域計画",
        "0203",
        "国土強靱化基本法",
        2025,
        2029,
        "current",
        ("3-1", "4-3", "4-5"),
    ),
    SectoralSpec(
        "都市計画マスタープラン",
        "都市計画マスタープラン",
        "0701",
        "都市計画法",
        2020,
        2039,
        "current",
        ("4-1", "4-2", "4-3"),
    ),
    SectoralSpec(
        "公共施設等総合管理計画",
        "公共施設等総合管理計画",
        "0105",
        "",
        2017,
        2056,
        "revision_planned",
        ("4-5", "4-6", "5-5"),
    ),
    SectoralSpec(
        "一般廃棄物処理基本計画",
        "一般廃棄物処理基本計画",
        "0401",
        "廃棄物の処理及び清掃に関する法律",
        2016,
        2030,
        "current",
        ("5-2",),
    ),
    SectoralSpec(
        "一般廃棄物処理基本計画（改定版）",
        "一般廃棄物処理基本計画",
        "0401",
        "廃棄物の処理及び清掃に関する法律",
        2026,
        2035,
        "drafting",
        ("5-2",),
    ),
    SectoralSpec(
        "環境基本計画（第3次）",
        "環境基本計画",
        "0402",
        "環境基本条例",
        2021,
        2030,
        "current",
        ("5-1", "5-3", "5-4"),
    ),
    SectoralSpec(
        "男女共同参画プラン（第4次）",
        "男女共同参画プラン",
        "0302",
        "男女共同参画社会基本法",
        2021,
        2025,
        "current",
        ("7-2",),
    ),
    SectoralSpec(
        "情報化推進計画（DX推進計画）",
        "情報化推進計画",
        "0104",
        "",
        2023,
        2027,
        "current",
        ("7-5",),
    ),
)

TAGS = (
    ("こどもにやさしいまちづくり", "digiden-2023", "3"),
    ("こどもにやさしいまちづくり", "chihososei-2025", "2"),
    ("いつまでも健康でいられるまちづくり", "digiden-2023", "4"),
    ("多様な働き方が実現できるまちづくり", "digiden-2023", "1"),
    ("多様な働き方が実現できるまちづくり", "chihososei-2025", "1"),
)


@dataclass
class DemoResult:
    created: int = 0
    published: bool = False


def demo_edition() -> Edition | None:
    return (
        Edition.objects.filter(
            plan__municipality__code="112411", plan__ordinal=6, kind=Edition.Kind.LATTER
        )
        .select_related("plan")
        .first()
    )


@transaction.atomic
def load_demo(*, publish: bool = True) -> DemoResult:
    edition = demo_edition()
    if edition is None:
        raise DemoMissing(
            _(
                "デモ用の自治体（鶴ヶ島市）の後期基本計画がありません。先に keikaku load-demo を実行してください。"
            )
        )
    result = DemoResult()
    result.created += len(services.catalogue_load_builtin(actor=ACTOR))
    from keikaku.resilience.models import Framework

    if not Framework.objects.exists():
        result.created += len(services.frameworks_load_builtin(actor=ACTOR))
    if not RegionalPlan.objects.filter(edition=edition).exists():
        result.created += _load_regional_plan(edition)
    result.created += _load_sectoral(edition)
    result.created += _load_tags(edition)
    if result.created and publish:
        action_plan = (
            ActionPlan.objects.filter(regional_plan__edition=edition)
            .order_by("fiscal_year")
            .first()
        )
        if action_plan is not None:
            services.action_plan_publish(action_plan=action_plan, actor=ACTOR)
        services.sectoral_plans_publish(actor=ACTOR)
        result.published = True
    return result


def _load_regional_plan(edition: Edition) -> int:
    catalogue = CatalogueVersion.objects.get(code="2018")
    created = 0
    plan = services.object_create(
        obj=RegionalPlan(
            edition=edition,
            title="鶴ヶ島市国土強靱化地域計画（デモ）",
            catalogue=catalogue,
            start_fy=2025,
            end_fy=2029,
            description=DEMO_NOTE
            + "：リスクシナリオの選び方、脆弱性評価、事業実施箇所は説明のための架空のものです。",
            bbox_min_lon=BBOX[0],
            bbox_min_lat=BBOX[1],
            bbox_max_lon=BBOX[2],
            bbox_max_lat=BBOX[3],
        ),
        actor=ACTOR,
    )
    created += 1
    regional: dict[str, RegionalScenario] = {}
    for order, scenario_spec in enumerate(SCENARIOS, start=1):
        scenario = RiskScenario.objects.get(version=catalogue, code=scenario_spec.code)
        regional[scenario_spec.code] = services.object_create(
            obj=RegionalScenario(
                regional_plan=plan,
                scenario=scenario,
                priority=scenario_spec.priority,
                vulnerability_assessment=scenario_spec.assessment,
                order=order,
            ),
            actor=ACTOR,
        )
        created += 1
        for k_order, (name, unit, base, base_fy, target, target_fy) in enumerate(
            scenario_spec.kpis, 1
        ):
            services.object_create(
                obj=ScenarioKpi(
                    regional_scenario=regional[scenario_spec.code],
                    name=name,
                    unit=unit,
                    baseline_value=base,
                    baseline_fy=base_fy,
                    target_value=target,
                    target_fy=target_fy,
                    order=k_order,
                ),
                actor=ACTOR,
            )
            created += 1
    action_plan = services.object_create(
        obj=ActionPlan(
            regional_plan=plan,
            fiscal_year=2025,
            title="鶴ヶ島市国土強靱化地域計画 アクションプラン（デモ）",
            status=ActionPlan.Status.ADOPTED,
            note=DEMO_NOTE,
        ),
        actor=ACTOR,
    )
    created += 1
    fields = {f.code: f for f in PolicyField.objects.filter(version=catalogue)}
    for spec in ENTRIES:
        programme = Programme.objects.filter(edition=edition, code=spec.programme).first()
        if programme is None:
            continue
        entry = services.entry_create(
            action_plan=action_plan,
            actor=ACTOR,
            scenarios=[regional[c] for c in spec.scenarios],
            policy_fields=[fields[c] for c in spec.fields],
            programme=programme,
            implementer=spec.implementer,
            start_fy=spec.start_fy,
            end_fy=spec.end_fy,
            grant=spec.grant,
            bond=spec.bond,
            kpi=spec.kpi,
            notes=DEMO_NOTE,
        )
        created += 1
        for site in spec.sites:
            services.site_create(
                entry=entry,
                actor=ACTOR,
                name=site.name,
                district=site.district,
                lat=site.lat,
                lon=site.lon,
                geometry=site.geometry,
                note=DEMO_NOTE,
            )
            created += 1
    return created


def _load_sectoral(edition: Edition) -> int:
    created = 0
    for spec in SECTORAL:
        if SectoralPlan.objects.filter(name=spec.name).exists():
            continue
        department = Department.objects.filter(code=spec.section).first() if spec.section else None
        measures = list(Measure.objects.filter(area__edition=edition, code__in=spec.measures))
        services.object_create(
            obj=SectoralPlan(
                name=spec.name,
                series=spec.series,
                department=department,
                legal_basis=spec.legal_basis,
                start_fy=spec.start_fy,
                end_fy=spec.end_fy,
                status=spec.status,
                note=DEMO_NOTE,
            ),
            actor=ACTOR,
            m2m={"measures": measures},
        )
        created += 1
    return created


def _load_tags(edition: Edition) -> int:
    created = 0
    for title, framework, pillar_code in TAGS:
        strategy = PriorityStrategy.objects.filter(edition=edition, title=title).first()
        pillar = FrameworkPillar.objects.filter(framework__code=framework, code=pillar_code).first()
        if strategy is None or pillar is None:
            continue
        if FrameworkTag.objects.filter(pillar=pillar, strategy=strategy).exists():
            continue
        services.framework_tag_create(pillar=pillar, strategy=strategy, actor=ACTOR)
        created += 1
    return created
