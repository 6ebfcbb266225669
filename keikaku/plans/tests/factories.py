"""Small builders for plan-structure test data (real Japanese text, natural keys)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from keikaku.accounts.models import Department
from keikaku.plans import models as m


def make_staff(
    username: str = "henshu",
    *,
    full_name: str = "髙橋 一郎",
    publish: bool = True,
    superuser: bool = False,
):
    User = get_user_model()
    last, _, first = full_name.partition(" ")
    user = User.objects.create_user(
        username=username,
        password="pass-for-tests-1",
        is_staff=True,
        is_superuser=superuser,
        last_name=last,
        first_name=first,
    )
    perms = ["change_measure"] + (["change_edition"] if publish else [])
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="plans", codename__in=perms)
    )
    return User.objects.get(pk=user.pk)


@dataclass
class SmallPlan:
    municipality: m.Municipality
    plan: m.ComprehensivePlan
    edition: m.Edition
    area: m.PolicyArea
    measure: m.Measure
    indicator: m.Indicator
    strategy: m.PriorityStrategy
    department: Department


def make_small_plan() -> SmallPlan:
    muni = m.Municipality.objects.create(
        code="112411", name="鶴ヶ島市", prefecture="埼玉県", is_demo=True
    )
    plan = m.ComprehensivePlan.objects.create(
        municipality=muni, title="第6次鶴ヶ島市総合計画", ordinal=6, start_fy=2020, end_fy=2029
    )
    m.BasicConcept.objects.create(
        plan=plan, vision="しあわせ共感 安心のまち つるがしま", start_fy=2020, end_fy=2029
    )
    edition = m.Edition.objects.create(
        plan=plan,
        kind="latter",
        title="後期基本計画",
        start_fy=2025,
        end_fy=2029,
        status="in_force",
    )
    dept = Department.objects.create(code="K01", name="こども支援課")
    area = m.PolicyArea.objects.create(edition=edition, number=1, title="子育て・教育")
    measure = m.Measure.objects.create(
        area=area,
        code="1-1",
        title="子育て支援の充実",
        plain_summary="子どもを育てる家族を手伝います。",
        target_state="安心して子どもを産み育てられるまち",
        current_issues="共働き世帯が増えています。",
        sdgs=[3, 4],
    )
    measure.departments.add(dept)
    m.Initiative.objects.create(
        measure=measure, title="保育の受け皿の確保", responsible_section=dept
    )
    indicator = m.Indicator.objects.create(
        measure=measure,
        code="1-1-1",
        name="待機児童数",
        unit="人",
        direction="decrease",
        baseline_value=12,
        baseline_fy=2023,
        target_value=0,
        target_fy=2029,
    )
    m.IndicatorValue.objects.create(indicator=indicator, fiscal_year=2025, value=7)
    strategy = m.PriorityStrategy.objects.create(
        edition=edition, number=1, title="こどもにやさしいまちづくり"
    )
    strategy.measures.add(measure)
    return SmallPlan(muni, plan, edition, area, measure, indicator, strategy, dept)
