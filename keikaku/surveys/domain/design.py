"""Survey design: the measure list (MEASURES.csv) and the optional design file (JSON).

See docs/formats/survey-analysis.md for both layouts.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Final, Literal

from keikaku.core.domain.i18n import _
from keikaku.core.domain.textio import TextDecodeError, decode_bytes, read_csv_rows
from keikaku.surveys.domain.portfolio import QuadrantLabels
from keikaku.surveys.domain.problems import Parsed, Problem

QuestionType = Literal["single", "multiple", "text"]
QUESTION_TYPES: Final = ("single", "multiple", "text")

DEFAULT_ATTRIBUTES: Final = (
    "gender",
    "age_band",
    "district",
    "years_of_residence",
    "occupation",
    "household",
    "life_stage",
    "intention_to_stay",
)
"""Columns read as respondent attributes (属性) when the design file does not list them."""

RESERVED_COLUMNS: Final = ("respondent_id", "overall")
_INTEGER = re.compile(r"^[0-9]+$")


def match_key(text: str) -> str:
    """How column names and codes are compared: NFKC, surrounding blanks removed."""
    return unicodedata.normalize("NFKC", text).strip()


@dataclass(frozen=True)
class Measure:
    """A measure (施策) asked about in the survey: code as written in MEASURES.csv, title."""

    code: str
    title: str


@dataclass(frozen=True)
class Option:
    """A choice of a single- or multiple-choice question; label ``""`` when not designed."""

    code: int
    label: str = ""


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    type: QuestionType
    title: str = ""
    options: tuple[Option, ...] | None = None
    """``None``: options are the codes found in the responses, ascending."""


@dataclass(frozen=True)
class AttributeSpec:
    name: str
    categories: tuple[str, ...] | None = None
    """Allowed values in report order; ``None``: the values found, in code-point order."""


@dataclass(frozen=True)
class SurveyDesign:
    population: int | None = None
    attributes: tuple[AttributeSpec, ...] | None = None
    """``None``: the columns named in :data:`DEFAULT_ATTRIBUTES` that the file has."""
    questions: tuple[QuestionSpec, ...] = ()
    quadrant_labels: QuadrantLabels = field(default_factory=QuadrantLabels)

    def question(self, code: str) -> QuestionSpec | None:
        key = match_key(code)
        for spec in self.questions:
            if match_key(spec.code) == key:
                return spec
        return None


# ---------------------------------------------------------------------------------------
# MEASURES.csv


def parse_measures(data: bytes, *, source: str = "measures.csv") -> Parsed[tuple[Measure, ...]]:
    """``code,title`` per row; every problem is reported, nothing is returned on a problem."""
    problems: list[Problem] = []
    try:
        rows = read_csv_rows(data)
    except TextDecodeError as exc:
        return Parsed.failure([Problem(source, None, "", str(exc))])
    if not rows or not any(cell.strip() for cell in rows[0]):
        return Parsed.failure(
            [Problem(source, None, "", _("見出し行（code,title）がありません。"))]
        )
    header = [match_key(h).lower() for h in rows[0]]
    for required in ("code", "title"):
        if required not in header:
            problems.append(
                Problem(
                    source,
                    1,
                    required,
                    _("見出しに「%(name)s」列がありません。1行目を code,title にしてください。")
                    % {"name": required},
                )
            )
    if problems:
        return Parsed.failure(problems)
    code_at = header.index("code")
    title_at = header.index("title")
    measures: list[Measure] = []
    seen: dict[str, int] = {}
    for index, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        padded = list(row) + [""] * (len(header) - len(row))
        code = padded[code_at].strip()
        title = padded[title_at].strip()
        if not code:
            problems.append(
                Problem(source, index, "code", _("施策コードが空です。コードを入力してください。"))
            )
        elif ":" in match_key(code):
            problems.append(
                Problem(
                    source,
                    index,
                    "code",
                    _("施策コード「%(code)s」に「:」は使えません。") % {"code": code},
                )
            )
        elif match_key(code) in seen:
            problems.append(
                Problem(
                    source,
                    index,
                    "code",
                    _("施策コード「%(code)s」が重複しています（%(first)d行目と同じ）。")
                    % {"code": code, "first": seen[match_key(code)]},
                )
            )
        else:
            seen[match_key(code)] = index
        if not title:
            problems.append(
                Problem(source, index, "title", _("施策名が空です。施策名を入力してください。"))
            )
        measures.append(Measure(code, title))
    if not measures and not problems:
        problems.append(Problem(source, None, "", _("施策が1件もありません。")))
    if problems:
        return Parsed.failure(problems)
    return Parsed.success(tuple(measures))


# ---------------------------------------------------------------------------------------
# design file (JSON)

_TOP_KEYS: Final = ("population", "attributes", "questions", "quadrant_labels")
_QUESTION_KEYS: Final = ("type", "title", "options")
_QUADRANT_KEYS: Final = (
    "priority_improvement",
    "improvement",
    "priority_maintenance",
    "maintenance",
)


def _parse_options(
    raw: object, path: str, source: str, problems: list[Problem]
) -> tuple[Option, ...] | None:
    if not isinstance(raw, dict) or not raw:
        problems.append(
            Problem(
                source,
                None,
                path,
                _('選択肢は {"1": "はい", "2": "いいえ"} の形（コード → 名称）で書いてください。'),
            )
        )
        return None
    options: list[Option] = []
    seen: set[int] = set()
    for key, label in raw.items():
        code_text = match_key(str(key))
        if not _INTEGER.match(code_text):
            problems.append(
                Problem(
                    source,
                    None,
                    f"{path}.{key}",
                    _("選択肢コード「%(code)s」は0以上の整数にしてください。") % {"code": key},
                )
            )
            continue
        code = int(code_text)
        if code in seen:
            problems.append(
                Problem(
                    source,
                    None,
                    f"{path}.{key}",
                    _("選択肢コード「%(code)s」が重複しています。") % {"code": key},
                )
            )
            continue
        seen.add(code)
        if not isinstance(label, str):
            problems.append(
                Problem(source, None, f"{path}.{key}", _("選択肢の名称は文字列にしてください。"))
            )
            continue
        options.append(Option(code, label))
    return tuple(options)


def _parse_attributes(
    raw: object, source: str, problems: list[Problem]
) -> tuple[AttributeSpec, ...] | None:
    specs: list[AttributeSpec] = []
    if isinstance(raw, list):
        for i, name in enumerate(raw):
            if not isinstance(name, str) or not name.strip():
                problems.append(
                    Problem(
                        source,
                        None,
                        f"attributes[{i}]",
                        _("属性名は空でない文字列にしてください。"),
                    )
                )
                continue
            specs.append(AttributeSpec(name.strip()))
    elif isinstance(raw, dict):
        for name, categories in raw.items():
            path = f"attributes.{name}"
            if categories is None:
                specs.append(AttributeSpec(name.strip()))
                continue
            if (
                not isinstance(categories, list)
                or not categories
                or not all(isinstance(c, str) and c.strip() for c in categories)
            ):
                problems.append(
                    Problem(
                        source,
                        None,
                        path,
                        _("属性の区分は空でない文字列のリスト（表示順）にしてください。"),
                    )
                )
                continue
            stripped = tuple(c.strip() for c in categories)
            if len({match_key(c) for c in stripped}) != len(stripped):
                problems.append(Problem(source, None, path, _("属性の区分が重複しています。")))
                continue
            specs.append(AttributeSpec(name.strip(), stripped))
    else:
        problems.append(
            Problem(
                source,
                None,
                "attributes",
                _(
                    "attributes は属性名のリスト、または属性名 → 区分リストのオブジェクトにしてください。"
                ),
            )
        )
        return None
    names = [match_key(s.name) for s in specs]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(
            Problem(
                source, None, "attributes", _("属性「%(name)s」が重複しています。") % {"name": name}
            )
        )
    for spec in specs:
        if match_key(spec.name) in RESERVED_COLUMNS or re.match(r"^[SIsi]:", match_key(spec.name)):
            problems.append(
                Problem(
                    source,
                    None,
                    f"attributes.{spec.name}",
                    _("「%(name)s」は属性名に使えません。") % {"name": spec.name},
                )
            )
    return tuple(specs)


def _parse_questions(raw: object, source: str, problems: list[Problem]) -> tuple[QuestionSpec, ...]:
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                source,
                None,
                "questions",
                _("questions は設問コード → 設問定義のオブジェクトにしてください。"),
            )
        )
        return ()
    specs: list[QuestionSpec] = []
    for code, body in raw.items():
        path = f"questions.{code}"
        key = match_key(code)
        if not key:
            problems.append(Problem(source, None, path, _("設問コードが空です。")))
            continue
        if key in RESERVED_COLUMNS or re.match(r"^[SIsi]:", key):
            problems.append(
                Problem(
                    source,
                    None,
                    path,
                    _(
                        "「%(code)s」は設問コードに使えません（回答者ID・総合満足度・施策の列名です）。"
                    )
                    % {"code": code},
                )
            )
            continue
        if not isinstance(body, dict):
            problems.append(
                Problem(
                    source, None, path, _('設問定義は {"type": "single", …} の形にしてください。')
                )
            )
            continue
        for unknown in sorted(set(body) - set(_QUESTION_KEYS)):
            problems.append(
                Problem(
                    source,
                    None,
                    f"{path}.{unknown}",
                    _("知らない項目です。使えるのは type, title, options です。"),
                )
            )
        qtype = body.get("type")
        if qtype not in QUESTION_TYPES:
            problems.append(
                Problem(
                    source,
                    None,
                    f"{path}.type",
                    _(
                        "type は single（単一回答）、multiple（複数回答）、text（自由記述）のいずれかにしてください。"
                    ),
                )
            )
            continue
        title = body.get("title", "")
        if not isinstance(title, str):
            problems.append(
                Problem(source, None, f"{path}.title", _("title は文字列にしてください。"))
            )
            title = ""
        options: tuple[Option, ...] | None = None
        if "options" in body:
            if qtype == "text":
                problems.append(
                    Problem(
                        source,
                        None,
                        f"{path}.options",
                        _("自由記述（text）の設問に選択肢は書けません。"),
                    )
                )
            else:
                options = _parse_options(body["options"], f"{path}.options", source, problems)
        specs.append(QuestionSpec(code.strip(), qtype, title, options))
    return tuple(specs)


def parse_design(data: bytes, *, source: str = "design.json") -> Parsed[SurveyDesign]:
    """The optional design file; unknown keys are refused (they are usually typos)."""
    problems: list[Problem] = []
    try:
        text = decode_bytes(data).text
    except TextDecodeError as exc:
        return Parsed.failure([Problem(source, None, "", str(exc))])
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        return Parsed.failure(
            [
                Problem(
                    source,
                    exc.lineno,
                    "",
                    _(
                        "JSON として読めません（%(col)d文字目）。括弧・引用符・カンマを確かめてください。"
                    )
                    % {"col": exc.colno},
                )
            ]
        )
    if not isinstance(raw, dict):
        return Parsed.failure(
            [Problem(source, None, "", _("設計ファイルは JSON オブジェクト {…} にしてください。"))]
        )
    for unknown in sorted(set(raw) - set(_TOP_KEYS)):
        problems.append(
            Problem(
                source,
                None,
                unknown,
                _(
                    "知らない項目です。使えるのは population, attributes, questions, quadrant_labels です。"
                ),
            )
        )
    population = raw.get("population")
    if population is not None and (
        isinstance(population, bool) or not isinstance(population, int) or population < 1
    ):
        problems.append(
            Problem(
                source,
                None,
                "population",
                _("population（母集団の人数）は1以上の整数にしてください。"),
            )
        )
        population = None
    attributes = (
        _parse_attributes(raw["attributes"], source, problems) if "attributes" in raw else None
    )
    questions = _parse_questions(raw.get("questions", {}), source, problems)
    if attributes is not None:
        attribute_keys = {match_key(a.name) for a in attributes}
        for spec in questions:
            if match_key(spec.code) in attribute_keys:
                problems.append(
                    Problem(
                        source,
                        None,
                        f"questions.{spec.code}",
                        _(
                            "「%(code)s」は属性にも設問にも書かれています。どちらか一方にしてください。"
                        )
                        % {"code": spec.code},
                    )
                )
    labels = QuadrantLabels()
    if "quadrant_labels" in raw:
        given = raw["quadrant_labels"]
        if (
            not isinstance(given, dict)
            or set(given) != set(_QUADRANT_KEYS)
            or not all(isinstance(v, str) and v.strip() for v in given.values())
        ):
            problems.append(
                Problem(
                    source,
                    None,
                    "quadrant_labels",
                    _(
                        "quadrant_labels には priority_improvement, improvement, priority_maintenance, maintenance の4つを空でない文字列で書いてください。"
                    ),
                )
            )
        elif len({v.strip() for v in given.values()}) != 4:
            problems.append(
                Problem(
                    source,
                    None,
                    "quadrant_labels",
                    _("4つの分野名は互いに違う名前にしてください。"),
                )
            )
        else:
            labels = QuadrantLabels(**{k: str(v).strip() for k, v in given.items()})
    if problems:
        return Parsed.failure(problems)
    return Parsed.success(
        SurveyDesign(
            population=population,
            attributes=attributes,
            questions=questions,
            quadrant_labels=labels,
        )
    )
