"""Builders for population test data: the illustrative Tsurugashima files and small users."""

from __future__ import annotations

import io
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from keikaku.demography import services
from keikaku.demography.models import AssumptionSet, CensusDataset, ProjectionRun, Scenario

DATA = Path(__file__).resolve().parents[1] / "data"
CODE = "112411"
NAME = "鶴ヶ島市"
ACTOR = "test"


def data_bytes(name: str) -> bytes:
    return (DATA / name).read_bytes()


def census_long_lines(year: int = 2020) -> list[str]:
    return data_bytes(f"tsurugashima_census_{year}.csv").decode("utf-8-sig").splitlines()


def census_long_values(year: int = 2020) -> dict[tuple[str, str], int]:
    values = {}
    for line in census_long_lines(year)[1:]:
        _year, sex, group, population = line.split(",")
        values[(sex, group)] = int(population)
    return values


def estat_wide_rows(year: int = 2020) -> list[list[str]]:
    """The census as an e-Stat table: title lines, 総数 row, 90+ split into 90～94 / 95～99 /
    100歳以上 (60 % / 30 % / the rest), a zero 年齢不詳 row and a (再掲) row."""
    values = census_long_values(year)
    rows: list[list[str]] = [
        ["表番号", "00100"],
        [f"令和2年国勢調査 男女，年齢（5歳階級）別人口 {NAME}"],
        [],
        ["年齢（5歳階級）", "総数", "男", "女"],
    ]
    male_total = sum(v for (s, _g), v in values.items() if s == "male")
    female_total = sum(v for (s, _g), v in values.items() if s == "female")
    rows.append(["総数", f"{male_total + female_total:,}", f"{male_total:,}", f"{female_total:,}"])
    for start in range(0, 90, 5):
        m = values[("male", f"{start}-{start + 4}")]
        f = values[("female", f"{start}-{start + 4}")]
        rows.append([f"{start}～{start + 4}歳", f"{m + f:,}", f"{m:,}", f"{f:,}"])
    m90, f90 = values[("male", "90+")], values[("female", "90+")]
    splits = []
    for share in (0.6, 0.3):
        splits.append((round(m90 * share), round(f90 * share)))
    splits.append((m90 - sum(s[0] for s in splits), f90 - sum(s[1] for s in splits)))
    for label, (m, f) in zip(("90～94歳", "95～99歳", "100歳以上"), splits, strict=True):
        rows.append([label, str(m + f), str(m), str(f)])
    rows.append(["年齢不詳", "-", "-", "-"])
    rows.append(["（再掲）15歳未満", "1", "1", "1"])
    return rows


def csv_bytes(rows: list[list[str]] | list[str], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    import csv

    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row.split(",") if isinstance(row, str) else row)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]], sheet: str = "Sheet1") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_census(year: int = 2020, **overrides: object) -> CensusDataset:
    name = f"tsurugashima_census_{year}.csv"
    fields: dict[str, object] = {
        "data": data_bytes(name),
        "filename": name,
        "actor": ACTOR,
        "municipality_code": CODE,
        "municipality_name": NAME,
        "source": "国勢調査（テスト）",
        "is_illustrative": True,
    }
    fields.update(overrides)
    return services.census_dataset_import(**fields)  # type: ignore[arg-type]


def make_assumptions(name: str = "テスト仮定値", **overrides: object) -> AssumptionSet:
    fields: dict[str, object] = {
        "rates_data": data_bytes("tsurugashima_rates.csv"),
        "rates_filename": "tsurugashima_rates.csv",
        "births_data": data_bytes("tsurugashima_births.csv"),
        "births_filename": "tsurugashima_births.csv",
        "actor": ACTOR,
        "name": name,
        "source": "テスト",
        "is_illustrative": True,
    }
    fields.update(overrides)
    return services.assumption_set_import(**fields)  # type: ignore[arg-type]


def make_scenarios() -> list[Scenario]:
    return [
        services.scenario_create(actor=ACTOR, name="社人研準拠", order=1),
        services.scenario_create(
            actor=ACTOR,
            name="出生率上昇",
            order=2,
            fertility_scale=[[2020, 1.0], [2030, 1.5], [2040, 1.725]],
            tfr_path=[[2020, 1.2], [2030, 1.8], [2040, 2.07]],
        ),
        services.scenario_create(actor=ACTOR, name="移動均衡", order=3, zero_migration_from=2030),
    ]


def make_run(until: int = 2070) -> ProjectionRun:
    return services.projection_run_create(
        base_dataset=make_census(),
        assumption_set=make_assumptions(),
        scenarios=make_scenarios(),
        until=until,
        actor=ACTOR,
        name="テスト推計",
    )


def make_user(username: str, *, staff: bool = True, edit: bool = True, publish: bool = True):
    User = get_user_model()
    user = User.objects.create_user(
        username=username,
        password="pass-for-tests-1",
        is_staff=staff,
        last_name="髙橋",
        first_name="𠮷子",
    )
    perms = (["change_measure"] if edit else []) + (["change_edition"] if publish else [])
    if perms:
        user.user_permissions.add(
            *Permission.objects.filter(content_type__app_label="plans", codename__in=perms)
        )
    return User.objects.get(pk=user.pk)
