"""keikaku rebuild-search-index: bring the site-search index up to date now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "サイト内検索の索引を、公開中の内容に合わせて作り直します（変わった文書だけを解析します）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="変わっていない文書も含めて、すべて解析し直します。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from keikaku.publication import search

        stats = search.index_rebuild(force=options["force"])
        self.stdout.write(
            f"検索の索引: 文書 {stats.documents} 件（追加 {stats.added}、更新 {stats.updated}、"
            f"削除 {stats.removed}）、{stats.seconds:.1f} 秒"
        )
