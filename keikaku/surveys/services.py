"""Every write of the citizen survey. Design changes are audited and versioned; answers are
stored without any link to the person (a web answer is not even linked to its code)."""

from __future__ import annotations

import secrets
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keikaku.core.services import (
    audit_record,
    audited_create,
    audited_delete,
    content_version_bump,
    versioned_save,
)
from keikaku.plans import services as plan_services
from keikaku.plans.models import Edition, Indicator, IndicatorValue, Measure
from keikaku.surveys import selectors
from keikaku.surveys.domain.codes import ALPHABET, generate_codes
from keikaku.surveys.domain.districts import District, parse_district_table
from keikaku.surveys.domain.problems import Problem
from keikaku.surveys.domain.results import indicator_value
from keikaku.surveys.domain.wave import (
    Row,
    parse_wave_rows,
    parsed_to_rows,
    question_problems,
)
from keikaku.surveys.models import (
    AccessCode,
    AnswerDraft,
    IndicatorSource,
    SurveyQuestion,
    SurveyResponse,
    SurveySection,
    SurveyWave,
)

DISTRICTS_FILE = Path(__file__).resolve().parent / "data" / "tsurugashima_districts.csv"


class SurveyClosedError(Exception):
    """The wave does not accept answers now."""


class CodeAlreadyUsedError(Exception):
    """The access code was used by another (possibly concurrent) final submission."""


class EmptyResponseError(Exception):
    """A final submission without a single answer."""


# ---------------------------------------------------------------------------------------
# design


def wave_create(*, actor: Any, edition: Edition, **fields: Any) -> SurveyWave:
    return audited_create(obj=SurveyWave(edition=edition, **fields), actor=actor)  # type: ignore[return-value]


def wave_update(
    *, wave: SurveyWave, actor: Any, expected_version: int | None, changes: dict[str, Any]
) -> SurveyWave:
    saved = versioned_save(
        obj=wave, actor=actor, expected_version=expected_version, changes=changes
    )
    content_version_bump()
    return saved  # type: ignore[return-value]


def _require_editable(wave: SurveyWave) -> None:
    if not wave.is_editable:
        raise ValidationError(
            _(
                "回答の受付を始めた調査の設問は変更できません。変更するには、この調査を複製して新しい調査を作ってください。"
            )
        )


def section_save(
    *,
    wave: SurveyWave,
    actor: Any,
    section: SurveySection | None = None,
    title: str,
    description: str = "",
    order: int | None = None,
) -> SurveySection:
    _require_editable(wave)
    if section is None:
        if order is None:
            order = (max((s.order for s in wave.sections.all()), default=0)) + 1
        return audited_create(  # type: ignore[return-value]
            obj=SurveySection(wave=wave, title=title, description=description, order=order),
            actor=actor,
        )
    changes: dict[str, Any] = {"title": title, "description": description}
    if order is not None:
        changes["order"] = order
    return versioned_save(  # type: ignore[return-value]
        obj=section, actor=actor, expected_version=None, changes=changes
    )


def section_delete(*, section: SurveySection, actor: Any) -> None:
    _require_editable(section.wave)
    audited_delete(obj=section, actor=actor)


def _check_question(question: SurveyQuestion) -> None:
    others = [
        selectors.question_def(q)
        for q in SurveyQuestion.objects.filter(wave_id=question.wave_id).exclude(pk=question.pk)
    ]
    problems = question_problems(selectors.question_def(question), others)
    if question.kind == "measure" and ":" in question.code:
        problems["code"] = _("施策の設問コードに「:」は使えません。")
    if problems:
        raise ValidationError(problems)


