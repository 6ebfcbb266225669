"""Yearly evaluation (行政評価) and the verification of a basic plan (基本計画の検証).

- :class:`EvaluationRound` — one fiscal year's evaluation of one basic-plan edition, with the
  grading scheme used (``scheme_id`` names a preset of ``data/grading_presets.json``);
- :class:`MeasureEvaluation` — 施策評価シート (department self-evaluation, council comment);
- :class:`ProgrammeEvaluation` + :class:`ProgrammeIndicator` — 事務事業評価シート;
- :class:`EvaluationPublication` — the published snapshot the public site reads;
- :class:`MeasureMerge` — lineage of merged measures when the next edition is written
  (``Measure.predecessor`` holds one predecessor; a merge adds the others);
- :class:`StrategyLineage`, :class:`ProgrammeLineage` — lineage of priority strategies and
  programmes carried over to the next edition (the plan models have no predecessor field
  for them, so this app keeps the links);
- :class:`ReportFile` — the report's PDF, made by a background task.

KPI actuals and programme costs stay where the plan keeps them (plans.IndicatorValue,
plans.ProgrammeCost); evaluation sheets never copy them, so the sheet always shows the
current figures.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keikaku.core.models import VersionedModel
from keikaku.plans.models import Edition, Measure, PriorityStrategy, Programme

FY_VALIDATORS = [MinValueValidator(1900), MaxValueValidator(2200)]


def _default_scheme() -> str:
    from keikaku.evaluation.schemes import scheme_default_id

    return scheme_default_id()


def _validate_scheme(value: str) -> None:
    from keikaku.evaluation.schemes import available_schemes

    if value not in available_schemes():
        raise ValidationError(
            _("評価方式「%(id)s」はありません。用意された評価方式から選んでください。")
            % {"id": value}
        )


class Direction(models.TextChoices):
    """今後の方向性 of a measure or a programme."""

    EXPAND = "expand", _("拡充")
    CONTINUE = "continue", _("継続")
    IMPROVE = "improve", _("改善")
    REDUCE = "reduce", _("縮小")
    INTEGRATE = "integrate", _("統合")
    SUSPEND = "suspend", _("休止・廃止")
    COMPLETE = "complete", _("完了")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("作成中")
    SUBMITTED = "submitted", _("提出済み")
    CONFIRMED = "confirmed", _("確認済み")


class Viewpoint(models.TextChoices):
    """Rating of one viewpoint (必要性・有効性・効率性・公平性) of a programme."""

    GOOD = "a", _("A 適切")
    FAIR = "b", _("B 概ね適切")
    REVIEW = "c", _("C 見直しが必要")


class EvaluationRound(VersionedModel):
    """The evaluation of one edition for one fiscal year (年度評価)."""

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("基本計画"),
        on_delete=models.CASCADE,
        related_name="evaluation_rounds",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("評価する年度"), validators=FY_VALIDATORS)
    scheme_id = models.CharField(
        _("評価方式"),
        max_length=40,
        default=_default_scheme,
        validators=[_validate_scheme],
        help_text=_("成果指標の評価区分の決め方です。市の基準に合わせて選びます。"),
    )
    is_final = models.BooleanField(
        _("計画期間の検証"),
        default=False,
        help_text=_("計画期間の最終年度に、計画全体を検証する評価です（検証報告書）。"),
    )
    introduction = models.TextField(
        _("はじめに"), blank=True, help_text=_("報告書の冒頭に載せる説明です。")
    )
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True, editable=False)
    published_by = models.CharField(_("公開した人"), max_length=150, blank=True, editable=False)

    class Meta:
        verbose_name = _("年度評価")
        verbose_name_plural = _("年度評価")
        ordering = ["-fiscal_year", "edition_id"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "fiscal_year"], name="uniq_round_fy")
        ]
        permissions = [
            ("confirm_sheet", _("評価シートを確認し、評価結果を公開する（事務局）")),
        ]

    def __str__(self) -> str:
        from keikaku.core.domain.fiscal import format_fiscal_year

        return f"{self.edition.title} {format_fiscal_year(self.fiscal_year)}"

    def clean(self) -> None:
        if self.edition_id and self.fiscal_year:
            edition = self.edition
            if not edition.start_fy <= self.fiscal_year <= edition.end_fy:
                raise ValidationError(
                    {
                        "fiscal_year": _(
                            "評価する年度は計画期間（%(start)d〜%(end)d年度）の中から選んでください。"
                        )
                        % {"start": edition.start_fy, "end": edition.end_fy}
                    }
                )


class SheetBase(VersionedModel):
    status = models.CharField(
        _("状態"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    direction = models.CharField(
        _("今後の方向性"), max_length=10, choices=Direction.choices, blank=True
    )
    direction_note = models.TextField(_("方向性の内容"), blank=True)
    issues = models.TextField(_("課題"), blank=True)
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True, editable=False)
    submitted_by = models.CharField(_("提出した人"), max_length=150, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("確認日時"), null=True, blank=True, editable=False)
    confirmed_by = models.CharField(_("確認した人"), max_length=150, blank=True, editable=False)

    class Meta:
        abstract = True


class MeasureEvaluation(SheetBase):
    """施策評価シート."""

    round = models.ForeignKey(
        EvaluationRound,
        verbose_name=_("年度評価"),
        on_delete=models.CASCADE,
        related_name="measure_sheets",
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("施策"), on_delete=models.CASCADE, related_name="evaluations"
    )
    results = models.TextField(_("取組の成果"), blank=True)
    internal_grade = models.CharField(
        _("内部評価（担当課）"),
        max_length=10,
        blank=True,
        help_text=_("成果指標から計算した評価とは別に、担当課が施策全体を評価します。"),
    )
    grade_reason = models.TextField(_("内部評価の理由"), blank=True)
    external_comment = models.TextField(
        _("外部評価（まちづくり審議会の意見）"),
        blank=True,
        help_text=_("事務局が入力します。"),
    )

    class Meta:
        verbose_name = _("施策評価シート")
        verbose_name_plural = _("施策評価シート")
        ordering = ["round", "measure__area__number", "measure__order", "measure__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "measure"], name="uniq_measure_sheet")
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.measure.title}（{self.round.fiscal_year}）"


class ProgrammeEvaluation(SheetBase):
    """事務事業評価シート."""

    round = models.ForeignKey(
        EvaluationRound,
        verbose_name=_("年度評価"),
        on_delete=models.CASCADE,
        related_name="programme_sheets",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("事務事業"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    purpose_target = models.TextField(_("目的（対象：だれ・なにを）"), blank=True)
    purpose_intent = models.TextField(_("目的（意図：どのような状態にしたいか）"), blank=True)
    activities = models.TextField(_("実施した内容"), blank=True)
    period = models.CharField(_("事業期間"), max_length=100, blank=True)
    staff_fte = models.DecimalField(
        _("従事職員数（人工）"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    staff_cost = models.BigIntegerField(
        _("人件費（千円）"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    necessity = models.CharField(_("必要性"), max_length=1, choices=Viewpoint.choices, blank=True)
    necessity_note = models.TextField(_("必要性の説明"), blank=True)
    effectiveness = models.CharField(
        _("有効性"), max_length=1, choices=Viewpoint.choices, blank=True
    )
    effectiveness_note = models.TextField(_("有効性の説明"), blank=True)
    efficiency = models.CharField(_("効率性"), max_length=1, choices=Viewpoint.choices, blank=True)
    efficiency_note = models.TextField(_("効率性の説明"), blank=True)
    equity = models.CharField(_("公平性"), max_length=1, choices=Viewpoint.choices, blank=True)
    equity_note = models.TextField(_("公平性の説明"), blank=True)

    class Meta:
        verbose_name = _("事務事業評価シート")
        verbose_name_plural = _("事務事業評価シート")
        ordering = ["round", "programme__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "programme"], name="uniq_programme_sheet")
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.programme.name}（{self.round.fiscal_year}）"


class ProgrammeIndicator(models.Model):
    """An activity (活動指標) or outcome (成果指標) indicator on a programme sheet."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("活動指標")
        OUTCOME = "outcome", _("成果指標")

    sheet = models.ForeignKey(
        ProgrammeEvaluation,
        verbose_name=_("事務事業評価シート"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    name = models.CharField(_("指標名"), max_length=200)
    unit = models.CharField(_("単位"), max_length=30, blank=True)
    planned = models.FloatField(_("計画値"), null=True, blank=True)
    actual = models.FloatField(_("実績値"), null=True, blank=True)

    class Meta:
        verbose_name = _("事務事業の指標")
        verbose_name_plural = _("事務事業の指標")
        ordering = ["sheet", "kind", "order", "id"]

    def __str__(self) -> str:
        return self.name


class EvaluationPublication(models.Model):
    """The published result of a round: the report data as JSON (what the public site reads)."""

    round = models.OneToOneField(
        EvaluationRound, on_delete=models.CASCADE, related_name="publication"
    )
    data = models.JSONField()
    published_at = models.DateTimeField()
    published_by = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("公開中の評価結果")
        verbose_name_plural = _("公開中の評価結果")

    def __str__(self) -> str:
        return str(self.round)


class MeasureMerge(models.Model):
    """A former measure merged into a measure of the next edition (統合)."""

    former = models.ForeignKey(
        Measure,
        verbose_name=_("前期の施策"),
        on_delete=models.CASCADE,
        related_name="merged_into_records",
    )
    successor = models.ForeignKey(
        Measure,
        verbose_name=_("統合先の施策"),
        on_delete=models.CASCADE,
        related_name="merged_from_records",
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("施策の統合")
        verbose_name_plural = _("施策の統合")
        constraints = [
            models.UniqueConstraint(fields=["former", "successor"], name="uniq_measure_merge")
        ]

    def __str__(self) -> str:
        return f"{self.former.code} → {self.successor.code}"


class ReportFile(models.Model):
    """The PDF of a round's report, made by a background task (報告書ファイル).

    One row per request: 待機中 → 作成中 → 完了 (the file is kept in ``content``) or 失敗
    (``message`` says why). At most one request per round is waiting or running at a time
    (a database constraint), so a second click joins the first. ``data_digest`` fingerprints
    the report data the file was made from; when the data has changed since, the pages say
    the file is older than the data.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待機中")
        RUNNING = "running", _("作成中")
        DONE = "done", _("完了")
        FAILED = "failed", _("失敗")

    ACTIVE = (Status.PENDING, Status.RUNNING)

    round = models.ForeignKey(
        EvaluationRound,
        verbose_name=_("年度評価"),
        on_delete=models.CASCADE,
        related_name="report_files",
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("進み具合（%）"), default=0)
    message = models.CharField(_("状況"), max_length=300, blank=True)
    content = models.BinaryField(_("ファイル"), null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(_("大きさ（バイト）"), null=True, blank=True)
    data_digest = models.CharField(_("作成に使ったデータの指紋"), max_length=64, blank=True)
    data_read_at = models.DateTimeField(_("データを読んだ日時"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成を指示した人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_by_name = models.CharField(_("作成を指示した人の名前"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("指示した日時"), auto_now_add=True)
    started_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("報告書ファイル")
        verbose_name_plural = _("報告書ファイル")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=models.Q(status__in=["pending", "running"]),
                name="uniq_active_report_file",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} PDF（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class StrategyLineage(models.Model):
    """A priority strategy of the next edition and the former one it continues (重点戦略の系譜).

    ``plans.PriorityStrategy`` has no predecessor field; the evaluation app, which carries a
    plan over, keeps the link here. Several rows with the same successor = a merge (統合);
    several with the same former = a split (分割).
    """

    former = models.ForeignKey(
        PriorityStrategy,
        verbose_name=_("前期の重点戦略"),
        on_delete=models.CASCADE,
        related_name="successor_links",
    )
    successor = models.ForeignKey(
        PriorityStrategy,
        verbose_name=_("後期の重点戦略"),
        on_delete=models.CASCADE,
        related_name="predecessor_links",
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("重点戦略の系譜")
        verbose_name_plural = _("重点戦略の系譜")
        ordering = ["successor_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["former", "successor"], name="uniq_strategy_lineage")
        ]

    def __str__(self) -> str:
        return f"{self.former} → {self.successor}"


class ProgrammeLineage(models.Model):
    """A programme (事務事業) of the next edition and the former one it continues.

    ``plans.Programme`` has no predecessor field; the link is kept here (see
    :class:`StrategyLineage` for merges and splits).
    """

    former = models.ForeignKey(
        Programme,
        verbose_name=_("前期の事務事業"),
        on_delete=models.CASCADE,
        related_name="successor_links",
    )
    successor = models.ForeignKey(
        Programme,
        verbose_name=_("後期の事務事業"),
        on_delete=models.CASCADE,
        related_name="predecessor_links",
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("事務事業の系譜")
        verbose_name_plural = _("事務事業の系譜")
        ordering = ["successor_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["former", "successor"], name="uniq_programme_lineage")
        ]

    def __str__(self) -> str:
        return f"{self.former.code} → {self.successor.code}"
