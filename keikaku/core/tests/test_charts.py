"""Tests of keikaku.core.domain.charts (no database, no Django).

Expected coordinates are computed by hand from the layout constants documented in each chart
module and in docs/dev/charts.md; the arithmetic is shown next to each assertion. Coordinates
are written with at most 2 decimals, so 226.666… is asserted as "226.67".
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keikaku.core.domain.charts import (
    TOKEN_COLOURS,
    GanttRow,
    LineSeries,
    NetworkEdge,
    NetworkNode,
    PyramidComparison,
    ReferenceLine,
    ScatterPoint,
    StackSegment,
    bar_chart,
    format_ticks,
    gantt_chart,
    line_chart,
    network_chart,
    nice_ticks,
    pyramid_chart,
    scatter_chart,
    stacked_bar_chart,
)
from keikaku.core.domain.charts._svg import esc, fmt, format_number, spread, text_width, truncate

SVG = "{http://www.w3.org/2000/svg}"
NASTY = '<script>&"'


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def by_class(root: ET.Element, cls: str) -> list[ET.Element]:
    return [e for e in root.iter() if cls in (e.get("class") or "").split()]


def texts(root: ET.Element, cls: str) -> list[str]:
    return [e.text or "" for e in by_class(root, cls)]


def attrs(element: ET.Element, *names: str) -> tuple[str | None, ...]:
    return tuple(element.get(name) for name in names)


# --------------------------------------------------------------------------- chart factories
# One small valid chart of every kind, with ``label`` in a user-visible text, so that the
# cross-cutting rules (shell, escaping, CSP, colours, determinism) are checked for each.


def make_line(cid: str = "line-1", label: str = "実績値", title: str = "推移") -> str:
    return line_chart(
        chart_id=cid,
        title=title,
        desc="説明",
        x_labels=["2021", "2022", "2023", "2024"],
        series=[LineSeries(label, [10, 20, None, 40]), LineSeries("比較", [15, 25, 30, 35])],
        unit="%",
        reference_lines=[ReferenceLine("基準値", 10, "baseline"), ReferenceLine("目標値", 50)],
    )


def make_bar(cid: str = "bar-1", label: str = "A", title: str = "棒") -> str:
    return bar_chart(
        chart_id=cid, title=title, desc="説明", categories=[label, "B"], values=[50, -25], unit="人"
    )


def make_vbar(cid: str = "vbar-1", label: str = "A", title: str = "縦棒") -> str:
    return bar_chart(
        chart_id=cid,
        title=title,
        desc="説明",
        categories=[label, "B"],
        values=[4, 8],
        unit="件",
        horizontal=False,
    )


def make_stacked(cid: str = "stack-1", label: str = "A", title: str = "積み上げ") -> str:
    return stacked_bar_chart(
        chart_id=cid,
        title=title,
        desc="説明",
        categories=["X"],
        segments=[StackSegment(label, [30], "solid"), StackSegment("B", [10], "diagonal")],
        unit="施策",
    )


def make_scatter(cid: str = "scatter-1", label: str = "A", title: str = "散布図") -> str:
    return scatter_chart(
        chart_id=cid,
        title=title,
        desc="説明",
        points=[ScatterPoint(label, 2, 8), ScatterPoint("B", 8, 2)],
        x_label="満足度",
        y_label="重要度",
        x_split=5,
        y_split=5,
        quadrant_labels=["重点改善", "重点維持", "改善", "維持"],
        x_min=0,
        x_max=10,
        y_min=0,
        y_max=10,
    )


def make_pyramid(cid: str = "pyramid-1", label: str = "男性", title: str = "人口") -> str:
    return pyramid_chart(
        chart_id=cid,
        title=title,
        desc="説明",
        age_groups=["0-14", "15-64", "65+"],
        male=[10, 30, 20],
        female=[12, 28, 25],
        unit="人",
        male_label=label,
    )


def make_gantt(cid: str = "gantt-1", label: str = "A", title: str = "日程") -> str:
    return gantt_chart(
        chart_id=cid,
        title=title,
        desc="説明",
        rows=[
            GanttRow(label, date(2025, 4, 1), date(2025, 6, 30), "完了"),
            GanttRow("B", date(2025, 7, 1), date(2025, 9, 30), "実施中", late=True),
        ],
        today=date(2025, 10, 1),
        start=date(2025, 4, 1),
        end=date(2026, 3, 31),
    )


def make_network(cid: str = "network-1", label: str = "子育て", title: str = "共起") -> str:
    return network_chart(
        chart_id=cid,
        title=title,
        desc="説明",
        nodes=[
            NetworkNode("a", label, 0, 0, 4),
            NetworkNode("b", "支援", 10, 0, 1),
            NetworkNode("c", "公園", 0, 5, 1),
        ],
        edges=[NetworkEdge("a", "b", 1), NetworkEdge("a", "c", 3)],
    )


FACTORIES: dict[str, Callable[..., str]] = {
    "line": make_line,
    "bar": make_bar,
    "vbar": make_vbar,
    "stacked": make_stacked,
    "scatter": make_scatter,
    "pyramid": make_pyramid,
    "gantt": make_gantt,
    "network": make_network,
}

EMPTY: dict[str, Callable[[], str]] = {
    "line": lambda: line_chart(chart_id="e", title="t", desc="d", x_labels=[], series=[], unit=""),
    "line-all-none": lambda: line_chart(
        chart_id="e",
        title="t",
        desc="d",
        x_labels=["a", "b"],
        series=[LineSeries("s", [None, None])],
        unit="",
    ),
    "bar": lambda: bar_chart(chart_id="e", title="t", desc="d", categories=[], values=[], unit=""),
    "stacked": lambda: stacked_bar_chart(
        chart_id="e", title="t", desc="d", categories=["a"], segments=[]
    ),
    "scatter": lambda: scatter_chart(
        chart_id="e",
        title="t",
        desc="d",
        points=[],
        x_label="x",
        y_label="y",
        x_split=0,
        y_split=0,
        quadrant_labels=["1", "2", "3", "4"],
    ),
    "pyramid": lambda: pyramid_chart(
        chart_id="e", title="t", desc="d", age_groups=[], male=[], female=[], unit=""
    ),
    "gantt": lambda: gantt_chart(
        chart_id="e",
        title="t",
        desc="d",
        rows=[],
        today=None,
        start=date(2025, 4, 1),
        end=date(2026, 3, 31),
    ),
    "network": lambda: network_chart(chart_id="e", title="t", desc="d", nodes=[], edges=[]),
}

NUMERIC_ATTRIBUTES = {
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "width",
    "height",
    "font-size",
    "stroke-width",
}


# --------------------------------------------------------------------------- shared rules


@pytest.mark.parametrize("kind", sorted(FACTORIES))
def test_every_chart_has_the_accessible_shell(kind: str) -> None:
    svg = FACTORIES[kind](cid="chart-x", title="題名")
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-x-title chart-x-desc"
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 640 ")
    assert root.get("font-family") == "'Noto Sans CJK JP', 'Noto Sans JP', sans-serif"
    title, desc = root[0], root[1]
    assert (title.tag, title.get("id"), title.text) == (f"{SVG}title", "chart-x-title", "題名")
    assert (desc.tag, desc.get("id"), desc.text) == (f"{SVG}desc", "chart-x-desc", "説明")


@pytest.mark.parametrize("kind", sorted(FACTORIES))
def test_every_chart_escapes_text(kind: str) -> None:
    svg = FACTORIES[kind](label=NASTY, title=NASTY)
    assert "<script" not in svg
    assert "&lt;script&gt;&amp;&quot;" in svg
    root = parse(svg)
    assert root[0].text == NASTY
    assert any(e.text == NASTY for e in root.iter() if e.tag == f"{SVG}text")


@pytest.mark.parametrize("kind", sorted(FACTORIES))
def test_every_chart_obeys_csp_and_has_no_external_reference(kind: str) -> None:
    svg = FACTORIES[kind]()
    assert "style=" not in svg
    assert "<script" not in svg
    assert "href" not in svg
    assert svg.count("http") == 1  # the xmlns only
    assert "<style" not in svg


@pytest.mark.parametrize("kind", sorted(FACTORIES))
def test_every_chart_is_deterministic(kind: str) -> None:
    assert FACTORIES[kind]() == FACTORIES[kind]()


@pytest.mark.parametrize("kind", sorted(FACTORIES))
def test_coordinates_have_at_most_two_decimals_and_fonts_are_at_least_12(kind: str) -> None:
    root = parse(FACTORIES[kind]())
    seen = 0
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in NUMERIC_ATTRIBUTES and value != "100%":
                assert re.fullmatch(r"-?\d+(\.\d{1,2})?", value), (name, value)
                seen += 1
            if name in ("points", "d"):
                for number in re.findall(r"-?\d+(?:\.\d+)?", value):
                    assert re.fullmatch(r"-?\d+(\.\d{1,2})?", number), (name, number)
        if element.get("font-size") is not None:
            assert float(element.get("font-size", "0")) >= 12
    assert seen > 10


@pytest.mark.parametrize("kind", sorted(FACTORIES))
def test_colours_are_design_tokens_and_ids_are_scoped(kind: str) -> None:
    cid = "scoped-7"
    root = parse(FACTORIES[kind](cid=cid))
    for element in root.iter():
        for name in ("fill", "stroke"):
            value = element.get(name)
            if value is None or value == "none":
                continue
            if value.startswith("url("):
                assert re.fullmatch(rf"url\(#{cid}-[A-Za-z0-9_-]+\)", value)
            else:
                assert value in TOKEN_COLOURS, value
        if element.get("id") is not None:
            assert element.get("id", "").startswith(f"{cid}-")


@pytest.mark.parametrize("kind", sorted(EMPTY))
def test_empty_input_gives_a_no_data_chart(kind: str) -> None:
    root = parse(EMPTY[kind]())
    assert texts(root, "kk-empty") == ["データがありません"]
    assert root.get("viewBox") == "0 0 640 120"
    assert root.get("aria-labelledby") == "e-title e-desc"


@pytest.mark.parametrize("bad", ["", "1abc", "a b", "a<b", 'x"', "ｱ", "a" * 65])
def test_chart_id_must_be_slug_safe(bad: str) -> None:
    with pytest.raises(ValueError, match="グラフID「.*」は使えません。英字で始まり"):
        make_bar(cid=bad)


def test_two_charts_on_one_page_have_distinct_ids() -> None:
    first, second = parse(make_stacked(cid="one")), parse(make_stacked(cid="two"))
    ids_1 = {e.get("id") for e in first.iter() if e.get("id")}
    ids_2 = {e.get("id") for e in second.iter() if e.get("id")}
    assert ids_1 == {"one-title", "one-desc", "one-seg1"}
    assert ids_1.isdisjoint(ids_2)


# --------------------------------------------------------------------------- primitives


def test_fmt_rounds_to_two_decimals_and_never_writes_minus_zero() -> None:
    assert [fmt(v) for v in (226.6666, 40.0, 0.005, -0.001, 1 / 3, 119.99999)] == [
        "226.67",
        "40",
        "0.01",  # 0.005 is 0.005000000000000000104… in binary: rounds up
        "0",
        "0.33",
        "120",
    ]


def test_format_number_uses_thousands_separators() -> None:
    assert format_number(1234567.891) == "1,234,567.89"
    assert format_number(12000) == "12,000"
    assert format_number(-0.001) == "0"
    assert format_number(2.5, 0) == "2"  # round half to even
    assert format_ticks((0.0, 0.5, 1.0)) == ["0.0", "0.5", "1.0"]
    assert format_ticks((0.0, 2000.0, 4000.0), "人") == ["0人", "2,000人", "4,000人"]


def test_escaping_and_invalid_xml_characters() -> None:
    assert esc(NASTY) == "&lt;script&gt;&amp;&quot;"
    assert esc("a\x00b\x1fc\ud800d") == "abcd"


def test_text_width_and_truncation() -> None:
    # full-width characters count 1 em, others 0.6 em: 「市民」 = 2 × 12, 「ab」 = 2 × 7.2
    assert text_width("市民", 12) == 24
    assert text_width("ab", 12) == pytest.approx(14.4)
    # 「あいうえお」 is 60 wide; with 「…」 (1 em) the longest prefix within 40 is 「あい」
    assert truncate("あいうえお", 12, 40) == "あい…"
    assert truncate("あい", 12, 40) == "あい"


def test_spread_keeps_order_and_minimum_gap() -> None:
    # 100 and 105 collide (gap 14): the second moves to 114; 300 is free
    assert spread([105, 100, 300], 14, 0, 400) == [114, 100, 300]
    # crowded at the bottom edge: pushed back up from 200
    assert spread([199, 200], 14, 0, 200) == [186, 200]


# --------------------------------------------------------------------------- nice_ticks


@pytest.mark.parametrize(
    ("lo", "hi", "max_ticks", "expected"),
    [
        # span 100 / 6 = 16.7 → steps 10 (10 intervals) too many, 20 (5 intervals) fits
        (0, 100, 6, (0, 20, 40, 60, 80, 100)),
        # step 10: floor(-2.5) = -3 … ceil(5) = 5 → 8 intervals; step 20: -2 … 3 → 5
        (-25, 50, 6, (-40, -20, 0, 20, 40, 60)),
        # step 0.2: 0 … 5 → 5 intervals
        (0, 1, 6, (0, 0.2, 0.4, 0.6, 0.8, 1.0)),
        # exact decimals, not 0.30000000000000004
        (0.1, 0.3, 2, (0.1, 0.2, 0.3)),
        # 10 … 40: step 5 gives 2 … 8 = 6 intervals (7 ticks = max_ticks + 1)
        (10, 40, 6, (10, 15, 20, 25, 30, 35, 40)),
        # 12,000 / 6 = 2,000
        (0, 12000, 6, (0, 2000, 4000, 6000, 8000, 10000, 12000)),
        # lo == hi widens by 10 % of |5| to [4.5, 5.5]; step 0.2: 22 … 28
        (5, 5, 6, (4.4, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6)),
        # 0 == 0 widens to [0, 1]
        (0, 0, 6, (0, 0.2, 0.4, 0.6, 0.8, 1.0)),
        # reversed bounds are swapped: [1, 3], step 0.5
        (3, 1, 6, (1, 1.5, 2, 2.5, 3)),
        # fewer ticks: 0 … 30 with at most 4 intervals → step 10
        (0, 30, 4, (0, 10, 20, 30)),
        (-7, -3, 6, (-7, -6, -5, -4, -3)),
    ],
)
def test_nice_ticks_examples(
    lo: float, hi: float, max_ticks: int, expected: tuple[float, ...]
) -> None:
    assert nice_ticks(lo, hi, max_ticks) == tuple(float(v) for v in expected)


def test_nice_ticks_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match="max_ticks は 2 以上"):
        nice_ticks(-1, 1, 1)
    with pytest.raises(ValueError, match="数値ではありません"):
        nice_ticks(0, math.nan)
    with pytest.raises(ValueError, match="数値ではありません"):
        nice_ticks(-math.inf, 1)


bounded = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda v: round(v, 6))


@given(lo=bounded, hi=bounded, max_ticks=st.integers(min_value=2, max_value=10))
def test_nice_ticks_properties(lo: float, hi: float, max_ticks: int) -> None:
    ticks = nice_ticks(lo, hi, max_ticks)
    assert 2 <= len(ticks) <= max_ticks + 1
    assert ticks[0] <= min(lo, hi)
    assert ticks[-1] >= max(lo, hi)
    step = ticks[1] - ticks[0]
    assert step > 0
    for a, b in zip(ticks, ticks[1:], strict=False):
        assert math.isclose(b - a, step, rel_tol=1e-5)
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m, rel_tol=1e-5) for m in (1, 2, 5, 10))


# --------------------------------------------------------------------------- line chart

# Layout: plot x 72 … 480 (width 408), y 320 (bottom) … 40 (top).
# make_line: data 10 … 40 and reference lines 10, 50 → ticks 10, 20, 30, 40, 50;
# y(v) = 320 − (v − 10) × 280 / 40 = 320 − 7 (v − 10).
# 4 x labels → bands of 408 / 4 = 102; centres 72 + 51 = 123, 225, 327, 429.


def test_line_chart_coordinates_gaps_and_markers() -> None:
    root = parse(make_line())
    series = by_class(root, "kk-series")
    assert len(series) == 2
    first_lines = by_class(series[0], "kk-line")
    # [10, 20, None, 40]: one polyline over the first two points; 40 is isolated
    # y(10) = 320, y(20) = 320 − 70 = 250, y(40) = 320 − 210 = 110
    assert [p.get("points") for p in first_lines] == ["123,320 225,250"]
    assert [attrs(m, "cx", "cy", "r") for m in by_class(series[0], "kk-marker")] == [
        ("123", "320", "4"),
        ("225", "250", "4"),
        ("429", "110", "4"),  # the isolated point keeps its marker
    ]
    # second series: no gap, dashed "8 4", square markers (half side 4 × 0.9 = 3.6)
    (second_line,) = by_class(series[1], "kk-line")
    # y(15) = 285, y(25) = 215, y(30) = 180, y(35) = 145
    assert second_line.get("points") == "123,285 225,215 327,180 429,145"
    assert second_line.get("stroke-dasharray") == "8 4"
    assert second_line.get("stroke") == "#c74700"
    first_square = by_class(series[1], "kk-marker")[0]
    assert first_square.tag == f"{SVG}rect"
    assert attrs(first_square, "x", "y", "width") == ("119.4", "281.4", "7.2")


def test_line_chart_gap_breaks_the_polyline_in_two() -> None:
    root = parse(
        line_chart(
            chart_id="gap",
            title="t",
            desc="d",
            x_labels=["a", "b", "c", "d", "e"],
            series=[LineSeries("s", [1, 2, None, 3, 4])],
            unit="",
        )
    )
    lines = by_class(root, "kk-line")
    assert len(lines) == 2
    assert [len((p.get("points") or "").split()) for p in lines] == [2, 2]
    assert len(by_class(root, "kk-marker")) == 4


def test_line_chart_nan_is_a_gap_and_isolated_points_have_markers() -> None:
    root = parse(
        line_chart(
            chart_id="iso",
            title="t",
            desc="d",
            x_labels=["a", "b", "c", "d"],
            series=[LineSeries("s", [1, math.nan, 3, None])],
            unit="",
        )
    )
    assert by_class(root, "kk-line") == []
    assert len(by_class(root, "kk-marker")) == 2


def test_line_chart_reference_lines_and_labels() -> None:
    root = parse(make_line())
    baseline_line, target_line = by_class(root, "kk-ref")
    # baseline 10 at y = 320, dotted; target 50 at y = 320 − 280 = 40, dashed; both run
    # from the plot's left edge to 4 past its right edge (480 + 4 = 484)
    assert attrs(baseline_line, "x1", "y1", "x2", "y2", "stroke-dasharray") == (
        "72",
        "320",
        "484",
        "320",
        "3 3",
    )
    assert attrs(target_line, "y1", "stroke-dasharray", "stroke") == ("40", "8 4", "#1a1a1c")
    # labels at x = 480 + 8; baseline y = centre + round(12 × 0.35) = centre + 4
    refs = by_class(root, "kk-direct-ref")
    assert [(e.text, e.get("x"), e.get("y")) for e in refs] == [
        ("基準値 10", "488", "324"),
        ("目標値 50", "488", "44"),
    ]
    # series labels at x = 480 + 34, centred on their last point: 40 → y 110, 35 → y 145
    series_labels = by_class(root, "kk-direct-series")
    assert [(e.text, e.get("x"), e.get("y")) for e in series_labels] == [
        ("実績値", "514", "114"),
        ("比較", "514", "149"),
    ]


def test_line_chart_ticks_unit_and_x_labels() -> None:
    root = parse(make_line())
    ticks = by_class(root, "kk-tick")
    assert [(e.text, e.get("x"), e.get("y")) for e in ticks] == [
        ("10", "64", "324"),  # y(10) + 4
        ("20", "64", "254"),
        ("30", "64", "184"),
        ("40", "64", "114"),
        ("50", "64", "44"),
    ]
    assert texts(root, "kk-unit") == ["（単位：%）"]
    assert [(e.text, e.get("x"), e.get("y")) for e in by_class(root, "kk-xlabel")] == [
        ("2021", "123", "340"),
        ("2022", "225", "340"),
        ("2023", "327", "340"),
        ("2024", "429", "340"),
    ]


def test_line_chart_thousands_separators_and_y_min() -> None:
    root = parse(
        line_chart(
            chart_id="big",
            title="t",
            desc="d",
            x_labels=["a", "b"],
            series=[LineSeries("s", [5000, 12000])],
            unit="人",
            y_min=0,
        )
    )
    # y_min = 0 widens 5,000 … 12,000 to 0 … 12,000 → step 2,000
    assert texts(root, "kk-tick") == ["0", "2,000", "4,000", "6,000", "8,000", "10,000", "12,000"]


def test_line_chart_thins_crowded_x_labels() -> None:
    labels = [f"{year}年度" for year in range(2000, 2040)]
    root = parse(
        line_chart(
            chart_id="many",
            title="t",
            desc="d",
            x_labels=labels,
            series=[LineSeries("s", list(range(40)))],
            unit="",
        )
    )
    # band 408 / 40 = 10.2; 「2000年度」 is 4 × 7.2 + 2 × 12 = 52.8 wide; (52.8 + 8) / 10.2
    # = 5.96 → every 6th label
    assert texts(root, "kk-xlabel") == labels[::6]


def test_line_chart_direct_labels_do_not_collide() -> None:
    root = parse(
        line_chart(
            chart_id="close",
            title="t",
            desc="d",
            x_labels=["a", "b"],
            series=[LineSeries("s1", [0, 100]), LineSeries("s2", [0, 99])],
            unit="",
        )
    )
    # ticks 0 … 100; y(100) = 40, y(99) = 320 − 0.99 × 280 = 42.8 → pushed to 40 + 14 = 54
    ys = [e.get("y") for e in by_class(root, "kk-direct-series")]
    assert ys == ["44", "58"]


def test_line_chart_length_mismatch_is_reported() -> None:
    with pytest.raises(
        ValueError,
        match="系列「s」 の値が 1 個ありますが、横軸の項目 は 2 個です。数をそろえてください。",
    ):
        line_chart(
            chart_id="x",
            title="t",
            desc="d",
            x_labels=["a", "b"],
            series=[LineSeries("s", [1])],
            unit="",
        )


@given(
    values=st.lists(
        st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)),
        min_size=1,
        max_size=30,
    )
)
def test_line_chart_runs_and_markers_property(values: list[float | None]) -> None:
    svg = line_chart(
        chart_id="prop",
        title="t",
        desc="d",
        x_labels=[str(i) for i in range(len(values))],
        series=[LineSeries("s", values)],
        unit="",
    )
    root = parse(svg)
    present = [v is not None for v in values]
    if not any(present):
        assert texts(root, "kk-empty") == ["データがありません"]
        return
    runs = "".join("x" if p else " " for p in present).split()
    assert len(by_class(root, "kk-line")) == sum(1 for run in runs if len(run) >= 2)
    assert len(by_class(root, "kk-marker")) == sum(present)


# --------------------------------------------------------------------------- bar charts

# Horizontal layout: label area max(estimated width + 16, 80) = 80 for 「A」; rows of 32
# from y = 32, bars 20 thick (row top + 6), value scale ends 64 before the right edge.


def test_bar_chart_positive_and_negative_bars() -> None:
    root = parse(make_bar())
    # ticks for [-25, 50]: -40 … 60 (step 20). Negative values → the scale starts after a
    # 64 gap: 80 + 64 = 144 … 640 − 64 = 576 → 432 / 100 = 4.32 per unit;
    # zero at 144 + 40 × 4.32 = 316.8; 50 → 316.8 + 216 = 532.8; −25 → 316.8 − 108 = 208.8
    bar_a, bar_b = by_class(root, "kk-bar")
    assert attrs(bar_a, "x", "y", "width", "height", "fill") == (
        "316.8",
        "38",
        "216",
        "20",
        "#0017c1",
    )
    assert attrs(bar_b, "x", "y", "width", "height", "fill") == (
        "208.8",
        "70",
        "108",
        "20",
        "#c74700",
    )
    # value labels: right of the positive end (532.8 + 4), left of the negative end
    # (208.8 − 4, anchored at its end); baselines row centre + 4: 48 + 4, 80 + 4
    values = by_class(root, "kk-value")
    assert [attrs(e, "x", "y", "text-anchor") for e in values] == [
        ("536.8", "52", None),
        ("204.8", "84", "end"),
    ]
    assert [e.text for e in values] == ["50.0", "-25.0"]
    assert texts(root, "kk-category") == ["A", "B"]
    assert texts(root, "kk-tick") == ["-40", "-20", "0", "20", "40", "60"]
    # height 32 + 2 × 32 + 32
    assert root.get("viewBox") == "0 0 640 128"


def test_bar_chart_all_positive_uses_value_format_and_none() -> None:
    root = parse(
        bar_chart(
            chart_id="pos",
            title="t",
            desc="d",
            categories=["A", "B", "C"],
            values=[3, 7.5, None],
            unit="%",
            value_format="{:.2f}%",
        )
    )
    # ticks 0 … 8 (step 2); scale 80 … 576 → 496 / 8 = 62 per unit: 3 → 186, 7.5 → 465
    assert [attrs(b, "x", "width") for b in by_class(root, "kk-bar")] == [
        ("80", "186"),
        ("80", "465"),
    ]
    assert [(e.text, e.get("x")) for e in by_class(root, "kk-value")] == [
        ("3.00%", "270"),  # 80 + 186 + 4
        ("7.50%", "549"),  # 80 + 465 + 4
        ("値なし", "84"),  # at zero + 4, no bar
    ]


def test_vertical_bar_chart() -> None:
    root = parse(make_vbar())
    # ticks 0 … 8 (step 2); y from 312 (= 360 − 48) up to 40 → 272 / 8 = 34 per unit.
    # bands 552 / 2 = 276 from x = 72; bar width min(276 × 0.6, 48) = 48;
    # A centre 72 + 138 = 210 → x 186, height 4 × 34 = 136, top 312 − 136 = 176;
    # B centre 72 + 414 = 486 → x 462, height 272, top 40
    assert [attrs(b, "x", "y", "width", "height") for b in by_class(root, "kk-bar")] == [
        ("186", "176", "48", "136"),
        ("462", "40", "48", "272"),
    ]
    assert [(e.text, e.get("x"), e.get("y")) for e in by_class(root, "kk-value")] == [
        ("4.0", "210", "170"),  # bar top − 6
        ("8.0", "486", "34"),
    ]
    assert root.get("viewBox") == "0 0 640 360"


def test_bar_chart_bad_value_format_is_explained() -> None:
    with pytest.raises(ValueError, match="value_format「{:d}」で値 1.5 を書式化できません"):
        bar_chart(
            chart_id="f",
            title="t",
            desc="d",
            categories=["A"],
            values=[1.5],
            unit="",
            value_format="{:d}",
        )


def test_stacked_bar_chart_counts() -> None:
    root = parse(make_stacked(cid="stk"))
    # legend: one row → bottom 8 + 20 = 28; plot top 28 + 24 = 52.
    # total 40 → ticks 0 … 40 (step 10); scale 80 … 640 − 56 = 584 → 504 / 40 = 12.6 per unit
    seg_a, seg_b = by_class(root, "kk-segment")
    assert attrs(seg_a, "x", "y", "width", "height", "fill") == ("80", "58", "378", "20", "#0017c1")
    assert attrs(seg_b, "x", "width", "fill") == ("458", "126", "url(#stk-seg1)")
    (pattern,) = [e for e in root.iter() if e.tag == f"{SVG}pattern"]
    assert attrs(pattern, "id", "width", "height", "patternUnits") == (
        "stk-seg1",
        "8",
        "8",
        "userSpaceOnUse",
    )
    # segment values inside the segments; the total after the bar at 584 + 4, y 52 + 16 + 4
    assert texts(root, "kk-chip-label") == ["30", "10"]
    (total,) = by_class(root, "kk-total")
    assert (total.text, total.get("x"), total.get("y")) == ("40", "588", "72")
    assert [e.get("fill") for e in by_class(root, "kk-swatch")] == ["#0017c1", "url(#stk-seg1)"]
    assert texts(root, "kk-legend") == ["A", "B"]
    assert texts(root, "kk-unit") == ["（単位：施策）"]
    assert root.get("viewBox") == "0 0 640 116"  # 52 + 32 + 32


def test_stacked_bar_chart_percent() -> None:
    root = parse(
        stacked_bar_chart(
            chart_id="pct",
            title="t",
            desc="d",
            categories=["P", "Q", "R"],
            segments=[
                StackSegment("そう思う", [1, 0, 0], "solid"),
                StackSegment("そう思わない", [3, 2, None], "dots", "#EC0000"),
            ],
            percent=True,
        )
    )
    # shares: P 25 % / 75 %, Q 0 % / 100 %, R has no answers. 504 / 100 = 5.04 per %
    assert [attrs(e, "x", "width") for e in by_class(root, "kk-segment")] == [
        ("80", "126"),
        ("206", "378"),
        ("80", "504"),
    ]
    assert texts(root, "kk-chip-label") == ["25%", "75%", "100%"]
    assert texts(root, "kk-tick") == ["0%", "20%", "40%", "60%", "80%", "100%"]
    assert texts(root, "kk-value") == ["データなし"]
    assert by_class(root, "kk-total") == []
    (pattern,) = [e for e in root.iter() if e.tag == f"{SVG}pattern"]
    assert pattern[0].get("fill") == "#ec0000"


def test_stacked_bar_chart_refuses_negative_values_and_foreign_colours() -> None:
    with pytest.raises(ValueError, match="区分「A」 の「X」の値 -1.0 は負です"):
        stacked_bar_chart(
            chart_id="n", title="t", desc="d", categories=["X"], segments=[StackSegment("A", [-1])]
        )
    with pytest.raises(
        ValueError, match="区分「A」 の色「#123456」はデザイントークンの色ではありません"
    ):
        stacked_bar_chart(
            chart_id="n",
            title="t",
            desc="d",
            categories=["X"],
            segments=[StackSegment("A", [1], colour="#123456")],
        )


# --------------------------------------------------------------------------- scatter

# Plot x 64 … 616 (552), y 424 … 40 (384). make_scatter forces both axes to 0 … 10
# (step 2): x(v) = 64 + 55.2 v, y(v) = 424 − 38.4 v.


def test_scatter_chart_points_labels_and_quadrants() -> None:
    root = parse(make_scatter())
    points = by_class(root, "kk-point")
    # A (2, 8) → (174.4, 116.8); B (8, 2) → (505.6, 347.2)
    assert [attrs(p, "cx", "cy", "r") for p in points] == [
        ("174.4", "116.8", "5"),
        ("505.6", "347.2", "5"),
    ]
    # labels 5 + 3 to the right, baseline centre + 4
    assert [(e.text, e.get("x"), e.get("y")) for e in by_class(root, "kk-point-label")] == [
        ("A", "182.4", "120.8"),
        ("B", "513.6", "351.2"),
    ]
    vertical, horizontal = by_class(root, "kk-split")
    assert attrs(vertical, "x1", "y1", "x2", "y2") == ("340", "40", "340", "424")  # x(5)
    assert attrs(horizontal, "x1", "y1", "x2", "y2") == ("64", "232", "616", "232")  # y(5)
    quadrants = by_class(root, "kk-quadrant")
    assert [(e.text, e.get("x"), e.get("y"), e.get("text-anchor")) for e in quadrants] == [
        ("重点改善", "70", "56", None),
        ("重点維持", "610", "56", "end"),
        ("改善", "70", "416", None),
        ("維持", "610", "416", "end"),
    ]
    assert texts(root, "kk-axis-label") == ["重要度", "満足度"]
    assert texts(root, "kk-tick")[:6] == ["0", "2", "4", "6", "8", "10"]


def test_scatter_chart_nudges_colliding_labels() -> None:
    root = parse(
        scatter_chart(
            chart_id="nudge",
            title="t",
            desc="d",
            points=[ScatterPoint("P", 5, 5), ScatterPoint("Q", 5, 5), ScatterPoint("R", 5, 5)],
            x_label="x",
            y_label="y",
            x_split=5,
            y_split=5,
            quadrant_labels=["", "", "", ""],
            x_min=0,
            x_max=10,
            y_min=0,
            y_max=10,
        )
    )
    # all at (340, 232); P stays (baseline 236); Q: +14 is free → 250; R: +14 taken,
    # −14 free → 222. Nudged labels get a leader line from the point to the label's side.
    labels = by_class(root, "kk-point-label")
    assert [(e.text, e.get("x"), e.get("y")) for e in labels] == [
        ("P", "348", "236"),
        ("Q", "348", "250"),
        ("R", "348", "222"),
    ]
    leaders = by_class(root, "kk-leader")
    assert [attrs(e, "x1", "y1", "x2", "y2") for e in leaders] == [
        ("340", "232", "346", "246"),
        ("340", "232", "346", "218"),
    ]


def test_scatter_chart_puts_labels_left_near_the_right_edge() -> None:
    root = parse(
        scatter_chart(
            chart_id="edge",
            title="t",
            desc="d",
            points=[ScatterPoint("右端の施策名", 10, 5)],
            x_label="x",
            y_label="y",
            x_split=5,
            y_split=5,
            quadrant_labels=["a", "b", "c", "d"],
            x_min=0,
            y_min=0,
            y_max=10,
        )
    )
    # the point is at x = 616; 616 + 8 + 72 > 636 → anchored at its end, 8 left of the point
    (label,) = by_class(root, "kk-point-label")
    assert attrs(label, "x", "text-anchor") == ("608", "end")


def test_scatter_chart_needs_four_quadrant_labels() -> None:
    with pytest.raises(ValueError, match="quadrant_labels は 4 つ"):
        scatter_chart(
            chart_id="q",
            title="t",
            desc="d",
            points=[],
            x_label="x",
            y_label="y",
            x_split=0,
            y_split=0,
            quadrant_labels=["a"],
        )


# --------------------------------------------------------------------------- pyramid

# Male zero at 288 growing left to 16, female zero at 352 growing right to 624 (272 each);
# rows of 18 from y = 64, youngest at the bottom; bars 14 high (row top + 2).
# make_pyramid: max 30 → ticks 0, 10, 20, 30 (max 4 intervals) → 272 / 30 per unit.


def test_pyramid_chart_bars() -> None:
    root = parse(make_pyramid())
    male = by_class(root, "kk-male")
    female = by_class(root, "kk-female")
    # 0-14 (bottom row, top 64 + 2 × 18 = 100): male 10 → 90.67 wide, x 288 − 90.67 = 197.33
    # 15-64 (top 82): male 30 → 272 wide, x 16;  65+ (top 64): male 20 → 181.33, x 106.67
    assert [attrs(e, "x", "y", "width", "height") for e in male] == [
        ("197.33", "102", "90.67", "14"),
        ("16", "84", "272", "14"),
        ("106.67", "66", "181.33", "14"),
    ]
    # female 12 → 108.8, 28 → 253.87, 25 → 226.67, all from x = 352
    assert [attrs(e, "x", "y", "width") for e in female] == [
        ("352", "102", "108.8"),
        ("352", "84", "253.87"),
        ("352", "66", "226.67"),
    ]
    # age labels in the middle (x 320), baselines row centre + 4
    assert [(e.text, e.get("x"), e.get("y")) for e in by_class(root, "kk-age")] == [
        ("0-14", "320", "113"),
        ("15-64", "320", "95"),
        ("65+", "320", "77"),
    ]
    # symmetric scale: the same tick labels under both halves
    assert texts(root, "kk-tick") == ["0", "0", "10", "10", "20", "20", "30", "30"]
    assert [e.get("x") for e in by_class(root, "kk-tick")][-2:] == ["16", "624"]
    assert texts(root, "kk-heading") == ["男性", "女性"]
    assert by_class(root, "kk-outline") == []
    assert root.get("viewBox") == "0 0 640 150"  # 64 + 3 × 18 + 32


def test_pyramid_chart_with_comparison_outlines() -> None:
    root = parse(
        pyramid_chart(
            chart_id="cmp",
            title="t",
            desc="d",
            age_groups=["0-14", "15-64", "65+"],
            male=[10, 30, 20],
            female=[12, 28, 25],
            unit="人",
            comparison=PyramidComparison("2045年", [5, None, 40], [6, 20, 30]),
            main_label="2020年",
        )
    )
    # max 40 now → ticks 0 … 40 (step 10) → 272 / 40 = 6.8 per unit
    outlines = by_class(root, "kk-outline")
    assert [attrs(e, "x", "y", "width", "fill", "stroke") for e in outlines] == [
        ("254", "102", "34", "none", "#1a1a1c"),  # male 5: 288 − 34
        ("352", "102", "40.8", "none", "#1a1a1c"),  # female 6
        ("352", "84", "136", "none", "#1a1a1c"),  # female 20; male None → no outline
        ("16", "66", "272", "none", "#1a1a1c"),  # male 40
        ("352", "66", "204", "none", "#1a1a1c"),  # female 30
    ]
    assert texts(root, "kk-legend") == ["2020年", "2045年"]


def test_pyramid_chart_refuses_negative_values() -> None:
    with pytest.raises(ValueError, match="男性 の「0-14」の値 -1.0 は負です"):
        pyramid_chart(
            chart_id="neg", title="t", desc="d", age_groups=["0-14"], male=[-1], female=[1], unit=""
        )


# --------------------------------------------------------------------------- gantt

# make_gantt: window 2025-04-01 … 2026-03-31 = 365 days; label area 96 (minimum), timeline
# 96 … 576 (480) → 480 / 365 per day; rows of 28 from y = 80, bars 14 high.


def test_gantt_chart_bars_today_and_late_marker() -> None:
    root = parse(make_gantt(cid="g"))
    bar_a, bar_b = by_class(root, "kk-bar")
    # A: 04-01 … 06-30 = 91 days → 91 × 480 / 365 = 119.67; centre 80 + 14 = 94 → y 87
    assert attrs(bar_a, "x", "y", "width", "height", "fill") == (
        "96",
        "87",
        "119.67",
        "14",
        "#0017c1",
    )
    # B starts after 91 days: 96 + 119.67 = 215.67; 92 days → 120.99; late → hatched red
    assert attrs(bar_b, "x", "y", "width", "fill", "stroke") == (
        "215.67",
        "115",
        "120.99",
        "url(#g-late)",
        "#ec0000",
    )
    assert "kk-late" in (bar_b.get("class") or "")
    # today 2025-10-01 is day 183 → 96 + 183 × 480 / 365 = 336.66
    today_line = [e for e in by_class(root, "kk-today") if e.tag == f"{SVG}line"]
    assert [attrs(e, "x1", "y1", "x2", "y2", "stroke") for e in today_line] == [
        ("336.66", "75", "336.66", "136", "#ec0000")
    ]
    assert texts(root, "kk-today-label") == ["今日"]
    # 「遅延」 chip after B's end (336.66 + 6), then the status
    (late,) = by_class(root, "kk-late-label")
    assert late.text == "遅延"
    (chip,) = by_class(root, "kk-late-chip")
    assert attrs(chip, "x", "width") == ("342.66", "32")  # width 2 × 12 + 8
    assert texts(root, "kk-status") == ["完了", "実施中"]
    assert texts(root, "kk-row-label") == ["A", "B"]
    assert root.get("viewBox") == "0 0 640 144"  # 80 + 2 × 28 + 8


def test_gantt_chart_fiscal_calendar_headings() -> None:
    root = parse(make_gantt())
    assert texts(root, "kk-fiscal-year") == ["令和7（2025）年度"]
    assert texts(root, "kk-quarter") == ["4–6月", "7–9月", "10–12月", "1–3月"]
    assert texts(root, "kk-month") == [f"{m}月" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
    # 11 inner month boundaries: 7, 10 and 1 are quarter lines, the other 8 month lines
    assert len(by_class(root, "kk-grid-quarter")) == 3
    assert len(by_class(root, "kk-grid-month")) == 8
    assert by_class(root, "kk-grid-year") == []
    # the 1–3月 heading is centred on 2026-01-01 … 03-31: day 275 … 365
    # (96 + 275 × 480/365 + 576) / 2 = (457.64 + 576) / 2 = 516.82
    assert by_class(root, "kk-quarter")[3].get("x") == "516.82"


def test_gantt_chart_groups_long_windows_and_clipping() -> None:
    root = parse(
        gantt_chart(
            chart_id="long",
            title="t",
            desc="d",
            rows=[
                GanttRow("調査", date(2024, 1, 1), date(2025, 5, 31), "", False, "第1段階"),
                GanttRow("審議", date(2030, 1, 1), date(2030, 2, 1), "", False, "第2段階"),
            ],
            today=date(2031, 1, 1),
            start=date(2025, 1, 1),
            end=date(2027, 12, 31),
        )
    )
    assert texts(root, "kk-group") == ["第1段階", "第2段階"]
    # starts before the window: clipped to x = 96
    (bar,) = by_class(root, "kk-bar")
    assert bar.get("x") == "96"
    assert texts(root, "kk-status") == ["（表示期間外）"]
    assert by_class(root, "kk-today") == []  # today outside the window
    # 4 fiscal years, 2 of them partial: 2024 (Jan–Mar 2025 = 90 days × 480 / 1095 = 39.45
    # wide: only 「2024」 fits), 2025, 2026 and 2027 (Apr–Dec 2027, 275 days = 120.55 wide)
    assert texts(root, "kk-fiscal-year") == [
        "2024",
        "令和7（2025）年度",
        "令和8（2026）年度",
        "令和9（2027）年度",
    ]
    assert len(by_class(root, "kk-grid-year")) == 3  # 2025-04, 2026-04, 2027-04


def test_gantt_chart_refuses_reversed_dates() -> None:
    with pytest.raises(
        ValueError, match="行「A」の終了日 2025-04-01 が開始日 2025-05-01 より前です"
    ):
        gantt_chart(
            chart_id="r",
            title="t",
            desc="d",
            rows=[GanttRow("A", date(2025, 5, 1), date(2025, 4, 1))],
            today=None,
            start=date(2025, 4, 1),
            end=date(2026, 3, 31),
        )
    with pytest.raises(ValueError, match="表示期間の終了日"):
        gantt_chart(
            chart_id="r",
            title="t",
            desc="d",
            rows=[],
            today=None,
            start=date(2026, 4, 1),
            end=date(2025, 3, 31),
        )


# --------------------------------------------------------------------------- network

# Plot 48 … 592 (544) × 48 … 448 (400) without a legend. make_network spans 10 × 5:
# scale min(544 / 10, 400 / 5) = 54.4; height used 5 × 54.4 = 272, centred: top
# 48 + (400 − 272) / 2 = 112.


def test_network_chart_positions_sizes_and_edges() -> None:
    root = parse(make_network())
    nodes = by_class(root, "kk-node")
    # a (0, 0) → (48, 112), size 4 = max → r 20; b (10, 0) → (592, 112), r 20 √(1/4) = 10;
    # c (0, 5) → (48, 112 + 272 = 384), r 10
    assert [attrs(n, "cx", "cy", "r") for n in nodes] == [
        ("48", "112", "20"),
        ("592", "112", "10"),
        ("48", "384", "10"),
    ]
    # edge widths: weights 1 … 3 → 1 … 6
    assert [
        attrs(e, "x1", "y1", "x2", "y2", "stroke-width") for e in by_class(root, "kk-edge")
    ] == [
        ("48", "112", "592", "112", "1"),
        ("48", "112", "48", "384", "6"),
    ]
    # labels r + 3 to the right, baseline centre + 4; no legend (no groups)
    assert [(e.text, e.get("x"), e.get("y")) for e in by_class(root, "kk-node-label")] == [
        ("子育て", "71", "116"),
        ("支援", "605", "116"),
        ("公園", "61", "388"),
    ]
    assert by_class(root, "kk-legend") == []


def test_network_chart_groups_have_colour_and_shape() -> None:
    root = parse(
        network_chart(
            chart_id="grp",
            title="t",
            desc="d",
            nodes=[
                NetworkNode("a", "A", 0, 0, 1, "暮らし"),
                NetworkNode("b", "B", 1, 1, 1, "交通"),
                NetworkNode("c", "C", 2, 0, 1, "暮らし"),
            ],
            edges=[NetworkEdge("a", "a", 5), NetworkEdge("a", "b", 2), NetworkEdge("b", "c", 2)],
        )
    )
    assert texts(root, "kk-legend") == ["暮らし", "交通"]
    shapes = [(n.tag.removeprefix(SVG), n.get("fill")) for n in by_class(root, "kk-node")]
    assert shapes == [("circle", "#0017c1"), ("rect", "#c74700"), ("circle", "#0017c1")]
    # the self-loop is not drawn; equal weights → width 2
    assert [e.get("stroke-width") for e in by_class(root, "kk-edge")] == ["2", "2"]


def test_network_chart_single_node_is_centred() -> None:
    root = parse(
        network_chart(
            chart_id="one", title="t", desc="d", nodes=[NetworkNode("a", "A", 3, 3)], edges=[]
        )
    )
    (node,) = by_class(root, "kk-node")
    assert attrs(node, "cx", "cy", "r") == ("320", "248", "20")  # (48+592)/2, (48+448)/2


def test_network_chart_reports_unknown_and_duplicate_nodes() -> None:
    with pytest.raises(ValueError, match="辺 a–z のノード「z」がありません"):
        network_chart(
            chart_id="u",
            title="t",
            desc="d",
            nodes=[NetworkNode("a", "A", 0, 0)],
            edges=[NetworkEdge("a", "z")],
        )
    with pytest.raises(ValueError, match="ノードID「a」が重複しています"):
        network_chart(
            chart_id="u",
            title="t",
            desc="d",
            nodes=[NetworkNode("a", "A", 0, 0), NetworkNode("a", "B", 1, 1)],
            edges=[],
        )


def test_nice_ticks_on_a_subnormal_constant_range_falls_back_to_zero_one():
    # 5e-324 is the smallest subnormal float: 10 % of it underflows to 0.0
    from keikaku.core.domain.charts import nice_ticks as _nice_ticks

    assert _nice_ticks(5e-324, 5e-324) == (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
