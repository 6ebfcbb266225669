"""``keikaku project-population``: cohort-component projection from three CSV files.

Format of the files: docs/formats/population.md.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keikaku.demography.domain.projection import Convention, ProjectionError, project
from keikaku.demography.domain.scenarios import (
    Scenario,
    ScenarioError,
    apply_scenario,
    parse_fertility_scale,
)
from keikaku.demography.domain.tables import (
    InputError,
    indicators_csv_bytes,
    load_projection_input,
    projection_csv_bytes,
)


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # translated when shown, not at import
        return _(
            "コーホート要因法（社人研の市区町村推計の方法）で将来人口を 5 年刻みで推計し、"
            "年・性別・年齢区分ごとの人口を CSV（UTF-8 BOM 付き）に書き出します。"
            "入力の形式は docs/formats/population.md を見てください。"
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--base",
            required=True,
            metavar="BASE.csv",
            help=_("基準人口: year,sex,age_group,population（1 つの年、男女×全年齢区分）。"),
        )
        parser.add_argument(
            "--rates",
            required=True,
            metavar="RATES.csv",
            help=_(
                "生残率・純移動率: period_start,sex,age_group,survival_rate,net_migration_rate。"
                "ファイルにない期間は、それより前で最も新しい期間の値を使います。"
            ),
        )
        parser.add_argument(
            "--births",
            required=True,
            metavar="BIRTHS.csv",
            help=_(
                "子ども女性比と出生性比: year,child_woman_ratio,sex_ratio_at_birth。"
                "ファイルにない年は、それより前で最も新しい年の値を使います。"
            ),
        )
        parser.add_argument(
            "--until",
            required=True,
            type=int,
            metavar="YEAR",
            help=_("推計の最終年（基準年から 5 年刻み。例: 2070）。"),
        )
        parser.add_argument(
            "--output",
            required=True,
            metavar="OUT.csv",
            help=_("出力: year,sex,age_group,population。"),
        )
        parser.add_argument(
            "--convention",
            choices=[c.value for c in Convention],
            default=Convention.IPSS.value,
            help=_(
                "生残率 S と純移動率 M の組合せ方: ipss = S + M（社人研のワークシート、既定）、"
                "multiplicative = S × (1 + M)。"
            ),
        )
        parser.add_argument(
            "--fertility-scale",
            metavar="YEAR:FACTOR,…",
            help=_(
                "子ども女性比の倍率（例: 2030:1.2,2040:1.4）。年の間は直線で補間し、最後の年より後は"
                "最後の倍率、最初の年より前は 1.0 です。"
            ),
        )
        parser.add_argument(
            "--zero-migration-from",
            type=int,
            metavar="YEAR",
            help=_("この年以降に始まる期間の純移動率を 0 にします（移動均衡）。"),
        )
        parser.add_argument(
            "--migration-scale",
            type=float,
            default=1.0,
            metavar="FACTOR",
            help=_("純移動率に掛ける倍率（例: 0.5 で半分、既定 1）。"),
        )
        parser.add_argument(
            "--indicators",
            metavar="INDICATORS.csv",
            help=_(
                "指標も書き出す先（任意）: 総人口、年齢 3 区分と 75 歳以上の人数・割合、従属人口指数、"
                "20〜39 歳女性人口。"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        convention = Convention(options["convention"])
        try:
            scenario = Scenario(
                name="command",
                fertility_scale=(
                    parse_fertility_scale(options["fertility_scale"])
                    if options["fertility_scale"] is not None
                    else ()
                ),
                zero_migration_from=options["zero_migration_from"],
                migration_scale=options["migration_scale"],
            )
        except ScenarioError as exc:
            raise CommandError(str(exc)) from None
        data = {key: self._read(options[key]) for key in ("base", "rates", "births")}
        try:
            inp = load_projection_input(
                base=data["base"],
                rates=data["rates"],
                births=data["births"],
                base_source=options["base"],
                rates_source=options["rates"],
                births_source=options["births"],
                until=options["until"],
                convention=convention,
                migration_scale=scenario.migration_scale,
            )
            result = project(apply_scenario(inp, scenario))
        except (InputError, ProjectionError) as exc:
            raise CommandError(self._summary(list(exc.messages))) from None
        self._write(options["output"], projection_csv_bytes(result))
        if options["indicators"]:
            self._write(options["indicators"], indicators_csv_bytes(result))
        indicators = result.indicators()
        self.stdout.write(
            _(
                "%(path)s に書き出しました（%(convention)s 方式、%(first)d年〜%(last)d年、%(scenario)s）。"
            )
            % {
                "path": options["output"],
                "convention": convention.value,
                "first": result.years[0],
                "last": result.years[-1],
                "scenario": scenario.describe(),
            }
        )
        self.stdout.write(_("年\t総人口\t0〜14歳の割合\t65歳以上の割合"))
        for t, year in enumerate(result.years):
            self.stdout.write(
                f"{year}\t{indicators.total[t]:,.0f}\t"
                f"{100 * indicators.share_0_14[t]:.1f}%\t{100 * indicators.share_65_plus[t]:.1f}%"
            )

    def _summary(self, messages: list[str]) -> str:
        """Every message on stderr; one line for the CommandError itself."""
        if len(messages) == 1:
            return messages[0]
        for message in messages:
            self.stderr.write(message)
        return _("入力に %(count)d 件の誤りがあります（一覧は上に表示）。最初の誤り: %(first)s") % {
            "count": len(messages),
            "first": messages[0],
        }

    def _read(self, path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except FileNotFoundError:
            raise CommandError(
                _("%(path)s が見つかりません。ファイルの場所と名前を確かめてください。")
                % {"path": path}
            ) from None
        except OSError as exc:
            raise CommandError(
                _("%(path)s を読めません（%(error)s）。") % {"path": path, "error": exc.strerror}
            ) from None

    def _write(self, path: str, content: bytes) -> None:
        try:
            Path(path).write_bytes(content)
        except OSError as exc:
            raise CommandError(
                _("%(path)s に書き出せません（%(error)s）。書き込める場所を指定してください。")
                % {"path": path, "error": exc.strerror}
            ) from None
