"""Commands: export-opinions, load-demo-participation (idempotent), purge-personal-data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from keikaku.core.domain.textio import read_csv_dicts, unguard_formula
from keikaku.participation import services
from keikaku.participation.exports import EXPORT_COLUMNS
from keikaku.participation.models import (
    Hearing,
    Opinion,
    OpinionGroup,
    PersonalData,
    PublicCommentRound,
)
from keikaku.participation.tests.factories import make_round, submit_comment
from keikaku.plans import services as plan_services
from keikaku.plans.tests.factories import make_small_plan

pytestmark = pytest.mark.django_db

SAMPLE = "docs/formats/samples/opinions-export.csv"


def test_export_csv_round_trips_and_has_no_personal_data(tmp_path):
    rnd = make_round()
    paragraph = rnd.paragraphs.get(key="measure-1-1-target-1")
    submit_comment(rnd, "=cmd|' /C calc'!A0 と 髙橋の意見 090-1234-5678", paragraph=paragraph)
    submit_comment(rnd, "二つ目の意見")
    out = tmp_path / "opinions.csv"
    call_command(
        "export_opinions", "--source", f"public-comment:{rnd.pk}", "-o", str(out), verbosity=0
    )
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header, rows = read_csv_dicts(data)
    assert header == [key for key, _label in EXPORT_COLUMNS]
    assert [r["id"] for r in rows] == [
        o.receipt_number for o in Opinion.objects.order_by("received_at")
    ]
    first = rows[0]
    assert first["text"] == "'=cmd|' /C calc'!A0 と 髙橋の意見 ［電話番号］"
    assert unguard_formula(first["text"]) == "=cmd|' /C calc'!A0 と 髙橋の意見 ［電話番号］"
    assert (first["source"], first["channel"], first["target_kind"]) == (
        "パブリックコメント",
        "ウェブ（意見募集フォーム）",
        "段落",
    )
    assert (first["target_key"], first["target"]) == (
        "measure-1-1-target-1",
        "施策1-1 子育て支援の充実（目指す姿）",
    )
    assert first["eligibility"] == "市内に住んでいる（在住）"
    assert first["hidden"] == "0"
    text = data.decode("utf-8-sig")
    for secret in ("鶴ヶ島 太郎", "三ツ木新町"):
        assert secret not in text


def test_export_header_matches_the_documented_sample():
    with open(SAMPLE, "rb") as f:
        header, rows = read_csv_dicts(f.read())
    assert header == [key for key, _label in EXPORT_COLUMNS]
    assert len(rows) >= 3


def test_export_xlsx_and_hidden_rows(tmp_path):
    import openpyxl

    rnd = make_round()
    a = submit_comment(rnd, "普通の意見")
    b = submit_comment(rnd, "悪口")
    services.opinion_hide(opinion=b, actor="test", reason="誹謗中傷のため")
    out = tmp_path / "opinions.xlsx"
    call_command("export_opinions", "-o", str(out), verbosity=0)
    ws = openpyxl.load_workbook(out).active
    ids = [row[0].value for row in ws.iter_rows(min_row=2)]
    assert ids == [a.receipt_number]
    call_command("export_opinions", "-o", str(out), "--include-hidden", verbosity=0)
    ws = openpyxl.load_workbook(out).active
    hidden = {row[0].value: row[20].value for row in ws.iter_rows(min_row=2)}
    assert hidden == {a.receipt_number: 0, b.receipt_number: 1}


def test_export_bad_source_is_a_one_line_japanese_error(tmp_path):
    with pytest.raises(CommandError) as err:
        call_command("export_opinions", "--source", "comments", "-o", str(tmp_path / "x.csv"))
    assert str(err.value) == (
        "--source「comments」は使えません。proposals、hearings、surveys、all、public-comment:<意見募集の番号> のどれかを指定してください。"
    )
    with pytest.raises(CommandError) as err:
        call_command(
            "export_opinions", "--source", "public-comment:999", "-o", str(tmp_path / "x.csv")
        )
    assert (
        str(err.value)
        == "番号999の意見募集はありません。職員用画面の「パブリックコメント」で番号を確かめてください。"
    )


def test_load_demo_participation_is_idempotent_and_published(client: Client):
    plan = make_small_plan()
    plan_services.edition_publish(edition=plan.edition, actor="test")
    out = io.StringIO()
    call_command("load_demo_participation", stdout=out)
    assert (
        out.getvalue().strip()
        == "市民の声のデモデータを作りました（意見11件、すべて説明用の架空の例です）。"
    )
    counts = (Opinion.objects.count(), PersonalData.objects.count(), Hearing.objects.count())
    assert counts == (11, 6, 1)
    out = io.StringIO()
    call_command("load_demo_participation", stdout=out)
    assert (
        out.getvalue().strip() == "市民の声のデモデータは読み込み済みです。何も変更していません。"
    )
    assert (
        Opinion.objects.count(),
        PersonalData.objects.count(),
        Hearing.objects.count(),
    ) == counts
    rnd = PublicCommentRound.objects.get(is_demo=True)
    assert rnd.result_data["opinion_count"] == 3
    assert rnd.result_data["submitter_count"] == 2
    assert rnd.result_data["reflected_count"] == 0
    assert rnd.result_data["changes"] == []
    assert OpinionGroup.objects.filter(round=rnd).count() == 3
    assert Opinion.objects.filter(is_hidden=True).count() == 1
    assert Opinion.objects.filter(is_demo=False).count() == 0
    page = client.get(f"/participation/comments/{rnd.pk}/result/").content.decode()
    assert "この結果は、使い方を説明するための架空の例です。" in page
    assert "見本" not in page


def test_load_demo_participation_needs_the_demo_plan():
    with pytest.raises(CommandError) as err:
        call_command("load_demo_participation")
    assert str(err.value).startswith("デモの自治体の後期基本計画がありません。")


def test_purge_personal_data_command(settings):
    rnd = make_round()
    submit_comment(rnd, "意見")
    PersonalData.objects.update(retention_until=dt.date(2000, 1, 1))
    out = io.StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "保存期限を過ぎた個人情報は1件です（削除していません）。"
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert out.getvalue().strip() == "保存期限を過ぎた個人情報1件を削除しました。"
    assert PersonalData.objects.count() == 0
    assert Opinion.objects.count() == 1
