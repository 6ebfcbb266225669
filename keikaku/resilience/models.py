"""国土強靱化 (national resilience), the national revitalisation frameworks (地方創生) and the
sectoral plans (個別計画).

- Catalogue (versioned reference data): CatalogueVersion → ResilienceGoal → RiskScenario, and
  PolicyField; per national basic plan (2018, 2023) or the city's own list. Rows whose wording
  was not checked against the published plan carry ``verified=False`` and are shown as
  「文言未確認」.
- The city's regional plan (国土強靱化地域計画): RegionalPlan (one per basic-plan edition),
  the chosen scenarios with their vulnerability assessment (RegionalScenario) and KPIs
  (ScenarioKpi).
- The action plan (アクションプラン) per fiscal year: ActionPlan → ActionPlanEntry (a programme
  of the implementation plan linked to scenarios and policy fields) → Site (事業実施箇所) and
  EntryCost (yearly cost, 千円).
- Frameworks: Framework → FrameworkPillar; FrameworkTag links priority strategies and their
  KPIs to pillars.
- SectoralPlan: the registry of sectoral plans, linked to measures.
- ResiliencePublication: published snapshots the public site reads (a draft cannot leak).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keikaku.accounts.models import Department
from keikaku.core.models import VersionedModel
from keikaku.plans.models import Edition, Indicator, Measure, PriorityStrategy, Programme
from keikaku.resilience.domain.geo import (
    BoundingBox,
    SiteError,
    bbox_error,
    parse_geometry,
    point_problems,
)

FY_VALIDATORS = [MinValueValidator(1900), MaxValueValidator(2200)]


def _check_period(start: int | None, end: int | None, field: str = "end_fy") -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError({field: _("終了年度は開始年度以降にしてください。")})


# --- abstract bases ---------------------------------------------------------------------------


class CatalogueEntry(models.Model):
    """A row of national reference data (goal, scenario, policy field, framework pillar):
    its wording is either checked against the published text or shown as 「文言未確認」."""

    verified = models.BooleanField(_("文言確認済み"), default=False)
    note = models.TextField(_("備考"), blank=True)

    class Meta:
        abstract = True


class OrderedCatalogueEntry(CatalogueEntry):
    """A catalogue entry kept in the order of its source file."""

    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        abstract = True


class OptionalPeriod(models.Model):
    """A plan period in fiscal years (開始年度～終了年度) that may be unknown."""

    start_fy = models.PositiveSmallIntegerField(
        _("開始年度"), null=True, blank=True, validators=FY_VALIDATORS
    )
    end_fy = models.PositiveSmallIntegerField(
        _("終了年度"), null=True, blank=True, validators=FY_VALIDATORS
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        _check_period(self.start_fy, self.end_fy)


# --- catalogue -----------------------------------------------------------------------------


class CatalogueVersion(VersionedModel):
    code = models.CharField(
        _("版のコード"),
        max_length=40,
        unique=True,
        help_text=_("例: 2018（平成30年の基本計画）、2023、tsurugashima-2025"),
    )
    title = models.CharField(_("名称"), max_length=200)
    basic_plan_date = models.DateField(_("閣議決定日・策定日"), null=True, blank=True)
    source = models.CharField(_("出典"), max_length=300, blank=True)
    is_builtin = models.BooleanField(_("同梱の一覧"), default=False)
    is_complete = models.BooleanField(
        _("全項目を収録"),
        default=True,
        help_text=_("一部の事態しか収録していないときは外します。"),
    )
    note = models.TextField(_("備考"), blank=True)

    class Meta:
        verbose_name = _("国土強靱化の目標・事態の一覧")
        verbose_name_plural = _("国土強靱化の目標・事態の一覧")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class ResilienceGoal(CatalogueEntry):
    version = models.ForeignKey(
        CatalogueVersion, verbose_name=_("版"), on_delete=models.CASCADE, related_name="goals"
    )
    number = models.PositiveSmallIntegerField(_("番号"))
    text = models.TextField(_("事前に備えるべき目標"))

    class Meta:
        verbose_name = _("事前に備えるべき目標")
        verbose_name_plural = _("事前に備えるべき目標")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="uniq_resilience_goal")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.text}"


class RiskScenario(OrderedCatalogueEntry):
    version = models.ForeignKey(
        CatalogueVersion, verbose_name=_("版"), on_delete=models.CASCADE, related_name="scenarios"
    )
    goal = models.ForeignKey(
        ResilienceGoal, verbose_name=_("目標"), on_delete=models.CASCADE, related_name="scenarios"
    )
    code = models.CharField(_("番号"), max_length=10)
    text = models.TextField(_("起きてはならない最悪の事態"))

    class Meta:
        verbose_name = _("起きてはならない最悪の事態")
        verbose_name_plural = _("起きてはならない最悪の事態")
        ordering = ["version", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="uniq_risk_scenario")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class PolicyField(OrderedCatalogueEntry):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("個別施策分野")
        CROSS_CUTTING = "cross_cutting", _("横断的分野")

    version = models.ForeignKey(
        CatalogueVersion,
        verbose_name=_("版"),
        on_delete=models.CASCADE,
        related_name="policy_fields",
    )
    code = models.CharField(_("番号"), max_length=20)
    name = models.CharField(_("施策分野"), max_length=200)
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("施策分野")
        verbose_name_plural = _("施策分野")
        ordering = ["version", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="uniq_policy_field")
        ]

    def __str__(self) -> str:
        return self.name


# --- the city's regional plan -----------------------------------------------------------------


class RegionalPlan(VersionedModel):
    edition = models.OneToOneField(
        Edition,
        verbose_name=_("基本計画"),
        on_delete=models.CASCADE,
        related_name="resilience_plan",
    )
    title = models.CharField(_("計画名"), max_length=200)
    catalogue = models.ForeignKey(
        CatalogueVersion,
        verbose_name=_("準拠する国の基本計画（目標・事態の一覧）"),
        on_delete=models.PROTECT,
        related_name="regional_plans",
    )
    start_fy = models.PositiveSmallIntegerField(_("開始年度"), validators=FY_VALIDATORS)
    end_fy = models.PositiveSmallIntegerField(_("終了年度"), validators=FY_VALIDATORS)
    description = models.TextField(_("概要"), blank=True)
    bbox_min_lon = models.FloatField(_("市域の西端（経度）"), null=True, blank=True)
    bbox_min_lat = models.FloatField(_("市域の南端（緯度）"), null=True, blank=True)
    bbox_max_lon = models.FloatField(_("市域の東端（経度）"), null=True, blank=True)
    bbox_max_lat = models.FloatField(_("市域の北端（緯度）"), null=True, blank=True)

    class Meta:
        verbose_name = _("国土強靱化地域計画")
        verbose_name_plural = _("国土強靱化地域計画")
        ordering = ["-start_fy"]

    def __str__(self) -> str:
        return self.title

    def _bbox_sides(self) -> list[float | None]:
        return [self.bbox_min_lon, self.bbox_min_lat, self.bbox_max_lon, self.bbox_max_lat]

    def city_bounds(self) -> BoundingBox | None:
        """The city's bounding box, or None unless all four sides are entered."""
        sides = self._bbox_sides()
        if any(v is None for v in sides):
            return None
        return BoundingBox(*[float(v) for v in sides if v is not None])

    def clean(self) -> None:
        _check_period(self.start_fy, self.end_fy)
        bounds = self.city_bounds()
        if bounds is None:
            if any(v is not None for v in self._bbox_sides()):
                raise ValidationError(
                    _("市域の範囲は、東西南北の4つとも入力するか、4つとも空にしてください。")
                )
            return
        message = bbox_error(bounds)
        if message:
            raise ValidationError(message)


