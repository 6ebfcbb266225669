"""``keikaku import-revitalisation-frameworks``: national revitalisation frameworks and their
pillars (地方創生の総合戦略の版と柱) from CSV, or the shipped ones."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keikaku.resilience import services

ACTOR = "keikaku import-revitalisation-frameworks"


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _(
            "国の地方創生の枠組み（総合戦略の版）と柱・目標を CSV から取り込みます"
            "（書式: docs/formats/action-plan.md の「地方創生の枠組み」）。"
            "--builtin で同梱のデータを読み込みます。"
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", nargs="?", help=_("取り込む CSV ファイル"))
        parser.add_argument("--builtin", action="store_true", help=_("同梱のデータを読み込みます"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["builtin"]:
            frameworks = services.frameworks_load_builtin(actor=ACTOR)
        else:
            if not options["file"]:
                raise CommandError(_("CSV ファイルを指定するか、--builtin を付けてください。"))
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(_("ファイル %(path)s が見つかりません。") % {"path": path})
            try:
                frameworks = services.frameworks_import(
                    data=path.read_bytes(), source=path.name, actor=ACTOR
                )
            except services.ResilienceError as exc:
                raise CommandError(
                    _("取り込めませんでした（何も保存していません）: %(p)s")
                    % {"p": " / ".join(exc.problems)}
                ) from None
        self.stdout.write(_("枠組みを %(n)s 件取り込みました。") % {"n": len(frameworks)})
