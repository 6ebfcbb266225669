"""``keikaku import-plan FILE``: import the plan workbook (docs/formats/plan-workbook.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keikaku.plans import importexport


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # translated when shown
        return _(
            "計画ワークブック（.xlsx、CSV をまとめた .zip、.json、またはシートごとの .csv を入れた"
            "フォルダ）を取り込みます。先にすべてのシートを検査し、問題が1つでもあれば何も書き込みません。"
            "形式は docs/formats/plan-workbook.md を見てください。"
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "file",
            metavar="FILE",
            help=_(
                "取り込むファイル（.xlsx / .zip / .json / .csv）、または CSV を入れたフォルダ。"
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("検査して、新規・更新・削除になる項目を表示するだけで、何も書き込みません。"),
        )
        parser.add_argument(
            "--delete-missing",
            action="store_true",
            help=_(
                "ファイルにない項目（政策分野・施策・指標など）を削除します。指定しないときは残します。"
            ),
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help=_(
                "操作履歴に記録する職員のユーザー名。省略すると「コマンド import-plan」と記録します。"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files = self._read(Path(options["file"]))
        actor: Any = _("コマンド import-plan")
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(
                    _(
                        "ユーザー「%(user)s」がいません。--user には職員のユーザー名を指定してください。"
                    )
                    % {"user": options["user"]}
                )
        result = importexport.read_upload(files)
        if result.data is None:
            self._fail(result.problems)
        assert result.data is not None
        delete_missing = bool(options["delete_missing"])
        try:
            if options["dry_run"]:
                preview = importexport.plan_import_preview(
                    data=result.data, delete_missing=delete_missing
                )
            else:
                preview = importexport.plan_import_apply(
                    data=result.data, actor=actor, delete_missing=delete_missing
                )
        except importexport.PlanImportError as exc:
            self._fail(exc.problems)
        for row in preview.change_rows():
            where = f"{row['sheet']} {row['row']}行目" if row["row"] else row["sheet"]
            fields = f"（{row['fields']}）" if row["fields"] else ""
            self.stdout.write(f"{row['action_label']}: {row['label']} [{where}]{fields}")
        if options["dry_run"]:
            self.stdout.write(
                _("確認のみ（書き込んでいません）: %(target)s: %(summary)s")
                % {"target": preview.target, "summary": preview.summary_text()}
            )
        else:
            self.stdout.write(
                _("取り込みました: %(target)s: %(summary)s")
                % {"target": preview.target, "summary": preview.summary_text()}
            )

    def _read(self, path: Path) -> list[tuple[str, bytes]]:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
            if not files:
                raise CommandError(
                    _("フォルダ %(path)s に CSV ファイルがありません。") % {"path": path}
                )
            return [(p.name, p.read_bytes()) for p in files]
        try:
            return [(path.name, path.read_bytes())]
        except OSError as exc:
            raise CommandError(
                _("ファイル %(path)s を読めません（%(error)s）。")
                % {"path": path, "error": exc.strerror}
            ) from None

    def _fail(self, problems: Any) -> None:
        for problem in problems:
            self.stderr.write(str(problem))
        raise CommandError(
            _(
                "取り込めません。問題が%(count)d件あります。上の一覧を直してから、もう一度実行してください（何も書き込んでいません）。"
            )
            % {"count": len(problems)}
        )
