"""Fiscal years (年度) and eras (元号): conversion, parsing, rendering."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keikaku.core.domain.fiscal import (
    ERAS,
    HEISEI,
    MEIJI,
    REIWA,
    SHOWA,
    TAISHO,
    EraDate,
    EraError,
    EraParseError,
    EraYear,
    era_by_name,
    era_date,
    era_of,
    fiscal_period_elapsed_share,
    fiscal_quarter_bounds,
    fiscal_quarter_of,
    fiscal_year_bounds,
    fiscal_year_elapsed_share,
    fiscal_year_of,
    fiscal_years_between,
    format_date,
    format_date_dual,
    format_fiscal_period,
    format_fiscal_year,
    format_year,
    gregorian_year,
    parse_date,
    parse_fiscal_period,
    parse_fiscal_year,
    parse_year,
    period_elapsed_share,
    to_era_year,
)

FY_EXAMPLES = "「令和7年度」「R7」「2025年度」「令和7（2025）年度」"
YEAR_EXAMPLES = "「令和7年」「R7」「2025年」「令和7（2025）年」"
DATE_EXAMPLES = "「令和7年4月1日」「R7.4.1」「2025/4/1」「2025-04-01」「2025年4月1日」"
HEISEI_RANGE = "平成は元年（1989年）から31年（2019年）までです。"
HEISEI_PERIOD = "平成は元年（1989年）1月8日から31年（2019年）4月30日までです。"
REIWA_PERIOD = "令和は元年（2019年）5月1日からです。"

# --------------------------------------------------------------------------- era table


def test_eras_are_data_in_order_and_contiguous() -> None:
    assert [e.name for e in ERAS] == ["明治", "大正", "昭和", "平成", "令和"]
    assert [e.abbreviation for e in ERAS] == ["M", "T", "S", "H", "R"]
    assert [e.start for e in ERAS] == [
        date(1868, 1, 25),
        date(1912, 7, 30),
        date(1926, 12, 25),
        date(1989, 1, 8),
        date(2019, 5, 1),
    ]
    for earlier, later in zip(ERAS, ERAS[1:], strict=False):
        assert earlier.end == later.start - timedelta(days=1)
    assert REIWA.end is None


def test_highest_year_of_each_era() -> None:
    # 1912-1868+1 = 45, 1926-1912+1 = 15, 1989-1926+1 = 64, 2019-1989+1 = 31
    assert [e.max_year for e in ERAS[:-1]] == [45, 15, 64, 31]


def test_era_by_name_accepts_name_letter_romaji() -> None:
    assert era_by_name("令和") is REIWA
    assert era_by_name("r") is REIWA
    assert era_by_name("Ｈ") is HEISEI
    assert era_by_name("Showa") is SHOWA
    with pytest.raises(EraError) as exc:
        era_by_name("慶応")
    assert str(exc.value) == (
        "「慶応」という元号はありません。明治・大正・昭和・平成・令和（M・T・S・H・R）のいずれかを使ってください。"
    )


# --------------------------------------------------------------------------- fiscal years


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (date(2025, 3, 31), 2024),
        (date(2025, 4, 1), 2025),
        (date(2025, 12, 31), 2025),
        (date(2026, 1, 1), 2025),
        (date(2026, 3, 31), 2025),
        (date(2026, 4, 1), 2026),
        (date(2019, 4, 30), 2019),
        (date(2019, 5, 1), 2019),
        (date(1989, 1, 7), 1988),
        (date(1989, 1, 8), 1988),
    ],
)
def test_fiscal_year_of(day: date, fy: int) -> None:
    assert fiscal_year_of(day) == fy


def test_fiscal_year_bounds() -> None:
    assert fiscal_year_bounds(2025) == (date(2025, 4, 1), date(2026, 3, 31))
    # FY2023 holds 29 February 2024: 366 days.
    start, end = fiscal_year_bounds(2023)
    assert (end - start).days + 1 == 366


def test_fiscal_year_bounds_out_of_range() -> None:
    with pytest.raises(ValueError) as exc:
        fiscal_year_bounds(9999)
    assert str(exc.value) == "9999年度は扱えません。1年度から9998年度までで指定してください。"


def test_fiscal_years_between() -> None:
    assert fiscal_years_between(2025, 2029) == (2025, 2026, 2027, 2028, 2029)
    assert fiscal_years_between(2025, 2025) == (2025,)
    with pytest.raises(ValueError) as exc:
        fiscal_years_between(2029, 2025)
    assert str(exc.value) == (
        "期間の始まり（2029年度）が終わり（2025年度）より後です。順番を確かめてください。"
    )


@given(st.dates(min_value=date(1, 4, 1), max_value=date(9999, 3, 31)))
def test_fiscal_year_bounds_contain_the_day(day: date) -> None:
    start, end = fiscal_year_bounds(fiscal_year_of(day))
    assert start <= day <= end
    assert (start.month, start.day, end.month, end.day) == (4, 1, 3, 31)
    assert end.year == start.year + 1


def test_fiscal_quarters() -> None:
    assert fiscal_quarter_of(date(2025, 4, 1)) == (2025, 1)
    assert fiscal_quarter_of(date(2025, 6, 30)) == (2025, 1)
    assert fiscal_quarter_of(date(2025, 7, 1)) == (2025, 2)
    assert fiscal_quarter_of(date(2025, 12, 31)) == (2025, 3)
    assert fiscal_quarter_of(date(2026, 3, 31)) == (2025, 4)
    assert fiscal_quarter_bounds(2025, 1) == (date(2025, 4, 1), date(2025, 6, 30))
    assert fiscal_quarter_bounds(2025, 2) == (date(2025, 7, 1), date(2025, 9, 30))
    assert fiscal_quarter_bounds(2025, 3) == (date(2025, 10, 1), date(2025, 12, 31))
    assert fiscal_quarter_bounds(2025, 4) == (date(2026, 1, 1), date(2026, 3, 31))
    with pytest.raises(ValueError) as exc:
        fiscal_quarter_bounds(2025, 5)
    assert str(exc.value) == "第5四半期はありません。四半期は1から4で指定してください。"


@given(st.dates(min_value=date(1900, 4, 1), max_value=date(2100, 3, 31)))
def test_fiscal_quarter_bounds_contain_the_day(day: date) -> None:
    fy, quarter = fiscal_quarter_of(day)
    start, end = fiscal_quarter_bounds(fy, quarter)
    assert start <= day <= end
    assert fy == fiscal_year_of(start) == fiscal_year_of(end)


def test_elapsed_share() -> None:
    # FY2025: 2025-04-01 … 2026-03-31 = 365 days.
    assert fiscal_year_elapsed_share(2025, date(2025, 3, 31)) == 0.0
    assert fiscal_year_elapsed_share(2025, date(2025, 4, 1)) == 1 / 365
    # 2025-09-30 ends day 30+31+30+31+31+30 = 183 of the year.
    assert fiscal_year_elapsed_share(2025, date(2025, 9, 30)) == 183 / 365
    assert fiscal_year_elapsed_share(2025, date(2026, 3, 31)) == 1.0
    assert fiscal_year_elapsed_share(2025, date(2030, 1, 1)) == 1.0
    # Plan period FY2025–2029: 2025-04-01 … 2030-03-31 = 365*5 + 1 (29 Feb 2028) = 1826 days;
    # by the end of FY2025 365 days have passed.
    assert fiscal_period_elapsed_share(2025, 2029, date(2026, 3, 31)) == 365 / 1826
    with pytest.raises(ValueError) as exc:
        period_elapsed_share(date(2025, 4, 2), date(2025, 4, 1), date(2025, 4, 1))
    assert str(exc.value) == (
        "期間の始まり（2025-04-02）が終わり（2025-04-01）より後です。順番を確かめてください。"
    )


@given(
    st.integers(min_value=1900, max_value=2100),
    st.dates(min_value=date(1899, 1, 1), max_value=date(2102, 12, 31)),
)
def test_elapsed_share_is_monotone_and_bounded(fy: int, day: date) -> None:
    share = fiscal_year_elapsed_share(fy, day)
    assert 0.0 <= share <= 1.0
    assert share <= fiscal_year_elapsed_share(fy, day + timedelta(days=1))


# --------------------------------------------------------------------------- conversions


@pytest.mark.parametrize(
    ("year", "era", "number"),
    [
        (2025, REIWA, 7),
        (2019, REIWA, 1),
        (2018, HEISEI, 30),
        (1989, HEISEI, 1),
        (1988, SHOWA, 63),
        (1926, SHOWA, 1),
        (1925, TAISHO, 14),
        (1912, TAISHO, 1),
        (1911, MEIJI, 44),
        (1868, MEIJI, 1),
    ],
)
def test_to_era_year(year: int, era: object, number: int) -> None:
    assert to_era_year(year) == EraYear(era, number)  # type: ignore[arg-type]
    assert to_era_year(year).gregorian == year


def test_to_era_year_labels_and_range() -> None:
    assert to_era_year(2019).label == "令和元年"
    assert to_era_year(2025).label == "令和7年"
    with pytest.raises(EraError) as exc:
        to_era_year(1867)
    assert (
        str(exc.value) == "1867年は和暦で表せません。1868年から9999年までの年を指定してください。"
    )


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1868, 1, 25), "明治元年1月25日"),
        (date(2025, 4, 1), "令和7年4月1日"),
    ],
)
def test_era_date_exact_by_day(day: date, label: str) -> None:
    ed = era_date(day)
    assert ed.label == label
    assert ed.to_date() == day
    assert format_date(day) == label


def test_era_date_fields() -> None:
    assert era_date(date(2019, 4, 30)) == EraDate(HEISEI, 31, 4, 30)
    assert era_date(date(2019, 5, 1)) == EraDate(REIWA, 1, 5, 1)


def test_era_of_before_meiji() -> None:
    assert era_of(date(1868, 1, 25)) is MEIJI
    with pytest.raises(EraError) as exc:
        era_of(date(1868, 1, 24))
    assert str(exc.value) == (
        "1868年1月24日は明治より前の日付のため、和暦で表せません。西暦で扱ってください。"
    )


def test_gregorian_year() -> None:
    assert gregorian_year(REIWA, 7) == 2025  # 2018 + 7
    assert gregorian_year("令和", 1) == 2019
    assert gregorian_year("H", 31) == 2019  # 1988 + 31
    assert gregorian_year("昭和", 64) == 1989  # 1925 + 64
    with pytest.raises(EraError) as exc:
        gregorian_year("平成", 32)
    assert str(exc.value) == HEISEI_RANGE
    with pytest.raises(EraError) as exc:
        gregorian_year("令和", 0)
    assert str(exc.value) == "令和は元年（2019年）から数えます。"


@given(st.integers(min_value=1868, max_value=9999))
def test_to_era_year_and_gregorian_year_invert(year: int) -> None:
    ey = to_era_year(year)
    assert gregorian_year(ey.era, ey.year) == year
    # The era named is the one in force at the end of that year (the newest that began).
    assert ey.era is era_of(date(year, 12, 31))


@given(st.dates(min_value=date(1868, 1, 25), max_value=date(9999, 12, 31)))
def test_era_date_is_inside_its_era(day: date) -> None:
    ed = era_date(day)
    assert ed.era.contains(day)
    assert ed.to_date() == day


# --------------------------------------------------------------------------- parse_fiscal_year


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("令和7年度", 2025),
        ("R7", 2025),
        ("R7年度", 2025),
        ("r7", 2025),
        ("Ｒ７年度", 2025),
        ("ｒ７", 2025),
        ("2025年度", 2025),
        ("2025", 2025),
        ("２０２５年度", 2025),
        ("２０２５", 2025),
        ("令和7（2025）年度", 2025),
        ("令和7(2025)年度", 2025),
        ("令和７（２０２５）年度", 2025),
        ("2025（令和7）年度", 2025),
        ("2025年度（令和7年度）", 2025),
        ("令和元年度", 2019),
        ("令和1年度", 2019),
        ("R元年度", 2019),
        ("R1", 2019),
        ("令和元（2019）年度", 2019),
        ("平成31年度", 2019),
        ("H31", 2019),
        ("Ｈ３１", 2019),
        ("平成元年度", 1989),
        ("昭和63年度", 1988),
        ("大正15年度", 1926),
        ("明治45年度", 1912),
        (" 令和 7 年度 ", 2025),
        ("令和\u30007年度", 2025),
        ("令和07年度", 2025),
        ("㋿7年度", 2025),
    ],
)
def test_parse_fiscal_year_accepts(text: str, fy: int) -> None:
    assert parse_fiscal_year(text) == fy


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "令和7（2024）年度",
            "「令和7（2024）年度」は和暦と西暦が一致しません。令和7年は2025年です。どちらかを直してください。",
        ),
        (
            "2024年度（令和7年度）",
            "「2024年度（令和7年度）」は和暦と西暦が一致しません。令和7年は2025年です。どちらかを直してください。",
        ),
        ("平成32年度", "「平成32年度」の年はありません。" + HEISEI_RANGE),
        ("H32", "「H32」の年はありません。" + HEISEI_RANGE),
        ("令和0年度", "「令和0年度」の年はありません。令和は元年（2019年）から数えます。"),
        (
            "昭和64年度",
            "「昭和64年度」という年度はありません。昭和は64年（1989年）1月7日で終わり、1989年度は平成元年度です。",
        ),
        (
            "令和7年",
            f"「令和7年」は年度ではなく年です。年度は{FY_EXAMPLES}のように書いてください。",
        ),
        ("25", f"「25」を年度として読み取れません。{FY_EXAMPLES}のように書いてください。"),
        ("", f"「」を年度として読み取れません。{FY_EXAMPLES}のように書いてください。"),
        ("来年度", f"「来年度」を年度として読み取れません。{FY_EXAMPLES}のように書いてください。"),
        ("X7年度", f"「X7年度」を年度として読み取れません。{FY_EXAMPLES}のように書いてください。"),
        (
            "令和7年度(2025)",
            f"「令和7年度(2025)」を年度として読み取れません。{FY_EXAMPLES}のように書いてください。",
        ),
        (
            "令和7（R7）年度",
            "「令和7（R7）年度」は読み取れません。括弧の中と外は、和暦と西暦を一つずつ書いてください（例「令和7（2025）年度」）。",
        ),
        ("9999年度", "「9999年度」の年は扱えません。西暦は1年から9998年までです。"),
    ],
)
def test_parse_fiscal_year_rejects(text: str, message: str) -> None:
    with pytest.raises(EraParseError) as exc:
        parse_fiscal_year(text)
    assert str(exc.value) == message
    assert isinstance(exc.value, ValueError)


# --------------------------------------------------------------------------- parse_year


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("令和元年", 2019),
        ("令和1年", 2019),
        ("R元", 2019),
        ("R1", 2019),
        ("2019年", 2019),
        ("2019", 2019),
        ("２０１９年", 2019),
        ("平成31年", 2019),
        ("令和元（2019）年", 2019),
        ("2019（令和元）年", 2019),
        ("2019年（令和元年）", 2019),
        ("昭和64年", 1989),
        ("平成元年", 1989),
        ("Ｒ７年", 2025),
    ],
)
def test_parse_year_accepts(text: str, year: int) -> None:
    assert parse_year(text) == year


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("平成32年", "「平成32年」の年はありません。" + HEISEI_RANGE),
        (
            "昭和65年",
            "「昭和65年」の年はありません。昭和は元年（1926年）から64年（1989年）までです。",
        ),
        (
            "令和元年度",
            f"「令和元年度」は年ではなく年度です。年は{YEAR_EXAMPLES}のように書いてください。",
        ),
        (
            "令和2（2019）年",
            "「令和2（2019）年」は和暦と西暦が一致しません。令和2年は2020年です。どちらかを直してください。",
        ),
        ("19年", f"「19年」を年として読み取れません。{YEAR_EXAMPLES}のように書いてください。"),
    ],
)
def test_parse_year_rejects(text: str, message: str) -> None:
    with pytest.raises(EraParseError) as exc:
        parse_year(text)
    assert str(exc.value) == message


# --------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("令和7年4月1日", date(2025, 4, 1)),
        ("R7.4.1", date(2025, 4, 1)),
        ("R7/4/1", date(2025, 4, 1)),
        ("R7-4-1", date(2025, 4, 1)),
        ("r07.04.01", date(2025, 4, 1)),
        ("2025/4/1", date(2025, 4, 1)),
        ("2025-04-01", date(2025, 4, 1)),
        ("2025.4.1", date(2025, 4, 1)),
        ("2025年4月1日", date(2025, 4, 1)),
        ("２０２５年４月１日", date(2025, 4, 1)),
        ("令和７年４月１日", date(2025, 4, 1)),
        ("2025年（令和7年）4月1日", date(2025, 4, 1)),
        ("令和7（2025）年4月1日", date(2025, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R元.5.1", date(2019, 5, 1)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("H31.4.30", date(2019, 4, 30)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("大正15年12月24日", date(1926, 12, 24)),
        ("昭和元年12月25日", date(1926, 12, 25)),
        ("令和6年2月29日", date(2024, 2, 29)),
        (" 2025 / 4 / 1 ", date(2025, 4, 1)),
    ],
)
def test_parse_date_accepts(text: str, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("平成31年5月1日", "「平成31年5月1日」は平成の期間外です。" + HEISEI_PERIOD),
        ("H31.5.1", "「H31.5.1」は平成の期間外です。" + HEISEI_PERIOD),
        ("令和元年4月30日", "「令和元年4月30日」は令和の期間外です。" + REIWA_PERIOD),
        ("R1/4/30", "「R1/4/30」は令和の期間外です。" + REIWA_PERIOD),
        (
            "昭和64年1月8日",
            "「昭和64年1月8日」は昭和の期間外です。昭和は元年（1926年）12月25日から64年（1989年）1月7日までです。",
        ),
        (
            "平成元年1月7日",
            "「平成元年1月7日」は平成の期間外です。" + HEISEI_PERIOD,
        ),
        (
            "2019年（令和元年）4月30日",
            "「2019年（令和元年）4月30日」は令和の期間外です。" + REIWA_PERIOD,
        ),
        ("平成32年1月1日", "「平成32年1月1日」の年はありません。" + HEISEI_RANGE),
        ("令和7年2月29日", "「令和7年2月29日」という日付はありません。月と日を確かめてください。"),
        ("2025/2/30", "「2025/2/30」という日付はありません。月と日を確かめてください。"),
        ("2025-13-01", "「2025-13-01」という日付はありません。月と日を確かめてください。"),
        ("令和7年4月0日", "「令和7年4月0日」という日付はありません。月と日を確かめてください。"),
        (
            "2025年（令和6年）4月1日",
            "「2025年（令和6年）4月1日」は和暦と西暦が一致しません。令和6年は2024年です。どちらかを直してください。",
        ),
        (
            "2025/4-1",
            f"「2025/4-1」を日付として読み取れません。{DATE_EXAMPLES}のように書いてください。",
        ),
        (
            "令和74月1日",
            f"「令和74月1日」を日付として読み取れません。{DATE_EXAMPLES}のように書いてください。",
        ),
        (
            "4月1日",
            f"「4月1日」を日付として読み取れません。{DATE_EXAMPLES}のように書いてください。",
        ),
        (
            "25/4/1",
            f"「25/4/1」を日付として読み取れません。{DATE_EXAMPLES}のように書いてください。",
        ),
    ],
)
def test_parse_date_rejects(text: str, message: str) -> None:
    with pytest.raises(EraParseError) as exc:
        parse_date(text)
    assert str(exc.value) == message


# --------------------------------------------------------------------------- rendering


def test_format_fiscal_year_styles() -> None:
    assert format_fiscal_year(2025) == "令和7（2025）年度"
    assert format_fiscal_year(2025, style="era") == "令和7年度"
    assert format_fiscal_year(2025, style="gregorian") == "2025年度"
    assert format_fiscal_year(2025, style="short") == "R7"
    assert format_fiscal_year(2019) == "令和元（2019）年度"
    assert format_fiscal_year(2019, style="era") == "令和元年度"
    assert format_fiscal_year(2019, style="short") == "R1"
    assert format_fiscal_year(2018, style="era") == "平成30年度"
    assert format_fiscal_year(1989, style="era") == "平成元年度"
    assert format_fiscal_year(1988, style="era") == "昭和63年度"
    assert format_fiscal_year(1900, style="short") == "M33"


def test_format_fiscal_year_rejects_unknown_style_and_pre_meiji() -> None:
    with pytest.raises(ValueError) as exc:
        format_fiscal_year(2025, style="long")  # type: ignore[arg-type]
    assert str(exc.value) == (
        "表記「long」は使えません。dual・era・gregorian・shortのいずれかを指定してください。"
    )
    assert format_fiscal_year(1850, style="gregorian") == "1850年度"
    with pytest.raises(EraError) as exc:
        format_fiscal_year(1850)
    assert (
        str(exc.value) == "1850年は和暦で表せません。1868年から9999年までの年を指定してください。"
    )


def test_format_year_styles() -> None:
    assert format_year(2019) == "令和元（2019）年"
    assert format_year(2019, style="era") == "令和元年"
    assert format_year(2019, style="gregorian") == "2019年"
    assert format_year(2019, style="short") == "R1"
    assert format_year(2025, style="era") == "令和7年"


def test_format_fiscal_period() -> None:
    assert format_fiscal_period(2025, 2029) == "令和7（2025）年度～令和11（2029）年度"
    assert format_fiscal_period(2025, 2029, style="era") == "令和7年度～令和11年度"
    assert format_fiscal_period(2020, 2024, style="short") == "R2～R6"
    assert format_fiscal_period(2025, 2025) == "令和7（2025）年度"
    # The separator is U+FF5E, which survives CP932; U+301C (WAVE DASH) comes back as U+FF5E.
    assert "\u301c".encode("cp932").decode("cp932") == "\uff5e"
    assert format_fiscal_period(2025, 2029).encode("cp932").decode("cp932") == (
        "令和7（2025）年度～令和11（2029）年度"
    )


def test_parse_fiscal_period() -> None:
    assert parse_fiscal_period("令和7年度～令和11年度") == (2025, 2029)
    assert parse_fiscal_period("令和7（2025）年度～令和11（2029）年度") == (2025, 2029)
    assert parse_fiscal_period("R7~R11") == (2025, 2029)
    assert parse_fiscal_period("2025年度〜2029年度") == (2025, 2029)
    assert parse_fiscal_period("2025年度から2029年度") == (2025, 2029)
    assert parse_fiscal_period("令和7年度") == (2025, 2025)
    with pytest.raises(EraParseError) as exc:
        parse_fiscal_period("令和11年度～令和7年度")
    assert str(exc.value) == (
        "「令和11年度～令和7年度」は始まりの年度が終わりの年度より後です。順番を確かめてください。"
    )
    with pytest.raises(EraParseError) as exc:
        parse_fiscal_period("令和7年度～")
    assert str(exc.value) == (
        "「令和7年度～」を期間として読み取れません。「令和7年度～令和11年度」「2025年度～2029年度」のように書いてください。"
    )


def test_format_date_styles() -> None:
    day = date(2025, 4, 1)
    assert format_date(day) == "令和7年4月1日"
    assert format_date_dual(day) == "2025年（令和7年）4月1日"
    assert format_date(day, style="dual") == "2025年（令和7年）4月1日"
    assert format_date(day, style="gregorian") == "2025年4月1日"
    assert format_date(day, style="short") == "R7.4.1"
    assert format_date(day, style="iso") == "2025-04-01"
    assert format_date_dual(date(2019, 5, 1)) == "2019年（令和元年）5月1日"
    assert format_date_dual(date(2019, 4, 30)) == "2019年（平成31年）4月30日"


# --------------------------------------------------------------------------- round trips

YEAR_STYLES = ("dual", "era", "gregorian", "short")
DATE_STYLES = ("era", "dual", "gregorian", "short", "iso")


@pytest.mark.parametrize("style", YEAR_STYLES)
def test_every_fiscal_year_1900_2100_round_trips(style: str) -> None:
    for fy in range(1900, 2101):
        text = format_fiscal_year(fy, style)  # type: ignore[arg-type]
        assert parse_fiscal_year(text) == fy, text
        assert parse_fiscal_period(format_fiscal_period(fy, fy + 4, style)) == (fy, fy + 4)  # type: ignore[arg-type]


@pytest.mark.parametrize("style", YEAR_STYLES)
def test_every_year_1900_2100_round_trips(style: str) -> None:
    for year in range(1900, 2101):
        text = format_year(year, style)  # type: ignore[arg-type]
        assert parse_year(text) == year, text


@settings(max_examples=400)
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.sampled_from(DATE_STYLES),
)
def test_dates_1900_2100_round_trip(day: date, style: str) -> None:
    assert parse_date(format_date(day, style)) == day  # type: ignore[arg-type]


@settings(max_examples=200)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_fiscal_year_of_a_date_round_trips_in_every_style(day: date) -> None:
    fy = fiscal_year_of(day)
    for style in YEAR_STYLES:
        assert parse_fiscal_year(format_fiscal_year(fy, style)) == fy  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "day",
    [
        date(2019, 4, 30),
        date(2019, 5, 1),
        date(1989, 1, 7),
        date(1989, 1, 8),
        date(1926, 12, 24),
        date(1926, 12, 25),
        date(1912, 7, 29),
        date(1912, 7, 30),
        date(2025, 3, 31),
        date(2025, 4, 1),
        date(2024, 2, 29),
    ],
)
@pytest.mark.parametrize("style", DATE_STYLES)
def test_boundary_dates_round_trip(day: date, style: str) -> None:
    assert parse_date(format_date(day, style)) == day  # type: ignore[arg-type]


def test_era_boundaries_exactly() -> None:
    assert format_date(date(2019, 4, 30)) == "平成31年4月30日"
    assert format_date(date(2019, 5, 1)) == "令和元年5月1日"
    assert format_date(date(1989, 1, 7)) == "昭和64年1月7日"
    assert format_date(date(1989, 1, 8)) == "平成元年1月8日"
    assert format_date(date(1926, 12, 24)) == "大正15年12月24日"
    assert format_date(date(1926, 12, 25)) == "昭和元年12月25日"
    # Both halves of FY2018 → 平成30年度; FY2019 straddles the change and is 令和元年度.
    assert fiscal_year_of(date(2019, 3, 31)) == 2018
    assert fiscal_year_of(date(2019, 4, 1)) == 2019
    assert format_fiscal_year(fiscal_year_of(date(2019, 4, 30)), "era") == "令和元年度"
    assert format_fiscal_year(fiscal_year_of(date(2019, 3, 31)), "era") == "平成30年度"
