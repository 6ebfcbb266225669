"""`keikaku project-population`: the documented samples, CP932 input, errors, scenarios."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from keikaku.demography.management.commands.project_population import Command

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "docs" / "formats" / "samples" / "population"
DATA = ROOT / "keikaku" / "demography" / "data"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("project_population", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def sample_args(output: Path, *extra: str, base: Path | None = None) -> list[str]:
    return [
        "--base", str(base or SAMPLES / "base.csv"),
        "--rates", str(SAMPLES / "rates.csv"),
        "--births", str(SAMPLES / "births.csv"),
        "--until", "2070",
        "--output", str(output),
        *extra,
    ]  # fmt: skip


def read_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def assert_same_table(actual: Path, expected: Path) -> None:
    """Same cells; numbers equal to 1e-12 relative (the samples were written by this code)."""
    got, want = read_rows(actual), read_rows(expected)
    assert len(got) == len(want)
    assert got[0] == want[0]
    for row_got, row_want in zip(got[1:], want[1:], strict=True):
        for cell_got, cell_want in zip(row_got, row_want, strict=True):
            try:
                assert float(cell_got) == pytest.approx(float(cell_want), rel=1e-12, abs=1e-9)
            except ValueError:
                assert cell_got == cell_want


def test_command_on_the_documented_samples(tmp_path: Path) -> None:
    output, indicators = tmp_path / "out.csv", tmp_path / "ind.csv"
    stdout, stderr = run(*sample_args(output, "--indicators", str(indicators)))
    assert_same_table(output, SAMPLES / "output.csv")
    assert_same_table(indicators, SAMPLES / "indicators.csv")
    lines = stdout.splitlines()
    assert (
        lines[0]
        == f"{output} に書き出しました（ipss 方式、2020年〜2070年、基本（仮定値のまま））。"
    )
    assert lines[1] == "年\t総人口\t0〜14歳の割合\t65歳以上の割合"
    assert lines[2] == "2020\t70,117\t10.8%\t31.0%"
    assert len(lines) == 2 + 11
    assert stderr == ""
    rows = read_rows(output)
    assert rows[0] == ["year", "sex", "age_group", "population"]
    assert rows[1] == ["2020", "male", "0-4", "1208.0"]
    assert len(rows) == 1 + 11 * 38
    # The base year is written back as given: its total is the 2020 census total.
    assert sum(float(r[3]) for r in rows[1:] if r[0] == "2020") == 70117.0


def test_command_reads_cp932(tmp_path: Path) -> None:
    text = (SAMPLES / "base.csv").read_bytes().decode("utf-8-sig")
    text = text.replace(",male,", ",男性,").replace(",female,", ",女性,").replace("90+", "90歳以上")
    base = tmp_path / "base_cp932.csv"
    base.write_bytes(text.encode("cp932"))
    run(*sample_args(tmp_path / "a.csv", base=base))
    run(*sample_args(tmp_path / "b.csv"))
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_command_scenarios(tmp_path: Path) -> None:
    run(*sample_args(tmp_path / "zero.csv", "--zero-migration-from", "2020"))
    stdout, _ = run(*sample_args(tmp_path / "none.csv", "--migration-scale", "0"))
    assert (tmp_path / "zero.csv").read_bytes() == (tmp_path / "none.csv").read_bytes()
    assert "純移動率 0 倍" in stdout.splitlines()[0]
    stdout, _ = run(*sample_args(tmp_path / "f.csv", "--fertility-scale", "2030:1.2,2040:1.4"))
    assert stdout.splitlines()[0] == (
        f"{tmp_path / 'f.csv'} に書き出しました（ipss 方式、2020年〜2070年、"
        "子ども女性比の倍率 2030年 1.2 倍、2040年 1.4 倍）。"
    )
    base, scaled = read_rows(SAMPLES / "output.csv"), read_rows(tmp_path / "f.csv")
    # 2025 is before the first point (factor 1.0): the same 0-4 group as the baseline.
    assert scaled[39][:3] == ["2025", "male", "0-4"]
    assert scaled[39] == base[39]
    # 2030: factor 1.2 on the CWR, the women 15-49 of 2030 are unchanged → 0-4 × 1.2.
    assert scaled[77][:3] == ["2030", "male", "0-4"]
    assert float(scaled[77][3]) == pytest.approx(1.2 * float(base[77][3]), rel=1e-12)


def test_command_multiplicative_names_the_convention(tmp_path: Path) -> None:
    indicators = tmp_path / "ind.csv"
    stdout, _ = run(
        *sample_args(
            tmp_path / "m.csv", "--convention", "multiplicative", "--indicators", str(indicators)
        )
    )
    assert "（multiplicative 方式、" in stdout.splitlines()[0]
    assert {row[1] for row in read_rows(indicators)[1:]} == {"multiplicative"}
    assert read_rows(tmp_path / "m.csv") != read_rows(SAMPLES / "output.csv")


def test_command_single_error_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as info:
        run(
            *sample_args(tmp_path / "o.csv")[:-2],
            "--output",
            str(tmp_path / "o.csv"),
            "--until",
            "2072",
        )
    assert str(info.value) == (
        "--until 2072 は使えません。基準年 2020年 より後で、5 年刻みの年（2025、2030、…）にしてください。"
    )
    assert not (tmp_path / "o.csv").exists()


def test_command_lists_every_error_on_stderr(tmp_path: Path) -> None:
    base = tmp_path / "base.csv"
    lines = (SAMPLES / "base.csv").read_text(encoding="utf-8-sig").splitlines()
    lines[1] = "2020,male,0-4,-1"
    lines[2] = "2020,male,5-9,x"
    base.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command(
            "project_population",
            *sample_args(tmp_path / "o.csv", base=base),
            stdout=out,
            stderr=err,
        )
    first = f"{base} 2行目 population列: 人口が負の値（-1）です。0 以上にしてください。"
    second = f"{base} 3行目 population列: 「x」は数値ではありません。人口を数値で入れてください。"
    assert err.getvalue().splitlines() == [first, second]
    assert str(info.value) == (
        f"入力に 2 件の誤りがあります（一覧は上に表示）。最初の誤り: {first}"
    )
    assert "\n" not in str(info.value)
    assert not (tmp_path / "o.csv").exists()


def test_command_missing_file_and_bad_options(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.csv"
    with pytest.raises(CommandError) as info:
        run(*sample_args(tmp_path / "o.csv", base=missing))
    assert str(info.value) == (
        f"{missing} が見つかりません。ファイルの場所と名前を確かめてください。"
    )
    with pytest.raises(CommandError) as info:
        run(*sample_args(tmp_path / "o.csv", "--fertility-scale", "2030"))
    assert str(info.value) == (
        "--fertility-scale の「2030」を読めません。「年:倍率」をカンマで区切って指定してください（例: 2030:1.2,2040:1.4）。"
    )
    with pytest.raises(CommandError) as info:
        run(*sample_args(tmp_path / "o.csv", "--migration-scale", "-0.5"))
    assert str(info.value) == "純移動率の倍率は 0 以上の数値にしてください。"


def test_help_documents_every_option() -> None:
    text = Command().create_parser("keikaku", "project_population").format_help()
    for option in (
        "--base", "--rates", "--births", "--until", "--output", "--convention",
        "--fertility-scale", "--zero-migration-from", "--migration-scale", "--indicators",
    ):  # fmt: skip
        assert option in text
    assert "コーホート要因法" in text


def test_demo_data_totals_and_readme() -> None:
    for name, year, total in (
        ("tsurugashima_census_2015.csv", "2015", 70255.0),
        ("tsurugashima_census_2020.csv", "2020", 70117.0),
    ):
        rows = read_rows(DATA / name)
        assert {r[0] for r in rows[1:]} == {year}
        assert len(rows) == 1 + 38
        assert sum(float(r[3]) for r in rows[1:]) == total
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "デモ用の架空データ" in readme
    assert (SAMPLES / "base.csv").read_bytes() == (
        DATA / "tsurugashima_census_2020.csv"
    ).read_bytes()
