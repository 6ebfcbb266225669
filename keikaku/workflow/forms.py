"""Forms of the formulation pages (Japanese labels and messages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from keikaku.plans.models import Edition, PolicyArea
from keikaku.plans.staff import VersionedForm
from keikaku.workflow.domain.versions import field_choices
from keikaku.workflow.models import Body, Formulation, Membership, Phase, Section, Task


def _choice(form: forms.BaseForm, name: str) -> Any:
    """A choice field of the form (typed loosely: model choice fields have a queryset)."""
    return form.fields[name]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class FormulationCreateForm(forms.ModelForm):
    class Meta:
        model = Formulation
        fields = ["edition", "title", "public_summary", "is_public"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "edition").queryset = Edition.objects.filter(formulation__isnull=True)


class FormulationForm(VersionedForm):
    class Meta:
        model = Formulation
        fields = ["title", "status", "public_summary", "is_public"]


class BodyForm(VersionedForm):
    class Meta:
        model = Body
        fields = ["kind", "name", "order", "description", "department", "areas"]

    def __init__(self, *args: Any, formulation: Formulation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.formulation = formulation
        areas = _choice(self, "areas")
        areas.queryset = PolicyArea.objects.filter(edition=formulation.edition).order_by("number")
        areas.widget = forms.CheckboxSelectMultiple(choices=areas.choices)


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("職員"),
        queryset=get_user_model().objects.none(),
        help_text=_("一覧にない職員は、システム管理者が職員として登録します。"),
    )
    role = forms.ChoiceField(
        label=_("役割"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
    title = forms.CharField(label=_("役職"), max_length=100, required=False)

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"body{body.pk}")
        super().__init__(*args, **kwargs)
        _choice(self, "user").queryset = (
            get_user_model()
            .objects.filter(is_staff=True, is_active=True)
            .exclude(formulation_memberships__body=body)
            .order_by("last_name", "first_name", "username")
        )
        _choice(self, "user").label_from_instance = lambda u: (
            f"{u.get_full_name() or u.get_username()}（{u.get_username()}）"
        )


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=20)
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("コメント（差し戻すときは必須）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BulkTransitionForm(forms.Form):
    action = forms.CharField(max_length=20)
    sections = forms.CharField()  # "pk:version" pairs separated by commas
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def pairs(self) -> list[tuple[int, int]]:
        out = []
        for part in self.cleaned_data["sections"].split(","):
            pk, _sep, version = part.partition(":")
            if pk.strip().isdigit() and version.strip().isdigit():
                out.append((int(pk), int(version)))
        return out


class CommentForm(forms.Form):
    field = forms.ChoiceField(label=_("対象の欄"), required=False)
    body = forms.CharField(
        label=_("コメント"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    mentions = forms.ModelMultipleChoiceField(
        label=_("確認を求める組織（任意）"),
        queryset=Body.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("選んだ組織の構成員にお知らせが届きます。"),
    )

    def __init__(self, *args: Any, section: Section, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "field").choices = [("", _("項目全体")), *field_choices(section.kind)]
        _choice(self, "mentions").queryset = section.formulation.bodies.order_by("order", "id")


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("返信"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class PhaseForm(VersionedForm):
    class Meta:
        model = Phase
        fields = ["fiscal_year", "quarter", "order", "title", "description", "is_public"]


class TaskForm(VersionedForm):
    class Meta:
        model = Task
        fields = [
            "phase",
            "order",
            "title",
            "kind",
            "start",
            "end",
            "owner",
            "status",
            "completed_on",
            "depends_on",
            "is_public",
            "public_note",
            "url",
        ]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "completed_on": DateInput(),
        }

    def __init__(self, *args: Any, formulation: Formulation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "phase").queryset = formulation.phases.all()
        _choice(self, "owner").queryset = formulation.bodies.order_by("order", "id")
        deps = Task.objects.filter(phase__formulation=formulation)
        if self.instance.pk:
            deps = deps.exclude(pk=self.instance.pk)
        field = _choice(self, "depends_on")
        field.queryset = deps
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
        field.required = False


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状況"), choices=Task.Status.choices)
    completed_on = forms.DateField(label=_("完了日"), required=False, widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput)


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("比べる版（左）"), min_value=1)
    b = forms.IntegerField(label=_("比べる版（右）"), min_value=1)
