"""Survey pages: the citizens' answering flow, the published summary, staff design, paper
entry and import, results and reports, and who may do what."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.urls import reverse

from keikaku.surveys import services
from keikaku.surveys.domain.codes import format_code
from keikaku.surveys.domain.synthetic import synthetic_rows
from keikaku.surveys.models import AccessCode, SurveyQuestion, SurveyResponse, SurveyWave
from keikaku.surveys.selectors import wave_spec
from keikaku.surveys.tests.factories import ACTOR, make_designer, make_wave

pytestmark = pytest.mark.django_db


def _answered_wave(n: int = 60, **fields) -> SurveyWave:
    wave = make_wave(**fields)
    rows = synthetic_rows(wave_spec(wave), n, seed=3)
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(wave=wave, respondent_id=r, channel="paper_import", answers=c)
            for r, c in rows
        ]
    )
    return wave


# --- citizens ---------------------------------------------------------------------------


def test_citizen_answers_with_a_code_page_by_page(client):
    wave = make_wave()
    (code,) = services.access_codes_generate(wave=wave, actor=ACTOR, count=1)
    entry = reverse("survey:entry")
    assert client.get(entry).status_code == 200
    response = client.post(entry, {"code": format_code(code.code).lower()})
    assert response["Location"] == reverse("survey:page", args=[1])
    page1 = client.get(reverse("survey:page", args=[1]))
    assert "5ページ中 1ページ目" in page1.content.decode()
    # an invalid choice keeps the page and says where
    bad = client.post(reverse("survey:page", args=[1]), {"gender": "9", "nav": "next"})
    assert bad.status_code == 200
    assert (
        "あなたの性別を教えてください。：選択肢の中から1つ選んでください。" in bad.content.decode()
    )
    ok = client.post(
        reverse("survey:page", args=[1]), {"gender": "2", "district": "1", "nav": "next"}
    )
    assert ok["Location"] == reverse("survey:page", args=[2])
    client.post(
        reverse("survey:page", args=[2]), {"overall": "2", "Q_ATTRACT": ["1", "3"], "nav": "next"}
    )
    client.post(reverse("survey:page", args=[3]), {"S:1-1": "1", "I:1-1": "2", "nav": "next"})
    client.post(reverse("survey:page", args=[4]), {"nav": "next"})
    last = client.post(
        reverse("survey:page", args=[5]), {"free_text": "公園を増やして（髙橋）", "nav": "next"}
    )
    assert last["Location"] == reverse("survey:confirm")
    confirm = client.get(reverse("survey:confirm")).content.decode()
    assert "女性" in confirm and "交通の便がよい、買い物が便利" in confirm
    done = client.post(reverse("survey:submit"))
    assert done["Location"] == reverse("survey:done")
    assert "回答を受け付けました" in client.get(reverse("survey:done")).content.decode()
    response = SurveyResponse.objects.get(wave=wave)
    assert response.answers == {
        "gender": "女性", "district": "北部地区", "overall": "2", "Q_ATTRACT": "1;3",
        "S:1-1": "1", "I:1-1": "2", "free_text": "公園を増やして（髙橋）",
    }  # fmt: skip
    # the code cannot be used again
    again = client.post(entry, {"code": code.code})
    assert "この回答用コードはすでに使われています" in again.content.decode()


def test_resuming_with_the_code_continues_where_the_citizen_stopped(client):
    wave = make_wave()
    (code,) = services.access_codes_generate(wave=wave, actor=ACTOR, count=1)
    client.post(reverse("survey:entry"), {"code": code.code})
    client.post(reverse("survey:page", args=[1]), {"gender": "1", "nav": "next"})
    client.post(reverse("survey:page", args=[2]), {"overall": "3", "nav": "next"})
    other = type(client)()
    resumed = other.post(reverse("survey:entry"), {"code": code.code})
    assert resumed["Location"] == reverse("survey:page", args=[3])
    page1 = other.get(reverse("survey:page", args=[1])).content.decode()
    assert 'value="1" checked' in page1


def test_second_submission_from_another_browser_stores_nothing(client):
    wave = make_wave()
    (code,) = services.access_codes_generate(wave=wave, actor=ACTOR, count=1)
    other = type(client)()
    for c in (client, other):
        c.post(reverse("survey:entry"), {"code": code.code})
    client.post(reverse("survey:page", args=[2]), {"overall": "1", "nav": "next"})
    assert client.post(reverse("survey:submit")).status_code == 302
    second = other.post(reverse("survey:submit"))
    assert second.status_code == 409
    assert "今回の送信は保存していません" in second.content.decode()
    assert SurveyResponse.objects.filter(wave=wave).count() == 1


def test_unknown_codes_are_refused_and_repeated_failures_are_slowed(client):
    make_wave()
    page = client.post(reverse("survey:entry"), {"code": "ABCD-2346"}).content.decode()
    assert "この回答用コードは見つかりません。" in page
    for _i in range(30):
        client.post(reverse("survey:entry"), {"code": "ABCD-2346"})
    page = client.post(reverse("survey:entry"), {"code": "ABCD-2346"}).content.decode()
    assert "しばらく受け付けを止めています" in page


def test_answer_pages_need_a_code_and_an_open_wave(client):
    wave = make_wave()
    assert client.get(reverse("survey:page", args=[1]))["Location"] == reverse("survey:entry")
    (code,) = services.access_codes_generate(wave=wave, actor=ACTOR, count=1)
    services.wave_set_status(wave=wave, actor=ACTOR, status="closed")
    page = client.post(reverse("survey:entry"), {"code": code.code}).content.decode()
    assert "「令和7年度 市民意識調査」はいま回答を受け付けていません。" in page


def test_published_summary_is_public_and_suppresses_small_districts(client):
    wave = _answered_wave(60, summary_public=True)
    services.wave_set_status(wave=wave, actor=ACTOR, status="closed")
    page = client.get(reverse("survey:results", args=[wave.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "重要度と満足度のポートフォリオ" in html and "<svg" in html
    assert "＊" in html  # 60 respondents over 5 districts: some cells are below 10
    assert wave.title in client.get(reverse("survey:results_index")).content.decode()
    SurveyWave.objects.filter(pk=wave.pk).update(summary_public=False)
    from django.core.cache import cache

    cache.clear()
    assert client.get(reverse("survey:results", args=[wave.pk])).status_code == 404


# --- staff ------------------------------------------------------------------------------


def test_staff_pages_render_for_staff_and_are_closed_to_others(client):
    wave = _answered_wave(30)
    names = [
        ("staff:survey_list", []),
        ("staff:survey_detail", [wave.pk]),
        ("staff:survey_codes", [wave.pk]),
        ("staff:survey_responses", [wave.pk]),
        ("staff:survey_results", [wave.pk]),
        ("staff:survey_preview", [wave.pk, 3]),
        ("staff:survey_indicators", [wave.pk]),
    ]
    for name, args in names:
        assert client.get(reverse(name, args=args)).status_code == 302  # to the login page
    from keikaku.plans.tests.factories import make_staff

    make_staff("viewer", publish=False)
    client.login(username="viewer", password="pass-for-tests-1")
    for name, args in names:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    # a staff member without the survey permission cannot design or key in
    for name in ("staff:survey_create", "staff:survey_entry"):
        args = [] if name == "staff:survey_create" else [wave.pk]
        assert client.get(reverse(name, args=args)).status_code == 403
    response = client.post(reverse("staff:survey_status", args=[wave.pk]), {"status": "closed"})
    assert response.status_code == 403
    wave.refresh_from_db()
    assert wave.status == "open"


def test_designer_creates_a_wave_with_the_standard_questionnaire(client):
    from keikaku.surveys.tests.factories import make_plan

    plan = make_plan()
    make_designer()
    client.login(username="chosa", password="pass-for-tests-1")
    response = client.post(
        reverse("staff:survey_create"),
        {
            "edition": plan.edition.pk,
            "fiscal_year": 2026,
            "title": "令和8年度 市民意識調査",
            "method": "mail_web",
            "label_set": "ryoiki",
            "suppression_threshold": 10,
            "populate": "on",
        },
    )
    wave = SurveyWave.objects.get(title="令和8年度 市民意識調査")
    assert response["Location"] == reverse("staff:survey_detail", args=[wave.pk])
    assert SurveyQuestion.objects.filter(wave=wave, kind="measure").count() == 3
    section = wave.sections.first()
    added = client.post(
        reverse("staff:survey_question_create", args=[wave.pk]),
        {
            "section": section.pk,
            "kind": "multiple",
            "code": "Q10",
            "title": "よく使う施設",
            "options": "図書館\n体育館\n公民館",
            "max_picks": 2,
            "scale": "satisfaction",
        },
    )
    assert added.status_code == 302
    q = SurveyQuestion.objects.get(wave=wave, code="Q10")
    assert (q.options, q.max_picks) == (["図書館", "体育館", "公民館"], 2)
    preview = client.get(reverse("staff:survey_preview", args=[wave.pk, 1])).content.decode()
    assert "プレビューです。回答は保存されません。" in preview and "よく使う施設" in preview


def test_codes_csv_for_the_mail_merge(client):
    wave = make_wave()
    make_designer()
    client.login(username="chosa", password="pass-for-tests-1")
    client.post(reverse("staff:survey_codes", args=[wave.pk]), {"count": 3})
    data = client.get(reverse("staff:survey_codes_csv", args=[wave.pk]) + "?batch=1").content
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "通し番号,回答用コード,発行回,回答ページ"
    codes = [line.split(",")[1] for line in lines[1:]]
    assert codes == [
        format_code(c.code) for c in AccessCode.objects.filter(wave=wave).order_by("id")
    ]
    assert lines[1].endswith(",1,http://testserver/survey/")


def test_paper_entry_screen_shows_errors_by_field_and_stores_valid_rows(client):
    wave = make_wave()
    make_designer()
    client.login(username="chosa", password="pass-for-tests-1")
    url = reverse("staff:survey_entry", args=[wave.pk])
    page = client.get(url).content.decode()
    assert 'data-allowed="1 2 3 4 5 9"' in page and "surveys/entry.js" in page
    bad = client.post(url, {"respondent_id": "P1", "S:1-1": "7", "gender": "5"}).content.decode()
    assert "「7」は回答コードとして使えません。" in bad
    assert "「5」は属性「gender」の区分にありません。" in bad
    assert not SurveyResponse.objects.exists()
    ok = client.post(url, {"respondent_id": "P1", "S:1-1": "2", "gender": "3"})
    assert ok.status_code == 302
    stored = SurveyResponse.objects.get(respondent_id="P1")
    assert stored.answers == {"S:1-1": "2", "gender": "その他・答えたくない"}
    assert stored.channel == "paper_entry" and stored.entered_by.username == "chosa"


def test_import_page_lists_every_problem_and_stores_nothing(client):
    wave = make_wave()
    make_designer()
    client.login(username="chosa", password="pass-for-tests-1")
    header = ",".join(wave_spec(wave).columns())
    blank = "," * (len(wave_spec(wave).columns()) - 1)
    text = f"{header}\nP1{blank}\nP1{blank}\n"
    upload = io.BytesIO(text.encode("cp932"))
    upload.name = "回答.csv"
    page = client.post(reverse("staff:survey_import", args=[wave.pk]), {"file": upload})
    html = page.content.decode()
    assert "1件の誤りがあります。何も取り込んでいません。" in html
    assert "回答者ID「P1」が重複しています（2行目と同じ）。IDを見直してください。" in html
    assert not SurveyResponse.objects.exists()
    template = client.get(reverse("staff:survey_import_template", args=[wave.pk])).content
    assert template.decode("utf-8-sig").strip() == header


def test_results_page_with_a_crosstab_and_the_reports(client, tmp_path):
    wave = _answered_wave(120)
    make_designer()
    client.login(username="chosa", password="pass-for-tests-1")
    html = client.get(
        reverse("staff:survey_results", args=[wave.pk]) + "?by=age_band"
    ).content.decode()
    assert "施策の満足度（評価点）の" in html and "あなたの年齢を教えてください。別" in html
    assert html.count("<svg") >= 3

    from openpyxl import load_workbook

    data = client.get(reverse("staff:survey_report_xlsx", args=[wave.pk])).content
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["概要", "施策の満足度と重要度", "単純集計", "クロス集計"]
    assert book["概要"]["A1"].value == "令和7年度 市民意識調査"
    assert (book["概要"]["A7"].value, book["概要"]["B7"].value) == ("回答数", "120")
    assert book["施策の満足度と重要度"]["A2"].value == "1-1 子育て支援の充実"
    assert isinstance(book["施策の満足度と重要度"]["B2"].value, float)

    pdf = client.get(reverse("staff:survey_report_pdf", args=[wave.pk])).content
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    assert shutil.which("pdftotext"), "poppler-utils (scripts/ensure-test-system-deps)"
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "令和7年度 市民意識調査 報告書" in text
    assert "重要度と満足度のポートフォリオ" in text
    assert "子育て支援の充実" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "Noto-Sans-CJK-JP" in fonts


def test_responses_csv_round_trips_through_the_import(client):
    wave = _answered_wave(25)
    make_designer()
    client.login(username="chosa", password="pass-for-tests-1")
    data = client.get(reverse("staff:survey_responses_csv", args=[wave.pk])).content
    other = services.wave_copy(source=wave, actor=ACTOR, fiscal_year=2026, title="別の調査")
    services.wave_set_status(wave=other, actor=ACTOR, status="open")
    outcome = services.responses_import(wave=other, data=data, filename="x.csv", actor=ACTOR)
    assert outcome.problems == ()
    assert sorted(outcome.rows) == sorted(
        (r.respondent_id, r.answers) for r in SurveyResponse.objects.filter(wave=wave)
    )
