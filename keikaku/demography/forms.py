"""Staff forms of the population vision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from keikaku.demography.domain.agegroups import MAX_TOP_AGE, MIN_TOP_AGE
from keikaku.demography.domain.fertility import (
    YearValueError,
    fertility_scale_from_tfr,
    format_year_values,
    parse_year_values,
)
from keikaku.demography.domain.scenarios import Scenario as DomainScenario
from keikaku.demography.domain.scenarios import ScenarioError
from keikaku.demography.models import (
    AssumptionSet,
    CensusDataset,
    ConventionChoice,
    PopulationOutlook,
    Scenario,
    ScenarioResult,
)

TOP_AGE_CHOICES = [(a, f"{a}歳以上") for a in range(MIN_TOP_AGE, MAX_TOP_AGE + 1, 5)]
FILE_HELP = _("CSV（UTF-8 または Shift_JIS（CP932））か Excel（.xlsx、最初のシート）。")


class CensusImportForm(forms.Form):
    file = forms.FileField(label=_("ファイル"), help_text=FILE_HELP)
    municipality_code = forms.RegexField(
        label=_("全国地方公共団体コード"),
        regex=r"^\d{5,6}$",
        max_length=6,
        error_messages={"invalid": _("5 桁か 6 桁の数字で入れてください（例: 112411）。")},
    )
    municipality_name = forms.CharField(label=_("団体名"), max_length=50)
    year = forms.IntegerField(
        label=_("年（西暦）"),
        required=False,
        min_value=1900,
        max_value=2200,
        help_text=_("横長の表（e-Stat の形）で、表に年の列がないときに入れます。"),
    )
    top_age = forms.TypedChoiceField(
        label=_("最上位の年齢区分"),
        choices=TOP_AGE_CHOICES,
        coerce=int,
        initial=90,
        help_text=_(
            "横長の表で、この年齢以上をまとめて 1 つの区分にします（例: 90～94歳、95～99歳、100歳以上 → 90歳以上）。"
        ),
    )
    source = forms.CharField(
        label=_("出典"), max_length=300, help_text=_("例: 令和2年国勢調査（不詳補完値）")
    )
    is_illustrative = forms.BooleanField(label=_("デモ用の架空データ"), required=False)
    notes = forms.CharField(
        label=_("備考"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    replace = forms.BooleanField(label=_("同じ年のデータを置き換える"), required=False)


class AssumptionImportForm(forms.Form):
    name = forms.CharField(
        label=_("名称"), max_length=100, help_text=_("例: 社人研推計（令和5年）準拠")
    )
    rates_file = forms.FileField(
        label=_("生残率・純移動率のファイル"),
        help_text=_("見出し: period_start,sex,age_group,survival_rate,net_migration_rate。")
        + " "
        + FILE_HELP,
    )
    births_file = forms.FileField(
        label=_("子ども女性比・出生性比のファイル"),
        help_text=_("見出し: year,child_woman_ratio,sex_ratio_at_birth。") + " " + FILE_HELP,
    )
    convention = forms.ChoiceField(
        label=_("生残率と純移動率の組合せ方"),
        choices=ConventionChoice.choices,
        initial=ConventionChoice.IPSS,
        widget=forms.RadioSelect,
    )
    source = forms.CharField(label=_("出典"), max_length=300)
    notes = forms.CharField(
        label=_("仮定の説明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_illustrative = forms.BooleanField(label=_("デモ用の架空データ"), required=False)
    replace = forms.BooleanField(label=_("同じ名称のデータを置き換える"), required=False)


class ScenarioForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    fertility_scale_text = forms.CharField(
        label=_("子ども女性比の倍率（年:倍率）"),
        required=False,
        help_text=_(
            "例: 2020:1, 2030:1.2, 2040:1.4。年の間は直線で補間し、最後の年より後は最後の倍率、最初の年より前は 1 です。"
        ),
    )
    tfr_path_text = forms.CharField(
        label=_("合計特殊出生率の推移（年:値）"),
        required=False,
        help_text=_(
            "例: 2020:1.2, 2030:1.8, 2040:2.07。最初の点が現在の値です。入れると、子ども女性比の倍率を「目標 ÷ 現在の値」で求めます（上の欄は空にします）。"
        ),
    )

    class Meta:
        model = Scenario
        fields = ["name", "description", "order", "zero_migration_from", "migration_scale"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "zero_migration_from": _(
                "この年以降に始まる期間の純移動率を 0 にします（移動均衡）。空欄なら変えません。"
            ),
            "migration_scale": _("純移動率に掛ける倍率（1 = そのまま、0.5 = 半分）。"),
        }

    field_order = [
        "name",
        "description",
        "order",
        "tfr_path_text",
        "fertility_scale_text",
        "zero_migration_from",
        "migration_scale",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            if self.instance.tfr_path:
                self.fields["tfr_path_text"].initial = format_year_values(self.instance.tfr_path)
            elif self.instance.fertility_scale:
                self.fields["fertility_scale_text"].initial = format_year_values(
                    self.instance.fertility_scale
                )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        scale_text = data.get("fertility_scale_text", "")
        tfr_text = data.get("tfr_path_text", "")
        scale: tuple[tuple[int, float], ...] = ()
        tfr: tuple[tuple[int, float], ...] = ()
        try:
            scale = parse_year_values(
                scale_text,
                field=gettext("子ども女性比の倍率"),
                example="2020:1, 2030:1.2",
            )
        except YearValueError as exc:
            self.add_error("fertility_scale_text", str(exc))
        try:
            tfr = parse_year_values(
                tfr_text,
                field=gettext("合計特殊出生率の推移"),
                example="2020:1.2, 2030:1.8, 2040:2.07",
            )
        except YearValueError as exc:
            self.add_error("tfr_path_text", str(exc))
        if scale and tfr:
            self.add_error(
                "fertility_scale_text",
                gettext("合計特殊出生率の推移を使うときは、この欄を空にしてください。"),
            )
        elif tfr:
            if len(tfr) < 2:
                self.add_error(
                    "tfr_path_text",
                    gettext(
                        "現在の値と目標の 2 つ以上の点を入れてください（例: 2020:1.2, 2030:1.8）。"
                    ),
                )
            else:
                try:
                    scale = fertility_scale_from_tfr(
                        base_tfr=tfr[0][1], base_year=tfr[0][0], targets=tfr[1:]
                    )
                except YearValueError as exc:
                    self.add_error("tfr_path_text", str(exc))
        try:
            DomainScenario(
                name=data.get("name") or "",
                fertility_scale=scale,
                migration_scale=data.get("migration_scale") or 0.0,
            )
        except ScenarioError as exc:
            self.add_error("fertility_scale_text", str(exc))
        data["fertility_scale"] = [[y, v] for y, v in scale]
        data["tfr_path"] = [[y, v] for y, v in tfr]
        return data

    def changes(self) -> dict[str, Any]:
        names = [*self.Meta.fields, "fertility_scale", "tfr_path"]
        return {name: self.cleaned_data[name] for name in names}


class RunForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, required=False)
    base_dataset = forms.ModelChoiceField(
        label=_("基準人口"), queryset=CensusDataset.objects.order_by("-year"), empty_label=None
    )
    assumption_set = forms.ModelChoiceField(
        label=_("仮定値"), queryset=AssumptionSet.objects.order_by("name"), empty_label=None
    )
    scenarios = forms.ModelMultipleChoiceField(
        label=_("シナリオ"),
        queryset=Scenario.objects.order_by("order", "name"),
        widget=forms.CheckboxSelectMultiple,
    )
    until = forms.IntegerField(
        label=_("推計の最終年"),
        initial=2070,
        min_value=1905,
        max_value=2200,
        help_text=_("基準年から 5 年刻みの年（例: 2070）。"),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        base = data.get("base_dataset")
        until = data.get("until")
        if base is not None and until is not None:
            if until <= base.year or (until - base.year) % 5:
                self.add_error(
                    "until",
                    gettext(
                        "推計の最終年は基準年 %(base)d年 より後で、5 年刻みの年（%(next)d、%(after)d、…）にしてください。"
                    )
                    % {"base": base.year, "next": base.year + 5, "after": base.year + 10},
                )
        return data


class ResultChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        run = obj.run
        return f"No.{run.pk} {run.name or ''} {run.base_year}→{run.until}（{run.created_at:%Y-%m-%d}）— {obj.name}"


class OutlookForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    result = ResultChoiceField(
        label=_("従うシナリオ（推計結果）"),
        queryset=ScenarioResult.objects.select_related("run").order_by(
            "-run__created_at", "-run_id", "order"
        ),
        required=False,
    )
    targets_text = forms.CharField(
        label=_("目標人口（年:人）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "例: 2030:68000, 2040:65000。空欄のまま保存すると、選んだシナリオの推計値（100 人単位）を入れます。"
        ),
    )

    class Meta:
        model = PopulationOutlook
        fields = ["title", "result", "explanation"]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 8})}

    field_order = ["title", "result", "targets_text", "explanation"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["targets_text"].initial = format_year_values(self.instance.targets)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        try:
            targets = parse_year_values(
                data.get("targets_text", ""),
                field=gettext("目標人口"),
                example="2030:68000, 2040:65000",
            )
        except YearValueError as exc:
            self.add_error("targets_text", str(exc))
            return data
        result = data.get("result")
        if targets and result is None:
            self.add_error(
                "result", gettext("目標人口を入れるときは、従うシナリオを選んでください。")
            )
        for year, value in targets:
            if value < 0:
                self.add_error(
                    "targets_text",
                    gettext("%(year)d年 の目標人口が負の値です。0 以上にしてください。")
                    % {"year": year},
                )
            elif result is not None and year not in result.years[1:]:
                self.add_error(
                    "targets_text",
                    gettext(
                        "%(year)d年 は選んだ推計の年（%(years)s）にありません。推計の年にしてください。"
                    )
                    % {"year": year, "years": "、".join(str(y) for y in result.years[1:])},
                )
        data["targets"] = [[y, v] for y, v in targets]
        return data

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in [*self.Meta.fields, "targets"]}
