"""Load the whole demo city: the plan, then each feature's demo data (all idempotent), then
refresh what the public site derives from it (search index, open-data dates, documents)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandParser

# Order matters: later loaders build on the plan and on each other.
DEMO_COMMANDS = (
    "load_demo",
    "load_demo_workflow",
    "load_demo_evaluation",
    "load_demo_population",
    "load_demo_survey",
    "load_demo_participation",
    "load_demo_resilience",
    "load_demo_council",
    "load_demo_analysis",
)


class Command(BaseCommand):
    help = "デモ用の自治体（鶴ヶ島市、施策名や数値は架空）をすべて読み込みます。何度実行しても同じ結果になります。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-documents",
            action="store_true",
            help="計画書（PDF・Word）と概要版をこのコマンドでは作りません（バックグラウンド処理 db_worker か、最初のダウンロードのときに作られます）。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        available = get_commands()
        for name in DEMO_COMMANDS:
            if name in available:
                call_command(name, verbosity=options["verbosity"])
        call_command(
            "refresh_public_site",
            no_documents=options["no_documents"],
            verbosity=options["verbosity"],
        )
