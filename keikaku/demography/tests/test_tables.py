"""CSV inputs of the projection: every problem located and reported, exact messages."""

from __future__ import annotations

import numpy as np
import pytest

from keikaku.core.domain.textio import TextDecodeError, decode_bytes
from keikaku.demography.domain.agegroups import AgeGroups
from keikaku.demography.domain.projection import Convention, project
from keikaku.demography.domain.tables import (
    InputError,
    build_projection_input,
    load_projection_input,
    projection_csv_bytes,
    read_base,
    read_births,
    read_rates,
)

GROUPS = AgeGroups(90)
LABELS = GROUPS.labels
BOM = "\ufeff"


def csv_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def base_lines(year: int = 2020) -> list[str]:
    """Complete base: male rows are lines 2–20, female rows 21–39 (header = line 1)."""
    lines = ["year,sex,age_group,population"]
    for sex in ("male", "female"):
        lines += [f"{year},{sex},{label},{100 + g}" for g, label in enumerate(LABELS)]
    return lines


def rate_lines(period: int = 2020, survival: str = "0.9", migration: str = "0.01") -> list[str]:
    lines = ["period_start,sex,age_group,survival_rate,net_migration_rate"]
    for sex in ("male", "female"):
        lines += [f"{period},{sex},{label},{survival},{migration}" for label in LABELS]
    return lines


def birth_lines() -> list[str]:
    return ["year,child_woman_ratio,sex_ratio_at_birth", "2025,0.2,105"]


def messages_of(call: object) -> tuple[str, ...]:
    assert callable(call)
    with pytest.raises(InputError) as info:
        call()
    return info.value.messages


# --------------------------------------------------------------------------- base


def test_base_reads_every_row() -> None:
    table = read_base(csv_bytes(base_lines()), source="base.csv")
    assert table.year == 2020
    assert table.age_groups == GROUPS
    assert table.population[0].tolist() == [100.0 + g for g in range(19)]
    assert table.population[1, 18] == 118.0


def test_base_in_cp932_with_japanese_labels() -> None:
    lines = ["year,sex,age_group,population"]
    for sex in ("男性", "女性"):
        lines += [
            f"2020,{sex},{label.replace('-', '～').replace('+', '歳以上')},{100 + g}"
            for g, label in enumerate(LABELS)
        ]
    table = read_base(csv_bytes(lines, "cp932"), source="base.csv")
    reference = read_base(csv_bytes(base_lines()), source="base.csv")
    assert np.array_equal(table.population, reference.population)


def test_base_with_85_plus_sets_the_top_group() -> None:
    lines = ["year,sex,age_group,population"]
    for sex in ("male", "female"):
        lines += [f"2020,{sex},{label},1" for label in AgeGroups(85).labels]
    assert read_base(csv_bytes(lines), source="b.csv").age_groups == AgeGroups(85)


def test_base_reports_every_problem_with_its_place() -> None:
    lines = base_lines()
    lines[2] = "2020,man,5-9,100"  # row 3
    lines[3] = "2015,male,10-14,abc"  # row 4
    lines[20] = "2020,female,0-4,-3"  # row 21
    lines[38] = "2020,female,90+,"  # row 39
    lines += [
        "2020,female,0-4,5",  # row 40: duplicate of row 21
        "2020,female,3-7,5",  # row 41
        "2020,female,95-99,5",  # row 42
    ]
    assert messages_of(lambda: read_base(csv_bytes(lines), source="base.csv")) == (
        "base.csv 3行目 sex列: 「man」は性別として読めません。male または female を入れてください。",
        "base.csv 4行目 year列: 年 2015 が最初の行の年 2020 と異なります。基準人口は 1 つの年だけにしてください。",
        "base.csv 4行目 population列: 「abc」は数値ではありません。人口を数値で入れてください。",
        "base.csv 21行目 population列: 人口が負の値（-3）です。0 以上にしてください。",
        "base.csv 39行目 population列: 値が空です。人口を入れてください。",
        "base.csv 41行目 age_group列: 「3-7」は年齢区分として読めません。0-4、5-9、…、90+ のように 5 歳刻みで、最上位は「+」を付けて入れてください。",
        "base.csv 40行目: 女性 0-4 の行が 21行目と重複しています。1 行にしてください。",
        "base.csv 42行目 age_group列: 「95-99」は年齢区分（0-4、5-9、…、85-89、90+）にありません。最上位の区分より上の年齢は最上位の区分にまとめてください。",
        "base.csv: 男性 5-9 の行がありません。男女それぞれ全年齢区分（38 行）を入れてください。",
    )


def test_base_header_and_empty_files() -> None:
    assert messages_of(
        lambda: read_base(csv_bytes(["year,sex,age,people", "2020,male,0-4,1"]), source="b.csv")
    ) == (
        "b.csv 1行目: 見出しに列「age_group」、「population」がありません。見出しを「year,sex,age_group,population」にしてください。",
    )
    assert messages_of(lambda: read_base(b"", source="b.csv")) == (
        "b.csv: データがありません。1 行目を見出し（year,sex,age_group,population）にして、その下にデータを入れてください。",
    )
    assert messages_of(
        lambda: read_base(csv_bytes(["year,sex,age_group,population", ""]), source="b.csv")
    ) == (
        "b.csv: 見出しの下にデータの行がありません。year,sex,age_group,population の順に値を入れてください。",
    )


