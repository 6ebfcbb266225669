"""End to end: upload a year's actuals (Excel) → grades change → the report's PDF text and
Excel cells show the new grades. Uses the staff pages, as a department would."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from keikaku.evaluation import services
from keikaku.evaluation.tests.factories import make_former_plan, make_user
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


def test_upload_changes_grades_in_pdf_and_excel(client) -> None:
    fp = make_former_plan()
    secretariat = make_user("jim", secretariat=True, full_name="𠮷田 花子")
    health = make_user("kenko", department=fp.health_section, full_name="鈴木 次郎")
    round_ = services.round_create(
        edition=fp.edition, fiscal_year=2024, actor=secretariat, is_final=True
    )
    xlsx_url = reverse("staff:evaluation_report", args=[round_.pk, "xlsx"])
    pdf_url = reverse("staff:evaluation_report", args=[round_.pk, "pdf"])
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
    # settled 5,000 + staff 900
    assert programmes["P-2"][4:8] == (5200, 5000, 900, 5900)

    # 4. The PDF report (text extracted with pdftotext) shows them too.
    response = client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert re.search(r"2-1 健康づくりの推進\s+◎\s+100\.0%\s+1/2", text), text
    assert re.search(r"施策の評価\s+◎ 達成（目標値に到達している）（平均達成度 100\.0%）", text)
    assert re.search(
        r"2-1-1 健康だと感じる市民の割合（%）\s+60（H30）\s+66（R6）\s+66\s+100\.0%\s+100\.0%\s+◎",
        text,
    ), text
    assert "× 33.3%" not in " ".join(text.split())
