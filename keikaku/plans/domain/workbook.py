"""The plan workbook (計画ワークブック): one file format for the whole plan structure.

This module is the format definition and everything about it that needs no database:

- the sheets, their columns, Japanese headers, natural keys and cell kinds (:data:`SHEETS`);
- reading .xlsx, a zip of CSV files, loose CSV files and JSON into raw rows
  (:func:`read_files`), and parsing and validating those rows into :class:`WorkbookData`,
  collecting *every* problem with its sheet, row and column (:func:`parse_workbook`);
- writing :class:`WorkbookData` as .xlsx, a zip of CSV files or JSON;
- comparing the data in the database with the data of a file (:func:`diff_workbooks`,
  :func:`diff_header`) so that an import can be previewed before anything is written.

Sheet names and headers are part of the format: they are fixed Japanese text, not translated.
Messages are translated. The format is documented in docs/formats/plan-workbook.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import Enum
from pathlib import PurePosixPath
from typing import Any, Literal

from keikaku.core.domain import fiscal, textio
from keikaku.core.domain.i18n import _
from keikaku.plans.domain.codes import parse_sdgs, validate_municipality_code

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "SHEETS",
    "SHEET_BY_KEY",
    "Change",
    "Column",
    "Kind",
    "ParseResult",
    "Problem",
    "RawSheet",
    "RawWorkbook",
    "Record",
    "Sheet",
    "Value",
    "WorkbookData",
    "build_workbook",
    "canonical_value",
    "changes_digest",
    "diff_header",
    "diff_workbooks",
    "empty_workbook",
    "parse_workbook",
    "read_files",
    "record_label",
    "write_csv_zip",
    "write_json",
    "write_xlsx",
]

FORMAT_NAME = "keikaku-plan-workbook"
FORMAT_VERSION = 1
MIN_FY = 1900
MAX_FY = 2200
EXCEL_CELL_LIMIT = 32767
SIGNIFICANT_DIGITS = 15  # what Excel keeps of a number
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # refuse zip bombs
SMALLINT_MAX = 32767
INT_MAX = 2147483647
BIGINT_MIN = -9223372036854775808
BIGINT_MAX = 9223372036854775807

Value = str | int | float | bool | date | tuple[int, ...] | tuple[str, ...] | None


class Kind(Enum):
    TEXT = "text"  # free text, kept as written (line ends become \n)
    CODE = "code"  # a code or number used as a key (blanks around it removed)
    INT = "int"
    NUMBER = "number"  # a real number (15 significant digits)
    FY = "fy"  # a fiscal year, Gregorian integer
    DATE = "date"
    BOOL = "bool"  # はい / いいえ
    CHOICE = "choice"  # one of a few labels
    INT_LIST = "int_list"  # SDGs goals 「3、11」
    CODE_LIST = "code_list"  # codes 「K01、K02」


@dataclass(frozen=True)
class Column:
    key: str  # identifier (JSON key); the model field unless `field` says otherwise
    header: str  # the fixed Japanese header (units included)
    kind: Kind
    required: bool = False
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (stored code, label written on export)
    aliases: tuple[tuple[str, str], ...] = ()  # (other accepted text, stored code)
    min_value: int | None = None
    max_value: int | None = None
    ref: str | None = None  # key of the sheet whose natural key this cell names
    group: str = ""  # 基本情報 only: municipality / plan / concept / edition
    field: str = ""  # model field name when it differs from `key`
    pad: int = 0  # numeric code written as a number by a spreadsheet: zero-pad to this width
    default: int | None = None  # INT: the value of a blank cell
    optional: bool = False  # added after version 1: a file without this column reads as blank

    @property
    def model_field(self) -> str:
        return self.field or self.key

    def label_of(self, code: str | None) -> str:
        for stored, label in self.choices:
            if stored == code:
                return label
        return code or ""


@dataclass(frozen=True)
class Sheet:
    key: str  # identifier: CSV file name stem and JSON key
    title: str  # sheet name in the workbook
    entity: str  # what one row is (for messages): 施策
    columns: tuple[Column, ...]
    key_columns: tuple[str, ...]  # natural key; () for the single-row 基本情報
    label_columns: tuple[str, ...]
    sort_columns: tuple[str, ...]
    single_row: bool = False

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @property
    def filename(self) -> str:
        return f"{self.key}.csv"


def _text(
    key: str,
    header: str,
    max_length: int | None = None,
    *,
    required: bool = False,
    group: str = "",
    field: str = "",
    optional: bool = False,
) -> Column:
    return Column(
        key,
        header,
        Kind.TEXT,
        required=required,
        max_length=max_length,
        group=group,
        field=field,
        optional=optional,
    )


def _title_en(group: str, header: str) -> Column:
    """The English title of the plan or the edition: added after version 1 (optional)."""
    return _text(f"{group}_title_en", header, 300, group=group, field="title_en", optional=True)


def _number(key: str, header: str, *, required: bool = True, ref: str | None = None) -> Column:
    """A number from 1 that names an item (政策分野番号, 重点戦略番号 …) or refers to one."""
    return Column(
        key, header, Kind.INT, required=required, min_value=1, max_value=SMALLINT_MAX, ref=ref
    )


def _order(max_value: int = SMALLINT_MAX) -> Column:
    return Column("order", "表示順", Kind.INT, min_value=0, max_value=max_value, default=0)


def _code(
    key: str, header: str, max_length: int, *, required: bool = False, ref: str | None = None
) -> Column:
    return Column(key, header, Kind.CODE, required=required, max_length=max_length, ref=ref)


def _fy(
    key: str, header: str, *, required: bool = False, group: str = "", field: str = ""
) -> Column:
    return Column(key, header, Kind.FY, required=required, group=group, field=field)


def _cost(key: str, header: str) -> Column:
    return Column(key, header, Kind.INT, min_value=BIGINT_MIN, max_value=BIGINT_MAX)


def _sheet(
    key: str,
    title: str,
    columns: tuple[Column, ...],
    *,
    keys: tuple[str, ...],
    label: tuple[str, ...] | None = None,
    sort: tuple[str, ...] | None = None,
    single_row: bool = False,
) -> Sheet:
    """A sheet whose rows are each one 「title」, named by the `keys` columns (and by `label`,
    if given) and sorted by them (or by `sort`)."""
    return Sheet(
        key=key,
        title=title,
        entity=title,
        columns=columns,
        key_columns=keys,
        label_columns=keys if label is None else label,
        sort_columns=keys if sort is None else sort,
        single_row=single_row,
    )


def _numbered(key: str, title: str, number: str, columns: tuple[Column, ...]) -> Sheet:
    """A sheet of numbered items (基本目標, 政策分野, 重点戦略): number, title, …"""
    columns = (_number("number", number), *columns)
    return _sheet(key, title, columns, keys=("number",), label=("number", "title"))


EDITION_KINDS = (("former", "前期"), ("latter", "後期"), ("single", "単独"))
EDITION_STATUSES = (("draft", "策定中"), ("in_force", "計画期間中"), ("ended", "計画期間終了"))
DEPARTMENT_KINDS = (("department", "部"), ("section", "課"))
DIRECTIONS = (
    ("increase", "増加"),
    ("decrease", "減少"),
    ("maintain", "維持"),
    ("milestone", "達成"),
)
DIRECTION_ALIASES = (
    ("増加を目指す", "increase"),
    ("減少を目指す", "decrease"),
    ("維持を目指す", "maintain"),
    ("達成・未達成", "milestone"),
    ("↑", "increase"),
    ("↓", "decrease"),
)
COST_KINDS = (("plan", "計画"), ("actual", "決算"))
COST_KIND_ALIASES = (("計画額", "plan"), ("決算額", "actual"), ("実績", "actual"))

PLAN = _sheet(
    "plan",
    "基本情報",
    (
        Column(
            "municipality_code",
            "全国地方公共団体コード",
            Kind.CODE,
            required=True,
            max_length=6,
            group="municipality",
            field="code",
            pad=6,
        ),
        _text("municipality_name", "団体名", 50, required=True, group="municipality", field="name"),
        _text("municipality_name_en", "団体名（英語）", 80, group="municipality", field="name_en"),
        _text("prefecture", "都道府県", 10, required=True, group="municipality"),
        Column("is_demo", "デモデータ", Kind.BOOL, group="municipality"),
        Column(
            "plan_ordinal",
            "総合計画（第何次）",
            Kind.INT,
            required=True,
            min_value=1,
            max_value=SMALLINT_MAX,
            group="plan",
            field="ordinal",
        ),
        _text("plan_title", "総合計画名", 200, required=True, group="plan", field="title"),
        _title_en("plan", "総合計画名（英語）"),
        _fy("plan_start_fy", "総合計画の開始年度", required=True, group="plan", field="start_fy"),
        _fy("plan_end_fy", "総合計画の終了年度", required=True, group="plan", field="end_fy"),
        Column("plan_adopted_on", "総合計画の策定日", Kind.DATE, group="plan", field="adopted_on"),
        _text("vision", "将来像", 200, group="concept"),
        _text("vision_en", "将来像（英語）", 300, group="concept"),
        _text("concept_description", "基本構想の概要", group="concept", field="description"),
        _fy("concept_start_fy", "基本構想の開始年度", group="concept", field="start_fy"),
        _fy("concept_end_fy", "基本構想の終了年度", group="concept", field="end_fy"),
        _text("population_frame", "将来人口（人口フレーム）", group="concept"),
        _text("land_use", "土地利用の方針", group="concept"),
        Column(
            "edition_kind",
            "基本計画の区分",
            Kind.CHOICE,
            required=True,
            choices=EDITION_KINDS,
            group="edition",
            field="kind",
        ),
        _text("edition_title", "基本計画名", 200, required=True, group="edition", field="title"),
        _title_en("edition", "基本計画名（英語）"),
        _fy(
            "edition_start_fy",
            "基本計画の開始年度",
            required=True,
            group="edition",
            field="start_fy",
        ),
        _fy("edition_end_fy", "基本計画の終了年度", required=True, group="edition", field="end_fy"),
        Column(
            "edition_status",
            "基本計画の状態",
            Kind.CHOICE,
            required=True,
            choices=EDITION_STATUSES,
            group="edition",
            field="status",
        ),
        _text("introduction", "序論", group="edition"),
    ),
    keys=(),
    label=("edition_title",),
    single_row=True,
)

GOALS = _numbered(
    "goals",
    "基本目標",
    "基本目標番号",
    (
        _text("title", "基本目標", 200, required=True),
        _text("description", "説明"),
    ),
)

DEPARTMENTS = _sheet(
    "departments",
    "部署",
    (
        _code("code", "部署コード", 20, required=True),
        _text("name", "部署名", 100, required=True),
        Column("kind", "種別", Kind.CHOICE, required=True, choices=DEPARTMENT_KINDS),
        _code("parent", "上位の部の部署コード", 20, ref="departments"),
        _order(INT_MAX),
    ),
    keys=("code",),
    label=("code", "name"),
    sort=("order", "code"),
)

AREAS = _numbered(
    "areas",
    "政策分野",
    "政策分野番号",
    (
        _text("title", "政策分野名", 200, required=True),
        _text("title_en", "政策分野名（英語）", 300),
        _text("description", "説明"),
    ),
)

MEASURES = _sheet(
    "measures",
    "施策",
    (
        _code("code", "施策番号", 20, required=True),
        _number("area", "政策分野番号", ref="areas"),
        _order(),
        _text("title", "施策名", 200, required=True),
        _text("title_en", "施策名（英語）", 300),
        _text("plain_summary", "やさしい日本語の要約"),
        _text("target_state", "目指す姿"),
        _text("current_issues", "現状と課題"),
        _text("role_citizens", "役割分担（市民）"),
        _text("role_businesses", "役割分担（事業者）"),
        _text("role_city", "役割分担（市）"),
        Column(
            "departments", "担当部署の部署コード", Kind.CODE_LIST, max_length=20, ref="departments"
        ),
        Column("sdgs", "SDGsのゴール（1～17）", Kind.INT_LIST),
        _text("related_plans", "関連する個別計画（1行に1つ）"),
    ),
    keys=("code",),
    label=("code", "title"),
    sort=("area", "order", "code"),
)

INITIATIVES = _sheet(
    "initiatives",
    "主な取組",
    (
        _code("measure", "施策番号", 20, required=True, ref="measures"),
        _number("number", "取組番号"),
        _text("title", "主な取組", 200, required=True),
        _text("description", "内容"),
        _code("responsible_section", "担当課の部署コード", 20, ref="departments"),
    ),
    keys=("measure", "number"),
    label=("measure", "number", "title"),
)

STRATEGIES = _numbered(
    "strategies",
    "重点戦略",
    "重点戦略番号",
    (
        _text("title", "重点戦略名", 200, required=True),
        _text("title_en", "重点戦略名（英語）", 300),
        _text("description", "説明"),
        _text("basic_goal", "基本目標（地方版総合戦略）"),
        Column("measures", "関連する施策の施策番号", Kind.CODE_LIST, max_length=20, ref="measures"),
    ),
)

INDICATORS = _sheet(
    "indicators",
    "成果指標",
    (
        _code("code", "指標番号", 30, required=True),
        _code("measure", "施策番号", 20, ref="measures"),
        _number("strategy", "重点戦略番号", required=False, ref="strategies"),
        _order(),
        _text("name", "指標名", 200, required=True),
        _text("name_en", "指標名（英語）", 300),
        _text("unit", "単位", 30),
        Column(
            "direction",
            "方向",
            Kind.CHOICE,
            required=True,
            choices=DIRECTIONS,
            aliases=DIRECTION_ALIASES,
        ),
        Column("baseline_value", "基準値", Kind.NUMBER),
        _fy("baseline_fy", "基準値の年度"),
        Column("baseline_as_of", "基準値の時点", Kind.DATE),
        Column("target_value", "目標値", Kind.NUMBER),
        _fy("target_fy", "目標年度"),
        Column("cumulative", "累計", Kind.BOOL),
        Column("survey_based", "市民意識調査による指標", Kind.BOOL),
        _text("source", "出典", 200),
        _text("description", "指標の説明"),
    ),
    keys=("code",),
    label=("code", "name"),
    sort=("strategy", "measure", "order", "code"),
)

INDICATOR_VALUES = _sheet(
    "indicator_values",
    "実績値",
    (
        _code("indicator", "指標番号", 30, required=True, ref="indicators"),
        _fy("fiscal_year", "年度", required=True),
        Column("value", "実績値", Kind.NUMBER),
        Column("as_of", "時点", Kind.DATE),
        _text("note", "備考", 300),
    ),
    keys=("indicator", "fiscal_year"),
)

PROGRAMMES = _sheet(
    "programmes",
    "事務事業",
    (
        _code("code", "事業番号", 30, required=True),
        _text("name", "事業名", 200, required=True),
        _code("department", "担当課の部署コード", 20, ref="departments"),
        _code("measure", "施策番号", 20, ref="measures"),
        _text("description", "事業概要"),
        _text("account", "会計", 50),
        _text("legal_basis", "根拠法令等", 200),
    ),
    keys=("code",),
    label=("code", "name"),
)

PROGRAMME_COSTS = _sheet(
    "programme_costs",
    "事業費",
    (
        _code("programme", "事業番号", 30, required=True, ref="programmes"),
        _fy("fiscal_year", "年度", required=True),
        Column(
            "is_plan",
            "区分（計画・決算）",
            Kind.CHOICE,
            required=True,
            choices=COST_KINDS,
            aliases=COST_KIND_ALIASES,
        ),
        _cost("total", "事業費（千円）"),
        _cost("national", "国庫支出金（千円）"),
        _cost("prefectural", "県支出金（千円）"),
        _cost("bonds", "地方債（千円）"),
        _cost("other", "その他（千円）"),
        _cost("general", "一般財源（千円）"),
        _text("note", "備考", 300),
    ),
    keys=("programme", "fiscal_year", "is_plan"),
)

SHEETS: tuple[Sheet, ...] = (
    PLAN,
    GOALS,
    DEPARTMENTS,
    AREAS,
    MEASURES,
    INITIATIVES,
    STRATEGIES,
    INDICATORS,
    INDICATOR_VALUES,
    PROGRAMMES,
    PROGRAMME_COSTS,
)
SHEET_BY_KEY: dict[str, Sheet] = {s.key: s for s in SHEETS}
HEADER_GROUPS: tuple[tuple[str, str], ...] = (
    ("municipality", "自治体"),
    ("plan", "総合計画"),
    ("concept", "基本構想"),
    ("edition", "基本計画"),
)
CONCEPT_FLAG = "vision"  # the basic concept exists when 将来像 is filled in


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Record:
    """One row of a sheet: its row number in the file and its values by column key."""

    row: int
    values: dict[str, Value]

    def get(self, key: str) -> Value:
        return self.values.get(key)


@dataclass(frozen=True)
class WorkbookData:
    """Every sheet's records (every sheet key is present, possibly with no records)."""

    sheets: dict[str, tuple[Record, ...]]

    def records(self, sheet: str) -> tuple[Record, ...]:
        return self.sheets.get(sheet, ())

    def header(self) -> Record | None:
        rows = self.records(PLAN.key)
        return rows[0] if rows else None

    def values(self) -> dict[str, list[dict[str, Value]]]:
        """The content without row numbers (for comparisons)."""
        return {k: [dict(r.values) for r in rows] for k, rows in self.sheets.items()}