def test_base_top_group_problems() -> None:
    no_top = [line.replace("90+", "90-94") for line in base_lines()]
    assert messages_of(lambda: read_base(csv_bytes(no_top), source="b.csv")) == (
        "b.csv: 最上位の年齢区分の行がありません。最上位は「90+」のように「+」を付けて入れてください。",
    )
    two_tops = base_lines()
    two_tops[19] = "2020,male,85+,1"  # row 20 (male 90+ replaced by 85+); female 90+ at row 39
    assert messages_of(lambda: read_base(csv_bytes(two_tops), source="b.csv")) == (
        "b.csv 39行目 age_group列: 最上位の区分が「85+」と「90+」の 2 つあります。1 つにそろえてください。",
    )
    low_top = base_lines()
    low_top[19] = "2020,male,60+,1"
    assert messages_of(lambda: read_base(csv_bytes(low_top), source="b.csv")) == (
        "b.csv 20行目 age_group列: 最上位の区分「60+」は使えません。75+ から 120+ までの 5 歳刻みにしてください。",
    )


def test_undecodable_file_uses_the_shared_message() -> None:
    data = b"year,sex\r\n\xff\xfe\xfa\r\n"
    with pytest.raises(TextDecodeError) as expected:
        decode_bytes(data, source="b.csv")
    assert messages_of(lambda: read_base(data, source="b.csv")) == (str(expected.value),)


# --------------------------------------------------------------------------- rates


def test_rates_report_every_problem_with_its_place() -> None:
    lines = rate_lines()
    lines[1] = "2020,male,0-4,1.2,0.01"  # row 2
    lines[2] = "2020,male,5-9,0.9,6"  # row 3
    lines[3] = "2020,male,10-14,0.5,-0.9"  # row 4: S + M = -0.4 under ipss
    lines[4] = "2020.5,male,15-19,0.9,0.01"  # row 5
    lines.append("2020,male,85+,0.9,0")  # row 40
    assert messages_of(
        lambda: read_rates(csv_bytes(lines), source="rates.csv", age_groups=GROUPS)
    ) == (
        "rates.csv 2行目 survival_rate列: 生残率 1.2 が範囲外です。0 以上 1 以下にしてください。",
        "rates.csv 3行目 net_migration_rate列: 純移動率 6 が範囲外です。-1 以上 5 以下にしてください。",
        "rates.csv 4行目: 生残率 0.5 と純移動率 -0.9 では ipss 方式の係数 S + M = -0.4 が負になり、人口が負になります。純移動率を見直してください。",
        "rates.csv 5行目 period_start列: 「2020.5」は年として読めません。西暦の年を整数で入れてください（例: 2020）。",
        "rates.csv 40行目 age_group列: 「85+」は年齢区分（0-4、5-9、…、85-89、90+）にありません。基準人口と同じ年齢区分にしてください。",
        "rates.csv: 期間 2020年 の 男性 15-19 の行がありません。期間ごとに男女それぞれ全年齢区分（38 行）を入れてください。",
    )


def test_rates_negative_factor_under_multiplicative_with_migration_scale() -> None:
    lines = rate_lines()
    lines[1] = "2020,male,0-4,0.5,-0.6"  # × 2 → M = -1.2 → 0.5 · (1 − 1.2) = -0.1
    assert messages_of(
        lambda: read_rates(
            csv_bytes(lines),
            source="r.csv",
            age_groups=GROUPS,
            convention=Convention.MULTIPLICATIVE,
            migration_scale=2.0,
        )
    ) == (
        "r.csv 2行目: 生残率 0.5 と純移動率 -1.2（--migration-scale 2 適用後） では multiplicative 方式の係数 S × (1 + M) = -0.1 が負になり、人口が負になります。純移動率を見直してください。",
    )
    # The same row is fine without the scale: 0.5 · (1 − 0.6) = 0.2.
    table = read_rates(
        csv_bytes(lines), source="r.csv", age_groups=GROUPS, convention=Convention.MULTIPLICATIVE
    )
    assert table.net_migration[0, 0, 0] == -0.6


def test_rates_duplicate_and_guarded_numbers() -> None:
    lines = rate_lines()
    lines[1] = "2020,male,0-4,0.9,'-0.05"  # a formula-guarded export reads back as -0.05
    lines.append("2020,male,0-4,0.9,0")  # row 40
    assert messages_of(lambda: read_rates(csv_bytes(lines), source="r.csv", age_groups=GROUPS)) == (
        "r.csv 40行目: 期間 2020年 の 男性 0-4 の行が 2行目と重複しています。1 行にしてください。",
    )
    table = read_rates(csv_bytes(lines[:-1]), source="r.csv")
    assert table.net_migration[0, 0, 0] == -0.05
    assert table.age_groups == GROUPS  # taken from the file itself when no base is given


