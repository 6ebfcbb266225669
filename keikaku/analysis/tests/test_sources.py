"""Runs over each set of opinions (a public comment round, a survey's free text, the proposal
box, hearings, all): each run collects exactly the right opinions, in order, masked, with no
hidden opinion and nothing from the personal-data table; each run executes and stores its
configuration and package versions.

One city for every test: two public comment rounds (nine comments in 「後期基本計画（素案）」,
one in 「都市計画マスタープラン」, one comment of the first round hidden by moderation), a
proposal, a hearing note, a paper survey answer typed into the opinion store, and two survey
waves with one free-text answer each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from keikaku.analysis import services
from keikaku.analysis.models import AnalysisRun
from keikaku.analysis.tests.factories import (
    AnalysisPlan,
    make_analysis_plan,
    make_comment_round,
)
from keikaku.participation import services as store
from keikaku.participation.models import Channel, Hearing, Opinion, PersonalData, Source
from keikaku.participation.tests.factories import make_round, submit_comment

pytestmark = pytest.mark.django_db

ACTOR = "test"
HEADER = (
    "respondent_id,gender,district,S:1-1,I:1-1,S:4-2,I:4-2,S:4-3,I:4-3,S:7-2,I:7-2,overall,"
    "Q_ATTRACT,free_text,age_band,years_of_residence,occupation,intention_to_stay\n"
)
QUESTION = "市のまちづくりについて、ご意見やご提案があればご自由にお書きください。"


@dataclass
class City:
    plan: AnalysisPlan
    round_id: int
    receipts: list[str]  # the first round's comments, in order of arrival
    hidden: str
    other_round_id: int
    other_comment: str
    proposal: str
    hearing: str
    paper_survey: str
    wave_id: int
    other_wave_id: int


def _record(source: str, text: str, day: int, **extra) -> str:
    data = store.OpinionInput(
        source=source,
        channel=extra.pop("channel", Channel.PAPER),
        text=text,
        eligibility="resident",
        personal=store.PersonalInput(
            name="鶴ヶ島 花子", address="鶴ヶ島市脚折町六丁目", phone="049-000-1111"
        ),
        **extra,
    )
    received = timezone.make_aware(dt.datetime(2025, 6, day, 10, 0))
    return store.opinion_record(data=data, received_at=received, actor=ACTOR).receipt_number


def _wave(plan: AnalysisPlan, year: int, title: str, text: str) -> int:
    from keikaku.surveys import services as survey_services
    from keikaku.surveys.tests.factories import make_wave

    wave = make_wave(plan.small, fiscal_year=year, title=title)
    outcome = survey_services.responses_import(
        wave=wave,
        data=(HEADER + f"P001,2,北部地区,,,,,,,,,,,{text},,4,,\n").encode(),
        filename="paper.csv",
        actor=ACTOR,
    )
    assert not outcome.problems
    return wave.pk


@pytest.fixture
def city() -> City:
    plan = make_analysis_plan()
    rnd, receipts = make_comment_round(plan)
    hidden = receipts.pop(4)  # 「公園のトイレが汚い。」: hidden by moderation
    store.opinion_hide(
        opinion=Opinion.objects.get(receipt_number=hidden), actor=ACTOR, reason="重複投稿"
    )
    other = make_round(plan.small, title="都市計画マスタープラン（案）への意見募集")
    other_comment = submit_comment(other, "駅前の再開発で緑を残してほしい。").receipt_number
    hearing = Hearing.objects.create(
        title="子育てサークルとの意見交換会",
        group_name="つるがしま子育てネット",
        held_on="2025-05-10",
    )
    return City(
        plan=plan,
        round_id=rnd.pk,
        receipts=receipts,
        hidden=hidden,
        other_round_id=other.pk,
        other_comment=other_comment,
        proposal=_record(
            Source.PROPOSAL, "駅前に駐輪場を増やしてほしい。メールは taro@example.jp です。", 1
        ),
        hearing=_record(
            Source.HEARING,
            "児童館を増やしてほしいという声が多かった。",
            2,
            hearing=hearing,
            channel=Channel.HEARING,
        ),
        paper_survey=_record(
            Source.SURVEY, "図書館の開館時間を延ばしてほしい。", 3, channel=Channel.SURVEY
        ),
        wave_id=_wave(plan, 2025, "令和7年度 市民意識調査", "夜道が暗い。携帯 090-1234-5678"),
        other_wave_id=_wave(plan, 2024, "令和6年度 市民意識調査", "ごみの分け方が分かりにくい。"),
    )


def _run(city: City, source: str, ref: int | None = None) -> AnalysisRun:
    """A run as the staff page makes it, executed as the worker does."""
    run = services.run_create(
        edition=city.plan.edition, source=source, source_ref=ref, actor=ACTOR, enqueue=False
    )
    done = services.run_execute(run_id=run.pk)
    assert done is not None
    assert (done.status, done.progress, done.message) == ("done", 100, "完了しました")
    # every run keeps its configuration and the versions of the packages that computed it
    assert sorted(done.config) == ["examples_per_measure", "lexicon", "parameters"]
    assert done.config["parameters"]["seed"] == 0
    assert sorted(done.config["lexicon"]) == ["stop_words", "synonyms", "user_terms"]
    assert sorted(done.versions) == [
        "numpy",
        "python",
        "scikit-learn",
        "sudachidict-core",
        "sudachipy",
    ]
    assert all(done.versions.values())
    assert done.counts["opinions"] == len(done.input_ids) == done.opinions.count()
    assert list(done.opinions.values_list("opinion_id", flat=True)) == done.input_ids
    return done


def _texts(run: AnalysisRun) -> dict[str, str]:
    return dict(run.opinions.values_list("opinion_id", "text"))


def _survey_id(run: AnalysisRun, wave_id: int) -> str:
    ids = [i for i in run.input_ids if i.startswith(f"survey:{wave_id}:")]
    assert len(ids) == 1
    return ids[0]


def test_a_public_comment_round(city: City) -> None:
    run = _run(city, "round", city.round_id)
    # the round's visible comments only: not the hidden one, not the other round's
    assert run.input_ids == city.receipts
    assert city.hidden not in run.input_ids
    assert city.other_comment not in run.input_ids
    assert run.source_label == "パブリックコメント（募集ごと）"
    first = run.opinions.get(opinion_id=city.receipts[0])
    assert first.attributes == [["年代", "30歳代"], ["地区", "本町"]]
    assert first.source == "public_comment"
    # 「連絡は 049-123-4567 まで。」 is masked before the engine sees it
    assert _texts(run)[city.receipts[7]] == (
        "学童保育室の定員を増やしてください。連絡は ［電話番号］ まで。"
    )


def test_the_other_round_is_its_own_set(city: City) -> None:
    run = _run(city, "round", city.other_round_id)
    assert run.input_ids == [city.other_comment]


def test_a_survey_wave_free_text(city: City) -> None:
    run = _run(city, "survey", city.wave_id)
    answer = _survey_id(run, city.wave_id)
    assert run.input_ids == [answer]
    assert answer.endswith(":free_text")
    row = run.opinions.get()
    assert row.text == "夜道が暗い。携帯 ［電話番号］"
    # attributes by name, not by the survey's column codes
    assert row.attributes == [
        ["設問", QUESTION],
        ["性別", "女性"],
        ["地区", "北部地区"],
        ["居住年数", "20年以上"],
    ]


def test_every_survey_wave_and_the_paper_survey_answers_of_the_store(city: City) -> None:
    run = _run(city, "survey")
    assert run.input_ids == [
        city.paper_survey,
        _survey_id(run, city.wave_id),
        _survey_id(run, city.other_wave_id),
    ]
    assert _texts(run)[city.paper_survey] == "図書館の開館時間を延ばしてほしい。"


def test_the_proposal_box(city: City) -> None:
    run = _run(city, "proposal")
    assert run.input_ids == [city.proposal]
    assert _texts(run) == {
        city.proposal: "駅前に駐輪場を増やしてほしい。メールは ［メールアドレス］ です。"
    }


def test_hearings(city: City) -> None:
    run = _run(city, "hearing")
    assert run.input_ids == [city.hearing]
    assert _texts(run) == {city.hearing: "児童館を増やしてほしいという声が多かった。"}


def test_all_opinions(city: City) -> None:
    run = _run(city, "all")
    # the store, oldest first (the paper records of June 2025 came before the web comments),
    # then every survey answer; the hidden comment is left out
    assert run.input_ids == [
        city.proposal,
        city.hearing,
        city.paper_survey,
        *city.receipts,
        city.other_comment,
        _survey_id(run, city.wave_id),
        _survey_id(run, city.other_wave_id),
    ]
    kinds = {o.opinion_id: o.attributes[0] for o in run.opinions.all()}
    assert kinds[city.proposal] == ["区分", "常時募集の意見・提案"]
    assert kinds[city.hearing] == ["区分", "意見交換・ヒアリング"]
    assert kinds[city.paper_survey] == ["区分", "市民意識調査の自由記述"]
    assert kinds[city.receipts[0]] == ["区分", "パブリックコメント"]
    assert kinds[_survey_id(run, city.wave_id)] == ["区分", "市民意識調査の自由記述"]
    # nothing of the personal-data table reaches the run
    stored = " ".join(_texts(run).values()) + repr(list(run.opinions.values("attributes")))
    personal = PersonalData.objects.values_list("name", "address", "phone", "email")
    assert personal.count() == 13
    for row in personal:
        for value in row:
            assert not value or value not in stored, value
    for value in ("taro@example.jp", "090-1234-5678", "049-123-4567"):
        assert value not in stored


def test_an_empty_set_and_a_plan_without_measures_fail_with_a_message(city: City) -> None:
    from keikaku.plans import models as pm

    for hearing in Opinion.objects.filter(source=Source.HEARING):
        store.opinion_hide(opinion=hearing, actor=ACTOR, reason="試験")
    run = services.run_create(
        edition=city.plan.edition, source="hearing", actor=ACTOR, enqueue=False
    )
    run = services.run_execute(run_id=run.pk)
    assert (run.status, run.message) == (
        "failed",
        "分析する意見がありません。意見が登録されてから、もう一度実行してください。",
    )
    empty = pm.Edition.objects.create(
        plan=city.plan.small.plan, kind="former", title="前期基本計画", start_fy=2020, end_fy=2024
    )
    run = services.run_create(edition=empty, source="proposal", actor=ACTOR, enqueue=False)
    run = services.run_execute(run_id=run.pk)
    assert (run.status, run.message) == (
        "failed",
        "照合する基本計画「前期基本計画」に施策がありません。施策を登録してから、もう一度実行してください。",
    )


def test_a_decision_in_one_set_applies_in_every_set_with_the_opinion(city: City) -> None:
    from keikaku.analysis import selectors

    round_run = _run(city, "round", city.round_id)
    playground = round_run.opinions.get(opinion_id=city.receipts[3])  # 公園の遊具 … (4-3)
    services.assignment_decide(
        run=round_run, opinion=playground, measure=city.plan.measures["7-2"], actor=ACTOR
    )
    everything = _run(city, "all")
    assert everything.confirmations == [[city.receipts[3], "7-2"]]
    row = everything.opinions.get(opinion_id=city.receipts[3])
    assert (row.measure_code, row.confirmed) == ("7-2", True)
    assert selectors.measure_opinions(everything, "7-2").filter(pk=row.pk).exists()
