"""`keikaku load-demo-workflow`: the seed's organisation and schedule, idempotently."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from keikaku.plans.tests.factories import make_small_plan
from keikaku.workflow.models import Body, Formulation, Phase, ReviewComment, Section, Task
from keikaku.workflow.selectors import schedule_rows

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("load_demo_workflow", *args, stdout=out)
    return out.getvalue()


def test_refuses_without_the_demo_plan():
    with pytest.raises(CommandError) as err:
        _run()
    assert str(err.value) == (
        "デモ用の後期基本計画がありません。先に keikaku load-demo を実行してから、"
        "もう一度実行してください。"
    )


def test_loads_the_seed_organisation_and_schedule_once():
    plan = make_small_plan()
    out = _run()
    assert out.startswith("策定体制とスケジュールを読み込みました（")
    formulation = Formulation.objects.get(edition=plan.edition)
    assert formulation.status == "completed"
    kinds = Counter(Body.objects.filter(formulation=formulation).values_list("kind", flat=True))
    assert kinds == {
        "headquarters": 1,
        "subcommittee": 5,
        "leads_meeting": 1,
        "secretariat": 1,
        "management_council": 1,
        "consultant": 1,
    }
    hq = Body.objects.get(kind="headquarters")
    chair = hq.memberships.get(role="chair")
    assert (chair.user.get_full_name(), chair.title) == ("若葉 義男", "副市長（本部長）")
    assert list(Body.objects.get(name="第1専門部会（子育て・教育）").areas.all()) == [plan.area]
    rows = schedule_rows(formulation=formulation, today=dt.date(2026, 1, 1))
    assert [(r.label, r.phase.title) for r in rows][:2] == [
        ("令和5（2023）年度 4～6月", "策定基本方針等、庁内準備作業"),
        ("令和5（2023）年度 7～9月", "市民意識調査及び基礎調査・ニーズ等の把握"),
    ]
    assert rows[-1].label == "令和6（2024）年度 1～3月"
    assert Phase.objects.count() == 10 and Task.objects.count() == 22
    assert set(Task.objects.values_list("status", flat=True)) == {"done"}
    votes = Task.objects.filter(title__endswith="の議決").order_by("start")
    assert [(t.title, t.start, t.public_note) for t in votes] == [
        (
            "基本構想の変更の議決",
            dt.date(2024, 11, 29),
            "市議会で可決されました（賛成15、反対2）。",
        ),
        ("後期基本計画の議決", dt.date(2024, 12, 19), "市議会で可決されました（賛成15、反対2）。"),
    ]
    sections = Section.objects.filter(formulation=formulation)
    assert sorted(sections.values_list("kind", "state")) == [
        ("introduction", "enacted"),
        ("measure", "enacted"),
        ("strategy", "enacted"),
    ]
    measure = sections.get(kind="measure")
    # returned once, then submit, approve, 素案, 原案, 経営会議決定, 議決: 7 versions
    assert list(measure.versions.values_list("number", "state")) == [
        (1, "proposed"),
        (2, "proposed"),
        (3, "hq_review"),
        (4, "draft"),
        (5, "final_draft"),
        (6, "decided"),
        (7, "enacted"),
    ]
    assert measure.versions.get(number=1).data["target_state"] == "子育てしやすいまち"
    assert ReviewComment.objects.filter(section=measure, resolved=True).count() == 1

    again = _run()
    assert again == "策定体制とスケジュールは読み込み済みです。何も変更していません。\n"
    assert Body.objects.count() == 10 and Task.objects.count() == 22


def test_training_scenario_leaves_the_drafts_in_progress():
    make_small_plan()
    _run("--scenario", "training")
    formulation = Formulation.objects.get()
    assert formulation.status == "active"
    states = dict(Section.objects.values_list("kind", "state"))
    assert states == {"introduction": "drafting", "measure": "drafting", "strategy": "hq_review"}
    assert ReviewComment.objects.filter(parent=None, resolved=False).count() == 1
    assert Task.objects.get(title="素案作成").status == "done"
    assert Task.objects.get(title="後期基本計画の議決").status == "not_started"
