"""The staff back office: access, editing with history, optimistic concurrency, lists."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from keikaku.core.models import AuditEvent
from keikaku.plans.models import Measure
from keikaku.plans.tests.factories import make_small_plan, make_staff

pytestmark = pytest.mark.django_db


def _form_data(measure: Measure, **overrides):
    data = {
        "area": measure.area_id,
        "code": measure.code,
        "order": measure.order,
        "title": measure.title,
        "title_en": "",
        "plain_summary": measure.plain_summary,
        "target_state": measure.target_state,
        "current_issues": measure.current_issues,
        "role_citizens": "",
        "role_businesses": "",
        "role_city": "",
        "departments": [d.pk for d in measure.departments.all()],
        "sdgs": "3、4",
        "related_plans": "",
        "version": measure.version,
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_login_and_nothing_changes(client: Client):
    plan = make_small_plan()
    url = f"/staff/plan/measures/{plan.measure.pk}/"
    response = client.post(url, _form_data(plan.measure, title="乗っ取り"))
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")
    assert Measure.objects.get(pk=plan.measure.pk).title == "子育て支援の充実"


def test_non_staff_user_gets_japanese_403_and_nothing_changes(client: Client):
    plan = make_small_plan()
    citizen = get_user_model().objects.create_user("shimin", password="pass-for-tests-1")
    client.force_login(citizen)
    response = client.post(
        f"/staff/plan/measures/{plan.measure.pk}/", _form_data(plan.measure, title="乗っ取り")
    )
    assert response.status_code == 403
    assert "職員用ページを見る権限がありません。" in response.content.decode()
    assert Measure.objects.get(pk=plan.measure.pk).title == "子育て支援の充実"
    assert AuditEvent.objects.count() == 0


def test_staff_without_edit_permission_cannot_save(client: Client):
    plan = make_small_plan()
    reader = get_user_model().objects.create_user(
        "yomu", password="pass-for-tests-1", is_staff=True
    )
    client.force_login(reader)
    assert client.get(f"/staff/plan/measures/{plan.measure.pk}/").status_code == 200
    response = client.post(
        f"/staff/plan/measures/{plan.measure.pk}/", _form_data(plan.measure, title="変更")
    )
    assert response.status_code == 403
    assert Measure.objects.get(pk=plan.measure.pk).title == "子育て支援の充実"


def test_edit_saves_records_history_and_shows_character_diff(client: Client):
    plan = make_small_plan()
    client.force_login(make_staff())
    response = client.post(
        f"/staff/plan/measures/{plan.measure.pk}/",
        _form_data(plan.measure, title="子育て支援の拡充"),
    )
    assert response.status_code == 302
    measure = Measure.objects.get(pk=plan.measure.pk)
    assert measure.title == "子育て支援の拡充"
    assert measure.version == 2
    html = client.get(f"/staff/plan/measures/{measure.pk}/history/").content.decode()
    # 子育て支援の[+拡]充[-実]: character-level, the shared 充 stays plain
    assert '子育て支援の<ins class="diff-ins">拡</ins>充<del class="diff-del">実</del>' in html
    assert "髙橋 一郎" in html


def test_stale_edit_is_refused_with_the_name_of_who_changed_it(client: Client):
    plan = make_small_plan()
    first, second = Client(), Client()
    first.force_login(make_staff("a", full_name="𠮷田 花子"))
    second.force_login(make_staff("b", full_name="髙橋 一郎"))
    stale = _form_data(plan.measure)
    first.post(f"/staff/plan/measures/{plan.measure.pk}/", {**stale, "title": "花子の案"})
    response = second.post(
        f"/staff/plan/measures/{plan.measure.pk}/", {**stale, "title": "一郎の案"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "𠮷田 花子 さんが変更しました" in html
    assert "あなたの変更は保存していません" in html
    measure = Measure.objects.get(pk=plan.measure.pk)
    assert measure.title == "花子の案"
    assert measure.version == 2


def test_invalid_sdgs_gets_a_japanese_message_and_nothing_changes(client: Client):
    plan = make_small_plan()
    client.force_login(make_staff())
    response = client.post(
        f"/staff/plan/measures/{plan.measure.pk}/", _form_data(plan.measure, sdgs="3、18")
    )
    assert response.status_code == 200
    assert "SDGs のゴール「18」は 1 から 17 の数字で入力してください。" in response.content.decode()
    assert Measure.objects.get(pk=plan.measure.pk).sdgs == [3, 4]


def test_duplicate_measure_code_is_refused(client: Client):
    plan = make_small_plan()
    client.force_login(make_staff())
    data = _form_data(plan.measure, code="1-1", title="別の施策")
    data.pop("version")
    response = client.post("/staff/plan/measures/new/", data)
    assert response.status_code == 200
    assert "施策番号「1-1」はこの計画で既に使われています。" in response.content.decode()
    assert Measure.objects.count() == 1


def test_list_search_and_sort(client: Client):
    plan = make_small_plan()
    Measure.objects.create(area=plan.area, code="1-2", title="学校教育の充実")
    client.force_login(make_staff())
    html = client.get("/staff/plan/measures/?q=学校").content.decode()
    assert "学校教育の充実" in html and "子育て支援の充実" not in html
    html = client.get("/staff/plan/measures/?sort=-code").content.decode()
    assert html.index("1-2") < html.index("1-1")


def test_delete_is_audited_with_the_content_before(client: Client):
    plan = make_small_plan()
    client.force_login(make_staff())
    initiative = plan.measure.initiatives.get()
    response = client.post(f"/staff/plan/initiatives/{initiative.pk}/delete/")
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="delete")
    assert event.before["title"] == "保育の受け皿の確保"


def test_publish_from_staff_updates_the_public_page(client: Client):
    plan = make_small_plan()
    client.force_login(make_staff())
    assert client.post(f"/staff/plan/editions/{plan.edition.pk}/publish/").status_code == 302
    public = Client()
    assert "子育て支援の充実" in public.get("/plan/measures/1-1/").content.decode()


def test_lists_show_the_latest_edition_by_default_and_all_on_request(client: Client):
    from keikaku.plans.models import Edition, PolicyArea

    plan = make_small_plan()
    former = Edition.objects.create(
        plan=plan.plan, kind="former", title="前期基本計画", start_fy=2020, end_fy=2024
    )
    old_area = PolicyArea.objects.create(edition=former, number=1, title="旧分野")
    Measure.objects.create(area=old_area, code="1-1", title="前期だけの施策")
    client.force_login(make_staff())
    html = client.get("/staff/plan/measures/").content.decode()
    assert "子育て支援の充実" in html and "前期だけの施策" not in html
    html = client.get(f"/staff/plan/measures/?edition_filter={former.pk}").content.decode()
    assert "前期だけの施策" in html and "子育て支援の充実" not in html
    html = client.get("/staff/plan/measures/?edition_filter=all").content.decode()
    assert "前期だけの施策" in html and "子育て支援の充実" in html
