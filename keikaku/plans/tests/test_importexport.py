"""Plan workbook import and export against the database: round trips, all-or-nothing
imports, the staff page and the commands."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from keikaku.accounts.models import Department
from keikaku.core.models import AuditEvent
from keikaku.plans import importexport
from keikaku.plans import models as m
from keikaku.plans.domain import workbook as wb
from keikaku.plans.tests.factories import make_staff

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.com","x")'
MODELS = (
    m.Municipality,
    m.ComprehensivePlan,
    m.BasicConcept,
    m.BasicGoal,
    m.Edition,
    m.PolicyArea,
    m.Measure,
    m.Initiative,
    m.PriorityStrategy,
    m.Indicator,
    m.IndicatorValue,
    m.Programme,
    m.ProgrammeCost,
    Department,
)


def make_plan(*, section_name: str = "髙𠮷推進課") -> m.Edition:
    """A small plan: 2 areas, 3 measures, indicators with values, a strategy, a programme."""
    muni = m.Municipality.objects.create(
        code="112411", name="鶴ヶ島市", prefecture="埼玉県", is_demo=True
    )
    plan = m.ComprehensivePlan.objects.create(
        municipality=muni,
        title="第6次鶴ヶ島市総合計画",
        title_en="The 6th Tsurugashima City Comprehensive Plan",
        ordinal=6,
        start_fy=2020,
        end_fy=2029,
        adopted_on=date(2020, 3, 25),
    )
    concept = m.BasicConcept.objects.create(
        plan=plan,
        vision="しあわせ共感 安心のまち つるがしま",
        start_fy=2020,
        end_fy=2029,
        population_frame="2029年に約6万8千人",
    )
    m.BasicGoal.objects.create(concept=concept, number=1, title="子どもが健やかに育つまち")
    edition = m.Edition.objects.create(
        plan=plan,
        kind="latter",
        title="後期基本計画",
        start_fy=2025,
        end_fy=2029,
        status="in_force",
        introduction="社会の変化\r\n人口の動き",
    )
    bu = Department.objects.create(code="D01", name="こども未来部", kind="department", order=1)
    ka = Department.objects.create(code="K01", name="こども支援課", parent=bu, order=2)
    ka2 = Department.objects.create(code="K02", name=section_name, parent=bu, order=3)
    area1 = m.PolicyArea.objects.create(edition=edition, number=1, title="子育て・教育")
    area2 = m.PolicyArea.objects.create(
        edition=edition, number=2, title="健康・福祉", title_en="Health"
    )
    m11 = m.Measure.objects.create(
        area=area1,
        code="1-1",
        order=1,
        title="子育て支援の充実",
        plain_summary="子どもを育てる家族を手伝います。",
        target_state=FORMULA,
        role_city="-市は保育所を整えます",
        sdgs=[3, 4],
        related_plans="子ども・子育て支援事業計画\n教育大綱",
    )
    m11.departments.add(ka, bu)
    m12 = m.Measure.objects.create(
        area=area1, code="1-2", order=2, title="学校教育の充実", sdgs=[4]
    )
    m12.departments.add(ka2)
    m21 = m.Measure.objects.create(
        area=area2, code="2-1", order=1, title="健康づくりの推進", sdgs=[3, 11]
    )
    m.Initiative.objects.create(
        measure=m11, order=0, title="保育の受け皿の確保", responsible_section=ka
    )
    m.Initiative.objects.create(measure=m11, order=0, title="@子育て相談", description="窓口")
    m.Initiative.objects.create(
        measure=m21, order=5, title="健診の受診勧奨", responsible_section=ka2
    )
    waiting = m.Indicator.objects.create(
        measure=m11,
        code="1-1-1",
        name="待機児童数",
        unit="人",
        direction="decrease",
        baseline_value=12,
        baseline_fy=2023,
        baseline_as_of=date(2023, 4, 1),
        target_value=0,
        target_fy=2029,
        source="こども支援課調べ",
    )
    checkups = m.Indicator.objects.create(
        measure=m21,
        code="2-1-1",
        name="特定健診受診率",
        unit="%",
        direction="increase",
        baseline_value=45.5,
        baseline_fy=2023,
        target_value=60,
        target_fy=2029,
        survey_based=True,
    )
    strategy = m.PriorityStrategy.objects.create(
        edition=edition, number=1, title="こどもにやさしいまちづくり"
    )
    strategy.measures.add(m11, m21)
    movers = m.Indicator.objects.create(
        strategy=strategy,
        code="S1-1",
        name="子育て世帯の転入者数",
        unit="世帯",
        direction="increase",
        target_value=500,
        target_fy=2029,
        cumulative=True,
    )
    m.IndicatorValue.objects.create(
        indicator=waiting, fiscal_year=2025, value=7, as_of=date(2025, 4, 1)
    )
    m.IndicatorValue.objects.create(indicator=waiting, fiscal_year=2026, value=5, note="速報値")
    m.IndicatorValue.objects.create(indicator=checkups, fiscal_year=2025, value=48.2)
    m.IndicatorValue.objects.create(indicator=movers, fiscal_year=2025, value=120)
    prog = m.Programme.objects.create(
        edition=edition,
        code="101",
        name="保育所運営事業",
        department=ka,
        measure=m11,
        description="保育所を運営します。",
        legal_basis="児童福祉法",
    )
    m.ProgrammeCost.objects.create(
        programme=prog,
        fiscal_year=2025,
        total=1000,
        national=400,
        prefectural=200,
        bonds=0,
        other=0,
        general=400,
    )
    m.ProgrammeCost.objects.create(
        programme=prog, fiscal_year=2025, is_plan=False, total=980, note="決算見込み"
    )
    return edition


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS} | {
        "audit": AuditEvent.objects.count()
    }


def wipe() -> None:
    m.Municipality.objects.all().delete()
    Department.objects.filter(parent__isnull=False).delete()
    Department.objects.all().delete()


def export(fmt: str) -> bytes:
    edition = importexport.edition_default()
    assert edition is not None
    return importexport.export_bytes(importexport.workbook_for_edition(edition), fmt)


def parsed(name: str, body: bytes) -> wb.WorkbookData:
    result = importexport.read_upload([(name, body)])
    assert result.problems == ()
    assert result.data is not None
    return result.data


def xlsx_cells(body: bytes) -> dict[str, list[list[object]]]:
    book = openpyxl.load_workbook(io.BytesIO(body))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}


def edited_xlsx(body: bytes, changes: dict[str, dict[str, object]]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(body))
    for sheet, cells in changes.items():
        for ref, value in cells.items():
            book[sheet][ref].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- round trips


def test_export_import_export_is_identical_in_xlsx() -> None:
    make_plan()
    first = export("xlsx")
    data = parsed("plan.xlsx", first)
    edition = importexport.edition_default()
    assert edition is not None
    assert data == importexport.workbook_for_edition(edition)
    wipe()
    assert m.Measure.objects.count() == 0
    importexport.plan_import_apply(data=data, actor="テスト")
    second = export("xlsx")
    assert parsed("plan.xlsx", second) == data
    assert xlsx_cells(second) == xlsx_cells(first)
    # Spot checks of what went through: 髙𠮷, the formula text, positions of initiatives.
    assert Department.objects.get(code="K02").name == "髙𠮷推進課"
    assert m.Measure.objects.get(code="1-1").target_state == FORMULA
    assert [
        i.title for i in m.Initiative.objects.filter(measure__code="1-1").order_by("order", "id")
    ] == [
        "保育の受け皿の確保",
        "@子育て相談",
    ]
    assert xlsx_cells(first)["主な取組"][1:] == [
        ["1-1", 1, "保育の受け皿の確保", None, "K01"],
        ["1-1", 2, "@子育て相談", "窓口", None],
        ["2-1", 1, "健診の受診勧奨", None, "K02"],
    ]


@pytest.mark.parametrize(("fmt", "name"), [("csv", "plan.zip"), ("json", "plan.json")])
def test_export_import_export_is_identical_in_csv_and_json(fmt: str, name: str) -> None:
    make_plan()
    first = export(fmt)
    data = parsed(name, first)
    wipe()
    importexport.plan_import_apply(data=data, actor="テスト")
    second = export(fmt)
    assert parsed(name, second) == data
    if fmt == "json":
        assert second == first
    if fmt == "csv":
        a, b = zipfile.ZipFile(io.BytesIO(first)), zipfile.ZipFile(io.BytesIO(second))
        assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}
        assert a.read("departments.csv").startswith(b"\xef\xbb\xbf")
        assert "髙𠮷推進課" in a.read("departments.csv").decode("utf-8-sig")


def test_importing_an_unchanged_export_changes_nothing() -> None:
    make_plan()
    before = counts()
    data = parsed("plan.xlsx", export("xlsx"))
    preview = importexport.plan_import_preview(data=data)
    assert preview.changes == ()
    # 基本情報 4 objects + goals 1 + departments 3 + areas 2 + measures 3 + initiatives 3
    # + strategies 1 + indicators 3 + values 4 + programmes 1 + costs 2 = 27
    assert preview.summary_text() == "新規 0件、更新 0件、変更なし 27件"
    importexport.plan_import_apply(data=data, actor="テスト")
    assert counts() == before


def test_updates_creates_and_kept_missing_items_are_audited() -> None:
    edition = make_plan()
    doc = json.loads(export("json"))
    doc["sheets"]["measures"][0]["title"] = "子育て支援の一層の充実"
    doc["sheets"]["areas"].append(
        {"number": 3, "title": "都市基盤", "title_en": "", "description": ""}
    )
    doc["sheets"]["indicator_values"] = [
        v for v in doc["sheets"]["indicator_values"] if v["fiscal_year"] != 2026
    ]
    data = parsed("plan.json", json.dumps(doc, ensure_ascii=False).encode())
    before = counts()
    done = importexport.plan_import_apply(data=data, actor="テスト")
    assert [(c.sheet, c.action, c.key) for c in done.changes] == [
        ("areas", "create", (3,)),
        ("measures", "update", ("1-1",)),
        ("indicator_values", "missing", ("1-1-1", 2026)),
    ]
    assert done.summary_text() == (
        "新規 1件、更新 1件、変更なし 25件、ファイルにない項目 1件（削除せずに残します）"
    )
    assert m.Measure.objects.get(code="1-1").title == "子育て支援の一層の充実"
    assert m.PolicyArea.objects.filter(edition=edition).count() == 3
    assert m.IndicatorValue.objects.count() == before["IndicatorValue"]  # kept
    events = AuditEvent.objects.order_by("id")[before["audit"] :]
    assert [(e.action, e.object_type, e.actor_name) for e in events] == [
        ("create", "plans.policyarea", "テスト"),
        ("update", "plans.measure", "テスト"),
    ]
    assert events[1].before["title"] == "子育て支援の充実"
    assert events[1].after["title"] == "子育て支援の一層の充実"


def test_delete_missing_deletes_only_when_asked() -> None:
    make_plan()
    doc = json.loads(export("json"))
    sheets = doc["sheets"]
    sheets["measures"] = [r for r in sheets["measures"] if r["code"] != "1-2"]
    sheets["departments"] = [r for r in sheets["departments"] if r["code"] != "K02"]
    sheets["initiatives"] = [r for r in sheets["initiatives"] if r["responsible_section"] != "K02"]
    data = parsed("plan.json", json.dumps(doc, ensure_ascii=False).encode())
    preview = importexport.plan_import_preview(data=data, delete_missing=True)
    assert [(c.action, c.label) for c in preview.changes] == [
        ("missing", "部署「K02 髙𠮷推進課」"),
        ("missing", "施策「1-2 学校教育の充実」"),
        ("missing", "主な取組「2-1 1 健診の受診勧奨」"),
    ]
    assert [r["action_label"] for r in preview.change_rows()] == ["削除", "削除", "削除"]
    before = counts()
    importexport.plan_import_apply(data=data, actor="テスト", delete_missing=True)
    after = counts()
    assert (before["Measure"] - after["Measure"], before["Initiative"] - after["Initiative"]) == (
        1,
        1,
    )
    assert not Department.objects.filter(code="K02").exists()
    assert after["audit"] - before["audit"] == 3
    assert (
        list(AuditEvent.objects.order_by("-id").values_list("action", flat=True)[:3])
        == ["delete"] * 3
    )


# --------------------------------------------------------------------------- faults: nothing written


def faulty_workbook() -> bytes:
    return edited_xlsx(
        export("xlsx"),
        {
            "施策": {"B3": 9, "D4": None},  # 1-2 points to a missing area; 2-1 has no title
            "成果指標": {"H2": "上昇"},  # 1-1-1: unknown direction
            "実績値": {"B3": 1800},  # 1-1-1 FY2026 → 1800
            "事業費": {"E2": "四百"},  # national
            "部署": {"C3": "係"},  # K01: unknown kind
        },
    )


FAULTS = [
    "「部署」シート 3行目 C列「種別」: 「係」は選べません。「部」・「課」のいずれかを入力してください。",
    "「施策」シート 3行目 B列「政策分野番号」: 政策分野番号「9」の政策分野が「政策分野」シートにありません。番号やコードを確かめるか、「政策分野」シートに追加してください。",
    "「施策」シート 4行目 D列「施策名」: 「施策名」が空欄です。入力してください。",
    "「成果指標」シート 2行目 H列「方向」: 「上昇」は選べません。「増加」・「減少」・「維持」・「達成」のいずれかを入力してください。",
    "「実績値」シート 3行目 B列「年度」: 「1800」は扱えない年度です。1900年度から2200年度までの年度を入力してください。",
    "「事業費」シート 2行目 E列「国庫支出金（千円）」: 「四百」は整数ではありません。「3」のように整数で入力してください。",
]


def test_faulty_workbook_reports_every_fault_and_writes_nothing() -> None:
    make_plan()
    body = faulty_workbook()
    before = counts()
    result = importexport.read_upload([("plan.xlsx", body)])
    assert result.data is None
    assert [str(p) for p in result.problems] == FAULTS
    assert [(p.sheet, p.row, p.column_letter, p.column) for p in result.problems][1] == (
        "施策",
        3,
        "B",
        "政策分野番号",
    )
    assert counts() == before


def test_a_write_refused_by_the_model_rolls_everything_back() -> None:
    make_plan()
    body = edited_xlsx(
        export("xlsx"),
        {
            "政策分野": {"A4": 3, "B4": "都市基盤"},
            "施策": {"D2": "変更"},
        },
    )
    data = parsed("plan.xlsx", body)
    header = data.header()
    assert header is not None
    # Past the model's max_length, set after parsing (which would have caught it): the model
    # refuses the edition only after the departments and the plan were looked at, and the
    # new area and the measure come later; nothing at all may remain.
    header.values["edition_title"] = "あ" * 201
    header.values["introduction"] = "新しい序論"
    before = counts()
    with pytest.raises(importexport.PlanImportError) as err:
        importexport.plan_import_apply(data=data, actor="テスト")
    assert [str(p) for p in err.value.problems] == [
        "「基本情報」シート 2行目 「基本計画名」: この値は 200 文字以下でなければなりません( 201 文字になっています)。"
    ]
    assert counts() == before
    assert m.Measure.objects.get(code="1-1").title == "子育て支援の充実"


def test_a_late_refusal_rolls_back_earlier_writes() -> None:
    make_plan()
    body = edited_xlsx(
        export("xlsx"),
        {
            "政策分野": {"A4": 3, "B4": "都市基盤"},
            "施策": {"D2": "変更"},
            "事業費": {"J2": "あ" * 301},  # the last sheet written; 備考 holds 300 characters
        },
    )
    result = importexport.read_upload([("plan.xlsx", body)])
    assert [str(p) for p in result.problems] == [
        "「事業費」シート 2行目 J列「備考」: 300文字以内で入力してください（今は301文字です）。"
    ]
    data = parsed("plan.xlsx", edited_xlsx(body, {"事業費": {"J2": "備考"}}))
    cost = data.records("programme_costs")[0]
    cost.values["programme"] = "101"
    cost.values["national"] = 999  # breaks 国庫 + 県 + … = 事業費 after parsing
    before = counts()
    with pytest.raises(importexport.PlanImportError) as err:
        importexport.plan_import_apply(data=data, actor="テスト")
    assert [str(p) for p in err.value.problems] == [
        "「事業費」シート 2行目: 財源内訳の合計（1599）が事業費（1000）と一致しません。"
    ]
    assert counts() == before
    assert not m.PolicyArea.objects.filter(number=3).exists()
    assert m.Measure.objects.get(code="1-1").title == "子育て支援の充実"


# --------------------------------------------------------------------------- other inputs


def test_cp932_csv_import() -> None:
    make_plan(section_name="髙橋推進課")  # 𠮷 has no CP932 code: this plan avoids it
    archive = zipfile.ZipFile(io.BytesIO(export("csv")))
    files = [(n, archive.read(n).decode("utf-8-sig").encode("cp932")) for n in archive.namelist()]
    expected = parsed("plan.zip", export("csv"))
    wipe()
    result = importexport.read_upload(files)
    assert result.problems == ()
    assert result.data == expected
    importexport.plan_import_apply(data=result.data, actor="テスト")
    assert Department.objects.get(code="K02").name == "髙橋推進課"
    assert m.Measure.objects.get(code="1-1").target_state == FORMULA
    assert m.Measure.objects.get(code="1-1").role_city == "-市は保育所を整えます"


def test_era_years_and_full_width_digits_are_read() -> None:
    make_plan()
    body = edited_xlsx(
        export("xlsx"),
        {
            "成果指標": {
                "J2": "令和5年度",
                "M2": "Ｒ１１",
                "I2": "１，２３４．５",
                "K2": "令和5年4月1日",
            },
            "実績値": {"B2": "令和7（2025）年度", "C2": "△１"},
            "事業費": {"B2": "R7", "D2": "１,０００"},
        },
    )
    result = importexport.read_upload([("plan.xlsx", body)])
    assert result.problems == ()
    assert result.data is not None
    importexport.plan_import_apply(data=result.data, actor="テスト")
    waiting = m.Indicator.objects.get(code="1-1-1")
    assert (
        waiting.baseline_fy,
        waiting.target_fy,
        waiting.baseline_value,
        waiting.baseline_as_of,
    ) == (
        2023,
        2029,
        1234.5,
        date(2023, 4, 1),
    )
    assert m.IndicatorValue.objects.get(indicator=waiting, fiscal_year=2025).value == -1
    assert m.ProgrammeCost.objects.get(fiscal_year=2025, is_plan=True).total == 1000


def test_new_plan_is_created_from_a_workbook_of_another_edition() -> None:
    make_plan()
    doc = json.loads(export("json"))
    plan_row = doc["sheets"]["plan"][0]
    plan_row.update(
        edition_kind="former",
        edition_title="前期基本計画",
        edition_start_fy=2020,
        edition_end_fy=2024,
        edition_status="ended",
    )
    data = parsed("plan.json", json.dumps(doc, ensure_ascii=False).encode())
    preview = importexport.plan_import_preview(data=data)
    assert [(c.action, c.label) for c in preview.changes if c.sheet == "plan"] == [
        ("create", "基本計画「前期基本計画」"),
    ]
    importexport.plan_import_apply(data=data, actor="テスト")
    former = m.Edition.objects.get(kind="former")
    assert (
        former.plan.ordinal,
        former.areas.count(),
        m.Measure.objects.filter(area__edition=former).count(),
    ) == (6, 2, 3)
    assert m.Edition.objects.count() == 2


# --------------------------------------------------------------------------- staff page


def upload(client: Client, body: bytes, name: str = "plan.xlsx", **extra: str):
    return client.post(
        "/staff/data/plan/",
        {
            "action": "preview",
            "file": SimpleUploadedFile(name, body),
            **extra,
        },
    )


def test_staff_upload_preview_confirm_changes_the_data(client: Client) -> None:
    make_plan()
    staff = make_staff()
    client.force_login(staff)
    page = client.get("/staff/data/plan/")
    assert page.status_code == 200
    assert page.context["nav_slug"] == "import"
    body = edited_xlsx(export("xlsx"), {"施策": {"D2": "子育て支援の一層の充実"}})
    before = counts()
    response = upload(client, body)
    assert response.status_code == 200
    html = response.content.decode()
    assert "新規 0件、更新 1件、変更なし 26件" in html
    assert "施策「1-1 子育て支援の一層の充実」" in html
    assert counts() == before  # the preview wrote nothing
    token = response.context["token"]
    done = client.post("/staff/data/plan/", {"action": "confirm", "token": token})
    assert done.status_code == 302
    assert m.Measure.objects.get(code="1-1").title == "子育て支援の一層の充実"
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    assert (event.action, event.actor_id, event.object_type) == (
        "update",
        staff.pk,
        "plans.measure",
    )
    follow = client.get("/staff/data/plan/")
    assert "を取り込みました（新規 0件、更新 1件、変更なし 26件）" in follow.content.decode()


def test_staff_page_lists_every_problem(client: Client) -> None:
    make_plan()
    client.force_login(make_staff())
    body = faulty_workbook()
    before = counts()
    response = upload(client, body)
    html = response.content.decode()
    assert "次の 6 件の問題を直してから" in html
    assert [str(p) for p in response.context["problems"]] == FAULTS
    assert "「上昇」は選べません。" in html
    assert counts() == before


def test_confirm_refuses_when_the_data_changed_after_the_preview(client: Client) -> None:
    make_plan()
    client.force_login(make_staff())
    body = edited_xlsx(export("xlsx"), {"施策": {"D2": "子育て支援の一層の充実"}})
    token = upload(client, body).context["token"]
    m.PolicyArea.objects.filter(number=2).update(title="よそで変更")
    response = client.post("/staff/data/plan/", {"action": "confirm", "token": token})
    assert response.status_code == 200
    assert "確認の後にデータが変わったため、取り込みを止めました。" in response.content.decode()
    assert m.Measure.objects.get(code="1-1").title == "子育て支援の充実"
    again = client.post("/staff/data/plan/", {"action": "confirm", "token": token})
    assert again.status_code == 302
    assert m.PolicyArea.objects.get(number=2).title == "健康・福祉"
    assert m.Measure.objects.get(code="1-1").title == "子育て支援の一層の充実"


def test_non_staff_and_anonymous_cannot_import_and_nothing_changes(client: Client) -> None:
    make_plan()
    body = edited_xlsx(export("xlsx"), {"施策": {"D2": "乗っ取り"}})
    before = counts()
    anonymous = upload(client, body)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/staff/login/?next=")
    citizen = get_user_model().objects.create_user("shimin", password="pass-for-tests-1")
    client.force_login(citizen)
    assert upload(client, body).status_code == 403
    assert client.get("/staff/data/plan/export.xlsx").status_code == 403
    reader = get_user_model().objects.create_user(
        "yomu", password="pass-for-tests-1", is_staff=True
    )
    client.force_login(reader)
    assert upload(client, body).status_code == 403
    assert (
        "計画を取り込む権限がありません。書き出しだけができます。"
        in client.get("/staff/data/plan/").content.decode()
    )
    assert counts() == before
    assert m.Measure.objects.get(code="1-1").title == "子育て支援の充実"


def test_staff_export_downloads(client: Client) -> None:
    edition = make_plan()
    client.force_login(make_staff())
    xlsx = client.get(f"/staff/data/plan/export.xlsx?edition={edition.pk}")
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"] == 'attachment; filename="keikaku-plan-112411-6-latter.xlsx"'
    assert parsed("plan.xlsx", xlsx.content) == importexport.workbook_for_edition(edition)
    csv = client.get("/staff/data/plan/export.csv")
    assert csv["Content-Type"] == "application/zip"
    assert sorted(zipfile.ZipFile(io.BytesIO(csv.content)).namelist()) == sorted(
        s.filename for s in wb.SHEETS
    )
    assert client.get("/staff/data/plan/export.json").json()["format"] == "keikaku-plan-workbook"
    assert client.get("/staff/data/plan/export.xls").status_code == 404


# --------------------------------------------------------------------------- commands


def test_export_and_import_commands(tmp_path: Path) -> None:
    make_plan()
    out = io.StringIO()
    target = tmp_path / "plan.xlsx"
    call_command("export_plan", "--format", "xlsx", "-o", str(target), stdout=out)
    assert out.getvalue().startswith(
        f"書き出しました: {target}（第6次鶴ヶ島市総合計画 後期基本計画（令和7（2025）年度～令和11（2029）年度）: 基本目標 1行、部署 3行、政策分野 2行"
    )
    call_command(
        "export_plan",
        "--format",
        "csv",
        "-o",
        str(tmp_path / "plan.zip"),
        "--edition",
        "後期",
        stdout=io.StringIO(),
    )
    call_command(
        "export_plan", "--format", "json", "-o", str(tmp_path / "plan.json"), stdout=io.StringIO()
    )
    assert (
        parsed("plan.zip", (tmp_path / "plan.zip").read_bytes()).values()
        == parsed("plan.json", (tmp_path / "plan.json").read_bytes()).values()
    )

    edited = tmp_path / "edited.xlsx"
    edited.write_bytes(edited_xlsx(target.read_bytes(), {"政策分野": {"B2": "子育て・教育・文化"}}))
    before = counts()
    out = io.StringIO()
    call_command("import_plan", str(edited), "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        "更新: 政策分野「1 子育て・教育・文化」 [政策分野 2行目]（政策分野名）",
        "確認のみ（書き込んでいません）: 鶴ヶ島市 第6次鶴ヶ島市総合計画 後期基本計画: 新規 0件、更新 1件、変更なし 26件",
    ]
    assert counts() == before
    out = io.StringIO()
    call_command("import_plan", str(edited), stdout=out)
    assert (
        out.getvalue().splitlines()[-1]
        == "取り込みました: 鶴ヶ島市 第6次鶴ヶ島市総合計画 後期基本計画: 新規 0件、更新 1件、変更なし 26件"
    )
    assert m.PolicyArea.objects.get(number=1).title == "子育て・教育・文化"
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None and event.actor_name == "コマンド import-plan"

    folder = tmp_path / "csv"
    folder.mkdir()
    with zipfile.ZipFile(tmp_path / "plan.zip") as archive:
        archive.extractall(folder)
    out = io.StringIO()
    call_command("import_plan", str(folder), "--dry-run", stdout=out)
    assert (
        out.getvalue().splitlines()[0]
        == "更新: 政策分野「1 子育て・教育」 [政策分野 2行目]（政策分野名）"
    )


def test_import_command_fails_with_one_japanese_line_and_writes_nothing(tmp_path: Path) -> None:
    make_plan()
    faulty = tmp_path / "faulty.xlsx"
    faulty.write_bytes(faulty_workbook())
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_plan", str(faulty), stderr=err)
    assert (
        str(exc.value)
        == "取り込めません。問題が6件あります。上の一覧を直してから、もう一度実行してください（何も書き込んでいません）。"
    )
    assert err.getvalue().splitlines() == FAULTS
    assert counts() == before
    with pytest.raises(CommandError) as exc:
        call_command("import_plan", str(tmp_path / "none.xlsx"))
    assert (
        str(exc.value)
        == f"ファイル {tmp_path / 'none.xlsx'} を読めません（No such file or directory）。"
    )
    with pytest.raises(CommandError) as exc:
        call_command("export_plan", "-o", str(tmp_path / "x.xlsx"), "--edition", "中期")
    assert (
        str(exc.value) == "区分「中期」はありません。前期・後期・単独のいずれかを指定してください。"
    )


# --------------------------------------------------------------------------- documented samples

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "formats" / "samples"


def test_samples_are_what_the_exporter_writes_for_the_test_plan() -> None:
    edition = make_plan()
    data = importexport.workbook_for_edition(edition)
    assert parsed("plan-workbook.xlsx", (SAMPLES / "plan-workbook.xlsx").read_bytes()) == data
    assert (SAMPLES / "plan-workbook.json").read_bytes() == importexport.export_bytes(data, "json")
    archive = zipfile.ZipFile(io.BytesIO(importexport.export_bytes(data, "csv")))
    folder = SAMPLES / "plan-workbook-csv"
    assert sorted(p.name for p in folder.iterdir()) == sorted(archive.namelist())
    for name in archive.namelist():
        assert (folder / name).read_bytes() == archive.read(name), name


def test_sample_csv_folder_imports_into_an_empty_database() -> None:
    out = io.StringIO()
    call_command("import_plan", str(SAMPLES / "plan-workbook-csv"), stdout=out)
    assert out.getvalue().splitlines()[-1] == (
        "取り込みました: 鶴ヶ島市 第6次鶴ヶ島市総合計画 後期基本計画: 新規 27件、更新 0件、変更なし 0件"
    )
    assert {k: v for k, v in counts().items() if k != "audit"} == {
        "Municipality": 1,
        "ComprehensivePlan": 1,
        "BasicConcept": 1,
        "BasicGoal": 1,
        "Edition": 1,
        "PolicyArea": 2,
        "Measure": 3,
        "Initiative": 3,
        "PriorityStrategy": 1,
        "Indicator": 3,
        "IndicatorValue": 4,
        "Programme": 1,
        "ProgrammeCost": 2,
        "Department": 3,
    }
    assert counts()["audit"] == 27  # one "create" event per object