def question_save(
    *,
    section: SurveySection,
    actor: Any,
    question: SurveyQuestion | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> SurveyQuestion:
    """Create (``question=None``) or change a question; design rules are checked here."""
    wave = section.wave
    _require_editable(wave)
    if fields.get("kind") not in ("single", "multiple"):
        fields["options"] = []
    if fields.get("kind") != "multiple":
        fields["max_picks"] = None
    with transaction.atomic():
        if question is None:
            if fields.get("order") is None:
                fields["order"] = max((q.order for q in section.questions.all()), default=0) + 1
            obj = SurveyQuestion(wave=wave, section=section, **fields)
            _check_question(obj)
            return audited_create(obj=obj, actor=actor)  # type: ignore[return-value]
        for name, value in fields.items():
            setattr(question, name, value)
        question.section = section
        _check_question(question)
        fields["section"] = section
        return versioned_save(  # type: ignore[return-value]
            obj=question, actor=actor, expected_version=expected_version, changes=fields
        )


def question_delete(*, question: SurveyQuestion, actor: Any) -> None:
    _require_editable(question.wave)
    audited_delete(obj=question, actor=actor)


def districts_load(path: Path = DISTRICTS_FILE) -> tuple[District, ...]:
    return parse_district_table(path.read_bytes(), source=path.name).unwrap()


AGE_BANDS = (
    "18～29歳",
    "30～39歳",
    "40～49歳",
    "50～59歳",
    "60～69歳",
    "70～79歳",
    "80歳以上",
)


def default_questions(
    districts: tuple[District, ...],
) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """The standard questionnaire (sections of questions) apart from the measure pages."""
    attribute = {"kind": "single", "is_attribute": True}
    return [
        (
            _("あなたご自身について"),
            _("回答者の属性をうかがいます。お名前や住所はうかがいません。"),
            [
                {
                    **attribute,
                    "code": "gender",
                    "title": _("あなたの性別を教えてください。"),
                    "options": [_("男性"), _("女性"), _("その他・答えたくない")],
                },
                {
                    **attribute,
                    "code": "age_band",
                    "title": _("あなたの年齢を教えてください。"),
                    "options": list(AGE_BANDS),
                },
                {
                    **attribute,
                    "code": "district",
                    "title": _("お住まいの地区を教えてください。"),
                    "options": [d.name for d in districts],
                    "help_text": "\n".join(d.description() for d in districts),
                },
                {
                    **attribute,
                    "code": "years_of_residence",
                    "title": _("市内に住んで何年になりますか。"),
                    "options": [
                        _("5年未満"),
                        _("5年以上10年未満"),
                        _("10年以上20年未満"),
                        _("20年以上"),
                    ],
                },
                {
                    **attribute,
                    "code": "occupation",
                    "title": _("あなたのご職業を教えてください。"),
                    "options": [
                        _("会社員・公務員"),
                        _("自営業"),
                        _("パート・アルバイト"),
                        _("学生"),
                        _("家事専業"),
                        _("無職"),
                        _("その他"),
                    ],
                },
            ],
        ),
        (
            _("まちの住みよさ"),
            "",
            [
                {
                    "kind": "scale",
                    "scale": "satisfaction",
                    "code": "overall",
                    "title": _("市の取組全体について、どの程度満足していますか。"),
                },
                {
                    **attribute,
                    "code": "intention_to_stay",
                    "title": _("これからも市に住み続けたいと思いますか。"),
                    "options": [
                        _("住み続けたい"),
                        _("どちらかといえば住み続けたい"),
                        _("どちらかといえば市外へ移りたい"),
                        _("市外へ移りたい"),
                        _("わからない"),
                    ],
                },
                {
                    "kind": "multiple",
                    "code": "Q_ATTRACT",
                    "max_picks": 3,
                    "title": _("市の魅力だと思うものを3つまで選んでください。"),
                    "options": [
                        _("交通の便がよい"),
                        _("自然が多い"),
                        _("買い物が便利"),
                        _("子育てしやすい"),
                        _("治安がよい"),
                        _("地域のつながり"),
                    ],
                },
            ],
        ),
    ]


def wave_populate_default(*, wave: SurveyWave, actor: Any) -> None:
    """Add the standard questionnaire: attributes, overall satisfaction and intention to
    stay, one page of measures per policy area (from the plan), and a free-text page."""
    _require_editable(wave)
    with transaction.atomic():
        for title, description, questions in default_questions(districts_load()):
            section = section_save(wave=wave, actor=actor, title=title, description=description)
            for fields in questions:
                question_save(section=section, actor=actor, **fields)
        wave_generate_measure_questions(wave=wave, actor=actor)
        section = section_save(wave=wave, actor=actor, title=_("ご意見・ご提案"))
        question_save(
            section=section,
            actor=actor,
            kind="text",
            code="free_text",
            title=_("市のまちづくりについて、ご意見やご提案があればご自由にお書きください。"),
        )


def wave_generate_measure_questions(*, wave: SurveyWave, actor: Any) -> int:
    """One page per policy area of the wave's basic plan with a satisfaction-and-importance
    question for each of its measures. Measures already asked about are kept; questions of
    measures no longer in the plan are removed. Returns the number of measure questions."""
    _require_editable(wave)
    measures = list(
        Measure.objects.filter(area__edition=wave.edition)
        .select_related("area")
        .order_by("area__number", "order", "code")
    )
    with transaction.atomic():
        existing = {
            q.measure_id: q for q in SurveyQuestion.objects.filter(wave=wave, kind="measure")
        }
        keep = {m.pk for m in measures}
        for measure_id, q in existing.items():
            if measure_id not in keep:
                question_delete(question=q, actor=actor)
        sections: dict[int, SurveySection] = {
            s.area_id: s for s in wave.sections.filter(area__isnull=False) if s.area_id
        }
        prefix = _("施策の満足度と重要度：")
        last_order = max((s.order for s in wave.sections.all()), default=0)
        free = wave.sections.filter(questions__kind="text").order_by("-order").first()
        for measure in measures:
            area = measure.area
            found = sections.get(area.pk)
            if found is None:
                last_order += 1
                created = audited_create(
                    obj=SurveySection(
                        wave=wave,
                        title=f"{prefix}{area.number}. {area.title}",
                        description=_(
                            "それぞれの施策について、いまの満足度と、これからの重要度を選んでください。"
                        ),
                        order=last_order,
                        area=area,
                    ),
                    actor=actor,
                )
                assert isinstance(created, SurveySection)
                found = sections[area.pk] = created
            if measure.pk in existing:
                continue
            question_save(
                section=found,
                actor=actor,
                kind="measure",
                code=measure.code,
                title=measure.title,
                measure=measure,
                order=measure.order or None,
            )
        for empty in wave.sections.filter(area__isnull=False, questions__isnull=True):
            audited_delete(obj=empty, actor=actor)
        if free is not None and free.order <= last_order:
            section_save(
                wave=wave,
                actor=actor,
                section=free,
                title=free.title,
                description=free.description,
                order=last_order + 1,
            )
    return SurveyQuestion.objects.filter(wave=wave, kind="measure").count()


def wave_copy(
    *,
    source: SurveyWave,
    actor: Any,
    fiscal_year: int,
    title: str,
    edition: Edition | None = None,
) -> SurveyWave:
    """A new wave in preparation with the same settings, pages and questions (copy from
    last year's wave). Measure questions follow the target plan: when the plan changed,
    press 「施策の設問を計画から作り直す」."""
    with transaction.atomic():
        wave = wave_create(
            actor=actor,
            edition=edition or source.edition,
            fiscal_year=fiscal_year,
            title=title,
            population=source.population,
            sample_size=source.sample_size,
            method=source.method,
            intro=source.intro,
            label_set=source.label_set,
            suppression_threshold=source.suppression_threshold,
            copied_from=source,
        )
        for section in selectors.sections_with_questions(source):
            new_section = audited_create(
                obj=SurveySection(
                    wave=wave,
                    order=section.order,
                    title=section.title,
                    description=section.description,
                    area=section.area,
                ),
                actor=actor,
            )
            assert isinstance(new_section, SurveySection)
            for q in section.questions.all():
                audited_create(
                    obj=SurveyQuestion(
                        wave=wave,
                        section=new_section,
                        order=q.order,
                        code=q.code,
                        kind=q.kind,
                        title=q.title,
                        help_text=q.help_text,
                        options=list(q.options or []),
                        max_picks=q.max_picks,
                        scale=q.scale,
                        is_attribute=q.is_attribute,
                        measure=q.measure,
                    ),
                    actor=actor,
                )
    return wave


def wave_set_status(*, wave: SurveyWave, actor: Any, status: str) -> SurveyWave:
    """Open or close the answering; closing also updates the survey-based indicators."""
    if status == SurveyWave.Status.OPEN and not wave.questions.exists():
        raise ValidationError(_("設問がない調査は回答の受付を始められません。"))
    wave = wave_update(
        wave=wave, actor=actor, expected_version=wave.version, changes={"status": status}
    )
    if status == SurveyWave.Status.CLOSED:
        indicator_values_sync(wave=wave, actor=actor)
    return wave


# ---------------------------------------------------------------------------------------
# access codes and web answers


def access_codes_generate(*, wave: SurveyWave, actor: Any, count: int) -> list[AccessCode]:
    """Issue ``count`` new one-time codes (one batch) for the mail merge."""
    try:
        codes = generate_codes(
            count, existing=set(AccessCode.objects.values_list("code", flat=True))
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        batch = (
            max(AccessCode.objects.filter(wave=wave).values_list("batch", flat=True), default=0) + 1
        )
        created = AccessCode.objects.bulk_create(
            [AccessCode(wave=wave, code=c, batch=batch) for c in codes], batch_size=1000
        )
        audit_record(
            actor=actor,
            action="survey_codes",
            obj=wave,
            before=None,
            after={"batch": batch, "count": count},
        )
    return created


def wave_accepts_answers(wave: SurveyWave) -> bool:
    if wave.status != SurveyWave.Status.OPEN:
        return False
    today = timezone.localdate()
    if wave.opens_on and today < wave.opens_on:
        return False
    return not (wave.closes_on and today > wave.closes_on)


def answer_draft_save(
    *,
    access_code: AccessCode,
    columns: list[str],
    cells: dict[str, str],
    page: int,
) -> None:
    """Replace the answers of one page (its ``columns``) in the code's draft.

    One short write: an UPDATE that succeeds only if the draft did not change since it was
    read (compare-and-set on ``updated_at``), retried when another tab of the same code
    saved in between. No transaction is held across the read, so concurrent citizens wait
    on the database's write lock for a single statement only.
    """
    # A draft loaded with the code (access_code_for_answering) is the first reading, which
    # saves a query; like any reading, the compare-and-set below rejects it if it is stale.
    known, draft = loaded_draft(access_code)
    for _attempt in range(10):
        current: Mapping[str, Any] | None
        if known:
            known = False
            current = None
            if draft is not None:
                current = {
                    "pk": draft.pk,
                    "answers": draft.answers,
                    "page": draft.page,
                    "updated_at": draft.updated_at,
                }
        else:
            current = (
                AnswerDraft.objects.filter(access_code=access_code)
                .values("pk", "answers", "page", "updated_at")
                .first()
            )
        if current is None:
            try:
                with transaction.atomic():
                    AnswerDraft.objects.create(access_code=access_code, answers=cells, page=page)
                return
            except IntegrityError:
                continue
        answers = {k: v for k, v in current["answers"].items() if k not in columns}
        answers.update(cells)
        saved = AnswerDraft.objects.filter(
            pk=current["pk"], updated_at=current["updated_at"]
        ).update(answers=answers, page=max(current["page"], page), updated_at=timezone.now())
        if saved:
            return
    raise RuntimeError("the draft kept changing while it was saved")


# The code being answered, its wave and its draft are read on every request of a citizen
# answering. The statement is the one ``AccessCode.objects.select_related("wave", "draft")
# .get(pk=...)`` runs, built once per process: building it with the ORM cost six times as
# much as running it (benchmarks/bench_survey_web.py). The test compares both readings.
_ANSWERING_MODELS: tuple[type[models.Model], ...] = (AccessCode, SurveyWave, AnswerDraft)
_Plan = tuple[str, list[tuple[Any, list[str], int, list[Any]]]]
# per connection object (one per thread): the converters are bound to its backend
_answering_plans: weakref.WeakKeyDictionary[Any, _Plan] = weakref.WeakKeyDictionary()


def _answering_plan(connection: Any) -> _Plan:
    plan = _answering_plans.get(connection)
    if plan is not None:
        return plan
    quote = connection.ops.quote_name
    columns: list[str] = []
    parts: list[tuple[Any, list[str], int, list[Any]]] = []
    for model, alias in zip(_ANSWERING_MODELS, ("c", "w", "d"), strict=True):
        fields = list(model._meta.concrete_fields)
        converters = []
        for field in fields:
            col = field.get_col(model._meta.db_table)
            converters.append(
                (col, connection.ops.get_db_converters(col) + field.get_db_converters(connection))
            )
            columns.append(f"{alias}.{quote(field.column)}")
        names = [f.attname for f in fields]
        parts.append((model, names, names.index(model._meta.pk.attname), converters))
    code_table = quote(AccessCode._meta.db_table)
    wave_table = quote(SurveyWave._meta.db_table)
    draft_table = quote(AnswerDraft._meta.db_table)
    sql = (
        f"SELECT {', '.join(columns)} FROM {code_table} c"  # noqa: S608 - names from _meta
        f" INNER JOIN {wave_table} w ON w.{quote('id')} = c.{quote('wave_id')}"
        f" LEFT OUTER JOIN {draft_table} d ON d.{quote('access_code_id')} = c.{quote('id')}"
        f" WHERE c.{quote('id')} = %s"
    )
    plan = _answering_plans[connection] = (sql, parts)
    return plan


def access_code_for_answering(pk: int) -> AccessCode | None:
    """The code with its wave and its draft, in one query (the draft is read with
    :func:`loaded_draft`); the same objects as
    ``AccessCode.objects.select_related("wave", "draft").filter(pk=pk).first()``."""
    connection = connections[DEFAULT_DB_ALIAS]
    sql, parts = _answering_plan(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    objects: list[Any] = []
    i = 0
    for model, names, pk_index, converters in parts:
        values = []
        for col, functions in converters:
            value = row[i]
            i += 1
            for function in functions:
                value = function(value, col, connection)
            values.append(value)
        absent = values[pk_index] is None  # no draft yet (LEFT OUTER JOIN)
        objects.append(None if absent else model.from_db(connection.alias, names, values))
    code, wave, draft = objects
    AccessCode.wave.field.set_cached_value(code, wave)
    AccessCode.draft.related.set_cached_value(code, draft)  # type: ignore[attr-defined]
    if draft is not None:
        AnswerDraft.access_code.field.set_cached_value(draft, code)
    return code  # type: ignore[no-any-return]


def loaded_draft(access_code: AccessCode) -> tuple[bool, AnswerDraft | None]:
    """(known, draft): the code's draft when it was loaded with the code
    (``select_related("draft")``), without a query; known is False when it was not."""
    if not AccessCode.draft.is_cached(access_code):  # type: ignore[attr-defined]
        return False, None
    try:
        return True, access_code.draft
    except AnswerDraft.DoesNotExist:
        return True, None


def _web_respondent_id() -> str:
    return "W" + "".join(secrets.choice(ALPHABET) for _unused in range(9))


def response_submit(*, access_code_id: int) -> SurveyResponse:
    """The final submission: mark the code used (compare-and-set) and store the answers, in
    one transaction. A concurrent second submission with the same code finds the code used,
    stores nothing and raises :class:`CodeAlreadyUsedError`."""
    code = access_code_for_answering(access_code_id)
    if code is None or code.used_at is not None:
        raise CodeAlreadyUsedError
    if not wave_accepts_answers(code.wave):
        raise SurveyClosedError
    _known, draft = loaded_draft(code)
    answers = dict(draft.answers) if draft else {}
    if not answers or draft is None:
        raise EmptyResponseError
    # Everything is prepared before the transaction: it holds SQLite's only write lock, which
    # every other citizen saving or submitting waits for (in steps of 1, 2, 5, 10 ms…).
    # 30⁹ ≈ 2 × 10¹³ ids: a clash is not retried (the unique constraint would roll the
    # whole submission back, code included, and the citizen could send again)
    response = SurveyResponse(
        wave=code.wave,
        respondent_id=_web_respondent_id(),
        channel=SurveyResponse.Channel.WEB,
        answers=answers,
    )
    claim = AccessCode.objects.filter(pk=access_code_id, used_at__isnull=True)
    draft_rows = AnswerDraft.objects.filter(pk=draft.pk)
    used_at = timezone.now()
    with transaction.atomic():
        if not claim.update(used_at=used_at):
            raise CodeAlreadyUsedError
        response.save(force_insert=True)
        draft_rows.delete()
    return response


# ---------------------------------------------------------------------------------------
# paper: keyed in one by one, or imported from a file — the same validation


@dataclass(frozen=True)
class PaperOutcome:
    rows: list[Row]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _store_rows(
    *, wave: SurveyWave, rows: list[Row], channel: str, actor: Any
) -> list[SurveyResponse]:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                wave=wave, respondent_id=rid, channel=channel, answers=cells, entered_by=user
            )
            for rid, cells in rows
        ],
        batch_size=500,
    )


