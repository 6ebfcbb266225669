"""Load the demo city (鶴ヶ島市) through the audited services, idempotently.

Every object is looked up by its natural key first and created only when missing, so a second
run creates nothing, changes nothing and writes no audit event. Objects that exist are left as
they are (a staff user's edits to the demo survive `make run`). The latter edition is published
when the run created anything.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import models, transaction
from django.utils.translation import gettext as _

from keikaku.accounts.models import Department
from keikaku.core.services import audit_record, audited_create
from keikaku.plans.demo.measures import AREAS
from keikaku.plans.demo.organisation import DEMO_PASSWORD, DEPARTMENTS, STAFF
from keikaku.plans.demo.programmes import PROGRAMMES
from keikaku.plans.demo.series import IndicatorPlan, former_plan, latter_plan, programme_costs
from keikaku.plans.demo.specs import ILLUSTRATIVE, IndicatorSpec, StaffSpec, StrategySpec
from keikaku.plans.demo.strategies import FORMER_STRATEGIES, LATTER_STRATEGIES
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
)
from keikaku.plans.services import edition_publish, plan_object_create

ACTOR = "デモデータの読み込み（keikaku load-demo）"

# Facts of the real plan (DOMAIN.md §1, [S]).
MUNICIPALITY_CODE = "112411"
MUNICIPALITY_NAME = "鶴ヶ島市"
PREFECTURE = "埼玉県"
PLAN_TITLE = "第6次鶴ヶ島市総合計画"
PLAN_TITLE_EN = "The 6th Tsurugashima City Comprehensive Plan"
PLAN_ORDINAL = 6
PLAN_START_FY = 2020
PLAN_END_FY = 2029
# Adopted in March 2020 (令和2年3月); the day is not known, the model needs one: end of month.
PLAN_ADOPTED_ON = dt.date(2020, 3, 31)
VISION = "しあわせ共感 安心のまち つるがしま"

DEMO_NOTE = (
    "このデモの政策分野・施策・成果指標・事務事業・重点戦略の内容と数値は、"
    f"{ILLUSTRATIVE}です。実際の鶴ヶ島市の計画の内容とは異なります。"
)

CONCEPT_DESCRIPTION = (
    "基本構想は、令和2（2020）年度から令和11（2029）年度までの10年間のまちづくりの方向を示します。"
    "将来像「しあわせ共感 安心のまち つるがしま」の実現に向けて、7つの政策分野に沿ってまちづくりを進めます。\n\n"
    + DEMO_NOTE
)
POPULATION_FRAME = (
    "国勢調査の人口は、平成27（2015）年の70,255人をピークに、令和2（2020）年は約70,117人です。"
    f"令和11（2029）年の将来人口は約68,000人と見込みます（将来人口は{ILLUSTRATIVE}）。"
)
LAND_USE = (
    "駅周辺に都市機能を集め、住宅地、産業用地、農地と平地林のそれぞれの役割に応じた"
    f"土地利用を進めます（{ILLUSTRATIVE}）。"
)
FORMER_INTRODUCTION = (
    "前期基本計画は、令和2（2020）年度から令和6（2024）年度までの5年間の計画です。"
    "基本構想に掲げた7つの政策分野に沿って40の施策を体系化し、3つの重点戦略を掲げました。\n\n"
    + DEMO_NOTE
)
LATTER_INTRODUCTION = (
    "後期基本計画は、令和7（2025）年度から令和11（2029）年度までの5年間の計画です。"
    "前期基本計画の検証に基づき、人口減少社会への戦略的な対応、デジタル技術を活用した地方創生、"
    "国土強靱化地域計画との連携を重視して策定しました。"
    "令和6（2024）年12月19日に市議会で議決され、令和7（2025）年4月1日から計画期間が始まっています。"
    "3つの重点戦略は、地方版総合戦略としても位置づけています。\n\n" + DEMO_NOTE
)


class DemoRefused(Exception):
    """The database holds data the demo must not be mixed into; the message is Japanese."""


@dataclass(frozen=True)
class DemoLoadResult:
    created: Mapping[str, int]
    published_pages: int | None

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


def demo_check(*, force: bool = False) -> None:
    """Refuse (DemoRefused) when another municipality or a real 鶴ヶ島市 is in the database."""
    if force:
        return
    other = Municipality.objects.exclude(code=MUNICIPALITY_CODE).order_by("id").first()
    if other is not None:
        raise DemoRefused(
            _(
                "データベースには既に別の自治体（%(name)s、団体コード %(code)s）が登録されています。"
                "デモデータ（鶴ヶ島市）が混ざらないよう読み込みを中止しました。空のデータベースで"
                "実行するか、それでも読み込む場合は --force を付けてください。"
            )
            % {"name": other.name, "code": other.code}
        )
    own = Municipality.objects.filter(code=MUNICIPALITY_CODE).first()
    if own is not None and not own.is_demo:
        raise DemoRefused(
            _(
                "鶴ヶ島市（団体コード %(code)s）がデモではない実データとして登録されています。"
                "実データにデモデータが混ざらないよう読み込みを中止しました。それでも読み込む"
                "場合は --force を付けてください。"
            )
            % {"code": MUNICIPALITY_CODE}
        )


def demo_load(*, force: bool = False) -> DemoLoadResult:
    """Load the demo city; idempotent. Raises DemoRefused (see `demo_check`) unless `force`."""
    with transaction.atomic():
        demo_check(force=force)
        return _Loader().run()


def staff_accounts() -> Sequence[StaffSpec]:
    return STAFF


def demo_password() -> str:
    return DEMO_PASSWORD


class _Loader:
    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.sections: dict[str, Department] = {}
        self.indexes: dict[
            tuple[type[models.Model], tuple[str, ...]], dict[tuple[Any, ...], Any]
        ] = {}
        self.instances: dict[type[models.Model], dict[Any, Any]] = {}

    # --- helpers --------------------------------------------------------------------------

    def _index(
        self, model: type[models.Model], keys: tuple[str, ...]
    ) -> dict[tuple[Any, ...], Any]:
        """Natural key → primary key for every row of `model` (one query per model and key)."""
        cache_key = (model, keys)
        if cache_key not in self.indexes:
            rows = model._default_manager.values_list("pk", *keys)
            self.indexes[cache_key] = {tuple(row[1:]): row[0] for row in rows}
        return self.indexes[cache_key]

    def _instance(self, model: type[models.Model], pk: Any) -> Any:
        if model not in self.instances:
            self.instances[model] = model._default_manager.in_bulk()
        return self.instances[model][pk]

    @staticmethod
    def _key(lookup: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(v.pk if isinstance(v, models.Model) else v for v in lookup.values())

    def find(self, model: type[models.Model], lookup: Mapping[str, Any]) -> Any:
        """The object with this natural key, or None."""
        pk = self._index(model, tuple(lookup)).get(self._key(lookup))
        return None if pk is None else self._instance(model, pk)

    def ensure(
        self,
        model: type[models.Model],
        lookup: Mapping[str, Any],
        fields: Mapping[str, Any],
        m2m: dict[str, list[Any]] | None = None,
        *,
        fresh: bool = False,
    ) -> tuple[Any, bool]:
        """The object with this natural key, created if missing; (object, created).

        `fresh`: its parent was created in this run, so it cannot exist yet (no lookup).
        """
        if not fresh:
            found = self.find(model, lookup)
            if found is not None:
                return found, False
        obj = model(**fields)
        if model is Department:
            audited_create(obj=obj, actor=ACTOR, m2m=m2m)
        else:
            plan_object_create(obj=obj, actor=ACTOR, m2m=m2m)
        self.created[model._meta.label] += 1
        self._index(model, tuple(lookup))[self._key(lookup)] = obj.pk
        if model in self.instances:
            self.instances[model][obj.pk] = obj
        return obj, True

    # --- steps ----------------------------------------------------------------------------

    def run(self) -> DemoLoadResult:
        self.load_organisation()
        self.load_staff()
        muni, _c = self.ensure(
            Municipality,
            {"code": MUNICIPALITY_CODE},
            {
                "code": MUNICIPALITY_CODE,
                "name": MUNICIPALITY_NAME,
                "name_en": "Tsurugashima City",
                "prefecture": PREFECTURE,
                "is_demo": True,
            },
        )
        plan, _c = self.ensure(
            ComprehensivePlan,
            {"municipality": muni, "ordinal": PLAN_ORDINAL},
            {
                "municipality": muni,
                "title": PLAN_TITLE,
                "title_en": PLAN_TITLE_EN,
                "ordinal": PLAN_ORDINAL,
                "start_fy": PLAN_START_FY,
                "end_fy": PLAN_END_FY,
                "adopted_on": PLAN_ADOPTED_ON,
            },
        )
        self.load_concept(plan)
        former, former_new = self.ensure(
            Edition,
            {"plan": plan, "kind": Edition.Kind.FORMER},
            {
                "plan": plan,
                "kind": Edition.Kind.FORMER,
                "title": "前期基本計画",
                "title_en": "First Basic Plan (FY2020–2024)",
                "start_fy": 2020,
                "end_fy": 2024,
                "status": Edition.Status.ENDED,
                "introduction": FORMER_INTRODUCTION,
            },
        )
        latter, latter_new = self.ensure(
            Edition,
            {"plan": plan, "kind": Edition.Kind.LATTER},
            {
                "plan": plan,
                "kind": Edition.Kind.LATTER,
                "title": "後期基本計画",
                "title_en": "Second Basic Plan (FY2025–2029)",
                "start_fy": 2025,
                "end_fy": 2029,
                "status": Edition.Status.IN_FORCE,
                "introduction": LATTER_INTRODUCTION,
                "predecessor": former,
            },
        )
        self.load_edition(former, previous=None, edition_new=former_new)
        self.load_edition(latter, previous=former, edition_new=latter_new)
        self.load_strategies(former, FORMER_STRATEGIES, latter=False, edition_new=former_new)
        self.load_strategies(latter, LATTER_STRATEGIES, latter=True, edition_new=latter_new)
        self.load_programmes(latter, edition_new=latter_new)
        pages = None
        if self.created:
            pages = edition_publish(edition=latter, actor=ACTOR)
        return DemoLoadResult(created=dict(self.created), published_pages=pages)

    def load_organisation(self) -> None:
        order = 0
        for dept in DEPARTMENTS:
            order += 100
            parent, parent_new = self.ensure(
                Department,
                {"code": dept.code},
                {
                    "code": dept.code,
                    "name": dept.name,
                    "kind": Department.Kind.DEPARTMENT,
                    "order": order,
                },
            )
            for i, sec in enumerate(dept.sections, start=1):
                self.sections[sec.code], _c = self.ensure(
                    Department,
                    {"code": sec.code},
                    {
                        "code": sec.code,
                        "name": sec.name,
                        "kind": Department.Kind.SECTION,
                        "parent": parent,
                        "order": order + i,
                    },
                    fresh=parent_new,
                )

    def load_staff(self) -> None:
        user_model = get_user_model()
        for spec in STAFF:
            if user_model._default_manager.filter(username=spec.username).exists():
                continue
            user = user_model(
                username=spec.username,
                last_name=spec.last_name,
                first_name=spec.first_name,
                is_staff=True,
                is_superuser=spec.superuser,
                department=self.sections.get(spec.section) if spec.section else None,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            perms = []
            for label in spec.permissions:
                app_label, codename = label.split(".")
                perms.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
            user.user_permissions.add(*perms)
            audit_record(
                actor=ACTOR,
                action="create",
                obj=user,
                before=None,
                after={
                    "username": spec.username,
                    "name": f"{spec.last_name} {spec.first_name}",
                    "is_staff": True,
                    "is_superuser": spec.superuser,
                    "permissions": list(spec.permissions),
                },
            )
            self.created[user_model._meta.label] += 1

    def load_concept(self, plan: ComprehensivePlan) -> None:
        concept, concept_new = self.ensure(
            BasicConcept,
            {"plan": plan},
            {
                "plan": plan,
                "vision": VISION,
                "vision_en": "A safe and secure city where happiness is shared: Tsurugashima",
                "description": CONCEPT_DESCRIPTION,
                "start_fy": PLAN_START_FY,
                "end_fy": PLAN_END_FY,
                "population_frame": POPULATION_FRAME,
                "land_use": LAND_USE,
            },
        )
        for area in AREAS:
            self.ensure(
                BasicGoal,
                {"concept": concept, "number": area.number},
                {
                    "concept": concept,
                    "number": area.number,
                    "title": area.goal,
                    "description": f"{area.description}（{ILLUSTRATIVE}）",
                },
                fresh=concept_new,
            )

    def _indicator(
        self,
        *,
        owner: Mapping[str, Any],
        code: str,
        order: int,
        spec: IndicatorSpec,
        plan: IndicatorPlan,
        predecessor: Indicator | None,
        fresh: bool,
    ) -> Indicator:
        source = spec.source or ("市民意識調査" if spec.survey else "")
        indicator, indicator_new = self.ensure(
            Indicator,
            {**owner, "code": code},
            {
                **owner,
                "code": code,
                "order": order,
                "name": spec.name,
                "unit": spec.unit,
                "direction": plan.direction,
                "baseline_value": plan.baseline_value,
                "baseline_fy": plan.baseline_fy,
                "baseline_as_of": plan.baseline_as_of,
                "target_value": plan.target_value,
                "target_fy": plan.target_fy,
                "cumulative": spec.cumulative,
                "survey_based": spec.survey,
                "description": spec.description,
                "source": f"{source}（{ILLUSTRATIVE}）",
                "predecessor": predecessor,
            },
            fresh=fresh,
        )
        for fy, value, as_of in plan.actuals:
            self.ensure(
                IndicatorValue,
                {"indicator": indicator, "fiscal_year": fy},
                {"indicator": indicator, "fiscal_year": fy, "value": value, "as_of": as_of},
                fresh=indicator_new,
            )
        return indicator  # type: ignore[no-any-return]

    def load_edition(
        self, edition: Edition, *, previous: Edition | None, edition_new: bool
    ) -> None:
        latter = previous is not None
        for area_spec in AREAS:
            prev_area = (
                self.find(PolicyArea, {"edition": previous, "number": area_spec.number})
                if previous
                else None
            )
            area, area_new = self.ensure(
                PolicyArea,
                {"edition": edition, "number": area_spec.number},
                {
                    "edition": edition,
                    "number": area_spec.number,
                    "title": area_spec.title,
                    "title_en": area_spec.title_en,
                    "description": area_spec.description,
                    "predecessor": prev_area,
                },
                fresh=edition_new,
            )
            for order, spec in enumerate(area_spec.measures, start=1):
                prev_measure = (
                    self.find(Measure, {"area__edition": previous, "code": spec.code})
                    if previous
                    else None
                )
                measure, measure_new = self.ensure(
                    Measure,
                    {"area__edition": edition, "code": spec.code},
                    {
                        "area": area,
                        "code": spec.code,
                        "order": order,
                        "title": spec.title if latter else (spec.former_title or spec.title),
                        "title_en": spec.title_en,
                        "plain_summary": spec.summary,
                        "target_state": spec.target_state,
                        "current_issues": spec.issues if latter else spec.former_issues,
                        "role_citizens": spec.role_citizens,
                        "role_businesses": spec.role_businesses,
                        "role_city": spec.role_city,
                        "sdgs": sorted(spec.sdgs),
                        "related_plans": "\n".join(spec.related_plans),
                        "predecessor": prev_measure,
                    },
                    m2m={"departments": [self.sections[c] for c in spec.sections]},
                    fresh=area_new,
                )
                for i, ini in enumerate(spec.initiatives, start=1):
                    self.ensure(
                        Initiative,
                        {"measure": measure, "order": i},
                        {
                            "measure": measure,
                            "order": i,
                            "title": ini.title,
                            "description": ini.description,
                            "responsible_section": self.sections[ini.section],
                        },
                        fresh=measure_new,
                    )
                for i, ind in enumerate(spec.indicators, start=1):
                    code = f"{spec.code}-{i}"
                    key = f"measure:{code}"
                    self._indicator(
                        owner={"measure": measure},
                        code=code,
                        order=i,
                        spec=ind,
                        plan=latter_plan(ind, key) if latter else former_plan(ind, key),
                        predecessor=(
                            self.find(Indicator, {"measure": prev_measure, "code": code})
                            if prev_measure
                            else None
                        ),
                        fresh=measure_new,
                    )

    def load_strategies(
        self, edition: Edition, specs: Sequence[StrategySpec], *, latter: bool, edition_new: bool
    ) -> None:
        for spec in specs:
            measures = [
                self.find(Measure, {"area__edition": edition, "code": code})
                for code in spec.measure_codes
            ]
            strategy, strategy_new = self.ensure(
                PriorityStrategy,
                {"edition": edition, "number": spec.number},
                {
                    "edition": edition,
                    "number": spec.number,
                    "title": spec.title,
                    "title_en": spec.title_en,
                    "description": spec.description,
                    "basic_goal": spec.basic_goal,
                },
                m2m={"measures": measures},
                fresh=edition_new,
            )
            for i, ind in enumerate(spec.indicators, start=1):
                code = f"S{spec.number}-{i}"
                # Keyed by the KPI's name so the same KPI gets the same history in both plans.
                key = f"strategy:{ind.name}"
                self._indicator(
                    owner={"strategy": strategy},
                    code=code,
                    order=i,
                    spec=ind,
                    plan=latter_plan(ind, key) if latter else former_plan(ind, key),
                    predecessor=None,
                    fresh=strategy_new,
                )

    def load_programmes(self, edition: Edition, *, edition_new: bool) -> None:
        for spec in PROGRAMMES:
            programme, programme_new = self.ensure(
                Programme,
                {"edition": edition, "code": spec.code},
                {
                    "edition": edition,
                    "code": spec.code,
                    "name": spec.name,
                    "department": self.sections[spec.section],
                    "measure": self.find(
                        Measure, {"area__edition": edition, "code": spec.measure_code}
                    ),
                    "description": spec.description,
                    "account": spec.account,
                    "legal_basis": spec.legal_basis,
                },
                fresh=edition_new,
            )
            for row in programme_costs(spec):
                self.ensure(
                    ProgrammeCost,
                    {"programme": programme, "fiscal_year": row.fiscal_year, "is_plan": True},
                    {
                        "programme": programme,
                        "fiscal_year": row.fiscal_year,
                        "total": row.total,
                        "national": row.national,
                        "prefectural": row.prefectural,
                        "bonds": row.bonds,
                        "other": row.other,
                        "general": row.general,
                        "is_plan": True,
                    },
                    fresh=programme_new,
                )
