"""Bulk entry of one fiscal year's KPI actuals and programme costs (実績値・事業費の一括入力).

The file (docs/formats/evaluation-upload.md) is an .xlsx workbook with up to two sheets —
「実績値」 (KPI actuals) and 「事業費」 (programme costs) — or the same sheets as CSV files
named 実績値.csv / 事業費.csv. This module reads the cells into typed rows and reports every
problem with its sheet, row and column; the database side (services) checks the codes
against the plan and writes everything or nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TypeVar

from keikaku.core.domain import textio
from keikaku.core.domain.fiscal import EraError, parse_date, parse_fiscal_year
from keikaku.core.domain.i18n import _
from keikaku.plans.domain.workbook import (
    Problem,
    RawSheet,
    RawWorkbook,
    column_letter,
    read_csv_files,
    read_xlsx,
)

ACTUALS_SHEET = "実績値"
COSTS_SHEET = "事業費"
BLANK_MARKERS = frozenset({"", "-", "－", "—", "―", "未報告", "未把握"})
"""Cells meaning "not reported" in the actual column (a blank cell means the same)."""


@dataclass(frozen=True, slots=True)
class UploadColumn:
    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()


ACTUAL_COLUMNS: tuple[UploadColumn, ...] = (
    UploadColumn("indicator", "指標番号", required=True, aliases=("指標コード", "番号")),
    UploadColumn("name", "指標名"),
    UploadColumn("fiscal_year", "年度", required=True),
    UploadColumn("value", "実績値", required=True, aliases=("実績",)),
    UploadColumn("as_of", "時点", aliases=("把握時点", "測定日")),
    UploadColumn("note", "備考"),
)

COST_COLUMNS: tuple[UploadColumn, ...] = (
    UploadColumn("programme", "事業番号", required=True, aliases=("事業コード",)),
    UploadColumn("name", "事業名"),
    UploadColumn("fiscal_year", "年度", required=True),
    UploadColumn("kind", "区分", aliases=("計画・決算",)),
    UploadColumn("total", "事業費（千円）", required=True, aliases=("事業費",)),
    UploadColumn("national", "国庫支出金（千円）", aliases=("国庫支出金",)),
    UploadColumn("prefectural", "県支出金（千円）", aliases=("県支出金",)),
    UploadColumn("bonds", "地方債（千円）", aliases=("地方債",)),
    UploadColumn("other", "その他（千円）", aliases=("その他",)),
    UploadColumn("general", "一般財源（千円）", aliases=("一般財源",)),
    UploadColumn("staff_cost", "人件費（千円）", aliases=("人件費",)),
    UploadColumn("staff_fte", "従事職員数（人工）", aliases=("従事職員数", "人工")),
    UploadColumn("note", "備考"),
)

INFORMATIONAL_HEADERS = frozenset(
    {"単位", "基準値", "基準値の年度", "目標値", "目標年度", "方向", "施策番号", "施策名", "担当課"}
)
"""Columns the template shows for reference; they are read over, never written."""

COST_KINDS: dict[str, bool] = {
    "決算": False,
    "決算額": False,
    "実績": False,
    "actual": False,
    "計画": True,
    "計画額": True,
    "予算": True,
    "plan": True,
}
"""区分 → is_plan (blank means 決算)."""

FUNDING_KEYS: tuple[str, ...] = ("national", "prefectural", "bonds", "other", "general")


@dataclass(frozen=True, slots=True)
class ActualRow:
    row: int
    indicator: str
    fiscal_year: int
    value: float | None
    as_of: dt.date | None
    note: str


@dataclass(frozen=True, slots=True)
class CostRow:
    row: int
    programme: str
    fiscal_year: int
    is_plan: bool
    total: int | None
    national: int | None
    prefectural: int | None
    bonds: int | None
    other: int | None
    general: int | None
    staff_cost: int | None
    staff_fte: float | None
    note: str


@dataclass(frozen=True, slots=True)
class ParsedUpload:
    actuals: tuple[ActualRow, ...]
    costs: tuple[CostRow, ...]
    problems: tuple[Problem, ...]
    columns: Mapping[str, Mapping[str, tuple[str, str]]]
    """sheet → column key → (header as written, letter): to locate later problems."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def locate(self, sheet: str, row: int, key: str, message: str) -> Problem:
        header, letter = self.columns.get(sheet, {}).get(key, (key, ""))
        return Problem(sheet, row, header, letter or None, message)


def _norm(text: object) -> str:
    return textio.normalize_for_match(str(text or "")).replace(" ", "")


def _matches(col: UploadColumn, header: str) -> bool:
    wanted = {_norm(col.header), *(_norm(a) for a in col.aliases)}
    return _norm(header) in wanted


