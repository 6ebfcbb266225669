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


def _names(text: str) -> tuple[str, ...]:
    """Field names written on one line, separated by spaces."""
    return tuple(text.split())


def _col(name: str, label: Any, sort: str | None = None, *, numeric: bool = False) -> Column:
    """A list column, sorted by its own field unless `sort` names another ordering."""
    return Column(name, label, sort or name, numeric)


NUMBER = _col("number", _("番号"), numeric=True)
EDITION = _col("edition.title", _("基本計画"), "edition__start_fy")
PERIOD = (
    _col("start_fy", _("開始年度"), numeric=True),
    _col("end_fy", _("終了年度"), numeric=True),
)
BASICS = _("基本設定")
IMPLEMENTATION = _("実施計画")


def _numbered_in_edition(
    slug: str, model: type[models.Model], label: Any, title: Any, fields: tuple[str, ...]
) -> Entity:
    """A numbered item of one basic-plan edition (policy area, priority strategy)."""
    return Entity(
        slug=slug,
        model=model,
        label=label,
        fields=("edition", "number", *fields),
        columns=(NUMBER, _col("title", title), EDITION),
        search=("title",),
        default_sort="number",
        select_related=("edition",),
        parent_filters=("edition",),
        edition_path="edition",
    )


def _yearly(
    slug: str,
    model: type[models.Model],
    label: Any,
    *,
    parent: tuple[str, Any, Any],  # field, labels of its code and name columns
    fields: tuple[str, ...],
    figure: Column,
    edition_path: str,
    **options: Any,
) -> Entity:
    """Figures of one year of a parent with a code and a name (an indicator's 実績値, a
    programme's 事業費): listed by the parent's code and name, the year and the figure."""
    name, code_label, name_label = parent
    return Entity(
        slug=slug,
        model=model,
        label=label,
        fields=(name, "fiscal_year", *fields),
        columns=(
            _col(f"{name}.code", code_label, f"{name}__code"),
            _col(f"{name}.name", name_label, f"{name}__name"),
            _col("fiscal_year", _("年度"), numeric=True),
            figure,
        ),
        search=(f"{name}__name", f"{name}__code"),
        default_sort=f"{name}__code",
        select_related=(name,),
        parent_filters=(name,),
        edition_path=edition_path,
        **options,
    )


