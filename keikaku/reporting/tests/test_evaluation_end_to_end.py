"""End to end: upload a year's actuals (Excel) → grades change → the report's PDF text and
Excel cells show the new grades. Uses the staff pages, as a department would."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from keikaku.evaluation import services
from keikaku.evaluation.models import ProgrammeEvaluation, ProgrammeIndicator
from keikaku.evaluation.tests.factories import add_strategies, make_former_plan, make_user
from keikaku.plans.models import IndicatorValue
from keikaku.reporting.pdf import pdf_text

pytestmark = pytest.mark.django_db

ACTUALS = ["指標番号", "指標名", "年度", "実績値", "時点", "備考"]
COSTS = [
    "事業番号",
    "事業名",
    "年度",
    "区分",
    "事業費（千円）",
    "国庫支出金（千円）",
    "県支出金（千円）",
    "地方債（千円）",
    "その他（千円）",
    "一般財源（千円）",
    "人件費（千円）",
]


def workbook(actuals: list[list[object]], costs: list[list[object]]) -> io.BytesIO:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "実績値"
    for row in [ACTUALS, *actuals]:
        ws.append(row)
    ws = book.create_sheet("事業費")
    for row in [COSTS, *costs]:
        ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    buf.seek(0)
    buf.name = "令和6年度実績.xlsx"
    return buf


def excel_grades(content: bytes) -> tuple[dict[str, str], dict[str, str]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    measures = {}
    ws = book["施策別評価"]
    header = [c.value for c in ws[3]]
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[1]:
            measures[row[1]] = row[header.index("評価")]
    indicators = {}
    ws = book["成果指標"]
    header = [c.value for c in ws[3]]
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[1]:
            indicators[row[1]] = row[header.index("評価")]
    return measures, indicators


def make_pdf(client, round_, capture) -> str:
    """Click 「PDF を作る」 (the background task runs at once in tests) and download the file."""
    with capture(execute=True):
        response = client.post(reverse("staff:evaluation_report_file", args=[round_.pk]))
    assert response.status_code == 302
    state = client.get(reverse("staff:evaluation_report_file_status", args=[round_.pk])).json()
    assert (state["status"], state["stale"]) == ("done", False), state
    download = client.get(state["download_url"])
    assert download["Content-Type"] == "application/pdf"
    return pdf_text(download.content)


def test_upload_changes_grades_in_pdf_and_excel(client, django_capture_on_commit_callbacks) -> None:
    fp = make_former_plan()
    secretariat = make_user("jim", secretariat=True, full_name="𠮷田 花子")
    health = make_user("kenko", department=fp.health_section, full_name="鈴木 次郎")
    round_ = services.round_create(
        edition=fp.edition, fiscal_year=2024, actor=secretariat, is_final=True
    )
    xlsx_url = reverse("staff:evaluation_report", args=[round_.pk, "xlsx"])
    upload_url = reverse("staff:evaluation_upload", args=[round_.pk])
    client.force_login(health)

    measures, indicators = excel_grades(client.get(xlsx_url).content)
    assert measures == {"1-1": "○", "1-2": "◎", "2-1": "×"}
    assert indicators["2-1-1"] == "×"
    assert indicators["2-1-2"] == "−"

    # 1. A file with problems: every one is located, nothing is written.
    bad = workbook(
        actuals=[
            ["2-1-1", "健康だと感じる市民の割合", 2024, "６６．０", None, None],
            ["2-1-2", "特定健診の受診率", "令和5年度", 40, None, None],
            ["1-1-1", "地域子育て拠点の利用者数", 2024, 50, None, None],
        ],
        costs=[["P-2", "健康マイレージ事業", 2024, "決算", 5000, 0, 0, 0, 0, 4000, 900]],
    )
    page = client.post(upload_url, {"file": bad, "action": "preview"}).content.decode()
    assert "保存できません。次の 3 件の問題を直してから" in page
    assert "2024年度の値だけを取り込めます" in page  # 実績値 row 3, column C
    assert "（施策 1-1）の実績値を入力する権限がありません" in page  # another department's KPI
    assert "財源内訳の合計（4,000 千円）が事業費（5,000 千円）と一致しません" in page
    problems = re.findall(
        r"<td>(実績値|事業費)(?:<br><small>[^<]*</small>)?</td>\s*<td class=\"num\">(\d+)</td>\s*<td>([A-Z])列",
        page,
    )
    assert problems == [("実績値", "3", "C"), ("実績値", "4", "A"), ("事業費", "2", "E")]
    assert (
        IndicatorValue.objects.get(indicator=fp.indicators["2-1-1"], fiscal_year=2024).value == 62
    )

    # 2. The corrected file: preview shows the grade changes, confirm writes all of it.
    good = workbook(
        actuals=[
            ["2-1-1", "健康だと感じる市民の割合", 2024, "６６．０", None, "市民意識調査"],
            ["2-1-2", "特定健診の受診率", 2024, 40, None, None],
        ],
        costs=[["P-2", "健康マイレージ事業", 2024, "決算", 5000, 0, 0, 0, 1000, 4000, 900]],
    )
    page = client.post(upload_url, {"file": good, "action": "preview"}).content.decode()
    assert "実績値 2 件、事業費 1 件、人件費 1 件を変更（変更なし 0 件）" in page
    assert "施策 2-1 健康づくりの推進：× → ◎" in page
    assert "成果指標 2-1-1 健康だと感じる市民の割合：× → ◎" in page
    token = client.session["evaluation_upload_pending"]["token"]
    response = client.post(upload_url, {"action": "confirm", "token": token})
    assert response.status_code == 302
    assert (
        IndicatorValue.objects.get(indicator=fp.indicators["2-1-1"], fiscal_year=2024).value == 66
    )

    # 3. The Excel report shows the new grades.
    measures, indicators = excel_grades(client.get(xlsx_url).content)
    assert measures == {"1-1": "○", "1-2": "◎", "2-1": "◎"}
    assert indicators["2-1-1"] == "◎"
    book = openpyxl.load_workbook(io.BytesIO(client.get(xlsx_url).content))
    programmes = {r[1]: r for r in book["事務事業"].iter_rows(min_row=4, values_only=True) if r[1]}
    # planned 5,200, settled 5,000 (国庫 0, 県 0, 地方債 0, その他 1,000, 一般財源 4,000)
    # + staff 900 = 5,900
    assert programmes["P-2"][4:15] == (5200, 5000, "決算", 0, 0, 0, 1000, 4000, 900, None, 5900)

    # 4. The PDF report (made in the background; text extracted with pdftotext) shows them too.
    text = make_pdf(client, round_, django_capture_on_commit_callbacks)
    assert re.search(r"2-1 健康づくりの推進\s+◎\s+100\.0%\s+1/2", text), text
    assert re.search(r"施策の評価\s+◎ 達成（目標値に到達している）（平均達成度 100\.0%）", text)
    assert re.search(
        r"2-1-1 健康だと感じる市民の割合（%）\s+60（H30）\s+66（R6）\s+66\s+100\.0%\s+100\.0%\s+◎",
        text,
    ), text
    assert "× 33.3%" not in " ".join(text.split())


def test_strategies_and_programme_evaluation_in_pdf_and_excel(
    client, django_capture_on_commit_callbacks
) -> None:
    """Upload a strategy indicator's actual → its grade and its strategy's change → the PDF
    text and the Excel cells show them, with the programmes' evaluation."""
    fp = make_former_plan()
    st = add_strategies(fp)
    jim = make_user("jim", secretariat=True, full_name="𠮷田 花子")
    round_ = services.round_create(edition=fp.edition, fiscal_year=2024, actor=jim, is_final=True)
    sheet = ProgrammeEvaluation.objects.get(round=round_, programme=fp.programmes["P-1"])
    services.sheet_update(
        sheet=sheet,
        actor=jim,
        expected_version=None,
        changes={
            "necessity": "a",
            "effectiveness": "b",
            "efficiency": "a",
            "equity": "c",
            "direction": "improve",
            "staff_cost": 8000,
        },
    )
    ProgrammeIndicator.objects.create(
        sheet=sheet, kind="activity", order=1, name="開設日数", unit="日", planned=240, actual=250
    )
    client.force_login(jim)
    xlsx_url = reverse("staff:evaluation_report", args=[round_.pk, "xlsx"])

    # Before: S2-1 never reported → −, strategy 2 → −
    text = " ".join(make_pdf(client, round_, django_capture_on_commit_callbacks).split())
    assert "6. 重点戦略の成果指標" in text and "7. 要注意の施策" in text
    assert "重点戦略2 いつまでも健康でいられるまちづくり − — 0/1 2-1（×）" in text
    # S1: (1.11 − 1.05)/(1.20 − 1.05) = 40 % ×, (140 − 95)/(140 − 95) = 100 % ◎ → mean 70 % △
    assert "重点戦略1 こどもにやさしいまちづくり △ 70.0% 2/2 1-1（○）、1-2（◎）" in text
    assert "S1-1 合計特殊出生率 1.05（H30） 1.2（R6） 1.11 40.0% 40.0% ×" in text
    assert "P-1 地域子育て支援拠点事業 37,000 8,000 A・B・A・C 改善" in text

    # The secretariat enters S2-1 = 18.0 (the target): 100 % → ◎
    upload_url = reverse("staff:evaluation_upload", args=[round_.pk])
    good = workbook(actuals=[["S2-1", "65歳健康寿命（男性）", 2024, 18.0, None, None]], costs=[])
    page = client.post(upload_url, {"file": good, "action": "preview"}).content.decode()
    assert "重点戦略2 いつまでも健康でいられるまちづくり：− → ◎" in page
    assert "成果指標 S2-1 65歳健康寿命（男性）：− → ◎" in page
    token = client.session["evaluation_upload_pending"]["token"]
    assert client.post(upload_url, {"action": "confirm", "token": token}).status_code == 302
    assert IndicatorValue.objects.get(indicator=st.indicators["S2-1"], fiscal_year=2024).value == 18
    # the file made before is now older than the data
    state = client.get(reverse("staff:evaluation_report_file_status", args=[round_.pk])).json()
    assert (state["status"], state["stale"]) == ("done", True)

    text = " ".join(make_pdf(client, round_, django_capture_on_commit_callbacks).split())
    assert "重点戦略2 いつまでも健康でいられるまちづくり ◎ 100.0% 1/1 2-1（×）" in text
    assert "S2-1 65歳健康寿命（男性）（年） 17.62（H30） 18（R6） 18 100.0% 100.0% ◎" in text

    book = openpyxl.load_workbook(io.BytesIO(client.get(xlsx_url).content))
    assert book.sheetnames == [
        "概要",
        "政策分野別",
        "施策別評価",
        "成果指標",
        "年度別実績値",
        "事務事業",
        "事務事業の指標",
        "要注意の施策",
        "重点戦略",
        "重点戦略の成果指標",
    ]
    ws = book["重点戦略"]
    assert [c.value for c in ws[3]][:8] == [
        "番号",
        "重点戦略",
        "基本目標",
        "評価",
        "評価の意味",
        "平均達成度（%）",
        "成果指標数",
        "報告のあった指標数",
    ]
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] is not None]
    assert [(r[0], r[1], r[3], r[5], r[6], r[7]) for r in rows] == [
        (1, "こどもにやさしいまちづくり", "△", 70.0, 2, 2),
        (2, "いつまでも健康でいられるまちづくり", "◎", 100.0, 1, 1),
    ]
    assert rows[0][-2] == "1-1（○）、1-2（◎）"
    ws = book["重点戦略の成果指標"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[1]}
    assert rows["S2-1"][:2] == ("重点戦略2", "S2-1")
    assert rows["S2-1"][6:15] == (17.62, 2018, 18.0, 2024, 18.0, 100.0, 100.0, 100.0, "◎")
    assert rows["S1-1"][10:15] == (1.11, 40.0, 100.0, 40.0, "×")
    years = book["年度別実績値"]
    header = [c.value for c in years[4]]  # title, note, blank row, then the header
    s11 = next(r for r in years.iter_rows(min_row=5, values_only=True) if r[1] == "S1-1")
    assert (s11[0], s11[header.index("2022")], s11[header.index("2024")]) == (
        "重点戦略1",
        1.08,
        1.11,
    )
    ws = book["事務事業"]
    header = [c.value for c in ws[3]]
    p1 = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[1] == "P-1")
    cells = dict(zip(header, p1, strict=True))
    assert {k: cells[k] for k in ("財源内訳の区分", "国庫支出金（千円）", "一般財源（千円）")} == {
        "財源内訳の区分": "決算",
        "国庫支出金（千円）": 12300,
        "一般財源（千円）": 12400,
    }
    # 37,000 + 8,000 = 45,000; ÷ 250 days = 180
    assert (cells["総事業費（千円）"], cells["単位あたりコスト（千円）"]) == (45000, 180)
    assert [cells[k] for k in ("必要性", "有効性", "効率性", "公平性", "今後の方向性")] == [
        "A 適切",
        "B 概ね適切",
        "A 適切",
        "C 見直しが必要",
        "改善",
    ]
    ws = book["事務事業の指標"]
    (row,) = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]]
    assert row[:8] == (
        "1-1",
        "P-1",
        "地域子育て支援拠点事業",
        "活動指標",
        "開設日数",
        "日",
        240,
        250,
    )
    assert row[8] == pytest.approx(100 * 250 / 240)  # 達成率 104.2 %
