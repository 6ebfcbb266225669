"""Survey services: design from the plan, copy, codes, one-time submission, paper entry and
import (one validation), survey-based indicators, the free-text API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from keikaku.core.models import AuditEvent
from keikaku.plans.models import IndicatorValue, Measure
from keikaku.surveys import api, selectors, services
from keikaku.surveys.domain.wave import rows_to_csv
from keikaku.surveys.models import (
    AccessCode,
    AnswerDraft,
    IndicatorSource,
    SurveyQuestion,
    SurveyResponse,
)
from keikaku.surveys.tests.factories import ACTOR, make_plan, make_wave

pytestmark = pytest.mark.django_db


def _file(wave, text: str) -> bytes:
    """A response file with every column of the wave, from a partial CSV."""
    from keikaku.core.domain.textio import read_csv_rows

    rows = read_csv_rows(text.encode("utf-8"))
    header = rows[0]
    cells = [(r[0], dict(zip(header[1:], r[1:], strict=True))) for r in rows[1:]]
    return rows_to_csv(selectors.wave_spec(wave), cells)


def test_default_questionnaire_follows_the_plan_structure():
    wave = make_wave(status="draft")
    pages = [
        (s.title, [q.code for q in s.questions.all()])
        for s in selectors.sections_with_questions(wave)
    ]
    assert pages == [
        (
            "あなたご自身について",
            ["gender", "age_band", "district", "years_of_residence", "occupation"],
        ),
        ("まちの住みよさ", ["overall", "intention_to_stay", "Q_ATTRACT"]),
        ("施策の満足度と重要度：1. 子育て・教育", ["1-1", "1-2"]),
        ("施策の満足度と重要度：2. 健康・福祉", ["2-1"]),
        ("ご意見・ご提案", ["free_text"]),
    ]
    district = SurveyQuestion.objects.get(wave=wave, code="district")
    assert district.options == ["北部地区", "東部地区", "南部地区", "西部地区", "中部地区"]
    assert district.help_text.splitlines()[0] == "北部地区（高倉・町屋・上新田・中新田・下新田）"
    assert selectors.wave_spec(wave).columns()[-7:] == (
        "S:1-1", "I:1-1", "S:1-2", "I:1-2", "S:2-1", "I:2-1", "free_text",
    )  # fmt: skip


def test_regenerating_measure_questions_follows_plan_changes():
    plan = make_plan()
    wave = make_wave(plan, status="draft")
    Measure.objects.get(code="1-2").delete()
    area = plan.area
    Measure.objects.create(area=area, code="1-3", order=3, title="青少年の健全育成")
    assert services.wave_generate_measure_questions(wave=wave, actor=ACTOR) == 3
    codes = list(
        SurveyQuestion.objects.filter(wave=wave, kind="measure").values_list("code", flat=True)
    )
    assert sorted(codes) == ["1-1", "1-3", "2-1"]
    assert selectors.sections_with_questions(wave)[-1].title == "ご意見・ご提案"


def test_questions_cannot_change_once_answering_started():
    wave = make_wave(status="open")
    section = wave.sections.first()
    with pytest.raises(ValidationError) as exc:
        services.question_save(
            section=section, actor=ACTOR, kind="text", code="Q9", title="追加の設問"
        )
    assert exc.value.messages == [
        "回答の受付を始めた調査の設問は変更できません。変更するには、この調査を複製して新しい調査を作ってください。"
    ]


def test_question_save_refuses_a_duplicate_code_with_the_field_named():
    wave = make_wave(status="draft")
    section = wave.sections.first()
    with pytest.raises(ValidationError) as exc:
        services.question_save(
            section=section,
            actor=ACTOR,
            kind="single",
            code="gender",
            title="性別",
            options=["a", "b"],
        )
    assert exc.value.message_dict == {
        "code": ["設問コード「gender」はこの調査で既に使われています。"]
    }


def test_copy_from_last_year_keeps_questions_and_compares_years():
    wave = make_wave(fiscal_year=2023, title="令和5年度 市民意識調査")
    services.responses_import(
        wave=wave,
        data=_file(
            wave,
            "respondent_id,S:1-1,I:1-1,S:1-2,I:1-2,S:2-1,I:2-1,overall\nA,5,1,3,1,3,2,4\nB,4,1,3,1,3,2,4\n",
        ),
        filename="r5.csv",
        actor=ACTOR,
    )
    copy = services.wave_copy(
        source=wave, actor=ACTOR, fiscal_year=2025, title="令和7年度 市民意識調査"
    )
    assert copy.status == "draft" and copy.copied_from == wave
    assert [q.code for q in selectors.question_list(copy)] == [
        q.code for q in selectors.question_list(wave)
    ]
    services.wave_set_status(wave=copy, actor=ACTOR, status="open")
    services.responses_import(
        wave=copy,
        data=_file(
            copy,
            "respondent_id,S:1-1,I:1-1,S:1-2,I:1-2,S:2-1,I:2-1,overall\nC,1,1,3,1,3,2,2\nD,2,1,3,1,3,2,1\n",
        ),
        filename="r7.csv",
        actor=ACTOR,
    )
    analysis = selectors.wave_analysis(copy)
    first = analysis.comparison.satisfaction[0]
    # previous 1-1: codes 5, 4 → (−2 −1)/2 = −1.5; current: codes 1, 2 → (2 + 1)/2 = 1.5
    assert (first.previous_score, first.current_score, first.score_difference) == (-1.5, 1.5, 3.0)


def test_codes_are_issued_in_batches_and_audited():
    wave = make_wave()
    first = services.access_codes_generate(wave=wave, actor=ACTOR, count=30)
    second = services.access_codes_generate(wave=wave, actor=ACTOR, count=5)
    assert {c.batch for c in first} == {1} and {c.batch for c in second} == {2}
    assert AccessCode.objects.filter(wave=wave).values("code").distinct().count() == 35
    event = AuditEvent.objects.filter(action="survey_codes").order_by("id").last()
    assert event.after == {"batch": 2, "count": 5}
    with pytest.raises(ValidationError) as exc:
        services.access_codes_generate(wave=wave, actor=ACTOR, count=0)
    assert exc.value.messages == ["一度に作れる回答用コードは1〜20000件です。"]


def test_final_submission_uses_the_code_once_and_keeps_no_link_to_it():
    wave = make_wave()
    (code,) = services.access_codes_generate(wave=wave, actor=ACTOR, count=1)
    services.answer_draft_save(
        access_code=code, columns=["overall"], cells={"overall": "2"}, page=2
    )
    services.answer_draft_save(
        access_code=code, columns=["gender"], cells={"gender": "女性"}, page=1
    )
    assert AnswerDraft.objects.get(access_code=code).page == 2
    response = services.response_submit(access_code_id=code.pk)
    assert response.answers == {"overall": "2", "gender": "女性"}
    assert response.channel == "web" and response.respondent_id.startswith("W")
    assert not AnswerDraft.objects.filter(access_code=code).exists()
    code.refresh_from_db()
    assert code.used_at is not None
    # the second submission (e.g. a second browser tab) stores nothing
    with pytest.raises(services.CodeAlreadyUsedError):
        services.response_submit(access_code_id=code.pk)
    assert SurveyResponse.objects.filter(wave=wave).count() == 1
    assert "access_code" not in {f.name for f in SurveyResponse._meta.get_fields()}


def test_empty_submission_is_refused_and_leaves_the_code_unused():
    wave = make_wave()
    (code,) = services.access_codes_generate(wave=wave, actor=ACTOR, count=1)
    with pytest.raises(services.EmptyResponseError):
        services.response_submit(access_code_id=code.pk)
    code.refresh_from_db()
    assert code.used_at is None


def test_closed_wave_refuses_the_submission():
    wave = make_wave()
    (code,) = services.access_codes_generate(wave=wave, actor=ACTOR, count=1)
    services.answer_draft_save(
        access_code=code, columns=["overall"], cells={"overall": "1"}, page=1
    )
    services.wave_set_status(wave=wave, actor=ACTOR, status="closed")
    with pytest.raises(services.SurveyClosedError):
        services.response_submit(access_code_id=code.pk)
    code.refresh_from_db()
    assert code.used_at is None and not SurveyResponse.objects.exists()


FILE = (
    "respondent_id,gender,district,S:1-1,I:1-1,S:1-2,I:1-2,S:2-1,I:2-1,overall,Q_ATTRACT,free_text,"
    "age_band,years_of_residence,occupation,intention_to_stay\n"
    "P001,2,北部地区,1,1,2,2,3,3,1,13,夜道が暗い（𠮷田）,,,,\n"
    "P002,男性,5,4,1,9,,5,2,2,2,,7,4,,1\n"
)


def test_import_stores_every_row_canonically_and_audits():
    wave = make_wave()
    outcome = services.responses_import(
        wave=wave, data=FILE.encode("utf-8"), filename="paper.csv", actor=ACTOR
    )
    assert outcome.problems == ()
    stored = {r.respondent_id: r.answers for r in SurveyResponse.objects.filter(wave=wave)}
    assert stored == {
        "P001": {
            "gender": "女性", "district": "北部地区", "S:1-1": "1", "I:1-1": "1", "S:1-2": "2",
            "I:1-2": "2", "S:2-1": "3", "I:2-1": "3", "overall": "1", "Q_ATTRACT": "1;3",
            "free_text": "夜道が暗い（𠮷田）",
        },
        "P002": {
            "gender": "男性", "district": "中部地区", "S:1-1": "4", "I:1-1": "1", "S:1-2": "9",
            "S:2-1": "5", "I:2-1": "2", "overall": "2", "Q_ATTRACT": "2",
            "age_band": "80歳以上", "years_of_residence": "20年以上", "intention_to_stay": "住み続けたい",
        },
    }  # fmt: skip
    event = AuditEvent.objects.get(action="survey_import")
    assert event.after == {"file": "paper.csv", "count": 2, "respondent_ids": ["P001", "P002"]}


def test_import_is_all_or_nothing_with_every_problem_located():
    wave = make_wave()
    bad = FILE.replace("P002,男性,5,4", "P001,男性,6,7")
    outcome = services.responses_import(
        wave=wave, data=bad.encode("cp932", errors="replace"), filename="bad.csv", actor=ACTOR
    )
    assert [str(p) for p in outcome.problems] == [
        "bad.csv 3行目「respondent_id」列: 回答者ID「P001」が重複しています（2行目と同じ）。IDを見直してください。",
        "bad.csv 3行目「district」列: 「6」は属性「district」の区分にありません。次のいずれかにしてください: 北部地区、東部地区、南部地区、西部地区、中部地区",
        "bad.csv 3行目「S:1-1」列: 「7」は回答コードとして使えません。1〜5、9（わからない）または空欄（無回答）にしてください。",
    ]
    assert not SurveyResponse.objects.exists()


def test_paper_entry_uses_the_import_validation_and_refuses_taken_ids():
    wave = make_wave()
    outcome = services.paper_response_enter(
        wave=wave,
        cells={"respondent_id": "P100", "gender": "1", "S:1-1": "１", "Q_ATTRACT": "1.3"},
        actor=ACTOR,
    )
    assert outcome.ok
    assert SurveyResponse.objects.get(respondent_id="P100").answers == {
        "gender": "男性", "S:1-1": "1", "Q_ATTRACT": "1;3",
    }  # fmt: skip
    again = services.paper_response_enter(
        wave=wave, cells={"respondent_id": "P100", "S:1-1": "6", "Q_ATTRACT": "1234"}, actor=ACTOR
    )
    assert [(p.row, p.column, p.message) for p in again.problems] == [
        (
            2,
            "respondent_id",
            "回答者ID「P100」はこの調査で既に登録されています（調査票（画面で入力））。別のIDにしてください。",
        ),
        (
            2,
            "S:1-1",
            "「6」は回答コードとして使えません。1〜5、9（わからない）または空欄（無回答）にしてください。",
        ),
    ]
    assert SurveyResponse.objects.count() == 1


def test_paper_entry_refused_while_in_preparation():
    wave = make_wave(status="draft")
    with pytest.raises(ValidationError) as exc:
        services.paper_response_enter(wave=wave, cells={"respondent_id": "P1"}, actor=ACTOR)
    assert exc.value.messages == [
        "準備中の調査には回答を登録できません。先に「回答の受付を始める」を押してください。"
    ]


def test_closing_writes_survey_based_indicator_values_through_the_plan_services():
    plan = make_plan()
    plan.indicator.survey_based = True
    plan.indicator.save()
    wave = make_wave(plan)
    services.indicator_source_save(
        indicator=plan.indicator, actor=ACTOR, metric="satisfaction_top2", measure=plan.measure
    )
    services.responses_import(
        wave=wave,
        data=_file(wave, "respondent_id,S:1-1\nA,1\nB,2\nC,4\nD,9\n"),
        filename="p.csv",
        actor=ACTOR,
    )
    services.wave_set_status(wave=wave, actor=ACTOR, status="closed")
    value = IndicatorValue.objects.get(indicator=plan.indicator, fiscal_year=2025)
    # S:1-1 codes 1, 2, 4, 9 → (1 + 1)/4 = 50.0 %
    assert value.value == 50.0
    assert value.note == "令和7年度 市民意識調査 の結果から自動で反映（回答 4人）"
    # the value 7 that make_small_plan stored for FY2025 is replaced, audited
    event = AuditEvent.objects.get(
        object_type="plans.indicatorvalue", object_id=str(value.pk), action="update"
    )
    assert (event.before["value"], event.after["value"]) == (7.0, 50.0)
    # a second sync with the same figures writes nothing new
    updates = services.indicator_values_sync(wave=wave, actor=ACTOR)
    assert [(u.value, u.base, u.written) for u in updates] == [(50.0, 4, False)]


def test_indicator_link_needs_a_survey_based_indicator():
    plan = make_plan()
    with pytest.raises(ValidationError):
        services.indicator_source_save(
            indicator=plan.indicator, actor=ACTOR, metric="satisfaction_top2", measure=plan.measure
        )
    assert not IndicatorSource.objects.exists()


def test_free_text_api_returns_text_exactly_with_attributes():
    wave = make_wave()
    services.responses_import(
        wave=wave, data=FILE.encode("utf-8"), filename="paper.csv", actor=ACTOR
    )
    answers = api.free_text_answers(wave_id=wave.pk)
    assert [(a.question_code, a.text, a.attributes) for a in answers] == [
        ("free_text", "夜道が暗い（𠮷田）", {"gender": "女性", "district": "北部地区"})
    ]
    assert (
        answers[0].question
        == "市のまちづくりについて、ご意見やご提案があればご自由にお書きください。"
    )
    assert answers[0].channel == "アンケート自由記述"
    assert answers[0].id.startswith(f"survey:{wave.pk}:")
    last = SurveyResponse.objects.order_by("-id").first()
    assert api.free_text_answers(after_id=last.pk) == []
    assert [(w.title, w.responses) for w in api.waves()] == [("令和7年度 市民意識調査", 2)]
