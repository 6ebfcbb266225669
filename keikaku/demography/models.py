"""Population vision (人口ビジョン): census data, assumptions, scenarios, runs and the outlook.

* :class:`CensusDataset` + :class:`CensusCell` — a base population (国勢調査など) by sex and
  five-year age group, with its source;
* :class:`AssumptionSet` + :class:`AssumptionRate` + :class:`BirthAssumption` — survival and
  net migration rates by period, sex and age group; child–woman ratio and sex ratio by year;
* :class:`Scenario` — fertility scaling, migration scaling, zero migration from a year;
* :class:`ProjectionRun` + :class:`ScenarioResult` — a projection with a JSON snapshot of its
  inputs (and the engine version) and one stored output per scenario;
* :class:`PopulationOutlook` — the city's chosen outlook (人口の将来展望): target population
  per year, the scenario it follows, a plain-Japanese explanation; publishing copies it into
  ``published`` (the public site reads only that copy).

Writes go through :mod:`keikaku.demography.services` (audited).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keikaku.core.models import VersionedModel
from keikaku.demography.domain.agegroups import MAX_TOP_AGE, MIN_TOP_AGE, AgeGroups
from keikaku.demography.domain.projection import Convention
from keikaku.demography.domain.scenarios import Scenario as DomainScenario
from keikaku.demography.domain.scenarios import ScenarioError

YEAR_VALIDATORS = [MinValueValidator(1900), MaxValueValidator(2200)]
TOP_AGE_VALIDATORS = [MinValueValidator(MIN_TOP_AGE), MaxValueValidator(MAX_TOP_AGE)]


class Sex(models.TextChoices):
    MALE = "male", _("男性")
    FEMALE = "female", _("女性")


class ConventionChoice(models.TextChoices):
    IPSS = Convention.IPSS.value, _("ipss（S + M、社人研のワークシート）")
    MULTIPLICATIVE = Convention.MULTIPLICATIVE.value, _("multiplicative（S × (1 + M)）")


def _validate_top_age(value: int) -> None:
    if value % 5 != 0:
        raise ValidationError(_("最上位の年齢区分は 5 の倍数にしてください（例: 90）。"))


def _validate_code(value: str) -> None:
    if not (value.isdigit() and len(value) in (5, 6)):
        raise ValidationError(
            _("全国地方公共団体コードは 6 桁（検査数字付き）か 5 桁の数字で入れてください。")
        )


class CensusDataset(VersionedModel):
    """A base population: one year, both sexes, every five-year age group."""

    municipality_code = models.CharField(
        _("全国地方公共団体コード"), max_length=6, validators=[_validate_code]
    )
    municipality_name = models.CharField(_("団体名"), max_length=50)
    year = models.PositiveSmallIntegerField(_("年"), validators=YEAR_VALIDATORS)
    top_age = models.PositiveSmallIntegerField(
        _("最上位の年齢区分（〇歳以上）"),
        default=90,
        validators=[*TOP_AGE_VALIDATORS, _validate_top_age],
    )
    source = models.CharField(_("出典"), max_length=300)
    is_illustrative = models.BooleanField(
        _("デモ用の架空データ"),
        default=False,
        help_text=_("架空の数値であることを、推計結果と公開ページに表示します。"),
    )
    notes = models.TextField(_("備考"), blank=True)
    source_file = models.CharField(_("取り込んだファイル"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("基準人口")
        verbose_name_plural = _("基準人口")
        ordering = ["municipality_code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality_code", "year"], name="uniq_census_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.municipality_name}（{self.source}）"

    @property
    def age_groups(self) -> AgeGroups:
        return AgeGroups(self.top_age)


class CensusCell(models.Model):
    dataset = models.ForeignKey(
        CensusDataset, verbose_name=_("基準人口"), on_delete=models.CASCADE, related_name="cells"
    )
    sex = models.CharField(_("性別"), max_length=6, choices=Sex.choices)
    age_index = models.PositiveSmallIntegerField(_("年齢区分の番号"))
    age_group = models.CharField(_("年齢区分"), max_length=10)
    population = models.FloatField(_("人口"), validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("基準人口の値")
        verbose_name_plural = _("基準人口の値")
        ordering = ["dataset", "sex", "age_index"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "sex", "age_index"], name="uniq_census_cell")
        ]

    def __str__(self) -> str:
        return f"{self.dataset.year} {self.sex} {self.age_group} {self.population}"


class AssumptionSet(VersionedModel):
    """Projection assumptions: the IPSS municipal values, or the city's own."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    convention = models.CharField(
        _("生残率と純移動率の組合せ方"),
        max_length=20,
        choices=ConventionChoice.choices,
        default=ConventionChoice.IPSS,
        help_text=_("純移動率を求めたときと同じ方式を選びます。"),
    )
    top_age = models.PositiveSmallIntegerField(
        _("最上位の年齢区分（〇歳以上）"),
        default=90,
        validators=[*TOP_AGE_VALIDATORS, _validate_top_age],
    )
    source = models.CharField(_("出典"), max_length=300)
    notes = models.TextField(_("仮定の説明"), blank=True)
    is_illustrative = models.BooleanField(_("デモ用の架空データ"), default=False)
    rates_file = models.CharField(_("生残率・純移動率のファイル"), max_length=255, blank=True)
    births_file = models.CharField(
        _("子ども女性比・出生性比のファイル"), max_length=255, blank=True
    )

    class Meta:
        verbose_name = _("推計の仮定値")
        verbose_name_plural = _("推計の仮定値")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def age_groups(self) -> AgeGroups:
        return AgeGroups(self.top_age)