@dataclass(frozen=True)
class Problem:
    """Something wrong with the input, located as precisely as possible."""

    sheet: str  # sheet title (基本情報, 施策 …); "" when about the whole file
    row: int | None
    column: str | None  # header as written in the file
    column_letter: str | None  # A, B, … (None for JSON or a missing column)
    message: str
    source: str = ""  # file name, when the sheet came from its own file (CSV)
    row_word: str = "行目"  # 「件目」 for JSON records

    def location(self) -> str:
        parts: list[str] = []
        if self.sheet:
            where = _("「%(sheet)s」シート") % {"sheet": self.sheet}
            if self.source:
                where = f"{self.source}（{where}）"
            parts.append(where)
        elif self.source:
            parts.append(self.source)
        if self.row is not None:
            parts.append(f"{self.row}{self.row_word}")
        if self.column is not None:
            letter = f"{self.column_letter}列" if self.column_letter else ""
            parts.append(f"{letter}「{self.column}」")
        elif self.column_letter:
            parts.append(f"{self.column_letter}列")
        return " ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class RawSheet:
    """A sheet as read from a file, before any parsing."""

    name: str  # sheet name or file name stem as found
    header: tuple[object, ...]
    rows: tuple[tuple[int, tuple[object, ...]], ...]  # (row number, cells)
    source: str = ""  # file name when the sheet is its own file
    guarded: bool = False  # CSV: undo the formula guard on text
    letters: bool = True  # spreadsheet columns have letters (JSON has none)
    row_word: str = "行目"


