"""Public forms (proposal box, comment on a paragraph), their safety checks, the closed
round, the public result and its files; staff pages with masking, permissions and logging."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from django.test import Client
from django.utils import timezone

from keikaku.core.models import AuditEvent
from keikaku.participation import services
from keikaku.participation.models import (
    Hearing,
    Opinion,
    OpinionGroup,
    PersonalData,
    PublicCommentRound,
)
from keikaku.participation.tests.factories import make_round, make_user, submit_comment
from keikaku.plans import services as plan_services
from keikaku.plans.tests.factories import make_small_plan

pytestmark = pytest.mark.django_db


def _token(html: str) -> str:
    return re.search(r'name="form_token" value="([0-9a-f]{32})"', html).group(1)


def _proposal_post(client: Client, token: str, action: str, **extra):
    data = {
        "form_token": token,
        "website": "",
        "target": "measure:1-1",
        "text": "駅前に子どもの遊び場がほしいです。\nhttps://example.jp/ も参考に。<b>太字</b>",
        "eligibility": "resident",
        "age_band": "30s",
        "district": "脚折",
        "wants_reply": "on",
        "name": "𠮷田 花子",
        "email": "hanako@example.jp",
        "phone": "",
        "address": "",
        "action": action,
    }
    data.update(extra)
    return client.post("/participation/proposals/new/", data)


def test_proposal_box_confirm_receipt_and_double_post(client: Client):
    plan = make_small_plan()
    plan_services.edition_publish(edition=plan.edition, actor="test")
    page = client.get("/participation/proposals/new/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<option value="measure:1-1">1-1 子育て支援の充実</option>' in html
    assert "maxlength" not in re.search(r"<textarea[^>]*>", html).group(0)
    assert "no-cache" in page["Cache-Control"]
    token = _token(html)
    confirm = _proposal_post(client, token, "confirm")
    body = confirm.content.decode()
    assert confirm.status_code == 200
    assert "入力内容の確認" in body
    assert "1-1 子育て支援の充実" in body
    assert Opinion.objects.count() == 0
    # Plain text: tags escaped, the URL is not a link.
    assert "&lt;b&gt;太字&lt;/b&gt;" in body
    assert 'href="https://example.jp/' not in body
    done = _proposal_post(client, token, "submit")
    assert done.status_code == 303
    receipt = client.get(done["Location"])
    opinion = Opinion.objects.get()
    assert opinion.receipt_number in receipt.content.decode()
    assert opinion.target_measure == plan.measure
    assert opinion.text.startswith("駅前に子どもの遊び場がほしいです。\nhttps://example.jp/")
    assert (opinion.source, opinion.channel, opinion.age_band) == (
        "proposal",
        "web_proposal",
        "30s",
    )
    assert opinion.personal.name == "𠮷田 花子"
    assert opinion.personal.wants_reply is True
    # The same form posted again: the same receipt, nothing new stored.
    again = _proposal_post(client, token, "submit")
    assert again["Location"] == done["Location"] + "?again=1"
    shown = client.get(again["Location"]).content.decode()
    assert "この内容は既に受け付けています。" in shown
    assert opinion.receipt_number in shown
    assert Opinion.objects.count() == 1


def test_back_button_keeps_values_and_token(client: Client):
    token = _token(client.get("/participation/proposals/new/").content.decode())
    back = _proposal_post(client, token, "back", target="")
    html = back.content.decode()
    assert f'value="{token}"' in html
    assert "駅前に子どもの遊び場がほしいです。" in html
    assert Opinion.objects.count() == 0


def test_reply_needs_a_contact(client: Client):
    token = _token(client.get("/participation/proposals/new/").content.decode())
    response = _proposal_post(client, token, "confirm", target="", email="", wants_reply="on")
    assert "返事を希望するときは、メールアドレス・住所・電話番号のどれかを書いてください。" in (
        response.content.decode()
    )


def test_honeypot_refuses_and_stores_nothing(client: Client):
    token = _token(client.get("/participation/proposals/new/").content.decode())
    response = _proposal_post(client, token, "submit", target="", website="http://spam.example/")
    assert response.status_code == 400
    assert "「ホームページ」の欄は空のままにして" in response.content.decode()
    assert Opinion.objects.count() == 0


def test_rate_limit_answers_429_in_japanese(client: Client, settings):
    settings.KEIKAKU_PUBLIC_FORM_RATE_LIMIT = 2
    settings.KEIKAKU_PUBLIC_FORM_RATE_WINDOW = 600
    token = _token(client.get("/participation/proposals/new/").content.decode())
    assert _proposal_post(client, token, "confirm", target="").status_code == 200
    assert _proposal_post(client, token, "confirm", target="").status_code == 200
    third = _proposal_post(client, token, "submit", target="")
    assert third.status_code == 429
    assert (
        "短い時間に何度も送信があったため、受付を一時的に止めています。" in third.content.decode()
    )
    assert 0 < int(third["Retry-After"]) <= 600
    assert Opinion.objects.count() == 0
    # Another client is not affected.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post("/participation/proposals/new/", {"action": "confirm"}).status_code == 200


def test_rate_limit_off_with_zero(client: Client, settings):
    settings.KEIKAKU_PUBLIC_FORM_RATE_LIMIT = 0
    token = _token(client.get("/participation/proposals/new/").content.decode())
    for _ in range(5):
        assert _proposal_post(client, token, "confirm", target="").status_code == 200


def test_size_limit_refuses_with_count(client: Client, settings):
    settings.KEIKAKU_OPINION_MAX_CHARS = 100
    token = _token(client.get("/participation/proposals/new/").content.decode())
    response = _proposal_post(client, token, "submit", target="", text="あ" * 101)
    html = response.content.decode()
    assert "「ご意見・ご提案」は100文字以内で入力してください（いまは101文字です）。" in html
    assert "あ" * 101 in html  # what was typed is kept in the form
    assert Opinion.objects.count() == 0


def _comment_data(token: str, target: str, action: str, **extra):
    data = {
        "form_token": token,
        "website": "",
        "target": target,
        "text": "ひとり親家庭への支援も書いてください。電話 090-1234-5678",
        "eligibility": "resident",
        "name": "鶴ヶ島 太郎",
        "address": "埼玉県鶴ヶ島市三ツ木新町一丁目1番1号",
        "phone": "",
        "email": "",
        "age_band": "",
        "district": "",
        "action": action,
    }
    data.update(extra)
    return data


def test_comment_on_a_paragraph(client: Client):
    rnd = make_round()
    page = client.get(f"/participation/comments/{rnd.pk}/").content.decode()
    assert f'href="/participation/comments/{rnd.pk}/comment/?target=p:measure-1-1-target-1"' in page
    assert "この段落に意見を書く" in page
    form = client.get(f"/participation/comments/{rnd.pk}/comment/?target=p:measure-1-1-target-1")
    html = form.content.decode()
    assert '<blockquote class="quoted">安心して子どもを産み育てられるまち</blockquote>' in html
    token = _token(html)
    url = f"/participation/comments/{rnd.pk}/comment/"
    missing = client.post(url, _comment_data(token, "p:measure-1-1-target-1", "confirm", name=""))
    assert "「お名前」を入力してください。" in missing.content.decode()
    confirm = client.post(url, _comment_data(token, "p:measure-1-1-target-1", "confirm"))
    assert "この内容で送信する" in confirm.content.decode()
    done = client.post(url, _comment_data(token, "p:measure-1-1-target-1", "submit"))
    assert done.status_code == 303
    opinion = Opinion.objects.get()
    assert (opinion.target_kind, opinion.paragraph.key) == ("paragraph", "measure-1-1-target-1")
    assert opinion.quoted_text == "安心して子どもを産み育てられるまち"
    receipt = client.get(done["Location"]).content.decode()
    assert opinion.receipt_number in receipt
    # The receipt page shows the text masked.
    assert "電話 ［電話番号］" in receipt
    assert "090-1234-5678" not in receipt
    assert "鶴ヶ島 太郎" not in receipt


def test_unknown_target_is_404(client: Client):
    rnd = make_round()
    assert client.get(f"/participation/comments/{rnd.pk}/comment/?target=p:nope").status_code == 404
    assert client.get(f"/participation/comments/{rnd.pk + 99}/").status_code == 404


def test_after_the_deadline_the_form_is_closed_and_the_text_kept(client: Client):
    rnd = make_round()
    token = _token(client.get(f"/participation/comments/{rnd.pk}/comment/").content.decode())
    PublicCommentRound.objects.filter(pk=rnd.pk).update(
        ends_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.post(
        f"/participation/comments/{rnd.pk}/comment/", _comment_data(token, "whole", "submit")
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "この意見募集は締め切りました" in html
    assert "締切の後に届いた意見は、この意見募集の意見としては受け付けられません。" in html
    assert "ひとり親家庭への支援も書いてください。" in html  # kept for the citizen
    assert Opinion.objects.count() == 0
    closed = client.get(f"/participation/comments/{rnd.pk}/comment/")
    assert closed.status_code == 200
    assert "<textarea" not in closed.content.decode()
    round_page = client.get(f"/participation/comments/{rnd.pk}/").content.decode()
    assert "受付を終了しました" in round_page
    assert "この段落に意見を書く" not in round_page


def test_draft_round_is_not_public(client: Client):
    rnd = make_round(published=False)
    assert client.get(f"/participation/comments/{rnd.pk}/").status_code == 404
    assert client.get("/participation/").status_code == 200


def _published_result():
    rnd = make_round()
    paragraph = rnd.paragraphs.get(key="measure-1-1-issues-1")
    a = submit_comment(rnd, "ひとり親家庭のことも書いてください。", paragraph=paragraph)
    b = submit_comment(
        rnd,
        '=HYPERLINK("http://evil.example")',
        personal=services.PersonalInput(name="髙橋 次郎", address="鶴ヶ島市脚折町1-2-3"),
    )
    PublicCommentRound.objects.filter(pk=rnd.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=40),
        ends_at=timezone.now() - dt.timedelta(days=1),
    )
    rnd.refresh_from_db()
    g1 = services.opinions_group(round=rnd, opinion_ids=[a.pk], actor="test")
    g2 = services.opinions_group(round=rnd, opinion_ids=[b.pk], actor="test")
    services.group_update(
        group=g1,
        actor="test",
        expected_version=g1.version,
        changes={
            "summary": "ひとり親世帯の記述を加えるべき。",
            "city_view": "ご意見を踏まえて修正します。",
            "reflection": "A",
            "paragraph": paragraph,
            "revised_text": "共働き世帯やひとり親世帯が増えています。",
        },
    )
    services.group_update(
        group=g2,
        actor="test",
        expected_version=g2.version,
        changes={
            "summary": "=SUM(A1:A9) のような式",
            "city_view": "計画の内容とは関係のない意見です。",
            "reflection": "E",
            "paragraph": None,
            "revised_text": "",
        },
    )
    services.round_result_publish(round=rnd, actor="test")
    rnd.refresh_from_db()
    return rnd


def test_public_result_page_counts_table_and_no_personal_data(client: Client):
    from keikaku.participation import api

    rnd = _published_result()
    assert api.published_result(rnd.pk) == rnd.result_data
    assert api.published_result(rnd.pk + 99) is None
    html = client.get(f"/participation/comments/{rnd.pk}/result/").content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"\s+", " ", text)
    assert "意見を出した人・団体の数 2人・団体" in text
    assert "意見の数 2件" in text
    assert "案に反映した意見の数 1件" in text
    assert (
        "1 施策1-1 子育て支援の充実（現状と課題） ひとり親世帯の記述を加えるべき。 ご意見を踏まえて修正します。 A 反映し修正 1"
        in text
    )
    assert '<ins class="diff-ins">世帯やひとり親</ins>' in html
    for secret in ("鶴ヶ島 太郎", "髙橋 次郎", "三ツ木新町", "脚折町1-2-3"):
        assert secret not in html
    # Cached on the public content version, like the plan pages.
    assert client.get(f"/participation/comments/{rnd.pk}/result/")["X-Keikaku-Cache"] == "hit"


def test_result_excel_has_the_table_guarded_and_no_personal_data(client: Client):
    import openpyxl

    rnd = _published_result()
    response = client.get(f"/participation/comments/{rnd.pk}/result.xlsx")
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb["結果"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert ["提出者数（人・団体）", 2] in [row[:2] for row in values]
    header = values.index(["番号", "該当箇所", "意見の概要", "市の考え方", "反映区分", "意見数"])
    assert values[header + 2][:3] == [2, "計画全体", "=SUM(A1:A9) のような式"]
    assert ws.cell(row=header + 3, column=3).data_type == "s"  # text, not a formula
    assert ws.cell(row=header + 3, column=3).quotePrefix is True
    flat = repr(values) + repr([[c.value for c in row] for row in wb["修正箇所"].iter_rows()])
    for secret in ("鶴ヶ島 太郎", "髙橋 次郎", "三ツ木新町"):
        assert secret not in flat


def test_result_pdf_text_is_extractable(client: Client, tmp_path):
    rnd = _published_result()
    response = client.get(f"/participation/comments/{rnd.pk}/result.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    path = tmp_path / "result.pdf"
    path.write_bytes(response.content)
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed"
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "後期基本計画（素案）への意見募集" in text
    assert "ご意見を踏まえて修正します。" in text
    assert "2人・団体" in text
    assert "髙橋 次郎" not in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "NotoSansCJK" in fonts.replace(" ", "").replace("-", "")


# --- staff ------------------------------------------------------------------------------------


def test_staff_without_permission_sees_masked_text_and_no_personal_data(client: Client):
    rnd = make_round()
    opinion = submit_comment(rnd, "連絡は taro@example.jp か 090-1234-5678 へ。")
    reader = make_user("reader")
    client.force_login(reader)
    html = client.get(f"/staff/participation/opinions/{opinion.pk}/").content.decode()
    assert "連絡は ［メールアドレス］ か ［電話番号］ へ。" in html
    assert "taro@example.jp" not in html
    assert "鶴ヶ島 太郎" not in html
    assert "提出者の個人情報を見る権限がありません。" in html
    inbox = client.get("/staff/participation/opinions/").content.decode()
    assert "taro@example.jp" not in inbox
    denied = client.get(f"/staff/participation/opinions/{opinion.pk}/personal/")
    assert denied.status_code == 403
    assert not AuditEvent.objects.filter(action="view_personal").exists()


def test_personal_data_view_with_permission_is_logged(client: Client):
    rnd = make_round()
    opinion = submit_comment(rnd, "連絡は taro@example.jp へ。")
    officer = make_user("officer", "view_personaldata", full_name="髙橋 一郎")
    client.force_login(officer)
    detail = client.get(f"/staff/participation/opinions/{opinion.pk}/").content.decode()
    assert "［メールアドレス］" in detail  # masked on the ordinary page, too
    assert AuditEvent.objects.filter(action="view_personal").count() == 0
    page = client.get(f"/staff/participation/opinions/{opinion.pk}/personal/")
    html = page.content.decode()
    assert "鶴ヶ島 太郎" in html
    assert "埼玉県鶴ヶ島市三ツ木新町一丁目1番1号" in html
    assert "連絡は taro@example.jp へ。" in html
    assert page["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="view_personal")
    assert (event.actor, event.object_type, event.object_id) == (
        officer,
        "participation.opinion",
        str(opinion.pk),
    )


def test_staff_pages_need_login_and_permissions(client: Client):
    rnd = make_round()
    opinion = submit_comment(rnd, "意見")
    url = f"/staff/participation/rounds/{rnd.pk}/opinions/"
    assert client.post(url, {"opinion": [opinion.pk]})["Location"].startswith("/staff/login/")
    client.force_login(make_user("reader"))
    assert client.get(url).status_code == 200
    denied = client.post(url, {"opinion": [opinion.pk], "group": "new", "action": "group"})
    assert denied.status_code == 403
    assert OpinionGroup.objects.count() == 0
    hide = client.post(
        f"/staff/participation/opinions/{opinion.pk}/", {"action": "hide", "reason": "x"}
    )
    assert hide.status_code == 403
    opinion.refresh_from_db()
    assert opinion.is_hidden is False


def test_staff_group_answer_and_publish_through_pages(client: Client):
    rnd = make_round()
    a = submit_comment(rnd, "保育所を増やして")
    b = submit_comment(rnd, "保育園を増やしてほしい")
    PublicCommentRound.objects.filter(pk=rnd.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=40),
        ends_at=timezone.now() - dt.timedelta(days=1),
    )
    c = submit_comment(rnd, "保育園を　増やしてほしい")  # the same text, organised submission
    staff = make_user("kikaku", "change_publiccommentround", "publish_result")
    client.force_login(staff)
    page = client.get(f"/staff/participation/rounds/{rnd.pk}/opinions/").content.decode()
    assert page.count("同じ文面 2件") == 2
    response = client.post(
        f"/staff/participation/rounds/{rnd.pk}/opinions/",
        {"opinion": [a.pk, b.pk, c.pk], "group": "new", "action": "group"},
    )
    assert response.status_code == 302
    group = OpinionGroup.objects.get()
    assert set(group.opinions.values_list("pk", flat=True)) == {a.pk, b.pk, c.pk}
    response = client.post(
        f"/staff/participation/rounds/{rnd.pk}/groups/{group.pk}/",
        {
            "version": group.version,
            "location": "計画全体",
            "summary": "保育所を増やしてほしい。",
            "city_view": "施策1-1で保育の受け皿の確保に取り組みます。",
            "reflection": "B",
            "paragraph": "",
            "revised_text": "",
        },
    )
    assert response.status_code == 302
    response = client.post(f"/staff/participation/rounds/{rnd.pk}/result/", {"action": "publish"})
    assert response.status_code == 302
    rnd.refresh_from_db()
    assert rnd.result_data["rows"][0]["reflection_label"] == "既に趣旨を含む"
    assert rnd.result_data["opinion_count"] == 3
    assert rnd.result_data["submitter_count"] == 1  # same name and address
    assert rnd.result_data["rows"][0]["opinion_count"] == 3


def test_staff_records_a_paper_opinion_for_a_hearing(client: Client):
    staff = make_user("kocho", "change_opinion", "change_hearing")
    client.force_login(staff)
    response = client.post(
        "/staff/participation/hearings/new/",
        {
            "title": "子育て世代との意見交換会",
            "group_name": "鶴ヶ島子育てネットワーク",
            "held_on": "2024-05-18",
            "place": "市役所 会議室",
            "participants": "会員12人、市職員3人",
            "notes": "",
        },
    )
    assert response.status_code == 302
    hearing_id = int(response["Location"].rstrip("/").split("/")[-1])
    response = client.post(
        "/staff/participation/opinions/new/",
        {
            "source": "hearing",
            "hearing": hearing_id,
            "channel": "paper",
            "received_at": "2024-05-18T15:00",
            "text": "放課後の居場所を増やしてほしい。",
            "name": "",
        },
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.source, opinion.channel, opinion.hearing_id) == (
        "hearing",
        "hearing",
        hearing_id,
    )
    assert opinion.receipt_number == "H-2024-00001"
    assert opinion.received_at == dt.datetime(2024, 5, 18, 6, 0, tzinfo=dt.UTC)
    assert opinion.recorded_by == staff
    assert PersonalData.objects.count() == 0


def test_staff_export_has_no_personal_data(client: Client):
    rnd = make_round()
    submit_comment(rnd, "=1+2 連絡先 taro@example.jp")
    client.force_login(make_user("reader"))
    response = client.get(
        f"/staff/participation/opinions/export.csv?source=public-comment:{rnd.pk}"
    )
    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert body.splitlines()[0].startswith("id,text,received_at,source,round_id")
    assert "'=1+2 連絡先 ［メールアドレス］" in body
    assert "鶴ヶ島 太郎" not in body
    assert "三ツ木新町" not in body


def test_round_settings_page_warns_on_short_period(client: Client):
    make_small_plan()
    client.force_login(make_user("kikaku", "change_publiccommentround"))
    response = client.post(
        "/staff/participation/rounds/new/",
        {
            "title": "短い意見募集",
            "starts_at": "2024-06-01T00:00",
            "ends_at": "2024-06-15T23:59",
            "eligibility_note": "市内在住の方",
            "categories_text": "A 反映し修正\nB 既に趣旨を含む",
            "reflected_codes": "A",
        },
    )
    assert response.status_code == 200
    assert "意見募集の期間が15日間で、30日に足りません。" in response.content.decode()
    assert PublicCommentRound.objects.count() == 0


def test_short_period_with_a_reason_saves_with_a_warning(client: Client):
    make_small_plan()
    client.force_login(make_user("kikaku", "change_publiccommentround"))
    response = client.post(
        "/staff/participation/rounds/new/",
        {
            "title": "短い意見募集",
            "starts_at": "2024-06-01T00:00",
            "ends_at": "2024-06-15T23:59",
            "short_period_reason": "国の制度改正に合わせた軽微な修正のため",
            "eligibility_note": "市内在住の方",
            "categories_text": "A 反映し修正\nB 既に趣旨を含む",
            "reflected_codes": "A",
        },
        follow=True,
    )
    html = response.content.decode()
    assert (
        "募集期間が15日間で、30日より短くなっています。理由: 国の制度改正に合わせた軽微な修正のため"
        in html
    )
    rnd = PublicCommentRound.objects.get()
    assert rnd.reflection_categories == [
        {"code": "A", "label": "反映し修正", "reflected": True},
        {"code": "B", "label": "既に趣旨を含む", "reflected": False},
    ]


def test_every_staff_page_renders_for_a_full_role(client: Client):
    rnd = _published_result()
    opinion = Opinion.objects.filter(round=rnd).first()
    group = OpinionGroup.objects.filter(round=rnd).first()
    hearing = services.hearing_create(
        hearing=Hearing(title="意見交換会", group_name="自治会連合会", held_on=dt.date(2024, 5, 1)),
        actor="test",
    )
    user = make_user(
        "all",
        "change_opinion",
        "moderate_opinion",
        "view_personaldata",
        "change_hearing",
        "change_publiccommentround",
        "publish_result",
    )
    client.force_login(user)
    urls = [
        "/staff/participation/opinions/",
        "/staff/participation/opinions/?source=public_comment&status=received&hidden=all&q=意見",
        "/staff/participation/opinions/new/",
        f"/staff/participation/opinions/new/?round={rnd.pk}",
        f"/staff/participation/opinions/{opinion.pk}/",
        "/staff/participation/hearings/",
        "/staff/participation/hearings/new/",
        f"/staff/participation/hearings/{hearing.pk}/",
        "/staff/participation/rounds/",
        "/staff/participation/rounds/new/",
        f"/staff/participation/rounds/{rnd.pk}/",
        f"/staff/participation/rounds/{rnd.pk}/settings/",
        f"/staff/participation/rounds/{rnd.pk}/opinions/",
        f"/staff/participation/rounds/{rnd.pk}/groups/{group.pk}/",
        f"/staff/participation/rounds/{rnd.pk}/result/",
        "/staff/participation/opinions/export.xlsx?source=proposals",
        "/participation/",
        f"/participation/comments/{rnd.pk}/",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_related_material_is_served_as_pdf(client: Client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rnd = make_round()
    material = services.round_material_add(
        round=rnd, title="素案の概要版", filename="gaiyo.pdf", data=b"%PDF-1.4\n%%EOF\n", actor="t"
    )
    page = client.get(f"/participation/comments/{rnd.pk}/").content.decode()
    assert (
        f'href="/participation/comments/{rnd.pk}/materials/{material.pk}/">素案の概要版</a>' in page
    )
    response = client.get(f"/participation/comments/{rnd.pk}/materials/{material.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF\n"
