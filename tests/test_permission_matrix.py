"""Every staff URL × every role: allowed or denied, and a denied request changes nothing.

The URLs are found by walking Django's URL resolver, so a URL that any app adds under
/staff/ is covered the moment it exists: a URL name without an expectation below fails the
test and says what to add. Each URL is requested with GET and with POST as each role:

    anonymous, reader (plain staff), member and lead of the subcommittee drafting area 1,
    headquarters, secretariat, management council, consultant, superuser.

Outcomes: "ok" (served or redirected elsewhere), "deny" (403), "login" (sent to the sign-in
page), "method" (405).

Adding the expectations of a new app: either add `Case(...)` entries to CASES below, or, to
keep them next to the app, create `keikaku/<app>/tests/permission_matrix.py` with

    from tests.test_permission_matrix import Case, EVERY_STAFF, only, SUPER, METHOD

    def objects(world):          # optional: sample objects the URLs need
        return {"my_thing": make_thing(world.w.plan)}

    CASES = [Case("staff:my_list", EVERY_STAFF, EVERY_STAFF),
             Case("staff:my_edit", only(*SUPER), only(*SUPER), lambda m: {"pk": m.objects["my_thing"].pk})]

Such modules are found automatically. An allowed POST should carry data that really succeeds
(`data=`; `form_data(form, change)` gives an edit form's fields as a browser sends them;
uploaded files go to a temporary MEDIA_ROOT). After every POST whose outcome is not "ok", the
row count of every table, the sum of every `version` column and the number of audit events
must be unchanged. Every request runs inside a savepoint that is rolled back, so the roles see
the same world.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from keikaku.plans import models as pm
from keikaku.plans.staff import ENTITIES, form_class_for
from keikaku.workflow import services as wf
from keikaku.workflow.models import Membership, ReviewComment, SectionVersion
from keikaku.workflow.tests.factories import advance, make_world

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROLES = (
    "anonymous",
    "reader",
    "member",
    "lead",
    "headquarters",
    "secretariat",
    "council",
    "consultant",
    "superuser",
)
STAFF = ROLES[1:]
EDITORS = ("member", "lead", "secretariat", "superuser")  # plans.change_measure via membership
SECRETARIAT = ("secretariat", "superuser")
SUPER = ("superuser",)

Expect = dict[str, str]


def only(*allowed: str) -> Expect:
    """Allowed roles get "ok"; anonymous is sent to sign in; other staff get 403."""
    return {r: "ok" if r in allowed else ("login" if r == "anonymous" else "deny") for r in ROLES}


def every(outcome: str) -> Expect:
    return dict.fromkeys(ROLES, outcome)


EVERY_STAFF = only(*STAFF)
METHOD = every("method")


@dataclass
class Case:
    name: str  # URL name, e.g. "staff:workflow_section"
    get: Expect
    post: Expect
    kwargs: Callable[[Any], dict[str, Any]] = lambda w: {}
    data: Callable[[Any], dict[str, Any]] = lambda w: {}
    query: str = ""
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# --- the world --------------------------------------------------------------------------------


@dataclass
class MatrixWorld:
    w: Any  # keikaku.workflow.tests.factories.World
    users: dict[str, Any]
    objects: dict[str, Any]


def build_world() -> MatrixWorld:
    from keikaku.demography.tests.factories import make_run
    from keikaku.participation import services as ps
    from keikaku.participation.models import Hearing
    from keikaku.participation.tests.factories import make_round, submit_comment
    from keikaku.surveys.models import SurveyResponse
    from keikaku.surveys.tests.factories import make_wave

    w = make_world()
    advance(w, w.section2, ("submit", "other_member", ""))  # area 2 proposal, version 1
    comment = wf.comment_add(section=w.section, actor=w.users["reader"], body="確認です。")
    programme = pm.Programme.objects.create(
        edition=w.plan.edition, code="P-001", name="保育所整備事業", measure=w.plan.measure
    )
    cost = pm.ProgrammeCost.objects.create(programme=programme, fiscal_year=2025, total=1000)
    rnd = make_round(w.plan)
    opinion = submit_comment(rnd, "素案の表現が分かりにくいです。")
    group = ps.opinions_group(round=rnd, opinion_ids=[opinion.pk], actor="test")
    hearing = Hearing.objects.create(
        title="子育て団体との意見交換", group_name="子育てサークル", held_on=dt.date(2024, 5, 10)
    )
    wave = make_wave(w.plan)
    response = SurveyResponse.objects.create(
        wave=wave, respondent_id="P00001", channel="paper_entry", answers={}
    )
    run = make_run(until=2030)
    users = {
        "reader": w.users["reader"],
        "member": w.users["member"],
        "lead": w.users["lead"],
        "headquarters": w.users["headquarters"],
        "secretariat": w.users["secretariat"],
        "council": w.users["council"],
        "consultant": w.users["consultant"],
        "superuser": w.users["admin"],
    }
    objects = {
        "municipalities": w.plan.municipality,
        "plans": w.plan.plan,
        "concepts": w.plan.plan.basic_concept,
        "editions": w.plan.edition,
        "areas": w.plan.area,
        "measures": w.plan.measure,
        "initiatives": w.plan.measure.initiatives.first(),
        "indicators": w.plan.indicator,
        "indicator-values": w.plan.indicator.values.first(),
        "strategies": w.plan.strategy,
        "programmes": programme,
        "programme-costs": cost,
        "departments": w.plan.department,
        "comment": comment,
        "version": SectionVersion.objects.get(section=w.section2, number=1),
        "membership": Membership.objects.get(body=w.bodies["sub_b"], user=w.users["other_member"]),
        "round": rnd,
        "opinion": opinion,
        "group": group,
        "hearing": hearing,
        "wave": wave,
        "survey_section": wave.sections.order_by("pk").first(),
        "question": wave.questions.order_by("pk").first(),
        "response": response,
        "run": run,
        "census": run.base_dataset,
        "assumptions": run.assumption_set,
        "scenario": run.results.order_by("pk").first().scenario,
    }
    world = MatrixWorld(w=w, users=users, objects=objects)
    for module in app_contributions():
        if hasattr(module, "objects"):
            world.objects.update(module.objects(world))
    return world


def app_contributions() -> list[Any]:
    """`keikaku/<app>/tests/permission_matrix.py` modules of the installed apps."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.tests.permission_matrix"
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name not in (name, f"{config.name}.tests"):
                raise
    return found


