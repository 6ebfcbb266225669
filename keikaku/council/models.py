"""まちづくり審議会 (the town-planning council) and 市議会 (the city assembly).

Council: its members (学識経験者 / 団体推薦 / 公募), the public recruitment of members with
online applications, meetings with their materials (PDF), attendance and minutes (published
only after approval), and the council's documents (諮問 from the mayor, 答申 to the mayor).

Assembly: reports to the assembly on the formulation, and bills (議案) with the committee's
review and the vote; the plan's adoption (議決済) is derived from the bills (PlanAdoption).

Applicants' personal data (name, reading, birth date, address, contacts) lives in its own
table (:class:`ApplicantPersonalData`) with its own permission
(``council.view_applicantpersonaldata``); it never reaches public pages or exports, and every
view of it is logged (AuditEvent action ``view_personal``).

Records carry a provenance (``data_status``): entered by staff, verified against published
sources, or illustrative (demo data); ``illustrative_fields`` names the fields of a verified
record that are illustrative (the demo's bill numbers, for instance).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from keikaku.core.models import VersionedModel
from keikaku.council.domain.bills import BillResult, BillTarget
from keikaku.council.domain.meetings import MinutesStatus
from keikaku.plans.models import Edition


class DataStatus(models.TextChoices):
    ENTERED = "entered", _("職員が登録")
    VERIFIED = "verified", _("公表資料で確認済み")
    ILLUSTRATIVE = "illustrative", _("説明用の例")


class Provenance(models.Model):
    data_status = models.CharField(
        _("データの確かさ"),
        max_length=15,
        choices=DataStatus.choices,
        default=DataStatus.ENTERED,
        help_text=_("デモや説明用の架空のデータは「説明用の例」にします。公開ページに表示します。"),
    )
    illustrative_fields = models.JSONField(
        _("説明用の項目"), default=list, blank=True, editable=False
    )
    data_note = models.CharField(
        _("データについての注記"),
        max_length=500,
        blank=True,
        help_text=_("出典や、どの項目が説明用かなど。公開ページに表示します。"),
    )

    class Meta:
        abstract = True


# --- the council ------------------------------------------------------------------------------


class Council(VersionedModel):
    name = models.CharField(_("名称"), max_length=200, default=_("まちづくり審議会"))
    description = models.TextField(
        _("審議会の役割"), blank=True, help_text=_("公開ページの最初に表示します。")
    )
    legal_basis = models.CharField(
        _("設置の根拠"), max_length=300, blank=True, help_text=_("例: 鶴ヶ島市まちづくり審議会条例")
    )
    seats = models.PositiveSmallIntegerField(
        _("委員の定数"),
        null=True,
        blank=True,
        help_text=_("会議の成立（過半数の出席）の確認に使います。"),
    )
    contact = models.CharField(_("事務局・問合せ先"), max_length=300, blank=True)
    is_published = models.BooleanField(_("公開する"), default=False)

    class Meta:
        verbose_name = _("まちづくり審議会")
        verbose_name_plural = _("まちづくり審議会")
        ordering = ["pk"]
        permissions = [("manage_council", _("まちづくり審議会の記録を編集・公開できる"))]

    def __str__(self) -> str:
        return self.name


class MemberCategory(models.TextChoices):
    ACADEMIC = "academic", _("学識経験者")
    ORGANISATION = "organisation", _("団体推薦")
    PUBLIC = "public", _("公募")


class MemberPosition(models.TextChoices):
    CHAIR = "chair", _("会長")
    VICE_CHAIR = "vice_chair", _("副会長")
    MEMBER = "member", _("委員")


class CouncilMember(VersionedModel, Provenance):
    council = models.ForeignKey(
        Council, verbose_name=_("審議会"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("ふりがな"), max_length=100, blank=True)
    category = models.CharField(_("区分"), max_length=15, choices=MemberCategory.choices)
    affiliation = models.CharField(
        _("所属・推薦団体"), max_length=200, blank=True, help_text=_("公募委員は空欄で構いません。")
    )
    position = models.CharField(
        _("役職"), max_length=12, choices=MemberPosition.choices, default=MemberPosition.MEMBER
    )
    term_start = models.DateField(_("任期の始まり"))
    term_end = models.DateField(_("任期の終わり"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    is_published = models.BooleanField(_("公開する"), default=True)
    application = models.OneToOneField(
        "Application",
        verbose_name=_("公募の応募"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
        editable=False,
    )

    class Meta:
        verbose_name = _("審議会委員")
        verbose_name_plural = _("審議会委員")
        ordering = ["council", "order", "name_kana", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_end__gte=models.F("term_start")),
                name="council_member_term_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError(
                {"term_end": _("任期の終わりは任期の始まりより後の日にしてください。")}
            )


# --- recruitment of members (公募) --------------------------------------------------------------


class Recruitment(VersionedModel, Provenance):
    council = models.ForeignKey(
        Council, verbose_name=_("審議会"), on_delete=models.CASCADE, related_name="recruitments"
    )
    title = models.CharField(_("募集の名称"), max_length=200)
    description = models.TextField(_("募集の趣旨"), blank=True)
    seats = models.PositiveSmallIntegerField(_("募集人数"), default=1)
    eligibility_note = models.TextField(
        _("応募できる方"),
        default=_("市内に住んでいる方、または市内に通勤・通学している方で、18歳以上の方"),
    )
    min_age = models.PositiveSmallIntegerField(_("応募できる年齢（以上）"), default=18)
    age_reference_date = models.DateField(
        _("年齢の基準日"), null=True, blank=True, help_text=_("空欄なら締切日の年齢で判断します。")
    )
    term_note = models.CharField(_("任期"), max_length=200, blank=True)
    essay_theme = models.CharField(_("作文のテーマ"), max_length=300)
    essay_min_chars = models.PositiveIntegerField(_("作文の字数（以上）"), default=400)
    essay_max_chars = models.PositiveIntegerField(_("作文の字数（以内）"), default=800)
    starts_at = models.DateTimeField(_("募集開始日時"))
    ends_at = models.DateTimeField(
        _("締切日時"),
        help_text=_("この日時（日本時間）以降に届いたウェブからの応募は受け付けません。"),
    )
    other_channels = models.TextField(
        _("ウェブ以外の応募方法"), blank=True, help_text=_("郵送先・持参先など（市の連絡先）")
    )
    selection_method = models.TextField(_("選考の方法"), blank=True)
    contact = models.CharField(_("問合せ先"), max_length=300, blank=True)
    is_published = models.BooleanField(_("公開する"), default=False)
    result_note = models.TextField(
        _("選考結果のお知らせ"),
        blank=True,
        help_text=_("例: 5人の応募があり、作文と面接により2人を選任しました。（公開します）"),
    )

    class Meta:
        verbose_name = _("委員の公募")
        verbose_name_plural = _("委員の公募")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="recruitment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(essay_max_chars__gte=models.F("essay_min_chars")),
                name="recruitment_essay_limits",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = str(_("締切日時は募集開始日時より後にしてください。"))
        if (
            self.essay_min_chars is not None
            and self.essay_max_chars is not None
            and self.essay_max_chars < self.essay_min_chars
        ):
            errors["essay_max_chars"] = str(_("作文の字数の上限は下限以上にしてください。"))
        if errors:
            raise ValidationError(errors)


class ReceiptCounter(models.Model):
    """Receipt-number counters ("A-2024"), drawn with one atomic UPDATE."""

    key = models.CharField(max_length=20, primary_key=True)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("受付番号の連番")
        verbose_name_plural = _("受付番号の連番")

    def __str__(self) -> str:
        return f"{self.key}={self.last}"


class ApplicantEligibility(models.TextChoices):
    RESIDENT = "resident", _("市内に住んでいる")
    COMMUTER = "commuter", _("市内に通勤している")
    STUDENT = "student", _("市内に通学している")


class Application(models.Model):
    """One application to a call. Holds nothing that names the applicant."""

    class Channel(models.TextChoices):
        WEB = "web", _("ウェブ（応募フォーム）")
        PAPER = "paper", _("紙（郵送・持参）")

    class Status(models.TextChoices):
        RECEIVED = "received", _("受付")
        SELECTED = "selected", _("選任")
        NOT_SELECTED = "not_selected", _("選外")
        WITHDRAWN = "withdrawn", _("辞退")

    recruitment = models.ForeignKey(
        Recruitment,
        verbose_name=_("委員の公募"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    receipt_number = models.CharField(_("受付番号"), max_length=20, unique=True)
    channel = models.CharField(
        _("応募方法"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    submitted_at = models.DateTimeField(_("受付日時"), db_index=True)
    eligibility = models.CharField(
        _("市との関わり"), max_length=12, choices=ApplicantEligibility.choices
    )
    age_band = models.CharField(_("年代"), max_length=10, blank=True)
    essay = models.TextField(_("作文"))
    essay_chars = models.PositiveIntegerField(_("作文の字数"), default=0)
    other_roles = models.CharField(_("他の審議会等の委員の就任状況"), max_length=300, blank=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    applicant_key = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("選考の結果"), max_length=15, choices=Status.choices, default=Status.RECEIVED
    )
    score = models.PositiveSmallIntegerField(_("評点"), null=True, blank=True)
    decision_note = models.TextField(_("選考の記録"), blank=True)
    decided_on = models.DateField(_("選考日"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("公募委員への応募")
        verbose_name_plural = _("公募委員への応募")
        ordering = ["recruitment", "submitted_at", "pk"]

    def __str__(self) -> str:
        return self.receipt_number


class ApplicantPersonalData(models.Model):
    """Who applied. Never public, never exported; read only with
    ``council.view_applicantpersonaldata`` and every read is logged."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="personal"
    )
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("ふりがな"), max_length=100)
    birth_date = models.DateField(_("生年月日"), null=True, blank=True)
    address = models.CharField(_("住所"), max_length=200)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    email = models.CharField(_("メールアドレス"), max_length=254, blank=True)
    occupation = models.CharField(_("職業・所属"), max_length=100, blank=True)
    retention_until = models.DateField(_("保存期限"))
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("応募者の個人情報")
        verbose_name_plural = _("応募者の個人情報")
        indexes = [models.Index(fields=["retention_until"])]

    def __str__(self) -> str:
        return str(_("%(receipt)sの応募者")) % {"receipt": self.application.receipt_number}


