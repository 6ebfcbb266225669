"""Forms of the participation app: the public proposal and comment forms, and staff forms.

Public forms carry a form token (duplicate-submit protection) and a honeypot field. The
opinion text has no maxlength attribute on purpose: a browser would cut pasted text
silently; the server refuses an over-long text with a message and keeps what was typed.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keikaku.accounts.models import Department
from keikaku.participation.domain import intake
from keikaku.participation.domain.result import (
    CategoryFormatError,
    categories_to_text,
    parse_categories,
)
from keikaku.participation.models import (
    ROUND_CHANNELS,
    AgeBand,
    Channel,
    Eligibility,
    Hearing,
    Opinion,
    OpinionGroup,
    OpinionReply,
    PublicCommentRound,
    Source,
)
from keikaku.plans.models import Edition, Measure

HONEYPOT = "website"


def max_opinion_chars() -> int:
    return int(getattr(settings, "KEIKAKU_OPINION_MAX_CHARS", 4000))


def new_form_token() -> str:
    return uuid.uuid4().hex


class PublicForm(forms.Form):
    """Base of the citizens' forms: token, honeypot, plain-text checks."""

    form_token = forms.CharField(widget=forms.HiddenInput)
    website = forms.CharField(
        label=gettext_lazy("ホームページ（この欄は空のままにしてください）"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", new_form_token())

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def clean_form_token(self) -> str:
        token = str(self.cleaned_data.get("form_token") or "")
        if not intake.is_form_token(token):
            raise forms.ValidationError(
                _(
                    "フォームの情報が正しくありません。ページを読み込み直して、もう一度入力してください。"
                )
            )
        return token

    def clean_text(self) -> str:
        text = intake.normalise_newlines(str(self.cleaned_data.get("text") or ""))
        problem = intake.plain_text_problem(
            text, label=str(self.fields["text"].label), max_chars=max_opinion_chars(), required=True
        )
        if problem:
            raise forms.ValidationError(problem)
        return text

    def _short(self, name: str) -> str:
        value = str(self.cleaned_data.get(name) or "").strip()
        problem = intake.plain_text_problem(
            value, label=str(self.fields[name].label), max_chars=300, required=False
        )
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_name(self) -> str:
        return self._short("name")

    def clean_address(self) -> str:
        return self._short("address")

    def clean_district(self) -> str:
        return self._short("district")

    def clean_phone(self) -> str:
        value = self._short("phone")
        if value and not any(ch.isdigit() for ch in value):
            raise forms.ValidationError(_("電話番号は数字で入力してください（例: 049-271-1111）。"))
        return value


def _email_field(required: bool = False) -> forms.EmailField:
    return forms.EmailField(
        label=gettext_lazy("メールアドレス"),
        required=required,
        max_length=254,
        error_messages={
            "invalid": gettext_lazy(
                "メールアドレスの形が正しくありません（例: taro@example.jp）。確かめてください。"
            )
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


AGE_CHOICES = [("", gettext_lazy("選ばない"))] + list(AgeBand.choices)


class ProposalForm(PublicForm):
    """常時募集の意見・提案."""

    target = forms.ChoiceField(
        label=gettext_lazy("どの分野・施策についての意見ですか"),
        required=False,
        help_text=gettext_lazy("分からなければ、そのままで構いません。"),
    )
    text = forms.CharField(
        label=gettext_lazy("ご意見・ご提案"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("文字だけで書いてください（最大%(max)s文字）。"),
    )
    eligibility = forms.ChoiceField(
        label=gettext_lazy("あなたと市との関わり"),
        required=False,
        choices=[("", gettext_lazy("選ばない"))] + list(Eligibility.choices),
    )
    age_band = forms.ChoiceField(label=gettext_lazy("年代"), required=False, choices=AGE_CHOICES)
    district = forms.CharField(label=gettext_lazy("お住まいの地区"), required=False, max_length=50)
    wants_reply = forms.BooleanField(
        label=gettext_lazy("市からの返事を希望する"),
        required=False,
        help_text=gettext_lazy(
            "返事を希望するときは、連絡先（メールアドレス・住所・電話番号のどれか）を書いてください。"
        ),
    )
    name = forms.CharField(
        label=gettext_lazy("お名前"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = _email_field()
    phone = forms.CharField(
        label=gettext_lazy("電話番号"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    address = forms.CharField(
        label=gettext_lazy("住所"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def __init__(self, *args: Any, target_choices: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = [("", _("特定の施策ではない（計画全体・その他）"))] + list(
            target_choices or []
        )
        self.fields["text"].help_text = _("文字だけで書いてください（最大%(max)s文字）。") % {
            "max": f"{max_opinion_chars():,}"
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("wants_reply") and not (
            data.get("email") or data.get("address") or data.get("phone")
        ):
            self.add_error(
                "wants_reply",
                _("返事を希望するときは、メールアドレス・住所・電話番号のどれかを書いてください。"),
            )
        return data


class CommentForm(PublicForm):
    """パブリックコメント: name and address are required (eligibility), never published."""

    target = forms.CharField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label=gettext_lazy("ご意見"),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    eligibility = forms.ChoiceField(
        label=gettext_lazy("あなたと市との関わり"),
        choices=Eligibility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("「あなたと市との関わり」を1つ選んでください。")},
    )
    name = forms.CharField(
        label=gettext_lazy("お名前"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=gettext_lazy(
            "法人・団体の場合は、名称と代表者名を書いてください。公表しません。"
        ),
        error_messages={"required": gettext_lazy("「お名前」を入力してください。")},
    )
    address = forms.CharField(
        label=gettext_lazy("住所"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        help_text=gettext_lazy("法人・団体の場合は所在地を書いてください。公表しません。"),
        error_messages={"required": gettext_lazy("「住所」を入力してください。")},
    )
    phone = forms.CharField(
        label=gettext_lazy("電話番号"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = _email_field()
    age_band = forms.ChoiceField(label=gettext_lazy("年代"), required=False, choices=AGE_CHOICES)
    district = forms.CharField(label=gettext_lazy("お住まいの地区"), required=False, max_length=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = _(
            "文字だけで書いてください（最大%(max)s文字）。意見の理由もあわせて書いてください。"
        ) % {"max": f"{max_opinion_chars():,}"}
        self.fields["text"].error_messages["required"] = _("「ご意見」を入力してください。")


# --- staff forms ------------------------------------------------------------------------------


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class HandlingForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("対応状況"), choices=Opinion.Status.choices)
    department = forms.ModelChoiceField(
        label=gettext_lazy("担当部署"), queryset=Department.objects.all(), required=False
    )
    measures = forms.ModelMultipleChoiceField(
        label=gettext_lazy("関連する施策"),
        queryset=Measure.objects.select_related("area__edition").order_by(
            "area__edition__start_fy", "area__number", "order", "code"
        ),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("内部メモ"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("職員だけが見ます。"),
    )


class ReplyForm(forms.ModelForm):
    class Meta:
        model = OpinionReply
        fields = ["replied_on", "method", "text"]
        widgets = {
            "replied_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("replied_on", timezone.localdate())


class HideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("非表示にする理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("例: 特定の個人を誹謗中傷する内容のため。理由は記録に残ります。"),
    )


class RecordOpinionForm(forms.Form):
    """Staff record an opinion received on paper, by FAX, mail, e-mail, phone, in a hearing."""

    source = forms.ChoiceField(label=gettext_lazy("区分"), choices=Source.choices)
    round = forms.ModelChoiceField(
        label=gettext_lazy("意見募集（パブリックコメントのとき）"),
        queryset=PublicCommentRound.objects.all(),
        required=False,
    )
    hearing = forms.ModelChoiceField(
        label=gettext_lazy("意見交換・ヒアリング（その記録のとき）"),
        queryset=Hearing.objects.all(),
        required=False,
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("受付方法"),
        choices=[
            c for c in Channel.choices if c[0] not in (Channel.WEB_PROPOSAL, Channel.WEB_COMMENT)
        ],
    )
    received_at = forms.DateTimeField(label=gettext_lazy("受付日時"), widget=DateTimeLocalInput())
    paragraph_key = forms.CharField(
        label=gettext_lazy("素案の段落のキー（段落への意見のとき）"),
        required=False,
        help_text=gettext_lazy(
            "意見募集のページで段落ごとに表示されるキー（例: measure-1-1-target-1）"
        ),
    )
    target_measure = forms.ModelChoiceField(
        label=gettext_lazy("対象の施策"),
        queryset=Measure.objects.select_related("area__edition").order_by(
            "area__edition__start_fy", "area__number", "order", "code"
        ),
        required=False,
    )
    topic = forms.CharField(label=gettext_lazy("テーマ"), required=False, max_length=200)
    text = forms.CharField(
        label=gettext_lazy("意見（書かれたとおりに）"), widget=forms.Textarea(attrs={"rows": 8})
    )
    eligibility = forms.ChoiceField(
        label=gettext_lazy("提出者の区分"),
        required=False,
        choices=[("", "—")] + list(Eligibility.choices),
    )
    age_band = forms.ChoiceField(label=gettext_lazy("年代"), required=False, choices=AGE_CHOICES)
    district = forms.CharField(label=gettext_lazy("地区"), required=False, max_length=50)
    name = forms.CharField(label=gettext_lazy("氏名"), required=False, max_length=100)
    address = forms.CharField(label=gettext_lazy("住所"), required=False, max_length=200)
    phone = forms.CharField(label=gettext_lazy("電話番号"), required=False, max_length=30)
    email = _email_field()
    wants_reply = forms.BooleanField(label=gettext_lazy("返信を希望"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean_text(self) -> str:
        text = intake.normalise_newlines(str(self.cleaned_data.get("text") or ""))
        problem = intake.plain_text_problem(
            text, label=_("意見"), max_chars=max(max_opinion_chars(), 20000), required=True
        )
        if problem:
            raise forms.ValidationError(problem)
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source = data.get("source")
        if source == Source.PUBLIC_COMMENT and not data.get("round"):
            self.add_error(
                "round", _("パブリックコメントの意見は、どの意見募集かを選んでください。")
            )
        if source == Source.HEARING:
            if not data.get("hearing"):
                self.add_error("hearing", _("どの意見交換・ヒアリングの意見かを選んでください。"))
            data["channel"] = Channel.HEARING
        if source == Source.SURVEY:
            data["channel"] = Channel.SURVEY
        if source != Source.PUBLIC_COMMENT:
            data["round"] = None
        if source != Source.HEARING:
            data["hearing"] = None
        key = str(data.get("paragraph_key") or "").strip()
        data["paragraph"] = None
        if key:
            round_obj = data.get("round")
            paragraph = round_obj.paragraphs.filter(key=key).first() if round_obj else None
            if paragraph is None:
                self.add_error(
                    "paragraph_key",
                    _("段落のキー「%(key)s」は、選んだ意見募集の素案にありません。") % {"key": key},
                )
            data["paragraph"] = paragraph
        return data


class HearingForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Hearing
        fields = [
            "title",
            "group_name",
            "held_on",
            "place",
            "participants",
            "notes",
            "edition",
            "department",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self) -> None:
        pass


class RoundForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    channels = forms.MultipleChoiceField(
        label=gettext_lazy("提出方法"),
        choices=ROUND_CHANNELS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    categories_text = forms.CharField(
        label=gettext_lazy("反映区分"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("1行に1つ、「記号 名前」の形で書きます（例: A 反映し修正）。"),
    )
    reflected_codes = forms.CharField(
        label=gettext_lazy("反映した意見として数える区分"),
        max_length=50,
        initial="A",
        help_text=gettext_lazy("記号を書きます。複数なら「A,B」のように区切ります。"),
    )

    class Meta:
        model = PublicCommentRound
        fields = [
            "title",
            "edition",
            "description",
            "starts_at",
            "ends_at",
            "short_period_reason",
            "eligibility_note",
            "channels",
            "submission_info",
            "contact",
            "result_note",
        ]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "short_period_reason": forms.Textarea(attrs={"rows": 3}),
            "eligibility_note": forms.Textarea(attrs={"rows": 3}),
            "submission_info": forms.Textarea(attrs={"rows": 4}),
            "result_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, default_categories: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = Edition.objects.order_by("-start_fy")  # type: ignore[attr-defined]
        if not self.is_bound:
            categories = self.instance.reflection_categories or default_categories
            from keikaku.participation.domain.result import Category

            cats = [Category(c["code"], c["label"], bool(c.get("reflected"))) for c in categories]
            self.initial["categories_text"] = categories_to_text(cats)
            self.initial["reflected_codes"] = ",".join(c.code for c in cats if c.reflected)
            if self.instance.pk:
                self.initial["version"] = self.instance.version
            else:
                self.initial.setdefault("channels", ["web", "mail", "fax", "email", "hand"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = data.get("categories_text")
        if text is not None:
            try:
                cats = parse_categories(text, data.get("reflected_codes") or "")
            except CategoryFormatError as exc:
                self.add_error("categories_text", str(exc))
            else:
                data["reflection_categories"] = [
                    {"code": c.code, "label": c.label, "reflected": c.reflected} for c in cats
                ]
        return data

    def _post_clean(self) -> None:
        pass

    def changes(self) -> dict[str, Any]:
        out = {name: self.cleaned_data[name] for name in self.Meta.fields}
        out["reflection_categories"] = self.cleaned_data["reflection_categories"]
        return out


class DraftFromPlanForm(forms.Form):
    edition = forms.ModelChoiceField(
        label=gettext_lazy("施策体系を取り込む基本計画"),
        queryset=Edition.objects.order_by("-start_fy"),
    )


class DraftUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("素案のファイル（.docx または .md）"),
        help_text=gettext_lazy(
            "見出し（Word の「見出し1〜3」、Markdown の #）で節に分け、段落ごとに意見を受け付けます。"
        ),
    )


class MaterialForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("資料名"), max_length=200)
    file = forms.FileField(label=gettext_lazy("ファイル（PDF、30MBまで）"))


class GroupForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reflection = forms.ChoiceField(label=gettext_lazy("反映区分"), required=False)

    class Meta:
        model = OpinionGroup
        fields = ["location", "summary", "city_view", "reflection", "paragraph", "revised_text"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "city_view": forms.Textarea(attrs={"rows": 6}),
            "revised_text": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reflection = self.fields["reflection"]
        assert isinstance(reflection, forms.ChoiceField)
        reflection.choices = [("", _("選んでください"))] + categories
        paragraphs = self.instance.round.paragraphs.select_related("section").order_by(
            "section__order", "order"
        )
        field = self.fields["paragraph"]
        field.queryset = paragraphs  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: f"{p.location}：{p.text[:40]}"  # type: ignore[attr-defined]
        field.empty_label = _("修正しない")  # type: ignore[attr-defined]
        field.help_text = _("意見を受けて素案を修正するときに、修正する段落を選びます。")
        self.fields["revised_text"].help_text = _(
            "修正後の段落の文。空のまま保存すると、いまの段落の文が入ります。"
        )
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self) -> None:
        pass

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class OpinionFilterForm(forms.Form):
    source = forms.ChoiceField(
        label=gettext_lazy("区分"),
        required=False,
        choices=[("", gettext_lazy("すべて"))] + list(Source.choices),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("対応状況"),
        required=False,
        choices=[("", gettext_lazy("すべて"))] + list(Opinion.Status.choices),
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("担当部署"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=gettext_lazy("すべて"),
    )
    hidden = forms.ChoiceField(
        label=gettext_lazy("非表示"),
        required=False,
        choices=[
            ("", gettext_lazy("表示中のみ")),
            ("all", gettext_lazy("非表示も含める")),
            ("only", gettext_lazy("非表示のみ")),
        ],
    )
    q = forms.CharField(label=gettext_lazy("キーワード・受付番号"), required=False, max_length=100)