class RegionalScenario(VersionedModel):
    """A risk scenario the city chose, with its vulnerability assessment (脆弱性評価)."""

    regional_plan = models.ForeignKey(
        RegionalPlan,
        verbose_name=_("地域計画"),
        on_delete=models.CASCADE,
        related_name="scenarios",
    )
    scenario = models.ForeignKey(
        RiskScenario,
        verbose_name=_("起きてはならない最悪の事態"),
        on_delete=models.PROTECT,
        related_name="regional_uses",
    )
    priority = models.BooleanField(_("重点化"), default=False)
    vulnerability_assessment = models.TextField(_("脆弱性評価の結果"), blank=True)
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("地域計画のリスクシナリオ")
        verbose_name_plural = _("地域計画のリスクシナリオ")
        ordering = ["regional_plan", "order", "scenario__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["regional_plan", "scenario"], name="uniq_regional_scenario"
            )
        ]

    def __str__(self) -> str:
        return str(self.scenario)

    def clean(self) -> None:
        if (
            self.regional_plan_id
            and self.scenario_id
            and self.scenario.version_id != self.regional_plan.catalogue_id
        ):
            raise ValidationError(
                {
                    "scenario": _(
                        "この事態は、地域計画が準拠する一覧（%(version)s）のものではありません。"
                    )
                    % {"version": self.regional_plan.catalogue}
                }
            )