# --- meetings ---------------------------------------------------------------------------------

_HHMM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def _validate_hhmm(value: str) -> None:
    """Times are kept as 「14:00」 text (24-hour clock, Japan time)."""
    if value and not _HHMM.fullmatch(value):
        raise ValidationError(_("時刻は 24 時間制の「時:分」で入力してください（例: 14:00）。"))


class Meeting(VersionedModel, Provenance):
    council = models.ForeignKey(
        Council, verbose_name=_("審議会"), on_delete=models.CASCADE, related_name="meetings"
    )
    number = models.PositiveSmallIntegerField(_("回"), help_text=_("第何回の会議か"))
    title = models.CharField(
        _("会議名"), max_length=200, blank=True, help_text=_("空欄なら「第N回 審議会の名称」")
    )
    held_on = models.DateField(_("開催日"))
    start_time = models.CharField(
        _("開始時刻"),
        max_length=5,
        blank=True,
        validators=[_validate_hhmm],
        help_text=_("例: 14:00"),
    )
    end_time = models.CharField(
        _("終了時刻"),
        max_length=5,
        blank=True,
        validators=[_validate_hhmm],
        help_text=_("例: 16:00"),
    )
    place = models.CharField(_("場所"), max_length=200, blank=True)
    is_open = models.BooleanField(_("公開の会議"), default=True)
    closed_reason = models.TextField(
        _("非公開の理由"), blank=True, help_text=_("非公開の会議のときに必須です。")
    )
    agenda = models.TextField(_("議題"), blank=True, help_text=_("1行に1つの議題"))
    observers = models.PositiveSmallIntegerField(_("傍聴者数"), null=True, blank=True)
    is_published = models.BooleanField(_("公開する"), default=False)

    class Meta:
        verbose_name = _("審議会の会議")
        verbose_name_plural = _("審議会の会議")
        ordering = ["-held_on", "-number", "-pk"]

    def __str__(self) -> str:
        return self.title or str(_("第%(n)s回 %(name)s")) % {
            "n": self.number,
            "name": self.council.name if self.council_id else "",
        }

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.is_open and not self.closed_reason.strip():
            errors["closed_reason"] = str(_("非公開の会議には、非公開とする理由を書いてください。"))
        if self.start_time and self.end_time and self.end_time < self.start_time:
            errors["end_time"] = str(_("終了時刻は開始時刻より後にしてください。"))
        if self.number is not None and self.number < 1:
            errors["number"] = str(_("回は1以上にしてください。"))
        if errors:
            raise ValidationError(errors)


