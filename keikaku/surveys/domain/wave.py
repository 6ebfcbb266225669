"""A survey wave as the web form, the paper entry screen and the response file see it.

The product stores a wave's questions in the database; :class:`WaveSpec` is their plain
form. From it this module derives

- the engine's inputs (:meth:`WaveSpec.measures`, :meth:`WaveSpec.design`), so a wave is
  analysed by exactly the code that ``keikaku analyze-survey`` runs;
- the columns of the standard response layout (docs/formats/survey-responses.md):
  ``respondent_id``, attribute columns, ``S:<code>`` / ``I:<code>`` per measure,
  ``overall`` and other questions by their code;
- the validation of web answers (:func:`clean_web_answers`) and of paper rows, typed on
  the entry screen or imported from a file (:func:`parse_wave_rows`: one function for both,
  so they can never disagree);
- stored answers as rows (one ``{column: cell}`` dict per respondent) and back to CSV.

Question kinds:

=========  ==========================================  ================================
kind       what the respondent does                     cell in the response file
=========  ==========================================  ================================
single     picks one option (numbered 1 … n)            option number; attributes: label
multiple   picks up to ``max_picks`` options            numbers joined by ``;``
scale      5-point scale with 「わからない」            1–5, 9
measure    satisfaction and importance of a measure     ``S:<code>`` and ``I:<code>``
text       writes freely                                the text as written
=========  ==========================================  ================================

An *attribute* (属性: gender, age band, district, …) is a single-choice question whose cell
holds the option's label, as the response layout wants. On paper the option's number may be
written instead: :func:`normalize_paper_cell` turns it into the label before validation.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from keikaku.core.domain.i18n import _
from keikaku.core.domain.textio import TextDecodeError, read_csv_rows
from keikaku.surveys.domain.design import (
    AttributeSpec,
    Measure,
    Option,
    QuestionSpec,
    SurveyDesign,
    match_key,
)
from keikaku.surveys.domain.portfolio import QuadrantLabels
from keikaku.surveys.domain.problems import Parsed, Problem
from keikaku.surveys.domain.responses import (
    ID_COLUMN,
    OVERALL_COLUMN,
    ChoiceQuestion,
    SurveyResponses,
    TextQuestion,
    parse_responses,
)
from keikaku.surveys.domain.scale import IMPORTANCE_LABELS, SATISFACTION_LABELS

QuestionKind = Literal["single", "multiple", "scale", "measure", "text"]
QUESTION_KINDS: Final = ("single", "multiple", "scale", "measure", "text")
ScaleKind = Literal["satisfaction", "importance"]
SCALE_CODES: Final = ("1", "2", "3", "4", "5", "9")
MAX_TEXT_LENGTH: Final = 4000
MAX_CODE_LENGTH: Final = 40
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-.]*$")
_MEASURE_PREFIX = re.compile(r"^([SIsi]):(.*)$")
_PAPER_SEPARATORS = re.compile(r"[\s.+/・;,、]+")
_INTEGER = re.compile(r"^[0-9]+$")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Row = tuple[str, dict[str, str]]
"""(respondent_id, {column: cell}) — only answered cells are present."""


def scale_labels(kind: ScaleKind) -> Mapping[int, str]:
    return SATISFACTION_LABELS if kind == "satisfaction" else IMPORTANCE_LABELS


@dataclass(frozen=True)
class QuestionDef:
    code: str
    kind: QuestionKind
    title: str
    options: tuple[str, ...] = ()
    """Labels of the options of single / multiple questions; option ``k`` is ``options[k-1]``."""
    max_picks: int | None = None
    attribute: bool = False
    scale: ScaleKind = "satisfaction"

    @property
    def columns(self) -> tuple[str, ...]:
        if self.kind == "measure":
            return (f"S:{self.code}", f"I:{self.code}")
        return (self.code,)

    def option_label(self, number: int) -> str:
        return self.options[number - 1] if 1 <= number <= len(self.options) else ""


@dataclass(frozen=True)
class WaveSpec:
    questions: tuple[QuestionDef, ...]
    population: int | None = None
    quadrant_labels: QuadrantLabels = field(default_factory=QuadrantLabels)

    def measures(self) -> tuple[Measure, ...]:
        return tuple(Measure(q.code, q.title) for q in self.questions if q.kind == "measure")

    def columns(self) -> tuple[str, ...]:
        """Every column of the response file, ``respondent_id`` first, in question order."""
        out = [ID_COLUMN]
        for q in self.questions:
            out.extend(q.columns)
        return tuple(out)

    def design(self) -> SurveyDesign:
        attributes: list[AttributeSpec] = []
        questions: list[QuestionSpec] = []
        for q in self.questions:
            if q.kind == "measure" or q.code == OVERALL_COLUMN:
                continue
            if q.attribute:
                attributes.append(AttributeSpec(q.code, q.options))
            elif q.kind in ("single", "multiple"):
                options = tuple(Option(i, label) for i, label in enumerate(q.options, start=1))
                questions.append(QuestionSpec(q.code, q.kind, q.title, options))
            elif q.kind == "scale":
                labels = scale_labels(q.scale)
                options = tuple(Option(int(c), labels[int(c)]) for c in SCALE_CODES)
                questions.append(QuestionSpec(q.code, "single", q.title, options))
            else:
                questions.append(QuestionSpec(q.code, "text", q.title))
        return SurveyDesign(
            population=self.population,
            attributes=tuple(attributes),
            questions=tuple(questions),
            quadrant_labels=self.quadrant_labels,
        )

    def owners(self) -> dict[str, tuple[QuestionDef, str]]:
        """Match key of every column → (question, part) with part "S", "I" or ""."""
        out: dict[str, tuple[QuestionDef, str]] = {}
        for q in self.questions:
            if q.kind == "measure":
                out[f"S:{match_key(q.code)}"] = (q, "S")
                out[f"I:{match_key(q.code)}"] = (q, "I")
            else:
                out[match_key(q.code)] = (q, "")
        return out


def column_key(name: str) -> str:
    """How a column name of a file is matched to the wave's columns (S:/I: case-insensitive)."""
    key = match_key(name)
    match = _MEASURE_PREFIX.match(key)
    if match:
        return f"{match.group(1).upper()}:{match_key(match.group(2))}"
    return key


