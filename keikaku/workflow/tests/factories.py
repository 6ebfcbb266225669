"""A small formulation world: a plan with two policy areas under formulation, its bodies and one
user per role (real Japanese names, including 髙 and 𠮷)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from keikaku.plans import models as pm
from keikaku.plans.tests.factories import SmallPlan, make_small_plan
from keikaku.workflow import services
from keikaku.workflow.models import Body, Formulation, Phase, Section, Task

PASSWORD = "pass-for-tests-1"
ACTOR = "テスト"


def staff_user(username: str, full_name: str, *, superuser: bool = False) -> Any:
    last, _sep, first = full_name.partition(" ")
    return get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        is_staff=True,
        is_superuser=superuser,
        last_name=last,
        first_name=first,
        email=f"{username}@city.example.jp",
    )


@dataclass
class World:
    plan: SmallPlan
    formulation: Formulation
    area2: pm.PolicyArea
    measure2: pm.Measure
    bodies: dict[str, Body]
    users: dict[str, Any]
    section: Section  # measure 1-1 (area 1, subcommittee A)
    section2: Section  # measure 2-1 (area 2, subcommittee B)
    strategy_section: Section
    intro_section: Section
    phase: Phase
    task: Task

    def reload(self, key: str = "section") -> Section:
        return Section.objects.get(pk=getattr(self, key).pk)


ROLE_USERS = {
    "reader": "読む 太郎",
    "member": "髙橋 一郎",
    "lead": "鈴木 部会長",
    "other_member": "佐藤 二郎",
    "headquarters": "若葉 副市長",
    "secretariat": "𠮷田 花子",
    "council": "鶴田 市長",
    "consultant": "計画 太郎",
    "admin": "システム 管理者",
}


def make_world() -> World:
    plan = make_small_plan()
    pm.Edition.objects.filter(pk=plan.edition.pk).update(status="draft", introduction="序論の案")
    plan.edition.refresh_from_db()
    area2 = pm.PolicyArea.objects.create(edition=plan.edition, number=2, title="健康・福祉")
    measure2 = pm.Measure.objects.create(
        area=area2,
        code="2-1",
        title="健康づくりの推進",
        target_state="誰もが健康に暮らせるまち",
        current_issues="高齢化が進んでいます。",
    )
    users = {
        key: staff_user(key, name, superuser=(key == "admin")) for key, name in ROLE_USERS.items()
    }
    formulation = services.formulation_create(
        edition=plan.edition, title="後期基本計画の策定", actor=ACTOR
    )
    specs = [
        ("hq", Body.Kind.HEADQUARTERS, "策定本部（本体会議）", ()),
        ("sub_a", Body.Kind.SUBCOMMITTEE, "第1専門部会", (plan.area,)),
        ("sub_b", Body.Kind.SUBCOMMITTEE, "第2専門部会", (area2,)),
        ("leads", Body.Kind.LEADS_MEETING, "部会長会議", ()),
        ("secretariat", Body.Kind.SECRETARIAT, "事務局", ()),
        ("council", Body.Kind.MANAGEMENT_COUNCIL, "経営会議", ()),
        ("consultant", Body.Kind.CONSULTANT, "コンサルタント", ()),
    ]
    bodies: dict[str, Body] = {}
    for order, (key, kind, name, areas) in enumerate(specs, start=1):
        body = Body(formulation=formulation, kind=kind, name=name, order=order)
        services.body_create(body=body, actor=ACTOR, areas=list(areas))
        bodies[key] = body
    members = [
        ("sub_a", "member", "member"),
        ("sub_a", "lead", "chair"),
        ("sub_b", "other_member", "member"),
        ("leads", "lead", "member"),
        ("hq", "headquarters", "chair"),
        ("secretariat", "secretariat", "member"),
        ("council", "council", "chair"),
        ("consultant", "consultant", "member"),
    ]
    for body_key, user_key, role in members:
        services.membership_add(body=bodies[body_key], user=users[user_key], role=role, actor=ACTOR)
    services.section_sync(formulation=formulation, actor=ACTOR)
    phase = Phase.objects.create(
        formulation=formulation, fiscal_year=2024, quarter=1, title="素案審議・まとめ"
    )
    task = Task.objects.create(
        phase=phase,
        title="素案作成",
        start=dt.date(2024, 4, 1),
        end=dt.date(2024, 5, 15),
        owner=bodies["sub_a"],
    )
    sections = Section.objects.filter(formulation=formulation)
    return World(
        plan=plan,
        formulation=formulation,
        area2=area2,
        measure2=measure2,
        bodies=bodies,
        users={k: get_user_model().objects.get(pk=u.pk) for k, u in users.items()},
        section=sections.get(measure=plan.measure),
        section2=sections.get(measure=measure2),
        strategy_section=sections.get(strategy=plan.strategy),
        intro_section=sections.get(kind=Section.Kind.INTRODUCTION),
        phase=phase,
        task=task,
    )


def advance(world: World, section: Section, *steps: tuple[str, str, str]) -> Section:
    """Take (action, user key, comment) steps on a section; returns it reloaded."""
    for action, user_key, comment in steps:
        current = Section.objects.get(pk=section.pk)
        services.section_transition(
            section=current,
            actor=world.users[user_key],
            action=action,
            expected_version=current.version,
            comment=comment,
        )
    return Section.objects.get(pk=section.pk)
