"""``keikaku load-demo-analysis``: an analysis of the demo city's opinions.

Analyses every opinion of the demo (the opinion store and the survey's free text) against
the demo city's latter basic plan, in this process (no worker needed). Idempotent: when a
finished demo analysis exists nothing is done; an unfinished or failed one is replaced.
Without opinions it says so and does nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from keikaku.analysis import services
from keikaku.analysis.models import AnalysisRun
from keikaku.plans.models import Edition

ACTOR = "load-demo-analysis"


def demo_edition(edition_id: int | None) -> Edition | None:
    if edition_id is not None:
        edition = Edition.objects.filter(pk=edition_id).first()
        if edition is None:
            raise CommandError(_("基本計画（ID %(id)d）が見つかりません。") % {"id": edition_id})
        return edition
    qs = Edition.objects.filter(plan__municipality__is_demo=True)
    return (
        qs.filter(kind=Edition.Kind.LATTER).order_by("-start_fy").first()
        or qs.order_by("-start_fy").first()
    )


class Command(BaseCommand):
    help = _(
        "デモの意見（受付箱・パブリックコメント・ヒアリング・市民意識調査の自由記述）を、デモの後期基本計画の施策に照らして分析します。"
        "何度実行しても分析は 1 つです。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--edition",
            type=int,
            help=_("照合する基本計画の ID（既定: デモの自治体の後期基本計画）。"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        edition = demo_edition(options.get("edition"))
        if edition is None:
            self.stdout.write(
                _(
                    "デモの基本計画がないので、分析しませんでした（先に keikaku load-demo を実行してください）。"
                )
            )
            return
        existing = AnalysisRun.objects.filter(is_demo=True, edition=edition)
        if existing.filter(status=AnalysisRun.Status.DONE).exists():
            self.stdout.write(_("デモの分析は作成済みです。"))
            return
        for stale in existing:
            services.run_delete(run=stale, actor=ACTOR)
        probe = AnalysisRun(edition=edition, source=AnalysisRun.Source.ALL)
        if not services.collect_inputs(probe):
            self.stdout.write(_("分析する意見がないので、分析しませんでした。"))
            return
        run = services.run_create(
            edition=edition,
            source=AnalysisRun.Source.ALL,
            actor=ACTOR,
            name=_("デモの意見の分析（説明用の例）"),
            is_demo=True,
            enqueue=False,
        )
        run = services.run_execute(run_id=run.pk) or run
        if run.status != AnalysisRun.Status.DONE:
            raise CommandError(
                _("デモの分析に失敗しました: %(message)s") % {"message": run.message}
            )
        self.stdout.write(
            _("デモの意見 %(n)d 件を分析しました（%(name)s）。")
            % {"n": (run.counts or {}).get("opinions", 0), "name": run.name}
        )
