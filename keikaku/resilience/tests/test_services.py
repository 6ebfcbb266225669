"""Services and selectors with the database: imports (all-or-nothing), sites, the yearly
update, publication and the read API for the policy-area pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from keikaku.core.models import AuditEvent
from keikaku.plans import models as pm
from keikaku.resilience import api, selectors, services
from keikaku.resilience.demo import DEMO_NOTE
from keikaku.resilience.domain.actionplan import CostLine, budget_changes
from keikaku.resilience.models import (
    ActionPlan,
    CatalogueVersion,
    Framework,
    FrameworkPillar,
    FrameworkTag,
    PolicyField,
    ResilienceGoal,
    RiskScenario,
    SectoralPlan,
    Site,
)
from keikaku.resilience.tests.factories import CATALOGUE_CSV, make_resilience

pytestmark = pytest.mark.django_db


def test_catalogue_import_with_faulty_rows_writes_nothing():
    bad = (
        "kind,code,goal,text,field_type,verified,note\n"
        "goal,1,,直接死を最大限防ぐ,,false,\n"
        "scenario,1-1,1,建物の倒壊,,false,\n"
        "scenario,9-1,9,目標のない事態,,false,\n"
        "field,2,,住宅・都市,personal,false,\n"
    ).encode()
    events = AuditEvent.objects.count()
    with pytest.raises(services.ResilienceError) as err:
        services.catalogue_import(data=bad, source="city.csv", code="city", title="市", actor="t")
    assert err.value.problems == (
        "city.csv: 5行目「field_type」列: 分野の種類「personal」は使えません。individual（個別）か cross_cutting（横断）にしてください。",
        "city.csv: 4行目: 事態「9-1」の目標 9 がファイルにありません。目標の行を加えてください。",
    )
    assert CatalogueVersion.objects.count() == 0
    assert ResilienceGoal.objects.count() == RiskScenario.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_catalogue_import_twice_needs_replace_and_keeps_links():
    setup = make_resilience()
    with pytest.raises(services.ResilienceError) as err:
        services.catalogue_import(
            data=CATALOGUE_CSV, source="t.csv", code="test", title="x", actor="t"
        )
    assert err.value.problems == (
        "版「test」は既にあります。置き換えるときは --replace を付けてください（画面では「置き換える」を選んでください）。",
    )
    # A replacement that drops 6-4 (used by the regional plan) and field 8 (used by an entry)
    # is refused as a whole.
    smaller = b"\n".join(
        line
        for line in CATALOGUE_CSV.split(b"\n")
        if not line.startswith((b"scenario,6-4", b"field,8"))
    )
    with pytest.raises(services.ResilienceError) as err:
        services.catalogue_import(
            data=smaller, source="t.csv", code="test", title="x", actor="t", replace=True
        )
    assert err.value.problems == (
        "事態「6-4」は地域計画で使われているため、一覧から外せません。ファイルに残すか、先に地域計画から外してください。",
        "施策分野「8」はアクションプランで使われているため、一覧から外せません。",
    )
    assert setup.catalogue.scenarios.count() == 3
    # A replacement with new wording keeps the same rows (links stay).
    reworded = CATALOGUE_CSV.replace(
        "交通インフラの長期間にわたる機能停止".encode(), "交通網の停止".encode()
    )
    services.catalogue_import(
        data=reworded, source="t.csv", code="test", title="改訂", actor="t", replace=True
    )
    setup.s64.refresh_from_db()
    assert setup.s64.scenario.text == "交通網の停止"
    assert CatalogueVersion.objects.get(code="test").title == "改訂"


def test_builtin_catalogues_load_once():
    loaded = services.catalogue_load_builtin(actor="t")
    assert [v.code for v in loaded] == ["2018", "2023"]
    v2018 = CatalogueVersion.objects.get(code="2018")
    assert (v2018.goals.count(), v2018.scenarios.count(), v2018.policy_fields.count()) == (
        8,
        45,
        17,
    )
    assert not RiskScenario.objects.filter(verified=True).exists()
    assert CatalogueVersion.objects.get(code="2023").is_complete is False
    assert services.catalogue_load_builtin(actor="t") == []


def _site(setup, **values):
    return services.site_create(entry=setup.entry, actor="t", name="箇所", **values)


def test_site_validation_point_japan_and_city_bounds():
    setup = make_resilience()
    site = _site(setup, lat=35.9340, lon=139.3930)
    assert (site.lat, site.lon, site.geometry, site.order) == (35.934, 139.393, None, 1)
    with pytest.raises(ValidationError) as err:
        _site(setup, lat=35.8617, lon=139.6455)
    assert err.value.message_dict == {
        "lat": [
            "経度 139.6455、緯度 35.8617 は市域の範囲（経度 139.35～139.44、緯度 35.9～35.97）の外です。"
            "場所を確かめるか、市域の範囲の設定を見直してください。"
        ]
    }
    with pytest.raises(ValidationError) as err:
        _site(setup, lat=139.393, lon=35.934)
    assert err.value.message_dict["lat"] == [
        "緯度 139.393 と経度 35.934 が逆になっています。鶴ヶ島市なら緯度は 35.9 前後、経度は 139.4 前後です。"
    ]
    assert Site.objects.count() == 1


def test_site_outside_japan_without_city_bounds():
    setup = make_resilience(bbox=False)
    assert _site(setup, lat=35.8617, lon=139.6455).pk
    with pytest.raises(ValidationError) as err:
        _site(setup, lat=37.5665, lon=126.978 - 10)
    assert err.value.message_dict["lat"] == [
        "経度 116.978、緯度 37.5665 は日本の範囲（経度 122～154、緯度 20～46）の外です。座標を確かめてください。"
    ]


def test_site_geojson_line_polygon_and_point():
    setup = make_resilience()
    line = {"type": "LineString", "coordinates": [[139.384, 35.931], [139.396, 35.934]]}
    assert _site(setup, geometry=line).geometry == line
    # A Point given as GeoJSON is stored as latitude and longitude.
    point = _site(setup, geometry={"type": "Point", "coordinates": [139.39, 35.93]})
    assert (point.lat, point.lon, point.geometry) == (35.93, 139.39, None)
    with pytest.raises(ValidationError) as err:
        _site(
            setup,
            geometry={
                "type": "Polygon",
                "coordinates": [[[139.38, 35.93], [139.39, 35.93], [139.39, 35.94]]],
            },
        )
    assert err.value.message_dict == {
        "geometry": ["外周: 輪には4つ以上の点（最初と最後は同じ点）が必要です。"]
    }
    with pytest.raises(ValidationError) as err:
        _site(setup, lat=35.93, lon=139.39, geometry=line)
    assert err.value.messages == ["位置は、緯度・経度か GeoJSON のどちらか一方で入力してください。"]


def test_entry_create_takes_costs_from_the_implementation_plan():
    setup = make_resilience()
    costs = [(c.fiscal_year, c.amount) for c in setup.entry.costs.all()]
    assert costs == [(2025, 120000), (2026, 150000), (2027, 90000)]
    # The total was empty: 120000 + 150000 + 90000 = 360000.
    assert setup.entry.total_cost == 360000
    assert setup.entry.summary == "都市計画道路を整備します。"


def test_entry_refuses_a_programme_of_another_edition():
    setup = make_resilience()
    other = pm.Edition.objects.create(
        plan=setup.small.plan, kind="former", title="前期", start_fy=2020, end_fy=2024
    )
    stranger = pm.Programme.objects.create(edition=other, code="X", name="前期の事業")
    with pytest.raises(ValidationError) as err:
        services.entry_create(action_plan=setup.action_plan, actor="t", programme=stranger)
    assert err.value.message_dict == {
        "programme": ["この事務事業は、地域計画と同じ基本計画の事業ではありません。"]
    }


def test_copy_to_next_year_and_budget_changes():
    setup = make_resilience()
    _site(setup, lat=35.934, lon=139.393)
    # The budget changes after the first edition: FY2026 up by 30,000, FY2028 added.
    pm.ProgrammeCost.objects.filter(programme=setup.road, fiscal_year=2026).update(total=180000)
    pm.ProgrammeCost.objects.create(programme=setup.road, fiscal_year=2028, total=40000)
    new = services.action_plan_copy_to_next_year(action_plan=setup.action_plan, actor="t")
    assert (new.fiscal_year, new.previous_id) == (2026, setup.action_plan.pk)
    entry = new.entries.get()
    assert [s.code for s in [r.scenario for r in entry.scenarios.all()]] == ["6-4"]
    assert [f.code for f in entry.policy_fields.all()] == ["8"]
    assert [(s.name, s.lat, s.lon) for s in entry.sites.all()] == [("箇所", 35.934, 139.393)]
    assert [(c.fiscal_year, c.amount) for c in entry.costs.all()] == [
        (2025, 120000),
        (2026, 180000),
        (2027, 90000),
        (2028, 40000),
    ]

    def lines(plan):
        return [
            CostLine(e.programme_code, e.programme_name, e.costs, e.total_cost)
            for e in selectors.entries_data(plan)
        ]

    (change,) = budget_changes(lines(setup.action_plan), lines(new))
    assert change.status == "changed"
    assert [(y.fiscal_year, y.diff) for y in change.years] == [
        (2025, 0),
        (2026, 30000),  # 180000 − 150000
        (2027, 0),
        (2028, 40000),  # 40000 − none
    ]
    with pytest.raises(services.ResilienceError) as err:
        services.action_plan_copy_to_next_year(action_plan=setup.action_plan, actor="t")
    assert err.value.problems == (
        "2026年度のアクションプランは既にあります。そちらを編集してください。",
    )


def test_publish_snapshot_and_unpublish():
    setup = make_resilience()
    _site(setup, lat=35.934, lon=139.393)
    assert api.published_action_plan() is None
    services.action_plan_publish(action_plan=setup.action_plan, actor="t")
    info = api.published_action_plan()
    assert (info.title, info.fiscal_year, info.entry_count, info.site_count) == (
        "アクションプラン（令和7年度）",
        2025,
        1,
        1,
    )
    # Later edits do not leak until published again.
    _site(setup, lat=35.935, lon=139.394)
    assert api.published_action_plan().site_count == 1
    services.action_plan_unpublish(actor="t")
    assert api.published_action_plan() is None
    assert ActionPlan.objects.get(pk=setup.action_plan.pk).published_at is None


def test_sectoral_plans_for_area_reads_the_published_registry(django_assert_num_queries):
    setup = make_resilience()
    edition, measure = setup.small.edition, setup.small.measure
    plan = SectoralPlan.objects.create(
        name="子ども・子育て支援事業計画（第3期）",
        department=setup.small.department,
        start_fy=2025,
        end_fy=2029,
        url="https://example.jp/kosodate",
    )
    plan.measures.add(measure)
    SectoralPlan.objects.create(name="関係のない計画")
    assert api.sectoral_plans_for_area(edition.pk, 1) == ()
    services.sectoral_plans_publish(actor="t")
    refs = api.sectoral_plans_for_area(edition.pk, 1)
    assert refs == (
        api.SectoralPlanRef(
            name="子ども・子育て支援事業計画（第3期）",
            department="こども支援課",
            status="current",
            status_label="現行",
            start_fy=2025,
            end_fy=2029,
            period_label="令和7（2025）年度～令和11（2029）年度",
            url="https://example.jp/kosodate",
            legal_basis="",
            measures=(api.RelatedMeasure(code="1-1", title="子育て支援の充実"),),
        ),
    )
    assert api.sectoral_plans_for_area(edition.pk, 2) == ()
    assert api.sectoral_plans_for_area(edition.pk + 100, 1) == ()
    # every area at once, in one read: the same answer keyed by area number
    with django_assert_num_queries(1):
        by_area = api.sectoral_plans_by_area(edition.pk)
    assert by_area == {1: refs}
    assert api.sectoral_plans_by_area(edition.pk + 100) == {}


def test_consistency_for_edition_uses_the_measures_of_that_edition():
    setup = make_resilience()
    SectoralPlan.objects.create(name="地域福祉計画", start_fy=2023, end_fy=2027)
    report = selectors.consistency_for_edition(setup.small.edition, current_fy=2025)
    assert [m.code for m in report.measures_without_plans] == ["1-1"]
    assert [(e.plan.name, e.end_fy) for e in report.ending_inside] == [("地域福祉計画", 2027)]


def test_frameworks_import_builtin_and_tags():
    setup = make_resilience()
    frameworks = services.frameworks_load_builtin(actor="t")
    assert [f.code for f in frameworks] == [
        "mhs-1",
        "mhs-2",
        "digiden-2023",
        "chihososei2-2025",
        "chihososei-2025",
    ]
    assert not FrameworkPillar.objects.filter(verified=True).exists()
    pillar = FrameworkPillar.objects.get(framework__code="digiden-2023", code="3")
    tag = services.framework_tag_create(pillar=pillar, strategy=setup.small.strategy, actor="t")
    data = selectors.local_strategy(setup.small.edition)
    assert data["strategies"][0]["tags"] == [
        {
            "id": tag.pk,
            "framework": "デジタル田園都市国家構想総合戦略（2023改訂版）",
            "pillar_code": "3",
            "pillar": "結婚・出産・子育ての希望をかなえる",
            "verified": False,
        }
    ]
    assert data["strategies"][0]["measures"][0]["kpis"][0]["name"] == "待機児童数"
    # A pillar in use cannot be dropped by a re-import.
    csv = "framework,framework_name,adopted_on,start_fy,end_fy,pillar,pillar_title,verified,note\n"
    csv += "digiden-2023,デジタル田園都市国家構想総合戦略（2023改訂版）,2023-12-26,2023,2027,1,仕事,false,\n"
    with pytest.raises(services.ResilienceError) as err:
        services.frameworks_import(data=csv.encode(), source="f.csv", actor="t")
    assert err.value.problems == (
        "「デジタル田園都市国家構想総合戦略（2023改訂版）」の柱「3」は重点戦略などに対応付けられているため、外せません。",
    )
    assert FrameworkTag.objects.count() == 1
    with pytest.raises(ValidationError):
        services.framework_tag_create(pillar=pillar, actor="t")
    assert Framework.objects.count() == 5


@pytest.mark.slow
def test_demo_loads_idempotently_and_publishes():
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    call_command("load_demo_resilience", verbosity=0)
    counts = (Site.objects.count(), SectoralPlan.objects.count(), FrameworkTag.objects.count())
    assert counts == (13, 16, 5)
    assert all(s.note == DEMO_NOTE for s in Site.objects.all())
    events = AuditEvent.objects.count()
    call_command("load_demo_resilience", verbosity=0)
    assert AuditEvent.objects.count() == events
    info = api.published_action_plan()
    assert (info.entry_count, info.site_count) == (10, 13)
    assert PolicyField.objects.filter(version__code="2018").count() == 17