def read_upload_files(files: Sequence[tuple[str, bytes]]) -> RawWorkbook:
    """One .xlsx file, or one or two CSV files named after the sheets."""
    if not files:
        return RawWorkbook((), (Problem("", None, None, None, _("ファイルが選ばれていません。")),))
    names = [PurePosixPath(n).name for n, _data in files]
    if all(n.lower().endswith(".csv") for n in names):
        return read_csv_files([(PurePosixPath(n).name, d) for n, d in files])
    if len(files) == 1 and names[0].lower().endswith(".xlsx"):
        return read_xlsx(files[0][1], source=names[0])
    return RawWorkbook(
        (),
        (
            Problem(
                "",
                None,
                None,
                None,
                _(
                    "Excel ファイル（.xlsx）を 1 つ、または CSV ファイル（実績値.csv・事業費.csv）を選んでください。"
                    "「%(names)s」は読み込めません。"
                )
                % {"names": "、".join(names)},
                ", ".join(names),
            ),
        ),
    )


def _sheet_title(raw: RawSheet) -> str | None:
    name = _norm(PurePosixPath(raw.name).stem if raw.source else raw.name)
    for title in (ACTUALS_SHEET, COSTS_SHEET):
        if name == _norm(title):
            return title
    return None


def _map_columns(
    raw: RawSheet, title: str, columns: Sequence[UploadColumn], problems: list[Problem]
) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(raw.header):
        header = str(cell or "").strip()
        if not header:
            continue
        for col in columns:
            if _matches(col, header):
                if col.key in found:
                    problems.append(
                        Problem(
                            title,
                            1,
                            header,
                            column_letter(index),
                            _("列「%(h)s」が 2 つあります。どちらか一方を削除してください。")
                            % {"h": col.header},
                            raw.source,
                        )
                    )
                found[col.key] = index
                break
        else:
            if _norm(header) not in {_norm(h) for h in INFORMATIONAL_HEADERS}:
                problems.append(
                    Problem(
                        title,
                        1,
                        header,
                        column_letter(index),
                        _(
                            "列「%(h)s」は使いません。列名を確かめてください（使える列: %(allowed)s）。"
                        )
                        % {"h": header, "allowed": "、".join(c.header for c in columns)},
                        raw.source,
                    )
                )
    for col in columns:
        if col.required and col.key not in found:
            problems.append(
                Problem(
                    title,
                    1,
                    col.header,
                    None,
                    _("必要な列「%(h)s」がありません。1 行目に列名を書いてください。")
                    % {"h": col.header},
                    raw.source,
                )
            )
    return found


class _CellProblem(ValueError):
    pass


def _text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _number(raw: object) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise _CellProblem(_("数値を入力してください（TRUE/FALSE は使えません）。"))
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = str(raw).strip()
        if text in BLANK_MARKERS:
            return None
        try:
            value_or_none = textio.parse_number(text)
        except textio.NumberParseError as exc:
            raise _CellProblem(str(exc)) from None
        if value_or_none is None:
            return None
        value = value_or_none
    if not math.isfinite(value):
        raise _CellProblem(_("数値として使えない値です。正しい数値を入力してください。"))
    return value


def _amount(raw: object) -> int | None:
    value = _number(raw)
    if value is None:
        return None
    if value < 0:
        raise _CellProblem(
            _("金額（%(v)s）が負です。0 以上の千円単位の金額を入力してください。")
            % {"v": f"{value:g}"}
        )
    if not float(value).is_integer():
        raise _CellProblem(
            _("金額（%(v)s）は千円単位の整数で入力してください（小数は使えません）。")
            % {"v": f"{value:g}"}
        )
    return int(value)


def _fiscal_year(raw: object) -> int:
    if raw is None or _text(raw) == "":
        raise _CellProblem(_("年度が空です。2025 や 令和7年度 のように入力してください。"))
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if float(raw).is_integer() and 1900 <= int(raw) <= 2200:
            return int(raw)
        raise _CellProblem(
            _("年度「%(v)s」が読み取れません。2025 や 令和7年度 のように入力してください。")
            % {"v": raw}
        )
    try:
        return parse_fiscal_year(str(raw))
    except EraError as exc:
        raise _CellProblem(str(exc)) from None


def _date(raw: object) -> dt.date | None:
    if raw is None or _text(raw) == "":
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return parse_date(str(raw))
    except EraError as exc:
        raise _CellProblem(str(exc)) from None


V = TypeVar("V")


