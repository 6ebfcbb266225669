"""`keikaku load-demo-population`: the illustrative demo, idempotent, published."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from keikaku.core.models import AuditEvent
from keikaku.demography import api, selectors, services
from keikaku.demography.models import (
    AssumptionSet,
    CensusDataset,
    PopulationOutlook,
    ProjectionRun,
    Scenario,
    ScenarioResult,
)

pytestmark = pytest.mark.django_db


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo_population", *args, stdout=out)
    return out.getvalue()


def test_demo_loads_runs_and_publishes_once() -> None:
    output = run_command()
    assert output.splitlines() == [
        "2015年の基準人口を読み込みました。",
        "2020年の基準人口を読み込みました。",
        "仮定値を読み込みました。",
        "シナリオ「社人研準拠」を作りました。",
        "シナリオ「出生率上昇」を作りました。",
        "シナリオ「移動均衡」を作りました。",
        f"推計しました（デモ推計（2020年基準）（2020年→2070年、No.{ProjectionRun.objects.get().pk}））。",
        "人口の将来展望を公開しました（/population/）。",
    ]
    totals = {d.year: selectors.census_total(d) for d in CensusDataset.objects.all()}
    assert totals == {2015: 70255.0, 2020: 70117.0}  # the census totals (DOMAIN.md §1)
    assert all(d.is_illustrative for d in CensusDataset.objects.all())
    assert CensusDataset.objects.get(year=2020).source == (
        "国勢調査の総数（70,117人）。男女・年齢別の内訳はデモ用の架空データ"
    )
    growth = Scenario.objects.get(name="出生率上昇")
    # CWR ∝ TFR: 1.8 ÷ 1.2 = 1.5 (2030), 2.07 ÷ 1.2 = 1.725 (2040), from 1 in 2020.
    assert growth.fertility_scale == [[2020, 1.0], [2030, 1.8 / 1.2], [2040, 2.07 / 1.2]]
    assert Scenario.objects.get(name="移動均衡").zero_migration_from == 2030
    run = ProjectionRun.objects.get()
    assert (run.base_year, run.until, run.is_illustrative) == (2020, 2070, True)
    assert [r.name for r in run.results.all()] == ["社人研準拠", "出生率上昇", "移動均衡"]
    public = api.published_outlook()
    assert public is not None
    assert public.scenario_name == "出生率上昇"
    assert public.is_illustrative is True
    followed = run.results.get(name="出生率上昇")
    assert [list(t) for t in public.targets] == [
        [y, float(p)] for y, p in services.targets_from_result(followed)
    ]
    last_year, last_target = services.targets_from_result(followed)[-1]
    assert public.explanation.splitlines()[-2].startswith(f"{last_year}年に、約")
    assert (
        public.explanation.splitlines()[-1] == "この数字は、デモ用の架空のデータから計算しました。"
    )

    counts = (
        CensusDataset.objects.count(),
        AssumptionSet.objects.count(),
        Scenario.objects.count(),
        ProjectionRun.objects.count(),
        ScenarioResult.objects.count(),
        PopulationOutlook.objects.count(),
        AuditEvent.objects.count(),
    )
    assert counts[:6] == (2, 1, 3, 1, 3, 1)
    again = run_command()
    assert again.splitlines() == [
        "2015年の基準人口はすでにあります。",
        "2020年の基準人口はすでにあります。",
        "仮定値はすでにあります。",
        "デモ推計はすでにあります。",
        "人口の将来展望はすでにあります（変更していません）。",
    ]
    assert (
        CensusDataset.objects.count(),
        AssumptionSet.objects.count(),
        Scenario.objects.count(),
        ProjectionRun.objects.count(),
        ScenarioResult.objects.count(),
        PopulationOutlook.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


def test_demo_with_a_missing_data_folder_fails_in_japanese(tmp_path) -> None:
    with pytest.raises(CommandError) as info:
        call_command("load_demo_population", "--data-dir", str(tmp_path), verbosity=0)
    assert str(info.value) == (
        f"デモ用データ {tmp_path / 'tsurugashima_census_2015.csv'} が見つかりません。"
    )
    assert CensusDataset.objects.count() == 0