def _require_collecting(wave: SurveyWave) -> None:
    if wave.status == SurveyWave.Status.DRAFT:
        raise ValidationError(
            _("準備中の調査には回答を登録できません。先に「回答の受付を始める」を押してください。")
        )


def responses_import(
    *, wave: SurveyWave, data: bytes, filename: str, actor: Any, channel: str = "paper_import"
) -> PaperOutcome:
    """Validate a whole response file against the wave and store every row, or nothing."""
    _require_collecting(wave)
    spec = selectors.wave_spec(wave)
    with transaction.atomic():
        parsed = parse_wave_rows(spec, data, source=filename, taken_ids=selectors.taken_ids(wave))
        if not parsed.ok:
            return PaperOutcome([], parsed.problems)
        rows = parsed_to_rows(parsed.unwrap())
        _store_rows(wave=wave, rows=rows, channel=channel, actor=actor)
        audit_record(
            actor=actor,
            action="survey_import" if channel == "paper_import" else "survey_entry",
            obj=wave,
            before=None,
            after={
                "file": filename,
                "count": len(rows),
                "respondent_ids": [rid for rid, _cells in rows][:50],
            },
        )
        if wave.summary_public:
            content_version_bump()  # the published summary counts these answers too
    return PaperOutcome(rows, ())


