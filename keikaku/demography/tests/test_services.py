"""Services and selectors: imports (all-or-nothing, located messages), runs, the outlook."""

from __future__ import annotations

import numpy as np
import pytest

from keikaku.core.models import AuditEvent
from keikaku.core.selectors import content_version_get
from keikaku.core.services import StaleEditError
from keikaku.demography import api, selectors, services
from keikaku.demography.domain.projection import Convention
from keikaku.demography.domain.scenarios import Scenario as DomainScenario
from keikaku.demography.domain.scenarios import project_scenarios
from keikaku.demography.domain.snapshot import project_snapshot
from keikaku.demography.domain.tables import load_projection_input
from keikaku.demography.models import (
    AssumptionRate,
    AssumptionSet,
    BirthAssumption,
    CensusCell,
    CensusDataset,
    PopulationOutlook,
    ProjectionRun,
    ScenarioResult,
)
from keikaku.demography.tests.factories import (
    CODE,
    NAME,
    census_long_lines,
    csv_bytes,
    data_bytes,
    estat_wide_rows,
    make_assumptions,
    make_census,
    make_run,
    make_scenarios,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

# indicators.csv of docs/formats/samples/population (the same demo data, ipss, no scenario).
SAMPLE_TOTAL_2070 = 39835.710766889766


def _nothing_written() -> None:
    assert CensusDataset.objects.count() == 0
    assert CensusCell.objects.count() == 0
    assert AssumptionSet.objects.count() == 0
    assert AssumptionRate.objects.count() == 0
    assert BirthAssumption.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def _import(data: bytes, filename: str, **kwargs: object) -> CensusDataset:
    return services.census_dataset_import(
        data=data,
        filename=filename,
        actor="test",
        municipality_code=CODE,
        municipality_name=NAME,
        source="国勢調査",
        **kwargs,  # type: ignore[arg-type]
    )


# --------------------------------------------------------------------------- census


def test_census_import_long_csv_stores_every_cell_and_audits() -> None:
    dataset = make_census(2020)
    assert (dataset.year, dataset.top_age, dataset.municipality_code) == (2020, 90, "112411")
    assert dataset.cells.count() == 38
    assert selectors.census_total(dataset) == 70117.0
    cell = dataset.cells.get(sex="female", age_index=18)
    assert (cell.age_group, cell.population) == ("90+", 749.0)
    event = AuditEvent.objects.get(object_type="demography.censusdataset")
    assert event.action == "import"
    assert event.after["total"] == 70117.0
    assert event.after["rows"] == 38
    assert event.note == "tsurugashima_census_2020.csv"
    table = selectors.census_table(dataset)
    assert table.population.shape == (2, 19)
    assert table.population[0, 0] == 1208.0


def test_census_import_estat_wide_csv_cp932_and_excel_give_the_same_table() -> None:
    rows = estat_wide_rows()
    long = make_census(2020)
    expected = selectors.census_table(long).population
    long.delete()
    wide = _import(csv_bytes(rows, "cp932"), "estat.csv", year=2020)
    assert np.array_equal(selectors.census_table(wide).population, expected)
    wide.delete()
    excel_rows: list[list[object]] = [
        [int(c.replace(",", "")) if c.replace(",", "").isdigit() else c for c in row]
        for row in rows
    ]
    excel = _import(xlsx_bytes(excel_rows, sheet="人口"), "estat.xlsx", year=2020)
    assert np.array_equal(selectors.census_table(excel).population, expected)


def test_census_import_with_faulty_rows_reports_each_and_writes_nothing() -> None:
    lines = census_long_lines(2020)
    lines[4] = "2020,male,15-19,-3"  # row 5
    lines[7] = "2020,male,30-34,たくさん"  # row 8
    lines[9] = "2020,otoko,40-44,100"  # row 10
    del lines[37]  # female 85-89 (row 38)
    with pytest.raises(services.PopulationError) as info:
        _import(csv_bytes(lines), "base.csv")
    assert info.value.messages == (
        "base.csv 5行目 population列: 人口が負の値（-3）です。0 以上にしてください。",
        "base.csv 8行目 population列: 「たくさん」は数値ではありません。人口を数値で入れてください。",
        "base.csv 10行目 sex列: 「otoko」は性別として読めません。male または female を入れてください。",
        "base.csv: 男性 40-44 の行がありません。男女それぞれ全年齢区分（38 行）を入れてください。",
        "base.csv: 女性 85-89 の行がありません。男女それぞれ全年齢区分（38 行）を入れてください。",
    )
    _nothing_written()


def test_census_import_faulty_excel_names_the_sheet() -> None:
    rows: list[list[object]] = [["year", "sex", "age_group", "population"]]
    rows += [[2020, "male", f"{5 * g}-{5 * g + 4}", 10] for g in range(18)] + [
        [2020, "male", "90+", 1]
    ]
    rows += [[2020, "female", f"{5 * g}-{5 * g + 4}", 10] for g in range(18)]
    rows += [[2020, "female", "90+", -1]]
    with pytest.raises(services.PopulationError) as info:
        _import(xlsx_bytes(rows, sheet="基準人口"), "base.xlsx")
    assert info.value.messages == (
        "base.xlsx（シート「基準人口」） 39行目 population列: 人口が負の値（-1）です。0 以上にしてください。",
    )
    _nothing_written()


def test_census_import_refuses_unreadable_files() -> None:
    for data, name, message in [
        (
            b"\xd0\xcf\x11\xe0rest",
            "old.xls",
            "old.xls: 古い Excel 形式（.xls）は読めません。.xlsx か CSV で保存し直してください。",
        ),
        (
            b"PK\x03\x04broken",
            "broken.xlsx",
            "broken.xlsx: Excel ファイル（.xlsx）として読めません。Excel で開いて .xlsx か CSV で保存し直してください。",
        ),
        (b"  \r\n", "empty.csv", "empty.csv: ファイルが空です。"),
    ]:
        with pytest.raises(services.PopulationError) as info:
            _import(data, name)
        assert info.value.messages == (message,)
    _nothing_written()


def test_census_import_same_year_needs_replace_and_replacing_is_audited() -> None:
    first = make_census(2020)
    with pytest.raises(services.PopulationError) as info:
        make_census(2020)
    assert info.value.messages == (
        "2020年 の基準人口（鶴ヶ島市）はすでにあります。置き換える場合は「同じ年のデータを置き換える」を選んでください。",
    )
    lines = census_long_lines(2020)
    lines[1] = "2020,male,0-4,1300"  # +92
    again = _import(csv_bytes(lines), "fixed.csv", replace=True)
    assert again.pk == first.pk
    assert again.version == 2
    assert again.cells.count() == 38
    assert selectors.census_total(again) == 70117.0 + 92
    event = AuditEvent.objects.filter(action="replace").get()
    assert (event.before["total"], event.after["total"]) == (70117.0, 70209.0)


def test_census_import_year_given_on_screen_must_match_the_file() -> None:
    with pytest.raises(services.PopulationError) as info:
        _import(data_bytes("tsurugashima_census_2020.csv"), "base.csv", year=2015)
    assert info.value.messages == (
        "base.csv: ファイルの年 2020年 と画面で入力した年 2015年 が違います。どちらかに合わせてください。",
    )


# --------------------------------------------------------------------------- assumptions


def test_assumption_import_stores_rates_and_births() -> None:
    assumptions = make_assumptions()
    assert assumptions.top_age == 90
    assert assumptions.rates.count() == 2 * 38
    assert assumptions.births.count() == 4
    rates, births = selectors.assumption_tables(assumptions)
    assert rates.period_starts == (2020, 2035)
    assert rates.survival[0, 0, 0] == 0.99875
    assert rates.net_migration[0, 0, 0] == 0.019
    assert births.years == (2025, 2030, 2035, 2040)
    assert births.child_woman_ratio.tolist() == [0.1698, 0.1663, 0.1645, 0.1645]


def test_assumption_import_reports_problems_of_both_files_and_writes_nothing() -> None:
    rates = data_bytes("tsurugashima_rates.csv").decode("utf-8-sig").splitlines()
    rates[2] = "2020,male,5-9,1.2,0.01"  # row 3
    births = ["year,child_woman_ratio,sex_ratio_at_birth", "2025,0.17,0"]
    with pytest.raises(services.PopulationError) as info:
        make_assumptions(
            rates_data=csv_bytes(rates),
            rates_filename="rates.csv",
            births_data=csv_bytes(births),
            births_filename="births.csv",
        )
    assert info.value.messages == (
        "rates.csv 3行目 survival_rate列: 生残率 1.2 が範囲外です。0 以上 1 以下にしてください。",
        "births.csv 2行目 sex_ratio_at_birth列: 出生性比 0 が範囲外です。0 より大きく 200 より小さい値（女児 100 人あたりの男児数、例: 105）にしてください。",
    )
    _nothing_written()


# --------------------------------------------------------------------------- scenarios


def test_scenario_update_is_versioned_and_validated() -> None:
    scenario = make_scenarios()[1]
    assert scenario.to_domain().fertility_multiplier(2035) == pytest.approx(1.6125)
    services.scenario_update(
        scenario=scenario, actor="test", expected_version=1, changes={"migration_scale": 0.5}
    )
    assert scenario.version == 2
    with pytest.raises(StaleEditError):
        services.scenario_update(
            scenario=scenario, actor="test", expected_version=1, changes={"migration_scale": 0}
        )
    with pytest.raises(services.PopulationError) as info:
        services.scenario_update(
            scenario=scenario,
            actor="test",
            expected_version=2,
            changes={"fertility_scale": [[2030, -1]]},
        )
    assert info.value.messages == (
        "子ども女性比の倍率: 出生率の倍率は 0 以上の数値にしてください。",
    )
    scenario.refresh_from_db()
    assert scenario.fertility_scale == [[2020, 1.0], [2030, 1.5], [2040, 1.725]]


# --------------------------------------------------------------------------- runs


def test_run_stores_inputs_and_outputs_equal_to_the_engine() -> None:
    run = make_run()
    assert run.engine_version == "keikaku.demography/1.0"
    assert (run.base_year, run.until, run.convention, run.top_age) == (2020, 2070, "ipss", 90)
    assert run.is_illustrative is True
    assert run.inputs["municipality"] == {"code": "112411", "name": "鶴ヶ島市"}
    assert [s["name"] for s in run.inputs["scenarios"]] == ["社人研準拠", "出生率上昇", "移動均衡"]
    results = list(run.results.order_by("order"))
    assert [r.name for r in results] == ["社人研準拠", "出生率上昇", "移動均衡"]
    assert results[0].years == list(range(2020, 2075, 5))
    # The IPSS-consistent scenario equals the documented command sample.
    assert selectors.result_indicators(results[0]).total[-1] == SAMPLE_TOTAL_2070
    # Every stored output equals a direct projection of the same files …
    inp = load_projection_input(
        base=data_bytes("tsurugashima_census_2020.csv"),
        rates=data_bytes("tsurugashima_rates.csv"),
        births=data_bytes("tsurugashima_births.csv"),
        base_source="b",
        rates_source="r",
        births_source="c",
        until=2070,
    )
    direct = project_scenarios(
        inp,
        [
            DomainScenario("a"),
            DomainScenario("b", fertility_scale=((2020, 1.0), (2030, 1.5), (2040, 1.725))),
            DomainScenario("c", zero_migration_from=2030),
        ],
    ).population
    for order, result in enumerate(results):
        assert np.array_equal(selectors.result_population(result), direct[order])
    # … and the stored snapshot projects to the same numbers again.
    assert np.array_equal(project_snapshot(run.inputs).population, direct)
    event = AuditEvent.objects.get(action="run")
    assert event.after["scenarios"] == ["社人研準拠", "出生率上昇", "移動均衡"]
    assert event.after["total_2070"]["社人研準拠"] == round(SAMPLE_TOTAL_2070, 1)


def test_run_refuses_mismatched_age_groups_and_bad_horizon() -> None:
    census = make_census(2020)
    rates = data_bytes("tsurugashima_rates.csv").decode("utf-8-sig")
    rates = "\n".join(line for line in rates.splitlines() if ",90+," not in line).replace(
        ",85-89,", ",85+,"
    )
    assumptions = make_assumptions(rates_data=rates.encode(), name="85歳以上")
    scenarios = make_scenarios()
    with pytest.raises(services.PopulationError) as info:
        services.projection_run_create(
            base_dataset=census,
            assumption_set=assumptions,
            scenarios=scenarios,
            until=2070,
            actor="t",
        )
    assert info.value.messages == (
        "基準人口「2020年 鶴ヶ島市（国勢調査（テスト））」の年齢区分（最上位 90歳以上）と仮定値「85歳以上」の年齢区分（最上位 85歳以上）が違います。同じ年齢区分のデータを選んでください。",
    )
    good = make_assumptions()
    with pytest.raises(services.PopulationError) as info:
        services.projection_run_create(
            base_dataset=census, assumption_set=good, scenarios=scenarios, until=2072, actor="t"
        )
    assert info.value.messages == (
        "--until 2072 は使えません。基準年 2020年 より後で、5 年刻みの年（2025、2030、…）にしてください。",
    )
    with pytest.raises(services.PopulationError) as info:
        services.projection_run_create(
            base_dataset=census, assumption_set=good, scenarios=[], until=2070, actor="t"
        )
    assert info.value.messages == ("シナリオを 1 つ以上選んでください。",)
    assert ProjectionRun.objects.count() == 0
    assert ScenarioResult.objects.count() == 0


def test_multiplicative_convention_is_named_and_used() -> None:
    census = make_census(2020)
    assumptions = make_assumptions(convention=Convention.MULTIPLICATIVE.value, name="乗法")
    run = services.projection_run_create(
        base_dataset=census,
        assumption_set=assumptions,
        scenarios=make_scenarios()[2:],
        until=2030,
        actor="t",
    )
    assert run.convention == "multiplicative"
    assert run.inputs["convention"] == "multiplicative"
    result = run.results.get()
    # Women 20–24 in 2025 = women 15–19 in 2020 × S × (1 + M) (the cohort's 2020 rates).
    rate = assumptions.rates.get(period_start=2020, sex="female", age_index=3)
    women_15_19 = census.cells.get(sex="female", age_index=3).population
    assert result.population[1][1][4] == women_15_19 * (
        rate.survival_rate * (1.0 + rate.net_migration_rate)
    )


# --------------------------------------------------------------------------- outlook


def _outlook(run: ProjectionRun) -> PopulationOutlook:
    followed = run.results.get(name="出生率上昇")
    return services.outlook_save(
        outlook=None,
        actor="test",
        expected_version=None,
        changes={
            "title": "人口の将来展望",
            "result": followed,
            "targets": services.targets_from_result(followed),
            "explanation": "人口は減ります。\n子育てしやすいまちにします。",
        },
    )


def test_targets_from_result_round_to_hundreds() -> None:
    run = make_run()
    followed = run.results.get(name="出生率上昇")
    targets = services.targets_from_result(followed)
    assert [y for y, _p in targets] == list(range(2025, 2075, 5))
    totals = followed.totals()
    assert targets[-1] == [2070, round(totals[-1] / 100) * 100]


def test_publish_outlook_copies_it_for_the_public_and_bumps_the_version() -> None:
    run = make_run()
    outlook = _outlook(run)
    assert api.published_outlook() is None
    before = content_version_get()
    services.outlook_publish(outlook=outlook, actor="test")
    assert content_version_get() == before + 1
    public = api.published_outlook()
    assert public is not None
    assert public.title == "人口の将来展望"
    assert public.scenario_name == "出生率上昇"
    assert public.municipality_code == "112411"
    assert public.is_illustrative is True
    assert public.years == tuple(range(2020, 2075, 5))
    assert [s.name for s in public.scenarios] == ["社人研準拠", "出生率上昇", "移動均衡"]
    assert [s.followed for s in public.scenarios] == [False, True, False]
    assert public.population[0][0][0] == 1208.0
    assert public.indicators["total"][0] == 70117.0
    assert public.targets == tuple((int(y), float(p)) for y, p in outlook.targets)

    # A later edit does not reach the public copy until it is published again.
    services.outlook_save(
        outlook=outlook,
        actor="test",
        expected_version=outlook.version,
        changes={"explanation": "下書きの説明"},
    )
    assert api.published_outlook().explanation == "人口は減ります。\n子育てしやすいまちにします。"
    services.outlook_publish(outlook=outlook, actor="test")
    assert api.published_outlook().explanation == "下書きの説明"

    services.outlook_unpublish(outlook=outlook, actor="test")
    assert api.published_outlook() is None
    assert content_version_get() == before + 3
    actions = list(
        AuditEvent.objects.filter(object_type="demography.populationoutlook")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "publish", "update", "publish", "unpublish"]


def test_publish_needs_a_scenario_targets_and_an_explanation() -> None:
    outlook = services.outlook_save(
        outlook=None, actor="test", expected_version=None, changes={"title": "人口の将来展望"}
    )
    with pytest.raises(services.PopulationError) as info:
        services.outlook_publish(outlook=outlook, actor="test")
    assert info.value.messages == (
        "従うシナリオ（推計結果）を選んでから公開してください。",
        "目標人口を 1 つ以上入れてから公開してください。",
        "説明（やさしい日本語）を書いてから公開してください。",
    )
    assert api.published_outlook() is None


def test_outlook_target_years_must_be_projected_years() -> None:
    run = make_run(until=2030)
    with pytest.raises(services.PopulationError) as info:
        services.outlook_save(
            outlook=None,
            actor="test",
            expected_version=None,
            changes={"result": run.results.first(), "targets": [[2040, 60000]]},
        )
    assert info.value.messages == (
        "目標人口: 目標の年 2040年 は、選んだ推計の年（2025、2030）にありません。",
    )
    assert PopulationOutlook.objects.count() == 0