class MeetingMaterial(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("資料名"), max_length=200)
    file = models.FileField(_("ファイル（PDF）"), upload_to="council/meetings/%Y/")
    size = models.PositiveIntegerField(_("大きさ（バイト）"), default=0)
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    uploaded_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("会議資料")
        verbose_name_plural = _("会議資料")
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("出席"), default=True)

    class Meta:
        verbose_name = _("出欠")
        verbose_name_plural = _("出欠")
        ordering = ["meeting", "member__order", "member__name_kana", "member__pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="uniq_attendance")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.member}"


class Minutes(VersionedModel):
    """議事録 of a meeting: public only once approved and published."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    body = models.TextField(
        _("議事録（本文）"), blank=True, help_text=_("発言の要旨など。公開ページに表示します。")
    )
    file_name = models.CharField(
        _("議事録（PDF）の保存先"), max_length=300, blank=True, editable=False
    )
    file_size = models.PositiveIntegerField(default=0, editable=False)
    status = models.CharField(
        _("確認の状況"),
        max_length=10,
        choices=[
            (MinutesStatus.DRAFT.value, _("作成中")),
            (MinutesStatus.APPROVED.value, _("確認済")),
        ],
        default=MinutesStatus.DRAFT.value,
        editable=False,
    )
    approved_on = models.DateField(_("確認日"), null=True, blank=True, editable=False)
    approval_note = models.CharField(_("確認の方法"), max_length=200, blank=True, editable=False)
    is_published = models.BooleanField(_("公開中"), default=False, editable=False)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("議事録")
        verbose_name_plural = _("議事録")

    def __str__(self) -> str:
        return str(_("%(meeting)sの議事録")) % {"meeting": self.meeting}


class CouncilDocument(VersionedModel, Provenance):
    """諮問 (the mayor's request for advice) and 答申 (the council's report to the mayor)."""

    class Kind(models.TextChoices):
        INQUIRY = "inquiry", _("諮問")
        INTERIM_REPORT = "interim_report", _("中間答申")
        REPORT = "report", _("答申")

    council = models.ForeignKey(
        Council, verbose_name=_("審議会"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("種類"), max_length=15, choices=Kind.choices, default=Kind.REPORT)
    title = models.CharField(_("件名"), max_length=200)
    dated_on = models.DateField(_("日付"))
    addressee = models.CharField(
        _("宛先"),
        max_length=100,
        blank=True,
        help_text=_("例: 鶴ヶ島市長（答申）、まちづくり審議会（諮問）"),
    )
    summary = models.TextField(_("要旨"), blank=True)
    file_name = models.CharField(
        _("文書（PDF）の保存先"), max_length=300, blank=True, editable=False
    )
    file_size = models.PositiveIntegerField(default=0, editable=False)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("決定した会議"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("対象の基本計画"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_published = models.BooleanField(_("公開する"), default=False)

    class Meta:
        verbose_name = _("諮問・答申")
        verbose_name_plural = _("諮問・答申")
        ordering = ["-dated_on", "-pk"]

    def __str__(self) -> str:
        return self.title


# --- the city assembly ------------------------------------------------------------------------


class AssemblyReport(VersionedModel, Provenance):
    """A report on the formulation to the assembly (議会への報告・説明)."""

    reported_on = models.DateField(_("報告日"))
    committee = models.CharField(
        _("報告した会議"), max_length=200, help_text=_("例: 全員協議会、総務常任委員会")
    )
    title = models.CharField(_("件名"), max_length=200)
    summary = models.TextField(_("報告の内容"), blank=True)
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("対象の基本計画"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_published = models.BooleanField(_("公開する"), default=False)

    class Meta:
        verbose_name = _("議会への報告")
        verbose_name_plural = _("議会への報告")
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class AssemblyMaterial(models.Model):
    report = models.ForeignKey(AssemblyReport, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("資料名"), max_length=200)
    file = models.FileField(_("ファイル（PDF）"), upload_to="council/assembly/%Y/")
    size = models.PositiveIntegerField(_("大きさ（バイト）"), default=0)
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    uploaded_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("議会への報告の資料")
        verbose_name_plural = _("議会への報告の資料")
        ordering = ["report", "order", "pk"]

    def __str__(self) -> str:
        return self.title


BILL_RESULT_CHOICES = [
    (BillResult.PENDING.value, _("審議中")),
    (BillResult.PASSED.value, _("原案可決")),
    (BillResult.AMENDED.value, _("修正可決")),
    (BillResult.REJECTED.value, _("否決")),
    (BillResult.WITHDRAWN.value, _("撤回")),
]
COMMITTEE_RESULT_CHOICES = [
    ("", _("（なし）")),
    (BillResult.PASSED.value, _("原案可決すべきもの")),
    (BillResult.AMENDED.value, _("修正可決すべきもの")),
    (BillResult.REJECTED.value, _("否決すべきもの")),
]
BILL_TARGET_CHOICES = [
    (BillTarget.BASIC_CONCEPT.value, _("基本構想")),
    (BillTarget.BASIC_PLAN.value, _("基本計画")),
    (BillTarget.OTHER.value, _("その他")),
]


class Bill(VersionedModel, Provenance):
    number = models.CharField(_("議案番号"), max_length=40, help_text=_("例: 議案第68号"))
    session = models.CharField(
        _("会議（会期）"), max_length=100, blank=True, help_text=_("例: 令和6年第4回定例会（12月）")
    )
    title = models.CharField(_("件名"), max_length=300)
    target = models.CharField(
        _("議決の対象"), max_length=15, choices=BILL_TARGET_CHOICES, default=BillTarget.OTHER.value
    )
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("対象の基本計画"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("基本構想の議案も、あわせて策定する基本計画を選びます。"),
    )
    submitted_on = models.DateField(_("提出日"), null=True, blank=True)
    committee = models.CharField(
        _("付託した委員会"),
        max_length=200,
        blank=True,
        help_text=_("委員会付託を省略したときは空欄"),
    )
    committee_decided_on = models.DateField(_("委員会の審査日"), null=True, blank=True)
    committee_result = models.CharField(
        _("委員会の審査結果"), max_length=15, choices=COMMITTEE_RESULT_CHOICES, blank=True
    )
    vote_on = models.DateField(_("議決日"), null=True, blank=True)
    result = models.CharField(
        _("議決の結果"),
        max_length=15,
        choices=BILL_RESULT_CHOICES,
        default=BillResult.PENDING.value,
    )
    votes_for = models.PositiveSmallIntegerField(_("賛成"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("反対"), null=True, blank=True)
    effective_on = models.DateField(
        _("施行日"), null=True, blank=True, help_text=_("可決した計画が効力を持つ日")
    )
    summary = models.TextField(_("議案の概要"), blank=True)
    is_published = models.BooleanField(_("公開する"), default=False)

    class Meta:
        verbose_name = _("議案")
        verbose_name_plural = _("議案")
        ordering = ["-submitted_on", "-pk"]
        permissions = [("manage_assembly", _("市議会の記録（報告・議案）を編集・公開できる"))]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def clean(self) -> None:
        from keikaku.council.domain.bills import BillFacts, bill_problems

        problems = bill_problems(
            BillFacts(
                number=self.number,
                result=BillResult(self.result),
                submitted_on=self.submitted_on,
                committee=self.committee,
                committee_decided_on=self.committee_decided_on,
                committee_result=self.committee_result,
                vote_on=self.vote_on,
                votes_for=self.votes_for,
                votes_against=self.votes_against,
                effective_on=self.effective_on,
            )
        )
        if self.target != BillTarget.OTHER.value and self.edition_id is None:
            problems.append(
                ("edition", str(_("基本構想・基本計画の議案は、対象の基本計画を選んでください。")))
            )
        if problems:
            errors: dict[str, list[str]] = {}
            for field, message in problems:
                errors.setdefault(field, []).append(message)
            raise ValidationError(errors)


class PlanAdoption(models.Model):
    """The adoption of a plan edition by the assembly, derived from its bills (never edited by
    hand: services.adoption_sync writes it whenever a bill of the edition changes)."""

    class State(models.TextChoices):
        NONE = "none", _("議案未提出")
        SUBMITTED = "submitted", _("市議会で審議中")
        ENACTED = "enacted", _("議決済")
        REJECTED = "rejected", _("否決")

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(_("状態"), max_length=12, choices=State.choices)
    plan_bill = models.ForeignKey(
        Bill, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_on = models.DateField(_("議決日"), null=True, blank=True)
    concept_bill = models.ForeignKey(
        Bill, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    concept_adopted_on = models.DateField(_("基本構想の議決日"), null=True, blank=True)
    effective_on = models.DateField(_("施行日"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("計画の議決")
        verbose_name_plural = _("計画の議決")

    def __str__(self) -> str:
        return f"{self.edition}: {self.get_state_display()}"
