"""Forms of the resilience pages (Japanese labels and messages)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keikaku.plans.models import Edition, Indicator, Measure, PriorityStrategy, Programme
from keikaku.plans.staff import VersionedForm
from keikaku.resilience.domain.geo import BoundingBox, SiteError, parse_geometry, point_problems
from keikaku.resilience.models import (
    ActionPlan,
    ActionPlanEntry,
    FrameworkPillar,
    PolicyField,
    RegionalPlan,
    RegionalScenario,
    RiskScenario,
    ScenarioKpi,
    SectoralPlan,
    Site,
)


def _field(form: forms.BaseForm, name: str) -> Any:
    return form.fields[name]


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("ファイル（CSV）"),
        help_text=_("UTF-8 または Shift_JIS（CP932）の CSV。書式は説明書を見てください。"),
    )
    code = forms.CharField(
        label=_("版のコード"), max_length=40, help_text=_("例: tsurugashima-2025")
    )
    title = forms.CharField(label=_("名称"), max_length=200)
    basic_plan_date = forms.DateField(
        label=_("閣議決定日・策定日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    is_complete = forms.BooleanField(label=_("全項目を収録している"), required=False, initial=True)
    replace = forms.BooleanField(label=_("同じコードの版を置き換える"), required=False)


class FrameworkImportForm(forms.Form):
    file = forms.FileField(label=_("ファイル（CSV）"))


class RegionalPlanForm(VersionedForm):
    class Meta:
        model = RegionalPlan
        fields = [
            "edition",
            "title",
            "catalogue",
            "start_fy",
            "end_fy",
            "description",
            "bbox_min_lon",
            "bbox_min_lat",
            "bbox_max_lon",
            "bbox_max_lat",
        ]


class RegionalScenarioForm(VersionedForm):
    class Meta:
        model = RegionalScenario
        fields = ["scenario", "priority", "vulnerability_assessment", "order"]

    def __init__(self, *args: Any, regional_plan: RegionalPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        used = regional_plan.scenarios.exclude(pk=self.instance.pk).values("scenario_id")
        _field(self, "scenario").queryset = RiskScenario.objects.filter(
            version=regional_plan.catalogue
        ).exclude(pk__in=used)


class ScenarioKpiForm(VersionedForm):
    class Meta:
        model = ScenarioKpi
        fields = [
            "name",
            "unit",
            "baseline_value",
            "baseline_fy",
            "target_value",
            "target_fy",
            "indicator",
            "order",
        ]

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "indicator").queryset = Indicator.objects.filter(
            measure__area__edition=edition
        ).select_related("measure")


class ActionPlanForm(VersionedForm):
    class Meta:
        model = ActionPlan
        fields = ["fiscal_year", "title", "status", "note"]


class EntryForm(VersionedForm):
    class Meta:
        model = ActionPlanEntry
        fields = [
            "programme",
            "scenarios",
            "policy_fields",
            "summary",
            "implementer",
            "start_fy",
            "end_fy",
            "total_cost",
            "grant",
            "bond",
            "kpi",
            "notes",
        ]

    def __init__(self, *args: Any, action_plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regional = action_plan.regional_plan
        used = action_plan.entries.exclude(pk=self.instance.pk).values("programme_id")
        _field(self, "programme").empty_label = _("（事務事業を選んでください）")
        _field(self, "programme").queryset = (
            Programme.objects.filter(edition=regional.edition).exclude(pk__in=used).order_by("code")
        )
        _field(self, "scenarios").queryset = regional.scenarios.select_related("scenario")
        _field(self, "policy_fields").queryset = PolicyField.objects.filter(
            version=regional.catalogue
        )
        _field(self, "summary").help_text = _("空のときは事務事業の事業概要を使います。")


class GeometryField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4})


class SiteForm(VersionedForm):
    geometry_text = GeometryField(
        label=_("GeoJSON（線・区域）"),
        required=False,
        help_text=_(
            "道路や河川は線（LineString）、区域は面（Polygon）で入力します。座標は [経度, 緯度] の順です。"
            "点なら緯度・経度の欄を使ってください。"
        ),
    )

    class Meta:
        model = Site
        fields = ["entry", "name", "district", "address", "lat", "lon", "note"]

    def __init__(
        self, *args: Any, action_plan: ActionPlan, city: BoundingBox | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.city = city
        _field(self, "entry").queryset = action_plan.entries.select_related("programme").order_by(
            "programme__code"
        )
        _field(self, "entry").label = _("事業")
        _field(self, "entry").empty_label = _("（事業を選んでください）")
        _field(self, "lat").help_text = _("例: 35.9340（北緯）。地図をクリックしても入ります。")
        _field(self, "lon").help_text = _("例: 139.3930（東経）")
        if self.instance.pk and not self.is_bound and self.instance.geometry:
            self.initial["geometry_text"] = json.dumps(self.instance.geometry, ensure_ascii=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = (data.get("geometry_text") or "").strip()
        lat, lon = data.get("lat"), data.get("lon")
        data["geometry"] = None
        if text:
            if lat is not None or lon is not None:
                raise forms.ValidationError(
                    _("位置は、緯度・経度か GeoJSON のどちらか一方で入力してください。")
                )
            try:
                data["geometry"] = parse_geometry(text, city=self.city)
            except SiteError as exc:
                self.add_error("geometry_text", list(exc.problems))
        else:
            if lat is None and lon is None:
                raise forms.ValidationError(
                    _("位置を入力してください（緯度・経度、または GeoJSON）。")
                )
            for problem in point_problems(lat=lat, lon=lon, city=self.city):
                self.add_error("lat", problem)
        return data

    def site_values(self) -> dict[str, Any]:
        """The site's fields from the cleaned form, the parsed geometry included."""
        data = self.cleaned_data
        return {name: data[name] for name in self._meta.fields or ()} | {
            "geometry": data["geometry"]
        }