def paper_response_enter(*, wave: SurveyWave, cells: dict[str, str], actor: Any) -> PaperOutcome:
    """One paper questionnaire typed on the entry screen: the very same validation as the
    import (the row goes through the import's parser)."""
    from keikaku.surveys.domain.wave import _csv_bytes

    spec = selectors.wave_spec(wave)
    columns = spec.columns()
    data = _csv_bytes([list(columns), [cells.get(c, "") for c in columns]])
    try:
        return responses_import(
            wave=wave, data=data, filename=_("入力画面"), actor=actor, channel="paper_entry"
        )
    except IntegrityError:
        return PaperOutcome(
            [],
            (
                Problem(
                    _("入力画面"),
                    2,
                    "respondent_id",
                    _("この回答者IDは、いま別の職員が登録しました。別のIDにしてください。"),
                ),
            ),
        )


def response_delete(*, response: SurveyResponse, actor: Any) -> None:
    """Remove one paper response (typed twice, wrong questionnaire …); audited."""
    audit_record(
        actor=actor,
        action="survey_response_delete",
        obj=response.wave,
        before={"respondent_id": response.respondent_id, "answers": response.answers},
        after=None,
    )
    response.delete()
    if response.wave.summary_public:
        content_version_bump()


# ---------------------------------------------------------------------------------------
# survey-based indicators


