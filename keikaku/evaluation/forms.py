"""Forms of the evaluation staff pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keikaku.evaluation import schemes
from keikaku.evaluation.models import (
    EvaluationRound,
    MeasureEvaluation,
    ProgrammeEvaluation,
    ProgrammeIndicator,
)
from keikaku.plans.models import Edition, Measure

TEXTAREA = forms.Textarea(attrs={"rows": 5})
SHORT_TEXTAREA = forms.Textarea(attrs={"rows": 3})


class RoundForm(forms.ModelForm):
    scheme_id = forms.ChoiceField(label=_("評価方式"), choices=())

    class Meta:
        model = EvaluationRound
        fields = ["edition", "fiscal_year", "scheme_id", "is_final", "introduction"]
        widgets = {"introduction": TEXTAREA}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scheme_field = self.fields["scheme_id"]
        assert isinstance(scheme_field, forms.ChoiceField)
        scheme_field.choices = schemes.scheme_choices()
        self.fields["scheme_id"].initial = schemes.scheme_default_id()
        self.fields["scheme_id"].help_text = _(
            "成果指標の評価区分の決め方です。評価方法の説明は docs/evaluation-method.md にあります。"
        )
        edition_field = self.fields["edition"]
        assert isinstance(edition_field, forms.ModelChoiceField)
        edition_field.queryset = Edition.objects.select_related("plan").order_by("-start_fy")
        if self.instance.pk:
            del self.fields["edition"]
            del self.fields["fiscal_year"]


class MeasureSheetForm(forms.ModelForm):
    internal_grade = forms.ChoiceField(label=_("内部評価（担当課）"), choices=(), required=False)

    class Meta:
        model = MeasureEvaluation
        fields = [
            "results",
            "issues",
            "direction",
            "direction_note",
            "internal_grade",
            "grade_reason",
            "external_comment",
        ]
        widgets = {
            "results": TEXTAREA,
            "issues": TEXTAREA,
            "direction_note": SHORT_TEXTAREA,
            "grade_reason": SHORT_TEXTAREA,
            "external_comment": SHORT_TEXTAREA,
        }

    def __init__(self, *args: Any, secretariat: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scheme = schemes.scheme_get(self.instance.round.scheme_id)
        grade_field = self.fields["internal_grade"]
        assert isinstance(grade_field, forms.ChoiceField)
        grade_field.choices = [("", "—")] + [
            (label, f"{label} {scheme.description_of(label)}") for label in scheme.labels
        ]
        self.fields["internal_grade"].help_text = MeasureEvaluation._meta.get_field(
            "internal_grade"
        ).help_text
        if not secretariat:
            del self.fields["external_comment"]


class ProgrammeSheetForm(forms.ModelForm):
    class Meta:
        model = ProgrammeEvaluation
        fields = [
            "purpose_target",
            "purpose_intent",
            "activities",
            "period",
            "staff_fte",
            "staff_cost",
            "necessity",
            "necessity_note",
            "effectiveness",
            "effectiveness_note",
            "efficiency",
            "efficiency_note",
            "equity",
            "equity_note",
            "issues",
            "direction",
            "direction_note",
        ]
        widgets = {
            "purpose_target": SHORT_TEXTAREA,
            "purpose_intent": SHORT_TEXTAREA,
            "activities": TEXTAREA,
            "necessity_note": SHORT_TEXTAREA,
            "effectiveness_note": SHORT_TEXTAREA,
            "efficiency_note": SHORT_TEXTAREA,
            "equity_note": SHORT_TEXTAREA,
            "issues": SHORT_TEXTAREA,
            "direction_note": SHORT_TEXTAREA,
        }


class ProgrammeIndicatorForm(forms.ModelForm):
    class Meta:
        model = ProgrammeIndicator
        fields = ["kind", "name", "unit", "planned", "actual"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["kind"].required = False


ProgrammeIndicatorFormSet = forms.formset_factory(ProgrammeIndicatorForm, extra=2, max_num=30)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("ファイル"),
        help_text=_(
            "ひな形に入力した Excel ファイル（.xlsx）。CSV（実績値.csv・事業費.csv）も使えます。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class CarryOverForm(forms.Form):
    former = forms.ModelChoiceField(
        label=_("引き継ぐ基本計画（前期）"), queryset=Edition.objects.none()
    )
    title = forms.CharField(label=_("新しい基本計画の名称"), max_length=200, initial="後期基本計画")
    start_fy = forms.IntegerField(label=_("開始年度"), min_value=1900, max_value=2200)
    end_fy = forms.IntegerField(label=_("終了年度"), min_value=1900, max_value=2200)
    baseline_up_to_fy = forms.IntegerField(
        label=_("基準値に使う実績の年度（この年度まで）"),
        min_value=1900,
        max_value=2200,
        required=False,
        help_text=_(
            "空欄なら前期の最終年度まで。各指標の、この年度までで最新の実績値を新しい基準値にします。"
        ),
    )
    restart_cumulative = forms.BooleanField(
        label=_("累計の指標は 0 から数え直す"),
        required=False,
        initial=True,
        help_text=_("外すと、前期の累計値を新しい基準値として引き継ぎます。"),
    )
    skip_ended_programmes = forms.BooleanField(
        label=_("「休止・廃止」「完了」と評価した事務事業は引き継がない"),
        required=False,
        initial=True,
        help_text=_(
            "最新の事務事業評価シートの今後の方向性で判断します。外すと、すべての事務事業を引き継ぎます。"
        ),
    )

    def __init__(self, *args: Any, editions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        former = self.fields["former"]
        assert isinstance(former, forms.ModelChoiceField)
        former.queryset = editions if editions is not None else Edition.objects.none()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_fy"), data.get("end_fy")
        if start and end and end < start:
            self.add_error("end_fy", _("終了年度は開始年度以降にしてください。"))
        return data


class MergeForm(forms.Form):
    kept = forms.ModelChoiceField(label=_("残す施策（統合先）"), queryset=Measure.objects.none())
    absorbed = forms.ModelChoiceField(
        label=_("統合する施策（削除されます）"), queryset=Measure.objects.none()
    )

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = Measure.objects.filter(area__edition=edition).order_by("area__number", "order", "code")
        for name in ("kept", "absorbed"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = qs

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kept") and data.get("kept") == data.get("absorbed"):
            self.add_error("absorbed", _("残す施策とは別の施策を選んでください。"))
        return data