# ---------------------------------------------------------------------------------------
# checking a question as staff design it


def question_problems(question: QuestionDef, others: Sequence[QuestionDef] = ()) -> dict[str, str]:
    """Problems of one question (field name → message), given the wave's other questions."""
    problems: dict[str, str] = {}
    code = question.code.strip()
    if not code:
        problems["code"] = _("設問コードを入力してください。")
    elif len(code) > MAX_CODE_LENGTH:
        problems["code"] = _("設問コードは%(n)d文字以内にしてください。") % {"n": MAX_CODE_LENGTH}
    elif not _CODE.match(code):
        problems["code"] = _(
            "設問コードは半角英数字で始め、半角英数字・「-」「_」「.」だけにしてください（例: Q5、gender、1-1）。"
        )
    elif match_key(code) == ID_COLUMN:
        problems["code"] = _("「respondent_id」は回答者IDの列名なので、設問コードに使えません。")
    elif match_key(code) == OVERALL_COLUMN and not (
        question.kind == "scale" and question.scale == "satisfaction"
    ):
        problems["code"] = _("「overall」は総合満足度（満足度の5段階）の設問だけに使えます。")
    else:
        key = match_key(code)
        for other in others:
            if match_key(other.code) == key:
                problems["code"] = _("設問コード「%(code)s」はこの調査で既に使われています。") % {
                    "code": code
                }
                break
    if question.kind not in QUESTION_KINDS:
        problems["kind"] = _("設問の種類を選んでください。")
    if question.kind in ("single", "multiple"):
        if len(question.options) < 2:
            problems["options"] = _("選択肢を2つ以上、1行に1つずつ入力してください。")
        elif len({match_key(o) for o in question.options}) != len(question.options):
            problems["options"] = _("同じ選択肢が2回以上あります。")
    elif question.options:
        problems["options"] = _("選択肢を書けるのは単一回答・複数回答の設問だけです。")
    if question.kind == "multiple" and question.max_picks is not None:
        if not 1 <= question.max_picks <= max(1, len(question.options)):
            problems["max_picks"] = _("選べる数は1から選択肢の数までにしてください。")
    if question.attribute and question.kind != "single":
        problems["attribute"] = _("属性（性別・年齢・地区など）は単一回答の設問にしてください。")
    if not question.title.strip():
        problems["title"] = _("設問文を入力してください。")
    return problems


# ---------------------------------------------------------------------------------------
# web answers


