"""``keikaku backup -o FILE``: every row of every table and the uploaded files, in one zip file.

Format and procedure: docs/operations/backup.md.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from django.utils.translation import gettext as _

from keikaku.core.backup import BackupError, backup_create


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # translated when shown, not at import
        return _(
            "データベースの全テーブルの全行と、アップロードされたファイル（MEDIA_ROOT）を"
            "1 つのバックアップファイル（zip）に書き出します。SQLite と PostgreSQL のどちらで"
            "作ったバックアップも、どちらへでも `keikaku restore` で復元できます。"
            "手順は docs/operations/backup.md を見てください。"
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help=_(
                "書き出すファイル（例: keikaku-backup.zip）。省略すると現在のフォルダーに "
                "keikaku-backup-YYYYMMDD-HHMMSS.zip を作ります。"
            ),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("出力先のファイルが既にあれば上書きします。"),
        )
        parser.add_argument(
            "--no-media",
            action="store_true",
            help=_("アップロードされたファイル（MEDIA_ROOT）を含めません。"),
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help=_("対象のデータベース設定の名前（既定: default）。"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = options.get("output")
        if not output:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = f"keikaku-backup-{stamp}.zip"
        try:
            result = backup_create(
                path=Path(output),
                using=options["database"],
                include_media=not options["no_media"],
                overwrite=options["force"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "バックアップを作成しました: %(path)s（%(tables)s テーブル、%(rows)s 行、"
                "ファイル %(media)s 件、SHA-256 %(sha)s）"
            )
            % {
                "path": result.path,
                "tables": result.tables,
                "rows": result.rows,
                "media": result.media_files,
                "sha": result.sha256,
            }
        )
