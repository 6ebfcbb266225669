"""Population projection engine: golden examples, properties, assumptions, scenarios."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from keikaku.demography.domain.agegroups import (
    AgeGroups,
    ParsedAgeGroup,
    parse_age_group,
    parse_sex,
)
from keikaku.demography.domain.assumptions import (
    AssumptionError,
    child_woman_ratio,
    residual_net_migration,
    sex_ratio_0_4,
    survival_from_life_table,
)
from keikaku.demography.domain.projection import (
    Convention,
    ProjectionError,
    ProjectionInput,
    project,
)
from keikaku.demography.domain.reference import project_loop
from keikaku.demography.domain.scenarios import (
    Scenario,
    ScenarioError,
    apply_scenario,
    parse_fertility_scale,
    project_scenarios,
)

SETTINGS = settings(max_examples=60, deadline=None)
CONVENTIONS = st.sampled_from(list(Convention))


# --------------------------------------------------------------------------- helpers


def uniform_rates(steps: int, groups: AgeGroups, value: float) -> np.ndarray:
    return np.full((steps, 2, groups.size), value)


@st.composite
def scenario_inputs(draw: st.DrawFn, *, valid_factors: bool = True) -> ProjectionInput:
    """Random but valid inputs: S in [0, 1], M in [-1, 5] with S + M ≥ 0 under ipss."""
    top_age = draw(st.sampled_from([75, 85, 90]))
    groups = AgeGroups(top_age)
    steps = draw(st.integers(1, 3))
    batch = draw(st.sampled_from([(), (2,)]))
    size = groups.size
    population = draw(
        hnp.arrays(np.float64, (*batch, 2, size), elements=st.floats(0, 1e5, width=64))
    )
    survival = draw(
        hnp.arrays(np.float64, (*batch, steps, 2, size), elements=st.floats(0, 1, width=64))
    )
    migration = draw(
        hnp.arrays(np.float64, (*batch, steps, 2, size), elements=st.floats(-1, 5, width=64))
    )
    convention = draw(CONVENTIONS)
    if valid_factors and convention is Convention.IPSS:
        migration = np.maximum(migration, -survival)
    cwr = draw(hnp.arrays(np.float64, (*batch, steps), elements=st.floats(0, 1, width=64)))
    ratio = draw(hnp.arrays(np.float64, (*batch, steps), elements=st.floats(80, 130, width=64)))
    return ProjectionInput(
        base_year=2020,
        population=population,
        survival=survival,
        net_migration=migration,
        child_woman_ratio=cwr,
        sex_ratio_at_birth=ratio,
        convention=convention,
        age_groups=groups,
    )


# --------------------------------------------------------------------------- age groups


def test_age_group_labels_default_and_85_plus() -> None:
    assert AgeGroups().labels[:3] == ("0-4", "5-9", "10-14")
    assert AgeGroups().labels[-2:] == ("85-89", "90+")
    assert AgeGroups().size == 19
    assert AgeGroups(85).labels[-2:] == ("80-84", "85+")
    assert AgeGroups(85).size == 18
    assert AgeGroups(85).describe() == "0-4、5-9、…、80-84、85+"


def test_age_group_top_must_be_a_multiple_of_five_from_75() -> None:
    with pytest.raises(ValueError) as info:
        AgeGroups(72)
    assert str(info.value) == (
        "最上位の年齢区分は 75 歳以上 120 歳以下の 5 の倍数にしてください（指定: 72）。"
    )


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("0-4", ParsedAgeGroup(0, False)),
        ("０～４", ParsedAgeGroup(0, False)),
        ("5〜9歳", ParsedAgeGroup(5, False)),
        (" 85 - 89 ", ParsedAgeGroup(85, False)),
        ("90+", ParsedAgeGroup(90, True)),
        ("９０＋", ParsedAgeGroup(90, True)),
        ("90歳以上", ParsedAgeGroup(90, True)),
        ("3-7", None),
        ("0-5", None),
        ("91+", None),
        ("高齢", None),
    ],
)
def test_parse_age_group(text: str, parsed: ParsedAgeGroup | None) -> None:
    assert parse_age_group(text) == parsed


@pytest.mark.parametrize(
    ("text", "sex"),
    [("male", 0), ("Female", 1), ("男", 0), ("女性", 1), ("F", 1), ("other", None)],
)
def test_parse_sex(text: str, sex: int | None) -> None:
    assert parse_sex(text) == sex


# --------------------------------------------------------------------------- golden


def golden_input(convention: Convention) -> ProjectionInput:
    """Top group 75+ (16 groups), two steps 2020 → 2025 → 2030.

    Women: S = 0.9, M = 0.1 in every group except 70-74 (S = 0.8, M = 0) and 75+ (S = 0.5,
    M = 0). Men: S = 0.8, M = -0.05 everywhere. CWR 0.2 (2025), 0.25 (2030); sex ratio at
    birth 150 (2025: boys = 150/250 = 60 % of births) and 100 (2030: half).
    """
    groups = AgeGroups(75)
    population = np.zeros((2, groups.size))
    population[0, 0] = 80  # men 0-4
    population[0, 14] = 30  # men 70-74
    population[0, 15] = 20  # men 75+
    population[1, 2] = 100  # women 10-14
    population[1, 4] = 200  # women 20-24
    population[1, 9] = 50  # women 45-49
    population[1, 14] = 40  # women 70-74
    population[1, 15] = 60  # women 75+
    survival = np.zeros((2, 2, groups.size))
    migration = np.zeros((2, 2, groups.size))
    survival[:, 0, :] = 0.8
    migration[:, 0, :] = -0.05
    survival[:, 1, :] = 0.9
    migration[:, 1, :] = 0.1
    survival[:, 1, 14] = 0.8
    migration[:, 1, 14] = 0.0
    survival[:, 1, 15] = 0.5
    migration[:, 1, 15] = 0.0
    return ProjectionInput(
        base_year=2020,
        population=population,
        survival=survival,
        net_migration=migration,
        child_woman_ratio=np.array([0.2, 0.25]),
        sex_ratio_at_birth=np.array([150.0, 100.0]),
        convention=convention,
        age_groups=groups,
    )


def nonzero(result_year: np.ndarray) -> dict[tuple[int, int], float]:
    return {
        (int(s), int(g)): float(result_year[s, g])
        for s, g in zip(*np.nonzero(result_year), strict=True)
    }


def test_golden_two_steps_ipss() -> None:
    result = project(golden_input(Convention.IPSS))
    assert result.years == (2020, 2025, 2030)
    # ipss: r = S + M → women 0.9 + 0.1 = 1.0 (70-74: 0.8, 75+: 0.5); men 0.8 − 0.05 = 0.75.
    # 2025 women: 15-19 = 100·1.0 = 100; 25-29 = 200·1.0 = 200; 50-54 = 50·1.0 = 50;
    #   75+ = 40·0.8 + 60·0.5 = 32 + 30 = 62.
    #   Women 15-49 in 2025 = 100 + 200 = 300 → births = 0.2·300 = 60;
    #   boys = 60·150/250 = 36, girls = 60·100/250 = 24.
    # 2025 men: 5-9 = 80·0.75 = 60; 75+ = 30·0.75 + 20·0.75 = 22.5 + 15 = 37.5.
    assert nonzero(result.population[1]) == pytest.approx(
        {(0, 0): 36.0, (0, 1): 60.0, (0, 15): 37.5,
         (1, 0): 24.0, (1, 3): 100.0, (1, 5): 200.0, (1, 10): 50.0, (1, 15): 62.0},
        rel=1e-15,
    )  # fmt: skip
    # 2030 women: 5-9 = 24; 20-24 = 100; 30-34 = 200; 55-59 = 50; 75+ = 0·0.8 + 62·0.5 = 31.
    #   Women 15-49 = 100 + 200 = 300 → births = 0.25·300 = 75; SR 100 → 37.5 + 37.5.
    # 2030 men: 5-9 = 36·0.75 = 27; 10-14 = 60·0.75 = 45; 75+ = 37.5·0.75 = 28.125.
    assert nonzero(result.population[2]) == pytest.approx(
        {(0, 0): 37.5, (0, 1): 27.0, (0, 2): 45.0, (0, 15): 28.125,
         (1, 0): 37.5, (1, 1): 24.0, (1, 4): 100.0, (1, 6): 200.0, (1, 11): 50.0, (1, 15): 31.0},
        rel=1e-15,
    )  # fmt: skip
    # Totals: 2020 = 80+30+20 + 100+200+50+40+60 = 580;
    # 2025 = (36+60+37.5) + (24+100+200+50+62) = 133.5 + 436 = 569.5;
    # 2030 = (37.5+27+45+28.125) + (37.5+24+100+200+50+31) = 137.625 + 442.5 = 580.125.
    assert result.total().tolist() == [580.0, 569.5, 580.125]


def test_golden_two_steps_multiplicative() -> None:
    result = project(golden_input(Convention.MULTIPLICATIVE))
    # multiplicative: r = S·(1 + M) → women 0.9·1.1 = 0.99 (70-74: 0.8, 75+: 0.5);
    # men 0.8·0.95 = 0.76.
    # 2025 women: 15-19 = 99; 25-29 = 198; 50-54 = 49.5; 75+ = 32 + 30 = 62.
    #   births = 0.2·(99 + 198) = 59.4 → boys 59.4·0.6 = 35.64, girls 59.4·0.4 = 23.76.
    # 2025 men: 5-9 = 80·0.76 = 60.8; 75+ = 30·0.76 + 20·0.76 = 22.8 + 15.2 = 38.
    assert nonzero(result.population[1]) == pytest.approx(
        {(0, 0): 35.64, (0, 1): 60.8, (0, 15): 38.0,
         (1, 0): 23.76, (1, 3): 99.0, (1, 5): 198.0, (1, 10): 49.5, (1, 15): 62.0},
        rel=1e-14,
    )  # fmt: skip
    # 2030 women: 5-9 = 23.76·0.99 = 23.5224; 20-24 = 99·0.99 = 98.01; 30-34 = 198·0.99 =
    #   196.02; 55-59 = 49.5·0.99 = 49.005; 75+ = 62·0.5 = 31.
    #   births = 0.25·(98.01 + 196.02) = 0.25·294.03 = 73.5075 → 36.75375 each.
    # 2030 men: 5-9 = 35.64·0.76 = 27.0864; 10-14 = 60.8·0.76 = 46.208; 75+ = 38·0.76 = 28.88.
    assert nonzero(result.population[2]) == pytest.approx(
        {(0, 0): 36.75375, (0, 1): 27.0864, (0, 2): 46.208, (0, 15): 28.88,
         (1, 0): 36.75375, (1, 1): 23.5224, (1, 4): 98.01, (1, 6): 196.02, (1, 11): 49.005,
         (1, 15): 31.0},
        rel=1e-14,
    )  # fmt: skip


def test_golden_indicators_2030_ipss() -> None:
    indicators = project(golden_input(Convention.IPSS)).indicators()
    # 2030 (see the ipss golden): 0-14 = men 37.5+27+45 + women 37.5+24 = 171;
    # 15-64 = women 100+200+50 = 350; 65+ = 75+ = 28.125 + 31 = 59.125; total 580.125;
    # women 20-39 = 100 + 200 = 300.
    assert indicators.years == (2020, 2025, 2030)
    assert float(indicators.total[2]) == 580.125
    assert float(indicators.age_0_14[2]) == 171.0
    assert float(indicators.age_15_64[2]) == 350.0
    assert float(indicators.age_65_plus[2]) == 59.125
    assert float(indicators.age_75_plus[2]) == 59.125
    assert float(indicators.share_0_14[2]) == 171.0 / 580.125
    assert float(indicators.share_15_64[2]) == 350.0 / 580.125
    assert float(indicators.share_65_plus[2]) == 59.125 / 580.125
    assert float(indicators.share_75_plus[2]) == 59.125 / 580.125
    assert float(indicators.young_dependency_ratio[2]) == 171.0 / 350.0
    assert float(indicators.old_dependency_ratio[2]) == 59.125 / 350.0
    assert float(indicators.total_dependency_ratio[2]) == (171.0 + 59.125) / 350.0
    assert float(indicators.women_20_39[2]) == 300.0
    # 2020: 15-64 = women 20-24 200 + 45-49 50 = 250; 65+ = men 30+20 + women 40+60 = 150;
    # 75+ = 20 + 60 = 80; 0-14 = men 80 + women 100 = 180.
    assert indicators.age_15_64[0] == 250.0
    assert indicators.age_65_plus[0] == 150.0
    assert indicators.age_75_plus[0] == 80.0
    assert indicators.age_0_14[0] == 180.0


def test_indicator_ratio_with_zero_denominator_is_nan() -> None:
    groups = AgeGroups(75)
    population = np.zeros((2, groups.size))
    population[0, 15] = 10.0
    inp = ProjectionInput(
        2020, population, uniform_rates(1, groups, 1.0), uniform_rates(1, groups, 0.0),
        np.zeros(1), np.full(1, 105.0), Convention.IPSS, groups,
    )  # fmt: skip
    indicators = project(inp).indicators()
    assert math.isnan(indicators.old_dependency_ratio[0])
    assert indicators.share_65_plus[0] == 1.0


# --------------------------------------------------------------------------- properties


@SETTINGS
@given(scenario_inputs())
def test_shift_only_with_full_survival_no_migration_no_births(inp: ProjectionInput) -> None:
    shape = inp.survival.shape
    inp = ProjectionInput(
        inp.base_year, inp.population, np.ones(shape), np.zeros(shape),
        np.zeros(inp.child_woman_ratio.shape), inp.sex_ratio_at_birth,
        inp.convention, inp.age_groups,
    )  # fmt: skip
    result = project(inp)
    top = inp.age_groups.top
    for k in range(inp.steps):
        prev, nxt = result.population[..., k, :, :], result.population[..., k + 1, :, :]
        assert np.array_equal(nxt[..., 0], np.zeros(nxt.shape[:-1]))
        assert np.array_equal(nxt[..., 1:top], prev[..., : top - 1])
        assert np.array_equal(nxt[..., top], prev[..., top - 1] + prev[..., top])


@SETTINGS
@given(scenario_inputs())
def test_conventions_agree_without_migration(inp: ProjectionInput) -> None:
    zero = np.zeros(inp.net_migration.shape)
    results = [
        project(
            ProjectionInput(
                inp.base_year,
                inp.population,
                inp.survival,
                zero,
                inp.child_woman_ratio,
                inp.sex_ratio_at_birth,
                convention,
                inp.age_groups,
            )  # fmt: skip
        ).population
        for convention in Convention
    ]
    assert np.array_equal(results[0], results[1])


@SETTINGS
@given(scenario_inputs())
def test_totals_equal_the_sum_of_groups(inp: ProjectionInput) -> None:
    result = project(inp)
    indicators = result.indicators()
    flat = result.population.reshape(-1, 2 * inp.age_groups.size)
    exact = np.array([math.fsum(row) for row in flat]).reshape(indicators.total.shape)
    assert np.allclose(result.total(), exact, rtol=1e-12, atol=1e-9)
    assert np.allclose(indicators.total, exact, rtol=1e-12, atol=1e-9)
    bands = indicators.age_0_14 + indicators.age_15_64 + indicators.age_65_plus
    assert np.allclose(bands, exact, rtol=1e-12, atol=1e-9)


@SETTINGS
@given(scenario_inputs(), st.floats(0, 3, width=64))
def test_scaling_the_cwr_scales_the_first_births(inp: ProjectionInput, k: float) -> None:
    base = project(inp).population
    scaled = project(
        ProjectionInput(
            inp.base_year,
            inp.population,
            inp.survival,
            inp.net_migration,
            inp.child_woman_ratio * k,
            inp.sex_ratio_at_birth,
            inp.convention,
            inp.age_groups,
        )  # fmt: skip
    ).population
    assert np.allclose(scaled[..., 1, :, 0], k * base[..., 1, :, 0], rtol=1e-12, atol=1e-9)
    assert np.array_equal(scaled[..., 1, :, 1:], base[..., 1, :, 1:])


@SETTINGS
@given(scenario_inputs())
def test_valid_inputs_never_give_negative_populations(inp: ProjectionInput) -> None:
    assert np.all(project(inp).population >= 0)


@SETTINGS
@given(
    scenario_inputs(),
    st.sampled_from(
        [
            Scenario(),
            Scenario("fertility", fertility_scale=((2025, 1.1), (2035, 1.5))),
            Scenario("balance", zero_migration_from=2025),
            Scenario("half", migration_scale=0.5),
        ]
    ),
)
def test_vectorised_engine_equals_the_plain_python_loop(
    inp: ProjectionInput, scenario: Scenario
) -> None:
    result = project(apply_scenario(inp, scenario)).population
    batch = inp.batch_shape
    for index in np.ndindex(*batch):
        loop = project_loop(
            base_year=inp.base_year,
            population=inp.population[index].tolist(),
            survival=inp.survival[index].tolist(),
            net_migration=inp.net_migration[index].tolist(),
            child_woman_ratio=inp.child_woman_ratio[index].tolist(),
            sex_ratio_at_birth=inp.sex_ratio_at_birth[index].tolist(),
            convention=inp.convention,
            scenario=scenario,
        )
        assert np.array_equal(np.array(loop), result[index])


@SETTINGS
@given(
    hnp.arrays(np.float64, (2, 19), elements=st.floats(1, 1e5, width=64)),
    hnp.arrays(np.float64, (2, 19), elements=st.floats(0.05, 1, width=64)),
    hnp.arrays(np.float64, (2, 19), elements=st.floats(-0.04, 0.5, width=64)),
    CONVENTIONS,
)
def test_residual_method_recovers_migration_round_trip(
    population: np.ndarray, survival: np.ndarray, migration: np.ndarray, convention: Convention
) -> None:
    groups = AgeGroups(90)
    migration[:, 18] = migration[:, 17]  # one pooled rate for the two cohorts entering 90+
    inp = ProjectionInput(
        2015, population, survival[None], migration[None], np.array([0.2]),
        np.array([105.0]), convention, groups,
    )  # fmt: skip
    after = project(inp).population[1]
    recovered = residual_net_migration(
        population, after, survival, convention=convention, age_groups=groups
    )
    assert np.allclose(recovered, migration, rtol=1e-9, atol=1e-9)
    again = project(
        ProjectionInput(
            2015,
            population,
            survival[None],
            recovered[None],
            np.array([0.2]),
            np.array([105.0]),
            convention,
            groups,
        )  # fmt: skip
    ).population[1]
    assert np.allclose(again, after, rtol=1e-9, atol=1e-6)


def test_residual_pools_the_top_two_cohorts_golden() -> None:
    groups = AgeGroups(75)
    start = np.ones((2, groups.size)) * 100.0
    end = np.ones((2, groups.size)) * 100.0
    survival = np.full((2, groups.size), 0.8)
    start[:, 14], start[:, 15] = 40.0, 60.0
    end[:, 15] = 90.0
    end[:, 1] = 95.0
    # ipss: 5-9 at t+5 = 95 from 0-4 = 100 → M = 95/100 − 0.8 = 0.15.
    #   top: M = (90 − 40·0.8 − 60·0.8) / (40 + 60) = (90 − 80)/100 = 0.1 for 70-74 and 75+.
    m = residual_net_migration(start, end, survival, convention=Convention.IPSS, age_groups=groups)
    assert m[0, 0] == pytest.approx(0.15, rel=1e-12)
    assert m[1, 1] == pytest.approx(100 / 100 - 0.8, rel=1e-12)
    assert m[0, 14] == pytest.approx(0.1, rel=1e-12)
    assert m[1, 15] == pytest.approx(0.1, rel=1e-12)
    # multiplicative: 0-4: 95/(100·0.8) − 1 = 0.1875; top: 90/(40·0.8 + 60·0.8) − 1 = 0.125.
    m = residual_net_migration(
        start, end, survival, convention=Convention.MULTIPLICATIVE, age_groups=groups
    )
    assert m[0, 0] == pytest.approx(0.1875, rel=1e-12)
    assert m[0, 14] == pytest.approx(0.125, rel=1e-12)
    assert m[0, 15] == pytest.approx(0.125, rel=1e-12)


def test_residual_with_zero_population_says_where() -> None:
    groups = AgeGroups(75)
    start = np.ones((2, groups.size))
    start[1, 3] = 0.0
    with pytest.raises(AssumptionError) as info:
        residual_net_migration(
            start, start, np.ones((2, groups.size)), convention=Convention.IPSS, age_groups=groups
        )
    assert info.value.messages == (
        "女性 15-19: 期首の人口が 0 のため純移動率を計算できません。この区分の純移動率は直接指定してください。",
    )


def test_cwr_and_sex_ratio_from_a_census() -> None:
    groups = AgeGroups(90)
    population = np.zeros((2, groups.size))
    population[0, 0], population[1, 0] = 105.0, 100.0
    population[1, 3:10] = 100.0  # women 15-49: 7 groups × 100 = 700
    population[1, 10] = 999.0  # women 50-54 do not count
    # CWR = (105 + 100) / 700; sex ratio = 105 / 100 × 100 = 105.
    assert float(child_woman_ratio(population, groups)) == 205.0 / 700.0
    assert float(sex_ratio_0_4(population)) == 105.0


def test_survival_from_a_life_table_beyond_the_top() -> None:
    groups = AgeGroups(75)
    # nLx 0-4 … 75-79, 80+ (open); T[75] = 200 + 100 = 300, T[80] = 100.
    lx = [490.0, 480.0, 470.0, 460.0, 450.0, 440.0, 430.0, 420.0,
          410.0, 400.0, 380.0, 360.0, 330.0, 300.0, 250.0, 200.0, 100.0]  # fmt: skip
    s = survival_from_life_table(lx, groups)
    assert s.shape == (16,)
    assert s[0] == 480.0 / 490.0
    assert s[13] == 250.0 / 300.0  # 65-69 → 70-74
    assert s[14] == 200.0 / 250.0  # 70-74 → 75-79 (part of 75+)
    assert s[15] == 100.0 / 300.0  # 75+ → 80+: T[80] / T[75]


def test_survival_from_a_life_table_ending_at_the_top() -> None:
    groups = AgeGroups(75)
    lx = [490.0, 480.0, 470.0, 460.0, 450.0, 440.0, 430.0, 420.0,
          410.0, 400.0, 380.0, 360.0, 330.0, 300.0, 250.0, 300.0]  # fmt: skip
    s = survival_from_life_table(lx, groups)
    # Open group 75+ (L = T = 300): S[70-74] = S[75+] = T[75] / T[70] = 300 / (250 + 300).
    assert s[14] == s[15] == 300.0 / 550.0
    with pytest.raises(AssumptionError) as info:
        survival_from_life_table(lx[:-1], groups)
    assert info.value.messages == (
        "生命表の最終区分（70歳以上）が人口の最上位区分（75歳以上）より下です。75歳以上まである生命表を使ってください。",
    )


# --------------------------------------------------------------------------- scenarios


def test_fertility_multiplier_interpolates_and_holds() -> None:
    scenario = Scenario(fertility_scale=((2040, 1.4), (2030, 1.2)))
    assert scenario.fertility_scale == ((2030, 1.2), (2040, 1.4))
    assert [scenario.fertility_multiplier(y) for y in (2025, 2030, 2035, 2040, 2070)] == [
        1.0,
        1.2,
        1.2 + (1.4 - 1.2) * 5 / 10,
        1.4,
        1.4,
    ]
    ramp = Scenario(fertility_scale=((2020, 1.0), (2030, 1.2)))
    assert ramp.fertility_multiplier(2025) == 1.0 + 0.2 * 5 / 10


def test_migration_multiplier() -> None:
    scenario = Scenario(zero_migration_from=2030, migration_scale=0.5)
    assert [scenario.migration_multiplier(y) for y in (2020, 2025, 2030, 2035)] == [
        0.5,
        0.5,
        0.0,
        0.0,
    ]


def test_scenarios_in_one_batch_match_single_runs() -> None:
    inp = golden_input(Convention.IPSS)
    scenarios = [
        Scenario(),
        Scenario("f", fertility_scale=((2030, 2.0),)),
        Scenario("z", zero_migration_from=2025),
        Scenario("h", migration_scale=0.0),
    ]
    batch = project_scenarios(inp, scenarios).population
    assert batch.shape == (4, 3, 2, 16)
    for i, scenario in enumerate(scenarios):
        assert np.array_equal(batch[i], project(apply_scenario(inp, scenario)).population)
    # Fertility ×2 only from 2030: 2025 unchanged, 0-4 in 2030 doubled (75 → 150 births).
    assert np.array_equal(batch[1, 1], batch[0, 1])
    assert batch[1, 2, :, 0].sum() == 150.0
    # Zero migration from 2025: the first step keeps migration, the second has none:
    # women 15-19 (2025, 100) → 20-24 in 2030 with r = S = 0.9 → 90.
    assert batch[2, 1, 1, 3] == 100.0
    assert batch[2, 2, 1, 4] == 90.0


def test_parse_fertility_scale() -> None:
    assert parse_fertility_scale("2030:1.2, 2040:1.4") == ((2030, 1.2), (2040, 1.4))
    with pytest.raises(ScenarioError) as info:
        parse_fertility_scale("2030=1.2")
    assert str(info.value) == (
        "--fertility-scale の「2030=1.2」を読めません。「年:倍率」をカンマで区切って指定してください（例: 2030:1.2,2040:1.4）。"
    )
    with pytest.raises(ScenarioError) as info:
        Scenario(fertility_scale=((2030, 1.2), (2030, 1.3)))
    assert str(info.value) == "出生率の倍率で同じ年が 2 回以上指定されています。"
    with pytest.raises(ScenarioError) as info:
        Scenario(migration_scale=-1)
    assert str(info.value) == "純移動率の倍率は 0 以上の数値にしてください。"


def test_scenario_description() -> None:
    assert Scenario().describe() == "基本（仮定値のまま）"
    assert (
        Scenario(
            fertility_scale=((2030, 1.2),), zero_migration_from=2030, migration_scale=0.5
        ).describe()
        == "子ども女性比の倍率 2030年 1.2 倍、純移動率 0.5 倍、2030年以降の期間は純移動 0"
    )


# --------------------------------------------------------------------------- engine checks


def test_engine_refuses_negative_factors_and_bad_values() -> None:
    inp = golden_input(Convention.IPSS)
    migration = np.array(inp.net_migration)
    migration[0, 0, 3] = -0.9  # men: S + M = 0.8 − 0.9 < 0
    population = np.array(inp.population)
    population[1, 2] = -1.0
    bad = ProjectionInput(
        2020, population, inp.survival, migration, np.array([-0.1, 0.2]),
        np.array([105.0, 0.0]), Convention.IPSS, inp.age_groups,
    )  # fmt: skip
    with pytest.raises(ProjectionError) as info:
        project(bad)
    assert info.value.messages == (
        "基準人口に負の値があります。0 以上にしてください。",
        "生残率と純移動率の組合せ（ipss 方式: S + M）が負になる箇所があり、人口が負になります。純移動率を見直してください。",
        "子ども女性比に負の値があります。0 以上にしてください。",
        "出生性比は 0 より大きく 200 より小さい値にしてください。",
    )
    nan = ProjectionInput(
        2020, inp.population, inp.survival, inp.net_migration, np.array([np.nan, 0.2]),
        inp.sex_ratio_at_birth, Convention.IPSS, inp.age_groups,
    )  # fmt: skip
    with pytest.raises(ProjectionError) as info:
        project(nan)
    assert info.value.messages == ("子ども女性比に数値でない値（空欄・NaN・無限大）があります。",)


def test_input_shapes_are_checked() -> None:
    groups = AgeGroups(90)
    with pytest.raises(ValueError) as info:
        ProjectionInput(
            2020, np.zeros((2, 18)), np.zeros((1, 2, 19)), np.zeros((1, 2, 19)),
            np.zeros(1), np.ones(1), Convention.IPSS, groups,
        )  # fmt: skip
    assert str(info.value) == "population must end with (2, 19), got (2, 18)"
    with pytest.raises(ValueError) as info:
        ProjectionInput(
            2020, np.zeros((2, 19)), np.zeros((2, 2, 19)), np.zeros((2, 2, 19)),
            np.zeros(1), np.ones(1), Convention.IPSS, groups,
        )  # fmt: skip
    assert str(info.value) == "the number of steps differs between the rate arrays: {1, 2}"
