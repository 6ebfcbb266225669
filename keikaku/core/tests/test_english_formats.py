"""English forms of fiscal years, periods, dates and times (the public site's English mode),
the Japanese forms unchanged, and the label tables translated on lookup. The public pages that use them are tested in
``tests/test_english_public_pages.py`` (core may not import the feature apps).

The English strings are exact; the Japanese ones (golden strings in test_fiscal.py) must not
depend on a Japanese ``lang`` and must read back through the parsers.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from keikaku.core.domain.fiscal import (
    PERIOD_SEPARATOR,
    format_date,
    format_date_en,
    format_datetime,
    format_datetime_en,
    format_fiscal_period,
    format_fiscal_period_en,
    format_fiscal_year,
    format_fiscal_year_axis,
    format_fiscal_year_en,
    format_time,
    format_year,
    is_english,
    parse_date,
    parse_fiscal_period,
    parse_fiscal_year,
    parse_year,
)
from keikaku.core.domain.i18n import TranslatedLabels, gettext_noop

YEAR_STYLES = st.sampled_from(["dual", "era", "gregorian", "short"])
DATE_STYLES = st.sampled_from(["era", "dual", "gregorian", "short", "iso"])
JA_LANGS = st.sampled_from([None, "ja", "", "ja-jp", "de"])
MODERN_YEARS_MAX = 2200
MODERN_YEARS = st.integers(min_value=1868, max_value=MODERN_YEARS_MAX)
MODERN_DAYS = st.dates(min_value=dt.date(1868, 1, 25), max_value=dt.date(2200, 12, 31))


# --------------------------------------------------------------------------- English, exact


def test_english_fiscal_years_periods_and_dates_exact() -> None:
    assert format_fiscal_year_en(2025) == "FY2025"
    assert format_fiscal_year_en(2019) == "FY2019"
    assert format_fiscal_period_en(2025, 2029) == "FY2025\u20132029"  # en dash
    assert format_fiscal_period_en(2025, 2029) == "FY2025–2029"
    assert format_fiscal_period_en(2023, 2023) == "FY2023"
    assert format_date_en(dt.date(2024, 2, 8)) == "8 February 2024"
    assert format_date_en(dt.date(2019, 5, 1)) == "1 May 2019"
    assert format_date_en(dt.date(2025, 12, 31)) == "31 December 2025"
    assert format_datetime_en(dt.datetime(2024, 2, 8, 14, 0)) == "8 February 2024, 14:00"
    assert format_datetime_en(dt.datetime(2024, 5, 31, 9, 5)) == "31 May 2024, 09:05"


def test_lang_parameter_chooses_english_for_every_en_code() -> None:
    for lang in ("en", "en-gb", "en-us", "EN"):
        assert is_english(lang)
        assert format_fiscal_year(2025, lang=lang) == "FY2025"
        assert format_fiscal_year(2025, "era", lang=lang) == "FY2025"
        assert format_fiscal_year(2025, "short", lang=lang) == "FY2025"
        assert format_fiscal_period(2025, 2029, lang=lang) == "FY2025–2029"
        assert format_fiscal_period(2025, 2025, "era", lang=lang) == "FY2025"
        assert format_year(2019, "era", lang=lang) == "2019"
        assert format_date(dt.date(2024, 2, 8), lang=lang) == "8 February 2024"
        assert format_date(dt.date(2024, 2, 8), "dual", lang=lang) == "8 February 2024"
        assert format_date(dt.date(2024, 2, 8), "iso", lang=lang) == "2024-02-08"
        assert format_time(dt.time(14, 0), lang=lang) == "14:00"
        assert (
            format_datetime(dt.datetime(2024, 2, 8, 14, 0), lang=lang) == "8 February 2024, 14:00"
        )
    for lang in (None, "", "ja", "ja-jp", "de"):
        assert not is_english(lang)


def test_japanese_forms_exact() -> None:
    assert format_fiscal_year(2025, lang="ja") == "令和7（2025）年度"
    assert format_fiscal_period(2025, 2029, lang="ja") == "令和7（2025）年度～令和11（2029）年度"
    assert format_date(dt.date(2024, 2, 8), "dual", lang="ja") == "2024年（令和6年）2月8日"
    assert format_time(dt.time(14, 0)) == "14時00分"
    assert format_time(dt.time(9, 5)) == "9時05分"
    assert format_datetime(dt.datetime(2024, 2, 8, 14, 0)) == "2024年（令和6年）2月8日 14時00分"


def test_english_rejects_what_japanese_rejects() -> None:
    with pytest.raises(ValueError, match="表記「long」は使えません"):
        format_fiscal_year(2025, "long", lang="en")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="0年度は扱えません"):
        format_fiscal_year(0, lang="en")
    with pytest.raises(ValueError, match="期間の始まり（2029年度）が終わり（2025年度）より後です"):
        format_fiscal_period(2029, 2025, lang="en")


# --------------------------------------------------------------------------- Japanese unchanged


@settings(max_examples=300, deadline=None)
@given(fy=MODERN_YEARS, style=YEAR_STYLES, lang=JA_LANGS)
def test_japanese_fiscal_years_read_back_and_ignore_a_japanese_lang(
    fy: int, style: str, lang: str | None
) -> None:
    text = format_fiscal_year(fy, style)  # type: ignore[arg-type]
    assert format_fiscal_year(fy, style, lang=lang) == text  # type: ignore[arg-type]
    assert text.endswith("年度") or style == "short"
    if style != "short":  # R7 names no 年度: not a fiscal year to read back
        assert parse_fiscal_year(text) == fy
    year_text = format_year(fy, style, lang=lang)  # type: ignore[arg-type]
    assert year_text == format_year(fy, style)  # type: ignore[arg-type]
    if style != "short":
        assert parse_year(year_text) == fy


@settings(max_examples=300, deadline=None)
@given(start=MODERN_YEARS, length=st.integers(0, 12), style=YEAR_STYLES, lang=JA_LANGS)
def test_japanese_fiscal_periods_read_back(
    start: int, length: int, style: str, lang: str | None
) -> None:
    end = min(start + length, MODERN_YEARS_MAX)
    text = format_fiscal_period(start, end, style)  # type: ignore[arg-type]
    assert format_fiscal_period(start, end, style, lang=lang) == text  # type: ignore[arg-type]
    if style != "short":
        assert parse_fiscal_period(text) == (start, end)
    assert (PERIOD_SEPARATOR in text) == (start != end)


@settings(max_examples=300, deadline=None)
@given(day=MODERN_DAYS, style=DATE_STYLES, lang=JA_LANGS)
def test_japanese_dates_read_back(day: dt.date, style: str, lang: str | None) -> None:
    text = format_date(day, style)  # type: ignore[arg-type]
    assert format_date(day, style, lang=lang) == text  # type: ignore[arg-type]
    if style != "short":
        assert parse_date(text) == day


@settings(max_examples=200, deadline=None)
@given(day=MODERN_DAYS, hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_japanese_datetime_is_the_council_form(day: dt.date, hour: int, minute: int) -> None:
    moment = dt.datetime(day.year, day.month, day.day, hour, minute)
    # the council's form: the dual date, then 「14時05分」
    assert format_datetime(moment) == f"{format_date(day, 'dual')} {hour}時{minute:02d}分"


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=dt.date(1000, 1, 1)), hour=st.integers(0, 23), minute=st.integers(0, 59)
)
def test_english_date_round_trips(day: dt.date, hour: int, minute: int) -> None:
    text = format_datetime_en(dt.datetime(day.year, day.month, day.day, hour, minute))
    assert dt.datetime.strptime(text, "%d %B %Y, %H:%M") == dt.datetime(
        day.year, day.month, day.day, hour, minute
    )


# --------------------------------------------------------------------------- labels tables


def test_translated_labels_translate_on_lookup_not_at_import() -> None:
    labels = TranslatedLabels({1: gettext_noop("満足"), 9: gettext_noop("わからない")})
    assert labels.msgids == {1: "満足", 9: "わからない"}
    with translation.override("ja"):
        assert dict(labels) == {1: "満足", 9: "わからない"}
    with translation.override("en"):
        assert labels[9] == translation.gettext("わからない")
        assert labels.get(9) == translation.gettext("わからない")
        assert dict(labels.items())[9] == translation.gettext("わからない")
    assert len(labels) == 2 and list(labels) == [1, 9]


def test_axis_labels_are_short_eras_in_japanese_and_plain_years_in_english() -> None:
    assert format_fiscal_year_axis(2025) == "R7"
    assert format_fiscal_year_axis(2019, lang="ja") == "R1"
    assert format_fiscal_year_axis(2018, lang="ja") == "H30"
    assert format_fiscal_year_axis(2025, lang="en") == "2025"
    assert format_fiscal_year_axis(2025, lang="en-gb") == "2025"
