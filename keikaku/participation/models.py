"""Citizens' voices (市民の声): one opinion store for every channel, the proposal box,
hearings and opinion exchanges, public comment rounds with their draft, groups and result.

Personal data (name, address, phone, e-mail) lives in its own table (:class:`PersonalData`)
with its own permission (``participation.view_personaldata``) and a retention date. Nothing
a citizen submitted is deleted: moderation hides an opinion with a recorded reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keikaku.accounts.models import Department
from keikaku.core.models import VersionedModel
from keikaku.plans.models import Edition, Measure


class Source(models.TextChoices):
    PROPOSAL = "proposal", _("常時募集の意見・提案")
    PUBLIC_COMMENT = "public_comment", _("パブリックコメント")
    HEARING = "hearing", _("意見交換・ヒアリング")
    SURVEY = "survey", _("市民意識調査の自由記述")


class Channel(models.TextChoices):
    WEB_PROPOSAL = "web_proposal", _("ウェブ（意見・提案フォーム）")
    WEB_COMMENT = "web_comment", _("ウェブ（意見募集フォーム）")
    PAPER = "paper", _("紙（窓口への持参）")
    FAX = "fax", _("FAX")
    MAIL = "mail", _("郵送")
    EMAIL = "email", _("電子メール")
    PHONE = "phone", _("電話")
    HEARING = "hearing", _("意見交換・ヒアリング")
    SURVEY = "survey", _("市民意識調査の自由記述")


# Channels a round may accept (shown on the round page); web is the form on this site.
ROUND_CHANNELS = [
    ("web", _("このサイトの意見募集フォーム")),
    ("mail", _("郵送")),
    ("fax", _("FAX")),
    ("email", _("電子メール")),
    ("hand", _("窓口への持参")),
]


class Eligibility(models.TextChoices):
    RESIDENT = "resident", _("市内に住んでいる（在住）")
    COMMUTER = "commuter", _("市内に通勤している（在勤）")
    STUDENT = "student", _("市内に通学している（在学）")
    BUSINESS = "business", _("市内に事業所がある（事業者）")
    STAKEHOLDER = "stakeholder", _("その他の利害関係者（納税義務者など）")


class AgeBand(models.TextChoices):
    UNDER_20 = "under20", _("19歳以下")
    AGE_20S = "20s", _("20歳代")
    AGE_30S = "30s", _("30歳代")
    AGE_40S = "40s", _("40歳代")
    AGE_50S = "50s", _("50歳代")
    AGE_60S = "60s", _("60歳代")
    AGE_70S = "70s", _("70歳代")
    OVER_80 = "80plus", _("80歳以上")


class TargetKind(models.TextChoices):
    WHOLE = "whole", _("計画全体")
    SECTION = "section", _("節")
    PARAGRAPH = "paragraph", _("段落")
    MEASURE = "measure", _("施策")


class PublicCommentRound(VersionedModel):
    """A public comment round (パブリックコメント / 市民コメント) on a draft."""

    title = models.CharField(_("案件名"), max_length=200)
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("対象の基本計画"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comment_rounds",
    )
    description = models.TextField(
        _("案の概要・意見募集の趣旨"), blank=True, help_text=_("公開ページの最初に表示します。")
    )
    starts_at = models.DateTimeField(_("募集開始日時"))
    ends_at = models.DateTimeField(
        _("締切日時"),
        help_text=_("この日時（日本時間）以降に届いたウェブからの意見は受け付けません。"),
    )
    short_period_reason = models.TextField(
        _("期間を短くする理由"), blank=True, help_text=_("募集期間が30日未満のときに必須です。")
    )
    eligibility_note = models.TextField(
        _("意見を提出できる方"),
        default=_(
            "市内に住所を有する方、市内に通勤・通学する方、市内に事務所・事業所を有する個人・法人・団体、"
            "市に納税義務を有する方、この案に利害関係を有する方"
        ),
    )
    channels = models.JSONField(_("提出方法"), default=list, blank=True)
    submission_info = models.TextField(
        _("提出先"),
        blank=True,
        help_text=_("郵送先・FAX番号・メールアドレス・窓口など（市の連絡先）"),
    )
    contact = models.CharField(_("問合せ先"), max_length=300, blank=True)
    reflection_categories = models.JSONField(_("反映区分"), default=list, blank=True)
    is_published = models.BooleanField(_("公開中"), default=False)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True, editable=False)
    draft_source = models.CharField(_("素案の取込元"), max_length=200, blank=True, editable=False)
    draft_imported_at = models.DateTimeField(
        _("素案の取込日時"), null=True, blank=True, editable=False
    )
    result_note = models.TextField(
        _("結果の概要"),
        blank=True,
        help_text=_("例: いただいた意見を踏まえ、素案の一部を修正しました。"),
    )
    result_data = models.JSONField(_("公表した結果"), null=True, blank=True, editable=False)
    result_published_at = models.DateTimeField(
        _("結果の公表日時"), null=True, blank=True, editable=False
    )
    is_demo = models.BooleanField(_("説明用の例"), default=False, editable=False)

    class Meta:
        verbose_name = _("意見募集（パブリックコメント）")
        verbose_name_plural = _("意見募集（パブリックコメント）")
        ordering = ["-starts_at", "-id"]
        permissions = [("publish_result", _("意見募集の結果を公表できる"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="round_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class DraftSection(models.Model):
    round = models.ForeignKey(PublicCommentRound, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("キー"), max_length=120)
    order = models.PositiveIntegerField(_("順番"))
    level = models.PositiveSmallIntegerField(_("見出しの階層"), default=1)
    heading = models.CharField(_("見出し"), max_length=300)
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    measure_code = models.CharField(_("施策番号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("素案の節")
        verbose_name_plural = _("素案の節")
        ordering = ["round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="uniq_draft_section_key")
        ]

    def __str__(self) -> str:
        return self.heading


class DraftParagraph(models.Model):
    round = models.ForeignKey(
        PublicCommentRound, on_delete=models.CASCADE, related_name="paragraphs"
    )
    section = models.ForeignKey(DraftSection, on_delete=models.CASCADE, related_name="paragraphs")
    key = models.CharField(_("キー"), max_length=160)
    order = models.PositiveIntegerField(_("順番"))
    label = models.CharField(_("項目"), max_length=100, blank=True)
    text = models.TextField(_("本文"))

    class Meta:
        verbose_name = _("素案の段落")
        verbose_name_plural = _("素案の段落")
        ordering = ["round", "section__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="uniq_draft_paragraph_key")
        ]

    def __str__(self) -> str:
        return f"{self.section.heading} {self.order}"

    @property
    def location(self) -> str:
        from keikaku.participation.domain.draft import section_location

        return section_location(self.section.heading, self.label, self.order)


class RoundMaterial(models.Model):
    round = models.ForeignKey(
        PublicCommentRound, on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("資料名"), max_length=200)
    file = models.FileField(_("ファイル（PDF）"), upload_to="participation/materials/%Y/")
    size = models.PositiveIntegerField(_("大きさ（バイト）"), default=0)
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    uploaded_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("関連資料")
        verbose_name_plural = _("関連資料")
        ordering = ["round", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Hearing(VersionedModel):
    """An opinion exchange or hearing with a group (意見交換・ヒアリング)."""

    title = models.CharField(_("名称"), max_length=200)
    group_name = models.CharField(_("相手の団体・グループ"), max_length=200)
    held_on = models.DateField(_("開催日"))
    place = models.CharField(_("場所"), max_length=200, blank=True)
    participants = models.CharField(
        _("参加者"), max_length=300, blank=True, help_text=_("例: 団体の会員12人、市職員3人")
    )
    notes = models.TextField(_("記録・メモ"), blank=True)
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("関連する基本計画"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("担当部署"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("意見交換・ヒアリング")
        verbose_name_plural = _("意見交換・ヒアリング")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.group_name}）"


class OpinionGroup(VersionedModel):
    """Same-gist opinions of a round summarised together: one row of the result table."""

    round = models.ForeignKey(PublicCommentRound, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveIntegerField(_("番号"))
    location = models.CharField(_("該当箇所"), max_length=300, blank=True)
    summary = models.TextField(_("意見の概要"), blank=True)
    city_view = models.TextField(_("市の考え方"), blank=True)
    reflection = models.CharField(_("反映区分"), max_length=5, blank=True)
    paragraph = models.ForeignKey(
        DraftParagraph,
        verbose_name=_("修正する段落"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="groups",
    )
    revised_text = models.TextField(_("修正後の文"), blank=True)

    class Meta:
        verbose_name = _("意見のまとまり")
        verbose_name_plural = _("意見のまとまり")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="uniq_group_number")
        ]

    def __str__(self) -> str:
        return _("番号%(number)s") % {"number": self.number}


class Opinion(models.Model):
    """One opinion, whatever the channel. The text is kept exactly as written."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("受付")
        IN_REVIEW = "in_review", _("担当課確認中")
        DONE = "done", _("対応済")

    receipt_number = models.CharField(_("受付番号"), max_length=20, unique=True)
    source = models.CharField(_("区分"), max_length=20, choices=Source.choices)
    channel = models.CharField(_("受付方法"), max_length=20, choices=Channel.choices)
    round = models.ForeignKey(
        PublicCommentRound,
        verbose_name=_("意見募集"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    hearing = models.ForeignKey(
        Hearing,
        verbose_name=_("意見交換・ヒアリング"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    target_kind = models.CharField(
        _("意見の対象"), max_length=10, choices=TargetKind.choices, default=TargetKind.WHOLE
    )
    section = models.ForeignKey(
        DraftSection, null=True, blank=True, on_delete=models.PROTECT, related_name="opinions"
    )
    paragraph = models.ForeignKey(
        DraftParagraph, null=True, blank=True, on_delete=models.PROTECT, related_name="opinions"
    )
    target_measure = models.ForeignKey(
        Measure,
        verbose_name=_("対象の施策"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topic = models.CharField(_("テーマ"), max_length=200, blank=True)
    quoted_text = models.TextField(_("意見の対象の文"), blank=True)
    text = models.TextField(_("意見"))
    received_at = models.DateTimeField(_("受付日時"), db_index=True)
    eligibility = models.CharField(
        _("提出者の区分"), max_length=20, choices=Eligibility.choices, blank=True
    )
    age_band = models.CharField(_("年代"), max_length=10, choices=AgeBand.choices, blank=True)
    district = models.CharField(_("地区"), max_length=50, blank=True)
    status = models.CharField(
        _("対応状況"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("担当部署"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    measures = models.ManyToManyField(
        Measure, verbose_name=_("関連する施策"), blank=True, related_name="opinions"
    )
    group = models.ForeignKey(
        OpinionGroup,
        verbose_name=_("意見のまとまり"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions",
    )
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    submitter_key = models.CharField(max_length=64, blank=True, db_index=True)
    is_hidden = models.BooleanField(_("非表示"), default=False)
    hidden_reason = models.TextField(_("非表示の理由"), blank=True)
    hidden_at = models.DateTimeField(_("非表示にした日時"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("意見")
        verbose_name_plural = _("意見")
        ordering = ["-received_at", "-id"]
        permissions = [("moderate_opinion", _("意見を非表示にできる"))]
        indexes = [
            models.Index(fields=["source", "-received_at"]),
            models.Index(fields=["round", "group"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_hidden=False) | ~models.Q(hidden_reason=""),
                name="hidden_opinion_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.receipt_number


class PersonalData(models.Model):
    """Name, address and contacts of the person who sent an opinion. Never public, never
    exported; seen only with ``participation.view_personaldata``, and every view is logged."""

    opinion = models.OneToOneField(Opinion, on_delete=models.CASCADE, related_name="personal")
    name = models.CharField(_("氏名"), max_length=100, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    email = models.CharField(_("メールアドレス"), max_length=254, blank=True)
    wants_reply = models.BooleanField(_("返信を希望"), default=False)
    retention_until = models.DateField(_("保存期限"))
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("個人情報")
        verbose_name_plural = _("個人情報")
        indexes = [models.Index(fields=["retention_until"])]

    def __str__(self) -> str:
        return _("%(receipt)sの提出者") % {"receipt": self.opinion.receipt_number}


class OpinionNote(models.Model):
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("内部メモ"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(_("日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("内部メモ")
        verbose_name_plural = _("内部メモ")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.opinion} {self.created_at:%Y-%m-%d}"


class OpinionReply(models.Model):
    class Method(models.TextChoices):
        EMAIL = "email", _("電子メール")
        MAIL = "mail", _("郵送")
        PHONE = "phone", _("電話")
        IN_PERSON = "in_person", _("面談")
        OTHER = "other", _("その他")

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="replies")
    replied_on = models.DateField(_("回答日"))
    method = models.CharField(_("回答方法"), max_length=12, choices=Method.choices)
    text = models.TextField(_("回答の内容"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("回答の記録")
        verbose_name_plural = _("回答の記録")
        ordering = ["replied_on", "id"]

    def __str__(self) -> str:
        return f"{self.opinion} {self.replied_on}"


class ReceiptSequence(models.Model):
    """Counters for receipt numbers, one row per prefix and fiscal year ("C-2024").
    Drawn with one atomic UPDATE, so concurrent submissions never share a number."""

    key = models.CharField(max_length=20, primary_key=True)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("受付番号の連番")
        verbose_name_plural = _("受付番号の連番")

    def __str__(self) -> str:
        return f"{self.key}={self.last}"
