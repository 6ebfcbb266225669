"""``keikaku load-demo-workflow``: the demo city's formulation organisation and schedule."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keikaku.workflow.demo import SCENARIOS, DemoWorkflowRefused, demo_workflow_load


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # translated when shown
        return _(
            "デモ用の自治体（鶴ヶ島市）に、後期基本計画の策定体制（策定本部、5つの専門部会、"
            "部会長会議、事務局、経営会議、コンサルタント）と、策定方針§5の策定スケジュール"
            "（令和5年度～令和6年度）を読み込みます。先に keikaku load-demo を実行してください。"
            "職員の氏名と細かな日付・審議の経過はデモ用の架空データです。何度実行しても、"
            "既にあるデータは変更しません。"
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--scenario",
            choices=SCENARIOS,
            default="history",
            help=_(
                "history（既定）: 実際の経過どおり策定を終えた状態（すべて議決済、作業は完了）。"
                "training: 研修用に、策定の途中（施策ごとに作成中～素案）の状態で読み込みます。"
                "策定が既に読み込まれているときは状態を変えません。"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = demo_workflow_load(scenario=options["scenario"])
        except DemoWorkflowRefused as exc:
            raise CommandError(str(exc)) from exc
        if result.total_created:
            self.stdout.write(
                _("策定体制とスケジュールを読み込みました（%(n)s 件を作成）。")
                % {"n": result.total_created}
            )
        else:
            self.stdout.write(_("策定体制とスケジュールは読み込み済みです。何も変更していません。"))
        if result.formulation_created:
            self.stdout.write(
                _("シナリオ: %(s)s。デモ職員のパスワードは keikaku load-demo と同じです。")
                % {"s": options["scenario"]}
            )
