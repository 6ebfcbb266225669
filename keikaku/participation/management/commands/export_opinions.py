"""``keikaku export-opinions``: opinions as CSV or Excel for analysis, without personal data.

Format: docs/formats/opinions-export.md.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keikaku.core.domain.textio import UnencodableError
from keikaku.participation import exports


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # translated when shown
        return _(
            "届いた意見を分析用に CSV（UTF-8 BOM 付き）または Excel に書き出します。"
            "氏名・住所・連絡先は含めず、本文の電話番号・メールアドレス・住所は伏せ字にします。"
            "列の説明は docs/formats/opinions-export.md にあります。"
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--source",
            default="all",
            metavar="SOURCE",
            help=_(
                "書き出す意見: proposals（常時募集）、hearings（意見交換・ヒアリング）、surveys"
                "（市民意識調査の自由記述）、public-comment:<番号>（その意見募集）、all（すべて。既定）。"
            ),
        )
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            metavar="FILE",
            help=_("書き出すファイル。拡張子が .xlsx なら Excel、それ以外は CSV です。"),
        )
        parser.add_argument(
            "--include-hidden",
            action="store_true",
            help=_("非表示にした意見も含めます（hidden 列が 1 になります）。既定では含めません。"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["output"])
        try:
            source, round_id = exports.parse_source(options["source"])
        except exports.ExportError as exc:
            raise CommandError(str(exc)) from exc
        rows = exports.export_rows(
            source=source, round_id=round_id, include_hidden=options["include_hidden"]
        )
        try:
            body = (
                exports.rows_to_xlsx(rows)
                if out.suffix.lower() == ".xlsx"
                else exports.rows_to_csv(rows)
            )
        except UnencodableError as exc:
            raise CommandError(str(exc)) from exc
        if not out.parent.exists():
            raise CommandError(
                _("書き出し先のフォルダ「%(dir)s」がありません。先に作ってください。")
                % {"dir": out.parent}
            )
        out.write_bytes(body)
        if options["verbosity"] >= 1:
            self.stdout.write(
                _("%(count)s件の意見を %(path)s に書き出しました。")
                % {"count": len(rows) - 1, "path": out}
            )