ENTITIES.update(
    (entity.slug, entity)
    for entity in (
        Entity(
            slug="municipalities",
            model=m.Municipality,
            label=_("自治体"),
            fields=("code", "name", "name_en", "prefecture", "is_demo"),
            columns=(
                _col("code", _("団体コード")),
                _col("name", _("団体名")),
                _col("prefecture", _("都道府県")),
            ),
            search=("name", "code"),
            default_sort="code",
            group=BASICS,
        ),
        Entity(
            slug="plans",
            model=m.ComprehensivePlan,
            label=_("総合計画"),
            fields=_names("municipality title title_en ordinal start_fy end_fy adopted_on"),
            columns=(_col("title", _("計画名")), *PERIOD),
            search=("title",),
            default_sort="-start_fy",
            group=BASICS,
        ),
        Entity(
            slug="concepts",
            model=m.BasicConcept,
            label=_("基本構想"),
            fields=_names(
                "plan vision vision_en description start_fy end_fy population_frame land_use"
            ),
            columns=(_col("vision", _("将来像")), _col("plan.title", _("総合計画"), "plan__title")),
            search=("vision",),
            default_sort="plan__title",
            select_related=("plan",),
            group=BASICS,
        ),
        Entity(
            slug="editions",
            model=m.Edition,
            label=_("基本計画"),
            fields=_names(
                "plan kind title title_en start_fy end_fy status introduction predecessor"
            ),
            columns=(
                _col("title", _("名称")),
                _col("get_kind_display", _("区分"), "kind"),
                *PERIOD,
                _col("get_status_display", _("状態"), "status"),
                _col("is_public", _("公開")),
            ),
            search=("title",),
            default_sort="-start_fy",
            select_related=("plan",),
            group=BASICS,
        ),
        _numbered_in_edition(
            "areas",
            m.PolicyArea,
            _("政策分野"),
            _("政策分野名"),
            ("title", "title_en", "description"),
        ),
        Entity(
            slug="measures",
            model=m.Measure,
            label=_("施策"),
            fields=_names(
                "area code order title title_en plain_summary target_state current_issues"
                " role_citizens role_businesses role_city departments sdgs related_plans"
            ),
            columns=(
                _col("code", _("施策番号")),
                _col("title", _("施策名")),
                _col("area.title", _("政策分野"), "area__number"),
                _col("area.edition.title", _("基本計画"), "area__edition__start_fy"),
                _col("updated_at", _("更新日時")),
            ),
            search=("title", "code", "target_state", "current_issues"),
            default_sort="code",
            select_related=("area", "area__edition"),
            parent_filters=("area__edition", "area"),
            edition_path="area__edition",
        ),
        Entity(
            slug="initiatives",
            model=m.Initiative,
            label=_("主な取組"),
            fields=("measure", "order", "title", "description", "responsible_section"),
            columns=(
                _col("measure.code", _("施策番号"), "measure__code"),
                _col("title", _("主な取組")),
                _col("responsible_section.name", _("担当課"), "responsible_section__name"),
            ),
            search=("title", "description"),
            default_sort="measure__code",
            select_related=("measure", "responsible_section"),
            parent_filters=("measure",),
            edition_path="measure__area__edition",
        ),
        Entity(
            slug="indicators",
            model=m.Indicator,
            label=_("成果指標"),
            fields=_names(
                "measure strategy code order name name_en unit direction baseline_value"
                " baseline_fy baseline_as_of target_value target_fy cumulative"
                " survey_based description source"
            ),
            columns=(
                _col("code", _("指標番号")),
                _col("name", _("指標名")),
                _col("unit", _("単位")),
                _col("baseline_value", _("基準値"), numeric=True),
                _col("target_value", _("目標値"), numeric=True),
                _col("target_fy", _("目標年度"), numeric=True),
            ),
            search=("name", "code"),
            default_sort="code",
            select_related=("measure", "strategy"),
            parent_filters=("measure", "strategy"),
        ),
        _yearly(
            "indicator-values",
            m.IndicatorValue,
            _("実績値"),
            parent=("indicator", _("指標番号"), _("指標名")),
            fields=("value", "as_of", "note"),
            figure=_col("value", _("実績値"), numeric=True),
            edition_path="indicator__measure__area__edition",
        ),
        _numbered_in_edition(
            "strategies",
            m.PriorityStrategy,
            _("重点戦略"),
            _("重点戦略名"),
            ("title", "title_en", "description", "basic_goal", "measures"),
        ),
        Entity(
            slug="programmes",
            model=m.Programme,
            label=_("事務事業"),
            fields=_names("edition code name department measure description account legal_basis"),
            columns=(
                _col("code", _("事業番号")),
                _col("name", _("事業名")),
                _col("department.name", _("担当課"), "department__name"),
                _col("measure.code", _("施策番号"), "measure__code"),
            ),
            search=("name", "code"),
            default_sort="code",
            select_related=("department", "measure"),
            parent_filters=("edition", "measure"),
            group=IMPLEMENTATION,
            edition_path="edition",
        ),
        _yearly(
            "programme-costs",
            m.ProgrammeCost,
            _("事業費"),
            parent=("programme", _("事業番号"), _("事業名")),
            fields=_names("is_plan total national prefectural bonds other general note"),
            figure=_col("total", _("事業費（千円）"), numeric=True),
            edition_path="programme__edition",
            group=IMPLEMENTATION,
        ),
        Entity(
            slug="departments",
            model=Department,
            label=_("部署"),
            fields=("code", "name", "kind", "parent", "order"),
            columns=(
                _col("code", _("コード")),
                _col("name", _("名称")),
                _col("get_kind_display", _("種別"), "kind"),
                _col("parent.name", _("上位の部"), "parent__name"),
            ),
            search=("name", "code"),
            default_sort="order",
            select_related=("parent",),
            group=BASICS,
        ),
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
