"""e-Stat-like wide census tables, TFR-based fertility scaling and run snapshots (no DB)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keikaku.demography.domain.agegroups import AgeGroups
from keikaku.demography.domain.fertility import (
    YearValueError,
    fertility_scale_from_tfr,
    format_year_values,
    parse_year_values,
)
from keikaku.demography.domain.layouts import LONG, WIDE, detect_census_layout, read_census_wide
from keikaku.demography.domain.projection import Convention
from keikaku.demography.domain.scenarios import Scenario, project_scenarios
from keikaku.demography.domain.snapshot import (
    input_snapshot,
    project_snapshot,
    projection_input_from_snapshot,
)
from keikaku.demography.domain.tables import InputError, read_base, read_births, read_rates
from keikaku.demography.tests.factories import census_long_lines, data_bytes, estat_wide_rows


def wide_messages(rows: list[list[str]], **kwargs: object) -> tuple[str, ...]:
    with pytest.raises(InputError) as info:
        read_census_wide(rows, source="estat.csv", **kwargs)  # type: ignore[arg-type]
    return info.value.messages


# --------------------------------------------------------------------------- layouts


def test_detect_layout() -> None:
    assert detect_census_layout([[], ["year", "sex", "age_group", "population"]]) == LONG
    assert detect_census_layout([["Year", " SEX ", "age_group", "Population"]]) == LONG
    assert detect_census_layout(estat_wide_rows()) == WIDE
    assert detect_census_layout([]) == WIDE


def test_wide_table_equals_the_long_file_with_top_groups_summed() -> None:
    long = read_base(data_bytes("tsurugashima_census_2020.csv"), source="long.csv")
    wide = read_census_wide(estat_wide_rows(), source="estat.csv", year=2020)
    assert wide.year == 2020
    assert wide.age_groups == AgeGroups(90)
    # 90～94 + 95～99 + 100歳以上 = 90+ of the long file (256 men, 749 women).
    assert wide.population[0, 18] == 256.0
    assert wide.population[1, 18] == 749.0
    assert np.array_equal(wide.population, long.population)
    assert wide.population.sum() == 70117.0


def test_wide_table_with_a_lower_top_age_sums_more_groups() -> None:
    wide = read_census_wide(estat_wide_rows(), source="estat.csv", year=2020, top_age=85)
    assert wide.age_groups.labels[-1] == "85+"
    # 85+ = 85～89 (592 + 1011) + 90+ (256 + 749).
    assert wide.population[0, 17] == 592.0 + 256.0
    assert wide.population[1, 17] == 1011.0 + 749.0


def test_wide_table_year_column_and_single_years() -> None:
    rows = [["時間軸（年次）", "年齢（各歳）", "男", "女"]]
    rows += [["2020年", f"{age}歳", "1", "2"] for age in range(90)]
    rows += [["2020年", "90歳以上", "10", "20"]]
    table = read_census_wide(rows, source="kakusai.csv", year=None)
    assert table.year == 2020
    assert table.population[0].tolist() == [5.0] * 18 + [10.0]
    assert table.population[1].tolist() == [10.0] * 18 + [20.0]


def test_wide_table_reads_five_year_rows_when_single_years_are_also_present() -> None:
    rows = [["年齢", "男", "女"]]
    for start in range(0, 90, 5):
        rows.append([f"{start}～{start + 4}歳", "5", "6"])
        rows += [[f"{a}歳", "1", "1"] for a in range(start, start + 5)]
    rows.append(["90歳以上", "3", "4"])
    table = read_census_wide(rows, source="mixed.csv", year=2020)
    assert table.population.sum() == 18 * 11 + 7


def test_wide_table_problems_are_all_located() -> None:
    rows = estat_wide_rows()
    # Header is row 4; 総数 row 5; 0～4歳 row 6 … 85～89歳 row 23; 90～94歳 row 24.
    rows[5][2] = "-3"  # 0～4歳 男
    rows[6][3] = "X"  # 5～9歳 女
    rows[7][0] = "10～15歳"  # unreadable label
    rows[8][1] = "9999"  # 15～19歳 総数 ≠ 男 + 女
    del rows[9]  # 20～24歳 missing
    rows[-2] = ["年齢不詳", "7", "3", "4"]
    assert wide_messages(rows, year=2020) == (
        "estat.csv 6行目 「男」列: 人口が負の値（-3）です。0 以上にしてください。",
        "estat.csv 7行目 「女」列: 「X」は人数として読めません。人数を数字で入れてください（秘匿値「X」は使えません）。",
        "estat.csv 8行目 「年齢（5歳階級）」列: 「10～15歳」は年齢区分として読めません。「0～4歳」「5～9歳」…「100歳以上」のように 5 歳刻みで入れてください。",
        # 15～19歳: 1,590 + 1,522 = 3,112.
        "estat.csv 9行目 「総数」列: 総数 9999 が 男 + 女 = 3,112 と一致しません。数値を確かめてください。",
        "estat.csv 26行目: 年齢不詳の人口（7 人）があります。不詳補完値の表を使うか、年齢別に按分してから取り込んでください。",
        "estat.csv: 年齢 10～14歳、20～24歳 の行がありません（一部の年齢だけの場合も含む）。すべての年齢を入れてください。",
    )


def test_wide_table_without_header_year_or_open_group() -> None:
    assert wide_messages([["a", "b"], ["1", "2"]], year=2020) == (
        "estat.csv: 見出しの行が見つかりません。「年齢」「男」「女」の列の見出しがある行を、先頭から 50 行以内に置いてください。",
    )
    rows = [r for r in estat_wide_rows() if not r or r[0] != "100歳以上"]
    assert wide_messages(rows, year=None) == (
        "estat.csv: 年の列がありません。調査の年（西暦、例: 2020）を画面で入力するか、「年次」の列を付けてください。",
        "estat.csv: 最上位の「〇歳以上」の行がありません。「90歳以上」や「100歳以上」の行を入れてください。",
    )


def test_wide_table_open_group_below_the_chosen_top() -> None:
    rows = [["年齢", "男", "女"], *[[f"{s}～{s + 4}歳", "1", "1"] for s in range(0, 85, 5)]]
    rows.append(["85歳以上", "2", "2"])
    assert wide_messages(rows, year=2020, top_age=90) == (
        "estat.csv 19行目: 最上位の区分「85歳以上」が、選んだ最上位の区分 90+ より下です。最上位の区分を 85+ にして取り込み直してください。",
        "estat.csv: 最上位の「〇歳以上」の行がありません。「90歳以上」や「100歳以上」の行を入れてください。",
    )
    assert read_census_wide(rows, source="x.csv", year=2020, top_age=85).population.sum() == 38


def test_wide_table_year_conflict() -> None:
    rows = [
        ["年次", "年齢", "男", "女"],
        ["2015年", "0～4歳", "1", "1"],
        ["2020年", "90歳以上", "1", "1"],
    ]
    assert wide_messages(rows, year=None)[0] == (
        "estat.csv: 年が複数あります（2015年（2行目）、2020年（3行目））。1 つの年の表にしてください。"
    )
    rows = [["年次", "年齢", "男", "女"], ["2015年", "90歳以上", "1", "1"]]
    assert wide_messages(rows, year=2020)[0] == (
        "estat.csv: ファイルの年 2015年 と画面で入力した年 2020年 が違います。どちらかに合わせてください。"
    )


# --------------------------------------------------------------------------- fertility


def test_parse_year_values() -> None:
    assert parse_year_values("2030:1.8、2040：２．０７", field="f", example="e") == (
        (2030, 1.8),
        (2040, 2.07),
    )
    assert parse_year_values("  ", field="f", example="e") == ()
    assert parse_year_values("2040年:2\n2030:1", field="f", example="e") == (
        (2030, 1.0),
        (2040, 2.0),
    )
    with pytest.raises(YearValueError) as info:
        parse_year_values("2030=1.8", field="目標人口", example="2030:68000")
    assert str(info.value) == (
        "目標人口の「2030=1.8」を読めません。「年:値」の形で、区切りはカンマか読点にしてください（例: 2030:68000）。"
    )
    with pytest.raises(YearValueError) as info:
        parse_year_values("2030:1, 2030:2", field="倍率", example="e")
    assert str(info.value) == "倍率で 2030年 が 2 回指定されています。1 つにしてください。"


def test_fertility_scale_from_tfr() -> None:
    # 1.8 ÷ 1.2 = 1.5; 2.07 ÷ 1.2 = 1.725.
    assert fertility_scale_from_tfr(
        base_tfr=1.2, base_year=2020, targets=[(2040, 2.07), (2030, 1.8)]
    ) == ((2020, 1.0), (2030, 1.8 / 1.2), (2040, 2.07 / 1.2))
    assert fertility_scale_from_tfr(base_tfr=1.2, base_year=2020, targets=[(2030, 1.8)])[1][
        1
    ] == pytest.approx(1.5)
    with pytest.raises(YearValueError) as info:
        fertility_scale_from_tfr(base_tfr=0, base_year=2020, targets=[])
    assert str(info.value) == "現在の合計特殊出生率は 0 より大きい数値にしてください。"
    with pytest.raises(YearValueError) as info:
        fertility_scale_from_tfr(base_tfr=1.2, base_year=2020, targets=[(2020, 1.5)])
    assert (
        str(info.value) == "合計特殊出生率の目標の年 2020年 は基準年 2020年 より後にしてください。"
    )


@given(
    st.dictionaries(
        st.integers(1900, 2200),
        st.floats(0, 1e7, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 6)),
        max_size=8,
    )
)
def test_format_and_parse_year_values_round_trip(points: dict[int, float]) -> None:
    items = tuple(sorted(points.items()))
    parsed = parse_year_values(format_year_values(items), field="f", example="e")
    assert [y for y, _v in parsed] == [y for y, _v in items]
    for (_y1, got), (_y2, want) in zip(parsed, items, strict=True):
        assert got == pytest.approx(want, rel=1e-12, abs=1e-9)


# --------------------------------------------------------------------------- snapshot


def _tables():
    base = read_base("\r\n".join(census_long_lines()).encode(), source="base.csv")
    rates = read_rates(data_bytes("tsurugashima_rates.csv"), source="rates.csv")
    births = read_births(data_bytes("tsurugashima_births.csv"), source="births.csv")
    return base, rates, births


def test_snapshot_survives_json_and_reproduces_the_projection_exactly() -> None:
    base, rates, births = _tables()
    scenarios = [
        Scenario(name="基本"),
        Scenario(name="出生", fertility_scale=((2020, 1.0), (2030, 1.5), (2040, 1.725))),
        Scenario(name="移動", zero_migration_from=2030),
    ]
    snapshot = input_snapshot(
        base=base,
        rates=rates,
        births=births,
        scenarios=scenarios,
        until=2070,
        convention=Convention.IPSS,
        extra={"municipality": {"code": "112411"}},
    )
    assert snapshot["engine_version"] == "keikaku.demography/1.0"
    assert snapshot["age_groups"][-1] == "90+"
    assert snapshot["rates"]["period_starts"] == [2020, 2035]
    assert snapshot["municipality"] == {"code": "112411"}
    restored = json.loads(json.dumps(snapshot))
    from keikaku.demography.domain.tables import build_projection_input

    direct = project_scenarios(
        build_projection_input(base, rates, births, until=2070), scenarios
    ).population
    again = project_snapshot(restored).population
    assert again.shape == (3, 11, 2, 19)
    assert np.array_equal(direct, again)
    assert projection_input_from_snapshot(restored).years == tuple(range(2020, 2075, 5))


@given(
    st.lists(st.integers(0, 5000), min_size=21, max_size=21),
    st.lists(st.integers(0, 5000), min_size=21, max_size=21),
    st.sampled_from([75, 85, 90, 95, 100]),
)
def test_wide_table_keeps_groups_below_the_top_and_sums_the_rest(
    male: list[int], female: list[int], top_age: int
) -> None:
    """Groups 0～4 … 95～99 and 100歳以上: below the top unchanged, the rest summed, total kept."""
    rows = [["年齢", "男", "女"]]
    rows += [[f"{5 * g}～{5 * g + 4}歳", str(male[g]), str(female[g])] for g in range(20)]
    rows.append(["100歳以上", str(male[20]), str(female[20])])
    table = read_census_wide(rows, source="p.csv", year=2020, top_age=top_age)
    top = top_age // 5
    assert table.population[0].tolist() == [*map(float, male[:top]), float(sum(male[top:]))]
    assert table.population[1].tolist() == [*map(float, female[:top]), float(sum(female[top:]))]
    assert table.population.sum() == sum(male) + sum(female)


@given(
    st.floats(0.5, 3.0),
    st.lists(st.tuples(st.integers(1, 40), st.floats(0.0, 4.0)), min_size=1, max_size=4),
)
def test_tfr_path_scales_the_cwr_by_target_over_current(
    base_tfr: float, offsets: list[tuple[int, float]]
) -> None:
    targets = {2020 + 5 * k: tfr for k, tfr in offsets}
    scale = fertility_scale_from_tfr(
        base_tfr=base_tfr, base_year=2020, targets=sorted(targets.items())
    )
    scenario = Scenario(fertility_scale=scale)
    assert scenario.fertility_multiplier(2020) == 1.0
    for year, tfr in targets.items():
        assert scenario.fertility_multiplier(year) == pytest.approx(tfr / base_tfr)
