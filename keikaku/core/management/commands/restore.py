"""``keikaku restore FILE``: restore a backup made by ``keikaku backup`` into an empty database.

Procedure: docs/operations/backup.md.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from keikaku.core.backup import BackupError, backup_verify, restore


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # translated when shown, not at import
        return _(
            "`keikaku backup` で作ったバックアップファイルを、`keikaku migrate` 直後の空の"
            "データベースに復元します。ファイルのチェックサムとマイグレーションの状態を確かめ、"
            "1 つのトランザクションで全行を書き込み、テーブルごとの行数を目録と照合します。"
            "途中で失敗したときは何も書き込みません。"
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE", help=_("復元するバックアップファイル（zip）。"))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_(
                "復元先のデータベースにデータがあっても、同じトランザクションの中ですべての"
                "テーブルを空にしてから復元します。同じ名前で内容の違うアップロードファイルも"
                "上書きします。"
            ),
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("復元はせず、ファイルの目録とチェックサムだけを確かめます。"),
        )
        parser.add_argument(
            "--no-media",
            action="store_true",
            help=_("アップロードされたファイルを MEDIA_ROOT に書き戻しません。"),
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help=_("復元先のデータベース設定の名前（既定: default）。"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            if options["check"]:
                manifest = backup_verify(path)
                rows = sum(int(t["rows"]) for t in manifest["tables"])
                self.stdout.write(
                    _(
                        "バックアップファイルは正常です: %(path)s（作成 %(created)s、%(vendor)s、"
                        "%(tables)s テーブル、%(rows)s 行、ファイル %(media)s 件）"
                    )
                    % {
                        "path": path,
                        "created": manifest.get("created_at", ""),
                        "vendor": manifest.get("database_vendor", ""),
                        "tables": len(manifest["tables"]),
                        "rows": rows,
                        "media": len(manifest.get("media", [])),
                    }
                )
                return
            result = restore(
                path=path,
                using=options["database"],
                force=options["force"],
                include_media=not options["no_media"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "復元しました: %(path)s（%(tables)s テーブル、%(rows)s 行、ファイル %(media)s 件）。"
                "実行中のサーバーがあれば再起動してください。"
            )
            % {
                "path": result.path,
                "tables": result.tables,
                "rows": result.rows,
                "media": result.media_files,
            }
        )
