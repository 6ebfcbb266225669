"""A small former plan (前期, FY2020–2024) with yearly actuals, for evaluation tests.

Area 1 子育て・教育: measure 1-1 (two indicators), 1-2 (one cumulative, one milestone);
area 2 健康・福祉: measure 2-1 (a survey-based indicator and one without a target).
Programmes: P-1 (measure 1-1, section こども支援課) and P-2 (measure 2-1, 健康長寿課).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from keikaku.accounts.models import Department
from keikaku.plans import models as m


@dataclass
class FormerPlan:
    municipality: m.Municipality
    plan: m.ComprehensivePlan
    edition: m.Edition
    areas: dict[int, m.PolicyArea]
    measures: dict[str, m.Measure]
    indicators: dict[str, m.Indicator]
    programmes: dict[str, m.Programme]
    child_section: Department
    health_section: Department
    child_dept: Department


def _values(ind: m.Indicator, values: dict[int, float | None]) -> None:
    for fy, value in values.items():
        m.IndicatorValue.objects.create(indicator=ind, fiscal_year=fy, value=value)


def _indicator(
    owner: m.Measure | m.PriorityStrategy,
    code: str,
    name: str,
    baseline: float,
    target: float | None,
    **fields: Any,
) -> m.Indicator:
    """An indicator of a measure or a priority strategy, baseline FY2018 and target FY2024
    and direction increase unless ``fields`` say otherwise; its order is the last number of
    its code (「1-2-1」 → 1, 「S1-2」 → 2)."""
    fields = {"direction": "increase", "baseline_fy": 2018, "target_fy": 2024, **fields}
    return m.Indicator.objects.create(
        **{"strategy" if isinstance(owner, m.PriorityStrategy) else "measure": owner},
        code=code,
        order=int(code.rsplit("-", 1)[1]),
        name=name,
        baseline_value=baseline,
        target_value=target,
        **fields,
    )


def make_former_plan() -> FormerPlan:
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
        kind="former",
        title="前期基本計画",
        start_fy=2020,
        end_fy=2024,
        status="in_force",
    )
    child_dept = Department.objects.create(code="06", name="こども支援部", kind="department")
    child = Department.objects.create(code="0601", name="こども支援課", parent=child_dept)
    health_dept = Department.objects.create(code="05", name="健康福祉部", kind="department")
    health = Department.objects.create(code="0505", name="健康長寿課", parent=health_dept)
    a1 = m.PolicyArea.objects.create(edition=edition, number=1, title="子育て・教育")
    a2 = m.PolicyArea.objects.create(edition=edition, number=2, title="健康・福祉")
    m11 = m.Measure.objects.create(area=a1, code="1-1", order=1, title="子育て支援の充実")
    m11.departments.add(child)
    m12 = m.Measure.objects.create(area=a1, code="1-2", order=2, title="学校施設の整備")
    m12.departments.add(child)
    m21 = m.Measure.objects.create(area=a2, code="2-1", order=1, title="健康づくりの推進")
    m21.departments.add(health)
    m.Initiative.objects.create(measure=m11, title="保育の受け皿の確保", responsible_section=child)
    inds = {
        # increase: 40 → 50
        "1-1-1": _indicator(m11, "1-1-1", "地域子育て拠点の利用者数", 40, 50, unit="人"),
        # decrease: 12 → 0
        "1-1-2": _indicator(m11, "1-1-2", "待機児童数", 12, 0, unit="人", direction="decrease"),
        # cumulative (running totals): 0 → 4
        "1-2-1": _indicator(
            m12, "1-2-1", "長寿命化改修を終えた学校の数（累計）", 0, 4, unit="校", cumulative=True
        ),
        # milestone
        "1-2-2": _indicator(
            m12, "1-2-2", "学校施設長寿命化計画の改定", 0, 1, direction="milestone"
        ),
        # survey-based: 60.0 → 66.0 points
        "2-1-1": _indicator(
            m21, "2-1-1", "健康だと感じる市民の割合", 60.0, 66.0, unit="%", survey_based=True
        ),
        # no target: cannot be evaluated
        "2-1-2": _indicator(m21, "2-1-2", "特定健診の受診率", 35.0, None, unit="%", target_fy=None),
    }
    _values(inds["1-1-1"], {2020: 42, 2021: 44, 2022: 45, 2023: 47, 2024: 48})
    _values(inds["1-1-2"], {2020: 10, 2021: 8, 2022: 5, 2023: 3, 2024: 2})
    _values(inds["1-2-1"], {2020: 1, 2021: 1, 2022: 2, 2023: 3})
    _values(inds["1-2-2"], {2022: 0, 2023: 1, 2024: 1})
    _values(inds["2-1-1"], {2020: 61.0, 2022: 58.0, 2024: 62.0})
    _values(inds["2-1-2"], {2024: 38.0})
    p1 = m.Programme.objects.create(
        edition=edition, code="P-1", name="地域子育て支援拠点事業", department=child, measure=m11
    )
    p2 = m.Programme.objects.create(
        edition=edition, code="P-2", name="健康マイレージ事業", department=health, measure=m21
    )
    # FY2024 plan and actual: total = national + prefectural + general (no bonds, no other)
    for is_plan, total, national, prefectural, general in (
        (True, 38500, 12800, 12800, 12900),
        (False, 37000, 12300, 12300, 12400),
    ):
        m.ProgrammeCost.objects.create(
            programme=p1,
            fiscal_year=2024,
            is_plan=is_plan,
            total=total,
            national=national,
            prefectural=prefectural,
            bonds=0,
            other=0,
            general=general,
        )
    m.ProgrammeCost.objects.create(programme=p2, fiscal_year=2024, is_plan=True, total=5200)
    return FormerPlan(
        municipality=muni,
        plan=plan,
        edition=edition,
        areas={1: a1, 2: a2},
        measures={"1-1": m11, "1-2": m12, "2-1": m21},
        indicators=inds,
        programmes={"P-1": p1, "P-2": p2},
        child_section=child,
        health_section=health,
        child_dept=child_dept,
    )


def make_user(
    username: str,
    *,
    department: Department | None = None,
    secretariat: bool = False,
    publisher: bool = False,
    full_name: str = "髙橋 一郎",
):
    User = get_user_model()
    last, _, first = full_name.partition(" ")
    user = User.objects.create_user(
        username=username,
        password="pass-for-tests-1",
        is_staff=True,
        last_name=last,
        first_name=first,
        department=department,
    )
    if secretariat:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="evaluation", codename="confirm_sheet")
        )
    if publisher:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="plans", codename="change_edition")
        )
    return User.objects.get(pk=user.pk)


@dataclass
class Strategies:
    strategies: dict[int, m.PriorityStrategy]
    indicators: dict[str, m.Indicator]


def add_strategies(fp: FormerPlan) -> Strategies:
    """Two priority strategies of the former plan, with their own indicators (FY2024 final):

    重点戦略1 こどもにやさしいまちづくり (measures 1-1, 1-2):
      S1-1 合計特殊出生率 1.05 → 1.20, actual 1.11 in FY2024;
      S1-2 子育て世代の転入超過数 95 → 140 人, actual 140 in FY2024.
    重点戦略2 いつまでも健康でいられるまちづくり (measure 2-1):
      S2-1 65歳健康寿命（男性） 17.62 → 18.00 年, never reported.
    """
    s1 = m.PriorityStrategy.objects.create(
        edition=fp.edition,
        number=1,
        title="こどもにやさしいまちづくり",
        basic_goal="合計特殊出生率を 1.20 に高めます。",
    )
    s1.measures.add(fp.measures["1-1"], fp.measures["1-2"])
    s2 = m.PriorityStrategy.objects.create(
        edition=fp.edition, number=2, title="いつまでも健康でいられるまちづくり"
    )
    s2.measures.add(fp.measures["2-1"])
    inds = {
        "S1-1": _indicator(s1, "S1-1", "合計特殊出生率", 1.05, 1.20),
        "S1-2": _indicator(s1, "S1-2", "子育て世代の転入超過数", 95, 140, unit="人"),
        "S2-1": _indicator(s2, "S2-1", "65歳健康寿命（男性）", 17.62, 18.00, unit="年"),
    }
    _values(inds["S1-1"], {2022: 1.08, 2024: 1.11})
    _values(inds["S1-2"], {2024: 140})
    return Strategies(strategies={1: s1, 2: s2}, indicators=inds)