@dataclass(frozen=True)
class CleanedAnswers:
    cells: dict[str, str]
    """Column → cell, answered columns only."""
    errors: dict[str, str]
    """Column → Japanese message."""


def _choice_number(value: str, count: int) -> int | None:
    text = unicodedata.normalize("NFKC", value).strip()
    if _INTEGER.match(text) and 1 <= int(text) <= count:
        return int(text)
    return None


def clean_web_answers(
    questions: Sequence[QuestionDef], get: Callable[[str], list[str]]
) -> CleanedAnswers:
    """Validate what a browser posted for ``questions``; ``get(column)`` gives the values.

    Every question may be left unanswered (無回答). Free text is kept as written, except
    that the browser's CR LF line breaks become LF and control characters (NUL …, never
    typed by a person; a file holding them cannot be read back) are removed.
    """
    cells: dict[str, str] = {}
    errors: dict[str, str] = {}
    for q in questions:
        for column in q.columns:
            values = [v for v in get(column) if v.strip()]
            if not values:
                continue
            if q.kind == "text":
                text = _CONTROL.sub("", values[0].replace("\r\n", "\n").replace("\r", "\n"))
                if len(text) > MAX_TEXT_LENGTH:
                    errors[column] = _(
                        "%(max)d文字以内で書いてください（いまは%(n)d文字です）。"
                    ) % {"max": MAX_TEXT_LENGTH, "n": len(text)}
                elif text.strip():
                    cells[column] = text
            elif q.kind in ("scale", "measure"):
                if len(values) > 1 or values[0].strip() not in SCALE_CODES:
                    errors[column] = _("選択肢の中から1つ選んでください。")
                else:
                    cells[column] = values[0].strip()
            elif q.kind == "single":
                number = _choice_number(values[0], len(q.options)) if len(values) == 1 else None
                if number is None:
                    errors[column] = _("選択肢の中から1つ選んでください。")
                else:
                    cells[column] = q.option_label(number) if q.attribute else str(number)
            else:
                numbers = [_choice_number(v, len(q.options)) for v in values]
                picked = sorted({n for n in numbers if n is not None})
                if any(n is None for n in numbers):
                    errors[column] = _("選択肢の中から選んでください。")
                elif q.max_picks is not None and len(picked) > q.max_picks:
                    errors[column] = _(
                        "選べるのは%(max)dつまでです（いま%(n)dつ選ばれています）。"
                    ) % {"max": q.max_picks, "n": len(picked)}
                else:
                    cells[column] = ";".join(str(n) for n in picked)
    return CleanedAnswers(cells, errors)


# ---------------------------------------------------------------------------------------
# paper rows: typed on the entry screen or imported from a file — one validation for both


def normalize_paper_cell(question: QuestionDef, part: str, cell: str) -> str:
    """What a data-entry clerk may type for convenience → the standard cell.

    - attribute: the option's number (as printed on the paper form) → its label;
    - multiple choice: numbers separated by blanks, 「.」「+」「/」「・」 → ``1;3``; with at
      most 9 options, a run of digits ``13`` means options 1 and 3;
    - scales: full-width digits and blanks are accepted (as the import accepts them).

    Anything else is returned unchanged, so that validation reports it as written.
    """
    del part
    if question.kind == "text":
        return cell
    text = unicodedata.normalize("NFKC", cell).strip()
    if question.attribute:
        if _INTEGER.match(text) and text not in {match_key(o) for o in question.options}:
            label = question.option_label(int(text))
            return label or cell
        return cell
    if question.kind == "multiple":
        if _INTEGER.match(text) and len(text) > 1 and len(question.options) <= 9:
            return ";".join(text)
        parts = [p for p in _PAPER_SEPARATORS.split(text) if p]
        if parts and all(_INTEGER.match(p) for p in parts):
            return ";".join(parts)
        return cell
    return cell