@dataclass(frozen=True)
class RawWorkbook:
    sheets: tuple[RawSheet, ...]
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class ParseResult:
    data: WorkbookData | None  # None when there is any problem
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


# --------------------------------------------------------------------------- helpers


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _natural(text: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", text)
        if part
    )


def sort_key(value: Value) -> tuple[Any, ...]:
    """Order of values in a sorted column: blanks first, numbers, then codes naturally."""
    if value is None or value == "":
        return (0,)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, int | float):
        return (1, value)
    if isinstance(value, date):
        return (1, value.toordinal())
    if isinstance(value, tuple):
        return (3, tuple(sort_key(v) for v in value))
    return (2, _natural(value))


def _column_sort_key(col: Column, value: Value) -> tuple[Any, ...]:
    if col.kind is Kind.CHOICE:
        codes = [code for code, _label in col.choices]
        if isinstance(value, str) and value in codes:
            return (1, codes.index(value))
    return sort_key(value)


def _normalize_header(text: str) -> str:
    return textio.normalize_for_match(text).replace(" ", "")


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _round_number(value: float) -> float:
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def canonical_value(col: Column, value: object) -> Value:
    """The one representation of a stored value, shared by export and import."""
    kind = col.kind
    if kind is Kind.TEXT:
        return _newlines(str(value)) if value is not None else ""
    if kind is Kind.BOOL:
        return bool(value)
    if kind is Kind.INT_LIST:
        items = value if isinstance(value, list | tuple) else []
        return tuple(sorted({int(v) for v in items}))
    if kind is Kind.CODE_LIST:
        items = value if isinstance(value, list | tuple) else []
        cleaned = {unicodedata.normalize("NFKC", str(v)).strip() for v in items}
        cleaned.discard("")
        return tuple(sorted(cleaned, key=_natural))
    if value is None or value == "":
        return col.default
    if kind is Kind.CODE:
        return unicodedata.normalize("NFKC", str(value)).strip() or None
    if kind is Kind.CHOICE:
        return str(value).strip() or None
    if kind is Kind.INT or kind is Kind.FY:
        if isinstance(value, int | float | str):
            return int(value)
        raise TypeError(value)
    if kind is Kind.NUMBER:
        if isinstance(value, int | float | str):
            return _round_number(float(value))
        raise TypeError(value)
    if kind is Kind.DATE:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        raise TypeError(value)
    raise TypeError(kind)  # pragma: no cover


