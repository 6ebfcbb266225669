"""``keikaku load-demo``: load the demo city (鶴ヶ島市), idempotently; `make run` calls it."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keikaku.plans.demo.loader import DemoRefused, demo_load, demo_password, staff_accounts


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # translated when shown, not at import
        return _(
            "デモ用の自治体（鶴ヶ島市）を読み込みます。計画の枠組み（第6次総合計画、将来像、"
            "前期・後期基本計画、後期の3つの重点戦略の名称）は実際のものですが、政策分野・施策・"
            "成果指標・事務事業の内容と数値はデモ用の架空データです。後期基本計画を公開し、"
            "デモ用の職員アカウント（admin / jimukyoku / henshu）を作ります。何度実行しても、"
            "既にあるデータは変更しません。"
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help=_(
                "データベースに別の自治体や、デモではない鶴ヶ島市のデータがあっても読み込みます"
                "（既定では中止します）。"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = demo_load(force=options["force"])
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        if result.total_created:
            self.stdout.write(
                _("デモデータを読み込みました（%(count)s 件を作成）。")
                % {"count": result.total_created}
            )
        else:
            self.stdout.write(_("デモデータは読み込み済みです。何も変更していません。"))
        if result.published_pages is not None:
            self.stdout.write(
                _("後期基本計画を公開しました（%(pages)s ページ）。")
                % {"pages": result.published_pages}
            )
        self.stdout.write(
            _(
                "デモ用の職員アカウント（初期パスワードはデモ専用です。実際の運用の前に必ず"
                "変更するか削除してください）:"
            )
        )
        roles = {
            "admin": _("管理者（スーパーユーザー）"),
            "jimukyoku": _("事務局（政策推進課）"),
            "henshu": _("編集者"),
        }
        for spec in staff_accounts():
            self.stdout.write(
                _("  %(user)s / %(password)s  %(name)s、%(role)s")
                % {
                    "user": spec.username,
                    "password": demo_password(),
                    "name": f"{spec.last_name} {spec.first_name}",
                    "role": roles.get(spec.username, ""),
                }
            )
