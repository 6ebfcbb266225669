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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from keikaku.core.domain.i18n import _
from keikaku.core.domain.textio import (
    CsvFormatError,
    TextDecodeError,
    read_csv_dicts,
    read_csv_rows,
)

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


class FrameworkError(ValueError):
    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


def parse_frameworks_csv(data: bytes, *, source: str = "") -> tuple[FrameworkSpec, ...]:
    where = f"{source}: " if source else ""
    try:
        header, rows = read_csv_dicts(data, source=source)
        raw = read_csv_rows(data, source=source)
    except (TextDecodeError, CsvFormatError) as exc:
        raise FrameworkError([str(exc)]) from None
    names = {key: next((h for h in header if h in alias), "") for key, alias in COLUMNS.items()}
    missing = [COLUMNS[k][0] for k in REQUIRED if not names[k]]
    if missing:
        raise FrameworkError(
            [
                where
                + _("見出し「%(names)s」の列がありません。1行目に見出しを入れてください。")
                % {"names": "」「".join(missing)}
            ]
        )
    row_numbers = [i for i, r in enumerate(raw[1:], start=2) if any(c.strip() for c in r)]
    problems: list[str] = []
    heads: dict[str, tuple[str, dt.date | None, int | None, int | None, int]] = {}
    pillars: dict[str, list[PillarSpec]] = {}
    for order, (row, row_no) in enumerate(zip(rows, row_numbers, strict=True), start=1):

        def get(key: str, _row: Mapping[str, str] = row) -> str:
            return _row.get(names[key], "").strip() if names[key] else ""

        def at(key: str, _row_no: int = row_no) -> str:
            return where + _("%(row)s行目「%(col)s」列: ") % {
                "row": _row_no,
                "col": names[key] or COLUMNS[key][0],
            }

        code = get("framework")
        if not CODE.match(code):
            problems.append(
                at("framework")
                + _(
                    "枠組みコード「%(code)s」には英数字と「_ - .」を使い、40文字以内にしてください。"
                )
                % {"code": code}
            )
            continue
        adopted: dt.date | None = None
        if get("adopted_on"):
            try:
                adopted = dt.date.fromisoformat(get("adopted_on"))
            except ValueError:
                problems.append(
                    at("adopted_on")
                    + _("日付「%(value)s」は 2025-06-13 のように書いてください。")
                    % {"value": get("adopted_on")}
                )
                continue
        years: list[int | None] = []
        bad = False
        for key in ("start_fy", "end_fy"):
            value = get(key)
            if value and not (value.isdigit() and 1900 <= int(value) <= 2200):
                problems.append(
                    at(key) + _("年度「%(value)s」は西暦の4桁で書いてください。") % {"value": value}
                )
                bad = True
            years.append(int(value) if value.isdigit() else None)
        if bad:
            continue
        start_fy, end_fy = years
        if start_fy is not None and end_fy is not None and end_fy < start_fy:
            problems.append(at("end_fy") + _("終了年度が開始年度より前です。"))
            continue
        head = (get("framework_name"), adopted, start_fy, end_fy, row_no)
        if code in heads:
            first = heads[code]
            if first[:4] != head[:4]:
                problems.append(
                    where
                    + _(
                        "%(row)s行目: 枠組み「%(code)s」の名称・決定日・期間が %(first)s行目と違います。そろえてください。"
                    )
                    % {"row": row_no, "code": code, "first": first[4]}
                )
                continue
        else:
            heads[code] = head
        pillar = get("pillar")
        if not pillar:
            problems.append(at("pillar") + _("柱の番号が空です。"))
            continue
        if any(p.code == pillar for p in pillars.get(code, [])):
            problems.append(at("pillar") + _("柱「%(code)s」が2回あります。") % {"code": pillar})
            continue
        if not get("pillar_title"):
            problems.append(at("pillar_title") + _("柱の名称が空です。"))
            continue
        verified_text = get("verified").lower()
        if verified_text not in TRUE | FALSE:
            problems.append(
                at("verified")
                + _("「%(value)s」は true か false にしてください。") % {"value": get("verified")}
            )
            continue
        pillars.setdefault(code, []).append(
            PillarSpec(
                code=pillar,
                title=get("pillar_title"),
                verified=verified_text in TRUE,
                note=get("note"),
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
