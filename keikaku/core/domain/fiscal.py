"""Fiscal years (年度) and Japanese eras (元号): conversion, parsing and rendering.

Rules
-----
- A fiscal year runs from 1 April to 31 March and is named by the year it starts in:
  令和7年度 = FY2025 = 2025-04-01 … 2026-03-31. Keikaku stores fiscal years as plain ints.
- Eras are data (:data:`ERAS`). The first year of an era is 元年 (rendered so; 「1年」 is
  also accepted on input).
- A *year* (not a day) is named by the era that began during it, by modern convention:
  2019 → 令和元年, 1989 → 平成元年, 1926 → 昭和元年. A fiscal year takes the name of its
  start year the same way (FY2019 → 令和元年度, as the government calls it).
- A *day* is named exactly: 2019-04-30 → 平成31年4月30日, 2019-05-01 → 令和元年5月1日.

明治 is taken to start on 1868-01-25, the Gregorian date of 慶応4年 = 明治元年 1月1日 (the
era was proclaimed in the ninth lunar month and applied from the first day of that year).
Before 明治6年 (1873) Japan used the lunisolar calendar; this module counts era years
proleptically on the Gregorian calendar, so era dates before 1873 are *not* the dates
written in documents of that time. Keikaku only needs the modern range.

Parsing accepts full-width and half-width characters, blanks, the letters M/T/S/H/R in
either case and the dual form 「令和7（2025）年度」 (both parts must agree). Every
rejection raises :class:`EraParseError` (a ``ValueError``) with a Japanese message that
quotes the input and shows what is accepted.

English (the public site's English mode) never shows eras: fiscal years read "FY2025", plan
periods "FY2025–2029", dates "8 February 2024" and times "14:00" (the ``*_en`` functions).
The formatters take ``lang`` (a language code such as Django's ``get_language()``); any code
starting with "en" gives the English form, anything else (or None) the Japanese one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

from keikaku.core.domain.i18n import _

__all__ = [
    "ERAS",
    "HEISEI",
    "MEIJI",
    "REIWA",
    "SHOWA",
    "TAISHO",
    "DateStyle",
    "Era",
    "EraDate",
    "EraError",
    "EraParseError",
    "EraYear",
    "YearStyle",
    "era_by_name",
    "era_date",
    "era_of",
    "fiscal_period_elapsed_share",
    "fiscal_quarter_bounds",
    "fiscal_quarter_of",
    "fiscal_year_bounds",
    "fiscal_year_elapsed_share",
    "fiscal_year_of",
    "fiscal_years_between",
    "format_date",
    "format_date_dual",
    "format_date_en",
    "format_datetime",
    "format_datetime_en",
    "format_fiscal_period",
    "format_fiscal_period_en",
    "format_fiscal_year",
    "format_fiscal_year_en",
    "format_time",
    "format_year",
    "is_english",
    "gregorian_year",
    "parse_date",
    "parse_fiscal_period",
    "parse_fiscal_year",
    "parse_year",
    "period_elapsed_share",
    "to_era_year",
]

YearStyle = Literal["dual", "era", "gregorian", "short"]
DateStyle = Literal["era", "dual", "gregorian", "short", "iso"]

FISCAL_YEAR_START_MONTH = 4
MIN_YEAR = 1
MAX_YEAR = 9999
MAX_FISCAL_YEAR = MAX_YEAR - 1  # its 31 March must still be a representable date

# U+FF5E FULLWIDTH TILDE: survives a CP932 round trip; U+301C WAVE DASH comes back as U+FF5E.
PERIOD_SEPARATOR = "～"


class EraError(ValueError):
    """A date or year that no era (or not the given era) can name."""


class EraParseError(EraError):
    """Text that is not a fiscal year, year or date in an accepted form."""


@dataclass(frozen=True)
class Era:
    """One era (元号): its name, one-letter abbreviation and first and last day."""

    name: str  # 令和
    abbreviation: str  # R
    romaji: str  # Reiwa
    start: date  # first day (元年 starts here)
    end: date | None  # last day; None for the current era

    @property
    def first_year(self) -> int:
        """Gregorian year of 元年."""
        return self.start.year

    @property
    def last_year(self) -> int:
        """Gregorian year of the era's last day (the highest year number it reached)."""
        return self.end.year if self.end is not None else MAX_YEAR

    @property
    def max_year(self) -> int:
        """Highest era year that exists (平成 → 31)."""
        return self.last_year - self.first_year + 1

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


