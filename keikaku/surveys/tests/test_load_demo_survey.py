"""keikaku load-demo-survey: seeded, illustrative, idempotent, linked to the plan's KPIs."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from keikaku.plans.models import IndicatorValue
from keikaku.surveys.models import AccessCode, IndicatorSource, SurveyResponse, SurveyWave
from keikaku.surveys.tests.factories import make_plan

pytestmark = pytest.mark.django_db


def test_demo_survey_is_loaded_once_with_seeded_answers():
    plan = make_plan()
    plan.indicator.survey_based = True
    plan.indicator.save()
    out = StringIO()
    call_command("load_demo_survey", "--responses", "120", stdout=out)
    assert out.getvalue().strip() == (
        "デモの調査を作りました: 令和5年度 市民意識調査（デモ）（回答 120人、架空のデータ）。"
    )
    wave = SurveyWave.objects.get(fiscal_year=2023)
    assert (wave.status, wave.is_illustrative, wave.summary_public) == ("closed", True, True)
    first = dict(SurveyResponse.objects.filter(wave=wave).values_list("respondent_id", "answers"))
    assert len(first) == 120
    assert IndicatorSource.objects.get(indicator=plan.indicator).metric == "satisfaction_top2"
    assert IndicatorValue.objects.filter(indicator=plan.indicator, fiscal_year=2023).exists()
    open_wave = SurveyWave.objects.get(fiscal_year=2025)
    assert (open_wave.status, open_wave.copied_from_id) == ("open", wave.pk)
    assert AccessCode.objects.filter(wave=open_wave, used_at__isnull=True).count() == 20

    again = StringIO()
    call_command("load_demo_survey", stdout=again)
    assert "何も変えていません" in again.getvalue()
    assert SurveyWave.objects.count() == 2
    assert SurveyResponse.objects.count() == 120

    # the same seed gives the same answers
    SurveyWave.objects.all().delete()
    call_command("load_demo_survey", "--responses", "120", stdout=StringIO())
    wave = SurveyWave.objects.get(fiscal_year=2023)
    assert (
        dict(SurveyResponse.objects.filter(wave=wave).values_list("respondent_id", "answers"))
        == first
    )


def test_demo_survey_needs_the_demo_plan():
    with pytest.raises(CommandError) as exc:
        call_command("load_demo_survey")
    assert str(exc.value) == (
        "デモの自治体の後期基本計画がありません。先に keikaku load-demo を実行するか、--edition で基本計画のIDを指定してください。"
    )
