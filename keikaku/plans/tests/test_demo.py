"""The demo city: real facts of Tsurugashima's plan, complete illustrative content, idempotence.

Loading the demo writes about 1,200 audited rows, so the module loads it once (committed to
the test database) and empties the database when the module ends; every test runs in its own
transaction that is rolled back, so tests can change data without affecting each other.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test.utils import override_settings

from keikaku.accounts.models import Department
from keikaku.core.backup import backup_models, table_rows
from keikaku.core.models import AuditEvent
from keikaku.plans.demo.loader import DemoRefused, demo_load
from keikaku.plans.demo.organisation import DEMO_PASSWORD
from keikaku.plans.demo.programmes import PROGRAMMES
from keikaku.plans.demo.series import programme_costs
from keikaku.plans.demo.specs import ProgrammeSpec
from keikaku.plans.models import (
    BasicConcept,
    BasicGoal,
    ComprehensivePlan,
    Edition,
    Indicator,
    IndicatorValue,
    Initiative,
    Measure,
    Municipality,
    PolicyArea,
    PriorityStrategy,
    Programme,
    ProgrammeCost,
    PublishedPage,
)
from keikaku.plans.selectors import edition_public_current

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_APPS = {"auth", "contenttypes", "core", "accounts", "plans"}


def _rows() -> dict[str, list[list[object]]]:
    """Every row of the tables the demo writes to."""
    return {
        m._meta.label_lower: list(table_rows(m))
        for m in backup_models()
        if m._meta.app_label in DEMO_APPS
    }


LATTER_STRATEGY_NAMES = [
    "こどもにやさしいまちづくり",
    "いつまでも健康でいられるまちづくり",
    "多様な働き方が実現できるまちづくり",
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        result = demo_load()
    yield result
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def _latter() -> Edition:
    return Edition.objects.get(kind="latter")


def _former() -> Edition:
    return Edition.objects.get(kind="former")


def test_real_facts_of_the_city_and_its_plan():
    muni = Municipality.objects.get()
    assert (muni.code, muni.name, muni.prefecture, muni.is_demo) == (
        "112411",
        "鶴ヶ島市",
        "埼玉県",
        True,
    )
    plan = ComprehensivePlan.objects.get()
    assert (plan.title, plan.ordinal, plan.start_fy, plan.end_fy) == (
        "第6次鶴ヶ島市総合計画",
        6,
        2020,
        2029,
    )
    assert (plan.adopted_on.year, plan.adopted_on.month) == (2020, 3)
    concept = BasicConcept.objects.get()
    assert concept.vision == "しあわせ共感 安心のまち つるがしま"
    assert (concept.start_fy, concept.end_fy) == (2020, 2029)
    assert BasicGoal.objects.filter(concept=concept).count() == 7
    former, latter = _former(), _latter()
    assert (former.title, former.start_fy, former.end_fy, former.status) == (
        "前期基本計画",
        2020,
        2024,
        "ended",
    )
    assert (latter.title, latter.start_fy, latter.end_fy, latter.status) == (
        "後期基本計画",
        2025,
        2029,
        "in_force",
    )
    assert latter.predecessor_id == former.pk
    assert former.predecessor_id is None
    # English titles, shown by the public pages in English
    assert (muni.name_en, plan.title_en) == (
        "Tsurugashima City",
        "The 6th Tsurugashima City Comprehensive Plan",
    )
    assert (former.title_en, latter.title_en) == (
        "First Basic Plan (FY2020–2024)",
        "Second Basic Plan (FY2025–2029)",
    )
    home = PublishedPage.objects.get(edition=latter, kind="edition", key="home").data
    assert (home["plan_title_en"], home["title_en"]) == (
        "The 6th Tsurugashima City Comprehensive Plan",
        "Second Basic Plan (FY2025–2029)",
    )
    assert "デモ用の架空データ" in latter.introduction
    assert "デモ用の架空データ" in former.introduction


def test_each_edition_has_7_areas_and_40_measures():
    for edition in (_former(), _latter()):
        assert PolicyArea.objects.filter(edition=edition).count() == 7
        assert Measure.objects.filter(area__edition=edition).count() == 40
        codes = list(Measure.objects.filter(area__edition=edition).values_list("code", flat=True))
        assert len(set(codes)) == 40
    # Former and latter measures are linked one to one.
    latter_measures = Measure.objects.filter(area__edition=_latter())
    assert all(m.predecessor and m.predecessor.code == m.code for m in latter_measures)
    assert Measure.objects.get(area__edition=_former(), code="7-5").title == "情報化の推進"
    assert (
        Measure.objects.get(area__edition=_latter(), code="7-5").title == "デジタル化（DX）の推進"
    )


def test_latter_plan_has_the_three_real_priority_strategies():
    names = list(
        PriorityStrategy.objects.filter(edition=_latter())
        .order_by("number")
        .values_list("title", flat=True)
    )
    assert names == LATTER_STRATEGY_NAMES
    former = PriorityStrategy.objects.filter(edition=_former()).order_by("number")
    assert former.count() == 3
    assert all("デモ用の架空データ" in s.description for s in former)
    for strategy in PriorityStrategy.objects.all():
        assert strategy.measures.count() >= 4
        assert {m.area.edition_id for m in strategy.measures.all()} == {strategy.edition_id}
        assert strategy.indicators.count() >= 1
        for ind in strategy.indicators.all():
            assert ind.values.count() >= 1


def test_every_measure_is_complete():
    for measure in Measure.objects.prefetch_related("departments", "initiatives", "indicators"):
        assert 1 <= measure.indicators.count() <= 3, measure.code
        assert 2 <= measure.initiatives.count() <= 4, measure.code
        assert 1 <= measure.departments.count() <= 3, measure.code
        assert {d.kind for d in measure.departments.all()} == {"section"}
        assert all(
            i.responsible_section and i.responsible_section.kind == "section"
            for i in measure.initiatives.all()
        )
        assert measure.sdgs and all(1 <= g <= 17 for g in measure.sdgs), measure.code
        assert measure.target_state.endswith("。")
        assert 2 <= measure.current_issues.count("。") <= 4, measure.code
        assert measure.role_citizens and measure.role_businesses and measure.role_city
        # やさしい日本語: short sentences, one per line.
        lines = measure.plain_summary.split("\n")
        assert len(lines) == 3, measure.code
        assert all(
            line.endswith("。") and line.count("。") == 1 and len(line) <= 30 for line in lines
        ), measure.code


def test_indicators_have_baselines_targets_and_yearly_actuals():
    directions: Counter[str] = Counter()
    for ind in Indicator.objects.filter(measure__isnull=False).select_related(
        "measure__area__edition"
    ):
        edition = ind.measure.area.edition
        years = list(ind.values.order_by("fiscal_year").values_list("fiscal_year", flat=True))
        if edition.kind == "former":
            assert (ind.baseline_fy, ind.target_fy) == (2018, 2024)
            assert years == [2020, 2021, 2022, 2023, 2024]
        else:
            assert (ind.baseline_fy, ind.target_fy) == (2023, 2029)
            assert years == [2025]
            directions[ind.direction] += 1
        if ind.direction == "increase":
            assert ind.target_value > ind.baseline_value, ind.code
        elif ind.direction == "decrease":
            assert ind.target_value < ind.baseline_value, ind.code
        else:
            assert ind.direction == "maintain"
            assert ind.target_value == ind.baseline_value, ind.code
        assert ind.source.endswith("（デモ用の架空データ）")
    assert set(directions) == {"increase", "decrease", "maintain"}
    latter = Indicator.objects.filter(measure__area__edition=_latter())
    assert latter.filter(survey_based=True, unit="%").count() >= 8
    assert latter.filter(cumulative=True).count() >= 1
    # The latter baseline is the former plan's FY2023 actual (cumulative KPIs restart at 0).
    for ind in latter.filter(cumulative=False):
        former_2023 = IndicatorValue.objects.get(indicator=ind.predecessor, fiscal_year=2023)
        assert ind.baseline_value == former_2023.value, ind.code
    for ind in latter.filter(cumulative=True):
        assert ind.baseline_value == 0


def test_waiting_children_golden_values():
    former = Indicator.objects.get(measure__area__edition=_former(), code="1-2-1")
    assert (former.direction, former.baseline_value, former.target_value) == ("decrease", 12, 0)
    assert list(former.values.values_list("value", flat=True)) == [8, 5, 2, 0, 0]
    latter = Indicator.objects.get(measure__area__edition=_latter(), code="1-2-1")
    assert (latter.direction, latter.baseline_value, latter.target_value) == ("maintain", 0, 0)
    assert latter.values.get().as_of == dt.date(2026, 4, 1)


def test_programmes_link_measures_and_sections_and_funding_sums():
    latter = _latter()
    assert Programme.objects.filter(edition=latter).count() == len(PROGRAMMES) == 61
    for programme in Programme.objects.select_related("measure__area", "department"):
        assert programme.measure.area.edition_id == latter.pk
        assert programme.department.kind == "section"
        years = list(programme.costs.order_by("fiscal_year").values_list("fiscal_year", flat=True))
        assert years == [2025, 2026, 2027]
    for cost in ProgrammeCost.objects.all():
        parts = [cost.national, cost.prefectural, cost.bonds, cost.other, cost.general]
        assert all(p >= 0 for p in parts)
        assert sum(parts) == cost.total
        cost.full_clean()


def test_programme_cost_golden_first_year():
    spec = ProgrammeSpec(
        "X-1",
        "テスト事業",
        "1-2",
        "0602",
        "",
        1_850_000,
        growth=0.02,
        national=0.5,
        prefectural=0.25,
    )
    first = programme_costs(spec)[0]
    # 1,850,000 × 0.5 = 925,000 (国庫); × 0.25 = 462,500 (県); 一般財源 = 1,850,000 − 925,000 − 462,500
    assert (
        first.total,
        first.national,
        first.prefectural,
        first.bonds,
        first.other,
        first.general,
    ) == (1_850_000, 925_000, 462_500, 0, 0, 462_500)
    assert programme_costs(spec) == programme_costs(spec)


def test_departments_staff_and_permissions():
    assert Department.objects.filter(kind="department").count() == 9
    secretariat = Department.objects.get(name="政策推進課")
    assert secretariat.parent.name == "総合政策部"
    User = get_user_model()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    jimukyoku = User.objects.get(username="jimukyoku")
    henshu = User.objects.get(username="henshu")
    assert (jimukyoku.last_name, jimukyoku.first_name) == ("𠮷田", "花子")
    assert jimukyoku.get_full_name() == "𠮷田 花子"
    assert (henshu.last_name, henshu.first_name) == ("髙橋", "一郎")
    assert henshu.get_full_name() == "髙橋 一郎"
    assert jimukyoku.department_id == secretariat.pk
    assert jimukyoku.is_staff and henshu.is_staff
    assert not jimukyoku.is_superuser and not henshu.is_superuser
    assert jimukyoku.has_perm("plans.change_measure") and jimukyoku.has_perm("plans.change_edition")
    assert henshu.has_perm("plans.change_measure") and not henshu.has_perm("plans.change_edition")
    assert all(u.check_password(DEMO_PASSWORD) for u in (admin, jimukyoku, henshu))


def test_latter_edition_is_published_and_former_is_not(demo):
    latter, former = _latter(), _former()
    assert latter.is_public and not former.is_public
    assert edition_public_current() == latter
    # 1 home + 7 areas + 40 measures + 3 strategies
    assert demo.published_pages == 51
    assert PublishedPage.objects.filter(edition=latter).count() == 51
    assert PublishedPage.objects.filter(edition=former).count() == 0
    page = PublishedPage.objects.get(edition=latter, kind="edition", key="home")
    assert page.data["vision"] == "しあわせ共感 安心のまち つるがしま"
    assert [s["title"] for s in page.data["strategies"]] == LATTER_STRATEGY_NAMES


def test_second_run_creates_and_changes_nothing():
    before = _rows()
    events = AuditEvent.objects.count()

    result = demo_load()

    assert result.total_created == 0
    assert result.published_pages is None
    assert AuditEvent.objects.count() == events
    assert _rows() == before


def test_second_run_keeps_staff_edits_and_fills_in_what_was_deleted():
    measure = Measure.objects.get(area__edition=_latter(), code="1-1")
    measure.title = "職員が変えた施策名"
    measure.save()
    Programme.objects.get(code="7-6-02").delete()

    result = demo_load()

    assert dict(result.created) == {"plans.Programme": 1, "plans.ProgrammeCost": 3}
    assert Measure.objects.get(pk=measure.pk).title == "職員が変えた施策名"
    assert Programme.objects.filter(code="7-6-02").count() == 1


def test_refuses_when_another_municipality_is_registered():
    Municipality.objects.create(code="112429", name="日高市", prefecture="埼玉県")
    message = (
        "データベースには既に別の自治体（日高市、団体コード 112429）が登録されています。"
        "デモデータ（鶴ヶ島市）が混ざらないよう読み込みを中止しました。空のデータベースで"
        "実行するか、それでも読み込む場合は --force を付けてください。"
    )
    with pytest.raises(DemoRefused) as err:
        demo_load()
    assert str(err.value) == message
    with pytest.raises(CommandError) as cmd_err:
        call_command("load_demo")
    assert str(cmd_err.value) == message
    assert demo_load(force=True).total_created == 0


def test_refuses_a_real_tsurugashima():
    Municipality.objects.filter(code="112411").update(is_demo=False)
    with pytest.raises(DemoRefused) as err:
        demo_load()
    assert str(err.value) == (
        "鶴ヶ島市（団体コード 112411）がデモではない実データとして登録されています。"
        "実データにデモデータが混ざらないよう読み込みを中止しました。それでも読み込む"
        "場合は --force を付けてください。"
    )


def test_command_reports_and_prints_the_demo_accounts():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert out.getvalue().splitlines() == [
        "デモデータは読み込み済みです。何も変更していません。",
        "デモ用の職員アカウント（初期パスワードはデモ専用です。実際の運用の前に必ず変更するか削除してください）:",
        "  admin / keikaku-demo-2026  システム 管理者、管理者（スーパーユーザー）",
        "  jimukyoku / keikaku-demo-2026  𠮷田 花子、事務局（政策推進課）",
        "  henshu / keikaku-demo-2026  髙橋 一郎、編集者",
    ]


def test_every_initiative_and_measure_text_is_distinct():
    latter = _latter()
    measures = Measure.objects.filter(area__edition=latter)
    for field in ("title", "plain_summary", "target_state", "current_issues"):
        values = list(measures.values_list(field, flat=True))
        assert len(set(values)) == 40, field
    titles = list(
        Initiative.objects.filter(measure__area__edition=latter).values_list("title", flat=True)
    )
    assert len(set(titles)) == len(titles)
