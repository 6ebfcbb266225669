"""keikaku refresh-public-site: after publishing, refresh everything derived from it."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "公開中の内容から作るもの（サイト内検索の索引、オープンデータの更新日、計画書と概要版）を"
        "最新にします。公開サイトは必要なときに自動で作り直しますが、このコマンドで前もって作れます。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-documents", action="store_true", help="計画書と概要版は作りません（時間の節約）。"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from keikaku.publication import opendata

        verbosity = options["verbosity"]
        call_command("rebuild_search_index", verbosity=verbosity, stdout=self.stdout)
        states = opendata.refresh_dates(force=True)
        self.stdout.write(f"オープンデータ: {len(states)} 件の更新日を確かめました。")
        if not options["no_documents"]:
            try:
                call_command("build_plan_documents", verbosity=verbosity, stdout=self.stdout)
            except CommandError as exc:
                # No published plan, or no Japanese font on this server: the site works, the
                # documents are made at the first download (or the download says why not).
                self.stderr.write(f"計画書は作りませんでした: {exc}")
