"""Reading the analysis inputs from CSV (UTF-8 with or without BOM, or CP932).

- opinions: an id column, a text column (names configurable), any other columns become
  attributes (年代, 地区 …) used for characteristic words;
- measures: ``code,title,description`` and optionally ``vision`` (目指す姿), ``initiatives``
  (主な取組), ``indicators`` (成果指標), ``keywords``; list cells separate items with ``|``;
  Japanese header names are accepted too (施策コード, 施策名, 説明 …);
- confirmations: ``id,measure`` — opinions whose measure staff confirmed.

Every problem raises :class:`AnalysisInputError` with a one-line Japanese message that names
the file, the row and the column, and says what to do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from keikaku.analysis.domain.model import MeasureProfile, Opinion
from keikaku.core.domain.i18n import _
from keikaku.core.domain.textio import (
    CsvFormatError,
    TextDecodeError,
    read_csv_dicts,
    read_csv_rows,
)

__all__ = [
    "AnalysisInputError",
    "MEASURE_COLUMNS",
    "read_confirmations_csv",
    "read_measures_csv",
    "read_opinions_csv",
    "split_list",
]


class AnalysisInputError(ValueError):
    """Bad analysis input; the message is one line of Japanese."""


MEASURE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "code": ("code", "施策コード", "施策番号", "コード"),
    "title": ("title", "施策名", "名称"),
    "description": ("description", "説明", "概要", "現状と課題"),
    "vision": ("vision", "目指す姿", "めざす姿"),
    "initiatives": ("initiatives", "主な取組", "主な取り組み"),
    "indicators": ("indicators", "成果指標", "指標"),
    "keywords": ("keywords", "キーワード"),
}
_LIST_SEPARATOR = re.compile(r"[|｜;；\n]")


def split_list(cell: str) -> tuple[str, ...]:
    """Items of a list cell separated by | ｜ ; ； or line breaks."""
    return tuple(item.strip() for item in _LIST_SEPARATOR.split(cell) if item.strip())


def _read(data: bytes, source: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and (row number as a spreadsheet shows it, row) of each non-blank row."""
    try:
        header, rows = read_csv_dicts(data, source=source)
        raw = read_csv_rows(data, source=source)
    except (TextDecodeError, CsvFormatError) as exc:
        raise AnalysisInputError(" ".join(str(exc).split())) from exc
    if not header:
        raise AnalysisInputError(
            _("%(source)s: ファイルが空です。1 行目に見出し行を書いてください。")
            % {"source": source}
        )
    numbers = [n for n, r in enumerate(raw[1:], start=2) if any(c.strip() for c in r)]
    return header, list(zip(numbers, rows, strict=True))


def _missing_column(source: str, column: str, header: Sequence[str]) -> AnalysisInputError:
    return AnalysisInputError(
        _(
            "%(source)s: 見出し行に「%(column)s」列がありません（ある列: %(found)s）。列名を確かめてください。"
        )
        % {"source": source, "column": column, "found": "、".join(h for h in header if h) or "なし"}
    )


def read_opinions_csv(
    data: bytes,
    *,
    source: str = "opinions.csv",
    id_column: str = "id",
    text_column: str = "text",
) -> list[Opinion]:
    header, rows = _read(data, source)
    for column in (id_column, text_column):
        if column not in header:
            raise _missing_column(source, column, header)
    attributes = [h for h in header if h and h not in (id_column, text_column)]
    seen: dict[str, int] = {}
    opinions: list[Opinion] = []
    for number, row in rows:
        oid = row[id_column].strip()
        if not oid:
            raise AnalysisInputError(
                _("%(source)s %(row)d 行目: 「%(column)s」列が空です。意見の ID を入れてください。")
                % {"source": source, "row": number, "column": id_column}
            )
        if oid in seen:
            raise AnalysisInputError(
                _(
                    "%(source)s %(row)d 行目: ID「%(id)s」は %(first)d 行目と重複しています。ID を一意にしてください。"
                )
                % {"source": source, "row": number, "id": oid, "first": seen[oid]}
            )
        seen[oid] = number
        text = row[text_column]
        if not text.strip():
            raise AnalysisInputError(
                _(
                    "%(source)s %(row)d 行目: 「%(column)s」列が空です。意見の本文を入れるか、行を削除してください。"
                )
                % {"source": source, "row": number, "column": text_column}
            )
        attrs = tuple((a, row.get(a, "").strip()) for a in attributes)
        opinions.append(Opinion(oid, text, attrs))
    if not opinions:
        raise AnalysisInputError(
            _("%(source)s: 意見が 1 件もありません。2 行目から意見を書いてください。")
            % {"source": source}
        )
    return opinions


