"""``keikaku load-demo-council``: Tsurugashima's real facts, marked; everything else marked
illustrative; running it twice changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from keikaku.core.models import AuditEvent
from keikaku.council import api
from keikaku.council.models import (
    Application,
    Bill,
    CouncilMember,
    Meeting,
    Minutes,
    PlanAdoption,
)
from keikaku.plans.tests.factories import make_small_plan

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo_council", *args, stdout=out)
    return out.getvalue()


def test_demo_council_has_the_real_facts_and_is_idempotent():
    plan = make_small_plan()  # the demo municipality with a latter plan
    assert "を作りました（会議6回、議案2件）" in _run()
    counts = (
        Meeting.objects.count(),
        Bill.objects.count(),
        CouncilMember.objects.count(),
        Application.objects.count(),
        AuditEvent.objects.count(),
    )
    assert _run() == "審議会・市議会のデモデータは読み込み済みです。何も変更していません。\n"
    assert counts == (
        Meeting.objects.count(),
        Bill.objects.count(),
        CouncilMember.objects.count(),
        Application.objects.count(),
        AuditEvent.objects.count(),
    )
    # [S] the council met 6 times in 2024 (the dates are illustrative and marked so)
    meetings = api.meetings_public()
    assert [m.held_on.year for m in meetings] == [2024] * 6
    assert all(m.provenance.is_illustrative for m in meetings)
    assert "6回開かれたことは公表された事実" in meetings[0].provenance.note
    # [S] both bills passed 15–2; the plan on 2024-12-19, in force 2025-04-01
    bills = {b.target: b for b in api.bills_public()}
    concept, basic_plan = bills["basic_concept"], bills["basic_plan"]
    assert (concept.vote_on, concept.result, concept.votes_for, concept.votes_against) == (
        dt.date(2024, 11, 29),
        "passed",
        15,
        2,
    )
    assert (basic_plan.vote_on, basic_plan.votes_for, basic_plan.votes_against) == (
        dt.date(2024, 12, 19),
        15,
        2,
    )
    assert basic_plan.effective_on == dt.date(2025, 4, 1)
    assert basic_plan.provenance.is_verified
    assert basic_plan.provenance.marks("number") and not basic_plan.provenance.marks("vote_on")
    adoption = api.edition_adoption(edition_id=plan.edition.pk)
    assert (adoption.state, adoption.adopted_on, adoption.concept_adopted_on) == (
        "enacted",
        dt.date(2024, 12, 19),
        dt.date(2024, 11, 29),
    )
    assert PlanAdoption.objects.get().effective_on == dt.date(2025, 4, 1)
    # members: illustrative, names with 髙 and 𠮷, three of them public (公募) from applications
    names = set(CouncilMember.objects.values_list("name", flat=True))
    assert {"髙橋 美和子", "𠮷田 健一", "𠮷川 葵", "髙田 誠"} <= names
    assert CouncilMember.objects.filter(category="public", application__isnull=False).count() == 3
    assert set(CouncilMember.objects.values_list("data_status", flat=True)) == {"illustrative"}
    # minutes of the first five meetings are public; the sixth is still being checked
    assert Minutes.objects.filter(is_published=True).count() == 5
    assert len(api.minutes_public()) == 5
    # the applicants were received through the service (receipt numbers of FY2023)
    assert sorted(Application.objects.values_list("receipt_number", flat=True)) == [
        "A-2023-0001",
        "A-2023-0002",
        "A-2023-0003",
        "A-2023-0004",
    ]


def test_without_a_demo_plan_the_command_says_what_to_do():
    with pytest.raises(CommandError) as exc:
        _run()
    assert str(exc.value) == (
        "デモの自治体の後期基本計画がありません。先に keikaku load-demo を実行するか、"
        "--edition で基本計画のIDを指定してください。"
    )
    with pytest.raises(CommandError, match=r"基本計画（ID 999）が見つかりません。"):
        _run("--edition", "999")


def test_purge_applicant_data_command():
    from django.utils import timezone

    from keikaku.council import services
    from keikaku.council.models import ApplicantPersonalData
    from keikaku.council.tests.factories import applicant, make_council, make_recruitment, token

    call = make_recruitment(make_council())
    services.application_submit(recruitment=call, data=applicant(), form_token=token())
    ApplicantPersonalData.objects.update(
        retention_until=timezone.localdate() - dt.timedelta(days=1)
    )
    out = io.StringIO()
    call_command("purge_applicant_data", "--dry-run", stdout=out)
    assert out.getvalue() == "保存期限を過ぎた応募者の個人情報は1件です（削除していません）。\n"
    assert ApplicantPersonalData.objects.count() == 1
    out = io.StringIO()
    call_command("purge_applicant_data", stdout=out)
    assert out.getvalue() == "保存期限を過ぎた応募者の個人情報1件を削除しました。\n"
    assert ApplicantPersonalData.objects.count() == 0
    assert Application.objects.count() == 1
