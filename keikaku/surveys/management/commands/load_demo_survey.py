"""keikaku load-demo-survey: an illustrative citizen survey on the demo city's latter plan.

Creates (once; running it again changes nothing):

- 「令和5年度 市民意識調査（デモ）」: FY2023, the standard questionnaire with one
  satisfaction-and-importance question per measure of the latter basic plan, the district
  question built from keikaku/surveys/data/tsurugashima_districts.csv, and a few hundred
  synthetic responses (seeded, so every run gives the same answers), answering closed, the
  summary published, survey-based indicators linked and their FY2023 value written;
- 「令和7年度 市民意識調査（デモ・回答受付中）」: copied from it, open for answers, with
  20 access codes to try the web answering.

Everything is marked as illustrative (架空のデモデータ) on every page and report.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from keikaku.plans.models import Edition, Indicator
from keikaku.surveys import selectors, services
from keikaku.surveys.domain.synthetic import synthetic_rows
from keikaku.surveys.models import IndicatorSource, SurveyResponse, SurveyWave

ACTOR = "load-demo-survey"
TITLE_2023 = "令和5年度 市民意識調査（デモ）"
TITLE_2025 = "令和7年度 市民意識調査（デモ・回答受付中）"
WEIGHTS = {
    "gender": [0.46, 0.52, 0.02],
    "age_band": [0.10, 0.12, 0.16, 0.16, 0.17, 0.18, 0.11],
    "district": [0.20, 0.22, 0.22, 0.18, 0.18],
    "years_of_residence": [0.12, 0.12, 0.21, 0.55],
    "occupation": [0.33, 0.07, 0.17, 0.03, 0.14, 0.22, 0.04],
    "intention_to_stay": [0.42, 0.33, 0.10, 0.05, 0.10],
}


def demo_edition(edition_id: int | None = None) -> Edition:
    if edition_id is not None:
        edition = Edition.objects.filter(pk=edition_id).first()
        if edition is None:
            raise CommandError(_("基本計画（ID %(id)d）が見つかりません。") % {"id": edition_id})
        return edition
    edition = (
        Edition.objects.filter(plan__municipality__is_demo=True, kind=Edition.Kind.LATTER)
        .order_by("-start_fy")
        .first()
    )
    if edition is None:
        raise CommandError(
            _(
                "デモの自治体の後期基本計画がありません。先に keikaku load-demo を実行するか、--edition で基本計画のIDを指定してください。"
            )
        )
    return edition


class Command(BaseCommand):
    help = _(
        "デモ用の市民意識調査（令和5年度、架空の回答数百件）を、デモの自治体の後期基本計画に作ります。"
        "2回目以降は何も変えません。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--edition",
            type=int,
            metavar="ID",
            help=_("調査を作る基本計画のID（省略時はデモの自治体の後期基本計画）。"),
        )
        parser.add_argument(
            "--responses",
            type=int,
            default=900,
            metavar="N",
            help=_("架空の回答の数（既定 900）。"),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=2023,
            help=_("乱数の種（既定 2023）。同じ種なら同じ回答になります。"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["responses"] < 1:
            raise CommandError(_("--responses は1以上にしてください。"))
        edition = demo_edition(options["edition"])
        existing = SurveyWave.objects.filter(
            edition=edition, fiscal_year=2023, title=TITLE_2023
        ).first()
        if existing is not None:
            self.stdout.write(
                _("デモの調査はもうあります（%(title)s、回答 %(n)d人）。何も変えていません。")
                % {"title": existing.title, "n": existing.responses.count()}
            )
            return
        with transaction.atomic():
            wave = self._wave_2023(edition, options["responses"], options["seed"])
            self._wave_2025(edition, wave)
        self.stdout.write(
            _("デモの調査を作りました: %(title)s（回答 %(n)d人、架空のデータ）。")
            % {"title": wave.title, "n": wave.responses.count()}
        )

    def _wave_2023(self, edition: Edition, n: int, seed: int) -> SurveyWave:
        wave = services.wave_create(
            actor=ACTOR,
            edition=edition,
            fiscal_year=2023,
            title=TITLE_2023,
            population=59500,
            sample_size=3000,
            method=SurveyWave.Method.MAIL_WEB,
            opens_on=dt.date(2023, 7, 10),
            closes_on=dt.date(2023, 7, 31),
            intro=(
                "市民の皆さまに、まちの住みよさや市の施策への満足度・重要度をうかがう調査です。"
                "（デモ用の架空の調査です。）"
            ),
            summary_public=True,
            is_illustrative=True,
        )
        services.wave_populate_default(wave=wave, actor=ACTOR)
        services.wave_update(
            wave=wave, actor=ACTOR, expected_version=wave.version, changes={"status": "open"}
        )
        spec = selectors.wave_spec(wave)
        rows = synthetic_rows(spec, n, seed=seed, weights=WEIGHTS)
        web_share = 0.35
        SurveyResponse.objects.bulk_create(
            [
                SurveyResponse(
                    wave=wave,
                    respondent_id=("W" if i < int(n * web_share) else "P") + rid[1:],
                    channel=SurveyResponse.Channel.WEB
                    if i < int(n * web_share)
                    else SurveyResponse.Channel.PAPER_IMPORT,
                    answers=cells,
                )
                for i, (rid, cells) in enumerate(rows)
            ],
            batch_size=500,
        )
        self._link_indicators(edition)
        wave.refresh_from_db()
        services.wave_set_status(wave=wave, actor=ACTOR, status=SurveyWave.Status.CLOSED)
        return wave

    def _link_indicators(self, edition: Edition) -> None:
        indicators = Indicator.objects.filter(
            survey_based=True, measure__area__edition=edition
        ).select_related("measure")
        for indicator in indicators:
            if IndicatorSource.objects.filter(indicator=indicator).exists():
                continue
            services.indicator_source_save(
                indicator=indicator,
                actor=ACTOR,
                metric=IndicatorSource.Metric.SATISFACTION_TOP2,
                measure=indicator.measure,
            )

    def _wave_2025(self, edition: Edition, source: SurveyWave) -> None:
        if SurveyWave.objects.filter(edition=edition, fiscal_year=2025, title=TITLE_2025).exists():
            return
        wave = services.wave_copy(
            source=source, actor=ACTOR, fiscal_year=2025, title=TITLE_2025, edition=edition
        )
        services.wave_update(
            wave=wave,
            actor=ACTOR,
            expected_version=wave.version,
            changes={
                "opens_on": None,
                "closes_on": None,
                "is_illustrative": True,
                "summary_public": False,
            },
        )
        wave.refresh_from_db()
        services.wave_set_status(wave=wave, actor=ACTOR, status=SurveyWave.Status.OPEN)
        services.access_codes_generate(wave=wave, actor=ACTOR, count=20)