MEIJI = Era("明治", "M", "Meiji", date(1868, 1, 25), date(1912, 7, 29))
TAISHO = Era("大正", "T", "Taisho", date(1912, 7, 30), date(1926, 12, 24))
SHOWA = Era("昭和", "S", "Showa", date(1926, 12, 25), date(1989, 1, 7))
HEISEI = Era("平成", "H", "Heisei", date(1989, 1, 8), date(2019, 4, 30))
REIWA = Era("令和", "R", "Reiwa", date(2019, 5, 1), None)

ERAS: tuple[Era, ...] = (MEIJI, TAISHO, SHOWA, HEISEI, REIWA)

_ERA_LOOKUP: dict[str, Era] = {}
for _era in ERAS:
    _ERA_LOOKUP[_era.name] = _era
    _ERA_LOOKUP[_era.abbreviation] = _era
    _ERA_LOOKUP[_era.romaji.upper()] = _era
del _era


@dataclass(frozen=True)
class EraYear:
    era: Era
    year: int  # 1 = 元年

    @property
    def label(self) -> str:
        """「令和元年」「令和7年」."""
        return f"{self.era.name}{_year_number(self.year)}年"

    @property
    def gregorian(self) -> int:
        return self.era.first_year + self.year - 1


@dataclass(frozen=True)
class EraDate:
    era: Era
    year: int  # 1 = 元年
    month: int
    day: int

    @property
    def label(self) -> str:
        """「令和元年5月1日」."""
        return f"{self.era.name}{_year_number(self.year)}年{self.month}月{self.day}日"

    def to_date(self) -> date:
        return date(self.era.first_year + self.year - 1, self.month, self.day)


# --------------------------------------------------------------------------- fiscal years


def fiscal_year_of(day: date) -> int:
    """The fiscal year a day belongs to: 2025-04-01 → 2025, 2026-03-31 → 2025."""
    return day.year if day.month >= FISCAL_YEAR_START_MONTH else day.year - 1


def _check_fiscal_year(fy: int) -> None:
    if not MIN_YEAR <= fy <= MAX_FISCAL_YEAR:
        raise ValueError(
            _("%(fy)s年度は扱えません。%(min)s年度から%(max)s年度までで指定してください。")
            % {"fy": fy, "min": MIN_YEAR, "max": MAX_FISCAL_YEAR}
        )


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """First and last day of a fiscal year: 2025 → (2025-04-01, 2026-03-31)."""
    _check_fiscal_year(fy)
    return date(fy, FISCAL_YEAR_START_MONTH, 1), date(fy + 1, FISCAL_YEAR_START_MONTH - 1, 31)


def fiscal_years_between(start_fy: int, end_fy: int) -> tuple[int, ...]:
    """Every fiscal year from start to end, both included: (2025, 2029) → 2025 … 2029."""
    _check_fiscal_year(start_fy)
    _check_fiscal_year(end_fy)
    if start_fy > end_fy:
        raise ValueError(
            _(
                "期間の始まり（%(start)s年度）が終わり（%(end)s年度）より後です。順番を確かめてください。"
            )
            % {"start": start_fy, "end": end_fy}
        )
    return tuple(range(start_fy, end_fy + 1))


def fiscal_quarter_of(day: date) -> tuple[int, int]:
    """(fiscal year, quarter 1–4): April–June is Q1, January–March is Q4."""
    return fiscal_year_of(day), (day.month - FISCAL_YEAR_START_MONTH) % 12 // 3 + 1


