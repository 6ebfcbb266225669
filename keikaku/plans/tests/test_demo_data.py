"""The demo city's measures data file (keikaku/plans/demo/data/measures.json) and its reader."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from keikaku.plans.demo import datafile
from keikaku.plans.demo.datafile import DemoDataError
from keikaku.plans.demo.measures import AREAS, DATA_FILE, DATA_PACKAGE, MeasuresFile
from keikaku.plans.demo.organisation import DEPARTMENTS
from keikaku.plans.demo.series import FORMER_ACTUAL_YEARS
from keikaku.plans.demo.specs import AreaSpec, IndicatorSpec, InitiativeSpec, MeasureSpec
from keikaku.plans.models import Indicator

ROOT = Path(__file__).resolve().parents[3]


def _raw() -> dict:
    text = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def _measures() -> list[MeasureSpec]:
    return [m for area in AREAS for m in area.measures]


def _required(spec: type) -> set[str]:
    return {
        f.name
        for f in dataclasses.fields(spec)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }


def _all(spec: type) -> set[str]:
    return {f.name for f in dataclasses.fields(spec)}


def test_the_file_is_package_data_next_to_the_module():
    path = Path(str(resources.files(DATA_PACKAGE).joinpath(DATA_FILE)))
    assert path == ROOT / "keikaku" / "plans" / "demo" / "data" / "measures.json"
    # pyproject ships every *.json of every package (keikaku.plans.demo.data is one).
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "*.json" in pyproject["tool"]["setuptools"]["package-data"]["*"]
    assert (ROOT / "keikaku" / "plans" / "demo" / "data" / "__init__.py").is_file()


def test_counts_and_first_and_last_measure():
    measures = _measures()
    assert [a.number for a in AREAS] == [1, 2, 3, 4, 5, 6, 7]
    assert [len(a.measures) for a in AREAS] == [7, 7, 5, 6, 5, 4, 6]
    assert len(measures) == 40
    assert sum(len(m.initiatives) for m in measures) == 101
    assert sum(len(m.indicators) for m in measures) == 71
    first, last = measures[0], measures[-1]
    assert (first.code, first.title, first.former_title) == (
        "1-1",
        "こども・子育て支援の充実",
        "子育て支援の充実",
    )
    assert first.summary == (
        "子どもを育てる家族を支えます。\n"
        "妊娠したときから、いつでも相談できます。\n"
        "困ったときは、こども家庭センターに来てください。"
    )
    assert first.sections == ("0601", "0603", "0505")
    assert first.sdgs == (1, 3, 4, 5)
    assert first.indicators[0] == IndicatorSpec(
        "子育てしやすいまちだと思う市民の割合",
        "%",
        "increase",
        58.2,
        65.0,
        70.0,
        decimals=1,
        survey=True,
        description="市民意識調査で「そう思う」「どちらかといえばそう思う」と答えた人の割合です。",
    )
    assert (last.code, last.title) == ("7-6", "健全な行財政運営")
    assert [m.code for m in measures if m.former_title is not None] == ["1-1", "5-1", "6-3", "7-5"]
    assert AREAS[0].title == "子育て・教育"
    assert AREAS[6].title_en == "Partnership and administration"


def test_every_object_has_the_required_keys_and_no_others():
    raw = _raw()
    assert set(raw) == _all(MeasuresFile)
    for area in raw["areas"]:
        assert _required(AreaSpec) <= set(area) <= _all(AreaSpec)
        for measure in area["measures"]:
            where = measure["code"]
            assert _required(MeasureSpec) <= set(measure) <= _all(MeasureSpec), where
            for initiative in measure["initiatives"]:
                assert set(initiative) == _all(InitiativeSpec), where
            for indicator in measure["indicators"]:
                assert _required(IndicatorSpec) <= set(indicator) <= _all(IndicatorSpec), where
                assert all(isinstance(v, str) and v for v in (indicator["name"], indicator["unit"]))


def test_codes_are_unique_and_follow_the_area_numbers():
    codes = [m.code for m in _measures()]
    assert len(set(codes)) == 40
    for area in AREAS:
        assert [m.code for m in area.measures] == [
            f"{area.number}-{i}" for i in range(1, len(area.measures) + 1)
        ]
    titles = [m.title for m in _measures()]
    assert len(set(titles)) == 40
    for measure in _measures():
        names = [k.name for k in measure.indicators]
        assert len(set(names)) == len(names), measure.code


def test_numbers_parse_and_are_in_range():
    directions = set(Indicator.Direction.values)
    for measure in _measures():
        assert measure.sdgs and all(1 <= goal <= 17 for goal in measure.sdgs), measure.code
        assert list(measure.sdgs) == sorted(set(measure.sdgs)), measure.code
        for k in measure.indicators:
            for value in (k.former_baseline, k.former_target, k.latter_target):
                # JSON numbers: int or float, never a bool or a string.
                assert type(value) in (int, float), (measure.code, k.name, value)
                assert value >= 0, (measure.code, k.name)
            assert k.decimals in (0, 1), (measure.code, k.name)
            assert k.direction in directions
            assert k.latter_direction in (None, *directions)
            assert k.as_of in ("fy_end", "apr1", "survey")
            if k.actuals is not None:
                assert len(k.actuals) == len(FORMER_ACTUAL_YEARS) == 5
                assert all(type(v) in (int, float) for v in k.actuals)
                assert type(k.latter_actual) in (int, float)
    # Integers stay integers and decimals stay floats, as the Python literals were:
    indicators = [k for m in _measures() for k in m.indicators]
    assert sum(type(k.former_baseline) is int for k in indicators) == 37
    assert sum(type(k.former_baseline) is float for k in indicators) == 34
    assert sum(k.former_baseline for k in indicators) == pytest.approx(346665.0)


def test_every_section_code_is_a_demo_section():
    sections = {s.code for d in DEPARTMENTS for s in d.sections}
    for measure in _measures():
        assert measure.sections and set(measure.sections) <= sections, measure.code
        assert {i.section for i in measure.initiatives} <= sections, measure.code


def test_reader_reports_where_a_key_is_missing():
    raw = _raw()
    del raw["areas"][0]["measures"][2]["indicators"][1]["unit"]
    with pytest.raises(DemoDataError) as err:
        datafile.build(MeasuresFile, raw, "measures.json")
    assert str(err.value) == (
        "measures.json: areas[0].measures[2].indicators[1]: キー「unit」がありません。追加してください。"
    )


def test_reader_reports_an_unknown_key():
    raw = _raw()
    raw["areas"][1]["measures"][0]["titel"] = "x"
    with pytest.raises(DemoDataError) as err:
        datafile.build(MeasuresFile, raw, "measures.json")
    assert str(err.value) == (
        "measures.json: areas[1].measures[0]: キー「titel」は使えません。使えるキーは code、title、"
        "summary、target_state、issues、former_issues、initiatives、role_citizens、"
        "role_businesses、role_city、sections、sdgs、indicators、related_plans、former_title、"
        "title_en です。"
    )


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("former_target",), "65.0", '数値 を書いてください（いまは "65.0"）。'),
        (("former_target",), True, "数値 を書いてください（いまは true）。"),
        (("decimals",), 1.5, "整数 を書いてください（いまは 1.5）。"),
        (("survey",), "yes", 'true か false を書いてください（いまは "yes"）。'),
        (("actuals",), 3, "配列 [ … ] を書いてください（いまは 3）。"),
        (("name",), None, "文字列 を書いてください（いまは null）。"),
    ],
)
def test_reader_reports_a_value_of_the_wrong_type(path, value, message):
    raw = _raw()
    raw["areas"][0]["measures"][0]["indicators"][0][path[0]] = value
    with pytest.raises(DemoDataError) as err:
        datafile.build(MeasuresFile, raw, "measures.json")
    assert (
        str(err.value) == f"measures.json: areas[0].measures[0].indicators[0].{path[0]}: {message}"
    )


def test_reader_reports_bad_json_and_reads_dates():
    with pytest.raises(DemoDataError) as err:
        datafile.parse(MeasuresFile, '{"note": "x",\n  "areas": [,]}', "measures.json")
    assert str(err.value) == (
        "measures.json: 2 行 13 列: JSON として読めません（Expecting value）。直してください。"
    )

    @dataclasses.dataclass(frozen=True)
    class Day:
        day: dt.date
        days: tuple[dt.date, ...] = ()

    assert datafile.parse(Day, '{"day": "2024-12-19"}', "d.json") == Day(dt.date(2024, 12, 19))
    with pytest.raises(DemoDataError) as err:
        datafile.parse(Day, '{"day": "2024-12-19", "days": ["2024-02-30"]}', "d.json")
    assert str(err.value) == (
        'd.json: days[0]: 日付（YYYY-MM-DD） を書いてください（いまは "2024-02-30"）。'
    )


def test_module_constant_is_what_the_file_holds():
    assert datafile.load(MeasuresFile, DATA_PACKAGE, DATA_FILE).areas == AREAS
    assert isinstance(AREAS, tuple) and isinstance(AREAS[0].measures, tuple)
    assert isinstance(AREAS[0].measures[0].initiatives[0], InitiativeSpec)
