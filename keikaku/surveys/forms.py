"""Staff forms of the citizen survey."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from keikaku.plans.models import Edition, Indicator, Measure
from keikaku.surveys.domain.codes import MAX_BATCH
from keikaku.surveys.models import IndicatorSource, SurveyQuestion, SurveySection, SurveyWave


class DateInput(forms.DateInput):
    input_type = "date"


class WaveForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    populate = forms.BooleanField(
        label=_(
            "標準の調査票（属性・総合満足度・定住意向・施策ごとの満足度と重要度・自由記述）で始める"
        ),
        required=False,
        initial=True,
    )

    class Meta:
        model = SurveyWave
        fields = [
            "edition",
            "fiscal_year",
            "title",
            "population",
            "sample_size",
            "method",
            "opens_on",
            "closes_on",
            "intro",
            "label_set",
            "suppression_threshold",
            "summary_public",
            "is_illustrative",
        ]
        widgets = {
            "opens_on": DateInput(format="%Y-%m-%d"),
            "closes_on": DateInput(format="%Y-%m-%d"),
            "intro": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["populate"]
            del self.fields["edition"]
            if not self.is_bound:
                self.initial["version"] = self.instance.version
        else:
            cast(
                forms.ModelChoiceField, self.fields["edition"]
            ).queryset = Edition.objects.select_related("plan")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("終了日は開始日以降にしてください。"))
        population, sample = data.get("population"), data.get("sample_size")
        if population and sample and sample > population:
            self.add_error("sample_size", _("配布数が母集団の人数より多くなっています。"))
        return data

    def _post_clean(self) -> None:  # the service validates the model (after the version check)
        pass


class SectionForm(forms.ModelForm):
    class Meta:
        model = SurveySection
        fields = ["title", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False


class OptionsField(forms.CharField):
    """One option per line → a list of labels (numbered 1 … n in this order)."""

    widget = forms.Textarea(attrs={"rows": 6})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class QuestionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    options = OptionsField(
        label=_("選択肢"),
        required=False,
        help_text=_(
            "1行に1つ。上から順に 1, 2, 3 … の番号になります（調査票にもこの番号を印刷します）。"
        ),
    )

    class Meta:
        model = SurveyQuestion
        fields = [
            "section",
            "order",
            "kind",
            "code",
            "title",
            "help_text",
            "options",
            "max_picks",
            "scale",
            "is_attribute",
            "measure",
        ]
        widgets = {"help_text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, wave: SurveyWave, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["section"]).queryset = wave.sections.order_by(
            "order", "id"
        )
        self.fields["order"].required = False
        cast(forms.ModelChoiceField, self.fields["measure"]).queryset = Measure.objects.filter(
            area__edition=wave.edition
        ).select_related("area")
        self.fields["measure"].required = False
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self) -> None:
        pass


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("発行する数"),
        min_value=1,
        max_value=MAX_BATCH,
        help_text=_("調査票を送る人数分。1回に%(max)d件まで。") % {"max": MAX_BATCH},
    )


class CopyForm(forms.Form):
    fiscal_year = forms.IntegerField(
        label=_("新しい調査の年度（西暦）"), min_value=1900, max_value=2200
    )
    title = forms.CharField(label=_("新しい調査名"), max_length=200)
    edition = forms.ModelChoiceField(
        label=_("基本計画"),
        queryset=Edition.objects.all(),
        required=False,
        help_text=_("空欄なら複製元と同じ基本計画です。"),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("回答ファイル（CSV）"),
        help_text=_(
            "1行に回答者1人。UTF-8 または Shift_JIS（CP932）。書式は利用者ガイドを見てください。"
        ),
    )


class IndicatorSourceForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("成果指標"), queryset=Indicator.objects.none())
    metric = forms.ChoiceField(label=_("調査のどの値か"), choices=IndicatorSource.Metric.choices)
    measure = forms.ModelChoiceField(
        label=_("施策"),
        queryset=Measure.objects.none(),
        required=False,
        help_text=_("施策の満足度・重要度を使うとき"),
    )
    question_code = forms.CharField(
        label=_("設問コード"),
        required=False,
        max_length=40,
        help_text=_("5段階・選択式の設問を使うとき（例: overall、intention_to_stay）"),
    )
    option = forms.IntegerField(
        label=_("選択肢の番号"),
        required=False,
        min_value=1,
        help_text=_("選択肢の割合を使うとき"),
    )

    def __init__(self, *args: Any, wave: SurveyWave, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        indicators = Indicator.objects.filter(survey_based=True).filter(
            measure__area__edition=wave.edition
        ) | Indicator.objects.filter(survey_based=True, strategy__edition=wave.edition)
        cast(forms.ModelChoiceField, self.fields["indicator"]).queryset = indicators.order_by(
            "code"
        )
        cast(forms.ModelChoiceField, self.fields["measure"]).queryset = Measure.objects.filter(
            area__edition=wave.edition
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        metric = data.get("metric", "")
        if metric.startswith(("satisfaction", "importance")):
            if not data.get("measure"):
                self.add_error("measure", _("施策を選んでください。"))
        else:
            if not data.get("question_code"):
                self.add_error("question_code", _("設問コードを入力してください。"))
            if metric == "option_share" and not data.get("option"):
                self.add_error("option", _("選択肢の番号を入力してください。"))
        return data
