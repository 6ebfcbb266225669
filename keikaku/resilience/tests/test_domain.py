"""Pure domain tests (no database): sites and GeoJSON, the catalogue CSV, the consistency
report, the action-plan table and budget changes, the frameworks CSV."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keikaku.resilience.domain.actionplan import (
    CostLine,
    EntryData,
    EntryFilter,
    ScenarioRef,
    SiteRow,
    budget_changes,
    build_table,
    entry_from_dict,
    entry_to_dict,
    filter_entries,
    headers,
    site_features,
    table_rows,
)
from keikaku.resilience.domain.catalogue import (
    CatalogueError,
    catalogue_rows,
    parse_catalogue_csv,
)
from keikaku.resilience.domain.consistency import MeasureInfo, PlanInfo, consistency_report
from keikaku.resilience.domain.frameworks import FrameworkError, parse_frameworks_csv
from keikaku.resilience.domain.geo import (
    BoundingBox,
    SiteError,
    SiteLocation,
    bbox_error,
    feature_collection,
    parse_geometry,
    point_problems,
    rewind,
    rfc7946_problems,
    ring_signed_area,
)

CITY = BoundingBox(min_lon=139.35, min_lat=35.90, max_lon=139.44, max_lat=35.97)

# --- sites -------------------------------------------------------------------------------------


def test_point_inside_japan_and_city_is_valid():
    assert point_problems(lat=35.934, lon=139.393, city=CITY) == []
    assert point_problems(lat=None, lon=None, city=CITY) == []


def test_point_with_latitude_and_longitude_swapped_is_named():
    assert point_problems(lat=139.393, lon=35.934) == [
        "緯度 139.393 と経度 35.934 が逆になっています。鶴ヶ島市なら緯度は 35.9 前後、経度は 139.4 前後です。"
    ]


def test_point_outside_japan():
    assert point_problems(lat=51.5, lon=-0.12) == [
        "経度 -0.12、緯度 51.5 は日本の範囲（経度 122～154、緯度 20～46）の外です。座標を確かめてください。"
    ]


def test_point_inside_japan_but_outside_the_city():
    # Saitama city hall (35.8617, 139.6455) is in Japan but not in Tsurugashima's box.
    assert point_problems(lat=35.8617, lon=139.6455, city=CITY) == [
        "経度 139.6455、緯度 35.8617 は市域の範囲（経度 139.35～139.44、緯度 35.9～35.97）の外です。"
        "場所を確かめるか、市域の範囲の設定を見直してください。"
    ]
    assert point_problems(lat=35.8617, lon=139.6455, city=None) == []


def test_point_needs_both_coordinates():
    assert point_problems(lat=35.9, lon=None) == ["緯度と経度は両方とも入力してください。"]


def test_bbox_must_be_ordered_and_in_japan():
    assert bbox_error(CITY) is None
    assert bbox_error(BoundingBox(139.44, 35.90, 139.35, 35.97)) == (
        "市域の範囲は、西端 < 東端、南端 < 北端 になるように入力してください。"
    )
    assert bbox_error(BoundingBox(35.90, 139.35, 35.97, 139.44)) is not None


def test_linestring_valid_and_returned_unchanged():
    line = {"type": "LineString", "coordinates": [[139.38, 35.93], [139.39, 35.935]]}
    assert parse_geometry(json.dumps(line), city=CITY) == line


def test_linestring_in_lat_lon_order_is_refused_with_the_reason():
    line = {"type": "LineString", "coordinates": [[35.93, 139.38], [35.935, 139.39]]}
    with pytest.raises(SiteError) as err:
        parse_geometry(line)
    assert err.value.problems == (
        "1番目の点: 経度と緯度が逆になっています（経度 35.93、緯度 139.38）。"
        "GeoJSON の座標は [経度, 緯度] の順に書きます（例: [139.39, 35.93]）。",
        "2番目の点: 経度と緯度が逆になっています（経度 35.935、緯度 139.39）。"
        "GeoJSON の座標は [経度, 緯度] の順に書きます（例: [139.39, 35.93]）。",
    )


def test_linestring_needs_two_points():
    with pytest.raises(SiteError) as err:
        parse_geometry({"type": "LineString", "coordinates": [[139.38, 35.93]]})
    assert err.value.problems == ("線には2つ以上の点が必要です。",)


def test_polygon_ring_must_be_closed():
    ring = [[139.38, 35.93], [139.39, 35.93], [139.39, 35.94], [139.38, 35.94]]
    with pytest.raises(SiteError) as err:
        parse_geometry({"type": "Polygon", "coordinates": [ring]})
    assert err.value.problems == (
        "外周: 輪が閉じていません。最後の点を最初の点と同じ座標にしてください。",
    )


def test_polygon_ring_needs_four_positions():
    ring = [[139.38, 35.93], [139.39, 35.93], [139.38, 35.93]]
    with pytest.raises(SiteError) as err:
        parse_geometry({"type": "Polygon", "coordinates": [ring]})
    assert err.value.problems == ("外周: 輪には4つ以上の点（最初と最後は同じ点）が必要です。",)


def test_polygon_clockwise_exterior_is_rewound_counterclockwise():
    # Clockwise square: (0,0) → (0,1) → (1,1) → (1,0) in a local frame; shoelace area < 0.
    cw = [[139.38, 35.93], [139.38, 35.94], [139.39, 35.94], [139.39, 35.93], [139.38, 35.93]]
    assert ring_signed_area(cw) < 0
    result = parse_geometry({"type": "Polygon", "coordinates": [cw]}, city=CITY)
    assert result["coordinates"][0] == list(reversed(cw))
    assert ring_signed_area(result["coordinates"][0]) > 0


def test_polygon_hole_is_rewound_clockwise():
    outer = [[139.38, 35.93], [139.40, 35.93], [139.40, 35.95], [139.38, 35.95], [139.38, 35.93]]
    hole_ccw = [
        [139.385, 35.935],
        [139.395, 35.935],
        [139.395, 35.945],
        [139.385, 35.945],
        [139.385, 35.935],
    ]
    result = rewind({"type": "Polygon", "coordinates": [outer, hole_ccw]})
    assert result["coordinates"][0] == outer
    assert result["coordinates"][1] == list(reversed(hole_ccw))


def test_geometry_text_that_is_not_json_names_the_position():
    with pytest.raises(SiteError) as err:
        parse_geometry('{"type": "Point", "coordinates": [139.39, 35.93]')
    assert err.value.problems == (
        "GeoJSON として読めません（1行目 49文字目）。書式を確かめてください。",
    )


def test_unknown_geometry_type_is_refused():
    with pytest.raises(SiteError) as err:
        parse_geometry({"type": "Circle", "coordinates": [139.39, 35.93]})
    assert err.value.problems == (
        "ジオメトリの種類「Circle」は使えません。Point、MultiPoint、LineString、MultiLineString、"
        "Polygon、MultiPolygon のどれかにしてください。",
    )


def test_feature_wrapper_is_accepted():
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [139.39, 35.93]}}
    assert parse_geometry(feature) == {"type": "Point", "coordinates": [139.39, 35.93]}


def test_feature_collection_is_rfc7946_valid_and_lon_lat():
    cw = [[139.38, 35.93], [139.38, 35.94], [139.39, 35.94], [139.39, 35.93], [139.38, 35.93]]
    collection = feature_collection(
        [
            # Points from latitude/longitude fields come out as [lon, lat].
            _feature(1, SiteLocation(lat=35.9345, lon=139.3932)),
            _feature(2, SiteLocation(geometry={"type": "Polygon", "coordinates": [cw]})),
            _feature(3, SiteLocation()),  # no location: left out
        ]
    )
    assert rfc7946_problems(collection) == []
    assert [f["id"] for f in collection["features"]] == [1, 2]
    assert collection["features"][0]["geometry"] == {
        "type": "Point",
        "coordinates": [139.3932, 35.9345],
    }
    assert ring_signed_area(collection["features"][1]["geometry"]["coordinates"][0]) > 0


def test_rfc7946_checker_finds_faults():
    bad = {
        "type": "FeatureCollection",
        "crs": {},
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0]]]},
            },
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [35.9, 139.4]}},
        ],
    }
    assert rfc7946_problems(bad) == [
        "crs member is not allowed",
        "features[0].geometry[0]: ring not closed",
        "features[0].geometry[0]: exterior ring is clockwise",
        "features[1]: no properties member",
        "features[1].geometry: position out of range [35.9, 139.4]",
    ]


def _feature(fid: int, location: SiteLocation):
    from keikaku.resilience.domain.geo import SiteFeature

    return SiteFeature(id=fid, location=location, properties={"site_name": str(fid)})


coord = st.tuples(
    st.floats(min_value=139.30, max_value=139.50, allow_nan=False),
    st.floats(min_value=35.85, max_value=36.00, allow_nan=False),
)


@given(st.lists(coord, min_size=3, max_size=12, unique=True))
def test_rewind_always_gives_counterclockwise_exterior(points):
    ring = [list(p) for p in points] + [list(points[0])]
    area = ring_signed_area(ring)
    result = rewind({"type": "Polygon", "coordinates": [ring]})["coordinates"][0]
    if area == 0:
        assert result == ring
    else:
        assert ring_signed_area(result) > 0
        assert ring_signed_area(result) == pytest.approx(abs(area))
        assert sorted(map(tuple, result)) == sorted(map(tuple, ring))


# --- catalogue CSV -------------------------------------------------------------------------------

GOOD = (
    "kind,code,goal,text,field_type,verified,note\n"
    "goal,1,,直接死を最大限防ぐ,,false,\n"
    "scenario,1-1,1,建物の倒壊による死傷者の発生,,false,\n"
    "scenario,1-2,,大規模火災による死傷者の発生,,true,確認済み\n"
    "field,1,,行政機能,individual,false,\n"
    "field,横断1,,リスクコミュニケーション,横断,false,\n"
)


def test_catalogue_reads_goals_scenarios_fields():
    cat = parse_catalogue_csv(GOOD.encode("utf-8"), source="c.csv")
    assert [(g.number, g.text) for g in cat.goals] == [(1, "直接死を最大限防ぐ")]
    assert [(s.code, s.goal_number, s.verified) for s in cat.scenarios] == [
        ("1-1", 1, False),
        ("1-2", 1, True),
    ]
    assert [(f.code, f.kind) for f in cat.fields] == [
        ("1", "individual"),
        ("横断1", "cross_cutting"),
    ]
    assert cat.unverified_count == 4


def test_catalogue_reads_cp932_and_japanese_headers():
    text = "種別,番号,目標番号,文言,分野の種類,確認済み,備考\r\n目標,1,,直接死を最大限防ぐ,,未,\r\n事態,1-1,1,髙い建物の倒壊,,済,\r\n"
    cat = parse_catalogue_csv(text.encode("cp932"))
    assert [(s.code, s.text, s.verified) for s in cat.scenarios] == [
        ("1-1", "髙い建物の倒壊", True)
    ]


def test_catalogue_round_trips():
    cat = parse_catalogue_csv(GOOD.encode("utf-8"))
    from keikaku.core.domain.textio import write_csv_bytes

    again = parse_catalogue_csv(write_csv_bytes(catalogue_rows(cat)))
    assert again == cat


def test_catalogue_faulty_rows_are_all_located():
    text = (
        "kind,code,goal,text,field_type,verified,note\n"
        "goal,1,,直接死を最大限防ぐ,,false,\n"
        "\n"
        "scenario,1_1,1,番号の書き方が違う,,false,\n"  # row 4
        "scenario,2-1,,目標2がない,,false,\n"  # row 5
        "scenario,1-2,2,目標番号が合わない,,false,\n"  # row 6
        "field,1,,行政機能,both,false,\n"  # row 7
        "risk,1,,種別が違う,,false,\n"  # row 8
        "goal,1,,,,maybe,\n"  # row 9
        "scenario,1-3,1,重複,,false,\n"  # row 10
        "scenario,1-3,1,重複,,false,\n"  # row 11
    )
    with pytest.raises(CatalogueError) as err:
        parse_catalogue_csv(text.encode("utf-8"), source="bad.csv")
    assert err.value.problems == (
        "bad.csv: 4行目「code」列: 事態の番号「1_1」は「1-1」のように「目標番号-通し番号」で書いてください。",
        "bad.csv: 6行目「goal」列: 目標番号 2 が事態の番号「1-2」の前半と合いません。",
        "bad.csv: 7行目「field_type」列: 分野の種類「both」は使えません。individual（個別）か cross_cutting（横断）にしてください。",
        "bad.csv: 8行目「kind」列: 種別「risk」は使えません。goal（目標）、scenario（事態）、field（施策分野）のどれかにしてください。",
        "bad.csv: 9行目「text」列: 文言が空です。",
        "bad.csv: 9行目「verified」列: 「maybe」は使えません。true（確認済み）か false（未確認）にしてください。",
        "bad.csv: 11行目「code」列: 事態「1-3」が2回あります（10行目にもあります）。",
        "bad.csv: 5行目: 事態「2-1」の目標 2 がファイルにありません。目標の行を加えてください。",
    )


def test_catalogue_missing_columns_and_unknown_headers():
    with pytest.raises(CatalogueError) as err:
        parse_catalogue_csv(b"kind,code,wording\ngoal,1,x\n", source="h.csv")
    assert err.value.problems == (
        "h.csv: 見出し「text」（または「文言」）の列がありません。1行目に見出しを入れてください。",
        "h.csv: 3列目の見出し「wording」は使えません。使える見出し: kind、code、goal、text、field_type、verified、note。",
    )


def test_shipped_catalogues_parse_and_are_all_unverified():
    from pathlib import Path

    data = Path(__file__).resolve().parents[1] / "data"
    c2018 = parse_catalogue_csv((data / "resilience_catalogue_2018.csv").read_bytes())
    assert (len(c2018.goals), len(c2018.scenarios), len(c2018.fields)) == (8, 45, 17)
    assert c2018.unverified_count == 8 + 45 + 17
    c2023 = parse_catalogue_csv((data / "resilience_catalogue_2023.csv").read_bytes())
    assert len(c2023.goals) == 6
    assert c2023.unverified_count == len(c2023.goals) + len(c2023.scenarios) + len(c2023.fields)


# --- consistency report -----------------------------------------------------------------------

MEASURES = [
    MeasureInfo("1-1", "子育て支援", 1),
    MeasureInfo("1-2", "保育", 1),
    MeasureInfo("2-1", "健康づくり", 2),
    MeasureInfo("3-1", "防災", 3),
]


def _plan(pid, name, status, start, end, series="", codes=()):
    return PlanInfo(pid, name, status, start, end, series=series, measure_codes=tuple(codes))


def test_consistency_report_cases():
    plans = [
        _plan(1, "子ども・子育て支援事業計画（第3期）", "current", 2025, 2029, "子育て", ["1-1"]),
        _plan(2, "子ども・子育て支援事業計画（第2期）", "current", 2020, 2025, "子育て", ["1-1"]),
        _plan(3, "高齢者福祉計画（第9期）", "current", 2024, 2026, "高齢", []),
        _plan(4, "健康づくり計画", "drafting", 2026, 2035, "健康", ["2-1"]),
        _plan(5, "地域防災計画", "current", None, None, "", ["3-1"]),
        _plan(6, "環境基本計画（第2次）", "current", 2011, 2020, "環境", []),
        _plan(7, "公共施設等総合管理計画", "revision_planned", 2017, 2056, "", []),
        _plan(8, "障害福祉計画（第7期）", "current", 2024, 2026, "障害", []),
        _plan(9, "障害福祉計画（第8期）", "current", 2028, 2030, "障害", []),
    ]
    r = consistency_report(
        plans=plans, measures=MEASURES, period_start_fy=2025, period_end_fy=2029, current_fy=2025
    )
    # 1. 1-2 has no plan; 1-1, 2-1, 3-1 have one.
    assert [m.code for m in r.measures_without_plans] == ["1-2"]
    # 2. Ending inside 2025–2029 (not on its last year): 第2期 (2025), 第9期 and 第7期 (2026).
    assert [(e.plan.name, e.end_fy) for e in r.ending_inside] == [
        ("子ども・子育て支援事業計画（第2期）", 2025),
        ("障害福祉計画（第7期）", 2026),
        ("高齢者福祉計画（第9期）", 2026),
    ]
    # Ended before the basic plan without a successor in its series.
    assert [e.plan.name for e in r.already_ended] == ["環境基本計画（第2次）"]
    # 3. Being written or to be revised.
    assert [p.name for p in r.being_written] == ["公共施設等総合管理計画", "健康づくり計画"]
    # 4. Overlap 2025 in 子育て; gap 2027 in 障害; 環境 is current but ended; 第8期 not begun.
    assert [(i.kind, i.years) for i in r.period_issues] == [
        ("overlap", (2025,)),
        ("gap", (2027,)),
        ("status", (2020,)),
        ("status", (2028,)),
    ]
    assert r.period_issues[0].message == (
        "「子育て」の「子ども・子育て支援事業計画（第2期）」と「子ども・子育て支援事業計画（第3期）」"
        "の期間が 2025年度で重なっています。"
    )
    assert r.period_issues[1].message == (
        "「障害」は 2027年度に計画がありません（「障害福祉計画（第7期）」と「障害福祉計画（第8期）」の間）。"
    )
    assert r.period_issues[3].message == (
        "「障害福祉計画（第8期）」は「現行」ですが、計画期間は 2028年度からです。「策定中」ではありませんか。"
    )
    # 1 measure + 3 ending + 1 ended + 2 written + 4 period issues
    assert r.issue_count == 11


def test_consistency_report_empty_registry():
    r = consistency_report(
        plans=[], measures=MEASURES, period_start_fy=2025, period_end_fy=2029, current_fy=2026
    )
    assert [m.code for m in r.measures_without_plans] == ["1-1", "1-2", "2-1", "3-1"]
    assert r.issue_count == 4


# --- action-plan table and budget changes ----------------------------------------------------------

S11 = ScenarioRef("1-1", "建物の倒壊", 1, verified=False)
S64 = ScenarioRef("6-4", "交通インフラの停止", 6, verified=True)


def _entry(code, scenarios, **kw):
    return EntryData(
        programme_code=code, programme_name=f"事業{code}", scenario_codes=tuple(scenarios), **kw
    )


def test_table_groups_by_scenario_and_lists_unlinked_last():
    entries = [
        _entry("B", ["6-4", "1-1"], costs=((2025, 100), (2026, 200)), total_cost=300),
        _entry("A", ["1-1"], costs=((2025, 50),)),
        _entry("C", []),
    ]
    table = build_table(title="AP", fiscal_year=2025, scenarios=[S64, S11], entries=entries)
    assert [(g.scenario.code, [e.programme_code for e in g.entries]) for g in table.groups] == [
        ("1-1", ["A", "B"]),
        ("6-4", ["B"]),
    ]
    assert [e.programme_code for e in table.unlinked] == ["C"]
    assert table.years == (2025, 2026)
    assert table.row_count == 4
    rows = table_rows(table)
    head = headers(table.years)
    assert head[13:16] == ["総事業費（千円）", "令和7年度事業費（千円）", "令和8年度事業費（千円）"]
    assert [r[:5] for r in rows] == [
        [1, "1-1", "建物の倒壊", "文言未確認", ""],
        [2, "1-1", "建物の倒壊", "文言未確認", ""],
        [3, "6-4", "交通インフラの停止", "確認済み", ""],
        [4, "", "（リスクシナリオ未設定）", "", ""],
    ]
    assert rows[1][13:16] == [300, 100, 200]


def test_filter_entries_by_scenario_field_department_year():
    a = _entry(
        "A", ["1-1"], field_codes=("2",), department="道路建設課", start_fy=2025, end_fy=2026
    )
    b = _entry("B", ["6-4"], field_codes=("8",), department="水道課", costs=((2027, 10),))
    entries = [a, b]
    assert filter_entries(entries, EntryFilter(scenario="1-1")) == [a]
    assert filter_entries(entries, EntryFilter(field="8")) == [b]
    assert filter_entries(entries, EntryFilter(department="水道課")) == [b]
    assert filter_entries(entries, EntryFilter(year=2026)) == [a]
    assert filter_entries(entries, EntryFilter(year=2027)) == [b]
    assert filter_entries(entries, EntryFilter()) == entries


def test_entry_round_trips_through_a_snapshot_dict():
    entry = _entry(
        "A",
        ["1-1"],
        costs=((2025, 1),),
        sites=(SiteRow(name="橋", id=3, kind="Point", lon=139.39, lat=35.93),),
    )
    assert entry_from_dict(json.loads(json.dumps(entry_to_dict(entry)))) == entry


def test_site_features_carry_attributes():
    entry = _entry(
        "A",
        ["1-1"],
        department="道路建設課",
        sites=(
            SiteRow(name="橋", id=3, kind="Point", lon=139.39, lat=35.93),
            SiteRow(name="未定", id=4),
        ),
    )
    features = site_features([entry], municipality_code="112411")
    assert [f.id for f in features] == [3]
    assert features[0].properties["programme_code"] == "A"
    assert features[0].properties["municipality_code"] == "112411"


def test_budget_changes_added_removed_changed_unchanged():
    before = [
        CostLine("A", "道路", ((2025, 100), (2026, 120)), 220),
        CostLine("B", "橋", ((2025, 50),), 50),
        CostLine("C", "公園", ((2025, 10),), 10),
    ]
    after = [
        CostLine("A", "道路", ((2025, 100), (2026, 150), (2027, 90)), 340),
        CostLine("C", "公園", ((2025, 10),), 10),
        CostLine("D", "水道", ((2026, 70),), 70),
    ]
    changes = {c.programme_code: c for c in budget_changes(before, after)}
    assert [c.status for c in changes.values()] == ["changed", "removed", "unchanged", "added"]
    a = changes["A"]
    # 2026: 150 − 120 = +30; 2027: 90 − (none = 0) = +90; total 340 − 220 = +120.
    assert [(y.fiscal_year, y.before, y.after, y.diff) for y in a.years] == [
        (2025, 100, 100, 0),
        (2026, 120, 150, 30),
        (2027, None, 90, 90),
    ]
    assert a.total_diff == 120
    assert changes["B"].total_diff == -50
    assert changes["D"].status_label == "追加"


# --- frameworks CSV ------------------------------------------------------------------------------


def test_frameworks_csv_reads_and_locates_errors():
    good = (
        "framework,framework_name,adopted_on,start_fy,end_fy,pillar,pillar_title,verified,note\n"
        "dg,デジ田,2023-12-26,2023,2027,1,仕事,false,\n"
        "dg,デジ田,2023-12-26,2023,2027,2,人の流れ,false,\n"
    )
    specs = parse_frameworks_csv(good.encode())
    assert [(s.code, s.start_fy, [p.code for p in s.pillars]) for s in specs] == [
        ("dg", 2023, ["1", "2"])
    ]
    bad = good + "dg,デジ田,2023-12-27,2023,2027,3,魅力,false,\nx y,名,,,,1,a,false,\n"
    with pytest.raises(FrameworkError) as err:
        parse_frameworks_csv(bad.encode(), source="f.csv")
    assert err.value.problems == (
        "f.csv: 4行目: 枠組み「dg」の名称・決定日・期間が 2行目と違います。そろえてください。",
        "f.csv: 5行目「framework」列: 枠組みコード「x y」には英数字と「_ - .」を使い、40文字以内にしてください。",
    )


def test_documented_samples_are_valid():
    from pathlib import Path

    samples = Path(__file__).resolve().parents[3] / "docs" / "formats" / "samples" / "resilience"
    geo = json.loads((samples / "sites.geojson").read_text(encoding="utf-8"))
    assert rfc7946_problems(geo) == []
    assert [f["geometry"]["type"] for f in geo["features"]] == ["LineString", "Point", "Polygon"]
    catalogue = parse_catalogue_csv((samples / "catalogue.csv").read_bytes())
    assert [s.code for s in catalogue.scenarios] == ["1-1", "1-4", "6-4"]
    frameworks = parse_frameworks_csv((samples / "frameworks.csv").read_bytes())
    assert len(frameworks) == 5