def indicator_source_save(
    *,
    indicator: Indicator,
    actor: Any,
    metric: str,
    measure: Measure | None = None,
    question_code: str = "",
    option: int | None = None,
) -> IndicatorSource:
    if not indicator.survey_based:
        raise ValidationError(
            _(
                "この成果指標は「市民意識調査による指標」になっていません。先に指標の設定を変えてください。"
            )
        )
    existing = IndicatorSource.objects.filter(indicator=indicator).first()
    fields = {
        "metric": metric,
        "measure": measure,
        "question_code": question_code,
        "option": option,
    }
    if existing is None:
        return audited_create(  # type: ignore[return-value]
            obj=IndicatorSource(indicator=indicator, **fields), actor=actor
        )
    return versioned_save(  # type: ignore[return-value]
        obj=existing, actor=actor, expected_version=None, changes=fields
    )


@dataclass(frozen=True)
class IndicatorUpdate:
    indicator: Indicator
    value: float | None
    base: int
    written: bool


def indicator_values_sync(*, wave: SurveyWave, actor: Any) -> list[IndicatorUpdate]:
    """Write the wave's value of every linked survey-based indicator of its basic plan as
    the indicator's 実績値 for the wave's fiscal year (through the audited plan services)."""
    sources = list(
        IndicatorSource.objects.select_related(
            "indicator__measure__area", "indicator__strategy", "measure"
        ).filter(indicator__survey_based=True)
    )
    sources = [
        s
        for s in sources
        if (
            s.indicator.measure is not None
            and s.indicator.measure.area.edition_id == wave.edition_id
        )
        or (s.indicator.strategy is not None and s.indicator.strategy.edition_id == wave.edition_id)
    ]
    if not sources:
        return []
    analysis = selectors.wave_analysis(wave, compare=False)
    if analysis is None:
        return []
    questions = {q.code: q for q in selectors.question_list(wave)}
    measure_codes = {
        q.measure_id: q.code for q in questions.values() if q.kind == "measure" and q.measure_id
    }
    note = _("%(title)s の結果から自動で反映（回答 %(n)d人）") % {
        "title": wave.title,
        "n": analysis.responses.n_respondents,
    }
    updates: list[IndicatorUpdate] = []
    with transaction.atomic():
        for source in sources:
            question = questions.get(source.question_code)
            reading = indicator_value(
                analysis,
                metric=source.metric,  # type: ignore[arg-type]
                measure_code=measure_codes.get(source.measure_id, "") if source.measure_id else "",
                question_code=source.question_code,
                option=source.option,
                attribute_options=tuple(question.options)
                if question and question.is_attribute
                else (),
            )
            written = False
            if reading.value is not None:
                current = IndicatorValue.objects.filter(
                    indicator=source.indicator, fiscal_year=wave.fiscal_year
                ).first()
                if current is None:
                    plan_services.plan_object_create(
                        obj=IndicatorValue(
                            indicator=source.indicator,
                            fiscal_year=wave.fiscal_year,
                            value=reading.value,
                            as_of=wave.closes_on,
                            note=note[:300],
                        ),
                        actor=actor,
                    )
                    written = True
                elif current.value != reading.value or current.note != note[:300]:
                    plan_services.plan_object_update(
                        obj=current,
                        actor=actor,
                        expected_version=current.version,
                        changes={"value": reading.value, "note": note[:300]},
                    )
                    written = True
            updates.append(IndicatorUpdate(source.indicator, reading.value, reading.base, written))
    return updates