def _pk(key: str) -> Callable[[MatrixWorld], dict[str, Any]]:
    return lambda m: {"pk": m.objects[key].pk}


# --- expectations of the generic plan pages (keikaku.plans) ------------------------------------

# Who may change / delete the sample object of each entity while the edition is under
# formulation (keikaku.workflow.rules.plan_object_policy refines plans.rules.can_edit_object):
# the measures of area 1 and what hangs off them belong to subcommittee A (member, lead);
# the edition (introduction), areas and strategies belong to the secretariat.
ENTITY_CHANGE = {
    "municipalities": EDITORS,
    "plans": EDITORS,
    "concepts": EDITORS,
    "editions": SECRETARIAT,
    "areas": SECRETARIAT,
    "measures": EDITORS,
    "initiatives": EDITORS,
    "indicators": EDITORS,
    "indicator-values": EDITORS,
    "strategies": SECRETARIAT,
    "programmes": EDITORS,
    "programme-costs": EDITORS,
    "departments": EDITORS,
}
ENTITY_DELETE = {
    **ENTITY_CHANGE,
    "editions": SUPER,  # never deleted during formulation
    "measures": SECRETARIAT,  # a subcommittee does not delete measures
}


def form_data(form: Any, change: str | None = None, **overrides: Any) -> dict[str, Any]:
    """The POST data of an unbound form as a browser would send it unchanged, with "（変更）"
    appended to the field `change` and then `overrides` applied (for app contributions too)."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if value is None:
            value = ""
        if isinstance(value, list | tuple):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        elif isinstance(value, dt.datetime):
            data[name] = value.strftime("%Y-%m-%dT%H:%M")
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        elif isinstance(value, dt.time):
            data[name] = value.strftime("%H:%M")
        else:
            data[name] = str(getattr(value, "pk", value))
    if change is not None:
        data[change] = f"{data.get(change, '')}（変更）"
    data.update(overrides)
    return data


def _form_data(slug: str, obj: Any) -> dict[str, Any]:
    """The edit form of `obj` as submitted unchanged, but for one text field."""
    entity = ENTITIES[slug]
    form = form_class_for(entity)(instance=obj)
    names = ("title", "name", "vision", "note", "description")
    return form_data(form, next((n for n in names if n in entity.fields), None))


def entity_cases() -> list[Case]:
    cases: list[Case] = []
    missing = sorted(set(ENTITIES) - set(ENTITY_CHANGE))
    assert not missing, (
        f"New plan entities {missing} have no expectation in tests/test_permission_matrix.py: "
        "add them to ENTITY_CHANGE / ENTITY_DELETE and give build_world() a sample object."
    )
    for slug in ENTITIES:
        change, delete = ENTITY_CHANGE[slug], ENTITY_DELETE[slug]

        def slug_kw(m, slug=slug):
            return {"slug": slug}

        def obj_kw(m, slug=slug):
            return {"slug": slug, "pk": m.objects[slug].pk}

        def obj_data(m, slug=slug):
            return _form_data(slug, m.objects[slug])

        cases += [
            Case("staff:entity_list", EVERY_STAFF, EVERY_STAFF, slug_kw, label=slug),
            Case("staff:entity_create", only(*EDITORS), only(*EDITORS), slug_kw, label=slug),
            Case("staff:entity_edit", EVERY_STAFF, only(*change), obj_kw, obj_data, label=slug),
            Case("staff:entity_delete", only(*delete), only(*delete), obj_kw, label=slug),
            Case("staff:entity_history", EVERY_STAFF, EVERY_STAFF, obj_kw, label=slug),
        ]
    # a measure of area 2 (subcommittee B): subcommittee A may not change it
    cases.append(
        Case(
            "staff:entity_edit",
            EVERY_STAFF,
            only(*SECRETARIAT),
            lambda m: {"slug": "measures", "pk": m.w.measure2.pk},
            lambda m: _form_data("measures", m.w.measure2),
            label="measures (area 2)",
        )
    )
    return cases


# --- expectations of every other staff URL -----------------------------------------------------

CASES: list[Case] = [
    # accounts: sign-in, security
    Case("staff:login", every("ok"), every("ok")),
    Case("staff:login_otp", every("login"), every("login")),  # no password step pending
    Case("staff:logout", METHOD, every("login")),
    Case("staff:account_security", EVERY_STAFF, EVERY_STAFF),
    Case("staff:account_totp_enable", EVERY_STAFF, EVERY_STAFF),
    Case("staff:account_totp_disable", METHOD, EVERY_STAFF, data=lambda m: {"code": "000000"}),
    Case("staff:password_change", EVERY_STAFF, EVERY_STAFF),
    Case("staff:login_locks", only(*SUPER), only(*SUPER), data=lambda m: {"key": "user:x"}),
    # plans (generic pages are in entity_cases)
    Case("staff:home", EVERY_STAFF, EVERY_STAFF),
    Case("staff:audit_log", EVERY_STAFF, EVERY_STAFF),
    # the edition is under formulation with sections still in draft: nobody but the system
    # administrator publishes it before every section is publishable
    Case("staff:edition_publish", METHOD, only(*SUPER), _pk("editions")),
    Case("staff:edition_unpublish", METHOD, only(*SECRETARIAT), _pk("editions")),
    # a measure still being drafted is not published, not even by the secretariat
    Case("staff:measure_publish", METHOD, only(*SUPER), _pk("measures")),
    Case("staff:plan_import", EVERY_STAFF, only(*EDITORS), data=lambda m: {"action": "cancel"}),
    Case("staff:plan_export", EVERY_STAFF, EVERY_STAFF, lambda m: {"fmt": "json"}),
    # workflow: reading and commenting is for all staff (全職員参加)
    Case("staff:workflow_dashboard", EVERY_STAFF, EVERY_STAFF),
    Case("staff:workflow_comments", EVERY_STAFF, EVERY_STAFF),
    Case("staff:workflow_inbox", EVERY_STAFF, EVERY_STAFF),
    Case("staff:workflow_inbox_read", METHOD, EVERY_STAFF),
    Case("staff:workflow_sections", EVERY_STAFF, EVERY_STAFF),
    Case(
        "staff:workflow_sections_bulk",
        METHOD,
        only(*EDITORS),
        data=lambda m: {"action": "submit", "section": [f"{m.w.section.pk}:1"]},
    ),
    Case(
        "staff:workflow_section",
        EVERY_STAFF,
        EVERY_STAFF,
        lambda m: {"pk": m.w.section.pk},
    ),
    Case(
        "staff:workflow_section_transition",
        METHOD,
        only(*EDITORS),
        lambda m: {"pk": m.w.section.pk},
        lambda m: {"action": "submit", "version": 1},
        label="submit 1-1 (drafting)",
    ),
    Case(
        "staff:workflow_section_transition",
        METHOD,
        only("headquarters", "superuser"),
        lambda m: {"pk": m.w.section2.pk},
        lambda m: {"action": "approve", "version": 2},
        label="approve 2-1 (部会案)",
    ),
    Case(
        "staff:workflow_comment_add",
        METHOD,
        EVERY_STAFF,
        lambda m: {"pk": m.w.section.pk},
        lambda m: {"body": "コメントです。", "field": ""},
    ),
    Case(
        "staff:workflow_version",
        EVERY_STAFF,
        EVERY_STAFF,
        lambda m: {"pk": m.w.section2.pk, "number": 1},
    ),
    Case(
        "staff:workflow_compare",
        EVERY_STAFF,
        EVERY_STAFF,
        lambda m: {"pk": m.w.section2.pk},
    ),
    Case(
        "staff:workflow_comment_reply",
        METHOD,
        EVERY_STAFF,
        _pk("comment"),
        lambda m: {"body": "返信です。"},
    ),
    # the comment's author (reader), the drafting subcommittee, headquarters, secretariat
    Case(
        "staff:workflow_comment_resolve",
        METHOD,
        only("reader", "member", "lead", "headquarters", "secretariat", "superuser"),
        _pk("comment"),
    ),
    Case("staff:workflow_organisation", EVERY_STAFF, EVERY_STAFF),
    Case("staff:workflow_formulation_create", only(*SUPER), only(*SUPER)),
    Case(
        "staff:workflow_formulation_edit",
        only(*SECRETARIAT),
        only(*SECRETARIAT),
        lambda m: {"pk": m.w.formulation.pk},
    ),
    Case(
        "staff:workflow_sections_sync",
        METHOD,
        only(*SECRETARIAT),
        lambda m: {"pk": m.w.formulation.pk},
    ),
    Case("staff:workflow_body_create", only(*SECRETARIAT), only(*SECRETARIAT)),
    Case(
        "staff:workflow_body_edit",
        only(*SECRETARIAT),
        only(*SECRETARIAT),
        lambda m: {"pk": m.w.bodies["sub_b"].pk},
    ),
    Case(
        "staff:workflow_body_delete",
        METHOD,
        only(*SECRETARIAT),
        lambda m: {"pk": m.w.bodies["consultant"].pk},
    ),
    Case(
        "staff:workflow_membership_add",
        METHOD,
        only(*SECRETARIAT),
        lambda m: {"pk": m.w.bodies["sub_b"].pk},
        lambda m: {
            f"body{m.w.bodies['sub_b'].pk}-user": m.users["reader"].pk,
            f"body{m.w.bodies['sub_b'].pk}-role": "member",
        },
    ),
    Case("staff:workflow_membership_remove", METHOD, only(*SECRETARIAT), _pk("membership")),
    Case("staff:workflow_schedule", EVERY_STAFF, EVERY_STAFF),
    Case("staff:workflow_phase_create", only(*SECRETARIAT), only(*SECRETARIAT)),
    Case(
        "staff:workflow_phase_edit",
        only(*SECRETARIAT),
        only(*SECRETARIAT),
        lambda m: {"pk": m.w.phase.pk},
    ),
    Case("staff:workflow_phase_delete", METHOD, only(*SECRETARIAT), lambda m: {"pk": m.w.phase.pk}),
    Case("staff:workflow_task_create", only(*SECRETARIAT), only(*SECRETARIAT)),
    Case(
        "staff:workflow_task_edit",
        only(*SECRETARIAT),
        only(*SECRETARIAT),
        lambda m: {"pk": m.w.task.pk},
    ),
    Case("staff:workflow_task_delete", METHOD, only(*SECRETARIAT), lambda m: {"pk": m.w.task.pk}),
    # the task belongs to subcommittee A: its members update the status, as does the secretariat
    Case(
        "staff:workflow_task_status",
        METHOD,
        only(*EDITORS),
        lambda m: {"pk": m.w.task.pk},
        lambda m: {"status": "in_progress", "version": 1},
    ),
    # participation: every member of staff reads (text masked); managing needs its permissions
    # (none of the roles has them but the superuser); personal data never for consultants
    Case("staff:participation_inbox", EVERY_STAFF, EVERY_STAFF),
    Case("staff:participation_export", EVERY_STAFF, EVERY_STAFF, lambda m: {"fmt": "csv"}),
    Case("staff:participation_opinion_new", only(*SUPER), only(*SUPER)),
    Case(
        "staff:participation_opinion",
        EVERY_STAFF,
        only(*SUPER),
        _pk("opinion"),
        lambda m: {"action": "note", "body": "メモ"},
    ),
    Case("staff:participation_personal", only(*SUPER), only(*SUPER), _pk("opinion")),
    Case("staff:participation_purge_personal", METHOD, only(*SUPER)),
    Case("staff:participation_hearings", EVERY_STAFF, EVERY_STAFF),
    Case("staff:participation_hearing_new", EVERY_STAFF, only(*SUPER)),
    Case("staff:participation_hearing", EVERY_STAFF, only(*SUPER), _pk("hearing")),
    Case("staff:participation_rounds", EVERY_STAFF, EVERY_STAFF),
    Case("staff:participation_round_new", EVERY_STAFF, only(*SUPER)),
    Case(
        "staff:participation_round",
        EVERY_STAFF,
        only(*SUPER),
        _pk("round"),
        lambda m: {"action": "unpublish"},
    ),
    Case("staff:participation_round_edit", EVERY_STAFF, only(*SUPER), _pk("round")),
    Case("staff:participation_round_opinions", EVERY_STAFF, only(*SUPER), _pk("round")),
    Case(
        "staff:participation_group",
        EVERY_STAFF,
        only(*SUPER),
        lambda m: {"pk": m.objects["round"].pk, "group_id": m.objects["group"].pk},
    ),
    Case("staff:participation_round_result", EVERY_STAFF, only(*SUPER), _pk("round")),
    # surveys: every member of staff reads; designing and entering need surveys permissions
    Case("staff:survey_list", EVERY_STAFF, EVERY_STAFF),
    Case("staff:survey_create", only(*SUPER), only(*SUPER)),
    Case("staff:survey_detail", EVERY_STAFF, EVERY_STAFF, _pk("wave")),
    Case("staff:survey_edit", only(*SUPER), only(*SUPER), _pk("wave")),
    Case("staff:survey_status", METHOD, only(*SUPER), _pk("wave"), lambda m: {"status": "closed"}),
    Case("staff:survey_generate", METHOD, only(*SUPER), _pk("wave")),
    Case("staff:survey_copy", only(*SUPER), only(*SUPER), _pk("wave")),
    Case("staff:survey_section_create", only(*SUPER), only(*SUPER), _pk("wave")),
    Case(
        "staff:survey_section_edit",
        only(*SUPER),
        only(*SUPER),
        lambda m: {"pk": m.objects["wave"].pk, "section_pk": m.objects["survey_section"].pk},
    ),
    Case(
        "staff:survey_section_delete",
        METHOD,
        only(*SUPER),
        lambda m: {"pk": m.objects["wave"].pk, "section_pk": m.objects["survey_section"].pk},
    ),
    Case("staff:survey_question_create", only(*SUPER), only(*SUPER), _pk("wave")),
    Case(
        "staff:survey_question_edit",
        only(*SUPER),
        only(*SUPER),
        lambda m: {"pk": m.objects["wave"].pk, "question_pk": m.objects["question"].pk},
    ),
    Case(
        "staff:survey_question_delete",
        METHOD,
        only(*SUPER),
        lambda m: {"pk": m.objects["wave"].pk, "question_pk": m.objects["question"].pk},
    ),
    Case("staff:survey_preview_start", EVERY_STAFF, EVERY_STAFF, _pk("wave")),
    Case(
        "staff:survey_preview",
        EVERY_STAFF,
        EVERY_STAFF,
        lambda m: {"pk": m.objects["wave"].pk, "number": 1},
    ),
    Case("staff:survey_codes", EVERY_STAFF, only(*SUPER), _pk("wave")),
    Case("staff:survey_codes_csv", only(*SUPER), only(*SUPER), _pk("wave")),
    Case("staff:survey_entry", only(*SUPER), only(*SUPER), _pk("wave")),
    Case("staff:survey_import", only(*SUPER), only(*SUPER), _pk("wave")),
    Case("staff:survey_import_template", EVERY_STAFF, EVERY_STAFF, _pk("wave")),
    Case("staff:survey_responses", EVERY_STAFF, EVERY_STAFF, _pk("wave")),
    Case(
        "staff:survey_response_delete",
        METHOD,
        only(*SUPER),
        lambda m: {"pk": m.objects["wave"].pk, "response_pk": m.objects["response"].pk},
    ),
    Case("staff:survey_responses_csv", EVERY_STAFF, EVERY_STAFF, _pk("wave")),
    Case("staff:survey_results", EVERY_STAFF, EVERY_STAFF, _pk("wave")),
    Case("staff:survey_report_xlsx", EVERY_STAFF, EVERY_STAFF, _pk("wave")),
    Case("staff:survey_report_pdf", EVERY_STAFF, EVERY_STAFF, _pk("wave")),
    Case("staff:survey_indicators", EVERY_STAFF, only(*SUPER), _pk("wave")),
    # demography: every member of staff reads; editing follows plans.change_measure (which
    # the subcommittee members and the secretariat hold), publishing plans.change_edition
    Case("staff:population_home", EVERY_STAFF, EVERY_STAFF),
    Case("staff:population_census_import", only(*EDITORS), only(*EDITORS)),
    Case("staff:population_assumption_import", only(*EDITORS), only(*EDITORS)),
    Case("staff:population_census", EVERY_STAFF, EVERY_STAFF, _pk("census")),
    Case("staff:population_assumptions", EVERY_STAFF, EVERY_STAFF, _pk("assumptions")),
    Case("staff:population_scenario_new", EVERY_STAFF, only(*EDITORS)),
    Case("staff:population_scenario", EVERY_STAFF, only(*EDITORS), _pk("scenario")),
    Case("staff:population_scenario_delete", only(*EDITORS), only(*EDITORS), _pk("scenario")),
    Case("staff:population_run_new", only(*EDITORS), only(*EDITORS)),
    Case("staff:population_run", EVERY_STAFF, EVERY_STAFF, _pk("run")),
    Case("staff:population_run_pyramid", EVERY_STAFF, EVERY_STAFF, _pk("run")),
    Case("staff:population_run_export", EVERY_STAFF, EVERY_STAFF, _pk("run")),
    Case("staff:population_outlook", EVERY_STAFF, only(*EDITORS)),
    Case("staff:population_outlook_publish", METHOD, only(*SECRETARIAT)),
    Case("staff:population_outlook_unpublish", METHOD, only(*SECRETARIAT)),
]


# --- walking the resolver ---------------------------------------------------------------------


def staff_url_names() -> dict[str, str]:
    """Every named URL under /staff/ → its route, from the resolver."""
    found: dict[str, str] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if route.startswith("staff/"):
                    name = f"{namespace}:{p.name}" if namespace and p.name else str(p.name)
                    found[name] = "/" + route

    walk(get_resolver().url_patterns, "", None)
    return found


def all_cases() -> list[Case]:
    contributed = [case for module in app_contributions() for case in module.CASES]
    return entity_cases() + CASES + contributed


def test_every_staff_url_has_an_expectation():
    named = staff_url_names()
    covered = {c.name for c in all_cases()}
    unknown = sorted(set(named) - covered)
    assert not unknown, "\n".join(
        [
            "These staff URLs have no expectation in tests/test_permission_matrix.py.",
            "Add a Case(name, get=…, post=…) for each, saying for every role whether it is",
            "allowed (only(...)), and give build_world() the objects the URL needs:",
            *(f"  {name}  ({named[name]})" for name in unknown),
        ]
    )
    stale = sorted(covered - set(named))
    assert not stale, f"Expectations for URLs that no longer exist: {stale}"


# --- the fingerprint of the database ----------------------------------------------------------


def _fingerprint_sql() -> str:
    qn = connection.ops.quote_name
    parts = []
    for model in apps.get_models():
        table = model._meta.db_table
        if table in ("django_session",) or model._meta.proxy or not model._meta.managed:
            continue
        parts.append(f"(SELECT COUNT(*) FROM {qn(table)})")
        if any(f.column == "version" for f in model._meta.concrete_fields):
            parts.append(f"(SELECT COALESCE(SUM({qn('version')}), 0) FROM {qn(table)})")
    return "SELECT " + ", ".join(parts)


def fingerprint(sql: str) -> tuple[int, ...]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


# --- the matrix ---------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def classify(response: Any) -> str:
    code = response.status_code
    if code in (301, 302, 303) and response["Location"].startswith("/staff/login/"):
        return "login"
    if code == 403:
        return "deny"
    if code == 405:
        return "method"
    if code == 404:
        return "missing (404)"
    if code >= 500:
        return f"error ({code})"
    return "ok"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Uploaded PDFs (council materials, minutes …) and generated documents go to a temporary
    folder: rolling a request back does not remove the files it stored."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.KEIKAKU_DOCUMENTS_DIR = str(tmp_path / "documents")


def test_every_staff_url_for_every_role_and_denied_posts_change_nothing(settings, monkeypatch):
    settings.KEIKAKU_NOTIFY_EMAIL = False
    # Who may download a report or rebuild the plan documents is checked here; what they
    # contain in the apps' own tests. The renderers (seconds per call) are replaced by stubs.
    monkeypatch.setattr("keikaku.surveys.reports.report_pdf", lambda *a, **k: b"%PDF-1.7 stub")
    monkeypatch.setattr(
        "keikaku.reporting.evaluation_report.report_pdf", lambda *a, **k: b"%PDF-1.7 stub"
    )
    monkeypatch.setattr("keikaku.publication.documents.service.build_all", lambda **k: [])
    world = build_world()
    sql = _fingerprint_sql()
    from keikaku.core.models import AuditEvent

    failures: list[str] = []
    checked = 0
    for role in ROLES:
        user = world.users.get(role)
        client = Client()
        session_key = ""
        for case in all_cases():
            url = reverse(case.name, kwargs=case.kwargs(world)) + case.query
            where = f"{case.name}{' [' + case.label + ']' if case.label else ''} {url}"
            for method in ("GET", "POST"):
                expected = (case.get if method == "GET" else case.post)[role]
                if user is not None:
                    cookie = client.cookies.get("sessionid")
                    if cookie is None or cookie.value != session_key:
                        client.force_login(user)  # first, and again after signing out
                        session_key = client.cookies["sessionid"].value
                try:
                    with transaction.atomic():
                        before = fingerprint(sql) if method == "POST" else ()
                        audit_before = AuditEvent.objects.count()
                        try:
                            if method == "GET":
                                response = client.get(url)
                            else:
                                response = client.post(url, case.data(world))
                            got = classify(response)
                        except Exception as exc:  # noqa: BLE001 - reported below
                            got = f"error ({type(exc).__name__}: {exc})"
                            raise _Rollback from None
                        if method == "POST" and got != "ok":
                            if fingerprint(sql) != before or (
                                AuditEvent.objects.count() != audit_before
                            ):
                                failures.append(
                                    f"{where} POST as {role}: {got}, but the database changed"
                                )
                        raise _Rollback
                except _Rollback:
                    pass
                checked += 1
                if got != expected:
                    failures.append(f"{where} {method} as {role}: expected {expected}, got {got}")
    assert checked == len(ROLES) * len(all_cases()) * 2
    assert not failures, f"{len(failures)} of {checked} requests:\n" + "\n".join(failures)


def test_matrix_world_has_the_roles_it_claims():
    world = build_world()
    memberships = {
        role: sorted(Membership.objects.filter(user=user).values_list("body__name", "role"))
        for role, user in world.users.items()
    }
    assert memberships == {
        "reader": [],
        "member": [("第1専門部会", "member")],
        "lead": [("第1専門部会", "chair"), ("部会長会議", "member")],
        "headquarters": [("策定本部（本体会議）", "chair")],
        "secretariat": [("事務局", "member")],
        "council": [("経営会議", "chair")],
        "consultant": [("コンサルタント", "member")],
        "superuser": [],
    }
    assert ReviewComment.objects.get().author == world.users["reader"]
