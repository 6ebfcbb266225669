"""English mode of the public pages: dates and fiscal years without eras, vocabulary and
grading labels translated at display, Japanese pages unchanged.

The formatting functions themselves are tested in ``keikaku/core/tests/test_english_formats.py``;
these tests need the feature apps, which ``keikaku.core`` may not import.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from keikaku.core.domain.fiscal import format_fiscal_year


def test_survey_scale_labels_are_msgids() -> None:
    from keikaku.surveys.domain.scale import IMPORTANCE_LABELS, SATISFACTION_LABELS

    assert SATISFACTION_LABELS.msgids == {
        1: "満足",
        2: "やや満足",
        3: "どちらともいえない",
        4: "やや不満",
        5: "不満",
        9: "わからない",
    }
    assert IMPORTANCE_LABELS.msgids == {
        1: "重要",
        2: "やや重要",
        3: "どちらともいえない",
        4: "あまり重要でない",
        5: "重要でない",
        9: "わからない",
    }
    with translation.override("ja"):
        assert SATISFACTION_LABELS[1] == "満足"
        assert IMPORTANCE_LABELS[4] == "あまり重要でない"


def test_grading_label_list_matches_the_presets_file() -> None:
    from keikaku.evaluation import grading_labels

    data = json.loads(
        (Path(grading_labels.__file__).parent / "data" / "grading_presets.json").read_text(
            encoding="utf-8"
        )
    )
    texts = set()
    for scheme in data["schemes"]:
        texts.add(scheme["name"])
        texts.add(scheme["description"])
        texts.update(rule["description"] for rule in scheme["rules"])
    assert set(grading_labels.PRESET_TEXTS) == texts
    assert len(grading_labels.PRESET_TEXTS) == len(texts)
    assert grading_labels.translate_label("") == ""
    assert grading_labels.translate_label("市が書いた区分の説明") == "市が書いた区分の説明"


# --------------------------------------------------------------------------- pages


def _english() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
def test_council_filters_in_english_and_japanese() -> None:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Tokyo")
    template = Template(
        "{% load council_tags %}{{ d|jdate }}|{{ m|jdatetime }}|{{ m|jdeadline }}|{{ t|jtime }}"
        "|{{ s|jtime }}"
    )
    context = Context(
        {
            "d": dt.date(2024, 2, 8),
            "m": dt.datetime(2024, 2, 8, 14, 0, tzinfo=tz),
            "t": dt.time(14, 0),
            "s": "9:30",
        }
    )
    with translation.override("ja"):
        assert template.render(context) == (
            "2024年（令和6年）2月8日|2024年（令和6年）2月8日 14時00分"
            "|2024年（令和6年）2月8日 14時00分まで|14時00分|9時30分"
        )
    with translation.override("en"):
        until = translation.gettext("%(when)sまで") % {"when": "8 February 2024, 14:00"}
        assert template.render(context) == (
            f"8 February 2024|8 February 2024, 14:00|{until}|14:00|09:30"
        )


@pytest.mark.django_db
def test_council_meeting_page_in_english_has_no_era_dates() -> None:
    from keikaku.council.tests.factories import make_council, make_meeting

    meeting = make_meeting(make_council(), held_on=dt.date(2024, 2, 8))
    meeting.start_time, meeting.end_time = "14:00", "16:00"
    meeting.save()
    url = f"/council/meetings/{meeting.pk}/"
    english = _english().get(url).content.decode()
    assert "8 February 2024" in english
    assert "14:00" in english and "16:00" in english
    assert "令和" not in english
    japanese = Client().get(url).content.decode()
    assert "2024年（令和6年）2月8日" in japanese
    assert "14時00分～16時00分" in japanese


@pytest.mark.django_db
def test_sectoral_plans_page_in_english_shows_fy_periods() -> None:
    from keikaku.plans.tests.factories import make_staff
    from keikaku.resilience.models import SectoralPlan
    from keikaku.resilience.tests.factories import make_resilience

    setup = make_resilience()
    staff = Client()
    staff.force_login(make_staff())
    staff.post(
        "/staff/sectoral-plans/new/",
        {
            "name": "子ども・子育て支援事業計画（第3期）",
            "series": "子ども・子育て支援事業計画",
            "department": setup.small.department.pk,
            "start_fy": "2025",
            "end_fy": "2029",
            "status": "current",
            "url": "https://example.jp/plan",
            "measures": [setup.small.measure.pk],
        },
    )
    assert SectoralPlan.objects.count() == 1
    assert staff.post("/staff/sectoral-plans/publish/").status_code == 302
    english = _english().get("/sectoral-plans/").content.decode()
    assert "FY2025–2029" in english
    assert "令和" not in english
    japanese = Client().get("/sectoral-plans/").content.decode()
    assert "令和7（2025）年度～令和11（2029）年度" in japanese


@pytest.mark.django_db
def test_resilience_map_page_in_english_shows_the_fy_of_the_edition() -> None:
    from keikaku.resilience import services
    from keikaku.resilience.tests.factories import make_resilience

    setup = make_resilience()
    services.site_create(entry=setup.entry, actor="t", name="中央通り線", lat=35.934, lon=139.393)
    services.action_plan_publish(action_plan=setup.action_plan, actor="t")
    fy = setup.action_plan.fiscal_year
    english = _english().get("/resilience/").content.decode()
    with translation.override("en"):
        edition = translation.gettext("%(fy)s版") % {"fy": f"FY{fy}"}
    meta = english.split('<p class="meta">', 1)[1].split("</p>", 1)[0]
    assert meta.startswith(edition + "　")
    assert "令和" not in meta  # (the plan's title is content: the factory's is Japanese)
    japanese = Client().get("/resilience/").content.decode()
    assert f"{format_fiscal_year(fy)}版" in japanese


def _progress_world() -> Any:
    """A formulation with one public task in May 2024 (shown on /progress/)."""
    from keikaku.workflow.models import Task
    from keikaku.workflow.tests.factories import make_world

    world = make_world()
    Task.objects.create(
        phase=world.phase,
        title="パブリックコメントの実施",
        kind="participation",
        start=dt.date(2024, 5, 1),
        end=dt.date(2024, 5, 31),
        is_public=True,
    )
    return world


@pytest.mark.django_db
def test_progress_page_keeps_its_japanese_ranges() -> None:
    _progress_world()
    html = Client().get("/progress/").content.decode()
    # the timeline entry: 「title（kind、start～end、status）」, the range as before
    assert "、令和6年5月1日～令和6年5月31日、" in html


@pytest.mark.django_db
def test_evaluation_public_pages_translate_published_labels() -> None:
    from keikaku.evaluation import services
    from keikaku.evaluation.models import MeasureEvaluation
    from keikaku.evaluation.tests.factories import make_former_plan, make_user

    fp = make_former_plan()
    jim = make_user("jim", secretariat=True, publisher=True, full_name="𠮷田 花子")
    round_ = services.round_create(edition=fp.edition, fiscal_year=2024, actor=jim, is_final=True)
    sheet = MeasureEvaluation.objects.get(round=round_, measure__code="1-1")
    services.sheet_update(
        sheet=sheet,
        actor=jim,
        expected_version=None,
        changes={"results": "成果", "direction": "continue", "direction_note": "続けます。"},
    )
    services.sheet_submit(sheet=sheet, actor=jim, expected_version=None)
    services.sheet_confirm(sheet=sheet, actor=jim, expected_version=None)
    services.round_publish(round_=round_, actor=jim)

    japanese = Client().get("/evaluation/2024/measures/1-1/").content.decode()
    assert "<h3>今後の方向性：継続</h3>" in japanese
    english = _english().get("/evaluation/2024/measures/1-1/").content.decode()
    with translation.override("en"):
        heading = translation.gettext("今後の方向性：%(d)s") % {"d": translation.gettext("継続")}
        assert translation.gettext("継続") == "Continue"  # already in the catalogue
    assert f"<h3>{heading}</h3>" in english
    assert "継続" not in english
    # the indicator charts count years, not eras: 2024 (Japanese: R6)
    assert ">R6</text>" in japanese
    assert ">2024</text>" in english and ">R6</text>" not in english

    report_ja = Client().get("/evaluation/2024/").content.decode()
    report_en = _english().get("/evaluation/2024/").content.decode()
    assert "前期基本計画 検証報告書" in report_ja
    with translation.override("en"):
        title = translation.gettext("%(edition)s 検証報告書") % {"edition": "前期基本計画"}
        described = [translation.gettext(t) for t in ("達成（目標値に到達している）",)]
    assert f"<h1>{title}</h1>" in report_en
    for text in described:
        assert text in report_en


@pytest.mark.django_db
def test_progress_page_in_english_has_no_japanese_era() -> None:
    world = _progress_world()
    html = _english().get("/progress/").content.decode()
    assert "1 May 2024 – 31 May 2024" in html
    assert f"FY{world.phase.fiscal_year} " in html  # the quarter's label, e.g. FY2024 Apr–Jun
    assert "令和" not in html
    assert "年度" not in html