class _RowReader:
    def __init__(
        self,
        raw: RawSheet,
        title: str,
        found: Mapping[str, int],
        columns: Sequence[UploadColumn],
        problems: list[Problem],
    ) -> None:
        self.raw = raw
        self.title = title
        self.found = found
        self.columns = {c.key: c for c in columns}
        self.problems = problems
        self.row = 0
        self.cells: tuple[object, ...] = ()
        self.failed = False

    def start(self, row: int, cells: tuple[object, ...]) -> None:
        self.row, self.cells, self.failed = row, cells, False

    def cell(self, key: str) -> object:
        index = self.found.get(key)
        if index is None or index >= len(self.cells):
            return None
        value = self.cells[index]
        if self.raw.guarded and isinstance(value, str):
            value = textio.unguard_formula(value)
        if isinstance(value, str) and value.strip() == "":
            return None
        return value

    def problem(self, key: str, message: str) -> None:
        index = self.found.get(key)
        header = self.raw.header[index] if index is not None else self.columns[key].header
        self.problems.append(
            Problem(
                self.title,
                self.row,
                str(header),
                column_letter(index) if index is not None else None,
                message,
                self.raw.source,
            )
        )
        self.failed = True

    def read(self, key: str, parse: Callable[[object], V], default: V) -> V:
        try:
            return parse(self.cell(key))
        except _CellProblem as exc:
            self.problem(key, str(exc))
            return default


