"""keikaku build-plan-documents: make the plan PDF, the Word file and the 概要版 now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "公開中の計画から、計画書（PDF・Word）と概要版（PDF）を作ります。"
        "内容が変わっていなければ、前に作ったファイルをそのまま使います。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="内容が同じでも作り直します。")

    def handle(self, *args: Any, **options: Any) -> None:
        from keikaku.publication.documents import service
        from keikaku.publication.documents.pdf import PdfError

        try:
            records = service.build_all(force=options["force"])
        except PdfError as exc:
            raise CommandError(str(exc)) from exc
        if not records:
            raise CommandError("公開されている計画がありません。先に計画を公開してください。")
        for r in records:
            pages = f"、{r.pages}ページ" if r.pages else ""
            self.stdout.write(
                f"{r.kind}.{r.fmt}: {r.size:,} バイト{pages}（作成 {r.seconds:.1f} 秒）"
            )
