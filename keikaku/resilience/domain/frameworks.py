"""National revitalisation frameworks (まち・ひと・しごと創生総合戦略 → デジタル田園都市国家構想
総合戦略 → 地方創生2.0 …) and their pillars / goals, as versioned reference data.

CSV columns (one row per pillar; the framework's own columns repeat on each of its rows and
must agree):

    framework / 枠組みコード, framework_name / 枠組みの名称, adopted_on / 決定日 (YYYY-MM-DD),
    start_fy / 開始年度, end_fy / 終了年度, pillar / 柱の番号, pillar_title / 柱の名称,
    verified / 確認済み, note / 備考
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from keikaku.core.domain.i18n import _
from keikaku.core.domain.textio import (
    CsvFormatError,
    TextDecodeError,
    read_csv_dicts,
    read_csv_rows,
)
from keikaku.resilience.domain.sheet import ProblemsError, find_headers, sheet_rows

COLUMNS: dict[str, tuple[str, ...]] = {
    "framework": ("framework", "枠組みコード"),
    "framework_name": ("framework_name", "枠組みの名称"),
    "adopted_on": ("adopted_on", "決定日"),
    "start_fy": ("start_fy", "開始年度"),
    "end_fy": ("end_fy", "終了年度"),
    "pillar": ("pillar", "柱の番号"),
    "pillar_title": ("pillar_title", "柱の名称"),
    "verified": ("verified", "確認済み"),
    "note": ("note", "備考"),
}
REQUIRED = ("framework", "framework_name", "pillar", "pillar_title")
CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,40}$")
TRUE = {"true", "1", "yes", "はい", "済"}
FALSE = {"", "false", "0", "no", "いいえ", "未"}


@dataclass(frozen=True)
class PillarSpec:
    code: str
    title: str
    verified: bool
    note: str
    order: int


@dataclass(frozen=True)
class FrameworkSpec:
    code: str
    name: str
    adopted_on: dt.date | None
    start_fy: int | None
    end_fy: int | None
    pillars: tuple[PillarSpec, ...]


class FrameworkError(ProblemsError):
    """The file cannot be imported; ``problems`` names every faulty row and column."""


def parse_frameworks_csv(data: bytes, *, source: str = "") -> tuple[FrameworkSpec, ...]:
    where = f"{source}: " if source else ""
    try:
        header, rows = read_csv_dicts(data, source=source)
        raw = read_csv_rows(data, source=source)
    except (TextDecodeError, CsvFormatError) as exc:
        raise FrameworkError([str(exc)]) from None
    names = find_headers(header, COLUMNS)
    missing = [COLUMNS[k][0] for k in REQUIRED if not names[k]]
    if missing:
        raise FrameworkError(
            [
                where
                + _("見出し「%(names)s」の列がありません。1行目に見出しを入れてください。")
                % {"names": "」「".join(missing)}
            ]
        )
    problems: list[str] = []
    heads: dict[str, tuple[str, dt.date | None, int | None, int | None, int]] = {}
    pillars: dict[str, list[PillarSpec]] = {}
    for order, row in enumerate(sheet_rows(rows, raw, names, COLUMNS, where), start=1):
        code = row.get("framework")
        if not CODE.match(code):
            problems.append(
                row.at("framework")
                + _(
                    "枠組みコード「%(code)s」には英数字と「_ - .」を使い、40文字以内にしてください。"
                )
                % {"code": code}
            )
            continue
        adopted: dt.date | None = None
        if row.get("adopted_on"):
            try:
                adopted = dt.date.fromisoformat(row.get("adopted_on"))
            except ValueError:
                problems.append(
                    row.at("adopted_on")
                    + _("日付「%(value)s」は 2025-06-13 のように書いてください。")
                    % {"value": row.get("adopted_on")}
                )
                continue
        years: list[int | None] = []
        bad = False
        for key in ("start_fy", "end_fy"):
            value = row.get(key)
            if value and not (value.isdigit() and 1900 <= int(value) <= 2200):
                problems.append(
                    row.at(key)
                    + _("年度「%(value)s」は西暦の4桁で書いてください。") % {"value": value}
                )
                bad = True
            years.append(int(value) if value.isdigit() else None)
        if bad:
            continue
        start_fy, end_fy = years
        if start_fy is not None and end_fy is not None and end_fy < start_fy:
            problems.append(row.at("end_fy") + _("終了年度が開始年度より前です。"))
            continue
        head = (row.get("framework_name"), adopted, start_fy, end_fy, row.number)
        if code in heads:
            first = heads[code]
            if first[:4] != head[:4]:
                problems.append(
                    where
                    + _(
                        "%(row)s行目: 枠組み「%(code)s」の名称・決定日・期間が %(first)s行目と違います。そろえてください。"
                    )
                    % {"row": row.number, "code": code, "first": first[4]}
                )
                continue
        else:
            heads[code] = head
        pillar = row.get("pillar")
        if not pillar:
            problems.append(row.at("pillar") + _("柱の番号が空です。"))
            continue
        if any(p.code == pillar for p in pillars.get(code, [])):
            problems.append(
                row.at("pillar") + _("柱「%(code)s」が2回あります。") % {"code": pillar}
            )
            continue
        if not row.get("pillar_title"):
            problems.append(row.at("pillar_title") + _("柱の名称が空です。"))
            continue
        verified_text = row.get("verified").lower()
        if verified_text not in TRUE | FALSE:
            problems.append(
                row.at("verified")
                + _("「%(value)s」は true か false にしてください。")
                % {"value": row.get("verified")}
            )
            continue
        pillars.setdefault(code, []).append(
            PillarSpec(
                code=pillar,
                title=row.get("pillar_title"),
                verified=verified_text in TRUE,
                note=row.get("note"),
                order=order,
            )
        )
    if problems:
        raise FrameworkError(problems)
    return tuple(
        FrameworkSpec(
            code=code,
            name=head[0],
            adopted_on=head[1],
            start_fy=head[2],
            end_fy=head[3],
            pillars=tuple(pillars[code]),
        )
        for code, head in heads.items()
    )
