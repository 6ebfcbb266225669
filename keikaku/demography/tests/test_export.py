"""The Excel export of a run, read back cell by cell."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from keikaku.demography import selectors
from keikaku.demography.exports import run_workbook_bytes, sheet_name
from keikaku.demography.tests.factories import make_run, make_user

pytestmark = pytest.mark.django_db

HEADER = ["全国地方公共団体コード", "団体名", "シナリオ", "年", "性別", "年齢区分", "人口（人）"]


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    assert sheet_name("指標", taken) == "指標"
    assert sheet_name("指標", taken) == "指標_2"
    assert sheet_name("a/b:c*d?[e]", taken) == "a_b_c_d__e_"
    assert sheet_name("長" * 40, taken) == "長" * 31
    assert sheet_name("長" * 40, taken) == "長" * 29 + "_2"


def test_run_workbook_read_back_cell_by_cell(client: Client) -> None:
    run = make_run(until=2030)
    client.force_login(make_user("hanako"))
    response = client.get(f"/staff/population/runs/{run.pk}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="population-run-{run.pk}-112411.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["実行条件", "社人研準拠", "出生率上昇", "移動均衡", "指標"]

    conditions = {row[0]: row[1] for row in book["実行条件"].iter_rows(min_row=2, values_only=True)}
    assert conditions["全国地方公共団体コード"] == "112411"
    assert conditions["生残率と純移動率の組合せ方"] == "ipss"
    assert conditions["基準年"] == 2020
    assert conditions["推計の最終年"] == 2030
    assert conditions["推計エンジンの版"] == "keikaku.demography/1.0"
    assert conditions["デモ用の架空データ"] == "はい"

    results = list(run.results.order_by("order"))
    for result in results:
        sheet = book[result.name]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == HEADER
        assert len(rows) == 1 + 3 * 2 * 19  # 2020, 2025, 2030 × 2 sexes × 19 groups
        assert not sheet.merged_cells.ranges
        i = 1
        for t, year in enumerate(result.years):
            for s, sex in enumerate(["男性", "女性"]):
                for g, label in enumerate(run.age_groups.labels):
                    expected_label = (
                        f"{label[:-1]}歳以上"
                        if label.endswith("+")
                        else label.replace("-", "～") + "歳"
                    )
                    assert rows[i][:6] == (
                        "112411",
                        "鶴ヶ島市",
                        result.name,
                        year,
                        sex,
                        expected_label,
                    )
                    # Excel keeps 15–16 significant digits (XlsxWriter writes %.16G).
                    assert rows[i][6] == pytest.approx(result.population[t][s][g], rel=1e-15)
                    i += 1
    # Spot checks of labels and exact (unrounded) values.
    first = book["社人研準拠"]
    assert [c.value for c in first[2]] == [
        "112411",
        "鶴ヶ島市",
        "社人研準拠",
        2020,
        "男性",
        "0～4歳",
        1208,
    ]
    assert first["F20"].value == "90歳以上"
    assert first["G21"].value == 1150  # 2020 girls 0–4 (an integer in the census)
    assert first["G78"].value == pytest.approx(results[0].population[2][0][0], rel=1e-15)
    assert isinstance(first["G78"].value, float)

    indicators = list(book["指標"].iter_rows(values_only=True))
    assert indicators[0][:6] == (
        "全国地方公共団体コード",
        "団体名",
        "シナリオ",
        "年",
        "総人口（人）",
        "0～14歳（人）",
    )
    assert len(indicators) == 1 + 3 * 3
    expected = selectors.result_indicators(results[1])
    row = indicators[1 + 3 + 2]  # 出生率上昇, 2030
    assert row[:4] == ("112411", "鶴ヶ島市", "出生率上昇", 2030)
    assert row[4] == pytest.approx(float(expected.total[2]), rel=1e-15)
    assert row[11] == pytest.approx(float(expected.share_65_plus[2]) * 100, rel=1e-15)
    assert row[13] == pytest.approx(float(expected.women_20_39[2]), rel=1e-15)


def test_text_that_looks_like_a_formula_stays_text() -> None:
    run = make_run(until=2025)
    result = run.results.first()
    result.name = "=1+1"
    result.save()
    book = load_workbook(io.BytesIO(run_workbook_bytes(run)))
    sheet = book["=1+1"]
    assert sheet["C2"].value == "=1+1"
    assert sheet["C2"].data_type == "s"
