"""Census tables as e-Stat publishes them (wide: one row per age group, 男・女 columns).

The long layout ``year,sex,age_group,population`` is read by :mod:`.tables`. This module
reads the wide layout of the e-Stat census tables 「男女，年齢（5歳階級）別人口」:

* any number of title lines above the header; the header is the first row with a
  「男」 (or 男性 / male) and a 「女」 (or 女性 / female) column;
* the age column: the header containing 「年齢」 (not a code column) or ``age_group``;
  without one, the first column;
* optional columns 「総数」 (checked: 男 + 女) and a year column (「時間軸（年次）」「年次」
  「調査年」「year」, values such as ``2020`` or ``2020年``);
* rows 「総数」「(再掲)…」「うち…」「平均年齢」「年齢中位数」 are skipped; a 「年齢不詳」 row
  must be zero or empty (use the 不詳補完値 tables, or distribute the unknowns first);
* five-year groups (``0～4歳`` …) and one open group (``100歳以上``); groups at and above
  the chosen top age are summed into the open top group (e.g. 90～94, 95～99, 100歳以上 →
  90+); single years (``0歳`` …) are summed into five-year groups when the table has no
  five-year rows (tables with both are read from their five-year rows);
* e-Stat's 「-」 (no such persons) reads as 0; 「X」 (secret) and 「…」 are refused.

Every problem is reported with the row (as the spreadsheet numbers it) and the column.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np

from keikaku.core.domain.i18n import _
from keikaku.core.domain.textio import NumberParseError, parse_number
from keikaku.demography.domain.agegroups import (
    FEMALE,
    MALE,
    AgeGroups,
    parse_age_group,
)
from keikaku.demography.domain.arrays import FloatArray, as_float_array
from keikaku.demography.domain.tables import BaseTable, InputError

Layout = Literal["long", "wide"]
LONG: Final = "long"
WIDE: Final = "wide"

HEADER_SEARCH_ROWS: Final = 50
MAX_AGE: Final = 130
TOTAL_TOLERANCE: Final = 0.5

_MALE_KEYS: Final = frozenset({"男", "男性", "male", "男子", "m"})
_FEMALE_KEYS: Final = frozenset({"女", "女性", "female", "女子", "f"})
_TOTAL_KEYS: Final = frozenset({"総数", "計", "合計", "total", "男女計", "総人口"})
_YEAR_KEYS: Final = frozenset({"year", "年", "年次", "調査年", "西暦"})
_SKIP_LABELS: Final = frozenset({"総数", "計", "合計", "total", "平均年齢", "年齢中位数", "中位数"})
_SKIP_PREFIXES: Final = ("(再掲)", "再掲", "うち", "(うち")
_UNKNOWN_LABELS: Final = frozenset({"年齢不詳", "不詳", "unknown"})
_ZERO_MARKS: Final = frozenset({"-", "‐", "―", "−", "ー"})
_UNIT_SUFFIX = re.compile(r"[\(\[【].*?[\)\]】]$")
_SINGLE_AGE = re.compile(r"^(\d+)歳$")
_YEAR_IN_TEXT = re.compile(r"(\d{4})")


def _key(cell: str) -> str:
    """A header or label for matching: NFKC, no blanks, lower case, no trailing （人）."""
    text = unicodedata.normalize("NFKC", cell).strip().lower().replace(" ", "")
    return _UNIT_SUFFIX.sub("", text)


def detect_census_layout(rows: Sequence[Sequence[str]]) -> Layout:
    """``long`` when the first non-blank row has ``sex``, ``age_group`` and ``population``."""
    for row in rows:
        keys = {_key(cell) for cell in row if cell.strip()}
        if keys:
            return LONG if {"sex", "age_group", "population"} <= keys else WIDE
    return WIDE


@dataclass(frozen=True)
class _Columns:
    header_row: int  # 0-based index into rows
    names: tuple[str, ...]  # header texts as written
    age: int
    male: int
    female: int
    total: int | None
    year: int | None


@dataclass(frozen=True)
class _Entry:
    row: int  # spreadsheet row number
    label: str
    ages: range  # single ages covered ([start, start+5) or [a, a+1)); empty for the open group
    open_start: int | None
    male: float
    female: float


class _Report:
    def __init__(self, source: str) -> None:
        self.source = source
        self.messages: list[str] = []

    def file(self, message: str) -> None:
        self.messages.append(f"{self.source}: {message}")

    def row(self, row: int, message: str) -> None:
        self.messages.append(
            _("%(source)s %(row)d行目: %(message)s")
            % {"source": self.source, "row": row, "message": message}
        )

    def cell(self, row: int, column: str, message: str) -> None:
        self.messages.append(
            _("%(source)s %(row)d行目 「%(column)s」列: %(message)s")
            % {"source": self.source, "row": row, "column": column, "message": message}
        )


def _find_columns(rows: Sequence[Sequence[str]], report: _Report) -> _Columns | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = [_key(cell) for cell in row]
        male = next((i for i, k in enumerate(keys) if k in _MALE_KEYS), None)
        female = next((i for i, k in enumerate(keys) if k in _FEMALE_KEYS), None)
        if male is None or female is None:
            continue
        total = next((i for i, k in enumerate(keys) if k in _TOTAL_KEYS), None)
        year = next(
            (
                i
                for i, k in enumerate(keys)
                if k in _YEAR_KEYS or "時間軸" in k or k.endswith("年次")
            ),
            None,
        )
        age = next(
            (
                i
                for i, k in enumerate(keys)
                if k in {"age_group", "age"}
                or ("年齢" in k and "コード" not in k and "code" not in k)
            ),
            None,
        )
        if age is None:
            taken = {male, female, total, year}
            if 0 in taken:
                report.row(
                    index + 1,
                    _("年齢の列が見つかりません。年齢区分の列の見出しを「年齢」にしてください。"),
                )
                return None
            age = 0
        names = tuple(cell.strip() or f"{i + 1}" for i, cell in enumerate(row))
        return _Columns(index, names, age, male, female, total, year)
    report.file(
        _(
            "見出しの行が見つかりません。「年齢」「男」「女」の列の見出しがある行を、先頭から %(rows)d 行以内に置いてください。"
        )
        % {"rows": HEADER_SEARCH_ROWS}
    )
    return None


def _cell(row: Sequence[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def _value(report: _Report, row_no: int, column: str, text: str) -> float | None:
    if text == "":
        report.cell(row_no, column, _("値が空です。人数を入れてください（いない場合は 0）。"))
        return None
    if text in _ZERO_MARKS:
        return 0.0
    try:
        value = parse_number(text)
    except NumberParseError:
        value = None
    if value is None or not math.isfinite(value):
        report.cell(
            row_no,
            column,
            _(
                "「%(value)s」は人数として読めません。人数を数字で入れてください（秘匿値「X」は使えません）。"
            )
            % {"value": text},
        )
        return None
    if value < 0:
        report.cell(
            row_no,
            column,
            _("人口が負の値（%(value)s）です。0 以上にしてください。") % {"value": text},
        )
        return None
    return value


def _label_ages(label: str) -> tuple[range, int | None] | None:
    """Ages covered by a row label: a five-year or single-year range, or an open start."""
    key = _key(label)
    single = _SINGLE_AGE.match(key)
    if single:
        age = int(single.group(1))
        return range(age, age + 1), None
    parsed = parse_age_group(label)
    if parsed is None:
        return None
    if parsed.is_open:
        return range(0), parsed.start
    return range(parsed.start, parsed.start + 5), None


def _read_year(
    report: _Report, rows: Sequence[Sequence[str]], columns: _Columns, given: int | None
) -> int | None:
    if columns.year is None:
        if given is None:
            report.file(
                _(
                    "年の列がありません。調査の年（西暦、例: 2020）を画面で入力するか、「年次」の列を付けてください。"
                )
            )
        return given
    found: dict[int, int] = {}
    name = columns.names[columns.year]
    for index in range(columns.header_row + 1, len(rows)):
        text = _cell(rows[index], columns.year)
        if not text:
            continue
        match = _YEAR_IN_TEXT.search(unicodedata.normalize("NFKC", text))
        if match is None:
            report.cell(
                index + 1,
                name,
                _("「%(value)s」は年として読めません。西暦の年（例: 2020年）にしてください。")
                % {"value": text},
            )
            continue
        found.setdefault(int(match.group(1)), index + 1)
    if len(found) > 1:
        years = "、".join(f"{y}年（{r}行目）" for y, r in sorted(found.items()))
        report.file(
            _("年が複数あります（%(years)s）。1 つの年の表にしてください。") % {"years": years}
        )
        return None
    if not found:
        return given
    year = next(iter(found))
    if given is not None and given != year:
        report.file(
            _(
                "ファイルの年 %(year)d年 と画面で入力した年 %(given)d年 が違います。どちらかに合わせてください。"
            )
            % {"year": year, "given": given}
        )
        return None
    return year


def read_census_wide(
    rows: Sequence[Sequence[str]], *, source: str, year: int | None, top_age: int = 90
) -> BaseTable:
    """The base population from an e-Stat-like wide table; :class:`InputError` lists problems."""
    groups = AgeGroups(top_age)
    report = _Report(source)
    columns = _find_columns(rows, report)
    if columns is None:
        raise InputError(report.messages)
    the_year = _read_year(report, rows, columns, year)
    age_name = columns.names[columns.age]
    male_name = columns.names[columns.male]
    female_name = columns.names[columns.female]
    entries: list[_Entry] = []
    for index in range(columns.header_row + 1, len(rows)):
        row = rows[index]
        row_no = index + 1
        label = _cell(row, columns.age)
        if not label:
            if any(cell.strip() for cell in row):
                report.cell(row_no, age_name, _("年齢区分が空です。年齢区分を入れてください。"))
            continue
        key = _key(label)
        if key in _SKIP_LABELS or key.startswith(_SKIP_PREFIXES):
            continue
        male = _value(report, row_no, male_name, _cell(row, columns.male))
        female = _value(report, row_no, female_name, _cell(row, columns.female))
        if key in _UNKNOWN_LABELS:
            unknown = (male or 0.0) + (female or 0.0)
            if unknown > 0:
                report.row(
                    row_no,
                    _(
                        "年齢不詳の人口（%(count)s 人）があります。不詳補完値の表を使うか、年齢別に按分してから取り込んでください。"
                    )
                    % {"count": f"{unknown:g}"},
                )
            continue
        ages = _label_ages(label)
        if ages is None:
            report.cell(
                row_no,
                age_name,
                _(
                    "「%(value)s」は年齢区分として読めません。「0～4歳」「5～9歳」…「100歳以上」のように 5 歳刻みで入れてください。"
                )
                % {"value": label},
            )
            continue
        if male is None or female is None:
            # Reported above; the row still counts as present for the coverage check.
            entries.append(_Entry(row_no, label, ages[0], ages[1], male or 0.0, female or 0.0))
            continue
        if columns.total is not None:
            total_text = _cell(row, columns.total)
            total = (
                _value(report, row_no, columns.names[columns.total], total_text)
                if total_text
                else None
            )
            if total is not None and abs(total - (male + female)) > TOTAL_TOLERANCE:
                report.cell(
                    row_no,
                    columns.names[columns.total],
                    _(
                        "総数 %(total)s が 男 + 女 = %(sum)s と一致しません。数値を確かめてください。"
                    )
                    % {"total": total_text, "sum": f"{male + female:,g}"},
                )
        entries.append(_Entry(row_no, label, ages[0], ages[1], male, female))
    has_five = any(len(e.ages) == 5 for e in entries)
    if has_five:
        entries = [e for e in entries if len(e.ages) != 1]
    population = _aggregate(report, entries, groups)
    if report.messages or population is None or the_year is None:
        raise InputError(report.messages)
    return BaseTable(the_year, groups, population)


def _aggregate(report: _Report, entries: list[_Entry], groups: AgeGroups) -> FloatArray | None:
    population = np.zeros((2, groups.size))
    covered: dict[int, int] = {}
    open_entry: _Entry | None = None
    for entry in entries:
        if entry.open_start is not None:
            if open_entry is not None:
                report.row(
                    entry.row,
                    _(
                        "「〇歳以上」の区分が %(first)d行目の「%(label)s」と 2 つあります。1 つにしてください。"
                    )
                    % {"first": open_entry.row, "label": open_entry.label},
                )
                continue
            if entry.open_start < groups.top_age:
                report.row(
                    entry.row,
                    _(
                        "最上位の区分「%(label)s」が、選んだ最上位の区分 %(top)s より下です。最上位の区分を %(start)d+ にして取り込み直してください。"
                    )
                    % {"label": entry.label, "top": groups.labels[-1], "start": entry.open_start},
                )
                continue
            open_entry = entry
            population[MALE, groups.top] += entry.male
            population[FEMALE, groups.top] += entry.female
            continue
        if entry.ages.stop > MAX_AGE:
            report.row(entry.row, _("年齢が大きすぎます（%(label)s）。") % {"label": entry.label})
            continue
        clash = next((covered[a] for a in entry.ages if a in covered), None)
        if clash is not None:
            report.row(
                entry.row,
                _("「%(label)s」の年齢が %(first)d行目と重なっています。1 行にしてください。")
                % {"label": entry.label, "first": clash},
            )
            continue
        for age in entry.ages:
            covered[age] = entry.row
        index = groups.index_of_age(entry.ages.start)
        population[MALE, index] += entry.male
        population[FEMALE, index] += entry.female
    if open_entry is None:
        report.file(
            _(
                "最上位の「〇歳以上」の行がありません。「90歳以上」や「100歳以上」の行を入れてください。"
            )
        )
        return None
    open_start = open_entry.open_start or 0
    beyond = [a for a in covered if a >= open_start]
    if beyond:
        report.row(
            covered[min(beyond)],
            _("%(age)d歳が「%(label)s」の行と重なっています。1 行にしてください。")
            % {"age": min(beyond), "label": open_entry.label},
        )
    missing = sorted({a // 5 for a in range(open_start) if a not in covered})
    if missing:
        labels = "、".join(f"{5 * b}～{5 * b + 4}歳" for b in missing)
        report.file(
            _(
                "年齢 %(labels)s の行がありません（一部の年齢だけの場合も含む）。すべての年齢を入れてください。"
            )
            % {"labels": labels}
        )
    if report.messages:
        return None
    return as_float_array(population)