class SectoralPlanForm(VersionedForm):
    class Meta:
        model = SectoralPlan
        fields = [
            "name",
            "series",
            "department",
            "legal_basis",
            "start_fy",
            "end_fy",
            "status",
            "url",
            "measures",
            "note",
        ]

    def __init__(self, *args: Any, edition: Edition | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = Measure.objects.select_related("area").order_by("area__number", "order", "code")
        _field(self, "measures").queryset = (
            qs.filter(area__edition=edition) if edition else qs.none()
        )
        _field(self, "measures").help_text = _("この基本計画の施策のうち、関連するものを選びます。")


class TagForm(forms.Form):
    pillar = forms.ModelChoiceField(
        label=_("国の総合戦略の柱・目標"),
        queryset=FrameworkPillar.objects.select_related("framework").order_by(
            "framework__order", "framework__adopted_on", "order"
        ),
    )
    strategy = forms.ModelChoiceField(
        queryset=PriorityStrategy.objects.all(), required=False, widget=forms.HiddenInput
    )
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.all(), required=False, widget=forms.HiddenInput
    )


class MapFilterForm(forms.Form):
    """Choices filled from the action plan's own data (see selectors.filter_options)."""

    scenario = forms.ChoiceField(label=_("リスクシナリオ"), required=False)
    field = forms.ChoiceField(label=_("施策分野"), required=False)
    department = forms.ChoiceField(label=_("担当課"), required=False)
    year = forms.ChoiceField(label=_("年度"), required=False)

    def __init__(self, *args: Any, options: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from keikaku.core.domain.fiscal import format_fiscal_year

        every: list[tuple[str, str]] = [("", str(_("すべて")))]
        choice: dict[str, Any] = dict(self.fields)
        choice["scenario"].choices = every + [
            (s["code"], f"{s['code']} {s['text'][:40]}{'…' if len(s['text']) > 40 else ''}")
            for s in options["scenarios"]
        ]
        choice["field"].choices = every + [(f["code"], f["name"]) for f in options["fields"]]
        choice["department"].choices = every + [(d, d) for d in options["departments"]]
        choice["year"].choices = every + [(str(y), format_fiscal_year(y)) for y in options["years"]]
