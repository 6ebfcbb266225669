"""``keikaku load-demo-population``: the illustrative Tsurugashima population vision.

Loads keikaku/demography/data/ (census 2015 and 2020 — only their totals are real —, the
illustrative rates and child–woman ratios), creates the three scenarios (IPSS-consistent,
fertility rising, migration balanced), runs them to 2070 and publishes an outlook that
follows the fertility-rising scenario. Idempotent: what already exists is kept as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from keikaku.demography import selectors, services
from keikaku.demography.domain.fertility import fertility_scale_from_tfr
from keikaku.demography.models import (
    AssumptionSet,
    CensusDataset,
    ProjectionRun,
    Scenario,
)

DATA = Path(__file__).resolve().parents[2] / "data"
ACTOR = "load-demo-population"
CODE = "112411"
NAME = "鶴ヶ島市"
CENSUS_SOURCE = "国勢調査の総数（%(total)s人）。男女・年齢別の内訳はデモ用の架空データ"
ASSUMPTIONS = "デモ用の仮定値（社人研の方法）"
RUN_NAME = "デモ推計（2020年基準）"
BASE_YEAR = 2020
UNTIL = 2070
# The current TFR is unknown here [U]: 1.2 is an illustrative value (CWR ∝ TFR).
DEMO_CURRENT_TFR = 1.2
TFR_PATH = ((BASE_YEAR, DEMO_CURRENT_TFR), (2030, 1.8), (2040, 2.07))


def scenario_specs() -> list[dict[str, Any]]:
    scale = fertility_scale_from_tfr(
        base_tfr=TFR_PATH[0][1], base_year=TFR_PATH[0][0], targets=TFR_PATH[1:]
    )
    return [
        {
            "name": "社人研準拠",
            "order": 1,
            "description": (
                "社人研の推計と同じ考え方です。今の出生と引っ越しの傾向が、このまま続く場合です。"
            ),
        },
        {
            "name": "出生率上昇",
            "order": 2,
            "description": (
                "合計特殊出生率が、2030年に1.8、2040年に2.07まで上がる場合です。"
                "生まれる子どもの数の目安を、同じ割合で増やしました。"
                "今の値1.2はデモ用の仮の値です。"
            ),
            "fertility_scale": [[y, v] for y, v in scale],
            "tfr_path": [[y, v] for y, v in TFR_PATH],
        },
        {
            "name": "移動均衡",
            "order": 3,
            "description": "2030年から、引っ越して来る人と出て行く人が同じ数になる場合です。",
            "zero_migration_from": 2030,
        },
    ]


def explanation(last_year: int, last_target: int) -> str:
    man = last_target // 10000
    sen = (last_target % 10000) // 1000
    rough = f"{man}万{sen}千人" if sen else f"{man}万人"
    return "\n".join(
        [
            "鶴ヶ島市の人口は、2015年がいちばん多い年でした。",
            "これから、人口は少しずつ減ります。",
            "市は、子どもを産み育てやすいまちをつくります。",
            "合計特殊出生率が、2040年に2.07になることを目指します。",
            "それでも、しばらくは人口が減ります。",
            f"{last_year}年に、約{rough}の人口を目指します。",
            "この数字は、デモ用の架空のデータから計算しました。",
        ]
    )


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # translated when shown, not at import
        return _(
            "デモ用の人口ビジョン（鶴ヶ島市、架空の年齢構成と仮定値）を読み込み、3 つのシナリオで"
            "推計して、人口の将来展望を公開します。何度実行しても同じ状態になります。"
        )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--data-dir",
            default=str(DATA),
            help=_("デモ用データのフォルダ（既定: keikaku/demography/data）。"),
        )

    def say(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = int(options.get("verbosity", 1))
        data_dir = Path(options["data_dir"])
        try:
            with transaction.atomic():
                self._load(data_dir)
        except services.PopulationError as exc:
            raise CommandError(exc.messages[0]) from None
        except FileNotFoundError as exc:
            raise CommandError(
                _("デモ用データ %(path)s が見つかりません。") % {"path": exc.filename}
            ) from None

    def _load(self, data_dir: Path) -> None:
        datasets = {}
        for year in (2015, BASE_YEAR):
            existing = CensusDataset.objects.filter(municipality_code=CODE, year=year).first()
            if existing is not None:
                datasets[year] = existing
                self.say(_("%(year)d年の基準人口はすでにあります。") % {"year": year})
                continue
            path = data_dir / f"tsurugashima_census_{year}.csv"
            table = services.read_census_file(data=path.read_bytes(), filename=path.name)
            datasets[year] = services.census_dataset_import(
                data=path.read_bytes(),
                filename=path.name,
                actor=ACTOR,
                municipality_code=CODE,
                municipality_name=NAME,
                source=CENSUS_SOURCE % {"total": f"{table.population.sum():,.0f}"},
                is_illustrative=True,
                notes="keikaku/demography/data/README.md",
            )
            self.say(_("%(year)d年の基準人口を読み込みました。") % {"year": year})

        assumptions = AssumptionSet.objects.filter(name=ASSUMPTIONS).first()
        if assumptions is None:
            rates = data_dir / "tsurugashima_rates.csv"
            births = data_dir / "tsurugashima_births.csv"
            assumptions = services.assumption_set_import(
                rates_data=rates.read_bytes(),
                rates_filename=rates.name,
                births_data=births.read_bytes(),
                births_filename=births.name,
                actor=ACTOR,
                name=ASSUMPTIONS,
                source="デモ用の架空データ（keikaku/demography/data/README.md）",
                notes=(
                    "生残率は架空の生命表から、純移動率は2015年と2020年の人口から残差法で求めました。"
                    "子ども女性比は2020年の値を少しずつ下げています。"
                ),
                is_illustrative=True,
            )
            self.say(_("仮定値を読み込みました。"))
        else:
            self.say(_("仮定値はすでにあります。"))

        scenarios = []
        for spec in scenario_specs():
            scenario = Scenario.objects.filter(name=spec["name"]).first()
            if scenario is None:
                scenario = services.scenario_create(actor=ACTOR, **spec)
                self.say(_("シナリオ「%(name)s」を作りました。") % {"name": scenario.name})
            scenarios.append(scenario)

        run = ProjectionRun.objects.filter(name=RUN_NAME).first()
        if run is None:
            run = services.projection_run_create(
                base_dataset=datasets[BASE_YEAR],
                assumption_set=assumptions,
                scenarios=scenarios,
                until=UNTIL,
                actor=ACTOR,
                name=RUN_NAME,
            )
            self.say(_("推計しました（%(run)s）。") % {"run": run})
        else:
            self.say(_("デモ推計はすでにあります。"))

        outlook = selectors.outlook_get()
        if outlook is not None:
            self.say(_("人口の将来展望はすでにあります（変更していません）。"))
            return
        followed = run.results.get(name="出生率上昇")
        targets = services.targets_from_result(followed)
        last_year, last_target = targets[-1]
        outlook = services.outlook_save(
            outlook=None,
            actor=ACTOR,
            expected_version=None,
            changes={
                "title": "人口の将来展望",
                "result": followed,
                "targets": targets,
                "explanation": explanation(last_year, last_target),
            },
        )
        services.outlook_publish(outlook=outlook, actor=ACTOR)
        self.say(_("人口の将来展望を公開しました（/population/）。"))