def fiscal_quarter_bounds(fy: int, quarter: int) -> tuple[date, date]:
    """First and last day of a fiscal quarter: (2025, 4) → (2026-01-01, 2026-03-31)."""
    _check_fiscal_year(fy)
    if quarter not in (1, 2, 3, 4):
        raise ValueError(
            _("第%(quarter)s四半期はありません。四半期は1から4で指定してください。")
            % {"quarter": quarter}
        )
    first_month = (FISCAL_YEAR_START_MONTH - 1 + 3 * (quarter - 1)) % 12 + 1
    year = fy if first_month >= FISCAL_YEAR_START_MONTH else fy + 1
    start = date(year, first_month, 1)
    next_start = date(year + 1, 1, 1) if first_month + 3 > 12 else date(year, first_month + 3, 1)
    return start, date.fromordinal(next_start.toordinal() - 1)


def period_elapsed_share(start: date, end: date, at: date) -> float:
    """Share of the period start … end (both included) elapsed by the end of day ``at``.

    0.0 before the first day, 1.0 from the last day on; the first day alone counts as
    1 / (number of days in the period).
    """
    if end < start:
        raise ValueError(
            _("期間の始まり（%(start)s）が終わり（%(end)s）より後です。順番を確かめてください。")
            % {"start": start.isoformat(), "end": end.isoformat()}
        )
    if at < start:
        return 0.0
    if at >= end:
        return 1.0
    return ((at - start).days + 1) / ((end - start).days + 1)


def fiscal_year_elapsed_share(fy: int, at: date) -> float:
    """Share of fiscal year ``fy`` elapsed by the end of day ``at`` (0.0 … 1.0)."""
    start, end = fiscal_year_bounds(fy)
    return period_elapsed_share(start, end, at)


def fiscal_period_elapsed_share(start_fy: int, end_fy: int, at: date) -> float:
    """Share of the plan period FY start … FY end elapsed by the end of day ``at``."""
    years = fiscal_years_between(start_fy, end_fy)
    return period_elapsed_share(
        fiscal_year_bounds(years[0])[0], fiscal_year_bounds(years[-1])[1], at
    )


# --------------------------------------------------------------------------- eras


def era_by_name(name: str) -> Era:
    """An era from its name (令和), letter (R, r, Ｒ) or romaji (Reiwa)."""
    key = unicodedata.normalize("NFKC", name).strip().upper()
    era = _ERA_LOOKUP.get(key)
    if era is None:
        raise EraError(
            _(
                "「%(name)s」という元号はありません。明治・大正・昭和・平成・令和（M・T・S・H・R）のいずれかを使ってください。"
            )
            % {"name": name}
        )
    return era


def _resolve_era(era: Era | str) -> Era:
    return era if isinstance(era, Era) else era_by_name(era)


def era_of(day: date) -> Era:
    """The era in force on a day (exact by day)."""
    for era in reversed(ERAS):
        if day >= era.start:
            return era
    raise EraError(
        _("%(date)sは明治より前の日付のため、和暦で表せません。西暦で扱ってください。")
        % {"date": _gregorian_date_label(day)}
    )


def to_era_year(year: int) -> EraYear:
    """A Gregorian year in era form; the era that began during the year names it.

    2019 → 令和元年, 2018 → 平成30年, 1989 → 平成元年, 1926 → 昭和元年.
    """
    for era in reversed(ERAS):
        if year >= era.first_year:
            if year > MAX_YEAR:
                break
            return EraYear(era, year - era.first_year + 1)
    raise EraError(
        _("%(year)s年は和暦で表せません。%(min)s年から%(max)s年までの年を指定してください。")
        % {"year": year, "min": MEIJI.first_year, "max": MAX_YEAR}
    )


def era_date(day: date) -> EraDate:
    """A day in era form, exact by day: 2019-04-30 → 平成31年4月30日."""
    era = era_of(day)
    return EraDate(era, day.year - era.first_year + 1, day.month, day.day)


def gregorian_year(era: Era | str, year: int) -> int:
    """The Gregorian year of an era year: (令和, 7) → 2025, (平成, 31) → 2019."""
    resolved = _resolve_era(era)
    if not 1 <= year <= resolved.max_year:
        raise EraError(_era_range_message(resolved))
    return resolved.first_year + year - 1


def _era_range_message(era: Era) -> str:
    if era.end is None:
        return _("%(era)sは元年（%(first)s年）から数えます。") % {
            "era": era.name,
            "first": era.first_year,
        }
    return _("%(era)sは元年（%(first)s年）から%(max)s年（%(last)s年）までです。") % {
        "era": era.name,
        "first": era.first_year,
        "max": era.max_year,
        "last": era.last_year,
    }


