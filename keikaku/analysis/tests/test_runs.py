"""Runs in the product (the sets of opinions: test_sources.py): the stored configuration,
failures, idempotence, CSV runs, staff decisions over groups, the lexicon and measure keywords."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from keikaku.analysis import selectors, services
from keikaku.analysis.domain.csvinput import read_opinions_csv
from keikaku.analysis.domain.lexicon import (
    RESOURCES_DIR,
    parse_stop_words,
    parse_synonyms_csv,
    parse_user_dictionary_csv,
)
from keikaku.analysis.models import (
    AnalysedOpinion,
    AnalysisRun,
    AssignmentDecision,
    GroupDecision,
    LexiconSeed,
    StopWord,
    SynonymEntry,
    UserDictionaryEntry,
)
from keikaku.analysis.tests.factories import (
    AnalysisPlan,
    make_analysis_plan,
    make_comment_round,
)
from keikaku.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "formats" / "samples" / "opinions"
ACTOR = "test"


def csv_run(plan: AnalysisPlan, **extra) -> AnalysisRun:
    opinions = read_opinions_csv((SAMPLE / "opinions.csv").read_bytes(), source="opinions.csv")
    run = services.run_create(
        edition=plan.edition,
        source="csv",
        actor=ACTOR,
        csv_opinions=opinions,
        namespace="csv:opinions",
        source_label="CSV「opinions.csv」",
        enqueue=False,
        **extra,
    )
    return services.run_execute(run_id=run.pk)


def test_lexicon_is_seeded_from_the_resource_files() -> None:
    stop = parse_stop_words((RESOURCES_DIR / "stop_words.txt").read_bytes())
    synonyms = parse_synonyms_csv((RESOURCES_DIR / "synonyms.csv").read_bytes())
    terms = parse_user_dictionary_csv((RESOURCES_DIR / "user_dictionary.csv").read_bytes())
    assert StopWord.objects.count() == len(set(stop))
    assert SynonymEntry.objects.count() == len({v for vs in synonyms.values() for v in vs})
    assert UserDictionaryEntry.objects.count() == len({t for t, _c, _k in terms})
    assert SynonymEntry.objects.get(variant="子供").canonical == "子ども"
    snapshot = services.lexicon_snapshot()
    assert snapshot["synonyms"]["子ども"] == sorted(synonyms["子ども"])
    assert snapshot["synonyms"]["子ども"][:3] == ["お子さん", "こども", "こどもたち"]
    assert ["さくらバス", "さくらバス", "事業"] in snapshot["user_terms"]


def test_seed_is_written_once_and_again_only_after_a_flush() -> None:
    count = StopWord.objects.count()
    assert services.lexicon_ensure_seeded() is False
    StopWord.objects.all().delete()  # staff may empty a table: it stays empty
    assert services.lexicon_ensure_seeded() is False
    assert StopWord.objects.count() == 0
    LexiconSeed.objects.all().delete()  # a flushed database has no marker: seeded again
    assert services.lexicon_ensure_seeded() is True
    assert StopWord.objects.count() == count


def test_run_stores_configuration_and_is_idempotent() -> None:
    plan = make_analysis_plan()
    run = csv_run(plan, parameters={"seed": 7, "assignment_threshold": 0.02})
    assert run.status == "done"
    assert run.message == "完了しました"
    assert run.source_label == "CSV「opinions.csv」"
    assert run.name == "CSV「opinions.csv」の分析"
    assert run.input_ids == [f"O{n:03d}" for n in range(1, 21)]
    params = run.config["parameters"]
    assert (params["seed"], params["assignment_threshold"], params["secondary_threshold"]) == (
        7,
        0.02,
        0.02,
    )
    assert run.result["parameters"]["seed"] == 7
    assert run.counts["opinions"] == 20
    assert run.opinions.count() == 20
    assert run.started_at is not None and run.finished_at is not None
    # a second execution of the same run changes nothing
    assert services.run_execute(run_id=run.pk) is None
    assert AnalysisRun.objects.get(pk=run.pk).finished_at == run.finished_at
    assert AuditEvent.objects.get(object_type="analysis.analysisrun").after["parameters"] == {
        "seed": 7,
        "assignment_threshold": 0.02,
    }
    with pytest.raises(services.AnalysisError) as err:
        services.run_create(
            edition=plan.edition, source="csv", actor=ACTOR, parameters={"speed": 1}
        )
    assert str(err.value) == "CSV ファイルの意見が 1 件もありません。"
    with pytest.raises(services.AnalysisError) as err:
        services.run_create(
            edition=plan.edition, source="proposal", actor=ACTOR, parameters={"speed": 1}
        )
    assert str(err.value) == "設定「speed」はありません。"


def test_a_run_without_opinions_fails_with_a_message() -> None:
    plan = make_analysis_plan()
    run = services.run_create(edition=plan.edition, source="proposal", actor=ACTOR, enqueue=False)
    run = services.run_execute(run_id=run.pk)
    assert run.status == "failed"
    assert (
        run.message == "分析する意見がありません。意見が登録されてから、もう一度実行してください。"
    )
    assert run.opinions.count() == 0


def test_group_decisions_apply_to_every_run_of_the_data_set() -> None:
    plan = make_analysis_plan()
    run = csv_run(plan)
    campaigns = selectors.effective_groups(run)["campaign"]
    # the planted campaign: O009–O018 (ten paraphrases against closing the pool)
    assert [g.members for g in campaigns] == [tuple(f"O{n:03d}" for n in range(9, 19))]
    dups = selectors.effective_groups(run)["duplicate"]
    assert [g.members for g in dups] == [("O001", "O008")]
    voices_before = len(set(selectors.voices_of(run).values()))
    assert voices_before == 10  # 20 − 1 (O008 duplicates O001) − 9 (campaign of 10)

    # staff: O018 is not part of the campaign; O003 is the same voice as O002
    services.group_split(run=run, kind="campaign", opinion_id="O018", actor=ACTOR)
    services.group_merge(
        run=run, kind="duplicate", opinion_ids=["O003"], anchor_id="O002", actor=ACTOR
    )
    groups = selectors.effective_groups(run)
    assert [g.members for g in groups["campaign"]] == [tuple(f"O{n:03d}" for n in range(9, 18))]
    assert [(g.id, g.members, g.staff_members) for g in groups["duplicate"]] == [
        ("dup-0001", ("O001", "O008"), ()),
        ("dup-s001", ("O002", "O003"), ("O003",)),
    ]
    assert len(set(selectors.voices_of(run).values())) == 10  # +1 (O018) −1 (O003)

    # a re-run over the same data set shows the same decisions
    rerun = services.run_execute(run_id=services.run_rerun(run=run, actor=ACTOR, enqueue=False).pk)
    assert rerun.namespace == "csv:opinions"
    assert list(rerun.opinions.values_list("opinion_id", flat=True)) == run.input_ids
    assert selectors.effective_groups(rerun) == groups
    # undo, and an unknown id is refused with a message
    assert services.group_decision_undo(run=rerun, kind="campaign", opinion_id="O018", actor=ACTOR)
    assert len(selectors.effective_groups(rerun)["campaign"][0].members) == 10
    with pytest.raises(services.AnalysisError) as err:
        services.group_split(run=run, kind="campaign", opinion_id="O999", actor=ACTOR)
    assert str(err.value) == "意見ID「O999」はこの分析にありません。ID を確かめてください。"
    assert GroupDecision.objects.count() == 1


def test_confirmations_teach_other_runs_and_keywords_feed_profiles() -> None:
    plan = make_analysis_plan()
    run = csv_run(plan)
    # O007 「いつもご苦労さまです。」 is 該当なし for the engine
    assert run.opinions.get(opinion_id="O007").measure_code == ""
    pool = run.opinions.get(opinion_id="O019")
    services.assignment_decide(run=run, opinion=pool, measure=plan.measures["7-2"], actor=ACTOR)
    decision = AssignmentDecision.objects.get()
    assert (decision.kind, decision.text) == (
        "confirm",
        "市民プールの更衣室が古くて汚い。シャワーもぬるい。",
    )
    # a decision on an opinion outside another run is an example of its measure there
    profiles = {
        p.code: p
        for p in services.measure_profiles(
            plan.edition,
            examples={"7-2": ("市民プールの更衣室が古くて汚い。シャワーもぬるい。",)},
        )
    }
    assert profiles["7-2"].examples == ("市民プールの更衣室が古くて汚い。シャワーもぬるい。",)
    assert profiles["4-2"].initiatives == ("コミュニティバスの運行", "駅のバリアフリー化")
    assert profiles["4-2"].indicators == ("公共交通の利用者数",)
    assert profiles["4-2"].vision == "車がなくても市内を自由に移動できる"
    services.measure_keywords_set(
        measure=plan.measures["4-2"], keywords="さくらバス、時刻表\n本数", actor=ACTOR
    )
    assert services.measure_profiles(plan.edition)[1].keywords == ("さくらバス", "時刻表", "本数")
    # a measure of another edition is refused
    other = make_analysis_plan_other_edition(plan)
    with pytest.raises(services.AnalysisError):
        services.assignment_decide(run=run, opinion=pool, measure=other, actor=ACTOR)
    assert services.assignment_undo(run=run, opinion=pool, actor=ACTOR) is True
    assert services.assignment_undo(run=run, opinion=pool, actor=ACTOR) is False
    assert list(
        AuditEvent.objects.filter(object_type="analysis.assignmentdecision")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["analysis_assign", "analysis_unassign"]


def make_analysis_plan_other_edition(plan: AnalysisPlan):
    from keikaku.plans import models as pm

    edition = pm.Edition.objects.create(
        plan=plan.small.plan, kind="former", title="前期基本計画", start_fy=2020, end_fy=2024
    )
    area = pm.PolicyArea.objects.create(edition=edition, number=1, title="子育て")
    return pm.Measure.objects.create(area=area, code="1-1", title="子育て支援")


def test_lexicon_changes_reach_the_next_run_only() -> None:
    plan = make_analysis_plan()
    first = csv_run(plan)
    added, skipped = services.stop_words_add(words=["プール", "為る"], actor=ACTOR)
    assert (added, skipped) == (1, ["為る"])
    assert services.synonyms_add(rows=[("市民プール", "プール施設")], actor=ACTOR) == (1, [])
    entry = UserDictionaryEntry.objects.get(term="さくらバス")
    services.lexicon_entry_delete(entry=entry, actor=ACTOR)
    second = csv_run(plan)
    assert "プール" not in first.config["lexicon"]["stop_words"]
    assert "プール" in second.config["lexicon"]["stop_words"]
    assert second.config["lexicon"]["synonyms"]["市民プール"] == ["プール施設"]
    assert ["さくらバス", "さくらバス", "事業"] not in second.config["lexicon"]["user_terms"]
    assert (
        AuditEvent.objects.filter(
            object_type="analysis.userdictionaryentry", action="delete"
        ).count()
        == 1
    )


def test_load_demo_analysis_is_idempotent(capsys) -> None:
    call_command("load_demo_analysis")
    assert capsys.readouterr().out.strip() == (
        "デモの基本計画がないので、分析しませんでした（先に keikaku load-demo を実行してください）。"
    )
    plan = make_analysis_plan()  # a demo municipality (is_demo=True)
    call_command("load_demo_analysis")
    assert capsys.readouterr().out.strip() == "分析する意見がないので、分析しませんでした。"
    make_comment_round(plan)
    call_command("load_demo_analysis")
    assert capsys.readouterr().out.strip() == (
        "デモの意見 9 件を分析しました（デモの意見の分析（説明用の例））。"
    )
    call_command("load_demo_analysis")
    assert capsys.readouterr().out.strip() == "デモの分析は作成済みです。"
    run = AnalysisRun.objects.get()
    assert (run.is_demo, run.status, run.source) == (True, "done", "all")
    assert AnalysedOpinion.objects.count() == 9
