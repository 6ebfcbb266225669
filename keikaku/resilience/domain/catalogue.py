"""The resilience catalogue (国土強靱化の目標・起きてはならない最悪の事態・施策分野) as data.

One CSV file per catalogue version (the national basic plan of 2018, of 2023, or the city's own
list). Columns (English or Japanese header names):

    kind / 種別        goal (目標) | scenario (事態) | field (施策分野)
    code / 番号        goal: 1, 2, …; scenario: 「1-1」; field: any short code (「1」「横断1」)
    goal / 目標番号     for scenarios: the goal number (must equal the part before 「-」)
    text / 文言         the wording
    field_type / 分野の種類   for fields: individual (個別) | cross_cutting (横断)
    verified / 確認済み  true when the wording was checked against the published plan
    note / 備考

Reading is all-or-nothing: every problem is collected with its row and column, and nothing is
returned unless the whole file is valid.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from keikaku.core.domain.i18n import _
from keikaku.core.domain.textio import (
    CsvFormatError,
    TextDecodeError,
    read_csv_dicts,
    read_csv_rows,
)
from keikaku.resilience.domain.sheet import ProblemsError, SheetRow, find_headers, sheet_rows

COLUMNS: dict[str, tuple[str, ...]] = {
    "kind": ("kind", "種別"),
    "code": ("code", "番号"),
    "goal": ("goal", "目標番号"),
    "text": ("text", "文言"),
    "field_type": ("field_type", "分野の種類"),
    "verified": ("verified", "確認済み"),
    "note": ("note", "備考"),
}
REQUIRED = ("kind", "code", "text")
KINDS = {
    "goal": "goal",
    "目標": "goal",
    "scenario": "scenario",
    "事態": "scenario",
    "リスクシナリオ": "scenario",
    "field": "field",
    "施策分野": "field",
    "分野": "field",
}
FIELD_TYPES = {
    "individual": "individual",
    "個別": "individual",
    "cross_cutting": "cross_cutting",
    "横断": "cross_cutting",
    "横断的": "cross_cutting",
}
TRUE = {"true", "1", "yes", "はい", "済", "確認済み", "○"}
FALSE = {"", "false", "0", "no", "いいえ", "未", "未確認", "×"}
SCENARIO_CODE = re.compile(r"^(\d{1,2})-(\d{1,2})$")
FIELD_CODE = re.compile(r"^[\w\-・]{1,20}$")
UNVERIFIED_LABEL = "文言未確認"


@dataclass(frozen=True)
class CatalogueGoal:
    number: int
    text: str
    verified: bool = False
    note: str = ""


@dataclass(frozen=True)
class CatalogueScenario:
    code: str
    goal_number: int
    text: str
    verified: bool = False
    note: str = ""
    order: int = 0


@dataclass(frozen=True)
class CatalogueField:
    code: str
    name: str
    kind: str  # "individual" | "cross_cutting"
    verified: bool = False
    note: str = ""
    order: int = 0


@dataclass(frozen=True)
class Catalogue:
    goals: tuple[CatalogueGoal, ...]
    scenarios: tuple[CatalogueScenario, ...]
    fields: tuple[CatalogueField, ...]

    @property
    def unverified_count(self) -> int:
        rows: Sequence[CatalogueGoal | CatalogueScenario | CatalogueField] = (
            *self.goals,
            *self.scenarios,
            *self.fields,
        )
        return sum(1 for row in rows if not row.verified)


class CatalogueError(ProblemsError):
    """The file cannot be imported; ``problems`` names every faulty row and column."""


def scenario_sort_key(code: str) -> tuple[int, int]:
    m = SCENARIO_CODE.match(code)
    return (int(m.group(1)), int(m.group(2))) if m else (999, 999)


def _header_map(header: Sequence[str], where: str) -> tuple[dict[str, str], list[str]]:
    found = find_headers(header, COLUMNS)
    problems: list[str] = []
    for key in REQUIRED:
        if not found[key]:
            problems.append(
                where
                + _(
                    "見出し「%(name)s」（または「%(ja)s」）の列がありません。1行目に見出しを入れてください。"
                )
                % {"name": COLUMNS[key][0], "ja": COLUMNS[key][1]}
            )
    known = {n for names in COLUMNS.values() for n in names}
    for col, name in enumerate(header, start=1):
        if name and name not in known:
            problems.append(
                where
                + _("%(col)s列目の見出し「%(name)s」は使えません。使える見出し: %(allowed)s。")
                % {
                    "col": col,
                    "name": name,
                    "allowed": "、".join(names[0] for names in COLUMNS.values()),
                }
            )
    return found, problems


def parse_catalogue_csv(data: bytes, *, source: str = "") -> Catalogue:
    """Read a catalogue CSV (UTF-8 with or without BOM, or CP932)."""
    where = f"{source}: " if source else ""
    try:
        header, rows = read_csv_dicts(data, source=source)
    except (TextDecodeError, CsvFormatError) as exc:
        raise CatalogueError([str(exc)]) from None
    if not header:
        raise CatalogueError(
            [where + _("ファイルが空です。見出しの行とデータの行を入れてください。")]
        )
    columns, problems = _header_map(header, where)
    if problems:
        raise CatalogueError(problems)
    # Rows as a spreadsheet numbers them: the header is row 1. read_csv_dicts skips blank
    # rows, so the row number is recomputed from the raw text.
    raw = read_csv_rows(data, source=source)
    return _parse_rows(sheet_rows(rows, raw, columns, COLUMNS, where), where)


def _parse_rows(rows: Sequence[SheetRow], where: str) -> Catalogue:
    problems: list[str] = []
    goals: dict[int, CatalogueGoal] = {}
    scenarios: dict[str, CatalogueScenario] = {}
    fields: dict[str, CatalogueField] = {}
    scenario_rows: dict[str, int] = {}

    for order, row in enumerate(rows, start=1):
        raw_kind = row.get("kind")
        kind = KINDS.get(raw_kind.lower()) if raw_kind else None
        code = row.get("code")
        text = row.get("text")
        note = row.get("note")
        verified_text = row.get("verified").lower()
        row_problems: list[str] = []
        if kind is None:
            row_problems.append(
                row.at("kind")
                + _(
                    "種別「%(value)s」は使えません。goal（目標）、scenario（事態）、field（施策分野）のどれかにしてください。"
                )
                % {"value": raw_kind}
            )
        if not code:
            row_problems.append(row.at("code") + _("番号が空です。"))
        if not text:
            row_problems.append(row.at("text") + _("文言が空です。"))
        if verified_text in TRUE:
            verified = True
        elif verified_text in FALSE:
            verified = False
        else:
            verified = False
            row_problems.append(
                row.at("verified")
                + _("「%(value)s」は使えません。true（確認済み）か false（未確認）にしてください。")
                % {"value": row.get("verified")}
            )
        if row_problems or kind is None:
            problems.extend(row_problems)
            continue
        if kind == "goal":
            if not code.isdigit() or not 1 <= int(code) <= 99:
                problems.append(
                    row.at("code")
                    + _("目標の番号「%(code)s」は 1 以上の整数にしてください。") % {"code": code}
                )
                continue
            number = int(code)
            if number in goals:
                problems.append(
                    row.at("code") + _("目標 %(code)s が2回あります。") % {"code": code}
                )
                continue
            goals[number] = CatalogueGoal(number=number, text=text, verified=verified, note=note)
        elif kind == "scenario":
            m = SCENARIO_CODE.match(code)
            if not m:
                problems.append(
                    row.at("code")
                    + _(
                        "事態の番号「%(code)s」は「1-1」のように「目標番号-通し番号」で書いてください。"
                    )
                    % {"code": code}
                )
                continue
            goal_text = row.get("goal") or m.group(1)
            if not goal_text.isdigit():
                problems.append(
                    row.at("goal")
                    + _("目標番号「%(value)s」は整数にしてください。") % {"value": goal_text}
                )
                continue
            if int(goal_text) != int(m.group(1)):
                problems.append(
                    row.at("goal")
                    + _("目標番号 %(goal)s が事態の番号「%(code)s」の前半と合いません。")
                    % {"goal": goal_text, "code": code}
                )
                continue
            if code in scenarios:
                problems.append(
                    row.at("code")
                    + _("事態「%(code)s」が2回あります（%(first)s行目にもあります）。")
                    % {"code": code, "first": scenario_rows[code]}
                )
                continue
            scenarios[code] = CatalogueScenario(
                code=code,
                goal_number=int(goal_text),
                text=text,
                verified=verified,
                note=note,
                order=order,
            )
            scenario_rows[code] = row.number
        else:
            if not FIELD_CODE.match(code):
                problems.append(
                    row.at("code")
                    + _(
                        "施策分野の番号「%(code)s」には、20文字以内の英数字・かな・漢字を使ってください。"
                    )
                    % {"code": code}
                )
                continue
            field_type = FIELD_TYPES.get(row.get("field_type").lower())
            if field_type is None:
                problems.append(
                    row.at("field_type")
                    + _(
                        "分野の種類「%(value)s」は使えません。individual（個別）か cross_cutting（横断）にしてください。"
                    )
                    % {"value": row.get("field_type")}
                )
                continue
            if code in fields:
                problems.append(
                    row.at("code") + _("施策分野「%(code)s」が2回あります。") % {"code": code}
                )
                continue
            fields[code] = CatalogueField(
                code=code, name=text, kind=field_type, verified=verified, note=note, order=order
            )
    for code, scenario in scenarios.items():
        if scenario.goal_number not in goals:
            problems.append(
                where
                + _(
                    "%(row)s行目: 事態「%(code)s」の目標 %(goal)s がファイルにありません。目標の行を加えてください。"
                )
                % {"row": scenario_rows[code], "code": code, "goal": scenario.goal_number}
            )
    if not problems and not goals:
        problems.append(where + _("目標（kind が goal の行）が1つもありません。"))
    if problems:
        raise CatalogueError(problems)
    return Catalogue(
        goals=tuple(sorted(goals.values(), key=lambda g: g.number)),
        scenarios=tuple(sorted(scenarios.values(), key=lambda s: scenario_sort_key(s.code))),
        fields=tuple(fields.values()),
    )


def catalogue_rows(catalogue: Catalogue) -> list[list[str]]:
    """The catalogue as CSV rows (header first), in the import format: round-trips."""
    rows: list[list[str]] = [list(names[0] for names in COLUMNS.values())]

    def flag(v: bool) -> str:
        return "true" if v else "false"

    for g in catalogue.goals:
        rows.append(["goal", str(g.number), "", g.text, "", flag(g.verified), g.note])
    for s in catalogue.scenarios:
        rows.append(["scenario", s.code, str(s.goal_number), s.text, "", flag(s.verified), s.note])
    for f in catalogue.fields:
        rows.append(["field", f.code, "", f.name, f.kind, flag(f.verified), f.note])
    return rows
