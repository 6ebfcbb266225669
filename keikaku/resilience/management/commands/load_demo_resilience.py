"""``keikaku load-demo-resilience``: the demo regional plan, action plan with sites, sectoral
plans and framework tags for the demo city; run after ``keikaku load-demo``; idempotent."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keikaku.resilience.demo import DemoMissing, load_demo


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _(
            "デモ用の国土強靱化地域計画・アクションプラン（架空の事業実施箇所つき）・個別計画の台帳・"
            "国の総合戦略との対応を読み込み、公開します。先に keikaku load-demo を実行してください。"
            "何度実行しても、既にあるデータは変更しません。"
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--no-publish", action="store_true", help=_("読み込んだ内容を公開しません")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_demo(publish=not options["no_publish"])
        except DemoMissing as exc:
            raise CommandError(str(exc)) from exc
        if result.created:
            self.stdout.write(
                _("国土強靱化・個別計画のデモデータを読み込みました（%(n)s 件を作成）。")
                % {"n": result.created}
            )
        else:
            self.stdout.write(
                _("国土強靱化・個別計画のデモデータは読み込み済みです。何も変更していません。")
            )
        if result.published:
            self.stdout.write(_("アクションプランと個別計画の一覧を公開しました。"))
