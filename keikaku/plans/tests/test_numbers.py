"""The decimals indicator values are shown with (domain.numbers, api.indicator_decimals)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from keikaku.plans import api
from keikaku.plans.domain.numbers import MAX_DECIMALS, common_decimals, decimals_of


def test_decimals_of_each_kind_of_value() -> None:
    assert [
        decimals_of(v)
        for v in (1.2, 1.15, 100.0, 24500, 0.1 + 0.2, "1.20", " 1,234.50 ", Decimal("1.20"))
    ] == [1, 2, 0, 0, 1, 2, 2, 2]
    # blanks, flags, text that is no number, infinities: no decimals
    assert [decimals_of(v) for v in (None, True, "", "abc", float("nan"), Decimal("Inf"))] == [
        0
    ] * 6
    # at most four: 1.23456 is shown as 1.2346
    assert decimals_of(1.23456) == decimals_of("1.23456") == MAX_DECIMALS == 4


def test_an_indicator_shows_every_value_with_its_most_precise_one() -> None:
    indicator = {
        "baseline_value": 1.05,
        "target_value": 1.2,  # entered as 1.20; the float forgot the 0
        "values": [{"value": 1.1}, {"value": None}],
    }
    assert api.indicator_decimals(indicator) == 2
    assert api.indicator_decimals({"baseline_value": 12, "target_value": 0, "values": []}) == 0
    assert api.indicator_decimals({}) == 0
    assert common_decimals([]) == 0


@given(st.integers(min_value=-(10**9), max_value=10**9), st.integers(min_value=0, max_value=4))
def test_a_number_written_with_n_significant_decimals_has_n(units: int, places: int) -> None:
    # units / 10**places, e.g. 1234 with 2 places is 12.34: two decimals unless it ends in 0
    text = f"{Decimal(units).scaleb(-places):f}"
    expected = len(text.partition(".")[2].rstrip("0")) if "." in text else 0
    assert decimals_of(float(text)) == expected
    assert decimals_of(text) == (len(text.partition(".")[2]) if "." in text else 0)


@given(
    st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), max_size=6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)
def test_another_value_never_shows_fewer_decimals(values: list[float], extra: float) -> None:
    found = common_decimals(values)
    assert 0 <= found <= MAX_DECIMALS
    assert common_decimals([*values, extra]) == max(found, decimals_of(extra))