def _display(col: Column, value: Value) -> str:
    """A value as text (CSV cells, labels, messages)."""
    if value is None:
        return ""
    if col.kind is Kind.BOOL:
        return "はい" if value else "いいえ"
    if col.kind is Kind.CHOICE:
        return col.label_of(str(value))
    if isinstance(value, tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, float):
        return _format_float(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _format_float(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def record_label(sheet: Sheet, values: Mapping[str, Value]) -> str:
    """「施策「1-1 子育て支援の充実」」 — how an item is named in previews and messages."""
    parts = [_display(sheet.column(k), values.get(k)) for k in sheet.label_columns]
    return f"{sheet.entity}「{' '.join(p for p in parts if p)}」"


def empty_workbook() -> WorkbookData:
    return WorkbookData({s.key: () for s in SHEETS})


def build_workbook(rows: Mapping[str, Iterable[Mapping[str, object]]]) -> WorkbookData:
    """Workbook data from plain values (the database side): canonical values, fixed order.

    Rows are sorted by each sheet's sort columns and numbered as the exported file numbers
    them (the header is row 1), so that parsing the exported file gives equal data.
    """
    sheets: dict[str, tuple[Record, ...]] = {}
    for sheet in SHEETS:
        items = [
            {col.key: canonical_value(col, item.get(col.key)) for col in sheet.columns}
            for item in rows.get(sheet.key, ())
        ]
        if sheet.sort_columns:
            cols = [sheet.column(k) for k in sheet.sort_columns]
            items.sort(key=lambda v: tuple(_column_sort_key(c, v[c.key]) for c in cols))
        sheets[sheet.key] = tuple(Record(row=i, values=v) for i, v in enumerate(items, start=2))
    return WorkbookData(sheets)


# --------------------------------------------------------------------------- cell parsing


class CellError(ValueError):
    """A cell that cannot be read; the message says what to write instead."""


class FileReadError(ValueError):
    """A file that cannot be opened as a workbook."""


_TRUE = {"はい", "1", "true", "yes", "y", "○", "〇", "◯", "有", "あり", "該当"}
_FALSE = {"いいえ", "0", "false", "no", "n", "×", "-", "ー", "無", "なし", "非該当"}
_LIST_SPLIT = re.compile(r"[、,，;；\s]+")
_CONTROL_ESCAPE = re.compile(r"_x(00[01][0-9A-Fa-f])_")
_DIGITS = re.compile(r"\d+")


def _cell_text(raw: object) -> str:
    """A non-text cell written as text (a number typed into a text column, for example)."""
    if isinstance(raw, bool):
        return "はい" if raw else "いいえ"
    if isinstance(raw, float):
        return _format_float(raw)
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == time() else raw.isoformat(sep=" ")
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw)


def _is_blank(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return raw.strip() == ""
    if isinstance(raw, tuple):
        return all(_is_blank(v) for v in raw)
    return False


def _int_from(raw: object, col: Column, text: str) -> int:
    if isinstance(raw, bool) or isinstance(raw, date | time):
        raise CellError(
            _("「%(text)s」は整数ではありません。「3」のように整数で入力してください。")
            % {"text": text}
        )
    number: float | None
    if isinstance(raw, int | float):
        number = float(raw)
        if isinstance(raw, int):
            return _check_range(raw, col, text)
    else:
        try:
            number = textio.parse_number(text)
        except textio.NumberParseError:
            number = None
    if number is None or not number.is_integer():
        raise CellError(
            _("「%(text)s」は整数ではありません。「3」のように整数で入力してください。")
            % {"text": text}
        )
    return _check_range(int(number), col, text)


def _check_range(value: int, col: Column, text: str) -> int:
    low, high = col.min_value, col.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            message = _("「%(text)s」は使えません。%(min)s以上の整数で入力してください。")
        else:
            message = _(
                "「%(text)s」は使えません。%(min)s以上%(max)s以下の整数で入力してください。"
            )
        raise CellError(message % {"text": text, "min": low, "max": high})
    return value


def _fiscal_year_from(raw: object, text: str) -> int:
    if isinstance(raw, bool) or isinstance(raw, date | time):
        raise CellError(
            _(
                "「%(text)s」は年度ではありません。「2025」「令和7年度」「R7」のように年度を入力してください。"
            )
            % {"text": text}
        )
    if isinstance(raw, int | float):
        if not float(raw).is_integer():
            raise CellError(
                _(
                    "「%(text)s」は年度ではありません。「2025」「令和7年度」「R7」のように年度を入力してください。"
                )
                % {"text": text}
            )
        fy = int(raw)
    else:
        try:
            fy = fiscal.parse_fiscal_year(text)
        except ValueError as exc:
            raise CellError(str(exc)) from None
    if not MIN_FY <= fy <= MAX_FY:
        raise CellError(
            _(
                "「%(text)s」は扱えない年度です。%(min)s年度から%(max)s年度までの年度を入力してください。"
            )
            % {"text": text, "min": MIN_FY, "max": MAX_FY}
        )
    return fy


def _date_from(raw: object, text: str) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        raise CellError(
            _(
                "「%(text)s」を日付として読み取れません。「2025-04-01」「令和7年4月1日」のように書いてください。"
            )
            % {"text": text}
        )
    try:
        day = fiscal.parse_date(text)
    except ValueError as exc:
        raise CellError(str(exc)) from None
    if not MIN_FY <= day.year <= MAX_FY + 1:
        raise CellError(
            _(
                "「%(text)s」は扱えない日付です。%(min)s年から%(max)s年までの日付を入力してください。"
            )
            % {"text": text, "min": MIN_FY, "max": MAX_FY + 1}
        )
    return day


def _choice_from(col: Column, text: str) -> str:
    wanted = _normalize_header(text)
    for code, label in col.choices:
        if wanted in (_normalize_header(label), code):
            return code
    for alias, code in col.aliases:
        if wanted == _normalize_header(alias):
            return code
    labels = "・".join(f"「{label}」" for _code, label in col.choices)
    raise CellError(
        _("「%(text)s」は選べません。%(labels)sのいずれかを入力してください。")
        % {"text": text, "labels": labels}
    )


def _code_from(col: Column, raw: object, text: str) -> str:
    if isinstance(raw, bool) or isinstance(raw, date | time):
        raise CellError(_("「%(text)s」は番号やコードとして読めません。") % {"text": text})
    code = unicodedata.normalize("NFKC", text).strip()
    if col.pad and isinstance(raw, int | float):
        code = code.zfill(col.pad)
    if col.key == "municipality_code":
        code = _municipality_code(code)
    return code


def _municipality_code(code: str) -> str:
    plain = unicodedata.normalize("NFKC", code).strip()
    if len(plain) == 5 and plain.isascii() and plain.isdigit():
        # A spreadsheet drops the leading 0 of 「011002」: take it back if the check digit agrees.
        try:
            return validate_municipality_code("0" + plain)
        except ValueError:
            raise CellError(
                _("団体コード「%(code)s」は6桁（検査数字付き）で入力してください（例: 112411）。")
                % {"code": code}
            ) from None
    try:
        return validate_municipality_code(plain)
    except ValueError as exc:
        raise CellError(str(exc)) from None


def parse_cell(col: Column, raw: object) -> Value:
    """One cell → its canonical value; raises :class:`CellError` with a Japanese message."""
    if isinstance(raw, tuple) and col.kind not in (Kind.INT_LIST, Kind.CODE_LIST):
        raise CellError(_("この列には値を一つだけ入力してください。"))
    if isinstance(raw, dict):
        raise CellError(_("この列には文字か数値を入力してください。"))
    if _is_blank(raw):
        if col.required:
            raise CellError(
                _("「%(header)s」が空欄です。入力してください。") % {"header": col.header}
            )
        if col.kind is Kind.TEXT:
            return _newlines(raw) if isinstance(raw, str) else ""
        return canonical_value(col, None)
    text = _cell_text(raw) if not isinstance(raw, tuple) else "、".join(_cell_text(v) for v in raw)
    kind = col.kind
    if kind is Kind.TEXT:
        value = _newlines(text)
        if col.max_length is not None and len(value) > col.max_length:
            raise CellError(
                _("%(max)s文字以内で入力してください（今は%(count)s文字です）。")
                % {"max": col.max_length, "count": len(value)}
            )
        return value
    if kind is Kind.CODE:
        code = _code_from(col, raw, text)
        if col.max_length is not None and len(code) > col.max_length:
            raise CellError(
                _("%(max)s文字以内で入力してください（今は%(count)s文字です）。")
                % {"max": col.max_length, "count": len(code)}
            )
        return code
    if kind is Kind.INT:
        return _int_from(raw, col, text)
    if kind is Kind.NUMBER:
        if isinstance(raw, bool) or isinstance(raw, date | time):
            raise CellError(
                _(
                    "「%(text)s」を数値として読み取れません。「1234」「1,234」「-5」「3.14」のように数字で書いてください。"
                )
                % {"text": text}
            )
        if isinstance(raw, int | float):
            return _round_number(float(raw))
        try:
            number = textio.parse_number(text)
        except textio.NumberParseError as exc:
            raise CellError(str(exc)) from None
        return None if number is None else _round_number(number)
    if kind is Kind.FY:
        return _fiscal_year_from(raw, text)
    if kind is Kind.DATE:
        return _date_from(raw, text)
    if kind is Kind.BOOL:
        if isinstance(raw, bool):
            return raw
        word = _normalize_header(text)
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise CellError(
            _("「%(text)s」は「はい」か「いいえ」で入力してください。") % {"text": text}
        )
    if kind is Kind.CHOICE:
        return _choice_from(col, text)
    if kind is Kind.INT_LIST:
        try:
            return tuple(parse_sdgs(text))
        except ValueError as exc:
            raise CellError(str(exc)) from None
    if kind is Kind.CODE_LIST:
        codes = [c for c in _LIST_SPLIT.split(unicodedata.normalize("NFKC", text)) if c]
        for code in codes:
            if col.max_length is not None and len(code) > col.max_length:
                raise CellError(
                    _(
                        "「%(code)s」は長すぎます。%(max)s文字以内のコードを「、」で区切って入力してください。"
                    )
                    % {"code": code, "max": col.max_length}
                )
        return canonical_value(col, codes)
    raise CellError(kind.value)  # pragma: no cover


# --------------------------------------------------------------------------- sheet parsing


@dataclass
class _SheetState:
    sheet: Sheet
    raw: RawSheet
    positions: dict[str, int] = field(default_factory=dict)  # column key → index
    headers: dict[str, str] = field(default_factory=dict)  # column key → header as written
    records: list[Record] = field(default_factory=list)
    bad_cells: set[tuple[int, str]] = field(default_factory=set)  # (row, key) not readable
    header_ok: bool = False

    @property
    def keys_known(self) -> bool:
        """Every natural key of this sheet was read (so a missing reference is really missing)."""
        return self.header_ok and not any(
            (r.row, k) in self.bad_cells for r in self.records for k in self.sheet.key_columns
        )

    def problem(self, row: int | None, key: str | None, message: str) -> Problem:
        col_name: str | None = None
        letter: str | None = None
        if key is not None:
            col_name = self.headers.get(key, self.sheet.column(key).header)
            index = self.positions.get(key)
            if index is not None and self.raw.letters:
                letter = column_letter(index)
        return Problem(
            sheet=self.sheet.title,
            row=row,
            column=col_name,
            column_letter=letter,
            message=message,
            source=self.raw.source,
            row_word=self.raw.row_word,
        )


def _match_sheet(name: str) -> Sheet | None:
    wanted = _normalize_header(PurePosixPath(name).stem if name.lower().endswith(".csv") else name)
    for sheet in SHEETS:
        if wanted in (_normalize_header(sheet.title), sheet.key):
            return sheet
    return None


def _read_header(state: _SheetState) -> list[Problem]:
    problems: list[Problem] = []
    sheet, raw = state.sheet, state.raw
    by_name: dict[str, Column] = {}
    for col in sheet.columns:
        by_name[_normalize_header(col.header)] = col
        by_name[col.key] = col
    header_row = 0 if raw.row_word == "件目" else 1
    for index, cell in enumerate(raw.header):
        name = "" if cell is None else _cell_text(cell)
        if raw.guarded:
            name = textio.unguard_formula(name)
        if not name.strip():
            continue
        letter = column_letter(index) if raw.letters else None
        found = by_name.get(_normalize_header(name))
        if found is None:
            problems.append(
                Problem(
                    sheet.title,
                    header_row or None,
                    name.strip(),
                    letter,
                    _(
                        "見出し「%(name)s」はこのシートの列ではありません。見出しを直すか、列を削除してください。"
                    )
                    % {"name": name.strip()},
                    raw.source,
                    raw.row_word,
                )
            )
            continue
        if found.key in state.positions:
            first = state.positions[found.key]
            problems.append(
                Problem(
                    sheet.title,
                    header_row or None,
                    name.strip(),
                    letter,
                    _(
                        "見出し「%(name)s」の列が2つあります（%(first)s列と%(second)s列）。1つにしてください。"
                    )
                    % {
                        "name": found.header,
                        "first": column_letter(first),
                        "second": letter or index + 1,
                    },
                    raw.source,
                    raw.row_word,
                )
            )
            continue
        state.positions[found.key] = index
        state.headers[found.key] = name.strip()
    for col in sheet.columns:
        if col.key not in state.positions and not col.optional:
            problems.append(
                Problem(
                    sheet.title,
                    header_row or None,
                    col.header,
                    None,
                    _(
                        "見出し「%(name)s」の列がありません。書き出したファイルの見出し行をそのまま使ってください。"
                    )
                    % {"name": col.header},
                    raw.source,
                    raw.row_word,
                )
            )
    return problems


def _unescape(value: object, guarded: bool) -> object:
    if isinstance(value, str):
        if guarded:
            value = textio.unguard_formula(value)
        return value
    if isinstance(value, tuple):
        return tuple(_unescape(v, guarded) for v in value)
    return value


def _read_rows(state: _SheetState) -> list[Problem]:
    problems: list[Problem] = []
    raw = state.raw
    known = set(state.positions.values())
    for row_no, cells in raw.rows:
        if all(_is_blank(c) for c in cells):
            continue
        for index, cell in enumerate(cells):
            if index in known or _is_blank(cell):
                continue
            problems.append(
                Problem(
                    state.sheet.title,
                    row_no,
                    None,
                    column_letter(index) if raw.letters else str(index + 1),
                    _(
                        "見出しのない列に値「%(value)s」があります。見出しを付けるか、値を消してください。"
                    )
                    % {"value": _cell_text(cell)},
                    raw.source,
                    raw.row_word,
                )
            )
        values: dict[str, Value] = {}
        for col in state.sheet.columns:
            at = state.positions.get(col.key)  # None: an optional column left out
            cell = _unescape(cells[at], raw.guarded) if at is not None and at < len(cells) else None
            try:
                values[col.key] = parse_cell(col, cell)
            except CellError as exc:
                problems.append(state.problem(row_no, col.key, str(exc)))
                state.bad_cells.add((row_no, col.key))
                values[col.key] = canonical_value(col, None)
        state.records.append(Record(row=row_no, values=values))
    return problems


# --------------------------------------------------------------------------- validation


def _key_text(sheet: Sheet, values: Mapping[str, Value]) -> str:
    return "・".join(_display(sheet.column(k), values.get(k)) for k in sheet.key_columns)


def _check_duplicates(state: _SheetState) -> list[Problem]:
    problems: list[Problem] = []
    sheet = state.sheet
    if not sheet.key_columns:
        return problems
    seen: dict[tuple[Value, ...], int] = {}
    for rec in state.records:
        if any((rec.row, k) in state.bad_cells for k in sheet.key_columns):
            continue
        key = tuple(rec.get(k) for k in sheet.key_columns)
        if key in seen:
            headers = "・".join(sheet.column(k).header for k in sheet.key_columns)
            problems.append(
                state.problem(
                    rec.row,
                    sheet.key_columns[-1],
                    _(
                        "%(headers)s「%(key)s」は%(first)s%(word)sと重複しています。どちらかを直すか、削除してください。"
                    )
                    % {
                        "headers": headers,
                        "key": _key_text(sheet, rec.values),
                        "first": seen[key],
                        "word": state.raw.row_word,
                    },
                )
            )
        else:
            seen[key] = rec.row
    return problems


def _check_references(states: Mapping[str, _SheetState]) -> list[Problem]:
    problems: list[Problem] = []
    keys: dict[str, set[Value]] = {}
    for key, state in states.items():
        sheet = state.sheet
        if len(sheet.key_columns) == 1 and state.keys_known:
            keys[key] = {r.get(sheet.key_columns[0]) for r in state.records}
    for state in states.values():
        for col in state.sheet.columns:
            if col.ref is None or col.ref not in keys:
                continue
            target = SHEET_BY_KEY[col.ref]
            known = keys[col.ref]
            for rec in state.records:
                if (rec.row, col.key) in state.bad_cells:
                    continue
                value = rec.get(col.key)
                wanted = value if isinstance(value, tuple) else (value,)
                for item in wanted:
                    if item is None or item in known:
                        continue
                    problems.append(
                        state.problem(
                            rec.row,
                            col.key,
                            _(
                                "%(header)s「%(value)s」の%(entity)sが「%(sheet)s」シートにありません。番号やコードを確かめるか、「%(sheet)s」シートに追加してください。"
                            )
                            % {
                                "header": target.column(target.key_columns[0]).header,
                                "value": item,
                                "entity": target.entity,
                                "sheet": target.title,
                            },
                        )
                    )
    return problems


def _check_period(state: _SheetState, rec: Record, start: str, end: str) -> list[Problem]:
    s, e = rec.get(start), rec.get(end)
    if isinstance(s, int) and isinstance(e, int) and e < s:
        return [
            state.problem(
                rec.row,
                end,
                _(
                    "「%(end_h)s」（%(end)s年度）が「%(start_h)s」（%(start)s年度）より前です。年度を確かめてください。"
                )
                % {
                    "end_h": state.sheet.column(end).header,
                    "end": e,
                    "start_h": state.sheet.column(start).header,
                    "start": s,
                },
            )
        ]
    return []


def _check_plan(state: _SheetState, goals: _SheetState | None) -> list[Problem]:
    problems: list[Problem] = []
    if len(state.records) != 1:
        problems.append(
            Problem(
                state.sheet.title,
                None,
                None,
                None,
                _(
                    "「基本情報」シートには計画を1行だけ入力してください（今は%(count)s行あります）。"
                )
                % {"count": len(state.records)},
                state.raw.source,
            )
        )
    for rec in state.records:
        problems += _check_period(state, rec, "plan_start_fy", "plan_end_fy")
        problems += _check_period(state, rec, "concept_start_fy", "concept_end_fy")
        problems += _check_period(state, rec, "edition_start_fy", "edition_end_fy")
        has_concept = bool(str(rec.get(CONCEPT_FLAG) or "").strip())
        concept_cols = [c for c in state.sheet.columns if c.group == "concept"]
        for col in concept_cols:
            if (rec.row, col.key) in state.bad_cells or col.key == CONCEPT_FLAG:
                continue
            value = rec.get(col.key)
            filled = value is not None and value != ""
            if not has_concept and filled:
                problems.append(
                    state.problem(
                        rec.row,
                        col.key,
                        _(
                            "「将来像」が空欄のため基本構想はありませんが、この列に値があります。将来像を入力するか、この値を消してください。"
                        ),
                    )
                )
            elif has_concept and col.kind is Kind.FY and not filled:
                problems.append(
                    state.problem(
                        rec.row,
                        col.key,
                        _("「%(header)s」が空欄です。入力してください。") % {"header": col.header},
                    )
                )
        if not has_concept and goals is not None:
            for goal in goals.records:
                problems.append(
                    goals.problem(
                        goal.row,
                        "number",
                        _(
                            "「基本情報」シートの「将来像」が空欄のため、基本目標を登録できません。将来像を入力してください。"
                        ),
                    )
                )
    return problems


def _check_departments(state: _SheetState) -> list[Problem]:
    problems: list[Problem] = []
    parents = {r.get("code"): r.get("parent") for r in state.records}
    reported: set[Value] = set()
    for rec in state.records:
        code = rec.get("code")
        chain = [code]
        current = parents.get(code)
        while current is not None and current in parents:
            if current in chain:
                if not reported.intersection(chain):
                    loop = chain[chain.index(current) :] + [current]
                    problems.append(
                        state.problem(
                            rec.row,
                            "parent",
                            _(
                                "上位の部の指定が循環しています（%(loop)s）。上位の部コードを直してください。"
                            )
                            % {"loop": " → ".join(str(c) for c in loop)},
                        )
                    )
                    reported.update(chain)
                break
            chain.append(current)
            current = parents.get(current)
    return problems


def _check_indicators(state: _SheetState) -> list[Problem]:
    problems: list[Problem] = []
    for rec in state.records:
        if (rec.row, "measure") in state.bad_cells or (rec.row, "strategy") in state.bad_cells:
            continue
        if (rec.get("measure") is None) == (rec.get("strategy") is None):
            problems.append(
                state.problem(
                    rec.row,
                    "measure",
                    _(
                        "指標は施策か重点戦略のどちらか一方に属します。「施策番号」と「重点戦略番号」のどちらか一方だけを入力してください。"
                    ),
                )
            )
    return problems


_COST_PARTS = ("national", "prefectural", "bonds", "other", "general")


def _check_costs(state: _SheetState) -> list[Problem]:
    problems: list[Problem] = []
    for rec in state.records:
        total = rec.get("total")
        parts = [rec.get(k) for k in _COST_PARTS]
        if not isinstance(total, int) or not all(isinstance(p, int) for p in parts):
            continue
        parts_sum = sum(p for p in parts if isinstance(p, int))
        if parts_sum != total:
            problems.append(
                state.problem(
                    rec.row,
                    "total",
                    _(
                        "財源内訳の合計（%(sum)s千円）が事業費（%(total)s千円）と一致しません。内訳か事業費を直してください。"
                    )
                    % {"sum": parts_sum, "total": total},
                )
            )
    return problems


# --------------------------------------------------------------------------- parse


def _problem_order(sheet_titles: Sequence[str]) -> Callable[[Problem], tuple[Any, ...]]:
    def key(p: Problem) -> tuple[Any, ...]:
        sheet_index = sheet_titles.index(p.sheet) if p.sheet in sheet_titles else -1
        letter = p.column_letter or ""
        return (sheet_index, p.row or 0, len(letter), letter)

    return key


def parse_workbook(raw: RawWorkbook) -> ParseResult:
    """Parse and validate every sheet; collect every problem. No data if anything is wrong."""
    problems: list[Problem] = list(raw.problems)
    states: dict[str, _SheetState] = {}
    if raw.problems and not raw.sheets:
        return ParseResult(None, tuple(problems))
    for raw_sheet in raw.sheets:
        sheet = _match_sheet(raw_sheet.name)
        if sheet is None:
            if raw_sheet.name.startswith(("_", ".")):
                continue
            titles = "・".join(f"「{s.title}」" for s in SHEETS)
            problems.append(
                Problem(
                    "",
                    None,
                    None,
                    None,
                    _(
                        "「%(name)s」はこの形式のシートではありません。シートは%(titles)sです。名前を直すか、削除してください。"
                    )
                    % {"name": raw_sheet.name, "titles": titles},
                    raw_sheet.source,
                )
            )
            continue
        if sheet.key in states:
            first = states[sheet.key].raw
            problems.append(
                Problem(
                    sheet.title,
                    None,
                    None,
                    None,
                    _(
                        "「%(title)s」シートが2つあります（%(first)s、%(second)s）。1つにしてください。"
                    )
                    % {
                        "title": sheet.title,
                        "first": first.source or first.name,
                        "second": raw_sheet.source or raw_sheet.name,
                    },
                    raw_sheet.source,
                )
            )
            continue
        state = _SheetState(sheet, raw_sheet)
        states[sheet.key] = state
        header_problems = _read_header(state)
        problems += header_problems
        if not header_problems:
            state.header_ok = True
            problems += _read_rows(state)
    reported = {p.sheet for p in raw.problems}
    for sheet in SHEETS:
        if sheet.key not in states and sheet.title not in reported:
            problems.append(
                Problem(
                    sheet.title,
                    None,
                    None,
                    None,
                    _(
                        "「%(title)s」シートがありません。書き出したファイルを元にして、すべてのシートをそろえてください（行がなくても見出し行は必要です）。"
                    )
                    % {"title": sheet.title},
                )
            )
    for state in states.values():
        problems += _check_duplicates(state)
    problems += _check_references(states)
    if PLAN.key in states:
        problems += _check_plan(states[PLAN.key], states.get(GOALS.key))
    if DEPARTMENTS.key in states:
        problems += _check_departments(states[DEPARTMENTS.key])
    if INDICATORS.key in states:
        problems += _check_indicators(states[INDICATORS.key])
    if PROGRAMME_COSTS.key in states:
        problems += _check_costs(states[PROGRAMME_COSTS.key])
    if problems:
        ordered = sorted(problems, key=_problem_order([s.title for s in SHEETS]))
        return ParseResult(None, tuple(ordered))
    return ParseResult(WorkbookData({s.key: tuple(states[s.key].records) for s in SHEETS}), ())


# --------------------------------------------------------------------------- reading files


def _file_problem(source: str, message: str) -> Problem:
    return Problem("", None, None, None, message, source)


def _check_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FileReadError(
            _(
                "ファイルを開けません。壊れているか、.xlsx・.zip の形式ではありません。書き出したファイルを使ってください。"
            )
        ) from None
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise FileReadError(
            _("展開すると%(size)sMBを超えるため読み込めません。ファイルを分けてください。")
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    return archive


def _unescape_xlsx(value: object) -> object:
    if isinstance(value, str) and "_x" in value:
        return _CONTROL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    return value


def read_xlsx(data: bytes, *, source: str = "") -> RawWorkbook:
    """Every worksheet of an .xlsx file as raw rows (values, not formulas)."""
    import openpyxl

    try:
        _check_zip(data)
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FileReadError as exc:
        return RawWorkbook((), (_file_problem(source, str(exc)),))
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        return RawWorkbook(
            (),
            (
                _file_problem(
                    source,
                    _("Excel ファイルとして読み込めません。.xlsx 形式で保存し直してください。"),
                ),
            ),
        )
    sheets: list[RawSheet] = []
    try:
        for ws in book.worksheets:
            rows = [tuple(_unescape_xlsx(v) for v in row) for row in ws.iter_rows(values_only=True)]
            header = rows[0] if rows else ()
            body = tuple((i, r) for i, r in enumerate(rows[1:], start=2))
            sheets.append(RawSheet(name=str(ws.title), header=header, rows=body))
    finally:
        book.close()
    return RawWorkbook(tuple(sheets))


def _csv_sheet(name: str, data: bytes) -> RawSheet:
    rows = textio.read_csv_rows(data)
    header: tuple[object, ...] = tuple(rows[0]) if rows else ()
    body = tuple((i, tuple[object, ...](r)) for i, r in enumerate(rows[1:], start=2))
    return RawSheet(name=name, header=header, rows=body, source=name, guarded=True)


def read_csv_files(files: Sequence[tuple[str, bytes]]) -> RawWorkbook:
    """One CSV per sheet; each file is named after its sheet (measures.csv or 施策.csv)."""
    sheets: list[RawSheet] = []
    problems: list[Problem] = []
    for name, data in files:
        try:
            sheets.append(_csv_sheet(name, data))
        except (textio.TextDecodeError, csv.Error) as exc:
            matched = _match_sheet(name)
            problems.append(
                Problem(matched.title if matched else "", None, None, None, str(exc), name)
            )
    return RawWorkbook(tuple(sheets), tuple(problems))


def read_csv_zip(data: bytes, *, source: str = "") -> RawWorkbook:
    try:
        archive = _check_zip(data)
    except FileReadError as exc:
        return RawWorkbook((), (_file_problem(source, str(exc)),))
    files: list[tuple[str, bytes]] = []
    for info in archive.infolist():
        path = PurePosixPath(info.filename)
        if info.is_dir() or path.name.startswith((".", "_")) or "__MACOSX" in path.parts:
            continue
        if path.suffix.lower() != ".csv":
            return RawWorkbook(
                (),
                (
                    _file_problem(
                        source,
                        _(
                            "zip の中に CSV ではないファイル「%(name)s」があります。シートごとの CSV だけを入れてください。"
                        )
                        % {"name": info.filename},
                    ),
                ),
            )
        files.append((path.name, archive.read(info)))
    if not files:
        return RawWorkbook(
            (),
            (
                _file_problem(
                    source,
                    _("zip の中に CSV ファイルがありません。書き出した zip を使ってください。"),
                ),
            ),
        )
    return read_csv_files(files)


def read_json(data: bytes, *, source: str = "") -> RawWorkbook:
    """JSON as written by :func:`write_json`: {"sheets": {"measures": [{...}, …], …}}."""
    try:
        doc = json.loads(textio.decode_bytes(data, source=source).text)
    except (ValueError, textio.TextDecodeError) as exc:
        return RawWorkbook(
            (),
            (
                _file_problem(
                    source, _("JSON として読み込めません（%(error)s）。") % {"error": exc}
                ),
            ),
        )
    sheets_doc = doc.get("sheets") if isinstance(doc, dict) else None
    if isinstance(doc, dict) and doc.get("format", FORMAT_NAME) != FORMAT_NAME:
        return RawWorkbook(
            (),
            (
                _file_problem(
                    source,
                    _("この JSON は計画ワークブックの形式（%(name)s）ではありません。")
                    % {"name": FORMAT_NAME},
                ),
            ),
        )
    if not isinstance(sheets_doc, dict):
        return RawWorkbook(
            (),
            (
                _file_problem(
                    source,
                    _(
                        'JSON の形式が違います。{"sheets": {"plan": [...], …}} の形で書いてください。'
                    ),
                ),
            ),
        )
    sheets: list[RawSheet] = []
    problems: list[Problem] = []
    for name, records in sheets_doc.items():
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            problems.append(
                _file_problem(
                    source,
                    _("JSON の「%(name)s」は、行ごとのオブジェクトの配列にしてください。")
                    % {"name": name},
                )
            )
            continue
        sheet = _match_sheet(str(name))
        header: list[str] = []
        for rec in records:
            header += [str(k) for k in rec if str(k) not in header]
        if sheet is not None and not records:
            header = [c.key for c in sheet.columns]
        rows = tuple(
            (i, tuple(_json_cell(rec.get(k)) for k in header))
            for i, rec in enumerate(records, start=1)
        )
        sheets.append(
            RawSheet(
                name=str(name),
                header=tuple(header),
                rows=rows,
                source=source,
                letters=False,
                row_word="件目",
            )
        )
    return RawWorkbook(tuple(sheets), tuple(problems))


def _json_cell(value: object) -> object:
    if isinstance(value, list):
        return tuple(_json_cell(v) for v in value)
    return value


_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


def read_files(files: Sequence[tuple[str, bytes]]) -> RawWorkbook:
    """Read an upload: one .xlsx, one .zip of CSVs, one .json, or one or more .csv files."""
    if not files:
        return RawWorkbook(
            (), (_file_problem("", _("ファイルが選ばれていません。ファイルを選んでください。")),)
        )
    names = [PurePosixPath(n).name for n, _data in files]
    if len(files) > 1 or names[0].lower().endswith(".csv"):
        if not all(n.lower().endswith(".csv") for n in names):
            return RawWorkbook(
                (),
                (
                    _file_problem(
                        "",
                        _(
                            "複数のファイルを選べるのは CSV のときだけです。.xlsx・.zip・.json は1つだけ選んでください。"
                        ),
                    ),
                ),
            )
        return read_csv_files([(PurePosixPath(n).name, d) for n, d in files])
    name, data = names[0], files[0][1]
    lower = name.lower()
    if data.startswith(_XLS_MAGIC) or lower.endswith(".xls"):
        return RawWorkbook(
            (),
            (
                _file_problem(
                    name,
                    _(
                        "Excel 97-2003 形式（.xls）は読めません。Excel で .xlsx 形式で保存し直してください。"
                    ),
                ),
            ),
        )
    if lower.endswith(".json"):
        return read_json(data, source=name)
    if data.startswith(b"PK"):
        try:
            is_xlsx = "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            is_xlsx = lower.endswith((".xlsx", ".xlsm"))
        return read_xlsx(data, source=name) if is_xlsx else read_csv_zip(data, source=name)
    return RawWorkbook(
        (),
        (
            _file_problem(
                name,
                _(
                    "このファイルの形式は読めません。.xlsx、CSV を入れた .zip、.csv、.json のいずれかを選んでください。"
                ),
            ),
        ),
    )


# --------------------------------------------------------------------------- writing files


def _needs_quote(text: str) -> bool:
    return text.lstrip("'").startswith(textio.FORMULA_PREFIXES)


def write_xlsx(data: WorkbookData, *, created: datetime | None = None) -> bytes:
    """The workbook as .xlsx: one sheet each, header in row 1, one value per cell.

    Text is always written as text, never as a formula; text that a spreadsheet would
    take for a formula (= + - @ …) gets Excel's quote-prefix style, which keeps it text
    even when someone edits the cell.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.set_properties({"title": "計画ワークブック", "created": created or datetime.now()})
    bold = book.add_format({"bold": True})
    quoted = book.add_format({"quote_prefix": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for sheet in SHEETS:
        ws = book.add_worksheet(sheet.title)
        for c, col in enumerate(sheet.columns):
            ws.write_string(0, c, col.header, bold)
            width = 30 if col.kind is Kind.TEXT and col.max_length is None else 14
            ws.set_column(c, c, max(width, len(col.header) * 2 + 2))
        ws.freeze_panes(1, 0)
        records = data.records(sheet.key)
        for r, rec in enumerate(records, start=1):
            for c, col in enumerate(sheet.columns):
                value = rec.get(col.key)
                if value is None or value == "" or value == ():
                    continue
                if col.kind in (Kind.INT, Kind.FY, Kind.NUMBER) and isinstance(value, int | float):
                    ws.write_number(r, c, value)
                elif col.kind is Kind.DATE and isinstance(value, date):
                    ws.write_datetime(r, c, datetime.combine(value, time()), date_format)
                else:
                    text = _display(col, value)
                    if len(text) > EXCEL_CELL_LIMIT:
                        raise ValueError(
                            _(
                                "「%(sheet)s」シート %(row)s行目「%(col)s」の文字数（%(count)s文字）が Excel の上限（%(max)s文字）を超えています。CSV か JSON で書き出してください。"
                            )
                            % {
                                "sheet": sheet.title,
                                "row": r + 1,
                                "col": col.header,
                                "count": len(text),
                                "max": EXCEL_CELL_LIMIT,
                            }
                        )
                    ws.write_string(r, c, text, quoted if _needs_quote(text) else None)
        if records:
            ws.autofilter(0, 0, len(records), len(sheet.columns) - 1)
    book.close()
    return buffer.getvalue()


def _csv_cell(col: Column, value: Value) -> object:
    if isinstance(value, bool) or value is None:
        return _display(col, value)
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if isinstance(value, int):
        return value
    return _display(col, value)


def sheet_csv_bytes(sheet: Sheet, records: Sequence[Record]) -> bytes:
    """One sheet as CSV: UTF-8 with BOM, CRLF, text guarded against formulas."""
    rows: list[list[object]] = [[col.header for col in sheet.columns]]
    for rec in records:
        rows.append([_csv_cell(col, rec.get(col.key)) for col in sheet.columns])
    return textio.write_csv_bytes(rows)


def write_csv_zip(data: WorkbookData, *, created: datetime | None = None) -> bytes:
    """A zip holding one CSV per sheet, named by the sheet key (measures.csv …)."""
    stamp = (created or datetime.now()).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sheet in SHEETS:
            info = zipfile.ZipInfo(sheet.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, sheet_csv_bytes(sheet, data.records(sheet.key)))
    return buffer.getvalue()


def _json_value(col: Column, value: Value) -> object:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_json(data: WorkbookData) -> bytes:
    """JSON with typed values: {"format", "format_version", "sheets": {key: [{col: value}]}}."""
    doc = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "sheets": {
            sheet.key: [
                {col.key: _json_value(col, rec.get(col.key)) for col in sheet.columns}
                for rec in data.records(sheet.key)
            ]
            for sheet in SHEETS
        },
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- comparing


Action = Literal["create", "update", "missing"]


@dataclass(frozen=True)
class Change:
    """What an import would do to one item (unchanged items are not listed)."""

    sheet: str  # sheet key
    action: Action
    key: tuple[Value, ...]
    label: str
    row: int | None = None  # row in the file (None for an item missing from the file)
    fields: tuple[str, ...] = ()  # headers of the changed columns (update)


def diff_sheet(sheet: Sheet, current: Sequence[Record], incoming: Sequence[Record]) -> list[Change]:
    """Creates and updates in file order, then the items the file does not have."""
    existing = {tuple(r.get(k) for k in sheet.key_columns): r for r in current}
    seen: set[tuple[Value, ...]] = set()
    changes: list[Change] = []
    for rec in incoming:
        key = tuple(rec.get(k) for k in sheet.key_columns)
        seen.add(key)
        old = existing.get(key)
        label = record_label(sheet, rec.values)
        if old is None:
            changes.append(Change(sheet.key, "create", key, label, rec.row))
            continue
        changed = tuple(
            col.header
            for col in sheet.columns
            if col.key not in sheet.key_columns and old.get(col.key) != rec.get(col.key)
        )
        if changed:
            changes.append(Change(sheet.key, "update", key, label, rec.row, changed))
    for key, old in existing.items():
        if key not in seen:
            changes.append(Change(sheet.key, "missing", key, record_label(sheet, old.values)))
    return changes


def diff_workbooks(current: WorkbookData, incoming: WorkbookData) -> tuple[Change, ...]:
    """Changes of every list sheet (基本情報 is compared by :func:`diff_header`)."""
    changes: list[Change] = []
    for sheet in SHEETS:
        if sheet.single_row:
            continue
        changes += diff_sheet(sheet, current.records(sheet.key), incoming.records(sheet.key))
    return tuple(changes)


def header_group_values(record: Record, group: str) -> dict[str, Value]:
    return {c.key: record.get(c.key) for c in PLAN.columns if c.group == group}


def diff_header(
    current: Mapping[str, Mapping[str, Value] | None], incoming: Record
) -> tuple[Change, ...]:
    """Changes of the municipality, plan, basic concept and edition named in 基本情報.

    ``current[group]`` is the stored object's values (column key → value) or None when it
    does not exist yet.
    """
    changes: list[Change] = []
    for group, entity in HEADER_GROUPS:
        cols = [c for c in PLAN.columns if c.group == group]
        label_key = {
            "municipality": "municipality_name",
            "plan": "plan_title",
            "concept": "vision",
            "edition": "edition_title",
        }[group]
        old = current.get(group)
        wanted = bool(str(incoming.get(CONCEPT_FLAG) or "").strip()) if group == "concept" else True
        if not wanted:
            if old is not None:
                changes.append(
                    Change(PLAN.key, "missing", (group,), f"{entity}「{old.get(label_key) or ''}」")
                )
            continue
        label = f"{entity}「{incoming.get(label_key) or ''}」"
        if old is None:
            changes.append(Change(PLAN.key, "create", (group,), label, incoming.row))
            continue
        changed = tuple(c.header for c in cols if old.get(c.key) != incoming.get(c.key))
        if changed:
            changes.append(Change(PLAN.key, "update", (group,), label, incoming.row, changed))
    return tuple(changes)


def changes_digest(changes: Iterable[Change]) -> str:
    """A fingerprint of a preview: confirming applies only what was shown."""
    payload = [
        [c.sheet, c.action, [_digest_value(v) for v in c.key], list(c.fields)] for c in changes
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8")).hexdigest()


def _digest_value(value: Value) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value
