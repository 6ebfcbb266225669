"""Builders for survey tests: a small plan with two areas and three measures, and a wave."""

from __future__ import annotations

from keikaku.plans import models as pm
from keikaku.plans.tests.factories import SmallPlan, make_small_plan, make_staff
from keikaku.surveys import services
from keikaku.surveys.models import SurveyWave

ACTOR = "test"


def make_plan() -> SmallPlan:
    """make_small_plan (measure 1-1 in area 1) plus measure 1-2 and area 2 with measure 2-1."""
    plan = make_small_plan()
    pm.Measure.objects.create(area=plan.area, code="1-2", order=2, title="学校教育の充実")
    area2 = pm.PolicyArea.objects.create(edition=plan.edition, number=2, title="健康・福祉")
    pm.Measure.objects.create(area=area2, code="2-1", order=1, title="健康づくりの推進")
    return plan


def make_wave(plan: SmallPlan | None = None, *, status: str = "open", **fields) -> SurveyWave:
    plan = plan or make_plan()
    defaults = {
        "fiscal_year": 2025,
        "title": "令和7年度 市民意識調査",
        "population": 59000,
        "sample_size": 3000,
    }
    defaults.update(fields)
    wave = services.wave_create(actor=ACTOR, edition=plan.edition, **defaults)
    services.wave_populate_default(wave=wave, actor=ACTOR)
    if status != "draft":
        services.wave_update(
            wave=wave, actor=ACTOR, expected_version=wave.version, changes={"status": status}
        )
        wave.refresh_from_db()
    return wave


def make_designer(username: str = "chosa"):
    from django.contrib.auth.models import Permission

    user = make_staff(username, full_name="𠮷田 花子")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="surveys",
            codename__in=["change_surveywave", "add_surveyresponse"],
        )
    )
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user.pk)
