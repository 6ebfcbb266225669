"""English titles of the comprehensive plan and its editions (title_en): model, staff form,
plan workbook (old files without the columns still import), published snapshot, demo data;
and the public content version bumped by a change of the municipality."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from keikaku.core.selectors import content_version_get
from keikaku.plans import importexport, services
from keikaku.plans import models as m
from keikaku.plans.domain import workbook as wb
from keikaku.plans.staff import ENTITIES, form_class_for
from keikaku.plans.tests.factories import make_small_plan, make_staff
from keikaku.plans.tests.test_importexport import make_plan, parsed

pytestmark = pytest.mark.django_db

PLAN_EN = "The 6th Tsurugashima City Comprehensive Plan"


def test_the_fields_and_their_japanese_names() -> None:
    plan_field = m.ComprehensivePlan._meta.get_field("title_en")
    edition_field = m.Edition._meta.get_field("title_en")
    assert (str(plan_field.verbose_name), plan_field.blank, plan_field.max_length) == (
        "計画名（英語）",
        True,
        300,
    )
    assert (str(edition_field.verbose_name), edition_field.blank) == ("名称（英語）", True)


def test_the_staff_forms_offer_the_english_title_after_the_japanese_one() -> None:
    assert ENTITIES["plans"].fields[1:3] == ("title", "title_en")
    assert ENTITIES["editions"].fields[2:4] == ("title", "title_en")
    form = form_class_for(ENTITIES["editions"])()
    assert str(form.fields["title_en"].label) == "名称（英語）"
    assert form.fields["title_en"].required is False


def test_the_workbook_carries_both_english_titles() -> None:
    edition = make_plan()
    m.Edition.objects.filter(pk=edition.pk).update(title_en="Second Basic Plan (FY2025–2029)")
    edition.refresh_from_db()
    data = importexport.workbook_for_edition(edition)
    header = data.header()
    assert header is not None
    assert (header.get("plan_title_en"), header.get("edition_title_en")) == (
        PLAN_EN,
        "Second Basic Plan (FY2025–2029)",
    )
    body = importexport.export_bytes(data, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(body))["基本情報"]
    headers = [c.value for c in sheet[1]]
    assert headers[6:8] == ["総合計画名", "総合計画名（英語）"]
    assert headers[headers.index("基本計画名") + 1] == "基本計画名（英語）"
    assert parsed("plan.xlsx", body) == data  # export → import reads the same


def _without_english_title_columns(body: bytes) -> bytes:
    """An .xlsx as written before the English title columns existed."""
    book = openpyxl.load_workbook(io.BytesIO(body))
    sheet = book["基本情報"]
    for title in ("基本計画名（英語）", "総合計画名（英語）"):
        index = [c.value for c in sheet[1]].index(title) + 1
        sheet.delete_cols(index)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_old_workbook_without_the_columns_imports_with_blank_english_titles() -> None:
    edition = make_plan()
    body = _without_english_title_columns(
        importexport.export_bytes(importexport.workbook_for_edition(edition), "xlsx")
    )
    result = importexport.read_upload([("old.xlsx", body)])
    assert result.problems == ()
    assert result.data is not None
    header = result.data.header()
    assert header is not None
    assert (header.get("plan_title_en"), header.get("edition_title_en")) == ("", "")
    preview = importexport.plan_import_preview(data=result.data)
    updates = [(c.sheet, c.key, c.action) for c in preview.changes if c.action != "unchanged"]
    assert updates == [("plan", ("plan",), "update")]  # only the plan's English title clears
    importexport.plan_import_apply(data=result.data, actor=make_staff())
    plan = m.ComprehensivePlan.objects.get()
    assert (plan.title, plan.title_en) == ("第6次鶴ヶ島市総合計画", "")


def test_an_old_json_file_without_the_keys_imports_too() -> None:
    edition = make_plan()
    doc = json.loads(importexport.export_bytes(importexport.workbook_for_edition(edition), "json"))
    for key in ("plan_title_en", "edition_title_en"):
        del doc["sheets"]["plan"][0][key]
    result = importexport.read_upload([("old.json", json.dumps(doc).encode())])
    assert result.problems == ()
    assert result.data is not None
    header = result.data.header()
    assert header is not None and header.get("plan_title_en") == ""


def test_a_missing_required_column_is_still_a_problem() -> None:
    edition = make_plan()
    doc = json.loads(importexport.export_bytes(importexport.workbook_for_edition(edition), "json"))
    del doc["sheets"]["plan"][0]["plan_title"]
    result = importexport.read_upload([("old.json", json.dumps(doc).encode())])
    assert [p.message for p in result.problems] == [
        "見出し「総合計画名」の列がありません。書き出したファイルの見出し行をそのまま使ってください。",
        "「基本情報」シートには計画を1行だけ入力してください（今は0行あります）。",
    ]


def test_the_optional_columns_are_the_english_titles_only() -> None:
    optional = [(s.key, c.key) for s in wb.SHEETS for c in s.columns if c.optional]
    assert optional == [("plan", "plan_title_en"), ("plan", "edition_title_en")]


def test_the_published_home_page_carries_the_english_titles() -> None:
    small = make_small_plan()
    m.ComprehensivePlan.objects.filter(pk=small.plan.pk).update(title_en=PLAN_EN)
    m.Edition.objects.filter(pk=small.edition.pk).update(title_en="Second Basic Plan")
    small.edition.refresh_from_db()
    data = services.edition_page_data(small.edition)
    assert (data["plan_title"], data["plan_title_en"]) == ("第6次鶴ヶ島市総合計画", PLAN_EN)
    assert (data["title"], data["title_en"]) == ("後期基本計画", "Second Basic Plan")


def test_a_change_of_the_municipality_bumps_the_public_content_version() -> None:
    small = make_small_plan()
    before = content_version_get()
    services.plan_object_update(
        obj=small.municipality,
        actor=make_staff(),
        expected_version=small.municipality.version,
        changes={"name_en": "Tsurugashima"},
    )
    assert content_version_get() == before + 1
    # other plan content is published by hand: editing it leaves the public version alone
    services.plan_object_update(
        obj=small.area,
        actor=make_staff("other"),
        expected_version=small.area.version,
        changes={"title_en": "Children"},
    )
    assert content_version_get() == before + 1
