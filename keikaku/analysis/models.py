"""Opinion analysis (広聴分析) in the product.

- :class:`AnalysisRun`: one analysis over a chosen set of opinions, run in the background;
  it keeps its configuration (parameters, lexicon), the ids of its input opinions, the
  staff confirmations it was given, the package versions and the result.
- :class:`AnalysedOpinion`: one input opinion of a run (text with personal data masked) and
  what the engine said about it.
- Staff decisions, stored apart from the runs and applied to every run:
  :class:`AssignmentDecision` (confirm / reassign a measure) and :class:`GroupDecision`
  (merge into / split out of a duplicate group or campaign).
- The lexicon staff edit: :class:`StopWord`, :class:`SynonymEntry`,
  :class:`UserDictionaryEntry`, and :class:`MeasureKeywords` (matching keywords per measure).

Opinion ids are those of the opinion store (受付番号), of the survey (``survey:…``) or of an
uploaded CSV; ``namespace`` keeps the ids of different CSV data sets apart ("" = the store).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keikaku.plans.models import Edition, Measure


class AnalysisRun(models.Model):
    class Source(models.TextChoices):
        ROUND = "round", _("パブリックコメント（募集ごと）")
        SURVEY = "survey", _("市民意識調査の自由記述")
        PROPOSAL = "proposal", _("常時募集の意見・提案")
        HEARING = "hearing", _("意見交換・ヒアリング")
        ALL = "all", _("すべての意見（受付箱・パブリックコメント・ヒアリング・調査の自由記述）")
        CSV = "csv", _("CSV ファイル")

    class Status(models.TextChoices):
        PENDING = "pending", _("待機中")
        RUNNING = "running", _("実行中")
        DONE = "done", _("完了")
        FAILED = "failed", _("失敗")

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("照合する基本計画"),
        on_delete=models.CASCADE,
        related_name="analysis_runs",
    )
    name = models.CharField(_("名称"), max_length=200)
    source = models.CharField(_("分析する意見"), max_length=20, choices=Source.choices)
    source_ref = models.PositiveIntegerField(_("対象のID"), null=True, blank=True)
    source_label = models.CharField(_("対象"), max_length=300, blank=True)
    namespace = models.CharField(_("意見IDの区分"), max_length=120, blank=True, db_index=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("進み具合（%）"), default=0)
    message = models.CharField(_("状況"), max_length=300, blank=True)
    config = models.JSONField(_("設定"), default=dict)
    input_ids = models.JSONField(_("分析した意見のID"), default=list)
    confirmations = models.JSONField(_("確定済みとして渡した割り当て"), default=list)
    versions = models.JSONField(_("パッケージの版"), default=dict)
    result = models.JSONField(_("分析結果"), null=True, blank=True)
    counts = models.JSONField(_("件数"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_name = models.CharField(_("作成者名"), max_length=150, blank=True)
    started_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    is_demo = models.BooleanField(_("説明用の例"), default=False)

    class Meta:
        verbose_name = _("広聴分析")
        verbose_name_plural = _("広聴分析")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("analyse_opinions", _("広聴分析を実行し、施策の割り当てや重複を判断する")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class AnalysedOpinion(models.Model):
    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="opinions")
    position = models.PositiveIntegerField(_("順番"))
    opinion_id = models.CharField(_("意見ID"), max_length=100)
    source = models.CharField(_("区分"), max_length=20, blank=True)
    text = models.TextField(_("意見（個人情報は伏せ字）"))
    attributes = models.JSONField(_("属性"), default=list)
    measures = models.JSONField(_("施策の候補"), default=list)
    measure_code = models.CharField(_("最上位の施策"), max_length=20, blank=True)
    duplicate_group = models.CharField(_("重複グループ"), max_length=40, blank=True)
    campaign = models.CharField(_("組織的な意見"), max_length=40, blank=True)
    cluster = models.CharField(_("トピック"), max_length=60, blank=True)
    confirmed = models.BooleanField(_("確定済みとして分析"), default=False)
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("分析した意見")
        verbose_name_plural = _("分析した意見")
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "opinion_id"], name="uniq_analysed_opinion"),
            models.UniqueConstraint(fields=["run", "position"], name="uniq_analysed_position"),
        ]
        indexes = [
            models.Index(fields=["run", "measure_code"]),
            models.Index(fields=["run", "cluster"]),
        ]

    def __str__(self) -> str:
        return self.opinion_id

    def attribute_pairs(self) -> list[tuple[str, str]]:
        return [(str(k), str(v)) for k, v in self.attributes]


class _Decision(models.Model):
    namespace = models.CharField(_("意見IDの区分"), max_length=120, blank=True)
    opinion_id = models.CharField(_("意見ID"), max_length=100)
    run = models.ForeignKey(
        AnalysisRun,
        verbose_name=_("判断した分析"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("判断日時"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("判断した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by_name = models.CharField(_("判断した職員の名前"), max_length=150, blank=True)

    class Meta:
        abstract = True


class AssignmentDecision(_Decision):
    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("確定")
        REASSIGN = "reassign", _("変更")

    edition = models.ForeignKey(
        Edition, verbose_name=_("基本計画"), on_delete=models.CASCADE, related_name="+"
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("施策"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("判断"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("意見（個人情報は伏せ字）"), blank=True)

    class Meta:
        verbose_name = _("施策の割り当ての判断")
        verbose_name_plural = _("施策の割り当ての判断")
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "namespace", "opinion_id"], name="uniq_assignment_decision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.opinion_id} → {self.measure.code}"


class GroupDecision(_Decision):
    class GroupKind(models.TextChoices):
        DUPLICATE = "duplicate", _("重複")
        CAMPAIGN = "campaign", _("組織的な意見")

    class Action(models.TextChoices):
        MERGE = "merge", _("統合")
        SPLIT = "split", _("分割")

    group_kind = models.CharField(_("グループの種類"), max_length=10, choices=GroupKind.choices)
    action = models.CharField(_("判断"), max_length=10, choices=Action.choices)
    anchor_id = models.CharField(_("統合先の意見ID"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("重複・組織的な意見の判断")
        verbose_name_plural = _("重複・組織的な意見の判断")
        ordering = ["decided_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["namespace", "group_kind", "opinion_id"], name="uniq_group_decision"
            )
        ]

    def __str__(self) -> str:
        if self.action == self.Action.MERGE:
            return f"{self.opinion_id} ＋ {self.anchor_id}"
        return f"{self.opinion_id} −"


class StopWord(models.Model):
    word = models.CharField(_("ストップワード"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("ストップワード")
        verbose_name_plural = _("ストップワード")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class SynonymEntry(models.Model):
    canonical = models.CharField(_("代表形"), max_length=100)
    variant = models.CharField(_("異表記"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("同義語")
        verbose_name_plural = _("同義語")
        ordering = ["canonical", "variant"]

    def __str__(self) -> str:
        return f"{self.variant} → {self.canonical}"


class UserDictionaryEntry(models.Model):
    term = models.CharField(_("語"), max_length=100, unique=True)
    canonical = models.CharField(_("代表形"), max_length=100, blank=True)
    category = models.CharField(_("分類"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("ユーザー辞書の語")
        verbose_name_plural = _("ユーザー辞書")
        ordering = ["category", "term"]

    def __str__(self) -> str:
        return self.term


class MeasureKeywords(models.Model):
    measure = models.OneToOneField(
        Measure, verbose_name=_("施策"), on_delete=models.CASCADE, related_name="+"
    )
    keywords = models.TextField(
        _("照合用のキーワード"),
        blank=True,
        help_text=_("市民が使う言葉を 1 行に 1 つ（または「|」「、」で区切って）書きます。"),
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("施策の照合用キーワード")
        verbose_name_plural = _("施策の照合用キーワード")

    def __str__(self) -> str:
        return str(self.measure_id)


class LexiconSeed(models.Model):
    """Marker: the shipped lexicon (keikaku/analysis/resources/) was written once."""

    seeded_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("辞書の初期登録")
        verbose_name_plural = _("辞書の初期登録")

    def __str__(self) -> str:
        return f"{self.seeded_at:%Y-%m-%d}"