def _era_period_message(era: Era) -> str:
    start = f"元年（{era.first_year}年）{era.start.month}月{era.start.day}日"
    if era.end is None:
        return _("%(era)sは%(start)sからです。") % {"era": era.name, "start": start}
    end = f"{era.max_year}年（{era.last_year}年）{era.end.month}月{era.end.day}日"
    return _("%(era)sは%(start)sから%(end)sまでです。") % {
        "era": era.name,
        "start": start,
        "end": end,
    }


# --------------------------------------------------------------------------- rendering


def _year_number(year: int) -> str:
    return "元" if year == 1 else str(year)


def _gregorian_date_label(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _check_style(style: str, allowed: tuple[str, ...]) -> None:
    if style not in allowed:
        raise ValueError(
            _("表記「%(style)s」は使えません。%(allowed)sのいずれかを指定してください。")
            % {"style": style, "allowed": "・".join(allowed)}
        )


_YEAR_STYLES: tuple[str, ...] = ("dual", "era", "gregorian", "short")
_DATE_STYLES: tuple[str, ...] = ("era", "dual", "gregorian", "short", "iso")


def _format_year_with(year: int, style: YearStyle, suffix: str) -> str:
    _check_style(style, _YEAR_STYLES)
    if style == "gregorian":
        return f"{year}{suffix}"
    ey = to_era_year(year)
    if style == "short":
        return f"{ey.era.abbreviation}{ey.year}"
    if style == "era":
        return f"{ey.era.name}{_year_number(ey.year)}{suffix}"
    return f"{ey.era.name}{_year_number(ey.year)}（{year}）{suffix}"


def is_english(lang: str | None) -> bool:
    """Whether a language code (「en」「en-gb」「EN」…) asks for the English forms."""
    return bool(lang) and str(lang).lower().startswith("en")


EN_PERIOD_SEPARATOR = "–"  # U+2013 EN DASH
EN_MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_fiscal_year_en(fy: int) -> str:
    """2025 → "FY2025" (every style; English has no era names)."""
    _check_fiscal_year(fy)
    return f"FY{fy}"


def format_fiscal_period_en(start_fy: int, end_fy: int) -> str:
    """(2025, 2029) → "FY2025–2029" (en dash); one year → "FY2025"."""
    years = fiscal_years_between(start_fy, end_fy)
    if len(years) == 1:
        return f"FY{years[0]}"
    return f"FY{years[0]}{EN_PERIOD_SEPARATOR}{years[-1]}"


def format_date_en(day: date) -> str:
    """2024-02-08 → "8 February 2024"."""
    return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"


def format_datetime_en(moment: datetime) -> str:
    """2024-02-08 14:00 → "8 February 2024, 14:00" (the clock time as given, 24-hour)."""
    return f"{format_date_en(moment.date())}, {moment.hour:02d}:{moment.minute:02d}"


def format_fiscal_year(fy: int, style: YearStyle = "dual", *, lang: str | None = None) -> str:
    """2025 → 「令和7（2025）年度」; era 「令和7年度」; gregorian 「2025年度」; short 「R7」.

    In English (``lang`` "en…") every style gives "FY2025"."""
    _check_fiscal_year(fy)
    if is_english(lang):
        _check_style(style, _YEAR_STYLES)
        return format_fiscal_year_en(fy)
    return _format_year_with(fy, style, "年度")


def format_fiscal_year_axis(fy: int, *, lang: str | None = None) -> str:
    """A fiscal year as a chart's axis label: 「R7」; in English (``lang`` "en…") 「2025」."""
    return str(fy) if is_english(lang) else format_fiscal_year(fy, "short")


def format_year(year: int, style: YearStyle = "dual", *, lang: str | None = None) -> str:
    """2019 → 「令和元（2019）年」; era 「令和元年」; gregorian 「2019年」; short 「R1」.

    In English every style gives "2019"."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(
            _("%(year)s年は扱えません。%(min)s年から%(max)s年までの年を指定してください。")
            % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    if is_english(lang):
        _check_style(style, _YEAR_STYLES)
        return str(year)
    return _format_year_with(year, style, "年")


def format_fiscal_period(
    start_fy: int, end_fy: int, style: YearStyle = "dual", *, lang: str | None = None
) -> str:
    """(2025, 2029) → 「令和7（2025）年度～令和11（2029）年度」; one year renders once.

    In English every style gives "FY2025–2029" (one year: "FY2025")."""
    if is_english(lang):
        _check_style(style, _YEAR_STYLES)
        return format_fiscal_period_en(start_fy, end_fy)
    years = fiscal_years_between(start_fy, end_fy)
    first = format_fiscal_year(years[0], style)
    if len(years) == 1:
        return first
    return f"{first}{PERIOD_SEPARATOR}{format_fiscal_year(years[-1], style)}"


def format_date(day: date, style: DateStyle = "era", *, lang: str | None = None) -> str:
    """2025-04-01 → 「令和7年4月1日」; dual 「2025年（令和7年）4月1日」; gregorian
    「2025年4月1日」; short 「R7.4.1」; iso 「2025-04-01」.

    In English: iso "2025-04-01", every other style "1 April 2025"."""
    _check_style(style, _DATE_STYLES)
    if is_english(lang):
        return day.isoformat() if style == "iso" else format_date_en(day)
    if style == "gregorian":
        return _gregorian_date_label(day)
    if style == "iso":
        return day.isoformat()
    ed = era_date(day)
    if style == "short":
        return f"{ed.era.abbreviation}{ed.year}.{ed.month}.{ed.day}"
    if style == "dual":
        return f"{day.year}年（{ed.era.name}{_year_number(ed.year)}年）{day.month}月{day.day}日"
    return ed.label


def format_date_dual(day: date) -> str:
    """2025-04-01 → 「2025年（令和7年）4月1日」."""
    return format_date(day, "dual")


def format_time(moment: time | datetime, *, lang: str | None = None) -> str:
    """14:00 → 「14時00分」; English "14:00"."""
    if is_english(lang):
        return f"{moment.hour:02d}:{moment.minute:02d}"
    return f"{moment.hour}時{moment.minute:02d}分"


def format_datetime(moment: datetime, style: DateStyle = "dual", *, lang: str | None = None) -> str:
    """2024-02-08 14:00 → 「2024年（令和6年）2月8日 14時00分」 (the date in ``style``, then the
    clock time as given); English "8 February 2024, 14:00"."""
    if is_english(lang):
        _check_style(style, _DATE_STYLES)
        return format_datetime_en(moment)
    return f"{format_date(moment.date(), style)} {format_time(moment)}"


# --------------------------------------------------------------------------- parsing

_ERA_TOKEN = "|".join(
    sorted(
        [e.name for e in ERAS] + [e.abbreviation for e in ERAS] + [e.romaji.upper() for e in ERAS],
        key=len,
        reverse=True,
    )
)


def _year_expr(tag: str) -> str:
    return rf"(?:(?P<{tag}era>{_ERA_TOKEN})(?P<{tag}num>\d+|元)|(?P<{tag}greg>\d{{4}}))"


def _year_pattern(suffix: str) -> str:
    """Year part, optionally dual: X[S] | X(Y)[S] | XS(YS)."""
    s = re.escape(suffix)
    return (
        rf"{_year_expr('a')}(?P<s1>{s})?"
        rf"(?:\({_year_expr('b')}(?P<s2>{s})?\)(?P<s3>{s})?)?"
    )


_FY_RE = re.compile(rf"^{_year_pattern('年度')}$")
_YEAR_RE = re.compile(rf"^{_year_pattern('年')}$")
_KANJI_DATE_RE = re.compile(rf"^{_year_pattern('年')}(?P<month>\d{{1,2}})月(?P<day>\d{{1,2}})日$")
_SEP_DATE_RE = re.compile(
    rf"^{_year_expr('a')}(?P<sep>[./-])(?P<month>\d{{1,2}})(?P=sep)(?P<day>\d{{1,2}})$"
)
_PERIOD_SPLIT_RE = re.compile(r"[~〜～]|から")  # on the text as written (～ and ~ both)

_FY_EXAMPLES = "「令和7年度」「R7」「2025年度」「令和7（2025）年度」"
_YEAR_EXAMPLES = "「令和7年」「R7」「2025年」「令和7（2025）年」"
_DATE_EXAMPLES = "「令和7年4月1日」「R7.4.1」「2025/4/1」「2025-04-01」「2025年4月1日」"
_PERIOD_EXAMPLES = "「令和7年度～令和11年度」「2025年度～2029年度」"


def _normalize(text: str) -> str:
    """Full-width → half-width (NFKC), no blanks, upper-case letters."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


@dataclass(frozen=True)
class _YearPart:
    era: Era | None
    number: int  # era year or Gregorian year


def _year_part(m: re.Match[str], tag: str) -> _YearPart | None:
    groups = m.groupdict()
    era_token = groups.get(f"{tag}era")
    if era_token is not None:
        num = groups[f"{tag}num"]
        return _YearPart(_ERA_LOOKUP[era_token], 1 if num == "元" else int(num))
    greg = groups.get(f"{tag}greg")
    return None if greg is None else _YearPart(None, int(greg))


def _dual_shape_ok(m: re.Match[str], suffix_required: bool) -> bool:
    s1, s2, s3 = m.group("s1"), m.group("s2"), m.group("s3")
    if _year_part(m, "b") is None:
        return not suffix_required or s1 is not None
    # 「令和7（2025）年度」 or 「2025年度（令和7年度）」 (and, without suffix, 「R7（2025）」).
    if s1 is None and s2 is None:
        return s3 is not None or not suffix_required
    return s1 is not None and s2 is not None and s3 is None


def _resolve_year(
    text: str, m: re.Match[str], min_year: int, max_year: int
) -> tuple[int, Era | None]:
    """Gregorian year named by the (possibly dual) year part; the era used, if any."""
    a = _year_part(m, "a")
    b = _year_part(m, "b")
    assert a is not None
    parts = [a] if b is None else [a, b]
    if b is not None and (a.era is None) == (b.era is None):
        raise EraParseError(_dual_kind_message(text))
    gregorian: int | None = None
    era: Era | None = None
    era_number = 0
    for part in parts:
        if part.era is None:
            gregorian = part.number
        else:
            era, era_number = part.era, part.number
    if gregorian is not None and not min_year <= gregorian <= max_year:
        raise EraParseError(
            _("「%(text)s」の年は扱えません。西暦は%(min)s年から%(max)s年までです。")
            % {"text": text, "min": min_year, "max": max_year}
        )
    if era is not None:
        from_era = era.first_year + era_number - 1
        if not 1 <= era_number <= era.max_year:
            raise EraParseError(
                _("「%(text)s」の年はありません。") % {"text": text} + _era_range_message(era)
            )
        if from_era > max_year:
            raise EraParseError(
                _("「%(text)s」の年は扱えません。西暦は%(min)s年から%(max)s年までです。")
                % {"text": text, "min": min_year, "max": max_year}
            )
        if gregorian is not None and gregorian != from_era:
            raise EraParseError(
                _(
                    "「%(text)s」は和暦と西暦が一致しません。%(era)s%(num)s年は%(greg)s年です。どちらかを直してください。"
                )
                % {"text": text, "era": era.name, "num": _year_number(era_number), "greg": from_era}
            )
        gregorian = from_era
    assert gregorian is not None
    return gregorian, era


def _dual_kind_message(text: str) -> str:
    return _(
        "「%(text)s」は読み取れません。括弧の中と外は、和暦と西暦を一つずつ書いてください（例「令和7（2025）年度」）。"
    ) % {"text": text}


def parse_fiscal_year(text: str) -> int:
    """A fiscal year from text: 「令和7年度」「R7」「Ｒ７年度」「2025年度」「2025」「令和7（2025）年度」
    「令和元年度」「平成31年度」 (= 2019) … → 2025 etc."""
    norm = _normalize(text)
    m = _FY_RE.match(norm)
    if m is None or not _dual_shape_ok(m, suffix_required=False):
        if _YEAR_RE.match(norm) and norm.endswith("年"):
            raise EraParseError(
                _("「%(text)s」は年度ではなく年です。年度は%(examples)sのように書いてください。")
                % {"text": text, "examples": _FY_EXAMPLES}
            )
        raise EraParseError(
            _("「%(text)s」を年度として読み取れません。%(examples)sのように書いてください。")
            % {"text": text, "examples": _FY_EXAMPLES}
        )
    fy, era = _resolve_year(text, m, MIN_YEAR, MAX_FISCAL_YEAR)
    if era is not None and era.end is not None and date(fy, FISCAL_YEAR_START_MONTH, 1) > era.end:
        # 昭和64年度: 昭和 ended on 1989-01-07, before FY1989 began.
        raise EraParseError(
            _(
                "「%(text)s」という年度はありません。%(era)sは%(end)sで終わり、%(fy)s年度は%(name)sです。"
            )
            % {
                "text": text,
                "era": era.name,
                "end": f"{era.max_year}年（{era.last_year}年）{era.end.month}月{era.end.day}日",
                "fy": fy,
                "name": format_fiscal_year(fy, "era"),
            }
        )
    return fy


def parse_year(text: str) -> int:
    """A calendar year from text: 「令和元年」「R1」「2019年」「2019」「令和元（2019）年」 → 2019."""
    norm = _normalize(text)
    m = _YEAR_RE.match(norm)
    if m is None or not _dual_shape_ok(m, suffix_required=False):
        if _FY_RE.match(norm) and norm.endswith("年度"):
            raise EraParseError(
                _("「%(text)s」は年ではなく年度です。年は%(examples)sのように書いてください。")
                % {"text": text, "examples": _YEAR_EXAMPLES}
            )
        raise EraParseError(
            _("「%(text)s」を年として読み取れません。%(examples)sのように書いてください。")
            % {"text": text, "examples": _YEAR_EXAMPLES}
        )
    year, _era = _resolve_year(text, m, MIN_YEAR, MAX_YEAR)
    return year


def parse_date(text: str) -> date:
    """A date from text: 「令和7年4月1日」「R7.4.1」「R7/4/1」「2025/4/1」「2025-04-01」
    「2025年4月1日」「2025年（令和7年）4月1日」 → date(2025, 4, 1).

    An era date must fall inside its era: 「平成31年5月1日」 and 「令和元年4月30日」 are refused.
    """
    norm = _normalize(text)
    m = _KANJI_DATE_RE.match(norm)
    if m is not None and not _dual_shape_ok(m, suffix_required=True):
        m = None
    if m is None:
        m = _SEP_DATE_RE.match(norm)
    if m is None:
        raise EraParseError(
            _("「%(text)s」を日付として読み取れません。%(examples)sのように書いてください。")
            % {"text": text, "examples": _DATE_EXAMPLES}
        )
    year, era = _resolve_year(text, m, MIN_YEAR, MAX_YEAR)
    try:
        day = date(year, int(m.group("month")), int(m.group("day")))
    except ValueError:
        raise EraParseError(
            _("「%(text)s」という日付はありません。月と日を確かめてください。") % {"text": text}
        ) from None
    if era is not None and not era.contains(day):
        raise EraParseError(
            _("「%(text)s」は%(era)sの期間外です。") % {"text": text, "era": era.name}
            + _era_period_message(era)
        )
    return day


def parse_fiscal_period(text: str) -> tuple[int, int]:
    """A plan period: 「令和7年度～令和11年度」「R7～R11」「2025年度から2029年度」 → (2025, 2029).

    A single fiscal year is a one-year period.
    """
    pieces = _PERIOD_SPLIT_RE.split(text)
    if len(pieces) == 1:
        fy = parse_fiscal_year(text)
        return fy, fy
    if len(pieces) != 2 or not pieces[0].strip() or not pieces[1].strip():
        raise EraParseError(
            _("「%(text)s」を期間として読み取れません。%(examples)sのように書いてください。")
            % {"text": text, "examples": _PERIOD_EXAMPLES}
        )
    start, end = parse_fiscal_year(pieces[0]), parse_fiscal_year(pieces[1])
    if start > end:
        raise EraParseError(
            _("「%(text)s」は始まりの年度が終わりの年度より後です。順番を確かめてください。")
            % {"text": text}
        )
    return start, end