class ScenarioKpi(VersionedModel):
    regional_scenario = models.ForeignKey(
        RegionalScenario,
        verbose_name=_("リスクシナリオ"),
        on_delete=models.CASCADE,
        related_name="kpis",
    )
    name = models.CharField(_("指標名"), max_length=200)
    unit = models.CharField(_("単位"), max_length=30, blank=True)
    baseline_value = models.FloatField(_("現状値"), null=True, blank=True)
    baseline_fy = models.PositiveSmallIntegerField(
        _("現状値の年度"), null=True, blank=True, validators=FY_VALIDATORS
    )
    target_value = models.FloatField(_("目標値"), null=True, blank=True)
    target_fy = models.PositiveSmallIntegerField(
        _("目標年度"), null=True, blank=True, validators=FY_VALIDATORS
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("総合計画の成果指標"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resilience_kpis",
    )
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("リスクシナリオの重要業績指標")
        verbose_name_plural = _("リスクシナリオの重要業績指標")
        ordering = ["regional_scenario", "order", "id"]

    def __str__(self) -> str:
        return self.name


# --- the action plan ---------------------------------------------------------------------------


class ActionPlan(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("作成中")
        ADOPTED = "adopted", _("決定")

    regional_plan = models.ForeignKey(
        RegionalPlan,
        verbose_name=_("地域計画"),
        on_delete=models.CASCADE,
        related_name="action_plans",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), validators=FY_VALIDATORS)
    title = models.CharField(_("名称"), max_length=200)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("前年度の版"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
    )
    note = models.TextField(_("備考"), blank=True)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("アクションプラン")
        verbose_name_plural = _("アクションプラン")
        ordering = ["-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["regional_plan", "fiscal_year"], name="uniq_action_plan_fy"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActionPlanEntry(VersionedModel):
    class Implementer(models.TextChoices):
        CITY = "city", _("市")
        PREFECTURE = "prefecture", _("県")
        STATE = "state", _("国")
        PRIVATE = "private", _("民間")
        OTHER = "other", _("その他")

    action_plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("アクションプラン"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("事務事業"),
        on_delete=models.CASCADE,
        related_name="resilience_entries",
    )
    scenarios = models.ManyToManyField(
        RegionalScenario, verbose_name=_("リスクシナリオ"), blank=True, related_name="entries"
    )
    policy_fields = models.ManyToManyField(
        PolicyField, verbose_name=_("施策分野"), blank=True, related_name="entries"
    )
    summary = models.TextField(_("事業概要"), blank=True)
    implementer = models.CharField(
        _("実施主体"), max_length=12, choices=Implementer.choices, default=Implementer.CITY
    )
    start_fy = models.PositiveSmallIntegerField(
        _("事業開始年度"), null=True, blank=True, validators=FY_VALIDATORS
    )
    end_fy = models.PositiveSmallIntegerField(
        _("事業終了年度"), null=True, blank=True, validators=FY_VALIDATORS
    )
    total_cost = models.BigIntegerField(_("総事業費（千円）"), null=True, blank=True)
    grant = models.CharField(_("活用する交付金・補助金"), max_length=200, blank=True)
    bond = models.CharField(_("活用する地方債"), max_length=200, blank=True)
    kpi = models.TextField(_("重要業績指標（KPI）"), blank=True)
    notes = models.TextField(_("備考"), blank=True)

    class Meta:
        verbose_name = _("アクションプランの事業")
        verbose_name_plural = _("アクションプランの事業")
        ordering = ["action_plan", "programme__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_plan", "programme"], name="uniq_action_plan_programme"
            )
        ]

    def __str__(self) -> str:
        return str(self.programme)

    def clean(self) -> None:
        _check_period(self.start_fy, self.end_fy)
        if (
            self.action_plan_id
            and self.programme_id
            and self.programme.edition_id != self.action_plan.regional_plan.edition_id
        ):
            raise ValidationError(
                {"programme": _("この事務事業は、地域計画と同じ基本計画の事業ではありません。")}
            )
        if self.total_cost is not None and self.total_cost < 0:
            raise ValidationError({"total_cost": _("総事業費は 0 以上にしてください。")})