def _csv_bytes(rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def header_problems(spec: WaveSpec, header: Sequence[str], source: str) -> list[Problem]:
    """Columns of a file that this wave does not have (the engine would take them as new
    questions; in a wave every column must be designed)."""
    owners = spec.owners()
    problems: list[Problem] = []
    for name in header:
        key = column_key(name)
        if not key or key == ID_COLUMN or key in owners:
            continue
        problems.append(
            Problem(
                source,
                1,
                name,
                _(
                    "列「%(name)s」はこの調査の設問にありません。列名を設問コード（S:施策コード・I:施策コード・属性名・設問コード）に合わせるか、列を削除してください。"
                )
                % {"name": name},
            )
        )
    return problems


def parse_wave_rows(
    spec: WaveSpec,
    data: bytes,
    *,
    source: str,
    taken_ids: Mapping[str, str] | None = None,
) -> Parsed[SurveyResponses]:
    """Validate a response file (or one typed row) against the wave; all problems located.

    ``taken_ids`` maps the match key of every respondent ID already stored in the wave to a
    description of where it is; a row with such an ID is refused (an import never
    overwrites). Nothing is returned when there is any problem.
    """
    try:
        records = read_csv_rows(data)
    except TextDecodeError as exc:
        return Parsed.failure([Problem(source, None, "", str(exc))])
    problems: list[Problem] = []
    if records and any(cell.strip() for cell in records[0]):
        header = records[0]
        problems.extend(header_problems(spec, header, source))
        owners = spec.owners()
        parts = [owners.get(column_key(name)) for name in header]
        normalized: list[list[str]] = [list(header)]
        for record in records[1:]:
            cells = list(record)
            for i, owner in enumerate(parts[: len(cells)]):
                if owner is not None:
                    cells[i] = normalize_paper_cell(owner[0], owner[1], cells[i])
            normalized.append(cells)
        data = _csv_bytes(normalized)
        if taken_ids:
            id_at = [i for i, name in enumerate(header) if column_key(name) == ID_COLUMN]
            if id_at:
                for number, record in enumerate(records[1:], start=2):
                    if id_at[0] < len(record):
                        value = record[id_at[0]]
                        where = taken_ids.get(match_key(value))
                        if match_key(value) and where is not None:
                            problems.append(
                                Problem(
                                    source,
                                    number,
                                    ID_COLUMN,
                                    _(
                                        "回答者ID「%(id)s」はこの調査で既に登録されています（%(where)s）。別のIDにしてください。"
                                    )
                                    % {"id": value.strip(), "where": where},
                                )
                            )
    parsed = parse_responses(data, spec.measures(), spec.design(), source=source)
    problems.extend(parsed.problems)
    if problems:
        problems.sort(key=lambda p: (p.row is not None, p.row or 0))
        return Parsed.failure(problems)
    return parsed


def parsed_to_rows(parsed: SurveyResponses) -> list[Row]:
    """The canonical cells of every respondent, as the engine understood them."""
    rows: list[Row] = [(rid, {}) for rid in parsed.respondent_ids]
    for j, measure in enumerate(parsed.measures):
        for prefix, matrix in (("S", parsed.satisfaction), ("I", parsed.importance)):
            column = f"{prefix}:{measure.code}"
            for i, code in enumerate(matrix[:, j].tolist()):
                if code:
                    rows[i][1][column] = str(code)
    if parsed.overall is not None:
        for i, code in enumerate(parsed.overall.tolist()):
            if code:
                rows[i][1][OVERALL_COLUMN] = str(code)
    for attribute in parsed.attributes:
        for i, index in enumerate(attribute.codes.tolist()):
            value = attribute.categories[index]
            if value:
                rows[i][1][attribute.name] = value
    for question in parsed.questions:
        if isinstance(question, TextQuestion):
            for i, text in enumerate(question.answers):
                if text.strip():
                    rows[i][1][question.code] = text
        elif isinstance(question, ChoiceQuestion):
            codes = [o.code for o in question.options]
            for i in range(len(rows)):
                picked = [
                    str(c) for c, on in zip(codes, question.selected[i].tolist(), strict=True) if on
                ]
                if picked:
                    rows[i][1][question.code] = ";".join(picked)
    return rows


def rows_to_csv(spec: WaveSpec, rows: Iterable[Row]) -> bytes:
    """The standard response file (UTF-8, no BOM) of stored rows, columns in design order;
    cells of columns the design no longer has are left out."""
    columns = spec.columns()
    out: list[list[str]] = [list(columns)]
    for rid, cells in rows:
        out.append([rid, *(cells.get(c, "") for c in columns[1:])])
    return _csv_bytes(out)


def parse_stored(spec: WaveSpec, rows: Sequence[Row], *, source: str) -> SurveyResponses | None:
    """Stored rows as the engine's arrays (``None`` when there are no rows)."""
    if not rows:
        return None
    return parse_responses(
        rows_to_csv(spec, rows), spec.measures(), spec.design(), source=source
    ).unwrap()
