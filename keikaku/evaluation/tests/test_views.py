"""Staff and public evaluation pages (Django test client)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from keikaku.core.models import AuditEvent
from keikaku.evaluation import services
from keikaku.evaluation.models import EvaluationRound, MeasureEvaluation, ProgrammeEvaluation
from keikaku.evaluation.tests.factories import make_former_plan, make_user
from keikaku.plans.models import Edition, IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def env(client):
    fp = make_former_plan()
    jim = make_user("jim", secretariat=True, publisher=True, full_name="𠮷田 花子")
    child = make_user("child", department=fp.child_section)
    round_ = services.round_create(edition=fp.edition, fiscal_year=2024, actor=jim, is_final=True)
    return fp, round_, jim, child


def test_staff_pages_render(client, env) -> None:
    fp, round_, jim, _child = env
    client.force_login(jim)
    sheet = MeasureEvaluation.objects.get(round=round_, measure__code="1-1")
    psheet = ProgrammeEvaluation.objects.get(round=round_, programme__code="P-1")
    urls = [
        reverse("staff:evaluation_home"),
        reverse("staff:evaluation_round", args=[round_.pk]),
        reverse("staff:evaluation_round_edit", args=[round_.pk]),
        reverse("staff:evaluation_measure_sheet", args=[round_.pk, sheet.pk]),
        reverse("staff:evaluation_programme_sheet", args=[round_.pk, psheet.pk]),
        reverse("staff:evaluation_upload", args=[round_.pk]),
        reverse("staff:evaluation_grid", args=[round_.pk]),
        reverse("staff:evaluation_carry_over"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(urls[1]).content.decode()
    assert "前期基本計画 検証報告書" in page
    assert "要注意の施策" in page
    assert "1-1 子育て支援の充実" in page


def test_anonymous_and_non_staff(client, env) -> None:
    _fp, round_, _jim, _child = env
    url = reverse("staff:evaluation_round", args=[round_.pk])
    assert client.get(url).status_code == 302
    from django.contrib.auth import get_user_model

    citizen = get_user_model().objects.create_user("citizen", password="x-pass-12345")
    client.force_login(citizen)
    assert client.get(url).status_code == 403


def test_department_cannot_edit_other_measure(client, env) -> None:
    _fp, round_, _jim, child = env
    client.force_login(child)
    sheet = MeasureEvaluation.objects.get(round=round_, measure__code="2-1")
    url = reverse("staff:evaluation_measure_sheet", args=[round_.pk, sheet.pk])
    events = AuditEvent.objects.count()
    response = client.post(url, {"action": "save", "version": "1", "results": "書き換え"})
    assert response.status_code == 403
    response = client.post(url, {"action": "submit", "version": "1"})
    assert response.status_code == 403
    sheet.refresh_from_db()
    assert (sheet.results, sheet.status, sheet.version) == ("", "draft", 1)
    assert AuditEvent.objects.count() == events
    # publishing is for the secretariat only
    response = client.post(reverse("staff:evaluation_round_publish", args=[round_.pk]))
    assert response.status_code == 403
    assert not EvaluationRound.objects.get(pk=round_.pk).published_at


def test_department_saves_and_submits_own_sheet(client, env) -> None:
    _fp, round_, jim, child = env
    client.force_login(child)
    sheet = MeasureEvaluation.objects.get(round=round_, measure__code="1-1")
    url = reverse("staff:evaluation_measure_sheet", args=[round_.pk, sheet.pk])
    form = client.get(url).content.decode()
    assert 'name="external_comment"' not in form  # the council's comment is the secretariat's
    response = client.post(
        url,
        {
            "action": "save",
            "version": "1",
            "results": "拠点の利用者が増えました。",
            "issues": "",
            "direction": "continue",
            "direction_note": "",
            "internal_grade": "○",
            "grade_reason": "",
            "external_comment": "勝手に書いた意見",
        },
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.results, sheet.internal_grade, sheet.external_comment) == (
        "拠点の利用者が増えました。",
        "○",
        "",
    )
    # a stale form is refused with the Japanese message and nothing changes
    response = client.post(url, {"action": "save", "version": "1", "results": "古い画面から"})
    assert response.status_code == 200
    assert "この内容は編集中に" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.results == "拠点の利用者が増えました。"
    response = client.post(url, {"action": "submit", "version": str(sheet.version)})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == "submitted"
    client.force_login(jim)
    response = client.post(url, {"action": "confirm", "version": str(sheet.version)})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == "confirmed"


def _upload_file(rows: list[list[object]]) -> io.BytesIO:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "実績値"
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    buf.seek(0)
    buf.name = "actuals.xlsx"
    return buf


def test_upload_preview_confirm(client, env) -> None:
    fp, round_, jim, _child = env
    client.force_login(jim)
    url = reverse("staff:evaluation_upload", args=[round_.pk])
    bad = _upload_file([["指標番号", "年度", "実績値"], ["1-1-1", 2024, "abc"], ["X", 2024, 1]])
    response = client.post(url, {"file": bad, "action": "preview"})
    page = response.content.decode()
    assert "保存できません。次の 2 件の問題を直してから" in page
    assert "「abc」を数値として読み取れません" in page
    assert "指標番号「X」はこの基本計画の成果指標にありません" in page
    good = _upload_file([["指標番号", "年度", "実績値"], ["1-1-1", 2024, 50], ["2-1-1", 2024, 66]])
    response = client.post(url, {"file": good, "action": "preview"})
    page = response.content.decode()
    assert "実績値 2 件、事業費 0 件、人件費 0 件を変更（変更なし 0 件）" in page
    assert "施策 2-1 健康づくりの推進：× → ◎" in page
    assert (
        IndicatorValue.objects.get(indicator=fp.indicators["1-1-1"], fiscal_year=2024).value == 48
    )
    token = client.session["evaluation_upload_pending"]["token"]
    response = client.post(url, {"action": "confirm", "token": token})
    assert response.status_code == 302
    assert (
        IndicatorValue.objects.get(indicator=fp.indicators["1-1-1"], fiscal_year=2024).value == 50
    )
    assert (
        IndicatorValue.objects.get(indicator=fp.indicators["2-1-1"], fiscal_year=2024).value == 66
    )


def test_upload_template_round_trips(client, env) -> None:
    _fp, round_, _jim, child = env
    client.force_login(child)
    response = client.get(reverse("staff:evaluation_upload_template", args=[round_.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = book["実績値"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    # the department user gets only their measures' indicators (1-1, 1-2)
    assert [r[0] for r in rows[1:]] == ["1-1-1", "1-1-2", "1-2-1", "1-2-2"]
    assert rows[1][:4] == ["1-1-1", "地域子育て拠点の利用者数", 2024, 48]
    assert [r[0] for r in list(book["事業費"].iter_rows(values_only=True))[1:]] == ["P-1"]
    # uploading the template unchanged changes nothing
    upload = io.BytesIO(response.content)
    upload.name = "template.xlsx"
    page = client.post(
        reverse("staff:evaluation_upload", args=[round_.pk]), {"file": upload}
    ).content.decode()
    assert "実績値 0 件、事業費 0 件、人件費 0 件を変更（変更なし 5 件）" in page


def test_grid_saves_all_or_nothing(client, env) -> None:
    fp, round_, _jim, child = env
    client.force_login(child)
    url = reverse("staff:evaluation_grid", args=[round_.pk])
    page = client.get(url).content.decode()
    assert 'src="/static/evaluation/grid.js"' in page
    i111, i121 = fp.indicators["1-1-1"], fp.indicators["1-2-1"]
    v111 = IndicatorValue.objects.get(indicator=i111, fiscal_year=2024)
    data = {
        f"v-{i111.pk}": "49",
        f"ver-{i111.pk}": str(v111.version),
        f"v-{i121.pk}": "three",
        f"ver-{i121.pk}": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "「three」を数値として読み取れません" in text
    assert IndicatorValue.objects.get(pk=v111.pk).value == 48  # nothing written
    data[f"v-{i121.pk}"] = "４"  # full-width digits are fine
    response = client.post(url, data)
    assert response.status_code == 302
    assert IndicatorValue.objects.get(pk=v111.pk).value == 49
    assert IndicatorValue.objects.get(indicator=i121, fiscal_year=2024).value == 4


def test_public_pages_show_published_only(client, env) -> None:
    fp, round_, jim, _child = env
    assert client.get("/evaluation/2024/").status_code == 404
    assert "公開されている評価結果はまだありません" in client.get("/evaluation/").content.decode()
    sheet = MeasureEvaluation.objects.get(round=round_, measure__code="1-1")
    services.sheet_update(
        sheet=sheet, actor=jim, expected_version=None, changes={"results": "下書きの成果"}
    )
    services.round_publish(round_=round_, actor=jim)
    page = client.get("/evaluation/2024/").content.decode()
    assert "前期基本計画 検証報告書" in page
    assert "/evaluation/2024/report.pdf" in page
    measure = client.get("/evaluation/2024/measures/1-1/").content.decode()
    assert "下書きの成果" not in measure
    assert "評価シートは確認中です。" in measure
    assert "地域子育て拠点の利用者数 の推移" in measure
    assert "基準値" in measure and "目標値" in measure
    assert client.get("/evaluation/2024/measures/9-9/").status_code == 404
    # confirmation + republish shows the text (and the page cache is invalidated)
    services.sheet_submit(sheet=sheet, actor=jim, expected_version=None)
    services.sheet_confirm(sheet=sheet, actor=jim, expected_version=None)
    services.round_publish(round_=round_, actor=jim)
    assert "下書きの成果" in client.get("/evaluation/2024/measures/1-1/").content.decode()


def test_public_excel_download(client, env) -> None:
    _fp, round_, jim, _child = env
    services.round_publish(round_=round_, actor=jim)
    response = client.get("/evaluation/2024/report.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    # keikaku.reporting's tests hold the workbook's exact layout; here: it is the report
    assert {
        "概要",
        "政策分野別",
        "施策別評価",
        "成果指標",
        "年度別実績値",
        "事務事業",
        "要注意の施策",
    } <= set(book.sheetnames)
    assert client.get("/evaluation/2023/report.xlsx").status_code == 404


def test_carry_over_and_comparison_views(client, env) -> None:
    fp, _round, jim, child = env
    client.force_login(child)
    assert client.get(reverse("staff:evaluation_carry_over")).status_code == 403
    client.force_login(jim)
    response = client.post(
        reverse("staff:evaluation_carry_over"),
        {
            "former": fp.edition.pk,
            "title": "後期基本計画",
            "start_fy": 2025,
            "end_fy": 2029,
            "restart_cumulative": "on",
        },
    )
    latter = Edition.objects.get(kind="latter")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:evaluation_comparison", args=[latter.pk])
    page = client.get(response["Location"]).content.decode()
    assert "前期基本計画 と 後期基本計画 の比較" in page
    csv = client.get(reverse("staff:evaluation_comparison_download", args=[latter.pk, "csv"]))
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("対象,区分,前期の施策番号")
    assert "成果指標,変更,1-1,1-1-1,地域子育て拠点の利用者数" in text
    xlsx = client.get(reverse("staff:evaluation_comparison_download", args=[latter.pk, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["施策の変更", "重点戦略の変更", "事務事業の変更", "成果指標の変更"]