class EntryCost(models.Model):
    entry = models.ForeignKey(
        ActionPlanEntry, verbose_name=_("事業"), on_delete=models.CASCADE, related_name="costs"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), validators=FY_VALIDATORS)
    amount = models.BigIntegerField(_("事業費（千円）"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度別事業費")
        verbose_name_plural = _("年度別事業費")
        ordering = ["entry", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "fiscal_year"], name="uniq_entry_cost_fy")
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.amount}"


class Site(VersionedModel):
    """事業実施箇所: a point (latitude/longitude) or a GeoJSON geometry (line, area)."""

    entry = models.ForeignKey(
        ActionPlanEntry, verbose_name=_("事業"), on_delete=models.CASCADE, related_name="sites"
    )
    name = models.CharField(_("箇所名"), max_length=200)
    district = models.CharField(_("地区"), max_length=100, blank=True)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    lat = models.FloatField(_("緯度"), null=True, blank=True)
    lon = models.FloatField(_("経度"), null=True, blank=True)
    geometry = models.JSONField(
        _("GeoJSON ジオメトリ"),
        null=True,
        blank=True,
        help_text=_(
            "道路・河川などの線や区域は GeoJSON で入力します（座標は [経度, 緯度] の順）。"
        ),
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("事業実施箇所")
        verbose_name_plural = _("事業実施箇所")
        ordering = ["entry", "order", "id"]

    def __str__(self) -> str:
        return self.name

    def city_bounds(self) -> BoundingBox | None:
        return self.entry.action_plan.regional_plan.city_bounds()

    def clean(self) -> None:
        city = self.city_bounds() if self.entry_id else None
        if self.geometry is not None and (self.lat is not None or self.lon is not None):
            raise ValidationError(
                _("位置は、緯度・経度か GeoJSON のどちらか一方で入力してください。")
            )
        if self.geometry is not None:
            try:
                self.geometry = parse_geometry(self.geometry, city=city)  # type: ignore[arg-type]
            except SiteError as exc:
                raise ValidationError({"geometry": list(exc.problems)}) from None
            if self.geometry["type"] == "Point":
                self.lon, self.lat = self.geometry["coordinates"][:2]
                self.geometry = None
            return
        problems = point_problems(lat=self.lat, lon=self.lon, city=city)  # type: ignore[arg-type]
        if problems:
            raise ValidationError({"lat": problems})


# --- national revitalisation frameworks ----------------------------------------------------------


class Framework(OptionalPeriod):
    code = models.CharField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    adopted_on = models.DateField(_("決定日"), null=True, blank=True)
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("国の地方創生の枠組み")
        verbose_name_plural = _("国の地方創生の枠組み")
        ordering = ["order", "adopted_on", "code"]

    def __str__(self) -> str:
        return self.name


class FrameworkPillar(OrderedCatalogueEntry):
    framework = models.ForeignKey(
        Framework, verbose_name=_("枠組み"), on_delete=models.CASCADE, related_name="pillars"
    )
    code = models.CharField(_("番号"), max_length=20)
    title = models.CharField(_("柱・目標"), max_length=300)

    class Meta:
        verbose_name = _("枠組みの柱・目標")
        verbose_name_plural = _("枠組みの柱・目標")
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="uniq_framework_pillar")
        ]

    def __str__(self) -> str:
        return f"{self.framework.name} {self.code} {self.title}"