class AssumptionRate(models.Model):
    """Rates of the cohort aged ``age_group`` at ``period_start`` (top group: staying)."""

    assumption_set = models.ForeignKey(
        AssumptionSet, verbose_name=_("仮定値"), on_delete=models.CASCADE, related_name="rates"
    )
    period_start = models.PositiveSmallIntegerField(
        _("期間の始まりの年"), validators=YEAR_VALIDATORS
    )
    sex = models.CharField(_("性別"), max_length=6, choices=Sex.choices)
    age_index = models.PositiveSmallIntegerField(_("年齢区分の番号"))
    age_group = models.CharField(_("年齢区分"), max_length=10)
    survival_rate = models.FloatField(_("生残率"))
    net_migration_rate = models.FloatField(_("純移動率"))

    class Meta:
        verbose_name = _("生残率・純移動率")
        verbose_name_plural = _("生残率・純移動率")
        ordering = ["assumption_set", "period_start", "sex", "age_index"]
        constraints = [
            models.UniqueConstraint(
                fields=["assumption_set", "period_start", "sex", "age_index"],
                name="uniq_assumption_rate",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_start} {self.sex} {self.age_group}"


class BirthAssumption(models.Model):
    assumption_set = models.ForeignKey(
        AssumptionSet, verbose_name=_("仮定値"), on_delete=models.CASCADE, related_name="births"
    )
    year = models.PositiveSmallIntegerField(_("年"), validators=YEAR_VALIDATORS)
    child_woman_ratio = models.FloatField(_("子ども女性比"))
    sex_ratio_at_birth = models.FloatField(_("出生性比（女児100人あたりの男児数）"))

    class Meta:
        verbose_name = _("子ども女性比・出生性比")
        verbose_name_plural = _("子ども女性比・出生性比")
        ordering = ["assumption_set", "year"]
        constraints = [
            models.UniqueConstraint(fields=["assumption_set", "year"], name="uniq_birth_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.child_woman_ratio}"


class Scenario(VersionedModel):
    """A projection scenario (IPSS-consistent, fertility rising, migration balanced, …)."""

    name = models.CharField(
        _("名称"),
        max_length=20,
        unique=True,
        help_text=_("グラフに表示します。短くしてください（例: 出生率上昇）。"),
    )
    description = models.TextField(_("説明"), blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    fertility_scale = models.JSONField(
        _("子ども女性比の倍率"),
        default=list,
        blank=True,
        help_text=_("[[年, 倍率], …]。年の間は直線で補間します。"),
    )
    tfr_path = models.JSONField(
        _("合計特殊出生率の推移"),
        default=list,
        blank=True,
        help_text=_(
            "[[年, 合計特殊出生率], …]。最初の点が現在の値です。子ども女性比の倍率はこれから求めます。"
        ),
    )
    zero_migration_from = models.PositiveSmallIntegerField(
        _("純移動を 0 にする最初の年"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    migration_scale = models.FloatField(
        _("純移動率の倍率"), default=1.0, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("推計シナリオ")
        verbose_name_plural = _("推計シナリオ")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def to_domain(self) -> DomainScenario:
        return DomainScenario(
            name=self.name,
            fertility_scale=tuple((int(y), float(v)) for y, v in self.fertility_scale or ()),
            zero_migration_from=self.zero_migration_from,
            migration_scale=self.migration_scale,
        )

    def clean(self) -> None:
        try:
            self.to_domain()
        except (ScenarioError, TypeError, ValueError) as exc:
            raise ValidationError({"fertility_scale": str(exc)}) from exc


class ProjectionRun(models.Model):
    """One projection: the inputs as a JSON snapshot, the engine version, one result per scenario."""

    name = models.CharField(_("名称"), max_length=100, blank=True)
    municipality_code = models.CharField(_("全国地方公共団体コード"), max_length=6)
    municipality_name = models.CharField(_("団体名"), max_length=50)
    base_dataset = models.ForeignKey(
        CensusDataset,
        verbose_name=_("基準人口"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    assumption_set = models.ForeignKey(
        AssumptionSet,
        verbose_name=_("仮定値"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    base_year = models.PositiveSmallIntegerField(_("基準年"))
    until = models.PositiveSmallIntegerField(_("推計の最終年"))
    convention = models.CharField(_("方式"), max_length=20, choices=ConventionChoice.choices)
    top_age = models.PositiveSmallIntegerField(_("最上位の年齢区分（〇歳以上）"))
    is_illustrative = models.BooleanField(_("デモ用の架空データ"), default=False)
    engine_version = models.CharField(_("推計エンジンの版"), max_length=40)
    inputs = models.JSONField(_("入力（スナップショット）"))
    created_at = models.DateTimeField(_("実行日時"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("実行者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_name = models.CharField(_("実行者名"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("推計の実行")
        verbose_name_plural = _("推計の実行")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        label = self.name or _("推計")
        return f"{label}（{self.base_year}年→{self.until}年、No.{self.pk}）"

    @property
    def age_groups(self) -> AgeGroups:
        return AgeGroups(self.top_age)


class ScenarioResult(models.Model):
    """The projected population of one scenario of a run: ``population[year][sex][group]``."""

    run = models.ForeignKey(
        ProjectionRun,
        verbose_name=_("推計の実行"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    scenario = models.ForeignKey(
        Scenario,
        verbose_name=_("シナリオ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="results",
    )
    order = models.PositiveSmallIntegerField(_("順番"))
    name = models.CharField(_("シナリオ名"), max_length=20)
    description = models.TextField(_("シナリオの説明"), blank=True)
    summary = models.CharField(_("シナリオの設定"), max_length=300, blank=True)
    years = models.JSONField(_("年"))
    population = models.JSONField(_("人口"))

    class Meta:
        verbose_name = _("シナリオ別の推計結果")
        verbose_name_plural = _("シナリオ別の推計結果")
        ordering = ["run", "order"]
        constraints = [models.UniqueConstraint(fields=["run", "order"], name="uniq_result_order")]

    def __str__(self) -> str:
        return f"{self.run} — {self.name}"

    def totals(self) -> list[float]:
        return [sum(sum(row) for row in year) for year in self.population]


class PopulationOutlook(VersionedModel):
    """人口の将来展望: the city's target population and the scenario it follows."""

    title = models.CharField(_("表題"), max_length=100, default="人口の将来展望")
    result = models.ForeignKey(
        ScenarioResult,
        verbose_name=_("従うシナリオ（推計結果）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outlooks",
    )
    targets = models.JSONField(
        _("目標人口"), default=list, blank=True, help_text=_("[[年, 人口], …]")
    )
    explanation = models.TextField(
        _("説明（やさしい日本語）"),
        blank=True,
        help_text=_("短い文で、一つの文に一つのことを書きます。"),
    )
    is_published = models.BooleanField(_("公開中"), default=False, editable=False)
    published_at = models.DateTimeField(_("最終公開日時"), null=True, blank=True, editable=False)
    published = models.JSONField(_("公開している内容"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("人口の将来展望")
        verbose_name_plural = _("人口の将来展望")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.result_id is not None:
            result = self.result
            years = set(result.years[1:]) if result is not None else set()
            for item in self.targets or []:
                year = item[0]
                if year not in years:
                    errors["targets"] = _(
                        "目標の年 %(year)s年 は、選んだ推計の年（%(years)s）にありません。"
                    ) % {"year": year, "years": "、".join(str(y) for y in sorted(years))}
                    break
        if errors:
            raise ValidationError(errors)