def _column(header: Sequence[str], field: str) -> str | None:
    for name in MEASURE_COLUMNS[field]:
        if name in header:
            return name
    return None


def read_measures_csv(data: bytes, *, source: str = "measures.csv") -> list[MeasureProfile]:
    header, rows = _read(data, source)
    columns = {f: _column(header, f) for f in MEASURE_COLUMNS}
    for required in ("code", "title", "description"):
        if columns[required] is None:
            raise _missing_column(source, required, header)
    seen: dict[str, int] = {}
    measures: list[MeasureProfile] = []

    def cell(row: dict[str, str], field: str) -> str:
        name = columns[field]
        return row.get(name, "").strip() if name else ""

    for number, row in rows:
        code = cell(row, "code")
        title = cell(row, "title")
        if not code:
            raise AnalysisInputError(
                _("%(source)s %(row)d 行目: 「code」列が空です。施策コードを入れてください。")
                % {"source": source, "row": number}
            )
        if code in seen:
            raise AnalysisInputError(
                _(
                    "%(source)s %(row)d 行目: 施策コード「%(code)s」は %(first)d 行目と重複しています。コードを一意にしてください。"
                )
                % {"source": source, "row": number, "code": code, "first": seen[code]}
            )
        if not title:
            raise AnalysisInputError(
                _("%(source)s %(row)d 行目: 「title」列が空です。施策名を入れてください。")
                % {"source": source, "row": number}
            )
        seen[code] = number
        measures.append(
            MeasureProfile(
                code=code,
                title=title,
                description=cell(row, "description"),
                vision=cell(row, "vision"),
                initiatives=split_list(cell(row, "initiatives")),
                indicators=split_list(cell(row, "indicators")),
                keywords=split_list(cell(row, "keywords")),
            )
        )
    if not measures:
        raise AnalysisInputError(
            _("%(source)s: 施策が 1 件もありません。2 行目から施策を書いてください。")
            % {"source": source}
        )
    return measures


def read_confirmations_csv(
    data: bytes,
    *,
    opinion_ids: Sequence[str],
    measure_codes: Sequence[str],
    source: str = "confirmations.csv",
) -> dict[str, str]:
    """Opinion id → measure code confirmed by staff."""
    header, rows = _read(data, source)
    for column in ("id", "measure"):
        if column not in header:
            raise _missing_column(source, column, header)
    known_ids = set(opinion_ids)
    known_codes = set(measure_codes)
    out: dict[str, str] = {}
    for number, row in rows:
        oid = row["id"].strip()
        code = row["measure"].strip()
        if oid not in known_ids:
            raise AnalysisInputError(
                _(
                    "%(source)s %(row)d 行目: 意見 ID「%(id)s」は意見ファイルにありません。ID を確かめてください。"
                )
                % {"source": source, "row": number, "id": oid}
            )
        if code not in known_codes:
            raise AnalysisInputError(
                _(
                    "%(source)s %(row)d 行目: 施策コード「%(code)s」は施策ファイルにありません。コードを確かめてください。"
                )
                % {"source": source, "row": number, "code": code}
            )
        out[oid] = code
    return out