class FrameworkTag(VersionedModel):
    """A priority strategy (重点戦略) or one of its KPIs, tagged to a framework pillar."""

    pillar = models.ForeignKey(
        FrameworkPillar, verbose_name=_("柱・目標"), on_delete=models.PROTECT, related_name="tags"
    )
    strategy = models.ForeignKey(
        PriorityStrategy,
        verbose_name=_("重点戦略"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="framework_tags",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("成果指標"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="framework_tags",
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("地方創生の枠組みとの対応")
        verbose_name_plural = _("地方創生の枠組みとの対応")
        ordering = ["pillar", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(strategy__isnull=False, indicator__isnull=True)
                    | models.Q(strategy__isnull=True, indicator__isnull=False)
                ),
                name="framework_tag_one_target",
            ),
            models.UniqueConstraint(
                fields=["pillar", "strategy"], name="uniq_framework_tag_strategy"
            ),
            models.UniqueConstraint(
                fields=["pillar", "indicator"], name="uniq_framework_tag_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.strategy or self.indicator} → {self.pillar}"

    def clean(self) -> None:
        if (self.strategy_id is None) == (self.indicator_id is None):
            raise ValidationError(_("重点戦略か成果指標のどちらか一方を選んでください。"))


# --- sectoral plans -------------------------------------------------------------------------


class SectoralPlan(OptionalPeriod, VersionedModel):
    class Status(models.TextChoices):
        CURRENT = "current", _("現行")
        DRAFTING = "drafting", _("策定中")
        REVISION_PLANNED = "revision_planned", _("改定予定")

    name = models.CharField(_("計画名"), max_length=200)
    series = models.CharField(
        _("計画の系列"),
        max_length=100,
        blank=True,
        help_text=_(
            "第2期・第3期のように続く計画に同じ名前を付けると、期間の重なりや空白を確かめます"
            "（例: 障害福祉計画）。"
        ),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("担当課"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sectoral_plans",
    )
    legal_basis = models.CharField(_("根拠法令等"), max_length=200, blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.CURRENT
    )
    url = models.URLField(_("掲載ページの URL"), blank=True)
    measures = models.ManyToManyField(
        Measure, verbose_name=_("関連する施策"), blank=True, related_name="sectoral_plans"
    )
    note = models.TextField(_("備考"), blank=True)

    class Meta:
        verbose_name = _("個別計画")
        verbose_name_plural = _("個別計画")
        ordering = ["name", "start_fy"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.url and not self.url.startswith(("https://", "http://")):
            raise ValidationError({"url": _("URL は https:// で始めてください。")})


# --- publication ---------------------------------------------------------------------------


class ResiliencePublication(models.Model):
    """A published snapshot: kind "action_plan" (key "current") or "sectoral_plans" (key "all")."""

    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=40)
    data = models.JSONField()
    published_at = models.DateTimeField()
    published_by = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("公開中の内容（国土強靱化・個別計画）")
        verbose_name_plural = _("公開中の内容（国土強靱化・個別計画）")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="uniq_resilience_publication")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"
