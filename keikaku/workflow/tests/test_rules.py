"""Who may edit which plan content during formulation (through the plans staff pages too)."""

from __future__ import annotations

import pytest
from django.test import Client

from keikaku.accounts.roles import can_view_personal_data, user_roles
from keikaku.core.models import AuditEvent
from keikaku.plans import models as pm
from keikaku.plans.rules import can_edit_object
from keikaku.workflow import rules, services
from keikaku.workflow.domain.states import Role
from keikaku.workflow.tests.factories import advance, make_world

pytestmark = pytest.mark.django_db


def _measure_form(measure: pm.Measure, **overrides):
    data = {
        "area": measure.area_id,
        "code": measure.code,
        "order": measure.order,
        "title": measure.title,
        "title_en": "",
        "plain_summary": measure.plain_summary,
        "target_state": measure.target_state,
        "current_issues": measure.current_issues,
        "role_citizens": "",
        "role_businesses": "",
        "role_city": "",
        "departments": [d.pk for d in measure.departments.all()],
        "sdgs": "",
        "related_plans": "",
        "version": measure.version,
    }
    data.update(overrides)
    return data


def test_section_roles():
    world = make_world()
    u = world.users
    assert rules.section_roles(u["member"], world.section) == {Role.STAFF, Role.AUTHOR}
    assert rules.section_roles(u["lead"], world.section) == {
        Role.STAFF,
        Role.AUTHOR,
        Role.AUTHOR_LEAD,
    }
    assert rules.section_roles(u["member"], world.section2) == {Role.STAFF}
    assert rules.section_roles(u["secretariat"], world.strategy_section) == {
        Role.STAFF,
        Role.SECRETARIAT,
        Role.AUTHOR,
    }
    assert rules.section_roles(u["admin"], world.section) == {Role.STAFF, Role.SUPERUSER}


def test_subcommittee_member_edits_only_measures_of_its_areas_while_drafting():
    world = make_world()
    member = world.users["member"]
    measure, other = world.plan.measure, world.measure2
    initiative = measure.initiatives.get()
    assert can_edit_object(member, measure)
    assert can_edit_object(member, initiative)
    assert can_edit_object(member, world.plan.indicator)
    assert not can_edit_object(member, other)
    assert not can_edit_object(member, measure, "delete")
    assert not can_edit_object(member, world.plan.area)  # the framework is the secretariat's
    assert can_edit_object(member, pm.Measure(area=world.plan.area, code="1-9"), "add")
    assert not can_edit_object(member, pm.Measure(area=world.area2, code="2-9"), "add")
    advance(world, world.section, ("submit", "member", ""))
    assert not can_edit_object(member, measure)
    assert can_edit_object(world.users["lead"], measure)  # 部会長 finishes the proposal
    assert not can_edit_object(member, initiative)


def test_secretariat_edits_everything_until_the_council_decides():
    world = make_world()
    sec = world.users["secretariat"]
    assert can_edit_object(sec, world.measure2)
    assert can_edit_object(sec, world.plan.area)
    assert can_edit_object(sec, world.plan.strategy)
    assert can_edit_object(sec, world.plan.edition)
    assert can_edit_object(sec, world.measure2, "delete")
    assert not can_edit_object(sec, world.plan.edition, "delete")
    advance(
        world,
        world.section,
        ("submit", "member", ""),
        ("approve", "headquarters", ""),
        ("promote_draft", "secretariat", ""),
        ("promote_final", "headquarters", ""),
    )
    assert can_edit_object(sec, world.plan.measure)
    advance(world, world.section, ("decide", "council", ""))
    assert not can_edit_object(sec, world.plan.measure)
    assert can_edit_object(world.users["admin"], world.plan.measure)


def test_readers_headquarters_council_and_consultants_do_not_edit_content():
    world = make_world()
    for key in ("reader", "headquarters", "council", "consultant", "other_member"):
        assert not can_edit_object(world.users[key], world.plan.measure), key


def test_drafts_are_not_published_before_they_become_the_draft_for_comment():
    world = make_world()
    sec = world.users["secretariat"]
    assert not can_edit_object(sec, world.plan.measure, "publish")
    assert not can_edit_object(sec, world.plan.edition, "publish")
    advance(
        world,
        world.section,
        ("submit", "member", ""),
        ("approve", "headquarters", ""),
        ("promote_draft", "secretariat", ""),
    )
    assert can_edit_object(sec, world.plan.measure, "publish")
    assert not can_edit_object(sec, world.plan.edition, "publish")  # other sections are drafts


def test_outside_an_active_formulation_the_workflow_has_no_say():
    world = make_world()
    services.formulation_update(
        formulation=world.formulation,
        actor="テスト",
        expected_version=1,
        changes={"status": "completed"},
    )
    assert rules.plan_object_policy(world.users["reader"], "change", world.plan.measure) is None
    assert rules.plan_object_policy(world.users["reader"], "change", world.plan.department) is None


def test_plans_edit_page_refuses_a_member_of_another_subcommittee_and_changes_nothing():
    world = make_world()
    client = Client()
    client.force_login(world.users["other_member"])
    measure = world.plan.measure
    events = AuditEvent.objects.count()
    response = client.post(
        f"/staff/plan/measures/{measure.pk}/", _measure_form(measure, title="乗っ取り")
    )
    assert response.status_code == 403
    assert pm.Measure.objects.get(pk=measure.pk).title == "子育て支援の充実"
    assert AuditEvent.objects.count() == events
    client.force_login(world.users["member"])
    response = client.post(
        f"/staff/plan/measures/{measure.pk}/", _measure_form(measure, title="子育て支援の拡充")
    )
    assert response.status_code == 302
    assert pm.Measure.objects.get(pk=measure.pk).title == "子育て支援の拡充"


def test_roles_for_security_rules_and_personal_data():
    world = make_world()
    u = world.users
    assert user_roles(u["lead"]) == {
        "staff",
        "subcommittee_member",
        "subcommittee_lead",
        "leads_meeting",
    }
    assert user_roles(u["secretariat"]) == {"staff", "secretariat"}
    assert user_roles(u["consultant"]) == {"staff", "consultant"}
    assert user_roles(u["admin"]) == {"staff", "superuser"}
    assert not can_view_personal_data(u["consultant"], "participation.view_personal_data")
    assert can_view_personal_data(u["admin"], "participation.view_personal_data")
    assert not can_view_personal_data(u["reader"], "participation.view_personal_data")
    services.membership_add(
        body=world.bodies["consultant"], user=u["admin"], role="member", actor="テスト"
    )
    assert not can_view_personal_data(u["admin"], "participation.view_personal_data")
