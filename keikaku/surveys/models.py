"""Citizen survey (市民意識調査): waves, their sections and questions, one-time access codes,
answers in progress, responses, and the link from survey-based indicators to the survey.

Responses hold no personal data: only the answers (attributes included) in the cells of the
standard response layout (docs/formats/survey-responses.md). A web response is not linked
to the access code it was made with — the code only records that it has been used.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keikaku.core.models import VersionedModel
from keikaku.plans.models import FY_VALIDATORS, Edition, Indicator, Measure, PolicyArea
from keikaku.surveys.domain.codes import format_code
from keikaku.surveys.domain.portfolio import QuadrantLabels

QUADRANT_LABEL_SETS: dict[str, QuadrantLabels] = {
    "bunya": QuadrantLabels(),
    "ryoiki": QuadrantLabels("優先的改善領域", "改善領域", "重点維持領域", "現状維持領域"),
    "koumoku": QuadrantLabels("最優先改善項目", "改善項目", "重点維持項目", "維持項目"),
}


class SurveyWave(VersionedModel):
    """One round of the survey (e.g. 令和5年度 市民意識調査)."""

    class Method(models.TextChoices):
        MAIL_WEB = "mail_web", _("郵送とインターネット")
        MAIL = "mail", _("郵送")
        WEB = "web", _("インターネット")

    class Status(models.TextChoices):
        DRAFT = "draft", _("準備中")
        OPEN = "open", _("回答受付中")
        CLOSED = "closed", _("回答受付終了")

    class LabelSet(models.TextChoices):
        BUNYA = "bunya", _("重点改善分野・改善分野・重点維持分野・維持分野")
        RYOIKI = "ryoiki", _("優先的改善領域・改善領域・重点維持領域・現状維持領域")
        KOUMOKU = "koumoku", _("最優先改善項目・改善項目・重点維持項目・維持項目")

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("基本計画"),
        on_delete=models.PROTECT,
        related_name="survey_waves",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("調査年度"), validators=FY_VALIDATORS)
    title = models.CharField(_("調査名"), max_length=200)
    population = models.PositiveIntegerField(
        _("母集団の人数（N）"),
        null=True,
        blank=True,
        help_text=_("例: 18歳以上の市民の数。標本誤差の有限母集団修正に使います。"),
    )
    sample_size = models.PositiveIntegerField(_("調査票の配布数（標本数）"), null=True, blank=True)
    method = models.CharField(
        _("調査方法"), max_length=10, choices=Method.choices, default=Method.MAIL_WEB
    )
    opens_on = models.DateField(_("回答受付の開始日"), null=True, blank=True)
    closes_on = models.DateField(_("回答受付の終了日"), null=True, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    intro = models.TextField(
        _("回答者へのごあいさつ"),
        blank=True,
        help_text=_("回答ページの最初に表示します。調査の目的、所要時間、問い合わせ先など。"),
    )
    label_set = models.CharField(
        _("ポートフォリオの4分野の名称"),
        max_length=10,
        choices=LabelSet.choices,
        default=LabelSet.BUNYA,
    )
    suppression_threshold = models.PositiveSmallIntegerField(
        _("クロス集計で秘匿する人数の基準"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("公表する表で、この人数未満のセルと属性区分を「*」にします。"),
    )
    summary_public = models.BooleanField(_("結果の概要を公開サイトに載せる"), default=False)
    is_illustrative = models.BooleanField(
        _("架空のデモデータ"),
        default=False,
        help_text=_("回答が説明用の架空データであることを、すべての画面と報告書に表示します。"),
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("複製元の調査"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )

    class Meta:
        verbose_name = _("市民意識調査")
        verbose_name_plural = _("市民意識調査")
        ordering = ["-fiscal_year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "fiscal_year", "title"], name="uniq_survey_wave_title"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def quadrant_labels(self) -> QuadrantLabels:
        return QUADRANT_LABEL_SETS.get(self.label_set, QuadrantLabels())

    @property
    def is_editable(self) -> bool:
        """Questions can change only before the first answer is stored."""
        return self.status == self.Status.DRAFT


class SurveySection(VersionedModel):
    wave = models.ForeignKey(
        SurveyWave, verbose_name=_("調査"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    title = models.CharField(_("見出し"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    area = models.ForeignKey(
        PolicyArea,
        verbose_name=_("政策分野"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("施策の満足度・重要度のページが、どの政策分野のものか"),
    )

    class Meta:
        verbose_name = _("調査票のページ")
        verbose_name_plural = _("調査票のページ")
        ordering = ["wave", "order", "id"]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(VersionedModel):
    class Kind(models.TextChoices):
        SINGLE = "single", _("単一回答（1つ選ぶ）")
        MULTIPLE = "multiple", _("複数回答（いくつでも・上限あり）")
        SCALE = "scale", _("5段階＋わからない")
        MEASURE = "measure", _("施策の満足度と重要度")
        TEXT = "text", _("自由記述")

    class Scale(models.TextChoices):
        SATISFACTION = "satisfaction", _("満足度（満足〜不満）")
        IMPORTANCE = "importance", _("重要度（重要〜重要でない）")

    wave = models.ForeignKey(
        SurveyWave, verbose_name=_("調査"), on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        SurveySection,
        verbose_name=_("ページ"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    code = models.CharField(
        _("設問コード"),
        max_length=40,
        help_text=_("回答データの列名です（例: Q5、gender）。施策の設問は施策番号です。"),
    )
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("設問文"), max_length=300)
    help_text = models.TextField(_("補足説明"), blank=True)
    options = models.JSONField(_("選択肢"), default=list, blank=True)
    max_picks = models.PositiveSmallIntegerField(_("選べる数の上限"), null=True, blank=True)
    scale = models.CharField(
        _("5段階の種類"), max_length=12, choices=Scale.choices, default=Scale.SATISFACTION
    )
    is_attribute = models.BooleanField(
        _("回答者の属性"),
        default=False,
        help_text=_("性別・年齢・地区など。クロス集計の軸になります。"),
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("施策"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_questions",
    )

    class Meta:
        verbose_name = _("設問")
        verbose_name_plural = _("設問")
        ordering = ["section__order", "section_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "code"], name="uniq_survey_question_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class AccessCode(models.Model):
    """A one-time code printed on one letter; ``used_at`` is set by the final submission."""

    wave = models.ForeignKey(
        SurveyWave, verbose_name=_("調査"), on_delete=models.CASCADE, related_name="access_codes"
    )
    code = models.CharField(_("回答用コード"), max_length=16, unique=True)
    batch = models.PositiveSmallIntegerField(_("発行回"), default=1)
    created_at = models.DateTimeField(_("発行日時"), auto_now_add=True)
    used_at = models.DateTimeField(_("回答日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("回答用コード")
        verbose_name_plural = _("回答用コード")
        ordering = ["id"]

    def __str__(self) -> str:
        return format_code(self.code)


class AnswerDraft(models.Model):
    """Answers saved page by page before the final submission (deleted by it)."""

    access_code = models.OneToOneField(AccessCode, on_delete=models.CASCADE, related_name="draft")
    answers = models.JSONField(default=dict)
    page = models.PositiveSmallIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("回答途中のデータ")
        verbose_name_plural = _("回答途中のデータ")

    def __str__(self) -> str:
        return f"{self.access_code_id}: {self.page}"


class SurveyResponse(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("インターネット")
        PAPER_ENTRY = "paper_entry", _("調査票（画面で入力）")
        PAPER_IMPORT = "paper_import", _("調査票（ファイル取込）")

    wave = models.ForeignKey(
        SurveyWave, verbose_name=_("調査"), on_delete=models.CASCADE, related_name="responses"
    )
    respondent_id = models.CharField(_("回答者ID"), max_length=40)
    channel = models.CharField(_("回答方法"), max_length=12, choices=Channel.choices)
    answers = models.JSONField(_("回答"), default=dict)
    submitted_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("入力した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        ordering = ["wave", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "respondent_id"], name="uniq_survey_respondent_id"
            )
        ]

    def __str__(self) -> str:
        return self.respondent_id


class IndicatorSource(VersionedModel):
    """Where a survey-based indicator (成果指標) takes its yearly value from."""

    class Metric(models.TextChoices):
        SATISFACTION_TOP2 = "satisfaction_top2", _("施策の満足度：「満足」「やや満足」の割合（%）")
        SATISFACTION_SCORE = "satisfaction_score", _("施策の満足度：評価点（−2〜+2）")
        IMPORTANCE_TOP2 = "importance_top2", _("施策の重要度：「重要」「やや重要」の割合（%）")
        IMPORTANCE_SCORE = "importance_score", _("施策の重要度：評価点（−2〜+2）")
        QUESTION_TOP2 = "question_top2", _("5段階の設問：上位2つの割合（%）")
        OPTION_SHARE = "option_share", _("選択式の設問：ある選択肢を選んだ人の割合（%）")

    indicator = models.OneToOneField(
        Indicator,
        verbose_name=_("成果指標"),
        on_delete=models.CASCADE,
        related_name="survey_source",
    )
    metric = models.CharField(_("調査のどの値か"), max_length=20, choices=Metric.choices)
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("施策"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("施策の満足度・重要度を使うとき"),
    )
    question_code = models.CharField(
        _("設問コード"),
        max_length=40,
        blank=True,
        help_text=_("5段階・選択式の設問を使うとき（例: overall、intention_to_stay）"),
    )
    option = models.PositiveSmallIntegerField(
        _("選択肢の番号"), null=True, blank=True, help_text=_("選択肢の割合を使うとき")
    )

    class Meta:
        verbose_name = _("調査による成果指標")
        verbose_name_plural = _("調査による成果指標")

    def __str__(self) -> str:
        return str(self.indicator)
