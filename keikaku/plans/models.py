"""施策体系: the comprehensive plan, its basic concept, basic-plan editions, policy areas,
measures, initiatives, indicators (KPIs) and their yearly values, priority strategies and the
programmes of the implementation plan (事務事業) with their yearly costs.

Staff edit these rows; the public site never reads them directly: publishing copies them
into `PublishedPage` snapshots (see services.edition_publish), so a draft cannot leak.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keikaku.accounts.models import Department
from keikaku.core.models import VersionedModel
from keikaku.plans.domain.codes import parse_sdgs, validate_municipality_code

FY_VALIDATORS = [MinValueValidator(1900), MaxValueValidator(2200)]


def _validate_code(value: str) -> None:
    try:
        validate_municipality_code(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


def _validate_sdgs(value: object) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("SDGs のゴールは番号の一覧で指定してください。"))
    try:
        parse_sdgs(" ".join(str(v) for v in value))
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


class Municipality(VersionedModel):
    code = models.CharField(
        _("全国地方公共団体コード"), max_length=6, unique=True, validators=[_validate_code]
    )
    name = models.CharField(_("団体名"), max_length=50)
    name_en = models.CharField(_("団体名（英語）"), max_length=80, blank=True)
    prefecture = models.CharField(_("都道府県"), max_length=10)
    is_demo = models.BooleanField(
        _("デモデータ"),
        default=False,
        help_text=_("施策名や数値が架空のデモデータであることを公開ページに表示します。"),
    )

    class Meta:
        verbose_name = _("自治体")
        verbose_name_plural = _("自治体")

    def __str__(self) -> str:
        return self.name


class ComprehensivePlan(VersionedModel):
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("自治体"), on_delete=models.CASCADE, related_name="plans"
    )
    title = models.CharField(_("計画名"), max_length=200)
    title_en = models.CharField(_("計画名（英語）"), max_length=300, blank=True)
    ordinal = models.PositiveSmallIntegerField(_("第何次"), default=1)
    start_fy = models.PositiveSmallIntegerField(_("開始年度"), validators=FY_VALIDATORS)
    end_fy = models.PositiveSmallIntegerField(_("終了年度"), validators=FY_VALIDATORS)
    adopted_on = models.DateField(_("策定日"), null=True, blank=True)

    class Meta:
        verbose_name = _("総合計画")
        verbose_name_plural = _("総合計画")
        ordering = ["-start_fy"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_fy and self.end_fy and self.end_fy < self.start_fy:
            raise ValidationError({"end_fy": _("終了年度は開始年度以降にしてください。")})


class BasicConcept(VersionedModel):
    plan = models.OneToOneField(
        ComprehensivePlan,
        verbose_name=_("総合計画"),
        on_delete=models.CASCADE,
        related_name="basic_concept",
    )
    vision = models.CharField(_("将来像"), max_length=200)
    vision_en = models.CharField(_("将来像（英語）"), max_length=300, blank=True)
    description = models.TextField(_("基本構想の概要"), blank=True)
    start_fy = models.PositiveSmallIntegerField(_("開始年度"), validators=FY_VALIDATORS)
    end_fy = models.PositiveSmallIntegerField(_("終了年度"), validators=FY_VALIDATORS)
    population_frame = models.TextField(_("将来人口（人口フレーム）"), blank=True)
    land_use = models.TextField(_("土地利用の方針"), blank=True)

    class Meta:
        verbose_name = _("基本構想")
        verbose_name_plural = _("基本構想")

    def __str__(self) -> str:
        return self.vision


class BasicGoal(VersionedModel):
    concept = models.ForeignKey(
        BasicConcept, verbose_name=_("基本構想"), on_delete=models.CASCADE, related_name="goals"
    )
    number = models.PositiveSmallIntegerField(_("番号"))
    title = models.CharField(_("基本目標"), max_length=200)
    description = models.TextField(_("説明"), blank=True)

    class Meta:
        verbose_name = _("基本目標")
        verbose_name_plural = _("基本目標")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["concept", "number"], name="uniq_goal_number")
        ]

    def __str__(self) -> str:
        return self.title


class Edition(VersionedModel):
    """A basic plan edition (前期 / 後期基本計画)."""

    class Kind(models.TextChoices):
        FORMER = "former", _("前期")
        LATTER = "latter", _("後期")
        SINGLE = "single", _("単独")

    class Status(models.TextChoices):
        DRAFT = "draft", _("策定中")
        IN_FORCE = "in_force", _("計画期間中")
        ENDED = "ended", _("計画期間終了")

    plan = models.ForeignKey(
        ComprehensivePlan,
        verbose_name=_("総合計画"),
        on_delete=models.CASCADE,
        related_name="editions",
    )
    kind = models.CharField(_("区分"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    title_en = models.CharField(_("名称（英語）"), max_length=300, blank=True)
    start_fy = models.PositiveSmallIntegerField(_("開始年度"), validators=FY_VALIDATORS)
    end_fy = models.PositiveSmallIntegerField(_("終了年度"), validators=FY_VALIDATORS)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    introduction = models.TextField(_("序論"), blank=True)
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("前の計画"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )
    is_public = models.BooleanField(_("公開サイトに表示"), default=False)
    published_at = models.DateTimeField(_("最終公開日時"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("基本計画")
        verbose_name_plural = _("基本計画")
        ordering = ["-start_fy"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="uniq_edition_kind")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_fy and self.end_fy and self.end_fy < self.start_fy:
            raise ValidationError({"end_fy": _("終了年度は開始年度以降にしてください。")})


class PolicyArea(VersionedModel):
    edition = models.ForeignKey(
        Edition, verbose_name=_("基本計画"), on_delete=models.CASCADE, related_name="areas"
    )
    number = models.PositiveSmallIntegerField(_("番号"))
    title = models.CharField(_("政策分野名"), max_length=200)
    title_en = models.CharField(_("政策分野名（英語）"), max_length=300, blank=True)
    description = models.TextField(_("説明"), blank=True)
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("前期の政策分野"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )

    class Meta:
        verbose_name = _("政策分野")
        verbose_name_plural = _("政策分野")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="uniq_area_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Measure(VersionedModel):
    area = models.ForeignKey(
        PolicyArea, verbose_name=_("政策分野"), on_delete=models.CASCADE, related_name="measures"
    )
    code = models.CharField(
        _("施策番号"), max_length=20, help_text=_("計画内で一意の番号（例: 1-1）")
    )
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    title = models.CharField(_("施策名"), max_length=200)
    title_en = models.CharField(_("施策名（英語）"), max_length=300, blank=True)
    plain_summary = models.TextField(
        _("やさしい日本語の要約"),
        blank=True,
        help_text=_("短い文で、一文に一つのことを書きます。公開ページの最初に表示します。"),
    )
    target_state = models.TextField(_("目指す姿"), blank=True)
    current_issues = models.TextField(_("現状と課題"), blank=True)
    role_citizens = models.TextField(_("役割分担（市民）"), blank=True)
    role_businesses = models.TextField(_("役割分担（事業者）"), blank=True)
    role_city = models.TextField(_("役割分担（市）"), blank=True)
    departments = models.ManyToManyField(
        Department, verbose_name=_("担当部署"), blank=True, related_name="measures"
    )
    sdgs = models.JSONField(
        _("SDGs のゴール"), default=list, blank=True, validators=[_validate_sdgs]
    )
    related_plans = models.TextField(
        _("関連する個別計画"), blank=True, help_text=_("1行に1つの計画名")
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("前期の施策"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )

    class Meta:
        verbose_name = _("施策")
        verbose_name_plural = _("施策")
        ordering = ["area__number", "order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        if self.area_id and self.code:
            clash = Measure.objects.filter(area__edition_id=self.area.edition_id, code=self.code)
            if clash.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {
                        "code": _("施策番号「%(code)s」はこの計画で既に使われています。")
                        % {"code": self.code}
                    }
                )


class Initiative(VersionedModel):
    measure = models.ForeignKey(
        Measure, verbose_name=_("施策"), on_delete=models.CASCADE, related_name="initiatives"
    )
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    title = models.CharField(_("主な取組"), max_length=200)
    description = models.TextField(_("内容"), blank=True)
    responsible_section = models.ForeignKey(
        Department,
        verbose_name=_("担当課"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
    )

    class Meta:
        verbose_name = _("主な取組")
        verbose_name_plural = _("主な取組")
        ordering = ["measure", "order", "id"]

    def __str__(self) -> str:
        return self.title


class PriorityStrategy(VersionedModel):
    edition = models.ForeignKey(
        Edition, verbose_name=_("基本計画"), on_delete=models.CASCADE, related_name="strategies"
    )
    number = models.PositiveSmallIntegerField(_("番号"))
    title = models.CharField(_("重点戦略名"), max_length=200)
    title_en = models.CharField(_("重点戦略名（英語）"), max_length=300, blank=True)
    description = models.TextField(_("説明"), blank=True)
    basic_goal = models.TextField(
        _("基本目標（地方版総合戦略）"), blank=True, help_text=_("数値目標を含めて記載します。")
    )
    measures = models.ManyToManyField(
        Measure, verbose_name=_("関連する施策"), blank=True, related_name="strategies"
    )

    class Meta:
        verbose_name = _("重点戦略")
        verbose_name_plural = _("重点戦略")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="uniq_strategy_number")
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(VersionedModel):
    class Direction(models.TextChoices):
        INCREASE = "increase", _("増加を目指す")
        DECREASE = "decrease", _("減少を目指す")
        MAINTAIN = "maintain", _("維持を目指す")
        MILESTONE = "milestone", _("達成・未達成")

    measure = models.ForeignKey(
        Measure,
        verbose_name=_("施策"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    strategy = models.ForeignKey(
        PriorityStrategy,
        verbose_name=_("重点戦略"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    code = models.CharField(_("指標番号"), max_length=30)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    name = models.CharField(_("指標名"), max_length=200)
    name_en = models.CharField(_("指標名（英語）"), max_length=300, blank=True)
    unit = models.CharField(_("単位"), max_length=30, blank=True)
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_value = models.FloatField(_("基準値"), null=True, blank=True)
    baseline_fy = models.PositiveSmallIntegerField(
        _("基準値の年度"), null=True, blank=True, validators=FY_VALIDATORS
    )
    baseline_as_of = models.DateField(_("基準値の時点"), null=True, blank=True)
    target_value = models.FloatField(_("目標値"), null=True, blank=True)
    target_fy = models.PositiveSmallIntegerField(
        _("目標年度"), null=True, blank=True, validators=FY_VALIDATORS
    )
    cumulative = models.BooleanField(_("累計"), default=False)
    survey_based = models.BooleanField(_("市民意識調査による指標"), default=False)
    description = models.TextField(_("指標の説明"), blank=True)
    source = models.CharField(_("出典"), max_length=200, blank=True)
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("前期の指標"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )

    class Meta:
        verbose_name = _("成果指標")
        verbose_name_plural = _("成果指標")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(measure__isnull=False, strategy__isnull=True)
                    | models.Q(measure__isnull=True, strategy__isnull=False)
                ),
                name="indicator_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if (self.measure_id is None) == (self.strategy_id is None):
            raise ValidationError(_("指標は施策か重点戦略のどちらか一方に属します。"))


class IndicatorValue(VersionedModel):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("成果指標"), on_delete=models.CASCADE, related_name="values"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), validators=FY_VALIDATORS)
    value = models.FloatField(_("実績値"), null=True, blank=True)
    as_of = models.DateField(_("時点"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("実績値")
        verbose_name_plural = _("実績値")
        ordering = ["indicator", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"], name="uniq_indicator_value_fy"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.fiscal_year}: {self.value}"


class Programme(VersionedModel):
    """事務事業 of the implementation plan."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("基本計画"), on_delete=models.CASCADE, related_name="programmes"
    )
    code = models.CharField(_("事業番号"), max_length=30)
    name = models.CharField(_("事業名"), max_length=200)
    department = models.ForeignKey(
        Department,
        verbose_name=_("担当課"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes",
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("施策"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes",
    )
    description = models.TextField(_("事業概要"), blank=True)
    account = models.CharField(_("会計"), max_length=50, blank=True, default="一般会計")
    legal_basis = models.CharField(_("根拠法令等"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("事務事業")
        verbose_name_plural = _("事務事業")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="uniq_programme_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProgrammeCost(VersionedModel):
    """Yearly cost of a programme in thousand yen (千円), with the funding breakdown."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("事務事業"), on_delete=models.CASCADE, related_name="costs"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), validators=FY_VALIDATORS)
    total = models.BigIntegerField(_("事業費（千円）"), null=True, blank=True)
    national = models.BigIntegerField(_("国庫支出金（千円）"), null=True, blank=True)
    prefectural = models.BigIntegerField(_("県支出金（千円）"), null=True, blank=True)
    bonds = models.BigIntegerField(_("地方債（千円）"), null=True, blank=True)
    other = models.BigIntegerField(_("その他（千円）"), null=True, blank=True)
    general = models.BigIntegerField(_("一般財源（千円）"), null=True, blank=True)
    is_plan = models.BooleanField(_("計画額"), default=True, help_text=_("計画額か決算額か"))
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("事業費")
        verbose_name_plural = _("事業費")
        ordering = ["programme", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "fiscal_year", "is_plan"], name="uniq_programme_cost_fy"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.fiscal_year}"

    def clean(self) -> None:
        parts = [self.national, self.prefectural, self.bonds, self.other, self.general]
        if self.total is not None and all(p is not None for p in parts):
            if sum(p for p in parts if p is not None) != self.total:
                raise ValidationError(
                    _("財源内訳の合計（%(sum)s）が事業費（%(total)s）と一致しません。")
                    % {"sum": sum(p for p in parts if p is not None), "total": self.total}
                )


class PublishedPage(models.Model):
    """A published snapshot of a piece of plan content: what the public site reads.

    kind: "edition" (home: vision, areas, strategies), "area", "measure", "strategy".
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="published_pages")
    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=40)
    data = models.JSONField()
    published_at = models.DateTimeField()
    published_by = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("公開中の内容")
        verbose_name_plural = _("公開中の内容")
        constraints = [
            models.UniqueConstraint(fields=["edition", "kind", "key"], name="uniq_published_page")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"
