"""The staff back office for the plan structure: one configuration per entity.

The generic views in views.py render lists (search, sort, paging), create/edit forms with
optimistic concurrency, delete confirmation and the change history from these entries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from keikaku.accounts.models import Department
from keikaku.plans import models as m
from keikaku.plans.domain.codes import parse_sdgs


@dataclass(frozen=True)
class Column:
    name: str  # field name or a dotted path (area.title)
    label: Any
    sort: str | None = None  # ORM ordering expression when sortable
    numeric: bool = False


@dataclass(frozen=True)
class Entity:
    slug: str
    model: type[models.Model]
    label: Any
    fields: tuple[str, ...]
    columns: tuple[Column, ...]
    search: tuple[str, ...]
    default_sort: str
    select_related: tuple[str, ...] = ()
    group: Any = _("計画の内容")
    parent_filters: tuple[str, ...] = field(default=())  # GET parameters that filter the list
    edition_path: str | None = None  # ORM path to the edition: the list offers an edition filter

    def queryset(self) -> QuerySet[Any]:
        manager = self.model._default_manager
        return (
            manager.select_related(*self.select_related) if self.select_related else manager.all()
        )

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)


class SdgsField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("SDGs のゴール"))
        kwargs.setdefault(
            "help_text", _("1〜17 の番号を読点かカンマで区切って入力します（例: 3、11）。")
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]
        text = super().to_python(value) or ""
        try:
            return parse_sdgs(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class VersionedForm(forms.ModelForm):
    """A model form carrying the version it was opened at (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        for name, f in self.fields.items():
            if isinstance(f, forms.ModelMultipleChoiceField):
                f.widget = forms.CheckboxSelectMultiple(choices=f.choices)  # type: ignore[arg-type]
            if name == "sdgs":
                continue
            if isinstance(f.widget, forms.Textarea):
                f.widget.attrs.setdefault("rows", 5)

    def _post_clean(self) -> None:
        # Model validation happens in the service (after the version check), not here,
        # except for field-level checks Django does in construct_instance.
        pass


def form_class_for(entity: Entity) -> type[VersionedForm]:
    overrides: dict[str, Any] = {}
    if "sdgs" in entity.fields:
        overrides["sdgs"] = SdgsField()
    meta = type("Meta", (), {"model": entity.model, "fields": list(entity.fields)})
    return type(f"{entity.model.__name__}StaffForm", (VersionedForm,), {"Meta": meta, **overrides})


ENTITIES: dict[str, Entity] = {}


def register(entity: Entity) -> Entity:
    ENTITIES[entity.slug] = entity
    return entity


register(
    Entity(
        slug="municipalities",
        model=m.Municipality,
        label=_("自治体"),
        fields=("code", "name", "name_en", "prefecture", "is_demo"),
        columns=(
            Column("code", _("団体コード"), "code"),
            Column("name", _("団体名"), "name"),
            Column("prefecture", _("都道府県"), "prefecture"),
        ),
        search=("name", "code"),
        default_sort="code",
        group=_("基本設定"),
    )
)
register(
    Entity(
        slug="plans",
        model=m.ComprehensivePlan,
        label=_("総合計画"),
        fields=("municipality", "title", "ordinal", "start_fy", "end_fy", "adopted_on"),
        columns=(
            Column("title", _("計画名"), "title"),
            Column("start_fy", _("開始年度"), "start_fy", numeric=True),
            Column("end_fy", _("終了年度"), "end_fy", numeric=True),
        ),
        search=("title",),
        default_sort="-start_fy",
        group=_("基本設定"),
    )
)
register(
    Entity(
        slug="concepts",
        model=m.BasicConcept,
        label=_("基本構想"),
        fields=(
            "plan",
            "vision",
            "vision_en",
            "description",
            "start_fy",
            "end_fy",
            "population_frame",
            "land_use",
        ),
        columns=(
            Column("vision", _("将来像"), "vision"),
            Column("plan.title", _("総合計画"), "plan__title"),
        ),
        search=("vision",),
        default_sort="plan__title",
        select_related=("plan",),
        group=_("基本設定"),
    )
)
register(
    Entity(
        slug="editions",
        model=m.Edition,
        label=_("基本計画"),
        fields=(
            "plan",
            "kind",
            "title",
            "start_fy",
            "end_fy",
            "status",
            "introduction",
            "predecessor",
        ),
        columns=(
            Column("title", _("名称"), "title"),
            Column("get_kind_display", _("区分"), "kind"),
            Column("start_fy", _("開始年度"), "start_fy", numeric=True),
            Column("end_fy", _("終了年度"), "end_fy", numeric=True),
            Column("get_status_display", _("状態"), "status"),
            Column("is_public", _("公開"), "is_public"),
        ),
        search=("title",),
        default_sort="-start_fy",
        select_related=("plan",),
        group=_("基本設定"),
    )
)
register(
    Entity(
        slug="areas",
        model=m.PolicyArea,
        label=_("政策分野"),
        fields=("edition", "number", "title", "title_en", "description"),
        columns=(
            Column("number", _("番号"), "number", numeric=True),
            Column("title", _("政策分野名"), "title"),
            Column("edition.title", _("基本計画"), "edition__start_fy"),
        ),
        search=("title",),
        default_sort="number",
        select_related=("edition",),
        parent_filters=("edition",),
        edition_path="edition",
    )
)
register(
    Entity(
        slug="measures",
        model=m.Measure,
        label=_("施策"),
        fields=(
            "area",
            "code",
            "order",
            "title",
            "title_en",
            "plain_summary",
            "target_state",
            "current_issues",
            "role_citizens",
            "role_businesses",
            "role_city",
            "departments",
            "sdgs",
            "related_plans",
        ),
        columns=(
            Column("code", _("施策番号"), "code"),
            Column("title", _("施策名"), "title"),
            Column("area.title", _("政策分野"), "area__number"),
            Column("area.edition.title", _("基本計画"), "area__edition__start_fy"),
            Column("updated_at", _("更新日時"), "updated_at"),
        ),
        search=("title", "code", "target_state", "current_issues"),
        default_sort="code",
        select_related=("area", "area__edition"),
        parent_filters=("area__edition", "area"),
        edition_path="area__edition",
    )
)
register(
    Entity(
        slug="initiatives",
        model=m.Initiative,
        label=_("主な取組"),
        fields=("measure", "order", "title", "description", "responsible_section"),
        columns=(
            Column("measure.code", _("施策番号"), "measure__code"),
            Column("title", _("主な取組"), "title"),
            Column("responsible_section.name", _("担当課"), "responsible_section__name"),
        ),
        search=("title", "description"),
        default_sort="measure__code",
        select_related=("measure", "responsible_section"),
        parent_filters=("measure",),
        edition_path="measure__area__edition",
    )
)
register(
    Entity(
        slug="indicators",
        model=m.Indicator,
        label=_("成果指標"),
        fields=(
            "measure",
            "strategy",
            "code",
            "order",
            "name",
            "name_en",
            "unit",
            "direction",
            "baseline_value",
            "baseline_fy",
            "baseline_as_of",
            "target_value",
            "target_fy",
            "cumulative",
            "survey_based",
            "description",
            "source",
        ),
        columns=(
            Column("code", _("指標番号"), "code"),
            Column("name", _("指標名"), "name"),
            Column("unit", _("単位"), "unit"),
            Column("baseline_value", _("基準値"), "baseline_value", numeric=True),
            Column("target_value", _("目標値"), "target_value", numeric=True),
            Column("target_fy", _("目標年度"), "target_fy", numeric=True),
        ),
        search=("name", "code"),
        default_sort="code",
        select_related=("measure", "strategy"),
        parent_filters=("measure", "strategy"),
    )
)
register(
    Entity(
        slug="indicator-values",
        model=m.IndicatorValue,
        label=_("実績値"),
        fields=("indicator", "fiscal_year", "value", "as_of", "note"),
        columns=(
            Column("indicator.code", _("指標番号"), "indicator__code"),
            Column("indicator.name", _("指標名"), "indicator__name"),
            Column("fiscal_year", _("年度"), "fiscal_year", numeric=True),
            Column("value", _("実績値"), "value", numeric=True),
        ),
        search=("indicator__name", "indicator__code"),
        default_sort="indicator__code",
        select_related=("indicator",),
        parent_filters=("indicator",),
        edition_path="indicator__measure__area__edition",
    )
)
register(
    Entity(
        slug="strategies",
        model=m.PriorityStrategy,
        label=_("重点戦略"),
        fields=("edition", "number", "title", "title_en", "description", "basic_goal", "measures"),
        columns=(
            Column("number", _("番号"), "number", numeric=True),
            Column("title", _("重点戦略名"), "title"),
            Column("edition.title", _("基本計画"), "edition__start_fy"),
        ),
        search=("title",),
        default_sort="number",
        select_related=("edition",),
        parent_filters=("edition",),
        edition_path="edition",
    )
)
register(
    Entity(
        slug="programmes",
        model=m.Programme,
        label=_("事務事業"),
        fields=(
            "edition",
            "code",
            "name",
            "department",
            "measure",
            "description",
            "account",
            "legal_basis",
        ),
        columns=(
            Column("code", _("事業番号"), "code"),
            Column("name", _("事業名"), "name"),
            Column("department.name", _("担当課"), "department__name"),
            Column("measure.code", _("施策番号"), "measure__code"),
        ),
        search=("name", "code"),
        default_sort="code",
        select_related=("department", "measure"),
        parent_filters=("edition", "measure"),
        group=_("実施計画"),
        edition_path="edition",
    )
)
register(
    Entity(
        slug="programme-costs",
        model=m.ProgrammeCost,
        label=_("事業費"),
        fields=(
            "programme",
            "fiscal_year",
            "is_plan",
            "total",
            "national",
            "prefectural",
            "bonds",
            "other",
            "general",
            "note",
        ),
        columns=(
            Column("programme.code", _("事業番号"), "programme__code"),
            Column("programme.name", _("事業名"), "programme__name"),
            Column("fiscal_year", _("年度"), "fiscal_year", numeric=True),
            Column("total", _("事業費（千円）"), "total", numeric=True),
        ),
        search=("programme__name", "programme__code"),
        default_sort="programme__code",
        select_related=("programme",),
        parent_filters=("programme",),
        group=_("実施計画"),
        edition_path="programme__edition",
    )
)
register(
    Entity(
        slug="departments",
        model=Department,
        label=_("部署"),
        fields=("code", "name", "kind", "parent", "order"),
        columns=(
            Column("code", _("コード"), "code"),
            Column("name", _("名称"), "name"),
            Column("get_kind_display", _("種別"), "kind"),
            Column("parent.name", _("上位の部"), "parent__name"),
        ),
        search=("name", "code"),
        default_sort="order",
        select_related=("parent",),
        group=_("基本設定"),
    )
)


def resolve_column(obj: Any, name: str) -> Any:
    value: Any = obj
    for part in name.split("."):
        if value is None:
            return ""
        value = getattr(value, part, "")
        if isinstance(value, Callable):  # type: ignore[arg-type]
            value = value()
    return value


def nav_groups() -> list[tuple[str, list[Entity]]]:
    groups: dict[str, list[Entity]] = {}
    for entity in ENTITIES.values():
        groups.setdefault(str(entity.group), []).append(entity)
    return list(groups.items())
