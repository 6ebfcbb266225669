"""Parse and validate a survey response file (one row per respondent).

Layout (docs/formats/survey-responses.md):

- ``respondent_id`` — required, unique;
- attribute columns (属性: gender, age_band, district, …);
- ``S:<code>`` and ``I:<code>`` for every measure code of MEASURES.csv — satisfaction and
  importance on the 1–5 / 9 / empty scale (:mod:`keikaku.surveys.domain.scale`);
- ``overall`` — overall satisfaction on the same scale (optional);
- other questions by their code: single choice (one code), multiple choice (codes separated
  by ``;`` ``,`` or ``、``) or free text.

Files are UTF-8 (BOM or not) or CP932; full-width digits and blanks around a code are
accepted. Every problem is reported with its row, column and a Japanese message; when there
is any problem nothing is returned (all-or-nothing).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
from numpy.typing import NDArray

from keikaku.core.domain.i18n import _
from keikaku.core.domain.textio import TextDecodeError, read_csv_rows
from keikaku.surveys.domain.design import (
    DEFAULT_ATTRIBUTES,
    AttributeSpec,
    Measure,
    Option,
    QuestionSpec,
    SurveyDesign,
    match_key,
)
from keikaku.surveys.domain.problems import Parsed, Problem

ID_COLUMN: Final = "respondent_id"
OVERALL_COLUMN: Final = "overall"

_MEASURE_COLUMN = re.compile(r"^([SIsi]):(.*)$")
_INTEGER = re.compile(r"^[0-9]+$")
_SEPARATORS = re.compile(r"[;,、]")
_MULTIPLE = re.compile(r"^[0-9]+(\s*[;,、]\s*[0-9]*)*$")

_SCALE_MAP: dict[str, int] = {"": 0}
for _code in (1, 2, 3, 4, 5, 9):
    _SCALE_MAP[str(_code)] = _code
    _SCALE_MAP[chr(ord("０") + _code)] = _code


def _readonly[A: NDArray[Any]](array: A) -> A:
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Attribute:
    """A respondent attribute as category indices (vectorised cross-tabs).

    ``categories[codes[i]]`` is respondent i's value; the category ``""`` means no answer
    (無回答) and, when present, is always last.
    """

    name: str
    categories: tuple[str, ...]
    codes: NDArray[np.int32]


@dataclass(frozen=True, eq=False)
class ChoiceQuestion:
    """A single- or multiple-choice question as a respondents × options boolean matrix."""

    code: str
    type: Literal["single", "multiple"]
    title: str
    options: tuple[Option, ...]
    selected: NDArray[np.bool_]
    answered: NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class TextQuestion:
    """A free-text question; answers kept exactly as written ("" or blanks = no answer)."""

    code: str
    title: str
    answers: tuple[str, ...]

    @property
    def answered(self) -> NDArray[np.bool_]:
        return np.array([bool(a.strip()) for a in self.answers], dtype=bool)


Question = ChoiceQuestion | TextQuestion


@dataclass(frozen=True, eq=False)
class SurveyResponses:
    """A whole survey in arrays. Scale matrices are int8 codes (0 = no answer)."""

    respondent_ids: tuple[str, ...]
    measures: tuple[Measure, ...]
    satisfaction: NDArray[np.int8]
    """respondents × measures, codes 0 (empty), 1–5, 9."""
    importance: NDArray[np.int8]
    overall: NDArray[np.int8] | None
    attributes: tuple[Attribute, ...] = ()
    questions: tuple[Question, ...] = ()
    missing_measures: tuple[str, ...] = ()
    """Measure codes without columns (only when parsed with ``measures_only=True``)."""

    def __post_init__(self) -> None:
        n, k = len(self.respondent_ids), len(self.measures)
        for name, matrix in (("satisfaction", self.satisfaction), ("importance", self.importance)):
            if matrix.shape != (n, k) or matrix.dtype != np.int8:
                raise ValueError(f"{name} must be an int8 array of shape ({n}, {k})")
        if self.overall is not None and (
            self.overall.shape != (n,) or self.overall.dtype != np.int8
        ):
            raise ValueError(f"overall must be an int8 array of shape ({n},)")

    @property
    def n_respondents(self) -> int:
        return len(self.respondent_ids)

    @property
    def measure_codes(self) -> tuple[str, ...]:
        return tuple(m.code for m in self.measures)

    def attribute(self, name: str) -> Attribute:
        key = match_key(name)
        for attribute in self.attributes:
            if match_key(attribute.name) == key:
                return attribute
        raise KeyError(name)


# ---------------------------------------------------------------------------------------
# parsing


@dataclass
class _Column:
    index: int
    name: str
    kind: Literal["id", "S", "I", "overall", "attribute", "question", "ignore"]
    measure: int = -1
    attribute: AttributeSpec | None = None
    question: QuestionSpec | None = None


def _label(name: str, index: int) -> str:
    return name if name.strip() else _("%(n)d列目") % {"n": index + 1}


def _scale_column(
    values: list[str], column: str, rows: list[int], source: str, problems: list[Problem]
) -> NDArray[np.int8]:
    get = _SCALE_MAP.get
    codes = np.array([get(v, -1) for v in values], dtype=np.int8)
    for i in np.flatnonzero(codes < 0).tolist():
        raw = values[i]
        code = _SCALE_MAP.get(unicodedata.normalize("NFKC", raw).strip(), -1)
        if code >= 0:
            codes[i] = code
            continue
        problems.append(
            Problem(
                source,
                rows[i],
                column,
                _(
                    "「%(value)s」は回答コードとして使えません。1〜5、9（わからない）または空欄（無回答）にしてください。"
                )
                % {"value": raw},
            )
        )
    return codes


def _ordered_categories(categories: list[str]) -> list[str]:
    if all(_INTEGER.match(c) for c in categories):
        return sorted(categories, key=int)
    return sorted(categories)


def _attribute_column(
    values: list[str],
    column: _Column,
    rows: list[int],
    source: str,
    problems: list[Problem],
) -> Attribute:
    spec = column.attribute
    assert spec is not None
    keys = [match_key(v) for v in values]
    if spec.categories is not None:
        categories = list(spec.categories)
        index = {match_key(c): i for i, c in enumerate(categories)}
        allowed = "、".join(categories)
        for i, key in enumerate(keys):
            if key and key not in index:
                problems.append(
                    Problem(
                        source,
                        rows[i],
                        column.name,
                        _(
                            "「%(value)s」は属性「%(name)s」の区分にありません。次のいずれかにしてください: %(allowed)s"
                        )
                        % {"value": values[i], "name": spec.name, "allowed": allowed},
                    )
                )
    else:
        # one category per match key, shown in its smallest spelling as written (so the
        # result does not depend on the order of the respondents)
        spelling: dict[str, str] = {}
        for key, value in zip(keys, values, strict=True):
            if key:
                written = value.strip()
                if key not in spelling or written < spelling[key]:
                    spelling[key] = written
        ordered = _ordered_categories(sorted(spelling))
        categories = [spelling[k] for k in ordered]
        index = {k: i for i, k in enumerate(ordered)}
    if any(not k for k in keys):
        index[""] = len(categories)
        categories.append("")
    codes = np.array([index.get(k, 0) for k in keys], dtype=np.int32)
    return Attribute(spec.name, tuple(categories), _readonly(codes))


def _infer_type(keys: list[str]) -> Literal["single", "multiple", "text"]:
    answered = [k for k in keys if k]
    if all(_INTEGER.match(k) for k in answered):
        return "single"
    if all(_MULTIPLE.match(k) for k in answered):
        return "multiple"
    return "text"


def _choice_codes(key: str, multiple: bool) -> tuple[list[int], str | None]:
    """Codes in one cell, or an error message."""
    if not multiple:
        if _INTEGER.match(key):
            return [int(key)], None
        if _MULTIPLE.match(key):
            return [], _("この設問は単一回答です。選択肢コードを1つだけ入力してください。")
        return [], _("選択肢コードは0以上の整数で入力してください。")
    parts = [p.strip() for p in _SEPARATORS.split(key)]
    parts = [p for p in parts if p]
    if not parts:
        return [], _("選択肢コードがありません。コードを「;」で区切って入力してください。")
    if not all(_INTEGER.match(p) for p in parts):
        return [], _("選択肢コードは0以上の整数を「;」で区切って入力してください（例: 1;3）。")
    codes = [int(p) for p in parts]
    if len(set(codes)) != len(codes):
        return [], _("同じ選択肢コードが2回以上書かれています。1回だけにしてください。")
    return codes, None


def _question_column(
    values: list[str],
    column: _Column,
    rows: list[int],
    source: str,
    problems: list[Problem],
) -> Question:
    spec = column.question
    keys = [match_key(v) for v in values]
    qtype = spec.type if spec is not None else _infer_type(keys)
    title = spec.title if spec is not None else ""
    code = spec.code if spec is not None else column.name.strip()
    if qtype == "text":
        return TextQuestion(code, title, tuple(values))
    multiple = qtype == "multiple"
    per_row: list[list[int]] = []
    for i, key in enumerate(keys):
        if not key:
            per_row.append([])
            continue
        codes, error = _choice_codes(key, multiple)
        if error is not None:
            problems.append(Problem(source, rows[i], column.name, f"「{values[i]}」: {error}"))
        per_row.append(codes)
    if spec is not None and spec.options is not None:
        options = spec.options
        allowed = {o.code for o in options}
        shown = ", ".join(str(o.code) for o in options)
        for i, codes in enumerate(per_row):
            bad = [c for c in codes if c not in allowed]
            if bad:
                problems.append(
                    Problem(
                        source,
                        rows[i],
                        column.name,
                        _(
                            "「%(value)s」: 選択肢コード %(bad)s は設問の選択肢にありません（使えるのは %(allowed)s）。"
                        )
                        % {
                            "value": values[i],
                            "bad": ", ".join(str(c) for c in bad),
                            "allowed": shown,
                        },
                    )
                )
                per_row[i] = [c for c in codes if c in allowed]
    else:
        options = tuple(Option(c) for c in sorted({c for codes in per_row for c in codes}))
    position = {o.code: j for j, o in enumerate(options)}
    selected = np.zeros((len(values), len(options)), dtype=bool)
    for i, codes in enumerate(per_row):
        for c in codes:
            selected[i, position[c]] = True
    answered = np.array([bool(k) for k in keys], dtype=bool)
    return ChoiceQuestion(code, qtype, title, options, _readonly(selected), _readonly(answered))


def _classify(
    header: list[str],
    measures: tuple[Measure, ...],
    design: SurveyDesign,
    source: str,
    measures_only: bool,
    problems: list[Problem],
) -> list[_Column]:
    measure_at = {match_key(m.code): i for i, m in enumerate(measures)}
    attribute_specs = (
        {match_key(a.name): a for a in design.attributes}
        if design.attributes is not None
        else {name: AttributeSpec(name) for name in DEFAULT_ATTRIBUTES}
    )
    columns: list[_Column] = []
    first_seen: dict[str, int] = {}
    for index, name in enumerate(header):
        key = match_key(name)
        label = _label(name, index)
        if not key:
            problems.append(
                Problem(
                    source,
                    1,
                    label,
                    _("列名（見出し）が空です。列名を入力するか、列を削除してください。"),
                )
            )
            columns.append(_Column(index, label, "ignore"))
            continue
        match = _MEASURE_COLUMN.match(key)
        dedup_key = f"{match.group(1).upper()}:{match_key(match.group(2))}" if match else key
        if dedup_key in first_seen:
            problems.append(
                Problem(
                    source,
                    1,
                    label,
                    _("列名「%(name)s」が重複しています（%(first)d列目と同じ）。")
                    % {"name": name, "first": first_seen[dedup_key] + 1},
                )
            )
            columns.append(_Column(index, label, "ignore"))
            continue
        first_seen[dedup_key] = index
        if key == ID_COLUMN:
            columns.append(_Column(index, label, "id"))
        elif match:
            code = match_key(match.group(2))
            if code in measure_at:
                kind: Literal["S", "I"] = "S" if match.group(1).upper() == "S" else "I"
                columns.append(_Column(index, label, kind, measure=measure_at[code]))
            else:
                columns.append(_Column(index, label, "ignore"))
                if not measures_only:
                    problems.append(
                        Problem(
                            source,
                            1,
                            label,
                            _(
                                "施策コード「%(code)s」は施策一覧（MEASURES.csv）にありません。施策一覧に加えるか、列名を直してください。"
                            )
                            % {"code": match.group(2).strip()},
                        )
                    )
        elif key == OVERALL_COLUMN:
            columns.append(_Column(index, label, "overall"))
        elif measures_only:
            columns.append(_Column(index, label, "ignore"))
        elif key in attribute_specs:
            columns.append(_Column(index, label, "attribute", attribute=attribute_specs[key]))
        else:
            columns.append(_Column(index, label, "question", question=design.question(key)))
    if ID_COLUMN not in first_seen:
        problems.append(
            Problem(
                source,
                1,
                ID_COLUMN,
                _("回答者IDの列「respondent_id」がありません。見出しに加えてください。"),
            )
        )
    if not measures_only:
        for measure in measures:
            for prefix in ("S", "I"):
                if f"{prefix}:{match_key(measure.code)}" not in first_seen:
                    problems.append(
                        Problem(
                            source,
                            1,
                            f"{prefix}:{measure.code}",
                            _("施策「%(code)s」の%(what)s列「%(column)s」がありません。")
                            % {
                                "code": measure.code,
                                "what": _("満足度") if prefix == "S" else _("重要度"),
                                "column": f"{prefix}:{measure.code}",
                            },
                        )
                    )
        for spec in design.questions:
            if match_key(spec.code) not in first_seen:
                problems.append(
                    Problem(
                        source,
                        1,
                        spec.code,
                        _("設計ファイルにある設問「%(code)s」の列がありません。")
                        % {"code": spec.code},
                    )
                )
        if design.attributes is not None:
            for attr in design.attributes:
                if match_key(attr.name) not in first_seen:
                    problems.append(
                        Problem(
                            source,
                            1,
                            attr.name,
                            _("設計ファイルにある属性「%(name)s」の列がありません。")
                            % {"name": attr.name},
                        )
                    )
    return columns


def parse_responses(
    data: bytes,
    measures: tuple[Measure, ...],
    design: SurveyDesign | None = None,
    *,
    source: str = "responses.csv",
    measures_only: bool = False,
) -> Parsed[SurveyResponses]:
    """Parse a response file against the measure list and the (optional) design.

    With ``measures_only=True`` (used for the previous year's file in a year-on-year
    comparison) only ``respondent_id``, ``S:``/``I:`` and ``overall`` are read; measure
    columns the file lacks are left empty and listed in ``missing_measures``; other columns
    are ignored.
    """
    design = design or SurveyDesign()
    problems: list[Problem] = []
    try:
        records = read_csv_rows(data)
    except TextDecodeError as exc:
        return Parsed.failure([Problem(source, None, "", str(exc))])
    if not records or not any(cell.strip() for cell in records[0]):
        return Parsed.failure(
            [Problem(source, None, "", _("見出し行がありません。1行目に列名を書いてください。"))]
        )
    header = records[0]
    columns = _classify(header, measures, design, source, measures_only, problems)
    width = len(header)
    rows: list[int] = []
    body: list[list[str]] = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > width:
            if any(cell.strip() for cell in record[width:]):
                problems.append(
                    Problem(
                        source,
                        number,
                        "",
                        _(
                            "見出しより列が多い行です（見出し %(width)d列、この行 %(n)d列）。カンマの数を確かめてください。"
                        )
                        % {"width": width, "n": len(record)},
                    )
                )
            record = record[:width]
        elif len(record) < width:
            record = record + [""] * (width - len(record))
        rows.append(number)
        body.append(record)
    if not body:
        problems.append(Problem(source, None, "", _("回答が1件もありません。")))
        return Parsed.failure(problems)

    n, k = len(body), len(measures)
    satisfaction = np.zeros((n, k), dtype=np.int8)
    importance = np.zeros((n, k), dtype=np.int8)
    overall: NDArray[np.int8] | None = None
    ids: list[str] = []
    attributes: list[Attribute] = []
    questions: list[Question] = []
    present: set[int] = set()
    for column in columns:
        if column.kind == "ignore":
            continue
        values = [record[column.index] for record in body]
        if column.kind == "id":
            first: dict[str, int] = {}
            for i, value in enumerate(values):
                key = match_key(value)
                if not key:
                    problems.append(
                        Problem(
                            source,
                            rows[i],
                            column.name,
                            _("回答者IDが空です。IDを入力してください。"),
                        )
                    )
                elif key in first:
                    problems.append(
                        Problem(
                            source,
                            rows[i],
                            column.name,
                            _(
                                "回答者ID「%(id)s」が重複しています（%(first)d行目と同じ）。IDを見直してください。"
                            )
                            % {"id": value.strip(), "first": first[key]},
                        )
                    )
                else:
                    first[key] = rows[i]
            ids = [v.strip() for v in values]
        elif column.kind in ("S", "I"):
            codes = _scale_column(values, column.name, rows, source, problems)
            target = satisfaction if column.kind == "S" else importance
            target[:, column.measure] = codes
            present.add(column.measure)
        elif column.kind == "overall":
            overall = _scale_column(values, column.name, rows, source, problems)
        elif column.kind == "attribute":
            attributes.append(_attribute_column(values, column, rows, source, problems))
        else:
            questions.append(_question_column(values, column, rows, source, problems))
    if problems:
        return Parsed.failure(problems)
    missing = tuple(m.code for i, m in enumerate(measures) if i not in present)
    return Parsed.success(
        SurveyResponses(
            respondent_ids=tuple(ids),
            measures=measures,
            satisfaction=_readonly(satisfaction),
            importance=_readonly(importance),
            overall=_readonly(overall) if overall is not None else None,
            attributes=tuple(attributes),
            questions=tuple(questions),
            missing_measures=missing,
        )
    )
