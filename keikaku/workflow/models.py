"""策定体制・策定過程・スケジュール: the formulation of a basic-plan edition.

- Formulation: one per edition being written (後期基本計画の策定).
- Body and Membership: the formulation organisation (策定本部 本体会議, 専門部会, 部会長会議,
  事務局, 経営会議, コンサルタント) and who sits in it with which role.
- Section, SectionTransition, SectionVersion: the drafting workflow of each plan section
  (measure, priority strategy, introduction) with its history and content snapshots.
- ReviewComment and Notification: review threads and the in-app inbox.
- Phase and Task: the schedule (seed §5).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from keikaku.core.models import VersionedModel
from keikaku.plans.models import Edition, Measure, PolicyArea, PriorityStrategy
from keikaku.workflow.domain.schedule import TaskStatus
from keikaku.workflow.domain.states import State


class Formulation(VersionedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("策定中")
        COMPLETED = "completed", _("策定完了")

    edition = models.OneToOneField(
        Edition, verbose_name=_("基本計画"), on_delete=models.CASCADE, related_name="formulation"
    )
    title = models.CharField(_("名称"), max_length=200)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    public_summary = models.TextField(
        _("公開ページの説明"),
        blank=True,
        help_text=_("策定過程の公表ページの最初に表示します。短い文で書きます。"),
    )
    is_public = models.BooleanField(_("策定過程を公表する"), default=True)

    class Meta:
        verbose_name = _("計画の策定")
        verbose_name_plural = _("計画の策定")
        ordering = ["-edition__start_fy"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Body(VersionedModel):
    """A body of the formulation organisation (策定体制)."""

    class Kind(models.TextChoices):
        HEADQUARTERS = "headquarters", _("策定本部（本体会議）")
        SUBCOMMITTEE = "subcommittee", _("専門部会")
        LEADS_MEETING = "leads_meeting", _("部会長会議")
        SECRETARIAT = "secretariat", _("事務局")
        MANAGEMENT_COUNCIL = "management_council", _("経営会議")
        CONSULTANT = "consultant", _("コンサルタント")

    formulation = models.ForeignKey(
        Formulation, verbose_name=_("計画の策定"), on_delete=models.CASCADE, related_name="bodies"
    )
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    description = models.TextField(_("役割"), blank=True)
    areas = models.ManyToManyField(
        PolicyArea,
        verbose_name=_("所管する政策分野"),
        blank=True,
        related_name="formulation_bodies",
        help_text=_("専門部会が素案を作成する政策分野です。"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("担当部署"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="formulation_bodies",
    )

    class Meta:
        verbose_name = _("策定体制の組織")
        verbose_name_plural = _("策定体制の組織")
        ordering = ["formulation", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["formulation", "name"], name="uniq_body_name")
        ]

    def __str__(self) -> str:
        return self.name


class Membership(VersionedModel):
    class Role(models.TextChoices):
        CHAIR = "chair", _("長（本部長・部会長・事務局長など）")
        VICE_CHAIR = "vice_chair", _("副")
        MEMBER = "member", _("構成員")

    body = models.ForeignKey(
        Body, verbose_name=_("組織"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("職員"),
        on_delete=models.CASCADE,
        related_name="formulation_memberships",
    )
    role = models.CharField(_("役割"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(_("役職"), max_length=100, blank=True, help_text=_("例: 副市長"))

    class Meta:
        verbose_name = _("構成員")
        verbose_name_plural = _("構成員")
        ordering = ["body", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "user"], name="uniq_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.user.get_full_name() or self.user.get_username()}"


class Section(VersionedModel):
    """One plan section under formulation and its drafting state. `version` is the
    compare-and-set column of transitions."""

    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", _("序論")
        MEASURE = "measure", _("施策")
        STRATEGY = "strategy", _("重点戦略")

    formulation = models.ForeignKey(
        Formulation, verbose_name=_("計画の策定"), on_delete=models.CASCADE, related_name="sections"
    )
    kind = models.CharField(_("区分"), max_length=12, choices=Kind.choices)
    measure = models.OneToOneField(
        Measure,
        verbose_name=_("施策"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="workflow_section",
    )
    strategy = models.OneToOneField(
        PriorityStrategy,
        verbose_name=_("重点戦略"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="workflow_section",
    )
    owner = models.ForeignKey(
        Body,
        verbose_name=_("作成担当"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_sections",
        help_text=_(
            "重点戦略・序論を作成する組織です。施策は、その政策分野を所管する専門部会が担当します。"
        ),
    )

    class StateChoice(models.TextChoices):  # values mirror domain.states.State
        DRAFTING = State.DRAFTING.value, _("作成中")
        PROPOSED = State.PROPOSED.value, _("部会案")
        HQ_REVIEW = State.HQ_REVIEW.value, _("本部調整")
        DRAFT = State.DRAFT.value, _("素案")
        FINAL_DRAFT = State.FINAL_DRAFT.value, _("原案")
        DECIDED = State.DECIDED.value, _("最終案（経営会議決定）")
        ENACTED = State.ENACTED.value, _("議決済")

    state = models.CharField(
        _("状態"), max_length=12, choices=StateChoice.choices, default=StateChoice.DRAFTING
    )
    state_changed_at = models.DateTimeField(_("状態の変更日時"), null=True, blank=True)
    sort_key = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("策定中の項目")
        verbose_name_plural = _("策定中の項目")
        ordering = ["formulation", "sort_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="measure", measure__isnull=False, strategy__isnull=True)
                    | models.Q(kind="strategy", measure__isnull=True, strategy__isnull=False)
                    | models.Q(kind="introduction", measure__isnull=True, strategy__isnull=True)
                ),
                name="section_kind_matches_target",
            ),
            models.UniqueConstraint(
                fields=["formulation"],
                condition=models.Q(kind="introduction"),
                name="uniq_introduction_section",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.MEASURE and self.measure is not None:
            return str(self.measure)
        if self.kind == self.Kind.STRATEGY and self.strategy is not None:
            return _("重点戦略%(n)s %(title)s") % {
                "n": self.strategy.number,
                "title": self.strategy.title,
            }
        return str(_("序論"))


class SectionVersion(models.Model):
    """The content of a section when a step was taken (1, 2, 3 … per section)."""

    section = models.ForeignKey(
        Section, verbose_name=_("項目"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版番号"))
    state = models.CharField(_("状態"), max_length=12)
    data = models.JSONField(_("内容"))
    created_at = models.DateTimeField(_("日時"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_name = models.CharField(_("作成者名"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("版")
        verbose_name_plural = _("版")
        ordering = ["section", "number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="uniq_section_version")
        ]

    def __str__(self) -> str:
        return f"{self.section} v{self.number}"


class SectionTransition(models.Model):
    """Who moved a section from which state to which, when, and why."""

    section = models.ForeignKey(
        Section, verbose_name=_("項目"), on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("操作"), max_length=20)
    from_state = models.CharField(_("変更前の状態"), max_length=12)
    to_state = models.CharField(_("変更後の状態"), max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作者名"), max_length=150, blank=True)
    at = models.DateTimeField(_("日時"), auto_now_add=True)
    comment = models.TextField(_("コメント"), blank=True)
    version = models.ForeignKey(
        SectionVersion,
        verbose_name=_("版"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("状態の変更")
        verbose_name_plural = _("状態の変更")
        ordering = ["section", "at", "id"]

    def __str__(self) -> str:
        return f"{self.section} {self.from_state}→{self.to_state}"


class ReviewComment(models.Model):
    """A review comment on a section (whole or one field); replies have a parent."""

    section = models.ForeignKey(
        Section, verbose_name=_("項目"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("返信先"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    field = models.CharField(_("対象の欄"), max_length=40, blank=True)
    body = models.TextField(_("コメント"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("投稿者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_name = models.CharField(_("投稿者名"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("日時"), auto_now_add=True)
    mentions = models.ManyToManyField(
        Body, verbose_name=_("宛先の組織"), blank=True, related_name="mentioned_in"
    )
    version_number = models.PositiveIntegerField(_("対象の版"), null=True, blank=True)
    resolved = models.BooleanField(_("解決済み"), default=False)
    resolved_at = models.DateTimeField(_("解決日時"), null=True, blank=True)
    resolved_by_name = models.CharField(_("解決した人"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("レビューコメント")
        verbose_name_plural = _("レビューコメント")
        ordering = ["section", "created_at", "id"]
        indexes = [models.Index(fields=["section", "resolved"])]

    def __str__(self) -> str:
        return f"{self.section}: {self.body[:30]}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", _("コメント")
        MENTION = "mention", _("宛先指定")
        TRANSITION = "transition", _("状態の変更")
        RETURNED = "returned", _("差し戻し")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("宛先"),
        on_delete=models.CASCADE,
        related_name="workflow_notifications",
    )
    kind = models.CharField(_("種類"), max_length=12, choices=Kind.choices)
    message = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("リンク"), max_length=300, blank=True)
    section = models.ForeignKey(
        Section,
        verbose_name=_("項目"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("日時"), auto_now_add=True)
    read_at = models.DateTimeField(_("既読日時"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("メール送信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("お知らせ")
        verbose_name_plural = _("お知らせ")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message


class Phase(VersionedModel):
    """A phase of the schedule: one fiscal quarter's work (seed §5 《…》)."""

    formulation = models.ForeignKey(
        Formulation, verbose_name=_("計画の策定"), on_delete=models.CASCADE, related_name="phases"
    )
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    title = models.CharField(_("段階"), max_length=200)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(
        _("四半期"),
        choices=[(1, _("4～6月")), (2, _("7～9月")), (3, _("10～12月")), (4, _("1～3月"))],
    )
    description = models.TextField(_("説明"), blank=True)
    is_public = models.BooleanField(_("公表する"), default=True)

    class Meta:
        verbose_name = _("策定の段階")
        verbose_name_plural = _("策定の段階")
        ordering = ["formulation", "fiscal_year", "quarter", "order", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.fiscal_year and not 1900 <= self.fiscal_year <= 2200:
            raise ValidationError({"fiscal_year": _("年度は西暦の4桁で入力してください。")})


class Task(VersionedModel):
    class Kind(models.TextChoices):
        WORK = "work", _("作業")
        MEETING = "meeting", _("会議")
        PARTICIPATION = "participation", _("市民参加")
        REPORT = "report", _("報告・公表")
        DECISION = "decision", _("決定・議決")

    phase = models.ForeignKey(
        Phase, verbose_name=_("段階"), on_delete=models.CASCADE, related_name="tasks"
    )
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    title = models.CharField(_("作業"), max_length=200)
    kind = models.CharField(_("種類"), max_length=14, choices=Kind.choices, default=Kind.WORK)
    start = models.DateField(_("開始日"))
    end = models.DateField(_("終了日"))
    owner = models.ForeignKey(
        Body,
        verbose_name=_("担当"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )

    class Status(models.TextChoices):  # values mirror domain.schedule.TaskStatus
        NOT_STARTED = TaskStatus.NOT_STARTED.value, _("未着手")
        IN_PROGRESS = TaskStatus.IN_PROGRESS.value, _("実施中")
        DONE = TaskStatus.DONE.value, _("完了")
        CANCELLED = TaskStatus.CANCELLED.value, _("中止")

    status = models.CharField(
        _("状況"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    completed_on = models.DateField(_("完了日"), null=True, blank=True)
    depends_on = models.ManyToManyField(
        "self",
        verbose_name=_("先に終える作業"),
        symmetrical=False,
        blank=True,
        related_name="dependents",
    )
    is_public = models.BooleanField(
        _("公表する"),
        default=False,
        help_text=_("会議や市民参加の機会など、策定過程の公表ページに載せる作業です。"),
    )
    public_note = models.TextField(
        _("公表用の説明"), blank=True, help_text=_("公表ページに表示します（例: 傍聴できます）。")
    )
    url = models.URLField(_("関連ページ"), blank=True)

    class Meta:
        verbose_name = _("作業")
        verbose_name_plural = _("作業")
        ordering = ["phase__fiscal_year", "phase__quarter", "phase__order", "order", "start", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("終了日は開始日以降の日付にしてください。")})
        if self.status == TaskStatus.DONE and self.completed_on is None:
            raise ValidationError({"completed_on": _("完了にするときは完了日を入力してください。")})
