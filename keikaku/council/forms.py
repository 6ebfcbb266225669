"""Forms of the council app: the public application form (公募) and the staff forms.

The public form carries a form token (duplicate-submit protection) and a honeypot field; the
essay has no maxlength attribute on purpose (a browser would cut pasted text silently): the
server refuses an over-long essay with a message and keeps what was typed.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keikaku.council.domain import recruitment as rdomain
from keikaku.council.models import (
    ApplicantEligibility,
    Application,
    AssemblyReport,
    Bill,
    Council,
    CouncilDocument,
    CouncilMember,
    Meeting,
    MemberPosition,
    Recruitment,
)
from keikaku.plans.models import Edition
from keikaku.plans.staff import VersionedForm

HONEYPOT = "website"
_KANA_RE = re.compile(r"[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc\u30fd\u30fe\s\u3000・]+")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\ufeff]")

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TextInput(attrs={"type": "time"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def new_form_token() -> str:
    return uuid.uuid4().hex


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _plain(value: str, label: str) -> str:
    if _CONTROL_RE.search(value):
        raise forms.ValidationError(
            _("「%(label)s」に使えない制御文字が含まれています。文字だけを入力してください。")
            % {"label": label}
        )
    return value


# --- the public application form --------------------------------------------------------------


class ApplicationForm(forms.Form):
    """公募委員への応募 (online application with an essay)."""

    form_token = forms.CharField(widget=forms.HiddenInput)
    website = forms.CharField(
        label=gettext_lazy("ホームページ（この欄は空のままにしてください）"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    name = forms.CharField(
        label=gettext_lazy("氏名"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    name_kana = forms.CharField(
        label=gettext_lazy("ふりがな"),
        max_length=100,
        help_text=gettext_lazy("ひらがなかカタカナで入力してください（例: つるがしま たろう）。"),
    )
    birth_date = forms.DateField(
        label=gettext_lazy("生年月日"),
        widget=DATE,
        help_text=gettext_lazy("西暦で入力してください（例: 1985-04-01）。"),
        error_messages={
            "invalid": gettext_lazy("生年月日は西暦の年月日で入力してください（例: 1985-04-01）。")
        },
    )
    address = forms.CharField(
        label=gettext_lazy("住所"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("電話番号"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=gettext_lazy("日中に連絡がとれる番号（例: 049-271-1111）"),
    )
    email = forms.EmailField(
        label=gettext_lazy("メールアドレス"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": gettext_lazy(
                "メールアドレスの形が正しくありません（例: taro@example.jp）。確かめてください。"
            )
        },
    )
    occupation = forms.CharField(label=gettext_lazy("職業・所属"), max_length=100, required=False)
    eligibility = forms.ChoiceField(
        label=gettext_lazy("市との関わり"),
        choices=ApplicantEligibility.choices,
        widget=forms.RadioSelect,
    )
    other_roles = forms.CharField(
        label=gettext_lazy("ほかの審議会・委員会の委員をしていますか"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("している場合は、その名称を書いてください。"),
    )
    essay = forms.CharField(label=gettext_lazy("作文"), widget=forms.Textarea(attrs={"rows": 14}))
    consent = forms.BooleanField(
        label=gettext_lazy("個人情報の取扱いに同意して応募します"),
        error_messages={
            "required": gettext_lazy(
                "個人情報の取扱いに同意いただけない場合は、応募できません。同意の欄にチェックを入れてください。"
            )
        },
    )

    def __init__(self, *args: Any, recruitment: Recruitment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recruitment = recruitment
        if not self.is_bound:
            self.initial.setdefault("form_token", new_form_token())
        self.fields["essay"].help_text = _(
            "テーマ「%(theme)s」について、%(min)s字以上%(max)s字以内で書いてください（改行は数えません）。"
        ) % {
            "theme": recruitment.essay_theme,
            "min": recruitment.essay_min_chars,
            "max": recruitment.essay_max_chars,
        }

    @property
    def honeypot_filled(self) -> bool:
        return bool(str(self.data.get(HONEYPOT, "")).strip())

    def clean_form_token(self) -> str:
        token = str(self.cleaned_data.get("form_token") or "")
        if not rdomain.is_form_token(token):
            raise forms.ValidationError(
                _(
                    "フォームの情報が正しくありません。ページを読み込み直して、もう一度入力してください。"
                )
            )
        return token

    def _text(self, name: str) -> str:
        return _plain(str(self.cleaned_data.get(name) or "").strip(), str(self.fields[name].label))

    def clean_name(self) -> str:
        return self._text("name")

    def clean_name_kana(self) -> str:
        value = self._text("name_kana")
        if value and not _KANA_RE.fullmatch(value):
            raise forms.ValidationError(
                _("ふりがなは、ひらがなかカタカナで入力してください（例: つるがしま たろう）。")
            )
        return value

    def clean_address(self) -> str:
        return self._text("address")

    def clean_occupation(self) -> str:
        return self._text("occupation")

    def clean_other_roles(self) -> str:
        return self._text("other_roles")

    def clean_phone(self) -> str:
        value = self._text("phone")
        if value and not any(ch.isdigit() for ch in value):
            raise forms.ValidationError(_("電話番号は数字で入力してください（例: 049-271-1111）。"))
        return value

    def clean_birth_date(self) -> Any:
        from keikaku.council.services import age_reference_day

        value = self.cleaned_data.get("birth_date")
        if value is None:
            return value
        problem = rdomain.age_problem(
            value, age_reference_day(self.recruitment), self.recruitment.min_age
        )
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_essay(self) -> str:
        text = _plain(
            _normalise_newlines(str(self.cleaned_data.get("essay") or "")).strip(),
            str(self.fields["essay"].label),
        )
        problem = rdomain.essay_problem(
            text,
            min_chars=self.recruitment.essay_min_chars,
            max_chars=self.recruitment.essay_max_chars,
        )
        if problem:
            raise forms.ValidationError(problem)
        return text


# --- staff forms ------------------------------------------------------------------------------

PROVENANCE_FIELDS = ["data_status", "data_note"]


class CouncilForm(VersionedForm):
    class Meta:
        model = Council
        fields = ["name", "description", "legal_basis", "seats", "contact", "is_published"]


class MemberForm(VersionedForm):
    class Meta:
        model = CouncilMember
        fields = [
            "name",
            "name_kana",
            "category",
            "affiliation",
            "position",
            "term_start",
            "term_end",
            "order",
            "is_published",
            *PROVENANCE_FIELDS,
        ]
        widgets = {"term_start": DATE, "term_end": DATE}


class RecruitmentForm(VersionedForm):
    class Meta:
        model = Recruitment
        fields = [
            "title",
            "description",
            "seats",
            "eligibility_note",
            "min_age",
            "age_reference_date",
            "term_note",
            "essay_theme",
            "essay_min_chars",
            "essay_max_chars",
            "starts_at",
            "ends_at",
            "other_channels",
            "selection_method",
            "contact",
            "is_published",
            "result_note",
            *PROVENANCE_FIELDS,
        ]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME, "age_reference_date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].help_text = str(self.fields[name].help_text or "") + _(
                "日本時間で入力します。"
            )
            value = self.initial.get(name)
            if value is not None and hasattr(value, "tzinfo") and value.tzinfo is not None:
                self.initial[name] = timezone.localtime(value)


class MeetingForm(VersionedForm):
    class Meta:
        model = Meeting
        fields = [
            "number",
            "title",
            "held_on",
            "start_time",
            "end_time",
            "place",
            "is_open",
            "closed_reason",
            "agenda",
            "observers",
            "is_published",
            *PROVENANCE_FIELDS,
        ]
        widgets = {"held_on": DATE, "start_time": TIME, "end_time": TIME}


class DocumentForm(VersionedForm):
    class Meta:
        model = CouncilDocument
        fields = [
            "kind",
            "title",
            "dated_on",
            "addressee",
            "summary",
            "meeting",
            "edition",
            "is_published",
            *PROVENANCE_FIELDS,
        ]
        widgets = {"dated_on": DATE}


class AssemblyReportForm(VersionedForm):
    class Meta:
        model = AssemblyReport
        fields = [
            "reported_on",
            "committee",
            "title",
            "summary",
            "edition",
            "is_published",
            *PROVENANCE_FIELDS,
        ]
        widgets = {"reported_on": DATE}


class BillForm(VersionedForm):
    class Meta:
        model = Bill
        fields = [
            "number",
            "session",
            "title",
            "target",
            "edition",
            "submitted_on",
            "committee",
            "committee_decided_on",
            "committee_result",
            "vote_on",
            "result",
            "votes_for",
            "votes_against",
            "effective_on",
            "summary",
            "is_published",
            *PROVENANCE_FIELDS,
        ]
        widgets = {
            "submitted_on": DATE,
            "committee_decided_on": DATE,
            "vote_on": DATE,
            "effective_on": DATE,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = Edition.objects.order_by("-start_fy")  # type: ignore[attr-defined]


class PdfForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("資料名"), max_length=200)
    file = forms.FileField(
        label=gettext_lazy("ファイル（PDF）"),
        help_text=gettext_lazy("PDF ファイルだけを登録できます（30MB まで）。"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class FileOnlyForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("ファイル（PDF）"),
        help_text=gettext_lazy("PDF ファイルだけを登録できます（30MB まで）。"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=gettext_lazy("出席した委員"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("会議の日に任期中の委員です。出席した委員にチェックを入れます。"),
    )

    def __init__(self, *args: Any, members: list[CouncilMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        field.choices = [  # type: ignore[attr-defined]
            (str(m.pk), f"{m.name}（{m.get_category_display()}）") for m in members
        ]


class MinutesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    body = forms.CharField(
        label=gettext_lazy("議事録（本文）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=gettext_lazy(
            "確認済の議事録を書き換えると「作成中」に戻り、公開も止まります。もう一度確認してから公開してください。"
        ),
    )


class MinutesApproveForm(forms.Form):
    approved_on = forms.DateField(label=gettext_lazy("確認日"), widget=DATE)
    note = forms.CharField(
        label=gettext_lazy("確認の方法"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("例: 会長及び出席委員の確認を経た／第2回会議で承認"),
    )


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("選考の結果"), choices=Application.Status.choices)
    decided_on = forms.DateField(label=gettext_lazy("選考日"), widget=DATE, required=False)
    score = forms.IntegerField(
        label=gettext_lazy("評点"), min_value=0, max_value=1000, required=False
    )
    note = forms.CharField(
        label=gettext_lazy("選考の記録"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("選考の理由や面接の記録。公開されません。"),
    )


class AppointForm(forms.Form):
    term_start = forms.DateField(label=gettext_lazy("任期の始まり"), widget=DATE)
    term_end = forms.DateField(label=gettext_lazy("任期の終わり"), widget=DATE, required=False)
    position = forms.ChoiceField(
        label=gettext_lazy("役職"), choices=MemberPosition.choices, initial=MemberPosition.MEMBER
    )