def _is_blank_row(cells: tuple[object, ...]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _check_year(reader: _RowReader, fy: int, fiscal_year: int | None) -> None:
    if fiscal_year is not None and fy and fy != fiscal_year:
        reader.problem(
            "fiscal_year",
            _(
                "年度が%(fy)d年度になっています。このファイルでは%(want)d年度の値だけを取り込めます。"
                "年度を直すか、行を削除してください。"
            )
            % {"fy": fy, "want": fiscal_year},
        )


def _parse_actuals(
    raw: RawSheet, fiscal_year: int | None, problems: list[Problem]
) -> tuple[list[ActualRow], dict[str, tuple[str, str]]]:
    title = ACTUALS_SHEET
    found = _map_columns(raw, title, ACTUAL_COLUMNS, problems)
    positions = {k: (str(raw.header[i]), column_letter(i)) for k, i in found.items()}
    if any(c.required and c.key not in found for c in ACTUAL_COLUMNS):
        return [], positions
    reader = _RowReader(raw, title, found, ACTUAL_COLUMNS, problems)
    rows: list[ActualRow] = []
    seen: dict[tuple[str, int], int] = {}
    for number, cells in raw.rows:
        if _is_blank_row(cells):
            continue
        reader.start(number, cells)
        code = _text(reader.cell("indicator"))
        if not code:
            reader.problem(
                "indicator", _("指標番号が空です。施策の成果指標の番号を入力してください。")
            )
        fy = reader.read("fiscal_year", _fiscal_year, 0)
        _check_year(reader, fy, fiscal_year)
        value = reader.read("value", _number, None)
        as_of = reader.read("as_of", _date, None)
        note = _text(reader.cell("note"))
        if len(note) > 300:
            reader.problem(
                "note",
                _("備考は 300 文字以内にしてください（いまは %(n)d 文字）。") % {"n": len(note)},
            )
        if code and fy:
            key = (textio.normalize_for_match(code), fy)
            if key in seen:
                reader.problem(
                    "indicator",
                    _(
                        "指標「%(code)s」の%(fy)d年度の行が %(first)d 行目にもあります。1 行にまとめてください。"
                    )
                    % {"code": code, "fy": fy, "first": seen[key]},
                )
            else:
                seen[key] = number
        if not reader.failed:
            rows.append(ActualRow(number, code, fy, value, as_of, note))
    return rows, positions


def _parse_costs(
    raw: RawSheet, fiscal_year: int | None, problems: list[Problem]
) -> tuple[list[CostRow], dict[str, tuple[str, str]]]:
    title = COSTS_SHEET
    found = _map_columns(raw, title, COST_COLUMNS, problems)
    positions = {k: (str(raw.header[i]), column_letter(i)) for k, i in found.items()}
    if any(c.required and c.key not in found for c in COST_COLUMNS):
        return [], positions
    reader = _RowReader(raw, title, found, COST_COLUMNS, problems)
    rows: list[CostRow] = []
    seen: dict[tuple[str, int, bool], int] = {}
    for number, cells in raw.rows:
        if _is_blank_row(cells):
            continue
        reader.start(number, cells)
        code = _text(reader.cell("programme"))
        if not code:
            reader.problem("programme", _("事業番号が空です。事務事業の番号を入力してください。"))
        fy = reader.read("fiscal_year", _fiscal_year, 0)
        _check_year(reader, fy, fiscal_year)
        kind_text = _text(reader.cell("kind"))
        is_plan = False
        if kind_text:
            if kind_text in COST_KINDS:
                is_plan = COST_KINDS[kind_text]
            else:
                reader.problem(
                    "kind",
                    _(
                        "区分「%(v)s」は使えません。「決算」か「計画」と入力してください（空欄は決算）。"
                    )
                    % {"v": kind_text},
                )
        amounts = {
            key: reader.read(key, _amount, None) for key in ("total", *FUNDING_KEYS, "staff_cost")
        }
        fte = reader.read("staff_fte", _number, None)
        if fte is not None and fte < 0:
            reader.problem("staff_fte", _("従事職員数は 0 以上にしてください。"))
        note = _text(reader.cell("note"))
        if len(note) > 300:
            reader.problem(
                "note",
                _("備考は 300 文字以内にしてください（いまは %(n)d 文字）。") % {"n": len(note)},
            )
        parts = [amounts[k] for k in FUNDING_KEYS]
        total = amounts["total"]
        if not reader.failed and total is not None and all(p is not None for p in parts):
            parts_sum = sum(p for p in parts if p is not None)
            if parts_sum != total:
                reader.problem(
                    "total",
                    _(
                        "財源内訳の合計（%(sum)s 千円）が事業費（%(total)s 千円）と一致しません。"
                        "国庫支出金・県支出金・地方債・その他・一般財源の合計を事業費に合わせてください。"
                    )
                    % {"sum": f"{parts_sum:,}", "total": f"{total:,}"},
                )
        if code and fy:
            key = (textio.normalize_for_match(code), fy, is_plan)
            if key in seen:
                reader.problem(
                    "programme",
                    _(
                        "事業「%(code)s」の%(fy)d年度（%(kind)s）の行が %(first)d 行目にもあります。1 行にまとめてください。"
                    )
                    % {
                        "code": code,
                        "fy": fy,
                        "kind": _("計画") if is_plan else _("決算"),
                        "first": seen[key],
                    },
                )
            else:
                seen[key] = number
        if not reader.failed:
            rows.append(
                CostRow(
                    row=number,
                    programme=code,
                    fiscal_year=fy,
                    is_plan=is_plan,
                    total=total,
                    national=amounts["national"],
                    prefectural=amounts["prefectural"],
                    bonds=amounts["bonds"],
                    other=amounts["other"],
                    general=amounts["general"],
                    staff_cost=amounts["staff_cost"],
                    staff_fte=fte,
                    note=note,
                )
            )
    return rows, positions


def parse_upload(book: RawWorkbook, *, fiscal_year: int | None = None) -> ParsedUpload:
    """Typed rows of the 「実績値」 and 「事業費」 sheets, and every problem found.

    With ``fiscal_year`` every row must be of that year. Other sheets are refused (so a
    misspelt sheet name does not go unnoticed); at least one of the two sheets must exist.
    """
    problems: list[Problem] = list(book.problems)
    actuals: list[ActualRow] = []
    costs: list[CostRow] = []
    columns: dict[str, dict[str, tuple[str, str]]] = {}
    seen_titles: set[str] = set()
    for raw in book.sheets:
        title = _sheet_title(raw)
        if title is None:
            if _is_blank_row(raw.header) and not raw.rows:
                continue
            problems.append(
                Problem(
                    raw.name,
                    None,
                    None,
                    None,
                    _(
                        "シート「%(name)s」は取り込めません。シート名を「%(a)s」か「%(c)s」にしてください。"
                    )
                    % {"name": raw.name, "a": ACTUALS_SHEET, "c": COSTS_SHEET},
                    raw.source,
                )
            )
            continue
        if title in seen_titles:
            problems.append(
                Problem(
                    title,
                    None,
                    None,
                    None,
                    _("「%(t)s」のシートが 2 つあります。1 つにまとめてください。") % {"t": title},
                    raw.source,
                )
            )
            continue
        seen_titles.add(title)
        if title == ACTUALS_SHEET:
            rows_a, columns[title] = _parse_actuals(raw, fiscal_year, problems)
            actuals.extend(rows_a)
        else:
            rows_c, columns[title] = _parse_costs(raw, fiscal_year, problems)
            costs.extend(rows_c)
    if not book.problems and not seen_titles and not problems:
        problems.append(
            Problem(
                "",
                None,
                None,
                None,
                _(
                    "「%(a)s」または「%(c)s」のシートがありません。ひな形のファイルを使ってください。"
                )
                % {"a": ACTUALS_SHEET, "c": COSTS_SHEET},
            )
        )
    elif not problems and not actuals and not costs:
        problems.append(
            Problem(
                "",
                None,
                None,
                None,
                _("取り込む行がありません。2 行目から値を入力してください。"),
            )
        )
    return ParsedUpload(
        actuals=tuple(actuals),
        costs=tuple(costs),
        problems=tuple(problems),
        columns=columns,
    )