def test_rate_and_birth_period_lookup() -> None:
    rates = read_rates(
        csv_bytes(rate_lines(2025, "0.9") + rate_lines(2035, "0.8")[1:]), source="r.csv"
    )
    assert rates.period_starts == (2025, 2035)
    assert [rates.index_for(y) for y in (2015, 2020, 2025, 2030, 2035, 2060)] == [0, 0, 0, 0, 1, 1]
    births = read_births(
        csv_bytes(["year,child_woman_ratio,sex_ratio_at_birth", "2030,0.3,104", "2025,0.2,105"]),
        source="b.csv",
    )
    assert births.years == (2025, 2030)
    base = read_base(csv_bytes(base_lines()), source="b.csv")
    inp = build_projection_input(base, rates, births, until=2045)
    # Steps start 2020, 2025, 2030, 2035, 2040: rates 2025 (first, also before it), 2025,
    # 2025, 2035, 2035. Births for 2025, 2030, 2035, 2040, 2045: 0.2, then 0.3 from 2030.
    assert inp.survival[:, 0, 0].tolist() == [0.9, 0.9, 0.9, 0.8, 0.8]
    assert inp.child_woman_ratio.tolist() == [0.2, 0.3, 0.3, 0.3, 0.3]
    assert inp.sex_ratio_at_birth.tolist() == [105.0, 104.0, 104.0, 104.0, 104.0]


# --------------------------------------------------------------------------- births


def test_births_report_every_problem_with_its_place() -> None:
    lines = [
        "year,child_woman_ratio,sex_ratio_at_birth",
        "2025,-0.1,105",  # row 2
        "2030,0.2,0",  # row 3
        "2030,0.2,105",  # row 4: duplicate
        "x,0.2,105",  # row 5
    ]
    assert messages_of(lambda: read_births(csv_bytes(lines), source="births.csv")) == (
        "births.csv 2行目 child_woman_ratio列: 子ども女性比が負の値（-0.1）です。0 以上にしてください。",
        "births.csv 3行目 sex_ratio_at_birth列: 出生性比 0 が範囲外です。0 より大きく 200 より小さい値（女児 100 人あたりの男児数、例: 105）にしてください。",
        "births.csv 4行目: 2030年 の行が 3行目と重複しています。1 行にしてください。",
        "births.csv 5行目 year列: 「x」は年として読めません。西暦の年を整数で入れてください（例: 2020）。",
    )


# --------------------------------------------------------------------------- all together


def test_load_collects_problems_of_every_file() -> None:
    rates = rate_lines()
    rates[1] = "2020,male,0-4,,0.01"
    births = ["year,child_woman_ratio,sex_ratio_at_birth", "2025,0.2,200"]
    assert messages_of(
        lambda: load_projection_input(
            base=csv_bytes(base_lines()),
            rates=csv_bytes(rates),
            births=csv_bytes(births),
            base_source="base.csv",
            rates_source="rates.csv",
            births_source="births.csv",
            until=2072,
        )
    ) == (
        "rates.csv 2行目 survival_rate列: 値が空です。生残率を入れてください。",
        "births.csv 2行目 sex_ratio_at_birth列: 出生性比 200 が範囲外です。0 より大きく 200 より小さい値（女児 100 人あたりの男児数、例: 105）にしてください。",
        "--until 2072 は使えません。基準年 2020年 より後で、5 年刻みの年（2025、2030、…）にしてください。",
    )


def test_load_and_write_the_output() -> None:
    inp = load_projection_input(
        base=csv_bytes(base_lines()),
        rates=csv_bytes(rate_lines(2020, "1", "0")),
        births=csv_bytes(["year,child_woman_ratio,sex_ratio_at_birth", "2025,0.5,100"]),
        base_source="base.csv",
        rates_source="rates.csv",
        births_source="births.csv",
        until=2025,
    )
    out = projection_csv_bytes(project(inp)).decode("utf-8")
    lines = out.split("\r\n")
    assert lines[0] == BOM + "year,sex,age_group,population"
    assert lines[1] == "2020,male,0-4,100.0"
    # 2025: S = 1, M = 0 → men 5-9 = men 0-4 of 2020 = 100; 90+ = 117 + 118 = 235.
    # Women 15-49 in 2025 = women 10-14 … 40-44 of 2020 = 102 + 103 + … + 108 = 735;
    # births = 0.5 · 735 = 367.5 → 183.75 boys and 183.75 girls (sex ratio 100).
    assert lines[39] == "2025,male,0-4,183.75"
    assert lines[40] == "2025,male,5-9,100.0"
    assert lines[57] == "2025,male,90+,235.0"
    assert lines[58] == "2025,female,0-4,183.75"
    assert len(lines) == 1 + 2 * 38 + 1  # header, two years × 38 rows, final CRLF
